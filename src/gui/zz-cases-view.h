/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"
#include "zz-row.h"

G_BEGIN_DECLS

#define ZZ_TYPE_CASES_VIEW (zz_cases_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzCasesView, zz_cases_view, ZZ, CASES_VIEW, AdwBin)

void zz_cases_view_setup            (ZzCasesView   *self,
                                     ZzApplication *app);
/* Shows a case's page. */
void zz_cases_view_open_case        (ZzCasesView   *self,
                                     const char    *case_id);
/* Opens the intake form for a reception visit: the visitor and purpose carried over, the visit
 * linked. @ticket is a row of zz_store_list_tickets(). */
void zz_cases_view_intake_from_visit (ZzCasesView  *self,
                                      ZzRow        *ticket);
/* Opens the intake form for a case registered directly. */
void zz_cases_view_new_case         (ZzCasesView   *self);

G_END_DECLS

G_BEGIN_DECLS
/* Writes the agreement of a mediation attempt to @path (what "Save Agreement" does after the
 * file chooser). */
gboolean zz_cases_view_save_agreement (ZzCasesView *self,
                                       const char  *attempt_id,
                                       const char  *path,
                                       GError     **error);
G_END_DECLS
