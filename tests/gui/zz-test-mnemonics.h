/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

/* Access keys (mnemonics) a person can use in one window or dialog: every label that shows one
 * and can be seen. Two with the same key in one window make Alt+key cycle between them instead
 * of going where the label says. Returns a description of each collision, or an empty string. */
static inline void
zz_test_collect_mnemonics (GtkWidget *widget, GHashTable *seen, GString *collisions)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_POPOVER (widget) && !gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint key = gtk_label_get_mnemonic_keyval (GTK_LABEL (widget));
      if (key != GDK_KEY_VoidSymbol && key != 0)
        {
          gpointer k = GUINT_TO_POINTER (gdk_keyval_to_lower (key));
          const char *text = gtk_label_get_label (GTK_LABEL (widget));
          GtkWidget *other = g_hash_table_lookup (seen, k);
          /* An entry row shows its title twice (over the empty field and above the text): one
           * row, one place to go. */
          GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);
          if (other && row && row == gtk_widget_get_ancestor (other, GTK_TYPE_LIST_BOX_ROW))
            ;
          else if (other)
            g_string_append_printf (collisions, "“%s” and “%s” share Alt+%s; ",
                                    gtk_label_get_label (GTK_LABEL (other)), text,
                                    gdk_keyval_name (gdk_keyval_to_lower (key)));
          else
            g_hash_table_insert (seen, k, widget);
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    zz_test_collect_mnemonics (c, seen, collisions);
}

static inline char *
zz_test_mnemonic_collisions (GtkWidget *root)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GString *collisions = g_string_new (NULL);

  zz_test_collect_mnemonics (root, seen, collisions);
  return g_string_free (collisions, FALSE);
}
