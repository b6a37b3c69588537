/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "zz-error.h"
#include "zz-export.h"
#include "zz-time.h"

#define MAX_WIDTH 50          /* a column never grows wider than this many characters */
#define SHEET_ROWS 1048576    /* rows of an Excel sheet, the header's included */

ZzExportFormat
zz_export_format_from_path (const char *path)
{
  const char *dot = path ? strrchr (path, '.') : NULL;

  if (!dot || strchr (dot, '/'))
    return ZZ_EXPORT_UNKNOWN;
  if (g_ascii_strcasecmp (dot, ".xlsx") == 0)
    return ZZ_EXPORT_XLSX;
  if (g_ascii_strcasecmp (dot, ".csv") == 0)
    return ZZ_EXPORT_CSV;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    return ZZ_EXPORT_PDF;
  return ZZ_EXPORT_UNKNOWN;
}

/* ---- files: a temporary beside the target, renamed over it when complete ---- */

void
zz_export_set_io_error (GError **error, const char *path, int errsv)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_name = g_filename_display_name (dir);

  switch (errsv)
    {
    case EACCES:
    case EPERM:
    case EROFS:
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO,
                   _("Could not write %s: the folder %s may not be written to. Choose another folder."), name, dir_name);
      break;
    case ENOENT:
    case ENOTDIR:
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: the folder %s does not exist."), name, dir_name);
      break;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO,
                   _("Could not write %s: the disk is full. Free some space or choose another disk."), name);
      break;
    case EISDIR:
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: it is a folder."), name);
      break;
    default:
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), name, g_strerror (errsv));
      break;
    }
}

char *
zz_export_temp_beside (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      zz_export_set_io_error (error, path, EISDIR);
      return NULL;
    }
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());
      char *temp = g_build_filename (dir, name, NULL);
      /* Created with the usual permissions (the umask applies), as the target would be. */
      int fd = g_open (temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      int errsv = errno;

      if (fd >= 0)
        {
          close (fd);
          return temp;
        }
      g_free (temp);
      if (errsv != EEXIST)
        {
          zz_export_set_io_error (error, path, errsv);
          return NULL;
        }
    }
  zz_export_set_io_error (error, path, EEXIST);
  return NULL;
}

void
zz_export_abandon (const char *temp)
{
  if (temp)
    g_unlink (temp);
}

gboolean
zz_export_commit (const char *temp, const char *path, GError **error)
{
  int fd = g_open (temp, O_RDONLY | O_CLOEXEC, 0);
  int errsv = 0;

  /* On disk before the rename, so a crash leaves the old file or the whole new one. */
  if (fd < 0 || fsync (fd) != 0)
    errsv = errno;
  if (fd >= 0)
    close (fd);
  if (!errsv && g_rename (temp, path) != 0)
    errsv = errno;
  if (errsv)
    {
      zz_export_abandon (temp);
      zz_export_set_io_error (error, path, errsv);
      return FALSE;
    }
  return TRUE;
}

/* ---- cells ---- */

guint
zz_export_text_width (const char *text)
{
  guint w = 0;

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return w;
}

static char *
local_time_text (gint64 ms, gboolean with_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, zz_local_zone ()) : NULL;

  if (!local)
    return g_strdup ("");
  return g_date_time_format (local, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
}

/* A cell as a spreadsheet reader sees it in CSV: as shown, NULL empty. */
static char *
cell_text (const ZzTable *t, guint row, guint c)
{
  if (zz_table_is_null (t, row, c))
    return g_strdup ("");
  switch (zz_table_column_type (t, c))
    {
    case ZZ_CELL_TEXT:
      return g_strdup (zz_table_get_text (t, row, c));
    case ZZ_CELL_INT:
      return g_strdup_printf ("%lld", (long long) zz_table_get_int (t, row, c));
    case ZZ_CELL_DATE:
      return local_time_text (zz_table_get_int (t, row, c), FALSE);
    case ZZ_CELL_DATETIME:
      return local_time_text (zz_table_get_int (t, row, c), TRUE);
    case ZZ_CELL_PERCENT:
    case ZZ_CELL_DECIMAL:
    default:
      return zz_table_format_cell (t, row, c);
    }
}

/* An Excel date: days since 1899-12-30 in local time (the fraction is the time of day). */
static double
excel_serial (gint64 ms, gboolean date_only)
{
  GTimeZone *tz = zz_local_zone ();
  gint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, secs);
  gint64 local = secs + g_time_zone_get_offset (tz, interval);
  gint64 days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);

  if (date_only)
    return (double) (days + 25569);
  return (double) (days + 25569) + (double) (local - days * 86400) / 86400.0;
}

/* ---- CSV ---- */

static void
csv_field (GString *line, const char *text, gboolean is_text)
{
  /* Text that a spreadsheet would take for a formula is kept as text. */
  gboolean formula = is_text && text[0] && strchr ("=+-@\t\r", text[0]);

  if (formula || strpbrk (text, ",\"\r\n") || text[0] == ' ' || (text[0] && text[strlen (text) - 1] == ' '))
    {
      g_string_append_c (line, '"');
      if (formula)
        g_string_append_c (line, '\'');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else
    g_string_append (line, text);
}

static void
csv_header (GString *out, const ZzTable *t)
{
  for (guint c = 0; c < zz_table_n_columns (t); c++)
    {
      if (c)
        g_string_append_c (out, ',');
      csv_field (out, zz_table_column_title (t, c) ? zz_table_column_title (t, c) : "", FALSE);
    }
  g_string_append (out, "\r\n");
}

static void
csv_rows (GString *out, const ZzTable *t)
{
  for (guint r = 0; r < zz_table_n_rows (t); r++)
    {
      for (guint c = 0; c < zz_table_n_columns (t); c++)
        {
          g_autofree char *text = cell_text (t, r, c);
          if (c)
            g_string_append_c (out, ',');
          csv_field (out, text, zz_table_column_type (t, c) == ZZ_CELL_TEXT);
        }
      g_string_append (out, "\r\n");
    }
}

typedef struct {
  FILE *f;
  int errsv;
} CsvOut;

static gboolean
csv_put (CsvOut *o, GString *s)
{
  if (!o->errsv && s->len && fwrite (s->str, 1, s->len, o->f) != s->len)
    o->errsv = errno ? errno : EIO;
  g_string_truncate (s, 0);
  return o->errsv == 0;
}

static gboolean
csv_open (CsvOut *o, const char *temp, const char *path, GError **error)
{
  o->errsv = 0;
  o->f = g_fopen (temp, "wb");
  if (!o->f)
    {
      zz_export_set_io_error (error, path, errno);
      return FALSE;
    }
  setvbuf (o->f, NULL, _IOFBF, 1 << 16);
  fputs ("\xEF\xBB\xBF", o->f);
  return TRUE;
}

static gboolean
csv_close (CsvOut *o, const char *path, GError **error)
{
  if (fflush (o->f) != 0 && !o->errsv)
    o->errsv = errno ? errno : EIO;
  if (fclose (o->f) != 0 && !o->errsv)
    o->errsv = errno ? errno : EIO;
  o->f = NULL;
  if (o->errsv)
    {
      zz_export_set_io_error (error, path, o->errsv);
      return FALSE;
    }
  return TRUE;
}

gboolean
zz_export_csv (const char *path, ZzTable *const *tables, guint n_tables, GError **error)
{
  g_autofree char *temp = zz_export_temp_beside (path, error);
  g_autoptr(GString) s = g_string_new (NULL);
  CsvOut o = { 0 };

  if (!temp)
    return FALSE;
  if (!csv_open (&o, temp, path, error))
    {
      zz_export_abandon (temp);
      return FALSE;
    }
  for (guint i = 0; i < n_tables; i++)
    {
      if (n_tables > 1)
        {
          csv_field (s, zz_table_get_title (tables[i]) ? zz_table_get_title (tables[i]) : "", FALSE);
          g_string_append (s, "\r\n");
        }
      csv_header (s, tables[i]);
      csv_rows (s, tables[i]);
      if (n_tables > 1)
        g_string_append (s, "\r\n");
      csv_put (&o, s);
    }
  if (!csv_close (&o, path, error))
    {
      zz_export_abandon (temp);
      return FALSE;
    }
  return zz_export_commit (temp, path, error);
}

/* ---- xlsx ---- */

char *
zz_export_sheet_name (const char *title, GPtrArray *taken)
{
  g_autoptr(GString) base = g_string_new (NULL);
  char *name = NULL;

  for (const char *p = title ? title : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      if (ch < 0x20 || strchr ("[]:*?/\\", (int) (ch < 0x80 ? ch : 'x')) != NULL)
        g_string_append_c (base, ' ');
      else
        g_string_append_unichar (base, ch);
    }
  /* No apostrophe first or last, no surrounding blanks. */
  while (base->len && (base->str[0] == '\'' || base->str[0] == ' '))
    g_string_erase (base, 0, 1);
  while (base->len && (base->str[base->len - 1] == '\'' || base->str[base->len - 1] == ' '))
    g_string_truncate (base, base->len - 1);
  if (!base->len)
    g_string_assign (base, _("Sheet"));

  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *suffix = n == 1 ? g_strdup ("") : g_strdup_printf (" (%u)", n);
      glong room = 31 - g_utf8_strlen (suffix, -1);
      g_autofree char *head = g_utf8_substring (base->str, 0, MIN (room, g_utf8_strlen (base->str, -1)));
      g_autofree char *fold = NULL;
      gboolean used = FALSE;

      g_strchomp (head);
      name = g_strconcat (head, suffix, NULL);
      fold = g_utf8_casefold (name, -1);
      for (guint i = 0; taken && i < taken->len && !used; i++)
        {
          g_autofree char *other = g_utf8_casefold (taken->pdata[i], -1);
          used = g_str_equal (other, fold);
        }
      if (!used)
        break;
      g_clear_pointer (&name, g_free);
    }
  if (taken && name)
    g_ptr_array_add (taken, g_strdup (name));
  return name;
}

typedef struct {
  lxw_workbook *wb;
  lxw_format *header;
  lxw_format *label;
  lxw_format *cell[ZZ_CELL_DATETIME + 1];
  GPtrArray *names;
  lxw_error err;
} Book;

typedef struct {
  lxw_worksheet *ws;
  char *title;
  guint part;           /* 1, or the sheet's number when a long table goes on over several */
  guint n_cols;
  ZzCellType *types;
  guint *width;
  char **headers;
  lxw_row_t row;        /* the next row to write */
} Sheet;

static void
book_note (Book *b, lxw_error e)
{
  if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
    b->err = e;
}

static gboolean
book_open (Book *b, const char *temp, const ZzExportAbout *about)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
  static const char *num_formats[] = {
    [ZZ_CELL_TEXT] = NULL,
    [ZZ_CELL_INT] = "0",
    [ZZ_CELL_PERCENT] = "0.0%",
    [ZZ_CELL_DECIMAL] = "0.0",
    [ZZ_CELL_DATE] = "yyyy-mm-dd",
    [ZZ_CELL_DATETIME] = "yyyy-mm-dd hh:mm",
  };

  memset (b, 0, sizeof *b);
  /* Constant memory: each sheet's rows go to a temporary file as they are written. */
  b->wb = workbook_new_opt (temp, &options);
  if (!b->wb)
    return FALSE;
  b->names = g_ptr_array_new_with_free_func (g_free);
  b->header = workbook_add_format (b->wb);
  format_set_bold (b->header);
  format_set_bg_color (b->header, 0xE8EEF4);
  format_set_bottom (b->header, LXW_BORDER_THIN);
  format_set_text_wrap (b->header);
  format_set_align (b->header, LXW_ALIGN_VERTICAL_CENTER);
  b->label = workbook_add_format (b->wb);
  format_set_bold (b->label);
  for (guint t = 0; t < G_N_ELEMENTS (num_formats); t++)
    if (num_formats[t])
      {
        b->cell[t] = workbook_add_format (b->wb);
        format_set_num_format (b->cell[t], num_formats[t]);
      }
  if (about)
    {
      lxw_doc_properties props = {
        .title = (char *) about->title,
        .subject = (char *) about->period,
        .comments = (char *) about->scope,
      };
      book_note (b, workbook_set_properties (b->wb, &props));
    }
  return TRUE;
}

static void
book_about (Book *b, const ZzExportAbout *about)
{
  g_autofree char *name = zz_export_sheet_name (_("About"), b->names);
  lxw_worksheet *ws = workbook_add_worksheet (b->wb, name);
  struct { const char *label; const char *value; } lines[] = {
    { _("Title"), about->title },
    { _("Scope"), about->scope },
    { _("Period"), about->period },
    { _("Note"), about->note },
  };
  lxw_row_t row = 0;
  guint wl = 8, wv = 20;

  if (!ws)
    {
      book_note (b, LXW_ERROR_PARAMETER_VALIDATION);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (lines[i].value)
      {
        book_note (b, worksheet_write_string (ws, row, 0, lines[i].label, b->label));
        book_note (b, worksheet_write_string (ws, row, 1, lines[i].value, NULL));
        wl = MAX (wl, zz_export_text_width (lines[i].label) + 2);
        wv = MAX (wv, MIN (zz_export_text_width (lines[i].value) + 2, 80));
        row++;
      }
  if (about->generated_at)
    {
      book_note (b, worksheet_write_string (ws, row, 0, _("Generated at"), b->label));
      book_note (b, worksheet_write_number (ws, row, 1, excel_serial (about->generated_at, FALSE),
                                            b->cell[ZZ_CELL_DATETIME]));
      wl = MAX (wl, zz_export_text_width (_("Generated at")) + 2);
    }
  worksheet_set_column (ws, 0, 0, wl, NULL);
  worksheet_set_column (ws, 1, 1, wv, NULL);
}

static void
sheet_begin (Book *b, Sheet *s)
{
  g_autofree char *title = s->part > 1 ? g_strdup_printf ("%s %u", s->title, s->part) : g_strdup (s->title);
  g_autofree char *name = zz_export_sheet_name (title, b->names);

  s->ws = workbook_add_worksheet (b->wb, name);
  s->row = 0;
  if (!s->ws)
    {
      book_note (b, LXW_ERROR_PARAMETER_VALIDATION);
      return;
    }
  for (guint c = 0; c < s->n_cols; c++)
    book_note (b, worksheet_write_string (s->ws, 0, c, s->headers[c], b->header));
  worksheet_freeze_panes (s->ws, 1, 0);
  s->row = 1;
}

static void
sheet_end (Book *b, Sheet *s)
{
  if (!s->ws)
    return;
  for (guint c = 0; c < s->n_cols; c++)
    worksheet_set_column (s->ws, c, c, MIN (s->width[c], MAX_WIDTH) + 2, NULL);
  if (s->row > 1 && s->n_cols)
    worksheet_autofilter (s->ws, 0, 0, s->row - 1, s->n_cols - 1);
  s->ws = NULL;
}

static void
sheet_init (Sheet *s, const ZzTable *columns)
{
  memset (s, 0, sizeof *s);
  s->title = g_strdup (zz_table_get_title (columns) ? zz_table_get_title (columns) : zz_table_get_key (columns));
  s->part = 1;
  s->n_cols = zz_table_n_columns (columns);
  s->types = g_new0 (ZzCellType, s->n_cols);
  s->width = g_new0 (guint, s->n_cols);
  s->headers = g_new0 (char *, s->n_cols + 1);
  for (guint c = 0; c < s->n_cols; c++)
    {
      const char *title = zz_table_column_title (columns, c);
      s->types[c] = zz_table_column_type (columns, c);
      s->headers[c] = g_strdup (title ? title : "");
      s->width[c] = MAX (zz_export_text_width (s->headers[c]), 4);
    }
}

static void
sheet_clear (Sheet *s)
{
  g_free (s->title);
  g_free (s->types);
  g_free (s->width);
  g_strfreev (s->headers);
}

static void
sheet_rows (Book *b, Sheet *s, const ZzTable *t)
{
  guint n_cols = MIN (s->n_cols, zz_table_n_columns (t));

  for (guint r = 0; r < zz_table_n_rows (t); r++)
    {
      if (s->row >= SHEET_ROWS)
        {
          sheet_end (b, s);
          s->part++;
          sheet_begin (b, s);
        }
      if (!s->ws)
        return;
      for (guint c = 0; c < n_cols; c++)
        {
          guint w = 0;

          if (zz_table_is_null (t, r, c))
            continue;
          switch (s->types[c])
            {
            case ZZ_CELL_TEXT:
              {
                const char *text = zz_table_get_text (t, r, c);
                /* A cell holds at most 32,767 characters. */
                if (strlen (text) > 32767 && g_utf8_strlen (text, -1) > 32767)
                  {
                    g_autofree char *cut = g_utf8_substring (text, 0, 32767);
                    book_note (b, worksheet_write_string (s->ws, s->row, c, cut, NULL));
                  }
                else
                  book_note (b, worksheet_write_string (s->ws, s->row, c, text, NULL));
                w = s->width[c] >= MAX_WIDTH ? 0 : zz_export_text_width (text);
              }
              break;
            case ZZ_CELL_INT:
              {
                gint64 v = zz_table_get_int (t, r, c);
                book_note (b, worksheet_write_number (s->ws, s->row, c, (double) v, b->cell[ZZ_CELL_INT]));
                w = 1 + (v < 0);
                for (gint64 x = v < 0 ? -v : v; x >= 10; x /= 10)
                  w++;
              }
              break;
            case ZZ_CELL_PERCENT:
            case ZZ_CELL_DECIMAL:
              {
                double v = zz_table_get_double (t, r, c);
                book_note (b, worksheet_write_number (s->ws, s->row, c, v, b->cell[s->types[c]]));
                w = 3 + (s->types[c] == ZZ_CELL_PERCENT) + (fabs (s->types[c] == ZZ_CELL_PERCENT ? v * 100 : v) >= 10)
                  + (fabs (s->types[c] == ZZ_CELL_PERCENT ? v * 100 : v) >= 100) + (v < 0);
              }
              break;
            case ZZ_CELL_DATE:
            case ZZ_CELL_DATETIME:
              book_note (b, worksheet_write_number (s->ws, s->row, c,
                                                    excel_serial (zz_table_get_int (t, r, c), s->types[c] == ZZ_CELL_DATE),
                                                    b->cell[s->types[c]]));
              w = s->types[c] == ZZ_CELL_DATE ? 10 : 16;
              break;
            default:
              break;
            }
          s->width[c] = MAX (s->width[c], w);
        }
      s->row++;
    }
}

/* Closes the workbook (writing the file) and turns any failure into a message. */
static gboolean
book_close (Book *b, const char *path, GError **error)
{
  lxw_error e;
  int errsv;

  errno = 0;
  e = workbook_close (b->wb);
  errsv = errno;
  b->wb = NULL;
  g_clear_pointer (&b->names, g_ptr_array_unref);
  if (e == LXW_NO_ERROR)
    e = b->err;
  if (e == LXW_NO_ERROR)
    return TRUE;
  if (errsv == ENOSPC || errsv == EACCES || errsv == EROFS
#ifdef EDQUOT
      || errsv == EDQUOT
#endif
      )
    zz_export_set_io_error (error, path, errsv);
  else
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), name, lxw_strerror (e));
    }
  return FALSE;
}

static void
book_abandon (Book *b)
{
  if (b->wb)
    {
      /* libxlsxwriter has no way to drop a workbook but writing it; the caller removes the file. */
      workbook_close (b->wb);
      b->wb = NULL;
    }
  g_clear_pointer (&b->names, g_ptr_array_unref);
}

gboolean
zz_export_xlsx (const char *path, ZzTable *const *tables, guint n_tables, const ZzExportAbout *about, GError **error)
{
  g_autofree char *temp = zz_export_temp_beside (path, error);
  Book b;

  if (!temp)
    return FALSE;
  if (!book_open (&b, temp, about))
    {
      zz_export_abandon (temp);
      zz_export_set_io_error (error, path, errno ? errno : EIO);
      return FALSE;
    }
  if (about)
    book_about (&b, about);
  for (guint i = 0; i < n_tables; i++)
    {
      Sheet s;
      sheet_init (&s, tables[i]);
      sheet_begin (&b, &s);
      sheet_rows (&b, &s, tables[i]);
      sheet_end (&b, &s);
      sheet_clear (&s);
    }
  if (!book_close (&b, path, error))
    {
      zz_export_abandon (temp);
      return FALSE;
    }
  return zz_export_commit (temp, path, error);
}

gboolean
zz_export_tables (const char *path, ZzTable *const *tables, guint n_tables, const ZzExportAbout *about, GError **error)
{
  switch (zz_export_format_from_path (path))
    {
    case ZZ_EXPORT_XLSX:
      return zz_export_xlsx (path, tables, n_tables, about, error);
    case ZZ_EXPORT_CSV:
      return zz_export_csv (path, tables, n_tables, error);
    case ZZ_EXPORT_PDF:
    case ZZ_EXPORT_UNKNOWN:
    default:
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                           _("Choose a file name ending in .xlsx (Excel) or .csv."));
      return FALSE;
    }
}

gboolean
zz_export_stream (const char *path, ZzTableChunkFunc next_chunk, gpointer user_data, guint64 total_rows,
                  const ZzExportAbout *about, ZzProgressFunc progress, gpointer progress_data,
                  GCancellable *cancellable, guint64 *n_written, GError **error)
{
  ZzExportFormat format = zz_export_format_from_path (path);
  g_autofree char *temp = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  GError *local = NULL;
  gboolean first = TRUE, ok = TRUE;
  guint64 written = 0;
  CsvOut o = { 0 };
  Sheet sheet = { 0 };
  Book b = { 0 };

  if (n_written)
    *n_written = 0;
  if (format != ZZ_EXPORT_XLSX && format != ZZ_EXPORT_CSV)
    {
      g_set_error_literal (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose a file name ending in .xlsx (Excel) or .csv."));
      return FALSE;
    }
  temp = zz_export_temp_beside (path, error);
  if (!temp)
    return FALSE;
  if (format == ZZ_EXPORT_CSV ? !csv_open (&o, temp, path, error) : !book_open (&b, temp, about))
    {
      if (format == ZZ_EXPORT_XLSX)
        zz_export_set_io_error (error, path, errno ? errno : EIO);
      zz_export_abandon (temp);
      return FALSE;
    }
  if (format == ZZ_EXPORT_XLSX && about)
    book_about (&b, about);

  while (ok)
    {
      g_autoptr(ZzTable) chunk = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (&local, ZZ_ERROR, ZZ_ERROR_CANCELLED, _("The export was cancelled."));
          ok = FALSE;
          break;
        }
      chunk = next_chunk (user_data, &local);
      if (!chunk)
        {
          ok = local == NULL;
          break;
        }
      if (first)
        {
          if (format == ZZ_EXPORT_CSV)
            csv_header (s, chunk);
          else
            {
              sheet_init (&sheet, chunk);
              sheet_begin (&b, &sheet);
            }
          first = FALSE;
        }
      if (format == ZZ_EXPORT_CSV)
        {
          csv_rows (s, chunk);
          ok = csv_put (&o, s);
        }
      else
        {
          sheet_rows (&b, &sheet, chunk);
          ok = b.err == LXW_NO_ERROR;
        }
      written += zz_table_n_rows (chunk);
      if (progress && total_rows)
        progress (MIN (1.0, (double) written / (double) total_rows), progress_data);
    }

  if (format == ZZ_EXPORT_CSV)
    {
      /* An empty list still gets its header... which needs the columns: a first empty chunk. */
      if (!csv_close (&o, path, local ? NULL : &local))
        ok = FALSE;
    }
  else if (ok)
    {
      if (!first)
        {
          sheet_end (&b, &sheet);
          sheet_clear (&sheet);
        }
      ok = book_close (&b, path, &local);
    }
  else
    {
      if (!first)
        sheet_clear (&sheet);
      if (!local)
        {
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (&local, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), name, lxw_strerror (b.err));
        }
      book_abandon (&b);
    }
  if (!ok)
    {
      zz_export_abandon (temp);
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!zz_export_commit (temp, path, error))
    return FALSE;
  if (progress)
    progress (1.0, progress_data);
  if (n_written)
    *n_written = written;
  return TRUE;
}
