/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A table of figures as the statistics produce it and every exporter (xlsx, CSV, PDF) and view
 * (a chart's "table" tab, the dashboard lists) reads it. Columns have a stable key, a translated
 * title and a type; cells keep their value (not its text), so an exporter writes a number as a
 * number and a time as a date. A row may carry a link ("case:<id>", "household:<id>",
 * "unit:<code>") to open the record it is about. */
typedef enum {
  ZZ_CELL_TEXT,
  ZZ_CELL_INT,        /* a count */
  ZZ_CELL_PERCENT,    /* a fraction 0..1, shown as "97.0%" */
  ZZ_CELL_DECIMAL,    /* a measure with one decimal (average minutes, visitors per day) */
  ZZ_CELL_DATE,       /* Unix ms, shown as the local day "2024-03-01" */
  ZZ_CELL_DATETIME,   /* Unix ms, shown as local "2024-03-01 14:05" */
} ZzCellType;

typedef struct _ZzTable ZzTable;

ZzTable    *zz_table_new           (const char *key,
                                    const char *title);
ZzTable    *zz_table_ref           (ZzTable    *table);
void        zz_table_unref         (ZzTable    *table);
const char *zz_table_get_key       (const ZzTable *table);
const char *zz_table_get_title     (const ZzTable *table);

/* Returns the new column's index. */
guint       zz_table_add_column    (ZzTable    *table,
                                    const char *key,
                                    const char *title,
                                    ZzCellType  type);
guint       zz_table_n_columns     (const ZzTable *table);
guint       zz_table_n_rows        (const ZzTable *table);
const char *zz_table_column_key    (const ZzTable *table,
                                    guint       column);
const char *zz_table_column_title  (const ZzTable *table,
                                    guint       column);
ZzCellType  zz_table_column_type   (const ZzTable *table,
                                    guint       column);
/* The index of the column with @key, or -1. */
int         zz_table_column_index  (const ZzTable *table,
                                    const char *key);

/* Appends a row of empty (NULL) cells; returns its index. */
guint       zz_table_add_row       (ZzTable    *table);
/* Setters for a cell of the column's type: text for TEXT, int for INT, double for PERCENT and
 * DECIMAL, Unix ms (int) for DATE and DATETIME. A cell never set stays NULL (shown as "—"). */
void        zz_table_set_text      (ZzTable    *table,
                                    guint       row,
                                    guint       column,
                                    const char *text);
void        zz_table_set_int       (ZzTable    *table,
                                    guint       row,
                                    guint       column,
                                    gint64      value);
void        zz_table_set_double    (ZzTable    *table,
                                    guint       row,
                                    guint       column,
                                    double      value);
void        zz_table_set_link      (ZzTable    *table,
                                    guint       row,
                                    const char *link);

gboolean    zz_table_is_null       (const ZzTable *table,
                                    guint       row,
                                    guint       column);
const char *zz_table_get_text      (const ZzTable *table,
                                    guint       row,
                                    guint       column);
gint64      zz_table_get_int       (const ZzTable *table,
                                    guint       row,
                                    guint       column);
double      zz_table_get_double    (const ZzTable *table,
                                    guint       row,
                                    guint       column);
/* A cell's number whatever its numeric type (INT, PERCENT, DECIMAL; dates as ms); 0 for NULL. */
double      zz_table_get_number    (const ZzTable *table,
                                    guint       row,
                                    guint       column);
const char *zz_table_get_link      (const ZzTable *table,
                                    guint       row);
/* The cell as shown: counts with no separator, percentages "97.0%", decimals "3.5", dates
 * "2024-03-01", times "2024-03-01 14:05" (local), NULL as "—". */
char       *zz_table_format_cell   (const ZzTable *table,
                                    guint       row,
                                    guint       column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzTable, zz_table_unref)

G_END_DECLS
