/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "zz-store-private.h"

struct _ZzRow {
  GObject parent_instance;
  guint n;
  const char **names;  /* interned */
  char **values;
  gint64 *ints;
};

G_DEFINE_FINAL_TYPE (ZzRow, zz_row, G_TYPE_OBJECT)

static void
zz_row_finalize (GObject *object)
{
  ZzRow *self = ZZ_ROW (object);

  for (guint i = 0; i < self->n; i++)
    g_free (self->values[i]);
  g_free (self->values);
  g_free (self->names);
  g_free (self->ints);
  G_OBJECT_CLASS (zz_row_parent_class)->finalize (object);
}

static void
zz_row_class_init (ZzRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zz_row_finalize;
}

static void
zz_row_init (ZzRow *self)
{
}

ZzRow *
zz_row_new_from_stmt (sqlite3_stmt *stmt)
{
  ZzRow *self = g_object_new (ZZ_TYPE_ROW, NULL);
  int n = sqlite3_column_count (stmt);

  self->n = n;
  self->names = g_new (const char *, n);
  self->values = g_new0 (char *, n);
  self->ints = g_new0 (gint64, n);
  for (int i = 0; i < n; i++)
    {
      int type = sqlite3_column_type (stmt, i);

      self->names[i] = g_intern_string (sqlite3_column_name (stmt, i));
      if (type == SQLITE_NULL)
        continue;
      if (type == SQLITE_INTEGER)
        {
          self->ints[i] = sqlite3_column_int64 (stmt, i);
          self->values[i] = g_strdup_printf ("%" G_GINT64_FORMAT, self->ints[i]);
        }
      else
        {
          self->values[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
          self->ints[i] = g_ascii_strtoll (self->values[i], NULL, 10);
        }
    }
  return self;
}

static int
find (ZzRow *self, const char *column)
{
  const char *interned = g_intern_string (column);

  for (guint i = 0; i < self->n; i++)
    if (self->names[i] == interned)
      return i;
  return -1;
}

const char *
zz_row_get (ZzRow *self, const char *column)
{
  int i;

  g_return_val_if_fail (ZZ_IS_ROW (self), NULL);
  i = find (self, column);
  return i < 0 ? NULL : self->values[i];
}

gint64
zz_row_get_int (ZzRow *self, const char *column)
{
  int i;

  g_return_val_if_fail (ZZ_IS_ROW (self), 0);
  i = find (self, column);
  return i < 0 ? 0 : self->ints[i];
}

gboolean
zz_row_has (ZzRow *self, const char *column)
{
  g_return_val_if_fail (ZZ_IS_ROW (self), FALSE);
  return find (self, column) >= 0;
}

const char *
zz_row_get_id (ZzRow *self)
{
  return zz_row_get (self, "id");
}
