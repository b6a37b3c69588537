/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_USER_DIALOG (zz_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZzUserDialog, zz_user_dialog, ZZ, USER_DIALOG, AdwWindow)

/* Adds a user (@user NULL) or edits one (a row of zz_store_list_users()). Errors from the store
 * stay in the dialog; it closes when the change is saved. */
ZzUserDialog *zz_user_dialog_new (ZzApplication *app,
                                  GtkWindow     *parent,
                                  ZzRow         *user);

G_END_DECLS
