/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

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

ZzTestNode *
zz_test_node_new (const char *unit, const char *name)
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
  /* Luxi county with its ancestors (Xiangxi prefecture, Hunan) and its townships and villages */
  g_assert_true (zz_store_import_divisions (n->store, divisions, "433122",
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
