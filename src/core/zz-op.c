/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zz-error.h"
#include "zz-op.h"

typedef struct {
  const char *p;
  const char *end;
} Reader;

static void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
expect (Reader *r, char c)
{
  skip_ws (r);
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static char *
read_string (Reader *r)
{
  GString *s;

  skip_ws (r);
  if (r->p >= r->end || *r->p != '"')
    return NULL;
  r->p++;
  /* the usual case: no escapes */
  {
    const char *q = r->p;
    while (q < r->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
      q++;
    if (q < r->end && *q == '"')
      {
        char *plain = g_strndup (r->p, q - r->p);
        if (!g_utf8_validate_len (plain, q - r->p, NULL))
          {
            g_free (plain);
            return NULL;
          }
        r->p = q + 1;
        return plain;
      }
  }
  s = g_string_new (NULL);
  while (r->p < r->end && *r->p != '"')
    {
      guchar c = *r->p++;

      if (c < 0x20)
        goto bad;
      if (c != '\\')
        {
          g_string_append_c (s, c);
          continue;
        }
      if (r->p >= r->end)
        goto bad;
      c = *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/': g_string_append_c (s, '/'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'n': g_string_append_c (s, '\n'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'u':
          {
            gunichar u = 0;

            if (r->end - r->p < 4)
              goto bad;
            for (int i = 0; i < 4; i++)
              {
                int v = hexval (r->p[i]);
                if (v < 0)
                  goto bad;
                u = u * 16 + v;
              }
            r->p += 4;
            if (u >= 0xd800 && u <= 0xdbff)
              {
                gunichar lo = 0;
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                  goto bad;
                for (int i = 0; i < 4; i++)
                  {
                    int v = hexval (r->p[2 + i]);
                    if (v < 0)
                      goto bad;
                    lo = lo * 16 + v;
                  }
                if (lo < 0xdc00 || lo > 0xdfff)
                  goto bad;
                r->p += 6;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
              }
            else if (u >= 0xdc00 && u <= 0xdfff)
              goto bad;
            if (u == 0)
              goto bad;
            g_string_append_unichar (s, u);
            break;
          }
        default:
          goto bad;
        }
    }
  if (r->p >= r->end)
    goto bad;
  r->p++;
  if (!g_utf8_validate_len (s->str, s->len, NULL))
    goto bad;
  return g_string_free (s, FALSE);

bad:
  g_string_free (s, TRUE);
  return NULL;
}

static gboolean
read_int (Reader *r, gint64 *out)
{
  gboolean neg = FALSE;
  guint64 v = 0;
  int digits = 0;

  skip_ws (r);
  if (r->p < r->end && *r->p == '-')
    {
      neg = TRUE;
      r->p++;
    }
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
    {
      if (digits == 0 && *r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' && r->p[1] <= '9')
        return FALSE;
      v = v * 10 + (guint64) (*r->p - '0');
      if (++digits > 19)
        return FALSE;
      r->p++;
    }
  if (digits == 0 || (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')))
    return FALSE;
  if (v > (guint64) G_MAXINT64)
    return FALSE;
  *out = neg ? -(gint64) v : (gint64) v;
  return TRUE;
}

static gboolean
read_literal (Reader *r, const char *lit)
{
  gsize n = strlen (lit);

  skip_ws (r);
  if ((gsize) (r->end - r->p) >= n && memcmp (r->p, lit, n) == 0)
    {
      r->p += n;
      return TRUE;
    }
  return FALSE;
}

gboolean
zz_op_hex_to_hash (const char *hex, gsize len, guint8 *out)
{
  if (len != ZZ_OP_HASH_BYTES * 2)
    return FALSE;
  for (guint i = 0; i < ZZ_OP_HASH_BYTES; i++)
    {
      int hi = hexval (hex[2 * i]), lo = hexval (hex[2 * i + 1]);
      /* lower case only: one spelling per hash */
      if (hi < 0 || lo < 0 || g_ascii_isupper (hex[2 * i]) || g_ascii_isupper (hex[2 * i + 1]))
        return FALSE;
      out[i] = (guint8) (hi * 16 + lo);
    }
  return TRUE;
}

static gboolean
read_hash (Reader *r, guint8 *out)
{
  g_autofree char *s = read_string (r);

  return s && zz_op_hex_to_hash (s, strlen (s), out);
}

static gboolean
read_value (Reader *r, ZzOpField *f)
{
  skip_ws (r);
  if (r->p >= r->end)
    return FALSE;
  if (*r->p == '"')
    {
      f->type = ZZ_OP_VALUE_TEXT;
      f->s = read_string (r);
      return f->s != NULL;
    }
  if (*r->p == 'n')
    {
      f->type = ZZ_OP_VALUE_NULL;
      return read_literal (r, "null");
    }
  f->type = ZZ_OP_VALUE_INT;
  return read_int (r, &f->i);
}

static gboolean
read_fields (Reader *r, ZzOp *op)
{
  if (!expect (r, '{'))
    return FALSE;
  if (expect (r, '}'))
    return TRUE;
  do
    {
      ZzOpField *f;

      if (op->n_fields >= ZZ_OP_MAX_FIELDS)
        return FALSE;
      f = &op->fields[op->n_fields++];
      f->name = read_string (r);
      if (!f->name || !expect (r, ':') || !read_value (r, f))
        return FALSE;
      for (guint i = 0; i + 1 < op->n_fields; i++)
        if (strcmp (op->fields[i].name, f->name) == 0)
          return FALSE;
    }
  while (expect (r, ','));
  return expect (r, '}');
}

static gboolean
read_parents (Reader *r, ZzOp *op)
{
  guint8 parents[ZZ_OP_MAX_PARENTS][ZZ_OP_HASH_BYTES];
  guint n = 0;

  op->has_parents = TRUE;
  if (!expect (r, '['))
    return FALSE;
  if (expect (r, ']'))
    return TRUE;
  do
    {
      if (n >= ZZ_OP_MAX_PARENTS || !read_hash (r, parents[n++]))
        return FALSE;
    }
  while (expect (r, ','));
  op->parents = g_memdup2 (parents, n * ZZ_OP_HASH_BYTES);
  op->n_parents = n;
  return expect (r, ']');
}

/* Keys in the order the writer emits them; each at most once. */
static const char *const keys[] = { "v", "o", "s", "p", "c", "a", "k", "t", "r", "h", "f", "P" };

gboolean
zz_op_parse (const char *body, gsize len, ZzOp *op, GError **error)
{
  Reader r = { body, body + len };
  guint seen = 0;
  gint64 version = 0;

  memset (op, 0, sizeof *op);
  if (len > ZZ_OP_MAX_BODY || !expect (&r, '{'))
    goto bad;
  do
    {
      g_autofree char *key = read_string (&r);
      guint k;

      if (!key || !expect (&r, ':'))
        goto bad;
      for (k = 0; k < G_N_ELEMENTS (keys); k++)
        if (strcmp (keys[k], key) == 0)
          break;
      if (k == G_N_ELEMENTS (keys) || (seen & (1u << k)))
        goto bad;
      seen |= 1u << k;
      switch (k)
        {
        case 0: if (!read_int (&r, &version) || version != 1) goto bad; break;
        case 1: if (!(op->origin = read_string (&r))) goto bad; break;
        case 2: if (!read_int (&r, &op->seq) || op->seq < 1) goto bad; break;
        case 3: if (!read_hash (&r, op->prev)) goto bad; break;
        case 4:
          {
            gint64 c;
            if (!read_int (&r, &c) || c < 0) goto bad;
            op->hlc = (ZzHlc) c;
            break;
          }
        case 5:
          if (read_literal (&r, "null"))
            break;
          if (!(op->author = read_string (&r))) goto bad;
          break;
        case 6: if (!(op->kind = read_string (&r))) goto bad; break;
        case 7: if (!(op->table = read_string (&r))) goto bad; break;
        case 8: if (!(op->row_id = read_string (&r))) goto bad; break;
        case 9: if (!(op->home = read_string (&r))) goto bad; break;
        case 10: if (!read_fields (&r, op)) goto bad; break;
        case 11: if (!read_parents (&r, op)) goto bad; break;
        }
    }
  while (expect (&r, ','));
  if (!expect (&r, '}'))
    goto bad;
  skip_ws (&r);
  if (r.p != r.end)
    goto bad;
  /* everything but the parents is required */
  if ((seen & 0x7ff) != 0x7ff)
    goto bad;
  return TRUE;

bad:
  zz_op_clear (op);
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("A change record is malformed."));
  return FALSE;
}

void
zz_op_clear (ZzOp *op)
{
  g_free (op->origin);
  g_free (op->author);
  g_free (op->kind);
  g_free (op->table);
  g_free (op->row_id);
  g_free (op->home);
  for (guint i = 0; i < op->n_fields; i++)
    {
      g_free (op->fields[i].name);
      g_free (op->fields[i].s);
    }
  g_free (op->parents);
  memset (op, 0, sizeof *op);
}

int
zz_org_level (const char *code)
{
  gsize n;

  if (!code)
    return 0;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isdigit (*p))
      return 0;
  n = strlen (code);
  switch (n)
    {
    case 2: return 1;
    case 4: return 2;
    case 6: return 3;
    case 9: return 4;
    case 12: return 5;
    default: return 0;
    }
}

gboolean
zz_org_within (const char *code, const char *ancestor)
{
  if (zz_org_level (code) == 0 || zz_org_level (ancestor) == 0)
    return FALSE;
  return g_str_has_prefix (code, ancestor);
}

static gboolean
peek_int (const char **p, const char *end, gint64 *out)
{
  guint64 v = 0;
  int digits = 0;

  while (*p < end && **p >= '0' && **p <= '9' && digits < 19)
    {
      v = v * 10 + (guint64) (**p - '0');
      (*p)++;
      digits++;
    }
  if (digits == 0 || v > (guint64) G_MAXINT64)
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static gboolean
peek_lit (const char **p, const char *end, const char *lit)
{
  gsize n = strlen (lit);

  if ((gsize) (end - *p) < n || memcmp (*p, lit, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

gboolean
zz_op_peek (const char *body, gsize len, const char *origin, gint64 *seq, ZzHlc *hlc)
{
  const char *p = body, *end = body + len;
  gint64 c = 0;
  gsize olen = strlen (origin);

  if (!peek_lit (&p, end, "{\"v\":1,\"o\":\"") || (gsize) (end - p) < olen || memcmp (p, origin, olen) != 0)
    return FALSE;
  p += olen;
  if (!peek_lit (&p, end, "\",\"s\":") || !peek_int (&p, end, seq) || *seq < 1
      || !peek_lit (&p, end, ",\"p\":\"") || end - p < ZZ_OP_HASH_BYTES * 2 + 1)
    return FALSE;
  p += ZZ_OP_HASH_BYTES * 2;
  if (!peek_lit (&p, end, "\",\"c\":") || !peek_int (&p, end, &c))
    return FALSE;
  *hlc = (ZzHlc) c;
  return TRUE;
}
