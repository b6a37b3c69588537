/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench startup: what a start costs on a county's database, cold (the file's pages dropped from
 * the page cache first, as after a reboot) and warm. */
#define G_LOG_DOMAIN "zz-bench-startup"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zz-bench.h"
#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-stats.h"

#define RUNS 3

/* Drops the database's pages from the page cache (posix_fadvise DONTNEED on the file and its WAL). */
static void
drop_cache (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      int fd = open (p, O_RDONLY);
      if (fd < 0)
        continue;
      fdatasync (fd);
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
}

/* Leaves the database as a power cut does: a process commits and dies without closing. */
static gboolean
leave_unclean (const char *path)
{
  pid_t child = fork ();
  int status = 0;

  if (child == 0)
    {
      sqlite3 *db = NULL;
      if (sqlite3_open (path, &db) != SQLITE_OK
          || sqlite3_exec (db, "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS bench_power_cut (at INTEGER);"
                               "INSERT INTO bench_power_cut VALUES (1);", NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);
    }
  return child > 0 && waitpid (child, &status, 0) == child && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

typedef struct {
  const char *name;
  double ms[2][RUNS];   /* cold, warm */
} Step;

enum { OPEN_CLEAN, OPEN_UNCLEAN, CHECK, LOGIN, DESK, CASES, LEDGER, STATS_YEAR, STATS_MONTH, N_STEPS };

static Step steps[N_STEPS] = {
  { "store open after a clean exit" },
  { "store open after an unclean exit" },
  { "  (file check, now in the background)" },
  { "log in (the user and the role)" },
  { "desk: windows, today's tickets, summary" },
  { "cases: list count and first page" },
  { "mediation log: first page, review items" },
  { "statistics: the year, county" },
  { "statistics: the month, county" },
};

static double
since (gint64 t)
{
  return (g_get_monotonic_time () - t) / 1000.0;
}

static gboolean
one_run (const char *path, const char *unit, gboolean cold, guint run, GError **error)
{
  g_autoptr(ZzStore) store = NULL;
  g_autofree char *today = NULL, *year = NULL, *month = NULL;
  ZzPeriod period;
  gint64 t;
  int c = cold ? 0 : 1;

  /* after an unclean exit */
  if (!leave_unclean (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not leave the database unclean");
      return FALSE;
    }
  if (cold)
    drop_cache (path);
  t = g_get_monotonic_time ();
  store = zz_store_open (path, error);
  steps[OPEN_UNCLEAN].ms[c][run] = since (t);
  if (!store)
    return FALSE;
  t = g_get_monotonic_time ();
  if (!zz_store_check_file (path, FALSE, NULL, error))
    return FALSE;
  steps[CHECK].ms[c][run] = since (t);
  g_clear_object (&store);

  /* after a clean exit, then what the window reads before its first frame */
  if (cold)
    drop_cache (path);
  t = g_get_monotonic_time ();
  store = zz_store_open (path, error);
  steps[OPEN_CLEAN].ms[c][run] = since (t);
  if (!store)
    return FALSE;
  t = g_get_monotonic_time ();
  if (!zz_store_act_as (store, "supervisor", error))
    return FALSE;
  steps[LOGIN].ms[c][run] = since (t);

  today = zz_store_day_of (zz_store_now (store));
  t = g_get_monotonic_time ();
  {
    g_autoptr(GListModel) windows = zz_store_list_windows (store);
    g_autoptr(GListModel) tickets = zz_store_list_tickets (store, NULL, today);
    g_autoptr(GListModel) per_window = NULL;
    g_autoptr(GListModel) groups = zz_store_group_visits (store, today, today);
    g_autoptr(GListModel) categories = zz_store_case_categories (store, FALSE);
    ZzDeskSummary summary;
    zz_store_desk_summary (store, today, &summary, &per_window);
  }
  steps[DESK].ms[c][run] = since (t);

  t = g_get_monotonic_time ();
  {
    g_autoptr(ZzCaseList) list = zz_case_list_new (store);
    ZzCaseFilter filter = { .status = "open" };
    zz_case_list_set_filter (list, &filter);
    if (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), 0));
  }
  steps[CASES].ms[c][run] = since (t);

  t = g_get_monotonic_time ();
  {
    ZzLedgerFilter filter = { 0 };
    guint total = 0;
    g_autoptr(GListModel) page = zz_store_find_attempts (store, &filter, 100);
    g_autoptr(GListModel) reviews = zz_store_find_review_items (store, 30, &total);
  }
  steps[LEDGER].ms[c][run] = since (t);

  year = g_strndup (today, 4);
  month = g_strndup (today, 7);
  for (int s = STATS_YEAR; s <= STATS_MONTH; s++)
    {
      g_autoptr(ZzStats) stats = NULL;
      if (!zz_period_parse (s == STATS_YEAR ? year : month, &period, error))
        return FALSE;
      t = g_get_monotonic_time ();
      stats = zz_store_compute_stats (store, unit, &period, error);
      steps[s].ms[c][run] = since (t);
      if (!stats)
        return FALSE;
    }
  return TRUE;
}

static double
median (double *v)
{
  double s[RUNS];

  memcpy (s, v, sizeof s);
  qsort (s, RUNS, sizeof (double), (int (*) (const void *, const void *)) zz_bench_cmp_double);
  return s[RUNS / 2];
}

int
zz_bench_startup_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL, *unit = NULL;
  const char *keep = NULL;
  guint n = 50000;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--file") && i + 1 < argc)
      keep = argv[++i];
    else if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1000);
      }
  if (keep && g_file_test (keep, G_FILE_TEST_EXISTS))
    path = g_strdup (keep);
  else
    {
      double secs = 0;
      gint64 ops = 0;

      if (keep)
        path = g_strdup (keep);
      else
        {
          dir = g_dir_make_tmp ("zz-bench-startup-XXXXXX", &error);
          if (!dir)
            goto fail;
          path = g_build_filename (dir, "county.db", NULL);
        }
      if (!zz_bench_stats_generate (path, n, &secs, &ops, &error))
        goto fail;
      g_print ("generated %u cases (%" G_GINT64_FORMAT " ops) in %.0f s\n", n, ops, secs);
    }
  {
    g_autoptr(ZzStore) store = zz_store_open (path, &error);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    gint64 cases = -1;

    if (!store)
      goto fail;
    unit = g_strdup (zz_store_get_node_org_unit (store));
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
        && sqlite3_prepare_v2 (db, "SELECT count(*) FROM case_file", -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step (stmt) == SQLITE_ROW)
      cases = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_print ("bench startup on %s: %" G_GINT64_FORMAT " cases, %s\n", path, cases, unit);
  }
  for (guint run = 0; run < RUNS; run++)
    if (!one_run (path, unit, TRUE, run, &error) || !one_run (path, unit, FALSE, run, &error))
      goto fail;
  g_print ("  %-44s %12s %12s   (median of %d runs)\n", "", "cold ms", "warm ms", RUNS);
  for (int s = 0; s < N_STEPS; s++)
    g_print ("  %-44s %12.1f %12.1f\n", steps[s].name, median (steps[s].ms[0]), median (steps[s].ms[1]));
  {
    double cold = 0, warm = 0;
    for (int s = OPEN_CLEAN; s <= LEDGER; s++)
      if (s != OPEN_UNCLEAN && s != CHECK)
        cold += median (steps[s].ms[0]), warm += median (steps[s].ms[1]);
    g_print ("  %-44s %12.1f %12.1f\n", "start to a desk, case list and log (sum)", cold, warm);
  }
  if (dir)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autofree char *key = g_strconcat (path, ".key", NULL);
      g_unlink (path), g_unlink (wal), g_unlink (shm), g_unlink (key);
      g_rmdir (dir);
    }
  return 0;
fail:
  g_printerr ("Error: %s\n", error ? error->message : "unknown");
  return 1;
}
