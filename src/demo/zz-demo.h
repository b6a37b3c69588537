/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* Demo data, for trying the program out and for tests: never linked into the GUI. The demo
 * database is made by `zongzhi-cli demo` before the GUI opens it. */

typedef struct {
  gint64   day_ms;          /* the demo day (0: today) */
  guint    n_cases;         /* cases through the verbs over the 90 days before it (default 300) */
  guint    n_stats_cases;   /* generated cases over the twelve months before it, for a year's
                             * statistics (default 1500; 0 for none) */
  gboolean sync;            /* a township peer (达岚镇) whose bundles the county imported: peers,
                             * a conflict to review and a refused change (default off: it adds
                             * records other demo users would count) */
} ZzDemoOptions;

/* The defaults above. */
void         zz_demo_options_init (ZzDemoOptions *options);

/* Creates a demo database at @path (which must not exist yet): Xiangxi's divisions, a Luxi
 * county centre, a user per role (logins and passwords in zz_demo_users()), the default
 * departments and windows, past visits of returning visitors and a deterministic day of visitors
 * on the demo day, households, cases and statistics as @options say (NULL: the defaults). */
gboolean     zz_demo_create       (const char          *path,
                                   const ZzDemoOptions *options,
                                   ZzProgressFunc       progress,
                                   gpointer             progress_data,
                                   GError             **error);

typedef struct {
  const char *login;
  const char *password;
  const char *name;
  ZzRole      role;
} ZzDemoUser;
const ZzDemoUser *zz_demo_users   (guint               *n);

/* A few dozen households across the demo county's villages, graded and visited over the weeks
 * before @day (some overdue, some waiting for a sign-off step). */
gboolean     zz_demo_households   (ZzStore             *store,
                                   GDateTime           *day,
                                   GError             **error);

G_END_DECLS
