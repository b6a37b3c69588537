/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "zz-application.h"
#include "zz-store.h"

int
main (int argc, char **argv)
{
  g_autoptr(ZzApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* ZZ_LOCALEDIR points an uninstalled build (build-aux/dev run, tests) at its compiled catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, zz_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = zz_application_new (NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
