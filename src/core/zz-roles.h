/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ZZ_ROLE_NONE = 0,
  ZZ_ROLE_ADMIN,       /* 系统管理员: accounts, departments, windows, settings */
  ZZ_ROLE_CLERK,       /* 导引台工作人员: reception desk */
  ZZ_ROLE_MEDIATOR,    /* 调解员/政法委员: cases, mediation, households */
  ZZ_ROLE_SUPERVISOR,  /* 督办/中心主任: supervision, statistics, conflict review */
  ZZ_N_ROLES
} ZzRole;

typedef enum {
  ZZ_PERM_MANAGE_USERS,
  ZZ_PERM_MANAGE_DEPARTMENTS,
  ZZ_PERM_REGISTER_VISIT,
  ZZ_PERM_SERVE_QUEUE,
  ZZ_PERM_VIEW_DESK,
  ZZ_PERM_VIEW_FULL_ID,
  ZZ_PERM_IMPORT_DIVISIONS,
  ZZ_PERM_VIEW_ACCESS_LOG,
  /* risk households */
  ZZ_PERM_VIEW_HOUSEHOLDS,
  ZZ_PERM_EDIT_HOUSEHOLDS,     /* register, edit, members, assess, log visits */
  ZZ_PERM_PROPOSE_GRADE,       /* 小组初定, and asking to de-list */
  ZZ_PERM_AGREE_GRADE,         /* 村议定 */
  ZZ_PERM_APPROVE_GRADE,       /* 乡镇审定, and approving a de-listing */
  ZZ_PERM_MANAGE_RISK_SCHEME,  /* weights, grade boundaries, visit cadences */
  ZZ_PERM_IMPORT_HOUSEHOLDS,
  /* cases and mediation */
  ZZ_PERM_VIEW_CASES,
  ZZ_PERM_REGISTER_CASE,
  ZZ_PERM_DISPATCH_CASE,
  ZZ_PERM_HANDLE_DISPATCH,
  ZZ_PERM_MEDIATE,
  ZZ_PERM_SUPERVISE,
  ZZ_PERM_WHISTLE,
  ZZ_PERM_CONCLUDE_CASE,
  ZZ_PERM_FOLLOW_UP_CASE,
  ZZ_PERM_RESOLVE_REVIEW,
  ZZ_PERM_CASE_SETTINGS,
  /* sync */
  ZZ_PERM_SYNC,                /* export and import bundles */
  ZZ_PERM_MANAGE_TRUST,        /* trust roots, enrol and revoke nodes */
  ZZ_PERM_RESOLVE_CONFLICTS,   /* settle competing values */
  /* statistics */
  ZZ_PERM_VIEW_STATS,          /* the dashboard, reports and exports of figures */
  ZZ_PERM_VIEW_STATS_RECORDS,  /* the data-quality list, which names cases and households */
  ZZ_N_PERMS
} ZzPermission;

gboolean    zz_role_can          (ZzRole role, ZzPermission perm);
const char *zz_role_to_string    (ZzRole role);   /* stable key stored in the database */
ZzRole      zz_role_from_string  (const char *key);
const char *zz_role_display_name (ZzRole role);   /* translated */
const char *zz_perm_display_name (ZzPermission perm);

G_END_DECLS
