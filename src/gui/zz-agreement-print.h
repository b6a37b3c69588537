/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zz-store.h"

G_BEGIN_DECLS

/* Prints the mediation agreement of an attempt on A4 through the print dialog, drawing the same
 * pages as its PDF. With @export_path, writes it to that PDF file through the same print path
 * without a dialog (tests, and printers that are files). */
gboolean zz_agreement_print (GtkWindow   *parent,
                             ZzStore     *store,
                             const char  *attempt_id,
                             const char  *export_path,
                             GError     **error);

G_END_DECLS
