/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

#define ZZ_TYPE_DEPARTMENT_DIALOG (zz_department_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZzDepartmentDialog, zz_department_dialog, ZZ, DEPARTMENT_DIALOG, AdwWindow)

/* Adds a department with its window (@department NULL) or edits one (a row of
 * zz_store_list_departments()). Errors from the store stay in the dialog. */
ZzDepartmentDialog *zz_department_dialog_new (ZzApplication *app,
                                              GtkWindow     *parent,
                                              ZzRow         *department);

G_END_DECLS
