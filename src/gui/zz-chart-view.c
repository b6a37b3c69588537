/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-chart-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-chart-view.h"

/* ---- a row of a ZzTable, as a list item ---- */

#define ZZ_TYPE_TABLE_ROW (zz_table_row_get_type ())
G_DECLARE_FINAL_TYPE (ZzTableRow, zz_table_row, ZZ, TABLE_ROW, GObject)

struct _ZzTableRow {
  GObject parent_instance;
  ZzTable *table;
  guint row;
};

G_DEFINE_FINAL_TYPE (ZzTableRow, zz_table_row, G_TYPE_OBJECT)

static void
zz_table_row_finalize (GObject *object)
{
  g_clear_pointer (&ZZ_TABLE_ROW (object)->table, zz_table_unref);
  G_OBJECT_CLASS (zz_table_row_parent_class)->finalize (object);
}

static void
zz_table_row_class_init (ZzTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zz_table_row_finalize;
}

static void
zz_table_row_init (ZzTableRow *self)
{
}

guint
zz_table_row_get_index (GObject *item)
{
  g_return_val_if_fail (ZZ_IS_TABLE_ROW (item), 0);
  return ZZ_TABLE_ROW (item)->row;
}

static void
setup_cell_cb (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  ZzCellType type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (f), "zz-type"));
  GtkWidget *ins = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (ins), type == ZZ_CELL_TEXT ? 0.0 : 1.0);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (ins), type == ZZ_CELL_TEXT ? 6 : 5);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (ins), type == ZZ_CELL_TEXT ? 16 : 8);
  if (type != ZZ_CELL_TEXT)
    gtk_widget_add_css_class (ins, "numeric");
  gtk_list_item_set_child (item, ins);
}

static void
bind_cell_cb (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f), "zz-column"));
  ZzTableRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = zz_table_format_cell (row->table, row->row, column);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

GtkColumnView *
zz_table_column_view_new (ZzTable *table)
{
  GListStore *store = g_list_store_new (ZZ_TYPE_TABLE_ROW);
  GtkColumnView *view;

  g_return_val_if_fail (table != NULL, NULL);

  for (guint r = 0; r < zz_table_n_rows (table); r++)
    {
      ZzTableRow *row = g_object_new (ZZ_TYPE_TABLE_ROW, NULL);

      row->table = zz_table_ref (table);
      row->row = r;
      g_list_store_append (store, row);
      g_object_unref (row);
    }
  view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (
                                                 gtk_single_selection_new (G_LIST_MODEL (store)))));
  gtk_column_view_set_show_column_separators (view, FALSE);
  gtk_column_view_set_reorderable (view, FALSE);
  for (guint c = 0; c < zz_table_n_columns (table); c++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *col;

      g_object_set_data (G_OBJECT (f), "zz-column", GUINT_TO_POINTER (c));
      g_object_set_data (G_OBJECT (f), "zz-type", GINT_TO_POINTER (zz_table_column_type (table, c)));
      g_signal_connect (f, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (f, "bind", G_CALLBACK (bind_cell_cb), NULL);
      col = gtk_column_view_column_new (zz_table_column_title (table, c), f);
      gtk_column_view_column_set_resizable (col, TRUE);
      gtk_column_view_column_set_expand (col, zz_table_column_type (table, c) == ZZ_CELL_TEXT);
      gtk_column_view_append_column (view, col);
      g_object_unref (col);
    }
  return view;
}

/* ---- the chart view ---- */

struct _ZzChartView {
  GtkBox parent_instance;

  GtkLabel *title;
  GtkToggleButton *chart_button;
  GtkToggleButton *table_button;
  GtkStack *stack;
  GtkWidget *area;
  GtkScrolledWindow *table_scroll;
  GtkColumnView *column_view;

  ZzChart chart;
  ZzTable *table;
  int hover;
  gulong dark_handler;
};

G_DEFINE_FINAL_TYPE (ZzChartView, zz_chart_view, GTK_TYPE_BOX)

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  ZzChartView *self = data;
  ZzChartStyle style = { is_dark (), self->hover, NULL, 1.0 };
  PangoFontDescription *desc = pango_context_get_font_description (
                                 gtk_widget_get_pango_context (GTK_WIDGET (area)));
  g_autofree char *font = desc ? pango_font_description_to_string (desc) : NULL;

  if (!self->table)
    return;
  style.font = font;
  zz_chart_draw (&self->chart, cr, width, height, &style);
}

static void update_description (ZzChartView *self);

static void
set_hover (ZzChartView *self, int hover)
{
  g_autofree char *text = NULL;

  if (hover == self->hover)
    return;
  self->hover = hover;
  if (hover >= 0 && self->table)
    text = zz_chart_item_text (&self->chart, hover);
  gtk_widget_set_tooltip_text (self->area, text);
  gtk_widget_queue_draw (self->area);
}

static void
motion_cb (GtkEventControllerMotion *motion, double x, double y, ZzChartView *self)
{
  if (!self->table)
    return;
  set_hover (self, zz_chart_hit (&self->chart, gtk_widget_get_width (self->area),
                                 gtk_widget_get_height (self->area), x, y));
}

static void
leave_cb (GtkEventControllerMotion *motion, ZzChartView *self)
{
  set_hover (self, -1);
}

static int
n_items (ZzChartView *self)
{
  guint n = self->table ? zz_table_n_rows (self->table) : 0;

  if (self->chart.kind == ZZ_CHART_BARS || self->chart.kind == ZZ_CHART_LINE)
    n *= CLAMP (self->chart.n_values, 1, 4);
  return (int) n;
}

/* The arrow keys walk the items of a focused chart, as the pointer would: highlighted, and told
 * in the tooltip and to screen readers. */
static gboolean
key_pressed_cb (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                ZzChartView *self)
{
  int n = n_items (self), next;

  if (n == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Down:
      next = self->hover < 0 ? 0 : (self->hover + 1) % n;
      break;
    case GDK_KEY_Left:
    case GDK_KEY_Up:
      next = self->hover <= 0 ? n - 1 : self->hover - 1;
      break;
    case GDK_KEY_Home:
      next = 0;
      break;
    case GDK_KEY_End:
      next = n - 1;
      break;
    default:
      return FALSE;
    }
  set_hover (self, next);
  {
    g_autofree char *text = zz_chart_item_text (&self->chart, next);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  }
  gtk_widget_trigger_tooltip_query (self->area);
  return TRUE;
}

static void
focus_leave_cb (GtkEventControllerFocus *focus, ZzChartView *self)
{
  set_hover (self, -1);
  update_description (self);
}

static void
on_dark_changed_cb (ZzChartView *self)
{
  gtk_widget_queue_draw (self->area);
}

static void
on_toggle_cb (GtkToggleButton *button, ZzChartView *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  gtk_stack_set_visible_child_name (self->stack, button == self->table_button ? "table" : "chart");
}

/* What a screen reader says for the picture: the title and every item. */
static void
update_description (ZzChartView *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n = self->table ? zz_table_n_rows (self->table) : 0;
  guint items = n;

  if (self->chart.kind == ZZ_CHART_BARS || self->chart.kind == ZZ_CHART_LINE)
    items = n * CLAMP (self->chart.n_values, 1, 4);
  for (guint i = 0; i < items; i++)
    {
      g_autofree char *t = zz_chart_item_text (&self->chart, (int) i);
      if (s->len)
        g_string_append (s, "; ");
      g_string_append (s, t);
    }
  if (!items)
    g_string_append (s, _("No data for this period"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (self->title),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, s->str,
                                  -1);
}

static int
natural_height (ZzChartView *self)
{
  guint n = self->table ? zz_table_n_rows (self->table) : 0;

  switch (self->chart.kind)
    {
    case ZZ_CHART_STACKED:
      return 96 + 22 * (int) ((n + 1) / 2);
    case ZZ_CHART_DONUT:
      return MAX (220, 24 + 22 * (int) n);
    case ZZ_CHART_LINE:
      return 250;
    case ZZ_CHART_BARS:
    default:
      /* Room for bars along x too (long labels turn them), a row for each. */
      return MAX (230, 60 + 24 * (int) n * (int) CLAMP (self->chart.n_values, 1, 4));
    }
}

static void
zz_chart_view_dispose (GObject *object)
{
  ZzChartView *self = ZZ_CHART_VIEW (object);

  g_clear_signal_handler (&self->dark_handler, adw_style_manager_get_default ());
  g_clear_pointer (&self->table, zz_table_unref);
  G_OBJECT_CLASS (zz_chart_view_parent_class)->dispose (object);
}

static void
zz_chart_view_class_init (ZzChartViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = zz_chart_view_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "zzchartview");
}

static void
zz_chart_view_init (ZzChartView *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *toggles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkWidget *frame;

  self->hover = -1;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->title));

  /* "Chart | Table": one click to the numbers and back. */
  self->chart_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Chart")));
  self->table_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Table")));
  gtk_toggle_button_set_group (self->table_button, self->chart_button);
  gtk_toggle_button_set_active (self->chart_button, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->chart_button), _("Show the chart"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->table_button), _("Show the numbers as a table"));
  g_signal_connect (self->chart_button, "toggled", G_CALLBACK (on_toggle_cb), self);
  g_signal_connect (self->table_button, "toggled", G_CALLBACK (on_toggle_cb), self);
  gtk_widget_add_css_class (toggles, "linked");
  gtk_widget_set_valign (toggles, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (toggles), GTK_WIDGET (self->chart_button));
  gtk_box_append (GTK_BOX (toggles), GTK_WIDGET (self->table_button));
  gtk_box_append (GTK_BOX (header), toggles);
  gtk_box_append (GTK_BOX (self), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_set_interpolate_size (self->stack, FALSE);

  self->area = gtk_drawing_area_new ();
  gtk_widget_set_hexpand (self->area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_cb, self, NULL);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (self->area, motion);
  gtk_widget_set_focusable (self->area, TRUE);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
    g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), self);
    gtk_widget_add_controller (self->area, keys);
    gtk_widget_add_controller (self->area, focus);
  }
  /* The chart's own background is the view's, the colour its palette was chosen against. */
  frame = gtk_frame_new (NULL);
  gtk_widget_add_css_class (frame, "view");
  gtk_frame_set_child (GTK_FRAME (frame), self->area);
  gtk_stack_add_named (self->stack, frame, "chart");

  self->table_scroll = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->table_scroll, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (self->table_scroll, TRUE);
  gtk_scrolled_window_set_max_content_height (self->table_scroll, 360);
  gtk_scrolled_window_set_has_frame (self->table_scroll, TRUE);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->table_scroll), "table");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));

  self->dark_handler = g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                                                 G_CALLBACK (on_dark_changed_cb), self);
}

ZzChartView *
zz_chart_view_new (const char *title)
{
  ZzChartView *self = g_object_new (ZZ_TYPE_CHART_VIEW, NULL);

  gtk_label_set_text (self->title, title);
  return self;
}

void
zz_chart_view_set_title (ZzChartView *self, const char *title)
{
  g_return_if_fail (ZZ_IS_CHART_VIEW (self));
  gtk_label_set_text (self->title, title);
  update_description (self);
}

void
zz_chart_view_set_chart (ZzChartView *self,
                         ZzChartKind  kind,
                         ZzTable     *table,
                         guint        label_column,
                         const guint *value_columns,
                         guint        n_values)
{
  g_return_if_fail (ZZ_IS_CHART_VIEW (self));
  g_return_if_fail (table == NULL || (n_values >= 1 && n_values <= 4));

  if (table)
    zz_table_ref (table);
  g_clear_pointer (&self->table, zz_table_unref);
  self->table = table;
  memset (&self->chart, 0, sizeof self->chart);
  self->chart.kind = kind;
  self->chart.table = table;
  self->chart.label_column = label_column;
  for (guint i = 0; table && i < n_values; i++)
    self->chart.value_columns[i] = value_columns[i];
  self->chart.n_values = table ? n_values : 1;
  self->hover = -1;
  gtk_widget_set_tooltip_text (self->area, NULL);

  self->column_view = table ? zz_table_column_view_new (table) : NULL;
  if (self->column_view)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (self->title),
                                    -1);
  gtk_scrolled_window_set_child (self->table_scroll, GTK_WIDGET (self->column_view));
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->area), natural_height (self));
  update_description (self);
  gtk_widget_queue_draw (self->area);
}

ZzTable *
zz_chart_view_get_table (ZzChartView *self)
{
  g_return_val_if_fail (ZZ_IS_CHART_VIEW (self), NULL);
  return self->table;
}

void
zz_chart_view_show_table (ZzChartView *self, gboolean table)
{
  g_return_if_fail (ZZ_IS_CHART_VIEW (self));
  gtk_toggle_button_set_active (table ? self->table_button : self->chart_button, TRUE);
}

gboolean
zz_chart_view_get_showing_table (ZzChartView *self)
{
  g_return_val_if_fail (ZZ_IS_CHART_VIEW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "table") == 0;
}

GtkColumnView *
zz_chart_view_get_column_view (ZzChartView *self)
{
  g_return_val_if_fail (ZZ_IS_CHART_VIEW (self), NULL);
  return self->column_view;
}

GtkWidget *
zz_chart_view_get_drawing_area (ZzChartView *self)
{
  g_return_val_if_fail (ZZ_IS_CHART_VIEW (self), NULL);
  return self->area;
}

int
zz_chart_view_get_hover (ZzChartView *self)
{
  g_return_val_if_fail (ZZ_IS_CHART_VIEW (self), -1);
  return self->hover;
}
