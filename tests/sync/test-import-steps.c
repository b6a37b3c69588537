/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each step of the import (src/sync/zz-import.c) on hand-made input. */
#include "config.h"

#include <string.h>

#include "zz-import-private.h"
#include "zz-store-private.h"
#include "zz-test-sync.h"

#define COUNTY     "433122"
#define TOWNSHIP   "433122102"
#define VILLAGE    "433122102200"

static const char zero_hex[] = "0000000000000000000000000000000000000000000000000000000000000000";

static char *
hex (const guint8 *h)
{
  return zz_hex_encode (h, ZZ_HASH_BYTES);
}

#define MANIFEST \
  "{\"format\":\"zongzhi-bundle\",\"version\":%s,\"sender\":\"%s\",\"sender_key\":\"%s\"," \
  "\"sender_unit\":\"%s\",\"sender_name\":\"手工\",\"recipient\":%s%s%s,\"created\":%lld,\"vv\":{}," \
  "\"holes\":{},\"payload\":{\"file\":\"ops.jsonl.zst\",\"size\":%" G_GSIZE_FORMAT ",\"raw_size\":0," \
  "\"lines\":0,\"blake2b\":\"%s\"},\"segments\":[],\"certs\":[],\"revocations\":[],\"anchors\":[]}\n"

/* A bundle written by hand: @manifest signed with @sk/@pk (its trusted comment computed as the
 * writer computes it), an empty payload. */
static GBytes *
hand_bundle (const char *version, const guint8 *sk, const guint8 *pk, const char *sender, const char *unit,
             const char *recipient, gint64 created)
{
  g_autoptr(GBytes) ops = zz_zstd_compress ("", 0, 3);
  guint8 payload[ZZ_HASH_BYTES];
  g_autofree char *payload_hex = NULL, *key = NULL, *manifest = NULL, *comment = NULL, *sig = NULL;
  char b64[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
  g_autoptr(GBytes) m = NULL, s = NULL;

  crypto_generichash (payload, sizeof payload, g_bytes_get_data (ops, NULL), g_bytes_get_size (ops), NULL, 0);
  payload_hex = hex (payload);
  sodium_bin2base64 (b64, sizeof b64, pk, crypto_sign_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
  manifest = g_strdup_printf (MANIFEST, version, sender, b64, unit, recipient ? "\"" : "", recipient ? recipient : "null",
                              recipient ? "\"" : "", (long long) created, g_bytes_get_size (ops), payload_hex);
  comment = zz_sync_trusted_comment (sender, unit, recipient, created, payload_hex);
  sig = zz_minisign_sign (sk, pk, manifest, strlen (manifest), comment);
  m = g_bytes_new (manifest, strlen (manifest));
  s = g_bytes_new (sig, strlen (sig));
  return zz_bundle_pack (m, s, ops, created / 1000);
}

static const char node_x[] = "0123456789abcdef0123456789abcdef";

/* Steps 1 and 2 on a hand-made bundle: what is read, and what is refused. */
static void
test_bounds_and_manifest (void)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  g_autoptr(GBytes) good = NULL, newer = NULL, garbage = NULL;
  g_autoptr(GError) error = NULL;
  ZzImportBundle b = { 0 };
  gint64 created = 1764700000000;

  crypto_sign_keypair (pk, sk);
  good = hand_bundle ("2", sk, pk, node_x, TOWNSHIP, NULL, created);
  g_assert_true (zz_import_bounds (&b, good, &error));
  g_assert_no_error (error);
  g_assert_true (zz_import_manifest (&b, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (b.sender, ==, node_x);
  g_assert_cmpstr (b.sender_unit, ==, TOWNSHIP);
  g_assert_null (b.recipient);
  g_assert_cmpuint (b.n_lines, ==, 0);
  g_assert_nonnull (b.anchors);
  zz_import_bundle_clear (&b);

  /* bytes that are no archive: refused at the bounds, nothing else read */
  garbage = g_bytes_new_static ("not a bundle at all", 19);
  g_assert_false (zz_import_bounds (&b, garbage, &error));
  g_assert_nonnull (error);
  g_assert_null (b.parser);
  g_clear_error (&error);
  zz_import_bundle_clear (&b);

  /* a later format version is named as such (manifest version 3 is bundle format 2; 4 is later) */
  newer = hand_bundle ("4", sk, pk, node_x, TOWNSHIP, NULL, created);
  g_assert_true (zz_import_bounds (&b, newer, &error));
  g_assert_false (zz_import_manifest (&b, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_cmpint (b.format, ==, 3);
  g_clear_error (&error);
  zz_import_bundle_clear (&b);
  /* version 3 says its ops are encrypted: a readable member under it is refused */
  {
    g_autoptr(GBytes) mixed = hand_bundle ("3", sk, pk, node_x, TOWNSHIP, NULL, created);
    g_assert_true (zz_import_bounds (&b, mixed, &error));
    g_assert_false (zz_import_manifest (&b, &error));
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
    g_clear_error (&error);
    zz_import_bundle_clear (&b);
  }

  /* the manifest changed after signing */
  {
    ZzBundleFiles files = { 0 };
    gint64 mtime = 0;
    g_autoptr(GBytes) m = NULL, repacked = NULL;
    g_autofree char *text = NULL;

    g_assert_true (zz_bundle_unpack (g_bytes_get_data (good, NULL), g_bytes_get_size (good), &files, &mtime, &error));
    text = g_strndup (g_bytes_get_data (files.manifest, NULL), g_bytes_get_size (files.manifest));
    memcpy (strstr (text, "手工"), "伪造", strlen ("伪造"));
    m = g_bytes_new (text, strlen (text));
    repacked = zz_bundle_pack (m, files.signature, files.ops, mtime);
    zz_bundle_files_clear (&files);
    g_assert_true (zz_import_bounds (&b, repacked, &error));
    g_assert_false (zz_import_manifest (&b, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    zz_import_bundle_clear (&b);
  }
}

/* Step 3b: a format 2 bundle's ops are read only with the recipient's identity; steps 1 and 2
 * check it without them. */
static void
test_payload (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  ZzExportOptions two = { .format = 2 };
  ZzImportBundle b = { 0 };
  guint8 id[32];

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  zz_test_node_send (c, t);
  zz_test_node_simulate (t, 5, 3, NULL);
  sealed = zz_sync_export_bytes_with (t->store, zz_store_get_node_id (c->store), &two, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (zz_import_bounds (&b, sealed, &error) && zz_import_manifest (&b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.format, ==, 2);
  g_assert_cmpint (b.reads, ==, 2);
  g_assert_null (b.lines);
  g_assert_cmpint (b.n_declared, >, 5);   /* the five changes, and the township's account as a placeholder */
  /* the sender's own key is not the recipient's */
  zz_import_identity (t->store, id);
  g_assert_false (zz_import_payload (&b, id, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (b.lines);
  zz_import_identity (c->store, id);
  g_assert_true (zz_import_payload (&b, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (b.n_lines, ==, b.n_declared);
  zz_import_bundle_clear (&b);
}

/* Step 3 on hand-made bundles: only the signed recipient, and --all only for the sender's unit
 * and above. */
static void
test_recipient (void)
{
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  ZzImportBundle b = { 0 };
  ZzImportResult res = { 0 };

  b.sender = node_x;
  b.sender_unit = TOWNSHIP;
  b.recipient = zz_store_get_node_id (t->store);
  g_assert_true (zz_import_recipient (t->store, &b, &res));
  g_assert_false (res.refused);

  b.recipient = node_x;
  g_assert_false (zz_import_recipient (t->store, &b, &res));
  g_assert_true (res.refused);
  g_assert_true (res.misdirected);
  g_assert_cmpstr (res.recipient, ==, node_x);
  g_assert_nonnull (strstr (res.reason, node_x));
  zz_import_result_clear (&res);

  b.recipient = NULL;                 /* --all from the same unit */
  g_assert_true (zz_import_recipient (t->store, &b, &res));
  b.sender_unit = VILLAGE;            /* --all from a village: the township is above it */
  g_assert_true (zz_import_recipient (t->store, &b, &res));
  b.sender_unit = COUNTY;             /* --all from the county: not for a township */
  g_assert_false (zz_import_recipient (t->store, &b, &res));
  g_assert_true (res.misdirected);
  g_assert_null (res.recipient);
  zz_import_result_clear (&res);
}

/* Step 4: an unknown key is quarantined; a known node id with another key is refused. */
static void
test_trust (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  g_autoptr(GBytes) unknown = NULL, forged = NULL;
  g_autoptr(GError) error = NULL;
  ZzImportBundle b = { 0 };
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  crypto_sign_keypair (pk, sk);
  unknown = hand_bundle ("2", sk, pk, node_x, TOWNSHIP, zz_store_get_node_id (c->store), 1764700000000);
  g_assert_true (zz_import_bounds (&b, unknown, &error) && zz_import_manifest (&b, &error));
  g_assert_cmpint (zz_import_trust (c->store, &b, unknown, &res, &error), ==, ZZ_IMPORT_QUARANTINED);
  g_assert_no_error (error);
  g_assert_true (res.quarantined);
  g_assert_cmpint (zz_test_node_int (c, "SELECT count(*) FROM sync_quarantine"), ==, 1);
  zz_import_result_clear (&res);
  zz_import_bundle_clear (&b);

  /* the county's own node id, signed with another key */
  forged = hand_bundle ("2", sk, pk, zz_store_get_node_id (c->store), COUNTY, zz_store_get_node_id (c->store),
                        1764700000000);
  g_assert_true (zz_import_bounds (&b, forged, &error) && zz_import_manifest (&b, &error));
  g_assert_cmpint (zz_import_trust (c->store, &b, forged, &res, &error), ==, ZZ_IMPORT_REFUSED);
  g_assert_true (res.refused);
  g_assert_nonnull (strstr (res.reason, "another key"));
  zz_import_result_clear (&res);
  zz_import_bundle_clear (&b);
}

/* A hand-made segment of placeholder lines of @store's own chain, seqs @from.., signed with
 * @sign_sk over @head (NULL: the last line's hash). */
static void
hand_segment (ZzImportBundle *b, ZzStore *store, gint64 from, guint n, const guint8 (*hashes)[ZZ_HASH_BYTES],
              const guint8 *prev, const guint8 *head, const guint8 *sign_sk, GPtrArray *keep)
{
  ZzImportSegment s = { 0 };
  g_autofree char *msg = NULL;

  s.origin = g_strdup (zz_store_get_node_id (store));
  s.from = from;
  s.to = from + n - 1;
  memcpy (s.prev, prev, ZZ_HASH_BYTES);
  memcpy (s.head, head ? head : hashes[n - 1], ZZ_HASH_BYTES);
  msg = zz_sync_head_message (s.origin, s.to, s.head);
  crypto_sign_detached (s.head_sig, NULL, (const guint8 *) msg, strlen (msg), sign_sk);
  b->segments = g_array_new (FALSE, TRUE, sizeof (ZzImportSegment));
  g_array_append_val (b->segments, s);
  b->n_lines = n;
  b->lines = g_new0 (ZzImportLine, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *x = hex (hashes[i]);
      char *line = g_strdup_printf ("{\"stub\":2,\"o\":\"%s\",\"s\":%lld,\"x\":\"%s\",\"p\":\"\"}", s.origin,
                                    (long long) (from + i), x);
      b->lines[i].body = line;
      b->lines[i].len = strlen (line);
      b->lines[i].stub = TRUE;
      g_ptr_array_add (keep, line);
    }
  b->sender = s.origin;
  b->sender_unit = zz_store_get_node_org_unit (store);
}

/* Step 5 on hand-made segments: a chain that ends at its signed head, and each way it can fail. */
static void
test_chains (void)
{
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  guint8 hashes[2][ZZ_HASH_BYTES], zero[ZZ_HASH_BYTES] = { 0 }, other_pk[crypto_sign_PUBLICKEYBYTES];
  guint8 other_sk[crypto_sign_SECRETKEYBYTES];
  ZzImportResult res = { 0 };

  randombytes_buf (hashes, sizeof hashes);
  crypto_sign_keypair (other_pk, other_sk);
  {
    ZzImportBundle b = { 0 };
    hand_segment (&b, t->store, 1, 2, hashes, zero, NULL, t->store->secret_key, keep);
    g_assert_true (zz_import_chains (t->store, &b, &res));
    g_assert_cmpint (b.lines[1].seq, ==, 2);
    g_assert_cmpmem (b.lines[1].prev, ZZ_HASH_BYTES, hashes[0], ZZ_HASH_BYTES);
    g_assert_cmpstr (b.units->pdata[0], ==, TOWNSHIP);
    b.sender = NULL;
    zz_import_bundle_clear (&b);
  }
  {
    ZzImportBundle b = { 0 };     /* a head the lines do not end at */
    hand_segment (&b, t->store, 1, 2, hashes, zero, hashes[0], t->store->secret_key, keep);
    g_assert_false (zz_import_chains (t->store, &b, &res));
    g_assert_nonnull (strstr (res.reason, "head"));
    zz_import_result_clear (&res);
    zz_import_bundle_clear (&b);
  }
  {
    ZzImportBundle b = { 0 };     /* signed by another key than the origin's */
    hand_segment (&b, t->store, 1, 2, hashes, zero, NULL, other_sk, keep);
    g_assert_false (zz_import_chains (t->store, &b, &res));
    g_assert_nonnull (strstr (res.reason, "signature"));
    zz_import_result_clear (&res);
    zz_import_bundle_clear (&b);
  }
  {
    ZzImportBundle b = { 0 };     /* numbered with a hole */
    hand_segment (&b, t->store, 1, 2, hashes, zero, NULL, t->store->secret_key, keep);
    g_free (g_ptr_array_steal_index (keep, keep->len - 1));
    b.lines[1].body = g_strdup_printf ("{\"stub\":2,\"o\":\"%s\",\"s\":3,\"x\":\"%s\",\"p\":\"\"}",
                                       zz_store_get_node_id (t->store), zero_hex);
    b.lines[1].len = strlen (b.lines[1].body);
    g_ptr_array_add (keep, (char *) b.lines[1].body);
    g_assert_false (zz_import_chains (t->store, &b, &res));
    zz_import_result_clear (&res);
    zz_import_bundle_clear (&b);
  }
}

/* Steps 6, 8 and 9 on hand-made chains: next ops are applied, ops after a gap held and released
 * when the gap fills, held-back lines of ops held since are forgotten, and a second history is a
 * fork. */
static void
test_classify_apply_release (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(ZzTestNode) t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint8 hashes[4][ZZ_HASH_BYTES], zero[ZZ_HASH_BYTES] = { 0 };
  g_autofree char *sql = NULL;
  const char *tid = zz_store_get_node_id (t->store);
  ZzImportResult res = { 0 };

  zz_test_node_trust (c, c);
  zz_test_node_trust (t, c);
  zz_test_node_enrol (c, t);
  randombytes_buf (hashes, sizeof hashes);
  sql = g_strdup_printf ("SELECT count(*) FROM op WHERE origin = '%s'", tid);
  g_assert_true (zz_store_begin (c->store, &error));

  /* seqs 3 and 4 first: held for the gap */
  {
    ZzImportBundle b = { 0 };
    g_autoptr(GPtrArray) to_apply = g_ptr_array_new ();

    hand_segment (&b, t->store, 3, 2, hashes + 2, hashes[1], NULL, t->store->secret_key, keep);
    g_assert_true (zz_import_chains (c->store, &b, &res));
    g_assert_true (zz_import_classify (c->store, &b, &res, to_apply, &error));
    g_assert_cmpuint (to_apply->len, ==, 0);
    g_assert_cmpuint (res.held, ==, 2);
    b.sender = NULL;
    zz_import_bundle_clear (&b);
    zz_import_result_clear (&res);
  }
  /* then 1..4 again: 1 and 2 applied, 3 and 4 too; the held-back lines are forgotten */
  {
    ZzImportBundle b = { 0 };
    g_autoptr(GPtrArray) to_apply = g_ptr_array_new ();

    hand_segment (&b, t->store, 1, 4, hashes, zero, NULL, t->store->secret_key, keep);
    g_assert_true (zz_import_chains (c->store, &b, &res));
    g_assert_true (zz_import_classify (c->store, &b, &res, to_apply, &error));
    g_assert_cmpuint (to_apply->len, ==, 4);
    g_assert_true (zz_import_apply (c->store, &b, to_apply, &res, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (zz_import_release_held (c->store, &res, &error));
    zz_import_bundle_clear (&b);
    zz_import_result_clear (&res);
  }
  {
    sqlite3_stmt *stmt = zz_store_stmt (c->store, sql, NULL);
    g_assert_cmpint (zz_store_query_int (c->store, stmt, 0), ==, 4);
    stmt = zz_store_stmt (c->store, "SELECT count(*) FROM sync_held", NULL);
    g_assert_cmpint (zz_store_query_int (c->store, stmt, -1), ==, 0);
    /* placeholders a township relayed stay owed */
    stmt = zz_store_stmt (c->store, "SELECT count(*) FROM op WHERE kind = 'hole'", NULL);
    g_assert_cmpint (zz_store_query_int (c->store, stmt, -1), ==, 4);
  }
  /* another op at seq 2: a fork, the origin frozen */
  {
    ZzImportBundle b = { 0 };
    g_autoptr(GPtrArray) to_apply = g_ptr_array_new ();
    guint8 other[2][ZZ_HASH_BYTES];

    memcpy (other[0], hashes[0], ZZ_HASH_BYTES);
    randombytes_buf (other[1], ZZ_HASH_BYTES);
    hand_segment (&b, t->store, 1, 2, other, zero, NULL, t->store->secret_key, keep);
    g_assert_true (zz_import_chains (c->store, &b, &res));
    g_assert_true (zz_import_classify (c->store, &b, &res, to_apply, &error));
    g_assert_true (res.fork);
    g_assert_cmpuint (to_apply->len, ==, 0);
    g_assert_true (zz_sync_is_frozen (c->store, tid));
    zz_import_bundle_clear (&b);
    zz_import_result_clear (&res);
  }
  zz_store_rollback (c->store);
}

static char *
hand_op (const char *origin, const char *kind, const char *table, const char *row, const char *home, const char *fields)
{
  return g_strdup_printf ("{\"v\":1,\"o\":\"%s\",\"s\":1,\"p\":\"%s\",\"c\":%lld,\"a\":null,\"k\":\"%s\",\"t\":\"%s\","
                          "\"r\":\"%s\",\"h\":\"%s\",\"f\":{%s}}", origin, zero_hex, (long long) ZZ_HLC_MAKE (1764700000000, 0),
                          kind, table, row, home, fields);
}

static char *
authorise (ZzStore *store, const char *origin, const char *unit, const char *body, gboolean *ok)
{
  ZzImportLine l = { 0 };
  ZzOp op;
  char *reason = NULL;
  g_autoptr(GError) error = NULL;

  l.body = body;
  l.len = strlen (body);
  l.seq = 1;
  l.hlc = ZZ_HLC_MAKE (1764700000000, 0);
  *ok = zz_import_authorise (store, origin, unit, &l, &op, &reason, &error);
  if (*ok)
    zz_op_clear (&op);
  return reason;
}

/* Step 7 on hand-made ops: append-only records are never removed, an id bound to another node
 * is never created, and an op that is not the one its line stands for refuses the bundle. */
static void
test_authorise (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", *b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  g_autofree char *bound = zz_store_bound_id_new (b, 1764700000000);
  g_autofree char *tomb = hand_op (a, "tombstone", "supervision_note", bound, TOWNSHIP, "");
  g_autofree char *reuse = hand_op (a, "create", "person", bound, VILLAGE, "\"name\":\"冒用\"");
  g_autofree char *own = hand_op (b, "create", "person", bound, VILLAGE, "\"name\":\"本人\"");
  g_autofree char *legacy = hand_op (a, "create", "person", "018f2a6e-0000-7000-8000-000000000000", VILLAGE, "\"name\":\"旧编号\"");
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL;
  gboolean ok;

  g_assert_cmpint (zz_store_id_binding (bound, b), ==, ZZ_ID_BOUND_TO_ORIGIN);
  g_assert_cmpint (zz_store_id_binding (bound, a), ==, ZZ_ID_BOUND_ELSEWHERE);
  g_assert_cmpint (zz_store_id_binding ("018f2a6e-0000-7000-8000-000000000000", a), ==, ZZ_ID_UNBOUND);

  r1 = authorise (c->store, a, TOWNSHIP, tomb, &ok);
  g_assert_true (ok);
  g_assert_nonnull (strstr (r1, "append-only"));
  r2 = authorise (c->store, a, TOWNSHIP, reuse, &ok);
  g_assert_nonnull (strstr (r2, "another node"));
  r3 = authorise (c->store, b, TOWNSHIP, own, &ok);
  g_assert_null (r3);
  r4 = authorise (c->store, a, TOWNSHIP, legacy, &ok);
  g_assert_null (r4);
  /* the op says origin b, its line stands for origin a */
  r5 = authorise (c->store, a, TOWNSHIP, own, &ok);
  g_assert_false (ok);

  /* a table of a newer version: authorised by the origin's scope (kept for that version), and
   * refused out of it; not well formed, it refuses the bundle like any op */
  {
    g_autofree char *future = hand_op (a, "create", "future_table", bound, VILLAGE, "\"label\":\"新\"");
    g_autofree char *away = hand_op (a, "create", "future_table", bound, "433122104", "\"label\":\"新\"");
    g_autofree char *broken = hand_op (a, "create", "future_table", bound, VILLAGE, "\"label\":");
    g_autofree char *r6 = NULL, *r7 = NULL, *r8 = NULL;

    r6 = authorise (c->store, a, TOWNSHIP, future, &ok);
    g_assert_true (ok);
    g_assert_nonnull (r6);   /* the id is bound to b */
    g_assert_nonnull (strstr (r6, "another node"));
    g_clear_pointer (&future, g_free);
    future = hand_op (b, "create", "future_table", bound, VILLAGE, "\"label\":\"新\"");
    r7 = authorise (c->store, b, TOWNSHIP, future, &ok);
    g_assert_true (ok);
    g_assert_null (r7);
    r8 = authorise (c->store, a, TOWNSHIP, away, &ok);
    g_assert_true (ok);
    g_assert_nonnull (strstr (r8, "may not change"));
    g_assert_null (authorise (c->store, a, TOWNSHIP, broken, &ok));
    g_assert_false (ok);
  }
}

/* Step 10 on a hand-made bundle: the sender's acknowledgement, placeholders it is owed
 * included, is kept as the next export's starting point. */
static void
test_record_peer (void)
{
  g_autoptr(ZzTestNode) c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  ZzImportBundle b = { 0 };
  g_autofree char *vv = NULL, *holes = NULL;

  g_assert_true (json_parser_load_from_data (parser, "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":[[2,3],[7,7]]}", -1, &error));
  b.holes = zz_sync_holes_from_node (json_parser_get_root (parser));
  g_assert_nonnull (b.holes);
  b.vv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  zz_sync_vv_set (b.vv, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 9);
  b.sender = node_x;
  b.sender_unit = TOWNSHIP;
  b.sender_name = "手工";
  g_assert_true (zz_store_begin (c->store, &error));
  g_assert_true (zz_import_record_peer (c->store, &b, &error));
  g_assert_true (zz_store_commit (c->store, &error));
  g_assert_no_error (error);
  vv = zz_test_node_text (c, "SELECT vv FROM sync_peer");
  holes = zz_test_node_text (c, "SELECT holes FROM sync_peer");
  g_assert_cmpstr (vv, ==, "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":9}");
  g_assert_cmpstr (holes, ==, "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":[[2,3],[7,7]]}");
  b.sender = NULL;
  zz_import_bundle_clear (&b);

  /* ranges out of order or overlapping are not an acknowledgement */
  g_assert_true (json_parser_load_from_data (parser, "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":[[5,6],[2,3]]}", -1, &error));
  g_assert_null (zz_sync_holes_from_node (json_parser_get_root (parser)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/bounds-and-manifest", test_bounds_and_manifest);
  g_test_add_func ("/import/payload", test_payload);
  g_test_add_func ("/import/recipient", test_recipient);
  g_test_add_func ("/import/trust", test_trust);
  g_test_add_func ("/import/chains", test_chains);
  g_test_add_func ("/import/classify-apply-release", test_classify_apply_release);
  g_test_add_func ("/import/authorise", test_authorise);
  g_test_add_func ("/import/record-peer", test_record_peer);
  return g_test_run ();
}
