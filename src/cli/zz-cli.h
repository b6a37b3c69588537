/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

int zz_bench_main (int argc, char **argv);

/* ---- shared by the benchmarks (zz-bench.c) ---- */
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

/* One command's help (zongzhi-cli COMMAND --help), printed through a GOptionContext: usage line
 * with @params, @summary, the options of @entries (may be NULL) and @description (may be NULL).
 * All strings are translated here. Returns the exit status 0. */
int      zz_cli_print_help (const char         *command,
                            const char         *params,
                            const char         *summary,
                            const char         *description,
                            const GOptionEntry *entries);

/* Prints "Error: <message>" and frees @error; returns the exit status 1. */
int      zz_cli_fail       (GError  *error);
/* Opens --db, acting as --as LOGIN or the first active administrator. */
ZzStore *zz_cli_open_store (GError **error);

G_END_DECLS
