/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zz-bench.h"
#include "zz-idcard.h"
#include "zz-store-private.h"
#include "zz-uuid.h"

ZzStore *
zz_bench_county_store (const char *path, const char *centre_name, GError **error)
{
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  g_autoptr(ZzStore) store = zz_store_open (path, error);

  if (!store
      || !zz_store_import_divisions (store, divisions, "433122", NULL, NULL, NULL, NULL, error)
      || !zz_store_setup_node (store, "433122", centre_name, "admin", "管理员", "Bench2024", error)
      || !zz_store_act_as (store, "admin", error))
    return NULL;
  return g_steal_pointer (&store);
}

long
zz_bench_proc_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(p = strstr (status, field)))
    return -1;
  return strtol (p + strlen (field) + 1, NULL, 10);
}

int
zz_bench_cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

void
zz_bench_progress (double fraction, gpointer what)
{
  if (isatty (2))
    g_printerr ("\r  %s… %3d%%", what ? (const char *) what : "generating", (int) (fraction * 100));
}

typedef struct {
  char name[32];
  char phone[16];
  char id_number[20];
  int window;
} BenchVisitor;

static void
make_visitors (BenchVisitor *v, guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const char *surnames[] = { "王", "李", "张", "刘", "陈", "杨", "向", "彭", "田", "龙" };
  static const char *given[] = { "秀英", "建华", "志强", "玉兰", "国庆", "春生", "德胜", "海燕" };

  for (guint i = 0; i < n; i++)
    {
      char first17[18];
      g_autofree char *check = NULL;

      g_snprintf (v[i].name, sizeof v[i].name, "%s%s", surnames[g_rand_int_range (rand, 0, 10)],
                  given[g_rand_int_range (rand, 0, 8)]);
      g_snprintf (v[i].phone, sizeof v[i].phone, "139%08u", i);
      g_snprintf (first17, sizeof first17, "433122%04d%02d%02d%03u", 1950 + g_rand_int_range (rand, 0, 50),
                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29), i % 1000);
      check = zz_idcard_check_char (first17);
      g_snprintf (v[i].id_number, sizeof v[i].id_number, "%s%s", first17, check);
      v[i].window = i % 14;
    }
}

static ZzStore *
bench_store (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(ZzStore) store = zz_bench_county_store (path, "泸溪县综治中心", error);

  if (!store)
    return NULL;
  for (int i = 0; i < 14; i++)
    {
      g_autofree char *dept = g_strdup_printf ("部门%d", i + 1);
      if (!zz_store_save_department (store, NULL, dept, i + 1, "permanent", 31, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&store);
}

static double
bench_verb (ZzStore *store, BenchVisitor *v, guint n, gboolean batch, GError **error)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (store);
  g_autoptr(GPtrArray) window_ids = g_ptr_array_new_with_free_func (g_free);
  gint64 start;

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (windows, i);
      g_ptr_array_add (window_ids, g_strdup (zz_row_get_id (w)));
    }
  start = g_get_monotonic_time ();
  if (batch && !zz_store_begin (store, error))
    return -1;
  for (guint i = 0; i < n; i++)
    {
      ZzVisitInput in = {
        .name = v[i].name, .phone = v[i].phone, .id_number = v[i].id_number, .people = 1,
        .purpose = "咨询劳动合同解除经济补偿争议", .category = "labour",
        .window_id = window_ids->pdata[v[i].window],
      };
      if (!zz_store_register_visit (store, &in, NULL, NULL, error))
        return -1;
    }
  if (batch && !zz_store_commit (store, error))
    return -1;
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The same rows as the verb writes (person, visit, ticket), inserted with plain prepared
 * statements, one transaction per registration like the verb: the floor for this schema. */
static double
bench_raw (ZzStore *store, BenchVisitor *v, guint n, gboolean batch, GError **error)
{
  g_autoptr(GListModel) windows = zz_store_list_windows (store);
  g_autoptr(GPtrArray) window_ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *person, *visit, *ticket;
  g_autofree char *day = zz_store_day_of (zz_store_now (store));
  gint64 start;

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (windows, i);
      g_ptr_array_add (window_ids, g_strdup (zz_row_get_id (w)));
    }
  person = zz_store_stmt (store, "INSERT INTO person (id, home, created_hlc, updated_hlc, name, phone, id_number)"
                                 " VALUES (?, '433122', 1, 1, ?, ?, ?)", error);
  visit = zz_store_stmt (store, "INSERT INTO visit (id, home, created_hlc, updated_hlc, person_id, people, purpose,"
                                " category, arrived_at, day, clerk_id, status) VALUES (?, '433122', 1, 1, ?, 1, ?, ?, ?, ?, ?, 'open')", error);
  ticket = zz_store_stmt (store, "INSERT INTO ticket (id, home, created_hlc, updated_hlc, visit_id, window_id, day,"
                                 " number, status, issued_at) VALUES (?, '433122', 1, 1, ?, ?, ?, ?, 'waiting', ?)", error);
  if (!person || !visit || !ticket)
    return -1;

  start = g_get_monotonic_time ();
  if (batch && !zz_store_exec (store, "BEGIN IMMEDIATE", error))
    return -1;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pid = zz_uuid7_new ();
      g_autofree char *vid = zz_uuid7_new ();
      g_autofree char *tid = zz_uuid7_new ();
      gint64 now = g_get_real_time () / 1000;

      if (!batch && !zz_store_exec (store, "BEGIN IMMEDIATE", error))
        return -1;
      sqlite3_reset (person);
      sqlite3_bind_text (person, 1, pid, -1, SQLITE_STATIC);
      sqlite3_bind_text (person, 2, v[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (person, 3, v[i].phone, -1, SQLITE_STATIC);
      sqlite3_bind_text (person, 4, v[i].id_number, -1, SQLITE_STATIC);
      sqlite3_reset (visit);
      sqlite3_bind_text (visit, 1, vid, -1, SQLITE_STATIC);
      sqlite3_bind_text (visit, 2, pid, -1, SQLITE_STATIC);
      sqlite3_bind_text (visit, 3, "咨询劳动合同解除经济补偿争议", -1, SQLITE_STATIC);
      sqlite3_bind_text (visit, 4, "labour", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (visit, 5, now);
      sqlite3_bind_text (visit, 6, day, -1, SQLITE_STATIC);
      sqlite3_bind_text (visit, 7, zz_store_get_user_id (store), -1, SQLITE_STATIC);
      sqlite3_reset (ticket);
      sqlite3_bind_text (ticket, 1, tid, -1, SQLITE_STATIC);
      sqlite3_bind_text (ticket, 2, vid, -1, SQLITE_STATIC);
      sqlite3_bind_text (ticket, 3, window_ids->pdata[v[i].window], -1, SQLITE_STATIC);
      sqlite3_bind_text (ticket, 4, day, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ticket, 5, i + 1);
      sqlite3_bind_int64 (ticket, 6, now);
      if (!zz_store_step_done (store, person, error) || !zz_store_step_done (store, visit, error)
          || !zz_store_step_done (store, ticket, error) || (!batch && !zz_store_exec (store, "COMMIT", error)))
        return -1;
    }
  if (batch && !zz_store_exec (store, "COMMIT", error))
    return -1;
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
bench_reception (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-bench-XXXXXX", &error);
  g_autofree BenchVisitor *visitors = g_new0 (BenchVisitor, n);
  g_autoptr(ZzStore) verb_store = NULL;
  g_autoptr(ZzStore) raw_store = NULL;
  g_autoptr(ZzStore) verb_batch = NULL;
  g_autoptr(ZzStore) raw_batch = NULL;
  double t_verb_batch, t_raw_batch;
  g_autoptr(ZzStore) hunan = NULL;
  g_autofree char *hunan_path = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  gint64 ops_before, ops_after;
  double t_verb, t_raw, t_div;
  guint count = 0;
  gint64 start;

  if (!dir)
    goto fail;
  make_visitors (visitors, n);

  verb_store = bench_store (dir, "verb.db", &error);
  raw_store = bench_store (dir, "raw.db", &error);
  if (!verb_store || !raw_store)
    goto fail;
  ops_before = zz_store_count_ops (verb_store);
  t_verb = bench_verb (verb_store, visitors, n, FALSE, &error);
  if (t_verb < 0)
    goto fail;
  ops_after = zz_store_count_ops (verb_store);
  t_raw = bench_raw (raw_store, visitors, n, FALSE, &error);
  if (t_raw < 0)
    goto fail;

  /* The same work in one transaction each: without the per-commit fsync, what the verb itself
   * costs (validation, lookups, op serialisation and hashing, the op rows) shows. */
  verb_batch = bench_store (dir, "verb-batch.db", &error);
  raw_batch = bench_store (dir, "raw-batch.db", &error);
  if (!verb_batch || !raw_batch)
    goto fail;
  t_verb_batch = bench_verb (verb_batch, visitors, n, TRUE, &error);
  t_raw_batch = bench_raw (raw_batch, visitors, n, TRUE, &error);
  if (t_verb_batch < 0 || t_raw_batch < 0)
    goto fail;

  hunan_path = g_build_filename (dir, "hunan.db", NULL);
  hunan = zz_store_open (hunan_path, &error);
  if (!hunan)
    goto fail;
  start = g_get_monotonic_time ();
  if (!zz_store_import_divisions (hunan, divisions, NULL, NULL, NULL, NULL, &count, &error))
    goto fail;
  t_div = (g_get_monotonic_time () - start) / 1e6;

  g_print ("bench reception (%u visitors, one transaction per registration, WAL, synchronous=FULL)\n", n);
  g_print ("  register_visit verb (validation + rows + ops): %10.0f registrations/s  (%.2f s, %.1f ops each)\n",
           n / t_verb, t_verb, (double) (ops_after - ops_before) / n);
  g_print ("  raw SQLite insert of the same rows:            %10.0f registrations/s  (%.2f s)\n", n / t_raw, t_raw);
  g_print ("  verb / raw:                                    %10.2f\n", t_raw / t_verb);
  g_print ("  all %u in one transaction, verb:               %10.0f registrations/s\n", n, n / t_verb_batch);
  g_print ("  all %u in one transaction, raw:                %10.0f registrations/s\n", n, n / t_raw_batch);
  g_print ("  verb / raw in one transaction:                 %10.2f\n", t_raw_batch / t_verb_batch);
  g_print ("  division import, all of Hunan:                 %10u units in %.2f s (%.0f units/s)\n",
           count, t_div, count / t_div);

  g_clear_object (&verb_store);
  g_clear_object (&raw_store);
  g_clear_object (&verb_batch);
  g_clear_object (&raw_batch);
  g_clear_object (&hunan);
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
  return 0;

fail:
  g_printerr ("bench failed: %s\n", error ? error->message : "?");
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 20000;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZZ_LOCALEDIR") ? g_getenv ("ZZ_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--visits") && i + 1 < argc)
      {
        n = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
        n = MAX (n, 1);
      }
  if (argc >= 2 && g_str_equal (argv[1], "reception"))
    return bench_reception (n);
  if (argc >= 2 && g_str_equal (argv[1], "households"))
    return zz_bench_households (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "cases"))
    return zz_bench_cases_main (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "sync"))
    return zz_bench_sync (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "stats"))
    return zz_bench_stats_main (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "startup"))
    return zz_bench_startup_main (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return zz_bench_export_main (argc - 1, argv + 1);
  g_printerr ("Usage: zongzhi-bench reception [--visits N]\n"
              "       zongzhi-bench households [--households N]\n"
              "       zongzhi-bench cases [--cases N]\n"
              "       zongzhi-bench sync [--ops N]\n"
              "       zongzhi-bench stats [--cases N] [--file F]\n"
              "       zongzhi-bench startup [--cases N] [--file F]\n"
              "       zongzhi-bench export [--cases N] [--file DB]\n");
  return 2;
}
