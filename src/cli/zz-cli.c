/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zongzhi-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-backup.h"
#include "zz-cli.h"
#include "zz-cli-households.h"
#include "zz-cli-cases.h"
#include "zz-cli-stats.h"
#include "zz-cli-report.h"
#include "zz-cli-sync.h"
#include "zz-receipt.h"
#include "zz-store.h"

static char *opt_db;
static char *opt_as;

static void
usage_to (FILE *out)
{
  fprintf (out, "%s", _("Usage: zongzhi-cli [--db FILE] [--as LOGIN] COMMAND\n"
                      "\n"
                      "Commands:\n"
                      "  demo [--day YYYY-MM-DD] [--cases N] [--sync]\n"
                      "                                   create a demo database (the file must not exist)\n"
                      "  cases list|search|show|overdue|review   cases for scripts (see cases --help)\n"
                      "  divisions import DIR [--within CODE]\n"
                      "                                   import the five division CSV files\n"
                      "  divisions search TEXT            find org units by name or code\n"
                      "  users                            list user accounts\n"
                      "  tickets [YYYY-MM-DD]             list a day's tickets\n"
                      "  receipt TICKET_ID -o FILE.pdf    write a ticket's receipt as PDF\n"
                      "  verify-log                       check this node's op chain\n"
                      "  access-log [YYYY-MM-DD]          who saw full ID numbers (administrator, supervisor)\n"));
  fprintf (out, "%s", _("  backup -o FILE [--passphrase-file P]\n"
                         "                                   back up the database and the node key to FILE\n"
                         "  restore FILE [--passphrase-file P]\n"
                         "                                   restore a backup as --db (which must not exist)\n"));
  /* Each area's commands are a message of their own. */
  fprintf (out, "%s", _("  households list|counts|import    risk households: list, counts, CSV import\n"));
  fprintf (out, "%s", zz_cli_sync_usage ());
  fprintf (out, "%s", zz_cli_stats_usage ());
  fprintf (out, "%s", zz_cli_report_usage ());
  fprintf (out, "%s", _("\nzongzhi-cli COMMAND --help shows one command's options.\n"));
}

static void
usage (void)
{
  usage_to (stderr);
}

int
zz_cli_print_help (const char *command, const char *params, const char *summary, const char *description,
                   const GOptionEntry *entries)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (params ? _(params) : NULL);
  g_autofree char *prgname = g_strdup_printf ("zongzhi-cli [--db FILE] [--as LOGIN] %s", command);
  g_autofree char *help = NULL;

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, _(summary));
  if (description)
    g_option_context_set_description (ctx, _(description));
  if (entries)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  help = g_option_context_get_help (ctx, TRUE, NULL);
  g_print ("%s", help);
  return 0;
}

/* The commands of this file and those with sub-commands of their own; the sync commands have
 * their table in zz-cli-sync.c. */
typedef struct {
  const char *name;
  const char *params;
  const char *summary;
  const char *(*more) (void);
} Command;

static const char *
households_more (void)
{
  return zz_cli_households_usage ();
}

static const char *
cases_more (void)
{
  return zz_cli_cases_usage ();
}

static const Command commands[] = {
  { "demo", N_("[--day YYYY-MM-DD] [--cases N] [--sync] [--stats-cases N]"),
    N_("Creates a demo database at --db (the file must not exist) and lists its accounts."), NULL },
  { "divisions", N_("import DIR [--within CODE] | search TEXT"),
    N_("Imports the five administrative division CSV files of DIR (only the units within CODE, with "
       "their ancestors), or finds org units by name or code."), NULL },
  { "backup", N_("-o FILE [--passphrase-file P]"),
    N_("Backs up the database and the node key to FILE, checked before it counts. With a "
       "passphrase (from the file P, or the one the administrator set) the backup is encrypted in "
       "the age format: “age -d FILE | tar x” opens it."), NULL },
  { "restore", N_("FILE [--passphrase-file P]"),
    N_("Restores a backup as the database --db, which must not exist yet. An encrypted backup needs "
       "its passphrase in the file P."), NULL },
  { "users", NULL, N_("Lists the user accounts: login, name, role, and whether disabled."), NULL },
  { "tickets", N_("[YYYY-MM-DD]"), N_("Lists a day's tickets (default: today)."), NULL },
  { "receipt", N_("TICKET_ID -o FILE.pdf"), N_("Writes a ticket's receipt as PDF."), NULL },
  { "verify-log", NULL, N_("Checks this node's own chain of changes."), NULL },
  { "check", N_("[--full]"),
    N_("Reads the whole database file and reports any damage (exit 1); --full also checks every index "
       "against its table. The window runs the quick form by itself after an unclean exit."), NULL },
  { "access-log", N_("[YYYY-MM-DD]"),
    N_("Lists who saw full ID numbers on a day (administrators and supervisors only)."), NULL },
  { "households", N_("list|counts|import …"), N_("Risk households: the list, counts by grade, and CSV import."),
    households_more },
  { "cases", N_("list|search|show|overdue|review|agreement|categories|export …"),
    N_("Cases for scripts: lists, search, one case with its timeline, and exports."), cases_more },
  { "stats", N_("[--unit CODE] [--period P] [--table KEY]"),
    N_("Statistics of a unit over a period."), zz_cli_stats_usage },
  { "report", N_("--unit CODE --period P -o FILE.xlsx|FILE.pdf|FILE.csv"),
    N_("Writes the monthly statistics report."), zz_cli_report_usage },
};

static gboolean
command_help (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      {
        zz_cli_print_help (name, commands[i].params, commands[i].summary,
                           commands[i].more ? commands[i].more () : NULL, NULL);
        return TRUE;
      }
  return zz_cli_sync_help (name);
}

static char *
default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "zongzhi", "zongzhi.db", NULL);
}

int
zz_cli_fail (GError *error)
{
  g_printerr (_("Error: %s\n"), error ? error->message : _("unknown error"));
  g_clear_error (&error);
  return 1;
}

/* The headless tool is run by the database file's owner: it acts as the named user, or as the
 * first active administrator. */
ZzStore *
zz_cli_open_store (GError **error)
{
  g_autoptr(ZzStore) store = zz_store_open (opt_db, error);

  if (!store)
    return NULL;
  if (!zz_store_has_node (store))
    return g_steal_pointer (&store);
  if (!zz_store_act_as (store, opt_as, error))
    return NULL;
  return g_steal_pointer (&store);
}

static int
cmd_check (int argc, char **argv)
{
  gboolean full = argc >= 2 && g_str_equal (argv[1], "--full");
  GError *error = NULL;

  if (argc > (full ? 2 : 1))
    {
      g_printerr (_("Usage: zongzhi-cli check [--full]\n"));
      return 2;
    }
  if (!g_file_test (opt_db, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("Error: %s\n"), _("There is no database file there."));
      return 1;
    }
  if (!zz_store_check_file (opt_db, full, NULL, &error))
    return zz_cli_fail (error);
  g_print (_("The database file is sound.\n"));
  return 0;
}

static void
print_progress (double fraction, gpointer data)
{
  g_printerr ("\r%3d%%", (int) (fraction * 100));
}

static int
cmd_demo (int argc, char **argv)
{
  GError *error = NULL;
  ZzDemoOptions options;
  guint n;
  const ZzDemoUser *users = zz_demo_users (&n);

  zz_demo_options_init (&options);

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--day") && i + 1 < argc)
      {
        g_autofree char *iso = g_strdup_printf ("%sT12:00:00", argv[++i]);
        g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
        g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, tz);
        if (!dt)
          {
            g_printerr (_("Error: %s is not a date (YYYY-MM-DD).\n"), argv[i]);
            return 2;
          }
        options.day_ms = g_date_time_to_unix (dt) * 1000;
      }
  zz_cli_cases_demo_options (argc, argv, &options);
  zz_cli_stats_demo_options (argc, argv, &options);
  zz_cli_sync_demo_options (argc, argv, &options);
  if (!zz_demo_create (opt_db, &options, isatty (2) ? print_progress : NULL, NULL, &error))
    return zz_cli_fail (error);
  g_print (_("Demo database written to %s\n"), opt_db);
  g_print ("%s\n", _("Demo accounts (login / password):"));
  for (guint i = 0; i < n; i++)
    g_print ("  %-11s %-13s %s (%s)\n", users[i].login, users[i].password, users[i].name,
             zz_role_display_name (users[i].role));
  return 0;
}

static int
cmd_divisions (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;

  if (argc >= 3 && g_str_equal (argv[1], "import"))
    {
      const char *within = NULL;
      guint count = 0;
      gint64 start;

      for (int i = 3; i < argc; i++)
        if (g_str_equal (argv[i], "--within") && i + 1 < argc)
          within = argv[++i];
      store = zz_cli_open_store (&error);
      if (!store)
        return zz_cli_fail (error);
      start = g_get_monotonic_time ();
      if (!zz_store_import_divisions (store, argv[2], within, isatty (2) ? print_progress : NULL, NULL,
                                      NULL, &count, &error))
        return zz_cli_fail (error);
      g_print (_("Imported %u administrative divisions in %.2f s.\n"), count,
               (g_get_monotonic_time () - start) / 1e6);
      return 0;
    }
  if (argc >= 3 && g_str_equal (argv[1], "search"))
    {
      g_autoptr(GListModel) rows = NULL;

      store = zz_cli_open_store (&error);
      if (!store)
        return zz_cli_fail (error);
      rows = zz_store_search_org_units (store, argv[2], 50);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          g_print ("%-12s %s %s\n", zz_row_get (r, "code"), zz_row_get (r, "path"), zz_row_get (r, "name"));
        }
      return 0;
    }
  usage ();
  return 2;
}

static int
cmd_users (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;

  if (!store)
    return zz_cli_fail (error);
  rows = zz_store_list_users (store);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_print ("%-12s %-8s %-12s %s\n", zz_row_get (r, "login"), zz_row_get (r, "name"),
               zz_row_get (r, "role"), zz_row_get_int (r, "active") ? "" : _("disabled"));
    }
  return 0;
}

static int
cmd_tickets (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;

  if (!store)
    return zz_cli_fail (error);
  rows = zz_store_list_tickets (store, NULL, argc > 1 ? argv[1] : NULL);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_print ("%s  %-8s %-8s %-10s %s  %s\n", zz_row_get (r, "label"), zz_row_get (r, "status"),
               zz_row_get (r, "outcome") ? zz_row_get (r, "outcome") : "-", zz_row_get (r, "name"),
               zz_row_get (r, "department"), zz_row_get (r, "id"));
    }
  return 0;
}

static int
cmd_receipt (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(ZzRow) ticket = NULL;
  const char *out = NULL;
  ZzReceipt r;

  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
  if (argc < 2 || !out)
    {
      usage ();
      return 2;
    }
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  ticket = zz_store_get_ticket (store, argv[1]);
  if (!ticket)
    {
      g_printerr (_("Error: no ticket %s.\n"), argv[1]);
      return 1;
    }
  zz_receipt_init_from_ticket (&r, ticket, zz_store_get_centre_name (store),
                               zz_store_waiting_ahead (store, argv[1]));
  if (!zz_receipt_write_pdf (&r, out, &error))
    return zz_cli_fail (error);
  return 0;
}

static int
cmd_access_log (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;

  if (!store)
    return zz_cli_fail (error);
  if (!zz_store_can (store, ZZ_PERM_VIEW_ACCESS_LOG))
    {
      g_printerr ("%s\n", _("Error: only an administrator or a supervisor may read the access log."));
      return 1;
    }
  rows = zz_store_list_access_log (store, argc > 1 ? argv[1] : NULL);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (zz_row_get_int (r, "at") / 1000);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");

      g_print ("%s  %-12s %-8s %-18s %s\n", when, zz_row_get (r, "login"), zz_row_get (r, "user_name"),
               zz_row_get (r, "what"), zz_row_get (r, "person_name") ? zz_row_get (r, "person_name") : zz_row_get (r, "row_id"));
    }
  return 0;
}

/* The first line of @path: a passphrase for scripts, without a prompt. */
static char *
read_passphrase_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  char *nl;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  nl = strpbrk (contents, "\r\n");
  if (nl)
    *nl = 0;
  if (!*contents)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The passphrase file %s is empty."), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

static int
cmd_backup (int argc, char **argv)
{
  GError *error = NULL;
  const char *out = NULL, *pass_file = NULL;
  g_autofree char *passphrase = NULL;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if (g_str_equal (argv[i], "--passphrase-file") && i + 1 < argc)
      pass_file = argv[++i];
    else
      {
        usage ();
        return 2;
      }
  if (!out)
    {
      usage ();
      return 2;
    }
  if (!g_file_test (opt_db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("Error: there is no database at %s.\n"), opt_db);
      return 1;
    }
  if (pass_file)
    {
      passphrase = read_passphrase_file (pass_file, &error);
      if (!passphrase)
        return zz_cli_fail (error);
    }
  else
    passphrase = zz_backup_load_passphrase (opt_db);
  if (!zz_backup_write (opt_db, out, passphrase, isatty (2) ? print_progress : NULL, NULL, NULL, &error))
    return zz_cli_fail (error);
  if (isatty (2))
    g_printerr ("\n");
  if (passphrase)
    g_print (_("Backup written to %s (encrypted).\n"), out);
  else
    g_print (_("Backup written to %s (not encrypted: set a backup passphrase, or give --passphrase-file).\n"), out);
  return 0;
}

static int
cmd_restore (int argc, char **argv)
{
  GError *error = NULL;
  const char *in = NULL, *pass_file = NULL;
  g_autofree char *passphrase = NULL;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--passphrase-file") && i + 1 < argc)
      pass_file = argv[++i];
    else if (!in && argv[i][0] != '-')
      in = argv[i];
    else
      {
        usage ();
        return 2;
      }
  if (!in)
    {
      usage ();
      return 2;
    }
  if (pass_file)
    {
      passphrase = read_passphrase_file (pass_file, &error);
      if (!passphrase)
        return zz_cli_fail (error);
    }
  if (!zz_backup_restore (in, opt_db, passphrase, ZZ_RESTORE_DEFAULT, isatty (2) ? print_progress : NULL,
                          NULL, NULL, &error))
    return zz_cli_fail (error);
  if (isatty (2))
    g_printerr ("\n");
  g_print (_("Restored %s as %s.\n"), in, opt_db);
  {
    g_autoptr(ZzStore) store = zz_store_open (opt_db, NULL);
    if (store && zz_store_get_restore_pending (store))
      g_print ("%s\n", _("Import a bundle from the county before making changes: it brings back the "
                         "changes made after this backup."));
  }
  return 0;
}

static int
cmd_verify_log (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);

  if (!store)
    return zz_cli_fail (error);
  if (!zz_store_has_node (store))
    {
      g_printerr ("%s\n", _("Error: this database has not been set up."));
      return 1;
    }
  if (!zz_store_verify_chain (store, NULL, &error))
    return zz_cli_fail (error);
  g_print (_("The op log is intact: %lld ops.\n"), (long long) zz_store_count_ops (store));
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *db = NULL;
  int rc;

  setlocale (LC_ALL, "");
  /* ZZ_LOCALEDIR points an uninstalled build (build-aux/dev run, tests) at its compiled catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, zz_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_ptr_array_add (args, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        opt_db = argv[++i];
      else if (g_str_equal (argv[i], "--as") && i + 1 < argc)
        opt_as = argv[++i];
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          /* before a command: the list of commands; after one: that command's help */
          if (args->len < 2)
            {
              usage_to (stdout);
              return 0;
            }
          if (command_help (args->pdata[1]))
            return 0;
          usage ();
          return 2;
        }
      else
        g_ptr_array_add (args, argv[i]);
    }
  g_ptr_array_add (args, NULL);
  if (!opt_db)
    opt_db = db = default_db_path ();

  if (args->len < 3)
    {
      usage ();
      return 2;
    }
  {
    const char *cmd = args->pdata[1];
    int n = args->len - 2;
    char **v = (char **) args->pdata + 1;

    if (g_str_equal (cmd, "demo"))
      rc = cmd_demo (n, v);
    else if (g_str_equal (cmd, "divisions"))
      rc = cmd_divisions (n, v);
    else if (g_str_equal (cmd, "users"))
      rc = cmd_users ();
    else if (g_str_equal (cmd, "tickets"))
      rc = cmd_tickets (n, v);
    else if (g_str_equal (cmd, "receipt"))
      rc = cmd_receipt (n, v);
    else if (g_str_equal (cmd, "access-log"))
      rc = cmd_access_log (n, v);
    else if (g_str_equal (cmd, "backup"))
      rc = cmd_backup (n, v);
    else if (g_str_equal (cmd, "restore"))
      rc = cmd_restore (n, v);
    else if (g_str_equal (cmd, "verify-log"))
      rc = cmd_verify_log ();
    else if (g_str_equal (cmd, "check"))
      rc = cmd_check (n, v);
    else if (g_str_equal (cmd, "households"))
      rc = zz_cli_households_main (n, v);
    else if (g_str_equal (cmd, "cases"))
      rc = zz_cli_cases_main (n, v);
    else if (g_str_equal (cmd, "stats"))
      rc = zz_cli_stats_main (n, v);
    else if (g_str_equal (cmd, "report"))
      rc = zz_cli_report_main (n, v);
    else if (zz_cli_sync_handles (cmd))
      rc = zz_cli_sync (n, v);
    else
      {
        usage ();
        rc = 2;
      }
  }
  return rc;
}
