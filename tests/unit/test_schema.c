/* SPDX-License-Identifier: MIT */
/* Unit tests: URI resolution, ECMA patterns and the schema engine beyond what the
 * official suite checks (messages, limits, loops, mapped directories, errors). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecma_regex.h"
#include "schema_internal.h"
#include "schema_keywords.h"
#include "uri.h"
#include "wrkit/schema.h"

static json_object *json(const char *text)
{
	json_object *o;
	wr_json_error err;
	ck_assert_msg(wr_json_parse(text, strlen(text), NULL, &o, &err) == 0, "%s: %s", text,
	              err.message);
	return o;
}

/* Compiles schema_text in a fresh registry; *reg receives it (caller frees). */
static const wr_schema *compile(const char *schema_text, wr_registry **reg, wr_error *err)
{
	*reg = wr_registry_new(NULL);
	json_object *doc = json(schema_text);
	const wr_schema *s = wr_registry_compile(*reg, doc, NULL, err);
	json_object_put(doc);
	return s;
}

/* Validates instance_text; returns the issues (caller clears) and checks the fast path
 * agrees. */
static bool check(const wr_schema *s, const char *instance_text, wr_issues *issues)
{
	json_object *inst = json(instance_text);
	wr_issues_init(issues);
	bool ok = wr_schema_validate(s, inst, issues);
	ck_assert_int_eq(ok, wr_schema_validate(s, inst, NULL));
	ck_assert(ok || issues->count > 0);
	json_object_put(inst);
	return ok;
}

START_TEST(uri_resolution_follows_rfc3986)
{
	/* RFC 3986 section 5.4, normal and abnormal examples. */
	const char *base = "http://a/b/c/d;p?q";
	const char *cases[][2] = {
		{"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
		{"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"}, {"//g", "http://g"},
		{"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
		{"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
		{"g;x", "http://a/b/c/g;x"}, {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},
		{"./", "http://a/b/c/"}, {"..", "http://a/b/"}, {"../", "http://a/b/"},
		{"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
		{"../../g", "http://a/g"}, {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
		{"/./g", "http://a/g"}, {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."},
		{".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
		{"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},
		{"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
		{"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
		{"g#s/../x", "http://a/b/c/g#s/../x"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *r = wr_uri_resolve(base, cases[i][0]);
		ck_assert_msg(strcmp(r, cases[i][1]) == 0, "%s -> %s, want %s", cases[i][0], r, cases[i][1]);
		free(r);
	}
	char *r = wr_uri_resolve("urn:uuid:deadbeef-1234", "#/$defs/x");
	ck_assert_str_eq(r, "urn:uuid:deadbeef-1234#/$defs/x");
	free(r);
	r = wr_uri_resolve(NULL, "http://x/y.json");
	ck_assert_str_eq(r, "http://x/y.json");
	free(r);
	ck_assert_uint_eq(wr_uri_base_length("http://x/y#frag"), 10);
	ck_assert_uint_eq(wr_uri_base_length("http://x/y"), 10);
}
END_TEST

START_TEST(percent_decoding)
{
	char *s = wr_uri_percent_decode("a%25b%22c", 9);
	ck_assert_str_eq(s, "a%b\"c");
	free(s);
	ck_assert_ptr_null(wr_uri_percent_decode("a%2", 3));
	ck_assert_ptr_null(wr_uri_percent_decode("a%zz", 4));
}
END_TEST

START_TEST(ecma_property_names_are_translated)
{
	char *t = wr_ecma_regex_translate("^\\p{Letter}+\\P{gc=Decimal_Number}[\\p{Lu}]\\\\p{Letter}$");
	ck_assert_str_eq(t, "^\\p{L}+\\P{Nd}[\\p{Lu}]\\\\p{Letter}$");
	free(t);
	char why[256];
	pcre2_code *re = wr_ecma_regex_compile("[", why, sizeof why);
	ck_assert_ptr_null(re);
	ck_assert_ptr_nonnull(strstr(why, "offset"));
}
END_TEST

START_TEST(messages_name_expected_and_received)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile(
		"{\"type\":\"object\",\"properties\":{"
		"\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9,\"multipleOf\":2},"
		"\"e\":{\"exclusiveMinimum\":0,\"exclusiveMaximum\":1},"
		"\"c\":{\"const\":\"yes\"},"
		"\"a\":{\"type\":\"array\",\"minItems\":3,\"uniqueItems\":true,\"contains\":{\"const\":7}},"
		"\"s\":{\"type\":\"string\",\"pattern\":\"^x\",\"maxLength\":2},"
		"\"o\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]},"
		"\"one\":{\"oneOf\":[{\"minimum\":0},{\"maximum\":10}]},"
		"\"no\":{\"not\":{\"type\":\"string\"}},"
		"\"f\":false},"
		"\"required\":[\"gone\"],\"dependentRequired\":{\"n\":[\"partner\"]},"
		"\"maxProperties\":20}",
		&reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_issues issues;
	ck_assert(!check(s, "{\"n\":10.5,\"e\":1,\"c\":\"no\",\"a\":[1,1],\"s\":\"yyy\",\"o\":3,"
	                    "\"one\":5,\"no\":\"str\",\"f\":0}", &issues));
	struct {
		const char *path, *message;
	} want[] = {
		{"/n", "expected integer, received number 10.5"},
		{"/n", "expected a number <= 9, received 10.5"},
		{"/n", "expected a multiple of 2, received 10.5"},
		{"/e", "expected a number < 1, received 1"},
		{"/c", "expected \"yes\", received \"no\""},
		{"/a", "expected at least 1 item matching \"contains\", received 0"},
		{"/a", "expected at least 3 items, received 2"},
		{"/a", "expected unique items, received equal items at 0 and 1"},
		{"/s", "expected a string matching /^x/, received \"yyy\""},
		{"/s", "expected a string of at most 2 characters, received 3"},
		{"/o", "at least one of 2 schemas (anyOf), received 3"},
		{"/one", "exactly one of 2 schemas (oneOf), received 5, which matches more than one"},
		{"/no", "does not match the \"not\" schema, received \"str\""},
		{"/f", "no value is allowed here (false schema), received 0"},
		{"", "missing required property \"gone\""}, /* at the object that lacks it */
		{"", "missing property \"partner\", required when \"n\" is present"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		bool found = false;
		for (size_t k = 0; k < issues.count && !found; k++)
			found = strcmp(issues.items[k].path, want[i].path) == 0 &&
			        strstr(issues.items[k].message, want[i].message) != NULL;
		ck_assert_msg(found, "no issue %s: %s", want[i].path, want[i].message);
	}
	ck_assert_uint_eq(issues.count, sizeof want / sizeof *want);
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(paths_escape_pointer_characters)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"additionalProperties\":{\"type\":\"string\"}}", &reg, &err);
	wr_issues issues;
	ck_assert(!check(s, "{\"a/b~c\":1}", &issues));
	ck_assert_str_eq(issues.items[0].path, "/a~1b~0c");
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(long_strings_are_cut_in_messages)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"const\":1}", &reg, &err);
	char doc[512];
	memset(doc, 'x', sizeof doc);
	doc[0] = '"';
	memcpy(doc + 200, "\xc3\xa9\n", 3); /* a 2-byte character and a control character */
	doc[sizeof doc - 2] = '"';
	doc[sizeof doc - 1] = '\0';
	doc[100] = '\n';
	doc[100] = 'y';
	wr_issues issues;
	json_object *inst = json_object_new_string_len(doc + 1, 400);
	wr_issues_init(&issues);
	ck_assert(!wr_schema_validate(s, inst, &issues));
	ck_assert_uint_lt(strlen(issues.items[0].message), 200);
	ck_assert_ptr_nonnull(strstr(issues.items[0].message, "...\""));
	json_object_put(inst);
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(broken_schemas_are_refused_with_a_reason)
{
	struct {
		const char *schema, *reason;
	} cases[] = {
		{"{\"type\":\"strin\"}", "\"type\" names an unknown type"},
		{"{\"minLength\":-1}", "\"minLength\" must be a non-negative integer"},
		{"{\"maxItems\":1.5}", "\"maxItems\" must be a non-negative integer"},
		{"{\"pattern\":\"(\"}", "\"pattern\" is not a valid regular expression"},
		{"{\"patternProperties\":{\"[\":true}}", "\"patternProperties\" is not a valid regular expression"},
		{"{\"required\":[1]}", "\"required\" must be an array of strings"},
		{"{\"enum\":3}", "\"enum\" must be an array"},
		{"{\"multipleOf\":0}", "\"multipleOf\" must be a number above 0"},
		{"{\"allOf\":[]}", "\"allOf\" must be a non-empty array"},
		{"{\"properties\":{\"a\":3}}", "a schema must be an object or a boolean"},
		{"{\"$ref\":\"#/$defs/missing\"}", "points to a value that is not a schema"},
		{"{\"$ref\":\"#nowhere\"}", "no anchor \"nowhere\""},
		{"{\"$ref\":\"http://example.com/s.json\"}", "no schema is known as http://example.com/s.json"},
		{"{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}", "unsupported $schema"},
		{"{\"$defs\":{\"a\":{\"$id\":\"http://x/a\"},\"b\":{\"$id\":\"http://x/a\"}}}", "same URI"},
		{"3", "a schema must be an object or a boolean"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wr_registry *reg;
		wr_error err = {{0}};
		ck_assert_msg(compile(cases[i].schema, &reg, &err) == NULL, "accepted %s", cases[i].schema);
		ck_assert_msg(strstr(err.message, cases[i].reason) != NULL, "%s: got '%s'",
		              cases[i].schema, err.message);
		wr_registry_free(reg);
	}
}
END_TEST

START_TEST(a_ref_loop_fails_closed)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},"
	                             "\"$ref\":\"#/$defs/a\"}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_issues issues;
	ck_assert(!check(s, "1", &issues));
	ck_assert_ptr_nonnull(strstr(issues.items[0].message, "loops"));
	wr_issues_clear(&issues);
	wr_registry_free(reg);

	/* Recursion that consumes the instance is no loop. */
	s = compile("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}", &reg, &err);
	ck_assert(check(s, "[[[]],[]]", &issues));
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(deep_instances_stop_at_the_evaluation_limit)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"items\":{\"$ref\":\"#\"}}", &reg, &err);
	json_object *inst = json_object_new_array();
	json_object *cur = inst;
	for (int i = 0; i < 3000; i++) { /* built by hand: deeper than the parser allows */
		json_object *next = json_object_new_array();
		json_object_array_add(cur, next);
		cur = next;
	}
	wr_issues issues;
	wr_issues_init(&issues);
	ck_assert(!wr_schema_validate(s, inst, &issues));
	ck_assert(!wr_schema_validate(s, inst, NULL));
	ck_assert_ptr_nonnull(strstr(issues.items[issues.count - 1].message, "deeper than"));
	wr_issues_clear(&issues);
	json_object_put(inst);
	wr_registry_free(reg);
}
END_TEST

START_TEST(unique_items_on_large_arrays)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"uniqueItems\":true}", &reg, &err);
	json_object *arr = json_object_new_array();
	for (int i = 0; i < 50000; i++)
		json_object_array_add(arr, json_object_new_int(i));
	ck_assert(wr_schema_validate(s, arr, NULL));
	json_object_array_add(arr, json_object_new_double(49999.0)); /* equals the int 49999 */
	wr_issues issues;
	wr_issues_init(&issues);
	ck_assert(!wr_schema_validate(s, arr, &issues));
	ck_assert_str_eq(issues.items[0].message,
	                 "expected unique items, received equal items at 49999 and 50000");
	wr_issues_clear(&issues);
	json_object_put(arr);

	/* Objects equal in any key order collide too. */
	arr = json("[{\"a\":1,\"b\":[1,2]},0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,{\"b\":[1,2.0],\"a\":1.0}]");
	ck_assert(!wr_schema_validate(s, arr, NULL));
	json_object_put(arr);
	wr_registry_free(reg);
}
END_TEST

START_TEST(runaway_patterns_fail_closed)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"pattern\":\"^(a+)+$\"}", &reg, &err);
	char text[64];
	memset(text, 'a', 40);
	text[40] = '!';
	text[41] = '\0';
	json_object *inst = json_object_new_string(text);
	wr_issues issues;
	wr_issues_init(&issues);
	ck_assert(!wr_schema_validate(s, inst, &issues));
	json_object_put(inst);
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(exponential_schemas_stop_at_the_step_limit)
{
	wr_registry *reg;
	wr_error err;
	/* Each level tries two failing branches: 2^depth steps without a limit. */
	const wr_schema *s = compile("{\"anyOf\":[{\"items\":{\"$ref\":\"#\"},\"minItems\":2},"
	                             "{\"items\":{\"$ref\":\"#\"},\"maxItems\":1}]}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_registry_set_step_limit(reg, 100000);
	char doc[200];
	memset(doc, '[', 40);
	memcpy(doc + 40, "\"x\"", 3);
	memset(doc + 43, ']', 40);
	doc[83] = '\0';
	json_object *inst = json(doc);
	wr_issues issues;
	wr_issues_init(&issues);
	ck_assert(!wr_schema_validate(s, inst, &issues));
	ck_assert(!wr_schema_validate(s, inst, NULL));
	ck_assert_ptr_nonnull(strstr(issues.items[issues.count - 1].message, "gave up after 100000 evaluation steps"));
	wr_issues_clear(&issues);
	json_object_put(inst);
	wr_registry_free(reg);
}
END_TEST

START_TEST(check_gives_three_answers)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"type\":\"object\",\"required\":[\"a\"],"
	                             "\"properties\":{\"a\":{\"type\":\"integer\"}}}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_issues issues;
	wr_issues_init(&issues);
	json_object *good = json("{\"a\":1}"), *bad = json("{\"a\":\"x\"}");
	ck_assert_int_eq(wr_schema_check(s, good, &issues, &err), WR_VALID);
	ck_assert_uint_eq(issues.count, 0);
	ck_assert_int_eq(wr_schema_check(s, bad, NULL, &err), WR_INVALID);
	ck_assert_int_eq(wr_schema_check(s, bad, &issues, &err), WR_INVALID);
	ck_assert_uint_eq(issues.count, 1);
	ck_assert_str_eq(issues.items[0].path, "/a");
	json_object_put(good);
	json_object_put(bad);
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

/* A limit hit is never an answer: under "not", a pattern that could not be matched
 * would otherwise make the instance valid. */
START_TEST(check_never_answers_past_a_limit)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"not\":{\"pattern\":\"^(a+)+$\"}}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	char text[64];
	memset(text, 'a', 40);
	text[40] = '!';
	text[41] = '\0';
	json_object *inst = json_object_new_string(text);
	wr_issues issues;
	wr_issues_init(&issues);
	ck_assert_int_eq(wr_schema_check(s, inst, &issues, &err), WR_UNFINISHED);
	ck_assert_ptr_nonnull(strstr(err.message, "match limit"));
	ck_assert_int_eq(wr_schema_check(s, inst, NULL, &err), WR_UNFINISHED);
	json_object_put(inst);
	wr_issues_clear(&issues);
	wr_registry_free(reg);

	s = compile("{\"anyOf\":[{\"items\":{\"$ref\":\"#\"},\"minItems\":2},"
	            "{\"items\":{\"$ref\":\"#\"},\"maxItems\":1}]}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_registry_set_step_limit(reg, 1000);
	char doc[200];
	memset(doc, '[', 40);
	memcpy(doc + 40, "\"x\"", 3);
	memset(doc + 43, ']', 40);
	doc[83] = '\0';
	inst = json(doc);
	ck_assert_int_eq(wr_schema_check(s, inst, NULL, &err), WR_UNFINISHED);
	ck_assert_ptr_nonnull(strstr(err.message, "1000 evaluation steps (the step limit"));
	json_object_put(inst);
	wr_registry_free(reg);
}
END_TEST

START_TEST(json_equality)
{
	struct {
		const char *a, *b;
		bool equal;
	} cases[] = {
		{"1", "1.0", true},         {"0", "-0.0", true},          {"1", "true", false},
		{"0", "false", false},      {"null", "null", true},       {"\"a\"", "\"a\"", true},
		{"\"a\"", "\"b\"", false},  {"[1,2]", "[1,2]", true},     {"[1,2]", "[2,1]", false},
		{"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", true},         {"{\"a\":1}", "{\"a\":1,\"b\":2}", false},
		{"{\"a\":null}", "{}", false}, {"[]", "{}", false},
		{"\"a\\u0000b\"", "\"a\\u0000c\"", false},
		{"9007199254740993", "9007199254740992", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_object *a = json(cases[i].a), *b = json(cases[i].b);
		ck_assert_msg(wr_json_equal(a, b) == cases[i].equal, "%s vs %s", cases[i].a, cases[i].b);
		ck_assert_msg(wr_json_equal(b, a) == cases[i].equal, "%s vs %s", cases[i].b, cases[i].a);
		json_object_put(a);
		json_object_put(b);
	}
}
END_TEST

static char scratch[] = "/tmp/wrkit-schema-XXXXXX";

START_TEST(refs_resolve_only_through_mapped_directories)
{
	char *dir = mkdtemp(scratch), path[512];
	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof path, "%s/int.json", dir);
	FILE *fp = fopen(path, "w");
	fputs("{\"type\":\"integer\"}", fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/bad.json", dir);
	fp = fopen(path, "w");
	fputs("{\"type\":", fp);
	fclose(fp);

	wr_registry *reg = wr_registry_new(NULL);
	wr_error err;
	ck_assert_int_eq(wr_registry_map_dir(reg, "https://example.com/s/", dir, &err), 0);
	json_object *doc = json("{\"items\":{\"$ref\":\"https://example.com/s/int.json\"}}");
	const wr_schema *s = wr_registry_compile(reg, doc, NULL, &err);
	json_object_put(doc);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_issues issues;
	ck_assert(!check(s, "[1, \"x\"]", &issues));
	ck_assert_str_eq(issues.items[0].path, "/1");
	wr_issues_clear(&issues);

	/* A malformed mapped file names itself; a missing one says how to map it. */
	doc = json("{\"$ref\":\"https://example.com/s/bad.json\"}");
	ck_assert_ptr_null(wr_registry_compile(reg, doc, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.message, "bad.json"));
	ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
	json_object_put(doc);
	doc = json("{\"$ref\":\"https://example.com/s/../../etc/passwd\"}");
	ck_assert_ptr_null(wr_registry_compile(reg, doc, NULL, &err));
	json_object_put(doc);
	doc = json("{\"$ref\":\"https://example.com/s/none.json\"}");
	ck_assert_ptr_null(wr_registry_compile(reg, doc, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.message, "no schema is known as https://example.com/s/none.json"));
	json_object_put(doc);
	wr_registry_free(reg);

	unlink(path);
	snprintf(path, sizeof path, "%s/int.json", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(the_metaschema_is_built_in)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"$ref\":\"https://json-schema.org/draft/2020-12/schema\"}", &reg, &err);
	ck_assert_msg(s != NULL, "%s", err.message);
	wr_issues issues;
	ck_assert(check(s, "{\"type\":\"object\",\"properties\":{\"a\":{\"minLength\":1}}}", &issues));
	wr_issues_clear(&issues);
	ck_assert(!check(s, "{\"properties\":{\"a\":{\"minLength\":-1}}}", &issues));
	ck_assert_str_eq(issues.items[0].path, "/properties/a/minLength");
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

/* The keyword table (schema_keywords.c) against the draft's own meta-schemas: each
 * keyword a vocabulary's meta-schema lists is in the table exactly once, with that
 * vocabulary and the shape of value the meta-schema gives it; each row belongs to the
 * vocabularies it names; and a row is compiled exactly when it has a validation step.
 * A keyword added in one place only, or with the wrong vocabulary, fails here. */
static const char *const vocabulary_metaschemas[] = {
	"https://json-schema.org/draft/2020-12/meta/core",
	"https://json-schema.org/draft/2020-12/meta/applicator",
	"https://json-schema.org/draft/2020-12/meta/unevaluated",
	"https://json-schema.org/draft/2020-12/meta/validation",
	"https://json-schema.org/draft/2020-12/meta/meta-data",
	"https://json-schema.org/draft/2020-12/meta/format-annotation",
	"https://json-schema.org/draft/2020-12/meta/format-assertion",
	"https://json-schema.org/draft/2020-12/meta/content",
};
#define VOCABULARY_COUNT (sizeof vocabulary_metaschemas / sizeof *vocabulary_metaschemas)

/* The shape of a keyword's value, as its meta-schema describes it. */
static wr_keyword_shape meta_shape(json_object *v)
{
	json_object *x;
	if (json_object_object_get_ex(v, "$dynamicRef", &x) &&
	    strcmp(json_object_get_string(x), "#meta") == 0)
		return SHAPE_SCHEMA;
	if (json_object_object_get_ex(v, "$ref", &x) &&
	    strcmp(json_object_get_string(x), "#/$defs/schemaArray") == 0)
		return SHAPE_SCHEMA_ARRAY;
	if (json_object_object_get_ex(v, "additionalProperties", &x) &&
	    strstr(json_object_to_json_string(x), "\"#meta\""))
		return SHAPE_SCHEMA_MAP;
	return SHAPE_OTHER;
}

static json_object *meta_properties(wr_registry *reg, const char *uri)
{
	json_object *meta, *props;
	resource *res;
	wr_error err;
	ck_assert_msg(wr_registry_locate(reg, uri, &meta, &res, &err) == 0, "%s: %s", uri, err.message);
	ck_assert_msg(json_object_object_get_ex(meta, "properties", &props), "%s", uri);
	return props;
}

static size_t rows_named(const char *name, const wr_keyword **row)
{
	size_t n = 0;
	for (size_t i = 0; i < wr_keyword_count; i++) {
		if (strcmp(wr_keywords[i].name, name) == 0) {
			*row = &wr_keywords[i];
			n++;
		}
	}
	return n;
}

START_TEST(the_keyword_table_matches_the_metaschemas)
{
	wr_registry *reg = wr_registry_new(NULL);
	json_object *props[VOCABULARY_COUNT];
	unsigned bits[VOCABULARY_COUNT], all = 0;
	wr_error err;

	for (size_t m = 0; m < VOCABULARY_COUNT; m++) {
		const char *uri = vocabulary_metaschemas[m];
		/* The engine's own reading of the meta-schema's $vocabulary: core, plus its own. */
		unsigned v = wr_vocab_for_metaschema(reg, uri, &err);
		ck_assert_msg(v & VOCAB_CORE, "%s: %s", uri, err.message);
		bits[m] = v == VOCAB_CORE ? VOCAB_CORE : v & ~VOCAB_CORE;
		ck_assert_msg(bits[m] && !(bits[m] & (bits[m] - 1)), "%s: one vocabulary", uri);
		ck_assert_msg(!(all & bits[m]), "%s: a vocabulary of its own", uri);
		all |= bits[m];
		props[m] = meta_properties(reg, uri);
		json_object_object_foreach(props[m], name, value) {
			const wr_keyword *row = NULL;
			ck_assert_msg(rows_named(name, &row) == 1, "\"%s\" (%s) is in the table %zu times",
			              name, uri, rows_named(name, &row));
			ck_assert_msg(row->vocab & bits[m], "\"%s\" is not in the vocabulary of %s", name, uri);
			ck_assert_msg(row->shape == meta_shape(value), "\"%s\": shape %d, the meta-schema says %d",
			              name, (int)row->shape, (int)meta_shape(value));
		}
	}
	/* The keywords the 2020-12 meta-schema keeps from older drafts, in no vocabulary. */
	json_object *legacy = meta_properties(reg, "https://json-schema.org/draft/2020-12/schema");
	json_object_object_foreach(legacy, name, value) {
		const wr_keyword *row = NULL;
		ck_assert_msg(rows_named(name, &row) == 1, "\"%s\" is in the table %zu times", name,
		              rows_named(name, &row));
		ck_assert_msg(row->vocab == 0, "\"%s\" is in no vocabulary", name);
		ck_assert_msg(row->shape == meta_shape(value) || (row->shape == SHAPE_SCHEMA_MAP &&
		                                                  strcmp(name, "dependencies") == 0),
		              "\"%s\": shape %d", name, (int)row->shape);
	}

	for (size_t i = 0; i < wr_keyword_count; i++) {
		const wr_keyword *row = &wr_keywords[i], *other;
		ck_assert_msg(rows_named(row->name, &other) == 1, "\"%s\" is in the table twice", row->name);
		ck_assert_msg(!(row->vocab & ~all), "\"%s\": an unknown vocabulary", row->name);
		if (row->vocab == 0)
			ck_assert_msg(json_object_object_get_ex(legacy, row->name, NULL),
			              "\"%s\" is in no vocabulary nor in the meta-schema", row->name);
		for (size_t m = 0; m < VOCABULARY_COUNT; m++)
			if (row->vocab & bits[m])
				ck_assert_msg(json_object_object_get_ex(props[m], row->name, NULL),
				              "\"%s\" is not a keyword of %s", row->name, vocabulary_metaschemas[m]);
		/* Compiled exactly when validation reads it; shared compile functions need a
		 * field, and struct members never sit at offset 0 (the registry does). */
		ck_assert_msg((row->compile != COMPILE_NONE) == (row->check != CHECK_NONE),
		              "\"%s\": a compile function without a validation step, or the reverse", row->name);
		ck_assert_msg(row->check < CHECK_COUNT, "\"%s\": no such step", row->name);
		ck_assert_msg(row->compile < COMPILE_KINDS, "\"%s\": no such compile kind", row->name);
		if (row->compile == COMPILE_SINGLE || row->compile == COMPILE_BRANCH ||
		    row->compile == COMPILE_SCHEMA_ARRAY || row->compile == COMPILE_NONNEGATIVE ||
		    row->compile == COMPILE_NUMBER || row->compile == COMPILE_MULTIPLE_OF)
			ck_assert_msg(row->field != 0, "\"%s\": no field to compile into", row->name);
		/* A keyword that holds schemas and is applied compiles them. */
		if (row->shape != SHAPE_OTHER && row->compile != COMPILE_NONE)
			ck_assert_msg(row->compile == COMPILE_SINGLE || row->compile == COMPILE_BRANCH ||
			                  row->compile == COMPILE_SCHEMA_ARRAY ||
			                  row->compile == COMPILE_PROPERTIES ||
			                  row->compile == COMPILE_PATTERN_PROPERTIES ||
			                  row->compile == COMPILE_DEPENDENT_SCHEMAS,
			              "\"%s\" holds schemas but does not compile them", row->name);
	}
	/* "then" and "else" read what "if" compiled: "if" comes first. */
	const wr_keyword *if_row = NULL, *then_row = NULL, *else_row = NULL;
	rows_named("if", &if_row);
	rows_named("then", &then_row);
	rows_named("else", &else_row);
	ck_assert(if_row < then_row && if_row < else_row);
	wr_registry_free(reg);
}
END_TEST

/* The table drives validation: every keyword with a step rejects a value it should. */
START_TEST(every_compiled_keyword_is_applied)
{
	static const struct {
		const char *schema, *instance;
	} cases[] = {
		{"{\"$ref\": \"#/$defs/n\", \"$defs\": {\"n\": {\"type\": \"number\"}}}", "\"x\""},
		{"{\"$dynamicRef\": \"#/$defs/n\", \"$defs\": {\"n\": {\"type\": \"number\"}}}", "\"x\""},
		{"{\"allOf\": [{\"type\": \"number\"}]}", "\"x\""},
		{"{\"anyOf\": [{\"type\": \"number\"}]}", "\"x\""},
		{"{\"oneOf\": [{\"type\": \"number\"}]}", "\"x\""},
		{"{\"not\": {\"type\": \"string\"}}", "\"x\""},
		{"{\"if\": true, \"then\": {\"type\": \"number\"}}", "\"x\""},
		{"{\"if\": false, \"else\": {\"type\": \"number\"}}", "\"x\""},
		{"{\"prefixItems\": [{\"type\": \"number\"}]}", "[\"x\"]"},
		{"{\"items\": {\"type\": \"number\"}}", "[\"x\"]"},
		{"{\"contains\": {\"type\": \"number\"}}", "[\"x\"]"},
		{"{\"properties\": {\"a\": {\"type\": \"number\"}}}", "{\"a\": \"x\"}"},
		{"{\"patternProperties\": {\"^a\": {\"type\": \"number\"}}}", "{\"a\": \"x\"}"},
		{"{\"additionalProperties\": false}", "{\"a\": 1}"},
		{"{\"propertyNames\": {\"maxLength\": 1}}", "{\"ab\": 1}"},
		{"{\"dependentSchemas\": {\"a\": {\"required\": [\"b\"]}}}", "{\"a\": 1}"},
		{"{\"unevaluatedItems\": false}", "[1]"},
		{"{\"unevaluatedProperties\": false}", "{\"a\": 1}"},
		{"{\"type\": \"number\"}", "\"x\""},
		{"{\"const\": 1}", "2"},
		{"{\"enum\": [1]}", "2"},
		{"{\"multipleOf\": 2}", "3"},
		{"{\"maximum\": 1}", "2"},
		{"{\"exclusiveMaximum\": 1}", "1"},
		{"{\"minimum\": 1}", "0"},
		{"{\"exclusiveMinimum\": 1}", "1"},
		{"{\"maxLength\": 1}", "\"ab\""},
		{"{\"minLength\": 3}", "\"ab\""},
		{"{\"pattern\": \"^a\"}", "\"b\""},
		{"{\"maxItems\": 0}", "[1]"},
		{"{\"minItems\": 2}", "[1]"},
		{"{\"uniqueItems\": true}", "[1, 1]"},
		{"{\"contains\": true, \"maxContains\": 1}", "[1, 1]"},
		{"{\"contains\": true, \"minContains\": 3}", "[1, 1]"},
		{"{\"maxProperties\": 0}", "{\"a\": 1}"},
		{"{\"minProperties\": 2}", "{\"a\": 1}"},
		{"{\"required\": [\"a\"]}", "{}"},
		{"{\"dependentRequired\": {\"a\": [\"b\"]}}", "{\"a\": 1}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wr_registry *reg;
		wr_error err;
		wr_issues issues;
		const wr_schema *s = compile(cases[i].schema, &reg, &err);
		ck_assert_msg(s != NULL, "%s: %s", cases[i].schema, err.message);
		ck_assert_msg(!check(s, cases[i].instance, &issues), "%s accepts %s", cases[i].schema,
		              cases[i].instance);
		wr_issues_clear(&issues);
		wr_registry_free(reg);
	}
	/* A case for each keyword with a validation step ("format" asserts only on
	 * request: format_is_an_annotation). */
	for (size_t i = 0; i < wr_keyword_count; i++) {
		if (wr_keywords[i].check == CHECK_NONE || strcmp(wr_keywords[i].name, "format") == 0)
			continue;
		char quoted[64];
		snprintf(quoted, sizeof quoted, "\"%s\"", wr_keywords[i].name);
		bool found = false;
		for (size_t k = 0; k < sizeof cases / sizeof *cases && !found; k++)
			found = strstr(cases[k].schema, quoted) != NULL;
		ck_assert_msg(found, "no case for %s", quoted);
	}
}
END_TEST

START_TEST(format_is_an_annotation)
{
	wr_registry *reg;
	wr_error err;
	const wr_schema *s = compile("{\"format\":\"email\"}", &reg, &err);
	wr_issues issues;
	ck_assert(check(s, "\"not an email\"", &issues));
	wr_issues_clear(&issues);
	wr_registry_free(reg);
}
END_TEST

START_TEST(issues_list_grows)
{
	wr_issues issues;
	wr_issues_init(&issues);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(wr_issues_add(&issues, "/x", "m"), 0);
	ck_assert_uint_eq(issues.count, 100);
	wr_issues_clear(&issues);
	ck_assert_uint_eq(issues.count, 0);
	ck_assert_ptr_null(issues.items);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, uri_resolution_follows_rfc3986);
	tcase_add_test(tc, percent_decoding);
	tcase_add_test(tc, ecma_property_names_are_translated);
	tcase_add_test(tc, messages_name_expected_and_received);
	tcase_add_test(tc, paths_escape_pointer_characters);
	tcase_add_test(tc, long_strings_are_cut_in_messages);
	tcase_add_test(tc, broken_schemas_are_refused_with_a_reason);
	tcase_add_test(tc, a_ref_loop_fails_closed);
	tcase_add_test(tc, deep_instances_stop_at_the_evaluation_limit);
	tcase_add_test(tc, unique_items_on_large_arrays);
	tcase_add_test(tc, runaway_patterns_fail_closed);
	tcase_add_test(tc, exponential_schemas_stop_at_the_step_limit);
	tcase_add_test(tc, check_gives_three_answers);
	tcase_add_test(tc, check_never_answers_past_a_limit);
	tcase_add_test(tc, json_equality);
	tcase_add_test(tc, refs_resolve_only_through_mapped_directories);
	tcase_add_test(tc, the_metaschema_is_built_in);
	tcase_add_test(tc, format_is_an_annotation);
	tcase_add_test(tc, the_keyword_table_matches_the_metaschemas);
	tcase_add_test(tc, every_compiled_keyword_is_applied);
	tcase_add_test(tc, issues_list_grows);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
