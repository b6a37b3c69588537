/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "zz-backup.h"
#include "zz-store-private.h"
#include "zz-test-store.h"

static void
add_visits (ZzTestStore *ts, guint n)
{
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("来访人%u", i);
      g_autofree char *phone = g_strdup_printf ("138074%05u", i);
      ZzVisitInput in = zz_test_visit (ts, i % 3, name, phone, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
}

static char *
snapshot_of (const char *path)
{
  ZzTestStore other = { .path = (char *) path };

  return zz_test_store_snapshot (&other);
}

static char *
read_all (const char *path)
{
  char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return contents;
}

/* A backup of a database in use restores to the same data and the same key, and the restored
 * database opens as the same node. */
static void
test_round_trip (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (ts->dir, "out", "b" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *restored = g_build_filename (ts->dir, "restored", "zongzhi.db", NULL);
  g_autofree char *restored_key = g_strconcat (restored, ".key", NULL);
  g_autofree char *key = zz_store_get_key_path (ts->store);
  g_autofree char *a = NULL, *b = NULL, *ka = NULL, *kb = NULL;
  g_autoptr(ZzStore) store = NULL;
  gboolean encrypted = TRUE;
  GStatBuf st;

  add_visits (ts, 30);
  /* written while the store is open, with changes in its write-ahead log */
  g_assert_true (zz_backup_write (ts->path, file, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (zz_backup_is_encrypted (file, &encrypted, &error));
  g_assert_false (encrypted);

  g_assert_true (zz_backup_restore (file, restored, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  a = zz_test_store_snapshot (ts);
  b = snapshot_of (restored);
  g_assert_cmpstr (a, ==, b);
  ka = read_all (key);
  kb = read_all (restored_key);
  g_assert_cmpstr (ka, ==, kb);
  g_assert_cmpint (g_stat (restored, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (restored_key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  store = zz_store_open (restored, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zz_store_get_node_id (store), ==, zz_store_get_node_id (ts->store));
  g_assert_true (zz_store_verify_chain (store, NULL, &error));
  g_assert_no_error (error);
  /* this test node exchanges no bundles: it works on at once */
  g_assert_false (zz_store_get_restore_pending (store));
  /* no temporary copies left beside either database */
  {
    g_autoptr(GDir) d = g_dir_open (ts->dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)))
      g_assert_false (g_str_has_prefix (name, ".backup-copy") || g_str_has_prefix (name, ".restore"));
  }
}

static void
assert_nothing_at (const char *db)
{
  g_autofree char *key = g_strconcat (db, ".key", NULL);
  g_autofree char *dir = g_path_get_dirname (db);

  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Every refused restore says why and changes nothing. */
static void
test_restore_refused (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (ts->dir, "b" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *bad = g_build_filename (ts->dir, "bad" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *target = g_build_filename (ts->dir, "new", "zongzhi.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  add_visits (ts, 5);
  g_assert_true (zz_backup_write (ts->path, file, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* over an existing database */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_backup_restore (file, ts->path, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, ts->path));
  g_clear_error (&error);
  /* the first-run assistant may replace only a database never set up */
  g_assert_false (zz_backup_restore (file, ts->path, NULL, ZZ_RESTORE_REPLACE_EMPTY, NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);

  /* a file that is no backup */
  g_assert_true (g_file_set_contents (bad, "name,phone\n张三,13800000000\n", -1, NULL));
  g_assert_false (zz_backup_restore (bad, target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  assert_nothing_at (target);
  g_clear_error (&error);

  /* a missing file */
  g_assert_false (zz_backup_restore ("/nonexistent/b.zzbackup", target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL,
                                     NULL, &error));
  g_assert_nonnull (error);
  assert_nothing_at (target);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  /* cut short */
  g_assert_true (g_file_set_contents (bad, contents, len / 2, NULL));
  g_assert_false (zz_backup_restore (bad, target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  assert_nothing_at (target);
  g_clear_error (&error);
  /* a byte changed in the archive's header */
  contents[10] ^= 0x20;
  g_assert_true (g_file_set_contents (bad, contents, len, NULL));
  g_assert_false (zz_backup_restore (bad, target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  assert_nothing_at (target);
  g_clear_error (&error);
  contents[10] ^= 0x20;
  /* the database's pages damaged (its header page and the one after, inside the archive) */
  memset (contents + 3 * 512 + 100, 0x5a, 5000);
  g_assert_true (g_file_set_contents (bad, contents, len, NULL));
  g_assert_false (zz_backup_restore (bad, target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("damaged: %s", error->message);
  assert_nothing_at (target);
  g_clear_error (&error);
}

/* A damaged database gives no backup: the copy is checked before it counts. */
static void
test_damaged_source (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (ts->dir, "damaged.db", NULL);
  g_autofree char *file = g_build_filename (ts->dir, "out", "b" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  add_visits (ts, 50);
  g_assert_true (zz_backup_write (ts->path, file, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_unlink (file);
  g_clear_object (&ts->store);  /* checkpointed into the file */
  g_assert_true (g_file_get_contents (ts->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 40 * 4096);
  /* the b-tree pages of the middle of the file overwritten */
  for (gsize off = 8 * 4096; off < len - 4096; off += 4096)
    memset (contents + off + 8, 0xff, 64);
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));

  g_assert_false (zz_backup_write (copy, file, NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  zz_test_store_reopen (ts, ZZ_TEST_T0);
}

static void
touch (const char *folder, const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
}

/* Seven daily, four weekly, twelve monthly; nothing else in the folder is touched. */
static void
test_rotation (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zz-rotate-XXXXXX", NULL);
  g_autoptr(GDateTime) start = g_date_time_new_local (2025, 1, 1, 18, 0, 0);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  /* two backups a day for 500 days */
  for (int day = 0; day < 500; day++)
    {
      g_autoptr(GDateTime) t = g_date_time_add_days (start, day);
      g_autoptr(GDateTime) t2 = g_date_time_add_hours (t, 2);
      g_autofree char *a = zz_backup_file_name (dir, g_date_time_to_unix (t) * 1000);
      g_autofree char *b = zz_backup_file_name (dir, g_date_time_to_unix (t2) * 1000);
      g_autofree char *an = g_path_get_basename (a);
      g_autofree char *bn = g_path_get_basename (b);
      touch (dir, an);
      touch (dir, bn);
    }
  touch (dir, "notes.txt");
  touch (dir, "zongzhi-old.zzbackup");
  g_assert_true (zz_backup_rotate (dir, &error));
  g_assert_no_error (error);

  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)))
    g_ptr_array_add (kept, g_strdup (name));
  for (guint i = 0; i < kept->len; i++)
    g_test_message ("kept %s", (char *) kept->pdata[i]);
  /* the last day is 2026-05-15: its evening backup and the six days before */
  g_assert_true (g_ptr_array_find_with_equal_func (kept, "zongzhi-20260515-200000.zzbackup", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (kept, "zongzhi-20260515-180000.zzbackup", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (kept, "zongzhi-20260509-200000.zzbackup", g_str_equal, NULL));
  /* the eighth day back is kept only if it ends a week */
  g_assert_false (g_ptr_array_find_with_equal_func (kept, "zongzhi-20260508-200000.zzbackup", g_str_equal, NULL));
  /* a year back: the newest of May 2025 is the twelfth month kept; April 2025 is gone */
  g_assert_true (g_ptr_array_find_with_equal_func (kept, "zongzhi-20250630-200000.zzbackup", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (kept, "zongzhi-20250430-200000.zzbackup", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (kept, "notes.txt", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (kept, "zongzhi-old.zzbackup", g_str_equal, NULL));
  /* 7 days + up to 4 weeks + up to 12 months, overlapping, + the two other files */
  g_assert_cmpuint (kept->len, >=, 12 + 2);
  g_assert_cmpuint (kept->len, <=, 7 + 4 + 12 + 2);
}

/* The database, its log and key are created 0600 in a 0700 folder; the check names any that
 * others may read. */
static void
test_file_modes (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (ts->path, "-wal", NULL);
  g_autofree char *key = zz_store_get_key_path (ts->store);
  g_autofree char *dir = g_build_filename (ts->dir, "fresh", "sub", NULL);
  g_autofree char *fresh = g_build_filename (dir, "zongzhi.db", NULL);
  g_autofree char *message = NULL;
  g_autoptr(ZzStore) store = NULL;
  GStatBuf st;

  store = zz_store_open (fresh, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_null (zz_store_check_file_modes (fresh));

  add_visits (ts, 1);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_chmod (ts->dir, 0700);
  g_assert_null (zz_store_check_file_modes (ts->path));

  g_chmod (key, 0644);
  message = zz_store_check_file_modes (ts->path);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, key));
  g_clear_pointer (&message, g_free);
  g_chmod (key, 0600);
  g_chmod (ts->dir, 0755);
  message = zz_store_check_file_modes (ts->path);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, ts->dir));
  g_chmod (ts->dir, 0700);
}

/* The passphrase is the administrator's to set, kept 0600 beside the key; the folder too. */
static void
test_passphrase_and_folder (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = zz_backup_passphrase_path (ts->path);
  g_autofree char *loaded = NULL;
  g_autofree char *folder = NULL;
  GStatBuf st;

  g_assert_null (zz_backup_load_passphrase (ts->path));
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_false (zz_backup_save_passphrase (ts->store, "a long passphrase", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_backup_set_folder (ts->store, "/media/usb", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_false (zz_backup_save_passphrase (ts->store, "short", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_backup_save_passphrase (ts->store, "一把很长的钥匙 2026", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  loaded = zz_backup_load_passphrase (ts->path);
  g_assert_cmpstr (loaded, ==, "一把很长的钥匙 2026");

  g_assert_false (zz_backup_set_folder (ts->store, "relative/folder", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (zz_backup_set_folder (ts->store, "/media/usb/备份", &error));
  g_assert_no_error (error);
  folder = zz_backup_get_folder (ts->store);
  g_assert_cmpstr (folder, ==, "/media/usb/备份");
}

/* A folder backup is named by time, and rotation runs after it. */
static void
test_to_folder (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (ts->dir, "backups", NULL);
  g_autofree char *path = NULL;
  g_autofree char *expected = zz_backup_file_name (folder, ZZ_TEST_T0);
  GStatBuf st;

  path = zz_backup_to_folder (ts->path, folder, NULL, ZZ_TEST_T0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

/* age reads a passphrase only from a terminal: tests/age-passphrase.py drives it through a
 * pseudo-terminal. */
#define PTY_DRIVER (g_getenv ("ZZ_AGE_PASSPHRASE"))

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (p) && g_subprocess_get_exit_status (p) == 0;
}

#define PASSPHRASE "泸溪县备份 correct horse"

/* With a passphrase the backup is an age file: Debian's `age -d` with the passphrase and `tar`
 * open it; restoring needs the passphrase, a wrong one or an altered byte changes nothing. */
static void
test_encrypted (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (ts->dir, "b" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *bad = g_build_filename (ts->dir, "bad" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *tar = g_build_filename (ts->dir, "b.tar", NULL);
  g_autofree char *out_dir = g_build_filename (ts->dir, "opened", NULL);
  g_autofree char *target = g_build_filename (ts->dir, "new", "zongzhi.db", NULL);
  g_autofree char *key = zz_store_get_key_path (ts->store);
  g_autofree char *a = NULL, *b = NULL, *log = NULL, *contents = NULL;
  gboolean encrypted = FALSE;
  gsize len;

  add_visits (ts, 10);
  zz_backup_set_scrypt_log_n_for_test (12);
  g_assert_true (zz_backup_write (ts->path, file, PASSPHRASE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (zz_backup_is_encrypted (file, &encrypted, &error));
  g_assert_true (encrypted);

  if (g_find_program_in_path ("age") && g_find_program_in_path ("python3") && g_find_program_in_path ("tar"))
    {
      g_autofree char *db_out = g_build_filename (out_dir, "zongzhi.db", NULL);
      g_autofree char *key_out = g_build_filename (out_dir, "zongzhi.db.key", NULL);
      g_autofree char *k1 = NULL, *k2 = NULL;

      g_assert_nonnull (PTY_DRIVER);
      g_assert_true (run ((const char *[]) { "python3", PTY_DRIVER, PASSPHRASE, "age", "-d", "-o", tar,
                                             file, NULL }, &log));
      g_clear_pointer (&log, g_free);
      g_mkdir (out_dir, 0700);
      g_assert_true (run ((const char *[]) { "tar", "-xf", tar, "-C", out_dir, NULL }, &log));
      g_assert_true (g_file_test (db_out, G_FILE_TEST_IS_REGULAR));
      k1 = read_all (key);
      k2 = read_all (key_out);
      g_assert_cmpstr (k1, ==, k2);
    }
  else
    g_test_message ("age, python3 or tar missing: not opened with age -d");

  /* no passphrase, a wrong one */
  g_assert_false (zz_backup_restore (file, target, NULL, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  assert_nothing_at (target);
  g_clear_error (&error);
  g_assert_false (zz_backup_restore (file, target, "not the passphrase", ZZ_RESTORE_DEFAULT, NULL, NULL, NULL,
                                     &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_test_message ("%s", error->message);
  assert_nothing_at (target);
  g_clear_error (&error);
  /* one byte of the ciphertext changed */
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  contents[len / 2] ^= 1;
  g_assert_true (g_file_set_contents (bad, contents, len, NULL));
  g_assert_false (zz_backup_restore (bad, target, PASSPHRASE, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  assert_nothing_at (target);
  g_clear_error (&error);

  g_assert_true (zz_backup_restore (file, target, PASSPHRASE, ZZ_RESTORE_DEFAULT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  a = zz_test_store_snapshot (ts);
  b = snapshot_of (target);
  g_assert_cmpstr (a, ==, b);
  {
    g_autoptr(GDir) d = g_dir_open (ts->dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)))
      g_assert_false (g_str_has_prefix (name, ".restore"));
  }
}

/* The commands a script runs: no prompt, clear errors, nothing changed on refusal. */
static void
test_cli (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  const char *cli = g_getenv ("ZZ_CLI");
  g_autofree char *file = g_build_filename (ts->dir, "cli" ZZ_BACKUP_SUFFIX, NULL);
  g_autofree char *pass = g_build_filename (ts->dir, "pass.txt", NULL);
  g_autofree char *wrong = g_build_filename (ts->dir, "wrong.txt", NULL);
  g_autofree char *target = g_build_filename (ts->dir, "cli", "zongzhi.db", NULL);
  g_autofree char *log = NULL;
  g_autofree char *a = NULL, *b = NULL;

  if (!cli)
    {
      g_test_skip ("ZZ_CLI is not set");
      return;
    }
  add_visits (ts, 3);
  g_assert_true (g_file_set_contents (pass, PASSPHRASE "\n", -1, NULL));
  g_assert_true (g_file_set_contents (wrong, "another passphrase\n", -1, NULL));
  g_assert_true (run ((const char *[]) { cli, "--db", ts->path, "backup", "-o", file, "--passphrase-file", pass,
                                         NULL }, &log));
  g_assert_nonnull (strstr (log, "encrypted"));
  g_clear_pointer (&log, g_free);

  g_assert_false (run ((const char *[]) { cli, "--db", target, "restore", file, NULL }, &log));
  g_assert_nonnull (strstr (log, "passphrase"));
  assert_nothing_at (target);
  g_clear_pointer (&log, g_free);
  g_assert_false (run ((const char *[]) { cli, "--db", target, "restore", file, "--passphrase-file", wrong, NULL },
                       &log));
  g_test_message ("%s", log);
  g_assert_nonnull (strstr (log, "passphrase is wrong"));
  assert_nothing_at (target);
  g_clear_pointer (&log, g_free);
  g_assert_false (run ((const char *[]) { cli, "--db", target, "restore", pass, NULL }, &log));
  g_assert_nonnull (strstr (log, "not a Zongzhi backup"));
  g_clear_pointer (&log, g_free);
  a = zz_test_store_snapshot (ts);
  g_assert_false (run ((const char *[]) { cli, "--db", ts->path, "restore", file, "--passphrase-file", pass, NULL },
                       &log));
  g_assert_nonnull (strstr (log, "already a database"));
  g_clear_pointer (&log, g_free);
  b = zz_test_store_snapshot (ts);
  g_assert_cmpstr (a, ==, b);

  g_assert_true (run ((const char *[]) { cli, "--db", target, "restore", file, "--passphrase-file", pass, NULL },
                      &log));
  g_clear_pointer (&b, g_free);
  b = snapshot_of (target);
  g_assert_cmpstr (a, ==, b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backup/round-trip", test_round_trip);
  g_test_add_func ("/backup/restore-refused", test_restore_refused);
  g_test_add_func ("/backup/damaged-source", test_damaged_source);
  g_test_add_func ("/backup/rotation", test_rotation);
  g_test_add_func ("/backup/file-modes", test_file_modes);
  g_test_add_func ("/backup/passphrase-and-folder", test_passphrase_and_folder);
  g_test_add_func ("/backup/to-folder", test_to_folder);
  g_test_add_func ("/backup/encrypted", test_encrypted);
  g_test_add_func ("/backup/cli", test_cli);
  return g_test_run ();
}
