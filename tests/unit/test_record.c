/* SPDX-License-Identifier: MIT */
/* Unit tests: the records' one error rule (SPEC section 3). */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/record.h"

static json_object *json(const char *text)
{
	json_object *o;
	wr_json_error err;
	ck_assert_msg(wr_json_parse(text, strlen(text), NULL, &o, &err) == 0, "%s", err.message);
	return o;
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

START_TEST(any_error_key_degrades_null_included)
{
	const char *degraded[] = {"{\"error\":\"x\"}", "{\"error\":null}", "{\"error\":\"\"}",
	                          "{\"error\":0}", "{\"error\":false}", "{\"error\":{}}"};
	for (size_t i = 0; i < sizeof degraded / sizeof *degraded; i++) {
		json_object *rec = json(degraded[i]);
		ck_assert_msg(wr_record_degraded(rec), "%s", degraded[i]);
		json_object_put(rec);
	}
	json_object *rec = json("{\"errors\":\"x\",\"severity\":\"clean\"}");
	ck_assert(!wr_record_degraded(rec));
	json_object_put(rec);
	ck_assert(!wr_record_degraded(NULL));
}
END_TEST

START_TEST(an_error_is_appended_never_overwritten)
{
	json_object *rec = json("{\"session\":\"s\"}");
	ck_assert_int_eq(wr_record_add_error(rec, "A"), 0);
	ck_assert_str_eq(plain(rec), "{\"session\":\"s\",\"error\":\"A\"}");
	ck_assert_int_eq(wr_record_add_error(rec, "B"), 0);
	ck_assert_str_eq(plain(rec), "{\"session\":\"s\",\"error\":\"A; B\"}");
	json_object_put(rec);

	rec = json("{\"error\":null}");
	ck_assert_int_eq(wr_record_add_error(rec, "B"), 0);
	ck_assert_str_eq(plain(rec), "{\"error\":\"null; B\"}");
	json_object_put(rec);

	rec = json("{\"error\":{\"code\":5}}");
	ck_assert_int_eq(wr_record_add_error(rec, "B"), 0);
	ck_assert_str_eq(plain(rec), "{\"error\":\"{\\\"code\\\":5}; B\"}");
	json_object_put(rec);
}
END_TEST

START_TEST(the_error_text_is_one_line_and_names_a_null)
{
	char buf[64];
	json_object *rec = json("{\"error\":null}");
	ck_assert_str_eq(wr_record_error_text(rec, buf, sizeof buf), "error: null");
	json_object_put(rec);
	rec = json("{\"error\":\"two\\nlines\"}");
	ck_assert_str_eq(wr_record_error_text(rec, buf, sizeof buf), "two lines");
	json_object_put(rec);
	rec = json("{\"error\":\"\"}");
	ck_assert_str_eq(wr_record_error_text(rec, buf, sizeof buf), "error: \"\"");
	json_object_put(rec);
	rec = json("{}");
	ck_assert_ptr_null(wr_record_error_text(rec, buf, sizeof buf));
	json_object_put(rec);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, any_error_key_degrades_null_included);
	tcase_add_test(tc, an_error_is_appended_never_overwritten);
	tcase_add_test(tc, the_error_text_is_one_line_and_names_a_null);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
