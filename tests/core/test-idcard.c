/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-error.h"
#include "zz-idcard.h"

/* Builds a full number from 17 digits with its correct check character. */
static char *
with_check (const char *first17)
{
  g_autofree char *check = zz_idcard_check_char (first17);

  g_assert_nonnull (check);
  return g_strconcat (first17, check, NULL);
}

static void
assert_valid (const char *text, const char *expect_normalized)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  if (!zz_idcard_validate (text, &norm, &error))
    g_error ("“%s” was refused: %s", text, error->message);
  g_assert_cmpstr (norm, ==, expect_normalized);
}

static void
assert_invalid (const char *text, const char *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  if (zz_idcard_validate (text, &norm, &error))
    g_error ("“%s” was accepted as an ID number", text);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_null (norm);
  if (expect_in_message && !strstr (error->message, expect_in_message))
    g_error ("“%s”: message “%s” does not mention “%s”", text, error->message, expect_in_message);
}

static void
test_check_char (void)
{
  g_autofree char *a = zz_idcard_check_char ("11010519491231002");
  g_autofree char *b = zz_idcard_check_char ("44052418800101001");
  g_autofree char *c = zz_idcard_check_char ("43312219900101001");
  g_autofree char *bad = zz_idcard_check_char ("4331221990010100A");

  /* The two worked examples printed in GB 11643-1999. */
  g_assert_cmpstr (a, ==, "X");
  g_assert_cmpstr (b, ==, "4");
  g_assert_cmpstr (c, ==, "4");
  g_assert_null (bad);
}

static void
test_valid (void)
{
  g_autofree char *computed = with_check ("43312219850615002");
  g_autofree char *x_number = NULL;

  assert_valid ("11010519491231002X", "11010519491231002X");
  /* The standard's other example has its check digit right but a birth year (1880) before 1900. */
  assert_invalid ("440524188001010014", "birth date");
  assert_valid ("433122199001010014", "433122199001010014");
  assert_valid (computed, computed);
  g_assert_cmpint (computed[17], ==, '6');

  /* Find a Luxi number whose check character is X by trying order numbers. */
  for (int i = 1; i < 1000 && !x_number; i++)
    {
      g_autofree char *first17 = g_strdup_printf ("43312219900101%03d", i);
      g_autofree char *full = with_check (first17);
      if (full[17] == 'X')
        x_number = g_steal_pointer (&full);
    }
  g_assert_nonnull (x_number);
  g_assert_cmpstr (x_number, ==, "43312219900101009X");
  assert_valid (x_number, x_number);

  /* Leap day in a leap year; 1900-01-01 is the earliest accepted birth date. */
  {
    g_autofree char *leap = with_check ("43312220000229001");
    g_autofree char *first = with_check ("43312219000101001");
    assert_valid (leap, leap);
    assert_valid (first, first);
  }
}

static void
test_lowercase_and_whitespace (void)
{
  assert_valid ("11010519491231002x", "11010519491231002X");
  assert_valid ("  11010519491231002x\t", "11010519491231002X");
  assert_valid ("\n433122199001010014 ", "433122199001010014");
  /* Full-width digits, Ｘ and the ideographic space typed by Chinese input methods. */
  assert_valid ("４３３１２２１９９００１０１００１４", "433122199001010014");
  assert_valid ("\u3000１１０１０５１９４９１２３１００２ｘ\u3000", "11010519491231002X");
  assert_valid ("433122１99001010014", "433122199001010014");
  /* NULL for the normalized output is allowed. */
  g_assert_true (zz_idcard_validate ("11010519491231002X", NULL, NULL));
}

static void
test_wrong_check_digit (void)
{
  assert_invalid ("433122199001010015", "check digit");
  assert_invalid ("433122199001010010", "check digit");
  assert_invalid ("110105194912310021", "check digit");
  assert_invalid ("433122199001010094", "check digit");   /* the X number with a digit */
  /* Two swapped digits are caught. */
  assert_invalid ("433122199010010014", NULL);
}

static void
test_bad_dates (void)
{
  const char *bodies[] = {
    "43312219900230001",   /* 30 February */
    "43312219900229001",   /* 29 February of a common year */
    "43312219901301001",   /* month 13 */
    "43312219900001001",   /* month 0 */
    "43312219900100001",   /* day 0 */
    "43312219900132001",   /* day 32 */
    "43312218991231001",   /* before 1900 */
    "43312219000229001",   /* 1900 was not a leap year */
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next_year = g_date_time_add_years (now, 1);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *future1 = g_strdup_printf ("433122%04d%02d%02d001", g_date_time_get_year (next_year),
                                              g_date_time_get_month (next_year),
                                              MIN (g_date_time_get_day_of_month (next_year), 28));
  g_autofree char *future2 = g_strdup_printf ("433122%04d%02d%02d001", g_date_time_get_year (tomorrow),
                                              g_date_time_get_month (tomorrow),
                                              g_date_time_get_day_of_month (tomorrow));
  g_autofree char *today = g_strdup_printf ("433122%04d%02d%02d001", g_date_time_get_year (now),
                                            g_date_time_get_month (now), g_date_time_get_day_of_month (now));

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      /* The check digit is right, so only the date can be the reason. */
      g_autofree char *full = with_check (bodies[i]);
      assert_invalid (full, "birth date");
    }
  {
    g_autofree char *f1 = with_check (future1);
    g_autofree char *f2 = with_check (future2);
    g_autofree char *t = with_check (today);
    assert_invalid (f1, "future");
    assert_invalid (f2, "future");
    /* Born today is possible (a newborn's number). */
    assert_valid (t, t);
  }
}

static void
test_bad_format (void)
{
  g_autofree char *region_00 = with_check ("00312219900101001");
  g_autofree char *region_99 = with_check ("99312219900101001");
  g_autofree char *region_10 = with_check ("10312219900101001");

  assert_invalid ("", "18 characters");
  assert_invalid (NULL, "18 characters");
  assert_invalid ("43312219900101001", "18 characters");       /* 17 */
  assert_invalid ("4331221990010100144", "18 characters");     /* 19 */
  assert_invalid ("433122900101001", "18 characters");         /* old 15-digit number */
  assert_invalid ("4331221990O1010014", "digits");             /* letter O in the body */
  assert_invalid ("X33122199001010014", "digits");
  assert_invalid ("433122 99001010014", "digits");
  assert_invalid ("43312219900101001Y", "digit or X");
  assert_invalid ("433122199001010014 1", "18 characters");
  assert_invalid ("４３３１２２", "this one has 6");
  assert_invalid ("张三李四王五赵六钱七孙八周九吴十郑十", "digits");
  assert_invalid ("43312219900101001张", "digit or X");
  assert_invalid ("43312219900101\xff\xfe" "14", "UTF-8");       /* not UTF-8 */
  assert_invalid (region_00, "region");
  assert_invalid (region_99, "region");
  assert_invalid (region_10, "region");
}

static void
test_mask (void)
{
  g_autofree char *m1 = zz_idcard_mask ("433122199001010014");
  g_autofree char *m2 = zz_idcard_mask ("11010519491231002X");
  g_autofree char *m3 = zz_idcard_mask ("");
  g_autofree char *m4 = zz_idcard_mask (NULL);
  g_autofree char *m5 = zz_idcard_mask ("1234567890");

  g_assert_cmpstr (m1, ==, "433122********0014");
  g_assert_cmpstr (m2, ==, "110105********002X");
  g_assert_cmpuint (strlen (m1), ==, 18);
  /* The birth date never shows. */
  g_assert_null (strstr (m1, "1990"));
  g_assert_cmpstr (m3, ==, "");
  g_assert_cmpstr (m4, ==, "");
  /* Too short to show anything safely. */
  g_assert_cmpstr (m5, ==, "**********");
}

static void
test_birth_and_sex (void)
{
  int y = 0, m = 0, d = 0;

  g_assert_true (zz_idcard_birth_date ("11010519491231002X", &y, &m, &d));
  g_assert_cmpint (y, ==, 1949);
  g_assert_cmpint (m, ==, 12);
  g_assert_cmpint (d, ==, 31);
  g_assert_false (zz_idcard_birth_date ("433122199002300014", NULL, NULL, NULL));
  g_assert_false (zz_idcard_birth_date ("4331", NULL, NULL, NULL));

  /* The 17th digit: odd for men, even for women. */
  g_assert_cmpint (zz_idcard_sex ("11010519491231002X"), ==, 2);
  g_assert_cmpint (zz_idcard_sex ("440524188001010014"), ==, 1);
  g_assert_cmpint (zz_idcard_sex ("433122199001010014"), ==, 1);
  g_assert_cmpint (zz_idcard_sex ("43312219900101009X"), ==, 1);
  g_assert_cmpint (zz_idcard_sex ("433122198506150026"), ==, 2);
  g_assert_cmpint (zz_idcard_sex ("4331"), ==, 0);
  g_assert_cmpint (zz_idcard_sex (NULL), ==, 0);
}

/* Invalid UTF-8 is refused as such, without reading past the end of the text. */
static void
test_invalid_utf8 (void)
{
  const char *bad[] = { "43312219800101001\xe5", "\xff" "433122198001010010", "433122198001010010\xe4\xb8",
                        "4331221980010100\xc0\xb1\xc0\xb0" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *norm = NULL;

      g_assert_false (zz_idcard_validate (text, &norm, &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_assert_null (norm);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/idcard/check-char", test_check_char);
  g_test_add_func ("/idcard/valid", test_valid);
  g_test_add_func ("/idcard/lowercase-and-whitespace", test_lowercase_and_whitespace);
  g_test_add_func ("/idcard/wrong-check-digit", test_wrong_check_digit);
  g_test_add_func ("/idcard/bad-dates", test_bad_dates);
  g_test_add_func ("/idcard/bad-format", test_bad_format);
  g_test_add_func ("/idcard/mask", test_mask);
  g_test_add_func ("/idcard/birth-and-sex", test_birth_and_sex);
  g_test_add_func ("/idcard/invalid-utf8", test_invalid_utf8);
  return g_test_run ();
}
