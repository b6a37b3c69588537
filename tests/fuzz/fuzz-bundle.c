/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Raw bundle bytes, as a file dropped on the sync page: unpacked, verified and imported by a
 * county that trusts the township whose genuine bundle seeds the corpus. A refused bundle must
 * change nothing and never abort. */
#include "config.h"

#include "zz-bundle.h"
#include "zz-sync.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ZzFuzzSync *sync = zz_fuzz_sync_get ();

  zz_fuzz_write_seed ("genuine.zzb", g_bytes_get_data (sync->bundle, NULL), g_bytes_get_size (sync->bundle));
  zz_fuzz_write_seed ("plain.zzb", g_bytes_get_data (sync->plain, NULL), g_bytes_get_size (sync->plain));
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ZzFuzzSync *sync = zz_fuzz_sync_get ();
  ZzStore *c = zz_fuzz_store_get (sync->county);
  g_autoptr(GBytes) bundle = g_bytes_new (data, size);
  ZzBundleFiles files = { 0 };
  ZzImportResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  gint64 mtime = 0;

  zz_fuzz_reset_random ();
  if (zz_bundle_unpack (g_bytes_get_data (bundle, NULL), size, &files, &mtime, NULL))
    zz_bundle_files_clear (&files);
  (void) zz_sync_verify_bytes (c, bundle, &info, NULL);
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
