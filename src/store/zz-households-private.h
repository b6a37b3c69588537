/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-households.h"
#include "zz-store.h"

G_BEGIN_DECLS

/* Registers the SQL function zz_household_due(grade, last_visit_day, graded_on) -> "YYYY-MM-DD"
 * (NULL when ungraded) on the store's connection, loaded with the weight scheme and visit
 * cadences in force. Call before each query that uses it. */
void zz_store_prepare_household_due (ZzStore *self);

/* The checks zz_store_register_household() makes, without writing anything. */
gboolean zz_store_check_household (ZzStore *self, const ZzHouseholdInput *in, GError **error);

G_END_DECLS
