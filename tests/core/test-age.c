/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "zz-age.h"
#include "zz-error.h"

/* A small work factor keeps the passphrase tests quick; files at the default open the same way. */
#define FAST_LOG_N 10

typedef struct {
  guint8 pk[ZZ_AGE_KEY_BYTES];
  guint8 sk[ZZ_AGE_KEY_BYTES];
} Key;

static Key
new_key (void)
{
  Key k;

  randombytes_buf (k.sk, sizeof k.sk);
  crypto_scalarmult_base (k.pk, k.sk);
  return k;
}

static GBytes *
random_bytes (gsize n)
{
  guint8 *buf = g_malloc (n ? n : 1);

  randombytes_buf (buf, n);
  return g_bytes_new_take (buf, n);
}

static GBytes *
encrypt_to (const Key *k, GBytes *plain)
{
  g_autoptr (GError) error = NULL;
  GBytes *sealed = zz_age_encrypt (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                                   (const guint8 (*)[ZZ_AGE_KEY_BYTES]) k->pk, 1, NULL, 0, &error);

  g_assert_no_error (error);
  return sealed;
}

static void
assert_opens (GBytes *sealed, const Key *k, const char *passphrase, GBytes *plain)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) opened = zz_age_decrypt (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                                              k ? k->sk : NULL, passphrase, 0, &error);

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (opened, plain));
}

/* Refused with @code, and nothing returned. */
static void
assert_refused (const void *data, gsize len, const Key *k, const char *passphrase, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) opened = zz_age_decrypt (data, len, k ? k->sk : NULL, passphrase, 0, &error);

  g_assert_null (opened);
  g_assert_error (error, ZZ_ERROR, code);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
test_keys (void)
{
  Key k = new_key ();
  guint8 back[ZZ_AGE_KEY_BYTES];
  g_autofree char *recipient = zz_age_recipient_encode (k.pk);
  g_autofree char *identity = zz_age_identity_encode (k.sk);
  g_autofree char *file = g_strdup_printf ("# created: today\n# public key: %s\n%s\n", recipient, identity);
  g_autoptr (GError) error = NULL;
  g_autofree char *bad = NULL, *mixed = NULL;

  g_assert_true (g_str_has_prefix (recipient, "age1"));
  g_assert_cmpuint (strlen (recipient), ==, 62);
  g_assert_true (g_str_has_prefix (identity, "AGE-SECRET-KEY-1"));
  g_assert_cmpuint (strlen (identity), ==, 74);

  g_assert_true (zz_age_recipient_decode (recipient, back, &error));
  g_assert_cmpmem (back, sizeof back, k.pk, sizeof k.pk);
  g_assert_true (zz_age_identity_decode (file, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, sizeof back, k.sk, sizeof k.sk);

  /* one character changed: the checksum catches it */
  bad = g_strdup (recipient);
  bad[10] = bad[10] == 'q' ? 'p' : 'q';
  g_assert_false (zz_age_recipient_decode (bad, back, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);
  /* mixed case, the wrong kind of key, nothing */
  mixed = g_strdup (recipient);
  for (char *c = mixed + 4; *c; c++)
    if (g_ascii_islower (*c))
      {
        *c = g_ascii_toupper (*c);
        break;
      }
  g_assert_false (zz_age_recipient_decode (mixed, back, NULL));
  g_assert_false (zz_age_recipient_decode (identity, back, NULL));
  g_assert_false (zz_age_identity_decode (recipient, back, NULL));
  g_assert_false (zz_age_identity_decode ("# only a comment\n", back, NULL));
  g_assert_false (zz_age_recipient_decode ("", back, NULL));
}

/* Ed25519 node keys convert to an X25519 pair that works as an age key pair. */
static void
test_ed25519 (void)
{
  guint8 ed_pk[crypto_sign_PUBLICKEYBYTES], ed_sk[crypto_sign_SECRETKEYBYTES];
  Key k;
  g_autoptr (GBytes) plain = random_bytes (1000);
  g_autoptr (GBytes) sealed = NULL;

  crypto_sign_keypair (ed_pk, ed_sk);
  g_assert_true (zz_age_x25519_public_from_ed25519 (ed_pk, k.pk));
  zz_age_x25519_secret_from_ed25519 (ed_sk, k.sk);
  sealed = encrypt_to (&k, plain);
  assert_opens (sealed, &k, NULL, plain);
}

static void
test_round_trip (void)
{
  const gsize sizes[] = { 0, 1, 100, ZZ_AGE_CHUNK - 1, ZZ_AGE_CHUNK, ZZ_AGE_CHUNK + 1, 2 * ZZ_AGE_CHUNK,
                          3 * ZZ_AGE_CHUNK + 7 };
  Key k = new_key ();

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr (GBytes) plain = random_bytes (sizes[i]);
      g_autoptr (GBytes) sealed = encrypt_to (&k, plain);
      const char *data = g_bytes_get_data (sealed, NULL);
      gsize n_chunks = sizes[i] == 0 ? 1 : (sizes[i] + ZZ_AGE_CHUNK - 1) / ZZ_AGE_CHUNK;
      const char *end_of_header = g_strstr_len (data, g_bytes_get_size (sealed), "\n--- ");
      gsize header = (gsize) (strchr (end_of_header + 1, '\n') + 1 - data);

      g_assert_true (zz_age_has_header (data, g_bytes_get_size (sealed)));
      g_assert_cmpuint (g_bytes_get_size (sealed), ==, header + 16 + sizes[i] + 16 * n_chunks);
      assert_opens (sealed, &k, NULL, plain);
    }
}

static void
test_several_recipients (void)
{
  Key keys[3] = { new_key (), new_key (), new_key () }, stranger = new_key ();
  guint8 pks[3][ZZ_AGE_KEY_BYTES];
  g_autoptr (GBytes) plain = random_bytes (5000);
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 3; i++)
    memcpy (pks[i], keys[i].pk, ZZ_AGE_KEY_BYTES);
  sealed = zz_age_encrypt (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                           (const guint8 (*)[ZZ_AGE_KEY_BYTES]) pks, 3, NULL, 0, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    assert_opens (sealed, &keys[i], NULL, plain);
  assert_refused (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &stranger, NULL, ZZ_ERROR_AUTH);
}

static GBytes *
encrypt_with (const char *passphrase, int log_n, GBytes *plain)
{
  g_autoptr (GError) error = NULL;
  GBytes *sealed = zz_age_encrypt (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), NULL, 0,
                                   passphrase, log_n, &error);

  g_assert_no_error (error);
  return sealed;
}

static void
test_passphrase (void)
{
  Key k = new_key ();
  g_autoptr (GBytes) plain = random_bytes (70000);
  g_autoptr (GBytes) sealed = encrypt_with ("村里的备份 2026", FAST_LOG_N, plain);
  g_autoptr (GBytes) to_key = encrypt_to (&k, plain);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (sealed, NULL), 200);
  g_autoptr (GString) greedy = NULL;
  char *log_n;

  g_assert_nonnull (strstr (text, "\n-> scrypt "));
  assert_opens (sealed, NULL, "村里的备份 2026", plain);
  assert_refused (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), NULL, "wrong", ZZ_ERROR_AUTH);
  assert_refused (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), &k, NULL, ZZ_ERROR_AUTH);
  assert_refused (g_bytes_get_data (to_key, NULL), g_bytes_get_size (to_key), NULL, "村里的备份 2026",
                  ZZ_ERROR_AUTH);

  /* an empty passphrase, or both kinds of recipient, are refused before anything is written */
  g_assert_null (zz_age_encrypt ("x", 1, NULL, 0, "", 0, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (zz_age_encrypt ("x", 1, (const guint8 (*)[ZZ_AGE_KEY_BYTES]) k.pk, 1, "p", 0, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_INVALID);
  g_clear_error (&error);

  /* a file asking for more work than we allow is refused before any is done */
  greedy = g_string_new_len (g_bytes_get_data (sealed, NULL), (gssize) g_bytes_get_size (sealed));
  log_n = strstr (greedy->str, " 10\n");
  g_assert_nonnull (log_n);
  memcpy (log_n, " 30\n", 4);
  assert_refused (greedy->str, greedy->len, NULL, "村里的备份 2026", ZZ_ERROR_FORMAT);
}

/* Every change to a file is noticed: no byte of header, nonce or payload can be altered, no chunk
 * dropped or moved, no byte cut or added. */
static void
test_tamper (void)
{
  Key k = new_key ();
  g_autoptr (GBytes) plain = random_bytes (3 * ZZ_AGE_CHUNK + 100);
  g_autoptr (GBytes) sealed = encrypt_to (&k, plain);
  gsize len = g_bytes_get_size (sealed);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), len);
  const char *nl = g_strstr_len ((const char *) copy, (gssize) len, "\n--- ");
  gsize header = (gsize) ((const guint8 *) strchr (nl + 1, '\n') + 1 - copy);
  const gsize sealed_chunk = ZZ_AGE_CHUNK + 16;

  for (gsize pos = 0; pos < len; pos += (pos < header + 32 ? 1 : 997))
    {
      guint8 was = copy[pos];

      copy[pos] ^= 0x01;
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) opened = zz_age_decrypt (copy, len, k.sk, NULL, 0, &error);
        g_assert_null (opened);
        g_assert_true (g_error_matches (error, ZZ_ERROR, ZZ_ERROR_FORMAT)
                       || g_error_matches (error, ZZ_ERROR, ZZ_ERROR_AUTH));
      }
      copy[pos] = was;
    }
  for (gsize cut = 0; cut < len; cut += (cut < header + 40 ? 1 : 4099))
    assert_refused (copy, cut, &k, NULL, ZZ_ERROR_FORMAT);
  /* cut exactly at a chunk boundary: the chunk before was not sealed as the last */
  assert_refused (copy, header + 16 + sealed_chunk, &k, NULL, ZZ_ERROR_FORMAT);
  assert_refused (copy, header + 16 + 2 * sealed_chunk, &k, NULL, ZZ_ERROR_FORMAT);
  {
    g_autofree guint8 *longer = g_malloc (len + 1);
    memcpy (longer, copy, len);
    longer[len] = 0;
    assert_refused (longer, len + 1, &k, NULL, ZZ_ERROR_FORMAT);
  }
  /* two chunks swapped */
  {
    g_autofree guint8 *swapped = g_memdup2 (copy, len);
    memcpy (swapped + header + 16, copy + header + 16 + sealed_chunk, sealed_chunk);
    memcpy (swapped + header + 16 + sealed_chunk, copy + header + 16, sealed_chunk);
    assert_refused (swapped, len, &k, NULL, ZZ_ERROR_FORMAT);
  }
  assert_opens (sealed, &k, NULL, plain);
}

/* A stanza lifted from another file to the same key opens a different file key: the header MAC
 * (or the payload) refuses it. */
static void
test_swapped_stanza (void)
{
  Key k = new_key ();
  g_autoptr (GBytes) plain = random_bytes (100);
  g_autoptr (GBytes) a = encrypt_to (&k, plain);
  g_autoptr (GBytes) b = encrypt_to (&k, plain);
  g_autofree char *ta = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_autofree char *tb = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  /* the stanza is lines 2 and 3 */
  char *a_stanza = strchr (ta, '\n') + 1, *a_end = strstr (a_stanza, "\n---");
  char *b_stanza = strchr (tb, '\n') + 1, *b_end = strstr (b_stanza, "\n---");
  g_autoptr (GString) mixed = g_string_new_len (ta, a_stanza - ta);

  g_string_append_len (mixed, b_stanza, b_end - b_stanza);
  g_string_append_len (mixed, a_end, (gssize) (g_bytes_get_size (a) - (gsize) (a_end - ta)));
  g_assert_cmpuint (mixed->len, ==, g_bytes_get_size (a));
  assert_refused (mixed->str, mixed->len, &k, NULL, ZZ_ERROR_FORMAT);

  /* a malformed stanza body, an unknown stanza before ours (skipped, as age does, but the MAC
   * then fails because the header changed), not age at all */
  {
    const char *malformed = "age-encryption.org/v1\n-> X25519 abc\n@@@\n--- x\n";
    assert_refused (malformed, strlen (malformed), &k, NULL, ZZ_ERROR_FORMAT);
    assert_refused ("not age at all\n", strlen ("not age at all\n"), &k, NULL, ZZ_ERROR_FORMAT);
  }
  assert_refused ("", 0, &k, NULL, ZZ_ERROR_FORMAT);
  {
    g_autoptr (GString) extra = g_string_new_len (ta, a_stanza - ta);
    g_string_append (extra, "-> future-kind arg\nAAAA\n");
    g_string_append_len (extra, a_stanza, (gssize) (g_bytes_get_size (a) - (gsize) (a_stanza - ta)));
    assert_refused (extra->str, extra->len, &k, NULL, ZZ_ERROR_FORMAT);
  }
}

static void
test_limit_and_streams (void)
{
  Key k = new_key ();
  g_autoptr (GBytes) plain = random_bytes (1024 * 1024 + 3);
  g_autoptr (GBytes) sealed = encrypt_to (&k, plain);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) opened = zz_age_decrypt (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                                              k.sk, NULL, 1024 * 1024, &error);
  g_autofree char *dir = g_dir_make_tmp ("zz-age-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "plain", NULL);
  g_autofree char *dst = g_build_filename (dir, "sealed.age", NULL);
  g_autofree char *back = g_build_filename (dir, "back", NULL);
  g_autofree char *got = NULL;
  gsize got_len = 0;

  g_assert_null (opened);
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (src, g_bytes_get_data (plain, NULL), (gssize) g_bytes_get_size (plain), NULL));
  {
    g_autoptr (GFile) fs = g_file_new_for_path (src), fd = g_file_new_for_path (dst), fb = g_file_new_for_path (back);
    g_autoptr (GFileInputStream) in = g_file_read (fs, NULL, &error);
    g_autoptr (GFileOutputStream) out = g_file_replace (fd, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
    g_autoptr (GFileInputStream) in2 = NULL;
    g_autoptr (GFileOutputStream) out2 = NULL;

    g_assert_true (zz_age_encrypt_stream (G_INPUT_STREAM (in), G_OUTPUT_STREAM (out),
                                          (const guint8 (*)[ZZ_AGE_KEY_BYTES]) k.pk, 1, NULL, 0, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));
    in2 = g_file_read (fd, NULL, &error);
    out2 = g_file_replace (fb, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
    g_assert_true (zz_age_decrypt_stream (G_INPUT_STREAM (in2), G_OUTPUT_STREAM (out2), k.sk, NULL, 0, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out2), NULL, NULL));
  }
  g_assert_true (g_file_get_contents (back, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_unlink (src), g_unlink (dst), g_unlink (back), g_rmdir (dir);
}

/* ---- with Debian's own age ---- */

static gboolean
run (const char * const *argv, const char *stdin_path, char **out)
{
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                 | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (GError) error = NULL;

  if (stdin_path)
    g_subprocess_launcher_set_stdin_file_path (l, stdin_path);
  p = g_subprocess_launcher_spawnv (l, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (p) && g_subprocess_get_exit_status (p) == 0;
}

/* age reads a passphrase only from a terminal: tests/age-passphrase.py drives it through a
 * pseudo-terminal. */
#define PTY_DRIVER (g_getenv ("ZZ_AGE_PASSPHRASE"))

static void
test_age_binary (void)
{
  g_autofree char *age = g_find_program_in_path ("age");
  g_autofree char *dir = NULL, *id_path = NULL, *plain_path = NULL, *ours = NULL, *theirs = NULL, *back = NULL;
  g_autofree char *recipient = NULL, *identity = NULL, *id_text = NULL, *log = NULL, *got = NULL, *theirs_data = NULL;
  g_autoptr (GBytes) plain = random_bytes (200000);
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (GError) error = NULL;
  gsize got_len = 0, theirs_len = 0;
  Key k = new_key ();

  if (age == NULL || g_find_program_in_path ("python3") == NULL)
    {
      g_test_skip ("age or python3 is not installed (build-aux/dev deps installs them)");
      return;
    }
  g_assert_nonnull (PTY_DRIVER);
  dir = g_dir_make_tmp ("zz-age-bin-XXXXXX", NULL);
  id_path = g_build_filename (dir, "identity.txt", NULL);
  plain_path = g_build_filename (dir, "plain", NULL);
  ours = g_build_filename (dir, "ours.age", NULL);
  theirs = g_build_filename (dir, "theirs.age", NULL);
  back = g_build_filename (dir, "back", NULL);
  recipient = zz_age_recipient_encode (k.pk);
  identity = zz_age_identity_encode (k.sk);
  id_text = g_strdup_printf ("# public key: %s\n%s\n", recipient, identity);
  g_assert_true (g_file_set_contents (id_path, id_text, -1, NULL));
  g_assert_true (g_file_set_contents (plain_path, g_bytes_get_data (plain, NULL), (gssize) g_bytes_get_size (plain), NULL));

  /* age decrypts ours */
  sealed = encrypt_to (&k, plain);
  g_assert_true (g_file_set_contents (ours, g_bytes_get_data (sealed, NULL), (gssize) g_bytes_get_size (sealed), NULL));
  g_assert_true (run ((const char *[]) { "age", "-d", "-i", id_path, "-o", back, ours, NULL }, NULL, &log));
  g_assert_true (g_file_get_contents (back, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&log, g_free);

  /* we decrypt age's, to our recipient string */
  g_assert_true (run ((const char *[]) { "age", "-r", recipient, "-o", theirs, plain_path, NULL }, NULL, &log));
  g_assert_true (g_file_get_contents (theirs, &theirs_data, &theirs_len, NULL));
  {
    g_autoptr (GBytes) opened = zz_age_decrypt (theirs_data, theirs_len, k.sk, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (opened, plain));
  }
  g_clear_pointer (&log, g_free);
  g_clear_pointer (&theirs_data, g_free);

  /* keys from age-keygen decode to a pair whose public half we compute the same */
  {
    g_autofree char *kg = g_build_filename (dir, "kg.txt", NULL), *text = NULL;
    guint8 sk[ZZ_AGE_KEY_BYTES], pk[ZZ_AGE_KEY_BYTES];
    g_autofree char *pub = NULL;
    if (g_find_program_in_path ("age-keygen") != NULL)
      {
        g_assert_true (run ((const char *[]) { "age-keygen", "-o", kg, NULL }, NULL, &log));
        g_assert_true (g_file_get_contents (kg, &text, NULL, NULL));
        g_assert_true (zz_age_identity_decode (text, sk, &error));
        crypto_scalarmult_base (pk, sk);
        pub = zz_age_recipient_encode (pk);
        g_assert_nonnull (strstr (text, pub));
        g_clear_pointer (&log, g_free);
        g_unlink (kg);
      }
  }

  /* passphrases both ways: age opens ours, we open age's */
  g_clear_pointer (&sealed, g_bytes_unref);
  sealed = encrypt_with ("备份口令 correct horse", FAST_LOG_N, plain);
  g_assert_true (g_file_set_contents (ours, g_bytes_get_data (sealed, NULL), (gssize) g_bytes_get_size (sealed), NULL));
  g_unlink (back);
  g_assert_true (run ((const char *[]) { "python3", PTY_DRIVER, "备份口令 correct horse",
                                         "age", "-d", "-o", back, ours, NULL }, NULL, &log));
  g_assert_true (g_file_get_contents (back, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_clear_pointer (&log, g_free);
  g_unlink (theirs);
  g_assert_true (run ((const char *[]) { "python3", PTY_DRIVER, "备份口令 correct horse",
                                         "age", "-p", "-o", theirs, plain_path, NULL }, NULL, &log));
  g_assert_true (g_file_get_contents (theirs, &theirs_data, &theirs_len, NULL));
  {
    g_autoptr (GBytes) opened = zz_age_decrypt (theirs_data, theirs_len, NULL, "备份口令 correct horse", 0, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (opened, plain));
  }
  g_unlink (id_path), g_unlink (plain_path), g_unlink (ours), g_unlink (theirs), g_unlink (back);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/age/keys", test_keys);
  g_test_add_func ("/age/ed25519", test_ed25519);
  g_test_add_func ("/age/round-trip", test_round_trip);
  g_test_add_func ("/age/several-recipients", test_several_recipients);
  g_test_add_func ("/age/passphrase", test_passphrase);
  g_test_add_func ("/age/tamper", test_tamper);
  g_test_add_func ("/age/swapped-stanza", test_swapped_stanza);
  g_test_add_func ("/age/limit-and-streams", test_limit_and_streams);
  g_test_add_func ("/age/age-binary", test_age_binary);
  return g_test_run ();
}
