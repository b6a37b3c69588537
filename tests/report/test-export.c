/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "zz-error.h"
#include "zz-export.h"
#include "zz-test-report.h"

static gint64
local_ms (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt) * 1000;
}

/* A table as the statistics make them: Chinese labels, every cell type, an empty cell. */
static ZzTable *
sample_table (void)
{
  ZzTable *t = zz_table_new ("by_department", "部门交办（按时办结率）");
  guint name = zz_table_add_column (t, "department", "部门", ZZ_CELL_TEXT);
  guint n = zz_table_add_column (t, "dispatched", "交办件数", ZZ_CELL_INT);
  guint rate = zz_table_add_column (t, "on_time_rate", "按时办结率", ZZ_CELL_PERCENT);
  guint avg = zz_table_add_column (t, "wait", "平均等候（分钟）", ZZ_CELL_DECIMAL);
  guint day = zz_table_add_column (t, "day", "截止日期", ZZ_CELL_DATE);
  guint at = zz_table_add_column (t, "at", "数据截至", ZZ_CELL_DATETIME);
  guint r;

  r = zz_table_add_row (t);
  zz_table_set_text (t, r, name, "县人力资源和社会保障局");
  zz_table_set_int (t, r, n, 14000);
  zz_table_set_double (t, r, rate, 0.97);
  zz_table_set_double (t, r, avg, 3.5);
  zz_table_set_int (t, r, day, local_ms (2024, 3, 1, 0, 0));
  zz_table_set_int (t, r, at, local_ms (2024, 3, 1, 14, 5));
  r = zz_table_add_row (t);
  zz_table_set_text (t, r, name, "Land, \"roads\" & water");
  zz_table_set_int (t, r, n, 0);
  zz_table_set_double (t, r, rate, NAN);     /* nothing to divide by: empty */
  zz_table_set_double (t, r, avg, 12.25);
  zz_table_set_int (t, r, day, local_ms (2024, 12, 31, 23, 59));
  r = zz_table_add_row (t);
  zz_table_set_text (t, r, name, "=1+1 多行\n说明");
  zz_table_set_int (t, r, n, -3);
  return t;
}

static JsonObject *
cell (JsonObject *sheet, guint row, guint col)
{
  JsonArray *rows = json_object_get_array_member (sheet, "rows");
  JsonArray *cells = json_array_get_array_element (rows, row);
  return json_array_get_object_element (cells, col);
}

static gboolean
cell_is_empty (JsonObject *sheet, guint row, guint col)
{
  JsonArray *cells = json_array_get_array_element (json_object_get_array_member (sheet, "rows"), row);
  return col >= json_array_get_length (cells) || json_node_is_null (json_object_get_member (cell (sheet, row, col), "v"));
}

static void
test_xlsx (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "统计.xlsx", NULL);
  g_autoptr(ZzTable) t = sample_table ();
  g_autoptr(ZzTable) t2 = zz_table_new ("a", "Key figures: [all]/*?");
  g_autoptr(ZzTable) t3 = zz_table_new ("b", "Key figures: [all]/*?");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  ZzExportAbout about = { "泸溪县综治工作统计报告", "泸溪县（433122）", "2024年3月", local_ms (2024, 4, 2, 9, 30), NULL };
  ZzTable *tables[] = { t, t2, t3 };
  JsonObject *root, *about_sheet, *sheet;
  JsonArray *sheets;
  JsonObject *widths;

  zz_table_add_column (t2, "x", "x", ZZ_CELL_INT);
  zz_table_add_column (t3, "x", "x", ZZ_CELL_INT);
  g_assert_true (zz_export_tables (path, tables, 3, &about, &error));
  g_assert_no_error (error);
  parser = zz_test_read_xlsx (path);
  if (!parser)
    {
      g_test_skip ("openpyxl is not installed");
      zz_test_rm_rf (dir);
      return;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "泸溪县综治工作统计报告");
  sheets = json_object_get_array_member (root, "sheets");
  g_assert_cmpuint (json_array_get_length (sheets), ==, 4);

  /* What the workbook is about, first. */
  about_sheet = json_array_get_object_element (sheets, 0);
  g_assert_cmpstr (json_object_get_string_member (about_sheet, "name"), ==, "About");
  g_assert_cmpstr (json_object_get_string_member (cell (about_sheet, 0, 1), "v"), ==, "泸溪县综治工作统计报告");
  g_assert_cmpstr (json_object_get_string_member (cell (about_sheet, 1, 1), "v"), ==, "泸溪县（433122）");
  g_assert_cmpstr (json_object_get_string_member (cell (about_sheet, 2, 1), "v"), ==, "2024年3月");
  g_assert_cmpstr (json_object_get_string_member (cell (about_sheet, 3, 1), "v"), ==, "2024-04-02 09:30");

  /* The table: named after its title, a bold frozen header, values as values. */
  sheet = json_array_get_object_element (sheets, 1);
  g_assert_cmpstr (json_object_get_string_member (sheet, "name"), ==, "部门交办（按时办结率）");
  g_assert_cmpstr (json_object_get_string_member (sheet, "freeze"), ==, "A2");
  g_assert_cmpstr (json_object_get_string_member (sheet, "autofilter"), ==, "A1:F4");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 0, 0), "v"), ==, "部门");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 0, 5), "v"), ==, "数据截至");
  g_assert_true (json_object_get_boolean_member (cell (sheet, 0, 0), "bold"));
  g_assert_false (json_object_get_boolean_member (cell (sheet, 1, 0), "bold"));

  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 0), "v"), ==, "县人力资源和社会保障局");
  g_assert_cmpint (json_object_get_int_member (cell (sheet, 1, 1), "v"), ==, 14000);
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 1), "fmt"), ==, "0");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cell (sheet, 1, 2), "v"), 0.97, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 2), "fmt"), ==, "0.0%");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cell (sheet, 1, 3), "v"), 3.5, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 3), "fmt"), ==, "0.0");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 4), "t"), ==, "datetime");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 4), "v"), ==, "2024-03-01 00:00");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 4), "fmt"), ==, "yyyy-mm-dd");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 5), "v"), ==, "2024-03-01 14:05");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 1, 5), "fmt"), ==, "yyyy-mm-dd hh:mm");

  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 2, 0), "v"), ==, "Land, \"roads\" & water");
  g_assert_cmpint (json_object_get_int_member (cell (sheet, 2, 1), "v"), ==, 0);
  g_assert_true (cell_is_empty (sheet, 2, 2));      /* NULL stays empty */
  /* A date is the day, whatever the time within it. */
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 2, 4), "v"), ==, "2024-12-31 00:00");
  g_assert_true (cell_is_empty (sheet, 2, 5));
  /* Text that looks like a formula stays text. */
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 3, 0), "v"), ==, "=1+1 多行\n说明");
  g_assert_cmpstr (json_object_get_string_member (cell (sheet, 3, 0), "t"), ==, "str");
  g_assert_cmpint (json_object_get_int_member (cell (sheet, 3, 1), "v"), ==, -3);

  /* Widths from the content: 11 CJK characters count 22, wider than a 5-digit count. */
  widths = json_object_get_object_member (sheet, "widths");
  g_assert_cmpfloat (json_object_get_double_member (widths, "A"), >=, 22);
  g_assert_cmpfloat (json_object_get_double_member (widths, "A"), <, 30);
  g_assert_cmpfloat (json_object_get_double_member (widths, "B"), <, json_object_get_double_member (widths, "A"));
  g_assert_cmpfloat (json_object_get_double_member (widths, "F"), >=, 16);

  /* Names Excel allows, and distinct. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sheets, 2), "name"), ==,
                   "Key figures   all");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sheets, 3), "name"), ==,
                   "Key figures   all (2)");
  zz_test_rm_rf (dir);
}

static void
test_sheet_names (void)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *a = zz_export_sheet_name ("按单位（数据截至）统计表按单位统计表按单位统计表按单位统计表按单位统计表", taken);
  g_autofree char *b = zz_export_sheet_name ("按单位（数据截至）统计表按单位统计表按单位统计表按单位统计表按单位统计表", taken);
  g_autofree char *c = zz_export_sheet_name ("'quoted'", taken);
  g_autofree char *d = zz_export_sheet_name ("QUOTED", taken);
  g_autofree char *e = zz_export_sheet_name ("", taken);

  g_assert_cmpint (g_utf8_strlen (a, -1), ==, 31);
  g_assert_cmpint (g_utf8_strlen (b, -1), ==, 31);
  g_assert_true (g_str_has_suffix (b, " (2)"));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (c, ==, "quoted");
  g_assert_cmpstr (d, ==, "QUOTED (2)");   /* names differ in more than case */
  g_assert_cmpstr (e, ==, "Sheet");
  g_assert_cmpuint (zz_export_text_width ("数据ab"), ==, 6);
}

static void
test_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-export-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (dir, "one.csv", NULL);
  g_autofree char *two = g_build_filename (dir, "report.CSV", NULL);
  g_autoptr(ZzTable) t = sample_table ();
  g_autoptr(ZzTable) small = zz_table_new ("reception", "接待");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  ZzTable *tables[] = { t, small };
  const char *expected =
    "\xEF\xBB\xBF"
    "部门,交办件数,按时办结率,平均等候（分钟）,截止日期,数据截至\r\n"
    "县人力资源和社会保障局,14000,97.0%,3.5,2024-03-01,2024-03-01 14:05\r\n"
    "\"Land, \"\"roads\"\" & water\",0,,12.2,2024-12-31,\r\n"
    "\"'=1+1 多行\n说明\",-3,,,,\r\n";

  zz_table_add_column (small, "visits", "来访", ZZ_CELL_INT);
  zz_table_set_int (small, zz_table_add_row (small), 0, 0);
  g_assert_true (zz_export_csv (one, tables, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (one, &text, NULL, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, expected);

  /* A whole report: each table under its title, an empty line after. */
  g_assert_true (zz_export_tables (two, tables, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (two, &text2, NULL, NULL));
  g_assert_true (g_str_has_prefix (text2, "\xEF\xBB\xBF部门交办（按时办结率）\r\n部门,交办件数,"));
  g_assert_true (g_str_has_suffix (text2, "\r\n\r\n接待\r\n来访\r\n0\r\n\r\n"));
  zz_test_rm_rf (dir);
}

static int
cmp_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Lists a folder's entries, sorted, joined by spaces. */
static char *
listing (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, cmp_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_bad_paths (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-export-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "x.xlsx", NULL);
  g_autofree char *missing_csv = g_build_filename (dir, "no-such-folder", "x.csv", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.xlsx", NULL);
  g_autofree char *odd = g_build_filename (dir, "x.txt", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(ZzTable) t = sample_table ();
  ZzTable *tables[] = { t };
  GError *error = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  before = listing (dir);

  g_assert_false (zz_export_tables (missing, tables, 1, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);
  g_assert_false (zz_export_tables (missing_csv, tables, 1, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (zz_export_tables (folder, tables, 1, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_clear_error (&error);
  g_assert_false (zz_export_tables (odd, tables, 1, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  after = listing (dir);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (after, ==, "folder.xlsx");
  zz_test_rm_rf (dir);
}

/* Chunks of a long table, as the case list gives them. */
typedef struct {
  guint n, done, chunk;
  guint fail_at;       /* fail when this many rows were given (0: never) */
  GCancellable *cancel;   /* cancelled when the second chunk is asked for */
  gboolean given;
} Source;

static ZzTable *
next_chunk (gpointer data, GError **error)
{
  Source *s = data;
  ZzTable *t;

  if (s->fail_at && s->done >= s->fail_at)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_DB, "the database went away");
      return NULL;
    }
  if (s->cancel && s->given)
    g_cancellable_cancel (s->cancel);
  if (s->done >= s->n && s->given)
    return NULL;
  s->given = TRUE;
  t = zz_table_new ("cases", "案件");
  zz_table_add_column (t, "number", "编号", ZZ_CELL_TEXT);
  zz_table_add_column (t, "registered", "登记时间", ZZ_CELL_DATETIME);
  zz_table_add_column (t, "parties", "当事人", ZZ_CELL_INT);
  for (guint i = 0; i < s->chunk && s->done < s->n; i++, s->done++)
    {
      guint r = zz_table_add_row (t);
      g_autofree char *number = g_strdup_printf ("泸综调〔2024〕%u号", s->done + 1);
      zz_table_set_text (t, r, 0, number);
      zz_table_set_int (t, r, 1, local_ms (2024, 1, 1, 8, 0) + (gint64) s->done * 60000);
      zz_table_set_int (t, r, 2, s->done % 3 + 1);
    }
  return t;
}

static void
progress_cb (double fraction, gpointer data)
{
  double *last = data;
  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
}

static void
test_stream (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-export-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "cases.xlsx", NULL);
  g_autofree char *csv = g_build_filename (dir, "cases.csv", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  Source src = { 2500, 0, 1000, 0, NULL };
  guint64 written = 0;
  double last = 0;
  JsonObject *sheet;
  JsonArray *rows;

  g_assert_true (zz_export_stream (xlsx, next_chunk, &src, 2500, NULL, progress_cb, &last, NULL, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 2500);
  g_assert_cmpfloat (last, ==, 1.0);
  src = (Source) { 2500, 0, 1000, 0, NULL };
  g_assert_true (zz_export_stream (csv, next_chunk, &src, 0, NULL, NULL, NULL, NULL, &written, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF编号,登记时间,当事人\r\n泸综调〔2024〕1号,2024-01-01 08:00,1\r\n"));
  g_assert_true (g_str_has_suffix (text, "\r\n泸综调〔2024〕2500号,2024-01-03 01:39,1\r\n"));
  g_clear_pointer (&text, g_free);

  /* An empty list still has its header. */
  src = (Source) { 0, 0, 1000, 0, NULL };
  g_assert_true (zz_export_stream (empty, next_chunk, &src, 0, NULL, NULL, NULL, NULL, &written, &error));
  g_assert_true (g_file_get_contents (empty, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "\xEF\xBB\xBF编号,登记时间,当事人\r\n");

  parser = zz_test_read_xlsx (xlsx);
  if (parser)
    {
      sheet = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                          "sheets"), 0);
      rows = json_object_get_array_member (sheet, "rows");
      g_assert_cmpuint (json_array_get_length (rows), ==, 2501);
      g_assert_cmpstr (json_object_get_string_member (cell (sheet, 2500, 0), "v"), ==, "泸综调〔2024〕2500号");
      g_assert_cmpstr (json_object_get_string_member (cell (sheet, 2500, 1), "v"), ==, "2024-01-03 01:39");
      g_assert_cmpint (json_object_get_int_member (cell (sheet, 2500, 2), "v"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (sheet, "freeze"), ==, "A2");
    }
  zz_test_rm_rf (dir);
}

/* A failure half-way, or a cancel, leaves the file that was there before untouched and no
 * temporary file beside it. */
static void
test_stream_failure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-export-XXXXXX", NULL);
  const char *names[] = { "cases.xlsx", "cases.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *text = NULL;
      g_autofree char *list = NULL;
      g_autoptr(GCancellable) cancel = g_cancellable_new ();
      GError *error = NULL;
      Source src = { 5000, 0, 1000, 3000, NULL };

      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
      g_assert_false (zz_export_stream (path, next_chunk, &src, 5000, NULL, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_DB);
      g_clear_error (&error);
      src = (Source) { 5000, 0, 1000, 0, cancel };
      g_assert_false (zz_export_stream (path, next_chunk, &src, 5000, NULL, NULL, NULL, cancel, NULL, &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "old");
      list = listing (dir);
      g_assert_cmpstr (list, ==, i == 0 ? "cases.xlsx" : "cases.csv cases.xlsx");
    }
  zz_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/xlsx", test_xlsx);
  g_test_add_func ("/export/sheet-names", test_sheet_names);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/bad-paths", test_bad_paths);
  g_test_add_func ("/export/stream", test_stream);
  g_test_add_func ("/export/stream-failure", test_stream_failure);
  return g_test_run ();
}
