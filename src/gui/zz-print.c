/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-print.h"

gboolean
zz_print_run (GtkPrintOperation *op,
              GtkPageSetup      *setup,
              const char        *job_name,
              const char        *export_path,
              GtkWindow         *parent,
              GError           **error)
{
  GtkPrintOperationResult result;

  gtk_print_operation_set_job_name (op, job_name);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_embed_page_setup (op, FALSE);
  if (export_path)
    {
      gtk_print_operation_set_export_filename (op, export_path);
      result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, parent, error);
    }
  else
    {
      gtk_print_operation_set_allow_async (op, TRUE);
      result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error);
    }
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

GtkPageSetup *
zz_print_a4_setup (void)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  return setup;
}
