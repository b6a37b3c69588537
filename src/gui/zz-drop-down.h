/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Two fixes for GtkDropDown on GTK 4.8 (AdwComboRow has the same list inside):
 * - the item chosen with the arrow keys is the one Enter takes: GTK's list selects the item
 *   under a resting pointer whenever the list scrolls beneath it, and Enter then takes that one;
 *   hover selection is off from the first arrow key until the list closes;
 * - an empty choice shows @text (e.g. 请选择…) instead of GTK's "(None)", which reads as a value. */
void zz_drop_down_follow_keyboard (GtkWidget  *drop_down);
void zz_drop_down_set_placeholder (GtkWidget  *drop_down,
                                   const char *text);

G_END_DECLS
