/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-login-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-login-window.h"

struct _ZzLoginWindow {
  AdwApplicationWindow parent_instance;

  AdwStatusPage *status_page;
  AdwEntryRow *login_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel *error_label;
  GtkButton *login_button;
};

G_DEFINE_FINAL_TYPE (ZzLoginWindow, zz_login_window, ADW_TYPE_APPLICATION_WINDOW)

static void
log_in (ZzLoginWindow *self)
{
  ZzApplication *app = ZZ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  ZzStore *store = zz_application_get_store (app);
  g_autoptr(GError) error = NULL;
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (*login == '\0')
    {
      gtk_label_set_text (self->error_label, _("Enter your login name."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
      return;
    }
  if (!zz_store_login (store, login, password, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  zz_application_show_main (app);
}

static void
on_login_activate_cb (ZzLoginWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activate_cb (ZzLoginWindow *self)
{
  log_in (self);
}

static void
on_password_changed_cb (ZzLoginWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
}

static void
login_action (GtkWidget *widget, const char *name, GVariant *param)
{
  log_in (ZZ_LOGIN_WINDOW (widget));
}

static void
zz_login_window_class_init (ZzLoginWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-login-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzLoginWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, ZzLoginWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, ZzLoginWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, ZzLoginWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZzLoginWindow, login_button);
  gtk_widget_class_bind_template_callback (widget_class, on_login_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);
  gtk_widget_class_install_action (widget_class, "login.log-in", NULL, login_action);
}

static void
zz_login_window_init (ZzLoginWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZzLoginWindow *
zz_login_window_new (ZzApplication *app)
{
  ZzLoginWindow *self = g_object_new (ZZ_TYPE_LOGIN_WINDOW, "application", app, NULL);
  ZzStore *store = zz_application_get_store (app);

  if (zz_store_get_centre_name (store))
    adw_status_page_set_description (self->status_page, zz_store_get_centre_name (store));
  gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
  return self;
}
