/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zongzhi-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "zz-cli-sync.h"
#include "zz-demo-sync.h"
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
           "  trust FILE.pub --fingerprint FP  trust a county or prefecture node as a root\n"
           "  trust                            list known nodes, org units, fingerprints, status\n"
           "  enrol FILE.pub                   certify a node of this centre's area\n"
           "  revoke NODE --last-seq N         revoke a node's key after its op N\n"
           "  export (--to NODE | --all) -o FILE.zzb\n"
           "                                   write a signed change bundle\n"
           "  import FILE.zzb                  verify, authorise and apply a bundle (exit 1 if refused)\n"
           "  verify FILE.zzb                  check a bundle without importing it\n"
           "  digest                           a hash of the synced data (equal on nodes holding the same)\n"
           "  simulate --ops N --seed S [--home CODE]\n"
           "                                   write N random realistic changes as this node\n"
           "  conflicts                        list fields with competing values\n"
           "  resolve TABLE ROW FIELD OP       settle a conflict on the value of op OP\n"
           "  refused                          list refused and held-back changes\n");
}

static const char *
opt (int argc, char **argv, const char *name)
{
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], name))
      return argv[i + 1];
  return NULL;
}

static gboolean
flag (int argc, char **argv, const char *name)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], name))
      return TRUE;
  return FALSE;
}

/* The first argument that is neither an option nor an option's value. */
static const char *
positional (int argc, char **argv, guint nth)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--") || g_str_equal (argv[i], "-o"))
        {
          if (!g_str_equal (argv[i], "--all"))
            i++;
          continue;
        }
      if (nth-- == 0)
        return argv[i];
    }
  return NULL;
}

static int
usage_error (void)
{
  g_printerr ("%s", zz_cli_sync_usage ());
  return 2;
}

static int
cmd_init (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  const char *unit = opt (argc, argv, "--org-unit");
  const char *name = opt (argc, argv, "--name");
  const char *divisions = opt (argc, argv, "--divisions");
  const char *login = opt (argc, argv, "--admin");
  const char *password = opt (argc, argv, "--password");
  g_autofree char *generated = NULL;
  g_autofree char *fp = NULL;

  if (!unit)
    return usage_error ();
  if (!store)
    return zz_cli_fail (error);
  if (divisions)
    {
      guint count = 0;
      if (!zz_store_import_divisions (store, divisions, unit, NULL, NULL, NULL, &count, &error))
        return zz_cli_fail (error);
    }
  if (!password)
    {
      static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
      GString *s = g_string_new (NULL);
      for (int i = 0; i < 6; i++)
        g_string_append_c (s, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
      for (int i = 0; i < 4; i++)
        g_string_append_c (s, '0' + randombytes_uniform (10));
      password = generated = g_string_free (s, FALSE);
    }
  if (!zz_store_setup_node (store, unit, name ? name : "", login ? login : "admin", _("Administrator"),
                            password, &error))
    return zz_cli_fail (error);
  fp = zz_store_get_fingerprint (store);
  g_print (_("Node %s set up for org unit %s (%s).\n"), zz_store_get_node_id (store), unit,
           zz_store_get_centre_name (store));
  g_print (_("Fingerprint: %s\n"), fp);
  if (generated)
    g_print (_("Administrator “%s”, password: %s (change it at first login)\n"), login ? login : "admin", generated);
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
  gboolean all = flag (argc, argv, "--all");
  guint n = 0;

  if (!out || (!to && !all) || (to && all))
    return usage_error ();
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (!zz_sync_export_file (store, all ? NULL : to, out, &n, &error))
    return zz_cli_fail (error);
  g_print (_("Wrote %u changes to %s.\n"), n, out);
  return 0;
}

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
    return zz_cli_fail (error);
  if (!zz_sync_import_file (store, file, &res, &error))
    return zz_cli_fail (error);
  summary = zz_import_result_summary (&res);
  g_print ("%s", summary);
  rc = res.refused || res.refused_ops > 0 || res.fork ? 1 : 0;
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

static int
cmd_conflicts (void)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_cli_open_store (&error);
  g_autoptr(GListModel) rows = NULL;

  if (!store)
    return zz_cli_fail (error);
  rows = zz_sync_list_conflicts (store);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (zz_row_get_int (r, "at") / 1000);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");

      g_print ("%s %s %s %s %s  %s  %s  %s  %s\n", zz_row_get (r, "tbl"), zz_row_get (r, "row_id"),
               zz_row_get (r, "field"), zz_row_get (r, "op"), zz_row_get_int (r, "winner") ? "*" : "-",
               zz_row_get (r, "value") ? zz_row_get (r, "value") : "(empty)",
               zz_row_get (r, "author_name") ? zz_row_get (r, "author_name") : (zz_row_get (r, "author") ? zz_row_get (r, "author") : "-"),
               zz_row_get (r, "origin_name") ? zz_row_get (r, "origin_name") : zz_row_get (r, "origin"), when);
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

  if (!store)
    return zz_cli_fail (error);
  rows = zz_sync_list_refused (store);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      g_print ("%-7s %s %6s  %s\n", zz_row_get (r, "state"), zz_row_get (r, "origin"), zz_row_get (r, "seq"),
               zz_row_get (r, "reason"));
    }
  return 0;
}

int
zz_cli_sync (int argc, char **argv)
{
  const char *cmd = argv[0];

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
zz_cli_sync_demo_options (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--sync"))
      zz_demo_set_sync (TRUE);
}
