/* SPDX-License-Identifier: MIT */
/* uri.h (internal): RFC 3986 reference resolution, enough for JSON Schema's $id and
 * $ref. No normalisation beyond removing dot segments: identifiers compare as strings. */
#ifndef WRKIT_URI_H
#define WRKIT_URI_H

#include <stdbool.h>
#include <stddef.h>

/* The target of reference ref against base (both may be relative; base may be NULL or
 * empty). Returns a new string, or NULL when out of memory. */
char *wr_uri_resolve(const char *base, const char *ref);

/* Length of uri without its fragment ("#..."). */
size_t wr_uri_base_length(const char *uri);

/* Decodes %XX escapes of s[0..len) into a new NUL-terminated string; NULL with errno
 * ENOMEM when out of memory, EINVAL when an escape is malformed. */
char *wr_uri_percent_decode(const char *s, size_t len);
/* Whether every %XX escape of s[0..len) is well formed (then a NULL from
 * wr_uri_percent_decode means out of memory). */
bool wr_uri_escapes_valid(const char *s, size_t len);

#endif
