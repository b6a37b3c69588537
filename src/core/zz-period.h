/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A reporting period: a month, a quarter, a year, or a custom run of days. GTK-free and
 * SQLite-free; the statistics, the report command and the dashboard all read periods here. */
typedef enum {
  ZZ_PERIOD_MONTH,
  ZZ_PERIOD_QUARTER,
  ZZ_PERIOD_YEAR,
  ZZ_PERIOD_CUSTOM,
} ZzPeriodKind;

typedef struct {
  ZzPeriodKind kind;
  int          year;        /* MONTH, QUARTER, YEAR */
  int          index;       /* month 1..12 or quarter 1..4; 0 for YEAR and CUSTOM */
  GDate        first;       /* first day, inclusive (set for every kind) */
  GDate        last;        /* last day, inclusive */
} ZzPeriod;

/* "2024", "2024-03", "2024-Q2" (or "2024q2"), "2024-01-01..2024-06-30". Years 2000..2100; a
 * custom period of at most 10 years, first day not after the last. FALSE with a clear message
 * (ZZ_ERROR_INVALID) otherwise. */
gboolean  zz_period_parse       (const char     *text,
                                 ZzPeriod       *period,
                                 GError        **error);
void      zz_period_month       (ZzPeriod       *period,
                                 int             year,
                                 int             month);
void      zz_period_quarter     (ZzPeriod       *period,
                                 int             year,
                                 int             quarter);
void      zz_period_year        (ZzPeriod       *period,
                                 int             year);
gboolean  zz_period_custom      (ZzPeriod       *period,
                                 const GDate    *first,
                                 const GDate    *last,
                                 GError        **error);
/* The period of @kind that holds @day (for CUSTOM: that day alone). */
void      zz_period_containing  (ZzPeriod       *period,
                                 ZzPeriodKind    kind,
                                 const GDate    *day);
/* The period before (@delta -1) or after (+1) of the same kind and length. */
void      zz_period_step        (ZzPeriod       *period,
                                 int             delta);
/* [from, to) in Unix ms: local midnight of the first day to local midnight after the last. */
void      zz_period_bounds      (const ZzPeriod *period,
                                 GTimeZone      *tz,
                                 gint64         *from_ms,
                                 gint64         *to_ms);
/* The text parse reads back: "2024", "2024-03", "2024-Q2", "2024-01-01..2024-06-30". */
char     *zz_period_to_string   (const ZzPeriod *period);
/* For people, translated: "2024年", "2024年3月", "2024年第2季度", "2024-01-01 至 2024-06-30". */
char     *zz_period_display     (const ZzPeriod *period);
/* The months of the monthly trend: the period's own months for a quarter, a year or a custom
 * period of more than one month, else the 12 months ending with the period's month. Fills
 * @first_days (GDate, first day of each month, oldest first) and returns how many. */
guint     zz_period_trend_months (const ZzPeriod *period,
                                  GArray         *first_days);

G_END_DECLS
