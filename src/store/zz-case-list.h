/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* The case list as a GListModel of ZzRow that pages lazily: rows are fetched a page at a time
 * when asked for (keyset paging: each page continues after the last key of the one before),
 * and only a few pages are kept, so a list of half a million cases costs the memory of the rows
 * on screen. Items are id, number, summary, category, level, status, holder, deadline_at,
 * registered_at, parties. */
#define ZZ_TYPE_CASE_LIST (zz_case_list_get_type ())
G_DECLARE_FINAL_TYPE (ZzCaseList, zz_case_list, ZZ, CASE_LIST, GObject)

typedef enum {
  ZZ_CASE_SORT_NEWEST,     /* registered, newest first */
  ZZ_CASE_SORT_DEADLINE,   /* deadline, soonest first */
  ZZ_CASE_SORT_NUMBER,     /* case number */
  ZZ_CASE_SORT_STATUS,     /* status, in the order of the loop (registered ... archived) */
  ZZ_CASE_SORT_LEVEL,      /* level, village up to prefecture */
  ZZ_CASE_SORT_CATEGORY,   /* category key */
} ZzCaseSort;

typedef struct {
  const char *query;       /* search text, or NULL */
  const char *status;      /* a status key, "open", or NULL for all */
  const char *category;
  const char *level;
  gboolean    overdue;
  gboolean    mine;        /* registered by the current user (first responder) */
  ZzCaseSort  sort;
  gboolean    reverse;     /* the other direction of @sort */
} ZzCaseFilter;

#define ZZ_CASE_PAGE_SIZE 64
#define ZZ_CASE_CACHED_PAGES 8
/* A search lists at most this many matches (newest first); refine the words for more. */
#define ZZ_CASE_SEARCH_MAX 2000

ZzCaseList *zz_case_list_new        (ZzStore            *store);
/* Applies a filter and re-reads the count; emits items-changed for the whole list. */
void        zz_case_list_set_filter (ZzCaseList         *self,
                                     const ZzCaseFilter *filter);
/* Re-reads after a change, keeping the filter. */
void        zz_case_list_refresh    (ZzCaseList         *self);
/* Pages fetched from the database so far (for the benchmark). */
guint       zz_case_list_get_fetches (ZzCaseList        *self);
/* Whether the search hit ZZ_CASE_SEARCH_MAX. */
gboolean    zz_case_list_is_truncated (ZzCaseList       *self);

/* The list as it stands (its filter, search and sort) as a table for export, a chunk of rows at
 * a time, so that half a million cases cost the memory of one chunk. Columns (keys): number,
 * registered_at (DATETIME), status, level, category (its name as renamed), summary, parties,
 * deadline_at (DATE), unit and unit_code (where the dispute arose), holder, source; titles
 * translated; rows linked "case:<id>". */
typedef struct _ZzCaseExport ZzCaseExport;

ZzCaseExport *zz_case_export_new       (ZzCaseList   *list);
/* The rows to come (the list's length when it began). */
guint         zz_case_export_get_total (ZzCaseExport *exp);
/* Whether the export carries the parties' phones and ID numbers (roles that may see them in
 * full; each such export is written in the access log). */
gboolean      zz_case_export_has_contacts (ZzCaseExport *exp);
/* The next chunk of at most @max_rows rows; the first call always returns a table (empty for
 * an empty list, so the columns are known), NULL at the end or with @error set. */
ZzTable      *zz_case_export_next      (ZzCaseExport *exp,
                                        guint         max_rows,
                                        GError      **error);
void          zz_case_export_free      (ZzCaseExport *exp);
/* The whole list as one table (for a short list: a search, a filter of a few thousand). */
ZzTable      *zz_case_list_to_table    (ZzCaseList   *list,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzCaseExport, zz_case_export_free)

G_END_DECLS
