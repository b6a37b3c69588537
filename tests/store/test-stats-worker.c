/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The statistics computed in a worker thread are those computed in place. */
#include "config.h"

#include <glib/gstdio.h>

#include "zz-demo.h"
#include "zz-stats-worker.h"

typedef struct {
  GMainLoop *loop;
  ZzStats *stats;
  GError *error;
} Wait;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->stats = zz_store_compute_stats_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static ZzStats *
compute_async (ZzStore *store, const char *unit, const ZzPeriod *period, GCancellable *cancellable,
               GError **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  zz_store_compute_stats_async (store, unit, period, cancellable, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.stats;
}

static gchar *
tmp_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-stats-worker-XXXXXX", NULL);
  return g_build_filename (dir, "demo.db", NULL);
}

static void
test_worker (void)
{
  g_autofree char *path = tmp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(ZzStats) here = NULL, there = NULL;
  g_autoptr(GPtrArray) a = NULL, b = NULL;
  ZzPeriod year;
  GDate day;

  g_assert_true (zz_demo_create (path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  store = zz_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (store, "supervisor", &error));
  /* A fixed clock: the worker reads the figures at the same moment. */
  zz_store_set_now (store, zz_store_now (store));
  g_date_clear (&day, 1);
  g_date_set_time_t (&day, zz_store_now (store) / 1000);
  zz_period_containing (&year, ZZ_PERIOD_YEAR, &day);

  here = zz_store_compute_stats (store, zz_store_get_node_org_unit (store), &year, &error);
  g_assert_no_error (error);
  there = compute_async (store, zz_store_get_node_org_unit (store), &year, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (there);
  g_assert_cmpint (here->registered, >, 0);
  g_assert_cmpint (there->registered, ==, here->registered);
  g_assert_cmpint (there->concluded, ==, here->concluded);
  g_assert_cmpint (there->overdue, ==, here->overdue);
  g_assert_cmpint (there->computed_at, ==, here->computed_at);
  a = zz_stats_tables (here);
  b = zz_stats_tables (there);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpuint (zz_table_n_rows (a->pdata[i]), ==, zz_table_n_rows (b->pdata[i]));
      for (guint r = 0; r < zz_table_n_rows (a->pdata[i]); r++)
        for (guint c = 0; c < zz_table_n_columns (a->pdata[i]); c++)
          {
            g_autofree char *x = zz_table_format_cell (a->pdata[i], r, c);
            g_autofree char *y = zz_table_format_cell (b->pdata[i], r, c);
            g_assert_cmpstr (x, ==, y);
          }
    }

  /* Cancelled before it returns: no figures. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(ZzStats) none = NULL;

    g_cancellable_cancel (cancellable);
    none = compute_async (store, zz_store_get_node_org_unit (store), &year, cancellable, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  /* Someone who may not read statistics gets the store's refusal, from the worker too. */
  g_assert_true (zz_store_act_as (store, "clerk", &error));
  {
    g_autoptr(ZzStats) none = compute_async (store, zz_store_get_node_org_unit (store), &year, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
    g_clear_error (&error);
  }
  /* A unit outside the jurisdiction: refused with the store's message. */
  g_assert_true (zz_store_act_as (store, "supervisor", &error));
  {
    g_autoptr(ZzStats) none = compute_async (store, "110101", &year, NULL, &error);
    g_assert_null (none);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  g_clear_object (&store);
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *f = g_build_filename (dir, name, NULL);
        g_unlink (f);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/worker", test_worker);
  return g_test_run ();
}
