/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "zz-bundle.h"
#include "zz-op.h"
#include "zz-sync-private.h"

G_BEGIN_DECLS

/* Shared by export (zz-sync.c) and import (zz-import.c). */

#define ZZ_SYNC_FORMAT_NAME "zongzhi-bundle"
#define ZZ_SYNC_HEAD_DOMAIN "zongzhi-head"

extern const guint8 zz_sync_zero_hash[ZZ_HASH_BYTES];

typedef struct {
  ZzProgressFunc func;
  gpointer data;
} ZzSyncProgress;

/* version vectors: origin -> gint64 */
GHashTable *zz_sync_store_vv        (ZzStore      *store);
gint64      zz_sync_vv_get          (GHashTable   *vv,
                                     const char   *origin);
void        zz_sync_vv_set          (GHashTable   *vv,
                                     const char   *origin,
                                     gint64        seq);
void        zz_sync_vv_append_json  (GString      *out,
                                     GHashTable   *vv);
/* placeholders owed in full: origin -> GArray of gint64 (from, to) pairs; NULL when malformed */
GHashTable *zz_sync_holes_from_node (JsonNode     *node);
void        zz_sync_holes_to_json   (GString      *out,
                                     GHashTable   *holes);
gboolean    zz_sync_op_at           (ZzStore      *store,
                                     const char   *origin,
                                     gint64        seq,
                                     guint8       *hash,
                                     int          *is_stub);
char       *zz_sync_head_message    (const char   *origin,
                                     gint64        seq,
                                     const guint8 *hash);
gboolean    zz_sync_hex_decode      (const char   *text,
                                     guint8       *out);
gboolean    zz_sync_b64_decode      (const char   *text,
                                     guint8       *out,
                                     gsize         expect);
char       *zz_sync_trusted_comment (const char   *sender,
                                     const char   *unit,
                                     const char   *recipient,
                                     gint64        created,
                                     const char   *payload_hex);
gint64      zz_sync_count_rows      (ZzStore      *store,
                                     const char   *sql);

gboolean    zz_sync_import_file_with_progress (ZzStore *store,
                                     const char   *path,
                                     ZzImportResult *res,
                                     const ZzSyncProgress *progress,
                                     GError      **error);

/* ---- the import, step by step (zz-import.c) ---- */

/* One origin's run of ops in a bundle, from the manifest. */
typedef struct {
  char *origin;
  gint64 from, to;
  guint8 prev[ZZ_HASH_BYTES];
  guint8 head[ZZ_HASH_BYTES];
  guint8 head_sig[crypto_sign_BYTES];
} ZzImportSegment;

/* One op line of a segment, parsed and hashed. */
typedef struct {
  gboolean stub;
  ZzPlaceholder stub_kind;   /* a placeholder's kind, as the sender wrote it */
  gint64 seq;
  guint8 hash[ZZ_HASH_BYTES];
  guint8 prev[ZZ_HASH_BYTES];
  ZzHlc hlc;
  ZzHlc order;     /* apply order: the clock, never below an earlier op of the same origin */
  const char *body;
  gsize len;
  guint segment;
  gboolean replace;   /* the full op of a placeholder held */
  char *owned;     /* the body with its prev written back in */
} ZzImportLine;

typedef struct {
  ZzBundleFiles files;
  gint64 mtime;
  JsonParser *parser;
  JsonObject *m;
  const char *sender;
  const char *sender_unit;
  const char *sender_name;
  char *sender_known_unit;   /* the sender's unit as its certificate here says */
  guint8 sender_key[crypto_sign_PUBLICKEYBYTES];
  GHashTable *vv;
  GArray *segments;       /* ZzImportSegment */
  GBytes *raw;            /* decompressed ops */
  GPtrArray *line_ptrs;   /* const char * into raw */
  GArray *line_lens;      /* gsize */
  JsonArray *certs;
  JsonArray *revocations;
  JsonArray *anchors;     /* NULL in bundles of earlier versions */
  const char *recipient;  /* NULL: --all */
  GHashTable *holes;      /* the sender's placeholders it is owed in full */
  char hash_hex[ZZ_HASH_BYTES * 2 + 1];   /* of the whole bundle file */
  ZzImportLine *lines;    /* one per op line, in bundle order */
  guint n_lines;
  GPtrArray *units;       /* per segment, its origin's org unit (step 5) */
  /* bundle format 2 */
  int format;             /* 1: ops readable; 2: ops encrypted with age */
  int reads;              /* the newest format the sender reads (1 when it does not say) */
  gint64 raw_size;        /* the ops' declared size, decompressed */
  gint64 n_declared;      /* the op lines the manifest declares */
} ZzImportBundle;

typedef enum {
  ZZ_IMPORT_TRUSTED,
  ZZ_IMPORT_REFUSED,       /* @res says why */
  ZZ_IMPORT_QUARANTINED,   /* kept until a certificate arrives */
  ZZ_IMPORT_ERROR,         /* an error of this installation */
} ZzImportTrust;

void          zz_import_bundle_clear (ZzImportBundle *b);
/* 1: size, canonical archive, members */
gboolean      zz_import_bounds    (ZzImportBundle *b,
                                   GBytes         *bytes,
                                   GError        **error);
/* 2: manifest, its signature, payload, lines, segments, statements */
gboolean      zz_import_manifest  (ZzImportBundle *b,
                                   GError        **error);
/* 2b: a format 2 bundle's ops decrypted with this node's age identity (or a passphrase),
 * decompressed and split in lines; nothing to do for format 1 (step 2 read them). Errors are
 * ZZ_ERROR_AUTH (not encrypted for this key or passphrase) or ZZ_ERROR_FORMAT. */
gboolean      zz_import_payload   (ZzImportBundle *b,
                                   const guint8   *identity,
                                   const char     *passphrase,
                                   GError        **error);
/* This node's age identity (the X25519 form of its node key). */
void          zz_import_identity  (ZzStore        *store,
                                   guint8         *x_sk);
/* 3: addressed to this node (FALSE: refused, @res says to whom) */
gboolean      zz_import_recipient (ZzStore        *store,
                                   const ZzImportBundle *b,
                                   ZzImportResult *res);
/* 4: statements, sender's key, every origin known (or quarantine) */
ZzImportTrust zz_import_trust     (ZzStore        *store,
                                   ZzImportBundle *b,
                                   GBytes         *bytes,
                                   ZzImportResult *res,
                                   GError        **error);
/* 5: each segment's chain and its origin's signature (FALSE: refused) */
gboolean      zz_import_chains    (ZzStore        *store,
                                   ZzImportBundle *b,
                                   ZzImportResult *res);
/* 6: already held / replace a placeholder / apply / gap / revoked / frozen / fork */
gboolean      zz_import_classify  (ZzStore        *store,
                                   ZzImportBundle *b,
                                   ZzImportResult *res,
                                   GPtrArray      *to_apply,
                                   GError        **error);
/* 7: one op read in full and authorised */
gboolean      zz_import_authorise (ZzStore        *store,
                                   const char     *origin,
                                   const char     *origin_unit,
                                   const ZzImportLine *l,
                                   ZzOp           *op,
                                   char          **out_reason,
                                   GError        **error);
/* 8: apply in clock order */
gboolean      zz_import_apply     (ZzStore        *store,
                                   ZzImportBundle *b,
                                   GPtrArray      *to_apply,
                                   ZzImportResult *res,
                                   const ZzSyncProgress *progress,
                                   GError        **error);
/* 9: held ops whose gap filled */
gboolean      zz_import_release_held (ZzStore     *store,
                                   ZzImportResult *res,
                                   GError        **error);
/* 10: the sender's acknowledgement, data as of, own seq */
gboolean      zz_import_record_peer (ZzStore      *store,
                                   ZzImportBundle *b,
                                   GError        **error);

G_END_DECLS
