/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-bundle.h"
#include "zz-store-private.h"
#include "zz-test-sync.h"

#define COUNTY   "433122"
#define TOWNSHIP "433122102"

typedef struct {
  ZzTestNode *c;
  ZzTestNode *t;
  GBytes *bundle;    /* a small genuine bundle from t to c, format 1 (readable) */
  GBytes *sealed;    /* the same in format 2 (the ops encrypted for c) */
  char *digest;      /* c's digest before anything */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->c = zz_test_node_new (COUNTY, "泸溪县综治中心");
  f->t = zz_test_node_new (TOWNSHIP, "达岚镇综治中心");
  zz_test_node_trust (f->c, f->c);
  zz_test_node_trust (f->t, f->c);
  zz_test_node_enrol (f->c, f->t);
  zz_test_node_send (f->c, f->t);
  zz_test_node_simulate (f->t, 3, 1, NULL);
  {
    ZzExportOptions one = { .format = 1 };
    g_autoptr(GError) error = NULL;

    f->bundle = zz_sync_export_bytes_with (f->t->store, zz_store_get_node_id (f->c->store), &one, NULL, &error);
    g_assert_no_error (error);
  }
  /* the county's bundle said it reads format 2 */
  f->sealed = zz_test_node_export (f->t, f->c);
  g_assert_cmpint (zz_test_bundle_format (f->bundle), ==, 1);
  g_assert_cmpint (zz_test_bundle_format (f->sealed), ==, 2);
  f->digest = zz_test_node_digest (f->c);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_bytes_unref (f->bundle);
  g_bytes_unref (f->sealed);
  g_free (f->digest);
  zz_test_node_free (f->c);
  zz_test_node_free (f->t);
}

static void
assert_refused (Fixture *f, GBytes *bytes)
{
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_sync_import_bytes (f->c->store, bytes, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_nonnull (res.reason);
  g_assert_cmpuint (res.applied, ==, 0);
  zz_import_result_clear (&res);
}

static void
assert_unchanged (Fixture *f)
{
  g_autofree char *now = zz_test_node_digest (f->c);

  g_assert_cmpstr (now, ==, f->digest);
  g_assert_cmpint (zz_test_node_int (f->c, "SELECT count(*) FROM sync_quarantine"), ==, 0);
  g_assert_cmpint (zz_test_node_int (f->c, "SELECT count(*) FROM sync_peer"), ==, 0);
  g_assert_cmpint (zz_test_node_int (f->c, "SELECT count(*) FROM sync_held"), ==, 0);
}

/* Every single-byte change of a bundle, readable or encrypted, is refused, and the database is
 * unchanged. */
static void
test_every_byte (Fixture *f, gconstpointer data)
{
  GBytes *bundle = data ? f->sealed : f->bundle;
  gsize len;
  const guint8 *orig = g_bytes_get_data (bundle, &len);
  g_autofree guint8 *copy = g_memdup2 (orig, len);

  g_test_message ("bundle of %" G_GSIZE_FORMAT " bytes", len);
  for (gsize i = 0; i < len; i++)
    {
      /* a bit flip everywhere, and a whole-byte change on every seventh byte */
      for (int k = 0; k < (i % 7 == 0 ? 2 : 1); k++)
        {
          g_autoptr(GBytes) b = NULL;

          copy[i] = orig[i] ^ (k == 0 ? 0x01 : 0xa5);
          b = g_bytes_new_static (copy, len);
          assert_refused (f, b);
          copy[i] = orig[i];
        }
    }
  assert_unchanged (f);
  /* the genuine bundle still applies */
  {
    ZzImportResult res = { 0 };
    zz_test_node_import (f->c, bundle, &res);
    g_assert_cmpuint (res.applied, >, 0);
    zz_import_result_clear (&res);
  }
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  gsize len;
  const guint8 *orig = g_bytes_get_data (data ? f->sealed : f->bundle, &len);
  const gsize cuts[] = { 0, 1, 100, 511, 512, 1024, len / 2, len - 1024, len - 513, len - 512, len - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GBytes) b = g_bytes_new (orig, cuts[i]);
      assert_refused (f, b);
    }
  /* and extended by trailing garbage */
  {
    g_autofree guint8 *longer = g_malloc0 (len + 512);
    g_autoptr(GBytes) b = NULL;

    memcpy (longer, orig, len);
    b = g_bytes_new (longer, len + 512);
    assert_refused (f, b);
  }
  assert_unchanged (f);
}

static void
test_oversized (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->c->dir, "huge.zzb", NULL);
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;
  FILE *fp = fopen (path, "wb");

  /* sparse: the size of a file is checked before a byte of it is read */
  g_assert_nonnull (fp);
  g_assert_cmpint (ftruncate (fileno (fp), (off_t) ZZ_BUNDLE_MAX_SIZE + 1), ==, 0);
  fclose (fp);
  g_assert_true (zz_sync_import_file (f->c->store, path, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_nonnull (strstr (res.reason, "larger"));
  zz_import_result_clear (&res);
  g_unlink (path);
  assert_unchanged (f);
}

/* A genuine manifest from @f->t describing @ops (compressed) of @raw_size bytes and @lines lines. */
static GBytes *
signed_bundle (Fixture *f, GBytes *ops, gsize raw_size, guint lines)
{
  ZzStore *t = f->t->store;
  ZzBundleFiles files = { 0 };
  gint64 mtime = 0, created;
  gsize len;
  const guint8 *data = g_bytes_get_data (f->bundle, &len);
  g_autofree char *manifest = NULL;
  g_autofree char *payload_hex = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *old_payload = NULL;
  g_autofree char *new_payload = NULL;
  g_autoptr(GRegex) re = g_regex_new ("\"payload\":\\{[^}]*\\}", 0, 0, NULL);
  g_autoptr(GBytes) m = NULL, s = NULL;
  guint8 hash[32];
  GBytes *out;
  char *recipient;

  g_assert_true (zz_bundle_unpack (data, len, &files, &mtime, NULL));
  manifest = g_strndup (g_bytes_get_data (files.manifest, NULL), g_bytes_get_size (files.manifest));
  crypto_generichash (hash, sizeof hash, g_bytes_get_data (ops, NULL), g_bytes_get_size (ops), NULL, 0);
  payload_hex = zz_hex_encode (hash, sizeof hash);
  new_payload = g_strdup_printf ("\"payload\":{\"file\":\"ops.jsonl.zst\",\"size\":%" G_GSIZE_FORMAT ",\"raw_size\":%"
                                 G_GSIZE_FORMAT ",\"lines\":%u,\"blake2b\":\"%s\"}",
                                 g_bytes_get_size (ops), raw_size, lines, payload_hex);
  {
    char *replaced = g_regex_replace_literal (re, manifest, -1, 0, new_payload, 0, NULL);
    g_free (manifest);
    manifest = replaced;
  }
  created = mtime * 1000;
  {
    /* keep the created stamp consistent with the archive's time */
    g_autoptr(GRegex) cre = g_regex_new ("\"created\":[0-9]+", 0, 0, NULL);
    g_autofree char *c = g_strdup_printf ("\"created\":%lld", (long long) created);
    char *replaced = g_regex_replace_literal (cre, manifest, -1, 0, c, 0, NULL);
    g_free (manifest);
    manifest = replaced;
  }
  recipient = (char *) zz_store_get_node_id (f->c->store);
  comment = g_strdup_printf ("zongzhi bundle sender=%s unit=%s recipient=%s created=%lld payload=%s",
                             zz_store_get_node_id (t), zz_store_get_node_org_unit (t), recipient,
                             (long long) created, payload_hex);
  sig = zz_minisign_sign (t->secret_key, t->public_key, manifest, strlen (manifest), comment);
  m = g_bytes_new (manifest, strlen (manifest));
  s = g_bytes_new (sig, strlen (sig));
  out = zz_bundle_pack (m, s, ops, mtime);
  zz_bundle_files_clear (&files);
  return out;
}

/* Ops that decompress to far more than declared, or declared far larger than compressed: a
 * compression bomb is refused before it fills memory or disk. */
static void
test_zip_bomb (Fixture *f, gconstpointer data)
{
  gsize big = 64 * 1024 * 1024;
  g_autofree char *zeros = g_malloc0 (big);
  g_autoptr(GBytes) ops = zz_zstd_compress (zeros, big, 3);

  g_test_message ("%" G_GSIZE_FORMAT " bytes compress to %" G_GSIZE_FORMAT, big, g_bytes_get_size (ops));
  /* the sanity of the signed bundle itself: a correctly described payload of garbage lines */
  {
    g_autoptr(GBytes) b = signed_bundle (f, ops, 1000, 1);
    assert_refused (f, b);
  }
  {
    g_autoptr(GBytes) b = signed_bundle (f, ops, big, 1);
    assert_refused (f, b);
  }
  {
    g_autoptr(GBytes) b = signed_bundle (f, ops, (gsize) 4 * 1024 * 1024 * 1024, 1);
    assert_refused (f, b);
  }
  assert_unchanged (f);
  /* the same construction with honest ops is accepted: the refusals above are the bomb's */
  {
    ZzBundleFiles files = { 0 };
    gsize len;
    const guint8 *d = g_bytes_get_data (f->bundle, &len);
    g_autoptr(GBytes) raw = NULL;
    g_autoptr(GBytes) b = NULL;
    ZzImportResult res = { 0 };
    const char *p;
    guint lines = 0;

    g_assert_true (zz_bundle_unpack (d, len, &files, NULL, NULL));
    raw = zz_zstd_decompress (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), 1 << 20, NULL);
    for (p = g_bytes_get_data (raw, NULL); p < (const char *) g_bytes_get_data (raw, NULL) + g_bytes_get_size (raw); p++)
      lines += *p == '\n';
    b = signed_bundle (f, files.ops, g_bytes_get_size (raw), lines);
    zz_test_node_import (f->c, b, &res);
    g_assert_cmpuint (res.applied, ==, 3);   /* the three changes; the account is a placeholder */
    zz_import_result_clear (&res);
    zz_bundle_files_clear (&files);
  }
}

static la_ssize_t
write_cb (struct archive *a, void *data, const void *buf, size_t len)
{
  g_byte_array_append (data, buf, len);
  return len;
}

static GBytes *
tar_with (const char *const *names, const char *symlink_target)
{
  GByteArray *out = g_byte_array_new ();
  struct archive *a = archive_write_new ();

  archive_write_set_format_ustar (a);
  archive_write_open (a, out, NULL, write_cb, NULL);
  for (guint i = 0; names[i]; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      const char *body = "{}\n";

      archive_entry_set_pathname (e, names[i]);
      if (symlink_target && i == 0)
        {
          archive_entry_set_filetype (e, AE_IFLNK);
          archive_entry_set_symlink (e, symlink_target);
          archive_entry_set_size (e, 0);
        }
      else
        {
          archive_entry_set_filetype (e, AE_IFREG);
          archive_entry_set_size (e, strlen (body));
        }
      archive_entry_set_perm (e, 0644);
      archive_write_header (a, e);
      if (!(symlink_target && i == 0))
        archive_write_data (a, body, strlen (body));
      archive_entry_free (e);
    }
  archive_write_close (a);
  archive_write_free (a);
  return g_byte_array_free_to_bytes (out);
}

static void
test_path_traversal (Fixture *f, gconstpointer data)
{
  static const char *const evil1[] = { "../manifest.json", "manifest.json.minisig", "ops.jsonl.zst", NULL };
  static const char *const evil2[] = { "/tmp/zz-evil", "manifest.json", "manifest.json.minisig", "ops.jsonl.zst", NULL };
  static const char *const evil3[] = { "manifest.json", "manifest.json.minisig", "ops.jsonl.zst", "../../zz-evil", NULL };
  static const char *const evil4[] = { "manifest.json", "manifest.json", "manifest.json.minisig", "ops.jsonl.zst", NULL };
  static const char *const link[] = { "manifest.json", "manifest.json.minisig", "ops.jsonl.zst", NULL };
  const char *const *cases[] = { evil1, evil2, evil3, evil4 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) b = tar_with (cases[i], NULL);
      assert_refused (f, b);
    }
  {
    g_autoptr(GBytes) b = tar_with (link, "/etc/passwd");
    assert_refused (f, b);
  }
  g_assert_false (g_file_test ("/tmp/zz-evil", G_FILE_TEST_EXISTS));
  assert_unchanged (f);
}


/* ---- archive fields out of range: a crafted file gives an error, never an abort ---- */

/* The genuine bundle's three members written again by libarchive in @format with @mtime. */
static GBytes *
rewritten (Fixture *f, int format, gint64 mtime)
{
  ZzBundleFiles files = { 0 };
  gsize len;
  const guint8 *data = g_bytes_get_data (f->bundle, &len);
  GBytes *members[3];
  static const char *names[3] = { ZZ_BUNDLE_MANIFEST, ZZ_BUNDLE_SIGNATURE, ZZ_BUNDLE_OPS };
  GByteArray *out = g_byte_array_new ();
  struct archive *a = archive_write_new ();

  g_assert_true (zz_bundle_unpack (data, len, &files, NULL, NULL));
  members[0] = files.manifest;
  members[1] = files.signature;
  members[2] = files.ops;
  g_assert_cmpint (archive_write_set_format (a, format), ==, ARCHIVE_OK);
  archive_write_set_bytes_per_block (a, 512);
  archive_write_set_bytes_in_last_block (a, 1);
  g_assert_cmpint (archive_write_open (a, out, NULL, write_cb, NULL), ==, ARCHIVE_OK);
  for (guint i = 0; i < 3; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      gsize n;
      const void *body = g_bytes_get_data (members[i], &n);

      archive_entry_set_pathname (e, names[i]);
      archive_entry_set_filetype (e, AE_IFREG);
      archive_entry_set_perm (e, 0644);
      archive_entry_set_size (e, n);
      archive_entry_set_mtime (e, mtime, 0);
      g_assert_cmpint (archive_write_header (a, e), >=, ARCHIVE_WARN);
      g_assert_cmpint (archive_write_data (a, body, n), ==, (la_ssize_t) n);
      archive_entry_free (e);
    }
  archive_write_close (a);
  archive_write_free (a);
  zz_bundle_files_clear (&files);
  return g_byte_array_free_to_bytes (out);
}

/* The genuine bundle with the manifest's header time in base-256 (the GNU form for values an
 * octal field cannot hold), its header checksum made right again. */
static GBytes *
base256_mtime (Fixture *f, gint64 mtime)
{
  gsize len = g_bytes_get_size (f->bundle);
  g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (f->bundle, NULL), len);
  guint64 v = (guint64) mtime;
  guint sum = 0;

  g_assert_cmpstr ((const char *) d, ==, ZZ_BUNDLE_MANIFEST);
  /* mtime: 12 bytes at 136; a first byte with the high bit set, then the two's complement value */
  for (int i = 11; i >= 1; i--, v >>= 8)
    d[136 + i] = v & 0xff;
  d[136] = mtime < 0 ? 0xff : 0x80;
  memset (d + 148, ' ', 8);
  for (guint i = 0; i < 512; i++)
    sum += d[i];
  g_snprintf ((char *) d + 148, 8, "%06o", sum);
  d[155] = ' ';
  return g_bytes_new (d, len);
}

static void
assert_refused_everywhere (Fixture *f, GBytes *b, const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->c->dir, "crafted.zzb", NULL);

  ZzImportResult res = { 0 };

  /* refused with the reason, before any signature is looked at */
  g_assert_true (zz_sync_import_bytes (f->c->store, b, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.refused);
  g_assert_cmpuint (res.applied, ==, 0);
  g_test_message ("refused: %s", res.reason);
  if (reason && !strstr (res.reason, reason))
    g_error ("refused for another reason: %s", res.reason);
  zz_import_result_clear (&res);
  g_assert_false (zz_sync_verify_bytes (f->c->store, b, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL));
  g_assert_false (zz_sync_verify_file (f->c->store, path, &error));
  g_assert_nonnull (error);
  g_unlink (path);
}

static void
test_archive_times (Fixture *f, gconstpointer data)
{
  const gint64 too_late = (gint64) 1 << 33;   /* 8^11 s: one more than a ustar field holds */
  const gint64 times[] = { -1, -((gint64) 1 << 40), too_late, G_MAXINT64 / 2 };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GBytes) pax = rewritten (f, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, times[i]);
      g_autoptr(GBytes) gnu = rewritten (f, ARCHIVE_FORMAT_TAR_GNUTAR, times[i]);
      g_autoptr(GBytes) b256 = base256_mtime (f, times[i]);

      g_test_message ("mtime %" G_GINT64_FORMAT, times[i]);
      assert_refused_everywhere (f, pax, NULL);
      assert_refused_everywhere (f, gnu, NULL);
      assert_refused_everywhere (f, b256, "time outside");
    }
  /* the genuine bundle still verifies */
  g_assert_true (zz_sync_verify_bytes (f->c->store, f->bundle, NULL, NULL));
  assert_unchanged (f);
}

/* An empty payload decompresses to a buffer that still points somewhere: the reader walks it as
 * [data, data + 0), and a bundle of no ops is refused as declaring no lines, not read off NULL. */
static void
test_empty_payload (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) ops = zz_zstd_compress ("", 0, 3);
  g_autoptr(GBytes) raw = zz_zstd_decompress (g_bytes_get_data (ops, NULL), g_bytes_get_size (ops), 1024, NULL);
  g_autoptr(GBytes) b = signed_bundle (f, ops, 0, 0);
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (raw);
  g_assert_cmpuint (g_bytes_get_size (raw), ==, 0);
  g_assert_nonnull (g_bytes_get_data (raw, NULL));
  g_assert_true (zz_sync_import_bytes (f->c->store, b, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (res.applied, ==, 0);
  zz_import_result_clear (&res);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/tamper/every-byte", Fixture, NULL, fixture_setup, test_every_byte, fixture_teardown);
  g_test_add ("/sync/tamper/truncated", Fixture, NULL, fixture_setup, test_truncated, fixture_teardown);
  g_test_add ("/sync/tamper/every-byte-encrypted", Fixture, "2", fixture_setup, test_every_byte, fixture_teardown);
  g_test_add ("/sync/tamper/truncated-encrypted", Fixture, "2", fixture_setup, test_truncated, fixture_teardown);
  g_test_add ("/sync/tamper/oversized", Fixture, NULL, fixture_setup, test_oversized, fixture_teardown);
  g_test_add ("/sync/tamper/zip-bomb", Fixture, NULL, fixture_setup, test_zip_bomb, fixture_teardown);
  g_test_add ("/sync/tamper/path-traversal", Fixture, NULL, fixture_setup, test_path_traversal, fixture_teardown);
  g_test_add ("/sync/tamper/archive-times", Fixture, NULL, fixture_setup, test_archive_times, fixture_teardown);
  g_test_add ("/sync/tamper/empty-payload", Fixture, NULL, fixture_setup, test_empty_payload, fixture_teardown);
  return g_test_run ();
}
