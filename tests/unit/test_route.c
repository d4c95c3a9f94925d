/* SPDX-License-Identifier: MIT */
/* Unit tests: the routing policy, rule by rule (SPEC section 6). */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/route.h"

#define MINUTE (60LL * 1000)
#define NOW (1700000000000LL)

static json_object *json(const char *text)
{
	json_object *o;
	wr_json_error err;
	ck_assert_msg(wr_json_parse(text, strlen(text), NULL, &o, &err) == 0, "%s", err.message);
	return o;
}

static wr_route_decision decide_with(const char *record, const wr_route_policy *p)
{
	wr_route_decision d;
	json_object *rec = json(record);
	wr_route_decide(rec, p, &d);
	json_object_put(rec);
	return d;
}

static wr_route_decision decide(const char *record)
{
	wr_route_policy p = wr_route_default_policy();
	p.now_ms = NOW;
	return decide_with(record, &p);
}

#define ASSERT_ROUTE(record, want_action, want_reason)                                   \
	do {                                                                                 \
		wr_route_decision d_ = decide(record);                                           \
		ck_assert_msg(d_.action == (want_action), "%s: action %s", record,               \
		              wr_action_name(d_.action));                                        \
		ck_assert_str_eq(d_.reason, want_reason);                                        \
	} while (0)

START_TEST(a_session_that_did_not_succeed_escalates_first)
{
	ASSERT_ROUTE("{\"outcome\":\"failed\",\"severity\":\"clean\"}", WR_ACTION_ESCALATE, "session failed");
	ASSERT_ROUTE("{\"outcome\":\"timeout\",\"severity\":\"clean\"}", WR_ACTION_ESCALATE, "session timeout");
	ASSERT_ROUTE("{\"outcome\":\"not_found\"}", WR_ACTION_ESCALATE, "session not_found");
	ASSERT_ROUTE("{\"outcome\":\"not_awaited\",\"severity\":\"clean\"}", WR_ACTION_ESCALATE, "session not_awaited");
	ASSERT_ROUTE("{\"outcome\":null,\"severity\":\"clean\"}", WR_ACTION_ESCALATE, "session null");
	ASSERT_ROUTE("{\"outcome\":\"failed\",\"error\":\"boom\"}", WR_ACTION_ESCALATE, "session failed");
	ASSERT_ROUTE("{\"outcome\":\"success\",\"severity\":\"clean\",\"source\":\"artifact\"}", WR_ACTION_MERGE, "clean");
}
END_TEST

START_TEST(an_error_escalates_before_the_severity)
{
	ASSERT_ROUTE("{\"error\":\"fetch failed: HTTP 500\",\"severity\":\"clean\"}", WR_ACTION_ESCALATE,
	             "fetch failed: HTTP 500");
	ASSERT_ROUTE("{\"outcome\":\"success\",\"error\":{\"code\":1},\"severity\":\"clean\"}",
	             WR_ACTION_ESCALATE, "error: {\"code\":1}");
	/* an error key with any value degrades the record: null included */
	ASSERT_ROUTE("{\"error\":null,\"severity\":\"clean\",\"source\":\"artifact\"}",
	             WR_ACTION_ESCALATE, "error: null");
	ASSERT_ROUTE("{\"error\":\"\",\"severity\":\"clean\",\"source\":\"artifact\"}",
	             WR_ACTION_ESCALATE, "error: \"\"");
}
END_TEST

START_TEST(blocking_unknown_missing_and_unrecognized_severities_escalate)
{
	ASSERT_ROUTE("{\"severity\":\"blocking\"}", WR_ACTION_ESCALATE, "severity: blocking");
	ASSERT_ROUTE("{\"severity\":\"unknown\"}", WR_ACTION_ESCALATE, "severity: unknown");
	ASSERT_ROUTE("{}", WR_ACTION_ESCALATE, "severity: unknown");
	ASSERT_ROUTE("{\"severity\":\"CLEAN\"}", WR_ACTION_ESCALATE, "severity: unknown");
	ASSERT_ROUTE("{\"severity\":\"cleanish\"}", WR_ACTION_ESCALATE, "severity: unknown");
	ASSERT_ROUTE("{\"severity\":true}", WR_ACTION_ESCALATE, "severity: unknown");
	ASSERT_ROUTE("{\"severity\":null}", WR_ACTION_ESCALATE, "severity: unknown");
}
END_TEST

START_TEST(clean_merges_whatever_the_passes)
{
	ASSERT_ROUTE("{\"severity\":\"clean\",\"source\":\"artifact\"}", WR_ACTION_MERGE, "clean");
	wr_route_decision d = decide("{\"severity\":\"clean\",\"source\":\"artifact\",\"passCount\":3}");
	ck_assert_int_eq(d.action, WR_ACTION_MERGE);
	ck_assert_int_eq(d.pass_count, 3);
	ck_assert_str_eq(d.goal, "");
}
END_TEST

START_TEST(minor_is_fixed_until_the_passes_run_out)
{
	for (int passes = 0; passes < 3; passes++) {
		char rec[128];
		snprintf(rec, sizeof rec, "{\"severity\":\"minor\",\"pr\":7,\"passCount\":%d}", passes);
		wr_route_decision d = decide(rec);
		ck_assert_int_eq(d.action, WR_ACTION_FIX);
		ck_assert_int_eq(d.pass_count, passes + 1);
	}
	/* A fourth fix agent never starts. */
	wr_route_decision d = decide("{\"severity\":\"minor\",\"pr\":7,\"passCount\":3}");
	ck_assert_int_eq(d.action, WR_ACTION_ESCALATE);
	ck_assert_str_eq(d.reason, "3 fix passes exhausted");
	ck_assert_int_eq(d.pass_count, 3);
	ck_assert_str_eq(d.goal, "");
	d = decide("{\"severity\":\"minor\",\"passCount\":9}");
	ck_assert_str_eq(d.reason, "9 fix passes exhausted");

	wr_route_policy p = wr_route_default_policy();
	p.max_passes = 0;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_ESCALATE);
	ck_assert_str_eq(d.reason, "0 fix passes exhausted");
	p.max_passes = 5;
	d = decide_with("{\"severity\":\"minor\",\"passCount\":4}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_FIX);
	ck_assert_int_eq(d.pass_count, 5);
}
END_TEST

START_TEST(an_invalid_pass_count_escalates)
{
	ASSERT_ROUTE("{\"severity\":\"minor\",\"passCount\":-1}", WR_ACTION_ESCALATE, "invalid passCount: -1");
	ASSERT_ROUTE("{\"severity\":\"minor\",\"passCount\":\"2\"}", WR_ACTION_ESCALATE, "invalid passCount: 2");
	ASSERT_ROUTE("{\"severity\":\"minor\",\"passCount\":1.5}", WR_ACTION_ESCALATE, "invalid passCount: 1.5");
	ASSERT_ROUTE("{\"severity\":\"clean\",\"passCount\":null}", WR_ACTION_ESCALATE, "invalid passCount: null");
	wr_route_decision d = decide("{\"severity\":\"minor\",\"passCount\":1.0}");
	ck_assert_int_eq(d.action, WR_ACTION_FIX);
	ck_assert_int_eq(d.pass_count, 2);
}
END_TEST

START_TEST(the_wall_clock_stops_fixes_20_minutes_before_the_end)
{
	wr_route_policy p = wr_route_default_policy();
	p.has_started_at = true;
	p.now_ms = NOW;

	p.started_at_ms = NOW - 69 * MINUTE;
	wr_route_decision d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_FIX);

	p.started_at_ms = NOW - 70 * MINUTE;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_FIX); /* not yet over 70 */

	p.started_at_ms = NOW - 73 * MINUTE - 12345;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_ESCALATE);
	ck_assert_str_eq(d.reason, "coordinator elapsed > 70 minutes (73 minutes)");

	/* Clean still merges: the rule only stops new fix agents. */
	d = decide_with("{\"severity\":\"clean\",\"source\":\"artifact\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_MERGE);

	/* The pass limit is checked first. */
	d = decide_with("{\"severity\":\"minor\",\"passCount\":3}", &p);
	ck_assert_str_eq(d.reason, "3 fix passes exhausted");

	p.max_runtime_ms = 30 * MINUTE;
	p.started_at_ms = NOW - 11 * MINUTE;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_str_eq(d.reason, "coordinator elapsed > 10 minutes (11 minutes)");

	p.max_runtime_ms = 10 * MINUTE; /* shorter than the cutoff: no fix at all */
	p.started_at_ms = NOW - 5000;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_str_eq(d.reason, "coordinator elapsed > 0 minutes (5 seconds)");

	p.max_runtime_ms = 20 * MINUTE + 90 * 1000;
	p.started_at_ms = NOW - 2 * MINUTE;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_str_eq(d.reason, "coordinator elapsed > 90 seconds (2 minutes)");

	/* Without a start time the rule does not apply. */
	p.has_started_at = false;
	d = decide_with("{\"severity\":\"minor\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_FIX);
}
END_TEST

START_TEST(the_fix_goal_names_the_pr_and_three_findings)
{
	wr_route_decision d = decide("{\"severity\":\"minor\",\"pr\":419,\"findings\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}");
	ck_assert_str_eq(d.goal, "Fix review findings in PR #419: a; b; c");
	d = decide("{\"severity\":\"minor\",\"pr\":419,\"findings\":[]}");
	ck_assert_str_eq(d.goal, "Fix review findings in PR #419");
	d = decide("{\"severity\":\"minor\",\"pr\":419}");
	ck_assert_str_eq(d.goal, "Fix review findings in PR #419");
	d = decide("{\"severity\":\"minor\",\"findings\":[\"only\"]}");
	ck_assert_str_eq(d.goal, "Fix review findings: only");
	d = decide("{\"severity\":\"minor\",\"pr\":1,\"findings\":[1,\"\",\"line\\none\",null,\"two\"]}");
	ck_assert_str_eq(d.goal, "Fix review findings in PR #1: line one; two");

	char rec[6000] = "{\"severity\":\"minor\",\"pr\":2,\"findings\":[";
	for (int i = 0; i < 3; i++) {
		strcat(rec, i ? ",\"" : "\"");
		for (int k = 0; k < 500; k++)
			strcat(rec, "\xc3\xa9"); /* 1000 bytes of two-byte characters */
		strcat(rec, "\"");
	}
	strcat(rec, "]}");
	d = decide(rec);
	ck_assert_uint_lt(strlen(d.goal), sizeof d.goal);
	ck_assert_uint_eq(wr_utf8_check(d.goal, strlen(d.goal)), strlen(d.goal));
}
END_TEST

START_TEST(clean_from_the_notes_alone_escalates_unless_trusted)
{
	const char *why = "clean by notes only: no verdict artifact (--trust-notes merges these)";
	ASSERT_ROUTE("{\"severity\":\"clean\",\"source\":\"keyword_scan\"}", WR_ACTION_ESCALATE, why);
	ASSERT_ROUTE("{\"severity\":\"clean\",\"source\":\"notes_json\"}", WR_ACTION_ESCALATE, why);
	ASSERT_ROUTE("{\"severity\":\"clean\"}", WR_ACTION_ESCALATE, why);
	ASSERT_ROUTE("{\"severity\":\"clean\",\"source\":null}", WR_ACTION_ESCALATE, why);
	wr_route_policy p = wr_route_default_policy();
	p.now_ms = NOW;
	p.trust_notes = true;
	wr_route_decision d = decide_with("{\"severity\":\"clean\",\"source\":\"keyword_scan\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_MERGE);
	/* trusting the notes never merges what is not clean */
	d = decide_with("{\"severity\":\"unknown\",\"source\":\"keyword_scan\"}", &p);
	ck_assert_int_eq(d.action, WR_ACTION_ESCALATE);
}
END_TEST

START_TEST(apply_writes_the_fields_and_keeps_the_rest)
{
	json_object *rec = json("{\"session\":\"s\",\"pr\":3,\"severity\":\"clean\",\"goal\":\"stale\",\"x\":[1]}");
	/* clean from the notes alone merges only when the notes are trusted */
	wr_route_decision d;
	wr_route_policy p = wr_route_default_policy();
	p.trust_notes = true;
	wr_route_decide(rec, &p, &d);
	ck_assert_int_eq(wr_route_apply(rec, &d), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN),
	                 "{\"session\":\"s\",\"pr\":3,\"severity\":\"clean\",\"x\":[1],"
	                 "\"action\":\"merge\",\"reason\":\"clean\",\"passCount\":0}");
	json_object_put(rec);

	rec = json("{\"severity\":\"minor\",\"pr\":3,\"passCount\":1,\"action\":\"old\"}");
	wr_route_decide(rec, &p, &d);
	ck_assert_int_eq(wr_route_apply(rec, &d), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN),
	                 "{\"severity\":\"minor\",\"pr\":3,\"passCount\":2,\"action\":\"fix\","
	                 "\"reason\":\"minor: fix pass 2 of 3\",\"goal\":\"Fix review findings in PR #3\"}");
	json_object_put(rec);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");
	tcase_add_test(tc, a_session_that_did_not_succeed_escalates_first);
	tcase_add_test(tc, an_error_escalates_before_the_severity);
	tcase_add_test(tc, blocking_unknown_missing_and_unrecognized_severities_escalate);
	tcase_add_test(tc, clean_merges_whatever_the_passes);
	tcase_add_test(tc, minor_is_fixed_until_the_passes_run_out);
	tcase_add_test(tc, an_invalid_pass_count_escalates);
	tcase_add_test(tc, the_wall_clock_stops_fixes_20_minutes_before_the_end);
	tcase_add_test(tc, the_fix_goal_names_the_pr_and_three_findings);
	tcase_add_test(tc, clean_from_the_notes_alone_escalates_unless_trusted);
	tcase_add_test(tc, apply_writes_the_fields_and_keeps_the_rest);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
