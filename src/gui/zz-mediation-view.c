/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-mediation-view"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "zz-case-form.h"
#include "zz-cases.h"
#include "zz-date.h"
#include "zz-error.h"
#include "zz-export.h"
#include "zz-gui-util.h"
#include "zz-save-dialog.h"
#include "zz-mediation-view.h"
#include "zz-window.h"

/* The ledger shows a page at a time, newest first, and "Show more" fetches the next page after the
 * last row shown (keyset), so opening the view costs the same whatever the county holds. */
#define LEDGER_PAGE 100
#define REVIEW_ROWS 30

struct _ZzMediationView {
  AdwBin parent_instance;

  ZzStore *store;
  GtkDropDown *level_filter;
  GtkEntry *from_entry;
  GtkEntry *to_entry;
  GtkSearchEntry *search;
  GtkLabel *range_error;
  GtkLabel *summary;
  GtkListBox *reviews;
  GtkWidget *reviews_box;
  GtkListBox *attempts;
  GtkWidget *more;
  GtkLabel *reviews_more;
  guint refresh_source;
  gboolean dirty;         /* the records or the filter changed since the rows were read */
  guint n_shown, n_agreements;
  gint64 last_held_at;    /* the last row shown, where the next page starts */
  char *last_id;
};

G_DEFINE_FINAL_TYPE (ZzMediationView, zz_mediation_view, ADW_TYPE_BIN)

static void
clear (GtkListBox *box)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_list_box_remove (box, c);
}

static const char *
level_key (ZzMediationView *self)
{
  guint sel = gtk_drop_down_get_selected (self->level_filter);
  guint n;
  const ZzVocab *v = zz_case_levels (&n);

  return sel > 0 && sel <= n ? v[sel - 1].key : NULL;
}

typedef struct {
  ZzMediationView *view;
  char *case_id;
  char *level;
} Review;

static void
review_free (gpointer p)
{
  Review *r = p;
  g_free (r->case_id);
  g_free (r->level);
  g_free (r);
}

static gboolean
submit_review (ZzCaseForm *f, gpointer data, GError **error)
{
  Review *r = data;
  return zz_store_resolve_review_item (r->view->store, r->case_id, r->level, zz_case_form_get (f, "note"), error);
}

static void
on_review_clicked_cb (GtkButton *button, ZzMediationView *self)
{
  Review *r = g_new0 (Review, 1);
  ZzCaseForm *f;

  r->view = self;
  r->case_id = g_strdup (g_object_get_data (G_OBJECT (button), "zz-case"));
  r->level = g_strdup (g_object_get_data (G_OBJECT (button), "zz-level"));
  f = zz_case_form_new (GTK_WIDGET (self), "review-form", _("Tier-Rule Review"), _("_Settle"), submit_review, r, review_free);
  zz_case_form_add_note (f, _("The attempts stay on record. Note what was found: for example, two offline laptops each mediated the case."));
  zz_case_form_add_text (f, "note", _("_Finding"), NULL);
  zz_case_form_present (f);
}

/* A day as clerks write it (every form zz_date_parse reads) as "YYYY-MM-DD"; "" for an empty
 * field, NULL when it is not a date. */
static char *
normalise_day (const char *text)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  GDate day;

  if (!*t)
    return g_strdup ("");
  if (!zz_date_parse (t, &day, NULL))
    return NULL;
  return zz_date_to_string (&day);
}

/* The filter of the fields; FALSE (with the error shown by the range) when a day is not a date. */
static gboolean
ledger_filter (ZzMediationView *self, ZzLedgerFilter *f, char **from, char **to, GError **error)
{
  *from = normalise_day (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
  *to = normalise_day (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
  if (!*from || !*to)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                           _("Enter the days as 2026-12-02, 2026/12/2 or 2026年12月2日."));
      return FALSE;
    }
  f->level = level_key (self);
  f->from_day = **from ? *from : NULL;
  f->to_day = **to ? *to : NULL;
  f->query = gtk_editable_get_text (GTK_EDITABLE (self->search));
  if (!*f->query)
    f->query = NULL;
  if (f->from_day && f->to_day && strcmp (f->from_day, f->to_day) > 0)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The last day is before the first."));
      return FALSE;
    }
  return TRUE;
}

static void
append_attempts (ZzMediationView *self, GListModel *rows)
{
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) a = g_list_model_get_item (rows, i);
      g_autofree char *day = zz_gui_format_time (zz_row_get_int (a, "held_at"), "%Y-%m-%d");
      g_autofree char *title = g_strdup_printf (_("%s · %s no. %lld · %s"), zz_row_get (a, "number"),
                                                zz_vocab_name (zz_case_levels, zz_row_get (a, "level")),
                                                (long long) zz_row_get_int (a, "attempt"),
                                                zz_vocab_name (zz_mediation_results, zz_row_get (a, "result")));
      g_autofree char *sub = g_strdup_printf ("%s · %s · %s · %s", day, zz_row_get (a, "place"),
                                              zz_vocab_name (zz_mediation_methods, zz_row_get (a, "method")), zz_row_get (a, "summary"));
      GtkWidget *row = adw_action_row_new ();

      if (g_strcmp0 (zz_row_get (a, "result"), "agreement") == 0)
        self->n_agreements++;
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "zz-case", g_strdup (zz_row_get (a, "case_id")), g_free);
      gtk_list_box_append (self->attempts, row);
      if (i == n - 1)
        {
          self->last_held_at = zz_row_get_int (a, "held_at");
          g_free (self->last_id);
          self->last_id = g_strdup (zz_row_get (a, "id"));
        }
    }
  self->n_shown += n;
  gtk_widget_set_visible (self->more, n == LEDGER_PAGE);
}

static void
show_summary (ZzMediationView *self)
{
  g_autofree char *summary = g_strdup_printf (ngettext ("%u attempt shown, %u with an agreement",
                                                        "%u attempts shown, %u with an agreement", self->n_shown),
                                              self->n_shown, self->n_agreements);
  gtk_label_set_text (self->summary, summary);
}

/* The next page of the ledger, after the last row shown. */
static void
show_more (ZzMediationView *self)
{
  g_autofree char *from = NULL, *to = NULL;
  ZzLedgerFilter filter = { 0 };
  g_autoptr(GListModel) rows = NULL;

  if (!ledger_filter (self, &filter, &from, &to, NULL) || self->last_id == NULL)
    return;
  filter.after_held_at = self->last_held_at;
  filter.after_id = self->last_id;
  rows = zz_store_find_attempts (self->store, &filter, LEDGER_PAGE);
  append_attempts (self, rows);
  show_summary (self);
}

static void
show_reviews (ZzMediationView *self)
{
  guint total = 0;
  g_autoptr(GListModel) reviews = zz_store_find_review_items (self->store, REVIEW_ROWS, &total);
  guint n = g_list_model_get_n_items (reviews);

  clear (self->reviews);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (reviews, i);
      g_autofree char *title = g_strdup_printf (_("%s: %lld %s attempts, the rule allows %lld"), zz_row_get (r, "number"),
                                                (long long) zz_row_get_int (r, "attempts"),
                                                zz_vocab_name (zz_case_levels, zz_row_get (r, "level")),
                                                (long long) zz_row_get_int (r, "max"));
      GtkWidget *row = adw_action_row_new ();
      /* One per row: an access key would be shared by all of them. */
      GtkWidget *button = gtk_button_new_with_label (_("Review…"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, zz_store_can (self->store, ZZ_PERM_RESOLVE_REVIEW));
      g_object_set_data_full (G_OBJECT (button), "zz-case", g_strdup (zz_row_get (r, "case_id")), g_free);
      g_object_set_data_full (G_OBJECT (button), "zz-level", g_strdup (zz_row_get (r, "level")), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_review_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->reviews, row);
    }
  if (total > n)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("%u more review item is not listed here: the first ones by "
                                                         "case number are shown; zongzhi-cli cases review lists them all.",
                                                         "%u more review items are not listed here: the first ones by "
                                                         "case number are shown; zongzhi-cli cases review lists them all.",
                                                         total - n),
                                               total - n);
      gtk_label_set_text (self->reviews_more, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reviews_more), total > n);
  gtk_widget_set_visible (self->reviews_box, n > 0);
}

static void
refresh (ZzMediationView *self)
{
  g_autofree char *from = NULL, *to = NULL;
  g_autoptr(GError) error = NULL;
  ZzLedgerFilter filter = { 0 };
  gboolean ok = ledger_filter (self, &filter, &from, &to, &error);
  g_autoptr(GListModel) rows = ok ? zz_store_find_attempts (self->store, &filter, LEDGER_PAGE)
                                  : G_LIST_MODEL (g_list_store_new (G_TYPE_OBJECT));

  self->dirty = FALSE;
  clear (self->attempts);
  self->n_shown = self->n_agreements = 0;
  g_clear_pointer (&self->last_id, g_free);
  append_attempts (self, rows);
  show_summary (self);
  gtk_label_set_text (self->range_error, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->range_error), error != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ledger.export", ok);
  show_reviews (self);
}

/* Shown again: the rows are kept unless something changed meanwhile. */
static void
on_map_cb (ZzMediationView *self)
{
  if (self->dirty || self->n_shown == 0)
    refresh (self);
}

static void
on_row_activated_cb (GtkListBox *box, GtkListBoxRow *row, ZzMediationView *self)
{
  ZzWindow *win = zz_window_for (GTK_WIDGET (self));
  const char *case_id = g_object_get_data (G_OBJECT (row), "zz-case");

  if (!win || !case_id)
    return;
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-view", "s", "cases");
  zz_cases_view_open_case (zz_window_get_cases_view (win), case_id);
}

static gboolean
refresh_cb (gpointer data)
{
  ZzMediationView *self = data;

  self->refresh_source = 0;
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed_cb (ZzStore *store, const char *table, ZzMediationView *self)
{
  self->dirty = TRUE;
  if (!self->refresh_source)
    self->refresh_source = g_idle_add (refresh_cb, self);
}

gboolean
zz_mediation_view_export (ZzMediationView *self, const char *path, GError **error)
{
  g_autofree char *from = NULL, *to = NULL;
  g_autofree char *period = NULL;
  g_autoptr(ZzTable) t = NULL;
  ZzLedgerFilter filter = { 0 };
  ZzExportAbout about = { 0 };
  ZzTable *tables[1];

  g_return_val_if_fail (ZZ_IS_MEDIATION_VIEW (self), FALSE);
  if (!ledger_filter (self, &filter, &from, &to, error))
    return FALSE;
  if (zz_export_format_from_path (path) != ZZ_EXPORT_XLSX)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The file name must end in .xlsx (Excel)."));
      return FALSE;
    }
  if (!(t = zz_store_mediation_ledger (self->store, &filter, error)))
    return FALSE;
  period = g_strdup_printf ("%s – %s", filter.from_day ? filter.from_day : "…", filter.to_day ? filter.to_day : "…");
  about.title = _("Mediation ledger");
  about.scope = zz_store_get_centre_name (self->store);
  about.period = period;
  about.generated_at = zz_store_now (self->store);
  about.note = filter.query;
  tables[0] = t;
  return zz_export_xlsx (path, tables, 1, &about, error);
}

static void
on_export_response_cb (GtkNativeDialog *dialog, int response, gpointer data)
{
  ZzMediationView *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = zz_save_dialog_get_path (dialog);
      g_autoptr(GError) error = NULL;

      if (path && !zz_mediation_view_export (self, path, &error))
        {
          gtk_label_set_text (self->range_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->range_error), TRUE);
        }
      else if (path)
        zz_gui_toast (GTK_WIDGET (self), _("Mediation ledger exported."));
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget *w, const char *name, GVariant *param)
{
  static const char * const suffixes[] = { "xlsx", NULL };
  GtkFileChooserNative *dialog = zz_save_dialog_new (w, _("Export the Mediation Ledger"), _("_Export"),
                                                     _("Mediation ledger.xlsx"), suffixes);

  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (w));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_filter_changed_cb (ZzMediationView *self)
{
  if (!self->refresh_source && self->store)
    self->refresh_source = g_timeout_add (250, refresh_cb, self);
}

static void
zz_mediation_view_dispose (GObject *object)
{
  ZzMediationView *self = ZZ_MEDIATION_VIEW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->last_id, g_free);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (zz_mediation_view_parent_class)->dispose (object);
}

static void
zz_mediation_view_class_init (ZzMediationViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = zz_mediation_view_dispose;
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "ledger.export", NULL, export_action);
}

static void
zz_mediation_view_init (ZzMediationView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (_("Review items"));
  g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);
  guint n;
  const ZzVocab *v = zz_case_levels (&n);

  gtk_string_list_append (levels, _("All levels"));
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (levels, _(v[i].name));
  self->level_filter = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (levels)), NULL));
  gtk_widget_set_name (GTK_WIDGET (self->level_filter), "ledger-level");
  g_signal_connect_swapped (self->level_filter, "notify::selected", G_CALLBACK (refresh), self);
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->summary), "ledger-summary");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->level_filter));
  /* The ledger of a period, searched, as the office files it. */
  self->from_entry = GTK_ENTRY (gtk_entry_new ());
  self->to_entry = GTK_ENTRY (gtk_entry_new ());
  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->from_entry), "ledger-from");
  gtk_widget_set_name (GTK_WIDGET (self->to_entry), "ledger-to");
  gtk_widget_set_name (GTK_WIDGET (self->search), "ledger-search");
  gtk_entry_set_placeholder_text (self->from_entry, _("From (2026-12-01)"));
  gtk_entry_set_placeholder_text (self->to_entry, _("To (2026-12-31)"));
  g_object_set (self->search, "placeholder-text", _("Case, party, place or mediator"), NULL);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->from_entry), 12);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->to_entry), 12);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->from_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("First day"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->to_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Last day"), -1);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (on_filter_changed_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->from_entry));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->to_entry));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->search));
  {
    GtkWidget *export = gtk_button_new_with_mnemonic (_("E_xport…"));
    gtk_widget_set_name (export, "ledger-export");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "ledger.export");
    gtk_widget_set_tooltip_text (export, _("Export the attempts shown (all of them, not only those on screen) to Excel"));
    gtk_box_append (GTK_BOX (bar), export);
  }
  gtk_widget_set_margin_top (bar, 12);
  self->range_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->range_error), "ledger-error");
  gtk_label_set_xalign (self->range_error, 0);
  gtk_label_set_wrap (self->range_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->range_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->range_error), FALSE);
  gtk_label_set_xalign (self->summary, 0);

  self->reviews_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  self->reviews = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->reviews), "ledger-reviews");
  gtk_list_box_set_selection_mode (self->reviews, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->reviews), "boxed-list");
  gtk_box_append (GTK_BOX (self->reviews_box), title);
  gtk_box_append (GTK_BOX (self->reviews_box), GTK_WIDGET (self->reviews));
  self->reviews_more = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->reviews_more), "ledger-reviews-more");
  gtk_label_set_xalign (self->reviews_more, 0);
  gtk_label_set_wrap (self->reviews_more, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->reviews_more), "dim-label");
  gtk_box_append (GTK_BOX (self->reviews_box), GTK_WIDGET (self->reviews_more));
  gtk_widget_set_visible (self->reviews_box, FALSE);

  self->attempts = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->attempts), "ledger-attempts");
  gtk_list_box_set_selection_mode (self->attempts, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->attempts), "boxed-list");
  g_signal_connect (self->attempts, "row-activated", G_CALLBACK (on_row_activated_cb), self);

  gtk_box_append (GTK_BOX (inner), bar);
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->range_error));
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->summary));
  gtk_box_append (GTK_BOX (inner), self->reviews_box);
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->attempts));
  self->more = gtk_button_new_with_mnemonic (_("Show _more"));
  gtk_widget_set_name (self->more, "ledger-more");
  gtk_widget_set_halign (self->more, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->more, FALSE);
  g_signal_connect_swapped (self->more, "clicked", G_CALLBACK (show_more), self);
  gtk_box_append (GTK_BOX (inner), self->more);
  gtk_widget_set_margin_bottom (inner, 18);
  gtk_widget_set_margin_start (inner, 12);
  gtk_widget_set_margin_end (inner, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), inner);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_box_append (GTK_BOX (box), scroll);
  adw_bin_set_child (ADW_BIN (self), box);
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_map_cb), self);
}

void
zz_mediation_view_setup (ZzMediationView *self, ZzApplication *app)
{
  self->store = g_object_ref (zz_application_get_store (app));
  g_signal_connect (self->store, "changed", G_CALLBACK (on_changed_cb), self);
}
