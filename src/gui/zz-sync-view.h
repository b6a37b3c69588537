/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

/* Exchange of signed change bundles: export to a folder, a removable drive or by email, import by
 * file chooser or drag and drop, peers, conflicts to review and the trusted keys. */
#define ZZ_TYPE_SYNC_VIEW (zz_sync_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzSyncView, zz_sync_view, ZZ, SYNC_VIEW, AdwBin)

void zz_sync_view_setup (ZzSyncView *self, ZzApplication *app);

G_END_DECLS
