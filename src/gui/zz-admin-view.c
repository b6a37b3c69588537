/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-admin-view"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-admin-view.h"

struct _ZzAdminView {
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ZzAdminView, zz_admin_view, ADW_TYPE_BIN)

static void
zz_admin_view_class_init (ZzAdminViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-admin-view.ui");
}

static void
zz_admin_view_init (ZzAdminView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
zz_admin_view_setup (ZzAdminView *self, ZzApplication *app)
{
}
