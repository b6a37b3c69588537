/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "zz-roles.h"

static const struct {
  const char *key;
  const char *name;
} roles[ZZ_N_ROLES] = {
  [ZZ_ROLE_NONE] = { "none", N_("No role") },
  [ZZ_ROLE_ADMIN] = { "admin", N_("Administrator") },
  [ZZ_ROLE_CLERK] = { "clerk", N_("Reception clerk") },
  [ZZ_ROLE_MEDIATOR] = { "mediator", N_("Mediator / political-legal officer") },
  [ZZ_ROLE_SUPERVISOR] = { "supervisor", N_("Supervisor") },
};

#define R(r) (1u << (r))
/* Who may do what. The reception desk belongs to clerks; administrators may stand in at small
 * centres. Full ID numbers are for the roles that write them into cases and agreements. */
static const guint perms[ZZ_N_PERMS] = {
  [ZZ_PERM_MANAGE_USERS] = R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_MANAGE_DEPARTMENTS] = R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_REGISTER_VISIT] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_SERVE_QUEUE] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_VIEW_DESK] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_VIEW_FULL_ID] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_IMPORT_DIVISIONS] = R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_VIEW_ACCESS_LOG] = R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_SUPERVISOR),
  /* Risk households. The grid group's findings (小组初定) are recorded by village staff or by the
   * township officer on their behalf: clerks and mediators. The village's agreement (村议定) is
   * recorded by the township political-legal officer or a supervisor; only a supervisor (the
   * township or county centre's director) approves (乡镇审定), approves a de-listing and sets the
   * county-wide weights and visit cadences. No one
   * signs two steps of one round (zz_signoff_check). */
  [ZZ_PERM_VIEW_HOUSEHOLDS] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_EDIT_HOUSEHOLDS] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR),
  [ZZ_PERM_PROPOSE_GRADE] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR),
  [ZZ_PERM_AGREE_GRADE] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_APPROVE_GRADE] = R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_MANAGE_RISK_SCHEME] = R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_IMPORT_HOUSEHOLDS] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  /* Cases: whoever first receives a matter registers it (the desk's clerks included) and
   * records the feedback and return visit; mediators handle and mediate; supervisors (the
   * centre's director) supervise, blow the whistle and settle tier-rule review items. */
  [ZZ_PERM_VIEW_CASES] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_REGISTER_CASE] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_DISPATCH_CASE] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_HANDLE_DISPATCH] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_MEDIATE] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_SUPERVISE] = R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_WHISTLE] = R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_CONCLUDE_CASE] = R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_FOLLOW_UP_CASE] = R (ZZ_ROLE_CLERK) | R (ZZ_ROLE_MEDIATOR) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_RESOLVE_REVIEW] = R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_CASE_SETTINGS] = R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_SUPERVISOR),
  /* sync */
  [ZZ_PERM_SYNC] = R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_MANAGE_TRUST] = R (ZZ_ROLE_ADMIN),
  [ZZ_PERM_RESOLVE_CONFLICTS] = R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_SUPERVISOR),
  [ZZ_PERM_VIEW_STATS] = R (ZZ_ROLE_ADMIN) | R (ZZ_ROLE_SUPERVISOR) | R (ZZ_ROLE_MEDIATOR),
  [ZZ_PERM_VIEW_STATS_RECORDS] = R (ZZ_ROLE_SUPERVISOR) | R (ZZ_ROLE_MEDIATOR),
};

static const char *perm_names[ZZ_N_PERMS] = {
  [ZZ_PERM_MANAGE_USERS] = N_("manage user accounts"),
  [ZZ_PERM_MANAGE_DEPARTMENTS] = N_("manage departments and windows"),
  [ZZ_PERM_REGISTER_VISIT] = N_("register visitors"),
  [ZZ_PERM_SERVE_QUEUE] = N_("call and serve the queue"),
  [ZZ_PERM_VIEW_DESK] = N_("view the reception desk"),
  [ZZ_PERM_VIEW_FULL_ID] = N_("view full ID numbers"),
  [ZZ_PERM_IMPORT_DIVISIONS] = N_("import administrative divisions"),
  [ZZ_PERM_VIEW_ACCESS_LOG] = N_("read the personal-data access log"),
  [ZZ_PERM_VIEW_HOUSEHOLDS] = N_("view risk households"),
  [ZZ_PERM_EDIT_HOUSEHOLDS] = N_("register, assess and visit risk households"),
  [ZZ_PERM_PROPOSE_GRADE] = N_("propose a grade (group)"),
  [ZZ_PERM_AGREE_GRADE] = N_("agree a grade (village)"),
  [ZZ_PERM_APPROVE_GRADE] = N_("approve a grade or de-listing (township)"),
  [ZZ_PERM_MANAGE_RISK_SCHEME] = N_("edit the risk weights and visit cadences"),
  [ZZ_PERM_IMPORT_HOUSEHOLDS] = N_("import a household register"),
  [ZZ_PERM_VIEW_CASES] = N_("view cases"),
  [ZZ_PERM_REGISTER_CASE] = N_("register cases"),
  [ZZ_PERM_DISPATCH_CASE] = N_("dispatch cases"),
  [ZZ_PERM_HANDLE_DISPATCH] = N_("accept or return dispatched cases"),
  [ZZ_PERM_MEDIATE] = N_("record mediation and escalate"),
  [ZZ_PERM_SUPERVISE] = N_("supervise overdue work"),
  [ZZ_PERM_WHISTLE] = N_("summon departments to a case"),
  [ZZ_PERM_CONCLUDE_CASE] = N_("conclude and archive cases"),
  [ZZ_PERM_FOLLOW_UP_CASE] = N_("record feedback and return visits"),
  [ZZ_PERM_RESOLVE_REVIEW] = N_("settle tier-rule review items"),
  [ZZ_PERM_CASE_SETTINGS] = N_("set tier limits and default deadlines"),
  /* sync */
  [ZZ_PERM_SYNC] = N_("exchange sync bundles"),
  [ZZ_PERM_MANAGE_TRUST] = N_("enrol and revoke nodes"),
  [ZZ_PERM_RESOLVE_CONFLICTS] = N_("settle conflicting values"),
  [ZZ_PERM_VIEW_STATS] = N_("read statistics and export reports"),
  [ZZ_PERM_VIEW_STATS_RECORDS] = N_("open the records of the data-quality list"),
};

gboolean
zz_role_can (ZzRole role, ZzPermission perm)
{
  if (role <= ZZ_ROLE_NONE || role >= ZZ_N_ROLES || perm >= ZZ_N_PERMS)
    return FALSE;
  return (perms[perm] & R (role)) != 0;
}

const char *
zz_role_to_string (ZzRole role)
{
  if (role >= ZZ_N_ROLES)
    role = ZZ_ROLE_NONE;
  return roles[role].key;
}

ZzRole
zz_role_from_string (const char *key)
{
  for (int i = 1; i < ZZ_N_ROLES; i++)
    if (g_strcmp0 (key, roles[i].key) == 0)
      return i;
  return ZZ_ROLE_NONE;
}

const char *
zz_role_display_name (ZzRole role)
{
  if (role >= ZZ_N_ROLES)
    role = ZZ_ROLE_NONE;
  return _(roles[role].name);
}

const char *
zz_perm_display_name (ZzPermission perm)
{
  g_return_val_if_fail (perm < ZZ_N_PERMS, "");
  return _(perm_names[perm]);
}
