/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-reference.h"

G_BEGIN_DECLS

/* A small modal form for one step of a case (dispatch, mediation, conclusion, ...): rows of
 * fields, a Cancel and a default button, and an inline error. The submit function runs the
 * store verb; on an error the form stays open and shows the message under the fields. */
typedef struct _ZzCaseForm ZzCaseForm;
typedef gboolean (*ZzCaseFormSubmit) (ZzCaseForm *form, gpointer data, GError **error);

ZzCaseForm *zz_case_form_new          (GtkWidget        *parent,
                                       const char       *name,
                                       const char       *title,
                                       const char       *ok_label,
                                       ZzCaseFormSubmit  submit,
                                       gpointer          data,
                                       GDestroyNotify    destroy);
void        zz_case_form_add_note     (ZzCaseForm *form,
                                       const char *text);
GtkWidget  *zz_case_form_add_entry    (ZzCaseForm *form,
                                       const char *key,
                                       const char *title,
                                       const char *initial);
GtkWidget  *zz_case_form_add_text     (ZzCaseForm *form,
                                       const char *key,
                                       const char *title,
                                       const char *initial);
GtkWidget  *zz_case_form_add_combo    (ZzCaseForm    *form,
                                       const char    *key,
                                       const char    *title,
                                       const ZzVocab *vocab,
                                       guint          n,
                                       const char    *initial);
/* Check rows, one per item of @rows (ZzRow with id and @label_column). */
void        zz_case_form_add_checks   (ZzCaseForm *form,
                                       const char *key,
                                       const char *title,
                                       GListModel *rows,
                                       const char *label_column);
/* A field's text, or a combo's key; "" when empty. */
const char *zz_case_form_get          (ZzCaseForm *form,
                                       const char *key);
/* The ids checked in a check group, NULL-terminated. */
/* Checks (or unchecks) the check box of the row whose id is @id. */
void        zz_case_form_set_checked  (ZzCaseForm *form,
                                       const char *key,
                                       const char *id,
                                       gboolean    active);
GStrv       zz_case_form_get_checked  (ZzCaseForm *form,
                                       const char *key);
GtkWindow  *zz_case_form_get_window   (ZzCaseForm *form);
void        zz_case_form_present      (ZzCaseForm *form);
/* Called by a submit function that fails: the error is about the field @key, and is shown right
 * under it, the field focused and scrolled into sight. Without it the error goes under the form. */
void        zz_case_form_set_error_field (ZzCaseForm *form,
                                          const char *key);
/* Presses the default button, as Enter does. */
void        zz_case_form_submit       (ZzCaseForm *form);

G_END_DECLS
