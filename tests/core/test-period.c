/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-error.h"
#include "zz-period.h"

static void
assert_day (const GDate *d, int y, int m, int day)
{
  g_assert_true (g_date_valid (d));
  g_assert_cmpint (g_date_get_year (d), ==, y);
  g_assert_cmpint (g_date_get_month (d), ==, m);
  g_assert_cmpint (g_date_get_day (d), ==, day);
}

static void
assert_round_trip (const ZzPeriod *p, const char *text)
{
  g_autofree char *s = zz_period_to_string (p);
  ZzPeriod back;

  g_assert_cmpstr (s, ==, text);
  g_assert_true (zz_period_parse (s, &back, NULL));
  g_assert_cmpint (back.kind, ==, p->kind);
  g_assert_cmpint (g_date_compare (&back.first, &p->first), ==, 0);
  g_assert_cmpint (g_date_compare (&back.last, &p->last), ==, 0);
}

static void
test_parse (void)
{
  ZzPeriod p;
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_period_parse ("2024", &p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (p.kind, ==, ZZ_PERIOD_YEAR);
  g_assert_cmpint (p.year, ==, 2024);
  g_assert_cmpint (p.index, ==, 0);
  assert_day (&p.first, 2024, 1, 1);
  assert_day (&p.last, 2024, 12, 31);
  assert_round_trip (&p, "2024");

  g_assert_true (zz_period_parse (" 2024-02 ", &p, NULL));
  g_assert_cmpint (p.kind, ==, ZZ_PERIOD_MONTH);
  g_assert_cmpint (p.index, ==, 2);
  assert_day (&p.first, 2024, 2, 1);
  assert_day (&p.last, 2024, 2, 29);   /* a leap year */
  assert_round_trip (&p, "2024-02");
  g_assert_true (zz_period_parse ("2023-2", &p, NULL));
  assert_day (&p.last, 2023, 2, 28);

  g_assert_true (zz_period_parse ("2024-Q2", &p, NULL));
  g_assert_cmpint (p.kind, ==, ZZ_PERIOD_QUARTER);
  g_assert_cmpint (p.index, ==, 2);
  assert_day (&p.first, 2024, 4, 1);
  assert_day (&p.last, 2024, 6, 30);
  assert_round_trip (&p, "2024-Q2");
  g_assert_true (zz_period_parse ("2024q4", &p, NULL));
  assert_day (&p.first, 2024, 10, 1);
  assert_day (&p.last, 2024, 12, 31);

  g_assert_true (zz_period_parse ("2024-01-15..2024-06-30", &p, NULL));
  g_assert_cmpint (p.kind, ==, ZZ_PERIOD_CUSTOM);
  assert_day (&p.first, 2024, 1, 15);
  assert_day (&p.last, 2024, 6, 30);
  assert_round_trip (&p, "2024-01-15..2024-06-30");
  g_assert_true (zz_period_parse ("2024-03-01 .. 2024-03-01", &p, NULL));   /* one day */
  assert_day (&p.last, 2024, 3, 1);
}

static void
assert_refused (const char *text, const char *message)
{
  ZzPeriod p;
  g_autoptr(GError) error = NULL;

  g_assert_false (zz_period_parse (text, &p, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_parse_bad (void)
{
  assert_refused ("", "Enter a period");
  assert_refused (NULL, "Enter a period");
  assert_refused ("last year", "year of four digits");
  assert_refused ("24", "year of four digits");
  assert_refused ("1999", "between the years 2000 and 2100");
  assert_refused ("2101-01", "between the years 2000 and 2100");
  assert_refused ("2024-13", "numbered 01 to 12");
  assert_refused ("2024-00", "numbered 01 to 12");
  assert_refused ("202403", "Write a month as 2024-03");
  assert_refused ("2024-03x", "Write a month as 2024-03");
  assert_refused ("2024-Q5", "2024-Q1 to 2024-Q4");
  assert_refused ("2024-Q0", "2024-Q1 to 2024-Q4");
  assert_refused ("2024-Q", "2024-Q1 to 2024-Q4");
  assert_refused ("2024-02-30..2024-03-01", "with real days");
  assert_refused ("2024-01-01..", "with real days");
  assert_refused ("2024-06-30..2024-01-01", "after its last day");
  assert_refused ("2010-01-01..2020-01-01", "at most 10 years");
  assert_refused ("1999-12-31..2000-01-31", "between the years");
}

static void
test_custom (void)
{
  ZzPeriod p;
  GDate a, b;
  g_autoptr(GError) error = NULL;

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, 1, 1, 2010);
  g_date_set_dmy (&b, 31, 12, 2019);   /* exactly ten years */
  g_assert_true (zz_period_custom (&p, &a, &b, &error));
  g_assert_no_error (error);
  g_assert_false (zz_period_custom (&p, &b, &a, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
}

static void
test_bounds (void)
{
  g_autoptr(GTimeZone) cst = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  ZzPeriod p;
  gint64 from, to;

  g_assert_nonnull (cst);
  zz_period_month (&p, 2024, 3);
  zz_period_bounds (&p, utc, &from, &to);
  g_assert_cmpint (from, ==, G_GINT64_CONSTANT (1709251200000));   /* 2024-03-01T00:00Z */
  g_assert_cmpint (to, ==, G_GINT64_CONSTANT (1711929600000));     /* 2024-04-01T00:00Z */
  /* Local midnight: eight hours earlier in China. */
  zz_period_bounds (&p, cst, &from, &to);
  g_assert_cmpint (from, ==, G_GINT64_CONSTANT (1709251200000) - 8 * 3600 * 1000);
  g_assert_cmpint (to, ==, G_GINT64_CONSTANT (1711929600000) - 8 * 3600 * 1000);

  zz_period_year (&p, 2024);
  zz_period_bounds (&p, utc, &from, &to);
  g_assert_cmpint (to - from, ==, G_GINT64_CONSTANT (366) * 24 * 3600 * 1000);

  /* A custom range includes its last day. */
  g_assert_true (zz_period_parse ("2024-03-10..2024-03-10", &p, NULL));
  zz_period_bounds (&p, utc, &from, &to);
  g_assert_cmpint (to - from, ==, 24 * 3600 * 1000);
}

static void
test_step (void)
{
  ZzPeriod p;
  GDate d;
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *s6 = NULL, *s7 = NULL;

  zz_period_month (&p, 2024, 12);
  zz_period_step (&p, 1);
  s1 = zz_period_to_string (&p);
  g_assert_cmpstr (s1, ==, "2025-01");
  zz_period_step (&p, -1);
  zz_period_step (&p, -12);
  s2 = zz_period_to_string (&p);
  g_assert_cmpstr (s2, ==, "2023-12");

  zz_period_quarter (&p, 2024, 1);
  zz_period_step (&p, -1);
  s3 = zz_period_to_string (&p);
  g_assert_cmpstr (s3, ==, "2023-Q4");
  zz_period_step (&p, 1);
  zz_period_step (&p, 1);
  s4 = zz_period_to_string (&p);
  g_assert_cmpstr (s4, ==, "2024-Q2");

  zz_period_year (&p, 2024);
  zz_period_step (&p, -1);
  s5 = zz_period_to_string (&p);
  g_assert_cmpstr (s5, ==, "2023");

  /* A custom period moves by its own length. */
  g_assert_true (zz_period_parse ("2024-12-25..2025-01-03", &p, NULL));
  zz_period_step (&p, 1);
  s6 = zz_period_to_string (&p);
  g_assert_cmpstr (s6, ==, "2025-01-04..2025-01-13");
  zz_period_step (&p, -2);
  s7 = zz_period_to_string (&p);
  g_assert_cmpstr (s7, ==, "2024-12-15..2024-12-24");

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 15, 8, 2024);
  zz_period_containing (&p, ZZ_PERIOD_QUARTER, &d);
  g_assert_cmpint (p.index, ==, 3);
  assert_day (&p.first, 2024, 7, 1);
  assert_day (&p.last, 2024, 9, 30);
  zz_period_containing (&p, ZZ_PERIOD_MONTH, &d);
  assert_day (&p.last, 2024, 8, 31);
  zz_period_containing (&p, ZZ_PERIOD_YEAR, &d);
  g_assert_cmpint (p.year, ==, 2024);
  g_assert_cmpint (p.kind, ==, ZZ_PERIOD_YEAR);
  zz_period_containing (&p, ZZ_PERIOD_CUSTOM, &d);
  assert_day (&p.first, 2024, 8, 15);
  assert_day (&p.last, 2024, 8, 15);
}

static void
assert_months (const ZzPeriod *p, guint n, int y0, int m0, int y1, int m1)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (GDate));

  g_assert_cmpuint (zz_period_trend_months (p, days), ==, n);
  g_assert_cmpuint (days->len, ==, n);
  assert_day (&g_array_index (days, GDate, 0), y0, m0, 1);
  assert_day (&g_array_index (days, GDate, n - 1), y1, m1, 1);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (g_date_compare (&g_array_index (days, GDate, i - 1), &g_array_index (days, GDate, i)), <, 0);
}

static void
test_trend_months (void)
{
  ZzPeriod p;

  zz_period_year (&p, 2024);
  assert_months (&p, 12, 2024, 1, 2024, 12);
  zz_period_quarter (&p, 2024, 2);
  assert_months (&p, 3, 2024, 4, 2024, 6);
  zz_period_month (&p, 2024, 3);   /* the twelve months ending with it, across the year end */
  assert_months (&p, 12, 2023, 4, 2024, 3);
  g_assert_true (zz_period_parse ("2023-11-20..2024-02-05", &p, NULL));
  assert_months (&p, 4, 2023, 11, 2024, 2);
  g_assert_true (zz_period_parse ("2024-01-05..2024-01-20", &p, NULL));   /* within one month */
  assert_months (&p, 12, 2023, 2, 2024, 1);
}

static void
test_display (void)
{
  ZzPeriod p;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  zz_period_year (&p, 2024);
  a = zz_period_display (&p);
  g_assert_cmpstr (a, ==, "2024");
  zz_period_month (&p, 2024, 3);
  b = zz_period_display (&p);
  g_assert_cmpstr (b, ==, "2024-03");
  zz_period_quarter (&p, 2024, 2);
  c = zz_period_display (&p);
  g_assert_cmpstr (c, ==, "2024 Q2");
  g_assert_true (zz_period_parse ("2024-01-01..2024-06-30", &p, NULL));
  d = zz_period_display (&p);
  g_assert_cmpstr (d, ==, "2024-01-01 to 2024-06-30");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/period/parse", test_parse);
  g_test_add_func ("/period/parse-bad", test_parse_bad);
  g_test_add_func ("/period/custom", test_custom);
  g_test_add_func ("/period/bounds", test_bounds);
  g_test_add_func ("/period/step", test_step);
  g_test_add_func ("/period/trend-months", test_trend_months);
  g_test_add_func ("/period/display", test_display);
  return g_test_run ();
}
