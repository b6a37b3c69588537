/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-store.h"

G_BEGIN_DECLS

/* A throw-away store in a temporary folder: Luxi county's divisions (433122) imported from the
 * shipped files, a node set up for Luxi, one user per role and three departments with windows
 * 1, 2 and 3. The clock is fixed to ZZ_TEST_T0 (a Monday, 09:00 local time). */
typedef struct {
  char *dir;
  char *path;
  ZzStore *store;
  char *user_id[ZZ_N_ROLES];     /* by role */
  char *dept_id[3];              /* windows 1, 2, 3 */
  char *window_id[3];
} ZzTestStore;

extern gint64 ZZ_TEST_T0;

/* Logins and passwords of the users made by zz_test_store_new(). */
const char  *zz_test_login           (ZzRole       role);
const char  *zz_test_password        (ZzRole       role);

ZzTestStore *zz_test_store_new       (void);
/* An empty store (no divisions, no node) in its own temporary folder. */
ZzTestStore *zz_test_store_new_empty (void);
void         zz_test_store_free      (ZzTestStore *ts);
/* Closes and reopens the store on the same file (the clock stays fixed to @now_ms). */
void         zz_test_store_reopen    (ZzTestStore *ts,
                                      gint64       now_ms);
/* Acts as the test user of @role (no password check), or logs out for ZZ_ROLE_NONE. */
void         zz_test_store_as        (ZzTestStore *ts,
                                      ZzRole       role);

/* Runs a SELECT returning one integer on a separate connection. */
gint64       zz_test_store_int       (ZzTestStore *ts,
                                      const char  *sql);
/* Runs a SELECT returning one text on a separate connection (NULL for none). */
char        *zz_test_store_text      (ZzTestStore *ts,
                                      const char  *sql);
/* Executes SQL on a separate connection (to tamper with the file as an attacker would). */
void         zz_test_store_exec      (ZzTestStore *ts,
                                      const char  *sql);
/* Row counts of every table and a digest of their whole content: equal snapshots mean an
 * unchanged database. */
char        *zz_test_store_snapshot  (ZzTestStore *ts);

/* A visit input for a new visitor at window @w (0-based). */
ZzVisitInput zz_test_visit           (ZzTestStore *ts,
                                      guint        w,
                                      const char  *name,
                                      const char  *phone,
                                      const char  *id_number);

/* Asserts @error matches and that the snapshot taken before is unchanged. */
#define zz_test_assert_refused(ts, before, error, code) G_STMT_START { \
    g_autofree char *zz_after_ = zz_test_store_snapshot (ts); \
    g_assert_error ((error), ZZ_ERROR, (code)); \
    g_assert_nonnull ((error)->message); \
    g_assert_cmpstr (zz_after_, ==, (before)); \
  } G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzTestStore, zz_test_store_free)

G_END_DECLS
