/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-divisions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-csv.h"
#include "zz-store-private.h"

/* The five files of the official statistical division codes, top level first. Every file's third
 * column is the parent's code. */
static const struct {
  const char *file;
  const char *header;
  int level;
  int code_len;
  int parent_len;
} levels[] = {
  { "provinces.csv", "code,name", 1, 2, 0 },
  { "cities.csv", "code,name,provinceCode", 2, 4, 2 },
  { "areas.csv", "code,name,cityCode,provinceCode", 3, 6, 4 },
  { "streets.csv", "code,name,areaCode,provinceCode,cityCode", 4, 9, 6 },
  { "villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode", 5, 12, 9 },
};

#define MAX_DIVISION_FILE (64 * 1024 * 1024)

/* The folder an installed program was installed under: "" when it runs as BINDIR/zongzhi-cli
 * (the package), "/tmp/x" when it runs as /tmp/x/BINDIR/zongzhi-cli (a staged install, `meson
 * install --destdir`). NULL when it runs from the build tree or elsewhere. */
static char *
install_root (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;

  if (!dir || !g_str_has_suffix (dir, BINDIR))
    return NULL;
  return g_strndup (dir, strlen (dir) - strlen (BINDIR));
}

const char *
zz_data_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("ZZ_DATADIR");
      g_autofree char *root = install_root ();
      g_autofree char *probe = g_build_filename (SOURCE_DATADIR, "divisions", "villages.csv", NULL);
      char *found;

      /* an installed program reads its own installed data, never a source tree */
      if (env && *env)
        found = g_strdup (env);
      else if (root)
        found = g_strconcat (root, PKGDATADIR, NULL);
      else if (g_file_test (probe, G_FILE_TEST_EXISTS))
        found = g_strdup (SOURCE_DATADIR);
      else
        found = g_strdup (PKGDATADIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

const char *
zz_locale_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("ZZ_LOCALEDIR");
      g_autofree char *root = install_root ();
      char *found;

      if (env && *env)
        found = g_strdup (env);
      else if (root)
        found = g_strconcat (root, LOCALEDIR, NULL);
      else
        found = g_strdup (LOCALEDIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
in_scope (const char *code, const char *within)
{
  if (within == NULL)
    return TRUE;
  return g_str_has_prefix (code, within) || g_str_has_prefix (within, code);
}

static gboolean
check_header (GPtrArray *fields, const char *expected, const char *file, GError **error)
{
  g_auto(GStrv) names = g_strsplit (expected, ",", -1);

  if (fields->len != g_strv_length (names))
    goto bad;
  for (guint i = 0; i < fields->len; i++)
    if (g_strcmp0 (g_strstrip ((char *) fields->pdata[i]), names[i]) != 0)
      goto bad;
  return TRUE;
bad:
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
               _("%s, line 1: the header must be “%s”."), file, expected);
  return FALSE;
}

static gboolean
import_unchecked (ZzStore        *self,
                  const char     *dir,
                           const char     *within,
                           ZzProgressFunc  progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           guint          *out_count,
                           GError        **error)
{
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GMappedFile *files[G_N_ELEMENTS (levels)] = { NULL };
  gsize total = 0, done = 0;
  guint count = 0;
  gboolean ok = FALSE;
  sqlite3_stmt *insert;
  sqlite3_stmt *exists;
  double last_reported = -1;

  if (within && (!all_digits (within) || strlen (within) > 12))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("“%s” is not a division code."), within);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autofree char *path = g_build_filename (dir, levels[i].file, NULL);
      g_autoptr(GError) local = NULL;

      files[i] = g_mapped_file_new (path, FALSE, &local);
      if (!files[i])
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Cannot read %s: %s"), path, local->message);
          goto out;
        }
      if (g_mapped_file_get_length (files[i]) > MAX_DIVISION_FILE)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("%s is too large to be a division file."), path);
          goto out;
        }
      total += g_mapped_file_get_length (files[i]);
    }

  if (!zz_store_begin (self, error))
    goto out;
  insert = zz_store_stmt (self, "INSERT INTO org_unit (code, name, level, parent) VALUES (?, ?, ?, ?)"
                                " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                                " level = excluded.level, parent = excluded.parent", error);
  exists = zz_store_stmt (self, "SELECT 1 FROM org_unit WHERE code = ?", error);
  if (!insert || !exists)
    goto rollback;

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      gsize len = g_mapped_file_get_length (files[i]);
      g_autoptr(ZzCsv) csv = zz_csv_new (g_mapped_file_get_contents (files[i]), len);
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) local = NULL;
      const char *file = levels[i].file;
      guint expected_cols;
      guint rows = 0;

      if (!zz_csv_next (csv, fields, &local))
        {
          if (local)
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, "%s: %s", file, local->message);
          else
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("%s is empty."), file);
          goto rollback;
        }
      if (!check_header (fields, levels[i].header, file, error))
        goto rollback;
      expected_cols = fields->len;

      while (zz_csv_next (csv, fields, &local))
        {
          const char *code, *name, *parent = NULL;
          guint line = zz_csv_line (csv);

          if (fields->len != expected_cols)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                           _("%s, line %u: expected %u columns, found %u."), file, line, expected_cols, fields->len);
              goto rollback;
            }
          code = g_strstrip ((char *) fields->pdata[0]);
          name = g_strstrip ((char *) fields->pdata[1]);
          if (levels[i].parent_len)
            parent = g_strstrip ((char *) fields->pdata[2]);
          if (!all_digits (code) || (int) strlen (code) != levels[i].code_len)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                           _("%s, line %u: “%s” is not a %d-digit division code."), file, line, code,
                           levels[i].code_len);
              goto rollback;
            }
          if (*name == '\0' || g_utf8_strlen (name, -1) > 100)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("%s, line %u: the name is empty or too long."),
                           file, line);
              goto rollback;
            }
          if (parent && (!g_str_has_prefix (code, parent) || (int) strlen (parent) != levels[i].parent_len))
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                           _("%s, line %u: code %s does not lie under its parent %s."), file, line, code, parent);
              goto rollback;
            }
          rows++;
          if (in_scope (code, within))
            {
              if (parent && !g_hash_table_contains (known, parent))
                {
                  sqlite3_reset (exists);
                  sqlite3_bind_text (exists, 1, parent, -1, SQLITE_STATIC);
                  if (sqlite3_step (exists) != SQLITE_ROW)
                    {
                      sqlite3_reset (exists);
                      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                                   _("%s, line %u: the parent code %s is not in the files."), file, line, parent);
                      goto rollback;
                    }
                  sqlite3_reset (exists);
                }
              sqlite3_reset (insert);
              sqlite3_bind_text (insert, 1, code, -1, SQLITE_STATIC);
              sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
              sqlite3_bind_int (insert, 3, levels[i].level);
              if (parent)
                sqlite3_bind_text (insert, 4, parent, -1, SQLITE_STATIC);
              else
                sqlite3_bind_null (insert, 4);
              if (!zz_store_step_done (self, insert, error))
                goto rollback;
              /* Villages have no children: no need to remember them. */
              if (i + 1 < G_N_ELEMENTS (levels))
                g_hash_table_add (known, g_strdup (code));
              count++;
            }
          if ((rows & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            goto rollback;
          if (progress && (rows & 255) == 0)
            {
              double fraction = (double) (done + zz_csv_offset (csv)) / total;
              if (fraction - last_reported >= 0.01)
                {
                  progress (fraction, progress_data);
                  last_reported = fraction;
                }
            }
        }
      if (local)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, "%s: %s", file, local->message);
          goto rollback;
        }
      done += len;
      if (progress)
        progress ((double) done / total, progress_data);
    }
  if (count == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("No division with code %s was found in the files."),
                   within ? within : "");
      goto rollback;
    }
  zz_store_mark_changed (self, "org_unit");
  if (!zz_store_commit (self, error))
    goto out;
  if (out_count)
    *out_count = count;
  ok = TRUE;
  goto out;

rollback:
  zz_store_rollback (self);
out:
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (files[i])
      g_mapped_file_unref (files[i]);
  return ok;
}

/* Before the first run there is nobody to log in; afterwards only administrators. */
static gboolean
may_import (ZzStore *self, GError **error)
{
  return !self->node_id || zz_store_require (self, ZZ_PERM_IMPORT_DIVISIONS, error);
}

gboolean
zz_store_import_divisions (ZzStore        *self,
                           const char     *dir,
                           const char     *within,
                           ZzProgressFunc  progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           guint          *out_count,
                           GError        **error)
{
  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!may_import (self, error))
    return FALSE;
  return import_unchecked (self, dir, within, progress, progress_data, cancellable, out_count, error);
}

/* ---- in a worker thread ---- */

typedef struct {
  char *db_path;
  char *dir;
  char *within;
  ZzThreadProgress progress;   /* reported on the caller's context */
  guint count;
} ImportData;

static void
import_data_free (ImportData *d)
{
  g_free (d->db_path);
  g_free (d->dir);
  g_free (d->within);
  zz_thread_progress_clear (&d->progress);
  g_free (d);
}

static void
import_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImportData *d = task_data;
  g_autoptr(ZzStore) store = NULL;
  GError *error = NULL;

  store = zz_store_open (d->db_path, &error);
  if (!store || !import_unchecked (store, d->dir, d->within, zz_thread_progress_report, &d->progress,
                                   cancellable, &d->count, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
zz_store_import_divisions_async (ZzStore             *self,
                                 const char          *dir,
                                 const char          *within,
                                 GCancellable        *cancellable,
                                 ZzProgressFunc       progress,
                                 gpointer             progress_data,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ImportData *d;
  GError *error = NULL;

  if (!may_import (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  d = g_new0 (ImportData, 1);
  d->db_path = g_strdup (self->path);
  d->dir = g_strdup (dir);
  d->within = g_strdup (within);
  zz_thread_progress_init (&d->progress, progress, progress_data);
  g_task_set_task_data (task, d, (GDestroyNotify) import_data_free);
  g_task_set_source_tag (task, zz_store_import_divisions_async);
  g_task_run_in_thread (task, import_thread);
}

gboolean
zz_store_import_divisions_finish (GAsyncResult *result, guint *out_count, GError **error)
{
  GTask *task = G_TASK (result);
  ImportData *d = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (out_count)
    *out_count = d->count;
  return TRUE;
}

/* ---- queries ---- */

/* Villages (level 5) have four ancestors: all of them are in the path. */
#define ORG_UNIT_COLUMNS \
  "o.code, o.name, o.level, o.parent," \
  " ltrim(coalesce(p4.name || ' ', '') || coalesce(p3.name || ' ', '') || coalesce(p2.name || ' ', '')" \
  " || coalesce(p1.name, '')) AS path" \
  " FROM org_unit o LEFT JOIN org_unit p1 ON p1.code = o.parent" \
  " LEFT JOIN org_unit p2 ON p2.code = p1.parent LEFT JOIN org_unit p3 ON p3.code = p2.parent" \
  " LEFT JOIN org_unit p4 ON p4.code = p3.parent"

GListModel *
zz_store_search_org_units (ZzStore *self, const char *query, guint limit)
{
  g_autofree char *q = g_strstrip (g_strdup (query ? query : ""));
  g_autofree char *like = NULL;
  sqlite3_stmt *stmt;
  gboolean numeric = all_digits (q);

  if (*q == '\0')
    {
      stmt = zz_store_stmt (self, "SELECT " ORG_UNIT_COLUMNS " WHERE o.level <= 3 ORDER BY o.code LIMIT ?3", NULL);
      if (!stmt)
        return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
      sqlite3_bind_int (stmt, 3, limit ? limit : 50);
      return zz_store_query_rows (self, stmt);
    }
  like = g_strdup_printf ("%%%s%%", q);
  stmt = zz_store_stmt (self, "SELECT " ORG_UNIT_COLUMNS
                              " WHERE (?1 AND o.code GLOB ?2 || '*') OR (NOT ?1 AND instr(o.name, ?2) > 0)"
                              " ORDER BY o.level, o.code LIMIT ?3", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_int (stmt, 1, numeric);
  sqlite3_bind_text (stmt, 2, q, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, limit ? limit : 50);
  return zz_store_query_rows (self, stmt);
}

ZzRow *
zz_store_get_org_unit (ZzStore *self, const char *code)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT " ORG_UNIT_COLUMNS " WHERE o.code = ?", NULL);

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return zz_store_query_row (self, stmt);
}

guint
zz_store_count_org_units (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM org_unit", NULL);

  return stmt ? (guint) zz_store_query_int (self, stmt, 0) : 0;
}

char *
zz_store_org_unit_path (ZzStore *self, const char *code)
{
  g_autoptr(ZzRow) row = zz_store_get_org_unit (self, code);

  if (!row)
    return NULL;
  if (zz_row_get (row, "path") && *zz_row_get (row, "path"))
    return g_strdup_printf ("%s %s", zz_row_get (row, "path"), zz_row_get (row, "name"));
  return g_strdup (zz_row_get (row, "name"));
}
