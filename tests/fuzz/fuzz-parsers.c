/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ID-number, phone and period parsers on arbitrary text (the first byte picks which), with
 * round trips: what a parser accepts and stores, it accepts again as the very same value. */
#include "config.h"

#include <string.h>

#include "zz-idcard.h"
#include "zz-period.h"
#include "zz-phone.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char *const seeds[][2] = {
    { "idcard-valid", "\0" "433122198001010010" },
    { "idcard-fullwidth", "\0" "４３３１２２１９８００１０１００１０" },
    { "phone-mobile", "\1" "+86 139-0743-0005" },
    { "phone-extension", "\1" "0743-4521234#123" },
    { "period-quarter", "\2" "2024-Q2" },
    { "period-custom", "\2" "2024-01-01..2024-06-30" },
  };

  zz_fuzz_init ();
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    zz_fuzz_write_seed (seeds[i][0], seeds[i][1], 1 + strlen (seeds[i][1] + 1));
  return 0;
}

static void
idcard (const char *text)
{
  g_autofree char *norm = NULL;
  g_autoptr(GError) error = NULL;

  if (zz_idcard_validate (text, &norm, &error))
    {
      g_autofree char *again = NULL;
      g_autofree char *mask = zz_idcard_mask (norm);
      int y, m, d;

      g_assert (strlen (norm) == 18);
      if (!zz_idcard_validate (norm, &again, &error))
        g_error ("ID number “%s” stored as “%s” does not validate again: %s", text, norm, error->message);
      g_assert_cmpstr (again, ==, norm);
      g_assert (zz_idcard_birth_date (norm, &y, &m, &d));
      g_assert (zz_idcard_sex (norm) != 0);
      g_assert (strlen (mask) == 18);
    }
  else
    g_assert (error != NULL && error->message != NULL);
  g_free (zz_idcard_mask (text));
  (void) zz_idcard_sex (text);
  (void) zz_idcard_birth_date (text, NULL, NULL, NULL);
  if (strlen (text) >= 17)
    g_free (zz_idcard_check_char (text));
}

static void
phone (const char *text)
{
  g_autofree char *norm = NULL;
  g_autoptr(GError) error = NULL;

  if (zz_phone_validate (text, &norm, &error))
    {
      g_autofree char *again = NULL;

      if (!zz_phone_validate (norm, &again, &error))
        g_error ("phone “%s” stored as “%s” does not validate again: %s", text, norm, error->message);
      g_assert_cmpstr (again, ==, norm);
    }
  else
    g_assert (error != NULL && error->message != NULL);
}

static void
period (const char *text)
{
  ZzPeriod p, q;
  g_autoptr(GError) error = NULL;

  if (zz_period_parse (text, &p, &error))
    {
      g_autofree char *s = zz_period_to_string (&p);
      g_autofree char *shown = zz_period_display (&p);
      g_autoptr(GArray) months = g_array_new (FALSE, FALSE, sizeof (GDate));
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
      gint64 from, to;

      if (!zz_period_parse (s, &q, &error))
        g_error ("period “%s” written as “%s” does not parse again: %s", text, s, error->message);
      g_assert (q.kind == p.kind && q.year == p.year && q.index == p.index);
      g_assert (g_date_compare (&q.first, &p.first) == 0 && g_date_compare (&q.last, &p.last) == 0);
      g_assert (g_date_compare (&p.first, &p.last) <= 0);
      zz_period_bounds (&p, tz, &from, &to);
      g_assert (from < to);
      g_assert (shown != NULL && *shown != '\0');
      (void) zz_period_trend_months (&p, months);
      q = p;
      zz_period_step (&q, 1);
      zz_period_step (&q, -1);
    }
  else
    g_assert (error != NULL && error->message != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;

  if (size < 1 || size > 4096)
    return 0;
  text = g_strndup ((const char *) data + 1, size - 1);
  switch (data[0] % 3)
    {
    case 0: idcard (text); break;
    case 1: phone (text); break;
    default: period (text); break;
    }
  return 0;
}
