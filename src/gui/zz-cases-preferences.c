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
} Prefs;

static void
prefs_free (gpointer p)
{
  Prefs *d = p;

  g_object_unref (d->store);
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

void
zz_cases_preferences_add (AdwPreferencesWindow *window, ZzStore *store)
{
  Prefs *d;
  GtkWidget *page, *tier, *deadlines;
  gboolean can;
  guint nc, nu;
  const ZzVocab *cats = zz_case_categories (&nc);
  const ZzVocab *urg = zz_case_urgencies (&nu);
  static const char *titles[4] = {
    N_("Village attempts"), N_("Township attempts"), N_("County joint consultations"),
    N_("Departments in a county consultation"),
  };

  if (!store || !zz_store_has_node (store))
    return;
  d = g_new0 (Prefs, 1);
  d->store = g_object_ref (store);
  d->window = window;
  can = zz_store_can (store, ZZ_PERM_CASE_SETTINGS);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Cases"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "folder-documents-symbolic");
  gtk_widget_set_name (page, "cases-preferences");
  g_object_set_data_full (G_OBJECT (page), "zz-prefs", d, prefs_free);

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

  deadlines = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (deadlines), _("Default deadlines in days"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (deadlines),
                                         _("Offered when a case is registered or dispatched, by category and urgency."));
  for (guint c = 0; c < nc; c++)
    {
      GtkWidget *exp = adw_expander_row_new ();
      g_autoptr(GString) summary = g_string_new (NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (exp), _(cats[c].name));
      for (guint u = 0; u < nu; u++)
        {
          GtkSpinButton *spin;
          GtkWidget *row = spin_row (_(urg[u].name), NULL, 1, 365, &spin);
          int days = zz_store_deadline_days (store, cats[c].key, urg[u].key);
          g_autofree char *name = g_strdup_printf ("deadline-%s-%s", cats[c].key, urg[u].key);

          gtk_spin_button_set_value (spin, days);
          gtk_widget_set_name (GTK_WIDGET (spin), name);
          g_object_set_data (G_OBJECT (spin), "zz-category", (gpointer) cats[c].key);
          g_object_set_data (G_OBJECT (spin), "zz-urgency", (gpointer) urg[u].key);
          g_signal_connect (spin, "value-changed", G_CALLBACK (on_deadline_changed_cb), d);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (exp), row);
          g_string_append_printf (summary, "%s%s %d", u ? " · " : "", _(urg[u].name), days);
        }
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (exp), summary->str);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (deadlines), exp);
    }
  gtk_widget_set_sensitive (deadlines, can);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (deadlines));
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (page));
}
