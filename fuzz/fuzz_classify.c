/* SPDX-License-Identifier: MIT */
/* Fuzz target: the classifier. Any bytes as notes, and as a record, give a
 * classification without a crash: a severity and a source by name, findings that are
 * at most 5 UTF-8 strings of at most 120 code points, an error exactly when the
 * notes are not UTF-8 or hold a NUL, 1 to 5 pieces of evidence of valid UTF-8 and at
 * most 120 code points each, and never clean or minor from notes that say BLOCKING
 * alone on a line after them (unless that line is inside a fence or a comment left
 * open: code holds no signal). */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/classify.h"
#include "wrkit/contracts.h"
#include "wrkit/json_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wr_classifier *classifier;

static void check(const wr_classification *c, int from_notes)
{
	if (!wr_severity_name(c->severity) || !wr_source_name(c->source) || !c->findings)
		abort();
	size_t n = json_object_array_length(c->findings);
	if (from_notes && c->source == WR_SOURCE_KEYWORD_SCAN && n > WR_FINDINGS_FROM_NOTES)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(c->findings, i);
		const char *s = json_object_get_string(f);
		size_t len = (size_t)json_object_get_string_len(f);
		if (wr_utf8_check(s, len) != len)
			abort();
		if (c->source == WR_SOURCE_KEYWORD_SCAN && wr_utf8_length(s, len) > WR_FINDING_MAX_CHARS)
			abort();
	}
	if (c->error[0] && (c->severity != WR_SEVERITY_UNKNOWN || c->source != WR_SOURCE_NONE))
		abort();
	if (c->n_evidence < 1 || c->n_evidence > WR_EVIDENCE_MAX)
		abort();
	for (size_t i = 0; i < c->n_evidence; i++) {
		const char *t = c->evidence[i].text;
		size_t len = strlen(t);
		if (wr_utf8_check(t, len) != len || wr_utf8_length(t, len) > WR_FINDING_MAX_CHARS)
			abort();
	}
}

/* Whether s holds a fence or comment opener (the line after it may be code). */
static int may_hide(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if ((s[i] == '`' && s[i + 1] == '`' && s[i + 2] == '`') ||
		    (s[i] == '~' && s[i + 1] == '~' && s[i + 2] == '~') ||
		    (i + 3 < n && memcmp(s + i, "<!--", 4) == 0))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!classifier) {
		wr_error err;
		wr_classify_options opt;
		wr_classify_options_init(&opt);
		opt.contracts = wr_contracts_builtin(&err); /* kept for the process's life */
		classifier = wr_classifier_new(&opt);
		if (!opt.contracts || !classifier)
			abort();
	}
	wr_classification c;
	const char *notes = (const char *)data;

	if (wr_classify_notes(classifier, notes, size, &c) < 0)
		abort();
	check(&c, 1);
	int valid = wr_utf8_check(notes, size) == size && !memchr(notes, 0, size);
	if (valid != (c.error[0] == '\0'))
		abort();
	wr_classification_clear(&c);

	/* the same bytes with a line of BLOCKING after them are never clean */
	char *more = malloc(size + 11);
	if (!more)
		return 0;
	memcpy(more, data, size);
	memcpy(more + size, "\nBLOCKING\n", 10);
	if (wr_classify_notes(classifier, more, size + 10, &c) < 0)
		abort();
	check(&c, 1);
	if (!may_hide(data, size) &&
	    (c.severity == WR_SEVERITY_CLEAN || c.severity == WR_SEVERITY_MINOR))
		abort();
	wr_classification_clear(&c);
	free(more);

	/* as a record: JSON input goes through the artifact tier too */
	json_object *rec;
	wr_json_error err;
	if (wr_json_parse(notes, size, NULL, &rec, &err) == 0) {
		if (wr_classify_record(classifier, rec, &c) < 0)
			abort();
		check(&c, 0);
		if (json_object_is_type(rec, json_type_object) && wr_classification_apply(rec, &c) < 0)
			abort();
		wr_classification_clear(&c);
		json_object_put(rec);
	}
	return 0;
}
