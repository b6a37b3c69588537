/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* zongzhi-cli households list|counts|import: @argv[0] is "households". */
int zz_cli_households_main  (int argc, char **argv);

/* The usage lines of the command, translated. */
const char *zz_cli_households_usage (void);

G_END_DECLS
