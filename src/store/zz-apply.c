/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-schema.h"
#include "zz-store-sync.h"
#include "zz-uuid.h"

/* Applying ops received from other nodes.
 *
 * A mutable field is a multi-value register. Its heads (table field_head) are the set ops no
 * held op names as a parent; a field without head rows has its row's create op as its only head.
 * The row shows the winner among the heads: highest clock, then origin. Every value stays stored
 * in its op, so nothing is lost when a conflict is settled. The result depends only on the set of
 * ops held, never on the order they arrived in. */

gboolean
zz_store_is_account_table (const char *table)
{
  const ZzSyncedTable *t = zz_schema_synced_table (table);

  return t && t->reference;
}

static gboolean
row_exists (ZzStore *self, const char *table, const char *id, char **out_home, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT home FROM \"%s\" WHERE id = ?", table);
  sqlite3_stmt *stmt = zz_store_stmt (self, sql, error);
  gboolean found = FALSE;

  if (out_home)
    *out_home = NULL;
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (out_home)
        *out_home = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  return found;
}

/* ---- row ids bound to the node that creates them ----
 *
 * A new row id is a UUID whose version nibble is 8 (RFC 9562's custom layout): the first 48
 * bits are the Unix milliseconds as in UUIDv7 (ids stay time-ordered), and the last 48 bits are
 * a BLAKE2b hash of the creating node's id and the rest of the UUID. So every receiver can tell
 * from the op alone whether its origin may create that row: another node's create reusing the
 * id does not match its own node id and is refused everywhere, whatever the arrival order. */

#define BOUND_ID_DOMAIN "zongzhi-row-id\n"

static void
bound_id_tail (const char *node_id, const char *id, char out[13])
{
  crypto_generichash_state st;
  guint8 h[6];

  crypto_generichash_init (&st, NULL, 0, sizeof h);
  crypto_generichash_update (&st, (const guint8 *) BOUND_ID_DOMAIN, strlen (BOUND_ID_DOMAIN));
  crypto_generichash_update (&st, (const guint8 *) node_id, strlen (node_id));
  crypto_generichash_update (&st, (const guint8 *) "\n", 1);
  crypto_generichash_update (&st, (const guint8 *) id, 24);
  crypto_generichash_final (&st, h, sizeof h);
  sodium_bin2hex (out, 13, h, sizeof h);
}

char *
zz_store_bound_id_new (const char *node_id, gint64 unix_ms)
{
  char *id = zz_uuid7_new_at (unix_ms);
  char tail[13];

  id[14] = '8';
  bound_id_tail (node_id, id, tail);
  memcpy (id + 24, tail, 12);
  return id;
}

ZzIdBinding
zz_store_id_binding (const char *id, const char *origin)
{
  char tail[13];

  if (!zz_uuid_is_valid (id) || id[14] != '8')
    return ZZ_ID_UNBOUND;
  bound_id_tail (origin, id, tail);
  return memcmp (id + 24, tail, 12) == 0 ? ZZ_ID_BOUND_TO_ORIGIN : ZZ_ID_BOUND_ELSEWHERE;
}

/* A table or field name a newer version may use: lower-case letters, digits and underscores,
 * as every name of the schema. */
static gboolean
valid_name (const char *name)
{
  static const char *const reserved[] = { "id", "home", "created_hlc", "updated_hlc", "deleted", "rowid", "oid", NULL };
  gsize n = strlen (name);

  if (n == 0 || n > 63 || !g_ascii_islower (name[0]) || g_strv_contains (reserved, name))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]) && name[i] != '_')
      return FALSE;
  return TRUE;
}

/* A table (or index, view, trigger) of this database that no op may change: this node's own
 * tables (node, setting, the op log, ...) and derived ones. A newer version does not reuse their
 * names for synced tables. */
static gboolean
local_object (ZzStore *self, const char *name)
{
  sqlite3_stmt *stmt;

  /* SQLite's own (sqlite_master, sqlite_sequence, ...) */
  if (g_str_has_prefix (name, "sqlite_"))
    return TRUE;
  stmt = zz_store_stmt (self, "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?)", NULL);
  if (!stmt)
    return TRUE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return zz_store_query_int (self, stmt, 1) != 0;
}

ZzOpKnown
zz_store_op_known (const ZzOp *op)
{
  const ZzSyncedTable *t = zz_schema_synced_table (op->table);

  if (!t)
    return ZZ_OP_NEWER;
  for (guint i = 0; i < op->n_fields; i++)
    if (!zz_schema_has_field (t, op->fields[i].name))
      return g_strcmp0 (op->kind, "create") == 0 || g_strcmp0 (op->kind, "append") == 0
             ? ZZ_OP_NEWER_FIELDS : ZZ_OP_NEWER;
  return ZZ_OP_KNOWN;
}

/* An op of a table or field this version does not know (a newer version's) is authorised by
 * what does not need the table's declaration: its form, its kind, its record id and home, the
 * origin's scope, who settles conflicts, and bound ids. What needs the declaration (append-only,
 * accounts and reference data, the home of an existing row of an unknown table) is decided by
 * the version that knows the table, when it applies the op (zz_store_apply_newer). */
char *
zz_store_authorise_op (ZzStore *self, const ZzOp *op, const char *origin_unit)
{
  const ZzSyncedTable *t = zz_schema_synced_table (op->table);
  gboolean is_set = g_strcmp0 (op->kind, "set") == 0 || g_strcmp0 (op->kind, "resolve") == 0;
  g_autofree char *row_home = NULL;

  if (!t && !valid_name (op->table))
    return g_strdup (_("It names a table whose name is malformed."));
  if (!t && local_object (self, op->table))
    return g_strdup_printf (_("It changes “%s”, which is not a synced table."), op->table);
  if (g_strcmp0 (op->kind, "create") == 0 || g_strcmp0 (op->kind, "append") == 0)
    {
      if (t && (g_strcmp0 (op->kind, "append") == 0) != (t->immutable != FALSE))
        return g_strdup (_("Its kind does not fit the table (records are appended only to immutable tables)."));
    }
  else if (is_set)
    {
      if (t && t->immutable)
        return g_strdup (_("It changes an immutable record in place."));
      if (op->n_fields != 1 || !op->has_parents)
        return g_strdup (_("A change of a field must name exactly one field and the values it replaces."));
    }
  else if (g_strcmp0 (op->kind, "tombstone") == 0)
    {
      /* append-only records (supervision notes, escalations, return visits, ...) are never
       * removed, not even by the node that wrote them */
      if (t && t->immutable)
        return g_strdup (_("It removes an append-only record."));
      if (op->n_fields != 0)
        return g_strdup (_("A removal carries no values."));
    }
  else
    return g_strdup_printf (_("Its kind “%s” is unknown."), op->kind);
  for (guint i = 0; i < op->n_fields; i++)
    if ((!t || !zz_schema_has_field (t, op->fields[i].name)) && !valid_name (op->fields[i].name))
      return g_strdup (_("It names a field whose name is malformed."));
  if (strlen (op->row_id) == 0 || strlen (op->row_id) > 64)
    return g_strdup (_("Its record id is malformed."));
  if (zz_org_level (op->home) == 0)
    return g_strdup_printf (_("Its home org unit “%s” is malformed."), op->home);
  if (!zz_org_within (op->home, origin_unit))
    return g_strdup_printf (_("The node of org unit %s may not change records of org unit %s."), origin_unit, op->home);
  if (zz_store_is_account_table (op->table) && (zz_org_level (origin_unit) > 3 || zz_org_level (op->home) > 3))
    return g_strdup (_("Accounts and reference data come only from county or prefecture nodes."));
  if (g_strcmp0 (op->kind, "resolve") == 0 && zz_org_level (origin_unit) > 3)
    return g_strdup (_("Only a county or prefecture node settles conflicts."));
  if ((g_strcmp0 (op->kind, "create") == 0 || g_strcmp0 (op->kind, "append") == 0)
      && zz_store_id_binding (op->row_id, op->origin) == ZZ_ID_BOUND_ELSEWHERE)
    return g_strdup (_("It creates a record under an id that belongs to another node."));
  /* a create that repeats an id fails on the row's primary key when applied */
  if (t && (is_set || g_strcmp0 (op->kind, "tombstone") == 0))
    if (row_exists (self, op->table, op->row_id, &row_home, NULL))
    {
      if (g_strcmp0 (row_home, op->home) != 0)
        return g_strdup_printf (_("It claims the record belongs to %s, but it belongs to %s."), op->home, row_home);
    }
  return NULL;
}

static void
bind_value (sqlite3_stmt *stmt, int i, const ZzOpField *f)
{
  switch (f->type)
    {
    case ZZ_OP_VALUE_NULL: sqlite3_bind_null (stmt, i); break;
    case ZZ_OP_VALUE_TEXT: sqlite3_bind_text (stmt, i, f->s, -1, SQLITE_STATIC); break;
    case ZZ_OP_VALUE_INT: sqlite3_bind_int64 (stmt, i, f->i); break;
    }
}

static gboolean
insert_op_row (ZzStore *self, const ZzOp *op, const guint8 *hash, const char *body, gsize len,
               gboolean replace_stub, GError **error)
{
  sqlite3_stmt *stmt;

  if (replace_stub)
    stmt = zz_store_stmt (self, "UPDATE op SET hlc = ?5, author = ?6, kind = ?7, tbl = ?8, row_id = ?9,"
                                " home = ?10, body = ?11 WHERE origin = ?1 AND seq = ?2 AND hash = ?3 AND prev = ?4", error);
  else
    stmt = zz_store_stmt (self, "INSERT INTO op (origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->seq);
  sqlite3_bind_blob (stmt, 3, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, op->prev, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, (gint64) op->hlc);
  sqlite3_bind_text (stmt, 6, op->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, op->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, op->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, op->home, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 11, body, len, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

gboolean
zz_store_insert_placeholder (ZzStore *self, const char *origin, gint64 seq, const guint8 *hash,
                             const guint8 *prev, ZzPlaceholder kind, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "INSERT INTO op (origin, seq, hash, prev, hlc, author, kind, tbl, row_id, home, body)"
                                            " VALUES (?, ?, ?, ?, 0, NULL, ?, '', '', '', X'')", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_blob (stmt, 3, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, prev, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, zz_store_placeholder_kind (kind), -1, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

gboolean
zz_store_insert_stub (ZzStore *self, const char *origin, gint64 seq, const guint8 *hash,
                      const guint8 *prev, GError **error)
{
  return zz_store_insert_placeholder (self, origin, seq, hash, prev, ZZ_PLACEHOLDER_FINAL, error);
}

const char *
zz_store_placeholder_kind (ZzPlaceholder kind)
{
  switch (kind)
    {
    case ZZ_PLACEHOLDER_OWED: return "hole";
    case ZZ_PLACEHOLDER_LOCAL: return "local";
    case ZZ_PLACEHOLDER_FINAL: default: return "stub";
    }
}

gboolean
zz_store_settle_placeholder (ZzStore *self, const char *origin, gint64 seq, ZzPlaceholder kind, GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "UPDATE op SET kind = ?3 WHERE origin = ?1 AND seq = ?2 AND kind = 'hole'", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, zz_store_placeholder_kind (kind), -1, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

static gboolean
record_refused (ZzStore *self, const guint8 *hash, const char *origin, gint64 seq, const char *reason,
                GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "INSERT OR IGNORE INTO sync_refused (hash, origin, seq, reason, at)"
                                            " VALUES (?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, seq);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, zz_store_now (self));
  return zz_store_step_done (self, stmt, error);
}

/* Shows the winning head's value of a field in its row (if the row is there). */
static gboolean
materialise (ZzStore *self, const char *table, const char *id, const char *field, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *body = NULL;
  gsize len = 0;
  ZzOp op;
  gboolean ok = TRUE;

  stmt = zz_store_stmt (self, "SELECT o.body FROM field_head h JOIN op o ON o.hash = h.op_hash"
                              " WHERE h.tbl = ? AND h.row_id = ? AND h.field = ?"
                              " ORDER BY o.hlc DESC, o.origin DESC LIMIT 1", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      len = sqlite3_column_bytes (stmt, 0);
      body = g_strndup (sqlite3_column_blob (stmt, 0), len);
    }
  sqlite3_reset (stmt);
  if (!body)
    return TRUE;
  if (!zz_op_parse (body, len, &op, error))
    return FALSE;
  for (guint i = 0; i < op.n_fields; i++)
    if (strcmp (op.fields[i].name, field) == 0)
      {
        g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ? WHERE id = ?", table, field);
        stmt = zz_store_stmt (self, sql, error);
        if (!stmt)
          {
            ok = FALSE;
            break;
          }
        bind_value (stmt, 1, &op.fields[i]);
        sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
        ok = zz_store_step_done (self, stmt, error);
        break;
      }
  zz_op_clear (&op);
  return ok;
}

static gboolean
touch_row (ZzStore *self, const char *table, const char *id, ZzHlc hlc, gboolean deleted, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET updated_hlc = max(updated_hlc, ?)%s WHERE id = ?",
                                          table, deleted ? ", deleted = 1" : "");
  sqlite3_stmt *stmt = zz_store_stmt (self, sql, error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) hlc);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

/* Does an applied set op of the row (not refused) name @parent? Rare path: reads the bodies. */
static gboolean
named_by_others (ZzStore *self, const char *table, const char *id, const guint8 *parent)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT body FROM op WHERE tbl = ? AND row_id = ? AND kind IN ('set', 'resolve')"
                                            " AND hash NOT IN (SELECT hash FROM sync_refused)", NULL);
  gboolean named = FALSE;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (bodies, g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < bodies->len && !named; i++)
    {
      ZzOp op;
      gsize len;
      const char *body = g_bytes_get_data (bodies->pdata[i], &len);

      if (!zz_op_parse (body, len, &op, NULL))
        continue;
      for (guint j = 0; j < op.n_parents && !named; j++)
        named = memcmp (op.parents[j], parent, ZZ_HASH_BYTES) == 0;
      zz_op_clear (&op);
    }
  return named;
}

/* A set op applied before its row's create turned out to claim another home: refuse it now and
 * give its parents back their place as heads, as if it had been refused on arrival. */
static gboolean
refuse_mismatched (ZzStore *self, const char *table, const char *id, const char *home, GError **error)
{
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  stmt = zz_store_stmt (self, "SELECT hash, origin, seq FROM op WHERE tbl = ? AND row_id = ? AND home != ?"
                              " AND kind NOT IN ('stub', 'hole', 'local') AND hash NOT IN (SELECT hash FROM sync_refused)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, home, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (bad, g_memdup2 (sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES));
      g_ptr_array_add (origins, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_array_append_val (seqs, seq);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < bad->len; i++)
    {
      g_autoptr(GPtrArray) parents = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *reason = g_strdup_printf (_("It claims the record belongs to another org unit than %s."), home);

      if (!record_refused (self, bad->pdata[i], origins->pdata[i], g_array_index (seqs, gint64, i), reason, error))
        return FALSE;
      stmt = zz_store_stmt (self, "DELETE FROM field_head WHERE op_hash = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, bad->pdata[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
      /* its parents, read from its body */
      stmt = zz_store_stmt (self, "SELECT body FROM op WHERE hash = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, bad->pdata[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          ZzOp b;
          gsize blen = sqlite3_column_bytes (stmt, 0);
          g_autofree char *btext = g_strndup (sqlite3_column_blob (stmt, 0), blen);

          sqlite3_reset (stmt);
          if (zz_op_parse (btext, blen, &b, NULL))
            {
              for (guint j = 0; j < b.n_parents; j++)
                g_ptr_array_add (parents, g_memdup2 (b.parents[j], ZZ_HASH_BYTES));
              zz_op_clear (&b);
            }
        }
      else
        sqlite3_reset (stmt);
      stmt = zz_store_stmt (self, "DELETE FROM op_parent WHERE child = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, bad->pdata[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
      for (guint j = 0; j < parents->len; j++)
        {
          /* a set parent becomes a head again unless another op still applied names it */
          if (named_by_others (self, table, id, parents->pdata[j]))
            continue;
          stmt = zz_store_stmt (self, "SELECT kind, tbl, row_id, body FROM op WHERE hash = ?", error);
          if (!stmt)
            return FALSE;
          sqlite3_bind_blob (stmt, 1, parents->pdata[j], ZZ_HASH_BYTES, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW
              && (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "set") == 0
                  || g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "resolve") == 0))
            {
              ZzOp p;
              gsize len = sqlite3_column_bytes (stmt, 3);
              g_autofree char *body = g_strndup (sqlite3_column_blob (stmt, 3), len);

              sqlite3_reset (stmt);
              /* a parent of a field this version does not know is no head here: it waits,
               * unapplied, for the version that knows it */
              if (zz_op_parse (body, len, &p, NULL))
                {
                  gboolean ok = TRUE;

                  if (p.n_fields == 1 && zz_store_op_known (&p) == ZZ_OP_KNOWN)
                    {
                      sqlite3_stmt *ins = zz_store_stmt (self, "INSERT OR IGNORE INTO field_head (tbl, row_id, field, op_hash)"
                                                               " VALUES (?, ?, ?, ?)", error);
                      ok = ins != NULL;
                      if (ok)
                        {
                          sqlite3_bind_text (ins, 1, p.table, -1, SQLITE_STATIC);
                          sqlite3_bind_text (ins, 2, p.row_id, -1, SQLITE_STATIC);
                          sqlite3_bind_text (ins, 3, p.fields[0].name, -1, SQLITE_STATIC);
                          sqlite3_bind_blob (ins, 4, parents->pdata[j], ZZ_HASH_BYTES, SQLITE_STATIC);
                          ok = zz_store_step_done (self, ins, error);
                        }
                    }
                  zz_op_clear (&p);
                  if (!ok)
                    return FALSE;
                }
            }
          else
            sqlite3_reset (stmt);
        }
    }
  return TRUE;
}

static gboolean
apply_create (ZzStore *self, const ZzOp *op, const guint8 *hash, gboolean *refused, GError **error)
{
  const ZzSyncedTable *t = zz_schema_synced_table (op->table);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc, n = 0;

  /* names come from the synced-field whitelist; a field this version does not know (a newer
   * version's) is left out, and written by the version that knows it (zz_store_apply_newer) */
  g_string_append (sql, "INSERT INTO \"");
  g_string_append (sql, op->table);
  g_string_append (sql, "\" (id, home, created_hlc, updated_hlc");
  for (guint i = 0; i < op->n_fields; i++)
    if (zz_schema_has_field (t, op->fields[i].name))
      {
        g_string_append (sql, ", \"");
        g_string_append (sql, op->fields[i].name);
        g_string_append_c (sql, '"');
      }
  g_string_append (sql, ") VALUES (?, ?, ?, ?");
  for (guint i = 0; i < op->n_fields; i++)
    if (zz_schema_has_field (t, op->fields[i].name))
      g_string_append (sql, ", ?");
  g_string_append_c (sql, ')');
  stmt = zz_store_stmt (self, sql->str, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->home, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) op->hlc);
  sqlite3_bind_int64 (stmt, 4, (gint64) op->hlc);
  for (guint i = 0; i < op->n_fields; i++)
    if (zz_schema_has_field (t, op->fields[i].name))
      bind_value (stmt, 5 + n++, &op->fields[i]);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      *refused = TRUE;
      return record_refused (self, hash, op->origin, op->seq,
                             _("The record lacks a required value or repeats an existing id."), error);
    }
  if (rc != SQLITE_DONE)
    return zz_store_db_error (self, error);

  /* Ops that arrived before their row: settle homes, then show their values. */
  stmt = zz_store_stmt (self, "SELECT count(*) FROM op WHERE tbl = ? AND row_id = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
  if (zz_store_query_int (self, stmt, 0) <= 1)
    return TRUE;
  if (!refuse_mismatched (self, op->table, op->row_id, op->home, error))
    return FALSE;
  stmt = zz_store_stmt (self, "SELECT DISTINCT field FROM field_head WHERE tbl = ? AND row_id = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (fields, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < fields->len; i++)
    if (!materialise (self, op->table, op->row_id, fields->pdata[i], error))
      return FALSE;
  {
      gint64 max_hlc = 0, tomb = 0;

      /* ops waiting for a newer version are not applied yet: they touch the row when they are */
      stmt = zz_store_stmt (self, "SELECT max(hlc), max(kind = 'tombstone') FROM op WHERE tbl = ? AND row_id = ? AND home = ?"
                                  " AND hash NOT IN (SELECT hash FROM sync_refused WHERE origin = op.origin)"
                                  " AND hash NOT IN (SELECT hash FROM sync_newer WHERE partial = 0)", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, op->home, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          max_hlc = sqlite3_column_int64 (stmt, 0);
          tomb = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (max_hlc > (gint64) op->hlc || tomb)
        return touch_row (self, op->table, op->row_id, (ZzHlc) max_hlc, tomb != 0, error);
  }
  return TRUE;
}

/* ---- batches ---- */

typedef struct {
  GHashTable *stored;          /* hashes of the ops stored in this batch: 1 create or append,
                                * 2 any other kind */
  gboolean op_parent_empty;    /* no op waits for a parent not held */
} ApplyBatch;

static void
apply_batch_free (gpointer p)
{
  ApplyBatch *b = p;

  g_hash_table_unref (b->stored);
  g_free (b);
}

static guint
hash_bytes_hash (gconstpointer p)
{
  guint h;

  memcpy (&h, p, sizeof h);   /* the bytes of a BLAKE2b hash are uniform */
  return h;
}

static gboolean
hash_bytes_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, ZZ_HASH_BYTES) == 0;
}

static ApplyBatch *
batch_of (ZzStore *self)
{
  return g_object_get_data (G_OBJECT (self), "zz-apply-batch");
}

void
zz_store_apply_batch_begin (ZzStore *self)
{
  ApplyBatch *b = g_new0 (ApplyBatch, 1);
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT EXISTS (SELECT 1 FROM op_parent)", NULL);

  b->stored = g_hash_table_new_full (hash_bytes_hash, hash_bytes_equal, g_free, NULL);
  b->op_parent_empty = stmt && zz_store_query_int (self, stmt, 1) == 0;
  g_object_set_data_full (G_OBJECT (self), "zz-apply-batch", b, apply_batch_free);
}

void
zz_store_apply_batch_end (ZzStore *self)
{
  g_object_set_data (G_OBJECT (self), "zz-apply-batch", NULL);
}

static gboolean
apply_set (ZzStore *self, const ZzOp *op, const guint8 *hash, GError **error)
{
  const char *field = op->fields[0].name;
  ApplyBatch *batch = batch_of (self);
  sqlite3_stmt *stmt;
  gboolean named;

  for (guint i = 0; i < op->n_parents; i++)
    {
      /* a create or append is never a head row (a field's head rows are sets and resolves):
       * held, and nothing to remove */
      if (batch && GPOINTER_TO_INT (g_hash_table_lookup (batch->stored, op->parents[i])) == 1)
        continue;
      stmt = zz_store_stmt (self, "DELETE FROM field_head WHERE tbl = ? AND row_id = ? AND field = ? AND op_hash = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, op->parents[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) > 0)
        continue;
      /* A parent not held yet must never become a head when it arrives: remember that this op
       * names it. (A parent already held is no head any more, or never was one.) */
      if (batch && g_hash_table_contains (batch->stored, op->parents[i]))
        continue;
      stmt = zz_store_stmt (self, "SELECT count(*) FROM op WHERE hash = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, op->parents[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      if (zz_store_query_int (self, stmt, 0) > 0)
        continue;
      stmt = zz_store_stmt (self, "INSERT OR IGNORE INTO op_parent (parent, child) VALUES (?, ?)", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, op->parents[i], ZZ_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
      if (batch)
        batch->op_parent_empty = FALSE;
    }
  /* An op that a held op already names as parent has been superseded on arrival. */
  if (batch && batch->op_parent_empty)
    named = FALSE;
  else
    {
      stmt = zz_store_stmt (self, "SELECT count(*) FROM op_parent WHERE parent = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
      named = zz_store_query_int (self, stmt, 0) > 0;
    }
  if (!named)
    {
      stmt = zz_store_stmt (self, "INSERT OR IGNORE INTO field_head (tbl, row_id, field, op_hash) VALUES (?, ?, ?, ?)", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
    }
  /* the usual case: this op is now the field's only head, and its value is the value */
  stmt = zz_store_stmt (self, "SELECT count(*) FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  if (!named && zz_store_query_int (self, stmt, 0) == 1)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?, updated_hlc = max(updated_hlc, ?) WHERE id = ?",
                                              op->table, field);
      stmt = zz_store_stmt (self, sql, error);
      if (!stmt)
        return FALSE;
      bind_value (stmt, 1, &op->fields[0]);
      sqlite3_bind_int64 (stmt, 2, (gint64) op->hlc);
      sqlite3_bind_text (stmt, 3, op->row_id, -1, SQLITE_STATIC);
      return zz_store_step_done (self, stmt, error);
    }
  if (!materialise (self, op->table, op->row_id, field, error))
    return FALSE;
  return touch_row (self, op->table, op->row_id, op->hlc, FALSE, error);
}

/* Records an op of a table or field this version does not know: kept with its chain (its op
 * row), never applied here (or, @partial, applied without what this version does not know). */
static gboolean
hold_newer (ZzStore *self, const ZzOp *op, const guint8 *hash, const char *origin_unit, gboolean partial,
            GError **error)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "INSERT OR IGNORE INTO sync_newer (hash, origin, seq, origin_unit, partial, at)"
                                            " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, op->seq);
  sqlite3_bind_text (stmt, 4, origin_unit, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, partial ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, zz_store_now (self));
  return zz_store_step_done (self, stmt, error);
}

/* Applies an op stored in the op log and authorised. */
static gboolean
apply_stored (ZzStore *self, const ZzOp *op, const guint8 *hash, gboolean *refused, GError **error)
{
  *refused = FALSE;
  if (g_strcmp0 (op->kind, "create") == 0 || g_strcmp0 (op->kind, "append") == 0)
    {
      if (!apply_create (self, op, hash, refused, error))
        return FALSE;
    }
  else if (g_strcmp0 (op->kind, "set") == 0 || g_strcmp0 (op->kind, "resolve") == 0)
    {
      if (!apply_set (self, op, hash, error))
        return FALSE;
    }
  else if (g_strcmp0 (op->kind, "tombstone") == 0)
    {
      if (!touch_row (self, op->table, op->row_id, op->hlc, TRUE, error))
        return FALSE;
    }
  if (!*refused)
    zz_store_mark_changed (self, op->table);
  return TRUE;
}

gboolean
zz_store_apply_remote (ZzStore     *self,
                       const ZzOp  *op,
                       const guint8 *hash,
                       const char  *body,
                       gsize        len,
                       const char  *origin_unit,
                       const char  *refuse_reason,
                       gboolean     replace_stub,
                       gboolean    *out_refused,
                       gboolean    *out_newer,
                       GError     **error)
{
  gboolean refused = refuse_reason != NULL;
  ZzOpKnown known = zz_store_op_known (op);

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (out_newer)
    *out_newer = FALSE;
  if (!insert_op_row (self, op, hash, body, len, replace_stub, error))
    return FALSE;
  {
    ApplyBatch *batch = batch_of (self);

    if (batch)
      g_hash_table_insert (batch->stored, g_memdup2 (hash, ZZ_HASH_BYTES),
                           GINT_TO_POINTER (g_strcmp0 (op->kind, "create") == 0
                                            || g_strcmp0 (op->kind, "append") == 0 ? 1 : 2));
  }
  if (refuse_reason)
    {
      if (!record_refused (self, hash, op->origin, op->seq, refuse_reason, error))
        return FALSE;
    }
  else if (known == ZZ_OP_NEWER)
    {
      /* a newer version's table or field: kept, relayed, applied by the version that knows it */
      if (!hold_newer (self, op, hash, origin_unit, FALSE, error))
        return FALSE;
      if (out_newer)
        *out_newer = TRUE;
    }
  else
    {
      if (!apply_stored (self, op, hash, &refused, error))
        return FALSE;
      if (!refused && known == ZZ_OP_NEWER_FIELDS)
        {
          /* a known record with a newer version's fields: the rest waits for that version */
          if (!hold_newer (self, op, hash, origin_unit, TRUE, error))
            return FALSE;
          if (out_newer)
            *out_newer = TRUE;
        }
    }
  if (out_refused)
    *out_refused = refused;
  return TRUE;
}

/* A create or append applied without the fields this version did not know: those fields, now
 * known, get the create's value unless a later set of the field is held (which then decides). */
static gboolean
complete_partial (ZzStore *self, const ZzOp *op, GError **error)
{
  const ZzSyncedTable *t = zz_schema_synced_table (op->table);

  for (guint i = 0; i < op->n_fields; i++)
    {
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (!zz_schema_has_field (t, op->fields[i].name))
        continue;
      stmt = zz_store_stmt (self, "SELECT count(*) FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?", error);
      if (!stmt)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, op->fields[i].name, -1, SQLITE_STATIC);
      if (zz_store_query_int (self, stmt, 0) > 0)
        continue;
      sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ? WHERE id = ? AND home = ?", op->table, op->fields[i].name);
      stmt = zz_store_stmt (self, sql, error);
      if (!stmt)
        return FALSE;
      bind_value (stmt, 1, &op->fields[i]);
      sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, op->home, -1, SQLITE_STATIC);
      if (!zz_store_step_done (self, stmt, error))
        return FALSE;
    }
  zz_store_mark_changed (self, op->table);
  return TRUE;
}

typedef struct {
  guint8 hash[ZZ_HASH_BYTES];
  char *origin;
  gint64 seq;
  ZzHlc order;
  char *unit;
  gboolean partial;
} NewerOp;

static void
newer_op_free (gpointer p)
{
  NewerOp *n = p;

  g_free (n->origin);
  g_free (n->unit);
  g_free (n);
}

static int
compare_newer (gconstpointer a, gconstpointer b)
{
  const NewerOp *x = *(const NewerOp * const *) a, *y = *(const NewerOp * const *) b;
  int c;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  if ((c = strcmp (x->origin, y->origin)) != 0)
    return c;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* One kept op, on opening with this version: applied if this version knows it, authorised in
 * full first (or stored as refused); kept if it is still a newer version's, unless this
 * version's rules refuse it (a table this version has as its own). */
static gboolean
apply_one_newer (ZzStore *self, const NewerOp *n, guint *applied, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  gsize len = 0;
  gboolean refused = FALSE, ok = TRUE, keep = FALSE;
  ZzOp op;

  stmt = zz_store_stmt (self, "SELECT body, EXISTS (SELECT 1 FROM sync_refused r WHERE r.hash = op.hash)"
                              " FROM op WHERE hash = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, n->hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      len = sqlite3_column_bytes (stmt, 0);
      body = g_strndup (sqlite3_column_blob (stmt, 0), len);
      refused = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  /* refused meanwhile (a set claiming another home than its row's): stays refused */
  if (body && !refused)
    {
      /* read when it arrived; a body altered since in the file stays kept, and does not stop
       * the upgrade */
      if (!zz_op_parse (body, len, &op, NULL))
        return TRUE;
      if (!n->partial || zz_store_op_known (&op) != ZZ_OP_KNOWN)
        reason = zz_store_authorise_op (self, &op, n->unit);
      if (reason)
        ok = record_refused (self, n->hash, op.origin, op.seq, reason, error);
      else if (zz_store_op_known (&op) != ZZ_OP_KNOWN)
        keep = TRUE;
      else if (n->partial)
        ok = complete_partial (self, &op, error);
      else
        ok = apply_stored (self, &op, n->hash, &refused, error);
      if (ok && !reason && !keep && !refused)
        (*applied)++;
      zz_op_clear (&op);
      if (!ok || keep)
        return ok;
    }
  stmt = zz_store_stmt (self, "DELETE FROM sync_newer WHERE hash = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, n->hash, ZZ_HASH_BYTES, SQLITE_STATIC);
  return zz_store_step_done (self, stmt, error);
}

gboolean
zz_store_apply_newer (ZzStore *self, guint *out_applied, GError **error)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (newer_op_free);
  sqlite3_stmt *stmt;
  const char *origin = NULL;
  ZzHlc order = 0;
  guint applied = 0;

  g_return_val_if_fail (self->depth > 0, FALSE);

  /* in chain order: per origin by seq, in clock order across origins, never before an earlier
   * op of the same origin (as an import applies them) */
  stmt = zz_store_stmt (self, "SELECT n.hash, n.origin, n.seq, o.hlc, n.origin_unit, n.partial FROM sync_newer n"
                              " JOIN op o ON o.hash = n.hash ORDER BY n.origin, n.seq", error);
  if (!stmt)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      NewerOp *n = g_new0 (NewerOp, 1);

      memcpy (n->hash, sqlite3_column_blob (stmt, 0), ZZ_HASH_BYTES);
      n->origin = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      n->seq = sqlite3_column_int64 (stmt, 2);
      if (g_strcmp0 (origin, n->origin) != 0)
        order = 0;
      order = MAX (order, (ZzHlc) sqlite3_column_int64 (stmt, 3));
      n->order = order;
      n->unit = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      n->partial = sqlite3_column_int (stmt, 5) != 0;
      origin = n->origin;
      g_ptr_array_add (held, n);
    }
  sqlite3_reset (stmt);
  g_ptr_array_sort (held, compare_newer);
  for (guint i = 0; i < held->len; i++)
    if (!apply_one_newer (self, held->pdata[i], &applied, error))
      return FALSE;
  if (out_applied)
    *out_applied = applied;
  return TRUE;
}

/* A received clock moves this node's clock at most ZZ_HLC_MAX_DRIFT_MS ahead of its own wall
 * clock: an op stamped far in the future (a laptop with a wrong date, or a forged clock) is
 * stored and decided like any other, but does not drag this node's clock, and so every op this
 * node writes afterwards, into the future. */
void
zz_store_receive_clock (ZzStore *self, ZzHlc remote)
{
  gint64 now = zz_store_now (self);
  ZzHlc bound = ZZ_HLC_MAKE (MIN (now + ZZ_HLC_MAX_DRIFT_MS, ZZ_HLC_MS (ZZ_HLC_MAX)), 0);

  if (remote > bound)
    remote = bound;
  if (remote > self->hlc)
    self->hlc = zz_hlc_receive (self->hlc, remote, now);
}

void
zz_store_merge_clock_from_log (ZzStore *self)
{
  sqlite3_stmt *stmt = zz_store_stmt (self, "SELECT max(hlc) FROM op WHERE hlc >= 0", NULL);

  if (stmt)
    zz_store_receive_clock (self, (ZzHlc) zz_store_query_int (self, stmt, 0));
}
