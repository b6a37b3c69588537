/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-stats.h"

G_BEGIN_DECLS

/* zz_store_compute_stats() in a worker thread with its own connection to the same file, acting
 * as the current user at the store's present time, so the window never waits for the figures. */
void      zz_store_compute_stats_async  (ZzStore             *self,
                                         const char          *unit,
                                         const ZzPeriod      *period,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
ZzStats  *zz_store_compute_stats_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
