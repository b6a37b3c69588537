/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-hlc.h"

ZzHlc
zz_hlc_tick (ZzHlc  last,
             gint64 now_ms)
{
  gint64 last_ms = ZZ_HLC_MS (last);

  if (last >= ZZ_HLC_MAX)
    return ZZ_HLC_MAX;   /* saturates: never wraps into a value no reader accepts */
  now_ms = MIN (now_ms, ZZ_HLC_MS (ZZ_HLC_MAX));
  if (now_ms > last_ms)
    return ZZ_HLC_MAKE (now_ms, 0);
  /* Counter overflow borrows a millisecond rather than wrapping. */
  if (ZZ_HLC_COUNTER (last) == 0xffff)
    return ZZ_HLC_MAKE (last_ms + 1, 0);
  return last + 1;
}

ZzHlc
zz_hlc_receive (ZzHlc  last,
                ZzHlc  remote,
                gint64 now_ms)
{
  ZzHlc max = MIN (MAX (last, remote), ZZ_HLC_MAX);

  if (now_ms > ZZ_HLC_MS (max))
    return ZZ_HLC_MAKE (now_ms, 0);
  return zz_hlc_tick (max, ZZ_HLC_MS (max));
}
