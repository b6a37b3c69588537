/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-store-private.h"
#include "zz-sync.h"
#include "zz-test-gui.h"
#include "zz-window.h"

/* The sync page of the real window: a township's bundle imported, a bundle exported to a folder
 * and imported on the township's database, a conflict shown and settled. */

static ZzStore *
open_as_admin (const char *path)
{
  g_autoptr(GError) error = NULL;
  ZzStore *store = zz_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (store, "admin", &error));
  g_assert_no_error (error);
  return store;
}

static void
set_text (ZzStore *store, const char *table, const char *id, const char *field, const char *value)
{
  g_autoptr(GError) error = NULL;
  ZzField f = ZZ_F_TEXT (field, value);

  g_assert_true (zz_store_begin (store, &error));
  g_assert_true (zz_store_set_fields (store, table, id, &f, 1, &error));
  g_assert_true (zz_store_commit (store, &error));
  g_assert_no_error (error);
}

static gboolean
not_busy (gpointer data)
{
  GtkWidget *view = data;

  return !gtk_widget_get_visible (zz_test_get (view, "progress_box"));
}

static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (ADW_IS_ACTION_ROW (c))
      n++;
  return n;
}

static char *
find_bundle (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".zzb"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* How many of the centres a bundle can be chosen for would be written an unencrypted bundle, as
 * the row under "Bundle for" says for each (the choice is put back as it was). */
static guint
unencrypted_peers (GtkWidget *view)
{
  AdwComboRow *row = ADW_COMBO_ROW (zz_test_get (view, "peer_row"));
  GListModel *model = adw_combo_row_get_model (row);
  guint was = adw_combo_row_get_selected (row);
  guint n = 0;

  /* 0 is the bundle for every centre, written unencrypted without named recipients */
  adw_combo_row_set_selected (row, 0);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not encrypted"));
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      adw_combo_row_set_selected (row, i);
      if (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not encrypted: No bundle has come"))
        n++;
    }
  adw_combo_row_set_selected (row, was);
  return n;
}

static void
test_sync_page (void)
{
  g_autofree char *county_db = zz_test_demo_db ();
  g_autofree char *dir = g_dir_make_tmp ("zz-gui-sync-XXXXXX", NULL);
  g_autofree char *township_db = g_build_filename (dir, "township.db", NULL);
  g_autofree char *t1 = g_build_filename (dir, "t1.zzb", NULL);
  g_autofree char *t2 = g_build_filename (dir, "t2.zzb", NULL);
  g_autofree char *out_dir = g_build_filename (dir, "stick", NULL);
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autofree char *county_id = NULL;
  g_autofree char *person = NULL;
  g_autofree char *written = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ZzApplication *app;
  ZzStore *county, *township;
  GtkWidget *win, *view;
  ZzImportResult res = { 0 };

  g_mkdir (out_dir, 0700);
  /* the county trusts itself as root; the township trusts the county and is enrolled by it */
  county = open_as_admin (county_db);
  county_id = g_strdup (zz_store_get_node_id (county));
  township = zz_store_open (township_db, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_import_divisions (township, divisions, "433122", NULL, NULL, NULL, NULL, &error));
  g_assert_true (zz_store_setup_node (township, "433122102", "达岚镇综治中心", "admin", "管理员", "Admin2024", &error));
  g_assert_true (zz_store_act_as (township, "admin", &error));
  g_assert_no_error (error);
  {
    g_autofree char *cpub = zz_sync_public_key_file (county);
    g_autofree char *cfp = zz_store_get_fingerprint (county);
    g_autofree char *tpub = zz_sync_public_key_file (township);

    g_assert_true (zz_sync_trust_root (county, cpub, cfp, &error));
    g_assert_true (zz_sync_trust_root (township, cpub, cfp, &error));
    g_assert_true (zz_sync_enrol (county, tpub, NULL, &error));
    g_assert_no_error (error);
  }
  g_object_unref (county);
  g_assert_true (zz_sync_simulate (township, 5, 1, NULL, &error));
  g_assert_true (zz_sync_export_file (township, county_id, t1, NULL, &error));
  g_assert_no_error (error);

  app = zz_test_start_app (county_db);
  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "sync");
  zz_test_iterate (50);
  view = zz_test_get (win, "sync_view");
  g_assert_true (gtk_widget_get_mapped (view));
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync.png");

  /* nothing has come from the new township yet: a bundle for it would not be encrypted, and the
   * page says so before it is written */
  g_assert_cmpuint (unencrypted_peers (view), ==, 1);

  /* import the township's bundle, as dropping the file on the page does */
  gtk_widget_activate_action (view, "sync.import-file", "s", t1);
  g_assert_true (zz_test_wait (not_busy, view, 10000));
  g_assert_true (gtk_widget_get_visible (zz_test_get (view, "result_group")));
  text = zz_test_collect_text (zz_test_get (view, "result_group"));
  g_assert_nonnull (strstr (text, "Applied: 5"));
  g_assert_cmpuint (n_rows (zz_test_get (view, "peers_list")), ==, 1);
  g_clear_pointer (&text, g_free);
  text = zz_test_collect_text (zz_test_get (view, "trust_list"));
  g_assert_nonnull (strstr (text, "达岚镇综治中心"));
  g_clear_pointer (&text, g_free);
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-imported.png");
  /* its bundle said it reads encrypted bundles: the next one for it is encrypted */
  g_assert_cmpuint (unencrypted_peers (view), ==, 0);

  /* export everything to a folder (a USB stick); the township imports it */
  gtk_widget_activate_action (view, "sync.export-to", "s", out_dir);
  g_assert_true (zz_test_wait (not_busy, view, 10000));
  written = find_bundle (out_dir);
  g_assert_nonnull (written);
  g_assert_true (zz_sync_import_file (township, written, &res, &error));
  g_assert_no_error (error);
  g_assert_false (res.refused);
  g_assert_cmpuint (res.applied, >, 0);
  zz_import_result_clear (&res);

  /* both change the same person's phone without seeing the other's change */
  {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (township->db, "SELECT id FROM person WHERE home LIKE '433122102%' ORDER BY id LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    person = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  set_text (township, "person", person, "phone", "13700000001");
  /* and the township edits a county record, which no receiver accepts */
  {
    sqlite3_stmt *stmt = NULL;
    g_autofree char *county_person = NULL;

    /* (a township holds only its own unit's people; the county's reference data flows down) */
    g_assert_cmpint (sqlite3_prepare_v2 (township->db, "SELECT id FROM department WHERE home = '433122' ORDER BY id LIMIT 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    county_person = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    set_text (township, "department", county_person, "name", "冒名顶替");
  }
  set_text (zz_application_get_store (app), "person", person, "phone", "13700000002");
  g_assert_true (zz_sync_export_file (township, county_id, t2, NULL, &error));
  g_assert_no_error (error);
  gtk_widget_activate_action (view, "sync.import-file", "s", t2);
  g_assert_true (zz_test_wait (not_busy, view, 10000));
  g_assert_cmpuint (n_rows (zz_test_get (view, "conflicts_list")), ==, 2);
  text = zz_test_collect_text (zz_test_get (view, "result_group"));
  g_assert_nonnull (strstr (text, "Refused: 1"));
  g_assert_nonnull (strstr (text, "may not change records of org unit 433122"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (n_rows (zz_test_get (view, "refused_list")), ==, 1);
  zz_test_iterate (300);
  zz_test_screenshot (zz_test_get (view, "result_group"), "sync-result.png");
  text = zz_test_collect_text (zz_test_get (view, "conflicts_group"));
  g_assert_nonnull (strstr (text, "13700000001"));
  g_assert_nonnull (strstr (text, "13700000002"));
  g_assert_nonnull (strstr (text, "达岚镇综治中心"));
  g_clear_pointer (&text, g_free);
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-conflict.png");
  zz_test_screenshot (zz_test_get (view, "conflicts_group"), "sync-conflict-list.png");

  /* the county keeps the value that is not shown now */
  {
    g_autoptr(GListModel) conflicts = zz_sync_list_conflicts (zz_application_get_store (app));
    const char *loser = NULL;
    g_autofree char *kept = NULL;
    GtkWidget *button = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (conflicts, i);
        if (!zz_row_get_int (r, "winner"))
          {
            loser = g_intern_string (zz_row_get (r, "op"));
            kept = g_strdup (zz_row_get (r, "value"));
          }
      }
    g_assert_nonnull (loser);
    for (GtkWidget *w = gtk_widget_get_first_child (zz_test_get (view, "conflicts_list")); w && !button;
         w = gtk_widget_get_next_sibling (w))
      button = zz_test_find_by_text (w, GTK_TYPE_BUTTON, "Keep");
    g_assert_nonnull (button);
    for (GtkWidget *w = gtk_widget_get_first_child (zz_test_get (view, "conflicts_list")); w;
         w = gtk_widget_get_next_sibling (w))
      {
        GtkWidget *b = zz_test_find_by_text (w, GTK_TYPE_BUTTON, "Keep");
        if (b && g_strcmp0 (gtk_widget_get_name (b), loser) == 0)
          button = b;
      }
    g_assert_cmpstr (gtk_widget_get_name (button), ==, loser);
    zz_test_click (button);
    zz_test_iterate (50);
    g_assert_cmpuint (n_rows (zz_test_get (view, "conflicts_list")), ==, 0);
    {
      sqlite3_stmt *stmt = NULL;
      ZzStore *s = zz_application_get_store (app);
      g_assert_cmpint (sqlite3_prepare_v2 (s->db, "SELECT phone FROM person WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, person, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, kept);
      sqlite3_finalize (stmt);
    }
  }
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-resolved.png");
  zz_test_screenshot (zz_test_get (view, "trust_list"), "sync-trust.png");

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  g_object_unref (township);
  zz_test_remove_db (county_db);
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

/* The open message dialog named @name, or NULL. */
static AdwMessageDialog *
open_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (w)), name) == 0)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
answer (AdwMessageDialog *dialog, const char *response)
{
  /* a button press answers and closes; the programmatic answer leaves the closing to us */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  zz_test_iterate (100);
}

/* Trust set up through the page: with no root the page says so first; the county saves its key,
 * trusts it after seeing its fingerprint, enrols a township from its key file (a wrong org unit
 * is stopped in the dialog) and revokes it after its last valid change. */
static void
test_trust (void)
{
  g_autofree char *county_db = zz_test_demo_db ();
  g_autofree char *dir = g_dir_make_tmp ("zz-gui-trust-XXXXXX", NULL);
  g_autofree char *township_db = g_build_filename (dir, "township.db", NULL);
  g_autofree char *county_key = g_build_filename (dir, "county.pub", NULL);
  g_autofree char *township_key = g_build_filename (dir, "township.pub", NULL);
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autofree char *text = NULL, *saved = NULL, *expected = NULL, *fp = NULL;
  g_autoptr(GError) error = NULL;
  ZzApplication *app;
  ZzStore *store, *township;
  GtkWidget *win, *view, *drop, *button = NULL;
  AdwMessageDialog *dialog;

  app = zz_test_start_app (county_db);
  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  store = zz_application_get_store (app);
  gtk_widget_activate_action (win, "win.show-view", "s", "sync");
  zz_test_iterate (50);
  view = zz_test_get (win, "sync_view");
  g_assert_false (zz_sync_has_root (store));
  g_assert_true (gtk_widget_get_visible (zz_test_get (view, "root_group")));
  g_assert_true (gtk_widget_get_visible (zz_test_get (view, "enrol_row")));
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-no-root.png");

  /* the county saves its own key and trusts it after comparing the fingerprint */
  gtk_widget_activate_action (view, "sync.save-key-file", "s", county_key);
  zz_test_iterate (50);
  g_assert_true (g_file_get_contents (county_key, &saved, NULL, NULL));
  expected = zz_sync_public_key_file (store);
  g_assert_cmpstr (saved, ==, expected);
  gtk_widget_activate_action (view, "sync.trust-file", "s", county_key);
  zz_test_iterate (100);
  dialog = open_dialog ("trust_dialog");
  g_assert_nonnull (dialog);
  fp = zz_store_get_fingerprint (store);
  {
    GtkWidget *label = find_named (GTK_WIDGET (dialog), "fingerprint_label");
    g_auto(GStrv) groups = g_strsplit (fp, " ", -1);

    g_assert_nonnull (label);
    g_assert_cmpuint (g_strv_length (groups), ==, 8);
    for (guint i = 0; groups[i]; i++)
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), groups[i]));
  }
  zz_test_iterate (300);
  zz_test_screenshot (GTK_WIDGET (dialog), "sync-trust-dialog.png");
  /* cancelling trusts nothing */
  answer (dialog, "cancel");
  g_assert_false (zz_sync_has_root (store));
  gtk_widget_activate_action (view, "sync.trust-file", "s", county_key);
  zz_test_iterate (100);
  answer (open_dialog ("trust_dialog"), "trust");
  g_assert_true (zz_sync_has_root (store));
  g_assert_false (gtk_widget_get_visible (zz_test_get (view, "root_group")));
  text = zz_test_collect_text (zz_test_get (view, "trust_list"));
  g_assert_nonnull (strstr (text, "this centre"));
  g_clear_pointer (&text, g_free);

  /* a township set up on its own laptop, trusting the county */
  township = zz_store_open (township_db, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_import_divisions (township, divisions, "433122", NULL, NULL, NULL, NULL, &error));
  g_assert_true (zz_store_setup_node (township, "433122102", "达岚镇综治中心", "admin", "管理员", "Admin2024", &error));
  g_assert_true (zz_store_act_as (township, "admin", &error));
  g_assert_true (zz_sync_trust_root (township, expected, fp, &error));
  g_assert_no_error (error);
  {
    g_autofree char *tpub = zz_sync_public_key_file (township);
    g_assert_true (g_file_set_contents (township_key, tpub, -1, &error));
  }

  /* the county enrols it; another org unit is stopped in the dialog */
  gtk_widget_activate_action (view, "sync.enrol-file", "s", township_key);
  zz_test_iterate (100);
  dialog = open_dialog ("enrol_dialog");
  g_assert_nonnull (dialog);
  drop = find_named (GTK_WIDGET (dialog), "unit_drop");
  g_assert_nonnull (drop);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop)), ==, 0);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "enrol"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (drop))), >, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), 1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "enrol"));
  g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "unit_hint")));
  zz_test_iterate (300);
  zz_test_screenshot (GTK_WIDGET (dialog), "sync-enrol-wrong-unit.png");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), 0);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "enrol"));
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "unit_hint")));
  zz_test_iterate (300);
  zz_test_screenshot (GTK_WIDGET (dialog), "sync-enrol-dialog.png");
  answer (dialog, "enrol");
  {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (store->db, "SELECT org_unit FROM sync_cert WHERE node_id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, zz_store_get_node_id (township), -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "433122102");
    sqlite3_finalize (stmt);
  }
  text = zz_test_collect_text (zz_test_get (view, "trust_list"));
  g_assert_nonnull (strstr (text, "达岚镇综治中心"));
  g_clear_pointer (&text, g_free);
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-enrolled.png");

  /* the county revokes it after its change 0 (before any change), asked first */
  button = find_named (zz_test_get (view, "trust_list"), "revoke_button");
  g_assert_nonnull (button);
  zz_test_click (button);
  zz_test_iterate (100);
  dialog = open_dialog ("revoke_dialog");
  g_assert_nonnull (dialog);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), "seq_spin")), 0);
  zz_test_iterate (300);
  zz_test_screenshot (GTK_WIDGET (dialog), "sync-revoke-dialog.png");
  answer (dialog, "revoke");
  {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (store->db, "SELECT last_seq FROM sync_revocation WHERE node_id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, zz_store_get_node_id (township), -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }
  text = zz_test_collect_text (zz_test_get (view, "trust_list"));
  g_assert_nonnull (strstr (text, "revoked"));
  g_assert_null (find_named (zz_test_get (view, "trust_list"), "revoke_button"));
  zz_test_iterate (300);
  zz_test_screenshot (zz_test_get (view, "trust_list"), "sync-revoked.png");

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  g_object_unref (township);
  zz_test_remove_db (county_db);
}

/* demo --sync: the sync page of the demo county is alive, with its township peer, a conflict to
 * review and a refused change with its reason. */
static void
test_demo (void)
{
  g_autofree char *db = NULL, *text = NULL;
  ZzApplication *app;
  GtkWidget *win, *view;

  db = zz_test_demo_db_with_sync ();
  app = zz_test_start_app (db);
  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "sync");
  zz_test_iterate (50);
  view = zz_test_get (win, "sync_view");
  g_assert_false (gtk_widget_get_visible (zz_test_get (view, "root_group")));
  g_assert_cmpuint (n_rows (zz_test_get (view, "peers_list")), ==, 1);
  g_assert_cmpuint (n_rows (zz_test_get (view, "conflicts_list")), ==, 2);
  g_assert_cmpuint (n_rows (zz_test_get (view, "refused_list")), ==, 1);
  text = zz_test_collect_text (zz_test_get (view, "refused_list"));
  g_assert_nonnull (strstr (text, "may not change records of org unit 433122"));
  g_clear_pointer (&text, g_free);
  text = zz_test_collect_text (zz_test_get (view, "peers_list"));
  g_assert_nonnull (strstr (text, "达岚镇综治中心"));
  zz_test_iterate (300);
  zz_test_screenshot (win, "sync-demo.png");
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
  g_test_add_func ("/gui/sync/page", test_sync_page);
  g_test_add_func ("/gui/sync/trust", test_trust);
  g_test_add_func ("/gui/sync/demo", test_demo);
  return g_test_run ();
}
