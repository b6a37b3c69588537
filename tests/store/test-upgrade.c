/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A database written by a released version (tests/data/upgrade/, made by make-fixture.sh) opens
 * in this one: pending migrations run in one transaction after a backup, the synced data is the
 * same afterwards, and a migration that fails leaves the file byte for byte as it was. */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "zz-backup.h"
#include "zz-schema.h"
#include "zz-store-private.h"

#define FIXTURE "zongzhi-0.1.0.db"

typedef struct {
  char *dir;
  char *path;
} Copy;

static void
copy_free (Copy *c)
{
  g_autoptr(GFile) dir = g_file_new_for_path (c->dir);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", c->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (c->dir);
  g_free (c->path);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Copy, copy_free)

/* The fixture, unpacked (it is committed gzip-compressed) into a new folder. Its node key is not
 * committed (keys never are): the database opens without it, as after a disk change. */
static Copy *
fixture_copy (void)
{
  g_autofree char *gz = g_build_filename (g_getenv ("ZZ_TEST_DATA"), "upgrade", FIXTURE ".gz", NULL);
  g_autoptr(GFile) in_file = g_file_new_for_path (gz);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) plain = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  Copy *c = g_new0 (Copy, 1);

  c->dir = g_dir_make_tmp ("zz-upgrade-XXXXXX", &error);
  g_assert_no_error (error);
  c->path = g_build_filename (c->dir, "zongzhi.db", NULL);
  in = g_file_read (in_file, NULL, &error);
  g_assert_no_error (error);
  plain = g_converter_input_stream_new (G_INPUT_STREAM (in), G_CONVERTER (z));
  out_file = g_file_new_for_path (c->path);
  out = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_output_stream_splice (G_OUTPUT_STREAM (out), plain,
                                           G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                           NULL, &error), >, 0);
  g_assert_no_error (error);
  return c;
}

static gint64
file_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* The synced data as the released version wrote it: the op log, and every synced table's rows in
 * the columns the file had then (@columns: table -> "a, b, c", taken from the fixture as it was;
 * later steps may add columns). */
static GHashTable *
released_columns (const char *path)
{
  GHashTable *columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const ZzSyncedTable *t;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; (t = zz_schema_synced_table_nth (i)); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT group_concat (quote (name), ', ') FROM pragma_table_info ('%s')",
                                              t->name);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
        g_hash_table_insert (columns, g_strdup (t->name), g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return columns;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
synced_digest (const char *path, GHashTable *columns)
{
  crypto_generichash_state st;
  guint8 out[32];
  sqlite3 *db = NULL;
  GHashTableIter iter;
  gpointer name, cols;
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  guint rows = 0;

  g_hash_table_iter_init (&iter, columns);
  while (g_hash_table_iter_next (&iter, &name, &cols))
    g_ptr_array_add (sqls, g_strdup_printf ("SELECT '%s', %s FROM \"%s\" ORDER BY id", (char *) name,
                                            (char *) cols, (char *) name));
  g_ptr_array_sort (sqls, compare_strings);
  g_ptr_array_add (sqls, g_strdup ("SELECT origin, seq, hash, prev, body FROM op ORDER BY origin, seq"));

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  crypto_generichash_init (&st, NULL, 0, sizeof out);
  for (guint i = 0; i < sqls->len; i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, sqls->pdata[i], -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s: %s", (char *) sqls->pdata[i], sqlite3_errmsg (db));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          rows++;
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const void *blob = sqlite3_column_blob (stmt, c);
              guint8 type = sqlite3_column_type (stmt, c);
              guint32 len = sqlite3_column_bytes (stmt, c);

              crypto_generichash_update (&st, &type, 1);
              crypto_generichash_update (&st, (const guint8 *) &len, sizeof len);
              if (blob)
                crypto_generichash_update (&st, blob, len);
            }
        }
      sqlite3_finalize (stmt);
      if (g_getenv ("ZZ_DEBUG_DIGEST"))
        {
          crypto_generichash_state copy = st;
          guint8 o[32];
          char hex[65];
          crypto_generichash_final (&copy, o, sizeof o);
          g_printerr ("%s %s\n", sodium_bin2hex (hex, sizeof hex, o, sizeof o), (char *) sqls->pdata[i]);
        }
    }
  sqlite3_close (db);
  crypto_generichash_final (&st, out, sizeof out);
  g_assert_cmpuint (rows, >, 1000);
  return g_strdup_printf ("%u rows %s", rows, sodium_bin2hex ((char[65]) { 0 }, 65, out, sizeof out));
}

static guint
count_backups (const char *dir, char **first)
{
  g_autofree char *folder = g_build_filename (dir, "backups", NULL);
  g_autoptr(GDir) d = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "before-upgrade-") && g_str_has_suffix (name, ZZ_BACKUP_SUFFIX))
      {
        if (first && !*first)
          *first = g_build_filename (folder, name, NULL);
        n++;
      }
  return n;
}

/* The fixture has what a centre's database has: cases, households, sync state, a conflict. */
static void
test_fixture_content (void)
{
  g_autoptr(Copy) c = fixture_copy ();

  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM case_file"), >, 0);
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM household"), >, 0);
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM sync_peer"), >, 0);
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM sync_root"), >, 0);
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM sync_refused"), >, 0);
  /* a field with two competing values */
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM (SELECT 1 FROM field_head GROUP BY tbl, row_id, field"
                                      " HAVING count(*) > 1)"), >, 0);
}

/* It opens in this version; whatever steps were added since run, after a backup when there are
 * any, and the synced data is the same. */
static void
test_opens (void)
{
  g_autoptr(Copy) c = fixture_copy ();
  g_autoptr(GHashTable) columns = released_columns (c->path);
  g_autofree char *before = synced_digest (c->path, columns);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = NULL;
  gint64 released = file_int (c->path, "PRAGMA user_version");

  g_assert_cmpint (released, >=, 1);
  g_assert_cmpint (released, <=, zz_schema_n_migrations ());
  store = zz_store_open (c->path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_has_node (store));
  g_assert_true (zz_store_verify_chain (store, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (file_int (c->path, "PRAGMA user_version"), ==, zz_schema_n_migrations ());
  g_assert_cmpuint (count_backups (c->dir, NULL), ==, released < zz_schema_n_migrations () ? 1 : 0);
  after = synced_digest (c->path, columns);
  g_assert_cmpstr (after, ==, before);
}

/* Two new steps: both run in one transaction after a backup that restores to the file as it
 * was; the synced data is unchanged. */
static const char *const probe_steps[] = {
  "CREATE TABLE upgrade_probe (id INTEGER PRIMARY KEY, note TEXT);"
  "INSERT INTO upgrade_probe (note) VALUES ('step one');",
  "ALTER TABLE person ADD COLUMN upgrade_note TEXT;"
  "INSERT INTO upgrade_probe (note) VALUES ('step two');",
};

static const char **
steps_with (const char *const *extra, guint n_extra, guint *n)
{
  guint base = zz_schema_n_migrations ();
  const char **steps = g_new0 (const char *, base + n_extra + 1);

  for (guint v = 1; v <= base; v++)
    steps[v - 1] = zz_schema_migration (v);
  for (guint i = 0; i < n_extra; i++)
    steps[base + i] = extra[i];
  *n = base + n_extra;
  return steps;
}

static void
test_new_steps (void)
{
  g_autoptr(Copy) c = fixture_copy ();
  g_autoptr(GHashTable) columns = released_columns (c->path);
  g_autofree char *before = synced_digest (c->path, columns);
  g_autofree char *after = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *restored = g_build_filename (c->dir, "from-backup", "zongzhi.db", NULL);
  g_autofree char *restored_digest = NULL;
  g_autofree const char **steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = NULL;
  gint64 released = file_int (c->path, "PRAGMA user_version");
  guint n;

  steps = steps_with (probe_steps, G_N_ELEMENTS (probe_steps), &n);
  zz_store_set_migrations_for_test (steps, n);
  store = zz_store_open (c->path, &error);
  zz_store_set_migrations_for_test (NULL, 0);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (file_int (c->path, "PRAGMA user_version"), ==, n);
  g_assert_cmpint (file_int (c->path, "SELECT count(*) FROM upgrade_probe"), ==, 2);
  after = synced_digest (c->path, columns);
  g_assert_cmpstr (after, ==, before);

  /* the backup taken first holds the file as it was */
  g_assert_cmpuint (count_backups (c->dir, &backup), ==, 1);
  g_assert_true (zz_backup_restore (backup, restored, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_int (restored, "PRAGMA user_version"), ==, released);
  g_assert_cmpint (file_int (restored, "SELECT count(*) FROM sqlite_master WHERE name = 'upgrade_probe'"), ==, 0);
  restored_digest = synced_digest (restored, columns);
  g_assert_cmpstr (restored_digest, ==, before);
}

/* The second new step fails: the first is undone with it (one transaction), the file is byte for
 * byte what it was, and the message says so and where the backup is. */
static const char *const failing_steps[] = {
  "CREATE TABLE upgrade_probe (id INTEGER PRIMARY KEY, note TEXT);"
  "INSERT INTO upgrade_probe (note) VALUES ('step one');",
  "UPDATE person SET name = name || '*';"
  "INSERT INTO no_such_table VALUES (1);",
};

static void
test_refused_step (void)
{
  g_autoptr(Copy) c = fixture_copy ();
  g_autofree char *wal = g_strconcat (c->path, "-wal", NULL);
  g_autofree char *bytes_before = NULL, *bytes_after = NULL;
  g_autofree char *backup = NULL;
  g_autofree const char **steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = NULL;
  gsize len_before, len_after;
  guint n;

  g_assert_true (g_file_get_contents (c->path, &bytes_before, &len_before, NULL));
  steps = steps_with (failing_steps, G_N_ELEMENTS (failing_steps), &n);
  zz_store_set_migrations_for_test (steps, n);
  store = zz_store_open (c->path, &error);
  zz_store_set_migrations_for_test (NULL, 0);
  g_assert_null (store);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_DB);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "left as it was"));
  g_assert_cmpuint (count_backups (c->dir, &backup), ==, 1);
  g_assert_nonnull (strstr (error->message, backup));

  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (c->path, &bytes_after, &len_after, NULL));
  g_assert_cmpuint (len_after, ==, len_before);
  g_assert_true (memcmp (bytes_after, bytes_before, len_before) == 0);

  /* and it still opens in this version */
  g_clear_error (&error);
  store = zz_store_open (c->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/upgrade/fixture-content", test_fixture_content);
  g_test_add_func ("/upgrade/opens", test_opens);
  g_test_add_func ("/upgrade/new-steps", test_new_steps);
  g_test_add_func ("/upgrade/refused-step", test_refused_step);
  return g_test_run ();
}
