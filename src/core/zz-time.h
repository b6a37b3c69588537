/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The local time zone, looked up once: GLib reads /etc/localtime on every
 * g_time_zone_new_local(), which showed as half the cost of a registration. */
GTimeZone *zz_local_zone (void);

G_END_DECLS
