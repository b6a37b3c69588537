/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Division files (provinces, cities, areas, streets, villages), as an administrator imports them
 * at set-up: the input is the five files separated by form feeds (a missing one is empty). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zz-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const files[5] = { "provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv" };
static ZzFuzzStore *fs;
static char *dir;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char seed[] =
    "code,name\n43,湖南省\n\f"
    "code,name,provinceCode\n4331,湘西土家族苗族自治州,43\n\f"
    "code,name,cityCode,provinceCode\n433122,泸溪县,4331,43\n\f"
    "code,name,areaCode,provinceCode,cityCode\n433122102,达岚镇,433122,43,4331\n\f"
    "code,name,streetCode,provinceCode,cityCode,areaCode\n433122102201,龙溪口村,433122102,43,4331,433122\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *db_dir = NULL;
  g_autofree char *path = NULL;
  ZzStore *store;

  zz_fuzz_init ();
  zz_fuzz_write_seed ("luxi.txt", seed, strlen (seed));
  zz_fuzz_write_seed ("empty-villages.txt", seed, strrchr (seed, '\f') + 1 - seed);
  dir = zz_fuzz_tmpdir ();
  db_dir = zz_fuzz_tmpdir ();
  path = g_build_filename (db_dir, "zongzhi.db", NULL);
  store = zz_store_open (path, &error);
  g_assert_no_error (error);
  fs = zz_fuzz_store_adopt (store, path, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ZzStore *store = zz_fuzz_store_get (fs);
  const char *p = (const char *) data, *end = p + size;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      const char *ff = p < end ? memchr (p, '\f', end - p) : NULL;
      const char *stop = ff ? ff : end;
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_assert (g_file_set_contents (path, p < end ? p : "", p < end ? stop - p : 0, NULL));
      p = ff ? ff + 1 : end;
    }
  if (zz_store_import_divisions (store, dir, "433122", NULL, NULL, NULL, &count, &error))
    zz_fuzz_store_dirty (fs);
  else
    g_assert (error != NULL && error->message != NULL);
  return 0;
}
