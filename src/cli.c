/* SPDX-License-Identifier: MIT */
#include <config.h>

#include <limits.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wrkit/contracts.h"
#include "wrkit/parse.h"

static const char *program_name = "wrkit";

void cli_set_program(const char *name)
{
	const char *slash = strrchr(name, '/');
	program_name = slash ? slash + 1 : name;
}

const char *cli_program(void)
{
	return program_name;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	char msg[4096];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* One diagnostic, one line: a message quoting hostile data must not forge more. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s: %s\n", program_name, msg);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", program_name, msg,
	        program_name);
	return EXIT_USAGE;
}

/* Reports the option getopt_long just refused (cli_parse's option string starts with
 * ':', so a missing argument is ':', an unknown option '?'; opterr is 0, so getopt
 * prints nothing of its own, under argv[0]'s full path): one line naming the option
 * and why, then the --help hint. Returns EXIT_USAGE. */
static int bad_option(char **argv, int c)
{
	/* optind has moved past the refused argument; a short option inside a group
	 * ("-xq") is named by optopt. */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (!(arg[0] == '-' && arg[1] == '-')) {
		if (c == ':')
			return cli_usage_error("option '-%c' requires an argument", optopt);
		return cli_usage_error("invalid option '-%c'", optopt);
	}
	char name[128];
	size_t n = strcspn(arg, "=");
	snprintf(name, sizeof name, "%.*s", (int)(n < 100 ? n : 100), arg);
	if (c == ':')
		return cli_usage_error("option '%s' requires an argument", name);
	if (optopt && arg[n] == '=')
		return cli_usage_error("option '%s' takes no argument", name);
	return cli_usage_error("unrecognized option '%s'", name);
}

/* GNU --version text on standard output. */
static void print_version(void)
{
	printf("%s (%s) %s\n", program_name, PACKAGE_NAME, PACKAGE_VERSION);
}

const char *cli_json_error(const wr_json_error *err, char *buf, size_t size)
{
	char desc[512];
	const char *hint = "";

	wr_json_error_describe(err, desc, sizeof desc);
	if (err->status == WR_JSON_TOO_LARGE)
		hint = " (raise it with --max-bytes)";
	else if (err->status == WR_JSON_TOO_DEEP)
		hint = " (raise it with --max-depth)";
	snprintf(buf, size, "%s%s", desc, hint);
	return buf;
}

/* --max-bytes and --max-depth into limits; each prints its usage error itself.
 * Return 0 or -1. */
static int set_max_bytes(wr_json_limits *limits, const char *arg)
{
	size_t v;
	if (wr_parse_size(arg, &v) < 0 || v == 0) {
		cli_usage_error("invalid --max-bytes '%s': expected a size such as 64M", arg);
		return -1;
	}
	limits->max_bytes = v;
	return 0;
}

static int set_max_depth(wr_json_limits *limits, const char *arg)
{
	long long v;
	/* json-c frees and prints values recursively: past some thousands of levels a
	 * document would exhaust the stack. */
	if (wr_parse_count(arg, &v) < 0 || v < 1 || v > 10000) {
		cli_usage_error("invalid --max-depth '%s': expected an integer from 1 to 10000", arg);
		return -1;
	}
	limits->max_depth = (int)v;
	return 0;
}

/* The option layer */

/* Every program takes these two; they are listed after its own options. */
static const cli_option builtin_options[] = {
	{"help", 'h', NULL, "display this help and exit", CLI_OPT_HELP},
	{"version", 'V', NULL, "output version information and exit", CLI_OPT_VERSION},
};
#define BUILTIN_COUNT (sizeof builtin_options / sizeof *builtin_options)

/* The table as getopt sees it: the program's rows, then the built-in ones. */
static size_t entry_count(const cli_spec *prog)
{
	return prog->option_count + BUILTIN_COUNT;
}

static const cli_option *entry_at(const cli_spec *prog, size_t i)
{
	return i < prog->option_count ? &prog->options[i]
	                              : &builtin_options[i - prog->option_count];
}

int cli_getopt_tables(const cli_spec *prog, struct option **longopts, char **shortopts)
{
	size_t n = entry_count(prog);
	struct option *lo = calloc(n + 1, sizeof *lo);
	/* ':' first, then at most "x:" per entry, then the NUL */
	char *so = malloc(2 * n + 2);
	*longopts = NULL;
	*shortopts = NULL;
	if (!lo || !so) {
		free(lo);
		free(so);
		return -1;
	}
	size_t len = 0;
	so[len++] = ':';
	for (size_t i = 0; i < n; i++) {
		const cli_option *o = entry_at(prog, i);
		lo[i].name = o->name;
		lo[i].has_arg = o->arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		/* The index, not the id: one value per row whatever ids the program chose,
		 * and none that getopt_long returns for itself ('?', ':', -1). */
		lo[i].val = CLI_GETOPT_BASE + (int)i;
		if (o->letter) {
			so[len++] = (char)o->letter;
			if (o->arg)
				so[len++] = ':';
		}
	}
	so[len] = '\0';
	*longopts = lo;
	*shortopts = so;
	return 0;
}

/* The row getopt_long's answer c stands for, or NULL for a refused option. */
static const cli_option *entry_of(const cli_spec *prog, int c)
{
	size_t n = entry_count(prog);
	if (c >= CLI_GETOPT_BASE && (size_t)(c - CLI_GETOPT_BASE) < n)
		return entry_at(prog, (size_t)(c - CLI_GETOPT_BASE));
	for (size_t i = 0; c > 0 && c != ':' && c != '?' && i < n; i++)
		if (entry_at(prog, i)->letter == c)
			return entry_at(prog, i);
	return NULL;
}

/* What one option does: CLI_RUN to go on, else the exit status. */
static int run_option(const cli_spec *prog, const cli_option *o, void *ctx,
                      wr_json_limits *limits, const char *arg)
{
	switch (o->id) {
	case CLI_OPT_HELP:
		cli_print_help(prog, stdout);
		return EXIT_OK;
	case CLI_OPT_VERSION:
		print_version();
		return EXIT_OK;
	case CLI_OPT_MAX_BYTES:
		return set_max_bytes(limits, arg) < 0 ? EXIT_USAGE : CLI_RUN;
	case CLI_OPT_MAX_DEPTH:
		return set_max_depth(limits, arg) < 0 ? EXIT_USAGE : CLI_RUN;
	default:
		return prog->handle(ctx, o->id, arg) != 0 ? EXIT_USAGE : CLI_RUN;
	}
}

int cli_parse(const cli_spec *prog, void *ctx, wr_json_limits *limits, int argc,
              char **argv, int *first_operand)
{
	struct option *longopts;
	char *shortopts;
	int c, status = CLI_RUN;

	*first_operand = argc;
	if (cli_getopt_tables(prog, &longopts, &shortopts) < 0) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	/* opterr 0: getopt prints nothing of its own (bad_option says it once, under
	 * the program's name); optind 0: a new scan, whatever an earlier one left. */
	opterr = 0;
	optind = 0;
	while (status == CLI_RUN && (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const cli_option *o = entry_of(prog, c);
		status = o ? run_option(prog, o, ctx, limits, optarg) : bad_option(argv, c);
	}
	*first_operand = optind;
	free(longopts);
	free(shortopts);
	return status;
}

/* Help lines fit in 80 columns; the descriptions start in one column per program, that
 * of its longest option, unless that would leave them too little room: an option
 * longer than that has its description two spaces after it. */
#define HELP_WIDTH 79
#define HELP_MAX_COLUMN 30

/* "  -x, --name ARG" or "      --name ARG" into buf; returns its length. */
static size_t option_text(const cli_option *o, char *buf, size_t size)
{
	int n;
	if (o->letter)
		n = snprintf(buf, size, "  -%c, --%s%s%s", o->letter, o->name, o->arg ? " " : "",
		             o->arg ? o->arg : "");
	else
		n = snprintf(buf, size, "      --%s%s%s", o->name, o->arg ? " " : "",
		             o->arg ? o->arg : "");
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* "64M" for 64 MiB: a size as --max-bytes reads it, in its largest exact unit. */
static void format_size(size_t v, char *buf, size_t size)
{
	static const char units[] = "KMG";
	int u = -1;
	while (u < 2 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%zu", v);
	else
		snprintf(buf, size, "%zu%c", v, units[u]);
}

/* The help of a row; the limit options get their default, which is the library's. */
static const char *help_text(const cli_option *o, char *buf, size_t size)
{
	wr_json_limits d = wr_json_default_limits();
	char value[32];
	if (o->id == CLI_OPT_MAX_BYTES)
		format_size(d.max_bytes, value, sizeof value);
	else if (o->id == CLI_OPT_MAX_DEPTH)
		snprintf(value, sizeof value, "%d", d.max_depth);
	else
		return o->help;
	snprintf(buf, size, "%s (default %s)", o->help, value);
	return buf;
}

/* Writes text from column pos, word by word, breaking lines before HELP_WIDTH and
 * starting each new one at column indent. */
static void write_wrapped(FILE *out, const char *text, size_t pos, size_t indent)
{
	bool first = true;
	while (*text) {
		while (*text == ' ')
			text++;
		size_t len = strcspn(text, " ");
		if (!len)
			break;
		if (!first && pos + 1 + len > HELP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			pos = indent;
			first = true;
		}
		if (!first) {
			putc(' ', out);
			pos++;
		}
		fwrite(text, 1, len, out);
		pos += len;
		text += len;
		first = false;
	}
	putc('\n', out);
}

void cli_print_help(const cli_spec *prog, FILE *out)
{
	char opt[128], help[512];
	size_t column = 0;

	for (size_t i = 0; i < entry_count(prog); i++) {
		size_t w = option_text(entry_at(prog, i), opt, sizeof opt) + 2;
		if (w > column && w <= HELP_MAX_COLUMN)
			column = w;
	}
	fprintf(out, "Usage: %s %s\n%s\n", program_name, prog->synopsis, prog->description);
	for (size_t i = 0; i < entry_count(prog); i++) {
		const cli_option *o = entry_at(prog, i);
		size_t w = option_text(o, opt, sizeof opt);
		fputs(opt, out);
		size_t pad = w + 2 <= column ? column - w : 2;
		fprintf(out, "%*s", (int)pad, "");
		write_wrapped(out, help_text(o, help, sizeof help), w + pad, column);
	}
	if (prog->epilogue)
		fprintf(out, "\n%s", prog->epilogue);
}

int cli_each_file(int argc, char **argv, int first, cli_file_handler each, void *ctx)
{
	if (first >= argc)
		return each(ctx, "-");
	for (int i = first; i < argc; i++) {
		int rc = each(ctx, argv[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const char *cli_workrail_release(const char *option_value)
{
	const char *version = option_value, *from = "--workrail";
	if (!version) {
		version = getenv("WRKIT_WORKRAIL");
		from = "WRKIT_WORKRAIL";
	}
	if (!version || !*version) {
		if (option_value)
			goto unknown;
		return wr_workrail_default_release();
	}
	const char *release = wr_workrail_release_normalize(version);
	if (release)
		return release;
unknown:;
	/* The value as given, short and printable, so that the message stays one line. */
	char shown[80], known[256];
	size_t n = 0, used = 0;
	for (const char *p = version; *p && n < 64; p++, n++)
		shown[n] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	shown[n] = '\0';
	known[0] = '\0';
	for (size_t i = 0; i < wr_workrail_release_count() && used < sizeof known; i++) {
		int w = snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
		                 wr_workrail_release_at(i));
		if (w < 0)
			break;
		used += (size_t)w;
	}
	cli_error("unknown WorkRail version '%s%s' (from %s); known: %s (default %s)", shown,
	          version[n] ? "..." : "", from, known, wr_workrail_default_release());
	exit(EXIT_USAGE);
}

int cli_parse_fields(const char *list, cli_fields *out)
{
	memset(out, 0, sizeof *out);
	if (!*list) {
		cli_usage_error("empty field list");
		return -1;
	}
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0) {
			cli_usage_error("empty field name in '%s'", list);
			cli_fields_free(out);
			return -1;
		}
		char **names = realloc(out->names, (out->count + 1) * sizeof *names);
		if (!names || !(names[out->count] = strndup(p, n))) {
			if (names)
				out->names = names;
			cli_error("out of memory");
			cli_fields_free(out);
			return -1;
		}
		out->names = names;
		out->count++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void cli_fields_free(cli_fields *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof *f);
}

/* A value never splits a line or a column: control characters become spaces. Nothing
 * else changes, so a shell reads back exactly what the record held. */
static void write_tsv_string(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		putc(c < 0x20 || c == 0x7F ? ' ' : c, out);
	}
}

int cli_add_string(json_object *o, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	if (!v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int cli_write_tsv(FILE *out, json_object *rec, const cli_fields *fields)
{
	for (size_t i = 0; i < fields->count; i++) {
		json_object *v;
		if (i)
			putc('\t', out);
		if (!json_object_object_get_ex(rec, fields->names[i], &v) || v == NULL)
			continue;
		if (json_object_is_type(v, json_type_string)) {
			write_tsv_string(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		} else {
			const char *s = json_object_to_json_string_ext(
				v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
			write_tsv_string(out, s, strlen(s));
		}
	}
	return putc('\n', out) == EOF || ferror(out) ? -1 : 0;
}
