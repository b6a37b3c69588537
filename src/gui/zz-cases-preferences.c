/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-cases-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-cases.h"
#include "zz-cases-preferences.h"

typedef struct {
  ZzStore *store;
  AdwPreferencesWindow *window;
  GtkSpinButton *tier[4];
  gboolean loading;
  gboolean can;
  GtkWidget *categories;      /* group */
  GtkWidget *deadlines;       /* group */
  GPtrArray *category_rows;   /* rows added to the groups, removed on rebuild */
  GPtrArray *deadline_rows;
  GListModel *cats;           /* the categories shown (their strings are used by the rows) */
  GtkWidget *page;            /* weak: owns this */
} Prefs;

static void
prefs_free (gpointer p)
{
  Prefs *d = p;

  g_object_unref (d->store);
  g_ptr_array_unref (d->category_rows);
  g_ptr_array_unref (d->deadline_rows);
  g_clear_object (&d->cats);
  g_free (d);
}

static void
refused (Prefs *d, GError *error)
{
  adw_preferences_window_add_toast (d->window, adw_toast_new (error->message));
  g_error_free (error);
}

static void
load_tier (Prefs *d)
{
  ZzTierLimits l;

  zz_store_get_tier_limits (d->store, &l);
  d->loading = TRUE;
  gtk_spin_button_set_value (d->tier[0], l.village_max);
  gtk_spin_button_set_value (d->tier[1], l.township_max);
  gtk_spin_button_set_value (d->tier[2], l.county_max);
  gtk_spin_button_set_value (d->tier[3], l.county_min_departments);
  d->loading = FALSE;
}

static void
on_tier_changed_cb (GtkSpinButton *spin, Prefs *d)
{
  ZzTierLimits l;
  GError *error = NULL;

  if (d->loading)
    return;
  l.village_max = gtk_spin_button_get_value_as_int (d->tier[0]);
  l.township_max = gtk_spin_button_get_value_as_int (d->tier[1]);
  l.county_max = gtk_spin_button_get_value_as_int (d->tier[2]);
  l.county_min_departments = gtk_spin_button_get_value_as_int (d->tier[3]);
  if (!zz_store_set_tier_limits (d->store, &l, &error))
    {
      refused (d, error);
      load_tier (d);
    }
}

static void
on_deadline_changed_cb (GtkSpinButton *spin, Prefs *d)
{
  GError *error = NULL;
  const char *category = g_object_get_data (G_OBJECT (spin), "zz-category");
  const char *urgency = g_object_get_data (G_OBJECT (spin), "zz-urgency");

  if (!zz_store_set_deadline_days (d->store, category, urgency, gtk_spin_button_get_value_as_int (spin), &error))
    {
      refused (d, error);
      gtk_spin_button_set_value (spin, zz_store_deadline_days (d->store, category, urgency));
    }
}

static GtkWidget *
spin_row (const char *title, const char *subtitle, int lo, int hi, GtkSpinButton **out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *out = GTK_SPIN_BUTTON (spin);
  return row;
}

static void build_lists (Prefs *d);

static gboolean
rebuild_idle_cb (gpointer data)
{
  Prefs *d = g_object_get_data (data, "zz-prefs");

  if (d && gtk_widget_get_root (GTK_WIDGET (data)))
    build_lists (d);
  return G_SOURCE_REMOVE;
}

/* Rebuilt after the signal that asked for it has returned (its row is among those replaced). */
static void
rebuild_later (Prefs *d)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, rebuild_idle_cb, g_object_ref (d->page), g_object_unref);
}

static void
on_rename_apply_cb (AdwEntryRow *row, Prefs *d)
{
  GError *error = NULL;
  const char *key = g_object_get_data (G_OBJECT (row), "zz-category");

  if (!zz_store_rename_case_category (d->store, key, gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    {
      refused (d, error);
      rebuild_later (d);
      return;
    }
  rebuild_later (d);
}

static void
on_in_use_cb (GtkSwitch *sw, GParamSpec *pspec, Prefs *d)
{
  GError *error = NULL;
  const char *key = g_object_get_data (G_OBJECT (sw), "zz-category");

  if (d->loading)
    return;
  if (!zz_store_retire_case_category (d->store, key, !gtk_switch_get_active (sw), &error))
    refused (d, error);
  rebuild_later (d);
}

static void
on_add_apply_cb (AdwEntryRow *row, Prefs *d)
{
  GError *error = NULL;

  if (!zz_store_add_case_category (d->store, gtk_editable_get_text (GTK_EDITABLE (row)), NULL, &error))
    {
      refused (d, error);
      return;
    }
  rebuild_later (d);
}

static void
add_row (Prefs *d, GtkWidget *group, GPtrArray *rows, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_ptr_array_add (rows, row);
}

/* The categories (to rename, retire, restore and add) and the deadlines per category. */
static void
build_lists (Prefs *d)
{
  guint nu;
  const ZzVocab *urg = zz_case_urgencies (&nu);
  GtkWidget *add;

  for (guint i = 0; i < d->category_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (d->categories), d->category_rows->pdata[i]);
  for (guint i = 0; i < d->deadline_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (d->deadlines), d->deadline_rows->pdata[i]);
  g_ptr_array_set_size (d->category_rows, 0);
  g_ptr_array_set_size (d->deadline_rows, 0);
  g_clear_object (&d->cats);
  d->cats = zz_store_case_categories (d->store, TRUE);
  d->loading = TRUE;
  for (guint c = 0; c < g_list_model_get_n_items (d->cats); c++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (d->cats, c);
      const char *key = zz_row_get (r, "key");
      gboolean retired = zz_row_get_int (r, "retired");
      GtkWidget *row = adw_entry_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *name = g_strdup_printf ("category-%s", key);
      g_autofree char *sw_name = g_strdup_printf ("in-use-%s", key);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), retired ? _("Retired: kept on old cases") : _("In use"));
      gtk_editable_set_text (GTK_EDITABLE (row), zz_row_get (r, "name"));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      gtk_widget_set_name (row, name);
      g_object_set_data_full (G_OBJECT (row), "zz-category", g_strdup (key), g_free);
      g_signal_connect (row, "apply", G_CALLBACK (on_rename_apply_cb), d);
      gtk_switch_set_active (GTK_SWITCH (sw), !retired);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_name (sw, sw_name);
      gtk_widget_set_tooltip_text (sw, _("Offered for new cases"));
      g_object_set_data_full (G_OBJECT (sw), "zz-category", g_strdup (key), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_in_use_cb), d);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), sw);
      if (retired)
        gtk_widget_add_css_class (row, "dim-label");
      add_row (d, d->categories, d->category_rows, row);

      if (retired)
        continue;
      {
        GtkWidget *exp = adw_expander_row_new ();
        g_autoptr(GString) summary = g_string_new (NULL);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (exp), zz_row_get (r, "name"));
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (exp), FALSE);
        for (guint u = 0; u < nu; u++)
          {
            GtkSpinButton *spin;
            GtkWidget *srow = spin_row (_(urg[u].name), NULL, 1, 365, &spin);
            int days = zz_store_deadline_days (d->store, key, urg[u].key);
            g_autofree char *sname = g_strdup_printf ("deadline-%s-%s", key, urg[u].key);

            gtk_spin_button_set_value (spin, days);
            gtk_widget_set_name (GTK_WIDGET (spin), sname);
            g_object_set_data_full (G_OBJECT (spin), "zz-category", g_strdup (key), g_free);
            g_object_set_data (G_OBJECT (spin), "zz-urgency", (gpointer) urg[u].key);
            g_signal_connect (spin, "value-changed", G_CALLBACK (on_deadline_changed_cb), d);
            adw_expander_row_add_row (ADW_EXPANDER_ROW (exp), srow);
            g_string_append_printf (summary, "%s%s %d", u ? " · " : "", _(urg[u].name), days);
          }
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (exp), summary->str);
        add_row (d, d->deadlines, d->deadline_rows, exp);
      }
    }
  add = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("_New category"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (add), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  gtk_widget_set_name (add, "new-category");
  g_signal_connect (add, "apply", G_CALLBACK (on_add_apply_cb), d);
  add_row (d, d->categories, d->category_rows, add);
  d->loading = FALSE;
}

void
zz_cases_preferences_add (AdwPreferencesWindow *window, ZzStore *store)
{
  Prefs *d;
  GtkWidget *page, *tier;
  gboolean can;
  static const char *titles[4] = {
    N_("Village attempts"), N_("Township attempts"), N_("County joint consultations"),
    N_("Departments in a county consultation"),
  };

  if (!store || !zz_store_has_node (store))
    return;
  d = g_new0 (Prefs, 1);
  d->store = g_object_ref (store);
  d->window = window;
  d->category_rows = g_ptr_array_new ();
  d->deadline_rows = g_ptr_array_new ();
  can = d->can = zz_store_can (store, ZZ_PERM_CASE_SETTINGS);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Cases"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "folder-documents-symbolic");
  gtk_widget_set_name (page, "cases-preferences");
  g_object_set_data_full (G_OBJECT (page), "zz-prefs", d, prefs_free);
  d->page = page;

  tier = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (tier), _("Three-tier mediation rule"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (tier),
                                         can ? _("The same on every node: changes travel with the next exchange.")
                                             : _("The same on every node; administrators and supervisors set it."));
  for (guint i = 0; i < 4; i++)
    {
      GtkWidget *row = spin_row (_(titles[i]), NULL, 1, ZZ_TIER_LIMIT_MAX, &d->tier[i]);
      gtk_widget_set_name (GTK_WIDGET (d->tier[i]), i == 0 ? "tier-village" : i == 1 ? "tier-township"
                                                   : i == 2 ? "tier-county" : "tier-departments");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (tier), row);
    }
  load_tier (d);
  for (guint i = 0; i < 4; i++)
    g_signal_connect (d->tier[i], "value-changed", G_CALLBACK (on_tier_changed_cb), d);
  gtk_widget_set_sensitive (tier, can);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (tier));

  d->categories = adw_preferences_group_new ();
  gtk_widget_set_name (d->categories, "case-categories");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (d->categories), _("Case categories"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (d->categories),
                                         _("Rename a category and press the tick, or switch it off to retire it: "
                                           "a retired category stays on old cases but is not offered for new ones."));
  gtk_widget_set_sensitive (d->categories, can);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (d->categories));

  d->deadlines = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (d->deadlines), _("Default deadlines in days"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (d->deadlines),
                                         _("Offered when a case is registered or dispatched, by category and urgency."));
  gtk_widget_set_sensitive (d->deadlines, can);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (d->deadlines));
  build_lists (d);
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (page));
}
