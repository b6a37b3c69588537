/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "zz-households.h"
#include "zz-idcard.h"
#include "zz-reference.h"
#include "zz-demo-cases.h"
#include "zz-demo-stats.h"
#include "zz-demo-sync.h"
#include "zz-store-private.h"

static const ZzDemoUser demo_users[] = {
  { "admin", "Admin2024", "张建国", ZZ_ROLE_ADMIN },
  { "clerk", "Clerk2024", "李秀梅", ZZ_ROLE_CLERK },
  { "mediator", "Mediator2024", "王德明", ZZ_ROLE_MEDIATOR },
  { "supervisor", "Super2024", "刘志强", ZZ_ROLE_SUPERVISOR },
};

const ZzDemoUser *
zz_demo_users (guint *n)
{
  if (n)
    *n = G_N_ELEMENTS (demo_users);
  return demo_users;
}

/* The folder an installed program was installed under: "" when it runs as BINDIR/zongzhi-cli
 * (the package), "/tmp/x" when it runs as /tmp/x/BINDIR/zongzhi-cli (a staged install, `meson
 * install --destdir`). NULL when it runs from the build tree or elsewhere. */
static char *
install_root (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;

  if (!dir || !g_str_has_suffix (dir, BINDIR))
    return NULL;
  return g_strndup (dir, strlen (dir) - strlen (BINDIR));
}

const char *
zz_data_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("ZZ_DATADIR");
      g_autofree char *root = install_root ();
      g_autofree char *probe = g_build_filename (SOURCE_DATADIR, "divisions", "villages.csv", NULL);
      char *found;

      /* an installed program reads its own installed data, never a source tree */
      if (env && *env)
        found = g_strdup (env);
      else if (root)
        found = g_strconcat (root, PKGDATADIR, NULL);
      else if (g_file_test (probe, G_FILE_TEST_EXISTS))
        found = g_strdup (SOURCE_DATADIR);
      else
        found = g_strdup (PKGDATADIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

const char *
zz_locale_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("ZZ_LOCALEDIR");
      g_autofree char *root = install_root ();
      char *found;

      if (env && *env)
        found = g_strdup (env);
      else if (root)
        found = g_strconcat (root, LOCALEDIR, NULL);
      else
        found = g_strdup (LOCALEDIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

static const char *surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "向", "彭", "田", "龙", "石", "符",
  "瞿", "滕", "麻", "宋", "舒", "谭", "唐", "邓",
};
static const char *given[] = {
  "秀英", "桂花", "建华", "志强", "玉兰", "红梅", "国庆", "永福", "小平", "春生", "金花", "德胜",
  "海燕", "明亮", "丽华", "光辉", "翠兰", "家富", "文军", "晓燕", "长青", "淑珍", "忠诚", "爱民",
};

typedef struct {
  const char *purpose;
  const char *category;
  int window;   /* index into the default departments */
} DemoMatter;

/* What walks in at a county centre on an ordinary day. */
static const DemoMatter matters[] = {
  { "邻居建房占用通道，多次协商未果", "neighbours", 4 },
  { "工地拖欠三个月工资，请求帮助追讨", "labour", 5 },
  { "土地承包经营权边界争议", "land_forest", 6 },
  { "咨询离婚财产分割及子女抚养问题", "family", 3 },
  { "申请法律援助，交通事故赔偿纠纷", "damages", 3 },
  { "反映村组集体收益分配不公", "other", 0 },
  { "咨询民事诉讼立案需要的材料", "debt", 1 },
  { "山林权属纠纷，相邻两组争执", "land_forest", 6 },
  { "家庭赡养纠纷，子女不履行赡养义务", "family", 8 },
  { "网购诈骗，咨询报案流程", "other", 7 },
  { "申请低保，了解办理条件", "other", 9 },
  { "对判决执行进度有异议", "debt", 1 },
  { "征地补偿款发放有疑问", "demolition", 0 },
  { "邻里噪音扰民多次调解未果", "neighbours", 4 },
  { "劳动合同解除经济补偿争议", "labour", 5 },
  { "咨询遗嘱公证办理", "family", 3 },
};

static char *
demo_id_number (GRand *rand, int year)
{
  static const char *regions[] = { "433122", "433101", "433123", "433124", "433125", "433126", "433127", "433130" };
  g_autofree char *first17 = g_strdup_printf ("%s%04d%02d%02d%03d", regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))],
                                              year, g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
                                              g_rand_int_range (rand, 0, 1000));
  g_autofree char *check = zz_idcard_check_char (first17);

  return g_strconcat (first17, check, NULL);
}

static gint64
at_time (GDateTime *day, int hour, int minute, int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                   g_date_time_get_day_of_month (day), hour, minute, second);
  return g_date_time_to_unix (dt) * 1000;
}

typedef struct {
  char *name;
  char *phone;
  char *id_number;
} DemoPerson;

static void
demo_person_clear (DemoPerson *p)
{
  g_free (p->name);
  g_free (p->phone);
  g_free (p->id_number);
}

static gboolean
register_at (ZzStore *store, GListModel *windows, DemoPerson *p, const DemoMatter *m, gint64 when,
             int people, char **out_ticket, GError **error)
{
  g_autoptr(ZzRow) w = g_list_model_get_item (windows, MIN ((guint) m->window, g_list_model_get_n_items (windows) - 1));
  ZzVisitInput in = {
    .name = p->name, .phone = p->phone, .id_number = p->id_number, .people = people,
    .purpose = m->purpose, .category = m->category, .window_id = zz_row_get_id (w),
  };

  zz_store_set_now (store, when);
  return zz_store_register_visit (store, &in, NULL, out_ticket, error);
}

static const char *
pick_outcome (GRand *rand)
{
  int r = g_rand_int_range (rand, 0, 100);

  if (r < 62) return "answered";
  if (r < 77) return "to_case";
  if (r < 92) return "referred";
  return "left";
}

gboolean
zz_demo_create (const char     *path,
                gint64          day_ms,
                ZzProgressFunc  progress,
                gpointer        progress_data,
                GError        **error)
{
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20241128);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GListModel) windows = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autoptr(GArray) persons = g_array_new (FALSE, TRUE, sizeof (DemoPerson));
  const ZzDefaultDepartment *depts;
  guint n_depts;
  const int n_persons = 70, n_today = 64, n_past = 40;

  g_array_set_clear_func (persons, (GDestroyNotify) demo_person_clear);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("%s already exists; the demo is only written to a new file."), path);
      return FALSE;
    }
  store = zz_store_open (path, error);
  if (!store)
    return FALSE;
  day = day_ms ? g_date_time_new_from_unix_local (day_ms / 1000) : g_date_time_new_now_local ();
  zz_store_set_now (store, at_time (day, 7, 50, 0) - 40 * 86400000LL);

  if (!zz_store_import_divisions (store, divisions, "4331", NULL, NULL, NULL, NULL, error))
    return FALSE;
  if (progress)
    progress (0.2, progress_data);
  if (!zz_store_setup_node (store, "433122", "泸溪县综治中心", demo_users[0].login, demo_users[0].name,
                            demo_users[0].password, error)
      || !zz_store_act_as (store, demo_users[0].login, error))
    return FALSE;
  for (guint i = 1; i < G_N_ELEMENTS (demo_users); i++)
    if (!zz_store_create_user (store, demo_users[i].login, demo_users[i].name, demo_users[i].role,
                               demo_users[i].password, NULL, error))
      return FALSE;
  depts = zz_default_departments (&n_depts);
  for (guint i = 0; i < n_depts; i++)
    if (!zz_store_save_department (store, NULL, depts[i].name, i + 1, depts[i].stationing, depts[i].weekdays,
                                   NULL, error))
      return FALSE;
  if (progress)
    progress (0.4, progress_data);

  if (!zz_store_act_as (store, "clerk", error))
    return FALSE;
  windows = zz_store_list_windows (store);

  for (int i = 0; i < n_persons; i++)
    {
      DemoPerson p = { 0 };
      p.name = g_strconcat (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                            given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))], NULL);
      p.phone = g_strdup_printf ("1%d%d%08d", 3 + g_rand_int_range (rand, 0, 7), g_rand_int_range (rand, 0, 10),
                                 g_rand_int_range (rand, 0, 100000000));
      /* About two in three visitors show an ID card. */
      if (g_rand_int_range (rand, 0, 3) != 0)
        p.id_number = demo_id_number (rand, 1950 + g_rand_int_range (rand, 0, 55));
      g_array_append_val (persons, p);
    }

  /* Earlier visits, so that returning visitors are recognised at the desk. */
  if (!zz_store_begin (store, error))
    return FALSE;
  for (int i = 0; i < n_past; i++)
    {
      g_autoptr(GDateTime) past = g_date_time_add_days (day, -1 - g_rand_int_range (rand, 0, 30));
      DemoPerson *p = &g_array_index (persons, DemoPerson, g_rand_int_range (rand, 0, 25));
      const DemoMatter *m = &matters[g_rand_int_range (rand, 0, G_N_ELEMENTS (matters))];
      gint64 when = at_time (past, 9 + g_rand_int_range (rand, 0, 7), g_rand_int_range (rand, 0, 60), 0);
      g_autofree char *ticket = NULL;

      if (!register_at (store, windows, p, m, when, 1, &ticket, error))
        goto fail;
      zz_store_set_now (store, when + 60000 * g_rand_int_range (rand, 3, 25));
      if (!zz_store_start_service (store, ticket, error))
        goto fail;
      zz_store_set_now (store, zz_store_now (store) + 60000 * g_rand_int_range (rand, 5, 30));
      /* Some matters were to become cases: they show as open when the visitor comes back. */
      if (!zz_store_finish_ticket (store, ticket, i % 4 == 0 ? "to_case" : "answered",
                                                 NULL, NULL, NULL, error))
        goto fail;
    }
  if (!zz_store_commit (store, error))
    return FALSE;
  if (progress)
    progress (0.6, progress_data);

  /* Today: visitors from 08:30, roughly every six minutes; the last ones are still waiting. */
  if (!zz_store_begin (store, error))
    return FALSE;
  {
    g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func (g_free);
    gint64 t = at_time (day, 8, 30, 0);

    for (int i = 0; i < n_today; i++)
      {
        DemoPerson *p = &g_array_index (persons, DemoPerson, i < 10 ? i : 10 + g_rand_int_range (rand, 0, n_persons - 10));
        const DemoMatter *m = &matters[g_rand_int_range (rand, 0, G_N_ELEMENTS (matters))];
        char *ticket = NULL;

        t += 60000 * g_rand_int_range (rand, 2, 11);
        if (!register_at (store, windows, p, m, t, 1 + (g_rand_int_range (rand, 0, 10) == 0 ? 2 : 0), &ticket, error))
          goto fail;
        g_ptr_array_add (tickets, ticket);
      }
    /* Serve all but the last few, in order, as the windows would. */
    t = at_time (day, 8, 40, 0);
    for (guint i = 0; i + 9 < tickets->len; i++)
      {
        const char *id = tickets->pdata[i];
        g_autoptr(ZzRow) row = zz_store_get_ticket (store, id);
        const char *outcome = pick_outcome (rand);
        const char *refer = NULL;

        t = MAX (t, zz_row_get_int (row, "issued_at")) + 60000 * g_rand_int_range (rand, 1, 12);
        zz_store_set_now (store, t);
        if (g_str_equal (outcome, "left"))
          {
            if (!zz_store_finish_ticket (store, id, "left", NULL, NULL, NULL, error))
              goto fail;
            continue;
          }
        if (!zz_store_start_service (store, id, error))
          goto fail;
        zz_store_set_now (store, t + 60000 * g_rand_int_range (rand, 4, 20));
        if (g_str_equal (outcome, "referred"))
          {
            g_autoptr(ZzRow) w = g_list_model_get_item (windows, (zz_row_get_int (row, "window_number") % 4));
            refer = zz_row_get_id (w);
            if (g_strcmp0 (refer, zz_row_get (row, "window_id")) == 0)
              outcome = "answered";
          }
        if (!zz_store_finish_ticket (store, id, outcome, g_str_equal (outcome, "referred") ? refer : NULL,
                                     NULL, NULL, error))
          goto fail;
      }
    /* At the windows now: one visitor being served, the next one called. */
    if (tickets->len > 9)
      {
        g_autoptr(ZzRow) next = zz_store_get_ticket (store, tickets->pdata[tickets->len - 8]);

        zz_store_set_now (store, t + 60000);
        if (!zz_store_start_service (store, tickets->pdata[tickets->len - 9], error))
          goto fail;
        zz_store_set_now (store, t + 120000);
        if (!zz_store_call_next (store, zz_row_get (next, "window_id"), NULL, error))
          goto fail;
      }
  }
  if (!zz_store_commit (store, error))
    return FALSE;
  if (!zz_demo_households (store, day, error))
    return FALSE;
  if (!zz_demo_cases (store, zz_demo_get_case_count (), at_time (day, 7, 30, 0), NULL, NULL, error))
    return FALSE;
  if (!zz_demo_stats_recent (store, at_time (day, 7, 30, 0), error))
    return FALSE;
  zz_store_set_now (store, 0);
  if (!zz_demo_sync (store, error))
    return FALSE;
  if (progress)
    progress (1.0, progress_data);
  return TRUE;

fail:
  zz_store_rollback (store);
  return FALSE;
}
