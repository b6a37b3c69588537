/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "zz-test-store.h"

static void
test_setup_node (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autofree char *before = NULL;
  g_autofree char *key = NULL;
  g_autofree char *fp = NULL;
  GStatBuf st;

  g_assert_true (zz_store_import_divisions (ts->store, divisions, "433122", NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (zz_store_has_node (ts->store));

  /* Refused set-ups write nothing and leave no key behind. */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_setup_node (ts->store, "999999", "某中心", "admin", "张建国", "Admin2024", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_setup_node (ts->store, "433122", "", "admin", "张建国", "short1", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_setup_node (ts->store, "433122", "", "ad min", "张建国", "Admin2024", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_has_node (ts->store));
  key = zz_store_get_key_path (ts->store);
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));

  /* An empty centre name takes the unit's name. */
  g_assert_true (zz_store_setup_node (ts->store, "433122", "  ", "admin", "张建国", "Admin2024", &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_has_node (ts->store));
  g_assert_cmpstr (zz_store_get_centre_name (ts->store), ==, "泸溪县综治中心");
  g_assert_cmpstr (zz_store_get_node_org_unit (ts->store), ==, "433122");
  g_assert_cmpuint (strlen (zz_store_get_node_id (ts->store)), ==, 32);
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, 1);

  /* The key file: present, owner-only. */
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 64);

  /* Twice is refused, nothing changes. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_setup_node (ts->store, "433122", "另一个", "admin2", "李四", "Admin2025", &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);

  /* Fingerprint: 8 groups of 4 hex digits, stable across reopening. */
  fp = zz_store_get_fingerprint (ts->store);
  g_assert_cmpuint (strlen (fp), ==, 39);
  for (guint i = 0; i < 39; i++)
    g_assert_true (i % 5 == 4 ? fp[i] == ' ' : g_ascii_isxdigit (fp[i]));
  zz_test_store_reopen (ts, ZZ_TEST_T0);
  {
    g_autofree char *fp2 = zz_store_get_fingerprint (ts->store);
    g_assert_cmpstr (fp2, ==, fp);
  }
  g_assert_true (zz_store_has_node (ts->store));
  g_assert_cmpstr (zz_store_get_centre_name (ts->store), ==, "泸溪县综治中心");
  g_assert_false (zz_store_setup_node (ts->store, "433122", "另一个", "admin2", "李四", "Admin2025", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
}

static void
test_key_file_checked_on_open (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(ZzTestStore) other = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = zz_store_get_key_path (ts->store);
  g_autofree char *other_key = zz_store_get_key_path (other->store);
  g_autofree char *good = NULL;
  g_autofree char *foreign = NULL;
  g_autoptr(ZzStore) reopened = NULL;

  g_assert_true (g_file_get_contents (key, &good, NULL, NULL));
  g_assert_true (g_str_has_prefix (good, "zongzhi node secret key "));
  g_assert_true (g_file_get_contents (other_key, &foreign, NULL, NULL));
  g_clear_object (&ts->store);

  /* Another node's key is refused. */
  g_assert_true (g_file_set_contents (key, foreign, -1, NULL));
  reopened = zz_store_open (ts->path, &error);
  g_assert_null (reopened);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "does not belong"));
  g_clear_error (&error);

  /* A damaged key is refused. */
  g_assert_true (g_file_set_contents (key, "zongzhi node secret key x\nnot base64\n", -1, NULL));
  reopened = zz_store_open (ts->path, &error);
  g_assert_null (reopened);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  /* The right key opens again. */
  g_assert_true (g_file_set_contents (key, good, -1, NULL));
  zz_test_store_reopen (ts, ZZ_TEST_T0);
}

static void
test_login (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autofree char *before = NULL;

  g_assert_null (zz_store_get_user_id (ts->store));
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_assert_null (zz_store_get_user_id (ts->store));
  g_assert_cmpint (zz_store_get_role (ts->store), ==, ZZ_ROLE_NONE);

  /* An unknown login reads exactly like a wrong password. */
  g_assert_false (zz_store_login (ts->store, "nobody", "Wrong2024", &unknown));
  g_assert_error (unknown, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_assert_cmpstr (unknown->message, ==, error->message);
  g_clear_error (&error);
  g_assert_false (zz_store_login (ts->store, "", "", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, unknown->message);
  g_clear_error (&error);
  /* Logging in writes no op. */
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, 10);

  g_assert_true (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zz_store_get_user_id (ts->store), ==, ts->user_id[ZZ_ROLE_CLERK]);
  g_assert_cmpstr (zz_store_get_user_name (ts->store), ==, "李秀梅");
  g_assert_cmpint (zz_store_get_role (ts->store), ==, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_can (ts->store, ZZ_PERM_REGISTER_VISIT));
  g_assert_false (zz_store_can (ts->store, ZZ_PERM_MANAGE_USERS));

  /* Login names are not case-sensitive; passwords are. */
  zz_store_logout (ts->store);
  g_assert_null (zz_store_get_user_id (ts->store));
  g_assert_false (zz_store_can (ts->store, ZZ_PERM_VIEW_DESK));
  g_assert_true (zz_store_login (ts->store, "Clerk", "Clerk2024", &error));
  g_assert_no_error (error);
  g_assert_false (zz_store_login (ts->store, "clerk", "clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);

  /* Unlocking an idle session checks the current user's password. */
  g_assert_true (zz_store_login (ts->store, "mediator", "Mediator2024", &error));
  g_assert_true (zz_store_verify_password (ts->store, "Mediator2024", &error));
  g_assert_no_error (error);
  g_assert_false (zz_store_verify_password (ts->store, "Clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);
  zz_store_logout (ts->store);
  g_assert_false (zz_store_verify_password (ts->store, "Mediator2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
}

static void
test_lockout (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  gint64 t = ZZ_TEST_T0;

  /* A success in between resets the count. */
  for (int i = 0; i < ZZ_LOGIN_MAX_FAILURES - 1; i++)
    {
      g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
      g_clear_error (&error);
    }
  g_assert_true (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);

  for (int i = 0; i < ZZ_LOGIN_MAX_FAILURES - 1; i++)
    {
      g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &error));
      g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
      g_clear_error (&error);
    }
  /* The fifth failure locks. */
  g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "15 minutes"));
  g_clear_error (&error);

  /* Locked even with the right password, and the lock survives reopening. */
  g_assert_false (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED);
  g_assert_null (zz_store_get_user_id (ts->store));
  g_clear_error (&error);
  zz_test_store_reopen (ts, t + (ZZ_LOGIN_LOCK_MINUTES - 1) * 60000);
  g_assert_false (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "1 more minute"));
  g_clear_error (&error);

  /* Other accounts are not affected. */
  g_assert_true (zz_store_login (ts->store, "mediator", "Mediator2024", &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);

  /* After the lock time the right password works. */
  zz_store_set_now (ts->store, t + ZZ_LOGIN_LOCK_MINUTES * 60000 + 1000);
  g_assert_true (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);

  /* Lock again, an administrator unlocks. */
  for (int i = 0; i < ZZ_LOGIN_MAX_FAILURES; i++)
    {
      g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &error));
      g_clear_error (&error);
    }
  g_assert_false (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  g_assert_false (zz_store_unlock_user (ts->store, ts->user_id[ZZ_ROLE_CLERK], &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_true (zz_store_unlock_user (ts->store, ts->user_id[ZZ_ROLE_CLERK], &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);
  g_assert_true (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_no_error (error);
}

static void
test_disabled_user (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wrong = NULL;

  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_true (zz_store_update_user (ts->store, ts->user_id[ZZ_ROLE_CLERK], "李秀梅", ZZ_ROLE_CLERK, FALSE, &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);

  g_assert_false (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_assert_null (zz_store_get_user_id (ts->store));
  g_clear_error (&error);
  /* Without the right password nobody learns that the account exists and is disabled. */
  g_assert_false (zz_store_login (ts->store, "clerk", "Wrong2024", &wrong));
  g_assert_error (wrong, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_assert_false (zz_store_login (ts->store, "nobody", "Wrong2024", &error));
  g_assert_cmpstr (wrong->message, ==, error->message);
  g_clear_error (&error);
  /* Nor may the headless tool act as a disabled user. */
  g_assert_false (zz_store_act_as (ts->store, "clerk", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Enabled again. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_true (zz_store_update_user (ts->store, ts->user_id[ZZ_ROLE_CLERK], "李秀梅", ZZ_ROLE_CLERK, TRUE, &error));
  zz_store_logout (ts->store);
  g_assert_true (zz_store_login (ts->store, "clerk", "Clerk2024", &error));
  g_assert_no_error (error);
}

static void
test_last_admin (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *admin2 = NULL;
  const char *admin = ts->user_id[ZZ_ROLE_ADMIN];

  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_update_user (ts->store, admin, "张建国", ZZ_ROLE_CLERK, TRUE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_update_user (ts->store, admin, "张建国", ZZ_ROLE_ADMIN, FALSE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_cmpint (zz_store_get_role (ts->store), ==, ZZ_ROLE_ADMIN);

  /* With a second administrator the first may step down. */
  g_assert_true (zz_store_create_user (ts->store, "admin2", "符德胜", ZZ_ROLE_ADMIN, "Fu2024abc", &admin2, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_update_user (ts->store, admin, "张建国", ZZ_ROLE_SUPERVISOR, TRUE, &error));
  g_assert_no_error (error);
  /* The session follows the new role at once. */
  g_assert_cmpint (zz_store_get_role (ts->store), ==, ZZ_ROLE_SUPERVISOR);
  g_assert_false (zz_store_can (ts->store, ZZ_PERM_MANAGE_USERS));

  /* Now admin2 is the last one: the headless tool, given no login, acts as them. */
  zz_store_logout (ts->store);
  g_assert_true (zz_store_act_as (ts->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zz_store_get_user_id (ts->store), ==, admin2);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_update_user (ts->store, admin2, "符德胜", ZZ_ROLE_ADMIN, FALSE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
}

static void
test_create_user (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GListModel) users = NULL;
  gint64 n_users = zz_test_store_int (ts, "SELECT count(*) FROM user");
  gint64 n_ops = zz_store_count_ops (ts->store);

  /* Not an administrator: refused, nothing written. */
  before = zz_test_store_snapshot (ts);
  for (ZzRole r = ZZ_ROLE_NONE; r < ZZ_N_ROLES; r++)
    {
      if (r == ZZ_ROLE_ADMIN)
        continue;
      zz_test_store_as (ts, r);
      g_assert_false (zz_store_create_user (ts->store, "newclerk", "田翠兰", ZZ_ROLE_CLERK, "Tian2024x", &id, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_assert_null (id);
      g_clear_error (&error);
      /* Nor change someone's role, nor see the accounts. */
      g_assert_false (zz_store_update_user (ts->store, ts->user_id[ZZ_ROLE_CLERK], "李秀梅", ZZ_ROLE_ADMIN, TRUE, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
      g_assert_false (zz_store_set_user_password (ts->store, ts->user_id[ZZ_ROLE_ADMIN], "Hacked2024", &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
      users = zz_store_list_users (ts->store);
      g_assert_cmpuint (g_list_model_get_n_items (users), ==, 0);
      g_clear_object (&users);
    }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM user"), ==, n_users);
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, n_ops);

  /* Bad input and duplicates, as administrator. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  {
    static const struct {
      const char *login, *name, *password;
      ZzRole role;
    } bad[] = {
      { "clerk", "另一个", "Other2024", ZZ_ROLE_CLERK },       /* duplicate */
      { "CLERK", "另一个", "Other2024", ZZ_ROLE_CLERK },       /* duplicate, other case */
      { " clerk ", "另一个", "Other2024", ZZ_ROLE_CLERK },     /* duplicate after trimming */
      { "", "田翠兰", "Tian2024x", ZZ_ROLE_CLERK },
      { "tian cuilan", "田翠兰", "Tian2024x", ZZ_ROLE_CLERK },
      { "田翠兰", "田翠兰", "Tian2024x", ZZ_ROLE_CLERK },
      { "abcdefghijabcdefghijabcdefghijabc", "田翠兰", "Tian2024x", ZZ_ROLE_CLERK },
      { "tian", "", "Tian2024x", ZZ_ROLE_CLERK },
      { "tian", "田翠兰", "Tian2024x", ZZ_ROLE_NONE },
      { "tian", "田翠兰", "short1", ZZ_ROLE_CLERK },
      { "tian", "田翠兰", "tian", ZZ_ROLE_CLERK },
      { "tian2024", "田翠兰", "Tian2024", ZZ_ROLE_CLERK },   /* password = login */
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        if (zz_store_create_user (ts->store, bad[i].login, bad[i].name, bad[i].role, bad[i].password, &id, &error))
          g_error ("user “%s” was created", bad[i].login);
        zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
        g_clear_error (&error);
      }
  }

  g_assert_true (zz_store_create_user (ts->store, " tian ", " 田翠兰 ", ZZ_ROLE_CLERK, "Tian2024x", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM user"), ==, n_users + 1);
  users = zz_store_list_users (ts->store);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, n_users + 1);
  zz_store_logout (ts->store);
  g_assert_true (zz_store_login (ts->store, "tian", "Tian2024x", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zz_store_get_user_name (ts->store), ==, "田翠兰");

  /* Users change their own password; the old one stops working. */
  g_assert_true (zz_store_set_user_password (ts->store, id, "Tian2025y", &error));
  g_assert_no_error (error);
  zz_store_logout (ts->store);
  g_assert_false (zz_store_login (ts->store, "tian", "Tian2024x", &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (zz_store_login (ts->store, "tian", "Tian2025y", &error));
  g_assert_no_error (error);
  /* The stored hash is Argon2id, never the password. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT password_hash FROM user WHERE id = '%s'", id);
    g_autofree char *hash = zz_test_store_text (ts, sql);
    g_autofree char *bodies = zz_test_store_text (ts, "SELECT group_concat(CAST(body AS TEXT)) FROM op");
    g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
    g_assert_null (strstr (bodies, "Tian2025y"));
    g_assert_null (strstr (bodies, "Clerk2024"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/accounts/setup-node", test_setup_node);
  g_test_add_func ("/accounts/key-file-checked-on-open", test_key_file_checked_on_open);
  g_test_add_func ("/accounts/login", test_login);
  g_test_add_func ("/accounts/lockout", test_lockout);
  g_test_add_func ("/accounts/disabled-user", test_disabled_user);
  g_test_add_func ("/accounts/last-admin", test_last_admin);
  g_test_add_func ("/accounts/create-user", test_create_user);
  return g_test_run ();
}
