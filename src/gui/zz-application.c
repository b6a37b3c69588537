/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-application"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-application.h"
#include "zz-error.h"
#include "zz-backup.h"
#include "zz-login-window.h"
#include "zz-preferences-window.h"
#include "zz-setup-window.h"
#include "zz-window.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

struct _ZzApplication {
  AdwApplication parent_instance;

  char *db_path;
  ZzStore *store;
  GSettings *settings;
  GCancellable *check;        /* the background check of the file after an unclean exit */

  guint backup_timer;
  gboolean backing_up;
  GVolumeMonitor *volumes;
};

#define BACKUP_FOLDER_ON_DRIVE "Zongzhi backups"
#define BACKUP_EVERY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

enum {
  BACKUP_CHANGED,
  N_APP_SIGNALS
};

static guint app_signals[N_APP_SIGNALS];

G_DEFINE_FINAL_TYPE (ZzApplication, zz_application, ADW_TYPE_APPLICATION)

static char *
default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "zongzhi", "zongzhi.db", NULL);
}

/* ---- windows that fit the screen ---- */

static void on_window_default_size_cb (GtkWindow *window, GParamSpec *pspec, gpointer user_data);

static void
on_window_realize_cb (GtkWindow *window,
                      gpointer   user_data)
{
  /* Now the monitor the window opens on is known. */
  on_window_default_size_cb (window, NULL, NULL);
}

/* The area a window may use on the monitor of @window (or of its parent, or the first one): the
 * work area on X11 (without panels), the whole monitor elsewhere. FALSE when nothing is known. */
static gboolean
usable_area (GtkWindow *window, GdkRectangle *area)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GtkWindow *parent = gtk_window_get_transient_for (window);
  GdkSurface *surface = NULL;
  g_autoptr(GdkMonitor) first = NULL;
  GdkMonitor *monitor = NULL;

  if (gtk_native_get_surface (GTK_NATIVE (window)))
    surface = gtk_native_get_surface (GTK_NATIVE (window));
  else if (parent && gtk_native_get_surface (GTK_NATIVE (parent)))
    surface = gtk_native_get_surface (GTK_NATIVE (parent));
  if (surface)
    monitor = gdk_display_get_monitor_at_surface (display, surface);
  if (!monitor)
    {
      first = g_list_model_get_item (gdk_display_get_monitors (display), 0);
      monitor = first;
    }
  if (!monitor)
    return FALSE;
  gdk_monitor_get_geometry (monitor, area);
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_MONITOR (monitor))
    gdk_x11_monitor_get_workarea (monitor, area);
#endif
  return area->width > 0 && area->height > 0;
}

/* A default size asked for by a window (a remembered size, a dialog's generous size) never
 * exceeds the screen: on a 1024×600 laptop a 640×760 form would open with its buttons below the
 * screen's edge. The window's content scrolls instead. */
static void
on_window_default_size_cb (GtkWindow  *window,
                           GParamSpec *pspec,
                           gpointer    user_data)
{
  GdkRectangle area;
  int width, height;

  if (!usable_area (window, &area))
    return;
  gtk_window_get_default_size (window, &width, &height);
  if (width > area.width || height > area.height)
    gtk_window_set_default_size (window, width > area.width ? area.width : width,
                                 height > area.height ? area.height : height);
}

static void
on_toplevels_changed_cb (GListModel *toplevels,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), "zz-fits-screen"))
        continue;
      g_object_set_data (G_OBJECT (window), "zz-fits-screen", GINT_TO_POINTER (TRUE));
      g_signal_connect (window, "notify::default-width", G_CALLBACK (on_window_default_size_cb), NULL);
      g_signal_connect (window, "notify::default-height", G_CALLBACK (on_window_default_size_cb), NULL);
      g_signal_connect_after (window, "realize", G_CALLBACK (on_window_realize_cb), NULL);
    }
}

static void
close_all_windows (ZzApplication *self, GtkWindow *except)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l; l = l->next)
    if (l->data != except)
      gtk_window_destroy (l->data);
  g_list_free (windows);
}

static void
show_fatal (ZzApplication *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, heading, body);

  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_login (ZzApplication *self)
{
  GtkWindow *login;

  close_all_windows (self, NULL);
  login = GTK_WINDOW (zz_login_window_new (self));
  gtk_window_present (login);
}

static void
on_setup_completed_cb (ZzSetupWindow *window, ZzApplication *self)
{
  show_login (self);
}

/* The check after an unclean exit ends: a damaged file is said at once, over whatever window is
 * up; a sound one with a toast when the main window is. */
static void
on_file_checked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(ZzApplication) self = data;
  g_autoptr(GError) error = NULL;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (zz_store_check_file_finish (result, &error))
    {
      if (ZZ_IS_WINDOW (active))
        zz_window_toast (ZZ_WINDOW (active), _("The database was checked after the unclean exit: no damage found."),
                         NULL, NULL, NULL);
      return;
    }
  if (g_error_matches (error, ZZ_ERROR, ZZ_ERROR_CANCELLED))
    return;
  {
    GtkWidget *dialog = adw_message_dialog_new (active, _("The database file is damaged"), error->message);

    gtk_widget_set_name (dialog, "zz-damaged-dialog");
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
    gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
    gtk_window_present (GTK_WINDOW (dialog));
  }
}

static void
check_after_unclean_exit (ZzApplication *self)
{
  if (self->check != NULL || !zz_store_was_unclean (self->store))
    return;
  self->check = g_cancellable_new ();
  zz_store_check_file_async (zz_store_get_path (self->store), self->check, on_file_checked_cb,
                             g_object_ref (self));
}

/* ---- backups ---- */

char *
zz_application_get_backup_folder (ZzApplication *self)
{
  g_autofree char *chosen = self->store ? zz_backup_get_folder (self->store) : NULL;
  g_autofree char *dir = NULL;

  if (chosen)
    return g_steal_pointer (&chosen);
  dir = g_path_get_dirname (self->db_path);
  return g_build_filename (dir, "backups", NULL);
}

void
zz_application_backup_changed (ZzApplication *self)
{
  g_signal_emit (self, app_signals[BACKUP_CHANGED], 0);
}

/* Folders on plugged-in removable drives. */
static GPtrArray *
drive_folders (ZzApplication *self)
{
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_free);
  GList *mounts;

  if (!self->volumes)
    return folders;
  mounts = g_volume_monitor_get_mounts (self->volumes);
  for (GList *l = mounts; l; l = l->next)
    {
      GMount *mount = l->data;
      g_autoptr(GDrive) drive = g_mount_get_drive (mount);
      g_autoptr(GFile) root = g_mount_get_root (mount);
      g_autofree char *path = g_file_get_path (root);

      if (path && drive && g_drive_is_removable (drive) && !g_mount_is_shadowed (mount))
        g_ptr_array_add (folders, g_build_filename (path, BACKUP_FOLDER_ON_DRIVE, NULL));
    }
  g_list_free_full (mounts, g_object_unref);
  return folders;
}

typedef struct {
  char *db_path;
  char *passphrase;
  GPtrArray *folders;   /* the first is the backup folder */
} BackupJob;

static void
backup_job_free (gpointer p)
{
  BackupJob *job = p;

  g_free (job->db_path);
  if (job->passphrase)
    memset (job->passphrase, 0, strlen (job->passphrase));
  g_free (job->passphrase);
  g_ptr_array_unref (job->folders);
  g_free (job);
}

static void
backup_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  BackupJob *job = data;
  GError *error = NULL;
  char *first = NULL;

  for (guint i = 0; i < job->folders->len; i++)
    {
      g_autoptr(GError) local = NULL;
      char *path = zz_backup_to_folder (job->db_path, job->folders->pdata[i], job->passphrase,
                                        g_get_real_time () / 1000, NULL, NULL, cancellable, &local);
      if (i == 0)
        {
          first = path;
          if (!path)
            error = g_steal_pointer (&local);
        }
      else
        {
          if (local)
            g_message ("backup to %s: %s", (char *) job->folders->pdata[i], local->message);
          g_free (path);
        }
    }
  if (first)
    g_task_return_pointer (task, first, g_free);
  else
    g_task_return_error (task, error);
}

typedef struct {
  GAsyncReadyCallback callback;
  gpointer user_data;
} BackupCall;

static void
backup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ZzApplication *self = ZZ_APPLICATION (source);
  BackupCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  self->backing_up = FALSE;
  if (path && self->store)
    zz_backup_set_last_time (self->store, g_get_real_time () / 1000);
  if (error)
    g_message ("backup: %s", error->message);
  zz_application_backup_changed (self);
  if (call->callback)
    {
      /* the caller's own result: this one has been read */
      g_autoptr(GTask) outer = g_task_new (self, NULL, call->callback, call->user_data);
      if (path)
        g_task_return_pointer (outer, g_strdup (path), g_free);
      else
        g_task_return_error (outer, g_steal_pointer (&error));
    }
  g_free (call);
  g_application_release (G_APPLICATION (self));
}

void
zz_application_backup_async (ZzApplication       *self,
                             ZzProgressFunc       progress,
                             gpointer             progress_data,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  BackupCall *call = g_new0 (BackupCall, 1);
  g_autoptr(GTask) task = NULL;
  BackupJob *job;
  g_autoptr(GPtrArray) drives = NULL;

  call->callback = callback;
  call->user_data = user_data;
  task = g_task_new (self, NULL, backup_done_cb, call);
  g_task_set_source_tag (task, zz_application_backup_async);
  if (!self->store || !zz_store_has_node (self->store) || self->backing_up)
    {
      g_application_hold (G_APPLICATION (self));
      g_task_return_new_error (task, ZZ_ERROR, ZZ_ERROR_STATE, "%s",
                               self->backing_up ? _("A backup is being written; please wait.")
                                                : _("There is nothing to back up yet."));
      return;
    }
  job = g_new0 (BackupJob, 1);
  job->db_path = g_strdup (self->db_path);
  job->passphrase = zz_backup_load_passphrase (self->db_path);
  job->folders = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->folders, zz_application_get_backup_folder (self));
  /* a drive leaves the office: only encrypted backups go there */
  if (job->passphrase)
    {
      drives = drive_folders (self);
      for (guint i = 0; i < drives->len; i++)
        g_ptr_array_add (job->folders, g_strdup (drives->pdata[i]));
    }
  self->backing_up = TRUE;
  /* the application (quitting, say) waits for the backup to be written */
  g_application_hold (G_APPLICATION (self));
  g_task_set_task_data (task, job, backup_job_free);
  g_task_run_in_thread (task, backup_thread);
}

static gboolean
on_backup_timer_cb (gpointer user_data)
{
  ZzApplication *self = user_data;

  if (self->store && zz_store_has_node (self->store)
      && g_get_real_time () / 1000 - zz_backup_get_last_time (self->store) >= BACKUP_EVERY_MS)
    zz_application_backup_async (self, NULL, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* The main window goes at logout and at quit: a backup then. */
static void
on_window_removed_cb (GtkApplication *app, GtkWindow *window, gpointer user_data)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (window), "ZzWindow"))
    zz_application_backup_async (ZZ_APPLICATION (app), NULL, NULL, NULL, NULL);
}

/* A drive plugged in gets a backup (encrypted ones only: see zz_application_backup_async). */
static void
on_mount_added_cb (GVolumeMonitor *monitor, GMount *mount, gpointer user_data)
{
  ZzApplication *self = user_data;
  g_autofree char *passphrase = self->db_path ? zz_backup_load_passphrase (self->db_path) : NULL;
  g_autoptr(GDrive) drive = g_mount_get_drive (mount);

  if (passphrase && drive && g_drive_is_removable (drive) && self->store && zz_store_has_node (self->store))
    zz_application_backup_async (self, NULL, NULL, NULL, NULL);
}

typedef struct {
  char *file;
  char *passphrase;
} RestoreCall;

static void
restore_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ZzApplication *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;

  zz_backup_restore_finish (result, &error);
  self->store = zz_store_open (self->db_path, &open_error);
  if (error)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!self->store)
    g_task_return_error (task, g_steal_pointer (&open_error));
  else
    {
      g_task_return_boolean (task, TRUE);
      show_login (self);
    }
}

void
zz_application_restore_async (ZzApplication       *self,
                              const char          *file,
                              const char          *passphrase,
                              ZzProgressFunc       progress,
                              gpointer             progress_data,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, zz_application_restore_async);
  if (self->store && zz_store_has_node (self->store))
    {
      g_task_return_new_error (task, ZZ_ERROR, ZZ_ERROR_STATE, "%s",
                               _("This computer is already set up; nothing was restored."));
      g_object_unref (task);
      return;
    }
  /* the empty database is closed (the set-up window let go of it) and replaced */
  g_clear_object (&self->store);
  zz_backup_restore_async (file, self->db_path, passphrase, ZZ_RESTORE_REPLACE_EMPTY, progress, progress_data,
                           NULL, restore_done_cb, task);
}

gboolean
zz_application_restore_finish (ZzApplication *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
zz_application_start (ZzApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ZZ_IS_APPLICATION (self));

  if (gtk_application_get_active_window (GTK_APPLICATION (self)))
    {
      gtk_window_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
      return;
    }
  if (!self->store)
    {
      if (!self->db_path)
        self->db_path = default_db_path ();
      self->store = zz_store_open (self->db_path, &error);
      if (!self->store)
        {
          show_fatal (self, _("The database cannot be opened"), error->message);
          return;
        }
    }
  check_after_unclean_exit (self);
  if (!zz_store_has_node (self->store))
    {
      ZzSetupWindow *setup = zz_setup_window_new (self);
      g_signal_connect (setup, "completed", G_CALLBACK (on_setup_completed_cb), self);
      gtk_window_present (GTK_WINDOW (setup));
      return;
    }
  show_login (self);
}

void
zz_application_show_main (ZzApplication *self)
{
  GtkWindow *window = GTK_WINDOW (zz_window_new (self));

  gtk_window_present (window);
  close_all_windows (self, window);
}

void
zz_application_logout (ZzApplication *self)
{
  zz_store_logout (self->store);
  show_login (self);
}

ZzStore *
zz_application_get_store (ZzApplication *self)
{
  g_return_val_if_fail (ZZ_IS_APPLICATION (self), NULL);
  return self->store;
}

GSettings *
zz_application_get_settings (ZzApplication *self)
{
  g_return_val_if_fail (ZZ_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
zz_application_activate (GApplication *app)
{
  zz_application_start (ZZ_APPLICATION (app));
}

static int
zz_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  ZzApplication *self = ZZ_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &db) && db && *db)
    {
      g_free (self->db_path);
      self->db_path = g_canonicalize_filename (db, NULL);
    }
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("zongzhi %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ZzApplication *self = user_data;
  const char *developers[] = { "Zongzhi developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Zongzhi Workbench"),
                        "application-icon", APP_ID,
                        "developer-name", _("Zongzhi developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Reception, cases, mediation and risk households for the four levels of "
                                      "comprehensive governance centres. Works offline; centres reconcile by "
                                      "signed change bundles."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ZzApplication *self = user_data;
  GtkWindow *prefs = GTK_WINDOW (zz_preferences_window_new (self));

  gtk_window_set_transient_for (prefs, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (prefs);
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  close_all_windows (ZZ_APPLICATION (user_data), NULL);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
zz_application_startup (GApplication *app)
{
  ZzApplication *self = ZZ_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (zz_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect (app, "window-removed", G_CALLBACK (on_window_removed_cb), NULL);
  self->backup_timer = g_timeout_add_seconds (3600, on_backup_timer_cb, self);
  self->volumes = g_volume_monitor_get ();
  g_signal_connect_object (self->volumes, "mount-added", G_CALLBACK (on_mount_added_cb), self, 0);
  gtk_window_set_default_icon_name (APP_ID);
  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed",
                           G_CALLBACK (on_toplevels_changed_cb), self, 0);
}

static void
zz_application_shutdown (GApplication *app)
{
  ZzApplication *self = ZZ_APPLICATION (app);

  if (self->check)
    g_cancellable_cancel (self->check);
  G_APPLICATION_CLASS (zz_application_parent_class)->shutdown (app);
}

static void
zz_application_finalize (GObject *object)
{
  ZzApplication *self = ZZ_APPLICATION (object);

  g_clear_object (&self->check);
  g_clear_handle_id (&self->backup_timer, g_source_remove);
  g_clear_object (&self->volumes);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_free (self->db_path);
  G_OBJECT_CLASS (zz_application_parent_class)->finalize (object);
}

static void
zz_application_class_init (ZzApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = zz_application_finalize;
  app_class->activate = zz_application_activate;
  app_class->startup = zz_application_startup;
  app_class->shutdown = zz_application_shutdown;
  app_class->handle_local_options = zz_application_handle_local_options;

  app_signals[BACKUP_CHANGED] = g_signal_new ("backup-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
zz_application_init (ZzApplication *self)
{
  const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The database file to open"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

ZzApplication *
zz_application_new (const char *db_path)
{
  ZzApplication *self = g_object_new (ZZ_TYPE_APPLICATION,
                                      "application-id", APP_ID,
                                      "flags", G_APPLICATION_NON_UNIQUE,
                                      "resource-base-path", "/org/zongzhi/Workbench",
                                      NULL);
  self->db_path = g_strdup (db_path);
  return self;
}
