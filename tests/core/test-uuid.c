/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-uuid.h"

/* The generator is monotonic within the process, so each test uses times later than the last. */
#define T0 G_GINT64_CONSTANT (2208988800000)   /* 2040-01-01 00:00 UTC, after the wall clock */

static void
assert_v7 (const char *u)
{
  g_assert_true (zz_uuid_is_valid (u));
  g_assert_cmpuint (strlen (u), ==, 36);
  g_assert_cmpint (u[8], ==, '-');
  g_assert_cmpint (u[13], ==, '-');
  g_assert_cmpint (u[18], ==, '-');
  g_assert_cmpint (u[23], ==, '-');
  g_assert_cmpint (u[14], ==, '7');                        /* version */
  g_assert_nonnull (strchr ("89ab", u[19]));               /* RFC 9562 variant 10xx */
}

static void
test_format (void)
{
  g_autofree char *now = zz_uuid7_new ();
  g_autofree char *other = zz_uuid7_new ();
  gint64 wall = g_get_real_time () / 1000;

  assert_v7 (now);
  assert_v7 (other);
  g_assert_cmpstr (now, !=, other);
  /* zz_uuid7_new uses the wall clock. */
  g_assert_cmpint (ABS (zz_uuid7_unix_ms (now) - wall), <, 5000);

  g_assert_false (zz_uuid_is_valid (NULL));
  g_assert_false (zz_uuid_is_valid (""));
  g_assert_false (zz_uuid_is_valid ("0190a5b2-1c3d-7e4f-8a6b-1234567890a"));     /* 35 */
  g_assert_false (zz_uuid_is_valid ("0190a5b2-1c3d-7e4f-8a6b-1234567890abc"));   /* 37 */
  g_assert_false (zz_uuid_is_valid ("0190a5b2x1c3d-7e4f-8a6b-1234567890a"));
  g_assert_false (zz_uuid_is_valid ("0190A5B2-1C3D-7E4F-8A6B-1234567890AB"));    /* upper case */
  g_assert_false (zz_uuid_is_valid ("0190a5b2-1c3d-7e4f-8a6b-1234567890ag"));
  g_assert_true (zz_uuid_is_valid ("0190a5b2-1c3d-7e4f-8a6b-1234567890ab"));
  g_assert_cmpint (zz_uuid7_unix_ms ("not a uuid"), ==, -1);
}

static void
test_round_trip (void)
{
  const gint64 times[] = { T0, T0 + 1, T0 + 1000, T0 + 86400000, T0 + G_GINT64_CONSTANT (100000000000) };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *u = zz_uuid7_new_at (times[i]);
      assert_v7 (u);
      g_assert_cmpint (zz_uuid7_unix_ms (u), ==, times[i]);
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
test_sorted_increasing_times (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const gint64 base = T0 + G_GINT64_CONSTANT (200000000000);

  for (guint i = 0; i < 2000; i++)
    g_ptr_array_add (ids, zz_uuid7_new_at (base + i * 7));
  for (guint i = 1; i < ids->len; i++)
    {
      g_assert_cmpstr (ids->pdata[i - 1], <, ids->pdata[i]);
      g_assert_cmpint (zz_uuid7_unix_ms (ids->pdata[i]), ==, base + i * 7);
    }
}

static void
test_sorted_same_ms (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const gint64 t = T0 + G_GINT64_CONSTANT (300000000000);
  const guint n = 20000;   /* more than the 12-bit counter holds in one millisecond */

  for (guint i = 0; i < n; i++)
    {
      char *u = zz_uuid7_new_at (t);
      assert_v7 (u);
      g_ptr_array_add (ids, u);
      g_assert_true (g_hash_table_add (seen, u));
    }
  /* Creation order is sort order. */
  sorted = g_ptr_array_sized_new (n);   /* borrows the strings */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, ids->pdata[i]);
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 0; i < n; i++)
    g_assert_true (sorted->pdata[i] == ids->pdata[i]);
  /* The first ones carry the requested time; overflow borrows later milliseconds, never earlier. */
  g_assert_cmpint (zz_uuid7_unix_ms (ids->pdata[0]), ==, t);
  g_assert_cmpint (zz_uuid7_unix_ms (ids->pdata[n - 1]), >=, t);
  g_assert_cmpint (zz_uuid7_unix_ms (ids->pdata[n - 1]), <, t + 20);

  /* A time earlier than the last one does not go backwards either. */
  {
    g_autofree char *early = zz_uuid7_new_at (t - 5000);
    g_assert_cmpstr (early, >, ids->pdata[n - 1]);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uuid/format", test_format);
  g_test_add_func ("/uuid/round-trip", test_round_trip);
  g_test_add_func ("/uuid/sorted-increasing-times", test_sorted_increasing_times);
  g_test_add_func ("/uuid/sorted-same-ms", test_sorted_same_ms);
  return g_test_run ();
}
