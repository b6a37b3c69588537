/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "zz-age.h"
#include "zz-bundle.h"
#include "zz-op.h"
#include "zz-store-private.h"
#include "zz-sync.h"
#include "zz-fuzz.h"

#define COUNTY   "433122"
#define TOWNSHIP "433122102"

/* C's age identity, for decoding the township's encrypted bundles */
static const guint8 *county_identity;

/* ---- a deterministic random source ---- */

static guint64 random_counter;

static void
det_buf (void *buf, size_t n)
{
  unsigned char seed[randombytes_SEEDBYTES] = "zongzhi fuzz fixed random seed";

  memcpy (seed + randombytes_SEEDBYTES - sizeof random_counter, &random_counter, sizeof random_counter);
  random_counter++;
  randombytes_buf_deterministic (buf, n, seed);
}

static uint32_t
det_random (void)
{
  uint32_t r;

  det_buf (&r, sizeof r);
  return r;
}

static const char *
det_name (void)
{
  return "zz-fuzz-deterministic";
}

static randombytes_implementation det_impl = {
  .implementation_name = det_name,
  .random = det_random,
  .buf = det_buf,
};

void
zz_fuzz_reset_random (void)
{
  random_counter = 1u << 20;
}

static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  /* criticals are bugs: let them through (and abort); the rest is noise here */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_standard_streams (level, fields, n_fields, data);
  return G_LOG_WRITER_HANDLED;
}

void
zz_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  randombytes_set_implementation (&det_impl);
  g_assert (sodium_init () >= 0);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!g_getenv ("ZZ_DATADIR"))
    g_setenv ("ZZ_DATADIR", SOURCE_DATADIR, TRUE);
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
}

static GPtrArray *tmpdirs;

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (path, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        rm_rf (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}

static void
remove_tmpdirs (void)
{
  for (guint i = 0; tmpdirs && i < tmpdirs->len; i++)
    rm_rf (tmpdirs->pdata[i]);
}

/* Removed at exit (a crash leaves them for the post-mortem). */
char *
zz_fuzz_tmpdir (void)
{
  g_autofree char *tmpl = NULL;
  char *dir;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    tmpl = g_strdup ("/dev/shm/zz-fuzz-XXXXXX");
  else
    tmpl = g_build_filename (g_get_tmp_dir (), "zz-fuzz-XXXXXX", NULL);
  dir = g_mkdtemp (g_steal_pointer (&tmpl));
  g_assert (dir != NULL);
  if (!tmpdirs)
    {
      tmpdirs = g_ptr_array_new ();
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

void
zz_fuzz_write_seed (const char *name, const void *data, gsize len)
{
  const char *dir = g_getenv ("ZZ_FUZZ_WRITE_SEEDS");
  g_autofree char *path = NULL;

  if (!dir)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert (g_file_set_contents (path, data, len, NULL));
}

/* ---- stores reset to a pristine image ---- */

struct _ZzFuzzStore {
  char *path;
  char *login;
  char *image;
  gsize image_len;
  ZzStore *store;
  gboolean dirty;
};

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
open_store (ZzFuzzStore *fs)
{
  g_autoptr(GError) error = NULL;

  fs->store = zz_store_open (fs->path, &error);
  g_assert_no_error (error);
  zz_store_set_now (fs->store, ZZ_FUZZ_NOW);
  if (fs->login)
    g_assert (zz_store_act_as (fs->store, fs->login, &error));
}

ZzFuzzStore *
zz_fuzz_store_adopt (ZzStore *store, const char *path, const char *login)
{
  ZzFuzzStore *fs = g_new0 (ZzFuzzStore, 1);
  g_autofree char *dir = zz_fuzz_tmpdir ();
  g_autofree char *key = g_strconcat (path, ".key", NULL);
  g_autofree char *key_copy = NULL;
  g_autofree char *key_data = NULL;
  gsize key_len = 0;

  g_object_unref (store);   /* closed: the WAL is checkpointed into the file */
  fs->path = g_build_filename (dir, "zongzhi.db", NULL);
  fs->login = g_strdup (login);
  g_assert (g_file_get_contents (path, &fs->image, &fs->image_len, NULL));
  if (g_file_get_contents (key, &key_data, &key_len, NULL))
    {
      key_copy = g_strconcat (fs->path, ".key", NULL);
      g_assert (g_file_set_contents (key_copy, key_data, key_len, NULL));
    }
  g_assert (g_file_set_contents (fs->path, fs->image, fs->image_len, NULL));
  open_store (fs);
  return fs;
}

ZzStore *
zz_fuzz_store_get (ZzFuzzStore *fs)
{
  if (fs->dirty)
    {
      g_clear_object (&fs->store);
      remove_db (fs->path);
      g_assert (g_file_set_contents (fs->path, fs->image, fs->image_len, NULL));
      open_store (fs);
      fs->dirty = FALSE;
    }
  return fs->store;
}

void
zz_fuzz_store_dirty (ZzFuzzStore *fs)
{
  fs->dirty = TRUE;
}

/* ---- sync nodes ---- */

static ZzStore *
new_node (const char *dir, const char *unit, const char *name, char **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *divisions = g_build_filename (zz_data_dir (), "divisions", NULL);
  char *path = g_build_filename (dir, unit, NULL);
  ZzStore *store;

  g_mkdir_with_parents (path, 0700);
  g_free (path);
  path = g_build_filename (dir, unit, "zongzhi.db", NULL);
  store = zz_store_open (path, &error);
  g_assert_no_error (error);
  zz_store_set_now (store, ZZ_FUZZ_NOW);
  g_assert (zz_store_import_divisions (store, divisions, COUNTY, NULL, NULL, NULL, NULL, &error));
  g_assert (zz_store_setup_node (store, unit, name, "admin", "管理员", "Admin2024", &error));
  g_assert (zz_store_act_as (store, "admin", &error));
  *out_path = path;
  return store;
}

static void
trust (ZzStore *store, ZzStore *root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pub = zz_sync_public_key_file (root);
  g_autofree char *fp = zz_store_get_fingerprint (root);

  g_assert (zz_sync_trust_root (store, pub, fp, &error));
}

static void
send (ZzStore *from, ZzStore *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) b = zz_sync_export_bytes (from, zz_store_get_node_id (to), NULL, &error);
  ZzImportResult res = { 0 };

  g_assert (b != NULL);
  g_assert (zz_sync_import_bytes (to, b, &res, &error));
  g_assert (!res.refused && !res.quarantined);
  zz_import_result_clear (&res);
}

ZzFuzzSync *
zz_fuzz_sync_get (void)
{
  static ZzFuzzSync *sync;
  g_autofree char *dir = NULL;
  g_autofree char *c_path = NULL;
  g_autofree char *t_path = NULL;
  g_autoptr(GError) error = NULL;
  ZzStore *c, *t;

  if (sync)
    return sync;
  zz_fuzz_init ();
  zz_fuzz_reset_random ();
  dir = zz_fuzz_tmpdir ();
  c = new_node (dir, COUNTY, "泸溪县综治中心", &c_path);
  t = new_node (dir, TOWNSHIP, "达岚镇综治中心", &t_path);
  trust (c, c);
  trust (t, c);
  {
    g_autofree char *pub = zz_sync_public_key_file (t);
    g_assert (zz_sync_enrol (c, pub, NULL, &error));
  }
  send (c, t);
  g_assert (zz_sync_simulate (t, 12, 1, NULL, &error));
  sync = g_new0 (ZzFuzzSync, 1);
  sync->township = t;
  /* the county's bundle said it reads format 2: the township's is encrypted for it */
  sync->bundle = zz_sync_export_bytes (t, zz_store_get_node_id (c), NULL, &error);
  g_assert (sync->bundle != NULL);
  {
    ZzExportOptions one = { .format = 1 };
    sync->plain = zz_sync_export_bytes_with (t, zz_store_get_node_id (c), &one, NULL, &error);
    g_assert (sync->plain != NULL);
  }
  g_assert (zz_age_x25519_public_from_ed25519 (c->public_key, sync->county_x25519));
  zz_age_x25519_secret_from_ed25519 (c->secret_key, sync->county_identity);
  county_identity = sync->county_identity;
  sync->county = zz_fuzz_store_adopt (c, c_path, "admin");
  /* Both ways in reach apply: the genuine bundle, and its decoded form encoded again. If the
   * bundle format changes, this says so at once (then update zz_fuzz_bundle_encode and write
   * the seeds again: ZZ_FUZZ_WRITE_SEEDS=tests/fuzz/corpus/<target> <target> -runs=0). */
  {
    g_autoptr(GBytes) text = zz_fuzz_bundle_decode (sync->bundle);
    g_autoptr(GBytes) again = zz_fuzz_bundle_encode (sync, g_bytes_get_data (text, NULL), g_bytes_get_size (text));
    g_autoptr(GBytes) sealed = zz_fuzz_bundle_decode_sealed (sync->bundle);
    g_autoptr(GBytes) resealed = zz_fuzz_bundle_encode (sync, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
    GBytes *both[4] = { sync->bundle, again, sync->plain, resealed };

    for (guint i = 0; i < 4; i++)
      {
        ZzImportResult res = { 0 };

        g_assert (both[i] != NULL);
        g_assert (zz_sync_import_bytes (zz_fuzz_store_get (sync->county), both[i], &res, &error));
        if (res.refused || res.applied == 0)
          g_error ("the %s seed bundle is not applied: %s",
                   (const char *[]) { "genuine", "re-encoded", "format 1", "re-sealed" }[i],
                   res.reason ? res.reason : "nothing new");
        zz_import_result_clear (&res);
        zz_fuzz_store_dirty (sync->county);
      }
  }
  return sync;
}

/* ---- the decoded form of a bundle ---- */

GBytes *
zz_fuzz_bundle_decode_sealed (GBytes *bundle)
{
  ZzBundleFiles files = { 0 };
  gsize len;
  const guint8 *data = g_bytes_get_data (bundle, &len);
  GString *out = g_string_new (NULL);

  g_assert (zz_bundle_unpack (data, len, &files, NULL, NULL));
  g_assert (files.encrypted);
  g_string_append_len (out, g_bytes_get_data (files.manifest, NULL), g_bytes_get_size (files.manifest));
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append_len (out, g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops));
  zz_bundle_files_clear (&files);
  return g_string_free_to_bytes (out);
}

GBytes *
zz_fuzz_bundle_decode (GBytes *bundle)
{
  ZzBundleFiles files = { 0 };
  gsize len;
  const guint8 *data = g_bytes_get_data (bundle, &len);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) zst = NULL;
  GString *out = g_string_new (NULL);

  g_assert (zz_bundle_unpack (data, len, &files, NULL, NULL));
  if (files.encrypted)
    zst = zz_age_decrypt (g_bytes_get_data (files.ops, NULL), g_bytes_get_size (files.ops), county_identity, NULL, 0, NULL);
  else
    zst = g_bytes_ref (files.ops);
  g_assert (zst != NULL);
  raw = zz_zstd_decompress (g_bytes_get_data (zst, NULL), g_bytes_get_size (zst), 64 << 20, NULL);
  g_assert (raw != NULL);
  g_string_append_len (out, g_bytes_get_data (files.manifest, NULL), g_bytes_get_size (files.manifest));
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append_len (out, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  zz_bundle_files_clear (&files);
  return g_string_free_to_bytes (out);
}

static char *
b64_encode (const guint8 *bin, gsize len)
{
  gsize n = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (n);

  sodium_bin2base64 (out, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

/* The body the receiver hashes: the elided prev written back, "#k" parents as line k's hash. */
static char *
restore_body (const char *line, gsize len, const guint8 *prev, guint8 (*hashes)[32], guint index)
{
  GString *out = g_string_sized_new (len + 128);
  const char *at = g_strstr_len (line, MIN (len, 256), ",\"p\":\"\"");
  const char *parents;
  char hex[65];

  if (!at)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  sodium_bin2hex (hex, sizeof hex, prev, 32);
  g_string_append_len (out, line, at - line + strlen (",\"p\":\""));
  g_string_append (out, hex);
  g_string_append_len (out, at + strlen (",\"p\":\""), line + len - (at + strlen (",\"p\":\"")));
  parents = g_strrstr (out->str, ",\"P\":[");
  if (parents)
    {
      GString *fixed = g_string_new_len (out->str, parents - out->str);
      const char *p = parents;

      while (*p)
        {
          if (p[0] == '"' && p[1] == '#' && g_ascii_isdigit (p[2]))
            {
              char *end;
              guint64 k = g_ascii_strtoull (p + 2, &end, 10);
              if (*end == '"' && k < index)
                {
                  sodium_bin2hex (hex, sizeof hex, hashes[k], 32);
                  g_string_append_printf (fixed, "\"%s\"", hex);
                  p = end + 1;
                  continue;
                }
            }
          g_string_append_c (fixed, *p++);
        }
      g_string_free (out, TRUE);
      out = fixed;
    }
  return g_string_free (out, FALSE);
}

/* A member's string value, or @def when absent or not a string (json-glib's own getters are
 * critical about the wrong type). */
static const char *
str_member (JsonObject *o, const char *name, const char *def)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return def;
}

static gboolean
int_member (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

/* The payload member described (file, size, hash; raw size and lines as the manifest has them),
 * the sender key set, the manifest signed by T and packed. */
static GBytes *
sign_and_pack (ZzStore *t, JsonNode *root, JsonObject *o, GBytes *member, gboolean encrypted)
{
  JsonNode *pn = json_object_get_member (o, "payload");
  JsonObject *payload;
  g_autoptr(GBytes) m = NULL;
  g_autoptr(GBytes) s = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *payload_hex = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *key = NULL;
  gint64 created = ZZ_FUZZ_NOW;
  guint8 hash[32];

  if (!pn || !JSON_NODE_HOLDS_OBJECT (pn))
    {
      payload = json_object_new ();
      json_object_set_object_member (o, "payload", payload);
    }
  else
    payload = json_node_get_object (pn);
  crypto_generichash (hash, sizeof hash, g_bytes_get_data (member, NULL), g_bytes_get_size (member), NULL, 0);
  payload_hex = zz_hex_encode (hash, sizeof hash);
  json_object_set_string_member (payload, "file", encrypted ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS);
  json_object_set_int_member (payload, "size", g_bytes_get_size (member));
  json_object_set_string_member (payload, "blake2b", payload_hex);
  key = b64_encode (t->public_key, sizeof t->public_key);
  json_object_set_string_member (o, "sender_key", key);
  if (!int_member (o, "created", &created) || created < 0 || created / 1000 > (gint64) 077777777777)
    {
      created = ZZ_FUZZ_NOW;
      json_object_set_int_member (o, "created", created);
    }
  manifest = json_to_string (root, FALSE);
  manifest = g_realloc (manifest, strlen (manifest) + 2);
  strcat (manifest, "\n");

  comment = g_strdup_printf ("zongzhi bundle sender=%s unit=%s recipient=%s created=%lld payload=%s",
                             str_member (o, "sender", "(null)"), str_member (o, "sender_unit", "(null)"),
                             str_member (o, "recipient", "all"), (long long) created, payload_hex);
  if (strchr (comment, '\n') || strlen (manifest) > ZZ_BUNDLE_MAX_MANIFEST
      || g_bytes_get_size (member) > ZZ_BUNDLE_MAX_SIZE)
    return NULL;
  sig = zz_minisign_sign (t->secret_key, t->public_key, manifest, strlen (manifest), comment);
  if (strlen (sig) > ZZ_BUNDLE_MAX_SIGNATURE)
    return NULL;
  m = g_bytes_new (manifest, strlen (manifest));
  s = g_bytes_new (sig, strlen (sig));
  return zz_bundle_pack_named (m, s, member, encrypted ? ZZ_BUNDLE_OPS_AGE : ZZ_BUNDLE_OPS, created / 1000);
}

GBytes *
zz_fuzz_bundle_encode (ZzFuzzSync *sync, const char *text, gsize len)
{
  ZzStore *t = sync->township;
  const char *nl = memchr (text, '\n', len);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autoptr(GArray) lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autofree guint8 *hash_buf = NULL;
  guint8 (*hashes)[32];
  g_autoptr(GBytes) ops = NULL;
  JsonNode *root;
  JsonObject *o, *payload;
  JsonNode *segs;
  const char *p, *end;
  guint base = 0;
  g_autoptr(GBytes) member = NULL;
  gboolean encrypt;

  if (!nl || !json_parser_load_from_data (parser, text, nl - text, NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  /* the encrypted member as it is: the age layer mutated under a valid signature */
  if (zz_age_has_header (nl + 1, text + len - (nl + 1)))
    {
      member = g_bytes_new (nl + 1, text + len - (nl + 1));
      return sign_and_pack (t, root, o, member, TRUE);
    }
  {
    gint64 needs = 0;
    encrypt = int_member (o, "needs", &needs) && needs == 2;
  }

  /* the op lines, as they are (an unterminated last line is the receiver's to refuse) */
  p = nl + 1;
  end = text + len;
  g_string_append_len (raw, p, end - p);
  while (p < end)
    {
      const char *e = memchr (p, '\n', end - p);
      gsize l = (e ? e : end) - p;
      g_ptr_array_add (lines, (gpointer) p);
      g_array_append_val (lens, l);
      p = e ? e + 1 : end;
    }
  hash_buf = g_malloc0 (32 * (lines->len + 1));
  hashes = (guint8 (*)[32]) hash_buf;

  /* T's segments: chained, headed and signed afresh */
  segs = json_object_get_member (o, "segments");
  if (segs && JSON_NODE_HOLDS_ARRAY (segs))
    {
      JsonArray *a = json_node_get_array (segs);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *sn = json_array_get_element (a, i);
          JsonObject *so;
          gint64 from, to, n;
          guint8 prev[32];
          const char *prev_hex;
          gboolean ok = TRUE;

          if (!JSON_NODE_HOLDS_OBJECT (sn))
            break;
          so = json_node_get_object (sn);
          if (!int_member (so, "from", &from) || !int_member (so, "to", &to))
            break;
          if (to < from || to - from >= (gint64) lines->len || base + (to - from + 1) > lines->len)
            break;
          n = to - from + 1;
          prev_hex = str_member (so, "prev", NULL);
          if (!prev_hex || strlen (prev_hex) != 64 || !zz_op_hex_to_hash (prev_hex, 64, prev))
            ok = FALSE;
          for (gint64 k = 0; ok && k < n; k++)
            {
              guint idx = base + k;
              const char *line = lines->pdata[idx];
              gsize l = g_array_index (lens, gsize, idx);
              g_autofree char *body = NULL;

              /* (the input is not NUL-terminated: every look is bounded by the line) */
              if (l >= strlen ("{\"stub\":") && memcmp (line, "{\"stub\":", strlen ("{\"stub\":")) == 0)
                {
                  /* a placeholder carries its op's hash */
                  const char *x = g_strstr_len (line, l, "\"x\":\"");
                  if (!x || x + 5 + 64 > line + l || !zz_op_hex_to_hash (x + 5, 64, hashes[idx]))
                    ok = FALSE;
                  continue;
                }
              body = restore_body (line, l, k ? hashes[idx - 1] : prev, hashes, idx);
              if (!body)
                {
                  ok = FALSE;
                  break;
                }
              crypto_generichash (hashes[idx], 32, (const guchar *) body, strlen (body), NULL, 0);
            }
          if (ok && g_strcmp0 (str_member (so, "origin", ""), zz_store_get_node_id (t)) == 0)
            {
              g_autofree char *head_hex = zz_hex_encode (hashes[base + n - 1], 32);
              g_autofree char *msg = g_strdup_printf ("zongzhi-head\n%s\n%lld\n%s", zz_store_get_node_id (t),
                                                      (long long) to, head_hex);
              guint8 hs[crypto_sign_BYTES];
              g_autofree char *hs64 = NULL;

              crypto_sign_detached (hs, NULL, (const guint8 *) msg, strlen (msg), t->secret_key);
              hs64 = b64_encode (hs, sizeof hs);
              json_object_set_string_member (so, "head", head_hex);
              json_object_set_string_member (so, "head_sig", hs64);
            }
          base += n;
        }
    }

  /* the payload: compressed, and encrypted for C when the manifest needs format 2 */
  ops = zz_zstd_compress (raw->str, raw->len, 1);
  if (encrypt)
    {
      member = zz_age_encrypt (g_bytes_get_data (ops, NULL), g_bytes_get_size (ops),
                               (const guint8 (*)[ZZ_AGE_KEY_BYTES]) sync->county_x25519, 1, NULL, 0, NULL);
      g_assert (member != NULL);
    }
  else
    member = g_bytes_ref (ops);
  payload = json_object_new ();
  json_object_set_int_member (payload, "raw_size", raw->len);
  json_object_set_int_member (payload, "lines", lines->len);
  json_object_set_object_member (o, "payload", payload);
  return sign_and_pack (t, root, o, member, encrypt);
}
