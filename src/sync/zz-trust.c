/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "zz-bundle.h"
#include "zz-json.h"
#include "zz-op.h"
#include "zz-sync-private.h"

/* Certificates and revocations are kept in their own local tables rather than as admin ops:
 * each is a self-verifying statement signed by its issuer, so it can be checked and used the
 * moment it arrives, in any order, even before the issuer's own op chain has arrived; and a
 * node must be able to trust a key before it can check any op of that key's chain. */

const char *
zz_sync_node_status_name (ZzNodeStatus status)
{
  switch (status)
    {
    case ZZ_NODE_SELF: return "self";
    case ZZ_NODE_ROOT: return "root";
    case ZZ_NODE_ENROLLED: return "enrolled";
    case ZZ_NODE_REVOKED: return "revoked";
    case ZZ_NODE_UNKNOWN: default: return "unknown";
    }
}

/* What this node knows of @node_id: its key, org unit and name. */
ZzNodeStatus
zz_sync_lookup_node (ZzStore *store, const char *node_id, guint8 *pk, char **unit, char **name)
{
  sqlite3_stmt *stmt;
  ZzNodeStatus status = ZZ_NODE_UNKNOWN;

  if (unit)
    *unit = NULL;
  if (name)
    *name = NULL;
  if (!node_id)
    return ZZ_NODE_UNKNOWN;
  if (store->node_id && strcmp (node_id, store->node_id) == 0)
    {
      if (pk)
        memcpy (pk, store->public_key, crypto_sign_PUBLICKEYBYTES);
      if (unit)
        *unit = g_strdup (store->node_org_unit);
      if (name)
        *name = g_strdup (store->centre_name);
      return ZZ_NODE_SELF;
    }
  stmt = zz_store_stmt (store, "SELECT public_key, org_unit, name, 1 FROM sync_root WHERE node_id = ?1"
                               " UNION ALL SELECT public_key, org_unit, name, 1.5 FROM sync_anchor WHERE node_id = ?1"
                               " UNION ALL SELECT public_key, org_unit, name, 2 FROM sync_cert WHERE node_id = ?1"
                               " ORDER BY 4 LIMIT 1", NULL);
  if (!stmt)
    return ZZ_NODE_UNKNOWN;
  sqlite3_bind_text (stmt, 1, node_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == crypto_sign_PUBLICKEYBYTES)
    {
      if (pk)
        memcpy (pk, sqlite3_column_blob (stmt, 0), crypto_sign_PUBLICKEYBYTES);
      if (unit)
        *unit = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (name)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      status = sqlite3_column_double (stmt, 3) < 2 ? ZZ_NODE_ROOT : ZZ_NODE_ENROLLED;
    }
  sqlite3_reset (stmt);
  return status;
}

/* The last valid seq of a revoked node, or -1. */
gint64
zz_sync_revoked_after (ZzStore *store, const char *node_id)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT last_seq FROM sync_revocation WHERE node_id = ?", NULL);

  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, node_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_int (store, stmt, -1);
}

gboolean
zz_sync_is_frozen (ZzStore *store, const char *origin)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT count(*) FROM sync_frozen WHERE origin = ?", NULL);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
  return zz_store_query_int (store, stmt, 0) > 0;
}

/* May @issuer vouch for a node of @unit? A root or an enrolled, unrevoked county or prefecture
 * node, for units in its own subtree. */
static gboolean
issuer_may_certify (ZzStore *store, const char *issuer, const char *unit, guint8 *issuer_pk)
{
  g_autofree char *issuer_unit = NULL;
  ZzNodeStatus st = zz_sync_lookup_node (store, issuer, issuer_pk, &issuer_unit, NULL);

  if (st == ZZ_NODE_UNKNOWN)
    return FALSE;
  if (st == ZZ_NODE_SELF && !zz_sync_self_is_trusted (store))
    return FALSE;
  if (zz_sync_revoked_after (store, issuer) >= 0)
    return FALSE;
  return zz_org_level (issuer_unit) >= 1 && zz_org_level (issuer_unit) <= 3
         && zz_org_within (unit, issuer_unit);
}

/* This node vouches for others when it is a root of its own trust store or enrolled. */
gboolean
zz_sync_self_is_trusted (ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT (SELECT count(*) FROM sync_root WHERE node_id = ?1)"
                                             " + (SELECT count(*) FROM sync_cert WHERE node_id = ?1)", NULL);

  if (!stmt || !store->node_id)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store->node_id, -1, SQLITE_STATIC);
  return zz_store_query_int (store, stmt, 0) > 0;
}

static char *
cert_text (const char *node, const guint8 *pk, const char *unit, const char *name, gint64 serial,
           const char *issuer)
{
  GString *s = g_string_new ("{\"cert\":1,\"node\":");
  char key[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];

  sodium_bin2base64 (key, sizeof key, pk, crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
  zz_json_append_string (s, node);
  g_string_append (s, ",\"key\":");
  zz_json_append_string (s, key);
  g_string_append (s, ",\"unit\":");
  zz_json_append_string (s, unit);
  g_string_append (s, ",\"name\":");
  zz_json_append_string (s, name);
  g_string_append_printf (s, ",\"serial\":%lld,\"issuer\":", (long long) serial);
  zz_json_append_string (s, issuer);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
sign_statement (ZzStore *store, const char *domain, const char *text)
{
  g_autofree char *msg = g_strconcat (domain, "\n", text, NULL);
  guint8 sig[crypto_sign_BYTES];
  char b64[sodium_base64_ENCODED_LEN (crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];

  crypto_sign_detached (sig, NULL, (const guint8 *) msg, strlen (msg), store->secret_key);
  sodium_bin2base64 (b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
  return g_strdup (b64);
}

static gboolean
check_statement (const guint8 *pk, const char *domain, const char *text, const char *sig_b64)
{
  g_autofree char *msg = g_strconcat (domain, "\n", text, NULL);
  guint8 sig[crypto_sign_BYTES];
  gsize len = 0;

  if (!sig_b64 || sodium_base642bin (sig, sizeof sig, sig_b64, strlen (sig_b64), NULL, &len, NULL,
                                     sodium_base64_VARIANT_ORIGINAL) != 0 || len != sizeof sig)
    return FALSE;
  return crypto_sign_verify_detached (sig, (const guint8 *) msg, strlen (msg), pk) == 0;
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
member_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!text || strlen (text) > 4096 || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Checks and stores a certificate; 1 when newly accepted, 0 when known or not (yet) provable,
 * -1 on a database error. */
int
zz_sync_accept_cert (ZzStore *store, const char *text, const char *sig, GError **error)
{
  g_autoptr(JsonObject) o = parse_object (text);
  const char *node, *key_b64, *unit, *name, *issuer;
  gint64 serial = 0, version = 0;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 issuer_pk[crypto_sign_PUBLICKEYBYTES];
  gsize len = 0;
  sqlite3_stmt *stmt;
  g_autofree char *canonical = NULL;

  if (!o)
    return 0;
  node = member_string (o, "node");
  key_b64 = member_string (o, "key");
  unit = member_string (o, "unit");
  name = member_string (o, "name");
  issuer = member_string (o, "issuer");
  if (!member_int (o, "cert", &version) || version != 1 || !member_int (o, "serial", &serial)
      || !node || !key_b64 || !unit || !name || !issuer || zz_org_level (unit) == 0
      || sodium_base642bin (pk, sizeof pk, key_b64, strlen (key_b64), NULL, &len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) != 0 || len != sizeof pk)
    return 0;
  canonical = cert_text (node, pk, unit, name, serial, issuer);
  if (strcmp (canonical, text) != 0)
    return 0;
  if (store->node_id && strcmp (node, store->node_id) == 0 && memcmp (pk, store->public_key, sizeof pk) != 0)
    return 0;
  if (strcmp (node, issuer) == 0 || serial < 1)
    return 0;
  if (!issuer_may_certify (store, issuer, unit, issuer_pk) || !check_statement (issuer_pk, "zongzhi-cert", text, sig))
    return 0;
  /* a root's identity is never taken over by a certificate (this node's own only by one for
   * its own key, checked above) */
  if (zz_sync_lookup_node (store, node, NULL, NULL, NULL) == ZZ_NODE_ROOT)
    return 0;

  /* Serials compare per issuer: the same issuer replaces its own certificate with a newer one;
   * another issuer replaces it only from strictly above (the prefecture over a county), never
   * from beside or below, so a county cannot take over another county's node. */
  stmt = zz_store_stmt (store, "SELECT serial, issuer FROM sync_cert WHERE node_id = ?", error);
  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, node, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 old_serial = sqlite3_column_int64 (stmt, 0);
      g_autofree char *old_issuer = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_autofree char *old_unit = NULL, *new_unit = NULL;
      gboolean replace;

      sqlite3_reset (stmt);
      if (g_strcmp0 (old_issuer, issuer) == 0)
        replace = serial > old_serial;
      else
        {
          zz_sync_lookup_node (store, old_issuer, NULL, &old_unit, NULL);
          zz_sync_lookup_node (store, issuer, NULL, &new_unit, NULL);
          replace = old_unit && new_unit && strcmp (old_unit, new_unit) != 0 && zz_org_within (old_unit, new_unit);
        }
      if (!replace)
        return 0;
    }
  else
    sqlite3_reset (stmt);
  stmt = zz_store_stmt (store, "INSERT OR REPLACE INTO sync_cert (node_id, public_key, org_unit, name, serial,"
                               " issuer, text, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, node, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, pk, sizeof pk, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, serial);
  sqlite3_bind_text (stmt, 6, issuer, -1, SQLITE_TRANSIENT);
  {
    g_autofree char *stored = g_strconcat (text, "\n", sig, NULL);
    sqlite3_bind_text (stmt, 7, stored, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 8, zz_store_now (store));
    if (!zz_store_step_done (store, stmt, error))
      return -1;
  }
  return 1;
}

static char *
revocation_text (const char *node, gint64 last_seq, const char *issuer)
{
  GString *s = g_string_new ("{\"revoke\":1,\"node\":");

  zz_json_append_string (s, node);
  g_string_append_printf (s, ",\"last_seq\":%lld,\"issuer\":", (long long) last_seq);
  zz_json_append_string (s, issuer);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

int
zz_sync_accept_revocation (ZzStore *store, const char *text, const char *sig, GError **error)
{
  g_autoptr(JsonObject) o = parse_object (text);
  const char *node, *issuer;
  gint64 last_seq = 0, version = 0;
  g_autofree char *unit = NULL;
  g_autofree char *canonical = NULL;
  guint8 issuer_pk[crypto_sign_PUBLICKEYBYTES];
  sqlite3_stmt *stmt;
  gint64 existing;

  if (!o)
    return 0;
  node = member_string (o, "node");
  issuer = member_string (o, "issuer");
  if (!member_int (o, "revoke", &version) || version != 1 || !member_int (o, "last_seq", &last_seq)
      || last_seq < 0 || !node || !issuer)
    return 0;
  canonical = revocation_text (node, last_seq, issuer);
  if (strcmp (canonical, text) != 0)
    return 0;
  if (zz_sync_lookup_node (store, node, NULL, &unit, NULL) == ZZ_NODE_UNKNOWN)
    return 0;   /* kept in the bundle; it applies once the node is known */
  if (!issuer_may_certify (store, issuer, unit, issuer_pk) || !check_statement (issuer_pk, "zongzhi-revoke", text, sig))
    return 0;
  existing = zz_sync_revoked_after (store, node);
  if (existing >= 0 && existing <= last_seq)
    return 0;
  stmt = zz_store_stmt (store, "INSERT OR REPLACE INTO sync_revocation (node_id, last_seq, issuer, text, received_at)"
                               " VALUES (?, ?, ?, ?, ?)", error);
  if (!stmt)
    return -1;
  {
    g_autofree char *stored = g_strconcat (text, "\n", sig, NULL);
    sqlite3_bind_text (stmt, 1, node, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, last_seq);
    sqlite3_bind_text (stmt, 3, issuer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, stored, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 5, zz_store_now (store));
    if (!zz_store_step_done (store, stmt, error))
      return -1;
  }
  return 1;
}

/* ---- anchors: a root vouching for the root above it ----
 *
 * A township that trusts only its county must still receive the prefecture's changes relayed
 * through the county. The county vouches for each of its own roots above it (the prefecture)
 * with an anchor statement signed by its key; a node that trusts the county (directly, or
 * through anchors itself) takes the prefecture as a root too. Only a root strictly above the
 * voucher can be vouched for: a county cannot make a sibling or a township a root. */

static char *
anchor_text (const char *node, const guint8 *pk, const char *unit, const char *name, const char *issuer)
{
  GString *s = g_string_new ("{\"anchor\":1,\"node\":");
  char key[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];

  sodium_bin2base64 (key, sizeof key, pk, crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
  zz_json_append_string (s, node);
  g_string_append (s, ",\"key\":");
  zz_json_append_string (s, key);
  g_string_append (s, ",\"unit\":");
  zz_json_append_string (s, unit);
  g_string_append (s, ",\"name\":");
  zz_json_append_string (s, name);
  g_string_append (s, ",\"issuer\":");
  zz_json_append_string (s, issuer);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* This node's anchors for its own roots above it, as "text\nsig" strings. */
GPtrArray *
zz_sync_own_anchors (ZzStore *store)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  if (!store->node_id || !store->has_secret_key || !zz_sync_self_is_trusted (store))
    return out;
  stmt = zz_store_stmt (store, "SELECT node_id, public_key, org_unit, name FROM sync_root WHERE node_id != ?"
                               " ORDER BY node_id", NULL);
  if (!stmt)
    return out;
  sqlite3_bind_text (stmt, 1, store->node_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *unit = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *text = NULL, *sig = NULL;

      if (sqlite3_column_bytes (stmt, 1) != crypto_sign_PUBLICKEYBYTES || g_strcmp0 (unit, store->node_org_unit) == 0
          || !zz_org_within (store->node_org_unit, unit))
        continue;
      text = anchor_text ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_blob (stmt, 1), unit,
                          (const char *) sqlite3_column_text (stmt, 3), store->node_id);
      sig = sign_statement (store, "zongzhi-anchor", text);
      g_ptr_array_add (out, g_strconcat (text, "\n", sig, NULL));
    }
  sqlite3_reset (stmt);
  return out;
}

/* Checks and stores an anchor; 1 when newly accepted, 0 when known or not (yet) provable, -1 on
 * a database error. */
int
zz_sync_accept_anchor (ZzStore *store, const char *text, const char *sig, GError **error)
{
  g_autoptr(JsonObject) o = parse_object (text);
  const char *node, *key_b64, *unit, *name, *issuer;
  gint64 version = 0;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 issuer_pk[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *issuer_unit = NULL;
  g_autofree char *canonical = NULL;
  gsize len = 0;
  sqlite3_stmt *stmt;

  if (!o)
    return 0;
  node = member_string (o, "node");
  key_b64 = member_string (o, "key");
  unit = member_string (o, "unit");
  name = member_string (o, "name");
  issuer = member_string (o, "issuer");
  if (!member_int (o, "anchor", &version) || version != 1 || !node || !key_b64 || !unit || !name || !issuer
      || zz_org_level (unit) == 0 || zz_org_level (unit) > 3 || strlen (node) != 32
      || sodium_base642bin (pk, sizeof pk, key_b64, strlen (key_b64), NULL, &len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) != 0 || len != sizeof pk)
    return 0;
  canonical = anchor_text (node, pk, unit, name, issuer);
  if (strcmp (canonical, text) != 0)
    return 0;
  /* the voucher must be a root here, the vouched-for root strictly above it */
  if (zz_sync_lookup_node (store, issuer, issuer_pk, &issuer_unit, NULL) != ZZ_NODE_ROOT
      || zz_sync_revoked_after (store, issuer) >= 0
      || strcmp (unit, issuer_unit) == 0 || !zz_org_within (issuer_unit, unit))
    return 0;
  if (!check_statement (issuer_pk, "zongzhi-anchor", text, sig))
    return 0;
  if (zz_sync_lookup_node (store, node, NULL, NULL, NULL) == ZZ_NODE_SELF
      || zz_sync_lookup_node (store, node, NULL, NULL, NULL) == ZZ_NODE_ROOT)
    return 0;
  stmt = zz_store_stmt (store, "INSERT OR IGNORE INTO sync_anchor (node_id, public_key, org_unit, name, issuer, text,"
                               " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return -1;
  {
    g_autofree char *stored = g_strconcat (text, "\n", sig, NULL);
    sqlite3_bind_text (stmt, 1, node, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob (stmt, 2, pk, sizeof pk, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, issuer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 6, stored, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 7, zz_store_now (store));
    if (!zz_store_step_done (store, stmt, error))
      return -1;
  }
  return sqlite3_changes (store->db) > 0 ? 1 : 0;
}

/* ---- public key files ---- */

char *
zz_sync_public_key_file (ZzStore *store)
{
  g_autofree char *comment = NULL;

  g_return_val_if_fail (store->node_id != NULL, NULL);
  comment = g_strdup_printf ("zongzhi node %s %s %s", store->node_id, store->node_org_unit, store->centre_name);
  return zz_minisign_public_key (store->public_key, comment);
}

static gboolean
read_node_key (const char *text, guint8 *pk, char **node, char **unit, char **name, GError **error)
{
  g_autofree char *comment = NULL;
  g_auto(GStrv) parts = NULL;

  if (!zz_minisign_read_public_key (text, pk, &comment, error))
    return FALSE;
  parts = comment ? g_strsplit (comment, " ", 5) : NULL;
  if (!parts || g_strv_length (parts) < 4 || strcmp (parts[0], "zongzhi") != 0 || strcmp (parts[1], "node") != 0
      || strlen (parts[2]) != 32 || zz_org_level (parts[3]) == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("The key file does not name its node and org unit; export it again with “keys -o”."));
      return FALSE;
    }
  *node = g_strdup (parts[2]);
  *unit = g_strdup (parts[3]);
  *name = g_strdup (parts[4] ? parts[4] : parts[3]);
  return TRUE;
}

static gboolean
require_node (ZzStore *store, GError **error)
{
  if (!store->node_id || !store->has_secret_key)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up, or its node key is missing."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
normalise_fingerprint_equal (const char *a, const char *b)
{
  GString *x = g_string_new (NULL), *y = g_string_new (NULL);
  gboolean eq;

  for (const char *p = a; *p; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (x, g_ascii_toupper (*p));
  for (const char *p = b; *p; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (y, g_ascii_toupper (*p));
  eq = x->len == 32 && strcmp (x->str, y->str) == 0;
  g_string_free (x, TRUE);
  g_string_free (y, TRUE);
  return eq;
}

gboolean
zz_sync_trust_root (ZzStore *store, const char *public_key_file, const char *fingerprint, GError **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *node = NULL, *unit = NULL, *name = NULL, *fp = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_require (store, ZZ_PERM_MANAGE_TRUST, error) || !require_node (store, error))
    return FALSE;
  if (!read_node_key (public_key_file, pk, &node, &unit, &name, error))
    return FALSE;
  fp = zz_key_fingerprint (pk);
  if (!fingerprint || !normalise_fingerprint_equal (fp, fingerprint))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The fingerprint does not match the key (the key’s fingerprint is %s). Compare it with the county by telephone or in person."),
                   fp);
      return FALSE;
    }
  if (zz_org_level (unit) > 3)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Only a county or prefecture node can be a trusted root."));
      return FALSE;
    }
  if (!zz_store_begin (store, error))
    return FALSE;
  stmt = zz_store_stmt (store, "INSERT OR REPLACE INTO sync_root (node_id, public_key, org_unit, name, added_at)"
                               " VALUES (?, ?, ?, ?, ?)", error);
  if (!stmt)
    goto fail;
  sqlite3_bind_text (stmt, 1, node, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, pk, sizeof pk, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, zz_store_now (store));
  if (!zz_store_step_done (store, stmt, error) || !zz_store_commit (store, error))
    goto fail;
  zz_sync_reprocess_quarantine (store, NULL);
  return TRUE;

fail:
  if (store->depth)
    zz_store_rollback (store);
  return FALSE;
}

gboolean
zz_sync_read_public_key_file (const char *public_key_file, char **out_node_id, char **out_org_unit,
                              char **out_name, char **out_fingerprint, GError **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *node = NULL, *unit = NULL, *name = NULL;

  if (!public_key_file || !read_node_key (public_key_file, pk, &node, &unit, &name, error))
    return FALSE;
  if (out_node_id)
    *out_node_id = g_steal_pointer (&node);
  if (out_org_unit)
    *out_org_unit = g_steal_pointer (&unit);
  if (out_name)
    *out_name = g_steal_pointer (&name);
  if (out_fingerprint)
    *out_fingerprint = zz_key_fingerprint (pk);
  return TRUE;
}

gboolean
zz_sync_has_root (ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT count(*) FROM sync_root", NULL);

  return stmt && zz_store_query_int (store, stmt, 0) > 0;
}

gboolean
zz_sync_enrol (ZzStore *store, const char *public_key_file, gint64 *out_serial, GError **error)
{
  return zz_sync_enrol_as (store, public_key_file, NULL, out_serial, error);
}

gboolean
zz_sync_enrol_as (ZzStore *store, const char *public_key_file, const char *org_unit, gint64 *out_serial,
                  GError **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *node = NULL, *unit = NULL, *name = NULL, *text = NULL, *sig = NULL;
  sqlite3_stmt *stmt;
  gint64 serial;
  int rc;

  if (!zz_store_require (store, ZZ_PERM_MANAGE_TRUST, error) || !require_node (store, error))
    return FALSE;
  if (!read_node_key (public_key_file, pk, &node, &unit, &name, error))
    return FALSE;
  /* the node stamps its own rows with the unit it was set up for; a certificate for another
   * unit would have every one of its changes refused */
  if (org_unit && strcmp (org_unit, unit) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The node was set up to serve %s, not %s. Choose %s, or set the node up again for the right org unit."),
                   unit, org_unit, unit);
      return FALSE;
    }
  if (zz_org_level (store->node_org_unit) > 3)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("Only a county or prefecture node may enrol nodes."));
      return FALSE;
    }
  if (!zz_sync_self_is_trusted (store))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                   _("This node is neither a trusted root nor enrolled itself, so its certificates would not be believed."));
      return FALSE;
    }
  if (!zz_org_within (unit, store->node_org_unit))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("The node serves %s, which is outside this centre’s area."), unit);
      return FALSE;
    }
  if (strcmp (node, store->node_id) == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A node cannot enrol itself."));
      return FALSE;
    }
  /* serials count per issuer: only this node's own certificates matter */
  stmt = zz_store_stmt (store, "SELECT coalesce(max(serial), 0) FROM sync_cert WHERE issuer = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store->node_id, -1, SQLITE_STATIC);
  serial = zz_store_query_int (store, stmt, 0);
  if (serial < 0 || serial >= G_MAXINT64 - 1)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This node has issued as many certificates as it can."));
      return FALSE;
    }
  serial++;
  text = cert_text (node, pk, unit, name, serial, store->node_id);
  sig = sign_statement (store, "zongzhi-cert", text);
  if (!zz_store_begin (store, error))
    return FALSE;
  rc = zz_sync_accept_cert (store, text, sig, error);
  if (rc < 0 || !zz_store_commit (store, error))
    {
      if (store->depth)
        zz_store_rollback (store);
      return FALSE;
    }
  if (rc == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The node is already enrolled."));
      return FALSE;
    }
  if (out_serial)
    *out_serial = serial;
  zz_sync_reprocess_quarantine (store, NULL);
  return TRUE;
}

gboolean
zz_sync_revoke (ZzStore *store, const char *node_id, gint64 last_valid_seq, GError **error)
{
  g_autofree char *text = NULL, *sig = NULL;
  int rc;

  if (!zz_store_require (store, ZZ_PERM_MANAGE_TRUST, error) || !require_node (store, error))
    return FALSE;
  if (zz_sync_lookup_node (store, node_id, NULL, NULL, NULL) == ZZ_NODE_UNKNOWN)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("No node %s is known here."), node_id);
      return FALSE;
    }
  text = revocation_text (node_id, last_valid_seq, store->node_id);
  sig = sign_statement (store, "zongzhi-revoke", text);
  if (!zz_store_begin (store, error))
    return FALSE;
  rc = zz_sync_accept_revocation (store, text, sig, error);
  if (rc < 0 || !zz_store_commit (store, error))
    {
      if (store->depth)
        zz_store_rollback (store);
      return FALSE;
    }
  if (rc == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION,
                   _("This node may not revoke that node (it must be a county or prefecture node above it), or it is already revoked."));
      return FALSE;
    }
  return TRUE;
}

GListModel *
zz_sync_list_nodes (ZzStore *store)
{
  sqlite3_stmt *stmt;

  zz_sync_register_functions (store);
  stmt = zz_store_stmt (store,
                        "WITH n AS ("
                        "  SELECT id AS node_id, org_unit, name, public_key, 'self' AS status FROM node WHERE is_self = 1"
                        "  UNION ALL SELECT node_id, org_unit, name, public_key, 'root' FROM sync_root"
                        "   WHERE node_id NOT IN (SELECT id FROM node WHERE is_self = 1)"
                        "  UNION ALL SELECT node_id, org_unit, name, public_key, 'root' FROM sync_anchor"
                        "   WHERE node_id NOT IN (SELECT node_id FROM sync_root)"
                        "   AND node_id NOT IN (SELECT id FROM node WHERE is_self = 1)"
                        "  UNION ALL SELECT node_id, org_unit, name, public_key, 'enrolled' FROM sync_cert"
                        "   WHERE node_id NOT IN (SELECT node_id FROM sync_root)"
                        "   AND node_id NOT IN (SELECT node_id FROM sync_anchor)"
                        "   AND node_id NOT IN (SELECT id FROM node WHERE is_self = 1))"
                        " SELECT n.node_id, n.org_unit, n.name, zz_fingerprint(n.public_key) AS fingerprint,"
                        "  CASE WHEN f.origin IS NOT NULL THEN 'frozen' WHEN r.node_id IS NOT NULL THEN 'revoked'"
                        "   ELSE n.status END AS status,"
                        "  r.last_seq AS revoked_after, f.seq AS frozen_seq, p.last_bundle, p.last_import_at,"
                        "  (SELECT max(seq) FROM op WHERE origin = n.node_id) AS held_seq,"
                        "  CASE WHEN n.status = 'self' THEN 0 ELSE zz_pending(n.node_id) END AS pending"
                        " FROM n LEFT JOIN sync_frozen f ON f.origin = n.node_id"
                        " LEFT JOIN sync_revocation r ON r.node_id = n.node_id"
                        " LEFT JOIN sync_peer p ON p.node_id = n.node_id ORDER BY n.org_unit, n.name", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (store, stmt);
}

GListModel *
zz_sync_list_quarantine (ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT hash, sender, file, size, reason, received_at"
                                             " FROM sync_quarantine ORDER BY received_at", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (store, stmt);
}

GListModel *
zz_sync_list_refused (ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store,
                                      "SELECT origin, seq, lower(hex(hash)) AS hash, reason, at, 'refused' AS state"
                                      " FROM sync_refused"
                                      " UNION ALL SELECT origin, seq, lower(hex(hash)), reason, at, 'held' FROM sync_held"
                                      " UNION ALL SELECT origin, seq, lower(hex(hash)), CASE partial WHEN 0 THEN 'newer'"
                                      " ELSE 'newer-fields' END, at, 'held' FROM sync_newer"
                                      " WHERE hash NOT IN (SELECT hash FROM sync_refused)"
                                      " ORDER BY 6 DESC, 1, 2", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (store, stmt);
}
