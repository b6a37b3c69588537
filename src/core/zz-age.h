/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The age file format, v1 (https://age-encryption.org/v1), in its binary (unarmored) form, with
 * X25519 and scrypt recipients. Built from libsodium's primitives only: X25519, ChaCha20-Poly1305
 * (IETF), HMAC-SHA256 (for HKDF-SHA256) and scrypt. A file written here opens with Debian's
 * `age -d`, and a file written by `age` opens here.
 *
 *   age-encryption.org/v1
 *   -> X25519 <ephemeral share>        one stanza per recipient, or a single scrypt stanza
 *   <wrapped file key>
 *   --- <header MAC>
 *   <16-byte nonce><payload: 64 KiB chunks of ChaCha20-Poly1305, the STREAM construction>
 *
 * Errors are ZZ_ERROR with translated messages: ZZ_ERROR_FORMAT for a file that is not age, is
 * malformed, truncated or altered; ZZ_ERROR_AUTH when no stanza opens with the key or passphrase
 * given; ZZ_ERROR_INVALID for bad arguments (an empty passphrase); ZZ_ERROR_IO from the streams. */

#define ZZ_AGE_KEY_BYTES            32   /* an X25519 public key or secret scalar */
#define ZZ_AGE_SCRYPT_LOG_N_DEFAULT 18   /* age's own default work factor */
#define ZZ_AGE_SCRYPT_LOG_N_MAX     20   /* the most a file may ask of us when we open it (1 GiB) */
#define ZZ_AGE_CHUNK                (64 * 1024)
#define ZZ_AGE_MAX_STANZAS          256
#define ZZ_AGE_MAX_HEADER           (256 * 1024)

/* The X25519 form of a node's Ed25519 key (libsodium's birational map). The public conversion
 * fails (FALSE) for a key that is not a valid Ed25519 point. */
gboolean zz_age_x25519_public_from_ed25519 (const guint8 *ed_pk,
                                            guint8       *x_pk);
void     zz_age_x25519_secret_from_ed25519 (const guint8 *ed_sk,   /* 64 bytes, libsodium's form */
                                            guint8       *x_sk);

/* "age1…" and "AGE-SECRET-KEY-1…" (Bech32), as age-keygen writes them. */
char    *zz_age_recipient_encode (const guint8 *x_pk);
char    *zz_age_identity_encode  (const guint8 *x_sk);
gboolean zz_age_recipient_decode (const char   *text,
                                  guint8       *x_pk,
                                  GError      **error);
/* Reads an identity file's text (blank and '#' comment lines allowed, one identity) or the bare
 * line. */
gboolean zz_age_identity_decode  (const char   *text,
                                  guint8       *x_sk,
                                  GError      **error);

/* TRUE when @data starts with the age v1 header line. */
gboolean zz_age_has_header (const void *data,
                            gsize       len);

/* Encrypts @in to @out: to @n_recipients >= 1 X25519 recipients, or (@n_recipients == 0) to
 * @passphrase with an scrypt stanza, which age requires to be the only one (@scrypt_log_n 0 means
 * ZZ_AGE_SCRYPT_LOG_N_DEFAULT). Streams in 64 KiB chunks in constant memory. */
gboolean zz_age_encrypt_stream (GInputStream  *in,
                                GOutputStream *out,
                                const guint8 (*recipients)[ZZ_AGE_KEY_BYTES],
                                guint          n_recipients,
                                const char    *passphrase,
                                int            scrypt_log_n,
                                GCancellable  *cancellable,
                                GError       **error);

/* Decrypts @in to @out with an X25519 @identity or a @passphrase (either may be NULL, not both).
 * The plaintext is written chunk by chunk as each chunk is authenticated: on FALSE, @out holds a
 * partial plaintext that the caller must discard (write to a temporary file, rename on success).
 * @max_plain (0: no limit) refuses a longer plaintext. */
gboolean zz_age_decrypt_stream (GInputStream  *in,
                                GOutputStream *out,
                                const guint8  *identity,
                                const char    *passphrase,
                                gsize          max_plain,
                                GCancellable  *cancellable,
                                GError       **error);

/* In-memory forms of the same. */
GBytes  *zz_age_encrypt (const void   *plain,
                         gsize         len,
                         const guint8 (*recipients)[ZZ_AGE_KEY_BYTES],
                         guint         n_recipients,
                         const char   *passphrase,
                         int           scrypt_log_n,
                         GError      **error);
GBytes  *zz_age_decrypt (const void   *data,
                         gsize         len,
                         const guint8 *identity,
                         const char   *passphrase,
                         gsize         max_plain,
                         GError      **error);

G_END_DECLS
