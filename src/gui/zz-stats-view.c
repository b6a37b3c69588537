/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-stats-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zz-save-dialog.h"
#include "zz-print.h"
#include "zz-stats-view.h"
#include "zz-date.h"
#include "zz-gui-util.h"
#include "zz-stats-worker.h"
#include "zz-window.h"
#include "zz-export.h"
#include "zz-stats-report.h"

/* A unit whose records last arrived longer ago than this is marked stale. */
#define STALE_DAYS 7
/* Rows of the data-quality list shown; the export has them all. */
#define QUALITY_SHOWN 60

typedef struct {
  const char *key;          /* table key */
  ZzChartKind kind;
  const char *values[4];    /* value column keys */
  int left, top, width;     /* in the grid */
} ChartSpec;

static const ChartSpec chart_specs[] = {
  { "by_level", ZZ_CHART_STACKED, { "cases" }, 0, 0, 1 },
  { "by_category", ZZ_CHART_DONUT, { "cases" }, 1, 0, 1 },
  { "trend", ZZ_CHART_LINE, { "registered", "concluded" }, 0, 1, 2 },
  { "by_source", ZZ_CHART_BARS, { "cases" }, 0, 2, 1 },
  { "satisfaction", ZZ_CHART_BARS, { "visits" }, 1, 2, 1 },
  { "by_department", ZZ_CHART_BARS, { "on_time", "late", "pending" }, 0, 3, 1 },
  { "households", ZZ_CHART_BARS, { "households", "overdue" }, 1, 3, 1 },
};

struct _ZzStatsView {
  AdwBin parent_instance;

  GtkBox *breadcrumb_box;
  GtkSpinner *spinner;
  GtkDropDown *period_kind;
  GtkLabel *period_label;
  GtkMenuButton *export_button;
  GtkRevealer *custom_revealer;
  GtkLabel *custom_error;
  GtkEntry *from_entry;
  GtkEntry *to_entry;
  GtkLabel *scope_title;
  GtkLabel *status_label;
  GtkFlowBox *figures_box;
  AdwPreferencesGroup *units_group;
  GtkListBox *units_list;
  GtkGrid *charts_grid;
  AdwPreferencesGroup *quality_group;
  GtkListBox *quality_list;

  ZzApplication *app;
  ZzStore *store;
  char *unit;
  ZzPeriod period;
  ZzStats *stats;
  ZzChartView *charts[G_N_ELEMENTS (chart_specs)];

  GCancellable *cancellable;
  guint generation;
  gboolean busy;
  gboolean dirty;          /* the records changed since the figures were computed */
  guint refresh_source;
  gulong changed_id;
  gboolean updating_kind;
  guint printing;          /* print jobs drawing from the figures shown */
  GPtrArray *retired;      /* figures replaced while a print job still draws them */
  gboolean to_top;         /* a drill-down: show the new unit's figures from the top */
};

G_DEFINE_FINAL_TYPE (ZzStatsView, zz_stats_view, ADW_TYPE_BIN)

static void start_compute (ZzStatsView *self);

/* ---- helpers ---- */

static ZzTable *
find_table (ZzStats *stats, const char *key)
{
  g_autoptr(GPtrArray) tables = NULL;

  if (!stats)
    return NULL;
  tables = zz_stats_tables (stats);
  for (guint i = 0; i < tables->len; i++)
    if (g_strcmp0 (zz_table_get_key (tables->pdata[i]), key) == 0)
      return tables->pdata[i];
  return NULL;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)))
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
today (ZzStatsView *self, GDate *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (zz_store_now (self->store) / 1000);

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static char *
format_date (const GDate *d)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (d), g_date_get_month (d),
                          g_date_get_day (d));
}

static gboolean
parse_date (const char *text, GDate *d)
{
  g_date_clear (d, 1);
  return zz_date_parse (text, d, NULL);
}

/* ---- the period ---- */

static void
update_period_controls (ZzStatsView *self)
{
  g_autofree char *text = zz_period_display (&self->period);
  gboolean custom = self->period.kind == ZZ_PERIOD_CUSTOM;

  gtk_label_set_text (self->period_label, text);
  self->updating_kind = TRUE;
  gtk_drop_down_set_selected (self->period_kind, (guint) self->period.kind);
  self->updating_kind = FALSE;
  if (!custom)
    {
      /* The dates go away: the focus does not stay behind in them. */
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

      if (focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->custom_revealer)))
        gtk_widget_grab_focus (GTK_WIDGET (self->period_kind));
    }
  gtk_revealer_set_reveal_child (self->custom_revealer, custom);
  if (custom)
    {
      g_autofree char *a = format_date (&self->period.first);
      g_autofree char *b = format_date (&self->period.last);
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), a);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), b);
    }
}

static void
on_kind_changed_cb (ZzStatsView *self)
{
  guint kind = gtk_drop_down_get_selected (self->period_kind);
  GDate day = self->period.first;

  if (self->updating_kind || kind == GTK_INVALID_LIST_POSITION || kind == (guint) self->period.kind)
    return;
  if (kind == ZZ_PERIOD_CUSTOM)
    {
      /* The two dates start as the period shown; nothing changes until they are applied. */
      g_autofree char *a = format_date (&self->period.first);
      g_autofree char *b = format_date (&self->period.last);

      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), a);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), b);
      gtk_label_set_text (self->custom_error, "");
      gtk_revealer_set_reveal_child (self->custom_revealer, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  /* The period of the new kind that holds the one shown (today's, if it holds today). */
  {
    GDate now;
    today (self, &now);
    if (g_date_compare (&now, &self->period.first) >= 0 && g_date_compare (&now, &self->period.last) <= 0)
      day = now;
  }
  zz_period_containing (&self->period, (ZzPeriodKind) kind, &day);
  update_period_controls (self);
  start_compute (self);
}

static void
apply_custom (ZzStatsView *self)
{
  GDate a, b;
  ZzPeriod p;
  g_autoptr(GError) error = NULL;

  if (!parse_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), &a))
    {
      gtk_label_set_text (self->custom_error, _("Enter the first day as YYYY-MM-DD."));
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  if (!parse_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), &b))
    {
      gtk_label_set_text (self->custom_error, _("Enter the last day as YYYY-MM-DD."));
      gtk_widget_grab_focus (GTK_WIDGET (self->to_entry));
      return;
    }
  if (!zz_period_custom (&p, &a, &b, &error))
    {
      gtk_label_set_text (self->custom_error, error->message);
      return;
    }
  gtk_label_set_text (self->custom_error, "");
  self->period = p;
  update_period_controls (self);
  start_compute (self);
}

static void
on_custom_activate_cb (ZzStatsView *self)
{
  apply_custom (self);
}

static void
apply_custom_action (GtkWidget *w, const char *name, GVariant *param)
{
  apply_custom (ZZ_STATS_VIEW (w));
}

static void
step_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzStatsView *self = ZZ_STATS_VIEW (w);

  zz_period_step (&self->period, g_str_equal (name, "stats.next") ? 1 : -1);
  update_period_controls (self);
  start_compute (self);
}

static void
refresh_action (GtkWidget *w, const char *name, GVariant *param)
{
  zz_stats_view_refresh (ZZ_STATS_VIEW (w));
}

/* ---- the scope ---- */

static void
on_crumb_clicked_cb (GtkButton *button, ZzStatsView *self)
{
  zz_stats_view_set_unit (self, g_object_get_data (G_OBJECT (button), "zz-code"));
}

static void
update_breadcrumb (ZzStatsView *self)
{
  g_autoptr(GListModel) steps = zz_store_stats_breadcrumb (self->store, self->unit);
  guint n = g_list_model_get_n_items (steps);

  clear_box (GTK_WIDGET (self->breadcrumb_box));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) step = g_list_model_get_item (steps, i);
      const char *name = zz_row_get (step, "name");
      const char *code = zz_row_get (step, "code");

      if (i > 0)
        {
          GtkWidget *sep = gtk_label_new ("›");
          gtk_widget_add_css_class (sep, "dim-label");
          gtk_box_append (self->breadcrumb_box, sep);
        }
      if (i + 1 < n)
        {
          /* Each step above the unit shown goes back to it. */
          GtkWidget *b = gtk_button_new_with_label (name ? name : code);
          g_autofree char *tip = g_strdup_printf (_("Back to %s"), name ? name : code);

          gtk_widget_add_css_class (b, "flat");
          gtk_widget_set_tooltip_text (b, tip);
          g_object_set_data_full (G_OBJECT (b), "zz-code", g_strdup (code), g_free);
          g_signal_connect (b, "clicked", G_CALLBACK (on_crumb_clicked_cb), self);
          gtk_box_append (self->breadcrumb_box, b);
        }
      else
        {
          GtkWidget *l = gtk_label_new (name ? name : code);
          gtk_widget_add_css_class (l, "heading");
          gtk_widget_set_margin_start (l, 6);
          gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
          gtk_box_append (self->breadcrumb_box, l);
        }
    }
}

static void
up_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzStatsView *self = ZZ_STATS_VIEW (w);
  g_autoptr(GListModel) steps = zz_store_stats_breadcrumb (self->store, self->unit);
  guint n = g_list_model_get_n_items (steps);

  if (n >= 2)
    {
      g_autoptr(ZzRow) parent = g_list_model_get_item (steps, n - 2);
      zz_stats_view_set_unit (self, zz_row_get (parent, "code"));
    }
}

static void
on_unit_activated_cb (ZzStatsView *self, GtkListBoxRow *row)
{
  const char *code = g_object_get_data (G_OBJECT (row), "zz-code");

  if (code)
    zz_stats_view_set_unit (self, code);
}

/* ---- showing the figures ---- */

static const char *
cell_text_or (ZzTable *t, guint row, int column, char **tmp)
{
  if (column < 0)
    return "";
  *tmp = zz_table_format_cell (t, row, (guint) column);
  return *tmp;
}

/* A list in its own scrolled window: as tall as its rows, up to @max pixels. */
static void
fit_list (GtkListBox *list, int max)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  int height = 4;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    {
      int nat = 0;
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, -1, NULL, &nat, NULL, NULL);
      height += nat;
      if (height >= max)
        break;
    }
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), MIN (height, max));
}

/* What each key figure counts, where it is shown (the definitions of zz-stats.h): the figures
 * count different sets of cases (registered 10, concluded 7, open 9 in one month is right). */
static const struct {
  const char *figure;       /* the figure's name, as zz-stats.c labels it */
  const char *definition;
} figure_definitions[] = {
  { N_("Cases registered"), N_("Cases registered in the period.") },
  { N_("Cases concluded"), N_("Cases concluded in the period, whenever they were registered.") },
  { N_("Cases open"), N_("Of the cases registered in the period, those still open now.") },
  { N_("Cases overdue"), N_("Of the cases registered in the period, those open past their deadline now.") },
  { N_("Mediation success rate"), N_("Of the cases concluded in the period after mediation, the share whose last mediation reached an agreement.") },
  { N_("Resolved at village and township"), N_("Share of the cases concluded in the period that a village or township resolved.") },
  { N_("Resolved at the county"), N_("Share of the cases concluded in the period that the county resolved.") },
  { N_("Resolved at the prefecture"), N_("Share of the cases concluded in the period that the prefecture resolved.") },
  { N_("Dispatches to departments"), N_("Dispatches to departments made in the period and not returned.") },
  { N_("Dispatches on time"), N_("Of the period’s dispatches decided so far, the share concluded by their deadline.") },
  { N_("Return visits"), N_("Return visits made in the period.") },
  { N_("Satisfaction rate"), N_("Share of the period’s return visits answered satisfied or basically satisfied.") },
  { N_("Reception visitors"), N_("People who came to the reception desk in the period.") },
  { N_("Visitors per day"), N_("Visitors per day, over the days of the period that had visits.") },
  { N_("Average wait (minutes)"), N_("From the ticket issued to the visitor called, first ticket of each visit.") },
  { N_("Risk households"), N_("Households on the list now, whatever the period.") },
  { N_("High-risk households"), N_("Listed households graded high now.") },
  { N_("Household visits overdue"), N_("Listed households past their visit due date now.") },
};

static const char *
figure_definition (const char *figure)
{
  for (guint i = 0; i < G_N_ELEMENTS (figure_definitions); i++)
    if (g_strcmp0 (figure, _(figure_definitions[i].figure)) == 0)
      return _(figure_definitions[i].definition);
  return NULL;
}

static void
fill_figures (ZzStatsView *self)
{
  ZzTable *t = find_table (self->stats, "summary");

  clear_box (GTK_WIDGET (self->figures_box));
  if (!t)
    return;
  for (guint r = 0; r < zz_table_n_rows (t); r++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value, *caption;
      g_autofree char *text = NULL;
      g_autofree char *name = g_strdup_printf ("figure-%u", r);
      g_autofree char *a11y = NULL;
      const char *figure = zz_table_get_text (t, r, 0);

      /* The one column of the row's kind that is filled (count, rate or measure); a rate with
       * nothing to divide by stays "—". */
      for (guint c = 1; c < zz_table_n_columns (t) && !text; c++)
        if (!zz_table_is_null (t, r, c))
          text = zz_table_format_cell (t, r, c);
      if (!text)
        text = g_strdup ("—");

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "stats-figure");
      value = gtk_label_new (text);
      gtk_widget_set_name (value, name);
      gtk_widget_add_css_class (value, "big-figure");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      caption = gtk_label_new (figure);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_label_set_lines (GTK_LABEL (caption), 2);
      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_set_margin_top (value, 10);
      gtk_widget_set_margin_start (value, 12);
      gtk_widget_set_margin_end (value, 12);
      gtk_widget_set_margin_start (caption, 12);
      gtk_widget_set_margin_end (caption, 12);
      gtk_widget_set_margin_bottom (caption, 10);
      gtk_box_append (GTK_BOX (card), value);
      gtk_box_append (GTK_BOX (card), caption);
      if (figure_definition (figure))
        {
          g_autofree char *def_name = g_strdup_printf ("figure-def-%u", r);
          GtkWidget *def = gtk_label_new (figure_definition (figure));
          gtk_widget_set_name (def, def_name);
          gtk_label_set_xalign (GTK_LABEL (def), 0);
          gtk_label_set_wrap (GTK_LABEL (def), TRUE);
          gtk_label_set_lines (GTK_LABEL (def), 3);
          gtk_label_set_ellipsize (GTK_LABEL (def), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (def), 24);
          gtk_widget_add_css_class (def, "caption");
          gtk_widget_add_css_class (def, "dim-label");
          gtk_widget_set_margin_start (def, 12);
          gtk_widget_set_margin_end (def, 12);
          gtk_widget_set_margin_bottom (def, 10);
          gtk_widget_set_margin_bottom (caption, 2);
          gtk_box_append (GTK_BOX (card), def);
          /* The whole definition, when the card cuts it short. */
          gtk_widget_set_tooltip_text (card, figure_definition (figure));
        }
      a11y = g_strdup_printf ("%s: %s", figure, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_flow_box_append (self->figures_box, card);
      /* Figures are read, not chosen: Tab goes past them. */
      gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
    }
}

static void
fill_units (ZzStatsView *self)
{
  ZzTable *t = find_table (self->stats, "by_unit");
  int c_unit, c_code, c_reg, c_con, c_open, c_over, c_rate, c_asof;
  guint n;

  clear_box (GTK_WIDGET (self->units_list));
  n = t ? zz_table_n_rows (t) : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->units_group), n > 0);
  if (!n)
    return;
  c_unit = zz_table_column_index (t, "unit");
  c_code = zz_table_column_index (t, "code");
  c_reg = zz_table_column_index (t, "registered");
  c_con = zz_table_column_index (t, "concluded");
  c_open = zz_table_column_index (t, "open");
  c_over = zz_table_column_index (t, "overdue");
  c_rate = zz_table_column_index (t, "success_rate");
  c_asof = zz_table_column_index (t, "data_as_of");

  for (guint r = 0; r < n; r++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *mark = NULL;
      g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL, *t5 = NULL, *t6 = NULL;
      g_autofree char *subtitle = NULL;
      const char *link = zz_table_get_link (t, r);
      const char *name = c_unit >= 0 ? zz_table_get_text (t, r, (guint) c_unit) : NULL;
      /* Only the units below drill down; a row of the unit itself (its own cases) does not. */
      const char *code = link && g_str_has_prefix (link, "unit:") ? link + 5 : NULL;

      /* TRANSLATORS: a unit's figures in the drill-down list */
      subtitle = g_strdup_printf (_("Registered %s · Concluded %s · Open %s · Overdue %s · Success %s · Data as of %s"),
                                  cell_text_or (t, r, c_reg, &t1), cell_text_or (t, r, c_con, &t2),
                                  cell_text_or (t, r, c_open, &t3), cell_text_or (t, r, c_over, &t4),
                                  cell_text_or (t, r, c_rate, &t5), cell_text_or (t, r, c_asof, &t6));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     name ? name : c_code >= 0 ? zz_table_get_text (t, r, (guint) c_code) : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      /* Figures that may be old say so in words, not by colour alone. */
      if (c_asof >= 0 && zz_table_is_null (t, r, (guint) c_asof))
        mark = gtk_label_new (_("No data received"));
      else if (c_asof >= 0)
        {
          gint64 age = self->stats->computed_at - zz_table_get_int (t, r, (guint) c_asof);
          gint64 days = age / (24 * 3600 * 1000LL);

          if (days > STALE_DAYS)
            {
              g_autofree char *s = g_strdup_printf (ngettext ("Stale: %lld day old",
                                                              "Stale: %lld days old", days),
                                                    (long long) days);
              mark = gtk_label_new (s);
            }
        }
      if (mark)
        {
          gtk_widget_set_name (mark, "stale-mark");
          gtk_widget_add_css_class (mark, "warning");
          gtk_widget_add_css_class (mark, "heading");
          gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
          gtk_widget_set_name (row, "stale-unit");
        }
      if (code)
        {
          GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
          g_autofree char *tip = g_strdup_printf (_("Show the figures of %s"), name ? name : code);

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, tip);
          g_object_set_data_full (G_OBJECT (row), "zz-code", g_strdup (code), g_free);
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->units_list, row);
    }
  /* The units list grows with its rows and the page scrolls: a scroll area of its own inside
   * the scrolling page caught the wheel. */
}

static void
fill_charts (ZzStatsView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (chart_specs); i++)
    {
      const ChartSpec *spec = &chart_specs[i];
      ZzTable *t = find_table (self->stats, spec->key);
      guint values[4];
      guint n = 0;

      gtk_widget_set_visible (GTK_WIDGET (self->charts[i]), t != NULL);
      if (!t)
        continue;
      for (guint v = 0; v < 4 && spec->values[v]; v++)
        {
          int c = zz_table_column_index (t, spec->values[v]);
          if (c >= 0)
            values[n++] = (guint) c;
        }
      if (n == 0)
        values[n++] = MIN (1, zz_table_n_columns (t) - 1);
      zz_chart_view_set_title (self->charts[i], zz_table_get_title (t));
      zz_chart_view_set_chart (self->charts[i], spec->kind, t, 0, values, n);
    }
}

static void
on_quality_activated_cb (ZzStatsView *self, GtkListBoxRow *row)
{
  const char *link = g_object_get_data (G_OBJECT (row), "zz-link");

  if (link)
    zz_stats_view_open_link (self, link);
}

static void
fill_quality (ZzStatsView *self)
{
  ZzTable *t = find_table (self->stats, "quality");
  guint n = t ? zz_table_n_rows (t) : 0;
  int c_problem, c_record, c_unit, c_detail, c_at;

  clear_box (GTK_WIDGET (self->quality_list));
  gtk_widget_set_visible (GTK_WIDGET (self->quality_group),
                          t && zz_store_can (self->store, ZZ_PERM_VIEW_STATS_RECORDS));
  if (!t)
    return;
  c_problem = zz_table_column_index (t, "problem");
  c_record = zz_table_column_index (t, "record");
  c_unit = zz_table_column_index (t, "unit");
  c_detail = zz_table_column_index (t, "detail");
  c_at = zz_table_column_index (t, "at");
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing to look at in this period"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->quality_list, row);
      fit_list (self->quality_list, 440);
      return;
    }
  for (guint r = 0; r < MIN (n, QUALITY_SHOWN); r++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
      g_autofree char *title = NULL, *subtitle = NULL;
      const char *link = zz_table_get_link (t, r);

      title = g_strdup_printf ("%s — %s", cell_text_or (t, r, c_record, &a),
                               cell_text_or (t, r, c_problem, &b));
      subtitle = g_strdup_printf ("%s · %s · %s", cell_text_or (t, r, c_unit, &c),
                                  cell_text_or (t, r, c_detail, &d), cell_text_or (t, r, c_at, &e));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (link)
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, g_str_has_prefix (link, "case:") ? _("Open the case")
                                                                             : _("Open the household"));
          g_object_set_data_full (G_OBJECT (row), "zz-link", g_strdup (link), g_free);
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->quality_list, row);
    }
  if (n > QUALITY_SHOWN)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *s = g_strdup_printf (ngettext ("%lld more record: export the tables for the whole list",
                                                      "%lld more records: export the tables for the whole list",
                                                      n - QUALITY_SHOWN),
                                            (long long) (n - QUALITY_SHOWN));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->quality_list, row);
    }
  fit_list (self->quality_list, 440);
}

/* Exports and the report need figures to write. */
static void
update_actions (ZzStatsView *self)
{
  const char *actions[] = { "stats.export-xlsx", "stats.export-csv", "stats.report-pdf", "stats.print" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], self->stats != NULL);
}

static void
scroll_page_to_top (ZzStatsView *self)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self->figures_box), GTK_TYPE_SCROLLED_WINDOW);

  if (page)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page)), 0);
}

static void
show_stats (ZzStatsView *self)
{
  g_autofree char *period = zz_period_display (&self->stats->period);
  g_autofree char *title = g_strdup_printf ("%s · %s", self->stats->unit_name ? self->stats->unit_name
                                                                              : self->stats->unit,
                                            period);
  g_autofree char *when = zz_gui_format_time (self->stats->computed_at, "%Y-%m-%d %H:%M");
  g_autofree char *status = g_strdup_printf (_("Computed from the records at %s"), when);

  gtk_label_set_text (self->scope_title, title);
  gtk_label_set_text (self->status_label, status);
  update_actions (self);
  fill_figures (self);
  fill_units (self);
  fill_charts (self);
  fill_quality (self);
  if (self->to_top)
    {
      self->to_top = FALSE;
      scroll_page_to_top (self);
    }
}

/* ---- computing ---- */

typedef struct {
  ZzStatsView *view;
  guint generation;
} Pending;

static void
set_busy (ZzStatsView *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (busy && !self->stats)
    gtk_label_set_text (self->status_label, _("Computing the figures…"));
}

static void
on_computed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *p = data;
  ZzStatsView *self = p->view;
  g_autoptr(GError) error = NULL;
  ZzStats *stats = zz_store_compute_stats_finish (result, &error);

  if (p->generation != self->generation)
    {
      /* A newer request replaced this one. */
      g_clear_pointer (&stats, zz_stats_free);
    }
  else
    {
      set_busy (self, FALSE);
      if (!stats)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              gtk_label_set_text (self->status_label, error->message);
              zz_gui_error (GTK_WIDGET (self), error);
            }
        }
      else
        {
          if (self->printing && self->stats)
            g_ptr_array_add (self->retired, g_steal_pointer (&self->stats));
          g_clear_pointer (&self->stats, zz_stats_free);
          self->stats = stats;
          show_stats (self);
        }
    }
  g_object_unref (self);
  g_free (p);
}

static void
start_compute (ZzStatsView *self)
{
  Pending *p;

  if (!self->store || !self->unit)
    return;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->dirty = FALSE;
  self->generation++;
  update_breadcrumb (self);
  set_busy (self, TRUE);
  p = g_new0 (Pending, 1);
  p->view = g_object_ref (self);
  p->generation = self->generation;
  zz_store_compute_stats_async (self->store, self->unit, &self->period, self->cancellable,
                                on_computed_cb, p);
}

static gboolean
refresh_timeout_cb (gpointer data)
{
  ZzStatsView *self = data;

  self->refresh_source = 0;
  start_compute (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (ZzStore *store, const char *table, ZzStatsView *self)
{
  /* Recompute when shown: now (after a short pause, so a burst of changes computes once), or
   * the next time the page opens. */
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->refresh_source)
    self->refresh_source = g_timeout_add (400, refresh_timeout_cb, self);
}

static void
on_map_cb (ZzStatsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* Opened from the keyboard (Alt+7), the page takes the focus, so that its shortcuts work. */
  if (!focus || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->period_kind));
  if (self->dirty || (!self->stats && !self->busy))
    start_compute (self);
}

/* ---- exports ---- */

static GPtrArray *
shown_tables (ZzStatsView *self)
{
  return self->stats ? zz_stats_tables (self->stats) : g_ptr_array_new ();
}

gboolean
zz_stats_view_export (ZzStatsView *self, const char *path, GError **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *period = NULL;
  g_autofree char *title = NULL;
  ZzExportAbout about = { 0 };

  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), FALSE);
  if (!self->stats)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The figures are still being computed."));
      return FALSE;
    }
  tables = shown_tables (self);
  period = zz_period_display (&self->stats->period);
  title = g_strdup_printf (_("Statistics of %s"), self->stats->unit_name ? self->stats->unit_name
                                                                         : self->stats->unit);
  about.title = title;
  about.scope = self->stats->unit_name;
  about.period = period;
  about.generated_at = self->stats->computed_at;
  return zz_export_tables (path, (ZzTable *const *) tables->pdata, tables->len, &about, error);
}

static void
on_export_response_cb (GtkNativeDialog *dialog, int response, ZzStatsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = zz_save_dialog_get_path (dialog);
      g_autoptr(GError) error = NULL;

      if (!path || !zz_stats_view_export (self, path, &error))
        {
          if (error)
            zz_gui_error (GTK_WIDGET (self), error);
        }
      else
        zz_gui_toast (GTK_WIDGET (self), _("Tables exported"));
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzStatsView *self = ZZ_STATS_VIEW (w);
  gboolean csv = g_str_equal (name, "stats.export-csv");
  const char *suffixes[] = { csv ? "csv" : "xlsx", NULL };
  GtkFileChooserNative *dialog;
  g_autofree char *period = NULL;
  g_autofree char *file = NULL;

  if (!self->stats)
    return;
  period = zz_period_to_string (&self->stats->period);
  /* TRANSLATORS: the suggested file name of exported statistics: unit, period */
  file = g_strdup_printf (_("Statistics %s %s.%s"), self->stats->unit_name ? self->stats->unit_name
                                                                           : self->stats->unit,
                          period, suffixes[0]);
  dialog = zz_save_dialog_new (w, csv ? _("Export Tables as CSV") : _("Export Tables to Excel"), _("_Export"),
                               file, suffixes);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- the report ---- */

gboolean
zz_stats_view_save_report (ZzStatsView *self, const char *path, GError **error)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), FALSE);
  if (!self->stats)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The figures are still being computed."));
      return FALSE;
    }
  return zz_stats_report_write_pdf (self->stats, path, error);
}

static void
on_report_response_cb (GtkNativeDialog *dialog, int response, ZzStatsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = zz_save_dialog_get_path (dialog);
      g_autoptr(GError) error = NULL;

      if (!path || !zz_stats_view_save_report (self, path, &error))
        {
          if (error)
            zz_gui_error (GTK_WIDGET (self), error);
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_autofree char *uri = g_file_get_uri (file);

          zz_gui_toast (GTK_WIDGET (self), _("Report saved"));
          g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
report_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzStatsView *self = ZZ_STATS_VIEW (w);
  static const char *suffixes[] = { "pdf", NULL };
  GtkFileChooserNative *dialog;
  g_autofree char *period = NULL;
  g_autofree char *file = NULL;

  if (!self->stats)
    return;
  period = zz_period_to_string (&self->stats->period);
  /* TRANSLATORS: the suggested file name of the report: unit, period */
  file = g_strdup_printf (_("Report %s %s.pdf"), self->stats->unit_name ? self->stats->unit_name
                                                                        : self->stats->unit, period);
  dialog = zz_save_dialog_new (w, _("Save the Report as PDF"), _("_Save"), file, suffixes);
  g_signal_connect (dialog, "response", G_CALLBACK (on_report_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

typedef struct {
  ZzStatsView *view;
  ZzStats *stats;       /* the view's, kept alive by view->printing */
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;
  ZzStatsView *self = job->view;

  if (--self->printing == 0)
    g_ptr_array_set_size (self->retired, 0);
  g_object_unref (self);
  g_free (job);
}

static void
on_begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, PrintJob *job)
{
  gtk_print_operation_set_n_pages (op, (int) zz_stats_report_n_pages (job->stats,
                                                                      gtk_print_context_get_width (context),
                                                                      gtk_print_context_get_height (context)));
}

static void
on_draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, PrintJob *job)
{
  zz_stats_report_draw_page (job->stats, gtk_print_context_get_cairo_context (context), (guint) page,
                             gtk_print_context_get_width (context), gtk_print_context_get_height (context));
}

static void
on_print_done_cb (GtkPrintOperation *op, GtkPrintOperationResult result, PrintJob *job)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  gtk_print_operation_get_error (op, &error);
  if (error)
    zz_gui_error (GTK_WIDGET (job->view), error);
}

gboolean
zz_stats_view_print_report (ZzStatsView *self, const char *export_path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autofree char *title = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  PrintJob *job;

  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), FALSE);
  if (!self->stats)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The figures are still being computed."));
      return FALSE;
    }
  job = g_new0 (PrintJob, 1);
  job->view = g_object_ref (self);
  job->stats = self->stats;
  self->printing++;

  op = gtk_print_operation_new ();
  /* The whole sheet, as the PDF: the report keeps its own margins. */
  setup = zz_print_a4_setup ();
  g_object_set_data_full (G_OBJECT (op), "zz-stats-print-job", job, print_job_free);
  title = zz_stats_report_title (self->stats);
  g_signal_connect (op, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  g_signal_connect (op, "done", G_CALLBACK (on_print_done_cb), job);
  return zz_print_run (op, setup, title, export_path, parent, error);
}

static void
print_action (GtkWidget *w, const char *name, GVariant *param)
{
  g_autoptr(GError) error = NULL;

  if (!zz_stats_view_get_stats (ZZ_STATS_VIEW (w)))
    return;
  if (!zz_stats_view_print_report (ZZ_STATS_VIEW (w), NULL, &error))
    zz_gui_error (w, error);
}

/* ---- GObject ---- */

static void
zz_stats_view_dispose (GObject *object)
{
  ZzStatsView *self = ZZ_STATS_VIEW (object);

  /* A computation still running finds its view gone and drops its figures. */
  self->generation++;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  g_clear_pointer (&self->stats, zz_stats_free);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_STATS_VIEW);
  G_OBJECT_CLASS (zz_stats_view_parent_class)->dispose (object);
}

static void
zz_stats_view_finalize (GObject *object)
{
  g_free (ZZ_STATS_VIEW (object)->unit);
  G_OBJECT_CLASS (zz_stats_view_parent_class)->finalize (object);
}

static void
zz_stats_view_class_init (ZzStatsViewClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_stats_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = zz_stats_view_finalize;

  gtk_widget_class_set_template_from_resource (wc, "/org/zongzhi/Workbench/zz-stats-view.ui");
  gtk_widget_class_bind_template_child (wc, ZzStatsView, breadcrumb_box);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, spinner);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, period_kind);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, period_label);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, export_button);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, custom_revealer);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, custom_error);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, from_entry);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, to_entry);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, scope_title);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, status_label);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, figures_box);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, units_group);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, units_list);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, charts_grid);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, quality_group);
  gtk_widget_class_bind_template_child (wc, ZzStatsView, quality_list);
  gtk_widget_class_bind_template_callback (wc, on_custom_activate_cb);
  gtk_widget_class_bind_template_callback (wc, on_unit_activated_cb);
  gtk_widget_class_bind_template_callback (wc, on_quality_activated_cb);

  gtk_widget_class_install_action (wc, "stats.previous", NULL, step_action);
  gtk_widget_class_install_action (wc, "stats.next", NULL, step_action);
  gtk_widget_class_install_action (wc, "stats.up", NULL, up_action);
  gtk_widget_class_install_action (wc, "stats.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (wc, "stats.apply-custom", NULL, apply_custom_action);
  gtk_widget_class_install_action (wc, "stats.export-xlsx", NULL, export_action);
  gtk_widget_class_install_action (wc, "stats.export-csv", NULL, export_action);
  gtk_widget_class_install_action (wc, "stats.report-pdf", NULL, report_action);
  gtk_widget_class_install_action (wc, "stats.print", NULL, print_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Page_Up, GDK_ALT_MASK, "stats.previous", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Page_Down, GDK_ALT_MASK, "stats.next", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Up, GDK_ALT_MASK, "stats.up", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_F5, 0, "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_e, GDK_CONTROL_MASK, "stats.export-xlsx", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_p, GDK_CONTROL_MASK, "stats.print", NULL);
}

static void
zz_stats_view_init (ZzStatsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) zz_stats_free);

  for (guint i = 0; i < G_N_ELEMENTS (chart_specs); i++)
    {
      self->charts[i] = zz_chart_view_new (NULL);
      gtk_widget_set_name (GTK_WIDGET (self->charts[i]), chart_specs[i].key);
      /* A short chart beside a tall one keeps its own height. */
      gtk_widget_set_valign (GTK_WIDGET (self->charts[i]), GTK_ALIGN_START);
      gtk_grid_attach (self->charts_grid, GTK_WIDGET (self->charts[i]), chart_specs[i].left,
                       chart_specs[i].top, chart_specs[i].width, 1);
      gtk_widget_set_visible (GTK_WIDGET (self->charts[i]), FALSE);
    }
  g_signal_connect_swapped (self->period_kind, "notify::selected", G_CALLBACK (on_kind_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->units_group), FALSE);
  {
    GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self->units_list), GTK_TYPE_SCROLLED_WINDOW);
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (sw), GTK_POLICY_NEVER, GTK_POLICY_NEVER);
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (sw), -1);
    gtk_widget_set_name (sw, "units_scroller");
  }
  update_actions (self);
}

/* ---- public ---- */

void
zz_stats_view_setup (ZzStatsView *self, ZzApplication *app)
{
  GDate day;

  g_return_if_fail (ZZ_IS_STATS_VIEW (self));

  self->app = app;
  self->store = g_object_ref (zz_application_get_store (app));
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed_cb), self);
  g_free (self->unit);
  self->unit = g_strdup (zz_store_get_node_org_unit (self->store));
  today (self, &day);
  zz_period_containing (&self->period, ZZ_PERIOD_MONTH, &day);
  update_period_controls (self);
  update_breadcrumb (self);
  self->dirty = TRUE;
}

void
zz_stats_view_set_unit (ZzStatsView *self, const char *unit)
{
  g_return_if_fail (ZZ_IS_STATS_VIEW (self));
  g_return_if_fail (unit != NULL);

  g_free (self->unit);
  self->unit = g_strdup (unit);
  /* Another unit's figures start at the top, not half way down where the list was. */
  self->to_top = TRUE;
  scroll_page_to_top (self);
  start_compute (self);
}

const char *
zz_stats_view_get_unit (ZzStatsView *self)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), NULL);
  return self->unit;
}

void
zz_stats_view_set_period (ZzStatsView *self, const ZzPeriod *period)
{
  g_return_if_fail (ZZ_IS_STATS_VIEW (self));
  self->period = *period;
  update_period_controls (self);
  start_compute (self);
}

const ZzPeriod *
zz_stats_view_get_period (ZzStatsView *self)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), NULL);
  return &self->period;
}

void
zz_stats_view_refresh (ZzStatsView *self)
{
  g_return_if_fail (ZZ_IS_STATS_VIEW (self));
  start_compute (self);
}

gboolean
zz_stats_view_is_busy (ZzStatsView *self)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), FALSE);
  return self->busy;
}

ZzStats *
zz_stats_view_get_stats (ZzStatsView *self)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), NULL);
  return self->stats;
}

ZzChartView *
zz_stats_view_get_chart (ZzStatsView *self, const char *key)
{
  g_return_val_if_fail (ZZ_IS_STATS_VIEW (self), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (chart_specs); i++)
    if (g_str_equal (chart_specs[i].key, key))
      return self->charts[i];
  return NULL;
}

void
zz_stats_view_open_link (ZzStatsView *self, const char *link)
{
  ZzWindow *window = zz_window_for (GTK_WIDGET (self));

  g_return_if_fail (ZZ_IS_STATS_VIEW (self));
  if (!window || !link)
    return;
  if (g_str_has_prefix (link, "case:"))
    zz_window_show_case (window, link + 5);
  else if (g_str_has_prefix (link, "household:"))
    zz_window_show_household (window, link + 10);
  else if (g_str_has_prefix (link, "unit:"))
    zz_stats_view_set_unit (self, link + 5);
}
