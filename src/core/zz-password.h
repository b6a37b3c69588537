/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZZ_PASSWORD_MIN_LENGTH 8

/* At least 8 characters with both letters and digits, not the login name. */
gboolean zz_password_check_policy (const char *password,
                                   const char *login,
                                   GError    **error);
/* Argon2id (libsodium crypto_pwhash_str, interactive limits). */
char    *zz_password_hash         (const char *password,
                                   GError    **error);
gboolean zz_password_verify       (const char *hash,
                                   const char *password);

G_END_DECLS
