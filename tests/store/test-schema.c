/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "zz-schema.h"
#include "zz-test-store.h"

/* The synced field lists (zz-schema.c, what an op may carry) against the tables a freshly
 * migrated database really has (PRAGMA table_info): the two are written separately, and a field
 * listed but missing would make every op that sets it fail on the receiving node, while a column
 * added but not listed would silently never travel. */

/* Columns every synced table has and that sync handles itself (the op's row, home and stamps). */
static const char *const sync_columns[] = { "id", "home", "created_hlc", "updated_hlc", "deleted", NULL };

/* Columns of synced tables that deliberately stay on this node, with why. None today: every
 * column of a synced table travels. What stays on a node lives in tables of its own, which are
 * not synced (org_unit, node, login_state, setting, access_log, the op log and the sync_*
 * bookkeeping, and the statistics and search tables derived from synced rows: case_fact,
 * dispatch_fact, case_count, case_fts, household_last_visit). A new column that should stay
 * local goes here, with its reason. */
static const struct {
  const char *table;
  const char *column;
  const char *why;
} local_columns[] = {
  { NULL, NULL, NULL }
};

static GPtrArray *
columns_of (sqlite3 *db, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(\"%s\")", table);
  GPtrArray *cols = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (cols, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return cols;
}

static gboolean
has (GPtrArray *cols, const char *name)
{
  return g_ptr_array_find_with_equal_func (cols, name, g_str_equal, NULL);
}

static gboolean
is_local (const char *table, const char *column)
{
  for (guint i = 0; local_columns[i].table; i++)
    if (g_str_equal (local_columns[i].table, table) && g_str_equal (local_columns[i].column, column))
      return TRUE;
  return FALSE;
}

static sqlite3 *
open_migrated (ZzTestStore **ts)
{
  sqlite3 *db = NULL;

  *ts = zz_test_store_new_empty ();
  g_assert_cmpint (sqlite3_open_v2 ((*ts)->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* Every field an op may carry is a column of its table, besides the sync columns. */
static void
test_synced_fields_exist (void)
{
  g_autoptr(ZzTestStore) ts = NULL;
  sqlite3 *db = open_migrated (&ts);
  const ZzSyncedTable *t;
  guint n = 0;

  for (guint i = 0; (t = zz_schema_synced_table_nth (i)); i++, n++)
    {
      g_autoptr(GPtrArray) cols = columns_of (db, t->name);

      g_test_message ("%s: %u columns", t->name, cols->len);
      g_assert_cmpuint (cols->len, >, 0);   /* the table exists */
      for (guint k = 0; sync_columns[k]; k++)
        if (!has (cols, sync_columns[k]))
          g_error ("synced table %s has no column %s", t->name, sync_columns[k]);
      for (guint k = 0; t->fields[k]; k++)
        {
          if (!has (cols, t->fields[k]))
            g_error ("synced field %s.%s is not a column of the migrated database", t->name, t->fields[k]);
          g_assert_false (g_strv_contains ((const char *const *) sync_columns, t->fields[k]));
        }
    }
  g_assert_cmpuint (n, >, 0);
  sqlite3_close (db);
}

/* Every other column of a synced table is one that deliberately stays local (the list above):
 * a new column must be added to the field list or, with its reason, to that list. */
static void
test_columns_synced_or_local (void)
{
  g_autoptr(ZzTestStore) ts = NULL;
  sqlite3 *db = open_migrated (&ts);
  const ZzSyncedTable *t;

  for (guint i = 0; (t = zz_schema_synced_table_nth (i)); i++)
    {
      g_autoptr(GPtrArray) cols = columns_of (db, t->name);

      for (guint k = 0; k < cols->len; k++)
        {
          const char *c = cols->pdata[k];

          if (g_strv_contains ((const char *const *) sync_columns, c) || zz_schema_has_field (t, c))
            continue;
          if (!is_local (t->name, c))
            g_error ("column %s.%s is neither a synced field nor declared local", t->name, c);
        }
    }
  /* and each declared local column exists and is not listed as synced */
  for (guint i = 0; local_columns[i].table; i++)
    {
      const ZzSyncedTable *st = zz_schema_synced_table (local_columns[i].table);
      g_autoptr(GPtrArray) cols = NULL;

      g_assert_nonnull (st);
      cols = columns_of (db, st->name);
      g_assert_true (has (cols, local_columns[i].column));
      g_assert_false (zz_schema_has_field (st, local_columns[i].column));
      g_assert_cmpstr (local_columns[i].why, !=, "");
    }
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schema/synced-fields-exist", test_synced_fields_exist);
  g_test_add_func ("/schema/columns-synced-or-local", test_columns_synced_or_local);
  return g_test_run ();
}
