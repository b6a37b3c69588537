/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "zz-error.h"
#include "zz-password.h"

gboolean
zz_password_check_policy (const char *password,
                          const char *login,
                          GError    **error)
{
  gboolean letter = FALSE, digit = FALSE;

  if (password == NULL || g_utf8_strlen (password, -1) < ZZ_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("A password needs at least %d characters."), ZZ_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  if (strlen (password) > 256)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A password may have at most 256 characters."));
      return FALSE;
    }
  for (const char *p = password; *p; p++)
    {
      if (g_ascii_isalpha (*p))
        letter = TRUE;
      else if (g_ascii_isdigit (*p))
        digit = TRUE;
    }
  if (!letter || !digit)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("A password needs both letters and digits."));
      return FALSE;
    }
  if (login && g_ascii_strcasecmp (password, login) == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The password must not be the same as the login name."));
      return FALSE;
    }
  return TRUE;
}

char *
zz_password_hash (const char *password,
                  GError    **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (sodium_init () < 0
      || crypto_pwhash_str (out, password, strlen (password),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Not enough memory to protect the password."));
      return NULL;
    }
  return g_strdup (out);
}

gboolean
zz_password_verify (const char *hash,
                    const char *password)
{
  if (hash == NULL || password == NULL || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}
