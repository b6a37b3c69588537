/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-stats-truth.h"

static void
add_case (gpointer data, const ZzDemoStatsCase *c)
{
  ZzStatsTruth *t = data;
  ZzStatsTruthCase copy = {
    .id = g_strdup (c->id), .home = g_strdup (c->home), .registered_at = c->registered_at,
    .category = c->category, .source = c->source, .concluded = c->concluded, .archived = c->archived,
    .concluded_at = c->concluded_at, .deadline_at = c->deadline_at, .resolved = c->resolved,
    .success = c->success, .village_attempts = c->village_attempts, .corrected = c->corrected,
    .dispatched = c->dispatched, .returned = c->returned, .noted = c->noted,
    .department_id = g_strdup (c->department_id), .dispatched_at = c->dispatched_at,
    .dispatch_deadline = c->dispatch_deadline, .return_visit_at = c->return_visit_at,
    .satisfaction = c->satisfaction,
  };
  g_array_append_val (t->cases, copy);
}

static void
add_visit (gpointer data, const ZzDemoStatsVisit *v)
{
  ZzStatsTruth *t = data;
  ZzStatsTruthVisit copy = { g_strdup (v->home), g_strdup (v->day), v->people, v->wait_ms };
  g_array_append_val (t->visits, copy);
}

static void
add_household (gpointer data, const ZzDemoStatsHousehold *h)
{
  ZzStatsTruth *t = data;
  ZzStatsTruthHousehold copy = { g_strdup (h->id), g_strdup (h->home), h->grade, h->listed, h->overdue };
  g_array_append_val (t->households, copy);
}

ZzStatsTruth *
zz_stats_truth_new (void)
{
  ZzStatsTruth *t = g_new0 (ZzStatsTruth, 1);

  t->cases = g_array_new (FALSE, TRUE, sizeof (ZzStatsTruthCase));
  t->visits = g_array_new (FALSE, TRUE, sizeof (ZzStatsTruthVisit));
  t->households = g_array_new (FALSE, TRUE, sizeof (ZzStatsTruthHousehold));
  t->sink = (ZzDemoStatsSink) { add_case, add_visit, add_household, t };
  return t;
}

const ZzDemoStatsSink *
zz_stats_truth_sink (ZzStatsTruth *truth)
{
  return truth ? &truth->sink : NULL;
}

void
zz_stats_truth_free (ZzStatsTruth *truth)
{
  if (!truth)
    return;
  for (guint i = 0; i < truth->cases->len; i++)
    {
      ZzStatsTruthCase *c = &g_array_index (truth->cases, ZzStatsTruthCase, i);
      g_free (c->id);
      g_free (c->home);
      g_free (c->department_id);
    }
  for (guint i = 0; i < truth->visits->len; i++)
    {
      ZzStatsTruthVisit *v = &g_array_index (truth->visits, ZzStatsTruthVisit, i);
      g_free (v->home);
      g_free (v->day);
    }
  for (guint i = 0; i < truth->households->len; i++)
    {
      ZzStatsTruthHousehold *h = &g_array_index (truth->households, ZzStatsTruthHousehold, i);
      g_free (h->id);
      g_free (h->home);
    }
  g_array_unref (truth->cases);
  g_array_unref (truth->visits);
  g_array_unref (truth->households);
  g_free (truth);
}
