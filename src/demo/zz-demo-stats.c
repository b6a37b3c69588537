/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-demo-stats"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-demo-stats.h"
#include "zz-error.h"
#include "zz-period.h"
#include "zz-store-private.h"
#include "zz-time.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)
#define HOUR_MS G_GINT64_CONSTANT (3600000)
#define MINUTE_MS G_GINT64_CONSTANT (60000)

void
zz_stats_spec_init (ZzStatsSpec *spec, int first_year, int years)
{
  ZzPeriod first, last;
  gint64 end;

  memset (spec, 0, sizeof *spec);
  zz_period_year (&first, first_year);
  zz_period_year (&last, first_year + years - 1);
  zz_period_bounds (&first, zz_local_zone (), &spec->from_ms, NULL);
  zz_period_bounds (&last, zz_local_zone (), NULL, &end);
  spec->to_ms = end;
  spec->now_ms = end + 14 * DAY_MS + 10 * HOUR_MS;   /* 15 January, ten in the morning */
  spec->n_cases = 14000 * (guint) years;
  spec->concluded_share = 0.95;
  spec->level_share[ZZ_LEVEL_VILLAGE] = 0.60;
  spec->level_share[ZZ_LEVEL_TOWNSHIP] = 0.15;
  spec->level_share[ZZ_LEVEL_COUNTY] = 0.23;
  spec->level_share[ZZ_LEVEL_PREFECTURE] = 0.02;
  spec->success_share = 0.97;
  spec->overdue_share = 0.40;
  spec->correction_share = 0.05;
  spec->village_excess_share = 0.01;
  spec->dispatch_share = 0.30;
  spec->returned_share = 0.10;
  spec->noted_share = 0.50;
  spec->return_visit_share = 0.80;
  spec->satisfaction_share[0] = 0.75;
  spec->satisfaction_share[1] = 0.20;
  spec->satisfaction_share[2] = 0.05;
  spec->archived_share = 1.0;
  spec->n_visits = 6000 * (guint) years;
  spec->households[0] = 120;
  spec->households[1] = 300;
  spec->households[2] = 900;
  spec->households[3] = 80;
  spec->households_overdue_share = 0.10;
  spec->households_delisted = 40;
}

/* ---- exact splits ---- */

static guint
share_of (guint total, double share)
{
  return (guint) floor (total * share + 0.5);
}

/* @total labels 0..n_shares-1, round(total × share) of each (the last takes the rest), shuffled. */
static guint8 *
labels (GRand *rand, guint total, const double *shares, guint n_shares)
{
  guint8 *out = g_new (guint8, MAX (total, 1));
  guint at = 0;

  for (guint j = 0; j < n_shares; j++)
    {
      guint n = j + 1 < n_shares ? share_of (total, shares[j]) : total - MIN (at, total);

      for (guint k = 0; k < n && at < total; k++)
        out[at++] = (guint8) j;
    }
  while (at < total)
    out[at++] = (guint8) (n_shares - 1);
  for (guint i = total; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i);
      guint8 x = out[i - 1];
      out[i - 1] = out[j];
      out[j] = x;
    }
  return out;
}

static guint8 *
yes_no (GRand *rand, guint total, double share)
{
  double s[2] = { share, 1 - share };
  guint8 *l = labels (rand, total, s, 2);

  for (guint i = 0; i < total; i++)
    l[i] = l[i] == 0;
  return l;
}

/* ---- writing ---- */

typedef struct {
  ZzStore *store;
  const ZzStatsSpec *spec;
  const ZzDemoStatsSink *sink;
  GRand *rand;
  GPtrArray *villages;     /* codes */
  GPtrArray *village_names;
  GPtrArray *townships;    /* codes */
  GPtrArray *departments;  /* ids */
  GPtrArray *windows;      /* ids */
  GPtrArray *persons;      /* ids */
  const char *unit;
  const char *author;
  char *tag;
  GHashTable *seqs;        /* year -> gint64 * */
} Gen;

static void
gen_clear (Gen *g)
{
  g_clear_pointer (&g->rand, g_rand_free);
  g_clear_pointer (&g->villages, g_ptr_array_unref);
  g_clear_pointer (&g->village_names, g_ptr_array_unref);
  g_clear_pointer (&g->townships, g_ptr_array_unref);
  g_clear_pointer (&g->departments, g_ptr_array_unref);
  g_clear_pointer (&g->windows, g_ptr_array_unref);
  g_clear_pointer (&g->persons, g_ptr_array_unref);
  g_clear_pointer (&g->tag, g_free);
  g_clear_pointer (&g->seqs, g_hash_table_unref);
}

static gboolean
load (Gen *g, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (g->store, "SELECT code, name, level FROM org_unit WHERE level IN (4, 5)"
                                                " AND code > ?1 AND code < ?1 || ':' ORDER BY code", error);
  g_autoptr(GListModel) deps = NULL;
  g_autoptr(GListModel) wins = NULL;

  if (!stmt)
    return FALSE;
  g->villages = g_ptr_array_new_with_free_func (g_free);
  g->village_names = g_ptr_array_new_with_free_func (g_free);
  g->townships = g_ptr_array_new_with_free_func (g_free);
  sqlite3_bind_text (stmt, 1, g->unit, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);

      if (sqlite3_column_int (stmt, 2) == 5)
        {
          g_ptr_array_add (g->villages, g_strdup (code));
          g_ptr_array_add (g->village_names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      else
        g_ptr_array_add (g->townships, g_strdup (code));
    }
  sqlite3_reset (stmt);
  if (g->villages->len == 0 || g->townships->len == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE,
                           _("No villages in this centre’s area: import the divisions first."));
      return FALSE;
    }
  g->departments = g_ptr_array_new_with_free_func (g_free);
  deps = zz_store_list_departments (g->store);
  for (guint i = 0; i < g_list_model_get_n_items (deps); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (deps, i);
      g_ptr_array_add (g->departments, g_strdup (zz_row_get_id (r)));
    }
  g->windows = g_ptr_array_new_with_free_func (g_free);
  wins = zz_store_list_windows (g->store);
  for (guint i = 0; i < g_list_model_get_n_items (wins); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (wins, i);
      g_ptr_array_add (g->windows, g_strdup (zz_row_get_id (r)));
    }
  if (g->departments->len == 0 || g->windows->len == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Set up the departments and their windows first."));
      return FALSE;
    }
  return TRUE;
}

#define INSERT(table, id, home, f) \
  zz_store_insert_row (g->store, (table), (id), (home), (f), G_N_ELEMENTS (f), error)

static char *
next_number (Gen *g, gint64 at, GError **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());
  int year = g_date_time_get_year (local);
  gint64 *seq = g_hash_table_lookup (g->seqs, GINT_TO_POINTER (year));

  if (!seq)
    {
      sqlite3_stmt *stmt = zz_store_stmt (g->store, "SELECT seq FROM case_seq WHERE unit = ? AND year = ?", error);

      if (!stmt)
        return NULL;
      seq = g_new0 (gint64, 1);
      sqlite3_bind_text (stmt, 1, g->unit, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, year);
      *seq = zz_store_query_int (g->store, stmt, 0);
      g_hash_table_insert (g->seqs, GINT_TO_POINTER (year), seq);
    }
  (*seq)++;
  return zz_case_number_format (g->unit, year, *seq, g->tag);
}

static gboolean
save_seqs (Gen *g, GError **error)
{
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, g->seqs);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      sqlite3_stmt *stmt = zz_store_stmt (g->store, "INSERT OR REPLACE INTO case_seq (unit, year, seq) VALUES (?, ?, ?)",
                                          error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g->unit, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, GPOINTER_TO_INT (key));
      sqlite3_bind_int64 (stmt, 3, *(gint64 *) value);
      if (!zz_store_step_done (g->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_persons (Gen *g, GError **error)
{
  static const char *surnames[] = { "王", "李", "张", "刘", "陈", "杨", "向", "彭", "田", "龙", "石", "符" };
  static const char *given[] = { "秀英", "建华", "志强", "玉兰", "国庆", "春生", "德胜", "海燕", "长青", "翠兰" };

  g->persons = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 240; i++)
    {
      char *id = zz_store_new_id (g->store);
      g_autofree char *name = g_strconcat (surnames[i % G_N_ELEMENTS (surnames)],
                                           given[(i / G_N_ELEMENTS (surnames)) % G_N_ELEMENTS (given)], NULL);
      g_autofree char *phone = g_strdup_printf ("1870743%04u", i);
      ZzField f[] = { ZZ_F_TEXT ("name", name), ZZ_F_TEXT ("phone", phone), ZZ_F_NULL ("id_number") };

      g_ptr_array_add (g->persons, id);
      if (!INSERT ("person", id, g->unit, f))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_attempt (Gen *g, const char *case_id, const char *home, ZzCaseLevel level, int number, gint64 held,
               gboolean agreed, const char *amends, char **out_id, GError **error)
{
  static const char *places[] = { "村综治中心", "乡镇综治中心", "县综治中心", "州综治中心" };
  char *id = zz_store_new_id (g->store);
  ZzField f[] = {
    ZZ_F_TEXT ("case_id", case_id),
    ZZ_F_TEXT ("level", zz_case_level_to_string (level)),
    ZZ_F_INT ("number", number),
    ZZ_F_INT ("held_at", held),
    ZZ_F_TEXT ("place", places[level]),
    ZZ_F_TEXT ("mediators", "调解员"),
    ZZ_F_TEXT ("method", level == ZZ_LEVEL_COUNTY ? "joint" : "on_site"),
    ZZ_F_INT ("n_departments", level == ZZ_LEVEL_COUNTY ? 2 : 0),
    ZZ_F_TEXT ("result", agreed ? "agreement" : "failed"),
    ZZ_F_TEXT ("terms", agreed ? "双方达成协议，按期履行。" : NULL),
    ZZ_F_TEXT ("amends", amends),
    ZZ_F_INT ("recorded_at", amends ? held + 2 * HOUR_MS : held),
    ZZ_F_TEXT ("recorded_by", g->author),
  };
  gboolean ok = INSERT ("mediation_attempt", id, home, f);

  if (ok && out_id)
    *out_id = id;
  else
    g_free (id);
  return ok;
}

typedef struct {
  gboolean concluded;
  ZzCaseLevel level;
  gboolean success, overdue, corrected, excess, dispatched, returned, visited, archived;
  guint satisfaction;
} Plan;

/* The attempts of a case, up the levels to the one that resolved it (an open case: one failed
 * attempt for one in three); written when @write. */
static gboolean
mediation (Gen *g, const char *case_id, const char *home, const Plan *p, guint i, gboolean township_home,
           ZzCaseLevel holder_level, gint64 reg, gboolean write, gint64 *out_t, int *out_village,
           char **out_last, GError **error)
{
  gint64 t = reg;
  int village_attempts = 0;
  g_autofree char *last_attempt = NULL;

  if (p->concluded)
    {
      for (int l = township_home ? ZZ_LEVEL_TOWNSHIP : ZZ_LEVEL_VILLAGE; l <= (int) p->level; l++)
        {
          int attempts = 1;

          if (l == ZZ_LEVEL_VILLAGE && p->level == ZZ_LEVEL_VILLAGE)
            attempts = p->excess ? 4 : 1 + (int) (i % 3);
          for (int number = 1; number <= attempts; number++)
            {
              gboolean last = l == (int) p->level && number == attempts;

              t += DAY_MS / 2;
              g_clear_pointer (&last_attempt, g_free);
              if (write && !write_attempt (g, case_id, home, (ZzCaseLevel) l, number, t, last && p->success, NULL,
                                           &last_attempt, error))
                return FALSE;
              if (l == ZZ_LEVEL_VILLAGE)
                village_attempts++;
            }
        }
    }
  else if (i % 3 == 0)
    {
      t += DAY_MS / 2;
      if (write && !write_attempt (g, case_id, home, holder_level, 1, t, FALSE, NULL, NULL, error))
        return FALSE;
      village_attempts = holder_level == ZZ_LEVEL_VILLAGE;
    }
  *out_t = t;
  *out_village = village_attempts;
  if (out_last)
    *out_last = g_steal_pointer (&last_attempt);
  return TRUE;
}

static gboolean
write_case (Gen *g, guint i, gint64 reg, const Plan *p, guint *late_open_seen, GError **error)
{
  const ZzStatsSpec *spec = g->spec;
  guint n;
  const ZzVocab *cats = zz_case_categories (&n);
  const ZzVocab *cat = &cats[g_rand_int_range (g->rand, 0, (gint32) n)];
  static const char *sources[] = { "walk_in", "phone", "hotline", "police", "grid" };
  const char *source = sources[g_rand_int_range (g->rand, 0, G_N_ELEMENTS (sources))];
  static const char *satisfactions[] = { "satisfied", "basic", "dissatisfied" };
  gboolean township_home = !(p->concluded && p->level == ZZ_LEVEL_VILLAGE) && i % 10 == 0;
  guint vi = g_rand_int_range (g->rand, 0, (gint32) g->villages->len);
  const char *home = township_home ? g->townships->pdata[g_rand_int_range (g->rand, 0, (gint32) g->townships->len)]
                                   : g->villages->pdata[vi];
  g_autofree char *case_id = zz_store_new_id (g->store);
  g_autofree char *number = next_number (g, reg, error);
  g_autofree char *summary = g_strdup_printf ("%s%s纠纷", township_home ? "" : (char *) g->village_names->pdata[vi],
                                              _(cat->name));
  g_autofree char *last_attempt = NULL;
  g_autofree char *party = zz_store_new_id (g->store);
  ZzCaseLevel holder_level = p->concluded ? p->level : (i % 2 ? ZZ_LEVEL_VILLAGE : ZZ_LEVEL_TOWNSHIP);
  gint64 t = reg;
  gint64 concluded_at = 0, deadline = 0, visit_at = 0, archived_at = 0;
  int village_attempts = 0;
  const char *status;
  ZzDemoStatsCase rec = { 0 };

  if (!number)
    return FALSE;
  /* the mediation record first without writing it, for its times (the case row comes first) */
  if (!mediation (g, case_id, home, p, i, township_home, holder_level, reg, FALSE, &t, &village_attempts, NULL, error))
    return FALSE;
  if (p->concluded)
    {
      concluded_at = t + HOUR_MS;
      deadline = reg + 15 * DAY_MS;
    }
  if (!p->concluded)
    deadline = p->overdue ? reg + 15 * DAY_MS : spec->now_ms + 30 * DAY_MS;

  /* the status and times a conclusion leaves, after a return visit (a dissatisfied one reopens
   * the case, which is concluded again a day later) */
  /* an open case waits for the department that has it, or is being mediated, or was just registered */
  if (p->concluded)
    status = "concluded";
  else if (p->dispatched && !p->returned && !p->overdue)
    status = "dispatched";
  else
    status = village_attempts || i % 3 == 0 ? "in_progress" : "registered";
  if (p->concluded && p->visited)
    {
      visit_at = concluded_at + 2 * DAY_MS;
      if (p->satisfaction == 2)
        concluded_at = visit_at + DAY_MS;
      else if (p->archived)
        {
          status = "archived";
          archived_at = visit_at + HOUR_MS;
        }
    }
  {
    ZzField f[] = {
      ZZ_F_TEXT ("number", number),
      ZZ_F_TEXT ("source", source),
      ZZ_F_TEXT ("category", cat->key),
      ZZ_F_TEXT ("summary", summary),
      ZZ_F_TEXT ("risk", "low"),
      ZZ_F_TEXT ("urgency", "normal"),
      ZZ_F_TEXT ("first_responder_id", g->author),
      ZZ_F_INT ("registered_at", reg),
      ZZ_F_TEXT ("registered_unit", g->unit),
      ZZ_F_TEXT ("level", zz_case_level_to_string (holder_level)),
      ZZ_F_TEXT ("status", status),
      ZZ_F_INT ("deadline_at", deadline),
      ZZ_F_TEXT ("outcome", p->concluded ? (p->success ? "调解成功，达成协议" : "调解不成，引导诉讼") : NULL),
      ZZ_F_TEXT ("resolved_level", p->concluded ? zz_case_level_to_string (p->level) : NULL),
      p->concluded ? ZZ_F_INT ("concluded_at", concluded_at) : ZZ_F_NULL ("concluded_at"),
      ZZ_F_TEXT ("concluded_by", p->concluded ? g->author : NULL),
      archived_at ? ZZ_F_INT ("archived_at", archived_at) : ZZ_F_NULL ("archived_at"),
    };
    ZzField fp[] = {
      ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("role", "applicant"),
      ZZ_F_TEXT ("person_id", g->persons->pdata[i % g->persons->len]), ZZ_F_NULL ("org_name"),
    };
    if (!INSERT ("case_file", case_id, home, f) || !INSERT ("case_party", party, home, fp)
        || !mediation (g, case_id, home, p, i, township_home, holder_level, reg, TRUE, &t, &village_attempts,
                       &last_attempt, error))
      return FALSE;
  }
  /* a correction of the last attempt, with the same result: it must not count as an attempt */
  if (p->concluded && p->corrected
      && !write_attempt (g, case_id, home, p->level, 1, t, p->success, last_attempt, NULL, error))
    return FALSE;

  rec.dispatched = p->dispatched;
  if (p->dispatched)
    {
      g_autofree char *d = zz_store_new_id (g->store);
      const char *dep = g->departments->pdata[i % g->departments->len];
      gint64 at = reg + HOUR_MS;
      gint64 dl;
      const char *dstatus = p->returned ? "returned" : "accepted";

      if (p->returned)
        dl = reg + 10 * DAY_MS;
      else if (p->concluded)
        dl = (i % 2) ? concluded_at + DAY_MS : concluded_at - HOUR_MS;   /* on time, or late */
      else if (p->overdue)
        dl = reg + 10 * DAY_MS;                                        /* late and still open */
      else
        {
          dl = spec->now_ms + 20 * DAY_MS;                               /* pending */
          dstatus = "pending";
        }
      {
        ZzField f[] = {
          ZZ_F_TEXT ("case_id", case_id),
          ZZ_F_TEXT ("department_id", dep),
          ZZ_F_INT ("deadline_at", dl),
          ZZ_F_INT ("dispatched_at", at),
          ZZ_F_TEXT ("dispatched_by", g->author),
          ZZ_F_TEXT ("status", dstatus),
          g_str_equal (dstatus, "pending") ? ZZ_F_NULL ("answered_at") : ZZ_F_INT ("answered_at", at + HOUR_MS),
          ZZ_F_TEXT ("return_reason", p->returned ? "不属本部门职责" : NULL),
        };
        if (!INSERT ("case_dispatch", d, home, f))
          return FALSE;
      }
      rec.returned = p->returned;
      rec.department_id = dep;
      rec.dispatched_at = at;
      rec.dispatch_deadline = dl;
      /* supervision of late dispatches on open cases: a share get a note after the deadline */
      if (!p->returned && !p->concluded && p->overdue)
        {
          guint k = (*late_open_seen)++;
          gboolean noted = share_of (k + 1, spec->noted_share) > share_of (k, spec->noted_share);

          rec.noted = noted;
          if (noted)
            {
              g_autofree char *sid = zz_store_new_id (g->store);
              ZzField f[] = {
                ZZ_F_TEXT ("case_id", case_id),
                ZZ_F_TEXT ("note", "已超期，请三日内办结"),
                ZZ_F_INT ("overdue_days", 1),
                ZZ_F_INT ("at", dl + HOUR_MS),
                ZZ_F_TEXT ("author_id", g->author),
              };
              if (!INSERT ("supervision_note", sid, home, f))
                return FALSE;
            }
        }
    }
  if (visit_at)
    {
      g_autofree char *rid = zz_store_new_id (g->store);
      ZzField f[] = {
        ZZ_F_TEXT ("case_id", case_id),
        ZZ_F_TEXT ("satisfaction", satisfactions[p->satisfaction]),
        ZZ_F_TEXT ("notes", NULL),
        ZZ_F_INT ("at", visit_at),
        ZZ_F_TEXT ("author_id", g->author),
      };
      if (!INSERT ("return_visit", rid, home, f))
        return FALSE;
    }

  if (g->sink)
    {
      rec.id = case_id;
      rec.home = home;
      rec.registered_at = reg;
      rec.category = cat->key;
      rec.source = source;
      rec.concluded = p->concluded;
      rec.archived = archived_at != 0;
      rec.concluded_at = concluded_at;
      rec.deadline_at = deadline;
      rec.resolved = p->concluded ? p->level : ZZ_N_LEVELS;
      rec.success = p->concluded && p->success;
      rec.village_attempts = village_attempts;
      rec.corrected = p->concluded && p->corrected;
      rec.return_visit_at = visit_at;
      rec.satisfaction = visit_at ? satisfactions[p->satisfaction] : NULL;
      g->sink->add_case (g->sink->data, &rec);
    }
  return TRUE;
}

static gboolean
write_cases (Gen *g, ZzProgressFunc progress, gpointer progress_data, GError **error)
{
  const ZzStatsSpec *spec = g->spec;
  guint n = spec->n_cases;
  guint nc = share_of (n, spec->concluded_share);
  g_autofree guint8 *concluded = NULL;
  g_autofree guint8 *level = NULL, *success = NULL, *corrected = NULL, *visited = NULL, *satisfaction = NULL;
  g_autofree guint8 *overdue = NULL, *dispatched = NULL, *returned = NULL, *excess = NULL;
  guint nv, n_visited, n_dispatched, n_open = n - nc;
  guint ci = 0, oi = 0, vi = 0, di = 0, xi = 0, ai = 0, late_open = 0;
  gint64 span = spec->to_ms - 15 * DAY_MS - spec->from_ms;

  if (span <= 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The span of the generated cases is too short."));
      return FALSE;
    }
  concluded = yes_no (g->rand, n, spec->concluded_share);
  level = labels (g->rand, nc, spec->level_share, ZZ_N_LEVELS);
  success = yes_no (g->rand, nc, spec->success_share);
  corrected = yes_no (g->rand, nc, spec->correction_share);
  visited = yes_no (g->rand, nc, spec->return_visit_share);
  n_visited = share_of (nc, spec->return_visit_share);
  satisfaction = labels (g->rand, n_visited, spec->satisfaction_share, 3);
  overdue = yes_no (g->rand, n_open, spec->overdue_share);
  dispatched = yes_no (g->rand, n, spec->dispatch_share);
  n_dispatched = share_of (n, spec->dispatch_share);
  returned = yes_no (g->rand, n_dispatched, spec->returned_share);
  nv = 0;
  for (guint i = 0; i < nc; i++)
    nv += level[i] == ZZ_LEVEL_VILLAGE;
  excess = yes_no (g->rand, nv, spec->village_excess_share);

  for (guint i = 0; i < n; i++)
    {
      Plan p = { 0 };
      gint64 reg = spec->from_ms + (gint64) ((double) span * i / n);

      p.concluded = concluded[i];
      if (p.concluded)
        {
          p.level = level[ci];
          p.success = success[ci];
          p.corrected = corrected[ci];
          p.visited = visited[ci];
          if (p.visited)
            p.satisfaction = satisfaction[vi++];
          if (p.visited && p.satisfaction != 2)
            {
              p.archived = share_of (ai + 1, spec->archived_share) > share_of (ai, spec->archived_share);
              ai++;
            }
          if (p.level == ZZ_LEVEL_VILLAGE)
            p.excess = excess[xi++];
          ci++;
        }
      else
        p.overdue = overdue[oi++];
      p.dispatched = dispatched[i];
      if (p.dispatched)
        p.returned = returned[di++];
      if (!write_case (g, i, reg, &p, &late_open, error))
        return FALSE;
      if (progress && i % 2048 == 0)
        progress (0.9 * i / n, progress_data);
    }
  return TRUE;
}

static gboolean
write_visits (Gen *g, GError **error)
{
  const ZzStatsSpec *spec = g->spec;
  gint64 span = spec->to_ms - 15 * DAY_MS - spec->from_ms;
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < spec->n_visits; i++)
    {
      gint64 at = spec->from_ms + (gint64) ((double) span * i / spec->n_visits) + 9 * HOUR_MS;
      g_autofree char *day = zz_store_day_of (at);
      g_autofree char *vid = zz_store_new_id (g->store);
      g_autofree char *tid = zz_store_new_id (g->store);
      int people = 1 + (int) (i % 3);
      gboolean called = i % 10 != 0;
      gint64 wait = (gint64) (5 + i % 20) * MINUTE_MS;
      guint number = GPOINTER_TO_UINT (g_hash_table_lookup (numbers, day)) + 1;
      ZzField v[] = {
        ZZ_F_TEXT ("person_id", g->persons->pdata[(i * 7) % g->persons->len]),
        ZZ_F_INT ("people", people),
        ZZ_F_TEXT ("purpose", "咨询矛盾纠纷调处"),
        ZZ_F_TEXT ("category", "neighbours"),
        ZZ_F_INT ("arrived_at", at),
        ZZ_F_TEXT ("day", day),
        ZZ_F_TEXT ("clerk_id", g->author),
        ZZ_F_TEXT ("status", "done"),
        ZZ_F_TEXT ("outcome", called ? "answered" : "left"),
      };
      ZzField t[] = {
        ZZ_F_TEXT ("visit_id", vid),
        ZZ_F_TEXT ("window_id", g->windows->pdata[i % g->windows->len]),
        ZZ_F_TEXT ("day", day),
        ZZ_F_INT ("number", number),
        ZZ_F_TEXT ("status", "done"),
        ZZ_F_INT ("issued_at", at),
        called ? ZZ_F_INT ("called_at", at + wait) : ZZ_F_NULL ("called_at"),
        ZZ_F_INT ("ended_at", at + wait + 10 * MINUTE_MS),
        ZZ_F_TEXT ("outcome", called ? "answered" : "left"),
      };

      g_hash_table_insert (numbers, g_strdup (day), GUINT_TO_POINTER (number));
      if (!INSERT ("visit", vid, g->unit, v) || !INSERT ("ticket", tid, g->unit, t))
        return FALSE;
      if (g->sink)
        {
          ZzDemoStatsVisit tv = { g->unit, day, people, called ? wait : -1 };
          g->sink->add_visit (g->sink->data, &tv);
        }
    }
  return TRUE;
}

static gboolean
write_households (Gen *g, GError **error)
{
  const ZzStatsSpec *spec = g->spec;
  static const char *grades[] = { "high", "medium", "low", "" };
  g_autofree char *graded_on = zz_store_day_of (spec->now_ms - 300 * DAY_MS);
  g_autofree char *long_ago = zz_store_day_of (spec->now_ms - 200 * DAY_MS);
  g_autofree char *yesterday = zz_store_day_of (spec->now_ms - DAY_MS);
  guint k = 0;

  for (guint gi = 0; gi < 5; gi++)
    {
      guint count = gi < 4 ? spec->households[gi] : spec->households_delisted;
      g_autofree guint8 *overdue = yes_no (g->rand, count, gi < 3 ? spec->households_overdue_share : 0);

      for (guint i = 0; i < count; i++, k++)
        {
          const char *home = g->villages->pdata[k % g->villages->len];
          g_autofree char *id = zz_store_new_id (g->store);
          g_autofree char *vid = zz_store_new_id (g->store);
          g_autofree char *address = g_strdup_printf ("%s%u组", (char *) g->village_names->pdata[k % g->villages->len],
                                                      1 + i % 9);
          const char *grade = gi < 4 ? grades[gi] : "medium";
          gboolean listed = gi < 4;
          ZzField f[] = {
            ZZ_F_TEXT ("address", address),
            ZZ_F_TEXT ("head_name", "户主"),
            ZZ_F_TEXT ("grade", grade),
            ZZ_F_TEXT ("graded_on", *grade ? graded_on : NULL),
            ZZ_F_TEXT ("status", listed ? "active" : "delisted"),
            ZZ_F_TEXT ("delisted_on", listed ? NULL : yesterday),
            ZZ_F_TEXT ("registered_on", graded_on),
          };
          ZzField v[] = {
            ZZ_F_TEXT ("household_id", id),
            ZZ_F_TEXT ("day", overdue[i] ? long_ago : yesterday),
            ZZ_F_TEXT ("visitors", "包保干部"),
            ZZ_F_TEXT ("found", "情况稳定"),
            ZZ_F_INT ("logged_at", spec->now_ms - DAY_MS),
            ZZ_F_TEXT ("logged_by", g->author),
          };

          if (!INSERT ("household", id, home, f) || (*grade && !INSERT ("household_visit", vid, home, v)))
            return FALSE;
          if (g->sink)
            {
              ZzDemoStatsHousehold th = { id, home, grades[gi < 4 ? gi : 1], listed, listed && overdue[i] };
              g->sink->add_household (g->sink->data, &th);
            }
        }
    }
  return TRUE;
}

gboolean
zz_demo_stats (ZzStore *store, const ZzStatsSpec *spec, const ZzDemoStatsSink *sink, ZzProgressFunc progress,
               gpointer progress_data, GError **error)
{
  Gen g = { .store = store, .spec = spec, .sink = sink };
  gboolean ok = FALSE;

  g.unit = zz_store_get_node_org_unit (store);
  g.author = zz_store_get_user_id (store);
  if (!g.unit || !g.author)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Log in to a centre that is set up first."));
      return FALSE;
    }
  g.rand = g_rand_new_with_seed (14000);
  g.tag = zz_case_node_tag (zz_store_get_node_id (store));
  g.seqs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (!load (&g, error) || !zz_store_begin (store, error))
    goto out;
  ok = write_persons (&g, error) && write_cases (&g, progress, progress_data, error) && write_visits (&g, error)
       && write_households (&g, error) && save_seqs (&g, error);
  if (!ok)
    {
      zz_store_rollback (store);
      goto out;
    }
  ok = zz_store_commit (store, error);
  if (progress)
    progress (1.0, progress_data);
out:
  gen_clear (&g);
  return ok;
}

gboolean
zz_demo_stats_recent (ZzStore *store, guint n_cases, gint64 now_ms, GError **error)
{
  ZzStatsSpec spec;

  if (n_cases == 0)
    return TRUE;
  zz_stats_spec_init (&spec, 2024, 1);
  spec.now_ms = now_ms;
  spec.to_ms = now_ms - 30 * DAY_MS;
  spec.from_ms = spec.to_ms - 335 * DAY_MS;
  spec.n_cases = n_cases;
  spec.n_visits = n_cases / 2;
  /* most stay concluded (the demo's own cases show archiving) */
  spec.archived_share = 0.05;
  memset (spec.households, 0, sizeof spec.households);
  spec.households_delisted = 0;
  return zz_demo_stats (store, &spec, NULL, NULL, NULL, error);
}
