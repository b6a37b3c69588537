/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mainland mobile numbers (11 digits starting 1[3-9]) and landlines (area code 0xx or 0xxx,
 * 7 or 8 digits, optional extension). Spaces and dashes are dropped, +86 / 0086 accepted. */
gboolean zz_phone_validate (const char  *text,
                            char       **normalized,
                            GError     **error);

G_END_DECLS
