/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-demo-households"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-demo.h"
#include "zz-households.h"
#include "zz-idcard.h"
#include "zz-store-private.h"

static const char *surnames[] = { "向", "张", "田", "彭", "龙", "杨", "石", "吴", "李", "符", "瞿", "刘" };
static const char *given_m[] = { "德胜", "国强", "光明", "长生", "建军", "永福", "春生", "老三" };
static const char *given_f[] = { "桂花", "秀英", "玉兰", "金梅", "春燕", "翠芳" };
static const char *children[] = { "小明", "小红", "子涵", "雨欣", "浩然" };
static const char *officials[] = { "田支书", "向主任", "彭委员", "符网格长", "石民警" };
static const char *found[] = {
  "家中情绪平稳，已讲解相关政策。",
  "夫妻仍有争吵，已约双方到村调委会调解。",
  "按时服药，监护人在家。",
  "债务纠纷未解决，已联系司法所。",
  "老人身体尚可，留守儿童学习正常。",
};

/* A few dozen households across the villages of the demo county, in every grade and state:
 * graded and visited on time, overdue, waiting for a sign-off step, ungraded, and one de-listed. */
gboolean
zz_demo_households (ZzStore *store, GDateTime *day, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GPtrArray) villages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *mediator_id = NULL;
  sqlite3_stmt *stmt;
  g_autoptr(GDateTime) morning = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                       g_date_time_get_day_of_month (day), 8, 0, 0);
  const gint64 day_ms = g_date_time_to_unix (morning) * 1000;
  const gint64 one_day = 86400000;
  const int n = 36;

  stmt = zz_store_stmt (store, "SELECT code FROM org_unit WHERE level = 5 AND code GLOB '433122*'"
                               " ORDER BY code", error);
  if (!stmt)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (villages, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (villages->len == 0)
    return TRUE;
  stmt = zz_store_stmt (store, "SELECT id FROM user WHERE login = 'mediator'", error);
  if (!stmt)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mediator_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!zz_store_begin (store, error))
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      /* Eight villages, so the per-village counts mean something. */
      const char *village = villages->pdata[(i % 8) * (villages->len / 8)];
      const char *surname = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))];
      g_autofree char *head = g_strconcat (surname, given_m[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_m))], NULL);
      g_autofree char *spouse = g_strconcat (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                                             given_f[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_f))], NULL);
      g_autofree char *child = g_strconcat (surname, children[g_rand_int_range (rand, 0, G_N_ELEMENTS (children))], NULL);
      g_autofree char *first17 = g_strdup_printf ("433122%04d%02d%02d%03d", 1950 + g_rand_int_range (rand, 0, 40),
                                                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29), 100 + i);
      g_autofree char *check = zz_idcard_check_char (first17);
      g_autofree char *idn = g_strconcat (first17, check, NULL);
      g_autofree char *phone = g_strdup_printf ("139%08d", 7431000 + i * 37);
      g_autofree char *address = g_strdup_printf ("%d组%d号", 1 + i % 7, 3 + g_rand_int_range (rand, 0, 60));
      g_autofree char *id = NULL;
      ZzMemberInput members[] = {
        { head, "户主", idn, phone, NULL },
        { spouse, "配偶", NULL, NULL, NULL },
        { child, "子女", NULL, NULL, i % 3 == 0 ? "父母外出务工，由祖父母照看" : NULL },
      };
      ZzOfficialInput off[] = {
        { i % 2 == 0 ? mediator_id : NULL, officials[i % G_N_ELEMENTS (officials)], NULL },
        { NULL, officials[(i + 2) % G_N_ELEMENTS (officials)], "13807431234" },
      };
      ZzHouseholdInput in = { village, address, "符网格长", NULL, members, 2 + (i % 2), off, 2 };
      /* Grades: a third high, a third medium, the rest low; the last few stay ungraded or pending. */
      guint factors = i % 3 == 0 ? (1u << ZZ_RISK_DRUG_USE) | (1u << ZZ_RISK_HEAVY_DEBT)
                    : i % 3 == 1 ? (1u << ZZ_RISK_FAMILY_CONFLICT) | (1u << ZZ_RISK_NEIGHBOUR_DISPUTE)
                    : (1u << ZZ_RISK_ELDERLY_ALONE) | (1u << ZZ_RISK_LEFT_BEHIND_CHILDREN);
      ZzGrade grade = i % 3 == 0 ? ZZ_GRADE_HIGH : i % 3 == 1 ? ZZ_GRADE_MEDIUM : ZZ_GRADE_LOW;
      gint64 graded = day_ms - one_day * (20 + g_rand_int_range (rand, 0, 70));

      zz_store_set_now (store, graded - 3 * one_day);
      if (!zz_store_act_as (store, "clerk", error)
          || !zz_store_register_household (store, &in, &id, error))
        goto fail;
      if (i >= n - 3)
        continue;   /* screened, not assessed yet */
      zz_store_set_now (store, graded - 2 * one_day);
      if (!zz_store_assess_household (store, id, factors, NULL, NULL, NULL, error)
          || !zz_store_propose_grade (store, id, grade, NULL, error))
        goto fail;
      if (i >= n - 6)
        continue;   /* waiting for the village */
      zz_store_set_now (store, graded - one_day);
      if (!zz_store_act_as (store, "mediator", error)
          || !zz_store_sign_grade (store, id, ZZ_SIGNOFF_AGREED, TRUE, "村两委会议研究同意", error))
        goto fail;
      if (i >= n - 8)
        continue;   /* waiting for the township */
      zz_store_set_now (store, graded);
      if (!zz_store_act_as (store, "supervisor", error)
          || !zz_store_sign_grade (store, id, ZZ_SIGNOFF_APPROVED, TRUE, NULL, error))
        goto fail;

      /* Visits since: most on time, every fifth one behind. */
      if (!zz_store_act_as (store, "clerk", error))
        goto fail;
      {
        gint64 step = grade == ZZ_GRADE_HIGH ? 7 : grade == ZZ_GRADE_MEDIUM ? 30 : 90;
        gint64 stop = i % 5 == 0 ? day_ms - one_day * (step + 5 + i % 9) : day_ms - one_day * (1 + i % 4);
        for (gint64 t = graded + one_day * (step - 1); t <= stop; t += one_day * step)
          {
            g_autofree char *vday = zz_store_day_of (t);
            ZzHouseholdVisitInput v = { vday, "符网格长、向主任", found[g_rand_int_range (rand, 0, G_N_ELEMENTS (found))],
                                        i % 4 == 0 ? "继续落实包保责任，每周电话联系。" : NULL, FALSE };
            zz_store_set_now (store, t + 3600000);
            if (!zz_store_log_household_visit (store, id, &v, NULL, error))
              goto fail;
          }
      }
      if (i == 4)
        {
          zz_store_set_now (store, day_ms - one_day * 2);
          if (!zz_store_request_delist (store, id, "户主已迁往外省定居，矛盾已化解", error)
              || !zz_store_act_as (store, "supervisor", error)
              || !zz_store_decide_delist (store, id, TRUE, "经核实同意销号", error))
            goto fail;
        }
    }
  if (!zz_store_commit (store, error))
    return FALSE;
  return zz_store_act_as (store, "admin", error);

fail:
  zz_store_rollback (store);
  return FALSE;
}
