/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "zz-test-store.h"

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

/* Runs zongzhi-cli (from $ZZ_CLI) on @db with the NULL-terminated arguments. */
static Run
cli (const char *db, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run r = { 0 };
  va_list ap;
  const char *arg;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("ZZ_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static ZzTestStore *
open_test_store (const char *dir, const char *path)
{
  ZzTestStore *ts = g_new0 (ZzTestStore, 1);
  g_autoptr(GError) error = NULL;

  ts->dir = g_strdup (dir);
  ts->path = g_strdup (path);
  ts->store = zz_store_open (path, &error);
  g_assert_no_error (error);
  return ts;
}

static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(ZzTestStore) ts = NULL;
  g_autofree char *before = NULL;
  Run r;

  if (!g_getenv ("ZZ_CLI"))
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  dir = g_dir_make_tmp ("zz-cli-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "demo", "zongzhi.db", NULL);

  /* demo creates the database (and its folder) and prints the accounts. */
  r = cli (db, "demo", "--day", "2026-03-16", NULL);
  if (r.status != 0)
    g_error ("demo failed (%d): %s", r.status, r.err);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (r.out, "clerk"));
  g_assert_nonnull (strstr (r.out, "Clerk2024"));
  run_clear (&r);

  /* The log it wrote verifies. */
  r = cli (db, "verify-log", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "intact"));
  run_clear (&r);

  /* The case categories: the built-in list by key and name. */
  r = cli (db, "--as", "supervisor", "cases", "categories", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "land_forest\t"));
  g_assert_null (strstr (r.out, "(retired)"));
  run_clear (&r);

  /* The demo day has tickets; one prints as a PDF receipt. */
  r = cli (db, "tickets", "2026-03-16", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (r.out, "\n", -1);
    g_auto(GStrv) words = NULL;
    g_assert_cmpuint (g_strv_length (lines), >, 20);
    words = g_strsplit_set (lines[0], " ", -1);
    ticket = g_strdup (words[g_strv_length (words) - 1]);
  }
  run_clear (&r);
  pdf = g_build_filename (dir, "receipt.pdf", NULL);
  r = cli (db, "receipt", ticket, "-o", pdf, NULL);
  if (r.status != 0)
    g_error ("receipt for %s failed: %s", ticket, r.err);
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "%PDF"));
  }
  run_clear (&r);
  /* What the visitor reads on it: the centre, the ticket number, the window. */
  {
    g_autofree char *text = NULL;
    g_autofree char *label = NULL;
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    int status = -1;

    if (g_find_program_in_path ("pdftotext")
        && g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, &text, NULL, &status, NULL))
      {
        r = cli (db, "tickets", "2026-03-16", NULL);
        label = g_strndup (r.out, 6);   /* "04-009" leads the first line */
        run_clear (&r);
        g_assert_cmpint (status, ==, 0);
        g_assert_nonnull (strstr (text, "泸溪县综治中心"));
        g_assert_nonnull (strstr (text, label));
        g_assert_nonnull (strstr (text, "Window"));
      }
  }
  g_unlink (pdf);

  /* Full ID numbers seen by the mediator are in the access log, which the supervisor reads and
   * the clerk may not. */
  r = cli (db, "--as", "mediator", "tickets", "2026-03-16", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli (db, "--as", "supervisor", "access-log", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "mediator"));
  g_assert_nonnull (strstr (r.out, "person.id_number"));
  run_clear (&r);
  r = cli (db, "--as", "clerk", "access-log", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  run_clear (&r);

  r = cli (db, "users", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (ZzRole role = ZZ_ROLE_ADMIN; role < ZZ_N_ROLES; role++)
    g_assert_nonnull (strstr (r.out, zz_test_login (role)));
  run_clear (&r);

  /* demo refuses an existing file and leaves it alone. */
  digest = file_digest (db);
  r = cli (db, "demo", NULL);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.err, "already exists"));
  run_clear (&r);
  {
    g_autofree char *after = file_digest (db);
    g_assert_cmpstr (after, ==, digest);
  }

  /* A malformed division folder: non-zero exit, file and line named, nothing imported. */
  {
    g_autofree char *db_dir = g_path_get_dirname (db);
    ts = open_test_store (db_dir, db);
  }
  before = zz_test_store_snapshot (ts);
  bad = g_build_filename (dir, "bad", NULL);
  g_assert_cmpint (g_mkdir (bad, 0700), ==, 0);
  {
    static const char *files[][2] = {
      { "provinces.csv", "code,name\n43,湖南省\n" },
      { "cities.csv", "code,name,provinceCode\n4331,湘西土家族苗族自治州,43\n" },
      { "areas.csv", "code,name,cityCode,provinceCode\n433122,改名县,4331,43\n" },
      { "streets.csv", "code,name,areaCode,provinceCode,cityCode\n433122100,白沙镇,433122,43,4331\n" },
      { "villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                        "433122100001,白沙社区居委会,433122100,43,4331,433122\n"
                        "433122100002,岩门村委会,433122100,43,4331\n" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *p = g_build_filename (bad, files[i][0], NULL);
        g_assert_true (g_file_set_contents (p, files[i][1], -1, NULL));
      }
    r = cli (db, "divisions", "import", bad, NULL);
    g_assert_cmpint (r.status, !=, 0);
    g_assert_nonnull (strstr (r.err, "villages.csv, line 3"));
    run_clear (&r);
    {
      g_autofree char *after = zz_test_store_snapshot (ts);
      g_assert_cmpstr (after, ==, before);
    }
    /* A folder without the files. */
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *p = g_build_filename (bad, files[i][0], NULL);
        g_unlink (p);
      }
    r = cli (db, "divisions", "import", bad, NULL);
    g_assert_cmpint (r.status, !=, 0);
    g_assert_nonnull (strstr (r.err, "provinces.csv"));
    run_clear (&r);
    g_rmdir (bad);
  }

  /* A tampered op makes verify-log fail. */
  zz_test_store_exec (ts, "UPDATE op SET body = CAST(replace(CAST(body AS TEXT), '\"v\":1', '\"v\":7') AS BLOB)"
                          " WHERE seq = 100");
  r = cli (db, "verify-log", NULL);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.err, "Op 100 has been altered"));
  run_clear (&r);

  /* Unknown command: usage, exit 2. */
  r = cli (db, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "Usage"));
  run_clear (&r);

  g_clear_pointer (&ts, zz_test_store_free);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/commands", test_cli);
  return g_test_run ();
}
