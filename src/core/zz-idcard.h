/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Resident identity card numbers, GB 11643-1999: 17 digits (6 region, 8 birth date, 3 order)
 * and a check digit 0-9 or X computed over ISO 7064 MOD 11-2. */
gboolean  zz_idcard_validate   (const char  *text,
                                char       **normalized,
                                GError     **error);
char     *zz_idcard_check_char (const char  *first17);
char     *zz_idcard_mask       (const char  *id_number);
gboolean  zz_idcard_birth_date (const char  *id_number,
                                int         *year,
                                int         *month,
                                int         *day);
int       zz_idcard_sex        (const char  *id_number);

G_END_DECLS
