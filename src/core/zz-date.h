/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Calendar days typed by people. GTK-free: every date field of the program reads its text here,
 * the store and the command line too. */

/* Reads a day in the forms the centres write: "2026-12-02", "2026/12/2", "2026.12.2",
 * "2026年12月2日" (the 日 may be left out), "20261202", with full-width digits and spaces around
 * the parts allowed. Years 1900..2100. FALSE with a translated message (ZZ_ERROR_INVALID) for
 * anything else, @out untouched. */
gboolean  zz_date_parse        (const char   *text,
                                GDate        *out,
                                GError      **error);
/* The stored form "YYYY-MM-DD". */
char     *zz_date_to_string    (const GDate  *day);
/* Local midnight of @day as Unix ms, in @tz (NULL: the local zone). */
gint64    zz_date_to_unix_ms   (const GDate  *day,
                                GTimeZone    *tz);
/* The local calendar day of a Unix-ms time. */
void      zz_date_from_unix_ms (GDate        *out,
                                gint64        unix_ms,
                                GTimeZone    *tz);

G_END_DECLS
