/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-stats-truth.h"
#include "zz-households.h"
#include "zz-stats.h"
#include "zz-test-store.h"
#include "zz-time.h"

#define DAY G_GINT64_CONSTANT (86400000)
#define MINUTE G_GINT64_CONSTANT (60000)
#define COUNTY "433122"

/* ---- an oracle: the definitions of zz-stats.h counted over what the generator wrote ---- */

typedef struct {
  gint64 registered, concluded, open, overdue, mediated, success, resolved[ZZ_N_LEVELS];
  gint64 dispatches, on_time, late, return_visits, satisfaction[3];
  gint64 visits, visitors, days, waits;
  double wait_sum;
  gint64 households[4], households_overdue;
  gint64 q_village, q_unvisited, q_late, q_households;
  GHashTable *categories, *sources, *departments;   /* key -> count (as pointer) */
} Expect;

static void
expect_clear (Expect *e)
{
  g_clear_pointer (&e->categories, g_hash_table_unref);
  g_clear_pointer (&e->sources, g_hash_table_unref);
  g_clear_pointer (&e->departments, g_hash_table_unref);
}

static void
bump (GHashTable *h, const char *key)
{
  g_hash_table_insert (h, (gpointer) key, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (h, key)) + 1));
}

static gint64
count_of (GHashTable *h, const char *key)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (h, key));
}

static gboolean
in (gint64 t, gint64 from, gint64 to)
{
  return t >= from && t < to;
}

static void
expect_compute (Expect *e, const ZzStatsTruth *truth, const char *unit, const ZzPeriod *period, gint64 now)
{
  gint64 from, to;
  g_autofree char *first = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&period->first),
                                            g_date_get_month (&period->first), g_date_get_day (&period->first));
  g_autofree char *last = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&period->last),
                                           g_date_get_month (&period->last), g_date_get_day (&period->last));
  g_autoptr(GHashTable) days = g_hash_table_new (g_str_hash, g_str_equal);

  memset (e, 0, sizeof *e);
  e->categories = g_hash_table_new (g_str_hash, g_str_equal);
  e->sources = g_hash_table_new (g_str_hash, g_str_equal);
  e->departments = g_hash_table_new (g_str_hash, g_str_equal);
  zz_period_bounds (period, zz_local_zone (), &from, &to);
  for (guint i = 0; i < truth->cases->len; i++)
    {
      const ZzStatsTruthCase *c = &g_array_index (truth->cases, ZzStatsTruthCase, i);

      if (!g_str_has_prefix (c->home, unit))
        continue;
      if (in (c->registered_at, from, to))
        {
          e->registered++;
          bump (e->categories, c->category);
          bump (e->sources, c->source);
          if (!c->concluded)
            {
              e->open++;
              e->overdue += c->deadline_at < now;
            }
        }
      if (c->concluded && in (c->concluded_at, from, to))
        {
          e->concluded++;
          e->mediated++;
          e->success += c->success;
          e->resolved[c->resolved]++;
          if (c->resolved == ZZ_LEVEL_VILLAGE && c->village_attempts > 3)
            e->q_village++;
          if (!c->archived && c->concluded_at < now - 7 * DAY && c->return_visit_at < c->concluded_at)
            e->q_unvisited++;
        }
      if (c->dispatched && !c->returned && in (c->dispatched_at, from, to))
        {
          e->dispatches++;
          bump (e->departments, c->department_id);
          if (c->concluded)
            {
              if (c->concluded_at <= c->dispatch_deadline)
                e->on_time++;
              else
                e->late++;
            }
          else if (now > c->dispatch_deadline)
            {
              e->late++;
              e->q_late += !c->noted;
            }
        }
      if (c->return_visit_at && in (c->return_visit_at, from, to))
        {
          e->return_visits++;
          e->satisfaction[g_str_equal (c->satisfaction, "satisfied") ? 0 : g_str_equal (c->satisfaction, "basic") ? 1 : 2]++;
        }
    }
  for (guint i = 0; i < truth->visits->len; i++)
    {
      const ZzStatsTruthVisit *v = &g_array_index (truth->visits, ZzStatsTruthVisit, i);

      if (!g_str_has_prefix (v->home, unit) || strcmp (v->day, first) < 0 || strcmp (v->day, last) > 0)
        continue;
      e->visits++;
      e->visitors += v->people;
      g_hash_table_add (days, v->day);
      if (v->wait_ms >= 0)
        {
          e->waits++;
          e->wait_sum += v->wait_ms;
        }
    }
  e->days = g_hash_table_size (days);
  for (guint i = 0; i < truth->households->len; i++)
    {
      const ZzStatsTruthHousehold *h = &g_array_index (truth->households, ZzStatsTruthHousehold, i);
      static const char *grades[] = { "high", "medium", "low", "" };

      if (!h->listed || !g_str_has_prefix (h->home, unit))
        continue;
      for (guint g = 0; g < 4; g++)
        e->households[g] += g_str_equal (h->grade, grades[g]);
      e->households_overdue += h->overdue;
    }
  e->q_households = e->households_overdue;
}

static int
row_of (const ZzTable *t, guint column, const char *text)
{
  for (guint r = 0; r < zz_table_n_rows (t); r++)
    if (g_strcmp0 (zz_table_get_text (t, r, column), text) == 0)
      return (int) r;
  return -1;
}

static gint64
table_int (const ZzTable *t, const char *label, const char *column)
{
  int r = row_of (t, 0, label);
  int c = zz_table_column_index (t, column);

  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (c, >=, 0);
  return zz_table_get_int (t, (guint) r, (guint) c);
}

static gint64
quality_count (const ZzTable *t, const char *problem, const char *link_prefix)
{
  gint64 n = 0;

  for (guint r = 0; r < zz_table_n_rows (t); r++)
    if (g_strcmp0 (zz_table_get_text (t, r, 0), problem) == 0)
      {
        g_assert_true (g_str_has_prefix (zz_table_get_link (t, r), link_prefix));
        n++;
      }
  return n;
}

static void
assert_rate (const ZzTable *t, const char *figure, double expected)
{
  int r = row_of (t, 0, figure);

  g_assert_cmpint (r, >=, 0);
  if (isnan (expected))
    g_assert_true (zz_table_is_null (t, (guint) r, 2));
  else
    g_assert_cmpfloat_with_epsilon (zz_table_get_double (t, (guint) r, 2), expected, 1e-9);
}

/* Every figure and table of @s against the oracle. */
static void
assert_matches (ZzStore *store, const ZzStats *s, const Expect *e, gboolean records)
{
  guint n;
  const ZzVocab *v;
  gint64 sum = 0;
  gint64 cap = ZZ_STATS_QUALITY_LIMIT / 4;

  g_assert_cmpint (s->registered, ==, e->registered);
  g_assert_cmpint (s->concluded, ==, e->concluded);
  g_assert_cmpint (s->open, ==, e->open);
  g_assert_cmpint (s->overdue, ==, e->overdue);
  g_assert_cmpint (s->mediated, ==, e->mediated);
  g_assert_cmpint (s->mediated_success, ==, e->success);
  for (guint l = 0; l < ZZ_N_LEVELS; l++)
    g_assert_cmpint (s->resolved[l], ==, e->resolved[l]);
  g_assert_cmpint (s->dispatches, ==, e->dispatches);
  g_assert_cmpint (s->dispatches_on_time, ==, e->on_time);
  g_assert_cmpint (s->dispatches_late, ==, e->late);
  g_assert_cmpint (s->return_visits, ==, e->return_visits);
  g_assert_cmpint (s->satisfied, ==, e->satisfaction[0]);
  g_assert_cmpint (s->basically_satisfied, ==, e->satisfaction[1]);
  g_assert_cmpint (s->dissatisfied, ==, e->satisfaction[2]);
  g_assert_cmpint (s->visits, ==, e->visits);
  g_assert_cmpint (s->visitors, ==, e->visitors);
  g_assert_cmpint (s->visit_days, ==, e->days);
  if (e->waits)
    g_assert_cmpfloat_with_epsilon (s->average_wait_minutes, e->wait_sum / e->waits / 60000.0, 1e-9);
  else
    g_assert_true (isnan (s->average_wait_minutes));
  g_assert_cmpint (s->households_high, ==, e->households[0]);
  g_assert_cmpint (s->households_medium, ==, e->households[1]);
  g_assert_cmpint (s->households_low, ==, e->households[2]);
  g_assert_cmpint (s->households_ungraded, ==, e->households[3]);
  g_assert_cmpint (s->households, ==, e->households[0] + e->households[1] + e->households[2] + e->households[3]);
  g_assert_cmpint (s->households_overdue, ==, e->households_overdue);

  /* the key figures */
  g_assert_cmpint (table_int (s->summary, "Cases registered", "count"), ==, e->registered);
  g_assert_cmpint (table_int (s->summary, "Cases concluded", "count"), ==, e->concluded);
  g_assert_cmpint (table_int (s->summary, "Cases open", "count"), ==, e->open);
  g_assert_cmpint (table_int (s->summary, "Cases overdue", "count"), ==, e->overdue);
  assert_rate (s->summary, "Mediation success rate", e->mediated ? (double) e->success / e->mediated : NAN);
  assert_rate (s->summary, "Resolved at village and township",
               e->concluded ? (double) (e->resolved[0] + e->resolved[1]) / e->concluded : NAN);
  assert_rate (s->summary, "Resolved at the county", e->concluded ? (double) e->resolved[2] / e->concluded : NAN);
  assert_rate (s->summary, "Dispatches on time", e->on_time + e->late ? (double) e->on_time / (e->on_time + e->late) : NAN);
  assert_rate (s->summary, "Satisfaction rate",
               e->return_visits ? (double) (e->satisfaction[0] + e->satisfaction[1]) / e->return_visits : NAN);
  g_assert_cmpint (table_int (s->summary, "Household visits overdue", "count"), ==, e->households_overdue);

  /* the level split, the categories (as named), the sources, satisfaction */
  v = zz_case_levels (&n);
  for (guint l = 0; l < n; l++)
    g_assert_cmpint (table_int (s->by_level, v[l].name, "cases"), ==, e->resolved[l]);
  v = zz_case_categories (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = zz_store_case_category_name (store, v[i].key);
      gint64 k = table_int (s->by_category, name, "cases");
      g_assert_cmpint (k, ==, count_of (e->categories, v[i].key));
      sum += k;
    }
  g_assert_cmpint (sum, ==, e->registered);
  v = zz_case_sources (&n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (table_int (s->by_source, v[i].name, "cases"), ==, count_of (e->sources, v[i].key));
  g_assert_cmpint (table_int (s->satisfaction, "Satisfied", "visits"), ==, e->satisfaction[0]);
  g_assert_cmpint (table_int (s->satisfaction, "Basically satisfied", "visits"), ==, e->satisfaction[1]);
  g_assert_cmpint (table_int (s->satisfaction, "Dissatisfied", "visits"), ==, e->satisfaction[2]);

  /* departments: each row as the oracle counts it by the department's name */
  sum = 0;
  for (guint r = 0; r < zz_table_n_rows (s->by_department); r++)
    {
      gint64 k = zz_table_get_int (s->by_department, r, 1);
      gint64 parts = zz_table_get_int (s->by_department, r, 2) + zz_table_get_int (s->by_department, r, 3)
                     + zz_table_get_int (s->by_department, r, 4);
      g_assert_cmpint (parts, ==, k);
      sum += k;
    }
  g_assert_cmpint (sum, ==, e->dispatches);
  g_assert_cmpuint (zz_table_n_rows (s->by_department), ==, g_hash_table_size (e->departments));

  /* reception, households by grade */
  g_assert_cmpint (zz_table_get_int (s->reception, 0, 0), ==, e->visits);
  g_assert_cmpint (zz_table_get_int (s->reception, 0, 1), ==, e->visitors);
  g_assert_cmpint (zz_table_get_int (s->reception, 0, 2), ==, e->days);
  g_assert_cmpint (table_int (s->by_grade, "High", "households"), ==, e->households[0]);
  g_assert_cmpint (table_int (s->by_grade, "Medium", "households"), ==, e->households[1]);
  g_assert_cmpint (table_int (s->by_grade, "Low", "households"), ==, e->households[2]);
  g_assert_cmpint (table_int (s->by_grade, "Ungraded", "households"), ==, e->households[3]);

  /* the quality list: each kind, up to its share of the limit, each with its link */
  if (records)
    {
      g_assert_cmpint (quality_count (s->quality, "Concluded at the village after more attempts than allowed", "case:"),
                       ==, MIN (e->q_village, cap));
      g_assert_cmpint (quality_count (s->quality, "Concluded with no return visit", "case:"), ==, MIN (e->q_unvisited, cap));
      g_assert_cmpint (quality_count (s->quality, "Dispatch past its deadline with no supervision note", "case:"),
                       ==, MIN (e->q_late, cap));
      g_assert_cmpint (quality_count (s->quality, "Household past its visit date with no visit since", "household:"),
                       ==, MIN (e->q_households, cap));
    }
  else
    g_assert_cmpuint (zz_table_n_rows (s->quality), ==, 0);
}

static guint
share (guint total, double s)
{
  return (guint) floor (total * s + 0.5);
}

/* (a) the seed's figures, straight from the spec */
static void
test_generated (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(ZzStatsTruth) truth = zz_stats_truth_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStats) county = NULL;
  g_autoptr(ZzStats) township = NULL;
  g_autoptr(ZzStats) village = NULL;
  g_autoptr(ZzStats) month = NULL;
  ZzStatsSpec spec;
  ZzPeriod year, june;
  Expect e;
  guint nc, n_open, n_visited, n_dispatched, nv;
  const char *township_code = NULL, *village_code = NULL;
  gint64 sum[5] = { 0 };
  int row;

  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  zz_stats_spec_init (&spec, 2025, 1);
  g_assert_cmpuint (spec.n_cases, ==, 14000);
  g_assert_true (zz_demo_stats (ts->store, &spec, zz_stats_truth_sink (truth), NULL, NULL, &error));
  g_assert_no_error (error);
  zz_store_set_now (ts->store, spec.now_ms);
  zz_period_year (&year, 2025);
  county = zz_store_compute_stats (ts->store, COUNTY, &year, &error);
  g_assert_no_error (error);
  g_assert_nonnull (county);
  g_assert_cmpstr (county->unit, ==, COUNTY);
  g_assert_cmpint (county->unit_level, ==, 3);
  g_assert_false (county->quality_withheld);

  /* The spec's exact answers: round(total × share) of each. */
  nc = share (spec.n_cases, spec.concluded_share);
  n_open = spec.n_cases - nc;
  g_assert_cmpint (county->registered, ==, 14000);
  g_assert_cmpint (county->concluded, ==, nc);
  g_assert_cmpint (county->open, ==, n_open);
  g_assert_cmpint (county->overdue, ==, share (n_open, spec.overdue_share));
  g_assert_cmpint (county->mediated, ==, nc);
  g_assert_cmpint (county->mediated_success, ==, share (nc, 0.97));
  g_assert_cmpint (county->resolved[ZZ_LEVEL_VILLAGE], ==, share (nc, spec.level_share[ZZ_LEVEL_VILLAGE]));
  g_assert_cmpint (county->resolved[ZZ_LEVEL_TOWNSHIP], ==, share (nc, spec.level_share[ZZ_LEVEL_TOWNSHIP]));
  g_assert_cmpint (county->resolved[ZZ_LEVEL_COUNTY], ==, share (nc, 0.23));
  g_assert_cmpint (county->resolved[ZZ_LEVEL_PREFECTURE], ==,
                   nc - share (nc, spec.level_share[ZZ_LEVEL_VILLAGE]) - share (nc, spec.level_share[ZZ_LEVEL_TOWNSHIP])
                   - share (nc, 0.23));
  /* the seed's 75 / 23 / 2 */
  g_assert_cmpfloat_with_epsilon ((double) (county->resolved[0] + county->resolved[1]) / county->concluded, 0.75, 0.0005);
  g_assert_cmpfloat_with_epsilon ((double) county->resolved[2] / county->concluded, 0.23, 0.0005);
  g_assert_cmpfloat_with_epsilon ((double) county->resolved[3] / county->concluded, 0.02, 0.0005);
  g_assert_cmpfloat_with_epsilon ((double) county->mediated_success / county->mediated, 0.97, 0.0005);
  n_visited = share (nc, spec.return_visit_share);
  g_assert_cmpint (county->return_visits, ==, n_visited);
  g_assert_cmpint (county->satisfied, ==, share (n_visited, 0.75));
  g_assert_cmpint (county->basically_satisfied, ==, share (n_visited, 0.20));
  g_assert_cmpint (county->dissatisfied, ==, n_visited - share (n_visited, 0.75) - share (n_visited, 0.20));
  n_dispatched = share (spec.n_cases, spec.dispatch_share);
  g_assert_cmpint (county->dispatches, ==, n_dispatched - share (n_dispatched, spec.returned_share));
  g_assert_cmpint (county->visits, ==, spec.n_visits);
  g_assert_cmpint (county->households_high, ==, spec.households[0]);
  g_assert_cmpint (county->households_medium, ==, spec.households[1]);
  g_assert_cmpint (county->households_low, ==, spec.households[2]);
  g_assert_cmpint (county->households_ungraded, ==, spec.households[3]);
  g_assert_cmpint (county->households_overdue, ==, share (spec.households[0], spec.households_overdue_share)
                   + share (spec.households[1], spec.households_overdue_share)
                   + share (spec.households[2], spec.households_overdue_share));
  nv = county->resolved[ZZ_LEVEL_VILLAGE];
  g_assert_cmpint (quality_count (county->quality, "Concluded at the village after more attempts than allowed", "case:"),
                   ==, share (nv, spec.village_excess_share));
  /* the trend: the year's twelve months add up */
  g_assert_cmpuint (zz_table_n_rows (county->trend), ==, 12);
  for (guint r = 0; r < 12; r++)
    {
      sum[0] += zz_table_get_int (county->trend, r, 1);
      sum[1] += zz_table_get_int (county->trend, r, 2);
    }
  g_assert_cmpint (sum[0], ==, 14000);
  g_assert_cmpint (sum[1], ==, nc);
  g_assert_cmpstr (zz_table_get_text (county->trend, 0, 0), ==, "2025-01");

  /* Everything again against the oracle, and the units below adding up to the county. */
  expect_compute (&e, truth, COUNTY, &year, spec.now_ms);
  assert_matches (ts->store, county, &e, TRUE);
  expect_clear (&e);
  memset (sum, 0, sizeof sum);
  for (guint r = 0; r < zz_table_n_rows (county->by_unit); r++)
    {
      g_assert_true (g_str_has_prefix (zz_table_get_link (county->by_unit, r), "unit:"));
      g_assert_cmpstr (zz_table_get_link (county->by_unit, r) + 5, ==, zz_table_get_text (county->by_unit, r, 1));
      for (guint c = 0; c < 4; c++)
        sum[c] += zz_table_get_int (county->by_unit, r, 2 + c);
      if (!township_code && zz_table_get_int (county->by_unit, r, 2) > 500)
        township_code = zz_table_get_text (county->by_unit, r, 1);
    }
  g_assert_cmpint (sum[0], ==, county->registered);
  g_assert_cmpint (sum[1], ==, county->concluded);
  g_assert_cmpint (sum[2], ==, county->open);
  g_assert_cmpint (sum[3], ==, county->overdue);
  g_assert_nonnull (township_code);

  /* Drill down to a township: its figures are its row above, and the oracle's. */
  township = zz_store_compute_stats (ts->store, township_code, &year, &error);
  g_assert_no_error (error);
  row = row_of (county->by_unit, 1, township_code);
  g_assert_cmpint (township->registered, ==, zz_table_get_int (county->by_unit, row, 2));
  g_assert_cmpint (township->concluded, ==, zz_table_get_int (county->by_unit, row, 3));
  g_assert_cmpint (township->open, ==, zz_table_get_int (county->by_unit, row, 4));
  g_assert_cmpint (township->overdue, ==, zz_table_get_int (county->by_unit, row, 5));
  g_assert_cmpfloat_with_epsilon (zz_table_get_double (county->by_unit, row, 6),
                                  (double) township->mediated_success / township->mediated, 1e-12);
  expect_compute (&e, truth, township_code, &year, spec.now_ms);
  assert_matches (ts->store, township, &e, TRUE);
  expect_clear (&e);
  g_assert_cmpint (township->unit_level, ==, 4);
  {
    g_autoptr(GListModel) crumbs = zz_store_stats_breadcrumb (ts->store, township_code);
    g_autoptr(ZzRow) first = g_list_model_get_item (crumbs, 0);
    g_autoptr(ZzRow) second = g_list_model_get_item (crumbs, 1);
    g_assert_cmpuint (g_list_model_get_n_items (crumbs), ==, 2);
    g_assert_cmpstr (zz_row_get (first, "code"), ==, COUNTY);
    g_assert_cmpstr (zz_row_get (second, "code"), ==, township_code);
    g_assert_cmpstr (zz_row_get (second, "name"), ==, township->unit_name);
  }
  /* the township's villages (and the cases homed at the township itself) add up to it */
  memset (sum, 0, sizeof sum);
  for (guint r = 0; r < zz_table_n_rows (township->by_unit); r++)
    {
      sum[0] += zz_table_get_int (township->by_unit, r, 2);
      sum[1] += zz_table_get_int (township->by_unit, r, 3);
      if (!village_code && zz_table_get_int (township->by_unit, r, 2) > 20 && zz_table_get_link (township->by_unit, r))
        village_code = zz_table_get_text (township->by_unit, r, 1);
    }
  g_assert_cmpint (sum[0], ==, township->registered);
  g_assert_cmpint (sum[1], ==, township->concluded);
  g_assert_nonnull (village_code);
  {
    /* the cases homed at the township itself: a row of their own, no link, entered here */
    g_autofree char *itself = g_strdup_printf ("%s (itself)", township->unit_name);
    int r = row_of (township->by_unit, 0, itself);
    g_assert_cmpint (r, >=, 0);
    g_assert_null (zz_table_get_link (township->by_unit, r));
    g_assert_cmpstr (zz_table_get_text (township->by_unit, r, 1), ==, township_code);
    g_assert_cmpint (zz_table_get_int (township->by_unit, r, 2), >, 0);
    g_assert_cmpint (zz_table_get_int (township->by_unit, r, 7), ==, spec.now_ms);
    g_assert_cmpint (row_of (county->by_unit, 0, "泸溪县 (itself)"), <, 0);   /* none at the county */
  }

  /* one village */
  village = zz_store_compute_stats (ts->store, village_code, &year, &error);
  g_assert_no_error (error);
  g_assert_cmpint (village->unit_level, ==, 5);
  g_assert_cmpuint (zz_table_n_rows (village->by_unit), ==, 0);
  expect_compute (&e, truth, village_code, &year, spec.now_ms);
  assert_matches (ts->store, village, &e, TRUE);
  g_assert_cmpint (village->registered, ==, e.registered);
  g_assert_cmpint (village->registered, >, 0);
  expect_clear (&e);

  /* one month at the county; its trend is the twelve months ending with it */
  zz_period_month (&june, 2025, 6);
  month = zz_store_compute_stats (ts->store, COUNTY, &june, &error);
  g_assert_no_error (error);
  expect_compute (&e, truth, COUNTY, &june, spec.now_ms);
  assert_matches (ts->store, month, &e, TRUE);
  expect_clear (&e);
  g_assert_cmpuint (zz_table_n_rows (month->trend), ==, 12);
  g_assert_cmpstr (zz_table_get_text (month->trend, 0, 0), ==, "2024-07");
  g_assert_cmpstr (zz_table_get_text (month->trend, 11, 0), ==, "2025-06");
  g_assert_cmpint (zz_table_get_int (month->trend, 11, 1), ==, month->registered);
  g_assert_cmpint (zz_table_get_int (month->trend, 5, 1), ==, 0);   /* 2024-12: before the data */

  /* The year still running: the months not begun yet have no figures (empty, not 0). */
  {
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (spec.now_ms / 1000);
    g_autoptr(ZzStats) running = NULL;
    ZzPeriod this_year;
    int m = g_date_time_get_month (now);

    zz_period_year (&this_year, g_date_time_get_year (now));
    running = zz_store_compute_stats (ts->store, COUNTY, &this_year, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (zz_table_n_rows (running->trend), ==, 12);
    for (int i = 0; i < 12; i++)
      {
        g_assert_cmpint (zz_table_is_null (running->trend, i, 1), ==, i >= m);
        g_assert_cmpint (zz_table_is_null (running->trend, i, 2), ==, i >= m);
      }
  }

  /* An administrator reads the figures but not the records of the quality list. */
  {
    g_autoptr(ZzStats) admin = NULL;

    zz_test_store_as (ts, ZZ_ROLE_ADMIN);
    admin = zz_store_compute_stats (ts->store, COUNTY, &year, &error);
    g_assert_no_error (error);
    expect_compute (&e, truth, COUNTY, &year, spec.now_ms);
    assert_matches (ts->store, admin, &e, FALSE);
    expect_clear (&e);
    g_assert_cmpuint (zz_table_n_columns (admin->quality), ==, 5);
    g_assert_true (admin->quality_withheld);
  }
}


/* ---- (b) a small county made through the real verbs, each figure counted by hand ---- */

#define VILLAGE "433122102201"     /* 六里村, 达岚镇 */
#define TOWNSHIP "433122102"

static char *
new_case (ZzTestStore *ts, gint64 at, const char *category)
{
  g_autoptr(GError) error = NULL;
  ZzPartyInput p[] = {
    { .role = "applicant", .name = "向秀英", .phone = "13807430001" },
    { .role = "respondent", .name = "张德明", .phone = "13907431234" },
  };
  ZzCaseInput in = {
    .source = "walk_in", .category = category, .summary = "两户因山林界址争执，砍伐杉木引发纠纷",
    .home = VILLAGE, .risk = "medium", .urgency = "normal", .parties = p, .n_parties = 2,
  };
  char *id = NULL;

  zz_store_set_now (ts->store, at);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_register_case (ts->store, &in, &id, &error));
  g_assert_no_error (error);
  return id;
}

static char *
mediate (ZzTestStore *ts, const char *case_id, gint64 at, const char *result, const char *amends)
{
  g_autoptr(GError) error = NULL;
  ZzAttemptInput in = {
    .case_id = case_id, .held_at = at, .place = "村综治中心", .mediators = "田志刚", .method = "on_site",
    .result = result, .terms = g_str_equal (result, "failed") ? NULL : "按原界址恢复", .amends = amends,
  };
  char *id = NULL;

  zz_store_set_now (ts->store, at);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_record_mediation (ts->store, &in, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
conclude (ZzTestStore *ts, const char *case_id, gint64 at)
{
  g_autoptr(GError) error = NULL;

  zz_store_set_now (ts->store, at);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_conclude_case (ts->store, case_id, "调解结案", &error));
  g_assert_no_error (error);
}

static char *
dispatch (ZzTestStore *ts, const char *case_id, guint dept, gint64 at, gint64 deadline, gboolean accept)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  zz_store_set_now (ts->store, at);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_dispatch_case (ts->store, case_id, ts->dept_id[dept], NULL, deadline, NULL, &id, &error));
  g_assert_true (accept ? zz_store_accept_dispatch (ts->store, id, &error)
                        : zz_store_return_dispatch (ts->store, id, "不属本部门职责", &error));
  g_assert_no_error (error);
  return id;
}

static void
return_visit (ZzTestStore *ts, const char *case_id, gint64 at, const char *satisfaction)
{
  g_autoptr(GError) error = NULL;

  zz_store_set_now (ts->store, at);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_record_feedback (ts->store, case_id, "已电话告知", &error));
  g_assert_true (zz_store_record_return_visit (ts->store, case_id, satisfaction, NULL, &error));
  g_assert_no_error (error);
}

static char *
graded_household (ZzTestStore *ts, const char *head, int idn, ZzGrade grade, guint factors)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = NULL;
  ZzMemberInput members[] = { { head, "户主", NULL, "13907431234", NULL } };
  ZzOfficialInput officials[] = { { ts->user_id[ZZ_ROLE_MEDIATOR], NULL, NULL } };
  ZzHouseholdInput in = { VILLAGE, "六里村三组12号", "向网格", NULL, members, 1, officials, 1 };
  char *id = NULL;

  (void) idn;
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_register_household (ts->store, &in, &id, &error));
  g_assert_true (zz_store_assess_household (ts->store, id, factors, NULL, NULL, NULL, &error));
  g_assert_true (zz_store_propose_grade (ts->store, id, grade, NULL, &error));
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static int
quality_row (const ZzTable *t, const char *link)
{
  for (guint r = 0; r < zz_table_n_rows (t); r++)
    if (g_strcmp0 (zz_table_get_link (t, r), link) == 0)
      return (int) r;
  return -1;
}

static void
test_verbs (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStats) s = NULL;
  g_autoptr(ZzStats) april = NULL;
  g_autoptr(ZzStats) other_township = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a2c = NULL, *a3 = NULL;
  g_autofree char *hh_high = NULL, *hh_low = NULL;
  g_autofree char *link = NULL;
  const gint64 t0 = ZZ_TEST_T0;   /* Monday 16 March 2026, 09:00 */
  gint64 from, to, read_at;
  ZzPeriod march, april_p;
  ZzTierLimits limits;

  zz_period_month (&march, 2026, 3);
  zz_period_bounds (&march, zz_local_zone (), &from, &to);
  read_at = to + DAY + 9 * 3600000;   /* 2 April, 09:00 */

  /* A: dispatched (on time), three attempts at the village and a correction of the second,
   * concluded, a dissatisfied return visit reopens it, concluded again, satisfied, archived. */
  a = new_case (ts, t0, "land_forest");
  g_free (dispatch (ts, a, 0, t0 + 3600000, t0 + 10 * DAY, TRUE));
  a1 = mediate (ts, a, t0 + DAY, "failed", NULL);
  a2 = mediate (ts, a, t0 + DAY + 3600000, "failed", NULL);
  a2c = mediate (ts, a, t0 + DAY + 2 * 3600000, "failed", a2);   /* a correction: not a fourth attempt */
  a3 = mediate (ts, a, t0 + 2 * DAY, "agreement", NULL);
  conclude (ts, a, t0 + 2 * DAY + 3600000);
  return_visit (ts, a, t0 + 3 * DAY, "dissatisfied");
  conclude (ts, a, t0 + 4 * DAY);
  return_visit (ts, a, t0 + 5 * DAY, "satisfied");
  zz_store_set_now (ts->store, t0 + 5 * DAY + 3600000);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_archive_case (ts->store, a, &error));

  /* B: escalated to the township, agreed there, concluded, never visited back. */
  b = new_case (ts, t0 + 3600000, "neighbours");
  zz_store_set_now (ts->store, t0 + 2 * 3600000);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_escalate_case (ts->store, b, "村级无法调处", &error));
  g_free (mediate (ts, b, t0 + 3 * 3600000, "agreement", NULL));
  conclude (ts, b, t0 + DAY);

  /* C: dispatched with a deadline of two days, still open: late, no supervision note. */
  c = new_case (ts, t0 + 2 * 3600000, "land_forest");
  g_free (dispatch (ts, c, 1, t0 + 3 * 3600000, t0 + 2 * DAY, TRUE));

  /* D: returned by one department (not counted), sent to another, late, but supervised. */
  d = new_case (ts, t0 + 3 * 3600000, "debt");
  g_free (dispatch (ts, d, 2, t0 + 4 * 3600000, t0 + 5 * DAY, FALSE));
  g_free (dispatch (ts, d, 0, t0 + 5 * 3600000, t0 + 3 * DAY, TRUE));
  zz_store_set_now (ts->store, t0 + 4 * DAY);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_add_supervision_note (ts->store, d, "已超期，请三日内办结", &error));
  g_assert_no_error (error);

  /* E: four attempts at the village while the limit was four (now three again), all failed,
   * concluded anyway (the parties go to court). */
  e = new_case (ts, t0 + 4 * 3600000, "debt");
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  zz_store_get_tier_limits (ts->store, &limits);
  limits.village_max = 4;
  g_assert_true (zz_store_set_tier_limits (ts->store, &limits, &error));
  for (int i = 0; i < 4; i++)
    g_free (mediate (ts, e, t0 + (6 + i) * DAY, "failed", NULL));
  conclude (ts, e, t0 + 10 * DAY);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  limits.village_max = 3;
  g_assert_true (zz_store_set_tier_limits (ts->store, &limits, &error));
  g_assert_no_error (error);

  /* F at 23:59:59.999 on 31 March is in March; G at the next midnight is not. */
  f = new_case (ts, to - 1, "family");
  g = new_case (ts, to, "family");

  /* Reception: two visits on the 16th, called after 10 and 25 minutes; one on the 17th never
   * called; one on 1 April. */
  {
    const struct { gint64 at; int people; const char *name; const char *phone; gint64 call; } visits[] = {
      { t0, 1, "彭春生", "13800000001", t0 + 10 * MINUTE },
      { t0 + 5 * MINUTE, 3, "龙翠兰", "13800000002", t0 + 30 * MINUTE },
      { t0 + DAY, 1, "石德胜", "13800000003", 0 },
      { to + 10 * 3600000, 2, "符海燕", "13800000004", 0 },
    };
    for (guint i = 0; i < G_N_ELEMENTS (visits); i++)
      {
        ZzVisitInput in = zz_test_visit (ts, 0, visits[i].name, visits[i].phone, NULL);

        in.people = visits[i].people;
        zz_store_set_now (ts->store, visits[i].at);
        zz_test_store_as (ts, ZZ_ROLE_CLERK);
        g_assert_true (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
        g_assert_no_error (error);
      }
    for (guint i = 0; i < 2; i++)
      {
        zz_store_set_now (ts->store, visits[i].call);
        g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], NULL, &error));
        g_assert_no_error (error);
      }
  }

  /* Households graded on 16 March: the high one is due weekly and never visited; the low one
   * was visited. */
  zz_store_set_now (ts->store, t0);
  hh_high = graded_household (ts, "张三", 1, ZZ_GRADE_HIGH, (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT));
  hh_low = graded_household (ts, "赵六", 3, ZZ_GRADE_LOW, 1u << ZZ_RISK_ELDERLY_ALONE);
  {
    ZzHouseholdVisitInput v = { "2026-03-30", "包保干部", "情况稳定", NULL, FALSE };
    zz_store_set_now (ts->store, t0 + 14 * DAY);
    zz_test_store_as (ts, ZZ_ROLE_CLERK);
    g_assert_true (zz_store_log_household_visit (ts->store, hh_low, &v, NULL, &error));
    g_assert_no_error (error);
  }

  /* Read on 2 April. */
  zz_store_set_now (ts->store, read_at);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  s = zz_store_compute_stats (ts->store, COUNTY, &march, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->from_ms, ==, from);
  g_assert_cmpint (s->to_ms, ==, to);

  g_assert_cmpint (s->registered, ==, 6);          /* A B C D E F; not G */
  g_assert_cmpint (s->concluded, ==, 3);           /* A (again), B, E */
  g_assert_cmpint (s->open, ==, 3);                /* C D F */
  {
    g_autoptr(ZzRow) fr = zz_store_get_case (ts->store, f);
    g_assert_cmpint (zz_row_get_int (fr, "deadline_at"), >, read_at);   /* F is not overdue yet */
  }
  g_assert_cmpint (s->overdue, ==, 2);             /* C D */
  g_assert_cmpint (s->mediated, ==, 3);
  g_assert_cmpint (s->mediated_success, ==, 2);    /* A B; E failed */
  g_assert_cmpint (s->resolved[ZZ_LEVEL_VILLAGE], ==, 2);
  g_assert_cmpint (s->resolved[ZZ_LEVEL_TOWNSHIP], ==, 1);
  g_assert_cmpint (s->resolved[ZZ_LEVEL_COUNTY], ==, 0);
  g_assert_cmpint (s->dispatches, ==, 3);          /* A, C, D's second; the returned one is left out */
  g_assert_cmpint (s->dispatches_on_time, ==, 1);  /* A */
  g_assert_cmpint (s->dispatches_late, ==, 2);     /* C, D */
  {
    g_autoptr(GListModel) deps = zz_store_list_departments (ts->store);
    g_autofree char *name0 = NULL, *name1 = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (deps); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (deps, i);
        if (g_strcmp0 (zz_row_get_id (r), ts->dept_id[0]) == 0)
          name0 = g_strdup (zz_row_get (r, "name"));
        if (g_strcmp0 (zz_row_get_id (r), ts->dept_id[1]) == 0)
          name1 = g_strdup (zz_row_get (r, "name"));
      }
    g_assert_cmpuint (zz_table_n_rows (s->by_department), ==, 2);
    g_assert_cmpint (table_int (s->by_department, name0, "dispatched"), ==, 2);
    g_assert_cmpint (table_int (s->by_department, name0, "on_time"), ==, 1);
    g_assert_cmpint (table_int (s->by_department, name0, "late"), ==, 1);
    g_assert_cmpint (table_int (s->by_department, name1, "late"), ==, 1);
    g_assert_cmpint (table_int (s->by_department, name1, "pending"), ==, 0);
  }
  g_assert_cmpint (s->return_visits, ==, 2);
  g_assert_cmpint (s->satisfied, ==, 1);
  g_assert_cmpint (s->dissatisfied, ==, 1);
  assert_rate (s->summary, "Satisfaction rate", 0.5);
  assert_rate (s->summary, "Mediation success rate", 2.0 / 3.0);
  assert_rate (s->summary, "Dispatches on time", 1.0 / 3.0);
  g_assert_cmpint (s->visits, ==, 3);
  g_assert_cmpint (s->visitors, ==, 5);
  g_assert_cmpint (s->visit_days, ==, 2);
  g_assert_cmpfloat_with_epsilon (s->average_wait_minutes, 17.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (zz_table_get_double (s->reception, 0, 3), 2.5, 1e-9);
  g_assert_cmpint (s->households, ==, 2);
  g_assert_cmpint (s->households_high, ==, 1);
  g_assert_cmpint (s->households_low, ==, 1);
  g_assert_cmpint (s->households_overdue, ==, 1);
  g_assert_cmpint (table_int (s->by_category, "Land and forest", "cases"), ==, 2);
  g_assert_cmpint (table_int (s->by_category, "Contracts and debts", "cases"), ==, 2);
  g_assert_cmpint (table_int (s->by_source, "Walk-in visit", "cases"), ==, 6);
  g_assert_cmpint (table_int (s->by_level, "Village", "cases"), ==, 2);

  /* the tables in the dashboard's order; each key figure fills the one column of its kind */
  {
    g_autoptr(GPtrArray) tables = zz_stats_tables (s);
    static const char *keys[] = { "summary", "by_level", "trend", "by_category", "by_source", "by_department",
                                  "satisfaction", "reception", "households", "by_unit", "quality" };
    g_assert_cmpuint (tables->len, ==, G_N_ELEMENTS (keys));
    for (guint i = 0; i < tables->len; i++)
      g_assert_cmpstr (zz_table_get_key (tables->pdata[i]), ==, keys[i]);
    for (guint r = 0; r < zz_table_n_rows (s->summary); r++)
      {
        guint filled = 0;
        for (guint col = 1; col < 4; col++)
          filled += !zz_table_is_null (s->summary, r, col);
        g_assert_cmpuint (filled, <=, 1);
      }
    g_assert_true (zz_table_is_null (s->summary, row_of (s->summary, 0, "Cases registered"), 2));
    g_assert_cmpfloat_with_epsilon (zz_table_get_double (s->summary, row_of (s->summary, 0, "Visitors per day"), 3),
                                    2.5, 1e-9);
    g_assert_cmpfloat_with_epsilon (zz_table_get_double (s->summary, row_of (s->summary, 0, "Average wait (minutes)"), 3),
                                    17.5, 1e-9);
  }

  /* the quality list: each of the four kinds, with the right record */
  g_assert_cmpuint (zz_table_n_rows (s->quality), ==, 4);
  link = g_strconcat ("case:", e, NULL);
  g_assert_cmpint (quality_row (s->quality, link), >=, 0);
  g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 0), ==,
                   "Concluded at the village after more attempts than allowed");
  g_free (link);
  link = g_strconcat ("case:", b, NULL);
  g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 0), ==, "Concluded with no return visit");
  g_free (link);
  link = g_strconcat ("case:", c, NULL);
  g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 0), ==,
                   "Dispatch past its deadline with no supervision note");
  {
    g_autoptr(ZzRow) cr = zz_store_get_case (ts->store, c);
    g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 1), ==, zz_row_get (cr, "number"));
    g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 2), ==, "六里村");
  }
  g_free (link);
  link = g_strconcat ("household:", hh_high, NULL);
  g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 0), ==,
                   "Household past its visit date with no visit since");
  g_assert_cmpstr (zz_table_get_text (s->quality, quality_row (s->quality, link), 1), ==, "张三");
  /* A (three attempts and a correction) and D (supervised) are not on it */
  g_free (link);
  link = g_strconcat ("case:", a, NULL);
  g_assert_cmpint (quality_row (s->quality, link), <, 0);
  g_free (link);
  link = g_strconcat ("case:", d, NULL);
  g_assert_cmpint (quality_row (s->quality, link), <, 0);

  /* the units below: everything is in 达岚镇 */
  {
    int r = row_of (s->by_unit, 1, TOWNSHIP);
    g_assert_cmpint (r, >=, 0);
    g_assert_cmpint (zz_table_get_int (s->by_unit, r, 2), ==, 6);
    g_assert_cmpint (zz_table_get_int (s->by_unit, r, 3), ==, 3);
    /* entered at this centre: its data is as of now */
    g_assert_cmpint (zz_table_get_int (s->by_unit, r, 7), ==, read_at);
  }
  other_township = zz_store_compute_stats (ts->store, "433122104", &march, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other_township->registered, ==, 0);
  g_assert_cmpint (other_township->households, ==, 0);
  g_assert_cmpint (other_township->visits, ==, 0);   /* visits are the county centre's */

  /* April: G, and the visit of 1 April; A's conclusion is March's */
  zz_period_month (&april_p, 2026, 4);
  april = zz_store_compute_stats (ts->store, COUNTY, &april_p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (april->registered, ==, 1);
  g_assert_cmpint (april->concluded, ==, 0);
  g_assert_cmpint (april->visits, ==, 1);
  g_assert_cmpint (april->visitors, ==, 2);
  g_assert_true (isnan (april->average_wait_minutes));
  /* its trend: March's figures in its second-to-last month */
  g_assert_cmpstr (zz_table_get_text (april->trend, 10, 0), ==, "2026-03");
  g_assert_cmpint (zz_table_get_int (april->trend, 10, 1), ==, 6);
  g_assert_cmpint (zz_table_get_int (april->trend, 10, 2), ==, 3);
  g_assert_cmpint (zz_table_get_int (april->trend, 11, 1), ==, 1);
}


/* ---- the command line ---- */

static char *
run_cli (const char *db, int *status, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("ZZ_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err,
                               &wait_status, &error));
  g_assert_no_error (error);
  *status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
  return out;
}

static void
test_cli (void)
{
  g_autoptr(ZzTestStore) ts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStats) s = NULL;
  g_autofree char *out = NULL, *err = NULL, *line = NULL, *number = NULL;
  ZzStatsSpec spec;
  ZzPeriod year;
  int status = 0;

  if (!g_getenv ("ZZ_CLI"))
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  ts = zz_test_store_new ();
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  zz_stats_spec_init (&spec, 2025, 1);
  spec.n_cases = 300;
  spec.n_visits = 50;
  g_assert_true (zz_demo_stats (ts->store, &spec, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  zz_period_year (&year, 2025);
  s = zz_store_compute_stats (ts->store, "433122102", &year, &error);
  g_assert_no_error (error);

  /* the figures of a township for scripts: the same as the store's, each table by its title */
  out = run_cli (ts->path, &status, &err, "--as", "supervisor", "stats", "--unit", "433122102", "--period", "2025", NULL);
  g_assert_cmpint (status, ==, 0);
  number = g_strdup_printf ("%lld", (long long) s->registered);
  g_assert_nonnull (strstr (out, "Cases registered"));
  line = g_strndup (strstr (out, "Cases registered"), strcspn (strstr (out, "Cases registered"), "\n"));
  {
    /* "Cases registered   123   —   —" */
    g_auto(GStrv) words = g_strsplit_set (line + strlen ("Cases registered"), " ", -1);
    gboolean found = FALSE;
    for (guint i = 0; words[i]; i++)
      found |= g_str_equal (words[i], number);
    g_assert_true (found);
  }
  g_assert_nonnull (strstr (out, "== Cases resolved by level =="));
  g_assert_nonnull (strstr (out, "== Units below =="));
  g_assert_nonnull (strstr (out, "433122102 (2025)"));
  g_free (out);
  g_free (err);
  /* one table only */
  out = run_cli (ts->path, &status, &err, "--as", "supervisor", "stats", "--unit", "433122102", "--period", "2025-Q2",
                 "--table", "trend", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "2025-04"));
  g_assert_null (strstr (out, "Key figures"));
  g_free (out);
  g_free (err);
  /* bad input: a clear message, a failing status */
  out = run_cli (ts->path, &status, &err, "--as", "supervisor", "stats", "--period", "2025-13", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "A month is numbered 01 to 12."));
  g_free (out);
  g_free (err);
  out = run_cli (ts->path, &status, &err, "--as", "supervisor", "stats", "--unit", "433123", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "This unit is outside your jurisdiction."));
  g_free (out);
  g_free (err);
  out = run_cli (ts->path, &status, &err, "--as", "clerk", "stats", NULL);
  g_assert_cmpint (status, !=, 0);
  g_free (out);
  g_free (err);
  out = run_cli (ts->path, &status, &err, "--as", "supervisor", "stats", "--table", "nonsense", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "nonsense"));
}

/* (c) refusals */
static void
test_refusals (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStats) s = NULL;
  ZzPeriod p;

  zz_period_year (&p, 2026);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  /* Another county (Fenghuang, 433123) is outside this centre's jurisdiction. */
  s = zz_store_compute_stats (ts->store, "433123", &p, &error);
  g_assert_null (s);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_assert_cmpstr (error->message, ==, "This unit is outside your jurisdiction.");
  g_clear_error (&error);
  /* The prefecture above it too. */
  s = zz_store_compute_stats (ts->store, "4331", &p, &error);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  s = zz_store_compute_stats (ts->store, "433122999", &p, &error);
  g_assert_null (s);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "433122999"));
  g_clear_error (&error);
  {
    g_autoptr(GListModel) none = zz_store_stats_breadcrumb (ts->store, "433123");
    g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  }
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  s = zz_store_compute_stats (ts->store, COUNTY, &p, &error);
  g_assert_null (s);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_NONE);
  s = zz_store_compute_stats (ts->store, COUNTY, &p, &error);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  /* NULL is the centre's own unit; an empty centre has every figure 0 and every rate empty */
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  s = zz_store_compute_stats (ts->store, NULL, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->unit, ==, COUNTY);
  g_assert_cmpint (s->registered, ==, 0);
  g_assert_true (isnan (s->average_wait_minutes));
  assert_rate (s->summary, "Mediation success rate", NAN);
  g_assert_cmpuint (zz_table_n_rows (s->quality), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/generated", test_generated);
  g_test_add_func ("/stats/verbs", test_verbs);
  g_test_add_func ("/stats/refusals", test_refusals);
  g_test_add_func ("/stats/cli", test_cli);
  return g_test_run ();
}
