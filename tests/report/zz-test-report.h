/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An .xlsx as an independent reader (python3-openpyxl, tests/report/read-xlsx.py) sees it:
 * {"title", "sheets": [{"name", "freeze", "widths", "autofilter", "rows": [[{"v", "t", "fmt",
 * "bold"}]]}]}. NULL when openpyxl is not installed (the caller skips). */
JsonParser *zz_test_read_xlsx (const char *path);
/* The text of a PDF by pdftotext (poppler-utils), pages separated by form feeds; NULL when
 * pdftotext is not installed. */
char       *zz_test_pdf_text  (const char *path);
/* The number of pages of a PDF by pdfinfo, or -1. */
int         zz_test_pdf_pages (const char *path);
/* Removes a folder and everything in it. */
void        zz_test_rm_rf     (const char *dir);

G_END_DECLS
