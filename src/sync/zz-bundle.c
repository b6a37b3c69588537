/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-sync"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <zstd.h>

#include "zz-bundle.h"
#include "zz-error.h"

#define UNTRUSTED_SIG "untrusted comment: zongzhi bundle manifest signature"

void
zz_bundle_files_clear (ZzBundleFiles *files)
{
  g_clear_pointer (&files->manifest, g_bytes_unref);
  g_clear_pointer (&files->signature, g_bytes_unref);
  g_clear_pointer (&files->ops, g_bytes_unref);
}

/* ---- tar ---- */

static la_ssize_t
write_cb (struct archive *a, void *data, const void *buf, size_t len)
{
  g_byte_array_append (data, buf, len);
  return len;
}

static gboolean
add_member (struct archive *a, const char *name, GBytes *bytes, gint64 mtime_s)
{
  struct archive_entry *e = archive_entry_new ();
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  gboolean ok;

  archive_entry_set_pathname (e, name);
  archive_entry_set_filetype (e, AE_IFREG);
  archive_entry_set_perm (e, 0644);
  archive_entry_set_size (e, len);
  archive_entry_set_mtime (e, mtime_s, 0);
  archive_entry_set_uid (e, 0);
  archive_entry_set_gid (e, 0);
  ok = archive_write_header (a, e) == ARCHIVE_OK
       && (len == 0 || archive_write_data (a, data, len) == (la_ssize_t) len);
  archive_entry_free (e);
  return ok;
}

/* The widest time a ustar header holds: 11 octal digits. */
#define USTAR_MAX_MTIME ((gint64) 077777777777)

/* NULL when the members cannot be written in the canonical form (a time outside the ustar
 * range, a member too large): the reader calls it on what a file declares. */
static GBytes *
pack_checked (GBytes *manifest, GBytes *signature, GBytes *ops, const char *ops_name, gint64 mtime_s)
{
  GByteArray *out;
  struct archive *a;
  gboolean ok;

  if (mtime_s < 0 || mtime_s > USTAR_MAX_MTIME
      || g_bytes_get_size (manifest) > ZZ_BUNDLE_MAX_MANIFEST
      || g_bytes_get_size (signature) > ZZ_BUNDLE_MAX_SIGNATURE
      || g_bytes_get_size (ops) > ZZ_BUNDLE_MAX_SIZE)
    return NULL;
  out = g_byte_array_new ();
  a = archive_write_new ();

  archive_write_set_format_ustar (a);
  archive_write_add_filter_none (a);
  archive_write_set_bytes_per_block (a, 512);
  archive_write_set_bytes_in_last_block (a, 1);
  ok = archive_write_open (a, out, NULL, write_cb, NULL) == ARCHIVE_OK
       && add_member (a, ZZ_BUNDLE_MANIFEST, manifest, mtime_s)
       && add_member (a, ZZ_BUNDLE_SIGNATURE, signature, mtime_s)
       && add_member (a, ops_name, ops, mtime_s)
       && archive_write_close (a) == ARCHIVE_OK;
  archive_write_free (a);
  if (!ok)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
zz_bundle_pack_named (GBytes *manifest, GBytes *signature, GBytes *ops, const char *ops_name, gint64 mtime_s)
{
  GBytes *out = pack_checked (manifest, signature, ops, ops_name, mtime_s);

  g_assert (out != NULL);   /* the writer's own members and clock */
  return out;
}

GBytes *
zz_bundle_pack (GBytes *manifest, GBytes *signature, GBytes *ops, gint64 mtime_s)
{
  return zz_bundle_pack_named (manifest, signature, ops, ZZ_BUNDLE_OPS, mtime_s);
}

static gboolean
refuse (GError **error, const char *message)
{
  g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_FORMAT, message);
  return FALSE;
}

gboolean
zz_bundle_unpack (const guint8 *data, gsize len, ZzBundleFiles *out, gint64 *out_mtime_s,
                  GError **error)
{
  struct archive *a;
  struct archive_entry *e;
  GBytes *members[3] = { NULL, NULL, NULL };
  const char *names[3] = { ZZ_BUNDLE_MANIFEST, ZZ_BUNDLE_SIGNATURE, ZZ_BUNDLE_OPS };
  gboolean encrypted = FALSE;
  const gsize limits[3] = { ZZ_BUNDLE_MAX_MANIFEST, ZZ_BUNDLE_MAX_SIGNATURE, ZZ_BUNDLE_MAX_SIZE };
  gint64 mtime = 0;
  int rc, count = 0;
  gboolean ok = FALSE;

  memset (out, 0, sizeof *out);
  if (len > ZZ_BUNDLE_MAX_SIZE)
    return refuse (error, _("The bundle is larger than any bundle this program accepts."));
  if (len < 1024)
    return refuse (error, _("The file is not a sync bundle (too short)."));

  a = archive_read_new ();
  archive_read_support_format_tar (a);   /* no compression filter: the file itself is plain tar */
  if (archive_read_open_memory (a, data, len) != ARCHIVE_OK)
    {
      refuse (error, _("The file is not a sync bundle (not a tar archive)."));
      goto out;
    }
  while ((rc = archive_read_next_header (a, &e)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (e);
      gint64 size = archive_entry_size (e);
      int which = -1;
      guint8 *buf;
      gsize got = 0;

      for (int i = 0; i < 3; i++)
        if (name && strcmp (name, names[i]) == 0)
          which = i;
      if (which < 0 && name && strcmp (name, ZZ_BUNDLE_OPS_AGE) == 0 && !members[2])
        {
          /* format 2: the ops encrypted */
          which = 2;
          encrypted = TRUE;
          names[2] = ZZ_BUNDLE_OPS_AGE;
        }
      if (which < 0)
        {
          refuse (error, _("The bundle holds an unexpected member (only the manifest, its signature and the ops may be inside)."));
          goto out;
        }
      if (members[which] || ++count > 3)
        {
          refuse (error, _("The bundle holds a member twice."));
          goto out;
        }
      if (archive_entry_filetype (e) != AE_IFREG || !archive_entry_size_is_set (e)
          || archive_entry_hardlink (e) || archive_entry_symlink (e))
        {
          refuse (error, _("A bundle member is not a plain file."));
          goto out;
        }
      if (size < 0 || (guint64) size > limits[which])
        {
          refuse (error, _("A bundle member is larger than allowed."));
          goto out;
        }
      buf = g_malloc (size + 1);
      while (got < (gsize) size)
        {
          la_ssize_t n = archive_read_data (a, buf + got, size - got);
          if (n <= 0)
            break;
          got += n;
        }
      if (got != (gsize) size)
        {
          g_free (buf);
          refuse (error, _("The bundle is truncated."));
          goto out;
        }
      buf[size] = 0;
      members[which] = g_bytes_new_take (buf, size);
      /* Every header field is range-checked before use; the canonical comparison below then
       * catches any other difference. */
      if (!archive_entry_mtime_is_set (e) || archive_entry_mtime (e) < 0
          || archive_entry_mtime (e) > USTAR_MAX_MTIME)
        {
          refuse (error, _("A bundle member has a time outside the range of the archive format."));
          goto out;
        }
      if (which == 0)
        mtime = archive_entry_mtime (e);
    }
  if (rc != ARCHIVE_EOF)
    {
      refuse (error, _("The bundle is damaged or truncated."));
      goto out;
    }
  if (!members[0] || !members[1] || !members[2])
    {
      refuse (error, _("The bundle lacks its manifest, signature or ops."));
      goto out;
    }
  /* Canonical form: written again, the members must give back the very same bytes. */
  {
    g_autoptr(GBytes) again = pack_checked (members[0], members[1], members[2], names[2], mtime);
    gsize again_len = 0;
    const void *again_data = again ? g_bytes_get_data (again, &again_len) : NULL;

    if (!again || again_len != len || memcmp (again_data, data, len) != 0)
      {
        refuse (error, _("The bundle has been altered: its archive is not in the form this program writes."));
        goto out;
      }
  }
  out->manifest = g_steal_pointer (&members[0]);
  out->signature = g_steal_pointer (&members[1]);
  out->ops = g_steal_pointer (&members[2]);
  out->encrypted = encrypted;
  if (out_mtime_s)
    *out_mtime_s = mtime;
  ok = TRUE;

out:
  archive_read_free (a);
  for (int i = 0; i < 3; i++)
    g_clear_pointer (&members[i], g_bytes_unref);
  return ok;
}

/* Reads only the first member, when it is the manifest: nothing in it is trusted, it only names
 * the format a refusal asks for. */
int
zz_bundle_peek_needs (const guint8 *data, gsize len, char **out_writer)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *e;
  int needs = 0;

  if (out_writer)
    *out_writer = NULL;
  archive_read_support_format_tar (a);
  if (len <= ZZ_BUNDLE_MAX_SIZE && archive_read_open_memory (a, data, len) == ARCHIVE_OK
      && archive_read_next_header (a, &e) == ARCHIVE_OK
      && g_strcmp0 (archive_entry_pathname (e), ZZ_BUNDLE_MANIFEST) == 0
      && archive_entry_size (e) > 0 && archive_entry_size (e) <= ZZ_BUNDLE_MAX_MANIFEST)
    {
      gsize size = archive_entry_size (e), got = 0;
      g_autofree char *buf = g_malloc (size + 1);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonNode *root, *n;
      JsonObject *m;

      while (got < size)
        {
          la_ssize_t r = archive_read_data (a, buf + got, size - got);
          if (r <= 0)
            break;
          got += r;
        }
      if (got == size && json_parser_load_from_data (parser, buf, size, NULL)
          && (root = json_parser_get_root (parser)) && JSON_NODE_HOLDS_OBJECT (root))
        {
          m = json_node_get_object (root);
          n = json_object_get_member (m, "needs");
          if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
            needs = (int) CLAMP (json_node_get_int (n), 0, G_MAXINT);
          n = json_object_get_member (m, "writer");
          if (out_writer && n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
              && strlen (json_node_get_string (n)) <= 32)
            *out_writer = g_strdup (json_node_get_string (n));
        }
    }
  archive_read_free (a);
  return needs;
}

/* ---- zstd ---- */

GBytes *
zz_zstd_compress (const void *data, gsize len, int level)
{
  gsize cap = ZSTD_compressBound (len);
  guint8 *buf = g_malloc (cap);
  ZSTD_CCtx *cctx = ZSTD_createCCtx ();
  size_t n;

  ZSTD_CCtx_setParameter (cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter (cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter (cctx, ZSTD_c_nbWorkers, 0);
  if (len > (1 << 20))
    {
      /* a parent op's hash reappears far back in the stream: let long matches find it (the
       * window stays within what `zstd -d` accepts by default) */
      ZSTD_CCtx_setParameter (cctx, ZSTD_c_enableLongDistanceMatching, 1);
      ZSTD_CCtx_setParameter (cctx, ZSTD_c_windowLog, 27);
    }
  n = ZSTD_compress2 (cctx, buf, cap, data, len);
  ZSTD_freeCCtx (cctx);
  g_assert (!ZSTD_isError (n));
  return g_bytes_new_take (g_realloc (buf, MAX (n, 1)), n);
}

/* Empty output still points somewhere: a reader may walk it as [data, data + 0). */
static GBytes *
output_bytes (GByteArray *out)
{
  if (out->len == 0)
    {
      g_byte_array_unref (out);
      return g_bytes_new_static ("", 0);
    }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
zz_zstd_decompress (const void *data, gsize len, gsize max, GError **error)
{
  ZSTD_DStream *ds = ZSTD_createDStream ();
  ZSTD_inBuffer in = { data, len, 0 };
  GByteArray *out = g_byte_array_new ();
  gsize chunk = ZSTD_DStreamOutSize ();
  size_t rc = 1;
  unsigned long long declared = ZSTD_getFrameContentSize (data, len);

  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared > max)
    goto bomb;
  ZSTD_DCtx_setParameter (ds, ZSTD_d_windowLogMax, 27);
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR
      && ZSTD_findFrameCompressedSize (data, len) == len)
    {
      /* one frame of known size: decompressed in one go into a buffer of exactly that size */
      g_byte_array_set_size (out, declared);
      rc = ZSTD_decompressDCtx (ds, out->data, declared, data, len);
      if (ZSTD_isError (rc) || rc != declared)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The ops in the bundle cannot be decompressed (%s)."),
                       ZSTD_isError (rc) ? ZSTD_getErrorName (rc) : "size");
          goto fail;
        }
      ZSTD_freeDStream (ds);
      return output_bytes (out);
    }
  while (in.pos < in.size)
    {
      ZSTD_outBuffer o;

      if (out->len + chunk > max + chunk)
        goto bomb;
      g_byte_array_set_size (out, out->len + chunk);
      o.dst = out->data + out->len - chunk;
      o.size = chunk;
      o.pos = 0;
      rc = ZSTD_decompressStream (ds, &o, &in);
      g_byte_array_set_size (out, out->len - chunk + o.pos);
      if (ZSTD_isError (rc))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The ops in the bundle cannot be decompressed (%s)."),
                       ZSTD_getErrorName (rc));
          goto fail;
        }
      if (out->len > max)
        goto bomb;
      if (rc == 0 && in.pos < in.size)
        {
          /* one frame only: no trailing bytes */
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The ops in the bundle have trailing data."));
          goto fail;
        }
    }
  if (rc != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The ops in the bundle are truncated."));
      goto fail;
    }
  ZSTD_freeDStream (ds);
  return output_bytes (out);

bomb:
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
               _("The ops in the bundle decompress to more than allowed (a compression bomb?)."));
fail:
  ZSTD_freeDStream (ds);
  g_byte_array_unref (out);
  return NULL;
}

/* ---- minisign ---- */

void
zz_minisign_key_id (const guint8 *pk, guint8 *key_id)
{
  guint8 h[32];

  crypto_generichash (h, sizeof h, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
  memcpy (key_id, h, ZZ_KEY_ID_BYTES);
}

char *
zz_key_fingerprint (const guint8 *pk)
{
  guint8 digest[16];
  GString *s = g_string_new (NULL);

  crypto_generichash (digest, sizeof digest, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
  for (guint i = 0; i < sizeof digest; i += 2)
    g_string_append_printf (s, "%s%02X%02X", i ? " " : "", digest[i], digest[i + 1]);
  return g_string_free (s, FALSE);
}

static char *
b64 (const guint8 *bin, gsize len)
{
  gsize n = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc (n);

  sodium_bin2base64 (out, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

/* Decodes exactly @expect bytes; the text must be the one canonical spelling. */
static gboolean
unb64 (const char *text, gsize text_len, guint8 *out, gsize expect)
{
  gsize got = 0;
  g_autofree char *again = NULL;

  if (sodium_base642bin (out, expect, text, text_len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0
      || got != expect)
    return FALSE;
  again = b64 (out, expect);
  return strlen (again) == text_len && memcmp (again, text, text_len) == 0;
}

char *
zz_minisign_public_key (const guint8 *pk, const char *comment)
{
  guint8 raw[2 + ZZ_KEY_ID_BYTES + crypto_sign_PUBLICKEYBYTES];
  g_autofree char *line = NULL;

  raw[0] = 'E';
  raw[1] = 'd';
  zz_minisign_key_id (pk, raw + 2);
  memcpy (raw + 2 + ZZ_KEY_ID_BYTES, pk, crypto_sign_PUBLICKEYBYTES);
  line = b64 (raw, sizeof raw);
  return g_strdup_printf ("untrusted comment: %s\n%s\n", comment, line);
}

gboolean
zz_minisign_read_public_key (const char *text, guint8 *pk, char **out_comment, GError **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", 4);
  const char *line = NULL;
  guint8 raw[2 + ZZ_KEY_ID_BYTES + crypto_sign_PUBLICKEYBYTES];
  guint8 id[ZZ_KEY_ID_BYTES];
  g_autofree char *stripped = NULL;

  if (lines[0] && g_str_has_prefix (lines[0], "untrusted comment: ") && lines[1])
    {
      line = lines[1];
      if (out_comment)
        *out_comment = g_strdup (lines[0] + strlen ("untrusted comment: "));
    }
  else
    {
      line = lines[0];
      if (out_comment)
        *out_comment = NULL;
    }
  stripped = g_strstrip (g_strdup (line ? line : ""));
  if (!unb64 (stripped, strlen (stripped), raw, sizeof raw) || raw[0] != 'E' || raw[1] != 'd')
    {
      if (out_comment)
        g_clear_pointer (out_comment, g_free);
      return refuse (error, _("This is not a node public key."));
    }
  memcpy (pk, raw + 2 + ZZ_KEY_ID_BYTES, crypto_sign_PUBLICKEYBYTES);
  zz_minisign_key_id (pk, id);
  if (memcmp (id, raw + 2, ZZ_KEY_ID_BYTES) != 0)
    {
      if (out_comment)
        g_clear_pointer (out_comment, g_free);
      return refuse (error, _("This is not a node public key."));
    }
  return TRUE;
}

char *
zz_minisign_sign (const guint8 *sk, const guint8 *pk, const void *data, gsize len,
                  const char *trusted_comment)
{
  guint8 prehash[crypto_generichash_BYTES_MAX];
  guint8 sig[2 + ZZ_KEY_ID_BYTES + crypto_sign_BYTES];
  g_autoptr(GByteArray) global = g_byte_array_new ();
  guint8 global_sig[crypto_sign_BYTES];
  g_autofree char *sig_line = NULL;
  g_autofree char *global_line = NULL;

  g_return_val_if_fail (strchr (trusted_comment, '\n') == NULL, NULL);
  crypto_generichash (prehash, sizeof prehash, data, len, NULL, 0);
  sig[0] = 'E';
  sig[1] = 'D';
  zz_minisign_key_id (pk, sig + 2);
  crypto_sign_detached (sig + 2 + ZZ_KEY_ID_BYTES, NULL, prehash, sizeof prehash, sk);
  g_byte_array_append (global, sig + 2 + ZZ_KEY_ID_BYTES, crypto_sign_BYTES);
  g_byte_array_append (global, (const guint8 *) trusted_comment, strlen (trusted_comment));
  crypto_sign_detached (global_sig, NULL, global->data, global->len, sk);
  sig_line = b64 (sig, sizeof sig);
  global_line = b64 (global_sig, sizeof global_sig);
  return g_strdup_printf ("%s\n%s\ntrusted comment: %s\n%s\n", UNTRUSTED_SIG, sig_line,
                          trusted_comment, global_line);
}

gboolean
zz_minisign_verify (const guint8 *pk, const void *data, gsize len, const char *sig, gsize sig_len,
                    char **out_trusted_comment, GError **error)
{
  g_autofree char *text = g_strndup (sig, sig_len);
  g_auto(GStrv) lines = NULL;
  guint8 raw[2 + ZZ_KEY_ID_BYTES + crypto_sign_BYTES];
  guint8 global_sig[crypto_sign_BYTES];
  guint8 id[ZZ_KEY_ID_BYTES];
  guint8 prehash[crypto_generichash_BYTES_MAX];
  g_autoptr(GByteArray) global = g_byte_array_new ();
  const char *comment;

  if (strlen (text) != sig_len)
    return refuse (error, _("The manifest signature is malformed."));
  lines = g_strsplit (text, "\n", 6);
  if (g_strv_length (lines) != 5 || strcmp (lines[0], UNTRUSTED_SIG) != 0 || lines[4][0] != '\0'
      || !g_str_has_prefix (lines[2], "trusted comment: ")
      || !unb64 (lines[1], strlen (lines[1]), raw, sizeof raw)
      || !unb64 (lines[3], strlen (lines[3]), global_sig, sizeof global_sig)
      || raw[0] != 'E' || raw[1] != 'D')
    return refuse (error, _("The manifest signature is malformed."));
  zz_minisign_key_id (pk, id);
  if (memcmp (id, raw + 2, ZZ_KEY_ID_BYTES) != 0)
    return refuse (error, _("The manifest was signed with another key than the sender’s."));
  crypto_generichash (prehash, sizeof prehash, data, len, NULL, 0);
  if (crypto_sign_verify_detached (raw + 2 + ZZ_KEY_ID_BYTES, prehash, sizeof prehash, pk) != 0)
    return refuse (error, _("The manifest signature does not verify: the bundle has been altered or forged."));
  comment = lines[2] + strlen ("trusted comment: ");
  g_byte_array_append (global, raw + 2 + ZZ_KEY_ID_BYTES, crypto_sign_BYTES);
  g_byte_array_append (global, (const guint8 *) comment, strlen (comment));
  if (crypto_sign_verify_detached (global_sig, global->data, global->len, pk) != 0)
    return refuse (error, _("The signed comment of the manifest does not verify."));
  if (out_trusted_comment)
    *out_trusted_comment = g_strdup (comment);
  return TRUE;
}
