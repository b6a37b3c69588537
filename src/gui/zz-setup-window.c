/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-setup-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-setup-window.h"

struct _ZzSetupWindow {
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ZzSetupWindow, zz_setup_window, ADW_TYPE_APPLICATION_WINDOW)

static void
zz_setup_window_class_init (ZzSetupWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-setup-window.ui");
  g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
zz_setup_window_init (ZzSetupWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZzSetupWindow *
zz_setup_window_new (ZzApplication *app)
{
  return g_object_new (ZZ_TYPE_SETUP_WINDOW, "application", app, NULL);
}
