/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "zz-roles.h"

G_BEGIN_DECLS

/* Risk households (家庭安全稳定风险评估): the rules of assessment, grading, sign-off and visit
 * cadence. GTK-free and SQLite-free. */

typedef enum {
  ZZ_RISK_FAMILY_CONFLICT,
  ZZ_RISK_DOMESTIC_VIOLENCE,
  ZZ_RISK_MENTAL_DISORDER,
  ZZ_RISK_RELEASED_PRISONER,
  ZZ_RISK_DRUG_USE,
  ZZ_RISK_HEAVY_DEBT,
  ZZ_RISK_PETITION_HISTORY,
  ZZ_RISK_LEFT_BEHIND_CHILDREN,
  ZZ_RISK_ELDERLY_ALONE,
  ZZ_RISK_NEIGHBOUR_DISPUTE,
  ZZ_RISK_OTHER,
  ZZ_RISK_N_FACTORS
} ZzRiskFactor;

typedef enum {
  ZZ_GRADE_NONE = 0,
  ZZ_GRADE_LOW,
  ZZ_GRADE_MEDIUM,
  ZZ_GRADE_HIGH,
} ZzGrade;

typedef enum {
  ZZ_CADENCE_DAYS,
  ZZ_CADENCE_WEEKS,
  ZZ_CADENCE_MONTHS,
} ZzCadenceUnit;

typedef struct {
  guint count;          /* 1..99 */
  ZzCadenceUnit unit;
} ZzCadence;

#define ZZ_RISK_MAX_WEIGHT 100

/* The weight scheme: a weight per factor, the lowest scores of medium and high, and the visit
 * cadence of each grade. */
typedef struct {
  guint weights[ZZ_RISK_N_FACTORS];
  guint medium_min;
  guint high_min;
  ZzCadence cadence[ZZ_GRADE_HIGH + 1];   /* indexed by grade; NONE unused */
} ZzRiskScheme;

const char  *zz_risk_factor_key       (ZzRiskFactor f);     /* stable key stored */
const char  *zz_risk_factor_name      (ZzRiskFactor f);     /* translated */
gboolean     zz_risk_factor_from_key  (const char *key, ZzRiskFactor *out);

const char  *zz_grade_key             (ZzGrade g);          /* "high", ""... */
ZzGrade      zz_grade_from_key        (const char *key);
const char  *zz_grade_name            (ZzGrade g);          /* translated: "High" */
const char  *zz_grade_css_class       (ZzGrade g);          /* "grade-high" */

void         zz_risk_scheme_init_default (ZzRiskScheme *s);
/* Checks every weight 0..100, 1 <= medium_min < high_min and cadences 1..99. */
gboolean     zz_risk_scheme_validate  (const ZzRiskScheme *s, GError **error);
/* "family_conflict=10;...;medium=30;high=60;cad_high=1w;cad_medium=1m;cad_low=3m" */
char        *zz_risk_scheme_to_string (const ZzRiskScheme *s);
/* Unknown keys are ignored; missing ones keep their defaults. FALSE when invalid. */
gboolean     zz_risk_scheme_parse     (const char *text, ZzRiskScheme *out, GError **error);

/* @factors: a bit per ZzRiskFactor. */
guint        zz_risk_score            (const ZzRiskScheme *s, guint factors);
ZzGrade      zz_risk_grade_for_score  (const ZzRiskScheme *s, guint score);
/* "family_conflict,drug_use" <-> bits; FALSE on an unknown key. */
char        *zz_risk_factors_to_string (guint factors);
gboolean     zz_risk_factors_parse    (const char *text, guint *out);

char        *zz_cadence_to_string     (const ZzCadence *c);   /* "1w", "3m", "10d" */
gboolean     zz_cadence_parse         (const char *text, ZzCadence *out);
char        *zz_cadence_display       (const ZzCadence *c);   /* translated "every 3 months" */
/* @from + the cadence; months keep the day of month, clamped to the month's last day. */
GDate       *zz_cadence_add           (const GDate *from, const ZzCadence *c);
/* Day strings "YYYY-MM-DD": the next visit is due one cadence after the later of the last visit
 * and the day the grade took effect. NULL when no grade. */
char        *zz_risk_next_due         (const ZzRiskScheme *s, ZzGrade grade,
                                       const char *last_visit_day, const char *graded_day);
/* The same into @out without allocating (for queries over every household). */
gboolean     zz_risk_next_due_buf     (const ZzRiskScheme *s, ZzGrade grade,
                                       const char *last_visit_day, const char *graded_day,
                                       char out[11]);
gboolean     zz_day_parse             (const char *day, GDate *out);
char        *zz_day_format            (const GDate *d);

/* Sign-off: a grading goes 小组初定 → 村议定 → 乡镇审定; a de-listing is requested then approved
 * by the township. */
typedef enum {
  ZZ_SIGNOFF_NONE = 0,
  ZZ_SIGNOFF_PROPOSED = 1,   /* 小组初定: the grid group */
  ZZ_SIGNOFF_AGREED = 2,     /* 村议定: the village */
  ZZ_SIGNOFF_APPROVED = 3,   /* 乡镇审定: the township */
} ZzSignoffStep;

typedef enum {
  ZZ_SIGNOFF_GRADE,
  ZZ_SIGNOFF_DELIST,
} ZzSignoffKind;

const char    *zz_signoff_step_name   (ZzSignoffKind kind, ZzSignoffStep step);   /* translated */
ZzPermission   zz_signoff_permission  (ZzSignoffKind kind, ZzSignoffStep step);
/* The step after @done (NONE: nothing signed yet); NONE after the last. */
ZzSignoffStep  zz_signoff_next        (ZzSignoffKind kind, ZzSignoffStep done);
/* May @role (user @user_id) sign @step when @done was the last step signed, by @last_signer?
 * Steps go in order, each by a role allowed to sign it, and no one signs two steps of one
 * round. */
gboolean       zz_signoff_check       (ZzSignoffKind kind, ZzSignoffStep done,
                                       const char *last_signer, ZzSignoffStep step,
                                       ZzRole role, const char *user_id, GError **error);
/* The same for a decision: @agree FALSE sends the round back. Sending back is open to every role
 * allowed to sign @step, the signer of the previous step included (the four-eyes rule asks a
 * second person to approve, never to refuse), so a round can always be closed. */
gboolean       zz_signoff_decide_check (ZzSignoffKind kind, ZzSignoffStep done,
                                        const char *last_signer, ZzSignoffStep step,
                                        gboolean agree, ZzRole role, const char *user_id,
                                        GError **error);

typedef enum {
  ZZ_SIGNOFF_CAN_SIGN = 1 << 0,     /* agree / approve the step waiting */
  ZZ_SIGNOFF_CAN_RETURN = 1 << 1,   /* send the round back */
} ZzSignoffOption;

/* What @role (user @user_id) may do with a round waiting after @done, signed last by
 * @last_signer: ZzSignoffOption bits, exactly the decisions zz_signoff_decide_check allows. */
guint          zz_signoff_options     (ZzSignoffKind kind, ZzSignoffStep done,
                                       const char *last_signer, ZzRole role,
                                       const char *user_id);
/* Who may sign the step after @done, in words: "a supervisor", and when the four-eyes rule
 * applies, "a supervisor other than the one who signed “…”". Translated. */
char          *zz_signoff_who_can     (ZzSignoffKind kind, ZzSignoffStep done);

G_END_DECLS
