/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-receipt"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "zz-error.h"
#include "zz-receipt.h"
#include "zz-report-font.h"

char *
zz_receipt_mask_name (const char *name)
{
  GString *s = g_string_new (NULL);
  glong n;

  if (name == NULL || *name == '\0')
    return g_string_free (s, FALSE);
  n = g_utf8_strlen (name, -1);
  g_string_append_unichar (s, g_utf8_get_char (name));
  for (glong i = 1; i < n; i++)
    g_string_append_c (s, '*');
  return g_string_free (s, FALSE);
}

static double
draw_text (cairo_t *cr, const char *text, const char *font, double x, double y, double width,
           PangoAlignment align)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}

static void
draw_qr (cairo_t *cr, const char *text, double x, double y, double size)
{
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double cell;

  if (!qr)
    return;
  /* Four modules of quiet zone on each side, as scanners expect. */
  cell = size / (qr->width + 8);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r < qr->width; r++)
    for (int c = 0; c < qr->width; c++)
      if (qr->data[r * qr->width + c] & 1)
        cairo_rectangle (cr, x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (qr);
}

void
zz_receipt_draw (cairo_t         *cr,
                 const ZzReceipt *r,
                 double           width,
                 double           height)
{
  const double margin = width * 0.06;
  const double inner = width - 2 * margin;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (r->issued_at / 1000);
  g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");
  g_autofree char *window = g_strdup_printf (_("Window %d · %s"), r->window_number, r->department ? r->department : "");
  g_autofree char *masked = zz_receipt_mask_name (r->visitor_name);
  g_autofree char *visitor = g_strdup_printf (_("Visitor: %s"), masked);
  g_autofree char *ahead = g_strdup_printf (ngettext ("%d person waiting ahead of you",
                                                      "%d people waiting ahead of you", r->waiting_ahead),
                                            r->waiting_ahead);
  g_autofree char *issued = g_strdup_printf (_("Issued: %s"), when);
  double y = margin;
  double qr_size;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  y += draw_text (cr, r->centre_name ? r->centre_name : "", ZZ_REPORT_FONT_BOLD " 11", margin, y, inner, PANGO_ALIGN_CENTER);
  y += draw_text (cr, _("Queue ticket"), ZZ_REPORT_FONT " 9", margin, y, inner, PANGO_ALIGN_CENTER) + 4;
  y += draw_text (cr, r->label, "Noto Sans Mono Bold 34", margin, y, inner, PANGO_ALIGN_CENTER) + 2;
  y += draw_text (cr, window, ZZ_REPORT_FONT " 10", margin, y, inner, PANGO_ALIGN_CENTER) + 6;
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, margin, y);
  cairo_line_to (cr, width - margin, y);
  cairo_stroke (cr);
  y += 6;
  y += draw_text (cr, visitor, ZZ_REPORT_FONT " 8.5", margin, y, inner, PANGO_ALIGN_LEFT);
  y += draw_text (cr, issued, ZZ_REPORT_FONT " 8.5", margin, y, inner, PANGO_ALIGN_LEFT);
  y += draw_text (cr, ahead, ZZ_REPORT_FONT " 8.5", margin, y, inner, PANGO_ALIGN_LEFT) + 6;

  qr_size = MIN (inner * 0.6, height - y - margin - 28);
  if (qr_size > 40 && r->visit_id)
    {
      draw_qr (cr, r->visit_id, (width - qr_size) / 2, y, qr_size);
      y += qr_size + 2;
    }
  draw_text (cr, _("Please wait for your number to be called. Keep this ticket."), ZZ_REPORT_FONT " 7.5",
             margin, y, inner, PANGO_ALIGN_CENTER);
  cairo_restore (cr);
}

gboolean
zz_receipt_write_pdf (const ZzReceipt *r,
                      const char      *path,
                      GError         **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, ZZ_RECEIPT_WIDTH_PT, ZZ_RECEIPT_HEIGHT_PT);
  cairo_t *cr;
  cairo_status_t status;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, r->label);
  cr = cairo_create (surface);
  zz_receipt_draw (cr, r, ZZ_RECEIPT_WIDTH_PT, ZZ_RECEIPT_HEIGHT_PT);
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

void
zz_receipt_init_from_ticket (ZzReceipt  *r,
                             ZzRow      *ticket,
                             const char *centre_name,
                             int         waiting_ahead)
{
  r->centre_name = centre_name;
  r->label = zz_row_get (ticket, "label");
  r->window_number = (int) zz_row_get_int (ticket, "window_number");
  r->department = zz_row_get (ticket, "department");
  r->visitor_name = zz_row_get (ticket, "name");
  r->issued_at = zz_row_get_int (ticket, "issued_at");
  r->waiting_ahead = waiting_ahead;
  r->visit_id = zz_row_get (ticket, "visit_id");
}
