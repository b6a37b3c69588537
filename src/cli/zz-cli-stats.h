/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-demo.h"

G_BEGIN_DECLS

/* zongzhi-cli stats --unit CODE --period P: the dashboard's figures and tables as text. */
int          zz_cli_stats_main  (int argc, char **argv);
const char  *zz_cli_stats_usage (void);
/* demo --stats-cases N: how many generated cases the demo adds for the dashboard. */
void         zz_cli_stats_demo_options (int argc, char **argv, ZzDemoOptions *options);

G_END_DECLS
