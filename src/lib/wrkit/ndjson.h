/* SPDX-License-Identifier: MIT */
/* wrkit/ndjson.h: NDJSON streams at constant memory.
 *
 * A line reader that never holds more than one line (bounded by a limit), and the
 * record stream of the pipeline on top of it: one JSON object per line, blank lines
 * skipped, a bad line reported without ending the stream.
 */
#ifndef WRKIT_NDJSON_H
#define WRKIT_NDJSON_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

#include "wrkit/json_input.h"

typedef struct wr_line_reader wr_line_reader;

/* Reads lines from fp (not closed by the reader; read through its descriptor, so do
 * not also read it with stdio). A line is returned as soon as it has arrived. Lines
 * longer than max_line bytes are skipped to their end, never stored. Returns NULL when
 * out of memory. */
wr_line_reader *wr_line_reader_new(FILE *fp, size_t max_line);
void wr_line_reader_free(wr_line_reader *r);

/* The next line, without its "\n" or "\r\n"; the bytes stay valid until the next call
 * and may contain NULs. Returns 1 for a line (with *too_long set, and *len 0, when it
 * was over the limit), 0 at the end of input, -1 on a read error (errno set). */
int wr_line_reader_next(wr_line_reader *r, const char **line, size_t *len, int *too_long);

/* 1-based number of the line last returned. */
unsigned long wr_line_reader_lineno(const wr_line_reader *r);

/* The error for a line the reader skipped as longer than max_line (WR_JSON_TOO_LARGE,
 * no position). */
void wr_line_too_long(wr_json_error *err, size_t max_line);

typedef struct wr_records wr_records;

/* A record stream over fp with the given limits (max_bytes bounds each line). */
wr_records *wr_records_new(FILE *fp, const wr_json_limits *limits);
void wr_records_free(wr_records *rs);

/* The next record. Returns 1 with *rec (a new reference to a JSON object), 1 with *rec
 * NULL and *err filled when the line is not a JSON object (the stream goes on), 0 at
 * the end, -1 on a read error (*err filled). Blank lines are skipped. */
int wr_records_next(wr_records *rs, json_object **rec, wr_json_error *err);

/* 1-based line number of the record last returned. */
unsigned long wr_records_lineno(const wr_records *rs);

/* The text of the record last returned (without its line end), valid until the next
 * call; NULL after a line that was not a record. Lets a stage that only adds fields
 * copy the rest as it came. */
const char *wr_records_text(const wr_records *rs, size_t *len);

/* Writes rec as one compact line, as json-c prints it but allocating nothing (a record
 * is never written cut short). Returns 0, or -1 on a write error or when a number
 * could not be printed (errno ENOMEM). */
int wr_record_write(FILE *out, json_object *rec);

/* Writes v as compact JSON (no newline), as wr_record_write does. Returns 0, or -1 when
 * a number could not be printed (errno ENOMEM); write errors show in ferror(out). */
int wr_json_write(FILE *out, json_object *v);

/* The string field key of rec, or NULL when absent or not a string. */
const char *wr_record_get_string(json_object *rec, const char *key);

#endif
