/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "zz-uuid.h"

static GMutex lock;
static gint64 last_ms;
static guint16 last_counter;

char *
zz_uuid7_new_at (gint64 unix_ms)
{
  guint8 b[16];
  guint16 counter;

  randombytes_buf (b, sizeof b);

  g_mutex_lock (&lock);
  if (unix_ms <= last_ms && last_counter < 0x0fff)
    {
      unix_ms = last_ms;
      counter = ++last_counter;
    }
  else
    {
      if (unix_ms <= last_ms)
        unix_ms = last_ms + 1;
      /* Start the counter low in its range so that many ids fit in one millisecond. */
      counter = (guint16) (((b[6] << 8) | b[7]) & 0x01ff);
      last_counter = counter;
    }
  last_ms = unix_ms;
  g_mutex_unlock (&lock);

  b[0] = (unix_ms >> 40) & 0xff;
  b[1] = (unix_ms >> 32) & 0xff;
  b[2] = (unix_ms >> 24) & 0xff;
  b[3] = (unix_ms >> 16) & 0xff;
  b[4] = (unix_ms >> 8) & 0xff;
  b[5] = unix_ms & 0xff;
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
zz_uuid7_new (void)
{
  return zz_uuid7_new_at (g_get_real_time () / 1000);
}

gboolean
zz_uuid_is_valid (const char *s)
{
  if (s == NULL || strlen (s) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (s[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
        return FALSE;
    }
  return TRUE;
}

gint64
zz_uuid7_unix_ms (const char *s)
{
  gint64 ms = 0;

  if (!zz_uuid_is_valid (s))
    return -1;
  for (int i = 0; i < 13; i++)
    {
      if (s[i] == '-')
        continue;
      ms = (ms << 4) | g_ascii_xdigit_value (s[i]);
    }
  return ms;
}
