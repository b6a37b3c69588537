/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "zz-age.h"
#include "zz-error.h"

#define AGE_INTRO        "age-encryption.org/v1"
#define AGE_X25519_LABEL "age-encryption.org/v1/X25519"
#define AGE_SCRYPT_LABEL "age-encryption.org/v1/scrypt"
#define FILE_KEY_BYTES   16
#define NONCE_BYTES      16
#define TAG_BYTES        crypto_aead_chacha20poly1305_ietf_ABYTES
#define WRAPPED_BYTES    (FILE_KEY_BYTES + TAG_BYTES)
#define SCRYPT_SALT      16
#define MAX_LINE         4096
#define COLUMNS          64

/* ---- Bech32 (BIP 173), as age uses it for its keys, without the 90-character limit ---- */

static const char bech32_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static guint32
bech32_polymod (const guint8 *v, gsize n)
{
  static const guint32 gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
  guint32 chk = 1;

  for (gsize i = 0; i < n; i++)
    {
      guint32 b = chk >> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v[i];
      for (int j = 0; j < 5; j++)
        if ((b >> j) & 1)
          chk ^= gen[j];
    }
  return chk;
}

/* hrp expanded, then @data (5-bit values), then room for the checksum */
static GByteArray *
bech32_values (const char *hrp, const guint8 *data, gsize n)
{
  gsize hl = strlen (hrp);
  GByteArray *v = g_byte_array_sized_new (hl * 2 + 1 + n + 6);

  for (gsize i = 0; i < hl; i++)
    g_byte_array_append (v, (guint8[]) { (guint8) hrp[i] >> 5 }, 1);
  g_byte_array_append (v, (guint8[]) { 0 }, 1);
  for (gsize i = 0; i < hl; i++)
    g_byte_array_append (v, (guint8[]) { (guint8) hrp[i] & 31 }, 1);
  g_byte_array_append (v, data, n);
  return v;
}

/* 8-bit groups to 5-bit groups, padded */
static GByteArray *
bits_8_to_5 (const guint8 *in, gsize n)
{
  GByteArray *out = g_byte_array_new ();
  guint32 acc = 0;
  int bits = 0;

  for (gsize i = 0; i < n; i++)
    {
      acc = (acc << 8) | in[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_byte_array_append (out, (guint8[]) { (acc >> bits) & 31 }, 1);
        }
    }
  if (bits > 0)
    g_byte_array_append (out, (guint8[]) { (acc << (5 - bits)) & 31 }, 1);
  return out;
}

static char *
bech32_encode (const char *hrp, const guint8 *bytes, gsize n)
{
  g_autoptr (GByteArray) data = bits_8_to_5 (bytes, n);
  g_autoptr (GByteArray) v = bech32_values (hrp, data->data, data->len);
  GString *s = g_string_new (hrp);
  guint32 mod;

  g_byte_array_append (v, (const guint8[6]) { 0 }, 6);
  mod = bech32_polymod (v->data, v->len) ^ 1;
  g_string_append_c (s, '1');
  for (guint i = 0; i < data->len; i++)
    g_string_append_c (s, bech32_charset[data->data[i]]);
  for (int i = 0; i < 6; i++)
    g_string_append_c (s, bech32_charset[(mod >> (5 * (5 - i))) & 31]);
  return g_string_free (s, FALSE);
}

/* Decodes @text (one case throughout) whose human-readable part must be @hrp (lower case) into
 * exactly @n bytes. */
static gboolean
bech32_decode (const char *text, const char *hrp, guint8 *out, gsize n)
{
  g_autofree char *lower = NULL;
  g_autoptr (GByteArray) data = g_byte_array_new ();
  g_autoptr (GByteArray) v = NULL;
  gboolean has_lower = FALSE, has_upper = FALSE;
  gsize hl = strlen (hrp), len = strlen (text), k = 0;
  guint32 acc = 0;
  int bits = 0;

  for (const char *p = text; *p; p++)
    {
      if (*p < 33 || *p > 126)
        return FALSE;
      has_lower |= g_ascii_islower (*p);
      has_upper |= g_ascii_isupper (*p);
    }
  if ((has_lower && has_upper) || len < hl + 1 + 6)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  if (strncmp (lower, hrp, hl) != 0 || lower[hl] != '1' || strrchr (lower, '1') != lower + hl)
    return FALSE;
  for (const char *p = lower + hl + 1; *p; p++)
    {
      const char *c = strchr (bech32_charset, *p);
      if (c == NULL)
        return FALSE;
      g_byte_array_append (data, (guint8[]) { (guint8) (c - bech32_charset) }, 1);
    }
  v = bech32_values (hrp, data->data, data->len);
  if (bech32_polymod (v->data, v->len) != 1)
    return FALSE;
  for (guint i = 0; i + 6 < data->len; i++)
    {
      acc = (acc << 5) | data->data[i];
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          if (k == n)
            return FALSE;
          out[k++] = (acc >> bits) & 0xff;
        }
    }
  return k == n && bits < 5 && (acc & ((1u << bits) - 1)) == 0;
}

/* ---- keys ---- */

gboolean
zz_age_x25519_public_from_ed25519 (const guint8 *ed_pk, guint8 *x_pk)
{
  return sodium_init () >= 0 && crypto_sign_ed25519_pk_to_curve25519 (x_pk, ed_pk) == 0;
}

void
zz_age_x25519_secret_from_ed25519 (const guint8 *ed_sk, guint8 *x_sk)
{
  crypto_sign_ed25519_sk_to_curve25519 (x_sk, ed_sk);
}

char *
zz_age_recipient_encode (const guint8 *x_pk)
{
  return bech32_encode ("age", x_pk, ZZ_AGE_KEY_BYTES);
}

char *
zz_age_identity_encode (const guint8 *x_sk)
{
  g_autofree char *lower = bech32_encode ("age-secret-key-", x_sk, ZZ_AGE_KEY_BYTES);
  char *upper = g_ascii_strup (lower, -1);

  sodium_memzero (lower, strlen (lower));
  return upper;
}

gboolean
zz_age_recipient_decode (const char *text, guint8 *x_pk, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));

  if (!bech32_decode (trimmed, "age", x_pk, ZZ_AGE_KEY_BYTES))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("This is not an age recipient (a key starting with age1)."));
      return FALSE;
    }
  return TRUE;
}

gboolean
zz_age_identity_decode (const char *text, guint8 *x_sk, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (char **l = lines; *l; l++)
    {
      char *line = g_strstrip (*l);
      if (*line == '\0' || *line == '#')
        continue;
      if (bech32_decode (line, "age-secret-key-", x_sk, ZZ_AGE_KEY_BYTES))
        {
          for (char **w = lines; *w; w++)
            sodium_memzero (*w, strlen (*w));
          return TRUE;
        }
      break;
    }
  for (char **w = lines; *w; w++)
    sodium_memzero (*w, strlen (*w));
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
               _("This is not an age identity (a key starting with AGE-SECRET-KEY-1)."));
  return FALSE;
}

gboolean
zz_age_has_header (const void *data, gsize len)
{
  return len >= sizeof AGE_INTRO && memcmp (data, AGE_INTRO "\n", sizeof AGE_INTRO) == 0;
}

/* ---- primitives ---- */

/* HKDF-SHA256 (RFC 5869) for one 32-byte block, from libsodium's HMAC-SHA256. An empty salt is
 * HashLen zero bytes, which HMAC pads to the same key. */
static void
hkdf_sha256 (const guint8 *ikm, gsize ikm_len, const guint8 *salt, gsize salt_len,
             const char *info, guint8 out[32])
{
  static const guint8 none = 0;
  crypto_auth_hmacsha256_state st;
  guint8 prk[32];

  crypto_auth_hmacsha256_init (&st, salt_len ? salt : &none, salt_len);
  crypto_auth_hmacsha256_update (&st, ikm, ikm_len);
  crypto_auth_hmacsha256_final (&st, prk);
  crypto_auth_hmacsha256_init (&st, prk, sizeof prk);
  crypto_auth_hmacsha256_update (&st, (const guint8 *) info, strlen (info));
  crypto_auth_hmacsha256_update (&st, (const guint8[]) { 1 }, 1);
  crypto_auth_hmacsha256_final (&st, out);
  sodium_memzero (prk, sizeof prk);
  sodium_memzero (&st, sizeof st);
}

static const guint8 zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

static void
wrap_key (const guint8 key[32], const guint8 *file_key, guint8 *wrapped)
{
  crypto_aead_chacha20poly1305_ietf_encrypt (wrapped, NULL, file_key, FILE_KEY_BYTES, NULL, 0, NULL,
                                             zero_nonce, key);
}

static gboolean
unwrap_key (const guint8 key[32], const guint8 *wrapped, guint8 *file_key)
{
  return crypto_aead_chacha20poly1305_ietf_decrypt (file_key, NULL, NULL, wrapped, WRAPPED_BYTES, NULL, 0,
                                                    zero_nonce, key) == 0;
}

static gboolean
scrypt_key (const char *passphrase, const guint8 *salt, guint log_n, guint8 key[32])
{
  guint8 full_salt[sizeof AGE_SCRYPT_LABEL - 1 + SCRYPT_SALT];

  memcpy (full_salt, AGE_SCRYPT_LABEL, sizeof AGE_SCRYPT_LABEL - 1);
  memcpy (full_salt + sizeof AGE_SCRYPT_LABEL - 1, salt, SCRYPT_SALT);
  return crypto_pwhash_scryptsalsa208sha256_ll ((const guint8 *) passphrase, strlen (passphrase),
                                                full_salt, sizeof full_salt, (guint64) 1 << log_n,
                                                8, 1, key, 32) == 0;
}

static char *
b64 (const guint8 *bin, gsize len)
{
  gsize cap = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  char *s = g_malloc (cap);

  return sodium_bin2base64 (s, cap, bin, len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

/* Strict: canonical unpadded base64 of exactly @want bytes (or any length up to @want when
 * @exact is FALSE; the decoded length goes to @out_len). */
static gboolean
unb64 (const char *text, gsize text_len, guint8 *out, gsize want, gboolean exact, gsize *out_len)
{
  const char *end = NULL;
  size_t len = 0;

  if (sodium_base642bin (out, want, text, text_len, NULL, &len, &end,
                         sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0
      || end != text + text_len || (exact && len != want))
    return FALSE;
  if (out_len)
    *out_len = len;
  return TRUE;
}

static void
append_stanza (GString *h, const char *args, const guint8 *body, gsize len)
{
  g_autofree char *enc = b64 (body, len);
  gsize n = strlen (enc);

  g_string_append_printf (h, "-> %s\n", args);
  for (gsize i = 0; i <= n; i += COLUMNS)
    {
      g_string_append_len (h, enc + i, MIN (COLUMNS, n - i));
      g_string_append_c (h, '\n');
      if (n - i < COLUMNS)
        break;
    }
}

static void
header_mac (const guint8 *file_key, const char *header, gsize len, guint8 mac[32])
{
  guint8 key[32];

  hkdf_sha256 (file_key, FILE_KEY_BYTES, NULL, 0, "header", key);
  crypto_auth_hmacsha256 (mac, (const guint8 *) header, len, key);
  sodium_memzero (key, sizeof key);
}

static void
chunk_nonce (guint8 nonce[12], guint64 counter, gboolean last)
{
  memset (nonce, 0, 12);
  for (int i = 10; i >= 3 && counter; i--, counter >>= 8)
    nonce[i] = counter & 0xff;
  nonce[11] = last ? 1 : 0;
}

/* ---- encryption ---- */

static gboolean
check_arguments (guint n_recipients, const char *passphrase, GError **error)
{
  if ((n_recipients == 0) == (passphrase == NULL))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("Encrypt either to recipients’ keys or with a passphrase, not both or neither."));
      return FALSE;
    }
  if (passphrase != NULL && *passphrase == '\0')
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The passphrase is empty."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
append_x25519_stanza (GString *h, const guint8 *recipient, const guint8 *file_key, GError **error)
{
  guint8 eph[32], share[32], shared[32], salt[64], key[32], wrapped[WRAPPED_BYTES];
  g_autofree char *share_b64 = NULL, *args = NULL;
  gboolean ok;

  randombytes_buf (eph, sizeof eph);
  crypto_scalarmult_base (share, eph);
  ok = crypto_scalarmult (shared, eph, recipient) == 0;
  sodium_memzero (eph, sizeof eph);
  if (!ok)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A recipient’s key is not a valid X25519 key."));
      return FALSE;
    }
  memcpy (salt, share, 32);
  memcpy (salt + 32, recipient, 32);
  hkdf_sha256 (shared, sizeof shared, salt, sizeof salt, AGE_X25519_LABEL, key);
  wrap_key (key, file_key, wrapped);
  share_b64 = b64 (share, sizeof share);
  args = g_strconcat ("X25519 ", share_b64, NULL);
  append_stanza (h, args, wrapped, sizeof wrapped);
  sodium_memzero (shared, sizeof shared);
  sodium_memzero (key, sizeof key);
  return TRUE;
}

static gboolean
append_scrypt_stanza (GString *h, const char *passphrase, int log_n, const guint8 *file_key,
                      GError **error)
{
  guint8 salt[SCRYPT_SALT], key[32], wrapped[WRAPPED_BYTES];
  g_autofree char *salt_b64 = NULL, *args = NULL;

  randombytes_buf (salt, sizeof salt);
  if (!scrypt_key (passphrase, salt, (guint) log_n, key))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Not enough memory to derive a key from the passphrase."));
      return FALSE;
    }
  wrap_key (key, file_key, wrapped);
  sodium_memzero (key, sizeof key);
  salt_b64 = b64 (salt, sizeof salt);
  args = g_strdup_printf ("scrypt %s %d", salt_b64, log_n);
  append_stanza (h, args, wrapped, sizeof wrapped);
  return TRUE;
}

static GString *
build_header (const guint8 *file_key, const guint8 (*recipients)[ZZ_AGE_KEY_BYTES], guint n_recipients,
              const char *passphrase, int log_n, GError **error)
{
  g_autoptr (GString) h = g_string_new (AGE_INTRO "\n");
  guint8 mac[32];
  g_autofree char *mac_b64 = NULL;

  for (guint i = 0; i < n_recipients; i++)
    if (!append_x25519_stanza (h, recipients[i], file_key, error))
      return NULL;
  if (passphrase != NULL && !append_scrypt_stanza (h, passphrase, log_n, file_key, error))
    return NULL;
  g_string_append (h, "---");
  header_mac (file_key, h->str, h->len, mac);
  mac_b64 = b64 (mac, sizeof mac);
  g_string_append_printf (h, " %s\n", mac_b64);
  return g_steal_pointer (&h);
}

static gboolean
write_all (GOutputStream *out, const void *data, gsize len, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (g_output_stream_write_all (out, data, len, NULL, cancellable, &local))
    return TRUE;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_CANCELLED, _("Cancelled."));
  else
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write: %s"), local->message);
  return FALSE;
}

static gboolean
read_all (GInputStream *in, void *buf, gsize len, gsize *got, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (g_input_stream_read_all (in, buf, len, got, cancellable, &local))
    return TRUE;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_CANCELLED, _("Cancelled."));
  else
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not read: %s"), local->message);
  return FALSE;
}

typedef struct {
  guint8 *cur, *next, *sealed;
  guint8 key[32];
} Chunks;

static void
chunks_clear (Chunks *c)
{
  if (c->cur)
    sodium_memzero (c->cur, ZZ_AGE_CHUNK + TAG_BYTES);
  if (c->next)
    sodium_memzero (c->next, ZZ_AGE_CHUNK + TAG_BYTES);
  g_free (c->cur);
  g_free (c->next);
  g_free (c->sealed);
  sodium_memzero (c->key, sizeof c->key);
}

static gboolean
encrypt_payload (GInputStream *in, GOutputStream *out, Chunks *c, GCancellable *cancellable, GError **error)
{
  gsize cur_len = 0, next_len = 0;
  guint64 counter = 0;
  guint8 nonce[12];

  if (!read_all (in, c->cur, ZZ_AGE_CHUNK, &cur_len, cancellable, error))
    return FALSE;
  for (;;)
    {
      gboolean last = cur_len < ZZ_AGE_CHUNK;
      guint8 *swap;

      if (!last)
        {
          if (!read_all (in, c->next, ZZ_AGE_CHUNK, &next_len, cancellable, error))
            return FALSE;
          last = next_len == 0;
        }
      chunk_nonce (nonce, counter++, last);
      crypto_aead_chacha20poly1305_ietf_encrypt (c->sealed, NULL, c->cur, cur_len, NULL, 0, NULL, nonce, c->key);
      if (!write_all (out, c->sealed, cur_len + TAG_BYTES, cancellable, error))
        return FALSE;
      if (last)
        return TRUE;
      swap = c->cur, c->cur = c->next, c->next = swap;
      cur_len = next_len;
    }
}

gboolean
zz_age_encrypt_stream (GInputStream *in, GOutputStream *out,
                       const guint8 (*recipients)[ZZ_AGE_KEY_BYTES], guint n_recipients,
                       const char *passphrase, int scrypt_log_n,
                       GCancellable *cancellable, GError **error)
{
  guint8 file_key[FILE_KEY_BYTES], nonce[NONCE_BYTES];
  g_autoptr (GString) header = NULL;
  Chunks c = { 0 };
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in) && G_IS_OUTPUT_STREAM (out), FALSE);
  if (!check_arguments (n_recipients, passphrase, error) || sodium_init () < 0)
    return FALSE;
  if (scrypt_log_n <= 0)
    scrypt_log_n = ZZ_AGE_SCRYPT_LOG_N_DEFAULT;
  g_return_val_if_fail (scrypt_log_n < 64, FALSE);

  randombytes_buf (file_key, sizeof file_key);
  header = build_header (file_key, recipients, n_recipients, passphrase, scrypt_log_n, error);
  randombytes_buf (nonce, sizeof nonce);
  hkdf_sha256 (file_key, sizeof file_key, nonce, sizeof nonce, "payload", c.key);
  sodium_memzero (file_key, sizeof file_key);
  if (header == NULL)
    {
      chunks_clear (&c);
      return FALSE;
    }
  c.cur = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  c.next = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  c.sealed = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  ok = write_all (out, header->str, header->len, cancellable, error)
       && write_all (out, nonce, sizeof nonce, cancellable, error)
       && encrypt_payload (in, out, &c, cancellable, error);
  chunks_clear (&c);
  return ok;
}

/* ---- decryption ---- */

typedef struct {
  char **args;        /* type first */
  guint8 *body;
  gsize body_len;
} Stanza;

static void
stanza_free (gpointer p)
{
  Stanza *s = p;

  g_strfreev (s->args);
  g_free (s->body);
  g_free (s);
}

static gboolean
format_error (GError **error, const char *what)
{
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("This is not a readable age-encrypted file: %s"), what);
  return FALSE;
}

/* One header line, without its '\n', appended (with it) to @header. */
static char *
read_line (GBufferedInputStream *in, GString *header, GCancellable *cancellable, GError **error)
{
  GString *line = g_string_new (NULL);

  for (;;)
    {
      g_autoptr (GError) local = NULL;
      int c = g_buffered_input_stream_read_byte (in, cancellable, &local);

      if (c < 0)
        {
          g_string_free (line, TRUE);
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_CANCELLED, _("Cancelled."));
          else if (local != NULL)
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not read: %s"), local->message);
          else
            format_error (error, _("the header is cut short."));
          return NULL;
        }
      g_string_append_c (header, (char) c);
      if (c == '\n')
        return g_string_free (line, FALSE);
      if (line->len >= MAX_LINE || header->len >= ZZ_AGE_MAX_HEADER || c < 32 || c > 126)
        {
          g_string_free (line, TRUE);
          format_error (error, _("the header is malformed."));
          return NULL;
        }
      g_string_append_c (line, (char) c);
    }
}

static gboolean
valid_args (char **args)
{
  if (args[0] == NULL)
    return FALSE;
  for (char **a = args; *a; a++)
    if (**a == '\0')
      return FALSE;
  return TRUE;
}

/* Reads the stanza that starts with @first ("-> …"): its arguments and base64 body. */
static Stanza *
read_stanza (GBufferedInputStream *in, const char *first, GString *header, GCancellable *cancellable,
             GError **error)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  Stanza *s = g_new0 (Stanza, 1);

  s->args = g_strsplit (first + 3, " ", -1);
  if (!valid_args (s->args))
    {
      stanza_free (s);
      format_error (error, _("the header is malformed."));
      return NULL;
    }
  for (;;)
    {
      g_autofree char *line = read_line (in, header, cancellable, error);
      guint8 part[48];
      gsize n = 0, len;

      if (line == NULL)
        {
          stanza_free (s);
          return NULL;
        }
      len = strlen (line);
      if (len > COLUMNS || !unb64 (line, len, part, sizeof part, FALSE, &n) || body->len > ZZ_AGE_MAX_HEADER)
        {
          stanza_free (s);
          format_error (error, _("the header is malformed."));
          return NULL;
        }
      g_byte_array_append (body, part, n);
      if (len < COLUMNS)
        break;
    }
  s->body_len = body->len;
  s->body = g_byte_array_free (g_steal_pointer (&body), FALSE);
  return s;
}

typedef struct {
  GPtrArray *stanzas;
  GString *header;    /* the bytes the MAC covers: up to and including "---" */
  guint8 mac[32];
} Header;

static gboolean
read_header (GBufferedInputStream *in, Header *h, GCancellable *cancellable, GError **error)
{
  g_autofree char *intro = read_line (in, h->header, cancellable, error);

  if (intro == NULL)
    return FALSE;
  if (strcmp (intro, AGE_INTRO) != 0)
    return format_error (error, _("it does not start with the age header."));
  for (;;)
    {
      g_autofree char *line = read_line (in, h->header, cancellable, error);

      if (line == NULL)
        return FALSE;
      if (g_str_has_prefix (line, "--- "))
        {
          g_string_truncate (h->header, h->header->len - strlen (line) - 1 + 3);
          if (!unb64 (line + 4, strlen (line + 4), h->mac, sizeof h->mac, TRUE, NULL))
            return format_error (error, _("the header is malformed."));
          return h->stanzas->len > 0 || format_error (error, _("it names no recipient."));
        }
      if (!g_str_has_prefix (line, "-> ") || h->stanzas->len >= ZZ_AGE_MAX_STANZAS)
        return format_error (error, _("the header is malformed."));
      {
        Stanza *s = read_stanza (in, line, h->header, cancellable, error);
        if (s == NULL)
          return FALSE;
        g_ptr_array_add (h->stanzas, s);
      }
    }
}

typedef enum { OPEN_NO, OPEN_YES, OPEN_BAD } Opened;

static Opened
open_x25519 (const Stanza *s, const guint8 *identity, guint8 *file_key)
{
  guint8 share[32], pk[32], shared[32], salt[64], key[32];
  Opened r;

  if (g_strv_length (s->args) != 2 || s->body_len != WRAPPED_BYTES
      || !unb64 (s->args[1], strlen (s->args[1]), share, sizeof share, TRUE, NULL))
    return OPEN_BAD;
  if (identity == NULL)
    return OPEN_NO;
  crypto_scalarmult_base (pk, identity);
  if (crypto_scalarmult (shared, identity, share) != 0)
    return OPEN_BAD;
  memcpy (salt, share, 32);
  memcpy (salt + 32, pk, 32);
  hkdf_sha256 (shared, sizeof shared, salt, sizeof salt, AGE_X25519_LABEL, key);
  r = unwrap_key (key, s->body, file_key) ? OPEN_YES : OPEN_NO;
  sodium_memzero (shared, sizeof shared);
  sodium_memzero (key, sizeof key);
  return r;
}

static gboolean
parse_log_n (const char *text, guint *log_n)
{
  guint64 v;

  if (text[0] < '1' || text[0] > '9' || strlen (text) > 2
      || !g_ascii_string_to_unsigned (text, 10, 1, 63, &v, NULL))
    return FALSE;
  *log_n = (guint) v;
  return TRUE;
}

static Opened
open_scrypt (const Stanza *s, const char *passphrase, guint8 *file_key, GError **error)
{
  guint8 salt[SCRYPT_SALT], key[32];
  guint log_n = 0;
  Opened r;

  if (g_strv_length (s->args) != 3 || s->body_len != WRAPPED_BYTES
      || !unb64 (s->args[1], strlen (s->args[1]), salt, sizeof salt, TRUE, NULL)
      || !parse_log_n (s->args[2], &log_n))
    return OPEN_BAD;
  if (passphrase == NULL)
    return OPEN_NO;
  if (log_n > ZZ_AGE_SCRYPT_LOG_N_MAX)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("This file asks for a passphrase work factor of 2^%u, more than this program allows (2^%d)."),
                   log_n, ZZ_AGE_SCRYPT_LOG_N_MAX);
      return OPEN_BAD;
    }
  if (!scrypt_key (passphrase, salt, log_n, key))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Not enough memory to derive a key from the passphrase."));
      return OPEN_BAD;
    }
  r = unwrap_key (key, s->body, file_key) ? OPEN_YES : OPEN_NO;
  sodium_memzero (key, sizeof key);
  return r;
}

/* Finds the file key in the stanzas. A malformed stanza of a known type is an error even when
 * another stanza would open; stanzas of other types are skipped, as age does. */
static gboolean
find_file_key (GPtrArray *stanzas, const guint8 *identity, const char *passphrase, guint8 *file_key,
               GError **error)
{
  gboolean found = FALSE, has_scrypt = FALSE, has_x25519 = FALSE;

  for (guint i = 0; i < stanzas->len; i++)
    {
      const Stanza *s = g_ptr_array_index (stanzas, i);
      Opened r = OPEN_NO;

      if (strcmp (s->args[0], "X25519") == 0)
        {
          has_x25519 = TRUE;
          r = open_x25519 (s, found ? NULL : identity, file_key);
        }
      else if (strcmp (s->args[0], "scrypt") == 0)
        {
          has_scrypt = TRUE;
          if (stanzas->len != 1)
            return format_error (error, _("a passphrase stanza must be the only one."));
          r = open_scrypt (s, passphrase, file_key, error);
        }
      if (r == OPEN_BAD)
        return (error && *error) ? FALSE : format_error (error, _("the header is malformed."));
      found |= r == OPEN_YES;
    }
  if (found)
    return TRUE;
  if (passphrase != NULL && has_scrypt)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("The passphrase is wrong."));
  else if (passphrase != NULL)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("This file is encrypted to keys, not with a passphrase."));
  else if (has_scrypt)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("This file is protected by a passphrase, not encrypted to a key."));
  else
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH,
                 has_x25519 ? _("This file is not encrypted to this key.")
                            : _("This file is encrypted in a way this program cannot open."));
  return FALSE;
}

static gboolean
decrypt_payload (GInputStream *in, GOutputStream *out, Chunks *c, gsize max_plain,
                 GCancellable *cancellable, GError **error)
{
  const gsize full = ZZ_AGE_CHUNK + TAG_BYTES;
  gsize cur_len = 0, next_len = 0, total = 0;
  guint64 counter = 0;
  guint8 nonce[12];

  if (!read_all (in, c->cur, full, &cur_len, cancellable, error))
    return FALSE;
  for (;;)
    {
      gboolean last = cur_len < full;
      guint8 *swap;

      if (!last)
        {
          if (!read_all (in, c->next, full, &next_len, cancellable, error))
            return FALSE;
          last = next_len == 0;
        }
      if (cur_len < TAG_BYTES || (last && cur_len == TAG_BYTES && counter > 0))
        return format_error (error, _("it is cut short."));
      chunk_nonce (nonce, counter++, last);
      if (crypto_aead_chacha20poly1305_ietf_decrypt (c->sealed, NULL, NULL, c->cur, cur_len, NULL, 0,
                                                     nonce, c->key) != 0)
        return format_error (error, last ? _("it is cut short or has been altered.")
                                         : _("it has been altered."));
      total += cur_len - TAG_BYTES;
      if (max_plain > 0 && total > max_plain)
        return format_error (error, _("its content is larger than allowed."));
      if (!write_all (out, c->sealed, cur_len - TAG_BYTES, cancellable, error))
        return FALSE;
      if (last)
        return TRUE;
      swap = c->cur, c->cur = c->next, c->next = swap;
      cur_len = next_len;
    }
}

gboolean
zz_age_decrypt_stream (GInputStream *in, GOutputStream *out, const guint8 *identity,
                       const char *passphrase, gsize max_plain, GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (GInputStream) buffered = NULL;
  Header h = { g_ptr_array_new_with_free_func (stanza_free), g_string_new (NULL), { 0 } };
  guint8 file_key[FILE_KEY_BYTES], mac[32], nonce[NONCE_BYTES];
  Chunks c = { 0 };
  gsize got = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in) && G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (identity != NULL || passphrase != NULL, FALSE);
  if (sodium_init () < 0)
    return format_error (error, _("the cryptography library could not start."));
  buffered = g_buffered_input_stream_new (in);
  if (!read_header (G_BUFFERED_INPUT_STREAM (buffered), &h, cancellable, error)
      || !find_file_key (h.stanzas, identity, passphrase, file_key, error))
    goto out;
  header_mac (file_key, h.header->str, h.header->len, mac);
  if (sodium_memcmp (mac, h.mac, sizeof mac) != 0)
    {
      format_error (error, _("its header has been altered."));
      goto out;
    }
  if (!read_all (buffered, nonce, sizeof nonce, &got, cancellable, error))
    goto out;
  if (got != sizeof nonce)
    {
      format_error (error, _("it is cut short."));
      goto out;
    }
  hkdf_sha256 (file_key, sizeof file_key, nonce, sizeof nonce, "payload", c.key);
  c.cur = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  c.next = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  c.sealed = g_malloc (ZZ_AGE_CHUNK + TAG_BYTES);
  ok = decrypt_payload (buffered, out, &c, max_plain, cancellable, error);
out:
  sodium_memzero (file_key, sizeof file_key);
  chunks_clear (&c);
  g_ptr_array_unref (h.stanzas);
  g_string_free (h.header, TRUE);
  return ok;
}

/* ---- in memory ---- */

static GBytes *
finish_memory (GOutputStream *out, gboolean ok)
{
  g_output_stream_close (out, NULL, NULL);
  if (!ok)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

GBytes *
zz_age_encrypt (const void *plain, gsize len, const guint8 (*recipients)[ZZ_AGE_KEY_BYTES],
                guint n_recipients, const char *passphrase, int scrypt_log_n, GError **error)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (plain, (gssize) len, NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  return finish_memory (out, zz_age_encrypt_stream (in, out, recipients, n_recipients, passphrase,
                                                    scrypt_log_n, NULL, error));
}

GBytes *
zz_age_decrypt (const void *data, gsize len, const guint8 *identity, const char *passphrase,
                gsize max_plain, GError **error)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (data, (gssize) len, NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  gboolean ok = zz_age_decrypt_stream (in, out, identity, passphrase, max_plain, NULL, error);

  if (!ok)
    {
      /* the partial plaintext is secret too */
      gpointer buf = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
      sodium_memzero (buf, g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
    }
  return finish_memory (out, ok);
}
