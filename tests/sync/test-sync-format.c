/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "zz-age.h"
#include "zz-bundle.h"
#include "zz-store-private.h"
#include "zz-test-sync.h"

/* Bundle format 2 (the ops encrypted with age to the recipient) and what centres of different
 * versions do with each other's bundles. */

#define COUNTY   "433122"
#define TOWNSHIP "433122102"
#define OTHER    "433122104"

typedef struct {
  ZzTestNode *c;
  ZzTestNode *t;
} Fixture;

/* A county and an enrolled township that have not exchanged anything yet. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  f->t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  zz_test_node_trust (f->c, f->c);
  zz_test_node_trust (f->t, f->c);
  zz_test_node_enrol (f->c, f->t);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  zz_test_node_free (f->c);
  zz_test_node_free (f->t);
}

static GBytes *
export_with (ZzTestNode *from, ZzTestNode *to, const ZzExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  GBytes *b = zz_sync_export_bytes_with (from->store, to ? zz_store_get_node_id (to->store) : NULL, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (b);
  return b;
}

/* Refused as a whole with a reason containing @reason, nothing applied, @n's data unchanged. */
static void
assert_refused (ZzTestNode *n, GBytes *b, const char *reason)
{
  g_autofree char *before = zz_test_node_digest (n);
  g_autofree char *after = NULL;
  gint64 peers = zz_test_node_int (n, "SELECT count(*) FROM sync_peer");
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_sync_import_bytes (n->store, b, &res, &error));
  g_assert_no_error (error);
  g_test_message ("refused: %s", res.reason);
  g_assert_true (res.refused);
  g_assert_cmpuint (res.applied, ==, 0);
  if (reason && !strstr (res.reason, reason))
    g_error ("refused for another reason: %s", res.reason);
  zz_import_result_clear (&res);
  after = zz_test_node_digest (n);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (zz_test_node_int (n, "SELECT count(*) FROM sync_peer"), ==, peers);
  g_assert_cmpint (zz_test_node_int (n, "SELECT count(*) FROM sync_quarantine"), ==, 0);
}

/* Each bundle states the newest format its writer reads; a node writes a peer the newest format
 * the peer has shown it reads: format 1 (with a warning) to a peer not heard from or on format 1,
 * format 2 once it has shown it reads 2; export --format forces one. */
static void
test_negotiation (Fixture *f, gconstpointer data)
{
  const char *tid = zz_store_get_node_id (f->t->store);
  const char *cid = zz_store_get_node_id (f->c->store);
  g_autofree char *warning = NULL;
  g_autoptr(GBytes) first = NULL, back = NULL, again = NULL, forced = NULL, old = NULL;
  ZzExportOptions one = { .format = 1 };
  ZzImportResult res = { 0 };

  /* never heard from the township: format 1, and the warning says why */
  g_assert_cmpint (zz_sync_export_format (f->c->store, tid, NULL, &warning), ==, 1);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "No bundle has come from this centre yet"));
  g_clear_pointer (&warning, g_free);
  first = zz_test_node_export (f->c, f->t);
  g_assert_cmpint (zz_test_bundle_format (first), ==, 1);
  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  /* the county's bundle said it reads format 2: the township writes it format 2, no warning */
  g_assert_cmpint (zz_test_node_int (f->t, "SELECT reads FROM sync_peer"), ==, 2);
  g_assert_cmpint (zz_sync_export_format (f->t->store, cid, NULL, &warning), ==, 2);
  g_assert_null (warning);
  zz_test_node_simulate (f->t, 20, 4, NULL);
  back = zz_test_node_export (f->t, f->c);
  g_assert_cmpint (zz_test_bundle_format (back), ==, 2);
  zz_test_node_import (f->c, back, &res);
  g_assert_cmpuint (res.applied, ==, 20);
  zz_import_result_clear (&res);
  g_assert_cmpint (zz_test_node_int (f->c, "SELECT reads FROM sync_peer"), ==, 2);
  again = zz_test_node_export (f->c, f->t);
  g_assert_cmpint (zz_test_bundle_format (again), ==, 2);
  zz_test_node_import (f->t, again, &res);
  zz_import_result_clear (&res);
  {
    g_autofree char *dc = zz_test_node_digest (f->c), *dt = zz_test_node_digest (f->t);
    g_assert_cmpstr (dc, ==, dt);
  }

  /* --format 1 forces the unencrypted format, with its warning */
  g_assert_cmpint (zz_sync_export_format (f->t->store, cid, &one, &warning), ==, 1);
  g_assert_nonnull (strstr (warning, "not encrypted"));
  g_clear_pointer (&warning, g_free);
  zz_test_node_simulate (f->t, 5, 5, NULL);
  forced = export_with (f->t, f->c, &one);
  g_assert_cmpint (zz_test_bundle_format (forced), ==, 1);
  zz_test_node_import (f->c, forced, &res);
  g_assert_cmpuint (res.applied, ==, 5);
  zz_import_result_clear (&res);

  /* a bundle of the previous release states no "reads": its writer is remembered on format 1,
   * and gets format 1 with a warning until it updates */
  zz_test_node_simulate (f->t, 3, 6, NULL);
  {
    g_autoptr(GBytes) plain = export_with (f->t, f->c, &one);

    old = zz_test_bundle_resign (f->t, plain, "{\"reads\":null,\"writer\":null}", NULL, FALSE);
    zz_test_node_import (f->c, old, &res);
    g_assert_cmpuint (res.applied, ==, 3);
    zz_import_result_clear (&res);
  }
  g_assert_cmpint (zz_test_node_int (f->c, "SELECT reads FROM sync_peer"), ==, 1);
  g_assert_cmpint (zz_sync_export_format (f->c->store, tid, NULL, &warning), ==, 1);
  g_assert_nonnull (strstr (warning, "still runs a version"));
  g_clear_pointer (&warning, g_free);
  {
    g_autoptr(GBytes) to_old = zz_test_node_export (f->c, f->t);
    g_assert_cmpint (zz_test_bundle_format (to_old), ==, 1);
  }
}

/* A bundle whose framing is newer than this version is refused, naming the format and the
 * version it needs; nothing changes. */
static void
test_newer_framing (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) first = zz_test_node_export (f->c, f->t);
  g_autoptr(GBytes) base = NULL, newer = NULL, members = NULL;
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;

  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  zz_test_node_simulate (f->t, 4, 7, NULL);
  base = zz_test_node_export (f->t, f->c);
  /* a manifest of format 3, signed by its genuine sender */
  newer = zz_test_bundle_resign (f->t, base, "{\"version\":4,\"needs\":3,\"writer\":\"9.1\"}", NULL, FALSE);
  g_assert_true (zz_sync_import_bytes (f->c->store, newer, &res, &error));
  g_assert_no_error (error);
  g_test_message ("%s", res.reason);
  g_assert_true (res.refused);
  g_assert_cmpint (res.needs_format, ==, 3);
  g_assert_nonnull (strstr (res.reason, "format 3"));
  g_assert_nonnull (strstr (res.reason, "Zongzhi 9.1 or later"));
  zz_import_result_clear (&res);
  assert_refused (f->c, newer, "format 3");

  /* a later format may hold other members: the manifest still names what it needs */
  {
    ZzBundleFiles files = { 0 };
    gint64 mtime = 0;

    g_assert_true (zz_bundle_unpack (g_bytes_get_data (newer, NULL), g_bytes_get_size (newer), &files, &mtime, NULL));
    members = zz_bundle_pack_named (files.manifest, files.signature, files.ops, "ops.v3.bin", mtime);
    zz_bundle_files_clear (&files);
  }
  g_assert_true (zz_sync_import_bytes (f->c->store, members, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_cmpint (res.needs_format, ==, 3);
  g_assert_nonnull (strstr (res.reason, "Zongzhi 9.1 or later"));
  zz_import_result_clear (&res);
  assert_refused (f->c, members, "format 3");
  /* the genuine bundle still applies */
  zz_test_node_import (f->c, base, &res);
  g_assert_cmpuint (res.applied, ==, 4);
  zz_import_result_clear (&res);
}

/* A format 2 bundle with its manifest readable (no personal data) and its ops not: a node it is
 * not for, or anyone without the key, cannot read them; a relay still checks the signatures. */
static void
test_sealed (Fixture *f, gconstpointer data)
{
  g_autoptr(ZzTestNode) u = zz_test_node_new (OTHER, "潭溪镇综治中心");
  g_autoptr(GBytes) first = zz_test_node_export (f->c, f->t);
  g_autoptr(GBytes) sealed = NULL, raw = NULL;
  ZzImportResult res = { 0 };
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  g_autofree char *info = NULL;
  g_autofree char *manifest = NULL;
  g_autoptr(GError) error = NULL;
  guint8 x_sk[ZZ_AGE_KEY_BYTES];

  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  zz_test_node_trust (u, f->c);
  zz_test_node_enrol (f->c, u);
  zz_test_node_simulate (f->t, 30, 8, NULL);
  sealed = zz_test_node_export (f->t, f->c);
  g_assert_cmpint (zz_test_bundle_format (sealed), ==, 2);
  g_assert_true (zz_bundle_unpack (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &files, &mtime, NULL));
  g_assert_true (zz_age_has_header (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops)));
  manifest = g_strndup (g_bytes_get_data (files.manifest, NULL), g_bytes_get_size (files.manifest));
  g_assert_nonnull (strstr (manifest, "\"needs\":2"));
  g_assert_nonnull (strstr (manifest, "\"reads\":2"));
  g_assert_nonnull (strstr (manifest, ZZ_BUNDLE_OPS_AGE));

  /* the other township's key opens nothing; the county's does */
  zz_age_x25519_secret_from_ed25519 (u->store->secret_key, x_sk);
  g_assert_null (zz_age_decrypt (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), x_sk, NULL, 0, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_AUTH);
  g_clear_error (&error);
  raw = zz_test_bundle_ops (f->c, sealed);
  g_assert_cmpuint (g_bytes_get_size (raw), >, 0);
  /* no op line is in the manifest, nor in the file in the clear */
  {
    g_autoptr(GBytes) lines = zz_zstd_decompress (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), 1 << 24, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (lines, NULL), g_bytes_get_size (lines));
    const char *row = strstr (text, "\"r\":\"");

    g_assert_nonnull (row);
    {
      g_autofree char *id = g_strndup (row + 5, 36);
      g_assert_null (g_strstr_len (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), id));
    }
  }
  zz_bundle_files_clear (&files);

  /* the other township: refused as not for it, nothing read or changed */
  assert_refused (u, sealed, zz_store_get_node_id (f->c->store));
  /* a relay verifies what it can without the ops: the signed manifest, the payload's hash, and
   * every head its origin signed */
  g_assert_true (zz_sync_verify_bytes (u->store, sealed, &info, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info, "encrypted"));
  g_clear_pointer (&info, g_free);
  {
    /* a head signature altered (and the manifest signed again by the sender): the relay sees it */
    g_autoptr(GBytes) forged = NULL;
    g_autofree char *set = NULL;
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonArray *segs;
    JsonObject *seg;
    g_autofree char *sig = NULL;
    ZzBundleFiles fl = { 0 };

    g_assert_true (zz_bundle_unpack (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &fl, &mtime, NULL));
    g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (fl.manifest, NULL), g_bytes_get_size (fl.manifest), NULL));
    segs = json_object_get_array_member (json_node_get_object (json_parser_get_root (p)), "segments");
    seg = json_array_get_object_element (segs, 0);
    sig = g_strdup (json_object_get_string_member (seg, "head_sig"));
    sig[3] = sig[3] == 'A' ? 'B' : 'A';
    json_object_set_string_member (seg, "head_sig", sig);
    {
      JsonNode *n = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *arr = NULL;
      json_node_set_array (n, segs);
      arr = json_to_string (n, FALSE);
      json_node_unref (n);
      set = g_strdup_printf ("{\"segments\":%s}", arr);
    }
    zz_bundle_files_clear (&fl);
    forged = zz_test_bundle_resign (f->t, sealed, set, NULL, TRUE);
    g_assert_false (zz_sync_verify_bytes (u->store, forged, NULL, &error));
    g_assert_nonnull (error);
    g_test_message ("relay: %s", error->message);
    g_clear_error (&error);
  }

  /* the county reads and applies it */
  zz_test_node_import (f->c, sealed, &res);
  g_assert_cmpuint (res.applied, ==, 30);
  zz_import_result_clear (&res);
}

/* Damaged or swapped ciphertext, or a key that is not the recipient's: refused with a clear
 * message, nothing changed. Each case is signed again by the genuine sender, so that the age
 * layer itself is what refuses it. */
static void
test_bad_ciphertext (Fixture *f, gconstpointer data)
{
  g_autoptr(ZzTestNode) v = zz_test_node_new (COUNTY, "泸溪县综治中心二号机");
  g_autoptr(GBytes) first = zz_test_node_export (f->c, f->t);
  g_autoptr(GBytes) sealed = NULL, other = NULL, member = NULL, other_member = NULL;
  ZzImportResult res = { 0 };
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;
  gsize len;
  const guint8 *ct;

  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  zz_test_node_simulate (f->t, 12, 9, NULL);
  sealed = zz_test_node_export (f->t, f->c);
  other = zz_test_node_export (f->t, f->c);   /* the same ops, another file key */
  g_assert_true (zz_bundle_unpack (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &files, &mtime, NULL));
  member = g_bytes_ref (files.ops);
  zz_bundle_files_clear (&files);
  g_assert_true (zz_bundle_unpack (g_bytes_get_data (other, NULL), g_bytes_get_size (other), &files, &mtime, NULL));
  other_member = g_bytes_ref (files.ops);
  zz_bundle_files_clear (&files);
  ct = g_bytes_get_data (member, &len);

  /* an altered byte as it travels: the signed payload hash no longer matches */
  {
    g_autoptr(GBytes) b = NULL;
    gsize blen;
    g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (sealed, &blen), g_bytes_get_size (sealed));
    d[blen - 1024 - 40] ^= 0x04;
    b = g_bytes_new (d, blen);
    assert_refused (f->c, b, NULL);
  }
  /* an altered byte of the payload, in the header and in the body, and the manifest signed again */
  for (guint k = 0; k < 3; k++)
    {
      gsize at = k == 0 ? 30 : k == 1 ? len - 20 : len / 2 + 7;
      g_autofree guint8 *d = g_memdup2 (ct, len);
      g_autoptr(GBytes) m = NULL, b = NULL;

      d[at] ^= 0x20;
      m = g_bytes_new (d, len);
      b = zz_test_bundle_resign (f->t, sealed, NULL, m, TRUE);
      assert_refused (f->c, b, "encrypted");
    }
  /* truncated: a whole chunk, a few bytes, down to the header */
  {
    const gsize cuts[] = { len - 1, len - 17, len / 2, 200 };

    for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
      {
        g_autoptr(GBytes) m = g_bytes_new (ct, cuts[i]);
        g_autoptr(GBytes) b = zz_test_bundle_resign (f->t, sealed, NULL, m, TRUE);
        assert_refused (f->c, b, NULL);
      }
  }
  /* a stanza swapped in from another bundle for the same node: it opens, but its file key does
   * not match the header's MAC */
  {
    const char *h1 = g_bytes_get_data (member, NULL), *h2 = g_bytes_get_data (other_member, NULL);
    const char *mac1 = strstr (h1, "\n---"), *mac2 = strstr (h2, "\n---");
    const char *st1 = strstr (h1, "\n->"), *st2 = strstr (h2, "\n->");
    g_autoptr(GByteArray) spliced = g_byte_array_new ();
    g_autoptr(GBytes) m = NULL, b = NULL;

    g_assert_nonnull (mac1);
    g_assert_nonnull (st2);
    g_byte_array_append (spliced, (const guint8 *) h1, st1 - h1);
    g_byte_array_append (spliced, (const guint8 *) st2, mac2 - st2);
    g_byte_array_append (spliced, (const guint8 *) mac1, len - (mac1 - h1));
    m = g_bytes_new (spliced->data, spliced->len);
    b = zz_test_bundle_resign (f->t, sealed, NULL, m, TRUE);
    assert_refused (f->c, b, "encrypted");
  }
  /* a key that is not a recipient's: an --all bundle for the county's second laptop only, given
   * to the county */
  {
    const char *only[] = { zz_store_get_node_id (v->store), NULL };
    ZzExportOptions to_v = { .recipients = only };
    g_autoptr(GBytes) all = NULL;

    zz_test_node_trust (v, f->c);
    zz_test_node_enrol (f->c, v);
    /* the township knows the laptop's key from the county's next bundle */
    zz_test_node_send (f->c, f->t);
    zz_test_node_simulate (f->t, 2, 10, NULL);
    all = export_with (f->t, NULL, &to_v);
    g_assert_cmpint (zz_test_bundle_format (all), ==, 2);
    assert_refused (f->c, all, "not encrypted for this centre");
  }
}

/* An archive: an --all bundle encrypted with a passphrase (age's scrypt stanza). */
static void
test_passphrase (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) first = zz_test_node_export (f->c, f->t);
  g_autoptr(GBytes) archive = NULL;
  ZzExportOptions pass = { .passphrase = "泸溪 archive 2026" };
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->c->dir, "archive.zzb", NULL);

  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  zz_test_node_simulate (f->t, 6, 11, NULL);
  archive = export_with (f->t, NULL, &pass);
  g_assert_cmpint (zz_test_bundle_format (archive), ==, 2);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (archive, NULL), g_bytes_get_size (archive), NULL));
  /* without the passphrase, or with a wrong one: refused, saying so */
  assert_refused (f->c, archive, "passphrase");
  g_assert_true (zz_sync_import_file_with_passphrase (f->c->store, path, "wrong", &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_nonnull (strstr (res.reason, "passphrase"));
  zz_import_result_clear (&res);
  g_assert_true (zz_sync_import_file_with_passphrase (f->c->store, path, pass.passphrase, &res, &error));
  g_assert_no_error (error);
  g_assert_false (res.refused);
  g_assert_cmpuint (res.applied, ==, 6);
  zz_import_result_clear (&res);
  /* recipients and a passphrase together: an error, nothing written */
  {
    const char *only[] = { zz_store_get_node_id (f->c->store), NULL };
    ZzExportOptions both = { .recipients = only, .passphrase = "x" };
    g_assert_null (zz_sync_export_bytes_with (f->t->store, NULL, &both, NULL, &error));
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  }
}

static gboolean
run (const char *cwd, char **out, const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error));
  g_assert_no_error (error);
  if (err && *err)
    g_test_message ("%s: %s", argv[0], err);
  return g_spawn_check_wait_status (status, NULL);
}

/* Debian's age reads what we write and we read what it writes: it decrypts our payload with the
 * node's age identity, and a payload it encrypted to the node's recipient imports. */
static void
test_age_tool (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) first = zz_test_node_export (f->c, f->t);
  g_autoptr(GBytes) sealed = NULL, plain_ops = NULL, theirs = NULL, rebuilt = NULL;
  g_autofree char *identity = NULL, *id_path = NULL, *ct_path = NULL, *zst_path = NULL, *out_path = NULL;
  g_autofree char *recipient = NULL, *decrypted = NULL;
  gsize decrypted_len = 0;
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0;

  g_autofree char *age = g_find_program_in_path ("age");

  if (!age)
    {
      g_test_skip ("age is not installed (build-aux/dev deps installs it)");
      return;
    }
  zz_test_node_import (f->t, first, &res);
  zz_import_result_clear (&res);
  zz_test_node_simulate (f->t, 25, 12, NULL);
  sealed = zz_test_node_export (f->t, f->c);
  identity = zz_sync_age_identity (f->c->store, &error);
  g_assert_no_error (error);
  id_path = g_build_filename (f->c->dir, "c.age", NULL);
  ct_path = g_build_filename (f->c->dir, "ops.jsonl.zst.age", NULL);
  zst_path = g_build_filename (f->c->dir, "ops.jsonl.zst", NULL);
  out_path = g_build_filename (f->c->dir, "theirs.age", NULL);
  g_assert_true (g_file_set_contents_full (id_path, identity, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (zz_bundle_unpack (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &files, &mtime, NULL));
  g_assert_true (g_file_set_contents (ct_path, g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), NULL));
  zz_bundle_files_clear (&files);

  /* age decrypts ours to exactly the compressed ops */
  {
    const char *argv[] = { "age", "-d", "-i", id_path, "-o", zst_path, ct_path, NULL };
    g_assert_true (run (f->c->dir, NULL, argv));
  }
  plain_ops = zz_test_bundle_ops (f->c, sealed);
  g_assert_true (g_file_get_contents (zst_path, &decrypted, &decrypted_len, NULL));
  g_assert_cmpmem (decrypted, decrypted_len, g_bytes_get_data (plain_ops, NULL), g_bytes_get_size (plain_ops));
  /* and the wrong identity opens nothing */
  {
    g_autofree char *t_identity = zz_sync_age_identity (f->t->store, &error);
    g_autofree char *t_path = g_build_filename (f->c->dir, "t.age", NULL);
    const char *argv[] = { "age", "-d", "-i", t_path, "-o", "/dev/null", ct_path, NULL };

    g_assert_true (g_file_set_contents_full (t_path, t_identity, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
    g_assert_false (run (f->c->dir, NULL, argv));
  }

  /* age encrypts the same compressed ops to the county's recipient; ours imports it */
  {
    const char *line = strstr (identity, "# public key: ");
    const char *argv[7] = { "age", "-r", NULL, "-o", out_path, zst_path, NULL };
    g_autofree char *ct = NULL;
    gsize ct_len = 0;

    g_assert_nonnull (line);
    recipient = g_strndup (line + strlen ("# public key: "), strcspn (line + strlen ("# public key: "), "\n"));
    argv[2] = recipient;
    g_assert_true (run (f->c->dir, NULL, argv));
    g_assert_true (g_file_get_contents (out_path, &ct, &ct_len, NULL));
    theirs = g_bytes_new (ct, ct_len);
  }
  rebuilt = zz_test_bundle_resign (f->t, sealed, NULL, theirs, TRUE);
  zz_test_node_import (f->c, rebuilt, &res);
  g_assert_cmpuint (res.applied, ==, 25);
  zz_import_result_clear (&res);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  zz_test_sync_fast_disk ();
  g_test_add ("/sync/format/negotiation", Fixture, NULL, fixture_setup, test_negotiation, fixture_teardown);
  g_test_add ("/sync/format/newer-framing", Fixture, NULL, fixture_setup, test_newer_framing, fixture_teardown);
  g_test_add ("/sync/format/sealed", Fixture, NULL, fixture_setup, test_sealed, fixture_teardown);
  g_test_add ("/sync/format/bad-ciphertext", Fixture, NULL, fixture_setup, test_bad_ciphertext, fixture_teardown);
  g_test_add ("/sync/format/passphrase", Fixture, NULL, fixture_setup, test_passphrase, fixture_teardown);
  g_test_add ("/sync/format/age-tool", Fixture, NULL, fixture_setup, test_age_tool, fixture_teardown);
  return g_test_run ();
}
