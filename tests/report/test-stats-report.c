/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "zz-error.h"
#include "zz-export.h"
#include "zz-stats-report.h"
#include "zz-test-report.h"

static gint64
local_ms (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt) * 1000;
}

static ZzTable *
labelled (const char *key, const char *title, const char *label_title, const char *const *labels,
          const gint64 *counts, guint n)
{
  ZzTable *t = zz_table_new (key, title);
  gint64 total = 0;

  zz_table_add_column (t, "label", label_title, ZZ_CELL_TEXT);
  zz_table_add_column (t, "cases", "Cases", ZZ_CELL_INT);
  zz_table_add_column (t, "share", "Share", ZZ_CELL_PERCENT);
  for (guint i = 0; i < n; i++)
    total += counts[i];
  for (guint i = 0; i < n; i++)
    {
      guint r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, labels[i]);
      zz_table_set_int (t, r, 1, counts[i]);
      zz_table_set_double (t, r, 2, total ? (double) counts[i] / total : NAN);
    }
  return t;
}

/* Statistics of a county for March 2024 as the engine would give them, with @n_units units
 * below (enough to run a table over pages). */
static ZzStats *
sample_stats (guint n_units)
{
  ZzStats *s = g_new0 (ZzStats, 1);
  static const char *levels[] = { "村级", "乡镇级", "县级", "市级" };
  static const gint64 level_n[] = { 750, 230, 20, 0 };
  static const char *cats[] = { "婚姻家庭", "邻里纠纷", "土地山林" };
  static const gint64 cat_n[] = { 400, 350, 250 };
  static const char *sources[] = { "来访", "电话", "网格员" };
  static const gint64 source_n[] = { 500, 300, 200 };
  static const char *sat[] = { "满意", "基本满意", "不满意" };
  static const gint64 sat_n[] = { 90, 8, 2 };
  guint r;

  s->unit = g_strdup ("433122");
  s->unit_name = g_strdup ("泸溪县");
  s->unit_level = 3;
  s->period.kind = ZZ_PERIOD_MONTH;
  s->period.year = 2024;
  s->period.index = 3;
  g_date_clear (&s->period.first, 1);
  g_date_clear (&s->period.last, 1);
  g_date_set_dmy (&s->period.first, 1, 3, 2024);
  g_date_set_dmy (&s->period.last, 31, 3, 2024);
  s->computed_at = local_ms (2024, 4, 2, 9, 30);
  s->registered = 14000;

  s->summary = zz_table_new ("summary", "Key figures");
  zz_table_add_column (s->summary, "figure", "Figure", ZZ_CELL_TEXT);
  zz_table_add_column (s->summary, "count", "Count", ZZ_CELL_INT);
  zz_table_add_column (s->summary, "rate", "Rate", ZZ_CELL_PERCENT);
  zz_table_add_column (s->summary, "measure", "Measure", ZZ_CELL_DECIMAL);
  r = zz_table_add_row (s->summary);
  zz_table_set_text (s->summary, r, 0, "受理案件");
  zz_table_set_int (s->summary, r, 1, 14000);
  r = zz_table_add_row (s->summary);
  zz_table_set_text (s->summary, r, 0, "调解成功率");
  zz_table_set_double (s->summary, r, 2, 0.97);
  r = zz_table_add_row (s->summary);
  zz_table_set_text (s->summary, r, 0, "日均来访人数");
  zz_table_set_double (s->summary, r, 3, 12.5);
  r = zz_table_add_row (s->summary);
  zz_table_set_text (s->summary, r, 0, "平均等候（分钟）");   /* no ticket called: empty */

  s->by_level = labelled ("by_level", "按化解层级", "层级", levels, level_n, 4);
  s->by_category = labelled ("by_category", "按纠纷类别", "类别", cats, cat_n, 3);
  s->by_source = labelled ("by_source", "按来源", "来源", sources, source_n, 3);
  s->satisfaction = labelled ("satisfaction", "回访满意度", "满意度", sat, sat_n, 3);

  s->trend = zz_table_new ("trend", "月度趋势");
  zz_table_add_column (s->trend, "month", "月份", ZZ_CELL_TEXT);
  zz_table_add_column (s->trend, "registered", "受理", ZZ_CELL_INT);
  zz_table_add_column (s->trend, "concluded", "办结", ZZ_CELL_INT);
  for (int m = 1; m <= 12; m++)
    {
      g_autofree char *month = g_strdup_printf ("2023-%02d", m);
      r = zz_table_add_row (s->trend);
      zz_table_set_text (s->trend, r, 0, month);
      zz_table_set_int (s->trend, r, 1, 1000 + m);
      zz_table_set_int (s->trend, r, 2, 900 + m);
    }

  s->by_department = zz_table_new ("by_department", "部门交办");
  zz_table_add_column (s->by_department, "department", "部门", ZZ_CELL_TEXT);
  zz_table_add_column (s->by_department, "dispatched", "交办", ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "on_time", "按时", ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "late", "超时", ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "pending", "在办", ZZ_CELL_INT);
  zz_table_add_column (s->by_department, "on_time_rate", "按时办结率", ZZ_CELL_PERCENT);
  r = zz_table_add_row (s->by_department);
  zz_table_set_text (s->by_department, r, 0, "县人力资源和社会保障局");
  zz_table_set_int (s->by_department, r, 1, 40);
  zz_table_set_int (s->by_department, r, 2, 30);
  zz_table_set_int (s->by_department, r, 3, 5);
  zz_table_set_int (s->by_department, r, 4, 5);
  zz_table_set_double (s->by_department, r, 5, 30.0 / 35);

  s->reception = zz_table_new ("reception", "来访接待");
  zz_table_add_column (s->reception, "visits", "来访批次", ZZ_CELL_INT);
  zz_table_add_column (s->reception, "visitors", "来访人数", ZZ_CELL_INT);
  zz_table_add_column (s->reception, "days", "天数", ZZ_CELL_INT);
  zz_table_add_column (s->reception, "per_day", "日均人数", ZZ_CELL_DECIMAL);
  zz_table_add_column (s->reception, "average_wait", "平均等候（分钟）", ZZ_CELL_DECIMAL);
  r = zz_table_add_row (s->reception);
  zz_table_set_int (s->reception, r, 0, 200);
  zz_table_set_int (s->reception, r, 1, 250);
  zz_table_set_int (s->reception, r, 2, 20);
  zz_table_set_double (s->reception, r, 3, 12.5);

  s->by_grade = zz_table_new ("households", "风险户");
  zz_table_add_column (s->by_grade, "grade", "等级", ZZ_CELL_TEXT);
  zz_table_add_column (s->by_grade, "households", "户数", ZZ_CELL_INT);
  zz_table_add_column (s->by_grade, "overdue", "逾期未走访", ZZ_CELL_INT);
  r = zz_table_add_row (s->by_grade);
  zz_table_set_text (s->by_grade, r, 0, "高风险");
  zz_table_set_int (s->by_grade, r, 1, 7);
  zz_table_set_int (s->by_grade, r, 2, 1);

  s->by_unit = zz_table_new ("by_unit", "下级单位");
  zz_table_add_column (s->by_unit, "unit", "单位", ZZ_CELL_TEXT);
  zz_table_add_column (s->by_unit, "code", "代码", ZZ_CELL_TEXT);
  zz_table_add_column (s->by_unit, "registered", "受理", ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "concluded", "办结", ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "open", "在办", ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "overdue", "逾期", ZZ_CELL_INT);
  zz_table_add_column (s->by_unit, "success_rate", "调解成功率", ZZ_CELL_PERCENT);
  zz_table_add_column (s->by_unit, "data_as_of", "数据截至", ZZ_CELL_DATETIME);
  zz_table_add_column (s->by_unit, "newest_change", "最新变更", ZZ_CELL_DATETIME);
  for (guint i = 0; i < n_units; i++)
    {
      g_autofree char *name = g_strdup_printf ("第%u乡镇", i + 1);
      g_autofree char *code = g_strdup_printf ("433122%03u", i + 100);
      r = zz_table_add_row (s->by_unit);
      zz_table_set_text (s->by_unit, r, 0, name);
      zz_table_set_text (s->by_unit, r, 1, code);
      zz_table_set_int (s->by_unit, r, 2, 100 + i);
      zz_table_set_int (s->by_unit, r, 3, 90);
      zz_table_set_int (s->by_unit, r, 4, 10 + i);
      zz_table_set_int (s->by_unit, r, 5, 1);
      zz_table_set_double (s->by_unit, r, 6, 0.95);
      if (i % 2)
        zz_table_set_int (s->by_unit, r, 7, local_ms (2024, 3, 30, 17, 45));
      zz_table_set_int (s->by_unit, r, 8, local_ms (2024, 3, 30, 17, 40));
    }

  s->quality = zz_table_new ("quality", "数据质量");
  zz_table_add_column (s->quality, "problem", "问题", ZZ_CELL_TEXT);
  for (int i = 0; i < 3; i++)
    zz_table_set_text (s->quality, zz_table_add_row (s->quality), 0, "办结后未回访");
  return s;
}

static void
stats_free (ZzStats *s)
{
  ZzTable *tables[] = { s->summary, s->by_level, s->by_category, s->by_source, s->trend, s->by_department,
                        s->satisfaction, s->reception, s->by_grade, s->by_unit, s->quality };
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_clear_pointer (&tables[i], zz_table_unref);
  g_free (s->unit);
  g_free (s->unit_name);
  g_free (s);
}

static guint
occurrences (const char *text, const char *what)
{
  guint n = 0;
  for (const char *p = text; (p = strstr (p, what)); p += strlen (what))
    n++;
  return n;
}

static void
test_pdf (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GError) error = NULL;
  ZzStats *s = sample_stats (80);
  guint pages = zz_stats_report_n_pages (s, ZZ_STATS_REPORT_PAGE_W, ZZ_STATS_REPORT_PAGE_H);

  g_assert_true (zz_stats_report_write_pdf (s, path, &error));
  g_assert_no_error (error);
  text = zz_test_pdf_text (path);
  if (!text)
    {
      g_test_skip ("pdftotext is not installed");
      stats_free (s);
      zz_test_rm_rf (dir);
      return;
    }
  g_assert_cmpint (zz_test_pdf_pages (path), ==, (int) pages);
  g_assert_cmpuint (pages, >=, 3);
  /* Title, scope and period, the generated time. */
  g_assert_nonnull (strstr (text, "泸溪县: comprehensive governance statistics"));
  g_assert_nonnull (strstr (text, "433122"));
  g_assert_nonnull (strstr (text, "2024-04-02 09:30"));
  /* The key figures, as shown. */
  g_assert_nonnull (strstr (text, "Key figures"));
  g_assert_nonnull (strstr (text, "14000"));
  g_assert_nonnull (strstr (text, "受理案件"));
  g_assert_nonnull (strstr (text, "97.0%"));
  g_assert_nonnull (strstr (text, "12.5"));
  /* Chart headings and the tables. */
  g_assert_nonnull (strstr (text, "按化解层级"));
  g_assert_nonnull (strstr (text, "月度趋势"));
  g_assert_nonnull (strstr (text, "县人力资源和社会保障局"));
  g_assert_nonnull (strstr (text, "85.7%"));
  g_assert_nonnull (strstr (text, "回访满意度"));
  g_assert_nonnull (strstr (text, "高风险"));
  g_assert_nonnull (strstr (text, "第80乡镇"));
  g_assert_nonnull (strstr (text, "2024-03-30 17:45"));
  g_assert_nonnull (strstr (text, "3 records need attention"));
  g_assert_null (strstr (text, "shown to supervisors and mediators"));
  /* The long table goes on over a page with its header again. */
  g_assert_cmpuint (occurrences (text, "最新变更"), >=, 2);
  g_assert_cmpuint (occurrences (text, "最新变更"), ==, occurrences (text, "下级单位") );
  g_assert_nonnull (strstr (text, "下级单位 (continued)"));
  /* Page numbers. */
  first = g_strdup_printf ("Page 1 of %u", pages);
  last = g_strdup_printf ("Page %u of %u", pages, pages);
  g_assert_nonnull (strstr (text, first));
  g_assert_nonnull (strstr (text, last));
  g_assert_cmpuint (occurrences (text, "\f"), ==, pages);
  if (g_getenv ("ZZ_SCREENSHOT_DIR"))
    {
      /* Kept for a look. */
      g_autofree char *keep = g_build_filename (g_getenv ("ZZ_SCREENSHOT_DIR"), "stats-report-sample.pdf", NULL);
      g_autofree char *contents = NULL;
      gsize len;
      g_mkdir_with_parents (g_getenv ("ZZ_SCREENSHOT_DIR"), 0755);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (keep, contents, len, NULL));
    }
  /* A role that may not open the records is told so, not that nothing needs attention. */
  s->quality_withheld = TRUE;
  g_assert_true (zz_stats_report_write_pdf (s, path, &error));
  g_assert_no_error (error);
  g_free (text);
  text = zz_test_pdf_text (path);
  g_assert_nonnull (strstr (text, "shown to supervisors and mediators"));
  g_assert_null (strstr (text, "need attention"));
  stats_free (s);
  zz_test_rm_rf (dir);
}

/* The same drawing on another paper size (a printer's Letter) lays out again. */
static void
test_page_sizes (void)
{
  ZzStats *s = sample_stats (10);
  guint a4 = zz_stats_report_n_pages (s, ZZ_STATS_REPORT_PAGE_W, ZZ_STATS_REPORT_PAGE_H);
  guint small = zz_stats_report_n_pages (s, 420, 595);   /* A5 */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 420, 595);
  cairo_t *cr = cairo_create (surface);

  g_assert_cmpuint (small, >, a4);
  for (guint i = 0; i < small; i++)
    zz_stats_report_draw_page (s, cr, i, 420, 595);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  stats_free (s);
}

static void
test_bad_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-report-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "nowhere", "report.pdf", NULL);
  GError *error = NULL;
  ZzStats *s = sample_stats (3);
  g_autoptr(GDir) d = NULL;

  g_assert_false (zz_stats_report_write_pdf (s, missing, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);
  g_assert_false (zz_stats_report_write_pdf (s, dir, &error));   /* a folder */
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  g_clear_error (&error);
  d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));
  stats_free (s);
  zz_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats-report/pdf", test_pdf);
  g_test_add_func ("/stats-report/page-sizes", test_page_sizes);
  g_test_add_func ("/stats-report/bad-path", test_bad_path);
  return g_test_run ();
}
