/* SPDX-License-Identifier: MIT */
/* Unit tests: the option layer of the programs (src/cli.c): getopt's tables built from
 * one option table, --help from the same table, refusals, the limits, the file loop. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_GAMMA = 256 };

static const cli_option table[] = {
	{"alpha", 'a', "N", "take N", 'a'},
	{"beta", 'b', NULL, "a switch whose help is long enough to be wrapped at least once, "
	 "and then once more, because it goes on and on past the eightieth column", 'b'},
	{"gamma", 0, "WORD", "a long option alone", OPT_GAMMA},
	CLI_OPTION_MAX_BYTES("refuse inputs larger than SIZE"),
	CLI_OPTION_MAX_DEPTH("refuse inputs nested deeper than N"),
};
#define TABLE_COUNT (sizeof table / sizeof *table)

/* What the handler saw, in order. */
typedef struct seen {
	char log[512];
	int refuse; /* the id to refuse, 0: none */
} seen;

static int handle(void *ctx, int id, const char *arg)
{
	seen *s = ctx;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof s->log - n, "%s%d=%s", n ? " " : "", id, arg ? arg : "-");
	if (id == s->refuse)
		return cli_usage_error("invalid value '%s'", arg ? arg : "");
	return 0;
}

static const cli_spec spec = {
	.synopsis = "[OPTION]... [FILE]...",
	.description = "Do things with FILEs.\n",
	.options = table,
	.option_count = TABLE_COUNT,
	.epilogue = "Exit status: 0 always.\n",
	.handle = handle,
};

/* Standard output or error, redirected to a file while a call runs. */
typedef struct capture {
	FILE *stream, *tmp;
	int saved;
} capture;

static void capture_start(capture *c, FILE *stream)
{
	fflush(stream);
	c->stream = stream;
	c->saved = dup(fileno(stream));
	c->tmp = tmpfile();
	ck_assert(c->saved >= 0 && c->tmp);
	ck_assert(dup2(fileno(c->tmp), fileno(stream)) >= 0);
}

/* What was written, a new string. */
static char *capture_end(capture *c)
{
	fflush(c->stream);
	ck_assert(dup2(c->saved, fileno(c->stream)) >= 0);
	close(c->saved);
	long n = ftell(c->tmp);
	ck_assert(n >= 0);
	char *text = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	rewind(c->tmp);
	ck_assert_int_eq(fread(text, 1, (size_t)n, c->tmp), (size_t)n);
	fclose(c->tmp);
	return text;
}

/* cli_parse on a NULL-terminated argv; its standard output and error into *out, *err
 * (new strings, when those are not NULL). */
static int parse(char **argv, seen *s, wr_json_limits *limits, int *first, char **out,
                 char **err)
{
	capture co, ce;
	int argc = 0;
	while (argv[argc])
		argc++;
	capture_start(&co, stdout);
	capture_start(&ce, stderr);
	int status = cli_parse(&spec, s, limits, argc, argv, first);
	char *e = capture_end(&ce);
	char *o = capture_end(&co);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return status;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(the_short_option_string_and_long_table_come_from_the_table)
{
	struct option *lo;
	char *so;
	ck_assert_int_eq(cli_getopt_tables(&spec, &lo, &so), 0);
	/* ':' first; a letter with ':' when it takes an argument; -h and -V for every
	 * program; nothing for an option without a letter */
	ck_assert_str_eq(so, ":a:bhV");
	const char *names[] = {"alpha", "beta", "gamma", "max-bytes", "max-depth", "help",
	                       "version"};
	const int args[] = {required_argument, no_argument, required_argument, required_argument,
	                    required_argument, no_argument, no_argument};
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(lo[i].name, names[i]);
		ck_assert_int_eq(lo[i].has_arg, args[i]);
		ck_assert_ptr_null(lo[i].flag);
		ck_assert_int_eq(lo[i].val, CLI_GETOPT_BASE + (int)i);
	}
	ck_assert_ptr_null(lo[7].name);
	ck_assert_int_eq(lo[7].val, 0);
	free(lo);
	free(so);
}
END_TEST

START_TEST(help_lists_every_entry_aligned_within_80_columns)
{
	capture c;
	cli_set_program("/some/where/wr-test");
	capture_start(&c, stdout);
	cli_print_help(&spec, stdout);
	char *text = capture_end(&c);

	const char *head = "Usage: wr-test [OPTION]... [FILE]...\nDo things with FILEs.\n\n";
	ck_assert_msg(strncmp(text, head, strlen(head)) == 0, "%s", text);
	const char *lines[] = {
		"\n  -a, --alpha N         take N\n",
		"\n  -b, --beta            a switch whose help is long enough to be wrapped at\n"
		"                        least once, and then once more, because it goes on and\n"
		"                        on past the eightieth column\n",
		"\n      --gamma WORD      a long option alone\n",
		"\n      --max-bytes SIZE  refuse inputs larger than SIZE (default 64M)\n",
		"\n      --max-depth N     refuse inputs nested deeper than N (default 128)\n",
		"\n  -h, --help            display this help and exit\n",
		"\n  -V, --version         output version information and exit\n"
		"\nExit status: 0 always.\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		ck_assert_msg(strstr(text, lines[i]), "missing:\n%s\nin:\n%s", lines[i], text);
	/* in the table's order, and nothing else */
	ck_assert_int_eq(count_lines(text), 3 + 9 + 2);
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");
		ck_assert_msg(n < 80, "too long: %.*s", (int)n, l);
		l += n + (l[n] != '\0');
	}
	free(text);
}
END_TEST

START_TEST(an_option_longer_than_the_column_gets_two_spaces)
{
	static const cli_option rows[] = {
		{"a-very-long-option-name", 0, "VALUE", "its help", 1},
		{"x", 'x', NULL, "short", 'x'},
	};
	cli_spec s = spec;
	s.options = rows;
	s.option_count = 2;
	capture c;
	cli_set_program("wr-test");
	capture_start(&c, stdout);
	cli_print_help(&s, stdout);
	char *text = capture_end(&c);
	ck_assert_msg(strstr(text, "\n      --a-very-long-option-name VALUE  its help\n"), "%s", text);
	ck_assert_msg(strstr(text, "\n  -x, --x        short\n"), "%s", text);
	free(text);
}
END_TEST

START_TEST(options_reach_the_handler_in_order_and_operands_follow)
{
	char *argv[] = {"wr-test", "-a", "1", "in.json", "--gamma=w", "-b", "--alpha", "2", "-",
	                "--", "-b", NULL};
	seen s = {0};
	wr_json_limits limits = wr_json_default_limits();
	int first;
	char *out, *err;
	ck_assert_int_eq(parse(argv, &s, &limits, &first, &out, &err), CLI_RUN);
	ck_assert_str_eq(s.log, "97=1 256=w 98=- 97=2");
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "");
	/* getopt_long moves the operands after the options, "--" keeps "-b" one */
	ck_assert_int_eq(first, 8);
	ck_assert_str_eq(argv[8], "in.json");
	ck_assert_str_eq(argv[9], "-");
	ck_assert_str_eq(argv[10], "-b");
	free(out);
	free(err);

	/* a second parse in the same process starts over */
	char *again[] = {"wr-test", "-b", "x", NULL};
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(parse(again, &s, &limits, &first, NULL, NULL), CLI_RUN);
	ck_assert_str_eq(s.log, "98=-");
	ck_assert_int_eq(first, 2);
}
END_TEST

START_TEST(the_limits_are_handled_by_the_layer)
{
	char *argv[] = {"wr-test", "--max-bytes", "2K", "--max-depth=7", NULL};
	seen s = {0};
	wr_json_limits limits = wr_json_default_limits();
	int first;
	ck_assert_int_eq(parse(argv, &s, &limits, &first, NULL, NULL), CLI_RUN);
	ck_assert_uint_eq(limits.max_bytes, 2048);
	ck_assert_int_eq(limits.max_depth, 7);
	ck_assert_str_eq(s.log, ""); /* the program never sees them */

	char *bad[] = {"wr-test", "--max-depth", "0", NULL};
	char *err;
	cli_set_program("wr-test");
	ck_assert_int_eq(parse(bad, &s, &limits, &first, NULL, &err), EXIT_USAGE);
	ck_assert_msg(strstr(err, "wr-test: invalid --max-depth '0'"), "%s", err);
	ck_assert_int_eq(limits.max_depth, 7);
	free(err);
}
END_TEST

/* One refusal: exit 2, nothing on standard output, the reason and the hint. */
static void check_refused(char **argv, const char *reason)
{
	seen s = {0};
	wr_json_limits limits = wr_json_default_limits();
	int first;
	char *out, *err, expect[256];
	cli_set_program("wr-test");
	ck_assert_int_eq(parse(argv, &s, &limits, &first, &out, &err), EXIT_USAGE);
	snprintf(expect, sizeof expect,
	         "wr-test: %s\nTry 'wr-test --help' for more information.\n", reason);
	ck_assert_str_eq(err, expect);
	ck_assert_str_eq(out, "");
	free(out);
	free(err);
}

START_TEST(unknown_options_and_missing_arguments_are_exit_2_in_one_line)
{
	check_refused((char *[]){"wr-test", "--no-such", NULL}, "unrecognized option '--no-such'");
	check_refused((char *[]){"wr-test", "-Z", NULL}, "invalid option '-Z'");
	check_refused((char *[]){"wr-test", "-bZ", NULL}, "invalid option '-Z'");
	check_refused((char *[]){"wr-test", "--gamma", NULL}, "option '--gamma' requires an argument");
	check_refused((char *[]){"wr-test", "-a", NULL}, "option '-a' requires an argument");
	check_refused((char *[]){"wr-test", "--max-bytes", NULL},
	              "option '--max-bytes' requires an argument");
	check_refused((char *[]){"wr-test", "--beta=1", NULL}, "option '--beta' takes no argument");
	/* what getopt cannot tell apart is refused, never taken as one of them */
	check_refused((char *[]){"wr-test", "--help=x", NULL}, "option '--help' takes no argument");
}
END_TEST

START_TEST(a_value_the_program_refuses_stops_the_parse)
{
	char *argv[] = {"wr-test", "-a", "x", "-b", NULL};
	seen s = {.refuse = 'a'};
	wr_json_limits limits = wr_json_default_limits();
	int first;
	char *err;
	cli_set_program("wr-test");
	ck_assert_int_eq(parse(argv, &s, &limits, &first, NULL, &err), EXIT_USAGE);
	ck_assert_str_eq(s.log, "97=x"); /* -b was not reached */
	ck_assert_str_eq(err, "wr-test: invalid value 'x'\nTry 'wr-test --help' for more information.\n");
	free(err);
}
END_TEST

START_TEST(help_and_version_end_the_parse_with_exit_0)
{
	seen s = {0};
	wr_json_limits limits = wr_json_default_limits();
	int first;
	char *out, *err;
	cli_set_program("wr-test");
	ck_assert_int_eq(parse((char *[]){"wr-test", "-b", "--help", "-a", NULL}, &s, &limits,
	                       &first, &out, &err),
	                 EXIT_OK);
	ck_assert_str_eq(s.log, "98=-");
	ck_assert_msg(strncmp(out, "Usage: wr-test ", 15) == 0, "%s", out);
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
	ck_assert_int_eq(parse((char *[]){"wr-test", "-V", NULL}, &s, &limits, &first, &out, NULL),
	                 EXIT_OK);
	ck_assert_str_eq(out, "wr-test (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
	free(out);
}
END_TEST

/* The file loop's callback: logs each path; "stop" ends the loop. */
static int each(void *ctx, const char *path)
{
	seen *s = ctx;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof s->log - n, "%s%s", n ? " " : "", path);
	return strcmp(path, "stop") == 0 ? -3 : 0;
}

START_TEST(the_file_loop_reads_standard_input_without_operands)
{
	char *argv[] = {"wr-test", "-b", "a.json", "stop", "b.json", NULL};
	seen s = {0};
	ck_assert_int_eq(cli_each_file(2, argv, 2, each, &s), 0);
	ck_assert_str_eq(s.log, "-");
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(cli_each_file(3, argv, 2, each, &s), 0);
	ck_assert_str_eq(s.log, "a.json");
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(cli_each_file(5, argv, 2, each, &s), -3);
	ck_assert_str_eq(s.log, "a.json stop");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_add_test(tc, the_short_option_string_and_long_table_come_from_the_table);
	tcase_add_test(tc, help_lists_every_entry_aligned_within_80_columns);
	tcase_add_test(tc, an_option_longer_than_the_column_gets_two_spaces);
	tcase_add_test(tc, options_reach_the_handler_in_order_and_operands_follow);
	tcase_add_test(tc, the_limits_are_handled_by_the_layer);
	tcase_add_test(tc, unknown_options_and_missing_arguments_are_exit_2_in_one_line);
	tcase_add_test(tc, a_value_the_program_refuses_stops_the_parse);
	tcase_add_test(tc, help_and_version_end_the_parse_with_exit_0);
	tcase_add_test(tc, the_file_loop_reads_standard_input_without_operands);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
