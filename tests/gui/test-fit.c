/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every page and the larger dialogs fit a 1024×600 screen (township laptops): the smallest size
 * each can take is measured for every role, and when one is too large the test names the widget
 * chain that holds it open. Screens of the real program at 1024×600 and 1366×768 are checked by
 * the real-input tests (tests/gui/real-input). */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "zz-test-dialogs.h"
#include "zz-test-gui.h"
#include "zz-window.h"

#define SCREEN_W 1024
#define SCREEN_H 600

static char *db;

static char *
db_text (const char *sql)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return out;
}

static int
min_size (GtkWidget *w, GtkOrientation o)
{
  int min = 0, nat = 0;

  gtk_widget_measure (w, o, -1, &min, &nat, NULL, NULL);
  return min;
}

static const char *
describe (GtkWidget *w)
{
  static char buf[256];
  const char *id = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : NULL;
  const char *text = NULL;

  if (GTK_IS_LABEL (w))
    text = gtk_label_get_text (GTK_LABEL (w));
  else if (GTK_IS_BUTTON (w))
    text = gtk_button_get_label (GTK_BUTTON (w));
  else if (ADW_IS_PREFERENCES_ROW (w))
    text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));
  g_snprintf (buf, sizeof buf, "%s%s%s%s%s%s%s", G_OBJECT_TYPE_NAME (w),
              id ? " #" : "", id ? id : "",
              *gtk_widget_get_name (w) && !g_str_equal (gtk_widget_get_name (w), G_OBJECT_TYPE_NAME (w)) ? " name=" : "",
              *gtk_widget_get_name (w) && !g_str_equal (gtk_widget_get_name (w), G_OBJECT_TYPE_NAME (w)) ? gtk_widget_get_name (w) : "",
              text ? " “" : "", text ? text : "");
  return buf;
}

/* The chain of widgets that holds @w at its minimum: at each level the visible child that needs
 * the most, with what it needs. */
static void
explain (GString *out, GtkWidget *w, GtkOrientation o, int depth)
{
  GtkWidget *widest = NULL;
  int best = -1;

  g_string_append_printf (out, "%*s%d %s\n", depth * 2, "", min_size (w, o), describe (w));
  if (depth > 40)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      int m;
      if (!gtk_widget_get_visible (c) || GTK_IS_NATIVE (c))
        continue;
      m = min_size (c, o);
      if (m > best)
        {
          best = m;
          widest = c;
        }
    }
  if (widest && best > 0)
    {
      /* Siblings that add up (a box of many buttons) are listed too, in one line each. */
      if (GTK_IS_BOX (w) && gtk_orientable_get_orientation (GTK_ORIENTABLE (w)) == o)
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          if (c != widest && gtk_widget_get_visible (c) && min_size (c, o) > 40)
            g_string_append_printf (out, "%*s+ %d %s\n", depth * 2 + 2, "", min_size (c, o), describe (c));
      explain (out, widest, o, depth + 1);
    }
}

static gboolean
check_fits (GtkWidget *w, const char *what, int max_w, int max_h)
{
  int mw = min_size (w, GTK_ORIENTATION_HORIZONTAL);
  int mh = min_size (w, GTK_ORIENTATION_VERTICAL);
  gboolean ok = mw <= max_w && mh <= max_h;

  g_test_message ("%s: smallest %d×%d", what, mw, mh);
  if (mw > max_w)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      explain (s, w, GTK_ORIENTATION_HORIZONTAL, 0);
      g_test_message ("%s is at least %d px wide (the screen has %d):\n%s", what, mw, max_w, s->str);
    }
  if (mh > max_h)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      explain (s, w, GTK_ORIENTATION_VERTICAL, 0);
      g_test_message ("%s is at least %d px high (the screen has %d):\n%s", what, mh, max_h, s->str);
    }
  return ok;
}

/* A page of the main window: the space it has is the screen less the window's header and bar. */
static gboolean
check_page (GtkWidget *win, AdwViewStack *stack, GtkWidget *page, const char *what)
{
  int chrome_w = min_size (win, GTK_ORIENTATION_HORIZONTAL) - min_size (GTK_WIDGET (stack), GTK_ORIENTATION_HORIZONTAL);
  int chrome_h = min_size (win, GTK_ORIENTATION_VERTICAL) - min_size (GTK_WIDGET (stack), GTK_ORIENTATION_VERTICAL);

  return check_fits (page, what, SCREEN_W - MAX (chrome_w, 0), SCREEN_H - MAX (chrome_h, 0));
}

static GtkWindow *
new_toplevel (GList *before)
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

static GList *
toplevels_now (void)
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

typedef struct {
  GList *before;
} NewWait;

static gboolean
new_window_shown (gpointer data)
{
  return new_toplevel (((NewWait *) data)->before) != NULL;
}

/* Activates @action on @widget and checks the dialog it opens: its smallest size, and the size it
 * opens at, fit the screen. */
static gboolean
check_dialog (GtkWidget *widget, const char *action, GVariant *param, const char *what)
{
  NewWait nw = { toplevels_now () };
  GtkWindow *dialog;
  gboolean ok;
  int dw = 0, dh = 0;

  if (!gtk_widget_activate_action_variant (widget, action, param))
    {
      g_test_message ("%s: %s is not offered here", what, action);
      g_list_free (nw.before);
      return TRUE;
    }
  if (!zz_test_wait (new_window_shown, &nw, 3000))
    {
      /* Refused with a message (nothing to sign, say): nothing to measure. */
      g_test_message ("%s: %s opened no window", what, action);
      g_list_free (nw.before);
      return TRUE;
    }
  dialog = new_toplevel (nw.before);
  g_list_free (nw.before);
  zz_test_iterate (50);
  ok = check_fits (GTK_WIDGET (dialog), what, SCREEN_W, SCREEN_H);
  gtk_window_get_default_size (dialog, &dw, &dh);
  if (dw > SCREEN_W || dh > SCREEN_H)
    {
      g_test_message ("%s opens at %d×%d, larger than the %d×%d screen", what, dw, dh, SCREEN_W, SCREEN_H);
      ok = FALSE;
    }
  if (g_getenv ("ZZ_FIT_SHOTS"))
    {
      g_autofree char *name = g_strdup_printf ("fit-%s.png", what);
      g_free (zz_test_screenshot (GTK_WIDGET (dialog), name));
    }
  gtk_window_destroy (dialog);
  zz_test_iterate (20);
  return ok;
}

static const char *household_dialogs[] = {
  "households.register", "households.edit", "households.add-member", "households.assess",
  "households.signoff", "households.visit", "households.delist",
};

static const char *pages[] = { "desk", "cases", "mediation", "households", "sync", "stats", "admin" };

static void
test_role (gconstpointer data)
{
  const char *const *who = data;
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win;
  AdwViewStack *stack;
  gboolean ok = TRUE;

  zz_test_log_in (app, who[0], who[1]);
  win = GTK_WIDGET (zz_test_active_window (app));
  stack = ADW_VIEW_STACK (zz_test_get (win, "view_stack"));
  gtk_window_set_default_size (GTK_WINDOW (win), SCREEN_W, SCREEN_H);
  zz_test_iterate (100);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, pages[i]);
      g_autofree char *what = g_strdup_printf ("%s: %s page", who[0], pages[i]);

      if (!child || !gtk_widget_get_visible (child) || !adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, child)))
        continue;
      adw_view_stack_set_visible_child_name (stack, pages[i]);
      zz_test_iterate (150);
      ok &= check_page (win, stack, child, what);

      if (g_str_equal (pages[i], "cases"))
        {
          g_autofree char *case_id = db_text ("SELECT c.id FROM case_file c WHERE c.deleted = 0 AND c.status = 'in_progress' "
                                             "ORDER BY (SELECT count(*) FROM mediation_attempt m WHERE m.case_id = c.id) "
                                             "+ (SELECT count(*) FROM case_party p WHERE p.case_id = c.id) DESC LIMIT 1");
          g_autofree char *what2 = g_strdup_printf ("%s: case page", who[0]);
          g_autofree char *what3 = g_strdup_printf ("%s: new case dialog", who[0]);

          ok &= check_dialog (child, "cases.new", NULL, what3);
          if (case_id)
            {
              zz_window_show_case (ZZ_WINDOW (win), case_id);
              zz_test_iterate (150);
              ok &= check_page (win, stack, child, what2);
              if (gtk_widget_is_sensitive (child) && g_str_equal (who[0], "mediator"))
                {
                  g_autofree char *what4 = g_strdup_printf ("%s: mediation dialog", who[0]);
                  ok &= check_dialog (child, "cases.mediate", NULL, what4);
                }
              gtk_widget_activate_action (child, "cases.back", NULL);
            }
        }
      if (g_str_equal (pages[i], "households"))
        {
          g_autofree char *hid = db_text ("SELECT id FROM household WHERE deleted = 0 LIMIT 1");
          g_autofree char *what2 = g_strdup_printf ("%s: household page", who[0]);

          if (hid)
            {
              zz_window_show_household (ZZ_WINDOW (win), hid);
              zz_test_iterate (150);
              ok &= check_page (win, stack, child, what2);
              for (guint k = 0; k < G_N_ELEMENTS (household_dialogs); k++)
                {
                  g_autofree char *what3 = g_strdup_printf ("%s: %s dialog", who[0], household_dialogs[k]);
                  ok &= check_dialog (child, household_dialogs[k], NULL, what3);
                }
            }
        }
      if (g_str_equal (pages[i], "admin"))
        {
          g_autofree char *what2 = g_strdup_printf ("%s: new user dialog", who[0]);
          g_autofree char *what3 = g_strdup_printf ("%s: new department dialog", who[0]);
          ok &= check_dialog (child, "admin.add-user", NULL, what2);
          ok &= check_dialog (child, "admin.add-department", NULL, what3);
        }
    }
  {
    g_autofree char *what = g_strdup_printf ("%s: main window", who[0]);
    ok &= check_fits (win, what, SCREEN_W, SCREEN_H);
  }
  {
    g_autofree char *what = g_strdup_printf ("%s: preferences", who[0]);
    ok &= check_dialog (win, "app.preferences", NULL, what);
  }
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
  if (!ok)
    g_test_fail_printf ("a screen of the %s does not fit %d×%d (see the messages above)", who[0], SCREEN_W, SCREEN_H);
}

/* A dialog's smallest size, and the size it opens at, fit the screen. */
static void
fit_cb (GtkWindow *dialog, const char *what, gpointer data)
{
  gboolean *ok = data;
  int dw = 0, dh = 0;

  *ok &= check_fits (GTK_WIDGET (dialog), what, SCREEN_W, SCREEN_H);
  gtk_window_get_default_size (dialog, &dw, &dh);
  if (dw > SCREEN_W || dh > SCREEN_H)
    {
      g_test_message ("%s opens at %d×%d, larger than the %d×%d screen", what, dw, dh, SCREEN_W, SCREEN_H);
      *ok = FALSE;
    }
  if (g_getenv ("ZZ_FIT_SHOTS"))
    {
      g_autofree char *name = g_strdup_printf ("fit-%s.png", what);
      g_free (zz_test_screenshot (GTK_WIDGET (dialog), name));
    }
}

/* Every dialog of the case page (the agreement's save dialog, conclude, dispatch, each step),
 * of a household's page and of the sync page. */
static void
test_dialogs (void)
{
  gboolean ok = TRUE;
  guint n = 0;
  const char *logins[][2] = { { "supervisor", "Super2024" }, { "mediator", "Mediator2024" }, { "admin", "Admin2024" } };

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autoptr(ZzApplication) app = zz_test_start_app (db);
      GtkWidget *win;

      zz_test_log_in (app, logins[i][0], logins[i][1]);
      win = GTK_WIDGET (zz_test_active_window (app));
      gtk_window_set_default_size (GTK_WINDOW (win), SCREEN_W, SCREEN_H);
      zz_test_iterate (100);
      if (i == 0)
        n += zz_test_case_dialogs (win, db, fit_cb, &ok);
      if (i < 2)
        n += zz_test_household_dialogs (win, db, fit_cb, &ok);
      else
        n += zz_test_sync_dialogs (win, fit_cb, &ok);
      gtk_window_destroy (GTK_WINDOW (win));
      zz_test_iterate (20);
    }
  g_test_message ("%u dialogs measured", n);
  g_assert_cmpuint (n, >=, 35);
  if (!ok)
    g_test_fail_printf ("a dialog does not fit %d×%d (see the messages above)", SCREEN_W, SCREEN_H);
}

/* The set-up window of a new installation. */
static void
test_setup (void)
{
  g_autofree char *empty = zz_test_empty_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (empty);
  GtkWindow *setup = zz_test_find_window (app, "ZzSetupWindow");
  gboolean ok = TRUE;

  g_assert_nonnull (setup);
  zz_test_iterate (100);
  fit_cb (setup, "the set-up window", &ok);
  gtk_window_destroy (setup);
  zz_test_iterate (20);
  zz_test_remove_db (empty);
  if (!ok)
    g_test_fail_printf ("the set-up window does not fit %d×%d (see the messages above)", SCREEN_W, SCREEN_H);
}

static gboolean
widget_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static gboolean
window_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

/* The window opens no larger than the screen, and a returning visitor's card shows in sight of
 * the name being typed. */
static void
test_returning_visitor_in_sight (void)
{
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *name = db_text ("SELECT name FROM person WHERE deleted = 0 ORDER BY name LIMIT 1");
  GdkMonitor *monitor;
  GdkRectangle screen;
  graphene_rect_t bounds;
  GtkWidget *win, *desk, *matches;

  zz_test_log_in (app, "clerk", "Clerk2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  g_assert_true (zz_test_wait (window_allocated, win, 5000));
  zz_test_iterate (100);
  monitor = g_list_model_get_item (gdk_display_get_monitors (gtk_widget_get_display (win)), 0);
  gdk_monitor_get_geometry (monitor, &screen);
  g_object_unref (monitor);
  g_test_message ("screen %d×%d, window %d×%d", screen.width, screen.height,
                  gtk_widget_get_width (win), gtk_widget_get_height (win));
  g_assert_cmpint (gtk_widget_get_width (win), <=, screen.width);
  g_assert_cmpint (gtk_widget_get_height (win), <=, screen.height);

  desk = zz_test_get (win, "desk_view");
  matches = zz_test_get (desk, "matches_box");
  g_assert_nonnull (name);
  gtk_widget_grab_focus (zz_test_get (desk, "name_entry"));
  gtk_editable_set_text (GTK_EDITABLE (zz_test_get (desk, "name_entry")), name);
  g_assert_true (zz_test_wait (widget_shown, matches, 5000));
  zz_test_iterate (100);
  g_assert_true (gtk_widget_compute_bounds (zz_test_get (desk, "matches_list"), win, &bounds));
  g_test_message ("the first returning visitor shows at y %.0f in a window %d high", bounds.origin.y,
                  gtk_widget_get_height (win));
  /* The first card (about 50 px) lies within the window's visible height. */
  g_assert_cmpfloat (bounds.origin.y + MIN (bounds.size.height, 50), <=, gtk_widget_get_height (win));
  gtk_window_destroy (GTK_WINDOW (win));
  zz_test_iterate (20);
}

static const char *clerk[] = { "clerk", "Clerk2024" };
static const char *mediator[] = { "mediator", "Mediator2024" };
static const char *supervisor[] = { "supervisor", "Super2024" };
static const char *admin[] = { "admin", "Admin2024" };

int
main (int argc, char **argv)
{
  int rc;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--language="))
      g_setenv ("LANGUAGE", argv[i] + strlen ("--language="), TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  db = zz_test_demo_db ();
  g_test_add_func ("/gui/fit/returning-visitor", test_returning_visitor_in_sight);
  g_test_add_data_func ("/gui/fit/clerk", clerk, test_role);
  g_test_add_data_func ("/gui/fit/mediator", mediator, test_role);
  g_test_add_data_func ("/gui/fit/supervisor", supervisor, test_role);
  g_test_add_data_func ("/gui/fit/admin", admin, test_role);
  g_test_add_func ("/gui/fit/dialogs", test_dialogs);
  g_test_add_func ("/gui/fit/setup", test_setup);
  rc = g_test_run ();
  zz_test_remove_db (db);
  g_free (db);
  return rc;
}
