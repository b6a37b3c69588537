/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-stats"

#include "config.h"

#include <glib/gi18n.h>

#include "zz-stats-worker.h"
#include "zz-store-private.h"

typedef struct {
  char *db_path;
  char *login;
  gint64 now;
  char *unit;
  ZzPeriod period;
} Job;

static void
job_free (Job *j)
{
  g_free (j->db_path);
  g_free (j->login);
  g_free (j->unit);
  g_free (j);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  g_autoptr(ZzStore) store = NULL;
  GError *error = NULL;
  ZzStats *stats;

  store = zz_store_open (j->db_path, &error);
  if (!store || !zz_store_act_as (store, j->login, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The figures of the moment they were asked for, as the window's own store tells it. */
  zz_store_set_now (store, j->now);
  stats = zz_store_compute_stats (store, j->unit, &j->period, &error);
  if (!stats)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      zz_stats_free (stats);
      return;
    }
  g_task_return_pointer (task, stats, (GDestroyNotify) zz_stats_free);
}

void
zz_store_compute_stats_async (ZzStore             *self,
                              const char          *unit,
                              const ZzPeriod      *period,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  Job *j;

  g_return_if_fail (ZZ_IS_STORE (self));
  g_return_if_fail (unit != NULL && period != NULL);

  g_task_set_source_tag (task, zz_store_compute_stats_async);
  if (!zz_store_require (self, ZZ_PERM_VIEW_STATS, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  j = g_new0 (Job, 1);
  j->db_path = g_strdup (self->path);
  j->login = g_strdup (self->user_login);
  j->now = zz_store_now (self);
  j->unit = g_strdup (unit);
  j->period = *period;
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_thread);
}

ZzStats *
zz_store_compute_stats_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
