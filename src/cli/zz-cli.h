/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

int zz_bench_main (int argc, char **argv);

/* Prints "Error: <message>" and frees @error; returns the exit status 1. */
int      zz_cli_fail       (GError  *error);
/* Opens --db, acting as --as LOGIN or the first active administrator. */
ZzStore *zz_cli_open_store (GError **error);

G_END_DECLS
