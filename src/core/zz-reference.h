/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fixed vocabularies. Keys are stored; names are translated for display. */
typedef struct {
  const char *key;
  const char *name;   /* untranslated; pass through _() or use the accessor */
} ZzVocab;

const ZzVocab *zz_visit_categories   (guint *n);
const ZzVocab *zz_ticket_outcomes    (guint *n);
const ZzVocab *zz_stationing_modes   (guint *n);
const char    *zz_vocab_display      (const ZzVocab *v, guint n, const char *key);
gboolean       zz_vocab_has          (const ZzVocab *v, guint n, const char *key);
/* The translated name of @key in the vocabulary @get returns (zz_visit_categories,
 * zz_case_sources, ...): the key itself when unknown, "" for NULL. */
const char    *zz_vocab_name         (const ZzVocab *(*get) (guint *n), const char *key);

/* Weekday mask: bit 0 Monday .. bit 6 Sunday. "一三五" style text for display. */
char          *zz_weekdays_display   (guint mask);

/* The 56 ethnic groups (民族) by their official names, 汉族 first: key and name are the same
 * Chinese name, the form stored and printed. */
const ZzVocab *zz_ethnicities        (guint *n);
/* The official name @text stands for ("汉族" or "汉"), or NULL when it names none. */
const char    *zz_ethnicity_find     (const char *text);

typedef struct {
  const char *name;        /* the department's name as the centres write it */
  const char *stationing;
  guint weekdays;
} ZzDefaultDepartment;

const ZzDefaultDepartment *zz_default_departments (guint *n);

G_END_DECLS
