/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-test-gui.h"
#include "zz-window.h"

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
  g_test_add_func ("/gui/login/lock-unlock", test_lock_and_unlock);
  g_test_add_func ("/gui/login/idle-lock", test_idle_lock);
  g_test_add_func ("/gui/login/five-wrong", test_five_wrong_passwords_lock_account);
  return g_test_run ();
}
