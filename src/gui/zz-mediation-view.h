/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

/* The mediation ledger (调解台账): every attempt across cases, newest first, by level, and the
 * tier-rule review items raised when offline nodes recorded more attempts than the rule allows.
 * A row opens its case. */
#define ZZ_TYPE_MEDIATION_VIEW (zz_mediation_view_get_type ())
G_DECLARE_FINAL_TYPE (ZzMediationView, zz_mediation_view, ZZ, MEDIATION_VIEW, AdwBin)

void     zz_mediation_view_setup  (ZzMediationView *self,
                                   ZzApplication   *app);
/* Writes the ledger as shown (level, days from and to, search) to @path as .xlsx: every
 * matching attempt, not only the rows on screen. */
gboolean zz_mediation_view_export (ZzMediationView *self,
                                   const char      *path,
                                   GError         **error);

G_END_DECLS
