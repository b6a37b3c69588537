/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-date-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-date.h"
#include "zz-date-entry.h"
#include "zz-error.h"

struct _ZzDateEntry {
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkEntry *entry;
  GtkMenuButton *button;
  GtkPopover *popover;
  GtkCalendar *calendar;
  int programmatic;
};

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ZzDateEntry, zz_date_entry, GTK_TYPE_WIDGET)

static void
show_date (ZzDateEntry *self, const GDate *day)
{
  g_autofree char *text = zz_date_to_string (day);

  self->programmatic++;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  self->programmatic--;
}

static void
on_day_selected_cb (GtkCalendar *calendar,
                    ZzDateEntry *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);
  GDate day;

  if (self->programmatic)
    return;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt), g_date_time_get_year (dt));
  show_date (self, &day);
  gtk_popover_popdown (self->popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* The calendar opens on the day typed, or today. */
static void
on_popover_show_cb (GtkPopover  *popover,
                    ZzDateEntry *self)
{
  g_autoptr(GDateTime) dt = NULL;
  GDate day;

  if (zz_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), &day, NULL))
    dt = g_date_time_new_local (g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day), 12, 0, 0);
  else
    dt = g_date_time_new_now_local ();
  self->programmatic++;
  gtk_calendar_select_day (self->calendar, dt);
  self->programmatic--;
  gtk_widget_grab_focus (GTK_WIDGET (self->calendar));
}

static void
on_entry_leave_cb (GtkEventControllerFocus *controller,
                   ZzDateEntry             *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  GDate day;

  if (!*text)
    return;
  if (zz_date_parse (text, &day, NULL))
    show_date (self, &day);
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
}

static void
on_entry_changed_cb (GtkEditable *editable,
                     ZzDateEntry *self)
{
  if (!self->programmatic)
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
}

static void
on_entry_activate_cb (GtkEntry    *entry,
                      ZzDateEntry *self)
{
  GDate day;

  if (zz_date_parse (gtk_editable_get_text (GTK_EDITABLE (entry)), &day, NULL))
    show_date (self, &day);
  g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
}

static gboolean
zz_date_entry_mnemonic_activate (GtkWidget *widget,
                                 gboolean   group_cycling)
{
  gtk_widget_grab_focus (GTK_WIDGET (ZZ_DATE_ENTRY (widget)->entry));
  return TRUE;
}

static gboolean
zz_date_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (ZZ_DATE_ENTRY (widget)->entry));
}

static void
zz_date_entry_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ZZ_TYPE_DATE_ENTRY);
  G_OBJECT_CLASS (zz_date_entry_parent_class)->dispose (object);
}

static void
zz_date_entry_class_init (ZzDateEntryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_date_entry_dispose;
  widget_class->mnemonic_activate = zz_date_entry_mnemonic_activate;
  widget_class->grab_focus = zz_date_entry_grab_focus;

  signals[SIGNAL_ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-date-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzDateEntry, box);
  gtk_widget_class_bind_template_child (widget_class, ZzDateEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, ZzDateEntry, button);
  gtk_widget_class_bind_template_child (widget_class, ZzDateEntry, popover);
  gtk_widget_class_bind_template_child (widget_class, ZzDateEntry, calendar);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
zz_date_entry_init (ZzDateEntry *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);
  g_signal_connect (self->popover, "show", G_CALLBACK (on_popover_show_cb), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect (self->entry, "changed", G_CALLBACK (on_entry_changed_cb), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_entry_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
}

GtkWidget *
zz_date_entry_new (void)
{
  return g_object_new (ZZ_TYPE_DATE_ENTRY, NULL);
}

gboolean
zz_date_entry_get_date (ZzDateEntry *self, GDate *out, GError **error)
{
  g_return_val_if_fail (ZZ_IS_DATE_ENTRY (self), FALSE);
  return zz_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), out, error);
}

char *
zz_date_entry_get_day (ZzDateEntry *self)
{
  GDate day;

  g_return_val_if_fail (ZZ_IS_DATE_ENTRY (self), NULL);
  return zz_date_entry_get_date (self, &day, NULL) ? zz_date_to_string (&day) : NULL;
}

void
zz_date_entry_set_date (ZzDateEntry *self, const GDate *day)
{
  g_return_if_fail (ZZ_IS_DATE_ENTRY (self));
  if (day && g_date_valid (day))
    show_date (self, day);
  else
    {
      self->programmatic++;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      self->programmatic--;
    }
}

GtkEntry *
zz_date_entry_get_entry (ZzDateEntry *self)
{
  g_return_val_if_fail (ZZ_IS_DATE_ENTRY (self), NULL);
  return self->entry;
}

GtkWidget *
zz_date_entry_get_button (ZzDateEntry *self)
{
  g_return_val_if_fail (ZZ_IS_DATE_ENTRY (self), NULL);
  return GTK_WIDGET (self->button);
}
