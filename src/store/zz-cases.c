/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cases"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "zz-cases.h"
#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-verb-private.h"
#include "zz-time.h"

#define OPEN_STATUSES "('registered', 'dispatched', 'in_progress', 'reopened')"

/* Messages are the translated "... at most %d characters." of each caller. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static gboolean
check_length (const char *text, int max, const char *message, GError **error)
{
  if (text && g_utf8_strlen (text, -1) > max)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, message, max);
      return FALSE;
    }
  return TRUE;
}
#pragma GCC diagnostic pop

static GListModel *
empty (void)
{
  return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
}

static GListModel *
rows_1 (ZzStore *self, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES) || !(stmt = zz_store_stmt (self, sql, NULL)))
    return empty ();
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, zz_store_can (self, ZZ_PERM_VIEW_FULL_ID));
  return zz_store_query_rows (self, stmt);
}

/* ---- settings (synced reference data) ---- */

static ZzRow *category_row (ZzStore *self, const char *key);

static char *
case_setting (ZzStore *self, const char *key)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT value FROM case_setting WHERE key = ? AND deleted = 0"
                                            " ORDER BY updated_hlc DESC, id DESC LIMIT 1", NULL);
  char *value = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gboolean
put_case_setting (ZzStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id FROM case_setting WHERE key = ? AND deleted = 0"
                                            " ORDER BY updated_hlc DESC, id DESC LIMIT 1", error);
  g_autofree char *id = NULL;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (id)
    {
      ZzField f[] = { ZZ_F_TEXT ("value", value) };
      return zz_store_set_fields (self, "case_setting", id, f, 1, error);
    }
  else
    {
      ZzField f[] = { ZZ_F_TEXT ("key", key), ZZ_F_TEXT ("value", value) };
      id = zz_store_new_id (self);
      return zz_store_insert_row (self, "case_setting", id, self->node_org_unit, f, 2, error);
    }
}

static int
setting_int (ZzStore *self, const char *key, int fallback, int lo, int hi)
{
  g_autofree char *v = case_setting (self, key);
  gint64 n;

  if (!v)
    return fallback;
  n = g_ascii_strtoll (v, NULL, 10);
  return n >= lo && n <= hi ? (int) n : fallback;
}

void
zz_store_get_tier_limits (ZzStore *self, ZzTierLimits *l)
{
  ZzTierLimits d;

  zz_tier_limits_default (&d);
  l->village_max = setting_int (self, "tier.village_max", d.village_max, 1, ZZ_TIER_LIMIT_MAX);
  l->township_max = setting_int (self, "tier.township_max", d.township_max, 1, ZZ_TIER_LIMIT_MAX);
  l->county_max = setting_int (self, "tier.county_max", d.county_max, 1, ZZ_TIER_LIMIT_MAX);
  l->county_min_departments = setting_int (self, "tier.county_min_departments", d.county_min_departments,
                                           1, ZZ_TIER_LIMIT_MAX);
}

gboolean
zz_store_set_tier_limits (ZzStore *self, const ZzTierLimits *l, GError **error)
{
  ZzTierLimits cur;
  struct { const char *key; int now, was; } v[4];

  if (!zz_store_require (self, ZZ_PERM_CASE_SETTINGS, error))
    return FALSE;
  if (!zz_tier_limits_valid (l))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Each limit is between 1 and %d."), ZZ_TIER_LIMIT_MAX);
      return FALSE;
    }
  zz_store_get_tier_limits (self, &cur);
  v[0] = (typeof (v[0])) { "tier.village_max", l->village_max, cur.village_max };
  v[1] = (typeof (v[0])) { "tier.township_max", l->township_max, cur.township_max };
  v[2] = (typeof (v[0])) { "tier.county_max", l->county_max, cur.county_max };
  v[3] = (typeof (v[0])) { "tier.county_min_departments", l->county_min_departments, cur.county_min_departments };
  if (!zz_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (v[i].now != v[i].was)
      {
        g_autofree char *s = g_strdup_printf ("%d", v[i].now);
        if (!put_case_setting (self, v[i].key, s, error))
          return zz_verb_fail (self);
      }
  return zz_store_commit (self, error);
}

int
zz_store_deadline_days (ZzStore *self, const char *category, const char *urgency)
{
  g_autofree char *key = g_strdup_printf ("deadline.%s.%s", category, urgency);

  return setting_int (self, key, zz_deadline_default_days (category, urgency), 1, 365);
}

gboolean
zz_store_set_deadline_days (ZzStore *self, const char *category, const char *urgency, int days,
                            GError **error)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  guint nu;
  const ZzVocab *urg = zz_case_urgencies (&nu);

  if (!zz_store_require (self, ZZ_PERM_CASE_SETTINGS, error))
    return FALSE;
  g_autoptr(ZzRow) cat = category_row (self, category);

  if (!cat || !zz_vocab_has (urg, nu, urgency))
    return zz_verb_invalid (error, _("Choose a category and an urgency."));
  if (days < 1 || days > 365)
    return zz_verb_invalid (error, _("A deadline is between 1 and 365 days."));
  if (days == zz_store_deadline_days (self, category, urgency))
    return TRUE;
  key = g_strdup_printf ("deadline.%s.%s", category, urgency);
  value = g_strdup_printf ("%d", days);
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!put_case_setting (self, key, value, error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

/* ---- case categories ---- */

static GListModel *
categories (ZzStore *self, gboolean with_retired)
{
  guint n;
  const ZzVocab *v = zz_case_categories (&n);
  g_autoptr(GString) sql = g_string_new ("WITH b (key, name, pos) AS (VALUES ");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s(?%u, ?%u, %u)", i ? ", " : "", 2 * i + 2, 2 * i + 3, i);
  g_string_append (sql, "),"
                   " r AS (SELECT key, name, retired, created_hlc, row_number () OVER"
                   "  (PARTITION BY key ORDER BY updated_hlc DESC, id DESC) AS rn FROM case_category WHERE deleted = 0),"
                   " a AS (SELECT b.key, coalesce (r.name, b.name) AS name, coalesce (r.retired, 0) AS retired,"
                   "  1 AS builtin, b.pos AS pos, 0 AS created FROM b LEFT JOIN r ON r.key = b.key AND r.rn = 1"
                   "  UNION ALL SELECT r.key, r.name, r.retired, 0, 1000000, r.created_hlc FROM r"
                   "  WHERE r.rn = 1 AND r.key NOT IN (SELECT key FROM b))"
                   " SELECT key AS id, key, name, retired, builtin FROM a WHERE ?1 OR retired = 0"
                   " ORDER BY pos, created, key");
  stmt = zz_store_stmt (self, sql->str, NULL);
  if (!stmt)
    return empty ();
  sqlite3_bind_int (stmt, 1, with_retired);
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_text (stmt, 2 * i + 2, v[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2 * i + 3, _(v[i].name), -1, SQLITE_STATIC);
    }
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_case_categories (ZzStore *self, gboolean with_retired)
{
  g_return_val_if_fail (ZZ_IS_STORE (self), NULL);
  return categories (self, with_retired);
}

static ZzRow *
category_row (ZzStore *self, const char *key)
{
  g_autoptr(GListModel) all = categories (self, TRUE);

  for (guint i = 0; key && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (all, i);
      if (g_strcmp0 (zz_row_get (r, "key"), key) == 0)
        return g_steal_pointer (&r);
    }
  return NULL;
}

char *
zz_store_case_category_name (ZzStore *self, const char *key)
{
  g_autoptr(ZzRow) r = category_row (self, key);

  return g_strdup (r ? zz_row_get (r, "name") : key ? key : "");
}

/* A category a new case may have: known and not retired. */
static gboolean
category_usable (ZzStore *self, const char *key, GError **error)
{
  g_autoptr(ZzRow) r = category_row (self, key);

  if (!r)
    return zz_verb_invalid (error, _("Choose a category."));
  if (zz_row_get_int (r, "retired"))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The category “%s” is retired: choose another."),
                   zz_row_get (r, "name"));
      return FALSE;
    }
  return TRUE;
}

/* A clean name of 1 to ZZ_MAX_CATEGORY_NAME characters no other category has. */
static char *
category_name_valid (ZzStore *self, const char *name, const char *except_key, GError **error)
{
  g_autofree char *clean = zz_verb_clean_text (name);
  g_autoptr(GListModel) all = NULL;

  if (!*clean || g_utf8_strlen (clean, -1) > ZZ_MAX_CATEGORY_NAME)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A category’s name has 1 to %d characters."), ZZ_MAX_CATEGORY_NAME);
      return NULL;
    }
  all = categories (self, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (all, i);
      g_autofree char *a = g_utf8_casefold (zz_row_get (r, "name"), -1);
      g_autofree char *b = g_utf8_casefold (clean, -1);
      if (g_strcmp0 (zz_row_get (r, "key"), except_key) != 0 && g_strcmp0 (a, b) == 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("There is already a category “%s”."), zz_row_get (r, "name"));
          return NULL;
        }
    }
  return g_steal_pointer (&clean);
}

/* Writes a category's name and retired flag onto its newest row, or a new row. */
static gboolean
put_category (ZzStore *self, const char *key, const char *name, gboolean retired, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id FROM case_category WHERE key = ? AND deleted = 0"
                                            " ORDER BY updated_hlc DESC, id DESC LIMIT 1", error);
  g_autofree char *id = NULL;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (id)
    {
      ZzField f[] = { ZZ_F_TEXT ("name", name), ZZ_F_INT ("retired", retired ? 1 : 0) };
      return zz_store_set_fields (self, "case_category", id, f, 2, error);
    }
  else
    {
      ZzField f[] = { ZZ_F_TEXT ("key", key), ZZ_F_TEXT ("name", name), ZZ_F_INT ("retired", retired ? 1 : 0) };
      id = zz_store_new_id (self);
      return zz_store_insert_row (self, "case_category", id, self->node_org_unit, f, 3, error);
    }
}

gboolean
zz_store_add_case_category (ZzStore *self, const char *name, char **out_key, GError **error)
{
  g_autofree char *clean = NULL, *id = NULL, *key = NULL;
  GString *k;

  if (!zz_store_require (self, ZZ_PERM_CASE_SETTINGS, error))
    return FALSE;
  if (!(clean = category_name_valid (self, name, NULL, error)))
    return FALSE;
  /* A key made without coordination: the random end of a new id. */
  id = zz_store_new_id (self);
  k = g_string_new ("c_");
  for (const char *c = id + strlen (id); c > id && k->len < 14; c--)
    if (g_ascii_isxdigit (c[-1]))
      g_string_append_c (k, g_ascii_tolower (c[-1]));
  key = g_string_free (k, FALSE);
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!put_category (self, key, clean, FALSE, error))
    return zz_verb_fail (self);
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_key)
    *out_key = g_steal_pointer (&key);
  return TRUE;
}

gboolean
zz_store_rename_case_category (ZzStore *self, const char *key, const char *name, GError **error)
{
  g_autoptr(ZzRow) r = NULL;
  g_autofree char *clean = NULL;

  if (!zz_store_require (self, ZZ_PERM_CASE_SETTINGS, error))
    return FALSE;
  if (!(r = category_row (self, key)))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The category no longer exists."));
      return FALSE;
    }
  if (!(clean = category_name_valid (self, name, key, error)))
    return FALSE;
  if (g_strcmp0 (clean, zz_row_get (r, "name")) == 0)
    return TRUE;
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!put_category (self, key, clean, zz_row_get_int (r, "retired"), error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

gboolean
zz_store_retire_case_category (ZzStore *self, const char *key, gboolean retired, GError **error)
{
  g_autoptr(ZzRow) r = NULL;
  g_autoptr(GListModel) active = NULL;

  if (!zz_store_require (self, ZZ_PERM_CASE_SETTINGS, error))
    return FALSE;
  if (!(r = category_row (self, key)))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The category no longer exists."));
      return FALSE;
    }
  if (!!zz_row_get_int (r, "retired") == !!retired)
    return TRUE;
  active = categories (self, FALSE);
  if (retired && g_list_model_get_n_items (active) <= 1)
    return zz_verb_invalid (error, _("At least one category stays in use."));
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!put_category (self, key, zz_row_get (r, "name"), retired, error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

/* ---- intake ---- */

/* Whether @code lies at or below this node's org unit. */
static ZzRow *
home_unit (ZzStore *self, const char *code)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "WITH RECURSIVE up (code, parent, level, name, d) AS ("
                                      "  SELECT code, parent, level, name, 0 FROM org_unit WHERE code = ?1"
                                      "  UNION ALL SELECT o.code, o.parent, up.level, up.name, up.d + 1"
                                      "  FROM org_unit o JOIN up ON o.code = up.parent WHERE up.d < 8)"
                                      " SELECT ?1 AS code, level, name FROM up WHERE code = ?2 LIMIT 1", NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->node_org_unit, -1, SQLITE_STATIC);
  return zz_store_query_row (self, stmt);
}

static char *
find_person (ZzStore *self, const char *id_number, const char *name, const char *phone)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  if (id_number)
    {
      stmt = zz_store_stmt (self, "SELECT id FROM person WHERE id_number = ? AND deleted = 0 LIMIT 1", NULL);
      if (!stmt)
        return NULL;
      sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (id)
        return id;
    }
  if (!phone)
    return NULL;
  stmt = zz_store_stmt (self, "SELECT id FROM person WHERE phone = ?1 AND name = ?2 AND deleted = 0"
                              " AND (?3 IS NULL OR id_number IS NULL) ORDER BY id_number IS NULL LIMIT 1", NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, id_number, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

typedef struct {
  const char *role;
  char *person_id;     /* resolved existing person */
  char *name;
  char *phone;
  char *id_number;
  char *org_name;
  const char *ethnicity;   /* official name, static */
  char *address;
} Party;

static void
party_clear (Party *p)
{
  g_free (p->person_id);
  g_free (p->name);
  g_free (p->phone);
  g_free (p->id_number);
  g_free (p->org_name);
  g_free (p->address);
}

/* A person's ethnicity and address, both optional: an organisation has neither. */
static gboolean
validate_particulars (const ZzPartyInput *pi, Party *p, GError **error)
{
  g_autofree char *ethnicity = zz_verb_clean_text (pi->ethnicity ? pi->ethnicity : "");
  g_autofree char *address = zz_verb_clean_text (pi->address ? pi->address : "");

  if (p->org_name)
    {
      if (*ethnicity || *address)
        return zz_verb_invalid (error, _("An organisation has no ethnicity or home address: leave them empty."));
      return TRUE;
    }
  if (*ethnicity)
    {
      p->ethnicity = zz_ethnicity_find (ethnicity);
      if (!p->ethnicity)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("“%s” is not one of the 56 ethnic groups: choose one from the list, or leave it empty."),
                       ethnicity);
          return FALSE;
        }
    }
  if (g_utf8_strlen (address, -1) > ZZ_MAX_ADDRESS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("An address may have at most %d characters."), ZZ_MAX_ADDRESS);
      return FALSE;
    }
  if (*address)
    p->address = g_steal_pointer (&address);
  return TRUE;
}

/* Validates the parties into @out (an array of Party). Persons are found, never duplicated. */
static gboolean
validate_parties (ZzStore *self, const ZzCaseInput *in, GArray *out, GError **error)
{
  guint nr;
  const ZzVocab *roles = zz_party_roles (&nr);
  gboolean applicant = FALSE;

  if (in->n_parties == 0)
    return zz_verb_invalid (error, _("Add at least one applicant."));
  if (in->n_parties > ZZ_MAX_PARTIES)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A case may have at most %d parties."), ZZ_MAX_PARTIES);
      return FALSE;
    }
  for (guint i = 0; i < in->n_parties; i++)
    {
      const ZzPartyInput *pi = &in->parties[i];
      Party p = { 0 };

      if (!zz_vocab_has (roles, nr, pi->role))
        return zz_verb_invalid (error, _("Say whether each party is an applicant or a respondent."));
      p.role = pi->role;
      if (g_str_equal (pi->role, "applicant"))
        applicant = TRUE;
      if (pi->person_id)
        {
          sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, name FROM person WHERE id = ? AND deleted = 0", error);
          g_autoptr(ZzRow) r = NULL;
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, pi->person_id, -1, SQLITE_TRANSIENT);
          r = zz_store_query_row (self, stmt);
          if (!r)
            {
              g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("A chosen party no longer exists."));
              return FALSE;
            }
          p.person_id = g_strdup (pi->person_id);
          p.name = g_strdup (zz_row_get (r, "name"));
        }
      else if (pi->member_id)
        {
          /* A member of the household: found on file by the register's name, ID number and
           * phone, or made from them. */
          sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT name, phone, id_number FROM household_member"
                                                    " WHERE id = ?1 AND household_id = ?2 AND deleted = 0", error);
          g_autoptr(ZzRow) m = NULL;
          const char *phone;
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, pi->member_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, in->household_id, -1, SQLITE_TRANSIENT);
          m = in->household_id ? zz_store_query_row (self, stmt) : NULL;
          if (!m)
            {
              sqlite3_reset (stmt);
              g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("A chosen member is no longer in the household."));
              return FALSE;
            }
          p.name = g_strdup (zz_row_get (m, "name"));
          phone = zz_row_get (m, "phone") ? zz_row_get (m, "phone") : pi->phone;
          if ((phone && *phone) || g_str_equal (pi->role, "applicant"))
            if (!zz_phone_validate (phone, &p.phone, NULL))
              {
                g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                             _("The household register has no valid phone number for %s: enter one for the applicant."),
                             p.name);
                party_clear (&p);
                return FALSE;
              }
          if (zz_row_get (m, "id_number"))
            p.id_number = g_strdup (zz_row_get (m, "id_number"));
          p.person_id = find_person (self, p.id_number, p.name, p.phone);
        }
      else if (pi->org_name && *pi->org_name)
        {
          p.org_name = zz_verb_clean_text (pi->org_name);
          if (!*p.org_name || g_utf8_strlen (p.org_name, -1) > 100)
            {
              party_clear (&p);
              return zz_verb_invalid (error, _("An organisation’s name has 1 to 100 characters."));
            }
        }
      else
        {
          p.name = zz_verb_clean_text (pi->name);
          if (!*p.name)
            {
              party_clear (&p);
              return zz_verb_invalid (error, _("Enter each party’s name."));
            }
          if (g_utf8_strlen (p.name, -1) > ZZ_MAX_NAME)
            {
              party_clear (&p);
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A name may have at most %d characters."), ZZ_MAX_NAME);
              return FALSE;
            }
          /* Applicants are called back: a phone is required. A respondent's may be unknown. */
          if ((pi->phone && *pi->phone) || g_str_equal (pi->role, "applicant"))
            if (!zz_phone_validate (pi->phone, &p.phone, error))
              {
                party_clear (&p);
                return FALSE;
              }
          if (pi->id_number && *pi->id_number && !zz_idcard_validate (pi->id_number, &p.id_number, error))
            {
              party_clear (&p);
              return FALSE;
            }
          p.person_id = find_person (self, p.id_number, p.name, p.phone);
        }
      if (!validate_particulars (pi, &p, error))
        {
          party_clear (&p);
          return FALSE;
        }
      g_array_append_val (out, p);
    }
  if (!applicant)
    return zz_verb_invalid (error, _("Add at least one applicant."));
  return TRUE;
}

static gint64
next_case_seq (ZzStore *self, const char *unit, int year, const char *tag, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT seq FROM case_seq WHERE unit = ? AND year = ?", error);
  gint64 seq = -1;

  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  seq = zz_store_query_int (self, stmt, -1);
  if (seq < 0)
    {
      /* No counter yet (a restored or upgraded file): continue after this node's own numbers. */
      g_autofree char *glob = g_strdup_printf ("%s-%04d-*-%s", unit, year, tag);
      g_autofree char *lo = g_strdup_printf ("%s-%04d-", unit, year);
      g_autofree char *hi = g_strdup_printf ("%s-%04d.", unit, year);
      stmt = zz_store_stmt (self, "SELECT number FROM case_file WHERE number >= ? AND number < ? AND number GLOB ?", error);
      if (!stmt)
        return -1;
      sqlite3_bind_text (stmt, 1, lo, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, hi, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, glob, -1, SQLITE_STATIC);
      seq = 0;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 s = 0;
          if (zz_case_number_parse ((const char *) sqlite3_column_text (stmt, 0), NULL, NULL, &s, NULL))
            seq = MAX (seq, s);
        }
      sqlite3_reset (stmt);
    }
  seq++;
  stmt = zz_store_stmt (self, "INSERT OR REPLACE INTO case_seq (unit, year, seq) VALUES (?, ?, ?)", error);
  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int64 (stmt, 3, seq);
  if (!zz_store_step_done (self, stmt, error))
    return -1;
  return seq;
}

static char *
new_case_number (ZzStore *self, gint64 now, GError **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());
  g_autofree char *tag = zz_case_node_tag (self->node_id);
  int year = g_date_time_get_year (local);
  gint64 seq = next_case_seq (self, self->node_org_unit, year, tag, error);

  if (seq < 0)
    return NULL;
  return zz_case_number_format (self->node_org_unit, year, seq, tag);
}

static gboolean
validate_case (ZzStore *self, const ZzCaseInput *in, char **summary, char **details, char **ext,
               ZzRow **home, GError **error)
{
  guint n;
  const ZzVocab *v;

  v = zz_case_sources (&n);
  if (!zz_vocab_has (v, n, in->source))
    return zz_verb_invalid (error, _("Choose where the case came from."));
  if (!category_usable (self, in->category, error))
    return FALSE;
  v = zz_case_risks (&n);
  if (!zz_vocab_has (v, n, in->risk))
    return zz_verb_invalid (error, _("Choose a risk level."));
  v = zz_case_urgencies (&n);
  if (!zz_vocab_has (v, n, in->urgency))
    return zz_verb_invalid (error, _("Choose an urgency."));
  *summary = zz_verb_clean_text (in->summary);
  *details = zz_verb_clean_text (in->details);
  *ext = zz_verb_clean_text (in->external_ref);
  if (**summary == '\0')
    return zz_verb_invalid (error, _("Enter a summary of the dispute."));
  if (!check_length (*summary, ZZ_MAX_SUMMARY, _("A summary may have at most %d characters."), error)
      || !check_length (*details, ZZ_MAX_DETAILS, _("The details may have at most %d characters."), error)
      || !check_length (*ext, 50, _("A reference number may have at most %d characters."), error))
    return FALSE;
  if (!in->home || !(*home = home_unit (self, in->home)))
    return zz_verb_invalid (error, _("Choose the village or township where the dispute arose, within this centre’s area."));
  return TRUE;
}

gboolean
zz_store_register_case (ZzStore *self, const ZzCaseInput *in, char **out_case_id, GError **error)
{
  g_autofree char *summary = NULL, *details = NULL, *ext = NULL, *number = NULL, *case_id = NULL;
  g_autoptr(ZzRow) home = NULL;
  g_autoptr(GArray) parties = g_array_new (FALSE, TRUE, sizeof (Party));
  ZzCaseLevel level;
  gint64 now, deadline;

  g_return_val_if_fail (ZZ_IS_STORE (self) && in != NULL, FALSE);
  g_array_set_clear_func (parties, (GDestroyNotify) party_clear);

  if (!zz_store_require (self, ZZ_PERM_REGISTER_CASE, error))
    return FALSE;
  if (!validate_case (self, in, &summary, &details, &ext, &home, error))
    return FALSE;
  if (in->visit_id)
    {
      sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM visit WHERE id = ? AND deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, in->visit_id, -1, SQLITE_TRANSIENT);
      if (zz_store_query_int (self, stmt, 0) == 0)
        {
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The visit no longer exists."));
          return FALSE;
        }
      stmt = zz_store_stmt (self, "SELECT number FROM case_file WHERE visit_id = ? AND deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, in->visit_id, -1, SQLITE_TRANSIENT);
      {
        g_autoptr(ZzRow) other = zz_store_query_row (self, stmt);
        if (other)
          {
            g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This visit is already registered as case %s."),
                         zz_row_get (other, "number"));
            return FALSE;
          }
      }
    }
  if (in->household_id)
    {
      sqlite3_stmt *stmt;
      if (!zz_store_require (self, ZZ_PERM_VIEW_HOUSEHOLDS, error))
        return FALSE;
      stmt = zz_store_stmt (self, "SELECT count(*) FROM household WHERE id = ? AND deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, in->household_id, -1, SQLITE_TRANSIENT);
      if (zz_store_query_int (self, stmt, 0) == 0)
        {
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The household no longer exists."));
          return FALSE;
        }
    }
  if (!validate_parties (self, in, parties, error))
    return FALSE;

  level = zz_case_level_of_org_unit (zz_row_get_int (home, "level"));
  now = zz_store_now (self);
  deadline = zz_deadline_after_days (now, zz_store_deadline_days (self, in->category, in->urgency),
                                     zz_local_zone ());

  if (!zz_store_begin (self, error))
    return FALSE;
  number = new_case_number (self, now, error);
  if (!number)
    return zz_verb_fail (self);
  case_id = zz_store_new_id (self);
  {
    ZzField c[] = {
      ZZ_F_TEXT ("number", number),
      ZZ_F_TEXT ("source", in->source),
      ZZ_F_TEXT ("external_ref", *ext ? ext : NULL),
      ZZ_F_TEXT ("category", in->category),
      ZZ_F_TEXT ("summary", summary),
      ZZ_F_TEXT ("details", *details ? details : NULL),
      ZZ_F_TEXT ("risk", in->risk),
      ZZ_F_TEXT ("urgency", in->urgency),
      ZZ_F_TEXT ("first_responder_id", self->user_id),
      ZZ_F_INT ("registered_at", now),
      ZZ_F_TEXT ("registered_unit", self->node_org_unit),
      ZZ_F_TEXT ("visit_id", in->visit_id),
      ZZ_F_TEXT ("level", zz_case_level_to_string (level)),
      ZZ_F_TEXT ("status", "registered"),
      ZZ_F_INT ("deadline_at", deadline),
      ZZ_F_TEXT ("household_id", in->household_id),
    };
    if (!zz_store_insert_row (self, "case_file", case_id, zz_row_get (home, "code"), c, G_N_ELEMENTS (c), error))
      return zz_verb_fail (self);
  }
  for (guint i = 0; i < parties->len; i++)
    {
      Party *p = &g_array_index (parties, Party, i);
      g_autofree char *party_id = zz_store_new_id (self);

      if (!p->person_id && !p->org_name)
        {
          ZzField pf[] = {
            ZZ_F_TEXT ("name", p->name), ZZ_F_TEXT ("phone", p->phone), ZZ_F_TEXT ("id_number", p->id_number),
            ZZ_F_TEXT ("ethnicity", p->ethnicity), ZZ_F_TEXT ("address", p->address),
          };
          p->person_id = zz_store_new_id (self);
          if (!zz_store_insert_row (self, "person", p->person_id, self->node_org_unit, pf, G_N_ELEMENTS (pf), error))
            return zz_verb_fail (self);
        }
      else if (p->person_id && (p->phone || p->id_number || p->ethnicity || p->address))
        {
          /* A new phone, or an ID number not on file yet, goes onto the person found; so do the
           * ethnicity and address given now. */
          sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT phone, id_number, ethnicity, address FROM person WHERE id = ?",
                                              error);
          g_autoptr(ZzRow) cur = NULL;
          g_autoptr(GArray) f = g_array_new (FALSE, FALSE, sizeof (ZzField));
          if (!stmt)
            return zz_verb_fail (self);
          sqlite3_bind_text (stmt, 1, p->person_id, -1, SQLITE_STATIC);
          cur = zz_store_query_row (self, stmt);
          if (p->phone && g_strcmp0 (p->phone, zz_row_get (cur, "phone")) != 0)
            g_array_append_val (f, ZZ_F_TEXT ("phone", p->phone));
          if (p->id_number && !zz_row_get (cur, "id_number"))
            g_array_append_val (f, ZZ_F_TEXT ("id_number", p->id_number));
          if (p->ethnicity && g_strcmp0 (p->ethnicity, zz_row_get (cur, "ethnicity")) != 0)
            g_array_append_val (f, ZZ_F_TEXT ("ethnicity", p->ethnicity));
          if (p->address && g_strcmp0 (p->address, zz_row_get (cur, "address")) != 0)
            g_array_append_val (f, ZZ_F_TEXT ("address", p->address));
          if (f->len && !zz_store_set_fields (self, "person", p->person_id, (ZzField *) f->data, f->len, error))
            return zz_verb_fail (self);
        }
      {
        ZzField cp[] = {
          ZZ_F_TEXT ("case_id", case_id),
          ZZ_F_TEXT ("role", p->role),
          ZZ_F_TEXT ("person_id", p->person_id),
          ZZ_F_TEXT ("org_name", p->org_name),
        };
        if (!zz_store_insert_row (self, "case_party", party_id, zz_row_get (home, "code"), cp, 4, error))
          return zz_verb_fail (self);
      }
    }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_case_id)
    *out_case_id = g_steal_pointer (&case_id);
  return TRUE;
}

GListModel *
zz_store_case_duplicates (ZzStore *self, const ZzCaseInput *in)
{
  g_autoptr(GListStore) out = g_list_store_new (ZZ_TYPE_ROW);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES))
    return G_LIST_MODEL (g_steal_pointer (&out));
  for (guint i = 0; i < in->n_parties; i++)
    {
      const ZzPartyInput *p = &in->parties[i];
      g_autofree char *phone = NULL, *idn = NULL, *name = zz_verb_clean_text (p->name), *pid = NULL;
      sqlite3_stmt *stmt;

      if (p->person_id)
        pid = g_strdup (p->person_id);
      else if (p->member_id)
        {
          stmt = zz_store_stmt (self, "SELECT name, phone, id_number FROM household_member WHERE id = ? AND deleted = 0", NULL);
          if (stmt)
            {
              g_autoptr(ZzRow) m = NULL;
              sqlite3_bind_text (stmt, 1, p->member_id, -1, SQLITE_TRANSIENT);
              m = zz_store_query_row (self, stmt);
              if (m)
                pid = find_person (self, zz_row_get (m, "id_number"), zz_row_get (m, "name"), zz_row_get (m, "phone"));
            }
        }
      else
        {
          if (p->phone && *p->phone)
            zz_phone_validate (p->phone, &phone, NULL);
          if (p->id_number && *p->id_number)
            zz_idcard_validate (p->id_number, &idn, NULL);
          pid = find_person (self, idn, name, phone);
        }
      if (!pid)
        continue;
      stmt = zz_store_stmt (self, "SELECT DISTINCT c.id, c.number, c.summary, c.status, c.category"
                                  " FROM case_party cp JOIN case_file c ON c.id = cp.case_id"
                                  " WHERE cp.person_id = ? AND c.deleted = 0 AND c.category = ?"
                                  " AND c.status IN " OPEN_STATUSES " ORDER BY c.registered_at DESC", NULL);
      if (!stmt)
        continue;
      sqlite3_bind_text (stmt, 1, pid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, in->category, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (g_hash_table_add (seen, g_strdup ((const char *) sqlite3_column_text (stmt, 0))))
          {
            g_autoptr(ZzRow) r = zz_row_new_from_stmt (stmt);
            g_list_store_append (out, r);
          }
      sqlite3_reset (stmt);
    }
  return G_LIST_MODEL (g_steal_pointer (&out));
}

#define CASE_COLUMNS \
  "c.id, c.number, c.source, c.external_ref, c.category, c.summary, c.details, c.risk, c.urgency," \
  " c.home, o.name AS home_name, c.level, c.status, c.holder, c.deadline_at, c.registered_at," \
  " c.first_responder_id, u.name AS first_responder, c.outcome, c.resolved_level, c.concluded_at," \
  " c.feedback, c.feedback_at, c.archived_at, c.visit_id, c.household_id," \
  " (SELECT h.head_name FROM household h WHERE h.id = c.household_id AND ?9) AS household," \
  " (SELECT group_concat (coalesce (p.name, cp.org_name), '、') FROM case_party cp" \
  "  LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id) AS parties" \
  " FROM case_file c LEFT JOIN org_unit o ON o.code = c.home LEFT JOIN user u ON u.id = c.first_responder_id"

ZzRow *
zz_store_get_case (ZzStore *self, const char *case_id)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES)
      || !(stmt = zz_store_stmt (self, "SELECT " CASE_COLUMNS " WHERE c.id = ?1 AND c.deleted = 0", NULL)))
    return NULL;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS));
  return zz_store_query_row (self, stmt);
}

ZzRow *
zz_store_get_case_by_number (ZzStore *self, const char *number)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES)
      || !(stmt = zz_store_stmt (self, "SELECT " CASE_COLUMNS " WHERE c.number = ?1 AND c.deleted = 0", NULL)))
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS));
  return zz_store_query_row (self, stmt);
}

GListModel *
zz_store_case_parties (ZzStore *self, const char *case_id)
{
  g_autoptr(GListModel) rows = rows_1 (self,
                                       "SELECT cp.id, cp.role, cp.person_id, coalesce (p.name, cp.org_name) AS name,"
                                       " p.phone, " ZZ_MASKED_ID ("p.id_number", "?2") " AS id_number, cp.org_name, p.ethnicity, p.address"
                                       " FROM case_party cp LEFT JOIN person p ON p.id = cp.person_id"
                                       " WHERE cp.case_id = ?1 AND cp.deleted = 0"
                                       " ORDER BY cp.role = 'respondent', cp.created_hlc", case_id);
  if (zz_store_can (self, ZZ_PERM_VIEW_FULL_ID))
    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
        if (zz_row_get (r, "id_number"))
          zz_store_log_access (self, "person.id_number", zz_row_get (r, "person_id"));
      }
  return g_steal_pointer (&rows);
}

GListModel *
zz_store_case_dispatches (ZzStore *self, const char *case_id)
{
  return rows_1 (self,
                 "SELECT d.id, d.department_id, dep.name AS department, d.to_level, d.note, d.deadline_at,"
                 " d.dispatched_at, u.name AS dispatcher, d.status, d.answered_at, a.name AS answerer,"
                 " d.return_reason, ?2 AS unused FROM case_dispatch d"
                 " LEFT JOIN department dep ON dep.id = d.department_id"
                 " LEFT JOIN user u ON u.id = d.dispatched_by LEFT JOIN user a ON a.id = d.answered_by"
                 " WHERE d.case_id = ?1 AND d.deleted = 0 ORDER BY d.dispatched_at", case_id);
}

GListModel *
zz_store_case_attempts (ZzStore *self, const char *case_id)
{
  return rows_1 (self,
                 "SELECT m.id, m.level, m.number, m.held_at, m.place, m.mediators, m.parties_present,"
                 " m.method, m.departments, m.n_departments, m.result, m.terms, m.notes, m.amends,"
                 " u.name AS recorder, ?2 AS unused FROM mediation_attempt m LEFT JOIN user u ON u.id = m.recorded_by"
                 " WHERE m.case_id = ?1 AND m.deleted = 0 ORDER BY m.held_at, m.recorded_at", case_id);
}

ZzRow *
zz_store_get_attempt (ZzStore *self, const char *attempt_id)
{
  g_autoptr(GListModel) rows = rows_1 (self,
                                       "SELECT m.id, m.case_id, m.level, m.number, m.held_at, m.place, m.mediators,"
                                       " m.parties_present, m.method, m.departments, m.n_departments, m.result, m.terms,"
                                       " m.notes, m.amends, u.name AS recorder, ?2 AS unused FROM mediation_attempt m"
                                       " LEFT JOIN user u ON u.id = m.recorded_by WHERE m.id = ?1 AND m.deleted = 0",
                                       attempt_id);
  return g_list_model_get_n_items (rows) ? g_list_model_get_item (rows, 0) : NULL;
}

GListModel *
zz_store_household_cases (ZzStore *self, const char *household_id)
{
  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES))
    return empty ();
  return rows_1 (self, "SELECT id, number, summary, status, category, registered_at FROM case_file"
                       " WHERE household_id = ? AND deleted = 0 ORDER BY registered_at DESC, id DESC",
                 household_id);
}

GListModel *
zz_store_household_applicants (ZzStore *self, const char *household_id)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_REGISTER_CASE) || !zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS)
      || !(stmt = zz_store_stmt (self, "SELECT m.id, m.name, m.relation, m.name || coalesce (' · ' || m.relation, '') AS label,"
                                       " m.phone IS NOT NULL AS has_phone,"
                                       " h.home, o.name AS home_name, h.head_name, h.address"
                                       " FROM household_member m JOIN household h ON h.id = m.household_id"
                                       " LEFT JOIN org_unit o ON o.code = h.home"
                                       " WHERE m.household_id = ? AND m.deleted = 0 AND h.deleted = 0"
                                       " ORDER BY m.created_hlc, m.id", NULL)))
    return empty ();
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_person_open_cases (ZzStore *self, const char *person_id)
{
  return rows_1 (self,
                 "SELECT DISTINCT c.id, c.number, c.summary, c.status, c.category, ?2 AS unused"
                 " FROM case_party cp JOIN case_file c ON c.id = cp.case_id"
                 " WHERE cp.person_id = ?1 AND c.deleted = 0 AND c.status IN " OPEN_STATUSES
                 " ORDER BY c.registered_at DESC", person_id);
}

GListModel *
zz_store_case_timeline (ZzStore *self, const char *case_id)
{
  return rows_1 (self,
                 "SELECT * FROM ("
                 " SELECT c.registered_at AS at, 'registered' AS kind, u.name AS author, c.number AS a,"
                 "  c.source AS b, c.external_ref AS c FROM case_file c LEFT JOIN user u ON u.id = c.first_responder_id"
                 "  WHERE c.id = ?1"
                 " UNION ALL SELECT d.dispatched_at, 'dispatched', u.name, coalesce (dep.name, d.to_level),"
                 "  d.deadline_at, d.note FROM case_dispatch d LEFT JOIN department dep ON dep.id = d.department_id"
                 "  LEFT JOIN user u ON u.id = d.dispatched_by WHERE d.case_id = ?1"
                 " UNION ALL SELECT d.answered_at, d.status, u.name, coalesce (dep.name, d.to_level), d.return_reason, NULL"
                 "  FROM case_dispatch d LEFT JOIN department dep ON dep.id = d.department_id"
                 "  LEFT JOIN user u ON u.id = d.answered_by WHERE d.case_id = ?1 AND d.answered_at IS NOT NULL"
                 " UNION ALL SELECT s.at, 'supervision', u.name, s.note, s.overdue_days, NULL FROM supervision_note s"
                 "  LEFT JOIN user u ON u.id = s.author_id WHERE s.case_id = ?1"
                 " UNION ALL SELECT w.at, 'whistle', u.name, w.note,"
                 "  (SELECT group_concat (dep.name, '、') FROM department dep"
                 "   WHERE instr (',' || w.departments || ',', ',' || dep.id || ',') > 0), NULL"
                 "  FROM whistle w LEFT JOIN user u ON u.id = w.author_id WHERE w.case_id = ?1"
                 " UNION ALL SELECT r.at, 'whistle_' || r.kind, u.name, dep.name, NULL, NULL FROM whistle_report r"
                 "  LEFT JOIN department dep ON dep.id = r.department_id LEFT JOIN user u ON u.id = r.author_id"
                 "  WHERE r.case_id = ?1"
                 " UNION ALL SELECT m.held_at, CASE WHEN m.amends IS NULL THEN 'mediation' ELSE 'mediation_amended' END,"
                 "  u.name, m.level, m.number, m.result FROM mediation_attempt m"
                 "  LEFT JOIN user u ON u.id = m.recorded_by WHERE m.case_id = ?1"
                 " UNION ALL SELECT e.at, 'escalated', u.name, e.from_level, e.to_level, e.summary FROM case_escalation e"
                 "  LEFT JOIN user u ON u.id = e.author_id WHERE e.case_id = ?1"
                 " UNION ALL SELECT f.at, 'fulfilment', u.name, f.fulfilled, f.note, NULL FROM agreement_fulfilment f"
                 "  LEFT JOIN user u ON u.id = f.author_id WHERE f.case_id = ?1"
                 " UNION ALL SELECT c.concluded_at, 'concluded', u.name, c.outcome, c.resolved_level, NULL"
                 "  FROM case_file c LEFT JOIN user u ON u.id = c.concluded_by WHERE c.id = ?1 AND c.concluded_at IS NOT NULL"
                 " UNION ALL SELECT c.feedback_at, 'feedback', NULL, c.feedback, NULL, NULL"
                 "  FROM case_file c WHERE c.id = ?1 AND c.feedback_at IS NOT NULL"
                 " UNION ALL SELECT r.at, 'return_visit', u.name, r.satisfaction, r.notes, NULL FROM return_visit r"
                 "  LEFT JOIN user u ON u.id = r.author_id WHERE r.case_id = ?1"
                 " UNION ALL SELECT r.at, 'review', u.name, r.level, r.note, r.attempts_seen FROM tier_review r"
                 "  LEFT JOIN user u ON u.id = r.author_id WHERE r.case_id = ?1"
                 " UNION ALL SELECT c.archived_at, 'archived', NULL, NULL, NULL, NULL"
                 "  FROM case_file c WHERE c.id = ?1 AND c.archived_at IS NOT NULL"
                 ") WHERE ?2 IS NOT NULL ORDER BY at, kind", case_id);
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
zz_case_timeline_text (ZzRow *e)
{
  const char *kind = zz_row_get (e, "kind");
  const char *a = zz_row_get (e, "a");
  const char *b = zz_row_get (e, "b");
  const char *c = zz_row_get (e, "c");

  if (g_strcmp0 (kind, "registered") == 0)
    return g_strdup_printf (_("Registered as case %s (%s)"), a, zz_vocab_name (zz_case_sources, b));
  if (g_strcmp0 (kind, "dispatched") == 0)
    {
      g_autofree char *due = format_time (zz_row_get_int (e, "b"));
      const char *to = zz_case_level_from_string (a) < ZZ_N_LEVELS ? zz_vocab_name (zz_case_levels, a) : a;
      return c ? g_strdup_printf (_("Dispatched to %s, due %s: %s"), to, due, c)
               : g_strdup_printf (_("Dispatched to %s, due %s"), to, due);
    }
  if (g_strcmp0 (kind, "accepted") == 0)
    return g_strdup_printf (_("Accepted by %s"), zz_case_level_from_string (a) < ZZ_N_LEVELS ? zz_vocab_name (zz_case_levels, a) : a);
  if (g_strcmp0 (kind, "returned") == 0)
    return g_strdup_printf (_("Returned by %s: %s"), zz_case_level_from_string (a) < ZZ_N_LEVELS ? zz_vocab_name (zz_case_levels, a) : a, b ? b : "");
  if (g_strcmp0 (kind, "supervision") == 0)
    return g_strdup_printf (ngettext ("Supervision note (%lld day overdue): %s", "Supervision note (%lld days overdue): %s",
                                      zz_row_get_int (e, "b")), (long long) zz_row_get_int (e, "b"), a);
  if (g_strcmp0 (kind, "whistle") == 0)
    return a ? g_strdup_printf (_("Whistle blown, summoning %s: %s"), b ? b : "", a)
             : g_strdup_printf (_("Whistle blown, summoning %s"), b ? b : "");
  if (g_strcmp0 (kind, "whistle_acknowledged") == 0)
    return g_strdup_printf (_("%s acknowledged the summons"), a);
  if (g_strcmp0 (kind, "whistle_arrived") == 0)
    return g_strdup_printf (_("%s arrived"), a);
  if (g_strcmp0 (kind, "mediation") == 0 || g_strcmp0 (kind, "mediation_amended") == 0)
    {
      if (g_str_equal (kind, "mediation"))
        return g_strdup_printf (_("%s mediation no. %lld: %s"), zz_vocab_name (zz_case_levels, a),
                                (long long) zz_row_get_int (e, "b"), zz_vocab_name (zz_mediation_results, c));
      return g_strdup_printf (_("Correction of %s mediation no. %lld: %s"), zz_vocab_name (zz_case_levels, a),
                              (long long) zz_row_get_int (e, "b"), zz_vocab_name (zz_mediation_results, c));
    }
  if (g_strcmp0 (kind, "escalated") == 0)
    return g_strdup_printf (_("Escalated from %s to %s. %s"), zz_vocab_name (zz_case_levels, a), zz_vocab_name (zz_case_levels, b), c ? c : "");
  if (g_strcmp0 (kind, "fulfilment") == 0)
    return g_strdup_printf (_("Agreement fulfilment: %s %s"), g_strcmp0 (a, "full") == 0 ? _("fulfilled")
                            : g_strcmp0 (a, "partial") == 0 ? _("partly fulfilled") : _("not fulfilled"), b ? b : "");
  if (g_strcmp0 (kind, "concluded") == 0)
    return g_strdup_printf (_("Concluded at %s level: %s"), zz_vocab_name (zz_case_levels, b), a ? a : "");
  if (g_strcmp0 (kind, "feedback") == 0)
    return g_strdup_printf (_("Feedback to the parties: %s"), a ? a : "");
  if (g_strcmp0 (kind, "return_visit") == 0)
    return b ? g_strdup_printf (_("Return visit: %s. %s"), zz_vocab_name (zz_satisfactions, a), b)
             : g_strdup_printf (_("Return visit: %s"), zz_vocab_name (zz_satisfactions, a));
  if (g_strcmp0 (kind, "review") == 0)
    return g_strdup_printf (_("Tier-rule review of %s attempts: %s"), zz_vocab_name (zz_case_levels, a), b ? b : "");
  if (g_strcmp0 (kind, "archived") == 0)
    return g_strdup (_("Archived"));
  return g_strdup (kind ? kind : "");
}

/* ---- changing a case ---- */

static ZzRow *
case_for (ZzStore *self, const char *case_id, ZzCaseAction action, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, home, number, status, level, category, urgency,"
                                            " deadline_at, first_responder_id, feedback_at, registered_at FROM case_file"
                                            " WHERE id = ? AND deleted = 0", error);
  ZzRow *row;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  row = zz_store_query_row (self, stmt);
  if (!row)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The case no longer exists."));
      return NULL;
    }
  if (!zz_case_status_allows (zz_row_get (row, "status"), action))
    {
      const char *st = zz_vocab_name (zz_case_statuses, zz_row_get (row, "status"));
      switch (action)
        {
        case ZZ_CASE_ACT_FEEDBACK:
        case ZZ_CASE_ACT_RETURN_VISIT:
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Case %s is not concluded yet (it is %s)."),
                       zz_row_get (row, "number"), st);
          break;
        case ZZ_CASE_ACT_ARCHIVE:
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Only a concluded case can be archived (case %s is %s)."),
                       zz_row_get (row, "number"), st);
          break;
        default:
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Case %s is %s: this can no longer be done."),
                       zz_row_get (row, "number"), st);
        }
      g_object_unref (row);
      return NULL;
    }
  return row;
}

static ZzRow *
department (ZzStore *self, const char *id)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, name FROM department WHERE id = ? AND deleted = 0 AND retired = 0", NULL);

  if (!stmt || !id)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return zz_store_query_row (self, stmt);
}

gboolean
zz_store_dispatch_case (ZzStore *self, const char *case_id, const char *department_id, const char *to_level,
                        gint64 deadline_at, const char *note, char **out_dispatch_id, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autoptr(ZzRow) dep = NULL;
  g_autofree char *clean_note = zz_verb_clean_text (note);
  g_autofree char *id = NULL;
  gint64 now;

  if (!zz_store_require (self, ZZ_PERM_DISPATCH_CASE, error))
    return FALSE;
  if (!(c = case_for (self, case_id, ZZ_CASE_ACT_DISPATCH, error)))
    return FALSE;
  if (department_id)
    {
      if (!(dep = department (self, department_id)))
        return zz_verb_invalid (error, _("Choose the department the case goes to."));
      to_level = NULL;
    }
  else if (zz_case_level_from_string (to_level) == ZZ_N_LEVELS)
    return zz_verb_invalid (error, _("Choose a department or a level to dispatch to."));
  if (!check_length (clean_note, ZZ_MAX_NOTE, _("A note may have at most %d characters."), error))
    return FALSE;
  now = zz_store_now (self);
  if (deadline_at == 0)
    deadline_at = zz_deadline_after_days (now, zz_store_deadline_days (self, zz_row_get (c, "category"),
                                                                       zz_row_get (c, "urgency")),
                                          zz_local_zone ());
  if (deadline_at <= now)
    return zz_verb_invalid (error, _("The deadline must be in the future."));
  {
    sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM case_dispatch WHERE case_id = ? AND status = 'pending' AND deleted = 0", error);
    if (!stmt)
      return FALSE;
    sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
    if (zz_store_query_int (self, stmt, 0) > 0)
      {
        g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE,
                             _("The case waits to be accepted or returned; it cannot be dispatched again meanwhile."));
        return FALSE;
      }
  }

  if (!zz_store_begin (self, error))
    return FALSE;
  id = zz_store_new_id (self);
  {
    ZzField d[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("department_id", department_id),
      ZZ_F_TEXT ("to_level", to_level),
      ZZ_F_TEXT ("note", *clean_note ? clean_note : NULL),
      ZZ_F_INT ("deadline_at", deadline_at),
      ZZ_F_INT ("dispatched_at", now),
      ZZ_F_TEXT ("dispatched_by", self->user_id),
      ZZ_F_TEXT ("status", "pending"),
    };
    ZzField cf[] = {
      ZZ_F_TEXT ("status", "dispatched"),
      ZZ_F_TEXT ("holder", dep ? zz_row_get (dep, "name") : zz_vocab_name (zz_case_levels, to_level)),
      ZZ_F_INT ("deadline_at", deadline_at),
    };
    if (!zz_store_insert_row (self, "case_dispatch", id, zz_row_get (c, "home"), d, G_N_ELEMENTS (d), error)
        || !zz_store_set_fields (self, "case_file", case_id, cf, G_N_ELEMENTS (cf), error))
      return zz_verb_fail (self);
  }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_dispatch_id)
    *out_dispatch_id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
answer_dispatch (ZzStore *self, const char *dispatch_id, gboolean accept, const char *reason, GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(ZzRow) d = NULL;
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (reason);
  gint64 now;

  if (!zz_store_require (self, ZZ_PERM_HANDLE_DISPATCH, error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT id, case_id, status FROM case_dispatch WHERE id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dispatch_id, -1, SQLITE_TRANSIENT);
  d = zz_store_query_row (self, stmt);
  if (!d)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The dispatch no longer exists."));
      return FALSE;
    }
  if (g_strcmp0 (zz_row_get (d, "status"), "pending") != 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This dispatch has already been answered."));
      return FALSE;
    }
  if (!(c = case_for (self, zz_row_get (d, "case_id"), ZZ_CASE_ACT_MEDIATE, error)))
    return FALSE;
  if (!accept && !*clean)
    return zz_verb_invalid (error, _("Give the reason for returning the case."));
  if (!check_length (clean, ZZ_MAX_NOTE, _("A reason may have at most %d characters."), error))
    return FALSE;
  now = zz_store_now (self);
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField df[] = {
      ZZ_F_TEXT ("status", accept ? "accepted" : "returned"),
      ZZ_F_INT ("answered_at", now),
      ZZ_F_TEXT ("answered_by", self->user_id),
      ZZ_F_TEXT ("return_reason", accept ? NULL : clean),
    };
    ZzField cf[] = { ZZ_F_TEXT ("status", "in_progress"), ZZ_F_NULL ("holder") };
    if (!zz_store_set_fields (self, "case_dispatch", dispatch_id, df, accept ? 3 : 4, error)
        || !zz_store_set_fields (self, "case_file", zz_row_get_id (c), cf, accept ? 1 : 2, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_accept_dispatch (ZzStore *self, const char *dispatch_id, GError **error)
{
  return answer_dispatch (self, dispatch_id, TRUE, NULL, error);
}

gboolean
zz_store_return_dispatch (ZzStore *self, const char *dispatch_id, const char *reason, GError **error)
{
  return answer_dispatch (self, dispatch_id, FALSE, reason, error);
}

GListModel *
zz_store_list_supervision (ZzStore *self, guint limit)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES)
      || !(stmt = zz_store_stmt (self,
                                 "SELECT c.id, c.number, c.summary, c.holder, c.deadline_at, c.status,"
                                 " (?1 - c.deadline_at - 1) / 86400000 + 1 AS overdue_days,"
                                 " (SELECT count(*) FROM supervision_note s WHERE s.case_id = c.id) AS notes"
                                 " FROM case_file c WHERE c.deadline_at < ?1 AND c.status IN " OPEN_STATUSES
                                 " AND c.deleted = 0 ORDER BY c.deadline_at LIMIT ?2", NULL)))
    return empty ();
  sqlite3_bind_int64 (stmt, 1, zz_store_now (self));
  sqlite3_bind_int (stmt, 2, limit ? limit : 200);
  return zz_store_query_rows (self, stmt);
}

static gboolean
append_case_record (ZzStore *self, const char *table, ZzRow *c, const ZzField *f, guint n, char **out_id,
                    GError **error)
{
  g_autofree char *id = zz_store_new_id (self);

  if (!zz_store_insert_row (self, table, id, zz_row_get (c, "home"), f, n, error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* The case for a verb that records a required text: the permission, the case in a state that
 * allows @action, and the text present and not longer than ZZ_MAX_NOTE. */
static ZzRow *
case_with_text (ZzStore *self, ZzPermission perm, const char *case_id, ZzCaseAction action,
                const char *text, const char *missing, const char *too_long, GError **error)
{
  g_autoptr(ZzRow) c = NULL;

  if (!zz_store_require (self, perm, error))
    return NULL;
  if (!(c = case_for (self, case_id, action, error)))
    return NULL;
  if (!*text)
    return zz_verb_invalid (error, missing), NULL;
  if (!check_length (text, ZZ_MAX_NOTE, too_long, error))
    return NULL;
  return g_steal_pointer (&c);
}

gboolean
zz_store_add_supervision_note (ZzStore *self, const char *case_id, const char *note, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (note);
  gint64 now = zz_store_now (self);

  if (!(c = case_with_text (self, ZZ_PERM_SUPERVISE, case_id, ZZ_CASE_ACT_SUPERVISE, clean,
                             _("Write the supervision note."),
                             _("A note may have at most %d characters."), error)))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("note", clean),
      ZZ_F_INT ("overdue_days", zz_overdue_days (zz_row_get_int (c, "deadline_at"), now)),
      ZZ_F_INT ("at", now),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "supervision_note", c, f, G_N_ELEMENTS (f), NULL, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_blow_whistle (ZzStore *self, const char *case_id, const char * const *department_ids, const char *note,
                       char **out_whistle_id, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (note);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!zz_store_require (self, ZZ_PERM_WHISTLE, error))
    return FALSE;
  if (!(c = case_for (self, case_id, ZZ_CASE_ACT_WHISTLE, error)))
    return FALSE;
  for (guint i = 0; department_ids && department_ids[i]; i++)
    {
      g_autoptr(ZzRow) d = department (self, department_ids[i]);
      if (!d)
        return zz_verb_invalid (error, _("A summoned department no longer exists."));
      if (!g_hash_table_add (seen, (gpointer) department_ids[i]))
        continue;
      if (ids->len)
        g_string_append_c (ids, ',');
      g_string_append (ids, department_ids[i]);
    }
  if (g_hash_table_size (seen) < 1)
    return zz_verb_invalid (error, _("Choose the departments to summon."));
  if (!check_length (clean, ZZ_MAX_NOTE, _("A note may have at most %d characters."), error))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("departments", ids->str),
      ZZ_F_TEXT ("note", *clean ? clean : NULL),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "whistle", c, f, G_N_ELEMENTS (f), out_whistle_id, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_whistle_report (ZzStore *self, const char *whistle_id, const char *department_id, const char *kind,
                         GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(ZzRow) w = NULL;
  g_autoptr(ZzRow) c = NULL;
  g_auto(GStrv) ids = NULL;

  /* Whoever is at the centre when a department reports records it. */
  if (!zz_store_require (self, ZZ_PERM_DISPATCH_CASE, error))
    return FALSE;
  if (g_strcmp0 (kind, "acknowledged") != 0 && g_strcmp0 (kind, "arrived") != 0)
    return zz_verb_invalid (error, _("Say whether the department acknowledged or arrived."));
  stmt = zz_store_stmt (self, "SELECT id, case_id, departments FROM whistle WHERE id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, whistle_id, -1, SQLITE_TRANSIENT);
  if (!(w = zz_store_query_row (self, stmt)))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The summons no longer exists."));
      return FALSE;
    }
  ids = g_strsplit (zz_row_get (w, "departments"), ",", -1);
  if (!department_id || !g_strv_contains ((const char * const *) ids, department_id))
    return zz_verb_invalid (error, _("That department was not summoned."));
  stmt = zz_store_stmt (self, "SELECT count(*) FROM whistle_report WHERE whistle_id = ? AND department_id = ? AND kind = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, whistle_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, department_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  if (zz_store_query_int (self, stmt, 0) > 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This has already been recorded for the department."));
      return FALSE;
    }
  if (!(c = case_for (self, zz_row_get (w, "case_id"), ZZ_CASE_ACT_SUPERVISE, error)))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("whistle_id", whistle_id),
      ZZ_F_TEXT ("case_id", zz_row_get_id (c)),
      ZZ_F_TEXT ("department_id", department_id),
      ZZ_F_TEXT ("kind", kind),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "whistle_report", c, f, G_N_ELEMENTS (f), NULL, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

GListModel *
zz_store_case_whistles (ZzStore *self, const char *case_id)
{
  return rows_1 (self,
                 "SELECT w.id AS whistle_id, dep.id AS department_id, dep.name AS department, w.at AS whistled_at,"
                 " (SELECT min(r.at) FROM whistle_report r WHERE r.whistle_id = w.id AND r.department_id = dep.id"
                 "  AND r.kind = 'acknowledged') AS acknowledged_at,"
                 " (SELECT min(r.at) FROM whistle_report r WHERE r.whistle_id = w.id AND r.department_id = dep.id"
                 "  AND r.kind = 'arrived') AS arrived_at, ?2 AS unused"
                 " FROM whistle w JOIN department dep"
                 "  ON instr (',' || w.departments || ',', ',' || dep.id || ',') > 0"
                 " WHERE w.case_id = ?1 AND w.deleted = 0 ORDER BY w.at, dep.name", case_id);
}

/* ---- mediation ---- */

static int
attempts_at (ZzStore *self, const char *case_id, const char *level)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM mediation_attempt WHERE case_id = ? AND level = ?"
                                            " AND amends IS NULL AND deleted = 0", NULL);
  if (!stmt)
    return 0;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, level, -1, SQLITE_TRANSIENT);
  return (int) zz_store_query_int (self, stmt, 0);
}

ZzTierVerdict
zz_store_case_tier_state (ZzStore *self, const char *case_id, ZzCaseLevel *out_level, int *out_attempts, int *out_max)
{
  g_autoptr(ZzRow) c = NULL;
  ZzTierLimits l;
  ZzCaseLevel level;
  int n;
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT level FROM case_file WHERE id = ?", NULL);

  if (!stmt)
    return ZZ_TIER_BAD_LEVEL;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  if (!(c = zz_store_query_row (self, stmt)))
    return ZZ_TIER_BAD_LEVEL;
  zz_store_get_tier_limits (self, &l);
  level = zz_case_level_from_string (zz_row_get (c, "level"));
  n = attempts_at (self, case_id, zz_row_get (c, "level"));
  if (out_level)
    *out_level = level;
  if (out_attempts)
    *out_attempts = n;
  if (out_max)
    *out_max = zz_tier_max_attempts (&l, level);
  /* Asked as for a joint consultation: the limit is what this answers. */
  return zz_tier_check_attempt (&l, level, n, TRUE, l.county_min_departments);
}

gboolean
zz_store_record_mediation (ZzStore *self, const ZzAttemptInput *in, char **out_attempt_id, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autoptr(ZzRow) amended = NULL;
  g_autofree char *place = zz_verb_clean_text (in->place);
  g_autofree char *mediators = zz_verb_clean_text (in->mediators);
  g_autofree char *present = zz_verb_clean_text (in->parties_present);
  g_autofree char *terms = zz_verb_clean_text (in->terms);
  g_autofree char *notes = zz_verb_clean_text (in->notes);
  g_autoptr(GString) dep_names = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *level_key;
  ZzTierLimits l;
  ZzCaseLevel level;
  gint64 number, now, held;
  guint n;
  const ZzVocab *v;

  if (!zz_store_require (self, ZZ_PERM_MEDIATE, error))
    return FALSE;
  if (!(c = case_for (self, in->case_id, ZZ_CASE_ACT_MEDIATE, error)))
    return FALSE;
  v = zz_mediation_methods (&n);
  if (!zz_vocab_has (v, n, in->method))
    return zz_verb_invalid (error, _("Choose how the mediation was held."));
  v = zz_mediation_results (&n);
  if (!zz_vocab_has (v, n, in->result))
    return zz_verb_invalid (error, _("Choose the result of the mediation."));
  if (!*place)
    return zz_verb_invalid (error, _("Enter where the mediation was held."));
  if (!*mediators)
    return zz_verb_invalid (error, _("Enter the mediators."));
  if (!check_length (place, 100, _("A place may have at most %d characters."), error)
      || !check_length (mediators, 200, _("The mediators may have at most %d characters."), error)
      || !check_length (present, 200, _("The parties present may have at most %d characters."), error)
      || !check_length (terms, ZZ_MAX_DETAILS, _("The terms may have at most %d characters."), error)
      || !check_length (notes, ZZ_MAX_DETAILS, _("The notes may have at most %d characters."), error))
    return FALSE;
  if (g_strcmp0 (in->result, "failed") != 0 && !*terms)
    return zz_verb_invalid (error, _("Write down the agreed terms."));
  for (guint i = 0; in->department_ids && in->department_ids[i]; i++)
    {
      g_autoptr(ZzRow) d = department (self, in->department_ids[i]);
      if (!d)
        return zz_verb_invalid (error, _("A department of the consultation no longer exists."));
      if (!g_hash_table_add (seen, (gpointer) in->department_ids[i]))
        continue;
      if (dep_names->len)
        g_string_append (dep_names, "、");
      g_string_append (dep_names, zz_row_get (d, "name"));
    }
  now = zz_store_now (self);
  held = in->held_at ? in->held_at : now;
  if (held > now + 60 * 60 * 1000)
    return zz_verb_invalid (error, _("A mediation cannot be recorded before it is held."));
  /* By the day: a mediation held on the day of registration may be entered with that day only. */
  {
    g_autofree char *held_day = zz_store_day_of (held);
    g_autofree char *reg_day = zz_store_day_of (zz_row_get_int (c, "registered_at"));
    if (strcmp (held_day, reg_day) < 0)
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                     _("The mediation’s date (%s) is before the case was registered (%s)."), held_day, reg_day);
        return FALSE;
      }
  }

  zz_store_get_tier_limits (self, &l);
  if (in->amends)
    {
      sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, level, number FROM mediation_attempt"
                                                " WHERE id = ? AND case_id = ? AND deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, in->amends, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, in->case_id, -1, SQLITE_TRANSIENT);
      if (!(amended = zz_store_query_row (self, stmt)))
        return zz_verb_invalid (error, _("The attempt to correct is not one of this case’s."));
      level_key = zz_row_get (amended, "level");
      number = zz_row_get_int (amended, "number");
    }
  else
    {
      int so_far;

      level_key = zz_row_get (c, "level");
      level = zz_case_level_from_string (level_key);
      so_far = attempts_at (self, in->case_id, level_key);
      switch (zz_tier_check_attempt (&l, level, so_far, g_str_equal (in->method, "joint"),
                                     (int) g_hash_table_size (seen)))
        {
        case ZZ_TIER_ALLOWED:
          break;
        case ZZ_TIER_LIMIT_REACHED:
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                       ngettext ("The %s has mediated this case %d time, its limit; escalate the case instead.",
                                 "The %s has mediated this case %d times, its limit; escalate the case instead.", so_far),
                       zz_vocab_name (zz_case_levels, level_key), so_far);
          return FALSE;
        case ZZ_TIER_NEEDS_DEPARTMENTS:
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("The county mediates by joint consultation of at least %d departments."),
                       l.county_min_departments);
          return FALSE;
        case ZZ_TIER_BAD_LEVEL:
        default:
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The case’s level is unknown."));
          return FALSE;
        }
      number = so_far + 1;
    }

  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", in->case_id),
      ZZ_F_TEXT ("level", level_key),
      ZZ_F_INT ("number", number),
      ZZ_F_INT ("held_at", held),
      ZZ_F_TEXT ("place", place),
      ZZ_F_TEXT ("mediators", mediators),
      ZZ_F_TEXT ("parties_present", *present ? present : NULL),
      ZZ_F_TEXT ("method", in->method),
      ZZ_F_TEXT ("departments", dep_names->len ? dep_names->str : NULL),
      ZZ_F_INT ("n_departments", g_hash_table_size (seen)),
      ZZ_F_TEXT ("result", in->result),
      ZZ_F_TEXT ("terms", *terms ? terms : NULL),
      ZZ_F_TEXT ("notes", *notes ? notes : NULL),
      ZZ_F_TEXT ("amends", in->amends),
      ZZ_F_INT ("recorded_at", now),
      ZZ_F_TEXT ("recorded_by", self->user_id),
    };
    if (!append_case_record (self, "mediation_attempt", c, f, G_N_ELEMENTS (f), out_attempt_id, error))
      return zz_verb_fail (self);
  }
  if (g_strcmp0 (zz_row_get (c, "status"), "registered") == 0)
    {
      ZzField cf[] = { ZZ_F_TEXT ("status", "in_progress") };
      if (!zz_store_set_fields (self, "case_file", in->case_id, cf, 1, error))
        return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

char *
zz_store_escalation_summary (ZzStore *self, const char *case_id)
{
  g_autoptr(GListModel) attempts = zz_store_case_attempts (self, case_id);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (attempts); i++)
    {
      g_autoptr(ZzRow) a = g_list_model_get_item (attempts, i);
      g_autofree char *when = format_time (zz_row_get_int (a, "held_at"));

      if (s->len)
        g_string_append (s, "; ");
      g_string_append_printf (s, _("%s no. %lld on %s at %s: %s"), zz_vocab_name (zz_case_levels, zz_row_get (a, "level")),
                              (long long) zz_row_get_int (a, "number"), when, zz_row_get (a, "place"),
                              zz_vocab_name (zz_mediation_results, zz_row_get (a, "result")));
    }
  if (s->len == 0)
    g_string_append (s, _("No mediation so far."));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
zz_store_escalate_case (ZzStore *self, const char *case_id, const char *reason, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (reason);
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;
  ZzCaseLevel level, next;

  if (!zz_store_require (self, ZZ_PERM_MEDIATE, error))
    return FALSE;
  if (!(c = case_for (self, case_id, ZZ_CASE_ACT_ESCALATE, error)))
    return FALSE;
  level = zz_case_level_from_string (zz_row_get (c, "level"));
  next = zz_tier_next_level (level);
  if (next >= ZZ_N_LEVELS)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The prefecture is the highest level."));
      return FALSE;
    }
  if (!check_length (clean, ZZ_MAX_NOTE, _("A reason may have at most %d characters."), error))
    return FALSE;
  summary = zz_store_escalation_summary (self, case_id);
  if (*clean)
    {
      /* The reason ends as a sentence before the attempts follow it, not run into them. */
      gunichar last = g_utf8_get_char (g_utf8_find_prev_char (clean, clean + strlen (clean)));
      g_autofree char *sentence = g_utf8_strchr ("。！？.!?…", -1, last) ? g_strdup (clean)
                                  : g_strconcat (clean, C_("end of a sentence", "."), NULL);
      /* Translators: the escalation's reason (a sentence), then the attempts so far */
      text = g_strdup_printf (_("%s Mediation so far: %s"), sentence, summary);
    }
  else
    text = g_steal_pointer (&summary);
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("from_level", zz_case_level_to_string (level)),
      ZZ_F_TEXT ("to_level", zz_case_level_to_string (next)),
      ZZ_F_TEXT ("summary", text),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    ZzField cf[] = { ZZ_F_TEXT ("level", zz_case_level_to_string (next)), ZZ_F_TEXT ("status", "in_progress") };
    if (!append_case_record (self, "case_escalation", c, f, G_N_ELEMENTS (f), NULL, error)
        || !zz_store_set_fields (self, "case_file", case_id, cf, 2, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_record_fulfilment (ZzStore *self, const char *attempt_id, const char *fulfilled, const char *note,
                            GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(ZzRow) a = NULL;
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (note);

  if (!zz_store_require (self, ZZ_PERM_MEDIATE, error))
    return FALSE;
  if (g_strcmp0 (fulfilled, "full") != 0 && g_strcmp0 (fulfilled, "partial") != 0 && g_strcmp0 (fulfilled, "not") != 0)
    return zz_verb_invalid (error, _("Say whether the agreement was fulfilled."));
  stmt = zz_store_stmt (self, "SELECT id, case_id, result FROM mediation_attempt WHERE id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, attempt_id, -1, SQLITE_TRANSIENT);
  if (!(a = zz_store_query_row (self, stmt)) || g_strcmp0 (zz_row_get (a, "result"), "failed") == 0)
    return zz_verb_invalid (error, _("Only an agreement can be fulfilled."));
  if (!check_length (clean, ZZ_MAX_NOTE, _("A note may have at most %d characters."), error))
    return FALSE;
  if (!(c = case_for (self, zz_row_get (a, "case_id"), ZZ_CASE_ACT_SUPERVISE, error)))
    {
      g_clear_error (error);
      stmt = zz_store_stmt (self, "SELECT id, home FROM case_file WHERE id = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, zz_row_get (a, "case_id"), -1, SQLITE_TRANSIENT);
      c = zz_store_query_row (self, stmt);
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("attempt_id", attempt_id),
      ZZ_F_TEXT ("case_id", zz_row_get (a, "case_id")),
      ZZ_F_TEXT ("fulfilled", fulfilled),
      ZZ_F_TEXT ("note", *clean ? clean : NULL),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "agreement_fulfilment", c, f, G_N_ELEMENTS (f), NULL, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

GListModel *
zz_store_list_attempts (ZzStore *self, const char *level, guint limit)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES)
      || !(stmt = zz_store_stmt (self,
                                 "SELECT m.id, m.case_id, c.number, m.level, m.number AS attempt, m.held_at, m.place,"
                                 " m.method, m.result, m.mediators, m.departments, m.amends, c.summary"
                                 " FROM mediation_attempt m JOIN case_file c ON c.id = m.case_id"
                                 " WHERE m.deleted = 0 AND (?1 IS NULL OR m.level = ?1)"
                                 " ORDER BY m.held_at DESC LIMIT ?2", NULL)))
    return empty ();
  sqlite3_bind_text (stmt, 1, level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit ? limit : 500);
  return zz_store_query_rows (self, stmt);
}

/* Local midnight of "YYYY-MM-DD" (plus @days) as Unix ms; FALSE when it is not a date. */
static gboolean
day_start_ms (const char *day, int days, gint64 *out)
{
  int y, m, d;
  char tail;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  if (!day || sscanf (day, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  start = g_date_time_new (zz_local_zone (), y, m, d, 0, 0, 0);
  shifted = start ? g_date_time_add_days (start, days) : NULL;
  if (!shifted)
    return FALSE;
  *out = g_date_time_to_unix (shifted) * 1000;
  return TRUE;
}

static gboolean
ledger_bounds (const ZzLedgerFilter *f, gint64 *from, gint64 *to, GError **error)
{
  *from = G_MININT64;
  *to = G_MAXINT64;
  if (f && f->from_day && *f->from_day && !day_start_ms (f->from_day, 0, from))
    return zz_verb_invalid (error, _("The first day must be a date such as 2026-12-01."));
  if (f && f->to_day && *f->to_day && !day_start_ms (f->to_day, 1, to))
    return zz_verb_invalid (error, _("The last day must be a date such as 2026-12-31."));
  if (*to <= *from)
    return zz_verb_invalid (error, _("The last day is before the first."));
  return TRUE;
}

static GListModel *
find_attempts (ZzStore *self, const ZzLedgerFilter *f, gint64 from, gint64 to, guint limit)
{
  sqlite3_stmt *stmt;
  const char *q = f && f->query && *f->query ? f->query : NULL;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES)
      || !(stmt = zz_store_stmt (self,
                                 "SELECT m.id, m.case_id, c.number, m.level, m.number AS attempt, m.held_at, m.place,"
                                 " m.method, m.result, m.mediators, m.departments, m.amends, m.terms, c.summary,"
                                 " (SELECT group_concat (coalesce (p.name, cp.org_name), '、') FROM case_party cp"
                                 "  LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id) AS parties"
                                 " FROM mediation_attempt m JOIN case_file c ON c.id = m.case_id"
                                 " WHERE m.deleted = 0 AND (?1 IS NULL OR m.level = ?1)"
                                 " AND m.held_at >= ?2 AND m.held_at < ?3"
                                 " AND (?4 IS NULL OR instr (c.number, ?4) OR instr (c.summary, ?4) OR instr (m.place, ?4)"
                                 "  OR instr (m.mediators, ?4) OR EXISTS (SELECT 1 FROM case_party cp"
                                 "  LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id"
                                 "  AND instr (coalesce (p.name, cp.org_name), ?4)))"
                                 " AND (?6 IS NULL OR m.held_at < ?7 OR (m.held_at = ?7 AND m.id < ?6))"
                                 " ORDER BY m.held_at DESC, m.id DESC LIMIT ?5", NULL)))
    return empty ();
  sqlite3_bind_text (stmt, 6, f ? f->after_id : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, f ? f->after_held_at : 0);
  sqlite3_bind_text (stmt, 1, f ? f->level : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  sqlite3_bind_text (stmt, 4, q, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, limit ? (gint64) limit : -1);
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_find_attempts (ZzStore *self, const ZzLedgerFilter *filter, guint limit)
{
  gint64 from, to;

  if (!ledger_bounds (filter, &from, &to, NULL))
    return empty ();
  return find_attempts (self, filter, from, to, limit ? limit : 500);
}

ZzTable *
zz_store_mediation_ledger (ZzStore *self, const ZzLedgerFilter *filter, GError **error)
{
  g_autoptr(GListModel) rows = NULL;
  ZzTable *t;
  gint64 from, to;

  if (!zz_store_require (self, ZZ_PERM_VIEW_CASES, error))
    return NULL;
  if (!ledger_bounds (filter, &from, &to, error))
    return NULL;
  rows = find_attempts (self, filter, from, to, 0);
  t = zz_table_new ("ledger", _("Mediation ledger"));
  zz_table_add_column (t, "number", _("Case number"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "held_at", _("Date held"), ZZ_CELL_DATE);
  zz_table_add_column (t, "level", _("Level"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "attempt", _("Attempt at the level"), ZZ_CELL_INT);
  zz_table_add_column (t, "place", _("Place"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "method", _("Method"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "mediators", _("Mediators"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "parties", _("Parties"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "summary", _("Summary"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "result", _("Result"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "terms", _("Agreed terms"), ZZ_CELL_TEXT);
  zz_table_add_column (t, "correction", _("Correction of an earlier record"), ZZ_CELL_TEXT);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) a = g_list_model_get_item (rows, i);
      g_autofree char *link = g_strconcat ("case:", zz_row_get (a, "case_id"), NULL);
      guint r = zz_table_add_row (t);

      zz_table_set_link (t, r, link);
      zz_table_set_text (t, r, 0, zz_row_get (a, "number"));
      zz_table_set_int (t, r, 1, zz_row_get_int (a, "held_at"));
      zz_table_set_text (t, r, 2, zz_vocab_name (zz_case_levels, zz_row_get (a, "level")));
      zz_table_set_int (t, r, 3, zz_row_get_int (a, "attempt"));
      zz_table_set_text (t, r, 4, zz_row_get (a, "place"));
      zz_table_set_text (t, r, 5, zz_vocab_name (zz_mediation_methods, zz_row_get (a, "method")));
      zz_table_set_text (t, r, 6, zz_row_get (a, "mediators"));
      zz_table_set_text (t, r, 7, zz_row_get (a, "parties"));
      zz_table_set_text (t, r, 8, zz_row_get (a, "summary"));
      zz_table_set_text (t, r, 9, zz_vocab_name (zz_mediation_results, zz_row_get (a, "result")));
      zz_table_set_text (t, r, 10, zz_row_get (a, "terms"));
      zz_table_set_text (t, r, 11, zz_row_get (a, "amends") ? _("yes") : NULL);
    }
  return t;
}

/* ---- conclusion and follow-up ---- */

gboolean
zz_store_conclude_case (ZzStore *self, const char *case_id, const char *outcome, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (outcome);

  if (!(c = case_with_text (self, ZZ_PERM_CONCLUDE_CASE, case_id, ZZ_CASE_ACT_CONCLUDE, clean,
                             _("Describe the outcome."),
                             _("An outcome may have at most %d characters."), error)))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField cf[] = {
      ZZ_F_TEXT ("status", "concluded"),
      ZZ_F_TEXT ("outcome", clean),
      ZZ_F_TEXT ("resolved_level", zz_row_get (c, "level")),
      ZZ_F_INT ("concluded_at", zz_store_now (self)),
      ZZ_F_TEXT ("concluded_by", self->user_id),
      ZZ_F_NULL ("holder"),
    };
    if (!zz_store_set_fields (self, "case_file", case_id, cf, G_N_ELEMENTS (cf), error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_record_feedback (ZzStore *self, const char *case_id, const char *feedback, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (feedback);

  if (!(c = case_with_text (self, ZZ_PERM_FOLLOW_UP_CASE, case_id, ZZ_CASE_ACT_FEEDBACK, clean,
                             _("Write what the parties were told."),
                             _("Feedback may have at most %d characters."), error)))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField cf[] = { ZZ_F_TEXT ("feedback", clean), ZZ_F_INT ("feedback_at", zz_store_now (self)) };
    if (!zz_store_set_fields (self, "case_file", case_id, cf, 2, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_record_return_visit (ZzStore *self, const char *case_id, const char *satisfaction, const char *notes,
                              GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  g_autofree char *clean = zz_verb_clean_text (notes);
  guint n;
  const ZzVocab *v = zz_satisfactions (&n);

  if (!zz_store_require (self, ZZ_PERM_FOLLOW_UP_CASE, error))
    return FALSE;
  if (!(c = case_for (self, case_id, ZZ_CASE_ACT_RETURN_VISIT, error)))
    return FALSE;
  if (!zz_vocab_has (v, n, satisfaction))
    return zz_verb_invalid (error, _("Choose how satisfied the parties are."));
  if (!check_length (clean, ZZ_MAX_NOTE, _("Notes may have at most %d characters."), error))
    return FALSE;
  if (!zz_row_get (c, "feedback_at"))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Record the feedback to the parties first."));
      return FALSE;
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("satisfaction", satisfaction),
      ZZ_F_TEXT ("notes", *clean ? clean : NULL),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "return_visit", c, f, G_N_ELEMENTS (f), NULL, error))
      return zz_verb_fail (self);
  }
  if (g_str_equal (satisfaction, "dissatisfied"))
    {
      ZzField cf[] = { ZZ_F_TEXT ("status", "reopened"), ZZ_F_NULL ("feedback_at") };
      if (!zz_store_set_fields (self, "case_file", case_id, cf, 2, error))
        return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

gboolean
zz_store_archive_case (ZzStore *self, const char *case_id, GError **error)
{
  g_autoptr(ZzRow) c = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_require (self, ZZ_PERM_CONCLUDE_CASE, error))
    return FALSE;
  if (!(c = case_for (self, case_id, ZZ_CASE_ACT_ARCHIVE, error)))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT count(*) FROM return_visit WHERE case_id = ? AND at >="
                              " (SELECT concluded_at FROM case_file WHERE id = ?1)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  if (zz_store_query_int (self, stmt, 0) == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Make the return visit before archiving the case."));
      return FALSE;
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField cf[] = { ZZ_F_TEXT ("status", "archived"), ZZ_F_INT ("archived_at", zz_store_now (self)) };
    if (!zz_store_set_fields (self, "case_file", case_id, cf, 2, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

/* ---- review items ---- */

GListModel *
zz_store_find_review_items (ZzStore *self, guint limit, guint *total)
{
  /* one index range per level of attempt_count, beyond that level's allowance */
#define OVER(level, max) \
  " SELECT t.case_id, t.level, t.attempts, " max " AS max FROM attempt_count t" \
  " WHERE t.level = '" level "' AND t.attempts > " max \
  " AND NOT EXISTS (SELECT 1 FROM tier_review r WHERE r.case_id = t.case_id AND r.level = t.level" \
  "  AND r.attempts_seen >= t.attempts)"
  static const char over[] = OVER ("village", "?1") " UNION ALL" OVER ("township", "?2")
                             " UNION ALL" OVER ("county", "?3");
#undef OVER
  g_autofree char *list_sql = g_strconcat ("SELECT g.case_id, c.number, g.level, g.attempts, g.max FROM (", over,
                                           ") g JOIN case_file c ON c.id = g.case_id ORDER BY c.number LIMIT ?4", NULL);
  g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM (", over, ")", NULL);
  ZzTierLimits l;
  sqlite3_stmt *stmt;

  if (total)
    *total = 0;
  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES))
    return empty ();
  zz_store_get_tier_limits (self, &l);
  if (total && (stmt = zz_store_stmt (self, count_sql, NULL)))
    {
      sqlite3_bind_int (stmt, 1, l.village_max);
      sqlite3_bind_int (stmt, 2, l.township_max);
      sqlite3_bind_int (stmt, 3, l.county_max);
      *total = (guint) zz_store_query_int (self, stmt, 0);
    }
  if (!(stmt = zz_store_stmt (self, list_sql, NULL)))
    return empty ();
  sqlite3_bind_int (stmt, 1, l.village_max);
  sqlite3_bind_int (stmt, 2, l.township_max);
  sqlite3_bind_int (stmt, 3, l.county_max);
  sqlite3_bind_int64 (stmt, 4, limit ? (gint64) limit : -1);
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_list_review_items (ZzStore *self)
{
  return zz_store_find_review_items (self, 0, NULL);
}

gboolean
zz_store_resolve_review_item (ZzStore *self, const char *case_id, const char *level, const char *note, GError **error)
{
  g_autofree char *clean = zz_verb_clean_text (note);
  sqlite3_stmt *stmt;
  g_autoptr(ZzRow) c = NULL;
  int attempts;
  ZzTierLimits l;

  if (!zz_store_require (self, ZZ_PERM_RESOLVE_REVIEW, error))
    return FALSE;
  if (zz_case_level_from_string (level) == ZZ_N_LEVELS)
    return zz_verb_invalid (error, _("Choose a level."));
  if (!*clean)
    return zz_verb_invalid (error, _("Write what the review found."));
  if (!check_length (clean, ZZ_MAX_NOTE, _("A note may have at most %d characters."), error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT id, home FROM case_file WHERE id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  if (!(c = zz_store_query_row (self, stmt)))
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The case no longer exists."));
      return FALSE;
    }
  zz_store_get_tier_limits (self, &l);
  attempts = attempts_at (self, case_id, level);
  if (zz_tier_excess (&l, zz_case_level_from_string (level), attempts) == 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, _("There is nothing to review at this level."));
      return FALSE;
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("case_id", case_id),
      ZZ_F_TEXT ("level", level),
      ZZ_F_INT ("attempts_seen", attempts),
      ZZ_F_TEXT ("note", clean),
      ZZ_F_INT ("at", zz_store_now (self)),
      ZZ_F_TEXT ("author_id", self->user_id),
    };
    if (!append_case_record (self, "tier_review", c, f, G_N_ELEMENTS (f), NULL, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

/* ---- search ---- */

/* The FTS5 phrase for @q: the whole text as one quoted string. */
char *zz_cases_fts_phrase (const char *q);

char *
zz_cases_fts_phrase (const char *q)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = q; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Normalises a search: NFKC (full-width digits), trimmed; a number typed in groups loses its
 * spaces and dashes unless it looks like a case number. */
char *zz_cases_normalise_query (const char *query);

char *
zz_cases_normalise_query (const char *query)
{
  g_autofree char *nfkc = NULL;
  char *q;
  gboolean digits_only;
  int dashes = 0;

  /* Invalid UTF-8 (g_utf8_normalize would read past its end) becomes text with replacement
   * characters, which no case holds: a search for it finds nothing. */
  if (query && !g_utf8_validate (query, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (query, -1);
      return zz_verb_clean_text (valid);
    }
  nfkc = g_utf8_normalize (query ? query : "", -1, G_NORMALIZE_NFKC);
  q = zz_verb_clean_text (nfkc);
  digits_only = *q != '\0';

  /* Full-width digits from an input method become ASCII; Chinese punctuation in words of the
   * summary stays as it is written (the index holds the text unchanged). */
  for (const char *p = q; *p; p++)
    if (!g_ascii_isdigit (*p) && !strchr (" -xX", *p))
      {
        g_free (q);
        return zz_verb_clean_text (query);
      }

  for (const char *p = q; *p; p++)
    {
      if (*p == '-')
        dashes++;
      else if (!g_ascii_isdigit (*p) && *p != ' ' && *p != 'x' && *p != 'X')
        digits_only = FALSE;
    }
  if (digits_only && dashes == 0)
    {
      GString *s = g_string_new (NULL);
      for (const char *p = q; *p; p++)
        if (*p != ' ')
          g_string_append_c (s, g_ascii_toupper (*p));
      g_free (q);
      q = g_string_free (s, FALSE);
    }
  return q;
}

static void
collect (GArray *out, GHashTable *seen, sqlite3_stmt *stmt)
{
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 r = sqlite3_column_int64 (stmt, 0);
      if (g_hash_table_add (seen, g_memdup2 (&r, sizeof r)))
        g_array_append_val (out, r);
    }
  sqlite3_reset (stmt);
}

static int
rowid_desc (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* The rowids of cases matching @query, newest first, at most @limit. Each kind of query takes
 * the index made for it, each bounded by @limit: words (3 characters or more) the trigram index
 * walked newest first, a 2-character name the person names, a number the ID-number and phone
 * indexes, a case number its own; digits no index finds, the trigram index. */
GArray *zz_cases_search_rowids (ZzStore *self, const char *query, guint limit);

GArray *
zz_cases_search_rowids (ZzStore *self, const char *query, guint limit)
{
  g_autofree char *q = zz_cases_normalise_query (query);
  g_autofree char *prefix = g_strconcat (q, "*", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  glong len = g_utf8_strlen (q, -1);
  gboolean numeric = len > 0 && strspn (q, "0123456789X") == strlen (q);
  gboolean case_number = !numeric && strchr (q, '-') && strspn (q, "0123456789-ABCDEFGHJKMNPQRSTVWXYZ") == strlen (q);
  sqlite3_stmt *stmt;

  if (len < 2)
    return out;
  if (numeric || case_number)
    {
      stmt = zz_store_stmt (self, "SELECT rowid FROM case_file WHERE number GLOB ?1 ORDER BY number DESC LIMIT ?2", NULL);
      if (stmt)
        {
          sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 2, limit);
          collect (out, seen, stmt);
        }
    }
  if (numeric && len >= 4)
    {
      const char *sql[] = {
        "SELECT c.rowid FROM person p JOIN case_party cp ON cp.person_id = p.id JOIN case_file c ON c.id = cp.case_id"
        " WHERE p.id_number GLOB ?1 AND p.deleted = 0 LIMIT ?2",
        "SELECT c.rowid FROM person p JOIN case_party cp ON cp.person_id = p.id JOIN case_file c ON c.id = cp.case_id"
        " WHERE p.phone GLOB ?1 AND p.deleted = 0 LIMIT ?2",
      };
      for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
        if ((stmt = zz_store_stmt (self, sql[i], NULL)))
          {
            sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int (stmt, 2, limit);
            collect (out, seen, stmt);
          }
    }
  /* Digits found by no index (the end of an ID number, a middle part of a phone) are looked up
   * as words: slower, as digit trigrams are common, but only then. */
  if ((!numeric && !case_number) || out->len == 0)
    {
      if (len >= 3)
        {
          g_autofree char *phrase = zz_cases_fts_phrase (q);
          stmt = zz_store_stmt (self, "SELECT rowid FROM case_fts WHERE case_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2", NULL);
          if (stmt)
            {
              sqlite3_bind_text (stmt, 1, phrase, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int (stmt, 2, limit);
              collect (out, seen, stmt);
            }
        }
      else
        {
          /* Two characters, a name as 张三: too short for trigrams, found by the names. */
          stmt = zz_store_stmt (self,
                                "SELECT c.rowid FROM person p JOIN case_party cp ON cp.person_id = p.id"
                                " JOIN case_file c ON c.id = cp.case_id WHERE p.name GLOB ?1 AND p.deleted = 0"
                                " UNION SELECT c.rowid FROM case_party cp JOIN case_file c ON c.id = cp.case_id"
                                " WHERE cp.org_name = ?3 LIMIT ?2", NULL);
          if (stmt)
            {
              sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int (stmt, 2, limit);
              sqlite3_bind_text (stmt, 3, q, -1, SQLITE_TRANSIENT);
              collect (out, seen, stmt);
            }
        }
    }
  g_array_sort (out, rowid_desc);
  if (out->len > limit)
    g_array_set_size (out, limit);
  return out;
}

/* A JSON array of rowids, for json_each(). */
char *zz_cases_rowids_json (GArray *rowids);

char *
zz_cases_rowids_json (GArray *rowids)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (rowids, gint64, i));
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

GListModel *
zz_store_search_cases (ZzStore *self, const char *query, guint limit)
{
  g_autoptr(GArray) rowids = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_CASES))
    return empty ();
  limit = limit ? limit : 50;
  rowids = zz_cases_search_rowids (self, query, limit);
  if (rowids->len == 0)
    return empty ();
  json = zz_cases_rowids_json (rowids);
  stmt = zz_store_stmt (self,
                        "SELECT c.id, c.number, c.summary, c.category, c.level, c.status, c.deadline_at,"
                        "  c.registered_at,"
                        "  (SELECT group_concat (coalesce (p.name, cp.org_name), '、') FROM case_party cp"
                        "   LEFT JOIN person p ON p.id = cp.person_id WHERE cp.case_id = c.id) AS parties"
                        " FROM case_file c WHERE c.rowid IN (SELECT value FROM json_each (?1)) AND c.deleted = 0"
                        " ORDER BY c.rowid DESC LIMIT ?2", NULL);
  if (!stmt)
    return empty ();
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit);
  return zz_store_query_rows (self, stmt);
}
