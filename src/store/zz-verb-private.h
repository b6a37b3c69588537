/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store-private.h"

G_BEGIN_DECLS

/* What the store's verb files (zz-cases.c, zz-desk.c, zz-households.c) share: one copy each. */

/* Masks an ID number in SQL unless parameter @param is 1: the first 6 and last 4 shown. */
#define ZZ_MASKED_ID(col, param) \
  "CASE WHEN " param " OR " col " IS NULL OR length(" col ") < 11 THEN " col \
  " ELSE substr(" col ", 1, 6) || substr('********', 1, length(" col ") - 10) || substr(" col ", -4) END"

/* Rolls back the verb's transaction and returns FALSE (its GError is already set). */
gboolean  zz_verb_fail       (ZzStore     *self);
/* @s without leading and trailing white space; "" for NULL. Free with g_free(). */
char     *zz_verb_clean_text (const char  *s);
/* Sets ZZ_ERROR_INVALID with @message (already translated) and returns FALSE. */
gboolean  zz_verb_invalid    (GError     **error,
                              const char  *message);

G_END_DECLS
