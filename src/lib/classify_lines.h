/* SPDX-License-Identifier: MIT */
/* classify_lines.h: the line structure of markdown notes, for the keyword scan and the
 * finding lines (internal to libwrkit). Pure: no allocation, no state. */
#ifndef WRKIT_CLASSIFY_LINES_H
#define WRKIT_CLASSIFY_LINES_H

#include <stddef.h>

/* The line structure of markdown notes. */
typedef struct line_info {
	size_t start, end;     /* the line, without its newline */
	size_t content;        /* after indentation, quote marks, list or heading marker */
	size_t indent;         /* columns of indentation before the marker */
	unsigned char blank;   /* nothing but white space */
	unsigned char bullet;  /* a list item: - * + • or 1. 1) */
	unsigned char heading; /* # ... */
	unsigned char fence;   /* ``` or ~~~: the fence character, else 0 */
	unsigned char fence_len;
	unsigned char table;   /* starts with | */
	unsigned char rule;    /* --- *** ___ */
	unsigned char quote;   /* a block quote (> ...) */
	unsigned char unchecked; /* a list item with an empty check box: - [ ] ... */
} line_info;

/* Describes the line that starts at start. */
void line_describe(const char *text, size_t len, size_t start, line_info *li);

/* The index of the next line's first byte, or len. */
size_t line_next(const char *text, size_t len, const line_info *li);

#endif
