/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sodium.h>
#include <sqlite3.h>

#include "zz-hlc.h"
#include "zz-store.h"

G_BEGIN_DECLS

#define ZZ_HASH_BYTES 32
/* The local setting a restore leaves in a database that takes part in sync. */
#define ZZ_RESTORE_PENDING_KEY "restore_pending"
#define ZZ_TX_MAX_DEPTH 16

struct _ZzStore {
  GObject parent_instance;

  sqlite3 *db;
  char *path;
  gboolean unclean;           /* a WAL was left by the last session */
  GHashTable *stmts;          /* SQL text -> prepared statement */
  gint64 fixed_now;

  /* this node */
  char *node_id;
  char *node_org_unit;
  char *centre_name;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  gboolean has_secret_key;

  /* the head of this node's chain, kept in memory and rolled back with the transaction */
  gint64 seq;
  guint8 last_hash[ZZ_HASH_BYTES];
  ZzHlc hlc;

  /* restored from a backup: synced writes wait for a bundle from a centre above */
  gboolean restore_pending;

  int depth;
  struct {
    gint64 seq;
    guint8 last_hash[ZZ_HASH_BYTES];
    ZzHlc hlc;
  } saved[ZZ_TX_MAX_DEPTH];
  GHashTable *changed_tables; /* emitted as ::changed after the outermost commit */

  /* session */
  char *user_id;
  char *user_login;
  char *user_name;
  ZzRole role;
};

typedef enum {
  ZZ_FIELD_NULL,
  ZZ_FIELD_TEXT,
  ZZ_FIELD_INT,
} ZzFieldType;

typedef struct {
  const char *name;
  ZzFieldType type;
  const char *s;
  gint64 i;
} ZzField;

#define ZZ_F_TEXT(n, v) ((ZzField) { (n), (v) ? ZZ_FIELD_TEXT : ZZ_FIELD_NULL, (v), 0 })
#define ZZ_F_INT(n, v)  ((ZzField) { (n), ZZ_FIELD_INT, NULL, (v) })
#define ZZ_F_NULL(n)    ((ZzField) { (n), ZZ_FIELD_NULL, NULL, 0 })

ZzRow        *zz_row_new_from_stmt   (sqlite3_stmt *stmt);

/* A cached prepared statement, reset and cleared of bindings. NULL with @error set on failure. */
sqlite3_stmt *zz_store_stmt          (ZzStore      *self,
                                      const char   *sql,
                                      GError      **error);
gboolean      zz_store_exec          (ZzStore      *self,
                                      const char   *sql,
                                      GError      **error);
gboolean      zz_store_db_error      (ZzStore      *self,
                                      GError      **error);
/* Steps a statement to the end; FALSE with @error on failure. */
gboolean      zz_store_step_done     (ZzStore      *self,
                                      sqlite3_stmt *stmt,
                                      GError      **error);
GListModel   *zz_store_query_rows    (ZzStore      *self,
                                      sqlite3_stmt *stmt);
ZzRow        *zz_store_query_row     (ZzStore      *self,
                                      sqlite3_stmt *stmt);
gint64        zz_store_query_int     (ZzStore      *self,
                                      sqlite3_stmt *stmt,
                                      gint64        fallback);

/* Nested transactions: the outermost is BEGIN IMMEDIATE, inner ones savepoints. */
gboolean      zz_store_begin         (ZzStore      *self,
                                      GError      **error);
gboolean      zz_store_commit        (ZzStore      *self,
                                      GError      **error);
void          zz_store_rollback      (ZzStore      *self);
void          zz_store_mark_changed  (ZzStore      *self,
                                      const char   *table);

/* The one write path for synced tables: the row and its op(s) together. Must run inside a
 * transaction. Table and field names come from code, never from input. */
gboolean      zz_store_insert_row    (ZzStore      *self,
                                      const char   *table,
                                      const char   *id,
                                      const char   *home,
                                      const ZzField *fields,
                                      guint         n_fields,
                                      GError      **error);
/* One set op per field, naming the field's current heads as parents. */
gboolean      zz_store_set_fields    (ZzStore      *self,
                                      const char   *table,
                                      const char   *id,
                                      const ZzField *fields,
                                      guint         n_fields,
                                      GError      **error);
gboolean      zz_store_tombstone_row (ZzStore      *self,
                                      const char   *table,
                                      const char   *id,
                                      GError      **error);

/* Fails with ZZ_ERROR_PERMISSION unless the logged-in user's role allows @perm. */
gboolean      zz_store_require       (ZzStore      *self,
                                      ZzPermission  perm,
                                      GError      **error);

char         *zz_store_new_id        (ZzStore      *self);

/* Progress of work in a worker thread, reported on the context that started it (captured by
 * _init, the thread-default one). zz_thread_progress_report is the ZzProgressFunc to hand the
 * worker, with the ZzThreadProgress as its data. */
typedef struct {
  ZzProgressFunc func;
  gpointer data;
  GMainContext *context;
} ZzThreadProgress;

void          zz_thread_progress_init   (ZzThreadProgress *tp,
                                         ZzProgressFunc    func,
                                         gpointer          data);
void          zz_thread_progress_report (double            fraction,
                                         gpointer          tp);
void          zz_thread_progress_clear  (ZzThreadProgress *tp);

/* Store-level GLib-free helpers shared by the verbs. */
gboolean      zz_store_set_setting   (ZzStore      *self,
                                      const char   *key,
                                      const char   *value,
                                      GError      **error);
char         *zz_hex_encode          (const guint8 *bytes,
                                      gsize         len);

/* Tests: open with these migration steps in place of the schema's (NULL: the schema's). */
void          zz_store_set_migrations_for_test (const char *const *steps,
                                                guint              n_steps);
/* Tests: a lighter scrypt work factor for encrypted backups (the default is age's, 18). */
void          zz_backup_set_scrypt_log_n_for_test (int log_n);
/* Where the backup taken before an upgrade from schema @from to @to goes. */
char         *zz_store_upgrade_backup_path     (const char        *db_path,
                                                guint              from,
                                                guint              to);
/* Called by the import of a bundle from @sender_unit, in its transaction: a bundle from a centre
 * above ends the wait after a restore. */
gboolean      zz_store_note_bundle_from        (ZzStore           *self,
                                                const char        *sender_unit,
                                                GError           **error);

G_END_DECLS
