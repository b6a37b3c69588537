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

#include "zz-bundle.h"
#include "zz-json.h"
#include "zz-op.h"
#include "zz-schema.h"
#include "zz-sync-private.h"

#define FORMAT_NAME "zongzhi-bundle"
#define HEAD_DOMAIN "zongzhi-head"

static const guint8 zero_hash[ZZ_HASH_BYTES];

gboolean
zz_sync_is_account_table (const char *table)
{
  return zz_store_is_account_table (table);
}

/* ---- results ---- */

void
zz_import_result_clear (ZzImportResult *res)
{
  g_free (res->reason);
  g_free (res->sender);
  g_free (res->sender_name);
  g_free (res->recipient);
  if (res->refusals)
    g_ptr_array_unref (res->refusals);
  memset (res, 0, sizeof *res);
}

static void
add_refusal (ZzImportResult *res, const char *origin, gint64 seq, const char *reason)
{
  if (!res->refusals)
    res->refusals = g_ptr_array_new_with_free_func (g_free);
  if (res->refusals->len < 1000)
    g_ptr_array_add (res->refusals, g_strdup_printf (_("change %.8s…/%lld: %s"), origin, (long long) seq, reason));
}

char *
zz_import_result_summary (const ZzImportResult *res)
{
  GString *s = g_string_new (NULL);

  if (res->refused)
    {
      g_string_append_printf (s, _("Bundle refused: %s\nNothing was changed.\n"), res->reason ? res->reason : "?");
      return g_string_free (s, FALSE);
    }
  if (res->quarantined)
    g_string_append_printf (s, _("Bundle kept in quarantine: %s\n"), res->reason ? res->reason : "?");
  if (res->sender_name)
    g_string_append_printf (s, _("From: %s\n"), res->sender_name);
  g_string_append_printf (s, _("Applied: %u\n"), res->applied);
  g_string_append_printf (s, _("Already held: %u\n"), res->already);
  g_string_append_printf (s, _("Held back: %u\n"), res->held);
  g_string_append_printf (s, _("Refused: %u\n"), res->refused_ops);
  g_string_append_printf (s, _("Conflicts raised: %u\n"), res->conflicts);
  if (res->certificates)
    g_string_append_printf (s, _("Certificates and revocations accepted: %u\n"), res->certificates);
  if (res->released)
    g_string_append_printf (s, _("Quarantined bundles now applied: %u\n"), res->released);
  if (res->fork)
    g_string_append (s, _("ALARM: a node signed two different histories; it is frozen until reviewed.\n"));
  for (guint i = 0; res->refusals && i < res->refusals->len; i++)
    g_string_append_printf (s, "  %s\n", (const char *) res->refusals->pdata[i]);
  return g_string_free (s, FALSE);
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
static GHashTable *
store_vv (ZzStore *store)
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

static gint64
vv_get (GHashTable *vv, const char *origin)
{
  gint64 *v = g_hash_table_lookup (vv, origin);
  return v ? *v : 0;
}

static void
vv_set (GHashTable *vv, const char *origin, gint64 seq)
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
          vv_set (vv, k, json_node_get_int (v));
    }
  return vv;
}

static void
vv_append_json (GString *out, GHashTable *vv)
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
      g_string_append_printf (out, ":%lld", (long long) vv_get (vv, l->data));
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
static GHashTable *
holes_from_node (JsonNode *node)
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
    holes = holes_from_node (json_parser_get_root (parser));
  return holes ? holes : holes_from_node (NULL);
}

static void
holes_to_json (GString *out, GHashTable *holes)
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
  g_autoptr(GHashTable) mine = store_vv (store);
  g_autoptr(GHashTable) theirs = peer_vv (store, peer);
  GHashTableIter it;
  gpointer k, v;
  gint64 n = 0;

  g_hash_table_iter_init (&it, mine);
  while (g_hash_table_iter_next (&it, &k, &v))
    n += MAX (0, *(gint64 *) v - vv_get (theirs, k));
  return n;
}

/* @is_stub (optional) gets 0 for an op held in full, else its ZzPlaceholder kind. */
static gboolean
op_at (ZzStore *store, const char *origin, gint64 seq, guint8 *hash, int *is_stub)
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

static char *
head_message (const char *origin, gint64 seq, const guint8 *hash)
{
  g_autofree char *hex = zz_hex_encode (hash, ZZ_HASH_BYTES);
  return g_strdup_printf ("%s\n%s\n%lld\n%s", HEAD_DOMAIN, origin, (long long) seq, hex);
}

static char *
b64_encode (const guint8 *bin, gsize len)
{
  gsize n = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (n);

  sodium_bin2base64 (out, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

static gboolean
b64_decode (const char *text, guint8 *out, gsize expect)
{
  gsize got = 0;

  return text && sodium_base642bin (out, expect, text, strlen (text), NULL, &got, NULL,
                                    sodium_base64_VARIANT_ORIGINAL) == 0 && got == expect;
}

static gboolean
hex_decode (const char *text, guint8 *out)
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

static gint64
count_rows (ZzStore *store, const char *sql)
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

static char *
trusted_comment (const char *sender, const char *unit, const char *recipient, gint64 created,
                 const char *payload_hex)
{
  return g_strdup_printf ("zongzhi bundle sender=%s unit=%s recipient=%s created=%lld payload=%s",
                          sender, unit, recipient ? recipient : "all", (long long) created, payload_hex);
}

GBytes *
zz_sync_export_bytes (ZzStore *store, const char *peer, guint *out_ops, GError **error)
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

  /* One read transaction: a consistent snapshot even while the app keeps writing. */
  if (!zz_store_exec (store, "SAVEPOINT zz_export", error))
    return NULL;
  mine = store_vv (store);
  origins = g_list_sort (g_hash_table_get_keys (mine), (GCompareFunc) strcmp);
  for (GList *l = origins; l; l = l->next)
    {
      const char *origin = l->data;
      gint64 acked = vv_get (theirs, origin);
      gint64 from = acked + 1;
      gint64 to = vv_get (mine, origin);
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
        memcpy (prev, zero_hash, sizeof prev);
      else if (!op_at (store, origin, from - 1, prev, NULL))
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
          g_autofree char *msg = head_message (origin, to, head);
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
  {
    gsize len;
    const void *data = g_bytes_get_data (ops, &len);
    crypto_generichash (payload_hash, sizeof payload_hash, data, len, NULL, 0);
  }
  payload_hex = zz_hex_encode (payload_hash, sizeof payload_hash);

  g_string_append (manifest, "{\"format\":\"" FORMAT_NAME "\",\"version\":1,\"sender\":");
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
  vv_append_json (manifest, mine);
  /* what this node holds only as placeholders it may be owed: part of its acknowledgement */
  g_string_append (manifest, ",\"holes\":");
  holes_append_json (manifest, store);
  g_string_append_printf (manifest, ",\"payload\":{\"file\":\"" ZZ_BUNDLE_OPS "\",\"size\":%" G_GSIZE_FORMAT
                          ",\"raw_size\":%" G_GSIZE_FORMAT ",\"lines\":%u,\"blake2b\":\"%s\"}",
                          g_bytes_get_size (ops), lines->len, n_lines, payload_hex);
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
    if (!first && count_rows (store, "SELECT count(*) FROM sync_anchor") > 0)
      g_string_append_c (manifest, ',');
    append_statements (store, manifest, "SELECT text FROM sync_anchor ORDER BY node_id");
  }
  g_string_append (manifest, "]}\n");
  zz_store_exec (store, "RELEASE zz_export", NULL);

  comment = trusted_comment (store->node_id, store->node_org_unit, peer, created, payload_hex);
  sig = zz_minisign_sign (store->secret_key, store->public_key, manifest->str, manifest->len, comment);
  manifest_bytes = g_bytes_new (manifest->str, manifest->len);
  sig_bytes = g_bytes_new (sig, strlen (sig));
  if (out_ops)
    *out_ops = n_lines;
  return zz_bundle_pack (manifest_bytes, sig_bytes, ops, created / 1000);
}

/* Written beside the target and renamed, then read back and verified. */
gboolean
zz_sync_export_file (ZzStore *store, const char *peer, const char *path, guint *out_ops, GError **error)
{
  g_autoptr(GBytes) bundle = zz_sync_export_bytes (store, peer, out_ops, error);
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

/* ---- reading a bundle ---- */

typedef struct {
  char *origin;
  gint64 from, to;
  guint8 prev[ZZ_HASH_BYTES];
  guint8 head[ZZ_HASH_BYTES];
  guint8 head_sig[crypto_sign_BYTES];
} Segment;

typedef struct {
  ZzBundleFiles files;
  JsonParser *parser;
  JsonObject *m;
  const char *sender;
  const char *sender_unit;
  const char *sender_name;
  guint8 sender_key[crypto_sign_PUBLICKEYBYTES];
  GHashTable *vv;
  GArray *segments;       /* Segment */
  GBytes *raw;            /* decompressed ops */
  GPtrArray *line_ptrs;   /* const char * into raw */
  GArray *line_lens;      /* gsize */
  JsonArray *certs;
  JsonArray *revocations;
  JsonArray *anchors;     /* NULL in bundles of earlier versions */
  const char *recipient;  /* NULL: --all */
  GHashTable *holes;      /* the sender's placeholders it is owed in full */
  char hash_hex[ZZ_HASH_BYTES * 2 + 1];   /* of the whole bundle file */
  gpointer lines;         /* Line[], parsed by check_segment */
  guint n_lines;
} Bundle;

static void lines_free (gpointer lines, guint n);

static void
bundle_clear (Bundle *b)
{
  zz_bundle_files_clear (&b->files);
  g_clear_object (&b->parser);
  g_clear_pointer (&b->vv, g_hash_table_unref);
  g_clear_pointer (&b->holes, g_hash_table_unref);
  if (b->segments)
    {
      for (guint i = 0; i < b->segments->len; i++)
        g_free (g_array_index (b->segments, Segment, i).origin);
      g_array_unref (b->segments);
    }
  g_clear_pointer (&b->raw, g_bytes_unref);
  g_clear_pointer (&b->line_ptrs, g_ptr_array_unref);
  g_clear_pointer (&b->line_lens, g_array_unref);
  lines_free (b->lines, b->n_lines);
  memset (b, 0, sizeof *b);
}

static const char *
obj_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
obj_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static gboolean
bad (GError **error, const char *msg)
{
  g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_FORMAT, msg);
  return FALSE;
}

/* Everything that can be checked without the database: bounds, canonical archive, manifest,
 * the manifest's signature by the key it names, payload hash and size, the op lines. */
static gboolean
bundle_read (Bundle *b, GBytes *bytes, GError **error)
{
  gsize len, mlen, slen, olen;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const char *mdata, *sdata;
  const guint8 *odata;
  gint64 mtime = 0, version = 0, created = 0, size = 0, raw_size = 0, n_lines = 0;
  JsonNode *root;
  JsonObject *payload, *vvo;
  JsonArray *segs;
  g_autofree char *comment = NULL;
  g_autofree char *expect_comment = NULL;
  const char *payload_hex, *recipient, *key_b64;
  guint8 payload_hash[ZZ_HASH_BYTES], actual[ZZ_HASH_BYTES], file_hash[ZZ_HASH_BYTES];
  const char *p, *end;

  if (len > ZZ_BUNDLE_MAX_SIZE)
    return bad (error, _("The bundle is larger than any bundle this program accepts."));
  crypto_generichash (file_hash, sizeof file_hash, data, len, NULL, 0);
  sodium_bin2hex (b->hash_hex, sizeof b->hash_hex, file_hash, sizeof file_hash);
  if (!zz_bundle_unpack (data, len, &b->files, &mtime, error))
    return FALSE;
  mdata = g_bytes_get_data (b->files.manifest, &mlen);
  sdata = g_bytes_get_data (b->files.signature, &slen);
  odata = g_bytes_get_data (b->files.ops, &olen);

  if (memchr (mdata, 0, mlen) || !g_utf8_validate_len (mdata, mlen, NULL))
    return bad (error, _("The bundle manifest is not text."));
  b->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (b->parser, mdata, mlen, NULL)
      || !(root = json_parser_get_root (b->parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (error, _("The bundle manifest is not valid JSON."));
  b->m = json_node_get_object (root);
  if (g_strcmp0 (obj_string (b->m, "format"), FORMAT_NAME) != 0 || !obj_int (b->m, "version", &version))
    return bad (error, _("The file is not a sync bundle of this program."));
  if (version != 1)
    return bad (error, _("The bundle was written by a newer version of the program; update this installation first."));
  b->sender = obj_string (b->m, "sender");
  b->sender_unit = obj_string (b->m, "sender_unit");
  b->sender_name = obj_string (b->m, "sender_name");
  key_b64 = obj_string (b->m, "sender_key");
  recipient = obj_string (b->m, "recipient");
  b->recipient = recipient;
  payload = json_object_get_member (b->m, "payload") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (b->m, "payload"))
            ? json_object_get_object_member (b->m, "payload") : NULL;
  if (!b->sender || strlen (b->sender) != 32 || zz_org_level (b->sender_unit) == 0 || !b->sender_name
      || !b64_decode (key_b64, b->sender_key, sizeof b->sender_key) || !obj_int (b->m, "created", &created)
      || !payload)
    return bad (error, _("The bundle manifest lacks its sender or payload."));

  /* the signature, by the key the manifest names (whether that key is trusted comes later) */
  if (!zz_minisign_verify (b->sender_key, mdata, mlen, sdata, slen, &comment, error))
    return FALSE;
  payload_hex = obj_string (payload, "blake2b");
  expect_comment = trusted_comment (b->sender, b->sender_unit, recipient, created, payload_hex ? payload_hex : "");
  if (strcmp (comment, expect_comment) != 0 || mtime != created / 1000)
    return bad (error, _("The signed comment of the bundle does not match its manifest."));

  /* payload */
  if (!obj_int (payload, "size", &size) || !obj_int (payload, "raw_size", &raw_size)
      || !obj_int (payload, "lines", &n_lines) || !hex_decode (payload_hex, payload_hash)
      || g_strcmp0 (obj_string (payload, "file"), ZZ_BUNDLE_OPS) != 0)
    return bad (error, _("The bundle manifest does not describe its ops."));
  crypto_generichash (actual, sizeof actual, odata, olen, NULL, 0);
  if ((gsize) size != olen || sodium_memcmp (actual, payload_hash, sizeof actual) != 0)
    return bad (error, _("The ops do not match the signed manifest: the bundle has been altered."));
  if (raw_size < 0 || (guint64) raw_size > ZZ_BUNDLE_MAX_OPS_RAW || n_lines < 0 || n_lines > ZZ_BUNDLE_MAX_OPS
      || (guint64) raw_size > (guint64) MAX (olen, 4096) * ZZ_BUNDLE_MAX_RATIO)
    return bad (error, _("The bundle declares more ops than this program accepts."));
  b->raw = zz_zstd_decompress (odata, olen, raw_size, error);
  if (!b->raw)
    return FALSE;
  if (g_bytes_get_size (b->raw) != (gsize) raw_size)
    return bad (error, _("The ops do not have the size the manifest declares."));

  /* lines */
  b->line_ptrs = g_ptr_array_sized_new (n_lines);
  b->line_lens = g_array_sized_new (FALSE, FALSE, sizeof (gsize), n_lines);
  p = g_bytes_get_data (b->raw, NULL);
  end = p + raw_size;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize l;

      if (!nl)
        return bad (error, _("The ops end in the middle of a line."));
      l = nl - p;
      if (l == 0 || l > ZZ_BUNDLE_MAX_LINE)
        return bad (error, _("An op line is empty or longer than allowed."));
      if ((gint64) b->line_ptrs->len >= n_lines)
        return bad (error, _("The bundle holds more ops than its manifest declares."));
      g_ptr_array_add (b->line_ptrs, (gpointer) p);
      g_array_append_val (b->line_lens, l);
      p = nl + 1;
    }
  if ((gint64) b->line_ptrs->len != n_lines)
    return bad (error, _("The bundle holds fewer ops than its manifest declares."));

  /* version vector */
  b->vv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  vvo = json_object_get_member (b->m, "vv") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (b->m, "vv"))
        ? json_object_get_object_member (b->m, "vv") : NULL;
  if (!vvo || json_object_get_size (vvo) > ZZ_BUNDLE_MAX_SEGMENTS)
    return bad (error, _("The bundle manifest lacks its version vector."));
  {
    JsonObjectIter it;
    const char *k;
    JsonNode *v;

    json_object_iter_init (&it, vvo);
    while (json_object_iter_next (&it, &k, &v))
      {
        if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64 || json_node_get_int (v) < 0)
          return bad (error, _("The bundle’s version vector is malformed."));
        vv_set (b->vv, k, json_node_get_int (v));
      }
  }

  /* segments */
  segs = json_object_get_member (b->m, "segments") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (b->m, "segments"))
         ? json_object_get_array_member (b->m, "segments") : NULL;
  if (!segs || json_array_get_length (segs) > ZZ_BUNDLE_MAX_SEGMENTS)
    return bad (error, _("The bundle manifest lacks its segments."));
  b->segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  {
    gint64 total = 0;
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < json_array_get_length (segs); i++)
      {
        JsonNode *n = json_array_get_element (segs, i);
        JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
        Segment s = { 0 };
        const char *origin = obj_string (o, "origin");

        if (!origin || strlen (origin) != 32 || !obj_int (o, "from", &s.from) || !obj_int (o, "to", &s.to)
            || s.from < 1 || s.to < s.from || s.to - s.from >= ZZ_BUNDLE_MAX_OPS
            || !hex_decode (obj_string (o, "prev"), s.prev) || !hex_decode (obj_string (o, "head"), s.head)
            || !b64_decode (obj_string (o, "head_sig"), s.head_sig, sizeof s.head_sig)
            || g_hash_table_contains (seen, origin))
          return bad (error, _("A segment of the bundle manifest is malformed."));
        g_hash_table_add (seen, (gpointer) origin);
        s.origin = g_strdup (origin);
        g_array_append_val (b->segments, s);
        total += s.to - s.from + 1;
      }
    if (total != n_lines)
      return bad (error, _("The segments do not account for every op of the bundle."));
  }
  b->certs = json_object_get_member (b->m, "certs") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (b->m, "certs"))
             ? json_object_get_array_member (b->m, "certs") : NULL;
  b->revocations = json_object_get_member (b->m, "revocations") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (b->m, "revocations"))
                   ? json_object_get_array_member (b->m, "revocations") : NULL;
  if (!b->certs || !b->revocations || json_array_get_length (b->certs) > 100000
      || json_array_get_length (b->revocations) > 100000)
    return bad (error, _("The bundle manifest lacks its certificates."));
  if (json_object_get_member (b->m, "anchors"))
    {
      b->anchors = JSON_NODE_HOLDS_ARRAY (json_object_get_member (b->m, "anchors"))
                   ? json_object_get_array_member (b->m, "anchors") : NULL;
      if (!b->anchors || json_array_get_length (b->anchors) > 1000)
        return bad (error, _("The bundle manifest lacks its certificates."));
    }
  b->holes = holes_from_node (json_object_get_member (b->m, "holes"));
  if (!b->holes)
    return bad (error, _("The bundle’s version vector is malformed."));
  return TRUE;
}

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
  char *owned;     /* the body with its prev written back in */
} Line;

static void
lines_free (gpointer p, guint n)
{
  Line *lines = p;

  for (guint i = 0; lines && i < n; i++)
    g_free (lines[i].owned);
  g_free (lines);
}

/* In a bundle, an op's "p" (the hash of the op before it) is left empty: the reader knows it
 * from the line before, or from the segment's prev. Written back, the line is again exactly
 * the bytes the origin hashed. Only this one spelling is accepted. */
#define ELIDED_PREV ",\"p\":\"\""

static gboolean
restore_prev (Line *l, const guint8 *prev)
{
  const char *at = g_strstr_len (l->body, MIN (l->len, 256), ",\"p\":\"");
  char hex[ZZ_HASH_BYTES * 2 + 1];
  gsize head;

  if (!at || at + strlen (ELIDED_PREV) > l->body + l->len
      || memcmp (at, ELIDED_PREV, strlen (ELIDED_PREV)) != 0)
    return FALSE;
  sodium_bin2hex (hex, sizeof hex, prev, ZZ_HASH_BYTES);
  head = at - l->body + strlen (",\"p\":\"");
  l->owned = g_malloc (l->len + ZZ_HASH_BYTES * 2 + 1);
  memcpy (l->owned, l->body, head);
  memcpy (l->owned + head, hex, ZZ_HASH_BYTES * 2);
  memcpy (l->owned + head + ZZ_HASH_BYTES * 2, l->body + head, l->len - head);
  l->len += ZZ_HASH_BYTES * 2;
  l->owned[l->len] = '\0';
  l->body = l->owned;
  return TRUE;
}

static gboolean
parse_stub (const char *body, gsize len, const char *origin, const guint8 *prev, Line *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *o;
  gint64 stub = 0;

  if (len > 512 || !json_parser_load_from_data (parser, body, len, NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  return json_object_get_size (o) == 5 && obj_int (o, "stub", &stub) && stub >= 1 && stub <= 3
         && (line->stub_kind = (ZzPlaceholder) stub, TRUE)
         && g_strcmp0 (obj_string (o, "o"), origin) == 0 && obj_int (o, "s", &line->seq)
         && hex_decode (obj_string (o, "x"), line->hash) && g_strcmp0 (obj_string (o, "p"), "") == 0
         && memcpy (line->prev, prev, ZZ_HASH_BYTES);
}

/* A parent that is an earlier line of the same bundle travels as "#<line>": written back as
 * that line's hash. */
/* The parents key, the last member of an op: found from the end, comma by comma (a value's
 * quotes are escaped, so the key cannot occur inside one). */
static const char *
find_parents_key (const char *body, gsize len)
{
  static const char key[] = ",\"P\":[";
  const gsize klen = sizeof key - 1;
  const char *p = body + len;

  while (p > body)
    {
      const char *c = p - 1;

      while (c >= body && *c != ',')
        c--;
      if (c < body)
        return NULL;
      if ((gsize) (body + len - c) >= klen && memcmp (c, key, klen) == 0)
        return c;
      p = c;
    }
  return NULL;
}

static gboolean
restore_parents (Line *l, const Line *all, guint index)
{
  const char *at = find_parents_key (l->body, l->len);
  GString *out;
  const char *p, *end;

  if (!at || !g_strstr_len (at, l->body + l->len - at, "\"#"))
    return TRUE;
  out = g_string_sized_new (l->len + 256);
  g_string_append_len (out, l->body, at - l->body + strlen (",\"P\":["));
  p = at + strlen (",\"P\":[");
  end = l->body + l->len;
  while (p < end && *p != ']')
    {
      if (*p == '"' && p + 1 < end && p[1] == '#')
        {
          guint64 k = 0;
          const char *q = p + 2;

          while (q < end && g_ascii_isdigit (*q) && q - p < 12)
            k = k * 10 + (guint64) (*q++ - '0');
          if (q == p + 2 || q >= end || *q != '"' || k >= index)
            {
              g_string_free (out, TRUE);
              return FALSE;
            }
          g_string_append_c (out, '"');
          g_string_set_size (out, out->len + ZZ_HASH_BYTES * 2);
          sodium_bin2hex (out->str + out->len - ZZ_HASH_BYTES * 2, ZZ_HASH_BYTES * 2 + 1, all[k].hash, ZZ_HASH_BYTES);
          g_string_append_c (out, '"');
          p = q + 1;
        }
      else
        {
          /* up to the next element */
          const char *q = p + 1;
          while (q < end && *q != '"' && *q != ']')
            q++;
          g_string_append_len (out, p, q - p);
          p = q;
        }
    }
  g_string_append_len (out, p, end - p);
  g_free (l->owned);
  l->len = out->len;
  l->owned = g_string_free (out, FALSE);
  l->body = l->owned;
  return TRUE;
}

/* Checks one segment's chain and its origin's signature over the head. @all is every line of
 * the bundle, this segment's from @base on. */
static gboolean
check_segment (const Segment *s, const guint8 *origin_pk, Line *all, guint base, guint n, GError **error)
{
  const guint8 *expect_prev = s->prev;
  g_autofree char *msg = NULL;

  for (guint i = 0; i < n; i++)
    {
      Line *l = &all[base + i];

      if (l->stub)
        {
          if (!parse_stub (l->body, l->len, s->origin, expect_prev, l))
            return bad (error, _("A placeholder op of the bundle is malformed."));
        }
      else
        {
          if (!l->owned && (!restore_prev (l, expect_prev) || !restore_parents (l, all, base + i)))
            return bad (error, _("An op of the bundle is not written in the bundle’s form."));
          /* the prev just written back is the one expected; the whole op is read when applied,
           * and a malformed one refuses the bundle then */
          if (!zz_op_peek (l->body, l->len, s->origin, &l->seq, &l->hlc))
            return bad (error, _("An op of the bundle is filed under the wrong origin."));
          memcpy (l->prev, expect_prev, ZZ_HASH_BYTES);
          crypto_generichash (l->hash, ZZ_HASH_BYTES, (const guchar *) l->body, l->len, NULL, 0);
        }
      if (l->seq != s->from + i)
        return bad (error, _("The ops of a segment are not numbered one after the other."));
      if (memcmp (l->prev, expect_prev, ZZ_HASH_BYTES) != 0)
        return bad (error, _("An op does not follow the op before it: the chain is broken."));
      expect_prev = l->hash;
    }
  if (memcmp (expect_prev, s->head, ZZ_HASH_BYTES) != 0)
    return bad (error, _("A segment does not end at the head its origin signed."));
  msg = head_message (s->origin, s->to, s->head);
  if (crypto_sign_verify_detached (s->head_sig, (const guint8 *) msg, strlen (msg), origin_pk) != 0)
    return bad (error, _("The origin’s signature over its ops does not verify."));
  return TRUE;
}

/* ---- import ---- */

static int
compare_apply (gconstpointer a, gconstpointer b)
{
  const Line *x = *(const Line * const *) a, *y = *(const Line * const *) b;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  if (x->segment != y->segment)
    return x->segment < y->segment ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static gboolean
hold (ZzStore *store, const char *origin, const Line *l, const char *reason, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "INSERT OR IGNORE INTO sync_held (origin, seq, hash, prev, body, reason, at)"
                                             " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, l->seq);
  sqlite3_bind_blob (stmt, 3, l->hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, l->prev, ZZ_HASH_BYTES, SQLITE_STATIC);
  if (l->stub)
    sqlite3_bind_null (stmt, 5);
  else
    sqlite3_bind_blob (stmt, 5, l->body, l->len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, zz_store_now (store));
  return zz_store_step_done (store, stmt, error);
}

static gboolean
freeze (ZzStore *store, const char *origin, gint64 seq, const guint8 *held, const guint8 *other, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "INSERT OR IGNORE INTO sync_frozen (origin, seq, held_hash, other_hash, at)"
                                             " VALUES (?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_blob (stmt, 3, held, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, other, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, zz_store_now (store));
  return zz_store_step_done (store, stmt, error);
}

/* Authorises and applies one verified op (or stub) that extends its origin's chain. */
static gboolean
apply_line (ZzStore *store, const char *origin, const char *origin_unit, const Line *l, gboolean replace_stub,
            ZzImportResult *res, GError **error)
{
  ZzOp op;
  g_autofree char *reason = NULL;
  gboolean refused = FALSE;
  gboolean ok;

  if (l->stub)
    {
      /* a placeholder: kept for the chain, nothing to apply */
      return zz_store_insert_placeholder (store, origin, l->seq, l->hash, l->prev, l->stub_kind ? l->stub_kind : ZZ_PLACEHOLDER_OWED, error);
    }
  if (!zz_op_parse (l->body, l->len, &op, error))
    return FALSE;
  if (op.seq != l->seq || op.hlc != l->hlc || g_strcmp0 (op.origin, origin) != 0
      || memcmp (op.prev, l->prev, ZZ_HASH_BYTES) != 0)
    {
      zz_op_clear (&op);
      return bad (error, _("A change record is malformed."));
    }
  reason = zz_store_authorise_op (store, &op, origin_unit);
  ok = zz_store_apply_remote (store, &op, l->hash, l->body, l->len, reason, replace_stub, &refused, error);
  if (ok)
    {
      zz_store_receive_clock (store, op.hlc);
      if (refused)
        {
          res->refused_ops++;
          add_refusal (res, origin, l->seq, reason ? reason : _("The record lacks a required value or repeats an existing id."));
        }
      else
        res->applied++;
    }
  zz_op_clear (&op);
  return ok;
}

static gint64
count_conflicts (ZzStore *store)
{
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT count(*) FROM (SELECT 1 FROM field_head"
                                             " GROUP BY tbl, row_id, field HAVING count(*) > 1)", NULL);
  return stmt ? zz_store_query_int (store, stmt, 0) : 0;
}

/* Held ops whose gap has been filled: apply them in order. */
static gboolean
release_held (ZzStore *store, ZzImportResult *res, GError **error)
{
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT DISTINCT origin FROM sync_held WHERE reason = 'gap'", error);

  if (!stmt)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (origins, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < origins->len; i++)
    {
      const char *origin = origins->pdata[i];
      g_autofree char *unit = NULL;

      if (zz_sync_lookup_node (store, origin, NULL, &unit, NULL) == ZZ_NODE_UNKNOWN || zz_sync_is_frozen (store, origin))
        continue;
      for (;;)
        {
          guint8 last[ZZ_HASH_BYTES];
          gint64 max;
          Line l = { 0 };
          g_autofree char *body = NULL;
          gboolean found = FALSE;
          gint64 revoked = zz_sync_revoked_after (store, origin);

          stmt = zz_store_stmt (store, "SELECT coalesce(max(seq), 0) FROM op WHERE origin = ?", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          max = zz_store_query_int (store, stmt, 0);
          if (max == 0)
            memcpy (last, zero_hash, sizeof last);
          else if (!op_at (store, origin, max, last, NULL))
            break;
          if (revoked >= 0 && max + 1 > revoked)
            break;
          stmt = zz_store_stmt (store, "SELECT hash, prev, body FROM sync_held WHERE origin = ? AND seq = ? AND reason = 'gap'", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, max + 1);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              found = TRUE;
              memcpy (l.hash, sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES);
              memcpy (l.prev, sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
              l.stub = sqlite3_column_type (stmt, 2) == SQLITE_NULL;
              if (!l.stub)
                {
                  l.len = sqlite3_column_bytes (stmt, 2);
                  body = g_strndup (sqlite3_column_blob (stmt, 2), l.len);
                  l.body = body;
                }
            }
          sqlite3_reset (stmt);
          if (!found || memcmp (l.prev, last, ZZ_HASH_BYTES) != 0)
            break;
          l.seq = max + 1;
          if (!l.stub)
            {
              gint64 seq = 0;
              if (!zz_op_peek (l.body, l.len, origin, &seq, &l.hlc) || seq != l.seq)
                break;
            }
          res->held = res->held > 0 ? res->held - 1 : 0;
          if (!apply_line (store, origin, unit, &l, FALSE, res, error))
            return FALSE;
          stmt = zz_store_stmt (store, "DELETE FROM sync_held WHERE origin = ? AND seq <= ? AND reason = 'gap'", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, max + 1);
          if (!zz_store_step_done (store, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Ops held back for a gap that are now held (the gap filled by a bundle that carried them again
 * with the missing ops) are no longer waiting: they leave the list of held-back changes. */
static gboolean
forget_held_now_held (ZzStore *store, GError **error)
{
  return zz_store_exec (store, "DELETE FROM sync_held WHERE reason = 'gap' AND EXISTS (SELECT 1 FROM op"
                               " WHERE op.origin = sync_held.origin AND op.seq = sync_held.seq AND op.hash = sync_held.hash)",
                        error);
}

static guint
accept_statements (ZzStore *store, Bundle *b, GError **error, gboolean *failed)
{
  guint accepted = 0;
  gboolean progress = TRUE;

  /* anchors and certificates may vouch for each other in any order: repeat until nothing new */
  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; b->anchors && i < json_array_get_length (b->anchors); i++)
        {
          JsonNode *n = json_array_get_element (b->anchors, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
          int rc;

          if (!o)
            continue;
          rc = zz_sync_accept_anchor (store, obj_string (o, "text"), obj_string (o, "sig"), error);
          if (rc < 0)
            {
              *failed = TRUE;
              return accepted;
            }
          if (rc > 0)
            {
              accepted++;
              progress = TRUE;
            }
        }
      for (guint i = 0; i < json_array_get_length (b->certs); i++)
        {
          JsonNode *n = json_array_get_element (b->certs, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
          int rc;

          if (!o)
            continue;
          rc = zz_sync_accept_cert (store, obj_string (o, "text"), obj_string (o, "sig"), error);
          if (rc < 0)
            {
              *failed = TRUE;
              return accepted;
            }
          if (rc > 0)
            {
              accepted++;
              progress = TRUE;
            }
        }
    }
  for (guint i = 0; i < json_array_get_length (b->revocations); i++)
    {
      JsonNode *n = json_array_get_element (b->revocations, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      int rc;

      if (!o)
        continue;
      rc = zz_sync_accept_revocation (store, obj_string (o, "text"), obj_string (o, "sig"), error);
      if (rc < 0)
        {
          *failed = TRUE;
          return accepted;
        }
      accepted += rc;
    }
  return accepted;
}

static gboolean
quarantine (ZzStore *store, Bundle *b, GBytes *bytes, const char *reason, GError **error)
{
  g_autofree char *dir = g_strconcat (store->path, ".quarantine", NULL);
  g_autofree char *name = g_strconcat (b->hash_hex, ".zzb", NULL);
  g_autofree char *file = g_build_filename (dir, name, NULL);
  sqlite3_stmt *stmt;

  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *tmp = g_strconcat (file, ".part", NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0
          || !g_file_set_contents_full (tmp, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                        G_FILE_SET_CONTENTS_DURABLE, 0600, &local)
          || g_rename (tmp, file) != 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not keep the bundle in quarantine (%s)."),
                       local ? local->message : g_strerror (errno));
          return FALSE;
        }
    }
  stmt = zz_store_stmt (store, "INSERT OR IGNORE INTO sync_quarantine (hash, sender, file, size, reason, received_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, b->hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b->sender, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, file, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_bytes_get_size (bytes));
  sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, zz_store_now (store));
  return zz_store_step_done (store, stmt, error);
}

static gboolean
record_peer (ZzStore *store, Bundle *b, GError **error)
{
  g_autoptr(GString) vv = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_autoptr(GString) holes = g_string_new (NULL);

  vv_append_json (vv, b->vv);
  holes_to_json (holes, b->holes);
  stmt = zz_store_stmt (store, "INSERT INTO sync_peer (node_id, org_unit, name, vv, last_bundle, last_import_at, holes)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (node_id) DO UPDATE SET"
                               " org_unit = ?2, name = ?3, vv = ?4, last_bundle = ?5, last_import_at = ?6, holes = ?7", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, b->sender, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b->sender_unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, b->sender_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, vv->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, b->hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, zz_store_now (store));
  sqlite3_bind_text (stmt, 7, holes->str, -1, SQLITE_STATIC);
  return zz_store_step_done (store, stmt, error);
}

typedef struct {
  ZzProgressFunc func;
  gpointer data;
} Progress;

static void
report (const Progress *p, double fraction)
{
  if (p && p->func)
    p->func (fraction, p->data);
}

static gboolean
import_locked (ZzStore *store, Bundle *b, GBytes *bytes, ZzImportResult *res, const Progress *progress,
               GError **error)
{
  guint8 sender_pk[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *sender_unit = NULL;
  Line *lines = NULL;
  g_autoptr(GPtrArray) to_apply = g_ptr_array_new ();
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) replace = g_array_new (FALSE, TRUE, sizeof (gboolean));
  guint n_lines = b->line_ptrs->len;
  gboolean failed = FALSE;
  ZzNodeStatus st;
  gint64 conflicts_before;
  guint offset = 0;
  g_autoptr(GError) local = NULL;

  res->certificates = accept_statements (store, b, error, &failed);
  if (failed)
    return FALSE;

  /* keys */
  st = zz_sync_lookup_node (store, b->sender, sender_pk, &sender_unit, NULL);
  if (st != ZZ_NODE_UNKNOWN && sodium_memcmp (sender_pk, b->sender_key, sizeof sender_pk) != 0)
    {
      res->refused = TRUE;
      res->reason = g_strdup (_("The bundle names a known node but was signed with another key: it is forged or the node was re-installed without enrolment."));
      return TRUE;
    }
  if (st == ZZ_NODE_UNKNOWN)
    {
      res->quarantined = TRUE;
      res->reason = g_strdup_printf (_("the sender %s (%s) has no certificate here yet; the bundle is applied when one arrives."),
                                     b->sender_name, b->sender_unit);
      return quarantine (store, b, bytes, res->reason, error);
    }
  for (guint i = 0; i < b->segments->len; i++)
    {
      Segment *s = &g_array_index (b->segments, Segment, i);
      g_autofree char *name = NULL;

      if (zz_sync_lookup_node (store, s->origin, NULL, NULL, &name) == ZZ_NODE_UNKNOWN)
        {
          res->quarantined = TRUE;
          res->reason = g_strdup_printf (_("the bundle carries changes of node %s, which has no certificate here yet."), s->origin);
          return quarantine (store, b, bytes, res->reason, error);
        }
    }

  /* chains and origin signatures */
  lines = g_new0 (Line, MAX (n_lines, 1));
  b->lines = lines;
  b->n_lines = n_lines;
  for (guint i = 0; i < n_lines; i++)
    {
      lines[i].body = b->line_ptrs->pdata[i];
      lines[i].len = g_array_index (b->line_lens, gsize, i);
      lines[i].stub = lines[i].len > 9 && memcmp (lines[i].body, "{\"stub\":", 8) == 0
                       && lines[i].body[8] >= '1' && lines[i].body[8] <= '3';
    }
  for (guint i = 0; i < b->segments->len; i++)
    {
      Segment *s = &g_array_index (b->segments, Segment, i);
      guint n = s->to - s->from + 1;
      guint8 pk[crypto_sign_PUBLICKEYBYTES];
      g_autofree char *unit = NULL;

      zz_sync_lookup_node (store, s->origin, pk, &unit, NULL);
      for (guint j = 0; j < n; j++)
        lines[offset + j].segment = i;
      if (!check_segment (s, pk, lines, offset, n, &local))
        {
          res->refused = TRUE;
          res->reason = g_strdup (local->message);
          return TRUE;
        }
      /* "not for you" is believed from a county or prefecture node, or from the op's own
       * origin; from anyone else a placeholder stays owed, and is asked for again */
      if (zz_org_level (sender_unit) > 3 && strcmp (s->origin, b->sender) != 0 && strcmp (s->origin, store->node_id) != 0)
        for (guint j = 0; j < n; j++)
          if (lines[offset + j].stub)
            lines[offset + j].stub_kind = ZZ_PLACEHOLDER_OWED;
      g_ptr_array_add (units, g_steal_pointer (&unit));
      offset += n;
    }

  conflicts_before = count_conflicts (store);
  report (progress, 0.2);

  /* classify: already held, fork, held back, or to apply */
  offset = 0;
  for (guint i = 0; i < b->segments->len; i++)
    {
      Segment *s = &g_array_index (b->segments, Segment, i);
      guint n = s->to - s->from + 1;
      gint64 revoked = zz_sync_revoked_after (store, s->origin);
      gboolean frozen = zz_sync_is_frozen (store, s->origin);
      sqlite3_stmt *stmt;
      gint64 max;
      guint8 last[ZZ_HASH_BYTES];
      ZzHlc last_hlc = 0;

      stmt = zz_store_stmt (store, "SELECT coalesce(max(seq), 0) FROM op WHERE origin = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, s->origin, -1, SQLITE_STATIC);
      max = zz_store_query_int (store, stmt, 0);
      if (max == 0)
        memcpy (last, zero_hash, sizeof last);
      else
        op_at (store, s->origin, max, last, NULL);

      for (guint j = 0; j < n; j++)
        {
          Line *l = &lines[offset + j];
          guint8 held[ZZ_HASH_BYTES];
          int is_stub = 0;

          /* applied in clock order, but never before an earlier op of the same origin: a
           * clock that goes back in a chain cannot make two receivers apply one origin's ops
           * in different orders */
          if (!l->stub)
            last_hlc = MAX (last_hlc, l->hlc);
          l->order = last_hlc;
          if (l->seq <= max && op_at (store, s->origin, l->seq, held, &is_stub))
            {
              if (memcmp (held, l->hash, ZZ_HASH_BYTES) != 0)
                {
                  /* the same origin and seq with another hash: the origin signed two histories */
                  if (!freeze (store, s->origin, l->seq, held, l->hash, error))
                    return FALSE;
                  res->fork = TRUE;
                  res->held += n - j;
                  frozen = TRUE;
                  break;
                }
              if (is_stub && !l->stub)
                {
                  /* the full op of a placeholder held here */
                  gboolean yes = TRUE;
                  g_ptr_array_add (to_apply, l);
                  g_array_append_val (replace, yes);
                  continue;
                }
              if (is_stub == ZZ_PLACEHOLDER_OWED && l->stub && l->stub_kind != ZZ_PLACEHOLDER_OWED
                  && !zz_store_settle_placeholder (store, s->origin, l->seq, l->stub_kind, error))
                return FALSE;
              res->already++;
              continue;
            }
          if (frozen)
            {
              if (!hold (store, s->origin, l, "frozen", error))
                return FALSE;
              res->held++;
              continue;
            }
          if (revoked >= 0 && l->seq > revoked)
            {
              if (!hold (store, s->origin, l, "revoked", error))
                return FALSE;
              res->held++;
              continue;
            }
          if (l->seq == max + 1 && memcmp (l->prev, last, ZZ_HASH_BYTES) == 0)
            {
              gboolean no = FALSE;
              g_ptr_array_add (to_apply, l);
              g_array_append_val (replace, no);
              max = l->seq;
              memcpy (last, l->hash, ZZ_HASH_BYTES);
              continue;
            }
          if (l->seq == max + 1)
            {
              /* follows a different op than the one held: a fork one step back */
              if (!freeze (store, s->origin, max, last, l->prev, error))
                return FALSE;
              res->fork = TRUE;
              res->held += n - j;
              break;
            }
          /* a gap: wait for the missing ops */
          if (!hold (store, s->origin, l, "gap", error))
            return FALSE;
          res->held++;
        }
      offset += n;

      /* keep the origin's signature to forward with these ops */
      stmt = zz_store_stmt (store, "INSERT OR IGNORE INTO sync_head (origin, seq, hash, sig) VALUES (?, ?, ?, ?)", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, s->origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, s->to);
      sqlite3_bind_blob (stmt, 3, s->head, ZZ_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, s->head_sig, crypto_sign_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (store, stmt, error))
        return FALSE;
    }

  /* apply in clock order, so that what an author saw arrives before what they did with it */
  {
    g_autoptr(GHashTable) replace_set = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < to_apply->len; i++)
      if (g_array_index (replace, gboolean, i))
        g_hash_table_add (replace_set, to_apply->pdata[i]);
    g_ptr_array_sort (to_apply, compare_apply);
    for (guint i = 0; i < to_apply->len; i++)
      {
        Line *l = to_apply->pdata[i];
        Segment *s = &g_array_index (b->segments, Segment, l->segment);

        if (!apply_line (store, s->origin, units->pdata[l->segment], l,
                         g_hash_table_contains (replace_set, l), res, error))
          return FALSE;
        if ((i & 255) == 0)
          report (progress, 0.2 + 0.75 * i / to_apply->len);
      }
  }
  if (!release_held (store, res, error) || !forget_held_now_held (store, error) || !record_peer (store, b, error))
    return FALSE;
  /* when each origin's changes last arrived, relayed ones too, and when the sender was last
   * heard from: the statistics' "data as of" */
  {
    g_autofree ZzHlc *newest = g_new0 (ZzHlc, b->segments->len);
    g_autofree gboolean *carried = g_new0 (gboolean, b->segments->len);

    for (guint i = 0; i < n_lines; i++)
      if (!lines[i].stub && lines[i].segment < b->segments->len)
        {
          carried[lines[i].segment] = TRUE;
          newest[lines[i].segment] = MAX (newest[lines[i].segment], lines[i].hlc);
        }
    for (guint i = 0; i < b->segments->len; i++)
      if (carried[i] && g_strcmp0 (g_array_index (b->segments, Segment, i).origin, store->node_id) != 0
          && !zz_store_note_origin_seen (store, g_array_index (b->segments, Segment, i).origin,
                                         units->pdata[i], newest[i], error))
        return FALSE;
    /* the sender's data is complete here as of this bundle, even when it had nothing new */
    if (!zz_store_note_origin_seen (store, b->sender, b->sender_unit, 0, error))
      return FALSE;
  }
  /* this node's own ops coming back (a database restored from an older backup): go on from the
   * newest one, never reusing a seq */
  {
    sqlite3_stmt *stmt = zz_store_stmt (store, "SELECT seq, hash FROM op WHERE origin = ? ORDER BY seq DESC LIMIT 1", error);

    if (!stmt)
      return FALSE;
    sqlite3_bind_text (stmt, 1, store->node_id, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > store->seq)
      {
        store->seq = sqlite3_column_int64 (stmt, 0);
        memcpy (store->last_hash, sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
      }
    sqlite3_reset (stmt);
  }
  res->conflicts = MAX (0, count_conflicts (store) - conflicts_before);
  return TRUE;
}

/* A bundle is for its signed recipient: any other node refuses it, naming the recipient, so a
 * bundle handed to the wrong centre shows nothing of what it carries. A bundle for every node
 * (--all) carries what the sender's own org unit may see, so only nodes serving that unit or a
 * unit above it take it. FALSE when refused (@res says why). */
static gboolean
check_recipient (ZzStore *store, Bundle *b, ZzImportResult *res)
{
  if (b->recipient && strcmp (b->recipient, store->node_id) != 0)
    {
      g_autofree char *name = NULL, *unit = NULL;

      zz_sync_lookup_node (store, b->recipient, NULL, &unit, &name);
      res->refused = TRUE;
      res->misdirected = TRUE;
      res->recipient = g_strdup (b->recipient);
      if (name)
        res->reason = g_strdup_printf (_("This bundle is for %s (%s, node %s), not for this centre. Nothing was imported; ask the sender for a bundle addressed to this centre."),
                                       name, unit, b->recipient);
      else
        res->reason = g_strdup_printf (_("This bundle is for node %s, not for this centre. Nothing was imported; ask the sender for a bundle addressed to this centre."),
                                       b->recipient);
      return FALSE;
    }
  if (!b->recipient && !zz_org_within (b->sender_unit, store->node_org_unit))
    {
      res->refused = TRUE;
      res->misdirected = TRUE;
      res->reason = g_strdup_printf (_("This bundle was written for every centre of %s and the centres above it; this centre serves %s. Nothing was imported; ask the sender for a bundle addressed to this centre."),
                                     b->sender_unit, store->node_org_unit);
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_bundle (ZzStore *store, GBytes *bytes, ZzImportResult *res, gboolean reprocess,
               const Progress *progress, GError **error)
{
  Bundle b = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean ok;

  memset (res, 0, sizeof *res);
  if (!zz_store_require (store, ZZ_PERM_SYNC, error))
    return FALSE;
  if (!store->node_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation has not been set up yet."));
      return FALSE;
    }
  if (!bundle_read (&b, bytes, &local))
    {
      res->refused = TRUE;
      res->reason = g_strdup (local->message);
      bundle_clear (&b);
      return TRUE;
    }
  res->sender = g_strdup (b.sender);
  res->sender_name = g_strdup_printf ("%s (%s)", b.sender_name, b.sender_unit);
  if (!check_recipient (store, &b, res))
    {
      bundle_clear (&b);
      return TRUE;
    }
  report (progress, 0.1);

  /* Rows may refer to rows another origin has not sent yet: references are checked by the
   * verbs that write them, not when applying what other nodes wrote. */
  zz_store_exec (store, "PRAGMA foreign_keys = OFF", NULL);
  /* A large bundle is one transaction: pages that spill from a small cache into the write-ahead
   * log are slow to find again, so the cache grows for the import (only as pages are used). */
  if (g_bytes_get_size (b.raw) > 4 * 1024 * 1024)
    zz_store_exec (store, "PRAGMA cache_size = -262144", NULL);
  if (!zz_store_begin (store, error))
    {
      zz_store_exec (store, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768", NULL);
      bundle_clear (&b);
      return FALSE;
    }
  zz_store_apply_batch_begin (store);
  ok = import_locked (store, &b, bytes, res, progress, &local);
  zz_store_apply_batch_end (store);
  if (ok && !res->refused)
    ok = zz_store_commit (store, &local);
  else if (store->depth)
    zz_store_rollback (store);
  if (!ok && g_error_matches (local, ZZ_ERROR, ZZ_ERROR_FORMAT))
    {
      /* an op that is not well formed refuses the whole bundle; nothing was kept */
      res->refused = TRUE;
      g_free (res->reason);
      res->reason = g_strdup (local->message);
      ok = TRUE;
    }
  else if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  zz_store_exec (store, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768", NULL);
  if (ok && res->refused)
    {
      res->applied = res->already = res->held = res->refused_ops = res->conflicts = res->certificates = 0;
      g_clear_pointer (&res->refusals, g_ptr_array_unref);
      res->fork = FALSE;
    }
  bundle_clear (&b);
  if (ok && !res->refused && !res->quarantined && reprocess && res->certificates > 0)
    res->released = zz_sync_reprocess_quarantine (store, NULL);
  report (progress, 1.0);
  return ok;
}

gboolean
zz_sync_import_bytes (ZzStore *store, GBytes *bundle, ZzImportResult *res, GError **error)
{
  return import_bundle (store, bundle, res, TRUE, NULL, error);
}

static gboolean
import_file (ZzStore *store, const char *path, ZzImportResult *res, const Progress *progress, GError **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GStatBuf st;

  memset (res, 0, sizeof *res);
  if (g_stat (path, &st) == 0 && st.st_size > ZZ_BUNDLE_MAX_SIZE)
    {
      res->refused = TRUE;
      res->reason = g_strdup (_("The bundle is larger than any bundle this program accepts."));
      return TRUE;
    }
  map = g_mapped_file_new (path, FALSE, NULL);
  if (!map)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not read %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  bytes = g_mapped_file_get_bytes (map);
  return import_bundle (store, bytes, res, TRUE, progress, error);
}

gboolean
zz_sync_import_file (ZzStore *store, const char *path, ZzImportResult *res, GError **error)
{
  return import_file (store, path, res, NULL, error);
}

guint
zz_sync_reprocess_quarantine (ZzStore *store, GError **error)
{
  guint released = 0;
  gboolean progress = TRUE;

  while (progress)
    {
      g_autoptr(GListModel) rows = zz_sync_list_quarantine (store);

      progress = FALSE;
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          g_autofree char *data = NULL;
          gsize len = 0;
          g_autoptr(GBytes) bytes = NULL;
          ZzImportResult res = { 0 };
          sqlite3_stmt *stmt;

          if (!g_file_get_contents (zz_row_get (r, "file"), &data, &len, NULL))
            continue;
          bytes = g_bytes_new_take (g_steal_pointer (&data), len);
          if (!import_bundle (store, bytes, &res, FALSE, NULL, error))
            {
              zz_import_result_clear (&res);
              return released;
            }
          if (!res.quarantined)
            {
              /* applied (or refused for good, which the result of this import says) */
              stmt = zz_store_stmt (store, "DELETE FROM sync_quarantine WHERE hash = ?", NULL);
              if (stmt)
                {
                  sqlite3_bind_text (stmt, 1, zz_row_get (r, "hash"), -1, SQLITE_TRANSIENT);
                  zz_store_step_done (store, stmt, NULL);
                }
              if (!res.refused)
                {
                  g_unlink (zz_row_get (r, "file"));
                  released++;
                  progress = TRUE;
                }
            }
          zz_import_result_clear (&res);
        }
    }
  return released;
}

gboolean
zz_sync_verify_bytes (ZzStore *store, GBytes *bytes, char **out_info, GError **error)
{
  Bundle b = { 0 };
  GString *info = g_string_new (NULL);
  gboolean ok = bundle_read (&b, bytes, error);

  if (ok)
    {
      guint offset = 0;
      Line *lines = g_new0 (Line, MAX (b.line_ptrs->len, 1));
      ZzNodeStatus st = store ? zz_sync_lookup_node (store, b.sender, NULL, NULL, NULL) : ZZ_NODE_UNKNOWN;

      g_string_append_printf (info, _("Sender: %s (%s), node %s, key %s\n"), b.sender_name, b.sender_unit,
                              b.sender, st == ZZ_NODE_UNKNOWN ? _("not known here") : _("known here"));
      g_string_append_printf (info, _("Ops: %u in %u segments\n"), b.line_ptrs->len, b.segments->len);
      b.lines = lines;
      b.n_lines = b.line_ptrs->len;
      for (guint i = 0; i < b.line_ptrs->len; i++)
        {
          lines[i].body = b.line_ptrs->pdata[i];
          lines[i].len = g_array_index (b.line_lens, gsize, i);
          lines[i].stub = lines[i].len > 9 && memcmp (lines[i].body, "{\"stub\":", 8) == 0
                       && lines[i].body[8] >= '1' && lines[i].body[8] <= '3';
        }
      for (guint i = 0; ok && i < b.segments->len; i++)
        {
          Segment *s = &g_array_index (b.segments, Segment, i);
          guint n = s->to - s->from + 1;
          guint8 pk[crypto_sign_PUBLICKEYBYTES];

          if (store && zz_sync_lookup_node (store, s->origin, pk, NULL, NULL) != ZZ_NODE_UNKNOWN)
            ok = check_segment (s, pk, lines, offset, n, error);
          else if (g_strcmp0 (s->origin, b.sender) == 0)
            ok = check_segment (s, b.sender_key, lines, offset, n, error);
          else
            g_string_append_printf (info, _("Segment of node %s: its key is not known here, its signature is not checked\n"), s->origin);
          for (guint j = 0; ok && j < n; j++)
            if (!lines[offset + j].stub && lines[offset + j].owned)
              {
                ZzOp op;
                ok = zz_op_parse (lines[offset + j].body, lines[offset + j].len, &op, error);
                if (ok)
                  zz_op_clear (&op);
              }
          offset += n;
        }
    }
  bundle_clear (&b);
  if (ok && out_info)
    *out_info = g_string_free (info, FALSE);
  else
    g_string_free (info, TRUE);
  return ok;
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
  if (!t || t->immutable || !zz_schema_has_field (t, field) || !hex_decode (op_hex, hash))
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
  Progress progress = { zz_thread_progress_report, &d->progress };

  if (!store || !zz_store_act_as (store, d->login, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (d->export ? !zz_sync_export_file (store, d->peer, d->path, &d->n_ops, &error)
                : !import_file (store, d->path, &d->res, &progress, &error))
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
