/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-cases-preferences.h"
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
};

G_DEFINE_FINAL_TYPE (ZzPreferencesWindow, zz_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
zz_preferences_window_dispose (GObject *object)
{
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
  return self;
}
