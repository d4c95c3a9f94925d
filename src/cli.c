/* SPDX-License-Identifier: MIT */
#include <config.h>

#include <limits.h>
#include <getopt.h>
#include <stdarg.h>
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

int cli_bad_option(char **argv, int c)
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

void cli_print_version(void)
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

int cli_set_max_bytes(wr_json_limits *limits, const char *arg)
{
	size_t v;
	if (wr_parse_size(arg, &v) < 0 || v == 0) {
		cli_usage_error("invalid --max-bytes '%s': expected a size such as 64M", arg);
		return -1;
	}
	limits->max_bytes = v;
	return 0;
}

int cli_set_max_depth(wr_json_limits *limits, const char *arg)
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
