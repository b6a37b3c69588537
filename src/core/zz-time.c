/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-time.h"

GTimeZone *
zz_local_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, g_time_zone_new_local ());
  return zone;
}
