/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-case-form"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-case-form.h"
#include "zz-row.h"

struct _ZzCaseForm {
  GtkWindow *window;
  GtkBox *box;
  GtkListBox *list;
  GtkLabel *error;
  GtkWidget *error_row;    /* the list row holding the error when it is about a row field */
  char *error_field;       /* the key of the field the error is about, set by submit */
  GtkScrolledWindow *scroll;
  GtkWidget *ok;
  GHashTable *fields;      /* key -> widget (AdwEntryRow, GtkTextView, AdwComboRow) */
  GHashTable *vocabs;      /* key -> const ZzVocab * (combos) */
  GHashTable *checks;      /* key -> GPtrArray of GtkCheckButton */
  ZzCaseFormSubmit submit;
  gpointer data;
  GDestroyNotify destroy;
  GHashTable *values;      /* key -> text read by zz_case_form_get(), kept with the form */
};

static void
form_free (gpointer p)
{
  ZzCaseForm *f = p;

  if (f->destroy)
    f->destroy (f->data);
  g_hash_table_unref (f->fields);
  g_hash_table_unref (f->vocabs);
  g_hash_table_unref (f->checks);
  g_hash_table_unref (f->values);
  g_free (f->error_field);
  g_free (f);
}

/* Scrolls the form so that @widget is in sight, once laid out (the frame after it was shown). */
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

/* Puts the error right under @field (a row of the list, or a block of the form), or at the end
 * of the form when NULL. */
static void
place_error (ZzCaseForm *f, GtkWidget *field)
{
  GtkWidget *label = GTK_WIDGET (f->error);
  GtkWidget *block = field;

  g_object_ref (label);
  if (f->error_row)
    {
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f->error_row), NULL);
      gtk_list_box_remove (f->list, f->error_row);
      f->error_row = NULL;
    }
  else
    gtk_box_remove (f->box, label);
  if (field && gtk_widget_get_parent (field) == GTK_WIDGET (f->list))
    {
      f->error_row = gtk_list_box_row_new ();
      gtk_widget_set_name (f->error_row, "form-error-row");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (f->error_row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (f->error_row), FALSE);
      gtk_widget_set_focusable (f->error_row, FALSE);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f->error_row), label);
      gtk_list_box_insert (f->list, f->error_row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (field)) + 1);
    }
  else
    {
      while (block && gtk_widget_get_parent (block) != GTK_WIDGET (f->box))
        block = gtk_widget_get_parent (block);
      gtk_widget_set_margin_start (label, 0);
      gtk_widget_set_margin_end (label, 0);
      gtk_widget_set_margin_top (label, 0);
      gtk_widget_set_margin_bottom (label, 0);
      gtk_box_insert_child_after (f->box, label, block ? block : gtk_widget_get_last_child (GTK_WIDGET (f->box)));
    }
  g_object_unref (label);
}

void
zz_case_form_set_error_field (ZzCaseForm *f, const char *key)
{
  g_free (f->error_field);
  f->error_field = g_strdup (key);
}

void
zz_case_form_submit (ZzCaseForm *f)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *field;

  g_clear_pointer (&f->error_field, g_free);
  if (f->submit (f, f->data, &error))
    {
      gtk_window_destroy (f->window);
      return;
    }
  field = f->error_field ? g_hash_table_lookup (f->fields, f->error_field) : NULL;
  gtk_label_set_text (f->error, error ? error->message : _("This could not be saved."));
  place_error (f, field);
  gtk_widget_set_visible (GTK_WIDGET (f->error), TRUE);
  if (f->error_row)
    gtk_widget_set_visible (f->error_row, TRUE);
  if (field)
    gtk_widget_grab_focus (field);
  /* The error is scrolled into sight: the form may be taller than the dialog. */
  gtk_widget_add_tick_callback (GTK_WIDGET (f->error), scroll_into_view_tick_cb, f->scroll, NULL);
}

static void
on_ok_clicked_cb (GtkButton *button, ZzCaseForm *f)
{
  zz_case_form_submit (f);
}

static void
on_changed_cb (ZzCaseForm *f)
{
  gtk_widget_set_visible (GTK_WIDGET (f->error), FALSE);
  if (f->error_row)
    gtk_widget_set_visible (f->error_row, FALSE);
}

ZzCaseForm *
zz_case_form_new (GtkWidget *parent, const char *name, const char *title, const char *ok_label,
                  ZzCaseFormSubmit submit, gpointer data, GDestroyNotify destroy)
{
  ZzCaseForm *f = g_new0 (ZzCaseForm, 1);
  GtkWidget *header, *cancel, *content, *scroll, *clamp;
  GtkShortcutController *shortcuts;

  f->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->vocabs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  f->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->submit = submit;
  f->data = data;
  f->destroy = destroy;

  f->window = GTK_WINDOW (adw_window_new ());
  gtk_widget_set_name (GTK_WIDGET (f->window), name);
  gtk_window_set_title (f->window, title);
  gtk_window_set_modal (f->window, TRUE);
  gtk_window_set_default_size (f->window, 560, -1);
  if (parent && GTK_IS_WINDOW (gtk_widget_get_root (parent)))
    gtk_window_set_transient_for (f->window, GTK_WINDOW (gtk_widget_get_root (parent)));
  g_object_set_data_full (G_OBJECT (f->window), "zz-case-form", f, form_free);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), f->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  f->ok = gtk_button_new_with_mnemonic (ok_label);
  gtk_widget_set_name (f->ok, "form-ok");
  gtk_widget_add_css_class (f->ok, "suggested-action");
  g_signal_connect (f->ok, "clicked", G_CALLBACK (on_ok_clicked_cb), f);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), f->ok);
  gtk_box_append (GTK_BOX (content), header);

  scroll = gtk_scrolled_window_new ();
  f->scroll = GTK_SCROLLED_WINDOW (scroll);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroll), 640);
  gtk_widget_set_vexpand (scroll, TRUE);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 600);
  f->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_margin_top (GTK_WIDGET (f->box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (f->box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (f->box), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (f->box), 18);
  f->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (f->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (f->list), "boxed-list");
  gtk_box_append (f->box, GTK_WIDGET (f->list));
  f->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (f->error), "form-error");
  gtk_label_set_wrap (f->error, TRUE);
  gtk_label_set_xalign (f->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (f->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (f->error), FALSE);
  gtk_box_append (f->box, GTK_WIDGET (f->error));
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (f->box));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_box_append (GTK_BOX (content), scroll);
  adw_window_set_content (ADW_WINDOW (f->window), content);
  gtk_window_set_default_widget (f->window, f->ok);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (f->window), GTK_EVENT_CONTROLLER (shortcuts));
  return f;
}

void
zz_case_form_add_note (ZzCaseForm *f, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_insert_child_after (f->box, label, NULL);
}

GtkWidget *
zz_case_form_add_entry (ZzCaseForm *f, const char *key, const char *title, const char *initial)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_widget_set_name (row, key);
  if (initial)
    gtk_editable_set_text (GTK_EDITABLE (row), initial);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_changed_cb), f);
  gtk_list_box_append (f->list, row);
  g_hash_table_insert (f->fields, g_strdup (key), row);
  return row;
}

GtkWidget *
zz_case_form_add_text (ZzCaseForm *f, const char *key, const char *title, const char *initial)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (title);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_widget_set_name (view, key);
  if (initial)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), initial, -1);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed", G_CALLBACK (on_changed_cb), f);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_insert_child_after (f->box, box, gtk_widget_get_prev_sibling (GTK_WIDGET (f->error)));
  g_hash_table_insert (f->fields, g_strdup (key), view);
  return view;
}

GtkWidget *
zz_case_form_add_combo (ZzCaseForm *f, const char *key, const char *title, const ZzVocab *vocab, guint n,
                        const char *initial)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < n; i++)
    {
      gtk_string_list_append (names, _(vocab[i].name));
      if (g_strcmp0 (initial, vocab[i].key) == 0)
        selected = i;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_widget_set_name (row, key);
  g_object_set_data (G_OBJECT (row), "zz-vocab-n", GUINT_TO_POINTER (n));
  gtk_list_box_append (f->list, row);
  g_hash_table_insert (f->fields, g_strdup (key), row);
  g_hash_table_insert (f->vocabs, g_strdup (key), (gpointer) vocab);
  return row;
}

void
zz_case_form_add_checks (ZzCaseForm *f, const char *key, const char *title, GListModel *rows, const char *label_column)
{
  GtkWidget *group = gtk_list_box_new ();
  GtkWidget *label = gtk_label_new (title);
  GPtrArray *checks = g_ptr_array_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (group), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (group, "boxed-list");
  gtk_widget_set_name (group, key);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(ZzRow) r = g_list_model_get_item (rows, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zz_row_get (r, label_column));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (check), "zz-id", g_strdup (zz_row_get_id (r)), g_free);
      gtk_widget_set_name (check, zz_row_get (r, label_column));
      gtk_list_box_append (GTK_LIST_BOX (group), row);
      g_ptr_array_add (checks, check);
    }
  gtk_box_insert_child_after (f->box, label, gtk_widget_get_prev_sibling (GTK_WIDGET (f->error)));
  gtk_box_insert_child_after (f->box, group, label);
  g_hash_table_insert (f->checks, g_strdup (key), checks);
}

const char *
zz_case_form_get (ZzCaseForm *f, const char *key)
{
  GtkWidget *w = g_hash_table_lookup (f->fields, key);

  if (!w)
    return "";
  if (GTK_IS_TEXT_VIEW (w))
    {
      GtkTextBuffer *b = gtk_text_view_get_buffer (GTK_TEXT_VIEW (w));
      GtkTextIter s, e;
      gtk_text_buffer_get_bounds (b, &s, &e);
      char *text = gtk_text_buffer_get_text (b, &s, &e, FALSE);
      g_hash_table_replace (f->values, g_strdup (key), text);
      return text;
    }
  if (ADW_IS_COMBO_ROW (w))
    {
      const ZzVocab *v = g_hash_table_lookup (f->vocabs, key);
      guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (w));
      guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (w), "zz-vocab-n"));
      return v && sel < n ? v[sel].key : "";
    }
  return gtk_editable_get_text (GTK_EDITABLE (w));
}

void
zz_case_form_set_checked (ZzCaseForm *f, const char *key, const char *id, gboolean active)
{
  GPtrArray *checks = g_hash_table_lookup (f->checks, key);

  for (guint i = 0; checks && i < checks->len; i++)
    if (g_strcmp0 (g_object_get_data (checks->pdata[i], "zz-id"), id) == 0)
      gtk_check_button_set_active (checks->pdata[i], active);
}

GStrv
zz_case_form_get_checked (ZzCaseForm *f, const char *key)
{
  GPtrArray *checks = g_hash_table_lookup (f->checks, key);
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv out;

  for (guint i = 0; checks && i < checks->len; i++)
    if (gtk_check_button_get_active (checks->pdata[i]))
      g_strv_builder_add (b, g_object_get_data (checks->pdata[i], "zz-id"));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

GtkWindow *
zz_case_form_get_window (ZzCaseForm *f)
{
  return f->window;
}

void
zz_case_form_present (ZzCaseForm *f)
{
  gtk_window_present (f->window);
}
