/* SPDX-License-Identifier: MIT */
/* schema_format.h (internal): the "format" keyword's checkers, for format-assert. */
#ifndef WRKIT_SCHEMA_FORMAT_H
#define WRKIT_SCHEMA_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "ecma_regex.h"

typedef enum wr_format {
	WR_FORMAT_NONE = 0, /* unknown or not asserted: an annotation only */
	WR_FORMAT_DATE_TIME,
	WR_FORMAT_DATE,
	WR_FORMAT_TIME,
	WR_FORMAT_DURATION,
	WR_FORMAT_EMAIL,
	WR_FORMAT_HOSTNAME,
	WR_FORMAT_IPV4,
	WR_FORMAT_IPV6,
	WR_FORMAT_URI,
	WR_FORMAT_URI_REFERENCE,
	WR_FORMAT_IRI,
	WR_FORMAT_UUID,
	WR_FORMAT_REGEX,
	WR_FORMAT_JSON_POINTER,
	WR_FORMAT_RELATIVE_JSON_POINTER
} wr_format;

/* The format a name stands for, WR_FORMAT_NONE when wrkit does not check it. */
wr_format wr_format_lookup(const char *name);
const char *wr_format_name(wr_format f);
/* Whether s[0..len) (UTF-8) is a valid instance of f. */
bool wr_format_check(wr_format f, const char *s, size_t len);

#endif
