/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-households-import"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-csv.h"
#include "zz-households.h"
#include "zz-households-private.h"
#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-store-private.h"

#define MAX_ROWS 200000

struct _ZzHouseholdImport {
  GPtrArray *headers;      /* char* */
  GPtrArray *rows;         /* GPtrArray of char* */
  GArray *lines;           /* guint, the line each row began on */
  int mapping[ZZ_HH_N_COLUMNS];
};

static const struct {
  const char *name;
  const char *titles;      /* header titles recognised, '|'-separated, compared without case */
} columns[ZZ_HH_N_COLUMNS] = {
  [ZZ_HH_COL_NAME] = { N_("Name of the head"), "姓名|户主|户主姓名|name|head" },
  [ZZ_HH_COL_VILLAGE] = { N_("Village (name or code)"), "村|村（社区）|村(社区)|村社区|所属村|所在村|村代码|village" },
  [ZZ_HH_COL_ADDRESS] = { N_("Address"), "地址|住址|家庭住址|家庭地址|address" },
  [ZZ_HH_COL_ID_NUMBER] = { N_("ID number"), "身份证号|身份证号码|公民身份号码|证件号码|id number|id_number" },
  [ZZ_HH_COL_PHONE] = { N_("Phone"), "电话|联系电话|手机|手机号|手机号码|phone" },
  [ZZ_HH_COL_RELATION] = { N_("Relation"), "关系|与户主关系|relation" },
  [ZZ_HH_COL_GRID_WORKER] = { N_("Grid worker"), "网格员|grid worker|grid_worker" },
  [ZZ_HH_COL_OFFICIAL] = { N_("Responsible official"), "包保责任人|包保人|责任人|official" },
  [ZZ_HH_COL_NOTES] = { N_("Notes"), "备注|情况|家庭情况|情况说明|notes" },
};

const char *
zz_household_column_name (ZzHouseholdColumn c)
{
  g_return_val_if_fail (c < ZZ_HH_N_COLUMNS, "");
  return _(columns[c].name);
}

void
zz_household_import_free (ZzHouseholdImport *imp)
{
  if (!imp)
    return;
  g_ptr_array_unref (imp->headers);
  g_ptr_array_unref (imp->rows);
  g_array_unref (imp->lines);
  g_free (imp);
}

static int
guess_column (ZzHouseholdImport *imp, ZzHouseholdColumn c)
{
  g_auto(GStrv) titles = g_strsplit (columns[c].titles, "|", -1);

  for (guint i = 0; i < imp->headers->len; i++)
    {
      g_autofree char *h = g_utf8_casefold (imp->headers->pdata[i], -1);
      for (guint t = 0; titles[t]; t++)
        {
          g_autofree char *want = g_utf8_casefold (titles[t], -1);
          if (g_str_equal (g_strstrip (h), want))
            return (int) i;
        }
    }
  return -1;
}

ZzHouseholdImport *
zz_household_import_new (const char *data, gsize len, GError **error)
{
  g_autoptr(ZzCsv) csv = zz_csv_new (data, len);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  ZzHouseholdImport *imp = g_new0 (ZzHouseholdImport, 1);

  imp->headers = g_ptr_array_new_with_free_func (g_free);
  imp->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  imp->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!zz_csv_next (csv, fields, error))
    {
      if (error && !*error)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The file is empty."));
      zz_household_import_free (imp);
      return NULL;
    }
  for (guint i = 0; i < fields->len; i++)
    g_ptr_array_add (imp->headers, g_strdup (fields->pdata[i]));
  for (;;)
    {
      GPtrArray *row;
      guint line;
      gboolean blank = TRUE;

      if (!zz_csv_next (csv, fields, error))
        {
          if (error && *error)
            {
              zz_household_import_free (imp);
              return NULL;
            }
          break;
        }
      for (guint i = 0; i < fields->len && blank; i++)
        blank = *g_strstrip ((char *) fields->pdata[i]) == '\0';
      if (blank)
        continue;
      if (imp->rows->len >= MAX_ROWS)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The file has more than %d rows; split it."), MAX_ROWS);
          zz_household_import_free (imp);
          return NULL;
        }
      row = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < fields->len; i++)
        g_ptr_array_add (row, g_strdup (fields->pdata[i]));
      g_ptr_array_add (imp->rows, row);
      line = zz_csv_line (csv);
      g_array_append_val (imp->lines, line);
    }
  for (guint c = 0; c < ZZ_HH_N_COLUMNS; c++)
    imp->mapping[c] = guess_column (imp, c);
  return imp;
}

guint
zz_household_import_n_headers (ZzHouseholdImport *imp)
{
  return imp->headers->len;
}

const char *
zz_household_import_header (ZzHouseholdImport *imp, guint i)
{
  g_return_val_if_fail (i < imp->headers->len, NULL);
  return imp->headers->pdata[i];
}

int
zz_household_import_get_mapping (ZzHouseholdImport *imp, ZzHouseholdColumn c)
{
  g_return_val_if_fail (c < ZZ_HH_N_COLUMNS, -1);
  return imp->mapping[c];
}

void
zz_household_import_set_mapping (ZzHouseholdImport *imp, ZzHouseholdColumn c, int col)
{
  g_return_if_fail (c < ZZ_HH_N_COLUMNS);
  imp->mapping[c] = col >= 0 && (guint) col < imp->headers->len ? col : -1;
}

static const char *
cell (ZzHouseholdImport *imp, GPtrArray *row, ZzHouseholdColumn c)
{
  int col = imp->mapping[c];

  if (col < 0 || (guint) col >= row->len)
    return "";
  return g_strstrip ((char *) row->pdata[col]);
}

static void
add_problem (ZzStore *store, GListStore *problems, guint line, const char *reason)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT ? AS line, ? AS reason", NULL);

  if (!stmt)
    return;
  sqlite3_bind_int (stmt, 1, line);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  {
    g_autoptr(ZzRow) r = zz_store_query_row (store, stmt);
    if (r)
      g_list_store_append (problems, r);
  }
}

typedef struct {
  char *name;
  char *code;
} Village;

/* Villages under this centre by code and by name (a name shared by two villages is ambiguous). */
static void
load_villages (ZzStore *store, GHashTable *by_code, GHashTable *by_name)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT code, name FROM org_unit WHERE level = 5 AND code GLOB ? || '*'", NULL);

  if (!stmt)
    return;
  sqlite3_bind_text (stmt, 1, zz_store_get_node_org_unit (store), -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      g_hash_table_insert (by_code, g_strdup (code), g_strdup (code));
      if (g_hash_table_contains (by_name, name))
        g_hash_table_replace (by_name, g_strdup (name), g_strdup (""));
      else
        g_hash_table_insert (by_name, g_strdup (name), g_strdup (code));
    }
  sqlite3_reset (stmt);
}

static char *
id_on_file (ZzStore *store, const char *id_number)
{
  sqlite3_stmt *stmt = zz_store_stmt (store,
                                      "SELECT h.head_name FROM household_member m JOIN household h ON h.id = m.household_id"
                                      " WHERE m.id_number = ? AND m.deleted = 0 AND h.deleted = 0 AND h.status = 'active'"
                                      " LIMIT 1", NULL);
  char *owner = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return owner;
}

/* One row as the registration it becomes: the dry run checks exactly what the import registers. */
typedef struct {
  ZzMemberInput member;
  ZzOfficialInput official;
  ZzHouseholdInput household;
} RowInput;

static void
row_input (ZzHouseholdImport *imp, GPtrArray *row, const char *village, RowInput *out)
{
  const char *relation = cell (imp, row, ZZ_HH_COL_RELATION);

  out->member = (ZzMemberInput) { cell (imp, row, ZZ_HH_COL_NAME), *relation ? relation : "户主",
                                  cell (imp, row, ZZ_HH_COL_ID_NUMBER), cell (imp, row, ZZ_HH_COL_PHONE),
                                  cell (imp, row, ZZ_HH_COL_NOTES) };
  out->official = (ZzOfficialInput) { NULL, cell (imp, row, ZZ_HH_COL_OFFICIAL), NULL };
  out->household = (ZzHouseholdInput) { village, cell (imp, row, ZZ_HH_COL_ADDRESS),
                                        cell (imp, row, ZZ_HH_COL_GRID_WORKER), NULL,
                                        &out->member, 1, &out->official, 1 };
}

gboolean
zz_household_import_run (ZzHouseholdImport *imp, ZzStore *store, gboolean commit, ZzProgressFunc progress,
                         gpointer progress_data, guint *out_good, GListModel **out_problems, GError **error)
{
  static const ZzHouseholdColumn required[] = { ZZ_HH_COL_NAME, ZZ_HH_COL_VILLAGE, ZZ_HH_COL_ADDRESS, ZZ_HH_COL_OFFICIAL };
  g_autoptr(GListStore) problems = g_list_store_new (ZZ_TYPE_ROW);
  g_autoptr(GHashTable) by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) good = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) villages = g_ptr_array_new ();    /* resolved code per good row */

  /* Each row is registered: a role that may not register households cannot import them either,
   * and the dry run says so instead of promising rows. */
  if (!zz_store_require (store, ZZ_PERM_IMPORT_HOUSEHOLDS, error)
      || !zz_store_require (store, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (imp->mapping[required[i]] < 0)
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose the file’s column for “%s”."),
                     zz_household_column_name (required[i]));
        return FALSE;
      }
  load_villages (store, by_code, by_name);

  for (guint r = 0; r < imp->rows->len; r++)
    {
      GPtrArray *row = imp->rows->pdata[r];
      guint line = g_array_index (imp->lines, guint, r);
      g_autoptr(GString) why = g_string_new (NULL);
      const char *name = cell (imp, row, ZZ_HH_COL_NAME);
      const char *village = cell (imp, row, ZZ_HH_COL_VILLAGE);
      const char *idn = cell (imp, row, ZZ_HH_COL_ID_NUMBER);
      const char *phone = cell (imp, row, ZZ_HH_COL_PHONE);
      const char *code = NULL;

#define WHY(...) G_STMT_START { if (why->len) g_string_append (why, _("; ")); \
                                g_string_append_printf (why, __VA_ARGS__); } G_STMT_END
      if (*name == '\0')
        WHY ("%s", _("missing name"));
      else if (g_utf8_strlen (name, -1) > ZZ_MAX_NAME)
        WHY ("%s", _("name longer than 50 characters"));
      if (*village == '\0')
        WHY ("%s", _("missing village"));
      else
        {
          code = g_hash_table_lookup (by_code, village);
          if (!code)
            code = g_hash_table_lookup (by_name, village);
          if (!code)
            WHY (_("unknown village “%s”"), village);
          else if (*code == '\0')
            {
              WHY (_("several villages are named “%s”; use the code"), village);
              code = NULL;
            }
        }
      if (*cell (imp, row, ZZ_HH_COL_ADDRESS) == '\0')
        WHY ("%s", _("missing address"));
      if (*cell (imp, row, ZZ_HH_COL_OFFICIAL) == '\0')
        WHY ("%s", _("missing responsible official"));
      if (*idn)
        {
          g_autoptr(GError) local = NULL;
          g_autofree char *norm = NULL;
          if (!zz_idcard_validate (idn, &norm, &local))
            WHY (_("invalid ID number (%s)"), local->message);
          else
            {
              g_autofree char *owner = id_on_file (store, norm);
              gpointer first = g_hash_table_lookup (seen_ids, norm);
              if (first)
                WHY (_("duplicate ID number (also on line %u)"), GPOINTER_TO_UINT (first));
              else
                g_hash_table_insert (seen_ids, g_strdup (norm), GUINT_TO_POINTER (line));
              if (owner)
                WHY (_("ID number already on file (household of %s)"), owner);
            }
        }
      if (*phone)
        {
          g_autoptr(GError) local = NULL;
          g_autofree char *norm = NULL;
          if (!zz_phone_validate (phone, &norm, &local))
            WHY (_("invalid phone (%s)"), local->message);
        }
      if (why->len == 0)
        {
          /* the registration's own checks (lengths, relation, official, grid worker...) */
          RowInput in;
          g_autoptr(GError) local = NULL;

          row_input (imp, row, code, &in);
          if (!zz_store_check_household (store, &in.household, &local))
            WHY ("%s", local->message);
        }
#undef WHY
      if (why->len)
        add_problem (store, problems, line, why->str);
      else
        {
          g_array_append_val (good, r);
          g_ptr_array_add (villages, (gpointer) code);
        }
      if (progress && r % 500 == 0)
        progress ((commit ? 0.3 : 1.0) * r / imp->rows->len, progress_data);
    }

  if (commit && good->len > 0)
    {
      if (!zz_store_begin (store, error))
        return FALSE;
      for (guint i = 0; i < good->len; i++)
        {
          GPtrArray *row = imp->rows->pdata[g_array_index (good, guint, i)];
          RowInput in;
          g_autoptr(GError) local = NULL;

          row_input (imp, row, villages->pdata[i], &in);
          if (!zz_store_register_household (store, &in.household, NULL, &local))
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Line %u: %s Nothing was imported."),
                           g_array_index (imp->lines, guint, g_array_index (good, guint, i)), local->message);
              zz_store_rollback (store);
              return FALSE;
            }
          if (progress && i % 500 == 0)
            progress (0.3 + 0.7 * i / good->len, progress_data);
        }
      if (!zz_store_commit (store, error))
        return FALSE;
    }
  if (progress)
    progress (1.0, progress_data);
  if (out_good)
    *out_good = good->len;
  if (out_problems)
    *out_problems = G_LIST_MODEL (g_steal_pointer (&problems));
  return TRUE;
}

/* ---- in a worker thread, with its own connection ---- */

typedef struct {
  ZzHouseholdImport *imp;   /* not owned: the caller keeps it alive and untouched until done */
  char *db_path;
  char *login;
  gint64 fixed_now;
  gboolean commit;
  ZzThreadProgress progress;   /* reported on the caller's context */
  guint good;
  GListModel *problems;
} RunData;

static void
run_data_free (RunData *d)
{
  g_free (d->db_path);
  g_free (d->login);
  g_clear_object (&d->problems);
  zz_thread_progress_clear (&d->progress);
  g_free (d);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *d = task_data;
  g_autoptr(ZzStore) store = NULL;
  GError *error = NULL;

  store = zz_store_open (d->db_path, &error);
  if (store && d->fixed_now)
    zz_store_set_now (store, d->fixed_now);
  if (!store || !zz_store_act_as (store, d->login, &error)
      || !zz_household_import_run (d->imp, store, d->commit, zz_thread_progress_report, &d->progress, &d->good, &d->problems, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
zz_household_import_run_async (ZzHouseholdImport *imp, ZzStore *store, gboolean commit,
                               ZzProgressFunc progress, gpointer progress_data,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  RunData *d;
  GError *error = NULL;

  if (!zz_store_require (store, ZZ_PERM_IMPORT_HOUSEHOLDS, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  d = g_new0 (RunData, 1);
  d->imp = imp;
  d->db_path = g_strdup (store->path);
  d->login = g_strdup (store->user_login);
  d->fixed_now = store->fixed_now;
  d->commit = commit;
  zz_thread_progress_init (&d->progress, progress, progress_data);
  g_task_set_task_data (task, d, (GDestroyNotify) run_data_free);
  g_task_set_source_tag (task, zz_household_import_run_async);
  g_task_run_in_thread (task, run_thread);
}

gboolean
zz_household_import_run_finish (GAsyncResult *result, guint *out_good, GListModel **out_problems,
                                GError **error)
{
  GTask *task = G_TASK (result);
  RunData *d = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (out_good)
    *out_good = d->good;
  if (out_problems)
    *out_problems = g_steal_pointer (&d->problems);
  return TRUE;
}
