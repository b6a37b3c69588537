/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

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
