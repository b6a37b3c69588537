/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "zz-store.h"

G_BEGIN_DECLS

/* A backup is one file: a tar archive holding `zongzhi-backup.txt` (what it is: node, schema,
 * time), the database (`zongzhi.db`, copied with SQLite's online backup API and checked with
 * `PRAGMA integrity_check` before it counts) and the node key (`zongzhi.db.key`). With a
 * passphrase the archive is encrypted in the age format with an scrypt stanza, so
 * `age -d FILE | tar x` opens it without this program.
 *
 * Plain copies made on the way (the database copy, a decrypted archive) live only in the
 * database's own folder (0700, files 0600) and are removed at the end; the destination folder (a
 * USB drive, say) only ever sees the finished file, written under a temporary name and renamed. */

#define ZZ_BACKUP_SUFFIX ".zzbackup"

/* Writes a backup of the database at @db_path (and its key) to @dest. @passphrase NULL or "":
 * not encrypted. Runs in the calling thread; any thread may call it (it opens its own
 * connection). On failure nothing is left at @dest. */
gboolean  zz_backup_write            (const char     *db_path,
                                      const char     *dest,
                                      const char     *passphrase,
                                      ZzProgressFunc  progress,
                                      gpointer        progress_data,
                                      GCancellable   *cancellable,
                                      GError        **error);

typedef enum {
  ZZ_RESTORE_DEFAULT = 0,
  /* A database that was never set up (no node, no key) may be replaced: the first-run
   * assistant's empty file. */
  ZZ_RESTORE_REPLACE_EMPTY = 1 << 0,
} ZzRestoreFlags;

/* Restores @backup as the database @db_path and its key. Refuses (changing nothing) when a
 * database is already there, when the passphrase is wrong or missing, when the file is damaged
 * or not a backup. When the restored node takes part in sync, its synced writes wait until a
 * bundle from a centre above it has been imported (see zz_store_get_restore_pending). */
gboolean  zz_backup_restore          (const char     *backup,
                                      const char     *db_path,
                                      const char     *passphrase,
                                      ZzRestoreFlags  flags,
                                      ZzProgressFunc  progress,
                                      gpointer        progress_data,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* TRUE when @path starts as an encrypted (age) file. FALSE with @error when unreadable. */
gboolean  zz_backup_is_encrypted     (const char     *path,
                                      gboolean       *encrypted,
                                      GError        **error);

/* The file name of a backup made at @unix_ms in @folder: zongzhi-YYYYMMDD-HHMMSS.zzbackup. */
char     *zz_backup_file_name        (const char     *folder,
                                      gint64          unix_ms);
/* Keeps, of the backups named as above in @folder, the newest of each of the last 7 days, 4
 * weeks and 12 months that have one, and deletes the others. Other files are never touched. */
gboolean  zz_backup_rotate           (const char     *folder,
                                      GError        **error);
/* A backup into @folder (created 0700 when missing) named for @unix_ms, then rotation. Returns
 * the file written. */
char     *zz_backup_to_folder        (const char     *db_path,
                                      const char     *folder,
                                      const char     *passphrase,
                                      gint64          unix_ms,
                                      ZzProgressFunc  progress,
                                      gpointer        progress_data,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* The same in a worker thread, progress reported on the caller's main context. */
void      zz_backup_to_folder_async  (const char          *db_path,
                                      const char          *folder,
                                      const char          *passphrase,
                                      ZzProgressFunc       progress,
                                      gpointer             progress_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char     *zz_backup_to_folder_finish (GAsyncResult        *result,
                                      GError             **error);
void      zz_backup_restore_async    (const char          *backup,
                                      const char          *db_path,
                                      const char          *passphrase,
                                      ZzRestoreFlags       flags,
                                      ZzProgressFunc       progress,
                                      gpointer             progress_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  zz_backup_restore_finish   (GAsyncResult        *result,
                                      GError             **error);

/* The administrator's backup passphrase, kept in a file 0600 beside the node key (in the
 * database's 0700 folder), never beside the backups: automatic backups at quit need it without
 * asking anyone, and it has the same protection as the key itself. NULL when none is set. */
char     *zz_backup_passphrase_path  (const char     *db_path);
char     *zz_backup_load_passphrase  (const char     *db_path);
/* Administrators only; at least 8 characters. */
gboolean  zz_backup_save_passphrase  (ZzStore        *store,
                                      const char     *passphrase,
                                      GError        **error);

/* The backup folder chosen in Preferences (administrators only), NULL when none. */
char     *zz_backup_get_folder       (ZzStore        *store);
gboolean  zz_backup_set_folder       (ZzStore        *store,
                                      const char     *folder,
                                      GError        **error);
/* When the last backup was written (Unix ms), 0 for never; written by the application. */
gint64    zz_backup_get_last_time    (ZzStore        *store);
void      zz_backup_set_last_time    (ZzStore        *store,
                                      gint64          unix_ms);

/* NULL when the database, its write-ahead log and key files are 0600 (or absent) in a folder
 * 0700; otherwise a message naming what others may read. */
char     *zz_store_check_file_modes  (const char     *db_path);

G_END_DECLS
