/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "zz-stats-truth.h"
#include "zz-stats.h"
#include "zz-test-report.h"
#include "zz-test-store.h"
#include "zz-time.h"

#define COUNTY "433122"

static ZzTestStore *ts;
static ZzStatsSpec spec;

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* zongzhi-cli on the test database as the supervisor; @zh: with the Chinese interface. */
static Run
cli (gboolean zh, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  Run r = { 0 };
  va_list ap;
  int wait_status = 0;

  if (zh)
    env = g_environ_setenv (env, "LANGUAGE", "zh_CN", TRUE);
  else
    env = g_environ_unsetenv (env, "LANGUAGE");
  g_ptr_array_add (argv, (char *) g_getenv ("ZZ_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, ts->path);
  g_ptr_array_add (argv, "--as");
  g_ptr_array_add (argv, (char *) zz_test_login (ZZ_ROLE_SUPERVISOR));
  va_start (ap, first);
  for (const char *arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static char *
local_text (gint64 ms, gboolean with_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());
  return g_date_time_format (local, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d 00:00");
}

/* The sheet holds the table: the same titles, the same figures, cell by cell. */
static void
assert_sheet_is_table (JsonObject *sheet, ZzTable *t)
{
  JsonArray *rows = json_object_get_array_member (sheet, "rows");
  JsonArray *header = json_array_get_array_element (rows, 0);

  g_test_message ("sheet %s", json_object_get_string_member (sheet, "name"));
  g_assert_cmpuint (json_array_get_length (rows), ==, zz_table_n_rows (t) + 1);
  for (guint c = 0; c < zz_table_n_columns (t); c++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (header, c), "v"), ==,
                     zz_table_column_title (t, c));
  for (guint r = 0; r < zz_table_n_rows (t); r++)
    {
      JsonArray *cells = json_array_get_array_element (rows, r + 1);
      for (guint c = 0; c < zz_table_n_columns (t); c++)
        {
          JsonObject *cell = c < json_array_get_length (cells) ? json_array_get_object_element (cells, c) : NULL;
          JsonNode *v = cell ? json_object_get_member (cell, "v") : NULL;
          gboolean empty = !v || json_node_is_null (v);

          g_assert_cmpint (empty, ==, zz_table_is_null (t, r, c));
          if (empty)
            continue;
          switch (zz_table_column_type (t, c))
            {
            case ZZ_CELL_TEXT:
              g_assert_cmpstr (json_node_get_string (v), ==, zz_table_get_text (t, r, c));
              break;
            case ZZ_CELL_INT:
              g_assert_cmpint (json_node_get_int (v), ==, zz_table_get_int (t, r, c));
              g_assert_cmpstr (json_object_get_string_member (cell, "fmt"), ==, "0");
              break;
            case ZZ_CELL_PERCENT:
              g_assert_cmpfloat_with_epsilon (json_node_get_double (v), zz_table_get_double (t, r, c), 1e-12);
              g_assert_cmpstr (json_object_get_string_member (cell, "fmt"), ==, "0.0%");
              break;
            case ZZ_CELL_DECIMAL:
              g_assert_cmpfloat_with_epsilon (json_node_get_double (v), zz_table_get_double (t, r, c), 1e-12);
              g_assert_cmpstr (json_object_get_string_member (cell, "fmt"), ==, "0.0");
              break;
            case ZZ_CELL_DATE:
            case ZZ_CELL_DATETIME:
              /* "data as of" of this centre's own units is the time of computing: minutes apart. */
              if (g_strcmp0 (zz_table_column_key (t, c), "data_as_of") != 0)
                {
                  g_autofree char *want = local_text (zz_table_get_int (t, r, c),
                                                      zz_table_column_type (t, c) == ZZ_CELL_DATETIME);
                  g_assert_cmpstr (json_node_get_string (v), ==, want);
                }
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
}

static void
test_xlsx (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-report-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "泸溪县2024.xlsx", NULL);
  g_autoptr(ZzStats) stats = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  ZzPeriod year;
  JsonArray *sheets;
  JsonObject *about;
  Run r;

  r = cli (TRUE, "report", "--unit", COUNTY, "--period", "2024", "-o", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  zz_period_year (&year, 2024);
  stats = zz_store_compute_stats (ts->store, COUNTY, &year, &error);
  g_assert_no_error (error);
  /* The figures come from the records: the generator's cases, all registered in 2024. */
  g_assert_cmpint (stats->registered, ==, spec.n_cases);

  parser = zz_test_read_xlsx (path);
  if (!parser)
    {
      g_test_skip ("openpyxl is not installed");
      zz_test_rm_rf (dir);
      return;
    }
  tables = zz_stats_tables (stats);
  sheets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "sheets");
  g_assert_cmpuint (json_array_get_length (sheets), ==, tables->len + 1);
  about = json_array_get_object_element (sheets, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (
                      json_array_get_object_element (json_array_get_array_element (json_object_get_array_member (about, "rows"), 1), 1),
                      "v"), COUNTY));
  for (guint i = 0; i < tables->len; i++)
    assert_sheet_is_table (json_array_get_object_element (sheets, i + 1), tables->pdata[i]);
  zz_test_rm_rf (dir);
}

static void
test_pdf_csv_zh (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-report-cli-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *registered = g_strdup_printf ("%u", spec.n_cases);
  g_autofree char *shown = NULL;
  g_autoptr(ZzStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  ZzPeriod year;
  Run r;

  zz_period_year (&year, 2024);
  stats = zz_store_compute_stats (ts->store, COUNTY, &year, &error);
  g_assert_no_error (error);

  r = cli (TRUE, "report", "--unit", COUNTY, "--period", "2024", "-o", pdf, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli (TRUE, "report", "--unit", COUNTY, "--period", "2024", "-o", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "\xEF\xBB\xBF"));
  g_assert_true (g_utf8_validate (csv_text, -1, NULL));
  g_assert_cmpuint (zz_table_n_rows (stats->by_unit), >, 0);
  g_assert_nonnull (strstr (csv_text, zz_table_get_text (stats->by_unit, 0, 0)));   /* a township, in Chinese */
  g_assert_nonnull (strstr (csv_text, registered));
  g_assert_nonnull (strstr (csv_text, "97.0%"));
  g_assert_nonnull (strstr (csv_text, "\r\n\r\n"));

  text = zz_test_pdf_text (pdf);
  if (!text)
    {
      g_test_skip ("pdftotext is not installed");
      zz_test_rm_rf (dir);
      return;
    }
  g_assert_nonnull (strstr (text, "泸溪县综治工作统计报告"));
  shown = zz_period_display (&year);
  g_assert_nonnull (strstr (text, shown));
  g_assert_nonnull (strstr (text, registered));
  g_assert_nonnull (strstr (text, "97.0%"));
  {
    /* pdftotext drops the spaces between Chinese and digits. */
    g_autoptr(GString) packed = g_string_new (text);
    g_string_replace (packed, " ", "", 0);
    g_assert_nonnull (strstr (packed->str, "第1页/共"));
  }
  for (guint i = 0; i < zz_table_n_rows (stats->by_unit); i++)
    g_assert_nonnull (strstr (text, zz_table_get_text (stats->by_unit, i, 0)));
  zz_test_rm_rf (dir);
}

static void
test_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-report-cli-XXXXXX", NULL);
  g_autofree char *ok = g_build_filename (dir, "r.xlsx", NULL);
  g_autofree char *doc = g_build_filename (dir, "r.doc", NULL);
  g_autofree char *missing = g_build_filename (dir, "nowhere", "r.pdf", NULL);
  struct { const char *unit, *period, *out, *says; } cases[] = {
    { COUNTY, "2024-13", ok, "month" },               /* no such month */
    { COUNTY, "2024", doc, ".xlsx" },                /* unknown extension */
    { "433101", "2024", ok, "jurisdiction" },        /* another county */
    { COUNTY, "2024", missing, "does not exist" },   /* a folder that is not there */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = cli (FALSE, "report", "--unit", cases[i].unit, "--period", cases[i].period, "-o", cases[i].out, NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);

      g_test_message ("%s %s %s", cases[i].unit, cases[i].period, cases[i].out);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, cases[i].says));
      /* One line. */
      g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);
      g_assert_null (g_dir_read_name (d));
      run_clear (&r);
    }
  zz_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(ZzStatsTruth) truth = zz_stats_truth_new ();
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* Chinese, as the command runs with LANGUAGE=zh_CN (gettext honours it in C.UTF-8). */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  ts = zz_test_store_new ();
  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  zz_stats_spec_init (&spec, 2024, 1);
  spec.n_cases = 2000;
  g_assert_true (zz_demo_stats (ts->store, &spec, zz_stats_truth_sink (truth), NULL, NULL, &error));
  g_assert_no_error (error);
  /* The command reads the clock as it is: so does the test. */
  zz_store_set_now (ts->store, 0);

  g_test_add_func ("/report-cli/xlsx", test_xlsx);
  g_test_add_func ("/report-cli/pdf-csv-zh", test_pdf_csv_zh);
  g_test_add_func ("/report-cli/refused", test_refused);
  rc = g_test_run ();
  zz_test_store_free (ts);
  return rc;
}
