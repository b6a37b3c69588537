/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "zz-age.h"
#include "zz-bundle.h"
#include "zz-import-private.h"
#include "zz-json.h"
#include "zz-op.h"
#include "zz-schema.h"

/* Importing a bundle: the security boundary. Each step is one function (declared in
 * zz-import-private.h, tested on hand-made input in tests/sync/test-import-steps.c):
 *   bounds -> manifest and signature -> recipient -> trust or quarantine -> segments and chains
 *   -> hold / fork / revoked -> authorise -> apply -> release held -> record peer
 * docs/SYNC.md states the invariants they keep. */

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
  if (res->newer)
    g_string_append_printf (s, _("Needs a newer version: %u (kept and passed on; applied once this installation is updated)\n"),
                            res->newer);
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

/* ---- reading a bundle ---- */


static void lines_free (ZzImportLine *lines, guint n);

void
zz_import_bundle_clear (ZzImportBundle *b)
{
  zz_bundle_files_clear (&b->files);
  g_clear_object (&b->parser);
  g_clear_pointer (&b->vv, g_hash_table_unref);
  g_clear_pointer (&b->holes, g_hash_table_unref);
  if (b->segments)
    {
      for (guint i = 0; i < b->segments->len; i++)
        g_free (g_array_index (b->segments, ZzImportSegment, i).origin);
      g_array_unref (b->segments);
    }
  g_clear_pointer (&b->raw, g_bytes_unref);
  g_clear_pointer (&b->line_ptrs, g_ptr_array_unref);
  g_clear_pointer (&b->line_lens, g_array_unref);
  lines_free (b->lines, b->n_lines);
  g_clear_pointer (&b->units, g_ptr_array_unref);
  g_free (b->sender_known_unit);
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

/* A bundle whose framing is newer than this version: refused, naming the format it needs and,
 * when the manifest says, the version that wrote it. @b->format keeps the format needed. */
static gboolean
refuse_newer (ZzImportBundle *b, int needs, const char *writer, GError **error)
{
  b->format = needs;
  if (writer)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                 _("This bundle is in format %d, written by Zongzhi %s; this installation (Zongzhi %s) reads bundle formats up to %d. Update this installation to Zongzhi %s or later, then import the bundle again."),
                 needs, writer, PACKAGE_VERSION, ZZ_BUNDLE_FORMAT_READS, writer);
  else
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                 _("This bundle is in format %d, written by a newer version of the program; this installation (Zongzhi %s) reads bundle formats up to %d. Update this installation, then import the bundle again."),
                 needs, PACKAGE_VERSION, ZZ_BUNDLE_FORMAT_READS);
  return FALSE;
}

/* Step 1, bounds: the file's size, the canonical archive with exactly its three members and
 * their sizes (zz_bundle_unpack), a manifest that is text. Nothing else is read before. */
gboolean
zz_import_bounds (ZzImportBundle *b, GBytes *bytes, GError **error)
{
  gsize len, mlen;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const char *mdata;
  guint8 file_hash[ZZ_HASH_BYTES];
  g_autoptr(GError) local = NULL;

  if (len > ZZ_BUNDLE_MAX_SIZE)
    return bad (error, _("The bundle is larger than any bundle this program accepts."));
  crypto_generichash (file_hash, sizeof file_hash, data, len, NULL, 0);
  sodium_bin2hex (b->hash_hex, sizeof b->hash_hex, file_hash, sizeof file_hash);
  if (!zz_bundle_unpack (data, len, &b->files, &b->mtime, &local))
    {
      /* a later format may hold other members: its manifest says which format it needs */
      g_autofree char *writer = NULL;
      int needs = zz_bundle_peek_needs (data, len, &writer);

      if (needs > ZZ_BUNDLE_FORMAT_READS)
        return refuse_newer (b, needs, writer, error);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  mdata = g_bytes_get_data (b->files.manifest, &mlen);
  if (memchr (mdata, 0, mlen) || !g_utf8_validate_len (mdata, mlen, NULL))
    return bad (error, _("The bundle manifest is not text."));
  return TRUE;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* The manifest's form and its signature by the key it names; @payload_hex and @created for the
 * payload check. */
static gboolean
manifest_signed (ZzImportBundle *b, JsonObject **payload, gint64 *created, GError **error)
{
  gsize mlen, slen;
  const char *mdata = g_bytes_get_data (b->files.manifest, &mlen);
  const char *sdata = g_bytes_get_data (b->files.signature, &slen);
  gint64 version = 0, needs = ZZ_BUNDLE_FORMAT_PLAIN, reads = 0;
  JsonNode *root;
  g_autofree char *comment = NULL;
  g_autofree char *expect_comment = NULL;
  const char *payload_hex, *key_b64;

  b->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (b->parser, mdata, mlen, NULL)
      || !(root = json_parser_get_root (b->parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (error, _("The bundle manifest is not valid JSON."));
  b->m = json_node_get_object (root);
  if (g_strcmp0 (obj_string (b->m, "format"), ZZ_SYNC_FORMAT_NAME) != 0 || !obj_int (b->m, "version", &version))
    return bad (error, _("The file is not a sync bundle of this program."));
  /* 2: stubs say whether the op is owed (stub 2, 3), the manifest lists holes and anchors; a
   * version 1 bundle (stubs 1 only) reads the same. 3: the same with the ops encrypted (bundle
   * format 2), "needs" 2. */
  if (json_object_has_member (b->m, "needs") && (!obj_int (b->m, "needs", &needs) || needs < 1))
    return bad (error, _("The bundle manifest does not say which format it needs."));
  if (needs > ZZ_BUNDLE_FORMAT_READS || version > 3)
    return refuse_newer (b, MAX (needs, ZZ_BUNDLE_FORMAT_READS + 1), obj_string (b->m, "writer"), error);
  if (version < 1)
    return bad (error, _("The file is not a sync bundle of this program."));
  b->format = version == 3 ? ZZ_BUNDLE_FORMAT_AGE : ZZ_BUNDLE_FORMAT_PLAIN;
  if ((b->format == ZZ_BUNDLE_FORMAT_AGE) != (needs == ZZ_BUNDLE_FORMAT_AGE)
      || (b->format == ZZ_BUNDLE_FORMAT_AGE) != b->files.encrypted)
    return bad (error, _("The bundle’s ops are not in the form its manifest states."));
  /* the newest format the sender reads: it gets that format back */
  if (!json_object_has_member (b->m, "reads"))
    b->reads = ZZ_BUNDLE_FORMAT_PLAIN;
  else if (!obj_int (b->m, "reads", &reads) || reads < 1 || reads > G_MAXINT)
    return bad (error, _("The bundle manifest does not say which format its sender reads."));
  else
    b->reads = (int) reads;
  b->sender = obj_string (b->m, "sender");
  b->sender_unit = obj_string (b->m, "sender_unit");
  b->sender_name = obj_string (b->m, "sender_name");
  key_b64 = obj_string (b->m, "sender_key");
  b->recipient = obj_string (b->m, "recipient");
  *payload = member_object (b->m, "payload");
  if (!b->sender || strlen (b->sender) != 32 || zz_org_level (b->sender_unit) == 0 || !b->sender_name
      || !zz_sync_b64_decode (key_b64, b->sender_key, sizeof b->sender_key) || !obj_int (b->m, "created", created)
      || !*payload)
    return bad (error, _("The bundle manifest lacks its sender or payload."));

  /* the signature, by the key the manifest names (whether that key is trusted comes later) */
  if (!zz_minisign_verify (b->sender_key, mdata, mlen, sdata, slen, &comment, error))
    return FALSE;
  payload_hex = obj_string (*payload, "blake2b");
  expect_comment = zz_sync_trusted_comment (b->sender, b->sender_unit, b->recipient, *created,
                                            payload_hex ? payload_hex : "");
  if (strcmp (comment, expect_comment) != 0 || b->mtime != *created / 1000)
    return bad (error, _("The signed comment of the bundle does not match its manifest."));
  return TRUE;
}

/* The ops member against the payload the manifest signs, decompressed within the bounds. */
static gboolean
manifest_payload (ZzImportBundle *b, JsonObject *payload, gint64 *n_lines, GError **error)
{
  gsize olen;
  const guint8 *odata = g_bytes_get_data (b->files.ops, &olen);
  gint64 size = 0, raw_size = 0;
  guint8 payload_hash[ZZ_HASH_BYTES], actual[ZZ_HASH_BYTES];

  if (!obj_int (payload, "size", &size) || !obj_int (payload, "raw_size", &raw_size)
      || !obj_int (payload, "lines", n_lines) || !zz_sync_hex_decode (obj_string (payload, "blake2b"), payload_hash)
      || g_strcmp0 (obj_string (payload, "file"), b->files.encrypted ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS) != 0)
    return bad (error, _("The bundle manifest does not describe its ops."));
  /* over the member as it travels (the ciphertext in format 2): checked without reading it */
  crypto_generichash (actual, sizeof actual, odata, olen, NULL, 0);
  if ((gsize) size != olen || sodium_memcmp (actual, payload_hash, sizeof actual) != 0)
    return bad (error, _("The ops do not match the signed manifest: the bundle has been altered."));
  if (raw_size < 0 || (guint64) raw_size > ZZ_BUNDLE_MAX_OPS_RAW || *n_lines < 0 || *n_lines > ZZ_BUNDLE_MAX_OPS
      || (guint64) raw_size > (guint64) MAX (olen, 4096) * ZZ_BUNDLE_MAX_RATIO)
    return bad (error, _("The bundle declares more ops than this program accepts."));
  b->raw_size = raw_size;
  b->n_declared = *n_lines;
  return TRUE;
}

/* The compressed ops (format 1, or format 2 once decrypted), decompressed within the bounds. */
static gboolean
payload_decompress (ZzImportBundle *b, const void *data, gsize len, GError **error)
{
  b->raw = zz_zstd_decompress (data, len, b->raw_size, error);
  if (!b->raw)
    return FALSE;
  if (g_bytes_get_size (b->raw) != (gsize) b->raw_size)
    return bad (error, _("The ops do not have the size the manifest declares."));
  return TRUE;
}

/* The op lines, each within its bounds, as many as declared. */
static gboolean
manifest_lines (ZzImportBundle *b, gint64 n_lines, GError **error)
{
  gsize raw_size;
  const char *p = g_bytes_get_data (b->raw, &raw_size);
  const char *end = p ? p + raw_size : NULL;

  b->line_ptrs = g_ptr_array_sized_new (n_lines);
  b->line_lens = g_array_sized_new (FALSE, FALSE, sizeof (gsize), n_lines);
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
  return TRUE;
}

/* The sender's version vector: its acknowledgement. */
static gboolean
manifest_vv (ZzImportBundle *b, GError **error)
{
  JsonObject *vvo = member_object (b->m, "vv");
  JsonObjectIter it;
  const char *k;
  JsonNode *v;

  b->vv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!vvo || json_object_get_size (vvo) > ZZ_BUNDLE_MAX_SEGMENTS)
    return bad (error, _("The bundle manifest lacks its version vector."));
  json_object_iter_init (&it, vvo);
  while (json_object_iter_next (&it, &k, &v))
    {
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64 || json_node_get_int (v) < 0)
        return bad (error, _("The bundle’s version vector is malformed."));
      zz_sync_vv_set (b->vv, k, json_node_get_int (v));
    }
  return TRUE;
}

/* One segment per origin, together accounting for every op line. */
static gboolean
manifest_segments (ZzImportBundle *b, gint64 n_lines, GError **error)
{
  JsonArray *segs = member_array (b->m, "segments");
  gint64 total = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!segs || json_array_get_length (segs) > ZZ_BUNDLE_MAX_SEGMENTS)
    return bad (error, _("The bundle manifest lacks its segments."));
  b->segments = g_array_new (FALSE, TRUE, sizeof (ZzImportSegment));
  for (guint i = 0; i < json_array_get_length (segs); i++)
    {
      JsonNode *n = json_array_get_element (segs, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      ZzImportSegment s = { 0 };
      const char *origin = obj_string (o, "origin");

      if (!origin || strlen (origin) != 32 || !obj_int (o, "from", &s.from) || !obj_int (o, "to", &s.to)
          || s.from < 1 || s.to < s.from || s.to - s.from >= ZZ_BUNDLE_MAX_OPS
          || !zz_sync_hex_decode (obj_string (o, "prev"), s.prev) || !zz_sync_hex_decode (obj_string (o, "head"), s.head)
          || !zz_sync_b64_decode (obj_string (o, "head_sig"), s.head_sig, sizeof s.head_sig)
          || g_hash_table_contains (seen, origin))
        return bad (error, _("A segment of the bundle manifest is malformed."));
      g_hash_table_add (seen, (gpointer) origin);
      s.origin = g_strdup (origin);
      g_array_append_val (b->segments, s);
      total += s.to - s.from + 1;
    }
  if (total != n_lines)
    return bad (error, _("The segments do not account for every op of the bundle."));
  return TRUE;
}

/* Certificates, revocations, anchors and the placeholders the sender is still owed. */
static gboolean
manifest_statements (ZzImportBundle *b, GError **error)
{
  b->certs = member_array (b->m, "certs");
  b->revocations = member_array (b->m, "revocations");
  if (!b->certs || !b->revocations || json_array_get_length (b->certs) > 100000
      || json_array_get_length (b->revocations) > 100000)
    return bad (error, _("The bundle manifest lacks its certificates."));
  if (json_object_get_member (b->m, "anchors"))
    {
      b->anchors = member_array (b->m, "anchors");
      if (!b->anchors || json_array_get_length (b->anchors) > 1000)
        return bad (error, _("The bundle manifest lacks its certificates."));
    }
  b->holes = zz_sync_holes_from_node (json_object_get_member (b->m, "holes"));
  if (!b->holes)
    return bad (error, _("The bundle’s version vector is malformed."));
  return TRUE;
}

/* The lines, to be parsed and hashed with their segment's chain (step 5). */
static void
index_lines (ZzImportBundle *b)
{
  guint offset = 0;

  b->n_lines = b->line_ptrs->len;
  b->lines = g_new0 (ZzImportLine, MAX (b->n_lines, 1));
  for (guint i = 0; i < b->n_lines; i++)
    {
      ZzImportLine *l = &b->lines[i];

      l->body = b->line_ptrs->pdata[i];
      l->len = g_array_index (b->line_lens, gsize, i);
      l->stub = l->len > 9 && memcmp (l->body, "{\"stub\":", 8) == 0 && l->body[8] >= '1' && l->body[8] <= '3';
    }
  for (guint i = 0; i < b->segments->len; i++)
    {
      ZzImportSegment *seg = &g_array_index (b->segments, ZzImportSegment, i);

      for (gint64 j = 0; j <= seg->to - seg->from; j++)
        b->lines[offset + j].segment = i;
      offset += seg->to - seg->from + 1;
    }
}

/* Step 2, manifest and signature: the manifest's form, its signature by the key it names
 * (whether that key is trusted is step 4), the payload's hash and declared sizes, the op lines
 * within their bounds, the version vector, placeholders owed, segments and signed statements. */
gboolean
zz_import_manifest (ZzImportBundle *b, GError **error)
{
  JsonObject *payload = NULL;
  gint64 created = 0, n_lines = 0;

  if (!manifest_signed (b, &payload, &created, error)
      || !manifest_payload (b, payload, &n_lines, error)
      || !manifest_vv (b, error)
      || !manifest_segments (b, n_lines, error)
      || !manifest_statements (b, error))
    return FALSE;
  /* format 1: the ops are read now; format 2: once decrypted (zz_import_payload), after the
   * recipient step, so that a bundle for another node is refused as such */
  if (!b->files.encrypted)
    return zz_import_payload (b, NULL, NULL, error);
  return TRUE;
}

void
zz_import_identity (ZzStore *store, guint8 *x_sk)
{
  zz_age_x25519_secret_from_ed25519 (store->secret_key, x_sk);
}

/* Step 2b, payload: a format 2 bundle's ops decrypted with @identity or @passphrase (age
 * authenticates every chunk: a wrong key, a swapped stanza, an altered or truncated ciphertext
 * are refused), then decompressed and split in lines as in format 1. */
gboolean
zz_import_payload (ZzImportBundle *b, const guint8 *identity, const char *passphrase, GError **error)
{
  gsize olen;
  const guint8 *odata = g_bytes_get_data (b->files.ops, &olen);

  if (b->lines)
    return TRUE;
  if (b->files.encrypted)
    {
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) local = NULL;

      if (!identity && !passphrase)
        return bad (error, _("The bundle’s changes are encrypted and no key was given to read them."));
      /* the compressed ops are smaller than their ciphertext */
      plain = zz_age_decrypt (odata, olen, identity, passphrase, MAX (olen, 1), &local);
      if (!plain)
        {
          if (!passphrase && g_error_matches (local, ZZ_ERROR, ZZ_ERROR_AUTH)
              && g_strstr_len ((const char *) odata, MIN (olen, 512), "\n-> scrypt "))
            g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_AUTH,
                                 _("This bundle is encrypted with a passphrase: import it with its passphrase (--passphrase-file)."));
          else if (g_error_matches (local, ZZ_ERROR, ZZ_ERROR_AUTH) && passphrase)
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("The passphrase does not open this bundle: %s"), local->message);
          else if (g_error_matches (local, ZZ_ERROR, ZZ_ERROR_AUTH))
            g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_AUTH,
                                 _("This bundle was not encrypted for this centre: its key opens none of the bundle’s recipients. Nothing was read; ask the sender for a bundle encrypted for this centre."));
          else
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                         _("The bundle’s encrypted changes cannot be read: %s"), local->message);
          return FALSE;
        }
      if (!payload_decompress (b, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), error))
        return FALSE;
    }
  else if (!payload_decompress (b, odata, olen, error))
    return FALSE;
  if (!manifest_lines (b, b->n_declared, error))
    return FALSE;
  index_lines (b);
  return TRUE;
}

/* Steps 1 and 2: everything that can be checked without the database. */
static gboolean
bundle_read (ZzImportBundle *b, GBytes *bytes, GError **error)
{
  return zz_import_bounds (b, bytes, error) && zz_import_manifest (b, error);
}


static void
lines_free (ZzImportLine *lines, guint n)
{
  for (guint i = 0; lines && i < n; i++)
    g_free (lines[i].owned);
  g_free (lines);
}

/* In a bundle, an op's "p" (the hash of the op before it) is left empty: the reader knows it
 * from the line before, or from the segment's prev. Written back, the line is again exactly
 * the bytes the origin hashed. Only this one spelling is accepted. */
#define ELIDED_PREV ",\"p\":\"\""

static gboolean
restore_prev (ZzImportLine *l, const guint8 *prev)
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
parse_stub (const char *body, gsize len, const char *origin, const guint8 *prev, ZzImportLine *line)
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
         && zz_sync_hex_decode (obj_string (o, "x"), line->hash) && g_strcmp0 (obj_string (o, "p"), "") == 0
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
restore_parents (ZzImportLine *l, const ZzImportLine *all, guint index)
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
check_segment (const ZzImportSegment *s, const guint8 *origin_pk, ZzImportLine *all, guint base, guint n, GError **error)
{
  const guint8 *expect_prev = s->prev;
  g_autofree char *msg = NULL;

  for (guint i = 0; i < n; i++)
    {
      ZzImportLine *l = &all[base + i];

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
  msg = zz_sync_head_message (s->origin, s->to, s->head);
  if (crypto_sign_verify_detached (s->head_sig, (const guint8 *) msg, strlen (msg), origin_pk) != 0)
    return bad (error, _("The origin’s signature over its ops does not verify."));
  return TRUE;
}

/* ---- import ---- */

static int
compare_apply (gconstpointer a, gconstpointer b)
{
  const ZzImportLine *x = *(const ZzImportLine * const *) a, *y = *(const ZzImportLine * const *) b;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  if (x->segment != y->segment)
    return x->segment < y->segment ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static gboolean
hold (ZzStore *store, const char *origin, const ZzImportLine *l, const char *reason, GError **error)
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

/* Step 7, authorise: the op is read in full and must be the op its line stands for (origin,
 * seq, clock, prev); then it is authorised against its origin's org unit and immutable data
 * alone (zz_store_authorise_op), so every node decides alike. An op of a table or field this
 * version does not know is authorised by its origin's scope and what else needs no declaration
 * of the table; if authorised it is kept for the version that knows it (step 8), which decides
 * the rest. @out_reason gets why it is refused, or NULL. FALSE (ZZ_ERROR_FORMAT) when it is not
 * a well-formed op, of a known table or not: that refuses the whole bundle. */
gboolean
zz_import_authorise (ZzStore *store, const char *origin, const char *origin_unit, const ZzImportLine *l, ZzOp *op,
                     char **out_reason, GError **error)
{
  *out_reason = NULL;
  if (!zz_op_parse (l->body, l->len, op, error))
    return FALSE;
  if (op->seq != l->seq || op->hlc != l->hlc || g_strcmp0 (op->origin, origin) != 0
      || memcmp (op->prev, l->prev, ZZ_HASH_BYTES) != 0)
    {
      zz_op_clear (op);
      return bad (error, _("A change record is malformed."));
    }
  *out_reason = zz_store_authorise_op (store, op, origin_unit);
  return TRUE;
}

/* Authorises and applies one verified op (or stores a placeholder) that extends its origin's
 * chain. */
static gboolean
apply_line (ZzStore *store, const char *origin, const char *origin_unit, const ZzImportLine *l, gboolean replace_stub,
            ZzImportResult *res, GError **error)
{
  ZzOp op;
  g_autofree char *reason = NULL;
  gboolean refused = FALSE, newer = FALSE;
  gboolean ok;

  if (l->stub)
    return zz_store_insert_placeholder (store, origin, l->seq, l->hash, l->prev,
                                        l->stub_kind ? l->stub_kind : ZZ_PLACEHOLDER_OWED, error);
  if (!zz_import_authorise (store, origin, origin_unit, l, &op, &reason, error))
    return FALSE;
  ok = zz_store_apply_remote (store, &op, l->hash, l->body, l->len, origin_unit, reason, replace_stub, &refused, &newer,
                              error);
  if (ok)
    {
      zz_store_receive_clock (store, op.hlc);
      if (refused)
        {
          res->refused_ops++;
          add_refusal (res, origin, l->seq, reason ? reason : _("The record lacks a required value or repeats an existing id."));
        }
      else if (newer)
        res->newer++;
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
          ZzImportLine l = { 0 };
          g_autofree char *body = NULL;
          gboolean found = FALSE;
          gint64 revoked = zz_sync_revoked_after (store, origin);

          stmt = zz_store_stmt (store, "SELECT coalesce(max(seq), 0) FROM op WHERE origin = ?", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
          max = zz_store_query_int (store, stmt, 0);
          if (max == 0)
            memcpy (last, zz_sync_zero_hash, sizeof last);
          else if (!zz_sync_op_at (store, origin, max, last, NULL))
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
accept_statements (ZzStore *store, ZzImportBundle *b, GError **error, gboolean *failed)
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
quarantine (ZzStore *store, ZzImportBundle *b, GBytes *bytes, const char *reason, GError **error)
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

static void
report (const ZzSyncProgress *p, double fraction)
{
  if (p && p->func)
    p->func (fraction, p->data);
}

/* Step 3, recipient: a bundle is for its signed recipient; any other node refuses it, naming
 * the recipient, so a bundle handed to the wrong centre shows nothing of what it carries. A
 * bundle for every node (--all) carries what the sender's own org unit may see, so only nodes
 * serving that unit or a unit above it take it. FALSE when refused (@res says why). */
gboolean
zz_import_recipient (ZzStore *store, const ZzImportBundle *b, ZzImportResult *res)
{
  if (b->recipient && g_strcmp0 (b->recipient, store->node_id) != 0)
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

/* Step 4, trust or quarantine: the certificates, anchors and revocations the bundle carries;
 * then the sender's key must be the one known for it, and the sender and every origin must be
 * known, else the bundle is kept in quarantine until a certificate arrives. */
ZzImportTrust
zz_import_trust (ZzStore *store, ZzImportBundle *b, GBytes *bytes, ZzImportResult *res, GError **error)
{
  guint8 sender_pk[crypto_sign_PUBLICKEYBYTES];
  gboolean failed = FALSE;
  ZzNodeStatus st;

  res->certificates = accept_statements (store, b, error, &failed);
  if (failed)
    return ZZ_IMPORT_ERROR;
  g_clear_pointer (&b->sender_known_unit, g_free);
  st = zz_sync_lookup_node (store, b->sender, sender_pk, &b->sender_known_unit, NULL);
  if (st != ZZ_NODE_UNKNOWN && sodium_memcmp (sender_pk, b->sender_key, sizeof sender_pk) != 0)
    {
      res->refused = TRUE;
      res->reason = g_strdup (_("The bundle names a known node but was signed with another key: it is forged or the node was re-installed without enrolment."));
      return ZZ_IMPORT_REFUSED;
    }
  if (st == ZZ_NODE_UNKNOWN)
    {
      res->quarantined = TRUE;
      res->reason = g_strdup_printf (_("the sender %s (%s) has no certificate here yet; the bundle is applied when one arrives."),
                                     b->sender_name, b->sender_unit);
      return quarantine (store, b, bytes, res->reason, error) ? ZZ_IMPORT_QUARANTINED : ZZ_IMPORT_ERROR;
    }
  for (guint i = 0; i < b->segments->len; i++)
    {
      ZzImportSegment *s = &g_array_index (b->segments, ZzImportSegment, i);

      if (zz_sync_lookup_node (store, s->origin, NULL, NULL, NULL) == ZZ_NODE_UNKNOWN)
        {
          res->quarantined = TRUE;
          res->reason = g_strdup_printf (_("the bundle carries changes of node %s, which has no certificate here yet."), s->origin);
          return quarantine (store, b, bytes, res->reason, error) ? ZZ_IMPORT_QUARANTINED : ZZ_IMPORT_ERROR;
        }
    }
  return ZZ_IMPORT_TRUSTED;
}

/* Step 5, segments and chains: each segment's ops follow one another from its prev to the head
 * its origin signed, with the origin's key known here. FALSE when refused (@res says why). Also
 * notes each origin's org unit, and which placeholders the sender's word settles. */
gboolean
zz_import_chains (ZzStore *store, ZzImportBundle *b, ZzImportResult *res)
{
  guint offset = 0;

  g_clear_pointer (&b->units, g_ptr_array_unref);
  b->units = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < b->segments->len; i++)
    {
      ZzImportSegment *s = &g_array_index (b->segments, ZzImportSegment, i);
      guint n = s->to - s->from + 1;
      guint8 pk[crypto_sign_PUBLICKEYBYTES];
      g_autofree char *unit = NULL;
      g_autoptr(GError) local = NULL;

      if (zz_sync_lookup_node (store, s->origin, pk, &unit, NULL) == ZZ_NODE_UNKNOWN
          || !check_segment (s, pk, b->lines, offset, n, &local))
        {
          res->refused = TRUE;
          res->reason = g_strdup (local ? local->message : _("The origin’s signature over its ops does not verify."));
          return FALSE;
        }
      /* "not for you" is believed from a county or prefecture node, or from the op's own
       * origin; from anyone else a placeholder stays owed, and is asked for again */
      if (zz_org_level (b->sender_known_unit ? b->sender_known_unit : b->sender_unit) > 3
          && strcmp (s->origin, b->sender) != 0 && g_strcmp0 (s->origin, store->node_id) != 0)
        for (guint j = 0; j < n; j++)
          if (b->lines[offset + j].stub)
            b->lines[offset + j].stub_kind = ZZ_PLACEHOLDER_OWED;
      g_ptr_array_add (b->units, g_steal_pointer (&unit));
      offset += n;
    }
  return TRUE;
}

/* Step 6, hold / fork / revoked: each verified op is already held, the full op of a placeholder
 * held, the next of its origin's chain (to apply), after a gap (held until the gap fills), from
 * a revoked key past its last valid seq or a frozen origin (held for review), or a second
 * history of its origin (a fork: the origin is frozen). The ops to apply go to @to_apply. Also
 * keeps each origin's signature over its head, to forward. */
gboolean
zz_import_classify (ZzStore *store, ZzImportBundle *b, ZzImportResult *res, GPtrArray *to_apply, GError **error)
{
  guint offset = 0;

  for (guint i = 0; i < b->segments->len; i++)
    {
      ZzImportSegment *s = &g_array_index (b->segments, ZzImportSegment, i);
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
        memcpy (last, zz_sync_zero_hash, sizeof last);
      else
        zz_sync_op_at (store, s->origin, max, last, NULL);

      for (guint j = 0; j < n; j++)
        {
          ZzImportLine *l = &b->lines[offset + j];
          guint8 held[ZZ_HASH_BYTES];
          int is_stub = 0;

          /* applied in clock order, but never before an earlier op of the same origin: a
           * clock that goes back in a chain cannot make two receivers apply one origin's ops
           * in different orders */
          if (!l->stub)
            last_hlc = MAX (last_hlc, l->hlc);
          l->order = last_hlc;
          if (l->seq <= max && zz_sync_op_at (store, s->origin, l->seq, held, &is_stub))
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
                  l->replace = TRUE;
                  g_ptr_array_add (to_apply, l);
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
              g_ptr_array_add (to_apply, l);
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
  return TRUE;
}

/* Step 8, apply, in clock order, so that what an author saw arrives before what they did with
 * it (each op authorised first: step 7, zz_import_authorise). */
gboolean
zz_import_apply (ZzStore *store, ZzImportBundle *b, GPtrArray *to_apply, ZzImportResult *res,
                 const ZzSyncProgress *progress, GError **error)
{
  g_ptr_array_sort (to_apply, compare_apply);
  for (guint i = 0; i < to_apply->len; i++)
    {
      ZzImportLine *l = to_apply->pdata[i];
      ZzImportSegment *s = &g_array_index (b->segments, ZzImportSegment, l->segment);

      if (!apply_line (store, s->origin, b->units->pdata[l->segment], l, l->replace, res, error))
        return FALSE;
      if ((i & 255) == 0)
        report (progress, 0.2 + 0.75 * i / to_apply->len);
    }
  return TRUE;
}

/* Step 9, release held: ops held for a gap that is now filled are applied in order (the rest of
 * release_held), and held-back lines of ops now held are forgotten. */
gboolean
zz_import_release_held (ZzStore *store, ZzImportResult *res, GError **error)
{
  return release_held (store, res, error) && forget_held_now_held (store, error);
}

/* Step 10, record peer: the sender's acknowledgement (its version vector and the placeholders
 * it is owed), when each origin's changes last arrived (the statistics' "data as of"), and this
 * node's own ops coming back (a database restored from an older backup) go on from the newest. */
gboolean
zz_import_record_peer (ZzStore *store, ZzImportBundle *b, GError **error)
{
  g_autoptr(GString) vv = g_string_new (NULL);
  g_autoptr(GString) holes = g_string_new (NULL);
  sqlite3_stmt *stmt;

  zz_sync_vv_append_json (vv, b->vv);
  zz_sync_holes_to_json (holes, b->holes);
  /* and the newest bundle format it reads: the format it is written next */
  stmt = zz_store_stmt (store, "INSERT INTO sync_peer (node_id, org_unit, name, vv, last_bundle, last_import_at, holes, reads)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (node_id) DO UPDATE SET"
                               " org_unit = ?2, name = ?3, vv = ?4, last_bundle = ?5, last_import_at = ?6, holes = ?7,"
                               " reads = ?8", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, b->sender, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b->sender_unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, b->sender_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, vv->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, b->hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, zz_store_now (store));
  sqlite3_bind_text (stmt, 7, holes->str, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, MAX (b->reads, ZZ_BUNDLE_FORMAT_PLAIN));
  if (!zz_store_step_done (store, stmt, error))
    return FALSE;

  if (b->units)
    {
      g_autofree ZzHlc *newest = g_new0 (ZzHlc, b->segments->len);
      g_autofree gboolean *carried = g_new0 (gboolean, b->segments->len);

      for (guint i = 0; i < b->n_lines; i++)
        if (!b->lines[i].stub && b->lines[i].segment < b->segments->len)
          {
            carried[b->lines[i].segment] = TRUE;
            newest[b->lines[i].segment] = MAX (newest[b->lines[i].segment], b->lines[i].hlc);
          }
      for (guint i = 0; i < b->segments->len; i++)
        if (carried[i] && g_strcmp0 (g_array_index (b->segments, ZzImportSegment, i).origin, store->node_id) != 0
            && !zz_store_note_origin_seen (store, g_array_index (b->segments, ZzImportSegment, i).origin,
                                           b->units->pdata[i], newest[i], error))
          return FALSE;
    }
  /* the sender's data is complete here as of this bundle, even when it had nothing new */
  if (!zz_store_note_origin_seen (store, b->sender, b->sender_unit, 0, error))
    return FALSE;
  if (!zz_store_note_bundle_from (store, b->sender_unit, error))
    return FALSE;

  stmt = zz_store_stmt (store, "SELECT seq, hash FROM op WHERE origin = ? ORDER BY seq DESC LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store->node_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > store->seq)
    {
      store->seq = sqlite3_column_int64 (stmt, 0);
      memcpy (store->last_hash, sqlite3_column_blob (stmt, 1), ZZ_HASH_BYTES);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Steps 4 to 10, in the import's transaction. FALSE only for an error of this installation
 * (or an op that is not well formed: ZZ_ERROR_FORMAT, which refuses the bundle). */
static gboolean
import_steps (ZzStore *store, ZzImportBundle *b, GBytes *bytes, ZzImportResult *res, const ZzSyncProgress *progress,
              GError **error)
{
  g_autoptr(GPtrArray) to_apply = g_ptr_array_new ();
  gint64 conflicts_before;

  switch (zz_import_trust (store, b, bytes, res, error))
    {
    case ZZ_IMPORT_ERROR: return FALSE;
    case ZZ_IMPORT_REFUSED: case ZZ_IMPORT_QUARANTINED: return TRUE;
    case ZZ_IMPORT_TRUSTED: default: break;
    }
  if (!zz_import_chains (store, b, res))
    return TRUE;
  conflicts_before = count_conflicts (store);
  report (progress, 0.2);
  if (!zz_import_classify (store, b, res, to_apply, error)
      || !zz_import_apply (store, b, to_apply, res, progress, error)
      || !zz_import_release_held (store, res, error)
      || !zz_import_record_peer (store, b, error))
    return FALSE;
  res->conflicts = MAX (0, count_conflicts (store) - conflicts_before);
  return TRUE;
}

static gboolean
import_bundle (ZzStore *store, GBytes *bytes, ZzImportResult *res, gboolean reprocess,
               const ZzSyncProgress *progress, const char *passphrase, GError **error)
{
  ZzImportBundle b = { 0 };
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
      if (b.format > ZZ_BUNDLE_FORMAT_READS)
        res->needs_format = b.format;
      zz_import_bundle_clear (&b);
      return TRUE;
    }
  res->sender = g_strdup (b.sender);
  res->sender_name = g_strdup_printf ("%s (%s)", b.sender_name, b.sender_unit);
  if (!zz_import_recipient (store, &b, res))
    {
      zz_import_bundle_clear (&b);
      return TRUE;
    }
  {
    guint8 identity[ZZ_AGE_KEY_BYTES];
    gboolean opened;

    zz_import_identity (store, identity);
    opened = zz_import_payload (&b, passphrase ? NULL : identity, passphrase, &local);
    sodium_memzero (identity, sizeof identity);
    if (!opened)
      {
        /* kept in quarantine, a bundle encrypted with a passphrase waits there for it again */
        if (!reprocess && passphrase == NULL && g_error_matches (local, ZZ_ERROR, ZZ_ERROR_AUTH))
          res->quarantined = TRUE;
        else
          res->refused = TRUE;
        res->reason = g_strdup (local->message);
        zz_import_bundle_clear (&b);
        return TRUE;
      }
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
      zz_import_bundle_clear (&b);
      return FALSE;
    }
  zz_store_apply_batch_begin (store);
  ok = import_steps (store, &b, bytes, res, progress, &local);
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
      res->applied = res->already = res->held = res->refused_ops = res->conflicts = res->certificates = res->newer = 0;
      g_clear_pointer (&res->refusals, g_ptr_array_unref);
      res->fork = FALSE;
    }
  zz_import_bundle_clear (&b);
  if (ok && !res->refused && !res->quarantined && reprocess && res->certificates > 0)
    res->released = zz_sync_reprocess_quarantine (store, NULL);
  report (progress, 1.0);
  return ok;
}

gboolean
zz_sync_import_bytes (ZzStore *store, GBytes *bundle, ZzImportResult *res, GError **error)
{
  return import_bundle (store, bundle, res, TRUE, NULL, NULL, error);
}

static gboolean
import_file (ZzStore *store, const char *path, const char *passphrase, ZzImportResult *res,
             const ZzSyncProgress *progress, GError **error)
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
  return import_bundle (store, bytes, res, TRUE, progress, passphrase, error);
}

gboolean
zz_sync_import_file_with_progress (ZzStore *store, const char *path, ZzImportResult *res, const ZzSyncProgress *progress, GError **error)
{
  return import_file (store, path, NULL, res, progress, error);
}

gboolean
zz_sync_import_file (ZzStore *store, const char *path, ZzImportResult *res, GError **error)
{
  return import_file (store, path, NULL, res, NULL, error);
}

gboolean
zz_sync_import_file_with_passphrase (ZzStore *store, const char *path, const char *passphrase, ZzImportResult *res,
                                     GError **error)
{
  return import_file (store, path, passphrase, res, NULL, error);
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
          if (!import_bundle (store, bytes, &res, FALSE, NULL, NULL, error))
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

/* A segment's head signed by its origin: checked without the ops (a relay of a bundle it cannot
 * read). */
static gboolean
check_head (const ZzImportSegment *s, const guint8 *origin_pk, GError **error)
{
  g_autofree char *msg = zz_sync_head_message (s->origin, s->to, s->head);

  if (crypto_sign_verify_detached (s->head_sig, (const guint8 *) msg, strlen (msg), origin_pk) != 0)
    return bad (error, _("The origin’s signature over its ops does not verify."));
  return TRUE;
}

/* A format 2 bundle this node cannot read (encrypted for another): what can be checked without
 * the ops is, the manifest's signature and payload hash (step 2) and every head's signature. */
static gboolean
verify_sealed (ZzStore *store, ZzImportBundle *b, GString *info, GError **error)
{
  g_string_append_printf (info, _("Sender: %s (%s), node %s, key %s\n"), b->sender_name, b->sender_unit, b->sender,
                          store && zz_sync_lookup_node (store, b->sender, NULL, NULL, NULL) != ZZ_NODE_UNKNOWN
                          ? _("known here") : _("not known here"));
  g_string_append_printf (info, _("Ops: %lld in %u segments, encrypted for its recipient (not read here; their chains are checked by the recipient)\n"),
                          (long long) b->n_declared, b->segments->len);
  for (guint i = 0; i < b->segments->len; i++)
    {
      ZzImportSegment *s = &g_array_index (b->segments, ZzImportSegment, i);
      guint8 pk[crypto_sign_PUBLICKEYBYTES];

      if (store && zz_sync_lookup_node (store, s->origin, pk, NULL, NULL) != ZZ_NODE_UNKNOWN)
        {
          if (!check_head (s, pk, error))
            return FALSE;
        }
      else if (g_strcmp0 (s->origin, b->sender) == 0)
        {
          if (!check_head (s, b->sender_key, error))
            return FALSE;
        }
      else
        g_string_append_printf (info, _("Segment of node %s: its key is not known here, its signature is not checked\n"), s->origin);
    }
  return TRUE;
}

gboolean
zz_sync_verify_bytes (ZzStore *store, GBytes *bytes, char **out_info, GError **error)
{
  ZzImportBundle b = { 0 };
  GString *info = g_string_new (NULL);
  gboolean ok = bundle_read (&b, bytes, error);

  if (ok && !b.lines)
    {
      /* format 2: read when this node may (the bundle is for it), else checked as a relay */
      guint8 identity[ZZ_AGE_KEY_BYTES];
      gboolean opened = FALSE;

      if (store && store->has_secret_key && (!b.recipient || g_strcmp0 (b.recipient, store->node_id) == 0))
        {
          g_autoptr(GError) local = NULL;

          zz_import_identity (store, identity);
          opened = zz_import_payload (&b, identity, NULL, &local);
          sodium_memzero (identity, sizeof identity);
          if (!opened && !g_error_matches (local, ZZ_ERROR, ZZ_ERROR_AUTH))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
        }
      if (ok && !opened)
        {
          ok = verify_sealed (store, &b, info, error);
          zz_import_bundle_clear (&b);
          if (ok && out_info)
            *out_info = g_string_free (info, FALSE);
          else
            g_string_free (info, TRUE);
          return ok;
        }
    }
  if (ok)
    {
      guint offset = 0;
      ZzImportLine *lines = b.lines;
      ZzNodeStatus st = store ? zz_sync_lookup_node (store, b.sender, NULL, NULL, NULL) : ZZ_NODE_UNKNOWN;

      g_string_append_printf (info, _("Sender: %s (%s), node %s, key %s\n"), b.sender_name, b.sender_unit,
                              b.sender, st == ZZ_NODE_UNKNOWN ? _("not known here") : _("known here"));
      g_string_append_printf (info, _("Ops: %u in %u segments\n"), b.line_ptrs->len, b.segments->len);
      for (guint i = 0; ok && i < b.segments->len; i++)
        {
          ZzImportSegment *s = &g_array_index (b.segments, ZzImportSegment, i);
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
  zz_import_bundle_clear (&b);
  if (ok && out_info)
    *out_info = g_string_free (info, FALSE);
  else
    g_string_free (info, TRUE);
  return ok;
}

