/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "zz-store.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* The day's visitor register (来访登记簿) of the reception desk, GTK-free: a table of the visits
 * of @day ("YYYY-MM-DD") in the order of arrival, written as .xlsx or .pdf, or drawn page by
 * page for a print dialog (A4 landscape). */
#define ZZ_REGISTER_PAGE_W 841.89   /* A4 landscape, in points */
#define ZZ_REGISTER_PAGE_H 595.28

ZzTable  *zz_register_table      (ZzStore     *store,
                                  const char  *day);
/* "来访登记簿 2026-12-03" */
char     *zz_register_title      (ZzStore     *store,
                                  const char  *day);
/* By the extension of @path: .xlsx or .pdf; ZZ_ERROR_INVALID for any other. No partial file on
 * failure. */
gboolean  zz_register_write      (ZzStore     *store,
                                  const char  *day,
                                  const char  *path,
                                  GError     **error);
guint     zz_register_n_pages    (const ZzTable *table,
                                  const char    *title,
                                  double         width,
                                  double         height);
void      zz_register_draw_page  (const ZzTable *table,
                                  const char    *title,
                                  cairo_t       *cr,
                                  guint          page,
                                  double         width,
                                  double         height);

G_END_DECLS
