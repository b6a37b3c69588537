/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-store.h"

G_BEGIN_DECLS

/* Adds the "Cases" page to the preferences: tier limits and default deadlines per category and
 * urgency. They are synced reference data (every node applies the same rule), stored through the
 * store's verbs, so only administrators and supervisors may change them. */
void zz_cases_preferences_add (AdwPreferencesWindow *window,
                               ZzStore              *store);

G_END_DECLS
