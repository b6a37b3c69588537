/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-households"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-households.h"
#include "zz-date.h"
#include "zz-households-private.h"
#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-verb-private.h"

static gboolean
text_ok (const char *s, glong max)
{
  return g_utf8_strlen (s, -1) <= max;
}

static char *
today (ZzStore *self)
{
  return zz_store_day_of (zz_store_now (self));
}

/* ---- the scheme in force, and the SQL function that computes due dates from it ---- */

void
zz_store_get_risk_scheme (ZzStore *self, ZzRiskScheme *out)
{
  sqlite3_stmt *stmt;

  zz_risk_scheme_init_default (out);
  /* The most senior unit's scheme (the shortest code) applies county-wide. */
  stmt = zz_store_stmt (self, "SELECT scheme FROM risk_scheme WHERE deleted = 0"
                              " ORDER BY length(home), updated_hlc DESC LIMIT 1", NULL);
  if (!stmt)
    return;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (!zz_risk_scheme_parse ((const char *) sqlite3_column_text (stmt, 0), out, NULL))
        zz_risk_scheme_init_default (out);
    }
  sqlite3_reset (stmt);
}

gboolean
zz_store_set_risk_scheme (ZzStore *self, const ZzRiskScheme *scheme, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_require (self, ZZ_PERM_MANAGE_RISK_SCHEME, error)
      || !zz_risk_scheme_validate (scheme, error))
    return FALSE;
  /* A scheme set higher up (the prefecture's) applies here and is edited there. */
  stmt = zz_store_stmt (self, "SELECT count(*) FROM risk_scheme WHERE deleted = 0 AND length(home) < length(?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->node_org_unit ? self->node_org_unit : "", -1, SQLITE_STATIC);
  if (zz_store_query_int (self, stmt, 0) > 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION,
                   _("The weights and cadences in force here are set by a higher level and can only be changed there."));
      return FALSE;
    }
  text = zz_risk_scheme_to_string (scheme);
  stmt = zz_store_stmt (self, "SELECT id FROM risk_scheme WHERE home = ? AND deleted = 0 LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->node_org_unit, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = { ZZ_F_TEXT ("scheme", text) };
    if (id)
      {
        if (!zz_store_set_fields (self, "risk_scheme", id, f, 1, error))
          return zz_verb_fail (self);
      }
    else
      {
        id = zz_store_new_id (self);
        if (!zz_store_insert_row (self, "risk_scheme", id, self->node_org_unit, f, 1, error))
          return zz_verb_fail (self);
      }
  }
  return zz_store_commit (self, error);
}

typedef struct {
  ZzRiskScheme scheme;
} DueContext;

/* zz_household_due(grade, last_visit, graded_on) */
static void
sql_household_due (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  DueContext *d = sqlite3_user_data (ctx);
  ZzGrade grade = zz_grade_from_key ((const char *) sqlite3_value_text (argv[0]));
  char due[11];

  if (zz_risk_next_due_buf (&d->scheme, grade, (const char *) sqlite3_value_text (argv[1]),
                            (const char *) sqlite3_value_text (argv[2]), due))
    sqlite3_result_text (ctx, due, 10, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (ctx);
}

/* Registers the function once per connection and loads the scheme in force into it. */
void
zz_store_prepare_household_due (ZzStore *self)
{
  DueContext *d = g_object_get_data (G_OBJECT (self), "zz-household-due");

  if (!d)
    {
      d = g_new0 (DueContext, 1);
      g_object_set_data_full (G_OBJECT (self), "zz-household-due", d, g_free);
      sqlite3_create_function (self->db, "zz_household_due", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, d,
                               sql_household_due, NULL, NULL);
    }
  zz_store_get_risk_scheme (self, &d->scheme);
}

/* ---- validation ---- */

static gboolean
check_village (ZzStore *self, const char *code, GError **error)
{
  g_autoptr(ZzRow) unit = code ? zz_store_get_org_unit (self, code) : NULL;

  if (!unit || zz_row_get_int (unit, "level") != 5)
    return zz_verb_invalid (error, _("Choose the household’s village."));
  if (!self->node_org_unit || !g_str_has_prefix (code, self->node_org_unit))
    return zz_verb_invalid (error, _("The village is not under this centre."));
  return TRUE;
}

typedef struct {
  char *name, *relation, *id_number, *phone, *notes;
} CleanMember;

static void
clean_member_clear (CleanMember *m)
{
  g_free (m->name);
  g_free (m->relation);
  g_free (m->id_number);
  g_free (m->phone);
  g_free (m->notes);
}

/* Another household on the list that has a member with this ID number, or NULL. */
static char *
id_number_owner (ZzStore *self, const char *id_number, const char *except_household)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT h.head_name FROM household_member m JOIN household h ON h.id = m.household_id"
                                      " WHERE m.id_number = ? AND m.deleted = 0 AND h.deleted = 0"
                                      " AND h.status = 'active' AND h.id IS NOT ? LIMIT 1", NULL);
  char *owner = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, except_household, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return owner;
}

static gboolean
check_member (ZzStore *self, const ZzMemberInput *in, const char *household_id, CleanMember *out,
              GError **error)
{
  g_autofree char *id = zz_verb_clean_text (in->id_number);
  g_autofree char *phone = zz_verb_clean_text (in->phone);

  out->name = zz_verb_clean_text (in->name);
  out->relation = zz_verb_clean_text (in->relation);
  out->notes = zz_verb_clean_text (in->notes);
  if (*out->name == '\0' || !text_ok (out->name, ZZ_MAX_NAME))
    return zz_verb_invalid (error, _("Enter each member’s name (at most 50 characters)."));
  if (!text_ok (out->relation, 20))
    return zz_verb_invalid (error, _("A relation is at most 20 characters."));
  if (!text_ok (out->notes, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("Notes are at most 2,000 characters."));
  if (*id)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *owner = NULL;

      if (!zz_idcard_validate (id, &out->id_number, &local))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("ID number of %s: %s"), out->name, local->message);
          return FALSE;
        }
      owner = id_number_owner (self, out->id_number, household_id);
      if (owner)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("The ID number of %s is already on file, in the household of %s."), out->name, owner);
          return FALSE;
        }
    }
  if (*phone)
    {
      g_autoptr(GError) local = NULL;
      if (!zz_phone_validate (phone, &out->phone, &local))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Phone of %s: %s"), out->name, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
insert_member (ZzStore *self, const char *household_id, const char *home, const CleanMember *m,
               char **out_id, GError **error)
{
  g_autofree char *id = zz_store_new_id (self);
  ZzField f[] = {
    ZZ_F_TEXT ("household_id", household_id),
    ZZ_F_TEXT ("name", m->name),
    ZZ_F_TEXT ("relation", *m->relation ? m->relation : NULL),
    ZZ_F_TEXT ("id_number", m->id_number),
    ZZ_F_TEXT ("phone", m->phone),
    ZZ_F_TEXT ("notes", *m->notes ? m->notes : NULL),
  };

  if (!zz_store_insert_row (self, "household_member", id, home, f, G_N_ELEMENTS (f), error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

typedef struct {
  char *user_id, *name, *phone;
} CleanOfficial;

static void
clean_official_clear (CleanOfficial *o)
{
  g_free (o->user_id);
  g_free (o->name);
  g_free (o->phone);
}

static gboolean
check_officials (ZzStore *self, const ZzOfficialInput *in, guint n, GArray *out, GError **error)
{
  if (n == 0)
    return zz_verb_invalid (error, _("Name at least one responsible official (包保责任人)."));
  if (n > ZZ_HOUSEHOLD_MAX_OFFICIALS)
    return zz_verb_invalid (error, _("A household has at most 10 responsible officials."));
  for (guint i = 0; i < n; i++)
    {
      CleanOfficial o = { 0 };
      g_autofree char *phone = zz_verb_clean_text (in[i].phone);

      if (in[i].user_id)
        {
          sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT name FROM user WHERE id = ? AND deleted = 0 AND active = 1", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_text (stmt, 1, in[i].user_id, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            o.name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
          if (!o.name)
            return zz_verb_invalid (error, _("A responsible official is not an active user."));
          o.user_id = g_strdup (in[i].user_id);
        }
      else
        {
          o.name = zz_verb_clean_text (in[i].name);
          if (*o.name == '\0' || !text_ok (o.name, ZZ_MAX_NAME))
            {
              clean_official_clear (&o);
              return zz_verb_invalid (error, _("Enter each responsible official’s name (at most 50 characters)."));
            }
        }
      if (*phone)
        {
          g_autoptr(GError) local = NULL;
          if (!zz_phone_validate (phone, &o.phone, &local))
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Phone of %s: %s"), o.name, local->message);
              clean_official_clear (&o);
              return FALSE;
            }
        }
      g_array_append_val (out, o);
    }
  return TRUE;
}

static gboolean
insert_officials (ZzStore *self, const char *household_id, const char *home, GArray *officials,
                  GError **error)
{
  for (guint i = 0; i < officials->len; i++)
    {
      CleanOfficial *o = &g_array_index (officials, CleanOfficial, i);
      g_autofree char *id = zz_store_new_id (self);
      ZzField f[] = {
        ZZ_F_TEXT ("household_id", household_id),
        ZZ_F_TEXT ("user_id", o->user_id),
        ZZ_F_TEXT ("name", o->name),
        ZZ_F_TEXT ("phone", o->phone),
      };
      if (!zz_store_insert_row (self, "household_official", id, home, f, G_N_ELEMENTS (f), error))
        return FALSE;
    }
  return TRUE;
}

/* The household as the verbs need it: home and status; NOT_FOUND when missing. */
static ZzRow *
household_row (ZzStore *self, const char *household_id, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, home, status, grade, head_name FROM household"
                                            " WHERE id = ? AND deleted = 0", error);
  ZzRow *row;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  row = zz_store_query_row (self, stmt);
  if (!row)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The household is not on file."));
  return row;
}

static ZzRow *
active_household (ZzStore *self, const char *household_id, GError **error)
{
  ZzRow *row = household_row (self, household_id, error);

  if (row && g_strcmp0 (zz_row_get (row, "status"), "active") != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The household has been de-listed."));
      g_clear_object (&row);
    }
  return row;
}

/* ---- households and members ---- */

typedef struct {
  char *address, *grid, *notes;
  GArray *members;      /* CleanMember */
  GArray *officials;    /* CleanOfficial */
} CleanHousehold;

static void
clean_household_clear (CleanHousehold *h)
{
  g_clear_pointer (&h->address, g_free);
  g_clear_pointer (&h->grid, g_free);
  g_clear_pointer (&h->notes, g_free);
  g_clear_pointer (&h->members, g_array_unref);
  g_clear_pointer (&h->officials, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CleanHousehold, clean_household_clear)

/* Every check a registration makes before it writes anything: the permission, the village, the
 * lengths, each member and official. The household import's dry run calls the very same. */
static gboolean
check_household (ZzStore *self, const ZzHouseholdInput *in, CleanHousehold *out, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  out->address = zz_verb_clean_text (in->address);
  out->grid = zz_verb_clean_text (in->grid_worker);
  out->notes = zz_verb_clean_text (in->notes);
  out->members = g_array_new (FALSE, TRUE, sizeof (CleanMember));
  out->officials = g_array_new (FALSE, TRUE, sizeof (CleanOfficial));
  g_array_set_clear_func (out->members, (GDestroyNotify) clean_member_clear);
  g_array_set_clear_func (out->officials, (GDestroyNotify) clean_official_clear);

  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error)
      || !check_village (self, in->village, error))
    return FALSE;
  if (*out->address == '\0' || !text_ok (out->address, 200))
    return zz_verb_invalid (error, _("Enter the household’s address (at most 200 characters)."));
  if (!text_ok (out->grid, ZZ_MAX_NAME))
    return zz_verb_invalid (error, _("The grid worker’s name is at most 50 characters."));
  if (!text_ok (out->notes, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("Notes are at most 2,000 characters."));
  if (in->n_members == 0)
    return zz_verb_invalid (error, _("Add at least one member: the head of the household."));
  if (in->n_members > ZZ_HOUSEHOLD_MAX_MEMBERS)
    return zz_verb_invalid (error, _("A household has at most 30 members."));
  for (guint i = 0; i < in->n_members; i++)
    {
      CleanMember m = { 0 };
      if (!check_member (self, &in->members[i], NULL, &m, error))
        {
          clean_member_clear (&m);
          return FALSE;
        }
      g_array_append_val (out->members, m);
      if (m.id_number && !g_hash_table_add (seen, g_array_index (out->members, CleanMember, i).id_number))
        return zz_verb_invalid (error, _("Two members have the same ID number."));
    }
  return check_officials (self, in->officials, in->n_officials, out->officials, error);
}

gboolean
zz_store_check_household (ZzStore *self, const ZzHouseholdInput *in, GError **error)
{
  CleanHousehold h = { 0 };
  gboolean ok = check_household (self, in, &h, error);

  clean_household_clear (&h);
  return ok;
}

gboolean
zz_store_register_household (ZzStore *self, const ZzHouseholdInput *in, char **out_id, GError **error)
{
  g_auto(CleanHousehold) h = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *day = NULL;
  GArray *members, *officials;
  const char *address, *grid, *notes;

  if (!check_household (self, in, &h, error))
    return FALSE;
  members = h.members;
  officials = h.officials;
  address = h.address;
  grid = h.grid;
  notes = h.notes;

  id = zz_store_new_id (self);
  day = today (self);
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("address", address),
      ZZ_F_TEXT ("head_name", g_array_index (members, CleanMember, 0).name),
      ZZ_F_TEXT ("grid_worker", *grid ? grid : NULL),
      ZZ_F_TEXT ("notes", *notes ? notes : NULL),
      ZZ_F_TEXT ("grade", ""),
      ZZ_F_TEXT ("status", "active"),
      ZZ_F_TEXT ("registered_on", day),
    };
    if (!zz_store_insert_row (self, "household", id, in->village, f, G_N_ELEMENTS (f), error))
      return zz_verb_fail (self);
  }
  for (guint i = 0; i < members->len; i++)
    if (!insert_member (self, id, in->village, &g_array_index (members, CleanMember, i), NULL, error))
      return zz_verb_fail (self);
  if (!insert_officials (self, id, in->village, officials, error))
    return zz_verb_fail (self);
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
zz_store_update_household (ZzStore *self, const char *household_id, const char *address,
                           const char *grid_worker, const char *notes,
                           const ZzOfficialInput *officials, guint n_officials, GError **error)
{
  g_autofree char *a = zz_verb_clean_text (address);
  g_autofree char *g = zz_verb_clean_text (grid_worker);
  g_autofree char *n = zz_verb_clean_text (notes);
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(GArray) clean_officials = g_array_new (FALSE, TRUE, sizeof (CleanOfficial));
  g_autoptr(GArray) f = g_array_new (FALSE, FALSE, sizeof (ZzField));
  g_autoptr(GListModel) current = NULL;
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_array_set_clear_func (clean_officials, (GDestroyNotify) clean_official_clear);
  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  if (*a == '\0' || !text_ok (a, 200))
    return zz_verb_invalid (error, _("Enter the household’s address (at most 200 characters)."));
  if (!text_ok (g, ZZ_MAX_NAME))
    return zz_verb_invalid (error, _("The grid worker’s name is at most 50 characters."));
  if (!text_ok (n, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("Notes are at most 2,000 characters."));
  if (!check_officials (self, officials, n_officials, clean_officials, error))
    return FALSE;

  stmt = zz_store_stmt (self, "SELECT address, grid_worker, notes FROM household WHERE id = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  {
    g_autoptr(ZzRow) cur = zz_store_query_row (self, stmt);
    if (g_strcmp0 (a, zz_row_get (cur, "address")) != 0)
      g_array_append_val (f, ZZ_F_TEXT ("address", a));
    if (g_strcmp0 (*g ? g : NULL, zz_row_get (cur, "grid_worker")) != 0)
      g_array_append_val (f, ZZ_F_TEXT ("grid_worker", *g ? g : NULL));
    if (g_strcmp0 (*n ? n : NULL, zz_row_get (cur, "notes")) != 0)
      g_array_append_val (f, ZZ_F_TEXT ("notes", *n ? n : NULL));
  }
  /* Officials are replaced only when the list differs. */
  current = zz_store_household_officials (self, household_id);
  for (guint i = 0; i < g_list_model_get_n_items (current); i++)
    {
      g_autoptr(ZzRow) o = g_list_model_get_item (current, i);
      g_string_append_printf (before, "%s|%s|%s\n", zz_row_get (o, "user_id") ? zz_row_get (o, "user_id") : "",
                              zz_row_get (o, "name"), zz_row_get (o, "phone") ? zz_row_get (o, "phone") : "");
    }
  for (guint i = 0; i < clean_officials->len; i++)
    {
      CleanOfficial *o = &g_array_index (clean_officials, CleanOfficial, i);
      g_string_append_printf (after, "%s|%s|%s\n", o->user_id ? o->user_id : "", o->name, o->phone ? o->phone : "");
    }
  if (f->len == 0 && g_str_equal (before->str, after->str))
    return TRUE;

  if (!zz_store_begin (self, error))
    return FALSE;
  if (f->len && !zz_store_set_fields (self, "household", household_id, (ZzField *) f->data, f->len, error))
    return zz_verb_fail (self);
  if (!g_str_equal (before->str, after->str))
    {
      for (guint i = 0; i < g_list_model_get_n_items (current); i++)
        {
          g_autoptr(ZzRow) o = g_list_model_get_item (current, i);
          if (!zz_store_tombstone_row (self, "household_official", zz_row_get_id (o), error))
            return zz_verb_fail (self);
        }
      if (!insert_officials (self, household_id, zz_row_get (h, "home"), clean_officials, error))
        return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

gboolean
zz_store_add_member (ZzStore *self, const char *household_id, const ZzMemberInput *member,
                     char **out_id, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  CleanMember m = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT count(*) FROM household_member WHERE household_id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  if (zz_store_query_int (self, stmt, 0) >= ZZ_HOUSEHOLD_MAX_MEMBERS)
    return zz_verb_invalid (error, _("A household has at most 30 members."));
  if (!check_member (self, member, NULL, &m, error))
    {
      clean_member_clear (&m);
      return FALSE;
    }
  ok = zz_store_begin (self, error)
       && insert_member (self, household_id, zz_row_get (h, "home"), &m, out_id, error);
  clean_member_clear (&m);
  if (!ok)
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

gboolean
zz_store_remove_member (ZzStore *self, const char *member_id, GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(ZzRow) m = NULL;
  g_autoptr(ZzRow) h = NULL;

  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT m.id, m.household_id,"
                              " (SELECT count(*) FROM household_member o WHERE o.household_id = m.household_id AND o.deleted = 0) AS n,"
                              " (SELECT o.id FROM household_member o WHERE o.household_id = m.household_id AND o.deleted = 0"
                              "  ORDER BY o.created_hlc, o.id LIMIT 1) AS head"
                              " FROM household_member m WHERE m.id = ? AND m.deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member_id, -1, SQLITE_TRANSIENT);
  m = zz_store_query_row (self, stmt);
  if (!m)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The member is no longer on file."));
      return FALSE;
    }
  h = active_household (self, zz_row_get (m, "household_id"), error);
  if (!h)
    return FALSE;
  if (g_strcmp0 (zz_row_get (m, "head"), member_id) == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The head of the household cannot be removed."));
      return FALSE;
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!zz_store_tombstone_row (self, "household_member", member_id, error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

/* ---- assessment and grading ---- */

/* The latest sign-off step of a household: its kind, round, step, decision, grade, signer. */
static ZzRow *
last_signoff (ZzStore *self, const char *household_id)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT kind, round_id, step, decision, grade, assessment_id,"
                                            " reason, user_id, signed_at FROM household_signoff"
                                            " WHERE household_id = ? AND deleted = 0"
                                            " ORDER BY signed_at DESC, id DESC LIMIT 1", NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_row (self, stmt);
}

/* The round waiting for a step, or NULL when none is open. */
static ZzRow *
open_round (ZzStore *self, const char *household_id)
{
  ZzRow *last = last_signoff (self, household_id);

  if (last && (zz_row_get_int (last, "step") >= ZZ_SIGNOFF_APPROVED
               || g_strcmp0 (zz_row_get (last, "decision"), "agreed") != 0))
    g_clear_object (&last);
  return last;
}

static ZzSignoffKind
kind_of (ZzRow *signoff)
{
  return g_strcmp0 (zz_row_get (signoff, "kind"), "delist") == 0 ? ZZ_SIGNOFF_DELIST : ZZ_SIGNOFF_GRADE;
}

static gboolean
insert_signoff (ZzStore *self, ZzRow *h, ZzSignoffKind kind, const char *round_id, ZzSignoffStep step,
                const char *decision, const char *grade, const char *assessment_id, const char *reason,
                const char *note, char **out_id, GError **error)
{
  g_autofree char *id = zz_store_new_id (self);
  g_autofree char *day = today (self);
  g_autoptr(ZzRow) last = last_signoff (self, zz_row_get_id (h));
  /* Steps are ordered by signed_at: a step written in the same millisecond as the one before it
   * (a withdrawal and the new proposal of one save) still comes after it. */
  gint64 at = MAX (zz_store_now (self), last ? zz_row_get_int (last, "signed_at") + 1 : 0);
  ZzField f[] = {
    ZZ_F_TEXT ("household_id", zz_row_get_id (h)),
    ZZ_F_TEXT ("kind", kind == ZZ_SIGNOFF_DELIST ? "delist" : "grade"),
    ZZ_F_TEXT ("round_id", round_id ? round_id : id),
    ZZ_F_INT ("step", step),
    ZZ_F_TEXT ("decision", decision),
    ZZ_F_TEXT ("grade", grade),
    ZZ_F_TEXT ("assessment_id", assessment_id),
    ZZ_F_TEXT ("reason", reason && *reason ? reason : NULL),
    ZZ_F_TEXT ("note", note && *note ? note : NULL),
    ZZ_F_INT ("signed_at", at),
    ZZ_F_TEXT ("day", day),
    ZZ_F_TEXT ("user_id", self->user_id),
  };

  if (!zz_store_insert_row (self, "household_signoff", id, zz_row_get (h, "home"), f, G_N_ELEMENTS (f), error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* The checks of a proposal (小组初定) of @grade against an assessment suggesting @suggested. With
 * @assessing, an open grading round is no obstacle: the new assessment withdraws it. */
static gboolean
check_proposal (ZzStore *self, const char *household_id, ZzGrade grade, const char *reason,
                ZzGrade suggested, gboolean assessing, GError **error)
{
  g_autoptr(ZzRow) pending = open_round (self, household_id);

  if (pending && !(assessing && kind_of (pending) == ZZ_SIGNOFF_GRADE))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("A sign-off is already under way; the next step is “%s”."),
                   zz_signoff_step_name (kind_of (pending), zz_signoff_next (kind_of (pending), zz_row_get_int (pending, "step"))));
      return FALSE;
    }
  if (!zz_signoff_check (ZZ_SIGNOFF_GRADE, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_PROPOSED, self->role, self->user_id, error))
    return FALSE;
  if (grade < ZZ_GRADE_LOW || grade > ZZ_GRADE_HIGH)
    return zz_verb_invalid (error, _("Choose a grade: high, medium or low."));
  if (suggested != grade && *reason == '\0')
    return zz_verb_invalid (error, _("Give the reason for a grade other than the one the assessment suggests."));
  if (!text_ok (reason, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("The text is too long."));
  return TRUE;
}

gboolean
zz_store_propose_grade (ZzStore *self, const char *household_id, ZzGrade grade, const char *reason,
                        GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) assessment = NULL;
  g_autofree char *r = zz_verb_clean_text (reason);
  sqlite3_stmt *stmt;

  if (!zz_store_require (self, ZZ_PERM_VIEW_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT id, grade, score FROM household_assessment WHERE household_id = ? AND deleted = 0"
                              " ORDER BY assessed_at DESC, id DESC LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  assessment = zz_store_query_row (self, stmt);
  if (!check_proposal (self, household_id, grade, r,
                       assessment ? zz_grade_from_key (zz_row_get (assessment, "grade")) : grade, FALSE, error))
    return FALSE;
  if (!assessment)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Assess the household before proposing a grade."));
      return FALSE;
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!insert_signoff (self, h, ZZ_SIGNOFF_GRADE, NULL, ZZ_SIGNOFF_PROPOSED, "agreed", zz_grade_key (grade),
                       zz_row_get_id (assessment), r, NULL, NULL, error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

gboolean
zz_store_assess_household (ZzStore *self, const char *household_id, guint factors,
                           const char *other_text, const char *note, char **out_id, GError **error)
{
  return zz_store_assess_and_propose (self, household_id, factors, other_text, note, FALSE, ZZ_GRADE_NONE,
                                      NULL, out_id, error);
}

gboolean
zz_store_assess_and_propose (ZzStore *self, const char *household_id, guint factors,
                             const char *other_text, const char *note, gboolean propose,
                             ZzGrade grade, const char *reason, char **out_id, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) pending = NULL;
  g_autofree char *other = zz_verb_clean_text (other_text);
  g_autofree char *n = zz_verb_clean_text (note);
  g_autofree char *r = zz_verb_clean_text (reason);
  g_autofree char *keys = NULL;
  g_autofree char *scheme_text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *day = NULL;
  ZzRiskScheme scheme;
  ZzGrade suggested;
  guint score;

  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  if (factors >= (1u << ZZ_RISK_N_FACTORS))
    return zz_verb_invalid (error, _("Unknown risk factor."));
  if ((factors & (1u << ZZ_RISK_OTHER)) && *other == '\0')
    return zz_verb_invalid (error, _("Describe the other risk factor."));
  if (!(factors & (1u << ZZ_RISK_OTHER)) && *other)
    return zz_verb_invalid (error, _("Tick “Other” to describe another risk factor."));
  if (!text_ok (other, 200) || !text_ok (n, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("The text is too long."));

  zz_store_get_risk_scheme (self, &scheme);
  score = zz_risk_score (&scheme, factors);
  suggested = zz_risk_grade_for_score (&scheme, score);
  /* Every check before the first write: a refused proposal leaves no assessment behind. */
  if (propose && !check_proposal (self, household_id, grade, r, suggested, TRUE, error))
    return FALSE;
  keys = zz_risk_factors_to_string (factors);
  scheme_text = zz_risk_scheme_to_string (&scheme);
  id = zz_store_new_id (self);
  day = today (self);
  pending = open_round (self, household_id);
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("household_id", household_id),
      ZZ_F_TEXT ("factors", keys),
      ZZ_F_TEXT ("other_text", *other ? other : NULL),
      ZZ_F_TEXT ("scheme", scheme_text),
      ZZ_F_INT ("score", score),
      ZZ_F_TEXT ("grade", zz_grade_key (suggested)),
      ZZ_F_TEXT ("note", *n ? n : NULL),
      ZZ_F_INT ("assessed_at", zz_store_now (self)),
      ZZ_F_TEXT ("day", day),
      ZZ_F_TEXT ("assessor_id", self->user_id),
    };
    if (!zz_store_insert_row (self, "household_assessment", id, zz_row_get (h, "home"), f, G_N_ELEMENTS (f), error))
      return zz_verb_fail (self);
  }
  /* A grading round rests on the assessment before this one: the new assessment withdraws it, so
   * that the group can propose again from what was found now (a restart, never a dead end). */
  if (pending && kind_of (pending) == ZZ_SIGNOFF_GRADE
      && !insert_signoff (self, h, ZZ_SIGNOFF_GRADE, zz_row_get (pending, "round_id"),
                          zz_signoff_next (ZZ_SIGNOFF_GRADE, zz_row_get_int (pending, "step")), "withdrawn",
                          zz_row_get (pending, "grade"), zz_row_get (pending, "assessment_id"), NULL,
                          _("Withdrawn: the household was assessed again."), NULL, error))
    return zz_verb_fail (self);
  if (propose && !insert_signoff (self, h, ZZ_SIGNOFF_GRADE, NULL, ZZ_SIGNOFF_PROPOSED, "agreed",
                                  zz_grade_key (grade), id, r, NULL, NULL, error))
    return zz_verb_fail (self);
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* The checks before deciding on the pending round of @kind at @step: the household is active, a
 * round of that kind waits, the step and role fit, and a refusal says why. */
static gboolean
prepare_decision (ZzStore *self, const char *household_id, ZzSignoffKind kind, ZzSignoffStep step,
                  gboolean agree, const char *note, const char *none_waiting, const char *why_refused,
                  ZzRow **out_household, ZzRow **out_pending, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) pending = NULL;

  if (!zz_store_require (self, ZZ_PERM_VIEW_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  pending = open_round (self, household_id);
  if (!pending || kind_of (pending) != kind)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, none_waiting);
      return FALSE;
    }
  if (!zz_signoff_decide_check (kind, zz_row_get_int (pending, "step"), zz_row_get (pending, "user_id"),
                                step, agree, self->role, self->user_id, error))
    return FALSE;
  if (!agree && *note == '\0')
    return zz_verb_invalid (error, why_refused);
  if (!text_ok (note, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("The text is too long."));
  *out_household = g_steal_pointer (&h);
  *out_pending = g_steal_pointer (&pending);
  return TRUE;
}

gboolean
zz_store_sign_grade (ZzStore *self, const char *household_id, ZzSignoffStep step, gboolean agree,
                     const char *note, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) pending = NULL;
  g_autofree char *n = zz_verb_clean_text (note);

  if (!prepare_decision (self, household_id, ZZ_SIGNOFF_GRADE, step, agree, n,
                         _("No grade is waiting to be signed off."), _("Say why the grade is sent back."),
                         &h, &pending, error))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!insert_signoff (self, h, ZZ_SIGNOFF_GRADE, zz_row_get (pending, "round_id"), step,
                       agree ? "agreed" : "returned",
                       zz_row_get (pending, "grade"), zz_row_get (pending, "assessment_id"), NULL, n, NULL, error))
    return zz_verb_fail (self);
  /* The grade takes effect only with the township's approval. */
  if (agree && step == ZZ_SIGNOFF_APPROVED)
    {
      g_autofree char *day = today (self);
      ZzField f[] = { ZZ_F_TEXT ("grade", zz_row_get (pending, "grade")), ZZ_F_TEXT ("graded_on", day) };
      if (!zz_store_set_fields (self, "household", household_id, f, G_N_ELEMENTS (f), error))
        return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

guint
zz_store_household_signoff_options (ZzStore *self, const char *household_id, char **out_who)
{
  g_autoptr(ZzRow) pending = NULL;
  g_autoptr(ZzRow) h = NULL;
  ZzSignoffStep done;

  if (out_who)
    *out_who = NULL;
  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS) || !(h = active_household (self, household_id, NULL)))
    return 0;
  pending = open_round (self, household_id);
  if (!pending)
    return 0;
  done = zz_row_get_int (pending, "step");
  if (out_who)
    *out_who = zz_signoff_who_can (kind_of (pending), done);
  return zz_signoff_options (kind_of (pending), done, zz_row_get (pending, "user_id"), self->role, self->user_id);
}

gboolean
zz_store_request_delist (ZzStore *self, const char *household_id, const char *reason, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) pending = NULL;
  g_autofree char *r = zz_verb_clean_text (reason);

  if (!zz_store_require (self, ZZ_PERM_VIEW_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  pending = open_round (self, household_id);
  if (pending)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("A sign-off is already under way; the next step is “%s”."),
                   zz_signoff_step_name (kind_of (pending), zz_signoff_next (kind_of (pending), zz_row_get_int (pending, "step"))));
      return FALSE;
    }
  if (!zz_signoff_check (ZZ_SIGNOFF_DELIST, ZZ_SIGNOFF_NONE, NULL, ZZ_SIGNOFF_PROPOSED, self->role, self->user_id, error))
    return FALSE;
  if (*r == '\0' || !text_ok (r, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("Give the reason for de-listing the household."));
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!insert_signoff (self, h, ZZ_SIGNOFF_DELIST, NULL, ZZ_SIGNOFF_PROPOSED, "agreed", NULL, NULL, r, NULL, NULL, error))
    return zz_verb_fail (self);
  return zz_store_commit (self, error);
}

gboolean
zz_store_decide_delist (ZzStore *self, const char *household_id, gboolean approve, const char *note,
                        GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autoptr(ZzRow) pending = NULL;
  g_autofree char *n = zz_verb_clean_text (note);

  if (!prepare_decision (self, household_id, ZZ_SIGNOFF_DELIST, ZZ_SIGNOFF_APPROVED, approve, n,
                         _("No de-listing is waiting for approval."), _("Say why the de-listing is refused."),
                         &h, &pending, error))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  if (!insert_signoff (self, h, ZZ_SIGNOFF_DELIST, zz_row_get (pending, "round_id"), ZZ_SIGNOFF_APPROVED,
                       approve ? "agreed" : "returned", NULL, NULL, NULL, n, NULL, error))
    return zz_verb_fail (self);
  if (approve)
    {
      g_autofree char *day = today (self);
      ZzField f[] = {
        ZZ_F_TEXT ("status", "delisted"),
        ZZ_F_TEXT ("delisted_on", day),
        ZZ_F_TEXT ("delist_reason", zz_row_get (pending, "reason")),
      };
      if (!zz_store_set_fields (self, "household", household_id, f, G_N_ELEMENTS (f), error))
        return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

/* ---- visits ---- */

gboolean
zz_store_log_household_visit (ZzStore *self, const char *household_id, const ZzHouseholdVisitInput *in,
                              char **out_id, GError **error)
{
  g_autoptr(ZzRow) h = NULL;
  g_autofree char *visitors = zz_verb_clean_text (in->visitors);
  g_autofree char *found = zz_verb_clean_text (in->found);
  g_autofree char *measures = zz_verb_clean_text (in->measures);
  g_autofree char *now_day = NULL;
  g_autofree char *day = NULL;
  g_autofree char *id = NULL;
  GDate d;

  if (!zz_store_require (self, ZZ_PERM_EDIT_HOUSEHOLDS, error))
    return FALSE;
  h = active_household (self, household_id, error);
  if (!h)
    return FALSE;
  now_day = today (self);
  /* The day as people write it (2026/3/25, 2026年3月25日), stored as 2026-03-25. */
  if (!zz_date_parse (in->day, &d, error))
    return FALSE;
  day = zz_date_to_string (&d);
  if (strcmp (day, now_day) > 0)
    return zz_verb_invalid (error, _("The day of the visit cannot be in the future."));
  if (*visitors == '\0' || !text_ok (visitors, 200))
    return zz_verb_invalid (error, _("Enter who visited (at most 200 characters)."));
  if (*found == '\0' || !text_ok (found, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("Enter what was found (at most 2,000 characters)."));
  if (!text_ok (measures, ZZ_HOUSEHOLD_MAX_TEXT))
    return zz_verb_invalid (error, _("The text is too long."));

  id = zz_store_new_id (self);
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("household_id", household_id),
      ZZ_F_TEXT ("day", day),
      ZZ_F_TEXT ("visitors", visitors),
      ZZ_F_TEXT ("found", found),
      ZZ_F_TEXT ("measures", *measures ? measures : NULL),
      ZZ_F_INT ("reassess", in->reassess ? 1 : 0),
      ZZ_F_TEXT ("logged_by", self->user_id),
      ZZ_F_INT ("logged_at", zz_store_now (self)),
    };
    if (!zz_store_insert_row (self, "household_visit", id, zz_row_get (h, "home"), f, G_N_ELEMENTS (f), error))
      return zz_verb_fail (self);
  }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* ---- queries ---- */

/* The village's name is looked up only for the rows returned. */
#define HOUSEHOLD_BASE \
  "SELECT h.id, h.home, h.address, h.head_name, h.grade, h.graded_on, h.status, lv.day AS last_visit" \
  " FROM household h LEFT JOIN household_last_visit lv ON lv.household_id = h.id" \
  " WHERE h.deleted = 0"

#define HOUSEHOLD_WHERE \
  " AND h.status = CASE WHEN ?2 THEN 'delisted' ELSE 'active' END" \
  " AND (?3 IS NULL OR h.home GLOB ?3 || '*')" \
  " AND (?4 < 0 OR h.grade = ?5)" \
  " AND (NOT ?6 OR EXISTS (SELECT 1 FROM household_official f WHERE f.household_id = h.id" \
  "      AND f.deleted = 0 AND f.user_id = ?7))" \
  " AND (?8 IS NULL OR instr(h.address, ?8) OR instr(h.head_name, ?8) OR EXISTS (SELECT 1 FROM household_member m" \
  "      WHERE m.household_id = h.id AND m.deleted = 0 AND (instr(m.name, ?8) OR instr(m.phone, ?8)" \
  "      OR instr(m.id_number, ?8))))"

static void
bind_filter (ZzStore *self, sqlite3_stmt *stmt, const ZzHouseholdFilter *f, char *q)
{
  sqlite3_bind_text (stmt, 1, q, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, f && f->delisted);
  if (f && f->org_unit && *f->org_unit)
    sqlite3_bind_text (stmt, 3, f->org_unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, f ? f->grade : -1);
  sqlite3_bind_text (stmt, 5, zz_grade_key (f && f->grade >= 0 ? f->grade : ZZ_GRADE_NONE), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, f && f->mine_only);
  sqlite3_bind_text (stmt, 7, self->user_id, -1, SQLITE_STATIC);
}

GListModel *
zz_store_list_households (ZzStore *self, const ZzHouseholdFilter *filter, guint limit, guint *out_total)
{
  g_autofree char *day = today (self);
  g_autofree char *q = zz_verb_clean_text (filter ? filter->query : NULL);
  sqlite3_stmt *stmt;
  GListModel *rows;

  if (out_total)
    *out_total = 0;
  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  zz_store_prepare_household_due (self);
  /* ?1 is today; the sign-off state is looked up only for the rows returned. */
  stmt = zz_store_stmt (self,
                        "SELECT l.*, (SELECT CASE WHEN s.decision = 'agreed' AND s.step < 3 THEN"
                        "   CASE WHEN s.kind = 'delist' THEN 3 ELSE s.step + 1 END ELSE 0 END"
                        "   FROM household_signoff s WHERE s.household_id = l.id AND s.deleted = 0"
                        "   ORDER BY s.signed_at DESC, s.id DESC LIMIT 1) AS pending,"
                        " (SELECT s.kind FROM household_signoff s WHERE s.household_id = l.id AND s.deleted = 0"
                        "   ORDER BY s.signed_at DESC, s.id DESC LIMIT 1) AS pending_kind,"
                        " (SELECT o.name FROM org_unit o WHERE o.code = l.home) AS village FROM ("
                        "  SELECT d.*, (d.status = 'active' AND d.next_due < ?1) AS overdue FROM ("
                        "   SELECT b.*, zz_household_due(b.grade, b.last_visit, b.graded_on) AS next_due FROM ("
                        HOUSEHOLD_BASE HOUSEHOLD_WHERE ") b) d"
                        "  WHERE NOT ?10 OR (d.status = 'active' AND d.next_due < ?1)"
                        "  ORDER BY overdue DESC, d.next_due IS NULL, d.next_due, d.head_name, d.id LIMIT ?9) l"
                        " ORDER BY l.overdue DESC, l.next_due IS NULL, l.next_due, l.head_name, l.id", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  bind_filter (self, stmt, filter, NULL);
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  if (*q)
    sqlite3_bind_text (stmt, 8, q, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, limit ? limit : 200);
  sqlite3_bind_int (stmt, 10, filter && filter->overdue_only);
  rows = zz_store_query_rows (self, stmt);
  /* The total apart: counting needs no due dates unless only overdue ones are asked for. */
  if (out_total && g_list_model_get_n_items (rows) < (limit ? limit : 200))
    *out_total = g_list_model_get_n_items (rows);
  else if (out_total)
    {
      stmt = zz_store_stmt (self,
                            "SELECT count(*) FROM (" HOUSEHOLD_BASE HOUSEHOLD_WHERE ") b"
                            " WHERE NOT ?10 OR (b.status = 'active'"
                            "  AND zz_household_due(b.grade, b.last_visit, b.graded_on) < ?1)", NULL);
      if (stmt)
        {
          bind_filter (self, stmt, filter, NULL);
          sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
          if (*q)
            sqlite3_bind_text (stmt, 8, q, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 10, filter && filter->overdue_only);
          *out_total = (guint) zz_store_query_int (self, stmt, 0);
        }
    }
  return rows;
}

GListModel *
zz_store_household_counts (ZzStore *self, const char *org_unit)
{
  g_autofree char *day = today (self);
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  zz_store_prepare_household_due (self);
  stmt = zz_store_stmt (self,
                        "SELECT b.home AS code, (SELECT o.name FROM org_unit o WHERE o.code = b.home) AS name,"
                        " sum(b.grade = 'high') AS high, sum(b.grade = 'medium') AS medium,"
                        " sum(b.grade = 'low') AS low, sum(b.grade = '') AS ungraded,"
                        " sum(zz_household_due(b.grade, b.last_visit, b.graded_on) < ?1) AS overdue FROM ("
                        HOUSEHOLD_BASE " AND h.status = 'active' AND (?2 IS NULL OR h.home GLOB ?2 || '*')) b"
                        " GROUP BY b.home ORDER BY overdue DESC, high DESC, b.home", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  if (org_unit && *org_unit)
    sqlite3_bind_text (stmt, 2, org_unit, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

ZzRow *
zz_store_get_household (ZzStore *self, const char *household_id)
{
  g_autofree char *day = today (self);
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return NULL;
  zz_store_prepare_household_due (self);
  stmt = zz_store_stmt (self,
                        "SELECT b.*, zz_household_due(b.grade, b.last_visit, b.graded_on) AS next_due,"
                        " b.status = 'active' AND zz_household_due(b.grade, b.last_visit, b.graded_on) < ?1 AS overdue,"
                        " s.kind AS pending_kind, s.grade AS pending_grade, s.reason AS pending_reason,"
                        " s.user_id AS pending_signer,"
                        " CASE WHEN s.decision = 'agreed' AND s.step < 3 THEN"
                        "   CASE WHEN s.kind = 'delist' THEN 3 ELSE s.step + 1 END ELSE 0 END AS pending"
                        " FROM (SELECT h.id, h.home, o.name AS village, h.address, h.head_name, h.grade, h.graded_on,"
                        "  h.status, h.grid_worker, h.notes, h.delisted_on, h.delist_reason, h.registered_on,"
                        "  lv.day AS last_visit FROM household h JOIN org_unit o ON o.code = h.home"
                        "  LEFT JOIN household_last_visit lv ON lv.household_id = h.id"
                        "  WHERE h.id = ?2 AND h.deleted = 0) b"
                        " LEFT JOIN household_signoff s ON s.id = (SELECT id FROM household_signoff"
                        "  WHERE household_id = b.id AND deleted = 0 ORDER BY signed_at DESC, id DESC LIMIT 1)", NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, household_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_row (self, stmt);
}

GListModel *
zz_store_household_members (ZzStore *self, const char *household_id)
{
  sqlite3_stmt *stmt;
  GListModel *rows;
  gboolean full = zz_store_can (self, ZZ_PERM_VIEW_FULL_ID);

  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self, "SELECT m.id, m.name, m.relation, " ZZ_MASKED_ID ("m.id_number", "?2") " AS id_number,"
                              " m.phone, m.notes FROM household_member m"
                              " WHERE m.household_id = ?1 AND m.deleted = 0 ORDER BY m.created_hlc, m.id", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, full);
  rows = zz_store_query_rows (self, stmt);
  if (full)
    {
      gboolean tx = zz_store_begin (self, NULL);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
          if (zz_row_get (r, "id_number"))
            zz_store_log_access (self, "household_member.id_number", zz_row_get_id (r));
        }
      if (tx)
        zz_store_commit (self, NULL);
    }
  return rows;
}

/* The records of one household (officials, assessments, sign-offs, visits), for those who may
 * see households; @sql takes the household id as its one parameter. */
static GListModel *
household_rows (ZzStore *self, const char *household_id, const char *sql)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self, sql, NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_household_officials (ZzStore *self, const char *household_id)
{
  return household_rows (self, household_id,
                         "SELECT id, user_id, name, phone FROM household_official"
                         " WHERE household_id = ? AND deleted = 0 ORDER BY created_hlc, id");
}

GListModel *
zz_store_household_assessments (ZzStore *self, const char *household_id)
{
  return household_rows (self, household_id,
                         "SELECT a.id, a.factors, a.other_text, a.score, a.grade, a.note, a.day,"
                         " u.name AS assessor FROM household_assessment a"
                         " LEFT JOIN user u ON u.id = a.assessor_id"
                         " WHERE a.household_id = ? AND a.deleted = 0"
                         " ORDER BY a.assessed_at DESC, a.id DESC");
}

GListModel *
zz_store_household_signoffs (ZzStore *self, const char *household_id)
{
  return household_rows (self, household_id,
                         "SELECT s.id, s.kind, s.round_id, s.step, s.decision, s.grade, s.reason,"
                         " s.note, s.day, u.name AS signer FROM household_signoff s"
                         " LEFT JOIN user u ON u.id = s.user_id"
                         " WHERE s.household_id = ? AND s.deleted = 0"
                         " ORDER BY s.signed_at DESC, s.id DESC");
}

GListModel *
zz_store_household_visits (ZzStore *self, const char *household_id)
{
  return household_rows (self, household_id,
                         "SELECT v.id, v.day, v.visitors, v.found, v.measures, v.reassess,"
                         " u.name AS logged_by_name FROM household_visit v"
                         " LEFT JOIN user u ON u.id = v.logged_by"
                         " WHERE v.household_id = ? AND v.deleted = 0"
                         " ORDER BY v.day DESC, v.logged_at DESC");
}

GListModel *
zz_store_household_villages (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT o.code, o.name, t.name AS township FROM org_unit o"
                                            " LEFT JOIN org_unit t ON t.code = o.parent"
                                            " WHERE o.level = 5 AND o.code GLOB ? || '*' ORDER BY o.code", NULL);

  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, self->node_org_unit ? self->node_org_unit : "", -1, SQLITE_STATIC);
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_household_users (ZzStore *self)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_HOUSEHOLDS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self, "SELECT id, name, role FROM user WHERE deleted = 0 AND active = 1"
                              " AND role IN ('clerk', 'mediator', 'supervisor') ORDER BY name", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (self, stmt);
}
