/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The statistics page as a county supervisor reads it: in Simplified Chinese. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "zz-stats-view.h"
#include "zz-test-gui.h"

static void
assert_shows (const char *text, const char *expected)
{
  if (!strstr (text, expected))
    g_error ("expected “%s” on screen; the screen shows:\n%s", expected, text);
}

static gboolean
computed (gpointer data)
{
  ZzStatsView *view = data;
  return !zz_stats_view_is_busy (view) && zz_stats_view_get_stats (view) != NULL;
}

/* Whether the window is laid out and drawn, so that a screenshot has something to show. */
static gboolean
drawn (gpointer data)
{
  GtkWidget *widget = data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  return node != NULL;
}

static void
test_stats_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *text = NULL;
  GtkWidget *win, *view;
  ZzPeriod year;
  GDate day;

  zz_test_log_in (app, "supervisor", "Super2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  view = zz_test_get (win, "stats_view");
  g_assert_true (zz_test_wait (computed, view, 30000));
  /* The year, so that every chart has figures. */
  g_date_clear (&day, 1);
  g_date_set_time_t (&day, zz_store_now (zz_application_get_store (app)) / 1000);
  zz_period_containing (&year, ZZ_PERIOD_YEAR, &day);
  zz_stats_view_set_period (ZZ_STATS_VIEW (view), &year);
  zz_test_iterate (50);
  g_assert_true (zz_test_wait (computed, view, 30000));
  zz_test_iterate (500);

  text = zz_test_collect_text (view);
  assert_shows (text, "下级单位");
  assert_shows (text, "数据质量");
  assert_shows (text, "图表");
  assert_shows (text, "表格");
  assert_shows (text, "周期");
  g_assert_null (strstr (text, "Units Below"));
  g_assert_null (strstr (text, "Data Quality"));
  g_assert_null (strstr (text, "Registered "));
  g_assert_true (zz_test_wait (drawn, win, 10000));
  zz_test_screenshot (win, "stats-zh.png");
  {
    GtkWidget *scroller = zz_test_get (view, "scroller");
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    graphene_point_t p = GRAPHENE_POINT_INIT (0, 0), out;

    g_assert_true (gtk_widget_compute_point (zz_test_get (view, "charts_grid"),
                                             gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                             &p, &out));
    gtk_adjustment_set_value (adj, out.y - 12);
    zz_test_iterate (300);
    g_assert_true (zz_test_wait (drawn, win, 10000));
    zz_test_screenshot (win, "stats-charts-zh.png");
  }
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (50);
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  /* gettext honours LANGUAGE in any locale but plain C; the tests run in C.UTF-8. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/stats/zh", test_stats_in_chinese);
  return g_test_run ();
}
