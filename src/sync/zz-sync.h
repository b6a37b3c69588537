/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* Sync by signed change bundles: export, import (verify, authorise, apply), trust. */

typedef struct {
  gboolean refused;       /* the whole bundle was refused; nothing changed */
  gboolean quarantined;   /* kept awaiting a certificate for its key */
  gboolean fork;          /* an origin signed two histories: it is frozen */
  char *reason;           /* why refused or quarantined */
  char *sender;           /* node id */
  char *sender_name;
  guint applied;
  guint already;          /* already held */
  guint held;             /* waiting for missing ops, or held for review */
  guint refused_ops;
  guint conflicts;        /* fields with competing values after the import */
  guint certificates;     /* certificates and revocations newly accepted */
  guint released;         /* quarantined bundles applied after a certificate arrived */
  GPtrArray *refusals;    /* "why" for each refused op (strings) */
  /* added in the second sync revision */
  gboolean misdirected;   /* refused: the bundle is for another node (@recipient), or an
                           * --all bundle of a unit this node does not serve or lie above */
  char *recipient;        /* with misdirected: the node id the bundle is addressed to (NULL
                           * for an --all bundle) */
  guint newer;            /* ops of a table or field this version does not know: kept and
                           * relayed, applied after an upgrade (a create or append of a known
                           * table is applied without those fields, and counted here) */
  /* added with bundle format 2 */
  int needs_format;       /* refused: the bundle's format is newer than this version reads */
} ZzImportResult;

void       zz_import_result_clear  (ZzImportResult *res);
/* A translated multi-line summary for people and scripts. */
char      *zz_import_result_summary (const ZzImportResult *res);

/* Writes a bundle for @peer: what its last acknowledgement says it lacks, ops it holds only as
 * placeholders included. With @peer NULL (--all): for every node serving this node's own org
 * unit or a unit above it (a second laptop of the same centre, a restored backup, the county),
 * everything this node holds that its own unit may see; other nodes refuse it. Read-only on the
 * data. */
GBytes    *zz_sync_export_bytes    (ZzStore        *store,
                                    const char     *peer,
                                    guint          *out_ops,
                                    GError        **error);
gboolean   zz_sync_export_file     (ZzStore        *store,
                                    const char     *peer,
                                    const char     *path,
                                    guint          *out_ops,
                                    GError        **error);

/* Bundle formats: 1 the ops readable by anyone holding the file, 2 the ops encrypted with age
 * (to the recipient's key, or for --all to the nodes named or a passphrase). */
typedef struct {
  int format;                      /* 0: for a peer, the newest format it has shown it reads;
                                    * for --all, 2 when recipients or a passphrase are named */
  const char *const *recipients;   /* --all, format 2: the node ids that may read it */
  const char *passphrase;          /* --all, format 2: a passphrase instead (an archive) */
} ZzExportOptions;

/* The format an export with @options writes for @peer (NULL: --all); when it is format 1,
 * @out_warning (optional) gets a translated warning saying why and what it means. */
int        zz_sync_export_format   (ZzStore        *store,
                                    const char     *peer,
                                    const ZzExportOptions *options,
                                    char          **out_warning);
GBytes    *zz_sync_export_bytes_with (ZzStore      *store,
                                    const char     *peer,
                                    const ZzExportOptions *options,
                                    guint          *out_ops,
                                    GError        **error);
gboolean   zz_sync_export_file_with (ZzStore       *store,
                                    const char     *peer,
                                    const char     *path,
                                    const ZzExportOptions *options,
                                    guint          *out_ops,
                                    GError        **error);
/* The node's age identity ("AGE-SECRET-KEY-1…" with comment lines, as age-keygen writes it): the
 * X25519 form of its node key, which opens the bundles encrypted for it. Secret. */
char      *zz_sync_age_identity    (ZzStore        *store,
                                    GError        **error);

/* Imports a bundle in one transaction. FALSE only for errors of this installation (disk,
 * database); a bad bundle returns TRUE with @res->refused set and the database unchanged. */
gboolean   zz_sync_import_bytes    (ZzStore        *store,
                                    GBytes         *bundle,
                                    ZzImportResult *res,
                                    GError        **error);
gboolean   zz_sync_import_file     (ZzStore        *store,
                                    const char     *path,
                                    ZzImportResult *res,
                                    GError        **error);
/* The same for a bundle encrypted with a passphrase (an archive written with --passphrase-file);
 * @passphrase NULL is as zz_sync_import_file. */
gboolean   zz_sync_import_file_with_passphrase (ZzStore *store,
                                    const char     *path,
                                    const char     *passphrase,
                                    ZzImportResult *res,
                                    GError        **error);
/* The same in a worker thread with its own connection, acting as the same user; @progress runs
 * on the caller's main context. */
void       zz_sync_import_async    (ZzStore        *store,
                                    const char     *path,
                                    GCancellable   *cancellable,
                                    ZzProgressFunc  progress,
                                    gpointer        progress_data,
                                    GAsyncReadyCallback callback,
                                    gpointer        user_data);
gboolean   zz_sync_import_finish   (GAsyncResult   *result,
                                    ZzImportResult *res,
                                    GError        **error);
/* Writes, reads back and verifies a bundle in a worker thread. */
void       zz_sync_export_async    (ZzStore        *store,
                                    const char     *peer,
                                    const char     *path,
                                    GCancellable   *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer        user_data);
gboolean   zz_sync_export_finish   (GAsyncResult   *result,
                                    guint          *out_ops,
                                    GError        **error);
gboolean   zz_sync_verify_file     (ZzStore        *store,
                                    const char     *path,
                                    GError        **error);
/* Checks a bundle without changing anything: bounds, canonical form, signature, payload, chains.
 * @out_info (optional) gets a description. */
gboolean   zz_sync_verify_bytes    (ZzStore        *store,
                                    GBytes         *bundle,
                                    char          **out_info,
                                    GError        **error);

/* A hash of the synced state: equal on two nodes exactly when they hold the same data. */
char      *zz_sync_digest          (ZzStore        *store);

/* ---- keys and trust ---- */
/* This node's public key file (minisign's format; the comment names node id, org unit, name). */
char      *zz_sync_public_key_file (ZzStore        *store);
/* Trusts a root (a county or prefecture node) after its fingerprint was compared. */
gboolean   zz_sync_trust_root      (ZzStore        *store,
                                    const char     *public_key_file,
                                    const char     *fingerprint,
                                    GError        **error);
/* Signs a certificate for the node of @public_key_file (county or prefecture nodes only). */
gboolean   zz_sync_enrol           (ZzStore        *store,
                                    const char     *public_key_file,
                                    gint64         *out_serial,
                                    GError        **error);
/* The same for the org unit chosen by the enrolling officer (NULL: the one named in the key
 * file); it must be the unit the node says it serves, within this centre's area. */
gboolean   zz_sync_enrol_as        (ZzStore        *store,
                                    const char     *public_key_file,
                                    const char     *org_unit,
                                    gint64         *out_serial,
                                    GError        **error);
/* Reads a node's public key file without trusting it: node id, org unit, name and the
 * fingerprint to compare out of band. */
gboolean   zz_sync_read_public_key_file (const char *public_key_file,
                                    char          **out_node_id,
                                    char          **out_org_unit,
                                    char          **out_name,
                                    char          **out_fingerprint,
                                    GError        **error);
/* TRUE once a trusted root is set (at first run, or later on the sync page). */
gboolean   zz_sync_has_root        (ZzStore        *store);
gboolean   zz_sync_revoke          (ZzStore        *store,
                                    const char     *node_id,
                                    gint64          last_valid_seq,
                                    GError        **error);
/* Known nodes: node_id, org_unit, name, fingerprint, status (self, root, enrolled, revoked,
 * frozen), revoked_after, frozen_seq (the seq it signed twice), held_seq, last_bundle,
 * last_import_at, pending (ops this node holds that the peer lacks). */
GListModel *zz_sync_list_nodes     (ZzStore        *store);
/* Bundles awaiting a certificate: hash, sender, size, reason, received_at. */
GListModel *zz_sync_list_quarantine (ZzStore       *store);
/* Refused and held ops: origin, seq, hash, reason, at, state ("refused" or "held"). Held ops
 * of a newer version's table or field have the reason "newer" ("newer-fields": a record shown
 * without its fields of that version). */
GListModel *zz_sync_list_refused   (ZzStore        *store);
/* Applies quarantined bundles whose keys are now known; returns how many were applied. */
guint      zz_sync_reprocess_quarantine (ZzStore   *store,
                                    GError        **error);

/* ---- conflicts ---- */
/* One row per competing value: tbl, row_id, field, op (hash hex), value, author, author_name,
 * origin, origin_name, hlc, at (Unix ms), winner (1 for the value shown), label (the record's
 * name, when it has one). */
GListModel *zz_sync_list_conflicts (ZzStore        *store);
/* Settles a field on the value of head @op_hex (county or prefecture node, conflict role). */
gboolean   zz_sync_resolve         (ZzStore        *store,
                                    const char     *table,
                                    const char     *row_id,
                                    const char     *field,
                                    const char     *op_hex,
                                    GError        **error);

/* ---- simulation (tests and benchmarks) ---- */
/* Writes @n_ops realistic random changes (persons and visits created, edited, removed) as this
 * node and the current user, homed at @home (NULL: this node's org unit). */
gboolean   zz_sync_simulate        (ZzStore        *store,
                                    guint           n_ops,
                                    guint32         seed,
                                    const char     *home,
                                    GError        **error);

G_END_DECLS
