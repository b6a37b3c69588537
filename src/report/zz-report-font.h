/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* The faces of every generated PDF: the mediation agreement, the statistics report and the queue
 * ticket. Noto Sans CJK SC is not used: Debian 12's cairo embeds subsets of it in which some
 * glyphs come out blank in poppler and MuPDF (如 of 如有违反 in a signed agreement). Noto Serif CJK
 * SC, regular and bold, the 宋体-style face of official documents, renders every GB2312 level-1
 * character from its embedded subsets (tests/report/test-pdf-glyphs.c sweeps them). */
#define ZZ_REPORT_FONT      "Noto Serif CJK SC"
#define ZZ_REPORT_FONT_BOLD "Noto Serif CJK SC Bold"

/* A layout of @text in @font ("Noto Serif CJK SC Bold 12") at 72 dpi without hinted metrics, so
 * that it measures the same on every surface (PDF, a printer's, the scratch surface that counts
 * pages); wrapped at @width points when @width > 0. */
PangoLayout *zz_report_layout_new    (cairo_t     *cr,
                                      const char  *font,
                                      const char  *text,
                                      double       width);
/* Its height in points. */
double       zz_report_layout_height (PangoLayout *layout);

/* A PDF sheet of @text's characters, one per cell of a grid of @columns columns, each cell @cell
 * points square, in the report face at @size points (@bold for the bold face), drawn as the
 * reports draw text (pango on a cairo PDF surface). For checking what the embedding shows. */
gboolean zz_report_font_sheet_pdf (const char *text,
                                   gboolean    bold,
                                   double      size,
                                   guint       columns,
                                   double      cell,
                                   const char *path,
                                   GError    **error);

/* The origin of the cell of character @index in such a sheet, in points. */
void     zz_report_font_sheet_cell (guint   index,
                                    guint   columns,
                                    double  cell,
                                    double *x,
                                    double *y);

G_END_DECLS
