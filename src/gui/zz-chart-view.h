/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-chart.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* A chart of a ZzTable with a title, and one click away ("Chart | Table") the table of its
 * numbers. Follows the light or dark style; the item under the pointer is highlighted and told
 * in a tooltip. */
#define ZZ_TYPE_CHART_VIEW (zz_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzChartView, zz_chart_view, ZZ, CHART_VIEW, GtkBox)

ZzChartView  *zz_chart_view_new          (const char    *title);
void          zz_chart_view_set_title    (ZzChartView   *self,
                                          const char    *title);
/* Shows @table (referenced) as a chart of @kind: @label_column names the rows, @value_columns
 * (1..4) are drawn. NULL clears it. */
void          zz_chart_view_set_chart    (ZzChartView   *self,
                                          ZzChartKind    kind,
                                          ZzTable       *table,
                                          guint          label_column,
                                          const guint   *value_columns,
                                          guint          n_values);
ZzTable      *zz_chart_view_get_table    (ZzChartView   *self);
void          zz_chart_view_show_table   (ZzChartView   *self,
                                          gboolean       table);
gboolean      zz_chart_view_get_showing_table (ZzChartView *self);
GtkColumnView *zz_chart_view_get_column_view  (ZzChartView *self);
GtkWidget    *zz_chart_view_get_drawing_area  (ZzChartView *self);
/* The hovered item (see zz_chart_hit), or -1. */
int           zz_chart_view_get_hover    (ZzChartView   *self);

/* A column view of every column of @table, numbers right-aligned; its model is a list of
 * ZzTableRow items (the row index in "row"). */
GtkColumnView *zz_table_column_view_new  (ZzTable       *table);
/* The row of a ZzTableRow item. */
guint         zz_table_row_get_index     (GObject       *item);

G_END_DECLS
