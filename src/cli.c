#include <config.h>

#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
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
	if (wr_parse_count(arg, &v) < 0 || v < 1 || v > INT_MAX) {
		cli_usage_error("invalid --max-depth '%s': expected a positive integer", arg);
		return -1;
	}
	limits->max_depth = (int)v;
	return 0;
}
