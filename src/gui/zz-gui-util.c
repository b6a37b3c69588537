/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-gui"

#include "config.h"

#include "zz-gui-util.h"
#include "zz-time.h"
#include "zz-window.h"

char *
zz_gui_format_time (gint64 unix_ms, const char *fmt)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_ms <= 0 || !(utc = g_date_time_new_from_unix_utc (unix_ms / 1000)))
    return g_strdup ("—");
  local = g_date_time_to_timezone (utc, zz_local_zone ());
  return g_date_time_format (local, fmt);
}

void
zz_gui_toast (GtkWidget *widget, const char *text)
{
  ZzWindow *window = widget ? zz_window_for (widget) : NULL;

  if (window)
    zz_window_toast (window, text, NULL, NULL, NULL);
}

void
zz_gui_error (GtkWidget *widget, const GError *error)
{
  ZzWindow *window = widget ? zz_window_for (widget) : NULL;

  if (window)
    zz_window_error (window, error);
  else
    g_warning ("%s", error->message);
}
