/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "zz-progress.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* Tables of figures (ZzTable) written for spreadsheets (GTK-free):
 * - .xlsx: one sheet per table (named after its title), a bold frozen header row, column widths
 *   from the content (a CJK character counts as two), numbers as numbers ("0", "0.0%", "0.0")
 *   and times as Excel dates in local time ("yyyy-mm-dd", "yyyy-mm-dd hh:mm"), NULL cells empty;
 *   optionally a first sheet saying what the workbook is (title, scope, period, generated at);
 * - .csv: UTF-8 with a byte-order mark (so Excel reads Chinese right), RFC 4180 quoting, CRLF,
 *   a header row; cells as shown ("97.0%", "2024-03-01"). Several tables in one file (a whole
 *   report) each get a line with their title before and an empty line after.
 * Every writer writes a temporary file beside the target and renames it over the target when
 * complete, so a failure (an unwritable folder, a full disk) leaves no partial file; the error
 * says what went wrong in words a user can act on (ZZ_ERROR_IO, translated). */

typedef enum {
  ZZ_EXPORT_UNKNOWN,
  ZZ_EXPORT_XLSX,
  ZZ_EXPORT_CSV,
  ZZ_EXPORT_PDF,
} ZzExportFormat;

/* From the file name's extension (case-insensitive): .xlsx, .csv, .pdf. */
ZzExportFormat zz_export_format_from_path (const char *path);

/* What an exported workbook is about, for its first sheet (NULL fields are left out). */
typedef struct {
  const char *title;          /* "泸溪县综治工作统计报告" */
  const char *scope;          /* the org unit: "泸溪县（433122）" */
  const char *period;         /* "2024年3月" */
  gint64      generated_at;   /* Unix ms; 0 for none */
  const char *note;           /* any further line, e.g. the filters of a case list */
} ZzExportAbout;

/* Writes @n_tables tables to @path as .xlsx (with @about, if not NULL, as a first sheet). */
gboolean zz_export_xlsx         (const char           *path,
                                 ZzTable *const       *tables,
                                 guint                 n_tables,
                                 const ZzExportAbout  *about,
                                 GError              **error);
/* Writes @n_tables tables to @path as CSV (one table: no title line). */
gboolean zz_export_csv          (const char           *path,
                                 ZzTable *const       *tables,
                                 guint                 n_tables,
                                 GError              **error);
/* By the extension of @path (.xlsx or .csv); ZZ_ERROR_INVALID for any other. */
gboolean zz_export_tables       (const char           *path,
                                 ZzTable *const       *tables,
                                 guint                 n_tables,
                                 const ZzExportAbout  *about,
                                 GError              **error);

/* A table too long to hold in memory (the case list), given a chunk of rows at a time: returns
 * a table with the columns of the first and the next rows, or NULL at the end (with @error set
 * on failure). The caller of zz_export_stream() owns each chunk it is given. */
typedef ZzTable *(*ZzTableChunkFunc) (gpointer   user_data,
                                     GError   **error);

/* Writes one table, chunk by chunk, to @path as .xlsx or .csv (by extension), in constant
 * memory. @total_rows (0: unknown) drives @progress; @cancellable stops it (ZZ_ERROR_CANCELLED,
 * nothing left behind). A table longer than a sheet holds (1,048,575 rows under the header)
 * goes on in further sheets, each with the header. Returns the rows written in @n_written. */
gboolean zz_export_stream       (const char           *path,
                                 ZzTableChunkFunc      next_chunk,
                                 gpointer              user_data,
                                 guint64               total_rows,
                                 const ZzExportAbout  *about,
                                 ZzProgressFunc        progress,
                                 gpointer              progress_data,
                                 GCancellable         *cancellable,
                                 guint64              *n_written,
                                 GError              **error);

/* For other writers of whole files (the PDF report): a temporary file beside @path, created
 * empty, its name returned (NULL with a clear error when the folder cannot be written). */
char    *zz_export_temp_beside  (const char           *path,
                                 GError              **error);
/* Makes the finished @temp the file @path (flushed to disk, then renamed); on failure removes
 * @temp. zz_export_abandon() removes @temp after a failed write. */
gboolean zz_export_commit       (const char           *temp,
                                 const char           *path,
                                 GError              **error);
void     zz_export_abandon      (const char           *temp);
/* Sets @error (ZZ_ERROR_IO) for a failure with errno @errsv while writing @path. */
void     zz_export_set_io_error (GError              **error,
                                 const char           *path,
                                 int                   errsv);

/* A sheet name for @title: at most 31 characters, none of []:*?/\, not starting or ending with
 * an apostrophe, and not equal (ignoring case) to any in @taken (which it is added to). */
char    *zz_export_sheet_name   (const char           *title,
                                 GPtrArray            *taken);
/* Display width of @text: two for a wide (CJK) character, one for others. */
guint    zz_export_text_width   (const char           *text);

G_END_DECLS
