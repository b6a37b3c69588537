/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-idcard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-error.h"
#include "zz-idcard.h"
#include "zz-time.h"

static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char check_chars[] = "10X98765432";

/* Two-digit province codes in use (GB/T 2260), including Hong Kong, Macao and Taiwan residents'
 * permits that share the format. */
static gboolean
province_code_valid (int code)
{
  switch (code)
    {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
    case 71: case 81: case 82: case 83:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
zz_idcard_check_char (const char *first17)
{
  int sum = 0;

  g_return_val_if_fail (first17 != NULL, NULL);

  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return NULL;
      sum += (first17[i] - '0') * weights[i];
    }
  return g_strndup (&check_chars[sum % 11], 1);
}

gboolean
zz_idcard_birth_date (const char *id,
                      int        *year,
                      int        *month,
                      int        *day)
{
  int y, m, d;

  if (id == NULL || strlen (id) < 14)
    return FALSE;
  for (int i = 6; i < 14; i++)
    if (!g_ascii_isdigit (id[i]))
      return FALSE;
  y = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
  m = (id[10] - '0') * 10 + (id[11] - '0');
  d = (id[12] - '0') * 10 + (id[13] - '0');
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  if (year) *year = y;
  if (month) *month = m;
  if (day) *day = d;
  return TRUE;
}

gboolean
zz_idcard_validate (const char  *text,
                    char       **normalized,
                    GError     **error)
{
  g_autofree char *s = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *check = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDate) birth = NULL;
  g_autoptr(GDate) today = NULL;
  int y, m, d;

  if (text == NULL)
    text = "";
  /* g_utf8_normalize reads invalid UTF-8 past its end: validate first. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The ID number is not valid text (invalid UTF-8)."));
      return FALSE;
    }
  /* NFKC turns full-width digits, Ｘ and the ideographic space that Chinese input methods type
   * into their ASCII forms. */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  s = g_ascii_strup (nfkc ? nfkc : text, -1);
  g_strstrip (s);

  if (!nfkc)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The first 17 characters of an ID number must be digits."));
      return FALSE;
    }
  /* Counted in characters, as the message says: 18 Chinese characters are not 18 digits. */
  if (g_utf8_strlen (s, -1) != 18)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("An ID number has 18 characters; this one has %d."), (int) g_utf8_strlen (s, -1));
      return FALSE;
    }
  for (int i = 0; i < 17; i++)
    if (!g_ascii_isdigit (s[i]))
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                     _("The first 17 characters of an ID number must be digits."));
        return FALSE;
      }
  if (!g_ascii_isdigit (s[17]) && s[17] != 'X')
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The last character of an ID number must be a digit or X."));
      return FALSE;
    }
  if (!province_code_valid ((s[0] - '0') * 10 + (s[1] - '0')))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The ID number does not start with a valid region code."));
      return FALSE;
    }
  if (!zz_idcard_birth_date (s, &y, &m, &d) || y < 1900)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The birth date in the ID number is not a real date."));
      return FALSE;
    }
  now = g_date_time_new_now (zz_local_zone ());
  birth = g_date_new_dmy (d, m, y);
  today = g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                          g_date_time_get_year (now));
  if (g_date_compare (birth, today) > 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The birth date in the ID number is in the future."));
      return FALSE;
    }
  check = zz_idcard_check_char (s);
  if (check[0] != s[17])
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The check digit of the ID number is wrong; please check each digit."));
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&s);
  return TRUE;
}

/* Lists show the region (first 6) and the last 4 characters, which is what a clerk needs to tell
 * two people apart without exposing the birth date. */
char *
zz_idcard_mask (const char *id)
{
  gsize len;
  GString *out;

  if (id == NULL || *id == '\0')
    return g_strdup ("");
  len = strlen (id);
  if (len <= 10)
    return g_strnfill (len, '*');
  out = g_string_new_len (id, 6);
  for (gsize i = 6; i < len - 4; i++)
    g_string_append_c (out, '*');
  g_string_append (out, id + len - 4);
  return g_string_free (out, FALSE);
}

/* 1 male, 2 female, 0 unknown: the 17th digit's parity. */
int
zz_idcard_sex (const char *id)
{
  if (id == NULL || strlen (id) < 17 || !g_ascii_isdigit (id[16]))
    return 0;
  return ((id[16] - '0') % 2) ? 1 : 2;
}
