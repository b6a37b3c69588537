/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_LOGIN_WINDOW (zz_login_window_get_type ())
G_DECLARE_FINAL_TYPE (ZzLoginWindow, zz_login_window, ZZ, LOGIN_WINDOW, AdwApplicationWindow)

ZzLoginWindow *zz_login_window_new (ZzApplication *app);

G_END_DECLS
