/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench-cases"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-bench.h"
#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-demo-cases.h"
#include "zz-store-private.h"

static void
report (const char *what, GArray *ms)
{
  double median, p95, max;

  g_array_sort (ms, zz_bench_cmp_double);
  median = g_array_index (ms, double, ms->len / 2);
  p95 = g_array_index (ms, double, MIN (ms->len - 1, (guint) (ms->len * 0.95)));
  max = g_array_index (ms, double, ms->len - 1);
  g_print ("  %-34s %4u queries  median %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", what, ms->len, median, p95, max);
}

static ZzStore *
open_as (const char *path, GError **error)
{
  g_autoptr(ZzStore) store = zz_store_open (path, error);

  if (!store || !zz_store_act_as (store, "mediator", error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Scrolls a list end to end as a view would (row by row); returns ms. */
static double
scroll_all (ZzCaseList *list)
{
  gint64 t = g_get_monotonic_time ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert (r != NULL);
    }
  return (g_get_monotonic_time () - t) / 1000.0;
}

static gboolean
generate (const char *path, guint n, double *seconds, gint64 *ops, GError **error)
{
  g_autoptr(ZzStore) store = zz_bench_county_store (path, "泸溪县综治中心", error);
  gint64 t;

  if (!store
      || !zz_store_create_user (store, "mediator", "王德明", ZZ_ROLE_MEDIATOR, "Bench2024", NULL, error)
      || !zz_store_act_as (store, "mediator", error))
    return FALSE;
  t = g_get_monotonic_time ();
  if (!zz_demo_bulk_cases (store, n, zz_bench_progress, NULL, error))
    return FALSE;
  *seconds = (g_get_monotonic_time () - t) / 1e6;
  *ops = zz_store_count_ops (store);
  if (isatty (2))
    g_printerr ("\r");
  return TRUE;
}

int
zz_bench_cases_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  guint n = 500000, q = 200;
  const char *keep = NULL;
  double gen_s = 0;
  gint64 n_ops = 0;
  long rss_before, rss_open, rss_after, hwm;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--file") && i + 1 < argc)
      keep = argv[++i];
    else if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1000);
      }
  /* --file FILE keeps the generated database, and measures an existing one again. */
  if (keep)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("zz-bench-cases-XXXXXX", &error);
      if (!dir)
        goto fail;
      path = g_build_filename (dir, "cases.db", NULL);
    }
  if (keep && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(ZzStore) s = open_as (path, &error);
      if (!s)
        goto fail;
      n = (guint) zz_store_query_int (s, zz_store_stmt (s, "SELECT count(*) FROM case_file", NULL), 0);
      g_print ("bench cases (%u cases in %s)\n", n, path);
    }
  else
    {
      if (!generate (path, n, &gen_s, &n_ops, &error))
        goto fail;
      g_print ("bench cases (%u cases, generated through the one write path with real ops)\n", n);
      g_print ("  generation: %.1f s (%.0f cases/s, %" G_GINT64_FORMAT " ops, one transaction)\n", gen_s, n / gen_s, n_ops);
    }

  /* A fresh connection, as after starting the program. */
  store = open_as (path, &error);
  if (!store)
    goto fail;
  {
    sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT c.summary, p.name, p.phone, p.id_number, c.number FROM case_file c"
                                               " JOIN case_party cp ON cp.case_id = c.id AND cp.role = 'applicant'"
                                               " JOIN person p ON p.id = cp.person_id WHERE c.rowid = ?", &error);
    if (!stmt)
      goto fail;
    for (guint i = 0; i < q; i++)
      {
        sqlite3_reset (stmt);
        sqlite3_bind_int64 (stmt, 1, 1 + g_rand_int_range (rand, 0, n));
        if (sqlite3_step (stmt) != SQLITE_ROW)
          continue;
        {
          const char *summary = (const char *) sqlite3_column_text (stmt, 0);
          glong len = g_utf8_strlen (summary, -1);
          glong start = g_rand_int_range (rand, 0, MAX (1, len - 5));
          glong wlen = 3 + g_rand_int_range (rand, 0, 3);
          const char *a = g_utf8_offset_to_pointer (summary, start);
          const char *b = g_utf8_offset_to_pointer (a, MIN (wlen, len - start));
          g_ptr_array_add (words, g_strndup (a, b - a));
          g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
          g_ptr_array_add (phones, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
          g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
          g_ptr_array_add (numbers, g_strdup ((const char *) sqlite3_column_text (stmt, 4)));
        }
      }
    sqlite3_reset (stmt);
  }

  /* Search: what the list does for a typed query (matches, bounded, and the first screen). */
  {
    struct { const char *what; GPtrArray *queries; } kinds[] = {
      { "party name", names },
      { "phone number", phones },
      { "ID number", ids },
      { "case number", numbers },
      { "Chinese substring of the summary", words },
    };
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(ZzCaseList) list = zz_case_list_new (store);

    g_print ("search (store search: up to 50 newest matches)\n");
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
        for (guint i = 0; i < kinds[k].queries->len; i++)
          {
            gint64 t = g_get_monotonic_time ();
            g_autoptr(GListModel) rows = zz_store_search_cases (store, kinds[k].queries->pdata[i], 50);
            double d = (g_get_monotonic_time () - t) / 1000.0;
            if (g_list_model_get_n_items (rows) == 0)
              g_printerr ("  no match for %s\n", (char *) kinds[k].queries->pdata[i]);
            g_array_append_val (ms, d);
            g_array_append_val (all, d);
          }
        report (kinds[k].what, ms);
      }
    report ("all kinds", all);

    g_print ("search in the case list (all matches up to %d, count, first screen of 30 rows)\n", ZZ_CASE_SEARCH_MAX);
    g_array_set_size (all, 0);
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
        for (guint i = 0; i < kinds[k].queries->len; i++)
          {
            ZzCaseFilter f = { .query = kinds[k].queries->pdata[i] };
            gint64 t = g_get_monotonic_time ();
            double d;
            zz_case_list_set_filter (list, &f);
            for (guint j = 0; j < 30 && j < g_list_model_get_n_items (G_LIST_MODEL (list)); j++)
              g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), j));
            d = (g_get_monotonic_time () - t) / 1000.0;
            g_array_append_val (ms, d);
            g_array_append_val (all, d);
          }
        report (kinds[k].what, ms);
      }
    report ("all kinds", all);
  }
  g_clear_object (&store);

  /* Opening the list: count and the first screen, on a fresh connection. */
  store = open_as (path, &error);
  if (!store)
    goto fail;
  {
    g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
    struct { const char *what; ZzCaseFilter f; } opens[] = {
      { "all cases, newest first", { .sort = ZZ_CASE_SORT_NEWEST } },
      { "all cases, by deadline", { .sort = ZZ_CASE_SORT_DEADLINE } },
      { "open cases, newest first", { .status = "open" } },
      { "overdue cases", { .overdue = TRUE, .sort = ZZ_CASE_SORT_DEADLINE } },
      { "all cases, by status", { .sort = ZZ_CASE_SORT_STATUS } },
      { "all cases, by status, reversed", { .sort = ZZ_CASE_SORT_STATUS, .reverse = TRUE } },
      { "all cases, by level", { .sort = ZZ_CASE_SORT_LEVEL } },
      { "all cases, by category", { .sort = ZZ_CASE_SORT_CATEGORY } },
      { "open cases, by category", { .status = "open", .sort = ZZ_CASE_SORT_CATEGORY } },
    };

    g_print ("opening the list (count + first screen of 30 rows)\n");
    for (guint k = 0; k < G_N_ELEMENTS (opens); k++)
      {
        g_array_set_size (ms, 0);
        for (int rep = 0; rep < 5; rep++)
          {
            g_autoptr(ZzCaseList) list = zz_case_list_new (store);
            gint64 t = g_get_monotonic_time ();
            double d;
            zz_case_list_set_filter (list, &opens[k].f);
            for (guint j = 0; j < 30 && j < g_list_model_get_n_items (G_LIST_MODEL (list)); j++)
              g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), j));
            d = (g_get_monotonic_time () - t) / 1000.0;
            g_array_append_val (ms, d);
          }
        g_array_sort (ms, zz_bench_cmp_double);
        g_print ("  %-34s median %7.2f ms  worst %7.2f ms\n", opens[k].what, g_array_index (ms, double, 2),
                 g_array_index (ms, double, 4));
      }
  }

  /* Memory of a list scrolled end to end. */
  {
    g_autoptr(ZzCaseList) list = zz_case_list_new (store);
    ZzCaseFilter f = { 0 };
    double scroll_ms;

    rss_before = zz_bench_proc_kb ("VmRSS:");
    zz_case_list_set_filter (list, &f);
    rss_open = zz_bench_proc_kb ("VmRSS:");
    scroll_ms = scroll_all (list);
    rss_after = zz_bench_proc_kb ("VmRSS:");
    hwm = zz_bench_proc_kb ("VmHWM:");
    g_print ("memory of the list scrolled end to end (%u rows in %.1f s, %u page fetches of %d rows, %d pages kept)\n",
             g_list_model_get_n_items (G_LIST_MODEL (list)), scroll_ms / 1000, zz_case_list_get_fetches (list),
             ZZ_CASE_PAGE_SIZE, ZZ_CASE_CACHED_PAGES);
    g_print ("  VmRSS before opening %ld KiB, after opening %ld KiB, after scrolling %ld KiB (growth %ld KiB); VmHWM %ld KiB\n",
             rss_before, rss_open, rss_after, rss_after - rss_before, hwm);
    g_print ("  (SQLite's page cache is capped at 32 MiB per connection; it fills during the scroll whatever the count.)\n");
  }
  /* The other sorts page along their indexes too: a scroll to the end costs what it costs by date. */
  {
    struct { const char *what; ZzCaseFilter f; } sorts[] = {
      { "by status", { .sort = ZZ_CASE_SORT_STATUS } },
      { "by level, reversed", { .sort = ZZ_CASE_SORT_LEVEL, .reverse = TRUE } },
      { "by category", { .sort = ZZ_CASE_SORT_CATEGORY } },
    };

    g_print ("the list scrolled end to end, other sorts\n");
    for (guint k = 0; k < G_N_ELEMENTS (sorts); k++)
      {
        g_autoptr(ZzCaseList) list = zz_case_list_new (store);
        double scroll_ms;

        zz_case_list_set_filter (list, &sorts[k].f);
        scroll_ms = scroll_all (list);
        g_print ("  %-34s %u rows in %.1f s\n", sorts[k].what, g_list_model_get_n_items (G_LIST_MODEL (list)),
                 scroll_ms / 1000);
      }
  }

  g_clear_object (&store);
  if (!keep)
  {
    const char *suffixes[] = { "", "-wal", "-shm", ".key" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;

fail:
  g_printerr ("bench failed: %s\n", error ? error->message : "?");
  return 1;
}
