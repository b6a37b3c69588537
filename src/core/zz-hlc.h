/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Hybrid logical clock: 48 bits of wall-clock milliseconds and a 16-bit counter in one 64-bit
 * integer, so stamps compare as plain integers and never go backwards even if the wall clock does. */
typedef guint64 ZzHlc;

#define ZZ_HLC_MS(h)      ((gint64) ((h) >> 16))
#define ZZ_HLC_COUNTER(h) ((guint) ((h) & 0xffff))
#define ZZ_HLC_MAKE(ms, c) ((((guint64) (ms)) << 16) | ((guint64) (c) & 0xffff))
/* The largest stamp: ops store it as a signed 64-bit integer. The clock saturates there. */
#define ZZ_HLC_MAX        ((ZzHlc) G_MAXINT64)
/* How far ahead of its own wall clock a received stamp may move a node's clock. */
#define ZZ_HLC_MAX_DRIFT_MS ((gint64) 60 * 60 * 1000)

/* A new local stamp after @last, given the wall clock @now_ms. */
ZzHlc zz_hlc_tick    (ZzHlc  last,
                      gint64 now_ms);
/* The local stamp after receiving @remote (merging a peer's clock). */
ZzHlc zz_hlc_receive (ZzHlc  last,
                      ZzHlc  remote,
                      gint64 now_ms);

G_END_DECLS
