/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-demo"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-demo.h"
#include "zz-demo-sync.h"
#include "zz-store-private.h"
#include "zz-sync.h"

#define TOWNSHIP      "433122102"
#define TOWNSHIP_NAME "达岚镇综治中心"

static gboolean
set_text (ZzStore *store, const char *table, const char *id, const char *field, const char *value, GError **error)
{
  ZzField f = ZZ_F_TEXT (field, value);

  if (!zz_store_begin (store, error))
    return FALSE;
  if (!zz_store_set_fields (store, table, id, &f, 1, error))
    {
      zz_store_rollback (store);
      return FALSE;
    }
  return zz_store_commit (store, error);
}

static char *
first_id (ZzStore *store, const char *sql)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, sql, NULL);
  char *id = NULL;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt)
    sqlite3_reset (stmt);
  return id;
}

static gboolean
send (ZzStore *from, ZzStore *to, const char *peer, GError **error)
{
  g_autoptr(GBytes) bundle = zz_sync_export_bytes (from, peer, NULL, error);
  ZzImportResult res = { 0 };
  gboolean ok;

  if (!bundle || !zz_sync_import_bytes (to, bundle, &res, error))
    return FALSE;
  ok = !res.refused && !res.quarantined;
  if (!ok)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, "demo bundle not applied: %s", res.reason ? res.reason : "?");
  zz_import_result_clear (&res);
  return ok;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

gboolean
zz_demo_sync (ZzStore *county, GError **error)
{
  g_autofree char *dir = NULL, *path = NULL, *divisions = NULL;
  g_autofree char *cpub = NULL, *cfp = NULL, *tpub = NULL, *county_id = NULL, *township_id = NULL;
  g_autofree char *person = NULL, *county_person = NULL;
  g_autoptr(ZzStore) township = NULL;
  const ZzDemoUser *users;
  guint n;
  gboolean ok = FALSE;

  users = zz_demo_users (&n);
  if (!zz_store_act_as (county, users[0].login, error))
    return FALSE;
  dir = g_dir_make_tmp ("zongzhi-demo-sync-XXXXXX", error);
  if (!dir)
    return FALSE;
  path = g_build_filename (dir, "township.db", NULL);
  divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  township = zz_store_open (path, error);
  if (!township
      || !zz_store_import_divisions (township, divisions, "433122", NULL, NULL, NULL, NULL, error)
      || !zz_store_setup_node (township, TOWNSHIP, TOWNSHIP_NAME, users[0].login, users[0].name, users[0].password, error)
      || !zz_store_act_as (township, users[0].login, error))
    goto out;

  /* trust: the county is the root; the township compared its fingerprint and was enrolled */
  county_id = g_strdup (zz_store_get_node_id (county));
  township_id = g_strdup (zz_store_get_node_id (township));
  cpub = zz_sync_public_key_file (county);
  cfp = zz_store_get_fingerprint (county);
  tpub = zz_sync_public_key_file (township);
  if (!zz_sync_trust_root (county, cpub, cfp, error) || !zz_sync_trust_root (township, cpub, cfp, error)
      || !zz_sync_enrol (county, tpub, NULL, error))
    goto out;

  /* the county's records reach the township; the township records its own work and sends it */
  if (!send (county, township, township_id, error)
      || !zz_sync_simulate (township, 60, 20240601, NULL, error)
      || !send (township, county, county_id, error))
    goto out;

  /* both change the same person's phone without seeing the other's change: a conflict; and the
   * township edits a county record, which the county refuses with its reason */
  person = first_id (township, "SELECT id FROM person WHERE home LIKE '" TOWNSHIP "%' AND deleted = 0 ORDER BY id LIMIT 1");
  /* a county record the township holds: reference data, which flows down */
  county_person = first_id (township, "SELECT id FROM department WHERE home = '433122' AND deleted = 0 ORDER BY id LIMIT 1");
  if (!person || !county_person)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, "demo sync: no person to edit");
      goto out;
    }
  if (!set_text (township, "person", person, "phone", "13707431122", error)
      || !set_text (county, "person", person, "phone", "13807431122", error)
      || !set_text (township, "department", county_person, "name", "乡镇改名的窗口部门", error)
      || !zz_sync_simulate (township, 20, 20240602, NULL, error)
      || !send (township, county, county_id, error))
    goto out;
  ok = TRUE;

out:
  g_clear_object (&township);
  remove_dir (dir);
  return ok;
}
