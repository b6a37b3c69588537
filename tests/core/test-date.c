/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-date.h"
#include "zz-error.h"

static void
assert_parses (const char *text, int y, int m, int d)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *back = NULL;
  GDate day;

  if (!zz_date_parse (text, &day, &error))
    g_error ("“%s” refused: %s", text, error->message);
  g_assert_cmpint (g_date_get_year (&day), ==, y);
  g_assert_cmpint (g_date_get_month (&day), ==, m);
  g_assert_cmpint (g_date_get_day (&day), ==, d);
  back = zz_date_to_string (&day);
  g_assert_true (zz_date_parse (back, &day, NULL));
}

static void
assert_refused (const char *text)
{
  g_autoptr(GError) error = NULL;
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, 1, 2000);
  if (zz_date_parse (text, &day, &error))
    g_error ("“%s” accepted as %d-%d-%d", text, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_true (error->message && *error->message);
  /* A refusal leaves the day as it was. */
  g_assert_cmpint (g_date_get_year (&day), ==, 2000);
}

/* The forms a clerk types, as the trial found them. */
static void
test_common_forms (void)
{
  assert_parses ("2026-12-02", 2026, 12, 2);
  assert_parses ("2026/12/02", 2026, 12, 2);
  assert_parses ("2026/12/2", 2026, 12, 2);
  assert_parses ("2026-1-5", 2026, 1, 5);
  assert_parses ("2026.12.2", 2026, 12, 2);
  assert_parses ("2026年12月2日", 2026, 12, 2);
  assert_parses ("2026年12月02日", 2026, 12, 2);
  assert_parses ("2026年12月2", 2026, 12, 2);
  assert_parses ("2026年1月5号", 2026, 1, 5);
  assert_parses ("2026 年 12 月 2 日", 2026, 12, 2);
  assert_parses ("20261202", 2026, 12, 2);
  assert_parses ("  2026-12-02  ", 2026, 12, 2);
  /* Full-width digits and slashes from an input method. */
  assert_parses ("２０２６／１２／２", 2026, 12, 2);
  assert_parses ("２０２６年１２月２日", 2026, 12, 2);
  assert_parses ("2024-02-29", 2024, 2, 29);
}

static void
test_refused (void)
{
  assert_refused ("");
  assert_refused ("   ");
  assert_refused (NULL);
  assert_refused ("2026-13-01");
  assert_refused ("2026-02-29");   /* not a leap year */
  assert_refused ("2026-04-31");
  assert_refused ("2026-12-00");
  assert_refused ("2026-12");
  assert_refused ("12/02/2026");
  assert_refused ("26-12-02");
  assert_refused ("2026-12-02x");
  assert_refused ("2026/12-02");   /* separators mixed */
  assert_refused ("2026年12-02");
  assert_refused ("2026-012-02");
  assert_refused ("1899-12-31");
  assert_refused ("2101-01-01");
  assert_refused ("昨天");
  assert_refused ("\xff\xfe");
}

static void
test_unix_ms (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  GDate day, back;

  g_assert_nonnull (shanghai);
  g_assert_true (zz_date_parse ("2026-12-02", &day, NULL));
  /* 2026-12-02 00:00 in Beijing is 2026-12-01 16:00 UTC. */
  g_assert_cmpint (zz_date_to_unix_ms (&day, shanghai), ==, G_GINT64_CONSTANT (1796169600000) - 8 * 3600 * 1000);
  zz_date_from_unix_ms (&back, zz_date_to_unix_ms (&day, shanghai) + 23 * 3600 * 1000, shanghai);
  g_assert_cmpint (g_date_compare (&back, &day), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/date/common-forms", test_common_forms);
  g_test_add_func ("/date/refused", test_refused);
  g_test_add_func ("/date/unix-ms", test_unix_ms);
  return g_test_run ();
}
