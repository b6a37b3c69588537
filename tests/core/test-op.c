/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-error.h"
#include "zz-op.h"

#define PREV "0000000000000000000000000000000000000000000000000000000000000000"
#define PARENT "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static gboolean
parses (const char *body)
{
  ZzOp op;
  g_autoptr(GError) error = NULL;
  gboolean ok = zz_op_parse (body, strlen (body), &op, &error);

  if (ok)
    zz_op_clear (&op);
  else
    g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  return ok;
}

static void
test_parse (void)
{
  const char *body = "{\"v\":1,\"o\":\"abc\",\"s\":7,\"p\":\"" PREV "\",\"c\":123456,\"a\":\"u1\",\"k\":\"set\","
                     "\"t\":\"person\",\"r\":\"r1\",\"h\":\"433122\",\"f\":{\"phone\":\"139\\n\\u4e2d\"},\"P\":[\"" PARENT "\"]}";
  ZzOp op;
  g_autoptr(GError) error = NULL;

  g_assert_true (zz_op_parse (body, strlen (body), &op, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (op.origin, ==, "abc");
  g_assert_cmpint (op.seq, ==, 7);
  g_assert_cmpuint (op.hlc, ==, 123456);
  g_assert_cmpstr (op.kind, ==, "set");
  g_assert_cmpuint (op.n_fields, ==, 1);
  g_assert_cmpstr (op.fields[0].name, ==, "phone");
  g_assert_cmpstr (op.fields[0].s, ==, "139\n中");
  g_assert_cmpuint (op.n_parents, ==, 1);
  g_assert_cmpuint (op.parents[0][1], ==, 0x11);
  zz_op_clear (&op);

  {
    gint64 seq = 0;
    ZzHlc hlc = 0;
    g_assert_true (zz_op_peek (body, strlen (body), "abc", &seq, &hlc));
    g_assert_cmpint (seq, ==, 7);
    g_assert_cmpuint (hlc, ==, 123456);
    g_assert_false (zz_op_peek (body, strlen (body), "abd", &seq, &hlc));
  }
}

static void
test_refused (void)
{
#define HEAD "{\"v\":1,\"o\":\"abc\",\"s\":1,\"p\":\"" PREV "\",\"c\":1,\"a\":null,\"k\":\"create\",\"t\":\"person\",\"r\":\"r1\",\"h\":\"433122\""
  g_assert_true (parses (HEAD ",\"f\":{\"name\":\"王\",\"people\":2,\"note\":null}}"));
  g_assert_false (parses (HEAD ",\"f\":{}} "  "x"));                          /* trailing bytes */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":1.5}}"));                    /* floats */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":1e3}}"));
  g_assert_false (parses (HEAD ",\"f\":{\"name\":\"a\",\"name\":\"b\"}}"));   /* duplicate field */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":{\"x\":1}}}"));              /* nesting */
  g_assert_false (parses (HEAD ",\"f\":{},\"x\":1}"));                        /* unknown key */
  g_assert_false (parses (HEAD ",\"f\":{},\"k\":\"set\"}"));                  /* repeated key */
  g_assert_false (parses (HEAD "}"));                                         /* fields missing */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":\"\\ud800\"}}"));            /* lone surrogate */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":\"\\u0000\"}}"));            /* NUL */
  g_assert_false (parses (HEAD ",\"f\":{\"name\":\"a\tb\"}}"));               /* raw control */
  g_assert_false (parses (HEAD ",\"f\":{\"n\":99999999999999999999}}"));     /* overflow */
  g_assert_false (parses (HEAD ",\"f\":{},\"P\":[\"00\"]}"));                 /* short hash */
  g_assert_false (parses (HEAD ",\"f\":{},\"P\":[\"" "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff" "\"]}"));
  g_assert_false (parses ("{\"v\":2,\"o\":\"abc\"}"));
  g_assert_false (parses (""));
#undef HEAD
}

static void
test_org (void)
{
  g_assert_cmpint (zz_org_level ("43"), ==, 1);
  g_assert_cmpint (zz_org_level ("4331"), ==, 2);
  g_assert_cmpint (zz_org_level ("433122"), ==, 3);
  g_assert_cmpint (zz_org_level ("433122102"), ==, 4);
  g_assert_cmpint (zz_org_level ("433122102200"), ==, 5);
  g_assert_cmpint (zz_org_level ("43312"), ==, 0);
  g_assert_cmpint (zz_org_level ("4331a2"), ==, 0);
  g_assert_cmpint (zz_org_level (""), ==, 0);
  g_assert_true (zz_org_within ("433122102200", "433122"));
  g_assert_true (zz_org_within ("433122", "433122"));
  g_assert_false (zz_org_within ("433122", "433122102"));
  g_assert_false (zz_org_within ("433123102", "433122"));
  g_assert_false (zz_org_within ("4331221", "433122"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/op/parse", test_parse);
  g_test_add_func ("/op/refused", test_refused);
  g_test_add_func ("/op/org-units", test_org);
  return g_test_run ();
}
