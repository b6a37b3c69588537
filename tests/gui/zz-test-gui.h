/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "zz-application.h"

G_BEGIN_DECLS

/* Helpers for tests that drive the real windows under Xvfb. */

/* Initialises GTK and libadwaita; FALSE (after printing a TAP skip) when there is no display. */
gboolean    zz_test_gui_init        (int *argc, char ***argv);
/* A fresh demo database in a temporary folder; free with zz_test_remove_db(). */
char       *zz_test_demo_db         (void);
/* The same with the township peer (达岚镇) whose bundles the county imported (`demo --sync`). */
char       *zz_test_demo_db_with_sync (void);
/* An empty database (not set up) in a temporary folder. */
char       *zz_test_empty_db        (void);
void        zz_test_remove_db       (const char *path);
/* A registered application on @db_path, started (set-up or login window shown). */
ZzApplication *zz_test_start_app    (const char *db_path);
/* Logs in through the login window as the person at the desk would. */
void        zz_test_log_in          (ZzApplication *app, const char *login, const char *password);
/* Runs the main loop until @cond returns TRUE or @timeout_ms passes; returns the last @cond. */
gboolean    zz_test_wait            (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
void        zz_test_iterate         (guint ms);
/* Finds a descendant by its GtkBuilder id (template children included) or NULL. */
GtkWidget  *zz_test_find            (GtkWidget *root, const char *id);
/* Finds a descendant by its GtkBuilder id; fails the test when missing. */
GtkWidget  *zz_test_get             (GtkWidget *root, const char *id);
/* The first descendant of @type whose label/title contains @text, or NULL. */
GtkWidget  *zz_test_find_by_text    (GtkWidget *root, GType type, const char *text);
/* Writes a PNG of @widget to $ZZ_SCREENSHOT_DIR (or the build folder) as @name. */
char       *zz_test_screenshot      (GtkWidget *widget, const char *name);
/* The active window of the application. */
GtkWindow  *zz_test_active_window   (ZzApplication *app);
/* A window of the application, or any toplevel, of the type named @type_name, or NULL. */
GtkWindow  *zz_test_find_window     (ZzApplication *app, const char *type_name);
/* Emits clicked on a button, as a click would (after checking it can be clicked). */
void        zz_test_click           (GtkWidget *button);
/* Sets an editable's text and emits activate, as pressing Enter would. */
void        zz_test_type            (GtkWidget *editable, const char *text, gboolean press_enter);
/* Concatenated text of all labels and inscriptions under @root (to assert what a user reads). */
char       *zz_test_collect_text    (GtkWidget *root);

G_END_DECLS
