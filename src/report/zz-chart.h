/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "zz-table.h"

G_BEGIN_DECLS

/* Charts of a ZzTable drawn with cairo and pango (GTK-free): the dashboard draws them in a
 * GtkDrawingArea, the monthly report on PDF pages and print pages, with one drawing.
 *
 * Colours come from a palette that stays distinguishable for colour-blind readers (Okabe–Ito),
 * with a light and a dark variant; every value is also written as a label (or, where labels
 * would collide, shown for the item under the pointer), so no figure depends on colour alone. */
typedef enum {
  ZZ_CHART_BARS,      /* one bar per row of value column 0 (more value columns: grouped bars) */
  ZZ_CHART_STACKED,   /* one horizontal bar split by rows (the level split), shares labelled */
  ZZ_CHART_LINE,      /* one line per value column over the rows (the monthly trend) */
  ZZ_CHART_DONUT,     /* one ring split by rows of value column 0 (categories), with a legend */
} ZzChartKind;

typedef struct {
  ZzChartKind    kind;
  const ZzTable *table;        /* not owned; must outlive the chart's use */
  guint          label_column; /* TEXT column naming each row */
  guint          value_columns[4];
  guint          n_values;     /* 1..4 */
} ZzChart;

typedef struct {
  gboolean    dark;            /* light text on a dark background */
  int         hover;           /* the item under the pointer (see zz_chart_hit), or -1 */
  const char *font;            /* pango font description, e.g. "Noto Sans CJK SC 9"; NULL: "Sans 9" */
  double      scale;           /* 1.0 on screen; points per pixel on paper */
} ZzChartStyle;

/* Draws @chart filling (0, 0, @width, @height) of @cr, background left to the caller. */
void      zz_chart_draw       (const ZzChart      *chart,
                               cairo_t            *cr,
                               double              width,
                               double              height,
                               const ZzChartStyle *style);
/* The item (row, or row * n_values + value for grouped bars and lines) at (@x, @y), or -1. */
int       zz_chart_hit        (const ZzChart      *chart,
                               double              width,
                               double              height,
                               double              x,
                               double              y);
/* "村级：10500（75.0%）": what a tooltip says about @item. */
char     *zz_chart_item_text  (const ZzChart      *chart,
                               int                 item);
/* Colour @i of the palette (cycling), as r, g, b in 0..1. */
void      zz_chart_colour     (gboolean            dark,
                               guint               i,
                               double             *rgb);

G_END_DECLS
