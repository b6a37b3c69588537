/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-date"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-date.h"
#include "zz-error.h"
#include "zz-time.h"

#define MIN_YEAR 1900
#define MAX_YEAR 2100

/* Reads 1..max digits; FALSE when there are none. */
static gboolean
read_number (const char **p, guint max_digits, int *out)
{
  guint n = 0;
  int v = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n == 0 || g_ascii_isdigit (**p))
    return FALSE;
  *out = v;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* One separator between the parts: "-", "/", "." or the given CJK unit ("年", "月"). */
static gboolean
read_separator (const char **p, const char *unit, gboolean *cjk, char *ascii)
{
  skip_spaces (p);
  if (**p == '-' || **p == '/' || **p == '.')
    {
      /* One kind of separator in a date: "2026/12-02" is a typing slip, not a date. */
      if (*cjk || (*ascii && *ascii != **p))
        return FALSE;
      *ascii = **p;
      (*p)++;
    }
  else if (*ascii)
    return FALSE;
  else if (g_str_has_prefix (*p, unit))
    {
      *cjk = TRUE;
      *p += strlen (unit);
    }
  else
    return FALSE;
  skip_spaces (p);
  return TRUE;
}

static gboolean
parse_parts (const char *s, int *y, int *m, int *d)
{
  const char *p = s;
  gboolean cjk = FALSE;
  char ascii = 0;
  gsize len = strlen (s);

  /* "20261202": eight digits, nothing else. */
  if (len == 8)
    {
      gboolean digits = TRUE;
      for (gsize i = 0; i < 8; i++)
        digits = digits && g_ascii_isdigit (s[i]);
      if (digits)
        {
          *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
          *m = (s[4] - '0') * 10 + (s[5] - '0');
          *d = (s[6] - '0') * 10 + (s[7] - '0');
          return TRUE;
        }
    }
  if (!read_number (&p, 4, y) || p - s != 4)
    return FALSE;
  if (!read_separator (&p, "年", &cjk, &ascii))
    return FALSE;
  if (!read_number (&p, 2, m))
    return FALSE;
  if (!read_separator (&p, "月", &cjk, &ascii))
    return FALSE;
  if (!read_number (&p, 2, d))
    return FALSE;
  skip_spaces (&p);
  if (cjk && (g_str_has_prefix (p, "日") || g_str_has_prefix (p, "号")))
    p += strlen ("日");
  skip_spaces (&p);
  return *p == '\0';
}

gboolean
zz_date_parse (const char *text, GDate *out, GError **error)
{
  g_autofree char *norm = NULL;
  int y = 0, m = 0, d = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text && g_utf8_validate (text, -1, NULL))
    {
      /* Full-width digits and punctuation from input methods read as the ASCII they are. */
      norm = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
      if (norm)
        g_strstrip (norm);
    }
  if (!norm || *norm == '\0')
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter a date, such as 2026-12-02."));
      return FALSE;
    }
  if (!parse_parts (norm, &y, &m, &d))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("“%s” is not a date: write it as 2026-12-02, 2026/12/2 or 2026年12月2日."), text);
      return FALSE;
    }
  if (y < MIN_YEAR || y > MAX_YEAR)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The year must be between %d and %d."), MIN_YEAR, MAX_YEAR);
      return FALSE;
    }
  if (m < 1 || m > 12 || d < 1 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("There is no such day as %s."), text);
      return FALSE;
    }
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

char *
zz_date_to_string (const GDate *day)
{
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (day), g_date_get_month (day), g_date_get_day (day));
}

gint64
zz_date_to_unix_ms (const GDate *day, GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (day != NULL && g_date_valid (day), 0);
  dt = g_date_time_new (tz ? tz : zz_local_zone (), g_date_get_year (day), g_date_get_month (day),
                        g_date_get_day (day), 0, 0, 0);
  return dt ? g_date_time_to_unix (dt) * 1000 : 0;
}

void
zz_date_from_unix_ms (GDate *out, gint64 unix_ms, GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) dt = utc ? g_date_time_to_timezone (utc, tz ? tz : zz_local_zone ()) : NULL;

  g_date_clear (out, 1);
  if (dt)
    g_date_set_dmy (out, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt), g_date_time_get_year (dt));
}
