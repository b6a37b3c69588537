/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* zongzhi-bench: speed and memory on generated data. Not installed; `build-aux/dev bench` runs
 * the reception benchmark. Each command's @argv[0] is its own name. */

/* households [--households N] */
int      zz_bench_households     (int argc, char **argv);
/* cases [--cases N] [--file F] */
int      zz_bench_cases_main     (int argc, char **argv);
/* sync [--ops N]: export, import and re-import speed, bundle size, against raw SQLite and a
 * session changeset of the same changes. */
int      zz_bench_sync           (int argc, char **argv);
/* stats [--cases N] [--file F]: the whole dashboard on a generated county. */
int      zz_bench_stats_main     (int argc, char **argv);
/* startup [--cases N] [--file DB]: store open after a clean and an unclean exit, and what the
 * window reads before its first frame, cold and warm. */
int      zz_bench_startup_main   (int argc, char **argv);
/* export [--cases N] [--file DB]: the case list exported to .xlsx and CSV. */
int      zz_bench_export_main    (int argc, char **argv);

/* ---- shared by the benchmarks ---- */
/* A county of @n cases over three years, with a supervisor "supervisor", made through the store. */
gboolean zz_bench_stats_generate (const char *path,
                                  guint       n,
                                  double     *seconds,
                                  gint64     *ops,
                                  GError    **error);
/* A county node (433122, its divisions imported) at @path, acting as its administrator. */
ZzStore *zz_bench_county_store (const char *path,
                                const char *centre_name,
                                GError    **error);
/* Kilobytes of a /proc/self/status field (VmRSS:, VmHWM:), or -1. */
long     zz_bench_proc_kb      (const char *field);
/* For sorting an array of doubles. */
int      zz_bench_cmp_double   (gconstpointer a,
                                gconstpointer b);
/* A ZzProgressFunc that shows "  <what>… NN%" on a terminal; @what NULL: "generating". */
void     zz_bench_progress     (double      fraction,
                                gpointer    what);

G_END_DECLS
