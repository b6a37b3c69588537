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
  /* cases and mediation */
#define SYNCED_COLUMNS \
  "  id TEXT PRIMARY KEY," \
  "  home TEXT NOT NULL," \
  "  created_hlc INTEGER NOT NULL," \
  "  updated_hlc INTEGER NOT NULL," \
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  /* A case's home is where the dispute arose; its level (who holds it now) moves on escalation.
   * The number, first responder and registration are written once and never set. */
  "CREATE TABLE case_file (" SYNCED_COLUMNS
  "  number TEXT NOT NULL,"
  "  source TEXT NOT NULL,"
  "  external_ref TEXT,"
  "  category TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  details TEXT,"
  "  risk TEXT NOT NULL,"
  "  urgency TEXT NOT NULL,"
  "  first_responder_id TEXT NOT NULL,"
  "  registered_at INTEGER NOT NULL,"
  "  registered_unit TEXT NOT NULL,"
  "  visit_id TEXT,"
  "  level TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  holder TEXT,"
  "  deadline_at INTEGER,"
  "  outcome TEXT,"
  "  resolved_level TEXT,"
  "  concluded_at INTEGER,"
  "  concluded_by TEXT,"
  "  feedback TEXT,"
  "  feedback_at INTEGER,"
  "  archived_at INTEGER,"
  "  household_id TEXT,"   /* the risk household the matter came from, or NULL */
  /* The orders the list sorts status and level in (the loop's, the tiers'), derived and never
   * written, so that a page of a sorted list continues from its key along an index. */
  "  status_rank INTEGER GENERATED ALWAYS AS (CASE status WHEN 'registered' THEN 0 WHEN 'dispatched' THEN 1"
  "    WHEN 'in_progress' THEN 2 WHEN 'reopened' THEN 3 WHEN 'concluded' THEN 4 ELSE 5 END) VIRTUAL,"
  "  level_rank INTEGER GENERATED ALWAYS AS (CASE level WHEN 'village' THEN 0 WHEN 'township' THEN 1"
  "    WHEN 'county' THEN 2 ELSE 3 END) VIRTUAL"
  ");"
  "CREATE INDEX case_file_number ON case_file (number);"
  /* Case categories: the DOMAIN.md list is built in (its keys never change); a row renames or
   * retires a built-in category or adds one. Reference data, authored above and flowing down. */
  "CREATE TABLE case_category (" SYNCED_COLUMNS
  "  key TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  retired INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX case_category_key ON case_category (key);"
  "CREATE INDEX case_file_household ON case_file (household_id) WHERE household_id IS NOT NULL;"
  "CREATE INDEX case_file_registered ON case_file (registered_at, id);"
  "CREATE INDEX case_file_deadline ON case_file (deadline_at, id);"
  "CREATE INDEX case_file_status ON case_file (status, category, level);"
  /* Open cases by deadline: the overdue list and the supervisors' view. */
  "CREATE INDEX case_file_open_deadline ON case_file (deadline_at, id)"
  "  WHERE status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND deleted = 0;"
  "CREATE INDEX case_file_open_registered ON case_file (registered_at, id)"
  "  WHERE status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND deleted = 0;"
  /* Cases per status, kept by triggers (local, not synced): the list shows its length at once
   * instead of counting half a million rows. */
  "CREATE TABLE case_count (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TRIGGER case_count_ai AFTER INSERT ON case_file WHEN new.deleted = 0 BEGIN"
  "  INSERT OR IGNORE INTO case_count VALUES (new.status, 0);"
  "  UPDATE case_count SET n = n + 1 WHERE status = new.status;"
  " END;"
  "CREATE TRIGGER case_count_au AFTER UPDATE OF status, deleted ON case_file BEGIN"
  "  UPDATE case_count SET n = n - 1 WHERE status = old.status AND old.deleted = 0;"
  "  INSERT OR IGNORE INTO case_count SELECT new.status, 0 WHERE new.deleted = 0;"
  "  UPDATE case_count SET n = n + 1 WHERE status = new.status AND new.deleted = 0;"
  " END;"
  "CREATE TRIGGER case_count_ad AFTER DELETE ON case_file WHEN old.deleted = 0 BEGIN"
  "  UPDATE case_count SET n = n - 1 WHERE status = old.status;"
  " END;"
  "CREATE INDEX case_file_status_registered ON case_file (status, registered_at, id);"
  /* The list sorted by status, level or category pages along these; open cases along the
   * partial ones. */
  "CREATE INDEX case_file_sort_status ON case_file (status_rank, id);"
  "CREATE INDEX case_file_sort_level ON case_file (level_rank, id);"
  "CREATE INDEX case_file_sort_category ON case_file (category, id);"
  "CREATE INDEX case_file_open_status ON case_file (status_rank, id)"
  "  WHERE status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND deleted = 0;"
  "CREATE INDEX case_file_open_level ON case_file (level_rank, id)"
  "  WHERE status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND deleted = 0;"
  "CREATE INDEX case_file_open_category ON case_file (category, id)"
  "  WHERE status IN ('registered', 'dispatched', 'in_progress', 'reopened') AND deleted = 0;"
  "CREATE INDEX case_file_responder ON case_file (first_responder_id);"
  "CREATE INDEX case_file_visit ON case_file (visit_id);"
  "CREATE TABLE case_party (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  role TEXT NOT NULL,"
  "  person_id TEXT REFERENCES person (id),"
  "  org_name TEXT"
  ");"
  "CREATE INDEX case_party_case ON case_party (case_id);"
  "CREATE INDEX case_party_person ON case_party (person_id);"
  "CREATE TABLE case_dispatch (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  department_id TEXT,"
  "  to_level TEXT,"
  "  note TEXT,"
  "  deadline_at INTEGER NOT NULL,"
  "  dispatched_at INTEGER NOT NULL,"
  "  dispatched_by TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  answered_at INTEGER,"
  "  answered_by TEXT,"
  "  return_reason TEXT"
  ");"
  "CREATE INDEX case_dispatch_case ON case_dispatch (case_id);"
  "CREATE INDEX case_dispatch_open ON case_dispatch (status, deadline_at);"
  "CREATE TABLE supervision_note (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  dispatch_id TEXT,"
  "  note TEXT NOT NULL,"
  "  overdue_days INTEGER NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX supervision_note_case ON supervision_note (case_id);"
  "CREATE TABLE whistle (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  departments TEXT NOT NULL,"
  "  note TEXT,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX whistle_case ON whistle (case_id);"
  "CREATE TABLE whistle_report (" SYNCED_COLUMNS
  "  whistle_id TEXT NOT NULL REFERENCES whistle (id),"
  "  case_id TEXT NOT NULL,"
  "  department_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX whistle_report_case ON whistle_report (case_id);"
  "CREATE TABLE mediation_attempt (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  level TEXT NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  held_at INTEGER NOT NULL,"
  "  place TEXT NOT NULL,"
  "  mediators TEXT NOT NULL,"
  "  parties_present TEXT,"
  "  method TEXT NOT NULL,"
  "  departments TEXT,"
  "  n_departments INTEGER NOT NULL DEFAULT 0,"
  "  result TEXT NOT NULL,"
  "  terms TEXT,"
  "  notes TEXT,"
  "  amends TEXT,"
  "  recorded_at INTEGER NOT NULL,"
  "  recorded_by TEXT NOT NULL"
  ");"
  "CREATE INDEX mediation_attempt_case ON mediation_attempt (case_id, level);"
  "CREATE INDEX mediation_attempt_held ON mediation_attempt (held_at);"
  "CREATE TABLE case_escalation (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  from_level TEXT NOT NULL,"
  "  to_level TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX case_escalation_case ON case_escalation (case_id);"
  "CREATE TABLE agreement_fulfilment (" SYNCED_COLUMNS
  "  attempt_id TEXT NOT NULL REFERENCES mediation_attempt (id),"
  "  case_id TEXT NOT NULL,"
  "  fulfilled TEXT NOT NULL,"
  "  note TEXT,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX agreement_fulfilment_case ON agreement_fulfilment (case_id);"
  "CREATE TABLE return_visit (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  satisfaction TEXT NOT NULL,"
  "  notes TEXT,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX return_visit_case ON return_visit (case_id);"
  "CREATE TABLE tier_review (" SYNCED_COLUMNS
  "  case_id TEXT NOT NULL REFERENCES case_file (id),"
  "  level TEXT NOT NULL,"
  "  attempts_seen INTEGER NOT NULL,"
  "  note TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  author_id TEXT NOT NULL"
  ");"
  "CREATE INDEX tier_review_case ON tier_review (case_id);"
  /* Settings every node must apply alike (tier limits, default deadlines): synced reference
   * data, one row per key, the latest write wins. */
  "CREATE TABLE case_setting (" SYNCED_COLUMNS
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE INDEX case_setting_key ON case_setting (key);"
  /* The search index: local, never synced, kept in step by triggers so rows that arrive by sync
   * are found too. rowid = case_file.rowid. Trigram finds any substring of three characters or
   * more, Chinese included. */
  "CREATE VIRTUAL TABLE case_fts USING fts5 (number, parties, summary, tokenize = 'trigram');"
  "CREATE TRIGGER case_fts_ai AFTER INSERT ON case_file BEGIN"
  "  INSERT INTO case_fts (rowid, number, parties, summary)"
  "  VALUES (new.rowid, new.number, '', new.summary || ' ' || coalesce (new.details, '') || ' ' || coalesce (new.external_ref, ''));"
  " END;"
  "CREATE TRIGGER case_fts_au AFTER UPDATE OF summary, details, external_ref ON case_file BEGIN"
  "  UPDATE case_fts SET summary = new.summary || ' ' || coalesce (new.details, '') || ' ' || coalesce (new.external_ref, '')"
  "  WHERE rowid = new.rowid;"
  " END;"
  "CREATE VIEW case_party_text AS SELECT cp.case_id,"
  "  group_concat (coalesce (p.name, '') || ' ' || coalesce (p.phone, '') || ' ' || coalesce (p.id_number, '')"
  "   || ' ' || coalesce (cp.org_name, ''), ' ') AS parties"
  "  FROM case_party cp LEFT JOIN person p ON p.id = cp.person_id WHERE cp.deleted = 0 GROUP BY cp.case_id;"
  "CREATE TRIGGER case_fts_party AFTER INSERT ON case_party BEGIN"
  "  UPDATE case_fts SET parties = (SELECT parties FROM case_party_text WHERE case_id = new.case_id)"
  "  WHERE rowid = (SELECT rowid FROM case_file WHERE id = new.case_id);"
  " END;"
  "CREATE TRIGGER case_fts_person AFTER UPDATE OF name, phone, id_number ON person BEGIN"
  "  UPDATE case_fts SET parties = (SELECT parties FROM case_party_text t WHERE t.case_id ="
  "    (SELECT id FROM case_file c WHERE c.rowid = case_fts.rowid))"
  "  WHERE rowid IN (SELECT c.rowid FROM case_party cp JOIN case_file c ON c.id = cp.case_id"
  "    WHERE cp.person_id = new.id);"
  " END;"
  /* This node's case-number sequence per unit and year (local). */
  "CREATE TABLE case_seq (unit TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL,"
  "  PRIMARY KEY (unit, year)) WITHOUT ROWID;",
#undef SYNCED_COLUMNS

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

  /* statistics (all local, never synced) */
  /* When each origin's changes last arrived here, and the newest of them: the "data as of" of
   * the units below. Written by the import, in its transaction. */
  "CREATE TABLE sync_origin_seen ("
  "  origin TEXT PRIMARY KEY,"
  "  org_unit TEXT NOT NULL,"
  "  imported_at INTEGER NOT NULL,"
  "  newest_hlc INTEGER NOT NULL"
  ");"
  /* Per case and per dispatch, what the statistics read of them, kept by triggers from the case,
   * its mediation attempts and its dispatches (so whatever writes them, a verb or an applied op,
   * keeps them right). A case: its home, status and conclusion, its original attempts
   * (corrections, which amend another, do not count), those at the village, and the result of
   * the last one as corrected. A dispatch: with its case's status and conclusion. Each pass of
   * the statistics then reads one index alone instead of looking up every case it counts. */
  "CREATE TABLE case_fact ("
  "  id INTEGER PRIMARY KEY,"
  "  case_id TEXT NOT NULL UNIQUE,"
  "  home TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  concluded_at INTEGER,"
  "  resolved_level TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  village_attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_result TEXT"
  ");"
  "CREATE INDEX case_fact_concluded ON case_fact (concluded_at, home, status, resolved_level, deleted, attempts,"
  "  village_attempts, last_result) WHERE concluded_at IS NOT NULL;"
  "CREATE TABLE dispatch_fact ("
  "  id INTEGER PRIMARY KEY,"
  "  dispatch_id TEXT NOT NULL UNIQUE,"
  "  case_id TEXT NOT NULL,"
  "  home TEXT NOT NULL,"
  "  department_id TEXT,"
  "  status TEXT NOT NULL,"
  "  dispatched_at INTEGER NOT NULL,"
  "  deadline_at INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  case_status TEXT,"
  "  case_concluded_at INTEGER"
  ");"
  "CREATE INDEX dispatch_fact_case ON dispatch_fact (case_id);"
  "CREATE INDEX dispatch_fact_period ON dispatch_fact (dispatched_at, home, department_id, status, deadline_at,"
  "  deleted, case_status, case_concluded_at);"
  "CREATE TRIGGER case_fact_ai AFTER INSERT ON case_file BEGIN"
  "  INSERT INTO case_fact (case_id, home, status, concluded_at, resolved_level, deleted)"
  "  VALUES (NEW.id, NEW.home, NEW.status, NEW.concluded_at, NEW.resolved_level, NEW.deleted)"
  "  ON CONFLICT (case_id) DO UPDATE SET home = excluded.home, status = excluded.status,"
  "  concluded_at = excluded.concluded_at, resolved_level = excluded.resolved_level, deleted = excluded.deleted;"
  " END;"
  "CREATE TRIGGER case_fact_au AFTER UPDATE OF status, concluded_at, resolved_level, deleted ON case_file BEGIN"
  "  UPDATE case_fact SET status = NEW.status, concluded_at = NEW.concluded_at,"
  "  resolved_level = NEW.resolved_level, deleted = NEW.deleted WHERE case_id = NEW.id;"
  "  UPDATE dispatch_fact SET case_status = NEW.status, case_concluded_at = NEW.concluded_at WHERE case_id = NEW.id;"
  " END;"
  "CREATE TRIGGER case_fact_ad AFTER DELETE ON case_file BEGIN"
  "  DELETE FROM case_fact WHERE case_id = OLD.id;"
  " END;"
#define CASE_FACT_ATTEMPTS(c) \
  "  UPDATE case_fact SET (attempts, village_attempts) = (SELECT count(*), coalesce(sum(a.level = 'village'), 0)" \
  "   FROM mediation_attempt a WHERE a.case_id = " c " AND a.amends IS NULL AND a.deleted = 0)," \
  "  last_result = (SELECT coalesce((SELECT k.result FROM mediation_attempt k WHERE k.case_id = l.case_id" \
  "     AND k.amends = l.id AND k.deleted = 0 ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1), l.result)" \
  "   FROM mediation_attempt l WHERE l.case_id = " c " AND l.amends IS NULL AND l.deleted = 0" \
  "   ORDER BY l.held_at DESC, l.recorded_at DESC, l.id DESC LIMIT 1)"
  "CREATE TRIGGER case_fact_attempt_ai AFTER INSERT ON mediation_attempt BEGIN"
  CASE_FACT_ATTEMPTS ("NEW.case_id") " WHERE case_id = NEW.case_id;"
  " END;"
  "CREATE TRIGGER case_fact_attempt_au AFTER UPDATE OF deleted, result, amends, held_at ON mediation_attempt BEGIN"
  CASE_FACT_ATTEMPTS ("NEW.case_id") " WHERE case_id = NEW.case_id;"
  " END;"
#define DISPATCH_FACT_OF(d) \
  "  SELECT " d ".id, " d ".case_id, " d ".home, " d ".department_id, " d ".status, " d ".dispatched_at," \
  "  " d ".deadline_at, " d ".deleted, c.status, c.concluded_at" \
  "  FROM (SELECT 1) LEFT JOIN case_file c ON c.id = " d ".case_id"
  "CREATE TRIGGER dispatch_fact_ai AFTER INSERT ON case_dispatch BEGIN"
  "  INSERT OR REPLACE INTO dispatch_fact (dispatch_id, case_id, home, department_id, status, dispatched_at,"
  "  deadline_at, deleted, case_status, case_concluded_at)"
  DISPATCH_FACT_OF ("NEW") ";"
  " END;"
  "CREATE TRIGGER dispatch_fact_au AFTER UPDATE OF department_id, status, dispatched_at, deadline_at, deleted"
  "  ON case_dispatch BEGIN"
  "  UPDATE dispatch_fact SET department_id = NEW.department_id, status = NEW.status,"
  "  dispatched_at = NEW.dispatched_at, deadline_at = NEW.deadline_at, deleted = NEW.deleted"
  "  WHERE dispatch_id = NEW.id;"
  " END;"
  "CREATE TRIGGER dispatch_fact_ad AFTER DELETE ON case_dispatch BEGIN"
  "  DELETE FROM dispatch_fact WHERE dispatch_id = OLD.id;"
  " END;"
  /* the cases and dispatches already held */
  "INSERT INTO case_fact (case_id, home, status, concluded_at, resolved_level, deleted)"
  "  SELECT id, home, status, concluded_at, resolved_level, deleted FROM case_file;"
  CASE_FACT_ATTEMPTS ("case_fact.case_id") " WHERE case_id IN (SELECT case_id FROM mediation_attempt);"
  "INSERT INTO dispatch_fact (dispatch_id, case_id, home, department_id, status, dispatched_at, deadline_at,"
  "  deleted, case_status, case_concluded_at)"
  "  SELECT d.id, d.case_id, d.home, d.department_id, d.status, d.dispatched_at, d.deadline_at, d.deleted,"
  "  c.status, c.concluded_at FROM case_dispatch d LEFT JOIN case_file c ON c.id = d.case_id;"
#undef CASE_FACT_ATTEMPTS
#undef DISPATCH_FACT_OF
  /* One pass per table over the period, from the index alone (every column a query reads,
   * deleted included, is in its index). */
  "CREATE INDEX stats_case_registered ON case_file (registered_at, home, category, source, status, deadline_at, deleted);"
  "CREATE INDEX stats_return_visit ON return_visit (at, home, satisfaction, deleted);"
  "CREATE INDEX stats_return_visit_case ON return_visit (case_id, at, deleted);"
  "CREATE INDEX stats_supervision_case ON supervision_note (case_id, at, deleted);"
  "CREATE INDEX stats_visit ON visit (day, home, people, id, deleted);"
  "CREATE INDEX stats_ticket_visit ON ticket (visit_id, issued_at, called_at, deleted);",

  /* sync: roots vouched for by a root (a county vouching for its prefecture), so that a node
   * trusting only its county receives the prefecture's changes relayed through it; and each
   * peer's placeholders, which it is still owed in full (its acknowledgement tells them apart
   * from ops it holds in full). */
  "CREATE TABLE sync_anchor ("
  "  node_id TEXT PRIMARY KEY,"
  "  public_key BLOB NOT NULL,"
  "  org_unit TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  issuer TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL"
  ");"
  "ALTER TABLE sync_peer ADD COLUMN holes TEXT NOT NULL DEFAULT '{}';"
  "CREATE INDEX op_hole ON op (origin, seq) WHERE kind = 'hole';",

  /* sync: ops of a table or field this version does not know (written by a newer version). Each
   * stays in the op log with its chain, is relayed like any other op and is never applied here;
   * the version that knows it applies it when it opens the database (zz_store_apply_newer).
   * origin_unit: the origin's certified unit, that authorised it; partial: a create or append of
   * a known table, applied here without the fields this version does not know. */
  "CREATE TABLE sync_newer ("
  "  hash BLOB PRIMARY KEY,"
  "  origin TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  origin_unit TEXT NOT NULL,"
  "  partial INTEGER NOT NULL DEFAULT 0,"
  "  at INTEGER NOT NULL"
  ");"
  "CREATE INDEX sync_newer_chain ON sync_newer (origin, seq);",

  /* the newest clock seen, read at every open: from the index, not a scan of the whole log */
  "CREATE INDEX op_hlc ON op (hlc);"
  /* attempts per case and level, kept by triggers, so the review items (more attempts than the
   * three-tier rule allows) are found by an index range instead of counting every attempt */
  "CREATE TABLE attempt_count ("
  "  case_id TEXT NOT NULL,"
  "  level TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL,"
  "  PRIMARY KEY (case_id, level)"
  ") WITHOUT ROWID;"
  "CREATE INDEX attempt_count_level ON attempt_count (level, attempts);"
#define ATTEMPT_COUNT(c, l) \
  "  INSERT OR REPLACE INTO attempt_count (case_id, level, attempts) SELECT " c ", " l ", count(*)" \
  "   FROM mediation_attempt a WHERE a.case_id = " c " AND a.level = " l " AND a.amends IS NULL AND a.deleted = 0;"
  "CREATE TRIGGER attempt_count_ai AFTER INSERT ON mediation_attempt BEGIN"
  ATTEMPT_COUNT ("NEW.case_id", "NEW.level")
  " END;"
  "CREATE TRIGGER attempt_count_au AFTER UPDATE OF case_id, level, amends, deleted ON mediation_attempt BEGIN"
  ATTEMPT_COUNT ("OLD.case_id", "OLD.level")
  ATTEMPT_COUNT ("NEW.case_id", "NEW.level")
  " END;"
  "CREATE TRIGGER attempt_count_ad AFTER DELETE ON mediation_attempt BEGIN"
  ATTEMPT_COUNT ("OLD.case_id", "OLD.level")
  " END;"
#undef ATTEMPT_COUNT
  "INSERT INTO attempt_count (case_id, level, attempts) SELECT case_id, level, count(*) FROM mediation_attempt"
  "  WHERE amends IS NULL AND deleted = 0 GROUP BY case_id, level;",

  /* A party's ethnicity (one of the 56 official names) and address, for the mediation agreement;
   * NULL when not recorded. */
  "ALTER TABLE person ADD COLUMN ethnicity TEXT;"
  "ALTER TABLE person ADD COLUMN address TEXT;",

  /* sync: the newest bundle format each peer has shown it reads (its last manifest's "reads";
   * peers heard from before bundles stated it read format 1), so that export writes it the newest
   * format it can read. */
  "ALTER TABLE sync_peer ADD COLUMN reads INTEGER NOT NULL DEFAULT 1;",
};

#ifdef ZZ_TEST_EXTRA_SCHEMA
/* A test build of a "newer version": one more synced table and one more field of person, added
 * by one more step after the last, while zz_schema_test_extra is set. */
gboolean zz_schema_test_extra;

static const char test_extra_migration[] =
  "CREATE TABLE test_extra ("
  "  id TEXT PRIMARY KEY,"
  "  home TEXT NOT NULL,"
  "  created_hlc INTEGER NOT NULL,"
  "  updated_hlc INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  label TEXT NOT NULL,"
  "  amount INTEGER"
  ");"
  "ALTER TABLE person ADD COLUMN nickname TEXT;";
#define N_TEST_EXTRA (zz_schema_test_extra ? 1u : 0u)
#else
#define N_TEST_EXTRA 0u
#endif

guint
zz_schema_n_migrations (void)
{
  return G_N_ELEMENTS (migrations) + N_TEST_EXTRA;
}

const char *
zz_schema_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= zz_schema_n_migrations (), NULL);
#ifdef ZZ_TEST_EXTRA_SCHEMA
  if (version > G_N_ELEMENTS (migrations))
    return test_extra_migration;
#endif
  return migrations[version - 1];
}

/* The synced tables and their fields: the only names an op may carry. */
static const char *user_fields[] = { "login", "name", "role", "password_hash", "active", NULL };
static const char *department_fields[] = { "name", "stationing", "weekdays", "retired", NULL };
static const char *window_fields[] = { "department_id", "number", NULL };
static const char *person_fields[] = { "name", "phone", "id_number", "ethnicity", "address", NULL };
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

static const char *case_file_fields[] = { "number", "source", "external_ref", "category", "summary",
                                          "details", "risk", "urgency", "first_responder_id",
                                          "registered_at", "registered_unit", "visit_id", "level",
                                          "status", "holder", "deadline_at", "outcome",
                                          "resolved_level", "concluded_at", "concluded_by",
                                          "feedback", "feedback_at", "archived_at", "household_id",
                                          NULL };
static const char *case_party_fields[] = { "case_id", "role", "person_id", "org_name", NULL };
static const char *case_dispatch_fields[] = { "case_id", "department_id", "to_level", "note",
                                              "deadline_at", "dispatched_at", "dispatched_by",
                                              "status", "answered_at", "answered_by",
                                              "return_reason", NULL };
static const char *supervision_note_fields[] = { "case_id", "dispatch_id", "note", "overdue_days",
                                                 "at", "author_id", NULL };
static const char *whistle_fields[] = { "case_id", "departments", "note", "at", "author_id", NULL };
static const char *whistle_report_fields[] = { "whistle_id", "case_id", "department_id", "kind",
                                               "at", "author_id", NULL };
static const char *mediation_attempt_fields[] = { "case_id", "level", "number", "held_at", "place",
                                                  "mediators", "parties_present", "method",
                                                  "departments", "n_departments", "result",
                                                  "terms", "notes", "amends", "recorded_at",
                                                  "recorded_by", NULL };
static const char *case_escalation_fields[] = { "case_id", "from_level", "to_level", "summary", "at",
                                                "author_id", NULL };
static const char *agreement_fulfilment_fields[] = { "attempt_id", "case_id", "fulfilled", "note",
                                                     "at", "author_id", NULL };
static const char *return_visit_fields[] = { "case_id", "satisfaction", "notes", "at", "author_id",
                                             NULL };
static const char *tier_review_fields[] = { "case_id", "level", "attempts_seen", "note", "at",
                                            "author_id", NULL };
static const char *case_setting_fields[] = { "key", "value", NULL };
static const char *case_category_fields[] = { "key", "name", "retired", NULL };

static const ZzSyncedTable tables[] = {
  { "user", user_fields, FALSE, TRUE },
  { "department", department_fields, FALSE, TRUE },
  { "window", window_fields, FALSE, TRUE },
  { "person", person_fields },
  { "visit", visit_fields },
  { "ticket", ticket_fields },
  { "household", household_fields },
  { "household_member", household_member_fields },
  { "household_official", household_official_fields },
  { "household_assessment", household_assessment_fields, TRUE },
  { "household_signoff", household_signoff_fields, TRUE },
  { "household_visit", household_visit_fields, TRUE },
  { "risk_scheme", risk_scheme_fields, FALSE, TRUE },
  /* cases and mediation */
  { "case_file", case_file_fields },
  { "case_party", case_party_fields, TRUE },
  { "case_dispatch", case_dispatch_fields },
  { "supervision_note", supervision_note_fields, TRUE },
  { "whistle", whistle_fields, TRUE },
  { "whistle_report", whistle_report_fields, TRUE },
  { "mediation_attempt", mediation_attempt_fields, TRUE },
  { "case_escalation", case_escalation_fields, TRUE },
  { "agreement_fulfilment", agreement_fulfilment_fields, TRUE },
  { "return_visit", return_visit_fields, TRUE },
  { "tier_review", tier_review_fields, TRUE },
  { "case_setting", case_setting_fields, FALSE, TRUE },
  { "case_category", case_category_fields, FALSE, TRUE },
};

#ifdef ZZ_TEST_EXTRA_SCHEMA
static const char *person_extra_fields[] = { "name", "phone", "id_number", "nickname", NULL };
static const char *test_extra_fields[] = { "label", "amount", NULL };
static const ZzSyncedTable extra_tables[] = {
  { "person", person_extra_fields },
  { "test_extra", test_extra_fields },
};
#endif

const ZzSyncedTable *
zz_schema_synced_table (const char *name)
{
#ifdef ZZ_TEST_EXTRA_SCHEMA
  for (guint i = 0; zz_schema_test_extra && i < G_N_ELEMENTS (extra_tables); i++)
    if (g_strcmp0 (extra_tables[i].name, name) == 0)
      return &extra_tables[i];
#endif
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

const ZzSyncedTable *
zz_schema_synced_table_nth (guint i)
{
#ifdef ZZ_TEST_EXTRA_SCHEMA
  if (zz_schema_test_extra && i == G_N_ELEMENTS (tables))
    return &extra_tables[G_N_ELEMENTS (extra_tables) - 1];
  if (i < G_N_ELEMENTS (tables))
    return zz_schema_synced_table (tables[i].name);
#endif
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
