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
  /* risk households: the household and its people are mutable rows; assessments, sign-off steps
   * and visits are immutable records. Every row's home is the household's village. */
  "CREATE TABLE household ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  address TEXT NOT NULL,"
  "  head_name TEXT NOT NULL,"
  "  grid_worker TEXT,"
  "  notes TEXT,"
  "  grade TEXT NOT NULL DEFAULT '',"
  "  graded_on TEXT,"
  "  status TEXT NOT NULL DEFAULT 'active',"
  "  delisted_on TEXT,"
  "  delist_reason TEXT,"
  "  registered_on TEXT NOT NULL"
  ");"
  "CREATE INDEX household_home ON household (home);"
  "CREATE INDEX household_head ON household (head_name);"
  "CREATE TABLE household_member ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  household_id TEXT NOT NULL REFERENCES household (id),"
  "  name TEXT NOT NULL,"
  "  relation TEXT,"
  "  id_number TEXT,"
  "  phone TEXT,"
  "  notes TEXT"
  ");"
  "CREATE INDEX household_member_household ON household_member (household_id);"
  "CREATE INDEX household_member_id_number ON household_member (id_number);"
  "CREATE INDEX household_member_phone ON household_member (phone);"
  "CREATE TABLE household_official ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  household_id TEXT NOT NULL REFERENCES household (id),"
  "  user_id TEXT,"
  "  name TEXT NOT NULL,"
  "  phone TEXT"
  ");"
  "CREATE INDEX household_official_household ON household_official (household_id);"
  "CREATE INDEX household_official_user ON household_official (user_id);"
  "CREATE TABLE household_assessment ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  household_id TEXT NOT NULL REFERENCES household (id),"
  "  factors TEXT NOT NULL,"
  "  other_text TEXT,"
  "  scheme TEXT NOT NULL,"
  "  score INTEGER NOT NULL,"
  "  grade TEXT NOT NULL,"
  "  note TEXT,"
  "  assessed_at INTEGER NOT NULL,"
  "  day TEXT NOT NULL,"
  "  assessor_id TEXT"
  ");"
  "CREATE INDEX household_assessment_household ON household_assessment (household_id, assessed_at);"
  "CREATE TABLE household_signoff ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  household_id TEXT NOT NULL REFERENCES household (id),"
  "  kind TEXT NOT NULL,"
  "  round_id TEXT NOT NULL,"
  "  step INTEGER NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  grade TEXT,"
  "  assessment_id TEXT,"
  "  reason TEXT,"
  "  note TEXT,"
  "  signed_at INTEGER NOT NULL,"
  "  day TEXT NOT NULL,"
  "  user_id TEXT NOT NULL"
  ");"
  "CREATE INDEX household_signoff_household ON household_signoff (household_id, signed_at);"
  "CREATE TABLE household_visit ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  household_id TEXT NOT NULL REFERENCES household (id),"
  "  day TEXT NOT NULL,"
  "  visitors TEXT NOT NULL,"
  "  found TEXT NOT NULL,"
  "  measures TEXT,"
  "  reassess INTEGER NOT NULL DEFAULT 0,"
  "  logged_by TEXT,"
  "  logged_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX household_visit_household ON household_visit (household_id, day);"
  /* Local, derived from the visits by triggers (so whatever writes a visit, a verb or an applied
   * op, keeps it right): the day of each household's last visit, for the overdue list. */
  "CREATE TABLE household_last_visit ("
  "  household_id TEXT PRIMARY KEY,"
  "  day TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER household_visit_last AFTER INSERT ON household_visit WHEN NEW.deleted = 0 BEGIN"
  "  INSERT INTO household_last_visit (household_id, day) VALUES (NEW.household_id, NEW.day)"
  "  ON CONFLICT (household_id) DO UPDATE SET day = max(day, excluded.day);"
  " END;"
  "CREATE TRIGGER household_visit_last_update AFTER UPDATE OF deleted, day ON household_visit BEGIN"
  "  DELETE FROM household_last_visit WHERE household_id = NEW.household_id;"
  "  INSERT INTO household_last_visit (household_id, day) SELECT household_id, max(day) FROM household_visit"
  "   WHERE household_id = NEW.household_id AND deleted = 0 GROUP BY household_id;"
  " END;"
  /* The county-wide weight scheme and visit cadences: reference data, one row per org unit that
   * set one; the most senior unit's row applies. */
  "CREATE TABLE risk_scheme ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  scheme TEXT NOT NULL"
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
static const char *household_fields[] = { "address", "head_name", "grid_worker", "notes", "grade",
                                          "graded_on", "status", "delisted_on", "delist_reason",
                                          "registered_on", NULL };
static const char *household_member_fields[] = { "household_id", "name", "relation", "id_number", "phone",
                                                 "notes", NULL };
static const char *household_official_fields[] = { "household_id", "user_id", "name", "phone", NULL };
static const char *household_assessment_fields[] = { "household_id", "factors", "other_text", "scheme",
                                                     "score", "grade", "note", "assessed_at", "day",
                                                     "assessor_id", NULL };
static const char *household_signoff_fields[] = { "household_id", "kind", "round_id", "step", "decision",
                                                  "grade", "assessment_id", "reason", "note", "signed_at",
                                                  "day", "user_id", NULL };
static const char *household_visit_fields[] = { "household_id", "day", "visitors", "found", "measures",
                                                "reassess", "logged_by", "logged_at", NULL };
static const char *risk_scheme_fields[] = { "scheme", NULL };

static const ZzSyncedTable tables[] = {
  { "user", user_fields },
  { "department", department_fields },
  { "window", window_fields },
  { "person", person_fields },
  { "visit", visit_fields },
  { "ticket", ticket_fields },
  { "household", household_fields },
  { "household_member", household_member_fields },
  { "household_official", household_official_fields },
  { "household_assessment", household_assessment_fields, TRUE },
  { "household_signoff", household_signoff_fields, TRUE },
  { "household_visit", household_visit_fields, TRUE },
  { "risk_scheme", risk_scheme_fields },
};

const ZzSyncedTable *
zz_schema_synced_table (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

gboolean
zz_schema_has_field (const ZzSyncedTable *t, const char *field)
{
  for (guint i = 0; t->fields[i]; i++)
    if (g_strcmp0 (t->fields[i], field) == 0)
      return TRUE;
  return FALSE;
}
