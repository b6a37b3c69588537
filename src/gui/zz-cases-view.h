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
/* Opens the intake form for a matter of a risk household: the household's village as the place,
 * the case linked to it, its head (or @member_id, a member) ticked as applicant. */
void zz_cases_view_intake_from_household (ZzCasesView *self,
                                          const char  *household_id,
                                          const char  *member_id);
/* Opens the intake form for a case registered directly. */
void zz_cases_view_new_case         (ZzCasesView   *self);

G_END_DECLS

G_BEGIN_DECLS
/* Writes the case list as it stands (filters, search, sort) to @path, .xlsx or .csv by its
 * extension (what "Export…" does after the file chooser); the rows written in @n_written. */
gboolean zz_cases_view_export_list (ZzCasesView *self,
                                    const char  *path,
                                    guint64     *n_written,
                                    GError     **error);
/* Writes the agreement of a mediation attempt to @path (what "Save Agreement" does after the
 * file chooser). */
gboolean zz_cases_view_save_agreement (ZzCasesView *self,
                                       const char  *attempt_id,
                                       const char  *path,
                                       GError     **error);
/* Prints the agreement of a mediation attempt (the Print button); with @export_path, writes what
 * would be printed to that PDF file without a dialog. */
gboolean zz_cases_view_print_agreement (ZzCasesView *self,
                                        const char  *attempt_id,
                                        const char  *export_path,
                                        GError     **error);
G_END_DECLS
