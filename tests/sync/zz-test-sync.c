/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "zz-age.h"
#include "zz-bundle.h"
#include "zz-json.h"
#include "zz-schema.h"
#include "zz-store-private.h"
#include "zz-test-sync.h"

static char *
rm_rf_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        g_free (rm_rf_dir (p));
      else
        g_unlink (p);
    }
  g_rmdir (dir);
  return NULL;
}

static gboolean fast_disk;

void
zz_test_sync_fast_disk (void)
{
  fast_disk = TRUE;
}

static void
apply_disk_mode (ZzTestNode *n)
{
  if (fast_disk)
    g_assert_cmpint (sqlite3_exec (n->store->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL), ==, SQLITE_OK);
}

ZzTestNode *
zz_test_node_new (const char *unit, const char *name)
{
  return zz_test_node_new_within (unit, name, "433122");
}

ZzTestNode *
zz_test_node_new_within (const char *unit, const char *name, const char *within)
{
  ZzTestNode *n = g_new0 (ZzTestNode, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);

  n->dir = g_dir_make_tmp ("zz-sync-XXXXXX", &error);
  g_assert_no_error (error);
  n->path = g_build_filename (n->dir, "zongzhi.db", NULL);
  n->unit = g_strdup (unit);
  n->store = zz_store_open (n->path, &error);
  g_assert_no_error (error);
  apply_disk_mode (n);
  /* Luxi county with its ancestors (Xiangxi prefecture, Hunan) and its townships and villages */
  g_assert_true (zz_store_import_divisions (n->store, divisions, within,
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_setup_node (n->store, unit, name, "admin", "管理员", "Admin2024", &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (n->store, "admin", &error));
  g_assert_no_error (error);
  return n;
}

void
zz_test_node_free (ZzTestNode *n)
{
  g_clear_object (&n->store);
  g_free (rm_rf_dir (n->dir));
  g_free (n->dir);
  g_free (n->path);
  g_free (n->unit);
  g_free (n);
}

void
zz_test_node_reopen (ZzTestNode *n)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&n->store);
  n->store = zz_store_open (n->path, &error);
  g_assert_no_error (error);
  apply_disk_mode (n);
  g_assert_true (zz_store_act_as (n->store, "admin", &error));
  g_assert_no_error (error);
}

void
zz_test_node_trust (ZzTestNode *n, ZzTestNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pub = zz_sync_public_key_file (root->store);
  g_autofree char *fp = zz_store_get_fingerprint (root->store);

  g_assert_true (zz_sync_trust_root (n->store, pub, fp, &error));
  g_assert_no_error (error);
}

void
zz_test_node_enrol (ZzTestNode *county, ZzTestNode *n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pub = zz_sync_public_key_file (n->store);

  zz_sync_enrol (county->store, pub, NULL, &error);
  g_assert_no_error (error);
}

GBytes *
zz_test_node_export (ZzTestNode *from, ZzTestNode *to)
{
  g_autoptr(GError) error = NULL;
  GBytes *b = zz_sync_export_bytes (from->store, to ? zz_store_get_node_id (to->store) : NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (b);
  return b;
}

void
zz_test_node_import (ZzTestNode *n, GBytes *bundle, ZzImportResult *res)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_sync_import_bytes (n->store, bundle, res, &error));
  g_assert_no_error (error);
  if (res->refused)
    g_error ("bundle refused: %s", res->reason);
}

void
zz_test_node_send (ZzTestNode *from, ZzTestNode *to)
{
  g_autoptr(GBytes) b = zz_test_node_export (from, to);
  ZzImportResult res = { 0 };

  zz_test_node_import (to, b, &res);
  g_assert_false (res.quarantined);
  zz_import_result_clear (&res);
}

char *
zz_test_node_digest (ZzTestNode *n)
{
  return zz_sync_digest (n->store);
}

void
zz_test_node_simulate (ZzTestNode *n, guint ops, guint32 seed, const char *home)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_sync_simulate (n->store, ops, seed, home, &error));
  g_assert_no_error (error);
}

gint64
zz_test_node_int (ZzTestNode *n, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

char *
zz_test_node_text (ZzTestNode *n, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

void
zz_test_node_exec (ZzTestNode *n, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &data, &len, &error));
  g_assert_true (g_file_set_contents_full (to, data, len, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
}

ZzTestNode *
zz_test_node_clone (ZzTestNode *n)
{
  ZzTestNode *c = g_new0 (ZzTestNode, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *key_from = NULL, *key_to = NULL;

  g_clear_object (&n->store);   /* closing checkpoints the write-ahead log into the file */
  c->dir = g_dir_make_tmp ("zz-sync-XXXXXX", &error);
  g_assert_no_error (error);
  c->path = g_build_filename (c->dir, "zongzhi.db", NULL);
  c->unit = g_strdup (n->unit);
  copy_file (n->path, c->path);
  key_from = g_strconcat (n->path, ".key", NULL);
  key_to = g_strconcat (c->path, ".key", NULL);
  copy_file (key_from, key_to);
  zz_test_node_reopen (n);
  zz_test_node_reopen (c);
  return c;
}

gboolean
zz_test_set_text (ZzStore *store, const char *table, const char *id, const char *field, const char *value,
                  GError **error)
{
  ZzField f = ZZ_F_TEXT (field, value);

  if (!zz_store_begin (store, error))
    return FALSE;
  if (!zz_store_set_fields (store, table, id, &f, 1, error))
    {
      zz_store_rollback (store);
      return FALSE;
    }
  return zz_store_commit (store, error);
}

char *
zz_test_node_forge (ZzTestNode *n, const char *kind, const char *table, const char *row_id, const char *home,
                    const char *fields_json, const char *parents_json, guint64 hlc)
{
  ZzStore *s = n->store;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *prev_hex = zz_hex_encode (s->last_hash, ZZ_HASH_BYTES);
  guint8 hash[ZZ_HASH_BYTES];
  sqlite3_stmt *stmt = NULL;
  gint64 seq = s->seq + 1;

  if (hlc == 0)
    hlc = zz_hlc_tick (s->hlc, zz_store_now (s));
  g_string_append_printf (body, "{\"v\":1,\"o\":\"%s\",\"s\":%" G_GINT64_FORMAT ",\"p\":\"%s\",\"c\":%" G_GUINT64_FORMAT ",\"a\":",
                          s->node_id, seq, prev_hex, hlc);
  if (s->user_id)
    zz_json_append_string (body, s->user_id);
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
  g_string_append (body, ",\"f\":");
  g_string_append (body, fields_json ? fields_json : "{}");
  if (parents_json)
    g_string_append_printf (body, ",\"P\":%s", parents_json);
  g_string_append_c (body, '}');
  crypto_generichash (hash, sizeof hash, (const guchar *) body->str, body->len, NULL, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (s->db, "INSERT INTO op (origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body)"
                                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, s->node_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_blob (stmt, 3, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 4, s->last_hash, ZZ_HASH_BYTES, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, (gint64) hlc);
  sqlite3_bind_text (stmt, 6, s->user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, home, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 11, body->str, body->len, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  /* the store reads its chain's end (seq, hash, clock) again */
  zz_test_node_reopen (n);
  return zz_hex_encode (hash, sizeof hash);
}

char *
zz_test_node_data_digest (ZzTestNode *n)
{
  crypto_generichash_state st;
  guint8 out[ZZ_HASH_BYTES];
  const ZzSyncedTable *t;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  crypto_generichash_init (&st, NULL, 0, sizeof out);
  for (guint i = 0; (t = zz_schema_synced_table_nth (i)); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", t->name);
      sqlite3_stmt *stmt = NULL;

      crypto_generichash_update (&st, (const guint8 *) t->name, strlen (t->name) + 1);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const guint8 *v = sqlite3_column_blob (stmt, c);
            guint32 len = sqlite3_column_bytes (stmt, c);
            char tag = '0' + sqlite3_column_type (stmt, c);

            crypto_generichash_update (&st, (const guint8 *) &tag, 1);
            crypto_generichash_update (&st, (const guint8 *) &len, sizeof len);
            if (v)
              crypto_generichash_update (&st, v, len);
          }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  crypto_generichash_final (&st, out, sizeof out);
  return zz_hex_encode (out, sizeof out);
}

char *
zz_test_node_refused (ZzTestNode *n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *s = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT lower(hex(hash)), origin, seq FROM sync_refused ORDER BY 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "%s %s %lld\n", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                            (long long) sqlite3_column_int64 (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (s, FALSE);
}

gboolean
zz_test_node_holds (ZzTestNode *n, const char *hash_hex)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM op WHERE hash = x'%s' AND kind != 'stub'", hash_hex);

  return zz_test_node_int (n, sql) > 0;
}

gboolean
zz_test_node_refused_op (ZzTestNode *n, const char *hash_hex)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sync_refused WHERE hash = x'%s' AND length(reason) > 0",
                                          hash_hex);

  return zz_test_node_int (n, sql) > 0;
}

static void
remove_wal (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
}

void
zz_test_node_backup (ZzTestNode *n, const char *name)
{
  g_autofree char *to = g_build_filename (n->dir, name, NULL);

  g_clear_object (&n->store);   /* closing checkpoints the write-ahead log into the file */
  copy_file (n->path, to);
  zz_test_node_reopen (n);
}

void
zz_test_node_restore (ZzTestNode *n, const char *name)
{
  g_autofree char *from = g_build_filename (n->dir, name, NULL);

  g_clear_object (&n->store);
  remove_wal (n->path);
  copy_file (from, n->path);
  zz_test_node_reopen (n);
}

/* ---- bundles taken apart and put together again ---- */

int
zz_test_bundle_format (GBytes *bundle)
{
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  int format;

  g_assert_true (zz_bundle_unpack (g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle), &files, &mtime, NULL));
  format = files.encrypted ? 2 : 1;
  zz_bundle_files_clear (&files);
  return format;
}

GBytes *
zz_test_bundle_ops (ZzTestNode *reader, GBytes *bundle)
{
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  GBytes *out;

  g_assert_true (zz_bundle_unpack (g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle), &files, &mtime, NULL));
  if (files.encrypted)
    {
      guint8 x_sk[ZZ_AGE_KEY_BYTES];
      g_autoptr(GError) error = NULL;

      zz_age_x25519_secret_from_ed25519 (reader->store->secret_key, x_sk);
      out = zz_age_decrypt (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), x_sk, NULL, 0, &error);
      g_assert_no_error (error);
    }
  else
    out = g_bytes_ref (files.ops);
  zz_bundle_files_clear (&files);
  return out;
}

GBytes *
zz_test_bundle_resign (ZzTestNode *signer, GBytes *bundle, const char *set_json, GBytes *member, gboolean encrypted)
{
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) m = NULL, s = NULL;
  g_autofree char *text = NULL, *comment = NULL, *sig = NULL;
  JsonObject *manifest, *payload;
  GBytes *ops;
  GBytes *out;

  g_assert_true (zz_bundle_unpack (g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle), &files, &mtime, NULL));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (files.manifest, NULL),
                                             g_bytes_get_size (files.manifest), &error));
  g_assert_no_error (error);
  manifest = json_node_get_object (json_parser_get_root (parser));
  if (set_json)
    {
      g_autoptr(JsonParser) set = json_parser_new ();
      JsonObjectIter it;
      const char *k;
      JsonNode *v;

      g_assert_true (json_parser_load_from_data (set, set_json, -1, &error));
      g_assert_no_error (error);
      json_object_iter_init (&it, json_node_get_object (json_parser_get_root (set)));
      /* null: the member removed (as a manifest of an earlier release lacks it) */
      while (json_object_iter_next (&it, &k, &v))
        if (JSON_NODE_HOLDS_NULL (v))
          json_object_remove_member (manifest, k);
        else
          json_object_set_member (manifest, k, json_node_copy (v));
    }
  payload = json_object_get_object_member (manifest, "payload");
  ops = member ? member : files.ops;
  if (!member)
    encrypted = files.encrypted;
  {
    guint8 h[32];
    g_autofree char *hex = NULL;

    crypto_generichash (h, sizeof h, g_bytes_get_data (ops, NULL), g_bytes_get_size (ops), NULL, 0);
    hex = zz_hex_encode (h, sizeof h);
    json_object_set_string_member (payload, "file", encrypted ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS);
    json_object_set_int_member (payload, "size", g_bytes_get_size (ops));
    json_object_set_string_member (payload, "blake2b", hex);
    {
      g_autofree char *json = json_to_string (json_parser_get_root (parser), FALSE);
      const char *recipient = json_object_get_null_member (manifest, "recipient")
                              ? NULL : json_object_get_string_member (manifest, "recipient");

      text = g_strconcat (json, "\n", NULL);
      comment = g_strdup_printf ("zongzhi bundle sender=%s unit=%s recipient=%s created=%lld payload=%s",
                                 json_object_get_string_member (manifest, "sender"),
                                 json_object_get_string_member (manifest, "sender_unit"),
                                 recipient ? recipient : "all",
                                 (long long) json_object_get_int_member (manifest, "created"), hex);
    }
  }
  sig = zz_minisign_sign (signer->store->secret_key, signer->store->public_key, text, strlen (text), comment);
  m = g_bytes_new (text, strlen (text));
  s = g_bytes_new (sig, strlen (sig));
  out = zz_bundle_pack_named (m, s, ops, encrypted ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS, mtime);
  zz_bundle_files_clear (&files);
  return out;
}
