/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "zz-error.h"
#include "zz-progress.h"
#include "zz-roles.h"
#include "zz-row.h"

G_BEGIN_DECLS

/* The store: one SQLite file, the one write path. Every public verb checks the current user's
 * role, validates its input, and writes its rows together with their ops in one transaction, or
 * writes nothing and returns a GError whose message can be shown to the user as it is.
 *
 * A ZzStore is used from one thread. Slow work (imports, demo data) opens its own ZzStore on the
 * same file in a worker thread; WAL lets readers go on meanwhile. */
#define ZZ_TYPE_STORE (zz_store_get_type ())
G_DECLARE_FINAL_TYPE (ZzStore, zz_store, ZZ, STORE, GObject)

#define ZZ_SCHEMA_VERSION 1

ZzStore     *zz_store_open              (const char   *path,
                                         GError      **error);
const char  *zz_store_get_path          (ZzStore      *self);
/* TRUE when the last session did not close the database (a power cut, a crash): its WAL was left
 * behind. SQLite's recovery has already made every committed transaction durable; whether the
 * file itself is sound is for zz_store_check_file, run in the background (the window does not
 * wait for it). */
gboolean     zz_store_was_unclean       (ZzStore      *self);
/* Reads the whole database file at @path on a connection of its own (read-only, so it can run
 * in a worker while the window works on the file): `PRAGMA quick_check`, or the slower and
 * fuller `PRAGMA integrity_check` when @full. FALSE with ZZ_ERROR_DB and a message that says
 * what is damaged and what to do; ZZ_ERROR_CANCELLED when @cancellable is cancelled. */
gboolean     zz_store_check_file        (const char   *path,
                                         gboolean      full,
                                         GCancellable *cancellable,
                                         GError      **error);
void         zz_store_check_file_async  (const char   *path,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer      user_data);
gboolean     zz_store_check_file_finish (GAsyncResult *result,
                                         GError      **error);
/* Fixes the clock (Unix milliseconds) for tests and the demo; 0 returns to the real clock. */
void         zz_store_set_now           (ZzStore      *self,
                                         gint64        unix_ms);
gint64       zz_store_now               (ZzStore      *self);
/* Local calendar day "YYYY-MM-DD" of a Unix-ms time. */
char        *zz_store_day_of            (gint64        unix_ms);

/* ---- this node ---- */
gboolean     zz_store_has_node          (ZzStore      *self);
/* First run: this installation's org unit, its name, the node key (written 0600 beside the
 * database) and the first administrator. */
gboolean     zz_store_setup_node        (ZzStore      *self,
                                         const char   *org_unit_code,
                                         const char   *centre_name,
                                         const char   *admin_login,
                                         const char   *admin_name,
                                         const char   *admin_password,
                                         GError      **error);
const char  *zz_store_get_node_id       (ZzStore      *self);
const char  *zz_store_get_node_org_unit (ZzStore      *self);
const char  *zz_store_get_centre_name   (ZzStore      *self);
char        *zz_store_get_fingerprint   (ZzStore      *self);   /* of the node's public key */
char        *zz_store_get_key_path      (ZzStore      *self);

/* ---- session ---- */
gboolean     zz_store_login             (ZzStore      *self,
                                         const char   *login,
                                         const char   *password,
                                         GError      **error);
/* Re-checks the current user's password, to unlock an idle-locked session. */
gboolean     zz_store_verify_password   (ZzStore      *self,
                                         const char   *password,
                                         GError      **error);
void         zz_store_logout            (ZzStore      *self);
/* Acts as a stored user without a password: for the headless tool, which the file's owner runs.
 * A NULL @login means the first active administrator. */
gboolean     zz_store_act_as            (ZzStore      *self,
                                         const char   *login,
                                         GError      **error);
const char  *zz_store_get_user_id       (ZzStore      *self);
const char  *zz_store_get_user_name     (ZzStore      *self);
ZzRole       zz_store_get_role          (ZzStore      *self);
gboolean     zz_store_can               (ZzStore      *self,
                                         ZzPermission  perm);

#define ZZ_LOGIN_MAX_FAILURES 5
#define ZZ_LOGIN_LOCK_MINUTES 15

/* ---- users (administrator) ---- */
GListModel  *zz_store_list_users        (ZzStore      *self);
gboolean     zz_store_create_user       (ZzStore      *self,
                                         const char   *login,
                                         const char   *name,
                                         ZzRole        role,
                                         const char   *password,
                                         char        **out_id,
                                         GError      **error);
gboolean     zz_store_update_user       (ZzStore      *self,
                                         const char   *user_id,
                                         const char   *name,
                                         ZzRole        role,
                                         gboolean      active,
                                         GError      **error);
gboolean     zz_store_set_user_password (ZzStore      *self,
                                         const char   *user_id,
                                         const char   *password,
                                         GError      **error);
gboolean     zz_store_unlock_user       (ZzStore      *self,
                                         const char   *user_id,
                                         GError      **error);

/* ---- departments and windows (administrator) ---- */
GListModel  *zz_store_list_departments  (ZzStore      *self);   /* with window_id, window_number */
gboolean     zz_store_save_department   (ZzStore      *self,
                                         const char   *department_id,  /* NULL: create */
                                         const char   *name,
                                         int           window_number,
                                         const char   *stationing,
                                         guint         weekdays,
                                         char        **out_id,
                                         GError      **error);
gboolean     zz_store_retire_department (ZzStore      *self,
                                         const char   *department_id,
                                         gboolean      retired,       /* FALSE restores (undo) */
                                         GError      **error);
/* Open windows: one row per window of a department not retired, ordered by number. */
GListModel  *zz_store_list_windows      (ZzStore      *self);

/* ---- reception desk ---- */
typedef struct {
  const char *person_id;   /* an existing person picked from the matches, or NULL */
  const char *name;
  const char *phone;
  const char *id_number;   /* optional */
  int         people;      /* number of people in the group, 1..99 */
  const char *purpose;
  const char *category;    /* a case category key (zz_store_case_categories()), not retired:
                            * one list for the desk and the case form */
  const char *window_id;
} ZzVisitInput;

#define ZZ_MAX_NAME 50
/* A visit of this many people or more is a group visit (集体访): flagged at the desk and
 * listed for supervisors. */
#define ZZ_GROUP_VISIT_PEOPLE 5
#define ZZ_MAX_PURPOSE 2000

gboolean     zz_store_register_visit    (ZzStore      *self,
                                         const ZzVisitInput *in,
                                         char        **out_visit_id,
                                         char        **out_ticket_id,
                                         GError      **error);
/* The name of a visit's category: one of the case categories, or for visits registered before
 * the desk used that list, the old desk category's name. */
char        *zz_store_visit_category_name (ZzStore    *self,
                                           const char *key);
/* The case category a case registered from a visit starts with: the visit's own (one list for
 * both), an old desk category's nearest case category, or "other". Returns @key itself or a
 * static string. */
const char  *zz_store_visit_case_category (ZzStore    *self,
                                           const char *key);
/* Persons matching an ID number, phone or name fragment, with visits, last visit and open
 * matters (open cases the person is a party of, and visits marked to be registered as a case
 * that are not yet); ID numbers masked unless the role may see them. */
GListModel  *zz_store_find_persons      (ZzStore      *self,
                                         const char   *query,
                                         guint         limit);
/* A person's latest visits (visit, arrived_at, purpose, status). */
GListModel  *zz_store_person_visits     (ZzStore      *self,
                                         const char   *person_id,
                                         guint         limit);
/* Tickets of a day (NULL: today) at a window (NULL: all). Columns: id, visit_id, label, number,
 * window_id, window_number, department, status, outcome, name, phone, id_number (masked unless
 * allowed), people, purpose, category, issued_at, called_at, serving_at, ended_at,
 * referred_from, referred_to, arrived_at (of the visit), group_visit (1 for 5 or more people).
 * Serving, called, waiting in the order they are called (the queue rule), then done ones
 * latest first. */
GListModel  *zz_store_list_tickets      (ZzStore      *self,
                                         const char   *window_id,
                                         const char   *day);
ZzRow       *zz_store_get_ticket        (ZzStore      *self,
                                         const char   *ticket_id);
/* Tickets waiting at the same window ahead of this one under the queue rule (the order of the
 * wait since arrival; a referred visitor keeps the wait of the visit). */
int          zz_store_waiting_ahead     (ZzStore      *self,
                                         const char   *ticket_id);
/* Calls the next waiting ticket of a window under the queue rule (longest wait since arrival
 * first); FALSE with ZZ_ERROR_NOT_FOUND when none waits. */
gboolean     zz_store_call_next         (ZzStore      *self,
                                         const char   *window_id,
                                         char        **out_ticket_id,
                                         GError      **error);
/* FALSE with ZZ_ERROR_STATE while another visitor is being served at the same window. */
gboolean     zz_store_start_service     (ZzStore      *self,
                                         const char   *ticket_id,
                                         GError      **error);
/* Ends a ticket with an outcome key. "referred" needs @refer_window_id and issues a new ticket
 * there for the same visit (returned in @out_new_ticket_id); the history stays linked. */
gboolean     zz_store_finish_ticket     (ZzStore      *self,
                                         const char   *ticket_id,
                                         const char   *outcome,
                                         const char   *refer_window_id,
                                         const char   *note,
                                         char        **out_new_ticket_id,
                                         GError      **error);
/* Undo: puts a called ticket back to waiting, or a finished one back to being served (a
 * referral's new ticket is withdrawn). */
gboolean     zz_store_undo_ticket       (ZzStore      *self,
                                         const char   *ticket_id,
                                         GError      **error);

/* The day's visitor register (来访登记簿; NULL: today): one row per visit in the order of arrival:
 * id, arrived_at, name, phone, id_number (masked unless allowed), people, group_visit, category,
 * purpose, status, outcome, tickets ("01-003 → 02-005"), departments, ended_at, case_number,
 * clerk. */
GListModel  *zz_store_visit_register    (ZzStore      *self,
                                         const char   *day);
/* Group visits (集体访, ZZ_GROUP_VISIT_PEOPLE or more people) between two days "YYYY-MM-DD"
 * inclusive, latest first: id, day, arrived_at, name, people, category, purpose, status,
 * outcome. */
GListModel  *zz_store_group_visits      (ZzStore      *self,
                                         const char   *from_day,
                                         const char   *to_day);

typedef struct {
  int visitors;        /* visits registered that day */
  int people;          /* people in those visits */
  int waiting;         /* tickets waiting now */
  int served;          /* tickets finished */
  double avg_wait_s;   /* issue to call, over called tickets; 0 when none */
  double avg_service_s;
} ZzDeskSummary;

/* @per_window (optional): rows window_number, department, waiting, served, avg_wait_s. */
void         zz_store_desk_summary      (ZzStore      *self,
                                         const char   *day,
                                         ZzDeskSummary *out,
                                         GListModel  **per_window);

/* Records that the current user saw personal data (@what, e.g. "person.id_number") of a
 * record: once per user, kind, record and day (PIPL audit). The desk's queries call it when
 * they return full ID numbers. */
void         zz_store_log_access        (ZzStore      *self,
                                         const char   *what,
                                         const char   *row_id);
/* The access log (of one day, or all): at, day, what, row_id, login, user_name, person_name. */
GListModel  *zz_store_list_access_log   (ZzStore      *self,
                                         const char   *day);

/* ---- administrative divisions ---- */
/* Imports the five CSV files (provinces, cities, areas, streets, villages) from @dir in one
 * transaction: a malformed file is refused naming file and line, and nothing is kept. @within
 * (a code such as "4331", or NULL for all) keeps only that unit, its ancestors and descendants.
 * Units already present are updated; none is ever removed (records refer to them). */
gboolean     zz_store_import_divisions  (ZzStore      *self,
                                         const char   *dir,
                                         const char   *within,
                                         ZzProgressFunc progress,
                                         gpointer      progress_data,
                                         GCancellable *cancellable,
                                         guint        *out_count,
                                         GError      **error);
/* The same in a worker thread with its own connection; @progress runs on the caller's context. */
void         zz_store_import_divisions_async  (ZzStore             *self,
                                               const char          *dir,
                                               const char          *within,
                                               GCancellable        *cancellable,
                                               ZzProgressFunc       progress,
                                               gpointer             progress_data,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean     zz_store_import_divisions_finish (GAsyncResult  *result,
                                               guint         *out_count,
                                               GError       **error);
/* Org units whose name contains or whose code starts with @query: code, name, level, path. */
GListModel  *zz_store_search_org_units  (ZzStore      *self,
                                         const char   *query,
                                         guint         limit);
ZzRow       *zz_store_get_org_unit      (ZzStore      *self,
                                         const char   *code);
guint        zz_store_count_org_units   (ZzStore      *self);
/* "湖南省 湘西土家族苗族自治州 泸溪县" */
char        *zz_store_org_unit_path     (ZzStore      *self,
                                         const char   *code);

/* ---- the op log ---- */
gint64       zz_store_count_ops         (ZzStore      *self);
/* Walks this node's chain from seq 1: TRUE when every op's prev is the hash of the one before
 * and every hash is the BLAKE2b-256 of the stored bytes. */
gboolean     zz_store_verify_chain      (ZzStore      *self,
                                         const char   *origin,
                                         GError      **error);
/* Ops of a row, oldest first: origin, seq, kind, tbl, row_id, author, hlc, body. */
GListModel  *zz_store_row_ops           (ZzStore      *self,
                                         const char   *tbl,
                                         const char   *row_id);

/* ---- shipped data ---- */
/* Where the shipped data (division files) is: $ZZ_DATADIR; for an installed program, its own
 * installed copy (PKGDATADIR, under the staging folder of a staged install); for a program run
 * from the build tree, the source tree's data/. */
const char  *zz_data_dir                (void);
/* Where the compiled translations are: $ZZ_LOCALEDIR (an uninstalled build), else LOCALEDIR of
 * the install the program runs from. */
const char  *zz_locale_dir              (void);

/* Restored from a backup and waiting for a bundle from the county before any synced change
 * (see zz_backup_restore). */
gboolean     zz_store_get_restore_pending (ZzStore    *self);

/* ---- settings kept in the database ---- */
char        *zz_store_get_setting       (ZzStore      *self,
                                         const char   *key);

G_END_DECLS
