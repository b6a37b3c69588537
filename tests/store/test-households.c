/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-households.h"
#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-test-store.h"

#define VILLAGE_A "433122102200"   /* 龙溪口村 */
#define VILLAGE_B "433122102201"   /* 六里村 */

static char *
id_number (int n)
{
  g_autofree char *first17 = g_strdup_printf ("43312219800101%03d", n);
  g_autofree char *check = zz_idcard_check_char (first17);
  return g_strconcat (first17, check, NULL);
}

static char *
register_one (ZzTestStore *ts, const char *village, const char *head, int idn, GError **error)
{
  g_autofree char *id1 = id_number (idn);
  g_autofree char *id2 = id_number (idn + 1);
  ZzMemberInput members[] = {
    { head, "户主", id1, "13907431234", "常年在外务工" },
    { "李桂花", "配偶", id2, NULL, NULL },
  };
  ZzOfficialInput officials[] = { { ts->user_id[ZZ_ROLE_MEDIATOR], NULL, NULL }, { NULL, "田村长", "13812345678" } };
  ZzHouseholdInput in = { village, "龙溪口村三组12号", "向网格", NULL, members, 2, officials, 2 };
  char *id = NULL;

  if (!zz_store_register_household (ts->store, &in, &id, error))
    return NULL;
  return id;
}

static void
test_register_and_refusals (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *id1 = id_number (1);
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(GListModel) members = NULL;
  gint64 ops;

  /* The administrator and the supervisor may not register. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  before = zz_test_store_snapshot (ts);
  g_assert_null (register_one (ts, VILLAGE_A, "张三", 1, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  ops = zz_store_count_ops (ts->store);
  id = register_one (ts, VILLAGE_A, "张三", 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  /* household + 2 members + 2 officials, each a create op */
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, ops + 5);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household_member WHERE home = '" VILLAGE_A "'"), ==, 2);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household_official WHERE home = '" VILLAGE_A "'"), ==, 2);

  h = zz_store_get_household (ts->store, id);
  g_assert_cmpstr (zz_row_get (h, "head_name"), ==, "张三");
  g_assert_cmpstr (zz_row_get (h, "village"), ==, "龙溪口村");
  g_assert_cmpstr (zz_row_get (h, "grade"), ==, "");
  g_assert_null (zz_row_get (h, "next_due"));
  /* A clerk sees ID numbers masked. */
  members = zz_store_household_members (ts->store, id);
  {
    g_autoptr(ZzRow) m = g_list_model_get_item (members, 0);
    g_assert_nonnull (strstr (zz_row_get (m, "id_number"), "********"));
  }

  /* Every refusal changes nothing. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  {
    ZzMemberInput m[] = { { "王五", NULL, id1, NULL, NULL } };
    ZzMemberInput bad_id[] = { { "王五", NULL, "433122198001010010", NULL, NULL } };
    ZzMemberInput bad_phone[] = { { "王五", NULL, NULL, "12345", NULL } };
    ZzMemberInput no_name[] = { { "  ", NULL, NULL, NULL, NULL } };
    ZzOfficialInput o[] = { { NULL, "田村长", NULL } };
    struct {
      ZzHouseholdInput in;
      int code;
    } cases[] = {
      { { VILLAGE_A, "地址", NULL, NULL, m, 1, o, 1 }, ZZ_ERROR_INVALID },               /* ID already on file */
      { { VILLAGE_A, "地址", NULL, NULL, bad_id, 1, o, 1 }, ZZ_ERROR_INVALID },          /* bad check digit */
      { { VILLAGE_A, "地址", NULL, NULL, bad_phone, 1, o, 1 }, ZZ_ERROR_INVALID },
      { { VILLAGE_A, "地址", NULL, NULL, no_name, 1, o, 1 }, ZZ_ERROR_INVALID },
      { { VILLAGE_A, "地址", NULL, NULL, NULL, 0, o, 1 }, ZZ_ERROR_INVALID },             /* no members */
      { { VILLAGE_A, "地址", NULL, NULL, bad_phone + 0, 0, o, 1 }, ZZ_ERROR_INVALID },
      { { VILLAGE_A, "  ", NULL, NULL, no_name, 0, o, 1 }, ZZ_ERROR_INVALID },
      { { VILLAGE_A, "地址", NULL, NULL, bad_phone, 1, NULL, 0 }, ZZ_ERROR_INVALID },     /* no official */
      { { "433122102", "地址", NULL, NULL, bad_phone, 1, o, 1 }, ZZ_ERROR_INVALID },      /* a township */
      { { "433101002001", "地址", NULL, NULL, bad_phone, 1, o, 1 }, ZZ_ERROR_INVALID },   /* not here */
    };
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_assert_false (zz_store_register_household (ts->store, &cases[i].in, NULL, &error));
        zz_test_assert_refused (ts, before, error, cases[i].code);
        g_clear_error (&error);
      }
  }
  {
    g_autofree char *d = id_number (50);
    ZzMemberInput twice[] = { { "甲", NULL, d, NULL, NULL }, { "乙", NULL, d, NULL, NULL } };
    ZzOfficialInput o[] = { { NULL, "田村长", NULL } };
    ZzHouseholdInput in = { VILLAGE_A, "地址", NULL, NULL, twice, 2, o, 1 };
    g_assert_false (zz_store_register_household (ts->store, &in, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static void
test_edit_and_members (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *member = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autoptr(GListModel) officials = NULL;
  g_autofree char *idn = id_number (30);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  id = register_one (ts, VILLAGE_A, "张三", 1, &error);
  g_assert_no_error (error);

  {
    ZzMemberInput m = { "张小明", "子女", idn, NULL, "在县城读初中" };
    g_assert_true (zz_store_add_member (ts->store, id, &m, &member, &error));
    g_assert_no_error (error);
  }
  members = zz_store_household_members (ts->store, id);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 3);
  {
    /* A mediator sees full ID numbers, and that is logged. */
    g_autoptr(ZzRow) m = g_list_model_get_item (members, 2);
    g_assert_cmpstr (zz_row_get (m, "id_number"), ==, idn);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM access_log WHERE what = 'household_member.id_number'"), ==, 3);
  }
  {
    /* The access log names the member whose number was shown. */
    g_autoptr(GListModel) log = NULL;
    gboolean named = FALSE;

    zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
    log = zz_store_list_access_log (ts->store, NULL);
    for (guint i = 0; i < g_list_model_get_n_items (log); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (log, i);
        named |= g_strcmp0 (zz_row_get (r, "person_name"), "张小明") == 0;
      }
    g_assert_true (named);
    zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  }

  /* The same ID number in another household is refused. */
  before = zz_test_store_snapshot (ts);
  {
    g_autofree char *other = register_one (ts, VILLAGE_B, "李四", 30, &error);
    g_assert_null (other);
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "张三"));
    g_clear_error (&error);
  }
  /* The head cannot be removed; a missing member is not found. */
  {
    g_autoptr(ZzRow) head = g_list_model_get_item (members, 0);
    g_assert_false (zz_store_remove_member (ts->store, zz_row_get_id (head), &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
    g_clear_error (&error);
    g_assert_false (zz_store_remove_member (ts->store, "nope", &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_true (zz_store_remove_member (ts->store, member, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE kind = 'tombstone' AND tbl = 'household_member'"), ==, 1);
  g_clear_object (&members);
  members = zz_store_household_members (ts->store, id);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 2);

  /* Edit: new address and a single official; the village stays. */
  {
    ZzOfficialInput o[] = { { NULL, "彭书记", "13712345678" } };
    g_assert_true (zz_store_update_household (ts->store, id, "龙溪口村四组3号", NULL, "新情况", o, 1, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_assert_cmpstr (zz_row_get (h, "address"), ==, "龙溪口村四组3号");
    g_assert_cmpstr (zz_row_get (h, "home"), ==, VILLAGE_A);
    g_assert_null (zz_row_get (h, "grid_worker"));
  }
  officials = zz_store_household_officials (ts->store, id);
  g_assert_cmpuint (g_list_model_get_n_items (officials), ==, 1);

  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_update_household (ts->store, id, "", NULL, NULL, NULL, 0, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  {
    ZzOfficialInput o[] = { { "no-such-user", NULL, NULL } };
    g_assert_false (zz_store_update_household (ts->store, id, "x", NULL, NULL, o, 1, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* Nothing changed: no op. */
  {
    ZzOfficialInput o[] = { { NULL, "彭书记", "13712345678" } };
    g_assert_true (zz_store_update_household (ts->store, id, "龙溪口村四组3号", NULL, "新情况", o, 1, &error));
    g_assert_no_error (error);
    g_free (before);
    before = zz_test_store_snapshot (ts);
    g_assert_true (zz_store_update_household (ts->store, id, "龙溪口村四组3号", NULL, "新情况", o, 1, &error));
    {
      g_autofree char *after = zz_test_store_snapshot (ts);
      g_assert_cmpstr (after, ==, before);
    }
  }
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  {
    ZzMemberInput m = { "某", NULL, NULL, NULL, NULL };
    g_assert_false (zz_store_add_member (ts->store, id, &m, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
    g_clear_error (&error);
  }
}

static void
test_assess_grade_signoff (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *assessment = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GListModel) history = NULL;
  gint64 appends;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  id = register_one (ts, VILLAGE_A, "张三", 1, &error);
  g_assert_no_error (error);

  /* No proposal before an assessment. */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_propose_grade (ts->store, id, ZZ_GRADE_HIGH, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  /* "Other" needs its text. */
  g_assert_false (zz_store_assess_household (ts->store, id, 1u << ZZ_RISK_OTHER, "", NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_assess_household (ts->store, id, 1u << 20, NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  appends = zz_test_store_int (ts, "SELECT count(*) FROM op WHERE kind = 'append'");
  g_assert_true (zz_store_assess_household (ts->store, id, (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT),
                                            NULL, "欠款二十余万", &assessment, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE kind = 'append'"), ==, appends + 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT score FROM household_assessment"), ==, 60);
  {
    g_autofree char *g = zz_test_store_text (ts, "SELECT grade FROM household_assessment");
    g_assert_cmpstr (g, ==, "high");
  }

  /* A grade other than suggested needs a reason. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_propose_grade (ts->store, id, ZZ_GRADE_MEDIUM, "", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  /* No agreement or approval before a proposal. */
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  /* A supervisor may not propose. */
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_false (zz_store_propose_grade (ts->store, id, ZZ_GRADE_HIGH, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_propose_grade (ts->store, id, ZZ_GRADE_HIGH, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_assert_cmpint (zz_row_get_int (h, "pending"), ==, ZZ_SIGNOFF_AGREED);
    g_assert_cmpstr (zz_row_get (h, "grade"), ==, "");   /* not in force yet */
  }
  g_free (before);
  before = zz_test_store_snapshot (ts);
  /* A second proposal while one is open; approval before agreement; the wrong role. */
  g_assert_false (zz_store_propose_grade (ts->store, id, ZZ_GRADE_HIGH, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, "村两委会议通过", &error));
  g_assert_no_error (error);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_assert_cmpstr (zz_row_get (h, "grade"), ==, "high");
    g_assert_cmpstr (zz_row_get (h, "graded_on"), ==, "2026-03-16");
    g_assert_cmpstr (zz_row_get (h, "next_due"), ==, "2026-03-23");
    g_assert_cmpint (zz_row_get_int (h, "pending"), ==, 0);
  }
  history = zz_store_household_signoffs (ts->store, id);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE tbl = 'household_signoff' AND kind = 'append'"), ==, 3);

  /* A re-grade sent back by the village keeps the grade in force and records why. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_assess_household (ts->store, id, 1u << ZZ_RISK_ELDERLY_ALONE, NULL, NULL, NULL, &error));
  g_assert_true (zz_store_propose_grade (ts->store, id, ZZ_GRADE_LOW, NULL, &error));
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, FALSE, "", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, FALSE, "吸毒人员尚未戒断", &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_assert_cmpstr (zz_row_get (h, "grade"), ==, "high");
    g_assert_cmpint (zz_row_get_int (h, "pending"), ==, 0);
  }
  g_clear_object (&history);
  history = zz_store_household_assessments (ts->store, id);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 2);
}

/* The trial's dead end: a mediator proposed, the only supervisor agreed (村议定); 乡镇审定 is
 * refused to them by the four-eyes rule, but sending back is not, and a new assessment restarts. */
static void
test_signoff_never_stuck (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *who = NULL;
  guint high = (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  id = register_one (ts, VILLAGE_A, "李四", 7, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_assess_and_propose (ts->store, id, high, NULL, NULL, TRUE, ZZ_GRADE_HIGH, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (zz_store_household_signoff_options (ts->store, id, NULL), ==, ZZ_SIGNOFF_CAN_RETURN);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_cmpuint (zz_store_household_signoff_options (ts->store, id, NULL), ==,
                    ZZ_SIGNOFF_CAN_SIGN | ZZ_SIGNOFF_CAN_RETURN);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
  g_assert_no_error (error);

  /* Forward is refused, and says why and who can. */
  g_assert_cmpuint (zz_store_household_signoff_options (ts->store, id, &who), ==, ZZ_SIGNOFF_CAN_RETURN);
  g_assert_nonnull (strstr (who, "another person"));
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "four-eyes"));
  g_clear_error (&error);
  /* Back is allowed (a note is still required). */
  g_assert_false (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, FALSE, "", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_APPROVED, FALSE, "需另一名审定人", &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_assert_cmpint (zz_row_get_int (h, "pending"), ==, 0);
    g_assert_cmpstr (zz_row_get (h, "grade"), ==, "");
  }

  /* A new round, then a new assessment while it waits: the round is withdrawn and the new
   * proposal starts in the same save; the history says so. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_propose_grade (ts->store, id, ZZ_GRADE_HIGH, NULL, &error));
  g_assert_no_error (error);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_store_sign_grade (ts->store, id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_assess_and_propose (ts->store, id, 1u << ZZ_RISK_ELDERLY_ALONE, NULL, NULL, TRUE,
                                              ZZ_GRADE_LOW, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, id);
    g_autoptr(GListModel) steps = zz_store_household_signoffs (ts->store, id);
    g_autoptr(ZzRow) newest = g_list_model_get_item (steps, 0);
    g_autoptr(ZzRow) withdrawn = g_list_model_get_item (steps, 1);
    g_assert_cmpint (zz_row_get_int (h, "pending"), ==, ZZ_SIGNOFF_AGREED);
    g_assert_cmpstr (zz_row_get (h, "pending_grade"), ==, "low");
    g_assert_cmpstr (zz_row_get (newest, "decision"), ==, "agreed");
    g_assert_cmpint (zz_row_get_int (newest, "step"), ==, ZZ_SIGNOFF_PROPOSED);
    g_assert_cmpstr (zz_row_get (withdrawn, "decision"), ==, "withdrawn");
  }
}

/* A proposal refused (another grade than suggested, no reason) leaves no assessment behind: the
 * trial's dialog saved one at every try. */
static void
test_assess_and_propose_all_or_nothing (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  guint high = (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  id = register_one (ts, VILLAGE_A, "王五", 8, &error);
  g_assert_no_error (error);
  before = zz_test_store_snapshot (ts);
  for (int i = 0; i < 2; i++)
    {
      g_assert_false (zz_store_assess_and_propose (ts->store, id, high, NULL, NULL, TRUE, ZZ_GRADE_MEDIUM, "  ",
                                                   NULL, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household_assessment"), ==, 0);
  g_assert_true (zz_store_assess_and_propose (ts->store, id, high, NULL, NULL, TRUE, ZZ_GRADE_MEDIUM, "已还清部分欠款",
                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household_assessment"), ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household_signoff"), ==, 1);
}

static void
test_visits_due_and_overdue (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) counts = NULL;
  const gint64 day = 86400000;
  guint total = 0;

  struct { char **id; const char *village; const char *head; int idn; guint factors; } hh[] = {
    { &a, VILLAGE_A, "张三", 1, (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT) },   /* high */
    { &b, VILLAGE_A, "王五", 10, 1u << ZZ_RISK_MENTAL_DISORDER },                         /* medium */
    { &c, VILLAGE_B, "赵六", 20, 1u << ZZ_RISK_ELDERLY_ALONE },                           /* low */
  };
  /* Graded 2026-03-16 by the three steps. */
  for (guint i = 0; i < G_N_ELEMENTS (hh); i++)
    {
      zz_test_store_as (ts, ZZ_ROLE_CLERK);
      *hh[i].id = register_one (ts, hh[i].village, hh[i].head, hh[i].idn, &error);
      g_assert_no_error (error);
      g_assert_true (zz_store_assess_household (ts->store, *hh[i].id, hh[i].factors, NULL, NULL, NULL, &error));
      g_assert_true (zz_store_propose_grade (ts->store, *hh[i].id, i == 0 ? ZZ_GRADE_HIGH : i == 1 ? ZZ_GRADE_MEDIUM : ZZ_GRADE_LOW, NULL, &error));
      zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
      g_assert_true (zz_store_sign_grade (ts->store, *hh[i].id, ZZ_SIGNOFF_AGREED, TRUE, NULL, &error));
      zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
      g_assert_true (zz_store_sign_grade (ts->store, *hh[i].id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, &error));
      g_assert_no_error (error);
    }

  /* Ten days later: the high one (due 03-23) is overdue and at the top. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 10 * day);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  list = zz_store_list_households (ts->store, NULL, 50, &total);
  g_assert_cmpuint (total, ==, 3);
  {
    g_autoptr(ZzRow) top = g_list_model_get_item (list, 0);
    g_assert_cmpstr (zz_row_get_id (top), ==, a);
    g_assert_cmpint (zz_row_get_int (top, "overdue"), ==, 1);
    g_assert_cmpstr (zz_row_get (top, "next_due"), ==, "2026-03-23");
  }
  {
    g_autoptr(ZzRow) second = g_list_model_get_item (list, 1);
    g_assert_cmpstr (zz_row_get (second, "next_due"), ==, "2026-04-16");
    g_assert_cmpint (zz_row_get_int (second, "overdue"), ==, 0);
  }
  g_clear_object (&list);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .overdue_only = FALSE, .org_unit = VILLAGE_B }, 50, &total);
  g_assert_cmpuint (total, ==, 1);
  g_clear_object (&list);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = ZZ_GRADE_MEDIUM }, 50, &total);
  g_assert_cmpuint (total, ==, 1);
  g_clear_object (&list);
  /* Search by a Chinese substring of a name, an address, part of a phone, an ID number. */
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .query = "王" }, 50, &total);
  g_assert_cmpuint (total, ==, 1);
  g_clear_object (&list);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .query = "桂花" }, 50, &total);
  g_assert_cmpuint (total, ==, 3);
  g_clear_object (&list);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .query = "三组" }, 50, &total);
  g_assert_cmpuint (total, ==, 3);
  g_clear_object (&list);
  {
    g_autofree char *idn = id_number (20);
    list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .query = idn }, 50, &total);
    g_assert_cmpuint (total, ==, 1);
    g_clear_object (&list);
  }
  /* Mine: the mediator is an official of all three; the supervisor of none. */
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .mine_only = TRUE }, 50, &total);
  g_assert_cmpuint (total, ==, 3);
  g_clear_object (&list);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .mine_only = TRUE }, 50, &total);
  g_assert_cmpuint (total, ==, 0);
  g_clear_object (&list);

  counts = zz_store_household_counts (ts->store, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (counts), ==, 2);
  {
    g_autoptr(ZzRow) first = g_list_model_get_item (counts, 0);
    g_assert_cmpstr (zz_row_get (first, "code"), ==, VILLAGE_A);
    g_assert_cmpint (zz_row_get_int (first, "high"), ==, 1);
    g_assert_cmpint (zz_row_get_int (first, "medium"), ==, 1);
    g_assert_cmpint (zz_row_get_int (first, "low"), ==, 0);
    g_assert_cmpint (zz_row_get_int (first, "overdue"), ==, 1);
  }

  /* Visits: refusals first. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  before = zz_test_store_snapshot (ts);
  {
    ZzHouseholdVisitInput bad[] = {
      { "2026-03-27", "向网格", "情绪稳定", NULL, FALSE },   /* tomorrow */
      { "2026-02-30", "向网格", "情绪稳定", NULL, FALSE },
      { "26-3-20", "向网格", "情绪稳定", NULL, FALSE },
      { "2026-03-20", "", "情绪稳定", NULL, FALSE },
      { "2026-03-20", "向网格", " ", NULL, FALSE },
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_assert_false (zz_store_log_household_visit (ts->store, a, &bad[i], NULL, &error));
        zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
        g_clear_error (&error);
      }
  }
  {
    /* Written as the trial's clerk wrote it; stored as 2026-03-25. */
    ZzHouseholdVisitInput v = { "2026/3/25", "向网格, 田村长", "戒毒所出来后情绪稳定", "联系就业", TRUE };
    g_assert_true (zz_store_log_household_visit (ts->store, a, &v, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, a);
    g_assert_cmpstr (zz_row_get (h, "last_visit"), ==, "2026-03-25");
    g_assert_cmpstr (zz_row_get (h, "next_due"), ==, "2026-04-01");
    g_assert_cmpint (zz_row_get_int (h, "overdue"), ==, 0);
  }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE tbl = 'household_visit' AND kind = 'append'"), ==, 1);

  /* An edited cadence (high: every 3 days) moves the due date; only a supervisor may edit it. */
  {
    ZzRiskScheme s;
    zz_store_get_risk_scheme (ts->store, &s);
    s.cadence[ZZ_GRADE_HIGH] = (ZzCadence) { 3, ZZ_CADENCE_DAYS };
    g_free (before);
    before = zz_test_store_snapshot (ts);
    g_assert_false (zz_store_set_risk_scheme (ts->store, &s, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
    g_clear_error (&error);
    zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
    s.high_min = 1;
    g_assert_false (zz_store_set_risk_scheme (ts->store, &s, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    s.high_min = 60;
    g_assert_true (zz_store_set_risk_scheme (ts->store, &s, &error));
    g_assert_no_error (error);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE tbl = 'risk_scheme'"), ==, 1);
    {
      g_autoptr(ZzRow) h = zz_store_get_household (ts->store, a);
      g_assert_cmpstr (zz_row_get (h, "next_due"), ==, "2026-03-28");
    }
    /* A scheme from the prefecture (as a bundle would bring it) wins and cannot be edited here. */
    zz_test_store_exec (ts, "INSERT INTO risk_scheme (id, home, created_hlc, updated_hlc, scheme)"
                            " VALUES ('p', '4331', 1, 1, 'cad_high=2d')");
    {
      g_autoptr(ZzRow) h = zz_store_get_household (ts->store, a);
      g_assert_cmpstr (zz_row_get (h, "next_due"), ==, "2026-03-27");
    }
    g_free (before);
    before = zz_test_store_snapshot (ts);
    g_assert_false (zz_store_set_risk_scheme (ts->store, &s, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
    g_clear_error (&error);
    zz_test_store_exec (ts, "DELETE FROM risk_scheme WHERE id = 'p'");
  }

  /* De-listing: a reason, then the township's approval. */
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_request_delist (ts->store, c, "老人已随子女迁居", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_store_decide_delist (ts->store, c, TRUE, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_false (zz_store_request_delist (ts->store, c, "  ", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_store_request_delist (ts->store, c, "老人已随子女迁居", &error));
  g_assert_no_error (error);
  g_assert_false (zz_store_decide_delist (ts->store, c, TRUE, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  g_assert_true (zz_store_decide_delist (ts->store, c, TRUE, "核实属实", &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) h = zz_store_get_household (ts->store, c);
    g_assert_cmpstr (zz_row_get (h, "status"), ==, "delisted");
    g_assert_cmpstr (zz_row_get (h, "delist_reason"), ==, "老人已随子女迁居");
    g_assert_cmpint (zz_row_get_int (h, "overdue"), ==, 0);
  }
  list = zz_store_list_households (ts->store, NULL, 50, &total);
  g_assert_cmpuint (total, ==, 2);
  g_clear_object (&list);
  list = zz_store_list_households (ts->store, &(ZzHouseholdFilter) { .grade = -1, .delisted = TRUE }, 50, &total);
  g_assert_cmpuint (total, ==, 1);
  g_clear_object (&list);
  /* A de-listed household takes no more visits. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  {
    ZzHouseholdVisitInput v = { "2026-03-25", "向网格", "已搬走", NULL, FALSE };
    g_assert_false (zz_store_log_household_visit (ts->store, c, &v, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
    g_clear_error (&error);
  }
  /* The administrator does not see households at all. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  list = zz_store_list_households (ts->store, NULL, 50, &total);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_null (zz_store_get_household (ts->store, a));
  {
    g_autoptr(GListModel) m = zz_store_household_members (ts->store, a);
    g_autoptr(GListModel) v = zz_store_household_visits (ts->store, a);
    g_autoptr(GListModel) s = zz_store_household_signoffs (ts->store, a);
    g_assert_cmpuint (g_list_model_get_n_items (m), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (v), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (s), ==, 0);
  }
}

static const char *
problem_at (GListModel *problems, guint i, gint64 *line)
{
  g_autoptr(ZzRow) p = g_list_model_get_item (problems, i);

  *line = zz_row_get_int (p, "line");
  /* The row outlives this reference: the model holds it. */
  return zz_row_get (p, "reason");
}

static void
test_import_csv (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzHouseholdImport) imp = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *on_file = id_number (1);
  g_autofree char *fresh = id_number (70);
  g_autofree char *csv = NULL;
  guint good = 99;
  static const struct {
    gint64 line;
    const char *reason;
  } expect[] = {
    { 2, "invalid ID number" },
    { 3, "invalid phone" },
    { 4, "unknown village" },
    { 5, "missing name" },
    { 7, "duplicate ID number (also on line 6)" },
    { 8, "ID number already on file" },
    { 9, "missing responsible official" },
    { 10, "missing address" },
  };

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_free (register_one (ts, VILLAGE_A, "张三", 1, &error));
  g_assert_no_error (error);

  /* A file of bad rows but one, the register way: Chinese titles, a quoted field, CRLF. */
  csv = g_strdup_printf ("户主姓名,所属村,家庭住址,身份证号码,联系电话,包保责任人\r\n"
                         "李一,龙溪口村,一组1号,433122198001010010,,田支书\r\n"
                         "李二,龙溪口村,一组2号,,12345,田支书\r\n"
                         "李三,火星村,一组3号,,,田支书\r\n"
                         ",龙溪口村,一组4号,,,田支书\r\n"
                         "李五,六里村,\"一组5号,西头\",%s,13907430005,田支书\r\n"
                         "李六,六里村,一组6号,%s,,田支书\r\n"
                         "李七,六里村,一组7号,%s,,田支书\r\n"
                         "李八,六里村,一组8号,,,\r\n"
                         "李九,六里村,,,,田支书\r\n",
                         fresh, fresh, on_file);
  imp = zz_household_import_new (csv, strlen (csv), &error);
  g_assert_no_error (error);
  g_assert_cmpint (zz_household_import_get_mapping (imp, ZZ_HH_COL_NAME), ==, 0);
  g_assert_cmpint (zz_household_import_get_mapping (imp, ZZ_HH_COL_OFFICIAL), ==, 5);
  g_assert_cmpint (zz_household_import_get_mapping (imp, ZZ_HH_COL_NOTES), ==, -1);

  /* The reception clerk may not import. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_household_import_run (imp, ts->store, TRUE, NULL, NULL, &good, &problems, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  /* The dry run writes nothing and names every bad line with its reason. */
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_household_import_run (imp, ts->store, FALSE, NULL, NULL, &good, &problems, &error));
  g_assert_no_error (error);
  {
    g_autofree char *after = zz_test_store_snapshot (ts);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpuint (good, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      gint64 line;
      const char *reason = problem_at (problems, i, &line);
      g_assert_cmpint (line, ==, expect[i].line);
      if (!strstr (reason, expect[i].reason))
        g_error ("line %lld: “%s” does not say “%s”", (long long) line, reason, expect[i].reason);
    }
  g_clear_object (&problems);

  /* With the only good row made bad too (no address column), the import adds nothing. */
  zz_household_import_set_mapping (imp, ZZ_HH_COL_ADDRESS, -1);
  g_assert_false (zz_household_import_run (imp, ts->store, TRUE, NULL, NULL, &good, &problems, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  zz_household_import_set_mapping (imp, ZZ_HH_COL_ADDRESS, 2);

  /* Confirmed: the good row is added, in one transaction, with its ops. */
  g_assert_true (zz_household_import_run (imp, ts->store, TRUE, NULL, NULL, &good, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (good, ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household"), ==, 2);
  {
    g_autofree char *addr = zz_test_store_text (ts, "SELECT address FROM household WHERE head_name = '李五'");
    g_assert_cmpstr (addr, ==, "一组5号,西头");
  }
  g_clear_object (&problems);
  /* Imported again, the same file now finds its good row on file. */
  g_assert_true (zz_household_import_run (imp, ts->store, FALSE, NULL, NULL, &good, &problems, &error));
  g_assert_cmpuint (good, ==, 0);
  g_clear_pointer (&imp, zz_household_import_free);

  /* A file that is not CSV at all is refused before anything. */
  imp = zz_household_import_new ("", 0, &error);
  g_assert_null (imp);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
}


/* The dry run is the import's own check: every row it counts as "can be added" is added, and a
 * row the registration would refuse (address, relation, grid worker or official too long) is
 * named with the registration's reason. A role that may import but not register households is
 * told so before anything, not promised rows. */
static void
test_import_dry_run_is_the_import (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzHouseholdImport) imp = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *long201 = g_strnfill (201, 'a');
  g_autofree char *long51 = g_strnfill (51, 'b');
  g_autofree char *long21 = g_strnfill (21, 'c');
  g_autofree char *csv = NULL;
  guint good = 99, added = 99;
  static const struct {
    gint64 line;
    const char *reason;
  } expect[] = {
    { 3, "address" },
    { 4, "relation" },
    { 5, "grid worker" },
    { 6, "official" },
  };

  csv = g_strdup_printf ("户主姓名,所属村,家庭住址,与户主关系,网格员,包保责任人,联系电话\n"
                         "李一,龙溪口村,一组1号,户主,向网格,田支书,0743-4521234#123\n"
                         "李二,龙溪口村,%s,户主,向网格,田支书,\n"
                         "李三,龙溪口村,一组3号,%s,向网格,田支书,\n"
                         "李四,龙溪口村,一组4号,户主,%s,田支书,\n"
                         "李五,龙溪口村,一组5号,户主,向网格,%s,\n"
                         "李六,六里村,一组6号,,,田支书,13907430006\n",
                         long201, long21, long51, long51);
  imp = zz_household_import_new (csv, strlen (csv), &error);
  g_assert_no_error (error);

  /* the supervisor may import a register but not register households: refused up front */
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_household_import_run (imp, ts->store, FALSE, NULL, NULL, &good, &problems, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_true (zz_household_import_run (imp, ts->store, FALSE, NULL, NULL, &good, &problems, &error));
  g_assert_no_error (error);
  {
    g_autofree char *after = zz_test_store_snapshot (ts);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpuint (good, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      gint64 line;
      const char *reason = problem_at (problems, i, &line);
      g_assert_cmpint (line, ==, expect[i].line);
      if (!strstr (reason, expect[i].reason))
        g_error ("line %lld: “%s” does not say “%s”", (long long) line, reason, expect[i].reason);
    }
  g_clear_object (&problems);

  /* the promise kept: the two rows are added */
  g_assert_true (zz_household_import_run (imp, ts->store, TRUE, NULL, NULL, &added, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, good);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household"), ==, 2);

  /* the extension stored validates again as itself */
  {
    g_autofree char *phone = zz_test_store_text (ts, "SELECT phone FROM household_member WHERE name = '李一'");
    g_autofree char *again = NULL;

    g_assert_cmpstr (phone, ==, "07434521234#123");
    g_assert_true (zz_phone_validate (phone, &again, &error));
    g_assert_cmpstr (again, ==, phone);
  }
}

char *zz_cases_normalise_query (const char *query);

/* A search typed as invalid UTF-8 (a sequence cut at the end) finds no one and no case; it is
 * not read past its end, and it is not taken for an empty search (which lists every case). */
static void
test_search_invalid_utf8 (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  const char *bad[] = { "李一\xe5", "\xe5\xe5", "13907\xe4\xb8" };

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup (bad[i]);
      g_autoptr(GListModel) persons = zz_store_find_persons (ts->store, text, 10);
      g_autofree char *q = zz_cases_normalise_query (text);

      g_assert_cmpuint (g_list_model_get_n_items (persons), ==, 0);
      g_assert_true (g_utf8_validate (q, -1, NULL));
      g_assert_cmpstr (q, !=, "");
    }
}

static char *
run_cli (const char *db, int *status, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("ZZ_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (ap, status);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &wait_status, &error));
  g_assert_no_error (error);
  *status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
  return out;
}

static void
test_cli (void)
{
  g_autoptr(ZzTestStore) ts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *out = NULL;
  g_autofree char *fresh = id_number (80);
  g_autofree char *csv = NULL;
  int status = 0;

  if (!g_getenv ("ZZ_CLI"))
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  ts = zz_test_store_new ();
  csv_path = g_build_filename (ts->dir, "register.csv", NULL);
  csv = g_strdup_printf ("姓名,村,地址,身份证号,包保责任人\n"
                         "向一,龙溪口村,一组1号,%s,田支书\n"
                         "向二,龙溪口村,一组2号,%s,田支书\n", fresh, fresh);
  g_assert_true (g_file_set_contents (csv_path, csv, -1, NULL));

  /* The dry run reports the duplicate by line, fails, and writes nothing. */
  before = zz_test_store_snapshot (ts);
  out = run_cli (ts->path, &status, "--as", "mediator", "households", "import", csv_path, "--dry-run", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (out, "line 3: duplicate ID number (also on line 2)"));
  {
    g_autofree char *after = zz_test_store_snapshot (ts);
    g_assert_cmpstr (after, ==, before);
  }
  g_free (out);
  /* The reception clerk may not import. */
  out = run_cli (ts->path, &status, "--as", "clerk", "households", "import", csv_path, NULL);
  g_assert_cmpint (status, !=, 0);
  g_free (out);
  /* Imported: the good row is added; the list shows it. */
  out = run_cli (ts->path, &status, "--as", "mediator", "households", "import", csv_path, NULL);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM household"), ==, 1);
  g_free (out);
  out = run_cli (ts->path, &status, "--as", "mediator", "households", "list", "--search", "向一", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "向一"));
  g_assert_nonnull (strstr (out, "龙溪口村"));
  g_free (out);
  out = run_cli (ts->path, &status, "--as", "mediator", "households", "counts", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "433122102200"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/households/register-refusals", test_register_and_refusals);
  g_test_add_func ("/households/edit-members", test_edit_and_members);
  g_test_add_func ("/households/assess-grade-signoff", test_assess_grade_signoff);
  g_test_add_func ("/households/signoff-never-stuck", test_signoff_never_stuck);
  g_test_add_func ("/households/assess-propose-all-or-nothing", test_assess_and_propose_all_or_nothing);
  g_test_add_func ("/households/visits-due-overdue", test_visits_due_and_overdue);
  g_test_add_func ("/households/import-csv", test_import_csv);
  g_test_add_func ("/households/import-dry-run-is-the-import", test_import_dry_run_is_the_import);
  g_test_add_func ("/households/search-invalid-utf8", test_search_invalid_utf8);
  g_test_add_func ("/households/cli", test_cli);
  return g_test_run ();
}
