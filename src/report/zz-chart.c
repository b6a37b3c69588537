/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "zz-chart.h"

/* Every length below is in screen pixels, multiplied by the style's scale when drawn. The
 * geometry (where each bar, point, segment and legend entry sits) depends only on the chart, the
 * size and the scale, never on text measurement, so zz_chart_hit finds exactly what was drawn. */
#define PAD          8.0
#define AXIS_W      52.0   /* tick labels left of a vertical value axis */
#define AXIS_H      20.0   /* tick labels below a horizontal value axis */
#define LABEL_H     22.0   /* row labels below vertical bars and the line */
#define VALUE_H     18.0   /* value labels above the highest bar or point */
#define LEGEND_H    22.0   /* one row of legend */
#define LEGEND_W   190.0   /* preferred width of a legend cell (stacked bar, donut) */
#define VALUE_W     64.0   /* value labels right of horizontal bars */
#define MIN_SLOT    72.0   /* narrower slots than this turn vertical bars horizontal */
#define SWATCH      12.0
#define N_PALETTE    8

/* Okabe–Ito, each hue adjusted so that it keeps a contrast of at least 3:1 against the light
 * (white) and dark (#1e1e1e..#242424) backgrounds of the style; black dropped (it is the text
 * colour), grey added. */
static const guint32 palette_light[N_PALETTE] = {
  0x0072B2, 0xC47A00, 0x009E73, 0xD55E00, 0x3A8CC4, 0xB8608F, 0x8F7F00, 0x737373,
};
static const guint32 palette_dark[N_PALETTE] = {
  0x2B8FD6, 0xE69F00, 0x00A67C, 0xE8702A, 0x7CC6F0, 0xD98BB5, 0xF0E442, 0xADADAD,
};

typedef struct {
  double s;                      /* scale */
  guint n, m;                    /* rows, value columns */
  double x0, y0, x1, y1;         /* the plot area */
  gboolean horizontal;           /* bars along x (with a label column left) */
  double lo, hi, step;           /* the value axis */
  double slot;                   /* per row along the category axis */
  double total;                  /* stacked, donut: the sum of value column 0 */
  double cx, cy, r_out, r_in;    /* donut */
  double lx, ly, lw, lh;         /* legend grid: origin, cell size */
  guint lcols;
  gboolean empty;
} Geo;

typedef struct {
  cairo_t *cr;
  const ZzChart *chart;
  const ZzChartStyle *style;
  PangoFontDescription *font;
  double fg[3], bg[3];
  double s;
  int hover;
} Ctx;

static double
value_at (const ZzChart *chart, guint row, guint v)
{
  double x = zz_table_get_number (chart->table, row, chart->value_columns[v]);
  return isfinite (x) ? x : 0.0;
}

/* An empty cell of a line: a month that has not begun. The line stops before it. */
static gboolean
no_value (const ZzChart *chart, guint row, guint v)
{
  return zz_table_is_null (chart->table, row, chart->value_columns[v]);
}

static gboolean
column_is_integral (const ZzChart *chart)
{
  for (guint v = 0; v < chart->n_values; v++)
    if (zz_table_column_type (chart->table, chart->value_columns[v]) != ZZ_CELL_INT)
      return FALSE;
  return TRUE;
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about @target intervals over @range
 * (whole numbers for counts). */
static double
nice_step (double range, int target, gboolean integral)
{
  double raw, mag, f, nf;

  if (range <= 0)
    return 1.0;
  raw = range / MAX (target, 1);
  mag = pow (10.0, floor (log10 (raw)));
  f = raw / mag;
  if (f <= 1.0)
    nf = 1.0;
  else if (f <= 2.0)
    nf = 2.0;
  else if (f <= 2.5 && !(integral && mag < 10.0))
    nf = 2.5;
  else if (f <= 5.0)
    nf = 5.0;
  else
    nf = 10.0;
  if (integral && nf * mag < 1.0)
    return 1.0;
  return nf * mag;
}

static void
value_axis (const ZzChart *chart, Geo *g, double length)
{
  double lo = 0, hi = 0;
  gboolean integral = column_is_integral (chart);
  int target = (int) CLAMP (length / (56.0 * g->s), 3, 8);

  for (guint r = 0; r < g->n; r++)
    for (guint v = 0; v < g->m; v++)
      {
        double x = value_at (chart, r, v);
        lo = MIN (lo, x);
        hi = MAX (hi, x);
      }
  if (hi == lo)
    hi = lo + 1.0;
  g->step = nice_step (hi - lo, target, integral);
  g->lo = floor (lo / g->step) * g->step;
  g->hi = ceil (hi / g->step) * g->step;
  if (g->hi <= g->lo)
    g->hi = g->lo + g->step;
}

static void
legend_grid (Geo *g, double x, double y, double width, guint n)
{
  guint rows;

  /* As many columns as fit, then as few as keep the same number of rows (4 entries in 2 + 2,
   * not 3 + 1). */
  g->lcols = MAX (1, (guint) floor (width / (LEGEND_W * g->s)));
  g->lcols = MIN (g->lcols, MAX (n, 1));
  rows = (MAX (n, 1) + g->lcols - 1) / g->lcols;
  g->lcols = (MAX (n, 1) + rows - 1) / rows;
  g->lw = width / g->lcols;
  g->lh = LEGEND_H * g->s;
  g->lx = x;
  g->ly = y;
}

static guint
legend_rows (const Geo *g)
{
  return (g->n + g->lcols - 1) / g->lcols;
}

/* About how wide the longest row label is, from its characters alone (a wide CJK character
 * counts twice): enough to choose the bars' orientation without measuring text, so that the
 * drawing and zz_chart_hit agree. */
static double
longest_label (const ZzChart *chart, guint n, double s)
{
  double widest = 0;

  for (guint r = 0; r < n; r++)
    {
      const char *t = zz_table_get_text (chart->table, r, chart->label_column);
      double w = 0;

      for (const char *p = t; p && *p; p = g_utf8_next_char (p))
        w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
      widest = MAX (widest, w);
    }
  return widest * 6.5 * s;
}

static void
geometry (const ZzChart *chart, double width, double height, double scale, Geo *g)
{
  double s = scale > 0 ? scale : 1.0;

  memset (g, 0, sizeof *g);
  g->s = s;
  g->n = chart->table ? zz_table_n_rows (chart->table) : 0;
  g->m = CLAMP (chart->n_values, 1, 4);
  g->x0 = PAD * s;
  g->y0 = PAD * s;
  g->x1 = width - PAD * s;
  g->y1 = height - PAD * s;
  if (g->n == 0)
    {
      g->empty = TRUE;
      return;
    }

  switch (chart->kind)
    {
    case ZZ_CHART_BARS:
      {
        double top = (g->m > 1 ? LEGEND_H * s : 0) + VALUE_H * s;
        double slot = (g->x1 - g->x0 - AXIS_W * s) / g->n;

        /* Narrow slots, or labels that would be cut short below the bars: bars along x, with
         * the labels in a column of their own. */
        g->horizontal = slot < MIN_SLOT * s || longest_label (chart, g->n, s) > slot - 6 * s;
        if (!g->horizontal)
          {
            g->x0 += AXIS_W * s;
            g->y0 += top;
            g->y1 -= LABEL_H * s;
            g->slot = (g->x1 - g->x0) / g->n;
            value_axis (chart, g, g->y1 - g->y0);
          }
        else
          {
            double label_w = MIN ((g->x1 - g->x0) * 0.34, 170.0 * s);

            g->x0 += label_w;
            g->x1 -= VALUE_W * s;
            g->y0 += g->m > 1 ? LEGEND_H * s : 0;
            g->y1 -= AXIS_H * s;
            g->slot = (g->y1 - g->y0) / g->n;
            value_axis (chart, g, g->x1 - g->x0);
          }
      }
      break;

    case ZZ_CHART_LINE:
      g->x0 += AXIS_W * s;
      g->x1 -= 12.0 * s;   /* room for the last point's label */
      g->y0 += LEGEND_H * s + VALUE_H * s;
      g->y1 -= LABEL_H * s;
      g->slot = (g->x1 - g->x0) / g->n;
      value_axis (chart, g, g->y1 - g->y0);
      break;

    case ZZ_CHART_STACKED:
    case ZZ_CHART_DONUT:
      for (guint r = 0; r < g->n; r++)
        g->total += MAX (0.0, value_at (chart, r, 0));
      if (g->total <= 0)
        {
          g->empty = TRUE;
          return;
        }
      if (chart->kind == ZZ_CHART_STACKED)
        {
          double bar_h;
          double avail = g->y1 - g->y0;
          guint rows;

          legend_grid (g, g->x0, 0, g->x1 - g->x0, g->n);
          rows = legend_rows (g);
          /* Short of height: legend rows closer together before anything is cut off. */
          if (avail - rows * g->lh - 12.0 * s < 16.0 * s)
            g->lh = MAX (12.0 * s, (avail - 28.0 * s) / rows);
          bar_h = CLAMP (avail - rows * g->lh - 12.0 * s, 12.0 * s, 44.0 * s);
          /* The bar and its legend as one block, in the middle of the height. */
          g->y0 += MAX (0.0, (avail - bar_h - 12.0 * s - rows * g->lh) / 2);
          g->y1 = g->y0 + bar_h;
          g->ly = g->y1 + 12.0 * s;
        }
      else
        {
          double w = g->x1 - g->x0, h = g->y1 - g->y0;
          gboolean side = w >= h * 1.4;   /* legend right of the ring, else below */
          double d;

          if (side)
            {
              d = MIN (h, w * 0.45);
              g->cx = g->x0 + d / 2;
              g->cy = g->y0 + h / 2;
              legend_grid (g, g->x0 + d + 24.0 * s, 0, w - d - 24.0 * s, g->n);
              g->lcols = 1;
              g->lw = w - d - 24.0 * s;
              /* Rows closer together rather than past the bottom. */
              g->lh = MAX (14.0 * s, MIN (g->lh, h / g->n));
              g->ly = MAX (g->y0, g->cy - legend_rows (g) * g->lh / 2);
            }
          else
            {
              legend_grid (g, g->x0, 0, w, g->n);
              d = MIN (w, h - legend_rows (g) * g->lh - 12.0 * s);
              if (d < h * 0.45)
                {
                  /* Rows closer together rather than a ring too small to read. */
                  d = MIN (w, h * 0.45);
                  g->lh = MAX (14.0 * s, (h - d - 12.0 * s) / legend_rows (g));
                }
              g->cx = g->x0 + w / 2;
              g->cy = g->y0 + d / 2;
              g->ly = g->y0 + d + 12.0 * s;
            }
          g->r_out = d / 2;
          g->r_in = g->r_out * 0.58;
        }
      break;
    }
}

/* Where a value sits along the value axis. */
static double
value_pos (const Geo *g, double v)
{
  double f = (v - g->lo) / (g->hi - g->lo);

  if (g->horizontal)
    return g->x0 + f * (g->x1 - g->x0);
  return g->y1 - f * (g->y1 - g->y0);
}

/* The rectangle of bar (@row, @v). */
static void
bar_rect (const Geo *g, const ZzChart *chart, guint row, guint v,
          double *x, double *y, double *w, double *h)
{
  double band = g->slot * (g->m > 1 ? 0.8 : 0.64);
  double each = band / g->m;
  double start = row * g->slot + (g->slot - band) / 2 + v * each;
  double a = value_pos (g, 0.0 > g->lo ? 0.0 : g->lo);
  double b = value_pos (g, value_at (chart, row, v));

  if (g->horizontal)
    {
      *y = g->y0 + start;
      *h = each;
      *x = MIN (a, b);
      *w = fabs (b - a);
    }
  else
    {
      *x = g->x0 + start;
      *w = each;
      *y = MIN (a, b);
      *h = fabs (b - a);
    }
}

static double
point_x (const Geo *g, guint row)
{
  return g->x0 + (row + 0.5) * g->slot;
}

/* The segment of @row in the stacked bar: [x, x + w). */
static void
segment (const Geo *g, const ZzChart *chart, guint row, double *x, double *w)
{
  double acc = 0;

  for (guint r = 0; r < row; r++)
    acc += MAX (0.0, value_at (chart, r, 0));
  *x = g->x0 + acc / g->total * (g->x1 - g->x0);
  *w = MAX (0.0, value_at (chart, row, 0)) / g->total * (g->x1 - g->x0);
}

/* The angles of @row in the donut, clockwise from twelve o'clock. */
static void
arc (const Geo *g, const ZzChart *chart, guint row, double *a0, double *a1)
{
  double acc = 0;

  for (guint r = 0; r < row; r++)
    acc += MAX (0.0, value_at (chart, r, 0));
  *a0 = -G_PI / 2 + acc / g->total * 2 * G_PI;
  *a1 = *a0 + MAX (0.0, value_at (chart, row, 0)) / g->total * 2 * G_PI;
}

static void
legend_cell (const Geo *g, guint row, double *x, double *y)
{
  *x = g->lx + (row % g->lcols) * g->lw;
  *y = g->ly + (row / g->lcols) * g->lh;
}

/* ---- drawing helpers ---- */

static void
rgb_of (guint32 c, double *rgb)
{
  rgb[0] = ((c >> 16) & 0xff) / 255.0;
  rgb[1] = ((c >> 8) & 0xff) / 255.0;
  rgb[2] = (c & 0xff) / 255.0;
}

static double
luminance (const double *rgb)
{
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/* Black or white, whichever reads better on @rgb. */
static void
text_on (const double *rgb, double *out)
{
  double l = luminance (rgb);
  double on_black = (l + 0.05) / 0.05, on_white = 1.05 / (l + 0.05);
  double v = on_black > on_white ? 0.0 : 1.0;

  out[0] = out[1] = out[2] = v;
}

static void
set_rgb (cairo_t *cr, const double *rgb, double alpha)
{
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
}

static PangoLayout *
layout_new (Ctx *c, const char *text, double max_w, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (c->cr);
  PangoFontDescription *desc = pango_font_description_copy (c->font);

  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (max_w > 0)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
text_size (Ctx *c, const char *text, gboolean bold, double *w, double *h)
{
  PangoLayout *layout = layout_new (c, text, -1, bold);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *w = (double) logical.width / PANGO_SCALE;
  *h = (double) logical.height / PANGO_SCALE;
  g_object_unref (layout);
}

/* Draws @text with its anchor (@ax, @ay: 0 left/top, 0.5 centre, 1 right/bottom) at (@x, @y),
 * ellipsized to @max_w when positive. */
static void
show (Ctx *c, const char *text, double x, double y, double ax, double ay, double max_w,
      const double *rgb, gboolean bold)
{
  PangoLayout *layout = layout_new (c, text, max_w, bold);
  PangoRectangle ink, logical;
  double w, h;

  pango_layout_get_extents (layout, &ink, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  if (max_w > 0 && w > max_w)
    w = max_w;
  cairo_save (c->cr);
  set_rgb (c->cr, rgb, 1.0);
  cairo_move_to (c->cr, x - ax * w - (double) logical.x / PANGO_SCALE, y - ay * h);
  pango_cairo_show_layout (c->cr, layout);
  cairo_restore (c->cr);
  g_object_unref (layout);
}

/* Fills the current path with colour @i; series past the palette, or told apart in grouped bars,
 * also get a hatch (@pattern 1..3) so that no series depends on colour alone. */
static void
fill_path (Ctx *c, guint i, guint pattern, double alpha)
{
  double rgb[3], ink[3];
  double x1, y1, x2, y2;

  zz_chart_colour (c->style->dark, i, rgb);
  set_rgb (c->cr, rgb, alpha);
  if (pattern == 0)
    {
      cairo_fill (c->cr);
      return;
    }
  cairo_fill_preserve (c->cr);
  cairo_save (c->cr);
  cairo_clip (c->cr);
  cairo_clip_extents (c->cr, &x1, &y1, &x2, &y2);
  text_on (rgb, ink);
  set_rgb (c->cr, ink, 0.45 * alpha);
  cairo_set_line_width (c->cr, 1.2 * c->s);
  for (double d = -(y2 - y1); d < (x2 - x1) + (y2 - y1); d += 5.0 * c->s)
    {
      if (pattern == 1 || pattern == 3)   /* diagonal */
        {
          cairo_move_to (c->cr, x1 + d, y2);
          cairo_line_to (c->cr, x1 + d + (y2 - y1), y1);
        }
      if (pattern == 2 || pattern == 3)   /* the other diagonal */
        {
          cairo_move_to (c->cr, x1 + d, y1);
          cairo_line_to (c->cr, x1 + d + (y2 - y1), y2);
        }
    }
  cairo_stroke (c->cr);
  cairo_restore (c->cr);
}

static void
outline_hover (Ctx *c)
{
  cairo_save (c->cr);
  set_rgb (c->cr, c->fg, 1.0);
  cairo_set_line_width (c->cr, 2.5 * c->s);
  cairo_stroke (c->cr);
  cairo_restore (c->cr);
}

static double
dim (const Ctx *c, int item)
{
  return c->hover >= 0 && c->hover != item ? 0.55 : 1.0;
}

static char *
tick_text (const ZzChart *chart, const Geo *g, double v)
{
  ZzCellType t = zz_table_column_type (chart->table, chart->value_columns[0]);

  if (fabs (v) < g->step * 1e-6)
    v = 0;
  if (t == ZZ_CELL_PERCENT)
    return g->step * 100 >= 1 ? g_strdup_printf ("%.0f%%", v * 100)
                              : g_strdup_printf ("%.1f%%", v * 100);
  if (g->step >= 1 && fabs (v - round (v)) < 1e-9)
    return g_strdup_printf ("%.0f", v);
  return g_strdup_printf ("%.1f", v);
}

static char *
share_text (double part, double total)
{
  return g_strdup_printf ("%.1f%%", total > 0 ? part / total * 100.0 : 0.0);
}

static const char *
row_label (const ZzChart *chart, guint row)
{
  const char *t = zz_table_get_text (chart->table, row, chart->label_column);
  return t ? t : "—";
}

static void
draw_value_grid (Ctx *c, const Geo *g)
{
  cairo_t *cr = c->cr;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0 * c->s);
  for (double v = g->lo; v <= g->hi + g->step * 0.5; v += g->step)
    {
      double p = value_pos (g, v);
      g_autofree char *t = tick_text (c->chart, g, v);

      set_rgb (cr, c->fg, fabs (v) < g->step * 1e-6 ? 0.55 : 0.14);
      if (g->horizontal)
        {
          cairo_move_to (cr, round (p) + 0.5, g->y0);
          cairo_line_to (cr, round (p) + 0.5, g->y1);
          cairo_stroke (cr);
          show (c, t, p, g->y1 + 3 * c->s, 0.5, 0, -1, c->fg, FALSE);
        }
      else
        {
          cairo_move_to (cr, g->x0, round (p) + 0.5);
          cairo_line_to (cr, g->x1, round (p) + 0.5);
          cairo_stroke (cr);
          show (c, t, g->x0 - 6 * c->s, p, 1, 0.5, AXIS_W * c->s - 8 * c->s, c->fg, FALSE);
        }
    }
  cairo_restore (cr);
}

static void draw_marker (Ctx *c, guint series, double x, double y, double r, double alpha);

/* A row of legend entries (one per value column) above the plot: swatch or line and marker, and
 * the column's title. */
static void
draw_series_legend (Ctx *c, const Geo *g, gboolean line)
{
  double x = line ? g->x0 : PAD * c->s;
  double y = PAD * c->s;
  double cell = (g->x1 - x) / g->m;

  for (guint v = 0; v < g->m; v++)
    {
      const char *title = zz_table_column_title (c->chart->table, c->chart->value_columns[v]);
      double sx = x + v * cell, sy = y + (LEGEND_H * c->s - SWATCH * c->s) / 2;

      if (line)
        {
          static const double dashes[4][4] = { { 0 }, { 6, 3 }, { 2, 2 }, { 8, 3, 2, 3 } };
          static const int n_dashes[4] = { 0, 2, 2, 4 };
          double d[4], rgb[3];

          for (int i = 0; i < n_dashes[v]; i++)
            d[i] = dashes[v][i] * c->s;
          zz_chart_colour (c->style->dark, v, rgb);
          cairo_save (c->cr);
          set_rgb (c->cr, rgb, 1.0);
          cairo_set_line_width (c->cr, 2.0 * c->s);
          cairo_set_dash (c->cr, d, n_dashes[v], 0);
          cairo_move_to (c->cr, sx, sy + SWATCH * c->s / 2);
          cairo_line_to (c->cr, sx + 22 * c->s, sy + SWATCH * c->s / 2);
          cairo_stroke (c->cr);
          cairo_restore (c->cr);
          draw_marker (c, v, sx + 11 * c->s, sy + SWATCH * c->s / 2, 3.5 * c->s, 1.0);
          show (c, title, sx + 28 * c->s, y + LEGEND_H * c->s / 2, 0, 0.5,
                cell - 32 * c->s, c->fg, FALSE);
        }
      else
        {
          cairo_rectangle (c->cr, sx, sy, SWATCH * c->s, SWATCH * c->s);
          fill_path (c, v, v, 1.0);
          show (c, title, sx + (SWATCH + 6) * c->s, y + LEGEND_H * c->s / 2, 0, 0.5,
                cell - (SWATCH + 10) * c->s, c->fg, FALSE);
        }
    }
}

static void
draw_bars (Ctx *c, const Geo *g)
{
  const ZzChart *chart = c->chart;
  cairo_t *cr = c->cr;
  guint every = 1;

  if (g->m > 1)
    draw_series_legend (c, g, FALSE);
  draw_value_grid (c, g);

  /* Rows too thin for their labels: every second, third… label (the tooltip and the table
   * have them all). */
  if (g->horizontal)
    {
      double tw, th;
      text_size (c, "Ag", FALSE, &tw, &th);
      while (every < g->n && every * g->slot < th)
        every++;
    }
  for (guint r = 0; r < g->n; r++)
    {
      const char *label = row_label (chart, r);

      if (g->horizontal)
        {
          if (r % every == 0)
            show (c, label, g->x0 - 8 * c->s, g->y0 + (r + 0.5) * g->slot, 1, 0.5,
                  g->x0 - PAD * c->s - 10 * c->s, c->fg, FALSE);
        }
      else
        show (c, label, point_x (g, r), g->y1 + 4 * c->s, 0.5, 0, g->slot - 6 * c->s, c->fg,
              FALSE);

      for (guint v = 0; v < g->m; v++)
        {
          int item = (int) (r * g->m + v);
          double x, y, w, h, tw, th;
          g_autofree char *t = zz_table_format_cell (chart->table, r, chart->value_columns[v]);
          gboolean fits;

          bar_rect (g, chart, r, v, &x, &y, &w, &h);
          if (w > 0 && h > 0)
            {
              cairo_rectangle (cr, x, y, w, h);
              fill_path (c, v, v, dim (c, item));
              if (item == c->hover)
                {
                  cairo_rectangle (cr, x, y, w, h);
                  outline_hover (c);
                }
            }
          /* Every value is written unless it would collide with its neighbours' (grouped
           * narrow bars); then the item under the pointer shows its own. */
          text_size (c, t, item == c->hover, &tw, &th);
          if (g->horizontal)
            {
              fits = th <= g->slot / g->m + 4 * c->s;
              if (fits || item == c->hover)
                show (c, t, x + w + 4 * c->s, y + h / 2, 0, 0.5, -1, c->fg, item == c->hover);
            }
          else
            {
              fits = tw <= g->slot / g->m - 2 * c->s;
              if (fits || item == c->hover)
                show (c, t, x + w / 2, y - 2 * c->s, 0.5, 1, -1, c->fg, item == c->hover);
            }
        }
    }
}

static void
draw_marker (Ctx *c, guint series, double x, double y, double r, double alpha)
{
  cairo_t *cr = c->cr;
  double rgb[3];

  cairo_new_path (cr);
  switch (series % 4)
    {
    case 0:   /* circle */
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case 1:   /* square */
      cairo_rectangle (cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 2:   /* triangle */
      cairo_move_to (cr, x, y - r * 1.2);
      cairo_line_to (cr, x + r * 1.1, y + r * 0.8);
      cairo_line_to (cr, x - r * 1.1, y + r * 0.8);
      cairo_close_path (cr);
      break;
    default:  /* diamond */
      cairo_move_to (cr, x, y - r * 1.3);
      cairo_line_to (cr, x + r * 1.1, y);
      cairo_line_to (cr, x, y + r * 1.3);
      cairo_line_to (cr, x - r * 1.1, y);
      cairo_close_path (cr);
      break;
    }
  zz_chart_colour (c->style->dark, series, rgb);
  set_rgb (cr, rgb, alpha);
  cairo_fill_preserve (cr);
  set_rgb (cr, c->bg, alpha);
  cairo_set_line_width (cr, 1.2 * c->s);
  cairo_stroke (cr);
}

static void
draw_line (Ctx *c, const Geo *g)
{
  static const double dashes[4][4] = { { 0 }, { 6, 3 }, { 2, 2 }, { 8, 3, 2, 3 } };
  static const int n_dashes[4] = { 0, 2, 2, 4 };
  const ZzChart *chart = c->chart;
  cairo_t *cr = c->cr;
  guint every = 1;
  double widest = 0;

  draw_series_legend (c, g, TRUE);
  draw_value_grid (c, g);

  /* Row labels: every one when they fit, else every second, third… */
  for (guint r = 0; r < g->n; r++)
    {
      double w, h;
      text_size (c, row_label (chart, r), FALSE, &w, &h);
      widest = MAX (widest, w);
    }
  while (every < g->n && every * g->slot < widest + 8 * c->s)
    every++;
  for (guint r = 0; r < g->n; r++)
    if (r % every == 0 || (c->hover >= 0 && (guint) c->hover / g->m == r))
      show (c, row_label (chart, r), point_x (g, r), g->y1 + 4 * c->s, 0.5, 0,
            every * g->slot - 4 * c->s, c->fg, FALSE);

  for (guint v = 0; v < g->m; v++)
    {
      double rgb[3], d[4];
      gboolean faded = c->hover >= 0 && (guint) c->hover % g->m != v;

      for (int i = 0; i < n_dashes[v]; i++)
        d[i] = dashes[v][i] * c->s;
      zz_chart_colour (c->style->dark, v, rgb);
      cairo_save (cr);
      set_rgb (cr, rgb, faded ? 0.55 : 1.0);
      cairo_set_line_width (cr, 2.0 * c->s);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_dash (cr, d, n_dashes[v], 0);
      for (guint r = 0, drawn = 0; r < g->n; r++)
        {
          double y = value_pos (g, value_at (chart, r, v));
          if (no_value (chart, r, v))
            drawn = 0;
          else if (drawn++ == 0)
            cairo_move_to (cr, point_x (g, r), y);
          else
            cairo_line_to (cr, point_x (g, r), y);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
      for (guint r = 0; r < g->n; r++)
        {
          int item = (int) (r * g->m + v);
          double y = value_pos (g, value_at (chart, r, v));

          if (no_value (chart, r, v))
            continue;
          draw_marker (c, v, point_x (g, r), y, (item == c->hover ? 5.5 : 3.5) * c->s,
                       faded ? 0.55 : 1.0);
          if (item == c->hover)
            {
              cairo_arc (cr, point_x (g, r), y, 8 * c->s, 0, 2 * G_PI);
              outline_hover (c);
            }
        }
    }

  /* Values: the highest series of each month above its point, the lowest below, when the
   * months are wide enough; the hovered point always. */
  for (guint r = 0; r < g->n; r++)
    {
      guint top = 0, bottom = 0;

      for (guint v = 1; v < g->m; v++)
        {
          if (value_at (chart, r, v) > value_at (chart, r, top))
            top = v;
          if (value_at (chart, r, v) <= value_at (chart, r, bottom))
            bottom = v;
        }
      for (guint v = 0; v < g->m; v++)
        {
          int item = (int) (r * g->m + v);
          g_autofree char *t = zz_table_format_cell (chart->table, r, chart->value_columns[v]);
          double y = value_pos (g, value_at (chart, r, v));
          double tw, th;
          gboolean shown;

          if (no_value (chart, r, v))
            continue;
          text_size (c, t, FALSE, &tw, &th);
          /* One label when the series meet; none below the point where it would run into the
           * month labels. */
          shown = tw + 4 * c->s <= g->slot
                  && (v == top || (v == bottom && g->m > 1
                                   && value_at (chart, r, bottom) < value_at (chart, r, top)
                                   && y + 6 * c->s + th <= g->y1));
          if (c->hover >= 0 && (guint) c->hover / g->m == r && item != c->hover)
            shown = FALSE;   /* the hovered point's label takes the month */
          if (!shown && item != c->hover)
            continue;
          if (v == top || item == c->hover)
            show (c, t, point_x (g, r), y - 6 * c->s, 0.5, 1, -1, c->fg, item == c->hover);
          else
            show (c, t, point_x (g, r), y + 6 * c->s, 0.5, 0, -1, c->fg, FALSE);
        }
    }
}

static void
draw_legend_entry (Ctx *c, const Geo *g, guint row, gboolean with_value)
{
  const ZzChart *chart = c->chart;
  double x, y;
  g_autofree char *value = zz_table_format_cell (chart->table, row, chart->value_columns[0]);
  g_autofree char *share = share_text (MAX (0.0, value_at (chart, row, 0)), g->total);
  g_autofree char *figure = NULL;
  double fw, fh, sw = SWATCH * c->s;
  int item = (int) row;

  legend_cell (g, row, &x, &y);
  cairo_rectangle (c->cr, x, y + (g->lh - sw) / 2, sw, sw);
  fill_path (c, row, row >= N_PALETTE ? 1 + (row / N_PALETTE - 1) % 3 : 0, 1.0);
  if (item == c->hover)
    {
      cairo_rectangle (c->cr, x, y + (g->lh - sw) / 2, sw, sw);
      outline_hover (c);
    }
  /* Figures right-aligned in the cell, the label ellipsized into what is left. */
  figure = with_value ? g_strdup_printf ("%s  %s", value, share) : g_strdup (share);
  text_size (c, figure, item == c->hover, &fw, &fh);
  show (c, figure, x + g->lw - 10 * c->s, y + g->lh / 2, 1, 0.5, -1, c->fg, item == c->hover);
  show (c, row_label (chart, row), x + sw + 6 * c->s, y + g->lh / 2, 0, 0.5,
        g->lw - sw - fw - 24 * c->s, c->fg, item == c->hover);
}

/* The legend of the stacked bar and the donut: every entry with its count and share, or all
 * with the share alone when the cells are too narrow for both (the tooltip and the table have
 * the counts). */
static void
draw_legend (Ctx *c, const Geo *g)
{
  double widest = 0;

  for (guint r = 0; r < g->n; r++)
    {
      g_autofree char *value = zz_table_format_cell (c->chart->table, r,
                                                     c->chart->value_columns[0]);
      g_autofree char *share = share_text (MAX (0.0, value_at (c->chart, r, 0)), g->total);
      g_autofree char *figure = g_strdup_printf ("%s  %s", value, share);
      double w, h;

      text_size (c, figure, TRUE, &w, &h);
      widest = MAX (widest, w);
    }
  for (guint r = 0; r < g->n; r++)
    draw_legend_entry (c, g, r, widest <= g->lw * 0.45);
}

static void
draw_stacked (Ctx *c, const Geo *g)
{
  const ZzChart *chart = c->chart;
  cairo_t *cr = c->cr;

  for (guint r = 0; r < g->n; r++)
    {
      double x, w, tw, th, rgb[3], ink[3];
      g_autofree char *share = share_text (MAX (0.0, value_at (chart, r, 0)), g->total);

      segment (g, chart, r, &x, &w);
      if (w <= 0)
        continue;
      cairo_rectangle (cr, x, g->y0, w, g->y1 - g->y0);
      fill_path (c, r, r >= N_PALETTE ? 1 : 0, dim (c, (int) r));
      /* A thin gap in the background colour between segments. */
      cairo_save (cr);
      set_rgb (cr, c->bg, 1.0);
      cairo_set_line_width (cr, 1.5 * c->s);
      cairo_move_to (cr, x + w, g->y0);
      cairo_line_to (cr, x + w, g->y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      text_size (c, share, FALSE, &tw, &th);
      if (tw + 8 * c->s <= w)
        {
          zz_chart_colour (c->style->dark, r, rgb);
          text_on (rgb, ink);
          show (c, share, x + w / 2, (g->y0 + g->y1) / 2, 0.5, 0.5, -1, ink, FALSE);
        }
      if ((int) r == c->hover)
        {
          cairo_rectangle (cr, x, g->y0, w, g->y1 - g->y0);
          outline_hover (c);
        }
    }
  draw_legend (c, g);
}

static void
draw_donut (Ctx *c, const Geo *g)
{
  const ZzChart *chart = c->chart;
  cairo_t *cr = c->cr;
  g_autofree char *total = NULL;
  double tw, th;

  for (guint r = 0; r < g->n; r++)
    {
      double a0, a1, rgb[3], ink[3];

      arc (g, chart, r, &a0, &a1);
      if (a1 <= a0)
        continue;
      cairo_new_path (cr);
      cairo_arc (cr, g->cx, g->cy, g->r_out, a0, a1);
      cairo_arc_negative (cr, g->cx, g->cy, g->r_in, a1, a0);
      cairo_close_path (cr);
      fill_path (c, r, r >= N_PALETTE ? 1 + (r / N_PALETTE - 1) % 3 : 0, dim (c, (int) r));
      cairo_save (cr);
      set_rgb (cr, c->bg, 1.0);
      cairo_set_line_width (cr, 1.5 * c->s);
      cairo_move_to (cr, g->cx + g->r_in * cos (a1), g->cy + g->r_in * sin (a1));
      cairo_line_to (cr, g->cx + g->r_out * cos (a1), g->cy + g->r_out * sin (a1));
      cairo_stroke (cr);
      cairo_restore (cr);
      /* Shares on segments big enough to hold them; the legend has them all. */
      {
        g_autofree char *share = share_text (MAX (0.0, value_at (chart, r, 0)), g->total);
        double mid = (a0 + a1) / 2, rr = (g->r_in + g->r_out) / 2;
        double chord = (a1 - a0) * rr;

        text_size (c, share, FALSE, &tw, &th);
        if (chord >= tw + 4 * c->s && g->r_out - g->r_in >= th)
          {
            zz_chart_colour (c->style->dark, r, rgb);
            text_on (rgb, ink);
            show (c, share, g->cx + rr * cos (mid), g->cy + rr * sin (mid), 0.5, 0.5, -1, ink,
                  FALSE);
          }
      }
      if ((int) r == c->hover)
        {
          cairo_new_path (cr);
          cairo_arc (cr, g->cx, g->cy, g->r_out, a0, a1);
          cairo_arc_negative (cr, g->cx, g->cy, g->r_in, a1, a0);
          cairo_close_path (cr);
          outline_hover (c);
        }
    }

  /* The total in the hole. */
  total = g_strdup_printf ("%.0f", g->total);
  if (!column_is_integral (chart))
    {
      g_free (total);
      total = g_strdup_printf ("%.1f", g->total);
    }
  text_size (c, total, TRUE, &tw, &th);
  if (tw < g->r_in * 1.8)
    {
      show (c, total, g->cx, g->cy, 0.5, 1, -1, c->fg, TRUE);
      show (c, _("Total"), g->cx, g->cy, 0.5, 0, g->r_in * 1.6, c->fg, FALSE);
    }

  draw_legend (c, g);
}

void
zz_chart_draw (const ZzChart      *chart,
               cairo_t            *cr,
               double              width,
               double              height,
               const ZzChartStyle *style)
{
  static const ZzChartStyle plain = { FALSE, -1, NULL, 1.0 };
  Ctx c = { 0 };
  Geo g;
  int size;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (cr != NULL);

  if (!style)
    style = &plain;
  c.cr = cr;
  c.chart = chart;
  c.style = style;
  c.s = style->scale > 0 ? style->scale : 1.0;
  c.hover = style->hover;
  c.font = pango_font_description_from_string (style->font ? style->font : "Sans 9");
  size = pango_font_description_get_size (c.font);
  if (size <= 0)
    size = 9 * PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (c.font))
    pango_font_description_set_absolute_size (c.font, size * c.s);
  else
    pango_font_description_set_size (c.font, (int) (size * c.s));
  if (style->dark)
    {
      c.fg[0] = c.fg[1] = c.fg[2] = 0.93;
      c.bg[0] = c.bg[1] = c.bg[2] = 0x1e / 255.0;
    }
  else
    {
      c.fg[0] = c.fg[1] = c.fg[2] = 0.12;
      c.bg[0] = c.bg[1] = c.bg[2] = 1.0;
    }

  geometry (chart, width, height, c.s, &g);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (g.empty || !chart->table)
    {
      show (&c, _("No data for this period"), width / 2, height / 2, 0.5, 0.5,
            width - 2 * PAD * c.s, c.fg, FALSE);
    }
  else
    {
      if (c.hover >= (int) (g.n * (chart->kind == ZZ_CHART_BARS || chart->kind == ZZ_CHART_LINE
                                   ? g.m : 1)))
        c.hover = -1;
      switch (chart->kind)
        {
        case ZZ_CHART_BARS:
          draw_bars (&c, &g);
          break;
        case ZZ_CHART_STACKED:
          draw_stacked (&c, &g);
          break;
        case ZZ_CHART_LINE:
          draw_line (&c, &g);
          break;
        case ZZ_CHART_DONUT:
          draw_donut (&c, &g);
          break;
        }
    }
  cairo_restore (cr);
  pango_font_description_free (c.font);
}

int
zz_chart_hit (const ZzChart *chart,
              double         width,
              double         height,
              double         x,
              double         y)
{
  Geo g;

  g_return_val_if_fail (chart != NULL, -1);

  geometry (chart, width, height, 1.0, &g);
  if (g.empty || !chart->table)
    return -1;

  switch (chart->kind)
    {
    case ZZ_CHART_BARS:
      {
        /* A bar answers over its whole band across the plot, so that short bars are easy to
         * point at. */
        for (guint r = 0; r < g.n; r++)
          for (guint v = 0; v < g.m; v++)
            {
              double bx, by, bw, bh;

              bar_rect (&g, chart, r, v, &bx, &by, &bw, &bh);
              if (g.horizontal ? (y >= by && y < by + bh && x >= g.x0 && x <= g.x1 + VALUE_W)
                               : (x >= bx && x < bx + bw && y >= g.y0 - VALUE_H && y <= g.y1))
                return (int) (r * g.m + v);
            }
        return -1;
      }

    case ZZ_CHART_LINE:
      {
        guint r;
        guint best = 0;
        double best_d = G_MAXDOUBLE;

        if (x < g.x0 || x >= g.x1 || y < g.y0 - VALUE_H || y > g.y1)
          return -1;
        r = (guint) floor ((x - g.x0) / g.slot);
        if (r >= g.n)
          return -1;
        for (guint v = 0; v < g.m; v++)
          {
            double d = fabs (value_pos (&g, value_at (chart, r, v)) - y);
            if (no_value (chart, r, v))
              continue;
            if (d < best_d)
              {
                best_d = d;
                best = v;
              }
          }
        return best_d < G_MAXDOUBLE ? (int) (r * g.m + best) : -1;
      }

    case ZZ_CHART_STACKED:
      if (y >= g.y0 && y <= g.y1)
        for (guint r = 0; r < g.n; r++)
          {
            double sx, sw;
            segment (&g, chart, r, &sx, &sw);
            if (sw > 0 && x >= sx && x < sx + sw)
              return (int) r;
          }
      break;

    case ZZ_CHART_DONUT:
      {
        double dx = x - g.cx, dy = y - g.cy;
        double d = sqrt (dx * dx + dy * dy);

        if (d >= g.r_in && d <= g.r_out)
          {
            double a = atan2 (dy, dx);

            if (a < -G_PI / 2)
              a += 2 * G_PI;
            for (guint r = 0; r < g.n; r++)
              {
                double a0, a1;
                arc (&g, chart, r, &a0, &a1);
                if (a >= a0 && a < a1)
                  return (int) r;
              }
          }
      }
      break;
    }

  /* The legend entries of the stacked bar and the donut. */
  for (guint r = 0; r < g.n; r++)
    {
      double lx, ly;
      legend_cell (&g, r, &lx, &ly);
      if (x >= lx && x < lx + g.lw && y >= ly && y < ly + g.lh)
        return (int) r;
    }
  return -1;
}

char *
zz_chart_item_text (const ZzChart *chart,
                    int            item)
{
  guint n, m, row, v;
  g_autofree char *value = NULL;

  g_return_val_if_fail (chart != NULL && chart->table != NULL, NULL);

  n = zz_table_n_rows (chart->table);
  m = CLAMP (chart->n_values, 1, 4);
  if (item < 0)
    return NULL;
  if (chart->kind == ZZ_CHART_BARS || chart->kind == ZZ_CHART_LINE)
    {
      row = (guint) item / m;
      v = (guint) item % m;
    }
  else
    {
      row = (guint) item;
      v = 0;
    }
  if (row >= n)
    return NULL;
  value = zz_table_format_cell (chart->table, row, chart->value_columns[v]);

  if (chart->kind == ZZ_CHART_STACKED || chart->kind == ZZ_CHART_DONUT)
    {
      double total = 0;
      g_autofree char *share = NULL;

      for (guint r = 0; r < n; r++)
        total += MAX (0.0, value_at (chart, r, 0));
      share = share_text (MAX (0.0, value_at (chart, row, 0)), total);
      /* TRANSLATORS: a chart's item: its label, its figure and its share, e.g.
       * "Village: 10500 (75.0%)" */
      return g_strdup_printf (_("%s: %s (%s)"), row_label (chart, row), value, share);
    }
  if (m > 1)
    /* TRANSLATORS: a chart's item: row, series and figure, e.g. "2024-03 · Registered: 120" */
    return g_strdup_printf (_("%s · %s: %s"), row_label (chart, row),
                            zz_table_column_title (chart->table, chart->value_columns[v]), value);
  /* TRANSLATORS: a chart's item: its label and its figure, e.g. "Village: 10500" */
  return g_strdup_printf (_("%s: %s"), row_label (chart, row), value);
}

void
zz_chart_colour (gboolean  dark,
                 guint     i,
                 double   *rgb)
{
  g_return_if_fail (rgb != NULL);
  rgb_of ((dark ? palette_dark : palette_light)[i % N_PALETTE], rgb);
}
