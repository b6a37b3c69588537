/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The queue ticket handed to a visitor: what the printer and the PDF show. */
typedef struct {
  const char *centre_name;
  const char *label;        /* "03-012" */
  int         window_number;
  const char *department;
  const char *visitor_name; /* shown as 张** so a dropped slip leaks little */
  gint64      issued_at;    /* Unix ms */
  int         waiting_ahead;
  const char *visit_id;     /* encoded in the QR code */
} ZzReceipt;

/* Receipt size in points: 80 mm thermal paper, 120 mm long. */
#define ZZ_RECEIPT_WIDTH_PT  226.8
#define ZZ_RECEIPT_HEIGHT_PT 340.2

/* Draws the receipt into a @width x @height area at the current origin. */
void     zz_receipt_draw      (cairo_t         *cr,
                               const ZzReceipt *receipt,
                               double           width,
                               double           height);
gboolean zz_receipt_write_pdf (const ZzReceipt *receipt,
                               const char      *path,
                               GError         **error);
char    *zz_receipt_mask_name (const char      *name);

G_END_DECLS

#include "zz-row.h"

G_BEGIN_DECLS
/* Fills @r from a ticket row of zz_store_get_ticket(); strings point into @ticket. */
void     zz_receipt_init_from_ticket (ZzReceipt  *r,
                                      ZzRow      *ticket,
                                      const char *centre_name,
                                      int         waiting_ahead);
G_END_DECLS
