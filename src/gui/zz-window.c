/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-admin-view.h"
#include "zz-cases-view.h"
#include "zz-mediation-view.h"
#include "zz-stats-view.h"
#include "zz-desk-view.h"
#include "zz-households-view.h"
#include "zz-sync-view.h"
#include "zz-backup.h"
#include "zz-window.h"

struct _ZzWindow {
  AdwApplicationWindow parent_instance;

  GtkStack *lock_stack;
  AdwToastOverlay *toast_overlay;
  AdwViewStack *view_stack;
  AdwViewStackPage *admin_page;
  AdwViewStackPage *sync_page;
  ZzSyncView *sync_view;
  ZzDeskView *desk_view;
  ZzAdminView *admin_view;
  AdwViewStackPage *households_page;
  ZzHouseholdsView *households_view;
  AdwViewStackPage *cases_page;
  ZzCasesView *cases_view;
  AdwViewStackPage *mediation_page;
  ZzMediationView *mediation_view;
  AdwViewStackPage *stats_page;
  ZzStatsView *stats_view;
  GtkLabel *user_label;
  AdwViewSwitcherTitle *switcher_title;
  AdwStatusPage *lock_page;
  AdwPasswordEntryRow *unlock_row;
  GtkLabel *unlock_error;

  gint64 last_activity;
  guint idle_source;
  char *centre_name;
  GtkWidget *shown_page;   /* unowned: the page the focus was last kept for */
  GWeakRef focus_before_lock;
  int position_before_lock;
};

G_DEFINE_FINAL_TYPE (ZzWindow, zz_window, ADW_TYPE_APPLICATION_WINDOW)

static ZzApplication *
get_app (ZzWindow *self)
{
  return ZZ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

ZzWindow *
zz_window_for (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return ZZ_IS_WINDOW (root) ? ZZ_WINDOW (root) : NULL;
}

/* ---- toasts ---- */

typedef struct {
  GCallback cb;
  gpointer data;
  GDestroyNotify destroy;
} UndoClosure;

static void
undo_closure_free (gpointer p)
{
  UndoClosure *u = p;

  if (u->destroy)
    u->destroy (u->data);
  g_free (u);
}

static void
on_toast_button_clicked_cb (AdwToast *toast, gpointer user_data)
{
  UndoClosure *u = g_object_get_data (G_OBJECT (toast), "undo");

  if (u && u->cb)
    ((void (*) (gpointer)) u->cb) (u->data);
}

void
zz_window_toast (ZzWindow      *self,
                 const char    *title,
                 GCallback      undo_cb,
                 gpointer       undo_data,
                 GDestroyNotify undo_destroy)
{
  AdwToast *toast = adw_toast_new (title);

  if (undo_cb)
    {
      UndoClosure *u = g_new0 (UndoClosure, 1);
      u->cb = undo_cb;
      u->data = undo_data;
      u->destroy = undo_destroy;
      g_object_set_data_full (G_OBJECT (toast), "undo", u, undo_closure_free);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect (toast, "button-clicked", G_CALLBACK (on_toast_button_clicked_cb), NULL);
      adw_toast_set_timeout (toast, 8);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
zz_window_error (ZzWindow *self, const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- title ---- */

/* The window's title names the page shown (or that the session is locked) before the centre, as
 * the task bar and window list show it. */
static void
update_title (ZzWindow *self)
{
  const char *what = NULL;
  g_autofree char *title = NULL;

  if (zz_window_is_locked (self))
    what = _("Locked");
  else
    {
      GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);
      if (child)
        what = adw_view_stack_page_get_title (adw_view_stack_get_page (self->view_stack, child));
    }
  if (!self->centre_name)
    return;
  /* Translators: the window title: the page shown, then the centre's name */
  title = what ? g_strdup_printf (_("%s — %s"), what, self->centre_name) : g_strdup (self->centre_name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ---- focus follows the page ---- */

static void
weak_ref_free (gpointer p)
{
  g_weak_ref_clear (p);
  g_free (p);
}

/* Gives the focus back to @widget as it was: a field keeps its text unselected, with the cursor
 * at @position (-1: where it was), so that typing goes on instead of replacing what was typed. */
static gboolean
give_focus_back (GtkWidget *widget, int position)
{
  if (!gtk_widget_is_sensitive (widget) || !gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_TEXT (widget))
    {
      int at = position >= 0 ? position : gtk_editable_get_position (GTK_EDITABLE (widget));
      if (!gtk_text_grab_focus_without_selecting (GTK_TEXT (widget)))
        return FALSE;
      gtk_editable_select_region (GTK_EDITABLE (widget), at, at);
      return TRUE;
    }
  return gtk_widget_grab_focus (widget);
}

/* The keys typed after switching pages (Alt+digit, or a click on the switcher) go to the page
 * shown: the focus moves to where it was last on that page, or to its first field. Without this
 * it stayed in the hidden page, and Ctrl+N on the case list cleared the desk's form instead. */
static void
on_visible_page_changed_cb (ZzWindow *self)
{
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GWeakRef *last;
  g_autoptr(GtkWidget) remembered = NULL;

  update_title (self);
  if (page == self->shown_page)
    return;
  if (self->shown_page && focus && gtk_widget_is_ancestor (focus, self->shown_page))
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, focus);
      g_object_set_data_full (G_OBJECT (self->shown_page), "zz-last-focus", ref, weak_ref_free);
    }
  self->shown_page = page;
  if (!page || zz_window_is_locked (self))
    return;
  last = g_object_get_data (G_OBJECT (page), "zz-last-focus");
  remembered = last ? g_weak_ref_get (last) : NULL;
  if (remembered && gtk_widget_is_ancestor (remembered, page) && give_focus_back (remembered, -1))
    return;
  if (focus && gtk_widget_is_ancestor (focus, page))
    return;
  if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (page);
}

/* The page a user lands on after logging in gets the focus once the window is on screen: before
 * it is mapped no child can take it, and the keys went to the header, so a mediator landing on
 * the case list could not press Ctrl+N. */
static void
on_map_focus_page_cb (ZzWindow *self)
{
  self->shown_page = NULL;
  on_visible_page_changed_cb (self);
}

/* ---- idle lock ---- */

static void
note_activity (ZzWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

/* "key-pressed" returns gboolean: a void handler here leaves the return register to chance, and
 * at -O2 it read as TRUE and swallowed every key of the window. */
static gboolean
on_key_activity_cb (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    ZzWindow              *self)
{
  note_activity (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_motion_activity_cb (GtkEventControllerMotion *controller,
                       double                    x,
                       double                    y,
                       ZzWindow                 *self)
{
  note_activity (self);
}

static void
on_click_activity_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      ZzWindow        *self)
{
  note_activity (self);
}

gboolean
zz_window_is_locked (ZzWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->lock_stack), "locked") == 0;
}

void
zz_window_lock (ZzWindow *self)
{
  if (zz_window_is_locked (self))
    return;
  /* Where the person was typing, to go on there once unlocked. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
    g_weak_ref_set (&self->focus_before_lock, focus);
    self->position_before_lock = focus && GTK_IS_EDITABLE (focus) ? gtk_editable_get_position (GTK_EDITABLE (focus)) : -1;
  }
  gtk_editable_set_text (GTK_EDITABLE (self->unlock_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->unlock_error), FALSE);
  gtk_stack_set_visible_child_name (self->lock_stack, "locked");
  gtk_widget_grab_focus (GTK_WIDGET (self->unlock_row));
  update_title (self);
}

gboolean
zz_window_check_idle (ZzWindow *self, gint64 now_us)
{
  guint minutes = g_settings_get_uint (zz_application_get_settings (get_app (self)), "idle-lock-minutes");

  if (minutes > 0 && now_us - self->last_activity > (gint64) minutes * 60 * G_USEC_PER_SEC)
    zz_window_lock (self);
  return zz_window_is_locked (self);
}

static gboolean
check_idle_cb (gpointer user_data)
{
  zz_window_check_idle (user_data, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

static void
unlock (ZzWindow *self)
{
  g_autoptr(GError) error = NULL;
  ZzStore *store = zz_application_get_store (get_app (self));

  if (!zz_store_verify_password (store, gtk_editable_get_text (GTK_EDITABLE (self->unlock_row)), &error))
    {
      gtk_label_set_text (self->unlock_error, error ? error->message : _("Wrong password."));
      gtk_widget_set_visible (GTK_WIDGET (self->unlock_error), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->unlock_row), "");
      if (error && error->code == ZZ_ERROR_LOCKED)
        zz_application_logout (get_app (self));
      return;
    }
  note_activity (self);
  gtk_editable_set_text (GTK_EDITABLE (self->unlock_row), "");
  gtk_stack_set_visible_child_name (self->lock_stack, "main");
  update_title (self);
  /* Typing goes on where it was, without the half-typed text selected (and replaced by the next
   * key). */
  {
    g_autoptr(GtkWidget) before = g_weak_ref_get (&self->focus_before_lock);
    if (!before || !gtk_widget_is_ancestor (before, GTK_WIDGET (self->view_stack))
        || !give_focus_back (before, self->position_before_lock))
      {
        GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);
        if (page)
          gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
      }
    g_weak_ref_set (&self->focus_before_lock, NULL);
  }
}

static void
on_unlock_activate_cb (ZzWindow *self)
{
  unlock (self);
}

static void
unlock_action (GtkWidget *widget, const char *name, GVariant *param)
{
  unlock (ZZ_WINDOW (widget));
}

static void
lock_action (GtkWidget *widget, const char *name, GVariant *param)
{
  zz_window_lock (ZZ_WINDOW (widget));
}

static void
logout_action (GtkWidget *widget, const char *name, GVariant *param)
{
  zz_application_logout (get_app (ZZ_WINDOW (widget)));
}

static void
show_view_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzWindow *self = ZZ_WINDOW (widget);
  const char *view = g_variant_get_string (param, NULL);

  if (zz_window_is_locked (self))
    return;
  if (adw_view_stack_get_child_by_name (self->view_stack, view)
      && gtk_widget_get_visible (adw_view_stack_get_child_by_name (self->view_stack, view)))
    adw_view_stack_set_visible_child_name (self->view_stack, view);
}

/* ---- window state ---- */

static gboolean
zz_window_close_request (GtkWindow *window)
{
  ZzWindow *self = ZZ_WINDOW (window);
  GSettings *settings = zz_application_get_settings (get_app (self));
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (zz_window_parent_class)->close_request (window);
}

static void
zz_window_dispose (GObject *object)
{
  ZzWindow *self = ZZ_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_WINDOW);
  G_OBJECT_CLASS (zz_window_parent_class)->dispose (object);
}

static void
zz_window_finalize (GObject *object)
{
  ZzWindow *self = ZZ_WINDOW (object);

  g_free (self->centre_name);
  g_weak_ref_clear (&self->focus_before_lock);
  G_OBJECT_CLASS (zz_window_parent_class)->finalize (object);
}

static void
zz_window_class_init (ZzWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = zz_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = zz_window_close_request;

  g_type_ensure (ZZ_TYPE_DESK_VIEW);
  g_type_ensure (ZZ_TYPE_ADMIN_VIEW);
  g_type_ensure (ZZ_TYPE_HOUSEHOLDS_VIEW);
  g_type_ensure (ZZ_TYPE_CASES_VIEW);
  g_type_ensure (ZZ_TYPE_MEDIATION_VIEW);
  g_type_ensure (ZZ_TYPE_SYNC_VIEW);
  g_type_ensure (ZZ_TYPE_STATS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, lock_stack);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, admin_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, desk_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, admin_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, households_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, households_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, cases_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, mediation_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, mediation_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, sync_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, stats_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, stats_view);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, unlock_row);
  gtk_widget_class_bind_template_child (widget_class, ZzWindow, unlock_error);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-view", "s", "desk");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-view", "s", "admin");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-view", "s", "households");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-view", "s", "cases");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-view", "s", "mediation");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_ALT_MASK, "win.show-view", "s", "sync");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_7, GDK_ALT_MASK, "win.show-view", "s", "stats");
}

static void
zz_window_init (ZzWindow *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_weak_ref_init (&self->focus_before_lock, NULL);

  /* Any use of the window counts as activity, seen before the widgets handle it. */
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_activity_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_activity_cb), self);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (on_visible_page_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map_focus_page_cb), NULL);
  note_activity (self);
  self->idle_source = g_timeout_add_seconds (15, check_idle_cb, self);
}

void
zz_window_register_case_from_visit (ZzWindow *self, ZzRow *ticket)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->cases_view)))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  zz_cases_view_intake_from_visit (self->cases_view, ticket);
}

void
zz_window_register_case_from_household (ZzWindow *self, const char *household_id, const char *member_id)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->cases_view)))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  zz_cases_view_intake_from_household (self->cases_view, household_id, member_id);
}

void
zz_window_show_case (ZzWindow *self, const char *case_id)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->cases_view)))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  zz_cases_view_open_case (self->cases_view, case_id);
}

void
zz_window_show_household (ZzWindow *self, const char *household_id)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->households_view)))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "households");
  zz_households_view_show (self->households_view, household_id);
}

ZzCasesView *
zz_window_get_cases_view (ZzWindow *self)
{
  return self->cases_view;
}

/* Each role lands on its own work: the clerk on the desk, a mediator on the cases, a supervisor
 * on the statistics (the cases without them), an administrator on the lists. */
static const char *
landing_view (ZzStore *store)
{
  if (zz_store_can (store, ZZ_PERM_REGISTER_VISIT))
    return "desk";
  if (zz_store_get_role (store) == ZZ_ROLE_SUPERVISOR && zz_store_can (store, ZZ_PERM_VIEW_STATS))
    return "stats";
  if (zz_store_can (store, ZZ_PERM_VIEW_CASES))
    return "cases";
  if (zz_store_can (store, ZZ_PERM_MANAGE_DEPARTMENTS))
    return "admin";
  if (zz_store_can (store, ZZ_PERM_VIEW_STATS))
    return "stats";
  return "desk";
}

/* ---- banners: what keeps the data safe ---- */

static GtkWidget *
banner_new (GtkBox *box, const char *name)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (revealer, name);
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_NONE);
  gtk_widget_set_visible (revealer, FALSE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_append (GTK_BOX (bar), label);
  gtk_widget_add_css_class (bar, "zz-banner");
  gtk_revealer_set_child (GTK_REVEALER (revealer), bar);
  gtk_box_append (box, revealer);
  g_object_set_data (G_OBJECT (revealer), "label", label);
  return revealer;
}

/* Touches the widgets only when the text changes: this runs whenever the window becomes active. */
static void
banner_show (GtkWidget *revealer, const char *text)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (revealer), "label");

  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
  if (gtk_widget_get_visible (revealer) != (text != NULL))
    {
      gtk_widget_set_visible (revealer, text != NULL);
      gtk_revealer_set_reveal_child (GTK_REVEALER (revealer), text != NULL);
    }
}

static void
update_banners (ZzWindow *self)
{
  ZzApplication *app = get_app (self);
  ZzStore *store = app ? zz_application_get_store (app) : NULL;
  GtkWidget *box = g_object_get_data (G_OBJECT (self), "zz-banners");
  g_autofree char *modes = NULL;
  g_autofree char *passphrase = NULL;
  gboolean admin;

  if (!store || !box)
    return;
  admin = zz_store_can (store, ZZ_PERM_MANAGE_USERS);
  modes = zz_store_check_file_modes (zz_store_get_path (store));
  passphrase = zz_backup_load_passphrase (zz_store_get_path (store));
  banner_show (g_object_get_data (G_OBJECT (box), "modes"), modes);
  banner_show (g_object_get_data (G_OBJECT (box), "restored"),
               zz_store_get_restore_pending (store)
               ? _("This computer was restored from a backup. Import a bundle from the county on the "
                   "Sync page before making changes: it brings back what was done here after the backup.")
               : NULL);
  banner_show (g_object_get_data (G_OBJECT (box), "passphrase"),
               passphrase ? NULL
               : admin ? _("No backup passphrase is set: backups are not encrypted and none go to USB drives. "
                           "Set one in Preferences (Ctrl+,).")
                       : _("No backup passphrase is set: backups are not encrypted and none go to USB drives. "
                           "Ask an administrator to set one."));
}

static void
on_backup_changed_cb (ZzApplication *app, ZzWindow *self)
{
  update_banners (self);
}

static void
on_store_changed_cb (ZzStore *store, const char *table, ZzWindow *self)
{
  GtkWidget *box = g_object_get_data (G_OBJECT (self), "zz-banners");

  if (box && gtk_widget_get_visible (g_object_get_data (G_OBJECT (box), "restored")))
    update_banners (self);
}

static void
on_active_changed_cb (ZzWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    update_banners (self);
}

static void
add_banners (ZzWindow *self, ZzApplication *app)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->toast_overlay));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_name (box, "banners");
  g_object_set_data (G_OBJECT (box), "modes", banner_new (GTK_BOX (box), "modes_banner"));
  g_object_set_data (G_OBJECT (box), "restored", banner_new (GTK_BOX (box), "restored_banner"));
  g_object_set_data (G_OBJECT (box), "passphrase", banner_new (GTK_BOX (box), "passphrase_banner"));
  gtk_box_insert_child_after (GTK_BOX (parent), box, gtk_widget_get_prev_sibling (GTK_WIDGET (self->toast_overlay)));
  g_object_set_data (G_OBJECT (self), "zz-banners", box);
  g_signal_connect_object (app, "backup-changed", G_CALLBACK (on_backup_changed_cb), self, 0);
  /* an imported bundle may end the wait after a restore */
  g_signal_connect_object (zz_application_get_store (app), "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed_cb), NULL);
  update_banners (self);
}

ZzWindow *
zz_window_new (ZzApplication *app)
{
  ZzWindow *self = g_object_new (ZZ_TYPE_WINDOW, "application", app, NULL);
  ZzStore *store = zz_application_get_store (app);
  GSettings *settings = zz_application_get_settings (app);
  g_autofree char *user = NULL;
  gboolean is_admin = zz_store_can (store, ZZ_PERM_MANAGE_USERS);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  user = g_strdup_printf ("%s · %s", zz_store_get_user_name (store), zz_role_display_name (zz_store_get_role (store)));
  gtk_label_set_text (self->user_label, user);
  self->centre_name = g_strdup (zz_store_get_centre_name (store));
  adw_view_switcher_title_set_title (self->switcher_title, self->centre_name);

  zz_desk_view_setup (self->desk_view, app);
  if (is_admin)
    zz_admin_view_setup (self->admin_view, app);
  gtk_widget_set_visible (GTK_WIDGET (self->admin_view), is_admin);
  {
    gboolean cases = zz_store_can (store, ZZ_PERM_VIEW_CASES);
    if (cases)
      {
        zz_cases_view_setup (self->cases_view, app);
        zz_mediation_view_setup (self->mediation_view, app);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->cases_view), cases);
    adw_view_stack_page_set_visible (self->cases_page, cases);
    gtk_widget_set_visible (GTK_WIDGET (self->mediation_view), cases);
    adw_view_stack_page_set_visible (self->mediation_page, cases);
  }
  adw_view_stack_page_set_visible (self->admin_page, is_admin);
  if (zz_store_can (store, ZZ_PERM_VIEW_HOUSEHOLDS))
    zz_households_view_setup (self->households_view, app);
  gtk_widget_set_visible (GTK_WIDGET (self->households_view), zz_store_can (store, ZZ_PERM_VIEW_HOUSEHOLDS));
  adw_view_stack_page_set_visible (self->households_page, zz_store_can (store, ZZ_PERM_VIEW_HOUSEHOLDS));
  if (zz_store_can (store, ZZ_PERM_SYNC))
    zz_sync_view_setup (self->sync_view, app);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_view), zz_store_can (store, ZZ_PERM_SYNC));
  adw_view_stack_page_set_visible (self->sync_page, zz_store_can (store, ZZ_PERM_SYNC));
  if (zz_store_can (store, ZZ_PERM_VIEW_STATS))
    zz_stats_view_setup (self->stats_view, app);
  gtk_widget_set_visible (GTK_WIDGET (self->stats_view), zz_store_can (store, ZZ_PERM_VIEW_STATS));
  adw_view_stack_page_set_visible (self->stats_page, zz_store_can (store, ZZ_PERM_VIEW_STATS));
  adw_view_stack_set_visible_child_name (self->view_stack, landing_view (store));
  update_title (self);
  add_banners (self, app);
  return self;
}
