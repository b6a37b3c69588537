/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-hlc.h"

#define T0 G_GINT64_CONSTANT (1773651600000)   /* 2026-03-16 09:00 UTC */

static void
test_tick_forward (void)
{
  ZzHlc h = zz_hlc_tick (0, T0);

  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 0);
  h = zz_hlc_tick (h, T0 + 5);
  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0 + 5);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 0);
  g_assert_cmpuint (ZZ_HLC_MAKE (T0, 7), ==, ((guint64) T0 << 16) | 7);
}

static void
test_same_ms (void)
{
  ZzHlc h = zz_hlc_tick (0, T0);

  for (guint i = 1; i <= 1000; i++)
    {
      ZzHlc next = zz_hlc_tick (h, T0);
      g_assert_cmpuint (next, >, h);
      g_assert_cmpint (ZZ_HLC_MS (next), ==, T0);
      g_assert_cmpuint (ZZ_HLC_COUNTER (next), ==, i);
      h = next;
    }
}

static void
test_clock_backwards (void)
{
  ZzHlc h = zz_hlc_tick (0, T0);
  ZzHlc prev;

  /* The wall clock jumps back an hour, then creeps forward: stamps keep rising and keep the
   * highest time seen. */
  for (gint64 t = T0 - 3600000; t < T0 - 3600000 + 500; t++)
    {
      prev = h;
      h = zz_hlc_tick (h, t);
      g_assert_cmpuint (h, >, prev);
      g_assert_cmpint (ZZ_HLC_MS (h), ==, T0);
    }
  /* Once the wall clock passes the stamp again, the stamp follows the wall clock. */
  prev = h;
  h = zz_hlc_tick (h, T0 + 1);
  g_assert_cmpuint (h, >, prev);
  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0 + 1);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 0);
}

static void
test_counter_overflow (void)
{
  ZzHlc full = ZZ_HLC_MAKE (T0, 0xffff);
  ZzHlc next = zz_hlc_tick (full, T0);

  g_assert_cmpuint (next, >, full);
  g_assert_cmpint (ZZ_HLC_MS (next), ==, T0 + 1);
  g_assert_cmpuint (ZZ_HLC_COUNTER (next), ==, 0);
  /* Also when the wall clock is behind. */
  next = zz_hlc_tick (full, T0 - 10);
  g_assert_cmpuint (next, >, full);
  g_assert_cmpint (ZZ_HLC_MS (next), ==, T0 + 1);

  /* 70,000 ticks in one millisecond never wrap or repeat. */
  {
    ZzHlc h = zz_hlc_tick (0, T0);
    for (guint i = 0; i < 70000; i++)
      {
        ZzHlc n = zz_hlc_tick (h, T0);
        g_assert_cmpuint (n, >, h);
        h = n;
      }
    g_assert_cmpint (ZZ_HLC_MS (h), ==, T0 + 1);
  }
}

static void
test_receive (void)
{
  ZzHlc local = ZZ_HLC_MAKE (T0, 3);
  ZzHlc ahead = ZZ_HLC_MAKE (T0 + 60000, 9);   /* a peer whose clock is a minute ahead */
  ZzHlc behind = ZZ_HLC_MAKE (T0 - 60000, 40); /* a peer a minute behind */
  ZzHlc h;

  /* Peer ahead of both our stamp and our wall clock: we move past the peer. */
  h = zz_hlc_receive (local, ahead, T0);
  g_assert_cmpuint (h, >, ahead);
  g_assert_cmpuint (h, >, local);
  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0 + 60000);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 10);
  /* The next local tick stays after it although the wall clock is behind. */
  g_assert_cmpuint (zz_hlc_tick (h, T0 + 1), >, h);

  /* Peer behind: our own stamp wins, it still advances. */
  h = zz_hlc_receive (local, behind, T0);
  g_assert_cmpuint (h, >, local);
  g_assert_cmpuint (h, >, behind);
  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 4);

  /* Wall clock ahead of both: the wall clock wins with counter 0. */
  h = zz_hlc_receive (local, behind, T0 + 5);
  g_assert_cmpint (ZZ_HLC_MS (h), ==, T0 + 5);
  g_assert_cmpuint (ZZ_HLC_COUNTER (h), ==, 0);

  /* Same stamp on both sides. */
  h = zz_hlc_receive (local, local, T0);
  g_assert_cmpuint (h, >, local);

  /* A peer stamp with a full counter. */
  h = zz_hlc_receive (local, ZZ_HLC_MAKE (T0 + 1, 0xffff), T0);
  g_assert_cmpuint (h, >, ZZ_HLC_MAKE (T0 + 1, 0xffff));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hlc/tick-forward", test_tick_forward);
  g_test_add_func ("/hlc/same-ms", test_same_ms);
  g_test_add_func ("/hlc/clock-backwards", test_clock_backwards);
  g_test_add_func ("/hlc/counter-overflow", test_counter_overflow);
  g_test_add_func ("/hlc/receive", test_receive);
  return g_test_run ();
}
