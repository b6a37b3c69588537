/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-agreement-print"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-print.h"
#include "zz-agreement-print.h"
#include "zz-agreement.h"
#include "zz-window.h"

typedef struct {
  ZzAgreement *agreement;
  GtkWindow *parent;   /* weak */
} PrintJob;

static void
print_job_free (gpointer p)
{
  PrintJob *job = p;

  zz_agreement_free (job->agreement);
  g_clear_weak_pointer (&job->parent);
  g_free (job);
}

/* The pages are counted on the printer's own cairo context, so that they break where they are
 * drawn. */
static void
on_begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, gpointer user_data)
{
  PrintJob *job = user_data;

  gtk_print_operation_set_n_pages (op, zz_agreement_n_pages (job->agreement, gtk_print_context_get_cairo_context (context),
                                                             gtk_print_context_get_width (context),
                                                             gtk_print_context_get_height (context)));
}

static void
on_draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page_nr, gpointer user_data)
{
  PrintJob *job = user_data;

  zz_agreement_draw_page (job->agreement, gtk_print_context_get_cairo_context (context),
                          gtk_print_context_get_width (context), gtk_print_context_get_height (context), page_nr);
}

static void
on_done_cb (GtkPrintOperation *op, GtkPrintOperationResult result, gpointer user_data)
{
  PrintJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  gtk_print_operation_get_error (op, &error);
  if (error && job->parent && ZZ_IS_WINDOW (job->parent))
    zz_window_error (ZZ_WINDOW (job->parent), error);
  else if (error)
    g_warning ("%s", error->message);
}

gboolean
zz_agreement_print (GtkWindow *parent, ZzStore *store, const char *attempt_id, const char *export_path,
                    GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autofree char *job_name = NULL;
  ZzAgreement *agreement;
  PrintJob *job;

  g_return_val_if_fail (ZZ_IS_STORE (store), FALSE);

  agreement = zz_agreement_new (store, attempt_id, error);
  if (!agreement)
    return FALSE;
  job = g_new0 (PrintJob, 1);
  job->agreement = agreement;
  g_set_weak_pointer (&job->parent, parent);

  op = gtk_print_operation_new ();
  /* The whole A4 sheet, as the PDF: the agreement keeps its own margins. */
  setup = zz_print_a4_setup ();
  g_object_set_data_full (G_OBJECT (op), "zz-agreement-job", job, print_job_free);
  /* Translators: the print job's name, %s is a case number */
  job_name = g_strdup_printf (_("Mediation agreement %s"), zz_agreement_get_case_number (agreement));
  g_signal_connect (op, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  g_signal_connect (op, "done", G_CALLBACK (on_done_cb), job);
  return zz_print_run (op, setup, job_name, export_path, parent, error);
}
