/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mediation dialog and the mediation ledger (调解台账): the date held, errors by their
 * fields, the ledger's period, search and export. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "zz-cases-view.h"
#include "zz-cases.h"
#include "zz-error.h"
#include "zz-mediation-view.h"
#include "zz-test-gui.h"
#include "zz-window.h"

static char *
db_text (const char *db, const char *sql, const char *param)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return out;
}

/* Widgets the cases view builds in code carry names rather than builder ids. */
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

static GtkWidget *
named (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (!w)
    g_error ("no widget named “%s”", name);
  return w;
}

static GtkWidget *
find_form (const char *name)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (tops, i);
      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static GtkWidget *
form (const char *name)
{
  GtkWidget *w;

  zz_test_iterate (50);
  w = find_form (name);
  if (!w)
    g_error ("form “%s” is not open", name);
  return w;
}

static void
set (GtkWidget *form_win, const char *field, const char *text)
{
  GtkWidget *w = named (form_win, field);

  if (GTK_IS_TEXT_VIEW (w))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (w), text);
}

static void
choose (GtkWidget *form_win, const char *field, guint position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (form_win, field)), position);
}

/* Presses the form's default button; TRUE when it closed (saved). */
static gboolean
submit (GtkWidget *form_win)
{
  const char *name = gtk_widget_get_name (form_win);

  zz_test_click (named (form_win, "form-ok"));
  zz_test_iterate (80);
  return find_form (name) == NULL;
}

static void
submit_ok (GtkWidget *form_win)
{
  GtkWidget *err = named (form_win, "form-error");
  const char *name = g_strdup (gtk_widget_get_name (form_win));

  if (!submit (form_win))
    g_error ("form %s refused: %s", name, gtk_label_get_text (GTK_LABEL (err)));
}

/* A snapshot taken between a redraw request and the next frame has nothing in it (a toast
 * fading out, a page just rebuilt): wait for a frame and try again. */
static char *
shot (GtkWidget *w, const char *name)
{
  const char *dir = g_getenv ("ZZ_SCREENSHOT_DIR");

  zz_test_iterate (200);
  g_assert_true (gtk_widget_get_mapped (w));
  for (int attempt = 0; attempt < 60; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (w);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node && width > 0 && height > 0)
        {
          GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (w));
          g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
          char *path;

          if (!dir)
            dir = g_get_tmp_dir ();
          g_mkdir_with_parents (dir, 0755);
          path = g_build_filename (dir, name, NULL);
          g_assert_true (gdk_texture_save_to_png (texture, path));
          g_test_message ("screenshot: %s", path);
          return path;
        }
      zz_test_iterate (50);
    }
  g_error ("no frame of %s to take a screenshot of", name);
}

static gboolean
in_sight (gpointer data)
{
  GtkWidget *w = data;
  GtkWidget *sw = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t b;

  if (!gtk_widget_get_mapped (w) || !sw || !gtk_widget_compute_bounds (w, sw, &b))
    return FALSE;
  return b.origin.y >= 0 && b.origin.y + b.size.height <= gtk_widget_get_height (sw);
}

static char *
day_before (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days);
  return g_date_time_format (then, "%Y-%m-%d");
}

/* The mediation dialog: the date held is asked for and recorded (yesterday's mediation is not
 * today's); each error shows under its field, in sight, the form written to nothing. */
static void
test_mediation_dialog (void)
{
  g_autofree char *db = zz_test_demo_db ();
  ZzApplication *app = zz_test_start_app (db);
  ZzStore *store;
  GtkWidget *win, *view, *f, *err;
  g_autofree char *case_id = NULL, *today = NULL, *yesterday = NULL, *held = NULL, *count = NULL;
  g_autofree char *slashed = NULL, *hanzi = NULL;
  g_autoptr(GError) error = NULL;
  ZzPartyInput p[] = {
    { .role = "applicant", .name = "彭测试", .phone = "13807430009" },
    { .role = "respondent", .name = "覃测试", .phone = "13907430009" },
  };
  ZzCaseInput in = {
    .source = "walk_in", .category = "neighbours", .summary = "邻里排水沟纠纷", .home = "433122102201",
    .risk = "low", .urgency = "normal", .parties = p, .n_parties = 2,
  };

  zz_test_log_in (app, "mediator", "Mediator2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  store = zz_application_get_store (app);
  g_assert_true (zz_store_register_case (store, &in, &case_id, &error));
  g_assert_no_error (error);
  today = day_before (0);
  yesterday = day_before (1);
  gtk_widget_activate_action (win, "win.show-view", "s", "cases");
  zz_window_show_case (ZZ_WINDOW (win), case_id);
  zz_test_iterate (100);
  view = zz_test_get (win, "cases_view");

  gtk_widget_activate_action (view, "cases.mediate", NULL);
  f = form ("mediation-form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (f, "date"))), ==, today);
  set (f, "place", "六里村综治中心");
  choose (f, "result", 0);   /* agreement, without terms */
  g_assert_false (submit (f));
  err = named (f, "form-error");
  g_assert_true (gtk_widget_get_visible (err));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (err)), "terms"));
  /* Under the terms field, and scrolled into sight (it was cut off at the bottom). */
  g_assert_true (gtk_widget_is_ancestor (named (f, "terms"), gtk_widget_get_prev_sibling (err)));
  g_assert_true (zz_test_wait (in_sight, err, 3000));
  g_free (shot (f, "cases-mediation-error.png"));

  /* The case was registered today: yesterday is before it. */
  set (f, "terms", "覃测试疏通排水沟，双方和好。");
  set (f, "date", yesterday);
  g_assert_false (submit (f));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (err)), "registered"));
  g_assert_true (gtk_widget_is_ancestor (err, named (f, "form-error-row")));
  g_assert_true (zz_test_wait (in_sight, err, 3000));
  set (f, "date", "明天");
  g_assert_false (submit (f));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (err)), "2026年12月2日"));
  count = db_text (db, "SELECT count(*) FROM mediation_attempt WHERE case_id = ?", case_id);
  g_assert_cmpstr (count, ==, "0");
  gtk_window_destroy (GTK_WINDOW (f));

  /* Registered three days ago: yesterday's mediation, written 2026/12/2 style, is yesterday's. */
  {
    sqlite3 *conn = NULL;
    g_autofree char *sql = g_strdup_printf ("UPDATE case_file SET registered_at = registered_at - 3 * 86400000 WHERE id = '%s'",
                                            case_id);
    g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
    sqlite3_busy_timeout (conn, 5000);
    g_assert_cmpint (sqlite3_exec (conn, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (conn);
  }
  {
    int y, m, d;
    g_assert_cmpint (sscanf (yesterday, "%d-%d-%d", &y, &m, &d), ==, 3);
    slashed = g_strdup_printf ("%d/%d/%d", y, m, d);
    hanzi = g_strdup_printf ("%d年%d月%d日", y, m, d);
  }
  gtk_widget_activate_action (view, "cases.mediate", NULL);
  f = form ("mediation-form");
  set (f, "date", slashed);
  set (f, "place", "六里村综治中心");
  choose (f, "result", 0);
  set (f, "terms", "覃测试疏通排水沟，双方和好。");
  submit_ok (f);
  held = db_text (db, "SELECT date (held_at / 1000, 'unixepoch', 'localtime') FROM mediation_attempt WHERE case_id = ?", case_id);
  g_assert_cmpstr (held, ==, yesterday);
  /* The third written form is read too (a correction, which keeps the date given). */
  {
    g_autofree char *aid = db_text (db, "SELECT id FROM mediation_attempt WHERE case_id = ?", case_id);
    g_autofree char *fixed = NULL;
    gtk_widget_activate_action (view, "cases.correct", "s", aid);
    f = form ("correction-form");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (f, "date"))), ==, yesterday);
    set (f, "date", hanzi);
    submit_ok (f);
    fixed = db_text (db, "SELECT date (held_at / 1000, 'unixepoch', 'localtime') FROM mediation_attempt"
                         " WHERE amends IS NOT NULL AND case_id = ?", case_id);
    g_assert_cmpstr (fixed, ==, yesterday);
  }
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  zz_test_remove_db (db);
}


static gboolean
ledger_rows_are (gpointer data)
{
  GtkWidget *list = data;
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "want"));
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n == want;
}

/* The office files the ledger of a period: the view filters by days and a search, and exports
 * every matching attempt to Excel. */
static void
test_ledger_export (void)
{
  g_autofree char *db = zz_test_demo_db ();
  ZzApplication *app = zz_test_start_app (db);
  g_autofree char *dir = g_dir_make_tmp ("zz-ledger-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ledger.xlsx", NULL);
  g_autofree char *from = NULL, *to = NULL, *number = NULL, *expected = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *win, *ledger, *list;
  ZzStore *store;

  zz_test_log_in (app, "supervisor", "Super2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  store = zz_application_get_store (app);
  gtk_widget_activate_action (win, "win.show-view", "s", "mediation");
  zz_test_iterate (200);
  ledger = zz_test_get (win, "mediation_view");
  list = named (ledger, "ledger-attempts");

  /* The last 60 days, searched by one case's number. */
  from = day_before (60);
  to = day_before (0);
  {
    ZzLedgerFilter f = { .from_day = from, .to_day = to };
    g_autoptr(GListModel) rows = zz_store_find_attempts (store, &f, 1);
    g_autoptr(ZzRow) first = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
    first = g_list_model_get_item (rows, 0);
    number = g_strdup (zz_row_get (first, "number"));
  }
  {
    ZzLedgerFilter f = { .from_day = from, .to_day = to, .query = number };
    g_autoptr(GListModel) rows = zz_store_find_attempts (store, &f, 0);
    g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
    g_object_set_data (G_OBJECT (list), "want", GUINT_TO_POINTER (g_list_model_get_n_items (rows)));
    expected = g_strdup_printf ("%u\n%s\n", g_list_model_get_n_items (rows), number);
  }
  gtk_editable_set_text (GTK_EDITABLE (named (ledger, "ledger-from")), from);
  gtk_editable_set_text (GTK_EDITABLE (named (ledger, "ledger-to")), to);
  gtk_editable_set_text (GTK_EDITABLE (named (ledger, "ledger-search")), number);
  g_assert_true (zz_test_wait (ledger_rows_are, list, 5000));
  g_free (shot (ledger, "mediation-ledger-filtered.png"));

  g_assert_true (zz_mediation_view_export (ZZ_MEDIATION_VIEW (ledger), path, &error));
  g_assert_no_error (error);
  {
    g_autofree char *script = g_strdup_printf ("import openpyxl, sys\n"
                                               "ws = openpyxl.load_workbook (sys.argv[1]).worksheets[-1]\n"
                                               "print (ws.max_row - 1)\nprint (ws.cell (2, 1).value)\n");
    /* Debian's python3, which python3-openpyxl installs into, before any other on the PATH. */
    const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
    const char *argv[] = { python, "-c", script, path, NULL };
    g_autofree char *out = NULL;
    int status = -1;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (out, ==, expected);
  }

  /* A day that is not a date: said under the fields, and nothing exported. */
  g_unlink (path);
  gtk_editable_set_text (GTK_EDITABLE (named (ledger, "ledger-from")), "上月");
  zz_test_iterate (400);
  g_assert_true (gtk_widget_get_visible (named (ledger, "ledger-error")));
  g_assert_false (zz_mediation_view_export (ZZ_MEDIATION_VIEW (ledger), path, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  zz_test_remove_db (db);
}
int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/mediation/ledger-export", test_ledger_export);
  g_test_add_func ("/gui/mediation/dialog", test_mediation_dialog);
  return g_test_run ();
}
