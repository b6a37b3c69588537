/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-desk-view"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-desk-view.h"

struct _ZzDeskView {
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ZzDeskView, zz_desk_view, ADW_TYPE_BIN)

static void
zz_desk_view_class_init (ZzDeskViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-desk-view.ui");
}

static void
zz_desk_view_init (ZzDeskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
zz_desk_view_setup (ZzDeskView *self, ZzApplication *app)
{
}
