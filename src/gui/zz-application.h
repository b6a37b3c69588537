/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-store.h"

G_BEGIN_DECLS

#define ZZ_TYPE_APPLICATION (zz_application_get_type ())
G_DECLARE_FINAL_TYPE (ZzApplication, zz_application, ZZ, APPLICATION, AdwApplication)

/* @db_path: the database to open; NULL uses --db or the user data directory. */
ZzApplication *zz_application_new         (const char    *db_path);
ZzStore       *zz_application_get_store   (ZzApplication *self);
GSettings     *zz_application_get_settings (ZzApplication *self);
/* Opens the database and shows the set-up assistant, or the login window. Called on activate;
 * tests call it after g_application_register(). */
void           zz_application_start       (ZzApplication *self);
/* After a successful login: the main window. */
void           zz_application_show_main   (ZzApplication *self);
/* Logs out and shows the login window. */
void           zz_application_logout      (ZzApplication *self);

G_END_DECLS
