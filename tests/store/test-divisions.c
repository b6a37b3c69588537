/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-test-store.h"

static const char *files[5] = { "provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv" };

/* A small, valid tree: Hunan, Xiangxi, two counties, two townships, three villages (9 units). */
static const char *small[5] = {
  "code,name\n43,湖南省\n",
  "code,name,provinceCode\n4331,湘西土家族苗族自治州,43\n",
  "code,name,cityCode,provinceCode\n433122,泸溪县,4331,43\n433101,吉首市,4331,43\n",
  "code,name,areaCode,provinceCode,cityCode\n433122100,白沙镇,433122,43,4331\n433101001,镇溪街道,433101,43,4331\n",
  "code,name,streetCode,provinceCode,cityCode,areaCode\n"
  "433122100001,白沙社区居委会,433122100,43,4331,433122\n"
  "433122100002,岩门村委会,433122100,43,4331,433122\n"
  "433101001001,光明社区居委会,433101001,43,4331,433101\n",
};

static char *
shipped_dir (void)
{
  return g_build_filename (zz_data_dir (), "divisions", NULL);
}

/* Writes the small tree into a new temporary folder, with file @which (0-4) replaced by
 * @replacement (NULL: left out entirely), and returns the folder. */
static char *
write_fixture (int which, const char *replacement)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zz-divisions-XXXXXX", &error);

  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      const char *text = i == which ? replacement : small[i];
      if (i == which && replacement == NULL)
        continue;
      g_assert_true (g_file_set_contents (path, text, -1, &error));
    }
  return dir;
}

static void
remove_dir (const char *dir)
{
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gint64
count_level (ZzTestStore *ts, int level, const char *prefix)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM org_unit WHERE level = %d AND code GLOB '%s*'",
                                          level, prefix ? prefix : "");
  return zz_test_store_int (ts, sql);
}

static void
test_small_and_idempotent (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = write_fixture (-1, NULL);
  g_autofree char *first = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ZzRow) luxi = NULL;
  guint count = 0;

  g_assert_cmpuint (zz_store_count_org_units (ts->store), ==, 0);
  g_assert_true (zz_store_import_divisions (ts->store, dir, NULL, NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 9);
  g_assert_cmpuint (zz_store_count_org_units (ts->store), ==, 9);
  luxi = zz_store_get_org_unit (ts->store, "433122");
  g_assert_cmpstr (zz_row_get (luxi, "name"), ==, "泸溪县");
  g_assert_cmpint (zz_row_get_int (luxi, "level"), ==, 3);
  g_assert_cmpstr (zz_row_get (luxi, "parent"), ==, "4331");
  path = zz_store_org_unit_path (ts->store, "433122100002");
  g_assert_cmpstr (path, ==, "湖南省 湘西土家族苗族自治州 泸溪县 白沙镇 岩门村委会");
  g_clear_pointer (&path, g_free);
  path = zz_store_org_unit_path (ts->store, "43");
  g_assert_cmpstr (path, ==, "湖南省");
  g_assert_null (zz_store_org_unit_path (ts->store, "4399"));

  /* Importing the same files again changes nothing. */
  first = zz_test_store_snapshot (ts);
  g_assert_true (zz_store_import_divisions (ts->store, dir, NULL, NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 9);
  {
    g_autofree char *second = zz_test_store_snapshot (ts);
    g_assert_cmpstr (second, ==, first);
  }
  remove_dir (dir);
}

typedef struct {
  int file;
  const char *text;     /* NULL: the file is missing */
  const char *expect[3];
} Malformed;

static const Malformed malformed[] = {
  /* bad code length */
  { 3, "code,name,areaCode,provinceCode,cityCode\n433122100,白沙镇,433122,43,4331\n43310100,镇溪街道,433101,43,4331\n",
    { "streets.csv", "line 3", "43310100" } },
  /* a child not under its parent */
  { 4, "code,name,streetCode,provinceCode,cityCode,areaCode\n433122100001,白沙社区居委会,433122100,43,4331,433122\n"
       "433123100002,岩门村委会,433122100,43,4331,433122\n",
    { "villages.csv", "line 3", "does not lie under" } },
  /* a parent code of the wrong length */
  { 4, "code,name,streetCode,provinceCode,cityCode,areaCode\n433122100001,白沙社区居委会,4331221,43,4331,433122\n",
    { "villages.csv", "line 2", "does not lie under" } },
  /* an unknown parent */
  { 3, "code,name,areaCode,provinceCode,cityCode\n433122100,白沙镇,433122,43,4331\n433199001,某街道,433199,43,4331\n",
    { "streets.csv", "line 3", "433199" } },
  /* wrong header */
  { 1, "code,name,province\n4331,湘西土家族苗族自治州,43\n", { "cities.csv", "line 1", "code,name,provinceCode" } },
  /* missing file */
  { 2, NULL, { "areas.csv", NULL, NULL } },
  /* empty file */
  { 3, "", { "streets.csv", "empty", NULL } },
  /* an unclosed quote */
  { 4, "code,name,streetCode,provinceCode,cityCode,areaCode\n433122100001,白沙社区居委会,433122100,43,4331,433122\n"
       "433122100002,岩门村委会,433122100,43,4331,433122\n433101001001,\"光明社区居委会,433101001,43,4331,433101\n",
    { "villages.csv", "line 4", "not closed" } },
  /* the wrong number of columns */
  { 2, "code,name,cityCode,provinceCode\n433122,泸溪县,4331,43\n433101,吉首市,4331\n",
    { "areas.csv", "line 3", "expected 4 columns, found 3" } },
  /* invalid UTF-8 (a GBK-encoded name) */
  { 4, "code,name,streetCode,provinceCode,cityCode,areaCode\n433122100001,\xb0\xd7\xc9\xb3,433122100,43,4331,433122\n",
    { "villages.csv", "line 2", "UTF-8" } },
  /* an empty name */
  { 2, "code,name,cityCode,provinceCode\n433122,泸溪县,4331,43\n433101,  ,4331,43\n", { "areas.csv", "line 3", "name" } },
  /* letters in a code */
  { 1, "code,name,provinceCode\n43A1,湘西土家族苗族自治州,43\n", { "cities.csv", "line 2", "43A1" } },
};

static void
assert_message (const GError *error, const char *const *expect)
{
  g_autofree char *lower = g_utf8_strdown (error->message, -1);

  for (int i = 0; i < 3 && expect[i]; i++)
    {
      g_autofree char *want = g_utf8_strdown (expect[i], -1);
      if (!strstr (lower, want))
        g_error ("message “%s” does not mention “%s”", error->message, expect[i]);
    }
}

static void
test_malformed (void)
{
  g_autoptr(ZzTestStore) fresh = zz_test_store_new_empty ();
  g_autoptr(ZzTestStore) filled = zz_test_store_new_empty ();
  g_autofree char *good = write_fixture (-1, NULL);
  g_autofree char *fresh_before = NULL;
  g_autofree char *filled_before = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_store_import_divisions (filled->store, good, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fresh_before = zz_test_store_snapshot (fresh);
  filled_before = zz_test_store_snapshot (filled);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *dir = write_fixture (malformed[i].file, malformed[i].text);
      guint count = 12345;

      g_test_message ("malformed fixture %u: %s", i, malformed[i].expect[0]);
      /* Into an empty database: nothing at all is kept. */
      g_assert_false (zz_store_import_divisions (fresh->store, dir, NULL, NULL, NULL, NULL, &count, &error));
      g_assert_nonnull (error);
      g_assert_true (error->code == ZZ_ERROR_FORMAT || error->code == ZZ_ERROR_IO);
      assert_message (error, malformed[i].expect);
      zz_test_assert_refused (fresh, fresh_before, error, error->code);
      g_assert_cmpuint (zz_store_count_org_units (fresh->store), ==, 0);
      g_assert_cmpuint (count, ==, 12345);
      g_clear_error (&error);
      /* Into a filled one: it stays as it was. */
      g_assert_false (zz_store_import_divisions (filled->store, dir, "4331", NULL, NULL, NULL, NULL, &error));
      assert_message (error, malformed[i].expect);
      zz_test_assert_refused (filled, filled_before, error, error->code);
      g_clear_error (&error);
      remove_dir (dir);
    }

  /* A file that renames a county before a later file fails: the rename is rolled back too. */
  {
    g_autofree char *dir = write_fixture (4, "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                                             "433122100001,白沙社区居委会,433122100,43,4331,433122\n"
                                             "433122100003,新村,433122100,43,4331\n");
    g_autofree char *areas = g_build_filename (dir, "areas.csv", NULL);
    g_autoptr(ZzRow) luxi = NULL;

    g_assert_true (g_file_set_contents (areas, "code,name,cityCode,provinceCode\n433122,改名县,4331,43\n"
                                               "433123,新县,4331,43\n", -1, NULL));
    g_assert_false (zz_store_import_divisions (filled->store, dir, NULL, NULL, NULL, NULL, NULL, &error));
    zz_test_assert_refused (filled, filled_before, error, ZZ_ERROR_FORMAT);
    assert_message (error, (const char *const []) { "villages.csv", "line 3", NULL });
    g_clear_error (&error);
    luxi = zz_store_get_org_unit (filled->store, "433122");
    g_assert_cmpstr (zz_row_get (luxi, "name"), ==, "泸溪县");
    g_assert_null (zz_store_get_org_unit (filled->store, "433123"));
    g_assert_cmpuint (zz_store_count_org_units (filled->store), ==, 9);
    remove_dir (dir);
  }

  /* A folder that does not exist, and a scope that is no code. */
  g_assert_false (zz_store_import_divisions (fresh->store, "/nonexistent/divisions", NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_IO);
  assert_message (error, (const char *const []) { "provinces.csv", NULL });
  g_clear_error (&error);
  g_assert_false (zz_store_import_divisions (fresh->store, good, "43x", NULL, NULL, NULL, NULL, &error));
  zz_test_assert_refused (fresh, fresh_before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_import_divisions (fresh->store, good, "4401", NULL, NULL, NULL, NULL, &error));
  zz_test_assert_refused (fresh, fresh_before, error, ZZ_ERROR_FORMAT);
  g_clear_error (&error);
  remove_dir (good);
}

static void
test_bom_crlf_quoted (void)
{
  g_autoptr(ZzTestStore) plain = zz_test_store_new_empty ();
  g_autoptr(ZzTestStore) other = zz_test_store_new_empty ();
  g_autofree char *dir = write_fixture (-1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_store_import_divisions (plain->store, dir, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  remove_dir (dir);

  /* Byte-order mark, CRLF, quoted names and codes, spaces around unquoted fields. */
  g_free (dir);
  dir = write_fixture (-1, NULL);
  {
    const char *variants[5] = {
      "\xEF\xBB\xBF" "code,name\r\n\"43\",\"湖南省\"\r\n",
      "\xEF\xBB\xBF" "\"code\",\"name\",\"provinceCode\"\r\n\"4331\",\"湘西土家族苗族自治州\",\"43\"\r\n",
      "code,name,cityCode,provinceCode\r\n433122, 泸溪县 ,4331,43\r\n\r\n433101,\"吉首市\",4331,43",
      "code,name,areaCode,provinceCode,cityCode\n\"433122100\",\"白沙镇\",\"433122\",\"43\",\"4331\"\n"
      "433101001,镇溪街道,433101,43,4331\n",
      "code,name,streetCode,provinceCode,cityCode,areaCode\r\n"
      "\"433122100001\",\"白沙社区居委会\",\"433122100\",\"43\",\"4331\",\"433122\"\r\n"
      "433122100002,\"岩门村委会\",433122100,43,4331,433122\r\n"
      "433101001001,光明社区居委会,433101001,43,4331,433101\r\n",
    };
    for (int i = 0; i < 5; i++)
      {
        g_autofree char *path = g_build_filename (dir, files[i], NULL);
        g_assert_true (g_file_set_contents (path, variants[i], -1, NULL));
      }
  }
  g_assert_true (zz_store_import_divisions (other->store, dir, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *a = zz_test_store_snapshot (plain);
    g_autofree char *b = zz_test_store_snapshot (other);
    g_assert_cmpstr (a, ==, b);
  }
  remove_dir (dir);
}

static void
test_shipped_hunan (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = shipped_dir ();
  g_autofree char *first = NULL;
  gint64 start = g_get_monotonic_time ();
  guint count = 0;

  g_assert_true (zz_store_import_divisions (ts->store, dir, NULL, NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_test_message ("all of Hunan imported in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (count, ==, 1 + 14 + 134 + 2008 + 29534);
  g_assert_cmpuint (zz_store_count_org_units (ts->store), ==, count);
  g_assert_cmpint (count_level (ts, 1, NULL), ==, 1);
  g_assert_cmpint (count_level (ts, 2, NULL), ==, 14);
  g_assert_cmpint (count_level (ts, 3, NULL), ==, 134);
  g_assert_cmpint (count_level (ts, 4, NULL), ==, 2008);
  g_assert_cmpint (count_level (ts, 5, NULL), ==, 29534);
  /* Every unit but the province hangs under an existing unit one level up. */
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM org_unit o LEFT JOIN org_unit p ON p.code = o.parent"
                                          " WHERE o.level > 1 AND (p.code IS NULL OR p.level != o.level - 1)"), ==, 0);
  {
    g_autofree char *path = zz_store_org_unit_path (ts->store, "433122");
    g_autoptr(GListModel) found = zz_store_search_org_units (ts->store, "泸溪", 10);
    g_autoptr(GListModel) by_code = zz_store_search_org_units (ts->store, "433122", 5);
    g_autoptr(ZzRow) r = NULL;

    g_assert_cmpstr (path, ==, "湖南省 湘西土家族苗族自治州 泸溪县");
    g_assert_cmpuint (g_list_model_get_n_items (found), >=, 1);
    r = g_list_model_get_item (found, 0);
    g_assert_cmpstr (zz_row_get (r, "code"), ==, "433122");
    g_assert_cmpstr (zz_row_get (r, "path"), ==, "湖南省 湘西土家族苗族自治州");
    g_clear_object (&r);
    g_assert_cmpuint (g_list_model_get_n_items (by_code), ==, 5);
    r = g_list_model_get_item (by_code, 0);
    g_assert_cmpstr (zz_row_get (r, "code"), ==, "433122");
  }

  /* Again: idempotent. */
  first = zz_test_store_snapshot (ts);
  g_assert_true (zz_store_import_divisions (ts->store, dir, NULL, NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  {
    g_autofree char *second = zz_test_store_snapshot (ts);
    g_assert_cmpstr (second, ==, first);
  }
}

static void
test_shipped_xiangxi (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = shipped_dir ();
  guint count = 0;

  g_assert_true (zz_store_import_divisions (ts->store, dir, "4331", NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1 + 1 + 8 + 116 + 1797);
  g_assert_cmpint (count_level (ts, 1, "43"), ==, 1);
  g_assert_cmpint (count_level (ts, 2, NULL), ==, 1);
  g_assert_cmpint (count_level (ts, 3, "4331"), ==, 8);
  g_assert_cmpint (count_level (ts, 4, "4331"), ==, 116);
  g_assert_cmpint (count_level (ts, 5, "4331"), ==, 1797);
  g_assert_cmpuint (zz_store_count_org_units (ts->store), ==, count);
  g_assert_null (zz_store_get_org_unit (ts->store, "4301"));
}

/* The shipped files rewritten the way upstream writes them: every field quoted. */
static void
test_shipped_quoted (void)
{
  g_autoptr(ZzTestStore) plain = zz_test_store_new_empty ();
  g_autoptr(ZzTestStore) quoted = zz_test_store_new_empty ();
  g_autoptr(GError) error = NULL;
  g_autofree char *src = shipped_dir ();
  g_autofree char *dir = g_dir_make_tmp ("zz-quoted-XXXXXX", &error);
  guint a = 0, b = 0;

  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *in_path = g_build_filename (src, files[i], NULL);
      g_autofree char *out_path = g_build_filename (dir, files[i], NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      GString *out = g_string_new (NULL);

      g_assert_true (g_file_get_contents (in_path, &text, NULL, &error));
      lines = g_strsplit (text, "\n", -1);
      for (guint l = 0; lines[l]; l++)
        {
          g_auto(GStrv) fields = NULL;
          if (*lines[l] == '\0')
            continue;
          fields = g_strsplit (g_strchomp (lines[l]), ",", -1);
          for (guint f = 0; fields[f]; f++)
            g_string_append_printf (out, "%s\"%s\"", f ? "," : "", fields[f]);
          g_string_append (out, "\n");
        }
      g_assert_true (g_file_set_contents (out_path, out->str, out->len, &error));
      g_string_free (out, TRUE);
    }
  g_assert_true (zz_store_import_divisions (plain->store, src, NULL, NULL, NULL, NULL, &a, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_import_divisions (quoted->store, dir, NULL, NULL, NULL, NULL, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (a, ==, b);
  {
    g_autofree char *sa = zz_test_store_snapshot (plain);
    g_autofree char *sb = zz_test_store_snapshot (quoted);
    g_assert_cmpstr (sa, ==, sb);
  }
  remove_dir (dir);
}

static void
on_progress (double fraction, gpointer data)
{
  GArray *seen = data;

  g_array_append_val (seen, fraction);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static void
test_async_and_permission (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = shipped_dir ();
  g_autofree char *before = NULL;
  guint count = 0;

  /* Once the node is set up, only administrators import. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_import_divisions (ts->store, dir, "4331", NULL, NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  zz_store_import_divisions_async (ts->store, dir, "4331", NULL, on_progress, seen, on_imported, &result);
  while (!result)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (zz_store_import_divisions_finish (result, &count, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_clear_object (&result);

  /* In a worker thread with progress reported on this thread, rising to 1. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  zz_store_import_divisions_async (ts->store, dir, "4331", NULL, on_progress, seen, on_imported, &result);
  while (!result)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (zz_store_import_divisions_finish (result, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1923);
  g_assert_cmpuint (zz_store_count_org_units (ts->store), ==, 1923);
  g_assert_cmpuint (seen->len, >=, 5);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat_with_epsilon (g_array_index (seen, double, seen->len - 1), 1.0, 1e-9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/divisions/small-and-idempotent", test_small_and_idempotent);
  g_test_add_func ("/divisions/malformed", test_malformed);
  g_test_add_func ("/divisions/bom-crlf-quoted", test_bom_crlf_quoted);
  g_test_add_func ("/divisions/shipped-hunan", test_shipped_hunan);
  g_test_add_func ("/divisions/shipped-xiangxi", test_shipped_xiangxi);
  g_test_add_func ("/divisions/shipped-quoted", test_shipped_quoted);
  g_test_add_func ("/divisions/async-and-permission", test_async_and_permission);
  return g_test_run ();
}
