/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-error.h"
#include "zz-password.h"

static void
assert_policy_refuses (const char *password, const char *login, const char *expect_in_message)
{
  g_autoptr(GError) error = NULL;

  if (zz_password_check_policy (password, login, &error))
    g_error ("“%s” was accepted as a password", password ? password : "(null)");
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  if (!strstr (error->message, expect_in_message))
    g_error ("message “%s” does not contain “%s”", error->message, expect_in_message);
}

static void
test_policy (void)
{
  g_autofree char *long_pw = g_strnfill (257, 'a');

  g_assert_true (zz_password_check_policy ("Clerk2024", "clerk", NULL));
  g_assert_true (zz_password_check_policy ("abcdefg1", NULL, NULL));   /* exactly 8 */
  g_assert_true (zz_password_check_policy ("密码密码密码ab12", "clerk", NULL));

  assert_policy_refuses ("abc123", "clerk", "at least 8");
  assert_policy_refuses ("abcdef1", "clerk", "at least 8");            /* 7 */
  assert_policy_refuses ("", "clerk", "at least 8");
  assert_policy_refuses (NULL, "clerk", "at least 8");
  assert_policy_refuses ("abcdefgh", "clerk", "letters and digits");   /* no digit */
  assert_policy_refuses ("12345678", "clerk", "letters and digits");   /* no letter */
  assert_policy_refuses ("密码密码密码密码", "clerk", "letters and digits");
  assert_policy_refuses ("zhang2024", "zhang2024", "login name");
  assert_policy_refuses ("Zhang2024", "zhang2024", "login name");      /* case does not help */
  long_pw[0] = '1';
  assert_policy_refuses (long_pw, "clerk", "at most 256");
}

static void
test_hash_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = zz_password_hash ("Clerk2024", &error);
  g_autofree char *again = zz_password_hash ("Clerk2024", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "Clerk2024"));
  /* Salted: the same password hashes differently. */
  g_assert_cmpstr (hash, !=, again);

  g_assert_true (zz_password_verify (hash, "Clerk2024"));
  g_assert_true (zz_password_verify (again, "Clerk2024"));
  g_assert_false (zz_password_verify (hash, "clerk2024"));
  g_assert_false (zz_password_verify (hash, "Clerk2025"));
  g_assert_false (zz_password_verify (hash, "Clerk2024 "));
  g_assert_false (zz_password_verify (hash, ""));
  g_assert_false (zz_password_verify (hash, NULL));
  g_assert_false (zz_password_verify (NULL, "Clerk2024"));
  g_assert_false (zz_password_verify ("not a hash", "Clerk2024"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/password/policy", test_policy);
  g_test_add_func ("/password/hash-verify", test_hash_verify);
  return g_test_run ();
}
