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

/* ---- backups ---- */
/* Where backups go when the administrator chose no folder: "backups" beside the database. */
char          *zz_application_get_backup_folder (ZzApplication *self);
/* A backup now, in a worker thread, to the backup folder and to every plugged-in removable
 * drive (a "Zongzhi backups" folder on it). Automatic backups call it when the main window goes
 * (logout, quit: the application waits for it) and once a day while running. @callback may be
 * NULL; its result is that of zz_backup_to_folder_finish for the folder. */
void           zz_application_backup_async      (ZzApplication       *self,
                                                 ZzProgressFunc       progress,
                                                 gpointer             progress_data,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* Emitted (as "backup-changed") when a backup finished or its settings changed. */
void           zz_application_backup_changed    (ZzApplication       *self);
/* First run: restores @file in place of the database that was never set up, then opens it (the
 * login window follows). On failure the empty database is open again. */
void           zz_application_restore_async     (ZzApplication       *self,
                                                 const char          *file,
                                                 const char          *passphrase,
                                                 ZzProgressFunc       progress,
                                                 gpointer             progress_data,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       zz_application_restore_finish    (ZzApplication       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
