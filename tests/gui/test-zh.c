/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The interface as the centres see it: in Simplified Chinese. */
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
test_desk_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *login = GTK_WIDGET (zz_test_active_window (app));
  g_autofree char *login_text = zz_test_collect_text (login);
  g_autofree char *desk_text = NULL;
  GtkWidget *win;

  assert_shows (login_text, "登录名");
  assert_shows (login_text, "泸溪县综治中心");
  zz_test_log_in (app, "clerk", "Clerk2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  zz_test_iterate (200);
  desk_text = zz_test_collect_text (win);
  assert_shows (desk_text, "来访登记");
  assert_shows (desk_text, "今日");
  assert_shows (desk_text, "正在等候");
  assert_shows (desk_text, "号窗口");
  assert_shows (desk_text, "导引台工作人员");
  /* English interface words must not leak through untranslated. */
  g_assert_null (strstr (desk_text, "Register a Visitor"));
  g_assert_null (strstr (desk_text, "Waiting now"));
  zz_test_screenshot (win, "desk-zh.png");
  zz_test_remove_db (db);
}

static void
test_admin_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *text = NULL;
  GtkWidget *win;

  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "admin");
  zz_test_iterate (200);
  text = zz_test_collect_text (win);
  assert_shows (text, "部门与窗口");
  assert_shows (text, "常驻");
  assert_shows (text, "轮驻");
  assert_shows (text, "系统管理员");
  zz_test_screenshot (win, "admin-zh.png");
  zz_test_remove_db (db);
}

static void
test_cases_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *text = NULL;
  GtkWidget *win, *view, *list = NULL;

  zz_test_log_in (app, "mediator", "Mediator2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "cases");
  zz_test_iterate (200);
  view = zz_test_get (win, "cases_view");
  for (GtkWidget *w = gtk_widget_get_first_child (view); w && !list; )
    {
      /* The case list is the first column view under the view. */
      if (GTK_IS_COLUMN_VIEW (w))
        list = w;
      else if (gtk_widget_get_first_child (w))
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w && !gtk_widget_get_next_sibling (w) && w != view)
            w = gtk_widget_get_parent (w);
          w = w && w != view ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (list);
  text = zz_test_collect_text (view);
  assert_shows (text, "登记案件");
  assert_shows (text, "超期");
  g_assert_null (strstr (text, "New Case"));
  zz_test_screenshot (view, "cases-list-zh.png");
  g_signal_emit_by_name (list, "activate", 0);
  zz_test_iterate (300);
  g_free (text);
  text = zz_test_collect_text (view);
  assert_shows (text, "首问责任人");
  assert_shows (text, "办理经过");
  assert_shows (text, "调解台账");
  g_assert_null (strstr (text, "First responder"));
  zz_test_screenshot (view, "cases-zh.png");
  gtk_widget_activate_action (win, "win.show-view", "s", "mediation");
  zz_test_iterate (300);
  zz_test_screenshot (zz_test_get (win, "mediation_view"), "ledger-zh.png");
  zz_test_remove_db (db);
}

static void
test_login_error_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));

  zz_test_type (zz_test_get (win, "login_row"), "clerk", TRUE);
  zz_test_type (zz_test_get (win, "password_row"), "wrong-pass1", TRUE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (zz_test_get (win, "error_label"))), ==, "登录名或密码错误。");
  zz_test_remove_db (db);
}

static void
test_sync_in_chinese (void)
{
  g_autofree char *db = zz_test_demo_db ();
  g_autoptr(ZzApplication) app = zz_test_start_app (db);
  g_autofree char *text = NULL;
  GtkWidget *win;

  zz_test_log_in (app, "admin", "Admin2024");
  win = GTK_WIDGET (zz_test_active_window (app));
  gtk_widget_activate_action (win, "win.show-view", "s", "sync");
  zz_test_iterate (300);
  text = zz_test_collect_text (win);
  assert_shows (text, "交换变更");
  assert_shows (text, "导入同步包");
  assert_shows (text, "待审查的冲突");
  assert_shows (text, "本中心");
  zz_test_screenshot (win, "sync-zh.png");
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
  g_test_add_func ("/gui/zh/desk", test_desk_in_chinese);
  g_test_add_func ("/gui/zh/admin", test_admin_in_chinese);
  g_test_add_func ("/gui/zh/sync", test_sync_in_chinese);
  g_test_add_func ("/gui/zh/login-error", test_login_error_in_chinese);
  g_test_add_func ("/gui/zh/cases", test_cases_in_chinese);
  return g_test_run ();
}
