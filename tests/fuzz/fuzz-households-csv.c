/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A household register (CSV) as a mediator imports it: read, checked in a dry run, and when the
 * dry run says N rows can be added, imported, which must then add exactly those N rows. */
#include "config.h"

#include <string.h>

#include "zz-households.h"
#include "zz-test-store.h"
#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static ZzFuzzStore *fs;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char seed1[] =
    "户主姓名,所属村,家庭住址,身份证号码,联系电话,包保责任人\r\n"
    "李一,龙溪口村,一组1号,433122198001010010,,田支书\r\n"
    "李二,六里村,\"一组5号,西头\",,0743-4521234#123,田支书\r\n";
  static const char seed2[] =
    "name,village,address,id number,phone,relation,grid worker,official,notes\n"
    "王五,433122102201,二组,,13907430005,户主,张网格,李包保,独居老人\n"
    ",,,,,,,,\n"
    "赵六,unknown,三组,12345,abc,,,,\n";
  ZzTestStore *ts;
  ZzStore *store;

  zz_fuzz_init ();
  zz_fuzz_reset_random ();
  zz_fuzz_write_seed ("register.csv", seed1, strlen (seed1));
  zz_fuzz_write_seed ("english.csv", seed2, strlen (seed2));
  ts = zz_test_store_new ();
  store = g_steal_pointer (&ts->store);
  fs = zz_fuzz_store_adopt (store, ts->path, zz_test_login (ZZ_ROLE_MEDIATOR));
  zz_test_store_free (ts);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ZzStore *store = zz_fuzz_store_get (fs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) problems = NULL;
  ZzHouseholdImport *imp;
  guint good = 0, added = 0;

  zz_fuzz_reset_random ();
  imp = zz_household_import_new ((const char *) data, size, &error);
  if (!imp)
    {
      g_assert (error != NULL);
      return 0;
    }
  for (guint i = 0; i < zz_household_import_n_headers (imp); i++)
    g_assert (g_utf8_validate (zz_household_import_header (imp, i), -1, NULL));
  if (zz_household_import_run (imp, store, FALSE, NULL, NULL, &good, &problems, &error) && good > 0)
    {
      g_clear_object (&problems);
      zz_fuzz_store_dirty (fs);
      /* the dry run's promise: the rows it accepted are added */
      if (!zz_household_import_run (imp, store, TRUE, NULL, NULL, &added, &problems, &error))
        g_error ("the dry run accepted %u rows, the import refused: %s", good, error->message);
      g_assert_cmpuint (added, ==, good);
    }
  zz_household_import_free (imp);
  return 0;
}
