/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;
  const char *const *fields;
  /* Immutable records (mediation attempts, assessments, visits to households): written once by
   * an append op, never set; a correction is a new record that amends the old one. */
  gboolean immutable;
  /* Accounts and reference data (users, departments, windows, the risk scheme, case settings):
   * authored only by county or prefecture nodes, flowing down to the nodes below them; a
   * township's own rows of these tables stay on it. */
  gboolean reference;
} ZzSyncedTable;

guint                zz_schema_n_migrations (void);
const char          *zz_schema_migration    (guint version);
const ZzSyncedTable *zz_schema_synced_table (const char *name);
/* The @i-th synced table, NULL past the last one. */
const ZzSyncedTable *zz_schema_synced_table_nth (guint i);
gboolean             zz_schema_has_field    (const ZzSyncedTable *table,
                                             const char *field);

#ifdef ZZ_TEST_EXTRA_SCHEMA
/* Test builds only: set, the schema is a newer version's, with one more migration step, the
 * synced table test_extra (label, amount) and the field person.nickname. */
extern gboolean zz_schema_test_extra;
#endif

G_END_DECLS
