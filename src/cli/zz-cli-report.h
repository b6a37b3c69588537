/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `report --unit CODE --period P -o FILE.xlsx|FILE.pdf|FILE.csv`: the statistics report of an
 * org unit for scripts. */
int         zz_cli_report_main    (int argc, char **argv);
/* Its line of the usage message. */
const char *zz_cli_report_usage   (void);

G_END_DECLS
