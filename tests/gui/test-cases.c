/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "zz-case-list.h"
#include "zz-cases-view.h"
#include "zz-cases.h"
#include "zz-households-view.h"
#include "zz-households.h"
#include "zz-test-gui.h"
#include "zz-window.h"

static char *
db_text (const char *db, const char *sql, const char *param)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return out;
}

/* Widgets the cases view builds in code carry names rather than builder ids. */
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
find_type (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
named (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (!w)
    g_error ("no widget named “%s”", name);
  return w;
}

static GtkWidget *
find_form (const char *name)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (tops, i);
      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static GtkWidget *
form (const char *name)
{
  GtkWidget *w;

  zz_test_iterate (50);
  w = find_form (name);
  if (!w)
    g_error ("form “%s” is not open", name);
  return w;
}

static void
set (GtkWidget *form_win, const char *field, const char *text)
{
  GtkWidget *w = named (form_win, field);

  if (GTK_IS_TEXT_VIEW (w))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (w), text);
}

static void
choose (GtkWidget *form_win, const char *field, guint position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (form_win, field)), position);
}

/* Presses the form's default button; TRUE when it closed (saved). */
static gboolean
submit (GtkWidget *form_win)
{
  const char *name = gtk_widget_get_name (form_win);

  zz_test_click (named (form_win, "form-ok"));
  zz_test_iterate (80);
  return find_form (name) == NULL;
}

static void
submit_ok (GtkWidget *form_win)
{
  GtkWidget *err = named (form_win, "form-error");
  const char *name = g_strdup (gtk_widget_get_name (form_win));

  if (!submit (form_win))
    g_error ("form %s refused: %s", name, gtk_label_get_text (GTK_LABEL (err)));
}

/* A snapshot taken between a redraw request and the next frame has nothing in it (a toast
 * fading out, a page just rebuilt): wait for a frame and try again. */
static char *
shot (GtkWidget *w, const char *name)
{
  const char *dir = g_getenv ("ZZ_SCREENSHOT_DIR");

  zz_test_iterate (200);
  g_assert_true (gtk_widget_get_mapped (w));
  for (int attempt = 0; attempt < 60; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (w);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node && width > 0 && height > 0)
        {
          GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (w));
          g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
          char *path;

          if (!dir)
            dir = g_get_tmp_dir ();
          g_mkdir_with_parents (dir, 0755);
          path = g_build_filename (dir, name, NULL);
          g_assert_true (gdk_texture_save_to_png (texture, path));
          g_test_message ("screenshot: %s", path);
          return path;
        }
      zz_test_iterate (50);
    }
  g_error ("no frame of %s to take a screenshot of", name);
}

static void
mediate (GtkWidget *view, const char *place, guint result, const char *terms)
{
  GtkWidget *m;

  gtk_widget_activate_action (view, "cases.mediate", NULL);
  m = form ("mediation-form");
  set (m, "place", place);
  set (m, "present", "双方当事人");
  choose (m, "result", result);
  if (terms)
    set (m, "terms", terms);
  submit_ok (m);
}

static void
test_case_loop (void)
{
  g_autofree char *db = zz_test_demo_db ();
  ZzApplication *app = zz_test_start_app (db);
  GtkWidget *win, *desk, *view, *intake, *list, *f;
  GtkSelectionModel *tickets;
  g_autoptr(ZzRow) ticket = NULL;
  g_autofree char *case_id = NULL, *visitor = NULL, *status = NULL, *attempt = NULL;
  ZzStore *store;
  guint pos = G_MAXUINT;

  /* The clerk turns a visit at the desk into a case. */
  zz_test_log_in (app, "clerk", "Clerk2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  desk = zz_test_get (win, "desk_view");
  store = zz_application_get_store (app);
  tickets = gtk_column_view_get_model (GTK_COLUMN_VIEW (zz_test_get (desk, "ticket_view")));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tickets)) && pos == G_MAXUINT; i++)
    {
      g_autoptr(ZzRow) t = g_list_model_get_item (G_LIST_MODEL (tickets), i);
      g_autofree char *has_case = db_text (db, "SELECT id FROM case_file WHERE visit_id = ?", zz_row_get (t, "visit_id"));
      if (!has_case)
        {
          pos = i;
          ticket = g_object_ref (t);
        }
    }
  g_assert_cmpuint (pos, !=, G_MAXUINT);
  visitor = g_strdup (zz_row_get (ticket, "name"));
  gtk_selection_model_select_item (tickets, pos, TRUE);
  zz_test_iterate (30);
  gtk_widget_activate_action (desk, "desk.register-case", NULL);
  intake = form ("intake-form");
  view = zz_test_get (win, "cases_view");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))), ==, "cases");
  /* The visitor and the purpose are carried over. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (intake, "a_name"))), ==, visitor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (intake, "summary"))), ==, zz_row_get (ticket, "purpose"));
  set (intake, "summary", "两户为老界石位置争执，砍伐杉木引发山林纠纷");
  choose (intake, "category", 2);   /* land and forest */
  gtk_editable_set_text (GTK_EDITABLE (named (intake, "home")), "六里村");
  zz_test_iterate (50);
  {
    GtkWidget *units = named (intake, "unit-matches");
    GtkWidget *pick = NULL;
    g_assert_true (gtk_widget_get_visible (units));
    /* The places found show right under the field typed in (they were below the whole form). */
    g_assert_true (gtk_widget_get_next_sibling (named (intake, "home")) == named (intake, "unit-matches-row"));
    g_assert_true (gtk_widget_get_visible (named (intake, "unit-matches-row")));
    for (GtkWidget *r = gtk_widget_get_first_child (units); r && !pick; r = gtk_widget_get_next_sibling (r))
      if (ADW_IS_ACTION_ROW (r) && strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (r)), "泸溪"))
        pick = r;
    g_assert_nonnull (pick);
    g_signal_emit_by_name (units, "row-activated", pick);
    g_assert_false (gtk_widget_get_visible (units));
  }
  set (intake, "r_name", "张德明");
  set (intake, "r_phone", "13907431234");
  /* The parties' ethnicity and address, for the agreement: the applicant 汉族 (first after "not
   * recorded"), the respondent's address only. */
  choose (intake, "a_ethnicity", 1);
  set (intake, "a_address", "麻阳县兰里镇六里村三组12号");
  set (intake, "r_address", "六里村五组");
  /* A second respondent, 苗族 (the sixth of the 56). */
  zz_test_click (named (intake, "add-party"));
  set (intake, "p0_name", "张德华");
  choose (intake, "p0_ethnicity", 6);
  {
    /* An address too long is refused with the reason, nothing saved. */
    GString *a = g_string_new (NULL);
    for (int i = 0; i <= ZZ_MAX_ADDRESS; i++)
      g_string_append (a, "村");
    set (intake, "p0_address", a->str);
    g_string_free (a, TRUE);
    g_assert_false (submit (intake));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (named (intake, "form-error"))), "200"));
    g_assert_null (db_text (db, "SELECT id FROM case_file WHERE visit_id = ?", zz_row_get (ticket, "visit_id")));
    set (intake, "p0_address", "");
  }
  g_free (shot (intake, "cases-intake.png"));
  submit_ok (intake);
  case_id = db_text (db, "SELECT id FROM case_file WHERE visit_id = ?", zz_row_get (ticket, "visit_id"));
  g_assert_nonnull (case_id);
  {
    g_autofree char *kept = db_text (db, "SELECT group_concat (x, '|') FROM (SELECT p.name || ':' || coalesce (p.ethnicity, '-')"
                                         " || ':' || coalesce (p.address, '-') AS x FROM case_party cp"
                                         " JOIN person p ON p.id = cp.person_id WHERE cp.case_id = ? ORDER BY cp.created_hlc)",
                                     case_id);
    g_autofree char *expected = g_strdup_printf ("%s:汉族:麻阳县兰里镇六里村三组12号|张德明:-:六里村五组|张德华:苗族:-", visitor);
    g_assert_cmpstr (kept, ==, expected);
  }
  {
    g_autofree char *responder = db_text (db, "SELECT u.login FROM case_file c JOIN user u ON u.id = c.first_responder_id WHERE c.id = ?", case_id);
    g_autofree char *home = db_text (db, "SELECT home FROM case_file WHERE id = ?", case_id);
    g_assert_cmpstr (responder, ==, "clerk");
    g_autofree char *n_parties = db_text (db, "SELECT count(*) FROM case_party WHERE case_id = ?", case_id);
    g_assert_cmpstr (n_parties, ==, "3");
    g_assert_true (g_str_has_prefix (home, "433122"));
    g_assert_cmpuint (strlen (home), ==, 12);
  }
  /* The case page is shown; a clerk may not dispatch or mediate, and is not shown buttons that
   * could never work for the role. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (named (view, "case-pages"))), ==, "case");
  g_assert_null (find_named (view, "mediate"));
  g_assert_null (find_named (view, "dispatch"));
  g_assert_null (find_named (view, "escalate"));
  g_assert_true (gtk_widget_get_visible (named (view, "case-actions-note")));

  /* A mediator takes it from here. */
  zz_application_logout (app);
  zz_test_iterate (50);
  zz_test_log_in (app, "mediator", "Mediator2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  view = zz_test_get (win, "cases_view");
  gtk_widget_activate_action (win, "win.show-view", "s", "cases");
  zz_test_iterate (50);

  /* A Chinese substring of the summary finds it. */
  zz_test_type (named (view, "case-search"), "老界石", FALSE);
  zz_test_iterate (400);
  list = named (view, "case-columns");
  {
    GListModel *m = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (list)));
    g_autoptr(ZzRow) r = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (m), ==, 1);
    r = g_list_model_get_item (m, 0);
    g_assert_cmpstr (zz_row_get_id (r), ==, case_id);
    g_free (shot (view, "cases-list.png"));
    g_signal_emit_by_name (list, "activate", 0);
    zz_test_iterate (50);
    gtk_widget_activate_action (view, "cases.back", NULL);
    /* Sorting by a column header: case numbers, descending, across the whole list. */
    zz_test_type (named (view, "case-search"), "", FALSE);
    zz_test_iterate (400);
    {
      GListModel *cols = gtk_column_view_get_columns (GTK_COLUMN_VIEW (list));
      g_autoptr(GtkColumnViewColumn) number_col = g_list_model_get_item (cols, 0);
      g_autoptr(ZzRow) a = NULL;
      g_autoptr(ZzRow) b = NULL;
      g_autofree char *max = db_text (db, "SELECT max(number) FROM case_file", NULL);
      gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (list), number_col, GTK_SORT_DESCENDING);
      zz_test_iterate (100);
      g_assert_cmpuint (g_list_model_get_n_items (m), >, 300);
      a = g_list_model_get_item (m, 0);
      b = g_list_model_get_item (m, 1);
      g_assert_cmpstr (zz_row_get (a, "number"), ==, max);
      g_assert_cmpint (strcmp (zz_row_get (a, "number"), zz_row_get (b, "number")), >, 0);
      gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (list), NULL, GTK_SORT_ASCENDING);
    }
    zz_test_type (named (view, "case-search"), "老界石", FALSE);
    zz_test_iterate (400);
    g_signal_emit_by_name (list, "activate", 0);
    zz_test_iterate (50);
  }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (named (view, "case-pages"))), ==, "case");

  /* Dispatch to a department, which accepts. */
  gtk_widget_activate_action (view, "cases.dispatch", NULL);
  f = form ("dispatch-form");
  choose (f, "to", 0);
  set (f, "note", "请核实山林界址");
  submit_ok (f);
  zz_test_iterate (50);
  zz_test_click (named (view, "accept"));
  zz_test_iterate (50);
  status = db_text (db, "SELECT status FROM case_dispatch WHERE case_id = ?", case_id);
  g_assert_cmpstr (status, ==, "accepted");

  /* Three village attempts. */
  for (int i = 0; i < 3; i++)
    mediate (view, "六里村综治中心", 2, NULL);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (named (view, "tier-state"))), "3"));
  /* A correction of the first attempt is a record of its own and does not count. */
  {
    g_autofree char *first_attempt = db_text (db, "SELECT id FROM mediation_attempt WHERE case_id = ? AND number = 1", case_id);
    g_autofree char *amends = NULL;
    gtk_widget_activate_action (view, "cases.correct", "s", first_attempt);
    f = form ("correction-form");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (f, "place"))), ==, "六里村综治中心");
    set (f, "notes", "更正：当日被申请人未到场");
    submit_ok (f);
    amends = db_text (db, "SELECT amends FROM mediation_attempt WHERE case_id = ? AND amends IS NOT NULL", case_id);
    g_assert_cmpstr (amends, ==, first_attempt);
  }
  /* A fourth is refused: the form offers escalation with the attempts so far. */
  gtk_widget_activate_action (view, "cases.mediate", NULL);
  zz_test_iterate (50);
  g_assert_null (find_form ("mediation-form"));
  f = form ("escalate-form");
  {
    g_autofree char *text = zz_test_collect_text (f);
    g_assert_nonnull (strstr (text, "六里村综治中心"));
  }
  set (f, "reason", "村级三次调解未果");
  submit_ok (f);
  g_free (status);
  status = db_text (db, "SELECT level FROM case_file WHERE id = ?", case_id);
  g_assert_cmpstr (status, ==, "township");

  /* Two at the township, then up to the county. */
  mediate (view, "达岚镇综治中心", 2, NULL);
  mediate (view, "达岚镇综治中心", 2, NULL);
  gtk_widget_activate_action (view, "cases.mediate", NULL);
  f = form ("escalate-form");
  submit_ok (f);
  g_free (status);
  status = db_text (db, "SELECT level FROM case_file WHERE id = ?", case_id);
  g_assert_cmpstr (status, ==, "county");

  /* County joint consultation: one department is not enough; two reach an agreement. */
  gtk_widget_activate_action (view, "cases.mediate", NULL);
  f = form ("mediation-form");
  set (f, "place", "泸溪县综治中心");
  choose (f, "result", 0);
  set (f, "terms", "张德明赔偿杉木损失三千元，双方以老界石为界。");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (f, "信访局")), TRUE);
  g_assert_false (submit (f));
  g_assert_true (gtk_widget_get_visible (named (f, "form-error")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (f, "公共法律服务")), TRUE);
  submit_ok (f);
  attempt = db_text (db, "SELECT id FROM mediation_attempt WHERE case_id = ? AND level = 'county'", case_id);
  g_assert_nonnull (attempt);

  /* The agreement names the parties. */
  {
    g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "zz-test-agreement.pdf", NULL);
    g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
    g_autofree char *out = NULL;
    g_autoptr(GError) error = NULL;
    int st = -1;
    g_assert_true (zz_cases_view_save_agreement (ZZ_CASES_VIEW (view), attempt, pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, &st, &error));
    g_assert_cmpint (st, ==, 0);
    g_assert_nonnull (strstr (out, visitor));
    g_assert_nonnull (strstr (out, "张德明"));
    g_assert_nonnull (strstr (out, "三千元"));
    /* Printing draws the same pages: what the print path writes reads the same. */
    {
      g_autofree char *printed = g_build_filename (g_get_tmp_dir (), "zz-test-agreement-print.pdf", NULL);
      g_autofree char *cmd2 = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", printed);
      g_autofree char *out2 = NULL;
      g_assert_true (zz_cases_view_print_agreement (ZZ_CASES_VIEW (view), attempt, printed, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_command_line_sync (cmd2, &out2, NULL, &st, &error));
      g_assert_cmpint (st, ==, 0);
      g_assert_cmpstr (out2, ==, out);
      g_unlink (printed);
    }
    g_unlink (pdf);
  }
  g_assert_nonnull (named (view, "agreement"));
  g_assert_true (gtk_widget_is_sensitive (named (view, "print-agreement")));

  /* Conclusion, feedback, return visit, archive. */
  gtk_widget_activate_action (view, "cases.conclude", NULL);
  f = form ("conclude-form");
  set (f, "outcome", "县级联合会商达成协议，已履行");
  submit_ok (f);
  gtk_widget_activate_action (view, "cases.feedback", NULL);
  f = form ("feedback-form");
  set (f, "feedback", "已电话告知双方调解结果");
  submit_ok (f);
  gtk_widget_activate_action (view, "cases.return-visit", NULL);
  f = form ("return-visit-form");
  choose (f, "satisfaction", 0);
  set (f, "notes", "双方满意");
  submit_ok (f);
  g_free (status);
  status = db_text (db, "SELECT satisfaction FROM return_visit WHERE case_id = ?", case_id);
  g_assert_cmpstr (status, ==, "satisfied");

  /* The timeline tells it all, with who did it. */
  zz_test_iterate (100);
  {
    g_autofree char *text = zz_test_collect_text (named (view, "case-timeline"));
    g_assert_nonnull (strstr (text, "李秀梅"));     /* the clerk registered it */
    g_assert_nonnull (strstr (text, "王德明"));     /* the mediator did the rest */
  }
  g_free (shot (view, "cases-timeline.png"));
  gtk_stack_set_visible_child_name (GTK_STACK (named (view, "case-tabs")), "mediation");
  g_free (shot (view, "cases-mediation-log.png"));

  /* The ledger (Alt+4) lists the attempts across cases; a row opens its case. */
  gtk_widget_activate_action (win, "win.show-view", "s", "mediation");
  zz_test_iterate (200);
  {
    GtkWidget *ledger = zz_test_get (win, "mediation_view");
    g_autofree char *text = zz_test_collect_text (named (ledger, "ledger-attempts"));
    GtkWidget *first = gtk_widget_get_first_child (named (ledger, "ledger-attempts"));
    g_autofree char *number = db_text (db, "SELECT number FROM case_file WHERE id = ?", case_id);
    g_assert_nonnull (strstr (text, number));
    g_assert_nonnull (strstr (text, "泸溪县综治中心"));
    g_free (shot (ledger, "cases-ledger.png"));
    gtk_widget_activate_action (win, "win.show-view", "s", "desk");
    gtk_widget_activate_action (win, "win.show-view", "s", "mediation");
    zz_test_iterate (100);
    for (first = gtk_widget_get_first_child (named (ledger, "ledger-attempts")); first;
         first = gtk_widget_get_next_sibling (first))
      if (g_strcmp0 (g_object_get_data (G_OBJECT (first), "zz-case"), case_id) == 0)
        break;
    g_assert_nonnull (first);
    g_signal_emit_by_name (named (ledger, "ledger-attempts"), "row-activated", first);
    zz_test_iterate (50);
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))), ==, "cases");
  }

  gtk_widget_activate_action (view, "cases.archive", NULL);
  submit_ok (form ("archive-form"));
  g_free (status);
  status = db_text (db, "SELECT status FROM case_file WHERE id = ?", case_id);
  g_assert_cmpstr (status, ==, "archived");

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  zz_test_remove_db (db);
  (void) store;
}

/* A supervisor works the overdue cases: a supervision note, the whistle and the departments'
 * reports; the tier limits are set in the preferences and reach the rule. */
static void
test_supervision (void)
{
  g_autofree char *db = zz_test_demo_db ();
  ZzApplication *app = zz_test_start_app (db);
  GtkWidget *win, *view, *list, *f, *prefs;
  GListModel *m;
  g_autoptr(ZzRow) first = NULL;
  g_autofree char *notes = NULL, *reports = NULL, *limit = NULL;
  GtkWindow *pw;

  zz_test_log_in (app, "supervisor", "Super2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "cases");
  zz_test_iterate (50);
  view = zz_test_get (win, "cases_view");
  list = named (view, "case-columns");
  m = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (list)));
  /* Sorting by status (the loop's order), the other way round: concluded and archived first. */
  {
    GListModel *cols = gtk_column_view_get_columns (GTK_COLUMN_VIEW (list));
    static const char *order[] = { "registered", "dispatched", "in_progress", "reopened", "concluded", "archived" };
    GtkColumnViewColumn *status_col = NULL, *level_col = NULL;
    int prev = G_MAXINT;
    guint total = g_list_model_get_n_items (m);

    for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
      {
        g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (cols, i);
        if (g_strcmp0 (gtk_column_view_column_get_title (c), "Status") == 0)
          status_col = c;
        if (g_strcmp0 (gtk_column_view_column_get_title (c), "Level") == 0)
          level_col = c;
      }
    g_assert_nonnull (status_col);
    gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (list), status_col, GTK_SORT_DESCENDING);
    zz_test_iterate (50);
    g_assert_cmpuint (g_list_model_get_n_items (m), ==, total);
    for (guint i = 0; i < MIN (total, 200); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (m, i);
        int rank = 0;
        while (rank < 6 && g_strcmp0 (order[rank], zz_row_get (r, "status")) != 0)
          rank++;
        g_assert_cmpint (rank, <=, prev);
        prev = rank;
      }
    g_assert_cmpint (prev, <, 5);   /* the demo has open cases after the closed ones */
    {
      g_autoptr(ZzRow) top = g_list_model_get_item (m, 0);
      g_assert_true (g_strcmp0 (zz_row_get (top, "status"), "archived") == 0
                     || g_strcmp0 (zz_row_get (top, "status"), "concluded") == 0);
    }
    gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (list), level_col, GTK_SORT_ASCENDING);
    zz_test_iterate (50);
    {
      g_autoptr(ZzRow) top = g_list_model_get_item (m, 0);
      g_assert_cmpstr (zz_row_get (top, "level"), ==, "village");
    }
    g_free (shot (view, "cases-sorted-by-level.png"));
    gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (list), NULL, GTK_SORT_ASCENDING);
    zz_test_iterate (50);
  }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named (view, "overdue-filter")), TRUE);
  zz_test_iterate (50);
  g_assert_cmpuint (g_list_model_get_n_items (m), >, 0);
  first = g_list_model_get_item (m, 0);
  g_signal_emit_by_name (list, "activate", 0);
  zz_test_iterate (50);
  g_assert_true (strstr (gtk_label_get_text (GTK_LABEL (named (view, "case-title"))), zz_row_get (first, "number")) != NULL);

  gtk_widget_activate_action (view, "cases.supervise", NULL);
  f = form ("supervise-form");
  g_assert_false (submit (f));   /* an empty note is refused inline */
  g_assert_true (gtk_widget_get_visible (named (f, "form-error")));
  set (f, "note", "已超期，请三日内办结并报送进展");
  submit_ok (f);
  notes = db_text (db, "SELECT count(*) FROM supervision_note WHERE case_id = ? AND note = '已超期，请三日内办结并报送进展'", zz_row_get_id (first));
  g_assert_cmpstr (notes, ==, "1");

  gtk_widget_activate_action (view, "cases.whistle", NULL);
  f = form ("whistle-form");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (f, "公安")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (f, "自然资源")), TRUE);
  set (f, "note", "明日上午九点到中心会商");
  submit_ok (f);
  gtk_stack_set_visible_child_name (GTK_STACK (named (view, "case-tabs")), "deadlines");
  zz_test_click (named (view, "acknowledged"));
  zz_test_click (named (view, "arrived"));
  reports = db_text (db, "SELECT count(*) FROM whistle_report WHERE case_id = ?", zz_row_get_id (first));
  g_assert_cmpstr (reports, ==, "2");
  {
    g_autofree char *text = zz_test_collect_text (named (view, "case-timeline"));
    g_assert_nonnull (strstr (text, "已超期，请三日内办结并报送进展"));
    g_assert_nonnull (strstr (text, "明日上午九点到中心会商"));
    g_assert_nonnull (strstr (text, "刘志强"));
  }
  g_free (shot (view, "cases-supervision.png"));

  /* Preferences: the village limit, stored as synced reference data. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  zz_test_iterate (100);
  pw = zz_test_find_window (app, "ZzPreferencesWindow");
  g_assert_nonnull (pw);
  prefs = named (GTK_WIDGET (pw), "tier-village");
  g_assert_true (gtk_widget_is_sensitive (prefs));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (prefs), 4);
  zz_test_iterate (20);
  limit = db_text (db, "SELECT value FROM case_setting WHERE key = 'tier.village_max'", NULL);
  g_assert_cmpstr (limit, ==, "4");
  {
    ZzTierLimits l;
    zz_store_get_tier_limits (zz_application_get_store (app), &l);
    g_assert_cmpint (l.village_max, ==, 4);
  }

  /* Categories: one added, one renamed, one retired; the list is rebuilt each time. */
  {
    g_autofree char *added = NULL, *renamed = NULL, *retired = NULL, *land = NULL;
    GtkWidget *intake, *combo;
    GListModel *names;
    gboolean has_added = FALSE, has_land = FALSE;

    land = zz_store_case_category_name (zz_application_get_store (app), "land_forest");
    set (GTK_WIDGET (pw), "new-category", "征地补偿");
    g_signal_emit_by_name (named (GTK_WIDGET (pw), "new-category"), "apply");
    zz_test_iterate (100);
    added = db_text (db, "SELECT key FROM case_category WHERE name = '征地补偿'", NULL);
    g_assert_nonnull (added);
    set (GTK_WIDGET (pw), "category-family", "婚姻家庭纠纷");
    g_signal_emit_by_name (named (GTK_WIDGET (pw), "category-family"), "apply");
    zz_test_iterate (100);
    renamed = db_text (db, "SELECT name FROM case_category WHERE key = 'family'", NULL);
    g_assert_cmpstr (renamed, ==, "婚姻家庭纠纷");
    gtk_switch_set_active (GTK_SWITCH (named (GTK_WIDGET (pw), "in-use-land_forest")), FALSE);
    zz_test_iterate (100);
    retired = db_text (db, "SELECT retired FROM case_category WHERE key = 'land_forest'", NULL);
    g_assert_cmpstr (retired, ==, "1");
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (named (GTK_WIDGET (pw), "in-use-land_forest"))));
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (pw), ADW_PREFERENCES_PAGE (named (GTK_WIDGET (pw), "cases-preferences")));
    g_free (shot (GTK_WIDGET (pw), "cases-preferences-categories.png"));
    gtk_window_destroy (pw);
    zz_test_iterate (50);

    /* The intake offers the new category and not the retired one; the filter keeps both. */
    gtk_widget_activate_action (view, "cases.new", NULL);
    intake = form ("intake-form");
    combo = named (intake, "category");
    names = adw_combo_row_get_model (ADW_COMBO_ROW (combo));
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        const char *n = gtk_string_list_get_string (GTK_STRING_LIST (names), i);
        has_added |= g_strcmp0 (n, "征地补偿") == 0;
        has_land |= g_strcmp0 (n, land) == 0;
      }
    g_assert_true (has_added);
    g_assert_false (has_land);
    gtk_window_destroy (GTK_WINDOW (intake));
    zz_test_iterate (50);
    {
      GListModel *fm = gtk_drop_down_get_model (GTK_DROP_DOWN (named (view, "category-filter")));
      gboolean f_land = FALSE, f_added = FALSE;
      for (guint i = 0; i < g_list_model_get_n_items (fm); i++)
        {
          const char *n = gtk_string_list_get_string (GTK_STRING_LIST (fm), i);
          f_added |= g_strcmp0 (n, "征地补偿") == 0;
          f_land |= g_strcmp0 (n, land) == 0;
        }
      g_assert_true (f_added);
      g_assert_true (f_land);
    }
  }
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  zz_test_remove_db (db);
}

/* A household matter becomes a case: from the household's page, the intake opens with the
 * village and the head as applicant; the case links back to the household, which lists it. */
static void
test_household_case (void)
{
  g_autofree char *db = zz_test_demo_db ();
  ZzApplication *app = zz_test_start_app (db);
  GtkWidget *win, *hview, *cview, *intake;
  g_autofree char *hh = NULL, *village = NULL, *head = NULL, *case_id = NULL, *number = NULL;
  g_autofree char *linked = NULL, *applicant = NULL, *logged = NULL;
  ZzStore *store;

  zz_test_log_in (app, "mediator", "Mediator2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  store = zz_application_get_store (app);
  hh = db_text (db, "SELECT h.id FROM household h WHERE h.deleted = 0 AND h.status = 'active'"
                    " AND (SELECT count(*) FROM household_member m WHERE m.household_id = h.id AND m.deleted = 0) >= 2"
                    " ORDER BY h.id LIMIT 1", NULL);
  g_assert_nonnull (hh);
  village = db_text (db, "SELECT o.name FROM household h JOIN org_unit o ON o.code = h.home WHERE h.id = ?", hh);
  head = db_text (db, "SELECT head_name FROM household WHERE id = ?", hh);
  gtk_widget_activate_action (win, "win.show-view", "s", "households");
  zz_test_iterate (50);
  hview = zz_test_get (win, "households_view");
  zz_households_view_show (ZZ_HOUSEHOLDS_VIEW (hview), hh);
  zz_test_iterate (50);
  {
    g_autofree char *text = zz_test_collect_text (named (hview, "cases_group"));
    g_assert_nonnull (strstr (text, "No case registered from this household"));
  }
  zz_test_click (named (hview, "register_case_button"));
  intake = form ("intake-form");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))), ==, "cases");
  /* The household's village is the place; the head is ticked as applicant, nobody else. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (intake, "home"))), ==, village);
  {
    GtkWidget *members = named (intake, "members");
    guint ticked = 0, n = 0;
    GtkWidget *second = NULL;
    for (GtkWidget *r = gtk_widget_get_first_child (members); r; r = gtk_widget_get_next_sibling (r))
      {
        g_autofree char *text = zz_test_collect_text (r);
        GtkWidget *check = find_type (r, GTK_TYPE_CHECK_BUTTON);
        if (!check)
          continue;
        n++;
        if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
          {
            ticked++;
            g_assert_nonnull (strstr (text, head));
          }
        else if (!second)
          second = check;
      }
    g_assert_cmpuint (n, >=, 2);
    g_assert_cmpuint (ticked, ==, 1);
    /* The spouse or a child is an applicant too. */
    gtk_check_button_set_active (GTK_CHECK_BUTTON (second), TRUE);
  }
  g_assert_null (find_named (intake, "a_name"));
  set (intake, "summary", "户内分家析产引发的赡养纠纷");
  set (intake, "a_phone", "13807431188");
  set (intake, "r_name", "龙建军");
  g_free (shot (intake, "cases-intake-household.png"));
  submit_ok (intake);
  case_id = db_text (db, "SELECT id FROM case_file WHERE household_id = ?", hh);
  g_assert_nonnull (case_id);
  number = db_text (db, "SELECT number FROM case_file WHERE id = ?", case_id);
  applicant = db_text (db, "SELECT count(*) FROM case_party WHERE case_id = ? AND role = 'applicant'", case_id);
  g_assert_cmpstr (applicant, ==, "2");
  linked = db_text (db, "SELECT p.name FROM case_party cp JOIN person p ON p.id = cp.person_id"
                        " WHERE cp.case_id = ? AND cp.role = 'applicant' ORDER BY cp.created_hlc LIMIT 1", case_id);
  g_assert_cmpstr (linked, ==, head);
  /* The case page shows the household; its full ID numbers were seen, and logged. */
  cview = zz_test_get (win, "cases_view");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (named (cview, "case-pages"))), ==, "case");
  logged = db_text (db, "SELECT count(*) FROM access_log a JOIN case_party cp ON cp.person_id = a.row_id"
                        " WHERE a.what = 'person.id_number' AND cp.case_id = ?", case_id);
  {
    g_autofree char *with_id = db_text (db, "SELECT count(*) FROM case_party cp JOIN person p ON p.id = cp.person_id"
                                            " WHERE cp.case_id = ? AND p.id_number IS NOT NULL", case_id);
    g_assert_cmpstr (logged, ==, with_id);
  }
  {
    GtkWidget *link = named (cview, "open-household");
    g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (link)), head));
    g_free (shot (cview, "cases-household-link.png"));
    zz_test_click (named (cview, "open-household"));   /* the page may have been rebuilt */
    zz_test_iterate (50);
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))), ==, "households");
  g_assert_cmpstr (zz_households_view_get_current (ZZ_HOUSEHOLDS_VIEW (hview)), ==, hh);
  {
    g_autofree char *text = zz_test_collect_text (named (hview, "cases_group"));
    g_assert_nonnull (strstr (text, number));
    g_assert_nonnull (strstr (text, "户内分家析产引发的赡养纠纷"));
  }
  g_free (shot (hview, "households-cases.png"));
  /* And back: the case row opens the case. */
  g_signal_emit_by_name (named (hview, "case_row"), "activated");
  zz_test_iterate (50);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (zz_test_get (win, "view_stack"))), ==, "cases");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (named (cview, "case-title"))), number));

  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  g_object_unref (app);
  zz_test_remove_db (db);
  (void) store;
}

int
main (int argc, char **argv)
{
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/cases/loop", test_case_loop);
  g_test_add_func ("/gui/cases/supervision", test_supervision);
  g_test_add_func ("/gui/cases/household-case", test_household_case);
  return g_test_run ();
}
