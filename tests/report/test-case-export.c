/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-export.h"
#include "zz-test-report.h"

static char *dir;
static char *db;

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

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run r = { 0 };
  va_list ap;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("ZZ_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  va_start (ap, first);
  for (const char *arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static ZzStore *
open_as (const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzStore) store = zz_store_open (db, &error);

  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (store, login, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

/* The table holds the list's rows in the list's order, with names instead of keys. */
static void
assert_table_is_list (ZzTable *t, ZzCaseList *list, ZzStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint statuses_n;
  const ZzVocab *statuses = zz_case_statuses (&statuses_n);

  g_assert_cmpuint (zz_table_n_rows (t), ==, n);
  g_assert_cmpint (zz_table_column_index (t, "number"), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *category = zz_store_case_category_name (store, zz_row_get (r, "category"));
      g_autofree char *link = g_strconcat ("case:", zz_row_get_id (r), NULL);
      g_autofree char *deadline = NULL;
      g_autofree char *day = NULL;

      g_assert_cmpstr (zz_table_get_text (t, i, 0), ==, zz_row_get (r, "number"));
      g_assert_cmpstr (zz_table_get_link (t, i), ==, link);
      g_assert_cmpint (zz_table_get_int (t, i, zz_table_column_index (t, "registered_at")), ==,
                       zz_row_get_int (r, "registered_at"));
      g_assert_cmpstr (zz_table_get_text (t, i, zz_table_column_index (t, "status")), ==,
                       zz_vocab_display (statuses, statuses_n, zz_row_get (r, "status")));
      g_assert_cmpstr (zz_table_get_text (t, i, zz_table_column_index (t, "category")), ==, category);
      g_assert_cmpstr (zz_table_get_text (t, i, zz_table_column_index (t, "summary")), ==, zz_row_get (r, "summary"));
      g_assert_cmpstr (zz_table_get_text (t, i, zz_table_column_index (t, "parties")), ==, zz_row_get (r, "parties"));
      if (zz_row_get (r, "deadline_at"))
        g_assert_cmpint (zz_table_get_int (t, i, zz_table_column_index (t, "deadline_at")), ==,
                         zz_row_get_int (r, "deadline_at"));
      else
        g_assert_true (zz_table_is_null (t, i, zz_table_column_index (t, "deadline_at")));
      g_assert_nonnull (zz_table_get_text (t, i, zz_table_column_index (t, "unit")));
      g_assert_true (g_str_has_prefix (zz_table_get_text (t, i, zz_table_column_index (t, "unit_code")), "433122"));
    }
}

static void
test_table (void)
{
  g_autoptr(ZzStore) store = open_as ("supervisor");
  g_autoptr(ZzCaseList) list = zz_case_list_new (store);
  struct { const char *what; ZzCaseFilter f; } filters[] = {
    { "all, newest first", { 0 } },
    { "open, by deadline", { .status = "open", .sort = ZZ_CASE_SORT_DEADLINE } },
    { "by status, reversed", { .sort = ZZ_CASE_SORT_STATUS, .reverse = TRUE } },
    { "overdue", { .overdue = TRUE, .sort = ZZ_CASE_SORT_DEADLINE } },
    { "a category", { .category = "neighbours", .sort = ZZ_CASE_SORT_NUMBER } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (filters); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZzTable) t = NULL;
      g_autoptr(ZzCaseExport) exp = NULL;
      guint chunks = 0, rows = 0;
      ZzTable *chunk;

      g_test_message ("%s", filters[k].what);
      zz_case_list_set_filter (list, &filters[k].f);
      t = zz_case_list_to_table (list, &error);
      g_assert_no_error (error);
      assert_table_is_list (t, list, store);

      /* In chunks: the same rows in the same order. */
      exp = zz_case_export_new (list);
      g_assert_cmpuint (zz_case_export_get_total (exp), ==, g_list_model_get_n_items (G_LIST_MODEL (list)));
      while ((chunk = zz_case_export_next (exp, 7, &error)))
        {
          g_assert_cmpuint (zz_table_n_rows (chunk), <=, 7);
          for (guint i = 0; i < zz_table_n_rows (chunk); i++)
            g_assert_cmpstr (zz_table_get_text (chunk, i, 0), ==, zz_table_get_text (t, rows + i, 0));
          rows += zz_table_n_rows (chunk);
          chunks++;
          zz_table_unref (chunk);
        }
      g_assert_no_error (error);
      g_assert_cmpuint (rows, ==, zz_table_n_rows (t));
      g_assert_cmpuint (chunks, ==, MAX (1, (rows + 6) / 7));
    }
  {
    /* A search: its matches as the list shows them. */
    g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(ZzTable) t = NULL;
    g_auto(GStrv) names = g_strsplit (zz_row_get (r, "parties"), "、", 2);
    ZzCaseFilter f = { .query = names[0] };

    zz_case_list_set_filter (list, &f);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
    t = zz_case_list_to_table (list, &error);
    g_assert_no_error (error);
    assert_table_is_list (t, list, store);
  }
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *p = text; (p = strstr (p, "\r\n")); p += 2)
    n++;
  return n;
}

static void
test_cli (void)
{
  g_autofree char *csv = g_build_filename (dir, "open.csv", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "案件.xlsx", NULL);
  g_autofree char *txt = g_build_filename (dir, "open.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "nowhere", "open.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_auto(GStrv) lines = NULL;
  Run list = cli ("--as", "mediator", "cases", "list", "--status", "open", "--sort", "deadline", "--limit", "100000", NULL);
  Run r = { 0 };
  guint n;

  g_assert_cmpint (list.status, ==, 0);
  lines = g_strsplit (list.out, "\n", -1);
  n = g_strv_length (lines) - 1;
  g_assert_cmpuint (n, >, 10);

  r = cli ("--as", "mediator", "cases", "export", "--status", "open", "--sort", "deadline", "-o", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  g_assert_cmpuint (count_lines (text), ==, n + 1);
  {
    /* The first row is the list's first case. */
    g_auto(GStrv) first = g_strsplit (lines[0], "\t", 2);
    g_autofree char *row1 = g_strdup_printf ("\r\n%s,", first[0]);
    g_assert_nonnull (strstr (text, row1));
    g_assert_true (strstr (text, row1) == strstr (text, "\r\n"));
  }

  r = cli ("--as", "mediator", "cases", "export", "--status", "open", "--sort", "deadline", "-o", xlsx, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  parser = zz_test_read_xlsx (xlsx);
  if (parser)
    {
      JsonArray *sheets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "sheets");
      JsonObject *sheet = json_array_get_object_element (sheets, json_array_get_length (sheets) - 1);
      JsonArray *rows = json_object_get_array_member (sheet, "rows");
      JsonArray *row1 = json_array_get_array_element (rows, 1);
      g_auto(GStrv) first = g_strsplit (lines[0], "\t", 2);

      g_assert_cmpuint (json_array_get_length (rows), ==, n + 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (row1, 0), "v"), ==, first[0]);
      /* registered: a real date */
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (row1, 1), "t"), ==, "datetime");
    }

  /* Refused: nothing written, one line saying why. */
  r = cli ("--as", "mediator", "cases", "export", "-o", txt, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, ".xlsx"));
  g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);
  run_clear (&r);
  r = cli ("--as", "mediator", "cases", "export", "-o", missing, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "does not exist"));
  run_clear (&r);
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  run_clear (&list);
}

/* The office's export: conclusion date and mediation result for everyone who may see cases; the
 * parties' phones and ID numbers only for roles that may see them in full, each such export
 * written in the access log. */
static void
test_contacts_and_results (void)
{
  g_autoptr(ZzStore) clerk = open_as ("clerk");
  g_autoptr(ZzStore) mediator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzTable) t = NULL;
  g_autoptr(ZzTable) tc = NULL;
  g_autoptr(ZzCaseList) list = NULL;
  g_autoptr(ZzCaseList) clerk_list = zz_case_list_new (clerk);
  ZzCaseFilter f = { .status = "concluded" };
  gboolean seen_result = FALSE, seen_id = FALSE, seen_phone = FALSE;
  g_autoptr(ZzStore) admin = NULL;
  guint logged_before, logged_after;

  tc = zz_case_list_to_table (clerk_list, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zz_table_column_index (tc, "concluded_at"), >=, 0);
  g_assert_cmpint (zz_table_column_index (tc, "mediation_result"), >=, 0);
  g_assert_cmpint (zz_table_column_index (tc, "phones"), <, 0);
  g_assert_cmpint (zz_table_column_index (tc, "id_numbers"), <, 0);

  admin = open_as ("supervisor");
  {
    g_autoptr(GListModel) log = zz_store_list_access_log (admin, NULL);
    logged_before = g_list_model_get_n_items (log);
  }
  mediator = open_as ("mediator");
  list = zz_case_list_new (mediator);
  zz_case_list_set_filter (list, &f);
  t = zz_case_list_to_table (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zz_table_n_rows (t), >, 0);
  for (guint i = 0; i < zz_table_n_rows (t); i++)
    {
      const char *ids = zz_table_get_text (t, i, zz_table_column_index (t, "id_numbers"));
      const char *phones = zz_table_get_text (t, i, zz_table_column_index (t, "phones"));
      g_assert_false (zz_table_is_null (t, i, zz_table_column_index (t, "concluded_at")));
      if (zz_table_get_text (t, i, zz_table_column_index (t, "mediation_result")))
        seen_result = TRUE;
      if (ids && strlen (ids) > 18 && !strchr (ids, '*'))
        seen_id = TRUE;
      if (phones && strstr (phones, "：1"))
        seen_phone = TRUE;
    }
  g_assert_true (seen_result);
  g_assert_true (seen_id);
  g_assert_true (seen_phone);
  {
    g_autoptr(GListModel) log = zz_store_list_access_log (admin, NULL);
    g_autoptr(ZzRow) last = NULL;
    logged_after = g_list_model_get_n_items (log);
    g_assert_cmpuint (logged_after, ==, logged_before + 1);
    last = g_list_model_get_item (log, logged_after - 1);
    g_assert_cmpstr (zz_row_get (last, "what"), ==, "case_export.contacts");
    g_assert_cmpstr (zz_row_get (last, "login"), ==, "mediator");
  }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("zz-case-export-XXXXXX", NULL);
  db = g_build_filename (dir, "demo.db", NULL);
  {
    Run r = cli ("demo", NULL);
    g_assert_cmpint (r.status, ==, 0);
    run_clear (&r);
  }
  g_test_add_func ("/case-export/table", test_table);
  g_test_add_func ("/case-export/cli", test_cli);
  g_test_add_func ("/case-export/contacts-results", test_contacts_and_results);
  rc = g_test_run ();
  zz_test_rm_rf (dir);
  g_free (db);
  g_free (dir);
  return rc;
}
