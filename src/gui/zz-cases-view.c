/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cases-view"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "zz-save-dialog.h"
#include "zz-agreement-print.h"
#include "zz-agreement.h"
#include "zz-case-form.h"
#include "zz-case-list.h"
#include "zz-date.h"
#include "zz-error.h"
#include "zz-export.h"
#include "zz-gui-util.h"
#include "zz-cases-view.h"
#include "zz-cases.h"
#include "zz-time.h"
#include "zz-window.h"

struct _ZzCasesView {
  AdwBin parent_instance;

  ZzApplication *app;
  ZzStore *store;

  GtkStack *pages;
  GtkSearchEntry *search_entry;
  GtkDropDown *status_filter;
  GtkDropDown *category_filter;
  GtkDropDown *level_filter;
  GtkToggleButton *overdue_toggle;
  GtkToggleButton *mine_toggle;
  GtkLabel *count_label;
  GtkColumnView *columns;
  ZzCaseList *list;
  GtkSingleSelection *selection;
  const char *sort_probe;
  GObject *probe_item;
  GObject *probe_other;   /* a second item: a sorter compares nothing with itself */

  GtkLabel *case_title;
  GtkBox *case_content;   /* the facts, parties and actions */
  GtkBox *case_main;      /* the timeline, mediation log and deadlines */
  char *case_id;
  guint search_source;
  guint refresh_source;
  GHashTable *category_names;   /* key -> name, retired ones included */
};

G_DEFINE_FINAL_TYPE (ZzCasesView, zz_cases_view, ADW_TYPE_BIN)

/* ---- helpers ---- */

static char *
deadline_text (ZzStore *store, gint64 deadline, const char *status)
{
  g_autofree char *day = zz_gui_format_time (deadline, "%Y-%m-%d");
  int over = zz_overdue_days (deadline, zz_store_now (store));

  if (over > 0 && zz_case_status_is_open (status))
    return g_strdup_printf (ngettext ("%s (%d day overdue)", "%s (%d days overdue)", over), day, over);
  return g_steal_pointer (&day);
}

static GtkWidget *
label_new (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (l), TRUE);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* ---- categories (reference data, editable) ---- */

static const char *
category_name (ZzCasesView *self, const char *key)
{
  const char *name = self->category_names && key ? g_hash_table_lookup (self->category_names, key) : NULL;

  return name ? name : key ? key : "";
}

/* An array of the categories as ZzVocab, its strings owned by @owner. */
static ZzVocab *
category_vocab (GListModel *rows, GObject *owner, guint *n)
{
  guint len = g_list_model_get_n_items (rows);
  ZzVocab *v = g_new0 (ZzVocab, len + 1);

  for (guint i = 0; i < len; i++)
    {
      ZzRow *r = g_list_model_get_item (rows, i);
      v[i].key = zz_row_get (r, "key");
      v[i].name = zz_row_get (r, "name");
      g_object_set_data_full (owner, zz_row_get (r, "key"), r, g_object_unref);
    }
  *n = len;
  g_object_set_data_full (owner, "zz-category-vocab", v, g_free);
  return v;
}

static void
load_categories (ZzCasesView *self)
{
  g_autoptr(GListModel) all = zz_store_case_categories (self->store, TRUE);
  GtkStringList *names = gtk_string_list_new (NULL);
  const char **keys = g_new0 (const char *, g_list_model_get_n_items (all) + 2);
  const char *selected = NULL;
  guint k = 0, pick = 0;

  if (self->category_filter)
    {
      const char **old = g_object_get_data (G_OBJECT (self->category_filter), "zz-keys");
      guint sel = gtk_drop_down_get_selected (self->category_filter);
      if (old && sel != GTK_INVALID_LIST_POSITION && old[sel])
        selected = g_intern_string (old[sel]);
    }
  g_clear_pointer (&self->category_names, g_hash_table_unref);
  self->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_string_list_append (names, _("Any category"));
  keys[k++] = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (all, i);
      g_hash_table_insert (self->category_names, g_strdup (zz_row_get (r, "key")), g_strdup (zz_row_get (r, "name")));
      if (g_strcmp0 (selected, zz_row_get (r, "key")) == 0)
        pick = k;
      gtk_string_list_append (names, zz_row_get (r, "name"));
      keys[k++] = g_intern_string (zz_row_get (r, "key"));
    }
  /* Retired categories stay in the filter: old cases still have them. */
  g_object_set_data_full (G_OBJECT (self->category_filter), "zz-keys", keys, g_free);
  gtk_drop_down_set_model (self->category_filter, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->category_filter, pick);
  g_object_unref (names);
}

/* ---- the list ---- */

static const char *
dropdown_key (GtkDropDown *dd)
{
  const char **keys = g_object_get_data (G_OBJECT (dd), "zz-keys");
  guint sel = gtk_drop_down_get_selected (dd);

  return keys && sel != GTK_INVALID_LIST_POSITION ? keys[sel] : NULL;
}

static void
apply_filter (ZzCasesView *self)
{
  ZzCaseFilter f = { 0 };
  GtkSorter *sorter = gtk_column_view_get_sorter (self->columns);
  g_autofree char *text = NULL;
  guint n;

  if (!self->list)
    return;
  f.query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  f.status = dropdown_key (self->status_filter);
  f.category = dropdown_key (self->category_filter);
  f.level = dropdown_key (self->level_filter);
  f.overdue = gtk_toggle_button_get_active (self->overdue_toggle);
  f.mine = gtk_toggle_button_get_active (self->mine_toggle);
  f.sort = ZZ_CASE_SORT_NEWEST;
  /* GTK 4.8 has no call for the column a GtkColumnViewSorter sorts by: ask it to compare two
   * items and see which column's sorter it consults first and in which direction. */
  self->sort_probe = NULL;
  if (sorter)
    {
      GtkOrdering o = gtk_sorter_compare (sorter, self->probe_item, self->probe_other);
      if (self->sort_probe)
        {
          gboolean descending = o == GTK_ORDERING_LARGER;
          if (g_str_equal (self->sort_probe, "number"))
            f.sort = ZZ_CASE_SORT_NUMBER, f.reverse = descending;
          else if (g_str_equal (self->sort_probe, "deadline_at"))
            f.sort = ZZ_CASE_SORT_DEADLINE, f.reverse = descending;
          else if (g_str_equal (self->sort_probe, "status"))
            f.sort = ZZ_CASE_SORT_STATUS, f.reverse = descending;
          else if (g_str_equal (self->sort_probe, "level"))
            f.sort = ZZ_CASE_SORT_LEVEL, f.reverse = descending;
          else if (g_str_equal (self->sort_probe, "category"))
            f.sort = ZZ_CASE_SORT_CATEGORY, f.reverse = descending;
          else
            f.sort = ZZ_CASE_SORT_NEWEST, f.reverse = !descending;
        }
    }
  zz_case_list_set_filter (self->list, &f);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  if (zz_case_list_is_truncated (self->list))
    text = g_strdup_printf (_("The first %u matches; add words to narrow the search."), n);
  else
    text = g_strdup_printf (ngettext ("%u case", "%u cases", n), n);
  gtk_label_set_text (self->count_label, text);
}

static gboolean
search_cb (gpointer data)
{
  ZzCasesView *self = data;

  self->search_source = 0;
  apply_filter (self);
  return G_SOURCE_REMOVE;
}

static void
on_search_changed_cb (ZzCasesView *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (150, search_cb, self);
}

static int
probe_compare (gconstpointer a, gconstpointer b, gpointer key)
{
  ZzCasesView *self = g_object_get_data (G_OBJECT (a), "zz-view");

  if (self && !self->sort_probe)
    self->sort_probe = key;
  return GTK_ORDERING_SMALLER;
}

static void
setup_cell_cb (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *ins = gtk_inscription_new (NULL);
  guint chars = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f), "zz-chars"));

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (ins), MIN (chars, 8));
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (ins), chars);
  gtk_list_item_set_child (item, ins);
}

static void
bind_cell_cb (GtkSignalListItemFactory *f, GtkListItem *item, ZzCasesView *self)
{
  const char *column = g_object_get_data (G_OBJECT (f), "zz-column");
  ZzRow *row = gtk_list_item_get_item (item);
  GtkWidget *ins = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (ins, "error");
  if (!row)
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (ins), "");
      return;
    }
  if (g_str_equal (column, "status"))
    text = g_strdup (zz_vocab_name (zz_case_statuses, zz_row_get (row, "status")));
  else if (g_str_equal (column, "category"))
    text = g_strdup (category_name (self, zz_row_get (row, "category")));
  else if (g_str_equal (column, "level"))
    text = g_strdup (zz_vocab_name (zz_case_levels, zz_row_get (row, "level")));
  else if (g_str_equal (column, "deadline_at"))
    {
      text = deadline_text (self->store, zz_row_get_int (row, "deadline_at"), zz_row_get (row, "status"));
      if (zz_case_status_is_open (zz_row_get (row, "status"))
          && zz_overdue_days (zz_row_get_int (row, "deadline_at"), zz_store_now (self->store)) > 0)
        gtk_widget_add_css_class (ins, "error");
    }
  else if (g_str_equal (column, "registered_at"))
    text = zz_gui_format_time (zz_row_get_int (row, "registered_at"), "%Y-%m-%d");
  else
    text = g_strdup (zz_row_get (row, column));
  gtk_inscription_set_text (GTK_INSCRIPTION (ins), text);
}

static void
add_column (ZzCasesView *self, const char *title, const char *column, gboolean sortable, gboolean expand,
            guint chars)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *c;

  g_object_set_data (G_OBJECT (f), "zz-column", (gpointer) column);
  g_object_set_data (G_OBJECT (f), "zz-chars", GUINT_TO_POINTER (chars));
  g_signal_connect (f, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (f, "bind", G_CALLBACK (bind_cell_cb), self);
  c = gtk_column_view_column_new (title, f);
  gtk_column_view_column_set_resizable (c, TRUE);
  gtk_column_view_column_set_expand (c, expand);
  if (sortable)
    {
      GtkSorter *s = GTK_SORTER (gtk_custom_sorter_new (probe_compare, (gpointer) column, NULL));
      gtk_column_view_column_set_sorter (c, s);
      g_object_unref (s);
    }
  gtk_column_view_append_column (self->columns, c);
  g_object_unref (c);
}

static GtkDropDown *
filter_dropdown (const char *all, const ZzVocab *v, guint n, const char *extra_key, const char *extra_name)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  const char **keys = g_new0 (const char *, n + 3);
  guint k = 0;
  GtkDropDown *dd;

  gtk_string_list_append (names, all);
  keys[k++] = NULL;
  if (extra_key)
    {
      gtk_string_list_append (names, extra_name);
      keys[k++] = extra_key;
    }
  for (guint i = 0; i < n; i++)
    {
      gtk_string_list_append (names, _(v[i].name));
      keys[k++] = v[i].key;
    }
  dd = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (names), NULL));
  g_object_set_data_full (G_OBJECT (dd), "zz-keys", keys, g_free);
  return dd;
}

/* ---- the case page ---- */

static void render_case (ZzCasesView *self);

static void
clear_box (GtkBox *box)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, c);
}

static void
fact (GtkGrid *grid, int *row, const char *name, const char *value)
{
  GtkWidget *n = label_new (name, "dim-label");
  GtkWidget *v = label_new (value && *value ? value : "—", NULL);

  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (grid, n, 0, *row, 1, 1);
  gtk_grid_attach (grid, v, 1, *row, 1, 1);
  (*row)++;
}

static GtkWidget *
action_button (const char *label, const char *action, const char *target, const char *name)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  if (target)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "s", target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  gtk_widget_set_name (b, name);
  return b;
}

static GtkWidget *
list_box (const char *name)
{
  GtkWidget *l = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (l), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (l, "boxed-list");
  gtk_widget_set_valign (l, GTK_ALIGN_START);
  gtk_widget_set_name (l, name);
  return l;
}

static GtkWidget *
entry_row (const char *title, const char *subtitle)
{
  GtkWidget *r = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (r), FALSE);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (r), subtitle);
  return r;
}

static void
update_actions (ZzCasesView *self, ZzRow *c)
{
  GtkWidget *w = GTK_WIDGET (self);
  const char *st = c ? zz_row_get (c, "status") : NULL;
  ZzStore *s = self->store;

#define EN(action, perm, act) \
  gtk_widget_action_set_enabled (w, action, c && zz_store_can (s, perm) && zz_case_status_allows (st, act))
  EN ("cases.dispatch", ZZ_PERM_DISPATCH_CASE, ZZ_CASE_ACT_DISPATCH);
  EN ("cases.mediate", ZZ_PERM_MEDIATE, ZZ_CASE_ACT_MEDIATE);
  EN ("cases.escalate", ZZ_PERM_MEDIATE, ZZ_CASE_ACT_ESCALATE);
  EN ("cases.supervise", ZZ_PERM_SUPERVISE, ZZ_CASE_ACT_SUPERVISE);
  EN ("cases.whistle", ZZ_PERM_WHISTLE, ZZ_CASE_ACT_WHISTLE);
  EN ("cases.conclude", ZZ_PERM_CONCLUDE_CASE, ZZ_CASE_ACT_CONCLUDE);
  EN ("cases.feedback", ZZ_PERM_FOLLOW_UP_CASE, ZZ_CASE_ACT_FEEDBACK);
  EN ("cases.return-visit", ZZ_PERM_FOLLOW_UP_CASE, ZZ_CASE_ACT_RETURN_VISIT);
  EN ("cases.archive", ZZ_PERM_CONCLUDE_CASE, ZZ_CASE_ACT_ARCHIVE);
#undef EN
  gtk_widget_action_set_enabled (w, "cases.accept", c && zz_store_can (s, ZZ_PERM_HANDLE_DISPATCH));
  gtk_widget_action_set_enabled (w, "cases.return", c && zz_store_can (s, ZZ_PERM_HANDLE_DISPATCH));
  gtk_widget_action_set_enabled (w, "cases.report", c && zz_store_can (s, ZZ_PERM_DISPATCH_CASE));
  gtk_widget_action_set_enabled (w, "cases.fulfil", c && zz_store_can (s, ZZ_PERM_MEDIATE));
  gtk_widget_action_set_enabled (w, "cases.correct", c && zz_store_can (s, ZZ_PERM_MEDIATE)
                                 && zz_case_status_allows (st, ZZ_CASE_ACT_MEDIATE));
  gtk_widget_action_set_enabled (w, "cases.new", zz_store_can (s, ZZ_PERM_REGISTER_CASE));
}

static void
render_case (ZzCasesView *self)
{
  g_autoptr(ZzRow) c = self->case_id ? zz_store_get_case (self->store, self->case_id) : NULL;
  g_autoptr(GListModel) parties = NULL;
  g_autoptr(GListModel) timeline = NULL;
  g_autoptr(GListModel) attempts = NULL;
  g_autoptr(GListModel) dispatches = NULL;
  g_autoptr(GListModel) whistles = NULL;
  GtkWidget *grid, *flow, *tabs, *switcher, *list;
  g_autofree char *title = NULL;
  int row = 0;
  ZzCaseLevel level;
  int n_attempts, max;
  ZzTierVerdict verdict;

  clear_box (self->case_content);
  clear_box (self->case_main);
  update_actions (self, c);
  if (!c)
    {
      gtk_label_set_text (self->case_title, "");
      return;
    }
  title = g_strdup_printf ("%s · %s", zz_row_get (c, "number"), zz_row_get (c, "summary"));
  gtk_label_set_text (self->case_title, title);

  /* What a case is, who holds it and until when. */
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_name (grid, "case-facts");
  {
    g_autofree char *level_text = g_strdup (zz_vocab_name (zz_case_levels, zz_row_get (c, "level")));
    g_autofree char *deadline = deadline_text (self->store, zz_row_get_int (c, "deadline_at"), zz_row_get (c, "status"));
    g_autofree char *registered = zz_gui_format_time (zz_row_get_int (c, "registered_at"), "%Y-%m-%d %H:%M");
    g_autofree char *source = zz_row_get (c, "external_ref")
      ? g_strdup_printf ("%s · %s", zz_vocab_name (zz_case_sources, zz_row_get (c, "source")), zz_row_get (c, "external_ref"))
      : g_strdup (zz_vocab_name (zz_case_sources, zz_row_get (c, "source")));
    g_autofree char *kind = g_strdup_printf ("%s · %s · %s", category_name (self, zz_row_get (c, "category")),
                                             zz_vocab_name (zz_case_risks, zz_row_get (c, "risk")),
                                             zz_vocab_name (zz_case_urgencies, zz_row_get (c, "urgency")));
    g_autofree char *resolved = zz_row_get (c, "outcome")
      ? g_strdup_printf ("%s (%s)", zz_row_get (c, "outcome"), zz_vocab_name (zz_case_levels, zz_row_get (c, "resolved_level")))
      : NULL;

    fact (GTK_GRID (grid), &row, _("Status"), zz_vocab_name (zz_case_statuses, zz_row_get (c, "status")));
    fact (GTK_GRID (grid), &row, _("Level"), level_text);
    fact (GTK_GRID (grid), &row, _("Held by"), zz_row_get (c, "holder"));
    fact (GTK_GRID (grid), &row, _("Deadline"), deadline);
    fact (GTK_GRID (grid), &row, _("Where it arose"), zz_row_get (c, "home_name"));
    fact (GTK_GRID (grid), &row, _("Category"), kind);
    fact (GTK_GRID (grid), &row, _("Source"), source);
    fact (GTK_GRID (grid), &row, _("First responder"), zz_row_get (c, "first_responder"));
    fact (GTK_GRID (grid), &row, _("Registered on"), registered);
    if (resolved)
      fact (GTK_GRID (grid), &row, _("Outcome"), resolved);
    if (zz_row_get (c, "details"))
      fact (GTK_GRID (grid), &row, _("Details"), zz_row_get (c, "details"));
    if (zz_row_get (c, "household_id"))
      {
        /* The risk household the matter came from; opens its page for those who may see it. */
        g_autofree char *text = zz_row_get (c, "household")
          ? g_strdup_printf (_("Household of %s"), zz_row_get (c, "household")) : g_strdup (_("A risk household"));
        GtkWidget *b = action_button (text, "cases.open-household", zz_row_get (c, "household_id"), "open-household");
        gtk_button_set_use_underline (GTK_BUTTON (b), FALSE);
        gtk_widget_add_css_class (b, "flat");
        gtk_widget_add_css_class (b, "fact-link");
        gtk_widget_set_halign (b, GTK_ALIGN_START);
        gtk_widget_set_tooltip_text (b, _("Open the household’s page"));
        gtk_widget_set_sensitive (b, zz_row_get (c, "household") != NULL);
        gtk_grid_attach (GTK_GRID (grid), label_new (_("Risk household"), "dim-label"), 0, row, 1, 1);
        gtk_grid_attach (GTK_GRID (grid), b, 1, row, 1, 1);
        row++;
      }
  }
  gtk_box_append (self->case_content, grid);

  /* Parties. */
  parties = zz_store_case_parties (self->store, self->case_id);
  list = list_box ("case-parties");
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(ZzRow) p = g_list_model_get_item (parties, i);
      g_autoptr(GString) sub = g_string_new (zz_vocab_name (zz_party_roles, zz_row_get (p, "role")));
      if (zz_row_get (p, "phone"))
        g_string_append_printf (sub, " · %s", zz_row_get (p, "phone"));
      if (zz_row_get (p, "id_number"))
        g_string_append_printf (sub, " · %s", zz_row_get (p, "id_number"));
      if (zz_row_get (p, "ethnicity"))
        g_string_append_printf (sub, " · %s", zz_row_get (p, "ethnicity"));
      if (zz_row_get (p, "address"))
        g_string_append_printf (sub, " · %s", zz_row_get (p, "address"));
      gtk_list_box_append (GTK_LIST_BOX (list), entry_row (zz_row_get (p, "name"), sub->str));
    }
  gtk_box_append (self->case_content, list);

  /* The tier rule, said plainly. */
  verdict = zz_store_case_tier_state (self->store, self->case_id, &level, &n_attempts, &max);
  if (level < ZZ_N_LEVELS && zz_case_status_is_open (zz_row_get (c, "status")))
    {
      g_autofree char *text = NULL;
      if (max > 0 && verdict == ZZ_TIER_LIMIT_REACHED)
        text = g_strdup_printf (_("%s mediation: %d of %d attempts made. The limit is reached: escalate the case."),
                                zz_vocab_name (zz_case_levels, zz_case_level_to_string (level)), n_attempts, max);
      else if (max > 0)
        text = g_strdup_printf (_("%s mediation: %d of %d attempts made."),
                                zz_vocab_name (zz_case_levels, zz_case_level_to_string (level)), n_attempts, max);
      else
        text = g_strdup_printf (_("%s mediation: %d attempts made."),
                                zz_vocab_name (zz_case_levels, zz_case_level_to_string (level)), n_attempts);
      {
        GtkWidget *l = label_new (text, verdict == ZZ_TIER_LIMIT_REACHED ? "warning" : "dim-label");
        gtk_widget_set_name (l, "tier-state");
        gtk_box_append (self->case_content, l);
      }
    }

  /* What can be done now. */
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  {
    struct { const char *label, *action, *name; ZzPermission perm; } b[] = {
      { N_("_Dispatch…"), "cases.dispatch", "dispatch", ZZ_PERM_DISPATCH_CASE },
      { N_("_Mediate…"), "cases.mediate", "mediate", ZZ_PERM_MEDIATE },
      { N_("_Escalate…"), "cases.escalate", "escalate", ZZ_PERM_MEDIATE },
      { N_("_Supervise…"), "cases.supervise", "supervise", ZZ_PERM_SUPERVISE },
      { N_("_Whistle…"), "cases.whistle", "whistle", ZZ_PERM_WHISTLE },
      { N_("C_onclude…"), "cases.conclude", "conclude", ZZ_PERM_CONCLUDE_CASE },
      { N_("_Feedback…"), "cases.feedback", "feedback", ZZ_PERM_FOLLOW_UP_CASE },
      { N_("_Return Visit…"), "cases.return-visit", "return-visit", ZZ_PERM_FOLLOW_UP_CASE },
      { N_("_Archive…"), "cases.archive", "archive", ZZ_PERM_CONCLUDE_CASE },
    };
    guint shown = 0;

    /* Only what the role may ever do; the rest would be buttons that never work. */
    for (guint i = 0; i < G_N_ELEMENTS (b); i++)
      if (zz_store_can (self->store, b[i].perm))
        {
          gtk_flow_box_append (GTK_FLOW_BOX (flow), action_button (_(b[i].label), b[i].action, NULL, b[i].name));
          shown++;
        }
    if (shown < G_N_ELEMENTS (b))
      {
        /* Translators: %s is the role, e.g. 导引台工作人员 */
        g_autofree char *why = g_strdup_printf (_("As %s you see the steps your role takes; mediators and supervisors take the others."),
                                                zz_role_display_name (zz_store_get_role (self->store)));
        GtkWidget *note = gtk_label_new (why);
        gtk_widget_set_name (note, "case-actions-note");
        gtk_label_set_wrap (GTK_LABEL (note), TRUE);
        gtk_label_set_xalign (GTK_LABEL (note), 0);
        gtk_widget_add_css_class (note, "dim-label");
        gtk_box_append (self->case_content, note);
      }
  }
  gtk_box_append (self->case_content, flow);

  /* Timeline, mediation log, deadlines. */
  tabs = gtk_stack_new ();
  gtk_widget_set_name (tabs, "case-tabs");
  switcher = gtk_stack_switcher_new ();
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (tabs));
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  gtk_box_append (self->case_main, switcher);
  {
    GtkWidget *scroll = gtk_scrolled_window_new ();
    gtk_widget_set_vexpand (scroll, TRUE);
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), tabs);
    gtk_box_append (self->case_main, scroll);
  }

  timeline = zz_store_case_timeline (self->store, self->case_id);
  list = list_box ("case-timeline");
  for (guint i = 0; i < g_list_model_get_n_items (timeline); i++)
    {
      g_autoptr(ZzRow) e = g_list_model_get_item (timeline, i);
      g_autofree char *text = zz_case_timeline_text (e);
      g_autofree char *when = zz_gui_format_time (zz_row_get_int (e, "at"), "%Y-%m-%d %H:%M");
      g_autofree char *sub = zz_row_get (e, "author") ? g_strdup_printf ("%s · %s", when, zz_row_get (e, "author"))
                                                      : g_strdup (when);
      gtk_list_box_append (GTK_LIST_BOX (list), entry_row (text, sub));
    }
  gtk_stack_add_titled (GTK_STACK (tabs), list, "timeline", _("Timeline"));

  attempts = zz_store_case_attempts (self->store, self->case_id);
  list = list_box ("case-attempts");
  for (guint i = 0; i < g_list_model_get_n_items (attempts); i++)
    {
      g_autoptr(ZzRow) a = g_list_model_get_item (attempts, i);
      g_autofree char *when = zz_gui_format_time (zz_row_get_int (a, "held_at"), "%Y-%m-%d");
      g_autofree char *head = g_strdup_printf (zz_row_get (a, "amends") ? _("Correction: %s no. %lld · %s · %s")
                                                                         : _("%s no. %lld · %s · %s"),
                                               zz_vocab_name (zz_case_levels, zz_row_get (a, "level")),
                                               (long long) zz_row_get_int (a, "number"), when,
                                               zz_vocab_name (zz_mediation_results, zz_row_get (a, "result")));
      g_autoptr(GString) sub = g_string_new (NULL);
      GtkWidget *r;

      g_string_append_printf (sub, _("%s, %s. Mediators: %s."), zz_vocab_name (zz_mediation_methods, zz_row_get (a, "method")),
                              zz_row_get (a, "place"), zz_row_get (a, "mediators"));
      if (zz_row_get (a, "departments"))
        g_string_append_printf (sub, _(" Departments: %s."), zz_row_get (a, "departments"));
      if (zz_row_get (a, "parties_present"))
        g_string_append_printf (sub, _(" Present: %s."), zz_row_get (a, "parties_present"));
      if (zz_row_get (a, "terms"))
        g_string_append_printf (sub, _(" Terms: %s"), zz_row_get (a, "terms"));
      if (zz_row_get (a, "notes"))
        g_string_append_printf (sub, " %s", zz_row_get (a, "notes"));
      r = entry_row (head, sub->str);
      if (!zz_row_get (a, "amends") && zz_store_can (self->store, ZZ_PERM_MEDIATE))
        {
          GtkWidget *fix = action_button (_("Co_rrect…"), "cases.correct", zz_row_get_id (a), "correct");
          gtk_widget_set_valign (fix, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), fix);
        }
      if (g_strcmp0 (zz_row_get (a, "result"), "failed") != 0)
        {
          GtkWidget *pdf = action_button (_("A_greement PDF…"), "cases.agreement", zz_row_get_id (a), "agreement");
          GtkWidget *ful = action_button (_("F_ulfilment…"), "cases.fulfil", zz_row_get_id (a), "fulfil");
          gtk_widget_set_valign (pdf, GTK_ALIGN_CENTER);
          GtkWidget *print = action_button (_("_Print…"), "cases.print-agreement", zz_row_get_id (a), "print-agreement");
          gtk_widget_set_valign (ful, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (print, _("Print the mediation agreement"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), ful);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), pdf);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), print);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), r);
    }
  if (g_list_model_get_n_items (attempts) == 0)
    gtk_list_box_append (GTK_LIST_BOX (list), entry_row (_("No mediation yet"), NULL));
  gtk_stack_add_titled (GTK_STACK (tabs), list, "mediation", _("Mediation Log"));

  dispatches = zz_store_case_dispatches (self->store, self->case_id);
  whistles = zz_store_case_whistles (self->store, self->case_id);
  list = list_box ("case-deadlines");
  {
    g_autofree char *deadline = deadline_text (self->store, zz_row_get_int (c, "deadline_at"), zz_row_get (c, "status"));
    g_autofree char *head = g_strdup_printf (_("Case deadline: %s"), deadline);
    g_autofree char *sub = g_strdup_printf (_("Held by %s; first responder %s"),
                                            zz_row_get (c, "holder") ? zz_row_get (c, "holder")
                                            : zz_vocab_name (zz_case_levels, zz_row_get (c, "level")),
                                            zz_row_get (c, "first_responder"));
    gtk_list_box_append (GTK_LIST_BOX (list), entry_row (head, sub));
  }
  for (guint i = 0; i < g_list_model_get_n_items (dispatches); i++)
    {
      g_autoptr(ZzRow) d = g_list_model_get_item (dispatches, i);
      const char *to = zz_row_get (d, "department") ? zz_row_get (d, "department") : zz_vocab_name (zz_case_levels, zz_row_get (d, "to_level"));
      g_autofree char *due = zz_gui_format_time (zz_row_get_int (d, "deadline_at"), "%Y-%m-%d");
      g_autofree char *head = g_strdup_printf (_("Dispatched to %s, due %s"), to, due);
      const char *st = zz_row_get (d, "status");
      g_autofree char *sub = g_strdup_printf ("%s · %s", zz_row_get (d, "dispatcher"),
                                              g_strcmp0 (st, "pending") == 0 ? _("waiting for an answer")
                                              : g_strcmp0 (st, "accepted") == 0 ? _("accepted") : _("returned"));
      GtkWidget *r = entry_row (head, sub);
      if (g_strcmp0 (st, "pending") == 0)
        {
          GtkWidget *acc = action_button (_("Acce_pt"), "cases.accept", zz_row_get_id (d), "accept");
          GtkWidget *ret = action_button (_("Re_turn…"), "cases.return", zz_row_get_id (d), "return");
          gtk_widget_set_valign (acc, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (ret, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), ret);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), acc);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), r);
    }
  for (guint i = 0; i < g_list_model_get_n_items (whistles); i++)
    {
      g_autoptr(ZzRow) w = g_list_model_get_item (whistles, i);
      g_autofree char *ack = zz_gui_format_time (zz_row_get_int (w, "acknowledged_at"), "%m-%d %H:%M");
      g_autofree char *arr = zz_gui_format_time (zz_row_get_int (w, "arrived_at"), "%m-%d %H:%M");
      g_autofree char *head = g_strdup_printf (_("Summoned: %s"), zz_row_get (w, "department"));
      g_autofree char *sub = g_strdup_printf (_("Acknowledged %s · arrived %s"), ack, arr);
      g_autofree char *target = g_strdup_printf ("%s|%s", zz_row_get (w, "whistle_id"), zz_row_get (w, "department_id"));
      g_autofree char *target2 = g_strdup_printf ("%s|%s|arrived", zz_row_get (w, "whistle_id"), zz_row_get (w, "department_id"));
      GtkWidget *r = entry_row (head, sub);
      if (!zz_row_get (w, "acknowledged_at"))
        {
          g_autofree char *t = g_strdup_printf ("%s|acknowledged", target);
          GtkWidget *b = action_button (_("Ac_knowledged"), "cases.report", t, "acknowledged");
          gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), b);
        }
      if (!zz_row_get (w, "arrived_at"))
        {
          GtkWidget *b = action_button (_("A_rrived"), "cases.report", target2, "arrived");
          gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (r), b);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), r);
    }
  gtk_stack_add_titled (GTK_STACK (tabs), list, "deadlines", _("Deadlines and Summons"));
}

void
zz_cases_view_open_case (ZzCasesView *self, const char *case_id)
{
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  render_case (self);
  gtk_stack_set_visible_child_name (self->pages, "case");
}

static void
on_activate_cb (GtkColumnView *view, guint position, ZzCasesView *self)
{
  g_autoptr(ZzRow) row = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (row)
    zz_cases_view_open_case (self, zz_row_get_id (row));
}

static gboolean
refresh_cb (gpointer data)
{
  ZzCasesView *self = data;

  self->refresh_source = 0;
  if (self->list)
    zz_case_list_refresh (self->list);
  if (self->case_id && g_str_equal (gtk_stack_get_visible_child_name (self->pages), "case"))
    render_case (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (ZzStore *store, const char *table, ZzCasesView *self)
{
  if (g_strcmp0 (table, "case_category") == 0)
    load_categories (self);
  if (!self->refresh_source)
    self->refresh_source = g_idle_add (refresh_cb, self);
}

/* ---- forms ---- */

typedef struct {
  ZzCasesView *view;
  char *id;
  char *extra;
  ZzVocab *targets;     /* dispatch targets, owned */
  guint n_targets;
  char **target_names;
  char *person_id;
  char *home;
  gboolean confirmed;   /* duplicates seen and accepted */
  GtkListBox *matches;
  GtkListBox *unit_matches;
  ZzCaseForm *form;
  guint n_extra;        /* further parties added to the intake form */
  char *household_id;   /* intake from a risk household */
} FormData;

static void
form_data_free (gpointer p)
{
  FormData *d = p;

  g_free (d->id);
  g_free (d->extra);
  g_free (d->targets);
  g_strfreev (d->target_names);
  g_free (d->person_id);
  g_free (d->home);
  g_free (d->household_id);
  g_free (d);
}

static FormData *
form_data (ZzCasesView *self, const char *id)
{
  FormData *d = g_new0 (FormData, 1);

  d->view = self;
  d->id = g_strdup (id);
  return d;
}

static gboolean
done (FormData *d, gboolean ok, const char *message)
{
  if (ok && message)
    zz_gui_toast (GTK_WIDGET (d->view), message);
  /* Show the new state at once: what may be done next depends on it. */
  if (ok && d->view->case_id)
    render_case (d->view);
  return ok;
}

/* dispatch */
static gboolean
submit_dispatch (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  const char *to = zz_case_form_get (f, "to");
  const char *days_text = zz_case_form_get (f, "days");
  gint64 days = g_ascii_strtoll (days_text, NULL, 10);
  gint64 deadline;

  if (days < 1 || days > 365)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Enter the days to handle it, 1 to 365."));
      return FALSE;
    }
  deadline = zz_deadline_after_days (zz_store_now (d->view->store), (int) days, zz_local_zone ());
  if (g_str_has_prefix (to, "dep:"))
    return done (d, zz_store_dispatch_case (d->view->store, d->id, to + 4, NULL, deadline,
                                            zz_case_form_get (f, "note"), NULL, error), _("Dispatched"));
  return done (d, zz_store_dispatch_case (d->view->store, d->id, NULL, to + 6, deadline,
                                          zz_case_form_get (f, "note"), NULL, error), _("Dispatched"));
}

static void
dispatch_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_autoptr(ZzRow) c = zz_store_get_case (self->store, self->case_id);
  g_autoptr(GListModel) deps = zz_store_list_departments (self->store);
  FormData *d = form_data (self, self->case_id);
  GPtrArray *names = g_ptr_array_new ();
  guint nl, k = 0;
  const ZzVocab *levels = zz_case_levels (&nl);
  g_autofree char *days = NULL;
  ZzCaseForm *f;

  if (!c)
    return form_data_free (d);
  d->targets = g_new0 (ZzVocab, g_list_model_get_n_items (deps) + nl);
  for (guint i = 0; i < g_list_model_get_n_items (deps); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (deps, i);
      if (zz_row_get_int (r, "retired"))
        continue;
      g_ptr_array_add (names, g_strconcat ("dep:", zz_row_get_id (r), NULL));
      g_ptr_array_add (names, g_strdup (zz_row_get (r, "name")));
    }
  for (guint i = 0; i < nl; i++)
    {
      g_ptr_array_add (names, g_strconcat ("level:", levels[i].key, NULL));
      g_ptr_array_add (names, g_strdup_printf (_("%s level"), _(levels[i].name)));
    }
  g_ptr_array_add (names, NULL);
  d->target_names = (char **) g_ptr_array_free (names, FALSE);
  for (guint i = 0; d->target_names[i]; i += 2, k++)
    d->targets[k] = (ZzVocab) { d->target_names[i], d->target_names[i + 1] };
  d->n_targets = k;
  days = g_strdup_printf ("%d", zz_store_deadline_days (self->store, zz_row_get (c, "category"), zz_row_get (c, "urgency")));
  f = zz_case_form_new (w, "dispatch-form", _("Dispatch Case"), _("_Dispatch"), submit_dispatch, d, form_data_free);
  zz_case_form_add_combo (f, "to", _("_To"), d->targets, d->n_targets, NULL);
  zz_case_form_add_entry (f, "days", _("Days to _handle it"), days);
  zz_case_form_add_text (f, "note", _("_Instructions"), NULL);
  zz_case_form_present (f);
}

static void
accept_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_autoptr(GError) error = NULL;

  if (!zz_store_accept_dispatch (self->store, g_variant_get_string (param, NULL), &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    {
      zz_gui_toast (GTK_WIDGET (self), _("Accepted"));
      render_case (self);
    }
}

static gboolean
submit_return (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_return_dispatch (d->view->store, d->id, zz_case_form_get (f, "reason"), error), _("Returned"));
}

static void
return_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCaseForm *f = zz_case_form_new (w, "return-form", _("Return Dispatched Case"), _("_Return"), submit_return,
                                    form_data (ZZ_CASES_VIEW (w), g_variant_get_string (param, NULL)), form_data_free);
  zz_case_form_add_text (f, "reason", _("Rea_son"), NULL);
  zz_case_form_present (f);
}

/* mediation, and escalation when the level's attempts are used up */
static gboolean
submit_escalate (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_escalate_case (d->view->store, d->id, zz_case_form_get (f, "reason"), error), _("Escalated"));
}

static void
open_escalation (ZzCasesView *self, const char *why)
{
  g_autofree char *summary = zz_store_escalation_summary (self->store, self->case_id);
  g_autoptr(ZzRow) c = zz_store_get_case (self->store, self->case_id);
  ZzCaseLevel next = zz_tier_next_level (zz_case_level_from_string (zz_row_get (c, "level")));
  g_autofree char *title = next < ZZ_N_LEVELS ? g_strdup_printf (_("Escalate to the %s"), zz_vocab_name (zz_case_levels, zz_case_level_to_string (next)))
                                              : g_strdup (_("Escalate"));
  g_autofree char *note = g_strdup_printf (_("Attempts so far: %s"), summary);
  ZzCaseForm *f = zz_case_form_new (GTK_WIDGET (self), "escalate-form", title, _("_Escalate"), submit_escalate,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_note (f, note);
  if (why)
    zz_case_form_add_note (f, why);
  zz_case_form_add_entry (f, "reason", _("_Reason"), NULL);
  zz_case_form_present (f);
}

static void
escalate_action (GtkWidget *w, const char *name, GVariant *param)
{
  open_escalation (ZZ_CASES_VIEW (w), NULL);
}

static char *
day_string (gint64 unix_ms)
{
  return zz_store_day_of (unix_ms);
}

/* When a mediation held on @day is recorded: now for today; noon for a day before, or just after
 * the registration when the case was registered that afternoon. */
static gint64
held_at_for_day (ZzStore *store, const GDate *day, gint64 registered_at)
{
  gint64 now = zz_store_now (store);
  g_autofree char *today = day_string (now);
  char text[16];
  g_autoptr(GDateTime) noon = NULL;
  gint64 at;

  g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (day), g_date_get_month (day), g_date_get_day (day));
  if (g_str_equal (text, today))
    return 0;
  noon = g_date_time_new (zz_local_zone (), g_date_get_year (day), g_date_get_month (day), g_date_get_day (day), 12, 0, 0);
  at = g_date_time_to_unix (noon) * 1000;
  if (at < registered_at)
    {
      g_autofree char *reg_day = day_string (registered_at);
      if (g_str_equal (reg_day, text))
        at = registered_at + 60 * 1000;
    }
  return at;
}

static gboolean
mediation_error (ZzCaseForm *f, const char *key, const char *message, GError **error)
{
  zz_case_form_set_error_field (f, key);
  g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
submit_mediation (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  g_auto(GStrv) deps = zz_case_form_get_checked (f, "departments");
  g_autofree char *place = g_strstrip (g_strdup (zz_case_form_get (f, "place")));
  g_autofree char *mediators = g_strstrip (g_strdup (zz_case_form_get (f, "mediators")));
  g_autofree char *present = g_strdup (zz_case_form_get (f, "present"));
  g_autofree char *method = g_strdup (zz_case_form_get (f, "method"));
  g_autofree char *result = g_strdup (zz_case_form_get (f, "result"));
  g_autofree char *terms = g_strstrip (g_strdup (zz_case_form_get (f, "terms")));
  g_autofree char *notes = g_strdup (zz_case_form_get (f, "notes"));
  g_autoptr(ZzRow) c = zz_store_get_case (d->view->store, d->id);
  gint64 registered_at = c ? zz_row_get_int (c, "registered_at") : 0;
  g_autofree char *today = day_string (zz_store_now (d->view->store));
  g_autofree char *reg_day = day_string (registered_at);
  char day_text[16];
  GDate day;

  /* Each check names its field, so that the error shows under it; the store checks again. */
  {
    g_autoptr(GError) bad_day = NULL;
    if (!zz_date_parse (zz_case_form_get (f, "date"), &day, &bad_day))
      return mediation_error (f, "date", bad_day->message, error);
  }
  g_snprintf (day_text, sizeof day_text, "%04d-%02d-%02d", g_date_get_year (&day), g_date_get_month (&day),
              g_date_get_day (&day));
  if (strcmp (day_text, today) > 0)
    return mediation_error (f, "date", _("A mediation cannot be recorded before it is held."), error);
  if (strcmp (day_text, reg_day) < 0)
    {
      g_autofree char *m = g_strdup_printf (_("The mediation’s date (%s) is before the case was registered (%s)."),
                                            day_text, reg_day);
      return mediation_error (f, "date", m, error);
    }
  if (!*place)
    return mediation_error (f, "place", _("Enter where the mediation was held."), error);
  if (!*mediators)
    return mediation_error (f, "mediators", _("Enter the mediators."), error);
  if (g_strcmp0 (result, "failed") != 0 && !*terms)
    return mediation_error (f, "terms", _("Write down the agreed terms."), error);
  {
    ZzAttemptInput in = {
      .case_id = d->id,
      .held_at = held_at_for_day (d->view->store, &day, registered_at),
      .place = place,
      .mediators = mediators,
      .parties_present = present,
      .method = method,
      .department_ids = (const char * const *) deps,
      .result = result,
      .terms = terms,
      .notes = notes,
      .amends = d->extra,
    };
    return done (d, zz_store_record_mediation (d->view->store, &in, NULL, error), _("Mediation recorded"));
  }
}

static void
mediate_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  ZzCaseLevel level;
  int n, max;
  ZzTierVerdict v = zz_store_case_tier_state (self->store, self->case_id, &level, &n, &max);
  g_autofree char *title = NULL;
  ZzCaseForm *f;
  guint nm, nr;
  const ZzVocab *methods = zz_mediation_methods (&nm);
  const ZzVocab *results = zz_mediation_results (&nr);

  if (v == ZZ_TIER_LIMIT_REACHED)
    {
      /* The rule, not a failure: offer the next level with what was tried. */
      g_autofree char *why = g_strdup_printf (ngettext ("The %s has mediated this case %d time, its limit. A further attempt belongs to the next level.",
                                                        "The %s has mediated this case %d times, its limit. A further attempt belongs to the next level.", n),
                                              zz_vocab_name (zz_case_levels, zz_case_level_to_string (level)), n);
      open_escalation (self, why);
      return;
    }
  title = g_strdup_printf (_("%s Mediation No. %d"), zz_vocab_name (zz_case_levels, zz_case_level_to_string (level)), n + 1);
  f = zz_case_form_new (w, "mediation-form", title, _("_Record"), submit_mediation, form_data (self, self->case_id),
                        form_data_free);
  if (max > 0)
    {
      g_autofree char *note = g_strdup_printf (_("Attempt %d of at most %d at this level."), n + 1, max);
      zz_case_form_add_note (f, note);
    }
  {
    g_autofree char *today = day_string (zz_store_now (self->store));
    GtkWidget *date = zz_case_form_add_entry (f, "date", _("Date _held"), today);
    gtk_widget_set_tooltip_text (date, _("The day the mediation was held: 2026-12-02, 2026/12/2 or 2026年12月2日."));
  }
  zz_case_form_add_combo (f, "method", _("_Method"), methods, nm, level == ZZ_LEVEL_COUNTY ? "joint" : "on_site");
  zz_case_form_add_entry (f, "place", _("_Place"), NULL);
  zz_case_form_add_entry (f, "mediators", _("Me_diators"), zz_store_get_user_name (self->store));
  zz_case_form_add_entry (f, "present", _("Parties pr_esent"), NULL);
  zz_case_form_add_combo (f, "result", _("Res_ult"), results, nr, "failed");
  if (level >= ZZ_LEVEL_COUNTY)
    {
      g_autoptr(GListModel) deps = zz_store_list_departments (self->store);
      zz_case_form_add_checks (f, "departments", _("Departments in the joint consultation"), deps, "name");
    }
  zz_case_form_add_text (f, "terms", _("Agreed _terms"), NULL);
  zz_case_form_add_text (f, "notes", _("_Notes"), NULL);
  zz_case_form_present (f);
}

/* A correction is a new record that amends the attempt; the attempt itself never changes. */
static void
correct_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_autoptr(ZzRow) a = zz_store_get_attempt (self->store, g_variant_get_string (param, NULL));
  FormData *d;
  ZzCaseForm *f;
  g_autofree char *title = NULL;
  guint nm, nr;
  const ZzVocab *methods = zz_mediation_methods (&nm);
  const ZzVocab *results = zz_mediation_results (&nr);

  if (!a)
    return;
  d = form_data (self, zz_row_get (a, "case_id"));
  d->extra = g_strdup (zz_row_get_id (a));
  title = g_strdup_printf (_("Correct %s Mediation No. %lld"), zz_vocab_name (zz_case_levels, zz_row_get (a, "level")),
                           (long long) zz_row_get_int (a, "number"));
  f = zz_case_form_new (w, "correction-form", title, _("_Record Correction"), submit_mediation, d, form_data_free);
  zz_case_form_add_note (f, _("The record stays as it was; the correction is kept beside it and shown as such."));
  {
    g_autofree char *held = day_string (zz_row_get_int (a, "held_at"));
    zz_case_form_add_entry (f, "date", _("Date _held"), held);
  }
  zz_case_form_add_combo (f, "method", _("_Method"), methods, nm, zz_row_get (a, "method"));
  zz_case_form_add_entry (f, "place", _("_Place"), zz_row_get (a, "place"));
  zz_case_form_add_entry (f, "mediators", _("Me_diators"), zz_row_get (a, "mediators"));
  zz_case_form_add_entry (f, "present", _("Parties pr_esent"), zz_row_get (a, "parties_present"));
  zz_case_form_add_combo (f, "result", _("Res_ult"), results, nr, zz_row_get (a, "result"));
  zz_case_form_add_text (f, "terms", _("Agreed _terms"), zz_row_get (a, "terms"));
  zz_case_form_add_text (f, "notes", _("_Notes"), zz_row_get (a, "notes"));
  zz_case_form_present (f);
}

static gboolean
submit_fulfil (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_record_fulfilment (d->view->store, d->id, zz_case_form_get (f, "fulfilled"),
                                              zz_case_form_get (f, "note"), error), _("Fulfilment recorded"));
}

static const ZzVocab fulfilments[] = {
  { "full", N_("Fulfilled") },
  { "partial", N_("Partly fulfilled") },
  { "not", N_("Not fulfilled") },
};

static void
fulfil_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCaseForm *f = zz_case_form_new (w, "fulfil-form", _("Agreement Fulfilment"), _("_Record"), submit_fulfil,
                                    form_data (ZZ_CASES_VIEW (w), g_variant_get_string (param, NULL)), form_data_free);
  zz_case_form_add_combo (f, "fulfilled", _("_Fulfilment"), fulfilments, G_N_ELEMENTS (fulfilments), "full");
  zz_case_form_add_entry (f, "note", _("_Note"), NULL);
  zz_case_form_present (f);
}

gboolean
zz_cases_view_save_agreement (ZzCasesView *self, const char *attempt_id, const char *path, GError **error)
{
  return zz_agreement_write_pdf (self->store, attempt_id, path, error);
}

static void
on_agreement_response_cb (GtkNativeDialog *dialog, int response, gpointer data)
{
  FormData *d = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      zz_file_chooser_remember_folder (path);
      if (!path || !zz_cases_view_save_agreement (d->view, d->id, path, &error))
        {
          if (error)
            zz_gui_error (GTK_WIDGET (d->view), error);
        }
      else
        {
          g_autofree char *uri = g_file_get_uri (file);
          zz_gui_toast (GTK_WIDGET (d->view), _("Agreement saved"));
          g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
        }
    }
  form_data_free (d);
  g_object_unref (dialog);
}

gboolean
zz_cases_view_print_agreement (ZzCasesView *self, const char *attempt_id, const char *export_path, GError **error)
{
  return zz_agreement_print (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->store, attempt_id,
                             export_path, error);
}

static void
print_agreement_action (GtkWidget *w, const char *name, GVariant *param)
{
  g_autoptr(GError) error = NULL;

  if (!zz_cases_view_print_agreement (ZZ_CASES_VIEW (w), g_variant_get_string (param, NULL), NULL, &error))
    zz_gui_error (w, error);
}

static void
agreement_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_autoptr(ZzRow) c = zz_store_get_case (self->store, self->case_id);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Save Mediation Agreement"),
                                                              GTK_WINDOW (gtk_widget_get_root (w)),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  g_autofree char *file = g_strdup_printf ("%s.pdf", c ? zz_row_get (c, "number") : "agreement");

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* The folder comes before the name: setting a folder clears the name typed so far. */
  zz_file_chooser_start_in_last_folder (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file);
  g_signal_connect (dialog, "response", G_CALLBACK (on_agreement_response_cb),
                    form_data (self, g_variant_get_string (param, NULL)));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- the list's export ---- */

static ZzTable *
export_chunk (gpointer data, GError **error)
{
  return zz_case_export_next (data, 2000, error);
}

gboolean
zz_cases_view_export_list (ZzCasesView *self, const char *path, guint64 *n_written, GError **error)
{
  g_autoptr(ZzCaseExport) exp = zz_case_export_new (self->list);
  ZzExportAbout about = { 0 };
  ZzExportFormat format = zz_export_format_from_path (path);

  if (format != ZZ_EXPORT_XLSX && format != ZZ_EXPORT_CSV)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                           _("The file name must end in .xlsx (Excel) or .csv."));
      return FALSE;
    }
  about.title = _("Case list");
  about.scope = zz_store_get_centre_name (self->store);
  about.generated_at = zz_store_now (self->store);
  about.note = gtk_label_get_text (self->count_label);
  return zz_export_stream (path, export_chunk, exp, zz_case_export_get_total (exp), &about,
                           NULL, NULL, NULL, n_written, error);
}

static void
on_export_list_response_cb (GtkNativeDialog *dialog, int response, gpointer data)
{
  ZzCasesView *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      /* The file chooser's filter decides the kind when the name does not say it. */
      g_autofree char *path = zz_save_dialog_get_path (dialog);
      g_autoptr(GError) error = NULL;
      guint64 n = 0;

      if (!path || !zz_cases_view_export_list (self, path, &n, &error))
        {
          if (error)
            zz_gui_error (GTK_WIDGET (self), error);
        }
      else
        {
          g_autofree char *msg = g_strdup_printf (ngettext ("%lld case exported", "%lld cases exported",
                                                            (gulong) MIN (n, G_MAXULONG)),
                                                  (long long) n);
          zz_gui_toast (GTK_WIDGET (self), msg);
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_list_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  static const char *suffixes[] = { "xlsx", "csv", NULL };
  GtkFileChooserNative *dialog;

  if (!self->list)
    return;
  /* TRANSLATORS: the suggested file name of an exported case list */
  dialog = zz_save_dialog_new (w, _("Export the Case List"), _("_Export"), _("Cases.xlsx"), suffixes);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_list_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* supervision and the whistle */
static gboolean
submit_supervise (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_add_supervision_note (d->view->store, d->id, zz_case_form_get (f, "note"), error),
               _("Supervision note added"));
}

static void
supervise_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCaseForm *f = zz_case_form_new (w, "supervise-form", _("Supervision Note"), _("_Add"), submit_supervise,
                                    form_data (ZZ_CASES_VIEW (w), ZZ_CASES_VIEW (w)->case_id), form_data_free);
  zz_case_form_add_text (f, "note", _("_Note"), NULL);
  zz_case_form_present (f);
}

static gboolean
submit_whistle (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  g_auto(GStrv) deps = zz_case_form_get_checked (f, "departments");
  return done (d, zz_store_blow_whistle (d->view->store, d->id, (const char * const *) deps,
                                        zz_case_form_get (f, "note"), NULL, error), _("Departments summoned"));
}

static void
whistle_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_autoptr(GListModel) deps = zz_store_list_departments (self->store);
  ZzCaseForm *f = zz_case_form_new (w, "whistle-form", _("Blow the Whistle"), _("_Summon"), submit_whistle,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_note (f, _("The centre summons departments to this case; record each one’s acknowledgement and arrival."));
  zz_case_form_add_checks (f, "departments", _("Departments"), deps, "name");
  zz_case_form_add_entry (f, "note", _("_When and where"), NULL);
  zz_case_form_present (f);
}

static void
report_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (param, NULL), "|", 3);
  g_autoptr(GError) error = NULL;

  if (g_strv_length (parts) != 3)
    return;
  if (!zz_store_whistle_report (self->store, parts[0], parts[1], parts[2], &error))
    zz_gui_error (GTK_WIDGET (self), error);
  else
    render_case (self);
}

/* conclusion and follow-up */
static gboolean
submit_conclude (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_conclude_case (d->view->store, d->id, zz_case_form_get (f, "outcome"), error), _("Concluded"));
}

static void
conclude_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  ZzCaseForm *f = zz_case_form_new (w, "conclude-form", _("Conclude Case"), _("C_onclude"), submit_conclude,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_note (f, _("The case is recorded as resolved at its current level."));
  zz_case_form_add_text (f, "outcome", _("Ou_tcome"), NULL);
  zz_case_form_present (f);
}

static gboolean
submit_feedback (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_record_feedback (d->view->store, d->id, zz_case_form_get (f, "feedback"), error),
               _("Feedback recorded"));
}

static void
feedback_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  ZzCaseForm *f = zz_case_form_new (w, "feedback-form", _("Feedback to the Parties"), _("_Save"), submit_feedback,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_text (f, "feedback", _("What the parties were _told"), NULL);
  zz_case_form_present (f);
}

static gboolean
submit_return_visit (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_record_return_visit (d->view->store, d->id, zz_case_form_get (f, "satisfaction"),
                                                zz_case_form_get (f, "notes"), error), _("Return visit recorded"));
}

static void
return_visit_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  guint n;
  const ZzVocab *s = zz_satisfactions (&n);
  ZzCaseForm *f = zz_case_form_new (w, "return-visit-form", _("Return Visit"), _("_Save"), submit_return_visit,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_note (f, _("“Dissatisfied” reopens the case for review."));
  zz_case_form_add_combo (f, "satisfaction", _("Sa_tisfaction"), s, n, "satisfied");
  zz_case_form_add_text (f, "notes", _("_Notes"), NULL);
  zz_case_form_present (f);
}

static gboolean
submit_archive (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  return done (d, zz_store_archive_case (d->view->store, d->id, error), _("Archived"));
}

static void
archive_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);
  ZzCaseForm *f = zz_case_form_new (w, "archive-form", _("Archive Case"), _("_Archive"), submit_archive,
                                    form_data (self, self->case_id), form_data_free);
  zz_case_form_add_note (f, _("An archived case can still be read and found, but no longer changed."));
  zz_case_form_present (f);
}

/* ---- intake ---- */

static void
pick_person_cb (GtkListBox *box, GtkListBoxRow *row, FormData *d)
{
  ZzRow *p = g_object_get_data (G_OBJECT (row), "zz-person");
  g_free (d->person_id);
  d->person_id = g_strdup (zz_row_get_id (p));
  gtk_widget_set_visible (GTK_WIDGET (box), FALSE);
  zz_gui_toast (GTK_WIDGET (d->view), zz_row_get (p, "name"));
}

static void
pick_unit_cb (GtkListBox *box, GtkListBoxRow *row, FormData *d)
{
  ZzRow *u = g_object_get_data (G_OBJECT (row), "zz-unit");
  GtkWidget *entry = g_object_get_data (G_OBJECT (box), "zz-entry");

  g_free (d->home);
  d->home = g_strdup (zz_row_get (u, "code"));
  g_object_set_data (G_OBJECT (entry), "zz-programmatic", GINT_TO_POINTER (1));
  gtk_editable_set_text (GTK_EDITABLE (entry), zz_row_get (u, "name"));
  g_object_set_data (G_OBJECT (entry), "zz-programmatic", NULL);
  gtk_widget_set_visible (GTK_WIDGET (box), FALSE);
}

static void
clear_list (GtkListBox *box)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_list_box_remove (box, c);
}

static void
on_unit_changed_cb (GtkEditable *entry, FormData *d)
{
  g_autoptr(GListModel) units = NULL;
  const char *q = gtk_editable_get_text (entry);

  if (g_object_get_data (G_OBJECT (entry), "zz-programmatic"))
    return;
  g_clear_pointer (&d->home, g_free);
  clear_list (d->unit_matches);
  units = g_utf8_strlen (q, -1) >= 2 ? zz_store_search_org_units (d->view->store, q, 8) : NULL;
  for (guint i = 0; units && i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr(ZzRow) u = g_list_model_get_item (units, i);
      GtkWidget *row = entry_row (zz_row_get (u, "name"), zz_row_get (u, "path"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "zz-unit", g_object_ref (u), g_object_unref);
      gtk_list_box_append (d->unit_matches, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (d->unit_matches), units && g_list_model_get_n_items (units) > 0);
}

static void
on_person_changed_cb (GtkEditable *entry, FormData *d)
{
  g_autoptr(GListModel) found = NULL;
  const char *q = gtk_editable_get_text (entry);

  clear_list (d->matches);
  found = g_utf8_strlen (q, -1) >= 2 ? zz_store_find_persons (d->view->store, q, 5) : NULL;
  for (guint i = 0; found && i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(ZzRow) p = g_list_model_get_item (found, i);
      g_autofree char *sub = g_strdup_printf ("%s · %s", zz_row_get (p, "phone") ? zz_row_get (p, "phone") : "",
                                              zz_row_get (p, "id_number") ? zz_row_get (p, "id_number") : "");
      g_autofree char *title = g_strdup_printf (_("Use %s on file"), zz_row_get (p, "name"));
      GtkWidget *row = entry_row (title, sub);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "zz-person", g_object_ref (p), g_object_unref);
      gtk_list_box_append (d->matches, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (d->matches), found && g_list_model_get_n_items (found) > 0);
}

/* The ethnic groups for a drop-down: "not recorded" first (stored as nothing). */
static const ZzVocab *
ethnicity_choices (guint *n)
{
  static ZzVocab *choices;
  static guint count;

  if (g_once_init_enter (&choices))
    {
      guint ne;
      const ZzVocab *names = zz_ethnicities (&ne);
      ZzVocab *v = g_new0 (ZzVocab, ne + 1);

      v[0] = (ZzVocab) { "", N_("Not recorded") };
      for (guint i = 0; i < ne; i++)
        v[i + 1] = names[i];
      count = ne + 1;
      g_once_init_leave (&choices, v);
    }
  *n = count;
  return choices;
}

static gboolean
submit_intake (ZzCaseForm *f, gpointer data, GError **error)
{
  FormData *d = data;
  ZzCasesView *self = d->view;
  g_autofree char *case_id = NULL;
  g_autofree char *a_name = g_strdup (zz_case_form_get (f, "a_name"));
  g_autofree char *a_phone = g_strdup (zz_case_form_get (f, "a_phone"));
  g_autofree char *a_id = g_strdup (zz_case_form_get (f, "a_id"));
  g_autofree char *r_name = g_strdup (zz_case_form_get (f, "r_name"));
  g_autofree char *r_phone = g_strdup (zz_case_form_get (f, "r_phone"));
  g_autofree char *r_org = g_strdup (zz_case_form_get (f, "r_org"));
  g_autofree char *a_ethnicity = g_strdup (zz_case_form_get (f, "a_ethnicity"));
  g_autofree char *a_address = g_strdup (zz_case_form_get (f, "a_address"));
  g_autofree char *r_ethnicity = g_strdup (zz_case_form_get (f, "r_ethnicity"));
  g_autofree char *r_address = g_strdup (zz_case_form_get (f, "r_address"));
  g_autofree char *summary = g_strdup (zz_case_form_get (f, "summary"));
  g_autofree char *details = g_strdup (zz_case_form_get (f, "details"));
  g_autofree char *ext = g_strdup (zz_case_form_get (f, "external_ref"));
  g_autofree char *unit = g_strdup (zz_case_form_get (f, "home"));
  g_autoptr(GArray) parties = g_array_new (FALSE, TRUE, sizeof (ZzPartyInput));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  ZzPartyInput applicant = { .role = "applicant", .person_id = d->person_id, .name = a_name, .phone = a_phone, .id_number = a_id,
                             .ethnicity = a_ethnicity, .address = a_address };
  ZzPartyInput respondent = { .role = "respondent", .name = r_name, .phone = r_phone, .org_name = r_org };
  ZzCaseInput in = {
    .visit_id = d->extra,
    .source = zz_case_form_get (f, "source"),
    .external_ref = ext,
    .category = NULL,
    .summary = summary,
    .details = details,
    .home = d->home,
    .risk = NULL,
    .urgency = NULL,
  };
  g_autofree char *source = g_strdup (zz_case_form_get (f, "source"));
  g_autofree char *category = g_strdup (zz_case_form_get (f, "category"));
  g_autofree char *risk = g_strdup (zz_case_form_get (f, "risk"));
  g_autofree char *urgency = g_strdup (zz_case_form_get (f, "urgency"));

  in.source = source;
  in.category = category;
  in.risk = risk;
  in.urgency = urgency;
  in.household_id = d->household_id;
  if (d->household_id)
    {
      /* The members ticked become applicants; the store reads their register entries. */
      g_auto(GStrv) members = zz_case_form_get_checked (f, "members");
      if (!members[0])
        {
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Tick at least one member of the household as applicant."));
          return FALSE;
        }
      for (guint i = 0; members[i]; i++)
        {
          ZzPartyInput m = { .role = "applicant", .phone = a_phone };
          g_ptr_array_add (texts, g_strdup (members[i]));
          m.member_id = texts->pdata[texts->len - 1];
          g_array_append_val (parties, m);
        }
    }
  else
    g_array_append_val (parties, applicant);
  if (*r_name || *r_org)
    {
      /* An organisation has no ethnicity or home address: what was chosen for a person is not
       * carried over to one. */
      if (!*r_org)
        {
          respondent.ethnicity = r_ethnicity;
          respondent.address = r_address;
        }
      g_array_append_val (parties, respondent);
    }
  for (guint i = 0; i < d->n_extra; i++)
    {
      g_autofree char *kr = g_strdup_printf ("p%u_role", i);
      g_autofree char *kn = g_strdup_printf ("p%u_name", i);
      g_autofree char *kp = g_strdup_printf ("p%u_phone", i);
      g_autofree char *ki = g_strdup_printf ("p%u_id", i);
      g_autofree char *ke = g_strdup_printf ("p%u_ethnicity", i);
      g_autofree char *ka = g_strdup_printf ("p%u_address", i);
      ZzPartyInput p = { 0 };
      char *name = g_strdup (zz_case_form_get (f, kn));

      g_ptr_array_add (texts, name);
      if (!*g_strstrip (name))
        continue;
      p.role = zz_case_form_get (f, kr);
      p.name = name;
      g_ptr_array_add (texts, g_strdup (zz_case_form_get (f, kp)));
      p.phone = texts->pdata[texts->len - 1];
      g_ptr_array_add (texts, g_strdup (zz_case_form_get (f, ki)));
      p.id_number = texts->pdata[texts->len - 1];
      g_ptr_array_add (texts, g_strdup (zz_case_form_get (f, ke)));
      p.ethnicity = texts->pdata[texts->len - 1];
      g_ptr_array_add (texts, g_strdup (zz_case_form_get (f, ka)));
      p.address = texts->pdata[texts->len - 1];
      g_array_append_val (parties, p);
    }
  in.parties = (const ZzPartyInput *) parties->data;
  in.n_parties = parties->len;
  /* A place typed in full without picking it from the matches. */
  if (!d->home && *unit)
    {
      g_autoptr(GListModel) units = zz_store_search_org_units (self->store, unit, 2);
      for (guint i = 0; i < g_list_model_get_n_items (units); i++)
        {
          g_autoptr(ZzRow) u = g_list_model_get_item (units, i);
          if (g_strcmp0 (zz_row_get (u, "name"), unit) == 0 || g_list_model_get_n_items (units) == 1)
            {
              d->home = g_strdup (zz_row_get (u, "code"));
              break;
            }
        }
      in.home = d->home;
    }
  if (!d->confirmed)
    {
      g_autoptr(GListModel) dups = zz_store_case_duplicates (self->store, &in);
      if (g_list_model_get_n_items (dups) > 0)
        {
          g_autoptr(GString) s = g_string_new (_("Possible duplicate of an open case with the same party and category:"));
          for (guint i = 0; i < g_list_model_get_n_items (dups); i++)
            {
              g_autoptr(ZzRow) r = g_list_model_get_item (dups, i);
              g_string_append_printf (s, "\n%s · %s", zz_row_get (r, "number"), zz_row_get (r, "summary"));
            }
          g_string_append_printf (s, "\n%s", _("Press Register again to register it anyway."));
          d->confirmed = TRUE;
          g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_STATE, s->str);
          return FALSE;
        }
    }
  if (!zz_store_register_case (self->store, &in, &case_id, error))
    return FALSE;
  {
    g_autoptr(ZzRow) c = zz_store_get_case (self->store, case_id);
    g_autofree char *msg = g_strdup_printf (_("Registered as case %s"), zz_row_get (c, "number"));
    zz_gui_toast (GTK_WIDGET (self), msg);
  }
  zz_cases_view_open_case (self, case_id);
  return TRUE;
}

static void
on_add_party_clicked_cb (GtkButton *button, FormData *d)
{
  g_autofree char *kr = g_strdup_printf ("p%u_role", d->n_extra);
  g_autofree char *kn = g_strdup_printf ("p%u_name", d->n_extra);
  g_autofree char *kp = g_strdup_printf ("p%u_phone", d->n_extra);
  g_autofree char *ki = g_strdup_printf ("p%u_id", d->n_extra);
  g_autofree char *ke = g_strdup_printf ("p%u_ethnicity", d->n_extra);
  g_autofree char *ka = g_strdup_printf ("p%u_address", d->n_extra);
  g_autofree char *title = g_strdup_printf (_("Further party %u"), d->n_extra + 1);
  guint n, ne;
  const ZzVocab *roles = zz_party_roles (&n);
  const ZzVocab *ethnicities = ethnicity_choices (&ne);
  GtkWidget *name;

  if (d->n_extra >= ZZ_MAX_PARTIES - 2)
    return;
  /* No access keys: every further party would have the same ones. The focus goes to the name. */
  zz_case_form_add_combo (d->form, kr, title, roles, n, "respondent");
  name = zz_case_form_add_entry (d->form, kn, _("Name"), NULL);
  zz_case_form_add_entry (d->form, kp, _("Phone (optional for a respondent)"), NULL);
  zz_case_form_add_entry (d->form, ki, _("ID number (optional)"), NULL);
  zz_case_form_add_combo (d->form, ke, _("Ethnicity (optional)"), ethnicities, ne, "");
  zz_case_form_add_entry (d->form, ka, _("Address (optional)"), NULL);
  d->n_extra++;
  gtk_widget_grab_focus (name);
}

static GtkWidget *
named_child (GtkWidget *w, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = named_child (c, name);
      if (found)
        return found;
    }
  return NULL;
}

static void
open_intake (ZzCasesView *self, ZzRow *ticket, const char *household_id, const char *member_id)
{
  FormData *d = form_data (self, NULL);
  ZzCaseForm *f;
  guint n;
  const ZzVocab *v;
  GtkWidget *name = NULL, *phone, *idn = NULL, *unit;
  const char *category = "other";
  guint ne;
  const ZzVocab *ethnicities = ethnicity_choices (&ne);
  g_autoptr(ZzRow) home = zz_store_get_org_unit (self->store, zz_store_get_node_org_unit (self->store));
  g_autoptr(GListModel) members = household_id ? zz_store_household_applicants (self->store, household_id) : NULL;
  g_autoptr(ZzRow) head = members ? g_list_model_get_item (members, 0) : NULL;

  if (household_id && !head)
    {
      zz_gui_toast (GTK_WIDGET (self), _("The household no longer exists."));
      form_data_free (d);
      return;
    }
  d->household_id = g_strdup (household_id);

  if (ticket)
    {
      const char *vc = zz_row_get (ticket, "category");
      d->extra = g_strdup (zz_row_get (ticket, "visit_id"));
      d->person_id = g_strdup (zz_row_get (ticket, "person_id"));
      category = zz_store_visit_case_category (self->store, vc);
    }
  f = zz_case_form_new (GTK_WIDGET (self), "intake-form", _("Register Case"), _("_Register"), submit_intake, d,
                        form_data_free);
  d->form = f;
  if (ticket)
    {
      g_autofree char *note = g_strdup_printf (_("From the visit of %s (ticket %s)."), zz_row_get (ticket, "name"),
                                               zz_row_get (ticket, "label"));
      zz_case_form_add_note (f, note);
    }
  if (head)
    {
      g_autofree char *note = g_strdup_printf (_("From the risk household of %s (%s, %s). The members ticked below are "
                                                 "the applicants, with the ID numbers and phones of the household register."),
                                               zz_row_get (head, "head_name"), zz_row_get (head, "home_name"),
                                               zz_row_get (head, "address"));
      zz_case_form_add_note (f, note);
    }
  v = zz_case_sources (&n);
  zz_case_form_add_combo (f, "source", _("_Source"), v, n, ticket ? "walk_in" : "phone");
  zz_case_form_add_entry (f, "external_ref", _("E_xternal reference (12345, police)"), NULL);
  {
    /* Categories in use: a retired one is not offered for a new case. */
    g_autoptr(GListModel) cats = zz_store_case_categories (self->store, FALSE);
    v = category_vocab (cats, G_OBJECT (zz_case_form_get_window (f)), &n);
    zz_case_form_add_combo (f, "category", _("Cate_gory"), v, n, category);
  }
  unit = zz_case_form_add_entry (f, "home", _("_Where it arose (village or township)"), NULL);
  if (head)
    {
      d->home = g_strdup (zz_row_get (head, "home"));
      gtk_editable_set_text (GTK_EDITABLE (unit), zz_row_get (head, "home_name"));
    }
  else if (home && zz_row_get_int (home, "level") >= 4)
    {
      d->home = g_strdup (zz_row_get (home, "code"));
      gtk_editable_set_text (GTK_EDITABLE (unit), zz_row_get (home, "name"));
    }
  g_signal_connect (unit, "changed", G_CALLBACK (on_unit_changed_cb), d);
  v = zz_case_risks (&n);
  zz_case_form_add_combo (f, "risk", _("Ris_k"), v, n, "low");
  v = zz_case_urgencies (&n);
  zz_case_form_add_combo (f, "urgency", _("_Urgency"), v, n, "normal");
  zz_case_form_add_entry (f, "summary", _("Summar_y"), ticket ? zz_row_get (ticket, "purpose") : NULL);
  if (head)
    phone = zz_case_form_add_entry (f, "a_phone", _("Applicant’s _phone, if the register has none"), NULL);
  else
    {
      name = zz_case_form_add_entry (f, "a_name", _("Applicant’s _name"), ticket ? zz_row_get (ticket, "name") : NULL);
      phone = zz_case_form_add_entry (f, "a_phone", _("Applicant’s _phone"), ticket ? zz_row_get (ticket, "phone") : NULL);
      idn = zz_case_form_add_entry (f, "a_id", _("Applicant’s _ID number (optional)"), NULL);
      zz_case_form_add_combo (f, "a_ethnicity", _("Applicant’s _ethnicity (optional)"), ethnicities, ne, "");
      zz_case_form_add_entry (f, "a_address", _("Applicant’s _address (optional)"), NULL);
    }
  zz_case_form_add_entry (f, "r_name", _("Respondent’s na_me"), NULL);
  zz_case_form_add_entry (f, "r_phone", _("Respondent’s p_hone (optional)"), NULL);
  zz_case_form_add_combo (f, "r_ethnicity", _("Respondent’s e_thnicity (optional)"), ethnicities, ne, "");
  zz_case_form_add_entry (f, "r_address", _("Respondent’s a_ddress (optional)"), NULL);
  zz_case_form_add_entry (f, "r_org", _("Or the respondent _organisation"), NULL);
  /* The purpose is the summary already: the details are for what more there is to say. */
  zz_case_form_add_text (f, "details", _("Detai_ls"), NULL);
  if (head)
    {
      GtkWidget *group, *label, *box, *note;
      zz_case_form_add_checks (f, "members", _("Applicants from the household"), members, "label");
      zz_case_form_set_checked (f, "members", member_id ? member_id : zz_row_get_id (head), TRUE);
      /* Who the applicants are comes first, under the note that says where they come from. */
      group = named_child (GTK_WIDGET (zz_case_form_get_window (f)), "members");
      label = gtk_widget_get_prev_sibling (group);
      box = gtk_widget_get_parent (group);
      note = gtk_widget_get_first_child (box);
      gtk_box_reorder_child_after (GTK_BOX (box), label, note);
      gtk_box_reorder_child_after (GTK_BOX (box), group, label);
    }

  /* Matches under the fields: places, and persons on file (never a silent second record). */
  d->unit_matches = GTK_LIST_BOX (list_box ("unit-matches"));
  d->matches = GTK_LIST_BOX (list_box ("person-matches"));
  g_object_set_data (G_OBJECT (d->unit_matches), "zz-entry", unit);
  gtk_widget_set_visible (GTK_WIDGET (d->unit_matches), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (d->matches), FALSE);
  {
    GtkWidget *list = gtk_widget_get_ancestor (unit, GTK_TYPE_LIST_BOX);
    GtkWidget *parent = gtk_widget_get_parent (list);
    /* The places found sit right under the field being typed in, inside the form's list, not
     * below the whole form out of sight. */
    GtkWidget *holder = gtk_list_box_row_new ();
    gtk_widget_set_name (holder, "unit-matches-row");
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (holder), FALSE);
    gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (holder), FALSE);
    gtk_widget_set_focusable (holder, FALSE);
    gtk_widget_set_margin_start (GTK_WIDGET (d->unit_matches), 12);
    gtk_widget_set_margin_end (GTK_WIDGET (d->unit_matches), 12);
    gtk_widget_set_margin_top (GTK_WIDGET (d->unit_matches), 6);
    gtk_widget_set_margin_bottom (GTK_WIDGET (d->unit_matches), 6);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (holder), GTK_WIDGET (d->unit_matches));
    g_object_bind_property (d->unit_matches, "visible", holder, "visible", G_BINDING_SYNC_CREATE);
    gtk_list_box_insert (GTK_LIST_BOX (list), holder, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (unit)) + 1);
    gtk_box_insert_child_after (GTK_BOX (parent), GTK_WIDGET (d->matches), list);
  }
  {
    GtkWidget *add = gtk_button_new_with_mnemonic (_("Add a _Further Party"));
    GtkWidget *list = gtk_widget_get_ancestor (unit, GTK_TYPE_LIST_BOX);
    gtk_widget_set_name (add, "add-party");
    gtk_widget_set_halign (add, GTK_ALIGN_START);
    g_signal_connect (add, "clicked", G_CALLBACK (on_add_party_clicked_cb), d);
    gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (list)), add, GTK_WIDGET (d->matches));
  }
  g_signal_connect (d->unit_matches, "row-activated", G_CALLBACK (pick_unit_cb), d);
  g_signal_connect (d->matches, "row-activated", G_CALLBACK (pick_person_cb), d);
  if (!ticket && !head)
    {
      g_signal_connect (name, "changed", G_CALLBACK (on_person_changed_cb), d);
      g_signal_connect (phone, "changed", G_CALLBACK (on_person_changed_cb), d);
      g_signal_connect (idn, "changed", G_CALLBACK (on_person_changed_cb), d);
    }
  gtk_window_set_default_size (zz_case_form_get_window (f), 640, 760);
  zz_case_form_present (f);
}

void
zz_cases_view_intake_from_visit (ZzCasesView *self, ZzRow *ticket)
{
  open_intake (self, ticket, NULL, NULL);
}

void
zz_cases_view_intake_from_household (ZzCasesView *self, const char *household_id, const char *member_id)
{
  open_intake (self, NULL, household_id, member_id);
}

void
zz_cases_view_new_case (ZzCasesView *self)
{
  open_intake (self, NULL, NULL, NULL);
}

static void
new_action (GtkWidget *w, const char *name, GVariant *param)
{
  open_intake (ZZ_CASES_VIEW (w), NULL, NULL, NULL);
}

static void
open_household_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzWindow *window = zz_window_for (w);

  if (window)
    zz_window_show_household (window, g_variant_get_string (param, NULL));
}

static void
back_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);

  gtk_stack_set_visible_child_name (self->pages, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->columns));
}

static void
search_action (GtkWidget *w, const char *name, GVariant *param)
{
  ZzCasesView *self = ZZ_CASES_VIEW (w);

  gtk_stack_set_visible_child_name (self->pages, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- GObject ---- */

static void
zz_cases_view_dispose (GObject *object)
{
  ZzCasesView *self = ZZ_CASES_VIEW (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->list);
  g_clear_object (&self->probe_item);
  g_clear_object (&self->probe_other);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->category_names, g_hash_table_unref);
  G_OBJECT_CLASS (zz_cases_view_parent_class)->dispose (object);
}

static void
zz_cases_view_class_init (ZzCasesViewClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zz_cases_view_dispose;
  gtk_widget_class_install_action (wc, "cases.new", NULL, new_action);
  gtk_widget_class_install_action (wc, "cases.back", NULL, back_action);
  gtk_widget_class_install_action (wc, "cases.open-household", "s", open_household_action);
  gtk_widget_class_install_action (wc, "cases.search", NULL, search_action);
  gtk_widget_class_install_action (wc, "cases.dispatch", NULL, dispatch_action);
  gtk_widget_class_install_action (wc, "cases.accept", "s", accept_action);
  gtk_widget_class_install_action (wc, "cases.return", "s", return_action);
  gtk_widget_class_install_action (wc, "cases.mediate", NULL, mediate_action);
  gtk_widget_class_install_action (wc, "cases.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (wc, "cases.fulfil", "s", fulfil_action);
  gtk_widget_class_install_action (wc, "cases.correct", "s", correct_action);
  gtk_widget_class_install_action (wc, "cases.agreement", "s", agreement_action);
  gtk_widget_class_install_action (wc, "cases.print-agreement", "s", print_agreement_action);
  gtk_widget_class_install_action (wc, "cases.supervise", NULL, supervise_action);
  gtk_widget_class_install_action (wc, "cases.whistle", NULL, whistle_action);
  gtk_widget_class_install_action (wc, "cases.report", "s", report_action);
  gtk_widget_class_install_action (wc, "cases.conclude", NULL, conclude_action);
  gtk_widget_class_install_action (wc, "cases.feedback", NULL, feedback_action);
  gtk_widget_class_install_action (wc, "cases.return-visit", NULL, return_visit_action);
  gtk_widget_class_install_action (wc, "cases.archive", NULL, archive_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_n, GDK_CONTROL_MASK, "cases.new", NULL);
  gtk_widget_class_install_action (wc, "cases.export", NULL, export_list_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_e, GDK_CONTROL_MASK, "cases.export", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_f, GDK_CONTROL_MASK, "cases.search", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Left, GDK_ALT_MASK, "cases.back", NULL);
}

static void
zz_cases_view_init (ZzCasesView *self)
{
  GtkWidget *list_page, *bar, *scroll, *case_page, *case_bar, *back, *case_scroll, *new_button;
  guint n;
  const ZzVocab *v;

  self->pages = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_name (GTK_WIDGET (self->pages), "case-pages");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->pages));

  /* The list. */
  list_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 12);
  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search_entry), "case-search");
  g_object_set (self->search_entry, "placeholder-text", _("Search number, name, phone, ID number or words"), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->search_entry));
  v = zz_case_statuses (&n);
  self->status_filter = filter_dropdown (_("Any status"), v, n, "open", _("Open"));
  gtk_widget_set_name (GTK_WIDGET (self->status_filter), "status-filter");
  self->category_filter = filter_dropdown (_("Any category"), NULL, 0, NULL, NULL);   /* filled by setup */
  gtk_widget_set_name (GTK_WIDGET (self->category_filter), "category-filter");
  v = zz_case_levels (&n);
  self->level_filter = filter_dropdown (_("Any level"), v, n, NULL, NULL);
  gtk_widget_set_name (GTK_WIDGET (self->level_filter), "level-filter");
  self->overdue_toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Overdue")));
  gtk_widget_set_name (GTK_WIDGET (self->overdue_toggle), "overdue-filter");
  self->mine_toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Mine")));
  gtk_widget_set_name (GTK_WIDGET (self->mine_toggle), "mine-filter");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mine_toggle), _("Cases I registered as first responder"));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status_filter));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->category_filter));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->level_filter));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->overdue_toggle));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->mine_toggle));
  g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->category_filter, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->level_filter, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->overdue_toggle, "toggled", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->mine_toggle, "toggled", G_CALLBACK (apply_filter), self);
  {
    GtkWidget *export_button = gtk_button_new_with_mnemonic (_("E_xport…"));
    gtk_widget_set_name (export_button, "export-cases");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (export_button), "cases.export");
    gtk_widget_set_tooltip_text (export_button, _("Export the list as shown to Excel or CSV (Ctrl+E)"));
    gtk_box_append (GTK_BOX (bar), export_button);
  }
  new_button = gtk_button_new_with_mnemonic (_("_New Case…"));
  gtk_widget_set_name (new_button, "new-case");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (new_button), "cases.new");
  gtk_widget_add_css_class (new_button, "suggested-action");
  gtk_widget_set_tooltip_text (new_button, _("Register a case (Ctrl+N)"));
  gtk_box_append (GTK_BOX (bar), new_button);
  gtk_box_append (GTK_BOX (list_page), bar);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->count_label), "case-count");
  gtk_label_set_xalign (self->count_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->count_label), 14);
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_box_append (GTK_BOX (list_page), GTK_WIDGET (self->count_label));
  self->columns = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->columns), "case-columns");
  gtk_column_view_set_show_row_separators (self->columns, TRUE);
  add_column (self, _("Number"), "number", TRUE, FALSE, 23);
  add_column (self, _("Parties"), "parties", FALSE, FALSE, 12);
  add_column (self, _("Summary"), "summary", FALSE, TRUE, 30);
  add_column (self, _("Category"), "category", TRUE, FALSE, 10);
  add_column (self, _("Level"), "level", TRUE, FALSE, 6);
  add_column (self, _("Status"), "status", TRUE, FALSE, 8);
  add_column (self, _("Deadline"), "deadline_at", TRUE, FALSE, 20);
  add_column (self, _("Registered on"), "registered_at", TRUE, FALSE, 10);
  g_signal_connect (self->columns, "activate", G_CALLBACK (on_activate_cb), self);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->columns), "changed", G_CALLBACK (apply_filter), self);
  self->probe_item = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_set_data (self->probe_item, "zz-view", self);
  self->probe_other = g_object_new (G_TYPE_OBJECT, NULL);
  scroll = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (self->columns));
  gtk_box_append (GTK_BOX (list_page), scroll);
  gtk_stack_add_named (self->pages, list_page, "list");

  /* A case. */
  case_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  case_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (case_bar, 12);
  gtk_widget_set_margin_end (case_bar, 12);
  gtk_widget_set_margin_top (case_bar, 12);
  gtk_widget_set_margin_bottom (case_bar, 6);
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_name (back, "case-back");
  gtk_widget_set_tooltip_text (back, _("Back to the list (Alt+Left)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "cases.back");
  gtk_box_append (GTK_BOX (case_bar), back);
  self->case_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->case_title), "case-title");
  gtk_label_set_ellipsize (self->case_title, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (self->case_title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->case_title), "title-3");
  gtk_box_append (GTK_BOX (case_bar), GTK_WIDGET (self->case_title));
  gtk_box_append (GTK_BOX (case_page), case_bar);
  {
    /* Facts and actions on the side; what happened takes the room. */
    GtkWidget *split = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
    gtk_widget_set_vexpand (split, TRUE);
    gtk_widget_set_margin_start (split, 12);
    gtk_widget_set_margin_end (split, 12);
    gtk_widget_set_margin_bottom (split, 12);
    case_scroll = gtk_scrolled_window_new ();
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (case_scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_widget_set_size_request (case_scroll, 400, -1);
    self->case_content = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
    gtk_widget_set_name (GTK_WIDGET (self->case_content), "case-content");
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (case_scroll), GTK_WIDGET (self->case_content));
    gtk_box_append (GTK_BOX (split), case_scroll);
    self->case_main = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
    gtk_widget_set_name (GTK_WIDGET (self->case_main), "case-main");
    gtk_widget_set_hexpand (GTK_WIDGET (self->case_main), TRUE);
    gtk_box_append (GTK_BOX (split), GTK_WIDGET (self->case_main));
    gtk_box_append (GTK_BOX (case_page), split);
  }
  gtk_stack_add_named (self->pages, case_page, "case");
}

void
zz_cases_view_setup (ZzCasesView *self, ZzApplication *app)
{
  self->app = app;
  self->store = g_object_ref (zz_application_get_store (app));
  self->list = zz_case_list_new (self->store);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->columns, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection);
  g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed_cb), self);
  load_categories (self);
  update_actions (self, NULL);
  apply_filter (self);
}
