/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "zz-stats.h"

G_BEGIN_DECLS

/* The statistics report (monthly, quarterly, yearly: whatever the period) of an org unit, drawn
 * with cairo and pango by one drawing for the PDF and for GtkPrintOperation: the title (the
 * unit's name), scope, period and when it was generated; the key figures; the charts (level
 * split, monthly trend, categories, sources, departments' on-time rate); the tables (units
 * below with their "data as of", departments, return-visit satisfaction, risk households,
 * reception); the number of data-quality items; "page 1 of 3" on every page. A table longer
 * than a page goes on over the next with its header repeated; a chart is never split.
 * Sizes are in points; the layout depends only on @width and @height. */

#define ZZ_STATS_REPORT_PAGE_W 595.28   /* A4, in points */
#define ZZ_STATS_REPORT_PAGE_H 841.89

/* The report's title: "泸溪县综治工作统计报告". */
char    *zz_stats_report_title       (const ZzStats  *stats);
guint    zz_stats_report_n_pages     (const ZzStats  *stats,
                                      double          width,
                                      double          height);
/* Draws page @page (from 0) of @width x @height points on @cr (white paper assumed). */
void     zz_stats_report_draw_page   (const ZzStats  *stats,
                                      cairo_t        *cr,
                                      guint           page,
                                      double          width,
                                      double          height);
/* An A4 PDF at @path, written beside it and renamed when complete (no partial file). */
gboolean zz_stats_report_write_pdf   (const ZzStats  *stats,
                                      const char     *path,
                                      GError        **error);

G_END_DECLS
