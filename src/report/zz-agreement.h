/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-cases.h"

G_BEGIN_DECLS

/* The mediation agreement (调解协议书) of an attempt that reached an agreement, as an A4 PDF both
 * parties sign: the parties with their ID numbers, the dispute, the agreed terms, date, place,
 * mediators and signature lines. ID numbers are printed in full only for a role that may see
 * them (the view is logged). */
gboolean zz_agreement_write_pdf (ZzStore    *store,
                                 const char *attempt_id,
                                 const char *path,
                                 GError    **error);

G_END_DECLS
