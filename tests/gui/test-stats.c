/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The statistics page as a county supervisor uses it: key figures straight from the records,
 * drill-down to a township and back, a chart's table, a record of the data-quality list, and
 * the exports. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-chart-view.h"
#include "zz-save-dialog.h"
#include "zz-stats-view.h"
#include "zz-stats.h"
#include "zz-test-gui.h"
#include "zz-window.h"

static gboolean
computed (gpointer data)
{
  ZzStatsView *view = data;
  return !zz_stats_view_is_busy (view) && zz_stats_view_get_stats (view) != NULL;
}

static void
wait_computed (ZzStatsView *view)
{
  zz_test_iterate (50);
  g_assert_true (zz_test_wait (computed, view, 30000));
  zz_test_iterate (100);
}

static GtkWidget *
find_named (GtkWidget *w, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

/* Every key figure on the page is the one the store computes for the same unit and period. */
static void
assert_figures (ZzStore *store, ZzStatsView *view)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStats) truth = zz_store_compute_stats (store, zz_stats_view_get_unit (view),
                                                     zz_stats_view_get_period (view), &error);
  ZzTable *summary = NULL;
  g_autoptr(GPtrArray) tables = NULL;

  g_assert_no_error (error);
  tables = zz_stats_tables (truth);
  for (guint i = 0; i < tables->len; i++)
    if (g_str_equal (zz_table_get_key (tables->pdata[i]), "summary"))
      summary = tables->pdata[i];
  g_assert_nonnull (summary);
  g_assert_cmpuint (zz_table_n_rows (summary), >=, 10);
  for (guint r = 0; r < zz_table_n_rows (summary); r++)
    {
      g_autofree char *name = g_strdup_printf ("figure-%u", r);
      GtkWidget *label = find_named (GTK_WIDGET (view), name);
      g_autofree char *expected = NULL;

      g_assert_nonnull (label);
      for (guint c = 1; c < zz_table_n_columns (summary) && !expected; c++)
        if (!zz_table_is_null (summary, r, c))
          expected = zz_table_format_cell (summary, r, c);
      if (!expected)
        expected = g_strdup ("—");
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);
    }
  g_assert_cmpint (zz_stats_view_get_stats (view)->registered, ==, truth->registered);
  g_assert_cmpint (zz_stats_view_get_stats (view)->concluded, ==, truth->concluded);
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
shoot (GtkWidget *win, const char *name)
{
  /* A page of many rows takes a while to lay out on a loaded machine. */
  g_assert_true (zz_test_wait (drawn, win, 10000));
  zz_test_screenshot (win, name);
}

/* Scrolls the page to @id and saves a screenshot of the window. */
static void
screenshot_at (GtkWidget *win, ZzStatsView *view, const char *id, const char *name)
{
  GtkWidget *scroller = zz_test_get (GTK_WIDGET (view), "scroller");
  GtkWidget *target = zz_test_find (GTK_WIDGET (view), id) ? zz_test_find (GTK_WIDGET (view), id) : find_named (GTK_WIDGET (view), id);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t p = GRAPHENE_POINT_INIT (0, 0), out;

  g_assert_true (gtk_widget_compute_point (target, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                           &p, &out));
  gtk_adjustment_set_value (adj, out.y - 12);
  zz_test_iterate (200);
  shoot (win, name);
  gtk_adjustment_set_value (adj, 0);
  zz_test_iterate (50);
}

static gboolean
file_starts_with (const char *path, const char *bytes, gsize n)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len >= n && memcmp (data, bytes, n) == 0;
}

static void
test_stats_page (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store;
  GtkWidget *win, *units, *crumbs, *quality;
  ZzStatsView *view;
  ZzChartView *chart;
  ZzPeriod year;
  GDate day;
  const char *own;
  g_autofree char *township = NULL;

  zz_test_log_in (app, "supervisor", "Super2024");
  store = zz_application_get_store (app);
  own = zz_store_get_node_org_unit (store);
  win = GTK_WIDGET (zz_test_active_window (app));

  /* Alt+7 opens the page; the figures come from a worker thread. */
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  zz_test_iterate (100);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))),
                   ==, "stats");
  view = ZZ_STATS_VIEW (zz_test_get (win, "stats_view"));
  wait_computed (view);
  /* The page has the keyboard focus, so its shortcuts (Ctrl+E, Ctrl+P, Alt+Page Up…) work. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (win));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (view)));
  }
  g_assert_cmpstr (zz_stats_view_get_unit (view), ==, own);
  /* The default period is this month. */
  g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_MONTH);
  assert_figures (store, view);

  /* The year through the period selector, the way a person picks it. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (zz_test_get (GTK_WIDGET (view), "period_kind")), ZZ_PERIOD_YEAR);
  wait_computed (view);
  g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_YEAR);
  g_date_clear (&day, 1);
  {
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (zz_store_now (store) / 1000);
    g_date_set_dmy (&day, 1, 1, g_date_time_get_year (now));
  }
  zz_period_containing (&year, ZZ_PERIOD_YEAR, &day);
  g_assert_cmpint (zz_stats_view_get_period (view)->year, ==, year.year);
  assert_figures (store, view);
  g_assert_cmpint (zz_stats_view_get_stats (view)->registered, >, 0);
  shoot (win, "stats.png");
  screenshot_at (win, view, "charts_grid", "stats-charts.png");
  screenshot_at (win, view, "quality_group", "stats-quality.png");
  screenshot_at (win, view, "by_source", "stats-charts-2.png");

  /* Previous and next period. */
  gtk_widget_activate_action (GTK_WIDGET (view), "stats.previous", NULL);
  wait_computed (view);
  g_assert_cmpint (zz_stats_view_get_period (view)->year, ==, year.year - 1);
  assert_figures (store, view);
  gtk_widget_activate_action (GTK_WIDGET (view), "stats.next", NULL);
  wait_computed (view);
  g_assert_cmpint (zz_stats_view_get_period (view)->year, ==, year.year);

  /* A custom period: two dates, checked before anything is computed. */
  {
    GtkWidget *kind = zz_test_get (GTK_WIDGET (view), "period_kind");
    GtkWidget *from = zz_test_get (GTK_WIDGET (view), "from_entry");
    GtkWidget *to = zz_test_get (GTK_WIDGET (view), "to_entry");
    GtkWidget *err = zz_test_get (GTK_WIDGET (view), "custom_error");
    g_autofree char *first = g_strdup_printf ("%04d-01-01", year.year);
    g_autofree char *last = g_strdup_printf ("%04d-06-30", year.year);

    gtk_drop_down_set_selected (GTK_DROP_DOWN (kind), ZZ_PERIOD_CUSTOM);
    zz_test_iterate (50);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (zz_test_get (GTK_WIDGET (view), "custom_revealer"))));
    g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_YEAR);   /* nothing yet */
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (win)), from));   /* to type the first day */
    gtk_widget_grab_focus (kind);   /* (text set from outside, not typed: no selection to blink) */
    gtk_editable_set_text (GTK_EDITABLE (to), "2024-02-30");
    gtk_editable_set_text (GTK_EDITABLE (from), first);
    gtk_widget_activate_action (GTK_WIDGET (view), "stats.apply-custom", NULL);
    zz_test_iterate (50);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (err)), ==, "Enter the last day as YYYY-MM-DD.");
    g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_YEAR);
    gtk_widget_grab_focus (kind);
    gtk_editable_set_text (GTK_EDITABLE (to), last);
    g_signal_emit_by_name (to, "activate");
    wait_computed (view);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (err)), ==, "");
    g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_CUSTOM);
    g_assert_cmpint (g_date_get_month (&zz_stats_view_get_period (view)->last), ==, 6);
    assert_figures (store, view);
    /* Back to the year. */
    gtk_drop_down_set_selected (GTK_DROP_DOWN (kind), ZZ_PERIOD_YEAR);
    wait_computed (view);
    g_assert_cmpint (zz_stats_view_get_period (view)->kind, ==, ZZ_PERIOD_YEAR);
    g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (zz_test_get (GTK_WIDGET (view), "custom_revealer"))));
  }

  /* Each figure says what it counts, where it is shown (registered, concluded and open count
   * different sets of cases). */
  {
    GtkWidget *def0 = find_named (GTK_WIDGET (view), "figure-def-0");
    GtkWidget *def1 = find_named (GTK_WIDGET (view), "figure-def-1");
    GtkWidget *def2 = find_named (GTK_WIDGET (view), "figure-def-2");
    g_assert_nonnull (def0);
    g_assert_nonnull (def1);
    g_assert_nonnull (def2);
    g_assert_true (gtk_widget_get_mapped (def2));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (def0)), "registered in the period"));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (def1)), "whenever they were registered"));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (def2)), "still open now"));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gtk_widget_get_parent (def2)), "still open now"));
  }

  /* Drill down: the first unit below. */
  units = zz_test_get (GTK_WIDGET (view), "units_list");
  g_assert_true (gtk_widget_is_visible (units));
  /* The units list does not scroll on its own inside the scrolling page (it caught the wheel). */
  {
    GtkWidget *sw = gtk_widget_get_ancestor (units, GTK_TYPE_SCROLLED_WINDOW);
    GtkPolicyType h, v;
    GtkWidget *page = gtk_widget_get_ancestor (gtk_widget_get_parent (sw), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj;
    gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (sw), &h, &v);
    g_assert_cmpint (v, ==, GTK_POLICY_NEVER);
    g_assert_cmpint (gtk_widget_get_height (sw), >=, gtk_widget_get_height (units));
    /* Half way down the page before the drill-down. */
    g_assert_nonnull (page);
    adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
    gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) / 2);
    zz_test_iterate (50);
    g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  }
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (units), 0);
    g_assert_nonnull (row);
    township = g_strdup (g_object_get_data (G_OBJECT (row), "zz-code"));
    g_assert_nonnull (township);
    g_assert_true (g_str_has_prefix (township, own));
    g_signal_emit_by_name (units, "row-activated", row);
  }
  wait_computed (view);
  g_assert_cmpstr (zz_stats_view_get_unit (view), ==, township);
  g_assert_cmpstr (zz_stats_view_get_stats (view)->unit, ==, township);
  {
    GtkWidget *page = gtk_widget_get_ancestor (units, GTK_TYPE_SCROLLED_WINDOW);
    page = gtk_widget_get_ancestor (gtk_widget_get_parent (page), GTK_TYPE_SCROLLED_WINDOW);
    /* The township's figures from the top. */
    g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page))), ==, 0);
  }
  assert_figures (store, view);
  shoot (win, "stats-township.png");

  /* …and back through the breadcrumb: its first step is the centre's own unit. */
  crumbs = zz_test_get (GTK_WIDGET (view), "breadcrumb_box");
  {
    GtkWidget *first = gtk_widget_get_first_child (crumbs);
    g_assert_true (GTK_IS_BUTTON (first));
    zz_test_click (first);
  }
  wait_computed (view);
  g_assert_cmpstr (zz_stats_view_get_unit (view), ==, own);
  assert_figures (store, view);

  /* A chart's numbers one click away, as a table of the same rows. */
  chart = zz_stats_view_get_chart (view, "by_level");
  g_assert_false (zz_chart_view_get_showing_table (chart));
  zz_test_click (zz_test_find_by_text (GTK_WIDGET (chart), GTK_TYPE_TOGGLE_BUTTON, "Table"));
  zz_test_iterate (50);
  g_assert_true (zz_chart_view_get_showing_table (chart));
  {
    GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (zz_chart_view_get_column_view (chart)));
    GListModel *cols = gtk_column_view_get_columns (zz_chart_view_get_column_view (chart));
    ZzTable *t = zz_chart_view_get_table (chart);

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, zz_table_n_rows (t));
    g_assert_cmpuint (g_list_model_get_n_items (cols), ==, zz_table_n_columns (t));
  }
  zz_test_click (zz_test_find_by_text (GTK_WIDGET (chart), GTK_TYPE_TOGGLE_BUTTON, "Chart"));
  zz_test_iterate (50);
  g_assert_false (zz_chart_view_get_showing_table (chart));

  /* From the keyboard: the arrow keys walk the chart's items, each told in the tooltip. */
  {
    GtkWidget *area = zz_chart_view_get_drawing_area (chart);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (area);
    GtkEventController *keys = NULL;
    gboolean handled = FALSE;
    g_autofree char *expected = NULL;
    ZzChart c = { ZZ_CHART_STACKED, zz_chart_view_get_table (chart), 0, { 1 }, 1 };

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) o = g_list_model_get_item (controllers, i);
        if (GTK_IS_EVENT_CONTROLLER_KEY (o))
          keys = GTK_EVENT_CONTROLLER (o);
      }
    g_assert_nonnull (keys);
    g_assert_true (gtk_widget_get_focusable (area));
    gtk_widget_grab_focus (area);
    g_assert_cmpint (zz_chart_view_get_hover (chart), ==, -1);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
    g_assert_true (handled);
    g_assert_cmpint (zz_chart_view_get_hover (chart), ==, 0);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
    g_assert_cmpint (zz_chart_view_get_hover (chart), ==, 1);
    expected = zz_chart_item_text (&c, 1);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (area), ==, expected);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Left, 0, 0, &handled);
    g_assert_cmpint (zz_chart_view_get_hover (chart), ==, 0);
    gtk_widget_grab_focus (GTK_WIDGET (zz_test_get (GTK_WIDGET (view), "period_kind")));
    g_assert_cmpint (zz_chart_view_get_hover (chart), ==, -1);
  }

  /* Exports through the code the Export menu runs after its file chooser. */
  {
    g_autofree char *dir = g_dir_make_tmp ("zz-stats-XXXXXX", NULL);
    g_autofree char *xlsx = g_build_filename (dir, "stats.xlsx", NULL);
    g_autofree char *csv = g_build_filename (dir, "stats.csv", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (zz_stats_view_export (view, xlsx, &error));
    g_assert_no_error (error);
    g_assert_true (zz_stats_view_export (view, csv, &error));
    g_assert_no_error (error);
    g_assert_true (file_starts_with (xlsx, "PK", 2));          /* a zip, as every .xlsx is */
    g_assert_true (file_starts_with (csv, "\xef\xbb\xbf", 3));  /* UTF-8 with its BOM */
    /* The monthly report, saved and printed (to a file), holds the unit and its figures. */
    {
      g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
      g_autofree char *printed = g_build_filename (dir, "printed.pdf", NULL);
      const char *names[] = { pdf, printed };
      g_autofree char *registered = g_strdup_printf ("%lld", (long long) zz_stats_view_get_stats (view)->registered);

      g_assert_true (zz_stats_view_save_report (view, pdf, &error));
      g_assert_no_error (error);
      g_assert_true (zz_stats_view_print_report (view, printed, &error));
      g_assert_no_error (error);
      zz_test_iterate (100);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *out = NULL;
          int status = 0;
          const char *argv[] = { "pdftotext", "-enc", "UTF-8", names[i], "-", NULL };

          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                       &out, NULL, &status, NULL));
          g_assert_nonnull (strstr (out, zz_stats_view_get_stats (view)->unit_name));
          g_assert_nonnull (strstr (out, registered));
          g_unlink (names[i]);
        }
    }
    g_unlink (xlsx);
    g_unlink (csv);
    g_rmdir (dir);
  }


  /* A line of the data-quality list opens its record. */
  quality = zz_test_get (GTK_WIDGET (view), "quality_list");
  {
    GtkListBoxRow *row = NULL;
    const char *link = NULL;

    for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (quality), i)); i++)
      if ((link = g_object_get_data (G_OBJECT (row), "zz-link")) && g_str_has_prefix (link, "case:"))
        break;
    if (row)
      {
        g_autoptr(ZzRow) c = zz_store_get_case (store, link + 5);
        g_autofree char *text = NULL;

        g_assert_nonnull (c);
        g_signal_emit_by_name (quality, "row-activated", row);
        zz_test_iterate (300);
        g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))),
                         ==, "cases");
        text = zz_test_collect_text (zz_test_get (win, "cases_view"));
        g_assert_nonnull (strstr (text, zz_row_get (c, "number")));
      }
    else
      g_test_message ("the demo has no case in the data-quality list");
  }

  /* The case list exports as it is filtered: as many lines as the list shows cases. */
  {
    g_autofree char *dir = g_dir_make_tmp ("zz-cases-XXXXXX", NULL);
    g_autofree char *csv = g_build_filename (dir, "cases.csv", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *data = NULL;
    GtkWidget *cases = zz_test_get (win, "cases_view");
    GtkWidget *columns = find_named (cases, "case-columns");
    guint64 written = 0;
    guint shown, lines = 0;

    gtk_widget_activate_action (win, "win.show-view", "s", "cases");
    gtk_widget_activate_action (cases, "cases.back", NULL);
    zz_test_iterate (100);
    g_assert_true (gtk_widget_is_sensitive (find_named (cases, "export-cases")));
    shown = g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (columns))));
    g_assert_true (zz_cases_view_export_list (ZZ_CASES_VIEW (cases), csv, &written, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (written, ==, shown);
    g_assert_true (g_file_get_contents (csv, &data, NULL, NULL));
    g_assert_true (g_str_has_prefix (data, "\xef\xbb\xbf"));
    for (const char *p = data; (p = strstr (p, "\r\n")); p += 2)
      lines++;
    g_assert_cmpuint (lines, >=, shown + 1);   /* the header, then a line a case (a summary may hold more) */
    g_unlink (csv);
    g_rmdir (dir);
  }


  /* Dark style: the page follows it. */
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  zz_test_iterate (300);
  shoot (win, "stats-dark.png");
  screenshot_at (win, view, "charts_grid", "stats-charts-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (50);
  zz_test_remove_db (db);
}

/* The page is there for those who may read statistics; the data-quality list for those who may
 * open its records. */
static void
test_stats_roles (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win, *stack;
  ZzStatsView *view;

  zz_test_log_in (app, "clerk", "Clerk2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  stack = zz_test_get (win, "view_stack");
  g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (ADW_VIEW_STACK (stack),
                                                                            zz_test_get (win, "stats_view"))));
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  zz_test_iterate (50);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), !=, "stats");

  zz_application_logout (app);
  zz_test_iterate (100);
  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  stack = zz_test_get (win, "view_stack");
  view = ZZ_STATS_VIEW (zz_test_get (win, "stats_view"));
  g_assert_true (adw_view_stack_page_get_visible (adw_view_stack_get_page (ADW_VIEW_STACK (stack), GTK_WIDGET (view))));
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  wait_computed (view);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "stats");
  g_assert_false (gtk_widget_get_visible (zz_test_get (GTK_WIDGET (view), "quality_group")));
  g_assert_cmpuint (zz_table_n_rows (zz_stats_view_get_stats (view)->quality), ==, 0);

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (50);
  zz_test_remove_db (db);
}

/* A township laptop whose last bundle came in ten days ago: its row says so in words, and the
 * units whose records are this centre's own do not. */
static void
test_stats_stale (void)
{
  g_autofree char *db = NULL;
  g_autoptr(ZzApplication) app = NULL;
  GtkWidget *win, *rows, *stale = NULL;
  ZzStatsView *view;
  ZzStore *store;
  guint n_stale = 0;

  /* the demo county with an enrolled township (达岚镇) that sent bundles */
  db = zz_test_demo_db_with_sync ();
  app = zz_test_start_app (db);
  zz_test_log_in (app, "supervisor", "Super2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  view = ZZ_STATS_VIEW (zz_test_get (win, "stats_view"));
  store = zz_application_get_store (app);
  zz_store_set_now (store, zz_store_now (store) + 10 * 24 * 3600 * 1000LL);
  gtk_widget_activate_action (win, "win.show-view", "s", "stats");
  zz_stats_view_refresh (view);
  wait_computed (view);

  rows = zz_test_get (GTK_WIDGET (view), "units_list");
  for (GtkWidget *r = gtk_widget_get_first_child (rows); r; r = gtk_widget_get_next_sibling (r))
    if (g_strcmp0 (gtk_widget_get_name (r), "stale-unit") == 0)
      {
        stale = r;
        n_stale++;
      }
  g_assert_cmpuint (n_stale, ==, 1);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (stale)), "达岚镇"));
  {
    GtkWidget *mark = find_named (stale, "stale-mark");
    g_assert_nonnull (mark);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (mark)), "10"));
  }
  shoot (win, "stats-stale.png");

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (50);
  zz_test_remove_db (db);
}

/* The save dialog adds the chosen kind's suffix when the name does not end in one of its kinds;
 * the dialog offers one filter per kind, the first chosen. */
static void
test_save_dialog_path (void)
{
  static const char *suffixes[] = { "xlsx", "csv", NULL };
  GtkFileChooserNative *dialog = zz_save_dialog_new (NULL, "Export", "_Export", "Cases.xlsx", suffixes);
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
  static const struct { const char *path, *chosen, *expected; } cases[] = {
    { "/tmp/统计", "xlsx", "/tmp/统计.xlsx" },
    { "/tmp/统计", "csv", "/tmp/统计.csv" },
    { "/tmp/统计.csv", "xlsx", "/tmp/统计.csv" },
    { "/tmp/统计.v2", "xlsx", "/tmp/统计.v2.xlsx" },
  };
  g_autoptr(GtkFileFilter) first = g_list_model_get_item (filters, 0);

  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  g_assert_true (gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog)) == first);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = zz_save_path_with_suffix (cases[i].path, suffixes, cases[i].chosen);
      g_assert_cmpstr (path, ==, cases[i].expected);
    }
  g_object_unref (dialog);
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/stats/page", test_stats_page);
  g_test_add_func ("/stats/roles", test_stats_roles);
  g_test_add_func ("/stats/stale", test_stats_stale);
  g_test_add_func ("/stats/save-dialog-path", test_save_dialog_path);
  return g_test_run ();
}
