/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"
#include "zz-chart-view.h"
#include "zz-stats.h"

G_BEGIN_DECLS

/* The statistics page: the figures of an org unit (drill-down from this centre's own unit) over
 * a period, as key figures, charts with their tables, the units below with how fresh their data
 * is, and the data-quality list; exports and the monthly report. */
#define ZZ_TYPE_STATS_VIEW (zz_stats_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzStatsView, zz_stats_view, ZZ, STATS_VIEW, AdwBin)

void            zz_stats_view_setup        (ZzStatsView    *self,
                                            ZzApplication  *app);
/* Shows @unit (this centre's own unit or one below it); the figures follow in the background. */
void            zz_stats_view_set_unit     (ZzStatsView    *self,
                                            const char     *unit);
const char     *zz_stats_view_get_unit     (ZzStatsView    *self);
void            zz_stats_view_set_period   (ZzStatsView    *self,
                                            const ZzPeriod *period);
const ZzPeriod *zz_stats_view_get_period   (ZzStatsView    *self);
/* Recomputes the figures (in a worker thread). */
void            zz_stats_view_refresh      (ZzStatsView    *self);
/* TRUE while figures are being computed. */
gboolean        zz_stats_view_is_busy      (ZzStatsView    *self);
/* The figures shown, or NULL before the first are ready. */
ZzStats        *zz_stats_view_get_stats    (ZzStatsView    *self);
/* The chart of the table with @key ("by_level", "trend", …), or NULL. */
ZzChartView    *zz_stats_view_get_chart    (ZzStatsView    *self,
                                            const char     *key);
/* Opens a record of the data-quality list ("case:<id>", "household:<id>"). */
void            zz_stats_view_open_link    (ZzStatsView    *self,
                                            const char     *link);
/* Writes every table shown to @path (.xlsx or .csv by its extension): what the Export menu does
 * after the file chooser. */
gboolean        zz_stats_view_export       (ZzStatsView    *self,
                                            const char     *path,
                                            GError        **error);

/* Writes the report of the figures shown to @path as PDF (the "Monthly Report" menu item after
 * its file chooser). */
gboolean        zz_stats_view_save_report  (ZzStatsView    *self,
                                            const char     *path,
                                            GError        **error);
/* Prints the report (Ctrl+P); with @export_path, writes what would be printed to that PDF
 * without a dialog. */
gboolean        zz_stats_view_print_report (ZzStatsView    *self,
                                            const char     *export_path,
                                            GError        **error);

G_END_DECLS
