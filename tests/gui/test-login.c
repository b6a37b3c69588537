/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "zz-test-gui.h"
#include "zz-window.h"

/* Damages a page of a table the window never reads, and leaves a WAL as a power cut does. */
static void
damage_as_after_power_cut (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 before = 0, after = 0, page_size = 4096;
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  guint8 garbage[512];
  FILE *f;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  before = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE scratch (x TEXT);"
                                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                                     " INSERT INTO scratch SELECT printf ('%0200d', i) FROM n;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  after = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  memset (garbage, 0xA5, sizeof garbage);
  f = fopen (db_path, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, (long) ((before + (after - before) / 2 - 1) * page_size), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, f), ==, sizeof garbage);
  fclose (f);
  g_assert_true (g_file_set_contents (wal, "", 0, NULL));
}

static gboolean
damage_shown (gpointer data)
{
  return zz_test_find_window (data, "AdwMessageDialog") != NULL;
}

/* After a power cut the login window comes up at once; the check runs on the side and, when the
 * file is damaged, says so over the window with what to do. */
static void
test_damaged_after_unclean_exit (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = NULL;
  GtkWindow *dialog;

  damage_as_after_power_cut (db);
  app = zz_test_start_app (db);
  g_assert_nonnull (zz_test_find_window (app, "ZzLoginWindow"));
  g_assert_true (zz_test_wait (damage_shown, app, 20000));
  dialog = zz_test_find_window (app, "AdwMessageDialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "The database file is damaged");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "restore the latest backup"));
  zz_test_screenshot (GTK_WIDGET (dialog), "damaged-after-unclean-exit.png");
  gtk_window_destroy (dialog);
  /* the window still works: the clerk can log in and see what was committed */
  zz_test_log_in (app, "clerk", "Clerk2024");
  g_assert_cmpstr (zz_store_get_user_name (zz_application_get_store (app)), ==, "李秀梅");
  zz_test_remove_db (db);
}

static void
test_login_wrong_then_right (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *error_label;

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (win), ==, "ZzLoginWindow");
  zz_test_type (zz_test_get (win, "login_row"), "clerk", TRUE);
  zz_test_type (zz_test_get (win, "password_row"), "wrong-pass1", TRUE);
  error_label = zz_test_get (win, "error_label");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "Wrong login name or password.");
  /* Still the login window, nobody logged in. */
  g_assert_true (zz_test_active_window (app) == GTK_WINDOW (win));
  g_assert_null (zz_store_get_user_id (zz_application_get_store (app)));

  zz_test_log_in (app, "clerk", "Clerk2024");
  g_assert_cmpstr (zz_store_get_user_name (zz_application_get_store (app)), ==, "李秀梅");
  zz_test_screenshot (GTK_WIDGET (zz_test_active_window (app)), "main-window.png");
  zz_test_remove_db (db);
}

static void
test_lock_and_unlock (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzWindow *win;

  zz_test_log_in (app, "clerk", "Clerk2024");
  win = ZZ_WINDOW (zz_test_active_window (app));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.lock", NULL);
  g_assert_true (zz_window_is_locked (win));

  zz_test_type (zz_test_get (GTK_WIDGET (win), "unlock_row"), "nope12345", TRUE);
  g_assert_true (zz_window_is_locked (win));
  g_assert_true (gtk_widget_get_visible (zz_test_get (GTK_WIDGET (win), "unlock_error")));

  zz_test_type (zz_test_get (GTK_WIDGET (win), "unlock_row"), "Clerk2024", TRUE);
  g_assert_false (zz_window_is_locked (win));
  zz_test_remove_db (db);
}

static void
test_idle_lock (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GSettings *settings;
  ZzWindow *win;
  gint64 now;

  zz_test_log_in (app, "clerk", "Clerk2024");
  win = ZZ_WINDOW (zz_test_active_window (app));
  settings = zz_application_get_settings (app);
  now = g_get_monotonic_time ();

  g_settings_set_uint (settings, "idle-lock-minutes", 5);
  g_assert_false (zz_window_check_idle (win, now + 4 * 60 * G_USEC_PER_SEC));
  g_assert_false (zz_window_is_locked (win));

  /* 0 never locks. */
  g_settings_set_uint (settings, "idle-lock-minutes", 0);
  g_assert_false (zz_window_check_idle (win, now + G_GINT64_CONSTANT (24 * 3600) * G_USEC_PER_SEC));

  g_settings_set_uint (settings, "idle-lock-minutes", 5);
  g_assert_true (zz_window_check_idle (win, now + 11 * 60 * G_USEC_PER_SEC));
  g_assert_true (zz_window_is_locked (win));
  zz_test_type (zz_test_get (GTK_WIDGET (win), "unlock_row"), "Clerk2024", TRUE);
  g_assert_false (zz_window_is_locked (win));
  g_settings_reset (settings, "idle-lock-minutes");
  zz_test_remove_db (db);
}

static void
test_five_wrong_passwords_lock_account (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *error_label = zz_test_get (win, "error_label");

  for (int i = 0; i < 5; i++)
    {
      zz_test_type (zz_test_get (win, "login_row"), "mediator", TRUE);
      zz_test_type (zz_test_get (win, "password_row"), "not-it-123", TRUE);
    }
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "locked"));
  /* Even the right password is refused while the lock lasts. */
  zz_test_type (zz_test_get (win, "login_row"), "mediator", TRUE);
  zz_test_type (zz_test_get (win, "password_row"), "Mediator2024", TRUE);
  g_assert_true (zz_test_active_window (app) == GTK_WINDOW (win));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "locked"));
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/login/wrong-then-right", test_login_wrong_then_right);
  g_test_add_func ("/gui/login/damaged-after-unclean-exit", test_damaged_after_unclean_exit);
  g_test_add_func ("/gui/login/lock-unlock", test_lock_and_unlock);
  g_test_add_func ("/gui/login/idle-lock", test_idle_lock);
  g_test_add_func ("/gui/login/five-wrong", test_five_wrong_passwords_lock_account);
  return g_test_run ();
}
