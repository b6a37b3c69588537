/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An RFC 4180 reader over a buffer: quoted or unquoted fields, "" escapes, CRLF or LF, a UTF-8
 * byte-order mark skipped. Every record is checked for valid UTF-8 and bounded in size. */
typedef struct _ZzCsv ZzCsv;

#define ZZ_CSV_MAX_FIELD 65536
#define ZZ_CSV_MAX_FIELDS 256

ZzCsv    *zz_csv_new        (const char *data,
                             gsize       len);
void      zz_csv_free       (ZzCsv      *csv);
/* Reads the next record into @fields (cleared first). Returns FALSE at the end (error unset) or
 * on a malformed record (error set, naming the line). */
gboolean  zz_csv_next       (ZzCsv      *csv,
                             GPtrArray  *fields,
                             GError    **error);
/* Line number (1-based) where the last record read began. */
guint     zz_csv_line       (ZzCsv      *csv);
/* Bytes consumed so far, for progress. */
gsize     zz_csv_offset     (ZzCsv      *csv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzCsv, zz_csv_free)

G_END_DECLS
