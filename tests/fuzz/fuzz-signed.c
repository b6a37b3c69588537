/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Structure-aware: the input is a bundle's decoded form (the manifest line, then the op lines).
 * Whatever the mutation, the target re-encodes it as the trusted township would: its segments
 * chained and their heads signed, the payload described, the manifest signed with its key. So
 * mutated manifests and ops pass the signature checks and reach the authoriser and apply. An input
 * whose ops are an age ciphertext is signed as it is: the decryption of format 2 is fuzzed too. */
#include "config.h"

#include "zz-sync.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ZzFuzzSync *sync = zz_fuzz_sync_get ();
  g_autoptr(GBytes) text = zz_fuzz_bundle_decode (sync->bundle);
  g_autoptr(GBytes) plain = zz_fuzz_bundle_decode (sync->plain);
  g_autoptr(GBytes) sealed = zz_fuzz_bundle_decode_sealed (sync->bundle);

  /* format 2 (encrypted by the encoder), format 1, and the ciphertext itself under a valid
   * signature */
  zz_fuzz_write_seed ("genuine.txt", g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  zz_fuzz_write_seed ("plain.txt", g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  zz_fuzz_write_seed ("sealed.txt", g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ZzFuzzSync *sync = zz_fuzz_sync_get ();
  g_autoptr(GBytes) bundle = NULL;
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;
  ZzStore *c;

  zz_fuzz_reset_random ();
  bundle = zz_fuzz_bundle_encode (sync, (const char *) data, size);
  if (!bundle)
    return 0;
  c = zz_fuzz_store_get (sync->county);
  if (!zz_sync_import_bytes (c, bundle, &res, &error))
    g_error ("import failed as an installation error: %s", error->message);
  if (g_getenv ("ZZ_FUZZ_VERBOSE"))
    g_printerr ("zz-fuzz: %s applied %u held %u refused ops %u%s%s\n", res.refused ? "refused" : "taken",
                res.applied, res.held, res.refused_ops, res.reason ? ": " : "", res.reason ? res.reason : "");
  if (res.refused)
    g_assert (res.reason != NULL && res.applied == 0);
  else
    zz_fuzz_store_dirty (sync->county);
  zz_import_result_clear (&res);
  return 0;
}
