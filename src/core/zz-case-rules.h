/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "zz-reference.h"

G_BEGIN_DECLS

/* The rules of the closed loop of a case and of the three-tier mediation rule (抓三级定三责).
 * GTK-free and SQLite-free: the store enforces them, the views only explain them. */

/* The level that holds a case, lowest first. Stored as the keys of zz_case_levels(). */
typedef enum {
  ZZ_LEVEL_VILLAGE,
  ZZ_LEVEL_TOWNSHIP,
  ZZ_LEVEL_COUNTY,
  ZZ_LEVEL_PREFECTURE,
  ZZ_N_LEVELS
} ZzCaseLevel;

const ZzVocab *zz_case_levels        (guint *n);
const ZzVocab *zz_case_sources       (guint *n);
const ZzVocab *zz_case_categories    (guint *n);
const ZzVocab *zz_case_urgencies     (guint *n);
const ZzVocab *zz_case_risks         (guint *n);
const ZzVocab *zz_case_statuses      (guint *n);
const ZzVocab *zz_mediation_methods  (guint *n);
const ZzVocab *zz_mediation_results  (guint *n);
const ZzVocab *zz_satisfactions      (guint *n);
const ZzVocab *zz_party_roles        (guint *n);

const char    *zz_case_level_to_string   (ZzCaseLevel level);
ZzCaseLevel    zz_case_level_from_string (const char *key);   /* ZZ_N_LEVELS when unknown */
/* The level an org unit of the division tree mediates at (its tree level 2..5). */
ZzCaseLevel    zz_case_level_of_org_unit (int tree_level);

/* ---- the tier rule ---- */
typedef struct {
  int village_max;             /* attempts at the village, default 3 */
  int township_max;            /* attempts at the township, default 2 */
  int county_max;              /* final joint consultations at the county, default 1 */
  int county_min_departments;  /* departments in a county joint consultation, default 2 */
} ZzTierLimits;

#define ZZ_TIER_LIMIT_MAX 20

void        zz_tier_limits_default   (ZzTierLimits       *limits);
/* Limits outside 1..ZZ_TIER_LIMIT_MAX are refused. */
gboolean    zz_tier_limits_valid     (const ZzTierLimits *limits);
/* The most attempts @level allows; 0 for no limit (the prefecture). */
int         zz_tier_max_attempts     (const ZzTierLimits *limits,
                                      ZzCaseLevel         level);

typedef enum {
  ZZ_TIER_ALLOWED,
  ZZ_TIER_LIMIT_REACHED,       /* this level has had its attempts: escalate instead */
  ZZ_TIER_NEEDS_DEPARTMENTS,   /* the county mediates by joint consultation of enough departments */
  ZZ_TIER_BAD_LEVEL,
} ZzTierVerdict;

/* May one more attempt be made at @level, which has had @attempts_so_far original attempts (not
 * counting corrections), with @joint TRUE for a joint consultation of @n_departments? */
ZzTierVerdict zz_tier_check_attempt  (const ZzTierLimits *limits,
                                      ZzCaseLevel         level,
                                      int                 attempts_so_far,
                                      gboolean            joint,
                                      int                 n_departments);
/* The level a case escalates to, or ZZ_N_LEVELS from the prefecture. */
ZzCaseLevel zz_tier_next_level       (ZzCaseLevel         level);
/* How many attempts recorded at @level are over its limit (0 when none): data that offline
 * nodes produced together is kept, and an excess becomes a review item. */
int         zz_tier_excess           (const ZzTierLimits *limits,
                                      ZzCaseLevel         level,
                                      int                 attempts);

/* ---- lifecycle ---- */
typedef enum {
  ZZ_CASE_ACT_DISPATCH,
  ZZ_CASE_ACT_MEDIATE,
  ZZ_CASE_ACT_ESCALATE,
  ZZ_CASE_ACT_SUPERVISE,
  ZZ_CASE_ACT_WHISTLE,
  ZZ_CASE_ACT_CONCLUDE,
  ZZ_CASE_ACT_FEEDBACK,
  ZZ_CASE_ACT_RETURN_VISIT,
  ZZ_CASE_ACT_ARCHIVE,
} ZzCaseAction;

/* Whether a case in @status (a key of zz_case_statuses()) allows @action. */
gboolean    zz_case_status_allows    (const char   *status,
                                      ZzCaseAction  action);
/* Whether @status counts as open (not concluded or archived). */
gboolean    zz_case_status_is_open   (const char   *status);

/* ---- deadlines ---- */
/* Default days to handle a dispatch for a category and urgency (1..365). */
int         zz_deadline_default_days (const char *category,
                                      const char *urgency);
/* The deadline @days calendar days after @start_ms: the end of that local day (Unix ms). */
gint64      zz_deadline_after_days   (gint64      start_ms,
                                      int         days,
                                      GTimeZone  *tz);
/* Whole days past @deadline_ms at @now_ms: 0 when not overdue, 1 on the first day after. */
int         zz_overdue_days          (gint64      deadline_ms,
                                      gint64      now_ms);
typedef enum {
  ZZ_OVERDUE_NONE,
  ZZ_OVERDUE_DUE_SOON,   /* due within a day */
  ZZ_OVERDUE_LATE,       /* 1-3 days over */
  ZZ_OVERDUE_SERIOUS,    /* 4-7 days over */
  ZZ_OVERDUE_GRAVE,      /* more than 7 days over */
} ZzOverdueGrade;
ZzOverdueGrade zz_overdue_grade      (gint64      deadline_ms,
                                      gint64      now_ms);
const char    *zz_overdue_grade_display (ZzOverdueGrade grade);

/* ---- case numbers ---- */
/* A short tag of a node (4 characters of Crockford base-32 from a hash of its id): two nodes of
 * one unit number their cases apart without asking each other. */
char       *zz_case_node_tag         (const char *node_id);
/* "433122-2026-00042-7KQ2": unit code, year, node-local sequence, node tag. Sorts by unit, year
 * and sequence; unique because (unit, year, node, sequence) is. */
char       *zz_case_number_format    (const char *unit_code,
                                      int         year,
                                      gint64      seq,
                                      const char *node_tag);
gboolean    zz_case_number_parse     (const char *number,
                                      char      **unit_code,
                                      int        *year,
                                      gint64     *seq,
                                      char      **node_tag);

G_END_DECLS
