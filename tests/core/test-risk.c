/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-error.h"
#include "zz-risk.h"

#define BIT(f) (1u << (f))

static void
test_score_and_grade_boundaries (void)
{
  ZzRiskScheme s;

  zz_risk_scheme_init_default (&s);
  g_assert_cmpuint (zz_risk_score (&s, 0), ==, 0);
  g_assert_cmpuint (zz_risk_score (&s, BIT (ZZ_RISK_DRUG_USE)), ==, 40);
  g_assert_cmpuint (zz_risk_score (&s, BIT (ZZ_RISK_DRUG_USE) | BIT (ZZ_RISK_HEAVY_DEBT)), ==, 60);
  g_assert_cmpuint (zz_risk_score (&s, (1u << ZZ_RISK_N_FACTORS) - 1), ==, 255);
  /* Bits beyond the factors count for nothing. */
  g_assert_cmpuint (zz_risk_score (&s, 1u << 30), ==, 0);

  /* Every boundary of the default scheme: medium from 30, high from 60. */
  g_assert_cmpint (zz_risk_grade_for_score (&s, 0), ==, ZZ_GRADE_LOW);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 29), ==, ZZ_GRADE_LOW);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 30), ==, ZZ_GRADE_MEDIUM);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 59), ==, ZZ_GRADE_MEDIUM);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 60), ==, ZZ_GRADE_HIGH);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 1000), ==, ZZ_GRADE_HIGH);

  /* An edited scheme moves the boundaries and the weights. */
  s.medium_min = 10;
  s.high_min = 11;
  s.weights[ZZ_RISK_ELDERLY_ALONE] = 9;
  g_assert_cmpint (zz_risk_grade_for_score (&s, zz_risk_score (&s, BIT (ZZ_RISK_ELDERLY_ALONE))), ==, ZZ_GRADE_LOW);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 10), ==, ZZ_GRADE_MEDIUM);
  g_assert_cmpint (zz_risk_grade_for_score (&s, 11), ==, ZZ_GRADE_HIGH);
}

static void
test_scheme_text (void)
{
  ZzRiskScheme s, back;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  zz_risk_scheme_init_default (&s);
  s.weights[ZZ_RISK_OTHER] = 77;
  s.cadence[ZZ_GRADE_HIGH] = (ZzCadence) { 10, ZZ_CADENCE_DAYS };
  text = zz_risk_scheme_to_string (&s);
  g_assert_true (zz_risk_scheme_parse (text, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&s, sizeof s, &back, sizeof back);

  g_assert_false (zz_risk_scheme_parse ("drug_use=101", &back, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_false (zz_risk_scheme_parse ("medium=60;high=60", &back, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_risk_scheme_parse ("cad_low=0m", &back, &error));
  g_clear_error (&error);
  g_assert_false (zz_risk_scheme_parse ("cad_low=3y", &back, &error));
  g_clear_error (&error);
  /* An empty text is the default scheme. */
  g_assert_true (zz_risk_scheme_parse ("", &back, NULL));
  zz_risk_scheme_init_default (&s);
  g_assert_cmpmem (&s, sizeof s, &back, sizeof back);
}

static void
test_factors_text (void)
{
  guint bits = 0;
  g_autofree char *text = zz_risk_factors_to_string (BIT (ZZ_RISK_FAMILY_CONFLICT) | BIT (ZZ_RISK_OTHER));

  g_assert_cmpstr (text, ==, "family_conflict,other");
  g_assert_true (zz_risk_factors_parse (text, &bits));
  g_assert_cmpuint (bits, ==, BIT (ZZ_RISK_FAMILY_CONFLICT) | BIT (ZZ_RISK_OTHER));
  g_assert_false (zz_risk_factors_parse ("family_conflict,witchcraft", &bits));
}

static void
check_due (const ZzRiskScheme *s, ZzGrade g, const char *visit, const char *graded, const char *expect)
{
  g_autofree char *due = zz_risk_next_due (s, g, visit, graded);
  g_assert_cmpstr (due, ==, expect);
}

static void
test_cadence_and_due_dates (void)
{
  ZzRiskScheme s;
  ZzCadence c;

  zz_risk_scheme_init_default (&s);
  /* Weekly across a month end and a year end. */
  check_due (&s, ZZ_GRADE_HIGH, "2024-01-29", NULL, "2024-02-05");
  check_due (&s, ZZ_GRADE_HIGH, "2024-12-28", NULL, "2025-01-04");
  check_due (&s, ZZ_GRADE_HIGH, "2024-02-26", NULL, "2024-03-04");
  /* Monthly keeps the day, clamped to a shorter month; leap and common years. */
  check_due (&s, ZZ_GRADE_MEDIUM, "2024-01-31", NULL, "2024-02-29");
  check_due (&s, ZZ_GRADE_MEDIUM, "2023-01-31", NULL, "2023-02-28");
  check_due (&s, ZZ_GRADE_MEDIUM, "2024-03-31", NULL, "2024-04-30");
  check_due (&s, ZZ_GRADE_MEDIUM, "2024-12-15", NULL, "2025-01-15");
  /* Quarterly. */
  check_due (&s, ZZ_GRADE_LOW, "2024-11-30", NULL, "2025-02-28");
  check_due (&s, ZZ_GRADE_LOW, "2023-11-30", NULL, "2024-02-29");
  check_due (&s, ZZ_GRADE_LOW, "2024-05-31", NULL, "2024-08-31");
  /* No visit yet: from the day the grade took effect; a later grade restarts the count. */
  check_due (&s, ZZ_GRADE_HIGH, NULL, "2024-03-01", "2024-03-08");
  check_due (&s, ZZ_GRADE_HIGH, "2024-01-10", "2024-03-01", "2024-03-08");
  check_due (&s, ZZ_GRADE_HIGH, "2024-03-05", "2024-03-01", "2024-03-12");
  /* No grade, or nothing to count from: no due date. */
  check_due (&s, ZZ_GRADE_NONE, "2024-03-05", "2024-03-01", NULL);
  check_due (&s, ZZ_GRADE_LOW, NULL, NULL, NULL);
  check_due (&s, ZZ_GRADE_LOW, "2024-02-30", NULL, NULL);

  /* An edited cadence. */
  s.cadence[ZZ_GRADE_HIGH] = (ZzCadence) { 10, ZZ_CADENCE_DAYS };
  check_due (&s, ZZ_GRADE_HIGH, "2024-02-25", NULL, "2024-03-06");
  s.cadence[ZZ_GRADE_HIGH] = (ZzCadence) { 2, ZZ_CADENCE_WEEKS };
  check_due (&s, ZZ_GRADE_HIGH, "2024-02-25", NULL, "2024-03-10");

  g_assert_true (zz_cadence_parse ("12m", &c));
  g_assert_cmpuint (c.count, ==, 12);
  g_assert_cmpint (c.unit, ==, ZZ_CADENCE_MONTHS);
  g_assert_false (zz_cadence_parse ("100d", &c));
  g_assert_false (zz_cadence_parse ("w", &c));
  g_assert_false (zz_cadence_parse ("-1w", &c));
}

static void
test_signoff_order_and_roles (void)
{
  g_autoptr(GError) error = NULL;

  /* The happy path, each step by a different person with an allowed role. */
  g_assert_true (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_PROPOSED,
                                   ZZ_ROLE_CLERK, "u1", &error));
  g_assert_true (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_AGREED,
                                   ZZ_ROLE_MEDIATOR, "u2", &error));
  g_assert_true (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED, "u2", ZZ_SIGNOFF_APPROVED,
                                   ZZ_ROLE_SUPERVISOR, "u3", &error));
  g_assert_no_error (error);

  /* No approval before agreement; no agreement before a proposal; nothing after approval. */
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_APPROVED,
                                    ZZ_ROLE_SUPERVISOR, "u3", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_AGREED,
                                    ZZ_ROLE_MEDIATOR, "u2", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_APPROVED, "u3", ZZ_SIGNOFF_APPROVED,
                                    ZZ_ROLE_SUPERVISOR, "u4", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);

  /* The wrong role at each step. */
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_PROPOSED,
                                    ZZ_ROLE_ADMIN, "u1", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_AGREED,
                                    ZZ_ROLE_CLERK, "u2", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED, "u2", ZZ_SIGNOFF_APPROVED,
                                    ZZ_ROLE_MEDIATOR, "u3", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  /* The same person may not sign two steps in a row. */
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_AGREED,
                                    ZZ_ROLE_MEDIATOR, "u1", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  /* De-listing: requested, then approved by the township; no village step. */
  g_assert_cmpint (zz_signoff_next (ZZ_SIGNOFF_DELIST, ZZ_SIGNOFF_PROPOSED), ==, ZZ_SIGNOFF_APPROVED);
  g_assert_cmpint (zz_signoff_next (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_PROPOSED), ==, ZZ_SIGNOFF_AGREED);
  g_assert_true (zz_signoff_check (ZZ_SIGNOFF_DELIST, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_APPROVED,
                                   ZZ_ROLE_SUPERVISOR, "u3", &error));
  g_assert_false (zz_signoff_check (ZZ_SIGNOFF_DELIST, ZZ_SIGNOFF_PROPOSED, "u1", ZZ_SIGNOFF_AGREED,
                                    ZZ_ROLE_MEDIATOR, "u2", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);
}

/* ---- no dead end in the sign-off: every state × role, over every staffing of a centre ---- */

typedef struct {
  ZzRole role;
  const char *id;
} User;

typedef struct {
  ZzSignoffKind kind;
  ZzSignoffStep done;   /* NONE: no round open */
  int signer;           /* index of the last signer, -1 for none */
} State;

static gboolean
state_equal (const State *a, const State *b)
{
  return a->kind == b->kind && a->done == b->done && a->signer == b->signer;
}

static void
push_state (GArray *states, State st)
{
  for (guint i = 0; i < states->len; i++)
    if (state_equal (&g_array_index (states, State, i), &st))
      return;
  g_array_append_val (states, st);
}

/* The states reachable from "nothing open" with @users; every open one must let someone move it
 * (forward or back) and lead back to "nothing open". Returns how many states were seen. */
static guint
explore (const User *users, guint n_users, gboolean *out_completes)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (State));
  State start = { ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_NONE, -1 };

  *out_completes = FALSE;
  g_array_append_val (states, start);
  for (guint i = 0; i < states->len; i++)
    {
      State st = g_array_index (states, State, i);
      gboolean movable = FALSE, returnable = FALSE;

      if (st.done == ZZ_SIGNOFF_NONE)
        {
          for (ZzSignoffKind k = ZZ_SIGNOFF_GRADE; k <= ZZ_SIGNOFF_DELIST; k++)
            for (guint u = 0; u < n_users; u++)
              if (zz_signoff_check (k, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_PROPOSED, users[u].role, users[u].id, NULL))
                push_state (states, (State) { k, ZZ_SIGNOFF_PROPOSED, (int) u });
          continue;
        }
      for (guint u = 0; u < n_users; u++)
        {
          const char *last = st.signer >= 0 ? users[st.signer].id : NULL;
          guint options = zz_signoff_options (st.kind, st.done, last, users[u].role, users[u].id);
          ZzSignoffStep step = zz_signoff_next (st.kind, st.done);

          /* A role allowed the step can always send it back. */
          if (zz_role_can (users[u].role, zz_signoff_permission (st.kind, step)))
            g_assert_true (options & ZZ_SIGNOFF_CAN_RETURN);
          if (options)
            movable = TRUE;
          if (options & ZZ_SIGNOFF_CAN_RETURN)
            returnable = TRUE;
          if (options & ZZ_SIGNOFF_CAN_SIGN)
            {
              if (zz_signoff_next (st.kind, step) == ZZ_SIGNOFF_NONE)
                *out_completes = TRUE;
              else
                push_state (states, (State) { st.kind, step, (int) u });
            }
        }
      /* The regression: the only supervisor signed 村议定 and nobody could move the round. */
      g_assert_true (movable);
      g_assert_true (returnable);
    }
  return states->len;
}

static void
test_signoff_no_dead_end (void)
{
  static const User pool[] = {
    { ZZ_ROLE_ADMIN, "admin" }, { ZZ_ROLE_CLERK, "clerk" }, { ZZ_ROLE_MEDIATOR, "mediator" },
    { ZZ_ROLE_SUPERVISOR, "supervisor" }, { ZZ_ROLE_MEDIATOR, "mediator2" },
    { ZZ_ROLE_SUPERVISOR, "supervisor2" },
  };
  guint n_states = 0, n_staffings = 0;

  /* Every staffing: each subset of the six users above. */
  for (guint mask = 1; mask < (1u << G_N_ELEMENTS (pool)); mask++)
    {
      User users[G_N_ELEMENTS (pool)];
      guint n = 0;
      gboolean completes;

      guint held = 0;

      for (guint i = 0; i < G_N_ELEMENTS (pool); i++)
        if (mask & (1u << i))
          {
            users[n++] = pool[i];
            held |= zz_role_can (pool[i].role, ZZ_PERM_PROPOSE_GRADE) << 0
                    | zz_role_can (pool[i].role, ZZ_PERM_AGREE_GRADE) << 1
                    | zz_role_can (pool[i].role, ZZ_PERM_APPROVE_GRADE) << 2;
          }
      /* A centre with someone for each kind of step (whoever they are). */
      if (held != 7)
        continue;
      n_states += explore (users, n, &completes);
      n_staffings++;
      /* A clerk, a mediator and a supervisor can take a grade through all three steps. */
      if ((mask & 0x0e) == 0x0e)
        g_assert_true (completes);
    }
  g_test_message ("%u staffings, %u reachable states, none without a way on or back", n_staffings, n_states);

  /* Every state × role × (signed the previous step or not): the options are exactly the
   * decisions the check allows, and a refusal says who can. */
  for (ZzSignoffKind k = ZZ_SIGNOFF_GRADE; k <= ZZ_SIGNOFF_DELIST; k++)
    for (ZzSignoffStep done = ZZ_SIGNOFF_NONE; done <= ZZ_SIGNOFF_APPROVED; done++)
      for (ZzRole r = ZZ_ROLE_NONE; r < ZZ_N_ROLES; r++)
        for (int self_signed = 0; self_signed < 2; self_signed++)
          {
            ZzSignoffStep step = zz_signoff_next (k, done);
            const char *last = done == ZZ_SIGNOFF_NONE ? NULL : self_signed ? "me" : "other";
            guint options = zz_signoff_options (k, done, last, r, "me");
            g_autoptr(GError) error = NULL;
            gboolean can_sign, can_return;

            if (k == ZZ_SIGNOFF_DELIST && done == ZZ_SIGNOFF_AGREED)
              continue;   /* no such state: a de-listing has no village step */
            can_sign = step != ZZ_SIGNOFF_NONE && done != ZZ_SIGNOFF_NONE
                       && zz_signoff_decide_check (k, done, last, step, TRUE, r, "me", NULL);
            can_return = step != ZZ_SIGNOFF_NONE
                         && zz_signoff_decide_check (k, done, last, step, FALSE, r, "me", NULL);
            if (done != ZZ_SIGNOFF_NONE)
              g_assert_cmpuint (options & ZZ_SIGNOFF_CAN_SIGN, ==, can_sign ? ZZ_SIGNOFF_CAN_SIGN : 0);
            g_assert_cmpuint (options & ZZ_SIGNOFF_CAN_RETURN, ==, can_return ? ZZ_SIGNOFF_CAN_RETURN : 0);
            if (done == ZZ_SIGNOFF_NONE)
              g_assert_false (can_return);
            if (step != ZZ_SIGNOFF_NONE && done != ZZ_SIGNOFF_NONE && !can_sign)
              {
                g_assert_false (zz_signoff_decide_check (k, done, last, step, TRUE, r, "me", &error));
                g_assert_nonnull (error);
                g_assert_cmpstr (error->message, !=, "");
              }
          }

  /* The case of the trial: a mediator proposed, the only supervisor agreed; the supervisor may
   * not approve (four-eyes) but may send it back, and is told why. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *who = zz_signoff_who_can (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED);

    g_assert_cmpuint (zz_signoff_options (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED, "sup", ZZ_ROLE_SUPERVISOR, "sup"),
                      ==, ZZ_SIGNOFF_CAN_RETURN);
    g_assert_false (zz_signoff_decide_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED, "sup", ZZ_SIGNOFF_APPROVED, TRUE,
                                             ZZ_ROLE_SUPERVISOR, "sup", &error));
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
    g_assert_nonnull (strstr (error->message, "four-eyes"));
    g_assert_true (zz_signoff_decide_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_AGREED, "sup", ZZ_SIGNOFF_APPROVED, FALSE,
                                            ZZ_ROLE_SUPERVISOR, "sup", NULL));
    g_assert_nonnull (strstr (who, zz_role_display_name (ZZ_ROLE_SUPERVISOR)));
    g_assert_nonnull (strstr (who, "another person"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/risk/score-grade-boundaries", test_score_and_grade_boundaries);
  g_test_add_func ("/risk/scheme-text", test_scheme_text);
  g_test_add_func ("/risk/factors-text", test_factors_text);
  g_test_add_func ("/risk/cadence-due-dates", test_cadence_and_due_dates);
  g_test_add_func ("/risk/signoff-order-roles", test_signoff_order_and_roles);
  g_test_add_func ("/risk/signoff-no-dead-end", test_signoff_no_dead_end);
  return g_test_run ();
}
