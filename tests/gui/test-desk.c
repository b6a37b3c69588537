/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "zz-idcard.h"
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
  g_assert_cmpstr (zz_row_get (ticket, "category"), ==, "dispute");
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
  /* The board's window is remembered for the next session. */
  {
    g_autofree char *kept = g_settings_get_string (zz_application_get_settings (f.app), "desk-window-id");
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
  g_settings_set_string (zz_application_get_settings (f.app), "desk-window-id", "");
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

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/desk/register-with-keyboard", test_register_with_keyboard);
  g_test_add_func ("/gui/desk/invalid-id-refused", test_invalid_id_refused);
  g_test_add_func ("/gui/desk/returning-visitor", test_returning_visitor);
  g_test_add_func ("/gui/desk/queue-actions", test_queue_actions);
  g_test_add_func ("/gui/desk/supervisor-read-only", test_supervisor_read_only);
  return g_test_run ();
}
