/* SPDX-License-Identifier: MIT */
/* wrkit/json_input.h: JSON documents from hostile input, with limits.
 *
 * Every document wrkit reads passes through here: it is refused, with a one-line
 * message and a position, when it is empty, larger than the size limit, nested deeper
 * than the depth limit, not UTF-8, holds a NUL byte, or is not exactly one JSON value.
 */
#ifndef WRKIT_JSON_INPUT_H
#define WRKIT_JSON_INPUT_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

#include "wrkit/utf8.h"

#define WR_JSON_DEFAULT_MAX_BYTES ((size_t)64 << 20) /* 64 MiB */
#define WR_JSON_DEFAULT_MAX_DEPTH 128

typedef struct wr_json_limits {
	size_t max_bytes; /* a document (or an NDJSON line) larger than this is refused */
	int max_depth;    /* arrays and objects nested deeper than this are refused */
} wr_json_limits;

/* What went wrong, so that a program can name the option that raises a limit. */
typedef enum wr_json_status {
	WR_JSON_OK = 0,
	WR_JSON_EMPTY,     /* nothing but white space */
	WR_JSON_TOO_LARGE, /* over max_bytes */
	WR_JSON_TOO_DEEP,  /* over max_depth */
	WR_JSON_SYNTAX,    /* malformed, truncated, or trailing data */
	WR_JSON_BAD_UTF8,  /* a byte sequence that is not UTF-8 */
	WR_JSON_NUL_BYTE,  /* a raw NUL byte (an escaped \u0000 in a string is fine) */
	WR_JSON_IO,        /* the input could not be read */
	WR_JSON_NOMEM
} wr_json_status;

typedef struct wr_json_error {
	wr_json_status status;
	unsigned long line;   /* 1-based position of the problem, 0 when none applies */
	unsigned long column; /* 1-based, in bytes */
	char message[256];    /* one line, no file name, no trailing period */
} wr_json_error;

/* The limits every program starts from. */
wr_json_limits wr_json_default_limits(void);

/* Parses exactly one JSON value (RFC 8259, nothing more: no comments, no single
 * quotes, no NaN, no raw control characters) from buf[0..len). Returns 0 with *out a
 * new reference (NULL for JSON null, as in json-c), or -1 with *err filled in. Never
 * reads past len; buf need not be NUL-terminated. Duplicate keys: the last one wins.
 * Object keys holding U+0000 are refused (json-c keys are C strings). Integers that
 * fit int64 are ints; others are doubles that keep their text. */
int wr_json_parse(const char *buf, size_t len, const wr_json_limits *limits,
                  json_object **out, wr_json_error *err);

/* Reads all of fp into a new buffer (caller frees), refusing input over max_bytes
 * without reading more than max_bytes + 1 bytes of it. Returns 0, or -1 with *err. */
int wr_json_slurp(FILE *fp, size_t max_bytes, char **buf, size_t *len, wr_json_error *err);

/* wr_json_slurp then wr_json_parse; returns as wr_json_parse does. */
int wr_json_read(FILE *fp, const wr_json_limits *limits, json_object **out,
                 wr_json_error *err);

/* Opens path ("-" is standard input) and reads one document from it, as wr_json_read.
 * Opening errors have status WR_JSON_IO and say why. */
int wr_json_read_path(const char *path, const wr_json_limits *limits, json_object **out,
                      wr_json_error *err);

/* For a document that is one line of a stream the caller names: turns the position
 * into "column C: " at the head of the message and clears line and column. */
void wr_json_error_in_line(wr_json_error *err);

/* A message for err fit for a diagnostic line: "line L, column C: message" when there
 * is a position, else the message. Returns buf. */
const char *wr_json_error_describe(const wr_json_error *err, char *buf, size_t size);

#endif
