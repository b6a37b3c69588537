/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <gdk/x11/gdkx.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-date-entry.h"
#include "zz-desk-view.h"
#include "zz-drop-down.h"
#include "zz-idcard.h"
#include "zz-register.h"
#include "zz-save-dialog.h"
#include "zz-test-dialogs.h"
#include "zz-test-mnemonics.h"
#include "zz-test-gui.h"
#include "zz-ticket-print.h"
#include "zz-window.h"

/* What the database holds, read on a connection of its own as another program would. */
static gint64
db_count (const char *db, const char *sql, const char *param)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return n;
}

#define COUNT_VISITS "SELECT count(*) FROM visit WHERE deleted = 0"
#define COUNT_PERSONS "SELECT count(*) FROM person WHERE deleted = 0"

typedef struct {
  char *db;
  ZzApplication *app;
  GtkWidget *win;
  GtkWidget *desk;
  ZzStore *store;
} Fixture;

static void
fixture_start (Fixture *f, const char *login, const char *password)
{
  f->db = zz_test_demo_db ();
  f->app = zz_test_start_app (f->db);
  zz_test_log_in (f->app, login, password);
  f->win = GTK_WIDGET (zz_test_active_window (f->app));
  f->desk = zz_test_get (f->win, "desk_view");
  f->store = zz_application_get_store (f->app);
  zz_test_iterate (50);
}

static void
fixture_stop (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  zz_test_iterate (20);
  g_clear_object (&f->app);
  zz_test_remove_db (f->db);
  g_free (f->db);
}

static GtkWidget *
w (Fixture *f, const char *id)
{
  return zz_test_get (f->desk, id);
}

typedef struct {
  Fixture *f;
  const char *id;
} FocusWait;

static gboolean
focus_is_on (gpointer data)
{
  FocusWait *fw = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fw->f->win));
  GtkWidget *target = w (fw->f, fw->id);

  return focus && (focus == target || gtk_widget_is_ancestor (focus, target));
}

/* Whether the focus is on @id, once the focus move has run (a loaded machine may take longer
 * than a frame). */
static gboolean
has_focus (Fixture *f, const char *id)
{
  FocusWait fw = { f, id };

  return zz_test_wait (focus_is_on, &fw, 3000);
}

static int
figure (Fixture *f, const char *id)
{
  return atoi (gtk_label_get_text (GTK_LABEL (w (f, id))));
}

/* Position of the window numbered @number in the drop-downs (they list zz_store_list_windows). */
static guint
window_index (Fixture *f, int number, char **out_id)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (f->store);

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(ZzRow) row = g_list_model_get_item (windows, i);
      if (zz_row_get_int (row, "number") == number)
        {
          if (out_id)
            *out_id = g_strdup (zz_row_get_id (row));
          return i;
        }
    }
  g_assert_not_reached ();
}

static guint
window_index_of_id (Fixture *f, const char *window_id)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (f->store);

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(ZzRow) row = g_list_model_get_item (windows, i);
      if (g_strcmp0 (zz_row_get_id (row), window_id) == 0)
        return i;
    }
  g_assert_not_reached ();
}

/* The clerk opens the list with Enter and picks with the arrow keys and Enter; the pick moves the
 * focus on to the next field. */
static void
pick (Fixture *f, const char *drop_id, guint position)
{
  gtk_widget_grab_focus (w (f, drop_id));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (f, drop_id)), position);
  zz_test_iterate (20);
}

static ZzRow *
find_ticket_of (Fixture *f, const char *name)
{
  g_autoptr(GListModel) tickets = zz_store_list_tickets (f->store, NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(ZzRow) t = g_list_model_get_item (tickets, i);
      if (g_strcmp0 (zz_row_get (t, "name"), name) == 0)
        return g_steal_pointer (&t);
    }
  return NULL;
}

static void
test_register_with_keyboard (void)
{
  Fixture f = { 0 };
  g_autoptr(ZzRow) ticket = NULL;
  g_autofree char *board_text = NULL;
  g_autofree char *window3 = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_data = NULL;
  gsize pdf_len = 0;
  gint64 visits_before;
  int visitors_before, people_before;

  fixture_start (&f, "clerk", "Clerk2024");
  visits_before = db_count (f.db, COUNT_VISITS, NULL);
  visitors_before = figure (&f, "visitors_figure");
  people_before = figure (&f, "people_figure");
  g_assert_cmpint (visitors_before, >, 0);
  g_assert_true (has_focus (&f, "name_entry"));

  zz_test_type (w (&f, "name_entry"), "欧阳春花", TRUE);
  g_assert_true (has_focus (&f, "phone_entry"));
  zz_test_type (w (&f, "phone_entry"), "139 0743 1234", TRUE);
  g_assert_true (has_focus (&f, "id_entry"));
  zz_test_type (w (&f, "id_entry"), "", TRUE);   /* optional: Enter skips it */
  g_assert_true (has_focus (&f, "people_spin"));
  zz_test_type (w (&f, "people_spin"), "2", TRUE);
  g_assert_true (has_focus (&f, "category_drop"));
  pick (&f, "category_drop", 0);
  g_assert_true (has_focus (&f, "window_drop"));
  pick (&f, "window_drop", window_index (&f, 3, &window3));
  g_assert_true (has_focus (&f, "purpose_entry"));
  zz_test_type (w (&f, "purpose_entry"), "邻居建房占用通道，请求调解", TRUE);
  zz_test_iterate (100);

  /* Saved once, with the ticket at window 3. */
  g_assert_cmpint (db_count (f.db, COUNT_VISITS, NULL), ==, visits_before + 1);
  ticket = find_ticket_of (&f, "欧阳春花");
  g_assert_nonnull (ticket);
  g_assert_cmpstr (zz_row_get (ticket, "window_id"), ==, window3);
  g_assert_cmpint (zz_row_get_int (ticket, "people"), ==, 2);
  g_assert_cmpstr (zz_row_get (ticket, "phone"), ==, "13907431234");
  /* The first of the case categories: one list for the desk and the case form. */
  g_assert_cmpstr (zz_row_get (ticket, "category"), ==, "family");
  g_assert_cmpstr (zz_row_get (ticket, "status"), ==, "waiting");

  /* The board shows it, the figures went up, the form is fresh for the next visitor. */
  board_text = zz_test_collect_text (w (&f, "ticket_view"));
  g_assert_nonnull (strstr (board_text, "欧阳春花"));
  g_assert_nonnull (strstr (board_text, zz_row_get (ticket, "label")));
  g_assert_cmpint (figure (&f, "visitors_figure"), ==, visitors_before + 1);
  g_assert_cmpint (figure (&f, "people_figure"), ==, people_before + 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w (&f, "name_entry"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w (&f, "purpose_entry"))), ==, "");
  g_assert_true (has_focus (&f, "name_entry"));
  g_assert_true (gtk_widget_get_visible (w (&f, "last_ticket_box")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (w (&f, "last_ticket_label"))), zz_row_get (ticket, "label")));

  /* The receipt goes through the same print path as the printer, here into a PDF. */
  pdf = g_build_filename (g_get_tmp_dir (), "zz-test-ticket.pdf", NULL);
  g_unlink (pdf);
  g_assert_true (zz_ticket_print (GTK_WINDOW (f.win), f.store, zz_row_get_id (ticket), pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &pdf_data, &pdf_len, NULL));
  g_assert_cmpuint (pdf_len, >, 1000);
  g_assert_true (g_str_has_prefix (pdf_data, "%PDF"));
  g_unlink (pdf);

  /* Ctrl+Return on an empty form saves nothing and says why, inline. */
  gtk_widget_activate_action (f.desk, "desk.register", NULL);
  g_assert_cmpint (db_count (f.db, COUNT_VISITS, NULL), ==, visits_before + 1);
  g_assert_true (gtk_widget_get_visible (w (&f, "name_error")));
  g_assert_true (gtk_widget_has_css_class (w (&f, "name_entry"), "error"));
  g_assert_true (gtk_widget_get_visible (w (&f, "category_error")));
  g_assert_true (has_focus (&f, "name_entry"));
  fixture_stop (&f);
}

static void
test_invalid_id_refused (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) expected = NULL;
  gint64 visits_before, persons_before;
  int visitors_before;
  const char *bad = "433122199001011234";

  g_assert_false (zz_idcard_validate (bad, NULL, &expected));
  fixture_start (&f, "clerk", "Clerk2024");
  visits_before = db_count (f.db, COUNT_VISITS, NULL);
  persons_before = db_count (f.db, COUNT_PERSONS, NULL);
  visitors_before = figure (&f, "visitors_figure");

  zz_test_type (w (&f, "name_entry"), "张三", TRUE);
  zz_test_type (w (&f, "phone_entry"), "13812345678", TRUE);
  zz_test_type (w (&f, "id_entry"), bad, TRUE);
  /* Marked where it is wrong, with core validation's words; the focus stays for the fix. */
  g_assert_true (gtk_widget_get_visible (w (&f, "id_error")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (w (&f, "id_error"))), ==, expected->message);
  g_assert_true (gtk_widget_has_css_class (w (&f, "id_entry"), "error"));
  g_assert_true (has_focus (&f, "id_entry"));

  /* Everything else filled in: still refused as a whole. */
  zz_test_type (w (&f, "people_spin"), "1", FALSE);
  pick (&f, "category_drop", 0);
  pick (&f, "window_drop", 0);
  zz_test_type (w (&f, "purpose_entry"), "咨询", FALSE);
  gtk_widget_activate_action (f.desk, "desk.register", NULL);
  zz_test_iterate (50);
  g_assert_true (gtk_widget_get_visible (w (&f, "id_error")));
  g_assert_true (has_focus (&f, "id_entry"));
  g_assert_cmpint (db_count (f.db, COUNT_VISITS, NULL), ==, visits_before);
  g_assert_cmpint (db_count (f.db, COUNT_PERSONS, NULL), ==, persons_before);
  g_assert_cmpint (figure (&f, "visitors_figure"), ==, visitors_before);

  /* Typing again clears the mark; a leaving field with a bad phone is marked. */
  zz_test_type (w (&f, "id_entry"), "", FALSE);
  g_assert_false (gtk_widget_get_visible (w (&f, "id_error")));
  zz_test_type (w (&f, "phone_entry"), "12345", FALSE);
  gtk_widget_grab_focus (w (&f, "purpose_entry"));
  zz_test_iterate (20);
  g_assert_true (gtk_widget_get_visible (w (&f, "phone_error")));
  fixture_stop (&f);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_returning_visitor (void)
{
  Fixture f = { 0 };
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(ZzRow) known = NULL;
  g_autofree char *matches = NULL;
  g_autofree char *shot = NULL;
  GtkListBoxRow *row;
  gint64 persons_before, visits_before, own_before;

  fixture_start (&f, "clerk", "Clerk2024");
  tickets = zz_store_list_tickets (f.store, NULL, NULL);
  known = g_list_model_get_item (tickets, g_list_model_get_n_items (tickets) - 1);
  persons_before = db_count (f.db, COUNT_PERSONS, NULL);
  visits_before = db_count (f.db, COUNT_VISITS, NULL);
  own_before = db_count (f.db, "SELECT count(*) FROM visit WHERE person_id = ?", zz_row_get (known, "person_id"));

  zz_test_type (w (&f, "phone_entry"), zz_row_get (known, "phone"), FALSE);
  g_assert_true (zz_test_wait (widget_visible, w (&f, "matches_box"), 3000));
  matches = zz_test_collect_text (w (&f, "matches_list"));
  g_assert_nonnull (strstr (matches, zz_row_get (known, "name")));
  g_assert_nonnull (strstr (matches, "visit"));
  zz_test_iterate (50);
  shot = zz_test_screenshot (f.win, "desk.png");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (w (&f, "matches_list")), 0);
  g_assert_nonnull (row);
  g_signal_emit_by_name (w (&f, "matches_list"), "row-activated", row);
  zz_test_iterate (20);
  g_assert_true (gtk_widget_get_visible (w (&f, "returning_box")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (w (&f, "returning_label"))), zz_row_get (known, "name")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w (&f, "name_entry"))), ==, zz_row_get (known, "name"));
  g_assert_false (gtk_widget_get_visible (w (&f, "matches_box")));
  g_assert_true (has_focus (&f, "people_spin"));

  zz_test_type (w (&f, "people_spin"), "1", TRUE);
  pick (&f, "category_drop", 1);
  pick (&f, "window_drop", 1);
  zz_test_type (w (&f, "purpose_entry"), "再次来访，询问处理进度", TRUE);
  zz_test_iterate (50);

  g_assert_cmpint (db_count (f.db, COUNT_VISITS, NULL), ==, visits_before + 1);
  g_assert_cmpint (db_count (f.db, COUNT_PERSONS, NULL), ==, persons_before);
  g_assert_cmpint (db_count (f.db, "SELECT count(*) FROM visit WHERE person_id = ?", zz_row_get (known, "person_id")),
                   ==, own_before + 1);
  g_assert_false (gtk_widget_get_visible (w (&f, "returning_box")));
  fixture_stop (&f);
}

static GtkWindow *
find_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (tops) && !found; i++)
    {
      g_autoptr(GtkWindow) win = g_list_model_get_item (tops, i);
      /* GTK keeps its toplevels alive; the list's reference is not needed. */
      if (ADW_IS_MESSAGE_DIALOG (win) && gtk_widget_get_visible (GTK_WIDGET (win)))
        found = win;
    }
  return found;
}

/* Finishes the selected ticket through the dialog, as the clerk would. */
static void
finish_with (Fixture *f, const char *outcome_id, int refer_position)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (f->desk, "desk.finish", NULL);
  zz_test_iterate (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (zz_test_get (GTK_WIDGET (dialog), outcome_id)), TRUE);
  if (refer_position >= 0)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (zz_test_get (GTK_WIDGET (dialog), "refer_window_drop")),
                                refer_position);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "finish");
  gtk_window_destroy (dialog);
  zz_test_iterate (50);
  /* A referral offers to print the new ticket. */
  dialog = find_dialog ();
  if (dialog)
    {
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "referral-ticket-dialog");
      g_assert_true (refer_position >= 0);
      gtk_window_destroy (dialog);
      zz_test_iterate (20);
    }
  else
    g_assert_true (refer_position < 0);
}

static const char *
status_of (Fixture *f, const char *ticket_id, ZzRow **keep)
{
  g_clear_object (keep);
  *keep = zz_store_get_ticket (f->store, ticket_id);
  return *keep ? zz_row_get (*keep, "status") : NULL;
}

static void
test_queue_actions (void)
{
  Fixture f = { 0 };
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(ZzRow) row = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *window_id = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *other_window = NULL;
  int best = G_MAXINT;
  guint refer_to;

  fixture_start (&f, "clerk", "Clerk2024");
  /* The next visitor at the window of some waiting ticket: the lowest number there. */
  tickets = zz_store_list_tickets (f.store, NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(ZzRow) t = g_list_model_get_item (tickets, i);
      if (g_strcmp0 (zz_row_get (t, "status"), "waiting") != 0)
        continue;
      if (!window_id)
        window_id = g_strdup (zz_row_get (t, "window_id"));
      if (g_str_equal (window_id, zz_row_get (t, "window_id")) && zz_row_get_int (t, "number") < best)
        {
          best = (int) zz_row_get_int (t, "number");
          g_free (ticket_id);
          ticket_id = g_strdup (zz_row_get_id (t));
        }
    }
  g_assert_nonnull (ticket_id);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (&f, "board_window_drop")), window_index_of_id (&f, window_id) + 1);
  zz_test_iterate (20);
  /* The board's window is remembered for the next session of this user. */
  {
    g_autoptr(GVariant) dict = g_settings_get_value (zz_application_get_settings (f.app), "desk-window-by-user");
    g_autofree char *kept = NULL;
    g_assert_true (g_variant_lookup (dict, zz_store_get_user_id (f.store), "s", &kept));
    g_assert_cmpstr (kept, ==, window_id);
  }
  g_assert_true (gtk_widget_is_sensitive (w (&f, "call_next_button")));
  gtk_widget_activate_action (f.desk, "desk.call-next", NULL);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "called");

  gtk_widget_activate_action (f.desk, "desk.start-service", NULL);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "serving");

  finish_with (&f, "outcome_answered", -1);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "done");
  g_assert_cmpstr (zz_row_get (row, "outcome"), ==, "answered");

  gtk_widget_activate_action (f.desk, "desk.undo-ticket", NULL);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "serving");

  /* Referral: a new waiting ticket at the other window, linked both ways. */
  refer_to = window_index_of_id (&f, window_id) == 0 ? 1 : 0;
  {
    g_autoptr(GListModel) windows = zz_store_list_windows (f.store);
    g_autoptr(ZzRow) wr = g_list_model_get_item (windows, refer_to);
    other_window = g_strdup (zz_row_get_id (wr));
  }
  finish_with (&f, "outcome_referred", (int) refer_to);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "done");
  g_assert_cmpstr (zz_row_get (row, "outcome"), ==, "referred");
  new_id = g_strdup (zz_row_get (row, "referred_to"));
  g_assert_nonnull (new_id);
  {
    g_autoptr(ZzRow) nt = zz_store_get_ticket (f.store, new_id);
    g_assert_nonnull (nt);
    g_assert_cmpstr (zz_row_get (nt, "status"), ==, "waiting");
    g_assert_cmpstr (zz_row_get (nt, "window_id"), ==, other_window);
    g_assert_cmpstr (zz_row_get (nt, "referred_from"), ==, ticket_id);
  }
  /* Undoing the referral withdraws the new ticket. */
  gtk_widget_activate_action (f.desk, "desk.undo-ticket", NULL);
  g_assert_cmpstr (status_of (&f, ticket_id, &row), ==, "serving");
  {
    g_autoptr(ZzRow) gone = zz_store_get_ticket (f.store, new_id);
    g_assert_null (gone);
  }

  /* A window nobody went to today shows its empty state. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (&f, "board_window_drop")), window_index (&f, 14, NULL) + 1);
  zz_test_iterate (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (w (&f, "board_stack"))), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (w (&f, "empty_page"))), ==,
                   "No Visitors at This Window Yet");
  /* Nobody to call there: the store's reason is shown, nothing changes. */
  gtk_widget_activate_action (f.desk, "desk.call-next", NULL);
  g_settings_reset (zz_application_get_settings (f.app), "desk-window-by-user");
  fixture_stop (&f);
}

static void
test_supervisor_read_only (void)
{
  Fixture f = { 0 };
  gint64 visits_before;

  fixture_start (&f, "supervisor", "Super2024");
  visits_before = db_count (f.db, COUNT_VISITS, NULL);
  g_assert_false (gtk_widget_is_sensitive (w (&f, "name_entry")));
  g_assert_false (gtk_widget_is_sensitive (w (&f, "register_button")));
  g_assert_true (gtk_widget_get_visible (w (&f, "read_only_label")));
  g_assert_false (gtk_widget_is_sensitive (w (&f, "call_next_button")));
  /* The board is there to read. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (w (&f, "board_stack"))), ==, "list");
  g_assert_cmpint (figure (&f, "visitors_figure"), >, 0);
  gtk_widget_activate_action (f.desk, "desk.register", NULL);
  g_assert_cmpint (db_count (f.db, COUNT_VISITS, NULL), ==, visits_before);
  fixture_stop (&f);
}


/* ---- issue 12: what a clerk's hands and eyes met ---- */

static void
assert_no_collisions (GtkWidget *root, const char *where)
{
  g_autofree char *collisions = zz_test_mnemonic_collisions (root);

  if (*collisions)
    g_error ("access keys collide in %s:\n%s", where, collisions);
}

/* Each access key of a window or dialog goes to one place: every view of the main window, the
 * finish dialog, the visitor register dialog. */
static void
walk_views (Fixture *f)
{
  AdwViewStack *stack = ADW_VIEW_STACK (zz_test_get (f->win, "view_stack"));
  GtkSelectionModel *pages = adw_view_stack_get_pages (stack);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_autofree char *where = NULL;
      if (!adw_view_stack_page_get_visible (page))
        continue;
      adw_view_stack_set_visible_child (stack, adw_view_stack_page_get_child (page));
      zz_test_iterate (50);
      where = g_strdup_printf ("the %s view of %s", adw_view_stack_page_get_name (page),
                               zz_store_get_user_name (f->store));
      assert_no_collisions (f->win, where);
    }
  g_object_unref (pages);
}

/* The access keys of a dialog of the app, each collision on a line of its own (GTK's file
 * chooser has GTK's own). */
static void
collect_collisions_cb (GtkWindow *dialog, const char *what, gpointer data)
{
  GString *all = data;
  g_autofree char *collisions = NULL;

  if (GTK_IS_FILE_CHOOSER (dialog))
    return;
  collisions = zz_test_mnemonic_collisions (GTK_WIDGET (dialog));
  if (*collisions)
    g_string_append_printf (all, "%s (%s): %s\n", what, gtk_window_get_title (dialog), collisions);
}

static void
test_access_keys (void)
{
  Fixture f = { 0 };
  AdwViewStack *stack;
  g_autoptr(GListModel) tickets = NULL;
  GtkWindow *dialog;

  /* The views other roles see. */
  fixture_start (&f, "supervisor", "Super2024");
  walk_views (&f);
  fixture_stop (&f);
  fixture_start (&f, "admin", "Admin2024");
  walk_views (&f);
  fixture_stop (&f);

  fixture_start (&f, "clerk", "Clerk2024");
  stack = ADW_VIEW_STACK (zz_test_get (f.win, "view_stack"));
  walk_views (&f);
  adw_view_stack_set_visible_child_name (stack, "desk");
  zz_test_iterate (30);

  /* The finish dialog of a called ticket. */
  tickets = zz_store_list_tickets (f.store, NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(ZzRow) t = g_list_model_get_item (tickets, i);
      if (g_strcmp0 (zz_row_get (t, "status"), "done") != 0 && g_strcmp0 (zz_row_get (t, "status"), "waiting") != 0)
        {
          GtkSelectionModel *sel = gtk_column_view_get_model (GTK_COLUMN_VIEW (w (&f, "ticket_view")));
          gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (sel), i);
          break;
        }
    }
  gtk_widget_activate_action (f.desk, "desk.finish", NULL);
  zz_test_iterate (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  assert_no_collisions (GTK_WIDGET (dialog), "the finish dialog");
  gtk_window_destroy (dialog);
  zz_test_iterate (20);

  gtk_widget_activate_action (f.desk, "desk.visitor-register", NULL);
  zz_test_iterate (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  assert_no_collisions (GTK_WIDGET (dialog), "the visitor register dialog");
  gtk_window_destroy (dialog);
  fixture_stop (&f);

  /* Every dialog of the case page, a household's page and the sync page: a supervisor may take
   * every case step, a mediator registers, assesses and visits households, an administrator
   * trusts and enrols keys. */
  {
    g_autoptr(GString) collisions = g_string_new (NULL);
    guint n = 0;

    fixture_start (&f, "supervisor", "Super2024");
    n += zz_test_case_dialogs (f.win, f.db, collect_collisions_cb, collisions);
    n += zz_test_household_dialogs (f.win, f.db, collect_collisions_cb, collisions);
    fixture_stop (&f);
    fixture_start (&f, "mediator", "Mediator2024");
    n += zz_test_household_dialogs (f.win, f.db, collect_collisions_cb, collisions);
    fixture_stop (&f);
    fixture_start (&f, "admin", "Admin2024");
    n += zz_test_sync_dialogs (f.win, collect_collisions_cb, collisions);
    fixture_stop (&f);
    g_test_message ("%u dialogs walked", n);
    /* the new case form, 12 steps of a case, 10 + 10 household dialogs, 3 of sync, 5 choosers */
    g_assert_cmpuint (n, >=, 35);
    if (collisions->len)
      g_error ("access keys collide:\n%s", collisions->str);
  }
}

/* Two windows nobody went to today, by position in the drop-downs. */
static void
free_windows (Fixture *f, char **a, char **b)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (f->store);
  g_autoptr(GListModel) tickets = zz_store_list_tickets (f->store, NULL, NULL);

  *a = *b = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (windows) && !*b; i++)
    {
      g_autoptr(ZzRow) wr = g_list_model_get_item (windows, i);
      gboolean used = FALSE;
      for (guint j = 0; j < g_list_model_get_n_items (tickets); j++)
        {
          g_autoptr(ZzRow) t = g_list_model_get_item (tickets, j);
          used = used || g_strcmp0 (zz_row_get (t, "window_id"), zz_row_get_id (wr)) == 0;
        }
      if (used)
        continue;
      if (!*a)
        *a = g_strdup (zz_row_get_id (wr));
      else
        *b = g_strdup (zz_row_get_id (wr));
    }
  g_assert_nonnull (*b);
}

static char *
register_at (Fixture *f, const char *name, const char *phone, const char *window_id, int people)
{
  g_autoptr(GError) error = NULL;
  char *ticket = NULL;
  ZzVisitInput in = { .name = name, .phone = phone, .people = people, .purpose = "宅基地边界纠纷",
                      .category = "neighbours", .window_id = window_id };

  if (!zz_store_register_visit (f->store, &in, NULL, &ticket, &error))
    g_error ("%s", error->message);
  return ticket;
}

static ZzRow *
board_row (Fixture *f, guint i)
{
  GtkSelectionModel *sel = gtk_column_view_get_model (GTK_COLUMN_VIEW (w (f, "ticket_view")));
  return g_list_model_get_item (G_LIST_MODEL (sel), i);
}

/* The trial: a referred visitor waiting since long before was on top of the list, yet call-next
 * called a later arrival with a lower number. The list order and the call are one rule. */
static void
test_queue_rule (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *win_a = NULL, *win_b = NULL, *early = NULL, *late = NULL, *moved = NULL;
  g_autoptr(ZzRow) top = NULL;
  g_autoptr(ZzRow) row = NULL;
  gint64 t0;

  fixture_start (&f, "clerk", "Clerk2024");
  free_windows (&f, &win_a, &win_b);
  t0 = g_get_real_time () / 1000 - 60 * 60000;
  zz_store_set_now (f.store, t0);
  early = register_at (&f, "龙秀英", "13807439001", win_a, 1);
  zz_store_set_now (f.store, t0 + 30 * 60000);
  late = register_at (&f, "石光明", "13807439002", win_b, 1);
  zz_store_set_now (f.store, t0 + 40 * 60000);
  g_assert_true (zz_store_start_service (f.store, early, &error));
  g_assert_true (zz_store_finish_ticket (f.store, early, "referred", win_b, NULL, &moved, &error));
  g_assert_no_error (error);
  zz_store_set_now (f.store, 0);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (&f, "board_window_drop")), window_index_of_id (&f, win_b) + 1);
  zz_test_iterate (50);
  /* The referred visitor is on top, with the wait since arrival (about an hour)... */
  top = board_row (&f, 0);
  g_assert_cmpstr (zz_row_get_id (top), ==, moved);
  {
    g_autofree char *text = zz_test_collect_text (w (&f, "ticket_view"));
    g_assert_null (strstr (text, "20 min"));   /* not the time since the new ticket */
  }
  /* ...and F5 calls the one on top. */
  gtk_widget_activate_action (f.desk, "desk.call-next", NULL);
  zz_test_iterate (30);
  g_assert_cmpstr (status_of (&f, moved, &row), ==, "called");
  g_assert_cmpstr (status_of (&f, late, &row), ==, "waiting");

  /* One visitor in service at a window: starting the second says why and changes nothing. */
  g_assert_true (zz_store_start_service (f.store, moved, &error));
  g_assert_false (zz_store_start_service (f.store, late, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_assert_cmpstr (status_of (&f, late, &row), ==, "waiting");
  g_settings_reset (zz_application_get_settings (f.app), "desk-window-by-user");
  fixture_stop (&f);
}

static gboolean
press_enter (GtkWidget *dialog)
{
  GListModel *controllers = gtk_widget_observe_controllers (dialog);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (c) && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Return, 36, 0, &handled);
    }
  g_object_unref (controllers);
  return handled;
}

/* The finish dialog: the ticket's own window is not a referral target, Enter on a focused
 * outcome finishes, and a referral offers to print the new ticket. */
static void
test_finish_dialog (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *win_a = NULL, *win_b = NULL, *ticket = NULL, *own_label = NULL;
  g_autoptr(ZzRow) row = NULL;
  GtkWindow *dialog;
  GtkDropDown *refer;
  GListModel *names;
  g_autoptr(GListModel) windows = NULL;

  fixture_start (&f, "clerk", "Clerk2024");
  free_windows (&f, &win_a, &win_b);
  ticket = register_at (&f, "向红梅", "13807439011", win_a, 1);
  g_assert_true (zz_store_start_service (f.store, ticket, &error));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (&f, "board_window_drop")), window_index_of_id (&f, win_a) + 1);
  zz_test_iterate (50);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (w (&f, "ticket_view")))), 0);
  zz_test_iterate (20);

  gtk_widget_activate_action (f.desk, "desk.finish", NULL);
  zz_test_iterate (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  refer = GTK_DROP_DOWN (zz_test_get (GTK_WIDGET (dialog), "refer_window_drop"));
  names = gtk_drop_down_get_model (refer);
  windows = zz_store_list_windows (f.store);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, g_list_model_get_n_items (windows) - 1);
  {
    g_autoptr(ZzRow) t = zz_store_get_ticket (f.store, ticket);
    own_label = g_strdup_printf ("Window %d · %s", (int) zz_row_get_int (t, "window_number"), zz_row_get (t, "department"));
  }
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), !=, own_label);
  /* Nothing chosen shows what to do, not GTK's "(None)". */
  {
    g_autofree char *text = zz_test_collect_text (GTK_WIDGET (refer));
    g_assert_null (strstr (text, "(None)"));
  }

  /* Enter with the focus on an outcome finishes with that outcome. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (zz_test_get (GTK_WIDGET (dialog), "outcome_answered")), TRUE);
  gtk_widget_grab_focus (zz_test_get (GTK_WIDGET (dialog), "outcome_answered"));
  g_assert_true (press_enter (GTK_WIDGET (dialog)));
  zz_test_iterate (50);
  g_assert_cmpstr (status_of (&f, ticket, &row), ==, "done");
  g_assert_cmpstr (zz_row_get (row, "outcome"), ==, "answered");
  g_assert_null (find_dialog ());

  /* A referral: the new ticket is offered for printing. */
  gtk_widget_activate_action (f.desk, "desk.undo-ticket", NULL);
  zz_test_iterate (30);
  g_assert_cmpstr (status_of (&f, ticket, &row), ==, "serving");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (w (&f, "ticket_view")))), 0);
  finish_with (&f, "outcome_referred", 0);
  g_assert_cmpstr (status_of (&f, ticket, &row), ==, "done");
  g_assert_cmpstr (zz_row_get (row, "outcome"), ==, "referred");
  g_settings_reset (zz_application_get_settings (f.app), "desk-window-by-user");
  fixture_stop (&f);
}

/* One category list: the desk offers the case categories, a retired one is gone, an empty
 * choice says what to do; a case registered from the visit starts with the visit's category. */
static void
test_categories (void)
{
  Fixture f = { 0 };
  g_autoptr(GListModel) cats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *win_a = NULL, *win_b = NULL, *ticket = NULL;
  g_autoptr(ZzRow) t = NULL;
  GListModel *names;
  GtkWidget *intake = NULL;

  fixture_start (&f, "clerk", "Clerk2024");
  cats = zz_store_case_categories (f.store, FALSE);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (w (&f, "category_drop")));
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, g_list_model_get_n_items (cats));
  for (guint i = 0; i < g_list_model_get_n_items (cats); i++)
    {
      g_autoptr(ZzRow) c = g_list_model_get_item (cats, i);
      g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), ==, zz_row_get (c, "name"));
    }
  {
    g_autofree char *text = zz_test_collect_text (w (&f, "category_drop"));
    g_assert_null (strstr (text, "(None)"));
    g_assert_nonnull (strstr (text, "Choose…"));
    g_free (text);
    text = zz_test_collect_text (w (&f, "window_drop"));
    g_assert_null (strstr (text, "(None)"));
  }

  /* A visit of land and forest becomes a case of land and forest. */
  free_windows (&f, &win_a, &win_b);
  {
    ZzVisitInput in = { .name = "杨再兴", .phone = "13807439021", .people = 1, .purpose = "山林界址争议",
                        .category = "land_forest", .window_id = win_a };
    g_assert_true (zz_store_register_visit (f.store, &in, NULL, &ticket, &error));
  }
  t = zz_store_get_ticket (f.store, ticket);
  zz_window_register_case_from_visit (ZZ_WINDOW (f.win), t);
  zz_test_iterate (80);
  {
    GListModel *tops = gtk_window_get_toplevels ();
    for (guint i = 0; i < g_list_model_get_n_items (tops) && !intake; i++)
      {
        g_autoptr(GtkWidget) top = g_list_model_get_item (tops, i);
        if (g_strcmp0 (gtk_widget_get_name (top), "intake-form") == 0 && gtk_widget_get_visible (top))
          intake = top;
      }
  }
  g_assert_nonnull (intake);
  {
    GtkWidget *combo = zz_test_find_by_text (intake, ADW_TYPE_COMBO_ROW, "Cate_gory");
    g_autofree char *land = zz_store_case_category_name (f.store, "land_forest");
    GtkStringObject *item;
    g_assert_nonnull (combo);
    item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (combo));
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, land);
  }
  gtk_window_destroy (GTK_WINDOW (intake));
  zz_test_iterate (20);
  fixture_stop (&f);
}

/* Each role lands on its work. */
static void
test_landing (void)
{
  static const struct { const char *login, *password, *view; } cases[] = {
    { "clerk", "Clerk2024", "desk" },
    { "mediator", "Mediator2024", "cases" },
    { "supervisor", "Super2024", "stats" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Fixture f = { 0 };
      fixture_start (&f, cases[i].login, cases[i].password);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (f.win, "view_stack"))), ==,
                       cases[i].view);
      fixture_stop (&f);
    }
}

/* The board's window is each user's own and never presets the next visitor's window. */
static void
session (Fixture *f, const char *db, const char *login, const char *password)
{
  f->db = g_strdup (db);
  f->app = zz_test_start_app (f->db);
  zz_test_log_in (f->app, login, password);
  f->win = GTK_WIDGET (zz_test_active_window (f->app));
  f->desk = zz_test_get (f->win, "desk_view");
  f->store = zz_application_get_store (f->app);
  zz_test_iterate (50);
}

static void
end_session (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  zz_test_iterate (20);
  g_clear_object (&f->app);
  g_clear_pointer (&f->db, g_free);
}

static void
test_board_filter (void)
{
  Fixture f = { 0 };
  g_autofree char *db = zz_test_demo_db ();
  guint pos;

  session (&f, db, "clerk", "Clerk2024");
  pos = window_index (&f, 2, NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (w (&f, "board_window_drop")), pos + 1);
  zz_test_iterate (30);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (w (&f, "window_drop"))), ==, GTK_INVALID_LIST_POSITION);
  gtk_widget_activate_action (f.desk, "desk.new", NULL);
  zz_test_iterate (20);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (w (&f, "window_drop"))), ==, GTK_INVALID_LIST_POSITION);
  end_session (&f);

  /* Another user of the same installation sees all windows... */
  session (&f, db, "supervisor", "Super2024");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (w (&f, "board_window_drop"))), ==, 0);
  end_session (&f);
  /* ...and the clerk finds the own choice again. */
  session (&f, db, "clerk", "Clerk2024");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (w (&f, "board_window_drop"))), ==, pos + 1);
  g_settings_reset (zz_application_get_settings (f.app), "desk-window-by-user");
  end_session (&f);
  zz_test_remove_db (db);
}

/* The date field reads the forms people type and offers a calendar. */
static void
test_date_entry (void)
{
  GtkWidget *win = gtk_window_new ();
  GtkWidget *entry = zz_date_entry_new ();
  GtkEntry *text = zz_date_entry_get_entry (ZZ_DATE_ENTRY (entry));
  GtkWidget *button = zz_date_entry_get_button (ZZ_DATE_ENTRY (entry));
  g_autofree char *day = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *calendar;
  GDate d;

  gtk_window_set_child (GTK_WINDOW (win), entry);
  gtk_window_present (GTK_WINDOW (win));
  zz_test_iterate (30);

  zz_test_type (GTK_WIDGET (text), "2026/12/02", TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "2026-12-02");
  zz_test_type (GTK_WIDGET (text), "2026年12月2日", TRUE);
  day = zz_date_entry_get_day (ZZ_DATE_ENTRY (entry));
  g_assert_cmpstr (day, ==, "2026-12-02");
  zz_test_type (GTK_WIDGET (text), "2026/13/02", TRUE);
  g_assert_false (zz_date_entry_get_date (ZZ_DATE_ENTRY (entry), &d, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);

  /* The calendar opens on the typed day; choosing a day writes it. */
  zz_test_type (GTK_WIDGET (text), "2026-12-02", FALSE);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  zz_test_iterate (50);
  calendar = zz_test_get (entry, "calendar");
  {
    g_autoptr(GDateTime) shown = gtk_calendar_get_date (GTK_CALENDAR (calendar));
    g_autoptr(GDateTime) pick = g_date_time_new_local (2026, 12, 1, 12, 0, 0);
    g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 2);
    g_assert_cmpint (g_date_time_get_month (shown), ==, 12);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), pick);
  }
  zz_test_iterate (30);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "2026-12-01");
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
}

/* The day's visitor register as Excel and PDF, with a group visit marked; save dialogs start
 * in the folder last used. */
static void
test_visitor_register (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-register-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "register.xlsx", NULL);
  g_autofree char *pdf = g_build_filename (dir, "register.pdf", NULL);
  g_autofree char *printed = g_build_filename (dir, "printed.pdf", NULL);
  g_autofree char *win_a = NULL, *win_b = NULL, *ticket = NULL, *out = NULL, *cmd = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  int status = 0;

  fixture_start (&f, "clerk", "Clerk2024");
  free_windows (&f, &win_a, &win_b);
  ticket = register_at (&f, "麻阳代表", "13807439031", win_a, 12);
  zz_test_iterate (50);
  g_assert_cmpint (atoi (gtk_label_get_text (GTK_LABEL (w (&f, "group_figure")))), >=, 1);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (w (&f, "group_list_label"))), "麻阳代表"));
  {
    g_autofree char *board = zz_test_collect_text (w (&f, "ticket_view"));
    g_assert_nonnull (strstr (board, "12 · group"));
  }

  g_assert_true (zz_register_write (f.store, NULL, xlsx, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (xlsx, &data, &len, NULL));
  g_assert_true (len > 100 && data[0] == 'P' && data[1] == 'K');
  g_clear_pointer (&data, g_free);
  g_assert_true (zz_register_write (f.store, NULL, pdf, &error));
  g_assert_no_error (error);
  cmd = g_strdup_printf ("pdftotext -raw '%s' -", pdf);
  g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  {
    /* Cells wrap: read the text without the line breaks and spaces of the layout. */
    GString *flat = g_string_new (NULL);
    for (const char *c = out; *c; c++)
      if (!g_ascii_isspace (*c))
        g_string_append_c (flat, *c);
    if (!strstr (flat->str, "麻阳代表") || !strstr (flat->str, "(groupvisit)") || !strstr (flat->str, "VisitorRegister"))
      g_error ("the register PDF lacks the group visit:\n%s", out);
    g_string_free (flat, TRUE);
  }
  /* Any other suffix is refused with a reason, nothing written. */
  {
    g_autofree char *odt = g_build_filename (dir, "register.odt", NULL);
    g_assert_false (zz_register_write (f.store, NULL, odt, &error));
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
    g_assert_false (g_file_test (odt, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }
  /* The print path, into a PDF. */
  g_assert_true (zz_desk_view_print_register (ZZ_DESK_VIEW (f.desk), NULL, printed, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (printed, G_FILE_TEST_EXISTS));

  /* The next save dialog opens in the folder last saved to. */
  zz_file_chooser_remember_folder (xlsx);
  {
    const char *suffixes[] = { "xlsx", NULL };
    GtkFileChooserNative *chooser = NULL;
    g_autofree char *kept = g_settings_get_string (zz_application_get_settings (f.app), "last-folder");
    g_assert_cmpstr (kept, ==, dir);
    chooser = zz_save_dialog_new (f.desk, "t", "_Save", "x.xlsx", suffixes);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (chooser), "zz-start-folder"), ==, dir);
    g_object_unref (chooser);
  }
  g_settings_reset (zz_application_get_settings (f.app), "last-folder");
  g_unlink (xlsx);
  g_unlink (pdf);
  g_unlink (printed);
  g_rmdir (dir);
  fixture_stop (&f);
}

typedef struct {
  const char *start;     /* the folder choosers must open in */
  const char *pick;      /* a folder with a file to choose, or NULL to cancel */
  const char *file;      /* its name */
  GString *wrong;
  guint n;
} ChooserCheck;

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (data);

  return file != NULL;
}

/* @data: a weak pointer to the dialog (its native dialog frees it once answered). */
static gboolean
chooser_answered (gpointer data)
{
  GtkWidget **dialog = data;

  return !*dialog || !gtk_widget_get_visible (*dialog);
}

/* A file chooser opens in the folder last used; when @pick is set, the file there is chosen. */
static void
start_folder_cb (GtkWindow *dialog, const char *what, gpointer data)
{
  ChooserCheck *c = data;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (!GTK_IS_FILE_CHOOSER (dialog))
    return;
  c->n++;
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (dialog));
  path = folder ? g_file_get_path (folder) : NULL;
  if (g_strcmp0 (path, c->start) != 0)
    g_string_append_printf (c->wrong, "%s opened in %s, not in %s\n", what, path ? path : "no folder", c->start);
  if (c->pick)
    {
      GtkFileChooserAction action = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog));
      g_autofree char *chosen = g_build_filename (c->pick, c->file, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER ? c->pick : chosen);

      g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL));
      if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), c->file);
      g_assert_true (zz_test_wait (chooser_has_file, dialog, 5000));
      /* as the accept button does; the chooser may check the name first, and answers then */
      g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT));
      g_assert_true (zz_test_wait (chooser_answered, &dialog, 5000));
      if (dialog)
        g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      zz_test_iterate (100);
    }
}

/* Every file chooser (open and save) opens in the folder last used, and one that chose a file
 * makes its folder the next one's start. */
static void
test_choosers_remember_folder (void)
{
  Fixture f = { 0 };
  g_autofree char *start = g_dir_make_tmp ("zz-start-XXXXXX", NULL);
  g_autofree char *pick = g_dir_make_tmp ("zz-pick-XXXXXX", NULL);
  g_autoptr(GString) wrong = g_string_new (NULL);
  ChooserCheck c = { start, NULL, NULL, wrong, 0 };
  GSettings *settings;
  AdwViewStack *stack;
  GtkWidget *cases, *households, *sync;
  g_autofree char *attempt = NULL, *csv = NULL;

  fixture_start (&f, "supervisor", "Super2024");
  settings = zz_application_get_settings (f.app);
  stack = ADW_VIEW_STACK (zz_test_get (f.win, "view_stack"));
  cases = adw_view_stack_get_child_by_name (stack, "cases");
  households = adw_view_stack_get_child_by_name (stack, "households");
  sync = adw_view_stack_get_child_by_name (stack, "sync");
  attempt = zz_test_dialogs_db_text (f.db, "SELECT id FROM mediation_attempt WHERE result != 'failed' AND deleted = 0 LIMIT 1");
  g_assert_nonnull (attempt);

  /* Each opens where the last file was. */
  g_settings_set_string (settings, "last-folder", start);
  zz_test_dialog_check (households, "households.import", NULL, "household import", start_folder_cb, &c);
  zz_test_dialog_check (cases, "cases.agreement", g_variant_new_string (attempt), "agreement", start_folder_cb, &c);
  zz_test_dialog_check (sync, "sync.import", NULL, "sync import", start_folder_cb, &c);
  zz_test_dialog_check (sync, "sync.save-key", NULL, "save the key", start_folder_cb, &c);
  zz_test_dialog_check (sync, "sync.export-folder", NULL, "export to a folder", start_folder_cb, &c);
  g_assert_cmpuint (c.n, ==, 5);

  /* A file chosen in another folder makes that folder the next start (a save dialog; the
   * agreement's would open the PDF in a viewer). */
  c.pick = pick;
  c.file = "own.pub";
  zz_test_dialog_check (sync, "sync.save-key", NULL, "save the key", start_folder_cb, &c);
  {
    g_autofree char *kept = g_settings_get_string (settings, "last-folder");
    g_autofree char *saved = g_build_filename (pick, "own.pub", NULL);
    g_autofree char *county = g_build_filename (pick, "county.pub", NULL);
    g_assert_cmpstr (kept, ==, pick);
    g_assert_true (g_file_test (saved, G_FILE_TEST_EXISTS));
    /* kept for the administrator's key chooser below */
    g_assert_true (g_rename (saved, county) == 0);
  }
  /* And an open dialog. */
  c.start = pick;
  c.pick = start;
  c.file = "register.csv";
  csv = g_build_filename (start, "register.csv", NULL);
  g_assert_true (g_file_set_contents (csv, "户主姓名,住址\n张德明,六里村五组\n", -1, NULL));
  zz_test_dialog_check (households, "households.import", NULL, "household import", start_folder_cb, &c);
  {
    g_autofree char *kept = g_settings_get_string (settings, "last-folder");
    GListModel *tops = gtk_window_get_toplevels ();
    g_assert_cmpstr (kept, ==, start);
    for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (tops, i);
        if (g_strcmp0 (gtk_widget_get_name (w), "import_dialog") == 0)
          {
            gtk_window_destroy (GTK_WINDOW (w));
            break;
          }
      }
  }
  g_unlink (csv);
  fixture_stop (&f);

  /* An administrator's key files: each opens where the last file was; the key chosen opens the
   * trust dialog, and its folder is kept. */
  fixture_start (&f, "admin", "Admin2024");
  settings = zz_application_get_settings (f.app);
  sync = adw_view_stack_get_child_by_name (ADW_VIEW_STACK (zz_test_get (f.win, "view_stack")), "sync");
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (zz_test_get (f.win, "view_stack")), sync);
  zz_test_iterate (50);
  c.start = start;
  c.pick = NULL;
  g_settings_set_string (settings, "last-folder", start);
  zz_test_dialog_check (sync, "sync.trust", NULL, "trust a key", start_folder_cb, &c);
  zz_test_dialog_check (sync, "sync.enrol", NULL, "enrol a node", start_folder_cb, &c);
  g_assert_cmpuint (c.n, ==, 9);
  c.pick = pick;
  c.file = "county.pub";
  zz_test_dialog_check (sync, "sync.trust", NULL, "trust a key", start_folder_cb, &c);
  {
    g_autofree char *kept = g_settings_get_string (settings, "last-folder");
    g_autofree char *key = g_build_filename (pick, "county.pub", NULL);
    GtkWindow *trust = zz_test_find_window (f.app, "AdwMessageDialog");
    g_assert_cmpstr (kept, ==, pick);
    g_assert_nonnull (trust);
    gtk_window_destroy (trust);
    g_unlink (key);
  }
  g_settings_reset (settings, "last-folder");
  fixture_stop (&f);

  /* The set-up window's division folder. */
  {
    g_autofree char *db = zz_test_empty_db ();
    g_autoptr(ZzApplication) app = zz_test_start_app (db);
    GtkWindow *setup = zz_test_find_window (app, "ZzSetupWindow");

    g_assert_nonnull (setup);
    c.start = start;
    c.pick = NULL;
    g_settings_set_string (zz_application_get_settings (app), "last-folder", start);
    zz_test_dialog_check (GTK_WIDGET (setup), "setup.import-folder", NULL, "division folder", start_folder_cb, &c);
    g_assert_cmpuint (c.n, ==, 11);
    g_settings_reset (zz_application_get_settings (app), "last-folder");
    gtk_window_destroy (setup);
    zz_test_iterate (20);
    zz_test_remove_db (db);
  }
  g_rmdir (start);
  g_rmdir (pick);
  if (wrong->len)
    g_error ("file choosers that did not open in the last folder:\n%s", wrong->str);
}

/* zh_CN wording from the trial (run by gui-desk-zh). */
static void
test_wording_zh (void)
{
  g_autofree char *po_path = NULL;
  g_autofree char *po = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GString) menu = g_string_new (NULL);
  const char *title;

  if (g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") != 0)
    {
      g_test_skip ("zh_CN only");
      return;
    }
  /* Desk visits and household visits are two words in Chinese. */
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "desk visits", "Visits"), ==, "来访记录");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Visits"), ==, "走访记录");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Escalate"), ==, "提级");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Mine"), ==, "我登记的(_M)");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Not graded"), ==, "未定级");

  /* The shortcuts window is called what its menu item says. */
  builder = gtk_builder_new_from_resource ("/org/zongzhi/Workbench/gtk/help-overlay.ui");
  title = gtk_window_get_title (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  for (const char *c = g_dgettext (GETTEXT_PACKAGE, "_Keyboard Shortcuts"); *c; c++)
    if (*c == '(' && c[1] == '_')
      break;
    else if (*c != '_')
      g_string_append_c (menu, *c);
  g_assert_cmpstr (title, ==, menu->str);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  /* 上交 reads as failure beside 矛盾不上交; grades are 定级. */
  po_path = g_build_filename (g_getenv ("ZZ_TEST_DATA"), "..", "..", "po", "zh_CN.po", NULL);
  g_assert_true (g_file_get_contents (po_path, &po, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (po, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      if (g_str_has_prefix (lines[i], "msgstr") && (strstr (lines[i], "上交") || strstr (lines[i], "未定等")))
        g_error ("old wording in zh_CN.po: %s", lines[i]);
  }
}

static void
xdotool (const char *args)
{
  g_autofree char *cmd = g_strconcat ("xdotool ", args, NULL);
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

static gboolean
drop_selected (gpointer data)
{
  return gtk_drop_down_get_selected (data) != GTK_INVALID_LIST_POSITION;
}

/* Real input (XTEST): the list opened, the pointer resting over it, the arrow keys scroll the
 * list beneath the pointer; Enter takes the item reached with the keys (GTK 4.8 took the one
 * under the pointer). */
static void
test_drop_down_keyboard (void)
{
  g_autofree char *xdo = g_find_program_in_path ("xdotool");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *win, *drop;
  GtkStringList *list;
  g_autofree char *move = NULL;
  gint64 xid;

  if (!xdo || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and X11");
      return;
    }
  list = gtk_string_list_new (NULL);
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *item = g_strdup_printf ("第 %d 项", i);
      gtk_string_list_append (list, item);
    }
  drop = gtk_drop_down_new (G_LIST_MODEL (list), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), GTK_INVALID_LIST_POSITION);
  gtk_widget_set_valign (drop, GTK_ALIGN_START);
  zz_drop_down_follow_keyboard (drop);
  win = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (win), 300, 420);
  gtk_window_set_child (GTK_WINDOW (win), drop);
  gtk_window_present (GTK_WINDOW (win));
  zz_test_iterate (200);
  xid = (gint64) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (win)));

  /* Open the list with the keyboard, then rest the pointer on it. */
  gtk_widget_grab_focus (drop);
  g_signal_emit_by_name (drop, "activate");
  zz_test_iterate (300);
  move = g_strdup_printf ("mousemove --window %" G_GINT64_FORMAT " 150 260", xid);
  xdotool (move);
  zz_test_iterate (200);
  for (int i = 0; i < 14; i++)
    {
      xdotool ("key Down");
      zz_test_iterate (60);
    }
  xdotool ("key Return");
  g_assert_true (zz_test_wait (drop_selected, drop, 3000));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop)), ==, 14);
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
}

static gboolean
case_page_shown (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (data), "case") == 0;
}

static GtkWidget *
named_widget (GtkWidget *w, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = named_widget (c, name);
      if (found)
        return found;
    }
  return NULL;
}

/* Real input: Enter on a row of the case list opens the case (no double-click needed). */
static void
test_enter_opens_case (void)
{
  g_autofree char *xdo = g_find_program_in_path ("xdotool");
  Fixture f = { 0 };
  GtkWidget *cases, *columns, *pages, *row = NULL;
  g_autofree char *pointer = NULL;

  if (!xdo || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and X11");
      return;
    }
  fixture_start (&f, "mediator", "Mediator2024");
  cases = zz_test_get (f.win, "cases_view");
  columns = named_widget (cases, "case-columns");
  pages = named_widget (cases, "case-pages");
  g_assert_nonnull (columns);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pages)), ==, "list");
  zz_test_iterate (300);
  /* The focus on the first row, as Tab and the arrow keys would put it. */
  for (GtkWidget *c = gtk_widget_get_first_child (columns); c && !row; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      row = gtk_widget_get_first_child (c);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  /* Keys go to the window under the pointer when no window manager gives the focus. */
  pointer = g_strdup_printf ("mousemove --window %lu 20 20",
                             (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f.win))));
  xdotool (pointer);
  zz_test_iterate (100);
  xdotool ("key Return");
  g_assert_true (zz_test_wait (case_page_shown, pages, 3000));
  fixture_stop (&f);
}

int
main (int argc, char **argv)
{
  gboolean zh = FALSE;

  /* --zh: the access keys in Chinese, and the zh_CN wording (gettext reads LANGUAGE in any
   * locale but plain C). */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--zh"))
      {
        g_setenv ("LANGUAGE", "zh_CN", TRUE);
        zh = TRUE;
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  if (zh)
    {
      g_test_add_func ("/gui/desk-zh/access-keys", test_access_keys);
      g_test_add_func ("/gui/desk-zh/wording", test_wording_zh);
      return g_test_run ();
    }
  g_test_add_func ("/gui/desk/register-with-keyboard", test_register_with_keyboard);
  g_test_add_func ("/gui/desk/invalid-id-refused", test_invalid_id_refused);
  g_test_add_func ("/gui/desk/returning-visitor", test_returning_visitor);
  g_test_add_func ("/gui/desk/queue-actions", test_queue_actions);
  g_test_add_func ("/gui/desk/supervisor-read-only", test_supervisor_read_only);
  g_test_add_func ("/gui/desk/access-keys", test_access_keys);
  g_test_add_func ("/gui/desk/queue-rule", test_queue_rule);
  g_test_add_func ("/gui/desk/finish-dialog", test_finish_dialog);
  g_test_add_func ("/gui/desk/categories", test_categories);
  g_test_add_func ("/gui/desk/landing", test_landing);
  g_test_add_func ("/gui/desk/board-filter", test_board_filter);
  g_test_add_func ("/gui/desk/date-entry", test_date_entry);
  g_test_add_func ("/gui/desk/visitor-register", test_visitor_register);
  g_test_add_func ("/gui/desk/drop-down-keyboard", test_drop_down_keyboard);
  g_test_add_func ("/gui/desk/enter-opens-case", test_enter_opens_case);
  g_test_add_func ("/gui/desk/choosers-remember-folder", test_choosers_remember_folder);
  return g_test_run ();
}
