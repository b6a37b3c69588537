/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-demo-cases"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-cases.h"
#include "zz-demo-cases.h"
#include "zz-idcard.h"
#include "zz-store-private.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)
#define HOUR_MS G_GINT64_CONSTANT (3600000)

static const char *surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "向", "彭", "田", "龙", "石", "符",
  "瞿", "滕", "麻", "宋", "舒", "谭", "唐", "邓", "侯", "姚", "粟", "全", "熊", "梁",
};
static const char *given[] = {
  "秀英", "桂花", "建华", "志强", "玉兰", "红梅", "国庆", "永福", "小平", "春生", "金花", "德胜",
  "海燕", "明亮", "丽华", "光辉", "翠兰", "家富", "文军", "晓燕", "长青", "淑珍", "忠诚", "爱民",
  "正清", "友林", "满妹", "春燕", "大山", "茂林", "水生", "香莲",
};

typedef struct {
  const char *category;
  const char *fmt;      /* {v} village, {a} applicant, {r} respondent, {n} amount */
  const char *terms;
} Template;

static const Template templates[] = {
  { "neighbours", "{v}村民{a}与{r}因建房滴水檐相邻通道发生争执", "{r}拆除占用通道的围墙，{a}不再追究，双方保持通道畅通。" },
  { "neighbours", "{a}反映{r}在{v}组院坝堆放柴草阻碍通行", "{r}十日内清理柴草，双方和睦相处。" },
  { "land_forest", "{v}两组因山林界址不清，{a}与{r}砍伐杉木起纠纷", "以原林权证四至为界，{r}赔偿杉木损失{n}元。" },
  { "land_forest", "{a}与{r}争议{v}承包地边界，田埂被挖", "恢复原田埂，{r}补偿青苗费{n}元。" },
  { "labour", "{a}等在{v}工地务工被拖欠工资{n}元，包工头{r}未结算", "{r}于三十日内分两期支付工资{n}元。" },
  { "labour", "{a}在{r}的加工厂受伤，工伤赔偿协商不成", "{r}一次性赔偿医疗费、误工费共{n}元。" },
  { "family", "{v}{a}与丈夫{r}婚姻家庭矛盾激化，涉及子女抚养", "双方自愿和好，{r}保证不再酗酒打骂。" },
  { "family", "{a}年迈无人赡养，子女{r}等互相推诿", "子女每人每月支付赡养费{n}元，轮流照料。" },
  { "debt", "{a}借给{r}现金{n}元到期未还，{v}村委会调处", "{r}于年底前归还借款{n}元。" },
  { "debt", "{a}与{r}因{v}油茶林承包合同款{n}元发生争议", "{r}补交承包款{n}元，合同继续履行。" },
  { "damages", "{r}饲养的耕牛踩坏{a}在{v}的稻田", "{r}赔偿稻谷损失{n}元。" },
  { "damages", "{a}与{r}在{v}发生交通事故，赔偿金额分歧大", "{r}赔偿医疗费等各项损失{n}元。" },
  { "demolition", "{v}{a}对征地补偿标准有异议，与施工方{r}对峙", "按县定标准补偿，另给予搬迁奖励{n}元。" },
  { "medical", "{a}家属认为{v}卫生院{r}医生诊疗延误", "卫生院给予人道补偿{n}元，家属不再追究。" },
  { "other", "{a}反映{r}在{v}饮用水源附近养猪污染水源", "{r}迁移猪圈，清理污染。" },
};

typedef struct {
  ZzStore *store;
  GRand *rand;
  GPtrArray *villages;    /* ZzRow: code, name, parent */
  GPtrArray *departments; /* ids */
  gint64 now;
} Gen;

static const char *
pick (GRand *rand, const char **arr, guint n)
{
  return arr[g_rand_int_range (rand, 0, n)];
}

static char *
person_name (GRand *rand)
{
  return g_strconcat (pick (rand, surnames, G_N_ELEMENTS (surnames)), pick (rand, given, G_N_ELEMENTS (given)), NULL);
}

static char *
id_number (GRand *rand)
{
  g_autofree char *first17 = g_strdup_printf ("433122%04d%02d%02d%03d", 1945 + g_rand_int_range (rand, 0, 60),
                                              g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
                                              g_rand_int_range (rand, 0, 1000));
  g_autofree char *check = zz_idcard_check_char (first17);
  return g_strconcat (first17, check, NULL);
}

static gboolean
load_places (Gen *g, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (g->store, "SELECT code, name, parent FROM org_unit WHERE level = 5"
                                                " AND code GLOB ?1 || '*' ORDER BY code", error);
  g_autoptr(GListModel) deps = NULL;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, zz_store_get_node_org_unit (g->store), -1, SQLITE_STATIC);
  g->villages = g_ptr_array_new_with_free_func (g_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (g->villages, zz_row_new_from_stmt (stmt));
  sqlite3_reset (stmt);
  deps = zz_store_list_departments (g->store);
  g->departments = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (deps); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (deps, i);
      g_ptr_array_add (g->departments, g_strdup (zz_row_get_id (r)));
    }
  if (g->villages->len == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("No villages in this centre’s area: import the divisions first."));
      return FALSE;
    }
  return TRUE;
}

static void
gen_clear (Gen *g)
{
  g_clear_pointer (&g->villages, g_ptr_array_unref);
  g_clear_pointer (&g->departments, g_ptr_array_unref);
  g_clear_pointer (&g->rand, g_rand_free);
}

static char *
fill (const char *tmpl, const char *village, const char *a, const char *r, int amount)
{
  g_autoptr(GString) s = g_string_new (tmpl);
  g_autofree char *n = g_strdup_printf ("%d", amount);

  g_string_replace (s, "{v}", village, 0);
  g_string_replace (s, "{a}", a, 0);
  g_string_replace (s, "{r}", r, 0);
  g_string_replace (s, "{n}", n, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
as (Gen *g, const char *login, gint64 t, GError **error)
{
  zz_store_set_now (g->store, t);
  return zz_store_act_as (g->store, login, error);
}

static gboolean
attempt (Gen *g, const char *case_id, int level, const char *place, const char *result, const char *terms,
         gboolean joint, gint64 t, char **out_id, GError **error)
{
  const char *deps[3] = { NULL, NULL, NULL };
  static const char *mediators[] = { "村调委会 田志刚", "村支书 向永福", "镇司法所 彭丽华、派出所 龙文军",
                                     "县人民调解中心 舒长青、县司法局 石光辉", "州人民调解中心 滕明亮" };
  ZzAttemptInput in = {
    .case_id = case_id,
    .held_at = t,
    .place = place,
    .mediators = mediators[level == 0 ? g_rand_int_range (g->rand, 0, 2) : MIN (level + 1, 4)],
    .parties_present = "双方当事人",
    .method = joint ? "joint" : (g_rand_int_range (g->rand, 0, 4) ? "on_site" : "back_to_back"),
    .result = result,
    .terms = terms,
  };

  if (joint && g->departments->len >= 2)
    {
      guint a = g_rand_int_range (g->rand, 0, g->departments->len);
      deps[0] = g->departments->pdata[a];
      deps[1] = g->departments->pdata[(a + 1 + g_rand_int_range (g->rand, 0, g->departments->len - 1)) % g->departments->len];
      in.department_ids = deps;
    }
  if (!as (g, "mediator", t, error))
    return FALSE;
  return zz_store_record_mediation (g->store, &in, out_id, error);
}

/* One case's life, stopping at @end (now). */
static gboolean
one_case (Gen *g, gint64 t0, GError **error)
{
  ZzRow *village = g->villages->pdata[g_rand_int_range (g->rand, 0, g->villages->len)];
  const Template *tp = &templates[g_rand_int_range (g->rand, 0, G_N_ELEMENTS (templates))];
  g_autofree char *a = person_name (g->rand);
  g_autofree char *r = person_name (g->rand);
  g_autofree char *a_phone = g_strdup_printf ("1%d%d%08d", 3 + g_rand_int_range (g->rand, 0, 7),
                                              g_rand_int_range (g->rand, 0, 10), g_rand_int_range (g->rand, 0, 100000000));
  g_autofree char *a_id = g_rand_int_range (g->rand, 0, 3) ? id_number (g->rand) : NULL;
  int amount = 500 * g_rand_int_range (g->rand, 1, 60);
  g_autofree char *summary = fill (tp->fmt, zz_row_get (village, "name"), a, r, amount);
  g_autofree char *terms = fill (tp->terms, zz_row_get (village, "name"), a, r, amount);
  g_autofree char *case_id = NULL;
  g_autofree char *agreement = NULL;
  g_autofree char *place_v = g_strdup_printf ("%s综治中心", zz_row_get (village, "name"));
  static const char *sources[] = { "walk_in", "walk_in", "phone", "hotline", "police", "grid", "grid" };
  static const char *urgencies[] = { "normal", "normal", "normal", "urgent", "critical" };
  static const char *risks[] = { "low", "low", "medium", "medium", "high" };
  ZzPartyInput parties[] = {
    { .role = "applicant", .name = a, .phone = a_phone, .id_number = a_id },
    { .role = "respondent", .name = r },
  };
  gboolean township_home = g_rand_int_range (g->rand, 0, 10) == 0;
  ZzCaseInput in = {
    .source = sources[g_rand_int_range (g->rand, 0, G_N_ELEMENTS (sources))],
    .category = tp->category,
    .summary = summary,
    .home = township_home ? zz_row_get (village, "parent") : zz_row_get (village, "code"),
    .risk = risks[g_rand_int_range (g->rand, 0, G_N_ELEMENTS (risks))],
    .urgency = urgencies[g_rand_int_range (g->rand, 0, G_N_ELEMENTS (urgencies))],
    .parties = parties,
    .n_parties = 2,
  };
  g_autofree char *ext = g_str_equal (in.source, "hotline") ? g_strdup_printf ("12345-%06d", g_rand_int_range (g->rand, 0, 999999)) : NULL;
  gint64 t = t0;
  int stage = g_rand_int_range (g->rand, 0, 100);
  int level_tries;
  gboolean resolved = FALSE;

  in.external_ref = ext;
  if (!as (g, g_rand_int_range (g->rand, 0, 2) ? "clerk" : "mediator", t, error)
      || !zz_store_register_case (g->store, &in, &case_id, error))
    return FALSE;
  if (stage < 10)
    return TRUE;   /* just registered */

  /* Dispatch: mostly accepted; some returned and sent elsewhere. */
  if (g_rand_int_range (g->rand, 0, 3) == 0 && g->departments->len)
    {
      g_autofree char *d = NULL;
      t += 2 * HOUR_MS;
      if (t > g->now)
        return TRUE;
      if (!as (g, "mediator", t, error)
          || !zz_store_dispatch_case (g->store, case_id, g->departments->pdata[g_rand_int_range (g->rand, 0, g->departments->len)],
                                      NULL, 0, "请依职责办理并按期反馈", &d, error))
        return FALSE;
      t += DAY_MS;
      if (t > g->now || stage < 18)
        return TRUE;   /* waiting for an answer: may become overdue */
      if (!as (g, "mediator", t, error))
        return FALSE;
      if (g_rand_int_range (g->rand, 0, 6) == 0)
        {
          if (!zz_store_return_dispatch (g->store, d, "不属本部门职责，建议由属地调解", error))
            return FALSE;
        }
      else if (!zz_store_accept_dispatch (g->store, d, error))
        return FALSE;
    }

  /* The tier rule: village up to 3, township up to 2, county joint consultation. */
  for (int level = 0; level < 3 && !resolved; level++)
    {
      const char *place = level == 0 ? place_v : level == 1 ? "乡镇综治中心" : "泸溪县综治中心";
      int max = level == 0 ? 3 : level == 1 ? 2 : 1;

      if (township_home && level == 0)
        continue;
      for (level_tries = 0; level_tries < max && !resolved; level_tries++)
        {
          /* Shares as the seed reports: most disputes end at the village and township. */
          int chance = level == 0 ? 25 : level == 1 ? 25 : 92;
          gboolean ok = g_rand_int_range (g->rand, 0, 100) < chance;
          t += (1 + g_rand_int_range (g->rand, 0, 5)) * DAY_MS;
          if (t > g->now)
            return TRUE;
          g_clear_pointer (&agreement, g_free);
          g_clear_pointer (&agreement, g_free);   /* the last attempt's id is the one kept */
          if (!attempt (g, case_id, level, place, ok ? "agreement" : "failed", ok ? terms : NULL, level == 2, t, &agreement, error))
            return FALSE;
          resolved = ok;
        }
      if (!resolved)
        {
          t += HOUR_MS;
          if (t > g->now || stage < 12)
            return TRUE;   /* still open, possibly overdue */
          if (!as (g, "mediator", t, error)
              || !zz_store_escalate_case (g->store, case_id, level == 0 ? "村级调解未果，提交乡镇联调" : "乡级调解未果，提请县级联合会商", error))
            return FALSE;
        }
    }
  if (!resolved)
    {
      /* The prefecture takes the rest. */
      t += 3 * DAY_MS;
      if (t > g->now)
        return TRUE;
      g_clear_pointer (&agreement, g_free);
      if (!attempt (g, case_id, 3, "州综治中心", "agreement", terms, FALSE, t, &agreement, error))
        return FALSE;
    }
  t += HOUR_MS;
  if (t > g->now)
    return TRUE;
  if (!as (g, "mediator", t, error) || !zz_store_conclude_case (g->store, case_id, "调解成功，达成协议", error))
    return FALSE;
  t += DAY_MS;
  if (t > g->now || stage < 35)
    return TRUE;
  if (!zz_store_record_fulfilment (g->store, agreement, g_rand_int_range (g->rand, 0, 8) ? "full" : "partial", NULL, error))
    return FALSE;
  if (!as (g, "clerk", t, error) || !zz_store_record_feedback (g->store, case_id, "已电话告知当事人调解结果", error))
    return FALSE;
  t += 5 * DAY_MS;
  if (t > g->now || stage < 50)
    return TRUE;
  {
    int s = g_rand_int_range (g->rand, 0, 20);
    const char *sat = s < 15 ? "satisfied" : s < 19 ? "basic" : "dissatisfied";
    if (!as (g, "clerk", t, error)
        || !zz_store_record_return_visit (g->store, case_id, sat, s < 19 ? "当事人对结果认可" : "认为赔偿偏低，要求复核", error))
      return FALSE;
    if (s >= 19)
      return TRUE;
  }
  t += DAY_MS;
  if (t > g->now || stage < 70)
    return TRUE;
  return as (g, "mediator", t, error) && zz_store_archive_case (g->store, case_id, error);
}

static int
compare_ms (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

gboolean
zz_demo_cases (ZzStore *store, guint n, gint64 now_ms, ZzProgressFunc progress, gpointer progress_data,
               GError **error)
{
  Gen g = { .store = store, .rand = g_rand_new_with_seed (4331), .now = now_ms ? now_ms : g_get_real_time () / 1000 };
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok = FALSE;

  if (!load_places (&g, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      gint64 t0 = g.now - (gint64) g_rand_double_range (g.rand, 0, 90) * DAY_MS - g_rand_int_range (g.rand, 0, 9) * HOUR_MS;
      g_array_append_val (starts, t0);
    }
  g_array_sort (starts, compare_ms);
  if (!zz_store_begin (store, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      if (!one_case (&g, g_array_index (starts, gint64, i), error))
        {
          zz_store_rollback (store);
          goto out;
        }
      if (progress && i % 64 == 0)
        progress ((double) i / n, progress_data);
    }
  /* Supervisors note the most overdue; the centre blows the whistle on a few. */
  {
    g_autoptr(GListModel) overdue = NULL;
    if (!as (&g, "supervisor", g.now - HOUR_MS, error))
      {
        zz_store_rollback (store);
        goto out;
      }
    overdue = zz_store_list_supervision (store, 12);
    for (guint i = 0; i < g_list_model_get_n_items (overdue); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (overdue, i);
        if (!zz_store_add_supervision_note (store, zz_row_get_id (r), "已超期，请三日内办结并报送进展", error))
          {
            zz_store_rollback (store);
            goto out;
          }
        if (i < 3 && g.departments->len >= 3)
          {
            const char *deps[] = { g.departments->pdata[0], g.departments->pdata[3 % g.departments->len],
                                   g.departments->pdata[7 % g.departments->len], NULL };
            g_autofree char *w = NULL;
            if (!zz_store_blow_whistle (store, zz_row_get_id (r), deps, "明日上午九点到中心会商", &w, error)
                || !zz_store_whistle_report (store, w, deps[0], "acknowledged", error))
              {
                zz_store_rollback (store);
                goto out;
              }
          }
      }
  }
  ok = zz_store_commit (store, error);
out:
  zz_store_set_now (store, 0);
  gen_clear (&g);
  return ok;
}

gboolean
zz_demo_bulk_cases (ZzStore *store, guint n, ZzProgressFunc progress, gpointer progress_data, GError **error)
{
  Gen g = { .store = store, .rand = g_rand_new_with_seed (500000), .now = g_get_real_time () / 1000 };
  g_autofree char *tag = zz_case_node_tag (zz_store_get_node_id (store));
  const char *unit = zz_store_get_node_org_unit (store);
  const char *author = zz_store_get_user_id (store);
  gboolean ok = FALSE;

  if (!load_places (&g, error) || !zz_store_begin (store, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      ZzRow *village = g.villages->pdata[g_rand_int_range (g.rand, 0, g.villages->len)];
      const Template *tp = &templates[g_rand_int_range (g.rand, 0, G_N_ELEMENTS (templates))];
      g_autofree char *a = person_name (g.rand);
      g_autofree char *r = person_name (g.rand);
      /* Unique phones and ID numbers, as the population has. */
      g_autofree char *a_phone = g_strdup_printf ("13%09u", i);
      g_autofree char *r_phone = g_strdup_printf ("15%09u", i);
      g_autofree char *first17 = g_strdup_printf ("433122%04d%02d%02d%03u", 1945 + (int) (i % 60), 1 + (int) (i / 60 % 12),
                                                  1 + (int) (i / 720 % 28), i % 1000);
      g_autofree char *check = zz_idcard_check_char (first17);
      g_autofree char *a_id = g_strconcat (first17, check, NULL);
      int amount = 500 * g_rand_int_range (g.rand, 1, 60);
      g_autofree char *summary = fill (tp->fmt, zz_row_get (village, "name"), a, r, amount);
      g_autofree char *number = zz_case_number_format (unit, 2020 + (int) (i * 6 / n), i + 1, tag);
      g_autofree char *case_id = zz_store_new_id (store);
      g_autofree char *pa = zz_store_new_id (store);
      g_autofree char *pr = zz_store_new_id (store);
      g_autofree char *ca = zz_store_new_id (store);
      g_autofree char *cr = zz_store_new_id (store);
      const char *home = zz_row_get (village, "code");
      gint64 reg = g.now - (gint64) (n - i) * 5 * 60000;
      static const char *statuses[] = { "registered", "in_progress", "in_progress", "concluded", "concluded",
                                        "archived", "archived", "archived", "dispatched", "reopened" };
      const char *status = statuses[g_rand_int_range (g.rand, 0, G_N_ELEMENTS (statuses))];
      static const char *levels[] = { "village", "village", "village", "township", "township", "county" };
      ZzField fa[] = { ZZ_F_TEXT ("name", a), ZZ_F_TEXT ("phone", a_phone), ZZ_F_TEXT ("id_number", a_id) };
      ZzField fr[] = { ZZ_F_TEXT ("name", r), ZZ_F_TEXT ("phone", r_phone), ZZ_F_NULL ("id_number") };
      ZzField fc[] = {
        ZZ_F_TEXT ("number", number),
        ZZ_F_TEXT ("source", "walk_in"),
        ZZ_F_TEXT ("category", tp->category),
        ZZ_F_TEXT ("summary", summary),
        ZZ_F_TEXT ("risk", "low"),
        ZZ_F_TEXT ("urgency", "normal"),
        ZZ_F_TEXT ("first_responder_id", author),
        ZZ_F_INT ("registered_at", reg),
        ZZ_F_TEXT ("registered_unit", unit),
        ZZ_F_TEXT ("level", levels[g_rand_int_range (g.rand, 0, G_N_ELEMENTS (levels))]),
        ZZ_F_TEXT ("status", status),
        ZZ_F_INT ("deadline_at", reg + 15 * DAY_MS),
      };
      ZzField fpa[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("role", "applicant"), ZZ_F_TEXT ("person_id", pa), ZZ_F_NULL ("org_name") };
      ZzField fpr[] = { ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("role", "respondent"), ZZ_F_TEXT ("person_id", pr), ZZ_F_NULL ("org_name") };

      if (!zz_store_insert_row (store, "person", pa, home, fa, 3, error)
          || !zz_store_insert_row (store, "person", pr, home, fr, 3, error)
          || !zz_store_insert_row (store, "case_file", case_id, home, fc, G_N_ELEMENTS (fc), error)
          || !zz_store_insert_row (store, "case_party", ca, home, fpa, 4, error)
          || !zz_store_insert_row (store, "case_party", cr, home, fpr, 4, error))
        {
          zz_store_rollback (store);
          goto out;
        }
      if (i % 3 == 0)
        {
          g_autofree char *m = zz_store_new_id (store);
          ZzField fm[] = {
            ZZ_F_TEXT ("case_id", case_id), ZZ_F_TEXT ("level", "village"), ZZ_F_INT ("number", 1),
            ZZ_F_INT ("held_at", reg + DAY_MS), ZZ_F_TEXT ("place", "村综治中心"), ZZ_F_TEXT ("mediators", "村调委会"),
            ZZ_F_TEXT ("method", "on_site"), ZZ_F_TEXT ("result", "failed"), ZZ_F_INT ("recorded_at", reg + DAY_MS),
            ZZ_F_TEXT ("recorded_by", author),
          };
          if (!zz_store_insert_row (store, "mediation_attempt", m, home, fm, G_N_ELEMENTS (fm), error))
            {
              zz_store_rollback (store);
              goto out;
            }
        }
      if (progress && i % 1024 == 0)
        progress ((double) i / n, progress_data);
    }
  ok = zz_store_commit (store, error);
out:
  gen_clear (&g);
  return ok;
}
