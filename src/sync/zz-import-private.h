/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

G_END_DECLS
