/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-case-rules.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

static void
test_tier_boundaries (void)
{
  ZzTierLimits l;

  zz_tier_limits_default (&l);
  g_assert_cmpint (l.village_max, ==, 3);
  g_assert_cmpint (l.township_max, ==, 2);
  g_assert_cmpint (l.county_min_departments, ==, 2);
  g_assert_true (zz_tier_limits_valid (&l));

  /* Village: attempts 1..3 allowed, the 4th refused. */
  for (int done = 0; done < 3; done++)
    g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, done, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, 3, FALSE, 0), ==, ZZ_TIER_LIMIT_REACHED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, 4, FALSE, 0), ==, ZZ_TIER_LIMIT_REACHED);
  /* Township: 1..2, the 3rd refused. */
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_TOWNSHIP, 0, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_TOWNSHIP, 1, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_TOWNSHIP, 2, FALSE, 0), ==, ZZ_TIER_LIMIT_REACHED);
  /* County: a joint consultation of at least two departments, once. */
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 0, FALSE, 3), ==, ZZ_TIER_NEEDS_DEPARTMENTS);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 0, TRUE, 1), ==, ZZ_TIER_NEEDS_DEPARTMENTS);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 0, TRUE, 2), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 1, TRUE, 2), ==, ZZ_TIER_LIMIT_REACHED);
  /* Prefecture: no limit. */
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_PREFECTURE, 0, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_PREFECTURE, 50, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_N_LEVELS, 0, FALSE, 0), ==, ZZ_TIER_BAD_LEVEL);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, -1, FALSE, 0), ==, ZZ_TIER_BAD_LEVEL);

  /* Limits are parameters. */
  l.village_max = 1;
  l.township_max = 4;
  l.county_min_departments = 3;
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, 0, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_VILLAGE, 1, FALSE, 0), ==, ZZ_TIER_LIMIT_REACHED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_TOWNSHIP, 3, FALSE, 0), ==, ZZ_TIER_ALLOWED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_TOWNSHIP, 4, FALSE, 0), ==, ZZ_TIER_LIMIT_REACHED);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 0, TRUE, 2), ==, ZZ_TIER_NEEDS_DEPARTMENTS);
  g_assert_cmpint (zz_tier_check_attempt (&l, ZZ_LEVEL_COUNTY, 0, TRUE, 3), ==, ZZ_TIER_ALLOWED);

  l.village_max = 0;
  g_assert_false (zz_tier_limits_valid (&l));
  l.village_max = ZZ_TIER_LIMIT_MAX + 1;
  g_assert_false (zz_tier_limits_valid (&l));
  l.village_max = ZZ_TIER_LIMIT_MAX;
  g_assert_true (zz_tier_limits_valid (&l));

  /* Escalation one level at a time, none past the prefecture. */
  g_assert_cmpint (zz_tier_next_level (ZZ_LEVEL_VILLAGE), ==, ZZ_LEVEL_TOWNSHIP);
  g_assert_cmpint (zz_tier_next_level (ZZ_LEVEL_TOWNSHIP), ==, ZZ_LEVEL_COUNTY);
  g_assert_cmpint (zz_tier_next_level (ZZ_LEVEL_COUNTY), ==, ZZ_LEVEL_PREFECTURE);
  g_assert_cmpint (zz_tier_next_level (ZZ_LEVEL_PREFECTURE), ==, ZZ_N_LEVELS);

  /* Excess from offline nodes: kept and counted, never negative. */
  zz_tier_limits_default (&l);
  g_assert_cmpint (zz_tier_excess (&l, ZZ_LEVEL_VILLAGE, 2), ==, 0);
  g_assert_cmpint (zz_tier_excess (&l, ZZ_LEVEL_VILLAGE, 3), ==, 0);
  g_assert_cmpint (zz_tier_excess (&l, ZZ_LEVEL_VILLAGE, 5), ==, 2);
  g_assert_cmpint (zz_tier_excess (&l, ZZ_LEVEL_TOWNSHIP, 3), ==, 1);
  g_assert_cmpint (zz_tier_excess (&l, ZZ_LEVEL_PREFECTURE, 99), ==, 0);

  g_assert_cmpint (zz_case_level_from_string ("township"), ==, ZZ_LEVEL_TOWNSHIP);
  g_assert_cmpint (zz_case_level_from_string ("city"), ==, ZZ_N_LEVELS);
  g_assert_cmpint (zz_case_level_from_string (NULL), ==, ZZ_N_LEVELS);
  g_assert_cmpstr (zz_case_level_to_string (ZZ_LEVEL_COUNTY), ==, "county");
  g_assert_cmpint (zz_case_level_of_org_unit (5), ==, ZZ_LEVEL_VILLAGE);
  g_assert_cmpint (zz_case_level_of_org_unit (4), ==, ZZ_LEVEL_TOWNSHIP);
  g_assert_cmpint (zz_case_level_of_org_unit (3), ==, ZZ_LEVEL_COUNTY);
  g_assert_cmpint (zz_case_level_of_org_unit (2), ==, ZZ_LEVEL_PREFECTURE);
}

static void
test_lifecycle (void)
{
  g_assert_true (zz_case_status_allows ("registered", ZZ_CASE_ACT_DISPATCH));
  g_assert_true (zz_case_status_allows ("reopened", ZZ_CASE_ACT_MEDIATE));
  g_assert_false (zz_case_status_allows ("concluded", ZZ_CASE_ACT_MEDIATE));
  g_assert_false (zz_case_status_allows ("archived", ZZ_CASE_ACT_SUPERVISE));
  g_assert_true (zz_case_status_allows ("concluded", ZZ_CASE_ACT_RETURN_VISIT));
  g_assert_false (zz_case_status_allows ("in_progress", ZZ_CASE_ACT_RETURN_VISIT));
  g_assert_false (zz_case_status_allows ("in_progress", ZZ_CASE_ACT_ARCHIVE));
  g_assert_true (zz_case_status_allows ("concluded", ZZ_CASE_ACT_ARCHIVE));
  g_assert_false (zz_case_status_allows ("archived", ZZ_CASE_ACT_ARCHIVE));
  g_assert_false (zz_case_status_allows ("bogus", ZZ_CASE_ACT_CONCLUDE));
  g_assert_true (zz_case_status_is_open ("dispatched"));
  g_assert_false (zz_case_status_is_open ("concluded"));
}

static void
test_deadlines (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  /* 2026-03-02 09:00 +08:00 */
  g_autoptr(GDateTime) start = g_date_time_new (tz, 2026, 3, 2, 9, 0, 0);
  gint64 start_ms = g_date_time_to_unix (start) * 1000;
  gint64 deadline = zz_deadline_after_days (start_ms, 7, tz);
  g_autoptr(GDateTime) d = g_date_time_to_timezone (g_date_time_new_from_unix_utc (deadline / 1000), tz);

  g_assert_nonnull (tz);
  /* Seven days: the end of Monday the 9th, local time. */
  g_assert_cmpint (g_date_time_get_day_of_month (d), ==, 9);
  g_assert_cmpint (g_date_time_get_hour (d), ==, 23);
  g_assert_cmpint (g_date_time_get_minute (d), ==, 59);
  g_assert_cmpint (zz_overdue_days (deadline, deadline), ==, 0);
  g_assert_cmpint (zz_overdue_days (deadline, deadline + 1), ==, 1);
  g_assert_cmpint (zz_overdue_days (deadline, deadline + DAY_MS), ==, 1);
  g_assert_cmpint (zz_overdue_days (deadline, deadline + DAY_MS + 1), ==, 2);
  g_assert_cmpint (zz_overdue_days (0, deadline), ==, 0);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline - 2 * DAY_MS), ==, ZZ_OVERDUE_NONE);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline - DAY_MS + 1), ==, ZZ_OVERDUE_DUE_SOON);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline + 1), ==, ZZ_OVERDUE_LATE);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline + 3 * DAY_MS), ==, ZZ_OVERDUE_LATE);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline + 3 * DAY_MS + 1), ==, ZZ_OVERDUE_SERIOUS);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline + 7 * DAY_MS), ==, ZZ_OVERDUE_SERIOUS);
  g_assert_cmpint (zz_overdue_grade (deadline, deadline + 7 * DAY_MS + 1), ==, ZZ_OVERDUE_GRAVE);

  /* Defaults: every category and urgency has 1..365 days; urgent is sooner than normal. */
  {
    guint nc, nu;
    const ZzVocab *cats = zz_case_categories (&nc);
    const ZzVocab *urg = zz_case_urgencies (&nu);
    for (guint c = 0; c < nc; c++)
      {
        int prev = 366;
        for (guint u = 0; u < nu; u++)
          {
            int days = zz_deadline_default_days (cats[c].key, urg[u].key);
            g_assert_cmpint (days, >=, 1);
            g_assert_cmpint (days, <=, 365);
            g_assert_cmpint (days, <=, prev);
            prev = days;
          }
      }
    g_assert_cmpint (zz_deadline_default_days ("labour", "normal"), ==, 7);
    g_assert_cmpint (zz_deadline_default_days ("labour", "critical"), ==, 1);
  }
}

static void
test_case_numbers (void)
{
  g_autofree char *tag_a = zz_case_node_tag ("0190a1b2-0000-7000-8000-000000000001");
  g_autofree char *tag_b = zz_case_node_tag ("0190a1b2-0000-7000-8000-000000000002");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *unit = NULL, *tag = NULL;
  int year = 0;
  gint64 seq = 0;

  g_assert_cmpuint (strlen (tag_a), ==, 4);
  g_assert_cmpstr (tag_a, !=, tag_b);
  {
    g_autofree char *again = zz_case_node_tag ("0190a1b2-0000-7000-8000-000000000001");
    g_assert_cmpstr (again, ==, tag_a);
  }

  /* Two nodes of the same township register at once, each counting from 1 on its own. */
  for (gint64 i = 1; i <= 500; i++)
    {
      char *a = zz_case_number_format ("433122100", 2026, i, tag_a);
      char *b = zz_case_number_format ("433122100", 2026, i, tag_b);
      g_assert_true (g_hash_table_add (seen, a));
      g_assert_true (g_hash_table_add (seen, b));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1000);

  {
    g_autofree char *n = zz_case_number_format ("433122", 2026, 42, tag_a);
    g_autofree char *later = zz_case_number_format ("433122", 2026, 43, tag_a);
    g_autofree char *next_year = zz_case_number_format ("433122", 2027, 1, tag_a);
    g_autofree char *expect = g_strdup_printf ("433122-2026-00042-%s", tag_a);

    g_assert_cmpstr (n, ==, expect);
    g_assert_cmpint (strcmp (n, later), <, 0);
    g_assert_cmpint (strcmp (later, next_year), <, 0);
    g_assert_true (zz_case_number_parse (n, &unit, &year, &seq, &tag));
    g_assert_cmpstr (unit, ==, "433122");
    g_assert_cmpint (year, ==, 2026);
    g_assert_cmpint (seq, ==, 42);
    g_assert_cmpstr (tag, ==, tag_a);
  }
  g_assert_false (zz_case_number_parse ("433122-2026-00042", NULL, NULL, NULL, NULL));
  g_assert_false (zz_case_number_parse ("43312A-2026-00042-ABCD", NULL, NULL, NULL, NULL));
  g_assert_false (zz_case_number_parse ("433122-26-00042-ABCD", NULL, NULL, NULL, NULL));
  g_assert_false (zz_case_number_parse ("433122-2026-00000-ABCD", NULL, NULL, NULL, NULL));
  g_assert_false (zz_case_number_parse ("433122-2026-00042-ABCU", NULL, NULL, NULL, NULL));
  g_assert_false (zz_case_number_parse (NULL, NULL, NULL, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/case-rules/tier-boundaries", test_tier_boundaries);
  g_test_add_func ("/case-rules/lifecycle", test_lifecycle);
  g_test_add_func ("/case-rules/deadlines", test_deadlines);
  g_test_add_func ("/case-rules/case-numbers", test_case_numbers);
  return g_test_run ();
}
