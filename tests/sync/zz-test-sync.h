/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-sync.h"

G_BEGIN_DECLS

/* A node for sync tests: its own database in a temporary folder, Luxi county's divisions, set
 * up for @unit and acting as its administrator. */
typedef struct {
  char *dir;
  char *path;
  char *unit;
  ZzStore *store;
} ZzTestNode;

ZzTestNode *zz_test_node_new      (const char  *unit,
                                   const char  *name);
void        zz_test_node_free     (ZzTestNode  *n);
/* Closes and opens the database again (as a new process would). */
void        zz_test_node_reopen   (ZzTestNode  *n);
/* @n trusts @root (its fingerprint compared) */
void        zz_test_node_trust    (ZzTestNode  *n,
                                   ZzTestNode  *root);
/* @county enrols @n */
void        zz_test_node_enrol    (ZzTestNode  *county,
                                   ZzTestNode  *n);
/* A bundle from @from for @to (NULL: everything). */
GBytes     *zz_test_node_export   (ZzTestNode  *from,
                                   ZzTestNode  *to);
/* Imports and asserts the bundle was not refused as a whole. */
void        zz_test_node_import   (ZzTestNode  *n,
                                   GBytes      *bundle,
                                   ZzImportResult *res);
/* export from @from to @to and import, asserting success */
void        zz_test_node_send     (ZzTestNode  *from,
                                   ZzTestNode  *to);
char       *zz_test_node_digest   (ZzTestNode  *n);
void        zz_test_node_simulate (ZzTestNode  *n,
                                   guint        ops,
                                   guint32      seed,
                                   const char  *home);
gint64      zz_test_node_int      (ZzTestNode  *n,
                                   const char  *sql);
char       *zz_test_node_text     (ZzTestNode  *n,
                                   const char  *sql);
/* Executes SQL on a separate connection (as an attacker editing the file would). */
void        zz_test_node_exec     (ZzTestNode  *n,
                                   const char  *sql);
/* A copy of @n's database and key (the same node id and key): a cloned installation. */
ZzTestNode *zz_test_node_clone    (ZzTestNode  *n);

/* Sets one text field of a synced row through the store's write path. */
gboolean    zz_test_set_text      (ZzStore     *store,
                                   const char  *table,
                                   const char  *id,
                                   const char  *field,
                                   const char  *value,
                                   GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzTestNode, zz_test_node_free)

G_END_DECLS
