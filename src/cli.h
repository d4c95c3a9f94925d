/* SPDX-License-Identifier: MIT */
/* cli.h: what every wr-* program shares: its name in diagnostics, exit codes, and the
 * GNU --version text. Not part of libwrkit: the library never prints. */
#ifndef WRKIT_CLI_H
#define WRKIT_CLI_H

#include <stdio.h>

#include "wrkit/json_input.h"

enum {
	EXIT_OK = 0,       /* valid, fetched, gate open */
	EXIT_NEGATIVE = 1, /* invalid artifact, malformed input, fetch failed, gate closed */
	EXIT_USAGE = 2     /* could not do the job as asked */
};

/* Sets the name that prefixes every diagnostic. */
void cli_set_program(const char *name);
const char *cli_program(void);

/* "PROGRAM: message" on standard error, one line. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROGRAM: message\nTry 'PROGRAM --help' for more information." and EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports the option getopt_long just refused, for programs whose option string starts
 * with ':' (so a missing argument is ':', an unknown option '?') and that set opterr to
 * 0 (so getopt prints nothing of its own, under argv[0]'s full path): one line naming
 * the option and why, then the --help hint. Returns EXIT_USAGE. */
int cli_bad_option(char **argv, int c);

/* GNU --version text on standard output. */
void cli_print_version(void);

/* A one-line description of a JSON input error, naming the option that raises the
 * limit when a limit was hit. */
const char *cli_json_error(const wr_json_error *err, char *buf, size_t size);

/* Parses --max-bytes / --max-depth values into limits; prints the usage error itself.
 * Return 0 or -1. */
int cli_set_max_bytes(wr_json_limits *limits, const char *arg);
int cli_set_max_depth(wr_json_limits *limits, const char *arg);

/* The WorkRail release whose contract set is in force: option_value (--workrail) if
 * given, else $WRKIT_WORKRAIL if set, else the default (newest) release. Versions are
 * "3.121" or "3.121.0". An unknown version prints one line listing the known ones and
 * exits EXIT_USAGE. */
const char *cli_workrail_release(const char *option_value);

/* A list of record fields, for --tsv. */
typedef struct cli_fields {
	char **names;
	size_t count;
} cli_fields;

/* Parses "a,b,c". Returns 0, or -1 (after a usage error) when empty or out of memory. */
int cli_parse_fields(const char *list, cli_fields *out);
void cli_fields_free(cli_fields *f);

/* Writes rec's fields as one tab-separated line: strings as they are, except that
 * control characters (tab and newline among them) become spaces, so that a value never
 * splits a line or a column; null and absent fields empty; other values as compact
 * JSON. Returns 0, or -1 on a write error. */
int cli_write_tsv(FILE *out, json_object *rec, const cli_fields *fields);

#endif
