/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cli-cases"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "zz-agreement.h"
#include "zz-case-list.h"
#include "zz-cases.h"
#include "zz-cli-cases.h"
#include "zz-cli.h"
#include "zz-export.h"
#include "zz-time.h"

void
zz_cli_cases_demo_options (int argc, char **argv, ZzDemoOptions *options)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--cases") && i + 1 < argc)
      options->n_cases = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
}

static char *
day_of (gint64 ms)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (ms <= 0)
    return g_strdup ("-");
  utc = g_date_time_new_from_unix_utc (ms / 1000);
  local = g_date_time_to_timezone (utc, zz_local_zone ());
  return g_date_time_format (local, "%Y-%m-%d");
}

static void
print_row (ZzRow *r)
{
  g_autofree char *deadline = day_of (zz_row_get_int (r, "deadline_at"));

  g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", zz_row_get (r, "number"), zz_row_get (r, "status"), zz_row_get (r, "level"),
           zz_row_get (r, "category"), deadline, zz_row_get (r, "parties") ? zz_row_get (r, "parties") : "",
           zz_row_get (r, "summary"));
}

/* The filters of `cases list` and `cases export`, from argv[2..]. */
static void
parse_filter (ZzStore *store, int argc, char **argv, ZzCaseFilter *f)
{
  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--status") && i + 1 < argc)
        f->status = argv[++i];
      else if (g_str_equal (argv[i], "--category") && i + 1 < argc)
        {
          /* A key, or a category's name. */
          g_autoptr(GListModel) cats = zz_store_case_categories (store, TRUE);
          f->category = argv[++i];
          for (guint k = 0; k < g_list_model_get_n_items (cats); k++)
            {
              g_autoptr(ZzRow) r = g_list_model_get_item (cats, k);
              if (g_strcmp0 (zz_row_get (r, "name"), argv[i]) == 0)
                f->category = g_intern_string (zz_row_get (r, "key"));
            }
        }
      else if (g_str_equal (argv[i], "--level") && i + 1 < argc)
        f->level = argv[++i];
      else if (g_str_equal (argv[i], "--overdue"))
        f->overdue = TRUE;
      else if (g_str_equal (argv[i], "--mine"))
        f->mine = TRUE;
      else if (g_str_equal (argv[i], "--sort") && i + 1 < argc)
        {
          const char *s = argv[++i];
          f->sort = g_str_equal (s, "deadline") ? ZZ_CASE_SORT_DEADLINE
                  : g_str_equal (s, "number") ? ZZ_CASE_SORT_NUMBER : ZZ_CASE_SORT_NEWEST;
        }
      else if (g_str_equal (argv[i], "--search") && i + 1 < argc)
        f->query = argv[++i];
    }
}

static ZzTable *
export_chunk (gpointer data, GError **error)
{
  return zz_case_export_next (data, 2000, error);
}

static void
export_progress (double fraction, gpointer data)
{
  g_printerr ("\r%3d%%", (int) (fraction * 100));
}

/* `cases export [filters] -o FILE.xlsx|FILE.csv`: the list as `cases list` would show it. */
static int
cases_export (ZzStore *store, int argc, char **argv)
{
  g_autoptr(ZzCaseList) list = zz_case_list_new (store);
  g_autoptr(ZzCaseExport) exp = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  GError *error = NULL;
  ZzCaseFilter f = { 0 };
  const char *out = NULL;
  guint64 written = 0;
  ZzExportAbout about = { 0 };
  ZzExportFormat format;

  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if (g_str_has_prefix (argv[i], "--"))
      g_string_append_printf (note, "%s%s", note->len ? " " : "", argv[i]);
    else if (i > 2 && g_str_has_prefix (argv[i - 1], "--"))
      g_string_append_printf (note, " %s", argv[i]);
  if (!out)
    {
      g_printerr ("%s\n", _("Usage: zongzhi-cli --db FILE cases export [filters of cases list] [--search TEXT] -o FILE.xlsx|FILE.csv"));
      return 2;
    }
  format = zz_export_format_from_path (out);
  if (format != ZZ_EXPORT_XLSX && format != ZZ_EXPORT_CSV)
    {
      g_printerr ("%s\n", _("Error: the file name must end in .xlsx (Excel) or .csv."));
      return 1;
    }
  parse_filter (store, argc, argv, &f);
  zz_case_list_set_filter (list, &f);
  exp = zz_case_export_new (list);
  now = g_date_time_new_now_local ();
  about.title = _("Case list");
  about.scope = zz_store_get_centre_name (store);
  about.generated_at = g_date_time_to_unix (now) * 1000;
  about.note = note->len ? note->str : NULL;
  if (!zz_export_stream (out, export_chunk, exp, zz_case_export_get_total (exp), &about,
                         isatty (2) ? export_progress : NULL, NULL, NULL, &written, &error))
    {
      if (isatty (2))
        g_printerr ("\r");
      return zz_cli_fail (error);
    }
  if (isatty (2))
    g_printerr ("\r");
  if (zz_case_list_is_truncated (list))
    g_printerr (_("Only the newest %d matches of the search were written; use more words for fewer matches.\n"),
                ZZ_CASE_SEARCH_MAX);
  g_print (ngettext ("%lld case written to %s\n", "%lld cases written to %s\n", (gulong) MIN (written, G_MAXULONG)),
           (long long) written, out);
  return 0;
}

const char *
zz_cli_cases_usage (void)
{
  static char *text;

  if (!text)
    text = g_strconcat (_("Usage: zongzhi-cli [--db FILE] --as LOGIN cases COMMAND\n"
                      "  cases list [--status S|open] [--category C] [--level L] [--overdue] [--mine]\n"
                      "             [--sort newest|deadline|number] [--limit N]\n"
                      "  cases search TEXT [--limit N]    by number, name, phone, ID number or words\n"
                      "  cases show NUMBER                a case with its parties and timeline\n"
                      "  cases overdue                    overdue cases, most overdue first\n"
                      "  cases review                     tier-rule review items\n"
                      "  cases agreement ATTEMPT_ID -o FILE.pdf   write a mediation agreement\n"
                      "  cases categories [--all]         the case categories: key, name (--all: retired too)\n"
                      "Columns: number, status, level, category, deadline, parties, summary.\n"),
                        _("  cases export [filters of cases list] [--search TEXT] -o FILE.xlsx|FILE.csv\n"
                      "                                   the list as Excel or CSV (UTF-8)\n"), NULL);
  return text;
}

static int
usage (void)
{
  g_printerr ("%s", zz_cli_cases_usage ());
  return 2;
}

int
zz_cli_cases_main (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  guint limit = 100;

  if (argc < 2)
    return usage ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (!zz_store_can (store, ZZ_PERM_VIEW_CASES))
    {
      g_printerr ("%s\n", _("Error: this user may not view cases; name one who may with --as LOGIN."));
      return 1;
    }
  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--limit") && i + 1 < argc)
      limit = (guint) g_ascii_strtoull (argv[++i], NULL, 10);

  if (g_str_equal (argv[1], "export"))
    return cases_export (store, argc, argv);
  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(ZzCaseList) list = zz_case_list_new (store);
      ZzCaseFilter f = { 0 };
      guint n;

      parse_filter (store, argc, argv, &f);
      zz_case_list_set_filter (list, &f);
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      for (guint i = 0; i < n && i < limit; i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (G_LIST_MODEL (list), i);
          if (r)
            print_row (r);
        }
      g_printerr (ngettext ("%u case\n", "%u cases\n", n), n);
      return 0;
    }
  if (g_str_equal (argv[1], "search") && argc >= 3)
    {
      g_autoptr(GListModel) rows = zz_store_search_cases (store, argv[2], limit);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          print_row (r);
        }
      return g_list_model_get_n_items (rows) ? 0 : 1;
    }
  if (g_str_equal (argv[1], "show") && argc >= 3)
    {
      g_autoptr(ZzRow) c = zz_store_get_case_by_number (store, argv[2]);
      g_autoptr(GListModel) parties = NULL;
      g_autoptr(GListModel) timeline = NULL;
      g_autofree char *deadline = NULL;

      if (!c)
        c = zz_store_get_case (store, argv[2]);
      if (!c)
        {
          g_printerr (_("Error: no case %s.\n"), argv[2]);
          return 1;
        }
      deadline = day_of (zz_row_get_int (c, "deadline_at"));
      g_print ("%s\t%s\n", _("Number"), zz_row_get (c, "number"));
      g_print ("%s\t%s\n", _("Summary"), zz_row_get (c, "summary"));
      g_print ("%s\t%s\n", _("Status"), zz_vocab_name (zz_case_statuses, zz_row_get (c, "status")));
      g_print ("%s\t%s\n", _("Level"), zz_vocab_name (zz_case_levels, zz_row_get (c, "level")));
      {
        g_autofree char *category = zz_store_case_category_name (store, zz_row_get (c, "category"));
        g_print ("%s\t%s\n", _("Category"), category);
      }
      g_print ("%s\t%s (%s)\n", _("Where it arose"), zz_row_get (c, "home_name"), zz_row_get (c, "home"));
      g_print ("%s\t%s\n", _("Deadline"), deadline);
      g_print ("%s\t%s\n", _("First responder"), zz_row_get (c, "first_responder"));
      parties = zz_store_case_parties (store, zz_row_get_id (c));
      for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
        {
          g_autoptr(ZzRow) p = g_list_model_get_item (parties, i);
          g_print ("%s\t%s\t%s\t%s\n", zz_vocab_name (zz_party_roles, zz_row_get (p, "role")), zz_row_get (p, "name"),
                   zz_row_get (p, "phone") ? zz_row_get (p, "phone") : "-",
                   zz_row_get (p, "id_number") ? zz_row_get (p, "id_number") : "-");
        }
      timeline = zz_store_case_timeline (store, zz_row_get_id (c));
      for (guint i = 0; i < g_list_model_get_n_items (timeline); i++)
        {
          g_autoptr(ZzRow) e = g_list_model_get_item (timeline, i);
          g_autofree char *text = zz_case_timeline_text (e);
          g_autofree char *when = day_of (zz_row_get_int (e, "at"));
          g_print ("%s\t%s\t%s\n", when, zz_row_get (e, "author") ? zz_row_get (e, "author") : "-", text);
        }
      return 0;
    }
  if (g_str_equal (argv[1], "overdue"))
    {
      g_autoptr(GListModel) rows = zz_store_list_supervision (store, limit);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          g_print ("%s\t%lld\t%s\t%s\n", zz_row_get (r, "number"), (long long) zz_row_get_int (r, "overdue_days"),
                   zz_row_get (r, "holder") ? zz_row_get (r, "holder") : "-", zz_row_get (r, "summary"));
        }
      return 0;
    }
  if (g_str_equal (argv[1], "agreement") && argc >= 5 && g_str_equal (argv[3], "-o"))
    {
      if (!zz_agreement_write_pdf (store, argv[2], argv[4], &error))
        return zz_cli_fail (error);
      return 0;
    }
  if (g_str_equal (argv[1], "categories"))
    {
      gboolean all = argc > 2 && g_str_equal (argv[2], "--all");
      g_autoptr(GListModel) rows = zz_store_case_categories (store, all);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          g_print ("%s\t%s%s\n", zz_row_get (r, "key"), zz_row_get (r, "name"),
                   zz_row_get_int (r, "retired") ? _("\t(retired)") : "");
        }
      return 0;
    }
  if (g_str_equal (argv[1], "review"))
    {
      g_autoptr(GListModel) rows = zz_store_list_review_items (store);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          g_print ("%s\t%s\t%lld\t%lld\n", zz_row_get (r, "number"), zz_row_get (r, "level"),
                   (long long) zz_row_get_int (r, "attempts"), (long long) zz_row_get_int (r, "max"));
        }
      return 0;
    }
  return usage ();
}
