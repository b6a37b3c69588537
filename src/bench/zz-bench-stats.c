/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench-stats"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-bench.h"
#include "zz-demo-stats.h"
#include "zz-stats.h"
#include "zz-store-private.h"

#define RUNS 5
#define FIRST_YEAR 2023
#define YEARS 3

static void
spec_for (ZzStatsSpec *spec, guint n)
{
  zz_stats_spec_init (spec, FIRST_YEAR, YEARS);
  spec->n_cases = n;
  spec->n_visits = MAX (n / 3, 100);
  for (guint i = 0; i < 4; i++)
    spec->households[i] *= 5;
}

gboolean
zz_bench_stats_generate (const char *path, guint n, double *seconds, gint64 *ops, GError **error)
{
  g_autoptr(ZzStore) store = zz_bench_county_store (path, "泸溪县综治中心", error);
  ZzStatsSpec spec;
  gint64 t;

  if (!store
      || !zz_store_create_user (store, "supervisor", "向志强", ZZ_ROLE_SUPERVISOR, "Bench2024", NULL, error))
    return FALSE;
  for (int i = 0; i < 14; i++)
    {
      g_autofree char *dept = g_strdup_printf ("部门%d", i + 1);
      if (!zz_store_save_department (store, NULL, dept, i + 1, "permanent", 31, NULL, error))
        return FALSE;
    }
  if (!zz_store_act_as (store, "supervisor", error))
    return FALSE;
  spec_for (&spec, n);
  t = g_get_monotonic_time ();
  if (!zz_demo_stats (store, &spec, NULL, zz_bench_progress, NULL, error))
    return FALSE;
  *seconds = (g_get_monotonic_time () - t) / 1e6;
  *ops = zz_store_count_ops (store);
  if (isatty (2))
    g_printerr ("\r");
  return TRUE;
}

/* Times the whole dashboard RUNS times on a fresh connection (the first run starts cold, as after
 * opening the program). */
static gboolean
measure (const char *path, const char *what, const char *unit, const char *period_text, gint64 now, GError **error)
{
  g_autoptr(ZzStore) store = zz_store_open (path, error);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  ZzPeriod period;
  gint64 registered = 0;
  double first;

  if (!store || !zz_store_act_as (store, "supervisor", error) || !zz_period_parse (period_text, &period, error))
    return FALSE;
  zz_store_set_now (store, now);
  for (int i = 0; i < RUNS; i++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(ZzStats) s = zz_store_compute_stats (store, unit, &period, error);
      double d = (g_get_monotonic_time () - t) / 1000.0;

      if (!s)
        return FALSE;
      registered = s->registered;
      g_array_append_val (ms, d);
    }
  first = g_array_index (ms, double, 0);
  g_array_sort (ms, zz_bench_cmp_double);
  g_print ("  %-36s %7" G_GINT64_FORMAT " cases registered   median %6.1f ms   max %6.1f ms   first (cold) %6.1f ms\n",
           what, registered, g_array_index (ms, double, RUNS / 2), g_array_index (ms, double, RUNS - 1), first);
  return TRUE;
}

int
zz_bench_stats_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *township = NULL;
  g_autofree char *year = g_strdup_printf ("%d", FIRST_YEAR + YEARS - 1);
  g_autofree char *month = g_strdup_printf ("%d-06", FIRST_YEAR + YEARS - 1);
  g_autofree char *what_year = NULL, *what_township = NULL, *what_month = NULL;
  const char *keep = NULL;
  guint n = 500000;
  double gen_s = 0;
  gint64 n_ops = 0;
  ZzStatsSpec spec;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--file") && i + 1 < argc)
      keep = argv[++i];
    else if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1000);
      }
  if (keep)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("zz-bench-stats-XXXXXX", &error);
      if (!dir)
        goto fail;
      path = g_build_filename (dir, "stats.db", NULL);
    }
  if (keep && g_file_test (path, G_FILE_TEST_EXISTS))
    g_print ("bench stats (the database %s)\n", path);
  else
    {
      if (!zz_bench_stats_generate (path, n, &gen_s, &n_ops, &error))
        goto fail;
      g_print ("bench stats (%u cases over %d–%d at county 433122, generated through the one write path)\n", n,
               FIRST_YEAR, FIRST_YEAR + YEARS - 1);
      g_print ("  generation: %.1f s (%.0f cases/s, %" G_GINT64_FORMAT " ops, one transaction)\n", gen_s, n / gen_s,
               n_ops);
    }
  spec_for (&spec, n);
  {
    /* the township with the most cases */
    g_autoptr(ZzStore) store = zz_store_open (path, &error);
    sqlite3_stmt *stmt;

    if (!store)
      goto fail;
    stmt = zz_store_stmt (store, "SELECT substr(home, 1, 9) AS t FROM case_file GROUP BY t ORDER BY count(*) DESC LIMIT 1",
                          &error);
    if (!stmt)
      goto fail;
    if (sqlite3_step (stmt) == SQLITE_ROW)
      township = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }
  g_print ("  the whole dashboard (zz_store_compute_stats: every figure and table), %d runs each:\n", RUNS);
  what_year = g_strdup_printf ("year %s, county 433122", year);
  what_township = g_strdup_printf ("year %s, township %s", year, township ? township : "?");
  what_month = g_strdup_printf ("month %s, county 433122", month);
  if (!measure (path, what_year, "433122", year, spec.now_ms, &error)
      || (township && !measure (path, what_township, township, year, spec.now_ms, &error))
      || !measure (path, what_month, "433122", month, spec.now_ms, &error))
    goto fail;
  if (dir)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
fail:
  g_printerr ("Error: %s\n", error ? error->message : "unknown");
  return 1;
}
