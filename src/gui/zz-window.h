/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"
#include "zz-cases-view.h"
#include "zz-row.h"

G_BEGIN_DECLS

#define ZZ_TYPE_WINDOW (zz_window_get_type ())
G_DECLARE_FINAL_TYPE (ZzWindow, zz_window, ZZ, WINDOW, AdwApplicationWindow)

ZzWindow *zz_window_new       (ZzApplication *app);
/* Shows a toast; when @undo_cb is given, the toast has an Undo button that calls it. */
void      zz_window_toast     (ZzWindow      *self,
                               const char    *title,
                               GCallback      undo_cb,
                               gpointer       undo_data,
                               GDestroyNotify undo_destroy);
/* Shows an error toast for a GError from the store. */
void      zz_window_error     (ZzWindow      *self,
                               const GError  *error);
gboolean  zz_window_is_locked (ZzWindow      *self);
void      zz_window_lock      (ZzWindow      *self);
/* Locks when nobody has used the window for the idle-lock-minutes setting before @now_us
 * (monotonic); a timer calls it every 15 s. Returns whether the window is locked. */
gboolean  zz_window_check_idle (ZzWindow     *self,
                                gint64        now_us);

/* Shows the cases view with the intake form for a reception visit (a row of the desk's
 * tickets). */
void      zz_window_register_case_from_visit (ZzWindow *self,
                                              ZzRow    *ticket);
ZzCasesView *zz_window_get_cases_view        (ZzWindow *self);
/* Shows the cases view with the intake form for a matter of a risk household (@member_id: the
 * member ticked as applicant, or NULL for the head). */
void      zz_window_register_case_from_household (ZzWindow   *self,
                                                  const char *household_id,
                                                  const char *member_id);
/* Shows a case's page, or a household's page, in its view. */
void      zz_window_show_case        (ZzWindow      *self,
                                      const char    *case_id);
void      zz_window_show_household   (ZzWindow      *self,
                                      const char    *household_id);

/* The ZzWindow a widget lives in, or NULL. */
ZzWindow *zz_window_for       (GtkWidget     *widget);

G_END_DECLS
