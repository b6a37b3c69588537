/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-phone"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-error.h"
#include "zz-phone.h"

gboolean
zz_phone_validate (const char  *text,
                   char       **normalized,
                   GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *nfkc = NULL;
  const char *p;
  const char *ext = NULL;
  gsize n;

  if (text == NULL)
    text = "";
  /* g_utf8_normalize reads invalid UTF-8 past its end: validate first. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The phone number is not valid text (invalid UTF-8)."));
      return FALSE;
    }
  /* Full-width digits, dashes and plus signs from Chinese input methods count as ASCII. */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc)
    text = nfkc;
  for (p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == ' ' || *p == '-' || *p == '(' || *p == ')')
        continue;
      else if (*p == '+' && digits->len == 0)
        continue;
      else if ((*p == '#' || *p == ',') && ext == NULL && digits->len > 0)
        {
          ext = p;
          break;
        }
      else
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("A phone number may contain only digits, spaces and dashes."));
          return FALSE;
        }
    }
  if (g_str_has_prefix (digits->str, "0086"))
    g_string_erase (digits, 0, 4);
  else if (g_str_has_prefix (digits->str, "86") && digits->len == 13)
    g_string_erase (digits, 0, 2);

  n = digits->len;
  if (n == 11 && digits->str[0] == '1' && digits->str[1] >= '3' && digits->str[1] <= '9')
    ;
  else if (digits->str[0] == '0' && n >= 10 && n <= 12 && digits->str[1] != '0')
    ;
  else
    {
      if (n == 0)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter a phone number."));
      else
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                     _("Not a valid phone number: a mobile number has 11 digits starting with 13–19; "
                       "a landline starts with its area code, such as 0743."));
      return FALSE;
    }
  if (ext)
    {
      const char *q = ext + 1;
      gsize elen = 0;
      for (; *q; q++, elen++)
        if (!g_ascii_isdigit (*q))
          {
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                         _("A phone extension may contain only digits."));
            return FALSE;
          }
      if (elen == 0 || elen > 6)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("A phone extension has 1 to 6 digits."));
          return FALSE;
        }
      /* Stored as written with "#", so that what is stored validates again as itself (a dash
       * would be read back as more digits of the number). */
      g_string_append_printf (digits, "#%s", ext + 1);
    }
  if (normalized)
    *normalized = g_strdup (digits->str);
  return TRUE;
}
