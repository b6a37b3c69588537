/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cli-stats"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-cli-stats.h"
#include "zz-cli.h"
#include "zz-stats.h"
#include "zz-time.h"

const char *
zz_cli_stats_usage (void)
{
  return _("  demo … [--stats-cases N]         also N generated cases over the past year (default 1500)\n"
           "  stats [--unit CODE] [--period P] [--table KEY]\n"
           "                                   statistics of a unit (default: this centre's) over a period\n"
           "                                   (2024, 2024-03, 2024-Q2, 2024-01-01..2024-06-30; default: this year)\n");
}

void
zz_cli_stats_demo_options (int argc, char **argv, ZzDemoOptions *options)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--stats-cases") && i + 1 < argc)
      options->n_stats_cases = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
}

/* Columns as wide as a terminal shows them: CJK characters take two cells. */
static guint
text_width (const char *s)
{
  guint w = 0;

  for (const char *p = s; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      w += g_unichar_iswide (c) ? 2 : g_unichar_iszerowidth (c) ? 0 : 1;
    }
  return w;
}

static void
print_cell (GString *out, const char *text, guint width, gboolean right)
{
  guint w = text_width (text);
  guint pad = width > w ? width - w : 0;

  if (right)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
}

static void
print_table (const ZzTable *t)
{
  guint nc = zz_table_n_columns (t), nr = zz_table_n_rows (t);
  g_autofree guint *width = g_new0 (guint, nc);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint c = 0; c < nc; c++)
    width[c] = text_width (zz_table_column_title (t, c));
  for (guint r = 0; r < nr; r++)
    for (guint c = 0; c < nc; c++)
      {
        char *s = zz_table_format_cell (t, r, c);
        width[c] = MAX (width[c], text_width (s));
        g_ptr_array_add (cells, s);
      }
  g_string_append_printf (out, "== %s ==\n", zz_table_get_title (t));
  for (guint c = 0; c < nc; c++)
    {
      if (c)
        g_string_append (out, "  ");
      print_cell (out, zz_table_column_title (t, c), width[c], zz_table_column_type (t, c) != ZZ_CELL_TEXT);
    }
  g_string_append_c (out, '\n');
  for (guint r = 0; r < nr; r++)
    {
      for (guint c = 0; c < nc; c++)
        {
          if (c)
            g_string_append (out, "  ");
          print_cell (out, cells->pdata[r * nc + c], width[c], zz_table_column_type (t, c) != ZZ_CELL_TEXT);
        }
      g_string_append_c (out, '\n');
    }
  if (nr == 0)
    g_string_append_printf (out, "%s\n", _("(no rows)"));
  g_print ("%s\n", out->str);
}

int
zz_cli_stats_main (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(ZzStats) stats = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *path = NULL;
  const char *unit = NULL, *period_text = NULL, *only = NULL;
  ZzPeriod period;
  gint64 start;
  gboolean found = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--unit") && i + 1 < argc)
        unit = argv[++i];
      else if (g_str_equal (argv[i], "--period") && i + 1 < argc)
        period_text = argv[++i];
      else if (g_str_equal (argv[i], "--table") && i + 1 < argc)
        only = argv[++i];
      else
        {
          g_printerr ("%s", zz_cli_stats_usage ());
          return 2;
        }
    }
  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  if (period_text)
    {
      if (!zz_period_parse (period_text, &period, &error))
        return zz_cli_fail (error);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (zz_store_now (store) / 1000);
      zz_period_year (&period, g_date_time_get_year (now));
    }
  start = g_get_monotonic_time ();
  stats = zz_store_compute_stats (store, unit, &period, &error);
  if (!stats)
    return zz_cli_fail (error);
  shown = zz_period_display (&period);
  path = zz_store_org_unit_path (store, stats->unit);
  g_print ("%s  %s (%s)\n", path && *path ? path : stats->unit_name, stats->unit, shown);
  g_print (_("Computed in %.0f ms\n\n"), (g_get_monotonic_time () - start) / 1000.0);
  tables = zz_stats_tables (stats);
  for (guint i = 0; i < tables->len; i++)
    {
      const ZzTable *t = tables->pdata[i];

      if (only && g_strcmp0 (zz_table_get_key (t), only) != 0)
        continue;
      found = TRUE;
      print_table (t);
    }
  if (only && !found)
    {
      g_printerr (_("Error: there is no table “%s”.\n"), only);
      return 2;
    }
  return 0;
}
