/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "zz-csv.h"
#include "zz-error.h"

struct _ZzCsv {
  const char *start;
  const char *p;
  const char *end;
  guint line;        /* line of the current position */
  guint record_line; /* line where the last record began */
  GString *field;
};

ZzCsv *
zz_csv_new (const char *data,
            gsize       len)
{
  ZzCsv *csv;

  /* An empty file may come as NULL (an empty mapped file or GBytes): no arithmetic on NULL. */
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (data == NULL)
    data = "";
  csv = g_new0 (ZzCsv, 1);
  csv->start = csv->p = data;
  csv->end = data + len;
  if (len >= 3 && (guchar) data[0] == 0xEF && (guchar) data[1] == 0xBB && (guchar) data[2] == 0xBF)
    csv->p += 3;
  csv->line = 1;
  csv->field = g_string_sized_new (64);
  return csv;
}

void
zz_csv_free (ZzCsv *csv)
{
  if (csv == NULL)
    return;
  g_string_free (csv->field, TRUE);
  g_free (csv);
}

guint
zz_csv_line (ZzCsv *csv)
{
  return csv->record_line;
}

gsize
zz_csv_offset (ZzCsv *csv)
{
  return csv->p - csv->start;
}

static gboolean
push_field (ZzCsv *csv, GPtrArray *fields, GError **error)
{
  if (!g_utf8_validate_len (csv->field->str, csv->field->len, NULL))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("Line %u: the text is not valid UTF-8 (save the file as UTF-8)."), csv->record_line);
      return FALSE;
    }
  if (fields->len >= ZZ_CSV_MAX_FIELDS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("Line %u: too many columns."), csv->record_line);
      return FALSE;
    }
  g_ptr_array_add (fields, g_strndup (csv->field->str, csv->field->len));
  g_string_truncate (csv->field, 0);
  return TRUE;
}

gboolean
zz_csv_next (ZzCsv      *csv,
             GPtrArray  *fields,
             GError    **error)
{
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;

  g_ptr_array_set_size (fields, 0);
  g_string_truncate (csv->field, 0);

  /* Blank lines between records are skipped. */
  while (csv->p < csv->end && (*csv->p == '\n' || *csv->p == '\r'))
    {
      if (*csv->p == '\n')
        csv->line++;
      csv->p++;
    }
  if (csv->p >= csv->end)
    return FALSE;

  csv->record_line = csv->line;
  while (csv->p < csv->end)
    {
      char c = *csv->p++;

      if (quoted)
        {
          if (c == '"')
            {
              if (csv->p < csv->end && *csv->p == '"')
                {
                  g_string_append_c (csv->field, '"');
                  csv->p++;
                }
              else
                quoted = FALSE;
            }
          else
            {
              if (c == '\n')
                csv->line++;
              g_string_append_c (csv->field, c);
            }
        }
      else if (c == '"')
        {
          if (csv->field->len != 0 || was_quoted)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                           _("Line %u: a quote inside an unquoted field."), csv->record_line);
              return FALSE;
            }
          quoted = was_quoted = TRUE;
        }
      else if (c == ',')
        {
          if (!push_field (csv, fields, error))
            return FALSE;
          was_quoted = FALSE;
        }
      else if (c == '\r' || c == '\n')
        {
          if (c == '\r' && csv->p < csv->end && *csv->p == '\n')
            csv->p++;
          csv->line++;
          return push_field (csv, fields, error);
        }
      else
        {
          if (was_quoted)
            {
              g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                           _("Line %u: text after a closing quote."), csv->record_line);
              return FALSE;
            }
          g_string_append_c (csv->field, c);
        }

      if (csv->field->len > ZZ_CSV_MAX_FIELD)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                       _("Line %u: a field is longer than %d bytes."), csv->record_line, ZZ_CSV_MAX_FIELD);
          return FALSE;
        }
    }
  if (quoted)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                   _("Line %u: a quoted field is not closed."), csv->record_line);
      return FALSE;
    }
  return push_field (csv, fields, error);
}
