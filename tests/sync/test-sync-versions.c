/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mixed versions in the field. This program is built with ZZ_TEST_EXTRA_SCHEMA: while
 * zz_schema_test_extra is set it is a newer version, whose schema has one more step, the synced
 * table test_extra and the field person.nickname; while it is clear it is this version. */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "zz-row.h"
#include "zz-schema.h"
#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-test-sync.h"

#ifndef ZZ_TEST_EXTRA_SCHEMA
#error "built with -DZZ_TEST_EXTRA_SCHEMA"
#endif

#define COUNTY     "433122"
#define TOWNSHIP   "433122102"   /* 达岚镇 */
#define TOWNSHIP2  "433122104"   /* 兴隆场镇 */

/* which version the next calls run as */
static void
newer (gboolean on)
{
  zz_schema_test_extra = on;
}

static gint64 G_GNUC_PRINTF (2, 3)
count_at (ZzTestNode *n, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, fmt);
  sql = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return zz_test_node_int (n, sql);
}

static char *
insert (ZzTestNode *n, const char *table, const char *home, const ZzField *f, guint nf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = zz_store_new_id (n->store);

  g_assert_true (zz_store_begin (n->store, &error));
  g_assert_true (zz_store_insert_row (n->store, table, id, home, f, nf, &error));
  g_assert_true (zz_store_commit (n->store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static void
set_text (ZzTestNode *n, const char *table, const char *id, const char *field, const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_test_set_text (n->store, table, id, field, value, &error));
  g_assert_no_error (error);
}

static char *
last_op_hash (ZzTestNode *n)
{
  g_autofree char *sql = g_strdup_printf ("SELECT lower(hex(hash)) FROM op WHERE origin = '%s' ORDER BY seq DESC LIMIT 1",
                                          zz_store_get_node_id (n->store));
  return zz_test_node_text (n, sql);
}

/* Every row of @table, every column, as text (a township's own accounts differ between its
 * laptops, so the rows compared are those of one table). */
static char *
rows_of (ZzTestNode *n, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", table);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s=%s;", sqlite3_column_name (stmt, i),
                                sqlite3_column_type (stmt, i) == SQLITE_NULL ? "NULL" : (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
assert_same_rows (ZzTestNode *a, ZzTestNode *b, const char *table)
{
  g_autofree char *ra = rows_of (a, table);
  g_autofree char *rb = rows_of (b, table);

  g_assert_cmpstr (ra, ==, rb);
}

/* @from's bundle for @to, written as @from_newer and imported as @to_newer. */
static void
send (ZzTestNode *from, gboolean from_newer, ZzTestNode *to, gboolean to_newer, ZzImportResult *res)
{
  g_autoptr(GBytes) b = NULL;

  newer (from_newer);
  b = zz_test_node_export (from, to);
  newer (to_newer);
  zz_test_node_import (to, b, res);
  g_assert_false (res->quarantined);
}

/* @from's bundle for @to (as a newer version), imported by this version's command line. */
static void
import_with_cli (ZzTestNode *from, ZzTestNode *to, char **out)
{
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (from->dir, "newer.zzb", NULL);
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("ZZ_CLI");
  const char *argv[] = { cli, "--db", to->path, "import", file, NULL };
  int status = -1;

  g_assert_nonnull (cli);
  newer (TRUE);
  b = zz_test_node_export (from, to);
  newer (FALSE);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", *out, err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* A township updated to a newer version writes a table and a field this version does not know.
 * The county, still on this version, keeps those ops with their chain, counts them as needing a
 * newer version, applies none of them, and changes none of its data for them; it relays them to
 * a second updated laptop of the township, which applies them; when the county is updated, the
 * upgrade applies them, and the county holds exactly what the updated nodes hold. */
static void
test_newer_ops_held_relayed_applied (void)
{
  g_autoptr(ZzTestNode) c = NULL;
  g_autoptr(ZzTestNode) t = NULL;
  g_autoptr(ZzTestNode) t2 = NULL;
  g_autoptr(ZzTestNode) t3 = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *p = NULL, *x = NULL, *q = NULL;
  g_autofree char *x_hash = NULL, *nick_hash = NULL, *q_hash = NULL;
  g_autofree char *data_before = NULL, *data_after = NULL, *summary = NULL;
  g_autofree char *digest_t = NULL, *digest_c = NULL;

  newer (FALSE);
  c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  newer (TRUE);
  t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  t2 = zz_test_node_new (TOWNSHIP, "达岚镇综治中心二号机");
  zz_test_node_trust (t, c);
  zz_test_node_trust (t2, c);
  newer (FALSE);
  t3 = zz_test_node_new (TOWNSHIP, "达岚镇综治中心三号机");   /* not updated either */
  zz_test_node_trust (t3, c);
  zz_test_node_trust (c, c);
  zz_test_node_enrol (c, t);
  zz_test_node_enrol (c, t2);
  zz_test_node_enrol (c, t3);

  /* the county registers a person of the township; every node has it */
  {
    ZzField f[] = { ZZ_F_TEXT ("name", "王建国"), ZZ_F_TEXT ("phone", "13907431234") };
    p = insert (c, "person", TOWNSHIP, f, G_N_ELEMENTS (f));
  }
  send (c, FALSE, t, TRUE, &res);
  zz_import_result_clear (&res);
  send (c, FALSE, t2, TRUE, &res);
  zz_import_result_clear (&res);

  /* the updated township: a record of its new table, changed once, and a nickname */
  newer (TRUE);
  {
    ZzField f[] = { ZZ_F_TEXT ("label", "网格巡查"), ZZ_F_INT ("amount", 7) };
    x = insert (t, "test_extra", TOWNSHIP, f, G_N_ELEMENTS (f));
    x_hash = last_op_hash (t);
  }
  set_text (t, "test_extra", x, "label", "网格巡查（复核）");
  set_text (t, "person", p, "nickname", "老王");
  nick_hash = last_op_hash (t);

  /* the county, on this version: three ops kept for a newer version, none applied, its data
   * unchanged */
  newer (FALSE);
  data_before = zz_test_node_data_digest (c);
  import_with_cli (t, c, &summary);
  g_assert_nonnull (strstr (summary, "Needs a newer version: 3 "));
  g_assert_nonnull (strstr (summary, "Applied: 0\n"));
  g_assert_nonnull (strstr (summary, "Refused: 0\n"));
  data_after = zz_test_node_data_digest (c);
  g_assert_cmpstr (data_after, ==, data_before);
  g_assert_true (zz_test_node_holds (c, x_hash));
  g_assert_true (zz_test_node_holds (c, nick_hash));
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer"), ==, 3);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_refused"), ==, 0);
  /* listed as held back, for a newer version */
  {
    g_autoptr(GListModel) held = zz_sync_list_refused (c->store);
    guint n_newer = 0;

    for (guint i = 0; i < g_list_model_get_n_items (held); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (held, i);

        if (g_strcmp0 (zz_row_get (r, "state"), "held") == 0 && g_strcmp0 (zz_row_get (r, "reason"), "newer") == 0)
          n_newer++;
      }
    g_assert_cmpuint (n_newer, ==, 3);
  }
  /* the county's own change of the person, which the updated nodes will see beside the nickname */
  set_text (c, "person", p, "phone", "13907439999");

  /* a person with a nickname: the county shows the person, the nickname waits */
  newer (TRUE);
  {
    ZzField f[] = { ZZ_F_TEXT ("name", "李秀英"), ZZ_F_TEXT ("nickname", "李姐") };
    q = insert (t, "person", TOWNSHIP, f, G_N_ELEMENTS (f));
    q_hash = last_op_hash (t);
  }
  send (t, TRUE, c, FALSE, &res);
  g_assert_cmpuint (res.newer, ==, 1);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  zz_import_result_clear (&res);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM person WHERE id = '%s' AND name = '李秀英'", q), ==, 1);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer WHERE partial = 1"), ==, 1);
  /* re-importing changes nothing */
  send (t, TRUE, c, FALSE, &res);
  g_assert_cmpuint (res.newer + res.applied, ==, 0);
  zz_import_result_clear (&res);

  /* meanwhile the second updated laptop gave the same person another nickname: a conflict the
   * county cannot see yet, kept like the rest */
  newer (TRUE);
  set_text (t2, "person", p, "nickname", "王师傅");
  send (t2, TRUE, c, FALSE, &res);
  g_assert_cmpuint (res.newer, ==, 1);
  zz_import_result_clear (&res);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM field_head WHERE row_id = '%s'", p), ==, 1);   /* the phone */

  /* relayed by the county to the second updated laptop, which applies them */
  send (c, FALSE, t2, TRUE, &res);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  g_assert_cmpuint (res.newer, ==, 0);
  zz_import_result_clear (&res);
  send (c, FALSE, t, TRUE, &res);
  zz_import_result_clear (&res);
  newer (TRUE);
  g_assert_cmpint (count_at (t2, "SELECT count(*) FROM test_extra WHERE id = '%s' AND label = '网格巡查（复核）' AND amount = 7", x), ==, 1);
  g_assert_cmpint (count_at (t2, "SELECT count(*) FROM person WHERE id = '%s' AND nickname IN ('老王', '王师傅') AND phone = '13907439999'", p), ==, 1);
  g_assert_cmpint (count_at (t2, "SELECT count(*) FROM field_head WHERE row_id = '%s' AND field = 'nickname'", p), ==, 2);
  g_assert_cmpint (count_at (t2, "SELECT count(*) FROM person WHERE id = '%s' AND nickname = '李姐'", q), ==, 1);
  assert_same_rows (t, t2, "person");
  assert_same_rows (t, t2, "test_extra");

  /* relayed by the county to a laptop not updated either, which keeps them too */
  send (c, FALSE, t3, FALSE, &res);
  g_assert_cmpuint (res.newer, ==, 5);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  zz_import_result_clear (&res);
  g_assert_cmpint (count_at (t3, "SELECT count(*) FROM sync_newer"), ==, 5);

  /* the county is updated: opened by the newer version, the upgrade applies what it kept */
  newer (TRUE);
  zz_test_node_reopen (c);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer"), ==, 0);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_refused"), ==, 0);
  {
    g_autoptr(GListModel) held = zz_sync_list_refused (c->store);
    g_assert_cmpuint (g_list_model_get_n_items (held), ==, 0);
  }
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM test_extra WHERE id = '%s' AND label = '网格巡查（复核）' AND amount = 7", x), ==, 1);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM person WHERE id = '%s' AND nickname IN ('老王', '王师傅') AND phone = '13907439999'", p), ==, 1);
  /* both nicknames kept, the same one shown as on the updated laptops */
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM field_head WHERE row_id = '%s' AND field = 'nickname'", p), ==, 2);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM person WHERE id = '%s' AND nickname = '李姐'", q), ==, 1);
  assert_same_rows (c, t, "person");
  assert_same_rows (c, t, "test_extra");
  /* nothing lost: the op logs and the rows of all three are the same */
  digest_t = zz_test_node_digest (t);
  digest_c = zz_test_node_digest (c);
  g_assert_cmpstr (digest_c, ==, digest_t);
  g_assert_true (zz_test_node_holds (c, q_hash));

  /* and so is the other laptop, with the same result */
  zz_test_node_reopen (t3);
  g_assert_cmpint (count_at (t3, "SELECT count(*) FROM sync_newer"), ==, 0);
  assert_same_rows (t3, t, "person");
  assert_same_rows (t3, t, "test_extra");
}

/* An op of a table this version does not know is still authorised by its origin's scope: one
 * from a township about another township's record is refused (stored as refused, never applied,
 * not even after an upgrade), and so is one of a table this database has as its own. One of a
 * table even the upgrade does not know stays kept. */
static void
test_newer_ops_out_of_scope (void)
{
  g_autoptr(ZzTestNode) c = NULL;
  g_autoptr(ZzTestNode) t = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *id = NULL, *forged = NULL, *ok_hash = NULL, *local = NULL, *future = NULL;
  g_autofree char *id2 = NULL, *id3 = NULL;

  newer (FALSE);
  c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  newer (TRUE);
  t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  zz_test_node_trust (t, c);
  newer (FALSE);
  zz_test_node_trust (c, c);
  zz_test_node_enrol (c, t);
  send (c, FALSE, t, TRUE, &res);
  zz_import_result_clear (&res);

  newer (TRUE);
  id = zz_store_new_id (t->store);
  forged = zz_test_node_forge (t, "create", "test_extra", id, TOWNSHIP2, "{\"label\":\"越界\",\"amount\":1}", NULL, 0);
  id2 = zz_store_new_id (t->store);
  local = zz_test_node_forge (t, "create", "setting", id2, TOWNSHIP, "{\"key\":\"x\",\"value\":\"y\"}", NULL, 0);
  id3 = zz_store_new_id (t->store);
  future = zz_test_node_forge (t, "create", "future_table", id3, TOWNSHIP, "{\"label\":\"更新的版本\"}", NULL, 0);
  {
    ZzField f[] = { ZZ_F_TEXT ("label", "本镇"), ZZ_F_INT ("amount", 2) };
    g_autofree char *own = insert (t, "test_extra", TOWNSHIP, f, G_N_ELEMENTS (f));
    ok_hash = last_op_hash (t);
  }

  send (t, TRUE, c, FALSE, &res);
  g_assert_cmpuint (res.refused_ops, ==, 2);
  g_assert_cmpuint (res.newer, ==, 2);
  zz_import_result_clear (&res);
  g_assert_true (zz_test_node_refused_op (c, local));
  g_assert_true (zz_test_node_holds (c, future));
  g_assert_true (zz_test_node_refused_op (c, forged));
  g_assert_true (zz_test_node_holds (c, forged));
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer WHERE hash = X'%s'", forged), ==, 0);

  newer (TRUE);
  zz_test_node_reopen (c);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM test_extra WHERE id = '%s'", id), ==, 0);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM test_extra WHERE home = '%s'", TOWNSHIP), ==, 1);
  g_assert_true (zz_test_node_refused_op (c, forged));
  g_assert_true (zz_test_node_holds (c, ok_hash));
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer WHERE hash = X'%s'", future), ==, 1);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_newer"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  zz_test_sync_fast_disk ();
  g_test_add_func ("/versions/newer-ops-held-relayed-applied", test_newer_ops_held_relayed_applied);
  g_test_add_func ("/versions/newer-ops-out-of-scope", test_newer_ops_out_of_scope);
  return g_test_run ();
}
