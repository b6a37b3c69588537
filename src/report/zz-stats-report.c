/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-stats-report"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "zz-chart.h"
#include "zz-error.h"
#include "zz-export.h"
#include "zz-stats-report.h"
#include "zz-report-font.h"
#include "zz-time.h"

#define FONT ZZ_REPORT_FONT
#define PAD 3.0               /* inside a table cell */
#define GAP 14.0              /* between blocks */

/* One pass over the report: every block is measured and placed; only those on page @only are
 * drawn (-1: none, to count the pages). */
typedef struct {
  const ZzStats *stats;
  cairo_t *cr;
  double w, h;
  double margin;
  double top, bottom;       /* the body's band, footer below */
  double y;
  int page;
  int only;
} Page;

static gboolean
drawing (Page *p)
{
  return p->page == p->only;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
show (Page *p, PangoLayout *layout, double x, double y)
{
  if (!drawing (p))
    return;
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, layout);
}

static void
new_page (Page *p)
{
  p->page++;
  p->y = p->top;
}

/* Makes room for @height on this page, or goes on to the next. */
static void
need (Page *p, double height)
{
  if (p->y + height > p->bottom && p->y > p->top)
    new_page (p);
}

/* A paragraph, one line at a time, going on over pages. */
static void
para (Page *p, const char *text, const char *font, PangoAlignment align, double gap_after)
{
  PangoLayout *layout = zz_report_layout_new (p->cr, font, text, p->w - 2 * p->margin);
  PangoLayoutIter *it;

  pango_layout_set_alignment (layout, align);
  it = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double lh, baseline;

      pango_layout_iter_get_line_extents (it, NULL, &logical);
      lh = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (it) - logical.y) / PANGO_SCALE;
      need (p, lh);
      if (drawing (p))
        {
          cairo_move_to (p->cr, p->margin + (double) logical.x / PANGO_SCALE, p->y + baseline);
          pango_cairo_show_layout_line (p->cr, pango_layout_iter_get_line_readonly (it));
        }
      p->y += lh;
    }
  while (pango_layout_iter_next_line (it));
  pango_layout_iter_free (it);
  g_object_unref (layout);
  p->y += gap_after;
}

/* A section heading, kept on the page of what follows it (@keep points of it). */
static void
heading (Page *p, const char *text, double keep)
{
  PangoLayout *layout = zz_report_layout_new (p->cr, FONT " Bold 12", text, p->w - 2 * p->margin);
  double h = zz_report_layout_height (layout);

  need (p, h + 6 + keep);
  if (drawing (p))
    {
      cairo_set_source_rgb (p->cr, 0.11, 0.30, 0.52);
      cairo_rectangle (p->cr, p->margin, p->y + 2, 3, h - 4);
      cairo_fill (p->cr);
      cairo_set_source_rgb (p->cr, 0, 0, 0);
    }
  show (p, layout, p->margin + 9, p->y);
  p->y += h + 6;
  g_object_unref (layout);
}

static char *
time_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
zz_stats_report_title (const ZzStats *stats)
{
  /* Translators: the title of the statistics report; %s is the org unit, e.g. 泸溪县 */
  return g_strdup_printf (_("%s: comprehensive governance statistics"), stats->unit_name ? stats->unit_name : stats->unit);
}

static void
title_block (Page *p)
{
  const ZzStats *s = p->stats;
  g_autofree char *title = zz_stats_report_title (s);
  g_autofree char *period = zz_period_display (&s->period);
  g_autofree char *at = time_text (s->computed_at);
  g_autofree char *line = g_strdup_printf (_("Scope: %s (%s)    Period: %s    Generated: %s"),
                                           s->unit_name ? s->unit_name : s->unit, s->unit, period, at);

  para (p, title, FONT " Bold 18", PANGO_ALIGN_CENTER, 6);
  if (drawing (p))
    cairo_set_source_rgb (p->cr, 0.3, 0.3, 0.3);
  para (p, line, FONT " 9", PANGO_ALIGN_CENTER, 4);
  if (drawing (p))
    {
      cairo_set_source_rgb (p->cr, 0.11, 0.30, 0.52);
      cairo_rectangle (p->cr, p->margin, p->y, p->w - 2 * p->margin, 1.2);
      cairo_fill (p->cr);
      cairo_set_source_rgb (p->cr, 0, 0, 0);
    }
  p->y += GAP;
}

/* The key figures as cards, three to a row: the value large, its name below. */
static void
figures_block (Page *p)
{
  const ZzTable *t = p->stats->summary;
  const guint per_row = 3;
  double cw = (p->w - 2 * p->margin) / per_row;
  double ch = 40;
  guint n = t ? zz_table_n_rows (t) : 0;

  heading (p, _("Key figures"), ch);
  for (guint i = 0; i < n; i += per_row)
    {
      need (p, ch + 4);
      for (guint j = 0; j < per_row && i + j < n; j++)
        {
          guint r = i + j;
          g_autofree char *value = NULL;
          double x = p->margin + j * cw;
          PangoLayout *lv, *ll;

          for (guint c = 1; c < zz_table_n_columns (t) && !value; c++)
            if (!zz_table_is_null (t, r, c))
              value = zz_table_format_cell (t, r, c);
          lv = zz_report_layout_new (p->cr, FONT " Bold 14", value ? value : "—", cw - 12);
          ll = zz_report_layout_new (p->cr, FONT " 8", zz_table_get_text (t, r, 0), cw - 12);
          pango_layout_set_ellipsize (ll, PANGO_ELLIPSIZE_END);
          pango_layout_set_height (ll, -1);
          if (drawing (p))
            {
              cairo_set_source_rgb (p->cr, 0.95, 0.96, 0.98);
              cairo_rectangle (p->cr, x + 2, p->y, cw - 4, ch);
              cairo_fill (p->cr);
              cairo_set_source_rgb (p->cr, 0, 0, 0);
            }
          show (p, lv, x + 8, p->y + 3);
          if (drawing (p))
            cairo_set_source_rgb (p->cr, 0.3, 0.3, 0.3);
          show (p, ll, x + 8, p->y + 3 + zz_report_layout_height (lv));
          if (drawing (p))
            cairo_set_source_rgb (p->cr, 0, 0, 0);
          g_object_unref (lv);
          g_object_unref (ll);
        }
      p->y += ch + 4;
    }
  p->y += GAP;
}

/* A chart with its heading, never split over pages. */
static void
chart_block (Page *p, const ZzTable *t, ZzChartKind kind, guint label, const guint *values, guint n_values,
             double height)
{
  ZzChart chart = { kind, t, label, { 0 }, MIN (n_values, 4) };
  ZzChartStyle style = { FALSE, -1, FONT " 8", 1.0 };
  double cw = p->w - 2 * p->margin;
  g_autofree char *title = NULL;

  if (!t)
    return;
  /* A chart of one figure of a table with several says which. */
  if (n_values == 1 && zz_table_n_columns (t) > 3)
    title = g_strdup_printf ("%s · %s", zz_table_get_title (t), zz_table_column_title (t, values[0]));
  else
    title = g_strdup (zz_table_get_title (t));
  for (guint i = 0; i < chart.n_values; i++)
    chart.value_columns[i] = values[i];
  if (zz_table_n_rows (t) == 0)
    {
      heading (p, title, 14);
      para (p, _("No records in this period."), FONT " 9", PANGO_ALIGN_LEFT, GAP);
      return;
    }
  /* Many bars get room for a label each. */
  if (kind == ZZ_CHART_BARS && zz_table_n_rows (t) > 8)
    height = MIN (MAX (height, 40 + 18.0 * zz_table_n_rows (t)), p->bottom - p->top - 40);
  heading (p, title, height);
  if (drawing (p))
    {
      cairo_save (p->cr);
      cairo_translate (p->cr, p->margin, p->y);
      cairo_rectangle (p->cr, 0, 0, cw, height);
      cairo_clip (p->cr);
      zz_chart_draw (&chart, p->cr, cw, height, &style);
      cairo_restore (p->cr);
      cairo_set_source_rgb (p->cr, 0, 0, 0);
    }
  p->y += height + GAP;
}

static void
charts_block (Page *p)
{
  const ZzStats *s = p->stats;
  static const guint one[] = { 1 };
  static const guint two[] = { 1, 2 };
  guint rate[] = { 5 };

  if (s->by_department && zz_table_column_index (s->by_department, "on_time_rate") >= 0)
    rate[0] = (guint) zz_table_column_index (s->by_department, "on_time_rate");
  chart_block (p, s->by_level, ZZ_CHART_STACKED, 0, one, 1, 100);
  chart_block (p, s->trend, ZZ_CHART_LINE, 0, two, 2, 190);
  chart_block (p, s->by_category, ZZ_CHART_DONUT, 0, one, 1, 190);
  chart_block (p, s->by_source, ZZ_CHART_BARS, 0, one, 1, 170);
  if (s->by_department && zz_table_n_columns (s->by_department) > rate[0])
    chart_block (p, s->by_department, ZZ_CHART_BARS, 0, rate, 1, 170);
}

/* ---- tables ---- */

typedef struct {
  const ZzTable *t;
  guint n;
  double *x, *w;          /* column positions and widths */
} Grid;

static gboolean
right_aligned (ZzCellType type)
{
  return type == ZZ_CELL_INT || type == ZZ_CELL_PERCENT || type == ZZ_CELL_DECIMAL;
}

static double
natural_width (Page *p, const char *text, const char *font)
{
  PangoLayout *layout = zz_report_layout_new (p->cr, font, text, -1);
  double w = layout_width (layout);
  g_object_unref (layout);
  return w;
}

/* Column widths from the content, fitted to the page: narrow columns keep their width, the
 * rest share what is left (their text wraps). */
static void
grid_init (Page *p, Grid *g, const ZzTable *t)
{
  double avail = p->w - 2 * p->margin;
  double *nat;
  double total = 0, fixed = 0, flex = 0;

  g->t = t;
  g->n = zz_table_n_columns (t);
  g->x = g_new0 (double, g->n + 1);
  g->w = g_new0 (double, g->n);
  nat = g_new0 (double, g->n);
  for (guint c = 0; c < g->n; c++)
    {
      nat[c] = natural_width (p, zz_table_column_title (t, c), FONT " Bold 8");
      for (guint r = 0; r < zz_table_n_rows (t) && r < 200; r++)
        {
          g_autofree char *text = zz_table_format_cell (t, r, c);
          nat[c] = MAX (nat[c], natural_width (p, text, FONT " 8"));
        }
      nat[c] = MIN (nat[c], avail * 0.45) + 2 * PAD + 1;
      total += nat[c];
    }
  if (total <= avail)
    {
      /* Room to spare: spread it over the columns. */
      for (guint c = 0; c < g->n; c++)
        g->w[c] = nat[c] + (avail - total) / g->n;
    }
  else
    {
      double fair = avail / g->n;
      for (guint c = 0; c < g->n; c++)
        if (nat[c] <= fair)
          fixed += nat[c];
        else
          flex += nat[c];
      for (guint c = 0; c < g->n; c++)
        g->w[c] = nat[c] <= fair ? nat[c] : nat[c] * (avail - fixed) / flex;
    }
  for (guint c = 0; c < g->n; c++)
    g->x[c + 1] = g->x[c] + g->w[c];
  g_free (nat);
}

static void
grid_clear (Grid *g)
{
  g_free (g->x);
  g_free (g->w);
}

/* A row of cells (the header when @row is -1): measured, and drawn when on this page. */
static double
grid_row (Page *p, Grid *g, int row, gboolean draw, guint stripe)
{
  PangoLayout **cells = g_new0 (PangoLayout *, g->n);
  double h = 0;

  for (guint c = 0; c < g->n; c++)
    {
      g_autofree char *text = row < 0 ? g_strdup (zz_table_column_title (g->t, c)) : zz_table_format_cell (g->t, row, c);
      cells[c] = zz_report_layout_new (p->cr, row < 0 ? FONT " Bold 8" : FONT " 8", text, g->w[c] - 2 * PAD);
      if (right_aligned (zz_table_column_type (g->t, c)))
        pango_layout_set_alignment (cells[c], PANGO_ALIGN_RIGHT);
      h = MAX (h, zz_report_layout_height (cells[c]));
    }
  h += 2 * PAD;
  if (draw && drawing (p))
    {
      cairo_t *cr = p->cr;
      double x0 = p->margin;

      if (row < 0 || stripe % 2)
        {
          if (row < 0)
            cairo_set_source_rgb (cr, 0.89, 0.92, 0.95);
          else
            cairo_set_source_rgb (cr, 0.97, 0.97, 0.97);
          cairo_rectangle (cr, x0, p->y, g->x[g->n], h);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, x0, p->y + h);
      cairo_line_to (cr, x0 + g->x[g->n], p->y + h);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (guint c = 0; c < g->n; c++)
        {
          cairo_move_to (cr, x0 + g->x[c] + PAD, p->y + PAD);
          pango_cairo_show_layout (cr, cells[c]);
        }
    }
  for (guint c = 0; c < g->n; c++)
    g_object_unref (cells[c]);
  g_free (cells);
  return h;
}

/* A table under its heading; a page break repeats the header (and says the table goes on). */
static void
table_block (Page *p, const ZzTable *t)
{
  Grid g;
  double hh;
  guint n;

  if (!t)
    return;
  n = zz_table_n_rows (t);
  grid_init (p, &g, t);
  hh = grid_row (p, &g, -1, FALSE, 0);
  heading (p, zz_table_get_title (t), hh + (n ? grid_row (p, &g, 0, FALSE, 0) : 14));
  p->y += grid_row (p, &g, -1, TRUE, 0);
  if (n == 0)
    para (p, _("No records in this period."), FONT " 8", PANGO_ALIGN_LEFT, 0);
  for (guint r = 0; r < n; r++)
    {
      double rh = grid_row (p, &g, r, FALSE, r);
      if (p->y + rh > p->bottom)
        {
          g_autofree char *cont = g_strdup_printf (_("%s (continued)"), zz_table_get_title (t));
          new_page (p);
          para (p, cont, FONT " Bold 9", PANGO_ALIGN_LEFT, 3);
          p->y += grid_row (p, &g, -1, TRUE, 0);
        }
      p->y += grid_row (p, &g, r, TRUE, r);
    }
  p->y += GAP;
  grid_clear (&g);
}

static void
quality_block (Page *p)
{
  const ZzTable *q = p->stats->quality;
  guint n = q ? zz_table_n_rows (q) : 0;
  g_autofree char *line = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean capped = n >= ZZ_STATS_QUALITY_LIMIT;

  /* The list holds at most a share of ZZ_STATS_QUALITY_LIMIT of each kind: a kind that filled
   * its share may have more. */
  for (guint r = 0; r < n; r++)
    {
      const char *kind = zz_table_get_text (q, r, 0);
      guint k = GPOINTER_TO_UINT (g_hash_table_lookup (kinds, kind ? kind : "")) + 1;
      g_hash_table_insert (kinds, (gpointer) (kind ? kind : ""), GUINT_TO_POINTER (k));
      capped = capped || k >= ZZ_STATS_QUALITY_LIMIT / 4;
    }
  heading (p, _("Data quality"), 14);
  if (p->stats->quality_withheld)
    line = g_strdup (_("The data-quality list names cases and households; it is shown to supervisors and mediators."));
  else if (capped)
    line = g_strdup_printf (_("At least %u records need attention (closed at the village after too many attempts, "
                              "concluded with no return visit, dispatches past deadline with no supervision note, "
                              "households past due with no visit). The list in the statistics view opens each."), n);
  else
    line = g_strdup_printf (ngettext ("%u record needs attention (closed at the village after too many attempts, "
                                      "concluded with no return visit, dispatches past deadline with no supervision "
                                      "note, households past due with no visit). The list in the statistics view "
                                      "opens each.",
                                      "%u records need attention (closed at the village after too many attempts, "
                                      "concluded with no return visit, dispatches past deadline with no supervision "
                                      "note, households past due with no visit). The list in the statistics view "
                                      "opens each.", n), n);
  para (p, line, FONT " 9", PANGO_ALIGN_LEFT, GAP);
}

static void
footer (Page *p, guint page, guint n_pages)
{
  g_autofree char *text = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  g_autofree char *title = zz_stats_report_title (p->stats);
  PangoLayout *l = zz_report_layout_new (p->cr, FONT " 8", text, p->w - 2 * p->margin);
  PangoLayout *lt = zz_report_layout_new (p->cr, FONT " 7", title, p->w - 2 * p->margin);
  double y = p->h - p->margin * 0.75;

  pango_layout_set_alignment (l, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (p->cr, 0.35, 0.35, 0.35);
  cairo_move_to (p->cr, p->margin, y);
  pango_cairo_show_layout (p->cr, l);
  cairo_move_to (p->cr, p->margin, p->top * 0.5);
  if (page > 0)
    pango_cairo_show_layout (p->cr, lt);
  cairo_set_source_rgb (p->cr, 0, 0, 0);
  g_object_unref (l);
  g_object_unref (lt);
}

/* Lays out the whole report on pages of @width x @height, drawing page @only; returns the
 * number of pages. */
static guint
run (const ZzStats *stats, cairo_t *cr, double width, double height, int only)
{
  Page p = { stats, cr, width, height, 0, 0, 0, 0, 0, only };

  p.margin = MIN (width, height) * 0.075;
  p.top = p.margin;
  p.bottom = height - p.margin - 12;
  p.y = p.top;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  title_block (&p);
  figures_block (&p);
  charts_block (&p);
  table_block (&p, stats->by_unit);
  table_block (&p, stats->by_department);
  table_block (&p, stats->satisfaction);
  table_block (&p, stats->by_grade);
  table_block (&p, stats->reception);
  quality_block (&p);
  cairo_restore (cr);
  return (guint) p.page + 1;
}

static cairo_t *
scratch_cr (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_surface_destroy (surface);
  return cr;
}

guint
zz_stats_report_n_pages (const ZzStats *stats, double width, double height)
{
  cairo_t *cr = scratch_cr ();
  guint n = run (stats, cr, width, height, -1);

  cairo_destroy (cr);
  return n;
}

static void
draw_page (const ZzStats *stats, cairo_t *cr, guint page, guint n_pages, double width, double height)
{
  Page p = { stats, cr, width, height, MIN (width, height) * 0.075, 0, 0, 0, 0, (int) page };

  p.top = p.margin;
  run (stats, cr, width, height, (int) page);
  footer (&p, page, n_pages);
}

void
zz_stats_report_draw_page (const ZzStats *stats, cairo_t *cr, guint page, double width, double height)
{
  draw_page (stats, cr, page, zz_stats_report_n_pages (stats, width, height), width, height);
}

typedef struct {
  FILE *f;
  int errsv;
} Out;

/* Writes through stdio, keeping the first error: cairo's own file output does not see a write
 * that fails only when the file is closed (a full disk). */
static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  Out *o = closure;

  if (o->errsv)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, o->f) != length)
    {
      o->errsv = errno ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

gboolean
zz_stats_report_write_pdf (const ZzStats *stats, const char *path, GError **error)
{
  g_autofree char *temp = zz_export_temp_beside (path, error);
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint pages;
  Out o = { 0 };

  if (!temp)
    return FALSE;
  o.f = g_fopen (temp, "wb");
  if (!o.f)
    {
      zz_export_set_io_error (error, path, errno);
      zz_export_abandon (temp);
      return FALSE;
    }
  surface = cairo_pdf_surface_create_for_stream (write_cb, &o, ZZ_STATS_REPORT_PAGE_W, ZZ_STATS_REPORT_PAGE_H);
  title = zz_stats_report_title (stats);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Zongzhi");
  cr = cairo_create (surface);
  pages = zz_stats_report_n_pages (stats, ZZ_STATS_REPORT_PAGE_W, ZZ_STATS_REPORT_PAGE_H);
  for (guint i = 0; i < pages; i++)
    {
      draw_page (stats, cr, i, pages, ZZ_STATS_REPORT_PAGE_W, ZZ_STATS_REPORT_PAGE_H);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (fflush (o.f) != 0 && !o.errsv)
    o.errsv = errno ? errno : EIO;
  if (fclose (o.f) != 0 && !o.errsv)
    o.errsv = errno ? errno : EIO;
  if (o.errsv || status != CAIRO_STATUS_SUCCESS)
    {
      zz_export_abandon (temp);
      if (o.errsv)
        zz_export_set_io_error (error, path, o.errsv);
      else
        {
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), name, cairo_status_to_string (status));
        }
      return FALSE;
    }
  return zz_export_commit (temp, path, error);
}
