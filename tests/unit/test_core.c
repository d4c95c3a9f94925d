/* SPDX-License-Identifier: MIT */
/* Unit tests: JSON input with limits, NDJSON streams, option value syntaxes. */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wrkit/json_input.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"

/* The parsed value, or NULL when it is JSON null or refused (err.status tells). */
static json_object *parse(const char *s, wr_json_error *err)
{
	json_object *o;
	if (wr_json_parse(s, strlen(s), NULL, &o, err) < 0)
		ck_assert_int_ne(err->status, WR_JSON_OK);
	return o;
}

static wr_json_status parse_status(const char *s, size_t len, const wr_json_limits *lim)
{
	wr_json_error err;
	json_object *o;
	if (wr_json_parse(s, len, lim, &o, &err) < 0) {
		ck_assert_ptr_null(o);
		return err.status;
	}
	json_object_put(o);
	return WR_JSON_OK;
}

START_TEST(parses_values_of_every_type)
{
	const char *docs[] = {"{}", "[]", "0", "-1.5e3", "\"x\"", "true", "false", "null",
	                      " {\"a\": [1, {\"b\": null}]}\n", "123", "1e2"};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		wr_json_error err;
		json_object *o = parse(docs[i], &err);
		ck_assert_msg(o != NULL || strcmp(docs[i], "null") == 0, "%s: %s", docs[i],
		              err.message);
		if (o)
			json_object_put(o);
		else
			ck_assert_int_eq(err.status, WR_JSON_OK);
	}
}
END_TEST

START_TEST(number_at_end_of_input_is_complete)
{
	wr_json_error err;
	json_object *o;
	ck_assert_int_eq(wr_json_parse("42", 2, NULL, &o, &err), 0);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_get_int(o), 42);
	json_object_put(o);
}
END_TEST

START_TEST(empty_and_blank_input_is_refused)
{
	ck_assert_int_eq(parse_status("", 0, NULL), WR_JSON_EMPTY);
	ck_assert_int_eq(parse_status(" \n\t\r ", 5, NULL), WR_JSON_EMPTY);
}
END_TEST

START_TEST(malformed_json_names_line_and_column)
{
	wr_json_error err;
	json_object *o = parse("{\n  \"a\": 1,\n  \"b\" 2\n}", &err);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.status, WR_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 3);
	ck_assert_uint_ge(err.column, 6);
	ck_assert_uint_le(err.column, 8);
	ck_assert_ptr_nonnull(strstr(err.message, "malformed JSON"));
}
END_TEST

START_TEST(truncated_json_is_refused)
{
	const char *docs[] = {"{\"a\": [1, 2", "{\"a\": \"unterminated", "[", "{\"a\":", "tru"};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		wr_json_error err;
		ck_assert_ptr_null(parse(docs[i], &err));
		ck_assert_int_eq(err.status, WR_JSON_SYNTAX);
	}
	wr_json_error err;
	ck_assert_ptr_null(parse("{\"a\": [1, 2", &err));
	ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
}
END_TEST

START_TEST(trailing_data_is_refused)
{
	wr_json_error err;
	ck_assert_ptr_null(parse("{} {}", &err));
	ck_assert_int_eq(err.status, WR_JSON_SYNTAX);
	ck_assert_int_eq(err.column, 4);
	ck_assert_ptr_null(parse("[1]x", &err));
	ck_assert_ptr_null(parse("1 2", &err));
}
END_TEST

START_TEST(non_standard_json_is_refused)
{
	const char *docs[] = {"{'a': 1}", "[1,]", "{\"a\":1,}", "NaN", "[Infinity]", "01",
	                      "{a: 1}", "/* c */ {}", "\"a\tb\"", "\"\\x\"", "1.", ".5",
	                      "-", "+1", "1e", "[1 2]", "{\"a\" 1}", "\"\\u12G4\"", "tru",
	                      "nul", "[true false]"};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
		ck_assert_msg(parse_status(docs[i], strlen(docs[i]), NULL) == WR_JSON_SYNTAX,
		              "accepted %s", docs[i]);
}
END_TEST

START_TEST(size_limit_is_enforced)
{
	wr_json_limits lim = {8, 10};
	ck_assert_int_eq(parse_status("[1,2,3,4]", 9, &lim), WR_JSON_TOO_LARGE);
	ck_assert_int_eq(parse_status("[1,2,3]", 7, &lim), WR_JSON_OK);
}
END_TEST

START_TEST(depth_limit_is_enforced)
{
	wr_json_limits lim = {1 << 20, 3};
	wr_json_error err;
	ck_assert_int_eq(parse_status("[[[1]]]", 7, &lim), WR_JSON_OK);
	json_object *o;
	ck_assert_int_eq(wr_json_parse("[[[[1]]]]", 9, &lim, &o, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_TOO_DEEP);
	ck_assert_ptr_nonnull(strstr(err.message, "depth limit of 3"));
}
END_TEST

START_TEST(deep_nesting_does_not_crash_with_default_limits)
{
	size_t n = 100000;
	char *s = malloc(2 * n);
	ck_assert_ptr_nonnull(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	ck_assert_int_eq(parse_status(s, 2 * n, NULL), WR_JSON_TOO_DEEP);
	free(s);
}
END_TEST

START_TEST(nul_byte_is_refused_with_position)
{
	wr_json_error err;
	json_object *o;
	ck_assert_int_eq(wr_json_parse("{\"a\":\n \"x\0y\"}", 13, NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_NUL_BYTE);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 4);
}
END_TEST

START_TEST(escaped_nul_in_string_is_kept)
{
	wr_json_error err;
	json_object *o = parse("\"a\\u0000b\"", &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_get_string_len(o), 3);
	json_object_put(o);
}
END_TEST

START_TEST(escapes_are_decoded)
{
	wr_json_error err;
	json_object *o = parse("[\"\\ud83d\\ude00\", \"\\ud800x\", \"\\n\\t\\/\\\"\\\\\", \"\\u00e9\"]", &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 0)), "\xf0\x9f\x98\x80");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 1)), "\xef\xbf\xbdx");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 2)), "\n\t/\"\\");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 3)), "\xc3\xa9");
	json_object_put(o);
}
END_TEST

START_TEST(key_with_nul_is_refused)
{
	wr_json_error err;
	ck_assert_ptr_null(parse("{\"kind\\u0000x\": 1}", &err));
	ck_assert_int_eq(err.status, WR_JSON_SYNTAX);
	ck_assert_ptr_nonnull(strstr(err.message, "\\u0000"));
}
END_TEST

START_TEST(duplicate_keys_last_wins)
{
	wr_json_error err;
	json_object *o = parse("{\"a\": 1, \"a\": 2}", &err), *v;
	ck_assert(json_object_object_get_ex(o, "a", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert_int_eq(json_object_object_length(o), 1);
	json_object_put(o);
}
END_TEST

START_TEST(large_numbers_keep_their_text)
{
	wr_json_error err;
	json_object *o = parse("[9223372036854775807, -9223372036854775808, 18446744073709551615, "
	                       "123456789012345678901234567890, 1e400, 1.50]", &err);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_get_int64(json_object_array_get_idx(o, 0)) == INT64_MAX);
	ck_assert(json_object_get_int64(json_object_array_get_idx(o, 1)) == INT64_MIN);
	ck_assert(json_object_get_uint64(json_object_array_get_idx(o, 2)) == UINT64_MAX);
	ck_assert(json_object_is_type(json_object_array_get_idx(o, 3), json_type_double));
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	                 "[9223372036854775807,-9223372036854775808,18446744073709551615,"
	                 "123456789012345678901234567890,1e400,1.50]");
	json_object_put(o);
}
END_TEST

START_TEST(messages_say_what_was_expected)
{
	struct { const char *doc, *msg; } cases[] = {
		{"{\"a\": 1 \"b\": 2}", "expected ',' or '}' after an object member, found '\"'"},
		{"[1 2]", "expected ',' or ']' after an array element, found '2'"},
		{"{1: 2}", "expected a string key, found '1'"},
		{"{\"a\" 1}", "expected ':' after an object key, found '1'"},
		{"\"abc", "truncated JSON: input ends inside a string"},
		{"{\"a\": [1, 2", "truncated JSON: input ends inside an array"},
		{"{\"a\": 1", "truncated JSON: input ends inside an object"},
		{"\"a\tb\"", "control character 0x09 in a string"},
		{"{} x", "unexpected data after the JSON value"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wr_json_error err;
		ck_assert_ptr_null(parse(cases[i].doc, &err));
		ck_assert_msg(strstr(err.message, cases[i].msg) != NULL, "%s: got '%s'",
		              cases[i].doc, err.message);
	}
}
END_TEST

START_TEST(invalid_utf8_is_refused)
{
	const char *bad[] = {
		"\"\xff\"",             /* never valid */
		"\"\xc0\xaf\"",         /* overlong '/' */
		"\"\xe0\x80\xaf\"",     /* overlong */
		"\"\xed\xa0\x80\"",     /* surrogate D800 */
		"\"\xf4\x90\x80\x80\"", /* above U+10FFFF */
		"\"\xc3\"",             /* truncated sequence */
		"\"\xe2\x82\"",         /* truncated sequence */
		"\"\x80\"",             /* lone continuation */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		wr_json_error err;
		ck_assert_ptr_null(parse(bad[i], &err));
		ck_assert_int_eq(err.status, WR_JSON_BAD_UTF8);
		ck_assert_int_eq(err.column, 2);
	}
	const char *good = "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"";
	ck_assert_int_eq(parse_status(good, strlen(good), NULL), WR_JSON_OK);
}
END_TEST

START_TEST(utf8_helpers)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	ck_assert_uint_eq(wr_utf8_check(s, strlen(s)), strlen(s));
	ck_assert_uint_eq(wr_utf8_length(s, strlen(s)), 4);
	ck_assert_uint_eq(wr_utf8_check("abcdefghij\xff", 11), 10);
}
END_TEST

START_TEST(slurp_stops_at_the_limit)
{
	char data[100];
	memset(data, ' ', sizeof data);
	FILE *fp = fmemopen(data, sizeof data, "r");
	char *buf;
	size_t len;
	wr_json_error err;
	ck_assert_int_eq(wr_json_slurp(fp, 50, &buf, &len, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_TOO_LARGE);
	ck_assert_int_le(ftell(fp), 51);
	fclose(fp);
}
END_TEST

/* A short read ends the slurp: a pipe written in pieces, with pauses between them, must
 * still be read whole (fread waits for its count or the end; it is never short early). */
START_TEST(slurp_reads_a_slow_pipe_whole)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		const struct timespec pause = {0, 20 * 1000 * 1000};
		for (int i = 0; i < 5; i++) {
			char piece[3000];
			memset(piece, 'a' + i, sizeof piece);
			if (write(fds[1], piece, sizeof piece) != (ssize_t)sizeof piece)
				_exit(1);
			nanosleep(&pause, NULL);
		}
		_exit(0);
	}
	close(fds[1]);
	FILE *fp = fdopen(fds[0], "rb");
	ck_assert_ptr_nonnull(fp);
	setvbuf(fp, NULL, _IONBF, 0); /* as wr-classify -m reads */
	char *buf;
	size_t len;
	wr_json_error err;
	ck_assert_int_eq(wr_json_slurp(fp, 1 << 20, &buf, &len, &err), 0);
	ck_assert_uint_eq(len, 15000);
	ck_assert_int_eq(buf[0], 'a');
	ck_assert_int_eq(buf[14999], 'e');
	free(buf);
	fclose(fp);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(read_path_reports_missing_file)
{
	wr_json_error err;
	json_object *o;
	ck_assert_int_eq(wr_json_read_path("/nonexistent/x.json", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
}
END_TEST

START_TEST(describe_includes_position)
{
	wr_json_error err;
	char buf[300];
	ck_assert_ptr_null(parse("[1,\n x]", &err));
	ck_assert_str_eq(wr_json_error_describe(&err, buf, sizeof buf),
	                 "line 2, column 2: malformed JSON: expected a value, found 'x'");
}
END_TEST

/* NDJSON */

static FILE *mem(const char *s, size_t len)
{
	FILE *fp = fmemopen((void *)s, len, "r");
	ck_assert_ptr_nonnull(fp);
	return fp;
}

START_TEST(line_reader_splits_lines)
{
	const char *in = "one\r\ntwo\n\nthree";
	FILE *fp = mem(in, strlen(in));
	wr_line_reader *r = wr_line_reader_new(fp, 100);
	const char *line;
	size_t len;
	int too_long;
	const char *want[] = {"one", "two", "", "three"};
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 1);
		ck_assert_int_eq(too_long, 0);
		ck_assert_uint_eq(len, strlen(want[i]));
		ck_assert(memcmp(line, want[i], len) == 0);
		ck_assert_uint_eq(wr_line_reader_lineno(r), (unsigned long)i + 1);
	}
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 0);
	wr_line_reader_free(r);
	fclose(fp);
}
END_TEST

START_TEST(line_reader_skips_long_lines_and_goes_on)
{
	size_t n = 300000;
	char *in = malloc(n + 20);
	memset(in, 'x', n);
	memcpy(in + n, "\nafter\n", 7);
	FILE *fp = mem(in, n + 7);
	wr_line_reader *r = wr_line_reader_new(fp, 1000);
	const char *line;
	size_t len;
	int too_long;
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 1);
	ck_assert_int_eq(too_long, 1);
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 1);
	ck_assert_int_eq(too_long, 0);
	ck_assert_uint_eq(len, 5);
	ck_assert(memcmp(line, "after", 5) == 0);
	ck_assert_uint_eq(wr_line_reader_lineno(r), 2);
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 0);
	wr_line_reader_free(r);
	fclose(fp);
	free(in);
}
END_TEST

START_TEST(line_reader_handles_lines_across_reads)
{
	/* Lines longer than one read chunk but within the limit are whole. */
	size_t n = 200000;
	char *in = malloc(2 * n + 2);
	memset(in, 'a', n);
	in[n] = '\n';
	memset(in + n + 1, 'b', n);
	in[2 * n + 1] = '\n';
	FILE *fp = mem(in, 2 * n + 2);
	wr_line_reader *r = wr_line_reader_new(fp, n);
	const char *line;
	size_t len;
	int too_long;
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 1);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(line[n - 1], 'a');
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 1);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(line[0], 'b');
	ck_assert_int_eq(wr_line_reader_next(r, &line, &len, &too_long), 0);
	wr_line_reader_free(r);
	fclose(fp);
	free(in);
}
END_TEST

START_TEST(records_report_bad_lines_and_go_on)
{
	const char in[] = "{\"a\":1}\n\n[1]\n{bad\n\"x\0y\"\n{\"b\":2}\n";
	FILE *fp = mem(in, sizeof in - 1);
	wr_records *rs = wr_records_new(fp, NULL);
	json_object *rec;
	wr_json_error err;

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	ck_assert_ptr_nonnull(rec);
	ck_assert_uint_eq(wr_records_lineno(rs), 1);
	json_object_put(rec);

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	ck_assert_ptr_null(rec);
	ck_assert_uint_eq(wr_records_lineno(rs), 3);
	ck_assert_ptr_nonnull(strstr(err.message, "must be a JSON object"));

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(err.status, WR_JSON_SYNTAX);
	ck_assert_uint_eq(wr_records_lineno(rs), 4);

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(err.status, WR_JSON_NUL_BYTE);

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	ck_assert_ptr_nonnull(rec);
	ck_assert_uint_eq(wr_records_lineno(rs), 6);
	json_object_put(rec);

	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 0);
	wr_records_free(rs);
	fclose(fp);
}
END_TEST

START_TEST(record_write_is_one_compact_line)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	wr_json_error err;
	json_object *rec = parse("{ \"url\": \"a/b\", \"n\": [1, 2.50, \"\\u00e9\"] }", &err);
	ck_assert_int_eq(wr_record_write(fp, rec), 0);
	fclose(fp);
	ck_assert_str_eq(out, "{\"url\":\"a/b\",\"n\":[1,2.50,\"\xc3\xa9\"]}\n");
	ck_assert_str_eq(wr_record_get_string(rec, "url"), "a/b");
	ck_assert_ptr_null(wr_record_get_string(rec, "n"));
	ck_assert_ptr_null(wr_record_get_string(rec, "missing"));
	json_object_put(rec);
	free(out);
}
END_TEST

/* Option values */

START_TEST(sizes)
{
	size_t v;
	ck_assert_int_eq(wr_parse_size("64M", &v), 0);
	ck_assert_uint_eq(v, 64u << 20);
	ck_assert_int_eq(wr_parse_size("10", &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(wr_parse_size("2KiB", &v), 0);
	ck_assert_uint_eq(v, 2048);
	ck_assert_int_eq(wr_parse_size("1G", &v), 0);
	ck_assert_uint_eq(v, 1u << 30);
	ck_assert_int_eq(wr_parse_size("", &v), -1);
	ck_assert_int_eq(wr_parse_size("-1", &v), -1);
	ck_assert_int_eq(wr_parse_size("12X", &v), -1);
	ck_assert_int_eq(wr_parse_size("99999999999999999999999", &v), -1);
	ck_assert_int_eq(wr_parse_size("17179869184G", &v), -1);
}
END_TEST

START_TEST(durations)
{
	long long ms;
	ck_assert_int_eq(wr_parse_duration_ms("90s", &ms), 0);
	ck_assert_int_eq(ms, 90000);
	ck_assert_int_eq(wr_parse_duration_ms("30m", &ms), 0);
	ck_assert_int_eq(ms, 1800000);
	ck_assert_int_eq(wr_parse_duration_ms("1h", &ms), 0);
	ck_assert_int_eq(ms, 3600000);
	ck_assert_int_eq(wr_parse_duration_ms("45", &ms), 0);
	ck_assert_int_eq(ms, 45000);
	ck_assert_int_eq(wr_parse_duration_ms("250ms", &ms), 0);
	ck_assert_int_eq(ms, 250);
	ck_assert_int_eq(wr_parse_duration_ms("", &ms), -1);
	ck_assert_int_eq(wr_parse_duration_ms("1d", &ms), -1);
	ck_assert_int_eq(wr_parse_duration_ms("-5s", &ms), -1);
	ck_assert_int_eq(wr_parse_duration_ms("1.5h", &ms), -1);
	ck_assert_int_eq(wr_parse_duration_ms("9999999999999999h", &ms), -1);
}
END_TEST

START_TEST(counts)
{
	long long v;
	ck_assert_int_eq(wr_parse_count("0", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(wr_parse_count("17", &v), 0);
	ck_assert_int_eq(v, 17);
	ck_assert_int_eq(wr_parse_count(" 1", &v), -1);
	ck_assert_int_eq(wr_parse_count("1x", &v), -1);
	ck_assert_int_eq(wr_parse_count("-1", &v), -1);
	ck_assert_int_eq(wr_parse_count("99999999999999999999", &v), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *json = tcase_create("json_input");
	tcase_add_test(json, parses_values_of_every_type);
	tcase_add_test(json, number_at_end_of_input_is_complete);
	tcase_add_test(json, empty_and_blank_input_is_refused);
	tcase_add_test(json, malformed_json_names_line_and_column);
	tcase_add_test(json, truncated_json_is_refused);
	tcase_add_test(json, trailing_data_is_refused);
	tcase_add_test(json, non_standard_json_is_refused);
	tcase_add_test(json, size_limit_is_enforced);
	tcase_add_test(json, depth_limit_is_enforced);
	tcase_add_test(json, deep_nesting_does_not_crash_with_default_limits);
	tcase_add_test(json, nul_byte_is_refused_with_position);
	tcase_add_test(json, escaped_nul_in_string_is_kept);
	tcase_add_test(json, escapes_are_decoded);
	tcase_add_test(json, key_with_nul_is_refused);
	tcase_add_test(json, duplicate_keys_last_wins);
	tcase_add_test(json, large_numbers_keep_their_text);
	tcase_add_test(json, messages_say_what_was_expected);
	tcase_add_test(json, invalid_utf8_is_refused);
	tcase_add_test(json, utf8_helpers);
	tcase_add_test(json, slurp_stops_at_the_limit);
	tcase_add_test(json, slurp_reads_a_slow_pipe_whole);
	tcase_add_test(json, read_path_reports_missing_file);
	tcase_add_test(json, describe_includes_position);
	suite_add_tcase(s, json);

	TCase *nd = tcase_create("ndjson");
	tcase_add_test(nd, line_reader_splits_lines);
	tcase_add_test(nd, line_reader_skips_long_lines_and_goes_on);
	tcase_add_test(nd, line_reader_handles_lines_across_reads);
	tcase_add_test(nd, records_report_bad_lines_and_go_on);
	tcase_add_test(nd, record_write_is_one_compact_line);
	suite_add_tcase(s, nd);

	TCase *opt = tcase_create("parse");
	tcase_add_test(opt, sizes);
	tcase_add_test(opt, durations);
	tcase_add_test(opt, counts);
	suite_add_tcase(s, opt);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
