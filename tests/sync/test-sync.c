/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "zz-bundle.h"
#include "zz-demo.h"
#include "zz-cases.h"
#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-households.h"
#include "zz-test-sync.h"

#define PREFECTURE "4331"
#define COUNTY     "433122"
#define TOWNSHIP   "433122102"   /* 达岚镇 */
#define TOWNSHIP2  "433122104"   /* 兴隆场镇 */
#define VILLAGE    "433122102200" /* 龙溪口村, in 达岚镇 */

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

/* Village work recorded on a township laptop reaches the county and, relayed by the county, the
 * prefecture; each checks the township's own signature over its ops, so a relay cannot alter
 * them. */
static void
test_relay (void)
{
  g_autoptr(ZzTestNode) p = zz_test_node_new (PREFECTURE, "湘西州综治中心");
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  const char *tid = zz_store_get_node_id (t->store);
  g_autoptr(GBytes) forged = NULL;
  ZzImportResult res = { 0 };
  gint64 village_rows;
  g_autofree char *p_before = NULL;
  g_autofree char *dp = NULL, *dc = NULL, *dt = NULL;

  zz_test_node_trust (p, p);
  zz_test_node_trust (c, p);
  zz_test_node_trust (t, p);
  zz_test_node_enrol (p, c);
  zz_test_node_send (p, c);          /* the county's certificate reaches it */
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);          /* and the township's, vouched for by the county */

  zz_test_node_simulate (t, 60, 7, VILLAGE);
  village_rows = count_at (t, "SELECT count(*) FROM person WHERE home LIKE '%s%%'", VILLAGE);
  g_assert_cmpint (village_rows, >, 0);

  zz_test_node_send (t, c);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM person WHERE home LIKE '%s%%'", VILLAGE), ==, village_rows);
  /* the county keeps the township's signature over its head, to forward */
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM sync_head WHERE origin = '%s'", tid), >=, 1);

  /* a relay that alters an op of the township is caught at the prefecture */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE op SET body = CAST(replace(CAST(body AS TEXT), '\"people\":', '\"people\":1') AS BLOB)"
                                            " WHERE origin = '%s' AND kind = 'create' AND tbl = 'visit'", tid);
    g_autofree char *undo = g_strdup_printf ("UPDATE op SET body = CAST(replace(CAST(body AS TEXT), '\"people\":1', '\"people\":') AS BLOB)"
                                             " WHERE origin = '%s' AND kind = 'create' AND tbl = 'visit'", tid);
    g_assert_cmpint (count_at (c, "SELECT count(*) FROM op WHERE origin = '%s' AND tbl = 'visit'", tid), >, 0);
    zz_test_node_exec (c, sql);
    forged = zz_test_node_export (c, p);
    p_before = zz_test_node_digest (p);
    g_assert_true (zz_sync_import_bytes (p->store, forged, &res, NULL));
    g_assert_true (res.refused);
    g_assert_true (strstr (res.reason, "chain") || strstr (res.reason, "signed"));
    zz_import_result_clear (&res);
    {
      g_autofree char *after = zz_test_node_digest (p);
      g_assert_cmpstr (after, ==, p_before);
    }
    zz_test_node_exec (c, undo);
  }

  zz_test_node_send (c, p);
  g_assert_cmpint (count_at (p, "SELECT count(*) FROM person WHERE home LIKE '%s%%'", VILLAGE), ==, village_rows);
  g_assert_cmpint (count_at (p, "SELECT count(*) FROM sync_head WHERE origin = '%s'", tid), >=, 1);
  g_assert_cmpint (count_at (p, "SELECT count(*) FROM op WHERE origin = '%s' AND kind NOT IN ('stub', 'hole', 'local')", tid), ==,
                   count_at (t, "SELECT count(*) FROM op WHERE origin = '%s' AND tbl NOT IN ('user','department','window')", tid));

  /* and back down: all three hold the same data */
  zz_test_node_send (p, c);
  zz_test_node_send (c, t);
  zz_test_node_send (t, c);
  zz_test_node_send (c, p);
  dp = zz_test_node_digest (p);
  dc = zz_test_node_digest (c);
  dt = zz_test_node_digest (t);
  g_assert_cmpstr (dp, ==, dc);
  g_assert_cmpstr (dc, ==, dt);
}

/* A township editing another township's row is refused by every receiver alike. */
static void
test_authorisation (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t1 = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) t2 = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) from_t2 = NULL;
  g_autofree char *victim = NULL, *sql = NULL;
  g_autofree char *name_c = NULL, *name_t1 = NULL, *name_t2 = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t1, c);
  zz_test_node_trust (t2, c);
  zz_test_node_enrol (c, t1);
  zz_test_node_enrol (c, t2);
  zz_test_node_send (c, t1);
  zz_test_node_send (c, t2);

  zz_test_node_simulate (t1, 10, 3, NULL);
  zz_test_node_send (t1, c);
  /* the second township never receives the first's records; it copies one into its own file */
  victim = zz_test_node_text (t1, "SELECT id FROM person WHERE home LIKE '" TOWNSHIP "%' ORDER BY id LIMIT 1");
  g_assert_nonnull (victim);
  {
    g_autofree char *steal = g_strdup_printf ("ATTACH '%s' AS o; INSERT INTO person SELECT * FROM o.person WHERE id = '%s';"
                                              " DETACH o", t1->path, victim);
    zz_test_node_exec (t2, steal);
  }

  /* the second township's own store writes it (its verbs do not know sync rules) ... */
  g_assert_true (zz_test_set_text (t2->store, "person", victim, "name", "冒名顶替", &error));
  g_assert_no_error (error);

  /* ... but no receiver applies it */
  from_t2 = zz_test_node_export (t2, c);
  zz_test_node_import (c, from_t2, &res);
  g_assert_cmpuint (res.refused_ops, ==, 1);
  g_assert_nonnull (res.refusals);
  g_assert_nonnull (strstr (res.refusals->pdata[0], TOWNSHIP2));
  zz_import_result_clear (&res);
  {
    g_autoptr(GBytes) to_t1 = zz_test_node_export (t2, t1);
    zz_test_node_import (t1, to_t1, &res);
    g_assert_cmpuint (res.refused_ops, ==, 1);
    zz_import_result_clear (&res);
  }

  sql = g_strdup_printf ("SELECT name FROM person WHERE id = '%s'", victim);
  name_c = zz_test_node_text (c, sql);
  name_t1 = zz_test_node_text (t1, sql);
  name_t2 = zz_test_node_text (t2, sql);
  g_assert_cmpstr (name_c, ==, name_t1);
  g_assert_cmpstr (name_c, !=, "冒名顶替");
  g_assert_cmpstr (name_t2, ==, "冒名顶替");
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_refused"), ==, 1);
  g_assert_cmpint (zz_test_node_int (t1, "SELECT count(*) FROM sync_refused"), ==, 1);

  /* relayed by the county, the refused op is refused again, alike */
  {
    g_autoptr(ZzTestNode) t1b = zz_test_node_new (TOWNSHIP, "达岚镇第二台");
    g_autofree char *a = NULL, *b = NULL;

    zz_test_node_trust (t1b, c);
    zz_test_node_enrol (c, t1b);
    {
      g_autoptr(GBytes) all = zz_test_node_export (c, t1b);
      zz_test_node_import (t1b, all, &res);
      g_assert_cmpuint (res.refused_ops, ==, 1);
      zz_import_result_clear (&res);
    }
    a = zz_test_node_text (t1b, sql);
    g_assert_cmpstr (a, ==, name_c);
    b = zz_test_node_text (t1b, "SELECT reason FROM sync_refused");
    g_assert_nonnull (b);
  }
}

/* Reference data set at the county (here the risk weights and visit cadences) flows down to its
 * townships; the same table written at a township stays there. */
static void
test_reference_flows_down (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  ZzRiskScheme scheme;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);

  g_assert_true (zz_store_create_user (c->store, "director", "彭主任", ZZ_ROLE_SUPERVISOR, "Director2024", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (c->store, "director", &error));
  zz_store_get_risk_scheme (c->store, &scheme);
  scheme.high_min = 75;
  g_assert_true (zz_store_set_risk_scheme (c->store, &scheme, &error));
  g_assert_no_error (error);

  zz_test_node_send (c, t);
  g_assert_cmpint (zz_test_node_int (t, "SELECT count(*) FROM risk_scheme WHERE home = '" COUNTY "'"), ==, 1);
  g_assert_true (zz_store_create_user (t->store, "officer", "向委员", ZZ_ROLE_SUPERVISOR, "Officer2024", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (t->store, "officer", &error));
  zz_store_get_risk_scheme (t->store, &scheme);
  g_assert_cmpuint (scheme.high_min, ==, 75);

  /* a township's own reference rows do not travel up */
  {
    g_autoptr(GBytes) up = zz_test_node_export (t, c);
    zz_test_node_import (c, up, &res);
    g_assert_cmpuint (res.refused_ops, ==, 0);
    zz_import_result_clear (&res);
  }
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM user WHERE home = '" TOWNSHIP "'"), ==, 0);
}

/* Accounts made at the county reach its townships; a login name means this centre's own account
 * first, and accounts from another centre are changed only there. */
static void
test_accounts_from_above (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autofree char *county_director = NULL, *sql = NULL, *home = NULL;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  g_assert_true (zz_store_create_user (c->store, "director", "彭主任", ZZ_ROLE_SUPERVISOR, "County2024x", &county_director, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_create_user (c->store, "inspector", "田督查", ZZ_ROLE_SUPERVISOR, "Inspect2024", NULL, &error));
  g_assert_no_error (error);
  zz_test_node_send (c, t);

  /* the township may use the same login name for its own director */
  g_assert_true (zz_store_create_user (t->store, "director", "向镇长", ZZ_ROLE_SUPERVISOR, "Township2024", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (zz_store_create_user (t->store, "director", "重名", ZZ_ROLE_CLERK, "Township2024", NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  /* "director" on the township laptop is the township's director ... */
  g_assert_false (zz_store_login (t->store, "director", "County2024x", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (zz_store_login (t->store, "director", "Township2024", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zz_store_get_user_name (t->store), ==, "向镇长");
  /* ... and a county account with no namesake here logs in as itself */
  g_assert_true (zz_store_login (t->store, "inspector", "Inspect2024", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT home FROM user WHERE id = '%s'", zz_store_get_user_id (t->store));
  home = zz_test_node_text (t, sql);
  g_assert_cmpstr (home, ==, COUNTY);

  /* the township's administrator cannot change the county's account */
  g_assert_true (zz_store_act_as (t->store, "admin", &error));
  g_assert_false (zz_store_update_user (t->store, county_director, "改名", ZZ_ROLE_CLERK, TRUE, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_store_set_user_password (t->store, county_director, "Changed2024x", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
}

static char *
record_village_attempt (ZzTestNode *n, const char *case_id)
{
  g_autoptr(GError) error = NULL;
  ZzAttemptInput a = {
    .case_id = case_id,
    .place = "龙溪口村综治中心",
    .mediators = "村调委会 田志刚",
    .parties_present = "向秀英、张德明",
    .method = "on_site",
    .result = "failed",
  };
  char *id = NULL;

  g_assert_true (zz_store_act_as (n->store, g_object_get_data (G_OBJECT (n->store), "mediator"), &error));
  g_assert_true (zz_store_record_mediation (n->store, &a, &id, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (n->store, "admin", &error));
  return id;
}

/* A case registered on a township laptop reaches the county, where it is found by a Chinese
 * substring; two offline nodes together exceeding the tier rule keep every attempt and raise a
 * review item on both. */
static void
test_cases_travel (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GListModel) review_c = NULL;
  g_autoptr(GListModel) review_t = NULL;
  g_autofree char *case_id = NULL, *dc = NULL, *dt = NULL;
  ZzPartyInput parties[] = {
    { .role = "applicant", .name = "向秀英", .phone = "13907431234" },
    { .role = "respondent", .name = "张德明" },
  };
  ZzCaseInput in = {
    .source = "walk_in",
    .category = "land_forest",
    .summary = "两户因山林界址争执，砍伐杉木引发纠纷",
    .home = VILLAGE,
    .risk = "medium",
    .urgency = "normal",
    .parties = parties,
    .n_parties = G_N_ELEMENTS (parties),
  };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  g_assert_true (zz_store_create_user (t->store, "officer", "向委员", ZZ_ROLE_MEDIATOR, "Officer2024", NULL, &error));
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (t->store), "mediator", (gpointer) "officer");
  g_assert_true (zz_store_create_user (c->store, "mediator", "王德明", ZZ_ROLE_MEDIATOR, "Mediator2024", NULL, &error));
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (c->store), "mediator", (gpointer) "mediator");

  g_assert_true (zz_store_act_as (t->store, "officer", &error));
  g_assert_true (zz_store_register_case (t->store, &in, &case_id, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (t->store, "admin", &error));
  g_free (record_village_attempt (t, case_id));
  g_free (record_village_attempt (t, case_id));
  zz_test_node_send (t, c);

  g_assert_true (zz_store_act_as (c->store, "mediator", &error));
  found = zz_store_search_cases (c->store, "山林界址", 10);
  g_assert_true (zz_store_act_as (c->store, "admin", &error));
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);

  /* offline from each other, each records the third village attempt */
  g_free (record_village_attempt (c, case_id));
  g_free (record_village_attempt (t, case_id));
  zz_test_node_send (t, c);
  zz_test_node_send (c, t);

  dc = zz_test_node_digest (c);
  dt = zz_test_node_digest (t);
  g_assert_cmpstr (dc, ==, dt);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM mediation_attempt"), ==, 4);
  g_assert_cmpint (zz_test_node_int (t, "SELECT count(*) FROM mediation_attempt"), ==, 4);
  g_assert_true (zz_store_create_user (c->store, "director", "彭主任", ZZ_ROLE_SUPERVISOR, "Director2024", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (c->store, "director", &error));
  g_assert_true (zz_store_create_user (t->store, "head", "向镇长", ZZ_ROLE_SUPERVISOR, "Township2024", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (t->store, "head", &error));
  review_c = zz_store_list_review_items (c->store);
  review_t = zz_store_list_review_items (t->store);
  g_assert_cmpuint (g_list_model_get_n_items (review_c), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (review_t), ==, 1);
}

/* A bundle from a key not known yet waits in quarantine and applies when a certificate for it
 * arrives in a later bundle. */
static void
test_quarantine (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) n = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(GBytes) from_n = NULL;
  g_autoptr(GListModel) q = NULL;
  g_autoptr(GError) error = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (n, c);

  /* a node not enrolled yet sends its work to the county */
  zz_test_node_simulate (n, 8, 5, NULL);
  from_n = zz_test_node_export (n, c);
  zz_test_node_import (c, from_n, &res);
  g_assert_true (res.quarantined);
  g_assert_cmpuint (res.applied, ==, 0);
  zz_import_result_clear (&res);
  q = zz_sync_list_quarantine (c->store);
  g_assert_cmpuint (g_list_model_get_n_items (q), ==, 1);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM person WHERE home LIKE '" TOWNSHIP2 "%'"), ==, 0);
  /* the same bundle again is kept once (content-addressed) */
  zz_test_node_import (c, from_n, &res);
  g_assert_true (res.quarantined);
  zz_import_result_clear (&res);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_quarantine"), ==, 1);

  /* the county enrols the node: the bundle kept in quarantine is applied */
  zz_test_node_enrol (c, n);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_quarantine"), ==, 0);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM person WHERE home LIKE '" TOWNSHIP2 "%'"), ==,
                   zz_test_node_int (n, "SELECT count(*) FROM person"));
}

/* A key revoked after its seq N: its later ops are held for review, never applied. */
static void
test_revoked (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) held = NULL;
  ZzImportResult res = { 0 };
  gint64 last, persons;
  g_autofree char *sql = NULL;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 6, 1, NULL);
  zz_test_node_send (t, c);
  sql = g_strdup_printf ("SELECT max(seq) FROM op WHERE origin = '%s'", zz_store_get_node_id (t->store));
  last = zz_test_node_int (t, sql);
  persons = zz_test_node_int (c, "SELECT count(*) FROM person");

  g_assert_true (zz_sync_revoke (c->store, zz_store_get_node_id (t->store), last, &error));
  g_assert_no_error (error);
  zz_test_node_simulate (t, 5, 2, NULL);
  {
    g_autoptr(GBytes) b = zz_test_node_export (t, c);
    zz_test_node_import (c, b, &res);
  }
  g_assert_cmpuint (res.applied, ==, 0);
  g_assert_cmpuint (res.held, ==, 5);
  zz_import_result_clear (&res);
  g_assert_cmpint (zz_test_node_int (c, sql), ==, last);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM person"), ==, persons);
  held = zz_sync_list_refused (c->store);
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 5);
  {
    g_autoptr(ZzRow) r = g_list_model_get_item (held, 0);
    g_assert_cmpstr (zz_row_get (r, "state"), ==, "held");
    g_assert_cmpstr (zz_row_get (r, "reason"), ==, "revoked");
  }
  /* the revocation travels: the township's peers learn it too */
  {
    g_autoptr(ZzTestNode) t2 = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
    g_autoptr(GBytes) all = NULL;

    zz_test_node_trust (t2, c);
    zz_test_node_enrol (c, t2);
    all = zz_test_node_export (c, t2);
    zz_test_node_import (t2, all, &res);
    zz_import_result_clear (&res);
    g_assert_cmpint (zz_test_node_int (t2, "SELECT last_seq FROM sync_revocation"), ==, last);
  }
}

/* The same origin and seq with two different hashes: the origin is frozen and an alarm raised. */
static void
test_fork (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) twin = NULL;
  g_autoptr(GListModel) nodes = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *before = NULL, *after = NULL;
  gboolean found = FALSE;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 4, 1, NULL);
  zz_test_node_send (t, c);

  /* the laptop's disk is copied to a second laptop: both go on writing as the same node */
  twin = zz_test_node_clone (t);
  zz_test_node_simulate (t, 3, 2, NULL);
  zz_test_node_simulate (twin, 3, 3, NULL);
  zz_test_node_send (t, c);
  before = zz_test_node_digest (c);
  {
    g_autoptr(GBytes) b = zz_test_node_export (twin, c);
    zz_test_node_import (c, b, &res);
  }
  g_assert_true (res.fork);
  g_assert_cmpuint (res.applied, ==, 0);
  zz_import_result_clear (&res);
  after = zz_test_node_digest (c);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_frozen"), ==, 1);

  /* frozen: later ops of the origin are held, not applied */
  zz_test_node_simulate (t, 2, 4, NULL);
  {
    g_autoptr(GBytes) b = zz_test_node_export (t, c);
    zz_test_node_import (c, b, &res);
  }
  g_assert_cmpuint (res.applied, ==, 0);
  g_assert_cmpuint (res.held, ==, 2);
  zz_import_result_clear (&res);
  nodes = zz_sync_list_nodes (c->store);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (nodes, i);
      if (g_strcmp0 (zz_row_get (r, "node_id"), zz_store_get_node_id (t->store)) == 0)
        {
          g_assert_cmpstr (zz_row_get (r, "status"), ==, "frozen");
          /* the seq it signed twice, offered as the revocation point's next op */
          g_assert_cmpint (zz_row_get_int (r, "frozen_seq"), >, 1);
          g_assert_cmpint (zz_row_get_int (r, "frozen_seq"), ==, zz_test_node_int (c, "SELECT seq FROM sync_frozen"));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* A gap waits for the missing ops; they apply when the earlier bundle arrives. */
static void
test_gap_and_duplicates (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GBytes) first = NULL, second = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *dt = NULL, *dc = NULL, *again = NULL;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 5, 1, NULL);
  first = zz_test_node_export (t, c);
  /* the county's acknowledgement never came back: pretend it did, so the next bundle starts later */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO sync_peer (node_id, org_unit, name, vv) VALUES ('%s', '%s', 'c',"
                                            " json_object('%s', (SELECT max(seq) FROM op WHERE origin = '%s')))",
                                            zz_store_get_node_id (c->store), COUNTY, zz_store_get_node_id (t->store),
                                            zz_store_get_node_id (t->store));
    zz_test_node_exec (t, sql);
  }
  zz_test_node_simulate (t, 5, 2, NULL);
  second = zz_test_node_export (t, c);

  zz_test_node_import (c, second, &res);
  g_assert_cmpuint (res.applied, ==, 0);
  g_assert_cmpuint (res.held, ==, 5);
  zz_import_result_clear (&res);
  zz_test_node_import (c, first, &res);
  g_assert_cmpuint (res.applied, >=, 10);
  zz_import_result_clear (&res);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_held"), ==, 0);
  zz_test_node_send (c, t);
  dt = zz_test_node_digest (t);
  dc = zz_test_node_digest (c);
  g_assert_cmpstr (dt, ==, dc);
  /* re-importing changes nothing */
  zz_test_node_import (c, first, &res);
  g_assert_cmpuint (res.applied, ==, 0);
  g_assert_cmpuint (res.already, >, 0);
  zz_import_result_clear (&res);
  again = zz_test_node_digest (c);
  g_assert_cmpstr (again, ==, dc);
}

/* Conflicts: two nodes change the same field; both values stay stored, the winner is shown, and
 * a resolve op from the county settles it everywhere. */
static void
test_conflict_resolve (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GListModel) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *sql = NULL, *loser = NULL, *vc = NULL, *vt = NULL;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 3, 1, NULL);
  zz_test_node_send (t, c);
  id = zz_test_node_text (t, "SELECT id FROM person ORDER BY id LIMIT 1");
  g_assert_true (zz_test_set_text (t->store, "person", id, "phone", "13900000001", &error));
  g_assert_true (zz_test_set_text (c->store, "person", id, "phone", "13900000002", &error));
  g_assert_no_error (error);
  zz_test_node_send (t, c);
  zz_test_node_send (c, t);

  conflicts = zz_sync_list_conflicts (c->store);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (conflicts, i);
      g_assert_cmpstr (zz_row_get (r, "field"), ==, "phone");
      g_assert_nonnull (zz_row_get (r, "author"));
      g_assert_nonnull (zz_row_get (r, "origin_name"));
      if (!zz_row_get_int (r, "winner"))
        loser = g_strdup (zz_row_get (r, "op"));
    }
  g_clear_object (&conflicts);
  conflicts = zz_sync_list_conflicts (t->store);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 2);
  sql = g_strdup_printf ("SELECT phone FROM person WHERE id = '%s'", id);
  vc = zz_test_node_text (c, sql);
  vt = zz_test_node_text (t, sql);
  g_assert_cmpstr (vc, ==, vt);

  /* a township may not settle it */
  g_assert_false (zz_sync_resolve (t->store, "person", id, "phone", loser, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  /* the county settles on the value that was not shown */
  g_assert_true (zz_sync_resolve (c->store, "person", id, "phone", loser, &error));
  g_assert_no_error (error);
  zz_test_node_send (c, t);
  g_clear_object (&conflicts);
  conflicts = zz_sync_list_conflicts (t->store);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 0);
  g_free (vc);
  g_free (vt);
  vc = zz_test_node_text (c, sql);
  vt = zz_test_node_text (t, sql);
  g_assert_cmpstr (vc, ==, vt);
  g_assert_cmpstr (vc, !=, NULL);
  /* both values stay stored in the ops */
  g_assert_cmpint (zz_test_node_int (t, "SELECT count(*) FROM op WHERE CAST(body AS TEXT) LIKE '%13900000001%'"), >=, 1);
  g_assert_cmpint (zz_test_node_int (t, "SELECT count(*) FROM op WHERE CAST(body AS TEXT) LIKE '%13900000002%'"), >=, 1);
  g_assert_cmpint (zz_test_node_int (t, "SELECT count(*) FROM op WHERE kind = 'resolve'"), ==, 1);
}

/* A laptop restored from an older backup gets its own newer ops back from the county and goes
 * on after them: no seq is reused, so no fork. */
static void
test_restored_backup (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) backup = NULL;
  ZzImportResult res = { 0 };
  g_autofree char *dc = NULL, *db = NULL;

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 4, 1, NULL);
  backup = zz_test_node_clone (t);          /* the backup */
  zz_test_node_simulate (t, 6, 2, NULL);
  zz_test_node_send (t, c);                 /* then the disk fails; the backup is restored */

  {
    g_autoptr(GBytes) b = NULL;

    /* its first bundle tells the county what it holds now; the answer brings its own ops back */
    zz_test_node_send (backup, c);
    b = zz_test_node_export (c, backup);
    zz_test_node_import (backup, b, &res);
    g_assert_cmpuint (res.applied, >=, 6);
    zz_import_result_clear (&res);
  }
  zz_test_node_simulate (backup, 3, 3, NULL);
  {
    g_autoptr(GBytes) b = zz_test_node_export (backup, c);
    zz_test_node_import (c, b, &res);
    g_assert_false (res.fork);
    g_assert_cmpuint (res.applied, ==, 3);
    zz_import_result_clear (&res);
  }
  zz_test_node_send (c, backup);
  dc = zz_test_node_digest (c);
  db = zz_test_node_digest (backup);
  g_assert_cmpstr (dc, ==, db);
}

/* What the sync page's trust dialogs rest on: a key file read for its fingerprint, the root
 * test, and enrolment refused (nothing changed) for an org unit other than the node's own. */
static void
test_trust_steps (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autofree char *cpub = zz_sync_public_key_file (c->store);
  g_autofree char *tpub = zz_sync_public_key_file (t->store);
  g_autofree char *node = NULL, *unit = NULL, *name = NULL, *fp = NULL, *store_fp = NULL;
  g_autofree char *digest = NULL, *after = NULL;
  gint64 serial = 0;

  g_assert_true (zz_sync_read_public_key_file (tpub, &node, &unit, &name, &fp, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (node, ==, zz_store_get_node_id (t->store));
  g_assert_cmpstr (unit, ==, TOWNSHIP);
  g_assert_cmpstr (name, ==, "达岚镇综治中心");
  store_fp = zz_store_get_fingerprint (t->store);
  g_assert_cmpstr (fp, ==, store_fp);
  g_assert_false (zz_sync_read_public_key_file ("not a key", NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_false (zz_sync_has_root (c->store));
  zz_test_node_trust (c, c);
  g_assert_true (zz_sync_has_root (c->store));
  g_assert_false (zz_sync_has_root (t->store));
  zz_test_node_trust (t, c);
  g_assert_true (zz_sync_has_root (t->store));

  /* another township's unit: refused, nothing changed */
  digest = zz_test_node_text (c, "SELECT group_concat(node_id || org_unit || serial) FROM sync_cert");
  g_assert_false (zz_sync_enrol_as (c->store, tpub, TOWNSHIP2, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, TOWNSHIP));
  g_clear_error (&error);
  after = zz_test_node_text (c, "SELECT group_concat(node_id || org_unit || serial) FROM sync_cert");
  g_assert_cmpstr (digest, ==, after);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_cert"), ==, 0);

  /* its own unit: enrolled */
  g_assert_true (zz_sync_enrol_as (c->store, tpub, TOWNSHIP, &serial, &error));
  g_assert_no_error (error);
  g_assert_cmpint (serial, >, 0);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_cert WHERE org_unit = '" TOWNSHIP "'"), ==, 1);
}

/* demo --sync leaves the demo county with an enrolled township peer whose bundles were imported:
 * one conflicting field (two values kept) and one refused change with its reason. */
static void
test_demo_sync (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-demo-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(GListModel) nodes = NULL, conflicts = NULL, refused = NULL;
  gboolean township = FALSE;
  ZzDemoOptions options;

  zz_demo_options_init (&options);
  options.sync = TRUE;
  g_assert_true (zz_demo_create (path, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  store = zz_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_sync_has_root (store));
  nodes = zz_sync_list_nodes (store);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (nodes, i);
      if (g_strcmp0 (zz_row_get (r, "org_unit"), TOWNSHIP) == 0)
        {
          township = TRUE;
          g_assert_cmpstr (zz_row_get (r, "status"), ==, "enrolled");
          g_assert_nonnull (zz_row_get (r, "last_bundle"));
        }
    }
  g_assert_true (township);
  conflicts = zz_sync_list_conflicts (store);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 2);
  refused = zz_sync_list_refused (store);
  g_assert_cmpuint (g_list_model_get_n_items (refused), ==, 1);
  {
    g_autoptr(ZzRow) r = g_list_model_get_item (refused, 0);
    g_assert_cmpstr (zz_row_get (r, "state"), ==, "refused");
    g_assert_nonnull (strstr (zz_row_get (r, "reason"), "433122"));
  }
  g_clear_object (&store);
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
}

/* ---- issue 11: routes real centres take ---- */

static gint64
persons_in (ZzTestNode *n, const char *unit)
{
  return count_at (n, "SELECT count(*) FROM person WHERE home LIKE '%s%%'", unit);
}

/* Held means held in full: a laptop that received another centre's records only as placeholders
 * (relayed by a township that may not see them) gets them in full from the county. */
static void
test_placeholders_owed (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) a = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) a3 = zz_test_node_new (TOWNSHIP, "达岚镇第三台");
  g_autoptr(ZzTestNode) b = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(ZzTestNode) v = zz_test_node_new (VILLAGE, "龙溪口村");
  gint64 village;

  zz_test_node_trust (c, c);
  for (ZzTestNode **n = (ZzTestNode *[]) { a, a3, b, v, NULL }; *n; n++)
    {
      zz_test_node_trust (*n, c);
      zz_test_node_enrol (c, *n);
    }
  for (ZzTestNode **n = (ZzTestNode *[]) { a, a3, b, v, NULL }; *n; n++)
    zz_test_node_send (c, *n);

  /* the county records households in a village of township A and sends to township B */
  zz_test_node_simulate (c, 12, 11, VILLAGE);
  village = persons_in (c, VILLAGE);
  g_assert_cmpint (village, >, 0);
  zz_test_node_send (c, b);
  g_assert_cmpint (persons_in (b, VILLAGE), ==, 0);
  /* B hands a bundle to a second laptop of A: placeholders only */
  zz_test_node_send (b, a3);
  g_assert_cmpint (persons_in (a3, VILLAGE), ==, 0);
  /* A3 and the county exchange: A3 gets the households in full */
  for (int i = 0; i < 3; i++)
    {
      zz_test_node_send (a3, c);
      zz_test_node_send (c, a3);
    }
  g_assert_cmpint (persons_in (a3, VILLAGE), ==, village);
  zz_test_node_send (c, a);
  g_assert_cmpint (persons_in (a, VILLAGE), ==, village);
  g_assert_cmpint (zz_test_node_int (a3, "SELECT count(*) FROM op WHERE kind = 'hole'"), ==, 0);

  /* the same shape upwards: A's township records reach the village laptop as placeholders, the
   * village laptop goes straight to the county, and the county still gets them from A */
  zz_test_node_simulate (a, 10, 12, TOWNSHIP);
  zz_test_node_send (a, v);
  zz_test_node_send (v, c);
  zz_test_node_send (c, a);
  zz_test_node_send (a, c);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM person WHERE home = '%s'", TOWNSHIP), ==,
                   count_at (a, "SELECT count(*) FROM person WHERE home = '%s'", TOWNSHIP));
  /* after a full exchange nothing is owed any more */
  zz_test_node_send (b, c);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM op WHERE kind = 'hole'"), ==, 0);
}

/* A bundle is for its signed recipient: another centre refuses it, names the recipient and
 * changes nothing. --all is for the sender's own unit and the units above it. */
static void
test_misdirected (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) a = zz_test_node_new (TOWNSHIP, "达岚镇第四台");
  g_autoptr(ZzTestNode) b = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(GBytes) for_b = NULL, all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (a, c);
  zz_test_node_trust (b, c);
  zz_test_node_enrol (c, a);
  zz_test_node_enrol (c, b);
  zz_test_node_send (c, a);
  zz_test_node_send (c, b);
  zz_test_node_simulate (b, 10, 4, NULL);
  zz_test_node_send (b, c);

  for_b = zz_test_node_export (c, b);
  before = zz_test_node_digest (a);
  g_assert_true (zz_sync_import_bytes (a->store, for_b, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_true (res.misdirected);
  g_assert_cmpstr (res.recipient, ==, zz_store_get_node_id (b->store));
  g_assert_nonnull (strstr (res.reason, "兴隆场镇综治中心"));
  g_assert_cmpuint (res.applied, ==, 0);
  zz_import_result_clear (&res);
  after = zz_test_node_digest (a);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (persons_in (a, TOWNSHIP2), ==, 0);
  g_assert_cmpint (zz_test_node_int (a, "SELECT count(*) FROM sync_peer"), ==, 1);   /* the county only */

  /* the county's --all is not for a township */
  all = zz_test_node_export (c, NULL);
  g_assert_true (zz_sync_import_bytes (a->store, all, &res, &error));
  g_assert_true (res.refused);
  g_assert_true (res.misdirected);
  g_assert_null (res.recipient);
  zz_import_result_clear (&res);
  g_clear_pointer (&all, g_bytes_unref);
  /* a township's --all goes up to its county */
  all = zz_test_node_export (b, NULL);
  zz_test_node_import (c, all, &res);
  g_assert_false (res.misdirected);
  zz_import_result_clear (&res);
  /* and the misdirected laptop still gets its own unit's records afterwards */
  zz_test_node_simulate (c, 6, 5, TOWNSHIP);
  zz_test_node_send (c, a);
  g_assert_cmpint (persons_in (a, TOWNSHIP), ==, persons_in (c, TOWNSHIP));
}

/* Every receiver decides a create that reuses another node's row id alike, whatever arrives
 * first: the id is bound to the node that made it, so the reuse is refused from the op alone. */
static void
test_bound_ids (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) c2 = zz_test_node_new (COUNTY, "泸溪县第二台");
  g_autoptr(ZzTestNode) a = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) b = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) from_a = NULL, from_b = NULL, from_a2 = NULL, from_b2 = NULL;
  g_autofree char *victim = NULL, *dc = NULL, *dc2 = NULL, *name_c = NULL, *name_c2 = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (c2, c);
  zz_test_node_trust (a, c);
  zz_test_node_trust (b, c);
  zz_test_node_enrol (c, c2);
  zz_test_node_enrol (c, a);
  zz_test_node_enrol (c, b);
  for (ZzTestNode **n = (ZzTestNode *[]) { c2, a, b, NULL }; *n; n++)
    zz_test_node_send (c, *n);

  zz_test_node_simulate (b, 6, 9, NULL);
  victim = zz_test_node_text (b, "SELECT id FROM person ORDER BY id DESC LIMIT 1");
  g_assert_cmpint (zz_store_id_binding (victim, zz_store_get_node_id (b->store)), ==, ZZ_ID_BOUND_TO_ORIGIN);
  g_assert_cmpint (zz_store_id_binding (victim, zz_store_get_node_id (a->store)), ==, ZZ_ID_BOUND_ELSEWHERE);
  /* A, with its own key, creates a person under B's id, homed in its own village */
  {
    ZzField f[] = { ZZ_F_TEXT ("name", "冒用编号"), ZZ_F_TEXT ("phone", "13900000000") };
    g_assert_true (zz_store_begin (a->store, &error));
    g_assert_true (zz_store_insert_row (a->store, "person", victim, VILLAGE, f, G_N_ELEMENTS (f), &error));
    g_assert_true (zz_store_commit (a->store, &error));
    g_assert_no_error (error);
  }
  from_a = zz_test_node_export (a, c);
  from_b = zz_test_node_export (b, c);
  from_a2 = zz_test_node_export (a, c2);
  from_b2 = zz_test_node_export (b, c2);
  /* the county gets B's first, its second laptop A's first */
  zz_test_node_import (c, from_b, &res);
  zz_import_result_clear (&res);
  zz_test_node_import (c, from_a, &res);
  g_assert_cmpuint (res.refused_ops, ==, 1);
  g_assert_nonnull (strstr (res.refusals->pdata[0], "another node"));
  zz_import_result_clear (&res);
  zz_test_node_import (c2, from_a2, &res);
  g_assert_cmpuint (res.refused_ops, ==, 1);
  zz_import_result_clear (&res);
  zz_test_node_import (c2, from_b2, &res);
  g_assert_cmpuint (res.refused_ops, ==, 0);
  zz_import_result_clear (&res);

  {
    g_autofree char *sql = g_strdup_printf ("SELECT name || '/' || home FROM person WHERE id = '%s'", victim);
    name_c = zz_test_node_text (c, sql);
    name_c2 = zz_test_node_text (c2, sql);
  }
  g_assert_cmpstr (name_c, ==, name_c2);
  g_assert_true (g_str_has_suffix (name_c, TOWNSHIP2));
  /* once they have exchanged, both hold the same */
  zz_test_node_send (c, c2);
  zz_test_node_send (c2, c);
  zz_test_node_send (c, c2);
  dc = zz_test_node_digest (c);
  dc2 = zz_test_node_digest (c2);
  g_assert_cmpstr (dc, ==, dc2);
}

/* A received clock moves the local clock only up to an hour ahead of the wall clock; a clock
 * at the largest value neither overflows nor stops the receiver's sync. */
static void
test_clock_bound (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) a = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  const gint64 y2100 = G_GINT64_CONSTANT (4102444800000);
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (a, c);
  zz_test_node_enrol (c, a);
  zz_test_node_send (c, a);

  /* a laptop whose date says 2100 */
  a->store->hlc = ZZ_HLC_MAKE (y2100, 0);
  zz_test_node_simulate (a, 3, 1, NULL);
  zz_test_node_send (a, c);
  g_assert_cmpint (ZZ_HLC_MS (c->store->hlc), <=, zz_store_now (c->store) + ZZ_HLC_MAX_DRIFT_MS);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM op WHERE hlc >= %lld", (long long) ZZ_HLC_MAKE (y2100, 0)), ==, 3);

  /* an op at the largest clock */
  a->store->hlc = ZZ_HLC_MAX - 1;
  zz_test_node_simulate (a, 2, 2, NULL);
  g_assert_cmpuint (a->store->hlc, ==, ZZ_HLC_MAX);   /* saturated, not wrapped */
  zz_test_node_send (a, c);
  g_assert_cmpint (ZZ_HLC_MS (c->store->hlc), <=, zz_store_now (c->store) + ZZ_HLC_MAX_DRIFT_MS);
  /* even after a restart the county's clock stays near its wall clock, and what it writes
   * next is accepted by others */
  zz_test_node_reopen (c);
  g_assert_cmpint (ZZ_HLC_MS (c->store->hlc), <=, zz_store_now (c->store) + ZZ_HLC_MAX_DRIFT_MS);
  zz_test_node_simulate (c, 4, 3, TOWNSHIP);
  {
    g_autoptr(GBytes) back = zz_test_node_export (c, a);
    zz_test_node_import (a, back, &res);
    g_assert_false (res.refused);
    g_assert_cmpuint (res.applied, >=, 4);
    zz_import_result_clear (&res);
  }
  g_assert_cmpuint (zz_hlc_tick (ZZ_HLC_MAX, G_MAXINT64), ==, ZZ_HLC_MAX);
  g_assert_cmpuint (zz_hlc_receive (0, ZZ_HLC_MAX, 0), ==, ZZ_HLC_MAX);
}

static char *
forged_cert (ZzStore *issuer, const char *node, const guint8 *pk, const char *unit, gint64 serial, char **out_sig)
{
  char key[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
  char *text;
  g_autofree char *msg = NULL;
  guint8 sig[crypto_sign_BYTES];
  char b64[sodium_base64_ENCODED_LEN (crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];

  sodium_bin2base64 (key, sizeof key, pk, crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
  text = g_strdup_printf ("{\"cert\":1,\"node\":\"%s\",\"key\":\"%s\",\"unit\":\"%s\",\"name\":\"x\",\"serial\":%lld,"
                          "\"issuer\":\"%s\"}", node, key, unit, (long long) serial, zz_store_get_node_id (issuer));
  msg = g_strconcat ("zongzhi-cert\n", text, NULL);
  crypto_sign_detached (sig, NULL, (const guint8 *) msg, strlen (msg), issuer->secret_key);
  sodium_bin2base64 (b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
  *out_sig = g_strdup (b64);
  return text;
}

/* A county cannot take over another node's identity: a certificate from another issuer that is
 * not above the first never replaces it, and serials count per issuer. */
static void
test_cert_scope (void)
{
  g_autoptr(ZzTestNode) p = zz_test_node_new (PREFECTURE, "湘西州综治中心");
  g_autoptr(ZzTestNode) c1 = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) c2 = zz_test_node_new (COUNTY, "泸溪县另一台");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *sig = NULL, *issuer = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  ZzImportResult res = { 0 };
  gint64 serial = 0;

  for (ZzTestNode **n = (ZzTestNode *[]) { p, c1, c2, NULL }; *n; n++)
    zz_test_node_trust (*n, p);
  zz_test_node_enrol (p, c2);
  zz_test_node_send (p, c2);     /* C2 holds its certificate, and does not know C1 yet */
  zz_test_node_enrol (p, c1);
  zz_test_node_send (p, c1);

  /* C2 signs a certificate for C1's node id with a key of its own and the largest serial, and
   * keeps it where its bundles carry it */
  crypto_sign_keypair (pk, sk);
  text = forged_cert (c2->store, zz_store_get_node_id (c1->store), pk, COUNTY, G_MAXINT64, &sig);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO sync_cert (node_id, public_key, org_unit, name, serial, issuer, text,"
                                            " received_at) VALUES ('%s', X'00', '%s', 'x', %lld, '%s', '%s\n%s', 0)",
                                            zz_store_get_node_id (c1->store), COUNTY, (long long) G_MAXINT64,
                                            zz_store_get_node_id (c2->store), text, sig);
    zz_test_node_exec (c2, sql);
  }
  zz_test_node_send (c2, p);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT issuer FROM sync_cert WHERE node_id = '%s'", zz_store_get_node_id (c1->store));
    issuer = zz_test_node_text (p, sql);
  }
  g_assert_cmpstr (issuer, ==, zz_store_get_node_id (p->store));
  /* C1's genuine bundles still apply at the prefecture */
  zz_test_node_simulate (c1, 5, 1, NULL);
  {
    g_autoptr(GBytes) b = zz_test_node_export (c1, p);
    zz_test_node_import (p, b, &res);
    g_assert_false (res.quarantined);
    g_assert_cmpuint (res.refused_ops, ==, 0);
    g_assert_cmpuint (res.applied, >=, 5);
    zz_import_result_clear (&res);
  }
  /* and the prefecture goes on enrolling, with its own serials */
  {
    g_autofree char *pub = zz_sync_public_key_file (t->store);
    g_assert_true (zz_sync_enrol (p->store, pub, &serial, &error));
    g_assert_no_error (error);
    g_assert_cmpint (serial, ==, 3);
  }
}

/* Append-only records are never removed by sync, not even by the node that wrote them. */
static void
test_append_only_tombstone (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);

  id = zz_store_new_id (t->store);
  {
    ZzField f[] = { ZZ_F_TEXT ("case_id", "no-case"), ZZ_F_TEXT ("note", "逾期督办"), ZZ_F_INT ("overdue_days", 3),
                    ZZ_F_INT ("at", 1), ZZ_F_TEXT ("author_id", "x") };
    g_assert_true (zz_store_exec (t->store, "PRAGMA foreign_keys = OFF", &error));
    g_assert_true (zz_store_begin (t->store, &error));
    g_assert_true (zz_store_insert_row (t->store, "supervision_note", id, TOWNSHIP, f, G_N_ELEMENTS (f), &error));
    g_assert_true (zz_store_tombstone_row (t->store, "supervision_note", id, &error));
    g_assert_true (zz_store_commit (t->store, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GBytes) b = zz_test_node_export (t, c);
    zz_test_node_import (c, b, &res);
    g_assert_cmpuint (res.refused_ops, ==, 1);
    g_assert_nonnull (strstr (res.refusals->pdata[0], "append-only"));
    zz_import_result_clear (&res);
  }
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM supervision_note WHERE id = '%s' AND deleted = 0", id), ==, 1);
}

/* The README's set-up with a prefecture: a township trusting only its county receives the
 * prefecture's changes relayed through the county. */
static void
test_prefecture_relay (void)
{
  g_autoptr(ZzTestNode) p = zz_test_node_new (PREFECTURE, "湘西州综治中心");
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) a = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GListModel) nodes = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (p, p);
  zz_test_node_trust (c, p);
  zz_test_node_enrol (p, c);
  zz_test_node_send (p, c);
  zz_test_node_trust (c, c);
  zz_test_node_trust (a, c);          /* A trusts only its county */
  zz_test_node_enrol (c, a);
  zz_test_node_send (c, a);

  zz_test_node_simulate (p, 8, 3, VILLAGE);
  zz_test_node_send (p, c);
  {
    g_autoptr(GBytes) b = zz_test_node_export (c, a);
    zz_test_node_import (a, b, &res);
    g_assert_false (res.quarantined);
    zz_import_result_clear (&res);
  }
  g_assert_cmpint (zz_test_node_int (a, "SELECT count(*) FROM sync_quarantine"), ==, 0);
  g_assert_cmpint (persons_in (a, VILLAGE), ==, persons_in (p, VILLAGE));
  g_assert_cmpint (persons_in (a, VILLAGE), >, 0);
  nodes = zz_sync_list_nodes (a->store);
  {
    gboolean seen = FALSE;
    for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (nodes, i);
        if (g_strcmp0 (zz_row_get (r, "node_id"), zz_store_get_node_id (p->store)) == 0)
          seen = g_strcmp0 (zz_row_get (r, "status"), "root") == 0;
      }
    g_assert_true (seen);
  }
}

/* After a gap is filled by a bundle that carries the held ops again, "refused" no longer lists
 * them as held back. */
static void
test_stale_held (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GBytes) second = NULL, all = NULL;
  g_autoptr(GListModel) listed = NULL;
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 5, 1, NULL);
  /* the county's acknowledgement is taken as given: the next bundle starts after these */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO sync_peer (node_id, org_unit, name, vv) VALUES ('%s', '%s', 'c',"
                                            " json_object('%s', (SELECT max(seq) FROM op WHERE origin = '%s')))",
                                            zz_store_get_node_id (c->store), COUNTY, zz_store_get_node_id (t->store),
                                            zz_store_get_node_id (t->store));
    zz_test_node_exec (t, sql);
  }
  zz_test_node_simulate (t, 5, 2, NULL);
  second = zz_test_node_export (t, c);
  zz_test_node_import (c, second, &res);
  g_assert_cmpuint (res.held, ==, 5);
  zz_import_result_clear (&res);
  /* then everything comes, in one bundle */
  all = zz_test_node_export (t, NULL);
  zz_test_node_import (c, all, &res);
  zz_import_result_clear (&res);
  g_assert_cmpint (count_at (c, "SELECT count(*) FROM op WHERE origin = '%s' AND kind NOT IN ('stub', 'hole', 'local')",
                             zz_store_get_node_id (t->store)), >=, 10);
  listed = zz_sync_list_refused (c->store);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 0);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_held"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/relay", test_relay);
  g_test_add_func ("/sync/trust-steps", test_trust_steps);
  g_test_add_func ("/sync/demo", test_demo_sync);
  g_test_add_func ("/sync/authorisation", test_authorisation);
  g_test_add_func ("/sync/reference-flows-down", test_reference_flows_down);
  g_test_add_func ("/sync/accounts-from-above", test_accounts_from_above);
  g_test_add_func ("/sync/cases-travel", test_cases_travel);
  g_test_add_func ("/sync/quarantine", test_quarantine);
  g_test_add_func ("/sync/revoked", test_revoked);
  g_test_add_func ("/sync/fork", test_fork);
  g_test_add_func ("/sync/gap-and-duplicates", test_gap_and_duplicates);
  g_test_add_func ("/sync/conflict-resolve", test_conflict_resolve);
  g_test_add_func ("/sync/restored-backup", test_restored_backup);
  g_test_add_func ("/sync/placeholders-owed", test_placeholders_owed);
  g_test_add_func ("/sync/misdirected", test_misdirected);
  g_test_add_func ("/sync/bound-ids", test_bound_ids);
  g_test_add_func ("/sync/clock-bound", test_clock_bound);
  g_test_add_func ("/sync/cert-scope", test_cert_scope);
  g_test_add_func ("/sync/append-only-tombstone", test_append_only_tombstone);
  g_test_add_func ("/sync/prefecture-relay", test_prefecture_relay);
  g_test_add_func ("/sync/stale-held", test_stale_held);
  return g_test_run ();
}
