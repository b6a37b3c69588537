/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store-sync.h"
#include "zz-sync.h"

G_BEGIN_DECLS

typedef enum {
  ZZ_NODE_UNKNOWN,
  ZZ_NODE_SELF,
  ZZ_NODE_ROOT,
  ZZ_NODE_ENROLLED,
  ZZ_NODE_REVOKED,
} ZzNodeStatus;

const char  *zz_sync_node_status_name    (ZzNodeStatus status);
ZzNodeStatus zz_sync_lookup_node         (ZzStore     *store,
                                          const char  *node_id,
                                          guint8      *pk,
                                          char       **unit,
                                          char       **name);
gint64       zz_sync_revoked_after       (ZzStore     *store,
                                          const char  *node_id);
gboolean     zz_sync_is_frozen           (ZzStore     *store,
                                          const char  *origin);
gboolean     zz_sync_self_is_trusted     (ZzStore     *store);
int          zz_sync_accept_cert         (ZzStore     *store,
                                          const char  *text,
                                          const char  *sig,
                                          GError     **error);
int          zz_sync_accept_anchor       (ZzStore     *store,
                                          const char  *text,
                                          const char  *sig,
                                          GError     **error);
GPtrArray   *zz_sync_own_anchors         (ZzStore     *store);
int          zz_sync_accept_revocation   (ZzStore     *store,
                                          const char  *text,
                                          const char  *sig,
                                          GError     **error);
gint64       zz_sync_pending_for         (ZzStore     *store,
                                          const char  *peer);
/* zz_fingerprint(blob) and zz_pending(node) for queries */
void         zz_sync_register_functions  (ZzStore     *store);

/* Accounts and reference data: only county or prefecture nodes author them, and those homed at
 * a township or village are that installation's own (never sent in full). */
gboolean     zz_sync_is_account_table    (const char  *table);

G_END_DECLS
