/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zz-store.h"

G_BEGIN_DECLS

/* Prints the receipt of a ticket on 80 mm receipt paper. With @export_path, writes it to that PDF
 * file through the same print path without a dialog (tests, and printers that are files). */
gboolean zz_ticket_print       (GtkWindow   *parent,
                                ZzStore     *store,
                                const char  *ticket_id,
                                const char  *export_path,
                                GError     **error);
/* Asks where to save the receipt of a ticket as PDF, then writes it. Errors are shown as toasts in
 * @parent when it is a ZzWindow. */
void     zz_ticket_save_pdf    (GtkWindow   *parent,
                                ZzStore     *store,
                                const char  *ticket_id);

G_END_DECLS
