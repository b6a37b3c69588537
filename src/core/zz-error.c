/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zz-error.h"

G_DEFINE_QUARK (zz-error-quark, zz_error)
