/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "zz-bundle.h"
#include "zz-store-private.h"
#include "zz-test-sync.h"

/* An adversary holding one legitimately enrolled key: the owner of a township laptop (or of a
 * county node) edits its own database file and lets its own program sign what it wrote. Every
 * crafted change must be refused alike by every node that receives it, with a reason, and change
 * nothing else there. The world: prefecture P (4331) enrols the counties C (Luxi, 433122) and
 * C2 (Jishou, 433101); C enrols two laptops of township A (Dalan, the attacker and its sibling)
 * and one of township B (Xinglongchang). */

#define PREFECTURE "4331"
#define COUNTY     "433122"
#define COUNTY2    "433101"
#define TOWN_A     "433122102"
#define VILLAGE_A  "433122102200"
#define TOWN_B     "433122104"

typedef struct {
  ZzTestNode *p, *c, *c2, *a, *a2, *b;
} World;

static void
world_exchange (World *w)
{
  for (int round = 0; round < 2; round++)
    {
      zz_test_node_send (w->a, w->c);
      zz_test_node_send (w->a2, w->c);
      zz_test_node_send (w->b, w->c);
      zz_test_node_send (w->c, w->p);
      zz_test_node_send (w->c2, w->p);
      zz_test_node_send (w->p, w->c);
      zz_test_node_send (w->p, w->c2);
      zz_test_node_send (w->c, w->a);
      zz_test_node_send (w->c, w->a2);
      zz_test_node_send (w->c, w->b);
    }
}

static void
world_init (World *w)
{
  w->p = zz_test_node_new_within (PREFECTURE, "湘西州综治中心", PREFECTURE);
  w->c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  w->c2 = zz_test_node_new_within (COUNTY2, "吉首市综治中心", PREFECTURE);
  w->a = zz_test_node_new (TOWN_A, "达岚镇第1台");
  w->a2 = zz_test_node_new (TOWN_A, "达岚镇第2台");
  w->b = zz_test_node_new (TOWN_B, "兴隆场镇综治中心");

  zz_test_node_trust (w->p, w->p);
  zz_test_node_trust (w->c, w->p);
  zz_test_node_trust (w->c, w->c);
  zz_test_node_trust (w->c2, w->p);
  zz_test_node_trust (w->c2, w->c2);
  zz_test_node_trust (w->a, w->c);
  zz_test_node_trust (w->a, w->p);
  zz_test_node_trust (w->a2, w->c);
  zz_test_node_trust (w->a2, w->p);
  zz_test_node_trust (w->b, w->c);
  zz_test_node_trust (w->b, w->p);
  zz_test_node_enrol (w->p, w->c);
  zz_test_node_enrol (w->p, w->c2);
  zz_test_node_enrol (w->c, w->a);
  zz_test_node_enrol (w->c, w->a2);
  zz_test_node_enrol (w->c, w->b);
  world_exchange (w);
}

static void
world_clear (World *w)
{
  zz_test_node_free (w->p);
  zz_test_node_free (w->c);
  zz_test_node_free (w->c2);
  zz_test_node_free (w->a);
  zz_test_node_free (w->a2);
  zz_test_node_free (w->b);
}

static ZzTestNode **
receivers (World *w, guint *n)
{
  static ZzTestNode *r[5];

  r[0] = w->c;
  r[1] = w->p;
  r[2] = w->a2;
  r[3] = w->b;
  r[4] = w->c2;
  *n = G_N_ELEMENTS (r);
  return r;
}

typedef struct {
  char *data[5];
} Snapshot;

static void
snapshot_take (World *w, Snapshot *s)
{
  guint n;
  ZzTestNode **r = receivers (w, &n);

  for (guint i = 0; i < n; i++)
    s->data[i] = zz_test_node_data_digest (r[i]);
}

/* Nothing but the refusal bookkeeping (and the op log) changed on any receiver. */
static void
snapshot_check (World *w, Snapshot *s)
{
  guint n;
  ZzTestNode **r = receivers (w, &n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *now = zz_test_node_data_digest (r[i]);
      g_test_message ("receiver %s: records %s", r[i]->unit, g_strcmp0 (now, s->data[i]) == 0 ? "unchanged" : "CHANGED");
      g_assert_cmpstr (now, ==, s->data[i]);
      g_clear_pointer (&s->data[i], g_free);
    }
}

static void
snapshot_clear (Snapshot *s)
{
  for (guint i = 0; i < G_N_ELEMENTS (s->data); i++)
    g_clear_pointer (&s->data[i], g_free);
}

/* The attacker's own program signs and sends what it holds: to the county, to its sibling
 * laptop; the county relays up and down. */
static void
attack_travels (World *w)
{
  zz_test_node_send (w->a, w->c);
  zz_test_node_send (w->a, w->a2);
  zz_test_node_send (w->c, w->p);
  zz_test_node_send (w->c, w->b);
  zz_test_node_send (w->c, w->a2);
  zz_test_node_send (w->p, w->c2);
}

/* Every receiver that holds @hash in full refused it with a reason; @must (NULL-terminated)
 * are those that may see it and so must hold it. */
static void
check_refused_alike (World *w, const char *what, const char *hash, ZzTestNode **must)
{
  guint n;
  ZzTestNode **r = receivers (w, &n);

  for (ZzTestNode **m = must; *m; m++)
    {
      if (!zz_test_node_holds (*m, hash))
        {
          g_test_message ("%s: the node of %s never received the change", what, (*m)->unit);
          g_test_fail ();
        }
    }
  for (guint i = 0; i < n; i++)
    if (zz_test_node_holds (r[i], hash))
      {
        gboolean refused = zz_test_node_refused_op (r[i], hash);
        g_test_message ("%s: %s %s", what, r[i]->unit, refused ? "refused" : "APPLIED");
        if (!refused)
          {
            g_test_message ("%s: the node of %s applied the crafted change", what, r[i]->unit);
            g_test_fail ();
          }
      }
}

/* Every receiver that holds @hash in full decided it alike (all refused it, with a reason, or
 * all applied it); @must are those that may see it and so must hold it. Returns TRUE when it
 * was refused. */
static gboolean
check_decided_alike (World *w, const char *what, const char *hash, ZzTestNode **must)
{
  guint n, refused = 0, applied = 0;
  ZzTestNode **r = receivers (w, &n);

  for (ZzTestNode **m = must; *m; m++)
    if (!zz_test_node_holds (*m, hash))
      {
        g_test_message ("%s: the node of %s never received the change", what, (*m)->unit);
        g_test_fail ();
      }
  for (guint i = 0; i < n; i++)
    if (zz_test_node_holds (r[i], hash))
      {
        if (zz_test_node_refused_op (r[i], hash))
          refused++;
        else
          applied++;
      }
  g_test_message ("%s: refused on %u nodes, applied on %u", what, refused, applied);
  if (refused && applied)
    g_test_fail ();
  return refused > 0;
}

static char *
person_create_fields (const char *name)
{
  return g_strdup_printf ("{\"name\":\"%s\",\"phone\":\"13907430001\",\"id_number\":null}", name);
}

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

static char *
op_hash_of (ZzTestNode *n, const char *row_id, const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT lower(hex(hash)) FROM op WHERE row_id = '%s' AND kind = '%s'"
                                          " AND origin = '%s' ORDER BY seq DESC LIMIT 1",
                                          row_id, kind, zz_store_get_node_id (n->store));
  return zz_test_node_text (n, sql);
}

/* ---- other units' rows ---- */

static void
test_other_units (void)
{
  World w = { 0 };
  Snapshot s = { 0 };
  g_autofree char *b_person = NULL, *b_create = NULL, *f = NULL, *parents = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL, *h3 = NULL, *id1 = NULL;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL };

  world_init (&w);
  b_person = new_person (w.b, TOWN_B "200", "杨秀英");
  b_create = op_hash_of (w.b, b_person, "create");
  world_exchange (&w);
  snapshot_take (&w, &s);

  /* a household member of township B, "registered" by A */
  id1 = zz_store_new_id (w.a->store);
  f = person_create_fields ("冒名顶替");
  h1 = zz_test_node_forge (w.a, "create", "person", id1, TOWN_B "200", f, NULL, 0);
  /* B's person renamed by A, with B's home kept */
  parents = g_strdup_printf ("[\"%s\"]", b_create);
  h2 = zz_test_node_forge (w.a, "set", "person", b_person, TOWN_B "200", "{\"name\":\"被改名\"}", parents, 0);
  /* B's person removed by A */
  h3 = zz_test_node_forge (w.a, "tombstone", "person", b_person, TOWN_B "200", "{}", NULL, 0);
  attack_travels (&w);

  must[0] = w.c;
  must[1] = w.p;
  must[2] = w.b;
  check_refused_alike (&w, "create in another township", h1, must);
  check_refused_alike (&w, "set on another township's row", h2, must);
  check_refused_alike (&w, "tombstone of another township's row", h3, must);
  snapshot_check (&w, &s);
  world_clear (&w);
}

/* ---- id reuse (defect 3: arrival order changed decisions) ---- */

static void
test_id_reuse (void)
{
  World w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *b_person = NULL, *b_create = NULL, *b_edit = NULL, *f = NULL, *forged = NULL;
  g_autofree char *sql_hlc = NULL;
  g_autofree char *digest_c = NULL, *digest_p = NULL;
  gint64 b_clock;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL };
  ZzTestNode *all[] = { NULL, NULL, NULL, NULL };

  world_init (&w);
  /* B's newest person, and an edit of it */
  b_person = new_person (w.b, TOWN_B "200", "向桂花");
  g_assert_true (zz_test_set_text (w.b->store, "person", b_person, "name", "向桂香", &error));
  g_assert_no_error (error);
  b_create = op_hash_of (w.b, b_person, "create");
  b_edit = op_hash_of (w.b, b_person, "set");
  sql_hlc = g_strdup_printf ("SELECT hlc FROM op WHERE hash = x'%s'", b_create);
  b_clock = zz_test_node_int (w.b, sql_hlc);
  /* the county holds B's create first; the prefecture has not heard of it yet */
  zz_test_node_send (w.b, w.c);

  /* A creates a row under the same id, homed in its own village, stamped just before B's */
  f = person_create_fields ("冒领编号");
  forged = zz_test_node_forge (w.a, "create", "person", b_person, VILLAGE_A, f, NULL, (guint64) b_clock - 1);
  /* A's sibling gets A's create alone; the county refuses it against B's; the prefecture receives
   * both in one bundle from the county */
  attack_travels (&w);
  world_exchange (&w);

  must[0] = w.c;
  must[1] = w.p;
  must[2] = w.a2;
  check_refused_alike (&w, "create reusing another node's id", forged, must);
  /* B's genuine create and edit are applied everywhere they may be seen */
  all[0] = w.c;
  all[1] = w.p;
  all[2] = w.b;
  for (ZzTestNode **n = all; *n; n++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT name || '|' || home FROM person WHERE id = '%s'", b_person);
      g_autofree char *row = zz_test_node_text (*n, sql);

      g_test_message ("%s: person %s", (*n)->unit, row);
      g_assert_true (zz_test_node_holds (*n, b_create));
      g_assert_false (zz_test_node_refused_op (*n, b_create));
      g_assert_true (zz_test_node_holds (*n, b_edit));
      g_assert_false (zz_test_node_refused_op (*n, b_edit));
      g_assert_cmpstr (row, ==, "向桂香|" TOWN_B "200");
    }
  /* the sibling laptop does not show A's version of the row either */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM person WHERE id = '%s'", b_person);
    g_assert_cmpint (zz_test_node_int (w.a2, sql), ==, 0);
  }
  /* the county and the prefecture decided alike: their refusals are the same */
  digest_c = zz_test_node_refused (w.c);
  digest_p = zz_test_node_refused (w.p);
  g_assert_cmpstr (digest_c, ==, digest_p);
  world_clear (&w);
}

/* ---- reference data from a township ---- */

static void
test_reference_data (void)
{
  World w = { 0 };
  Snapshot s = { 0 };
  g_autofree char *id1 = NULL, *id2 = NULL, *id3 = NULL, *h1 = NULL, *h2 = NULL, *h3 = NULL;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL, NULL };

  world_init (&w);
  snapshot_take (&w, &s);
  id1 = zz_store_new_id (w.a->store);
  id2 = zz_store_new_id (w.a->store);
  id3 = zz_store_new_id (w.a->store);
  /* a case setting and a category for the whole county, and a county account, written by a township */
  h1 = zz_test_node_forge (w.a, "create", "case_setting", id1, COUNTY,
                           "{\"key\":\"deadline_days.township\",\"value\":\"365\"}", NULL, 0);
  h2 = zz_test_node_forge (w.a, "create", "case_category", id2, COUNTY,
                           "{\"key\":\"forged\",\"name\":\"伪造类别\",\"retired\":0}", NULL, 0);
  h3 = zz_test_node_forge (w.a, "create", "user", id3, COUNTY,
                           "{\"login\":\"boss\",\"name\":\"冒充主任\",\"role\":\"admin\",\"password_hash\":\"x\",\"active\":1}",
                           NULL, 0);
  attack_travels (&w);

  must[0] = w.c;
  must[1] = w.p;
  must[2] = w.b;
  must[3] = w.a2;
  check_refused_alike (&w, "county case setting from a township", h1, must);
  check_refused_alike (&w, "county category from a township", h2, must);
  check_refused_alike (&w, "county account from a township", h3, must);
  snapshot_check (&w, &s);
  world_clear (&w);
}

/* ---- tombstones of append-only records (defect 6) ---- */

static void
insert (ZzTestNode *n, const char *table, const char *id, const char *home, const ZzField *f, guint nf)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_store_begin (n->store, &error));
  if (!zz_store_insert_row (n->store, table, id, home, f, nf, &error))
    g_error ("%s: %s", table, error->message);
  g_assert_true (zz_store_commit (n->store, &error));
}

static void
test_append_only (void)
{
  World w = { 0 };
  Snapshot s = { 0 };
  ZzStore *c;
  g_autofree char *case_id = NULL, *note = NULL, *esc = NULL, *rv = NULL, *wh = NULL;
  const char *ids[4];
  const char *tables[] = { "supervision_note", "case_escalation", "return_visit", "whistle" };
  gint64 now;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL };

  world_init (&w);
  c = w.c->store;
  now = zz_store_now (c);
  case_id = zz_store_new_id (c);
  {
    ZzField f[] = {
      ZZ_F_TEXT ("number", "泸综调〔2026〕1号"), ZZ_F_TEXT ("source", "walk_in"), ZZ_F_TEXT ("category", "land"),
      ZZ_F_TEXT ("summary", "宅基地边界纠纷"), ZZ_F_TEXT ("risk", "low"), ZZ_F_TEXT ("urgency", "normal"),
      ZZ_F_TEXT ("first_responder_id", zz_store_get_user_id (c)), ZZ_F_INT ("registered_at", now),
      ZZ_F_TEXT ("registered_unit", VILLAGE_A), ZZ_F_TEXT ("level", "township"), ZZ_F_TEXT ("status", "in_progress"),
    };
    insert (w.c, "case_file", case_id, VILLAGE_A, f, G_N_ELEMENTS (f));
  }
  /* the county's supervision of the township's case, all append-only */
  note = zz_store_new_id (c);
  {
    ZzField f[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("note", "逾期未办结，请说明"), ZZ_F_INT ("overdue_days", 12),
                    ZZ_F_INT ("at", now), ZZ_F_TEXT ("author_id", zz_store_get_user_id (c)) };
    insert (w.c, "supervision_note", note, VILLAGE_A, f, G_N_ELEMENTS (f));
  }
  esc = zz_store_new_id (c);
  {
    ZzField f[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("from_level", "township"), ZZ_F_TEXT ("to_level", "county"),
                    ZZ_F_TEXT ("summary", "调解不成，提级"), ZZ_F_INT ("at", now), ZZ_F_TEXT ("author_id", zz_store_get_user_id (c)) };
    insert (w.c, "case_escalation", esc, VILLAGE_A, f, G_N_ELEMENTS (f));
  }
  rv = zz_store_new_id (c);
  {
    ZzField f[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("satisfaction", "dissatisfied"), ZZ_F_TEXT ("notes", "群众不满意"),
                    ZZ_F_INT ("at", now), ZZ_F_TEXT ("author_id", zz_store_get_user_id (c)) };
    insert (w.c, "return_visit", rv, VILLAGE_A, f, G_N_ELEMENTS (f));
  }
  wh = zz_store_new_id (c);
  {
    ZzField f[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("departments", "[]"), ZZ_F_TEXT ("note", "吹哨"),
                    ZZ_F_INT ("at", now), ZZ_F_TEXT ("author_id", zz_store_get_user_id (c)) };
    insert (w.c, "whistle", wh, VILLAGE_A, f, G_N_ELEMENTS (f));
  }
  world_exchange (&w);
  ids[0] = note;
  ids[1] = esc;
  ids[2] = rv;
  ids[3] = wh;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = '%s' AND deleted = 0", tables[i], ids[i]);
      g_assert_cmpint (zz_test_node_int (w.a, sql), ==, 1);
    }
  snapshot_take (&w, &s);

  /* township A hides the county's supervision of its case */
  {
    char *h[4];

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      h[i] = zz_test_node_forge (w.a, "tombstone", tables[i], ids[i], VILLAGE_A, "{}", NULL, 0);
    attack_travels (&w);
    must[0] = w.c;
    must[1] = w.p;
    must[2] = w.a2;
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autofree char *what = g_strdup_printf ("tombstone of a %s", tables[i]);
        check_refused_alike (&w, what, h[i], must);
        g_free (h[i]);
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = '%s' AND deleted = 0", tables[i], ids[i]);
      g_assert_cmpint (zz_test_node_int (w.c, sql), ==, 1);
      g_assert_cmpint (zz_test_node_int (w.p, sql), ==, 1);
      g_assert_cmpint (zz_test_node_int (w.a2, sql), ==, 1);
    }
  snapshot_check (&w, &s);
  world_clear (&w);
}

/* ---- extreme clocks (defect 4) ---- */

/* The node writes a change and sends it up; the receiver applies it (its clock is one every
 * reader accepts). Returns the change's clock in ms. */
static gint64
writes_and_is_heard (ZzTestNode *n, ZzTestNode *up, const char *home)
{
  g_autofree char *id = new_person (n, home, "时钟检查");
  g_autofree char *sql = g_strdup_printf ("SELECT hlc FROM op WHERE row_id = '%s'", id);
  g_autofree char *there = g_strdup_printf ("SELECT count(*) FROM person WHERE id = '%s'", id);
  g_autoptr(GBytes) b = zz_test_node_export (n, up);
  g_autoptr(GError) error = NULL;
  ZzImportResult res = { 0 };
  gint64 hlc = zz_test_node_int (n, sql);

  g_assert_true (zz_sync_import_bytes (up->store, b, &res, &error));
  g_assert_no_error (error);
  g_test_message ("%s -> %s: %s", n->unit, up->unit, res.refused ? res.reason : "accepted");
  g_assert_false (res.refused);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  g_assert_cmpint (zz_test_node_int (up, there), ==, 1);
  zz_import_result_clear (&res);
  return ZZ_HLC_MS ((guint64) hlc);
}

static void
test_extreme_clocks (void)
{
  World w = { 0 };
  Snapshot s = { 0 };
  g_autofree char *f = NULL, *id1 = NULL, *h1 = NULL;
  /* 2100-01-01 00:00 UTC */
  const gint64 y2100 = G_GINT64_CONSTANT (4102444800000);
  gint64 ms;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL };

  world_init (&w);
  snapshot_take (&w, &s);
  f = person_create_fields ("时钟炸弹");
  id1 = zz_store_new_id (w.a->store);
  h1 = zz_test_node_forge (w.a, "create", "person", id1, VILLAGE_A, f, NULL, (guint64) G_MAXINT64);
  attack_travels (&w);
  must[0] = w.c;
  must[1] = w.p;
  must[2] = w.a2;
  /* decided alike everywhere; refused or kept, it changes nothing else (an op's clock is
   * input like any field: no receiver's wall clock may decide it) */
  if (check_decided_alike (&w, "clock 2^63-1", h1, must))
    snapshot_check (&w, &s);
  else
    snapshot_clear (&s);

  /* the receivers' own clocks were not dragged along: their next changes are heard */
  ms = writes_and_is_heard (w.c, w.p, COUNTY);
  g_assert_cmpint (ms, <, y2100);
  ms = writes_and_is_heard (w.a2, w.c, TOWN_A);
  g_assert_cmpint (ms, <, y2100);
  /* even after a restart */
  zz_test_node_reopen (w.c);
  ms = writes_and_is_heard (w.c, w.p, COUNTY);
  g_assert_cmpint (ms, <, y2100);

  world_clear (&w);
}

static void
test_clock_2100 (void)
{
  World w = { 0 };
  Snapshot s = { 0 };
  g_autofree char *f = person_create_fields ("日期错误");
  g_autofree char *id2 = NULL, *h2 = NULL;
  /* 2100-01-01 00:00 UTC */
  const gint64 y2100 = G_GINT64_CONSTANT (4102444800000);
  gint64 ms;
  ZzTestNode *must[] = { NULL, NULL, NULL, NULL };

  /* a township laptop whose date says 2100 */
  world_init (&w);
  must[0] = w.c;
  must[1] = w.p;
  must[2] = w.a2;
  id2 = zz_store_new_id (w.a->store);
  snapshot_take (&w, &s);
  h2 = zz_test_node_forge (w.a, "create", "person", id2, VILLAGE_A, f, NULL, (guint64) y2100 << 16);
  attack_travels (&w);
  if (check_decided_alike (&w, "clock in 2100", h2, must))
    snapshot_check (&w, &s);
  else
    snapshot_clear (&s);
  ms = writes_and_is_heard (w.c, w.p, COUNTY);
  g_test_message ("county clock after a 2100 change: %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, <, y2100);
  g_assert_cmpint (ms, <, zz_store_now (w.c->store) + 24 * 3600 * 1000);
  world_clear (&w);
}

/* ---- certificates out of the issuer's subtree (defect 5) ---- */

static char *
forged_cert (ZzStore *issuer, const char *node, const char *unit, gint64 serial)
{
  char key[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
  char b64[sodium_base64_ENCODED_LEN (crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  g_autofree char *text = NULL, *msg = NULL;
  guint8 sig[crypto_sign_BYTES];

  /* the issuer's own key bound to another node's id */
  sodium_bin2base64 (key, sizeof key, issuer->public_key, crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
  text = g_strdup_printf ("{\"cert\":1,\"node\":\"%s\",\"key\":\"%s\",\"unit\":\"%s\",\"name\":\"%s\",\"serial\":%" G_GINT64_FORMAT
                          ",\"issuer\":\"%s\"}", node, key, unit, "冒名中心", serial, issuer->node_id);
  msg = g_strconcat ("zongzhi-cert\n", text, NULL);
  crypto_sign_detached (sig, NULL, (const guint8 *) msg, strlen (msg), issuer->secret_key);
  sodium_bin2base64 (b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
  return g_strconcat (text, "\n", b64, NULL);
}

static void
plant_cert (ZzTestNode *issuer, const char *node, const char *unit, gint64 serial)
{
  g_autofree char *stored = forged_cert (issuer->store, node, unit, serial);
  g_autofree char *text = g_strndup (stored, strchr (stored, '\n') - stored);
  g_autofree char *sql = NULL;
  g_autofree char *pk = zz_hex_encode (issuer->store->public_key, crypto_sign_PUBLICKEYBYTES);
  char *q = sqlite3_mprintf ("%Q", stored);

  sql = g_strdup_printf ("INSERT OR REPLACE INTO sync_cert (node_id, public_key, org_unit, name, serial, issuer, text, received_at)"
                         " VALUES ('%s', x'%s', '%s', '冒名中心', %" G_GINT64_FORMAT ", '%s', %s, 0)",
                         node, pk, unit, serial, zz_store_get_node_id (issuer->store), q);
  sqlite3_free (q);
  zz_test_node_exec (issuer, sql);
}

static char *
cert_key (ZzTestNode *n, const char *node)
{
  g_autofree char *sql = g_strdup_printf ("SELECT lower(hex(public_key)) || ' ' || org_unit FROM sync_cert WHERE node_id = '%s'", node);
  return zz_test_node_text (n, sql);
}

static void
test_certificate_scope (void)
{
  World w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *c_key = NULL, *a_key = NULL, *c_key_a = NULL;
  g_autofree char *c_pub = NULL;
  const char *c_id, *a_id;

  world_init (&w);
  c_id = zz_store_get_node_id (w.c->store);
  a_id = zz_store_get_node_id (w.a->store);
  c_key = cert_key (w.p, c_id);
  a_key = cert_key (w.p, a_id);
  c_key_a = cert_key (w.a, c_id);
  g_assert_nonnull (c_key);
  g_assert_nonnull (a_key);

  /* county C2 certifies county C's node id, and a township laptop of C, under its own key, in its
   * own unit, with the largest serial; the certificates ride in an ordinary bundle */
  plant_cert (w.c2, c_id, COUNTY2, G_MAXINT64);
  plant_cert (w.c2, a_id, COUNTY2 "001", G_MAXINT64);
  zz_test_node_reopen (w.c2);
  zz_test_node_send (w.c2, w.p);
  zz_test_node_send (w.p, w.c);
  zz_test_node_send (w.c, w.a);

  {
    g_autofree char *now_c = cert_key (w.p, c_id), *now_a = cert_key (w.p, a_id), *now_c_a = cert_key (w.a, c_id);
    g_test_message ("prefecture's certificate of the county: %s", now_c);
    g_assert_cmpstr (now_c, ==, c_key);
    g_assert_cmpstr (now_a, ==, a_key);
    g_assert_cmpstr (now_c_a, ==, c_key_a);
  }
  /* the county's genuine bundles are still applied at the prefecture */
  {
    g_autofree char *id = new_person (w.c, COUNTY, "县里新登记");
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM person WHERE id = '%s'", id);
    g_autoptr(GBytes) b = zz_test_node_export (w.c, w.p);
    ZzImportResult res = { 0 };

    g_assert_true (zz_sync_import_bytes (w.p->store, b, &res, &error));
    g_assert_no_error (error);
    g_test_message ("county -> prefecture: %s", res.refused || res.quarantined ? res.reason : "applied");
    g_assert_false (res.refused);
    g_assert_false (res.quarantined);
    g_assert_cmpuint (res.refused_ops, ==, 0);
    g_assert_cmpint (zz_test_node_int (w.p, sql), ==, 1);
    zz_import_result_clear (&res);
  }
  /* and the prefecture can enrol the county again */
  c_pub = zz_sync_public_key_file (w.c->store);
  g_assert_true (zz_sync_enrol (w.p->store, c_pub, NULL, &error));
  g_assert_no_error (error);
  world_clear (&w);
}

/* ---- a bundle made by hand ---- */

/* Rewrites bundle @bytes as its sender can: the op line @from replaced by @to, the manifest's
 * sender unit by @unit; the payload's hash and sizes made to match, the manifest signed again
 * with @signer's key (tar, minisign and zstd, as any tool would). */
static GBytes *
recraft (GBytes *bytes, ZzStore *signer, const char *from, const char *to, const char *unit)
{
  g_autoptr(GError) error = NULL;
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GBytes) raw = NULL, ops = NULL, manifest = NULL, sig = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *m, *payload;
  g_autofree char *mtext = NULL, *payload_hex = NULL, *comment = NULL, *signature = NULL;
  g_autofree char *old_sig = NULL;
  g_auto(GStrv) sig_lines = NULL;
  guint8 h[32];
  char *at;

  g_assert_true (zz_bundle_unpack (data, len, &files, &mtime, &error));
  g_assert_no_error (error);
  raw = zz_zstd_decompress (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), 1 << 28, &error);
  g_assert_no_error (error);
  text = g_string_new_len (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  at = strstr (text->str, from);
  g_assert_nonnull (at);
  {
    gssize pos = at - text->str;
    g_string_erase (text, pos, strlen (from));
    g_string_insert (text, pos, to);
  }
  ops = zz_zstd_compress (text->str, text->len, 6);
  crypto_generichash (h, sizeof h, g_bytes_get_data (ops, NULL), g_bytes_get_size (ops), NULL, 0);
  payload_hex = zz_hex_encode (h, sizeof h);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (files.manifest, NULL),
                                             g_bytes_get_size (files.manifest), &error));
  m = json_node_get_object (json_parser_get_root (parser));
  payload = json_object_get_object_member (m, "payload");
  json_object_set_int_member (payload, "size", g_bytes_get_size (ops));
  json_object_set_int_member (payload, "raw_size", text->len);
  json_object_set_string_member (payload, "blake2b", payload_hex);
  json_object_set_string_member (m, "sender_unit", unit);
  {
    g_autofree char *json = json_to_string (json_parser_get_root (parser), FALSE);
    mtext = g_strconcat (json, "\n", NULL);
  }

  /* the signed comment names the unit and the payload: the sender writes them as it likes */
  old_sig = g_strndup (g_bytes_get_data (files.signature, NULL), g_bytes_get_size (files.signature));
  sig_lines = g_strsplit (old_sig, "\n", -1);
  for (guint i = 0; sig_lines[i]; i++)
    if (g_str_has_prefix (sig_lines[i], "trusted comment: "))
      {
        g_auto(GStrv) words = g_strsplit (sig_lines[i] + strlen ("trusted comment: "), " ", -1);
        GString *c = g_string_new (NULL);

        for (guint k = 0; words[k]; k++)
          {
            if (k)
              g_string_append_c (c, ' ');
            if (g_str_has_prefix (words[k], "unit="))
              g_string_append_printf (c, "unit=%s", unit);
            else if (g_str_has_prefix (words[k], "payload="))
              g_string_append_printf (c, "payload=%s", payload_hex);
            else
              g_string_append (c, words[k]);
          }
        comment = g_string_free (c, FALSE);
      }
  g_assert_nonnull (comment);
  signature = zz_minisign_sign (signer->secret_key, signer->public_key, mtext, strlen (mtext), comment);
  manifest = g_bytes_new (mtext, strlen (mtext));
  sig = g_bytes_new (signature, strlen (signature));
  zz_bundle_files_clear (&files);
  return zz_bundle_pack (manifest, sig, ops, mtime);
}

static void
test_hand_made (void)
{
  World w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *f = NULL, *h = NULL, *body = NULL, *stub = NULL, *full = NULL;
  g_autofree char *before = NULL, *after = NULL, *sql = NULL;
  g_autoptr(GBytes) honest = NULL, crafted = NULL;
  ZzImportResult res = { 0 };
  gint64 seq;

  world_init (&w);
  /* A's record in township B: sent to A's sibling, A's own program writes it as a placeholder */
  id = zz_store_new_id (w.a->store);
  f = person_create_fields ("越权登记");
  h = zz_test_node_forge (w.a, "create", "person", id, TOWN_B "200", f, NULL, 0);
  sql = g_strdup_printf ("SELECT seq FROM op WHERE hash = x'%s'", h);
  seq = zz_test_node_int (w.a, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT CAST(body AS TEXT) FROM op WHERE hash = x'%s'", h);
  body = zz_test_node_text (w.a, sql);
  {
    /* the sender chooses its format: readable, to be rewritten with zstd alone */
    ZzExportOptions one = { .format = 1 };
    honest = zz_sync_export_bytes_with (w.a->store, zz_store_get_node_id (w.a2->store), &one, NULL, &error);
    g_assert_no_error (error);
  }
  stub = g_strdup_printf ("{\"stub\":1,\"o\":\"%s\",\"s\":%" G_GINT64_FORMAT ",\"x\":\"%s\",\"p\":\"\"}",
                          zz_store_get_node_id (w.a->store), seq, h);
  /* by hand: the whole op instead (its prev left out, as a bundle writes it), and the manifest
   * claiming the county's unit */
  {
    const char *p = strstr (body, ",\"p\":\"");
    g_assert_nonnull (p);
    full = g_strdup_printf ("%.*s,\"p\":\"\"%s", (int) (p - body), body, p + strlen (",\"p\":\"") + 64 + 1);
  }
  crafted = recraft (honest, w.a->store, stub, full, COUNTY);

  before = zz_test_node_data_digest (w.a2);
  g_assert_true (zz_sync_import_bytes (w.a2->store, crafted, &res, &error));
  g_assert_no_error (error);
  g_test_message ("hand-made bundle at A's sibling: %s, %u applied, %u refused", res.refused ? res.reason : "read",
                  res.applied, res.refused_ops);
  after = zz_test_node_data_digest (w.a2);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (res.refused || zz_test_node_refused_op (w.a2, h));
  zz_import_result_clear (&res);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM person WHERE id = '%s'", id);
  g_assert_cmpint (zz_test_node_int (w.a2, sql), ==, 0);
  world_clear (&w);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* every case reports, even after one failed */
  g_test_set_nonfatal_assertions ();
  zz_test_sync_fast_disk ();
  g_test_add_func ("/sync/adversary/other-units-rows", test_other_units);
  g_test_add_func ("/sync/adversary/id-reuse", test_id_reuse);
  g_test_add_func ("/sync/adversary/reference-data", test_reference_data);
  g_test_add_func ("/sync/adversary/append-only-tombstones", test_append_only);
  g_test_add_func ("/sync/adversary/clock-2^63-1", test_extreme_clocks);
  g_test_add_func ("/sync/adversary/clock-year-2100", test_clock_2100);
  g_test_add_func ("/sync/adversary/certificate-out-of-subtree", test_certificate_scope);
  g_test_add_func ("/sync/adversary/hand-made-bundle", test_hand_made);
  return g_test_run ();
}
