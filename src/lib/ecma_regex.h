/* SPDX-License-Identifier: MIT */
/* ecma_regex.h (internal): ECMA-262 regular expressions (as JSON Schema's "pattern"
 * means them) compiled with PCRE2. */
#ifndef WRKIT_ECMA_REGEX_H
#define WRKIT_ECMA_REGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

/* Compiles pattern, or returns NULL with a one-line reason in why ("out of memory"
 * exactly when memory ran out). */
pcre2_code *wr_ecma_regex_compile(const char *pattern, char *why, size_t why_size);

/* The PCRE2 spelling of an ECMA pattern (long Unicode property names such as
 * \p{Letter} become \p{L}). Returns a new string, or NULL when out of memory. */
char *wr_ecma_regex_translate(const char *pattern);

#endif
