/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-backup.h"
#include "zz-json.h"
#include "zz-schema.h"
#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-time.h"
#include "zz-uuid.h"

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ZzStore, zz_store, G_TYPE_OBJECT)

static void
zz_store_finalize (GObject *object)
{
  ZzStore *self = ZZ_STORE (object);

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db)
    sqlite3_close_v2 (self->db);
  sodium_memzero (self->secret_key, sizeof self->secret_key);
  g_clear_pointer (&self->changed_tables, g_hash_table_unref);
  g_free (self->path);
  g_free (self->node_id);
  g_free (self->node_org_unit);
  g_free (self->centre_name);
  g_free (self->user_id);
  g_free (self->user_login);
  g_free (self->user_name);
  G_OBJECT_CLASS (zz_store_parent_class)->finalize (object);
}

static void
zz_store_class_init (ZzStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zz_store_finalize;

  /**
   * ZzStore::changed:
   * @table: the synced table that changed
   *
   * Emitted after a transaction that changed @table commits; detailed by the table name.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
finalize_stmt (gpointer p)
{
  sqlite3_finalize (p);
}

static void
zz_store_init (ZzStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->changed_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- low-level helpers ---- */

char *
zz_hex_encode (const guint8 *bytes, gsize len)
{
  char *out = g_malloc (len * 2 + 1);

  sodium_bin2hex (out, len * 2 + 1, bytes, len);
  return out;
}

gboolean
zz_store_db_error (ZzStore *self, GError **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if (code == SQLITE_FULL)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("The disk is full; nothing was saved."));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB,
                 _("The database is busy with another task; please try again."));
  else
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Database error: %s"), sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
zz_store_stmt (ZzStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("prepare failed: %s: %s", sqlite3_errmsg (self->db), sql);
      zz_store_db_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

gboolean
zz_store_exec (ZzStore *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Database error: %s"), msg ? msg : "?");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
zz_store_step_done (ZzStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      zz_store_db_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

GListModel *
zz_store_query_rows (ZzStore *self, sqlite3_stmt *stmt)
{
  GListStore *store = g_list_store_new (ZZ_TYPE_ROW);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(ZzRow) row = zz_row_new_from_stmt (stmt);
      g_list_store_append (store, row);
    }
  sqlite3_reset (stmt);
  return G_LIST_MODEL (store);
}

ZzRow *
zz_store_query_row (ZzStore *self, sqlite3_stmt *stmt)
{
  ZzRow *row = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = zz_row_new_from_stmt (stmt);
  sqlite3_reset (stmt);
  return row;
}

gint64
zz_store_query_int (ZzStore *self, sqlite3_stmt *stmt, gint64 fallback)
{
  gint64 v = fallback;

  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

/* ---- clock ---- */

void
zz_store_set_now (ZzStore *self, gint64 unix_ms)
{
  g_return_if_fail (ZZ_IS_STORE (self));
  self->fixed_now = unix_ms;
}

gint64
zz_store_now (ZzStore *self)
{
  if (self->fixed_now)
    return self->fixed_now;
  return g_get_real_time () / 1000;
}

char *
zz_store_day_of (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, zz_local_zone ());
  char buf[16];

  g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", g_date_time_get_year (local),
              g_date_time_get_month (local), g_date_time_get_day_of_month (local));
  return g_strdup (buf);
}

/* Bound to this node (see zz_store_bound_id_new): no other node can create a row under it. */
char *
zz_store_new_id (ZzStore *self)
{
  if (self->node_id)
    return zz_store_bound_id_new (self->node_id, zz_store_now (self));
  return zz_uuid7_new_at (zz_store_now (self));
}

/* ---- transactions ---- */

gboolean
zz_store_begin (ZzStore *self, GError **error)
{
  g_return_val_if_fail (self->depth < ZZ_TX_MAX_DEPTH, FALSE);

  if (!zz_store_exec (self, self->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT zz", error))
    {
      if (self->depth == 0)
        zz_store_db_error (self, NULL);
      return FALSE;
    }
  self->saved[self->depth].seq = self->seq;
  memcpy (self->saved[self->depth].last_hash, self->last_hash, ZZ_HASH_BYTES);
  self->saved[self->depth].hlc = self->hlc;
  self->depth++;
  return TRUE;
}

static void
emit_changed (ZzStore *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->changed_tables);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (names, key);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < names->len; i++)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (names->pdata[i]),
                   (const char *) names->pdata[i]);
}

gboolean
zz_store_commit (ZzStore *self, GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!zz_store_exec (self, self->depth == 1 ? "COMMIT" : "RELEASE zz", error))
    {
      zz_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  if (self->depth == 0)
    emit_changed (self);
  return TRUE;
}

void
zz_store_rollback (ZzStore *self)
{
  g_return_if_fail (self->depth > 0);

  self->depth--;
  if (self->depth == 0)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->changed_tables);
    }
  else
    sqlite3_exec (self->db, "ROLLBACK TO zz; RELEASE zz", NULL, NULL, NULL);
  self->seq = self->saved[self->depth].seq;
  memcpy (self->last_hash, self->saved[self->depth].last_hash, ZZ_HASH_BYTES);
  self->hlc = self->saved[self->depth].hlc;
}

void
zz_store_mark_changed (ZzStore *self, const char *table)
{
  g_hash_table_add (self->changed_tables, g_strdup (table));
}

/* ---- open and migrate ---- */

/* The steps an open applies: the schema's, or those a test puts in their place. */
static const char *const *test_steps;
static guint n_test_steps;

void
zz_store_set_migrations_for_test (const char *const *steps, guint n_steps)
{
  test_steps = steps;
  n_test_steps = steps ? n_steps : 0;
}

static guint
n_migrations (void)
{
  return test_steps ? n_test_steps : zz_schema_n_migrations ();
}

static const char *
migration_step (guint version)
{
  return test_steps ? test_steps[version - 1] : zz_schema_migration (version);
}

char *
zz_store_upgrade_backup_path (const char *db_path, guint from, guint to)
{
  g_autofree char *dir = g_path_get_dirname (db_path);
  g_autofree char *name = g_strdup_printf ("before-upgrade-%u-to-%u-%" G_GINT64_FORMAT ZZ_BACKUP_SUFFIX,
                                           from, to, g_get_real_time () / 1000000);

  return g_build_filename (dir, "backups", name, NULL);
}

/* All pending steps in one transaction, after a backup of the file as it was: a step that fails
 * leaves the database exactly as it was, and the backup is there besides. */
static gboolean
migrate (ZzStore *self, GError **error)
{
  g_autofree char *set_version = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(GError) local = NULL;
  gint64 version;
  guint target = n_migrations ();
  sqlite3_stmt *stmt;

  stmt = zz_store_stmt (self, "PRAGMA user_version", error);
  if (!stmt)
    return FALSE;
  version = zz_store_query_int (self, stmt, 0);
  if (version > (gint64) target)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB,
                   _("This database was written by a newer version of the program (schema %d)."),
                   (int) version);
      return FALSE;
    }
  if (version == (gint64) target)
    return TRUE;
  if (version > 0)
    {
      g_autofree char *passphrase = zz_backup_load_passphrase (self->path);

      backup = zz_store_upgrade_backup_path (self->path, (guint) version, target);
      if (!zz_backup_write (self->path, backup, passphrase, NULL, NULL, NULL, &local))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB,
                       _("The database was not upgraded to this version of the program, because "
                         "the backup taken first failed: %s It was left as it was."), local->message);
          return FALSE;
        }
      g_message ("backup before the upgrade from schema %d to %u: %s", (int) version, target, backup);
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %u", target);
  /* The upgrade also applies the ops of newer versions' tables and fields kept until now, which
   * this version knows: rows may refer to rows not sent yet, as in an import, so foreign keys
   * are off meanwhile (a pragma that only takes effect outside a transaction). */
  if (version > 0)
    zz_store_exec (self, "PRAGMA foreign_keys = OFF", NULL);
  if (!zz_store_begin (self, error))
    {
      zz_store_exec (self, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  for (guint v = version + 1; v <= target && !local; v++)
    if (!zz_store_exec (self, migration_step (v), &local))
      g_prefix_error (&local, _("step %u: "), v);
  if (!local && version > 0 && !test_steps && !zz_store_apply_newer (self, NULL, &local))
    g_prefix_error (&local, _("applying changes kept for this version: "));
  if (!local)
    zz_store_exec (self, set_version, &local);
  if (!local)
    zz_store_commit (self, &local);
  else
    zz_store_rollback (self);
  if (version > 0)
    zz_store_exec (self, "PRAGMA foreign_keys = ON", NULL);
  if (local)
    {
      if (backup)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB,
                     _("This version of the program could not upgrade the database (%s). The "
                       "database was left as it was; a backup taken before the attempt is at %s."),
                     local->message, backup);
      else
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Could not create the database: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

char *
zz_store_get_key_path (ZzStore *self)
{
  return g_strconcat (self->path, ".key", NULL);
}

static gboolean
load_secret_key (ZzStore *self, GError **error)
{
  g_autofree char *path = zz_store_get_key_path (self);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return TRUE;  /* the database can still be read; signing will say the key is missing */
  lines = g_strsplit (contents, "\n", 3);
  if (g_strv_length (lines) < 2
      || sodium_base642bin (self->secret_key, sizeof self->secret_key, lines[1], strlen (lines[1]),
                            NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0
      || len != sizeof self->secret_key)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The node key file %s is damaged."), path);
      return FALSE;
    }
  crypto_sign_ed25519_sk_to_pk (pk, self->secret_key);
  if (sodium_memcmp (pk, self->public_key, sizeof pk) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("The node key file %s does not belong to this database."), path);
      return FALSE;
    }
  self->has_secret_key = TRUE;
  return TRUE;
}

static gboolean
load_node (ZzStore *self, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = zz_store_stmt (self, "SELECT id, org_unit, name, public_key FROM node WHERE is_self = 1", error);
  if (!stmt)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_free (self->node_id);
      g_free (self->node_org_unit);
      g_free (self->centre_name);
      self->node_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      self->node_org_unit = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      self->centre_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (sqlite3_column_bytes (stmt, 3) == sizeof self->public_key)
        memcpy (self->public_key, sqlite3_column_blob (stmt, 3), sizeof self->public_key);
    }
  sqlite3_reset (stmt);
  if (!self->node_id)
    return TRUE;
  {
    g_autofree char *pending = zz_store_get_setting (self, ZZ_RESTORE_PENDING_KEY);
    self->restore_pending = pending != NULL && *pending;
  }

  stmt = zz_store_stmt (self, "SELECT seq, hash, hlc FROM op WHERE origin = ? ORDER BY seq DESC LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->node_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      self->seq = sqlite3_column_int64 (stmt, 0);
      memcpy (self->last_hash, sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
      self->hlc = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  /* ops received from other nodes count too: the clock never goes behind anything seen */
  zz_store_merge_clock_from_log (self);
  return load_secret_key (self, error);
}

static int
check_progress_cb (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

gboolean
zz_store_check_file (const char *path, gboolean full, GCancellable *cancellable, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Could not open the database %s: %s"),
                   path, db ? sqlite3_errmsg (db) : "?");
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 10000);
  if (cancellable)
    sqlite3_progress_handler (db, 10000, check_progress_cb, cancellable);
  rc = sqlite3_prepare_v2 (db, full ? "PRAGMA integrity_check (20)" : "PRAGMA quick_check (20)", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line ? line : "?");
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_INTERRUPT || g_cancellable_is_cancelled (cancellable))
    {
      sqlite3_close (db);
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_CANCELLED, _("The check was cancelled."));
      return FALSE;
    }
  if (rc != SQLITE_DONE && !problems->len)
    g_string_append (problems, sqlite3_errmsg (db));
  sqlite3_close (db);
  if (problems->len)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB,
                   _("The database file is damaged. Stop working in it and restore the latest backup; "
                     "what was entered since then comes back from the county with its next bundle.\n\n"
                     "What the check found: %s"),
                   problems->str);
      return FALSE;
    }
  return TRUE;
}

static void
check_file_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (zz_store_check_file (data, FALSE, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
zz_store_check_file_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, zz_store_check_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_file_thread);
}

gboolean
zz_store_check_file_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
zz_store_was_unclean (ZzStore *self)
{
  return self->unclean;
}

ZzStore *
zz_store_open (const char *path, GError **error)
{
  g_autoptr(ZzStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wal = NULL;
  gboolean unclean;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("The cryptography library could not start."));
      return NULL;
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not create the folder %s: %s"),
                   dir, g_strerror (saved));
      return NULL;
    }
  /* A WAL file left behind means the last session did not close the database. */
  wal = g_strconcat (path, "-wal", NULL);
  unclean = g_file_test (wal, G_FILE_TEST_EXISTS);

  /* created 0600 before SQLite opens it: its write-ahead log and shared memory files take the
   * database file's mode */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }

  self = g_object_new (ZZ_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Could not open the database %s: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : "?");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);
  g_chmod (path, 0600);
  if (!zz_store_exec (self, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                            "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;", error))
    return NULL;
  self->unclean = unclean;
  if (!migrate (self, error) || !load_node (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
zz_store_get_path (ZzStore *self)
{
  return self->path;
}

/* ---- the op log ---- */

static void
append_value (GString *out, const ZzField *f)
{
  switch (f->type)
    {
    case ZZ_FIELD_NULL:
      g_string_append (out, "null");
      break;
    case ZZ_FIELD_TEXT:
      zz_json_append_string (out, f->s);
      break;
    case ZZ_FIELD_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, f->i);
      break;
    }
}

/* Serialises, hashes and appends one op of this node. The body is written once, in a fixed key
 * order, and those very bytes are hashed, stored and (later) sent. */
static gboolean
append_op (ZzStore       *self,
           const char    *kind,
           const char    *table,
           const char    *row_id,
           const char    *home,
           const ZzField *fields,
           guint          n_fields,
           GPtrArray     *parents,
           guint8        *out_hash,
           GError       **error)
{
  g_autoptr(GString) body = g_string_sized_new (256);
  g_autofree char *prev_hex = NULL;
  guint8 hash[ZZ_HASH_BYTES];
  sqlite3_stmt *stmt;
  gint64 seq;
  ZzHlc hlc;

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!self->node_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up yet."));
      return FALSE;
    }
  if (zz_store_get_restore_pending (self))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                   _("This computer was restored from a backup. Import a bundle from the county "
                     "first: it brings back the changes made here after the backup, and new "
                     "changes follow them. Until then nothing can be changed."));
      return FALSE;
    }
  seq = self->seq + 1;
  hlc = zz_hlc_tick (self->hlc, zz_store_now (self));
  prev_hex = zz_hex_encode (self->last_hash, ZZ_HASH_BYTES);

  g_string_append_printf (body, "{\"v\":1,\"o\":\"%s\",\"s\":%" G_GINT64_FORMAT ",\"p\":\"%s\",\"c\":%" G_GUINT64_FORMAT ",\"a\":",
                          self->node_id, seq, prev_hex, hlc);
  if (self->user_id)
    zz_json_append_string (body, self->user_id);
  else
    g_string_append (body, "null");
  g_string_append (body, ",\"k\":");
  zz_json_append_string (body, kind);
  g_string_append (body, ",\"t\":");
  zz_json_append_string (body, table);
  g_string_append (body, ",\"r\":");
  zz_json_append_string (body, row_id);
  g_string_append (body, ",\"h\":");
  zz_json_append_string (body, home);
  g_string_append (body, ",\"f\":{");
  for (guint i = 0; i < n_fields; i++)
    {
      if (i)
        g_string_append_c (body, ',');
      zz_json_append_string (body, fields[i].name);
      g_string_append_c (body, ':');
      append_value (body, &fields[i]);
    }
  g_string_append_c (body, '}');
  if (parents)
    {
      g_string_append (body, ",\"P\":[");
      for (guint i = 0; i < parents->len; i++)
        {
          g_autofree char *hex = zz_hex_encode (parents->pdata[i], ZZ_HASH_BYTES);
          g_string_append_printf (body, "%s\"%s\"", i ? "," : "", hex);
        }
      g_string_append_c (body, ']');
    }
  g_string_append_c (body, '}');

  crypto_generichash (hash, sizeof hash, (const guchar *) body->str, body->len, NULL, 0);

  stmt = zz_store_stmt (self,
                        "INSERT INTO op (origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->node_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_blob (stmt, 3, hash, sizeof hash, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, self->last_hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, (gint64) hlc);
  sqlite3_bind_text (stmt, 6, self->user_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, home, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 11, body->str, body->len, SQLITE_STATIC);
  if (!zz_store_step_done (self, stmt, error))
    return FALSE;

  self->seq = seq;
  self->hlc = hlc;
  memcpy (self->last_hash, hash, ZZ_HASH_BYTES);
  if (out_hash)
    memcpy (out_hash, hash, ZZ_HASH_BYTES);
  zz_store_mark_changed (self, table);
  return TRUE;
}

static void
bind_field (sqlite3_stmt *stmt, int i, const ZzField *f)
{
  switch (f->type)
    {
    case ZZ_FIELD_NULL: sqlite3_bind_null (stmt, i); break;
    case ZZ_FIELD_TEXT: sqlite3_bind_text (stmt, i, f->s, -1, SQLITE_STATIC); break;
    case ZZ_FIELD_INT: sqlite3_bind_int64 (stmt, i, f->i); break;
    }
}

static void
check_fields (const char *table, const ZzField *fields, guint n)
{
  const ZzSyncedTable *t = zz_schema_synced_table (table);

  g_assert (t != NULL);
  for (guint i = 0; i < n; i++)
    g_assert (zz_schema_has_field (t, fields[i].name));
}

gboolean
zz_store_insert_row (ZzStore       *self,
                     const char    *table,
                     const char    *id,
                     const char    *home,
                     const ZzField *fields,
                     guint          n_fields,
                     GError       **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  check_fields (table, fields, n_fields);
  if (!append_op (self, zz_schema_synced_table (table)->immutable ? "append" : "create",
                  table, id, home, fields, n_fields, NULL, NULL, error))
    return FALSE;

  g_string_append_printf (sql, "INSERT INTO %s (id, home, created_hlc, updated_hlc", table);
  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (sql, ", %s", fields[i].name);
  g_string_append (sql, ") VALUES (?, ?, ?, ?");
  for (guint i = 0; i < n_fields; i++)
    g_string_append (sql, ", ?");
  g_string_append_c (sql, ')');

  stmt = zz_store_stmt (self, sql->str, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, home, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) self->hlc);
  sqlite3_bind_int64 (stmt, 4, (gint64) self->hlc);
  for (guint i = 0; i < n_fields; i++)
    bind_field (stmt, 5 + i, &fields[i]);
  return zz_store_step_done (self, stmt, error);
}

static char *
row_home (ZzStore *self, const char *table, const char *id, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT home FROM %s WHERE id = ?", table);
  sqlite3_stmt *stmt = zz_store_stmt (self, sql, error);
  char *home = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    home = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (!home)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The record no longer exists."));
  return home;
}

static GPtrArray *
field_heads (ZzStore *self, const char *table, const char *id, const char *field, GError **error)
{
  GPtrArray *heads = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  stmt = zz_store_stmt (self, "SELECT op_hash FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?"
                              " ORDER BY op_hash", error);
  if (!stmt)
    return g_ptr_array_unref (heads), NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (heads, g_memdup2 (sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES));
  sqlite3_reset (stmt);
  if (heads->len > 0)
    return heads;

  stmt = zz_store_stmt (self, "SELECT hash FROM op WHERE tbl = ? AND row_id = ? AND kind = 'create'", error);
  if (!stmt)
    return g_ptr_array_unref (heads), NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (heads, g_memdup2 (sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES));
  sqlite3_reset (stmt);
  return heads;
}

/* One op of @kind ("set", or "resolve" when a person settles a conflict) for one field, naming
 * the field's current heads as parents; the field then has this op as its only head. */
static gboolean
set_one (ZzStore *self, const char *kind, const char *table, const char *id, const char *home,
         const ZzField *field, GError **error)
{
  g_autoptr(GPtrArray) parents = NULL;
  g_autofree char *sql = NULL;
  guint8 hash[ZZ_HASH_BYTES];
  sqlite3_stmt *stmt;

  parents = field_heads (self, table, id, field->name, error);
  if (!parents)
    return FALSE;
  if (!append_op (self, kind, table, id, home, field, 1, parents, hash, error))
    return FALSE;

  stmt = zz_store_stmt (self, "DELETE FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field->name, -1, SQLITE_STATIC);
  if (!zz_store_step_done (self, stmt, error))
    return FALSE;
  stmt = zz_store_stmt (self, "INSERT INTO field_head (tbl, row_id, field, op_hash) VALUES (?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, hash, sizeof hash, SQLITE_STATIC);
  if (!zz_store_step_done (self, stmt, error))
    return FALSE;

  sql = g_strdup_printf ("UPDATE %s SET %s = ?, updated_hlc = ? WHERE id = ?", table, field->name);
  stmt = zz_store_stmt (self, sql, error);
  if (!stmt)
    return FALSE;
  bind_field (stmt, 1, field);
  sqlite3_bind_int64 (stmt, 2, (gint64) self->hlc);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

gboolean
zz_store_set_fields (ZzStore       *self,
                     const char    *table,
                     const char    *id,
                     const ZzField *fields,
                     guint          n_fields,
                     GError       **error)
{
  g_autofree char *home = NULL;

  check_fields (table, fields, n_fields);
  /* An immutable record is never changed in place; callers check before they get here. */
  g_assert (!zz_schema_synced_table (table)->immutable);
  home = row_home (self, table, id, error);
  if (!home)
    return FALSE;

  for (guint i = 0; i < n_fields; i++)
    if (!set_one (self, "set", table, id, home, &fields[i], error))
      return FALSE;
  return TRUE;
}

gboolean
zz_store_write_resolve (ZzStore       *self,
                        const char    *table,
                        const char    *id,
                        const ZzField *field,
                        GError       **error)
{
  g_autofree char *home = NULL;

  check_fields (table, field, 1);
  g_assert (!zz_schema_synced_table (table)->immutable);
  home = row_home (self, table, id, error);
  if (!home)
    return FALSE;
  return set_one (self, "resolve", table, id, home, field, error);
}

gboolean
zz_store_tombstone_row (ZzStore    *self,
                        const char *table,
                        const char *id,
                        GError    **error)
{
  g_autofree char *home = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_assert (zz_schema_synced_table (table) != NULL);
  home = row_home (self, table, id, error);
  if (!home)
    return FALSE;
  if (!append_op (self, "tombstone", table, id, home, NULL, 0, NULL, NULL, error))
    return FALSE;
  sql = g_strdup_printf ("UPDATE %s SET deleted = 1, updated_hlc = ? WHERE id = ?", table);
  stmt = zz_store_stmt (self, sql, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) self->hlc);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

gint64
zz_store_count_ops (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM op", NULL);

  return stmt ? zz_store_query_int (self, stmt, 0) : -1;
}

gboolean
zz_store_verify_chain (ZzStore *self, const char *origin, GError **error)
{
  sqlite3_stmt *stmt;
  guint8 expect_prev[ZZ_HASH_BYTES] = { 0 };
  gint64 expect_seq = 1;
  gboolean ok = TRUE;

  stmt = zz_store_stmt (self, "SELECT seq, hash, prev, body FROM op WHERE origin = ? ORDER BY seq", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin ? origin : self->node_id, -1, SQLITE_TRANSIENT);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint8 h[ZZ_HASH_BYTES];
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const guint8 *hash = sqlite3_column_blob (stmt, 1);
      const guint8 *prev = sqlite3_column_blob (stmt, 2);
      const guint8 *body = sqlite3_column_blob (stmt, 3);
      int body_len = sqlite3_column_bytes (stmt, 3);

      crypto_generichash (h, sizeof h, body, body_len, NULL, 0);
      if (seq != expect_seq)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The op log has a gap before seq %lld."), (long long) seq);
          ok = FALSE;
        }
      else if (memcmp (prev, expect_prev, ZZ_HASH_BYTES) != 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("Op %lld does not follow the op before it."), (long long) seq);
          ok = FALSE;
        }
      else if (memcmp (h, hash, ZZ_HASH_BYTES) != 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("Op %lld has been altered."), (long long) seq);
          ok = FALSE;
        }
      memcpy (expect_prev, hash, ZZ_HASH_BYTES);
      expect_seq++;
    }
  sqlite3_reset (stmt);
  return ok;
}

GListModel *
zz_store_row_ops (ZzStore *self, const char *tbl, const char *row_id)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT origin, seq, kind, tbl, row_id, author, hlc, CAST(body AS TEXT) AS body"
                                      " FROM op WHERE tbl = ? AND row_id = ? ORDER BY hlc, origin, seq", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, tbl, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

/* ---- after a restore ---- */

gboolean
zz_store_get_restore_pending (ZzStore *self)
{
  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);

  /* an import in a worker thread (its own connection) may have ended the wait */
  if (self->restore_pending)
    {
      g_autofree char *pending = zz_store_get_setting (self, ZZ_RESTORE_PENDING_KEY);
      self->restore_pending = pending != NULL && *pending;
    }
  return self->restore_pending;
}

/* A bundle from @sender_unit was imported: when that is a centre above this node (it holds
 * what this node sent it), the node's later changes are back and new ones may follow them. */
gboolean
zz_store_note_bundle_from (ZzStore *self, const char *sender_unit, GError **error)
{
  sqlite3_stmt *stmt;

  if (!self->restore_pending || !sender_unit || !self->node_org_unit
      || strcmp (sender_unit, self->node_org_unit) == 0 || !g_str_has_prefix (self->node_org_unit, sender_unit))
    return TRUE;
  stmt = zz_store_stmt (self, "DELETE FROM setting WHERE key = '" ZZ_RESTORE_PENDING_KEY "'", error);
  if (!stmt || !zz_store_step_done (self, stmt, error))
    return FALSE;
  self->restore_pending = FALSE;
  return TRUE;
}

/* ---- settings ---- */

char *
zz_store_get_setting (ZzStore *self, const char *key)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT value FROM setting WHERE key = ?", NULL);
  char *value = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
zz_store_set_setting (ZzStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return zz_store_step_done (self, stmt, error);
}

void
zz_store_log_access (ZzStore *self, const char *what, const char *row_id)
{
  g_autofree char *day = NULL;
  sqlite3_stmt *stmt;

  if (!self->user_id || !what || !row_id)
    return;
  stmt = zz_store_stmt (self, "INSERT OR IGNORE INTO access_log (at, day, user_id, what, row_id)"
                              " VALUES (?, ?, ?, ?, ?)", NULL);
  if (!stmt)
    return;
  day = zz_store_day_of (zz_store_now (self));
  sqlite3_bind_int64 (stmt, 1, zz_store_now (self));
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, self->user_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, row_id, -1, SQLITE_TRANSIENT);
  zz_store_step_done (self, stmt, NULL);
}

GListModel *
zz_store_list_access_log (ZzStore *self, const char *day)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_ACCESS_LOG))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self, "SELECT a.at, a.day, a.what, a.row_id, u.login, u.name AS user_name,"
                              " coalesce (p.name, m.name) AS person_name FROM access_log a"
                              " LEFT JOIN user u ON u.id = a.user_id LEFT JOIN person p ON p.id = a.row_id"
                              " LEFT JOIN household_member m ON m.id = a.row_id"
                              " WHERE ?1 IS NULL OR a.day = ?1 ORDER BY a.at, a.rowid", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

void
zz_thread_progress_init (ZzThreadProgress *tp, ZzProgressFunc func, gpointer data)
{
  tp->func = func;
  tp->data = data;
  tp->context = g_main_context_ref_thread_default ();
}

void
zz_thread_progress_clear (ZzThreadProgress *tp)
{
  g_clear_pointer (&tp->context, g_main_context_unref);
}

typedef struct {
  ZzProgressFunc func;
  gpointer data;
  double fraction;
} ProgressMsg;

static gboolean
deliver_progress (gpointer p)
{
  ProgressMsg *m = p;

  m->func (m->fraction, m->data);
  return G_SOURCE_REMOVE;
}

void
zz_thread_progress_report (double fraction, gpointer user_data)
{
  ZzThreadProgress *tp = user_data;
  ProgressMsg *m;

  if (!tp->func)
    return;
  m = g_new (ProgressMsg, 1);
  m->func = tp->func;
  m->data = tp->data;
  m->fraction = fraction;
  g_main_context_invoke_full (tp->context, G_PRIORITY_DEFAULT, deliver_progress, m, g_free);
}
