/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-households.h"

G_BEGIN_DECLS

/* The dialogs of the households view: each is a modal window over @parent that calls a store verb
 * and stays open with the store's message when it refuses. Widgets a test drives carry a widget
 * name (gtk_widget_get_name). */

typedef void (*ZzHouseholdSavedFunc) (const char *household_id, gpointer user_data);

/* Register a household with its members and officials (@household_id NULL), or edit one. */
GtkWindow *zz_household_edit_dialog    (GtkWindow *parent, ZzStore *store, const char *household_id,
                                        ZzHouseholdSavedFunc saved, gpointer user_data);
GtkWindow *zz_household_member_dialog  (GtkWindow *parent, ZzStore *store, const char *household_id);
/* Risk factors with their weights, the live score and the grade it suggests; optionally the
 * group's proposal of a grade (小组初定) in the same dialog. */
GtkWindow *zz_household_assess_dialog  (GtkWindow *parent, ZzStore *store, const char *household_id);
/* The pending step (村议定, 乡镇审定 or a de-listing's approval): agree or send back. */
GtkWindow *zz_household_signoff_dialog (GtkWindow *parent, ZzStore *store, const char *household_id);
GtkWindow *zz_household_visit_dialog   (GtkWindow *parent, ZzStore *store, const char *household_id);
GtkWindow *zz_household_delist_dialog  (GtkWindow *parent, ZzStore *store, const char *household_id);
GtkWindow *zz_risk_scheme_dialog       (GtkWindow *parent, ZzStore *store);
/* The CSV import assistant: file, column mapping, dry run with every bad row, confirm. */
GtkWindow *zz_household_import_dialog  (GtkWindow *parent, ZzStore *store, GFile *file);

/* A grade badge that differs by shape and label as well as colour. */
GtkWidget *zz_grade_badge_new          (ZzGrade grade);

G_END_DECLS
