/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_SETUP_WINDOW (zz_setup_window_get_type ())
G_DECLARE_FINAL_TYPE (ZzSetupWindow, zz_setup_window, ZZ, SETUP_WINDOW, AdwApplicationWindow)

/* Emits ::completed when this installation has been set up. */
ZzSetupWindow *zz_setup_window_new           (ZzApplication *app);
/* Imports the division files in @dir, as choosing that folder in the assistant does. */
void           zz_setup_window_import_folder (ZzSetupWindow *self,
                                              const char    *dir);

/* Restores the backup @file (with the passphrase typed in the window) instead of setting up, as
 * choosing it in the file chooser would. */
void zz_setup_window_restore_file (ZzSetupWindow *self,
                                   const char    *file);

G_END_DECLS
