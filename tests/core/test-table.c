/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "zz-table.h"

static void
test_cells (void)
{
  g_autoptr(ZzTable) t = zz_table_new ("by_level", "已化解（按层级）");
  guint name = zz_table_add_column (t, "level", "层级", ZZ_CELL_TEXT);
  guint n = zz_table_add_column (t, "cases", "件数", ZZ_CELL_INT);
  guint share = zz_table_add_column (t, "share", "占比", ZZ_CELL_PERCENT);
  guint avg = zz_table_add_column (t, "wait", "平均等候（分钟）", ZZ_CELL_DECIMAL);
  guint day = zz_table_add_column (t, "day", "日期", ZZ_CELL_DATE);
  guint r, e;
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *s6 = NULL;

  g_assert_cmpint (zz_table_column_index (t, "share"), ==, 2);
  g_assert_cmpint (zz_table_column_index (t, "nope"), ==, -1);
  r = zz_table_add_row (t);
  zz_table_set_text (t, r, name, "村级");
  zz_table_set_int (t, r, n, 10500);
  zz_table_set_double (t, r, share, 0.75);
  zz_table_set_double (t, r, avg, 3.25);
  zz_table_set_link (t, r, "unit:433122102");
  e = zz_table_add_row (t);
  zz_table_set_double (t, e, share, NAN);   /* nothing to divide by: stays empty */

  g_assert_cmpuint (zz_table_n_rows (t), ==, 2);
  g_assert_cmpstr (zz_table_get_text (t, r, name), ==, "村级");
  g_assert_cmpint (zz_table_get_int (t, r, n), ==, 10500);
  g_assert_cmpfloat (zz_table_get_number (t, r, share), ==, 0.75);
  g_assert_cmpstr (zz_table_get_link (t, r), ==, "unit:433122102");
  g_assert_null (zz_table_get_link (t, e));
  g_assert_true (zz_table_is_null (t, e, share));
  g_assert_true (zz_table_is_null (t, e, day));
  s1 = zz_table_format_cell (t, r, n);
  s2 = zz_table_format_cell (t, r, share);
  s3 = zz_table_format_cell (t, e, share);
  s4 = zz_table_format_cell (t, r, avg);
  g_assert_cmpstr (s1, ==, "10500");
  g_assert_cmpstr (s2, ==, "75.0%");
  g_assert_cmpstr (s3, ==, "—");
  g_assert_cmpstr (s4, ==, "3.2");
  {
    g_autoptr(GDateTime) dt = g_date_time_new_local (2024, 3, 1, 14, 5, 0);
    zz_table_set_int (t, e, day, g_date_time_to_unix (dt) * 1000);
    s5 = zz_table_format_cell (t, e, day);
    g_assert_cmpstr (s5, ==, "2024-03-01");
  }
  zz_table_set_text (t, r, name, "乡镇级");   /* replacing a text frees the old one */
  s6 = zz_table_format_cell (t, r, name);
  g_assert_cmpstr (s6, ==, "乡镇级");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/table/cells", test_cells);
  return g_test_run ();
}
