/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The age reader (bundle payloads, backups) on arbitrary bytes, with a fixed identity so that the
 * seeds open and mutations reach the payload. Passphrase files are not fuzzed: each attempt would
 * run scrypt; their header parsing is the same code. */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "zz-age.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint8 identity[ZZ_AGE_KEY_BYTES];
static guint8 recipients[2][ZZ_AGE_KEY_BYTES];

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  zz_fuzz_init ();
  g_assert (sodium_init () >= 0);
  memset (identity, 7, sizeof identity);
  crypto_scalarmult_base (recipients[0], identity);
  memset (recipients[1], 0, sizeof recipients[1]);
  recipients[1][0] = 9;   /* the base point: some other recipient */
  if (g_getenv ("ZZ_FUZZ_WRITE_SEEDS"))
    {
      const gsize sizes[] = { 0, 100, 70000 };
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        for (guint n = 1; n <= 2; n++)
          {
            g_autofree guint8 *plain = g_malloc0 (sizes[i] + 1);
            g_autoptr (GBytes) sealed = zz_age_encrypt (plain, sizes[i],
                                                        (const guint8 (*)[ZZ_AGE_KEY_BYTES]) recipients,
                                                        n, NULL, 0, NULL);
            g_autofree char *name = g_strdup_printf ("age-%zu-%u", sizes[i], n);
            zz_fuzz_write_seed (name, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
          }
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) plain = zz_age_decrypt (data, size, identity, NULL, 1 << 20, &error);
  g_autofree char *text = g_strndup ((const char *) data, MIN (size, 200));
  guint8 key[ZZ_AGE_KEY_BYTES];

  /* exactly one of a plaintext or an error; a plaintext is never longer than its file */
  g_assert ((plain == NULL) != (error == NULL));
  if (plain != NULL)
    g_assert (g_bytes_get_size (plain) < size);
  zz_age_recipient_decode (text, key, NULL);
  zz_age_identity_decode (text, key, NULL);
  return 0;
}
