/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-stats"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-error.h"
#include "zz-households-private.h"
#include "zz-risk.h"
#include "zz-row.h"
#include "zz-stats.h"
#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-time.h"

/* The statistics are counted in C over one pass per table: each query walks one covering index
 * over the period's range (see the statistics migration) and its rows are tallied here, by the
 * unit directly below the scope that holds them. */

#define MS_PER_DAY (G_GINT64_CONSTANT (24) * 3600 * 1000)

typedef struct {
  char  *code;
  char  *name;
  gint64 registered, concluded, open, overdue, mediated, success;
} Child;

static void
child_free (gpointer p)
{
  Child *c = p;

  g_free (c->code);
  g_free (c->name);
  g_free (c);
}

typedef struct {
  char  *id;
  char  *name;
  gint64 dispatched, on_time, late, pending;
} Department;

static void
department_free (gpointer p)
{
  Department *d = p;

  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

typedef struct {
  ZzStore    *store;
  ZzStats    *stats;
  const char *unit;
  char       *unit_hi;             /* the unit's code followed by ':', above every code below it */
  gint64      now;
  gboolean    quality;             /* fill the quality list */
  guint       quality_cap;         /* rows per kind */

  GPtrArray  *children;            /* Child *, in code order */
  GHashTable *child_by_code;       /* code -> Child * */
  GArray     *child_lengths;       /* guint, distinct code lengths of the children */
  Child      *itself;              /* cases whose home is the unit itself (or a code not below a child) */

  GArray     *month_starts;        /* gint64 ms, one past the last: the trend's months */
  gint64     *trend_registered;
  gint64     *trend_concluded;

  GHashTable *category_counts;     /* key -> gint64 * */
  GHashTable *source_counts;
  GHashTable *departments;         /* id -> Department * */
  gint64      households_overdue[ZZ_GRADE_HIGH + 1];
} Ctx;

/* ---- small helpers ---- */

static Child *
child_of (Ctx *ctx, const char *home)
{
  char buf[64];
  gsize len = strlen (home);

  for (guint i = 0; i < ctx->child_lengths->len; i++)
    {
      guint l = g_array_index (ctx->child_lengths, guint, i);
      Child *c;

      if (l > len || l >= sizeof buf)
        continue;
      memcpy (buf, home, l);
      buf[l] = '\0';
      if ((c = g_hash_table_lookup (ctx->child_by_code, buf)))
        return c;
    }
  return ctx->itself;
}

static void
tally (GHashTable *counts, const char *key)
{
  gint64 *n = g_hash_table_lookup (counts, key ? key : "");

  if (!n)
    {
      n = g_new0 (gint64, 1);
      g_hash_table_insert (counts, g_strdup (key ? key : ""), n);
    }
  (*n)++;
}

static gint64
tally_get (GHashTable *counts, const char *key)
{
  gint64 *n = g_hash_table_lookup (counts, key);

  return n ? *n : 0;
}

/* The trend month holding @ms, or -1. */
static int
month_of (Ctx *ctx, gint64 ms)
{
  GArray *a = ctx->month_starts;
  int lo = 0, hi = (int) a->len - 1;   /* starts[hi] is the end */

  if (ms < g_array_index (a, gint64, 0) || ms >= g_array_index (a, gint64, hi))
    return -1;
  while (hi - lo > 1)
    {
      int mid = (lo + hi) / 2;

      if (ms < g_array_index (a, gint64, mid))
        hi = mid;
      else
        lo = mid;
    }
  return lo;
}

static double
ratio (gint64 a, gint64 b)
{
  return b > 0 ? (double) a / (double) b : NAN;
}

static gboolean
open_status (const char *s)
{
  return s && zz_case_status_is_open (s);
}

static gboolean
concluded_status (const char *s)
{
  return g_strcmp0 (s, "concluded") == 0 || g_strcmp0 (s, "archived") == 0;
}

static void
bind_scope (Ctx *ctx, sqlite3_stmt *stmt, int from_index, gint64 from, gint64 to)
{
  sqlite3_bind_int64 (stmt, from_index, from);
  sqlite3_bind_int64 (stmt, from_index + 1, to);
  sqlite3_bind_text (stmt, from_index + 2, ctx->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, from_index + 3, ctx->unit_hi, -1, SQLITE_STATIC);
}

static gboolean
step_error (Ctx *ctx, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return zz_store_db_error (ctx->store, error);
}

static const char *
col_text (sqlite3_stmt *stmt, int i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

static char *
unit_name (ZzStore *store, const char *code)
{
  g_autoptr(ZzRow) row = zz_store_get_org_unit (store, code);

  return g_strdup (row ? zz_row_get (row, "name") : code);
}

static char *
case_number (ZzStore *store, const char *case_id)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT number FROM case_file WHERE id = ?", NULL);
  char *number = NULL;

  if (!stmt)
    return g_strdup (case_id);
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = g_strdup (col_text (stmt, 0));
  sqlite3_reset (stmt);
  return number ? number : g_strdup (case_id);
}

static gint64
day_ms (const char *day)
{
  GDate d;
  g_autoptr(GDateTime) dt = NULL;

  if (!day || !zz_day_parse (day, &d))
    return 0;
  dt = g_date_time_new (zz_local_zone (), g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                        0, 0, 0);
  return g_date_time_to_unix (dt) * 1000;
}

static void
quality_row (Ctx *ctx, const char *problem, const char *record, const char *home, const char *detail,
             gint64 at, const char *link)
{
  ZzTable *t = ctx->stats->quality;
  g_autofree char *where = unit_name (ctx->store, home);
  guint r = zz_table_add_row (t);

  zz_table_set_text (t, r, 0, problem);
  zz_table_set_text (t, r, 1, record);
  zz_table_set_text (t, r, 2, where);
  zz_table_set_text (t, r, 3, detail);
  if (at)
    zz_table_set_int (t, r, 4, at);
  zz_table_set_link (t, r, link);
}

static void
quality_case (Ctx *ctx, const char *problem, const char *case_id, const char *home, const char *detail, gint64 at)
{
  g_autofree char *number = case_number (ctx->store, case_id);
  g_autofree char *link = g_strconcat ("case:", case_id, NULL);

  quality_row (ctx, problem, number, home, detail, at, link);
}

/* ---- the passes ---- */

/* Cases registered in the trend's months: the period's figures, categories and sources, and the
 * trend's registered line. */
static gboolean
pass_registered (Ctx *ctx, gint64 trend_from, gint64 trend_to, GError **error)
{
  ZzStats *s = ctx->stats;
  sqlite3_stmt *stmt = zz_store_stmt (ctx->store,
                                      "SELECT registered_at, home, category, source, status, deadline_at"
                                      " FROM case_file INDEXED BY stats_case_registered"
                                      " WHERE deleted = 0 AND registered_at >= ?1 AND registered_at < ?2"
                                      " AND home >= ?3 AND home < ?4", error);
  int rc;

  if (!stmt)
    return FALSE;
  bind_scope (ctx, stmt, 1, trend_from, trend_to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 0);
      int m = month_of (ctx, at);
      Child *c;

      if (m >= 0)
        ctx->trend_registered[m]++;
      if (at < s->from_ms || at >= s->to_ms)
        continue;
      c = child_of (ctx, col_text (stmt, 1));
      s->registered++;
      c->registered++;
      tally (ctx->category_counts, col_text (stmt, 2));
      tally (ctx->source_counts, col_text (stmt, 3));
      if (open_status (col_text (stmt, 4)))
        {
          s->open++;
          c->open++;
          if (sqlite3_column_type (stmt, 5) != SQLITE_NULL && sqlite3_column_int64 (stmt, 5) < ctx->now)
            {
              s->overdue++;
              c->overdue++;
            }
        }
    }
  return step_error (ctx, stmt, rc, error);
}

/* A row that may go on the quality list: its fact row (case_fact or dispatch_fact), looked up
 * for the few rows listed. */
typedef struct {
  gint64 fact;
  gint64 at;
  int    attempts;
} Candidate;

/* The case id and home of a fact row. */
static gboolean
fact_case (Ctx *ctx, const char *table, gint64 fact, char **case_id, char **home)
{
  g_autofree char *sql = g_strdup_printf ("SELECT case_id, home FROM %s WHERE id = ?", table);
  sqlite3_stmt *stmt = zz_store_stmt (ctx->store, sql, NULL);
  gboolean found = FALSE;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fact);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *case_id = g_strdup (col_text (stmt, 0));
      *home = g_strdup (col_text (stmt, 1));
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* Cases concluded in the trend's months: concluded, mediated, success, levels; the trend's
 * concluded line; and the candidates of two kinds of the quality list. */
static gboolean
pass_concluded (Ctx *ctx, gint64 trend_from, gint64 trend_to, GError **error)
{
  ZzStats *s = ctx->stats;
  ZzTierLimits limits;
  g_autoptr(GArray) village = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(GArray) unvisited = g_array_new (FALSE, TRUE, sizeof (Candidate));
  gint64 visit_due = ctx->now - ZZ_STATS_RETURN_VISIT_DAYS * MS_PER_DAY;
  sqlite3_stmt *stmt;
  int rc;

  zz_store_get_tier_limits (ctx->store, &limits);
  stmt = zz_store_stmt (ctx->store,
                        "SELECT concluded_at, home, status, resolved_level, id, attempts, village_attempts,"
                        " last_result FROM case_fact INDEXED BY case_fact_concluded"
                        " WHERE deleted = 0 AND concluded_at IS NOT NULL"
                        " AND concluded_at >= ?1 AND concluded_at < ?2 AND home >= ?3 AND home < ?4"
                        " AND status IN ('concluded', 'archived')", error);
  if (!stmt)
    return FALSE;
  bind_scope (ctx, stmt, 1, trend_from, trend_to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 0);
      const char *home = col_text (stmt, 1);
      const char *level_key = col_text (stmt, 3);
      ZzCaseLevel level;
      int m = month_of (ctx, at);
      Child *c;

      if (m >= 0)
        ctx->trend_concluded[m]++;
      if (at < s->from_ms || at >= s->to_ms)
        continue;
      c = child_of (ctx, home);
      s->concluded++;
      c->concluded++;
      level = zz_case_level_from_string (level_key);
      if (level < ZZ_N_LEVELS)
        s->resolved[level]++;
      if (sqlite3_column_int64 (stmt, 5) > 0)
        {
          s->mediated++;
          c->mediated++;
          if (g_strcmp0 (col_text (stmt, 7), "agreement") == 0)
            {
              s->mediated_success++;
              c->success++;
            }
        }
      if (!ctx->quality)
        continue;
      if (level == ZZ_LEVEL_VILLAGE && sqlite3_column_int64 (stmt, 6) > limits.village_max
          && village->len < ctx->quality_cap)
        {
          Candidate k = { sqlite3_column_int64 (stmt, 4), at, (int) sqlite3_column_int64 (stmt, 6) };
          g_array_append_val (village, k);
        }
      /* An archived case has had its return visit (archiving requires one). */
      if (g_strcmp0 (col_text (stmt, 2), "concluded") == 0 && at < visit_due)
        {
          Candidate k = { sqlite3_column_int64 (stmt, 4), at, 0 };
          g_array_append_val (unvisited, k);
        }
    }
  if (!step_error (ctx, stmt, rc, error))
    return FALSE;
  if (!ctx->quality)
    return TRUE;

  for (guint i = 0; i < village->len; i++)
    {
      Candidate *k = &g_array_index (village, Candidate, i);
      g_autofree char *case_id = NULL, *home = NULL;
      g_autofree char *detail = g_strdup_printf (ngettext ("Mediated %d time at the village (the limit is %d)",
                                                           "Mediated %d times at the village (the limit is %d)",
                                                           k->attempts),
                                                 k->attempts, limits.village_max);

      if (fact_case (ctx, "case_fact", k->fact, &case_id, &home))
        quality_case (ctx, _("Concluded at the village after more attempts than allowed"), case_id, home, detail,
                      k->at);
    }
  stmt = zz_store_stmt (ctx->store, "SELECT 1 FROM return_visit INDEXED BY stats_return_visit_case"
                                    " WHERE deleted = 0 AND case_id = ? AND at >= ? LIMIT 1", error);
  if (!stmt)
    return FALSE;
  for (guint i = 0, found = 0; i < unvisited->len && found < ctx->quality_cap; i++)
    {
      Candidate *k = &g_array_index (unvisited, Candidate, i);
      gboolean visited;
      g_autofree char *case_id = NULL, *home = NULL;
      g_autofree char *day = NULL;
      g_autofree char *detail = NULL;

      if (!fact_case (ctx, "case_fact", k->fact, &case_id, &home))
        continue;
      sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, k->at);
      visited = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (visited)
        continue;
      found++;
      day = zz_store_day_of (k->at);
      detail = g_strdup_printf (_("Concluded on %s; no return visit after %d days"), day,
                                (int) ((ctx->now - k->at) / MS_PER_DAY));
      quality_case (ctx, _("Concluded with no return visit"), case_id, home, detail, k->at);
    }
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

/* Dispatches to departments made in the period and not returned. */
static gboolean
pass_dispatches (Ctx *ctx, GError **error)
{
  ZzStats *s = ctx->stats;
  g_autoptr(GArray) late_open = g_array_new (FALSE, TRUE, sizeof (Candidate));
  sqlite3_stmt *stmt;
  int rc;

  stmt = zz_store_stmt (ctx->store,
                        "SELECT department_id, deadline_at, case_status, case_concluded_at, id"
                        " FROM dispatch_fact INDEXED BY dispatch_fact_period"
                        " WHERE deleted = 0 AND dispatched_at >= ?1 AND dispatched_at < ?2"
                        " AND home >= ?3 AND home < ?4"
                        " AND department_id IS NOT NULL AND status != 'returned'", error);
  if (!stmt)
    return FALSE;
  bind_scope (ctx, stmt, 1, s->from_ms, s->to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *dep_id = col_text (stmt, 0);
      gint64 deadline = sqlite3_column_int64 (stmt, 1);
      Department *d = g_hash_table_lookup (ctx->departments, dep_id);

      if (!d)
        {
          d = g_new0 (Department, 1);
          d->id = g_strdup (dep_id);
          g_hash_table_insert (ctx->departments, d->id, d);
        }
      s->dispatches++;
      d->dispatched++;
      if (concluded_status (col_text (stmt, 2)))
        {
          if (sqlite3_column_int64 (stmt, 3) <= deadline)
            {
              d->on_time++;
              s->dispatches_on_time++;
            }
          else
            {
              d->late++;
              s->dispatches_late++;
            }
        }
      else if (ctx->now > deadline)
        {
          d->late++;
          s->dispatches_late++;
          if (ctx->quality)
            {
              Candidate k = { sqlite3_column_int64 (stmt, 4), deadline, 0 };
              g_array_append_val (late_open, k);
            }
        }
      else
        d->pending++;
    }
  if (!step_error (ctx, stmt, rc, error))
    return FALSE;
  if (!ctx->quality)
    return TRUE;

  /* past the deadline with no supervision note written since it passed */
  stmt = zz_store_stmt (ctx->store, "SELECT 1 FROM supervision_note INDEXED BY stats_supervision_case"
                                    " WHERE deleted = 0 AND case_id = ? AND at >= ? LIMIT 1", error);
  if (!stmt)
    return FALSE;
  for (guint i = 0, found = 0; i < late_open->len && found < ctx->quality_cap; i++)
    {
      Candidate *k = &g_array_index (late_open, Candidate, i);
      gboolean noted;
      g_autofree char *case_id = NULL, *home = NULL;
      g_autofree char *day = NULL;
      g_autofree char *detail = NULL;
      int days;

      if (!fact_case (ctx, "dispatch_fact", k->fact, &case_id, &home))
        continue;
      sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, k->at);
      noted = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (noted)
        continue;
      found++;
      day = zz_store_day_of (k->at);
      days = zz_overdue_days (k->at, ctx->now);
      detail = g_strdup_printf (ngettext ("Deadline %s, %d day over", "Deadline %s, %d days over", days), day, days);
      quality_case (ctx, _("Dispatch past its deadline with no supervision note"), case_id, home, detail, k->at);
    }
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static gboolean
pass_return_visits (Ctx *ctx, GError **error)
{
  ZzStats *s = ctx->stats;
  sqlite3_stmt *stmt = zz_store_stmt (ctx->store,
                                      "SELECT satisfaction FROM return_visit INDEXED BY stats_return_visit"
                                      " WHERE deleted = 0 AND at >= ?1 AND at < ?2 AND home >= ?3 AND home < ?4",
                                      error);
  int rc;

  if (!stmt)
    return FALSE;
  bind_scope (ctx, stmt, 1, s->from_ms, s->to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *k = col_text (stmt, 0);

      s->return_visits++;
      if (g_strcmp0 (k, "satisfied") == 0)
        s->satisfied++;
      else if (g_strcmp0 (k, "basic") == 0)
        s->basically_satisfied++;
      else if (g_strcmp0 (k, "dissatisfied") == 0)
        s->dissatisfied++;
    }
  return step_error (ctx, stmt, rc, error);
}

static gboolean
pass_reception (Ctx *ctx, GError **error)
{
  ZzStats *s = ctx->stats;
  g_autofree char *first = zz_day_format (&s->period.first);
  g_autofree char *last = zz_day_format (&s->period.last);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  double wait_sum = 0;
  gint64 waits = 0;
  sqlite3_stmt *stmt = zz_store_stmt (ctx->store,
                                      "SELECT v.day, v.people,"
                                      " (SELECT t.called_at - t.issued_at FROM ticket t INDEXED BY stats_ticket_visit"
                                      "   WHERE t.visit_id = v.id AND t.deleted = 0 ORDER BY t.issued_at LIMIT 1)"
                                      " FROM visit v INDEXED BY stats_visit"
                                      " WHERE v.deleted = 0 AND v.day >= ?1 AND v.day <= ?2"
                                      " AND v.home >= ?3 AND v.home < ?4", error);
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, last, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, ctx->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, ctx->unit_hi, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *day = col_text (stmt, 0);

      s->visits++;
      s->visitors += sqlite3_column_int64 (stmt, 1);
      if (!g_hash_table_contains (days, day))
        g_hash_table_add (days, g_strdup (day));
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        {
          wait_sum += (double) sqlite3_column_int64 (stmt, 2);
          waits++;
        }
    }
  s->visit_days = g_hash_table_size (days);
  s->average_wait_minutes = waits ? wait_sum / waits / 60000.0 : NAN;
  return step_error (ctx, stmt, rc, error);
}

static gboolean
pass_households (Ctx *ctx, GError **error)
{
  ZzStats *s = ctx->stats;
  g_autofree char *today = zz_store_day_of (ctx->now);
  sqlite3_stmt *stmt;
  guint found = 0;
  int rc;

  zz_store_prepare_household_due (ctx->store);
  stmt = zz_store_stmt (ctx->store,
                        "SELECT h.grade, zz_household_due(h.grade, lv.day, h.graded_on) AS due, h.id, h.home,"
                        " h.head_name, lv.day"
                        " FROM household h LEFT JOIN household_last_visit lv ON lv.household_id = h.id"
                        " WHERE h.deleted = 0 AND h.status = 'active' AND h.home >= ?1 AND h.home < ?2", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, ctx->unit_hi, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ZzGrade grade = zz_grade_from_key (col_text (stmt, 0));
      const char *due = col_text (stmt, 1);

      s->households++;
      switch (grade)
        {
        case ZZ_GRADE_HIGH: s->households_high++; break;
        case ZZ_GRADE_MEDIUM: s->households_medium++; break;
        case ZZ_GRADE_LOW: s->households_low++; break;
        case ZZ_GRADE_NONE:
        default: s->households_ungraded++; break;
        }
      if (due && strcmp (due, today) < 0)
        {
          s->households_overdue++;
          ctx->households_overdue[grade]++;
          if (ctx->quality && found < ctx->quality_cap)
            {
              const char *last = col_text (stmt, 5);
              g_autofree char *link = g_strconcat ("household:", col_text (stmt, 2), NULL);
              g_autofree char *detail = last
                ? g_strdup_printf (_("%s household: visit due %s, last visit %s"), zz_grade_name (grade), due, last)
                : g_strdup_printf (_("%s household: visit due %s, never visited"), zz_grade_name (grade), due);

              found++;
              quality_row (ctx, _("Household past its visit date with no visit since"), col_text (stmt, 4),
                           col_text (stmt, 3), detail, day_ms (due), link);
            }
        }
    }
  return step_error (ctx, stmt, rc, error);
}

/* ---- data as of ---- */

typedef struct {
  char  *unit;
  gint64 imported_at;
  gint64 newest_hlc;
} Seen;

static void
seen_clear (gpointer p)
{
  g_free (((Seen *) p)->unit);
}

static gboolean
has_prefix_unit (const char *code, const char *prefix)
{
  return g_str_has_prefix (code, prefix);
}

/* "Data as of" and "newest change" of @child: the imports of the nodes at or below it, or else of
 * the nearest node above it; this node's own units are as of now. With @itself, only the unit's
 * own records count (the nodes below it do not hold them). */
static void
data_as_of (Ctx *ctx, GArray *seen, GPtrArray *node_units, const char *self_unit, gint64 self_newest,
            const char *child, gboolean itself, gint64 *as_of, gint64 *newest)
{
  const char *holder = NULL;
  gboolean below = FALSE;

  *as_of = *newest = 0;
  for (guint i = 0; i < node_units->len && !itself; i++)
    if (has_prefix_unit (node_units->pdata[i], child))
      below = TRUE;
  if (!below)
    {
      /* the nearest unit above with a node of its own */
      for (guint i = 0; i < node_units->len; i++)
        {
          const char *u = node_units->pdata[i];

          if (has_prefix_unit (child, u) && (!holder || strlen (u) > strlen (holder)))
            holder = u;
        }
      if (!holder || g_strcmp0 (holder, self_unit) == 0)
        {
          *as_of = ctx->stats->computed_at;
          *newest = self_newest;
          return;
        }
    }
  for (guint i = 0; i < seen->len; i++)
    {
      Seen *s = &g_array_index (seen, Seen, i);
      gboolean counts = below ? has_prefix_unit (s->unit, child) : g_strcmp0 (s->unit, holder) == 0;

      if (!counts)
        continue;
      *as_of = MAX (*as_of, s->imported_at);
      *newest = MAX (*newest, ZZ_HLC_MS ((ZzHlc) s->newest_hlc));
    }
}

static gboolean
fill_by_unit (Ctx *ctx, GError **error)
{
  ZzStats *s = ctx->stats;
  ZzTable *t = s->by_unit;
  const char *self_unit = zz_store_get_node_org_unit (ctx->store);
  g_autoptr(GArray) seen = g_array_new (FALSE, TRUE, sizeof (Seen));
  g_autoptr(GPtrArray) node_units = g_ptr_array_new_with_free_func (g_free);
  gint64 self_newest = 0;
  sqlite3_stmt *stmt;

  g_array_set_clear_func (seen, seen_clear);
  stmt = zz_store_stmt (ctx->store, "SELECT org_unit, imported_at, newest_hlc FROM sync_origin_seen", error);
  if (!stmt)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Seen e = { g_strdup (col_text (stmt, 0)), sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2) };
      g_array_append_val (seen, e);
    }
  sqlite3_reset (stmt);
  /* every unit known to have a node: this one, its peers, the certificates, the origins seen */
  stmt = zz_store_stmt (ctx->store, "SELECT org_unit FROM sync_origin_seen UNION SELECT org_unit FROM sync_peer"
                                    " UNION SELECT org_unit FROM sync_cert UNION SELECT org_unit FROM node", error);
  if (!stmt)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (node_units, g_strdup (col_text (stmt, 0)));
  sqlite3_reset (stmt);
  stmt = zz_store_stmt (ctx->store, "SELECT hlc FROM op WHERE origin = ? ORDER BY seq DESC LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, zz_store_get_node_id (ctx->store), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self_newest = ZZ_HLC_MS ((ZzHlc) sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);

  for (guint i = 0; i <= ctx->children->len; i++)
    {
      Child *c = i < ctx->children->len ? ctx->children->pdata[i] : ctx->itself;
      g_autofree char *link = NULL;
      gint64 as_of, newest;
      guint r;

      /* the unit's own cases, beside those of the units below; a unit with none below has no rows */
      if (c == ctx->itself && (ctx->children->len == 0 || (c->registered == 0 && c->concluded == 0)))
        continue;
      r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, c->name);
      zz_table_set_text (t, r, 1, c->code);
      zz_table_set_int (t, r, 2, c->registered);
      zz_table_set_int (t, r, 3, c->concluded);
      zz_table_set_int (t, r, 4, c->open);
      zz_table_set_int (t, r, 5, c->overdue);
      zz_table_set_double (t, r, 6, ratio (c->success, c->mediated));
      data_as_of (ctx, seen, node_units, self_unit, self_newest, c->code, c == ctx->itself, &as_of, &newest);
      if (as_of)
        zz_table_set_int (t, r, 7, as_of);
      if (newest)
        zz_table_set_int (t, r, 8, newest);
      if (c != ctx->itself)
        {
          link = g_strconcat ("unit:", c->code, NULL);
          zz_table_set_link (t, r, link);
        }
    }
  return TRUE;
}

/* ---- the tables ---- */

static void
summary_row (ZzTable *t, const char *figure, int column, gint64 count, double value)
{
  guint r = zz_table_add_row (t);

  zz_table_set_text (t, r, 0, figure);
  if (column == 1)
    zz_table_set_int (t, r, 1, count);
  else
    zz_table_set_double (t, r, column, value);
}

static void
share_row (ZzTable *t, const char *label, gint64 n, gint64 total)
{
  guint r = zz_table_add_row (t);

  zz_table_set_text (t, r, 0, label);
  zz_table_set_int (t, r, 1, n);
  zz_table_set_double (t, r, 2, ratio (n, total));
}

static void
make_tables (ZzStats *s)
{
  s->summary = zz_table_new ("summary", _("Key figures"));
  zz_table_add_column (s->summary, "figure", _("Figure"), ZZ_CELL_TEXT);
  zz_table_add_column (s->summary, "count", _("Count"), ZZ_CELL_INT);
  zz_table_add_column (s->summary, "rate", _("Rate"), ZZ_CELL_PERCENT);
  zz_table_add_column (s->summary, "measure", _("Measure"), ZZ_CELL_DECIMAL);

  s->by_level = zz_table_new ("by_level", _("Cases resolved by level"));
  zz_table_add_column (s->by_level, "level", _("Level"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_level, "cases", _("Cases"), ZZ_CELL_INT);
  zz_table_add_column (s->by_level, "share", _("Share"), ZZ_CELL_PERCENT);

  s->by_category = zz_table_new ("by_category", _("Cases by category"));
  zz_table_add_column (s->by_category, "category", _("Category"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_category, "cases", _("Cases"), ZZ_CELL_INT);
  zz_table_add_column (s->by_category, "share", _("Share"), ZZ_CELL_PERCENT);

  s->by_source = zz_table_new ("by_source", _("Cases by source"));
  zz_table_add_column (s->by_source, "source", _("Source"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_source, "cases", _("Cases"), ZZ_CELL_INT);
  zz_table_add_column (s->by_source, "share", _("Share"), ZZ_CELL_PERCENT);

  s->trend = zz_table_new ("trend", _("Monthly trend"));
  zz_table_add_column (s->trend, "month", _("Month"), ZZ_CELL_TEXT);
  zz_table_add_column (s->trend, "registered", _("Registered"), ZZ_CELL_INT);
  zz_table_add_column (s->trend, "concluded", _("Concluded"), ZZ_CELL_INT);

  s->by_department = zz_table_new ("by_department", _("Dispatches by department"));
  zz_table_add_column (s->by_department, "department", _("Department"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_department, "dispatched", _("Dispatched"), ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "on_time", _("On time"), ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "late", _("Late"), ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "pending", _("Pending"), ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "on_time_rate", _("On-time rate"), ZZ_CELL_PERCENT);

  s->satisfaction = zz_table_new ("satisfaction", _("Return-visit satisfaction"));
  zz_table_add_column (s->satisfaction, "satisfaction", _("Satisfaction"), ZZ_CELL_TEXT);
  zz_table_add_column (s->satisfaction, "visits", _("Return visits"), ZZ_CELL_INT);
  zz_table_add_column (s->satisfaction, "share", _("Share"), ZZ_CELL_PERCENT);

  s->reception = zz_table_new ("reception", _("Reception"));
  zz_table_add_column (s->reception, "visits", C_("desk visits", "Visits"), ZZ_CELL_INT);
  zz_table_add_column (s->reception, "visitors", _("Visitors"), ZZ_CELL_INT);
  zz_table_add_column (s->reception, "days", _("Days with visits"), ZZ_CELL_INT);
  zz_table_add_column (s->reception, "per_day", _("Visitors per day"), ZZ_CELL_DECIMAL);
  zz_table_add_column (s->reception, "average_wait", _("Average wait (minutes)"), ZZ_CELL_DECIMAL);

  s->by_grade = zz_table_new ("households", _("Risk households by grade"));
  zz_table_add_column (s->by_grade, "grade", _("Grade"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_grade, "households", _("Households"), ZZ_CELL_INT);
  zz_table_add_column (s->by_grade, "overdue", _("Visits overdue"), ZZ_CELL_INT);

  s->by_unit = zz_table_new ("by_unit", _("Units below"));
  zz_table_add_column (s->by_unit, "unit", _("Unit"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_unit, "code", _("Code"), ZZ_CELL_TEXT);
  zz_table_add_column (s->by_unit, "registered", _("Registered"), ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "concluded", _("Concluded"), ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "open", _("Open"), ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "overdue", _("Overdue"), ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "success_rate", _("Mediation success"), ZZ_CELL_PERCENT);
  zz_table_add_column (s->by_unit, "data_as_of", _("Data as of"), ZZ_CELL_DATETIME);
  zz_table_add_column (s->by_unit, "newest_change", _("Newest change"), ZZ_CELL_DATETIME);

  s->quality = zz_table_new ("quality", _("Data quality"));
  zz_table_add_column (s->quality, "problem", _("Problem"), ZZ_CELL_TEXT);
  zz_table_add_column (s->quality, "record", _("Record"), ZZ_CELL_TEXT);
  zz_table_add_column (s->quality, "unit", _("Unit"), ZZ_CELL_TEXT);
  zz_table_add_column (s->quality, "detail", _("Detail"), ZZ_CELL_TEXT);
  zz_table_add_column (s->quality, "at", _("Date"), ZZ_CELL_DATETIME);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
department_compare (gconstpointer pa, gconstpointer pb)
{
  const Department *a = *(Department * const *) pa, *b = *(Department * const *) pb;

  if (a->dispatched != b->dispatched)
    return a->dispatched > b->dispatched ? -1 : 1;
  return g_strcmp0 (a->name, b->name);
}

static void
fill_tables (Ctx *ctx)
{
  ZzStats *s = ctx->stats;
  ZzTable *t;
  guint n;
  const ZzVocab *v;
  gint64 visit_days = s->visit_days;

  /* summary: the key figures in the order the report prints them */
  t = s->summary;
  summary_row (t, _("Cases registered"), 1, s->registered, 0);
  summary_row (t, _("Cases concluded"), 1, s->concluded, 0);
  summary_row (t, _("Cases open"), 1, s->open, 0);
  summary_row (t, _("Cases overdue"), 1, s->overdue, 0);
  summary_row (t, _("Mediation success rate"), 2, 0, ratio (s->mediated_success, s->mediated));
  summary_row (t, _("Resolved at village and township"), 2, 0,
               ratio (s->resolved[ZZ_LEVEL_VILLAGE] + s->resolved[ZZ_LEVEL_TOWNSHIP], s->concluded));
  summary_row (t, _("Resolved at the county"), 2, 0, ratio (s->resolved[ZZ_LEVEL_COUNTY], s->concluded));
  summary_row (t, _("Resolved at the prefecture"), 2, 0, ratio (s->resolved[ZZ_LEVEL_PREFECTURE], s->concluded));
  summary_row (t, _("Dispatches to departments"), 1, s->dispatches, 0);
  summary_row (t, _("Dispatches on time"), 2, 0, ratio (s->dispatches_on_time, s->dispatches_on_time + s->dispatches_late));
  summary_row (t, _("Return visits"), 1, s->return_visits, 0);
  summary_row (t, _("Satisfaction rate"), 2, 0, ratio (s->satisfied + s->basically_satisfied, s->return_visits));
  summary_row (t, _("Reception visitors"), 1, s->visitors, 0);
  summary_row (t, _("Visitors per day"), 3, 0, visit_days ? (double) s->visitors / visit_days : NAN);
  summary_row (t, _("Average wait (minutes)"), 3, 0, s->average_wait_minutes);
  summary_row (t, _("Risk households"), 1, s->households, 0);
  summary_row (t, _("High-risk households"), 1, s->households_high, 0);
  summary_row (t, _("Household visits overdue"), 1, s->households_overdue, 0);

  v = zz_case_levels (&n);
  for (guint i = 0; i < ZZ_N_LEVELS && i < n; i++)
    share_row (s->by_level, _(v[i].name), s->resolved[i], s->concluded);

  /* categories in their order (as renamed); retired and unknown ones only when they have cases */
  {
    g_autoptr(GListModel) cats = zz_store_case_categories (ctx->store, TRUE);
    g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < g_list_model_get_n_items (cats); i++)
      {
        g_autoptr(ZzRow) c = g_list_model_get_item (cats, i);
        const char *key = zz_row_get (c, "key");
        gint64 k = tally_get (ctx->category_counts, key);

        g_hash_table_add (listed, (gpointer) key);
        if (k == 0 && zz_row_get_int (c, "retired"))
          continue;
        share_row (s->by_category, zz_row_get (c, "name"), k, s->registered);
      }
    {
      GHashTableIter it;
      gpointer key, value;
      g_autoptr(GPtrArray) extra = g_ptr_array_new ();

      g_hash_table_iter_init (&it, ctx->category_counts);
      while (g_hash_table_iter_next (&it, &key, &value))
        if (!g_hash_table_contains (listed, key))
          g_ptr_array_add (extra, key);
      g_ptr_array_sort (extra, compare_strings);
      for (guint i = 0; i < extra->len; i++)
        share_row (s->by_category, extra->pdata[i], tally_get (ctx->category_counts, extra->pdata[i]), s->registered);
    }
  }

  v = zz_case_sources (&n);
  for (guint i = 0; i < n; i++)
    share_row (s->by_source, _(v[i].name), tally_get (ctx->source_counts, v[i].key), s->registered);

  for (guint i = 0; i + 1 < ctx->month_starts->len; i++)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (g_array_index (ctx->month_starts, gint64, i) / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, zz_local_zone ());
      char month[16];
      guint r = zz_table_add_row (s->trend);

      g_snprintf (month, sizeof month, "%04d-%02d", g_date_time_get_year (local), g_date_time_get_month (local));
      zz_table_set_text (s->trend, r, 0, month);
      /* A month that has not begun has no figures yet (empty, not 0: the line stops). */
      if (g_array_index (ctx->month_starts, gint64, i) > s->computed_at)
        continue;
      zz_table_set_int (s->trend, r, 1, ctx->trend_registered[i]);
      zz_table_set_int (s->trend, r, 2, ctx->trend_concluded[i]);
    }

  /* departments by dispatches, most first */
  {
    g_autoptr(GPtrArray) deps = g_ptr_array_new ();
    GHashTableIter it;
    gpointer value;
    sqlite3_stmt *stmt = zz_store_stmt (ctx->store, "SELECT name FROM department WHERE id = ?", NULL);

    g_hash_table_iter_init (&it, ctx->departments);
    while (g_hash_table_iter_next (&it, NULL, &value))
      g_ptr_array_add (deps, value);
    for (guint i = 0; i < deps->len; i++)
      {
        Department *d = deps->pdata[i];

        if (stmt)
          {
            sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_STATIC);
            if (sqlite3_step (stmt) == SQLITE_ROW)
              d->name = g_strdup (col_text (stmt, 0));
            sqlite3_reset (stmt);
            sqlite3_clear_bindings (stmt);
          }
        if (!d->name)
          d->name = g_strdup (_("Unknown department"));
      }
    g_ptr_array_sort (deps, department_compare);
    for (guint i = 0; i < deps->len; i++)
      {
        Department *d = deps->pdata[i];
        guint r = zz_table_add_row (s->by_department);

        zz_table_set_text (s->by_department, r, 0, d->name);
        zz_table_set_int (s->by_department, r, 1, d->dispatched);
        zz_table_set_int (s->by_department, r, 2, d->on_time);
        zz_table_set_int (s->by_department, r, 3, d->late);
        zz_table_set_int (s->by_department, r, 4, d->pending);
        zz_table_set_double (s->by_department, r, 5, ratio (d->on_time, d->on_time + d->late));
      }
  }

  v = zz_satisfactions (&n);
  for (guint i = 0; i < n; i++)
    {
      gint64 k = g_str_equal (v[i].key, "satisfied") ? s->satisfied
               : g_str_equal (v[i].key, "basic") ? s->basically_satisfied : s->dissatisfied;
      share_row (s->satisfaction, _(v[i].name), k, s->return_visits);
    }

  {
    guint r = zz_table_add_row (s->reception);

    zz_table_set_int (s->reception, r, 0, s->visits);
    zz_table_set_int (s->reception, r, 1, s->visitors);
    zz_table_set_int (s->reception, r, 2, s->visit_days);
    zz_table_set_double (s->reception, r, 3, visit_days ? (double) s->visitors / visit_days : NAN);
    zz_table_set_double (s->reception, r, 4, s->average_wait_minutes);
  }
}

static void
fill_households_table (Ctx *ctx)
{
  ZzStats *s = ctx->stats;
  static const ZzGrade grades[] = { ZZ_GRADE_HIGH, ZZ_GRADE_MEDIUM, ZZ_GRADE_LOW, ZZ_GRADE_NONE };

  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    {
      gint64 n = grades[i] == ZZ_GRADE_HIGH ? s->households_high
               : grades[i] == ZZ_GRADE_MEDIUM ? s->households_medium
               : grades[i] == ZZ_GRADE_LOW ? s->households_low : s->households_ungraded;
      guint r = zz_table_add_row (s->by_grade);

      zz_table_set_text (s->by_grade, r, 0, grades[i] == ZZ_GRADE_NONE ? _("Ungraded") : zz_grade_name (grades[i]));
      zz_table_set_int (s->by_grade, r, 1, n);
      zz_table_set_int (s->by_grade, r, 2, ctx->households_overdue[grades[i]]);
    }
}

/* ---- the entry points ---- */

static gboolean
check_scope (ZzStore *self, const char *unit, ZzRow **out_row, GError **error)
{
  const char *own = zz_store_get_node_org_unit (self);
  g_autoptr(ZzRow) row = NULL;

  if (!own)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This centre is not set up yet."));
      return FALSE;
    }
  /* codes nest: a unit within the jurisdiction has the centre's code as its beginning */
  if (unit && *unit && !g_str_has_prefix (unit, own))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("This unit is outside your jurisdiction."));
      return FALSE;
    }
  if (!unit || !*unit || !(row = zz_store_get_org_unit (self, unit)))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("There is no org unit with the code “%s”."),
                   unit ? unit : "");
      return FALSE;
    }
  if (out_row)
    *out_row = g_steal_pointer (&row);
  return TRUE;
}

static gboolean
load_children (Ctx *ctx, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (ctx->store, "SELECT code, name FROM org_unit WHERE parent = ? ORDER BY code",
                                      error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ctx->unit, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Child *c = g_new0 (Child, 1);
      guint len;
      gboolean known = FALSE;

      c->code = g_strdup (col_text (stmt, 0));
      c->name = g_strdup (col_text (stmt, 1));
      /* a child's code nests under its parent's; one that does not cannot hold cases here */
      if (!g_str_has_prefix (c->code, ctx->unit) || strlen (c->code) <= strlen (ctx->unit))
        {
          child_free (c);
          continue;
        }
      g_ptr_array_add (ctx->children, c);
      g_hash_table_insert (ctx->child_by_code, c->code, c);
      len = strlen (c->code);
      for (guint i = 0; i < ctx->child_lengths->len; i++)
        known |= g_array_index (ctx->child_lengths, guint, i) == len;
      if (!known)
        g_array_append_val (ctx->child_lengths, len);
    }
  sqlite3_reset (stmt);
  ctx->itself = g_new0 (Child, 1);
  ctx->itself->code = g_strdup (ctx->unit);
  /* TRANSLATORS: the by-unit row of cases whose home is the unit itself, not a unit below */
  ctx->itself->name = g_strdup_printf (_("%s (itself)"), ctx->stats->unit_name);
  return TRUE;
}

static void
ctx_clear (Ctx *ctx)
{
  g_free (ctx->unit_hi);
  g_clear_pointer (&ctx->children, g_ptr_array_unref);
  g_clear_pointer (&ctx->child_by_code, g_hash_table_unref);
  g_clear_pointer (&ctx->child_lengths, g_array_unref);
  if (ctx->itself)
    child_free (ctx->itself);
  g_clear_pointer (&ctx->month_starts, g_array_unref);
  g_free (ctx->trend_registered);
  g_free (ctx->trend_concluded);
  g_clear_pointer (&ctx->category_counts, g_hash_table_unref);
  g_clear_pointer (&ctx->source_counts, g_hash_table_unref);
  g_clear_pointer (&ctx->departments, g_hash_table_unref);
}

static gint64 pass_start;

static gboolean
timed (const char *pass, gboolean ok)
{
  gint64 now = g_get_monotonic_time ();

  g_debug ("%.*s: %.1f ms", (int) strcspn (pass, " ("), pass, (now - pass_start) / 1000.0);
  pass_start = now;
  return ok;
}

ZzStats *
zz_store_compute_stats (ZzStore *self, const char *unit, const ZzPeriod *period, GError **error)
{
  g_autoptr(ZzStats) s = NULL;
  g_autoptr(ZzRow) row = NULL;
  g_autoptr(GArray) months = g_array_new (FALSE, FALSE, sizeof (GDate));
  Ctx ctx = { 0 };
  gint64 trend_from, trend_to;
  gboolean ok;

  g_return_val_if_fail (ZZ_IS_STORE (self), NULL);
  g_return_val_if_fail (period != NULL, NULL);

  if (!zz_store_require (self, ZZ_PERM_VIEW_STATS, error))
    return NULL;
  if (!unit)
    unit = zz_store_get_node_org_unit (self);
  if (!check_scope (self, unit, &row, error))
    return NULL;

  s = g_new0 (ZzStats, 1);
  s->unit = g_strdup (unit);
  s->unit_name = g_strdup (zz_row_get (row, "name"));
  s->unit_level = (int) zz_row_get_int (row, "level");
  s->period = *period;
  zz_period_bounds (period, zz_local_zone (), &s->from_ms, &s->to_ms);
  s->computed_at = zz_store_now (self);
  s->average_wait_minutes = NAN;
  make_tables (s);

  ctx.store = self;
  ctx.stats = s;
  ctx.unit = s->unit;
  ctx.unit_hi = g_strconcat (s->unit, ":", NULL);
  ctx.now = s->computed_at;
  ctx.quality = zz_store_can (self, ZZ_PERM_VIEW_STATS_RECORDS);
  s->quality_withheld = !ctx.quality;
  ctx.quality_cap = ZZ_STATS_QUALITY_LIMIT / 4;
  ctx.children = g_ptr_array_new_with_free_func (child_free);
  ctx.child_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  ctx.child_lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx.month_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  ctx.category_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx.source_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx.departments = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, department_free);

  /* the trend's months: their bounds, one past the last; they always cover the period */
  zz_period_trend_months (period, months);
  for (guint i = 0; i <= months->len; i++)
    {
      ZzPeriod m;
      gint64 from, to;
      const GDate *d = &g_array_index (months, GDate, MIN (i, months->len - 1));

      zz_period_month (&m, g_date_get_year (d), g_date_get_month (d));
      zz_period_bounds (&m, zz_local_zone (), &from, &to);
      if (i == months->len)
        from = to;
      g_array_append_val (ctx.month_starts, from);
    }
  ctx.trend_registered = g_new0 (gint64, months->len);
  ctx.trend_concluded = g_new0 (gint64, months->len);
  trend_from = MIN (s->from_ms, g_array_index (ctx.month_starts, gint64, 0));
  trend_to = MAX (s->to_ms, g_array_index (ctx.month_starts, gint64, months->len));

  /* each pass's time goes to the debug log (G_MESSAGES_DEBUG=zz-stats) */
  pass_start = g_get_monotonic_time ();
#define TIMED(pass) timed (#pass, pass)
  ok = load_children (&ctx, error)
       && TIMED (pass_registered (&ctx, trend_from, trend_to, error))
       && TIMED (pass_concluded (&ctx, trend_from, trend_to, error))
       && TIMED (pass_dispatches (&ctx, error))
       && TIMED (pass_return_visits (&ctx, error))
       && TIMED (pass_reception (&ctx, error))
       && TIMED (pass_households (&ctx, error))
       && TIMED (fill_by_unit (&ctx, error));
#undef TIMED
  if (ok)
    {
      fill_tables (&ctx);
      fill_households_table (&ctx);
    }
  ctx_clear (&ctx);
  return ok ? g_steal_pointer (&s) : NULL;
}

void
zz_stats_free (ZzStats *stats)
{
  ZzTable **tables[] = { &stats->summary, &stats->by_level, &stats->by_category, &stats->by_source, &stats->trend,
                         &stats->by_department, &stats->satisfaction, &stats->reception, &stats->by_grade,
                         &stats->by_unit, &stats->quality };

  if (!stats)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_clear_pointer (tables[i], zz_table_unref);
  g_free (stats->unit);
  g_free (stats->unit_name);
  g_free (stats);
}

GPtrArray *
zz_stats_tables (ZzStats *stats)
{
  GPtrArray *a = g_ptr_array_new ();
  ZzTable *tables[] = { stats->summary, stats->by_level, stats->trend, stats->by_category, stats->by_source,
                        stats->by_department, stats->satisfaction, stats->reception, stats->by_grade,
                        stats->by_unit, stats->quality };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (tables[i])
      g_ptr_array_add (a, tables[i]);
  return a;
}

GListModel *
zz_store_stats_breadcrumb (ZzStore *self, const char *unit)
{
  const char *own = zz_store_get_node_org_unit (self);
  sqlite3_stmt *stmt;

  if (!own || !unit || !g_str_has_prefix (unit, own))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self,
                        "WITH RECURSIVE up (code, name, level, parent, depth) AS ("
                        "  SELECT code, name, level, parent, 0 FROM org_unit WHERE code = ?1"
                        "  UNION ALL SELECT o.code, o.name, o.level, o.parent, up.depth + 1 FROM org_unit o"
                        "  JOIN up ON o.code = up.parent WHERE up.code != ?2 AND up.depth < 10)"
                        " SELECT code AS id, code, name, level FROM up ORDER BY depth DESC", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, own, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

gboolean
zz_store_note_origin_seen (ZzStore *self, const char *origin, const char *org_unit, ZzHlc newest,
                           GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "INSERT INTO sync_origin_seen (origin, org_unit, imported_at, newest_hlc)"
                                      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (origin) DO UPDATE SET"
                                      " org_unit = excluded.org_unit, imported_at = excluded.imported_at,"
                                      " newest_hlc = max(newest_hlc, excluded.newest_hlc)", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, org_unit ? org_unit : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, zz_store_now (self));
  sqlite3_bind_int64 (stmt, 4, (gint64) newest);
  return zz_store_step_done (self, stmt, error);
}
