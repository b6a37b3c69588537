/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "zz-cases.h"

G_BEGIN_DECLS

/* The mediation agreement (调解协议书) of an attempt that reached an agreement, as an A4 PDF both
 * parties sign: the parties with their ID numbers, the dispute, the agreed terms, date, place,
 * mediators and signature lines. ID numbers are printed in full only for a role that may see
 * them (the view is logged). */
/* The agreement of an attempt, loaded once (refused as zz_agreement_write_pdf() is) and drawn
 * by one function for the PDF and for printing. */
typedef struct _ZzAgreement ZzAgreement;

#define ZZ_AGREEMENT_PAGE_W 595.28   /* A4, in points */
#define ZZ_AGREEMENT_PAGE_H 841.89

ZzAgreement *zz_agreement_new        (ZzStore     *store,
                                      const char  *attempt_id,
                                      GError     **error);
void         zz_agreement_free       (ZzAgreement *agreement);
const char  *zz_agreement_get_case_number (ZzAgreement *agreement);
/* Pages of @width x @height points (the layout is measured on @cr) and the drawing of one. */
int          zz_agreement_n_pages    (ZzAgreement *agreement,
                                      cairo_t     *cr,
                                      double       width,
                                      double       height);
void         zz_agreement_draw_page  (ZzAgreement *agreement,
                                      cairo_t     *cr,
                                      double       width,
                                      double       height,
                                      int          page);

gboolean zz_agreement_write_pdf (ZzStore    *store,
                                 const char *attempt_id,
                                 const char *path,
                                 GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzAgreement, zz_agreement_free)

G_END_DECLS
