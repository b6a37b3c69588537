/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cli-households"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-cli.h"
#include "zz-cli-households.h"
#include "zz-households.h"

const char *
zz_cli_households_usage (void)
{
  return _("Usage: zongzhi-cli households list [--overdue] [--mine] [--grade high|medium|low|none]\n"
                      "                                    [--village CODE] [--search TEXT] [--limit N]\n"
                      "       zongzhi-cli households counts [--village CODE]\n"
                      "       zongzhi-cli households import FILE.csv [--dry-run]\n");
}

static void
households_usage (void)
{
  g_printerr ("%s", zz_cli_households_usage ());
}

static int
cmd_list (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(GListModel) rows = NULL;
  ZzHouseholdFilter f = { .grade = -1 };
  guint limit = 100, total = 0;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--overdue"))
        f.overdue_only = TRUE;
      else if (g_str_equal (argv[i], "--mine"))
        f.mine_only = TRUE;
      else if (g_str_equal (argv[i], "--grade") && i + 1 < argc)
        {
          i++;
          f.grade = g_str_equal (argv[i], "none") ? ZZ_GRADE_NONE : zz_grade_from_key (argv[i]);
          if (f.grade == ZZ_GRADE_NONE && !g_str_equal (argv[i], "none"))
            {
              households_usage ();
              return 2;
            }
        }
      else if (g_str_equal (argv[i], "--village") && i + 1 < argc)
        f.org_unit = argv[++i];
      else if (g_str_equal (argv[i], "--search") && i + 1 < argc)
        f.query = argv[++i];
      else if (g_str_equal (argv[i], "--limit") && i + 1 < argc)
        limit = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else
        {
          households_usage ();
          return 2;
        }
    }
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  rows = zz_store_list_households (store, &f, limit ? limit : 100, &total);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      if (f.overdue_only && !zz_row_get_int (r, "overdue"))
        break;
      g_print ("%-8s %-10s %-10s %-12s %-12s %s %s\n",
               zz_row_get_int (r, "overdue") ? _("OVERDUE") : "",
               zz_grade_name (zz_grade_from_key (zz_row_get (r, "grade"))),
               zz_row_get (r, "head_name"), zz_row_get (r, "village"),
               zz_row_get (r, "next_due") ? zz_row_get (r, "next_due") : "-",
               zz_row_get (r, "address"), zz_row_get_id (r));
    }
  g_print (ngettext ("%u household\n", "%u households\n", total), total);
  return 0;
}

static int
cmd_counts (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;

  if (!store)
    return zz_cli_fail (error);
  rows = zz_store_household_counts (store, argc > 3 && g_str_equal (argv[2], "--village") ? argv[3] : NULL);
  g_print ("%-14s %-12s %6s %6s %6s %6s %8s\n", _("Code"), _("Village"), _("High"), _("Medium"), _("Low"),
           _("None"), _("Overdue"));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_print ("%-14s %-12s %6lld %6lld %6lld %6lld %8lld\n", zz_row_get (r, "code"), zz_row_get (r, "name"),
               (long long) zz_row_get_int (r, "high"), (long long) zz_row_get_int (r, "medium"),
               (long long) zz_row_get_int (r, "low"), (long long) zz_row_get_int (r, "ungraded"),
               (long long) zz_row_get_int (r, "overdue"));
    }
  return 0;
}

static int
cmd_import (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(ZzHouseholdImport) imp = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autofree char *data = NULL;
  const char *file = NULL;
  gboolean dry_run = FALSE;
  gsize len;
  guint good = 0;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--dry-run"))
        dry_run = TRUE;
      else if (!file)
        file = argv[i];
      else
        {
          households_usage ();
          return 2;
        }
    }
  if (!file)
    {
      households_usage ();
      return 2;
    }
  if (!g_file_get_contents (file, &data, &len, &error))
    return zz_cli_fail (error);
  imp = zz_household_import_new (data, len, &error);
  if (!imp)
    return zz_cli_fail (error);
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  for (guint c = 0; c < ZZ_HH_N_COLUMNS; c++)
    {
      int col = zz_household_import_get_mapping (imp, c);
      g_print ("%-24s ← %s\n", zz_household_column_name (c),
               col >= 0 ? zz_household_import_header (imp, col) : _("(not in the file)"));
    }
  if (!zz_household_import_run (imp, store, !dry_run, NULL, NULL, &good, &problems, &error))
    return zz_cli_fail (error);
  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(ZzRow) p = g_list_model_get_item (problems, i);
      g_print (_("line %lld: %s\n"), (long long) zz_row_get_int (p, "line"), zz_row_get (p, "reason"));
    }
  if (dry_run)
    g_print (_("Dry run: rows that can be added: %u; rows with problems: %u. Nothing was written.\n"),
             good, g_list_model_get_n_items (problems));
  else
    g_print (_("Households added: %u; rows with problems, skipped: %u.\n"), good,
             g_list_model_get_n_items (problems));
  return g_list_model_get_n_items (problems) ? 1 : 0;
}

int
zz_cli_households_main (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return cmd_list (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "counts"))
    return cmd_counts (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return cmd_import (argc, argv);
  households_usage ();
  return 2;
}
