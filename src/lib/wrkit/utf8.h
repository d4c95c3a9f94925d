/* SPDX-License-Identifier: MIT */
/* wrkit/utf8.h: UTF-8 as RFC 3629 has it, for every input wrkit reads. */
#ifndef WRKIT_UTF8_H
#define WRKIT_UTF8_H

#include <stddef.h>

/* Checks that buf[0..len) is UTF-8 (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF). Returns the offset of the first bad byte, or len when all is well. */
size_t wr_utf8_check(const char *buf, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t wr_utf8_length(const char *s, size_t len);

#endif
