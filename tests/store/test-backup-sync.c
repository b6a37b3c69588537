/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-backup.h"
#include "zz-test-sync.h"

#define COUNTY "433122"
#define TOWN_A "433122102"
#define TOWN_B "433122104"

static void
world_new (ZzTestNode **c, ZzTestNode **a, ZzTestNode **b)
{
  *c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  *a = zz_test_node_new (TOWN_A, "达岚镇综治中心");
  *b = zz_test_node_new (TOWN_B, "兴隆场镇综治中心");
  zz_test_node_trust (*c, *c);
  zz_test_node_trust (*a, *c);
  zz_test_node_trust (*b, *c);
  zz_test_node_enrol (*c, *a);
  zz_test_node_enrol (*c, *b);
  zz_test_node_send (*c, *a);
  zz_test_node_send (*c, *b);
  zz_test_node_send (*a, *c);
  zz_test_node_send (*b, *c);
}

/* The laptop dies: its database and key are gone; the backup is restored in their place. */
static void
restore_in_place (ZzTestNode *n, const char *backup)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strconcat (n->path, ".key", NULL);
  g_autofree char *wal = g_strconcat (n->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (n->path, "-shm", NULL);

  g_clear_object (&n->store);
  g_unlink (n->path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (key);
  g_assert_true (zz_backup_restore (backup, n->path, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  zz_test_node_reopen (n);
}

static gint64
own_ops (ZzTestNode *holder, ZzTestNode *origin)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM op WHERE origin = '%s' AND body IS NOT NULL",
                                          zz_store_get_node_id (origin->store));
  return zz_test_node_int (holder, sql);
}

/* The township's changes made after its backup reach the county; the laptop is restored from the
 * backup; the county's next bundle brings them back: nothing lost, no fork, no alarm. Writes in
 * between are refused with a clear message and change nothing, and after the import the
 * township works on and the county takes its new changes without an alarm. */
static void
test_restore_catches_up (void)
{
  ZzTestNode *c, *a, *b;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *before = NULL, *restored = NULL, *refused = NULL, *after = NULL;
  g_autofree char *in_county = NULL, *in_town = NULL;
  gint64 ops_before;

  world_new (&c, &a, &b);
  backup = g_build_filename (a->dir, "backups", "a" ZZ_BACKUP_SUFFIX, NULL);
  zz_test_node_simulate (a, 15, 1, NULL);
  zz_test_node_send (a, c);
  /* taken while the township works */
  g_assert_true (zz_backup_write (a->path, backup, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  zz_test_node_simulate (a, 20, 2, NULL);
  zz_test_node_send (a, c);
  zz_test_node_simulate (c, 5, 3, TOWN_A);
  before = zz_test_node_data_digest (a);
  ops_before = own_ops (a, a);

  restore_in_place (a, backup);
  restored = zz_test_node_data_digest (a);
  g_assert_cmpstr (restored, !=, before);
  g_assert_cmpint (own_ops (a, a), <, ops_before);
  g_assert_true (zz_store_get_restore_pending (a->store));

  /* before the county's bundle: a change is refused, saying why, and nothing changes */
  g_assert_false (zz_sync_simulate (a->store, 1, 4, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "restored from a backup"));
  g_clear_error (&error);
  refused = zz_test_node_data_digest (a);
  g_assert_cmpstr (refused, ==, restored);
  /* a bundle from a sibling township does not end the wait: it does not hold what was lost */
  zz_test_node_send (b, a);
  g_assert_true (zz_store_get_restore_pending (a->store));
  /* the township still sends what it holds: nothing new, no harm */
  zz_test_node_send (a, c);

  /* the county's bundle */
  zz_test_node_send (c, a);
  g_assert_false (zz_store_get_restore_pending (a->store));
  g_assert_cmpint (own_ops (a, a), ==, ops_before);
  g_assert_true (zz_store_verify_chain (a->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_node_int (a, "SELECT count(*) FROM sync_held"), ==, 0);
  g_assert_cmpint (zz_test_node_int (a, "SELECT count(*) FROM sync_frozen"), ==, 0);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_frozen"), ==, 0);

  /* it works on; the county takes the new changes, no fork */
  zz_test_node_simulate (a, 5, 5, NULL);
  zz_test_node_send (a, c);
  zz_test_node_send (c, a);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_frozen"), ==, 0);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_held"), ==, 0);
  g_assert_cmpint (zz_test_node_int (a, "SELECT count(*) FROM sync_frozen"), ==, 0);
  g_assert_cmpint (own_ops (c, a), ==, own_ops (a, a));
  g_assert_cmpint (own_ops (a, a), ==, ops_before + 5);
  /* the township and the county hold the same of the township's data */
  {
    g_autofree char *sql = NULL;
    sql = g_strdup_printf ("SELECT group_concat (hex (hash), ',') FROM (SELECT hash FROM op WHERE origin = '%s'"
                           " ORDER BY seq)", zz_store_get_node_id (a->store));
    in_county = zz_test_node_text (c, sql);
    in_town = zz_test_node_text (a, sql);
    g_assert_cmpstr (in_county, ==, in_town);
  }
  after = zz_test_node_data_digest (a);
  g_assert_cmpstr (after, !=, before);
  zz_test_node_free (a);
  zz_test_node_free (b);
  zz_test_node_free (c);
}

/* The window imports in a worker thread on a connection of its own: the window's store sees the
 * wait end too, and takes changes again without a restart. */
static void
test_import_elsewhere_ends_wait (void)
{
  ZzTestNode *c, *a, *b;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(ZzStore) worker = NULL;
  g_autoptr(GBytes) bundle = NULL;
  ZzImportResult res = { 0 };

  world_new (&c, &a, &b);
  backup = g_build_filename (a->dir, "backups", "a" ZZ_BACKUP_SUFFIX, NULL);
  zz_test_node_simulate (a, 5, 1, NULL);
  g_assert_true (zz_backup_write (a->path, backup, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  zz_test_node_simulate (a, 5, 2, NULL);
  zz_test_node_send (a, c);
  restore_in_place (a, backup);
  g_assert_true (zz_store_get_restore_pending (a->store));

  bundle = zz_test_node_export (c, a);
  worker = zz_store_open (a->path, &error);
  g_assert_no_error (error);
  g_assert_true (zz_store_act_as (worker, "admin", &error));
  g_assert_true (zz_sync_import_bytes (worker, bundle, &res, &error));
  g_assert_no_error (error);
  g_assert_false (res.refused);
  zz_import_result_clear (&res);
  g_assert_false (zz_store_get_restore_pending (a->store));
  zz_test_node_simulate (a, 3, 3, NULL);
  zz_test_node_send (a, c);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_frozen"), ==, 0);
  zz_test_node_free (a);
  zz_test_node_free (b);
  zz_test_node_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  zz_test_sync_fast_disk ();
  g_test_add_func ("/backup-sync/restore-catches-up", test_restore_catches_up);
  g_test_add_func ("/backup-sync/import-elsewhere-ends-wait", test_import_elsewhere_ends_wait);
  return g_test_run ();
}
