/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zz-test-store.h"

#define MINUTE G_GINT64_CONSTANT (60000)
#define DAY (24 * 60 * MINUTE)

static ZzRow *
ticket_row (ZzTestStore *ts, const char *id)
{
  ZzRow *t = zz_store_get_ticket (ts->store, id);

  g_assert_nonnull (t);
  return t;
}

static char *
register_ok (ZzTestStore *ts, const ZzVisitInput *in, char **out_visit)
{
  g_autoptr(GError) error = NULL;
  char *ticket = NULL;

  if (!zz_store_register_visit (ts->store, in, out_visit, &ticket, &error))
    g_error ("registering %s failed: %s", in->name, error->message);
  g_assert_nonnull (ticket);
  return ticket;
}

static void
test_validation (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *long_purpose = NULL;
  g_autofree char *max_purpose = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *retired_window = NULL;
  g_autofree char *retired_dept = NULL;
  g_autofree char *visit = NULL, *ticket = NULL;
  GString *s = g_string_new (NULL);
  ZzVisitInput good, in;

  for (int i = 0; i < ZZ_MAX_PURPOSE; i++)
    g_string_append (s, "诉");
  max_purpose = g_strdup (s->str);
  g_string_append (s, "求");
  long_purpose = g_string_free (s, FALSE);
  long_name = g_strnfill (ZZ_MAX_NAME + 1, 'a');

  /* A retired department's window. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  g_assert_true (zz_store_save_department (ts->store, NULL, "住建", 8, "on_call", 0, &retired_dept, &error));
  {
    g_autoptr(GListModel) windows = zz_store_list_windows (ts->store);
    g_assert_cmpuint (g_list_model_get_n_items (windows), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        g_autoptr(ZzRow) w = g_list_model_get_item (windows, i);
        if (zz_row_get_int (w, "number") == 8)
          retired_window = g_strdup (zz_row_get_id (w));
      }
  }
  g_assert_true (zz_store_retire_department (ts->store, retired_dept, TRUE, &error));
  g_assert_no_error (error);

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  good = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
  before = zz_test_store_snapshot (ts);

#define REFUSED(field, value, code) G_STMT_START { \
    in = good; \
    in.field = value; \
    g_assert_false (zz_store_register_visit (ts->store, &in, &visit, &ticket, &error)); \
    zz_test_assert_refused (ts, before, error, code); \
    g_assert_null (visit); \
    g_assert_null (ticket); \
    g_clear_error (&error); \
  } G_STMT_END

  REFUSED (name, "", ZZ_ERROR_INVALID);
  REFUSED (name, "   ", ZZ_ERROR_INVALID);
  REFUSED (name, NULL, ZZ_ERROR_INVALID);
  REFUSED (name, long_name, ZZ_ERROR_INVALID);
  REFUSED (phone, "", ZZ_ERROR_INVALID);
  REFUSED (phone, "12345", ZZ_ERROR_INVALID);
  REFUSED (phone, "1380743000a", ZZ_ERROR_INVALID);
  REFUSED (id_number, "433122199001010015", ZZ_ERROR_INVALID);   /* check digit */
  REFUSED (id_number, "433122199002300014", ZZ_ERROR_INVALID);   /* 30 February */
  REFUSED (id_number, "43312219900101001", ZZ_ERROR_INVALID);    /* 17 */
  REFUSED (people, 0, ZZ_ERROR_INVALID);
  REFUSED (people, -1, ZZ_ERROR_INVALID);
  REFUSED (people, 100, ZZ_ERROR_INVALID);
  REFUSED (purpose, "", ZZ_ERROR_INVALID);
  REFUSED (purpose, " \n ", ZZ_ERROR_INVALID);
  REFUSED (purpose, NULL, ZZ_ERROR_INVALID);
  REFUSED (purpose, long_purpose, ZZ_ERROR_INVALID);
  REFUSED (category, "bribery", ZZ_ERROR_INVALID);
  REFUSED (category, "", ZZ_ERROR_INVALID);
  REFUSED (category, NULL, ZZ_ERROR_INVALID);
  REFUSED (window_id, NULL, ZZ_ERROR_INVALID);
  REFUSED (window_id, "no-such-window", ZZ_ERROR_INVALID);
  REFUSED (window_id, retired_window, ZZ_ERROR_INVALID);
  REFUSED (person_id, "no-such-person", ZZ_ERROR_NOT_FOUND);

  /* Wrong roles, and nobody logged in. */
  for (ZzRole r = ZZ_ROLE_NONE; r < ZZ_N_ROLES; r++)
    {
      if (zz_role_can (r, ZZ_PERM_REGISTER_VISIT))
        continue;
      zz_test_store_as (ts, r);
      in = good;
      g_assert_false (zz_store_register_visit (ts->store, &in, &visit, &ticket, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
    }

  /* The limits themselves are allowed; the optional ID number may be left out. */
  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = good;
  in.purpose = max_purpose;
  in.people = 99;
  g_free (register_ok (ts, &in, NULL));
  in = good;
  in.id_number = NULL;
  in.name = "石玉兰";
  in.people = 1;
  g_free (register_ok (ts, &in, NULL));
  in.id_number = "";
  in.name = "石金花";
  g_free (register_ok (ts, &in, NULL));
#undef REFUSED
}

static void
test_ticket_numbers (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  const char *names[] = { "王秀英", "李桂花", "张建华", "刘志强", "陈玉兰" };
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL, *w2 = NULL, *next_day = NULL, *next_day2 = NULL;
  g_autoptr(ZzRow) r = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 0, names[0], "13807430001", NULL);
  t1 = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 0, names[1], "13807430002", NULL);
  t2 = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 1, names[2], "13807430003", NULL);
  w2 = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 0, names[3], "13807430004", NULL);
  t3 = register_ok (ts, &in, NULL);

  r = ticket_row (ts, t1);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 1);
  g_assert_cmpstr (zz_row_get (r, "label"), ==, "01-001");
  g_assert_cmpstr (zz_row_get (r, "status"), ==, "waiting");
  g_assert_cmpstr (zz_row_get (r, "day"), ==, "2026-03-16");
  g_assert_cmpint (zz_row_get_int (r, "issued_at"), ==, ZZ_TEST_T0);
  g_clear_object (&r);
  r = ticket_row (ts, t2);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 2);
  g_clear_object (&r);
  r = ticket_row (ts, t3);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 3);
  g_assert_cmpstr (zz_row_get (r, "label"), ==, "01-003");
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, t3), ==, 2);
  g_clear_object (&r);
  r = ticket_row (ts, w2);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 1);
  g_assert_cmpstr (zz_row_get (r, "label"), ==, "02-001");
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, w2), ==, 0);
  g_clear_object (&r);

  /* A minute before midnight it is still the same day. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 15 * 60 * MINUTE - MINUTE);
  in = zz_test_visit (ts, 0, names[4], "13807430005", NULL);
  g_free (register_ok (ts, &in, NULL));
  {
    g_autoptr(GListModel) today = zz_store_list_tickets (ts->store, ts->window_id[0], "2026-03-16");
    g_assert_cmpuint (g_list_model_get_n_items (today), ==, 4);
  }

  /* The next morning numbering restarts at 1 for every window. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + DAY);
  in = zz_test_visit (ts, 0, names[0], "13807430001", NULL);
  next_day = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 1, names[1], "13807430002", NULL);
  next_day2 = register_ok (ts, &in, NULL);
  r = ticket_row (ts, next_day);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 1);
  g_assert_cmpstr (zz_row_get (r, "day"), ==, "2026-03-17");
  g_clear_object (&r);
  r = ticket_row (ts, next_day2);
  g_assert_cmpint (zz_row_get_int (r, "number"), ==, 1);
  g_clear_object (&r);
  /* Yesterday's waiting tickets are not in today's queue. */
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, next_day), ==, 0);
  {
    g_autoptr(GListModel) today = zz_store_list_tickets (ts->store, NULL, NULL);
    g_autoptr(GListModel) yesterday = zz_store_list_tickets (ts->store, NULL, "2026-03-16");
    g_assert_cmpuint (g_list_model_get_n_items (today), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (yesterday), ==, 5);
  }
}

static void
test_persons (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL;
  g_autofree char *person = NULL;
  g_autoptr(ZzRow) t = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
  g_free (register_ok (ts, &in, &v1));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 1);

  /* Same ID number again (with spaces, another phone): the same person. */
  in = zz_test_visit (ts, 1, "向秀英", "139 0743 0002", " 433122199001010014 ");
  {
    g_autofree char *tk = register_ok (ts, &in, &v2);
    t = ticket_row (ts, tk);
  }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 1);
  person = g_strdup (zz_row_get (t, "person_id"));
  g_assert_cmpstr (zz_row_get (t, "phone"), ==, "13907430002");   /* the new phone is kept */
  g_clear_object (&t);

  /* Picked from the matches by person_id, with name and phone left empty: no new person. */
  in = zz_test_visit (ts, 2, "", "", NULL);
  in.person_id = person;
  {
    g_autofree char *tk = register_ok (ts, &in, &v3);
    t = ticket_row (ts, tk);
  }
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 1);
  g_assert_cmpstr (zz_row_get (t, "person_id"), ==, person);
  g_assert_cmpstr (zz_row_get (t, "name"), ==, "向秀英");
  g_clear_object (&t);

  /* A chosen person with a different ID number is refused. */
  {
    g_autofree char *before = zz_test_store_snapshot (ts);
    in = zz_test_visit (ts, 0, "向秀英", "13807430001", "11010519491231002X");
    in.person_id = person;
    g_assert_false (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Without an ID number, the same name and phone find the person; another name does not. */
  in = zz_test_visit (ts, 0, "田光辉", "13807430005", NULL);
  g_free (register_ok (ts, &in, NULL));
  in = zz_test_visit (ts, 0, "田光辉", "138-0743-0005", NULL);
  g_free (register_ok (ts, &in, &v4));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 2);
  in = zz_test_visit (ts, 0, "田光明", "13807430005", NULL);
  g_free (register_ok (ts, &in, NULL));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 3);

  /* A person on file without an ID number who now shows one: the number is added to them. */
  in = zz_test_visit (ts, 0, "瞿长青", "13807430006", NULL);
  g_free (register_ok (ts, &in, NULL));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 4);
  in = zz_test_visit (ts, 0, "瞿长青", "13807430006", "43312219900101009X");
  g_free (register_ok (ts, &in, NULL));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 4);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE name = '瞿长青'"
                                          " AND id_number = '43312219900101009X'"), ==, 1);
  /* Back again without the card: the same name and phone still find the person with the ID. */
  in = zz_test_visit (ts, 0, "瞿长青", "13807430006", NULL);
  g_free (register_ok (ts, &in, NULL));
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person"), ==, 4);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM visit v JOIN person p ON p.id = v.person_id"
                                          " WHERE p.name = '瞿长青'"), ==, 3);

  /* Picking a person without an ID number and giving another person's number is refused:
   * two records must not share one ID number. */
  {
    g_autofree char *before = NULL;
    g_autofree char *tian = zz_test_store_text (ts, "SELECT id FROM person WHERE name = '田光明'");
    before = zz_test_store_snapshot (ts);
    in = zz_test_visit (ts, 0, "", "", "433122199001010014");
    in.person_id = tian;
    g_assert_false (zz_store_register_visit (ts->store, &in, NULL, NULL, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM person WHERE id_number = '433122199001010014'"), ==, 1);
  }

  /* The visitor's history, newest first. */
  {
    g_autoptr(GListModel) visits = zz_store_person_visits (ts->store, person, 10);
    g_autoptr(ZzRow) first = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (visits), ==, 3);
    first = g_list_model_get_item (visits, 0);
    g_assert_cmpstr (zz_row_get (first, "status"), ==, "open");
    g_assert_cmpstr (zz_row_get (first, "department"), !=, NULL);
  }
}

static void
test_find_persons (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GListModel) m = NULL;
  g_autoptr(ZzRow) r = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
  g_free (register_ok (ts, &in, NULL));
  in = zz_test_visit (ts, 0, "向秀英", "13807430001", "433122199001010014");
  g_free (register_ok (ts, &in, NULL));
  in = zz_test_visit (ts, 1, "彭秀兰", "13907439999", "43312219900101009X");
  g_free (register_ok (ts, &in, NULL));
  in = zz_test_visit (ts, 1, "龙家富", "0743-4221234", NULL);
  g_free (register_ok (ts, &in, NULL));

#define FIND(q, n) G_STMT_START { \
    g_clear_object (&m); \
    m = zz_store_find_persons (ts->store, q, 10); \
    if (g_list_model_get_n_items (m) != (n)) \
      g_error ("“%s” found %u persons, expected %u", q, g_list_model_get_n_items (m), (guint) (n)); \
  } G_STMT_END

  FIND ("433122199001", 2);             /* ID prefix */
  FIND ("4331221990010100", 2);
  FIND ("433122199001010014", 1);
  FIND ("0014", 1);                     /* last digits of an ID number */
  FIND ("009x", 1);                     /* lower-case x */
  FIND ("009X", 1);
  FIND ("138074", 1);                   /* phone prefix */
  FIND ("1390743", 1);
  FIND ("07434221", 1);                 /* landline */
  FIND ("138 0743", 1);                 /* typed in groups */
  FIND ("0743-4221", 1);
  FIND ("１３８０７４", 1);               /* full-width digits from an input method */
  FIND ("秀", 0);                       /* one character is too little */
  FIND ("秀英", 1);                     /* name substring */
  FIND ("向秀英", 1);
  FIND ("秀兰", 1);
  FIND ("家富", 1);
  FIND ("赵", 0);
  FIND ("张三", 0);
  FIND ("5555", 0);
  FIND ("*", 0);
  FIND ("[a", 0);
  FIND ("", 0);

  /* Visits and open matters come along; the clerk sees a masked ID number. */
  FIND ("向秀英", 1);
  r = g_list_model_get_item (m, 0);
  g_assert_cmpint (zz_row_get_int (r, "visits"), ==, 2);
  g_assert_cmpint (zz_row_get_int (r, "open_matters"), ==, 0);   /* visits in the queue are no case */
  g_assert_cmpint (zz_row_get_int (r, "last_visit_at"), ==, ZZ_TEST_T0);
  g_assert_cmpstr (zz_row_get (r, "id_number"), ==, "433122********0014");
  g_assert_cmpstr (zz_row_get (r, "phone"), ==, "13807430001");
  g_clear_object (&r);
  FIND ("龙家富", 1);
  r = g_list_model_get_item (m, 0);
  g_assert_null (zz_row_get (r, "id_number"));
  g_clear_object (&r);

  /* Tickets are masked for the clerk too. */
  {
    g_autoptr(GListModel) tickets = zz_store_list_tickets (ts->store, NULL, NULL);
    for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
      {
        g_autoptr(ZzRow) t = g_list_model_get_item (tickets, i);
        const char *id = zz_row_get (t, "id_number");
        g_assert_true (id == NULL || strstr (id, "********") != NULL);
      }
  }

  /* The mediator and supervisor see the full number. */
  for (ZzRole role = ZZ_ROLE_MEDIATOR; role <= ZZ_ROLE_SUPERVISOR; role++)
    {
      zz_test_store_as (ts, role);
      FIND ("秀英", 1);
      r = g_list_model_get_item (m, 0);
      g_assert_cmpstr (zz_row_get (r, "id_number"), ==, "433122199001010014");
      g_clear_object (&r);
      FIND ("009X", 1);
      r = g_list_model_get_item (m, 0);
      g_assert_cmpstr (zz_row_get (r, "id_number"), ==, "43312219900101009X");
      g_clear_object (&r);
    }

  /* Every full number shown went into the access log, once per user, person and day; the
   * clerk's masked searches left nothing there. */
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM access_log a JOIN user u ON u.id = a.user_id"
                                          " WHERE u.role = 'clerk'"), ==, 0);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM access_log a JOIN user u ON u.id = a.user_id"
                                          " WHERE u.role = 'mediator' AND a.what = 'person.id_number'"), ==, 2);
  g_assert_cmpint (zz_test_store_int (ts, "SELECT count(*) FROM access_log a JOIN user u ON u.id = a.user_id"
                                          " WHERE u.role = 'supervisor'"), ==, 2);
  {
    g_autoptr(GListModel) log = NULL;
    g_autoptr(ZzRow) first = NULL;

    zz_test_store_as (ts, ZZ_ROLE_CLERK);
    log = zz_store_list_access_log (ts->store, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (log), ==, 0);   /* not the clerk's to read */
    g_clear_object (&log);
    zz_test_store_as (ts, ZZ_ROLE_SUPERVISOR);
    log = zz_store_list_access_log (ts->store, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (log), ==, 4);
    first = g_list_model_get_item (log, 0);
    g_assert_cmpstr (zz_row_get (first, "login"), ==, zz_test_login (ZZ_ROLE_MEDIATOR));
    g_assert_nonnull (zz_row_get (first, "person_name"));
  }

  /* The administrator stands in at the desk but sees masked numbers. */
  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
  FIND ("秀英", 1);
  r = g_list_model_get_item (m, 0);
  g_assert_cmpstr (zz_row_get (r, "id_number"), ==, "433122********0014");
  g_clear_object (&r);

  /* Nobody logged in: nothing. */
  zz_test_store_as (ts, ZZ_ROLE_NONE);
  FIND ("秀英", 0);
#undef FIND
}

static void
test_queue (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *called = NULL, *before = NULL;
  g_autoptr(ZzRow) t = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 0, "王秀英", "13807430001", NULL);
  a = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 0, "李桂花", "13807430002", NULL);
  b = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 0, "张建华", "13807430003", NULL);
  c = register_ok (ts, &in, NULL);

  /* Call next follows the numbers. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 5 * MINUTE);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (called, ==, a);
  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "called");
  g_assert_cmpint (zz_row_get_int (t, "called_at"), ==, ZZ_TEST_T0 + 5 * MINUTE);
  g_clear_object (&t);
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, c), ==, 1);

  /* Undo the call: waiting again, first in line again. */
  g_assert_true (zz_store_undo_ticket (ts->store, a, &error));
  g_assert_no_error (error);
  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "waiting");
  g_assert_null (zz_row_get (t, "called_at"));
  g_clear_object (&t);
  g_clear_pointer (&called, g_free);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_cmpstr (called, ==, a);
  g_clear_pointer (&called, g_free);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_cmpstr (called, ==, b);
  g_clear_pointer (&called, g_free);

  /* Nobody waits at window 2. */
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_call_next (ts->store, ts->window_id[1], &called, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
  g_assert_null (called);
  g_clear_error (&error);

  /* Not the mediator's or supervisor's job. */
  for (ZzRole r = ZZ_ROLE_MEDIATOR; r <= ZZ_ROLE_SUPERVISOR; r++)
    {
      zz_test_store_as (ts, r);
      g_assert_false (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
      g_assert_false (zz_store_start_service (ts->store, a, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
      g_assert_false (zz_store_finish_ticket (ts->store, a, "answered", NULL, NULL, NULL, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
      g_assert_false (zz_store_undo_ticket (ts->store, a, &error));
      zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
      g_clear_error (&error);
    }
  zz_test_store_as (ts, ZZ_ROLE_CLERK);

  /* Finishing needs a known outcome and a called ticket (except "left"). */
  g_assert_false (zz_store_finish_ticket (ts->store, a, "vanished", NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_finish_ticket (ts->store, c, "answered", NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_finish_ticket (ts->store, "no-such-ticket", "answered", NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Referral needs another open window. */
  g_assert_false (zz_store_finish_ticket (ts->store, a, "referred", NULL, NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zz_store_finish_ticket (ts->store, a, "referred", ts->window_id[0], NULL, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_clear_error (&error);
  /* Nothing to undo on a waiting ticket. */
  g_assert_false (zz_store_undo_ticket (ts->store, c, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);

  /* Serve a, finish answered; undo; finish again. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 10 * MINUTE);
  g_assert_true (zz_store_start_service (ts->store, a, &error));
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 20 * MINUTE);
  g_assert_true (zz_store_finish_ticket (ts->store, a, "answered", NULL, "已答复", NULL, &error));
  g_assert_no_error (error);
  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "done");
  g_assert_cmpstr (zz_row_get (t, "outcome"), ==, "answered");
  g_assert_cmpint (zz_row_get_int (t, "serving_at"), ==, ZZ_TEST_T0 + 10 * MINUTE);
  g_assert_cmpstr (zz_row_get (t, "note"), ==, "已答复");
  g_assert_cmpint (zz_row_get_int (t, "ended_at"), ==, ZZ_TEST_T0 + 20 * MINUTE);
  g_clear_object (&t);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT v.status || '/' || v.outcome FROM visit v JOIN ticket t"
                                            " ON t.visit_id = v.id WHERE t.id = '%s'", a);
    g_autofree char *vs = zz_test_store_text (ts, sql);
    g_assert_cmpstr (vs, ==, "done/answered");
  }
  g_assert_false (zz_store_finish_ticket (ts->store, a, "answered", NULL, NULL, NULL, &error));
  g_assert_error (error, ZZ_ERROR, ZZ_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (zz_store_undo_ticket (ts->store, a, &error));
  g_assert_no_error (error);
  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "serving");
  g_assert_null (zz_row_get (t, "outcome"));
  g_assert_null (zz_row_get (t, "ended_at"));
  g_assert_null (zz_row_get (t, "note"));      /* the note went with the undone finish */
  g_clear_object (&t);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT v.status || '/' || coalesce(v.outcome, '-') FROM visit v"
                                            " JOIN ticket t ON t.visit_id = v.id WHERE t.id = '%s'", a);
    g_autofree char *vs = zz_test_store_text (ts, sql);
    g_assert_cmpstr (vs, ==, "open/-");
  }

  /* c leaves before being called. */
  g_assert_true (zz_store_finish_ticket (ts->store, c, "left", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  t = ticket_row (ts, c);
  g_assert_cmpstr (zz_row_get (t, "outcome"), ==, "left");
  g_clear_object (&t);

  /* Board order: serving, called, then done (latest first). */
  {
    g_autoptr(GListModel) board = zz_store_list_tickets (ts->store, ts->window_id[0], NULL);
    g_autoptr(ZzRow) r0 = NULL, r1 = NULL, r2 = NULL;
    g_assert_cmpuint (g_list_model_get_n_items (board), ==, 3);
    r0 = g_list_model_get_item (board, 0);
    r1 = g_list_model_get_item (board, 1);
    r2 = g_list_model_get_item (board, 2);
    g_assert_cmpstr (zz_row_get_id (r0), ==, a);
    g_assert_cmpstr (zz_row_get_id (r1), ==, b);
    g_assert_cmpstr (zz_row_get_id (r2), ==, c);
  }
}

static void
test_referral (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *other = NULL, *visit = NULL, *moved = NULL, *called = NULL, *moved2 = NULL;
  g_autoptr(ZzRow) t = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 1, "符小平", "13807430011", NULL);
  other = register_ok (ts, &in, NULL);    /* 02-001 already waiting at window 2 */
  in = zz_test_visit (ts, 0, "瞿春生", "13807430012", NULL);
  a = register_ok (ts, &in, &visit);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], NULL, &error));
  g_assert_no_error (error);

  zz_store_set_now (ts->store, ZZ_TEST_T0 + 3 * MINUTE);
  g_assert_true (zz_store_finish_ticket (ts->store, a, "referred", ts->window_id[1], NULL, &moved, &error));
  g_assert_no_error (error);
  g_assert_nonnull (moved);

  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "done");
  g_assert_cmpstr (zz_row_get (t, "outcome"), ==, "referred");
  g_assert_cmpstr (zz_row_get (t, "referred_to"), ==, moved);
  g_clear_object (&t);
  t = ticket_row (ts, moved);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "waiting");
  g_assert_cmpstr (zz_row_get (t, "window_id"), ==, ts->window_id[1]);
  g_assert_cmpstr (zz_row_get (t, "visit_id"), ==, visit);
  g_assert_cmpstr (zz_row_get (t, "referred_from"), ==, a);
  g_assert_cmpstr (zz_row_get (t, "label"), ==, "02-002");
  g_assert_cmpint (zz_row_get_int (t, "issued_at"), ==, ZZ_TEST_T0 + 3 * MINUTE);
  g_clear_object (&t);
  /* The visit is still open while the referral waits. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT status FROM visit WHERE id = '%s'", visit);
    g_autofree char *vs = zz_test_store_text (ts, sql);
    g_assert_cmpstr (vs, ==, "open");
  }
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, moved), ==, 1);

  /* Undo the referral: the new ticket disappears from the board, the old one is served again. */
  g_assert_true (zz_store_undo_ticket (ts->store, a, &error));
  g_assert_no_error (error);
  g_assert_null (zz_store_get_ticket (ts->store, moved));
  t = ticket_row (ts, a);
  g_assert_cmpstr (zz_row_get (t, "status"), ==, "called");
  g_assert_null (zz_row_get (t, "referred_to"));
  g_assert_null (zz_row_get (t, "outcome"));
  g_clear_object (&t);
  {
    g_autoptr(GListModel) board = zz_store_list_tickets (ts->store, ts->window_id[1], NULL);
    g_assert_cmpuint (g_list_model_get_n_items (board), ==, 1);
  }

  /* Referred again; once the new ticket is called the referral can no longer be undone. */
  g_assert_true (zz_store_finish_ticket (ts->store, a, "referred", ts->window_id[1], NULL, &moved2, &error));
  g_assert_no_error (error);
  t = ticket_row (ts, moved2);
  g_assert_cmpint (zz_row_get_int (t, "number"), ==, 3);    /* numbers are never reused */
  g_clear_object (&t);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[1], &called, &error));
  g_assert_cmpstr (called, ==, other);
  g_clear_pointer (&called, g_free);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[1], &called, &error));
  g_assert_cmpstr (called, ==, moved2);
  {
    g_autofree char *before = zz_test_store_snapshot (ts);
    g_assert_false (zz_store_undo_ticket (ts->store, a, &error));
    zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
    g_clear_error (&error);
  }

  /* Finishing the referred ticket closes the visit. */
  g_assert_true (zz_store_finish_ticket (ts->store, moved2, "to_case", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT status || '/' || outcome FROM visit WHERE id = '%s'", visit);
    g_autofree char *vs = zz_test_store_text (ts, sql);
    g_assert_cmpstr (vs, ==, "done/to_case");
  }
}

/* The trial: a visitor referred after 50 minutes at another window was passed over by
 * call-next for a later arrival with a lower ticket number at the new window. The rule: called
 * in the order of the wait since arrival; the board and "waiting ahead" follow it too. */
static void
test_queue_rule (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *early = NULL, *late = NULL, *moved = NULL, *called = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 1, "彭德厚", "13807430021", NULL);
  early = register_ok (ts, &in, NULL);                 /* arrives 09:00 at window 2 */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 30 * MINUTE);
  in = zz_test_visit (ts, 0, "田秋菊", "13807430022", NULL);
  late = register_ok (ts, &in, NULL);                  /* arrives 09:30 at window 1: 01-001 */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 40 * MINUTE);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[1], &called, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (called, ==, early);
  g_clear_pointer (&called, g_free);
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 50 * MINUTE);
  g_assert_true (zz_store_finish_ticket (ts->store, early, "referred", ts->window_id[0], NULL, &moved, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ZzRow) t = ticket_row (ts, moved);
    g_assert_cmpstr (zz_row_get (t, "label"), ==, "01-002");
    /* The referred ticket carries the visit's arrival: its wait runs from 09:00. */
    g_assert_cmpint (zz_row_get_int (t, "arrived_at"), ==, ZZ_TEST_T0);
  }

  /* The board shows the referred visitor first, "waiting ahead" agrees... */
  {
    g_autoptr(GListModel) board = zz_store_list_tickets (ts->store, ts->window_id[0], NULL);
    g_autoptr(ZzRow) r0 = g_list_model_get_item (board, 0);
    g_autoptr(ZzRow) r1 = g_list_model_get_item (board, 1);
    g_assert_cmpstr (zz_row_get_id (r0), ==, moved);
    g_assert_cmpstr (zz_row_get_id (r1), ==, late);
  }
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, moved), ==, 0);
  g_assert_cmpint (zz_store_waiting_ahead (ts->store, late), ==, 1);

  /* ...and call-next calls the one on top. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 55 * MINUTE);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (called, ==, moved);
  g_clear_pointer (&called, g_free);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], &called, &error));
  g_assert_cmpstr (called, ==, late);
}

/* A window serves one visitor at a time: starting a second one is refused, nothing changes. */
static void
test_one_serving (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *before = NULL;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  in = zz_test_visit (ts, 0, "王秀英", "13807430001", NULL);
  a = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 0, "李桂花", "13807430002", NULL);
  b = register_ok (ts, &in, NULL);
  in = zz_test_visit (ts, 1, "张建华", "13807430003", NULL);
  c = register_ok (ts, &in, NULL);
  g_assert_true (zz_store_start_service (ts->store, a, &error));
  g_assert_no_error (error);

  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_start_service (ts->store, b, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "01-001"));
  g_clear_error (&error);

  /* Another window is free to serve. */
  g_assert_true (zz_store_start_service (ts->store, c, &error));
  g_assert_no_error (error);
  /* Once the first is finished the next may be served. */
  g_assert_true (zz_store_finish_ticket (ts->store, a, "answered", NULL, NULL, NULL, &error));
  g_assert_true (zz_store_start_service (ts->store, b, &error));
  g_assert_no_error (error);
  /* Undoing the finish would put two visitors in service at window 1. */
  g_clear_pointer (&before, g_free);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_undo_ticket (ts->store, a, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
}

static void
test_summary (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) per_window = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  ZzDeskSummary s;
  ZzVisitInput in;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  zz_store_desk_summary (ts->store, NULL, &s, &per_window);
  g_assert_cmpint (s.visitors, ==, 0);
  g_assert_cmpfloat (s.avg_wait_s, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (per_window), ==, 3);
  g_clear_object (&per_window);

  in = zz_test_visit (ts, 0, "王秀英", "13807430001", NULL);
  in.people = 3;
  a = register_ok (ts, &in, NULL);                                   /* 09:00 */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 2 * MINUTE);
  in = zz_test_visit (ts, 0, "李桂花", "13807430002", NULL);
  b = register_ok (ts, &in, NULL);                                   /* 09:02 */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 4 * MINUTE);
  in = zz_test_visit (ts, 1, "张建华", "13807430003", NULL);
  c = register_ok (ts, &in, NULL);                                   /* 09:04 */
  in = zz_test_visit (ts, 1, "刘志强", "13807430004", NULL);
  d = register_ok (ts, &in, NULL);                                   /* 09:04 */

  zz_store_set_now (ts->store, ZZ_TEST_T0 + 10 * MINUTE);
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], NULL, &error));    /* a waited 10 min */
  g_assert_true (zz_store_start_service (ts->store, a, &error));
  zz_store_set_now (ts->store, ZZ_TEST_T0 + 16 * MINUTE);
  g_assert_true (zz_store_finish_ticket (ts->store, a, "answered", NULL, NULL, NULL, &error));  /* served 6 min */
  g_assert_true (zz_store_call_next (ts->store, ts->window_id[0], NULL, &error));    /* b waited 14 min */
  g_assert_true (zz_store_finish_ticket (ts->store, d, "left", NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  zz_store_desk_summary (ts->store, NULL, &s, &per_window);
  g_assert_cmpint (s.visitors, ==, 4);
  g_assert_cmpint (s.people, ==, 6);
  g_assert_cmpint (s.waiting, ==, 1);          /* c */
  g_assert_cmpint (s.served, ==, 1);           /* a; d left and is not counted */
  g_assert_cmpfloat_with_epsilon (s.avg_wait_s, 12 * 60.0, 0.001);
  g_assert_cmpfloat_with_epsilon (s.avg_service_s, 6 * 60.0, 0.001);
  g_assert_cmpuint (g_list_model_get_n_items (per_window), ==, 3);
  {
    g_autoptr(ZzRow) w1 = g_list_model_get_item (per_window, 0);
    g_autoptr(ZzRow) w2 = g_list_model_get_item (per_window, 1);
    g_autoptr(ZzRow) w3 = g_list_model_get_item (per_window, 2);
    g_assert_cmpint (zz_row_get_int (w1, "window_number"), ==, 1);
    g_assert_cmpint (zz_row_get_int (w1, "waiting"), ==, 0);
    g_assert_cmpint (zz_row_get_int (w1, "served"), ==, 1);
    g_assert_cmpint (zz_row_get_int (w1, "tickets"), ==, 2);
    g_assert_cmpstr (zz_row_get (w1, "avg_wait_s"), ==, "720.0");
    g_assert_cmpint (zz_row_get_int (w2, "waiting"), ==, 1);
    g_assert_cmpint (zz_row_get_int (w2, "served"), ==, 0);
    g_assert_cmpint (zz_row_get_int (w3, "tickets"), ==, 0);
  }
  g_clear_object (&per_window);

  /* Another day is empty; yesterday's figures stay. */
  zz_store_set_now (ts->store, ZZ_TEST_T0 + DAY);
  zz_store_desk_summary (ts->store, NULL, &s, NULL);
  g_assert_cmpint (s.visitors, ==, 0);
  g_assert_cmpint (s.waiting, ==, 0);
  zz_store_desk_summary (ts->store, "2026-03-16", &s, NULL);
  g_assert_cmpint (s.visitors, ==, 4);

  /* Nobody logged in sees nothing. */
  zz_test_store_as (ts, ZZ_ROLE_NONE);
  zz_store_desk_summary (ts->store, "2026-03-16", &s, &per_window);
  g_assert_cmpint (s.visitors, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (per_window), ==, 0);
}

static void
test_departments (void)
{
  g_autoptr(ZzTestStore) ts = zz_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *id = NULL, *fulian = NULL, *other = NULL;
  g_autoptr(GListModel) list = NULL;

  zz_test_store_as (ts, ZZ_ROLE_CLERK);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_save_department (ts->store, NULL, "妇联", 9, "rotating", 4, &id, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (zz_store_retire_department (ts->store, ts->dept_id[0], TRUE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_PERMISSION);
  g_clear_error (&error);

  zz_test_store_as (ts, ZZ_ROLE_ADMIN);
#define BAD(name, number, mode, days, code) G_STMT_START { \
    g_assert_false (zz_store_save_department (ts->store, NULL, name, number, mode, days, &id, &error)); \
    zz_test_assert_refused (ts, before, error, code); \
    g_assert_null (id); \
    g_clear_error (&error); \
  } G_STMT_END
  BAD ("妇联", 1, "rotating", 4, ZZ_ERROR_INVALID);        /* window 1 is 信访局's */
  BAD ("妇联", 0, "rotating", 4, ZZ_ERROR_INVALID);
  BAD ("妇联", 100, "rotating", 4, ZZ_ERROR_INVALID);
  BAD ("妇联", 9, "rotating", 0, ZZ_ERROR_INVALID);        /* rotating without weekdays */
  BAD ("妇联", 9, "rotating", 0x80, ZZ_ERROR_INVALID);     /* only a bit that is no weekday */
  BAD ("妇联", 9, "sometimes", 4, ZZ_ERROR_INVALID);
  BAD ("妇联", 9, NULL, 4, ZZ_ERROR_INVALID);
  BAD ("", 9, "rotating", 4, ZZ_ERROR_INVALID);
  BAD ("  ", 9, "rotating", 4, ZZ_ERROR_INVALID);
#undef BAD
  /* Editing one department onto another's window is refused too. */
  g_assert_false (zz_store_save_department (ts->store, ts->dept_id[1], "人民调解", 1, "permanent", 0x1f, NULL, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "信访局"));
  g_clear_error (&error);

  /* Good ones; a permanent department without weekdays is there Monday to Friday. */
  g_assert_true (zz_store_save_department (ts->store, NULL, " 妇联 ", 9, "rotating", 4, &fulian, &error));
  g_assert_no_error (error);
  g_assert_true (zz_store_save_department (ts->store, NULL, "公安", 7, "permanent", 0, &other, &error));
  g_assert_no_error (error);
  list = zz_store_list_departments (ts->store);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (list, i);
      if (g_strcmp0 (zz_row_get_id (r), fulian) == 0)
        {
          g_assert_cmpstr (zz_row_get (r, "name"), ==, "妇联");
          g_assert_cmpint (zz_row_get_int (r, "weekdays"), ==, 4);
          g_assert_cmpint (zz_row_get_int (r, "window_number"), ==, 9);
        }
      if (g_strcmp0 (zz_row_get_id (r), other) == 0)
        g_assert_cmpint (zz_row_get_int (r, "weekdays"), ==, 0x1f);
    }
  g_clear_object (&list);
  /* Keeping its own window number is fine. */
  g_assert_true (zz_store_save_department (ts->store, fulian, "县妇联", 9, "rotating", 4 | 16, NULL, &error));
  g_assert_no_error (error);

  /* Retire: its window leaves the list; its number is free for another department. */
  g_assert_true (zz_store_retire_department (ts->store, fulian, TRUE, &error));
  g_assert_no_error (error);
  list = zz_store_list_windows (ts->store);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (list, i);
      g_assert_cmpint (zz_row_get_int (r, "number"), !=, 9);
    }
  g_clear_object (&list);
  /* Retiring twice changes nothing. */
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_true (zz_store_retire_department (ts->store, fulian, TRUE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *after = zz_test_store_snapshot (ts);
    g_assert_cmpstr (after, ==, before);
  }

  /* Restore (undo). */
  g_assert_true (zz_store_retire_department (ts->store, fulian, FALSE, &error));
  g_assert_no_error (error);
  list = zz_store_list_windows (ts->store);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  g_clear_object (&list);

  /* Retired again, window 9 given to someone else: restoring would clash and is refused. */
  g_assert_true (zz_store_retire_department (ts->store, fulian, TRUE, &error));
  g_clear_pointer (&id, g_free);
  g_assert_true (zz_store_save_department (ts->store, NULL, "民政", 9, "rotating", 2 | 16, &id, &error));
  g_assert_no_error (error);
  g_free (before);
  before = zz_test_store_snapshot (ts);
  g_assert_false (zz_store_retire_department (ts->store, fulian, FALSE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (zz_store_retire_department (ts->store, "no-such-department", TRUE, &error));
  zz_test_assert_refused (ts, before, error, ZZ_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/desk/validation", test_validation);
  g_test_add_func ("/desk/ticket-numbers", test_ticket_numbers);
  g_test_add_func ("/desk/persons", test_persons);
  g_test_add_func ("/desk/find-persons", test_find_persons);
  g_test_add_func ("/desk/queue", test_queue);
  g_test_add_func ("/desk/referral", test_referral);
  g_test_add_func ("/desk/queue-rule", test_queue_rule);
  g_test_add_func ("/desk/one-serving", test_one_serving);
  g_test_add_func ("/desk/summary", test_summary);
  g_test_add_func ("/desk/departments", test_departments);
  return g_test_run ();
}
