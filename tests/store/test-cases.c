/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-agreement.h"
#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-households.h"
#include "zz-test-store.h"

#define DAY G_GINT64_CONSTANT (86400000)
#define VILLAGE "433122102201"     /* 六里村, 达岚镇 */
#define TOWNSHIP "433122102"

static gint64
ops (ZzTestStore *ts, const char *tbl, const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM op WHERE tbl = '%s' AND kind = '%s'", tbl, kind);
  return zz_test_store_int (ts, sql);
}

static ZzCaseInput
case_input (ZzPartyInput *parties, guint n)
{
  ZzCaseInput in = {
    .source = "walk_in",
    .category = "land_forest",
    .summary = "两户因山林界址争执，砍伐杉木引发纠纷",
    .details = "申请人称被申请人越界砍伐杉木十余棵。",
    .home = VILLAGE,
    .risk = "medium",
    .urgency = "normal",
    .parties = parties,
    .n_parties = n,
  };
  return in;
}

static char *
register_ok (ZzTestStore *ts, const ZzCaseInput *in)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  if (!zz_store_register_case (ts->store, in, &id, &error))
    g_error ("register failed: %s", error->message);
  return id;
}

static char *
standard_case (ZzTestStore *ts)
{
  ZzPartyInput p[] = {
    { .role = "applicant", .name = "向秀英", .phone = "13807430001", .id_number = "433122199001010014" },
    { .role = "respondent", .name = "张德明", .phone = "13907431234" },
  };
  ZzCaseInput in = case_input (p, 2);
  return register_ok (ts, &in);
}

static void
test_register (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *id = NULL, *visit = NULL, *ticket = NULL, *id2 = NULL;
  g_autoptr(ZzRow) c = NULL;
  ZzPartyInput p[] = {
    { .role = "applicant", .name = "向秀英", .phone = "13807430001", .id_number = "433122199001010014" },
    { .role = "respondent", .org_name = "达岚镇林场" },
  };
  ZzCaseInput good = case_input (p, 2), in;
  ZzPartyInput bad[2];

  /* The visitor came to the desk first: the case finds the same person. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  {
    ZzVisitInput v = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
    g_assert_true (zz_store_register_visit (ts->store, &v, &visit, &ticket, &error));
  }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 1);

  before = zz_test_store_snapshot (ts);
#define REFUSED(code) G_STMT_START { \
    char *refused_id = NULL; \
    g_assert_false (zz_store_register_case (ts->store, &in, &refused_id, &error)); \
    zz_test_assert_refused (ts, before, error, code); \
    g_assert_null (refused_id); \
    g_clear_error (&error); \
  } G_STMT_END
  in = good; in.category = "weather"; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.source = NULL; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.summary = "   "; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.home = "433122999999"; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.home = "433101"; REFUSED (ZZ_ERROR_INVALID);       /* outside the centre's county */
  in = good; in.home = NULL; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.risk = "extreme"; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.n_parties = 0; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.parties = p + 1; in.n_parties = 1; REFUSED (ZZ_ERROR_INVALID);   /* no applicant */
  memcpy (bad, p, sizeof p);
  bad[0].phone = "12345"; in = good; in.parties = bad; REFUSED (ZZ_ERROR_INVALID);
  memcpy (bad, p, sizeof p);
  bad[0].id_number = "433122199001010015"; in = good; in.parties = bad; REFUSED (ZZ_ERROR_INVALID);
  memcpy (bad, p, sizeof p);
  bad[0].role = "witness"; in = good; in.parties = bad; REFUSED (ZZ_ERROR_INVALID);
  in = good; in.visit_id = "nope"; REFUSED (ZZ_ERROR_NOT_FOUND);
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  in = good; REFUSED (ZZ_ERROR_PERMISSION);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);

  in = good;
  in.visit_id = visit;
  in.external_ref = "12345-20260302-0077";
  id = register_ok (ts, &in);
  /* Ops: the case created, two parties appended, no new person (found); the visit is linked
   * from the case and left as the desk has it. */
  g_assert_cmpint (ops (ts, "case_file", "create"), ==, 1);
  g_assert_cmpint (ops (ts, "case_party", "append"), ==, 2);
  g_assert_cmpint (ops (ts, "person", "create"), ==, 1);
  g_assert_cmpint (ops (ts, "visit", "set"), ==, 0);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 1);
  g_assert_true (zz_store_verify_chain (ts->store, zz_store_get_node_id (ts->store), &error));

  c = zz_store_get_case (ts->store, id);
  g_assert_nonnull (c);
  g_assert_true (g_str_has_prefix (zz_row_get (c, "number"), "433122-"));
  g_assert_true (zz_case_number_parse (zz_row_get (c, "number"), NULL, NULL, NULL, NULL));
  g_assert_cmpstr (zz_row_get (c, "home"), ==, VILLAGE);
  g_assert_cmpstr (zz_row_get (c, "home_name"), ==, "六里村");
  g_assert_cmpstr (zz_row_get (c, "level"), ==, "village");
  g_assert_cmpstr (zz_row_get (c, "status"), ==, "registered");
  g_assert_cmpstr (zz_row_get (c, "first_responder_id"), ==, ts->user_id[ZZ_ROLE_CLERK]);
  g_assert_cmpstr (zz_row_get (c, "visit_id"), ==, visit);
  g_assert_cmpstr (zz_row_get (c, "parties"), ==, "向秀英、达岚镇林场");
  /* Land and forest, normal: 30 days to the end of the day. */
  g_assert_cmpint (zz_row_get_int (c, "deadline_at"), >, ZZ_TEST_T0 + 30 * DAY - DAY);
  g_assert_cmpint (zz_row_get_int (c, "deadline_at"), <=, ZZ_TEST_T0 + 31 * DAY);
  {
    g_autofree char *home = zz_test_store_text (ts, "SELECT home FROM op WHERE tbl = 'case_party' LIMIT 1");
    g_assert_cmpstr (home, ==, VILLAGE);
  }

  /* The visit can't become a second case; the person's open cases show it. */
  before = (g_free (before), zz_test_store_snapshot (ts));
  in.visit_id = visit;
  REFUSED (ZZ_ERROR_STATE);
  {
    g_autofree char *person = zz_test_store_text (ts, "SELECT id FROM person");
    g_autoptr(GListModel) open = zz_store_person_open_cases (ts->store, person);
    g_assert_cmpuint (g_list_model_get_n_items (open), ==, 1);
  }
  /* The desk's "open matters" of the person are the open case. */
  {
    g_autoptr(GListModel) found = zz_store_find_persons (ts->store, "向秀英", 5);
    g_autoptr(ZzRow) r = g_list_model_get_item (found, 0);
    g_assert_cmpint (zz_row_get_int (r, "open_matters"), ==, 1);
  }

  /* Possible duplicates: same party, same category, open. */
  in.visit_id = NULL;
  {
    g_autoptr(GListModel) dups = zz_store_case_duplicates (ts->store, &in);
    g_assert_cmpuint (g_list_model_get_n_items (dups), ==, 1);
    in.category = "labour";
    g_clear_object (&dups);
    dups = zz_store_case_duplicates (ts->store, &in);
    g_assert_cmpuint (g_list_model_get_n_items (dups), ==, 0);
  }
  /* Sequence numbers go up by one on this node. */
  id2 = register_ok (ts, &in);
  {
    g_autoptr(ZzRow) c2 = zz_store_get_case (ts->store, id2);
    gint64 s1 = 0, s2 = 0;
    g_assert_true (zz_case_number_parse (zz_row_get (c, "number"), NULL, NULL, &s1, NULL));
    g_assert_true (zz_case_number_parse (zz_row_get (c2, "number"), NULL, NULL, &s2, NULL));
    g_assert_cmpint (s2, ==, s1 + 1);
    g_assert_cmpint (strcmp (zz_row_get (c, "number"), zz_row_get (c2, "number")), <, 0);
  }
#undef REFUSED
}

/* A party's ethnicity and address (for the mediation agreement): checked, kept on the person,
 * carried by the person's op to the other centres, and added to a person found on file. */
static void
test_party_particulars (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *before = NULL, *long_address = NULL;
  ZzPartyInput p[] = {
    { .role = "applicant", .name = "向秀英", .phone = "13807430001", .id_number = "433122199001010014",
      .ethnicity = "苗", .address = "  湖南省麻阳苗族自治县兰里镇六里村三组12号 " },
    { .role = "respondent", .name = "张德明", .phone = "13907431234" },
  };
  ZzPartyInput bad[2];
  ZzCaseInput in = case_input (p, 2);
  GString *a = g_string_new (NULL);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  before = zz_test_store_snapshot (ts);
  /* Not one of the 56: refused with a reason, nothing written. */
  memcpy (bad, p, sizeof p);
  bad[0].ethnicity = "火星族";
  in.parties = bad;
  g_assert_false (zz_store_register_case (ts->store, &in, &id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "火星族"));
  g_clear_error (&error);
  /* An address longer than ZZ_MAX_ADDRESS characters. */
  for (int i = 0; i <= ZZ_MAX_ADDRESS; i++)
    g_string_append (a, "村");
  long_address = g_string_free (a, FALSE);
  memcpy (bad, p, sizeof p);
  bad[0].address = long_address;
  g_assert_false (zz_store_register_case (ts->store, &in, &id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  /* An organisation has neither. */
  memcpy (bad, p, sizeof p);
  bad[1].name = NULL;
  bad[1].org_name = "达岚镇林场";
  bad[1].ethnicity = "汉族";
  g_assert_false (zz_store_register_case (ts->store, &in, &id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  in.parties = p;
  id = register_ok (ts, &in);
  {
    g_autoptr(GListModel) parties = zz_store_case_parties (ts->store, id);
    g_autoptr(ZzRow) ap = g_list_model_get_item (parties, 0);
    g_autoptr(ZzRow) rp = g_list_model_get_item (parties, 1);
    g_autofree char *body = NULL;

    /* "苗" is written 苗族, as the identity card has it; the address is trimmed. */
    g_assert_cmpstr (zz_row_get (ap, "ethnicity"), ==, "苗族");
    g_assert_cmpstr (zz_row_get (ap, "address"), ==, "湖南省麻阳苗族自治县兰里镇六里村三组12号");
    /* Both optional: unknown stays unknown. */
    g_assert_null (zz_row_get (rp, "ethnicity"));
    g_assert_null (zz_row_get (rp, "address"));
    /* The person's op carries them to the other centres. */
    body = zz_test_store_text (ts, "SELECT CAST(body AS TEXT) FROM op WHERE tbl = 'person' AND kind = 'create'"
                                   " AND CAST(body AS TEXT) LIKE '%向秀英%'");
    g_assert_nonnull (body);
    g_assert_nonnull (strstr (body, "\"ethnicity\""));
    g_assert_nonnull (strstr (body, "苗族"));
    g_assert_nonnull (strstr (body, "\"address\""));
    g_assert_nonnull (strstr (body, "兰里镇六里村三组12号"));
  }
  /* The same person in a later case, now with the respondent's particulars known: the person
   * found on file gains them, by an op of its own. */
  {
    g_autofree char *id2 = NULL;
    g_autofree char *body = NULL;
    ZzPartyInput q[] = {
      { .role = "applicant", .name = "张德明", .phone = "13907431234", .ethnicity = "汉族", .address = "六里村五组" },
    };
    ZzCaseInput in2 = case_input (q, 1);
    in2.category = "labour";
    id2 = register_ok (ts, &in2);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE name = '张德明'"), ==, 1);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE name = '张德明' AND ethnicity = '汉族'"
                                            " AND address = '六里村五组'"), ==, 1);
    body = zz_test_store_text (ts, "SELECT CAST(body AS TEXT) FROM op WHERE tbl = 'person' AND kind = 'set'"
                                   " AND CAST(body AS TEXT) LIKE '%汉族%'");
    g_assert_nonnull (body);
    g_free (body);
    body = zz_test_store_text (ts, "SELECT CAST(body AS TEXT) FROM op WHERE tbl = 'person' AND kind = 'set'"
                                   " AND CAST(body AS TEXT) LIKE '%\"address\"%六里村五组%'");
    g_assert_nonnull (body);
  }
  g_assert_true (zz_store_verify_chain (ts->store, zz_store_get_node_id (ts->store), &error));
  g_assert_no_error (error);
}

static void
test_two_nodes (void)
{
  g_autoptr(ZzTestStore) a = zz_test_store_new ();
  g_autoptr(ZzTestStore) b = zz_test_store_new ();
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Two laptops of the same county, offline, at the same moment. */
  g_assert_cmpstr (zz_store_get_node_id (a->store), !=, zz_store_get_node_id (b->store));
  zz_test_store_as (a, ZZ_ROLE_MEDIATOR);
  zz_test_store_as (b, ZZ_ROLE_MEDIATOR);
  for (int i = 0; i < 20; i++)
    {
      ZzTestStore *ts = i % 2 ? b : a;
      g_autofree char *id = standard_case (ts);
      g_autoptr(ZzRow) c = zz_store_get_case (ts->store, id);
      g_assert_true (g_hash_table_add (numbers, g_strdup (zz_row_get (c, "number"))));
    }
  g_assert_cmpuint (g_hash_table_size (numbers), ==, 20);
}

static void
test_dispatch_supervision (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *d1 = NULL, *d2 = NULL, *before = NULL, *w = NULL;
  g_autoptr(ZzRow) c = NULL;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  id = standard_case (ts);
  before = zz_test_store_snapshot (ts);
  /* Clerks register; they do not dispatch. */
  g_assert_false (zz_store_dispatch_case (ts->store, id, ts->dept_id[0], NULL, 0, NULL, &d1, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_false (zz_store_dispatch_case (ts->store, id, NULL, "moon", 0, NULL, &d1, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_dispatch_case (ts->store, id, "gone", NULL, 0, NULL, &d1, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_dispatch_case (ts->store, id, ts->dept_id[0], NULL, ZZ_TEST_T0 - 1, NULL, &d1, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (zz_store_dispatch_case (ts->store, id, ts->dept_id[0], NULL, ZZ_TEST_T0 + 2 * DAY, "请核实界址", &d1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ops (ts, "case_dispatch", "create"), ==, 1);
  c = zz_store_get_case (ts->store, id);
  g_assert_cmpstr (zz_row_get (c, "status"), ==, "dispatched");
  g_assert_cmpint (zz_row_get_int (c, "deadline_at"), ==, ZZ_TEST_T0 + 2 * DAY);
  g_assert_nonnull (zz_row_get (c, "holder"));

  /* While pending it cannot be dispatched again. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_dispatch_case (ts->store, id, ts->dept_id[1], NULL, 0, NULL, &d2, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_return_dispatch (ts->store, d1, "  ", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (zz_store_return_dispatch (ts->store, d1, "不属本部门职责", &error));
  g_assert_cmpint (ops (ts, "case_dispatch", "set"), ==, 4);
  g_assert_false (zz_store_accept_dispatch (ts->store, d1, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);
  /* Default deadline: the category's. */
  g_assert_true (zz_store_dispatch_case (ts->store, id, ts->dept_id[1], NULL, 0, NULL, &d2, &error));
  g_assert_true (zz_store_accept_dispatch (ts->store, d2, &error));
  g_clear_object (&c);
  c = zz_store_get_case (ts->store, id);
  g_assert_cmpstr (zz_row_get (c, "status"), ==, "in_progress");
  g_assert_cmpint (zz_row_get_int (c, "deadline_at"), >, ZZ_TEST_T0 + 29 * DAY);

  /* Overdue: supervisors see it, marked by how many days. */
  {
    g_autoptr(GListModel) sup = zz_store_list_supervision (ts->store, 0);
    g_assert_cmpuint (g_list_model_get_n_items (sup), ==, 0);
  }
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 35 * DAY);
  {
    g_autoptr(GListModel) sup = zz_store_list_supervision (ts->store, 0);
    g_autoptr(ZzRow) r = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (sup), ==, 1);
    r = g_list_model_get_item (sup, 0);
    g_assert_cmpint (zz_row_get_int (r, "overdue_days"), >=, 4);
    g_assert_cmpint (zz_row_get_int (r, "overdue_days"), <=, 6);
  }
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_add_supervision_note (ts->store, id, "请加快", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_false (zz_store_add_supervision_note (ts->store, id, "", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_store_add_supervision_note (ts->store, id, "请三日内办结", &error));
  g_assert_cmpint (ops (ts, "supervision_note", "append"), ==, 1);

  /* The whistle: two departments summoned, each acknowledges and arrives. */
  {
    const char *deps[] = { ts->dept_id[0], ts->dept_id[2], NULL };
    const char *none[] = { NULL };
    g_free (before);
    before = zz_test_store_snapshot (ts);
    g_assert_false (zz_store_blow_whistle (ts->store, id, none, NULL, &w, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (zz_store_blow_whistle (ts->store, id, deps, "明早九点到现场", &w, &error));
    g_assert_cmpint (ops (ts, "whistle", "append"), ==, 1);
    g_assert_true (zz_store_whistle_report (ts->store, w, ts->dept_id[0], "acknowledged", &error));
    zz_store_set_now (ts->store, ZZ_TEST_T0 + 35 * DAY + 3600000);
    g_assert_true (zz_store_whistle_report (ts->store, w, ts->dept_id[0], "arrived", &error));
    g_free (before);
    before = zz_test_store_snapshot (ts);
    g_assert_false (zz_store_whistle_report (ts->store, w, ts->dept_id[0], "arrived", &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
    g_clear_error (&error);
    g_assert_false (zz_store_whistle_report (ts->store, w, ts->dept_id[1], "arrived", &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (ops (ts, "whistle_report", "append"), ==, 2);
    {
      g_autoptr(GListModel) ws = zz_store_case_whistles (ts->store, id);
      guint arrived = 0;
      g_assert_cmpuint (g_list_model_get_n_items (ws), ==, 2);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (ws, i);
          if (zz_row_get (r, "arrived_at"))
            {
              arrived++;
              g_assert_cmpint (zz_row_get_int (r, "arrived_at"), ==, ZZ_TEST_T0 + 35 * DAY + 3600000);
            }
        }
      g_assert_cmpuint (arrived, ==, 1);
    }
  }
  /* Every step is on the timeline, with who did it. */
  {
    g_autoptr(GListModel) tl = zz_store_case_timeline (ts->store, id);
    g_autoptr(GString) all = g_string_new (NULL);
    for (guint i = 0; i < g_list_model_get_n_items (tl); i++)
      {
        g_autoptr(ZzRow) e = g_list_model_get_item (tl, i);
        g_autofree char *t = zz_case_timeline_text (e);
        g_string_append_printf (all, "%s|%s\n", zz_row_get (e, "kind"), t);
      }
    g_assert_nonnull (strstr (all->str, "registered|"));
    g_assert_nonnull (strstr (all->str, "returned|"));
    g_assert_nonnull (strstr (all->str, "不属本部门职责"));
    g_assert_nonnull (strstr (all->str, "accepted|"));
    g_assert_nonnull (strstr (all->str, "请三日内办结"));
    g_assert_nonnull (strstr (all->str, "whistle_arrived|"));
  }
}

static ZzAttemptInput
attempt (const char *case_id, const char *method, const char *result)
{
  ZzAttemptInput a = {
    .case_id = case_id,
    .place = "六里村综治中心",
    .mediators = "村调委会 田志刚",
    .parties_present = "向秀英、张德明",
    .method = method,
    .result = result,
    .terms = g_strcmp0 (result, "failed") ? "张德明赔偿杉木损失三千元，双方以老界石为界。" : NULL,
  };
  return a;
}

static void
test_tier_rule (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *before = NULL, *a_id = NULL, *fix = NULL;
  ZzAttemptInput a;
  ZzCaseLevel level;
  int n, max;

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  id = standard_case (ts);
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *aid = NULL;
      a = attempt (id, "on_site", "failed");
      zz_store_set_now (ts->store, ZZ_TEST_T0 + i * DAY);
      g_assert_true (zz_store_record_mediation (ts->store, &a, &aid, &error));
      g_assert_no_error (error);
      if (i == 1)
        a_id = g_steal_pointer (&aid);
    }
  g_assert_cmpint (ops (ts, "mediation_attempt", "append"), ==, 3);
  g_assert_cmpint (zz_store_case_tier_state (ts->store, id, &level, &n, &max), ==, ZZ_TIER_LIMIT_REACHED);
  g_assert_cmpint (level, ==, ZZ_LEVEL_VILLAGE);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (max, ==, 3);

  /* The fourth village attempt is refused and leaves nothing behind. */
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "on_site", "failed");
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  /* A correction of an earlier attempt does not count and is allowed. */
  a = attempt (id, "on_site", "failed");
  a.amends = a_id;
  a.notes = "更正：当日被申请人未到场";
  g_assert_true (zz_store_record_mediation (ts->store, &a, &fix, &error));
  {
    g_autofree char *amended = zz_test_store_text (ts, "SELECT group_concat (number) FROM mediation_attempt WHERE amends IS NOT NULL");
    g_assert_cmpstr (amended, ==, "1");
  }
  g_assert_cmpint (zz_store_case_tier_state (ts->store, id, NULL, &n, NULL), ==, ZZ_TIER_LIMIT_REACHED);
  g_assert_cmpint (n, ==, 3);
  /* Other bad input. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "shouting", "failed");
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  a = attempt (id, "on_site", "agreement");
  a.terms = "";
  a.amends = a_id;
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_false (zz_store_escalate_case (ts->store, id, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);

  /* Escalation carries a summary of the attempts so far. */
  g_assert_true (zz_store_escalate_case (ts->store, id, "村级三次调解未果", &error));
  g_assert_cmpint (ops (ts, "case_escalation", "append"), ==, 1);
  {
    g_autofree char *summary = zz_test_store_text (ts, "SELECT summary FROM case_escalation");
    g_autofree char *home = zz_test_store_text (ts, "SELECT home FROM case_file");
    /* The reason is a sentence of its own, then the attempts (it ran into them unpunctuated). */
    g_assert_nonnull (strstr (summary, "村级三次调解未果. Mediation so far: "));
    g_assert_nonnull (strstr (summary, "六里村综治中心"));
    g_assert_cmpstr (home, ==, VILLAGE);   /* the home never moves */
  }
  g_assert_cmpint (zz_store_case_tier_state (ts->store, id, &level, &n, &max), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (level, ==, ZZ_LEVEL_TOWNSHIP);
  g_assert_cmpint (n, ==, 0);
  for (int i = 0; i < 2; i++)
    {
      a = attempt (id, "on_site", "failed");
      a.place = "达岚镇综治中心";
      g_assert_true (zz_store_record_mediation (ts->store, &a, NULL, &error));
    }
  g_free (before);
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "on_site", "failed");
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (zz_store_escalate_case (ts->store, id, NULL, &error));

  /* The county: joint consultation of at least two departments. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "on_site", "agreement");
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  {
    const char *one[] = { ts->dept_id[0], NULL };
    const char *same_twice[] = { ts->dept_id[0], ts->dept_id[0], NULL };
    const char *two[] = { ts->dept_id[0], ts->dept_id[1], NULL };
    g_autofree char *county = NULL;
    a = attempt (id, "joint", "agreement");
    a.department_ids = one;
    g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    a.department_ids = same_twice;
    g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    a.department_ids = two;
    g_assert_true (zz_store_record_mediation (ts->store, &a, &county, &error));
    g_assert_no_error (error);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT n_departments FROM mediation_attempt WHERE level = 'county'"), ==, 2);
    {
      g_autofree char *pdf = g_build_filename (ts->dir, "agreement.pdf", NULL);
      g_autofree char *out = NULL;
      g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
      int status = 0;
      g_assert_true (zz_agreement_write_pdf (ts->store, county, pdf, &error));
      g_assert_no_error (error);
      if (g_spawn_command_line_sync (cmd, &out, NULL, &status, NULL) && status == 0)
        {
          g_assert_nonnull (strstr (out, "向秀英"));
          g_assert_nonnull (strstr (out, "张德明"));
          g_assert_nonnull (strstr (out, "433122199001010014"));   /* mediators see full ID numbers */
          g_assert_nonnull (strstr (out, "三千元"));
        }
      g_unlink (pdf);
      /* A failed attempt has no agreement. */
      {
        g_autofree char *failed = zz_test_store_text (ts, "SELECT id FROM mediation_attempt WHERE result = 'failed' LIMIT 1");
        g_assert_false (zz_agreement_write_pdf (ts->store, failed, pdf, &error));
        g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
        g_clear_error (&error);
      }
    }
    g_assert_true (zz_store_record_fulfilment (ts->store, county, "full", "已付清", &error));
    g_assert_cmpint (ops (ts, "agreement_fulfilment", "append"), ==, 1);

    /* Long terms run over several pages: the pages counted are the pages drawn into the PDF
     * (and onto paper: printing uses the same count and drawing), the signatures on the last. */
    {
      g_autoptr(GString) terms = g_string_new (NULL);
      g_autofree char *fixed = NULL, *pdf = g_build_filename (ts->dir, "long.pdf", NULL);
      g_autofree char *info = NULL, *text = NULL, *pages_line = NULL;
      g_autofree char *cmd = g_strdup_printf ("pdfinfo '%s'", pdf);
      g_autoptr(ZzAgreement) ag = NULL;
      cairo_surface_t *rec;
      cairo_t *cr;
      int pages, status = 0;

      for (int i = 1; i <= 120; i++)
        g_string_append_printf (terms, "第%d条：被申请人于本月底前分期支付补偿款，逾期按约定承担违约责任。", i);
      a = attempt (id, "joint", "agreement");
      a.department_ids = two;
      a.terms = terms->str;
      a.amends = county;
      g_assert_true (zz_store_record_mediation (ts->store, &a, &fixed, &error));
      g_assert_no_error (error);
      ag = zz_agreement_new (ts->store, fixed, &error);
      g_assert_nonnull (ag);
      rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cr = cairo_create (rec);
      pages = zz_agreement_n_pages (ag, cr, ZZ_AGREEMENT_PAGE_W, ZZ_AGREEMENT_PAGE_H);
      cairo_destroy (cr);
      cairo_surface_destroy (rec);
      g_assert_cmpint (pages, >=, 2);
      g_assert_true (zz_agreement_write_pdf (ts->store, fixed, pdf, &error));
      if (g_spawn_command_line_sync (cmd, &info, NULL, &status, NULL) && status == 0)
        {
          g_autofree char *want = g_strdup_printf ("Pages:           %d\n", pages);
          char *last = g_strdup_printf ("pdftotext -enc UTF-8 -f %d -l %d '%s' -", pages, pages, pdf);
          g_assert_nonnull (strstr (info, want));
          g_assert_true (g_spawn_command_line_sync (last, &text, NULL, &status, NULL));
          g_assert_nonnull (strstr (text, "(seal)"));
          g_clear_pointer (&text, g_free);
          g_free (last);
          /* Terms longer than a page go on over the next, nothing lost below the margin. */
          last = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
          g_assert_true (g_spawn_command_line_sync (last, &text, NULL, &status, NULL));
          g_assert_nonnull (strstr (text, "第1条"));
          g_assert_nonnull (strstr (text, "第120条"));
          g_free (last);
        }
      g_unlink (pdf);
    }
  }
  /* Attempts are immutable records: only append ops, never a set. */
  g_assert_cmpint (ops (ts, "mediation_attempt", "set"), ==, 0);
  g_assert_cmpint (ops (ts, "mediation_attempt", "append"), ==, 8);   /* with the correction of long terms */

  /* Conclusion, feedback, return visit, archive, in that order. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_archive_case (ts->store, id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_conclude_case (ts->store, id, " ", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_store_conclude_case (ts->store, id, "县级联合会商达成协议", &error));
  {
    g_autoptr(ZzRow) c = zz_store_get_case (ts->store, id);
    g_assert_cmpstr (zz_row_get (c, "status"), ==, "concluded");
    g_assert_cmpstr (zz_row_get (c, "resolved_level"), ==, "county");
  }
  g_free (before);
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "on_site", "failed");
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_false (zz_store_record_return_visit (ts->store, id, "satisfied", NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);   /* feedback first */
  g_clear_error (&error);
  g_assert_true (zz_store_record_feedback (ts->store, id, "已电话告知双方结果", &error));
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_record_return_visit (ts->store, id, "happy", NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_archive_case (ts->store, id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  /* Dissatisfied reopens the case. */
  g_assert_true (zz_store_record_return_visit (ts->store, id, "dissatisfied", "认为赔偿偏低", &error));
  {
    g_autoptr(ZzRow) c = zz_store_get_case (ts->store, id);
    g_assert_cmpstr (zz_row_get (c, "status"), ==, "reopened");
  }
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_conclude_case (ts->store, id, "复核后维持协议", &error));
  g_assert_true (zz_store_record_feedback (ts->store, id, "复核结果已告知", &error));
  g_assert_true (zz_store_record_return_visit (ts->store, id, "basic", NULL, &error));
  g_assert_true (zz_store_archive_case (ts->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ops (ts, "return_visit", "append"), ==, 2);
  {
    g_autoptr(ZzRow) c = zz_store_get_case (ts->store, id);
    g_assert_cmpstr (zz_row_get (c, "status"), ==, "archived");
    g_assert_cmpstr (zz_row_get (c, "first_responder_id"), ==, ts->user_id[ZZ_ROLE_MEDIATOR]);
  }
  g_assert_true (zz_store_verify_chain (ts->store, zz_store_get_node_id (ts->store), &error));
}

static void
test_review_items (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *before = NULL;
  ZzTierLimits l;

  /* Offline nodes together record five village attempts; simulated by a limit that was higher
   * when they were recorded. */
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  zz_store_get_tier_limits (ts->store, &l);
  l.village_max = 5;
  g_assert_true (zz_store_set_tier_limits (ts->store, &l, &error));
  g_assert_cmpint (ops (ts, "case_setting", "create"), ==, 1);
  id = standard_case (ts);
  for (int i = 0; i < 5; i++)
    {
      ZzAttemptInput a = attempt (id, "on_site", "failed");
      g_assert_true (zz_store_record_mediation (ts->store, &a, NULL, &error));
    }
  {
    g_autoptr(GListModel) items = zz_store_list_review_items (ts->store);
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 0);
  }
  l.village_max = 3;
  g_assert_true (zz_store_set_tier_limits (ts->store, &l, &error));
  g_assert_cmpint (ops (ts, "case_setting", "set"), ==, 1);
  {
    g_autoptr(GListModel) items = zz_store_list_review_items (ts->store);
    g_autoptr(ZzRow) r = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
    r = g_list_model_get_item (items, 0);
    g_assert_cmpint (zz_row_get_int (r, "attempts"), ==, 5);
    g_assert_cmpint (zz_row_get_int (r, "max"), ==, 3);
  }
  /* Nothing was deleted. */
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM mediation_attempt"), ==, 5);

  before = zz_test_store_snapshot (ts);
  l.village_max = 0;
  g_assert_false (zz_store_set_tier_limits (ts->store, &l, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_resolve_review_item (ts->store, id, "township", "无", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_false (zz_store_resolve_review_item (ts->store, id, "village", "已核实", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_resolve_review_item (ts->store, id, "village", "两台设备离线期间各自调解，已核实", &error));
  {
    g_autoptr(GListModel) items = zz_store_list_review_items (ts->store);
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 0);
  }
  g_assert_cmpint (ops (ts, "tier_review", "append"), ==, 1);

  /* Default deadlines are settings too. */
  g_assert_cmpint (zz_store_deadline_days (ts->store, "labour", "normal"), ==, 7);
  g_assert_true (zz_store_set_deadline_days (ts->store, "labour", "normal", 5, &error));
  g_assert_cmpint (zz_store_deadline_days (ts->store, "labour", "normal"), ==, 5);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_set_deadline_days (ts->store, "labour", "normal", 0, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_false (zz_store_set_deadline_days (ts->store, "labour", "normal", 9, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
}

static guint
search_count (ZzTestStore *ts, const char *q)
{
  g_autoptr(GListModel) m = zz_store_search_cases (ts->store, q, 50);
  return g_list_model_get_n_items (m);
}

static void
test_search (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(ZzRow) c = NULL;

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  id = standard_case (ts);
  c = zz_store_get_case (ts->store, id);
  g_assert_cmpuint (search_count (ts, "山林界址"), ==, 1);      /* Chinese substring of the summary */
  g_assert_cmpuint (search_count (ts, "越界砍伐"), ==, 1);      /* of the details */
  g_assert_cmpuint (search_count (ts, "向秀英"), ==, 1);        /* a party's name */
  g_assert_cmpuint (search_count (ts, "张德"), ==, 1);          /* the start of a two-character name */
  g_assert_cmpuint (search_count (ts, "138 0743 0001"), ==, 1); /* a phone typed in groups */
  g_assert_cmpuint (search_count (ts, "433122199001010014"), ==, 1);
  g_assert_cmpuint (search_count (ts, "０１００１４"), ==, 1);   /* full-width digits */
  g_assert_cmpuint (search_count (ts, zz_row_get (c, "number")), ==, 1);
  g_assert_cmpuint (search_count (ts, "婚姻纠纷"), ==, 0);
  g_assert_cmpuint (search_count (ts, "山"), ==, 0);            /* too short */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_cmpuint (search_count (ts, "山林界址"), ==, 0);      /* no permission */

  /* A new phone of a party is found: the index follows the person. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  {
    ZzVisitInput v = zz_test_visit (ts, 0, "向秀英", "13607439999", "433122199001010014");
    g_autofree char *visit = NULL, *ticket = NULL;
    g_assert_true (zz_store_register_visit (ts->store, &v, &visit, &ticket, &error));
  }
  g_assert_cmpuint (search_count (ts, "13607439999"), ==, 1);

  /* Rows that arrive by sync (written by the generic op applier, not by the verbs) are
   * indexed too: the triggers do it. */
  zz_test_store_exec (ts, "INSERT INTO person (id, home, created_hlc, updated_hlc, name, phone)"
                          " VALUES ('p-remote', '433122102', 1, 1, '龙金花', '13707435555');"
                          "INSERT INTO case_file (id, home, created_hlc, updated_hlc, number, source, category,"
                          " summary, risk, urgency, first_responder_id, registered_at, registered_unit, level, status)"
                          " VALUES ('c-remote', '433122102', 1, 1, '433122102-2026-00001-ZZZZ', 'grid', 'labour',"
                          " '工地拖欠农民工工资八万元', 'high', 'urgent', 'u', 1, '433122102', 'township', 'registered');"
                          "INSERT INTO case_party (id, home, created_hlc, updated_hlc, case_id, role, person_id)"
                          " VALUES ('cp-remote', '433122102', 1, 1, 'c-remote', 'applicant', 'p-remote');");
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_cmpuint (search_count (ts, "拖欠农民工"), ==, 1);
  g_assert_cmpuint (search_count (ts, "龙金花"), ==, 1);
  g_assert_cmpuint (search_count (ts, "13707435555"), ==, 1);
  g_assert_cmpuint (search_count (ts, "433122102-2026"), ==, 1);
}

static void
test_case_list (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(ZzCaseList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prev = NULL;
  ZzCaseFilter f = { 0 };
  guint n = 150;

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = NULL;
      zz_store_set_now (ts->store, ZZ_TEST_T0 + i * 60000);
      id = standard_case (ts);
      if (i % 3 == 0)
        g_assert_true (zz_store_conclude_case (ts->store, id, "调解成功", &error));
    }
  list = zz_case_list_new (ts->store);
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  /* Newest first, every row once, across page boundaries, read out of order. */
  for (int pass = 0; pass < 2; pass++)
    {
      gint64 last = G_MAXINT64;
      for (guint i = 0; i < n; i++)
        {
          guint pos = pass == 0 ? i : (i * 67) % n;
          g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), pos);
          g_assert_nonnull (r);
          if (pass == 0)
            {
              g_assert_cmpint (zz_row_get_int (r, "registered_at"), <, last);
              last = zz_row_get_int (r, "registered_at");
            }
          else
            g_assert_cmpint (zz_row_get_int (r, "registered_at"), ==, ZZ_TEST_T0 + (gint64) (n - 1 - pos) * 60000);
        }
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));

  f.sort = ZZ_CASE_SORT_NUMBER;
  zz_case_list_set_filter (list, &f);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), i);
      if (prev)
        g_assert_cmpint (strcmp (prev, zz_row_get (r, "number")), <, 0);
      g_free (prev);
      prev = g_strdup (zz_row_get (r, "number"));
    }
  /* By status (the loop's order), level and category, both ways: every row once, in order,
   * across page boundaries and read out of order. */
  {
    static const ZzCaseSort sorts[] = { ZZ_CASE_SORT_STATUS, ZZ_CASE_SORT_LEVEL, ZZ_CASE_SORT_CATEGORY };
    for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
      for (int reverse = 0; reverse < 2; reverse++)
        {
          g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          f.sort = sorts[s];
          f.reverse = reverse;
          zz_case_list_set_filter (list, &f);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
          for (guint i = 0; i < n; i++)
            {
              guint pos = (i * 67) % n;
              g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), pos);
              g_assert_nonnull (r);
              g_assert_true (g_hash_table_add (seen, g_strdup (zz_row_get_id (r))));
              if (sorts[s] == ZZ_CASE_SORT_STATUS)
                /* 100 registered, then 50 concluded; the other way round reversed. */
                g_assert_cmpstr (zz_row_get (r, "status"), ==,
                                 !reverse ? (pos < 100 ? "registered" : "concluded")
                                          : (pos < 50 ? "concluded" : "registered"));
            }
          g_assert_cmpuint (g_hash_table_size (seen), ==, n);
        }
    f.reverse = FALSE;
    f.sort = ZZ_CASE_SORT_NUMBER;
  }
  f.status = "open";
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);
  f.status = "concluded";
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
  f.status = NULL;
  f.mine = TRUE;
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  f.mine = FALSE;
  f.overdue = TRUE;
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 40 * DAY);
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);
  f.overdue = FALSE;
  f.level = "township";
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  f.level = NULL;
  f.query = "界址争执";
  f.status = "concluded";
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
  f.query = "离婚";
  zz_case_list_set_filter (list, &f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

/* A household matter becomes a case: the members become parties through person records found or
 * made from the register, the case is linked to the household and listed on it. */
static void
test_household_case (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hh = NULL, *other_hh = NULL, *before = NULL, *id = NULL, *head_id = NULL;
  g_autofree char *visit = NULL, *ticket = NULL, *head_person = NULL;
  g_autoptr(GListModel) members = NULL, other_members = NULL, cases = NULL;
  g_autoptr(ZzRow) c = NULL;
  ZzMemberInput m[] = {
    { "龙国华", "户主", "433122199001010014", "13907431234", NULL },
    { "李桂花", "配偶", NULL, NULL, NULL },
  };
  ZzOfficialInput o[] = { { NULL, "田村长", "13812345678" } };
  ZzHouseholdInput hin = { VILLAGE, "六里村三组12号", NULL, NULL, m, 2, o, 1 };
  ZzPartyInput p[3] = { 0 };
  ZzCaseInput in = case_input (p, 2), good;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  /* The head came to the desk once: the case finds that person, never a second one. */
  {
    ZzVisitInput v = zz_test_visit (ts, 0, "龙国华", "13907431234", "433122199001010014");
    g_assert_true (zz_store_register_visit (ts->store, &v, &visit, &ticket, &error));
  }
  head_person = zz_test_store_text (ts, "SELECT id FROM person WHERE name = '龙国华'");
  g_assert_true (zz_store_register_household (ts->store, &hin, &hh, &error));
  m[0].name = "向德兵"; m[0].id_number = NULL; m[0].phone = "13807439999";
  g_assert_true (zz_store_register_household (ts->store, &hin, &other_hh, &error));
  members = zz_store_household_members (ts->store, hh);
  other_members = zz_store_household_members (ts->store, other_hh);
  {
    g_autoptr(ZzRow) head = g_list_model_get_item (members, 0);
    head_id = g_strdup (zz_row_get_id (head));
  }
  p[0] = (ZzPartyInput) { .role = "applicant", .member_id = head_id };
  p[1] = (ZzPartyInput) { .role = "respondent", .name = "张德明" };
  in.household_id = hh;
  good = in;

  before = zz_test_store_snapshot (ts);
  {
    /* A member of another household, a household that does not exist, the spouse (no phone on
     * the register) as applicant without a phone: refused, nothing written. */
    g_autoptr(ZzRow) stranger = g_list_model_get_item (other_members, 0);
    g_autoptr(ZzRow) spouse = g_list_model_get_item (members, 1);
    ZzPartyInput bad[2] = { p[0], p[1] };

    bad[0].member_id = zz_row_get_id (stranger);
    in = good; in.parties = bad;
    g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
    g_clear_error (&error);
    in = good; in.household_id = "nope";
    g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
    g_clear_error (&error);
    in = good; in.household_id = NULL;   /* a member without its household */
    g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
    g_clear_error (&error);
    bad[0].member_id = zz_row_get_id (spouse);
    in = good; in.parties = bad;
    g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "李桂花"));
    g_clear_error (&error);
    zz_test_store_as (ts, ZZ_ROLE_ADMIN);
    in = good;
    g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
    g_clear_error (&error);
    zz_test_store_as (ts, ZZ_ROLE_CLERK);
  }

  /* Head and spouse as applicants (the spouse's phone given at intake). */
  {
    g_autoptr(ZzRow) spouse = g_list_model_get_item (members, 1);
    p[2] = (ZzPartyInput) { .role = "applicant", .member_id = zz_row_get_id (spouse), .phone = "13607435555" };
  }
  in = good; in.n_parties = 3;
  id = register_ok (ts, &in);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE name = '龙国华'"), ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE name = '李桂花' AND phone = '13607435555'"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM case_party WHERE case_id = '%s' AND person_id = '%s'"
                                            " AND role = 'applicant'", id, head_person);
    g_assert_cmpint (zz_test_store_int (ts, sql), ==, 1);
    g_free (sql);
    sql = g_strdup_printf ("SELECT count(*) FROM case_file WHERE id = '%s' AND household_id = '%s'", id, hh);
    g_assert_cmpint (zz_test_store_int (ts, sql), ==, 1);
  }
  c = zz_store_get_case (ts->store, id);
  g_assert_cmpstr (zz_row_get (c, "household_id"), ==, hh);
  g_assert_cmpstr (zz_row_get (c, "household"), ==, "龙国华");
  g_assert_nonnull (strstr (zz_row_get (c, "parties"), "李桂花"));
  cases = zz_store_household_cases (ts->store, hh);
  g_assert_cmpuint (g_list_model_get_n_items (cases), ==, 1);
  {
    g_autoptr(ZzRow) r = g_list_model_get_item (cases, 0);
    g_assert_cmpstr (zz_row_get_id (r), ==, id);
    g_assert_cmpstr (zz_row_get (r, "status"), ==, "registered");
  }
  g_clear_object (&cases);
  cases = zz_store_household_cases (ts->store, other_hh);
  g_assert_cmpuint (g_list_model_get_n_items (cases), ==, 0);
}

/* Categories are reference data: the built-in list, renamed, retired (still readable on old
 * cases, refused for new ones) and added to; keys never change. */
static void
test_categories (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) active = NULL, all = NULL;
  g_autofree char *before = NULL, *old_case = NULL, *key = NULL, *name = NULL, *new_case = NULL;
  ZzPartyInput p[] = { { .role = "applicant", .name = "向秀英", .phone = "13807430001" } };
  ZzCaseInput in = case_input (p, 1);
  guint n_builtin;

  zz_case_categories (&n_builtin);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  active = zz_store_case_categories (ts->store, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (active), ==, n_builtin);
  g_clear_object (&active);
  old_case = register_ok (ts, &in);   /* land_forest */

  /* Only those who set the case settings edit the list; bad names change nothing. */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_add_case_category (ts->store, "征地补偿", NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_false (zz_store_add_case_category (ts->store, "   ", NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  name = zz_store_case_category_name (ts->store, "family");
  g_assert_false (zz_store_add_case_category (ts->store, name, NULL, &error));   /* taken */
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_rename_case_category (ts->store, "nope", "某类", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Add, rename a built-in one, retire land and forest. */
  g_assert_true (zz_store_add_case_category (ts->store, "征地补偿", &key, &error));
  g_assert_true (g_str_has_prefix (key, "c_"));
  g_assert_true (zz_store_rename_case_category (ts->store, "family", "婚姻家庭纠纷", &error));
  g_assert_true (zz_store_retire_case_category (ts->store, "land_forest", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ops (ts, "case_category", "create"), ==, 3);
  {
    g_autofree char *fam = zz_store_case_category_name (ts->store, "family");
    g_autofree char *land = zz_store_case_category_name (ts->store, "land_forest");
    g_autofree char *added = zz_store_case_category_name (ts->store, key);
    g_assert_cmpstr (fam, ==, "婚姻家庭纠纷");
    g_assert_cmpstr (added, ==, "征地补偿");
    g_assert_cmpstr (land, !=, "land_forest");   /* still readable */
  }
  active = zz_store_case_categories (ts->store, FALSE);
  all = zz_store_case_categories (ts->store, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (active), ==, n_builtin);       /* one out, one in */
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, n_builtin + 1);
  {
    g_autoptr(ZzRow) last = g_list_model_get_item (active, n_builtin - 1);
    g_assert_cmpstr (zz_row_get (last, "key"), ==, key);
  }

  /* A retired category is refused for a new case; the old case keeps it; the new one is used,
   * with a default deadline that can be set. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_register_case (ts->store, &in, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(ZzRow) c = zz_store_get_case (ts->store, old_case);
    g_assert_cmpstr (zz_row_get (c, "category"), ==, "land_forest");
  }
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_set_deadline_days (ts->store, key, "normal", 9, &error));
  g_assert_cmpint (zz_store_deadline_days (ts->store, key, "normal"), ==, 9);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in.category = key;
  new_case = register_ok (ts, &in);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT (deadline_at - registered_at) / 86400000 FROM case_file WHERE id = '%s'", new_case);
    gint64 days = zz_test_store_int (ts, sql);
    g_assert_cmpint (days, >=, 8);
    g_assert_cmpint (days, <=, 9);
  }
  /* Restored, it is offered again. */
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_retire_case_category (ts->store, "land_forest", FALSE, &error));
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in.category = "land_forest";
  g_free (register_ok (ts, &in));
}

/* The day a mediation was held is recorded as given: yesterday's is yesterday's; a day before
 * the case's registration or in the future is refused and changes nothing. */
static void
test_mediation_date (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *before = NULL, *aid = NULL, *day = NULL;
  ZzAttemptInput a;

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  id = standard_case (ts);   /* registered at T0 */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 3 * DAY);
  before = zz_test_store_snapshot (ts);
  a = attempt (id, "on_site", "failed");
  a.held_at = ZZ_TEST_T0 - DAY;
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "registered"));
  g_clear_error (&error);
  a.held_at = ZZ_TEST_T0 + 5 * DAY;
  g_assert_false (zz_store_record_mediation (ts->store, &a, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  /* Earlier on the day of registration is that day: allowed. */
  a.held_at = ZZ_TEST_T0 - 60 * 60 * 1000;
  g_assert_true (zz_store_record_mediation (ts->store, &a, NULL, &error));
  g_assert_no_error (error);
  a.held_at = ZZ_TEST_T0 + 2 * DAY;
  g_assert_true (zz_store_record_mediation (ts->store, &a, &aid, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) row = zz_store_get_attempt (ts->store, aid);
    day = zz_store_day_of (zz_row_get_int (row, "held_at"));
    g_assert_cmpint (zz_row_get_int (row, "held_at"), ==, ZZ_TEST_T0 + 2 * DAY);
  }
  {
    g_autofree char *expected = zz_store_day_of (ZZ_TEST_T0 + 2 * DAY);
    g_assert_cmpstr (day, ==, expected);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cases/register", test_register);
  g_test_add_func ("/cases/party-particulars", test_party_particulars);
  g_test_add_func ("/cases/two-nodes", test_two_nodes);
  g_test_add_func ("/cases/dispatch-supervision", test_dispatch_supervision);
  g_test_add_func ("/cases/tier-rule", test_tier_rule);
  g_test_add_func ("/cases/review-items", test_review_items);
  g_test_add_func ("/cases/search", test_search);
  g_test_add_func ("/cases/case-list", test_case_list);
  g_test_add_func ("/cases/household-case", test_household_case);
  g_test_add_func ("/cases/categories", test_categories);
  g_test_add_func ("/cases/mediation-date", test_mediation_date);
  return g_test_run ();
}
