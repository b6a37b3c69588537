/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-accounts"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "zz-password.h"
#include "zz-store-private.h"

/* ---- this node ---- */

gboolean
zz_store_has_node (ZzStore *self)
{
  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);
  return self->node_id != NULL;
}

const char *zz_store_get_node_id (ZzStore *self) { return self->node_id; }
/* Which account a login name means on this node (?2 is its org unit): accounts of this centre
 * first, then those of the centres above it that reached it by sync, nearest first. Accounts of
 * other centres never log in here. */
#define LOGIN_ORDER "instr (?2, home) = 1 ORDER BY length (home) DESC, created_hlc LIMIT 1"

const char *zz_store_get_node_org_unit (ZzStore *self) { return self->node_org_unit; }
const char *zz_store_get_centre_name (ZzStore *self) { return self->centre_name; }

char *
zz_store_get_fingerprint (ZzStore *self)
{
  guint8 digest[16];
  GString *s;

  g_return_val_if_fail (self->node_id != NULL, NULL);
  crypto_generichash (digest, sizeof digest, self->public_key, sizeof self->public_key, NULL, 0);
  s = g_string_new (NULL);
  for (guint i = 0; i < sizeof digest; i += 2)
    g_string_append_printf (s, "%s%02X%02X", i ? " " : "", digest[i], digest[i + 1]);
  return g_string_free (s, FALSE);
}

/* Written to a temporary file created 0600 and renamed, so a crash never leaves half a key and
 * the key is never readable by others, not even for a moment. */
static gboolean
write_secret_key (ZzStore *self, GError **error)
{
  g_autofree char *path = zz_store_get_key_path (self);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  char b64[sodium_base64_ENCODED_LEN (crypto_sign_SECRETKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
  g_autofree char *contents = NULL;
  gsize len;
  int fd;

  sodium_bin2base64 (b64, sizeof b64, self->secret_key, sizeof self->secret_key,
                     sodium_base64_VARIANT_ORIGINAL);
  contents = g_strdup_printf ("zongzhi node secret key %s\n%s\n", self->node_id, b64);
  sodium_memzero (b64, sizeof b64);
  len = strlen (contents);

  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, contents, len) != (ssize_t) len || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_unlink (tmp);
      sodium_memzero (contents, len);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the node key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  sodium_memzero (contents, len);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the node key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name_and_role (const char *clean_name, ZzRole role, GError **error)
{
  if (*clean_name == '\0' || g_utf8_strlen (clean_name, -1) > ZZ_MAX_NAME)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter the person's full name (at most %d characters)."),
                   ZZ_MAX_NAME);
      return FALSE;
    }
  if (role <= ZZ_ROLE_NONE || role >= ZZ_N_ROLES)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose a role."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_user (ZzStore *self, const char *login, const char *name, ZzRole role,
             const char *password, char **out_id, GError **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autofree char *clean_login = NULL;
  g_autofree char *clean_name = NULL;
  sqlite3_stmt *stmt;

  clean_login = g_strstrip (g_strdup (login ? login : ""));
  clean_name = g_strstrip (g_strdup (name ? name : ""));
  if (*clean_login == '\0' || strlen (clean_login) > 32)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A login name has 1 to 32 characters."));
      return FALSE;
    }
  for (const char *p = clean_login; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                     _("A login name may contain only Latin letters, digits, dots, dashes and underscores."));
        return FALSE;
      }
  if (!check_name_and_role (clean_name, role, error))
    return FALSE;
  if (!zz_password_check_policy (password, clean_login, error))
    return FALSE;

  /* Logins are unique within a centre; accounts of the centres above arrive by sync and may use
   * the same names (see LOGIN_ORDER). */
  stmt = zz_store_stmt (self, "SELECT count(*) FROM user WHERE login = ? COLLATE NOCASE AND home IS ?"
                              " AND deleted = 0", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean_login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->node_org_unit, -1, SQLITE_STATIC);
  if (zz_store_query_int (self, stmt, 0) > 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The login name “%s” is already taken."), clean_login);
      return FALSE;
    }
  hash = zz_password_hash (password, error);
  if (!hash)
    return FALSE;
  id = zz_store_new_id (self);
  {
    ZzField f[] = {
      ZZ_F_TEXT ("login", clean_login),
      ZZ_F_TEXT ("name", clean_name),
      ZZ_F_TEXT ("role", zz_role_to_string (role)),
      ZZ_F_TEXT ("password_hash", hash),
      ZZ_F_INT ("active", 1),
    };
    if (!zz_store_insert_row (self, "user", id, self->node_org_unit, f, G_N_ELEMENTS (f), error))
      return FALSE;
  }
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

static void
set_session (ZzStore *self, const char *id, const char *login, const char *name, ZzRole role)
{
  /* Copied before the old values are freed: callers may pass the session's own strings. */
  char *new_id = g_strdup (id);
  char *new_login = g_strdup (login);
  char *new_name = g_strdup (name);

  g_free (self->user_id);
  g_free (self->user_login);
  g_free (self->user_name);
  self->user_id = new_id;
  self->user_login = new_login;
  self->user_name = new_name;
  self->role = role;
}

gboolean
zz_store_setup_node (ZzStore    *self,
                     const char *org_unit_code,
                     const char *centre_name,
                     const char *admin_login,
                     const char *admin_name,
                     const char *admin_password,
                     GError    **error)
{
  guint8 raw_id[16];
  g_autofree char *node_id = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *name = NULL;
  g_autoptr(ZzRow) unit = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);

  if (self->node_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("This installation is already set up."));
      return FALSE;
    }
  unit = org_unit_code ? zz_store_get_org_unit (self, org_unit_code) : NULL;
  if (!unit)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("Choose this centre’s administrative unit from the division list."));
      return FALSE;
    }
  name = g_strstrip (g_strdup (centre_name ? centre_name : ""));
  if (*name == '\0')
    {
      g_free (name);
      name = g_strdup_printf ("%s%s", zz_row_get (unit, "name"), "综治中心");
    }
  if (g_utf8_strlen (name, -1) > 100)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The centre’s name may have at most 100 characters."));
      return FALSE;
    }

  randombytes_buf (raw_id, sizeof raw_id);
  node_id = zz_hex_encode (raw_id, sizeof raw_id);
  crypto_sign_keypair (self->public_key, self->secret_key);

  if (!zz_store_begin (self, error))
    return FALSE;
  stmt = zz_store_stmt (self, "INSERT INTO node (id, org_unit, name, public_key, is_self, created_at)"
                              " VALUES (?, ?, ?, ?, 1, ?)", error);
  if (!stmt)
    goto fail;
  sqlite3_bind_text (stmt, 1, node_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, org_unit_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, self->public_key, sizeof self->public_key, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, zz_store_now (self));
  if (!zz_store_step_done (self, stmt, error))
    goto fail;

  self->node_id = g_strdup (node_id);
  self->node_org_unit = g_strdup (org_unit_code);
  self->centre_name = g_strdup (name);
  self->seq = 0;
  memset (self->last_hash, 0, sizeof self->last_hash);

  if (!insert_user (self, admin_login, admin_name, ZZ_ROLE_ADMIN, admin_password, &user_id, error))
    goto fail;
  /* The key is written last: a failure before leaves no key, and the commit below is a single
   * step that cannot leave a key without its node. */
  if (!write_secret_key (self, error))
    goto fail;
  if (!zz_store_commit (self, error))
    goto fail;
  self->has_secret_key = TRUE;
  return TRUE;

fail:
  if (self->depth)
    zz_store_rollback (self);
  g_clear_pointer (&self->node_id, g_free);
  g_clear_pointer (&self->node_org_unit, g_free);
  g_clear_pointer (&self->centre_name, g_free);
  sodium_memzero (self->secret_key, sizeof self->secret_key);
  return FALSE;
}

/* ---- session ---- */

gboolean
zz_store_login (ZzStore    *self,
                const char *login,
                const char *password,
                GError    **error)
{
  g_autoptr(ZzRow) user = NULL;
  sqlite3_stmt *stmt;
  gint64 now = zz_store_now (self);
  gint64 failures, locked_until;
  const char *id;

  g_return_val_if_fail (ZZ_IS_STORE (self), FALSE);

  stmt = zz_store_stmt (self,
                        "SELECT u.id, u.login, u.name, u.role, u.password_hash, u.active,"
                        " coalesce(s.failures, 0) AS failures, coalesce(s.locked_until, 0) AS locked_until"
                        " FROM user u LEFT JOIN login_state s ON s.user_id = u.id"
                        " WHERE u.login = ?1 COLLATE NOCASE AND u.deleted = 0 AND " LOGIN_ORDER, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login ? login : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->node_org_unit, -1, SQLITE_STATIC);
  user = zz_store_query_row (self, stmt);

  if (!user)
    {
      /* Same work and same message as a wrong password, so logins cannot be probed. */
      static char *dummy;
      if (g_once_init_enter (&dummy))
        g_once_init_leave (&dummy, zz_password_hash ("no-such-user-0", NULL));
      zz_password_verify (dummy, password ? password : "");
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("Wrong login name or password."));
      return FALSE;
    }
  id = zz_row_get_id (user);
  failures = zz_row_get_int (user, "failures");
  locked_until = zz_row_get_int (user, "locked_until");
  if (locked_until > now)
    {
      int minutes = (int) ((locked_until - now + 59999) / 60000);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED,
                   ngettext ("Too many wrong passwords: this account is locked for %d more minute.",
                             "Too many wrong passwords: this account is locked for %d more minutes.",
                             minutes), minutes);
      return FALSE;
    }
  if (!zz_password_verify (zz_row_get (user, "password_hash"), password))
    {
      failures = (locked_until != 0 && locked_until <= now) ? 1 : failures + 1;
      stmt = zz_store_stmt (self, "INSERT OR REPLACE INTO login_state (user_id, failures, locked_until, last_login)"
                                  " VALUES (?, ?, ?, (SELECT last_login FROM login_state WHERE user_id = ?1))", NULL);
      if (stmt)
        {
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, failures);
          sqlite3_bind_int64 (stmt, 3, failures >= ZZ_LOGIN_MAX_FAILURES ? now + ZZ_LOGIN_LOCK_MINUTES * 60000 : 0);
          zz_store_step_done (self, stmt, NULL);
        }
      if (failures >= ZZ_LOGIN_MAX_FAILURES)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_LOCKED,
                     ngettext ("Too many wrong passwords: this account is locked for %d minute.",
                               "Too many wrong passwords: this account is locked for %d minutes.",
                               ZZ_LOGIN_LOCK_MINUTES), ZZ_LOGIN_LOCK_MINUTES);
      else
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("Wrong login name or password."));
      return FALSE;
    }
  /* Only after the right password: otherwise anyone could probe which logins exist. */
  if (!zz_row_get_int (user, "active"))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("This account has been disabled by an administrator."));
      return FALSE;
    }
  stmt = zz_store_stmt (self, "INSERT OR REPLACE INTO login_state (user_id, failures, locked_until, last_login)"
                              " VALUES (?, 0, 0, ?)", NULL);
  if (stmt)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now);
      zz_store_step_done (self, stmt, NULL);
    }
  set_session (self, id, zz_row_get (user, "login"), zz_row_get (user, "name"),
               zz_role_from_string (zz_row_get (user, "role")));
  return TRUE;
}

gboolean
zz_store_verify_password (ZzStore *self, const char *password, GError **error)
{
  g_autofree char *login = NULL;
  g_autofree char *id = g_strdup (self->user_id);

  if (!self->user_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("Nobody is logged in."));
      return FALSE;
    }
  login = g_strdup (self->user_login);
  /* Goes through login so that the failure count and lock apply to unlocking too. */
  if (!zz_store_login (self, login, password, error))
    return FALSE;
  return g_strcmp0 (id, self->user_id) == 0;
}

void
zz_store_logout (ZzStore *self)
{
  set_session (self, NULL, NULL, NULL, ZZ_ROLE_NONE);
}

gboolean
zz_store_act_as (ZzStore *self, const char *login, GError **error)
{
  g_autoptr(ZzRow) user = NULL;
  sqlite3_stmt *stmt;

  /* Without a login: the administrator set up first who is still active. */
  stmt = zz_store_stmt (self, "SELECT id, login, name, role FROM user"
                              " WHERE (?1 IS NULL AND role = 'admin' OR login = ?1 COLLATE NOCASE)"
                              " AND deleted = 0 AND active = 1 AND " LOGIN_ORDER, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->node_org_unit, -1, SQLITE_STATIC);
  user = zz_store_query_row (self, stmt);
  if (!user)
    {
      if (login)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("No active user “%s”."), login);
      else
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("This installation has no active administrator."));
      return FALSE;
    }
  set_session (self, zz_row_get_id (user), zz_row_get (user, "login"), zz_row_get (user, "name"),
               zz_role_from_string (zz_row_get (user, "role")));
  return TRUE;
}

const char *zz_store_get_user_id (ZzStore *self) { return self->user_id; }
const char *zz_store_get_user_name (ZzStore *self) { return self->user_name; }
ZzRole zz_store_get_role (ZzStore *self) { return self->role; }

gboolean
zz_store_can (ZzStore *self, ZzPermission perm)
{
  return self->user_id != NULL && zz_role_can (self->role, perm);
}

gboolean
zz_store_require (ZzStore *self, ZzPermission perm, GError **error)
{
  if (!self->user_id)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("Please log in first."));
      return FALSE;
    }
  if (!zz_role_can (self->role, perm))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("Your role (%s) may not %s."),
                   zz_role_display_name (self->role), zz_perm_display_name (perm));
      return FALSE;
    }
  return TRUE;
}

/* ---- users ---- */

GListModel *
zz_store_list_users (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self,
                                      "SELECT u.id, u.login, u.name, u.role, u.active,"
                                      " coalesce(s.locked_until, 0) AS locked_until, s.last_login"
                                      " FROM user u LEFT JOIN login_state s ON s.user_id = u.id"
                                      " WHERE u.deleted = 0 ORDER BY u.active DESC, u.login", NULL);
  if (!stmt || !zz_store_can (self, ZZ_PERM_MANAGE_USERS))
    return G_LIST_MODEL (g_list_store_new (ZZ_TYPE_ROW));
  return zz_store_query_rows (self, stmt);
}

gboolean
zz_store_create_user (ZzStore    *self,
                      const char *login,
                      const char *name,
                      ZzRole      role,
                      const char *password,
                      char      **out_id,
                      GError    **error)
{
  if (!zz_store_require (self, ZZ_PERM_MANAGE_USERS, error) || !zz_store_begin (self, error))
    return FALSE;
  if (!insert_user (self, login, name, role, password, out_id, error))
    {
      zz_store_rollback (self);
      return FALSE;
    }
  return zz_store_commit (self, error);
}

static ZzRow *
get_user (ZzStore *self, const char *user_id, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT u.id, u.login, u.name, u.role, u.active, u.home,"
                                            " o.name AS home_name FROM user u"
                                            " LEFT JOIN org_unit o ON o.code = u.home"
                                            " WHERE u.id = ? AND u.deleted = 0", error);
  ZzRow *row;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  row = zz_store_query_row (self, stmt);
  if (!row)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The user no longer exists."));
      return NULL;
    }
  /* An account made at another centre came by sync: only that centre may change it, and every
   * other node would refuse the change. */
  if (g_strcmp0 (zz_row_get (row, "home"), self->node_org_unit) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("This account belongs to %s and can be changed only there."),
                   zz_row_get (row, "home_name") ? zz_row_get (row, "home_name") : zz_row_get (row, "home"));
      g_object_unref (row);
      return NULL;
    }
  return row;
}

static gint64
count_active_admins (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT count(*) FROM user WHERE role = 'admin' AND active = 1 AND deleted = 0"
                                            " AND home IS ?", NULL);

  if (!stmt)
    return 0;
  sqlite3_bind_text (stmt, 1, self->node_org_unit, -1, SQLITE_STATIC);
  return zz_store_query_int (self, stmt, 0);
}

gboolean
zz_store_update_user (ZzStore    *self,
                      const char *user_id,
                      const char *name,
                      ZzRole      role,
                      gboolean    active,
                      GError    **error)
{
  g_autoptr(ZzRow) user = NULL;
  g_autofree char *clean_name = NULL;
  g_autoptr(GArray) f = g_array_new (FALSE, FALSE, sizeof (ZzField));
  gboolean was_admin;

  if (!zz_store_require (self, ZZ_PERM_MANAGE_USERS, error))
    return FALSE;
  user = get_user (self, user_id, error);
  if (!user)
    return FALSE;
  clean_name = g_strstrip (g_strdup (name ? name : ""));
  if (!check_name_and_role (clean_name, role, error))
    return FALSE;
  was_admin = g_strcmp0 (zz_row_get (user, "role"), "admin") == 0 && zz_row_get_int (user, "active");
  if (was_admin && (role != ZZ_ROLE_ADMIN || !active) && count_active_admins (self) <= 1)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                   _("This is the last active administrator; make someone else administrator first."));
      return FALSE;
    }
  if (g_strcmp0 (clean_name, zz_row_get (user, "name")) != 0)
    g_array_append_val (f, ZZ_F_TEXT ("name", clean_name));
  if (g_strcmp0 (zz_role_to_string (role), zz_row_get (user, "role")) != 0)
    g_array_append_val (f, ZZ_F_TEXT ("role", zz_role_to_string (role)));
  if ((!!active) != (zz_row_get_int (user, "active") != 0))
    g_array_append_val (f, ZZ_F_INT ("active", active ? 1 : 0));
  if (f->len == 0)
    return TRUE;

  if (!zz_store_begin (self, error))
    return FALSE;
  if (!zz_store_set_fields (self, "user", user_id, (ZzField *) f->data, f->len, error))
    {
      zz_store_rollback (self);
      return FALSE;
    }
  if (!zz_store_commit (self, error))
    return FALSE;
  if (g_strcmp0 (user_id, self->user_id) == 0)
    set_session (self, self->user_id, self->user_login, clean_name, role);
  return TRUE;
}

gboolean
zz_store_set_user_password (ZzStore    *self,
                            const char *user_id,
                            const char *password,
                            GError    **error)
{
  g_autoptr(ZzRow) user = NULL;
  g_autofree char *hash = NULL;

  /* Anyone may change their own password; only administrators anybody's. */
  if (g_strcmp0 (user_id, self->user_id) != 0 && !zz_store_require (self, ZZ_PERM_MANAGE_USERS, error))
    return FALSE;
  if (!self->user_id)
    return zz_store_require (self, ZZ_PERM_MANAGE_USERS, error);
  user = get_user (self, user_id, error);
  if (!user)
    return FALSE;
  if (!zz_password_check_policy (password, zz_row_get (user, "login"), error))
    return FALSE;
  hash = zz_password_hash (password, error);
  if (!hash || !zz_store_begin (self, error))
    return FALSE;
  {
    ZzField f[] = { ZZ_F_TEXT ("password_hash", hash) };
    if (!zz_store_set_fields (self, "user", user_id, f, 1, error))
      {
        zz_store_rollback (self);
        return FALSE;
      }
  }
  return zz_store_commit (self, error);
}

gboolean
zz_store_unlock_user (ZzStore *self, const char *user_id, GError **error)
{
  sqlite3_stmt *stmt;

  if (!zz_store_require (self, ZZ_PERM_MANAGE_USERS, error))
    return FALSE;
  stmt = zz_store_stmt (self, "UPDATE login_state SET failures = 0, locked_until = 0 WHERE user_id = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  if (!zz_store_step_done (self, stmt, error))
    return FALSE;
  g_signal_emit_by_name (self, "changed::user", "user");
  return TRUE;
}
