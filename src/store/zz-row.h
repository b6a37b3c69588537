/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of a query result, named columns of text or integers, as the item type of the
 * GListModels the views show. Small and immutable: a view re-queries rather than edits rows. */
#define ZZ_TYPE_ROW (zz_row_get_type ())
G_DECLARE_FINAL_TYPE (ZzRow, zz_row, ZZ, ROW, GObject)

const char *zz_row_get       (ZzRow      *row,
                              const char *column);   /* NULL when absent or SQL NULL */
gint64      zz_row_get_int   (ZzRow      *row,
                              const char *column);   /* 0 when absent or NULL */
gboolean    zz_row_has       (ZzRow      *row,
                              const char *column);
const char *zz_row_get_id    (ZzRow      *row);      /* the "id" column */

G_END_DECLS
