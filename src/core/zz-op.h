/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "zz-hlc.h"

G_BEGIN_DECLS

/* An op body as received: the JSON object the store wrote once and hashed, read back strictly.
 * Keys: v (version 1), o origin, s seq, p prev (hex), c clock, a author (or null), k kind,
 * t table, r row id, h home org unit, f fields (string, integer or null values), P parents. */

#define ZZ_OP_HASH_BYTES 32
#define ZZ_OP_MAX_FIELDS 64
#define ZZ_OP_MAX_PARENTS 64
#define ZZ_OP_MAX_BODY (256 * 1024)

typedef enum {
  ZZ_OP_VALUE_NULL,
  ZZ_OP_VALUE_TEXT,
  ZZ_OP_VALUE_INT,
} ZzOpValueType;

typedef struct {
  char *name;
  ZzOpValueType type;
  char *s;
  gint64 i;
} ZzOpField;

typedef struct {
  char *origin;
  gint64 seq;
  guint8 prev[ZZ_OP_HASH_BYTES];
  ZzHlc hlc;
  char *author;
  char *kind;
  char *table;
  char *row_id;
  char *home;
  ZzOpField fields[ZZ_OP_MAX_FIELDS];
  guint n_fields;
  guint8 (*parents)[ZZ_OP_HASH_BYTES];   /* n_parents hashes */
  guint n_parents;
  gboolean has_parents;
} ZzOp;

/* Parses @body strictly (unknown keys, nesting, floats, duplicate keys and trailing bytes are
 * refused). FALSE with @error (ZZ_ERROR_FORMAT) when it is not a well-formed op. */
gboolean zz_op_parse   (const char *body,
                        gsize       len,
                        ZzOp       *op,
                        GError    **error);
void     zz_op_clear   (ZzOp       *op);
/* Reads origin, seq and clock from the head of a body in the writer's key order, without a full
 * parse; FALSE when the body does not start as every op does (or names another @origin). */
gboolean zz_op_peek    (const char *body,
                        gsize       len,
                        const char *origin,
                        gint64     *seq,
                        ZzHlc      *hlc);

/* Hex helpers for 32-byte hashes. */
gboolean zz_op_hex_to_hash (const char *hex,
                            gsize       len,
                            guint8     *out);

/* Org unit codes are hierarchical (2 digits province, 4 prefecture, 6 county, 9 township,
 * 12 village): level 1..5 from the length, 0 when malformed. */
int      zz_org_level      (const char *code);
/* TRUE when @code is @ancestor or lies below it. */
gboolean zz_org_within     (const char *code,
                            const char *ancestor);

G_END_DECLS
