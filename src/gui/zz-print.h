/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What every printed document shares (the ticket, the mediation agreement, the statistics
 * report): a page set up in points on the whole sheet, since each drawing keeps its own margins,
 * shown in the print dialog, or written to @export_path as PDF without a dialog. The caller
 * connects begin-print, draw-page and done first. FALSE with @error only when it failed. */
gboolean      zz_print_run      (GtkPrintOperation *op,
                                 GtkPageSetup      *setup,
                                 const char        *job_name,
                                 const char        *export_path,
                                 GtkWindow         *parent,
                                 GError           **error);
/* A4 portrait with the paper's default margins. */
GtkPageSetup *zz_print_a4_setup (void);

G_END_DECLS
