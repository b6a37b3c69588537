/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench-export"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-bench.h"
#include "zz-case-list.h"
#include "zz-demo-cases.h"
#include "zz-export.h"
#include "zz-store-private.h"

/* Resets the peak (VmHWM) to the present size, so each measure has its own peak. */
static void
reset_peak (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  if (f)
    {
      fputs ("5", f);
      fclose (f);
    }
}

static ZzTable *
chunk (gpointer data, GError **error)
{
  return zz_case_export_next (data, 2000, error);
}

static gboolean
generate (const char *path, guint n, GError **error)
{
  g_autoptr(ZzStore) store = zz_bench_county_store (path, "泸溪县综治中心", error);
  gint64 t = g_get_monotonic_time ();

  if (!store
      || !zz_store_create_user (store, "mediator", "王德明", ZZ_ROLE_MEDIATOR, "Bench2024", NULL, error)
      || !zz_store_act_as (store, "mediator", error)
      || !zz_demo_bulk_cases (store, n, zz_bench_progress, "generating", error))
    return FALSE;
  if (isatty (2))
    g_printerr ("\r");
  g_print ("  generated %u cases in %.1f s\n", n, (g_get_monotonic_time () - t) / 1e6);
  return TRUE;
}

int
zz_bench_export_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-bench-export-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *keep = NULL;
  const char *formats[] = { "cases.xlsx", "cases.csv" };
  guint n = 500000;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--file") && i + 1 < argc)
      keep = argv[++i];
    else if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1000);
      }
  if (!dir)
    goto fail;
  /* --file FILE keeps the generated database (and measures an existing one again). */
  path = keep ? g_strdup (keep) : g_build_filename (dir, "cases.db", NULL);
  g_print ("bench export (the case list, all cases newest first, to .xlsx and CSV in constant memory)\n");
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !generate (path, n, &error))
    goto fail;
  store = zz_store_open (path, &error);
  if (!store || !zz_store_act_as (store, "mediator", &error))
    goto fail;

  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_autofree char *out = g_build_filename (dir, formats[k], NULL);
      g_autoptr(ZzCaseList) list = zz_case_list_new (store);
      g_autoptr(ZzCaseExport) exp = NULL;
      ZzCaseFilter f = { 0 };
      guint64 written = 0;
      long rss_before, hwm;
      GStatBuf st = { 0 };
      gint64 t;
      double s;

      zz_case_list_set_filter (list, &f);
      exp = zz_case_export_new (list);
      reset_peak ();
      rss_before = zz_bench_proc_kb ("VmRSS:");
      t = g_get_monotonic_time ();
      if (!zz_export_stream (out, chunk, exp, zz_case_export_get_total (exp), NULL, zz_bench_progress, (gpointer) formats[k],
                             NULL, &written, &error))
        goto fail;
      s = (g_get_monotonic_time () - t) / 1e6;
      hwm = zz_bench_proc_kb ("VmHWM:");
      if (isatty (2))
        g_printerr ("\r");
      g_stat (out, &st);
      g_print ("  %-10s %7" G_GUINT64_FORMAT " rows in %6.2f s = %8.0f rows/s, %6.1f MiB file;"
               " VmRSS before %ld KiB, peak during %ld KiB (+%ld KiB)\n",
               formats[k], written, s, written / s, st.st_size / 1048576.0, rss_before, hwm, hwm - rss_before);
      g_unlink (out);
    }
  {
    /* What holding the whole list as one table would cost instead. */
    g_autoptr(ZzCaseList) list = zz_case_list_new (store);
    g_autoptr(ZzTable) all = NULL;
    ZzCaseFilter f = { 0 };
    long rss_before, hwm;
    gint64 t;

    zz_case_list_set_filter (list, &f);
    reset_peak ();
    rss_before = zz_bench_proc_kb ("VmRSS:");
    t = g_get_monotonic_time ();
    all = zz_case_list_to_table (list, &error);
    if (!all)
      goto fail;
    hwm = zz_bench_proc_kb ("VmHWM:");
    g_print ("  (for comparison: the whole list as one in-memory table, %u rows in %.2f s: +%ld KiB)\n",
             zz_table_n_rows (all), (g_get_monotonic_time () - t) / 1e6, hwm - rss_before);
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
    }
  g_rmdir (dir);
  return 0;

fail:
  g_printerr ("bench failed: %s\n", error ? error->message : "?");
  return 1;
}
