/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-case-rules.h"
#include "zz-period.h"
#include "zz-store.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* Statistics of an org unit (with everything below it) over a period, computed from the records
 * (cases, mediation attempts, conclusions, dispatches, return visits, reception visits and
 * tickets, risk households), never typed in. A case belongs to a unit when its home (where the
 * dispute arose) is the unit or below it; org unit codes nest as prefixes (4331 ⊃ 433122 ⊃
 * 433122102 ⊃ 433122102200).
 *
 * Definitions (the dashboard, the report and the tests read the same):
 * - registered: cases whose registered_at falls in the period;
 * - concluded: cases concluded in the period (status concluded or archived, concluded_at in it);
 * - open, overdue: of the cases registered in the period, those still open now, and those of
 *   them past their deadline now;
 * - mediated / mediated_success: cases concluded in the period with at least one mediation
 *   attempt (corrections, which amend another attempt, do not count), and those of them whose
 *   last attempt (by the time it was held) ended in an agreement ("agreement", not "partial"),
 *   its result as corrected when a correction amends it; success rate = mediated_success /
 *   mediated;
 * - resolved by level: cases concluded in the period by the level that resolved them
 *   (resolved_level, the level of the conclusion after the mediation record);
 * - by category, by source: cases registered in the period;
 * - dispatches: to departments, dispatched in the period and not returned; on time when the case
 *   was concluded by the dispatch's deadline, late when concluded after it or still open past
 *   it (a reopened case is open), pending otherwise; on-time rate = on_time / (on_time + late);
 * - return visits in the period by satisfaction; satisfaction rate = (satisfied + basically
 *   satisfied) / all;
 * - reception: visits on days in the period (home within the unit), visitors = sum of people,
 *   per day over the days that had visits; average wait = issued → called of the first ticket
 *   of each visit, over the tickets that were called;
 * - households: as they stand now (not period-bound): listed households by approved grade, and
 *   those past their visit due date;
 * - the monthly trend: registered and concluded per month over zz_period_trend_months(). */

typedef struct {
  char     *unit;                       /* org unit code */
  char     *unit_name;
  int       unit_level;                 /* tree level 1..5 */
  ZzPeriod  period;
  gint64    from_ms, to_ms;             /* the period's bounds, [from, to) */
  gint64    computed_at;                /* zz_store_now() when computed */
  gboolean  quality_withheld;           /* the role may not see the data-quality list's records */

  gint64    registered, concluded, open, overdue;
  gint64    mediated, mediated_success;
  gint64    resolved[ZZ_N_LEVELS];      /* concluded in the period by resolved level */
  gint64    dispatches, dispatches_on_time, dispatches_late;
  gint64    return_visits, satisfied, basically_satisfied, dissatisfied;
  gint64    visits, visitors, visit_days;
  double    average_wait_minutes;       /* NAN when no ticket was called */
  gint64    households, households_high, households_medium, households_low, households_ungraded;
  gint64    households_overdue;

  /* Tables, each with the figures of one chart or list (columns in brackets, keys first):
   * summary      [figure TEXT, count INT, rate PERCENT, measure DECIMAL]: the key figures in
   *              the order the report prints them, each filling the one column of its kind
   *              (cases registered … overdue: count; success, shares, on-time and satisfaction
   *              rates: rate; visitors per day and average wait in minutes: measure)
   * by_level     [level TEXT, cases INT, share PERCENT]                        (stacked bar)
   * by_category  [category TEXT, cases INT, share PERCENT]                     (donut)
   * by_source    [source TEXT, cases INT, share PERCENT]                       (bars)
   * trend        [month TEXT "2024-03", registered INT, concluded INT]         (line)
   *              (months that have not begun at computed_at: empty figures)
   * by_department[department TEXT, dispatched INT, on_time INT, late INT, pending INT,
   *               on_time_rate PERCENT]                                        (bars)
   * satisfaction [satisfaction TEXT, visits INT, share PERCENT]                (bars)
   * reception    [visits INT, visitors INT, days INT, per_day DECIMAL, average_wait DECIMAL]
   * by_grade     [grade TEXT, households INT, overdue INT]                     (bars)
   *              (table key "households"; the member is by_grade because the figure
   *              `households` above already has that name)
   * by_unit      [unit TEXT, code TEXT, registered INT, concluded INT, open INT, overdue INT,
   *               success_rate PERCENT, data_as_of DATETIME, newest_change DATETIME]
   *              one row per unit directly below, linked "unit:<code>" (drill-down), in code
   *              order; then, when cases are homed at the unit itself (not below it), one row
   *              "<name> (itself)" with the unit's own code and no link, so the rows add up to
   *              the unit's figures. data_as_of is when a bundle from the nodes at or below that
   *              unit was last imported here: one carrying their changes, relayed or not, or one
   *              sent by that node itself even with nothing new (NULL: never). A unit with no
   *              node at or below it is as of its nearest node above (this centre: computed_at).
   *              newest_change is the newest change held from those nodes (NULL: none)
   * quality      [problem TEXT, record TEXT, unit TEXT, detail TEXT, at DATETIME], each row
   *              linked "case:<id>" or "household:<id>", record = the case number or the head
   *              of the household, at most ZZ_STATS_QUALITY_LIMIT / 4 rows of each kind:
   *              - cases concluded in the period at the village after more original attempts
   *                there than the village limit (at = concluded_at)
   *              - cases concluded in the period, more than ZZ_STATS_RETURN_VISIT_DAYS ago, not
   *                archived, with no return visit since the conclusion (at = concluded_at)
   *              - dispatches of the period past their deadline, case still open, with no
   *                supervision note on the case since the deadline (at = the deadline)
   *              - households past their visit due date with no visit since (now; at = the
   *                due day)
   * Text cells hold translated labels (category names as renamed). */
  /* by_category lists every category in use (retired ones only when they have cases), then
   * unknown keys; by_source every source; by_level every level; satisfaction every answer;
   * by_department the departments with dispatches in the period, most first;
   * by_grade high, medium, low, ungraded (listed households only). */
  ZzTable  *summary, *by_level, *by_category, *by_source, *trend, *by_department,
           *satisfaction, *reception, *by_grade, *by_unit, *quality;
} ZzStats;

#define ZZ_STATS_RETURN_VISIT_DAYS 7
#define ZZ_STATS_QUALITY_LIMIT 500

/* Needs ZZ_PERM_VIEW_STATS; @unit must be the node's own unit or below it ("This unit is outside
 * your jurisdiction.", ZZ_ERROR_PERMISSION, otherwise; a code below it that is not an org unit:
 * ZZ_ERROR_NOT_FOUND); NULL is the node's own unit. Each pass's time goes to the debug log
 * (G_MESSAGES_DEBUG=zz-stats). The quality list is filled only for roles that may open the
 * records (ZZ_PERM_VIEW_STATS_RECORDS); for others it has its columns and no rows. */
ZzStats   *zz_store_compute_stats      (ZzStore        *self,
                                        const char     *unit,
                                        const ZzPeriod *period,
                                        GError        **error);
void       zz_stats_free               (ZzStats        *stats);
/* The tables in the order the dashboard and the report show them. */
GPtrArray *zz_stats_tables             (ZzStats        *stats);   /* ZzTable *, not owned */

/* The path from the node's own unit down to @unit: code and name per step, for the
 * drill-down's way back. */
GListModel *zz_store_stats_breadcrumb  (ZzStore        *self,
                                        const char     *unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzStats, zz_stats_free)

G_END_DECLS
