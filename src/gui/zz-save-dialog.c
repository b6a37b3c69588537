/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "zz-application.h"
#include "zz-save-dialog.h"

static const char *
filter_name (const char *suffix)
{
  if (g_str_equal (suffix, "xlsx"))
    return _("Excel workbooks");
  if (g_str_equal (suffix, "csv"))
    return _("CSV files");
  if (g_str_equal (suffix, "pdf"))
    return _("PDF documents");
  return suffix;
}

static GSettings *
app_settings (void)
{
  GApplication *app = g_application_get_default ();

  return ZZ_IS_APPLICATION (app) ? zz_application_get_settings (ZZ_APPLICATION (app)) : NULL;
}

void
zz_file_chooser_start_in_last_folder (GtkFileChooser *chooser)
{
  GSettings *settings = app_settings ();
  g_autofree char *folder = settings ? g_settings_get_string (settings, "last-folder") : NULL;

  if (folder && *folder && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);
      if (gtk_file_chooser_set_current_folder (chooser, dir, NULL))
        g_object_set_data_full (G_OBJECT (chooser), "zz-start-folder", g_strdup (folder), g_free);
    }
}

void
zz_file_chooser_remember_folder (const char *chosen_path)
{
  GSettings *settings = app_settings ();
  g_autofree char *folder = NULL;

  if (!settings || !chosen_path)
    return;
  folder = g_file_test (chosen_path, G_FILE_TEST_IS_DIR) ? g_strdup (chosen_path) : g_path_get_dirname (chosen_path);
  g_settings_set_string (settings, "last-folder", folder);
}

GtkFileChooserNative *
zz_save_dialog_new (GtkWidget          *for_widget,
                    const char         *title,
                    const char         *accept_label,
                    const char         *suggested,
                    const char * const *suffixes)
{
  GtkRoot *root = for_widget ? gtk_widget_get_root (for_widget) : NULL;
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, accept_label,
                                                              _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "zz-suffixes", g_strdupv ((char **) suffixes), (GDestroyNotify) g_strfreev);
  for (guint i = 0; suffixes && suffixes[i]; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name (suffixes[i]));
      gtk_file_filter_add_suffix (filter, suffixes[i]);
      g_object_set_data (G_OBJECT (filter), "zz-suffix", (gpointer) suffixes[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      if (i == 0)
        {
          gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), filter);
          g_object_set_data (G_OBJECT (dialog), "zz-suffix", (gpointer) suffixes[i]);
        }
    }
  /* The folder comes before the name: setting a folder clears the name typed so far. */
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  return dialog;
}

char *
zz_save_path_with_suffix (const char *path, const char * const *suffixes, const char *chosen)
{
  for (guint i = 0; suffixes && suffixes[i]; i++)
    {
      g_autofree char *ending = g_strconcat (".", suffixes[i], NULL);
      if (g_str_has_suffix (path, ending))
        return g_strdup (path);
    }
  return chosen ? g_strconcat (path, ".", chosen, NULL) : g_strdup (path);
}

char *
zz_save_dialog_get_path (GtkNativeDialog *dialog)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
  const char *chosen = filter ? g_object_get_data (G_OBJECT (filter), "zz-suffix") : NULL;

  if (!path)
    return NULL;
  zz_file_chooser_remember_folder (path);
  return zz_save_path_with_suffix (path, g_object_get_data (G_OBJECT (dialog), "zz-suffixes"),
                                   chosen ? chosen : g_object_get_data (G_OBJECT (dialog), "zz-suffix"));
}
