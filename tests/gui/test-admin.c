/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-demo.h"
#include "zz-test-gui.h"
#include "zz-window.h"

static gboolean
window_gone (gpointer data)
{
  GtkWindow **window = data;

  return *window == NULL;
}

static GtkWidget *
open_admin (ZzApplication *app)
{
  GtkWidget *win;

  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "admin");
  zz_test_iterate (50);
  g_assert_true (gtk_widget_get_mapped (zz_test_get (win, "admin_view")));
  return win;
}

static GtkWidget *
row_with_title (GtkWidget *list, const char *title)
{
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (ADW_IS_PREFERENCES_ROW (c) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)
      return c;
  return NULL;
}

static ZzRow *
find_department (ZzStore *store, const char *name)
{
  g_autoptr(GListModel) all = zz_store_list_departments (store);

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      ZzRow *d = g_list_model_get_item (all, i);
      if (g_strcmp0 (zz_row_get (d, "name"), name) == 0)
        return d;
      g_object_unref (d);
    }
  return NULL;
}

static const char *
mediator_name (void)
{
  guint n;
  const ZzDemoUser *users = zz_demo_users (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (users[i].login, "mediator"))
      return users[i].name;
  g_assert_not_reached ();
}

static GtkWidget *
open_user_dialog (ZzApplication *app, GtkWidget *win)
{
  GtkWindow *dialog;

  zz_test_click (zz_test_get (win, "add_user_button"));
  dialog = zz_test_find_window (app, "ZzUserDialog");
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (win));
  g_assert_true (gtk_window_get_modal (dialog));
  return GTK_WIDGET (dialog);
}

static void
test_admin_users (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = open_admin (app);
  GtkWidget *users = zz_test_get (win, "users_list");
  GtkWidget *dialog, *error;
  GtkWindow *weak;

  g_assert_nonnull (row_with_title (users, "张建国"));
  g_assert_null (row_with_title (users, "王芳"));

  /* A login already taken: the store's refusal stays in the dialog. */
  dialog = open_user_dialog (app, win);
  zz_test_type (zz_test_get (dialog, "login_row"), "clerk", TRUE);
  zz_test_type (zz_test_get (dialog, "name_row"), "王芳", TRUE);
  zz_test_type (zz_test_get (dialog, "password_row"), "Wang2024x", TRUE);
  zz_test_type (zz_test_get (dialog, "confirm_row"), "Wang2024x", TRUE);
  error = zz_test_get (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "already taken"));
  g_assert_true (zz_test_find_window (app, "ZzUserDialog") == GTK_WINDOW (dialog));

  /* A mismatched confirmation, then the right one. */
  zz_test_type (zz_test_get (dialog, "login_row"), "wangfang", TRUE);
  zz_test_type (zz_test_get (dialog, "confirm_row"), "Wang2024y", TRUE);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "do not match"));
  zz_test_iterate (200);
  zz_test_screenshot (dialog, "admin-user-dialog.png");
  adw_combo_row_set_selected (ADW_COMBO_ROW (zz_test_get (dialog, "role_row")), ZZ_ROLE_CLERK - 1);
  weak = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  zz_test_type (zz_test_get (dialog, "confirm_row"), "Wang2024x", TRUE);
  g_assert_true (zz_test_wait (window_gone, &weak, 2000));

  /* The list follows the store. */
  zz_test_iterate (400);
  g_assert_nonnull (row_with_title (users, "王芳"));
  zz_test_screenshot (win, "admin.png");

  /* The new user can log in, as a reception clerk. */
  gtk_widget_activate_action (win, "win.logout", NULL);
  zz_test_iterate (50);
  zz_test_log_in (app, "wangfang", "Wang2024x");
  g_assert_cmpstr (zz_store_get_user_name (store), ==, "王芳");
  g_assert_cmpint (zz_store_get_role (store), ==, ZZ_ROLE_CLERK);
  zz_test_remove_db (db);
}

static void
test_admin_edit_user (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = open_admin (app);
  GtkWidget *users = zz_test_get (win, "users_list");
  GtkWidget *row, *dialog, *error;

  /* The last administrator cannot be made something else. */
  row = row_with_title (users, "张建国");
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  zz_test_iterate (20);
  dialog = GTK_WIDGET (zz_test_find_window (app, "ZzUserDialog"));
  g_assert_nonnull (dialog);
  adw_combo_row_set_selected (ADW_COMBO_ROW (zz_test_get (dialog, "role_row")), ZZ_ROLE_CLERK - 1);
  zz_test_click (zz_test_get (dialog, "save_button"));
  error = zz_test_get (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "last active administrator"));
  g_assert_cmpint (zz_store_get_role (store), ==, ZZ_ROLE_ADMIN);
  /* Reset password: a short one is refused, a good one is set. */
  zz_test_type (zz_test_get (dialog, "password_row"), "short1", FALSE);
  zz_test_type (zz_test_get (dialog, "confirm_row"), "short1", FALSE);
  zz_test_click (zz_test_get (dialog, "reset_password_button"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "at least 8"));
  zz_test_type (zz_test_get (dialog, "password_row"), "Admin2025", FALSE);
  zz_test_type (zz_test_get (dialog, "confirm_row"), "Admin2025", TRUE);
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_true (gtk_widget_get_visible (zz_test_get (dialog, "status_label")));
  gtk_window_close (GTK_WINDOW (dialog));
  zz_test_iterate (20);

  /* A locked account shows a badge and can be unlocked. */
  for (int i = 0; i < ZZ_LOGIN_MAX_FAILURES; i++)
    g_assert_false (zz_store_login (store, "mediator", "wrong-pass-1", NULL));
  g_assert_cmpint (zz_store_get_role (store), ==, ZZ_ROLE_ADMIN);
  /* Failed logins are not changes of the user table; the view re-reads when shown again. */
  gtk_widget_activate_action (win, "win.show-view", "s", "desk");
  zz_test_iterate (20);
  gtk_widget_activate_action (win, "win.show-view", "s", "admin");
  zz_test_iterate (20);
  row = row_with_title (users, mediator_name ());
  g_assert_nonnull (row);
  g_assert_nonnull (zz_test_find_by_text (row, GTK_TYPE_LABEL, "Locked"));
  gtk_widget_activate (row);
  zz_test_iterate (20);
  dialog = GTK_WIDGET (zz_test_find_window (app, "ZzUserDialog"));
  g_assert_true (gtk_widget_get_visible (zz_test_get (dialog, "lock_group")));
  zz_test_click (zz_test_get (dialog, "unlock_button"));
  g_assert_false (gtk_widget_get_visible (zz_test_get (dialog, "lock_group")));
  gtk_window_close (GTK_WINDOW (dialog));
  zz_test_iterate (20);
  g_assert_true (zz_store_login (store, "mediator", "Mediator2024", NULL));
  zz_test_remove_db (db);
}

static void
test_admin_departments (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = open_admin (app);
  GtkWidget *list = zz_test_get (win, "departments_list");
  GtkWidget *retired = zz_test_get (win, "retired_list");
  GtkWidget *row, *dialog, *error, *undo;
  g_autoptr(ZzRow) court = find_department (store, "法院诉讼服务");
  g_autoptr(ZzRow) petition = find_department (store, "信访局");
  g_autoptr(ZzRow) court_after = NULL;
  g_autoptr(ZzRow) women = NULL;
  g_autofree char *expected = NULL;
  gint64 ops;

  g_assert_nonnull (court);
  g_assert_nonnull (petition);
  g_assert_false (gtk_widget_get_visible (zz_test_get (win, "retired_group")));

  /* A window number in use: refused in the dialog, nothing changes. */
  row = row_with_title (list, "法院诉讼服务");
  g_assert_nonnull (row);
  ops = zz_store_count_ops (store);
  gtk_widget_activate (row);
  zz_test_iterate (20);
  dialog = GTK_WIDGET (zz_test_find_window (app, "ZzDepartmentDialog"));
  g_assert_nonnull (dialog);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (zz_test_get (dialog, "window_spin"))), ==,
                   zz_row_get_int (court, "window_number"));
  zz_test_type (zz_test_get (dialog, "window_spin"),
                zz_row_get (petition, "window_number"), TRUE);
  error = zz_test_get (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (error));
  expected = g_strdup_printf ("Window %s is already used by 信访局", zz_row_get (petition, "window_number"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), expected));
  zz_test_iterate (200);
  zz_test_screenshot (dialog, "admin-department-dialog.png");
  g_assert_true (zz_test_find_window (app, "ZzDepartmentDialog") == GTK_WINDOW (dialog));
  court_after = find_department (store, "法院诉讼服务");
  g_assert_cmpint (zz_row_get_int (court_after, "window_number"), ==, zz_row_get_int (court, "window_number"));
  g_assert_cmpint (zz_store_count_ops (store), ==, ops);
  /* Rotating without weekdays is refused too. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (zz_test_get (dialog, "stationing_row")), 1);
  for (int i = 0; i < 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("day_%d", i);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (zz_test_get (dialog, id)), FALSE);
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (zz_test_get (dialog, "window_spin")), 42);
  zz_test_click (zz_test_get (dialog, "save_button"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "weekdays"));
  g_assert_cmpint (zz_store_count_ops (store), ==, ops);
  gtk_window_close (GTK_WINDOW (dialog));
  zz_test_iterate (20);

  /* Retire with a toast; Undo brings it back. */
  row = row_with_title (list, "妇联");
  g_assert_nonnull (row);
  zz_test_click (zz_test_find_by_text (row, GTK_TYPE_BUTTON, "Retire"));
  zz_test_iterate (50);
  women = find_department (store, "妇联");
  g_assert_cmpint (zz_row_get_int (women, "retired"), ==, 1);
  g_assert_null (row_with_title (list, "妇联"));
  g_assert_nonnull (row_with_title (retired, "妇联"));
  g_assert_true (gtk_widget_get_visible (zz_test_get (win, "retired_group")));
  zz_test_screenshot (win, "admin-departments.png");

  undo = zz_test_find_by_text (win, GTK_TYPE_BUTTON, "Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  zz_test_iterate (50);
  g_clear_object (&women);
  women = find_department (store, "妇联");
  g_assert_cmpint (zz_row_get_int (women, "retired"), ==, 0);
  g_assert_nonnull (row_with_title (list, "妇联"));
  g_assert_false (gtk_widget_get_visible (zz_test_get (win, "retired_group")));

  /* Add a department through the dialog. */
  zz_test_click (zz_test_get (win, "add_department_button"));
  dialog = GTK_WIDGET (zz_test_find_window (app, "ZzDepartmentDialog"));
  g_assert_nonnull (dialog);
  zz_test_type (zz_test_get (dialog, "name_row"), "司法所", TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (zz_test_get (dialog, "stationing_row")), 1);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (zz_test_get (dialog, "day_1")), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (zz_test_get (dialog, "day_3")), TRUE);
  zz_test_click (zz_test_get (dialog, "save_button"));
  g_assert_null (zz_test_find_window (app, "ZzDepartmentDialog"));
  row = row_with_title (list, "司法所");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Rotating"));
  zz_test_remove_db (db);
}

static void
test_preferences (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GSettings *settings = zz_application_get_settings (app);
  GtkWidget *prefs, *spin;
  g_autofree char *fingerprint = NULL;

  open_admin (app);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  zz_test_iterate (50);
  prefs = GTK_WIDGET (zz_test_find_window (app, "ZzPreferencesWindow"));
  g_assert_nonnull (prefs);
  spin = zz_test_get (prefs, "idle_spin");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   g_settings_get_uint (settings, "idle-lock-minutes"));
  zz_test_type (spin, "25", TRUE);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-lock-minutes"), ==, 25);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-lock-minutes"), ==, 0);

  fingerprint = zz_store_get_fingerprint (store);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zz_test_get (prefs, "fingerprint_row"))), ==,
                   fingerprint);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zz_test_get (prefs, "centre_row"))), ==,
                   "泸溪县综治中心");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zz_test_get (prefs, "unit_row"))),
                            "湖南省 湘西土家族苗族自治州 泸溪县"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zz_test_get (prefs, "db_row"))), ==, db);
  zz_test_iterate (200);
  zz_test_screenshot (prefs, "preferences.png");
  g_settings_reset (settings, "idle-lock-minutes");
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/admin/users", test_admin_users);
  g_test_add_func ("/gui/admin/edit-user", test_admin_edit_user);
  g_test_add_func ("/gui/admin/departments", test_admin_departments);
  g_test_add_func ("/gui/admin/preferences", test_preferences);
  return g_test_run ();
}
