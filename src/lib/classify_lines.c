/* SPDX-License-Identifier: MIT */
/* The line structure of markdown notes: indentation, quote marks, list and heading
 * markers, fences, tables, rules. See classify_lines.h. */
#include <config.h>

#include <string.h>

#include "classify_lines.h"

/* Skips a list marker at p: - * + • followed by a space, or digits then . or ). */
static size_t skip_bullet(const unsigned char *s, size_t p, size_t end, int *bullet)
{
	*bullet = 0;
	if (p < end && (s[p] == '-' || s[p] == '*' || s[p] == '+') &&
	    (p + 1 >= end || s[p + 1] == ' ' || s[p + 1] == '\t')) {
		*bullet = 1;
		return p + 1;
	}
	if (p + 2 < end && s[p] == 0xE2 && s[p + 1] == 0x80 && s[p + 2] == 0xA2) {
		*bullet = 1;
		return p + 3;
	}
	size_t q = p;
	while (q < end && q - p < 9 && s[q] >= '0' && s[q] <= '9')
		q++;
	if (q > p && q < end && (s[q] == '.' || s[q] == ')') &&
	    (q + 1 >= end || s[q + 1] == ' ' || s[q + 1] == '\t')) {
		*bullet = 1;
		return q + 1;
	}
	return p;
}

static size_t skip_blanks(const unsigned char *s, size_t p, size_t end)
{
	while (p < end && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r'))
		p++;
	return p;
}

void line_describe(const char *text, size_t len, size_t start, line_info *li)
{
	const unsigned char *s = (const unsigned char *)text;
	const char *nl = memchr(text + start, '\n', len - start);
	size_t end = nl ? (size_t)(nl - text) : len;
	size_t p = start;

	memset(li, 0, sizeof *li);
	li->start = start;
	li->end = end;
	while (p < end && (s[p] == ' ' || s[p] == '\t')) {
		li->indent += s[p] == '\t' ? 4 : 1;
		p++;
	}
	while (p < end && s[p] == '>') { /* block quotes: their text is notes too */
		li->quote = 1;
		p = skip_blanks(s, p + 1, end);
	}
	if (skip_blanks(s, p, end) == end) {
		li->blank = 1;
		li->content = end;
		return;
	}
	if (s[p] == '`' || s[p] == '~') {
		size_t q = p;
		while (q < end && s[q] == s[p])
			q++;
		if (q - p >= 3) {
			li->fence = s[p];
			li->fence_len = (unsigned char)(q - p > 255 ? 255 : q - p);
			li->content = q;
			return;
		}
	}
	if (s[p] == '|') {
		li->table = 1;
		li->content = p;
		return;
	}
	if (s[p] == '-' || s[p] == '*' || s[p] == '_') {
		size_t q = p, marks = 0;
		while (q < end && (s[q] == s[p] || s[q] == ' ' || s[q] == '\t')) {
			marks += s[q] == s[p];
			q++;
		}
		if (marks >= 3 && skip_blanks(s, q, end) == end) {
			li->rule = 1;
			li->content = end;
			return;
		}
	}
	if (s[p] == '#') {
		size_t q = p;
		while (q < end && s[q] == '#')
			q++;
		if (q - p <= 6 && (q == end || s[q] == ' ' || s[q] == '\t')) {
			li->heading = 1;
			li->content = skip_blanks(s, q, end);
			return;
		}
	}
	int bullet;
	size_t q = skip_bullet(s, p, end, &bullet);
	li->bullet = (unsigned char)bullet;
	li->content = skip_blanks(s, q, end);
	li->unchecked = bullet && li->content + 2 < end && s[li->content] == '[' &&
	                s[li->content + 1] == ' ' && s[li->content + 2] == ']';
}

size_t line_next(const char *text, size_t len, const line_info *li)
{
	(void)text;
	return li->end < len ? li->end + 1 : len;
}
