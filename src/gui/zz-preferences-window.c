/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-backup.h"
#include "zz-cases-preferences.h"
#include "zz-gui-util.h"
#include "zz-preferences-window.h"

struct _ZzPreferencesWindow {
  AdwPreferencesWindow parent_instance;

  GtkSpinButton *idle_spin;
  GtkWidget *node_group;
  AdwActionRow *centre_row;
  AdwActionRow *unit_row;
  AdwActionRow *node_id_row;
  AdwActionRow *fingerprint_row;
  AdwActionRow *db_row;

  /* backups (administrators) */
  ZzApplication *app;
  AdwActionRow *backup_folder_row;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *passphrase_confirm_row;
  AdwActionRow *passphrase_state_row;
  AdwActionRow *backup_now_row;
  GtkButton *backup_now_button;
  GtkProgressBar *backup_progress;
  GtkLabel *backup_message;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (ZzPreferencesWindow, zz_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void choose_folder_action (GtkWidget *widget, const char *name, GVariant *param);
static void save_passphrase_action (GtkWidget *widget, const char *name, GVariant *param);
static void backup_now_action (GtkWidget *widget, const char *name, GVariant *param);

static void
zz_preferences_window_dispose (GObject *object)
{
  ZzPreferencesWindow *self = ZZ_PREFERENCES_WINDOW (object);

  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->app);
  gtk_widget_dispose_template (GTK_WIDGET (object), ZZ_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (zz_preferences_window_parent_class)->dispose (object);
}

static void
zz_preferences_window_class_init (ZzPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/zongzhi/Workbench/zz-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, node_group);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, centre_row);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, unit_row);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, node_id_row);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, ZzPreferencesWindow, db_row);
  gtk_widget_class_install_action (widget_class, "prefs.choose-backup-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.save-passphrase", NULL, save_passphrase_action);
  gtk_widget_class_install_action (widget_class, "prefs.backup-now", NULL, backup_now_action);
}

static void
zz_preferences_window_init (ZzPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_value (AdwActionRow *row, const char *value)
{
  adw_action_row_set_subtitle (row, value && *value ? value : _("Not set"));
}

/* ---- backups ---- */

static void
backup_message (ZzPreferencesWindow *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->backup_message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->backup_message), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->backup_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->backup_message), "error");
}

static void
update_backup_rows (ZzPreferencesWindow *self)
{
  ZzStore *store = zz_application_get_store (self->app);
  g_autofree char *folder = zz_application_get_backup_folder (self->app);
  g_autofree char *passphrase = zz_backup_load_passphrase (zz_store_get_path (store));
  gint64 last = zz_backup_get_last_time (store);
  g_autofree char *last_text = NULL;

  adw_action_row_set_subtitle (self->backup_folder_row, folder);
  adw_action_row_set_subtitle (self->passphrase_state_row,
                               passphrase ? _("Set: backups are encrypted (age format); USB drives get them too.")
                                          : _("Not set: backups are not encrypted, and none go to USB drives."));
  if (last > 0)
    {
      g_autofree char *when = zz_gui_format_time (last, "%Y-%m-%d %H:%M");
      last_text = g_strdup_printf (_("Last backup: %s. Automatic at logout, at quit and daily."), when);
    }
  else
    last_text = g_strdup (_("No backup yet. Automatic at logout, at quit and daily."));
  adw_action_row_set_subtitle (self->backup_now_row, last_text);
}

static void
on_folder_chosen_cb (GtkNativeDialog *chooser, int response, ZzPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      zz_preferences_window_set_backup_folder (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzPreferencesWindow *self = ZZ_PREFERENCES_WINDOW (widget);

  if (self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Backup Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_folder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

gboolean
zz_preferences_window_set_backup_folder (ZzPreferencesWindow *self, const char *folder)
{
  g_autoptr(GError) error = NULL;

  if (!folder)
    {
      backup_message (self, _("Choose a folder on this computer or on a drive."), TRUE);
      return FALSE;
    }
  if (!zz_backup_set_folder (zz_application_get_store (self->app), folder, &error))
    {
      backup_message (self, error->message, TRUE);
      return FALSE;
    }
  backup_message (self, NULL, FALSE);
  update_backup_rows (self);
  zz_application_backup_changed (self->app);
  return TRUE;
}

static void
save_passphrase_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzPreferencesWindow *self = ZZ_PREFERENCES_WINDOW (widget);
  const char *a = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *b = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_confirm_row));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (a, b) != 0)
    {
      backup_message (self, _("The two passphrases differ."), TRUE);
      return;
    }
  if (!zz_backup_save_passphrase (zz_application_get_store (self->app), a, &error))
    {
      backup_message (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_confirm_row), "");
  backup_message (self, _("The backup passphrase is saved. Keep it on paper in the office safe: a backup "
                          "cannot be opened without it."), FALSE);
  update_backup_rows (self);
  zz_application_backup_changed (self->app);
}

static void
backup_progress_cb (double fraction, gpointer user_data)
{
  ZzPreferencesWindow *self = user_data;

  if (self->backup_progress)
    gtk_progress_bar_set_fraction (self->backup_progress, fraction);
}

static void
backup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ZzPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  if (!self->backup_progress)
    return;  /* closed meanwhile */
  gtk_widget_set_visible (GTK_WIDGET (self->backup_progress), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->backup_now_button), TRUE);
  if (error)
    {
      g_autofree char *text = g_strdup_printf (_("The backup failed: %s"), error->message);
      backup_message (self, text, TRUE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Backup written and checked: %s"), path);
      backup_message (self, text, FALSE);
    }
  update_backup_rows (self);
}

static void
backup_now_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzPreferencesWindow *self = ZZ_PREFERENCES_WINDOW (widget);

  gtk_widget_set_sensitive (GTK_WIDGET (self->backup_now_button), FALSE);
  gtk_progress_bar_set_fraction (self->backup_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_progress), TRUE);
  backup_message (self, NULL, FALSE);
  zz_application_backup_async (self->app, backup_progress_cb, self, backup_done_cb, g_object_ref (self));
}

static GtkWidget *
suffix_button (const char *label, const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
add_backup_page (ZzPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *where = adw_preferences_group_new ();
  GtkWidget *secret = adw_preferences_group_new ();
  GtkWidget *now = adw_preferences_group_new ();
  GtkWidget *save;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Backups"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "drive-harddisk-symbolic");
  gtk_widget_set_name (page, "backup_page");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (where), _("Where"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (where),
    _("Backups hold the database and the node key, checked after writing; 7 daily, 4 weekly and 12 "
      "monthly are kept. A plugged-in USB drive also gets one, in its “Zongzhi backups” folder."));
  self->backup_folder_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->backup_folder_row), _("Backup folder"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->backup_folder_row), FALSE);
  adw_action_row_add_suffix (self->backup_folder_row, suffix_button (_("C_hoose…"), "prefs.choose-backup-folder"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (where), GTK_WIDGET (self->backup_folder_row));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (secret), _("Passphrase"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (secret),
    _("Backups are encrypted with it (age format: “age -d” opens one). It is kept beside the node key, "
      "readable only by this computer’s account, never beside the backups."));
  self->passphrase_state_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->passphrase_state_row), _("Backup passphrase"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secret), GTK_WIDGET (self->passphrase_state_row));
  self->passphrase_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->passphrase_row), "passphrase_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->passphrase_row), _("New passphrase"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secret), GTK_WIDGET (self->passphrase_row));
  self->passphrase_confirm_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->passphrase_confirm_row), "passphrase_confirm_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->passphrase_confirm_row), _("Repeat the passphrase"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secret), GTK_WIDGET (self->passphrase_confirm_row));
  save = suffix_button (_("_Save Passphrase"), "prefs.save-passphrase");
  gtk_widget_set_name (save, "save_passphrase_button");
  gtk_widget_set_halign (save, GTK_ALIGN_END);
  gtk_widget_set_margin_top (save, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secret), save);

  self->backup_now_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->backup_now_row), _("Back up now"));
  self->backup_now_button = GTK_BUTTON (suffix_button (_("_Back Up Now"), "prefs.backup-now"));
  gtk_widget_set_name (GTK_WIDGET (self->backup_now_button), "backup_now_button");
  adw_action_row_add_suffix (self->backup_now_row, GTK_WIDGET (self->backup_now_button));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (now), GTK_WIDGET (self->backup_now_row));
  self->backup_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->backup_progress), FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->backup_progress), 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (now), GTK_WIDGET (self->backup_progress));
  self->backup_message = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->backup_message), "backup_message");
  gtk_label_set_wrap (GTK_LABEL (self->backup_message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->backup_message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->backup_message), 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->backup_message), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_message), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (now), GTK_WIDGET (self->backup_message));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (where));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (secret));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (now));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  update_backup_rows (self);
}

ZzPreferencesWindow *
zz_preferences_window_new (ZzApplication *app)
{
  ZzPreferencesWindow *self;
  ZzStore *store;

  g_return_val_if_fail (ZZ_IS_APPLICATION (app), NULL);

  /* Not added to @app: the caller makes it transient for the application's active window. */
  self = g_object_new (ZZ_TYPE_PREFERENCES_WINDOW, NULL);
  store = zz_application_get_store (app);
  g_settings_bind (zz_application_get_settings (app), "idle-lock-minutes",
                   gtk_spin_button_get_adjustment (self->idle_spin), "value", G_SETTINGS_BIND_DEFAULT);

  if (store && zz_store_has_node (store))
    {
      const char *code = zz_store_get_node_org_unit (store);
      g_autofree char *path = zz_store_org_unit_path (store, code);
      g_autofree char *unit = g_strdup_printf ("%s (%s)", path ? path : "", code);
      g_autofree char *fingerprint = zz_store_get_fingerprint (store);

      set_value (self->centre_row, zz_store_get_centre_name (store));
      set_value (self->unit_row, unit);
      set_value (self->node_id_row, zz_store_get_node_id (store));
      set_value (self->fingerprint_row, fingerprint);
    }
  else
    gtk_widget_set_visible (self->node_group, FALSE);
  if (store)
    set_value (self->db_row, zz_store_get_path (store));
  else
    gtk_widget_set_visible (GTK_WIDGET (self->db_row), FALSE);
  zz_cases_preferences_add (ADW_PREFERENCES_WINDOW (self), store);
  self->app = g_object_ref (app);
  if (store && zz_store_has_node (store) && zz_store_can (store, ZZ_PERM_MANAGE_USERS))
    add_backup_page (self);
  return self;
}
