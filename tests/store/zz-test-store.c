/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sodium.h>

#include "zz-test-store.h"

gint64 ZZ_TEST_T0;

static const struct {
  const char *login;
  const char *password;
  const char *name;
} users[ZZ_N_ROLES] = {
  [ZZ_ROLE_ADMIN] = { "admin", "Admin2024", "张建国" },
  [ZZ_ROLE_CLERK] = { "clerk", "Clerk2024", "李秀梅" },
  [ZZ_ROLE_MEDIATOR] = { "mediator", "Mediator2024", "王德明" },
  [ZZ_ROLE_SUPERVISOR] = { "supervisor", "Super2024", "刘志强" },
};

static const char *departments[3] = { "信访局", "人民调解", "公共法律服务" };

const char *
zz_test_login (ZzRole role)
{
  return users[role].login;
}

const char *
zz_test_password (ZzRole role)
{
  return users[role].password;
}

static void
init_t0 (void)
{
  if (ZZ_TEST_T0 == 0)
    {
      /* Monday 16 March 2026, 09:00 in the local time zone, whatever it is. */
      g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 3, 16, 9, 0, 0);
      ZZ_TEST_T0 = g_date_time_to_unix (dt) * 1000;
    }
}

ZzTestStore *
zz_test_store_new_empty (void)
{
  ZzTestStore *ts = g_new0 (ZzTestStore, 1);
  g_autoptr(GError) error = NULL;

  init_t0 ();
  ts->dir = g_dir_make_tmp ("zz-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->path = g_build_filename (ts->dir, "zongzhi.db", NULL);
  ts->store = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ts->store);
  zz_store_set_now (ts->store, ZZ_TEST_T0);
  return ts;
}

ZzTestStore *
zz_test_store_new (void)
{
  ZzTestStore *ts = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  guint count = 0;

  g_assert_true (zz_store_import_divisions (ts->store, divisions, "433122", NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1 + 1 + 1 + 12 + 148);   /* Hunan, Xiangxi, Luxi, its townships and villages */
  g_assert_true (zz_store_setup_node (ts->store, "433122", "泸溪县综治中心", users[ZZ_ROLE_ADMIN].login,
                                      users[ZZ_ROLE_ADMIN].name, users[ZZ_ROLE_ADMIN].password, &error));
  g_assert_no_error (error);
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  ts->user_id[ZZ_ROLE_ADMIN] = g_strdup (zz_store_get_user_id (ts->store));
  for (ZzRole r = ZZ_ROLE_CLERK; r < ZZ_N_ROLES; r++)
    {
      g_assert_true (zz_store_create_user (ts->store, users[r].login, users[r].name, r, users[r].password,
                                           &ts->user_id[r], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      g_autoptr(GListModel) windows = NULL;

      g_assert_true (zz_store_save_department (ts->store, NULL, departments[i], i + 1, "permanent", 0x1f,
                                               &ts->dept_id[i], &error));
      g_assert_no_error (error);
      windows = zz_store_list_windows (ts->store);
      for (guint j = 0; j < g_list_model_get_n_items (windows); j++)
        {
          g_autoptr(ZzRow) w = g_list_model_get_item (windows, j);
          if (g_strcmp0 (zz_row_get (w, "department_id"), ts->dept_id[i]) == 0)
            ts->window_id[i] = g_strdup (zz_row_get_id (w));
        }
      g_assert_nonnull (ts->window_id[i]);
    }
  zz_store_logout (ts->store);
  return ts;
}

void
zz_test_store_free (ZzTestStore *ts)
{
  const char *suffixes[] = { "", "-wal", "-shm", ".key" };

  g_clear_object (&ts->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (ts->path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (ts->dir);
  for (guint i = 0; i < ZZ_N_ROLES; i++)
    g_free (ts->user_id[i]);
  for (guint i = 0; i < 3; i++)
    {
      g_free (ts->dept_id[i]);
      g_free (ts->window_id[i]);
    }
  g_free (ts->path);
  g_free (ts->dir);
  g_free (ts);
}

void
zz_test_store_reopen (ZzTestStore *ts, gint64 now_ms)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&ts->store);
  ts->store = zz_store_open (ts->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ts->store);
  zz_store_set_now (ts->store, now_ms);
}

void
zz_test_store_as (ZzTestStore *ts, ZzRole role)
{
  g_autoptr(GError) error = NULL;

  if (role == ZZ_ROLE_NONE)
    {
      zz_store_logout (ts->store);
      return;
    }
  g_assert_true (zz_store_act_as (ts->store, users[role].login, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_store_get_role (ts->store), ==, role);
}

static sqlite3 *
open_side (ZzTestStore *ts)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (ts->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gint64
zz_test_store_int (ZzTestStore *ts, const char *sql)
{
  sqlite3 *db = open_side (ts);
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

char *
zz_test_store_text (ZzTestStore *ts, const char *sql)
{
  sqlite3 *db = open_side (ts);
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

void
zz_test_store_exec (ZzTestStore *ts, const char *sql)
{
  sqlite3 *db = open_side (ts);
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

char *
zz_test_store_snapshot (ZzTestStore *ts)
{
  static const char *tables[] = {
    "op", "field_head", "user", "department", "window", "person", "visit", "ticket", "org_unit", "node",
    "setting",
  };
  sqlite3 *db = open_side (ts);
  GString *out = g_string_new (NULL);
  crypto_generichash_state state;
  guint8 digest[16];
  char hex[33];

  crypto_generichash_init (&state, NULL, 0, sizeof digest);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[i]);
      sqlite3_stmt *stmt = NULL;
      guint rows = 0;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s: %s", sql, sqlite3_errmsg (db));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          rows++;
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const void *blob = sqlite3_column_blob (stmt, c);
              int len = sqlite3_column_bytes (stmt, c);
              guint8 type = sqlite3_column_type (stmt, c);

              crypto_generichash_update (&state, &type, 1);
              crypto_generichash_update (&state, (const guint8 *) &len, sizeof len);
              if (blob)
                crypto_generichash_update (&state, blob, len);
            }
        }
      sqlite3_finalize (stmt);
      g_string_append_printf (out, "%s=%u ", tables[i], rows);
    }
  sqlite3_close (db);
  crypto_generichash_final (&state, digest, sizeof digest);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  g_string_append_printf (out, "digest=%s", hex);
  return g_string_free (out, FALSE);
}

ZzVisitInput
zz_test_visit (ZzTestStore *ts, guint w, const char *name, const char *phone, const char *id_number)
{
  ZzVisitInput in = {
    .person_id = NULL,
    .name = name,
    .phone = phone,
    .id_number = id_number,
    .people = 1,
    .purpose = "邻居建房占用通道，多次协商未果",
    .category = "neighbours",
    .window_id = ts->window_id[w],
  };
  return in;
}
