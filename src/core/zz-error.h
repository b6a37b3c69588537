/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZZ_ERROR (zz_error_quark ())

/* Messages carried by a ZZ_ERROR are translated and meant to be shown to the user as they are. */
typedef enum {
  ZZ_ERROR_INVALID,     /* bad input: a field fails validation */
  ZZ_ERROR_PERMISSION,  /* the current user's role may not do this */
  ZZ_ERROR_NOT_FOUND,
  ZZ_ERROR_AUTH,        /* wrong login or password */
  ZZ_ERROR_LOCKED,      /* account locked after repeated failures */
  ZZ_ERROR_STATE,       /* the record is not in a state that allows this */
  ZZ_ERROR_FORMAT,      /* a file is malformed */
  ZZ_ERROR_IO,
  ZZ_ERROR_DB,
  ZZ_ERROR_CANCELLED,
} ZzErrorCode;

GQuark zz_error_quark (void);

G_END_DECLS
