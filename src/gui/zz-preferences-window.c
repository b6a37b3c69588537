/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-preferences-window.h"

struct _ZzPreferencesWindow {
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ZzPreferencesWindow, zz_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
zz_preferences_window_class_init (ZzPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-preferences-window.ui");
}

static void
zz_preferences_window_init (ZzPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZzPreferencesWindow *
zz_preferences_window_new (ZzApplication *app)
{
  return g_object_new (ZZ_TYPE_PREFERENCES_WINDOW, NULL);
}
