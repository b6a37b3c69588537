/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sodium.h>

G_BEGIN_DECLS

/* The container of a bundle (.zzb), without any database: a ustar archive of exactly
 *   manifest.json          the signed manifest (JSON)
 *   manifest.json.minisig  its signature in minisign's format
 *   ops.jsonl.zst          the ops, one JSON object per line, zstd-compressed
 * written canonically (fixed order, owner, mode and time), so that any byte changed in the file
 * is noticed: the reader writes the members out again and compares. */

#define ZZ_BUNDLE_MANIFEST "manifest.json"
#define ZZ_BUNDLE_SIGNATURE "manifest.json.minisig"
#define ZZ_BUNDLE_OPS "ops.jsonl.zst"

/* Bounds, checked before anything is trusted. */
#define ZZ_BUNDLE_MAX_SIZE        (512 * 1024 * 1024)      /* the whole file */
#define ZZ_BUNDLE_MAX_MANIFEST    (8 * 1024 * 1024)
#define ZZ_BUNDLE_MAX_SIGNATURE   4096
#define ZZ_BUNDLE_MAX_OPS_RAW     ((gsize) 2048 * 1024 * 1024)  /* decompressed */
#define ZZ_BUNDLE_MAX_RATIO       200                        /* decompressed / compressed */
#define ZZ_BUNDLE_MAX_LINE        (256 * 1024)
#define ZZ_BUNDLE_MAX_OPS         5000000
#define ZZ_BUNDLE_MAX_SEGMENTS    10000

typedef struct {
  GBytes *manifest;
  GBytes *signature;
  GBytes *ops;        /* compressed */
} ZzBundleFiles;

void     zz_bundle_files_clear  (ZzBundleFiles *files);

GBytes  *zz_bundle_pack         (GBytes        *manifest,
                                 GBytes        *signature,
                                 GBytes        *ops,
                                 gint64         mtime_s);
gboolean zz_bundle_unpack       (const guint8  *data,
                                 gsize          len,
                                 ZzBundleFiles *out,
                                 gint64        *out_mtime_s,
                                 GError       **error);

GBytes  *zz_zstd_compress       (const void    *data,
                                 gsize          len,
                                 int            level);
/* Refuses output larger than @max (a zip bomb) or input that is not exactly one zstd stream. */
GBytes  *zz_zstd_decompress     (const void    *data,
                                 gsize          len,
                                 gsize          max,
                                 GError       **error);

/* ---- minisign's format (Ed25519 over a BLAKE2b-512 prehash, "ED") ---- */
#define ZZ_KEY_ID_BYTES 8

void     zz_minisign_key_id     (const guint8  *pk,
                                 guint8        *key_id);
/* "untrusted comment: <comment>\n<base64 of Ed || key id || pk>\n" */
char    *zz_minisign_public_key (const guint8  *pk,
                                 const char    *comment);
/* Reads a public key file or its base64 line; @out_comment (optional) gets the comment. */
gboolean zz_minisign_read_public_key (const char *text,
                                 guint8        *pk,
                                 char         **out_comment,
                                 GError       **error);
char    *zz_minisign_sign       (const guint8  *sk,
                                 const guint8  *pk,
                                 const void    *data,
                                 gsize          len,
                                 const char    *trusted_comment);
/* Verifies @sig (a .minisig file, which must be exactly as zz_minisign_sign writes it) over
 * @data with @pk; @out_trusted_comment (optional) gets the signed comment. */
gboolean zz_minisign_verify     (const guint8  *pk,
                                 const void    *data,
                                 gsize          len,
                                 const char    *sig,
                                 gsize          sig_len,
                                 char         **out_trusted_comment,
                                 GError       **error);

/* BLAKE2b-128 of a public key, as "ABCD EF01 ..." (the fingerprint people compare). */
char    *zz_key_fingerprint     (const guint8  *pk);

G_END_DECLS
