/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_HOUSEHOLDS_VIEW (zz_households_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzHouseholdsView, zz_households_view, ZZ, HOUSEHOLDS_VIEW, AdwBin)

void        zz_households_view_setup  (ZzHouseholdsView *self, ZzApplication *app);
/* Shows a household's page (NULL: none). */
void        zz_households_view_show   (ZzHouseholdsView *self, const char *household_id);
const char *zz_households_view_get_current (ZzHouseholdsView *self);

G_END_DECLS
