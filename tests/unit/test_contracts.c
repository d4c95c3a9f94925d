/* SPDX-License-Identifier: MIT */
/* Unit tests: the built-in contracts, rule by rule, the contract sets per WorkRail
 * release, and WorkRail's artifact-list semantics. The rules below are the 3.40 set's;
 * tests/data/contracts/<release>/ holds the zod-labelled corpus of every release. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wrkit/contracts.h"
#include "wrkit/yaml_input.h"

#ifndef WR_CONTRACTS_DATA
#error "WR_CONTRACTS_DATA must name tests/data/contracts"
#endif

static wr_contracts *contracts;

static void setup(void)
{
	wr_error err;
	contracts = wr_contracts_builtin_release("3.40", &err);
	ck_assert_msg(contracts != NULL, "%s", err.message);
}

static void teardown(void)
{
	wr_contracts_free(contracts);
}

static json_object *json(const char *text)
{
	json_object *o;
	wr_json_error err;
	ck_assert_msg(wr_json_parse(text, strlen(text), NULL, &o, &err) == 0, "%s: %s", text,
	              err.message);
	return o;
}

/* A string of n copies of c, as a JSON string literal. */
static char *long_string(size_t n, char c)
{
	char *s = malloc(n + 3);
	s[0] = '"';
	memset(s + 1, c, n);
	s[n + 1] = '"';
	s[n + 2] = '\0';
	return s;
}

typedef struct rule_case {
	const char *ref;
	const char *artifact; /* "%s" stands for a generated long string when given */
	int valid;
	const char *path;     /* an issue at this path is expected when invalid */
	const char *message;  /* and its message contains this */
} rule_case;

#define VERDICT_HEAD "{\"kind\":\"wr.review_verdict\","
#define VERDICT_OK VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"ok\"}"

static const rule_case rules[] = {
	/* review_verdict */
	{"wr.contracts.review_verdict", VERDICT_OK, 1, NULL, NULL},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"minor\",\"confidence\":\"medium\",\"findings\":[{\"severity\":\"critical\",\"summary\":\"a\"},{\"severity\":\"major\",\"summary\":\"b\"},{\"severity\":\"minor\",\"summary\":\"c\"},{\"severity\":\"nit\",\"summary\":\"d\"}],\"summary\":\"s\"}", 1, NULL, NULL},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"blocking\",\"confidence\":\"low\",\"findings\":[],\"summary\":\"s\"}", 1, NULL, NULL},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"approve\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"s\"}", 0, "/verdict", "expected one of \"clean\", \"minor\", \"blocking\", received \"approve\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"CLEAN\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"s\"}", 0, "/verdict", "received \"CLEAN\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":1,\"confidence\":\"high\",\"findings\":[],\"summary\":\"s\"}", 0, "/verdict", "received 1"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"certain\",\"findings\":[],\"summary\":\"s\"}", 0, "/confidence", "expected one of \"high\", \"medium\", \"low\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":{},\"summary\":\"s\"}", 0, "/findings", "expected array, received an object"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[\"x\"],\"summary\":\"s\"}", 0, "/findings/0", "expected object, received string \"x\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"blocker\",\"summary\":\"a\"}],\"summary\":\"s\"}", 0, "/findings/0/severity", "expected one of \"critical\", \"major\", \"minor\", \"nit\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\",\"summary\":\"\"}],\"summary\":\"s\"}", 0, "/findings/0/summary", "at least 1 character"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\",\"summary\":\"x\"}],\"summary\":\"s\"}", 1, NULL, NULL},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\"}],\"summary\":\"s\"}", 0, "/findings/0", "missing required property \"summary\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"summary\":\"x\"}],\"summary\":\"s\"}", 0, "/findings/0", "missing required property \"severity\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\",\"summary\":\"x\",\"line\":3}],\"summary\":\"s\"}", 0, "/findings/0/line", "property \"line\" is not allowed"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"\"}", 0, "/summary", "at least 1 character"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[],\"summary\":null}", 0, "/summary", "expected string, received null"},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"confidence\":\"high\",\"findings\":[],\"summary\":\"s\"}", 0, "", "missing required property \"verdict\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"findings\":[],\"summary\":\"s\"}", 0, "", "missing required property \"confidence\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"summary\":\"s\"}", 0, "", "missing required property \"findings\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[]}", 0, "", "missing required property \"summary\""},
	{"wr.contracts.review_verdict", VERDICT_HEAD "\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"s\",\"score\":9}", 0, "/score", "property \"score\" is not allowed"},

	/* coordinator_signal */
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":{}}", 1, NULL, NULL},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"finding\",\"payload\":{\"a\":[1]},\"sessionId\":\"s1\"}", 1, NULL, NULL},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"data_needed\",\"payload\":{}}", 1, NULL, NULL},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"approval_needed\",\"payload\":{}}", 1, NULL, NULL},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"blocked\",\"payload\":{}}", 1, NULL, NULL},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"done\",\"payload\":{}}", 0, "/signalKind", "expected one of \"progress\", \"finding\", \"data_needed\", \"approval_needed\", \"blocked\""},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":[]}", 0, "/payload", "expected object, received an array"},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":null}", 0, "/payload", "expected object, received null"},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":{},\"sessionId\":7}", 0, "/sessionId", "expected string, received integer 7"},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"payload\":{}}", 0, "", "missing required property \"signalKind\""},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\"}", 0, "", "missing required property \"payload\""},
	{"wr.contracts.coordinator_signal", "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":{},\"note\":\"x\"}", 0, "/note", "is not allowed"},

	/* loop_control */
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"continue\"}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"fix_loop-2\",\"metadata\":{\"reason\":\"done\",\"issuesFound\":0,\"iterationIndex\":3,\"confidence\":100}}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"pause\"}", 0, "/decision", "expected one of \"continue\", \"stop\""},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\"}", 0, "", "missing required property \"decision\""},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"\"}", 0, "/loopId", "at least 1 character"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"a\"}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":%s}", 1, NULL, NULL},  /* 64 */
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":%s}", 0, "/loopId", "at most 64 characters"}, /* 65 */
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"Fix\"}", 0, "/loopId", "matching /^[a-z0-9_-]+$/"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"a b\"}", 0, "/loopId", "matching"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"loopId\":\"a\\n\"}", 0, "/loopId", "matching"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":[]}", 0, "/metadata", "expected object"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{}}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"reason\":%s}}", 1, NULL, NULL}, /* 1024 */
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"reason\":%s}}", 0, "/metadata/reason", "at most 1024 characters"}, /* 1025 */
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"issuesFound\":-1}}", 0, "/metadata/issuesFound", "expected a number >= 0, received -1"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"issuesFound\":1.5}}", 0, "/metadata/issuesFound", "expected integer, received number 1.5"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"issuesFound\":2.0}}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"iterationIndex\":-3}}", 0, "/metadata/iterationIndex", ">= 0"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"iterationIndex\":\"1\"}}", 0, "/metadata/iterationIndex", "expected integer, received string"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"confidence\":0}}", 1, NULL, NULL},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"confidence\":101}}", 0, "/metadata/confidence", "expected a number <= 100, received 101"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"confidence\":-1}}", 0, "/metadata/confidence", ">= 0"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"mood\":\"ok\"}}", 0, "/metadata/mood", "is not allowed"},
	{"wr.contracts.loop_control", "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"iteration\":1}", 0, "/iteration", "is not allowed"},

	/* assessment */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":\"low\"}}", 1, NULL, NULL},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"low\",\"rationale\":\"tests\"}},\"assessmentId\":\"a1\",\"summary\":\"\"}", 1, NULL, NULL},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{}}", 0, "/dimensions", "at least 1 property"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\"}", 0, "", "missing required property \"dimensions\""},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":\"\"}}", 0, "/dimensions/risk", "at least 1 character"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":3}}", 0, "/dimensions/risk", "expected object or string, received integer 3"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{}}}", 0, "/dimensions/risk", "missing required property \"level\""},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"\"}}}", 0, "/dimensions/risk/level", "at least 1 character"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"l\",\"rationale\":\"\"}}}", 0, "/dimensions/risk/rationale", "at least 1 character"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"l\",\"rationale\":%s}}}", 1, NULL, NULL}, /* 512 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"l\",\"rationale\":%s}}}", 0, "/dimensions/risk/rationale", "at most 512 characters"}, /* 513 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"risk\":{\"level\":\"l\",\"score\":1}}}", 0, "/dimensions/risk/score", "is not allowed"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"assessmentId\":\"\"}", 0, "/assessmentId", "at least 1 character"},
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"assessmentId\":%s}", 1, NULL, NULL}, /* 64 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"assessmentId\":%s}", 0, "/assessmentId", "at most 64"}, /* 65 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"summary\":%s}", 1, NULL, NULL}, /* 1024 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"summary\":%s}", 0, "/summary", "at most 1024"}, /* 1025 */
	{"wr.contracts.assessment", "{\"kind\":\"wr.assessment\",\"dimensions\":{\"r\":\"x\"},\"notes\":\"x\"}", 0, "/notes", "is not allowed"},
};

/* The long strings the %s cases take, in order. */
static const size_t long_lengths[] = {64, 65, 1024, 1025, 512, 513, 64, 65, 1024, 1025};

START_TEST(every_contract_rule)
{
	size_t next_long = 0;
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
		const rule_case *rc = &rules[i];
		char text[4096];
		if (strstr(rc->artifact, "%s")) {
			ck_assert_uint_lt(next_long, sizeof long_lengths / sizeof *long_lengths);
			char *s = long_string(long_lengths[next_long++], 'a');
			const char *at = strstr(rc->artifact, "%s");
			snprintf(text, sizeof text, "%.*s%s%s", (int)(at - rc->artifact), rc->artifact, s, at + 2);
			free(s);
		} else {
			snprintf(text, sizeof text, "%s", rc->artifact);
		}
		const wr_contract *c = wr_contracts_by_ref(contracts, rc->ref);
		ck_assert_ptr_nonnull(c);
		json_object *doc = json(text);
		wr_issues issues;
		wr_issues_init(&issues);
		wr_contract_status st = wr_contract_check(c, doc, false, &issues, NULL, NULL);
		ck_assert_msg((st == WR_CONTRACT_VALID) == rc->valid, "case %zu (%s): status %d", i, text, st);
		ck_assert_msg(wr_schema_validate(c->schema, doc, NULL) == rc->valid, "case %zu fast path", i);
		if (!rc->valid) {
			bool found = false;
			for (size_t k = 0; k < issues.count; k++)
				if (strcmp(issues.items[k].path, rc->path) == 0 &&
				    strstr(issues.items[k].message, rc->message))
					found = true;
			ck_assert_msg(found, "case %zu: no issue at %s with '%s'; first: %s: %s", i, rc->path,
			              rc->message, issues.count ? issues.items[0].path : "-",
			              issues.count ? issues.items[0].message : "-");
		} else {
			ck_assert_uint_eq(issues.count, 0);
		}
		wr_issues_clear(&issues);
		json_object_put(doc);
	}
	ck_assert_uint_eq(next_long, sizeof long_lengths / sizeof *long_lengths);
}
END_TEST

START_TEST(releases_come_from_the_schema_folders)
{
	ck_assert_uint_eq(wr_workrail_release_count(), 2);
	ck_assert_str_eq(wr_workrail_release_at(0), "3.40");
	ck_assert_str_eq(wr_workrail_release_at(1), "3.121");
	ck_assert_ptr_null(wr_workrail_release_at(2));
	ck_assert_str_eq(wr_workrail_default_release(), "3.121");
	ck_assert_str_eq(wr_workrail_release_normalize("3.40"), "3.40");
	ck_assert_str_eq(wr_workrail_release_normalize("3.40.0"), "3.40");
	ck_assert_str_eq(wr_workrail_release_normalize("3.121"), "3.121");
	ck_assert_str_eq(wr_workrail_release_normalize("3.121.0"), "3.121");
	const char *unknown[] = {"", "3", "3.4", "3.400", "3.12", "3.1210", "3.121.1", "3.121.",
	                         "3.121.0.0", "v3.121", " 3.121", "3.121 ", "3.40.00", "4.0"};
	for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
		ck_assert_msg(wr_workrail_release_normalize(unknown[i]) == NULL, "'%s'", unknown[i]);
	ck_assert_ptr_null(wr_workrail_release_normalize(NULL));
}
END_TEST

START_TEST(each_release_has_its_own_set)
{
	wr_error err;
	const char *refs121[] = {"wr.contracts.assessment", "wr.contracts.coding_handoff",
	                         "wr.contracts.coordinator_signal",
	                         "wr.contracts.differentiation_handoff",
	                         "wr.contracts.discovery_handoff", "wr.contracts.gate_verdict",
	                         "wr.contracts.loop_control", "wr.contracts.review_verdict",
	                         "wr.contracts.shaping_handoff"};
	const char *versions[] = {NULL, "3.121", "3.121.0"};
	for (size_t v = 0; v < 3; v++) {
		wr_contracts *c = wr_contracts_builtin_release(versions[v], &err);
		ck_assert_msg(c != NULL, "%s", err.message);
		ck_assert_str_eq(wr_contracts_release(c), "3.121");
		ck_assert_uint_eq(wr_contracts_count(c), 9);
		for (size_t i = 0; i < 9; i++) {
			ck_assert_str_eq(wr_contracts_at(c, i)->ref, refs121[i]);
			ck_assert_ptr_nonnull(strstr(wr_contracts_at(c, i)->file, "3.121/"));
		}
		wr_contracts_free(c);
	}
	/* wr_contracts_builtin is the default release's set */
	wr_contracts *c = wr_contracts_builtin(&err);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(wr_contracts_release(c), "3.121");
	ck_assert_uint_eq(wr_contracts_count(c), 9);
	wr_contracts_free(c);
	ck_assert_str_eq(wr_contracts_release(contracts), "3.40");

	ck_assert_ptr_null(wr_contracts_builtin_release("3.99", &err));
	ck_assert_msg(strstr(err.message, "unknown WorkRail version '3.99'") &&
	              strstr(err.message, "3.40, 3.121"), "%s", err.message);
	wr_registry *reg = wr_registry_new(NULL);
	ck_assert_ptr_null(wr_contracts_load_release(reg, "2", &err));
	c = wr_contracts_load_release(reg, "3.40.0", &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(wr_contracts_count(c), 4);
	wr_contracts_free(c);
	wr_registry_free(reg);

	/* The issue: a 3.121 blocking verdict whose findings carry enrichment fields is
	 * invalid under 3.40 (closed findings) and valid under 3.121. */
	json_object *doc = json("{\"kind\":\"wr.review_verdict\",\"verdict\":\"blocking\","
	                        "\"confidence\":\"high\",\"findings\":[{\"severity\":\"critical\","
	                        "\"summary\":\"SQL injection\",\"findingCategory\":\"security\","
	                        "\"file\":\"src/db.c\",\"startLine\":42,\"causalLink\":\"the PR "
	                        "builds the query\",\"remediation\":\"bind parameters\"}],"
	                        "\"summary\":\"blocking\"}");
	c = wr_contracts_builtin(&err);
	const wr_contract *v = wr_contracts_by_ref(c, "wr.contracts.review_verdict");
	ck_assert_int_eq(wr_contract_check(v, doc, false, NULL, NULL, NULL), WR_CONTRACT_VALID);
	v = wr_contracts_by_ref(contracts, "wr.contracts.review_verdict");
	ck_assert_int_eq(wr_contract_check(v, doc, false, NULL, NULL, NULL), WR_CONTRACT_INVALID);
	wr_contracts_free(c);
	json_object_put(doc);
}
END_TEST

START_TEST(the_four_contracts_are_built_in)
{
	ck_assert_uint_eq(wr_contracts_count(contracts), 4);
	const char *refs[] = {"wr.contracts.assessment", "wr.contracts.coordinator_signal",
	                      "wr.contracts.loop_control", "wr.contracts.review_verdict"};
	for (size_t i = 0; i < 4; i++) {
		const wr_contract *c = wr_contracts_at(contracts, i);
		ck_assert_str_eq(c->ref, refs[i]);
		ck_assert_str_eq(c->kind + 3, refs[i] + strlen("wr.contracts."));
		ck_assert_ptr_eq(wr_contracts_by_kind(contracts, c->kind), c);
	}
	ck_assert_ptr_null(wr_contracts_by_ref(contracts, "wr.contracts.nope"));
	ck_assert_ptr_null(wr_contracts_at(contracts, 4));
}
END_TEST

START_TEST(artifact_list_semantics)
{
	const wr_contract *c = wr_contracts_by_ref(contracts, "wr.contracts.loop_control");
	json_object *artifact;
	struct {
		const char *doc;
		wr_contract_status want;
	} cases[] = {
		/* a bare artifact is a one-element list */
		{"{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}", WR_CONTRACT_VALID},
		/* an array is the list; the first of the kind is checked */
		{"[{\"kind\":\"other\"},{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"},{\"kind\":\"wr.loop_control\"}]", WR_CONTRACT_VALID},
		{"[{\"kind\":\"wr.loop_control\"},{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}]", WR_CONTRACT_INVALID},
		/* an object with an artifacts array gives that array */
		{"{\"session\":\"s\",\"artifacts\":[{\"kind\":\"wr.loop_control\",\"decision\":\"go\"}]}", WR_CONTRACT_INVALID},
		/* stored-artifact wrappers are replaced by their content */
		{"{\"artifacts\":[{\"sha256\":\"sha256:00\",\"contentType\":\"application/json\",\"byteLength\":2,\"content\":{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}}]}", WR_CONTRACT_VALID},
		{"[{\"sha256\":\"sha256:00\",\"content\":{\"kind\":\"wr.loop_control\"}}]", WR_CONTRACT_INVALID},
		/* none of the kind */
		{"[]", WR_CONTRACT_MISSING},
		{"{\"artifacts\":[]}", WR_CONTRACT_MISSING},
		{"{\"artifacts\":\"none\",\"kind\":\"x\"}", WR_CONTRACT_MISSING},
		{"42", WR_CONTRACT_MISSING},
		{"null", WR_CONTRACT_MISSING},
		{"[{\"kind\":\"wr.loop_control_v2\",\"decision\":\"stop\"}]", WR_CONTRACT_MISSING},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_object *doc = json(cases[i].doc);
		ck_assert_msg(wr_contract_check(c, doc, false, NULL, &artifact, NULL) == cases[i].want,
		              "case %zu: %s", i, cases[i].doc);
		ck_assert_msg((artifact == NULL) == (cases[i].want == WR_CONTRACT_MISSING), "case %zu", i);
		json_object_put(doc);
	}
	json_object *empty = json("[]");
	ck_assert_int_eq(wr_contract_check(c, empty, true, NULL, NULL, NULL), WR_CONTRACT_VALID);
	json_object_put(empty);
}
END_TEST

START_TEST(artifact_list_unwraps_every_element)
{
	json_object *doc = json("{\"artifacts\":[{\"sha256\":\"sha256:1\",\"content\":{\"kind\":\"a\"}},{\"kind\":\"b\"}]}");
	json_object *list = wr_artifact_list(doc);
	ck_assert_uint_eq(json_object_array_length(list), 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(json_object_array_get_idx(list, 0), "kind")), "a");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(json_object_array_get_idx(list, 1), "kind")), "b");
	json_object_put(list);
	json_object_put(doc);

	doc = json("\"just a string\"");
	list = wr_artifact_list(doc);
	ck_assert_uint_eq(json_object_array_length(list), 1);
	json_object_put(list);
	json_object_put(doc);
}
END_TEST

START_TEST(status_codes_are_workrails)
{
	ck_assert_str_eq(wr_contract_status_code(WR_CONTRACT_MISSING), "MISSING_REQUIRED_ARTIFACT");
	ck_assert_str_eq(wr_contract_status_code(WR_CONTRACT_INVALID), "INVALID_ARTIFACT_SCHEMA");
}
END_TEST

/* The zod-labelled corpus: tests/data/contracts/<release>/<contract>.json holds
 * [{"artifact":..., "valid":bool, "why":"..."}], each label given by running WorkRail's
 * own zod schema of that release on the artifact. Every contract of every built-in
 * release has its file, and the contract must agree with every label, except the cases
 * marked "utf16": zod counts string length in UTF-16 units, JSON Schema in code points
 * (docs/contract-sets.md); those must disagree exactly as documented. */
static size_t check_corpus(const char *release, const wr_contract *c, size_t *total)
{
	char path[512];
	const char *name = c->ref + strlen("wr.contracts.");
	snprintf(path, sizeof path, "%s/%s/%s.json", WR_CONTRACTS_DATA, release, name);
	json_object *cases;
	wr_json_error jerr;
	wr_json_limits limits = wr_json_default_limits();
	ck_assert_msg(wr_json_read_path(path, &limits, &cases, &jerr) == 0, "%s: %s", path,
	              jerr.message);
	ck_assert_msg(json_object_is_type(cases, json_type_array), "%s: not an array", path);
	size_t n = json_object_array_length(cases), valid = 0, utf16 = 0, disagree = 0;
	ck_assert_msg(n >= 50, "%s: only %zu cases", path, n);
	for (size_t i = 0; i < n; i++) {
		json_object *k = json_object_array_get_idx(cases, i), *artifact, *label, *why, *u;
		ck_assert(json_object_object_get_ex(k, "artifact", &artifact));
		ck_assert(json_object_object_get_ex(k, "valid", &label) &&
		          json_object_is_type(label, json_type_boolean));
		ck_assert(json_object_object_get_ex(k, "why", &why));
		bool want = json_object_get_boolean(label);
		bool known_difference = json_object_object_get_ex(k, "utf16", &u) &&
		                        json_object_get_boolean(u);
		wr_issues issues;
		wr_issues_init(&issues);
		wr_contract_status st = wr_contract_check(c, artifact, false, &issues, NULL, NULL);
		bool got = st == WR_CONTRACT_VALID;
		/* the fast path (no issues collected) must give the same answer */
		bool fast = wr_contract_check(c, artifact, false, NULL, NULL, NULL) == WR_CONTRACT_VALID;
		if (fast != got || (known_difference ? got == want : got != want)) {
			disagree++;
			fprintf(stderr, "%s %s case %zu (%s): zod says %s, the contract %s%s: %s\n",
			        release, name, i, json_object_get_string(why), want ? "valid" : "invalid",
			        got ? "valid" : "invalid", known_difference ? " (utf16 case)" : "",
			        issues.count ? issues.items[0].message : "no issue");
		}
		ck_assert_msg(got || issues.count > 0 || st == WR_CONTRACT_MISSING,
		              "%s case %zu: invalid without an issue", name, i);
		wr_issues_clear(&issues);
		valid += want;
		utf16 += known_difference;
	}
	printf("corpus %s %s: %zu cases (%zu valid, %zu invalid by zod; %zu utf16 differences), "
	       "%zu disagreements\n", release, name, n, valid, n - valid, utf16, disagree);
	ck_assert_msg(valid > 0 && valid < n, "%s: both valid and invalid cases", path);
	*total += n;
	json_object_put(cases);
	return disagree;
}

START_TEST(every_contract_agrees_with_workrails_zod)
{
	size_t total = 0, disagree = 0;
	for (size_t r = 0; r < wr_workrail_release_count(); r++) {
		const char *release = wr_workrail_release_at(r);
		wr_error err;
		wr_contracts *set = wr_contracts_builtin_release(release, &err);
		ck_assert_msg(set != NULL, "%s", err.message);
		for (size_t i = 0; i < wr_contracts_count(set); i++)
			disagree += check_corpus(release, wr_contracts_at(set, i), &total);
		wr_contracts_free(set);
	}
	printf("corpus: %zu cases in all, %zu disagreements\n", total, disagree);
	ck_assert_uint_gt(total, 1000);
	ck_assert_msg(disagree == 0, "%zu disagreements with WorkRail's zod schemas", disagree);
}
END_TEST

/* Numbers JSON can write but the corpus (JSON.stringify) cannot: labels from running
 * zod 3.25.76 on loop_control (metadata.issuesFound: z.number().int().nonnegative())
 * with JSON.parse of the same text: 1e400 is Infinity there, not an integer. */
START_TEST(numbers_as_zod_reads_them)
{
	struct {
		const char *number;
		bool valid;
	} cases[] = {
		{"1e400", false}, {"-1e400", false}, {"1e308", true}, {"9007199254740993", true},
		{"1.0", true}, {"-0", true}, {"1E2", true}, {"100000000000000000000000", true},
		{"-1", false}, {"0.5", false},
	};
	for (size_t r = 0; r < wr_workrail_release_count(); r++) {
		wr_error err;
		wr_contracts *set = wr_contracts_builtin_release(wr_workrail_release_at(r), &err);
		const wr_contract *c = wr_contracts_by_ref(set, "wr.contracts.loop_control");
		ck_assert_ptr_nonnull(c);
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
			char text[200];
			snprintf(text, sizeof text,
			         "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\","
			         "\"metadata\":{\"issuesFound\":%s}}", cases[i].number);
			json_object *doc = json(text);
			ck_assert_msg((wr_contract_check(c, doc, false, NULL, NULL, NULL) == WR_CONTRACT_VALID) ==
			                  cases[i].valid, "%s: %s", wr_workrail_release_at(r), text);
			json_object_put(doc);
		}
		wr_contracts_free(set);
	}
}
END_TEST

static char scratch[] = "/tmp/wrkit-contracts-XXXXXX";

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(a_contract_is_a_file_in_a_directory)
{
	char *dir = mkdtemp(scratch);
	ck_assert_ptr_nonnull(dir);
	write_file(dir, "ticket.json",
	           "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"wr.ticket\"},"
	           "\"id\":{\"$ref\":\"common.json#/$defs/id\"}},\"required\":[\"id\"]}");
	write_file(dir, "common.json", "{\"$defs\":{\"id\":{\"type\":\"string\",\"minLength\":3}}}");
	wr_registry *reg = wr_registry_new(NULL);
	wr_error err;
	wr_contracts *c = wr_contracts_load(reg, dir, &err);
	ck_assert_msg(c != NULL, "%s", err.message);
	ck_assert_uint_eq(wr_contracts_count(c), 1); /* common.json holds no kind */
	const wr_contract *t = wr_contracts_by_ref(c, "wr.contracts.ticket");
	ck_assert_ptr_nonnull(t);
	json_object *doc = json("{\"kind\":\"wr.ticket\",\"id\":\"ab\"}");
	ck_assert_int_eq(wr_contract_check(t, doc, false, NULL, NULL, NULL), WR_CONTRACT_INVALID);
	json_object_put(doc);
	wr_contracts_free(c);
	wr_registry_free(reg);

	/* A broken schema is refused, naming the file. */
	reg = wr_registry_new(NULL);
	write_file(dir, "broken.json", "{\"properties\":{\"kind\":{\"const\":\"wr.broken\"}},\"minLength\":-1}");
	c = wr_contracts_load(reg, dir, &err);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err.message, "broken.json") != NULL, "%s", err.message);
	ck_assert_ptr_nonnull(strstr(err.message, "minLength"));
	wr_registry_free(reg);

	char path[512];
	snprintf(path, sizeof path, "%s/broken.json", dir);
	unlink(path);
	/* Two files claiming one kind are refused. */
	write_file(dir, "ticket2.json", "{\"properties\":{\"kind\":{\"const\":\"wr.ticket\"}}}");
	reg = wr_registry_new(NULL);
	ck_assert_ptr_null(wr_contracts_load(reg, dir, &err));
	ck_assert_ptr_nonnull(strstr(err.message, "already the contract"));
	wr_registry_free(reg);

	const char *names[] = {"ticket.json", "common.json", "ticket2.json"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);

	reg = wr_registry_new(NULL);
	ck_assert_ptr_null(wr_contracts_load(reg, "/nonexistent/schemas", &err));
	ck_assert_ptr_nonnull(strstr(err.message, "cannot open schema directory"));
	wr_registry_free(reg);
}
END_TEST

START_TEST(kind_names_its_reference)
{
	struct { const char *kind, *ref; } cases[] = {
		{"wr.review_verdict", "wr.contracts.review_verdict"},
		{"acme.deploy_plan", "acme.contracts.deploy_plan"},
		{"a.b.c", "a.contracts.b.c"},
		{"nodot", NULL}, {".x", NULL}, {"x.", NULL}, {"", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *ref = wr_contract_ref_of_kind(cases[i].kind);
		if (cases[i].ref)
			ck_assert_str_eq(ref, cases[i].ref);
		else
			ck_assert_ptr_null(ref);
		free(ref);
	}
}
END_TEST

START_TEST(schema_dirs_add_to_the_builtin_contracts)
{
	char tmpl[] = "/tmp/wrkit-adddir-XXXXXX";
	char *dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	write_file(dir, "plan.json", "{\"properties\":{\"kind\":{\"const\":\"acme.deploy_plan\"}}}");
	wr_registry *reg = wr_registry_new(NULL);
	wr_error err;
	wr_contracts *c = wr_contracts_load(reg, NULL, &err);
	ck_assert_ptr_nonnull(c);
	size_t builtin = wr_contracts_count(c);
	ck_assert_int_eq(wr_contracts_add_dir(c, reg, dir, &err), 0);
	ck_assert_uint_eq(wr_contracts_count(c), builtin + 1);
	ck_assert_ptr_nonnull(wr_contracts_by_ref(c, "acme.contracts.deploy_plan"));
	ck_assert_ptr_nonnull(wr_contracts_by_ref(c, "wr.contracts.review_verdict"));
	/* another directory with the same kind: an error naming both files */
	char tmpl2[] = "/tmp/wrkit-adddir-XXXXXX";
	char *dir2 = mkdtemp(tmpl2);
	ck_assert_ptr_nonnull(dir2);
	write_file(dir2, "again.json", "{\"properties\":{\"kind\":{\"const\":\"acme.deploy_plan\"}}}");
	ck_assert_int_eq(wr_contracts_add_dir(c, reg, dir2, &err), -1);
	ck_assert_msg(strstr(err.message, "again.json: kind acme.deploy_plan is already the contract of") != NULL &&
	              strstr(err.message, "plan.json") != NULL, "%s", err.message);
	wr_contracts_free(c);
	wr_registry_free(reg);
	char path[512];
	snprintf(path, sizeof path, "%s/plan.json", dir);
	unlink(path);
	rmdir(dir);
	snprintf(path, sizeof path, "%s/again.json", dir2);
	unlink(path);
	rmdir(dir2);
}
END_TEST

static json_object *yaml(const char *text, wr_json_error *err)
{
	json_object *out = NULL;
	wr_json_error ignored;
	int rc = wr_yaml_parse(text, strlen(text), NULL, &out, err ? err : &ignored);
	ck_assert_int_eq(rc == 0, out != NULL || strstr(text, "null") != NULL);
	return out;
}

START_TEST(yaml_reads_into_the_json_model)
{
	json_object *doc = yaml("a: [1, 2.5, true, ~, \"x\", 'y', 0x10, 0o7, -3]\nb: {c: d}\n", NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN),
	                 "{\"a\":[1,2.5,true,null,\"x\",\"y\",16,7,-3],\"b\":{\"c\":\"d\"}}");
	json_object_put(doc);
	/* YAML 1.1's yes/no/on/off and dates stay strings; quoted numbers are strings */
	doc = yaml("- yes\n- off\n- 2020-01-01\n- \"12\"\n- !!str 5\n", NULL);
	ck_assert_str_eq(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN),
	                 "[\"yes\",\"off\",\"2020-01-01\",\"12\",\"5\"]");
	json_object_put(doc);
	/* an alias shares its anchor's value */
	doc = yaml("a: &x {k: 1}\nb: *x\n", NULL);
	ck_assert_str_eq(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN),
	                 "{\"a\":{\"k\":1},\"b\":{\"k\":1}}");
	json_object_put(doc);
	ck_assert(wr_yaml_file_name("x.yaml") && wr_yaml_file_name("X.YML") && !wr_yaml_file_name("x.json") &&
	          !wr_yaml_file_name(".yml") && !wr_yaml_file_name("yaml"));
}
END_TEST

START_TEST(yaml_refuses_what_json_would)
{
	struct { const char *text; wr_json_status status; const char *message; } cases[] = {
		{"", WR_JSON_EMPTY, "empty input"},
		{"# only a comment\n", WR_JSON_EMPTY, "empty input"},
		{"a: [1\n", WR_JSON_SYNTAX, "YAML: "},
		{"a: 1\n---\nb: 2\n", WR_JSON_SYNTAX, "more than one YAML document"},
		{"a: .nan\n", WR_JSON_SYNTAX, "not a number JSON can hold"},
		{"? [1]\n: 2\n", WR_JSON_SYNTAX, "key must be a scalar"},
		{"\"a\\0b\": 1\n", WR_JSON_SYNTAX, "U+0000"},
		{"a: *none\n", WR_JSON_SYNTAX, "names no complete anchor"},
		{"a: !!int x\n", WR_JSON_SYNTAX, "not an integer"},
		{"a: \xff\n", WR_JSON_BAD_UTF8, "invalid UTF-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wr_json_error err;
		json_object *out = (json_object *)1;
		ck_assert_int_eq(wr_yaml_parse(cases[i].text, strlen(cases[i].text), NULL, &out, &err), -1);
		ck_assert_ptr_null(out);
		ck_assert_int_eq(err.status, cases[i].status);
		ck_assert_msg(strstr(err.message, cases[i].message) != NULL, "%s: %s", cases[i].text, err.message);
	}
	wr_json_error err;
	json_object *out;
	ck_assert_int_eq(wr_yaml_parse("a: \0", 4, NULL, &out, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_NUL_BYTE);
	wr_json_limits small = {8, 2};
	ck_assert_int_eq(wr_yaml_parse("a: [1, 2, 3]", 12, &small, &out, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_TOO_LARGE);
	small.max_bytes = 100;
	ck_assert_int_eq(wr_yaml_parse("a: [[1]]", 8, &small, &out, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_TOO_DEEP);
	ck_assert_int_eq(wr_yaml_parse("a: [1]", 6, &small, &out, &err), 0);
	json_object_put(out);
	/* an alias nests its anchor's value where it is used: the depth limit holds there */
	small.max_depth = 3;
	const char *deep = "a: &a [[1]]\nb: [*a]\n", *fits = "a: &a [[1]]\nb: *a\n";
	ck_assert_int_eq(wr_yaml_parse(deep, strlen(deep), &small, &out, &err), -1);
	ck_assert_int_eq(err.status, WR_JSON_TOO_DEEP);
	ck_assert_ptr_nonnull(strstr(err.message, "through alias *a"));
	ck_assert_int_eq(wr_yaml_parse(fits, strlen(fits), &small, &out, &err), 0);
	json_object_put(out);
	/* 10^6 + values through aliases: refused before they are built */
	char bomb[2048];
	int n = snprintf(bomb, sizeof bomb, "a: &a [1,1,1,1,1,1,1,1,1,1]\n");
	for (char c = 'b'; c <= 'g'; c++)
		n += snprintf(bomb + n, sizeof bomb - (size_t)n, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
		              c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	ck_assert_int_eq(wr_yaml_parse(bomb, (size_t)n, NULL, &out, &err), -1);
	ck_assert_msg(strstr(err.message, "alias expansion limit") != NULL, "%s", err.message);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("contracts");
	TCase *tc = tcase_create("contracts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_contract_rule);
	tcase_add_test(tc, the_four_contracts_are_built_in);
	tcase_add_test(tc, releases_come_from_the_schema_folders);
	tcase_add_test(tc, each_release_has_its_own_set);
	tcase_add_test(tc, every_contract_agrees_with_workrails_zod);
	tcase_add_test(tc, numbers_as_zod_reads_them);
	tcase_add_test(tc, artifact_list_semantics);
	tcase_add_test(tc, artifact_list_unwraps_every_element);
	tcase_add_test(tc, status_codes_are_workrails);
	tcase_add_test(tc, a_contract_is_a_file_in_a_directory);
	tcase_add_test(tc, kind_names_its_reference);
	tcase_add_test(tc, schema_dirs_add_to_the_builtin_contracts);
	tcase_add_test(tc, yaml_reads_into_the_json_model);
	tcase_add_test(tc, yaml_refuses_what_json_would);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
