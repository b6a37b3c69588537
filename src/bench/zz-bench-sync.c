/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench"

/* The session extension's declarations (Debian's SQLite is built with it). */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-age.h"
#include "zz-bench.h"
#include "zz-bundle.h"
#include "zz-op.h"
#include "zz-store-private.h"
#include "zz-sync.h"

static ZzStore *
bench_node (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return zz_bench_county_store (path, name, error);
}

static void
bind_value (sqlite3_stmt *stmt, int i, const ZzOpField *f)
{
  switch (f->type)
    {
    case ZZ_OP_VALUE_NULL: sqlite3_bind_null (stmt, i); break;
    case ZZ_OP_VALUE_TEXT: sqlite3_bind_text (stmt, i, f->s, -1, SQLITE_TRANSIENT); break;
    case ZZ_OP_VALUE_INT: sqlite3_bind_int64 (stmt, i, f->i); break;
    }
}

/* The change of one op as plain SQL on @db (what a change-tracking SQLite database would do). */
static gboolean
replay (sqlite3 *db, const ZzOp *op)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (g_strcmp0 (op->kind, "create") == 0 || g_strcmp0 (op->kind, "append") == 0)
    {
      g_string_append_printf (sql, "INSERT INTO \"%s\" (id, home, created_hlc, updated_hlc", op->table);
      for (guint i = 0; i < op->n_fields; i++)
        g_string_append_printf (sql, ", \"%s\"", op->fields[i].name);
      g_string_append (sql, ") VALUES (?, ?, ?, ?");
      for (guint i = 0; i < op->n_fields; i++)
        g_string_append (sql, ", ?");
      g_string_append_c (sql, ')');
    }
  else if (g_strcmp0 (op->kind, "set") == 0 || g_strcmp0 (op->kind, "resolve") == 0)
    g_string_append_printf (sql, "UPDATE \"%s\" SET \"%s\" = ?5, updated_hlc = ?4 WHERE id = ?1", op->table,
                            op->fields[0].name);
  else if (g_strcmp0 (op->kind, "tombstone") == 0)
    g_string_append_printf (sql, "UPDATE \"%s\" SET deleted = 1, updated_hlc = ?4 WHERE id = ?1", op->table);
  else
    return TRUE;
  if (sqlite3_prepare_v3 (db, sql->str, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->home, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) op->hlc);
  sqlite3_bind_int64 (stmt, 4, (gint64) op->hlc);
  for (guint i = 0; i < op->n_fields; i++)
    bind_value (stmt, 5 + i, &op->fields[i]);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
zz_bench_sync (int argc, char **argv)
{
  guint n = 100000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-bench-sync-XXXXXX", NULL);
  g_autoptr(ZzStore) a = NULL, b = NULL, b1 = NULL, raw = NULL, sess = NULL;
  g_autoptr(GBytes) bundle = NULL, plain = NULL;
  double t_export1, t_import1, t_decrypt = 0, t_encrypt = 0;
  guint n_ops1 = 0;
  ZzExportOptions format1 = { .format = 1 }, format2 = { .format = 2 };
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  ZzImportResult res = { 0 };
  gint64 start;
  double t_export, t_import, t_reimport, t_raw_ops, t_raw_rows;
  guint n_ops = 0;
  gsize changeset_each = 0, changeset_net = 0, changeset_each_raw = 0, changeset_net_raw = 0;
  sqlite3_stmt *stmt;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--ops") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1);
      }

  g_print ("bench sync (%u ops of realistic changes, WAL, synchronous=FULL)\n", n);
  a = bench_node (dir, "a.db", &error);
  b = a ? bench_node (dir, "b.db", &error) : NULL;
  b1 = b ? bench_node (dir, "b1.db", &error) : NULL;
  if (!b1)
    goto fail;
  {
    g_autofree char *pub = zz_sync_public_key_file (a);
    g_autofree char *fp = zz_store_get_fingerprint (a);
    g_autofree char *pub_b = zz_sync_public_key_file (b);
    g_autofree char *pub_b1 = zz_sync_public_key_file (b1);

    /* two fresh receivers: b is written format 2 (encrypted for it), b1 format 1 */
    if (!zz_sync_trust_root (b, pub, fp, &error) || !zz_sync_trust_root (b1, pub, fp, &error)
        || !zz_sync_trust_root (a, pub, fp, &error) || !zz_sync_enrol (a, pub_b, NULL, &error)
        || !zz_sync_enrol (a, pub_b1, NULL, &error))
      goto fail;
  }
  start = g_get_monotonic_time ();
  if (!zz_sync_simulate (a, n, 1, NULL, &error))
    goto fail;
  g_print ("  writing the changes with the store's verbs: %.0f ops/s\n", n / seconds_since (start));

  /* export, format 1 and format 2 */
  start = g_get_monotonic_time ();
  plain = zz_sync_export_bytes_with (a, zz_store_get_node_id (b1), &format1, &n_ops1, &error);
  if (!plain)
    goto fail;
  t_export1 = seconds_since (start);
  start = g_get_monotonic_time ();
  bundle = zz_sync_export_bytes_with (a, zz_store_get_node_id (b), &format2, &n_ops, &error);
  if (!bundle)
    goto fail;
  t_export = seconds_since (start);

  /* each into a fresh node, then the format 2 bundle again */
  start = g_get_monotonic_time ();
  if (!zz_sync_import_bytes (b1, plain, &res, &error))
    goto fail;
  t_import1 = seconds_since (start);
  if (res.refused)
    {
      g_printerr ("bench: the format 1 bundle was refused: %s\n", res.reason);
      return 1;
    }
  zz_import_result_clear (&res);
  start = g_get_monotonic_time ();
  if (!zz_sync_import_bytes (b, bundle, &res, &error))
    goto fail;
  t_import = seconds_since (start);
  if (res.refused)
    {
      g_printerr ("bench: the bundle was refused: %s\n", res.reason);
      return 1;
    }
  zz_import_result_clear (&res);
  /* the encryption alone: the payload encrypted for b, and decrypted with its identity */
  {
    ZzBundleFiles f1 = { 0 }, f2 = { 0 };
    guint8 ed_pk[crypto_sign_PUBLICKEYBYTES], x_pk[ZZ_AGE_KEY_BYTES], x_sk[ZZ_AGE_KEY_BYTES];
    g_autoptr(GBytes) sealed = NULL, opened = NULL;

    if (!zz_bundle_unpack (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), &f1, NULL, &error)
        || !zz_bundle_unpack (g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle), &f2, NULL, &error))
      goto fail;
    memcpy (ed_pk, b->public_key, sizeof ed_pk);
    zz_age_x25519_public_from_ed25519 (ed_pk, x_pk);
    zz_age_x25519_secret_from_ed25519 (b->secret_key, x_sk);
    start = g_get_monotonic_time ();
    sealed = zz_age_encrypt (g_bytes_get_data (f1.ops, NULL), g_bytes_get_size (f1.ops),
                             (const guint8 (*)[ZZ_AGE_KEY_BYTES]) x_pk, 1, NULL, 0, &error);
    t_encrypt = seconds_since (start);
    start = g_get_monotonic_time ();
    opened = zz_age_decrypt (g_bytes_get_data (f2.ops, NULL), g_bytes_get_size (f2.ops), x_sk, NULL, 0, &error);
    t_decrypt = seconds_since (start);
    sodium_memzero (x_sk, sizeof x_sk);
    zz_bundle_files_clear (&f1);
    zz_bundle_files_clear (&f2);
    if (!sealed || !opened)
      goto fail;
  }
  start = g_get_monotonic_time ();
  if (!zz_sync_import_bytes (b, bundle, &res, &error))
    goto fail;
  t_reimport = seconds_since (start);
  zz_import_result_clear (&res);

  /* the same op rows inserted raw, in one transaction, into a fresh database of the same schema */
  {
    g_autofree char *p = g_build_filename (dir, "raw.db", NULL);
    sqlite3_stmt *ins = NULL;

    raw = zz_store_open (p, &error);
    if (!raw)
      goto fail;
    stmt = zz_store_stmt (a, "SELECT origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body FROM op"
                             " ORDER BY origin, seq", &error);
    if (!stmt)
      goto fail;
    sqlite3_prepare_v2 (raw->db, "INSERT INTO op (origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL);
    start = g_get_monotonic_time ();
    sqlite3_exec (raw->db, "BEGIN", NULL, NULL, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        for (int c = 0; c < 11; c++)
          sqlite3_bind_value (ins, c + 1, sqlite3_column_value (stmt, c));
        sqlite3_step (ins);
        sqlite3_reset (ins);
        g_ptr_array_add (ops, g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10)));
      }
    sqlite3_exec (raw->db, "COMMIT", NULL, NULL, NULL);
    t_raw_ops = seconds_since (start);
    sqlite3_reset (stmt);
    sqlite3_finalize (ins);
  }

  /* the same changes as plain SQL rows (inserts and updates), in one transaction */
  {
    g_autofree char *p = g_build_filename (dir, "rows.db", NULL);
    g_autoptr(ZzStore) rows = zz_store_open (p, &error);

    if (!rows)
      goto fail;
    sqlite3_exec (rows->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    start = g_get_monotonic_time ();
    sqlite3_exec (rows->db, "BEGIN", NULL, NULL, NULL);
    for (guint i = 0; i < ops->len; i++)
      {
        ZzOp op;
        gsize len;
        const char *body = g_bytes_get_data (ops->pdata[i], &len);

        if (zz_op_parse (body, len, &op, NULL))
          {
            replay (rows->db, &op);
            zz_op_clear (&op);
          }
      }
    sqlite3_exec (rows->db, "COMMIT", NULL, NULL, NULL);
    t_raw_rows = seconds_since (start);
  }

  /* the same changes recorded by SQLite's session extension: one changeset per change (a
   * change log, like the ops), and one net changeset of the whole (history folded away) */
  {
    g_autofree char *p = g_build_filename (dir, "session.db", NULL);
    g_autoptr(GByteArray) each = g_byte_array_new ();
    sqlite3_session *all = NULL;

    sess = zz_store_open (p, &error);
    if (!sess)
      goto fail;
    sqlite3_exec (sess->db, "PRAGMA foreign_keys = OFF; BEGIN", NULL, NULL, NULL);
    sqlite3session_create (sess->db, "main", &all);
    sqlite3session_attach (all, NULL);
    for (guint i = 0; i < ops->len; i++)
      {
        ZzOp op;
        gsize len;
        const char *body = g_bytes_get_data (ops->pdata[i], &len);
        sqlite3_session *one = NULL;
        int size = 0;
        void *cs = NULL;

        if (!zz_op_parse (body, len, &op, NULL))
          continue;
        sqlite3session_create (sess->db, "main", &one);
        sqlite3session_attach (one, NULL);
        replay (sess->db, &op);
        if (sqlite3session_changeset (one, &size, &cs) == SQLITE_OK && cs)
          g_byte_array_append (each, cs, size);
        sqlite3_free (cs);
        sqlite3session_delete (one);
        zz_op_clear (&op);
      }
    {
      int size = 0;
      void *cs = NULL;
      g_autoptr(GBytes) z1 = NULL, z2 = NULL;

      sqlite3session_changeset (all, &size, &cs);
      changeset_net_raw = size;
      z1 = zz_zstd_compress (cs, size, 6);
      changeset_net = g_bytes_get_size (z1);
      sqlite3_free (cs);
      changeset_each_raw = each->len;
      z2 = zz_zstd_compress (each->data, each->len, 6);
      changeset_each = g_bytes_get_size (z2);
    }
    sqlite3session_delete (all);
    sqlite3_exec (sess->db, "COMMIT", NULL, NULL, NULL);
  }

  {
    gsize size = g_bytes_get_size (bundle);
    double raw_rate = ops->len / t_raw_ops;
    double import_rate = n_ops / t_import;

    g_print ("  format 1 (readable):    export %8.0f ops/s (%.2f s), import %8.0f ops/s (%.2f s), %" G_GSIZE_FORMAT
             " bytes, %.2f bytes/op\n", n_ops1 / t_export1, t_export1, n_ops1 / t_import1, t_import1,
             g_bytes_get_size (plain), (double) g_bytes_get_size (plain) / n_ops1);
    g_print ("  format 2 (encrypted):   export %8.0f ops/s (%.2f s), import %8.0f ops/s (%.2f s), %" G_GSIZE_FORMAT
             " bytes, %.2f bytes/op\n", n_ops / t_export, t_export, import_rate, t_import, size, (double) size / n_ops);
    g_print ("  encryption: %.3f s to encrypt, %.3f s to decrypt the payload; decryption is %.2f %% of the import"
             " (target < 10 %%)\n", t_encrypt, t_decrypt, 100 * t_decrypt / t_import);
    g_print ("  export:                 %8.0f ops/s   (%u ops in %.2f s)\n", n_ops / t_export, n_ops, t_export);
    g_print ("  import:                 %8.0f ops/s   (%.2f s, one transaction, verified and authorised)\n",
             import_rate, t_import);
    g_print ("  re-import (duplicates): %8.0f ops/s   (%.2f s)\n", n_ops / t_reimport, t_reimport);
    g_print ("  raw SQLite insert of the same op rows:   %8.0f rows/s (%.2f s, one transaction)\n", raw_rate, t_raw_ops);
    g_print ("  raw SQLite apply of the same changes:    %8.0f rows/s (%.2f s, inserts and updates)\n",
             ops->len / t_raw_rows, t_raw_rows);
    g_print ("  import / raw insert of the op rows:      %.2f  (target >= 0.5)\n", import_rate / raw_rate);
    g_print ("  import / raw apply of the same changes:  %.2f\n", import_rate / (ops->len / t_raw_rows));
    g_print ("  bundle:                 %" G_GSIZE_FORMAT " bytes, %.1f bytes/op\n", size, (double) size / n_ops);
    g_print ("  session changeset, one per change: %" G_GSIZE_FORMAT " bytes raw, %" G_GSIZE_FORMAT
             " zstd (%.1f bytes/op); bundle / changeset = %.2f  (target <= 1.5)\n",
             changeset_each_raw, changeset_each, (double) changeset_each / n_ops, (double) size / changeset_each);
    g_print ("  session changeset, net of the whole:  %" G_GSIZE_FORMAT " bytes raw, %" G_GSIZE_FORMAT
             " zstd; bundle / net changeset = %.2f (history folded away: not the same changes)\n",
             changeset_net_raw, changeset_net, (double) size / changeset_net);
  }

  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&b1);
  g_clear_object (&raw);
  g_clear_object (&sess);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;

fail:
  g_printerr ("bench failed: %s\n", error ? error->message : "?");
  return 1;
}
