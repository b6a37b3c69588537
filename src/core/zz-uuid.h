/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, so keys sort by creation time
 * and B-tree inserts stay at the right edge. Within one millisecond a 12-bit counter keeps the
 * order monotonic in this process. */
char    *zz_uuid7_new       (void);
char    *zz_uuid7_new_at    (gint64 unix_ms);
gboolean zz_uuid_is_valid   (const char *text);
gint64   zz_uuid7_unix_ms   (const char *uuid);

G_END_DECLS
