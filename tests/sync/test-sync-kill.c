/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zz-test-sync.h"

/* An import killed (SIGKILL) at random points leaves the database as it was, or (killed after
 * its commit) wholly imported; importing again then gives the same data as an uninterrupted run. */

#define COUNTY   "433122"
#define TOWNSHIP "433122102"

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &data, &len, &error));
  g_assert_true (g_file_set_contents_full (to, data, len, G_FILE_SET_CONTENTS_NONE, 0600, &error));
}

static void
restore (const char *pristine, const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  copy_file (pristine, path);
}

static GPid
spawn_import (const char *db, const char *bundle)
{
  const char *argv[] = { g_getenv ("ZZ_CLI"), "--db", db, "import", bundle, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
test_kill (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GRand) r = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle_path = g_build_filename (c->dir, "t.zzb", NULL);
  g_autofree char *pristine = g_build_filename (c->dir, "pristine.db", NULL);
  g_autofree char *before = NULL, *after = NULL;
  gint64 full_us;
  guint killed_before = 0, killed_after = 0;

  if (!g_getenv ("ZZ_CLI"))
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 4000, 9, NULL);
  g_assert_true (zz_sync_export_file (t->store, zz_store_get_node_id (c->store), bundle_path, NULL, &error));
  g_assert_no_error (error);

  /* the county's database, closed: its pristine copy and the digests before and after */
  before = zz_test_node_digest (c);
  g_clear_object (&c->store);
  copy_file (c->path, pristine);
  {
    gint64 start = g_get_monotonic_time ();
    GPid pid = spawn_import (c->path, bundle_path);
    int status = 0;

    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    full_us = g_get_monotonic_time () - start;
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    g_spawn_close_pid (pid);
  }
  zz_test_node_reopen (c);
  after = zz_test_node_digest (c);
  g_assert_cmpstr (after, !=, before);
  g_test_message ("an uninterrupted import takes %.0f ms", full_us / 1000.0);

  for (guint round = 0; round < 8; round++)
    {
      GPid pid;
      int status = 0;
      gint64 delay = g_rand_int_range (r, 0, (gint32) full_us);
      g_autofree char *d = NULL, *again = NULL;
      ZzImportResult res = { 0 };

      g_clear_object (&c->store);
      restore (pristine, c->path);
      pid = spawn_import (c->path, bundle_path);
      g_usleep (delay);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      zz_test_node_reopen (c);
      d = zz_test_node_digest (c);
      if (g_strcmp0 (d, before) == 0)
        killed_before++;
      else
        {
          g_assert_cmpstr (d, ==, after);
          killed_after++;
        }
      {
        g_autoptr(GMappedFile) map = g_mapped_file_new (bundle_path, FALSE, NULL);
        g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (map);
        zz_test_node_import (c, bytes, &res);
        zz_import_result_clear (&res);
      }
      again = zz_test_node_digest (c);
      g_assert_cmpstr (again, ==, after);
    }
  g_test_message ("killed before the commit %u times, after it %u times", killed_before, killed_after);
  g_assert_cmpuint (killed_before, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/kill/import", test_kill);
  return g_test_run ();
}
