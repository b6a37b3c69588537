/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-register"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "zz-error.h"
#include "zz-export.h"
#include "zz-reference.h"
#include "zz-register.h"
#include "zz-report-font.h"

#define FONT ZZ_REPORT_FONT
#define PAD 3.0
#define MARGIN 36.0

ZzTable *
zz_register_table (ZzStore *store, const char *day)
{
  g_autoptr(GListModel) rows = zz_store_visit_register (store, day);
  ZzTable *t = zz_table_new ("visit_register", _("Visitor register"));
  guint n_out;
  const ZzVocab *outcomes = zz_ticket_outcomes (&n_out);
  guint c_no, c_at, c_name, c_phone, c_id, c_people, c_cat, c_purpose, c_tickets, c_dept, c_outcome, c_end, c_clerk;

  c_no = zz_table_add_column (t, "no", _("No."), ZZ_CELL_INT);
  c_at = zz_table_add_column (t, "arrived_at", _("Arrived"), ZZ_CELL_DATETIME);
  c_name = zz_table_add_column (t, "name", _("Name"), ZZ_CELL_TEXT);
  c_phone = zz_table_add_column (t, "phone", _("Phone"), ZZ_CELL_TEXT);
  c_id = zz_table_add_column (t, "id_number", _("ID number"), ZZ_CELL_TEXT);
  c_people = zz_table_add_column (t, "people", _("People"), ZZ_CELL_INT);
  c_cat = zz_table_add_column (t, "category", _("Category"), ZZ_CELL_TEXT);
  c_purpose = zz_table_add_column (t, "purpose", _("Purpose"), ZZ_CELL_TEXT);
  c_tickets = zz_table_add_column (t, "tickets", _("Tickets"), ZZ_CELL_TEXT);
  c_dept = zz_table_add_column (t, "departments", _("Windows"), ZZ_CELL_TEXT);
  c_outcome = zz_table_add_column (t, "outcome", _("Outcome"), ZZ_CELL_TEXT);
  c_end = zz_table_add_column (t, "ended_at", _("Finished"), ZZ_CELL_DATETIME);
  c_clerk = zz_table_add_column (t, "clerk", _("Registered by"), ZZ_CELL_TEXT);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (rows, i);
      g_autofree char *cat = zz_store_visit_category_name (store, zz_row_get (v, "category"));
      g_autofree char *outcome = NULL;
      guint r = zz_table_add_row (t);

      zz_table_set_int (t, r, c_no, i + 1);
      zz_table_set_int (t, r, c_at, zz_row_get_int (v, "arrived_at"));
      zz_table_set_text (t, r, c_name, zz_row_get (v, "name"));
      zz_table_set_text (t, r, c_phone, zz_row_get (v, "phone"));
      zz_table_set_text (t, r, c_id, zz_row_get (v, "id_number"));
      zz_table_set_int (t, r, c_people, zz_row_get_int (v, "people"));
      if (zz_row_get_int (v, "group_visit"))
        {
          /* Translators: category cell of a group visit in the visitor register */
          g_autofree char *flagged = g_strdup_printf (_("%s (group visit)"), cat);
          zz_table_set_text (t, r, c_cat, flagged);
        }
      else
        zz_table_set_text (t, r, c_cat, cat);
      zz_table_set_text (t, r, c_purpose, zz_row_get (v, "purpose"));
      zz_table_set_text (t, r, c_tickets, zz_row_get (v, "tickets"));
      zz_table_set_text (t, r, c_dept, zz_row_get (v, "departments"));
      if (zz_row_get (v, "outcome"))
        outcome = g_strdup (zz_vocab_display (outcomes, n_out, zz_row_get (v, "outcome")));
      else
        outcome = g_strdup (_("Not finished"));
      if (zz_row_get (v, "case_number"))
        {
          g_autofree char *with = g_strdup_printf ("%s · %s", outcome, zz_row_get (v, "case_number"));
          g_free (outcome);
          outcome = g_steal_pointer (&with);
        }
      zz_table_set_text (t, r, c_outcome, outcome);
      if (zz_row_get (v, "ended_at"))
        zz_table_set_int (t, r, c_end, zz_row_get_int (v, "ended_at"));
      zz_table_set_text (t, r, c_clerk, zz_row_get (v, "clerk"));
    }
  return t;
}

char *
zz_register_title (ZzStore *store, const char *day)
{
  g_autofree char *today = day ? NULL : zz_store_day_of (zz_store_now (store));

  /* Translators: title of the register, %s is the day, e.g. "来访登记簿 2026-12-03" */
  return g_strdup_printf (_("Visitor Register %s"), day ? day : today);
}

/* ---- drawing ---- */

/* Shares of the width per column, in the order of zz_register_table(). */
static const double shares[] = { 3, 7, 6, 8, 11, 4, 8, 20, 8, 10, 9, 7, 6 };

/* Lays out the register; draws page @only (-1: none). Returns the number of pages. */
static guint
run (const ZzTable *t, const char *title, cairo_t *cr, double width, double height, int only)
{
  guint n_cols = zz_table_n_columns (t);
  double avail = width - 2 * MARGIN, total = 0, x[32] = { 0 };
  double y, bottom = height - MARGIN - 14;
  int page = 0;
  gboolean fresh_page = FALSE;   /* a row taller than a page is drawn anyway, not carried on forever */

  g_return_val_if_fail (n_cols <= G_N_ELEMENTS (shares), 1);
  for (guint c = 0; c < n_cols; c++)
    total += shares[c];
  for (guint c = 0; c < n_cols; c++)
    x[c + 1] = x[c] + avail * shares[c] / total;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  {
    PangoLayout *l = zz_report_layout_new (cr, FONT " Bold 14", title, avail);
    if (only == page)
      {
        cairo_move_to (cr, MARGIN, MARGIN);
        pango_cairo_show_layout (cr, l);
      }
    y = MARGIN + zz_report_layout_height (l) + 8;
    g_object_unref (l);
  }
  for (int r = -1; r < (int) zz_table_n_rows (t); r++)
    {
      PangoLayout *cells[32];
      double h = 0;
      gboolean header = r < 0;

      for (guint c = 0; c < n_cols; c++)
        {
          g_autofree char *text = header ? g_strdup (zz_table_column_title (t, c)) : zz_table_format_cell (t, r, c);
          cells[c] = zz_report_layout_new (cr, header ? FONT " Bold 7.5" : FONT " 7.5", text, x[c + 1] - x[c] - 2 * PAD);
          h = MAX (h, zz_report_layout_height (cells[c]));
        }
      h += 2 * PAD;
      if (!header && y + h > bottom && !fresh_page)
        {
          fresh_page = TRUE;
          /* A new page repeats the header. */
          page++;
          y = MARGIN;
          r = r - 1;
          for (guint c = 0; c < n_cols; c++)
            g_object_unref (cells[c]);
          {
            PangoLayout *hl[32];
            double hh = 0;
            for (guint c = 0; c < n_cols; c++)
              {
                hl[c] = zz_report_layout_new (cr, FONT " Bold 7.5", zz_table_column_title (t, c), x[c + 1] - x[c] - 2 * PAD);
                hh = MAX (hh, zz_report_layout_height (hl[c]));
              }
            hh += 2 * PAD;
            if (only == page)
              {
                cairo_set_source_rgb (cr, 0.89, 0.92, 0.95);
                cairo_rectangle (cr, MARGIN, y, avail, hh);
                cairo_fill (cr);
                cairo_set_source_rgb (cr, 0, 0, 0);
                for (guint c = 0; c < n_cols; c++)
                  {
                    cairo_move_to (cr, MARGIN + x[c] + PAD, y + PAD);
                    pango_cairo_show_layout (cr, hl[c]);
                  }
              }
            for (guint c = 0; c < n_cols; c++)
              g_object_unref (hl[c]);
            y += hh;
          }
          continue;
        }
      fresh_page = FALSE;
      if (only == page)
        {
          if (header)
            {
              cairo_set_source_rgb (cr, 0.89, 0.92, 0.95);
              cairo_rectangle (cr, MARGIN, y, avail, h);
              cairo_fill (cr);
            }
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_set_line_width (cr, 0.5);
          cairo_rectangle (cr, MARGIN, y, avail, h);
          cairo_stroke (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          for (guint c = 0; c < n_cols; c++)
            {
              cairo_move_to (cr, MARGIN + x[c] + PAD, y + PAD);
              pango_cairo_show_layout (cr, cells[c]);
            }
        }
      for (guint c = 0; c < n_cols; c++)
        g_object_unref (cells[c]);
      y += h;
    }
  if (zz_table_n_rows (t) == 0 && only == page)
    {
      PangoLayout *l = zz_report_layout_new (cr, FONT " 9", _("No visitors were registered on this day."), avail);
      cairo_move_to (cr, MARGIN, y + 6);
      pango_cairo_show_layout (cr, l);
      g_object_unref (l);
    }
  cairo_restore (cr);
  return (guint) page + 1;
}

static void
footer (cairo_t *cr, guint page, guint n_pages, double width, double height)
{
  g_autofree char *text = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  PangoLayout *l = zz_report_layout_new (cr, FONT " 8", text, width - 2 * MARGIN);

  pango_layout_set_alignment (l, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, MARGIN, height - MARGIN * 0.75);
  pango_cairo_show_layout (cr, l);
  cairo_set_source_rgb (cr, 0, 0, 0);
  g_object_unref (l);
}

guint
zz_register_n_pages (const ZzTable *table, const char *title, double width, double height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  guint n = run (table, title, cr, width, height, -1);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return n;
}

void
zz_register_draw_page (const ZzTable *table, const char *title, cairo_t *cr, guint page, double width, double height)
{
  guint n = zz_register_n_pages (table, title, width, height);

  run (table, title, cr, width, height, (int) page);
  footer (cr, page, n, width, height);
}

typedef struct {
  FILE *f;
  int errsv;
} Out;

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  Out *o = closure;

  if (o->errsv)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, o->f) != length)
    {
      o->errsv = errno ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_pdf (const ZzTable *t, const char *title, const char *path, GError **error)
{
  g_autofree char *temp = zz_export_temp_beside (path, error);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint pages;
  Out o = { 0 };

  if (!temp)
    return FALSE;
  o.f = g_fopen (temp, "wb");
  if (!o.f)
    {
      zz_export_set_io_error (error, path, errno);
      zz_export_abandon (temp);
      return FALSE;
    }
  surface = cairo_pdf_surface_create_for_stream (write_cb, &o, ZZ_REGISTER_PAGE_W, ZZ_REGISTER_PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Zongzhi");
  cr = cairo_create (surface);
  pages = zz_register_n_pages (t, title, ZZ_REGISTER_PAGE_W, ZZ_REGISTER_PAGE_H);
  for (guint i = 0; i < pages; i++)
    {
      run (t, title, cr, ZZ_REGISTER_PAGE_W, ZZ_REGISTER_PAGE_H, (int) i);
      footer (cr, i, pages, ZZ_REGISTER_PAGE_W, ZZ_REGISTER_PAGE_H);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (fflush (o.f) != 0 && !o.errsv)
    o.errsv = errno ? errno : EIO;
  if (fclose (o.f) != 0 && !o.errsv)
    o.errsv = errno ? errno : EIO;
  if (o.errsv || status != CAIRO_STATUS_SUCCESS)
    {
      zz_export_abandon (temp);
      if (o.errsv)
        zz_export_set_io_error (error, path, o.errsv);
      else
        {
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), name, cairo_status_to_string (status));
        }
      return FALSE;
    }
  return zz_export_commit (temp, path, error);
}

gboolean
zz_register_write (ZzStore *store, const char *day, const char *path, GError **error)
{
  g_autoptr(ZzTable) t = NULL;
  g_autofree char *title = NULL;
  ZzExportFormat format = zz_export_format_from_path (path);

  g_return_val_if_fail (path != NULL, FALSE);
  if (format != ZZ_EXPORT_XLSX && format != ZZ_EXPORT_PDF)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Save the register as .xlsx or .pdf."));
      return FALSE;
    }
  t = zz_register_table (store, day);
  title = zz_register_title (store, day);
  if (format == ZZ_EXPORT_PDF)
    return write_pdf (t, title, path, error);
  {
    ZzTable *tables[] = { t };
    ZzExportAbout about = { .title = title, .scope = zz_store_get_centre_name (store),
                            .generated_at = zz_store_now (store) };
    return zz_export_xlsx (path, tables, 1, &about, error);
  }
}
