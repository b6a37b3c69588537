/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* Demo cases through the real verbs, with parties, dispatches, supervision, mediation histories
 * under the tier rule, conclusions and return visits, spread over the 90 days before @now_ms.
 * Runs as the demo users (clerk, mediator, supervisor). */
gboolean zz_demo_cases      (ZzStore        *store,
                             guint           n,
                             gint64          now_ms,
                             ZzProgressFunc  progress,
                             gpointer        progress_data,
                             GError        **error);

/* Many cases fast, for the benchmark: persons, cases and parties (and an attempt for one case in
 * three) written through the one write path with their ops, in one transaction, without the
 * verbs' checks. */
gboolean zz_demo_bulk_cases (ZzStore        *store,
                             guint           n,
                             ZzProgressFunc  progress,
                             gpointer        progress_data,
                             GError        **error);

G_END_DECLS
