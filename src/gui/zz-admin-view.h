/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_ADMIN_VIEW (zz_admin_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzAdminView, zz_admin_view, ZZ, ADMIN_VIEW, AdwBin)

void zz_admin_view_setup (ZzAdminView *self, ZzApplication *app);

G_END_DECLS
