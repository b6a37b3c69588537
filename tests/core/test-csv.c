/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-csv.h"
#include "zz-error.h"

/* Reads all records of @data and returns them as "a|b|c" lines joined with "\n", or NULL with
 * @error set. */
static char *
read_all (const char *data, gssize len, GError **error)
{
  g_autoptr(ZzCsv) csv = zz_csv_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  GError *local = NULL;

  while (zz_csv_next (csv, fields, &local))
    {
      if (out->len)
        g_string_append_c (out, '\n');
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (out, "%s%s", i ? "|" : "", (char *) fields->pdata[i]);
    }
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_reads (const char *data, const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_all (data, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expect);
}

static void
assert_fails (const char *data, gssize len, const char *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = read_all (data, len, &error);

  g_assert_null (got);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  if (!strstr (error->message, expect_in_message))
    g_error ("message “%s” does not contain “%s”", error->message, expect_in_message);
}

static void
test_fields (void)
{
  assert_reads ("code,name\n43,湖南省\n", "code|name\n43|湖南省");
  assert_reads ("code,name\n\"43\",\"湖南省\"\n", "code|name\n43|湖南省");
  assert_reads ("a,\"b\",c", "a|b|c");                       /* no final newline */
  assert_reads ("a,,c,\n", "a||c|");                          /* empty fields */
  assert_reads ("\"\",\"\"\n", "|");
  assert_reads ("\"a,b\",c\n", "a,b|c");                      /* comma inside quotes */
  assert_reads ("\"say \"\"hi\"\"\",x\n", "say \"hi\"|x");    /* "" escape */
  assert_reads ("\"\"\"\"\n", "\"");
  assert_reads (" a , b \n", " a | b ");                      /* spaces are kept */
  assert_reads ("", "");
}

static void
test_line_endings (void)
{
  assert_reads ("a,b\r\nc,d\r\n", "a|b\nc|d");
  assert_reads ("a,b\rc,d\r", "a|b\nc|d");
  assert_reads ("a,b\n\n\r\n\nc,d\n\n", "a|b\nc|d");         /* blank lines skipped */
  assert_reads ("\"a\r\nb\",c\r\n", "a\r\nb|c");
}

static void
test_bom (void)
{
  assert_reads ("\xEF\xBB\xBF" "code,name\n43,湖南省\n", "code|name\n43|湖南省");
  assert_reads ("\xEF\xBB\xBF" "\"code\",name\n", "code|name");
  assert_reads ("\xEF\xBB\xBF", "");
  /* Only a leading BOM is skipped; one in the middle is data. */
  assert_reads ("a\n\xEF\xBB\xBF" "b\n", "a\n\xEF\xBB\xBF" "b");
}

static void
test_embedded_newline_and_lines (void)
{
  const char *data = "h1,h2\n"             /* line 1 */
                     "\"multi\nline\",x\n" /* lines 2-3 */
                     "\n"                  /* line 4, blank */
                     "next,y\n"            /* line 5 */
                     "\"a\"\"\n\nb\",z\r\n"/* lines 6-8 */
                     "last,w";             /* line 9 */
  const guint expect_lines[] = { 1, 2, 5, 6, 9 };
  g_autoptr(ZzCsv) csv = zz_csv_new (data, strlen (data));
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  while (zz_csv_next (csv, fields, &error))
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expect_lines));
      g_assert_cmpuint (zz_csv_line (csv), ==, expect_lines[n]);
      g_assert_cmpuint (fields->len, ==, 2);
      if (n == 1)
        g_assert_cmpstr (fields->pdata[0], ==, "multi\nline");
      if (n == 3)
        g_assert_cmpstr (fields->pdata[0], ==, "a\"\n\nb");
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expect_lines));
  g_assert_cmpuint (zz_csv_offset (csv), ==, strlen (data));
}

static void
test_malformed (void)
{
  /* The error names the line where the bad record begins. */
  assert_fails ("a,b\nc,d\n\"open,e\nf,g\n", -1, "Line 3: a quoted field is not closed");
  assert_fails ("a,b\nc,d\ne,f\"g\n", -1, "Line 3: a quote inside an unquoted field");
  assert_fails ("a,b\n\"x\"y,z\n", -1, "Line 2: text after a closing quote");
  assert_fails ("a,b\n\"x\" ,z\n", -1, "Line 2: text after a closing quote");
  assert_fails ("a,b\n\"x\"\"y\"\"\n", -1, "Line 2: a quoted field is not closed");
  assert_fails ("\"multi\nline\",x\nok,1\nbad\xff\xfe,2\n", -1, "Line 4:");
  assert_fails ("\"multi\nline\",x\nok,1\nbad\xff\xfe,2\n", -1, "UTF-8");
  assert_fails ("a,\xe6\xb9\n", -1, "Line 1: the text is not valid UTF-8");   /* truncated 湖 */
  /* A NUL byte is not text. */
  assert_fails ("a,b\0c\n", 6, "UTF-8");
}

static void
test_limits (void)
{
  g_autoptr(GString) wide = g_string_new ("ok\n");
  g_autoptr(GString) max_cols = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("ok\n");
  g_autoptr(GString) huge_quoted = g_string_new ("ok\nok\n\"");
  g_autoptr(GString) big_ok = g_string_new (NULL);

  for (int i = 0; i < ZZ_CSV_MAX_FIELDS; i++)
    g_string_append_printf (max_cols, "%s%d", i ? "," : "", i);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = read_all (max_cols->str, -1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (got);
  }
  g_string_append_printf (wide, "%s,x\n", max_cols->str);
  assert_fails (wide->str, -1, "Line 2: too many columns");

  g_string_append_c (big_ok, 'a');
  for (int i = 1; i < ZZ_CSV_MAX_FIELD; i++)
    g_string_append_c (big_ok, 'a');
  assert_reads (big_ok->str, big_ok->str);

  for (int i = 0; i <= ZZ_CSV_MAX_FIELD; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\n");
  assert_fails (huge->str, -1, "Line 2: a field is longer than");

  for (int i = 0; i <= ZZ_CSV_MAX_FIELD; i++)
    g_string_append_c (huge_quoted, 'b');
  g_string_append (huge_quoted, "\"\n");
  assert_fails (huge_quoted->str, -1, "Line 3: a field is longer than");
}

/* An empty file (mapped or read as NULL and 0 bytes) is read as no records, no error. */
static void
test_empty (void)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(ZzCsv) csv = zz_csv_new (NULL, 0);
    g_assert_nonnull (csv);
    g_assert_false (zz_csv_next (csv, fields, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (zz_csv_offset (csv), ==, 0);
  }
  {
    g_autoptr(ZzCsv) csv = zz_csv_new ("", 0);
    g_assert_false (zz_csv_next (csv, fields, &error));
    g_assert_no_error (error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/fields", test_fields);
  g_test_add_func ("/csv/line-endings", test_line_endings);
  g_test_add_func ("/csv/bom", test_bom);
  g_test_add_func ("/csv/embedded-newline-and-lines", test_embedded_newline_and_lines);
  g_test_add_func ("/csv/malformed", test_malformed);
  g_test_add_func ("/csv/limits", test_limits);
  g_test_add_func ("/csv/empty", test_empty);
  return g_test_run ();
}
