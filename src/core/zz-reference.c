/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "zz-reference.h"

static const ZzVocab visit_categories[] = {
  { "dispute", N_("Dispute") },
  { "petition", N_("Petition / complaint") },
  { "legal_advice", N_("Legal advice") },
  { "legal_aid", N_("Legal aid") },
  { "litigation", N_("Litigation service") },
  { "labour", N_("Labour and wages") },
  { "land", N_("Land and resources") },
  { "police", N_("Police matter") },
  { "family", N_("Marriage and family") },
  { "social", N_("Social assistance") },
  { "other", N_("Other") },
};

static const ZzVocab ticket_outcomes[] = {
  { "answered", N_("Answered on the spot") },
  { "referred", N_("Referred to another window") },
  { "to_case", N_("To be registered as a case") },
  { "left", N_("Left before service") },
};

static const ZzVocab stationing_modes[] = {
  { "permanent", N_("Permanent") },
  { "rotating", N_("Rotating") },
  { "on_call", N_("On call") },
};

/* The seed's prefecture centre hosts 14 departments; their names are data (stored as they are
 * written in the centres), not interface text. Weekdays: Mon=1, Tue=2, Wed=4, Thu=8,
 * Fri=16. */
static const ZzDefaultDepartment default_departments[] = {
  { "信访局", "permanent", 31 },
  { "法院诉讼服务", "permanent", 31 },
  { "检察服务", "rotating", 1 | 4 | 16 },
  { "公共法律服务", "permanent", 31 },
  { "人民调解", "permanent", 31 },
  { "人社劳动仲裁", "rotating", 2 | 8 },
  { "自然资源", "rotating", 1 | 8 },
  { "公安", "permanent", 31 },
  { "妇联", "rotating", 4 },
  { "民政", "rotating", 2 | 16 },
  { "住建", "on_call", 0 },
  { "卫健", "on_call", 0 },
  { "市场监管", "on_call", 0 },
  { "教育", "on_call", 0 },
};

#define RET(arr) G_STMT_START { if (n) *n = G_N_ELEMENTS (arr); return arr; } G_STMT_END

const ZzVocab *zz_visit_categories (guint *n) { RET (visit_categories); }
const ZzVocab *zz_ticket_outcomes (guint *n) { RET (ticket_outcomes); }
const ZzVocab *zz_stationing_modes (guint *n) { RET (stationing_modes); }
const ZzDefaultDepartment *zz_default_departments (guint *n) { RET (default_departments); }

const char *
zz_vocab_display (const ZzVocab *v, guint n, const char *key)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (v[i].key, key) == 0)
      return _(v[i].name);
  return key ? key : "";
}

const char *
zz_vocab_name (const ZzVocab *(*get) (guint *n), const char *key)
{
  guint n;
  const ZzVocab *v = get (&n);

  return key ? zz_vocab_display (v, n, key) : "";
}

gboolean
zz_vocab_has (const ZzVocab *v, guint n, const char *key)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (v[i].key, key) == 0)
      return TRUE;
  return FALSE;
}

char *
zz_weekdays_display (guint mask)
{
  static const char *names[7] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
  GString *s = g_string_new (NULL);

  if ((mask & 0x7f) == 0)
    return g_string_free (s, FALSE);
  if ((mask & 0x7f) == 0x1f)
    {
      g_string_append (s, _("Mon–Fri"));
      return g_string_free (s, FALSE);
    }
  for (int i = 0; i < 7; i++)
    if (mask & (1u << i))
      {
        if (s->len)
          g_string_append (s, _(", "));
        g_string_append (s, _(names[i]));
      }
  return g_string_free (s, FALSE);
}
