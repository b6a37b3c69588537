/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "zz-store.h"

G_BEGIN_DECLS

/* What every fuzz target shares: a deterministic random source (so that the nodes made at start
 * have the same ids and keys in every run, and the committed seeds stay valid for them), a fixed
 * clock, quiet logging, and stores reset to a pristine copy when an input changed them. */

#define ZZ_FUZZ_NOW ((gint64) 1773651600000)   /* 2026-03-16 09:00 UTC */

void         zz_fuzz_init            (void);
/* Restarts the random stream: each input sees the same randomness. */
void         zz_fuzz_reset_random    (void);

typedef struct _ZzFuzzStore ZzFuzzStore;

/* Takes @store (closing it) and keeps its file as the pristine image; @login is acted as. */
ZzFuzzStore *zz_fuzz_store_adopt     (ZzStore     *store,
                                      const char  *path,
                                      const char  *login);
/* The store, reset to the pristine image first if an input marked it dirty. */
ZzStore     *zz_fuzz_store_get       (ZzFuzzStore *fs);
void         zz_fuzz_store_dirty     (ZzFuzzStore *fs);

/* A temporary folder (in memory when /dev/shm is there); never removed while the process runs. */
char        *zz_fuzz_tmpdir          (void);

/* ---- sync: a county C (the receiver) and a township T it enrolled, T holding a few changes ---- */
typedef struct {
  ZzFuzzStore *county;      /* receiver */
  ZzStore *township;        /* the sender; its key signs crafted bundles */
  GBytes *bundle;           /* T's genuine bundle for C (format 2: the ops encrypted for C) */
  GBytes *plain;            /* the same in format 1 */
  guint8 county_x25519[32]; /* C's age recipient (X25519 public key) */
  guint8 county_identity[32];
} ZzFuzzSync;

ZzFuzzSync  *zz_fuzz_sync_get        (void);

/* Splits a bundle into "manifest line\nops lines" (the structure-aware target's input form); a
 * format 2 bundle's ops are decrypted with C's identity. */
GBytes      *zz_fuzz_bundle_decode   (GBytes      *bundle);
/* "manifest line\n" and the encrypted ops member as it is (the form in which the age layer is
 * mutated under a valid signature). */
GBytes      *zz_fuzz_bundle_decode_sealed (GBytes *bundle);
/* The inverse, signed by T: payload description, T's segment heads and head signatures, the
 * sender key and the manifest signature are computed afresh. As the writer does, the ops are
 * encrypted for C when the manifest says it needs format 2; when they already are encrypted
 * (they start with age's header) they are taken as they are. NULL when @text has no manifest
 * object. */
GBytes      *zz_fuzz_bundle_encode   (ZzFuzzSync  *sync,
                                      const char  *text,
                                      gsize        len);

/* When ZZ_FUZZ_WRITE_SEEDS names a folder, writes @data there as @name. */
void         zz_fuzz_write_seed      (const char  *name,
                                      const void  *data,
                                      gsize        len);

G_END_DECLS
