/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "zz-store-private.h"
#include "zz-store-sync.h"
#include "zz-test-store.h"
#include "zz-uuid.h"

/* One op as stored, read back over a separate connection. */
typedef struct {
  gint64 seq;
  char *kind;
  char *tbl;
  char *row_id;
  char *author;
  char *home;
  gint64 hlc;
  char *hash;   /* lower-case hex */
  char *prev;
  char *body;
} Op;

static void
op_free (Op *op)
{
  g_free (op->kind);
  g_free (op->tbl);
  g_free (op->row_id);
  g_free (op->author);
  g_free (op->home);
  g_free (op->hash);
  g_free (op->prev);
  g_free (op->body);
  g_free (op);
}

static char *
col_text (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

/* This node's ops with seq > @after, oldest first. */
static GPtrArray *
read_ops (ZzTestStore *ts, gint64 after)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (ts->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, kind, tbl, row_id, author, home, hlc,"
                                           " lower(hex(hash)), lower(hex(prev)), CAST(body AS TEXT)"
                                           " FROM op WHERE origin = ? AND seq > ? ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, zz_store_get_node_id (ts->store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, after);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Op *op = g_new0 (Op, 1);
      op->seq = sqlite3_column_int64 (stmt, 0);
      op->kind = col_text (stmt, 1);
      op->tbl = col_text (stmt, 2);
      op->row_id = col_text (stmt, 3);
      op->author = col_text (stmt, 4);
      op->home = col_text (stmt, 5);
      op->hlc = sqlite3_column_int64 (stmt, 6);
      op->hash = col_text (stmt, 7);
      op->prev = col_text (stmt, 8);
      op->body = col_text (stmt, 9);
      g_ptr_array_add (ops, op);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ops;
}

static gint64
last_seq (ZzTestStore *ts)
{
  return zz_test_store_int (ts, "SELECT coalesce(max(seq), 0) FROM op");
}

static JsonObject *
parse_body (const Op *op, JsonParser **parser_out)
{
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, op->body, -1, &error))
    g_error ("op %" G_GINT64_FORMAT " body is not JSON (%s): %s", op->seq, error->message, op->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  *parser_out = parser;
  return json_node_get_object (json_parser_get_root (parser));
}

/* The only field name of a set op. */
static char *
set_field (const Op *op)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o = parse_body (op, &parser);
  JsonObject *f = json_object_get_object_member (o, "f");
  g_autoptr(GList) names = json_object_get_members (f);

  g_assert_cmpuint (g_list_length (names), ==, 1);
  return g_strdup (names->data);
}

/* Asserts the ops written since @after are exactly @expect: "kind table[.field]" items. */
static GPtrArray *
expect_ops (ZzTestStore *ts, gint64 after, const char *const *expect)
{
  GPtrArray *ops = read_ops (ts, after);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new (NULL);

  for (guint i = 0; i < ops->len; i++)
    {
      Op *op = ops->pdata[i];
      g_string_append_printf (got, "%s%s %s", i ? ", " : "", op->kind, op->tbl);
      if (g_str_equal (op->kind, "set"))
        {
          g_autofree char *f = set_field (op);
          g_string_append_printf (got, ".%s", f);
        }
    }
  for (guint i = 0; expect[i]; i++)
    g_string_append_printf (want, "%s%s", i ? ", " : "", expect[i]);
  g_assert_cmpstr (got->str, ==, want->str);
  return ops;
}

/* The stored value of a column as JSON text would carry it, for comparing with op fields. */
static void
assert_field_matches_row (ZzTestStore *ts, const Op *op, const char *name, JsonNode *value)
{
  g_autofree char *sql = g_strdup_printf ("SELECT quote(%s) FROM %s WHERE id = '%s'", name, op->tbl, op->row_id);
  g_autofree char *stored = zz_test_store_text (ts, sql);
  g_autofree char *expect = NULL;

  g_assert_nonnull (stored);
  if (JSON_NODE_HOLDS_NULL (value))
    expect = g_strdup ("NULL");
  else if (json_node_get_value_type (value) == G_TYPE_INT64)
    expect = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  else
    {
      char *q = sqlite3_mprintf ("%Q", json_node_get_string (value));
      expect = g_strdup (q);
      sqlite3_free (q);
    }
  if (g_strcmp0 (stored, expect) != 0)
    g_error ("op %" G_GINT64_FORMAT " (%s %s.%s) carries %s but the row holds %s", op->seq, op->kind,
             op->tbl, name, expect, stored);
}

/* After a verb: every op's body is JSON with the op's own columns, and the last value each op
 * wrote to a field is what the row holds now. */
static void
check_bodies (ZzTestStore *ts, GPtrArray *ops, const char *author)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = ops->len; i-- > 0;)
    {
      Op *op = ops->pdata[i];
      g_autoptr(JsonParser) parser = NULL;
      JsonObject *o = parse_body (op, &parser);
      JsonObject *f;
      g_autoptr(GList) names = NULL;

      g_assert_cmpint (json_object_get_int_member (o, "v"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (o, "o"), ==, zz_store_get_node_id (ts->store));
      g_assert_cmpint (json_object_get_int_member (o, "s"), ==, op->seq);
      g_assert_cmpstr (json_object_get_string_member (o, "p"), ==, op->prev);
      g_assert_cmpint (json_object_get_int_member (o, "c"), ==, op->hlc);
      g_assert_cmpstr (json_object_get_string_member (o, "a"), ==, author);
      g_assert_cmpstr (op->author, ==, author);
      g_assert_cmpstr (json_object_get_string_member (o, "k"), ==, op->kind);
      g_assert_cmpstr (json_object_get_string_member (o, "t"), ==, op->tbl);
      g_assert_cmpstr (json_object_get_string_member (o, "r"), ==, op->row_id);
      g_assert_cmpstr (json_object_get_string_member (o, "h"), ==, "433122");
      g_assert_cmpstr (op->home, ==, "433122");
      g_assert_true (zz_uuid_is_valid (op->row_id));
      f = json_object_get_object_member (o, "f");
      g_assert_nonnull (f);
      names = json_object_get_members (f);
      if (g_str_equal (op->kind, "tombstone"))
        g_assert_null (names);
      for (GList *l = names; l; l = l->next)
        {
          g_autofree char *key = g_strdup_printf ("%s/%s/%s", op->tbl, op->row_id, (char *) l->data);
          if (!g_hash_table_add (seen, g_steal_pointer (&key)))
            continue;
          assert_field_matches_row (ts, op, l->data, json_object_get_member (f, l->data));
        }
      /* The row records the op's stamp. */
      if (g_str_equal (op->kind, "create"))
        {
          g_autofree char *sql = g_strdup_printf ("SELECT created_hlc FROM %s WHERE id = '%s'", op->tbl, op->row_id);
          g_assert_cmpint (zz_test_store_int (ts, sql), ==, op->hlc);
        }
    }
}

/* Walks the whole log: seqs dense from 1, each prev the hash before it, each hash the BLAKE2b
 * of the body, stamps strictly increasing, and each set op naming the field's previous head
 * (the row's create op, then the last set of that field) as its only parent. */
static void
check_whole_log (ZzTestStore *ts)
{
  g_autoptr(GPtrArray) ops = read_ops (ts, 0);
  g_autoptr(GHashTable) heads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *prev = g_strnfill (64, '0');
  gint64 last_hlc = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ops->len, >, 0);
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      Op *op = ops->pdata[i];
      guint8 h[32];
      char hex[65];
      g_autoptr(JsonParser) parser = NULL;
      JsonObject *o = parse_body (op, &parser);

      g_assert_cmpint (op->seq, ==, i + 1);
      g_assert_cmpstr (op->prev, ==, prev);
      crypto_generichash (h, sizeof h, (const guint8 *) op->body, strlen (op->body), NULL, 0);
      sodium_bin2hex (hex, sizeof hex, h, sizeof h);
      g_assert_cmpstr (op->hash, ==, hex);
      g_assert_cmpint (op->hlc, >, last_hlc);
      last_hlc = op->hlc;
      g_free (prev);
      prev = g_strdup (op->hash);

      if (g_str_equal (op->kind, "create"))
        {
          g_assert_false (json_object_has_member (o, "P"));
          g_hash_table_insert (heads, g_strdup_printf ("%s/%s", op->tbl, op->row_id), g_strdup (op->hash));
        }
      else if (g_str_equal (op->kind, "set"))
        {
          g_autofree char *field = set_field (op);
          g_autofree char *key = g_strdup_printf ("%s/%s/%s", op->tbl, op->row_id, field);
          g_autofree char *row_key = g_strdup_printf ("%s/%s", op->tbl, op->row_id);
          const char *expect = g_hash_table_lookup (heads, key);
          JsonArray *parents = json_object_get_array_member (o, "P");

          if (!expect)
            expect = g_hash_table_lookup (heads, row_key);
          g_assert_nonnull (expect);
          g_assert_nonnull (parents);
          g_assert_cmpuint (json_array_get_length (parents), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (parents, 0), ==, expect);
          g_hash_table_insert (heads, g_steal_pointer (&key), g_strdup (op->hash));
        }
      else
        g_assert_cmpstr (op->kind, ==, "tombstone");
    }
  g_assert_true (zz_store_verify_chain (ts->store, NULL, &error));
  g_assert_no_error (error);
}

static char *
register_ok_ops (ZzTestStore *ts, const ZzVisitInput *in)
{
  g_autoptr(GError) error = NULL;
  char *ticket = NULL;

  g_assert_true (zz_store_register_visit (ts->store, in, NULL, &ticket, &error));
  g_assert_no_error (error);
  return ticket;
}

#define EXPECT(...) ((const char *const []) { __VA_ARGS__, NULL })

static void
test_verbs_write_their_ops (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *visit = NULL, *ticket = NULL, *ticket2 = NULL, *ticket3 = NULL, *referred = NULL;
  g_autofree char *dept = NULL, *user = NULL, *called = NULL;
  g_autoptr(ZzRow) t = NULL;
  const char *clerk = ts->user_id[ZZ_ROLE_CLERK];
  const char *admin = ts->user_id[ZZ_ROLE_ADMIN];
  ZzVisitInput in;
  gint64 n;

  /* Set-up wrote: 4 users, 3 departments, 3 windows. */
  g_assert_cmpint (zz_store_count_ops (ts->store), ==, 10);
  check_whole_log (ts);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);

  /* A new visitor: person, visit, ticket. */
  n = last_seq (ts);
  in = zz_test_visit (ts, 0, "向秀英", "138 0743 0001", "433122199001010014");
  g_assert_true (zz_store_register_visit (ts->store, &in, &visit, &ticket, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("create person", "create visit", "create ticket"));
  check_bodies (ts, ops, clerk);
  g_assert_cmpstr (((Op *) ops->pdata[1])->row_id, ==, visit);
  g_assert_cmpstr (((Op *) ops->pdata[2])->row_id, ==, ticket);
  {
    g_autoptr(GListModel) row_ops = zz_store_row_ops (ts->store, "ticket", ticket);
    g_autoptr(ZzRow) first = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (row_ops), ==, 1);
    first = g_list_model_get_item (row_ops, 0);
    g_assert_cmpstr (zz_row_get (first, "kind"), ==, "create");
    g_assert_cmpstr (zz_row_get (first, "tbl"), ==, "ticket");
    g_assert_cmpstr (zz_row_get (first, "author"), ==, clerk);
    g_assert_cmpint (zz_row_get_int (first, "seq"), ==, n + 3);
  }
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* The same person again, same phone: no person op. */
  n = last_seq (ts);
  in = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
  g_assert_true (zz_store_register_visit (ts->store, &in, NULL, &ticket2, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("create visit", "create ticket"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* The same person with a new phone: one set op for the phone. */
  n = last_seq (ts);
  in = zz_test_visit (ts, 1, "向秀英", "13907430002", "433122199001010014");
  g_assert_true (zz_store_register_visit (ts->store, &in, NULL, &ticket3, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set person.phone", "create visit", "create ticket"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* A visitor first without, then with an ID number: one set op adds it to the person. */
  in = zz_test_visit (ts, 1, "滕文军", "13807430008", NULL);
  g_free (register_ok_ops (ts, &in));
  n = last_seq (ts);
  in = zz_test_visit (ts, 1, "滕文军", "13807430008", "11010519491231002X");
  g_free (register_ok_ops (ts, &in));
  ops = expect_ops (ts, n, EXPECT ("set person.id_number", "create visit", "create ticket"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Call next: status and called_at. */
  n = last_seq (ts);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (called, ==, ticket);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.called_at"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Undo the call: back to waiting. */
  n = last_seq (ts);
  g_assert_true (zz_store_undo_ticket (ts->store, ticket, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.called_at"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Called again, then served. */
  g_clear_pointer (&called, g_free);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_no_error (error);
  n = last_seq (ts);
  g_assert_true (zz_store_start_service (ts->store, ticket, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.serving_at"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Finish answered on the spot, with a note: ticket and visit. */
  n = last_seq (ts);
  g_assert_true (zz_store_finish_ticket (ts->store, ticket, "answered", NULL, "已现场答复", NULL, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.ended_at", "set ticket.outcome",
                                   "set ticket.note", "set visit.status", "set visit.outcome"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Undo the finish: back to serving, the note gone, the visit open again. */
  n = last_seq (ts);
  g_assert_true (zz_store_undo_ticket (ts->store, ticket, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.ended_at", "set ticket.outcome",
                                   "set ticket.note", "set visit.status", "set visit.outcome"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);
  t = zz_store_get_ticket (ts->store, ticket);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "serving");
  g_clear_object (&t);

  /* Referred to window 3: finish, a new ticket there, and the link. */
  n = last_seq (ts);
  g_assert_true (zz_store_finish_ticket (ts->store, ticket, "referred", ts->window_id[2], NULL, &referred, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.ended_at", "set ticket.outcome",
                                   "create ticket", "set ticket.referred_to"));
  check_bodies (ts, ops, clerk);
  g_assert_cmpstr (((Op *) ops->pdata[3])->row_id, ==, referred);
  g_assert_cmpstr (((Op *) ops->pdata[4])->row_id, ==, ticket);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Undo the referral: the new ticket is tombstoned. */
  n = last_seq (ts);
  g_assert_true (zz_store_undo_ticket (ts->store, ticket, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("tombstone ticket", "set ticket.status", "set ticket.ended_at",
                                   "set ticket.outcome", "set ticket.referred_to"));
  check_bodies (ts, ops, clerk);
  g_assert_cmpstr (((Op *) ops->pdata[0])->row_id, ==, referred);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Served straight from the waiting list: status, serving_at and called_at. */
  n = last_seq (ts);
  g_assert_true (zz_store_start_service (ts->store, ticket3, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.serving_at", "set ticket.called_at"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Left before being called: no note, three ticket fields and the visit. */
  n = last_seq (ts);
  g_assert_true (zz_store_finish_ticket (ts->store, ticket2, "left", NULL, "  ", NULL, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set ticket.status", "set ticket.ended_at", "set ticket.outcome",
                                   "set visit.status", "set visit.outcome"));
  check_bodies (ts, ops, clerk);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Administration. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  n = last_seq (ts);
  g_assert_true (zz_store_save_department (ts->store, NULL, "妇联", 9, "rotating", 4, &dept, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("create department", "create window"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  n = last_seq (ts);
  g_assert_true (zz_store_save_department (ts->store, dept, "县妇联", 10, "rotating", 4, NULL, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set department.name", "set window.number"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Saving without a change writes nothing. */
  n = last_seq (ts);
  g_assert_true (zz_store_save_department (ts->store, dept, "县妇联", 10, "rotating", 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (last_seq (ts), ==, n);

  n = last_seq (ts);
  g_assert_true (zz_store_retire_department (ts->store, dept, TRUE, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set department.retired"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  n = last_seq (ts);
  g_assert_true (zz_store_create_user (ts->store, "clerk2", "田翠兰", ZZ_ROLE_CLERK, "Tian2024x", &user, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("create user"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  n = last_seq (ts);
  g_assert_true (zz_store_update_user (ts->store, user, "田翠兰", ZZ_ROLE_MEDIATOR, FALSE, &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set user.role", "set user.active"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  n = last_seq (ts);
  g_assert_true (zz_store_set_user_password (ts->store, user, "Tian2025x", &error));
  g_assert_no_error (error);
  ops = expect_ops (ts, n, EXPECT ("set user.password_hash"));
  check_bodies (ts, ops, admin);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* The whole log: dense, chained, parents right, stamps rising although the clock never moved. */
  check_whole_log (ts);
}

static void
test_refused_inside_transaction (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = NULL, *referred = NULL, *before = NULL;
  ZzVisitInput in = zz_test_visit (ts, 0, "龙国庆", "13807430003", NULL);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  g_assert_true (zz_store_register_visit (ts->store, &in, NULL, &ticket, &error));
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], NULL, &error));
  g_assert_true (zz_store_finish_ticket (ts->store, ticket, "referred", ts->window_id[1], NULL, &referred, &error));
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[1], NULL, &error));
  g_assert_no_error (error);

  /* Undoing the referral fails once the new ticket has been called: this verb fails after its
   * transaction began, and the chain head in memory must roll back with it. */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_undo_ticket (ts->store, ticket, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_call_next (ts->store, ts->window_id[2], NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A write that fails after its ops were appended (here a trigger stands in for a full disk):
   * nothing is kept, and the chain head in memory goes back with the rollback. */
  zz_test_store_exec (ts, "CREATE TRIGGER fail_ticket BEFORE INSERT ON ticket"
                          " WHEN (SELECT purpose FROM visit WHERE id = NEW.visit_id) = '触发失败'"
                          " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
  g_free (before);
  before = zz_test_store_snapshot (ts);
  in = zz_test_visit (ts, 2, "麻晓燕", "13807430004", "433122199001010014");
  in.purpose = "触发失败";
  g_assert_false (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_DB);
  g_assert_nonnull (strstr (error->message, "simulated failure"));
  g_clear_error (&error);

  /* The next verb continues the chain without a gap. */
  in = zz_test_visit (ts, 2, "龙国庆", "13807430003", NULL);
  g_assert_true (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
  g_assert_no_error (error);
  check_whole_log (ts);
}

static void
do_many_verbs (ZzTestStore *ts, guint n)
{
  g_autoptr(GError) error = NULL;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("访客%u", i);
      g_autofree char *phone = g_strdup_printf ("1370743%04u", i);
      g_autofree char *ticket = NULL;
      ZzVisitInput in = zz_test_visit (ts, i % 3, name, phone, NULL);

      g_assert_true (zz_store_register_visit (ts->store, &in, NULL, &ticket, &error));
      g_assert_no_error (error);
      if (i % 2 == 0)
        {
          g_autofree char *called = NULL;
          g_assert_true (zz_store_call_next (ts->store, ts->window_id[i % 3], &called, &error));
          g_assert_no_error (error);
          g_assert_true (zz_store_finish_ticket (ts->store, called, "answered", NULL, NULL, NULL, &error));
          g_assert_no_error (error);
        }
    }
}

static void
test_tamper (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sql = NULL;
  gint64 n;

  do_many_verbs (ts, 30);
  n = zz_store_count_ops (ts->store);
  g_assert_cmpint (n, ==, 10 + 30 * 3 + 15 * 7);
  check_whole_log (ts);

  /* One byte of op 20's body changed in the file. */
  zz_test_store_exec (ts, "UPDATE op SET body = CAST(replace(CAST(body AS TEXT), '\"v\":1', '\"v\":2') AS BLOB)"
                          " WHERE seq = 20");
  g_assert_false (zz_store_verify_chain (ts->store, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "Op 20 has been altered"));
  g_clear_error (&error);

  /* Put back, it verifies again: the check looks at the bytes, nothing else. */
  zz_test_store_exec (ts, "UPDATE op SET body = CAST(replace(CAST(body AS TEXT), '\"v\":2', '\"v\":1') AS BLOB)"
                          " WHERE seq = 20");
  g_assert_true (zz_store_verify_chain (ts->store, NULL, &error));
  g_assert_no_error (error);

  /* A forger who also rewrites the stored hash breaks the link to the next op. */
  body = zz_test_store_text (ts, "SELECT CAST(body AS TEXT) FROM op WHERE seq = 30");
  {
    guint8 h[32];
    char hex[65];
    char *p = strstr (body, "\"k\":\"");
    g_autofree char *forged = NULL;

    g_assert_nonnull (p);
    forged = g_strdup (body);
    forged[p - body + 5] ^= 0x01;
    crypto_generichash (h, sizeof h, (const guint8 *) forged, strlen (forged), NULL, 0);
    sodium_bin2hex (hex, sizeof hex, h, sizeof h);
    sql = sqlite3_mprintf ("UPDATE op SET body = CAST(%Q AS BLOB), hash = X'%s' WHERE seq = 30", forged, hex);
    zz_test_store_exec (ts, sql);
    sqlite3_free (sql);
    sql = NULL;
  }
  g_assert_false (zz_store_verify_chain (ts->store, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "Op 31 does not follow"));
  g_clear_error (&error);

  /* A deleted op leaves a gap. */
  zz_test_store_exec (ts, "DELETE FROM op WHERE seq = 12");
  g_assert_false (zz_store_verify_chain (ts->store, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "gap before seq 13"));
}

static void
test_reopen_continues_chain (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *fp = NULL;
  gint64 n, head_hlc;
  ZzVisitInput in;

  do_many_verbs (ts, 5);
  n = last_seq (ts);
  head_hash = zz_test_store_text (ts, "SELECT lower(hex(hash)) FROM op ORDER BY seq DESC LIMIT 1");
  head_hlc = zz_test_store_int (ts, "SELECT max(hlc) FROM op");
  fp = zz_store_get_fingerprint (ts->store);

  /* Reopened with the wall clock an hour earlier than before. */
  zz_test_store_reopen (ts, ZZ_TEST_T0 - 3600 * 1000);
  g_assert_true (zz_store_has_node (ts->store));
  {
    g_autofree char *fp2 = zz_store_get_fingerprint (ts->store);
    g_assert_cmpstr (fp2, ==, fp);
  }
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 1, "彭光辉", "13807430009", "43312219900101009X");
  g_assert_true (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
  g_assert_no_error (error);

  ops = expect_ops (ts, n, EXPECT ("create person", "create visit", "create ticket"));
  g_assert_cmpint (((Op *) ops->pdata[0])->seq, ==, n + 1);
  g_assert_cmpstr (((Op *) ops->pdata[0])->prev, ==, head_hash);
  g_assert_cmpint (((Op *) ops->pdata[0])->hlc, >, head_hlc);
  check_bodies (ts, ops, ts->user_id[ZZ_ROLE_CLERK]);
  check_whole_log (ts);

  /* And once more, the chain stays one. */
  zz_test_store_reopen (ts, ZZ_TEST_T0 + 3600 * 1000);
  do_many_verbs (ts, 3);
  check_whole_log (ts);
}

/* An op of another node, for the table @table of a newer version. */
static char *
foreign_op (const char *kind, const char *table, const char *home, const char *fields)
{
  return g_strdup_printf ("{\"v\":1,\"o\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"s\":1,"
                          "\"p\":\"0000000000000000000000000000000000000000000000000000000000000000\","
                          "\"c\":%lld,\"a\":null,\"k\":\"%s\",\"t\":\"%s\",\"r\":\"018f2a6e-0000-7000-8000-000000000001\","
                          "\"h\":\"%s\",\"f\":{%s}}", (long long) ZZ_HLC_MAKE (1764700000000, 0), kind, table, home, fields);
}

/* What the store makes of ops of a table or field this version does not know: a well-formed
 * one from a node whose unit covers its record is authorised and kept, not applied; one from a
 * node that may not change its record, or with a malformed name, is refused; one that is not
 * well formed (bad JSON, larger than an op may be) is not an op at all. */
static void
test_newer_version_ops (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *good = foreign_op ("create", "future_table", "433122102", "\"label\":\"新表\"");
  g_autofree char *field = foreign_op ("set", "person", "433122102", "\"future_field\":\"新字段\"");
  g_autofree char *scope = foreign_op ("create", "future_table", "433122104", "\"label\":\"越界\"");
  g_autofree char *name = foreign_op ("create", "future\\\"; DROP TABLE person; --", "433122102", "\"label\":\"x\"");
  g_autofree char *reserved = foreign_op ("create", "future_table", "433122102", "\"home\":\"433122104\"");
  g_autofree char *bad_json = foreign_op ("create", "future_table", "433122102", "\"label\":");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *oversize = NULL;
  const char *local[] = { "setting", "node", "op", "sync_peer", "sqlite_master", "case_fact" };
  ZzOp op;
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL;
  guint8 hash[ZZ_HASH_BYTES];
  gboolean refused = TRUE, newer = FALSE;

  g_string_append (big, "\"label\":\"");
  while (big->len < ZZ_OP_MAX_BODY)
    g_string_append (big, "很长的内容");
  g_string_append_c (big, '"');
  oversize = foreign_op ("create", "future_table", "433122102", big->str);

  /* not well formed: no op, whatever its table */
  g_assert_false (zz_op_parse (bad_json, strlen (bad_json), &op, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_false (zz_op_parse (oversize, strlen (oversize), &op, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT);
  g_clear_error (&error);

  /* refused: out of the origin's scope, a malformed table name, a reserved field name */
  g_assert_true (zz_op_parse (scope, strlen (scope), &op, &error));
  r1 = zz_store_authorise_op (ts->store, &op, "433122102");
  g_assert_nonnull (r1);
  g_assert_nonnull (strstr (r1, "may not change"));
  zz_op_clear (&op);
  g_assert_true (zz_op_parse (name, strlen (name), &op, &error));
  r2 = zz_store_authorise_op (ts->store, &op, "433122");
  g_assert_nonnull (strstr (r2, "malformed"));
  zz_op_clear (&op);
  g_assert_true (zz_op_parse (reserved, strlen (reserved), &op, &error));
  r3 = zz_store_authorise_op (ts->store, &op, "433122");
  g_assert_nonnull (strstr (r3, "malformed"));
  zz_op_clear (&op);
  /* a table this version has as its own is no newer version's synced table */
  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autofree char *body = foreign_op ("create", local[i], "433122102", "\"key\":\"x\"");
      g_autofree char *reason = NULL;

      g_assert_true (zz_op_parse (body, strlen (body), &op, &error));
      reason = zz_store_authorise_op (ts->store, &op, "433122");
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, "not a synced table"));
      zz_op_clear (&op);
    }

  /* a set of a field of a newer version, and a record of a newer table: kept, not applied */
  g_assert_true (zz_store_begin (ts->store, &error));
  g_assert_true (zz_op_parse (good, strlen (good), &op, &error));
  g_assert_cmpint (zz_store_op_known (&op), ==, ZZ_OP_NEWER);
  r4 = zz_store_authorise_op (ts->store, &op, "433122102");
  g_assert_null (r4);
  crypto_generichash (hash, sizeof hash, (const guchar *) good, strlen (good), NULL, 0);
  g_assert_true (zz_store_apply_remote (ts->store, &op, hash, good, strlen (good), "433122102", NULL, FALSE,
                                        &refused, &newer, &error));
  g_assert_no_error (error);
  g_assert_false (refused);
  g_assert_true (newer);
  zz_op_clear (&op);
  g_assert_true (zz_op_parse (field, strlen (field), &op, &error));
  g_assert_cmpint (zz_store_op_known (&op), ==, ZZ_OP_NEWER);
  zz_op_clear (&op);
  g_assert_true (zz_store_commit (ts->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM sync_newer"), ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE tbl = 'future_table'"), ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM sqlite_master WHERE name = 'future_table'"), ==, 0);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM sync_refused"), ==, 0);
  /* reopened by this version (no upgrade): still kept, still not applied */
  zz_test_store_reopen (ts, ZZ_TEST_T0);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM sync_newer"), ==, 1);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM op WHERE tbl = 'future_table'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store-ops/verbs-write-their-ops", test_verbs_write_their_ops);
  g_test_add_func ("/store-ops/refused-inside-transaction", test_refused_inside_transaction);
  g_test_add_func ("/store-ops/tamper", test_tamper);
  g_test_add_func ("/store-ops/reopen-continues-chain", test_reopen_continues_chain);
  g_test_add_func ("/store-ops/newer-version-ops", test_newer_version_ops);
  return g_test_run ();
}
