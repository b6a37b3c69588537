/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-households.h"
#include "zz-op.h"
#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-test-sync.h"

/* Routes real centres take, beyond a clean tree: laptops of one township exchanging with each
 * other, a village laptop carried straight to the county, a prefecture above the county, bundles
 * handed to the wrong centre, a database restored from an old backup, and bundles lost,
 * duplicated, reordered and delivered long after newer ones. After a final full exchange every
 * node holds in full every change it may see, nodes of the same scope hold the same data, and no
 * change was decided differently anywhere.
 *
 * The set-up is the README's with a prefecture: P trusts itself and enrols the county; the
 * county trusts P and itself; the townships and the village trust only the county. */

#define PREFECTURE "4331"
#define COUNTY     "433122"
#define TOWN_A     "433122102"
#define VILLAGE_A  "433122102200"
#define VILLAGE_A2 "433122102201"
#define TOWN_B     "433122104"

enum { P, C, A1, A2, A3, B, V, N_NODES };

static const char *units[N_NODES] = { PREFECTURE, COUNTY, TOWN_A, TOWN_A, TOWN_A, TOWN_B, VILLAGE_A };
static const char *names[N_NODES] = { "湘西州综治中心", "泸溪县综治中心", "达岚镇第1台", "达岚镇第2台", "达岚镇第3台",
                                      "兴隆场镇综治中心", "龙溪口村综治中心" };

static gboolean with_prefecture;

/* Sends a bundle; the bundle may be quarantined (a relayed origin unknown there): the routes
 * check at the end what arrived. */
static void
send_soft (ZzTestNode *from, ZzTestNode *to)
{
  g_autoptr(GBytes) b = zz_test_node_export (from, to);
  g_autoptr(GError) error = NULL;
  ZzImportResult res = { 0 };

  g_assert_true (zz_sync_import_bytes (to->store, b, &res, &error));
  g_assert_no_error (error);
  if (res.refused || res.quarantined)
    g_test_message ("%s -> %s: %s", from->unit, to->unit, res.reason);
  zz_import_result_clear (&res);
}

/* With @prefecture, P enrols the county (the README's set-up with a prefecture); without, the
 * county is its own root and P stays apart. */
static void
nodes_new (ZzTestNode **n, gboolean prefecture)
{
  with_prefecture = prefecture;
  for (int i = 0; i < N_NODES; i++)
    n[i] = i == P ? zz_test_node_new_within (units[i], names[i], PREFECTURE) : zz_test_node_new (units[i], names[i]);
  zz_test_node_trust (n[P], n[P]);
  if (prefecture)
    zz_test_node_trust (n[C], n[P]);
  zz_test_node_trust (n[C], n[C]);
  for (int i = A1; i < N_NODES; i++)
    zz_test_node_trust (n[i], n[C]);
  if (prefecture)
    zz_test_node_enrol (n[P], n[C]);
  for (int i = A1; i < N_NODES; i++)
    zz_test_node_enrol (n[C], n[i]);
  /* the certificates travel down */
  if (prefecture)
    send_soft (n[P], n[C]);
  for (int i = A1; i < N_NODES; i++)
    send_soft (n[C], n[i]);
  for (int i = A1; i < N_NODES; i++)
    send_soft (n[i], n[C]);
}

static void
nodes_free (ZzTestNode **n)
{
  for (int i = 0; i < N_NODES; i++)
    zz_test_node_free (n[i]);
}

/* Which pairs exchange: the prefecture only with the county; below it anyone with anyone. */
static gboolean
may_exchange (int a, int b)
{
  if (a == b)
    return FALSE;
  if (a == P || b == P)
    return with_prefecture && (a == C || b == C);
  return TRUE;
}

/* May a node of @unit see a change of @table homed at @home (SYNC.md: accounts and reference data
 * of a county or prefecture flow down and up; other records down to their home's subtree)? */
static gboolean
may_see (const char *unit, const char *table, const char *home)
{
  if (zz_store_is_account_table (table))
    return zz_org_level (home) <= 3 && (zz_org_within (home, unit) || zz_org_within (unit, home));
  return zz_org_within (home, unit);
}

static const char *
short_id (ZzTestNode *n)
{
  return n->unit;
}

/* ---- checks after the final exchange ---- */

typedef struct {
  char *hash;
  char *table;
  char *home;
} OpInfo;

static void
op_info_free (gpointer p)
{
  OpInfo *o = p;
  g_free (o->hash);
  g_free (o->table);
  g_free (o->home);
  g_free (o);
}

static GHashTable *
full_ops (ZzTestNode *n)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, op_info_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (n->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT lower(hex(hash)), tbl, home FROM op WHERE kind != 'stub'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      OpInfo *o = g_new0 (OpInfo, 1);
      o->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      o->table = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      o->home = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_insert (out, o->hash, o);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return out;
}

static GHashTable *
refused_set (ZzTestNode *n)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = zz_test_node_refused (n);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      g_hash_table_add (out, g_strndup (lines[i], 64));
  return out;
}

/* Returns the number of failures found (each described in a message). */
static guint
check_final (ZzTestNode **n, const char *label)
{
  GHashTable *full[N_NODES], *refused[N_NODES];
  g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter it;
  gpointer k, v;
  guint failures = 0;

  for (int i = 0; i < N_NODES; i++)
    {
      full[i] = full_ops (n[i]);
      refused[i] = refused_set (n[i]);
      if (i == P && !with_prefecture)
        continue;   /* apart: what it holds cannot reach the others */
      g_hash_table_iter_init (&it, full[i]);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (all, k, v);
    }

  /* every node holds in full every change it may see */
  for (int i = with_prefecture ? 0 : C; i < N_NODES; i++)
    {
      guint missing = 0, seen = 0, stubs = 0;

      g_hash_table_iter_init (&it, all);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          OpInfo *o = v;
          if (!may_see (n[i]->unit, o->table, o->home))
            continue;
          seen++;
          if (!g_hash_table_contains (full[i], o->hash))
            {
              g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM op WHERE hash = x'%s' AND kind = 'stub'", o->hash);
              missing++;
              stubs += zz_test_node_int (n[i], sql) > 0;
            }
        }
      g_test_message ("%s: node %d (%s) holds %u of the %u changes it may see (%u of the others as placeholders)",
                      label, i, short_id (n[i]), seen - missing, seen, stubs);
      if (missing)
        failures++;
    }

  /* no change was decided differently anywhere */
  g_hash_table_iter_init (&it, all);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      int first = -1;

      for (int i = with_prefecture ? 0 : C; i < N_NODES; i++)
        {
          if (!g_hash_table_contains (full[i], k))
            continue;
          if (first < 0)
            first = i;
          else if (g_hash_table_contains (refused[i], k) != g_hash_table_contains (refused[first], k))
            {
              g_test_message ("%s: change %.12s… %s on node %d (%s) but %s on node %d (%s)", label, (const char *) k,
                              g_hash_table_contains (refused[first], k) ? "refused" : "applied", first, short_id (n[first]),
                              g_hash_table_contains (refused[i], k) ? "refused" : "applied", i, short_id (n[i]));
              failures++;
            }
        }
    }

  /* nodes of the same scope hold the same data; nothing is left waiting */
  for (int i = A1; i <= A3; i++)
    {
      g_autofree char *d0 = zz_test_node_digest (n[A1]);
      g_autofree char *d = zz_test_node_digest (n[i]);

      if (g_strcmp0 (d0, d) != 0)
        {
          g_test_message ("%s: the laptops of one township differ (node %d)", label, i);
          failures++;
        }
    }
  for (int i = 0; i < N_NODES; i++)
    {
      gint64 held = zz_test_node_int (n[i], "SELECT count(*) FROM sync_held");
      gint64 quarantined = zz_test_node_int (n[i], "SELECT count(*) FROM sync_quarantine");

      if (held || quarantined)
        {
          g_test_message ("%s: node %d (%s) still holds back %" G_GINT64_FORMAT " changes and keeps %" G_GINT64_FORMAT
                          " bundles in quarantine", label, i, short_id (n[i]), held, quarantined);
          failures++;
        }
    }
  for (int i = 0; i < N_NODES; i++)
    {
      g_hash_table_unref (full[i]);
      g_hash_table_unref (refused[i]);
    }
  return failures;
}

/* Each pair that may exchange sends both ways, @rounds times round. Returns failures (a bundle
 * refused or quarantined). */
static guint
full_exchange (ZzTestNode **n, guint rounds)
{
  guint failures = 0;

  for (guint r = 0; r < rounds; r++)
    for (int a = 0; a < N_NODES; a++)
      for (int b = 0; b < N_NODES; b++)
        if (may_exchange (a, b))
          {
            g_autoptr(GBytes) bundle = zz_test_node_export (n[a], n[b]);
            g_autoptr(GError) error = NULL;
            ZzImportResult res = { 0 };

            g_assert_true (zz_sync_import_bytes (n[b]->store, bundle, &res, &error));
            g_assert_no_error (error);
            if (res.refused || res.quarantined)
              {
                if (r == rounds - 1)
                  g_test_message ("final exchange %d -> %d: %s", a, b, res.reason);
                failures += r == rounds - 1;
              }
            zz_import_result_clear (&res);
          }
  return failures;
}

/* ---- the randomized routes ---- */

typedef struct {
  GBytes *bundle;
  int from, to;
} Letter;

static void
letter_free (gpointer p)
{
  Letter *l = p;
  g_bytes_unref (l->bundle);
  g_free (l);
}

static const char *
sim_home (int i)
{
  /* the prefecture works on the township's cases too (relayed to it through the county) */
  return i == P ? TOWN_A : i == C ? COUNTY : NULL;
}

static void
run (gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data) >> 1;
  gboolean prefecture = GPOINTER_TO_UINT (data) & 1;
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  ZzTestNode *n[N_NODES];
  g_autoptr(GPtrArray) post = g_ptr_array_new_with_free_func (letter_free);
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (letter_free);
  guint misdirected_applied = 0, misdirected = 0, failures;
  int backed_up = -1, restored = -1;
  g_autofree char *label = g_strdup_printf ("seed %u%s", seed, prefecture ? " with the prefecture" : "");

  nodes_new (n, prefecture);
  for (guint step = 0; step < 60; step++)
    {
      int dice = g_rand_int_range (r, 0, 100);

      if (dice < 28)
        {
          int a = g_rand_int_range (r, 0, N_NODES);

          if (a != restored && (prefecture || a != P))   /* a restored node catches up before it writes again */
            zz_test_node_simulate (n[a], g_rand_int_range (r, 1, 8), g_rand_int (r), sim_home (a));
        }
      else if (dice < 60)
        {
          int a = g_rand_int_range (r, 0, N_NODES), b = g_rand_int_range (r, 0, N_NODES);
          int fate = g_rand_int_range (r, 0, 100);
          Letter *l;

          if (!may_exchange (a, b))
            continue;
          l = g_new0 (Letter, 1);
          l->bundle = zz_test_node_export (n[a], n[b]);
          l->from = a;
          l->to = b;
          g_ptr_array_add (sent, l);
          if (fate < 15)
            continue;                                   /* lost */
          g_ptr_array_add (post, g_memdup2 (&(Letter) { g_bytes_ref (l->bundle), a, b }, sizeof (Letter)));
          if (fate > 85)                                /* sent twice */
            g_ptr_array_add (post, g_memdup2 (&(Letter) { g_bytes_ref (l->bundle), a, b }, sizeof (Letter)));
        }
      else if (dice < 82 && post->len > 0)
        {
          /* any letter in the post, not the oldest: reordering */
          Letter *l = g_ptr_array_steal_index_fast (post, g_rand_int_range (r, 0, post->len));
          ZzImportResult res = { 0 };
          g_autoptr(GError) error = NULL;

          g_assert_true (zz_sync_import_bytes (n[l->to]->store, l->bundle, &res, &error));
          g_assert_no_error (error);
          zz_import_result_clear (&res);
          letter_free (l);
        }
      else if (dice < 87 && sent->len > 0)
        {
          /* a stale bundle: one sent long ago arrives again */
          Letter *l = sent->pdata[g_rand_int_range (r, 0, sent->len)];
          ZzImportResult res = { 0 };
          g_autoptr(GError) error = NULL;

          g_assert_true (zz_sync_import_bytes (n[l->to]->store, l->bundle, &res, &error));
          g_assert_no_error (error);
          zz_import_result_clear (&res);
        }
      else if (dice < 95 && sent->len > 0)
        {
          /* handed to the wrong centre: it must refuse it and change nothing */
          Letter *l = sent->pdata[g_rand_int_range (r, 0, sent->len)];
          int wrong = g_rand_int_range (r, A1, N_NODES);
          ZzImportResult res = { 0 };
          g_autoptr(GError) error = NULL;
          g_autofree char *before = NULL, *after = NULL;

          if (wrong == l->to || wrong == l->from)
            continue;
          misdirected++;
          before = zz_test_node_data_digest (n[wrong]);
          g_assert_true (zz_sync_import_bytes (n[wrong]->store, l->bundle, &res, &error));
          g_assert_no_error (error);
          after = zz_test_node_data_digest (n[wrong]);
          if (!res.refused || g_strcmp0 (before, after) != 0)
            {
              g_test_message ("%s: a bundle from node %d for node %d was %s by node %d", label, l->from, l->to,
                              res.refused ? "refused but changed data" : "applied", wrong);
              misdirected_applied++;
            }
          zz_import_result_clear (&res);
        }
      else if (backed_up < 0 && restored < 0)
        {
          /* a backup of a node below the prefecture, put back some steps later */
          backed_up = g_rand_int_range (r, C, N_NODES);
          zz_test_node_backup (n[backed_up], "backup.db");
        }
      else if (backed_up >= 0 && restored < 0)
        {
          zz_test_node_restore (n[backed_up], "backup.db");
          restored = backed_up;
          g_test_message ("%s: node %d restored from its backup", label, restored);
        }
    }
  /* what is still in the post arrives late, or never */
  while (post->len > 0)
    {
      Letter *l = g_ptr_array_steal_index_fast (post, g_rand_int_range (r, 0, post->len));

      if (g_rand_boolean (r))
        {
          ZzImportResult res = { 0 };
          g_autoptr(GError) error = NULL;

          g_assert_true (zz_sync_import_bytes (n[l->to]->store, l->bundle, &res, &error));
          g_assert_no_error (error);
          zz_import_result_clear (&res);
        }
      letter_free (l);
    }

  failures = full_exchange (n, 3);
  failures += check_final (n, label);
  g_test_message ("%s: %u misdirected bundles, %u of them applied", label, misdirected, misdirected_applied);
  nodes_free (n);
  g_assert_cmpuint (misdirected_applied, ==, 0);
  g_assert_cmpuint (failures, ==, 0);
}

/* ---- the routes, step by step ---- */

static char *
new_person (ZzTestNode *n, const char *home, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = zz_store_new_id (n->store);
  ZzField f[] = { ZZ_F_TEXT ("name", name), ZZ_F_TEXT ("phone", "13907431234") };

  g_assert_true (zz_store_begin (n->store, &error));
  g_assert_true (zz_store_insert_row (n->store, "person", id, home, f, G_N_ELEMENTS (f), &error));
  g_assert_true (zz_store_commit (n->store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

/* A risk household registered by @n in @village, as a centre enters it. */
static void
new_household (ZzTestNode *n, const char *village, const char *head)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  ZzMemberInput members[] = { { head, "户主", NULL, "13907431234", "常年在外务工" } };
  ZzOfficialInput officials[] = { { NULL, "田村长", "13812345678" } };
  ZzHouseholdInput in = { village, "三组12号", "向网格", NULL, members, 1, officials, 1 };

  /* a mediator of this centre registers it */
  if (!zz_store_act_as (n->store, "mediator", NULL))
    {
      g_assert_true (zz_store_create_user (n->store, "mediator", "调解员", ZZ_ROLE_MEDIATOR, "Mediator2024", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (zz_store_act_as (n->store, "mediator", &error));
  if (!zz_store_register_household (n->store, &in, &id, &error))
    g_error ("household: %s", error->message);
  g_assert_true (zz_store_act_as (n->store, "admin", &error));
}

static gint64
count_households (ZzTestNode *n, const char *village)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM household WHERE home = '%s' AND deleted = 0", village);
  return zz_test_node_int (n, sql);
}

/* Defect 1: the county registers three households of a village of A and sends to B, which
 * holds them as placeholders; B sends to laptop A3 of township A; A3 and the county then exchange
 * three times. A3 must list them, as A1 does. */
static void
test_placeholder_relayed_by_b (void)
{
  ZzTestNode *n[N_NODES];

  nodes_new (n, FALSE);
  new_household (n[C], VILLAGE_A, "向大山");
  new_household (n[C], VILLAGE_A, "张秀兰");
  new_household (n[C], VILLAGE_A, "杨老五");
  zz_test_node_send (n[C], n[B]);
  zz_test_node_send (n[B], n[A3]);
  g_assert_cmpint (count_households (n[A3], VILLAGE_A), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      zz_test_node_send (n[A3], n[C]);
      zz_test_node_send (n[C], n[A3]);
    }
  zz_test_node_send (n[C], n[A1]);
  g_test_message ("A1 lists %" G_GINT64_FORMAT ", A3 lists %" G_GINT64_FORMAT " of the 3 households",
                  count_households (n[A1], VILLAGE_A), count_households (n[A3], VILLAGE_A));
  g_assert_cmpint (count_households (n[A1], VILLAGE_A), ==, 3);
  g_assert_cmpint (count_households (n[A3], VILLAGE_A), ==, 3);
  nodes_free (n);
}

/* Defect 1, second shape: A sends its village laptop V its households (V may see those of its
 * own village only); V is carried to the county directly; the county must still receive A's
 * households of A's other villages, which V holds as placeholders. */
static void
test_placeholder_village_to_county (void)
{
  ZzTestNode *n[N_NODES];

  nodes_new (n, FALSE);
  new_household (n[A1], VILLAGE_A, "龙溪口一户");
  new_household (n[A1], VILLAGE_A2, "六里一户");
  new_household (n[A1], VILLAGE_A2, "六里二户");
  new_household (n[A1], VILLAGE_A2, "六里三户");
  zz_test_node_send (n[A1], n[V]);
  g_assert_cmpint (count_households (n[V], VILLAGE_A), ==, 1);
  zz_test_node_send (n[V], n[C]);
  for (int i = 0; i < 3; i++)
    {
      zz_test_node_send (n[C], n[A1]);
      zz_test_node_send (n[A1], n[C]);
    }
  g_test_message ("the county lists %" G_GINT64_FORMAT " of A's 3 households of village %s",
                  count_households (n[C], VILLAGE_A2), VILLAGE_A2);
  g_assert_cmpint (count_households (n[C], VILLAGE_A), ==, 1);
  g_assert_cmpint (count_households (n[C], VILLAGE_A2), ==, 3);
  nodes_free (n);
}

/* Defect 2: a bundle the county wrote for B is handed to A's laptop A2: refused, saying whom it
 * is for, nothing changed; and A2 still receives its own village's households afterwards. */
static void
test_misdirected (void)
{
  ZzTestNode *n[N_NODES];
  g_autoptr(GBytes) for_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  ZzImportResult res = { 0 };

  nodes_new (n, FALSE);
  new_household (n[C], TOWN_B "200", "兴隆场一户");
  new_household (n[C], TOWN_B "200", "兴隆场二户");
  new_household (n[C], VILLAGE_A, "达岚一户");
  new_household (n[C], VILLAGE_A, "达岚二户");
  for_b = zz_test_node_export (n[C], n[B]);
  before = zz_test_node_data_digest (n[A2]);
  g_assert_true (zz_sync_import_bytes (n[A2]->store, for_b, &res, &error));
  g_assert_no_error (error);
  after = zz_test_node_data_digest (n[A2]);
  g_test_message ("A2 importing B's bundle: %s; A2 now lists %" G_GINT64_FORMAT " of B's households",
                  res.refused ? res.reason : "applied", count_households (n[A2], TOWN_B "200"));
  g_assert_cmpint (count_households (n[A2], TOWN_B "200"), ==, 0);
  g_assert_true (res.refused);
  /* it says whom the bundle is for */
  g_assert_true (res.reason && (strstr (res.reason, names[B]) || strstr (res.reason, zz_store_get_node_id (n[B]->store))));
  g_assert_cmpstr (before, ==, after);
  zz_import_result_clear (&res);

  /* the laptop goes on syncing with its county as usual */
  zz_test_node_send (n[A2], n[C]);
  new_household (n[C], VILLAGE_A, "达岚三户");
  zz_test_node_send (n[C], n[A2]);
  zz_test_node_send (n[A2], n[C]);
  zz_test_node_send (n[C], n[A2]);
  g_test_message ("A2 lists %" G_GINT64_FORMAT " of its village's 3 households", count_households (n[A2], VILLAGE_A));
  g_assert_cmpint (count_households (n[A2], VILLAGE_A), ==, 3);
  nodes_free (n);
}

/* Defect 7: the prefecture changes something of township A; P -> C -> A, where A trusts only the
 * county. */
static void
test_prefecture_relayed (void)
{
  ZzTestNode *n[N_NODES];
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;

  nodes_new (n, TRUE);
  id = new_person (n[P], VILLAGE_A, "州里登记");
  zz_test_node_send (n[P], n[C]);
  b = zz_test_node_export (n[C], n[A1]);
  g_assert_true (zz_sync_import_bytes (n[A1]->store, b, &res, &error));
  g_assert_no_error (error);
  g_test_message ("C -> A1: %s", res.quarantined || res.refused ? res.reason : "applied");
  g_assert_false (res.refused);
  g_assert_false (res.quarantined);
  zz_import_result_clear (&res);
  sql = g_strdup_printf ("SELECT count(*) FROM person WHERE id = '%s'", id);
  g_assert_cmpint (zz_test_node_int (n[A1], sql), ==, 1);
  g_assert_cmpint (zz_test_node_int (n[A1], "SELECT count(*) FROM sync_quarantine"), ==, 0);
  nodes_free (n);
}

/* Defect 8: a laptop restored from an old backup catches up; nothing is left listed as held. */
static void
test_restored_backup (void)
{
  ZzTestNode *n[N_NODES];
  g_autoptr(GListModel) rows = NULL;

  nodes_new (n, FALSE);
  zz_test_node_simulate (n[C], 20, 1, TOWN_A);
  zz_test_node_send (n[C], n[A1]);
  zz_test_node_backup (n[A1], "backup.db");
  zz_test_node_simulate (n[C], 20, 2, TOWN_A);
  zz_test_node_send (n[C], n[A1]);
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_restore (n[A1], "backup.db");
  /* the county believes A1 holds its first 40 changes: the next ones wait for a gap */
  zz_test_node_simulate (n[C], 5, 3, TOWN_A);
  zz_test_node_send (n[C], n[A1]);
  /* A1 tells the county what it holds; the county sends what it lacks */
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_send (n[C], n[A1]);
  {
    g_autofree char *dc = NULL, *da = NULL;
    zz_test_node_send (n[C], n[A2]);
    dc = zz_test_node_digest (n[A2]);
    da = zz_test_node_digest (n[A1]);
    g_assert_cmpstr (da, ==, dc);
  }
  rows = zz_sync_list_refused (n[A1]->store);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) row = g_list_model_get_item (rows, i);
      g_test_message ("listed: %s %s %s", zz_row_get (row, "state"), zz_row_get (row, "seq"), zz_row_get (row, "reason"));
    }
  g_assert_cmpint (zz_test_node_int (n[A1], "SELECT count(*) FROM sync_held"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  nodes_free (n);
}

/* A laptop restored from an old backup had written changes since: it gets them back from the
 * county, and what it writes next follows them (never a second history under the same numbers). */
static void
test_restored_backup_writes (void)
{
  ZzTestNode *n[N_NODES];
  g_autofree char *da = NULL, *dc = NULL;

  nodes_new (n, FALSE);
  zz_test_node_simulate (n[A1], 10, 1, NULL);
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_backup (n[A1], "backup.db");
  zz_test_node_simulate (n[A1], 10, 2, NULL);
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_restore (n[A1], "backup.db");
  /* caught up first: the county sends back what the laptop had written */
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_send (n[C], n[A1]);
  g_assert_cmpint (zz_test_node_int (n[A1], "SELECT count(*) FROM sync_held"), ==, 0);
  /* then it works on, in the same session */
  zz_test_node_simulate (n[A1], 5, 3, NULL);
  zz_test_node_send (n[A1], n[C]);
  zz_test_node_send (n[C], n[A2]);
  zz_test_node_send (n[C], n[A1]);
  g_assert_cmpint (zz_test_node_int (n[C], "SELECT count(*) FROM sync_frozen"), ==, 0);
  g_assert_cmpint (zz_test_node_int (n[C], "SELECT count(*) FROM sync_held"), ==, 0);
  da = zz_test_node_digest (n[A1]);
  dc = zz_test_node_digest (n[A2]);
  g_assert_cmpstr (da, ==, dc);
  nodes_free (n);
}

int
main (int argc, char **argv)
{
  /* a fixed list, so that a failure is reproduced by its seed; ZZ_ROUTE_SEEDS=N adds the seeds
   * 100..100+N-1 for a longer search on demand */
  static const guint32 seeds[] = { 1, 2, 3, 4, 5, 6, 20261203 };
  const char *more = g_getenv ("ZZ_ROUTE_SEEDS");
  guint n_more = more ? (guint) MIN (g_ascii_strtoull (more, NULL, 10), 100000) : 0;

  g_test_init (&argc, &argv, NULL);
  /* every route reports, even after one failed */
  g_test_set_nonfatal_assertions ();
  zz_test_sync_fast_disk ();
  g_test_add_func ("/sync/routes/placeholder-relayed-by-another-township", test_placeholder_relayed_by_b);
  g_test_add_func ("/sync/routes/placeholder-village-to-county", test_placeholder_village_to_county);
  g_test_add_func ("/sync/routes/misdirected-bundle", test_misdirected);
  g_test_add_func ("/sync/routes/prefecture-relayed-through-county", test_prefecture_relayed);
  g_test_add_func ("/sync/routes/restored-backup", test_restored_backup);
  g_test_add_func ("/sync/routes/restored-backup-writes-again", test_restored_backup_writes);
  /* each seed on the county's tree alone, and with the prefecture above the county */
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    for (guint with = 0; with < 2; with++)
      {
        g_autofree char *path = g_strdup_printf ("/sync/routes/random/seed-%u%s", seeds[i], with ? "-prefecture" : "");
        g_test_add_data_func (path, GUINT_TO_POINTER (seeds[i] << 1 | with), run);
      }
  for (guint i = 0; i < n_more; i++)
    for (guint with = 0; with < 2; with++)
      {
        g_autofree char *path = g_strdup_printf ("/sync/routes/random/seed-%u%s", 100 + i, with ? "-prefecture" : "");
        g_test_add_data_func (path, GUINT_TO_POINTER ((100 + i) << 1 | with), run);
      }
  return g_test_run ();
}
