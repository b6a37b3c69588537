/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-admin-view"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-admin-view.h"
#include "zz-department-dialog.h"
#include "zz-gui-util.h"
#include "zz-reference.h"
#include "zz-user-dialog.h"
#include "zz-window.h"

struct _ZzAdminView {
  AdwBin parent_instance;

  GtkListBox *users_list;
  GtkListBox *departments_list;
  GtkListBox *retired_list;
  GtkWidget *retired_group;

  ZzApplication *app;   /* outlives every window */
  ZzStore *store;
};

G_DEFINE_FINAL_TYPE (ZzAdminView, zz_admin_view, ADW_TYPE_BIN)

static GtkWindow *
parent_window (ZzAdminView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
badge (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "badge");
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* ---- users ---- */

static GtkWidget *
create_user_row (gpointer item, gpointer user_data)
{
  ZzAdminView *self = user_data;
  ZzRow *user = item;
  GtkWidget *row = adw_action_row_new ();
  ZzRole role = zz_role_from_string (zz_row_get (user, "role"));
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", zz_row_get (user, "login"),
                                               zz_role_display_name (role));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (user, "name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (zz_row_get_int (user, "locked_until") > zz_store_now (self->store))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (_("Locked"), "locked"));
  if (!zz_row_get_int (user, "active"))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (_("Disabled"), "disabled"));
      gtk_widget_add_css_class (row, "dim-label");
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Edit this user"));
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (user), g_object_unref);
  return row;
}

static void
refresh_users (ZzAdminView *self)
{
  g_autoptr(GListModel) users = zz_store_list_users (self->store);

  gtk_list_box_bind_model (self->users_list, users, create_user_row, self, NULL);
}

static void
on_user_row_activated_cb (ZzAdminView *self, GtkListBoxRow *row)
{
  ZzUserDialog *dialog = zz_user_dialog_new (self->app, parent_window (self),
                                             g_object_get_data (G_OBJECT (row), "item"));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_user_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzAdminView *self = ZZ_ADMIN_VIEW (widget);

  if (self->app)
    gtk_window_present (GTK_WINDOW (zz_user_dialog_new (self->app, parent_window (self), NULL)));
}

/* ---- departments ---- */

typedef struct {
  ZzStore *store;
  ZzAdminView *view;   /* weak */
  char *department_id;
} RetireUndo;

static void
retire_undo_free (gpointer p)
{
  RetireUndo *u = p;

  g_clear_weak_pointer (&u->view);
  g_object_unref (u->store);
  g_free (u->department_id);
  g_free (u);
}

static void
undo_retire_cb (gpointer data)
{
  RetireUndo *u = data;
  g_autoptr(GError) error = NULL;

  if (!zz_store_retire_department (u->store, u->department_id, FALSE, &error) && u->view)
    zz_gui_error (GTK_WIDGET (u->view), error);
}

static void
retire_department (ZzAdminView *self, ZzRow *department, gboolean retire)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  RetireUndo *undo;

  if (!zz_store_retire_department (self->store, zz_row_get_id (department), retire, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  if (!retire || !zz_window_for (GTK_WIDGET (self)))
    return;
  undo = g_new0 (RetireUndo, 1);
  undo->store = g_object_ref (self->store);
  g_set_weak_pointer (&undo->view, self);
  undo->department_id = g_strdup (zz_row_get_id (department));
  title = g_strdup_printf (_("“%s” retired"), zz_row_get (department, "name"));
  zz_window_toast (zz_window_for (GTK_WIDGET (self)), title,
                   G_CALLBACK (undo_retire_cb), undo, retire_undo_free);
}

static void
on_retire_clicked_cb (GtkButton *button, ZzAdminView *self)
{
  ZzRow *department = g_object_get_data (G_OBJECT (button), "item");

  retire_department (self, department, zz_row_get_int (department, "retired") == 0);
}

static GtkWidget *
create_department_row (gpointer item, gpointer user_data)
{
  ZzAdminView *self = user_data;
  ZzRow *department = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *number;
  GtkWidget *button;
  guint n_modes;
  const ZzVocab *modes = zz_stationing_modes (&n_modes);
  const char *mode = zz_vocab_display (modes, n_modes, zz_row_get (department, "stationing"));
  g_autofree char *days = zz_weekdays_display ((guint) zz_row_get_int (department, "weekdays"));
  g_autofree char *subtitle = NULL;
  g_autofree char *window = NULL;
  gboolean retired = zz_row_get_int (department, "retired") != 0;

  if (zz_row_get (department, "window_id"))
    window = g_strdup_printf ("%" G_GINT64_FORMAT, zz_row_get_int (department, "window_number"));
  subtitle = *days ? g_strdup_printf ("%s · %s", mode, days) : g_strdup (mode);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (department, "name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  number = gtk_label_new (window ? window : "–");
  gtk_label_set_width_chars (GTK_LABEL (number), 3);
  gtk_widget_add_css_class (number, "window-number");
  gtk_widget_set_tooltip_text (number, _("Window number"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);

  /* One per row: an access key would be shared by all of them. */
  button = gtk_button_new_with_label (retired ? _("Restore") : _("Retire"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, retired ? _("Open this department’s window again")
                                               : _("Close this department’s window; its records stay"));
  if (!retired)
    gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (department), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_retire_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  if (retired)
    gtk_widget_add_css_class (row, "retired");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (department), g_object_unref);
  return row;
}

static void
refresh_departments (ZzAdminView *self)
{
  g_autoptr(GListModel) all = zz_store_list_departments (self->store);
  g_autoptr(GListStore) open = g_list_store_new (ZZ_TYPE_ROW);
  g_autoptr(GListStore) retired = g_list_store_new (ZZ_TYPE_ROW);
  guint n = g_list_model_get_n_items (all);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) d = g_list_model_get_item (all, i);
      g_list_store_append (zz_row_get_int (d, "retired") ? retired : open, d);
    }
  gtk_list_box_bind_model (self->departments_list, G_LIST_MODEL (open), create_department_row, self, NULL);
  gtk_list_box_bind_model (self->retired_list, G_LIST_MODEL (retired), create_department_row, self, NULL);
  gtk_widget_set_visible (self->retired_group, g_list_model_get_n_items (G_LIST_MODEL (retired)) > 0);
}

static void
on_department_row_activated_cb (ZzAdminView *self, GtkListBoxRow *row)
{
  ZzDepartmentDialog *dialog = zz_department_dialog_new (self->app, parent_window (self),
                                                         g_object_get_data (G_OBJECT (row), "item"));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_department_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzAdminView *self = ZZ_ADMIN_VIEW (widget);

  if (self->app)
    gtk_window_present (GTK_WINDOW (zz_department_dialog_new (self->app, parent_window (self), NULL)));
}

static void
on_store_changed_cb (ZzAdminView *self, const char *table)
{
  if (g_strcmp0 (table, "user") == 0)
    refresh_users (self);
  else
    refresh_departments (self);
}

/* ---- GObject ---- */

static void
zz_admin_view_dispose (GObject *object)
{
  ZzAdminView *self = ZZ_ADMIN_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_ADMIN_VIEW);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (zz_admin_view_parent_class)->dispose (object);
}

/* Failed logins lock accounts without changing the user table: read again when shown. */
static void
zz_admin_view_map (GtkWidget *widget)
{
  ZzAdminView *self = ZZ_ADMIN_VIEW (widget);

  GTK_WIDGET_CLASS (zz_admin_view_parent_class)->map (widget);
  if (self->store)
    refresh_users (self);
}

static void
zz_admin_view_class_init (ZzAdminViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_admin_view_dispose;
  widget_class->map = zz_admin_view_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-admin-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzAdminView, users_list);
  gtk_widget_class_bind_template_child (widget_class, ZzAdminView, departments_list);
  gtk_widget_class_bind_template_child (widget_class, ZzAdminView, retired_list);
  gtk_widget_class_bind_template_child (widget_class, ZzAdminView, retired_group);
  gtk_widget_class_bind_template_callback (widget_class, on_user_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_department_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "admin.add-user", NULL, add_user_action);
  gtk_widget_class_install_action (widget_class, "admin.add-department", NULL, add_department_action);
}

static void
zz_admin_view_init (ZzAdminView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
zz_admin_view_setup (ZzAdminView *self, ZzApplication *app)
{
  g_return_if_fail (ZZ_IS_ADMIN_VIEW (self));
  g_return_if_fail (ZZ_IS_APPLICATION (app));

  self->app = app;
  g_set_object (&self->store, zz_application_get_store (app));
  g_signal_connect_object (self->store, "changed::user",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::department",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::window",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  refresh_users (self);
  refresh_departments (self);
}
