/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_DESK_VIEW (zz_desk_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzDeskView, zz_desk_view, ZZ, DESK_VIEW, AdwBin)

void zz_desk_view_setup (ZzDeskView *self, ZzApplication *app);

/* Prints the visitor register of @day ("YYYY-MM-DD"), or writes it to @export_path as PDF. */
gboolean zz_desk_view_print_register (ZzDeskView  *self,
                                      const char  *day,
                                      const char  *export_path,
                                      GError     **error);

G_END_DECLS
