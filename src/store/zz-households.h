/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-risk.h"
#include "zz-store.h"

G_BEGIN_DECLS

/* Risk households (DOMAIN.md section 4): 排查 → 研判 → 定等 → 管控. A household's home is its
 * village; its members, officials, assessments, sign-off steps and visits share that home. */

#define ZZ_HOUSEHOLD_MAX_MEMBERS 30
#define ZZ_HOUSEHOLD_MAX_OFFICIALS 10
#define ZZ_HOUSEHOLD_MAX_TEXT 2000

typedef struct {
  const char *name;
  const char *relation;    /* 户主, 配偶, 子女... free text, optional */
  const char *id_number;   /* optional */
  const char *phone;       /* optional */
  const char *notes;       /* circumstances, optional */
} ZzMemberInput;

typedef struct {
  const char *user_id;     /* a user of this centre, or NULL for a named person */
  const char *name;        /* ignored when @user_id is set */
  const char *phone;       /* optional */
} ZzOfficialInput;

typedef struct {
  const char *village;     /* org unit code of a village under this centre */
  const char *address;
  const char *grid_worker; /* optional */
  const char *notes;       /* optional */
  const ZzMemberInput *members;
  guint n_members;         /* at least one; the first is the head of the household */
  const ZzOfficialInput *officials;
  guint n_officials;       /* at least one 包保责任人 */
} ZzHouseholdInput;

gboolean     zz_store_register_household (ZzStore *self, const ZzHouseholdInput *in,
                                          char **out_id, GError **error);
/* Address, grid worker, notes and officials; the village (the row's home) never changes. */
gboolean     zz_store_update_household   (ZzStore *self, const char *household_id,
                                          const char *address, const char *grid_worker,
                                          const char *notes, const ZzOfficialInput *officials,
                                          guint n_officials, GError **error);
gboolean     zz_store_add_member         (ZzStore *self, const char *household_id,
                                          const ZzMemberInput *member, char **out_id,
                                          GError **error);
/* The head of the household (the first member) cannot be removed while others remain. */
gboolean     zz_store_remove_member      (ZzStore *self, const char *member_id, GError **error);

/* @factors: bits of ZzRiskFactor; "other" needs @other_text. Scored with the scheme in force. */
gboolean     zz_store_assess_household   (ZzStore *self, const char *household_id, guint factors,
                                          const char *other_text, const char *note,
                                          char **out_id, GError **error);
/* The assessment and, with @propose, the group's proposal of @grade (小组初定) on it, in one
 * transaction: every check runs before the first write, so a refused proposal leaves no
 * assessment behind. A new assessment withdraws a grading round still open (the group proposes
 * again from it). */
gboolean     zz_store_assess_and_propose (ZzStore *self, const char *household_id, guint factors,
                                          const char *other_text, const char *note,
                                          gboolean propose, ZzGrade grade, const char *reason,
                                          char **out_id, GError **error);
/* 小组初定 on the latest assessment. A grade other than the one it suggests needs a reason. */
gboolean     zz_store_propose_grade      (ZzStore *self, const char *household_id, ZzGrade grade,
                                          const char *reason, GError **error);
/* 村议定 (ZZ_SIGNOFF_AGREED) or 乡镇审定 (ZZ_SIGNOFF_APPROVED) of the pending round; @agree FALSE
 * returns it (a note is then required) and closes the round. The grade takes effect on approval. */
gboolean     zz_store_sign_grade         (ZzStore *self, const char *household_id,
                                          ZzSignoffStep step, gboolean agree, const char *note,
                                          GError **error);
/* What the current user may do with the household's sign-off waiting: ZzSignoffOption bits
 * (sending back is always open to a role allowed the step). @out_who: who may sign the step, in
 * words, or NULL when nothing waits. */
guint        zz_store_household_signoff_options (ZzStore *self, const char *household_id,
                                                 char **out_who);
/* 销号: asked for with a reason, then approved (or refused with a note) by the township. */
gboolean     zz_store_request_delist     (ZzStore *self, const char *household_id,
                                          const char *reason, GError **error);
gboolean     zz_store_decide_delist      (ZzStore *self, const char *household_id,
                                          gboolean approve, const char *note, GError **error);

typedef struct {
  const char *day;         /* "YYYY-MM-DD", not in the future */
  const char *visitors;
  const char *found;
  const char *measures;    /* optional */
  gboolean reassess;       /* a new assessment is needed */
} ZzHouseholdVisitInput;

gboolean     zz_store_log_household_visit (ZzStore *self, const char *household_id,
                                           const ZzHouseholdVisitInput *in, char **out_id,
                                           GError **error);

/* The scheme in force (the most senior org unit's), or the default. */
void         zz_store_get_risk_scheme    (ZzStore *self, ZzRiskScheme *out);
gboolean     zz_store_set_risk_scheme    (ZzStore *self, const ZzRiskScheme *scheme,
                                          GError **error);

typedef struct {
  int grade;               /* a ZzGrade, or -1 for all; ZZ_GRADE_NONE: not graded yet */
  const char *org_unit;    /* a village or township code (prefix), or NULL */
  gboolean overdue_only;
  gboolean mine_only;      /* households the current user is responsible for */
  gboolean delisted;       /* de-listed households instead of those on the list */
  const char *query;       /* name, ID number, phone or address fragment */
} ZzHouseholdFilter;

/* Rows: id, home, village, address, head_name, grade, graded_on, status, last_visit, next_due,
 * overdue (0/1), pending (the next sign-off step, 0 for none), pending_kind. Overdue first, then
 * by due date. @out_total: how many match before the limit. */
GListModel  *zz_store_list_households    (ZzStore *self, const ZzHouseholdFilter *filter,
                                          guint limit, guint *out_total);
/* Per village with households: code, name, high, medium, low, ungraded, overdue. */
GListModel  *zz_store_household_counts   (ZzStore *self, const char *org_unit);
/* One household as in the list, plus grid_worker, notes, delisted_on, delist_reason,
 * registered_on, village_path, pending_grade, pending_signer. */
ZzRow       *zz_store_get_household      (ZzStore *self, const char *household_id);
/* id, name, relation, id_number (masked unless allowed), phone, notes. */
GListModel  *zz_store_household_members  (ZzStore *self, const char *household_id);
GListModel  *zz_store_household_officials (ZzStore *self, const char *household_id);
/* Newest first: id, factors, other_text, score, grade, note, day, assessor. */
GListModel  *zz_store_household_assessments (ZzStore *self, const char *household_id);
/* Newest first: kind, round_id, step, decision, grade, reason, note, day, signer. */
GListModel  *zz_store_household_signoffs (ZzStore *self, const char *household_id);
/* Newest first: id, day, visitors, found, measures, reassess, logged_by_name. */
GListModel  *zz_store_household_visits   (ZzStore *self, const char *household_id);

/* ---- CSV import of an existing register ---- */

typedef enum {
  ZZ_HH_COL_NAME,          /* required */
  ZZ_HH_COL_VILLAGE,       /* required: code or name of a village under this centre */
  ZZ_HH_COL_ADDRESS,       /* required */
  ZZ_HH_COL_ID_NUMBER,
  ZZ_HH_COL_PHONE,
  ZZ_HH_COL_RELATION,
  ZZ_HH_COL_GRID_WORKER,
  ZZ_HH_COL_OFFICIAL,      /* 包保责任人: required */
  ZZ_HH_COL_NOTES,
  ZZ_HH_N_COLUMNS
} ZzHouseholdColumn;

const char  *zz_household_column_name    (ZzHouseholdColumn c);   /* translated */

typedef struct _ZzHouseholdImport ZzHouseholdImport;

/* Reads the header and guesses the mapping from the column titles. */
ZzHouseholdImport *zz_household_import_new (const char *data, gsize len, GError **error);
void         zz_household_import_free    (ZzHouseholdImport *imp);
guint        zz_household_import_n_headers (ZzHouseholdImport *imp);
const char  *zz_household_import_header  (ZzHouseholdImport *imp, guint i);
/* The file's column for @c, or -1 when unmapped. */
int          zz_household_import_get_mapping (ZzHouseholdImport *imp, ZzHouseholdColumn c);
void         zz_household_import_set_mapping (ZzHouseholdImport *imp, ZzHouseholdColumn c, int col);
/* Checks every row (each line one household, named by its head). With @commit FALSE (the dry run)
 * writes nothing; with @commit TRUE adds every good row in one transaction and skips the bad
 * ones. Problems: rows with "line" (int) and "reason". */
gboolean     zz_household_import_run     (ZzHouseholdImport *imp, ZzStore *store, gboolean commit,
                                          ZzProgressFunc progress, gpointer progress_data,
                                          guint *out_good, GListModel **out_problems,
                                          GError **error);

/* The same in a worker thread with its own connection, acting as the current user; @progress
 * runs on the caller's context. @imp must stay alive and untouched until the callback. */
void         zz_household_import_run_async (ZzHouseholdImport *imp, ZzStore *store, gboolean commit,
                                            ZzProgressFunc progress, gpointer progress_data,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean     zz_household_import_run_finish (GAsyncResult *result, guint *out_good,
                                             GListModel **out_problems, GError **error);
/* Users who may be named responsible officials: id, name, role. */
GListModel  *zz_store_household_users    (ZzStore *self);
/* Villages under this centre: code, name, township. */
GListModel  *zz_store_household_villages (ZzStore *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzHouseholdImport, zz_household_import_free)

G_END_DECLS
