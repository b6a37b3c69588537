/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cli-report"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-cli.h"
#include "zz-cli-report.h"
#include "zz-export.h"
#include "zz-period.h"
#include "zz-stats-report.h"
#include "zz-stats.h"

const char *
zz_cli_report_usage (void)
{
  return _("  report --unit CODE --period P -o FILE.xlsx|FILE.pdf|FILE.csv\n"
           "                                   the statistics report of a unit; P is 2024, 2024-03,\n"
           "                                   2024-Q2 or 2024-01-01..2024-06-30\n");
}

static int
fail_line (const char *message)
{
  g_printerr (_("Error: %s\n"), message);
  return 1;
}

int
zz_cli_report_main (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr(ZzStore) store = NULL;
  g_autoptr(ZzStats) stats = NULL;
  const char *unit = NULL, *period_text = NULL, *out = NULL;
  ZzExportFormat format;
  ZzPeriod period;
  gboolean ok;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--unit") && i + 1 < argc)
      unit = argv[++i];
    else if (g_str_equal (argv[i], "--period") && i + 1 < argc)
      period_text = argv[++i];
    else if (g_str_equal (argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else
      {
        g_printerr (_("Error: unknown option %s.\n"), argv[i]);
        g_printerr ("%s", zz_cli_report_usage ());
        return 2;
      }
  if (!unit || !period_text || !out)
    {
      g_printerr ("%s", zz_cli_report_usage ());
      return 2;
    }
  /* What can be checked without the database first: nothing is read or written for a typo. */
  format = zz_export_format_from_path (out);
  if (format == ZZ_EXPORT_UNKNOWN)
    return fail_line (_("the file name must end in .xlsx (Excel), .pdf or .csv."));
  if (!zz_period_parse (period_text, &period, &error))
    return zz_cli_fail (error);

  store = zz_cli_open_store (&error);
  if (!store)
    return zz_cli_fail (error);
  stats = zz_store_compute_stats (store, unit, &period, &error);
  if (!stats)
    return zz_cli_fail (error);

  if (format == ZZ_EXPORT_PDF)
    ok = zz_stats_report_write_pdf (stats, out, &error);
  else
    {
      g_autoptr(GPtrArray) tables = zz_stats_tables (stats);
      g_autofree char *title = zz_stats_report_title (stats);
      g_autofree char *scope = g_strdup_printf ("%s（%s）", stats->unit_name ? stats->unit_name : stats->unit, stats->unit);
      g_autofree char *when = zz_period_display (&stats->period);
      ZzExportAbout about = { title, scope, when, stats->computed_at, NULL };

      if (format == ZZ_EXPORT_XLSX)
        ok = zz_export_xlsx (out, (ZzTable *const *) tables->pdata, tables->len, &about, &error);
      else
        ok = zz_export_csv (out, (ZzTable *const *) tables->pdata, tables->len, &error);
    }
  if (!ok)
    return zz_cli_fail (error);
  g_print (_("Report written to %s\n"), out);
  return 0;
}
