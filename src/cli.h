/* SPDX-License-Identifier: MIT */
/* cli.h: what every wr-* program shares: its name in diagnostics, exit codes, its
 * options (one table: getopt, --help, --version, the limits, refusals) and the loop
 * over its FILE operands. Not part of libwrkit: the library never prints. */
#ifndef WRKIT_CLI_H
#define WRKIT_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "wrkit/json_input.h"

enum {
	EXIT_OK = 0,       /* valid, fetched, gate open */
	EXIT_NEGATIVE = 1, /* invalid artifact, malformed input, fetch failed, gate closed */
	EXIT_USAGE = 2     /* could not do the job as asked */
};

/* The option layer. A program describes its options once, in a table; from it
 * cli_parse builds getopt_long's tables, and cli_print_help the option lines of --help,
 * so that what a program accepts and what its --help lists cannot drift apart. */

/* One option: one row of a program's table. */
typedef struct cli_option {
	const char *name; /* the long name, without "--" */
	int letter;       /* the short option's letter, or 0 */
	const char *arg;  /* the argument's name in --help ("N", "FILE"); NULL: none taken */
	const char *help; /* one line of help; --help wraps it to the terminal's 80 columns */
	int id;           /* what the program's handler is given; below CLI_OPT_RESERVED */
} cli_option;

/* The ids cli.c handles itself. Programs never see them, and give their own options
 * ids below CLI_OPT_RESERVED (a letter, or an enum from 256). */
enum {
	CLI_OPT_RESERVED = 0x10000,
	CLI_OPT_HELP = CLI_OPT_RESERVED, /* -h, --help: added to every table */
	CLI_OPT_VERSION,                 /* -V, --version: added to every table */
	CLI_OPT_MAX_BYTES,               /* --max-bytes SIZE, into the limits given */
	CLI_OPT_MAX_DEPTH                /* --max-depth N, into the limits given */
};

/* The limit options, as rows for the programs that take them. HELP says what is
 * refused ("refuse records larger than SIZE"); --help adds the default, which only
 * cli.c knows. cli_parse sets them into its limits argument. */
#define CLI_OPTION_MAX_BYTES(help) {"max-bytes", 0, "SIZE", help, CLI_OPT_MAX_BYTES}
#define CLI_OPTION_MAX_DEPTH(help) {"max-depth", 0, "N", help, CLI_OPT_MAX_DEPTH}

/* A program's own option: returns 0 to go on, or anything else after reporting why
 * the value is refused (cli_usage_error's EXIT_USAGE, or -1), which ends the parse
 * with EXIT_USAGE. Called in command-line order. */
typedef int (*cli_option_handler)(void *ctx, int id, const char *arg);

/* What --help says and what the options are: one constant per program. */
typedef struct cli_spec {
	const char *synopsis;    /* after "Usage: NAME ": "[OPTION]... [FILE]..." */
	const char *description; /* the lines after the usage line, each ending in '\n' */
	const cli_option *options;
	size_t option_count;
	const char *epilogue;    /* after the options (the exit status); NULL: none */
	cli_option_handler handle;
} cli_spec;

/* cli_parse's answer when the program goes on with its operands. */
enum { CLI_RUN = -1 };

/* Parses argv by prog's table (getopt_long: options and operands may mix; "--" ends
 * the options). Each of the program's options goes to prog->handle(ctx, id, arg);
 * --max-bytes and --max-depth go into *limits (NULL only when the table has neither).
 * Returns CLI_RUN with *first_operand the index of the first operand in argv (argv is
 * permuted as getopt_long does), or the status to exit with at once: EXIT_OK after
 * --help or --version (printed on standard output), EXIT_USAGE after a refused option
 * or value or out of memory (reported in one line and the --help hint). Starts a new
 * scan of argv each call (optind is reset), so a test may call it again. */
int cli_parse(const cli_spec *prog, void *ctx, wr_json_limits *limits, int argc,
              char **argv, int *first_operand);

/* getopt_long's tables for prog, -h and -V included: *longopts (terminated by a zero
 * row) gives each option the value CLI_GETOPT_BASE + its index in the table, help and
 * version last; *shortopts starts with ':' (a missing argument is told from an unknown
 * option) and names each letter, with ':' after the letters that take an argument.
 * Returns 0, or -1 when out of memory. Free both with free(). */
enum { CLI_GETOPT_BASE = 0x20000 };
int cli_getopt_tables(const cli_spec *prog, struct option **longopts, char **shortopts);

/* The --help text on out: "Usage: NAME SYNOPSIS", the description, the options of the
 * table in GNU style (-h and -V last), aligned, each help wrapped within 80 columns,
 * and the epilogue. */
void cli_print_help(const cli_spec *prog, FILE *out);

/* The file loop of the programs that read FILE operands: calls each(ctx, path) for
 * argv[first..argc), or once for "-" (standard input) when there is none. Stops at the
 * first call that returns a negative value, and returns it; else 0. */
typedef int (*cli_file_handler)(void *ctx, const char *path);
int cli_each_file(int argc, char **argv, int first, cli_file_handler each, void *ctx);

/* Sets the name that prefixes every diagnostic. */
void cli_set_program(const char *name);
const char *cli_program(void);

/* "PROGRAM: message" on standard error, one line. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROGRAM: message\nTry 'PROGRAM --help' for more information." and EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A one-line description of a JSON input error, naming the option that raises the
 * limit when a limit was hit. */
const char *cli_json_error(const wr_json_error *err, char *buf, size_t size);

/* The WorkRail release whose contract set is in force: option_value (--workrail) if
 * given, else $WRKIT_WORKRAIL if set, else the default (newest) release. Versions are
 * "3.121" or "3.121.0". An unknown version prints one line listing the known ones and
 * exits EXIT_USAGE. */
const char *cli_workrail_release(const char *option_value);

/* Adds the string value under key of o. Returns 0, or -1 when out of memory: json-c
 * adds a null, and succeeds, when it cannot make the string itself. */
int cli_add_string(json_object *o, const char *key, const char *value);

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
