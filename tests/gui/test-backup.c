/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backups from the window (the banner until a passphrase is set, Preferences → Backups) and a
 * restore from the first-run assistant. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-backup.h"
#include "zz-preferences-window.h"
#include "zz-setup-window.h"
#include "zz-test-gui.h"

#define PASSPHRASE "泸溪县 backup 2026"

static char *backup_file;   /* made by the first test, restored by the second */
static char *backup_dir;

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
get_named (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (!w)
    g_error ("no widget named “%s” under %s", name, G_OBJECT_TYPE_NAME (root));
  return w;
}

static gboolean
main_window_shown (gpointer data)
{
  GtkWindow *w = zz_test_active_window (data);

  return w && g_str_equal (G_OBJECT_TYPE_NAME (w), "ZzWindow");
}

static gboolean
login_window_shown (gpointer data)
{
  GtkWindow *w = zz_test_active_window (data);

  return w && g_str_equal (G_OBJECT_TYPE_NAME (w), "ZzLoginWindow");
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && *gtk_label_get_text (data);
}

static gboolean
banner_shown (GtkWidget *win, const char *name)
{
  GtkWidget *banner = get_named (win, name);

  return gtk_widget_get_visible (banner) && gtk_revealer_get_reveal_child (GTK_REVEALER (banner));
}

static void
test_backup_from_preferences (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *passphrase_file = NULL;
  g_autofree char *text = NULL;
  GtkWidget *win, *prefs, *message;
  GDir *d;
  const char *name;

  zz_test_log_in (app, "admin", "Admin2024");
  g_assert_true (zz_test_wait (main_window_shown, app, 10000));
  win = GTK_WIDGET (zz_test_active_window (app));

  /* no passphrase yet: the window says so, and offers Preferences */
  g_assert_true (banner_shown (win, "passphrase_banner"));
  text = zz_test_collect_text (get_named (win, "passphrase_banner"));
  g_assert_nonnull (strstr (text, "not encrypted"));
  g_assert_false (banner_shown (win, "restored_banner"));
  g_assert_false (banner_shown (win, "modes_banner"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  zz_test_iterate (50);
  prefs = GTK_WIDGET (zz_test_find_window (app, "ZzPreferencesWindow"));
  g_assert_nonnull (prefs);
  message = get_named (prefs, "backup_message");

  /* two passphrases that differ are refused, nothing saved */
  passphrase_file = zz_backup_passphrase_path (db);
  zz_test_type (get_named (prefs, "passphrase_row"), PASSPHRASE, FALSE);
  zz_test_type (get_named (prefs, "passphrase_confirm_row"), "something else", FALSE);
  zz_test_click (get_named (prefs, "save_passphrase_button"));
  g_assert_true (label_visible (message));
  g_assert_false (g_file_test (passphrase_file, G_FILE_TEST_EXISTS));
  zz_test_type (get_named (prefs, "passphrase_confirm_row"), PASSPHRASE, FALSE);
  zz_test_click (get_named (prefs, "save_passphrase_button"));
  g_assert_true (g_file_test (passphrase_file, G_FILE_TEST_EXISTS));
  /* the banner goes once a passphrase is set */
  zz_test_iterate (20);
  g_assert_false (banner_shown (win, "passphrase_banner"));

  backup_dir = g_dir_make_tmp ("zz-backups-XXXXXX", NULL);
  g_assert_true (zz_preferences_window_set_backup_folder (ZZ_PREFERENCES_WINDOW (prefs), backup_dir));
  gtk_widget_set_visible (message, FALSE);
  zz_test_click (get_named (prefs, "backup_now_button"));
  g_assert_true (zz_test_wait (label_visible, message, 60000));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), backup_dir));

  d = g_dir_open (backup_dir, 0, NULL);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ZZ_BACKUP_SUFFIX))
      backup_file = g_build_filename (backup_dir, name, NULL);
  g_dir_close (d);
  g_assert_nonnull (backup_file);
  {
    gboolean encrypted = FALSE;
    g_assert_true (zz_backup_is_encrypted (backup_file, &encrypted, NULL));
    g_assert_true (encrypted);
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
  zz_test_iterate (20);
  zz_test_remove_db (db);
}

/* The first-run assistant restores the backup instead of setting up: a wrong passphrase says so
 * and leaves the assistant working; the right one leads to the login window of the centre. */
static void
test_restore_from_setup (void)
{
  g_autofree char *db = zz_test_empty_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *error;
  ZzStore *store;

  g_assert_nonnull (backup_file);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (win), ==, "ZzSetupWindow");
  error = zz_test_get (win, "restore_error");

  zz_test_type (zz_test_get (win, "restore_passphrase_row"), "wrong passphrase", FALSE);
  zz_setup_window_restore_file (ZZ_SETUP_WINDOW (win), backup_file);
  g_assert_true (zz_test_wait (label_visible, error, 60000));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "passphrase"));
  g_assert_true (gtk_widget_get_sensitive (zz_test_get (win, "pages")));
  store = zz_application_get_store (app);
  g_assert_nonnull (store);
  g_assert_false (zz_store_has_node (store));

  zz_test_type (zz_test_get (win, "restore_passphrase_row"), PASSPHRASE, FALSE);
  zz_setup_window_restore_file (ZZ_SETUP_WINDOW (win), backup_file);
  g_assert_true (zz_test_wait (login_window_shown, app, 60000));
  store = zz_application_get_store (app);
  g_assert_true (zz_store_has_node (store));
  g_assert_cmpstr (zz_store_get_centre_name (store), !=, NULL);
  zz_test_log_in (app, "admin", "Admin2024");
  g_assert_true (zz_test_wait (main_window_shown, app, 10000));
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  int rc;

  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/backup/from-preferences", test_backup_from_preferences);
  g_test_add_func ("/gui/backup/restore-from-setup", test_restore_from_setup);
  rc = g_test_run ();
  if (backup_dir)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", backup_dir);
      if (system (cmd) != 0)
        rc = 1;
    }
  return rc;
}
