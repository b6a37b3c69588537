/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-department-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-department-dialog.h"
#include "zz-reference.h"
#include "zz-window.h"

struct _ZzDepartmentDialog {
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkButton *save_button;
  AdwEntryRow *name_row;
  GtkSpinButton *window_spin;
  AdwComboRow *stationing_row;
  AdwPreferencesGroup *weekdays_group;
  GtkWidget *weekdays_box;
  GtkToggleButton *days[7];
  GtkLabel *error_label;

  ZzStore *store;
  char *department_id;   /* NULL when adding */
};

G_DEFINE_FINAL_TYPE (ZzDepartmentDialog, zz_department_dialog, ADW_TYPE_WINDOW)

static const char *day_ids[7] = { "day_0", "day_1", "day_2", "day_3", "day_4", "day_5", "day_6" };

static const char *
selected_stationing (ZzDepartmentDialog *self)
{
  guint n;
  const ZzVocab *modes = zz_stationing_modes (&n);
  guint i = adw_combo_row_get_selected (self->stationing_row);

  return i < n ? modes[i].key : NULL;
}

static guint
weekday_mask (ZzDepartmentDialog *self)
{
  guint mask = 0;

  for (guint i = 0; i < 7; i++)
    if (gtk_toggle_button_get_active (self->days[i]))
      mask |= 1u << i;
  return mask;
}

static void
show_error (ZzDepartmentDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_weekdays_hint (ZzDepartmentDialog *self)
{
  const char *mode = selected_stationing (self);
  const char *hint;

  if (g_strcmp0 (mode, "rotating") == 0)
    hint = _("Required for a rotating department: the days it is here.");
  else if (g_strcmp0 (mode, "on_call") == 0)
    hint = _("Optional: an on-call department comes when called.");
  else
    hint = _("None chosen means Monday to Friday.");
  adw_preferences_group_set_description (self->weekdays_group, hint);
  if (g_strcmp0 (mode, "rotating") == 0 && weekday_mask (self) == 0)
    gtk_widget_add_css_class (self->weekdays_box, "error");
  else
    gtk_widget_remove_css_class (self->weekdays_box, "error");
}

static void
save (ZzDepartmentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  gtk_spin_button_update (self->window_spin);
  if (!zz_store_save_department (self->store, self->department_id, name,
                                 gtk_spin_button_get_value_as_int (self->window_spin),
                                 selected_stationing (self), weekday_mask (self), NULL, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (!self->department_id)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      title = g_strdup_printf (_("Department “%s” added"), name);
      if (ZZ_IS_WINDOW (parent))
        zz_window_toast (ZZ_WINDOW (parent), title, NULL, NULL, NULL);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action, GVariant *param)
{
  save (ZZ_DEPARTMENT_DIALOG (widget));
}

static void
on_name_activate_cb (ZzDepartmentDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->window_spin));
}

static void
on_window_activate_cb (ZzDepartmentDialog *self)
{
  save (self);
}

static void
on_stationing_changed_cb (ZzDepartmentDialog *self)
{
  update_weekdays_hint (self);
}

static void
on_day_toggled_cb (ZzDepartmentDialog *self)
{
  update_weekdays_hint (self);
}

static void
zz_department_dialog_dispose (GObject *object)
{
  ZzDepartmentDialog *self = ZZ_DEPARTMENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_DEPARTMENT_DIALOG);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (zz_department_dialog_parent_class)->dispose (object);
}

static void
zz_department_dialog_finalize (GObject *object)
{
  g_free (ZZ_DEPARTMENT_DIALOG (object)->department_id);
  G_OBJECT_CLASS (zz_department_dialog_parent_class)->finalize (object);
}

static void
zz_department_dialog_class_init (ZzDepartmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zz_department_dialog_dispose;
  object_class->finalize = zz_department_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/zongzhi/Workbench/zz-department-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, window_spin);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, stationing_row);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, weekdays_group);
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, weekdays_box);
  for (guint i = 0; i < G_N_ELEMENTS (day_ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, day_ids[i], FALSE,
                                               G_STRUCT_OFFSET (ZzDepartmentDialog, days) + i * sizeof (gpointer));
  gtk_widget_class_bind_template_child (widget_class, ZzDepartmentDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stationing_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_day_toggled_cb);

  gtk_widget_class_install_action (widget_class, "department.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "department.save", NULL);
}

static void
zz_department_dialog_init (ZzDepartmentDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n;
  const ZzVocab *modes = zz_stationing_modes (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* GtkSpinButton has no activate signal before GTK 4.14; Enter reaches its text. */
  g_signal_connect_swapped (gtk_editable_get_delegate (GTK_EDITABLE (self->window_spin)), "activate",
                            G_CALLBACK (on_window_activate_cb), self);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, zz_vocab_display (modes, n, modes[i].key));
  adw_combo_row_set_model (self->stationing_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->stationing_row, 0);
  update_weekdays_hint (self);
}

/* A new department takes the first free window number. */
static int
first_free_window (ZzStore *store)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (store);
  guint n = g_list_model_get_n_items (windows);
  guint64 used = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (windows, i);
      gint64 number = zz_row_get_int (w, "number");
      if (number > 0 && number < 64)
        used |= G_GUINT64_CONSTANT (1) << number;
    }
  for (int i = 1; i < 64; i++)
    if (!(used & (G_GUINT64_CONSTANT (1) << i)))
      return i;
  return 1;
}

ZzDepartmentDialog *
zz_department_dialog_new (ZzApplication *app, GtkWindow *parent, ZzRow *department)
{
  ZzDepartmentDialog *self;
  guint n;
  const ZzVocab *modes = zz_stationing_modes (&n);
  guint mask;

  g_return_val_if_fail (ZZ_IS_APPLICATION (app), NULL);

  self = g_object_new (ZZ_TYPE_DEPARTMENT_DIALOG, "application", app, "transient-for", parent, NULL);
  self->store = g_object_ref (zz_application_get_store (app));
  if (!department)
    {
      adw_window_title_set_title (self->window_title, _("Add Department"));
      gtk_button_set_label (self->save_button, _("_Add"));
      gtk_spin_button_set_value (self->window_spin, first_free_window (self->store));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return self;
    }

  self->department_id = g_strdup (zz_row_get_id (department));
  adw_window_title_set_title (self->window_title, _("Edit Department"));
  adw_window_title_set_subtitle (self->window_title, zz_row_get (department, "name"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), zz_row_get (department, "name"));
  if (zz_row_get_int (department, "window_number") > 0)
    gtk_spin_button_set_value (self->window_spin, zz_row_get_int (department, "window_number"));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (modes[i].key, zz_row_get (department, "stationing")) == 0)
      adw_combo_row_set_selected (self->stationing_row, i);
  mask = (guint) zz_row_get_int (department, "weekdays");
  for (guint i = 0; i < 7; i++)
    gtk_toggle_button_set_active (self->days[i], (mask & (1u << i)) != 0);
  update_weekdays_hint (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
