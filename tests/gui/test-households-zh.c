/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The households view as a township officer sees it: in Simplified Chinese. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "zz-test-gui.h"

static void
assert_shows (const char *text, const char *expected)
{
  if (!strstr (text, expected))
    g_error ("expected “%s” on screen; the screen shows:\n%s", expected, text);
}

static void
test_households_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *text = NULL;
  g_autofree char *page = NULL;
  GtkWidget *win, *view, *list;

  zz_test_log_in (app, "supervisor", "Super2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "households");
  zz_test_iterate (300);
  view = zz_test_get (win, "households_view");
  text = zz_test_collect_text (view);
  assert_shows (text, "各村（社区）分级户数");
  assert_shows (text, "逾期");
  assert_shows (text, "▲ 高");
  assert_shows (text, "下次走访");
  g_assert_null (strstr (text, "Overdue"));
  g_assert_null (strstr (text, "next visit"));
  zz_test_screenshot (win, "households-zh.png");

  list = zz_test_get (view, "households_list");
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  zz_test_iterate (300);
  page = zz_test_collect_text (zz_test_get (view, "page_box"));
  assert_shows (page, "下次走访日期");
  assert_shows (page, "现行等级");
  assert_shows (page, "包保责任人");
  assert_shows (page, "定等记录");
  assert_shows (page, "乡镇审定");
  g_assert_null (strstr (page, "Grade History"));
  zz_test_screenshot (win, "household-page-zh.png");
  zz_test_remove_db (db);
}

int
main (int argc, char **argv)
{
  /* gettext honours LANGUAGE in any locale but plain C; the tests run in C.UTF-8. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!zz_test_gui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/gui/households-zh/view", test_households_in_chinese);
  return g_test_run ();
}
