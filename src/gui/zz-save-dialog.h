/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The "save as" dialog every export shares: modal to @for_widget's window, @suggested as the file
 * name, one filter per suffix of @suffixes ("xlsx", "csv", "pdf"; NULL-terminated, first one
 * chosen). Connect "response", then gtk_native_dialog_show(). */
GtkFileChooserNative *zz_save_dialog_new      (GtkWidget          *for_widget,
                                               const char         *title,
                                               const char         *accept_label,
                                               const char         *suggested,
                                               const char * const *suffixes);
/* The chosen file's path; when it does not end in one of the dialog's suffixes, the chosen
 * filter's suffix (or the first one) is added. NULL when nothing was chosen. */
char                 *zz_save_dialog_get_path (GtkNativeDialog    *dialog);
/* The rule of zz_save_dialog_get_path(): @path as it is when it ends in ".<one of @suffixes>",
 * else with ".@chosen" added. */
char                 *zz_save_path_with_suffix (const char         *path,
                                                const char * const *suffixes,
                                                const char         *chosen);

/* File choosers remember the last folder a file was saved to or opened from (per user, in the
 * "last-folder" setting): an open dialog calls the first before it is shown and the second with
 * the chosen path (the save dialog above does both). */
void                  zz_file_chooser_start_in_last_folder (GtkFileChooser *chooser);
void                  zz_file_chooser_remember_folder      (const char     *chosen_path);

G_END_DECLS
