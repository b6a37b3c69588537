/* SPDX-License-Identifier: GPL-3.0-or-later */
/* After a power cut: the store opens at once, with what was committed, and the file is checked on
 * the side, where damage is reported with what to do. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zz-error.h"
#include "zz-store-private.h"
#include "zz-test-store.h"

static void
raw_exec (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
raw_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* A process that commits and dies without closing the database leaves its WAL: the next open is
 * "unclean", still opens, and has the committed row. */
static void
test_unclean_open (void)
{
  ZzTestStore *ts = zz_test_store_new ();
  g_autofree char *wal = g_strconcat (ts->path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) again = NULL;
  pid_t child;
  int status = 0;

  g_clear_object (&ts->store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  child = fork ();
  if (child == 0)
    {
      sqlite3 *db = NULL;
      if (sqlite3_open (ts->path, &db) != SQLITE_OK
          || sqlite3_exec (db, "PRAGMA journal_mode = WAL; CREATE TABLE scratch (x);"
                               "INSERT INTO scratch VALUES (42);", NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);   /* the power goes: no close, no checkpoint */
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  again = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_was_unclean (again));
  g_assert_true (zz_store_has_node (again));
  g_assert_cmpint (raw_int (ts->path, "SELECT x FROM scratch"), ==, 42);
  g_assert_true (zz_store_check_file (ts->path, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&again);

  /* closed properly, the next open is clean */
  again = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_assert_false (zz_store_was_unclean (again));
  zz_test_store_free (ts);
}

typedef struct {
  GMainLoop *loop;
  gboolean ok;
  GError *error;
} Waited;

static void
on_checked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Waited *w = data;

  w->ok = zz_store_check_file_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static int
run_cli (const char *db, const char *arg, char **out)
{
  const char *cli = g_getenv ("ZZ_CLI");
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) cli, "--db", (char *) db, "check", (char *) arg, NULL },
                               NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* A page of a table the window does not read at start is damaged: the store still opens (the
 * window is not held up), and the check reports the damage with what to do. */
static void
test_damage_reported (void)
{
  ZzTestStore *ts = zz_test_store_new ();
  g_autofree char *wal = g_strconcat (ts->path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) again = NULL;
  g_autofree char *out = NULL;
  gint64 before, after, page_size;
  Waited w = { g_main_loop_new (NULL, FALSE), FALSE, NULL };

  g_clear_object (&ts->store);
  before = raw_int (ts->path, "PRAGMA page_count");
  raw_exec (ts->path, "CREATE TABLE scratch (x TEXT);"
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                      " INSERT INTO scratch SELECT printf ('%0200d', i) FROM n;");
  after = raw_int (ts->path, "PRAGMA page_count");
  page_size = raw_int (ts->path, "PRAGMA page_size");
  g_assert_cmpint (after - before, >, 20);
  g_assert_cmpint (run_cli (ts->path, NULL, &out), ==, 0);
  g_clear_pointer (&out, g_free);

  {
    FILE *f = fopen (ts->path, "r+b");
    guint8 garbage[512];
    memset (garbage, 0xA5, sizeof garbage);
    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, (long) ((before + (after - before) / 2 - 1) * page_size), SEEK_SET), ==, 0);
    g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, f), ==, sizeof garbage);
    fclose (f);
  }
  g_assert_true (g_file_set_contents (wal, "", 0, NULL));   /* as a power cut leaves it */

  again = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_was_unclean (again));

  g_assert_false (zz_store_check_file (ts->path, FALSE, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_DB);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "backup"));
  g_clear_error (&error);

  zz_store_check_file_async (ts->path, NULL, on_checked_cb, &w);
  g_main_loop_run (w.loop);
  g_assert_false (w.ok);
  g_assert_error (w.error, ZZ_ERROR, ZZ_ERROR_DB);
  g_clear_error (&w.error);

  {
    g_autoptr(GCancellable) c = g_cancellable_new ();
    g_cancellable_cancel (c);
    g_assert_false (zz_store_check_file (ts->path, TRUE, c, &error));
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpint (run_cli (ts->path, "--full", &out), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_object (&again);
  g_main_loop_unref (w.loop);
  zz_test_store_free (ts);
}

/* Opening the store (as the window does before its first frame) reads no table whole but the
 * node table (one row per node of the county): every other statement it ran found its rows by an
 * index, so the open costs the same on a county's 200,000 cases as on the demo. */
static void
test_open_scans_nothing (void)
{
  ZzTestStore *ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) again = NULL;
  GHashTableIter iter;
  gpointer sql, stmt;
  guint checked = 0;

  g_clear_object (&ts->store);
  again = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, again->stmts);
  while (g_hash_table_iter_next (&iter, &sql, &stmt))
    {
      int scans = sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, FALSE);
      if (strstr (sql, "FROM node ") || g_str_has_prefix (sql, "PRAGMA"))
        continue;
      if (scans != 0)
        g_test_message ("full scan (%d steps) in: %s", scans, (const char *) sql);
      g_assert_cmpint (scans, ==, 0);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 2);
  zz_test_store_free (ts);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/integrity/unclean-open", test_unclean_open);
  g_test_add_func ("/integrity/damage-reported", test_damage_reported);
  g_test_add_func ("/integrity/open-scans-nothing", test_open_scans_nothing);
  return g_test_run ();
}
