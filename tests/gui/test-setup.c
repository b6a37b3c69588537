/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-setup-window.h"
#include "zz-test-gui.h"

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  zz_test_iterate (10);
}

static gboolean
import_finished (gpointer data)
{
  return !gtk_widget_get_visible (zz_test_get (data, "progress_box"));
}

static gboolean
login_window_shown (gpointer data)
{
  GtkWindow *w = zz_test_active_window (data);

  return w && g_str_equal (G_OBJECT_TYPE_NAME (w), "ZzLoginWindow");
}

static const char *
label_text (GtkWidget *win, const char *id)
{
  return gtk_label_get_text (GTK_LABEL (zz_test_get (win, id)));
}

static gboolean
transition_done (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (zz_test_get (data, "pages")));
}

static const char *
visible_page (GtkWidget *win)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (zz_test_get (win, "pages")));
}

static void
test_setup_full (void)
{
  g_autofree char *db = zz_test_empty_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *next, *search, *centre, *error;
  g_autofree char *fingerprint = NULL;
  g_autofree char *chosen = NULL;

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (win), ==, "ZzSetupWindow");
  g_assert_cmpstr (visible_page (win), ==, "divisions");
  g_assert_cmpuint (zz_store_count_org_units (store), ==, 0);
  next = zz_test_get (win, "next_button");
  /* Nothing to pick from yet. */
  g_assert_false (gtk_widget_is_sensitive (next));

  /* Divisions: the shipped tree of Hunan, with a progress bar while it runs. */
  click (zz_test_get (win, "import_shipped_button"));
  g_assert_true (gtk_widget_get_visible (zz_test_get (win, "progress_box")));
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_true (zz_test_wait (import_finished, win, 120000));
  g_assert_false (gtk_widget_get_visible (zz_test_get (win, "import_error")));
  g_assert_cmpuint (zz_store_count_org_units (store), >=, 31000);
  g_assert_nonnull (strstr (label_text (win, "divisions_count_label"), "administrative units"));
  click (next);

  /* This centre: search by name, Enter takes the best match. */
  g_assert_cmpstr (visible_page (win), ==, "unit");
  search = zz_test_get (win, "unit_search");
  zz_test_type (search, "泸溪", TRUE);
  chosen = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (zz_test_get (win, "chosen_row"))));
  g_assert_nonnull (strstr (chosen, "泸溪县 — 湖南省 湘西土家族苗族自治州"));
  g_assert_nonnull (strstr (chosen, "433122"));
  centre = zz_test_get (win, "centre_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (centre)), ==, "泸溪县综治中心");
  g_assert_nonnull (zz_test_find_by_text (zz_test_get (win, "unit_list"), ADW_TYPE_ACTION_ROW, "泸溪县"));
  g_assert_true (zz_test_wait (transition_done, win, 2000));
  zz_test_screenshot (win, "setup.png");
  /* Search by code finds the same unit. */
  zz_test_type (search, "433122", FALSE);
  zz_test_iterate (300);
  {
    GtkListBox *list = GTK_LIST_BOX (zz_test_get (win, "unit_list"));
    GtkListBoxRow *county = gtk_list_box_get_row_at_index (list, 0);
    GtkListBoxRow *town = gtk_list_box_get_row_at_index (list, 1);

    g_assert_nonnull (town);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (county)), ==, "泸溪县");
    /* Enter on another row picks it; the suggested centre name follows. */
    gtk_widget_activate (GTK_WIDGET (town));
    zz_test_iterate (20);
    g_assert_true (g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (centre)), "综治中心"));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (centre)), !=, "泸溪县综治中心");
    gtk_widget_activate (GTK_WIDGET (county));
    zz_test_iterate (20);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (centre)), ==, "泸溪县综治中心");
  }
  zz_test_type (centre, "泸溪县综治中心", TRUE);

  /* Administrator: a too-short password is refused inline, then a mismatch. */
  g_assert_cmpstr (visible_page (win), ==, "admin");
  error = zz_test_get (win, "admin_error");
  zz_test_type (zz_test_get (win, "admin_login_row"), "zhangwei", TRUE);
  zz_test_type (zz_test_get (win, "admin_name_row"), "张伟", TRUE);
  zz_test_type (zz_test_get (win, "admin_password_row"), "abc12", TRUE);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "at least 8 characters"));
  zz_test_type (zz_test_get (win, "admin_confirm_row"), "abc12", TRUE);
  /* Enter on the confirmation tried to finish: refused, nothing set up. */
  g_assert_cmpstr (visible_page (win), ==, "admin");
  g_assert_false (zz_store_has_node (store));

  zz_test_type (zz_test_get (win, "admin_password_row"), "Luxi2024zz", FALSE);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "do not match"));
  zz_test_type (zz_test_get (win, "admin_confirm_row"), "Luxi2024zz", FALSE);
  g_assert_false (gtk_widget_get_visible (error));
  g_signal_emit_by_name (zz_test_get (win, "admin_confirm_row"), "entry-activated");
  zz_test_iterate (50);

  /* Done: the node key's fingerprint. */
  g_assert_true (zz_store_has_node (store));
  g_assert_cmpstr (visible_page (win), ==, "done");
  g_assert_cmpstr (zz_store_get_node_org_unit (store), ==, "433122");
  g_assert_cmpstr (zz_store_get_centre_name (store), ==, "泸溪县综治中心");
  fingerprint = zz_store_get_fingerprint (store);
  g_assert_cmpstr (label_text (win, "fingerprint_label"), ==, fingerprint);
  g_assert_true (zz_test_wait (transition_done, win, 2000));
  zz_test_screenshot (win, "setup-done.png");

  click (zz_test_get (win, "start_button"));
  g_assert_true (zz_test_wait (login_window_shown, app, 5000));
  zz_test_log_in (app, "zhangwei", "Luxi2024zz");
  g_assert_cmpstr (zz_store_get_user_name (store), ==, "张伟");
  g_assert_cmpint (zz_store_get_role (store), ==, ZZ_ROLE_ADMIN);
  zz_test_remove_db (db);
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
  const char *names[] = { "provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_setup_malformed_divisions (void)
{
  g_autofree char *db = zz_test_empty_db ();
  g_autofree char *dir = g_dir_make_tmp ("zz-divisions-XXXXXX", NULL);
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *error;
  const char *message;

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (win), ==, "ZzSetupWindow");
  write_file (dir, "provinces.csv", "code,name\n43,湖南省\n");
  write_file (dir, "cities.csv", "code,name,provinceCode\n4331,湘西土家族苗族自治州,43\n");
  write_file (dir, "areas.csv", "code,name,cityCode,provinceCode\n433122,泸溪县,4331,43\n");
  write_file (dir, "streets.csv", "code,name,areaCode,provinceCode,cityCode\n"
                                  "433122100,白沙镇,433122,43,4331\n"
                                  "43312210X,武溪镇,433122,43,4331\n");
  write_file (dir, "villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                                   "433122100001,白沙社区,433122100,43,4331,433122\n");

  zz_setup_window_import_folder (ZZ_SETUP_WINDOW (win), dir);
  g_assert_true (zz_test_wait (import_finished, win, 30000));
  error = zz_test_get (win, "import_error");
  g_assert_true (gtk_widget_get_visible (error));
  message = gtk_label_get_text (GTK_LABEL (error));
  g_test_message ("error shown: %s", message);
  g_assert_nonnull (strstr (message, "streets.csv"));
  g_assert_nonnull (strstr (message, "line 3"));
  g_assert_cmpuint (zz_store_count_org_units (store), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (zz_test_get (win, "next_button")));
  g_assert_cmpstr (visible_page (win), ==, "divisions");
  zz_test_iterate (300);
  zz_test_screenshot (win, "setup-error.png");

  /* Fixed, the same folder imports on a second try. */
  write_file (dir, "streets.csv", "code,name,areaCode,provinceCode,cityCode\n"
                                  "433122100,白沙镇,433122,43,4331\n"
                                  "433122101,武溪镇,433122,43,4331\n");
  zz_setup_window_import_folder (ZZ_SETUP_WINDOW (win), dir);
  g_assert_true (zz_test_wait (import_finished, win, 30000));
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_cmpuint (zz_store_count_org_units (store), ==, 6);
  g_assert_true (gtk_widget_is_sensitive (zz_test_get (win, "next_button")));

  remove_dir (dir);
  zz_test_remove_db (db);
}

static void
test_setup_cancel_import (void)
{
  g_autofree char *db = zz_test_empty_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));
  GtkWidget *error = zz_test_get (win, "import_error");

  click (zz_test_get (win, "import_shipped_button"));
  click (zz_test_get (win, "cancel_import_button"));
  g_assert_true (zz_test_wait (import_finished, win, 30000));
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "cancelled"));
  g_assert_cmpuint (zz_store_count_org_units (store), ==, 0);

  /* Closing the window while an import runs leaves nothing behind to go wrong. */
  click (zz_test_get (win, "import_shipped_button"));
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (1500);
  g_assert_cmpuint (zz_store_count_org_units (store), ==, 0);
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/setup/full", test_setup_full);
  g_test_add_func ("/gui/setup/malformed-divisions", test_setup_malformed_divisions);
  g_test_add_func ("/gui/setup/cancel-import", test_setup_cancel_import);
  return g_test_run ();
}
