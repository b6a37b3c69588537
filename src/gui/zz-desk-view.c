/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-desk-view"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-date.h"
#include "zz-date-entry.h"
#include "zz-desk-view.h"
#include "zz-drop-down.h"
#include "zz-gui-util.h"
#include "zz-print.h"
#include "zz-register.h"
#include "zz-save-dialog.h"
#include "zz-idcard.h"
#include "zz-phone.h"
#include "zz-reference.h"
#include "zz-ticket-print.h"
#include "zz-cases.h"
#include "zz-window.h"

#define SEARCH_DELAY_MS 150
#define N_MATCHES 5

struct _ZzDeskView {
  AdwBin parent_instance;

  /* today at a glance */
  GtkLabel *visitors_figure;
  GtkLabel *people_figure;
  GtkLabel *waiting_figure;
  GtkLabel *avg_wait_figure;
  GtkLabel *served_figure;
  GtkFlowBox *per_window_box;
  GtkLabel *group_figure;
  GtkLabel *group_list_label;

  /* registration form */
  GtkLabel *read_only_label;
  GtkWidget *returning_box;
  GtkLabel *returning_label;
  GtkWidget *form_grid;
  GtkEntry *name_entry;
  GtkEntry *phone_entry;
  GtkEntry *id_entry;
  GtkSpinButton *people_spin;
  GtkDropDown *category_drop;
  GtkDropDown *window_drop;
  GtkEntry *purpose_entry;
  GtkLabel *name_error;
  GtkLabel *phone_error;
  GtkLabel *id_error;
  GtkLabel *category_error;
  GtkLabel *window_error;
  GtkLabel *purpose_error;
  GtkLabel *form_error;
  GtkWidget *register_button;
  GtkWidget *last_ticket_box;
  GtkLabel *last_ticket_label;
  GtkWidget *matches_box;
  GtkListBox *matches_list;

  /* queue board */
  GtkDropDown *board_window_drop;
  GtkLabel *board_count_label;
  GtkStack *board_stack;
  GtkColumnView *ticket_view;
  AdwStatusPage *empty_page;

  ZzStore *store;
  GSettings *settings;
  GListModel *windows;          /* ZzRow per open window, the order of both window drop-downs */
  GListStore *tickets;
  GtkSingleSelection *selection;
  GtkWidget *fields[7];         /* the form in keyboard order */
  GStrv category_keys;          /* keys of the category drop-down, in its order */
  GHashTable *waited_cells;     /* bound "waited" cells, updated by the minute without a re-query */

  char *person_id;              /* a returning visitor picked from the matches */
  char *last_ticket_id;
  char *select_after_refresh;
  GtkWidget *search_origin;
  guint search_source;
  guint refresh_source;
  guint tick_source;
  int programmatic;             /* > 0 while the view itself changes the form */
  gboolean can_register;
  gboolean can_serve;
};

G_DEFINE_FINAL_TYPE (ZzDeskView, zz_desk_view, ADW_TYPE_BIN)

static void refresh_board (ZzDeskView *self);
static void print_ticket (ZzDeskView *self, const char *ticket_id);
static void offer_referral_ticket (ZzDeskView *self, ZzRow *nt);
static void refresh_summary (ZzDeskView *self);
static void update_actions (ZzDeskView *self);

/* ---- helpers ---- */

static void
set_drop_placeholder (GtkDropDown *drop, const char *text)
{
  zz_drop_down_set_placeholder (GTK_WIDGET (drop), text);
}

static const char *
category_key_at (ZzDeskView *self, guint pos)
{
  return self->category_keys && pos < g_strv_length (self->category_keys) ? self->category_keys[pos] : NULL;
}

/* One list for the desk and the case form: the case categories in use (reference data). */
static void
load_categories (ZzDeskView *self)
{
  g_autoptr(GListModel) cats = zz_store_case_categories (self->store, FALSE);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *keep = g_strdup (category_key_at (self, gtk_drop_down_get_selected (self->category_drop)));
  GStrvBuilder *keys = g_strv_builder_new ();
  guint pick = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (cats); i++)
    {
      g_autoptr(ZzRow) c = g_list_model_get_item (cats, i);
      gtk_string_list_append (names, zz_row_get (c, "name"));
      g_strv_builder_add (keys, zz_row_get (c, "key"));
      if (keep && g_strcmp0 (keep, zz_row_get (c, "key")) == 0)
        pick = i;
    }
  g_strfreev (self->category_keys);
  self->category_keys = g_strv_builder_end (keys);
  g_strv_builder_unref (keys);
  self->programmatic++;
  gtk_drop_down_set_model (self->category_drop, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->category_drop, pick);
  self->programmatic--;
  set_drop_placeholder (self->category_drop, _("Choose…"));
}

static char *
window_display (ZzRow *w)
{
  /* Translators: a service window in lists, e.g. "3号窗口 · 检察服务" */
  return g_strdup_printf (_("Window %d · %s"), (int) zz_row_get_int (w, "number"), zz_row_get (w, "department"));
}

static GtkStringList *
window_names (ZzDeskView *self, const char *first)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  guint n = self->windows ? g_list_model_get_n_items (self->windows) : 0;

  if (first)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (self->windows, i);
      g_autofree char *label = window_display (w);
      gtk_string_list_append (list, label);
    }
  return list;
}

static const char *
window_id_at (ZzDeskView *self, guint pos)
{
  g_autoptr(ZzRow) w = NULL;

  if (!self->windows || pos >= g_list_model_get_n_items (self->windows))
    return NULL;
  w = g_list_model_get_item (self->windows, pos);
  /* The row lives in self->windows, which keeps it alive. */
  return zz_row_get_id (w);
}

static guint
window_pos (ZzDeskView *self, const char *window_id)
{
  guint n = self->windows ? g_list_model_get_n_items (self->windows) : 0;

  for (guint i = 0; window_id && i < n; i++)
    if (g_strcmp0 (window_id_at (self, i), window_id) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static const char *
board_window_id (ZzDeskView *self)
{
  guint pos = gtk_drop_down_get_selected (self->board_window_drop);

  return pos == 0 || pos == GTK_INVALID_LIST_POSITION ? NULL : window_id_at (self, pos - 1);
}

static ZzRow *
selected_ticket (ZzDeskView *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static const char *
selected_ticket_id (ZzDeskView *self)
{
  ZzRow *t = selected_ticket (self);

  return t ? zz_row_get_id (t) : NULL;
}

static const char *
status_display (ZzRow *t)
{
  const char *status = zz_row_get (t, "status");
  guint n;
  const ZzVocab *outcomes = zz_ticket_outcomes (&n);

  if (g_strcmp0 (status, "waiting") == 0)
    return _("Waiting");
  if (g_strcmp0 (status, "called") == 0)
    return _("Called");
  if (g_strcmp0 (status, "serving") == 0)
    return _("Being served");
  if (zz_row_get (t, "outcome"))
    return zz_vocab_display (outcomes, n, zz_row_get (t, "outcome"));
  return _("Done");
}

/* ---- undo from toasts ---- */

typedef struct {
  ZzStore *store;
  char *ticket_id;
  GtkWidget *view;   /* weak */
} UndoData;

static void
undo_data_free (gpointer p)
{
  UndoData *u = p;

  g_clear_object (&u->store);
  g_free (u->ticket_id);
  g_clear_weak_pointer (&u->view);
  g_free (u);
}

static void
undo_ticket_cb (gpointer data)
{
  UndoData *u = data;
  g_autoptr(GError) error = NULL;

  if (!zz_store_undo_ticket (u->store, u->ticket_id, &error) && u->view)
    zz_gui_error (u->view, error);
}

static void
toast_with_undo (ZzDeskView *self, const char *text, const char *ticket_id)
{
  ZzWindow *win = zz_window_for (GTK_WIDGET (self));
  UndoData *u;

  if (!win)
    return;
  u = g_new0 (UndoData, 1);
  u->store = g_object_ref (self->store);
  u->ticket_id = g_strdup (ticket_id);
  g_set_weak_pointer (&u->view, GTK_WIDGET (self));
  zz_window_toast (win, text, G_CALLBACK (undo_ticket_cb), u, undo_data_free);
}

/* ---- inline validation ---- */

static GtkLabel *
error_label_for (ZzDeskView *self, GtkWidget *field)
{
  if (field == GTK_WIDGET (self->name_entry))
    return self->name_error;
  if (field == GTK_WIDGET (self->phone_entry))
    return self->phone_error;
  if (field == GTK_WIDGET (self->id_entry))
    return self->id_error;
  if (field == GTK_WIDGET (self->category_drop))
    return self->category_error;
  if (field == GTK_WIDGET (self->window_drop))
    return self->window_error;
  if (field == GTK_WIDGET (self->purpose_entry))
    return self->purpose_error;
  return NULL;
}

static void
set_field_error (ZzDeskView *self, GtkWidget *field, const char *message)
{
  GtkLabel *label = error_label_for (self, field);

  if (message)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
  if (label)
    {
      gtk_label_set_text (label, message ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
    }
}

static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* Checks one field with the same rules as the store. @submitting: an empty required field is an
 * error too (when merely leaving a field, only what was typed is judged). */
static gboolean
validate_field (ZzDeskView *self, GtkWidget *field, gboolean submitting)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = GTK_IS_ENTRY (field) ? entry_text (GTK_ENTRY (field)) : NULL;
  const char *message = NULL;

  if (field == GTK_WIDGET (self->name_entry))
    {
      if (*text == '\0' && (submitting || self->person_id))
        message = _("Enter the visitor’s name.");
    }
  else if (field == GTK_WIDGET (self->phone_entry))
    {
      if ((*text != '\0' || submitting) && !zz_phone_validate (text, NULL, &error))
        message = error->message;
    }
  else if (field == GTK_WIDGET (self->id_entry))
    {
      if (*text != '\0' && !zz_idcard_validate (text, NULL, &error))
        message = error->message;
    }
  else if (field == GTK_WIDGET (self->purpose_entry))
    {
      if (*text == '\0' && submitting)
        message = _("Enter the purpose of the visit.");
    }
  else if (field == GTK_WIDGET (self->category_drop))
    {
      if (submitting && gtk_drop_down_get_selected (self->category_drop) == GTK_INVALID_LIST_POSITION)
        message = _("Choose a category.");
    }
  else if (field == GTK_WIDGET (self->window_drop))
    {
      if (submitting && gtk_drop_down_get_selected (self->window_drop) == GTK_INVALID_LIST_POSITION)
        message = _("Choose the window the visitor goes to.");
    }
  set_field_error (self, field, message);
  return message == NULL;
}

/* ---- the form ---- */

static void
hide_matches (ZzDeskView *self)
{
  GtkWidget *child;

  g_clear_handle_id (&self->search_source, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches_list))))
    gtk_list_box_remove (self->matches_list, child);
  gtk_widget_set_visible (self->matches_box, FALSE);
}

static void
clear_person (ZzDeskView *self)
{
  g_clear_pointer (&self->person_id, g_free);
  gtk_widget_set_visible (self->returning_box, FALSE);
  gtk_entry_set_placeholder_text (self->id_entry, _("Optional"));
}

/* The form's window is the clerk's choice for each visitor: the window shown on the queue board is
 * a view, and never preset the next visitor's window. */
static void
default_form_window (ZzDeskView *self)
{
  gtk_drop_down_set_selected (self->window_drop, GTK_INVALID_LIST_POSITION);
}

static void
clear_form (ZzDeskView *self)
{
  self->programmatic++;
  clear_person (self);
  hide_matches (self);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    {
      if (GTK_IS_ENTRY (self->fields[i]))
        gtk_editable_set_text (GTK_EDITABLE (self->fields[i]), "");
      set_field_error (self, self->fields[i], NULL);
    }
  gtk_spin_button_set_value (self->people_spin, 1);
  gtk_drop_down_set_selected (self->category_drop, GTK_INVALID_LIST_POSITION);
  default_form_window (self);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  self->programmatic--;
}

static void
register_visit (ZzDeskView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL, *phone = NULL, *id_number = NULL, *purpose = NULL;
  g_autofree char *visit_id = NULL, *ticket_id = NULL;
  GtkWidget *first_invalid = NULL;
  guint cat_pos;
  ZzVisitInput in = { 0 };

  if (!self->can_register)
    return;
  gtk_spin_button_update (self->people_spin);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    if (!validate_field (self, self->fields[i], TRUE) && !first_invalid)
      first_invalid = self->fields[i];
  if (first_invalid)
    {
      gtk_widget_grab_focus (first_invalid);
      return;
    }

  name = entry_text (self->name_entry);
  phone = entry_text (self->phone_entry);
  id_number = entry_text (self->id_entry);
  purpose = entry_text (self->purpose_entry);
  cat_pos = gtk_drop_down_get_selected (self->category_drop);
  in.person_id = self->person_id;
  in.name = name;
  in.phone = phone;
  in.id_number = *id_number ? id_number : NULL;
  in.people = gtk_spin_button_get_value_as_int (self->people_spin);
  in.purpose = purpose;
  in.category = category_key_at (self, cat_pos);
  in.window_id = window_id_at (self, gtk_drop_down_get_selected (self->window_drop));

  /* The store is the final judge; its message is shown as it is. */
  if (!zz_store_register_visit (self->store, &in, &visit_id, &ticket_id, &error))
    {
      gtk_label_set_text (self->form_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
      return;
    }

  {
    g_autoptr(ZzRow) t = zz_store_get_ticket (self->store, ticket_id);
    g_autofree char *msg = NULL;
    g_autofree char *last = NULL;
    g_autofree char *time = NULL;

    if (t)
      {
        /* Translators: a toast, e.g. "Ticket 03-012 issued for 张三" */
        msg = g_strdup_printf (_("Ticket %s issued for %s"), zz_row_get (t, "label"), zz_row_get (t, "name"));
        time = zz_gui_format_time (zz_row_get_int (t, "issued_at"), "%H:%M");
        /* Translators: under the form: ticket label, visitor, window number, time */
        last = g_strdup_printf (_("Last ticket: %s · %s · window %d · %s"), zz_row_get (t, "label"),
                                zz_row_get (t, "name"), (int) zz_row_get_int (t, "window_number"), time);
        gtk_label_set_text (self->last_ticket_label, last);
        gtk_widget_set_visible (self->last_ticket_box, TRUE);
        zz_gui_toast (GTK_WIDGET (self), msg);
      }
  }
  g_free (self->last_ticket_id);
  self->last_ticket_id = g_strdup (ticket_id);
  g_free (self->select_after_refresh);
  self->select_after_refresh = g_strdup (ticket_id);
  refresh_board (self);
  refresh_summary (self);
  clear_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  update_actions (self);
}

static int
field_index (ZzDeskView *self, GtkWidget *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    if (self->fields[i] == field)
      return (int) i;
  return -1;
}

/* Enter in a field: a valid field hands on to the next one, the last one registers. */
static void
advance_from (ZzDeskView *self, GtkWidget *field)
{
  int i = field_index (self, field);

  if (i < 0)
    return;
  if (!validate_field (self, field, TRUE))
    {
      gtk_widget_grab_focus (field);
      return;
    }
  if (i + 1 >= (int) G_N_ELEMENTS (self->fields))
    register_visit (self);
  else
    gtk_widget_grab_focus (self->fields[i + 1]);
}

static void
on_field_activate_cb (GtkWidget  *field,
                      ZzDeskView *self)
{
  advance_from (self, field);
}

static void
on_people_activate_cb (GtkText    *text,
                       ZzDeskView *self)
{
  advance_from (self, GTK_WIDGET (self->people_spin));
}

static void
on_field_leave_cb (GtkEventControllerFocus *controller,
                   ZzDeskView              *self)
{
  GtkWidget *field = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (gtk_widget_get_sensitive (field) && gtk_widget_get_mapped (field))
    validate_field (self, field, FALSE);
}

static gboolean
on_drop_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        ZzDeskView            *self)
{
  GtkWidget *drop = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (drop));

  /* Enter inside the open list picks an item there; that is the list's own business. */
  if (!focus || gtk_widget_get_native (focus) != gtk_widget_get_native (drop))
    return FALSE;
  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  /* Nothing chosen yet: Enter opens the list; otherwise it moves on like in an entry. */
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop)) == GTK_INVALID_LIST_POSITION)
    g_signal_emit_by_name (drop, "activate");
  else
    advance_from (self, drop);
  return TRUE;
}

static gboolean
advance_idle_cb (gpointer data)
{
  GtkWidget *drop = data;
  GtkWidget *view = gtk_widget_get_ancestor (drop, ZZ_TYPE_DESK_VIEW);
  GtkRoot *root = gtk_widget_get_root (drop);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* Only while the person is still on the drop-down: a late idle must not pull the focus away
   * from where it went since (a field marked by Register, say). */
  if (view && focus && (focus == drop || gtk_widget_is_ancestor (focus, drop)))
    advance_from (ZZ_DESK_VIEW (view), drop);
  return G_SOURCE_REMOVE;
}

static void
on_drop_selected_cb (GtkDropDown *drop,
                     GParamSpec  *pspec,
                     ZzDeskView  *self)
{
  set_field_error (self, GTK_WIDGET (drop), NULL);
  /* A choice made by the person moves on to the next field once the list has closed. */
  if (!self->programmatic && gtk_drop_down_get_selected (drop) != GTK_INVALID_LIST_POSITION)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, advance_idle_cb, g_object_ref (drop), g_object_unref);
}

/* ---- returning visitors ---- */

static void
pick_person (ZzDeskView *self, ZzRow *person)
{
  g_autofree char *text = NULL;
  int visits = (int) zz_row_get_int (person, "visits");

  self->programmatic++;
  g_free (self->person_id);
  self->person_id = g_strdup (zz_row_get_id (person));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), zz_row_get (person, "name"));
  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), zz_row_get (person, "phone") ?: "");
  /* The full ID number stays in the store; the clerk sees the masked one it will use. */
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), "");
  gtk_entry_set_placeholder_text (self->id_entry, zz_row_get (person, "id_number") ?: _("Optional"));
  set_field_error (self, GTK_WIDGET (self->name_entry), NULL);
  set_field_error (self, GTK_WIDGET (self->phone_entry), NULL);
  set_field_error (self, GTK_WIDGET (self->id_entry), NULL);
  self->programmatic--;

  text = g_strdup_printf (ngettext ("Returning visitor: %s · %d visit", "Returning visitor: %s · %d visits", visits),
                          zz_row_get (person, "name"), visits);
  gtk_label_set_text (self->returning_label, text);
  gtk_widget_set_tooltip_text (self->returning_box, text);
  gtk_widget_set_visible (self->returning_box, TRUE);
  hide_matches (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->people_spin));
}

static void
on_match_activated_cb (GtkListBox    *list,
                       GtkListBoxRow *row,
                       ZzDeskView    *self)
{
  ZzRow *person = g_object_get_data (G_OBJECT (row), "zz-person");

  if (person)
    pick_person (self, person);
}

static GtkWidget *
label_new (const char *text, const char *css1, const char *css2)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css1)
    gtk_widget_add_css_class (label, css1);
  if (css2)
    gtk_widget_add_css_class (label, css2);
  return label;
}

static GtkWidget *
match_row_new (ZzDeskView *self, ZzRow *person)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autoptr(GListModel) visits = zz_store_person_visits (self->store, zz_row_get_id (person), 3);
  g_autofree char *last_day = zz_row_get (person, "last_visit_at") ? zz_gui_format_time (zz_row_get_int (person, "last_visit_at"), "%Y-%m-%d") : NULL;
  g_autofree char *counts = NULL;
  GString *ids = g_string_new (NULL);
  int n_visits = (int) zz_row_get_int (person, "visits");
  int open = (int) zz_row_get_int (person, "open_matters");

  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (top), label_new (zz_row_get (person, "name"), "heading", NULL));
  if (zz_row_get (person, "phone"))
    g_string_append (ids, zz_row_get (person, "phone"));
  if (zz_row_get (person, "id_number"))
    g_string_append_printf (ids, "%s%s", ids->len ? " · " : "", zz_row_get (person, "id_number"));
  gtk_box_append (GTK_BOX (top), label_new (ids->str, "dim-label", "numeric"));
  g_string_free (ids, TRUE);
  gtk_box_append (GTK_BOX (box), top);

  if (last_day)
    /* Translators: number of visits, then the date of the last one */
    counts = g_strdup_printf (ngettext ("%d visit, last on %s", "%d visits, last on %s", n_visits), n_visits, last_day);
  else
    counts = g_strdup_printf (ngettext ("%d visit", "%d visits", n_visits), n_visits);
  {
    GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

    gtk_box_append (GTK_BOX (line), label_new (counts, "caption", NULL));
    if (open > 0)
      {
        g_autofree char *text = g_strdup_printf (ngettext ("%d open matter", "%d open matters", open), open);
        gtk_box_append (GTK_BOX (line), label_new (text, "caption-heading", "warning"));
      }
    gtk_box_append (GTK_BOX (box), line);
  }
  {
    /* A returning visitor's open cases: a repeat visit must not become a second case. */
    g_autoptr(GListModel) cases = zz_store_person_open_cases (self->store, zz_row_get_id (person));
    for (guint i = 0; i < g_list_model_get_n_items (cases) && i < 3; i++)
      {
        g_autoptr(ZzRow) c = g_list_model_get_item (cases, i);
        g_autofree char *text = g_strdup_printf (_("Open case %s · %s"), zz_row_get (c, "number"), zz_row_get (c, "summary"));
        gtk_box_append (GTK_BOX (box), label_new (text, "caption", "warning"));
      }
  }
  for (guint i = 0; i < g_list_model_get_n_items (visits); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (visits, i);
      g_autofree char *day = zz_gui_format_time (zz_row_get_int (v, "arrived_at"), "%Y-%m-%d");
      g_autofree char *text = g_strdup_printf ("%s · %s · %s", day, zz_row_get (v, "department") ?: "—",
                                               zz_row_get (v, "purpose") ?: "");
      GtkWidget *label = label_new (text, "caption", "dim-label");

      if (g_strcmp0 (zz_row_get (v, "status"), "open") == 0 || g_strcmp0 (zz_row_get (v, "outcome"), "to_case") == 0)
        {
          gtk_widget_remove_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "warning");
        }
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "zz-person", g_object_ref (person), g_object_unref);
  return row;
}

static gboolean
search_cb (gpointer data)
{
  ZzDeskView *self = data;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *query = NULL;
  GtkWidget *child;
  guint n;

  self->search_source = 0;
  if (!self->search_origin || self->person_id)
    return G_SOURCE_REMOVE;
  query = entry_text (GTK_ENTRY (self->search_origin));
  found = g_utf8_strlen (query, -1) >= 2 ? zz_store_find_persons (self->store, query, N_MATCHES) : NULL;
  n = found ? g_list_model_get_n_items (found) : 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches_list))))
    gtk_list_box_remove (self->matches_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) person = g_list_model_get_item (found, i);
      gtk_list_box_append (self->matches_list, match_row_new (self, person));
    }
  gtk_widget_set_visible (self->matches_box, n > 0);
  return G_SOURCE_REMOVE;
}

static void
on_search_field_changed_cb (GtkEditable *editable,
                            ZzDeskView  *self)
{
  set_field_error (self, GTK_WIDGET (editable), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  if (self->programmatic || self->person_id)
    return;
  self->search_origin = GTK_WIDGET (editable);
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_cb, self);
}

static void
on_field_changed_cb (GtkEditable *editable,
                     ZzDeskView  *self)
{
  set_field_error (self, GTK_WIDGET (editable), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
}

static gboolean
on_search_field_key_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        ZzDeskView            *self)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  if (!gtk_widget_get_visible (self->matches_box) || !(first = gtk_list_box_get_row_at_index (self->matches_list, 0)))
    return FALSE;
  self->search_origin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  gtk_list_box_select_row (self->matches_list, first);
  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

static gboolean
on_matches_key_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   ZzDeskView            *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  gtk_widget_grab_focus (self->search_origin ? self->search_origin : GTK_WIDGET (self->name_entry));
  return TRUE;
}

/* ---- queue board ---- */

typedef enum {
  COL_LABEL,
  COL_NAME,
  COL_PEOPLE,
  COL_PURPOSE,
  COL_WINDOW,
  COL_STATUS,
  COL_WAITED,
} Column;

typedef struct {
  ZzDeskView *view;
  Column col;
} ColumnData;

static void
set_waited_text (GtkInscription *cell, ZzRow *t)
{
  /* The wait of the visit since arrival: a referred visitor keeps it (the queue rule). */
  gint64 issued = zz_row_get_int (t, "arrived_at");
  gint64 until = zz_row_get (t, "called_at") ? zz_row_get_int (t, "called_at")
                 : g_strcmp0 (zz_row_get (t, "status"), "waiting") == 0 ? g_get_real_time () / 1000
                 : zz_row_get_int (t, "ended_at");
  int minutes = until > issued ? (int) ((until - issued) / 60000) : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("%d min", "%d min", minutes), minutes);

  gtk_inscription_set_text (cell, text);
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  Column col = ((ColumnData *) user_data)->col;
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (col == COL_LABEL)
    gtk_widget_add_css_class (cell, "ticket-label");
  if (col == COL_PEOPLE || col == COL_WAITED)
    gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), col == COL_PURPOSE ? 12 : 2);
  gtk_list_item_set_child (item, cell);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  ColumnData *data = user_data;

  if (data->col == COL_WAITED && data->view->waited_cells)
    g_hash_table_remove (data->view->waited_cells, gtk_list_item_get_child (item));
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  ColumnData *data = user_data;
  Column col = data->col;
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  ZzRow *t = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;
  const char *tooltip = NULL;

  switch (col)
    {
    case COL_LABEL:
      gtk_inscription_set_text (cell, zz_row_get (t, "label"));
      break;
    case COL_NAME:
      gtk_inscription_set_text (cell, zz_row_get (t, "name"));
      tooltip = zz_row_get (t, "phone");
      break;
    case COL_PEOPLE:
      if (zz_row_get_int (t, "group_visit"))
        {
          /* Translators: people of a group visit (集体访) on the queue board, e.g. "12 · 集体访" */
          text = g_strdup_printf (_("%d · group"), (int) zz_row_get_int (t, "people"));
          tooltip = _("Group visit: 5 or more people");
          gtk_widget_add_css_class (GTK_WIDGET (cell), "warning");
        }
      else
        {
          text = g_strdup_printf ("%d", (int) zz_row_get_int (t, "people"));
          gtk_widget_remove_css_class (GTK_WIDGET (cell), "warning");
        }
      gtk_inscription_set_text (cell, text);
      break;
    case COL_PURPOSE:
      gtk_inscription_set_text (cell, zz_row_get (t, "purpose"));
      tooltip = zz_row_get (t, "purpose");
      break;
    case COL_WINDOW:
      text = g_strdup_printf (_("Window %d · %s"), (int) zz_row_get_int (t, "window_number"),
                              zz_row_get (t, "department"));
      gtk_inscription_set_text (cell, text);
      tooltip = text;
      break;
    case COL_STATUS:
      {
        const char *status = zz_row_get (t, "status");
        g_autofree char *css = g_strdup_printf ("status-%s", status ? status : "waiting");
        const char *classes[] = { css, NULL };

        gtk_widget_set_css_classes (GTK_WIDGET (cell), classes);
        if (zz_row_get (t, "referred_from") && g_strcmp0 (status, "done") != 0)
          /* Translators: status of a ticket that came from another window */
          text = g_strdup_printf (_("%s (referred)"), status_display (t));
        gtk_inscription_set_text (cell, text ? text : status_display (t));
        tooltip = zz_row_get (t, "note");
      }
      break;
    case COL_WAITED:
      set_waited_text (cell, t);
      if (data->view->waited_cells)
        g_hash_table_insert (data->view->waited_cells, cell, t);
      break;
    default:
      break;
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (cell), tooltip);
}

static void
add_column (ZzDeskView *self, const char *title, Column col, int fixed_width, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  ColumnData *data = g_new0 (ColumnData, 1);

  data->view = self;
  data->col = col;
  g_signal_connect_data (factory, "setup", G_CALLBACK (on_cell_setup_cb), data, (GClosureNotify) (void (*) (void)) g_free, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), data);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->ticket_view, column);
  g_object_unref (column);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      return c;
  return NULL;
}

static void
select_ticket (ZzDeskView *self, const char *ticket_id, gboolean scroll)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tickets));

  for (guint i = 0; ticket_id && i < n; i++)
    {
      g_autoptr(ZzRow) t = g_list_model_get_item (G_LIST_MODEL (self->tickets), i);
      if (g_strcmp0 (zz_row_get_id (t), ticket_id) == 0)
        {
          GtkWidget *list = find_list_view (GTK_WIDGET (self->ticket_view));

          gtk_single_selection_set_selected (self->selection, i);
          /* GTK 4.8 has no gtk_column_view_scroll_to(); its inner list view has the action. */
          if (list && scroll)
            gtk_widget_activate_action (list, "list.scroll-to-item", "u", i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
refresh_board (ZzDeskView *self)
{
  g_autofree char *keep = NULL;
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;
  guint n, waiting = 0;
  gboolean scroll = self->select_after_refresh != NULL;

  if (!self->store)
    return;
  keep = self->select_after_refresh ? g_steal_pointer (&self->select_after_refresh)
                                    : g_strdup (selected_ticket_id (self));
  rows = zz_store_list_tickets (self->store, board_window_id (self), NULL);
  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      ZzRow *t = g_list_model_get_item (rows, i);
      if (g_strcmp0 (zz_row_get (t, "status"), "waiting") == 0)
        waiting++;
      g_ptr_array_add (items, t);
    }
  g_list_store_splice (self->tickets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tickets)),
                       items->pdata, items->len);
  select_ticket (self, keep, scroll);

  gtk_stack_set_visible_child_name (self->board_stack, n > 0 ? "list" : "empty");
  adw_status_page_set_title (self->empty_page, board_window_id (self) ? _("No Visitors at This Window Yet")
                                                                    : _("No Visitors Yet Today"));
  /* Translators: above the queue board: tickets today, then how many wait */
  count = g_strdup_printf (ngettext ("%u ticket today, %u waiting", "%u tickets today, %u waiting", n), n, waiting);
  gtk_label_set_text (self->board_count_label, count);
  update_actions (self);
}

static GtkWidget *
window_figure_new (ZzRow *w)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  /* Translators: a window number in the "today" strip, e.g. "3号窗口" */
  g_autofree char *title = g_strdup_printf (_("Window %d"), (int) zz_row_get_int (w, "window_number"));
  int served = (int) zz_row_get_int (w, "served"), waiting = (int) zz_row_get_int (w, "waiting");
  /* Translators: per window in the "today" strip */
  g_autofree char *figures = g_strdup_printf (_("%d served · %d waiting"), served, waiting);
  GtkWidget *top = label_new (title, "caption-heading", NULL);

  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), label_new (figures, "caption", waiting > 0 ? "warning" : "dim-label"));
  gtk_widget_set_tooltip_text (box, zz_row_get (w, "department"));
  return box;
}

/* Group visits (集体访) are flagged to supervisors: today's count, the last 30 days listed. */
static void
refresh_group_visits (ZzDeskView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (zz_store_now (self->store) / 1000);
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -29);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *first = g_date_time_format (from, "%Y-%m-%d");
  g_autoptr(GListModel) rows = zz_store_group_visits (self->store, first, today);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_today = 0;
  char buf[16];

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (rows, i);
      g_autofree char *cat = zz_store_visit_category_name (self->store, zz_row_get (v, "category"));
      g_autofree char *time = zz_gui_format_time (zz_row_get_int (v, "arrived_at"), "%H:%M");

      if (g_strcmp0 (zz_row_get (v, "day"), today) == 0)
        n_today++;
      /* Translators: a group visit in the list: day, time, visitor, people, category, purpose */
      g_string_append_printf (text, _("%s %s · %s · %d people · %s · %s"), zz_row_get (v, "day"), time,
                              zz_row_get (v, "name"), (int) zz_row_get_int (v, "people"), cat, zz_row_get (v, "purpose"));
      g_string_append_c (text, '\n');
    }
  if (text->len == 0)
    g_string_append (text, _("No group visits in the last 30 days."));
  else
    g_string_truncate (text, text->len - 1);
  gtk_label_set_text (self->group_list_label, text->str);
  g_snprintf (buf, sizeof buf, "%u", n_today);
  gtk_label_set_text (self->group_figure, buf);
  if (n_today > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->group_figure), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->group_figure), "warning");
}

static void
refresh_summary (ZzDeskView *self)
{
  ZzDeskSummary s;
  g_autoptr(GListModel) per_window = NULL;
  char buf[32];

  if (!self->store)
    return;
  zz_store_desk_summary (self->store, NULL, &s, &per_window);
  g_snprintf (buf, sizeof buf, "%d", s.visitors);
  gtk_label_set_text (self->visitors_figure, buf);
  g_snprintf (buf, sizeof buf, "%d", s.people);
  gtk_label_set_text (self->people_figure, buf);
  g_snprintf (buf, sizeof buf, "%d", s.waiting);
  gtk_label_set_text (self->waiting_figure, buf);
  g_snprintf (buf, sizeof buf, "%.0f", s.avg_wait_s > 0 ? s.avg_wait_s / 60.0 : 0.0);
  gtk_label_set_text (self->avg_wait_figure, buf);
  g_snprintf (buf, sizeof buf, "%d", s.served);
  gtk_label_set_text (self->served_figure, buf);
  refresh_group_visits (self);

  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->per_window_box))))
      gtk_flow_box_remove (self->per_window_box, child);
  }
  for (guint i = 0; per_window && i < g_list_model_get_n_items (per_window); i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (per_window, i);
      if (zz_row_get_int (w, "tickets") > 0)
        gtk_flow_box_append (self->per_window_box, window_figure_new (w));
    }
}

static gboolean
refresh_idle_cb (gpointer data)
{
  ZzDeskView *self = data;

  self->refresh_source = 0;
  refresh_board (self);
  refresh_summary (self);
  return G_SOURCE_REMOVE;
}

/* Waiting minutes move on without a re-query, so that a row the clerk is on keeps its place. */
static gboolean
tick_cb (gpointer data)
{
  ZzDeskView *self = data;
  GHashTableIter iter;
  gpointer cell, row;

  g_hash_table_iter_init (&iter, self->waited_cells);
  while (g_hash_table_iter_next (&iter, &cell, &row))
    set_waited_text (cell, row);
  refresh_summary (self);
  return G_SOURCE_CONTINUE;
}

/* The window shown on the queue board is each user's own: clerks at different windows share one
 * installation. Kept per user in the "desk-window-by-user" dictionary. */
static char *
remembered_board_window (ZzDeskView *self)
{
  g_autoptr(GVariant) dict = NULL;
  const char *user = zz_store_get_user_id (self->store);
  char *id = NULL;

  if (!self->settings || !user)
    return NULL;
  dict = g_settings_get_value (self->settings, "desk-window-by-user");
  if (!g_variant_lookup (dict, user, "s", &id))
    return NULL;
  return id;
}

static void
remember_board_window (ZzDeskView *self, const char *window_id)
{
  g_autoptr(GVariant) dict = NULL;
  g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  const char *user = zz_store_get_user_id (self->store);
  GVariantIter iter;
  const char *k, *v;

  if (!self->settings || !user)
    return;
  dict = g_settings_get_value (self->settings, "desk-window-by-user");
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, user))
      g_variant_builder_add (&b, "{ss}", k, v);
  if (window_id && *window_id)
    g_variant_builder_add (&b, "{ss}", user, window_id);
  g_settings_set_value (self->settings, "desk-window-by-user", g_variant_builder_end (&b));
}

static void
load_windows (ZzDeskView *self)
{
  g_autoptr(GtkStringList) form_names = NULL;
  g_autoptr(GtkStringList) board_names = NULL;
  g_autofree char *board = g_strdup (board_window_id (self));
  g_autofree char *form = g_strdup (window_id_at (self, gtk_drop_down_get_selected (self->window_drop)));
  guint pos;

  if (!board)
    board = remembered_board_window (self);
  g_clear_object (&self->windows);
  self->windows = zz_store_list_windows (self->store);
  form_names = window_names (self, NULL);
  board_names = window_names (self, _("All windows"));

  self->programmatic++;
  gtk_drop_down_set_model (self->window_drop, G_LIST_MODEL (form_names));
  gtk_drop_down_set_model (self->board_window_drop, G_LIST_MODEL (board_names));
  pos = window_pos (self, board);
  gtk_drop_down_set_selected (self->board_window_drop, pos == GTK_INVALID_LIST_POSITION ? 0 : pos + 1);
  gtk_drop_down_set_selected (self->window_drop, window_pos (self, form));
  self->programmatic--;
  set_drop_placeholder (self->window_drop, _("Choose…"));
}

static void
on_store_changed_cb (ZzStore    *store,
                     const char *table,
                     ZzDeskView *self)
{
  if (g_strcmp0 (table, "department") == 0 || g_strcmp0 (table, "window") == 0)
    load_windows (self);
  if (g_strcmp0 (table, "case_category") == 0)
    load_categories (self);
  if (!self->refresh_source)
    self->refresh_source = g_idle_add (refresh_idle_cb, self);
}

static void
on_board_window_changed_cb (GtkDropDown *drop,
                            GParamSpec  *pspec,
                            ZzDeskView  *self)
{
  const char *id = board_window_id (self);

  if (self->programmatic || !self->store)
    return;
  remember_board_window (self, id);
  refresh_board (self);
}

static void
on_selection_changed_cb (ZzDeskView *self)
{
  update_actions (self);
}

static void
update_actions (ZzDeskView *self)
{
  ZzRow *t = selected_ticket (self);
  const char *status = t ? zz_row_get (t, "status") : NULL;
  GtkWidget *w = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (w, "desk.register", self->can_register);
  gtk_widget_action_set_enabled (w, "desk.new", self->can_register);
  gtk_widget_action_set_enabled (w, "desk.clear-person", self->can_register);
  gtk_widget_action_set_enabled (w, "desk.call-next", self->can_serve);
  gtk_widget_action_set_enabled (w, "desk.start-service", self->can_serve && status
                                 && (g_str_equal (status, "waiting") || g_str_equal (status, "called")));
  gtk_widget_action_set_enabled (w, "desk.finish", self->can_serve && status && !g_str_equal (status, "done"));
  gtk_widget_action_set_enabled (w, "desk.undo-ticket", self->can_serve && status && !g_str_equal (status, "waiting"));
  gtk_widget_action_set_enabled (w, "desk.print", t != NULL);
  gtk_widget_action_set_enabled (w, "desk.register-case", t != NULL && zz_store_can (self->store, ZZ_PERM_REGISTER_CASE));
  gtk_widget_action_set_enabled (w, "desk.print-last", t != NULL || self->last_ticket_id);
  gtk_widget_action_set_enabled (w, "desk.save-pdf", t != NULL || self->last_ticket_id);
}

/* ---- actions ---- */

static void
register_action (GtkWidget *widget, const char *name, GVariant *param)
{
  register_visit (ZZ_DESK_VIEW (widget));
}

static void
new_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);

  clear_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
clear_person_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);

  self->programmatic++;
  clear_person (self);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), "");
  self->programmatic--;
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
call_next_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket_id = NULL;
  const char *window_id = board_window_id (self);
  ZzRow *sel = selected_ticket (self);

  /* With all windows on the board, the selected visitor's window is the one calling. */
  if (!window_id && sel)
    window_id = zz_row_get (sel, "window_id");
  if (!window_id)
    {
      zz_gui_toast (GTK_WIDGET (self), _("Choose a window on the queue board first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->board_window_drop));
      return;
    }
  if (!zz_store_call_next (self->store, window_id, &ticket_id, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  g_free (self->select_after_refresh);
  self->select_after_refresh = g_strdup (ticket_id);
  refresh_board (self);
  refresh_summary (self);
  {
    g_autoptr(ZzRow) t = zz_store_get_ticket (self->store, ticket_id);
    /* Translators: a toast: ticket label, visitor name */
    g_autofree char *msg = g_strdup_printf (_("Called %s · %s"), zz_row_get (t, "label"), zz_row_get (t, "name"));
    toast_with_undo (self, msg, ticket_id);
  }
}

static void
start_service_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzRow) t = NULL;
  g_autofree char *msg = NULL;
  ZzRow *sel = selected_ticket (self);

  if (!sel)
    return;
  t = g_object_ref (sel);
  if (!zz_store_start_service (self->store, zz_row_get_id (t), &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  refresh_board (self);
  refresh_summary (self);
  /* Translators: a toast: ticket label, visitor name */
  msg = g_strdup_printf (_("Serving %s · %s"), zz_row_get (t, "label"), zz_row_get (t, "name"));
  toast_with_undo (self, msg, zz_row_get_id (t));
}

static const char *outcome_ids[] = { "outcome_answered", "outcome_referred", "outcome_to_case", "outcome_left" };
static const char *outcome_keys[] = { "answered", "referred", "to_case", "left" };

static void
on_finish_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       ZzDeskView       *self)
{
  GtkBuilder *builder = g_object_get_data (G_OBJECT (dialog), "zz-builder");
  ZzRow *t = g_object_get_data (G_OBJECT (dialog), "zz-ticket");
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *msg = NULL;
  const char *outcome = NULL;
  const char *refer = NULL;
  guint n_out;
  const ZzVocab *outcomes = zz_ticket_outcomes (&n_out);

  if (g_strcmp0 (response, "finish") != 0 || !t)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (outcome_ids); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (gtk_builder_get_object (builder, outcome_ids[i]))))
      outcome = outcome_keys[i];
  if (g_strcmp0 (outcome, "referred") == 0)
    {
      GStrv ids = g_object_get_data (G_OBJECT (dialog), "zz-refer-ids");
      guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (gtk_builder_get_object (builder, "refer_window_drop")));
      refer = ids && pos < g_strv_length (ids) ? ids[pos] : NULL;
    }
  if (!zz_store_finish_ticket (self->store, zz_row_get_id (t), outcome, refer,
                               gtk_editable_get_text (GTK_EDITABLE (gtk_builder_get_object (builder, "note_entry"))),
                               &new_id, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  refresh_board (self);
  refresh_summary (self);
  if (new_id)
    {
      g_autoptr(ZzRow) nt = zz_store_get_ticket (self->store, new_id);
      /* Translators: a toast: old ticket, new ticket, its window number */
      msg = g_strdup_printf (_("%s referred: new ticket %s at window %d"), zz_row_get (t, "label"),
                             zz_row_get (nt, "label"), (int) zz_row_get_int (nt, "window_number"));
      offer_referral_ticket (self, nt);
    }
  else
    /* Translators: a toast: ticket label, outcome */
    msg = g_strdup_printf (_("%s finished: %s"), zz_row_get (t, "label"), zz_vocab_display (outcomes, n_out, outcome));
  toast_with_undo (self, msg, zz_row_get_id (t));
}

static gboolean
on_finish_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          AdwMessageDialog      *dialog)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  if (focus && gtk_widget_get_native (focus) != GTK_NATIVE (dialog))
    return FALSE;
  if (focus && gtk_widget_get_ancestor (focus, GTK_TYPE_DROP_DOWN))
    {
      GtkDropDown *drop = GTK_DROP_DOWN (gtk_widget_get_ancestor (focus, GTK_TYPE_DROP_DOWN));
      if (gtk_drop_down_get_selected (drop) == GTK_INVALID_LIST_POSITION)
        return FALSE;
    }
  adw_message_dialog_response (dialog, "finish");
  gtk_window_close (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_offer_print_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            ZzDeskView       *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "zz-ticket-id");

  if (g_strcmp0 (response, "print") == 0)
    print_ticket (self, id);
}

/* A referred visitor needs the new ticket in hand: offer to print it at once. */
static void
offer_referral_ticket (ZzDeskView *self, ZzRow *nt)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (!nt)
    return;
  g_free (self->last_ticket_id);
  self->last_ticket_id = g_strdup (zz_row_get_id (nt));
  /* Translators: heading of the dialog after a referral, %s is the new ticket's label */
  heading = g_strdup_printf (_("New Ticket %s"), zz_row_get (nt, "label"));
  /* Translators: visitor's name, window number and department */
  body = g_strdup_printf (_("%s now waits at window %d · %s. Print the new ticket for the visitor?"),
                          zz_row_get (nt, "name"), (int) zz_row_get_int (nt, "window_number"),
                          zz_row_get (nt, "department"));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "close", _("_Not Now"), "print", _("_Print Ticket"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "print", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "print");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_widget_set_name (GTK_WIDGET (dialog), "referral-ticket-dialog");
  g_object_set_data_full (G_OBJECT (dialog), "zz-ticket-id", g_strdup (zz_row_get_id (nt)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_offer_print_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
finish_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkStringList) names = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  ZzRow *t = selected_ticket (self);
  AdwMessageDialog *dialog;
  gboolean waiting;

  if (!t)
    return;
  waiting = g_strcmp0 (zz_row_get (t, "status"), "waiting") == 0;
  builder = gtk_builder_new_from_resource ("/org/zongzhi/Workbench/zz-finish-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "finish_dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (widget)));
  /* Translators: dialog heading, %s is a ticket label */
  heading = g_strdup_printf (_("Finish Ticket %s"), zz_row_get (t, "label"));
  body = g_strdup_printf ("%s · %s", zz_row_get (t, "name"), zz_row_get (t, "purpose"));
  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, body);
  {
    /* A referral goes to another window: the ticket's own is not offered. */
    GStrvBuilder *ids = g_strv_builder_new ();
    guint n = self->windows ? g_list_model_get_n_items (self->windows) : 0;

    names = gtk_string_list_new (NULL);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(ZzRow) wr = g_list_model_get_item (self->windows, i);
        g_autofree char *label = NULL;
        if (g_strcmp0 (zz_row_get_id (wr), zz_row_get (t, "window_id")) == 0)
          continue;
        label = window_display (wr);
        gtk_string_list_append (names, label);
        g_strv_builder_add (ids, zz_row_get_id (wr));
      }
    g_object_set_data_full (G_OBJECT (dialog), "zz-refer-ids", g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
    g_strv_builder_unref (ids);
  }
  gtk_drop_down_set_model (GTK_DROP_DOWN (gtk_builder_get_object (builder, "refer_window_drop")), G_LIST_MODEL (names));
  set_drop_placeholder (GTK_DROP_DOWN (gtk_builder_get_object (builder, "refer_window_drop")), _("Choose the window…"));
  zz_drop_down_follow_keyboard (GTK_WIDGET (gtk_builder_get_object (builder, "refer_window_drop")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_builder_get_object (builder, "refer_window_drop")),
                              GTK_INVALID_LIST_POSITION);
  /* A visitor who was never called can only have left. */
  if (waiting)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_builder_get_object (builder, "outcome_left")), TRUE);
      for (guint i = 0; i < 3; i++)
        gtk_widget_set_sensitive (GTK_WIDGET (gtk_builder_get_object (builder, outcome_ids[i])), FALSE);
    }
  g_object_set_data_full (G_OBJECT (dialog), "zz-builder", g_object_ref (builder), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "zz-ticket", g_object_ref (t), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_finish_response_cb), self, 0);
  {
    /* Enter finishes from anywhere in the dialog (a focused outcome would otherwise take it),
     * except inside the open list of windows, where it picks a window. */
    GtkEventController *key = gtk_event_controller_key_new ();
    gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
    g_signal_connect (key, "key-pressed", G_CALLBACK (on_finish_key_pressed_cb), dialog);
    gtk_widget_add_controller (GTK_WIDGET (dialog), key);
  }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_ticket_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZzRow) t = selected_ticket (self) ? g_object_ref (selected_ticket (self)) : NULL;
  g_autofree char *msg = NULL;

  if (!t)
    return;
  if (!zz_store_undo_ticket (self->store, zz_row_get_id (t), &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  refresh_board (self);
  refresh_summary (self);
  /* Translators: a toast, %s is a ticket label */
  msg = g_strdup_printf (_("Last step of %s undone"), zz_row_get (t, "label"));
  zz_gui_toast (GTK_WIDGET (self), msg);
}

static void
print_ticket (ZzDeskView *self, const char *ticket_id)
{
  g_autoptr(GError) error = NULL;

  if (!ticket_id)
    return;
  if (!zz_ticket_print (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->store, ticket_id, NULL, &error))
    zz_gui_error (GTK_WIDGET (self), error);
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);

  print_ticket (self, selected_ticket_id (self));
}

static void
print_last_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);

  print_ticket (self, self->last_ticket_id ? self->last_ticket_id : selected_ticket_id (self));
}

static void
register_case_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  ZzWindow *win = zz_window_for (widget);

  if (win && selected_ticket (self))
    zz_window_register_case_from_visit (win, selected_ticket (self));
}

static void
save_pdf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  const char *id = selected_ticket_id (self) ? selected_ticket_id (self) : self->last_ticket_id;

  if (id)
    zz_ticket_save_pdf (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, id);
}

/* ---- the day's visitor register (来访登记簿) ---- */

static void
on_register_print_begin_cb (GtkPrintOperation *op, GtkPrintContext *context, ZzTable *t)
{
  const char *title = g_object_get_data (G_OBJECT (op), "zz-title");

  gtk_print_operation_set_n_pages (op, (int) zz_register_n_pages (t, title, gtk_print_context_get_width (context),
                                                                  gtk_print_context_get_height (context)));
}

static void
on_register_draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, ZzTable *t)
{
  zz_register_draw_page (t, g_object_get_data (G_OBJECT (op), "zz-title"), gtk_print_context_get_cairo_context (context),
                         (guint) page, gtk_print_context_get_width (context), gtk_print_context_get_height (context));
}

gboolean
zz_desk_view_print_register (ZzDeskView *self, const char *day, const char *export_path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = zz_print_a4_setup ();
  ZzTable *t;
  char *title;

  g_return_val_if_fail (ZZ_IS_DESK_VIEW (self), FALSE);
  t = zz_register_table (self->store, day);
  title = zz_register_title (self->store, day);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  g_object_set_data_full (G_OBJECT (op), "zz-table", t, (GDestroyNotify) zz_table_unref);
  g_object_set_data_full (G_OBJECT (op), "zz-title", title, g_free);
  g_signal_connect (op, "begin-print", G_CALLBACK (on_register_print_begin_cb), t);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_register_draw_page_cb), t);
  return zz_print_run (op, setup, title, export_path, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);
}

static void
on_register_saved_cb (GtkNativeDialog *chooser, int response, ZzDeskView *self)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT ? zz_save_dialog_get_path (chooser) : NULL;
  const char *day = g_object_get_data (G_OBJECT (chooser), "zz-day");
  g_autoptr(GError) error = NULL;

  if (path)
    {
      if (zz_register_write (self->store, day, path, &error))
        {
          g_autofree char *name = g_filename_display_basename (path);
          /* Translators: a toast, %s is a file name */
          g_autofree char *msg = g_strdup_printf (_("Saved %s"), name);
          zz_gui_toast (GTK_WIDGET (self), msg);
        }
      else
        zz_gui_error (GTK_WIDGET (self), error);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_register_dialog_response_cb (AdwMessageDialog *dialog,
                                const char       *response,
                                ZzDeskView       *self)
{
  ZzDateEntry *entry = g_object_get_data (G_OBJECT (dialog), "zz-date-entry");
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  GDate d;

  if (g_strcmp0 (response, "cancel") == 0 || !response)
    return;
  if (!zz_date_entry_get_date (entry, &d, &error))
    {
      zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  day = zz_date_to_string (&d);
  if (g_str_equal (response, "print"))
    {
      if (!zz_desk_view_print_register (self, day, NULL, &error))
        zz_gui_error (GTK_WIDGET (self), error);
      return;
    }
  {
    const char *xlsx[] = { "xlsx", NULL };
    const char *pdf[] = { "pdf", NULL };
    gboolean is_pdf = g_str_equal (response, "pdf");
    g_autofree char *title = zz_register_title (self->store, day);
    g_autofree char *file = g_strdup_printf ("%s.%s", title, is_pdf ? "pdf" : "xlsx");
    GtkFileChooserNative *chooser;

    g_strdelimit (file, " ", '-');
    chooser = zz_save_dialog_new (GTK_WIDGET (self), is_pdf ? _("Save the Visitor Register as PDF")
                                                            : _("Export the Visitor Register to Excel"),
                                  _("_Save"), file, is_pdf ? pdf : xlsx);
    g_object_set_data_full (G_OBJECT (chooser), "zz-day", g_steal_pointer (&day), g_free);
    g_signal_connect_object (chooser, "response", G_CALLBACK (on_register_saved_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
}

static void
visitor_register_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzDeskView *self = ZZ_DESK_VIEW (widget);
  AdwMessageDialog *dialog;
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Da_y"));
  GtkWidget *entry = zz_date_entry_new ();
  GDate today;

  zz_date_from_unix_ms (&today, zz_store_now (self->store), NULL);
  zz_date_entry_set_date (ZZ_DATE_ENTRY (entry), &today);
  gtk_widget_set_name (entry, "register-day");
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, 0, 1, 1);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Visitor Register"),
                                                       _("Every visit of the day in the order of arrival, with its "
                                                         "tickets, windows and outcome. Group visits are marked.")));
  gtk_widget_set_name (GTK_WIDGET (dialog), "visitor-register-dialog");
  adw_message_dialog_set_extra_child (dialog, grid);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "print", _("_Print…"),
                                    "pdf", _("Save as P_DF…"), "xlsx", _("Save as _Excel…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "xlsx", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "xlsx");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "zz-date-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_register_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
on_map_cb (ZzDeskView *self)
{
  if (self->can_register)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
zz_desk_view_dispose (GObject *object)
{
  ZzDeskView *self = ZZ_DESK_VIEW (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->windows);
  g_clear_object (&self->selection);
  g_clear_object (&self->tickets);
  g_clear_pointer (&self->waited_cells, g_hash_table_unref);
  g_clear_pointer (&self->person_id, g_free);
  g_clear_pointer (&self->category_keys, g_strfreev);
  g_clear_pointer (&self->last_ticket_id, g_free);
  g_clear_pointer (&self->select_after_refresh, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_DESK_VIEW);
  G_OBJECT_CLASS (zz_desk_view_parent_class)->dispose (object);
}

static void
zz_desk_view_class_init (ZzDeskViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_desk_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-desk-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, visitors_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, people_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, waiting_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, avg_wait_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, served_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, per_window_box);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, group_figure);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, group_list_label);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, returning_box);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, returning_label);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, form_grid);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, name_entry);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, id_entry);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, people_spin);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, category_drop);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, window_drop);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, purpose_entry);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, name_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, phone_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, id_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, category_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, window_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, purpose_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, form_error);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, register_button);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, last_ticket_box);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, last_ticket_label);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, matches_box);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, matches_list);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, board_window_drop);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, board_count_label);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, board_stack);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, ticket_view);
  gtk_widget_class_bind_template_child (widget_class, ZzDeskView, empty_page);

  gtk_widget_class_install_action (widget_class, "desk.register", NULL, register_action);
  gtk_widget_class_install_action (widget_class, "desk.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "desk.clear-person", NULL, clear_person_action);
  gtk_widget_class_install_action (widget_class, "desk.call-next", NULL, call_next_action);
  gtk_widget_class_install_action (widget_class, "desk.start-service", NULL, start_service_action);
  gtk_widget_class_install_action (widget_class, "desk.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "desk.undo-ticket", NULL, undo_ticket_action);
  gtk_widget_class_install_action (widget_class, "desk.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "desk.print-last", NULL, print_last_action);
  gtk_widget_class_install_action (widget_class, "desk.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "desk.register-case", NULL, register_case_action);
  gtk_widget_class_install_action (widget_class, "desk.visitor-register", NULL, visitor_register_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "desk.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "desk.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "desk.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "desk.call-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "desk.print-last", NULL);
}

static void
connect_field (ZzDeskView *self, GtkWidget *field, gboolean searches)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (on_field_leave_cb), self);
  gtk_widget_add_controller (field, focus);
  if (GTK_IS_DROP_DOWN (field))
    {
      GtkEventController *key = gtk_event_controller_key_new ();

      gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
      g_signal_connect (key, "key-pressed", G_CALLBACK (on_drop_key_pressed_cb), self);
      gtk_widget_add_controller (field, key);
      g_signal_connect (field, "notify::selected", G_CALLBACK (on_drop_selected_cb), self);
      return;
    }
  /* GtkSpinButton has no activate signal before GTK 4.14; its text does. */
  if (GTK_IS_SPIN_BUTTON (field))
    g_signal_connect_after (gtk_editable_get_delegate (GTK_EDITABLE (field)), "activate",
                            G_CALLBACK (on_people_activate_cb), self);
  else
    g_signal_connect_after (field, "activate", G_CALLBACK (on_field_activate_cb), self);
  if (searches)
    {
      GtkEventController *key = gtk_event_controller_key_new ();

      gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
      g_signal_connect (key, "key-pressed", G_CALLBACK (on_search_field_key_cb), self);
      gtk_widget_add_controller (field, key);
      g_signal_connect (field, "changed", G_CALLBACK (on_search_field_changed_cb), self);
    }
  else if (GTK_IS_ENTRY (field))
    g_signal_connect (field, "changed", G_CALLBACK (on_field_changed_cb), self);
}

static void
zz_desk_view_init (ZzDeskView *self)
{
  g_autoptr(GtkExpression) expr = NULL;
  GtkEventController *key;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields[0] = GTK_WIDGET (self->name_entry);
  self->fields[1] = GTK_WIDGET (self->phone_entry);
  self->fields[2] = GTK_WIDGET (self->id_entry);
  self->fields[3] = GTK_WIDGET (self->people_spin);
  self->fields[4] = GTK_WIDGET (self->category_drop);
  self->fields[5] = GTK_WIDGET (self->window_drop);
  self->fields[6] = GTK_WIDGET (self->purpose_entry);
  connect_field (self, GTK_WIDGET (self->name_entry), TRUE);
  connect_field (self, GTK_WIDGET (self->phone_entry), TRUE);
  connect_field (self, GTK_WIDGET (self->id_entry), TRUE);
  connect_field (self, GTK_WIDGET (self->people_spin), FALSE);
  connect_field (self, GTK_WIDGET (self->category_drop), FALSE);
  connect_field (self, GTK_WIDGET (self->window_drop), FALSE);
  connect_field (self, GTK_WIDGET (self->purpose_entry), FALSE);

  expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->category_drop, expr);
  gtk_drop_down_set_expression (self->window_drop, expr);
  gtk_drop_down_set_enable_search (self->window_drop, TRUE);
  self->programmatic++;
  gtk_drop_down_set_selected (self->category_drop, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (self->window_drop, GTK_INVALID_LIST_POSITION);
  self->programmatic--;

  g_signal_connect (self->matches_list, "row-activated", G_CALLBACK (on_match_activated_cb), self);
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_matches_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->matches_list), key);

  self->waited_cells = g_hash_table_new (NULL, NULL);
  self->tickets = g_list_store_new (ZZ_TYPE_ROW);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tickets)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->ticket_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selection_changed_cb), self);
  /* Narrow enough that the whole row, the wait included, fits beside the form on a 1024 px
   * screen; the purpose takes what is left. People has room for the group-visit mark. */
  add_column (self, _("Ticket"), COL_LABEL, 72, FALSE);
  add_column (self, _("Name"), COL_NAME, 80, FALSE);
  add_column (self, _("People"), COL_PEOPLE, 64, FALSE);
  add_column (self, _("Purpose"), COL_PURPOSE, -1, TRUE);
  add_column (self, _("Window"), COL_WINDOW, 104, FALSE);
  add_column (self, _("Status"), COL_STATUS, 104, FALSE);
  add_column (self, _("Waited"), COL_WAITED, 80, FALSE);

  g_signal_connect (self->board_window_drop, "notify::selected", G_CALLBACK (on_board_window_changed_cb), self);
  zz_drop_down_follow_keyboard (GTK_WIDGET (self->category_drop));
  zz_drop_down_follow_keyboard (GTK_WIDGET (self->window_drop));
  zz_drop_down_follow_keyboard (GTK_WIDGET (self->board_window_drop));
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  update_actions (self);
}

void
zz_desk_view_setup (ZzDeskView    *self,
                    ZzApplication *app)
{
  g_return_if_fail (ZZ_IS_DESK_VIEW (self));
  g_return_if_fail (ZZ_IS_APPLICATION (app));

  g_set_object (&self->store, zz_application_get_store (app));
  g_set_object (&self->settings, zz_application_get_settings (app));
  self->can_register = zz_store_can (self->store, ZZ_PERM_REGISTER_VISIT);
  self->can_serve = zz_store_can (self->store, ZZ_PERM_SERVE_QUEUE);

  load_windows (self);
  load_categories (self);
  clear_form (self);
  gtk_widget_set_sensitive (self->form_grid, self->can_register);
  gtk_widget_set_sensitive (self->register_button, self->can_register);
  if (!self->can_register)
    {
      /* Translators: %s is the role, e.g. Supervisor */
      g_autofree char *text = g_strdup_printf (_("As %s you see the queue but do not register visitors."),
                                               zz_role_display_name (zz_store_get_role (self->store)));
      gtk_label_set_text (self->read_only_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), TRUE);
    }

  g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed_cb), self);
  self->tick_source = g_timeout_add_seconds (30, tick_cb, self);
  refresh_board (self);
  refresh_summary (self);
}
