/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-save-dialog.h"
#include "zz-gui-util.h"
#include "zz-op.h"
#include "zz-sync-view.h"
#include "zz-sync.h"

struct _ZzSyncView {
  AdwBin parent_instance;

  AdwComboRow *peer_row;
  GtkWidget *progress_box;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkWidget *result_group;
  GtkLabel *result_label;
  GtkListBox *drives_list;
  GtkListBox *peers_list;
  GtkWidget *conflicts_group;
  GtkListBox *conflicts_list;
  GtkListBox *trust_list;
  GtkListBox *refused_list;
  GtkWidget *root_group;
  GtkWidget *trust_row;
  GtkWidget *enrol_row;

  ZzApplication *app;
  ZzStore *store;
  GVolumeMonitor *monitor;
  GPtrArray *peer_ids;            /* node ids behind peer_row's entries; [0] NULL = all */
  GtkFileChooserNative *chooser;
  gboolean busy;
  char *last_written;             /* path shown as safe to remove */
  AdwMessageDialog *dialog;       /* the open trust, enrol or revoke dialog */
  char *key_text;                 /* the key file that dialog is about */
  char *key_unit;                 /* the org unit the key's node says it serves */
  GPtrArray *unit_codes;          /* codes behind the enrol dialog's drop-down */
  char *revoke_node;
};

G_DEFINE_FINAL_TYPE (ZzSyncView, zz_sync_view, ADW_TYPE_BIN)

static void refresh (ZzSyncView *self);

static GtkWindow *
parent_window (ZzSyncView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* rows only: the placeholder stays */
  while ((row = gtk_list_box_get_row_at_index (list, 0)))
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
add_placeholder (GtkListBox *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_box_set_placeholder (list, label);
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "self") == 0)
    return _("this centre");
  if (g_strcmp0 (status, "root") == 0)
    return _("trusted root");
  if (g_strcmp0 (status, "enrolled") == 0)
    return _("enrolled");
  if (g_strcmp0 (status, "revoked") == 0)
    return _("revoked");
  if (g_strcmp0 (status, "frozen") == 0)
    return _("frozen: signed two histories");
  return status;
}

/* Names people read for the tables and fields they meet most; others show their key. */
static const struct {
  const char *key;
  const char *name;
} display_names[] = {
  { "person", N_("person") },
  { "visit", N_("visit") },
  { "ticket", N_("ticket") },
  { "user", N_("user account") },
  { "department", N_("department") },
  { "window", N_("window") },
  { "name", N_("name") },
  { "phone", N_("phone") },
  { "id_number", N_("ID number") },
  { "status", N_("status") },
  { "outcome", N_("outcome") },
  { "purpose", N_("purpose") },
  { "category", N_("category") },
  { "people", N_("number of people") },
  { "note", N_("note") },
};

static const char *
display_name (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (display_names); i++)
    if (g_strcmp0 (display_names[i].key, key) == 0)
      return _(display_names[i].name);
  return key;
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

/* A county or prefecture node whose user may manage trust: it enrols and revokes nodes. */
static gboolean
may_certify (ZzSyncView *self)
{
  int level = zz_org_level (zz_store_get_node_org_unit (self->store));

  return zz_store_can (self->store, ZZ_PERM_MANAGE_TRUST) && level >= 1 && level <= 3;
}

/* ---- lists ---- */

static const char *selected_peer (ZzSyncView *self);

/* A bundle the chosen centre cannot yet read encrypted is written unencrypted (format 1): the
 * row says so before it is written. */
static void
update_format_warning (ZzSyncView *self)
{
  g_autofree char *warning = NULL;

  if (!self->store || !self->peer_ids)
    return;
  zz_sync_export_format (self->store, selected_peer (self), NULL, &warning);
  if (warning)
    {
      g_autofree char *text = g_strdup_printf (_("Not encrypted: %s"), warning);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->peer_row), text);
      gtk_widget_add_css_class (GTK_WIDGET (self->peer_row), "warning");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->peer_row),
                                   _("A bundle for one centre holds only what it lacks and may see, encrypted for it"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->peer_row), "warning");
    }
}

static void
on_peer_selected_cb (AdwComboRow *row, GParamSpec *pspec, ZzSyncView *self)
{
  update_format_warning (self);
}

static void
refresh_nodes (ZzSyncView *self)
{
  g_autoptr(GListModel) nodes = zz_sync_list_nodes (self->store);
  g_autoptr(GListModel) quarantine = zz_sync_list_quarantine (self->store);
  GtkStringList *names = gtk_string_list_new (NULL);
  guint selected = adw_combo_row_get_selected (self->peer_row);
  g_autofree char *selected_id = NULL;
  guint n_peers = 0;

  gboolean first_fill = self->peer_ids == NULL || self->peer_ids->len <= 1;

  if (self->peer_ids && selected < self->peer_ids->len && self->peer_ids->pdata[selected])
    selected_id = g_strdup (self->peer_ids->pdata[selected]);
  g_clear_pointer (&self->peer_ids, g_ptr_array_unref);
  self->peer_ids = g_ptr_array_new_with_free_func (g_free);
  /* a bundle for every centre is for this unit's own centres and those above it only */
  gtk_string_list_append (names, _("Centres of this unit and above"));
  g_ptr_array_add (self->peer_ids, NULL);
  selected = 0;

  clear_list (self->peers_list);
  clear_list (self->trust_list);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (nodes, i);
      const char *status = zz_row_get (r, "status");
      g_autofree char *title = g_strdup_printf ("%s (%s)", zz_row_get (r, "name"), zz_row_get (r, "org_unit"));
      gint64 last_import = zz_row_get_int (r, "last_import_at");
      g_autofree char *last = last_import > 0 ? zz_gui_format_time (last_import, "%Y-%m-%d %H:%M")
                                              : g_strdup (_("never"));
      GtkWidget *row;

      /* trust */
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      {
        g_autofree char *sub = g_strdup_printf (_("Fingerprint %s · last bundle %s"), zz_row_get (r, "fingerprint"),
                                                zz_row_get (r, "last_bundle") ? last : _("none"));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 badge (status_text (status),
                                        g_strcmp0 (status, "frozen") == 0 || g_strcmp0 (status, "revoked") == 0
                                        ? "locked" : "active"));
      if (may_certify (self) && (g_strcmp0 (status, "enrolled") == 0 || g_strcmp0 (status, "frozen") == 0)
          && zz_org_within (zz_row_get (r, "org_unit"), zz_store_get_node_org_unit (self->store)))
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("Re_voke…"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_name (button, "revoke_button");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sync.revoke");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", zz_row_get (r, "node_id"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (self->trust_list, row);

      if (g_strcmp0 (status, "self") == 0)
        continue;
      /* peers */
      {
        gint64 pending = zz_row_get_int (r, "pending");
        g_autofree char *sub = g_strdup_printf (ngettext ("Last exchange %s · %lld change waiting to be sent",
                                                          "Last exchange %s · %lld changes waiting to be sent",
                                                          pending), last, (long long) pending);
        row = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
        gtk_list_box_append (self->peers_list, row);
        n_peers++;
      }
      gtk_string_list_append (names, title);
      g_ptr_array_add (self->peer_ids, g_strdup (zz_row_get (r, "node_id")));
      if ((selected_id && g_strcmp0 (selected_id, zz_row_get (r, "node_id")) == 0)
          || (first_fill && selected == 0))
        selected = self->peer_ids->len - 1;   /* by default the first centre, by name */
    }
  for (guint i = 0; i < g_list_model_get_n_items (quarantine); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (quarantine, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = zz_gui_format_time (zz_row_get_int (r, "received_at"), "%Y-%m-%d %H:%M");
      g_autofree char *title = g_strdup_printf (_("Bundle received %s, awaiting a certificate"), when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), zz_row_get (r, "reason"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (_("quarantined"), "locked"));
      gtk_list_box_append (self->trust_list, row);
    }
  adw_combo_row_set_model (self->peer_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->peer_row, selected);
  g_object_unref (names);
  update_format_warning (self);
}

static void
on_keep_clicked_cb (GtkButton *button, ZzSyncView *self)
{
  g_autoptr(GError) error = NULL;
  const char *tbl = g_object_get_data (G_OBJECT (button), "tbl");
  const char *row_id = g_object_get_data (G_OBJECT (button), "row");
  const char *field = g_object_get_data (G_OBJECT (button), "field");
  const char *op = g_object_get_data (G_OBJECT (button), "op");

  if (!zz_sync_resolve (self->store, tbl, row_id, field, op, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    zz_gui_toast (GTK_WIDGET (self), _("Settled. The choice reaches every centre with the next bundles."));
  refresh (self);
}

static void
refresh_conflicts (ZzSyncView *self)
{
  g_autoptr(GListModel) rows = zz_sync_list_conflicts (self->store);
  gboolean may_resolve = zz_store_can (self->store, ZZ_PERM_RESOLVE_CONFLICTS)
                         && strlen (zz_store_get_node_org_unit (self->store)) <= 6;

  clear_list (self->conflicts_list);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = zz_gui_format_time (zz_row_get_int (r, "at"), "%Y-%m-%d %H:%M");
      const char *author = zz_row_get (r, "author_name") ? zz_row_get (r, "author_name") : zz_row_get (r, "author");
      const char *node = zz_row_get (r, "origin_name") ? zz_row_get (r, "origin_name") : zz_row_get (r, "origin");
      g_autofree char *record = zz_row_get (r, "label") ? g_strdup (zz_row_get (r, "label"))
                                : g_strdup_printf ("%.8s…", zz_row_get (r, "row_id"));
      g_autofree char *sub = NULL;

      if (zz_row_get (r, "author_name"))
        sub = g_strdup_printf (_("%s of %s (%s) · by %s at %s, %s"), display_name (zz_row_get (r, "field")), record,
                               display_name (zz_row_get (r, "tbl")), author, node ? node : _("unknown"), when);
      else
        sub = g_strdup_printf (_("%s of %s (%s) · by a user at %s, %s"), display_name (zz_row_get (r, "field")), record,
                               display_name (zz_row_get (r, "tbl")), node ? node : _("unknown"), when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (r, "value") ? zz_row_get (r, "value") : _("(empty)"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      if (zz_row_get_int (r, "winner"))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (_("shown now"), "active"));
      if (may_resolve)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Keep This Value"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "tbl", g_strdup (zz_row_get (r, "tbl")), g_free);
          g_object_set_data_full (G_OBJECT (button), "row", g_strdup (zz_row_get (r, "row_id")), g_free);
          g_object_set_data_full (G_OBJECT (button), "field", g_strdup (zz_row_get (r, "field")), g_free);
          g_object_set_data_full (G_OBJECT (button), "op", g_strdup (zz_row_get (r, "op")), g_free);
          gtk_widget_set_name (button, zz_row_get (r, "op"));
          g_signal_connect (button, "clicked", G_CALLBACK (on_keep_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (self->conflicts_list, row);
    }
}

static const char *
hold_reason (const char *reason)
{
  if (g_strcmp0 (reason, "gap") == 0)
    return _("waiting for earlier changes of the same centre");
  if (g_strcmp0 (reason, "revoked") == 0)
    return _("its key was revoked before this change");
  if (g_strcmp0 (reason, "frozen") == 0)
    return _("its centre is frozen after signing two histories");
  if (g_strcmp0 (reason, "newer") == 0)
    return _("written by a newer version of the program; applied once this installation is updated");
  if (g_strcmp0 (reason, "newer-fields") == 0)
    return _("the record is shown; its fields of a newer version are applied once this installation is updated");
  return reason;
}

static void
refresh_refused (ZzSyncView *self)
{
  g_autoptr(GListModel) rows = zz_sync_list_refused (self->store);

  clear_list (self->refused_list);
  for (guint i = 0; i < g_list_model_get_n_items (rows) && i < 200; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      gboolean refused = g_strcmp0 (zz_row_get (r, "state"), "refused") == 0;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = zz_gui_format_time (zz_row_get_int (r, "at"), "%Y-%m-%d %H:%M");
      g_autofree char *title = g_strdup_printf (_("Change %lld of node %.8s…, received %s"),
                                                (long long) zz_row_get_int (r, "seq"), zz_row_get (r, "origin"), when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), refused ? zz_row_get (r, "reason") : hold_reason (zz_row_get (r, "reason")));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (refused ? _("refused") : _("held back"), "locked"));
      gtk_list_box_append (self->refused_list, row);
    }
}

static void
refresh_drives (ZzSyncView *self)
{
  GList *mounts = g_volume_monitor_get_mounts (self->monitor);

  clear_list (self->drives_list);
  for (GList *l = mounts; l; l = l->next)
    {
      GMount *mount = l->data;
      g_autoptr(GFile) root = g_mount_get_root (mount);
      g_autofree char *path = g_file_get_path (root);
      g_autofree char *name = g_mount_get_name (mount);
      GtkWidget *row, *button;

      if (!path || (!g_mount_can_eject (mount) && !g_mount_can_unmount (mount)))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   self->last_written && g_str_has_prefix (self->last_written, path)
                                   ? _("Bundle written and verified: safe to remove") : path);
      button = gtk_button_new_with_mnemonic (_("_Write Bundle"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sync.export-to");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->drives_list, row);
    }
  g_list_free_full (mounts, g_object_unref);
}

static void
refresh_trust_actions (ZzSyncView *self)
{
  gboolean manage = zz_store_can (self->store, ZZ_PERM_MANAGE_TRUST);

  gtk_widget_set_visible (self->root_group, manage && !zz_sync_has_root (self->store));
  gtk_widget_set_visible (self->trust_row, manage);
  gtk_widget_set_visible (self->enrol_row, may_certify (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.trust", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.trust-file", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enrol", may_certify (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enrol-file", may_certify (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.revoke", may_certify (self));
}

static void
refresh (ZzSyncView *self)
{
  if (!self->store)
    return;
  refresh_trust_actions (self);
  refresh_nodes (self);
  refresh_conflicts (self);
  refresh_refused (self);
  refresh_drives (self);
}

static void
set_busy (ZzSyncView *self, gboolean busy, const char *what)
{
  self->busy = busy;
  gtk_widget_set_visible (self->progress_box, busy);
  if (busy)
    {
      gtk_label_set_text (self->progress_label, what);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.import", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.import-file", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.export-folder", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.export-to", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.email", !busy);
}

/* ---- export ---- */

static const char *
selected_peer (ZzSyncView *self)
{
  guint i = adw_combo_row_get_selected (self->peer_row);

  return self->peer_ids && i < self->peer_ids->len ? self->peer_ids->pdata[i] : NULL;
}

static char *
bundle_name (ZzSyncView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_strdup_printf ("zongzhi-%s-%s.zzb", zz_store_get_node_org_unit (self->store), stamp);
}

typedef struct {
  ZzSyncView *self;
  char *path;
  gboolean email;
} ExportData;

static void
export_data_free (ExportData *d)
{
  g_object_unref (d->self);
  g_free (d->path);
  g_free (d);
}

static void
send_by_email (ZzSyncView *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("xdg-email");
  g_autofree char *subject = g_strdup_printf (_("Sync bundle from %s"), zz_store_get_centre_name (self->store));
  const char *argv[] = { program, "--subject", subject, "--attach", path, NULL };

  if (!program)
    {
      g_set_error (&error, ZZ_ERROR, ZZ_ERROR_IO,
                   _("No mail program is set up on this computer. The bundle was saved as %s; attach it by hand."), path);
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    zz_gui_toast (GTK_WIDGET (self), _("The mail program opens with the bundle attached."));
}

static void
on_export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportData *d = user_data;
  ZzSyncView *self = d->self;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  set_busy (self, FALSE, NULL);
  if (!zz_sync_export_finish (result, &n, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else if (d->email)
    send_by_email (self, d->path);
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u change written and verified: %s",
                                                         "%u changes written and verified: %s", n), n, d->path);
      g_free (self->last_written);
      self->last_written = g_strdup (d->path);
      zz_gui_toast (GTK_WIDGET (self), text);
      refresh (self);
    }
  export_data_free (d);
}

static void
start_export (ZzSyncView *self, const char *folder, gboolean email)
{
  ExportData *d = g_new0 (ExportData, 1);
  g_autofree char *name = bundle_name (self);

  d->self = g_object_ref (self);
  d->path = g_build_filename (folder, name, NULL);
  d->email = email;
  set_busy (self, TRUE, _("Writing the bundle…"));
  zz_sync_export_async (self->store, selected_peer (self), d->path, NULL, on_export_done_cb, d);
}

static void
export_to_action (GtkWidget *widget, const char *action, GVariant *param)
{
  start_export (ZZ_SYNC_VIEW (widget), g_variant_get_string (param, NULL), FALSE);
}

static void
on_folder_chosen_cb (GtkNativeDialog *dialog, int response, ZzSyncView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      zz_file_chooser_remember_folder (path);
      if (path)
        start_export (self, path, FALSE);
    }
  g_clear_object (&self->chooser);
}

static void
export_folder_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save the Bundle in a Folder"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Save Here"), _("_Cancel"));
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_folder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
email_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (widget);
  g_autofree char *outbox = g_build_filename (g_get_user_cache_dir (), "zongzhi", "outbox", NULL);

  if (g_mkdir_with_parents (outbox, 0700) != 0)
    {
      g_autoptr(GError) error = g_error_new (ZZ_ERROR, ZZ_ERROR_IO, _("Could not create the folder %s."), outbox);
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  start_export (self, outbox, TRUE);
}

/* ---- import ---- */

static void
on_import_progress_cb (double fraction, gpointer user_data)
{
  ZzSyncView *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
}

static void
on_import_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ZzSyncView *self = user_data;
  g_autoptr(GError) error = NULL;
  ZzImportResult res = { 0 };

  set_busy (self, FALSE, NULL);
  if (!zz_sync_import_finish (result, &res, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    {
      g_autofree char *summary = zz_import_result_summary (&res);

      gtk_label_set_text (self->result_label, g_strstrip (summary));
      gtk_widget_set_visible (self->result_group, TRUE);
      zz_gui_toast (GTK_WIDGET (self), res.refused ? _("The bundle was refused; nothing was changed.")
                   : res.quarantined ? _("The bundle is kept until its sender’s certificate arrives.")
                   : _("Bundle imported."));
    }
  zz_import_result_clear (&res);
  refresh (self);
  g_object_unref (self);
}

static void
start_import (ZzSyncView *self, const char *path)
{
  if (self->busy)
    return;
  set_busy (self, TRUE, _("Checking and applying the bundle…"));
  zz_sync_import_async (self->store, path, NULL, on_import_progress_cb, self, on_import_done_cb, g_object_ref (self));
}

static void
import_file_action (GtkWidget *widget, const char *action, GVariant *param)
{
  start_import (ZZ_SYNC_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
on_file_chosen_cb (GtkNativeDialog *dialog, int response, ZzSyncView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      zz_file_chooser_remember_folder (path);
      if (path)
        start_import (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (widget);
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Sync bundles"));
  gtk_file_filter_add_pattern (filter, "*.zzb");
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Import a Bundle"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, ZzSyncView *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (!path || self->busy)
    return FALSE;
  start_import (self, path);
  return TRUE;
}

/* ---- trust: keys, roots, enrolment, revocation ---- */

/* "1A2B 3C4D …" in two lines of four groups, large, for reading aloud group by group. */
static GtkWidget *
fingerprint_label (const char *fingerprint)
{
  g_auto(GStrv) groups = g_strsplit (fingerprint, " ", -1);
  GString *text = g_string_new (NULL);
  GtkWidget *label;

  for (guint i = 0; groups[i]; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? "" : i % 4 == 0 ? "\n" : "  ", groups[i]);
  label = gtk_label_new (text->str);
  g_string_free (text, TRUE);
  gtk_widget_set_name (label, "fingerprint_label");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "title-1");
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  return label;
}

static void
forget_dialog (ZzSyncView *self)
{
  self->dialog = NULL;
  g_clear_pointer (&self->key_text, g_free);
  g_clear_pointer (&self->key_unit, g_free);
  g_clear_pointer (&self->unit_codes, g_ptr_array_unref);
  g_clear_pointer (&self->revoke_node, g_free);
}

static void
on_dialog_destroy_cb (GtkWidget *dialog, ZzSyncView *self)
{
  if (self->dialog == ADW_MESSAGE_DIALOG (dialog))
    forget_dialog (self);
}

static AdwMessageDialog *
new_dialog (ZzSyncView *self, const char *name, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, body);

  if (self->dialog)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  forget_dialog (self);
  gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroy_cb), self, 0);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  return self->dialog;
}

static char *
read_key_file (ZzSyncView *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, &error) || len > 4096)
    {
      g_autoptr(GError) e = g_error_new (ZZ_ERROR, ZZ_ERROR_FORMAT, _("“%s” is not a node’s key file."), path);
      zz_gui_error (GTK_WIDGET (self), e);
      g_free (text);
      return NULL;
    }
  return text;
}

static void
on_trust_response_cb (AdwMessageDialog *dialog, const char *response, ZzSyncView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fp = NULL;

  if (g_strcmp0 (response, "trust") == 0 && self->key_text)
    {
      /* the user compared the fingerprint shown, which is the one of this very key */
      if (!zz_sync_read_public_key_file (self->key_text, NULL, NULL, NULL, &fp, &error)
          || !zz_sync_trust_root (self->store, self->key_text, fp, &error))
        zz_gui_error (GTK_WIDGET (self), error);
      else
        zz_gui_toast (GTK_WIDGET (self), _("The key is trusted. Bundles signed by it or by the nodes it enrols are now accepted."));
      refresh (self);
    }
}

static void
show_trust_dialog (ZzSyncView *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = read_key_file (self, path);
  g_autofree char *node = NULL, *unit = NULL, *name = NULL, *fp = NULL, *where = NULL, *body = NULL;
  AdwMessageDialog *dialog;

  if (!text)
    return;
  if (!zz_sync_read_public_key_file (text, &node, &unit, &name, &fp, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  where = zz_store_org_unit_path (self->store, unit);
  body = g_strdup_printf (_("This is the key of %s (%s, %s). Ask that centre to read out its fingerprint by "
                            "telephone or in person, and compare it with the one below, group by group. "
                            "Trust it only if every group is the same."),
                          name, where && *where ? where : unit, unit);
  dialog = new_dialog (self, "trust_dialog", _("Trust This Key?"), body);
  adw_message_dialog_set_extra_child (dialog, fingerprint_label (fp));
  adw_message_dialog_add_response (dialog, "trust", _("The Fingerprints _Match"));
  adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_SUGGESTED);
  self->key_text = g_steal_pointer (&text);
  g_signal_connect (dialog, "response", G_CALLBACK (on_trust_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
trust_file_action (GtkWidget *widget, const char *action, GVariant *param)
{
  show_trust_dialog (ZZ_SYNC_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
on_enrol_response_cb (AdwMessageDialog *dialog, const char *response, ZzSyncView *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *drop = g_object_get_data (G_OBJECT (dialog), "unit_drop");
  guint i;
  gint64 serial = 0;

  if (g_strcmp0 (response, "enrol") != 0 || !self->key_text || !drop)
    return;
  i = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop));
  if (!self->unit_codes || i >= self->unit_codes->len)
    return;
  if (!zz_sync_enrol_as (self->store, self->key_text, self->unit_codes->pdata[i], &serial, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Enrolled with certificate %lld. The certificate reaches the node "
                                                "and every other centre with the next bundles."), (long long) serial);
      zz_gui_toast (GTK_WIDGET (self), msg);
    }
  refresh (self);
}

static void
on_unit_selected_cb (GtkDropDown *drop, GParamSpec *pspec, ZzSyncView *self)
{
  GtkWidget *hint = g_object_get_data (G_OBJECT (drop), "hint");
  guint i = gtk_drop_down_get_selected (drop);
  gboolean ok = self->unit_codes && i < self->unit_codes->len
                && g_strcmp0 (self->unit_codes->pdata[i], self->key_unit) == 0;

  gtk_widget_set_visible (hint, !ok);
  if (self->dialog)
    adw_message_dialog_set_response_enabled (self->dialog, "enrol", ok);
}

static void
show_enrol_dialog (ZzSyncView *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = read_key_file (self, path);
  g_autofree char *node = NULL, *unit = NULL, *name = NULL, *fp = NULL, *body = NULL, *hint_text = NULL;
  const char *own = zz_store_get_node_org_unit (self->store);
  g_autoptr(GListModel) units = NULL;
  GtkStringList *names;
  GtkWidget *box, *label, *drop, *hint;
  AdwMessageDialog *dialog;
  guint selected = 0;

  if (!text)
    return;
  if (!zz_sync_read_public_key_file (text, &node, &unit, &name, &fp, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  body = g_strdup_printf (_("%s asks to be enrolled. Compare the fingerprint below with the one shown on that "
                            "node’s sync page, and choose the org unit it serves."), name);
  dialog = new_dialog (self, "enrol_dialog", _("Enrol This Node?"), body);
  self->key_text = g_steal_pointer (&text);
  self->key_unit = g_strdup (unit);
  self->unit_codes = g_ptr_array_new_with_free_func (g_free);

  /* the townships (and county offices) of this centre's area; the node's own unit first */
  names = gtk_string_list_new (NULL);
  {
    g_autofree char *path_text = zz_store_org_unit_path (self->store, unit);
    g_autofree char *entry = g_strdup_printf ("%s (%s)", path_text && *path_text ? path_text : unit, unit);
    gtk_string_list_append (names, entry);
    g_ptr_array_add (self->unit_codes, g_strdup (unit));
  }
  units = zz_store_search_org_units (self->store, own, 500);
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (units, i);
      const char *code = zz_row_get (r, "code");
      g_autofree char *entry = NULL;

      if (!code || g_strcmp0 (code, unit) == 0 || !zz_org_within (code, own) || zz_org_level (code) > 4)
        continue;
      entry = g_strdup_printf ("%s (%s)", zz_row_get (r, "name"), code);
      gtk_string_list_append (names, entry);
      g_ptr_array_add (self->unit_codes, g_strdup (code));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), fingerprint_label (fp));
  label = gtk_label_new_with_mnemonic (_("Serves _org unit"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  drop = gtk_drop_down_new (G_LIST_MODEL (names), NULL);   /* takes the list */
  gtk_widget_set_name (drop, "unit_drop");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), drop);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), selected);
  gtk_box_append (GTK_BOX (box), drop);
  hint_text = g_strdup_printf (_("The node was set up to serve %s; its changes to records of another unit would be "
                                 "refused. Choose %s, or set the node up again."), unit, unit);
  hint = gtk_label_new (hint_text);
  gtk_widget_set_name (hint, "unit_hint");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "error");
  gtk_widget_set_visible (hint, FALSE);
  gtk_box_append (GTK_BOX (box), hint);
  g_object_set_data (G_OBJECT (drop), "hint", hint);
  g_object_set_data (G_OBJECT (dialog), "unit_drop", drop);
  g_signal_connect (drop, "notify::selected", G_CALLBACK (on_unit_selected_cb), self);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_response (dialog, "enrol", _("_Enrol"));
  adw_message_dialog_set_response_appearance (dialog, "enrol", ADW_RESPONSE_SUGGESTED);
  g_signal_connect (dialog, "response", G_CALLBACK (on_enrol_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
enrol_file_action (GtkWidget *widget, const char *action, GVariant *param)
{
  show_enrol_dialog (ZZ_SYNC_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
on_key_chosen_cb (GtkNativeDialog *dialog, int response, ZzSyncView *self)
{
  gboolean enrol = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "enrol"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      zz_file_chooser_remember_folder (path);
      if (path && enrol)
        show_enrol_dialog (self, path);
      else if (path)
        show_trust_dialog (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_key (ZzSyncView *self, const char *title, gboolean enrol)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Node keys"));
  gtk_file_filter_add_pattern (filter, "*.pub");
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, parent_window (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_object_set_data (G_OBJECT (self->chooser), "enrol", GINT_TO_POINTER (enrol));
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_key_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
trust_action (GtkWidget *widget, const char *action, GVariant *param)
{
  choose_key (ZZ_SYNC_VIEW (widget), _("Choose the County’s Key File"), FALSE);
}

static void
enrol_action (GtkWidget *widget, const char *action, GVariant *param)
{
  choose_key (ZZ_SYNC_VIEW (widget), _("Choose the Node’s Key File"), TRUE);
}

static void
save_key_to (ZzSyncView *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = zz_sync_public_key_file (self->store);
  g_autofree char *fp = zz_store_get_fingerprint (self->store);

  if (!g_file_set_contents (path, text, -1, &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Key saved as %s. Its fingerprint is %s."), path, fp);
      zz_gui_toast (GTK_WIDGET (self), msg);
    }
}

static void
save_key_file_action (GtkWidget *widget, const char *action, GVariant *param)
{
  save_key_to (ZZ_SYNC_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
on_key_save_cb (GtkNativeDialog *dialog, int response, ZzSyncView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      zz_file_chooser_remember_folder (path);
      if (path)
        save_key_to (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
save_key_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (widget);
  g_autofree char *name = g_strdup_printf ("zongzhi-%s.pub", zz_store_get_node_org_unit (self->store));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save This Centre’s Key"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* The folder comes before the name: setting a folder clears the name typed so far. */
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (self->chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_key_save_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_revoke_response_cb (AdwMessageDialog *dialog, const char *response, ZzSyncView *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *spin = g_object_get_data (G_OBJECT (dialog), "seq_spin");

  if (g_strcmp0 (response, "revoke") != 0 || !self->revoke_node || !spin)
    return;
  if (!zz_sync_revoke (self->store, self->revoke_node,
                       (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    zz_gui_toast (GTK_WIDGET (self), _("Key revoked. The revocation reaches every centre with the next bundles."));
  refresh (self);
}

static void
revoke_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (widget);
  const char *node_id = g_variant_get_string (param, NULL);
  g_autoptr(GListModel) nodes = zz_sync_list_nodes (self->store);
  g_autofree char *body = NULL;
  const char *name = NULL;
  gint64 held = 0, fork = 0;
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *spin;

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (nodes, i);
      if (g_strcmp0 (zz_row_get (r, "node_id"), node_id) == 0)
        {
          name = g_intern_string (zz_row_get (r, "name"));
          held = zz_row_get_int (r, "held_seq");
          fork = zz_row_get_int (r, "frozen_seq");
        }
    }
  if (!name)
    return;
  if (fork > 0)
    {
      /* a frozen node signed two histories from change @fork on: keep what came before, and
       * enrol its installation again under a new key */
      body = g_strdup_printf (_("%s signed two different changes numbered %lld, so it is frozen. Revoke its key "
                                "after change %lld: its changes up to there stay valid, and no later change of "
                                "that key is applied on any centre that receives the revocation. Then set that "
                                "installation up again and enrol its new key."),
                              name, (long long) fork, (long long) (fork - 1));
      held = fork - 1;
    }
  else
    body = g_strdup_printf (_("Changes signed by %s after the number below are held for review on every centre "
                              "that receives the revocation, never applied; changes up to it stay valid. This "
                              "centre holds its changes up to number %lld. Choose the last change known to be "
                              "genuine, such as the last one before a laptop was lost."), name, (long long) held);
  dialog = new_dialog (self, "revoke_dialog", _("Revoke This Node’s Key?"), body);
  self->revoke_node = g_strdup (node_id);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  label = gtk_label_new_with_mnemonic (_("_Last valid change"));
  spin = gtk_spin_button_new_with_range (0, (double) G_MAXINT32, 1);
  gtk_widget_set_name (spin, "seq_spin");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) held);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  g_object_set_data (G_OBJECT (dialog), "seq_spin", spin);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_response (dialog, "revoke", _("_Revoke"));
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_revoke_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- class ---- */

static void
zz_sync_view_dispose (GObject *object)
{
  ZzSyncView *self = ZZ_SYNC_VIEW (object);

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->peer_ids, g_ptr_array_unref);
  g_clear_pointer (&self->last_written, g_free);
  if (self->dialog)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
    }
  forget_dialog (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_SYNC_VIEW);
  G_OBJECT_CLASS (zz_sync_view_parent_class)->dispose (object);
}

static void
zz_sync_view_class_init (ZzSyncViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_sync_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-sync-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, peer_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, result_group);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, result_label);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, drives_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, peers_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, trust_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, refused_list);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, root_group);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, trust_row);
  gtk_widget_class_bind_template_child (widget_class, ZzSyncView, enrol_row);

  gtk_widget_class_install_action (widget_class, "sync.export-folder", NULL, export_folder_action);
  gtk_widget_class_install_action (widget_class, "sync.export-to", "s", export_to_action);
  gtk_widget_class_install_action (widget_class, "sync.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "sync.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "sync.import-file", "s", import_file_action);
  gtk_widget_class_install_action (widget_class, "sync.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "sync.trust-file", "s", trust_file_action);
  gtk_widget_class_install_action (widget_class, "sync.enrol", NULL, enrol_action);
  gtk_widget_class_install_action (widget_class, "sync.enrol-file", "s", enrol_file_action);
  gtk_widget_class_install_action (widget_class, "sync.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "sync.save-key", NULL, save_key_action);
  gtk_widget_class_install_action (widget_class, "sync.save-key-file", "s", save_key_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "sync.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "sync.export-folder", NULL);
}

static void
zz_sync_view_init (ZzSyncView *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->peer_row, "notify::selected", G_CALLBACK (on_peer_selected_cb), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  add_placeholder (self->drives_list, _("No removable drive is plugged in."));
  add_placeholder (self->peers_list, _("No bundle has been exchanged yet."));
  add_placeholder (self->conflicts_list, _("No conflicting values."));
  add_placeholder (self->trust_list, _("No keys are known yet."));
  add_placeholder (self->refused_list, _("No change has been refused or held back."));
}

static void
on_mounts_changed_cb (GVolumeMonitor *monitor, GMount *mount, ZzSyncView *self)
{
  refresh_drives (self);
}

static void
on_store_changed_cb (ZzSyncView *self, const char *table)
{
  refresh_conflicts (self);
}

void
zz_sync_view_setup (ZzSyncView *self, ZzApplication *app)
{
  g_return_if_fail (ZZ_IS_SYNC_VIEW (self));

  self->app = app;
  self->store = zz_application_get_store (app);
  self->monitor = g_volume_monitor_get ();
  g_signal_connect (self->monitor, "mount-added", G_CALLBACK (on_mounts_changed_cb), self);
  g_signal_connect (self->monitor, "mount-removed", G_CALLBACK (on_mounts_changed_cb), self);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  refresh (self);
}
