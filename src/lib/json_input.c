/* SPDX-License-Identifier: MIT */
/* Reading JSON documents: whole inputs, bounded by the size limit. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wrkit/json_input.h"

/* Errors of reading, not of parsing: they have no position. */
static void set_error(wr_json_error *err, wr_json_status status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->status = status;
	err->line = 0;
	err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* The first buffer size for fp: a regular file's size (plus one byte, to see the end
 * without growing), else 64 KiB. */
static size_t first_capacity(FILE *fp, size_t max_bytes)
{
	struct stat st;
	int fd = fileno(fp);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < max_bytes)
		return (size_t)st.st_size + 1;
	return 65536;
}

int wr_json_slurp(FILE *fp, size_t max_bytes, char **bufp, size_t *lenp, wr_json_error *err)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;

	*bufp = NULL;
	*lenp = 0;
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : first_capacity(fp, max_bytes);
			if (ncap > max_bytes + 1)
				ncap = max_bytes + 1;
			if (ncap <= cap) /* cannot happen: len > max_bytes returns below */
				ncap = cap + 1;
			char *nbuf = realloc(buf, ncap);
			if (!nbuf) {
				free(buf);
				set_error(err, WR_JSON_NOMEM, "out of memory");
				return -1;
			}
			buf = nbuf;
			cap = ncap;
		}
		size_t want = cap - len;
		size_t n = fread(buf + len, 1, want, fp);
		len += n;
		if (len > max_bytes) {
			free(buf);
			set_error(err, WR_JSON_TOO_LARGE,
			          "input is larger than the size limit of %zu bytes", max_bytes);
			return -1;
		}
		if (n < want) { /* fread is short only at the end or on an error: one more
		                 * read would only cost a system call per file */
			if (ferror(fp)) {
				int e = errno;
				free(buf);
				set_error(err, WR_JSON_IO, "read error: %s", strerror(e));
				return -1;
			}
			break;
		}
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int wr_json_read(FILE *fp, const wr_json_limits *limits, json_object **out,
                 wr_json_error *err)
{
	wr_json_limits defaults = wr_json_default_limits();
	char *buf;
	size_t len;

	*out = NULL;
	if (!limits)
		limits = &defaults;
	if (wr_json_slurp(fp, limits->max_bytes, &buf, &len, err) < 0)
		return -1;
	int rc = wr_json_parse(buf, len, limits, out, err);
	free(buf);
	return rc;
}

int wr_json_read_path(const char *path, const wr_json_limits *limits, json_object **out,
                      wr_json_error *err)
{
	*out = NULL;
	if (strcmp(path, "-") == 0)
		return wr_json_read(stdin, limits, out, err);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		set_error(err, WR_JSON_IO, "cannot open: %s", strerror(errno));
		return -1;
	}
	int rc = wr_json_read(fp, limits, out, err);
	fclose(fp);
	return rc;
}

const char *wr_json_error_describe(const wr_json_error *err, char *buf, size_t size)
{
	if (err->line > 0)
		snprintf(buf, size, "line %lu, column %lu: %s", err->line, err->column,
		         err->message);
	else
		snprintf(buf, size, "%s", err->message);
	return buf;
}

void wr_json_error_in_line(wr_json_error *err)
{
	if (err->line != 1)
		return;
	char msg[sizeof err->message];
	snprintf(msg, sizeof msg, "column %lu: %.*s", err->column, (int)sizeof msg - 32, err->message);
	memcpy(err->message, msg, sizeof msg);
	err->line = err->column = 0;
}
