/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-drop-down"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-drop-down.h"

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
on_popup_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkListView           *list)
{
  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_Down: case GDK_KEY_KP_Up: case GDK_KEY_KP_Down:
    case GDK_KEY_Page_Up: case GDK_KEY_Page_Down: case GDK_KEY_Home: case GDK_KEY_End:
      gtk_list_view_set_single_click_activate (list, FALSE);
      break;
    default:
      break;
    }
  return FALSE;
}

static void
on_popup_hide_cb (GtkWidget   *popover,
                  GtkListView *list)
{
  /* A single click picks again the next time the list opens. */
  gtk_list_view_set_single_click_activate (list, TRUE);
}

void
zz_drop_down_follow_keyboard (GtkWidget *drop_down)
{
  GtkWidget *popover, *list;
  GtkEventController *key;

  g_return_if_fail (GTK_IS_WIDGET (drop_down));
  popover = find_type (drop_down, GTK_TYPE_POPOVER);
  list = popover ? find_type (popover, GTK_TYPE_LIST_VIEW) : NULL;
  if (!list || g_object_get_data (G_OBJECT (popover), "zz-follows-keyboard"))
    return;
  g_object_set_data (G_OBJECT (popover), "zz-follows-keyboard", GINT_TO_POINTER (1));
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_popup_key_pressed_cb), list);
  gtk_widget_add_controller (popover, key);
  g_signal_connect (popover, "hide", G_CALLBACK (on_popup_hide_cb), list);
}

void
zz_drop_down_set_placeholder (GtkWidget *drop_down, const char *text)
{
  const char *none = g_dgettext ("gtk40", "(None)");
  GtkWidget *c;

  g_return_if_fail (GTK_IS_WIDGET (drop_down));
  for (c = gtk_widget_get_first_child (drop_down); c; )
    {
      if (GTK_IS_LABEL (c) && (g_str_equal (gtk_label_get_label (GTK_LABEL (c)), none)
                               || g_str_equal (gtk_label_get_label (GTK_LABEL (c)), "(None)")
                               || g_object_get_data (G_OBJECT (c), "zz-placeholder")))
        {
          gtk_label_set_label (GTK_LABEL (c), text);
          g_object_set_data (G_OBJECT (c), "zz-placeholder", GINT_TO_POINTER (1));
          gtk_widget_add_css_class (c, "dim-label");
        }
      /* Depth first, skipping the popover with the list. */
      if (gtk_widget_get_first_child (c) && !GTK_IS_POPOVER (c))
        c = gtk_widget_get_first_child (c);
      else
        {
          while (c && c != drop_down && !gtk_widget_get_next_sibling (c))
            c = gtk_widget_get_parent (c);
          c = c && c != drop_down ? gtk_widget_get_next_sibling (c) : NULL;
        }
    }
}
