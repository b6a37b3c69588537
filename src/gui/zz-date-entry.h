/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A date field: an entry that reads every form the centres write (zz_date_parse(): 2026-12-02,
 * 2026/12/2, 2026年12月2日, ...) and a calendar button beside it (a GtkCalendar in a popover).
 * Leaving the entry rewrites a valid date as 2026-12-02 and marks an invalid one. Use it as the
 * mnemonic widget of a label; "activate" is emitted on Enter in the entry. */
#define ZZ_TYPE_DATE_ENTRY (zz_date_entry_get_type ())
G_DECLARE_FINAL_TYPE (ZzDateEntry, zz_date_entry, ZZ, DATE_ENTRY, GtkWidget)

GtkWidget *zz_date_entry_new        (void);
/* FALSE with a translated message (ZZ_ERROR_INVALID) when the text is not a date. */
gboolean   zz_date_entry_get_date   (ZzDateEntry  *self,
                                     GDate        *out,
                                     GError      **error);
/* "YYYY-MM-DD", or NULL when the text is not a date. */
char      *zz_date_entry_get_day    (ZzDateEntry  *self);
void       zz_date_entry_set_date   (ZzDateEntry  *self,
                                     const GDate  *day);
GtkEntry  *zz_date_entry_get_entry  (ZzDateEntry  *self);
GtkWidget *zz_date_entry_get_button (ZzDateEntry  *self);

G_END_DECLS
