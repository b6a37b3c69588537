/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-verb-private.h"

gboolean
zz_verb_fail (ZzStore *self)
{
  zz_store_rollback (self);
  return FALSE;
}

char *
zz_verb_clean_text (const char *s)
{
  return g_strstrip (g_strdup (s ? s : ""));
}

gboolean
zz_verb_invalid (GError **error, const char *message)
{
  g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, message);
  return FALSE;
}
