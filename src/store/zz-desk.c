/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-reference.h"
#include "zz-cases.h"
#include "zz-verb-private.h"

/* Rows that carry a full ID number for a role allowed to see it go into the access log. */
static GListModel *
log_full_ids (ZzStore *self, GListModel *rows, const char *person_column)
{
  gboolean tx;

  if (!zz_store_can (self, ZZ_PERM_VIEW_FULL_ID) || g_list_model_get_n_items (rows) == 0)
    return rows;
  /* One commit for the lot, not one per row. */
  tx = zz_store_begin (self, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      if (zz_row_get (r, "id_number"))
        zz_store_log_access (self, "person.id_number", zz_row_get (r, person_column));
    }
  if (tx)
    zz_store_commit (self, NULL);
  return rows;
}

/* ---- departments and windows ---- */

GListModel *
zz_store_list_departments (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT d.id, d.name, d.stationing, d.weekdays, d.retired,"
                                      " w.id AS window_id, w.number AS window_number"
                                      " FROM department d LEFT JOIN window w ON w.department_id = d.id AND w.deleted = 0"
                                      " WHERE d.deleted = 0 ORDER BY d.retired, w.number, d.name", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (self, stmt);
}

GListModel *
zz_store_list_windows (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT w.id, w.number, d.id AS department_id, d.name AS department,"
                                      " d.stationing, d.weekdays"
                                      " FROM window w JOIN department d ON d.id = w.department_id"
                                      " WHERE w.deleted = 0 AND d.deleted = 0 AND d.retired = 0"
                                      " ORDER BY w.number", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (self, stmt);
}

gboolean
zz_store_save_department (ZzStore    *self,
                          const char *department_id,
                          const char *name,
                          int         window_number,
                          const char *stationing,
                          guint       weekdays,
                          char      **out_id,
                          GError    **error)
{
  g_autofree char *clean_name = zz_verb_clean_text (name);
  g_autoptr(ZzRow) current = NULL;
  sqlite3_stmt *stmt;
  guint n_modes;
  const ZzVocab *modes = zz_stationing_modes (&n_modes);

  if (!zz_store_require (self, ZZ_PERM_MANAGE_DEPARTMENTS, error))
    return FALSE;
  if (*clean_name == '\0' || g_utf8_strlen (clean_name, -1) > 50)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter the department’s name (at most 50 characters)."));
      return FALSE;
    }
  if (window_number < 1 || window_number > 99)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A window number is between 1 and 99."));
      return FALSE;
    }
  if (!zz_vocab_has (modes, n_modes, stationing))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose how the department is stationed."));
      return FALSE;
    }
  weekdays &= 0x7f;
  if (g_str_equal (stationing, "rotating") && weekdays == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("A rotating department needs the weekdays it is at the centre."));
      return FALSE;
    }
  if (g_str_equal (stationing, "permanent") && weekdays == 0)
    weekdays = 0x1f;
  if (department_id)
    {
      stmt = zz_store_stmt (self, "SELECT d.id, d.name, d.stationing, d.weekdays, w.id AS window_id,"
                                  " w.number AS window_number FROM department d"
                                  " LEFT JOIN window w ON w.department_id = d.id AND w.deleted = 0"
                                  " WHERE d.id = ? AND d.deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, department_id, -1, SQLITE_TRANSIENT);
      current = zz_store_query_row (self, stmt);
      if (!current)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The department no longer exists."));
          return FALSE;
        }
    }
  stmt = zz_store_stmt (self, "SELECT d.name FROM window w JOIN department d ON d.id = w.department_id"
                              " WHERE w.number = ? AND w.deleted = 0 AND d.deleted = 0 AND d.retired = 0"
                              " AND d.id IS NOT ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_int (stmt, 1, window_number);
  sqlite3_bind_text (stmt, 2, department_id, -1, SQLITE_TRANSIENT);
  {
    g_autoptr(ZzRow) other = zz_store_query_row (self, stmt);
    if (other)
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Window %d is already used by %s."),
                     window_number, zz_row_get (other, "name"));
        return FALSE;
      }
  }

  if (!zz_store_begin (self, error))
    return FALSE;
  if (!current)
    {
      g_autofree char *id = zz_store_new_id (self);
      g_autofree char *window_id = zz_store_new_id (self);
      ZzField d[] = {
        ZZ_F_TEXT ("name", clean_name),
        ZZ_F_TEXT ("stationing", stationing),
        ZZ_F_INT ("weekdays", weekdays),
        ZZ_F_INT ("retired", 0),
      };
      ZzField w[] = {
        ZZ_F_TEXT ("department_id", id),
        ZZ_F_INT ("number", window_number),
      };
      if (!zz_store_insert_row (self, "department", id, self->node_org_unit, d, G_N_ELEMENTS (d), error)
          || !zz_store_insert_row (self, "window", window_id, self->node_org_unit, w, G_N_ELEMENTS (w), error))
        return zz_verb_fail (self);
      if (out_id)
        *out_id = g_steal_pointer (&id);
    }
  else
    {
      g_autoptr(GArray) f = g_array_new (FALSE, FALSE, sizeof (ZzField));

      if (g_strcmp0 (clean_name, zz_row_get (current, "name")) != 0)
        g_array_append_val (f, ZZ_F_TEXT ("name", clean_name));
      if (g_strcmp0 (stationing, zz_row_get (current, "stationing")) != 0)
        g_array_append_val (f, ZZ_F_TEXT ("stationing", stationing));
      if ((gint64) weekdays != zz_row_get_int (current, "weekdays"))
        g_array_append_val (f, ZZ_F_INT ("weekdays", weekdays));
      if (f->len && !zz_store_set_fields (self, "department", department_id, (ZzField *) f->data, f->len, error))
        return zz_verb_fail (self);
      if (!zz_row_get (current, "window_id"))
        {
          g_autofree char *window_id = zz_store_new_id (self);
          ZzField w[] = { ZZ_F_TEXT ("department_id", department_id), ZZ_F_INT ("number", window_number) };
          if (!zz_store_insert_row (self, "window", window_id, self->node_org_unit, w, G_N_ELEMENTS (w), error))
            return zz_verb_fail (self);
        }
      else if (window_number != zz_row_get_int (current, "window_number"))
        {
          ZzField w[] = { ZZ_F_INT ("number", window_number) };
          if (!zz_store_set_fields (self, "window", zz_row_get (current, "window_id"), w, 1, error))
            return zz_verb_fail (self);
        }
      if (out_id)
        *out_id = g_strdup (department_id);
    }
  return zz_store_commit (self, error);
}

gboolean
zz_store_retire_department (ZzStore    *self,
                            const char *department_id,
                            gboolean    retired,
                            GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 current;

  if (!zz_store_require (self, ZZ_PERM_MANAGE_DEPARTMENTS, error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT retired FROM department WHERE id = ? AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, department_id, -1, SQLITE_TRANSIENT);
  current = zz_store_query_int (self, stmt, -1);
  if (current < 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The department no longer exists."));
      return FALSE;
    }
  if ((current != 0) == (retired != 0))
    return TRUE;
  if (!retired)
    {
      /* Restoring must not give two open departments the same window. */
      stmt = zz_store_stmt (self, "SELECT count(*) FROM window w JOIN window o ON o.number = w.number"
                                  " JOIN department od ON od.id = o.department_id"
                                  " WHERE w.department_id = ?1 AND w.deleted = 0 AND o.deleted = 0"
                                  " AND od.id != ?1 AND od.deleted = 0 AND od.retired = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, department_id, -1, SQLITE_TRANSIENT);
      if (zz_store_query_int (self, stmt, 0) > 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                       _("Its window number is now used by another department; edit it first."));
          return FALSE;
        }
    }
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = { ZZ_F_INT ("retired", retired ? 1 : 0) };
    if (!zz_store_set_fields (self, "department", department_id, f, 1, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

/* ---- persons and visits ---- */

static ZzRow *
get_window (ZzStore *self, const char *window_id, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT w.id, w.number, d.name AS department FROM window w"
                                      " JOIN department d ON d.id = w.department_id"
                                      " WHERE w.id = ? AND w.deleted = 0 AND d.deleted = 0 AND d.retired = 0", error);
  ZzRow *row;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, window_id, -1, SQLITE_TRANSIENT);
  row = zz_store_query_row (self, stmt);
  if (!row)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose the window the visitor goes to."));
  return row;
}

static gint64
next_ticket_number (ZzStore *self, const char *day, const char *window_id, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT max(number) FROM ticket WHERE day = ? AND window_id = ?", error);

  if (!stmt)
    return -1;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, window_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_int (self, stmt, 0) + 1;
}

static gboolean
insert_ticket (ZzStore *self, const char *visit_id, const char *window_id, const char *referred_from,
               char **out_id, GError **error)
{
  gint64 now = zz_store_now (self);
  g_autofree char *day = zz_store_day_of (now);
  g_autofree char *id = zz_store_new_id (self);
  gint64 number = next_ticket_number (self, day, window_id, error);

  if (number < 0)
    return FALSE;
  {
    ZzField t[] = {
      ZZ_F_TEXT ("visit_id", visit_id),
      ZZ_F_TEXT ("window_id", window_id),
      ZZ_F_TEXT ("day", day),
      ZZ_F_INT ("number", number),
      ZZ_F_TEXT ("status", "waiting"),
      ZZ_F_INT ("issued_at", now),
      ZZ_F_TEXT ("referred_from", referred_from),
    };
    if (!zz_store_insert_row (self, "ticket", id, self->node_org_unit, t, G_N_ELEMENTS (t), error))
      return FALSE;
  }
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

static char *
person_with_id_number (ZzStore *self, const char *id_number)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id FROM person WHERE id_number = ? AND deleted = 0 LIMIT 1", NULL);
  char *id = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_number, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

static char *
find_existing_person (ZzStore *self, const char *id_number, const char *name, const char *phone)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  if (id_number && (id = person_with_id_number (self, id_number)))
    return id;
  /* The same name and phone. With an ID number given now, only among persons whose number is
   * not on file (the number is then added to that person rather than starting a second record;
   * a different number on file is a different person). Without one, any such person: a
   * returning visitor who left the card at home is still the same person. */
  stmt = zz_store_stmt (self, "SELECT id FROM person WHERE phone = ?1 AND name = ?2 AND deleted = 0"
                              " AND (?3 IS NULL OR id_number IS NULL)"
                              " ORDER BY id_number IS NULL LIMIT 1", NULL);
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

/* The desk and the case form share one category list, the case categories (reference data an
 * administrator edits); a new visit takes one that is not retired. */
static gboolean
category_in_use (ZzStore *self, const char *key)
{
  g_autoptr(GListModel) cats = key ? zz_store_case_categories (self, FALSE) : NULL;

  for (guint i = 0; cats && i < g_list_model_get_n_items (cats); i++)
    {
      g_autoptr(ZzRow) c = g_list_model_get_item (cats, i);
      if (g_strcmp0 (zz_row_get (c, "key"), key) == 0)
        return TRUE;
    }
  return FALSE;
}

char *
zz_store_visit_category_name (ZzStore *self, const char *key)
{
  guint n;
  const ZzVocab *legacy = zz_visit_categories (&n);

  /* Visits registered before the lists were one keep their old keys. */
  if (key && zz_vocab_has (legacy, n, key) && !g_str_equal (key, "family") && !g_str_equal (key, "labour")
      && !g_str_equal (key, "other"))
    return g_strdup (zz_vocab_display (legacy, n, key));
  return zz_store_case_category_name (self, key);
}

const char *
zz_store_visit_case_category (ZzStore *self, const char *key)
{
  static const struct { const char *old, *now; } legacy[] = {
    { "dispute", "neighbours" }, { "land", "land_forest" }, { "family", "family" }, { "labour", "labour" },
  };

  if (category_in_use (self, key))
    return key;
  for (guint i = 0; key && i < G_N_ELEMENTS (legacy); i++)
    if (g_str_equal (key, legacy[i].old) && category_in_use (self, legacy[i].now))
      return legacy[i].now;
  return "other";
}

gboolean
zz_store_register_visit (ZzStore            *self,
                         const ZzVisitInput *in,
                         char              **out_visit_id,
                         char              **out_ticket_id,
                         GError            **error)
{
  g_autofree char *name = zz_verb_clean_text (in->name);
  g_autofree char *purpose = zz_verb_clean_text (in->purpose);
  g_autofree char *phone = NULL;
  g_autofree char *id_number = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *visit_id = NULL;
  g_autofree char *day = NULL;
  g_autoptr(ZzRow) window = NULL;
  g_autoptr(ZzRow) person = NULL;
  gint64 now;

  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (in != NULL, FALSE);

  if (!zz_store_require (self, ZZ_PERM_REGISTER_VISIT, error))
    return FALSE;

  if (in->person_id)
    {
      sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, name, phone, id_number FROM person WHERE id = ? AND deleted = 0", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, in->person_id, -1, SQLITE_TRANSIENT);
      person = zz_store_query_row (self, stmt);
      if (!person)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The chosen person no longer exists."));
          return FALSE;
        }
      if (*name == '\0')
        {
          g_free (name);
          name = g_strdup (zz_row_get (person, "name"));
        }
    }
  if (*name == '\0')
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter the visitor’s name."));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > ZZ_MAX_NAME)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A name may have at most %d characters."), ZZ_MAX_NAME);
      return FALSE;
    }
  if (!zz_phone_validate (in->phone && *in->phone ? in->phone : (person ? zz_row_get (person, "phone") : NULL),
                          &phone, error))
    return FALSE;
  if (in->id_number && *in->id_number)
    {
      if (!zz_idcard_validate (in->id_number, &id_number, error))
        return FALSE;
    }
  else if (person && zz_row_get (person, "id_number"))
    id_number = g_strdup (zz_row_get (person, "id_number"));
  if (in->people < 1 || in->people > 99)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The number of people is between 1 and 99."));
      return FALSE;
    }
  if (*purpose == '\0')
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter the purpose of the visit."));
      return FALSE;
    }
  if (g_utf8_strlen (purpose, -1) > ZZ_MAX_PURPOSE)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The purpose may have at most %d characters."), ZZ_MAX_PURPOSE);
      return FALSE;
    }
  if (!category_in_use (self, in->category))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose a category."));
      return FALSE;
    }
  window = get_window (self, in->window_id, error);
  if (!window)
    return FALSE;
  if (person && id_number && zz_row_get (person, "id_number")
      && g_strcmp0 (id_number, zz_row_get (person, "id_number")) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The ID number differs from the chosen person’s; clear the choice to register someone else."));
      return FALSE;
    }
  if (person && id_number && !zz_row_get (person, "id_number"))
    {
      g_autofree char *other = person_with_id_number (self, id_number);
      if (other && g_strcmp0 (other, zz_row_get_id (person)) != 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                       _("This ID number is already on file for another person; choose that person instead."));
          return FALSE;
        }
    }

  now = zz_store_now (self);
  day = zz_store_day_of (now);

  if (!zz_store_begin (self, error))
    return FALSE;

  /* Never a silent duplicate: an ID number, or a name with the same phone, finds the person. */
  person_id = person ? g_strdup (zz_row_get_id (person)) : find_existing_person (self, id_number, name, phone);
  if (person_id)
    {
      g_autoptr(GArray) f = g_array_new (FALSE, FALSE, sizeof (ZzField));
      g_autoptr(ZzRow) cur = NULL;
      sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT id, name, phone, id_number FROM person WHERE id = ?", error);

      if (!stmt)
        return zz_verb_fail (self);
      sqlite3_bind_text (stmt, 1, person_id, -1, SQLITE_STATIC);
      cur = zz_store_query_row (self, stmt);
      if (g_strcmp0 (phone, zz_row_get (cur, "phone")) != 0)
        g_array_append_val (f, ZZ_F_TEXT ("phone", phone));
      if (id_number && !zz_row_get (cur, "id_number"))
        g_array_append_val (f, ZZ_F_TEXT ("id_number", id_number));
      if (f->len && !zz_store_set_fields (self, "person", person_id, (ZzField *) f->data, f->len, error))
        return zz_verb_fail (self);
    }
  else
    {
      ZzField p[] = {
        ZZ_F_TEXT ("name", name),
        ZZ_F_TEXT ("phone", phone),
        ZZ_F_TEXT ("id_number", id_number),
      };
      person_id = zz_store_new_id (self);
      if (!zz_store_insert_row (self, "person", person_id, self->node_org_unit, p, G_N_ELEMENTS (p), error))
        return zz_verb_fail (self);
    }

  visit_id = zz_store_new_id (self);
  {
    ZzField v[] = {
      ZZ_F_TEXT ("person_id", person_id),
      ZZ_F_INT ("people", in->people),
      ZZ_F_TEXT ("purpose", purpose),
      ZZ_F_TEXT ("category", in->category),
      ZZ_F_INT ("arrived_at", now),
      ZZ_F_TEXT ("day", day),
      ZZ_F_TEXT ("clerk_id", self->user_id),
      ZZ_F_TEXT ("status", "open"),
    };
    if (!zz_store_insert_row (self, "visit", visit_id, self->node_org_unit, v, G_N_ELEMENTS (v), error))
      return zz_verb_fail (self);
  }
  if (!insert_ticket (self, visit_id, zz_row_get_id (window), NULL, out_ticket_id, error))
    return zz_verb_fail (self);
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_visit_id)
    *out_visit_id = g_steal_pointer (&visit_id);
  return TRUE;
}

static char *
glob_escape (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    {
      if (*s == '*' || *s == '?' || *s == '[')
        g_string_append_printf (out, "[%c]", *s);
      else
        g_string_append_c (out, *s);
    }
  return g_string_free (out, FALSE);
}

GListModel *
zz_store_find_persons (ZzStore *self, const char *query, guint limit)
{
  g_autofree char *q = NULL;
  g_autofree char *esc = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *contains = NULL;
  gboolean numeric = TRUE;
  sqlite3_stmt *stmt;

  {
    /* Full-width digits from input methods, and numbers typed in groups ("138 0743 1234",
     * "0743-1234567") search as the digits they are. */
    g_autofree char *nfkc = NULL;
    g_autoptr(GString) digits = g_string_new (NULL);

    /* g_utf8_normalize reads invalid UTF-8 past its end: such a query matches no one. */
    if (query && !g_utf8_validate (query, -1, NULL))
      return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
    nfkc = g_utf8_normalize (query ? query : "", -1, G_NORMALIZE_NFKC);

    q = zz_verb_clean_text (nfkc);
    for (const char *p = q; *p; p++)
      {
        if (g_ascii_isdigit (*p) || *p == 'x' || *p == 'X')
          g_string_append_c (digits, *p);
        else if (*p != ' ' && *p != '-')
          numeric = FALSE;
      }
    if (numeric)
      {
        g_free (q);
        q = g_string_free (g_steal_pointer (&digits), FALSE);
      }
  }
  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK) || g_utf8_strlen (q, -1) < 2)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  if (numeric)
    {
      char *up = g_ascii_strup (q, -1);
      g_free (q);
      q = up;
    }
  esc = glob_escape (q);
  prefix = g_strconcat (esc, "*", NULL);
  suffix = g_strconcat ("*", esc, NULL);
  contains = g_strconcat ("*", esc, "*", NULL);

  /* Index-friendly prefix GLOBs for numbers (ID numbers and phones), the last digits of an ID
   * number too, and a substring match for names. */
  stmt = zz_store_stmt (self,
                        "WITH m AS ("
                        "  SELECT id FROM person WHERE ?5 AND id_number GLOB ?1 AND deleted = 0"
                        "  UNION SELECT id FROM person WHERE ?5 AND phone GLOB ?1 AND deleted = 0"
                        "  UNION SELECT id FROM person WHERE ?5 AND length(?6) >= 4 AND id_number GLOB ?2 AND deleted = 0"
                        "  UNION SELECT id FROM person WHERE NOT ?5 AND name GLOB ?3 AND deleted = 0"
                        "  LIMIT 200)"
                        " SELECT p.id, p.name, p.phone, " ZZ_MASKED_ID ("p.id_number", "?4") " AS id_number,"
                        "  (SELECT count(*) FROM visit v WHERE v.person_id = p.id) AS visits,"
                        "  (SELECT max(arrived_at) FROM visit v WHERE v.person_id = p.id) AS last_visit_at,"
                        "  (SELECT count(DISTINCT c.id) FROM case_party cp JOIN case_file c ON c.id = cp.case_id"
                        "   WHERE cp.person_id = p.id AND c.deleted = 0"
                        "   AND c.status IN ('registered', 'dispatched', 'in_progress', 'reopened'))"
                        "  + (SELECT count(*) FROM visit v WHERE v.person_id = p.id AND v.outcome = 'to_case'"
                        "   AND NOT EXISTS (SELECT 1 FROM case_file c WHERE c.visit_id = v.id)) AS open_matters"
                        " FROM person p JOIN m ON m.id = p.id"
                        " ORDER BY (p.name = ?6) DESC, last_visit_at DESC LIMIT ?7", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, suffix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, contains, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, zz_store_can (self, ZZ_PERM_VIEW_FULL_ID));
  sqlite3_bind_int (stmt, 5, numeric);
  sqlite3_bind_text (stmt, 6, q, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, limit ? limit : 10);
  return log_full_ids (self, zz_store_query_rows (self, stmt), "id");
}

GListModel *
zz_store_person_visits (ZzStore *self, const char *person_id, guint limit)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT v.id, v.arrived_at, v.purpose, v.category, v.status, v.outcome,"
                                      " (SELECT d.name FROM ticket t JOIN window w ON w.id = t.window_id"
                                      "   JOIN department d ON d.id = w.department_id"
                                      "   WHERE t.visit_id = v.id ORDER BY t.issued_at DESC LIMIT 1) AS department"
                                      " FROM visit v WHERE v.person_id = ? AND v.deleted = 0"
                                      " ORDER BY v.arrived_at DESC LIMIT ?", NULL);
  if (!stmt || !zz_store_can (self, ZZ_PERM_VIEW_DESK))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, person_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit ? limit : 5);
  return zz_store_query_rows (self, stmt);
}

/* ---- tickets ---- */

/* The queue rule, stated once and followed by the board, call-next and the ticket's "waiting
 * ahead": visitors are called in the order of their wait since they arrived at the centre. A
 * referred visitor keeps the wait of the visit (its arrival), not the time the new ticket was
 * issued; equal arrivals go by issue time, then by ticket number. */
#define QUEUE_ORDER(t, v) v ".arrived_at, " t ".issued_at, " t ".number"
#define QUEUE_KEY(t, v) "(" QUEUE_ORDER (t, v) ")"

#define TICKET_COLUMNS \
  "t.id, t.visit_id, printf('%02d-%03d', w.number, t.number) AS label, t.number, t.window_id," \
  " w.number AS window_number, d.name AS department, t.status, t.outcome, t.note, p.name, p.phone," \
  " " ZZ_MASKED_ID ("p.id_number", "?1") " AS id_number, v.people, v.purpose, v.category, t.issued_at," \
  " v.arrived_at, v.people >= " G_STRINGIFY (ZZ_GROUP_VISIT_PEOPLE) " AS group_visit," \
  " t.called_at, t.serving_at, t.ended_at, t.referred_from, t.referred_to, t.day, p.id AS person_id" \
  " FROM ticket t JOIN visit v ON v.id = t.visit_id JOIN person p ON p.id = v.person_id" \
  " JOIN window w ON w.id = t.window_id JOIN department d ON d.id = w.department_id"

GListModel *
zz_store_list_tickets (ZzStore *self, const char *window_id, const char *day)
{
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  if (!day)
    day = today = zz_store_day_of (zz_store_now (self));
  stmt = zz_store_stmt (self, "SELECT " TICKET_COLUMNS
                              " WHERE t.day = ?2 AND (?3 IS NULL OR t.window_id = ?3) AND t.deleted = 0"
                              " ORDER BY CASE t.status WHEN 'serving' THEN 0 WHEN 'called' THEN 1"
                              "  WHEN 'waiting' THEN 2 ELSE 3 END,"
                              " CASE WHEN t.status = 'done' THEN -t.ended_at ELSE 0 END, "
                              QUEUE_ORDER ("t", "v"), NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_int (stmt, 1, zz_store_can (self, ZZ_PERM_VIEW_FULL_ID));
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, window_id, -1, SQLITE_TRANSIENT);
  return log_full_ids (self, zz_store_query_rows (self, stmt), "person_id");
}

ZzRow *
zz_store_get_ticket (ZzStore *self, const char *ticket_id)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK))
    return NULL;
  stmt = zz_store_stmt (self, "SELECT " TICKET_COLUMNS " WHERE t.id = ?2 AND t.deleted = 0", NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_int (stmt, 1, zz_store_can (self, ZZ_PERM_VIEW_FULL_ID));
  sqlite3_bind_text (stmt, 2, ticket_id, -1, SQLITE_TRANSIENT);
  return zz_store_query_row (self, stmt);
}

static ZzRow *
ticket_for_change (ZzStore *self, const char *ticket_id, GError **error)
{
  ZzRow *t;

  if (!zz_store_require (self, ZZ_PERM_SERVE_QUEUE, error))
    return NULL;
  t = ticket_id ? zz_store_get_ticket (self, ticket_id) : NULL;
  if (!t)
    g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The ticket no longer exists."));
  return t;
}

gboolean
zz_store_call_next (ZzStore     *self,
                    const char  *window_id,
                    char       **out_ticket_id,
                    GError     **error)
{
  g_autofree char *day = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_require (self, ZZ_PERM_SERVE_QUEUE, error))
    return FALSE;
  day = zz_store_day_of (zz_store_now (self));
  if (!zz_store_begin (self, error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT t.id FROM ticket t JOIN visit v ON v.id = t.visit_id"
                              " WHERE t.day = ? AND t.window_id = ? AND t.status = 'waiting'"
                              " AND t.deleted = 0 ORDER BY " QUEUE_ORDER ("t", "v") " LIMIT 1", error);
  if (!stmt)
    return zz_verb_fail (self);
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, window_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (!id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("Nobody is waiting at this window."));
      return zz_verb_fail (self);
    }
  {
    ZzField f[] = { ZZ_F_TEXT ("status", "called"), ZZ_F_INT ("called_at", zz_store_now (self)) };
    if (!zz_store_set_fields (self, "ticket", id, f, G_N_ELEMENTS (f), error))
      return zz_verb_fail (self);
  }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_ticket_id)
    *out_ticket_id = g_steal_pointer (&id);
  return TRUE;
}

/* One visitor at a time is being served at a window: FALSE with ZZ_ERROR_STATE, naming the
 * ticket in service, when another than @t is. */
static gboolean
window_free (ZzStore *self, ZzRow *t, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT printf('%02d-%03d', w.number, o.number) FROM ticket o"
                                            " JOIN window w ON w.id = o.window_id"
                                            " WHERE o.window_id = ? AND o.day = ? AND o.status = 'serving'"
                                            " AND o.deleted = 0 AND o.id != ? LIMIT 1", error);
  g_autofree char *busy = NULL;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, zz_row_get (t, "window_id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, zz_row_get (t, "day"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, zz_row_get_id (t), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    busy = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (busy)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Window %d is still serving ticket %s: finish it first."),
                   (int) zz_row_get_int (t, "window_number"), busy);
      return FALSE;
    }
  return TRUE;
}

gboolean
zz_store_start_service (ZzStore *self, const char *ticket_id, GError **error)
{
  g_autoptr(ZzRow) t = ticket_for_change (self, ticket_id, error);
  gint64 now = zz_store_now (self);

  if (!t)
    return FALSE;
  if (g_strcmp0 (zz_row_get (t, "status"), "called") != 0 && g_strcmp0 (zz_row_get (t, "status"), "waiting") != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Ticket %s is not waiting to be served."), zz_row_get (t, "label"));
      return FALSE;
    }
  if (!window_free (self, t, error))
    return FALSE;
  if (!zz_store_begin (self, error))
    return FALSE;
  {
    /* Served straight from the waiting list: the call and the start are the same moment. */
    ZzField f[] = { ZZ_F_TEXT ("status", "serving"), ZZ_F_INT ("serving_at", now), ZZ_F_INT ("called_at", now) };
    guint n = zz_row_get (t, "called_at") ? 2 : 3;
    if (!zz_store_set_fields (self, "ticket", ticket_id, f, n, error))
      return zz_verb_fail (self);
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_finish_ticket (ZzStore     *self,
                        const char  *ticket_id,
                        const char  *outcome,
                        const char  *refer_window_id,
                        const char  *note,
                        char       **out_new_ticket_id,
                        GError     **error)
{
  g_autoptr(ZzRow) t = ticket_for_change (self, ticket_id, error);
  g_autofree char *clean_note = zz_verb_clean_text (note);
  g_autofree char *new_id = NULL;
  const char *status;
  guint n_out;
  const ZzVocab *outcomes = zz_ticket_outcomes (&n_out);
  gint64 now = zz_store_now (self);

  if (!t)
    return FALSE;
  status = zz_row_get (t, "status");
  if (!zz_vocab_has (outcomes, n_out, outcome))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose the outcome of the visit."));
      return FALSE;
    }
  if (g_strcmp0 (status, "done") == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Ticket %s is already finished."), zz_row_get (t, "label"));
      return FALSE;
    }
  if (g_strcmp0 (outcome, "left") != 0 && g_strcmp0 (status, "waiting") == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Ticket %s has not been called yet."), zz_row_get (t, "label"));
      return FALSE;
    }
  if (g_utf8_strlen (clean_note, -1) > ZZ_MAX_PURPOSE)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The note may have at most %d characters."), ZZ_MAX_PURPOSE);
      return FALSE;
    }
  if (g_str_equal (outcome, "referred"))
    {
      g_autoptr(ZzRow) w = get_window (self, refer_window_id, error);
      if (!w)
        return FALSE;
      if (g_strcmp0 (refer_window_id, zz_row_get (t, "window_id")) == 0)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Refer the visitor to a different window."));
          return FALSE;
        }
    }

  if (!zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = {
      ZZ_F_TEXT ("status", "done"),
      ZZ_F_INT ("ended_at", now),
      ZZ_F_TEXT ("outcome", outcome),
      ZZ_F_TEXT ("note", *clean_note ? clean_note : NULL),
    };
    if (!zz_store_set_fields (self, "ticket", ticket_id, f, *clean_note ? 4 : 3, error))
      return zz_verb_fail (self);
  }
  if (g_str_equal (outcome, "referred"))
    {
      ZzField f[1];
      if (!insert_ticket (self, zz_row_get (t, "visit_id"), refer_window_id, ticket_id, &new_id, error))
        return zz_verb_fail (self);
      f[0] = ZZ_F_TEXT ("referred_to", new_id);
      if (!zz_store_set_fields (self, "ticket", ticket_id, f, 1, error))
        return zz_verb_fail (self);
    }
  else
    {
      ZzField f[] = { ZZ_F_TEXT ("status", "done"), ZZ_F_TEXT ("outcome", outcome) };
      if (!zz_store_set_fields (self, "visit", zz_row_get (t, "visit_id"), f, 2, error))
        return zz_verb_fail (self);
    }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (out_new_ticket_id)
    *out_new_ticket_id = g_steal_pointer (&new_id);
  return TRUE;
}

gboolean
zz_store_undo_ticket (ZzStore *self, const char *ticket_id, GError **error)
{
  g_autoptr(ZzRow) t = ticket_for_change (self, ticket_id, error);
  const char *status;

  if (!t)
    return FALSE;
  status = zz_row_get (t, "status");
  if (!zz_store_begin (self, error))
    return FALSE;
  if (g_strcmp0 (status, "called") == 0 || (g_strcmp0 (status, "serving") == 0))
    {
      ZzField f[] = { ZZ_F_TEXT ("status", "waiting"), ZZ_F_NULL ("called_at"), ZZ_F_NULL ("serving_at") };
      if (!zz_store_set_fields (self, "ticket", ticket_id, f, zz_row_get (t, "serving_at") ? 3 : 2, error))
        return zz_verb_fail (self);
    }
  else if (g_strcmp0 (status, "done") == 0)
    {
      const char *back = zz_row_get (t, "serving_at") ? "serving" : zz_row_get (t, "called_at") ? "called" : "waiting";
      const char *next = zz_row_get (t, "referred_to");
      ZzField f[5] = { ZZ_F_TEXT ("status", back), ZZ_F_NULL ("ended_at"), ZZ_F_NULL ("outcome") };
      guint n_f = 3;

      if (g_str_equal (back, "serving") && !window_free (self, t, error))
        return zz_verb_fail (self);

      if (next)
        {
          g_autoptr(ZzRow) nt = zz_store_get_ticket (self, next);
          if (nt && g_strcmp0 (zz_row_get (nt, "status"), "waiting") != 0)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                           _("The referral can no longer be undone: ticket %s has been called."),
                           zz_row_get (nt, "label"));
              return zz_verb_fail (self);
            }
          if (nt && !zz_store_tombstone_row (self, "ticket", next, error))
            return zz_verb_fail (self);
        }
      if (next)
        f[n_f++] = ZZ_F_NULL ("referred_to");
      /* The note belonged to the finish being undone. */
      if (zz_row_get (t, "note"))
        f[n_f++] = ZZ_F_NULL ("note");
      if (!zz_store_set_fields (self, "ticket", ticket_id, f, n_f, error))
        return zz_verb_fail (self);
      {
        ZzField v[] = { ZZ_F_TEXT ("status", "open"), ZZ_F_NULL ("outcome") };
        if (!next && !zz_store_set_fields (self, "visit", zz_row_get (t, "visit_id"), v, 2, error))
          return zz_verb_fail (self);
      }
    }
  else
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("There is nothing to undo for ticket %s."), zz_row_get (t, "label"));
      return zz_verb_fail (self);
    }
  return zz_store_commit (self, error);
}

void
zz_store_desk_summary (ZzStore       *self,
                       const char    *day,
                       ZzDeskSummary *out,
                       GListModel   **per_window)
{
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;

  memset (out, 0, sizeof *out);
  if (per_window)
    *per_window = NULL;
  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK))
    {
      if (per_window)
        *per_window = G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
      return;
    }
  if (!day)
    day = today = zz_store_day_of (zz_store_now (self));

  stmt = zz_store_stmt (self, "SELECT count(*), coalesce(sum(people), 0) FROM visit WHERE day = ? AND deleted = 0", NULL);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          out->visitors = sqlite3_column_int (stmt, 0);
          out->people = sqlite3_column_int (stmt, 1);
        }
      sqlite3_reset (stmt);
    }
  stmt = zz_store_stmt (self,
                        "SELECT sum(status = 'waiting'), sum(status = 'done' AND outcome != 'left'),"
                        " avg(called_at - issued_at) / 1000.0, avg(ended_at - serving_at) / 1000.0"
                        " FROM ticket WHERE day = ? AND deleted = 0", NULL);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          out->waiting = sqlite3_column_int (stmt, 0);
          out->served = sqlite3_column_int (stmt, 1);
          out->avg_wait_s = sqlite3_column_double (stmt, 2);
          out->avg_service_s = sqlite3_column_double (stmt, 3);
        }
      sqlite3_reset (stmt);
    }
  if (per_window)
    {
      stmt = zz_store_stmt (self,
                            "SELECT w.id, w.number AS window_number, d.name AS department,"
                            " count(t.id) AS tickets,"
                            " coalesce(sum(t.status = 'waiting'), 0) AS waiting,"
                            " coalesce(sum(t.status = 'done' AND t.outcome != 'left'), 0) AS served,"
                            " coalesce(avg(t.called_at - t.issued_at) / 1000.0, 0) AS avg_wait_s"
                            " FROM window w JOIN department d ON d.id = w.department_id"
                            " LEFT JOIN ticket t ON t.window_id = w.id AND t.day = ? AND t.deleted = 0"
                            " WHERE w.deleted = 0 AND d.deleted = 0 AND d.retired = 0"
                            " GROUP BY w.id ORDER BY w.number", NULL);
      if (stmt)
        {
          sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
          *per_window = zz_store_query_rows (self, stmt);
        }
      else
        *per_window = G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
    }
}

int
zz_store_waiting_ahead (ZzStore *self, const char *ticket_id)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT count(*) FROM ticket o JOIN ticket t ON t.id = ?"
                                      " JOIN visit ov ON ov.id = o.visit_id JOIN visit tv ON tv.id = t.visit_id"
                                      " WHERE o.day = t.day AND o.window_id = t.window_id"
                                      " AND o.status = 'waiting' AND o.deleted = 0"
                                      " AND " QUEUE_KEY ("o", "ov") " < " QUEUE_KEY ("t", "tv"), NULL);
  if (!stmt)
    return 0;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_TRANSIENT);
  return (int) zz_store_query_int (self, stmt, 0);
}

/* ---- the day's visitor register (来访登记簿) ---- */

GListModel *
zz_store_visit_register (ZzStore *self, const char *day)
{
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  if (!day)
    day = today = zz_store_day_of (zz_store_now (self));
  /* One line per visit, in the order of arrival, with every window it went to. */
  stmt = zz_store_stmt (self,
                        "SELECT v.id, v.arrived_at, p.name, p.phone, " ZZ_MASKED_ID ("p.id_number", "?1") " AS id_number,"
                        " p.id AS person_id, v.people, v.people >= " G_STRINGIFY (ZZ_GROUP_VISIT_PEOPLE) " AS group_visit,"
                        " v.category, v.purpose, v.status, v.outcome,"
                        " (SELECT group_concat(label, ' → ') FROM (SELECT printf('%02d-%03d', w.number, t.number)"
                        "   AS label FROM ticket t JOIN window w ON w.id = t.window_id"
                        "   WHERE t.visit_id = v.id AND t.deleted = 0 ORDER BY t.issued_at)) AS tickets,"
                        " (SELECT group_concat(name, ' → ') FROM (SELECT d.name FROM ticket t"
                        "   JOIN window w ON w.id = t.window_id JOIN department d ON d.id = w.department_id"
                        "   WHERE t.visit_id = v.id AND t.deleted = 0 ORDER BY t.issued_at)) AS departments,"
                        " (SELECT max(ended_at) FROM ticket t WHERE t.visit_id = v.id AND t.deleted = 0"
                        "   AND t.status = 'done') AS ended_at,"
                        " (SELECT c.number FROM case_file c WHERE c.visit_id = v.id AND c.deleted = 0 LIMIT 1) AS case_number,"
                        " u.name AS clerk"
                        " FROM visit v JOIN person p ON p.id = v.person_id LEFT JOIN user u ON u.id = v.clerk_id"
                        " WHERE v.day = ?2 AND v.deleted = 0 ORDER BY v.arrived_at, v.id", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_int (stmt, 1, zz_store_can (self, ZZ_PERM_VIEW_FULL_ID));
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
  return log_full_ids (self, zz_store_query_rows (self, stmt), "person_id");
}

GListModel *
zz_store_group_visits (ZzStore *self, const char *from_day, const char *to_day)
{
  sqlite3_stmt *stmt;

  if (!zz_store_can (self, ZZ_PERM_VIEW_DESK))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  stmt = zz_store_stmt (self,
                        "SELECT v.id, v.day, v.arrived_at, p.name, v.people, v.category, v.purpose, v.status, v.outcome"
                        " FROM visit v JOIN person p ON p.id = v.person_id"
                        " WHERE v.people >= " G_STRINGIFY (ZZ_GROUP_VISIT_PEOPLE) " AND v.deleted = 0"
                        " AND v.day >= ?1 AND v.day <= ?2 ORDER BY v.arrived_at DESC", NULL);
  if (!stmt)
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  sqlite3_bind_text (stmt, 1, from_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to_day, -1, SQLITE_TRANSIENT);
  return zz_store_query_rows (self, stmt);
}
