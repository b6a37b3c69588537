/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-store.h"

/* The headless tool end to end, and a bundle opened with nothing but tar, minisign and zstd. */

static char *dir;

static int
run (char **out, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *discard = NULL;
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, (char *) first);
  va_start (ap, first);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out ? out : &discard, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (err && *err)
    g_test_message ("%s: %s", first, err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

#define CLI(out, ...) run (out, g_getenv ("ZZ_CLI"), __VA_ARGS__, NULL)

static char *
field (const char *text, const char *label)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], label))
      return g_strstrip (g_strdup (lines[i] + strlen (label)));
  return NULL;
}

static void
test_cli (void)
{
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autofree char *out = NULL, *fp = NULL, *cid = NULL, *tid = NULL, *dc = NULL, *dt = NULL;
  g_autofree char *manifest = NULL;

  if (!g_getenv ("ZZ_CLI"))
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  dir = g_dir_make_tmp ("zz-sync-cli-XXXXXX", NULL);

  g_assert_cmpint (CLI (NULL, "--db", "c.db", "init", "--org-unit", "433122", "--name", "泸溪县综治中心",
                        "--divisions", divisions, "--password", "Admin2024"), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "init", "--org-unit", "433122102", "--name", "达岚镇综治中心",
                        "--divisions", divisions, "--password", "Town2024x"), ==, 0);
  /* an unknown org unit is refused with a clear message */
  g_assert_cmpint (CLI (NULL, "--db", "x.db", "init", "--org-unit", "999999"), ==, 1);

  g_assert_cmpint (CLI (&out, "--db", "c.db", "keys", "-o", "c.pub"), ==, 0);
  fp = field (out, "Fingerprint:");
  cid = field (out, "Node:");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "--db", "t.db", "keys", "-o", "t.pub"), ==, 0);
  tid = field (out, "Node:");
  g_clear_pointer (&out, g_free);
  g_assert_nonnull (fp);

  /* a wrong fingerprint is refused */
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "trust", "c.pub", "--fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000"), ==, 1);
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "trust", "c.pub", "--fingerprint", fp), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "trust", "c.pub", "--fingerprint", fp), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "enrol", "t.pub"), ==, 0);
  /* a township may not enrol */
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "enrol", "c.pub"), ==, 1);

  /* the county has heard nothing from the township: format 1, and the warning says so */
  {
    g_autofree char *shell = g_strdup_printf ("'%s' --db c.db export --to %s -o c1.zzb 2>&1", g_getenv ("ZZ_CLI"), tid);
    g_assert_cmpint (run (&out, "/bin/sh", "-c", shell, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Warning: No bundle has come from this centre yet"));
    g_assert_nonnull (strstr (out, "format 1, not encrypted"));
    g_clear_pointer (&out, g_free);
  }
  g_assert_cmpint (CLI (&out, "--db", "t.db", "import", "c1.zzb"), ==, 0);
  g_assert_nonnull (strstr (out, "Applied:"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "simulate", "--ops", "50", "--seed", "3"), ==, 0);
  /* a format this version does not write: a usage error */
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "export", "--to", cid, "--format", "3", "-o", "t3.zzb"), ==, 2);
  {
    g_autofree char *t3 = g_build_filename (dir, "t3.zzb", NULL);
    g_assert_false (g_file_test (t3, G_FILE_TEST_EXISTS));
  }
  /* the county's bundle said it reads format 2: the township's is encrypted for it */
  g_assert_cmpint (CLI (&out, "--db", "t.db", "export", "--to", cid, "-o", "t1.zzb"), ==, 0);
  g_assert_nonnull (strstr (out, "format 2, encrypted"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "--db", "c.db", "verify", "t1.zzb"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "--db", "c.db", "import", "t1.zzb"), ==, 0);
  g_assert_nonnull (strstr (out, "Applied: 50"));
  g_clear_pointer (&out, g_free);
  /* again: nothing new, still success */
  g_assert_cmpint (CLI (&out, "--db", "c.db", "import", "t1.zzb"), ==, 0);
  g_assert_nonnull (strstr (out, "Applied: 0\n"));
  g_assert_nonnull (strstr (out, "Already held: 51"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "export", "--to", tid, "-o", "c2.zzb"), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "import", "c2.zzb"), ==, 0);
  g_assert_cmpint (CLI (&dc, "--db", "c.db", "digest"), ==, 0);
  g_assert_cmpint (CLI (&dt, "--db", "t.db", "digest"), ==, 0);
  g_assert_cmpstr (dc, ==, dt);
  g_assert_cmpint (CLI (&out, "--db", "c.db", "trust"), ==, 0);
  g_assert_nonnull (strstr (out, "enrolled"));
  g_clear_pointer (&out, g_free);

  /* only standard tools: tar lists and extracts it, minisign verifies it, zstd decompresses it */
  g_assert_cmpint (g_mkdir ("x", 0700) == 0 || TRUE, ==, TRUE);
  {
    g_autofree char *x = g_build_filename (dir, "x", NULL);
    g_autofree char *lines = NULL;
    g_autofree char *mpath = g_build_filename (x, "manifest.json", NULL);
    g_autofree char *pubkey_line = NULL;
    g_autofree char *pub = NULL;
    g_auto(GStrv) publines = NULL;
    guint n = 0;

    g_mkdir (x, 0700);
    g_assert_cmpint (run (NULL, "tar", "-xf", "t1.zzb", "-C", "x", NULL), ==, 0);
    g_assert_cmpint (run (&out, "minisign", "-Vm", "x/manifest.json", "-p", "t.pub", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "zongzhi bundle sender="));
    g_clear_pointer (&out, g_free);
    {
      g_autofree char *pub_path = g_build_filename (dir, "t.pub", NULL);
      g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
    }
    publines = g_strsplit (pub, "\n", 3);
    g_assert_cmpint (run (NULL, "minisign", "-Vm", "x/manifest.json", "-P", publines[1], NULL), ==, 0);
    /* the county's key is not the township's */
    g_assert_cmpint (run (NULL, "minisign", "-Vm", "x/manifest.json", "-p", "c.pub", NULL), !=, 0);
    /* the ops: with the county's age identity (written mode 0600), age and zstd read them */
    {
      g_autofree char *plain = g_build_filename (x, "ops.jsonl.zst", NULL);
      g_assert_false (g_file_test (plain, G_FILE_TEST_EXISTS));
    }
    g_assert_cmpint (CLI (NULL, "--db", "c.db", "keys", "--age-identity"), ==, 2);
    g_assert_cmpint (CLI (&out, "--db", "c.db", "keys", "--age-identity", "-o", "c.age"), ==, 0);
    g_clear_pointer (&out, g_free);
    {
      g_autofree char *id_path = g_build_filename (dir, "c.age", NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (id_path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
    if (g_find_program_in_path ("age"))
      {
        g_assert_cmpint (run (&lines, "/bin/sh", "-c", "age -d -i c.age x/ops.jsonl.zst.age | zstd -dc", NULL), ==, 0);
        /* the township's identity does not open the county's bundle */
        g_assert_cmpint (CLI (NULL, "--db", "t.db", "keys", "--age-identity", "-o", "t.age"), ==, 0);
        g_assert_cmpint (run (NULL, "age", "-d", "-i", "t.age", "-o", "/dev/null", "x/ops.jsonl.zst.age", NULL), !=, 0);
      }
    else
      {
        g_test_message ("age is not installed: the ops are read with format 1");
        g_assert_cmpint (CLI (NULL, "--db", "t.db", "export", "--to", cid, "--format", "1", "-o", "t1p.zzb"), ==, 0);
        g_assert_cmpint (run (NULL, "tar", "-xf", "t1p.zzb", "-C", "x", NULL), ==, 0);
        g_assert_cmpint (run (&lines, "zstd", "-dcq", "x/ops.jsonl.zst", NULL), ==, 0);
      }
    for (const char *p = lines; *p; p++)
      n += *p == '\n';
    g_assert_cmpuint (n, ==, 51);   /* the 50 changes and the township's own account, as a placeholder */
    /* an altered manifest no longer verifies */
    g_assert_true (g_file_get_contents (mpath, &manifest, NULL, NULL));
    manifest[20] ^= 1;
    g_assert_true (g_file_set_contents (mpath, manifest, -1, NULL));
    g_assert_cmpint (run (NULL, "minisign", "-Vm", "x/manifest.json", "-p", "t.pub", NULL), !=, 0);
  }

  /* a refused bundle exits 1 with the reason on stdout */
  {
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autofree char *p = g_build_filename (dir, "bad.zzb", NULL);
    g_autofree char *good = g_build_filename (dir, "t1.zzb", NULL);

    g_assert_true (g_file_get_contents (good, &data, &len, NULL));
    data[len / 2] ^= 0x10;
    g_assert_true (g_file_set_contents (p, data, len, NULL));
    g_assert_cmpint (CLI (&out, "--db", "c.db", "import", "bad.zzb"), ==, 1);
    g_assert_nonnull (strstr (out, "refused"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (CLI (NULL, "--db", "c.db", "verify", "bad.zzb"), ==, 1);
  }
  g_assert_cmpint (CLI (&out, "--db", "c.db", "digest"), ==, 0);
  g_assert_cmpstr (out, ==, dc);
}

/* As a newcomer meets the tool: each command's --help, import's exit status, what refused and
 * conflicts print, and init without its password on screen. */
static void
test_newcomer (void)
{
  g_autofree char *out = NULL, *cid = NULL, *tid = NULL, *shell = NULL;
  const char *cli = g_getenv ("ZZ_CLI");

  if (!cli)
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  dir = g_dir_make_tmp ("zz-sync-cli-XXXXXX", NULL);

  /* COMMAND --help: that command's help on stdout, exit 0 */
  g_assert_cmpint (CLI (&out, "init", "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "--divisions"));
  g_assert_nonnull (strstr (out, "--password"));
  g_assert_null (strstr (out, "simulate"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "import", "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "Exit status"));
  g_assert_nonnull (strstr (out, "  3  "));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "export", "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "--to"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "cases", "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "cases search"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "COMMAND --help"));
  g_clear_pointer (&out, g_free);

  /* init: the shipped divisions without --divisions; the password typed (here: standard input)
   * and never printed */
  shell = g_strdup_printf ("printf 'Secret2024x\\n' | '%s' --db c.db init --org-unit 433122 --name 泸溪县综治中心 2>&1", cli);
  g_assert_cmpint (run (&out, "/bin/sh", "-c", shell, NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_null (strstr (out, "Secret2024x"));
  g_assert_nonnull (strstr (out, "Fingerprint:"));
  g_clear_pointer (&out, g_free);
  /* with no password at all: a clear error, nothing set up */
  g_assert_cmpint (CLI (&out, "--db", "n.db", "init", "--org-unit", "433122102"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "init", "--org-unit", "433122102", "--password", "Town2024x"), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "u.db", "init", "--org-unit", "433122104", "--password", "Town2024y"), ==, 0);

  g_assert_cmpint (CLI (&out, "--db", "c.db", "keys", "-o", "c.pub"), ==, 0);
  {
    g_autofree char *fp = field (out, "Fingerprint:");
    cid = field (out, "Node:");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (CLI (NULL, "--db", "c.db", "trust", "c.pub", "--fingerprint", fp), ==, 0);
    g_assert_cmpint (CLI (NULL, "--db", "t.db", "trust", "c.pub", "--fingerprint", fp), ==, 0);
  }
  g_assert_cmpint (CLI (&out, "--db", "t.db", "keys", "-o", "t.pub"), ==, 0);
  tid = field (out, "Node:");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, "--db", "u.db", "keys", "-o", "u.pub"), ==, 0);

  /* import exit status: 3 kept in quarantine (the township is not enrolled yet) */
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "simulate", "--ops", "20", "--seed", "5"), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "t.db", "export", "--to", cid, "-o", "t0.zzb"), ==, 0);
  g_assert_cmpint (CLI (&out, "--db", "c.db", "import", "t0.zzb"), ==, 3);
  g_assert_nonnull (strstr (out, "quarantine"));
  g_clear_pointer (&out, g_free);
  /* 2 an error: no such file */
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "import", "missing.zzb"), ==, 2);
  /* 1 refused: a damaged bundle */
  {
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autofree char *good = g_build_filename (dir, "t0.zzb", NULL);
    g_autofree char *bad = g_build_filename (dir, "bad.zzb", NULL);

    g_assert_true (g_file_get_contents (good, &data, &len, NULL));
    data[len / 2] ^= 0x10;
    g_assert_true (g_file_set_contents (bad, data, len, NULL));
    g_assert_cmpint (CLI (NULL, "--db", "c.db", "import", "bad.zzb"), ==, 1);
  }
  /* 0 applied, then 0 nothing new */
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "enrol", "t.pub"), ==, 0);
  {
    /* options in either form, as the help shows them */
    g_autofree char *to = g_strdup_printf ("--to=%s", cid);
    g_assert_cmpint (CLI (NULL, "--db", "t.db", "export", to, "--output=t1.zzb"), ==, 0);
  }
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "import", "t1.zzb"), ==, 0);
  g_assert_cmpint (CLI (NULL, "--db", "c.db", "import", "t1.zzb"), ==, 0);
  /* a bundle for another centre: refused (1), saying whom it is for */
  g_assert_cmpint (CLI (&out, "--db", "u.db", "import", "t1.zzb"), ==, 1);
  g_assert_nonnull (strstr (out, cid));
  g_clear_pointer (&out, g_free);
  /* an option the command does not have is a usage error, not ignored */
  g_assert_cmpint (CLI (&out, "--db", "c.db", "digest", "--all"), ==, 2);
  g_clear_pointer (&out, g_free);

  /* refused: labelled columns, each line says refused or held back */
  g_assert_cmpint (CLI (&out, "--db", "c.db", "refused"), ==, 0);
  g_assert_nonnull (strstr (out, "No refused or held-back changes."));
  g_clear_pointer (&out, g_free);
  /* the demo county holds a refused change and a conflict of a township */
  g_assert_cmpint (CLI (NULL, "--db", "demo.db", "demo", "--sync", "--cases", "10", "--stats-cases", "0"), ==, 0);
  g_assert_cmpint (CLI (&out, "--db", "demo.db", "refused"), ==, 0);
  g_test_message ("%s", out);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    g_assert_true (g_str_has_prefix (lines[0], "State"));
    g_assert_nonnull (strstr (lines[0], "From node"));
    g_assert_nonnull (strstr (lines[0], "Reason"));
    g_assert_nonnull (lines[1]);
    g_assert_true (g_str_has_prefix (lines[1], "refused "));
    /* the node by its name */
    g_assert_nonnull (strstr (lines[1], "达岚镇综治中心"));
  }
  g_clear_pointer (&out, g_free);
  /* conflicts: users by name and login, or as a user of their centre, never by their id */
  g_assert_cmpint (CLI (&out, "--db", "demo.db", "conflicts"), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "entered by 张建国 (admin) at 泸溪县综治中心"));
  g_assert_nonnull (strstr (out, "entered by a user of 达岚镇综治中心 at 达岚镇综治中心"));
  g_clear_pointer (&out, g_free);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/cli", test_cli);
  g_test_add_func ("/sync/cli/newcomer", test_newcomer);
  return g_test_run ();
}
