/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-roles.h"

static void
test_matrix (void)
{
  /* Rows: permissions; columns: admin, clerk, mediator, supervisor. */
  static const struct {
    ZzPermission perm;
    gboolean can[4];
  } expect[] = {
    { ZZ_PERM_MANAGE_USERS,       { TRUE,  FALSE, FALSE, FALSE } },
    { ZZ_PERM_MANAGE_DEPARTMENTS, { TRUE,  FALSE, FALSE, FALSE } },
    { ZZ_PERM_REGISTER_VISIT,     { TRUE,  TRUE,  FALSE, FALSE } },
    { ZZ_PERM_SERVE_QUEUE,        { TRUE,  TRUE,  FALSE, FALSE } },
    { ZZ_PERM_VIEW_DESK,          { TRUE,  TRUE,  TRUE,  TRUE  } },
    { ZZ_PERM_VIEW_FULL_ID,       { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_IMPORT_DIVISIONS,   { TRUE,  FALSE, FALSE, FALSE } },
    { ZZ_PERM_VIEW_ACCESS_LOG,    { TRUE,  FALSE, FALSE, TRUE  } },
    { ZZ_PERM_VIEW_HOUSEHOLDS,    { FALSE, TRUE,  TRUE,  TRUE  } },
    { ZZ_PERM_EDIT_HOUSEHOLDS,    { FALSE, TRUE,  TRUE,  FALSE } },
    { ZZ_PERM_PROPOSE_GRADE,      { FALSE, TRUE,  TRUE,  FALSE } },
    { ZZ_PERM_AGREE_GRADE,        { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_APPROVE_GRADE,      { FALSE, FALSE, FALSE, TRUE  } },
    { ZZ_PERM_MANAGE_RISK_SCHEME, { FALSE, FALSE, FALSE, TRUE  } },
    { ZZ_PERM_IMPORT_HOUSEHOLDS,  { FALSE, FALSE, TRUE,  TRUE  } },
    /* cases */
    { ZZ_PERM_VIEW_CASES,         { FALSE, TRUE,  TRUE,  TRUE  } },
    { ZZ_PERM_REGISTER_CASE,      { FALSE, TRUE,  TRUE,  TRUE  } },
    { ZZ_PERM_DISPATCH_CASE,      { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_HANDLE_DISPATCH,    { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_MEDIATE,            { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_SUPERVISE,          { FALSE, FALSE, FALSE, TRUE  } },
    { ZZ_PERM_WHISTLE,            { FALSE, FALSE, FALSE, TRUE  } },
    { ZZ_PERM_CONCLUDE_CASE,      { FALSE, FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_FOLLOW_UP_CASE,     { FALSE, TRUE,  TRUE,  TRUE  } },
    { ZZ_PERM_RESOLVE_REVIEW,     { FALSE, FALSE, FALSE, TRUE  } },
    { ZZ_PERM_CASE_SETTINGS,      { TRUE,  FALSE, FALSE, TRUE  } },
    /* sync */
    { ZZ_PERM_SYNC,               { TRUE,  FALSE, FALSE, TRUE  } },
    { ZZ_PERM_MANAGE_TRUST,       { TRUE,  FALSE, FALSE, FALSE } },
    { ZZ_PERM_RESOLVE_CONFLICTS,  { TRUE,  FALSE, FALSE, TRUE  } },
    { ZZ_PERM_VIEW_STATS,         { TRUE,  FALSE, TRUE,  TRUE  } },
    { ZZ_PERM_VIEW_STATS_RECORDS, { FALSE, FALSE, TRUE,  TRUE  } },
  };
  static const ZzRole roles[4] = { ZZ_ROLE_ADMIN, ZZ_ROLE_CLERK, ZZ_ROLE_MEDIATOR, ZZ_ROLE_SUPERVISOR };

  g_assert_cmpuint (G_N_ELEMENTS (expect), ==, ZZ_N_PERMS);
  for (guint p = 0; p < G_N_ELEMENTS (expect); p++)
    for (guint r = 0; r < 4; r++)
      if (zz_role_can (roles[r], expect[p].perm) != expect[p].can[r])
        g_error ("role %s, permission %s: expected %s", zz_role_to_string (roles[r]),
                 zz_perm_display_name (expect[p].perm), expect[p].can[r] ? "allowed" : "refused");

  /* No role, or a value out of range, may do nothing. */
  for (guint p = 0; p < ZZ_N_PERMS; p++)
    {
      g_assert_false (zz_role_can (ZZ_ROLE_NONE, p));
      g_assert_false (zz_role_can (ZZ_N_ROLES, p));
      g_assert_false (zz_role_can ((ZzRole) -1, p));
    }
  g_assert_false (zz_role_can (ZZ_ROLE_ADMIN, ZZ_N_PERMS));
}

static void
test_strings (void)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (ZzRole r = ZZ_ROLE_ADMIN; r < ZZ_N_ROLES; r++)
    {
      const char *key = zz_role_to_string (r);
      g_assert_nonnull (key);
      g_assert_cmpint (zz_role_from_string (key), ==, r);
      g_assert_true (g_hash_table_add (keys, (gpointer) key));
      g_assert_true (g_hash_table_add (names, (gpointer) zz_role_display_name (r)));
    }
  /* The stored keys never change: databases hold them. */
  g_assert_cmpstr (zz_role_to_string (ZZ_ROLE_ADMIN), ==, "admin");
  g_assert_cmpstr (zz_role_to_string (ZZ_ROLE_CLERK), ==, "clerk");
  g_assert_cmpstr (zz_role_to_string (ZZ_ROLE_MEDIATOR), ==, "mediator");
  g_assert_cmpstr (zz_role_to_string (ZZ_ROLE_SUPERVISOR), ==, "supervisor");
  g_assert_cmpstr (zz_role_to_string (ZZ_N_ROLES), ==, "none");

  g_assert_cmpint (zz_role_from_string ("none"), ==, ZZ_ROLE_NONE);
  g_assert_cmpint (zz_role_from_string ("Admin"), ==, ZZ_ROLE_NONE);
  g_assert_cmpint (zz_role_from_string (""), ==, ZZ_ROLE_NONE);
  g_assert_cmpint (zz_role_from_string (NULL), ==, ZZ_ROLE_NONE);
  g_assert_cmpint (zz_role_from_string ("root"), ==, ZZ_ROLE_NONE);

  for (guint p = 0; p < ZZ_N_PERMS; p++)
    g_assert_cmpstr (zz_perm_display_name (p), !=, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roles/matrix", test_matrix);
  g_test_add_func ("/roles/strings", test_strings);
  return g_test_run ();
}
