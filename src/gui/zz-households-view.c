/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-households-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-save-dialog.h"
#include "zz-household-dialogs.h"
#include "zz-cases.h"
#include "zz-households-view.h"
#include "zz-window.h"

#define LIST_LIMIT 200

struct _ZzHouseholdsView {
  AdwBin parent_instance;

  GtkSearchEntry *search_entry;
  GtkWidget *register_button;
  GtkDropDown *grade_drop;
  GtkDropDown *village_drop;
  GtkToggleButton *overdue_toggle;
  GtkToggleButton *mine_toggle;
  GtkListBox *counts_list;
  GtkListBox *households_list;
  GtkLabel *total_label;
  GtkStack *page_stack;
  GtkBox *page_box;

  ZzApplication *app;
  ZzStore *store;
  GListModel *villages;   /* village_drop's items after "All villages" */
  char *current;
  gulong changed_id;
  guint refresh_source;
};

G_DEFINE_FINAL_TYPE (ZzHouseholdsView, zz_households_view, ADW_TYPE_BIN)

static GtkWindow *
parent_window (ZzHouseholdsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
badge (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "badge");
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
overdue_text (ZzStore *store, const char *due)
{
  GDate d, t;
  g_autofree char *today = zz_store_day_of (zz_store_now (store));
  int days;

  if (!zz_day_parse (due, &d) || !zz_day_parse (today, &t))
    return g_strdup (_("Overdue"));
  days = g_date_days_between (&d, &t);
  return g_strdup_printf (ngettext ("⚠ Overdue %d day", "⚠ Overdue %d days", days), days);
}

/* ---- the list ---- */

static GtkWidget *
create_household_row (gpointer item, gpointer user_data)
{
  ZzHouseholdsView *self = user_data;
  ZzRow *h = item;
  GtkWidget *row = adw_action_row_new ();
  ZzGrade grade = zz_grade_from_key (zz_row_get (h, "grade"));
  g_autofree char *subtitle = NULL;
  const char *due = zz_row_get (h, "next_due");

  if (g_strcmp0 (zz_row_get (h, "status"), "delisted") == 0)
    subtitle = g_strdup_printf ("%s · %s · %s", zz_row_get (h, "village"), zz_row_get (h, "address"), _("De-listed"));
  else if (due)
    subtitle = g_strdup_printf (_("%s · %s · next visit %s"), zz_row_get (h, "village"), zz_row_get (h, "address"), due);
  else
    subtitle = g_strdup_printf ("%s · %s", zz_row_get (h, "village"), zz_row_get (h, "address"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (h, "head_name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  {
    /* One width for every grade, so the names line up. */
    GtkWidget *b = zz_grade_badge_new (grade);
    gtk_widget_set_size_request (b, 84, -1);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), b);
  }
  if (zz_row_get_int (h, "overdue"))
    {
      g_autofree char *text = overdue_text (self->store, due);
      GtkWidget *b = badge (text, "overdue");
      gtk_widget_set_name (b, "overdue_badge");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
      gtk_widget_add_css_class (row, "overdue-row");
    }
  if (zz_row_get_int (h, "pending"))
    {
      ZzSignoffKind kind = g_strcmp0 (zz_row_get (h, "pending_kind"), "delist") == 0 ? ZZ_SIGNOFF_DELIST : ZZ_SIGNOFF_GRADE;
      g_autofree char *text = g_strdup_printf (_("Waiting: %s"), zz_signoff_step_name (kind, zz_row_get_int (h, "pending")));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (text, "pending"));
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "id", g_strdup (zz_row_get_id (h)), g_free);
  return row;
}

static void
current_filter (ZzHouseholdsView *self, ZzHouseholdFilter *f)
{
  guint g = gtk_drop_down_get_selected (self->grade_drop);
  guint v = gtk_drop_down_get_selected (self->village_drop);

  memset (f, 0, sizeof *f);
  /* All, High, Medium, Low, Not graded, De-listed */
  f->grade = g == 1 ? ZZ_GRADE_HIGH : g == 2 ? ZZ_GRADE_MEDIUM : g == 3 ? ZZ_GRADE_LOW : g == 4 ? ZZ_GRADE_NONE : -1;
  f->delisted = g == 5;
  f->overdue_only = gtk_toggle_button_get_active (self->overdue_toggle);
  f->mine_only = gtk_toggle_button_get_active (self->mine_toggle);
  f->query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (v > 0 && v != GTK_INVALID_LIST_POSITION && self->villages)
    {
      g_autoptr(ZzRow) row = g_list_model_get_item (self->villages, v - 1);
      f->org_unit = g_intern_string (zz_row_get (row, "code"));
    }
}

static void
refresh_list (ZzHouseholdsView *self)
{
  ZzHouseholdFilter f;
  g_autoptr(GListModel) rows = NULL;
  g_autofree char *total_text = NULL;
  guint total = 0;

  current_filter (self, &f);
  rows = zz_store_list_households (self->store, &f, LIST_LIMIT, &total);
  gtk_list_box_bind_model (self->households_list, rows, create_household_row, self, NULL);
  if (total > g_list_model_get_n_items (rows))
    total_text = g_strdup_printf (_("Showing %u of %u households: narrow the search or the filters to see the rest."),
                                  g_list_model_get_n_items (rows), total);
  else
    total_text = g_strdup_printf (ngettext ("%u household", "%u households", total), total);
  gtk_label_set_text (self->total_label, total_text);
}

static GtkWidget *
create_count_row (gpointer item, gpointer user_data)
{
  ZzRow *c = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  static const ZzGrade grades[] = { ZZ_GRADE_HIGH, ZZ_GRADE_MEDIUM, ZZ_GRADE_LOW };
  static const char *columns[] = { "high", "medium", "low" };

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (c, "name"));
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    {
      static const char *shapes[] = { "▲", "◆", "●" };
      g_autofree char *text = g_strdup_printf ("%s %s %lld", shapes[i], zz_grade_name (grades[i]),
                                               (long long) zz_row_get_int (c, columns[i]));
      GtkWidget *b = badge (text, zz_grade_css_class (grades[i]));
      if (zz_row_get_int (c, columns[i]) == 0)
        gtk_widget_add_css_class (b, "zero");
      gtk_box_append (GTK_BOX (box), b);
    }
  if (zz_row_get_int (c, "overdue"))
    {
      g_autofree char *text = g_strdup_printf (_("⚠ %lld overdue"), (long long) zz_row_get_int (c, "overdue"));
      gtk_box_append (GTK_BOX (box), badge (text, "overdue"));
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Show this village’s households"));
  g_object_set_data_full (G_OBJECT (row), "code", g_strdup (zz_row_get (c, "code")), g_free);
  return row;
}

static void
refresh_counts (ZzHouseholdsView *self)
{
  g_autoptr(GListModel) counts = zz_store_household_counts (self->store, NULL);

  gtk_list_box_bind_model (self->counts_list, counts, create_count_row, self, NULL);
}

/* ---- the household page ---- */

static GtkWidget *
page_group (ZzHouseholdsView *self, const char *title, const char *name)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  gtk_widget_set_name (g, name);
  gtk_box_append (self->page_box, g);
  return g;
}

static GtkWidget *
info_row (GtkWidget *group, const char *title, const char *value, const char *name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
  gtk_widget_add_css_class (row, "property");
  if (name)
    gtk_widget_set_name (row, name);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
action_button (const char *label, const char *action, const char *name, gboolean suggested)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  gtk_widget_set_name (b, name);
  if (suggested)
    gtk_widget_add_css_class (b, "suggested-action");
  return b;
}

typedef struct {
  ZzHouseholdsView *view;   /* weak */
  char *member_id;
  char *name;
  gboolean done;
} RemoveMember;

static void
remove_member_free (RemoveMember *r)
{
  g_clear_weak_pointer (&r->view);
  g_free (r->member_id);
  g_free (r->name);
  g_free (r);
}

static void
on_remove_member_response_cb (AdwMessageDialog *dialog, const char *response, RemoveMember *r)
{
  g_autoptr(GError) error = NULL;

  /* Closing after a response emits the close response too: act on the first only. */
  if (r->done)
    return;
  r->done = TRUE;
  if (r->view && g_strcmp0 (response, "remove") == 0)
    {
      ZzWindow *window = zz_window_for (GTK_WIDGET (r->view));
      if (!zz_store_remove_member (r->view->store, r->member_id, &error))
        {
          if (window)
            zz_window_error (window, error);
        }
      else if (window)
        {
          g_autofree char *msg = g_strdup_printf (_("%s removed from the household."), r->name);
          zz_window_toast (window, msg, NULL, NULL, NULL);
        }
    }
}

/* Removing a member is confirmed first: the record stays in the history, but the person leaves the
 * household. */
static void
on_remove_member_clicked_cb (GtkButton *button, ZzHouseholdsView *self)
{
  RemoveMember *r = g_new0 (RemoveMember, 1);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  r->member_id = g_strdup (g_object_get_data (G_OBJECT (button), "member"));
  r->name = g_strdup (g_object_get_data (G_OBJECT (button), "name"));
  g_set_weak_pointer (&r->view, self);
  heading = g_strdup_printf (_("Remove %s from the household?"), r->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), heading,
                                                       _("Do this when the person has moved out or died. The household’s history keeps them.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "remove-member", r, (GDestroyNotify) remove_member_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_remove_member_response_cb), r);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_case_row_activated_cb (AdwActionRow *row, ZzHouseholdsView *self)
{
  ZzWindow *window = zz_window_for (GTK_WIDGET (self));

  if (window)
    zz_window_show_case (window, g_object_get_data (G_OBJECT (row), "case"));
}

static void
build_page (ZzHouseholdsView *self)
{
  g_autoptr(ZzRow) h = NULL;
  GtkWidget *child, *g, *header, *title_box, *heading, *buttons;
  g_autofree char *path = NULL;
  ZzGrade grade;
  ZzRiskScheme scheme;
  gboolean active, editable;
  gint64 pending;
  ZzSignoffKind pending_kind;
  guint signoff_options;
  g_autofree char *who_can = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->page_box))))
    gtk_box_remove (self->page_box, child);
  h = self->current ? zz_store_get_household (self->store, self->current) : NULL;
  if (!h)
    {
      gtk_stack_set_visible_child_name (self->page_stack, "empty");
      return;
    }
  grade = zz_grade_from_key (zz_row_get (h, "grade"));
  active = g_strcmp0 (zz_row_get (h, "status"), "active") == 0;
  editable = active && zz_store_can (self->store, ZZ_PERM_EDIT_HOUSEHOLDS);
  pending = zz_row_get_int (h, "pending");
  pending_kind = g_strcmp0 (zz_row_get (h, "pending_kind"), "delist") == 0 ? ZZ_SIGNOFF_DELIST : ZZ_SIGNOFF_GRADE;
  zz_store_get_risk_scheme (self->store, &scheme);

  /* Heading: the head's name, the grade, where. */
  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  heading = gtk_label_new (zz_row_get (h, "head_name"));
  gtk_widget_set_name (heading, "page_title");
  gtk_widget_add_css_class (heading, "title-1");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (title_box), heading);
  gtk_box_append (GTK_BOX (title_box), zz_grade_badge_new (grade));
  if (!active)
    gtk_box_append (GTK_BOX (title_box), badge (_("De-listed"), "delisted"));
  gtk_box_append (GTK_BOX (header), title_box);
  path = zz_store_org_unit_path (self->store, zz_row_get (h, "home"));
  {
    g_autofree char *where = g_strdup_printf ("%s · %s", path ? path : "", zz_row_get (h, "address"));
    GtkWidget *l = gtk_label_new (where);
    gtk_label_set_xalign (GTK_LABEL (l), 0);
    gtk_label_set_wrap (GTK_LABEL (l), TRUE);
    gtk_widget_add_css_class (l, "dim-label");
    gtk_box_append (GTK_BOX (header), l);
  }
  gtk_box_append (self->page_box, header);

  /* What can be done now, by this user. */
  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (buttons), FALSE);
  signoff_options = active && pending ? zz_store_household_signoff_options (self->store, self->current, &who_can) : 0;
  if (signoff_options)
    {
      g_autofree char *label = g_strdup_printf ("%s…", zz_signoff_step_name (pending_kind, pending));
      GtkWidget *b = action_button (label, "households.signoff", "signoff_button", TRUE);
      gtk_button_set_use_underline (GTK_BUTTON (b), FALSE);
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), b);
    }
  if (editable)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Log _Visit…"), "households.visit", "visit_button", !pending));
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("_Assess…"), "households.assess", "assess_button", FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("_Edit…"), "households.edit", "edit_button", FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Add Mem_ber…"), "households.add-member", "add_member_button", FALSE));
    }
  if (zz_store_can (self->store, ZZ_PERM_REGISTER_CASE) && zz_store_can (self->store, ZZ_PERM_VIEW_CASES))
    gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Register as _Case…"), "households.register-case",
                                                               "register_case_button", FALSE));
  if (active && !pending && zz_store_can (self->store, ZZ_PERM_PROPOSE_GRADE))
    gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("De-_list…"), "households.delist", "delist_button", FALSE));
  gtk_box_append (self->page_box, buttons);

  /* Control: the grade in force, the next visit, the step waiting. */
  g = page_group (self, _("Control"), "control_group");
  if (active && zz_row_get (h, "next_due"))
    {
      GtkWidget *row = info_row (g, _("Next visit due"), zz_row_get (h, "next_due"), "next_due_row");
      if (zz_row_get_int (h, "overdue"))
        {
          g_autofree char *text = overdue_text (self->store, zz_row_get (h, "next_due"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (text, "overdue"));
        }
    }
  else if (active)
    info_row (g, _("Next visit due"), _("When the grade is approved"), "next_due_row");
  if (grade != ZZ_GRADE_NONE)
    {
      g_autofree char *cadence = zz_cadence_display (&scheme.cadence[grade]);
      g_autofree char *text = g_strdup_printf (_("%s since %s: a visit %s"), zz_grade_name (grade),
                                               zz_row_get (h, "graded_on"), cadence);
      info_row (g, _("Grade in force"), text, "grade_row");
    }
  else
    info_row (g, _("Grade in force"), _("Not graded yet"), "grade_row");
  info_row (g, _("Last visit"), zz_row_get (h, "last_visit"), NULL);
  if (active && pending)
    {
      g_autofree char *text = NULL;
      if (pending_kind == ZZ_SIGNOFF_GRADE)
        text = g_strdup_printf (_("%s, proposed grade %s"), zz_signoff_step_name (pending_kind, pending),
                                zz_grade_name (zz_grade_from_key (zz_row_get (h, "pending_grade"))));
      else
        text = g_strdup (zz_signoff_step_name (pending_kind, pending));
      GtkWidget *pending_row = info_row (g, _("Waiting for"), text, "pending_row");
      /* Who can sign it, and what this user may do: a step they cannot complete is not offered. */
      if (who_can)
        {
          g_autofree char *sub = NULL;
          if (signoff_options == ZZ_SIGNOFF_CAN_RETURN)
            sub = g_strdup_printf ("%s\n%s %s", text, who_can, _("You may only send it back."));
          else
            sub = g_strdup_printf ("%s\n%s", text, who_can);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (pending_row), sub);
        }
    }
  if (!active)
    {
      g_autofree char *text = g_strdup_printf ("%s · %s", zz_row_get (h, "delisted_on"), zz_row_get (h, "delist_reason"));
      info_row (g, _("De-listed"), text, NULL);
    }
  info_row (g, _("Grid worker"), zz_row_get (h, "grid_worker"), NULL);
  if (zz_row_get (h, "notes"))
    info_row (g, _("Notes"), zz_row_get (h, "notes"), NULL);

  /* Members and officials. */
  g = page_group (self, _("Members"), "members_group");
  {
    g_autoptr(GListModel) members = zz_store_household_members (self->store, self->current);
    for (guint i = 0; i < g_list_model_get_n_items (members); i++)
      {
        g_autoptr(ZzRow) m = g_list_model_get_item (members, i);
        g_autoptr(GString) sub = g_string_new (zz_row_get (m, "relation") ? zz_row_get (m, "relation") : "");
        GtkWidget *row = adw_action_row_new ();
        if (zz_row_get (m, "id_number"))
          g_string_append_printf (sub, "%s%s", sub->len ? " · " : "", zz_row_get (m, "id_number"));
        if (zz_row_get (m, "phone"))
          g_string_append_printf (sub, "%s%s", sub->len ? " · " : "", zz_row_get (m, "phone"));
        if (zz_row_get (m, "notes"))
          g_string_append_printf (sub, "%s%s", sub->len ? " · " : "", zz_row_get (m, "notes"));
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (m, "name"));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
        if (editable && i > 0)
          {
            GtkWidget *rm = gtk_button_new_from_icon_name ("user-trash-symbolic");
            g_autofree char *tip = g_strdup_printf (_("Remove %s from the household"), zz_row_get (m, "name"));
            gtk_widget_set_valign (rm, GTK_ALIGN_CENTER);
            gtk_widget_set_name (rm, "remove_member_button");
            gtk_widget_add_css_class (rm, "flat");
            gtk_widget_set_tooltip_text (rm, tip);
            g_object_set_data_full (G_OBJECT (rm), "member", g_strdup (zz_row_get_id (m)), g_free);
            g_object_set_data_full (G_OBJECT (rm), "name", g_strdup (zz_row_get (m, "name")), g_free);
            g_signal_connect (rm, "clicked", G_CALLBACK (on_remove_member_clicked_cb), self);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), rm);
          }
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
      }
  }
  g = page_group (self, _("Responsible Officials"), "officials_group");
  {
    g_autoptr(GListModel) officials = zz_store_household_officials (self->store, self->current);
    for (guint i = 0; i < g_list_model_get_n_items (officials); i++)
      {
        g_autoptr(ZzRow) o = g_list_model_get_item (officials, i);
        info_row (g, zz_row_get (o, "name"), zz_row_get (o, "phone") ? zz_row_get (o, "phone")
                                             : zz_row_get (o, "user_id") ? _("User of this centre") : NULL, NULL);
      }
  }

  /* Cases registered from the household's matters. */
  if (zz_store_can (self->store, ZZ_PERM_VIEW_CASES))
    {
      g_autoptr(GListModel) cases = zz_store_household_cases (self->store, self->current);
      guint n_statuses;
      const ZzVocab *statuses = zz_case_statuses (&n_statuses);

      g = page_group (self, _("Cases"), "cases_group");
      for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
        {
          g_autoptr(ZzRow) c = g_list_model_get_item (cases, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *status = gtk_label_new (zz_vocab_display (statuses, n_statuses, zz_row_get (c, "status")));
          gtk_widget_add_css_class (status, "dim-label");
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (c, "number"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), zz_row_get (c, "summary"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_name (row, "case_row");
          g_object_set_data_full (G_OBJECT (row), "case", g_strdup (zz_row_get_id (c)), g_free);
          g_signal_connect (row, "activated", G_CALLBACK (on_case_row_activated_cb), self);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
        }
      if (g_list_model_get_n_items (cases) == 0)
        info_row (g, _("No case registered from this household"), NULL, "no_cases_row");
    }

  /* History: sign-offs, assessments, visits; newest first. */
  g = page_group (self, _("Grade History"), "history_group");
  {
    g_autoptr(GListModel) steps = zz_store_household_signoffs (self->store, self->current);
    for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
      {
        g_autoptr(ZzRow) s = g_list_model_get_item (steps, i);
        ZzSignoffKind kind = g_strcmp0 (zz_row_get (s, "kind"), "delist") == 0 ? ZZ_SIGNOFF_DELIST : ZZ_SIGNOFF_GRADE;
        gboolean back = g_strcmp0 (zz_row_get (s, "decision"), "returned") == 0;
        gboolean withdrawn = g_strcmp0 (zz_row_get (s, "decision"), "withdrawn") == 0;
        g_autoptr(GString) sub = g_string_new (NULL);
        GtkWidget *row = adw_action_row_new ();
        g_string_append_printf (sub, "%s · %s", zz_row_get (s, "day"), zz_row_get (s, "signer") ? zz_row_get (s, "signer") : "");
        if (zz_row_get (s, "reason"))
          g_string_append_printf (sub, " · %s", zz_row_get (s, "reason"));
        if (zz_row_get (s, "note"))
          g_string_append_printf (sub, " · %s", zz_row_get (s, "note"));
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        if (back)
          {
            g_autofree char *t = g_strdup_printf (_("Sent back at “%s”"), zz_signoff_step_name (kind, zz_row_get_int (s, "step")));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
          }
        else if (withdrawn)
          {
            g_autofree char *t = g_strdup_printf (_("Withdrawn before “%s”"), zz_signoff_step_name (kind, zz_row_get_int (s, "step")));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
          }
        else
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_signoff_step_name (kind, zz_row_get_int (s, "step")));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
        if (kind == ZZ_SIGNOFF_GRADE)
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), zz_grade_badge_new (zz_grade_from_key (zz_row_get (s, "grade"))));
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
      }
    if (g_list_model_get_n_items (steps) == 0)
      info_row (g, _("No grading yet"), _("Assess the household, then the group proposes a grade."), NULL);
  }
  g = page_group (self, _("Assessments"), "assessments_group");
  {
    g_autoptr(GListModel) list = zz_store_household_assessments (self->store, self->current);
    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(ZzRow) a = g_list_model_get_item (list, i);
        g_autoptr(GString) names = g_string_new (NULL);
        g_autofree char *title = NULL;
        guint bits = 0;
        GtkWidget *row = adw_action_row_new ();
        zz_risk_factors_parse (zz_row_get (a, "factors"), &bits);
        for (guint k = 0; k < ZZ_RISK_N_FACTORS; k++)
          if (bits & (1u << k))
            g_string_append_printf (names, "%s%s", names->len ? _(", ") : "",
                                    k == ZZ_RISK_OTHER && zz_row_get (a, "other_text") ? zz_row_get (a, "other_text")
                                                                                      : zz_risk_factor_name (k));
        if (zz_row_get (a, "note"))
          g_string_append_printf (names, " · %s", zz_row_get (a, "note"));
        title = g_strdup_printf (_("%s · score %lld · %s"), zz_row_get (a, "day"), (long long) zz_row_get_int (a, "score"),
                                 zz_row_get (a, "assessor") ? zz_row_get (a, "assessor") : "");
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), names->len ? names->str : _("No risk factor"));
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), zz_grade_badge_new (zz_grade_from_key (zz_row_get (a, "grade"))));
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
      }
    if (g_list_model_get_n_items (list) == 0)
      info_row (g, _("Not assessed yet"), NULL, NULL);
  }
  g = page_group (self, _("Visits"), "visits_group");
  {
    g_autoptr(GListModel) list = zz_store_household_visits (self->store, self->current);
    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(ZzRow) v = g_list_model_get_item (list, i);
        g_autoptr(GString) sub = g_string_new (zz_row_get (v, "found"));
        g_autofree char *title = g_strdup_printf ("%s · %s", zz_row_get (v, "day"), zz_row_get (v, "visitors"));
        GtkWidget *row = adw_action_row_new ();
        if (zz_row_get (v, "measures"))
          g_string_append_printf (sub, _(" Measures: %s"), zz_row_get (v, "measures"));
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
        if (zz_row_get_int (v, "reassess"))
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge (_("Reassess"), "pending"));
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
      }
    if (g_list_model_get_n_items (list) == 0)
      info_row (g, _("No visits yet"), NULL, NULL);
  }
  gtk_stack_set_visible_child_name (self->page_stack, "page");
}

/* ---- refresh ---- */

static void
refresh_all (ZzHouseholdsView *self)
{
  refresh_list (self);
  refresh_counts (self);
  build_page (self);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  ZzHouseholdsView *self = data;

  self->refresh_source = 0;
  refresh_all (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (ZzStore *store, const char *table, ZzHouseholdsView *self)
{
  if (!g_str_has_prefix (table, "household") && g_strcmp0 (table, "risk_scheme") != 0
      && g_strcmp0 (table, "case_file") != 0)
    return;
  if (!self->refresh_source)
    self->refresh_source = g_idle_add (refresh_idle_cb, self);
}

static void
on_filter_changed_cb (ZzHouseholdsView *self)
{
  if (self->store)
    refresh_list (self);
}

static void
on_household_row_activated_cb (ZzHouseholdsView *self, GtkListBoxRow *row)
{
  zz_households_view_show (self, g_object_get_data (G_OBJECT (row), "id"));
}

static void
on_count_row_activated_cb (ZzHouseholdsView *self, GtkListBoxRow *row)
{
  const char *code = g_object_get_data (G_OBJECT (row), "code");

  for (guint i = 0; self->villages && i < g_list_model_get_n_items (self->villages); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (self->villages, i);
      if (g_strcmp0 (zz_row_get (v, "code"), code) == 0)
        gtk_drop_down_set_selected (self->village_drop, i + 1);
    }
}

/* ---- actions ---- */

static void
on_registered_cb (const char *household_id, gpointer data)
{
  zz_households_view_show (data, household_id);
}

static void
register_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzHouseholdsView *self = ZZ_HOUSEHOLDS_VIEW (widget);

  if (self->store && zz_store_can (self->store, ZZ_PERM_EDIT_HOUSEHOLDS))
    zz_household_edit_dialog (parent_window (self), self->store, NULL, on_registered_cb, self);
}

static void
page_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzHouseholdsView *self = ZZ_HOUSEHOLDS_VIEW (widget);
  GtkWindow *parent = parent_window (self);

  if (!self->store || !self->current)
    return;
  if (g_str_equal (name, "households.edit"))
    zz_household_edit_dialog (parent, self->store, self->current, NULL, NULL);
  else if (g_str_equal (name, "households.add-member"))
    zz_household_member_dialog (parent, self->store, self->current);
  else if (g_str_equal (name, "households.assess"))
    zz_household_assess_dialog (parent, self->store, self->current);
  else if (g_str_equal (name, "households.signoff"))
    zz_household_signoff_dialog (parent, self->store, self->current);
  else if (g_str_equal (name, "households.visit"))
    zz_household_visit_dialog (parent, self->store, self->current);
  else if (g_str_equal (name, "households.delist"))
    zz_household_delist_dialog (parent, self->store, self->current);
  else if (g_str_equal (name, "households.register-case") && zz_window_for (GTK_WIDGET (self)))
    zz_window_register_case_from_household (zz_window_for (GTK_WIDGET (self)), self->current, NULL);
}

static void
scheme_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzHouseholdsView *self = ZZ_HOUSEHOLDS_VIEW (widget);

  if (self->store)
    zz_risk_scheme_dialog (parent_window (self), self->store);
}

static void
on_import_file_cb (GtkNativeDialog *chooser, int response, ZzHouseholdsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      zz_file_chooser_remember_folder (path);
      zz_household_import_dialog (parent_window (self), self->store, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  ZzHouseholdsView *self = ZZ_HOUSEHOLDS_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (!self->store)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Household Register"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files (saved from a spreadsheet)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_file_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
focus_search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (ZZ_HOUSEHOLDS_VIEW (widget)->search_entry));
}

/* ---- class ---- */

static void
zz_households_view_dispose (GObject *object)
{
  ZzHouseholdsView *self = ZZ_HOUSEHOLDS_VIEW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store && self->changed_id)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->villages);
  g_clear_pointer (&self->current, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZZ_TYPE_HOUSEHOLDS_VIEW);
  G_OBJECT_CLASS (zz_households_view_parent_class)->dispose (object);
}

static void
zz_households_view_class_init (ZzHouseholdsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_households_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/zongzhi/Workbench/zz-households-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, register_button);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, grade_drop);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, village_drop);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, mine_toggle);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, counts_list);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, households_list);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, total_label);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, page_stack);
  gtk_widget_class_bind_template_child (widget_class, ZzHouseholdsView, page_box);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_household_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_count_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "households.register", NULL, register_action);
  gtk_widget_class_install_action (widget_class, "households.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "households.scheme", NULL, scheme_action);
  gtk_widget_class_install_action (widget_class, "households.edit", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.add-member", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.assess", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.signoff", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.visit", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.delist", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.register-case", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "households.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "households.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "households.focus-search", NULL);
}

static void
zz_households_view_init (ZzHouseholdsView *self)
{
  g_autoptr(GtkStringList) grades = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_string_list_append (grades, _("All grades"));
  gtk_string_list_append (grades, _("▲ High"));
  gtk_string_list_append (grades, _("◆ Medium"));
  gtk_string_list_append (grades, _("● Low"));
  gtk_string_list_append (grades, _("○ Not graded"));
  gtk_string_list_append (grades, _("De-listed"));
  gtk_drop_down_set_model (self->grade_drop, G_LIST_MODEL (grades));
}

void
zz_households_view_setup (ZzHouseholdsView *self, ZzApplication *app)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (ZZ_IS_HOUSEHOLDS_VIEW (self));
  self->app = app;
  self->store = zz_application_get_store (app);
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed_cb), self);
  self->villages = zz_store_household_villages (self->store);
  gtk_string_list_append (names, _("All villages"));
  for (guint i = 0; i < g_list_model_get_n_items (self->villages); i++)
    {
      g_autoptr(ZzRow) v = g_list_model_get_item (self->villages, i);
      gtk_string_list_append (names, zz_row_get (v, "name"));
    }
  gtk_drop_down_set_model (self->village_drop, G_LIST_MODEL (names));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "households.register", zz_store_can (self->store, ZZ_PERM_EDIT_HOUSEHOLDS));
  /* Supervisors sign off and approve; registering is the grid group's work: no dead button. */
  gtk_widget_set_visible (self->register_button, zz_store_can (self->store, ZZ_PERM_EDIT_HOUSEHOLDS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "households.import", zz_store_can (self->store, ZZ_PERM_IMPORT_HOUSEHOLDS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "households.scheme", zz_store_can (self->store, ZZ_PERM_MANAGE_RISK_SCHEME));
  refresh_all (self);
}

void
zz_households_view_show (ZzHouseholdsView *self, const char *household_id)
{
  g_return_if_fail (ZZ_IS_HOUSEHOLDS_VIEW (self));
  if (household_id != self->current)
    {
      g_free (self->current);
      self->current = g_strdup (household_id);
    }
  build_page (self);
}

const char *
zz_households_view_get_current (ZzHouseholdsView *self)
{
  return self->current;
}
