/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-agreement"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "zz-agreement.h"
#include "zz-time.h"

#define PAGE_W ZZ_AGREEMENT_PAGE_W
#define PAGE_H ZZ_AGREEMENT_PAGE_H
#define MARGIN 64.0

struct _ZzAgreement {
  ZzRow *attempt;
  ZzRow *c;
  GListModel *parties;
};

/* One pass over the agreement: every paragraph is measured and placed; only those on page
 * @only are drawn (-1: none, to count the pages). */
typedef struct {
  cairo_t *cr;
  double w, h;
  double y;
  int page;
  int only;
} Page;

static double
text_height (cairo_t *cr, const char *text, const char *font, double width, PangoLayout **out)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  pango_font_description_free (desc);
  *out = layout;
  return (double) h / PANGO_SCALE;
}

/* Places a paragraph line by line, starting a new page when the next line would run off this
 * one: a paragraph longer than a page goes on over the next. */
static void
para_aligned (Page *p, const char *text, const char *font, double indent, double gap_after, PangoAlignment align)
{
  PangoLayout *layout = NULL;
  PangoLayoutIter *it;
  double width = p->w - 2 * MARGIN - indent;

  text_height (p->cr, text, font, width, &layout);
  pango_layout_set_alignment (layout, align);
  it = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double lh, baseline;

      pango_layout_iter_get_line_extents (it, NULL, &logical);
      lh = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (it) - logical.y) / PANGO_SCALE;
      if (p->y + lh > p->h - MARGIN && p->y > MARGIN)
        {
          p->page++;
          p->y = MARGIN;
        }
      if (p->page == p->only)
        {
          cairo_move_to (p->cr, MARGIN + indent + (double) logical.x / PANGO_SCALE, p->y + baseline);
          pango_cairo_show_layout_line (p->cr, pango_layout_iter_get_line_readonly (it));
        }
      p->y += lh;
    }
  while (pango_layout_iter_next_line (it));
  pango_layout_iter_free (it);
  g_object_unref (layout);
  p->y += gap_after;
}

static void
para (Page *p, const char *text, const char *font, double indent, double gap_after)
{
  para_aligned (p, text, font, indent, gap_after, PANGO_ALIGN_LEFT);
}

static void
heading (Page *p, const char *text)
{
  para (p, text, "Noto Sans CJK SC Bold 12", 0, 4);
}

static char *
day_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());

  /* Translators: a date in an agreement, strftime format */
  return g_date_time_format (local, _("%Y-%m-%d"));
}

ZzAgreement *
zz_agreement_new (ZzStore *store, const char *attempt_id, GError **error)
{
  g_autoptr(ZzRow) attempt = NULL;
  g_autoptr(ZzRow) c = NULL;
  ZzAgreement *a;

  if (!zz_store_can (store, ZZ_PERM_VIEW_CASES))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("You may not view cases."));
      return NULL;
    }
  attempt = attempt_id ? zz_store_get_attempt (store, attempt_id) : NULL;
  if (attempt)
    c = zz_store_get_case (store, zz_row_get (attempt, "case_id"));
  if (!attempt || !c)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The mediation record no longer exists."));
      return NULL;
    }
  if (g_strcmp0 (zz_row_get (attempt, "result"), "failed") == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Only a mediation that reached an agreement has an agreement to print."));
      return NULL;
    }
  a = g_new0 (ZzAgreement, 1);
  a->parties = zz_store_case_parties (store, zz_row_get_id (c));
  a->attempt = g_steal_pointer (&attempt);
  a->c = g_steal_pointer (&c);
  return a;
}

void
zz_agreement_free (ZzAgreement *a)
{
  if (!a)
    return;
  g_clear_object (&a->attempt);
  g_clear_object (&a->c);
  g_clear_object (&a->parties);
  g_free (a);
}

const char *
zz_agreement_get_case_number (ZzAgreement *a)
{
  return zz_row_get (a->c, "number");
}

/* Lays the whole agreement out on pages of @width x @height points, drawing page @only; returns
 * the number of pages. */
static int
run (ZzAgreement *a, cairo_t *cr, double width, double height, int only)
{
  ZzRow *attempt = a->attempt, *c = a->c;
  GListModel *parties = a->parties;
  Page p = { cr, width, height, MARGIN, 0, only };
  guint n;
  const ZzVocab *levels = zz_case_levels (&n);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  para_aligned (&p, _("Mediation agreement"), "Noto Serif CJK SC Bold 22", 0, 6, PANGO_ALIGN_CENTER);
  {
    g_autofree char *line = g_strdup_printf (_("Case %s · %s mediation no. %lld"), zz_row_get (c, "number"),
                                             zz_vocab_display (levels, n, zz_row_get (attempt, "level")),
                                             (long long) zz_row_get_int (attempt, "number"));
    para (&p, line, "Noto Sans CJK SC 9", 0, 14);
  }

  heading (&p, _("Parties"));
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (parties, i);
      g_autoptr(GString) s = g_string_new (NULL);
      g_string_append_printf (s, "%s：%s", g_strcmp0 (zz_row_get (r, "role"), "applicant") == 0 ? _("Applicant") : _("Respondent"),
                              zz_row_get (r, "name"));
      if (zz_row_get (r, "id_number"))
        g_string_append_printf (s, _("    ID number: %s"), zz_row_get (r, "id_number"));
      if (zz_row_get (r, "phone"))
        g_string_append_printf (s, _("    Phone: %s"), zz_row_get (r, "phone"));
      para (&p, s->str, "Noto Sans CJK SC 10.5", 12, 3);
    }
  p.y += 8;
  heading (&p, _("The dispute"));
  para (&p, zz_row_get (c, "summary"), "Noto Sans CJK SC 10.5", 12, 3);
  if (zz_row_get (c, "details"))
    para (&p, zz_row_get (c, "details"), "Noto Sans CJK SC 10.5", 12, 3);
  p.y += 8;
  heading (&p, _("Agreed terms"));
  para (&p, zz_row_get (attempt, "terms") ? zz_row_get (attempt, "terms") : "", "Noto Sans CJK SC 10.5", 12, 3);
  para (&p, _("The parties fulfil these terms of their own accord. This agreement takes effect when the parties and "
              "the mediators have signed it; each party and the mediation committee keep one copy."),
        "Noto Sans CJK SC 9.5", 12, 11);
  {
    g_autofree char *day = day_text (zz_row_get_int (attempt, "held_at"));
    g_autofree char *line = g_strdup_printf (_("Date: %s    Place: %s"), day, zz_row_get (attempt, "place"));
    g_autofree char *med = g_strdup_printf (_("Mediators: %s"), zz_row_get (attempt, "mediators"));
    para (&p, line, "Noto Sans CJK SC 10.5", 0, 3);
    para (&p, med, "Noto Sans CJK SC 10.5", 0, 3);
    if (zz_row_get (attempt, "departments"))
      {
        g_autofree char *deps = g_strdup_printf (_("Departments in joint consultation: %s"), zz_row_get (attempt, "departments"));
        para (&p, deps, "Noto Sans CJK SC 10.5", 0, 3);
      }
  }
  p.y += 18;
  heading (&p, _("Signatures"));
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (parties, i);
      g_autofree char *line = g_strdup_printf (_("%s (signature or fingerprint): ________________  Date: __________"),
                                               zz_row_get (r, "name"));
      para (&p, line, "Noto Sans CJK SC 10.5", 12, 16);
    }
  para (&p, _("Mediators (signature): ________________  Date: __________"), "Noto Sans CJK SC 10.5", 12, 16);
  para (&p, _("Mediation committee (seal)"), "Noto Sans CJK SC 10.5", 12, 0);

  cairo_restore (cr);
  return p.page + 1;
}

int
zz_agreement_n_pages (ZzAgreement *a, cairo_t *cr, double width, double height)
{
  return run (a, cr, width, height, -1);
}

void
zz_agreement_draw_page (ZzAgreement *a, cairo_t *cr, double width, double height, int page)
{
  run (a, cr, width, height, page);
}

gboolean
zz_agreement_write_pdf (ZzStore *store, const char *attempt_id, const char *path, GError **error)
{
  ZzAgreement *a = zz_agreement_new (store, attempt_id, error);
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int pages;

  if (!a)
    return FALSE;
  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      zz_agreement_free (a);
      return FALSE;
    }
  title = g_strdup_printf ("%s %s", _("Mediation agreement"), zz_agreement_get_case_number (a));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cr = cairo_create (surface);
  pages = zz_agreement_n_pages (a, cr, PAGE_W, PAGE_H);
  for (int i = 0; i < pages; i++)
    {
      zz_agreement_draw_page (a, cr, PAGE_W, PAGE_H, i);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  zz_agreement_free (a);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
