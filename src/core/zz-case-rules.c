/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-case-rules"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "zz-case-rules.h"

static const ZzVocab levels[] = {
  [ZZ_LEVEL_VILLAGE] = { "village", N_("Village") },
  [ZZ_LEVEL_TOWNSHIP] = { "township", N_("Township") },
  [ZZ_LEVEL_COUNTY] = { "county", N_("County") },
  [ZZ_LEVEL_PREFECTURE] = { "prefecture", N_("Prefecture") },
};

static const ZzVocab sources[] = {
  { "walk_in", N_("Walk-in visit") },
  { "phone", N_("Phone") },
  { "hotline", N_("12345 hotline") },
  { "police", N_("Police command centre") },
  { "grid", N_("Grid worker") },
  { "referral", N_("Referral from another level") },
};

static const ZzVocab categories[] = {
  { "family", N_("Marriage and family") },
  { "neighbours", N_("Neighbours") },
  { "land_forest", N_("Land and forest") },
  { "labour", N_("Labour and wages") },
  { "debt", N_("Contracts and debts") },
  { "damages", N_("Damages") },
  { "demolition", N_("Land acquisition and demolition") },
  { "medical", N_("Medical") },
  { "other", N_("Other") },
};

static const ZzVocab urgencies[] = {
  { "normal", N_("Normal") },
  { "urgent", N_("Urgent") },
  { "critical", N_("Critical") },
};

static const ZzVocab risks[] = {
  { "low", N_("Low risk") },
  { "medium", N_("Medium risk") },
  { "high", N_("High risk") },
};

static const ZzVocab statuses[] = {
  { "registered", N_("Registered") },
  { "dispatched", N_("Dispatched") },
  { "in_progress", N_("In progress") },
  { "reopened", N_("Reopened for review") },
  { "concluded", N_("Concluded") },
  { "archived", N_("Archived") },
};

static const ZzVocab methods[] = {
  { "on_site", N_("On-site mediation") },
  { "joint", N_("Joint consultation of departments") },
  { "back_to_back", N_("Separate talks") },
  { "phone", N_("By phone") },
};

static const ZzVocab results[] = {
  { "agreement", N_("Agreement") },
  { "partial", N_("Partial agreement") },
  { "failed", N_("Failed") },
};

static const ZzVocab satisfactions[] = {
  { "satisfied", N_("Satisfied") },
  { "basic", N_("Basically satisfied") },
  { "dissatisfied", N_("Dissatisfied") },
};

static const ZzVocab party_roles[] = {
  { "applicant", N_("Applicant") },
  { "respondent", N_("Respondent") },
};

#define RET(arr) G_STMT_START { if (n) *n = G_N_ELEMENTS (arr); return arr; } G_STMT_END

const ZzVocab *zz_case_levels (guint *n) { RET (levels); }
const ZzVocab *zz_case_sources (guint *n) { RET (sources); }
const ZzVocab *zz_case_categories (guint *n) { RET (categories); }
const ZzVocab *zz_case_urgencies (guint *n) { RET (urgencies); }
const ZzVocab *zz_case_risks (guint *n) { RET (risks); }
const ZzVocab *zz_case_statuses (guint *n) { RET (statuses); }
const ZzVocab *zz_mediation_methods (guint *n) { RET (methods); }
const ZzVocab *zz_mediation_results (guint *n) { RET (results); }
const ZzVocab *zz_satisfactions (guint *n) { RET (satisfactions); }
const ZzVocab *zz_party_roles (guint *n) { RET (party_roles); }

const char *
zz_case_level_to_string (ZzCaseLevel level)
{
  g_return_val_if_fail (level < ZZ_N_LEVELS, NULL);
  return levels[level].key;
}

ZzCaseLevel
zz_case_level_from_string (const char *key)
{
  for (guint i = 0; i < ZZ_N_LEVELS; i++)
    if (g_strcmp0 (key, levels[i].key) == 0)
      return i;
  return ZZ_N_LEVELS;
}

ZzCaseLevel
zz_case_level_of_org_unit (int tree_level)
{
  /* Division tree: 1 province, 2 prefecture, 3 county, 4 township, 5 village. */
  switch (tree_level)
    {
    case 5: return ZZ_LEVEL_VILLAGE;
    case 4: return ZZ_LEVEL_TOWNSHIP;
    case 3: return ZZ_LEVEL_COUNTY;
    default: return ZZ_LEVEL_PREFECTURE;
    }
}

/* ---- the tier rule ---- */

void
zz_tier_limits_default (ZzTierLimits *limits)
{
  limits->village_max = 3;
  limits->township_max = 2;
  limits->county_max = 1;
  limits->county_min_departments = 2;
}

gboolean
zz_tier_limits_valid (const ZzTierLimits *l)
{
  return l->village_max >= 1 && l->village_max <= ZZ_TIER_LIMIT_MAX
      && l->township_max >= 1 && l->township_max <= ZZ_TIER_LIMIT_MAX
      && l->county_max >= 1 && l->county_max <= ZZ_TIER_LIMIT_MAX
      && l->county_min_departments >= 1 && l->county_min_departments <= ZZ_TIER_LIMIT_MAX;
}

int
zz_tier_max_attempts (const ZzTierLimits *l, ZzCaseLevel level)
{
  switch (level)
    {
    case ZZ_LEVEL_VILLAGE: return l->village_max;
    case ZZ_LEVEL_TOWNSHIP: return l->township_max;
    case ZZ_LEVEL_COUNTY: return l->county_max;
    case ZZ_LEVEL_PREFECTURE:
    case ZZ_N_LEVELS:
    default:
      return 0;
    }
}

ZzTierVerdict
zz_tier_check_attempt (const ZzTierLimits *l,
                       ZzCaseLevel         level,
                       int                 attempts_so_far,
                       gboolean            joint,
                       int                 n_departments)
{
  int max;

  if (level >= ZZ_N_LEVELS || attempts_so_far < 0)
    return ZZ_TIER_BAD_LEVEL;
  max = zz_tier_max_attempts (l, level);
  if (max > 0 && attempts_so_far >= max)
    return ZZ_TIER_LIMIT_REACHED;
  if (level == ZZ_LEVEL_COUNTY && (!joint || n_departments < l->county_min_departments))
    return ZZ_TIER_NEEDS_DEPARTMENTS;
  return ZZ_TIER_ALLOWED;
}

ZzCaseLevel
zz_tier_next_level (ZzCaseLevel level)
{
  if (level >= ZZ_LEVEL_PREFECTURE)
    return ZZ_N_LEVELS;
  return level + 1;
}

int
zz_tier_excess (const ZzTierLimits *l, ZzCaseLevel level, int attempts)
{
  int max = zz_tier_max_attempts (l, level);

  if (max <= 0 || attempts <= max)
    return 0;
  return attempts - max;
}

/* ---- lifecycle ---- */

gboolean
zz_case_status_is_open (const char *status)
{
  return g_strcmp0 (status, "registered") == 0 || g_strcmp0 (status, "dispatched") == 0
      || g_strcmp0 (status, "in_progress") == 0 || g_strcmp0 (status, "reopened") == 0;
}

gboolean
zz_case_status_allows (const char *status, ZzCaseAction action)
{
  gboolean open = zz_case_status_is_open (status);
  gboolean concluded = g_strcmp0 (status, "concluded") == 0;

  switch (action)
    {
    case ZZ_CASE_ACT_DISPATCH:
    case ZZ_CASE_ACT_MEDIATE:
    case ZZ_CASE_ACT_ESCALATE:
    case ZZ_CASE_ACT_WHISTLE:
    case ZZ_CASE_ACT_CONCLUDE:
      return open;
    case ZZ_CASE_ACT_SUPERVISE:
      return open || concluded;
    case ZZ_CASE_ACT_FEEDBACK:
    case ZZ_CASE_ACT_RETURN_VISIT:
    case ZZ_CASE_ACT_ARCHIVE:
      return concluded;
    default:
      return FALSE;
    }
}

/* ---- deadlines ---- */

int
zz_deadline_default_days (const char *category, const char *urgency)
{
  int days = 15;

  /* Labour, wages and demolition touch livelihoods and flare up: handled faster. Land and
   * forest disputes need surveys. A county practice is seven days to conclude. */
  if (g_strcmp0 (category, "labour") == 0 || g_strcmp0 (category, "demolition") == 0)
    days = 7;
  else if (g_strcmp0 (category, "land_forest") == 0 || g_strcmp0 (category, "medical") == 0)
    days = 30;
  else if (g_strcmp0 (category, "family") == 0 || g_strcmp0 (category, "neighbours") == 0)
    days = 10;
  if (g_strcmp0 (urgency, "urgent") == 0)
    days = MAX (1, days / 3);
  else if (g_strcmp0 (urgency, "critical") == 0)
    days = 1;
  return days;
}

gint64
zz_deadline_after_days (gint64 start_ms, int days, GTimeZone *tz)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (start_ms / 1000);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) end = NULL;

  local = g_date_time_to_timezone (start, tz);
  end = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 23, 59, 59.0);
  {
    g_autoptr(GDateTime) moved = g_date_time_add_days (end, days);
    return g_date_time_to_unix (moved) * 1000 + 999;
  }
}

#define DAY_MS G_GINT64_CONSTANT (86400000)

int
zz_overdue_days (gint64 deadline_ms, gint64 now_ms)
{
  if (deadline_ms <= 0 || now_ms <= deadline_ms)
    return 0;
  return (int) ((now_ms - deadline_ms - 1) / DAY_MS) + 1;
}

ZzOverdueGrade
zz_overdue_grade (gint64 deadline_ms, gint64 now_ms)
{
  int days;

  if (deadline_ms <= 0)
    return ZZ_OVERDUE_NONE;
  days = zz_overdue_days (deadline_ms, now_ms);
  if (days == 0)
    return deadline_ms - now_ms < DAY_MS ? ZZ_OVERDUE_DUE_SOON : ZZ_OVERDUE_NONE;
  if (days <= 3)
    return ZZ_OVERDUE_LATE;
  if (days <= 7)
    return ZZ_OVERDUE_SERIOUS;
  return ZZ_OVERDUE_GRAVE;
}

const char *
zz_overdue_grade_display (ZzOverdueGrade grade)
{
  switch (grade)
    {
    case ZZ_OVERDUE_DUE_SOON: return _("Due within a day");
    case ZZ_OVERDUE_LATE: return _("Overdue");
    case ZZ_OVERDUE_SERIOUS: return _("Seriously overdue");
    case ZZ_OVERDUE_GRAVE: return _("Gravely overdue");
    case ZZ_OVERDUE_NONE:
    default:
      return "";
    }
}

/* ---- case numbers ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

char *
zz_case_node_tag (const char *node_id)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint32 bits;
  char tag[5];

  g_return_val_if_fail (node_id != NULL, NULL);
  g_checksum_update (sum, (const guchar *) node_id, -1);
  g_checksum_get_digest (sum, digest, &len);
  bits = ((guint32) digest[0] << 12) | ((guint32) digest[1] << 4) | (digest[2] >> 4);
  for (int i = 3; i >= 0; i--)
    {
      tag[i] = crockford[bits & 31];
      bits >>= 5;
    }
  tag[4] = '\0';
  return g_strdup (tag);
}

char *
zz_case_number_format (const char *unit_code, int year, gint64 seq, const char *node_tag)
{
  g_return_val_if_fail (unit_code && node_tag && seq > 0, NULL);
  /* Five digits keep numbers sorting as text up to 99,999 cases per node and year (a busy
   * county centre registers a few thousand); beyond that the field widens. */
  return g_strdup_printf ("%s-%04d-%05" G_GINT64_FORMAT "-%s", unit_code, year, seq, node_tag);
}

gboolean
zz_case_number_parse (const char *number, char **unit_code, int *year, gint64 *seq, char **node_tag)
{
  g_auto(GStrv) parts = NULL;
  char *end;
  gint64 y, s;

  if (!number)
    return FALSE;
  parts = g_strsplit (number, "-", -1);
  if (g_strv_length (parts) != 4 || *parts[0] == '\0' || strlen (parts[3]) != 4)
    return FALSE;
  for (const char *p = parts[0]; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  for (const char *p = parts[3]; *p; p++)
    if (!strchr (crockford, *p))
      return FALSE;
  y = g_ascii_strtoll (parts[1], &end, 10);
  if (*end || strlen (parts[1]) != 4 || y < 1900)
    return FALSE;
  s = g_ascii_strtoll (parts[2], &end, 10);
  if (*end || s <= 0 || strlen (parts[2]) < 5)
    return FALSE;
  if (unit_code)
    *unit_code = g_strdup (parts[0]);
  if (year)
    *year = (int) y;
  if (seq)
    *seq = s;
  if (node_tag)
    *node_tag = g_strdup (parts[3]);
  return TRUE;
}
