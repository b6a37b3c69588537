/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "zz-demo.h"
#include "zz-test-gui.h"

gboolean
zz_test_gui_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

static char *
tmp_db_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-gui-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "test.db", NULL);
}

static char *
demo_db (gboolean sync)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_db_path ();
  ZzDemoOptions options;

  zz_demo_options_init (&options);
  options.sync = sync;
  g_assert_true (zz_demo_create (path, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

char *
zz_test_demo_db (void)
{
  return demo_db (FALSE);
}

char *
zz_test_demo_db_with_sync (void)
{
  return demo_db (TRUE);
}

char *
zz_test_empty_db (void)
{
  return tmp_db_path ();
}

void
zz_test_remove_db (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

ZzApplication *
zz_test_start_app (const char *db_path)
{
  ZzApplication *app = zz_application_new (db_path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  zz_application_start (app);
  zz_test_iterate (50);
  return app;
}

static gboolean
iterate_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
zz_test_iterate (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, iterate_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
zz_test_wait (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return cond (data);
}

static GtkWidget *
find_rec (GtkWidget *w, const char *id)
{
  const char *bid = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : NULL;

  if (bid && g_str_equal (bid, id))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_rec (c, id);
      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
zz_test_find (GtkWidget *root, const char *id)
{
  return find_rec (root, id);
}

GtkWidget *
zz_test_get (GtkWidget *root, const char *id)
{
  GtkWidget *w = find_rec (root, id);

  if (!w)
    g_error ("no widget with id “%s” under %s", id, G_OBJECT_TYPE_NAME (root));
  return w;
}

static const char *
widget_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return gtk_label_get_text (GTK_LABEL (w));
  if (GTK_IS_INSCRIPTION (w))
    return gtk_inscription_get_text (GTK_INSCRIPTION (w));
  if (GTK_IS_BUTTON (w))
    return gtk_button_get_label (GTK_BUTTON (w));
  if (ADW_IS_PREFERENCES_ROW (w))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));
  if (ADW_IS_STATUS_PAGE (w))
    return adw_status_page_get_title (ADW_STATUS_PAGE (w));
  return NULL;
}

static GtkWidget *
find_text_rec (GtkWidget *w, GType type, const char *text)
{
  const char *t;

  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && (t = widget_text (w)) && strstr (t, text))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_text_rec (c, type, text);
      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
zz_test_find_by_text (GtkWidget *root, GType type, const char *text)
{
  return find_text_rec (root, type, text);
}

static void
collect_rec (GtkWidget *w, GString *out)
{
  const char *t;

  if (!gtk_widget_get_visible (w))
    return;
  if ((GTK_IS_LABEL (w) || GTK_IS_INSCRIPTION (w)) && (t = widget_text (w)) && *t)
    {
      g_string_append (out, t);
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_rec (c, out);
}

char *
zz_test_collect_text (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_rec (root, out);
  return g_string_free (out, FALSE);
}

static gboolean
widget_has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

char *
zz_test_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("ZZ_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  char *path;

  /* A window just presented may not have been laid out yet: wait for its first size. */
  if (w == 0 || h == 0)
    {
      zz_test_wait (widget_has_size, widget, 5000);
      zz_test_iterate (50);
      w = gtk_widget_get_width (widget);
      h = gtk_widget_get_height (widget);
    }
  if (!dir)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

GtkWindow *
zz_test_active_window (ZzApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows ? GTK_WINDOW (windows->data) : NULL;
}

GtkWindow *
zz_test_find_window (ZzApplication *app, const char *type_name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (g_str_equal (G_OBJECT_TYPE_NAME (l->data), type_name))
      return GTK_WINDOW (l->data);
  /* Windows opened for another (transient dialogs) need not belong to the application. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (g_str_equal (G_OBJECT_TYPE_NAME (w), type_name))
        return w;
    }
  return NULL;
}

void
zz_test_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_signal_emit_by_name (button, "clicked");
  zz_test_iterate (10);
}

void
zz_test_type (GtkWidget *editable, const char *text, gboolean press_enter)
{
  gtk_widget_grab_focus (editable);
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  if (press_enter)
    {
      if (ADW_IS_ENTRY_ROW (editable))
        g_signal_emit_by_name (editable, "entry-activated");
      else if (GTK_IS_ENTRY (editable) || GTK_IS_SEARCH_ENTRY (editable))
        g_signal_emit_by_name (editable, "activate");
      else if (GTK_IS_TEXT (editable))
        g_signal_emit_by_name (editable, "activate");
      else if (GTK_IS_SPIN_BUTTON (editable))
        /* GtkSpinButton has no activate signal before GTK 4.14: Enter reaches its text. */
        g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (editable)), "activate");
    }
  zz_test_iterate (10);
}

static gboolean
main_window_shown (gpointer data)
{
  GtkWindow *w = zz_test_active_window (data);

  return w && g_str_equal (G_OBJECT_TYPE_NAME (w), "ZzWindow");
}

void
zz_test_log_in (ZzApplication *app, const char *login, const char *password)
{
  GtkWidget *win = GTK_WIDGET (zz_test_active_window (app));

  g_assert_nonnull (win);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (win), ==, "ZzLoginWindow");
  zz_test_type (zz_test_get (win, "login_row"), login, TRUE);
  zz_test_type (zz_test_get (win, "password_row"), password, TRUE);
  g_assert_true (zz_test_wait (main_window_shown, app, 5000));
}
