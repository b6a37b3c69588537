/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-period"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "zz-error.h"
#include "zz-period.h"

#define YEAR_MIN 2000
#define YEAR_MAX 2100
#define CUSTOM_MAX_YEARS 10

static void
set_span (ZzPeriod *p, ZzPeriodKind kind, int year, int index, int first_month, int months)
{
  int last_month = first_month + months - 1;

  p->kind = kind;
  p->year = year;
  p->index = index;
  g_date_clear (&p->first, 1);
  g_date_clear (&p->last, 1);
  g_date_set_dmy (&p->first, 1, first_month, year);
  g_date_set_dmy (&p->last, g_date_get_days_in_month (last_month, year), last_month, year);
}

void
zz_period_month (ZzPeriod *period, int year, int month)
{
  g_return_if_fail (month >= 1 && month <= 12);
  set_span (period, ZZ_PERIOD_MONTH, year, month, month, 1);
}

void
zz_period_quarter (ZzPeriod *period, int year, int quarter)
{
  g_return_if_fail (quarter >= 1 && quarter <= 4);
  set_span (period, ZZ_PERIOD_QUARTER, year, quarter, (quarter - 1) * 3 + 1, 3);
}

void
zz_period_year (ZzPeriod *period, int year)
{
  set_span (period, ZZ_PERIOD_YEAR, year, 0, 1, 12);
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
year_ok (int year)
{
  return year >= YEAR_MIN && year <= YEAR_MAX;
}

gboolean
zz_period_custom (ZzPeriod *period, const GDate *first, const GDate *last, GError **error)
{
  GDate limit;

  if (!first || !last || !g_date_valid (first) || !g_date_valid (last))
    return invalid (error, _("Enter the first and the last day of the period."));
  if (!year_ok (g_date_get_year (first)) || !year_ok (g_date_get_year (last)))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A period must lie between the years %d and %d."),
                   YEAR_MIN, YEAR_MAX);
      return FALSE;
    }
  if (g_date_compare (first, last) > 0)
    return invalid (error, _("The first day of the period is after its last day."));
  limit = *first;
  g_date_add_years (&limit, CUSTOM_MAX_YEARS);
  if (g_date_compare (last, &limit) >= 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   ngettext ("A period may span at most %d year.", "A period may span at most %d years.",
                             CUSTOM_MAX_YEARS),
                   CUSTOM_MAX_YEARS);
      return FALSE;
    }
  period->kind = ZZ_PERIOD_CUSTOM;
  period->year = g_date_get_year (first);
  period->index = 0;
  period->first = *first;
  period->last = *last;
  return TRUE;
}

/* Reads exactly @digits digits from *s into @out. */
static gboolean
read_digits (const char **s, int digits, int *out)
{
  int v = 0;

  for (int i = 0; i < digits; i++)
    {
      if (!g_ascii_isdigit ((*s)[i]))
        return FALSE;
      v = v * 10 + ((*s)[i] - '0');
    }
  *s += digits;
  *out = v;
  return TRUE;
}

/* "YYYY-MM-DD", a valid day; advances *s past it. */
static gboolean
read_day (const char **s, GDate *out)
{
  int y, m, d;

  if (!read_digits (s, 4, &y) || **s != '-')
    return FALSE;
  (*s)++;
  if (!read_digits (s, 2, &m) || **s != '-')
    return FALSE;
  (*s)++;
  if (!read_digits (s, 2, &d))
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gboolean
zz_period_parse (const char *text, ZzPeriod *period, GError **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  const char *s = t;
  int year, n;

  if (!*t)
    return invalid (error, _("Enter a period: a year (2024), a month (2024-03), a quarter (2024-Q2)"
                             " or a range of days (2024-01-01..2024-06-30)."));
  if (strstr (t, ".."))
    {
      GDate first, last;
      const char *dots = strstr (t, "..");
      g_autofree char *a = g_strstrip (g_strndup (t, dots - t));
      g_autofree char *b = g_strstrip (g_strdup (dots + 2));
      const char *pa = a, *pb = b;

      if (!read_day (&pa, &first) || *pa || !read_day (&pb, &last) || *pb)
        return invalid (error, _("A range of days is written 2024-01-01..2024-06-30, with real days."));
      return zz_period_custom (period, &first, &last, error);
    }
  if (!read_digits (&s, 4, &year))
    return invalid (error, _("A period begins with a year of four digits, as in 2024, 2024-03 or 2024-Q2."));
  if (!year_ok (year))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A period must lie between the years %d and %d."),
                   YEAR_MIN, YEAR_MAX);
      return FALSE;
    }
  if (!*s)
    {
      zz_period_year (period, year);
      return TRUE;
    }
  if (*s == '-')
    s++;
  if (*s == 'Q' || *s == 'q')
    {
      s++;
      if (!read_digits (&s, 1, &n) || *s || n < 1 || n > 4)
        return invalid (error, _("A quarter is written 2024-Q1 to 2024-Q4."));
      zz_period_quarter (period, year, n);
      return TRUE;
    }
  if (s == t + 4)   /* no dash and no quarter */
    return invalid (error, _("Write a month as 2024-03 and a quarter as 2024-Q2."));
  if (!g_ascii_isdigit (*s) || (!read_digits (&s, 2, &n) && !read_digits (&s, 1, &n)) || *s)
    return invalid (error, _("Write a month as 2024-03 and a quarter as 2024-Q2."));
  if (n < 1 || n > 12)
    return invalid (error, _("A month is numbered 01 to 12."));
  zz_period_month (period, year, n);
  return TRUE;
}

void
zz_period_containing (ZzPeriod *period, ZzPeriodKind kind, const GDate *day)
{
  int y = g_date_get_year (day);
  int m = g_date_get_month (day);

  switch (kind)
    {
    case ZZ_PERIOD_MONTH:
      zz_period_month (period, y, m);
      break;
    case ZZ_PERIOD_QUARTER:
      zz_period_quarter (period, y, (m - 1) / 3 + 1);
      break;
    case ZZ_PERIOD_YEAR:
      zz_period_year (period, y);
      break;
    case ZZ_PERIOD_CUSTOM:
    default:
      period->kind = ZZ_PERIOD_CUSTOM;
      period->year = y;
      period->index = 0;
      period->first = *day;
      period->last = *day;
      break;
    }
}

void
zz_period_step (ZzPeriod *period, int delta)
{
  int months;

  switch (period->kind)
    {
    case ZZ_PERIOD_MONTH:
      months = period->year * 12 + (period->index - 1) + delta;
      zz_period_month (period, months / 12, months % 12 + 1);
      break;
    case ZZ_PERIOD_QUARTER:
      months = period->year * 4 + (period->index - 1) + delta;
      zz_period_quarter (period, months / 4, months % 4 + 1);
      break;
    case ZZ_PERIOD_YEAR:
      zz_period_year (period, period->year + delta);
      break;
    case ZZ_PERIOD_CUSTOM:
    default:
      {
        guint days = g_date_days_between (&period->first, &period->last) + 1;

        if (delta > 0)
          {
            g_date_add_days (&period->first, days * delta);
            g_date_add_days (&period->last, days * delta);
          }
        else if (delta < 0)
          {
            g_date_subtract_days (&period->first, days * -delta);
            g_date_subtract_days (&period->last, days * -delta);
          }
        period->year = g_date_get_year (&period->first);
      }
      break;
    }
}

static gint64
midnight_ms (const GDate *day, GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, g_date_get_year (day), g_date_get_month (day),
                                             g_date_get_day (day), 0, 0, 0);
  return g_date_time_to_unix (dt) * 1000;
}

void
zz_period_bounds (const ZzPeriod *period, GTimeZone *tz, gint64 *from_ms, gint64 *to_ms)
{
  GDate after = period->last;

  g_date_add_days (&after, 1);
  if (from_ms)
    *from_ms = midnight_ms (&period->first, tz);
  if (to_ms)
    *to_ms = midnight_ms (&after, tz);
}

char *
zz_period_to_string (const ZzPeriod *period)
{
  switch (period->kind)
    {
    case ZZ_PERIOD_MONTH:
      return g_strdup_printf ("%04d-%02d", period->year, period->index);
    case ZZ_PERIOD_QUARTER:
      return g_strdup_printf ("%04d-Q%d", period->year, period->index);
    case ZZ_PERIOD_YEAR:
      return g_strdup_printf ("%04d", period->year);
    case ZZ_PERIOD_CUSTOM:
    default:
      return g_strdup_printf ("%04d-%02d-%02d..%04d-%02d-%02d",
                              g_date_get_year (&period->first), g_date_get_month (&period->first),
                              g_date_get_day (&period->first), g_date_get_year (&period->last),
                              g_date_get_month (&period->last), g_date_get_day (&period->last));
    }
}

char *
zz_period_display (const ZzPeriod *period)
{
  switch (period->kind)
    {
    case ZZ_PERIOD_MONTH:
      /* TRANSLATORS: a month of a year, as in "2024-03"; zh: "2024年3月" */
      return g_strdup_printf (C_("period", "%d-%02d"), period->year, period->index);
    case ZZ_PERIOD_QUARTER:
      /* TRANSLATORS: a quarter of a year, as in "2024 Q2"; zh: "2024年第2季度" */
      return g_strdup_printf (C_("period", "%d Q%d"), period->year, period->index);
    case ZZ_PERIOD_YEAR:
      /* TRANSLATORS: a year as a period, as in "2024"; zh: "2024年" */
      return g_strdup_printf (C_("period", "%d"), period->year);
    case ZZ_PERIOD_CUSTOM:
    default:
      {
        char a[16], b[16];

        g_snprintf (a, sizeof a, "%04d-%02d-%02d", g_date_get_year (&period->first),
                    g_date_get_month (&period->first), g_date_get_day (&period->first));
        g_snprintf (b, sizeof b, "%04d-%02d-%02d", g_date_get_year (&period->last),
                    g_date_get_month (&period->last), g_date_get_day (&period->last));
        /* TRANSLATORS: a range of days, first and last included; zh: "%s 至 %s" */
        return g_strdup_printf (C_("period", "%s to %s"), a, b);
      }
    }
}

guint
zz_period_trend_months (const ZzPeriod *period, GArray *first_days)
{
  int first = g_date_get_year (&period->first) * 12 + (g_date_get_month (&period->first) - 1);
  int last = g_date_get_year (&period->last) * 12 + (g_date_get_month (&period->last) - 1);
  guint n = 0;

  if (period->kind == ZZ_PERIOD_MONTH || first == last)
    first = last - 11;
  for (int m = first; m <= last; m++, n++)
    {
      GDate d;

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, 1, m % 12 + 1, m / 12);
      if (first_days)
        g_array_append_val (first_days, d);
    }
  return n;
}
