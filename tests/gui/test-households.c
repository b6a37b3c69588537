/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-household-dialogs.h"
#include "zz-households.h"
#include "zz-households-view.h"
#include "zz-idcard.h"
#include "zz-test-gui.h"
#include "zz-window.h"

/* The households view's dialogs are built in code: their widgets carry widget names. */
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

static GtkWidget *
dialog_named (const char *name)
{
  GtkWidget *found = NULL;
  GList *all = gtk_window_list_toplevels ();

  for (GList *l = all; l; l = l->next)
    if (gtk_widget_get_visible (l->data) && g_strcmp0 (gtk_widget_get_name (l->data), name) == 0)
      found = l->data;
  g_list_free (all);
  return found;
}

static GtkWidget *
visible_message_dialog (void)
{
  GtkWidget *found = NULL;
  GList *all = gtk_window_list_toplevels ();

  for (GList *l = all; l; l = l->next)
    if (gtk_widget_get_visible (l->data) && ADW_IS_MESSAGE_DIALOG (l->data))
      found = l->data;
  g_list_free (all);
  return found;
}

static gboolean
dialog_gone (gpointer name)
{
  return dialog_named (name) == NULL;
}

static GtkWidget *
open_dialog (GtkWidget *button, const char *name)
{
  GtkWidget *dialog;

  zz_test_click (button);
  zz_test_iterate (50);
  dialog = dialog_named (name);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  return dialog;
}

static void
submit (GtkWidget *dialog, const char *name)
{
  zz_test_click (get_named (dialog, "primary_button"));
  if (!zz_test_wait (dialog_gone, (gpointer) name, 3000))
    g_error ("%s stayed open: %s", name, gtk_label_get_text (GTK_LABEL (get_named (dialog, "error_label"))));
  zz_test_iterate (100);
}

static GtkWidget *
open_households (ZzApplication *app, const char *login, const char *password)
{
  GtkWidget *win;

  zz_test_log_in (app, login, password);
  win = GTK_WIDGET (zz_test_active_window (app));
  /* Alt+5 */
  gtk_widget_activate_action (win, "win.show-view", "s", "households");
  zz_test_iterate (100);
  g_assert_true (gtk_widget_get_mapped (zz_test_get (win, "households_view")));
  return win;
}

static void
log_out (GtkWidget *win)
{
  gtk_widget_activate_action (win, "win.logout", NULL);
  zz_test_iterate (100);
}

static gboolean
row_is_overdue (GtkWidget *row)
{
  return find_named (row, "overdue_badge") != NULL;
}

static GtkWidget *
first_row (GtkWidget *list)
{
  return GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
}

static void
open_household (GtkWidget *win, const char *name)
{
  GtkWidget *view = zz_test_get (win, "households_view");
  GtkWidget *list = zz_test_get (view, "households_list");
  GtkWidget *row;

  zz_test_type (zz_test_get (view, "search_entry"), name, FALSE);
  zz_test_iterate (400);   /* the search entry waits before it searches */
  row = first_row (list);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, name);
  g_signal_emit_by_name (list, "row-activated", row);
  zz_test_iterate (100);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (get_named (win, "page_title"))), ==, name);
}

static const char *
row_subtitle (GtkWidget *win, const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (get_named (win, name)));
}

static void
test_households_flow (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win, *list, *dialog, *view, *error;
  g_autofree char *today = NULL;
  g_autofree char *due = NULL;
  g_autofree char *id_number = NULL;
  gboolean seen_on_time = FALSE;
  ZzRiskScheme scheme;

  /* Overdue households come first and are marked, with a word and not only a colour. */
  win = open_households (app, "clerk", "Clerk2024");
  view = zz_test_get (win, "households_view");
  list = zz_test_get (win, "households_list");
  g_assert_true (row_is_overdue (first_row (list)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (first_row (list), "overdue_badge"))), "Overdue"));
  for (int i = 0; gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i); i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i));
      if (!row_is_overdue (row))
        seen_on_time = TRUE;
      else
        g_assert_false (seen_on_time);   /* no overdue row below one on time */
    }
  g_assert_true (seen_on_time);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (zz_test_get (win, "counts_list")), 0));
  zz_test_iterate (300);
  zz_test_screenshot (win, "households-list.png");

  /* Register a household with two members; a bad ID number is refused in the dialog first. */
  gtk_widget_activate_action (view, "households.register", NULL);
  zz_test_iterate (50);
  dialog = dialog_named ("household_edit_dialog");
  g_assert_nonnull (dialog);
  {
    GListModel *villages = adw_combo_row_get_model (ADW_COMBO_ROW (get_named (dialog, "village_row")));
    for (guint i = 0; i < g_list_model_get_n_items (villages); i++)
      if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (villages), i), "龙溪口村"))
        adw_combo_row_set_selected (ADW_COMBO_ROW (get_named (dialog, "village_row")), i);
  }
  zz_test_type (get_named (dialog, "address_row"), "龙溪口村五组8号", FALSE);
  zz_test_type (get_named (dialog, "member0_name"), "符测试", FALSE);
  zz_test_type (get_named (dialog, "member0_id"), "433122198001010010", FALSE);
  zz_test_type (get_named (dialog, "member0_phone"), "13907439999", FALSE);
  zz_test_click (get_named (dialog, "add_member_button"));
  zz_test_type (get_named (dialog, "member1_name"), "瞿测试", FALSE);
  zz_test_type (get_named (dialog, "member1_relation"), "配偶", FALSE);
  zz_test_click (get_named (dialog, "primary_button"));
  error = get_named (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "ID number"));
  g_assert_true (dialog_named ("household_edit_dialog") == dialog);
  {
    g_autofree char *check = zz_idcard_check_char ("43312219800101001");
    id_number = g_strconcat ("43312219800101001", check, NULL);
  }
  zz_test_type (get_named (dialog, "member0_id"), id_number, FALSE);
  zz_test_iterate (100);
  zz_test_screenshot (dialog, "households-register.png");
  submit (dialog, "household_edit_dialog");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (get_named (win, "page_title"))), ==, "符测试");
  {
    /* Removing a member asks first; cancelling keeps them. */
    GtkWidget *confirm;
    g_autofree char *before = zz_test_collect_text (get_named (win, "members_group"));
    g_autofree char *after = NULL;

    g_assert_nonnull (strstr (before, "瞿测试"));
    zz_test_click (get_named (get_named (win, "members_group"), "remove_member_button"));
    confirm = visible_message_dialog ();
    g_assert_nonnull (confirm);
    /* A button press answers and closes; the programmatic answer leaves the closing to us. */
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
    gtk_window_destroy (GTK_WINDOW (confirm));
    zz_test_iterate (100);
    g_free (before);
    before = zz_test_collect_text (get_named (win, "members_group"));
    g_assert_nonnull (strstr (before, "瞿测试"));
    zz_test_click (get_named (get_named (win, "members_group"), "remove_member_button"));
    confirm = visible_message_dialog ();
    g_assert_nonnull (confirm);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
    gtk_window_destroy (GTK_WINDOW (confirm));
    zz_test_iterate (200);
    after = zz_test_collect_text (get_named (win, "members_group"));
    g_assert_null (strstr (after, "瞿测试"));
    g_assert_nonnull (strstr (after, "符测试"));
  }

  /* Assess: the score and the suggested grade follow the ticks; the group proposes it. */
  dialog = open_dialog (get_named (win, "assess_button"), "assess_dialog");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (dialog, "score_label"))), "0"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_drug_use")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_heavy_debt")), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (dialog, "score_label"))), "60"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (dialog, "score_label"))), "High"));
  zz_test_iterate (100);
  zz_test_screenshot (dialog, "households-assess.png");
  submit (dialog, "assess_dialog");
  g_assert_nonnull (strstr (row_subtitle (win, "pending_row"), "Agreed by the village"));
  /* The clerk may not sign the village's step: no button for it. */
  g_assert_null (find_named (win, "signoff_button"));
  log_out (win);

  /* 村议定 by the mediator. */
  win = open_households (app, "mediator", "Mediator2024");
  open_household (win, "符测试");
  dialog = open_dialog (get_named (win, "signoff_button"), "signoff_dialog");
  zz_test_type (get_named (dialog, "note_row"), "村两委会议同意", FALSE);
  submit (dialog, "signoff_dialog");
  g_assert_nonnull (strstr (row_subtitle (win, "pending_row"), "Approved by the township"));
  g_assert_null (find_named (win, "signoff_button"));
  log_out (win);

  /* 乡镇审定 by the supervisor: the grade takes effect and the next visit is due a week on. */
  win = open_households (app, "supervisor", "Super2024");
  /* registering is the grid group's work: the supervisor has no dead Register button */
  g_assert_false (gtk_widget_get_visible (zz_test_get (zz_test_get (win, "households_view"), "register_button")));
  open_household (win, "符测试");
  g_assert_nonnull (strstr (row_subtitle (win, "grade_row"), "Not graded"));
  dialog = open_dialog (get_named (win, "signoff_button"), "signoff_dialog");
  submit (dialog, "signoff_dialog");
  today = zz_store_day_of (zz_store_now (store));
  zz_risk_scheme_init_default (&scheme);
  due = zz_risk_next_due (&scheme, ZZ_GRADE_HIGH, NULL, today);
  g_assert_cmpstr (row_subtitle (win, "next_due_row"), ==, due);
  g_assert_nonnull (strstr (row_subtitle (win, "grade_row"), "High"));
  g_assert_null (find_named (win, "pending_row"));
  log_out (win);

  /* A visit is logged by the clerk and shows on the page. */
  win = open_households (app, "clerk", "Clerk2024");
  g_assert_true (gtk_widget_get_visible (zz_test_get (zz_test_get (win, "households_view"), "register_button")));
  open_household (win, "符测试");
  dialog = open_dialog (get_named (win, "visit_button"), "visit_dialog");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (dialog, "day_row"))), ==, today);
  zz_test_type (get_named (dialog, "found_row"), "", FALSE);
  zz_test_click (get_named (dialog, "primary_button"));
  g_assert_true (gtk_widget_get_visible (get_named (dialog, "error_label")));
  zz_test_type (get_named (dialog, "found_row"), "家中情绪稳定，已讲解禁毒政策", FALSE);
  submit (dialog, "visit_dialog");
  {
    g_autofree char *text = zz_test_collect_text (get_named (win, "visits_group"));
    g_assert_nonnull (strstr (text, "家中情绪稳定"));
  }
  {
    g_autofree char *text = zz_test_collect_text (get_named (win, "history_group"));
    g_assert_nonnull (strstr (text, "Proposed by the group"));
    g_assert_nonnull (strstr (text, "Agreed by the village"));
    g_assert_nonnull (strstr (text, "Approved by the township"));
  }
  g_assert_cmpstr (row_subtitle (win, "next_due_row"), ==, due);
  zz_test_iterate (300);
  zz_test_screenshot (win, "household-page.png");
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (zz_test_get (win, "page_scroller")));
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    zz_test_iterate (4000);   /* until the toast has gone */
    zz_test_screenshot (win, "household-page-history.png");
  }
  zz_test_remove_db (db);
}

static void
test_households_import (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win, *dialog;
  g_autofree char *dir = g_dir_make_tmp ("zz-hh-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "register.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *check = zz_idcard_check_char ("43312219700202002");
  g_autofree char *csv = g_strdup_printf ("户主姓名,所属村,家庭住址,身份证号码,联系电话,包保责任人\n"
                                          "向导入,龙溪口村,龙溪口村一组1号,43312219700202002%s,13907430001,田支书\n"
                                          ",龙溪口村,一组2号,,,田支书\n"
                                          "石导入,火星村,一组3号,,,田支书\n", check);
  gint64 before;

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  win = open_households (app, "mediator", "Mediator2024");
  before = zz_store_count_ops (store);
  dialog = GTK_WIDGET (zz_household_import_dialog (GTK_WINDOW (win), store, file));
  zz_test_iterate (100);
  /* The mapping was guessed from the titles. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (get_named (dialog, "map_0"))), ==, 1);
  zz_test_click (get_named (dialog, "primary_button"));
  g_assert_true (zz_test_wait ((gboolean (*) (gpointer)) gtk_widget_is_sensitive, get_named (dialog, "primary_button"), 5000));
  zz_test_iterate (100);
  {
    g_autofree char *text = zz_test_collect_text (get_named (dialog, "problems_list"));
    g_assert_nonnull (strstr (text, "Line 3"));
    g_assert_nonnull (strstr (text, "missing name"));
    g_assert_nonnull (strstr (text, "Line 4"));
    g_assert_nonnull (strstr (text, "unknown village"));
  }
  /* The dry run wrote nothing. */
  g_assert_cmpint (zz_store_count_ops (store), ==, before);
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (get_named (dialog, "primary_button"))), "1"));
  zz_test_screenshot (dialog, "households-import.png");
  zz_test_click (get_named (dialog, "primary_button"));
  g_assert_true (zz_test_wait (dialog_gone, "import_dialog", 5000));
  zz_test_iterate (200);
  g_assert_cmpint (zz_store_count_ops (store), ==, before + 3);
  open_household (win, "向导入");
  g_unlink (path);
  g_rmdir (dir);
  zz_test_remove_db (db);
}

static void
test_households_edit_delist_scheme (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  GtkWidget *win, *view, *list, *dialog;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  ZzRiskScheme scheme;

  /* Edit the first (overdue) household's officials: a user and named people with phones. */
  win = open_households (app, "clerk", "Clerk2024");
  view = zz_test_get (win, "households_view");
  list = zz_test_get (view, "households_list");
  name = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_row (list))));
  open_household (win, name);
  dialog = open_dialog (get_named (win, "edit_button"), "household_edit_dialog");
  g_assert_false (gtk_widget_get_sensitive (get_named (dialog, "village_row")));
  zz_test_type (get_named (dialog, "officials_row"), "田村长 13812345678，彭书记", FALSE);
  submit (dialog, "household_edit_dialog");
  text = zz_test_collect_text (get_named (win, "officials_group"));
  g_assert_nonnull (strstr (text, "田村长"));
  g_assert_nonnull (strstr (text, "13812345678"));
  g_assert_nonnull (strstr (text, "彭书记"));

  /* De-listing: asked for with a reason, approved by the township. */
  dialog = open_dialog (get_named (win, "delist_button"), "delist_dialog");
  zz_test_click (get_named (dialog, "primary_button"));
  g_assert_true (gtk_widget_get_visible (get_named (dialog, "error_label")));
  zz_test_type (get_named (dialog, "reason_row"), "户主已迁往外省定居", FALSE);
  submit (dialog, "delist_dialog");
  g_assert_nonnull (strstr (row_subtitle (win, "pending_row"), "De-listing"));
  log_out (win);
  win = open_households (app, "supervisor", "Super2024");
  open_household (win, name);
  dialog = open_dialog (get_named (win, "signoff_button"), "signoff_dialog");
  submit (dialog, "signoff_dialog");
  g_free (text);
  text = zz_test_collect_text (zz_test_get (win, "page_box"));
  g_assert_nonnull (strstr (text, "De-listed"));
  g_assert_nonnull (strstr (text, "户主已迁往外省定居"));
  g_assert_null (find_named (win, "visit_button"));

  /* The supervisor sets high-risk visits every 3 days: every due date follows at once. */
  gtk_widget_activate_action (zz_test_get (win, "households_view"), "households.scheme", NULL);
  zz_test_iterate (50);
  dialog = dialog_named ("scheme_dialog");
  g_assert_nonnull (dialog);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (get_named (dialog, "cadence_high")), 3);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (get_named (dialog, "cadence_unit_high")), ZZ_CADENCE_DAYS);
  zz_test_iterate (200);
  zz_test_screenshot (dialog, "households-scheme.png");
  submit (dialog, "scheme_dialog");
  zz_store_get_risk_scheme (store, &scheme);
  g_assert_cmpuint (scheme.cadence[ZZ_GRADE_HIGH].count, ==, 3);
  g_assert_cmpint (scheme.cadence[ZZ_GRADE_HIGH].unit, ==, ZZ_CADENCE_DAYS);
  {
    ZzHouseholdFilter f = { .grade = ZZ_GRADE_HIGH };
    g_autoptr(GListModel) high = zz_store_list_households (store, &f, 1, NULL);
    g_autoptr(ZzRow) h = g_list_model_get_item (high, 0);
    g_autofree char *due = zz_risk_next_due (&scheme, ZZ_GRADE_HIGH, zz_row_get (h, "last_visit"), zz_row_get (h, "graded_on"));

    open_household (win, zz_row_get (h, "head_name"));
    g_assert_cmpstr (row_subtitle (win, "next_due_row"), ==, due);
    g_assert_nonnull (strstr (row_subtitle (win, "grade_row"), "every 3 days"));
  }
  zz_test_remove_db (db);
}

/* Is @w inside the visible part of the scrolled window it sits in? */
static gboolean
in_sight (GtkWidget *w)
{
  GtkWidget *sw = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t b;

  if (!gtk_widget_get_mapped (w) || !sw || !gtk_widget_compute_bounds (w, sw, &b))
    return FALSE;
  return b.origin.y >= 0 && b.origin.y + b.size.height <= gtk_widget_get_height (sw);
}

static gboolean
in_sight_cb (gpointer w)
{
  return in_sight (w);
}

/* The widget right before @w among its siblings, skipping hidden ones. */
static GtkWidget *
block_above (GtkWidget *w)
{
  GtkWidget *prev = gtk_widget_get_prev_sibling (w);

  while (prev && !gtk_widget_get_visible (prev))
    prev = gtk_widget_get_prev_sibling (prev);
  return prev;
}

/* The trial: a grade other than the suggested one without a reason saved the assessment at each
 * try, with the error out of sight; then the only supervisor, having agreed for the village, could
 * neither approve nor send back. */
static void
test_households_assess_and_signoff_dead_end (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  ZzStore *store = zz_application_get_store (app);
  g_autoptr(GListModel) villages = NULL;
  g_autoptr(ZzRow) village = NULL;
  g_autofree char *hid = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *win, *dialog, *label;
  ZzMemberInput member = { "龚测试", "户主", NULL, NULL, NULL };
  ZzOfficialInput official = { NULL, "田村长", "13812345678" };

  win = open_households (app, "mediator", "Mediator2024");
  villages = zz_store_household_villages (store);
  village = g_list_model_get_item (villages, 0);
  {
    ZzHouseholdInput in = { zz_row_get (village, "code"), "一组9号", NULL, NULL, &member, 1, &official, 1 };
    g_assert_true (zz_store_register_household (store, &in, &hid, &error));
    g_assert_no_error (error);
  }
  open_household (win, "龚测试");

  /* High suggested, Medium chosen, no reason: twice refused, nothing saved, error by the reason. */
  dialog = open_dialog (get_named (win, "assess_button"), "assess_dialog");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_drug_use")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_heavy_debt")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (get_named (dialog, "grade_row")), ZZ_GRADE_HIGH - ZZ_GRADE_MEDIUM);
  for (int i = 0; i < 2; i++)
    {
      zz_test_click (get_named (dialog, "primary_button"));
      zz_test_iterate (100);
      g_assert_true (dialog_named ("assess_dialog") == dialog);
      g_assert_cmpuint (g_list_model_get_n_items (zz_store_household_assessments (store, hid)), ==, 0);
    }
  label = get_named (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "reason"));
  /* Right under the proposal group (where the reason is), and scrolled into sight. */
  g_assert_nonnull (find_named (block_above (label), "reason_row"));
  g_assert_true (zz_test_wait (in_sight_cb, label, 3000));
  g_assert_true (gtk_widget_has_focus (get_named (dialog, "reason_row"))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), get_named (dialog, "reason_row")));
  zz_test_screenshot (dialog, "households-assess-error.png");
  zz_test_type (get_named (dialog, "reason_row"), "欠款已还清大半", FALSE);
  submit (dialog, "assess_dialog");
  {
    g_autoptr(GListModel) list = zz_store_household_assessments (store, hid);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  }
  g_assert_nonnull (strstr (row_subtitle (win, "pending_row"), "Agreed by the village"));

  /* The dialog starts from the household's current factors. */
  dialog = open_dialog (get_named (win, "assess_button"), "assess_dialog");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_drug_use"))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (get_named (dialog, "factor_heavy_debt"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (dialog, "score_label"))), "60"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  zz_test_iterate (50);
  log_out (win);

  /* The supervisor agrees for the village, and is told beforehand what that means. */
  win = open_households (app, "supervisor", "Super2024");
  open_household (win, "龚测试");
  dialog = open_dialog (get_named (win, "signoff_button"), "signoff_dialog");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (get_named (dialog, "decision_group"))),
                            "another person must sign"));
  submit (dialog, "signoff_dialog");

  /* 乡镇审定: the same supervisor may not approve, is told who can, and may send it back. */
  g_assert_nonnull (strstr (row_subtitle (win, "pending_row"), "another person"));
  dialog = open_dialog (get_named (win, "signoff_button"), "signoff_dialog");
  g_assert_false (gtk_widget_get_visible (get_named (dialog, "primary_button")));
  zz_test_click (get_named (dialog, "send_back_button"));
  zz_test_iterate (100);
  label = get_named (dialog, "error_label");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (block_above (label) == get_named (dialog, "decision_group"));
  g_assert_true (zz_test_wait (in_sight_cb, label, 3000));
  g_assert_true (in_sight (get_named (dialog, "send_back_button")));
  zz_test_type (get_named (dialog, "note_row"), "须由另一名审定人审定", FALSE);
  zz_test_click (get_named (dialog, "send_back_button"));
  g_assert_true (zz_test_wait (dialog_gone, "signoff_dialog", 3000));
  zz_test_iterate (100);
  g_assert_null (find_named (win, "pending_row"));
  {
    g_autofree char *text = zz_test_collect_text (get_named (win, "history_group"));
    g_assert_nonnull (strstr (text, "Sent back"));
  }
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/households/flow", test_households_flow);
  g_test_add_func ("/gui/households/import", test_households_import);
  g_test_add_func ("/gui/households/edit-delist-scheme", test_households_edit_delist_scheme);
  g_test_add_func ("/gui/households/assess-signoff-dead-end", test_households_assess_and_signoff_dead_end);
  return g_test_run ();
}
