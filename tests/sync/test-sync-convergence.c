/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "zz-test-sync.h"

/* Convergence: four nodes (the county and three laptops of one township) make random changes
 * and exchange bundles at random, with losses, duplicates, reordering and relays. After a full
 * exchange every node holds the same data, and every register shows the value the rules pick
 * from the ops, which all stay stored. */

#define COUNTY   "433122"
#define TOWNSHIP "433122102"
#define N_NODES  4

typedef struct {
  GBytes *bundle;
  guint to;
} Letter;

static guint total_conflicts;

/* Recomputes every multi-value register from the ops alone and compares with the rows. */
static void
check_registers (ZzTestNode *n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) winners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) heads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer k, v;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT lower(hex(hash)), CAST(body AS TEXT) FROM op WHERE kind IN ('set', 'resolve')"
                                           " AND hash NOT IN (SELECT hash FROM sync_refused)", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonNode *node = json_from_string ((const char *) sqlite3_column_text (stmt, 1), NULL);
      JsonArray *parents;

      g_assert_nonnull (node);
      parents = json_object_get_array_member (json_node_get_object (node), "P");
      for (guint i = 0; i < json_array_get_length (parents); i++)
        g_hash_table_add (named, g_strdup (json_array_get_string_element (parents, i)));
      g_ptr_array_add (ops, node);
      g_ptr_array_add (hashes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ops->len; i++)
    {
      JsonObject *o = json_node_get_object (ops->pdata[i]);
      JsonObject *f = json_object_get_object_member (o, "f");
      g_autoptr(GList) fields = json_object_get_members (f);
      g_autofree char *key = NULL;
      JsonNode *best;

      if (g_hash_table_contains (named, hashes->pdata[i]))
        continue;
      key = g_strdup_printf ("%s|%s|%s", json_object_get_string_member (o, "t"), json_object_get_string_member (o, "r"),
                             (const char *) fields->data);
      g_hash_table_insert (heads, g_strdup (key), GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (heads, key)) + 1));
      best = g_hash_table_lookup (winners, key);
      if (best)
        {
          JsonObject *b = json_node_get_object (best);
          gint64 c1 = json_object_get_int_member (o, "c"), c2 = json_object_get_int_member (b, "c");
          if (c1 < c2 || (c1 == c2 && strcmp (json_object_get_string_member (o, "o"), json_object_get_string_member (b, "o")) < 0))
            continue;
        }
      g_hash_table_insert (winners, g_steal_pointer (&key), ops->pdata[i]);
    }

  g_hash_table_iter_init (&it, winners);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      g_auto(GStrv) parts = g_strsplit (k, "|", 3);
      JsonObject *o = json_node_get_object (v);
      JsonNode *value = json_object_get_member (json_object_get_object_member (o, "f"), parts[2]);
      g_autofree char *sql = g_strdup_printf ("SELECT CAST(\"%s\" AS TEXT), (SELECT count(*) FROM field_head WHERE tbl = '%s'"
                                              " AND row_id = ?1 AND field = '%s') FROM \"%s\" WHERE id = ?1",
                                              parts[2], parts[0], parts[2], parts[0]);
      g_autofree char *expect = NULL;

      if (JSON_NODE_TYPE (value) == JSON_NODE_NULL)
        expect = NULL;
      else if (json_node_get_value_type (value) == G_TYPE_INT64)
        expect = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      else
        expect = g_strdup (json_node_get_string (value));
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, parts[1], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expect);
          g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, GPOINTER_TO_INT (g_hash_table_lookup (heads, k)));
          if (sqlite3_column_int (stmt, 1) > 1)
            total_conflicts++;
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  g_test_message ("%s: %u registers checked", n->unit, g_hash_table_size (winners));
  g_assert_cmpuint (g_hash_table_size (winners), >, 0);
}

static void
deliver (ZzTestNode **nodes, Letter *l)
{
  ZzImportResult res = { 0 };

  zz_test_node_import (nodes[l->to], l->bundle, &res);
  g_assert_false (res.quarantined);
  g_assert_false (res.fork);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  zz_import_result_clear (&res);
}

static void
run (gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  ZzTestNode *nodes[N_NODES];
  g_autoptr(GPtrArray) mail = g_ptr_array_new ();
  g_autofree char *first = NULL;

  nodes[0] = zz_test_node_new (COUNTY, "泸溪县综治中心");
  for (guint i = 1; i < N_NODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("达岚镇第%u台", i);
      nodes[i] = zz_test_node_new (TOWNSHIP, name);
    }
  for (guint i = 0; i < N_NODES; i++)
    zz_test_node_trust (nodes[i], nodes[0]);
  for (guint i = 1; i < N_NODES; i++)
    zz_test_node_enrol (nodes[0], nodes[i]);
  for (guint i = 1; i < N_NODES; i++)
    {
      g_autoptr(GBytes) b = zz_test_node_export (nodes[0], nodes[i]);
      Letter l = { b, i };
      deliver (nodes, &l);
    }

  for (guint step = 0; step < 60; step++)
    {
      int dice = g_rand_int_range (r, 0, 100);

      if (dice < 35)
        {
          guint a = g_rand_int_range (r, 0, N_NODES);
          zz_test_node_simulate (nodes[a], g_rand_int_range (r, 1, 12), g_rand_int (r), TOWNSHIP);
        }
      else if (dice < 75)
        {
          guint a = g_rand_int_range (r, 0, N_NODES);
          guint b = (a + g_rand_int_range (r, 1, N_NODES)) % N_NODES;
          /* --all now and then from a township laptop (the county and the other laptops of the
           * township may import it; the county's --all is for nodes of the county only) */
          gboolean all = g_rand_int_range (r, 0, 4) == 0 && a != 0;
          GBytes *bundle = zz_test_node_export (nodes[a], all ? NULL : nodes[b]);
          int fate = g_rand_int_range (r, 0, 100);

          if (fate < 15)
            g_bytes_unref (bundle);                         /* lost */
          else
            {
              Letter *l = g_new0 (Letter, 1);
              l->bundle = bundle;
              l->to = b;
              g_ptr_array_add (mail, l);
              if (fate > 85)
                {
                  Letter *dup = g_new0 (Letter, 1);        /* sent twice */
                  dup->bundle = g_bytes_ref (bundle);
                  dup->to = b;
                  g_ptr_array_add (mail, dup);
                }
            }
        }
      else if (mail->len > 0)
        {
          /* any letter in the post, not the oldest: reordering */
          guint i = g_rand_int_range (r, 0, mail->len);
          Letter *l = g_ptr_array_steal_index_fast (mail, i);

          deliver (nodes, l);
          if (g_rand_int_range (r, 0, 5) == 0)
            deliver (nodes, l);                             /* imported twice */
          g_bytes_unref (l->bundle);
          g_free (l);
        }
    }
  /* what is still in the post arrives late, or never */
  while (mail->len > 0)
    {
      Letter *l = g_ptr_array_steal_index_fast (mail, g_rand_int_range (r, 0, mail->len));
      if (g_rand_boolean (r))
        deliver (nodes, l);
      g_bytes_unref (l->bundle);
      g_free (l);
    }

  /* full exchange: each node sends to every other, twice round */
  for (guint round = 0; round < 2; round++)
    for (guint a = 0; a < N_NODES; a++)
      for (guint b = 0; b < N_NODES; b++)
        if (a != b)
          zz_test_node_send (nodes[a], nodes[b]);

  first = zz_test_node_digest (nodes[0]);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *d = zz_test_node_digest (nodes[i]);
      g_assert_cmpstr (d, ==, first);
      g_assert_cmpint (zz_test_node_int (nodes[i], "SELECT count(*) FROM sync_held"), ==, 0);
      check_registers (nodes[i]);
    }
  /* every value ever entered is still stored on every node */
  {
    gint64 sets = zz_test_node_int (nodes[0], "SELECT count(*) FROM op WHERE kind = 'set'");
    for (guint i = 1; i < N_NODES; i++)
      g_assert_cmpint (zz_test_node_int (nodes[i], "SELECT count(*) FROM op WHERE kind = 'set'"), ==, sets);
  }
  for (guint i = 0; i < N_NODES; i++)
    zz_test_node_free (nodes[i]);
}

static void
test_conflicts_happened (void)
{
  /* the seeds above must have exercised concurrent edits, or the test proves little */
  g_test_message ("registers with competing values seen: %u", total_conflicts);
  g_assert_cmpuint (total_conflicts, >, 0);
}

int
main (int argc, char **argv)
{
  static const guint32 seeds[] = { 1, 2, 3, 20261128 };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync/convergence/seed-%u", seeds[i]);
      g_test_add_data_func (path, GUINT_TO_POINTER (seeds[i]), run);
    }
  g_test_add_func ("/sync/convergence/conflicts-happened", test_conflicts_happened);
  return g_test_run ();
}
