/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-case-rules.h"
#include "zz-store.h"
#include "zz-table.h"

G_BEGIN_DECLS

/* Cases, the closed loop (登记受理 → 分流交办 → 办理/调解 → 督办 → 办结 → 回访 → 归档) and the
 * mediation log under the three-tier rule. Every verb checks the role, validates, and writes its
 * rows and ops in one transaction or nothing. */

#define ZZ_MAX_SUMMARY 200
#define ZZ_MAX_DETAILS 5000
#define ZZ_MAX_NOTE 2000
#define ZZ_MAX_PARTIES 20
#define ZZ_MAX_ADDRESS 200

typedef struct {
  const char *role;        /* "applicant" or "respondent" */
  const char *person_id;   /* an existing person, or NULL */
  const char *name;        /* a person's name, when no person_id and no org_name */
  const char *phone;
  const char *id_number;   /* optional */
  const char *org_name;    /* an organisation instead of a person */
  const char *member_id;   /* a member of the case's household: the person record is found or
                            * made from the member's name, ID number and phone (@phone, when
                            * given, stands in for a phone the register lacks) */
  const char *ethnicity;   /* optional: one of zz_ethnicities() ("汉族", or "汉") */
  const char *address;     /* optional: where the person lives, up to ZZ_MAX_ADDRESS characters */
} ZzPartyInput;

typedef struct {
  const char         *visit_id;      /* the reception visit it comes from, or NULL */
  const char         *source;        /* a key of zz_case_sources() */
  const char         *external_ref;  /* 12345 ticket number etc., optional */
  const char         *category;      /* a key of zz_store_case_categories(), not retired */
  const char         *summary;
  const char         *details;
  const char         *home;          /* org unit where the dispute arose, within this node's */
  const char         *risk;
  const char         *urgency;
  const ZzPartyInput *parties;
  guint               n_parties;
  const char         *household_id;  /* the risk household the matter comes from, or NULL */
} ZzCaseInput;

gboolean     zz_store_register_case        (ZzStore           *self,
                                            const ZzCaseInput *in,
                                            char             **out_case_id,
                                            GError           **error);
/* Open cases of the same category sharing a party with @in: id, number, summary, status. */
GListModel  *zz_store_case_duplicates      (ZzStore           *self,
                                            const ZzCaseInput *in);
/* A case with its names resolved: id, number, source, external_ref, category, summary, details,
 * risk, urgency, home, home_name, level, status, holder, deadline_at, registered_at,
 * first_responder_id, first_responder, outcome, resolved_level, concluded_at, feedback,
 * feedback_at, archived_at, visit_id, household_id, household (its head's name, for those who may
 * see households), parties (names joined). */
ZzRow       *zz_store_get_case             (ZzStore           *self,
                                            const char        *case_id);
ZzRow       *zz_store_get_case_by_number   (ZzStore           *self,
                                            const char        *number);
/* Parties: id, role, person_id, name, phone, id_number (masked unless allowed), org_name,
 * ethnicity, address. */
GListModel  *zz_store_case_parties         (ZzStore           *self,
                                            const char        *case_id);
/* Dispatches: id, department_id, department, to_level, note, deadline_at, dispatched_at,
 * dispatcher, status, answered_at, answerer, return_reason. */
GListModel  *zz_store_case_dispatches      (ZzStore           *self,
                                            const char        *case_id);
/* Mediation attempts of a case, oldest first: id, level, number, held_at, place, mediators,
 * parties_present, method, departments, n_departments, result, terms, notes, amends,
 * recorder. */
GListModel  *zz_store_case_attempts        (ZzStore           *self,
                                            const char        *case_id);
/* One attempt, with the columns of zz_store_case_attempts() and case_id. */
ZzRow       *zz_store_get_attempt          (ZzStore           *self,
                                            const char        *attempt_id);
/* Everything that happened, oldest first: at, kind, author, a, b, c (see zz_case_timeline_text). */
GListModel  *zz_store_case_timeline        (ZzStore           *self,
                                            const char        *case_id);
char        *zz_case_timeline_text         (ZzRow             *entry);
/* The cases registered from a household, newest first: id, number, summary, status, category,
 * registered_at. */
GListModel  *zz_store_household_cases      (ZzStore           *self,
                                            const char        *household_id);
/* The members of a household who may become applicants, oldest first (the head first): id, name,
 * relation, label (name · relation), has_phone, and the household's home, home_name, head_name, address. No ID number:
 * the store reads it when the case is registered. */
GListModel  *zz_store_household_applicants (ZzStore           *self,
                                            const char        *household_id);
/* Open cases a person is a party of: id, number, summary, status, category. */
GListModel  *zz_store_person_open_cases    (ZzStore           *self,
                                            const char        *person_id);

/* ---- dispatch and supervision ---- */
/* To a department (@department_id) or to a level (@to_level); @deadline_at 0 takes the default
 * for the case's category and urgency. */
gboolean     zz_store_dispatch_case        (ZzStore    *self,
                                            const char *case_id,
                                            const char *department_id,
                                            const char *to_level,
                                            gint64      deadline_at,
                                            const char *note,
                                            char      **out_dispatch_id,
                                            GError    **error);
gboolean     zz_store_accept_dispatch      (ZzStore    *self,
                                            const char *dispatch_id,
                                            GError    **error);
gboolean     zz_store_return_dispatch      (ZzStore    *self,
                                            const char *dispatch_id,
                                            const char *reason,
                                            GError    **error);
/* Overdue open cases, most overdue first: id, number, summary, holder, deadline_at,
 * overdue_days, status, notes (supervision notes so far). */
GListModel  *zz_store_list_supervision     (ZzStore    *self,
                                            guint       limit);
gboolean     zz_store_add_supervision_note (ZzStore    *self,
                                            const char *case_id,
                                            const char *note,
                                            GError    **error);
gboolean     zz_store_blow_whistle         (ZzStore            *self,
                                            const char         *case_id,
                                            const char * const *department_ids,
                                            const char         *note,
                                            char              **out_whistle_id,
                                            GError            **error);
/* @kind: "acknowledged" or "arrived". */
gboolean     zz_store_whistle_report       (ZzStore    *self,
                                            const char *whistle_id,
                                            const char *department_id,
                                            const char *kind,
                                            GError    **error);
/* Departments summoned to a case: whistle_id, department_id, department, whistled_at,
 * acknowledged_at, arrived_at. */
GListModel  *zz_store_case_whistles        (ZzStore    *self,
                                            const char *case_id);

/* ---- mediation ---- */
typedef struct {
  const char         *case_id;
  gint64              held_at;          /* Unix ms; 0: now */
  const char         *place;
  const char         *mediators;
  const char         *parties_present;
  const char         *method;           /* a key of zz_mediation_methods() */
  const char * const *department_ids;   /* for a joint consultation, NULL-terminated */
  const char         *result;           /* a key of zz_mediation_results() */
  const char         *terms;            /* the agreed terms, for an agreement */
  const char         *notes;
  const char         *amends;           /* the attempt this one corrects, or NULL */
} ZzAttemptInput;

/* Records an attempt at the case's current level. Refused past the level's limit (escalate
 * instead) and at the county without a joint consultation of enough departments. A correction
 * (@amends) takes the level and number of the attempt it amends and does not count. */
gboolean     zz_store_record_mediation     (ZzStore              *self,
                                            const ZzAttemptInput *in,
                                            char                **out_attempt_id,
                                            GError              **error);
/* The tier state of a case: the verdict for one more ordinary attempt, attempts at the current
 * level and the level's limit (0: none). */
ZzTierVerdict zz_store_case_tier_state     (ZzStore    *self,
                                            const char *case_id,
                                            ZzCaseLevel *level,
                                            int        *attempts,
                                            int        *max);
/* A summary of the attempts so far, as written into an escalation. */
char        *zz_store_escalation_summary   (ZzStore    *self,
                                            const char *case_id);
gboolean     zz_store_escalate_case        (ZzStore    *self,
                                            const char *case_id,
                                            const char *reason,
                                            GError    **error);
/* @fulfilled: "full", "partial" or "not". */
gboolean     zz_store_record_fulfilment    (ZzStore    *self,
                                            const char *attempt_id,
                                            const char *fulfilled,
                                            const char *note,
                                            GError    **error);
/* Mediation log over all cases, newest first: id, case_id, number (case), level, attempt
 * (number at level), held_at, place, method, result, mediators, summary. */
GListModel  *zz_store_list_attempts        (ZzStore    *self,
                                            const char *level,
                                            guint       limit);

/* The mediation ledger (调解台账): which attempts to show or export. */
typedef struct {
  const char *level;       /* a level key, or NULL for all */
  const char *from_day;    /* "YYYY-MM-DD", held on or after; NULL: no bound */
  const char *to_day;      /* "YYYY-MM-DD", held on or before; NULL: no bound */
  const char *query;       /* in the case number, summary, place, mediators or parties; or NULL */
  /* the next page: only attempts after this one in the ledger's order (newest first), given by
   * its held_at and id; NULL after_id: from the top */
  gint64 after_held_at;
  const char *after_id;
} ZzLedgerFilter;

/* Attempts as zz_store_list_attempts() gives them, plus parties and terms, newest first. */
GListModel  *zz_store_find_attempts        (ZzStore              *self,
                                            const ZzLedgerFilter *filter,
                                            guint                 limit);
/* The whole ledger for @filter as a table to export: case number, date held, level, attempt,
 * place, method, mediators, parties, summary, result, terms, correction. ZZ_ERROR_INVALID for a
 * day that is not a date or a range that ends before it starts. */
ZzTable     *zz_store_mediation_ledger     (ZzStore              *self,
                                            const ZzLedgerFilter *filter,
                                            GError              **error);

/* ---- conclusion and follow-up ---- */
gboolean     zz_store_conclude_case        (ZzStore    *self,
                                            const char *case_id,
                                            const char *outcome,
                                            GError    **error);
gboolean     zz_store_record_feedback      (ZzStore    *self,
                                            const char *case_id,
                                            const char *feedback,
                                            GError    **error);
/* "dissatisfied" reopens the case for review. */
gboolean     zz_store_record_return_visit  (ZzStore    *self,
                                            const char *case_id,
                                            const char *satisfaction,
                                            const char *notes,
                                            GError    **error);
gboolean     zz_store_archive_case         (ZzStore    *self,
                                            const char *case_id,
                                            GError    **error);

/* ---- review items: more attempts than the rule allows, produced by offline nodes ---- */
/* case_id, number, level, attempts, max. Computed from the records; nothing is deleted. */
GListModel  *zz_store_list_review_items    (ZzStore    *self);
/* The first @limit of them (0: all) by case number, and in @total (optional) how many there are. */
GListModel  *zz_store_find_review_items    (ZzStore    *self,
                                            guint       limit,
                                            guint      *total);
gboolean     zz_store_resolve_review_item  (ZzStore    *self,
                                            const char *case_id,
                                            const char *level,
                                            const char *note,
                                            GError    **error);

/* ---- settings every node applies alike (synced) ---- */
void         zz_store_get_tier_limits      (ZzStore      *self,
                                            ZzTierLimits *limits);
gboolean     zz_store_set_tier_limits      (ZzStore            *self,
                                            const ZzTierLimits *limits,
                                            GError            **error);
int          zz_store_deadline_days        (ZzStore    *self,
                                            const char *category,
                                            const char *urgency);
gboolean     zz_store_set_deadline_days    (ZzStore    *self,
                                            const char *category,
                                            const char *urgency,
                                            int         days,
                                            GError    **error);

/* ---- case categories (synced reference data) ---- */
#define ZZ_MAX_CATEGORY_NAME 30
/* The categories in their order, the built-in ones (DOMAIN.md) first: id and key (the same),
 * name (translated unless renamed), retired (0/1), builtin (0/1). Retired ones only with
 * @with_retired: they stay readable on old cases but are not offered for new ones. */
GListModel  *zz_store_case_categories      (ZzStore    *self,
                                            gboolean    with_retired);
/* The name a category key is shown with (the key itself when unknown). */
char        *zz_store_case_category_name   (ZzStore    *self,
                                            const char *key);
gboolean     zz_store_add_case_category    (ZzStore    *self,
                                            const char *name,
                                            char      **out_key,
                                            GError    **error);
gboolean     zz_store_rename_case_category (ZzStore    *self,
                                            const char *key,
                                            const char *name,
                                            GError    **error);
/* Retires (@retired TRUE) or restores a category. The last category in use cannot be retired. */
gboolean     zz_store_retire_case_category (ZzStore    *self,
                                            const char *key,
                                            gboolean    retired,
                                            GError    **error);

/* ---- search ---- */
/* Cases matching a case number, party name, phone, ID number or words of the summary (any
 * substring of 3 characters or more), newest first: id, number, summary, category, level,
 * status, deadline_at, parties. */
GListModel  *zz_store_search_cases         (ZzStore    *self,
                                            const char *query,
                                            guint       limit);

G_END_DECLS
