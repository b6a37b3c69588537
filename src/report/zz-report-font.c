/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-report-font"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "zz-error.h"
#include "zz-report-font.h"

#define SHEET_MARGIN 20.0

PangoLayout *
zz_report_layout_new (cairo_t *cr, const char *font, const char *text, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *ctx = pango_layout_get_context (layout);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  cairo_font_options_t *fo = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (ctx, fo);
  pango_cairo_context_set_resolution (ctx, 72);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (fo);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

double
zz_report_layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

void
zz_report_font_sheet_cell (guint index, guint columns, double cell, double *x, double *y)
{
  *x = SHEET_MARGIN + (index % columns) * cell;
  *y = SHEET_MARGIN + (index / columns) * cell;
}

gboolean
zz_report_font_sheet_pdf (const char *text, gboolean bold, double size, guint columns, double cell,
                          const char *path, GError **error)
{
  glong n = g_utf8_strlen (text, -1);
  guint rows = (guint) ((n + columns - 1) / columns);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *desc;
  guint i = 0;

  g_return_val_if_fail (columns > 0 && cell > 0, FALSE);

  surface = cairo_pdf_surface_create (path, 2 * SHEET_MARGIN + columns * cell, 2 * SHEET_MARGIN + MAX (rows, 1) * cell);
  cr = cairo_create (surface);
  layout = pango_cairo_create_layout (cr);
  desc = pango_font_description_from_string (bold ? ZZ_REPORT_FONT_BOLD : ZZ_REPORT_FONT);
  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, desc);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (const char *p = text; *p; p = g_utf8_next_char (p), i++)
    {
      double x, y;
      zz_report_font_sheet_cell (i, columns, cell, &x, &y);
      pango_layout_set_text (layout, p, (int) (g_utf8_next_char (p) - p));
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (desc);
  g_object_unref (layout);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
