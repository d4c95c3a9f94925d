/* SPDX-License-Identifier: MIT */
/* Errors: how every module of the library says what went wrong. At the bottom of the
 * library: it depends on nothing of wrkit's. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "wrkit/error.h"

int wr_error_set(wr_error *err, const char *fmt, ...)
{
	va_list ap;
	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return -1;
}
