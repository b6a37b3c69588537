/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-demo.h"

G_BEGIN_DECLS

/* `cases list|search|show|overdue|review`: cases for scripts, tab-separated. */
int  zz_cli_cases_main         (int argc, char **argv);
/* Reads `demo --cases N` (how many demo cases to generate). */
void zz_cli_cases_demo_options (int argc, char **argv, ZzDemoOptions *options);

/* The usage lines of the command, translated. */
const char *zz_cli_cases_usage (void);

G_END_DECLS
