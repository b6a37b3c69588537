/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-op.h"
#include "zz-sync-private.h"

/* Realistic random changes for tests and benchmarks: people come and go, visits are recorded and
 * followed up, phone numbers change, a record is now and then removed. Seeded and repeatable. */

static const char *surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "向", "田", "彭", "符", "滕" };
static const char *given[] = { "秀英", "建国", "桂兰", "志强", "海燕", "德明", "春梅", "光辉", "玉珍", "小龙", "金花", "文军" };
static const char *purposes[] = { "土地承包纠纷", "邻里宅基地争议", "拖欠工资", "婚姻家庭矛盾", "山林权属争议",
                                  "征地补偿咨询", "噪音扰民", "医疗纠纷咨询" };
static const char *categories[] = { "land", "neighbour", "wages", "family", "consult" };
static const char *statuses[] = { "open", "referred", "closed" };

static char *
pick_id (GRand *r, GPtrArray *ids)
{
  return ids->len ? ids->pdata[g_rand_int_range (r, 0, ids->len)] : NULL;
}

static void
load_ids (ZzStore *store, const char *table, const char *home, GPtrArray *out)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE deleted = 0 AND substr(home, 1, length(?1)) = ?1 ORDER BY id", table);
  sqlite3_stmt *stmt = zz_store_stmt (store, sql, NULL);

  if (!stmt)
    return;
  sqlite3_bind_text (stmt, 1, home, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
}

gboolean
zz_sync_simulate (ZzStore *store, guint n_ops, guint32 seed, const char *home, GError **error)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) homes = g_ptr_array_new_with_free_func (g_free);
  gint64 start_ops, target;
  sqlite3_stmt *stmt;

  if (!zz_store_require (store, ZZ_PERM_SYNC, error))
    return FALSE;
  if (!store->node_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up yet."));
      return FALSE;
    }
  if (!home)
    home = store->node_org_unit;
  if (!zz_org_within (home, store->node_org_unit))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("The org unit %s is outside this centre’s area."), home);
      return FALSE;
    }
  /* homes: the unit and up to a few units directly below it */
  g_ptr_array_add (homes, g_strdup (home));
  stmt = zz_store_stmt (store, "SELECT code FROM org_unit WHERE parent = ? ORDER BY code LIMIT 4", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, home, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (homes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  load_ids (store, "person", home, persons);
  load_ids (store, "visit", home, visits);

  start_ops = store->seq;
  target = start_ops + n_ops;
  while (store->seq < target)
    {
      if (!zz_store_begin (store, error))
        return FALSE;
      for (guint k = 0; k < 500; k++)
        {
          int dice = g_rand_int_range (r, 0, 100);
          gboolean ok = TRUE;
          gint64 now = zz_store_now (store);

          if (store->seq >= target)
            break;
          if (persons->len < 3 || dice < 30)
            {
              g_autofree char *id = zz_store_new_id (store);
              g_autofree char *name = g_strconcat (surnames[g_rand_int_range (r, 0, G_N_ELEMENTS (surnames))],
                                                   given[g_rand_int_range (r, 0, G_N_ELEMENTS (given))], NULL);
              g_autofree char *phone = g_strdup_printf ("1%02d%08d", 30 + g_rand_int_range (r, 0, 60),
                                                        g_rand_int_range (r, 0, 100000000));
              ZzField f[] = { ZZ_F_TEXT ("name", name), ZZ_F_TEXT ("phone", phone) };

              ok = zz_store_insert_row (store, "person", id, homes->pdata[g_rand_int_range (r, 0, homes->len)],
                                        f, G_N_ELEMENTS (f), error);
              g_ptr_array_add (persons, g_steal_pointer (&id));
            }
          else if (dice < 50)
            {
              const char *person = pick_id (r, persons);
              g_autofree char *id = zz_store_new_id (store);
              g_autofree char *day = zz_store_day_of (now);
              ZzField f[] = {
                ZZ_F_TEXT ("person_id", person),
                ZZ_F_INT ("people", 1 + g_rand_int_range (r, 0, 4)),
                ZZ_F_TEXT ("purpose", purposes[g_rand_int_range (r, 0, G_N_ELEMENTS (purposes))]),
                ZZ_F_TEXT ("category", categories[g_rand_int_range (r, 0, G_N_ELEMENTS (categories))]),
                ZZ_F_INT ("arrived_at", now),
                ZZ_F_TEXT ("day", day),
                ZZ_F_TEXT ("status", "open"),
              };

              ok = zz_store_insert_row (store, "visit", id, homes->pdata[g_rand_int_range (r, 0, homes->len)],
                                        f, G_N_ELEMENTS (f), error);
              g_ptr_array_add (visits, g_steal_pointer (&id));
            }
          else if (dice < 80)
            {
              g_autofree char *phone = g_strdup_printf ("1%02d%08d", 30 + g_rand_int_range (r, 0, 60),
                                                        g_rand_int_range (r, 0, 100000000));
              g_autofree char *name = g_strconcat (surnames[g_rand_int_range (r, 0, G_N_ELEMENTS (surnames))],
                                                   given[g_rand_int_range (r, 0, G_N_ELEMENTS (given))], NULL);
              ZzField f = dice < 70 ? ZZ_F_TEXT ("phone", phone) : ZZ_F_TEXT ("name", name);

              ok = zz_store_set_fields (store, "person", pick_id (r, persons), &f, 1, error);
            }
          else if (dice < 97 && visits->len > 0)
            {
              ZzField f = dice < 90 ? ZZ_F_TEXT ("status", statuses[g_rand_int_range (r, 0, G_N_ELEMENTS (statuses))])
                                    : ZZ_F_TEXT ("outcome", purposes[g_rand_int_range (r, 0, G_N_ELEMENTS (purposes))]);

              ok = zz_store_set_fields (store, "visit", pick_id (r, visits), &f, 1, error);
            }
          else if (visits->len > 2)
            {
              guint i = g_rand_int_range (r, 0, visits->len);

              ok = zz_store_tombstone_row (store, "visit", visits->pdata[i], error);
              g_ptr_array_remove_index_fast (visits, i);
            }
          if (!ok)
            {
              zz_store_rollback (store);
              return FALSE;
            }
        }
      if (!zz_store_commit (store, error))
        return FALSE;
    }
  return TRUE;
}
