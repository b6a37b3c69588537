/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long work (an import, an export, demo data) tells how far it got: @fraction from 0 to 1,
 * called on the thread that does the work. */
typedef void (*ZzProgressFunc) (double fraction, gpointer user_data);

G_END_DECLS
