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

/* Tests of routes and adversaries exchange hundreds of bundles: their nodes may skip waiting for
 * the disk (PRAGMA synchronous = OFF). Durability has its own test (test-sync-kill). */
void        zz_test_sync_fast_disk (void);
ZzTestNode *zz_test_node_new      (const char  *unit,
                                   const char  *name);
/* The same with the divisions within @within (a county or prefecture code). */
ZzTestNode *zz_test_node_new_within (const char *unit,
                                   const char  *name,
                                   const char  *within);
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

/* Appends an op to @n's own chain as its owner could by editing the database file: any kind,
 * table, row, home, clock (0: the node's next) and fields (@fields_json, an object's text;
 * @parents_json an array's text or NULL). The node's own export then signs it with its
 * legitimately enrolled key. Returns the op's hash (hex). */
char       *zz_test_node_forge    (ZzTestNode  *n,
                                   const char  *kind,
                                   const char  *table,
                                   const char  *row_id,
                                   const char  *home,
                                   const char  *fields_json,
                                   const char  *parents_json,
                                   guint64      hlc);
/* A hash of the synced tables' rows alone (no op log, no refusal bookkeeping). */
char       *zz_test_node_data_digest (ZzTestNode *n);
/* The refused ops, as sorted lines "hash origin seq". */
char       *zz_test_node_refused  (ZzTestNode  *n);
/* TRUE when @n holds the op @hash_hex in full (not as a placeholder). */
gboolean    zz_test_node_holds    (ZzTestNode  *n,
                                   const char  *hash_hex);
/* TRUE when @n lists the op @hash_hex as refused, with a reason. */
gboolean    zz_test_node_refused_op (ZzTestNode *n,
                                   const char  *hash_hex);
/* Copies the database file aside under @name (a backup), and later puts it back in place of the
 * current one (a restore, as after a broken disk), with the same key. */
void        zz_test_node_backup   (ZzTestNode  *n,
                                   const char  *name);
void        zz_test_node_restore  (ZzTestNode  *n,
                                   const char  *name);

/* Sets one text field of a synced row through the store's write path. */
gboolean    zz_test_set_text      (ZzStore     *store,
                                   const char  *table,
                                   const char  *id,
                                   const char  *field,
                                   const char  *value,
                                   GError     **error);

/* ---- bundles taken apart and put together again, as their sender could ---- */

/* The compressed ops of @bundle, decrypted with @reader's age identity when it is format 2. */
GBytes     *zz_test_bundle_ops    (ZzTestNode  *reader,
                                   GBytes      *bundle);
/* @bundle signed again by @signer (its sender's key) after: the manifest members of @set_json (an
 * object's text, or NULL) set (a null value removes the member), and when @member is not NULL the ops member replaced by it (named
 * for format 2 when @encrypted) with the payload's file, size and hash made to match. */
GBytes     *zz_test_bundle_resign (ZzTestNode  *signer,
                                   GBytes      *bundle,
                                   const char  *set_json,
                                   GBytes      *member,
                                   gboolean     encrypted);
/* The format of @bundle (1 or 2), from its ops member. */
int         zz_test_bundle_format (GBytes      *bundle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzTestNode, zz_test_node_free)

G_END_DECLS
