/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "zz-table.h"

typedef struct {
  char      *key;
  char      *title;
  ZzCellType type;
} Column;

typedef struct {
  gboolean set;
  union {
    char  *text;
    gint64 i;
    double d;
  };
} Cell;

struct _ZzTable {
  gatomicrefcount ref;
  char           *key;
  char           *title;
  GArray         *columns;   /* Column */
  GPtrArray      *rows;      /* Cell[] of columns->len, allocated as columns are at add time */
  GPtrArray      *links;     /* char * or NULL, per row */
};

static void
column_clear (gpointer p)
{
  Column *c = p;
  g_free (c->key);
  g_free (c->title);
}

ZzTable *
zz_table_new (const char *key, const char *title)
{
  ZzTable *t = g_new0 (ZzTable, 1);

  g_atomic_ref_count_init (&t->ref);
  t->key = g_strdup (key);
  t->title = g_strdup (title);
  t->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (t->columns, column_clear);
  t->rows = g_ptr_array_new ();
  t->links = g_ptr_array_new_with_free_func (g_free);
  return t;
}

ZzTable *
zz_table_ref (ZzTable *table)
{
  g_atomic_ref_count_inc (&table->ref);
  return table;
}

static void
free_row (ZzTable *t, Cell *cells)
{
  for (guint c = 0; c < t->columns->len; c++)
    if (g_array_index (t->columns, Column, c).type == ZZ_CELL_TEXT && cells[c].set)
      g_free (cells[c].text);
  g_free (cells);
}

void
zz_table_unref (ZzTable *table)
{
  if (!table || !g_atomic_ref_count_dec (&table->ref))
    return;
  for (guint r = 0; r < table->rows->len; r++)
    free_row (table, table->rows->pdata[r]);
  g_ptr_array_unref (table->rows);
  g_ptr_array_unref (table->links);
  g_array_unref (table->columns);
  g_free (table->key);
  g_free (table->title);
  g_free (table);
}

const char *
zz_table_get_key (const ZzTable *table)
{
  return table->key;
}

const char *
zz_table_get_title (const ZzTable *table)
{
  return table->title;
}

guint
zz_table_add_column (ZzTable *table, const char *key, const char *title, ZzCellType type)
{
  Column c = { g_strdup (key), g_strdup (title), type };

  /* Columns are declared before rows are added. */
  g_return_val_if_fail (table->rows->len == 0, 0);
  g_array_append_val (table->columns, c);
  return table->columns->len - 1;
}

guint
zz_table_n_columns (const ZzTable *table)
{
  return table->columns->len;
}

guint
zz_table_n_rows (const ZzTable *table)
{
  return table->rows->len;
}

static const Column *
column (const ZzTable *table, guint c)
{
  g_return_val_if_fail (c < table->columns->len, NULL);
  return &g_array_index (table->columns, Column, c);
}

const char *
zz_table_column_key (const ZzTable *table, guint c)
{
  return column (table, c)->key;
}

const char *
zz_table_column_title (const ZzTable *table, guint c)
{
  return column (table, c)->title;
}

ZzCellType
zz_table_column_type (const ZzTable *table, guint c)
{
  return column (table, c)->type;
}

int
zz_table_column_index (const ZzTable *table, const char *key)
{
  for (guint c = 0; c < table->columns->len; c++)
    if (g_strcmp0 (g_array_index (table->columns, Column, c).key, key) == 0)
      return (int) c;
  return -1;
}

guint
zz_table_add_row (ZzTable *table)
{
  g_ptr_array_add (table->rows, g_new0 (Cell, MAX (table->columns->len, 1)));
  g_ptr_array_add (table->links, NULL);
  return table->rows->len - 1;
}

static Cell *
cell (const ZzTable *table, guint row, guint c)
{
  g_return_val_if_fail (row < table->rows->len && c < table->columns->len, NULL);
  return &((Cell *) table->rows->pdata[row])[c];
}

void
zz_table_set_text (ZzTable *table, guint row, guint c, const char *text)
{
  Cell *x = cell (table, row, c);

  g_return_if_fail (x && column (table, c)->type == ZZ_CELL_TEXT);
  if (x->set)
    g_free (x->text);
  x->text = g_strdup (text);
  x->set = text != NULL;
}

void
zz_table_set_int (ZzTable *table, guint row, guint c, gint64 value)
{
  Cell *x = cell (table, row, c);
  ZzCellType type = column (table, c)->type;

  g_return_if_fail (x && (type == ZZ_CELL_INT || type == ZZ_CELL_DATE || type == ZZ_CELL_DATETIME));
  x->i = value;
  x->set = TRUE;
}

void
zz_table_set_double (ZzTable *table, guint row, guint c, double value)
{
  Cell *x = cell (table, row, c);
  ZzCellType type = column (table, c)->type;

  g_return_if_fail (x && (type == ZZ_CELL_PERCENT || type == ZZ_CELL_DECIMAL));
  /* A rate with nothing to divide by stays empty rather than a NaN in a spreadsheet. */
  x->set = isfinite (value);
  x->d = value;
}

void
zz_table_set_link (ZzTable *table, guint row, const char *link)
{
  g_return_if_fail (row < table->links->len);
  g_free (table->links->pdata[row]);
  table->links->pdata[row] = g_strdup (link);
}

gboolean
zz_table_is_null (const ZzTable *table, guint row, guint c)
{
  Cell *x = cell (table, row, c);
  return !x || !x->set;
}

const char *
zz_table_get_text (const ZzTable *table, guint row, guint c)
{
  Cell *x = cell (table, row, c);
  return x && x->set && column (table, c)->type == ZZ_CELL_TEXT ? x->text : NULL;
}

gint64
zz_table_get_int (const ZzTable *table, guint row, guint c)
{
  Cell *x = cell (table, row, c);
  ZzCellType type = column (table, c)->type;
  return x && x->set && (type == ZZ_CELL_INT || type == ZZ_CELL_DATE || type == ZZ_CELL_DATETIME) ? x->i : 0;
}

double
zz_table_get_double (const ZzTable *table, guint row, guint c)
{
  Cell *x = cell (table, row, c);
  ZzCellType type = column (table, c)->type;
  return x && x->set && (type == ZZ_CELL_PERCENT || type == ZZ_CELL_DECIMAL) ? x->d : 0;
}

double
zz_table_get_number (const ZzTable *table, guint row, guint c)
{
  switch (column (table, c)->type)
    {
    case ZZ_CELL_PERCENT:
    case ZZ_CELL_DECIMAL:
      return zz_table_get_double (table, row, c);
    case ZZ_CELL_INT:
    case ZZ_CELL_DATE:
    case ZZ_CELL_DATETIME:
      return (double) zz_table_get_int (table, row, c);
    case ZZ_CELL_TEXT:
    default:
      return 0;
    }
}

const char *
zz_table_get_link (const ZzTable *table, guint row)
{
  g_return_val_if_fail (row < table->links->len, NULL);
  return table->links->pdata[row];
}

char *
zz_table_format_cell (const ZzTable *table, guint row, guint c)
{
  Cell *x = cell (table, row, c);
  g_autoptr(GDateTime) dt = NULL;

  if (!x || !x->set)
    return g_strdup ("—");
  switch (column (table, c)->type)
    {
    case ZZ_CELL_TEXT:
      return g_strdup (x->text);
    case ZZ_CELL_INT:
      return g_strdup_printf ("%lld", (long long) x->i);
    case ZZ_CELL_PERCENT:
      return g_strdup_printf ("%.1f%%", x->d * 100.0);
    case ZZ_CELL_DECIMAL:
      return g_strdup_printf ("%.1f", x->d);
    case ZZ_CELL_DATE:
    case ZZ_CELL_DATETIME:
      dt = g_date_time_new_from_unix_local (x->i / 1000);
      if (!dt)
        return g_strdup ("—");
      return g_date_time_format (dt, column (table, c)->type == ZZ_CELL_DATE ? "%Y-%m-%d" : "%Y-%m-%d %H:%M");
    default:
      g_return_val_if_reached (NULL);
    }
}
