/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

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

/* The 56 ethnic groups as the resident identity card and GB/T 3304 name them, in the standard's
 * order (汉族 01 … 基诺族 56). The name is what is stored and printed: it is written the same in
 * every language of the interface, as on the identity card. */
static const ZzVocab ethnicities[] = {
  { "汉族", "汉族" }, { "蒙古族", "蒙古族" }, { "回族", "回族" }, { "藏族", "藏族" },
  { "维吾尔族", "维吾尔族" }, { "苗族", "苗族" }, { "彝族", "彝族" }, { "壮族", "壮族" },
  { "布依族", "布依族" }, { "朝鲜族", "朝鲜族" }, { "满族", "满族" }, { "侗族", "侗族" },
  { "瑶族", "瑶族" }, { "白族", "白族" }, { "土家族", "土家族" }, { "哈尼族", "哈尼族" },
  { "哈萨克族", "哈萨克族" }, { "傣族", "傣族" }, { "黎族", "黎族" }, { "傈僳族", "傈僳族" },
  { "佤族", "佤族" }, { "畲族", "畲族" }, { "高山族", "高山族" }, { "拉祜族", "拉祜族" },
  { "水族", "水族" }, { "东乡族", "东乡族" }, { "纳西族", "纳西族" }, { "景颇族", "景颇族" },
  { "柯尔克孜族", "柯尔克孜族" }, { "土族", "土族" }, { "达斡尔族", "达斡尔族" }, { "仫佬族", "仫佬族" },
  { "羌族", "羌族" }, { "布朗族", "布朗族" }, { "撒拉族", "撒拉族" }, { "毛南族", "毛南族" },
  { "仡佬族", "仡佬族" }, { "锡伯族", "锡伯族" }, { "阿昌族", "阿昌族" }, { "普米族", "普米族" },
  { "塔吉克族", "塔吉克族" }, { "怒族", "怒族" }, { "乌孜别克族", "乌孜别克族" }, { "俄罗斯族", "俄罗斯族" },
  { "鄂温克族", "鄂温克族" }, { "德昂族", "德昂族" }, { "保安族", "保安族" }, { "裕固族", "裕固族" },
  { "京族", "京族" }, { "塔塔尔族", "塔塔尔族" }, { "独龙族", "独龙族" }, { "鄂伦春族", "鄂伦春族" },
  { "赫哲族", "赫哲族" }, { "门巴族", "门巴族" }, { "珞巴族", "珞巴族" }, { "基诺族", "基诺族" },
};

#define RET(arr) G_STMT_START { if (n) *n = G_N_ELEMENTS (arr); return arr; } G_STMT_END

const ZzVocab *zz_visit_categories (guint *n) { RET (visit_categories); }
const ZzVocab *zz_ticket_outcomes (guint *n) { RET (ticket_outcomes); }
const ZzVocab *zz_stationing_modes (guint *n) { RET (stationing_modes); }
const ZzDefaultDepartment *zz_default_departments (guint *n) { RET (default_departments); }
const ZzVocab *zz_ethnicities (guint *n) { RET (ethnicities); }

const char *
zz_ethnicity_find (const char *text)
{
  g_autofree char *t = NULL;

  if (!text)
    return NULL;
  t = g_strstrip (g_strdup (text));
  for (guint i = 0; i < G_N_ELEMENTS (ethnicities); i++)
    {
      const char *name = ethnicities[i].key;
      gsize len = strlen (name) - strlen ("族");
      /* "汉族", or "汉" as people also write it */
      if (g_str_equal (t, name) || (*t && strlen (t) == len && strncmp (t, name, len) == 0))
        return name;
    }
  return NULL;
}

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
