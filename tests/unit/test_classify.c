/* SPDX-License-Identifier: MIT */
/* Unit tests: classification of reviews (SPEC 5).
 *
 * Every case of tests/data/classify/ (every .json file) runs here: the public examples
 * (examples.json, a copy of ../shared/examples/classify.json) and the project's own
 * corpus of review notes. A case is {"notes": string or null, "expect": [severities],
 * "why": ...} and may also say the "findings", "source" and "confidence" it must get,
 * and "error": true when the notes must be refused. Each runs both as a record
 * ({"recapMarkdown": notes}) and as raw notes.
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_lex.h"
#include "classify_proof.h"
#include "wrkit/classify.h"
#include "wrkit/contracts.h"
#include "wrkit/json_input.h"
#include "wrkit/ndjson.h"

#ifndef WR_CLASSIFY_DATA
#error "WR_CLASSIFY_DATA must name tests/data/classify"
#endif

static wr_contracts *contracts;
static wr_classifier *classifier;

/* What the warning callback saw. */
typedef struct warnings {
	size_t count;
	size_t last_index;
	char text[1024];
} warnings;

static void record_warning(void *ctx, size_t index, const wr_issues *issues)
{
	warnings *w = ctx;
	w->count++;
	w->last_index = index;
	w->text[0] = '\0';
	for (size_t i = 0; i < issues->count; i++) {
		size_t n = strlen(w->text);
		snprintf(w->text + n, sizeof w->text - n, "%s: %s; ", issues->items[i].path,
		         issues->items[i].message);
	}
}

static warnings seen;

static void setup(void)
{
	wr_error err;
	contracts = wr_contracts_builtin(&err);
	ck_assert_msg(contracts != NULL, "%s", err.message);
	wr_classify_options opt;
	wr_classify_options_init(&opt);
	opt.contracts = contracts;
	opt.warn = record_warning;
	opt.warn_ctx = &seen;
	memset(&seen, 0, sizeof seen);
	classifier = wr_classifier_new(&opt);
	ck_assert_ptr_nonnull(classifier);
}

static void teardown(void)
{
	wr_classifier_free(classifier);
	wr_contracts_free(contracts);
}

static json_object *parse(const char *s)
{
	json_object *o;
	wr_json_error err;
	ck_assert_msg(wr_json_parse(s, strlen(s), NULL, &o, &err) == 0, "%s: %s", s, err.message);
	return o;
}

/* Classifies notes (NUL-terminated) as raw notes; the caller clears c. */
static void classify_text(const char *notes, wr_classification *c)
{
	ck_assert_int_eq(wr_classify_notes(classifier, notes, notes ? strlen(notes) : 0, c), 0);
}

static wr_severity severity_of(const char *notes)
{
	wr_classification c;
	classify_text(notes, &c);
	wr_severity s = c.severity;
	wr_classification_clear(&c);
	return s;
}

/* Classifies a record given as JSON text; the caller clears c and puts *rec. */
static void classify_json_record(const char *json, json_object **rec, wr_classification *c)
{
	*rec = parse(json);
	ck_assert_int_eq(wr_classify_record(classifier, *rec, c), 0);
}

static const char *finding(const wr_classification *c, size_t i)
{
	ck_assert_uint_gt(json_object_array_length(c->findings), i);
	return json_object_get_string(json_object_array_get_idx(c->findings, i));
}

/* The corpus */

static int expects(json_object *expect, wr_severity got)
{
	for (size_t i = 0; i < json_object_array_length(expect); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(expect, i)),
		           wr_severity_name(got)) == 0)
			return 1;
	return 0;
}

static void check_case(const char *file, size_t index, json_object *kase, const wr_classification *c,
                       const char *how)
{
	json_object *notes, *expect, *why, *want;
	json_object_object_get_ex(kase, "notes", &notes);
	ck_assert_msg(json_object_object_get_ex(kase, "expect", &expect), "%s#%zu: no expect", file, index);
	json_object_object_get_ex(kase, "why", &why);
	const char *shown = notes ? json_object_get_string(notes) : "(null)";
	ck_assert_msg(expects(expect, c->severity), "%s#%zu (%s, %s): got %s, expected %s; notes: %.300s",
	              file, index, how, why ? json_object_get_string(why) : "",
	              wr_severity_name(c->severity), json_object_to_json_string(expect), shown);
	if (json_object_object_get_ex(kase, "source", &want))
		ck_assert_msg(strcmp(wr_source_name(c->source), json_object_get_string(want)) == 0,
		              "%s#%zu (%s): source %s, expected %s", file, index, how,
		              wr_source_name(c->source), json_object_get_string(want));
	if (json_object_object_get_ex(kase, "findings", &want)) {
		const char *got = json_object_to_json_string_ext(c->findings, JSON_C_TO_STRING_PLAIN);
		char *copy = strdup(got);
		const char *exp = json_object_to_json_string_ext(want, JSON_C_TO_STRING_PLAIN);
		ck_assert_msg(strcmp(copy, exp) == 0, "%s#%zu (%s): findings %s, expected %s", file,
		              index, how, copy, exp);
		free(copy);
	}
	if (json_object_object_get_ex(kase, "confidence", &want))
		ck_assert_msg(strcmp(c->confidence, json_object_get_string(want)) == 0,
		              "%s#%zu (%s): confidence '%s', expected '%s'", file, index, how,
		              c->confidence, json_object_get_string(want));
	if (json_object_object_get_ex(kase, "error", &want) && json_object_get_boolean(want))
		ck_assert_msg(c->error[0] != '\0', "%s#%zu (%s): no error", file, index, how);
	else
		ck_assert_msg(c->error[0] == '\0', "%s#%zu (%s): unexpected error %s", file, index, how,
		              c->error);
}

/* Runs every case of one corpus file; returns how many. */
static size_t run_corpus_file(const char *path, const char *name)
{
	json_object *cases;
	wr_json_error err;
	ck_assert_msg(wr_json_read_path(path, NULL, &cases, &err) == 0, "%s: %s", path, err.message);
	ck_assert_msg(json_object_is_type(cases, json_type_array), "%s: not an array", path);
	size_t n = json_object_array_length(cases);
	for (size_t i = 0; i < n; i++) {
		json_object *kase = json_object_array_get_idx(cases, i), *notes;
		wr_classification c;
		json_object_object_get_ex(kase, "notes", &notes);

		/* as a record */
		json_object *rec = json_object_new_object();
		json_object_object_add(rec, "recapMarkdown", json_object_get(notes));
		ck_assert_int_eq(wr_classify_record(classifier, rec, &c), 0);
		check_case(name, i, kase, &c, "record");
		wr_classification_clear(&c);
		json_object_put(rec);

		/* as notes */
		ck_assert_int_eq(wr_classify_notes(classifier, notes ? json_object_get_string(notes) : NULL,
		                                   notes ? (size_t)json_object_get_string_len(notes) : 0, &c),
		                 0);
		check_case(name, i, kase, &c, "notes");
		wr_classification_clear(&c);
	}
	json_object_put(cases);
	return n;
}

START_TEST(every_public_example)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/examples.json", WR_CLASSIFY_DATA);
	ck_assert_uint_ge(run_corpus_file(path, "examples.json"), 34);
}
END_TEST

START_TEST(every_case_of_the_corpus)
{
	DIR *dir = opendir(WR_CLASSIFY_DATA);
	struct dirent *e;
	size_t total = 0, files = 0;
	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
		    strcmp(e->d_name, "examples.json") == 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", WR_CLASSIFY_DATA, e->d_name);
		total += run_corpus_file(path, e->d_name);
		files++;
	}
	closedir(dir);
	/* the corpus is the exam: losing files of it must not go unnoticed */
	ck_assert_uint_ge(files, 11);
	ck_assert_uint_ge(total, 360);
}
END_TEST

/* The hand-labelled corpus (tests/data/classify/corpus): a false clean (a case whose
 * expect has no "clean" classified clean) fails; over-caution (expected clean, got
 * something else) and other misses are counted and printed. */

typedef struct corpus_counts {
	size_t cases, false_clean, over_cautious, other;
} corpus_counts;

static json_object *case_record(json_object *kase)
{
	json_object *rec, *notes = NULL;
	if (json_object_object_get_ex(kase, "record", &rec))
		return json_object_get(rec);
	json_object_object_get_ex(kase, "notes", &notes);
	rec = json_object_new_object();
	ck_assert_ptr_nonnull(rec);
	json_object_object_add(rec, "recapMarkdown", json_object_get(notes));
	return rec;
}

/* Calls fn on each case of each corpus file. */
static void corpus_each(void (*fn)(const char *file, size_t i, json_object *kase, void *ctx),
                        void *ctx)
{
	char dir_path[4096];
	snprintf(dir_path, sizeof dir_path, "%s/corpus", WR_CLASSIFY_DATA);
	DIR *dir = opendir(dir_path);
	struct dirent *e;
	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char path[4200];
		json_object *cases;
		wr_json_error err;
		snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
		ck_assert_msg(wr_json_read_path(path, NULL, &cases, &err) == 0, "%s: %s", path, err.message);
		ck_assert_msg(json_object_is_type(cases, json_type_array), "%s: not an array", path);
		for (size_t i = 0; i < json_object_array_length(cases); i++)
			fn(e->d_name, i, json_object_array_get_idx(cases, i), ctx);
		json_object_put(cases);
	}
	closedir(dir);
}

static void count_case(const char *file, size_t i, json_object *kase, void *ctx)
{
	corpus_counts *n = ctx;
	json_object *expect, *why;
	wr_classification c;
	json_object *rec = case_record(kase);
	ck_assert_msg(json_object_object_get_ex(kase, "expect", &expect), "%s#%zu: no expect", file, i);
	ck_assert_msg(json_object_object_get_ex(kase, "why", &why) && json_object_get_string_len(why) > 0,
	              "%s#%zu: every case says why", file, i);
	ck_assert_int_eq(wr_classify_record(classifier, rec, &c), 0);
	n->cases++;
	if (!expects(expect, c.severity)) {
		int clean_ok = expects(expect, WR_SEVERITY_CLEAN);
		const char *what = c.severity == WR_SEVERITY_CLEAN ? "FALSE CLEAN"
		                   : clean_ok && json_object_array_length(expect) == 1 ? "over-cautious"
		                                                                       : "other miss";
		if (c.severity == WR_SEVERITY_CLEAN)
			n->false_clean++;
		else if (clean_ok && json_object_array_length(expect) == 1)
			n->over_cautious++;
		else
			n->other++;
		fprintf(stderr, "corpus %s#%zu: %s: got %s, expected %s (%s)\n", file, i, what,
		        wr_severity_name(c.severity), json_object_to_json_string(expect),
		        json_object_get_string(why));
	}
	wr_classification_clear(&c);
	json_object_put(rec);
}

START_TEST(the_corpus_has_no_false_clean)
{
	corpus_counts n = {0};
	corpus_each(count_case, &n);
	fprintf(stderr, "corpus: %zu cases: %zu false clean, %zu over-cautious, %zu other misses\n",
	        n.cases, n.false_clean, n.over_cautious, n.other);
	ck_assert_uint_ge(n.cases, 250);
	ck_assert_uint_eq(n.false_clean, 0);
}
END_TEST

/* Finding lines in several styles; appending any of them to clean notes must leave
 * them not clean. */
static const char *const finding_lines[] = {
	"BLOCKING: the session token is written to the log.",
	"- **Critical**: the admin route skips the auth check.",
	"Major: the cache is never invalidated.",
	"\xF0\x9F\x94\xB4 `delete_user` skips the ownership check.",
	"[P1] the retry loop never gives up on HTTP 500.",
	"P0: data loss on restart.",
	"REQUEST CHANGES: the migration is irreversible.",
	"Do not merge: the build breaks on ARM.",
	"This introduces a security vulnerability in the upload path.",
	"NIT: rename `tmp`.",
	"Minor: missing docstring on `parse_opts`.",
	"Suggestion: extract the retry loop into a helper.",
	"\xE2\x9A\xA0\xEF\xB8\x8F The timeout is hard-coded.",
	"Severity: high - passwords are logged.",
	"1. [Major] connection leak under load",
	"* nit: trailing whitespace in config.yaml",
	"Tests fail on Python 3.12.",
	"CI is red on the Windows job.",
	"There is a regression in the CSV export.",
	"Should fix: the error message names the wrong file.",
	"Needs work: the pagination is off by one.",
	"\xF0\x9F\x9F\xA1 The retry delay ignores the config.",
	"Critical 0 -> 1 after the last push.",
	"Blockers: 1",
	"Changes requested.",
	"I cannot approve this until the lock order is fixed.",
	"Not LGTM: the feature flag is inverted.",
	"Hold off merging until the release branch is cut.",
	"severity: medium - noisy logs",
	"P2: the docs example is outdated.",
	"| Critical | 1 |",
	"2 major issues remain.",
	"Update: new commits were pushed since my review.",
	"I did not check the generated client.",
	"\xF0\x9F\x9A\xA8 Production credentials committed in `.env`.",
	/* issue #11: labels, contrasts, conditions and problem words without a severity word */
	"Warning: the index is never used.",
	"- Caution: the temp dir is not cleaned up.",
	"Concern - the queue is unbounded.",
	"Issue: the cron runs every minute.",
	"* Bug: the counter resets on every request.",
	"Problem: the error path returns 200.",
	"Risk: the lock is held across the network call.",
	"Needs fixing: the docstring example.",
	"TODO: wire the metrics.",
	"FIXME in the retry helper.",
	"This needs a follow-up for the timeout handling.",
	"However, the audit table is deleted without a migration path.",
	"That said, the cache is never invalidated.",
	"Still, the retry loop never terminates.",
	"Unfortunately the export skips the last page.",
	"One concern: the worker reads the whole file into memory.",
	"The only problem is the default port.",
	"(after you fix the null check)",
	"The parser will crash on an empty file.",
	"The handler panics on a missing header.",
	"There is a data race in the flusher.",
	"Off-by-one in the page count.",
	"The poller hangs when the server is down.",
	"The login page is broken on Safari.",
	"Possible null dereference in `get_user`.",
	"The shift is undefined behavior.",
	"There is a hardcoded AWS key in prod.yml.",
	"The password is stored in plaintext.",
	"The pinned lodash has CVE-2021-23337.",
	"The delete endpoint has no auth check.",
	"The migration drops a table that billing reads.",
	"LGTM <!-- critical: token logged -->",
	/* issue #11, second follow-up: open boxes, category labels, incomplete reviews,
	 * requests, trailing contrasts, imperative warnings */
	"- [ ] handle the retry case",
	"* [ ] document the flag",
	"Security: the upload path trusts the client MIME type.",
	"- Performance: the loop allocates per item.",
	"Maintainability: the module mixes IO and parsing.",
	"I only reviewed the API layer.",
	"I did not review the migrations.",
	"Untested on Windows.",
	"I couldn't verify the cache behaviour.",
	"Could you add a regression test?",
	"Please rename `buf` to `line`.",
	"Consider a bounded queue here.",
	"Why is the lock dropped before the flush?",
	"The changelog is missing, though.",
	"The naming is odd, but otherwise fine.",
	"Do not deploy before the index is built.",
	"This should not be merged until the vendor fix lands.",
	"Reminder: the flag must not be on in prod.",
};

typedef struct property_ctx {
	size_t notes, checks;
} property_ctx;

static void append_findings(const char *file, size_t i, json_object *kase, void *ctx)
{
	property_ctx *pc = ctx;
	json_object *notes, *expect;
	wr_classification c;
	if (!json_object_object_get_ex(kase, "notes", &notes) || !json_object_is_type(notes, json_type_string) ||
	    !json_object_object_get_ex(kase, "expect", &expect) || json_object_array_length(expect) != 1 ||
	    !expects(expect, WR_SEVERITY_CLEAN))
		return;
	const char *text = json_object_get_string(notes);
	size_t len = (size_t)json_object_get_string_len(notes);
	ck_assert_int_eq(wr_classify_notes(classifier, text, len, &c), 0);
	int clean = c.severity == WR_SEVERITY_CLEAN;
	wr_classification_clear(&c);
	if (!clean)
		return; /* over-caution is counted elsewhere; only clean notes are made worse */
	pc->notes++;
	for (size_t k = 0; k < sizeof finding_lines / sizeof *finding_lines; k++) {
		size_t fl = strlen(finding_lines[k]);
		char *both = malloc(len + fl + 3);
		ck_assert_ptr_nonnull(both);
		memcpy(both, text, len);
		memcpy(both + len, "\n\n", 2);
		memcpy(both + len + 2, finding_lines[k], fl + 1);
		ck_assert_int_eq(wr_classify_notes(classifier, both, len + fl + 2, &c), 0);
		ck_assert_msg(c.severity != WR_SEVERITY_CLEAN, "%s#%zu + \"%s\" is still clean", file, i,
		              finding_lines[k]);
		wr_classification_clear(&c);
		free(both);
		pc->checks++;
	}
}

START_TEST(a_finding_appended_to_clean_notes_is_never_clean)
{
	property_ctx pc = {0};
	corpus_each(append_findings, &pc);
	fprintf(stderr, "property: %zu clean notes x %zu finding lines = %zu checks\n", pc.notes,
	        sizeof finding_lines / sizeof *finding_lines, pc.checks);
	ck_assert_uint_ge(pc.notes, 50);
}
END_TEST

/* The lexicon */

/* every phrase row is indexed: the table within the index's limits (a row over them
 * would be silently unread, so the build refuses it), each row's words entries */
START_TEST(every_phrase_row_is_indexed)
{
	phrase_index *ix = calloc(1, sizeof *ix);
	ck_assert_ptr_nonnull(ix);
	ck_assert_int_eq(phrase_index_build(ix), 0);
	size_t n = 0;
	for (; classify_phrases[n].phrase; n++) {
		ck_assert_uint_ge(ix->nwords[n], 1);
		for (size_t k = 0; k < ix->nwords[n]; k++)
			ck_assert_int_ge(ix->wid[n][k], 0);
		int e = ix->wid[n][0];
		int listed = 0;
		for (size_t k = 0; k < ix->entries[e].nrows; k++)
			listed |= ix->starts[ix->entries[e].first + k].row == n;
		ck_assert_msg(listed, "row '%s' is not listed under its first word",
		              classify_phrases[n].phrase);
	}
	ck_assert_uint_eq(ix->n, n);
	/* each row once: a second copy of a row would be dead weight, and a sign that
	 * the table is grown without being read */
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			ck_assert_msg(classify_phrases[a].cls != classify_phrases[b].cls ||
			              strcmp(classify_phrases[a].phrase, classify_phrases[b].phrase) != 0,
			              "phrase row '%s' is listed twice", classify_phrases[a].phrase);
	free(ix);
}
END_TEST

START_TEST(lexicon_words_fit_the_lookup)
{
	const char *bad = NULL;
	ck_assert_msg(lex_lexicon_check(&bad) == 0, "lexicon word '%s' is not lowercase ASCII of "
	              "1 to 24 bytes, or appears twice", bad);
}
END_TEST

/* Hostile notes */

START_TEST(nul_and_invalid_utf8_fail_closed)
{
	const char with_nul[] = "LGTM\0 BLOCKING";
	const char *bad_utf8[] = {"LGTM \xff", "APPROVE \xc3", "clean \xed\xa0\x80 (a surrogate)",
	                          "LGTM \xc0\xaf (overlong)", "\xf5\x80\x80\x80"};
	wr_classification c;

	ck_assert_int_eq(wr_classify_notes(classifier, with_nul, sizeof with_nul - 1, &c), 0);
	ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
	ck_assert_int_eq(c.source, WR_SOURCE_NONE);
	ck_assert_ptr_nonnull(strstr(c.error, "NUL byte at offset 4"));
	ck_assert_uint_eq(json_object_array_length(c.findings), 0);
	wr_classification_clear(&c);
	for (size_t i = 0; i < sizeof bad_utf8 / sizeof *bad_utf8; i++) {
		classify_text(bad_utf8[i], &c);
		ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
		ck_assert_msg(strstr(c.error, "not valid UTF-8") != NULL, "%zu: %s", i, c.error);
		wr_classification_clear(&c);
	}
}
END_TEST

START_TEST(huge_notes_are_scanned_to_the_end)
{
	size_t n = 8u << 20;
	char *big = malloc(n + 64);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < n; i++)
		big[i] = "Approve. The cache is fine\n"[i % 27];
	strcpy(big + n, "\nBLOCKING: the lock is never released");
	ck_assert_int_eq(severity_of(big), WR_SEVERITY_BLOCKING);
	big[n] = '\0';
	ck_assert_int_eq(severity_of(big), WR_SEVERITY_CLEAN);
	/* one line of 8 MiB, a signal at its end */
	memset(big, 'a', n);
	memcpy(big + n - 8, " NIT: x ", 8);
	ck_assert_int_eq(severity_of(big), WR_SEVERITY_MINOR);
	free(big);
}
END_TEST

START_TEST(pathological_inputs_do_not_explode)
{
	size_t n = 1u << 20;
	char *s = malloc(n + 1);
	const char *units[] = {"|", "`", "~", "-", "*", "#", "(", "\n", " ", "0/", "Critical/", "no ",
	                       "| Critical ", "\xe2\x80\x94", "_", "'"};
	ck_assert_ptr_nonnull(s);
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t len = strlen(units[u]);
		for (size_t i = 0; i < n; i++)
			s[i] = units[u][i % len];
		s[n - n % len] = '\0';
		wr_classification c;
		classify_text(s, &c); /* must end, without a crash, in reasonable time */
		ck_assert_int_ne(c.severity, WR_SEVERITY_CLEAN);
		wr_classification_clear(&c);
	}
	free(s);
}
END_TEST

/* Finding lines */

START_TEST(findings_are_cut_to_120_code_points)
{
	char notes[2048] = "Recommendation: approve with nits\n\n- Nit: ";
	/* 200 two-byte characters: a cut in the middle of one would be invalid UTF-8 */
	for (int i = 0; i < 200; i++)
		strcat(notes, "\xc3\xa9");
	wr_classification c;
	classify_text(notes, &c);
	const char *f = finding(&c, 0);
	size_t len = strlen(f);
	ck_assert_uint_eq(wr_utf8_check(f, len), len);
	ck_assert_uint_eq(wr_utf8_length(f, len), WR_FINDING_MAX_CHARS);
	ck_assert(strncmp(f, "Nit: \xc3\xa9", 7) == 0);
	wr_classification_clear(&c);
}
END_TEST

START_TEST(at_most_five_findings)
{
	wr_classification c;
	classify_text("## Findings\n- Minor: first\n- Minor: second\n- Minor: third\n- Minor: fourth\n"
	              "- Minor: fifth\n- Minor: sixth\n- Minor: seventh\n", &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_MINOR);
	ck_assert_uint_eq(json_object_array_length(c.findings), WR_FINDINGS_FROM_NOTES);
	ck_assert_str_eq(finding(&c, 4), "Minor: fifth");
	wr_classification_clear(&c);
}
END_TEST

START_TEST(findings_lose_their_emphasis_but_not_their_code)
{
	wr_classification c;
	classify_text("### Issues\n1. **[Major]** _Race_ in `__flush_locked()` — *see* `a*b`\n"
	              "2. [x] snake_case_name stays\n", &c);
	ck_assert_str_eq(finding(&c, 0), "[Major] Race in `__flush_locked()` — see `a*b`");
	ck_assert_str_eq(finding(&c, 1), "snake_case_name stays");
	wr_classification_clear(&c);
}
END_TEST

START_TEST(which_lines_are_findings)
{
	wr_classification c;
	classify_text("**Final recommendation:** request changes\n"
	              "- Confidence: medium\n"
	              "- Critical: 0\n"
	              "- Major: 1\n"
	              "- Critical 0 · Major 1 · Minor 0\n"
	              "\n"
	              "### Top findings\n"
	              "- The retry loop never ends on a 401.\n"
	              "  - Rationale: the status is not checked.\n"
	              "- Summary: one real problem\n"
	              "- None.\n"
	              "\n"
	              "### Coverage ledger\n"
	              "- client.c: full\n"
	              "\n"
	              "Ready-to-post comments:\n"
	              "- client.c:42 — check the status before retrying\n"
	              "\n"
	              "Some prose that ends the section.\n"
	              "- a stray item is not a finding\n"
	              "- Suggestion: log the status\n",
	              &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_BLOCKING);
	ck_assert_uint_eq(json_object_array_length(c.findings), 3);
	ck_assert_str_eq(finding(&c, 0), "The retry loop never ends on a 401.");
	ck_assert_str_eq(finding(&c, 1), "client.c:42 — check the status before retrying");
	ck_assert_str_eq(finding(&c, 2), "Suggestion: log the status");
	wr_classification_clear(&c);
}
END_TEST

/* The artifact tier */

#define VERDICT(v, conf, findings) \
	"{\"kind\":\"wr.review_verdict\",\"verdict\":\"" v "\",\"confidence\":\"" conf \
	"\",\"findings\":[" findings "],\"summary\":\"s\"}"
#define WRAP(a) \
	"{\"sha256\":\"sha256:ab\",\"contentType\":\"application/json\",\"byteLength\":1,\"content\":" a "}"

START_TEST(a_valid_verdict_decides)
{
	json_object *rec;
	wr_classification c;
	classify_json_record("{\"session\":\"s1\",\"recapMarkdown\":\"Phase 6 complete.\",\"artifacts\":["
	                     VERDICT("minor", "medium", "{\"severity\":\"minor\",\"summary\":\"Missing test\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_MINOR);
	ck_assert_int_eq(c.source, WR_SOURCE_ARTIFACT);
	ck_assert_str_eq(c.confidence, "medium");
	ck_assert_str_eq(finding(&c, 0), "Missing test");
	ck_assert_uint_eq(seen.count, 0);
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(wrappers_are_unwrapped)
{
	json_object *rec;
	wr_classification c;
	classify_json_record("{\"recapMarkdown\":null,\"artifacts\":[" WRAP(VERDICT("clean", "high", "")) "]}",
	                     &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_CLEAN);
	ck_assert_int_eq(c.source, WR_SOURCE_ARTIFACT);
	ck_assert_str_eq(c.confidence, "high");
	ck_assert_uint_eq(json_object_array_length(c.findings), 0);
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(an_invalid_verdict_is_skipped_with_a_warning)
{
	json_object *rec;
	wr_classification c;
	/* the first is invalid (verdict "ok", a finding without summary), the second is
	 * another kind, the third is valid */
	classify_json_record("{\"artifacts\":[" WRAP("{\"kind\":\"wr.review_verdict\",\"verdict\":\"ok\","
	                     "\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\"}],\"summary\":\"s\"}")
	                     ",{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"},"
	                     VERDICT("blocking", "low", "{\"severity\":\"critical\",\"summary\":\"Auth bypass\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_BLOCKING);
	ck_assert_int_eq(c.source, WR_SOURCE_ARTIFACT);
	ck_assert_uint_eq(seen.count, 1);
	ck_assert_uint_eq(seen.last_index, 0);
	ck_assert_msg(strstr(seen.text, "/verdict: ") != NULL, "%s", seen.text);
	ck_assert_msg(strstr(seen.text, "/findings/0") != NULL, "%s", seen.text);
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(an_invalid_verdict_is_never_skipped_for_the_notes)
{
	json_object *rec;
	wr_classification c;
	classify_json_record("{\"recapMarkdown\":\"NIT: naming\",\"artifacts\":["
	                     "{\"kind\":\"wr.review_verdict\",\"verdict\":\"clean\"}]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
	ck_assert_int_eq(c.source, WR_SOURCE_ARTIFACT);
	ck_assert_uint_ge(c.n_evidence, 1);
	ck_assert_str_eq(c.evidence[0].tier, "artifact");
	ck_assert_uint_eq(seen.count, 1);
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(a_verdict_contradicted_by_a_blocking_finding_is_raised)
{
	json_object *rec;
	wr_classification c;
	classify_json_record("{\"artifacts\":[" VERDICT("clean", "high",
	                     "{\"severity\":\"nit\",\"summary\":\"a\"},{\"severity\":\"major\",\"summary\":\"b\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_BLOCKING);
	ck_assert_uint_eq(json_object_array_length(c.findings), 2);
	wr_classification_clear(&c);
	json_object_put(rec);
	classify_json_record("{\"artifacts\":[" VERDICT("minor", "high", "{\"severity\":\"critical\",\"summary\":\"a\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_BLOCKING);
	wr_classification_clear(&c);
	json_object_put(rec);
	/* A minor finding raises a clean verdict to minor; nits leave it clean. */
	classify_json_record("{\"artifacts\":[" VERDICT("clean", "high",
	                     "{\"severity\":\"nit\",\"summary\":\"a\"},{\"severity\":\"minor\",\"summary\":\"b\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_MINOR);
	ck_assert_uint_eq(json_object_array_length(c.findings), 2);
	wr_classification_clear(&c);
	json_object_put(rec);
	classify_json_record("{\"artifacts\":[" VERDICT("clean", "high", "{\"severity\":\"nit\",\"summary\":\"a\"}")
	                     "]}", &rec, &c);
	ck_assert_int_eq(c.severity, WR_SEVERITY_CLEAN);
	ck_assert_uint_eq(json_object_array_length(c.findings), 1);
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(without_contracts_there_is_no_artifact_tier)
{
	wr_classifier *plain = wr_classifier_new(NULL);
	json_object *rec = parse("{\"recapMarkdown\":\"LGTM\",\"artifacts\":[" VERDICT("blocking", "high", "") "]}");
	wr_classification c;
	ck_assert_ptr_nonnull(plain);
	ck_assert_int_eq(wr_classify_record(plain, rec, &c), 0);
	/* a verdict that cannot be checked is not proven: unknown */
	ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
	ck_assert_int_eq(c.source, WR_SOURCE_ARTIFACT);
	wr_classification_clear(&c);
	json_object_put(rec);
	wr_classifier_free(plain);
}
END_TEST

START_TEST(malformed_records_fail_closed)
{
	const char *recs[] = {"{\"recapMarkdown\":42}", "{\"recapMarkdown\":[\"LGTM\"]}",
	                      "{\"recapMarkdown\":\"LGTM\",\"artifacts\":{}}",
	                      "{\"recapMarkdown\":\"LGTM\",\"artifacts\":\"x\"}", "[\"LGTM\"]",
	                      "{\"recapMarkdown\":\"LGTM\\u0000\"}"};
	const char *why[] = {"recapMarkdown is not a string or null", "recapMarkdown is not a string or null",
	                     "artifacts is not an array or null", "artifacts is not an array or null",
	                     "a record must be a JSON object", "NUL byte"};
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		json_object *rec;
		wr_classification c;
		classify_json_record(recs[i], &rec, &c);
		ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
		ck_assert_int_eq(c.source, WR_SOURCE_NONE);
		ck_assert_msg(strstr(c.error, why[i]) != NULL, "%s: %s", recs[i], c.error);
		wr_classification_clear(&c);
		json_object_put(rec);
	}
}
END_TEST

START_TEST(absent_or_null_fields_are_no_notes)
{
	const char *recs[] = {"{}", "{\"recapMarkdown\":null,\"artifacts\":null}",
	                      "{\"recapMarkdown\":\"  \\n\\t\",\"artifacts\":[]}"};
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		json_object *rec;
		wr_classification c;
		classify_json_record(recs[i], &rec, &c);
		ck_assert_int_eq(c.severity, WR_SEVERITY_UNKNOWN);
		ck_assert_int_eq(c.source, WR_SOURCE_NONE);
		ck_assert_str_eq(c.error, "");
		wr_classification_clear(&c);
		json_object_put(rec);
	}
}
END_TEST

/* The record fields */

START_TEST(apply_replaces_in_place_and_appends)
{
	json_object *rec = parse("{\"session\":\"s\",\"severity\":\"clean\",\"pr\":7,\"findings\":[\"old\"]}");
	wr_classification c;
	classify_text("Critical: 1. REQUEST CHANGES\n- Critical: secrets in logs", &c);
	ck_assert_int_eq(wr_classification_apply(rec, &c), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN),
	                 "{\"session\":\"s\",\"severity\":\"blocking\",\"pr\":7,"
	                 "\"findings\":[\"Critical: secrets in logs\"],\"source\":\"keyword_scan\","
	                 "\"confidence\":null,\"evidence\":[{\"tier\":\"keyword_scan\",\"line\":1,"
	                 "\"text\":\"a count above zero of a severity: Critical: 1. REQUEST CHANGES\"}]}");
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(apply_keeps_an_earlier_error)
{
	json_object *rec = parse("{\"recapMarkdown\":7,\"error\":\"fetch failed\"}");
	wr_classification c;
	ck_assert_int_eq(wr_classify_record(classifier, rec, &c), 0);
	ck_assert_int_eq(wr_classification_apply(rec, &c), 0);
	json_object *err;
	ck_assert(json_object_object_get_ex(rec, "error", &err));
	/* the earlier error stays first; ours is appended (SPEC section 3) */
	ck_assert_str_eq(json_object_get_string(err),
	                 "fetch failed; recapMarkdown is not a string or null");
	wr_classification_clear(&c);
	json_object_put(rec);

	rec = parse("{\"recapMarkdown\":7}");
	ck_assert_int_eq(wr_classify_record(classifier, rec, &c), 0);
	ck_assert_int_eq(wr_classification_apply(rec, &c), 0);
	ck_assert(json_object_object_get_ex(rec, "error", &err));
	ck_assert_str_eq(json_object_get_string(err), "recapMarkdown is not a string or null");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(rec, "severity")), "unknown");
	wr_classification_clear(&c);
	json_object_put(rec);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(wr_severity_name(WR_SEVERITY_UNKNOWN), "unknown");
	ck_assert_str_eq(wr_severity_name(WR_SEVERITY_CLEAN), "clean");
	ck_assert_str_eq(wr_severity_name(WR_SEVERITY_MINOR), "minor");
	ck_assert_str_eq(wr_severity_name(WR_SEVERITY_BLOCKING), "blocking");
	ck_assert_str_eq(wr_severity_name((wr_severity)42), "unknown");
	ck_assert_str_eq(wr_source_name(WR_SOURCE_NONE), "none");
	ck_assert_str_eq(wr_source_name(WR_SOURCE_ARTIFACT), "artifact");
	ck_assert_str_eq(wr_source_name(WR_SOURCE_NOTES_JSON), "notes_json");
	ck_assert_str_eq(wr_source_name(WR_SOURCE_KEYWORD_SCAN), "keyword_scan");
	/* severities are ordered so that the worse compares greater */
	ck_assert_int_lt(WR_SEVERITY_UNKNOWN, WR_SEVERITY_CLEAN);
	ck_assert_int_lt(WR_SEVERITY_CLEAN, WR_SEVERITY_MINOR);
	ck_assert_int_lt(WR_SEVERITY_MINOR, WR_SEVERITY_BLOCKING);
}
END_TEST

START_TEST(one_classifier_serves_many_calls)
{
	/* nothing of one call leaks into the next */
	ck_assert_int_eq(severity_of("BLOCKING: x"), WR_SEVERITY_BLOCKING);
	ck_assert_int_eq(severity_of("| Critical | Major |\n|---|---|"), WR_SEVERITY_BLOCKING);
	ck_assert_int_eq(severity_of("LGTM"), WR_SEVERITY_CLEAN);
	ck_assert_int_eq(severity_of("not"), WR_SEVERITY_UNKNOWN);
	ck_assert_int_eq(severity_of("blocking"), WR_SEVERITY_BLOCKING);
	ck_assert_int_eq(severity_of("```json\n{\"recommendation\":\"minor\",\"findings\":[]}\n```"),
	                 WR_SEVERITY_MINOR);
	ck_assert_int_eq(severity_of("LGTM"), WR_SEVERITY_CLEAN);
}
END_TEST

/* The core helper wr-classify copies records with. */
START_TEST(records_text_is_the_line_as_it_came)
{
	static char data[] = "{ \"a\" : 1 }\r\n[1]\n\n{\"b\":\"\\u00e9\"}";
	FILE *fp = fmemopen(data, sizeof data - 1, "r");
	wr_records *rs = wr_records_new(fp, NULL);
	json_object *rec;
	wr_json_error err;
	size_t len;
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	const char *text = wr_records_text(rs, &len);
	ck_assert_uint_eq(len, 11);
	ck_assert(memcmp(text, "{ \"a\" : 1 }", len) == 0);
	json_object_put(rec);
	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1); /* [1]: not a record */
	ck_assert_ptr_null(rec);
	ck_assert_ptr_null(wr_records_text(rs, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 1);
	text = wr_records_text(rs, &len);
	ck_assert_uint_eq(len, 14);
	ck_assert(memcmp(text, "{\"b\":\"\\u00e9\"}", len) == 0);
	json_object_put(rec);
	ck_assert_int_eq(wr_records_next(rs, &rec, &err), 0);
	wr_records_free(rs);
	fclose(fp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_public_example);
	tcase_add_test(tc, every_case_of_the_corpus);
	tcase_add_test(tc, lexicon_words_fit_the_lookup);
	tcase_add_test(tc, nul_and_invalid_utf8_fail_closed);
	tcase_add_test(tc, huge_notes_are_scanned_to_the_end);
	tcase_add_test(tc, pathological_inputs_do_not_explode);
	tcase_add_test(tc, findings_are_cut_to_120_code_points);
	tcase_add_test(tc, at_most_five_findings);
	tcase_add_test(tc, findings_lose_their_emphasis_but_not_their_code);
	tcase_add_test(tc, which_lines_are_findings);
	tcase_add_test(tc, a_valid_verdict_decides);
	tcase_add_test(tc, wrappers_are_unwrapped);
	tcase_add_test(tc, an_invalid_verdict_is_skipped_with_a_warning);
	tcase_add_test(tc, an_invalid_verdict_is_never_skipped_for_the_notes);
	tcase_add_test(tc, a_verdict_contradicted_by_a_blocking_finding_is_raised);
	tcase_add_test(tc, without_contracts_there_is_no_artifact_tier);
	tcase_add_test(tc, malformed_records_fail_closed);
	tcase_add_test(tc, absent_or_null_fields_are_no_notes);
	tcase_add_test(tc, apply_replaces_in_place_and_appends);
	tcase_add_test(tc, apply_keeps_an_earlier_error);
	tcase_add_test(tc, names);
	tcase_add_test(tc, one_classifier_serves_many_calls);
	tcase_add_test(tc, records_text_is_the_line_as_it_came);
	tcase_add_test(tc, the_corpus_has_no_false_clean);
	tcase_add_test(tc, every_phrase_row_is_indexed);
	tcase_add_test(tc, a_finding_appended_to_clean_notes_is_never_clean);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
