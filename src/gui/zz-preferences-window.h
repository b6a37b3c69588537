/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_PREFERENCES_WINDOW (zz_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ZzPreferencesWindow, zz_preferences_window, ZZ, PREFERENCES_WINDOW, AdwPreferencesWindow)

ZzPreferencesWindow *zz_preferences_window_new (ZzApplication *app);

/* Sets the backup folder as choosing it in the folder chooser would; FALSE (with the message
 * shown) when refused. */
gboolean zz_preferences_window_set_backup_folder (ZzPreferencesWindow *self,
                                                  const char          *folder);

G_END_DECLS
