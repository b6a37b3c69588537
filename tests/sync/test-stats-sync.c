/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-stats.h"
#include "zz-test-sync.h"

#define PREFECTURE "4331"
#define COUNTY     "433122"
#define TOWNSHIP   "433122102"   /* 达岚镇: has its own node */
#define TOWNSHIP2  "433122104"   /* 兴隆场镇: enrolled, never sent anything */
#define TOWNSHIP3  "433122105"   /* 潭溪镇: no node, entered at the county */
#define VILLAGE    "433122102200"
#define HOUR       G_GINT64_CONSTANT (3600000)

static int
row_of (const ZzTable *t, const char *code)
{
  int c = zz_table_column_index (t, "code");

  for (guint r = 0; r < zz_table_n_rows (t); r++)
    if (g_strcmp0 (zz_table_get_text (t, r, (guint) c), code) == 0)
      return (int) r;
  return -1;
}

static ZzStats *
stats_at (ZzTestNode *n, const char *unit, gint64 now)
{
  g_autoptr(GError) error = NULL;
  ZzPeriod p;
  ZzStats *s;

  zz_period_year (&p, 2026);
  zz_store_set_now (n->store, now);
  s = zz_store_compute_stats (n->store, unit, &p, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

/* "Data as of": when a bundle carrying a unit's changes was last imported, and the newest change
 * it held; a relayed origin counts too. */
static void
test_data_as_of (void)
{
  g_autoptr(ZzTestNode) p = zz_test_node_new (PREFECTURE, "湘西州综治中心");
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(ZzTestNode) t2 = zz_test_node_new (TOWNSHIP2, "兴隆场镇综治中心");
  g_autoptr(ZzStats) county = NULL;
  g_autoptr(ZzStats) again = NULL;
  g_autoptr(ZzStats) township = NULL;
  g_autoptr(ZzStats) prefecture = NULL;
  g_autoptr(ZzStats) relayed = NULL;
  /* a day ahead of the wall clock, so that every stamp of the township's work carries it */
  const gint64 worked = g_get_real_time () / 1000 + 24 * HOUR;
  const gint64 imported = worked + 2 * HOUR;
  const gint64 read = worked + 5 * HOUR;
  const gint64 relayed_at = worked + 8 * HOUR;
  int r, col_as_of, col_newest;

  zz_test_node_trust (p, p);
  zz_test_node_trust (c, p);
  zz_test_node_trust (t, p);
  zz_test_node_trust (t2, p);
  zz_test_node_enrol (p, c);
  zz_test_node_send (p, c);
  zz_test_node_enrol (c, t);
  zz_test_node_enrol (c, t2);
  zz_test_node_send (c, t);
  zz_test_node_send (c, t2);

  /* the township's village work, then its bundle imported at the county */
  zz_store_set_now (t->store, worked);
  zz_test_node_simulate (t, 40, 3, VILLAGE);
  zz_store_set_now (c->store, imported);
  zz_test_node_send (t, c);

  county = stats_at (c, COUNTY, read);
  col_as_of = zz_table_column_index (county->by_unit, "data_as_of");
  col_newest = zz_table_column_index (county->by_unit, "newest_change");
  g_assert_cmpint (col_as_of, ==, 7);
  g_assert_cmpint (col_newest, ==, 8);
  r = row_of (county->by_unit, TOWNSHIP);
  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (zz_table_get_int (county->by_unit, r, col_as_of), ==, imported);
  g_assert_cmpint (zz_table_get_int (county->by_unit, r, col_newest), ==, worked);
  /* a township with a node that never sent anything: not known */
  r = row_of (county->by_unit, TOWNSHIP2);
  g_assert_cmpint (r, >=, 0);
  g_assert_true (zz_table_is_null (county->by_unit, r, col_as_of));
  /* a township without a node of its own is entered here: as of now */
  r = row_of (county->by_unit, TOWNSHIP3);
  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (zz_table_get_int (county->by_unit, r, col_as_of), ==, read);

  /* drilled down, a village of the township is as of the township's bundle */
  township = stats_at (c, TOWNSHIP, read);
  r = row_of (township->by_unit, VILLAGE);
  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (zz_table_get_int (township->by_unit, r, col_as_of), ==, imported);
  g_assert_cmpint (zz_table_get_int (township->by_unit, r, col_newest), ==, worked);

  /* a bundle from the other township, with nothing new in it: its data is complete as of that
   * import; the first township keeps its time */
  zz_store_set_now (c->store, imported + HOUR);
  zz_test_node_send (t2, c);
  again = stats_at (c, COUNTY, read + HOUR);
  r = row_of (again->by_unit, TOWNSHIP);
  g_assert_cmpint (zz_table_get_int (again->by_unit, r, col_as_of), ==, imported);
  r = row_of (again->by_unit, TOWNSHIP2);
  g_assert_cmpint (zz_table_get_int (again->by_unit, r, col_as_of), ==, imported + HOUR);

  /* relayed by the county to the prefecture: the township's origin arrived there too */
  zz_store_set_now (p->store, relayed_at);
  zz_test_node_send (c, p);
  prefecture = stats_at (p, PREFECTURE, relayed_at + HOUR);
  r = row_of (prefecture->by_unit, COUNTY);
  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (zz_table_get_int (prefecture->by_unit, r, col_as_of), ==, relayed_at);
  g_assert_cmpint (zz_table_get_int (prefecture->by_unit, r, col_newest), >=, worked);
  relayed = stats_at (p, COUNTY, relayed_at + HOUR);
  r = row_of (relayed->by_unit, TOWNSHIP);
  g_assert_cmpint (zz_table_get_int (relayed->by_unit, r, col_as_of), ==, relayed_at);
  g_assert_cmpint (zz_table_get_int (relayed->by_unit, r, col_newest), ==, worked);
  /* the cases and visits the township recorded count at the prefecture as at the county */
  g_assert_cmpint (relayed->visits, ==, county->visits);
  g_assert_cmpint (relayed->registered, ==, county->registered);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats-sync/data-as-of", test_data_as_of);
  return g_test_run ();
}
