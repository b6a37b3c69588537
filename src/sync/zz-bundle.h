/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sodium.h>

G_BEGIN_DECLS

/* The container of a bundle (.zzb), without any database: a ustar archive of exactly
 *   manifest.json          the signed manifest (JSON)
 *   manifest.json.minisig  its signature in minisign's format
 *   ops.jsonl.zst          the ops, one JSON object per line, zstd-compressed (format 1), or
 *   ops.jsonl.zst.age      the same encrypted with age to the recipient (format 2)
 * written canonically (fixed order, owner, mode and time), so that any byte changed in the file
 * is noticed: the reader writes the members out again and compares. */

#define ZZ_BUNDLE_MANIFEST "manifest.json"
#define ZZ_BUNDLE_SIGNATURE "manifest.json.minisig"
#define ZZ_BUNDLE_OPS "ops.jsonl.zst"
#define ZZ_BUNDLE_OPS_AGE "ops.jsonl.zst.age"

/* Bundle formats: 1 the ops readable (zstd), 2 the ops encrypted with age. A manifest states
 * "reads", the newest format its writer reads, and a format 2 manifest "needs": 2. */
#define ZZ_BUNDLE_FORMAT_PLAIN    1
#define ZZ_BUNDLE_FORMAT_AGE      2
#define ZZ_BUNDLE_FORMAT_READS    2   /* the newest format this version reads and writes */

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
  GBytes *ops;        /* compressed, or encrypted when @encrypted */
  gboolean encrypted; /* the member is ops.jsonl.zst.age */
} ZzBundleFiles;

void     zz_bundle_files_clear  (ZzBundleFiles *files);

GBytes  *zz_bundle_pack         (GBytes        *manifest,
                                 GBytes        *signature,
                                 GBytes        *ops,
                                 gint64         mtime_s);
/* The same with the ops member named @ops_name (ZZ_BUNDLE_OPS or ZZ_BUNDLE_OPS_AGE). */
GBytes  *zz_bundle_pack_named   (GBytes        *manifest,
                                 GBytes        *signature,
                                 GBytes        *ops,
                                 const char    *ops_name,
                                 gint64         mtime_s);
gboolean zz_bundle_unpack       (const guint8  *data,
                                 gsize          len,
                                 ZzBundleFiles *out,
                                 gint64        *out_mtime_s,
                                 GError       **error);

/* The bundle format a file's manifest says a reader needs, read without checking anything else
 * (for a clear refusal of a bundle newer than this version); 0 when it does not say. @out_writer
 * (optional) gets the writer's program version, when the manifest names it. */
int      zz_bundle_peek_needs   (const guint8  *data,
                                 gsize          len,
                                 char         **out_writer);

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
