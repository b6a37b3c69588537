/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-household-dialogs"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-error.h"
#include "zz-household-dialogs.h"
#include "zz-window.h"

/* ---- a modal form: header bar with Cancel and the primary button, an inline error ---- */

typedef struct _Form Form;
typedef gboolean (*FormSubmit) (Form *form, GError **error);

struct _Form {
  GtkWindow *window;
  GtkWidget *box;
  GtkLabel *error_label;
  GtkScrolledWindow *scroller;
  GtkWidget *error_anchor;    /* the field an error of submit is about, set by submit */
  GtkWidget *primary;
  ZzStore *store;
  char *household_id;
  FormSubmit submit;
  const char *done_message;   /* toast on the main window after a successful submit */
  gpointer state;
  GDestroyNotify state_free;
};

static void
form_free (Form *f)
{
  if (f->state_free)
    f->state_free (f->state);
  g_object_unref (f->store);
  g_free (f->household_id);
  g_free (f);
}

/* Scrolls the dialog so that @widget is in sight, once it has been laid out (the frame after it
 * was shown). */
static gboolean
scroll_into_view_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkScrolledWindow *sw = data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (sw);
  graphene_rect_t b;
  double value, page;
  int frames = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "scroll-frames"));

  if (frames < 1)
    {
      g_object_set_data (G_OBJECT (widget), "scroll-frames", GINT_TO_POINTER (frames + 1));
      return G_SOURCE_CONTINUE;
    }
  g_object_set_data (G_OBJECT (widget), "scroll-frames", NULL);
  /* In the scrolled window's coordinates: 0 is the top of what is in sight. */
  if (!gtk_widget_compute_bounds (widget, GTK_WIDGET (sw), &b))
    return G_SOURCE_REMOVE;
  value = gtk_adjustment_get_value (adj);
  page = gtk_widget_get_height (GTK_WIDGET (sw));
  if (b.origin.y + b.size.height + 12 > page)
    value += b.origin.y + b.size.height + 12 - page;
  else if (b.origin.y < 12)
    value = MAX (0, value + b.origin.y - 12);
  gtk_adjustment_set_value (adj, value);
  return G_SOURCE_REMOVE;
}

/* The error goes right under the part of the form it is about (@anchor, or the top when NULL),
 * the field takes the focus and the dialog scrolls so that both are in sight. */
static void
form_show_error_at (Form *f, GtkWidget *anchor, const char *message)
{
  GtkWidget *label = GTK_WIDGET (f->error_label);
  GtkWidget *block = anchor;

  gtk_label_set_text (f->error_label, message ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  if (!message)
    return;
  while (block && gtk_widget_get_parent (block) != f->box)
    block = gtk_widget_get_parent (block);
  if (block == label)
    block = NULL;
  gtk_box_reorder_child_after (GTK_BOX (f->box), label, block);
  if (anchor && gtk_widget_get_focusable (anchor))
    gtk_widget_grab_focus (anchor);
  gtk_widget_add_tick_callback (label, scroll_into_view_tick_cb, f->scroller, NULL);
}

static void
form_show_error (Form *f, const char *message)
{
  form_show_error_at (f, NULL, message);
}

static void
on_primary_clicked_cb (GtkButton *button, Form *f)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (f->window);

  /* FALSE without an error keeps the dialog open for a next step (the import's dry run). */
  f->error_anchor = NULL;
  if (!f->submit (f, &error))
    {
      if (error)
        form_show_error_at (f, f->error_anchor, error->message);
      return;
    }
  if (f->done_message && ZZ_IS_WINDOW (parent))
    zz_window_toast (ZZ_WINDOW (parent), f->done_message, NULL, NULL, NULL);
  gtk_window_destroy (f->window);
}

static Form *
form_new (GtkWindow *parent, ZzStore *store, const char *household_id, const char *title,
          const char *primary_label, int width, int height, FormSubmit submit)
{
  Form *f = g_new0 (Form, 1);
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkShortcutController *keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  f->window = GTK_WINDOW (adw_window_new ());
  f->store = g_object_ref (store);
  f->household_id = g_strdup (household_id);
  f->submit = submit;
  gtk_window_set_title (f->window, title);
  gtk_window_set_modal (f->window, TRUE);
  gtk_window_set_transient_for (f->window, parent);
  gtk_window_set_destroy_with_parent (f->window, TRUE);
  gtk_window_set_default_size (f->window, width, height);
  g_object_set_data_full (G_OBJECT (f->window), "form", f, (GDestroyNotify) form_free);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_widget_set_name (cancel, "cancel_button");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), f->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  f->primary = gtk_button_new_with_mnemonic (primary_label);
  gtk_widget_set_name (f->primary, "primary_button");
  gtk_widget_add_css_class (f->primary, "suggested-action");
  g_signal_connect (f->primary, "clicked", G_CALLBACK (on_primary_clicked_cb), f);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), f->primary);
  gtk_window_set_default_widget (f->window, f->primary);
  gtk_box_append (GTK_BOX (outer), header);

  f->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  f->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (f->error_label), "error_label");
  gtk_label_set_wrap (f->error_label, TRUE);
  gtk_label_set_xalign (f->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (f->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (f->error_label), FALSE);
  gtk_box_append (GTK_BOX (f->box), GTK_WIDGET (f->error_label));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  gtk_widget_set_margin_top (clamp, 18);
  gtk_widget_set_margin_bottom (clamp, 18);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), f->box);
  f->scroller = GTK_SCROLLED_WINDOW (scroller);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (outer), scroller);
  adw_window_set_content (ADW_WINDOW (f->window), outer);

  gtk_shortcut_controller_add_shortcut (keys, gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                                gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (f->window), GTK_EVENT_CONTROLLER (keys));
  return f;
}

static GtkWidget *
form_group (Form *f, const char *title, const char *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  gtk_box_append (GTK_BOX (f->box), g);
  return g;
}

static GtkWidget *
entry_row (GtkWidget *group, const char *title, const char *name, const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_widget_set_name (row, name);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static GtkWidget *
switch_row (GtkWidget *group, const char *title, const char *subtitle, const char *name, gboolean active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_name (sw, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return sw;
}

GtkWidget *
zz_grade_badge_new (ZzGrade grade)
{
  /* Shape and word as well as colour: red/yellow/green alone fails colour-blind readers. */
  static const char *shapes[] = { "○", "●", "◆", "▲" };
  g_autofree char *text = g_strdup_printf ("%s %s", shapes[grade <= ZZ_GRADE_HIGH ? grade : 0], zz_grade_name (grade));
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "badge");
  gtk_widget_add_css_class (label, zz_grade_css_class (grade));
  return label;
}

/* ---- officials: "name [phone], name [phone]" ---- */

static gboolean
looks_like_phone (const char *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s) && *s != '-' && *s != '+')
      return FALSE;
  return TRUE;
}

typedef struct {
  GPtrArray *strings;
  GArray *officials;
} Officials;

static void
officials_clear (Officials *o)
{
  g_clear_pointer (&o->strings, g_ptr_array_unref);
  g_clear_pointer (&o->officials, g_array_unref);
}

static void
parse_officials (const char *user_id, const char *text, Officials *out)
{
  g_autofree char *norm = g_strdup (text ? text : "");
  g_auto(GStrv) items = NULL;

  out->strings = g_ptr_array_new_with_free_func (g_free);
  out->officials = g_array_new (FALSE, TRUE, sizeof (ZzOfficialInput));
  for (char *p = norm; *p; p++)
    if (*p == ';')
      *p = ',';
  {
    /* Chinese list separators too. */
    GString *s = g_string_new (norm);
    g_string_replace (s, "，", ",", 0);
    g_string_replace (s, "、", ",", 0);
    g_string_replace (s, "；", ",", 0);
    items = g_strsplit (s->str, ",", -1);
    g_string_free (s, TRUE);
  }
  if (user_id)
    {
      ZzOfficialInput o = { user_id, NULL, NULL };
      g_array_append_val (out->officials, o);
    }
  for (guint i = 0; items[i]; i++)
    {
      char *item = g_strstrip (items[i]);
      char *space = strrchr (item, ' ');
      ZzOfficialInput o = { NULL, NULL, NULL };

      if (*item == '\0')
        continue;
      if (space && looks_like_phone (space + 1))
        {
          *space = '\0';
          o.phone = g_strdup (space + 1);
          g_ptr_array_add (out->strings, (char *) o.phone);
        }
      o.name = g_strdup (g_strstrip (item));
      g_ptr_array_add (out->strings, (char *) o.name);
      g_array_append_val (out->officials, o);
    }
}

/* ---- register / edit ---- */

typedef struct {
  GtkWidget *village_row;
  GListModel *villages;
  GtkWidget *address_row, *grid_row, *notes_row;
  GtkWidget *members_box;
  GPtrArray *members;        /* GtkWidget*[5] per member: name, relation, id, phone, notes */
  GtkWidget *add_member_button;
  GtkWidget *official_user_row;
  GListModel *users;
  GtkWidget *officials_row;
  ZzHouseholdSavedFunc saved;
  gpointer saved_data;
} EditState;

static void
edit_state_free (EditState *s)
{
  g_clear_object (&s->villages);
  g_clear_object (&s->users);
  g_ptr_array_unref (s->members);
  g_free (s);
}

static void
add_member_block (Form *f)
{
  EditState *s = f->state;
  guint i = s->members->len;
  GtkWidget *g = adw_preferences_group_new ();
  GtkWidget **rows = g_new0 (GtkWidget *, 5);
  g_autofree char *title = i == 0 ? g_strdup (_("Head of the household")) : g_strdup_printf (_("Member %u"), i + 1);
  static const char *names[] = { "name", "relation", "id", "phone", "notes" };
  const char *titles[] = { _("_Name"), _("Re_lation to the head"), _("_ID number (optional)"),
                           _("_Phone (optional)"), _("Circumstances (optional)") };

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  for (guint k = 0; k < 5; k++)
    {
      g_autofree char *name = g_strdup_printf ("member%u_%s", i, names[k]);
      rows[k] = entry_row (g, titles[k], name, i == 0 && k == 1 ? _("Head") : NULL);
    }
  if (i == 0)
    gtk_widget_set_sensitive (rows[1], FALSE);
  g_ptr_array_add (s->members, rows);
  gtk_box_append (GTK_BOX (s->members_box), g);
  gtk_widget_set_sensitive (s->add_member_button, s->members->len < ZZ_HOUSEHOLD_MAX_MEMBERS);
}

static void
on_add_member_clicked_cb (GtkButton *button, Form *f)
{
  EditState *s = f->state;

  add_member_block (f);
  gtk_widget_grab_focus (((GtkWidget **) s->members->pdata[s->members->len - 1])[0]);
}

static gboolean
edit_submit (Form *f, GError **error)
{
  EditState *s = f->state;
  guint ui = adw_combo_row_get_selected (ADW_COMBO_ROW (s->official_user_row));
  g_autoptr(ZzRow) user = ui > 0 && ui != GTK_INVALID_LIST_POSITION ? g_list_model_get_item (s->users, ui - 1) : NULL;
  Officials o = { 0 };
  gboolean ok;

  parse_officials (user ? zz_row_get_id (user) : NULL, row_text (s->officials_row), &o);
  if (f->household_id)
    ok = zz_store_update_household (f->store, f->household_id, row_text (s->address_row), row_text (s->grid_row),
                                    row_text (s->notes_row), (ZzOfficialInput *) o.officials->data,
                                    o.officials->len, error);
  else
    {
      guint vi = adw_combo_row_get_selected (ADW_COMBO_ROW (s->village_row));
      g_autoptr(ZzRow) village = vi != GTK_INVALID_LIST_POSITION ? g_list_model_get_item (s->villages, vi) : NULL;
      g_autoptr(GArray) members = g_array_new (FALSE, TRUE, sizeof (ZzMemberInput));
      g_autofree char *id = NULL;

      for (guint i = 0; i < s->members->len; i++)
        {
          GtkWidget **r = s->members->pdata[i];
          ZzMemberInput m = { row_text (r[0]), i == 0 ? "户主" : row_text (r[1]), row_text (r[2]),
                              row_text (r[3]), row_text (r[4]) };
          /* An empty extra block is ignored rather than refused. */
          if (i > 0 && !*m.name && !*m.relation && !*m.id_number && !*m.phone && !*m.notes)
            continue;
          g_array_append_val (members, m);
        }
      {
        ZzHouseholdInput in = {
          village ? zz_row_get (village, "code") : NULL, row_text (s->address_row), row_text (s->grid_row),
          row_text (s->notes_row), (ZzMemberInput *) members->data, members->len,
          (ZzOfficialInput *) o.officials->data, o.officials->len,
        };
        ok = zz_store_register_household (f->store, &in, &id, error);
      }
      if (ok)
        {
          g_free (f->household_id);
          f->household_id = g_steal_pointer (&id);
        }
    }
  officials_clear (&o);
  if (ok && s->saved)
    s->saved (f->household_id, s->saved_data);
  return ok;
}

GtkWindow *
zz_household_edit_dialog (GtkWindow *parent, ZzStore *store, const char *household_id,
                          ZzHouseholdSavedFunc saved, gpointer user_data)
{
  Form *f = form_new (parent, store, household_id, household_id ? _("Edit Household") : _("Register Household"),
                      household_id ? _("_Save") : _("_Register"), 560, 720, edit_submit);
  EditState *s = g_new0 (EditState, 1);
  g_autoptr(ZzRow) h = household_id ? zz_store_get_household (store, household_id) : NULL;
  g_autoptr(GtkStringList) vnames = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) unames = gtk_string_list_new (NULL);
  g_autoptr(GString) named = g_string_new (NULL);
  GtkWidget *g;
  guint user_sel = 0;

  f->state = s;
  f->state_free = (GDestroyNotify) edit_state_free;
  f->done_message = household_id ? _("Household saved.") : _("Household registered.");
  s->members = g_ptr_array_new_with_free_func (g_free);
  s->saved = saved;
  s->saved_data = user_data;
  gtk_widget_set_name (GTK_WIDGET (f->window), "household_edit_dialog");

  g = form_group (f, _("Household"), NULL);
  s->villages = zz_store_household_villages (store);
  for (guint i = 0; i < g_list_model_get_n_items (s->villages); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (s->villages, i);
      g_autofree char *label = g_strdup_printf ("%s（%s）", zz_row_get (v, "name"), zz_row_get (v, "township"));
      gtk_string_list_append (vnames, label);
    }
  s->village_row = adw_combo_row_new ();
  gtk_widget_set_name (s->village_row, "village_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (s->village_row), _("_Village"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (s->village_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (s->village_row), G_LIST_MODEL (vnames));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), s->village_row);
  if (h)
    {
      for (guint i = 0; i < g_list_model_get_n_items (s->villages); i++)
        {
          g_autoptr(ZzRow) v = g_list_model_get_item (s->villages, i);
          if (g_strcmp0 (zz_row_get (v, "code"), zz_row_get (h, "home")) == 0)
            adw_combo_row_set_selected (ADW_COMBO_ROW (s->village_row), i);
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (s->village_row), _("A household’s village does not change."));
      gtk_widget_set_sensitive (s->village_row, FALSE);
    }
  s->address_row = entry_row (g, _("_Address"), "address_row", h ? zz_row_get (h, "address") : NULL);
  s->grid_row = entry_row (g, _("_Grid worker"), "grid_row", h ? zz_row_get (h, "grid_worker") : NULL);
  s->notes_row = entry_row (g, _("Notes on the family (optional)"), "notes_row", h ? zz_row_get (h, "notes") : NULL);

  if (!h)
    {
      GtkWidget *mg = form_group (f, _("Members"), _("The first member is the head of the household. ID numbers and phones are checked."));
      s->members_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (mg), s->members_box);
      s->add_member_button = gtk_button_new_with_mnemonic (_("Add Another _Member"));
      gtk_widget_set_name (s->add_member_button, "add_member_button");
      gtk_widget_set_halign (s->add_member_button, GTK_ALIGN_START);
      gtk_widget_set_margin_top (s->add_member_button, 12);
      g_signal_connect (s->add_member_button, "clicked", G_CALLBACK (on_add_member_clicked_cb), f);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (mg), s->add_member_button);
      add_member_block (f);
    }

  g = form_group (f, _("Responsible Officials (包保责任人)"), _("A user of this centre, and other people by name with an optional phone, separated by commas: “田村长 13812345678, 彭书记”."));
  s->users = zz_store_household_users (store);
  gtk_string_list_append (unames, _("None"));
  for (guint i = 0; i < g_list_model_get_n_items (s->users); i++)
    {
      g_autoptr(ZzRow) u = g_list_model_get_item (s->users, i);
      g_autofree char *label = g_strdup_printf ("%s（%s）", zz_row_get (u, "name"),
                                               zz_role_display_name (zz_role_from_string (zz_row_get (u, "role"))));
      gtk_string_list_append (unames, label);
    }
  if (h)
    {
      g_autoptr(GListModel) off = zz_store_household_officials (store, household_id);
      for (guint i = 0; i < g_list_model_get_n_items (off); i++)
        {
          g_autoptr(ZzRow) o = g_list_model_get_item (off, i);
          gboolean matched = FALSE;
          if (zz_row_get (o, "user_id") && user_sel == 0)
            for (guint k = 0; k < g_list_model_get_n_items (s->users); k++)
              {
                g_autoptr(ZzRow) u = g_list_model_get_item (s->users, k);
                if (g_strcmp0 (zz_row_get_id (u), zz_row_get (o, "user_id")) == 0)
                  {
                    user_sel = k + 1;
                    matched = TRUE;
                  }
              }
          if (matched)
            continue;
          if (named->len)
            g_string_append (named, ", ");
          g_string_append (named, zz_row_get (o, "name"));
          if (zz_row_get (o, "phone"))
            g_string_append_printf (named, " %s", zz_row_get (o, "phone"));
        }
    }
  else
    {
      /* The person registering is usually one of them. */
      for (guint k = 0; k < g_list_model_get_n_items (s->users); k++)
        {
          g_autoptr(ZzRow) u = g_list_model_get_item (s->users, k);
          if (g_strcmp0 (zz_row_get_id (u), zz_store_get_user_id (store)) == 0)
            user_sel = k + 1;
        }
    }
  s->official_user_row = adw_combo_row_new ();
  gtk_widget_set_name (s->official_user_row, "official_user_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (s->official_user_row), _("_User"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (s->official_user_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (s->official_user_row), G_LIST_MODEL (unames));
  adw_combo_row_set_selected (ADW_COMBO_ROW (s->official_user_row), user_sel);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), s->official_user_row);
  s->officials_row = entry_row (g, _("_Others"), "officials_row", named->str);

  gtk_window_present (f->window);
  gtk_widget_grab_focus (h ? s->address_row : s->village_row);
  return f->window;
}

/* ---- add a member ---- */

typedef struct {
  GtkWidget *rows[5];
} MemberState;

static gboolean
member_submit (Form *f, GError **error)
{
  MemberState *s = f->state;
  ZzMemberInput m = { row_text (s->rows[0]), row_text (s->rows[1]), row_text (s->rows[2]), row_text (s->rows[3]),
                      row_text (s->rows[4]) };

  return zz_store_add_member (f->store, f->household_id, &m, NULL, error);
}

GtkWindow *
zz_household_member_dialog (GtkWindow *parent, ZzStore *store, const char *household_id)
{
  Form *f = form_new (parent, store, household_id, _("Add Member"), _("_Add"), 480, 480, member_submit);
  MemberState *s = g_new0 (MemberState, 1);
  GtkWidget *g = form_group (f, _("Member"), NULL);

  f->state = s;
  f->state_free = g_free;
  f->done_message = _("Member added.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "member_dialog");
  s->rows[0] = entry_row (g, _("_Name"), "member_name", NULL);
  s->rows[1] = entry_row (g, _("Re_lation to the head"), "member_relation", NULL);
  s->rows[2] = entry_row (g, _("_ID number (optional)"), "member_id", NULL);
  s->rows[3] = entry_row (g, _("_Phone (optional)"), "member_phone", NULL);
  s->rows[4] = entry_row (g, _("Circumstances (optional)"), "member_notes", NULL);
  gtk_window_present (f->window);
  gtk_widget_grab_focus (s->rows[0]);
  return f->window;
}

/* ---- assess ---- */

typedef struct {
  ZzRiskScheme scheme;
  GtkWidget *checks[ZZ_RISK_N_FACTORS];
  GtkWidget *other_row, *note_row;
  GtkLabel *score_label;
  GtkWidget *badge_box;
  GtkWidget *propose_switch;
  GtkWidget *grade_row;
  GtkWidget *reason_row;
  gboolean can_propose;
} AssessState;

static guint
assess_factors (AssessState *s)
{
  guint bits = 0;

  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (s->checks[i])))
      bits |= 1u << i;
  return bits;
}

static void
assess_update (AssessState *s)
{
  guint score = zz_risk_score (&s->scheme, assess_factors (s));
  ZzGrade g = zz_risk_grade_for_score (&s->scheme, score);
  g_autofree char *text = g_strdup_printf (_("Score %u: suggests %s"), score, zz_grade_name (g));
  GtkWidget *child;

  gtk_label_set_text (s->score_label, text);
  while ((child = gtk_widget_get_first_child (s->badge_box)))
    gtk_box_remove (GTK_BOX (s->badge_box), child);
  gtk_box_append (GTK_BOX (s->badge_box), zz_grade_badge_new (g));
  if (s->grade_row)
    adw_combo_row_set_selected (ADW_COMBO_ROW (s->grade_row), ZZ_GRADE_HIGH - g);
  gtk_widget_set_visible (s->other_row, (assess_factors (s) & (1u << ZZ_RISK_OTHER)) != 0);
}

static void
on_factor_toggled_cb (GtkCheckButton *check, AssessState *s)
{
  assess_update (s);
}

static gboolean
assess_submit (Form *f, GError **error)
{
  AssessState *s = f->state;
  guint factors = assess_factors (s);
  gboolean propose = s->can_propose && gtk_switch_get_active (GTK_SWITCH (s->propose_switch));
  ZzGrade suggested = zz_risk_grade_for_score (&s->scheme, zz_risk_score (&s->scheme, factors));
  ZzGrade g = propose ? ZZ_GRADE_HIGH - (int) adw_combo_row_get_selected (ADW_COMBO_ROW (s->grade_row)) : ZZ_GRADE_NONE;
  g_autofree char *reason = propose ? g_strstrip (g_strdup (row_text (s->reason_row))) : NULL;
  g_autofree char *other = g_strstrip (g_strdup (row_text (s->other_row)));

  /* The form is checked whole before anything is written; the store checks again and writes
   * the assessment and the proposal together or not at all. */
  if ((factors & (1u << ZZ_RISK_OTHER)) && !*other)
    {
      f->error_anchor = s->other_row;
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Describe the other risk factor."));
      return FALSE;
    }
  if (propose && g != suggested && !*reason)
    {
      f->error_anchor = s->reason_row;
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                           _("Give the reason for a grade other than the one the assessment suggests."));
      return FALSE;
    }
  f->error_anchor = propose ? s->reason_row : s->note_row;
  if (!zz_store_assess_and_propose (f->store, f->household_id, factors, row_text (s->other_row),
                                    row_text (s->note_row), propose, g, reason, NULL, error))
    return FALSE;
  f->done_message = propose ? _("Assessment saved and grade proposed.") : _("Assessment saved.");
  return TRUE;
}

GtkWindow *
zz_household_assess_dialog (GtkWindow *parent, ZzStore *store, const char *household_id)
{
  Form *f = form_new (parent, store, household_id, _("Assess Household"), _("_Save Assessment"), 520, 760, assess_submit);
  AssessState *s = g_new0 (AssessState, 1);
  GtkWidget *g;
  GtkWidget *score_row = adw_action_row_new ();
  g_autoptr(ZzRow) h = zz_store_get_household (store, household_id);
  gboolean grade_round_open;

  f->state = s;
  f->state_free = g_free;
  f->done_message = _("Assessment saved.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "assess_dialog");
  zz_store_get_risk_scheme (store, &s->scheme);
  /* The score first, so that it stays in sight while factors are ticked. */
  g = form_group (f, _("Score and Suggested Grade"), NULL);
  s->score_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (s->score_label), "score_label");
  gtk_widget_add_css_class (GTK_WIDGET (s->score_label), "heading");
  s->badge_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (score_row), _("Score"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (score_row), GTK_WIDGET (s->score_label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (score_row), s->badge_box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), score_row);
  g = form_group (f, _("Risk Factors Present"), _("Each factor adds its weight to the score; the score suggests the grade."));
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *weight = g_strdup_printf (_("+%u"), s->scheme.weights[i]);
      g_autofree char *name = g_strdup_printf ("factor_%s", zz_risk_factor_key (i));
      GtkWidget *wl = gtk_label_new (weight);

      s->checks[i] = gtk_check_button_new ();
      gtk_widget_set_name (s->checks[i], name);
      gtk_widget_set_valign (s->checks[i], GTK_ALIGN_CENTER);
      g_signal_connect (s->checks[i], "toggled", G_CALLBACK (on_factor_toggled_cb), s);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_risk_factor_name (i));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), s->checks[i]);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), s->checks[i]);
      gtk_widget_add_css_class (wl, "dim-label");
      gtk_widget_add_css_class (wl, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), wl);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
    }
  s->other_row = entry_row (g, _("Describe the _other factor"), "other_row", NULL);
  s->note_row = entry_row (g, _("_Note (optional)"), "note_row", NULL);


  /* Start from what the last assessment found: a re-assessment changes a factor or two. */
  {
    g_autoptr(GListModel) past = zz_store_household_assessments (store, household_id);
    if (g_list_model_get_n_items (past) > 0)
      {
        g_autoptr(ZzRow) last = g_list_model_get_item (past, 0);
        guint bits = 0;
        zz_risk_factors_parse (zz_row_get (last, "factors"), &bits);
        for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
          gtk_check_button_set_active (GTK_CHECK_BUTTON (s->checks[i]), (bits & (1u << i)) != 0);
        if (zz_row_get (last, "other_text"))
          gtk_editable_set_text (GTK_EDITABLE (s->other_row), zz_row_get (last, "other_text"));
      }
  }

  /* A grading round still waiting rests on the old assessment: saving withdraws it. */
  grade_round_open = h && zz_row_get_int (h, "pending") != 0 && g_strcmp0 (zz_row_get (h, "pending_kind"), "delist") != 0;
  s->can_propose = zz_store_can (store, ZZ_PERM_PROPOSE_GRADE) && h
                   && (zz_row_get_int (h, "pending") == 0 || grade_round_open);
  if (s->can_propose)
    {
      g_autoptr(GtkStringList) grades = gtk_string_list_new (NULL);
      GtkWidget *pg = form_group (f, _("Group’s Proposal (小组初定)"),
                                  grade_round_open
                                  ? _("Saving withdraws the grading waiting for sign-off, which rests on the last assessment; propose the grade again here.")
                                  : _("The grade takes effect when the village has agreed and the township approved it."));
      for (int k = ZZ_GRADE_HIGH; k >= ZZ_GRADE_LOW; k--)
        gtk_string_list_append (grades, zz_grade_name (k));
      s->propose_switch = switch_row (pg, _("_Propose a grade now"), NULL, "propose_switch", TRUE);
      s->grade_row = adw_combo_row_new ();
      gtk_widget_set_name (s->grade_row, "grade_row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (s->grade_row), _("_Grade"));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (s->grade_row), TRUE);
      adw_combo_row_set_model (ADW_COMBO_ROW (s->grade_row), G_LIST_MODEL (grades));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (pg), s->grade_row);
      s->reason_row = entry_row (pg, _("_Reason, if not the suggested grade"), "reason_row", NULL);
      g_object_bind_property (s->propose_switch, "active", s->grade_row, "sensitive", G_BINDING_SYNC_CREATE);
      g_object_bind_property (s->propose_switch, "active", s->reason_row, "sensitive", G_BINDING_SYNC_CREATE);
    }
  assess_update (s);
  gtk_window_present (f->window);
  gtk_widget_grab_focus (s->checks[0]);
  return f->window;
}

/* ---- sign-off ---- */

typedef struct {
  ZzSignoffKind kind;
  ZzSignoffStep step;
  GtkWidget *note_row;
} SignoffState;

static gboolean
signoff_decide (Form *f, gboolean agree, GError **error)
{
  SignoffState *s = f->state;

  if (s->kind == ZZ_SIGNOFF_DELIST)
    return zz_store_decide_delist (f->store, f->household_id, agree, row_text (s->note_row), error);
  return zz_store_sign_grade (f->store, f->household_id, s->step, agree, row_text (s->note_row), error);
}

static gboolean
signoff_submit (Form *f, GError **error)
{
  SignoffState *s = f->state;

  f->error_anchor = s->note_row;
  return signoff_decide (f, TRUE, error);
}

static void
on_send_back_clicked_cb (GtkButton *button, Form *f)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (f->window);

  if (!signoff_decide (f, FALSE, &error))
    {
      SignoffState *s = f->state;
      form_show_error_at (f, s->note_row, error->message);
      return;
    }
  if (ZZ_IS_WINDOW (parent))
    zz_window_toast (ZZ_WINDOW (parent), _("Sent back."), NULL, NULL, NULL);
  gtk_window_destroy (f->window);
}

GtkWindow *
zz_household_signoff_dialog (GtkWindow *parent, ZzStore *store, const char *household_id)
{
  g_autoptr(ZzRow) h = zz_store_get_household (store, household_id);
  SignoffState *s = g_new0 (SignoffState, 1);
  Form *f;
  GtkWidget *g, *row, *back;
  g_autofree char *title = NULL;

  s->kind = h && g_strcmp0 (zz_row_get (h, "pending_kind"), "delist") == 0 ? ZZ_SIGNOFF_DELIST : ZZ_SIGNOFF_GRADE;
  s->step = h ? zz_row_get_int (h, "pending") : ZZ_SIGNOFF_NONE;
  title = g_strdup (zz_signoff_step_name (s->kind, s->step));
  f = form_new (parent, store, household_id, title,
                s->step == ZZ_SIGNOFF_APPROVED ? _("_Approve") : _("_Agree"), 480, 460, signoff_submit);
  f->state = s;
  f->state_free = g_free;
  f->done_message = s->step == ZZ_SIGNOFF_APPROVED ? _("Approved.") : _("Agreed.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "signoff_dialog");

  g = form_group (f, h ? zz_row_get (h, "head_name") : "", h ? zz_row_get (h, "address") : NULL);
  row = adw_action_row_new ();
  if (s->kind == ZZ_SIGNOFF_GRADE)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Proposed grade"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), zz_grade_badge_new (zz_grade_from_key (h ? zz_row_get (h, "pending_grade") : NULL)));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reason for de-listing"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), h && zz_row_get (h, "pending_reason") ? zz_row_get (h, "pending_reason") : "");
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
  if (s->kind == ZZ_SIGNOFF_GRADE && h && zz_row_get (h, "pending_reason"))
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reason given by the group"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), zz_row_get (h, "pending_reason"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
    }
  /* Only what this user can complete is offered; the rest is said in words. */
  {
    g_autofree char *who = NULL;
    g_autoptr(GString) desc = g_string_new (NULL);
    guint options = zz_store_household_signoff_options (store, household_id, &who);

    if (who)
      g_string_append (desc, who);
    if (!(options & ZZ_SIGNOFF_CAN_SIGN))
      {
        gtk_widget_set_visible (f->primary, FALSE);
        g_string_append_printf (desc, "%s%s", desc->len ? " " : "", _("You may only send it back, saying why in the note."));
      }
    else
      {
        ZzSignoffStep after = zz_signoff_next (s->kind, s->step);
        /* The four-eyes rule, before it bites: whoever signs this step cannot sign the next. */
        if (after != ZZ_SIGNOFF_NONE && zz_store_can (store, zz_signoff_permission (s->kind, after)))
          {
            g_autofree char *t = g_strdup_printf (_("If you sign “%s”, another person must sign “%s”."),
                                                  zz_signoff_step_name (s->kind, s->step),
                                                  zz_signoff_step_name (s->kind, after));
            g_string_append_printf (desc, "%s%s", desc->len ? " " : "", t);
          }
        g_string_append_printf (desc, "%s%s", desc->len ? " " : "", _("To send it back, say why in the note."));
      }
    g = form_group (f, _("Decision"), desc->str);
    gtk_widget_set_name (g, "decision_group");
  }
  s->note_row = entry_row (g, _("_Note"), "note_row", NULL);
  back = gtk_button_new_with_mnemonic (_("_Send Back"));
  gtk_widget_set_name (back, "send_back_button");
  gtk_widget_add_css_class (back, "destructive-action");
  gtk_widget_set_halign (back, GTK_ALIGN_START);
  g_signal_connect (back, "clicked", G_CALLBACK (on_send_back_clicked_cb), f);
  /* The button sits right under the note it needs, the error under both. */
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), back);
  gtk_widget_set_margin_top (back, 12);
  gtk_window_present (f->window);
  gtk_widget_grab_focus (s->note_row);
  return f->window;
}

/* ---- visit ---- */

typedef struct {
  GtkWidget *day_row, *visitors_row, *found_row, *measures_row, *reassess_switch;
} VisitState;

static gboolean
visit_submit (Form *f, GError **error)
{
  VisitState *s = f->state;
  ZzHouseholdVisitInput in = { row_text (s->day_row), row_text (s->visitors_row), row_text (s->found_row),
                               row_text (s->measures_row), gtk_switch_get_active (GTK_SWITCH (s->reassess_switch)) };

  return zz_store_log_household_visit (f->store, f->household_id, &in, NULL, error);
}

GtkWindow *
zz_household_visit_dialog (GtkWindow *parent, ZzStore *store, const char *household_id)
{
  Form *f = form_new (parent, store, household_id, _("Log Visit"), _("_Log Visit"), 480, 520, visit_submit);
  VisitState *s = g_new0 (VisitState, 1);
  g_autofree char *today = zz_store_day_of (zz_store_now (store));
  GtkWidget *g = form_group (f, _("Visit"), NULL);

  f->state = s;
  f->state_free = g_free;
  f->done_message = _("Visit logged.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "visit_dialog");
  s->day_row = entry_row (g, _("_Day (YYYY-MM-DD)"), "day_row", today);
  s->visitors_row = entry_row (g, _("_Visitors"), "visitors_row", zz_store_get_user_name (store));
  s->found_row = entry_row (g, _("What was _found"), "found_row", NULL);
  s->measures_row = entry_row (g, _("_Measures taken (optional)"), "measures_row", NULL);
  s->reassess_switch = switch_row (g, _("A new _assessment is needed"), NULL, "reassess_switch", FALSE);
  gtk_window_present (f->window);
  gtk_widget_grab_focus (s->found_row);
  return f->window;
}

/* ---- de-list ---- */

static gboolean
delist_submit (Form *f, GError **error)
{
  return zz_store_request_delist (f->store, f->household_id, row_text (f->state), error);
}

GtkWindow *
zz_household_delist_dialog (GtkWindow *parent, ZzStore *store, const char *household_id)
{
  Form *f = form_new (parent, store, household_id, _("De-list Household"), _("_Ask to De-list"), 480, 360, delist_submit);
  GtkWidget *g = form_group (f, _("De-listing (销号)"),
                             _("The household leaves the list when the township approves. Its history is kept."));

  f->done_message = _("De-listing asked for; it waits for the township’s approval.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "delist_dialog");
  gtk_widget_add_css_class (f->primary, "destructive-action");
  gtk_widget_remove_css_class (f->primary, "suggested-action");
  f->state = entry_row (g, _("_Reason"), "reason_row", NULL);
  gtk_window_present (f->window);
  gtk_widget_grab_focus (f->state);
  return f->window;
}

/* ---- the weight scheme and cadences ---- */

typedef struct {
  GtkWidget *weights[ZZ_RISK_N_FACTORS];
  GtkWidget *medium, *high;
  GtkWidget *count[ZZ_GRADE_HIGH + 1];
  GtkWidget *unit[ZZ_GRADE_HIGH + 1];
} SchemeState;

static GtkWidget *
spin_row (GtkWidget *group, const char *title, const char *subtitle, const char *name, double min, double max,
          double value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return spin;
}

static gboolean
scheme_submit (Form *f, GError **error)
{
  SchemeState *s = f->state;
  ZzRiskScheme scheme;

  zz_risk_scheme_init_default (&scheme);
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    scheme.weights[i] = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (s->weights[i]));
  scheme.medium_min = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (s->medium));
  scheme.high_min = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (s->high));
  for (guint g = ZZ_GRADE_LOW; g <= ZZ_GRADE_HIGH; g++)
    {
      scheme.cadence[g].count = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (s->count[g]));
      scheme.cadence[g].unit = gtk_drop_down_get_selected (GTK_DROP_DOWN (s->unit[g]));
    }
  return zz_store_set_risk_scheme (f->store, &scheme, error);
}

GtkWindow *
zz_risk_scheme_dialog (GtkWindow *parent, ZzStore *store)
{
  Form *f = form_new (parent, store, NULL, _("Risk Weights and Visit Cadences"), _("_Save"), 520, 760, scheme_submit);
  SchemeState *s = g_new0 (SchemeState, 1);
  ZzRiskScheme scheme;
  GtkWidget *g;

  f->state = s;
  f->state_free = g_free;
  f->done_message = _("Risk weights and cadences saved.");
  gtk_widget_set_name (GTK_WIDGET (f->window), "scheme_dialog");
  zz_store_get_risk_scheme (store, &scheme);
  g = form_group (f, _("Weights"), _("County-wide reference data: it reaches every centre with the next exchange. New assessments use it; past ones keep the weights they were scored with."));
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    {
      g_autofree char *name = g_strdup_printf ("weight_%s", zz_risk_factor_key (i));
      s->weights[i] = spin_row (g, zz_risk_factor_name (i), NULL, name, 0, ZZ_RISK_MAX_WEIGHT, scheme.weights[i]);
    }
  g = form_group (f, _("Grade Boundaries"), NULL);
  s->medium = spin_row (g, _("Lowest score of a medium grade"), NULL, "medium_min", 1, 1100, scheme.medium_min);
  s->high = spin_row (g, _("Lowest score of a high grade"), NULL, "high_min", 2, 1100, scheme.high_min);
  g = form_group (f, _("Visit Cadence"), _("Months keep the day of the month, or the month’s last day when it is shorter."));
  for (int k = ZZ_GRADE_HIGH; k >= ZZ_GRADE_LOW; k--)
    {
      g_autofree char *name = g_strdup_printf ("cadence_%s", zz_grade_key (k));
      const char *units[] = { _("days"), _("weeks"), _("months"), NULL };
      GtkWidget *row;

      s->count[k] = spin_row (g, zz_grade_name (k), NULL, name, 1, 99, scheme.cadence[k].count);
      row = gtk_widget_get_ancestor (s->count[k], ADW_TYPE_ACTION_ROW);
      g_autofree char *unit_name = g_strdup_printf ("cadence_unit_%s", zz_grade_key (k));
      s->unit[k] = gtk_drop_down_new_from_strings (units);
      gtk_widget_set_name (s->unit[k], unit_name);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (s->unit[k]), scheme.cadence[k].unit);
      gtk_widget_set_valign (s->unit[k], GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), s->unit[k]);
    }
  gtk_window_present (f->window);
  return f->window;
}

/* ---- CSV import: mapping, dry run, confirm ---- */

typedef struct {
  Form *form;
  ZzHouseholdImport *imp;
  GtkWidget *map_rows[ZZ_HH_N_COLUMNS];
  GtkProgressBar *progress;
  GtkLabel *summary;
  GtkListBox *problems;
  gboolean checked;       /* a dry run matches the current mapping */
  gboolean running;
  guint good;
} ImportState;

static void
import_state_free (ImportState *s)
{
  zz_household_import_free (s->imp);
  g_free (s);
}

static void
import_progress_cb (double fraction, gpointer data)
{
  ImportState *s = data;

  gtk_progress_bar_set_fraction (s->progress, fraction);
}

static void
import_set_primary (ImportState *s)
{
  GtkButton *b = GTK_BUTTON (s->form->primary);

  if (s->checked && s->good > 0)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("_Import %u Household", "_Import %u Households", s->good), s->good);
      gtk_button_set_label (b, label);
    }
  else
    gtk_button_set_label (b, _("C_heck"));
  gtk_button_set_use_underline (b, TRUE);
  gtk_widget_set_sensitive (s->form->primary, !s->running);
}

static void
on_mapping_changed_cb (GObject *row, GParamSpec *pspec, ImportState *s)
{
  for (guint c = 0; c < ZZ_HH_N_COLUMNS; c++)
    if (G_OBJECT (s->map_rows[c]) == row)
      zz_household_import_set_mapping (s->imp, c, (int) adw_combo_row_get_selected (ADW_COMBO_ROW (row)) - 1);
  s->checked = FALSE;
  import_set_primary (s);
}

static void
show_problems (ImportState *s, GListModel *problems)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (s->problems))))
    gtk_list_box_remove (s->problems, child);
  /* Every bad row is listed; a very long list is capped on screen, not in the count. */
  for (guint i = 0; problems && i < MIN (g_list_model_get_n_items (problems), 500); i++)
    {
      g_autoptr(ZzRow) p = g_list_model_get_item (problems, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("Line %lld"), (long long) zz_row_get_int (p, "line"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), zz_row_get (p, "reason"));
      gtk_list_box_append (s->problems, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (s->problems), problems && g_list_model_get_n_items (problems) > 0);
}

static void
on_import_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GtkWindow *window = data;   /* a strong reference for the run */
  Form *f = g_object_get_data (G_OBJECT (window), "form");
  ImportState *s = f ? f->state : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) problems = NULL;
  gboolean commit;
  guint good = 0;

  if (!s)
    {
      g_object_unref (window);
      return;
    }
  commit = s->checked;
  s->running = FALSE;
  if (!zz_household_import_run_finish (result, &good, &problems, &error))
    {
      form_show_error (f, error->message);
      import_set_primary (s);
      g_object_unref (window);
      return;
    }
  form_show_error (f, NULL);
  gtk_widget_set_visible (GTK_WIDGET (s->progress), FALSE);
  show_problems (s, problems);
  if (commit)
    {
      GtkWindow *parent = gtk_window_get_transient_for (window);
      g_autofree char *msg = g_strdup_printf (ngettext ("%u household imported.", "%u households imported.", good), good);
      if (ZZ_IS_WINDOW (parent))
        {
          zz_window_toast (ZZ_WINDOW (parent), msg, NULL, NULL, NULL);
          /* Written on another connection: tell the views. */
          g_signal_emit_by_name (f->store, "changed::household", "household");
        }
      gtk_window_destroy (window);
      g_object_unref (window);
      return;
    }
  {
    g_autofree char *summary = NULL;
    guint bad = g_list_model_get_n_items (problems);
    g_autofree char *can = g_strdup_printf (ngettext ("%u row can be imported.", "%u rows can be imported.", good), good);
    if (bad)
      {
        g_autofree char *skip = g_strdup_printf (ngettext ("%u row has problems and will be skipped.",
                                                           "%u rows have problems and will be skipped.", bad), bad);
        summary = g_strdup_printf ("%s %s %s", can, skip, _("Nothing has been written yet."));
      }
    else
      summary = g_strdup_printf ("%s %s", can, _("Nothing has been written yet."));
    gtk_label_set_text (s->summary, summary);
  }
  s->good = good;
  s->checked = TRUE;
  import_set_primary (s);
  g_object_unref (window);
}

static gboolean
import_submit (Form *f, GError **error)
{
  ImportState *s = f->state;

  if (s->running)
    return FALSE;
  if (s->checked && s->good == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("No row can be imported: fix the file or the column mapping."));
      return FALSE;
    }
  s->running = TRUE;
  gtk_progress_bar_set_fraction (s->progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (s->progress), TRUE);
  import_set_primary (s);
  zz_household_import_run_async (s->imp, f->store, s->checked, import_progress_cb, s, on_import_done_cb,
                                 g_object_ref (f->window));
  return FALSE;
}

GtkWindow *
zz_household_import_dialog (GtkWindow *parent, ZzStore *store, GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GtkStringList) options = gtk_string_list_new (NULL);
  gsize len = 0;
  ImportState *s = g_new0 (ImportState, 1);
  Form *f = form_new (parent, store, NULL, _("Import Household Register"), _("C_heck"), 600, 760, import_submit);
  GtkWidget *g;

  f->state = s;
  f->state_free = (GDestroyNotify) import_state_free;
  s->form = f;
  gtk_widget_set_name (GTK_WIDGET (f->window), "import_dialog");
  if (!g_file_load_contents (file, NULL, &data, &len, NULL, &error)
      || !(s->imp = zz_household_import_new (data, len, &error)))
    {
      form_show_error (f, error->message);
      gtk_widget_set_sensitive (f->primary, FALSE);
      gtk_window_present (f->window);
      return f->window;
    }
  g = form_group (f, basename, _("One row per household, named by its head. Match each field to a column of the file; the check lists every row that cannot be imported, with its line."));
  gtk_string_list_append (options, _("(not in the file)"));
  for (guint i = 0; i < zz_household_import_n_headers (s->imp); i++)
    gtk_string_list_append (options, zz_household_import_header (s->imp, i));
  for (guint c = 0; c < ZZ_HH_N_COLUMNS; c++)
    {
      g_autofree char *name = g_strdup_printf ("map_%u", c);
      s->map_rows[c] = adw_combo_row_new ();
      gtk_widget_set_name (s->map_rows[c], name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (s->map_rows[c]), zz_household_column_name (c));
      adw_combo_row_set_model (ADW_COMBO_ROW (s->map_rows[c]), G_LIST_MODEL (options));
      adw_combo_row_set_selected (ADW_COMBO_ROW (s->map_rows[c]), zz_household_import_get_mapping (s->imp, c) + 1);
      g_signal_connect (s->map_rows[c], "notify::selected", G_CALLBACK (on_mapping_changed_cb), s);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), s->map_rows[c]);
    }
  g = form_group (f, _("Check"), NULL);
  s->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (s->progress), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (s->progress));
  s->summary = GTK_LABEL (gtk_label_new (_("Nothing is written until you confirm the import after the check.")));
  gtk_widget_set_name (GTK_WIDGET (s->summary), "summary_label");
  gtk_label_set_wrap (s->summary, TRUE);
  gtk_label_set_xalign (s->summary, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (s->summary));
  s->problems = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (s->problems), "problems_list");
  gtk_list_box_set_selection_mode (s->problems, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (s->problems), "boxed-list");
  gtk_widget_set_margin_top (GTK_WIDGET (s->problems), 12);
  gtk_widget_set_visible (GTK_WIDGET (s->problems), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (s->problems));
  gtk_window_present (f->window);
  return f->window;
}
