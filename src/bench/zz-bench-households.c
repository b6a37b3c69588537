/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench-households"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "zz-bench.h"
#include "zz-households.h"
#include "zz-idcard.h"
#include "zz-store-private.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* A register as a county would export it: one row per household, village by name. */
static GString *
make_csv (ZzStore *store, guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GPtrArray) villages = g_ptr_array_new_with_free_func (g_free);
  static const char *surnames[] = { "王", "李", "张", "刘", "向", "彭", "田", "龙", "杨", "石", "吴", "符" };
  static const char *given[] = { "秀英", "建华", "志强", "玉兰", "国庆", "春生", "德胜", "海燕", "桂花", "长生" };
  GString *csv = g_string_new ("姓名,所属村,家庭住址,身份证号码,联系电话,包保责任人,网格员,备注\n");
  g_autoptr(GListModel) rows = zz_store_household_villages (store);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_ptr_array_add (villages, g_strdup (zz_row_get (r, "code")));
    }
  for (guint i = 0; i < n; i++)
    {
      char first17[18];
      g_autofree char *check = NULL;

      g_snprintf (first17, sizeof first17, "433122%04d%02d%02d%03u", 1940 + g_rand_int_range (rand, 0, 60),
                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29), i % 1000);
      /* Unique: the order code and the year/month/day cycle differ for every i below 50,000 x 60. */
      g_snprintf (first17 + 6, 12, "%04u%02u%02u%03u", 1940 + (i / 1000) % 60, 1 + (i / 60000) % 12,
                  1 + (i / 1000 / 60) % 28, i % 1000);
      check = zz_idcard_check_char (first17);
      g_string_append_printf (csv, "%s%s,%s,%u组%u号,%s%s,139%08u,%s%s,网格员%u,\n",
                              surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                              given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))],
                              (char *) villages->pdata[i % villages->len], 1 + i % 9, 1 + i % 97,
                              first17, check, i, surnames[i % G_N_ELEMENTS (surnames)], "干部", i % 40);
    }
  return csv;
}

/* Grades and visits as a county would have them after a year, written through the store's one
 * write path (rows with their ops; a fixture, not what is measured): 15% high, 35% medium, 40%
 * low, the rest ungraded; one visit each for the graded ones, some late. */
static gboolean
grade_and_visit (ZzStore *store, guint n, GError **error)
{
  static const char *grades[20] = {
    "high", "high", "high", "medium", "medium", "medium", "medium", "medium", "medium", "medium",
    "low", "low", "low", "low", "low", "low", "low", "low", "", "",
  };
  const gint64 day_ms = 86400000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GListModel) all = zz_store_list_households (store, &(ZzHouseholdFilter) { .grade = -1 }, n, NULL);
  gint64 now = zz_store_now (store);

  if (!zz_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(ZzRow) h = g_list_model_get_item (all, i);
      const char *grade = grades[g_rand_int_range (rand, 0, G_N_ELEMENTS (grades))];
      g_autofree char *graded_on = zz_store_day_of (now - (100 + g_rand_int_range (rand, 0, 200)) * day_ms);
      ZzField f[] = { ZZ_F_TEXT ("grade", grade), ZZ_F_TEXT ("graded_on", graded_on) };

      if (!zz_store_set_fields (store, "household", zz_row_get_id (h), f, G_N_ELEMENTS (f), error))
        goto fail;
      if (*grade)
        {
          g_autofree char *vid = zz_store_new_id (store);
          g_autofree char *day = zz_store_day_of (now - g_rand_int_range (rand, 0, 120) * day_ms);
          ZzField v[] = {
            ZZ_F_TEXT ("household_id", zz_row_get_id (h)),
            ZZ_F_TEXT ("day", day),
            ZZ_F_TEXT ("visitors", "网格员"),
            ZZ_F_TEXT ("found", "情况稳定"),
            ZZ_F_INT ("reassess", 0),
            ZZ_F_INT ("logged_at", now),
          };
          if (!zz_store_insert_row (store, "household_visit", vid, zz_row_get (h, "home"), v, G_N_ELEMENTS (v), error))
            goto fail;
        }
    }
  return zz_store_commit (store, error);

fail:
  zz_store_rollback (store);
  return FALSE;
}

int
zz_bench_households (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-bench-hh-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(GString) csv = NULL;
  g_autoptr(ZzHouseholdImport) imp = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) counts = NULL;
  guint n = 50000, good = 0, total = 0, overdue = 0;
  double t_dry, t_import, t_list, t_counts, t_search_name, t_search_phone, t_search_id;
  gint64 start, ops_before;
  const int reps = 5;

  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--households") && i + 1 < argc)
      {
        guint64 v = g_ascii_strtoull (argv[++i], NULL, 10);
        n = (guint) CLAMP (v, 100, 200000);
      }
  if (!dir)
    goto fail;
  path = g_build_filename (dir, "households.db", NULL);
  store = zz_store_open (path, &error);
  if (!store
      || !zz_store_import_divisions (store, divisions, "433122", NULL, NULL, NULL, NULL, &error)
      || !zz_store_setup_node (store, "433122", "泸溪县综治中心", "admin", "管理员", "Bench2024", &error)
      || !zz_store_act_as (store, "admin", &error)
      || !zz_store_create_user (store, "mediator", "王德明", ZZ_ROLE_MEDIATOR, "Bench2024x", NULL, &error)
      || !zz_store_act_as (store, "mediator", &error))
    goto fail;

  csv = make_csv (store, n);
  imp = zz_household_import_new (csv->str, csv->len, &error);
  if (!imp)
    goto fail;
  start = g_get_monotonic_time ();
  if (!zz_household_import_run (imp, store, FALSE, NULL, NULL, &good, &problems, &error))
    goto fail;
  t_dry = seconds_since (start);
  if (g_list_model_get_n_items (problems) != 0)
    {
      g_autoptr(ZzRow) p = g_list_model_get_item (problems, 0);
      g_printerr ("bench data has a bad row: line %lld: %s\n", (long long) zz_row_get_int (p, "line"),
                  zz_row_get (p, "reason"));
      return 1;
    }
  g_clear_object (&problems);
  ops_before = zz_store_count_ops (store);
  start = g_get_monotonic_time ();
  if (!zz_household_import_run (imp, store, TRUE, NULL, NULL, &good, &problems, &error))
    goto fail;
  t_import = seconds_since (start);

  if (!grade_and_visit (store, n, &error))
    goto fail;

  start = g_get_monotonic_time ();
  for (int r = 0; r < reps; r++)
    {
      g_clear_object (&list);
      list = zz_store_list_households (store, &(ZzHouseholdFilter) { .grade = -1 }, 200, &total);
    }
  t_list = seconds_since (start) / reps;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (list, i);
      overdue += zz_row_get_int (r, "overdue") ? 1 : 0;
    }
  start = g_get_monotonic_time ();
  for (int r = 0; r < reps; r++)
    {
      g_clear_object (&counts);
      counts = zz_store_household_counts (store, NULL);
    }
  t_counts = seconds_since (start) / reps;
  {
    guint all_overdue = 0;
    for (guint i = 0; i < g_list_model_get_n_items (counts); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (counts, i);
        all_overdue += zz_row_get_int (r, "overdue");
      }
    overdue = all_overdue;
  }
  {
    /* Each search as typed into the search field: the first 200 matches and how many there are. */
    static const char *queries[] = { "秀英", "13900012", "4331221980" };
    double *times[] = { &t_search_name, &t_search_phone, &t_search_id };
    for (guint k = 0; k < G_N_ELEMENTS (queries); k++)
      {
        start = g_get_monotonic_time ();
        for (int r = 0; r < reps; r++)
          {
            g_clear_object (&list);
            list = zz_store_list_households (store, &(ZzHouseholdFilter) { .grade = -1, .query = queries[k] }, 200,
                                             k == 0 ? &total : NULL);
          }
        *times[k] = seconds_since (start) / reps;
      }
  }
  g_print ("bench households (%u households in Luxi's %u villages, WAL, synchronous=FULL)\n", n,
           g_list_model_get_n_items (counts));
  g_print ("  CSV dry run (check every row):                  %10.0f rows/s  (%.2f s)\n", n / t_dry, t_dry);
  g_print ("  CSV import, one transaction (rows + ops):       %10.0f rows/s  (%.2f s, %.1f ops each)\n",
           n / t_import, t_import, (double) (zz_store_count_ops (store) - ops_before) / n);
  g_print ("  overdue list (due dates of all, overdue first, top 200 + total): %.1f ms  (%u overdue)\n", t_list * 1000, overdue);
  g_print ("  counts by grade per village (with overdue):     %10.1f ms\n", t_counts * 1000);
  g_print ("  search, 2-character name \"秀英\" (%u found, top 200 + total): %.1f ms\n", total, t_search_name * 1000);
  g_print ("  search, phone fragment:                         %10.1f ms\n", t_search_phone * 1000);
  g_print ("  search, ID number fragment:                     %10.1f ms\n", t_search_id * 1000);

  g_clear_object (&store);
  if (g_getenv ("ZZ_BENCH_KEEP"))
    {
      g_print ("  kept %s\n", path);
      return 0;
    }
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;

fail:
  g_printerr ("bench failed: %s\n", error ? error->message : "?");
  return 1;
}
