/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Small pieces every view needs; private to the GUI. */

/* @unix_ms in the local time zone, formatted with g_date_time_format() @fmt;
 * "—" when no time is recorded (@unix_ms <= 0). Free with g_free(). */
char *zz_gui_format_time (gint64 unix_ms, const char *fmt);

/* A toast in the window that holds @widget; nothing when it is in none. */
void  zz_gui_toast       (GtkWidget *widget, const char *text);

/* @error as an error toast in the window that holds @widget (NULL allowed);
 * a warning in the log when it is in none. */
void  zz_gui_error       (GtkWidget *widget, const GError *error);

G_END_DECLS
