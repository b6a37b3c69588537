/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @s as a JSON string literal (quoted, escaped). Used for op bodies, which are written
 * once in a fixed key order so that the bytes stored are the bytes hashed and sent. */
void zz_json_append_string (GString    *out,
                            const char *s);

G_END_DECLS
