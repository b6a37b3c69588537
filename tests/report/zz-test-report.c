/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "zz-test-report.h"

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error))
    return FALSE;
  if (!WIFEXITED (status) || WEXITSTATUS (status) == 77)
    return FALSE;
  if (WEXITSTATUS (status) != 0)
    g_error ("%s failed: %s", argv[0], err);
  return TRUE;
}

JsonParser *
zz_test_read_xlsx (const char *path)
{
  g_autofree char *script = g_build_filename (g_getenv ("ZZ_TEST_SCRIPTS"), "read-xlsx.py", NULL);
  /* Debian's python3, which python3-openpyxl installs into, before any other on the PATH. */
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
  const char *argv[] = { python, script, path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonParser *parser;

  if (!run (argv, &out))
    return NULL;
  parser = json_parser_new ();
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return parser;
}

char *
zz_test_pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *prog = g_find_program_in_path ("pdftotext");
  char *out = NULL;

  if (!prog || !run (argv, &out))
    return NULL;
  return out;
}

int
zz_test_pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = NULL;
  const char *p;

  if (!run (argv, &out) || !(p = strstr (out, "Pages:")))
    return -1;
  return atoi (p + 6);
}

void
zz_test_rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        zz_test_rm_rf (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}
