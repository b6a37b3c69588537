/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-demo-stats.h"

G_BEGIN_DECLS

/* The known answers of the statistics: every record the generator (zz_demo_stats) wrote, kept
 * for a test to count on its own what the statistics must say. */
typedef struct {
  char   *id;
  char   *home;
  gint64  registered_at;
  const char *category;
  const char *source;
  gboolean concluded;           /* status concluded or archived */
  gboolean archived;
  gint64  concluded_at;         /* 0 when open */
  gint64  deadline_at;
  ZzCaseLevel resolved;
  gboolean success;
  int     village_attempts;     /* original attempts at the village (corrections not counted) */
  gboolean corrected;
  /* the dispatch, if any */
  gboolean dispatched, returned, noted;
  char   *department_id;
  gint64  dispatched_at, dispatch_deadline;
  /* the return visit, if any */
  gint64  return_visit_at;      /* 0 when none */
  const char *satisfaction;
} ZzStatsTruthCase;

typedef struct {
  char   *home;
  char   *day;
  int     people;
  gint64  wait_ms;              /* -1 when the ticket was never called */
} ZzStatsTruthVisit;

typedef struct {
  char   *id;
  char   *home;
  const char *grade;            /* "high", "medium", "low", "" */
  gboolean listed;
  gboolean overdue;
} ZzStatsTruthHousehold;

typedef struct {
  GArray *cases;                /* ZzStatsTruthCase */
  GArray *visits;               /* ZzStatsTruthVisit */
  GArray *households;           /* ZzStatsTruthHousehold */
  ZzDemoStatsSink sink;         /* hand to zz_demo_stats() to fill the arrays */
} ZzStatsTruth;

ZzStatsTruth *zz_stats_truth_new  (void);
void          zz_stats_truth_free (ZzStatsTruth *truth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZzStatsTruth, zz_stats_truth_free)

/* The sink that fills @truth (for zz_demo_stats()). */
const ZzDemoStatsSink *zz_stats_truth_sink (ZzStatsTruth *truth);

G_END_DECLS
