/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-agreement.h"
#include "zz-cases.h"
#include "zz-receipt.h"
#include "zz-register.h"
#include "zz-report-font.h"
#include "zz-stats-report.h"
#include "zz-stats.h"
#include "zz-test-report.h"
#include "zz-test-store.h"

/* Every generated PDF must show every character: a signed agreement read "　有违反" for "如有违反"
 * (the glyph 如 blank in poppler and MuPDF, from Debian 12's cairo embedding of Noto Sans CJK SC). */

#define COLUMNS 50
#define CELL 16.0
#define SIZE 11.0
#define DPI 72

static void
assert_has (const char *text, const char *needle)
{
  if (!strstr (text, needle))
    g_error ("“%s” is not in the text:\n%s", needle, text);
}

/* The same, with the layout's line breaks and spaces taken out of both. */
static void
assert_has_flat (const char *text, const char *needle)
{
  GString *t = g_string_new (NULL), *n = g_string_new (NULL);

  for (const char *c = text; *c; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (t, *c);
  for (const char *c = needle; *c; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (n, *c);
  if (!strstr (t->str, n->str))
    g_error ("“%s” is not in the text:\n%s", needle, text);
  g_string_free (t, TRUE);
  g_string_free (n, TRUE);
}

static gboolean
have_poppler (void)
{
  g_autofree char *a = g_find_program_in_path ("pdftoppm");
  g_autofree char *b = g_find_program_in_path ("pdftotext");
  g_autofree char *c = g_find_program_in_path ("pdffonts");
  return a && b && c;
}

/* The 3,755 characters of GB2312 level 1: rows 16 to 55, the last ending at column 89. */
static char *
gb2312_level1 (void)
{
  GString *s = g_string_new (NULL);

  for (int row = 16; row <= 55; row++)
    for (int col = 1; col <= (row == 55 ? 89 : 94); col++)
      {
        char gb[2] = { (char) (0xa0 + row), (char) (0xa0 + col) };
        gsize n = 0;
        g_autofree char *u = g_convert (gb, 2, "UTF-8", "GB2312", NULL, &n, NULL);
        g_assert_nonnull (u);
        g_string_append (s, u);
      }
  return g_string_free (s, FALSE);
}

/* Runs @argv; its stderr must be empty and its status 0. Returns stdout. */
static char *
run_clean (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (err && *err)
    g_error ("%s wrote to stderr: %s", argv[0], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* Renders page 1 of @pdf (pdftoppm, grey, no error allowed) and returns the pixels. */
static guint8 *
render (const char *pdf, const char *dir, int *w, int *h)
{
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *pgm = g_strconcat (prefix, "-1.pgm", NULL);
  g_autofree char *data = NULL;
  const char *argv[] = { "pdftoppm", "-gray", "-r", G_STRINGIFY (DPI), "-f", "1", "-l", "1", pdf, prefix, NULL };
  gsize len = 0, off = 0;
  int fields[3], nf = 0;
  guint8 *pixels;
  g_autofree char *out = run_clean (argv);

  if (!g_file_get_contents (pgm, &data, &len, NULL))
    {
      /* pdftoppm names single pages with as many digits as the page count needs */
      g_free (pgm);
      pgm = g_strconcat (prefix, "-01.pgm", NULL);
      g_assert_true (g_file_get_contents (pgm, &data, &len, NULL));
    }
  g_assert_true (len > 2 && data[0] == 'P' && data[1] == '5');
  off = 2;
  while (nf < 3)
    {
      while (off < len && g_ascii_isspace (data[off]))
        off++;
      fields[nf++] = (int) g_ascii_strtoll (data + off, NULL, 10);
      while (off < len && g_ascii_isdigit (data[off]))
        off++;
    }
  off++;   /* the single white space after the maximum value */
  *w = fields[0];
  *h = fields[1];
  g_assert_cmpuint (len - off, >=, (gsize) (*w) * (*h));
  pixels = g_memdup2 (data + off, (gsize) (*w) * (*h));
  g_unlink (pgm);
  return pixels;
}

static char *
strip_space (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c))
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* One sheet of @chars: rendered without error, no blank cell, and the text read back equal.
 * Returns the number of blank cells (asserted 0 by the caller, after reporting them). */
static guint
check_sheet (const char *chars, gboolean bold, const char *dir, GString *blanks)
{
  g_autofree char *pdf = g_build_filename (dir, "sheet.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *px = NULL;
  g_autofree char *text = NULL;
  g_autofree char *got = NULL;
  double scale = DPI / 72.0;
  guint blank = 0, i = 0;
  int w, h;

  g_assert_true (zz_report_font_sheet_pdf (chars, bold, SIZE, COLUMNS, CELL, pdf, &error));
  g_assert_no_error (error);
  px = render (pdf, dir, &w, &h);
  for (const char *p = chars; *p; p = g_utf8_next_char (p), i++)
    {
      double x, y;
      guint dark = 0;
      zz_report_font_sheet_cell (i, COLUMNS, CELL, &x, &y);
      for (int yy = (int) (y * scale); yy < (int) ((y + CELL) * scale) && yy < h; yy++)
        for (int xx = (int) (x * scale); xx < (int) ((x + CELL) * scale) && xx < w; xx++)
          dark += px[yy * w + xx] < 160;
      if (dark == 0)
        {
          blank++;
          g_string_append_len (blanks, p, g_utf8_next_char (p) - p);
        }
    }
  text = zz_test_pdf_text (pdf);
  g_assert_nonnull (text);
  got = strip_space (text);
  g_assert_cmpstr (got, ==, chars);
  g_unlink (pdf);
  return blank;
}

/* The sweep: each face, the whole set on one sheet and in sheets of 50. Cairo embeds a subset of
 * the font per document, and whether a glyph comes out depends on the subset: the blank 如 of
 * Noto Sans CJK SC showed alone and among its 50 neighbours, never on the sheet of all 3,755. */
static void
test_gb2312_sweep (void)
{
  g_autofree char *all = gb2312_level1 ();
  g_autofree char *dir = g_dir_make_tmp ("zz-glyphs-XXXXXX", NULL);
  glong n = g_utf8_strlen (all, -1);

  if (!have_poppler ())
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }
  g_assert_cmpint (n, ==, 3755);
  for (int bold = 0; bold < 2; bold++)
    {
      g_autoptr(GString) blanks = g_string_new (NULL);
      guint blank = 0, sheets = 0;

      blank += check_sheet (all, bold, dir, blanks);
      sheets++;
      for (glong start = 0; start < n; start += 50)
        {
          const char *a = g_utf8_offset_to_pointer (all, start);
          const char *b = g_utf8_offset_to_pointer (all, MIN (n, start + 50));
          g_autofree char *chunk = g_strndup (a, b - a);
          blank += check_sheet (chunk, bold, dir, blanks);
          sheets++;
        }
      g_test_message ("%s: %ld characters on %u sheets, %u blank cells%s%s", bold ? ZZ_REPORT_FONT_BOLD : ZZ_REPORT_FONT,
                      n, sheets, blank, blank ? ": " : "", blanks->str);
      g_assert_cmpuint (blank, ==, 0);
    }
  zz_test_rm_rf (dir);
}

/* Every font of @pdf is embedded, none is the face that drops glyphs; pdftoppm renders it without
 * a word on stderr. */
static void
check_pdf (const char *pdf, const char *dir)
{
  const char *fonts_argv[] = { "pdffonts", pdf, NULL };
  g_autofree char *fonts = run_clean (fonts_argv);
  g_auto(GStrv) lines = g_strsplit (fonts, "\n", -1);
  int w, h;
  g_autofree guint8 *px = render (pdf, dir, &w, &h);

  for (guint i = 2; lines[i]; i++)
    {
      if (!*lines[i])
        continue;
      g_assert_null (strstr (lines[i], "NotoSansCJK"));
      /* name type encoding emb sub uni: "emb" is the first yes/no column */
      g_assert_true (strstr (lines[i], " yes ") != NULL);
    }
}

static void
test_generated_pdfs (void)
{
  g_autoptr(ZzTestStore) ts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zz-pdfs-XXXXXX", NULL);
  g_autofree char *case_id = NULL, *attempt_id = NULL;
  g_autofree char *agreement = g_build_filename (dir, "agreement.pdf", NULL);
  g_autofree char *report = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *ticket = g_build_filename (dir, "ticket.pdf", NULL);
  g_autofree char *text = NULL;
  const char *terms = "如有违反，守约方可申请人民法院司法确认后强制执行。";

  if (!have_poppler ())
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }
  ts = zz_test_store_new ();
  zz_test_store_as (ts, ZZ_ROLE_MEDIATOR);
  {
    ZzPartyInput p[] = {
      { .role = "applicant", .name = "向秀英", .phone = "13807430001", .id_number = "433122199001010014",
        .ethnicity = "汉族", .address = "麻阳县兰里镇六里村三组12号" },
      { .role = "respondent", .name = "张德明", .phone = "13907431234" },
    };
    ZzCaseInput in = {
      .source = "walk_in", .category = "land_forest", .summary = "两户因山林界址争执，砍伐杉木引发纠纷",
      .details = "两户因山林界址争执，砍伐杉木引发纠纷", .home = "433122102201", .risk = "medium", .urgency = "normal", .parties = p, .n_parties = 2,
    };
    ZzAttemptInput a = {
      .place = "六里村综治中心", .mediators = "田志刚", .method = "on_site", .result = "agreement", .terms = terms,
    };
    g_assert_true (zz_store_register_case (ts->store, &in, &case_id, &error));
    g_assert_no_error (error);
    a.case_id = case_id;
    g_assert_true (zz_store_record_mediation (ts->store, &a, &attempt_id, &error));
    g_assert_no_error (error);
  }
  g_assert_true (zz_agreement_write_pdf (ts->store, attempt_id, agreement, &error));
  g_assert_no_error (error);
  check_pdf (agreement, dir);
  text = zz_test_pdf_text (agreement);
  g_assert_nonnull (strstr (text, "如有违反"));
  /* The Ministry of Justice model: a document number, the parties' particulars (sex and age
   * from the ID number, lines to fill in for the rest), the committee at the seal line, and the
   * facts once (the case carried them in its summary and its details). */
  {
    g_autoptr(ZzRow) c = zz_store_get_case (ts->store, case_id);
    g_autofree char *number = g_strdup_printf ("No. %s-V1", zz_row_get (c, "number"));
    const char *first = strstr (text, "两户因山林界址争执");
    assert_has (text, "People’s Mediation");
    assert_has (text, number);
    assert_has (text, "Sex: male");
    assert_has (text, "ethnicity:");
    assert_has (text, "address:");
    /* What was recorded is printed; a blank line is left only for what was not (the
     * respondent's). */
    assert_has_flat (text, "ethnicity: 汉族, age:");
    assert_has_flat (text, "address: 麻阳县兰里镇六里村三组12号, ID number");
    assert_has_flat (text, "张德明，Sex: ＿＿＿, ethnicity: ＿＿＿＿, age: ＿＿＿, address: ＿＿＿＿＿＿＿＿＿＿＿＿");
    assert_has (text, "433122199001010014");
    assert_has (text, "六里村 People’s Mediation Committee (seal)");
    g_assert_nonnull (first);
    g_assert_null (strstr (first + 1, "两户因山林界址争执"));
  }

  zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
  {
    g_autoptr(ZzStats) stats = NULL;
    ZzPeriod year;
    zz_period_year (&year, 2026);
    stats = zz_store_compute_stats (ts->store, NULL, &year, &error);
    g_assert_no_error (error);
    g_assert_true (zz_stats_report_write_pdf (stats, report, &error));
    g_assert_no_error (error);
    check_pdf (report, dir);
  }
  {
    /* the day's visitor register, drawn by the desk in the same face */
    g_autofree char *reg = g_build_filename (dir, "register.pdf", NULL);
    g_assert_true (zz_register_write (ts->store, NULL, reg, &error));
    g_assert_no_error (error);
    check_pdf (reg, dir);
  }
  {
    ZzReceipt r = { "泸溪县综治中心", "01-007", 1, "信访局", "如意", ZZ_TEST_T0, 2, "v-1" };
    g_assert_true (zz_receipt_write_pdf (&r, ticket, &error));
    g_assert_no_error (error);
    check_pdf (ticket, dir);
  }
  zz_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/pdf-glyphs/gb2312-sweep", test_gb2312_sweep);
  g_test_add_func ("/report/pdf-glyphs/generated-pdfs", test_generated_pdfs);
  return g_test_run ();
}
