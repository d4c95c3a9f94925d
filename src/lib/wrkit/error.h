/* SPDX-License-Identifier: MIT */
/* wrkit/error.h: how the library says what went wrong. */
#ifndef WRKIT_ERROR_H
#define WRKIT_ERROR_H

/* One line, no trailing period, fit to follow "PROGRAM: FILE: ". */
typedef struct wr_error {
	char message[512];
} wr_error;

/* Sets err->message (err may be NULL). Returns -1, for `return wr_error_set(...)`. */
int wr_error_set(wr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
