/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-risk"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "zz-error.h"
#include "zz-risk.h"

static const struct {
  const char *key;
  const char *name;
  guint weight;
} factors[ZZ_RISK_N_FACTORS] = {
  [ZZ_RISK_FAMILY_CONFLICT] = { "family_conflict", N_("Family conflict"), 20 },
  [ZZ_RISK_DOMESTIC_VIOLENCE] = { "domestic_violence", N_("Domestic violence"), 40 },
  [ZZ_RISK_MENTAL_DISORDER] = { "mental_disorder", N_("Serious mental disorder"), 40 },
  [ZZ_RISK_RELEASED_PRISONER] = { "released_prisoner", N_("Released prisoner"), 30 },
  [ZZ_RISK_DRUG_USE] = { "drug_use", N_("Drug use"), 40 },
  [ZZ_RISK_HEAVY_DEBT] = { "heavy_debt", N_("Heavy debt"), 20 },
  [ZZ_RISK_PETITION_HISTORY] = { "petition_history", N_("Petition history"), 20 },
  [ZZ_RISK_LEFT_BEHIND_CHILDREN] = { "left_behind_children", N_("Left-behind children"), 10 },
  [ZZ_RISK_ELDERLY_ALONE] = { "elderly_alone", N_("Elderly living alone"), 10 },
  [ZZ_RISK_NEIGHBOUR_DISPUTE] = { "neighbour_dispute", N_("Neighbour dispute"), 15 },
  [ZZ_RISK_OTHER] = { "other", N_("Other"), 10 },
};

static const struct {
  const char *key;
  const char *name;
} grades[] = {
  [ZZ_GRADE_NONE] = { "", N_("Not graded") },
  [ZZ_GRADE_LOW] = { "low", N_("Low") },
  [ZZ_GRADE_MEDIUM] = { "medium", N_("Medium") },
  [ZZ_GRADE_HIGH] = { "high", N_("High") },
};

const char *
zz_risk_factor_key (ZzRiskFactor f)
{
  g_return_val_if_fail (f < ZZ_RISK_N_FACTORS, "");
  return factors[f].key;
}

const char *
zz_risk_factor_name (ZzRiskFactor f)
{
  g_return_val_if_fail (f < ZZ_RISK_N_FACTORS, "");
  return _(factors[f].name);
}

gboolean
zz_risk_factor_from_key (const char *key, ZzRiskFactor *out)
{
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    if (g_strcmp0 (key, factors[i].key) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
zz_grade_key (ZzGrade g)
{
  return g <= ZZ_GRADE_HIGH ? grades[g].key : "";
}

ZzGrade
zz_grade_from_key (const char *key)
{
  for (guint i = ZZ_GRADE_LOW; i <= ZZ_GRADE_HIGH; i++)
    if (g_strcmp0 (key, grades[i].key) == 0)
      return i;
  return ZZ_GRADE_NONE;
}

const char *
zz_grade_name (ZzGrade g)
{
  return _(grades[g <= ZZ_GRADE_HIGH ? g : ZZ_GRADE_NONE].name);
}

const char *
zz_grade_css_class (ZzGrade g)
{
  switch (g)
    {
    case ZZ_GRADE_HIGH: return "grade-high";
    case ZZ_GRADE_MEDIUM: return "grade-medium";
    case ZZ_GRADE_LOW: return "grade-low";
    case ZZ_GRADE_NONE:
    default: return "grade-none";
    }
}

/* ---- the scheme ---- */

void
zz_risk_scheme_init_default (ZzRiskScheme *s)
{
  memset (s, 0, sizeof *s);
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    s->weights[i] = factors[i].weight;
  s->medium_min = 30;
  s->high_min = 60;
  s->cadence[ZZ_GRADE_HIGH] = (ZzCadence) { 1, ZZ_CADENCE_WEEKS };
  s->cadence[ZZ_GRADE_MEDIUM] = (ZzCadence) { 1, ZZ_CADENCE_MONTHS };
  s->cadence[ZZ_GRADE_LOW] = (ZzCadence) { 3, ZZ_CADENCE_MONTHS };
}

gboolean
zz_risk_scheme_validate (const ZzRiskScheme *s, GError **error)
{
  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    if (s->weights[i] > ZZ_RISK_MAX_WEIGHT)
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("The weight of “%s” must be between 0 and %d."),
                     zz_risk_factor_name (i), ZZ_RISK_MAX_WEIGHT);
        return FALSE;
      }
  if (s->medium_min < 1 || s->high_min <= s->medium_min || s->high_min > ZZ_RISK_MAX_WEIGHT * ZZ_RISK_N_FACTORS)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("The lowest score of a high grade must be above the lowest score of a medium grade, and both above 0."));
      return FALSE;
    }
  for (guint g = ZZ_GRADE_LOW; g <= ZZ_GRADE_HIGH; g++)
    if (s->cadence[g].count < 1 || s->cadence[g].count > 99 || s->cadence[g].unit > ZZ_CADENCE_MONTHS)
      {
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("A visit cadence is 1 to 99 days, weeks or months."));
        return FALSE;
      }
  return TRUE;
}

char *
zz_risk_scheme_to_string (const ZzRiskScheme *s)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    g_string_append_printf (out, "%s=%u;", factors[i].key, s->weights[i]);
  g_string_append_printf (out, "medium=%u;high=%u", s->medium_min, s->high_min);
  for (guint g = ZZ_GRADE_LOW; g <= ZZ_GRADE_HIGH; g++)
    {
      g_autofree char *c = zz_cadence_to_string (&s->cadence[g]);
      g_string_append_printf (out, ";cad_%s=%s", grades[g].key, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_uint (const char *text, guint max, guint *out)
{
  char *end = NULL;
  guint64 v;

  if (!text || !g_ascii_isdigit (*text))
    return FALSE;
  v = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

gboolean
zz_risk_scheme_parse (const char *text, ZzRiskScheme *out, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ";", -1);
  ZzRiskScheme s;

  zz_risk_scheme_init_default (&s);
  for (guint i = 0; parts[i]; i++)
    {
      char *eq = strchr (parts[i], '=');
      ZzRiskFactor f;
      gboolean ok = TRUE;

      if (!eq)
        continue;
      *eq = '\0';
      if (zz_risk_factor_from_key (parts[i], &f))
        ok = parse_uint (eq + 1, ZZ_RISK_MAX_WEIGHT, &s.weights[f]);
      else if (g_str_equal (parts[i], "medium"))
        ok = parse_uint (eq + 1, 100000, &s.medium_min);
      else if (g_str_equal (parts[i], "high"))
        ok = parse_uint (eq + 1, 100000, &s.high_min);
      else if (g_str_has_prefix (parts[i], "cad_"))
        {
          ZzGrade g = zz_grade_from_key (parts[i] + 4);
          if (g != ZZ_GRADE_NONE)
            ok = zz_cadence_parse (eq + 1, &s.cadence[g]);
        }
      if (!ok)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The risk scheme has a bad value for “%s”."), parts[i]);
          return FALSE;
        }
    }
  if (!zz_risk_scheme_validate (&s, error))
    return FALSE;
  *out = s;
  return TRUE;
}

guint
zz_risk_score (const ZzRiskScheme *s, guint bits)
{
  guint score = 0;

  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    if (bits & (1u << i))
      score += s->weights[i];
  return score;
}

ZzGrade
zz_risk_grade_for_score (const ZzRiskScheme *s, guint score)
{
  if (score >= s->high_min)
    return ZZ_GRADE_HIGH;
  if (score >= s->medium_min)
    return ZZ_GRADE_MEDIUM;
  return ZZ_GRADE_LOW;
}

char *
zz_risk_factors_to_string (guint bits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ZZ_RISK_N_FACTORS; i++)
    if (bits & (1u << i))
      g_string_append_printf (out, "%s%s", out->len ? "," : "", factors[i].key);
  return g_string_free (out, FALSE);
}

gboolean
zz_risk_factors_parse (const char *text, guint *out)
{
  g_auto(GStrv) keys = g_strsplit (text ? text : "", ",", -1);
  guint bits = 0;

  for (guint i = 0; keys[i]; i++)
    {
      ZzRiskFactor f;
      if (*keys[i] == '\0')
        continue;
      if (!zz_risk_factor_from_key (keys[i], &f))
        return FALSE;
      bits |= 1u << f;
    }
  *out = bits;
  return TRUE;
}

/* ---- cadence and dates ---- */

char *
zz_cadence_to_string (const ZzCadence *c)
{
  return g_strdup_printf ("%u%c", c->count, "dwm"[c->unit <= ZZ_CADENCE_MONTHS ? c->unit : 0]);
}

gboolean
zz_cadence_parse (const char *text, ZzCadence *out)
{
  gsize len = text ? strlen (text) : 0;
  g_autofree char *num = NULL;
  guint count;

  if (len < 2 || len > 3)
    return FALSE;
  num = g_strndup (text, len - 1);
  if (!parse_uint (num, 99, &count) || count < 1)
    return FALSE;
  switch (text[len - 1])
    {
    case 'd': out->unit = ZZ_CADENCE_DAYS; break;
    case 'w': out->unit = ZZ_CADENCE_WEEKS; break;
    case 'm': out->unit = ZZ_CADENCE_MONTHS; break;
    default: return FALSE;
    }
  out->count = count;
  return TRUE;
}

char *
zz_cadence_display (const ZzCadence *c)
{
  switch (c->unit)
    {
    case ZZ_CADENCE_DAYS:
      return g_strdup_printf (ngettext ("every day", "every %u days", c->count), c->count);
    case ZZ_CADENCE_WEEKS:
      return g_strdup_printf (ngettext ("every week", "every %u weeks", c->count), c->count);
    case ZZ_CADENCE_MONTHS:
    default:
      return g_strdup_printf (ngettext ("every month", "every %u months", c->count), c->count);
    }
}

GDate *
zz_cadence_add (const GDate *from, const ZzCadence *c)
{
  GDate *d = g_date_copy (from);

  switch (c->unit)
    {
    case ZZ_CADENCE_DAYS: g_date_add_days (d, c->count); break;
    case ZZ_CADENCE_WEEKS: g_date_add_days (d, 7 * c->count); break;
    /* GDate keeps the day of month and clamps it to the end of a shorter month. */
    case ZZ_CADENCE_MONTHS: g_date_add_months (d, c->count); break;
    }
  return d;
}

static gboolean
parse_day_fast (const char *day, GDate *out)
{
  guint v[3] = { 0, 0, 0 };
  static const int width[3] = { 4, 2, 2 };
  const char *p = day;

  if (!day)
    return FALSE;
  for (int k = 0; k < 3; k++)
    {
      for (int j = 0; j < width[k]; j++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          v[k] = v[k] * 10 + (guint) (*p - '0');
        }
      if (*p != (k < 2 ? '-' : '\0'))
        return FALSE;
      if (k < 2)
        p++;
    }
  if (!g_date_valid_dmy (v[2], v[1], v[0]))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, v[2], v[1], v[0]);
  return TRUE;
}

gboolean
zz_day_parse (const char *day, GDate *out)
{
  return parse_day_fast (day, out);
}

char *
zz_day_format (const GDate *d)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (d), g_date_get_month (d), g_date_get_day (d));
}

gboolean
zz_risk_next_due_buf (const ZzRiskScheme *s, ZzGrade grade, const char *last_visit_day, const char *graded_day,
                      char out[11])
{
  GDate base;
  const ZzCadence *c;

  if (grade == ZZ_GRADE_NONE || grade > ZZ_GRADE_HIGH)
    return FALSE;
  /* The cadence runs from the later of the last visit and the day the grade took effect: a new
   * grade gives a full cadence for its first visit, and every visit restarts the count. */
  if (last_visit_day && parse_day_fast (last_visit_day, &base))
    {
      GDate graded;
      if (graded_day && parse_day_fast (graded_day, &graded) && g_date_compare (&graded, &base) > 0)
        base = graded;
    }
  else if (!(graded_day && parse_day_fast (graded_day, &base)))
    return FALSE;
  c = &s->cadence[grade];
  switch (c->unit)
    {
    case ZZ_CADENCE_DAYS: g_date_add_days (&base, c->count); break;
    case ZZ_CADENCE_WEEKS: g_date_add_days (&base, 7 * c->count); break;
    case ZZ_CADENCE_MONTHS: g_date_add_months (&base, c->count); break;
    }
  g_snprintf (out, 11, "%04u-%02u-%02u", g_date_get_year (&base), g_date_get_month (&base), g_date_get_day (&base));
  return TRUE;
}

char *
zz_risk_next_due (const ZzRiskScheme *s, ZzGrade grade, const char *last_visit_day, const char *graded_day)
{
  char buf[11];

  return zz_risk_next_due_buf (s, grade, last_visit_day, graded_day, buf) ? g_strdup (buf) : NULL;
}

/* ---- sign-off ---- */

const char *
zz_signoff_step_name (ZzSignoffKind kind, ZzSignoffStep step)
{
  if (kind == ZZ_SIGNOFF_DELIST)
    return step == ZZ_SIGNOFF_PROPOSED ? _("De-listing requested") : _("De-listing approved (township)");
  switch (step)
    {
    case ZZ_SIGNOFF_PROPOSED: return _("Proposed by the group");
    case ZZ_SIGNOFF_AGREED: return _("Agreed by the village");
    case ZZ_SIGNOFF_APPROVED: return _("Approved by the township");
    case ZZ_SIGNOFF_NONE:
    default: return "";
    }
}

ZzPermission
zz_signoff_permission (ZzSignoffKind kind, ZzSignoffStep step)
{
  switch (step)
    {
    case ZZ_SIGNOFF_PROPOSED: return ZZ_PERM_PROPOSE_GRADE;
    case ZZ_SIGNOFF_AGREED: return ZZ_PERM_AGREE_GRADE;
    case ZZ_SIGNOFF_APPROVED:
    case ZZ_SIGNOFF_NONE:
    default: return ZZ_PERM_APPROVE_GRADE;
    }
}

ZzSignoffStep
zz_signoff_next (ZzSignoffKind kind, ZzSignoffStep done)
{
  switch (done)
    {
    case ZZ_SIGNOFF_NONE: return ZZ_SIGNOFF_PROPOSED;
    case ZZ_SIGNOFF_PROPOSED: return kind == ZZ_SIGNOFF_DELIST ? ZZ_SIGNOFF_APPROVED : ZZ_SIGNOFF_AGREED;
    case ZZ_SIGNOFF_AGREED: return ZZ_SIGNOFF_APPROVED;
    case ZZ_SIGNOFF_APPROVED:
    default: return ZZ_SIGNOFF_NONE;
    }
}

/* The roles allowed @perm, by their names: "Supervisor" or "Mediator / political-legal officer or
 * Supervisor". */
static char *
roles_allowed (ZzPermission perm)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n = 0, k = 0;

  for (ZzRole r = ZZ_ROLE_NONE + 1; r < ZZ_N_ROLES; r++)
    n += zz_role_can (r, perm);
  for (ZzRole r = ZZ_ROLE_NONE + 1; r < ZZ_N_ROLES; r++)
    if (zz_role_can (r, perm))
      {
        if (k > 0)
          g_string_append (s, k + 1 == n ? _(" or ") : _(", "));
        g_string_append (s, zz_role_display_name (r));
        k++;
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
zz_signoff_who_can (ZzSignoffKind kind, ZzSignoffStep done)
{
  ZzSignoffStep step = zz_signoff_next (kind, done);
  g_autofree char *roles = NULL;

  if (step == ZZ_SIGNOFF_NONE)
    return g_strdup ("");
  roles = roles_allowed (zz_signoff_permission (kind, step));
  if (done == ZZ_SIGNOFF_NONE)
    return g_strdup_printf (_("“%s” is signed by: %s."), zz_signoff_step_name (kind, step), roles);
  return g_strdup_printf (_("“%s” is signed by: %s, another person than the one who signed “%s”."),
                          zz_signoff_step_name (kind, step), roles, zz_signoff_step_name (kind, done));
}

gboolean
zz_signoff_check (ZzSignoffKind kind, ZzSignoffStep done, const char *last_signer, ZzSignoffStep step,
                  ZzRole role, const char *user_id, GError **error)
{
  return zz_signoff_decide_check (kind, done, last_signer, step, TRUE, role, user_id, error);
}

gboolean
zz_signoff_decide_check (ZzSignoffKind kind, ZzSignoffStep done, const char *last_signer,
                         ZzSignoffStep step, gboolean agree, ZzRole role, const char *user_id,
                         GError **error)
{
  ZzSignoffStep next = zz_signoff_next (kind, done);

  if (step != next)
    {
      if (next == ZZ_SIGNOFF_PROPOSED)
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Nothing is waiting for this step: a grade must be proposed first."));
      else
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("The next step is “%s”."), zz_signoff_step_name (kind, next));
      return FALSE;
    }
  if (!agree && done == ZZ_SIGNOFF_NONE)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE, _("Nothing is waiting to be sent back."));
      return FALSE;
    }
  if (!zz_role_can (role, zz_signoff_permission (kind, step)))
    {
      g_autofree char *who = zz_signoff_who_can (kind, done);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION, _("Your role (%s) may not sign “%s”. %s"),
                   zz_role_display_name (role), zz_signoff_step_name (kind, step), who);
      return FALSE;
    }
  if (agree && done != ZZ_SIGNOFF_NONE && last_signer && g_strcmp0 (last_signer, user_id) == 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_PERMISSION,
                   _("You signed “%s”; another person must sign “%s” (four-eyes rule). You may send it back."),
                   zz_signoff_step_name (kind, done), zz_signoff_step_name (kind, step));
      return FALSE;
    }
  return TRUE;
}

guint
zz_signoff_options (ZzSignoffKind kind, ZzSignoffStep done, const char *last_signer, ZzRole role,
                    const char *user_id)
{
  ZzSignoffStep step = zz_signoff_next (kind, done);
  guint options = 0;

  if (step == ZZ_SIGNOFF_NONE)
    return 0;
  if (zz_signoff_decide_check (kind, done, last_signer, step, TRUE, role, user_id, NULL))
    options |= ZZ_SIGNOFF_CAN_SIGN;
  if (zz_signoff_decide_check (kind, done, last_signer, step, FALSE, role, user_id, NULL))
    options |= ZZ_SIGNOFF_CAN_RETURN;
  return options;
}
