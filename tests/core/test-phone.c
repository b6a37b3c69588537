/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-error.h"
#include "zz-phone.h"

static void
assert_phone (const char *text, const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  g_autofree char *again = NULL;

  if (!zz_phone_validate (text, &norm, &error))
    g_error ("“%s” was refused: %s", text, error->message);
  g_assert_cmpstr (norm, ==, expect);
  /* what is stored validates again as itself */
  if (!zz_phone_validate (norm, &again, &error))
    g_error ("“%s” was stored as “%s”, which is refused: %s", text, norm, error->message);
  g_assert_cmpstr (again, ==, norm);
}

static void
assert_refused (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  if (zz_phone_validate (text, &norm, &error))
    g_error ("“%s” was accepted as %s", text ? text : "(null)", norm);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_assert_nonnull (error->message);
  g_assert_null (norm);
}

static void
test_mobile (void)
{
  const char *prefixes[] = { "13", "14", "15", "16", "17", "18", "19" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *n = g_strdup_printf ("%s912345678", prefixes[i]);
      assert_phone (n, n);
    }
  assert_phone ("138 0013 8000", "13800138000");
  assert_phone ("138-0013-8000", "13800138000");
  assert_phone ("+86 138 0013 8000", "13800138000");
  assert_phone ("+8613800138000", "13800138000");
  assert_phone ("8613800138000", "13800138000");
  assert_phone ("0086 138 0013 8000", "13800138000");
  assert_phone ("  13800138000  ", "13800138000");
  /* Full-width forms typed by Chinese input methods. */
  assert_phone ("１３８００１３８０００", "13800138000");
  assert_phone ("＋８６ １３８－００１３－８０００", "13800138000");
  g_assert_true (zz_phone_validate ("13800138000", NULL, NULL));
}

static void
test_landline (void)
{
  assert_phone ("0743-1234567", "07431234567");
  assert_phone ("0743-12345678", "074312345678");
  assert_phone ("010-12345678", "01012345678");
  assert_phone ("(0743) 4221234", "07434221234");
  assert_phone ("0743-4221234#123", "07434221234#123");
  assert_phone ("0743-4521234#123", "07434521234#123");
  assert_phone ("0743-4221234,8", "07434221234#8");
  assert_phone ("０７４３－４２２１２３４＃１２", "07434221234#12");
  assert_phone ("（０７４３）４２２１２３４", "07434221234");
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;

  assert_refused ("12345");
  assert_refused ("1380013800");     /* 10 digits */
  assert_refused ("138001380001");   /* 12 digits */
  assert_refused ("10012345678");    /* no mobile network starts with 10 */
  assert_refused ("10086");
  assert_refused ("12012345678");
  assert_refused ("1380013800a");
  assert_refused ("abc");
  assert_refused ("138.0013.8000");
  assert_refused ("");
  assert_refused ("   ");
  assert_refused (NULL);
  assert_refused ("0012345678");     /* an international prefix, not an area code */
  assert_refused ("0743123");        /* too short for a landline */
  assert_refused ("0743-4221234#");  /* empty extension */
  assert_refused ("0743-4221234#1234567");
  assert_refused ("0743-4221234#12a");
  assert_refused ("13800138000+1");

  /* An empty entry asks for a number rather than calling it invalid. */
  g_assert_false (zz_phone_validate ("", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Enter a phone number.");
}

/* Invalid UTF-8 (a sequence cut at the end, a stray byte) is refused as such; the validator
 * never reads past the end of the text. */
static void
test_invalid_utf8 (void)
{
  const char *bad[] = { "1390743000\xe5", "\xff" "13907430005", "13907430005\xe4\xb8", "0743\xc0\xaf" "4221234" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup (bad[i]);   /* exactly its length on the heap */
      g_autoptr(GError) error = NULL;
      g_autofree char *norm = NULL;

      g_assert_false (zz_phone_validate (text, &norm, &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_assert_null (norm);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/mobile", test_mobile);
  g_test_add_func ("/phone/landline", test_landline);
  g_test_add_func ("/phone/refused", test_refused);
  g_test_add_func ("/phone/invalid-utf8", test_invalid_utf8);
  return g_test_run ();
}
