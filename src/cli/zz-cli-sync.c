/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zongzhi-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "zz-cli-sync.h"
#include "zz-cli.h"
#include "zz-sync.h"

static const char *commands[] = { "init", "keys", "enrol", "trust", "revoke", "export", "import", "verify",
                                  "digest", "simulate", "conflicts", "resolve", "refused", NULL };

gboolean
zz_cli_sync_handles (const char *cmd)
{
  return g_strv_contains (commands, cmd);
}

const char *
zz_cli_sync_usage (void)
{
  return _("  init --org-unit CODE [--name NAME] [--divisions DIR] [--admin LOGIN] [--password PW]\n"
           "                                   set up this installation as a node (no GUI needed)\n"
           "  keys [-o FILE.pub]               show (or write) this node's public key and fingerprint\n"
           "  keys --age-identity -o FILE      write this node's age identity (secret, mode 0600)\n"
           "  trust FILE.pub --fingerprint FP  trust a county or prefecture node as a root\n"
           "  trust                            list known nodes, org units, fingerprints, status\n"
           "  enrol FILE.pub                   certify a node of this centre's area\n"
           "  revoke NODE --last-seq N         revoke a node's key after its op N\n"
           "  export (--to NODE | --all [--recipient NODE]... [--passphrase-file F]) [--format N] -o FILE.zzb\n"
           "                                   write a signed change bundle (format 2: encrypted)\n"
           "  import FILE.zzb [--passphrase-file F]\n"
           "                                   verify, authorise and apply a bundle (exit status: import --help)\n"
           "  verify FILE.zzb                  check a bundle without importing it\n"
           "  digest                           a hash of the synced data (equal on nodes holding the same)\n"
           "  simulate --ops N --seed S [--home CODE]\n"
           "                                   write N random realistic changes as this node\n"
           "  conflicts                        list fields with competing values\n"
           "  resolve TABLE ROW FIELD OP       settle a conflict on the value of op OP\n"
           "  refused                          list refused and held-back changes\n");
}

/* ---- help: one GOptionContext per command ---- */

/* The options of every sync command, parsed by the command's GOptionContext (the same entries
 * print its help). */
static char *v_org_unit, *v_name, *v_divisions, *v_admin, *v_password, *v_output, *v_fingerprint, *v_last_seq,
            *v_to, *v_ops, *v_seed, *v_home, *v_format, *v_passphrase_file;
static char **v_recipients;
static gboolean v_all, v_age_identity;

static const GOptionEntry init_entries[] = {
  { "org-unit", 0, 0, G_OPTION_ARG_STRING, &v_org_unit, N_("The org unit this installation serves (required)"), N_("CODE") },
  { "name", 0, 0, G_OPTION_ARG_STRING, &v_name, N_("The centre's name"), N_("NAME") },
  { "divisions", 0, 0, G_OPTION_ARG_FILENAME, &v_divisions,
    N_("The folder of division CSV files (default: the divisions shipped with the program)"), N_("DIR") },
  { "admin", 0, 0, G_OPTION_ARG_STRING, &v_admin, N_("The first administrator's login (default: admin)"), N_("LOGIN") },
  { "password", 0, 0, G_OPTION_ARG_STRING, &v_password,
    N_("The administrator's password (default: asked for on the terminal, or read from standard input)"), N_("PW") },
  { NULL }
};
static const GOptionEntry keys_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &v_output, N_("Write the public key file to FILE.pub"), N_("FILE.pub") },
  { "age-identity", 0, 0, G_OPTION_ARG_NONE, &v_age_identity,
    N_("Write this node's age identity (its secret key, which opens the bundles encrypted for it) to the file of -o, mode 0600"), NULL },
  { NULL }
};
static const GOptionEntry trust_entries[] = {
  { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &v_fingerprint,
    N_("The fingerprint the root's centre read out (compared before anything is trusted)"), N_("FP") },
  { NULL }
};
static const GOptionEntry revoke_entries[] = {
  { "last-seq", 0, 0, G_OPTION_ARG_STRING, &v_last_seq, N_("The node's last change that stays valid"), N_("N") },
  { NULL }
};
static const GOptionEntry export_entries[] = {
  { "to", 0, 0, G_OPTION_ARG_STRING, &v_to, N_("The node the bundle is for (its id, as trust lists it)"), N_("NODE") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &v_all, N_("A bundle for any node of this centre's own unit or a unit above it (a second laptop, a restored backup, the county); other nodes refuse it"), NULL },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &v_output, N_("Where to write the bundle"), N_("FILE.zzb") },
  { "format", 0, 0, G_OPTION_ARG_STRING, &v_format,
    N_("The bundle format: 2 encrypted, 1 readable by anyone holding the file (default: the newest the recipient has shown it reads)"), N_("N") },
  { "recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &v_recipients,
    N_("With --all: a node that may read the encrypted bundle (repeat for each)"), N_("NODE") },
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &v_passphrase_file,
    N_("With --all: encrypt with the passphrase on the first line of FILE instead (an archive)"), N_("FILE") },
  { NULL }
};
static const GOptionEntry import_entries[] = {
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &v_passphrase_file,
    N_("The passphrase of a bundle encrypted with one, on the first line of FILE"), N_("FILE") },
  { NULL }
};
static const GOptionEntry simulate_entries[] = {
  { "ops", 0, 0, G_OPTION_ARG_STRING, &v_ops, N_("How many changes to write"), N_("N") },
  { "seed", 0, 0, G_OPTION_ARG_STRING, &v_seed, N_("The random seed (the same seed writes the same changes)"), N_("S") },
  { "home", 0, 0, G_OPTION_ARG_STRING, &v_home, N_("The org unit the records belong to (default: this centre's)"), N_("CODE") },
  { NULL }
};

typedef struct {
  const char *name;
  const char *params;
  const char *summary;
  const char *description;
  const GOptionEntry *entries;
} Help;

static const Help helps[] = {
  { "init", NULL, N_("Sets up this installation as a node of an org unit, without the application window."),
    N_("The administrator's password is never printed; without --password it is asked for twice on the terminal "
       "(or read from the first line of standard input)."), init_entries },
  { "keys", NULL, N_("Shows this node's id, org unit, name, public key and fingerprint."), NULL, keys_entries },
  { "trust", N_("[FILE.pub]"),
    N_("With a key file: trusts a county or prefecture node as a root, after its fingerprint is compared. "
       "Without: lists the known nodes with org unit, status and fingerprint, and the bundles in quarantine."),
    NULL, trust_entries },
  { "enrol", N_("FILE.pub"), N_("Certifies a node of this centre's area; the certificate reaches it with the next bundles."),
    NULL, NULL },
  { "revoke", N_("NODE"), N_("Revokes a node's key after its change N; its later changes are held for review everywhere."),
    NULL, revoke_entries },
  { "export", NULL, N_("Writes a signed change bundle: what the recipient lacks and may see."),
    N_("Format 2 encrypts the changes to the recipient's key; it is written to a centre once a bundle from it has shown "
       "that its version reads format 2. Otherwise, or with --format 1, the bundle is format 1, readable by anyone "
       "holding the file, and a warning says so. An --all bundle is encrypted to the nodes named with --recipient, or "
       "with a passphrase."), export_entries },
  { "import", N_("FILE.zzb"), N_("Verifies, authorises and applies a bundle, and prints a summary."),
    N_("Exit status:\n"
       "  0  applied, or nothing new\n"
       "  1  refused: the bundle, or some of its changes (listed with the reason)\n"
       "  2  error: the file could not be read, the database failed, or a usage error\n"
       "  3  kept in quarantine (no certificate for its key yet), or changes held back (waiting for\n"
       "     missing changes, or for review)\n"
       "A bundle in a format newer than this version reads is refused (status 1) naming the version it needs."),
    import_entries },
  { "verify", N_("FILE.zzb"), N_("Checks a bundle (archive, signatures, chains) without importing it."), NULL, NULL },
  { "digest", NULL, N_("Prints a hash of the synced data: equal on two nodes exactly when they hold the same."), NULL, NULL },
  { "simulate", NULL, N_("Writes realistic random changes as this node, for tests and benchmarks."), NULL, simulate_entries },
  { "conflicts", NULL,
    N_("Lists fields with competing values: the record, each value, who entered it at which centre and when; "
       "* marks the value shown."), NULL, NULL },
  { "resolve", N_("TABLE ROW FIELD OP"), N_("Settles a conflict on the value of change OP (as conflicts lists it)."),
    NULL, NULL },
  { "refused", NULL, N_("Lists the changes refused (with the reason) and those held back (and why)."), NULL, NULL },
};

gboolean
zz_cli_sync_help (const char *cmd)
{
  for (guint i = 0; i < G_N_ELEMENTS (helps); i++)
    if (g_str_equal (helps[i].name, cmd))
      {
        zz_cli_print_help (cmd, helps[i].params, helps[i].summary, helps[i].description, helps[i].entries);
        return TRUE;
      }
  return FALSE;
}

/* An option's value after the command's GOptionContext parsed it. */
static const char *
opt (int argc, char **argv, const char *name)
{
  static const struct { const char *name; char **value; } values[] = {
    { "--org-unit", &v_org_unit }, { "--name", &v_name }, { "--divisions", &v_divisions }, { "--admin", &v_admin },
    { "--password", &v_password }, { "-o", &v_output }, { "--fingerprint", &v_fingerprint },
    { "--last-seq", &v_last_seq }, { "--to", &v_to }, { "--ops", &v_ops }, { "--seed", &v_seed }, { "--home", &v_home },
    { "--format", &v_format }, { "--passphrase-file", &v_passphrase_file },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (g_str_equal (values[i].name, name))
      return *values[i].value;
  g_assert_not_reached ();
}

static gboolean
flag (int argc, char **argv, const char *name)
{
  if (g_str_equal (name, "--age-identity"))
    return v_age_identity;
  g_assert (g_str_equal (name, "--all"));
  return v_all;
}

/* The first line of @path (a passphrase), without its line end; never printed. */
static char *
read_passphrase (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  char *nl;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  nl = strpbrk (text, "\r\n");
  if (nl)
    *nl = '\0';
  if (!*text || strlen (text) > 1024)
    {
      sodium_memzero (text, len);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("%s holds no passphrase on its first line."), path);
      return NULL;
    }
  {
    char *out = g_strdup (text);
    sodium_memzero (text, len);
    return out;
  }
}

/* The @nth argument that is not an option (the parser left only those, after the command). */
static const char *
positional (int argc, char **argv, guint nth)
{
  return (int) nth + 1 < argc ? argv[nth + 1] : NULL;
}

static int
usage_error (void)
{
  g_printerr ("%s", zz_cli_sync_usage ());
  return 2;
}

/* Reads the administrator's password: twice without echo on a terminal, else the first line of
 * standard input. Never printed. */
static char *
read_password (GError **error)
{
  g_autofree char *first = NULL;
  char buf[512];

  for (int round = 0; round < (isatty (0) ? 2 : 1); round++)
    {
      struct termios old, quiet;
      gboolean tty = isatty (0) && tcgetattr (0, &old) == 0;
      char *line;

      if (tty)
        {
          g_printerr ("%s", round == 0 ? _("Administrator's password: ") : _("The same password again: "));
          quiet = old;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (0, TCSAFLUSH, &quiet);
        }
      line = fgets (buf, sizeof buf, stdin);
      if (tty)
        {
          tcsetattr (0, TCSAFLUSH, &old);
          g_printerr ("\n");
        }
      if (!line || !*g_strchomp (buf))
        {
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                               _("No administrator's password was given: type it when asked, or give --password."));
          return NULL;
        }
      if (round == 0)
        first = g_strdup (buf);
      else if (strcmp (first, buf) != 0)
        {
          sodium_memzero (buf, sizeof buf);
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The two passwords differ; nothing was set up."));
          return NULL;
        }
    }
  sodium_memzero (buf, sizeof buf);
  return g_steal_pointer (&first);
}

static int
cmd_init (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *unit = opt (argc, argv, "--org-unit");
  const char *name = opt (argc, argv, "--name");
  const char *divisions = opt (argc, argv, "--divisions");
  const char *login = opt (argc, argv, "--admin");
  const char *password = opt (argc, argv, "--password");
  g_autofree char *typed = NULL;
  g_autofree char *shipped = NULL;
  gboolean ok;
  g_autofree char *fp = NULL;

  if (!unit)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  /* without --divisions, the divisions shipped with the program */
  if (!divisions)
    {
      shipped = g_build_filename (zz_data_dir (), "divisions", NULL);
      divisions = shipped;
    }
  {
    guint count = 0;
    if (!zz_store_import_divisions (store, divisions, unit, NULL, NULL, NULL, &count, &error))
      return zz_cli_fail (error);
  }
  if (!password)
    {
      typed = read_password (&error);
      if (!typed)
        return zz_cli_fail (error);
      password = typed;
    }
  ok = zz_store_setup_node (store, unit, name ? name : "", login ? login : "admin", _("Administrator"),
                            password, &error);
  if (typed)
    sodium_memzero (typed, strlen (typed));
  if (!ok)
    return zz_cli_fail (error);
  fp = zz_store_get_fingerprint (store);
  g_print (_("Node %s set up for org unit %s (%s).\n"), zz_store_get_node_id (store), unit,
           zz_store_get_centre_name (store));
  g_print (_("Fingerprint: %s\n"), fp);
  g_print (_("Administrator: %s (the password as given; change it at first login)\n"), login ? login : "admin");
  return 0;
}

static int
cmd_keys (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autofree char *pub = NULL;
  g_autofree char *fp = NULL;
  const char *out = opt (argc, argv, "-o");

  if (!store)
    return zz_cli_fail (error);
  if (!zz_store_has_node (store))
    {
      g_printerr ("%s\n", _("Error: this database has not been set up."));
      return 1;
    }
  if (flag (argc, argv, "--age-identity"))
    {
      g_autofree char *identity = NULL;
      gboolean ok;

      if (!out)
        {
          g_printerr ("%s\n", _("Error: --age-identity writes a secret key; give the file with -o FILE."));
          return 2;
        }
      identity = zz_sync_age_identity (store, &error);
      if (!identity)
        return zz_cli_fail (error);
      ok = g_file_set_contents_full (out, identity, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0600, &error);
      sodium_memzero (identity, strlen (identity));
      if (!ok)
        return zz_cli_fail (error);
      g_print (_("Wrote this node's age identity to %s (mode 0600). It opens every bundle encrypted for this node: keep it as safe as the node itself.\n"),
               out);
      return 0;
    }
  pub = zz_sync_public_key_file (store);
  fp = zz_store_get_fingerprint (store);
  if (out && !g_file_set_contents (out, pub, -1, &error))
    return zz_cli_fail (error);
  g_print (_("Node:        %s\nOrg unit:    %s\nName:        %s\nFingerprint: %s\n"), zz_store_get_node_id (store),
           zz_store_get_node_org_unit (store), zz_store_get_centre_name (store), fp);
  if (!out)
    g_print ("%s", pub);
  return 0;
}

static char *
read_text (const char *path, GError **error)
{
  char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (len > 4096)
    {
      g_free (text);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("%s is not a node public key."), path);
      return NULL;
    }
  return text;
}

static int
cmd_trust (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  const char *file = positional (argc, argv, 0);

  if (!store)
    return zz_cli_fail (error);
  if (file)
    {
      g_autofree char *text = read_text (file, &error);
      if (!text || !zz_sync_trust_root (store, text, opt (argc, argv, "--fingerprint"), &error))
        return zz_cli_fail (error);
      g_print ("%s\n", _("Trusted as a root."));
      return 0;
    }
  {
    g_autoptr(GListModel) rows = zz_sync_list_nodes (store);
    g_autoptr(GListModel) q = zz_sync_list_quarantine (store);

    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
        g_print ("%s  %-12s %-9s %s  %s  held=%s pending=%s%s%s\n", zz_row_get (r, "node_id"),
                 zz_row_get (r, "org_unit"), zz_row_get (r, "status"), zz_row_get (r, "fingerprint"),
                 zz_row_get (r, "name"), zz_row_get (r, "held_seq") ? zz_row_get (r, "held_seq") : "0",
                 zz_row_get (r, "pending"), zz_row_get (r, "last_bundle") ? "  last=" : "",
                 zz_row_get (r, "last_bundle") ? zz_row_get (r, "last_bundle") : "");
      }
    for (guint i = 0; i < g_list_model_get_n_items (q); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (q, i);
        g_print (_("quarantined %s from %s: %s\n"), zz_row_get (r, "hash"), zz_row_get (r, "sender"), zz_row_get (r, "reason"));
      }
  }
  return 0;
}

static int
cmd_enrol (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autofree char *text = NULL;
  const char *file = positional (argc, argv, 0);
  gint64 serial = 0;

  if (!file)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  text = read_text (file, &error);
  if (!text || !zz_sync_enrol (store, text, &serial, &error))
    return zz_cli_fail (error);
  g_print (_("Enrolled (certificate %lld). It reaches the node with the next bundle.\n"), (long long) serial);
  return 0;
}

static int
cmd_revoke (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *node = positional (argc, argv, 0);
  const char *last = opt (argc, argv, "--last-seq");

  if (!node || !last)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (!zz_sync_revoke (store, node, g_ascii_strtoll (last, NULL, 10), &error))
    return zz_cli_fail (error);
  g_print ("%s\n", _("Revoked."));
  return 0;
}

static int
cmd_export (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *to = opt (argc, argv, "--to");
  const char *out = opt (argc, argv, "-o");
  const char *format = opt (argc, argv, "--format");
  const char *pass_file = opt (argc, argv, "--passphrase-file");
  gboolean all = flag (argc, argv, "--all");
  g_autofree char *passphrase = NULL;
  g_autofree char *warning = NULL;
  ZzExportOptions options = { 0 };
  guint n = 0;
  int written;

  if (!out || (!to && !all) || (to && all))
    return usage_error ();
  if (format && (!g_str_equal (format, "1") && !g_str_equal (format, "2")))
    {
      g_printerr (_("Error: this version writes bundle formats 1 and 2, not %s.\n"), format);
      return 2;
    }
  if (!all && (v_recipients || pass_file))
    {
      g_printerr ("%s\n", _("Error: --recipient and --passphrase-file are for an --all bundle; a bundle --to a node is encrypted to that node."));
      return 2;
    }
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (pass_file && !(passphrase = read_passphrase (pass_file, &error)))
    return zz_cli_fail (error);
  options.format = format ? atoi (format) : 0;
  options.recipients = (const char *const *) v_recipients;
  options.passphrase = passphrase;
  written = zz_sync_export_format (store, all ? NULL : to, &options, &warning);
  if (!zz_sync_export_file_with (store, all ? NULL : to, out, &options, &n, &error))
    {
      if (passphrase)
        sodium_memzero (passphrase, strlen (passphrase));
      return zz_cli_fail (error);
    }
  if (passphrase)
    sodium_memzero (passphrase, strlen (passphrase));
  if (warning)
    g_printerr (_("Warning: %s\n"), warning);
  if (written == 2)
    g_print (_("Wrote %u changes to %s (format 2, encrypted).\n"), n, out);
  else
    g_print (_("Wrote %u changes to %s (format 1, not encrypted).\n"), n, out);
  return 0;
}

/* import's exit status, as its help and the README document it */
enum {
  IMPORT_OK = 0,          /* applied, or nothing new */
  IMPORT_REFUSED = 1,     /* the bundle, or some of its changes, refused */
  IMPORT_ERROR = 2,       /* unreadable file, database error, usage */
  IMPORT_WAITING = 3,     /* quarantined, or changes held back */
};

static int
cmd_import (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *file = positional (argc, argv, 0);
  ZzImportResult res = { 0 };
  g_autofree char *summary = NULL;
  int rc;

  if (!file)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    {
      zz_cli_fail (error);
      return IMPORT_ERROR;
    }
  if (opt (argc, argv, "--passphrase-file"))
    {
      g_autofree char *passphrase = read_passphrase (opt (argc, argv, "--passphrase-file"), &error);
      gboolean ok;

      if (!passphrase)
        {
          zz_cli_fail (error);
          return IMPORT_ERROR;
        }
      ok = zz_sync_import_file_with_passphrase (store, file, passphrase, &res, &error);
      sodium_memzero (passphrase, strlen (passphrase));
      if (!ok)
        {
          zz_cli_fail (error);
          return IMPORT_ERROR;
        }
    }
  else if (!zz_sync_import_file (store, file, &res, &error))
    {
      zz_cli_fail (error);
      return IMPORT_ERROR;
    }
  summary = zz_import_result_summary (&res);
  g_print ("%s", summary);
  if (res.refused || res.refused_ops > 0 || res.fork)
    rc = IMPORT_REFUSED;
  else if (res.quarantined || res.held > 0)
    rc = IMPORT_WAITING;
  else
    rc = IMPORT_OK;
  zz_import_result_clear (&res);
  return rc;
}

static int
cmd_verify (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *file = positional (argc, argv, 0);
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *info = NULL;

  if (!file)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  map = g_mapped_file_new (file, FALSE, &error);
  if (!map)
    return zz_cli_fail (error);
  bytes = g_mapped_file_get_bytes (map);
  if (!zz_sync_verify_bytes (store, bytes, &info, &error))
    return zz_cli_fail (error);
  g_print ("%s%s\n", info, _("The bundle is intact and its signatures verify."));
  return 0;
}

static int
cmd_digest (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autofree char *digest = NULL;

  if (!store)
    return zz_cli_fail (error);
  digest = zz_sync_digest (store);
  g_print ("%s\n", digest);
  return 0;
}

static int
cmd_simulate (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  const char *ops = opt (argc, argv, "--ops");
  const char *seed = opt (argc, argv, "--seed");
  gint64 n = ops ? g_ascii_strtoll (ops, NULL, 10) : 0;

  if (n <= 0 || n > 10000000)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (!zz_sync_simulate (store, (guint) n, seed ? (guint32) g_ascii_strtoull (seed, NULL, 10) : 1,
                         opt (argc, argv, "--home"), &error))
    return zz_cli_fail (error);
  g_print (_("Wrote %lld changes.\n"), (long long) n);
  return 0;
}

/* "Name (login)" of a user, or the centre it belongs to when its account is not held here. */
static char *
user_label (GHashTable *users, ZzRow *r)
{
  const char *author = zz_row_get (r, "author");
  ZzRow *u = author ? g_hash_table_lookup (users, author) : NULL;
  const char *centre = zz_row_get (r, "origin_name") ? zz_row_get (r, "origin_name") : zz_row_get (r, "origin");

  if (u)
    return g_strdup_printf ("%s (%s)", zz_row_get (u, "name"), zz_row_get (u, "login"));
  if (zz_row_get (r, "author_name"))
    return g_strdup (zz_row_get (r, "author_name"));
  if (!author)
    return g_strdup (_("the system"));
  return g_strdup_printf (_("a user of %s"), centre);
}

static int
cmd_conflicts (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autofree char *last = NULL;

  if (!store)
    return zz_cli_fail (error);
  accounts = zz_store_list_users (store);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      ZzRow *u = g_list_model_get_item (accounts, i);
      if (zz_row_get (u, "id"))
        g_hash_table_insert (users, (gpointer) zz_row_get (u, "id"), u);
      else
        g_object_unref (u);
    }
  rows = zz_sync_list_conflicts (store);
  if (g_list_model_get_n_items (rows) == 0)
    g_print ("%s\n", _("No conflicts."));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (zz_row_get_int (r, "at") / 1000);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");
      g_autofree char *key = g_strdup_printf ("%s %s %s", zz_row_get (r, "tbl"), zz_row_get (r, "row_id"), zz_row_get (r, "field"));
      g_autofree char *who = user_label (users, r);

      if (g_strcmp0 (key, last) != 0)
        {
          /* TRANSLATORS: a conflict's heading: table, record id, its name, and the field */
          g_print (_("%s %s (%s), field %s:\n"), zz_row_get (r, "tbl"), zz_row_get (r, "row_id"),
                   zz_row_get (r, "label") ? zz_row_get (r, "label") : "-", zz_row_get (r, "field"));
          g_free (last);
          last = g_steal_pointer (&key);
        }
      /* TRANSLATORS: one competing value: mark (* shown), value, user, centre, time, change id */
      g_print (_("  %s %s  entered by %s at %s, %s  (change %s)\n"), zz_row_get_int (r, "winner") ? "*" : "-",
               zz_row_get (r, "value") ? zz_row_get (r, "value") : _("(empty)"), who,
               zz_row_get (r, "origin_name") ? zz_row_get (r, "origin_name") : zz_row_get (r, "origin"), when,
               zz_row_get (r, "op"));
    }
  return 0;
}

static int
cmd_resolve (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;

  if (argc < 5)
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (!zz_sync_resolve (store, argv[1], argv[2], argv[3], argv[4], &error))
    return zz_cli_fail (error);
  g_print ("%s\n", _("Settled."));
  return 0;
}

static int
cmd_refused (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GListModel) nodes = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!store)
    return zz_cli_fail (error);
  nodes = zz_sync_list_nodes (store);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(ZzRow) n = g_list_model_get_item (nodes, i);
      if (zz_row_get (n, "node_id") && zz_row_get (n, "name"))
        g_hash_table_insert (names, g_strdup (zz_row_get (n, "node_id")), g_strdup (zz_row_get (n, "name")));
    }
  rows = zz_sync_list_refused (store);
  if (g_list_model_get_n_items (rows) == 0)
    {
      g_print ("%s\n", _("No refused or held-back changes."));
      return 0;
    }
  /* TRANSLATORS: column headings of the refused command */
  g_print ("%-10s %-32s %8s  %s\n", _("State"), _("From node"), _("Change"), _("Reason"));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      const char *origin = zz_row_get (r, "origin");
      const char *name = origin ? g_hash_table_lookup (names, origin) : NULL;
      g_autofree char *from = name ? g_strdup_printf ("%s (%.8s…)", name, origin) : g_strdup (origin);

      g_print ("%-10s %-32s %8s  %s\n",
               g_strcmp0 (zz_row_get (r, "state"), "held") == 0 ? _("held back") : _("refused"),
               from, zz_row_get (r, "seq"), zz_row_get (r, "reason"));
    }
  return 0;
}

int
zz_cli_sync (int argc, char **argv)
{
  const char *cmd = argv[0];
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  /* the options of this command only, in either form (--to NODE, --to=NODE) */
  g_option_context_set_help_enabled (ctx, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (helps); i++)
    if (g_str_equal (helps[i].name, cmd) && helps[i].entries)
      g_option_context_add_main_entries (ctx, helps[i].entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr (_("Error: %s\n"), error->message);
      g_printerr (_("See “zongzhi-cli %s --help”.\n"), cmd);
      return 2;
    }

  if (g_str_equal (cmd, "init"))
    return cmd_init (argc, argv);
  if (g_str_equal (cmd, "keys"))
    return cmd_keys (argc, argv);
  if (g_str_equal (cmd, "trust"))
    return cmd_trust (argc, argv);
  if (g_str_equal (cmd, "enrol"))
    return cmd_enrol (argc, argv);
  if (g_str_equal (cmd, "revoke"))
    return cmd_revoke (argc, argv);
  if (g_str_equal (cmd, "export"))
    return cmd_export (argc, argv);
  if (g_str_equal (cmd, "import"))
    return cmd_import (argc, argv);
  if (g_str_equal (cmd, "verify"))
    return cmd_verify (argc, argv);
  if (g_str_equal (cmd, "digest"))
    return cmd_digest ();
  if (g_str_equal (cmd, "simulate"))
    return cmd_simulate (argc, argv);
  if (g_str_equal (cmd, "conflicts"))
    return cmd_conflicts ();
  if (g_str_equal (cmd, "resolve"))
    return cmd_resolve (argc, argv);
  if (g_str_equal (cmd, "refused"))
    return cmd_refused ();
  return usage_error ();
}

void
zz_cli_sync_demo_options (int argc, char **argv, ZzDemoOptions *options)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--sync"))
      options->sync = TRUE;
}
