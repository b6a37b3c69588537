/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* zongzhi-cli households list|counts|import: @argv[0] is "households". */
int zz_cli_households_main  (int argc, char **argv);
/* zongzhi-cli bench households [--households N] */
int zz_bench_households     (int argc, char **argv);

G_END_DECLS
