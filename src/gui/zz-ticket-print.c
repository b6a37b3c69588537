/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-ticket-print"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-save-dialog.h"
#include "zz-gui-util.h"
#include "zz-print.h"
#include "zz-receipt.h"
#include "zz-ticket-print.h"

/* What a print or save needs after the call returns: the row the receipt's strings point into. */
typedef struct {
  ZzRow *ticket;
  char *centre_name;
  ZzReceipt receipt;
  GtkWindow *parent;   /* weak */
} TicketJob;

static void
ticket_job_free (gpointer p)
{
  TicketJob *job = p;

  g_clear_object (&job->ticket);
  g_free (job->centre_name);
  g_clear_weak_pointer (&job->parent);
  g_free (job);
}

static TicketJob *
ticket_job_new (GtkWindow *parent, ZzStore *store, const char *ticket_id, GError **error)
{
  TicketJob *job;
  ZzRow *ticket = ticket_id ? zz_store_get_ticket (store, ticket_id) : NULL;

  if (!ticket)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("The ticket no longer exists."));
      return NULL;
    }
  job = g_new0 (TicketJob, 1);
  job->ticket = ticket;
  job->centre_name = g_strdup (zz_store_get_centre_name (store));
  g_set_weak_pointer (&job->parent, parent);
  zz_receipt_init_from_ticket (&job->receipt, job->ticket, job->centre_name,
                               zz_store_waiting_ahead (store, ticket_id));
  return job;
}

static void
on_draw_page_cb (GtkPrintOperation *op,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  TicketJob *job = user_data;

  zz_receipt_draw (gtk_print_context_get_cairo_context (context), &job->receipt,
                   gtk_print_context_get_width (context), gtk_print_context_get_height (context));
}

static void
on_print_done_cb (GtkPrintOperation      *op,
                  GtkPrintOperationResult result,
                  gpointer                user_data)
{
  TicketJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      if (error)
        zz_gui_error (GTK_WIDGET (job->parent), error);
    }
}

static GtkPageSetup *
receipt_page_setup (void)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = NULL;

  paper = gtk_paper_size_new_custom ("zz-receipt-80mm", _("Receipt paper 80 mm"),
                                     ZZ_RECEIPT_WIDTH_PT, ZZ_RECEIPT_HEIGHT_PT, GTK_UNIT_POINTS);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  return setup;
}

gboolean
zz_ticket_print (GtkWindow   *parent,
                 ZzStore     *store,
                 const char  *ticket_id,
                 const char  *export_path,
                 GError     **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autofree char *job_name = NULL;
  TicketJob *job;

  g_return_val_if_fail (ZZ_IS_STORE (store), FALSE);

  job = ticket_job_new (parent, store, ticket_id, error);
  if (!job)
    return FALSE;
  op = gtk_print_operation_new ();
  setup = receipt_page_setup ();
  g_object_set_data_full (G_OBJECT (op), "zz-ticket-job", job, ticket_job_free);
  /* Translators: the print job's name, %s is a ticket label such as 03-012 */
  job_name = g_strdup_printf (_("Ticket %s"), job->receipt.label);
  gtk_print_operation_set_n_pages (op, 1);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  g_signal_connect (op, "done", G_CALLBACK (on_print_done_cb), job);
  return zz_print_run (op, setup, job_name, export_path, parent, error);
}

static void
on_save_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  TicketJob *job = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = zz_save_dialog_get_path (dialog);
      g_autoptr(GError) error = NULL;

      if (!path)
        g_set_error (&error, ZZ_ERROR, ZZ_ERROR_IO, _("Choose a file on this computer."));
      else if (zz_receipt_write_pdf (&job->receipt, path, &error))
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *msg = g_strdup_printf (_("Saved %s"), base);

          zz_gui_toast (GTK_WIDGET (job->parent), msg);
        }
      if (error)
        zz_gui_error (GTK_WIDGET (job->parent), error);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
zz_ticket_save_pdf (GtkWindow  *parent,
                    ZzStore    *store,
                    const char *ticket_id)
{
  g_autoptr(GError) error = NULL;
  static const char *suffixes[] = { "pdf", NULL };
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  TicketJob *job;

  g_return_if_fail (ZZ_IS_STORE (store));

  job = ticket_job_new (parent, store, ticket_id, &error);
  if (!job)
    {
      zz_gui_error (GTK_WIDGET (parent), error);
      return;
    }
  /* Translators: the suggested file name, %s is a ticket label such as 03-012 */
  name = g_strdup_printf (_("ticket-%s.pdf"), job->receipt.label);
  chooser = zz_save_dialog_new (GTK_WIDGET (parent), _("Save Ticket as PDF"), _("_Save"), name, suffixes);
  g_object_set_data_full (G_OBJECT (chooser), "zz-ticket-job", job, ticket_job_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
