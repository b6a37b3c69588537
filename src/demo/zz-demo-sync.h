/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* The demo county trusts its own key and enrols a township node (达岚镇), whose bundles it has
 * imported: peers, a conflict to review and a refused change with its reason on the sync page.
 * zz_demo_create() does this when its options say sync. */
gboolean zz_demo_sync     (ZzStore        *county,
                           GError        **error);

G_END_DECLS
