/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-demo.h"

G_BEGIN_DECLS

/* TRUE for the sync subcommands (init, keys, enrol, trust, revoke, export, import, verify,
 * digest, simulate, conflicts, resolve, refused). */
gboolean zz_cli_sync_handles (const char *cmd);
/* argv[0] is the subcommand. */
int      zz_cli_sync         (int    argc,
                              char **argv);
/* demo --sync: the demo county gets a township peer, a conflict and a refused change. */
void     zz_cli_sync_demo_options (int            argc,
                                   char         **argv,
                                   ZzDemoOptions *options);
/* Prints the help of sync subcommand @cmd (FALSE when it is not one). */
gboolean zz_cli_sync_help    (const char *cmd);
/* Usage lines of the sync subcommands. */
const char *zz_cli_sync_usage (void);

G_END_DECLS
