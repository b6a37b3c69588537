/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-setup-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-save-dialog.h"
#include "zz-password.h"
#include "zz-setup-window.h"

#define N_STEPS 4
#define SEARCH_LIMIT 50

struct _ZzSetupWindow {
  AdwApplicationWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkStack *pages;

  /* divisions */
  GtkLabel *divisions_count_label;
  GtkListBox *import_list;
  GtkWidget *progress_box;
  GtkProgressBar *import_progress;
  GtkLabel *import_error;
  AdwPasswordEntryRow *restore_passphrase_row;
  GtkProgressBar *restore_progress;
  GtkLabel *restore_error;
  gboolean restoring;

  /* this centre */
  GtkSearchEntry *unit_search;
  GtkListBox *unit_list;
  AdwActionRow *chosen_row;
  AdwEntryRow *centre_row;
  GtkLabel *unit_error;

  /* administrator */
  AdwEntryRow *admin_login_row;
  AdwEntryRow *admin_name_row;
  AdwPasswordEntryRow *admin_password_row;
  AdwPasswordEntryRow *admin_confirm_row;
  GtkLabel *admin_error;

  /* done */
  GtkLabel *fingerprint_label;
  GtkLabel *done_centre_label;
  GtkButton *start_button;

  ZzStore *store;
  GCancellable *import_cancellable;
  GtkFileChooserNative *chooser;
  char *searched;          /* the query the list shows */
  char *unit_code;         /* the chosen org unit */
  char *auto_centre_name;  /* what we filled in, to know whether the user changed it */
  gboolean admin_tried;    /* after a first Finish, every field shows its problem */
};

G_DEFINE_FINAL_TYPE (ZzSetupWindow, zz_setup_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *page_names[N_STEPS] = { "divisions", "unit", "admin", "done" };

static ZzStore *
get_store (ZzSetupWindow *self)
{
  return self->store;
}

static int
current_step (ZzSetupWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->pages);

  for (int i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return i;
  return 0;
}

static gboolean
importing (ZzSetupWindow *self)
{
  return self->import_cancellable != NULL;
}

static void
update_navigation (ZzSetupWindow *self)
{
  int step = current_step (self);
  g_autofree char *subtitle = g_strdup_printf (_("Step %d of %d"), step + 1, N_STEPS);
  gboolean done = step == N_STEPS - 1;

  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !done);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.back", step > 0 && !done && !importing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.next",
                                 !done && !importing (self)
                                 && (step != 0 || zz_store_count_org_units (get_store (self)) > 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.import-shipped", !importing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.import-folder", !importing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.cancel-import", importing (self));
  gtk_button_set_label (self->next_button, step == 2 ? _("_Finish") : _("_Next"));
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 done ? GTK_WIDGET (self->start_button) : GTK_WIDGET (self->next_button));
}

static gboolean
is_blank (const char *text)
{
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static void
show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* ---- divisions ---- */

static void
update_division_count (ZzSetupWindow *self)
{
  guint n = zz_store_count_org_units (get_store (self));
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("No administrative divisions yet."));
  else
    text = g_strdup_printf (ngettext ("%u administrative unit is in the database.",
                                      "%u administrative units are in the database.", n), n);
  gtk_label_set_text (self->divisions_count_label, text);
}

static void
import_progress_cb (double fraction, gpointer user_data)
{
  ZzSetupWindow *self = user_data;
  g_autofree char *text = NULL;

  /* After dispose the widgets are gone; the worker may still report. */
  if (!importing (self) || !self->import_progress)
    return;
  text = g_strdup_printf (_("Importing… %d %%"), (int) (fraction * 100));
  gtk_progress_bar_set_fraction (self->import_progress, fraction);
  gtk_progress_bar_set_text (self->import_progress, text);
}

static void
import_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ZzSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_clear_object (&self->import_cancellable);
  zz_store_import_divisions_finish (result, &count, &error);
  /* Closed while importing: nobody to tell. */
  if (!self->progress_box || !gtk_window_get_application (GTK_WINDOW (self)))
    return;
  gtk_widget_set_visible (self->progress_box, FALSE);
  if (error)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self->import_error, _("The import was cancelled; nothing was changed."));
      else
        {
          g_autofree char *message = g_strdup_printf (_("Nothing was imported. %s"), error->message);
          show_error (self->import_error, message);
        }
    }
  else
    show_error (self->import_error, NULL);
  update_division_count (self);
  update_navigation (self);
  if (!error && gtk_widget_get_realized (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

void
zz_setup_window_import_folder (ZzSetupWindow *self, const char *dir)
{
  g_return_if_fail (ZZ_IS_SETUP_WINDOW (self));
  g_return_if_fail (dir != NULL);

  if (importing (self))
    return;
  self->import_cancellable = g_cancellable_new ();
  show_error (self->import_error, NULL);
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_progress_bar_set_text (self->import_progress, _("Reading the division files…"));
  gtk_widget_set_visible (self->progress_box, TRUE);
  update_navigation (self);
  zz_store_import_divisions_async (get_store (self), dir, NULL, self->import_cancellable,
                                   import_progress_cb, self, import_done_cb, g_object_ref (self));
}

static void
import_shipped_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autofree char *dir = g_build_filename (zz_data_dir (), "divisions", NULL);

  zz_setup_window_import_folder (ZZ_SETUP_WINDOW (widget), dir);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser, int response, ZzSetupWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      zz_file_chooser_remember_folder (path);
      if (path)
        zz_setup_window_import_folder (self, path);
      else
        show_error (self->import_error, _("Choose a folder on this computer."));
    }
  g_clear_object (&self->chooser);
}

static void
import_folder_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);

  if (self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Division Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Import"), NULL);
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);

  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
}

/* ---- restore from a backup ---- */

static void
restore_progress_cb (double fraction, gpointer user_data)
{
  ZzSetupWindow *self = user_data;

  if (self->restoring && self->restore_progress)
    gtk_progress_bar_set_fraction (self->restore_progress, fraction);
}

static void
restore_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ZzSetupWindow) self = user_data;
  ZzApplication *app = ZZ_APPLICATION (source);
  g_autoptr(GError) error = NULL;

  self->restoring = FALSE;
  if (zz_application_restore_finish (app, result, &error))
    return;  /* the application shows the login window next */
  if (!self->restore_progress)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->restore_progress), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pages), TRUE);
  show_error (self->restore_error, error->message);
  if (zz_application_get_store (app))
    self->store = g_object_ref (zz_application_get_store (app));
  update_navigation (self);
}

void
zz_setup_window_restore_file (ZzSetupWindow *self, const char *file)
{
  ZzApplication *app = ZZ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *passphrase = NULL;

  g_return_if_fail (ZZ_IS_SETUP_WINDOW (self));
  if (self->restoring || importing (self) || !app)
    return;
  passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->restore_passphrase_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->restore_passphrase_row), "");
  self->restoring = TRUE;
  show_error (self->restore_error, NULL);
  gtk_progress_bar_set_fraction (self->restore_progress, 0);
  gtk_progress_bar_set_text (self->restore_progress, _("Restoring…"));
  gtk_widget_set_visible (GTK_WIDGET (self->restore_progress), TRUE);
  /* the passphrase field lets go of the focus before the page turns insensitive */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pages), FALSE);
  /* let go of the empty database: it is replaced */
  g_clear_object (&self->store);
  zz_application_restore_async (app, file, *passphrase ? passphrase : NULL, restore_progress_cb, self,
                                restore_done_cb, g_object_ref (self));
  memset (passphrase, 0, strlen (passphrase));
}

static void
on_restore_chooser_response_cb (GtkNativeDialog *chooser, int response, ZzSetupWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        zz_setup_window_restore_file (self, path);
      else
        show_error (self->restore_error, _("Choose a file on this computer or on a drive."));
    }
  g_clear_object (&self->chooser);
}

static void
restore_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser || self->restoring)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Backup"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Restore"), NULL);
  gtk_file_filter_set_name (filter, _("Zongzhi backups"));
  gtk_file_filter_add_pattern (filter, "*.zzbackup");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_restore_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- this centre ---- */

static GtkWidget *
create_unit_row (gpointer item, gpointer user_data)
{
  ZzRow *unit = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *code = gtk_label_new (zz_row_get (unit, "code"));
  const char *path = zz_row_get (unit, "path");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (unit, "name"));
  if (path && *path)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "monospace");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), code);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "unit", g_object_ref (unit), g_object_unref);
  return row;
}

static void
run_search (ZzSetupWindow *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->unit_search));
  g_autoptr(GListModel) results = NULL;

  if (self->searched && g_str_equal (self->searched, query))
    return;
  g_free (self->searched);
  self->searched = g_strdup (query);
  results = zz_store_search_org_units (get_store (self), query, SEARCH_LIMIT);
  gtk_list_box_bind_model (self->unit_list, results, create_unit_row, NULL, NULL);
}

static void
choose_unit (ZzSetupWindow *self, ZzRow *unit)
{
  const char *path = zz_row_get (unit, "path");
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->centre_row));
  g_autofree char *subtitle = NULL;

  g_free (self->unit_code);
  self->unit_code = g_strdup (zz_row_get (unit, "code"));
  if (path && *path)
    subtitle = g_strdup_printf ("%s — %s (%s)", zz_row_get (unit, "name"), path, self->unit_code);
  else
    subtitle = g_strdup_printf ("%s (%s)", zz_row_get (unit, "name"), self->unit_code);
  adw_action_row_set_subtitle (self->chosen_row, subtitle);

  /* Follow the chosen unit until the person writes a name of their own. */
  if (*current == '\0' || g_strcmp0 (current, self->auto_centre_name) == 0)
    {
      g_free (self->auto_centre_name);
      self->auto_centre_name = g_strdup_printf ("%s%s", zz_row_get (unit, "name"), "综治中心");
      gtk_editable_set_text (GTK_EDITABLE (self->centre_row), self->auto_centre_name);
    }
  show_error (self->unit_error, NULL);
}

static void
on_unit_search_changed_cb (ZzSetupWindow *self)
{
  run_search (self);
}

static void
on_unit_row_selected_cb (ZzSetupWindow *self, GtkListBoxRow *row)
{
  if (row)
    choose_unit (self, g_object_get_data (G_OBJECT (row), "unit"));
}

static void
on_unit_row_activated_cb (ZzSetupWindow *self, GtkListBoxRow *row)
{
  gtk_list_box_select_row (self->unit_list, row);
  choose_unit (self, g_object_get_data (G_OBJECT (row), "unit"));
  gtk_widget_grab_focus (GTK_WIDGET (self->centre_row));
}

/* Enter in the search takes the best match, so "泸溪" Enter Enter goes on. */
static void
on_unit_search_activate_cb (ZzSetupWindow *self)
{
  GtkListBoxRow *first;

  run_search (self);
  first = gtk_list_box_get_row_at_index (self->unit_list, 0);
  if (first)
    on_unit_row_activated_cb (self, first);
}

static gboolean
on_search_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          ZzSetupWindow         *self)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  run_search (self);
  row = gtk_list_box_get_selected_row (self->unit_list);
  if (!row)
    row = gtk_list_box_get_row_at_index (self->unit_list, 0);
  if (!row)
    return GDK_EVENT_PROPAGATE;
  gtk_list_box_select_row (self->unit_list, row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return GDK_EVENT_STOP;
}

static void
on_centre_activate_cb (ZzSetupWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.next", NULL);
}

/* ---- administrator ---- */

/* The first problem of the administrator's fields, or NULL. @all also reports empty fields,
 * which while typing would only nag. */
static char *
admin_problem (ZzSetupWindow *self, gboolean all, GtkWidget **field)
{
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->admin_login_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->admin_name_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->admin_password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->admin_confirm_row));
  g_autoptr(GError) error = NULL;

  *field = NULL;
  if (all && is_blank (login))
    {
      *field = GTK_WIDGET (self->admin_login_row);
      return g_strdup (_("Enter a login name."));
    }
  if (all && is_blank (name))
    {
      *field = GTK_WIDGET (self->admin_name_row);
      return g_strdup (_("Enter the administrator’s full name."));
    }
  if ((all || *password) && !zz_password_check_policy (password, login, &error))
    {
      *field = GTK_WIDGET (self->admin_password_row);
      return g_strdup (error->message);
    }
  if ((all || *confirm) && g_strcmp0 (password, confirm) != 0)
    {
      *field = GTK_WIDGET (self->admin_confirm_row);
      return g_strdup (_("The two passwords do not match."));
    }
  return NULL;
}

static gboolean
check_admin (ZzSetupWindow *self, gboolean all)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->admin_login_row), GTK_WIDGET (self->admin_name_row),
    GTK_WIDGET (self->admin_password_row), GTK_WIDGET (self->admin_confirm_row),
  };
  GtkWidget *field = NULL;
  g_autofree char *problem = admin_problem (self, all || self->admin_tried, &field);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == field)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");
  show_error (self->admin_error, problem);
  if (field && all)
    gtk_widget_grab_focus (field);
  return problem == NULL;
}

static void
on_admin_field_changed_cb (ZzSetupWindow *self)
{
  check_admin (self, FALSE);
}

static void
on_admin_login_activate_cb (ZzSetupWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->admin_name_row));
}

static void
on_admin_name_activate_cb (ZzSetupWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->admin_password_row));
}

static void
on_admin_password_activate_cb (ZzSetupWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->admin_confirm_row));
}

static void
on_admin_confirm_activate_cb (ZzSetupWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.next", NULL);
}

/* ---- steps ---- */

static void
show_step (ZzSetupWindow *self, int step)
{
  gtk_stack_set_visible_child_name (self->pages, page_names[step]);
  update_navigation (self);
  switch (step)
    {
    case 0:
      update_division_count (self);
      gtk_widget_grab_focus (zz_store_count_org_units (get_store (self)) > 0
                             ? GTK_WIDGET (self->next_button) : GTK_WIDGET (self->import_list));
      break;
    case 1:
      run_search (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->unit_search));
      break;
    case 2:
      gtk_widget_grab_focus (*gtk_editable_get_text (GTK_EDITABLE (self->admin_login_row))
                             ? GTK_WIDGET (self->admin_name_row) : GTK_WIDGET (self->admin_login_row));
      break;
    default:
      gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
      /* A selectable label selects all when it first takes focus; the fingerprint is read,
       * not edited, so show it plain. */
      gtk_label_select_region (self->fingerprint_label, 0, 0);
      break;
    }
}

static void
finish_setup (ZzSetupWindow *self)
{
  ZzStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *path = NULL;
  g_autofree char *centre = NULL;
  g_autofree char *login = NULL;
  g_autofree char *name = NULL;

  self->admin_tried = TRUE;
  if (!check_admin (self, TRUE))
    return;
  login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->admin_login_row))));
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->admin_name_row))));
  if (!zz_store_setup_node (store, self->unit_code,
                            gtk_editable_get_text (GTK_EDITABLE (self->centre_row)),
                            login, name,
                            gtk_editable_get_text (GTK_EDITABLE (self->admin_password_row)), &error))
    {
      show_error (self->admin_error, error->message);
      return;
    }
  /* The password has done its job; do not keep it in the widgets. */
  gtk_editable_set_text (GTK_EDITABLE (self->admin_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->admin_confirm_row), "");
  show_error (self->admin_error, NULL);

  fingerprint = zz_store_get_fingerprint (store);
  gtk_label_set_text (self->fingerprint_label, fingerprint);
  path = zz_store_org_unit_path (store, zz_store_get_node_org_unit (store));
  centre = g_strdup_printf ("%s\n%s", zz_store_get_centre_name (store), path ? path : "");
  gtk_label_set_text (self->done_centre_label, centre);
  show_step (self, N_STEPS - 1);
}

static void
next_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);
  int step = current_step (self);

  switch (step)
    {
    case 0:
      if (zz_store_count_org_units (get_store (self)) > 0 && !importing (self))
        show_step (self, 1);
      break;
    case 1:
      if (!self->unit_code)
        {
          show_error (self->unit_error, _("Choose this centre’s administrative unit from the list."));
          gtk_widget_grab_focus (GTK_WIDGET (self->unit_search));
        }
      else if (is_blank (gtk_editable_get_text (GTK_EDITABLE (self->centre_row))))
        {
          show_error (self->unit_error, _("Enter the centre’s name."));
          gtk_widget_grab_focus (GTK_WIDGET (self->centre_row));
        }
      else
        show_step (self, 2);
      break;
    case 2:
      finish_setup (self);
      break;
    default:
      break;
    }
}

static void
back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);
  int step = current_step (self);

  if (step > 0 && step < N_STEPS - 1 && !importing (self))
    show_step (self, step - 1);
}

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);

  if (zz_store_has_node (get_store (self)))
    g_signal_emit_by_name (self, "completed");
}

/* ---- GObject ---- */

/* A window that goes away stops its import: gtk_window_destroy() unrealizes but does not
 * dispose while the import holds a reference. */
static void
zz_setup_window_unrealize (GtkWidget *widget)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (widget);

  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
  GTK_WIDGET_CLASS (zz_setup_window_parent_class)->unrealize (widget);
}

static void
zz_setup_window_dispose (GObject *object)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (object);

  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_SETUP_WINDOW);
  G_OBJECT_CLASS (zz_setup_window_parent_class)->dispose (object);
}

static void
zz_setup_window_finalize (GObject *object)
{
  ZzSetupWindow *self = ZZ_SETUP_WINDOW (object);

  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->store);
  g_free (self->searched);
  g_free (self->unit_code);
  g_free (self->auto_centre_name);
  G_OBJECT_CLASS (zz_setup_window_parent_class)->finalize (object);
}

static void
zz_setup_window_class_init (ZzSetupWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zz_setup_window_dispose;
  object_class->finalize = zz_setup_window_finalize;
  widget_class->unrealize = zz_setup_window_unrealize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-setup-window.ui");
  g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, divisions_count_label);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, import_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, import_error);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, restore_passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, restore_progress);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, restore_error);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, unit_search);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, unit_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, chosen_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, centre_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, unit_error);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, admin_login_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, admin_name_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, admin_password_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, admin_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, admin_error);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, done_centre_label);
  gtk_widget_class_bind_template_child (widget_class, ZzSetupWindow, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_centre_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_login_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_password_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_confirm_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_admin_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "setup.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "setup.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "setup.import-shipped", NULL, import_shipped_action);
  gtk_widget_class_install_action (widget_class, "setup.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "setup.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "setup.restore", NULL, restore_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "setup.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "setup.next", NULL);
}

static void
zz_setup_window_init (ZzSetupWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Down from the search goes into the results; the entry would swallow it otherwise. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->unit_search), keys);
  gtk_search_entry_set_key_capture_widget (self->unit_search, GTK_WIDGET (self->unit_list));
}

ZzSetupWindow *
zz_setup_window_new (ZzApplication *app)
{
  ZzSetupWindow *self;

  g_return_val_if_fail (ZZ_IS_APPLICATION (app), NULL);

  self = g_object_new (ZZ_TYPE_SETUP_WINDOW, "application", app, NULL);
  self->store = g_object_ref (zz_application_get_store (app));
  show_step (self, 0);
  return self;
}
