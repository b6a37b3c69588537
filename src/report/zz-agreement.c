/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-agreement"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "zz-agreement.h"
#include "zz-report-font.h"
#include "zz-idcard.h"
#include "zz-time.h"

#define PAGE_W ZZ_AGREEMENT_PAGE_W
#define PAGE_H ZZ_AGREEMENT_PAGE_H
#define MARGIN 64.0

struct _ZzAgreement {
  ZzRow *attempt;
  ZzRow *c;
  GListModel *parties;
  char *committee;   /* the people's mediation committee of the level that mediated */
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
  cairo_font_options_t *fo = cairo_font_options_create ();
  int w, h;

  /* Unhinted metrics: the pages break at the same lines on screen, on paper and in the PDF. */
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), fo);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (fo);
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
  para (p, text, ZZ_REPORT_FONT_BOLD " 12", 0, 4);
}

static char *
day_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());

  /* Translators: a date in an agreement, strftime format */
  return g_date_time_format (local, _("%Y-%m-%d"));
}

/* The committee that mediated: the one of the org unit at the attempt's level above the place the
 * dispute arose (a village's, its township's, its county's), by the length of the statistical
 * code at that level. */
static char *
committee_name (ZzStore *store, const char *home, const char *level)
{
  static const struct { const char *level; gsize len; } lens[] = {
    { "village", 12 }, { "township", 9 }, { "county", 6 }, { "prefecture", 4 },
  };
  g_autofree char *code = g_strdup (home ? home : "");
  g_autoptr(ZzRow) unit = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    if (g_strcmp0 (level, lens[i].level) == 0 && strlen (code) > lens[i].len)
      code[lens[i].len] = '\0';
  unit = zz_store_get_org_unit (store, code);
  /* Translators: the seal line of an agreement, %s the name of a village, township or county */
  return g_strdup_printf (_("%s People’s Mediation Committee"), unit ? zz_row_get (unit, "name") : "");
}

/* "男，汉族，45岁，住址 …" from what is known: sex and age come from the ID number (GB 11643),
 * ethnicity and address from the person's record; what is not recorded is left as a line to fill
 * in by hand, as on the printed model. */
static char *
party_particulars (ZzRow *r, gint64 on_ms)
{
  const char *id = zz_row_get (r, "id_number");
  const char *ethnicity = zz_row_get (r, "ethnicity");
  const char *address = zz_row_get (r, "address");
  int sex = id && !strchr (id, '*') ? zz_idcard_sex (id) : 0;
  int y, m, d;
  g_autofree char *age = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (on_ms / 1000);
  g_autoptr(GDateTime) on = g_date_time_to_timezone (utc, zz_local_zone ());

  if (id && !strchr (id, '*') && zz_idcard_birth_date (id, &y, &m, &d))
    {
      int years = g_date_time_get_year (on) - y;
      if (g_date_time_get_month (on) < m || (g_date_time_get_month (on) == m && g_date_time_get_day_of_month (on) < d))
        years--;
      age = g_strdup_printf (_("%d years"), years);
    }
  return g_strdup_printf (_("Sex: %s, ethnicity: %s, age: %s, address: %s"),
                          sex == 1 ? _("male") : sex == 2 ? _("female") : "＿＿＿",
                          ethnicity && *ethnicity ? ethnicity : "＿＿＿＿", age ? age : "＿＿＿",
                          address && *address ? address : "＿＿＿＿＿＿＿＿＿＿＿＿");
}

static const char *
level_letter (const char *level)
{
  if (g_strcmp0 (level, "township") == 0)
    return "T";
  if (g_strcmp0 (level, "county") == 0)
    return "C";
  if (g_strcmp0 (level, "prefecture") == 0)
    return "P";
  return "V";
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
  a->committee = committee_name (store, zz_row_get (c, "home"), zz_row_get (attempt, "level"));
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
  g_free (a->committee);
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
  para_aligned (&p, _("People’s Mediation Agreement"), ZZ_REPORT_FONT_BOLD " 22", 0, 6, PANGO_ALIGN_CENTER);
  {
    /* The model's document number: unique per attempt (case, level, attempt at that level). */
    g_autofree char *line = g_strdup_printf (_("No. %s-%s%lld"), zz_row_get (c, "number"),
                                             level_letter (zz_row_get (attempt, "level")),
                                             (long long) zz_row_get_int (attempt, "number"));
    g_autofree char *sub = g_strdup_printf (_("%s mediation no. %lld"),
                                            zz_vocab_display (levels, n, zz_row_get (attempt, "level")),
                                            (long long) zz_row_get_int (attempt, "number"));
    para_aligned (&p, line, ZZ_REPORT_FONT " 10", 0, 2, PANGO_ALIGN_RIGHT);
    para_aligned (&p, sub, ZZ_REPORT_FONT " 9", 0, 14, PANGO_ALIGN_RIGHT);
  }

  heading (&p, _("Parties"));
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (parties, i);
      g_autoptr(GString) s = g_string_new (NULL);
      const char *role = g_strcmp0 (zz_row_get (r, "role"), "applicant") == 0 ? _("Applicant") : _("Respondent");

      if (zz_row_get (r, "org_name"))
        g_string_append_printf (s, "%s：%s", role, zz_row_get (r, "org_name"));
      else
        {
          g_autofree char *particulars = party_particulars (r, zz_row_get_int (attempt, "held_at"));
          g_string_append_printf (s, "%s：%s，%s", role, zz_row_get (r, "name"), particulars);
          g_string_append_printf (s, _(", ID number: %s"), zz_row_get (r, "id_number") ? zz_row_get (r, "id_number")
                                                                                      : "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿");
        }
      if (zz_row_get (r, "phone"))
        g_string_append_printf (s, _(", phone: %s"), zz_row_get (r, "phone"));
      para (&p, s->str, ZZ_REPORT_FONT " 10.5", 12, 5);
    }
  p.y += 8;
  heading (&p, _("Main facts of the dispute and matters in dispute"));
  {
    const char *summary = zz_row_get (c, "summary");
    const char *details = zz_row_get (c, "details");
    g_autofree char *s1 = g_strstrip (g_strdup (summary ? summary : ""));
    g_autofree char *s2 = g_strstrip (g_strdup (details ? details : ""));

    /* A case registered from a visit carries the visitor's words in both: say them once. */
    if (*s2 && g_str_has_prefix (s2, s1))
      para (&p, s2, ZZ_REPORT_FONT " 10.5", 12, 3);
    else
      {
        para (&p, s1, ZZ_REPORT_FONT " 10.5", 12, 3);
        if (*s2 && !strstr (s1, s2))
          para (&p, s2, ZZ_REPORT_FONT " 10.5", 12, 3);
      }
  }
  p.y += 8;
  heading (&p, _("Agreed of their own free will through mediation"));
  para (&p, zz_row_get (attempt, "terms") ? zz_row_get (attempt, "terms") : "", ZZ_REPORT_FONT " 10.5", 12, 3);
  para (&p, _("The parties fulfil these terms of their own accord. This agreement takes effect when the parties and "
              "the mediators have signed it; each party and the mediation committee keep one copy."),
        ZZ_REPORT_FONT " 9.5", 12, 11);
  {
    g_autofree char *day = day_text (zz_row_get_int (attempt, "held_at"));
    g_autofree char *line = g_strdup_printf (_("Date: %s    Place: %s"), day, zz_row_get (attempt, "place"));
    g_autofree char *med = g_strdup_printf (_("Mediators: %s"), zz_row_get (attempt, "mediators"));
    para (&p, line, ZZ_REPORT_FONT " 10.5", 0, 3);
    para (&p, med, ZZ_REPORT_FONT " 10.5", 0, 3);
    if (zz_row_get (attempt, "departments"))
      {
        g_autofree char *deps = g_strdup_printf (_("Departments in joint consultation: %s"), zz_row_get (attempt, "departments"));
        para (&p, deps, ZZ_REPORT_FONT " 10.5", 0, 3);
      }
  }
  p.y += 18;
  heading (&p, _("Signatures"));
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (parties, i);
      g_autofree char *line = g_strdup_printf (_("%s (signature or fingerprint): ________________  Date: __________"),
                                               zz_row_get (r, "org_name") ? zz_row_get (r, "org_name") : zz_row_get (r, "name"));
      para (&p, line, ZZ_REPORT_FONT " 10.5", 12, 16);
    }
  para (&p, _("Mediators (signature): ________________  Date: __________"), ZZ_REPORT_FONT " 10.5", 12, 20);
  {
    g_autofree char *seal = g_strdup_printf (_("%s (seal)"), a->committee);
    g_autofree char *day = day_text (zz_row_get_int (attempt, "held_at"));
    para_aligned (&p, seal, ZZ_REPORT_FONT " 10.5", 0, 4, PANGO_ALIGN_RIGHT);
    para_aligned (&p, day, ZZ_REPORT_FONT " 10.5", 0, 0, PANGO_ALIGN_RIGHT);
  }

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
  title = g_strdup_printf ("%s %s", _("People’s Mediation Agreement"), zz_agreement_get_case_number (a));
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
