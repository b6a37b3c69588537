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
  /* sync */
  ZZ_PERM_SYNC,                /* export and import bundles */
  ZZ_PERM_MANAGE_TRUST,        /* trust roots, enrol and revoke nodes */
  ZZ_PERM_RESOLVE_CONFLICTS,   /* settle competing values */
  ZZ_N_PERMS
} ZzPermission;

gboolean    zz_role_can          (ZzRole role, ZzPermission perm);
const char *zz_role_to_string    (ZzRole role);   /* stable key stored in the database */
ZzRole      zz_role_from_string  (const char *key);
const char *zz_role_display_name (ZzRole role);   /* translated */
const char *zz_perm_display_name (ZzPermission perm);

G_END_DECLS
