/* SPDX-License-Identifier: MIT */
/* wrkit/parse.h: the small value syntaxes of command-line options. */
#ifndef WRKIT_PARSE_H
#define WRKIT_PARSE_H

#include <stddef.h>

/* A byte count: digits with an optional K, M or G suffix (powers of 1024; "KiB",
 * "MiB", "GiB" also accepted). Returns 0, or -1 when s is not one or overflows. */
int wr_parse_size(const char *s, size_t *out);

/* A duration: "90s", "30m", "1h", "250ms" or bare seconds, a whole number. Stores
 * milliseconds. Returns 0, or -1 when s is not one or overflows. */
int wr_parse_duration_ms(const char *s, long long *out_ms);

/* A non-negative decimal integer that fits a long long. Returns 0 or -1. */
int wr_parse_count(const char *s, long long *out);

#endif
