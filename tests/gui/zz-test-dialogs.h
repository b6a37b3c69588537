/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "zz-household-dialogs.h"
#include "zz-test-gui.h"
#include "zz-window.h"

/* Every dialog a person can open from the case page (and the new case form), from a household's
 * page and from the sync page, opened one after another through the actions their buttons run,
 * each handed to a check (access keys, size) and closed again. */

typedef void (*ZzTestDialogCheck) (GtkWindow *dialog, const char *what, gpointer data);

/* One text from the database, read on a connection of its own (NULL for none). */
static inline char *
zz_test_dialogs_db_text (const char *db, const char *sql)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return out;
}

static inline GtkWindow *
zz_test_dialogs_new_toplevel (GList *before)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (!g_list_find (before, w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static inline GList *
zz_test_dialogs_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GList *l = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      l = g_list_prepend (l, w);
    }
  return l;
}

static inline gboolean
zz_test_dialogs_new_shown (gpointer data)
{
  return zz_test_dialogs_new_toplevel (data) != NULL;
}

/* Closes a dialog as its Cancel would (a file chooser answers its native dialog). */
static inline void
zz_test_dialogs_close (GtkWindow *dialog)
{
  if (GTK_IS_DIALOG (dialog))
    gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  else
    gtk_window_destroy (dialog);
  zz_test_iterate (30);
}

/* Activates @action on @widget; the window it opens goes to @check and is closed. FALSE when the
 * action is not offered here or opened no window (the test says which). */
static inline gboolean
zz_test_dialog_check (GtkWidget *widget, const char *action, GVariant *param, const char *what,
                      ZzTestDialogCheck check, gpointer data)
{
  GList *before = zz_test_dialogs_toplevels ();
  GtkWindow *dialog;

  if (param)
    g_variant_ref_sink (param);
  if (!gtk_widget_activate_action_variant (widget, action, param))
    {
      g_test_message ("%s: %s is not offered here", what, action);
      g_list_free (before);
      g_clear_pointer (&param, g_variant_unref);
      return FALSE;
    }
  g_clear_pointer (&param, g_variant_unref);
  if (!zz_test_wait (zz_test_dialogs_new_shown, before, 3000))
    {
      g_test_message ("%s: %s opened no window", what, action);
      g_list_free (before);
      return FALSE;
    }
  dialog = zz_test_dialogs_new_toplevel (before);
  g_list_free (before);
  zz_test_iterate (50);
  /* The check may answer the dialog itself (a file chosen): close only what is still open. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  check (dialog, what, data);
  if (dialog && gtk_widget_get_visible (GTK_WIDGET (dialog)))
    zz_test_dialogs_close (dialog);
  if (dialog)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  zz_test_iterate (30);
  return TRUE;
}

/* The case page's dialogs, for a supervisor (who may take every step): on an open case with a
 * mediation that reached an agreement, and on a concluded case; and the new case form. Returns
 * how many were opened. */
static inline guint
zz_test_case_dialogs (GtkWidget *win, const char *db, ZzTestDialogCheck check, gpointer data)
{
  AdwViewStack *stack = ADW_VIEW_STACK (zz_test_get (win, "view_stack"));
  GtkWidget *cases = adw_view_stack_get_child_by_name (stack, "cases");
  g_autofree char *open_case = zz_test_dialogs_db_text (db,
    "SELECT c.id FROM case_file c JOIN mediation_attempt m ON m.case_id = c.id WHERE c.deleted = 0"
    " AND c.status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND m.result != 'failed'"
    " AND m.deleted = 0 ORDER BY c.registered_at LIMIT 1");
  g_autofree char *attempt = NULL;
  g_autofree char *dispatch = NULL;
  g_autofree char *concluded = zz_test_dialogs_db_text (db,
    "SELECT id FROM case_file WHERE deleted = 0 AND status = 'concluded' ORDER BY registered_at LIMIT 1");
  static const char *on_open[] = {
    "cases.dispatch", "cases.mediate", "cases.escalate", "cases.supervise", "cases.whistle", "cases.conclude",
  };
  static const char *on_concluded[] = { "cases.feedback", "cases.return-visit", "cases.archive" };
  guint n = 0;

  g_assert_nonnull (open_case);
  g_assert_nonnull (concluded);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT id FROM mediation_attempt WHERE case_id = '%s' AND result != 'failed'"
                                            " AND deleted = 0 LIMIT 1", open_case);
    attempt = zz_test_dialogs_db_text (db, sql);
  }
  dispatch = zz_test_dialogs_db_text (db, "SELECT id FROM case_dispatch WHERE deleted = 0 LIMIT 1");
  adw_view_stack_set_visible_child_name (stack, "cases");
  zz_test_iterate (50);
  n += zz_test_dialog_check (cases, "cases.new", NULL, "the new case form", check, data);

  zz_window_show_case (ZZ_WINDOW (win), open_case);
  zz_test_iterate (150);
  for (guint i = 0; i < G_N_ELEMENTS (on_open); i++)
    n += zz_test_dialog_check (cases, on_open[i], NULL, on_open[i], check, data);
  n += zz_test_dialog_check (cases, "cases.correct", g_variant_new_string (attempt), "cases.correct", check, data);
  n += zz_test_dialog_check (cases, "cases.fulfil", g_variant_new_string (attempt), "cases.fulfil", check, data);
  n += zz_test_dialog_check (cases, "cases.agreement", g_variant_new_string (attempt), "cases.agreement", check, data);
  if (dispatch)
    n += zz_test_dialog_check (cases, "cases.return", g_variant_new_string (dispatch), "cases.return", check, data);

  zz_window_show_case (ZZ_WINDOW (win), concluded);
  zz_test_iterate (150);
  for (guint i = 0; i < G_N_ELEMENTS (on_concluded); i++)
    n += zz_test_dialog_check (cases, on_concluded[i], NULL, on_concluded[i], check, data);
  gtk_widget_activate_action (cases, "cases.back", NULL);
  zz_test_iterate (30);
  return n;
}

/* A household's dialogs (for a role that may open them), the risk scheme, and the import dialog
 * of a small register file. */
static inline guint
zz_test_household_dialogs (GtkWidget *win, const char *db, ZzTestDialogCheck check, gpointer data)
{
  AdwViewStack *stack = ADW_VIEW_STACK (zz_test_get (win, "view_stack"));
  GtkWidget *view = adw_view_stack_get_child_by_name (stack, "households");
  g_autofree char *hid = zz_test_dialogs_db_text (db, "SELECT id FROM household WHERE deleted = 0 LIMIT 1");
  static const char *actions[] = {
    "households.register", "households.scheme", "households.edit", "households.add-member", "households.assess",
    "households.signoff", "households.visit", "households.delist", "households.register-case",
  };
  guint n = 0;

  g_assert_nonnull (hid);
  adw_view_stack_set_visible_child_name (stack, "households");
  zz_test_iterate (50);
  zz_window_show_household (ZZ_WINDOW (win), hid);
  zz_test_iterate (150);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      n += zz_test_dialog_check (view, actions[i], NULL, actions[i], check, data);
      /* the new case form opens on the case page */
      adw_view_stack_set_visible_child_name (stack, "households");
      zz_test_iterate (30);
    }
  {
    g_autofree char *dir = g_dir_make_tmp ("zz-dialogs-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "register.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    GtkWindow *dialog;

    g_assert_true (g_file_set_contents (path, "户主姓名,住址,网格员,身份证号,电话\n张德明,六里村五组,田志刚,,13907431234\n",
                                        -1, NULL));
    dialog = zz_household_import_dialog (GTK_WINDOW (win), zz_application_get_store (
                                           ZZ_APPLICATION (gtk_window_get_application (GTK_WINDOW (win)))), file);
    zz_test_iterate (50);
    g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
    check (dialog, "the household import dialog", data);
    if (dialog)
      {
        g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
        zz_test_dialogs_close (dialog);
      }
    n++;
    g_unlink (path);
    g_rmdir (dir);
  }
  return n;
}

/* The sync page's dialogs: trusting a key, enrolling a node (this centre's own key file, saved
 * first), revoking a node, and the file choosers. */
static inline guint
zz_test_sync_dialogs (GtkWidget *win, ZzTestDialogCheck check, gpointer data)
{
  AdwViewStack *stack = ADW_VIEW_STACK (zz_test_get (win, "view_stack"));
  GtkWidget *view = adw_view_stack_get_child_by_name (stack, "sync");
  g_autofree char *dir = g_dir_make_tmp ("zz-dialogs-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "own.pub", NULL);
  static const char *choosers[] = { "sync.import", "sync.trust", "sync.enrol", "sync.save-key", "sync.export-folder" };
  guint n = 0;

  adw_view_stack_set_visible_child_name (stack, "sync");
  zz_test_iterate (100);
  gtk_widget_activate_action (view, "sync.save-key-file", "s", key);
  zz_test_iterate (30);
  n += zz_test_dialog_check (view, "sync.trust-file", g_variant_new_string (key), "the trust dialog", check, data);
  n += zz_test_dialog_check (view, "sync.enrol-file", g_variant_new_string (key), "the enrol dialog", check, data);
  {
    ZzStore *store = zz_application_get_store (ZZ_APPLICATION (gtk_window_get_application (GTK_WINDOW (win))));
    n += zz_test_dialog_check (view, "sync.revoke", g_variant_new_string (zz_store_get_node_id (store)),
                               "the revoke dialog", check, data);
  }
  for (guint i = 0; i < G_N_ELEMENTS (choosers); i++)
    n += zz_test_dialog_check (view, choosers[i], NULL, choosers[i], check, data);
  g_unlink (key);
  g_rmdir (dir);
  return n;
}
