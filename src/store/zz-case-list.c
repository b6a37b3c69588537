/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-case-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-store-private.h"

char   *zz_cases_normalise_query (const char *query);
GArray *zz_cases_search_rowids   (ZzStore *self, const char *query, guint limit);
char   *zz_cases_rowids_json     (GArray *rowids);

/* The last key of a page: the sort value and the id, to continue after. */
typedef struct {
  char *value;
  char *id;
} Key;

struct _ZzCaseList {
  GObject parent_instance;

  ZzStore *store;
  char *where;            /* SQL conditions built from the filter (no user text in it) */
  GPtrArray *params;      /* text parameters ?1.. of @where */
  ZzCaseSort sort;
  gboolean reverse;
  const char *index;       /* an index to walk in order, when the planner would sort instead */
  gboolean by_status;      /* only a status condition: the kept counts give the length */
  char *status;            /* that status, "open" or NULL for all */
  gint64 now;
  guint n_items;
  GArray *hits;           /* a search: the matching rowids, newest first, at most SEARCH_MAX */
  gboolean truncated;

  GHashTable *pages;      /* page index -> GPtrArray of ZzRow */
  GQueue lru;             /* page indexes, most recent first */
  GHashTable *keys;       /* page index -> Key of its last row */
  guint fetches;
};

static void zz_case_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZzCaseList, zz_case_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, zz_case_list_model_init))

static void
key_free (gpointer p)
{
  Key *k = p;
  g_free (k->value);
  g_free (k->id);
  g_free (k);
}

#define ROW_COLUMNS \
  "c.id, c.number, c.summary, c.category, c.level, c.status, c.holder, c.deadline_at, c.registered_at," \
  " (SELECT group_concat (coalesce (p.name, cp.org_name), '、') FROM case_party cp" \
  "  LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id) AS parties"

static const char *
sort_column (ZzCaseSort sort)
{
  switch (sort)
    {
    case ZZ_CASE_SORT_DEADLINE: return "c.deadline_at";
    case ZZ_CASE_SORT_NUMBER: return "c.number";
    /* Ranks in the order of the loop and of the tiers (generated columns, indexed). */
    case ZZ_CASE_SORT_STATUS: return "c.status_rank";
    case ZZ_CASE_SORT_LEVEL: return "c.level_rank";
    case ZZ_CASE_SORT_CATEGORY: return "c.category";
    case ZZ_CASE_SORT_NEWEST:
    default:
      return "c.registered_at";
    }
}

static gboolean
sort_is_text (ZzCaseSort sort)
{
  return sort == ZZ_CASE_SORT_NUMBER || sort == ZZ_CASE_SORT_CATEGORY;
}

static void
bind_params (ZzCaseList *self, sqlite3_stmt *stmt)
{
  for (guint i = 0; i < self->params->len; i++)
    sqlite3_bind_text (stmt, i + 1, self->params->pdata[i], -1, SQLITE_TRANSIENT);
}

static void
clear_cache (ZzCaseList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->keys);
}

static GPtrArray *
fetch_hits_page (ZzCaseList *self, guint page)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT " ROW_COLUMNS " FROM case_file c WHERE c.rowid = ?");
  sqlite3_stmt *stmt = zz_store_stmt (self->store, sql->str, NULL);

  if (!stmt)
    return rows;
  for (guint i = page * ZZ_CASE_PAGE_SIZE; i < MIN (self->hits->len, (page + 1) * ZZ_CASE_PAGE_SIZE); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (self->hits, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (rows, zz_row_new_from_stmt (stmt));
    }
  sqlite3_reset (stmt);
  return rows;
}

static GPtrArray *
fetch_page (ZzCaseList *self, guint page)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *col = sort_column (self->sort);
  gboolean desc = (self->sort == ZZ_CASE_SORT_NEWEST) != self->reverse;
  Key *after = NULL;
  guint offset = page * ZZ_CASE_PAGE_SIZE;
  int base = self->params->len;
  sqlite3_stmt *stmt;

  /* Continue after the nearest page before this one whose last key is known. */
  for (guint p = page; p > 0; p--)
    if ((after = g_hash_table_lookup (self->keys, GUINT_TO_POINTER (p - 1))))
      {
        offset = (page - p) * ZZ_CASE_PAGE_SIZE;
        break;
      }
  g_string_append_printf (sql, "SELECT " ROW_COLUMNS ", %s AS sort_key FROM case_file c %s%s WHERE %s", col,
                          self->index ? "INDEXED BY " : "", self->index ? self->index : "", self->where);
  if (after)
    g_string_append_printf (sql, " AND (%s, c.id) %s (?%d, ?%d)", col, desc ? "<" : ">", base + 1, base + 2);
  g_string_append_printf (sql, " ORDER BY %s %s, c.id %s LIMIT %d OFFSET %u", col, desc ? "DESC" : "",
                          desc ? "DESC" : "", ZZ_CASE_PAGE_SIZE, offset);
  stmt = zz_store_stmt (self->store, sql->str, NULL);
  if (!stmt)
    return rows;
  bind_params (self, stmt);
  if (after)
    {
      if (sort_is_text (self->sort))
        sqlite3_bind_text (stmt, base + 1, after->value, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, base + 1, g_ascii_strtoll (after->value, NULL, 10));
      sqlite3_bind_text (stmt, base + 2, after->id, -1, SQLITE_TRANSIENT);
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, zz_row_new_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rows->len)
    {
      ZzRow *last = rows->pdata[rows->len - 1];
      Key *k = g_new0 (Key, 1);
      k->value = g_strdup (zz_row_get (last, "sort_key"));
      k->id = g_strdup (zz_row_get_id (last));
      /* Keys of far pages are thinned out so their number stays bounded; a jump then costs an
       * OFFSET from the nearest kept one. */
      if (g_hash_table_size (self->keys) >= 1024)
        {
          GHashTableIter iter;
          gpointer idx;
          g_hash_table_iter_init (&iter, self->keys);
          while (g_hash_table_iter_next (&iter, &idx, NULL))
            if (GPOINTER_TO_UINT (idx) % 64 != 63)
              g_hash_table_iter_remove (&iter);
        }
      g_hash_table_insert (self->keys, GUINT_TO_POINTER (page), k);
    }
  return rows;
}

static GType
zz_case_list_get_item_type (GListModel *model)
{
  return ZZ_TYPE_ROW;
}

static guint
zz_case_list_get_n_items (GListModel *model)
{
  return ZZ_CASE_LIST (model)->n_items;
}

static gpointer
zz_case_list_get_item (GListModel *model, guint position)
{
  ZzCaseList *self = ZZ_CASE_LIST (model);
  guint page = position / ZZ_CASE_PAGE_SIZE;
  GPtrArray *rows;

  if (position >= self->n_items)
    return NULL;
  rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (rows)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
    }
  else
    {
      rows = self->hits ? fetch_hits_page (self, page) : fetch_page (self, page);
      self->fetches++;
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      while (g_queue_get_length (&self->lru) > ZZ_CASE_CACHED_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
    }
  position %= ZZ_CASE_PAGE_SIZE;
  /* A row deleted since the count leaves a short page: hand back nothing rather than guess. */
  if (position >= rows->len)
    return NULL;
  return g_object_ref (rows->pdata[position]);
}

static void
zz_case_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = zz_case_list_get_item_type;
  iface->get_n_items = zz_case_list_get_n_items;
  iface->get_item = zz_case_list_get_item;
}

static void
zz_case_list_finalize (GObject *object)
{
  ZzCaseList *self = ZZ_CASE_LIST (object);

  clear_cache (self);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->keys);
  g_clear_pointer (&self->hits, g_array_unref);
  g_ptr_array_unref (self->params);
  g_free (self->where);
  g_free (self->status);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (zz_case_list_parent_class)->finalize (object);
}

static void
zz_case_list_class_init (ZzCaseListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zz_case_list_finalize;
}

static void
zz_case_list_init (ZzCaseList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->keys = g_hash_table_new_full (NULL, NULL, NULL, key_free);
  self->params = g_ptr_array_new_with_free_func (g_free);
  self->where = g_strdup ("0");
  g_queue_init (&self->lru);
}

ZzCaseList *
zz_case_list_new (ZzStore *store)
{
  ZzCaseList *self = g_object_new (ZZ_TYPE_CASE_LIST, NULL);

  self->store = g_object_ref (store);
  return self;
}

static void
add_param (ZzCaseList *self, GString *where, const char *cond, const char *value)
{
  g_ptr_array_add (self->params, g_strdup (value));
  g_string_append_printf (where, " AND %s ?%u", cond, self->params->len);
}

static guint
count (ZzCaseList *self)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (self->by_status)
    {
      stmt = zz_store_stmt (self->store,
                            "SELECT coalesce (sum (n), 0) FROM case_count WHERE ?1 IS NULL OR status = ?1"
                            " OR (?1 = 'open' AND status IN ('registered', 'dispatched', 'in_progress', 'reopened'))",
                            NULL);
      if (!stmt)
        return 0;
      sqlite3_bind_text (stmt, 1, self->status, -1, SQLITE_TRANSIENT);
      return (guint) zz_store_query_int (self->store, stmt, 0);
    }
  sql = g_strdup_printf ("SELECT count(*) FROM case_file c %s%s WHERE %s", self->index ? "INDEXED BY " : "",
                         self->index ? self->index : "", self->where);
  stmt = zz_store_stmt (self->store, sql, NULL);
  if (!stmt)
    return 0;
  bind_params (self, stmt);
  return (guint) zz_store_query_int (self->store, stmt, 0);
}

static void
reload (ZzCaseList *self, const char *query)
{
  g_autofree char *q = zz_cases_normalise_query (query);

  clear_cache (self);
  g_clear_pointer (&self->hits, g_array_unref);
  self->truncated = FALSE;
  if (!zz_store_can (self->store, ZZ_PERM_VIEW_CASES))
    {
      self->n_items = 0;
      return;
    }
  if (*q)
    {
      /* A search: its newest matches (bounded) filtered by the other conditions. */
      g_autoptr(GArray) found = zz_cases_search_rowids (self->store, q, ZZ_CASE_SEARCH_MAX + 1);
      g_autofree char *json = zz_cases_rowids_json (found);
      g_autofree char *sql = g_strdup_printf ("SELECT c.rowid FROM case_file c WHERE c.rowid IN"
                                              " (SELECT value FROM json_each (?%u)) AND %s ORDER BY c.rowid DESC",
                                              self->params->len + 1, self->where);
      sqlite3_stmt *stmt;

      self->hits = g_array_new (FALSE, FALSE, sizeof (gint64));
      stmt = found->len ? zz_store_stmt (self->store, sql, NULL) : NULL;
      if (stmt)
        {
          bind_params (self, stmt);
          sqlite3_bind_text (stmt, self->params->len + 1, json, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              gint64 r = sqlite3_column_int64 (stmt, 0);
              g_array_append_val (self->hits, r);
            }
          sqlite3_reset (stmt);
        }
      self->truncated = found->len > ZZ_CASE_SEARCH_MAX;
      if (self->hits->len > ZZ_CASE_SEARCH_MAX)
        g_array_set_size (self->hits, ZZ_CASE_SEARCH_MAX);
      self->n_items = self->hits->len;
      return;
    }
  self->n_items = count (self);
}

static const char *saved_query_key = "zz-case-list-query";

void
zz_case_list_set_filter (ZzCaseList *self, const ZzCaseFilter *f)
{
  g_autoptr(GString) where = g_string_new ("c.deleted = 0");
  guint old = self->n_items;

  g_return_if_fail (ZZ_IS_CASE_LIST (self));
  g_ptr_array_set_size (self->params, 0);
  self->sort = f->sort;
  self->reverse = f->reverse;
  self->now = zz_store_now (self->store);
  /* Open cases walk a partial index in the order shown: the status index would find them all and
   * sort them before the first page. */
  self->index = NULL;
  g_free (self->status);
  self->status = g_strdup (f->status && *f->status ? f->status : NULL);
  self->by_status = !(f->category && *f->category) && !(f->level && *f->level) && !f->overdue && !f->mine;
  if (g_strcmp0 (f->status, "open") == 0 || f->overdue)
    self->index = f->sort == ZZ_CASE_SORT_DEADLINE ? "case_file_open_deadline"
                : f->sort == ZZ_CASE_SORT_NEWEST ? "case_file_open_registered"
                : f->sort == ZZ_CASE_SORT_STATUS ? "case_file_open_status"
                : f->sort == ZZ_CASE_SORT_LEVEL ? "case_file_open_level"
                : f->sort == ZZ_CASE_SORT_CATEGORY ? "case_file_open_category" : NULL;
  if (g_strcmp0 (f->status, "open") == 0)
    g_string_append (where, " AND c.status IN ('registered', 'dispatched', 'in_progress', 'reopened')");
  else if (f->status && *f->status)
    add_param (self, where, "c.status =", f->status);
  if (f->category && *f->category)
    add_param (self, where, "c.category =", f->category);
  if (f->level && *f->level)
    add_param (self, where, "c.level =", f->level);
  if (f->overdue)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, self->now);
      g_string_append (where, " AND c.status IN ('registered', 'dispatched', 'in_progress', 'reopened')");
      add_param (self, where, "c.deadline_at < 0 +", now);
    }
  if (f->mine)
    add_param (self, where, "c.first_responder_id =", zz_store_get_user_id (self->store));
  g_free (self->where);
  self->where = g_string_free (g_steal_pointer (&where), FALSE);
  g_object_set_data_full (G_OBJECT (self), saved_query_key, g_strdup (f->query), g_free);
  reload (self, f->query);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

void
zz_case_list_refresh (ZzCaseList *self)
{
  guint old = self->n_items;

  g_return_if_fail (ZZ_IS_CASE_LIST (self));
  reload (self, g_object_get_data (G_OBJECT (self), saved_query_key));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

guint
zz_case_list_get_fetches (ZzCaseList *self)
{
  return self->fetches;
}

gboolean
zz_case_list_is_truncated (ZzCaseList *self)
{
  return self->truncated;
}

/* ---- export ---- */

struct _ZzCaseExport {
  ZzCaseList *list;
  sqlite3_stmt *stmt;      /* the whole list in order, stepped a chunk at a time */
  guint total;
  guint next_hit;          /* a search: the next of list->hits */
  gboolean started, done;
  gboolean contacts;       /* the role may see the parties' phones and ID numbers */
  GHashTable *categories;  /* key -> name as renamed */
};

#define EXPORT_COLUMNS \
  "c.id, c.number, c.registered_at, c.status, c.level, c.category, c.summary," \
  " (SELECT group_concat (coalesce (p.name, cp.org_name), '、') FROM case_party cp" \
  "  LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id) AS parties," \
  " c.deadline_at, o.name AS unit, c.home, c.holder, c.source, c.concluded_at," \
  " (SELECT f.last_result FROM case_fact f WHERE f.case_id = c.id) AS result," \
  " (SELECT group_concat (p.name || '：' || p.phone, '、') FROM case_party cp" \
  "  JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id AND p.phone IS NOT NULL) AS phones," \
  " (SELECT group_concat (p.name || '：' || p.id_number, '、') FROM case_party cp" \
  "  JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id AND p.id_number IS NOT NULL) AS id_numbers"

enum { E_ID, E_NUMBER, E_REGISTERED, E_STATUS, E_LEVEL, E_CATEGORY, E_SUMMARY, E_PARTIES, E_DEADLINE,
       E_UNIT, E_HOME, E_HOLDER, E_SOURCE, E_CONCLUDED, E_RESULT, E_PHONES, E_ID_NUMBERS };

ZzCaseExport *
zz_case_export_new (ZzCaseList *list)
{
  ZzCaseExport *exp = g_new0 (ZzCaseExport, 1);

  g_return_val_if_fail (ZZ_IS_CASE_LIST (list), NULL);
  exp->list = g_object_ref (list);
  exp->total = list->n_items;
  exp->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* The parties' phones and ID numbers go out only to roles that may see them in full, and the
   * export is written in the access log (who took personal data out, and when). */
  exp->contacts = zz_store_can (list->store, ZZ_PERM_VIEW_CASES) && zz_store_can (list->store, ZZ_PERM_VIEW_FULL_ID);
  if (exp->contacts)
    {
      g_autofree char *id = zz_store_new_id (list->store);
      zz_store_log_access (list->store, "case_export.contacts", id);
    }
  return exp;
}

gboolean
zz_case_export_has_contacts (ZzCaseExport *exp)
{
  return exp->contacts;
}

guint
zz_case_export_get_total (ZzCaseExport *exp)
{
  return exp->total;
}

void
zz_case_export_free (ZzCaseExport *exp)
{
  if (!exp)
    return;
  if (exp->stmt)
    sqlite3_finalize (exp->stmt);
  g_hash_table_unref (exp->categories);
  g_object_unref (exp->list);
  g_free (exp);
}

static ZzTable *
export_table (gboolean contacts)
{
  ZzTable *t = zz_table_new ("cases", _("Cases"));

  zz_table_add_column (t, "number", _("Number"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "registered_at", _("Registered at"), ZZ_CELL_DATETIME);
  zz_table_add_column (t, "status", _("Status"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "level", _("Level"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "category", _("Category"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "summary", _("Summary"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "parties", _("Parties"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "deadline_at", _("Deadline"), ZZ_CELL_DATE);
  zz_table_add_column (t, "unit", _("Where it arose"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "unit_code", _("Unit code"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "holder", _("Holder"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "source", _("Source"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "concluded_at", _("Concluded on"), ZZ_CELL_DATE);
  zz_table_add_column (t, "mediation_result", _("Mediation result"), ZZ_CELL_TEXT);
  if (contacts)
    {
      zz_table_add_column (t, "phones", _("Parties’ phones"), ZZ_CELL_TEXT);
      zz_table_add_column (t, "id_numbers", _("Parties’ ID numbers"), ZZ_CELL_TEXT);
    }
  return t;
}

static const char *
col_text (sqlite3_stmt *stmt, int i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

static void
export_row (ZzCaseExport *exp, ZzTable *t, sqlite3_stmt *stmt)
{
  guint r = zz_table_add_row (t);
  guint n;
  const char *category = col_text (stmt, E_CATEGORY);
  const char *name = category ? g_hash_table_lookup (exp->categories, category) : NULL;
  g_autofree char *link = g_strconcat ("case:", col_text (stmt, E_ID), NULL);

  if (category && !name)
    {
      name = zz_store_case_category_name (exp->list->store, category);
      g_hash_table_insert (exp->categories, g_strdup (category), (char *) name);
    }
  zz_table_set_link (t, r, link);
  zz_table_set_text (t, r, 0, col_text (stmt, E_NUMBER));
  if (sqlite3_column_type (stmt, E_REGISTERED) != SQLITE_NULL)
    zz_table_set_int (t, r, 1, sqlite3_column_int64 (stmt, E_REGISTERED));
  {
    const ZzVocab *v = zz_case_statuses (&n);
    zz_table_set_text (t, r, 2, zz_vocab_display (v, n, col_text (stmt, E_STATUS)));
  }
  {
    const ZzVocab *v = zz_case_levels (&n);
    zz_table_set_text (t, r, 3, zz_vocab_display (v, n, col_text (stmt, E_LEVEL)));
  }
  zz_table_set_text (t, r, 4, name);
  zz_table_set_text (t, r, 5, col_text (stmt, E_SUMMARY));
  zz_table_set_text (t, r, 6, col_text (stmt, E_PARTIES));
  if (sqlite3_column_type (stmt, E_DEADLINE) != SQLITE_NULL)
    zz_table_set_int (t, r, 7, sqlite3_column_int64 (stmt, E_DEADLINE));
  zz_table_set_text (t, r, 8, col_text (stmt, E_UNIT));
  zz_table_set_text (t, r, 9, col_text (stmt, E_HOME));
  zz_table_set_text (t, r, 10, col_text (stmt, E_HOLDER));
  {
    const ZzVocab *v = zz_case_sources (&n);
    const char *source = col_text (stmt, E_SOURCE);
    zz_table_set_text (t, r, 11, source ? zz_vocab_display (v, n, source) : NULL);
  }
  if (sqlite3_column_type (stmt, E_CONCLUDED) != SQLITE_NULL)
    zz_table_set_int (t, r, 12, sqlite3_column_int64 (stmt, E_CONCLUDED));
  {
    const ZzVocab *v = zz_mediation_results (&n);
    const char *result = col_text (stmt, E_RESULT);
    zz_table_set_text (t, r, 13, result ? zz_vocab_display (v, n, result) : NULL);
  }
  if (exp->contacts)
    {
      zz_table_set_text (t, r, 14, col_text (stmt, E_PHONES));
      zz_table_set_text (t, r, 15, col_text (stmt, E_ID_NUMBERS));
    }
}

static gboolean
export_prepare (ZzCaseExport *exp, const char *sql, GError **error)
{
  if (sqlite3_prepare_v2 (exp->list->store->db, sql, -1, &exp->stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Could not read the cases: %s"),
                   sqlite3_errmsg (exp->list->store->db));
      return FALSE;
    }
  return TRUE;
}

ZzTable *
zz_case_export_next (ZzCaseExport *exp, guint max_rows, GError **error)
{
  ZzCaseList *list = exp->list;
  g_autoptr(ZzTable) t = NULL;
  gboolean first = !exp->started;

  if (exp->done)
    return NULL;
  exp->started = TRUE;
  t = export_table (exp->contacts);
  max_rows = MAX (max_rows, 1);
  if (!zz_store_can (list->store, ZZ_PERM_VIEW_CASES))
    {
      exp->done = TRUE;
      return first ? g_steal_pointer (&t) : NULL;
    }
  if (list->hits)
    {
      /* A search: its matches, newest first, as the list shows them. */
      if (!exp->stmt && !export_prepare (exp, "SELECT " EXPORT_COLUMNS " FROM case_file c"
                                              " LEFT JOIN org_unit o ON o.code = c.home WHERE c.rowid = ?", error))
        return NULL;
      for (; exp->next_hit < list->hits->len && zz_table_n_rows (t) < max_rows; exp->next_hit++)
        {
          sqlite3_reset (exp->stmt);
          sqlite3_bind_int64 (exp->stmt, 1, g_array_index (list->hits, gint64, exp->next_hit));
          if (sqlite3_step (exp->stmt) == SQLITE_ROW)
            export_row (exp, t, exp->stmt);
        }
      sqlite3_reset (exp->stmt);
      exp->done = exp->next_hit >= list->hits->len;
    }
  else
    {
      if (!exp->stmt)
        {
          const char *col = sort_column (list->sort);
          gboolean desc = (list->sort == ZZ_CASE_SORT_NEWEST) != list->reverse;
          g_autofree char *sql = g_strdup_printf ("SELECT " EXPORT_COLUMNS " FROM case_file c %s%s"
                                                  " LEFT JOIN org_unit o ON o.code = c.home WHERE %s"
                                                  " ORDER BY %s %s, c.id %s",
                                                  list->index ? "INDEXED BY " : "", list->index ? list->index : "",
                                                  list->where, col, desc ? "DESC" : "", desc ? "DESC" : "");
          if (!export_prepare (exp, sql, error))
            return NULL;
          bind_params (list, exp->stmt);
        }
      while (zz_table_n_rows (t) < max_rows)
        {
          int rc = sqlite3_step (exp->stmt);
          if (rc == SQLITE_ROW)
            export_row (exp, t, exp->stmt);
          else if (rc == SQLITE_DONE)
            {
              exp->done = TRUE;
              break;
            }
          else
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("Could not read the cases: %s"),
                           sqlite3_errmsg (list->store->db));
              exp->done = TRUE;
              return NULL;
            }
        }
      if (exp->done)
        sqlite3_reset (exp->stmt);
    }
  if (!first && zz_table_n_rows (t) == 0)
    return NULL;
  return g_steal_pointer (&t);
}

ZzTable *
zz_case_list_to_table (ZzCaseList *list, GError **error)
{
  g_autoptr(ZzCaseExport) exp = zz_case_export_new (list);
  g_autoptr(ZzTable) all = zz_case_export_next (exp, G_MAXUINT, error);

  return g_steal_pointer (&all);
}
