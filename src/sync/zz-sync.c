/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "zz-age.h"
#include "zz-bundle.h"
#include "zz-json.h"
#include "zz-op.h"
#include "zz-schema.h"
#include "zz-import-private.h"


const guint8 zz_sync_zero_hash[ZZ_HASH_BYTES];

gboolean
zz_sync_is_account_table (const char *table)
{
  return zz_store_is_account_table (table);
}

/* ---- SQL helpers ---- */

static void
fingerprint_fn (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  if (sqlite3_value_bytes (argv[0]) != crypto_sign_PUBLICKEYBYTES)
    {
      sqlite3_result_null (ctx);
      return;
    }
  sqlite3_result_text (ctx, zz_key_fingerprint (sqlite3_value_blob (argv[0])), -1, g_free);
}

static void
pending_fn (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  ZzStore *store = sqlite3_user_data (ctx);

  sqlite3_result_int64 (ctx, zz_sync_pending_for (store, (const char *) sqlite3_value_text (argv[0])));
}

void
zz_sync_register_functions (ZzStore *store)
{
  if (g_object_get_data (G_OBJECT (store), "zz-sync-functions"))
    return;
  sqlite3_create_function (store->db, "zz_fingerprint", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           fingerprint_fn, NULL, NULL);
  sqlite3_create_function (store->db, "zz_pending", 1, SQLITE_UTF8, store, pending_fn, NULL, NULL);
  g_object_set_data (G_OBJECT (store), "zz-sync-functions", GINT_TO_POINTER (1));
}

/* Per origin, the highest contiguous seq held (ops are only ever stored contiguously). */
GHashTable *
zz_sync_store_vv (ZzStore *store)
{
  GHashTable *vv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT origin, max(seq) FROM op GROUP BY origin ORDER BY origin", NULL);

  if (!stmt)
    return vv;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (vv, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 1) }, sizeof (gint64)));
  sqlite3_reset (stmt);
  return vv;
}

gint64
zz_sync_vv_get (GHashTable *vv, const char *origin)
{
  gint64 *v = g_hash_table_lookup (vv, origin);
  return v ? *v : 0;
}

void
zz_sync_vv_set (GHashTable *vv, const char *origin, gint64 seq)
{
  g_hash_table_insert (vv, g_strdup (origin), g_memdup2 (&seq, sizeof seq));
}

static GHashTable *
vv_from_json (const char *text)
{
  GHashTable *vv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!text || !json_parser_load_from_data (parser, text, -1, NULL))
    return vv;
  root = json_parser_get_root (parser);
  if (root && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter it;
      const char *k;
      JsonNode *v;

      json_object_iter_init (&it, json_node_get_object (root));
      while (json_object_iter_next (&it, &k, &v))
        if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_INT64)
          zz_sync_vv_set (vv, k, json_node_get_int (v));
    }
  return vv;
}

void
zz_sync_vv_append_json (GString *out, GHashTable *vv)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (vv), (GCompareFunc) strcmp);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = keys; l; l = l->next)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      zz_json_append_string (out, l->data);
      g_string_append_printf (out, ":%lld", (long long) zz_sync_vv_get (vv, l->data));
    }
  g_string_append_c (out, '}');
}

static GHashTable *
peer_vv (ZzStore *store, const char *peer)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT vv FROM sync_peer WHERE node_id = ?", NULL);
  g_autofree char *text = NULL;

  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return vv_from_json (text);
}

/* ---- placeholders still owed in full ("holes") ----
 * Per origin, the seq ranges a node holds only as placeholders that it may be owed in full:
 * {"origin":[[from,to],...],...}. A bundle's manifest carries the sender's, so that whoever
 * holds those ops in full (and may send them to it) sends them again. */

#define MAX_HOLE_RANGES 200000

static void
holes_append_json (GString *out, ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT origin, seq FROM op WHERE kind = 'hole' ORDER BY origin, seq", NULL);
  g_autofree char *origin = NULL;
  gint64 from = 0, to = -1;
  guint n = 0;

  g_string_append_c (out, '{');
  if (!stmt)
    {
      g_string_append_c (out, '}');
      return;
    }
  while (n < MAX_HOLE_RANGES && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *o = (const char *) sqlite3_column_text (stmt, 0);
      gint64 seq = sqlite3_column_int64 (stmt, 1);

      if (origin && strcmp (o, origin) == 0 && seq == to + 1)
        {
          to = seq;
          continue;
        }
      if (origin)
        g_string_append_printf (out, "[%lld,%lld]", (long long) from, (long long) to);
      if (!origin || strcmp (o, origin) != 0)
        {
          if (origin)
            g_string_append (out, "],");
          g_free (origin);
          origin = g_strdup (o);
          zz_json_append_string (out, origin);
          g_string_append (out, ":[");
        }
      else
        g_string_append_c (out, ',');
      from = to = seq;
      n++;
    }
  sqlite3_reset (stmt);
  if (origin)
    g_string_append_printf (out, "[%lld,%lld]]", (long long) from, (long long) to);
  g_string_append_c (out, '}');
}

/* origin -> GArray of gint64 pairs; NULL when @node is not a valid holes object. */
GHashTable *
zz_sync_holes_from_node (JsonNode *node)
{
  GHashTable *holes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  JsonObjectIter it;
  const char *k;
  JsonNode *v;
  guint total = 0;

  if (!node)
    return holes;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  json_object_iter_init (&it, json_node_get_object (node));
  while (json_object_iter_next (&it, &k, &v))
    {
      JsonArray *ranges;
      GArray *pairs;
      gint64 last = 0;

      if (strlen (k) != 32 || !JSON_NODE_HOLDS_ARRAY (v))
        goto bad;
      ranges = json_node_get_array (v);
      pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (holes, g_strdup (k), pairs);
      for (guint i = 0; i < json_array_get_length (ranges); i++)
        {
          JsonNode *r = json_array_get_element (ranges, i);
          JsonArray *a = JSON_NODE_HOLDS_ARRAY (r) ? json_node_get_array (r) : NULL;
          gint64 x, y;

          if (!a || json_array_get_length (a) != 2 || ++total > MAX_HOLE_RANGES
              || json_node_get_value_type (json_array_get_element (a, 0)) != G_TYPE_INT64
              || json_node_get_value_type (json_array_get_element (a, 1)) != G_TYPE_INT64)
            goto bad;
          x = json_array_get_int_element (a, 0);
          y = json_array_get_int_element (a, 1);
          if (x <= last || y < x)
            goto bad;
          g_array_append_val (pairs, x);
          g_array_append_val (pairs, y);
          last = y;
        }
    }
  return holes;

bad:
  g_hash_table_unref (holes);
  return NULL;
}

static GHashTable *
holes_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GHashTable *holes = NULL;

  if (text && json_parser_load_from_data (parser, text, -1, NULL))
    holes = zz_sync_holes_from_node (json_parser_get_root (parser));
  return holes ? holes : zz_sync_holes_from_node (NULL);
}

void
zz_sync_holes_to_json (GString *out, GHashTable *holes)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (holes), (GCompareFunc) strcmp);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = keys; l; l = l->next)
    {
      GArray *pairs = g_hash_table_lookup (holes, l->data);

      if (pairs->len == 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      zz_json_append_string (out, l->data);
      g_string_append (out, ":[");
      for (guint i = 0; i + 1 < pairs->len; i += 2)
        g_string_append_printf (out, "%s[%lld,%lld]", i ? "," : "", (long long) g_array_index (pairs, gint64, i),
                                (long long) g_array_index (pairs, gint64, i + 1));
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

static GHashTable *
peer_holes (ZzStore *store, const char *peer)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT holes FROM sync_peer WHERE node_id = ?", NULL);
  g_autofree char *text = NULL;

  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return holes_from_json (text);
}

static gboolean
in_holes (GArray *pairs, gint64 seq)
{
  for (guint i = 0; pairs && i + 1 < pairs->len; i += 2)
    if (seq >= g_array_index (pairs, gint64, i) && seq <= g_array_index (pairs, gint64, i + 1))
      return TRUE;
  return FALSE;
}

gint64
zz_sync_pending_for (ZzStore *store, const char *peer)
{
  g_autoptr(GHashTable) mine = zz_sync_store_vv (store);
  g_autoptr(GHashTable) theirs = peer_vv (store, peer);
  GHashTableIter it;
  gpointer k, v;
  gint64 n = 0;

  g_hash_table_iter_init (&it, mine);
  while (g_hash_table_iter_next (&it, &k, &v))
    n += MAX (0, *(gint64 *) v - zz_sync_vv_get (theirs, k));
  return n;
}

/* @is_stub (optional) gets 0 for an op held in full, else its ZzPlaceholder kind. */
gboolean
zz_sync_op_at (ZzStore *store, const char *origin, gint64 seq, guint8 *hash, int *is_stub)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT hash, CASE kind WHEN 'stub' THEN 1 WHEN 'hole' THEN 2 WHEN 'local' THEN 3 ELSE 0 END"
                                             " FROM op WHERE origin = ? AND seq = ?", NULL);
  gboolean found = FALSE;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      memcpy (hash, sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES);
      if (is_stub)
        *is_stub = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  return found;
}

char *
zz_sync_head_message (const char *origin, gint64 seq, const guint8 *hash)
{
  g_autofree char *hex = zz_hex_encode (hash, ZZ_HASH_BYTES);
  return g_strdup_printf ("%s\n%s\n%lld\n%s", ZZ_SYNC_HEAD_DOMAIN, origin, (long long) seq, hex);
}

static char *
b64_encode (const guint8 *bin, gsize len)
{
  gsize n = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (n);

  sodium_bin2base64 (out, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

gboolean
zz_sync_b64_decode (const char *text, guint8 *out, gsize expect)
{
  gsize got = 0;

  return text && sodium_base642bin (out, expect, text, strlen (text), NULL, &got, NULL,
                                    sodium_base64_VARIANT_ORIGINAL) == 0 && got == expect;
}

gboolean
zz_sync_hex_decode (const char *text, guint8 *out)
{
  return text && zz_op_hex_to_hash (text, strlen (text), out);
}

/* Appends signed statements (certificates or revocations, stored as "text\nsignature") as a
 * comma-separated list of {"text":…,"sig":…}. */
static void
append_statements (ZzStore *store, GString *manifest, const char *sql)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, sql, NULL);
  gboolean first = TRUE;

  if (!stmt)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) parts = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "\n", 2);
      if (g_strv_length (parts) != 2)
        continue;
      g_string_append (manifest, first ? "{\"text\":" : ",{\"text\":");
      zz_json_append_string (manifest, parts[0]);
      g_string_append (manifest, ",\"sig\":");
      zz_json_append_string (manifest, parts[1]);
      g_string_append_c (manifest, '}');
      first = FALSE;
    }
  sqlite3_reset (stmt);
}

gint64
zz_sync_count_rows (ZzStore *store, const char *sql)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, sql, NULL);

  return stmt ? zz_store_query_int (store, stmt, 0) : 0;
}

/* ---- export ---- */

static guint
hash_hash (gconstpointer p)
{
  guint h;

  memcpy (&h, p, sizeof h);
  return h;
}

static gboolean
hash_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, ZZ_HASH_BYTES) == 0;
}

static gboolean
visible_to (const char *kind, const char *table, const char *home, const char *peer_unit)
{
  if (g_strcmp0 (kind, "stub") == 0 || g_strcmp0 (kind, "hole") == 0 || g_strcmp0 (kind, "local") == 0)
    return FALSE;
  if (zz_sync_is_account_table (table))
    {
      if (zz_org_level (home) > 3)
        return FALSE;   /* a township's own accounts stay there */
      /* accounts and reference data flow down to the nodes below their unit, and up */
      return peer_unit == NULL || zz_org_within (home, peer_unit) || zz_org_within (peer_unit, home);
    }
  return peer_unit == NULL || zz_org_within (home, peer_unit);
}

char *
zz_sync_trusted_comment (const char *sender, const char *unit, const char *recipient, gint64 created,
                 const char *payload_hex)
{
  return g_strdup_printf ("zongzhi bundle sender=%s unit=%s recipient=%s created=%lld payload=%s",
                          sender, unit, recipient ? recipient : "all", (long long) created, payload_hex);
}

/* ---- bundle formats ---- */

/* The newest format @peer has shown it reads: its last bundle's "reads" (1 before bundles said
 * it); 0 when nothing has been heard from it. */
static int
peer_reads (ZzStore *store, const char *peer)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT reads FROM sync_peer WHERE node_id = ?", NULL);
  int reads = 0;

  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        reads = (int) CLAMP (sqlite3_column_int64 (stmt, 0), 1, G_MAXINT);
      sqlite3_reset (stmt);
    }
  return reads;
}

int
zz_sync_export_format (ZzStore *store, const char *peer, const ZzExportOptions *options, char **out_warning)
{
  int format;

  if (out_warning)
    *out_warning = NULL;
  if (options && options->format > 0)
    format = options->format;
  else if (!peer)
    format = options && ((options->recipients && options->recipients[0]) || options->passphrase)
             ? ZZ_BUNDLE_FORMAT_AGE : ZZ_BUNDLE_FORMAT_PLAIN;
  else
    format = MIN (MAX (peer_reads (store, peer), ZZ_BUNDLE_FORMAT_PLAIN), ZZ_BUNDLE_FORMAT_READS);
  if (format == ZZ_BUNDLE_FORMAT_PLAIN && out_warning)
    {
      if (options && options->format > 0)
        *out_warning = g_strdup (_("Format 1 was asked for: the changes in this bundle are not encrypted. Anyone who finds the file can read them."));
      else if (!peer)
        *out_warning = g_strdup (_("This bundle for every centre is not encrypted: anyone who finds the file can read it. Name its recipients or a passphrase to encrypt it."));
      else if (peer_reads (store, peer) == 0)
        *out_warning = g_strdup (_("No bundle has come from this centre yet, so it is not known whether its version reads encrypted bundles: this bundle is written unencrypted (format 1). Anyone who finds the file can read it; once a bundle from that centre has been imported, the next ones are encrypted."));
      else
        *out_warning = g_strdup (_("This centre still runs a version that reads only unencrypted bundles (format 1): this bundle is not encrypted and anyone who finds the file can read it. Ask that centre to update."));
    }
  return format;
}

/* The X25519 recipients of a format 2 bundle: @peer's key, or for --all the nodes named. */
static GArray *
age_recipients (ZzStore *store, const char *peer, const ZzExportOptions *options, GError **error)
{
  GArray *keys = g_array_new (FALSE, FALSE, ZZ_AGE_KEY_BYTES);
  const char *only[2] = { peer, NULL };
  const char *const *ids = peer ? only : options ? options->recipients : NULL;

  for (guint i = 0; ids && ids[i]; i++)
    {
      guint8 ed[crypto_sign_PUBLICKEYBYTES], x[ZZ_AGE_KEY_BYTES];
      g_autofree char *unit = NULL;

      if (zz_sync_lookup_node (store, ids[i], ed, &unit, NULL) == ZZ_NODE_UNKNOWN)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND,
                       _("No node %s is known here; enrol it or import a bundle from it first."), ids[i]);
          goto fail;
        }
      if (!peer && !zz_org_within (store->node_org_unit, unit))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("Node %s serves %s: it would refuse a bundle for every centre of %s. Write it a bundle of its own."),
                       ids[i], unit, store->node_org_unit);
          goto fail;
        }
      if (!zz_age_x25519_public_from_ed25519 (ed, x))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The key of node %s cannot receive encrypted bundles."), ids[i]);
          goto fail;
        }
      g_array_append_vals (keys, x, 1);
    }
  return keys;

fail:
  g_array_unref (keys);
  return NULL;
}

/* The ops member of a bundle in @format: the zstd payload, or that encrypted with age. */
static GBytes *
seal_payload (ZzStore *store, const char *peer, const ZzExportOptions *options, int format, GBytes *ops,
              GError **error)
{
  g_autoptr(GArray) keys = NULL;
  gsize len;
  const void *data = g_bytes_get_data (ops, &len);
  const char *passphrase = !peer && options ? options->passphrase : NULL;

  if (format == ZZ_BUNDLE_FORMAT_PLAIN)
    return g_bytes_ref (ops);
  if (passphrase && options->recipients && options->recipients[0])
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("A bundle is encrypted either to its recipients or with a passphrase, not both."));
      return NULL;
    }
  if (!passphrase)
    {
      keys = age_recipients (store, peer, options, error);
      if (!keys)
        return NULL;
      if (keys->len == 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("An encrypted bundle for every centre needs its recipients (the nodes that may read it) or a passphrase."));
          return NULL;
        }
    }
  return zz_age_encrypt (data, len, keys ? (const guint8 (*)[ZZ_AGE_KEY_BYTES]) keys->data : NULL,
                         keys ? keys->len : 0, passphrase, 0, error);
}

GBytes *
zz_sync_export_bytes (ZzStore *store, const char *peer, guint *out_ops, GError **error)
{
  return zz_sync_export_bytes_with (store, peer, NULL, out_ops, error);
}

GBytes *
zz_sync_export_bytes_with (ZzStore *store, const char *peer, const ZzExportOptions *options, guint *out_ops,
                           GError **error)
{
  g_autoptr(GHashTable) theirs = NULL;
  g_autoptr(GHashTable) their_holes = NULL;
  g_autoptr(GHashTable) mine = NULL;
  g_autofree char *peer_unit = NULL;
  g_autoptr(GString) lines = g_string_sized_new (1 << 20);
  g_autoptr(GString) segments = g_string_new ("[");
  g_autoptr(GString) manifest = g_string_new (NULL);
  g_autoptr(GList) origins = NULL;
  g_autoptr(GBytes) ops = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  g_autofree char *payload_hex = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *sig = NULL;
  guint8 payload_hash[ZZ_HASH_BYTES];
  guint n_lines = 0, n_segments = 0;
  g_autoptr(GHashTable) line_of = g_hash_table_new_full (hash_hash, hash_equal, g_free, NULL);
  gint64 created = zz_store_now (store);
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) member = NULL;
  int format;

  if (!zz_store_require (store, ZZ_PERM_SYNC, error))
    return NULL;
  if (!store->node_id || !store->has_secret_key)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up, or its node key is missing."));
      return NULL;
    }
  if (peer)
    {
      if (zz_sync_lookup_node (store, peer, NULL, &peer_unit, NULL) == ZZ_NODE_UNKNOWN)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND,
                       _("No node %s is known here; enrol it or import a bundle from it first."), peer);
          return NULL;
        }
      theirs = peer_vv (store, peer);
      their_holes = peer_holes (store, peer);
    }
  else
    {
      /* --all: for the nodes serving this node's own org unit or a unit above it (a second
       * laptop of the same centre, a restored backup, the county): everything this node holds
       * that its own unit may see, which each of them may see too */
      theirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      their_holes = holes_from_json (NULL);
      peer_unit = g_strdup (store->node_org_unit);
    }
  format = zz_sync_export_format (store, peer, options, NULL);
  if (format < ZZ_BUNDLE_FORMAT_PLAIN || format > ZZ_BUNDLE_FORMAT_READS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("This version writes bundle formats 1 and 2, not %d."), format);
      return NULL;
    }

  /* One read transaction: a consistent snapshot even while the app keeps writing. */
  if (!zz_store_exec (store, "SAVEPOINT zz_export", error))
    return NULL;
  mine = zz_sync_store_vv (store);
  origins = g_list_sort (g_hash_table_get_keys (mine), (GCompareFunc) strcmp);
  for (GList *l = origins; l; l = l->next)
    {
      const char *origin = l->data;
      gint64 acked = zz_sync_vv_get (theirs, origin);
      gint64 from = acked + 1;
      gint64 to = zz_sync_vv_get (mine, origin);
      gboolean self = strcmp (origin, store->node_id) == 0;
      GArray *holes = g_hash_table_lookup (their_holes, origin);
      guint8 head[ZZ_HASH_BYTES], prev[ZZ_HASH_BYTES];
      g_autofree char *head_sig = NULL;
      g_autofree char *prev_hex = NULL, *head_hex = NULL;
      guint count = 0;

      if (!self)
        {
          /* forward the origin's own signature over the highest head we can */
          stmt = zz_store_stmt (store, "SELECT seq, sig FROM sync_head WHERE origin = ? AND seq <= ? ORDER BY seq DESC LIMIT 1", NULL);
          if (!stmt)
            continue;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, to);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              to = sqlite3_column_int64 (stmt, 0);
              head_sig = b64_encode (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
            }
          else
            to = 0;
          sqlite3_reset (stmt);
        }
      /* the peer's placeholders that this node holds in full and may send it: from the first */
      for (guint h = 0; holes && h + 1 < holes->len && from > 1; h += 2)
        {
          gint64 a = g_array_index (holes, gint64, h), z = MIN (g_array_index (holes, gint64, h + 1), MIN (to, acked));
          gboolean found = FALSE;

          if (a > z)
            continue;
          stmt = zz_store_stmt (store, "SELECT seq, kind, tbl, home FROM op WHERE origin = ? AND seq BETWEEN ? AND ?"
                                       " AND kind NOT IN ('stub', 'hole', 'local') ORDER BY seq", NULL);
          if (!stmt)
            break;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, a);
          sqlite3_bind_int64 (stmt, 3, z);
          /* one it may see travels in full; one it may not see settles as a placeholder, when
           * this node's word on that counts there (its own op, or a county or prefecture node) */
          while (!found && sqlite3_step (stmt) == SQLITE_ROW)
            if (self || zz_org_level (store->node_org_unit) <= 3
                || visible_to ((const char *) sqlite3_column_text (stmt, 1), (const char *) sqlite3_column_text (stmt, 2),
                               (const char *) sqlite3_column_text (stmt, 3), peer_unit))
              {
                from = MIN (from, sqlite3_column_int64 (stmt, 0));
                found = TRUE;
              }
          sqlite3_reset (stmt);
          if (found)
            break;
        }
      if (from > to)
        continue;
      if (from == 1)
        memcpy (prev, zz_sync_zero_hash, sizeof prev);
      else if (!zz_sync_op_at (store, origin, from - 1, prev, NULL))
        continue;

      stmt = zz_store_stmt (store, "SELECT seq, hash, prev, kind, tbl, home, body FROM op"
                                   " WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq", NULL);
      if (!stmt)
        continue;
      sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, from);
      sqlite3_bind_int64 (stmt, 3, to);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *kind = (const char *) sqlite3_column_text (stmt, 3);
          const char *tbl = (const char *) sqlite3_column_text (stmt, 4);
          const char *home = (const char *) sqlite3_column_text (stmt, 5);

          gint64 seq = sqlite3_column_int64 (stmt, 0);
          gboolean placeholder = g_strcmp0 (kind, "stub") == 0 || g_strcmp0 (kind, "hole") == 0
                                 || g_strcmp0 (kind, "local") == 0;
          gboolean visible = visible_to (kind, tbl, home, peer_unit);

          memcpy (head, sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
          /* below what the peer acknowledged, only its placeholders travel in full */
          if (visible && seq <= acked && !in_holes (holes, seq))
            visible = FALSE;
          if (visible)
            {
              const char *body = sqlite3_column_blob (stmt, 6);
              gsize len = sqlite3_column_bytes (stmt, 6);
              const char *at = g_strstr_len (body, MIN (len, 256), ",\"p\":\"");
              gsize cut = at ? (gsize) (at - body) + strlen (",\"p\":\"") : 0;

              const char *rest = body + cut + ZZ_HASH_BYTES * 2;
              const char *parents;

              g_assert (at && cut + ZZ_HASH_BYTES * 2 < len);
              g_string_append_len (lines, body, cut);
              parents = g_strrstr_len (rest, body + len - rest, ",\"P\":[");
              if (!parents)
                g_string_append_len (lines, rest, body + len - rest);
              else
                {
                  const char *p = parents + strlen (",\"P\":[");

                  g_string_append_len (lines, rest, p - rest);
                  while (p < body + len && *p != ']')
                    {
                      guint8 h[ZZ_HASH_BYTES];
                      gpointer index;

                      if (*p == '"' && p + 2 + ZZ_HASH_BYTES * 2 <= body + len
                          && zz_op_hex_to_hash (p + 1, ZZ_HASH_BYTES * 2, h)
                          && g_hash_table_lookup_extended (line_of, h, NULL, &index))
                        {
                          g_string_append_printf (lines, "\"#%u\"", GPOINTER_TO_UINT (index));
                          p += 2 + ZZ_HASH_BYTES * 2;
                        }
                      else
                        g_string_append_c (lines, *p++);
                    }
                  g_string_append_len (lines, p, body + len - p);
                }
            }
          else
            {
              g_autofree char *x = zz_hex_encode (sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
              /* 1: held in full here and not for the peer; 3: for no node but its origin (a
               * township's own accounts); 2: not carried in full here (this node holds only a
               * placeholder, or the peer holds the op already) */
              int stub_kind = ZZ_PLACEHOLDER_OWED;

              if (g_strcmp0 (kind, "local") == 0 || (!placeholder && zz_sync_is_account_table (tbl) && zz_org_level (home) > 3))
                stub_kind = ZZ_PLACEHOLDER_LOCAL;
              else if (!placeholder && !visible_to (kind, tbl, home, peer_unit))
                stub_kind = ZZ_PLACEHOLDER_FINAL;
              else if (g_strcmp0 (kind, "stub") == 0 && zz_org_within (peer_unit, store->node_org_unit))
                stub_kind = ZZ_PLACEHOLDER_FINAL;   /* what this unit may not see, no unit below it may */
              g_string_append_printf (lines, "{\"stub\":%d,\"o\":", stub_kind);
              zz_json_append_string (lines, origin);
              g_string_append_printf (lines, ",\"s\":%lld,\"x\":\"%s\",\"p\":\"\"}",
                                      (long long) sqlite3_column_int64 (stmt, 0), x);
            }
          g_string_append_c (lines, '\n');
          g_hash_table_insert (line_of, g_memdup2 (sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES),
                               GUINT_TO_POINTER (n_lines + count));
          count++;
        }
      sqlite3_reset (stmt);
      if (count != (guint) (to - from + 1))
        continue;   /* cannot happen: ops are stored contiguously */
      if (self)
        {
          g_autofree char *msg = zz_sync_head_message (origin, to, head);
          guint8 s[crypto_sign_BYTES];

          crypto_sign_detached (s, NULL, (const guint8 *) msg, strlen (msg), store->secret_key);
          head_sig = b64_encode (s, sizeof s);
        }
      prev_hex = zz_hex_encode (prev, ZZ_HASH_BYTES);
      head_hex = zz_hex_encode (head, ZZ_HASH_BYTES);
      g_string_append_printf (segments, "%s{\"origin\":", n_segments ? "," : "");
      zz_json_append_string (segments, origin);
      g_string_append_printf (segments, ",\"from\":%lld,\"to\":%lld,\"prev\":\"%s\",\"head\":\"%s\",\"head_sig\":\"%s\"}",
                              (long long) from, (long long) to, prev_hex, head_hex, head_sig);
      n_segments++;
      n_lines += count;
    }
  g_string_append_c (segments, ']');

  ops = zz_zstd_compress (lines->str, lines->len, 6);
  /* format 2: the payload is encrypted to the recipient; its hash is over the ciphertext, so a
   * relay checks the signed manifest without reading the ops */
  member = seal_payload (store, peer, options, format, ops, error);
  if (!member)
    {
      zz_store_exec (store, "RELEASE zz_export", NULL);
      return NULL;
    }
  {
    gsize len;
    const void *data = g_bytes_get_data (member, &len);
    crypto_generichash (payload_hash, sizeof payload_hash, data, len, NULL, 0);
  }
  payload_hex = zz_hex_encode (payload_hash, sizeof payload_hash);

  /* "version" 3 is the manifest of format 2; "reads" the newest format this node reads, which
   * its peers remember; "needs" the format a reader must read (an older version refuses the
   * bundle naming it) */
  g_string_append_printf (manifest, "{\"format\":\"" ZZ_SYNC_FORMAT_NAME "\",\"version\":%d,\"reads\":%d,",
                          format == ZZ_BUNDLE_FORMAT_AGE ? 3 : 2, ZZ_BUNDLE_FORMAT_READS);
  if (format == ZZ_BUNDLE_FORMAT_AGE)
    g_string_append_printf (manifest, "\"needs\":%d,", format);
  g_string_append (manifest, "\"writer\":\"" PACKAGE_VERSION "\",\"sender\":");
  zz_json_append_string (manifest, store->node_id);
  {
    g_autofree char *key = b64_encode (store->public_key, crypto_sign_PUBLICKEYBYTES);
    g_string_append (manifest, ",\"sender_key\":");
    zz_json_append_string (manifest, key);
  }
  g_string_append (manifest, ",\"sender_unit\":");
  zz_json_append_string (manifest, store->node_org_unit);
  g_string_append (manifest, ",\"sender_name\":");
  zz_json_append_string (manifest, store->centre_name);
  g_string_append (manifest, ",\"recipient\":");
  if (peer)
    zz_json_append_string (manifest, peer);
  else
    g_string_append (manifest, "null");
  g_string_append_printf (manifest, ",\"created\":%lld,\"vv\":", (long long) created);
  zz_sync_vv_append_json (manifest, mine);
  /* what this node holds only as placeholders it may be owed: part of its acknowledgement */
  g_string_append (manifest, ",\"holes\":");
  holes_append_json (manifest, store);
  g_string_append_printf (manifest, ",\"payload\":{\"file\":\"%s\",\"size\":%" G_GSIZE_FORMAT
                          ",\"raw_size\":%" G_GSIZE_FORMAT ",\"lines\":%u,\"blake2b\":\"%s\"}",
                          format == ZZ_BUNDLE_FORMAT_AGE ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS,
                          g_bytes_get_size (member), lines->len, n_lines, payload_hex);
  g_string_append (manifest, ",\"segments\":");
  g_string_append_len (manifest, segments->str, segments->len);

  /* certificates and revocations travel with every bundle */
  g_string_append (manifest, ",\"certs\":[");
  append_statements (store, manifest, "SELECT text FROM sync_cert ORDER BY node_id");
  g_string_append (manifest, "],\"revocations\":[");
  append_statements (store, manifest, "SELECT text FROM sync_revocation ORDER BY node_id");
  /* this node vouching for its own roots above it, and the vouchers it received */
  g_string_append (manifest, "],\"anchors\":[");
  {
    g_autoptr(GPtrArray) own = zz_sync_own_anchors (store);
    gboolean first = TRUE;

    for (guint i = 0; i < own->len; i++)
      {
        g_auto(GStrv) parts = g_strsplit (own->pdata[i], "\n", 2);
        g_string_append (manifest, first ? "{\"text\":" : ",{\"text\":");
        zz_json_append_string (manifest, parts[0]);
        g_string_append (manifest, ",\"sig\":");
        zz_json_append_string (manifest, parts[1]);
        g_string_append_c (manifest, '}');
        first = FALSE;
      }
    if (!first && zz_sync_count_rows (store, "SELECT count(*) FROM sync_anchor") > 0)
      g_string_append_c (manifest, ',');
    append_statements (store, manifest, "SELECT text FROM sync_anchor ORDER BY node_id");
  }
  g_string_append (manifest, "]}\n");
  zz_store_exec (store, "RELEASE zz_export", NULL);

  comment = zz_sync_trusted_comment (store->node_id, store->node_org_unit, peer, created, payload_hex);
  sig = zz_minisign_sign (store->secret_key, store->public_key, manifest->str, manifest->len, comment);
  manifest_bytes = g_bytes_new (manifest->str, manifest->len);
  sig_bytes = g_bytes_new (sig, strlen (sig));
  if (out_ops)
    *out_ops = n_lines;
  return zz_bundle_pack_named (manifest_bytes, sig_bytes, member,
                               format == ZZ_BUNDLE_FORMAT_AGE ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS, created / 1000);
}

char *
zz_sync_age_identity (ZzStore *store, GError **error)
{
  guint8 x_sk[ZZ_AGE_KEY_BYTES], x_pk[ZZ_AGE_KEY_BYTES];
  g_autofree char *identity = NULL, *recipient = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  char *out;

  if (!zz_store_require (store, ZZ_PERM_MANAGE_TRUST, error))
    return NULL;
  if (!store->node_id || !store->has_secret_key)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up, or its node key is missing."));
      return NULL;
    }
  zz_age_x25519_secret_from_ed25519 (store->secret_key, x_sk);
  if (!zz_age_x25519_public_from_ed25519 (store->public_key, x_pk))
    {
      sodium_memzero (x_sk, sizeof x_sk);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This node's key cannot receive encrypted bundles."));
      return NULL;
    }
  identity = zz_age_identity_encode (x_sk);
  recipient = zz_age_recipient_encode (x_pk);
  sodium_memzero (x_sk, sizeof x_sk);
  out = g_strdup_printf ("# zongzhi node %s %s\n# created: %s\n# public key: %s\n%s\n", store->node_id,
                         store->node_org_unit, stamp, recipient, identity);
  sodium_memzero (identity, strlen (identity));
  return out;
}

/* Written beside the target and renamed, then read back and verified. */
gboolean
zz_sync_export_file (ZzStore *store, const char *peer, const char *path, guint *out_ops, GError **error)
{
  return zz_sync_export_file_with (store, peer, path, NULL, out_ops, error);
}

gboolean
zz_sync_export_file_with (ZzStore *store, const char *peer, const char *path, const ZzExportOptions *options,
                          guint *out_ops, GError **error)
{
  g_autoptr(GBytes) bundle = zz_sync_export_bytes_with (store, peer, options, out_ops, error);
  g_autofree char *tmp = NULL;
  g_autofree char *back = NULL;
  gsize back_len = 0;
  gsize len;
  const char *data;
  int fd;

  if (!bundle)
    return FALSE;
  data = g_bytes_get_data (bundle, &len);
  tmp = g_strconcat (path, ".part", NULL);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write (fd, data, len) != (ssize_t) len || fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the bundle %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the bundle %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_get_contents (path, &back, &back_len, NULL) || back_len != len || memcmp (back, data, len) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("The bundle written to %s does not read back the same; the drive may be faulty."), path);
      return FALSE;
    }
  {
    g_autoptr(GBytes) again = g_bytes_new_take (g_steal_pointer (&back), back_len);
    g_autoptr(GError) local = NULL;

    if (!zz_sync_verify_bytes (store, again, NULL, &local))
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("The bundle written to %s does not verify: %s"), path, local->message);
        return FALSE;
      }
  }
  return TRUE;
}

/* ---- digest ---- */

static void
hash_value (crypto_generichash_state *st, sqlite3_stmt *stmt, int i)
{
  char tag;

  switch (sqlite3_column_type (stmt, i))
    {
    case SQLITE_NULL:
      tag = 'n';
      crypto_generichash_update (st, (const guint8 *) &tag, 1);
      break;
    case SQLITE_INTEGER:
      {
        gint64 v = sqlite3_column_int64 (stmt, i);
        tag = 'i';
        crypto_generichash_update (st, (const guint8 *) &tag, 1);
        crypto_generichash_update (st, (const guint8 *) &v, sizeof v);
        break;
      }
    default:
      {
        guint32 n = sqlite3_column_bytes (stmt, i);
        tag = 't';
        crypto_generichash_update (st, (const guint8 *) &tag, 1);
        crypto_generichash_update (st, (const guint8 *) &n, sizeof n);
        crypto_generichash_update (st, sqlite3_column_blob (stmt, i), n);
        break;
      }
    }
}

char *
zz_sync_digest (ZzStore *store)
{
  crypto_generichash_state st;
  guint8 out[ZZ_HASH_BYTES];
  sqlite3_stmt *stmt;
  const ZzSyncedTable *t;

  crypto_generichash_init (&st, NULL, 0, sizeof out);
  zz_store_exec (store, "SAVEPOINT zz_digest", NULL);
  /* the ops held, and whether in full (a township's own accounts count as placeholders) */
  stmt = zz_store_stmt (store, "SELECT origin, seq, hash, kind IN ('stub', 'hole', 'local') OR (tbl IN ('user', 'department', 'window')"
                               " AND length(home) > 6) FROM op ORDER BY origin, seq", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 4; i++)
      hash_value (&st, stmt, i);
  if (stmt)
    sqlite3_reset (stmt);
  stmt = zz_store_stmt (store, "SELECT hash FROM sync_refused ORDER BY hash", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    hash_value (&st, stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  for (guint i = 0; (t = zz_schema_synced_table_nth (i)); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"%s ORDER BY id", t->name,
                                              zz_sync_is_account_table (t->name) ? " WHERE length(home) <= 6" : "");

      crypto_generichash_update (&st, (const guint8 *) t->name, strlen (t->name) + 1);
      stmt = zz_store_stmt (store, sql, NULL);
      while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          hash_value (&st, stmt, c);
      if (stmt)
        sqlite3_reset (stmt);
    }
  zz_store_exec (store, "RELEASE zz_digest", NULL);
  crypto_generichash_final (&st, out, sizeof out);
  return zz_hex_encode (out, sizeof out);
}

/* ---- conflicts ---- */

GListModel *
zz_sync_list_conflicts (ZzStore *store)
{
  GListStore *out = g_list_store_new (ZZ_TYPE_ROW);
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  stmt = zz_store_stmt (store, "SELECT tbl, row_id, field FROM field_head GROUP BY tbl, row_id, field"
                               " HAVING count(*) > 1 ORDER BY tbl, row_id, field LIMIT 10000", NULL);
  if (!stmt)
    return G_LIST_MODEL (out);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **k = g_new0 (char *, 4);
      for (int i = 0; i < 3; i++)
        k[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
      g_ptr_array_add (keys, k);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < keys->len; i++)
    {
      char **k = keys->pdata[i];
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) hexes = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *label = NULL;
      gboolean label_done = FALSE;

      stmt = zz_store_stmt (store, "SELECT lower(hex(o.hash)), CAST(o.body AS TEXT) FROM field_head h JOIN op o ON o.hash = h.op_hash"
                                   " WHERE h.tbl = ? AND h.row_id = ? AND h.field = ? ORDER BY o.hlc DESC, o.origin DESC", NULL);
      if (!stmt)
        break;
      sqlite3_bind_text (stmt, 1, k[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, k[1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, k[2], -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (hexes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          g_ptr_array_add (bodies, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      for (guint j = 0; j < bodies->len; j++)
        {
          ZzOp op;
          g_autofree char *value = NULL;
          ZzRow *row;

          if (!zz_op_parse (bodies->pdata[j], strlen (bodies->pdata[j]), &op, NULL))
            continue;
          if (op.n_fields == 1)
            value = op.fields[0].type == ZZ_OP_VALUE_TEXT ? g_strdup (op.fields[0].s)
                    : op.fields[0].type == ZZ_OP_VALUE_INT ? g_strdup_printf ("%lld", (long long) op.fields[0].i)
                    : NULL;
          if (!label_done)
            {
              const ZzSyncedTable *t = zz_schema_synced_table (k[0]);

              label_done = TRUE;
              if (t && zz_schema_has_field (t, "name"))
                {
                  g_autofree char *sql = g_strdup_printf ("SELECT name FROM \"%s\" WHERE id = ?", t->name);
                  sqlite3_stmt *ls = zz_store_stmt (store, sql, NULL);
                  if (ls)
                    {
                      sqlite3_bind_text (ls, 1, k[1], -1, SQLITE_STATIC);
                      if (sqlite3_step (ls) == SQLITE_ROW)
                        label = g_strdup ((const char *) sqlite3_column_text (ls, 0));
                      sqlite3_reset (ls);
                    }
                }
            }
          stmt = zz_store_stmt (store,
                                "SELECT ?1 AS tbl, ?2 AS row_id, ?3 AS field, ?4 AS op, ?5 AS value, ?6 AS author,"
                                " (SELECT name FROM user WHERE id = ?6) AS author_name, ?7 AS origin,"
                                " coalesce((SELECT name FROM node WHERE id = ?7), (SELECT name FROM sync_cert WHERE node_id = ?7),"
                                "  (SELECT name FROM sync_root WHERE node_id = ?7)) AS origin_name,"
                                " ?8 AS hlc, ?9 AS at, ?10 AS winner, ?11 AS label", NULL);
          if (stmt)
            {
              sqlite3_bind_text (stmt, 1, k[0], -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 2, k[1], -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 3, k[2], -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 4, hexes->pdata[j], -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 5, value, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 6, op.author, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 7, op.origin, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (stmt, 8, (gint64) op.hlc);
              sqlite3_bind_int64 (stmt, 9, ZZ_HLC_MS (op.hlc));
              sqlite3_bind_int (stmt, 10, j == 0);
              sqlite3_bind_text (stmt, 11, label, -1, SQLITE_STATIC);
              row = zz_store_query_row (store, stmt);
              if (row)
                {
                  g_list_store_append (out, row);
                  g_object_unref (row);
                }
            }
          zz_op_clear (&op);
        }
    }
  return G_LIST_MODEL (out);
}

gboolean
zz_sync_resolve (ZzStore *store, const char *table, const char *row_id, const char *field,
                 const char *op_hex, GError **error)
{
  const ZzSyncedTable *t = zz_schema_synced_table (table);
  guint8 hash[ZZ_HASH_BYTES];
  sqlite3_stmt *stmt;
  g_autofree char *body = NULL;
  gsize len = 0;
  gint64 heads;
  gboolean is_head = FALSE;
  ZzOp op;
  ZzField f = { 0 };
  gboolean ok;

  if (!zz_store_require (store, ZZ_PERM_RESOLVE_CONFLICTS, error))
    return FALSE;
  if (zz_org_level (store->node_org_unit) > 3)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("Conflicts are settled at the county or prefecture centre."));
      return FALSE;
    }
  if (!t || t->immutable || !zz_schema_has_field (t, field) || !zz_sync_hex_decode (op_hex, hash))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("There is no such conflicting value."));
      return FALSE;
    }
  stmt = zz_store_stmt (store, "SELECT count(*), sum(op_hash = ?4) FROM field_head WHERE tbl = ?1 AND row_id = ?2 AND field = ?3", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, hash, sizeof hash, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      heads = sqlite3_column_int64 (stmt, 0);
      is_head = sqlite3_column_int64 (stmt, 1) > 0 && heads > 1;
    }
  sqlite3_reset (stmt);
  if (!is_head)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This value is no longer in conflict; the list has been refreshed."));
      return FALSE;
    }
  stmt = zz_store_stmt (store, "SELECT body FROM op WHERE hash = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      len = sqlite3_column_bytes (stmt, 0);
      body = g_strndup (sqlite3_column_blob (stmt, 0), len);
    }
  sqlite3_reset (stmt);
  if (!body || !zz_op_parse (body, len, &op, error))
    return FALSE;
  if (op.n_fields != 1)
    {
      zz_op_clear (&op);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("There is no such conflicting value."));
      return FALSE;
    }
  f.name = field;
  f.type = op.fields[0].type == ZZ_OP_VALUE_TEXT ? ZZ_FIELD_TEXT : op.fields[0].type == ZZ_OP_VALUE_INT ? ZZ_FIELD_INT : ZZ_FIELD_NULL;
  f.s = op.fields[0].s;
  f.i = op.fields[0].i;
  ok = zz_store_begin (store, error);
  if (ok)
    {
      ok = zz_store_write_resolve (store, table, row_id, &f, error);
      if (ok)
        ok = zz_store_commit (store, error);
      else
        zz_store_rollback (store);
    }
  zz_op_clear (&op);
  return ok;
}

/* ---- in a worker thread, with its own connection ---- */

typedef struct {
  char *db_path;
  char *login;
  char *path;
  char *peer;
  gboolean export;
  ZzThreadProgress progress;   /* reported on the caller's context */
  ZzImportResult res;
  guint n_ops;
} TaskData;

static void
task_data_free (gpointer p)
{
  TaskData *d = p;

  g_free (d->db_path);
  g_free (d->login);
  g_free (d->path);
  g_free (d->peer);
  zz_thread_progress_clear (&d->progress);
  zz_import_result_clear (&d->res);
  g_free (d);
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *d = task_data;
  GError *error = NULL;
  g_autoptr(ZzStore) store = zz_store_open (d->db_path, &error);
  ZzSyncProgress progress = { zz_thread_progress_report, &d->progress };

  if (!store || !zz_store_act_as (store, d->login, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (d->export ? !zz_sync_export_file (store, d->peer, d->path, &d->n_ops, &error)
                : !zz_sync_import_file_with_progress (store, d->path, &d->res, &progress, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_async (ZzStore *store, gboolean export, const char *peer, const char *path, GCancellable *cancellable,
           ZzProgressFunc progress, gpointer progress_data, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  TaskData *d = g_new0 (TaskData, 1);

  d->db_path = g_strdup (store->path);
  d->login = g_strdup (store->user_login);
  d->path = g_strdup (path);
  d->peer = g_strdup (peer);
  d->export = export;
  zz_thread_progress_init (&d->progress, progress, progress_data);
  g_task_set_task_data (task, d, task_data_free);
  g_task_set_source_tag (task, run_async);
  g_task_run_in_thread (task, sync_thread);
}

void
zz_sync_import_async (ZzStore *store, const char *path, GCancellable *cancellable, ZzProgressFunc progress,
                      gpointer progress_data, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ZZ_IS_STORE (store));
  run_async (store, FALSE, NULL, path, cancellable, progress, progress_data, callback, user_data);
}

gboolean
zz_sync_import_finish (GAsyncResult *result, ZzImportResult *res, GError **error)
{
  TaskData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  zz_store_merge_clock_from_log (g_task_get_source_object (G_TASK (result)));
  *res = d->res;
  memset (&d->res, 0, sizeof d->res);
  return TRUE;
}

void
zz_sync_export_async (ZzStore *store, const char *peer, const char *path, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (ZZ_IS_STORE (store));
  run_async (store, TRUE, peer, path, cancellable, NULL, NULL, callback, user_data);
}

gboolean
zz_sync_export_finish (GAsyncResult *result, guint *out_ops, GError **error)
{
  TaskData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_ops)
    *out_ops = d->n_ops;
  return TRUE;
}

gboolean
zz_sync_verify_file (ZzStore *store, const char *path, GError **error)
{
  g_autoptr(GMappedFile) map = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;

  if (!map)
    return FALSE;
  bytes = g_mapped_file_get_bytes (map);
  return zz_sync_verify_bytes (store, bytes, NULL, error);
}
