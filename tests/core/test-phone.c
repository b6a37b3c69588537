/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-error.h"
#include "zz-phone.h"

static void
assert_phone (const char *text, const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  if (!zz_phone_validate (text, &norm, &error))
    g_error ("“%s” was refused: %s", text, error->message);
  g_assert_cmpstr (norm, ==, expect);
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
  assert_phone ("0743-4221234#123", "07434221234-123");
  assert_phone ("0743-4221234,8", "07434221234-8");
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/mobile", test_mobile);
  g_test_add_func ("/phone/landline", test_landline);
  g_test_add_func ("/phone/refused", test_refused);
  return g_test_run ();
}
