/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* With zz_demo_set_sync (TRUE): the demo county trusts its own key and enrols a township node
 * (达岚镇), whose bundles it has imported: peers, a conflict to review and a refused change with
 * its reason on the sync page. Off by default (it adds records other demo users would count). */
void     zz_demo_set_sync (gboolean        enabled);
gboolean zz_demo_sync     (ZzStore        *county,
                           GError        **error);

G_END_DECLS
