/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The op parser on arbitrary bytes: strict parse and the quick peek at an op's head agree. */
#include "config.h"

#include <string.h>

#include "zz-op.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  zz_fuzz_init ();
  if (g_getenv ("ZZ_FUZZ_WRITE_SEEDS"))
    {
      /* the ops of a genuine bundle, their elided prev written back */
      g_autoptr(GBytes) text = zz_fuzz_bundle_decode (zz_fuzz_sync_get ()->bundle);
      g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (text, NULL), "\n", -1);

      for (guint i = 1; lines[i] && i < 6; i++)
        {
          g_autofree char *name = g_strdup_printf ("op-%u", i);
          g_autoptr(GString) body = g_string_new (lines[i]);

          g_string_replace (body, ",\"p\":\"\"", ",\"p\":\"" "0000000000000000000000000000000000000000000000000000000000000000" "\"", 1);
          zz_fuzz_write_seed (name, body->str, body->len);
        }
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ZzOp op;
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;
  ZzHlc hlc = 0;

  memset (&op, 0, sizeof op);
  if (zz_op_parse ((const char *) data, size, &op, &error))
    {
      g_assert (op.origin != NULL && op.kind != NULL);
      g_assert (op.n_fields <= ZZ_OP_MAX_FIELDS && op.n_parents <= ZZ_OP_MAX_PARENTS);
      /* a well-formed op peeks as itself */
      if (zz_op_peek ((const char *) data, size, op.origin, &seq, &hlc))
        g_assert (seq == op.seq && hlc == op.hlc);
      (void) zz_org_level (op.home);
      zz_op_clear (&op);
    }
  else
    g_assert (error != NULL);
  (void) zz_op_peek ((const char *) data, size, "0123456789abcdef0123456789abcdef", &seq, &hlc);
  (void) zz_op_hex_to_hash ((const char *) data, size, (guint8[ZZ_OP_HASH_BYTES]) { 0 });
  {
    g_autofree char *s = g_strndup ((const char *) data, MIN (size, 64));
    (void) zz_org_level (s);
    (void) zz_org_within (s, "433122");
  }
  return 0;
}
