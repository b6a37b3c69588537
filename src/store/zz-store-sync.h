/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-op.h"
#include "zz-store-private.h"

G_BEGIN_DECLS

/* A "resolve" op for one field: like a set, naming every current head as a parent, so that the
 * field has one value again on every node that receives it. */
gboolean zz_store_write_resolve (ZzStore       *self,
                                 const char    *table,
                                 const char    *id,
                                 const ZzField *field,
                                 GError       **error);

gboolean zz_store_is_account_table (const char *table);

/* Row ids bound to the node that may create the row (see zz-apply.c). */
typedef enum {
  ZZ_ID_UNBOUND,             /* an id written before ids were bound (UUIDv7), or a fixed id */
  ZZ_ID_BOUND_TO_ORIGIN,
  ZZ_ID_BOUND_ELSEWHERE,
} ZzIdBinding;

char       *zz_store_bound_id_new (const char *node_id,
                                   gint64      unix_ms);
ZzIdBinding zz_store_id_binding   (const char *id,
                                   const char *origin);
/* NULL when @op (from a node serving @origin_unit) may be applied, else why not. Depends only on
 * the op and immutable data (the row's home), so every node decides alike. */
char    *zz_store_authorise_op  (ZzStore       *self,
                                 const ZzOp    *op,
                                 const char    *origin_unit);
/* Ops written by a newer version: a table or field this version does not know. */
typedef enum {
  ZZ_OP_KNOWN,
  ZZ_OP_NEWER,          /* a table, or a field of a set, this version does not know */
  ZZ_OP_NEWER_FIELDS,   /* a create or append of a known table with fields it does not know */
} ZzOpKnown;

ZzOpKnown zz_store_op_known     (const ZzOp    *op);
/* Stores a received op (in the transaction) from a node serving @origin_unit and, unless
 * @refuse_reason, applies it. An op of a newer version (zz_store_op_known) is kept with its
 * chain and not applied (a create or append of a known table: applied without the fields this
 * version does not know); *@out_newer says so. */
gboolean zz_store_apply_remote  (ZzStore       *self,
                                 const ZzOp    *op,
                                 const guint8  *hash,
                                 const char    *body,
                                 gsize          len,
                                 const char    *origin_unit,
                                 const char    *refuse_reason,
                                 gboolean       replace_stub,
                                 gboolean      *out_refused,
                                 gboolean      *out_newer,
                                 GError       **error);
/* Applies the ops kept for a newer version that this version knows, in chain order, each
 * authorised in full (or stored as refused); in the transaction of the migration that made them
 * known. @out_applied: how many were applied. */
gboolean zz_store_apply_newer   (ZzStore       *self,
                                 guint         *out_applied,
                                 GError       **error);
/* An import applies many ops in one transaction: between these two calls the store remembers
 * which ops it stored and whether any op still waits for a parent, so that the usual case (a
 * set whose parent came earlier in the same bundle) needs no lookup. Only for speed: the
 * result is the same without them. */
void     zz_store_apply_batch_begin (ZzStore   *self);
void     zz_store_apply_batch_end   (ZzStore   *self);
/* An op this node may not see: origin, seq and hashes only, so the chain stays whole. */
gboolean zz_store_insert_stub   (ZzStore       *self,
                                 const char    *origin,
                                 gint64         seq,
                                 const guint8  *hash,
                                 const guint8  *prev,
                                 GError       **error);
/* Placeholders: origin, seq and hashes only, so the chain stays whole. */
typedef enum {
  ZZ_PLACEHOLDER_FINAL = 1,   /* kind "stub": an op this node may not see */
  ZZ_PLACEHOLDER_OWED = 2,    /* kind "hole": an op this node may be owed in full by a node that
                               * holds it; its acknowledgements list it until the op arrives */
  ZZ_PLACEHOLDER_LOCAL = 3,   /* kind "local": an op no other node may see (a township's own
                               * accounts) */
} ZzPlaceholder;

gboolean zz_store_insert_placeholder (ZzStore  *self,
                                 const char    *origin,
                                 gint64         seq,
                                 const guint8  *hash,
                                 const guint8  *prev,
                                 ZzPlaceholder  kind,
                                 GError       **error);
/* A placeholder owed in full turned out to be an op this node may not see (@kind FINAL or
 * LOCAL). */
gboolean zz_store_settle_placeholder (ZzStore  *self,
                                 const char    *origin,
                                 gint64         seq,
                                 ZzPlaceholder  kind,
                                 GError       **error);
const char *zz_store_placeholder_kind (ZzPlaceholder kind);

/* Merges a received clock into this node's hybrid logical clock. */
void     zz_store_receive_clock (ZzStore       *self,
                                 ZzHlc          remote);

/* Merges the highest clock of any op held (another connection or process may have imported
 * newer ones), so this node's next op is stamped after everything it has seen. */
void     zz_store_merge_clock_from_log (ZzStore *self);

/* Notes that ops of @origin (a node serving @org_unit), the newest stamped @newest, arrived in
 * the bundle being imported now: the "data as of" of the statistics. In the import's
 * transaction. */
gboolean zz_store_note_origin_seen (ZzStore       *self,
                                    const char    *origin,
                                    const char    *org_unit,
                                    ZzHlc          newest,
                                    GError       **error);

G_END_DECLS
