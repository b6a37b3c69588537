/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>

#include "zz-chart.h"

#define W 640
#define H 320

static const char *long_category =
  "宅基地使用权及相邻关系纠纷（含通行、排水、采光等）经村民小组多次协调未果后申请调解";

static ZzTable *
level_table (void)
{
  ZzTable *t = zz_table_new ("by_level", "按层级化解");
  const char *names[] = { "村级", "乡镇级", "县级", "市级" };
  const gint64 n[] = { 10500, 3220, 280, 0 };

  zz_table_add_column (t, "level", "层级", ZZ_CELL_TEXT);
  zz_table_add_column (t, "cases", "件数", ZZ_CELL_INT);
  for (guint i = 0; i < G_N_ELEMENTS (n); i++)
    {
      guint r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, names[i]);
      zz_table_set_int (t, r, 1, n[i]);
    }
  return t;
}

static ZzTable *
trend_table (void)
{
  ZzTable *t = zz_table_new ("trend", "月度趋势");

  zz_table_add_column (t, "month", "月份", ZZ_CELL_TEXT);
  zz_table_add_column (t, "registered", "Registered", ZZ_CELL_INT);
  zz_table_add_column (t, "concluded", "Concluded", ZZ_CELL_INT);
  for (guint i = 0; i < 12; i++)
    {
      guint r = zz_table_add_row (t);
      g_autofree char *m = g_strdup_printf ("2024-%02u", i + 1);
      zz_table_set_text (t, r, 0, m);
      zz_table_set_int (t, r, 1, 1000 + 137 * (gint64) i);
      zz_table_set_int (t, r, 2, 950 + 113 * (gint64) ((i * 7) % 12));
    }
  return t;
}

static ZzTable *
category_table (guint n)
{
  ZzTable *t = zz_table_new ("by_category", "按类别");
  const char *names[] = { "婚姻家庭", "邻里纠纷", "土地承包", "劳动争议", "物业纠纷",
                          "损害赔偿", "合同纠纷", "山林权属", "征地拆迁", "其他" };

  zz_table_add_column (t, "category", "类别", ZZ_CELL_TEXT);
  zz_table_add_column (t, "cases", "件数", ZZ_CELL_INT);
  for (guint i = 0; i < n; i++)
    {
      guint r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, i == 1 ? long_category : names[i % G_N_ELEMENTS (names)]);
      zz_table_set_int (t, r, 1, 3000 / (i + 1));
    }
  return t;
}

static ZzTable *
source_table (void)
{
  ZzTable *t = zz_table_new ("by_source", "按来源");
  const char *names[] = { "来访", "来电", "网格员上报", "上级交办" };
  const gint64 n[] = { 620, 240, 95, 12 };

  zz_table_add_column (t, "source", "来源", ZZ_CELL_TEXT);
  zz_table_add_column (t, "cases", "件数", ZZ_CELL_INT);
  for (guint i = 0; i < G_N_ELEMENTS (n); i++)
    {
      guint r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, names[i]);
      zz_table_set_int (t, r, 1, n[i]);
    }
  return t;
}

static ZzTable *
department_table (guint n)
{
  ZzTable *t = zz_table_new ("by_department", "部门");
  const char *names[] = { "县人力资源和社会保障局", "县自然资源局", "县住房和城乡建设局",
                          "县公安局", "县市场监督管理局", "县农业农村局", "县民政局" };

  zz_table_add_column (t, "department", "部门", ZZ_CELL_TEXT);
  zz_table_add_column (t, "on_time", "按时", ZZ_CELL_INT);
  zz_table_add_column (t, "late", "超期", ZZ_CELL_INT);
  zz_table_add_column (t, "rate", "按时率", ZZ_CELL_PERCENT);
  for (guint i = 0; i < n; i++)
    {
      guint r = zz_table_add_row (t);
      zz_table_set_text (t, r, 0, names[i % G_N_ELEMENTS (names)]);
      zz_table_set_int (t, r, 1, 40 - 5 * (gint64) i);
      zz_table_set_int (t, r, 2, 2 + (gint64) i);
      zz_table_set_double (t, r, 3, (40.0 - 5 * i) / (42.0 - 4 * i));
    }
  return t;
}

typedef struct {
  const char *name;
  ZzChart chart;
} Case;

static cairo_surface_t *
render (const ZzChart *chart, gboolean dark, int hover, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);
  ZzChartStyle style = { dark, hover, NULL, 1.0 };

  if (dark)
    cairo_set_source_rgb (cr, 0x1e / 255.0, 0x1e / 255.0, 0x1e / 255.0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  zz_chart_draw (chart, cr, w, h, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static guint32
pixel (cairo_surface_t *s, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  return ((guint32 *) (data + y * stride))[x] & 0xffffff;
}

static guint32
colour_pixel (gboolean dark, guint i)
{
  double rgb[3];

  zz_chart_colour (dark, i, rgb);
  return ((guint32) lround (rgb[0] * 255) << 16) | ((guint32) lround (rgb[1] * 255) << 8) |
         (guint32) lround (rgb[2] * 255);
}

static void
save (cairo_surface_t *s, const char *name)
{
  const char *dir = g_getenv ("ZZ_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (!dir)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/chart-%s.png", dir, name);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
}

/* Pixels that are not the background. */
static guint
ink (cairo_surface_t *s, gboolean dark)
{
  guint32 bg = dark ? 0x1e1e1e : 0xffffff;
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      n += pixel (s, x, y) != bg;
  return n;
}

static void
test_render_all (void)
{
  g_autoptr(ZzTable) level = level_table ();
  g_autoptr(ZzTable) trend = trend_table ();
  g_autoptr(ZzTable) cats = category_table (10);
  g_autoptr(ZzTable) sources = source_table ();
  g_autoptr(ZzTable) deps = department_table (5);
  g_autoptr(ZzTable) empty = zz_table_new ("empty", "空");
  Case cases[] = {
    { "stacked", { ZZ_CHART_STACKED, level, 0, { 1 }, 1 } },
    { "line", { ZZ_CHART_LINE, trend, 0, { 1, 2 }, 2 } },
    { "donut", { ZZ_CHART_DONUT, cats, 0, { 1 }, 1 } },
    { "bars", { ZZ_CHART_BARS, sources, 0, { 1 }, 1 } },
    { "grouped", { ZZ_CHART_BARS, deps, 0, { 1, 2 }, 2 } },
    { "rate", { ZZ_CHART_BARS, deps, 0, { 3 }, 1 } },
    { "empty", { ZZ_CHART_BARS, empty, 0, { 1 }, 1 } },
  };

  zz_table_add_column (empty, "name", "名称", ZZ_CELL_TEXT);
  zz_table_add_column (empty, "n", "件数", ZZ_CELL_INT);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int dark = 0; dark <= 1; dark++)
      {
        cairo_surface_t *s = render (&cases[i].chart, dark, -1, W, H);
        cairo_surface_t *hover = render (&cases[i].chart, dark, 1, W, H);
        cairo_surface_t *small = render (&cases[i].chart, dark, -1, 320, 200);
        g_autofree char *name = g_strdup_printf ("%s-%s", cases[i].name, dark ? "dark" : "light");
        g_autofree char *small_name = g_strdup_printf ("%s-small", name);
        g_autofree char *hover_name = g_strdup_printf ("%s-hover", name);
        guint n = ink (s, dark);

        save (s, name);
        save (small, small_name);
        save (hover, hover_name);
        /* Something is drawn, the empty chart too (its message), and the hovered item shows. */
        g_assert_cmpuint (n, >, 500);
        if (cases[i].chart.table != empty)
          {
            gboolean differ = FALSE;

            g_assert_cmpuint (n, >, 4000);
            for (int y = 0; y < H && !differ; y++)
              for (int x = 0; x < W && !differ; x++)
                differ = pixel (s, x, y) != pixel (hover, x, y);
            g_assert_true (differ);
          }
        cairo_surface_destroy (s);
        cairo_surface_destroy (small);
        cairo_surface_destroy (hover);
      }
}

static char *
pdf_text (const char *pdf)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                     &status, &error))
    return NULL;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_pdf (void)
{
  g_autoptr(ZzTable) level = level_table ();
  g_autoptr(ZzTable) trend = trend_table ();
  g_autoptr(ZzTable) cats = category_table (6);
  g_autoptr(ZzTable) deps = department_table (3);
  g_autoptr(ZzTable) empty = zz_table_new ("empty", "空");
  ZzChart charts[] = {
    { ZZ_CHART_STACKED, level, 0, { 1 }, 1 },
    { ZZ_CHART_LINE, trend, 0, { 1, 2 }, 2 },
    { ZZ_CHART_DONUT, cats, 0, { 1 }, 1 },
    { ZZ_CHART_BARS, deps, 0, { 1, 2 }, 2 },
    { ZZ_CHART_BARS, empty, 0, { 1 }, 1 },
  };
  g_autofree char *dir = g_dir_make_tmp ("zz-chart-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "charts.pdf", NULL);
  g_autofree char *text = NULL;
  cairo_surface_t *s = cairo_pdf_surface_create (pdf, 595, 842);
  cairo_t *cr = cairo_create (s);
  ZzChartStyle style = { FALSE, -1, "Noto Sans CJK SC 9", 0.75 };

  zz_table_add_column (empty, "name", "名称", ZZ_CELL_TEXT);
  zz_table_add_column (empty, "n", "件数", ZZ_CELL_INT);
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      cairo_save (cr);
      cairo_translate (cr, 40, 40 + i * 155);
      zz_chart_draw (&charts[i], cr, 515, 145, &style);
      cairo_restore (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (s);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);

  text = pdf_text (pdf);
  if (!text)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  /* Labels, values and shares of each chart. */
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (strstr (text, ((const char *[]) { "村级", "乡镇级", "县级" })[i]));
  g_assert_nonnull (strstr (text, "10500"));
  g_assert_nonnull (strstr (text, "75.0%"));
  g_assert_nonnull (strstr (text, "23.0%"));
  g_assert_nonnull (strstr (text, "2.0%"));
  g_assert_nonnull (strstr (text, "2024-01"));
  g_assert_nonnull (strstr (text, "Registered"));
  g_assert_nonnull (strstr (text, "Concluded"));
  g_assert_nonnull (strstr (text, "婚姻家庭"));
  g_assert_nonnull (strstr (text, "3000"));
  g_assert_nonnull (strstr (text, "按时"));
  g_assert_nonnull (strstr (text, "超期"));
  g_assert_nonnull (strstr (text, "No data for this period"));
  g_assert_nonnull (strstr (text, "宅基地"));

  g_unlink (pdf);
  g_rmdir (dir);
}

/* The horizontal runs of @colour along row @y: their centres. */
static GArray *
runs (cairo_surface_t *s, guint32 colour, int y)
{
  GArray *centres = g_array_new (FALSE, FALSE, sizeof (int));
  int start = -1;

  for (int x = 0; x <= cairo_image_surface_get_width (s); x++)
    {
      gboolean in = x < cairo_image_surface_get_width (s) && pixel (s, x, y) == colour;
      if (in && start < 0)
        start = x;
      else if (!in && start >= 0)
        {
          if (x - start >= 6)
            {
              int c = (start + x - 1) / 2;
              g_array_append_val (centres, c);
            }
          start = -1;
        }
    }
  return centres;
}

static void
test_hit (void)
{
  g_autoptr(ZzTable) sources = source_table ();
  g_autoptr(ZzTable) level = level_table ();
  g_autoptr(ZzTable) cats = category_table (5);
  g_autoptr(ZzTable) trend = trend_table ();
  ZzChart bars = { ZZ_CHART_BARS, sources, 0, { 1 }, 1 };
  ZzChart stacked = { ZZ_CHART_STACKED, level, 0, { 1 }, 1 };
  ZzChart donut = { ZZ_CHART_DONUT, cats, 0, { 1 }, 1 };
  ZzChart line = { ZZ_CHART_LINE, trend, 0, { 1, 2 }, 2 };
  cairo_surface_t *s;
  int found = 0;

  /* Bars: find each bar in the picture by its colour, near the axis; its centre hits it. */
  s = render (&bars, FALSE, -1, W, H);
  for (int y = H - 1; y > H / 2 && found == 0; y--)
    {
      g_autoptr(GArray) c = runs (s, colour_pixel (FALSE, 0), y);
      if (c->len == 4)
        {
          for (guint i = 0; i < c->len; i++)
            g_assert_cmpint (zz_chart_hit (&bars, W, H, g_array_index (c, int, i), y), ==, i);
          /* Between two bars, and in the margin: nothing. */
          g_assert_cmpint (zz_chart_hit (&bars, W, H,
                                         (g_array_index (c, int, 0) + g_array_index (c, int, 1)) / 2,
                                         y), ==, -1);
          found = 1;
        }
    }
  g_assert_true (found);
  g_assert_cmpint (zz_chart_hit (&bars, W, H, 2, 2), ==, -1);
  g_assert_cmpint (zz_chart_hit (&bars, W, H, W + 10, H / 2), ==, -1);
  cairo_surface_destroy (s);

  /* The stacked bar: the middle of each drawn segment. */
  s = render (&stacked, TRUE, -1, W, H);
  found = 0;
  for (int y = 0; y < H && !found; y++)
    {
      g_autoptr(GArray) c0 = runs (s, colour_pixel (TRUE, 0), y);
      g_autoptr(GArray) c1 = runs (s, colour_pixel (TRUE, 1), y);
      g_autoptr(GArray) c2 = runs (s, colour_pixel (TRUE, 2), y);
      if (c0->len && c1->len && c2->len && g_array_index (c0, int, 0) > 100)
        {
          g_assert_cmpint (zz_chart_hit (&stacked, W, H, g_array_index (c0, int, 0), y), ==, 0);
          g_assert_cmpint (zz_chart_hit (&stacked, W, H, g_array_index (c1, int, 0), y), ==, 1);
          g_assert_cmpint (zz_chart_hit (&stacked, W, H, g_array_index (c2, int, 0), y), ==, 2);
          found = 1;
        }
    }
  g_assert_true (found);
  g_assert_cmpint (zz_chart_hit (&stacked, W, H, W / 2, H - 2), ==, -1);
  cairo_surface_destroy (s);

  /* The donut: pixels of a segment's colour in the ring hit that segment. */
  s = render (&donut, FALSE, -1, W, H);
  for (guint i = 0; i < 5; i++)
    {
      guint32 col = colour_pixel (FALSE, i);
      int hits = 0;

      for (int y = 0; y < H; y += 3)
        for (int x = 0; x < W / 2; x += 3)
          if (pixel (s, x, y) == col)
            {
              /* (at the pixel's centre: its corner may lie just past the ring's edge) */
              g_assert_cmpint (zz_chart_hit (&donut, W, H, x + 0.5, y + 0.5), ==, i);
              hits++;
            }
      g_assert_cmpint (hits, >, 3);
    }
  g_assert_cmpint (zz_chart_hit (&donut, W, H, 1, 1), ==, -1);
  cairo_surface_destroy (s);

  /* The line: outside the plot nothing; inside, an item of the month under the pointer. */
  g_assert_cmpint (zz_chart_hit (&line, W, H, 1, H - 1), ==, -1);
  {
    int item = zz_chart_hit (&line, W, H, W - 30, H / 2);
    g_assert_cmpint (item, >=, 11 * 2);
    g_assert_cmpint (item, <, 12 * 2);
  }

  /* Months that have not begun are empty cells: the line stops, and nothing is there to find. */
  {
    g_autoptr(ZzTable) partial = zz_table_new ("trend", "月度趋势");
    ZzChart stops = { ZZ_CHART_LINE, partial, 0, { 1, 2 }, 2 };
    g_autofree char *text = NULL;

    zz_table_add_column (partial, "month", "月份", ZZ_CELL_TEXT);
    zz_table_add_column (partial, "registered", "Registered", ZZ_CELL_INT);
    zz_table_add_column (partial, "concluded", "Concluded", ZZ_CELL_INT);
    for (guint i = 0; i < 12; i++)
      {
        guint r = zz_table_add_row (partial);
        g_autofree char *m = g_strdup_printf ("2026-%02u", i + 1);
        zz_table_set_text (partial, r, 0, m);
        if (i < 9)
          {
            zz_table_set_int (partial, r, 1, 100 + i);
            zz_table_set_int (partial, r, 2, 90 + i);
          }
      }
    g_assert_cmpint (zz_chart_hit (&stops, W, H, W - 30, H / 2), ==, -1);
    {
      int item = zz_chart_hit (&line, W, H, W - 30, H / 2);
      int first = zz_chart_hit (&stops, W, H, 60, H / 2);
      g_assert_cmpint (item, >=, 0);
      g_assert_cmpint (first, >=, 0);
      g_assert_cmpint (first, <, 9 * 2);
    }
    text = zz_chart_item_text (&stops, 11 * 2);
    g_assert_nonnull (strstr (text, "—"));
  }
}

/* A long label is cut short (ellipsized) before the figures of its legend entry: the figures
 * are drawn exactly as beside a short label. */
static void
test_long_label (void)
{
  g_autoptr(ZzTable) cats = category_table (5);
  g_autoptr(ZzTable) plain = category_table (5);
  ZzChart a = { ZZ_CHART_DONUT, cats, 0, { 1 }, 1 };
  ZzChart b = { ZZ_CHART_DONUT, plain, 0, { 1 }, 1 };
  cairo_surface_t *sa, *sb;
  guint32 col = colour_pixel (FALSE, 1);
  int row = -1, swatch_x = -1;

  zz_table_set_text (plain, 1, 0, "邻里");
  sa = render (&a, FALSE, -1, W, H);
  sb = render (&b, FALSE, -1, W, H);
  for (int y = 0; y < H && row < 0; y++)
    for (int x = W / 2; x < W && row < 0; x++)
      if (pixel (sa, x, y) == col)
        {
          row = y + 6;
          swatch_x = x;
        }
  g_assert_cmpint (row, >, 0);
  save (sa, "long-label");
  save (sb, "short-label");
  for (int y = row - 8; y <= row + 8; y++)
    for (int x = W - 85; x < W; x++)
      g_assert_cmpuint (pixel (sa, x, y), ==, pixel (sb, x, y));
  /* …and the label itself is drawn (it differs from the short one). */
  {
    gboolean differ = FALSE;
    for (int y = row - 8; y <= row + 8; y++)
      for (int x = swatch_x + 20; x < W - 85; x++)
        differ |= pixel (sa, x, y) != pixel (sb, x, y);
    g_assert_true (differ);
  }
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
}

static void
test_item_text (void)
{
  g_autoptr(ZzTable) level = level_table ();
  g_autoptr(ZzTable) deps = department_table (3);
  g_autoptr(ZzTable) sources = source_table ();
  ZzChart stacked = { ZZ_CHART_STACKED, level, 0, { 1 }, 1 };
  ZzChart grouped = { ZZ_CHART_BARS, deps, 0, { 1, 2 }, 2 };
  ZzChart bars = { ZZ_CHART_BARS, sources, 0, { 1 }, 1 };
  g_autofree char *a = zz_chart_item_text (&stacked, 0);
  g_autofree char *b = zz_chart_item_text (&grouped, 3);
  g_autofree char *c = zz_chart_item_text (&bars, 2);
  g_autofree char *d = zz_chart_item_text (&bars, 4);

  g_assert_cmpstr (a, ==, "村级: 10500 (75.0%)");
  g_assert_cmpstr (b, ==, "县自然资源局 · 超期: 3");
  g_assert_cmpstr (c, ==, "网格员上报: 95");
  g_assert_null (d);
}

static double
luminance (const double *rgb)
{
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static void
test_palette (void)
{
  /* Every colour stands out from its background (3:1, the bar for graphics), on the light
   * window (#fafafa) and the dark one (#242424); no two colours are the same. */
  for (int dark = 0; dark <= 1; dark++)
    for (guint i = 0; i < 8; i++)
      {
        double rgb[3], other[3];
        double l, bg = dark ? 0.0180 : 0.9560;

        zz_chart_colour (dark, i, rgb);
        l = luminance (rgb);
        g_assert_cmpfloat ((MAX (l, bg) + 0.05) / (MIN (l, bg) + 0.05), >=, 3.0);
        for (guint j = 0; j < i; j++)
          {
            zz_chart_colour (dark, j, other);
            g_assert_cmpfloat (fabs (rgb[0] - other[0]) + fabs (rgb[1] - other[1]) +
                               fabs (rgb[2] - other[2]), >, 0.15);
          }
        zz_chart_colour (dark, i + 8, other);   /* the palette cycles */
        g_assert_cmpfloat (rgb[0], ==, other[0]);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart/render", test_render_all);
  g_test_add_func ("/chart/pdf", test_pdf);
  g_test_add_func ("/chart/hit", test_hit);
  g_test_add_func ("/chart/item-text", test_item_text);
  g_test_add_func ("/chart/long-label", test_long_label);
  g_test_add_func ("/chart/palette", test_palette);
  return g_test_run ();
}
