/* SPDX-License-Identifier: MIT */
/* Unit tests: WorkRail response parsers (on real WorkRail 3.40 responses), the notes
 * node rule, URL building and port discovery. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wrkit/workrail.h"

/* ---- fixtures ---- */

static char *data_path(const char *name)
{
	const char *src = getenv("WR_SRCDIR");
	static char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/workrail/%s", src ? src : ".", name);
	return path;
}

/* The bytes of a fixture file (caller frees). */
static char *slurp(const char *name, size_t *len)
{
	FILE *fp = fopen(data_path(name), "rb");
	ck_assert_msg(fp != NULL, "cannot open %s (is WR_SRCDIR set?)", data_path(name));
	char *buf = malloc(1 << 20);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, (1 << 20) - 1, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* The "body" of a captured exchange {request, status, body}, as text (caller frees). */
static char *captured_body(const char *name, long *status)
{
	size_t len;
	char *text = slurp(name, &len);
	json_object *doc = json_tokener_parse(text), *body, *st;
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, "body", &body));
	ck_assert(json_object_object_get_ex(doc, "status", &st));
	*status = json_object_get_int(st);
	char *out = strdup(json_object_to_json_string(body));
	json_object_put(doc);
	free(text);
	return out;
}

static wr_api_status session_of(const char *body, long status, wr_session_detail *d,
                                wr_error *err)
{
	return wr_session_detail_parse(body, strlen(body), status, NULL, d, err);
}

static wr_api_status node_of(const char *body, long status, wr_node_detail *d, wr_error *err)
{
	return wr_node_detail_parse(body, strlen(body), status, NULL, d, err);
}

/* ---- session detail ---- */

START_TEST(real_session_detail_parses)
{
	size_t len;
	char *body = slurp("real-3.40/session-detail.json", &len);
	wr_session_detail d;
	wr_error err;

	ck_assert_int_eq(wr_session_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	ck_assert_uint_eq(d.run_count, 1);
	ck_assert_str_eq(d.run_status, "complete");
	ck_assert_str_eq(d.preferred_tip, "node_wroj7mbm65qbcub53fd2ns6rw4");
	ck_assert_ptr_null(d.session_status);
	ck_assert_uint_eq(d.node_count, 3);
	ck_assert_str_eq(d.nodes[0].id, "node_nynpa4wvg3pp7cpwf3tobbe4ve");
	ck_assert_ptr_null(d.nodes[0].parent_id);
	ck_assert_str_eq(d.nodes[0].step_label, "Phase 1: Review");
	ck_assert(d.nodes[0].has_recap);
	ck_assert_str_eq(d.nodes[1].step_label, "Phase 6: Final Handoff");
	ck_assert_str_eq(d.nodes[1].parent_id, "node_nynpa4wvg3pp7cpwf3tobbe4ve");
	ck_assert_ptr_null(d.nodes[2].step_label);
	ck_assert(!d.nodes[2].has_recap);
	ck_assert_str_eq(d.nodes[2].parent_id, "node_x5c2swmifd5kogutrvhgtihgnq");
	ck_assert_int_eq(wr_session_outcome(&d), WR_RUN_SUCCESS);
	ck_assert_str_eq(wr_session_status(&d), "complete");
	wr_session_detail_free(&d);
	free(body);
}
END_TEST

START_TEST(notes_of_a_completed_run_are_on_the_terminal_nodes_parent)
{
	size_t len;
	char *body = slurp("real-3.40/session-detail.json", &len);
	wr_session_detail d;
	wr_error err;

	ck_assert_int_eq(wr_session_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	long i = wr_session_notes_node(&d, &err);
	ck_assert_int_eq(i, 1);
	ck_assert_str_eq(d.nodes[i].id, "node_x5c2swmifd5kogutrvhgtihgnq");
	wr_session_detail_free(&d);
	free(body);

	/* The documented example: four nodes, the terminal tip's parent is node_06. */
	body = slurp("session-detail.json", &len);
	ck_assert_int_eq(wr_session_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	i = wr_session_notes_node(&d, &err);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(d.nodes[i].id, "node_06");
	wr_session_detail_free(&d);
	free(body);
}
END_TEST

/* A run document with the given status and node list (JSON text of the nodes). */
static char *run_doc(const char *status, const char *tip, const char *nodes)
{
	static char buf[4096];
	snprintf(buf, sizeof buf,
	         "{\"success\":true,\"data\":{\"sessionId\":\"s\",\"runs\":[{\"status\":\"%s\","
	         "\"preferredTipNodeId\":%s,\"nodes\":[%s]}]}}",
	         status, tip, nodes);
	return buf;
}

#define STEP_A "{\"nodeId\":\"a\",\"parentNodeId\":null,\"stepLabel\":\"Phase 1\",\"hasRecap\":true}"
#define STEP_B "{\"nodeId\":\"b\",\"parentNodeId\":\"a\",\"stepLabel\":\"Phase 6\",\"hasRecap\":true}"
#define TERM_C "{\"nodeId\":\"c\",\"parentNodeId\":\"b\",\"stepLabel\":null,\"hasRecap\":false}"

static long notes_index(const char *doc, wr_error *err)
{
	wr_session_detail d;
	ck_assert_int_eq(session_of(doc, 200, &d, err), WR_API_OK);
	long i = wr_session_notes_node(&d, err);
	wr_session_detail_free(&d);
	return i;
}

START_TEST(notes_node_is_never_an_earlier_step)
{
	wr_error err;

	/* The tip is a step: its own notes, even when complete. */
	ck_assert_int_eq(notes_index(run_doc("complete", "\"b\"", STEP_A "," STEP_B), &err), 1);
	ck_assert_int_eq(notes_index(run_doc("complete_with_gaps", "\"c\"",
	                                     STEP_A "," STEP_B "," TERM_C), &err), 1);
	/* A run still going whose tip has no notes: the tip (no notes), not a step back. */
	ck_assert_int_eq(notes_index(run_doc("in_progress", "\"c\"", STEP_A "," STEP_B "," TERM_C),
	                             &err), 2);
	ck_assert_int_eq(notes_index(run_doc("blocked", "\"c\"", STEP_A "," STEP_B "," TERM_C), &err),
	                 2);
	/* The terminal node's parent is the last step, never the first. */
	ck_assert_int_eq(notes_index(run_doc("complete", "\"c\"", TERM_C "," STEP_A "," STEP_B),
	                             &err), 2);
}
END_TEST

START_TEST(notes_node_fails_closed_without_a_tip)
{
	wr_error err;

	ck_assert_int_eq(notes_index(run_doc("complete", "null", STEP_A), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "no preferred tip"));
	ck_assert_int_eq(notes_index(run_doc("complete", "\"zz\"", STEP_A), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "not among its nodes"));
	ck_assert_int_eq(notes_index(run_doc("complete", "\"c\"", STEP_A "," TERM_C), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "parent"));
	ck_assert_int_eq(
		notes_index(run_doc("complete", "\"c\"",
		                    "{\"nodeId\":\"c\",\"parentNodeId\":null,\"stepLabel\":null}"),
		            &err),
		-1);
	ck_assert_int_eq(notes_index(run_doc("complete", "\"a\"", ""), &err), -1);
}
END_TEST

START_TEST(unknown_session_has_no_runs)
{
	long status;
	char *body = captured_body("real-3.40/unknown-session.json", &status);
	wr_session_detail d;
	wr_error err;

	ck_assert_int_eq(status, 200);
	ck_assert_int_eq(session_of(body, status, &d, &err), WR_API_OK);
	ck_assert_uint_eq(d.run_count, 0);
	ck_assert_int_eq(wr_session_notes_node(&d, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "no runs"));
	wr_session_detail_free(&d);
	free(body);
}
END_TEST

START_TEST(http_errors_quote_the_body)
{
	wr_session_detail d;
	wr_error err;

	ck_assert_int_eq(session_of("{\"success\":false,\"error\":\"Session not found: sess_missing\"}",
	                            404, &d, &err),
	                 WR_API_NOT_FOUND);
	ck_assert_str_eq(err.message, "not found (HTTP 404: Session not found: sess_missing)");
	ck_assert_int_eq(session_of("", 404, &d, &err), WR_API_NOT_FOUND);
	ck_assert_str_eq(err.message, "not found (HTTP 404)");
	ck_assert_int_eq(session_of("{\"success\":false,\"error\":\"session store is corrupt\"}", 500,
	                            &d, &err),
	                 WR_API_HTTP_ERROR);
	ck_assert_str_eq(err.message, "HTTP 500: session store is corrupt");
	ck_assert_int_eq(session_of("<html>Bad Gateway</html>", 502, &d, &err), WR_API_HTTP_ERROR);
	ck_assert_str_eq(err.message, "HTTP 502");
	ck_assert_int_eq(session_of("{\"success\":false,\"error\":\"nope\"}", 200, &d, &err),
	                 WR_API_HTTP_ERROR);
	ck_assert_str_eq(err.message, "request failed: nope");
	/* A 3xx is not followed, and not success either. */
	ck_assert_int_eq(session_of(run_doc("complete", "null", ""), 301, &d, &err),
	                 WR_API_HTTP_ERROR);
	/* A quoted error is one line. */
	ck_assert_int_eq(session_of("{\"error\":\"two\\nlines\"}", 500, &d, &err), WR_API_HTTP_ERROR);
	ck_assert_str_eq(err.message, "HTTP 500: two lines");
}
END_TEST

START_TEST(long_quoted_errors_stay_utf8)
{
	char body[4096] = "{\"success\":false,\"error\":\"";
	for (int i = 0; i < 500; i++)
		strcat(body, "\xc3\xa9");
	strcat(body, "\"}");
	wr_session_detail d;
	wr_error err;
	for (long st = 500; st <= 501; st++) {
		ck_assert_int_eq(session_of(body + (st - 500), st, &d, &err), WR_API_HTTP_ERROR);
		size_t n = strlen(err.message);
		ck_assert_uint_lt(n, 300);
		ck_assert_uint_eq(wr_utf8_check(err.message, n), n);
	}
}
END_TEST

START_TEST(every_truncation_of_a_real_body_is_refused)
{
	size_t len;
	char *body = slurp("real-3.40/session-detail.json", &len);
	while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == ' '))
		len--;
	for (size_t n = 0; n < len; n++) {
		wr_session_detail d;
		wr_error err;
		ck_assert_int_eq(wr_session_detail_parse(body, n, 200, NULL, &d, &err), WR_API_MALFORMED);
		ck_assert_ptr_nonnull(strstr(err.message, "malformed response"));
		ck_assert_ptr_null(d.nodes);
	}
	free(body);
}
END_TEST

START_TEST(wrong_shapes_are_malformed)
{
	static const char *docs[] = {
		"[]",
		"{\"success\":true}",
		"{\"data\":{\"runs\":[]}}",
		"{\"success\":true,\"data\":[]}",
		"{\"success\":true,\"data\":{}}",
		"{\"success\":true,\"data\":{\"runs\":{}}}",
		"{\"success\":true,\"data\":{\"runs\":[1]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"nodes\":[]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":1,\"nodes\":[]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\"}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[1]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[{}]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[{\"nodeId\":7}]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[{\"nodeId\":\"\"}]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[{\"nodeId\":\"a\\u0000b\"}]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"nodes\":[{\"nodeId\":\"a\",\"stepLabel\":3}]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[{\"status\":\"complete\",\"preferredTipNodeId\":5,\"nodes\":[]}]}}",
		"{\"success\":true,\"data\":{\"runs\":[]}} trailing",
		"\xff",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		wr_session_detail d;
		wr_error err;
		size_t len = strlen(docs[i]);
		ck_assert_msg(wr_session_detail_parse(docs[i], len, 200, NULL, &d, &err) ==
		                      WR_API_MALFORMED,
		              "accepted %s", docs[i]);
		ck_assert_ptr_null(d.run_status);
	}
	/* A NUL byte inside the body. */
	static const char with_nul[] = "{\"success\":true,\"data\":{\"runs\":[]}}\0";
	wr_session_detail d;
	wr_error err;
	ck_assert_int_eq(wr_session_detail_parse(with_nul, sizeof with_nul - 1, 200, NULL, &d, &err),
	                 WR_API_MALFORMED);
}
END_TEST

START_TEST(limits_apply_to_bodies)
{
	size_t len;
	char *body = slurp("real-3.40/session-detail.json", &len);
	wr_json_limits small = {1000, 128}, shallow = {1 << 20, 3};
	wr_session_detail d;
	wr_error err;

	ck_assert_int_eq(wr_session_detail_parse(body, len, 200, &small, &d, &err), WR_API_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err.message, "size limit"));
	ck_assert_int_eq(wr_session_detail_parse(body, len, 200, &shallow, &d, &err), WR_API_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err.message, "nest"));
	free(body);
}
END_TEST

START_TEST(outcomes_of_statuses)
{
	static const struct {
		const char *run, *session;
		wr_run_outcome want;
		const char *status;
	} cases[] = {
		{"complete", NULL, WR_RUN_SUCCESS, "complete"},
		{"complete_with_gaps", NULL, WR_RUN_SUCCESS, "complete_with_gaps"},
		{"blocked", NULL, WR_RUN_FAILED, "blocked"},
		{"in_progress", NULL, WR_RUN_PENDING, "in_progress"},
		{"something_new", NULL, WR_RUN_PENDING, "something_new"},
		{"dormant", NULL, WR_RUN_DORMANT, "dormant"},
		{"in_progress", "dormant", WR_RUN_DORMANT, "dormant"},
		{"complete", "active", WR_RUN_SUCCESS, "complete"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char doc[512];
		snprintf(doc, sizeof doc,
		         "{\"success\":true,\"data\":{%s%s%s\"runs\":[{\"status\":\"%s\",\"nodes\":[]}]}}",
		         cases[i].session ? "\"status\":\"" : "", cases[i].session ? cases[i].session : "",
		         cases[i].session ? "\"," : "", cases[i].run);
		wr_session_detail d;
		wr_error err;
		ck_assert_int_eq(session_of(doc, 200, &d, &err), WR_API_OK);
		ck_assert_int_eq(wr_session_outcome(&d), cases[i].want);
		ck_assert_str_eq(wr_session_status(&d), cases[i].status);
		wr_session_detail_free(&d);
	}
}
END_TEST

/* ---- node detail ---- */

START_TEST(real_node_with_wrapped_artifact)
{
	size_t len;
	char *body = slurp("real-3.40/node-2-phase-6.json", &len);
	wr_node_detail d;
	wr_error err;

	ck_assert_int_eq(wr_node_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	ck_assert_str_eq(d.recap, "## Handoff\nFinal recommendation: APPROVE with minor changes\n"
	                          "Critical: 0 / Major: 0 / Minor: 1 / Nit: 0");
	ck_assert_uint_eq(json_object_array_length(d.artifacts), 1);
	json_object *a = json_object_array_get_idx(d.artifacts, 0), *v;
	ck_assert(json_object_object_get_ex(a, "kind", &v));
	ck_assert_str_eq(json_object_get_string(v), "wr.review_verdict");
	ck_assert(json_object_object_get_ex(a, "verdict", &v));
	ck_assert_str_eq(json_object_get_string(v), "minor");
	ck_assert(!json_object_object_get_ex(a, "sha256", NULL));
	wr_node_detail_free(&d);
	free(body);
}
END_TEST

START_TEST(real_terminal_node_has_no_notes)
{
	size_t len;
	char *body = slurp("real-3.40/node-3-terminal.json", &len);
	wr_node_detail d;
	wr_error err;

	ck_assert_int_eq(wr_node_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	ck_assert_ptr_null(d.recap);
	ck_assert_uint_eq(json_object_array_length(d.artifacts), 0);
	wr_node_detail_free(&d);
	free(body);

	body = slurp("real-3.40/node-1-phase-1.json", &len);
	ck_assert_int_eq(wr_node_detail_parse(body, len, 200, NULL, &d, &err), WR_API_OK);
	ck_assert_str_eq(d.recap, "Phase 1 notes: looked at cache.ts");
	wr_node_detail_free(&d);
	free(body);
}
END_TEST

START_TEST(bare_and_wrapped_artifacts_keep_their_order)
{
	const char *doc =
		"{\"success\":true,\"data\":{\"recapMarkdown\":\"n\",\"artifacts\":["
		"{\"kind\":\"wr.a\"},"
		"{\"sha256\":\"sha256:00\",\"contentType\":\"application/json\",\"byteLength\":2,"
		"\"content\":{\"kind\":\"wr.b\"}},"
		"{\"kind\":\"wr.c\",\"content\":\"text\"}]}}";
	wr_node_detail d;
	wr_error err;

	ck_assert_int_eq(node_of(doc, 200, &d, &err), WR_API_OK);
	ck_assert_uint_eq(json_object_array_length(d.artifacts), 3);
	const char *kinds[] = {"wr.a", "wr.b", "wr.c"};
	for (size_t i = 0; i < 3; i++) {
		json_object *v;
		ck_assert(json_object_object_get_ex(json_object_array_get_idx(d.artifacts, i), "kind", &v));
		ck_assert_str_eq(json_object_get_string(v), kinds[i]);
	}
	wr_node_detail_free(&d);

	/* No artifacts key, or null: none. */
	ck_assert_int_eq(node_of("{\"success\":true,\"data\":{\"recapMarkdown\":null}}", 200, &d, &err),
	                 WR_API_OK);
	ck_assert_uint_eq(json_object_array_length(d.artifacts), 0);
	wr_node_detail_free(&d);
}
END_TEST

START_TEST(node_errors)
{
	long status;
	char *body = captured_body("real-3.40/unknown-node.json", &status);
	wr_node_detail d;
	wr_error err;

	ck_assert_int_eq(node_of(body, status, &d, &err), WR_API_NOT_FOUND);
	ck_assert_str_eq(err.message, "not found (HTTP 404: Node node_nope not found in session "
	                              "sess_2z645dlezoueumjwgcd7nquzim)");
	free(body);
	static const char *bad[] = {
		"{\"success\":true,\"data\":{}}",
		"{\"success\":true,\"data\":{\"recapMarkdown\":3}}",
		"{\"success\":true,\"data\":{\"recapMarkdown\":\"a\\u0000b\"}}",
		"{\"success\":true,\"data\":{\"recapMarkdown\":null,\"artifacts\":{}}}",
		"{\"success\":true,\"data\":null}",
		"{\"success\":true,\"data\":{\"recapMarkdown\":null,\"artifacts\":[",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(node_of(bad[i], 200, &d, &err) == WR_API_MALFORMED, "accepted %s", bad[i]);
		ck_assert_ptr_null(d.artifacts);
	}
	ck_assert_int_eq(node_of("{\"success\":false,\"error\":\"store is corrupt\"}", 500, &d, &err),
	                 WR_API_HTTP_ERROR);
	ck_assert_str_eq(err.message, "HTTP 500: store is corrupt");
}
END_TEST

/* ---- dispatch ---- */

/* The response of dispatch.json for an HTTP status, as text. */
static char *dispatch_response(const char *code)
{
	size_t len;
	char *text = slurp("dispatch.json", &len);
	json_object *doc = json_tokener_parse(text), *responses, *r;
	ck_assert(json_object_object_get_ex(doc, "responses", &responses));
	ck_assert(json_object_object_get_ex(responses, code, &r));
	char *out = strdup(json_object_to_json_string(r));
	json_object_put(doc);
	free(text);
	return out;
}

static wr_dispatch_status dispatch_of(const char *body, long status, char **handle, wr_error *err)
{
	return wr_dispatch_reply_parse(body, strlen(body), status, NULL, handle, err);
}

START_TEST(dispatch_replies)
{
	char *handle;
	wr_error err;
	char *body = dispatch_response("200");
	ck_assert_int_eq(dispatch_of(body, 200, &handle, &err), WR_DISPATCH_OK);
	ck_assert_str_eq(handle, "sess_01hx4k2m9q");
	free(handle);
	free(body);

	body = dispatch_response("503");
	ck_assert_int_eq(dispatch_of(body, 503, &handle, &err), WR_DISPATCH_NOT_READY);
	ck_assert_ptr_null(handle);
	ck_assert_str_eq(err.message, "WorkTrain daemon is not ready: No LLM credentials available. "
	                              "Set ANTHROPIC_API_KEY or AWS_PROFILE.");
	free(body);

	body = dispatch_response("400");
	ck_assert_int_eq(dispatch_of(body, 400, &handle, &err), WR_DISPATCH_FAILED);
	ck_assert_str_eq(err.message,
	                 "Dispatch failed: workflowId, goal, and workspacePath are required.");
	free(body);

	ck_assert_int_eq(dispatch_of("", 503, &handle, &err), WR_DISPATCH_NOT_READY);
	ck_assert_str_eq(err.message, "WorkTrain daemon is not ready: HTTP 503");
	ck_assert_int_eq(dispatch_of("oops", 500, &handle, &err), WR_DISPATCH_FAILED);
	ck_assert_str_eq(err.message, "Dispatch failed: HTTP 500");
	ck_assert_int_eq(dispatch_of("{\"success\":false,\"error\":\"no\"}", 200, &handle, &err),
	                 WR_DISPATCH_FAILED);
	ck_assert_str_eq(err.message, "Dispatch failed: no");
}
END_TEST

START_TEST(dispatch_without_handle_is_a_zombie)
{
	static const char *bodies[] = {
		"{\"success\":true,\"data\":{\"status\":\"dispatched\",\"workflowId\":\"w\"}}",
		"{\"success\":true,\"data\":{\"sessionHandle\":\"\"}}",
		"{\"success\":true,\"data\":{\"sessionHandle\":null}}",
		"{\"success\":true,\"data\":{\"sessionHandle\":42}}",
		"{\"success\":true}",
		"not json",
		"",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		char *handle;
		wr_error err;
		ck_assert_int_eq(dispatch_of(bodies[i], 200, &handle, &err), WR_DISPATCH_NO_HANDLE);
		ck_assert_ptr_null(handle);
		ck_assert_str_eq(err.message, "Dispatch succeeded but no session handle returned");
	}
}
END_TEST

START_TEST(dispatch_request_body_is_json)
{
	char *s = wr_dispatch_request_body("mr-review", "Review PR #7 \"a\\b\" \xc3\xa9\n", "/tmp/x");
	ck_assert_ptr_nonnull(s);
	json_object *doc = json_tokener_parse(s), *v;
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, "workflowId", &v));
	ck_assert_str_eq(json_object_get_string(v), "mr-review");
	ck_assert(json_object_object_get_ex(doc, "goal", &v));
	ck_assert_str_eq(json_object_get_string(v), "Review PR #7 \"a\\b\" \xc3\xa9\n");
	ck_assert(json_object_object_get_ex(doc, "workspacePath", &v));
	ck_assert_str_eq(json_object_get_string(v), "/tmp/x");
	json_object_put(doc);
	free(s);
}
END_TEST

/* ---- URLs ---- */

static void expect_encoded(const char *in, const char *want)
{
	char *got = wr_url_encode_segment(in);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(segments_are_percent_encoded)
{
	expect_encoded("sess_2z645dlezoueumjwgcd7nquzim", "sess_2z645dlezoueumjwgcd7nquzim");
	expect_encoded("a-b.c_d~e", "a-b.c_d~e");
	expect_encoded("a/b", "a%2Fb");
	expect_encoded("a b?c#d%e", "a%20b%3Fc%23d%25e");
	expect_encoded("\xc3\xa9", "%C3%A9");
	expect_encoded("+&=;:@", "%2B%26%3D%3B%3A%40");
	expect_encoded(".", "%2E");
	expect_encoded("..", "%2E%2E");
	expect_encoded("...", "...");
	expect_encoded("", "");
}
END_TEST

START_TEST(api_paths)
{
	char *p = wr_session_path("s/1");
	ck_assert_str_eq(p, "/api/v2/sessions/s%2F1");
	free(p);
	p = wr_node_path("s 1", "..");
	ck_assert_str_eq(p, "/api/v2/sessions/s%201/nodes/%2E%2E");
	free(p);
}
END_TEST

static void expect_url(const char *host, int port, const char *want)
{
	wr_error err;
	char *url = wr_base_url(host, port, &err);
	ck_assert_msg(url != NULL, "%s: %s", host ? host : "(null)", err.message);
	ck_assert_str_eq(url, want);
	free(url);
}

static void expect_bad_host(const char *host, int port, const char *why)
{
	wr_error err;
	char *url = wr_base_url(host, port, &err);
	ck_assert_msg(url == NULL, "accepted %s", host);
	ck_assert_msg(strstr(err.message, why) != NULL, "%s: %s", host, err.message);
}

START_TEST(base_urls)
{
	expect_url(NULL, 3456, "http://127.0.0.1:3456");
	expect_url("localhost", 80, "http://localhost:80");
	expect_url("::1", 3456, "http://[::1]:3456");
	expect_url("[::1]", 3456, "http://[::1]:3456");
	expect_url("https://wr.example.com", 8443, "https://wr.example.com:8443");
	expect_url("http://10.0.0.2", 1, "http://10.0.0.2:1");
	expect_bad_host("ftp://x", 1, "only http and https");
	expect_bad_host("file:///etc/passwd", 1, "only http and https");
	expect_bad_host("evil.com/#", 1, "invalid host");
	expect_bad_host("localhost:99", 1, "invalid host");
	expect_bad_host("user@host", 1, "invalid host");
	expect_bad_host("", 1, "empty host");
	expect_bad_host("https://", 1, "empty host");
	expect_bad_host("[host]", 1, "invalid host");
	expect_bad_host("localhost", 0, "invalid port");
	expect_bad_host("localhost", 65536, "invalid port");
}
END_TEST

/* ---- port discovery ---- */

START_TEST(lock_file_ports)
{
	static const struct {
		const char *doc;
		int port;
	} cases[] = {
		{"{\"port\": 3456}", 3456},
		{"{\"pid\": 12, \"port\": 4100, \"startedAt\": \"x\"}", 4100},
		{"{\"port\": 65535}", 65535},
		{"{\"port\": \"3456\"}", -1},
		{"{\"port\": 0}", -1},
		{"{\"port\": -1}", -1},
		{"{\"port\": 65536}", -1},
		{"{\"port\": 3456.5}", -1},
		{"{\"port\": null}", -1},
		{"{}", -1},
		{"[3456]", -1},
		{"{\"port\": 3456", -1},
		{"", -1},
		{"garbage", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		ck_assert_msg(wr_lockfile_port(cases[i].doc, strlen(cases[i].doc)) == cases[i].port,
		              "%s", cases[i].doc);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/.workrail/%s", dir, name);
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void remove_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/.workrail/%s", dir, name);
	unlink(path);
	rmdir(path);
}

START_TEST(port_discovery_order)
{
	char home[] = "/tmp/wrkit-home-XXXXXX";
	char sub[4096];
	ck_assert_ptr_nonnull(mkdtemp(home));

	/* No .workrail at all. */
	ck_assert_int_eq(wr_workrail_port(home), 3456);
	snprintf(sub, sizeof sub, "%s/.workrail", home);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(wr_workrail_port(home), 3456);

	write_file(home, "dashboard.lock", "{\"port\": 4002}");
	ck_assert_int_eq(wr_workrail_port(home), 4002);
	write_file(home, "daemon-console.lock", "{\"port\": 4001}");
	ck_assert_int_eq(wr_workrail_port(home), 4001);
	/* A corrupt daemon-console.lock is skipped, not fatal. */
	write_file(home, "daemon-console.lock", "{\"port\": 40");
	ck_assert_int_eq(wr_workrail_port(home), 4002);
	write_file(home, "daemon-console.lock", "");
	ck_assert_int_eq(wr_workrail_port(home), 4002);
	write_file(home, "dashboard.lock", "{\"port\": \"x\"}");
	ck_assert_int_eq(wr_workrail_port(home), 3456);
	/* Something that is not a regular file is not read. */
	remove_file(home, "daemon-console.lock");
	snprintf(sub, sizeof sub, "%s/.workrail/daemon-console.lock", home);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	write_file(home, "dashboard.lock", "{\"port\": 4003}");
	ck_assert_int_eq(wr_workrail_port(home), 4003);

	remove_file(home, "daemon-console.lock");
	remove_file(home, "dashboard.lock");
	snprintf(sub, sizeof sub, "%s/.workrail", home);
	rmdir(sub);
	rmdir(home);
}
END_TEST

START_TEST(port_discovery_uses_HOME)
{
	char home[] = "/tmp/wrkit-home-XXXXXX";
	char sub[4096];
	ck_assert_ptr_nonnull(mkdtemp(home));
	snprintf(sub, sizeof sub, "%s/.workrail", home);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	write_file(home, "daemon-console.lock", "{\"port\": 4567}");
	setenv("HOME", home, 1);
	ck_assert_int_eq(wr_workrail_port(NULL), 4567);
	remove_file(home, "daemon-console.lock");
	rmdir(sub);
	rmdir(home);
}
END_TEST

/* ---- the client, without a server ---- */

static void record_result(wr_client *c, void *ctx, const wr_http_response *resp)
{
	(void)c;
	*(wr_http_response *)ctx = *resp;
	((wr_http_response *)ctx)->body = NULL;
}

START_TEST(client_reports_refused_connections_exactly)
{
	/* Port 1 on the loopback: nothing listens there on a test machine. */
	wr_client_options o = {"127.0.0.1", 1, 5000, 5000, 0};
	wr_error err;
	wr_http_response resp;
	wr_client *c = wr_client_new(&o, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(wr_client_port(c), 1);
	ck_assert_int_eq(wr_client_get(c, "/api/v2/sessions/x", record_result, &resp), 0);
	ck_assert_int_eq(wr_client_run(c, 8, &err), 0);
	ck_assert_int_eq(resp.result, WR_HTTP_REFUSED);
	ck_assert_str_eq(resp.error,
	                 "Could not connect to WorkTrain daemon on port 1. Start with: worktrain daemon");
	wr_client_free(c);

	o.host = "ftp://x";
	ck_assert_ptr_null(wr_client_new(&o, &err));
	ck_assert_ptr_nonnull(strstr(err.message, "only http and https"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("workrail");
	TCase *sess = tcase_create("session");
	tcase_add_test(sess, real_session_detail_parses);
	tcase_add_test(sess, notes_of_a_completed_run_are_on_the_terminal_nodes_parent);
	tcase_add_test(sess, notes_node_is_never_an_earlier_step);
	tcase_add_test(sess, notes_node_fails_closed_without_a_tip);
	tcase_add_test(sess, unknown_session_has_no_runs);
	tcase_add_test(sess, http_errors_quote_the_body);
	tcase_add_test(sess, long_quoted_errors_stay_utf8);
	tcase_add_test(sess, every_truncation_of_a_real_body_is_refused);
	tcase_add_test(sess, wrong_shapes_are_malformed);
	tcase_add_test(sess, limits_apply_to_bodies);
	tcase_add_test(sess, outcomes_of_statuses);
	suite_add_tcase(s, sess);

	TCase *node = tcase_create("node");
	tcase_add_test(node, real_node_with_wrapped_artifact);
	tcase_add_test(node, real_terminal_node_has_no_notes);
	tcase_add_test(node, bare_and_wrapped_artifacts_keep_their_order);
	tcase_add_test(node, node_errors);
	suite_add_tcase(s, node);

	TCase *disp = tcase_create("dispatch");
	tcase_add_test(disp, dispatch_replies);
	tcase_add_test(disp, dispatch_without_handle_is_a_zombie);
	tcase_add_test(disp, dispatch_request_body_is_json);
	suite_add_tcase(s, disp);

	TCase *url = tcase_create("url");
	tcase_add_test(url, segments_are_percent_encoded);
	tcase_add_test(url, api_paths);
	tcase_add_test(url, base_urls);
	suite_add_tcase(s, url);

	TCase *port = tcase_create("port");
	tcase_add_test(port, lock_file_ports);
	tcase_add_test(port, port_discovery_order);
	tcase_add_test(port, port_discovery_uses_HOME);
	tcase_add_test(port, client_reports_refused_connections_exactly);
	suite_add_tcase(s, port);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
