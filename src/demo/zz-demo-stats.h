/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zz-case-rules.h"
#include "zz-store.h"

G_BEGIN_DECLS

/* A database whose statistics are known: cases with their parties, mediation attempts (some
 * corrected), conclusions by level, dispatches to departments (on time, late, pending, returned),
 * supervision notes, return visits, reception visits with tickets, and risk households with their
 * visits, written through the one write path in one transaction. Counts follow the spec exactly:
 * a share s of t items is round(t × s) items (the last share of a split takes the rest). */
typedef struct {
  guint  n_cases;
  gint64 from_ms, to_ms;        /* registrations spread evenly over [from, to - 15 days); every
                                 * later event of a case falls before to_ms */
  gint64 now_ms;                /* the time the statistics are read at (>= to_ms): decides what
                                 * is overdue */
  double concluded_share;       /* of the cases */
  double level_share[ZZ_N_LEVELS];  /* of the concluded, by the level that resolved them */
  double success_share;         /* of the concluded (each had mediation): last attempt agreed */
  double overdue_share;         /* of the open: past their deadline */
  double correction_share;      /* of the concluded: their last attempt corrected (same result) */
  double village_excess_share;  /* of those resolved at the village: one attempt over the limit */
  double dispatch_share;        /* of the cases: dispatched to a department */
  double returned_share;        /* of the dispatches: returned by the department */
  double noted_share;           /* of the dispatches late on open cases: with a supervision note */
  double return_visit_share;    /* of the concluded */
  double satisfaction_share[3]; /* of the return visits: satisfied, basically, dissatisfied */
  double archived_share;        /* of the cases visited and satisfied (or basically): archived */
  guint  n_visits;              /* reception visits at this centre, over the same span */
  guint  households[4];         /* listed households by grade: high, medium, low, ungraded */
  double households_overdue_share;  /* of the graded ones: past their visit date */
  guint  households_delisted;   /* de-listed ones besides, never counted */
} ZzStatsSpec;

/* The seed's figures: 14,000 cases a year over @years from 1 January of @first_year, 97%
 * mediated successfully, 75 / 23 / 2 resolved at village and township / county / prefecture;
 * read on 15 January after the last year. */
void     zz_stats_spec_init   (ZzStatsSpec *spec,
                               int          first_year,
                               int          years);

/* What the generator wrote, one record per case (and per reception visit and household), handed
 * to a ZzDemoStatsSink as it is written, so that a test can count on its own what the statistics
 * should say (tests/support/zz-stats-truth.h keeps them). Strings are valid during the call. */
typedef struct {
  const char *id;
  const char *home;
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
  const char *department_id;
  gint64  dispatched_at, dispatch_deadline;
  /* the return visit, if any */
  gint64  return_visit_at;      /* 0 when none */
  const char *satisfaction;
} ZzDemoStatsCase;

typedef struct {
  const char *home;
  const char *day;
  int     people;
  gint64  wait_ms;              /* -1 when the ticket was never called */
} ZzDemoStatsVisit;

typedef struct {
  const char *id;
  const char *home;
  const char *grade;            /* "high", "medium", "low", "" */
  gboolean listed;
  gboolean overdue;
} ZzDemoStatsHousehold;

typedef struct {
  void   (*add_case)      (gpointer data, const ZzDemoStatsCase *c);
  void   (*add_visit)     (gpointer data, const ZzDemoStatsVisit *v);
  void   (*add_household) (gpointer data, const ZzDemoStatsHousehold *h);
  gpointer data;
} ZzDemoStatsSink;

/* Writes the spec's records over the villages and townships of this centre's unit, as the
 * logged-in user, to the departments on record (at least one). Hands each record to @sink when
 * not NULL. */
gboolean zz_demo_stats        (ZzStore               *store,
                               const ZzStatsSpec     *spec,
                               const ZzDemoStatsSink *sink,
                               ZzProgressFunc     progress,
                               gpointer           progress_data,
                               GError           **error);

/* The demo's share: @n_cases cases over the eleven months before the last thirty days before
 * @now_ms (the demo's own cases and visits fill those), with reception visits, and none of the
 * households (the demo has its own): a dashboard with a year's monthly trend. */
gboolean zz_demo_stats_recent (ZzStore  *store,
                               guint     n_cases,
                               gint64    now_ms,
                               GError  **error);

G_END_DECLS
