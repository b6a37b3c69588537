/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/risk/score-grade-boundaries", test_score_and_grade_boundaries);
  g_test_add_func ("/risk/scheme-text", test_scheme_text);
  g_test_add_func ("/risk/factors-text", test_factors_text);
  g_test_add_func ("/risk/cadence-due-dates", test_cadence_and_due_dates);
  g_test_add_func ("/risk/signoff-order-roles", test_signoff_order_and_roles);
  return g_test_run ();
}
