/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-user-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-gui-util.h"
#include "zz-user-dialog.h"
#include "zz-window.h"

struct _ZzUserDialog {
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkButton *save_button;
  AdwEntryRow *login_row;
  AdwActionRow *login_info_row;
  AdwEntryRow *name_row;
  AdwComboRow *role_row;
  AdwActionRow *active_row;
  GtkSwitch *active_switch;
  AdwPreferencesGroup *password_group;
  GtkButton *reset_password_button;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  GtkWidget *lock_group;
  AdwActionRow *lock_row;
  GtkLabel *error_label;
  GtkLabel *status_label;

  ZzStore *store;
  char *user_id;   /* NULL when adding */
};

G_DEFINE_FINAL_TYPE (ZzUserDialog, zz_user_dialog, ADW_TYPE_WINDOW)

static void
show_message (ZzUserDialog *self, const char *error, const char *status)
{
  gtk_label_set_text (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_label_set_text (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
}

static ZzRole
selected_role (ZzUserDialog *self)
{
  guint i = adw_combo_row_get_selected (self->role_row);

  return i == GTK_INVALID_LIST_POSITION ? ZZ_ROLE_NONE : (ZzRole) (i + 1);
}

static void
toast_parent (ZzUserDialog *self, const char *title)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (ZZ_IS_WINDOW (parent))
    zz_window_toast (ZZ_WINDOW (parent), title, NULL, NULL, NULL);
}

/* The two password rows agree; the store checks the rules. */
static gboolean
passwords_match (ZzUserDialog *self)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                 gtk_editable_get_text (GTK_EDITABLE (self->confirm_row))) == 0)
    return TRUE;
  show_message (self, _("The two passwords do not match."), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->confirm_row), "error");
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
  return FALSE;
}

static void
save (ZzUserDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *title = NULL;

  if (!self->user_id)
    {
      const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));

      if (!passwords_match (self))
        return;
      if (!zz_store_create_user (self->store, login, name, selected_role (self),
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)), NULL, &error))
        {
          show_message (self, error->message, NULL);
          return;
        }
      title = g_strdup_printf (_("User “%s” added"), login);
    }
  else
    {
      if (!zz_store_update_user (self->store, self->user_id, name, selected_role (self),
                                 gtk_switch_get_active (self->active_switch), &error))
        {
          show_message (self, error->message, NULL);
          return;
        }
      title = g_strdup_printf (_("User “%s” saved"), name);
    }
  toast_parent (self, title);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action, GVariant *param)
{
  save (ZZ_USER_DIALOG (widget));
}

static void
reset_password (ZzUserDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!passwords_match (self))
    return;
  if (!zz_store_set_user_password (self->store, self->user_id,
                                   gtk_editable_get_text (GTK_EDITABLE (self->password_row)), &error))
    {
      show_message (self, error->message, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  show_message (self, NULL, _("The password has been changed."));
}

static void
reset_password_action (GtkWidget *widget, const char *action, GVariant *param)
{
  reset_password (ZZ_USER_DIALOG (widget));
}

static void
unlock_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzUserDialog *self = ZZ_USER_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (!zz_store_unlock_user (self->store, self->user_id, &error))
    {
      show_message (self, error->message, NULL);
      return;
    }
  gtk_widget_set_visible (self->lock_group, FALSE);
  show_message (self, NULL, _("The account is unlocked."));
}

static void
on_login_activate_cb (ZzUserDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_name_activate_cb (ZzUserDialog *self)
{
  if (self->user_id)
    save (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activate_cb (ZzUserDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
}

static void
on_confirm_activate_cb (ZzUserDialog *self)
{
  if (self->user_id)
    reset_password (self);
  else
    save (self);
}

static void
on_password_changed_cb (ZzUserDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_row), "error");
}

static void
zz_user_dialog_dispose (GObject *object)
{
  ZzUserDialog *self = ZZ_USER_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_USER_DIALOG);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (zz_user_dialog_parent_class)->dispose (object);
}

static void
zz_user_dialog_finalize (GObject *object)
{
  g_free (ZZ_USER_DIALOG (object)->user_id);
  G_OBJECT_CLASS (zz_user_dialog_parent_class)->finalize (object);
}

static void
zz_user_dialog_class_init (ZzUserDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zz_user_dialog_dispose;
  object_class->finalize = zz_user_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-user-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, login_info_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, active_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, active_switch);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, password_group);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, reset_password_button);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, lock_group);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, lock_row);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZzUserDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_login_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);

  gtk_widget_class_install_action (widget_class, "user.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "user.reset-password", NULL, reset_password_action);
  gtk_widget_class_install_action (widget_class, "user.unlock", NULL, unlock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "user.save", NULL);
}

static void
zz_user_dialog_init (ZzUserDialog *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (ZzRole r = ZZ_ROLE_NONE + 1; r < ZZ_N_ROLES; r++)
    gtk_string_list_append (roles, zz_role_display_name (r));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  adw_combo_row_set_selected (self->role_row, ZZ_ROLE_CLERK - 1);
}

ZzUserDialog *
zz_user_dialog_new (ZzApplication *app, GtkWindow *parent, ZzRow *user)
{
  ZzUserDialog *self;

  g_return_val_if_fail (ZZ_IS_APPLICATION (app), NULL);

  self = g_object_new (ZZ_TYPE_USER_DIALOG, "application", app, "transient-for", parent, NULL);
  self->store = g_object_ref (zz_application_get_store (app));
  if (!user)
    {
      adw_window_title_set_title (self->window_title, _("Add User"));
      gtk_button_set_label (self->save_button, _("_Add"));
      gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
      return self;
    }

  self->user_id = g_strdup (zz_row_get_id (user));
  adw_window_title_set_title (self->window_title, _("Edit User"));
  adw_window_title_set_subtitle (self->window_title, zz_row_get (user, "login"));
  gtk_widget_set_visible (GTK_WIDGET (self->login_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->login_info_row), TRUE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->login_info_row), FALSE);
  adw_action_row_set_subtitle (self->login_info_row, zz_row_get (user, "login"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), zz_row_get (user, "name"));
  adw_combo_row_set_selected (self->role_row, zz_role_from_string (zz_row_get (user, "role")) - 1);
  gtk_widget_set_visible (GTK_WIDGET (self->active_row), TRUE);
  gtk_switch_set_active (self->active_switch, zz_row_get_int (user, "active") != 0);

  adw_preferences_group_set_title (self->password_group, _("Reset Password"));
  adw_preferences_group_set_description (self->password_group,
                                         _("Type a new password twice, then choose Reset Password."));
  gtk_widget_set_visible (GTK_WIDGET (self->reset_password_button), TRUE);

  if (zz_row_get_int (user, "locked_until") > zz_store_now (self->store))
    {
      gint64 locked_until = zz_row_get_int (user, "locked_until");
      g_autofree char *time = zz_gui_format_time (locked_until, "%H:%M");
      g_autofree char *subtitle = g_strdup_printf (_("Until %s, or until unlocked here"), time);

      adw_action_row_set_subtitle (self->lock_row, subtitle);
      gtk_widget_set_visible (self->lock_group, TRUE);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
