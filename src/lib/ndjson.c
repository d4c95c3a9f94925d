/* SPDX-License-Identifier: MIT */
/* NDJSON at constant memory: one line in memory at a time, bounded by the limit. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wrkit/ndjson.h"

#define READ_CHUNK 65536

struct wr_line_reader {
	FILE *fp;
	size_t max_line;
	char *buf;        /* holds the unread bytes at buf[start..end) */
	size_t cap, start, end;
	int eof;
	unsigned long lineno;
};

wr_line_reader *wr_line_reader_new(FILE *fp, size_t max_line)
{
	wr_line_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->fp = fp;
	r->max_line = max_line;
	r->cap = READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	return r;
}

void wr_line_reader_free(wr_line_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

unsigned long wr_line_reader_lineno(const wr_line_reader *r)
{
	return r->lineno;
}

/* Reads more input after the unread bytes; grows the buffer only up to what one line
 * within the limit needs. Returns bytes read, 0 at end, -1 on error or no memory. */
static long fill(wr_line_reader *r)
{
	if (r->eof)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t ncap = r->cap * 2;
		char *nbuf = realloc(r->buf, ncap);
		if (!nbuf) {
			errno = ENOMEM;
			return -1;
		}
		r->buf = nbuf;
		r->cap = ncap;
	}
	/* read(2) returns what a pipe holds now, so a line is handed on as soon as it
	 * arrives; fread would wait to fill the buffer. Streams without a descriptor
	 * (fmemopen) have nothing to wait for. */
	size_t n;
	int fd = fileno(r->fp);
	if (fd >= 0) {
		ssize_t got;
		do
			got = read(fd, r->buf + r->end, r->cap - r->end);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -1;
		n = (size_t)got;
	} else {
		n = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
		if (n == 0 && ferror(r->fp))
			return -1;
	}
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->end += n;
	return (long)n;
}

/* Discards input up to and including the next newline. */
static int skip_line(wr_line_reader *r)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl) {
			r->start = (size_t)(nl - r->buf) + 1;
			return 0;
		}
		r->start = r->end = 0;
		long n = fill(r);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
	}
}

int wr_line_reader_next(wr_line_reader *r, const char **line, size_t *len, int *too_long)
{
	size_t scanned = 0; /* bytes of the current line already searched for a newline */

	*too_long = 0;
	for (;;) {
		char *base = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl = memchr(base + scanned, '\n', avail - scanned);
		size_t line_len = nl ? (size_t)(nl - base) : avail;

		if (line_len > r->max_line) {
			r->lineno++;
			*too_long = 1;
			*line = base;
			*len = 0;
			if (nl)
				r->start += line_len + 1;
			else if (skip_line(r) < 0)
				return -1;
			return 1;
		}
		if (nl || (r->eof && avail > 0)) {
			r->lineno++;
			r->start += line_len + (nl ? 1 : 0);
			if (line_len > 0 && base[line_len - 1] == '\r')
				line_len--;
			*line = base;
			*len = line_len;
			return 1;
		}
		scanned = avail;
		long n = fill(r);
		if (n < 0)
			return -1;
		if (n == 0 && r->end == r->start)
			return 0;
	}
}

void wr_line_too_long(wr_json_error *err, size_t max_line)
{
	err->status = WR_JSON_TOO_LARGE;
	err->line = err->column = 0;
	snprintf(err->message, sizeof err->message,
	         "line is larger than the size limit of %zu bytes", max_line);
}

struct wr_records {
	wr_line_reader *lines;
	wr_json_limits limits;
	const char *line; /* the text of the record last returned */
	size_t line_len;
};

wr_records *wr_records_new(FILE *fp, const wr_json_limits *limits)
{
	wr_records *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->limits = limits ? *limits : wr_json_default_limits();
	rs->lines = wr_line_reader_new(fp, rs->limits.max_bytes);
	if (!rs->lines) {
		free(rs);
		return NULL;
	}
	return rs;
}

void wr_records_free(wr_records *rs)
{
	if (!rs)
		return;
	wr_line_reader_free(rs->lines);
	free(rs);
}

unsigned long wr_records_lineno(const wr_records *rs)
{
	return wr_line_reader_lineno(rs->lines);
}

const char *wr_records_text(const wr_records *rs, size_t *len)
{
	*len = rs->line_len;
	return rs->line;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

int wr_records_next(wr_records *rs, json_object **rec, wr_json_error *err)
{
	const char *line;
	size_t len;
	int too_long, rc;

	*rec = NULL;
	rs->line = NULL;
	rs->line_len = 0;
	while ((rc = wr_line_reader_next(rs->lines, &line, &len, &too_long)) == 1) {
		if (too_long) {
			wr_line_too_long(err, rs->limits.max_bytes);
			return 1;
		}
		if (is_blank(line, len))
			continue;
		json_object *obj;
		if (wr_json_parse(line, len, &rs->limits, &obj, err) < 0) {
			wr_json_error_in_line(err);
			return 1;
		}
		if (!json_object_is_type(obj, json_type_object)) {
			json_object_put(obj);
			err->status = WR_JSON_SYNTAX;
			err->line = err->column = 0;
			snprintf(err->message, sizeof err->message,
			         "a record must be a JSON object");
			return 1;
		}
		*rec = obj;
		rs->line = line;
		rs->line_len = len;
		return 1;
	}
	if (rc < 0) {
		err->status = WR_JSON_IO;
		err->line = err->column = 0;
		snprintf(err->message, sizeof err->message, "read error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A JSON string as json-c writes it without escaping '/': the control characters,
 * '"' and '\\' escaped, every other byte as it is. */
static void write_string(FILE *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;
	putc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite(s + start, 1, i - start, out);
		start = i + 1;
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			fputs("\\u00", out);
			putc(hex[c >> 4], out);
			putc(hex[c & 15], out);
		}
	}
	fwrite(s + start, 1, len - start, out);
	putc('"', out);
}

/* Writes v as compact JSON straight to out, as json-c would print it, but allocating
 * nothing: json-c's printer ignores a failed allocation in the middle of a record and
 * prints the record cut short, which must never reach the next stage as if whole.
 * Returns 0, or -1 when a number could not be printed (out of memory). */
static int write_value(FILE *out, json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		fputs("null", out);
		return 0;
	case json_type_boolean:
		fputs(json_object_get_boolean(v) ? "true" : "false", out);
		return 0;
	case json_type_string:
		write_string(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		return 0;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		putc('[', out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				putc(',', out);
			if (write_value(out, json_object_array_get_idx(v, i)) < 0)
				return -1;
		}
		putc(']', out);
		return 0;
	}
	case json_type_object: {
		int first = 1;
		putc('{', out);
		json_object_object_foreach(v, key, member) {
			if (!first)
				putc(',', out);
			first = 0;
			write_string(out, key, strlen(key));
			putc(':', out);
			if (write_value(out, member) < 0)
				return -1;
		}
		putc('}', out);
		return 0;
	}
	default: {
		/* Numbers: json-c's own text (a double keeps the text it was read with). */
		size_t len;
		const char *s = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len);
		if (!s) {
			errno = ENOMEM;
			return -1;
		}
		fwrite(s, 1, len, out);
		return 0;
	}
	}
}

int wr_json_write(FILE *out, json_object *v)
{
	return write_value(out, v);
}

int wr_record_write(FILE *out, json_object *rec)
{
	if (write_value(out, rec) < 0)
		return -1;
	if (putc('\n', out) == EOF || ferror(out))
		return -1;
	return 0;
}

const char *wr_record_get_string(json_object *rec, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(rec, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}
