/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-schema.h"

/* Migration N takes the file from user_version N-1 to N. Never edit a released step: add one.
 *
 * Synced tables (ops in the op log) have a UUIDv7 text id, an immutable home org unit, HLC
 * stamps and a tombstone flag. Local tables (org_unit, node, login_state, setting, access_log)
 * are this installation's own and are not synced. */
static const char *migrations[] = {
  /* 1 */
  "CREATE TABLE org_unit ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
  "  parent TEXT REFERENCES org_unit (code)"
  ") WITHOUT ROWID;"
  "CREATE INDEX org_unit_parent ON org_unit (parent);"
  "CREATE INDEX org_unit_name ON org_unit (name);"

  "CREATE TABLE node ("
  "  id TEXT PRIMARY KEY,"
  "  org_unit TEXT NOT NULL REFERENCES org_unit (code),"
  "  name TEXT NOT NULL,"
  "  public_key BLOB NOT NULL,"
  "  is_self INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE op ("
  "  origin TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  hash BLOB NOT NULL,"
  "  prev BLOB NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  author TEXT,"
  "  kind TEXT NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  home TEXT NOT NULL,"
  "  body BLOB NOT NULL,"
  "  PRIMARY KEY (origin, seq)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX op_hash ON op (hash);"
  "CREATE INDEX op_row ON op (tbl, row_id);"

  /* Heads of multi-value registers, for fields set after their row's create op. A field with no
   * head row has its create op as its only head. */
  "CREATE TABLE field_head ("
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  op_hash BLOB NOT NULL,"
  "  PRIMARY KEY (tbl, row_id, field, op_hash)"
  ") WITHOUT ROWID;"

  "CREATE TABLE user ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  login TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX user_login ON user (login);"

  "CREATE TABLE department ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  name TEXT NOT NULL,"
  "  stationing TEXT NOT NULL,"
  "  weekdays INTEGER NOT NULL DEFAULT 0,"
  "  retired INTEGER NOT NULL DEFAULT 0"
  ");"

  "CREATE TABLE window ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  department_id TEXT NOT NULL REFERENCES department (id),"
  "  number INTEGER NOT NULL"
  ");"
  "CREATE INDEX window_department ON window (department_id);"

  "CREATE TABLE person ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  name TEXT NOT NULL,"
  "  phone TEXT,"
  "  id_number TEXT"
  ");"
  "CREATE INDEX person_id_number ON person (id_number);"
  "CREATE INDEX person_phone ON person (phone);"
  "CREATE INDEX person_name ON person (name);"

  "CREATE TABLE visit ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  person_id TEXT NOT NULL REFERENCES person (id),"
  "  people INTEGER NOT NULL,"
  "  purpose TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  arrived_at INTEGER NOT NULL,"
  "  day TEXT NOT NULL,"
  "  clerk_id TEXT,"
  "  status TEXT NOT NULL DEFAULT 'open',"
  "  outcome TEXT"
  ");"
  "CREATE INDEX visit_person ON visit (person_id, arrived_at);"
  "CREATE INDEX visit_day ON visit (day);"

  "CREATE TABLE ticket ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  visit_id TEXT NOT NULL REFERENCES visit (id),"
  "  window_id TEXT NOT NULL REFERENCES window (id),"
  "  day TEXT NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  status TEXT NOT NULL,"
  "  issued_at INTEGER NOT NULL,"
  "  called_at INTEGER,"
  "  serving_at INTEGER,"
  "  ended_at INTEGER,"
  "  outcome TEXT,"
  "  note TEXT,"
  "  referred_from TEXT,"
  "  referred_to TEXT"
  ");"
  "CREATE INDEX ticket_window_day ON ticket (day, window_id, number);"
  "CREATE INDEX ticket_visit ON ticket (visit_id);"

  "CREATE TABLE login_state ("
  "  user_id TEXT PRIMARY KEY,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0,"
  "  last_login INTEGER"
  ");"
  "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT);"
  /* Who saw what personal data: one row per user, kind of data, record and day. */
  "CREATE TABLE access_log ("
  "  at INTEGER NOT NULL,"
  "  day TEXT NOT NULL,"
  "  user_id TEXT NOT NULL,"
  "  what TEXT NOT NULL,"
  "  row_id TEXT NOT NULL"
  ");"
  "CREATE UNIQUE INDEX access_log_once ON access_log (day, user_id, what, row_id);",

  /* sync: the trust store, remote op bookkeeping and peer state (all local, never synced) */
  "CREATE TABLE sync_root ("
  "  node_id TEXT PRIMARY KEY,"
  "  public_key BLOB NOT NULL,"
  "  org_unit TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL"
  ");"
  /* Enrolment certificates: self-verifying signed statements, kept as received. */
  "CREATE TABLE sync_cert ("
  "  node_id TEXT PRIMARY KEY,"
  "  public_key BLOB NOT NULL,"
  "  org_unit TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  serial INTEGER NOT NULL,"
  "  issuer TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sync_revocation ("
  "  node_id TEXT PRIMARY KEY,"
  "  last_seq INTEGER NOT NULL,"
  "  issuer TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL"
  ");"
  /* The origin's own signature over a head of its chain, to forward with relayed ops. */
  "CREATE TABLE sync_head ("
  "  origin TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  hash BLOB NOT NULL,"
  "  sig BLOB NOT NULL,"
  "  PRIMARY KEY (origin, seq)"
  ") WITHOUT ROWID;"
  /* Parents named by received set ops: an op some held op names is never a head. */
  "CREATE TABLE op_parent ("
  "  parent BLOB NOT NULL,"
  "  child BLOB NOT NULL,"
  "  PRIMARY KEY (parent, child)"
  ") WITHOUT ROWID;"
  /* Ops stored in the chain but refused by authorisation: never applied, listed for review. */
  "CREATE TABLE sync_refused ("
  "  hash BLOB PRIMARY KEY,"
  "  origin TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL"
  ");"
  /* Verified ops not applied yet: after a gap, from a revoked key past its last valid seq, or
   * from a frozen origin. */
  "CREATE TABLE sync_held ("
  "  origin TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  hash BLOB NOT NULL,"
  "  prev BLOB NOT NULL,"
  "  body BLOB,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (origin, seq)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sync_frozen ("
  "  origin TEXT PRIMARY KEY,"
  "  seq INTEGER NOT NULL,"
  "  held_hash BLOB NOT NULL,"
  "  other_hash BLOB NOT NULL,"
  "  at INTEGER NOT NULL"
  ");"
  /* Bundles from keys not known yet, kept content-addressed beside the database. */
  "CREATE TABLE sync_quarantine ("
  "  hash TEXT PRIMARY KEY,"
  "  sender TEXT NOT NULL,"
  "  file TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sync_peer ("
  "  node_id TEXT PRIMARY KEY,"
  "  org_unit TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  vv TEXT NOT NULL DEFAULT '{}',"
  "  last_bundle TEXT,"
  "  last_import_at INTEGER,"
  "  last_export_at INTEGER"
  ");",
};

guint
zz_schema_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
zz_schema_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= G_N_ELEMENTS (migrations), NULL);
  return migrations[version - 1];
}

/* The synced tables and their fields: the only names an op may carry. */
static const char *user_fields[] = { "login", "name", "role", "password_hash", "active", NULL };
static const char *department_fields[] = { "name", "stationing", "weekdays", "retired", NULL };
static const char *window_fields[] = { "department_id", "number", NULL };
static const char *person_fields[] = { "name", "phone", "id_number", NULL };
static const char *visit_fields[] = { "person_id", "people", "purpose", "category", "arrived_at",
                                      "day", "clerk_id", "status", "outcome", NULL };
static const char *ticket_fields[] = { "visit_id", "window_id", "day", "number", "status",
                                       "issued_at", "called_at", "serving_at", "ended_at",
                                       "outcome", "note", "referred_from", "referred_to", NULL };

static const ZzSyncedTable tables[] = {
  { "user", user_fields },
  { "department", department_fields },
  { "window", window_fields },
  { "person", person_fields },
  { "visit", visit_fields },
  { "ticket", ticket_fields },
};

const ZzSyncedTable *
zz_schema_synced_table (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

const ZzSyncedTable *
zz_schema_synced_table_nth (guint i)
{
  return i < G_N_ELEMENTS (tables) ? &tables[i] : NULL;
}

gboolean
zz_schema_has_field (const ZzSyncedTable *t, const char *field)
{
  for (guint i = 0; t->fields[i]; i++)
    if (g_strcmp0 (t->fields[i], field) == 0)
      return TRUE;
  return FALSE;
}
