/* Classification of reviews (SPEC 5): the tiers in order, and the record fields. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"
#include "wrkit/record.h"

const char *wr_severity_name(wr_severity severity)
{
	switch (severity) {
	case WR_SEVERITY_CLEAN: return "clean";
	case WR_SEVERITY_MINOR: return "minor";
	case WR_SEVERITY_BLOCKING: return "blocking";
	default: return "unknown";
	}
}

const char *wr_source_name(wr_source source)
{
	switch (source) {
	case WR_SOURCE_ARTIFACT: return "artifact";
	case WR_SOURCE_NOTES_JSON: return "notes_json";
	case WR_SOURCE_KEYWORD_SCAN: return "keyword_scan";
	default: return "none";
	}
}

void wr_classify_options_init(wr_classify_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->limits = wr_json_default_limits();
}

wr_classifier *wr_classifier_new(const wr_classify_options *opt)
{
	wr_classifier *cl = malloc(sizeof *cl);
	if (!cl)
		return NULL;
	if (opt)
		cl->opt = *opt;
	else
		wr_classify_options_init(&cl->opt);
	lex_table_build(&cl->words);
	return cl;
}

void wr_classifier_free(wr_classifier *cl)
{
	free(cl);
}

void wr_classification_clear(wr_classification *c)
{
	if (c->findings)
		json_object_put(c->findings);
	memset(c, 0, sizeof *c);
}

static int result_init(wr_classification *out)
{
	memset(out, 0, sizeof *out);
	out->findings = json_object_new_array();
	return out->findings ? 0 : -1;
}

/* Unknown, with why; whatever was found before is dropped. */
static int fail_closed(wr_classification *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail_closed(wr_classification *out, const char *fmt, ...)
{
	va_list ap;
	json_object *empty = json_object_new_array();
	if (!empty)
		return -1;
	json_object_put(out->findings);
	out->findings = empty;
	out->severity = WR_SEVERITY_UNKNOWN;
	out->source = WR_SOURCE_NONE;
	out->confidence[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof out->error, fmt, ap);
	va_end(ap);
	return 0;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

/* The notes tier into an initialized out. */
static int notes_tier(const wr_classifier *cl, const char *notes, size_t len,
                      wr_classification *out)
{
	if (!notes || is_blank(notes, len))
		return 0; /* unknown, none */
	const char *nul = memchr(notes, '\0', len);
	if (nul)
		return fail_closed(out, "notes hold a NUL byte at offset %zu", (size_t)(nul - notes));
	size_t bad = wr_utf8_check(notes, len);
	if (bad < len)
		return fail_closed(out, "notes are not valid UTF-8 (byte offset %zu)", bad);
	int rc = classify_json_blocks(notes, len, &cl->opt, out);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	out->source = WR_SOURCE_KEYWORD_SCAN;
	if (classify_scan(&cl->words, notes, len, WR_FINDINGS_FROM_NOTES, out->findings,
	                  &out->severity) < 0)
		return -1;
	/* Clean notes that list findings contradict themselves, as a clean verdict with
	 * findings does: something is left to fix. */
	if (out->severity == WR_SEVERITY_CLEAN && json_object_array_length(out->findings) > 0)
		out->severity = WR_SEVERITY_MINOR;
	return 0;
}

int wr_classify_notes(const wr_classifier *cl, const char *notes, size_t len,
                      wr_classification *out)
{
	if (result_init(out) < 0)
		return -1;
	if (notes_tier(cl, notes, len, out) < 0) {
		wr_classification_clear(out);
		return -1;
	}
	return 0;
}

/* The first valid wr.review_verdict of artifacts. Returns 1 when one decided out, 0
 * when there is none, -1 when out of memory. */
static int artifact_tier(json_object *artifacts, const wr_classify_options *opt,
                         wr_classification *out)
{
	const wr_contract *c = wr_contracts_by_kind(opt->contracts, "wr.review_verdict");
	size_t n = json_object_array_length(artifacts);

	if (!c)
		return 0;
	for (size_t i = 0; i < n; i++) {
		json_object *a = wr_artifact_unwrap(json_object_array_get_idx(artifacts, i));
		json_object *kind;
		if (!json_object_is_type(a, json_type_object) ||
		    !json_object_object_get_ex(a, "kind", &kind) ||
		    !json_object_is_type(kind, json_type_string) ||
		    strcmp(json_object_get_string(kind), "wr.review_verdict") != 0)
			continue;
		wr_issues issues;
		wr_issues_init(&issues);
		if (wr_schema_validate(c->schema, a, &issues)) {
			wr_issues_clear(&issues);
			return classify_from_verdict(a, "verdict", WR_SOURCE_ARTIFACT, out) < 0 ? -1 : 1;
		}
		if (opt->warn)
			opt->warn(opt->warn_ctx, i, &issues);
		wr_issues_clear(&issues);
	}
	return 0;
}

int wr_classify_record(const wr_classifier *cl, json_object *rec, wr_classification *out)
{
	const wr_classify_options *opt = &cl->opt;
	json_object *notes = NULL, *artifacts = NULL;
	int rc;

	if (result_init(out) < 0)
		return -1;
	if (!json_object_is_type(rec, json_type_object)) {
		rc = fail_closed(out, "a record must be a JSON object");
	} else if (json_object_object_get_ex(rec, "recapMarkdown", &notes) && notes &&
	           !json_object_is_type(notes, json_type_string)) {
		rc = fail_closed(out, "recapMarkdown is not a string or null");
	} else if (json_object_object_get_ex(rec, "artifacts", &artifacts) && artifacts &&
	           !json_object_is_type(artifacts, json_type_array)) {
		rc = fail_closed(out, "artifacts is not an array or null");
	} else if (wr_record_degraded(rec)) {
		/* degraded upstream: unknown, whatever it holds; its error says why */
		out->severity = WR_SEVERITY_UNKNOWN;
		out->source = WR_SOURCE_NONE;
		rc = 0;
	} else {
		rc = artifacts && opt->contracts ? artifact_tier(artifacts, opt, out) : 0;
		if (rc == 0)
			rc = notes_tier(cl, notes ? json_object_get_string(notes) : NULL,
			                notes ? (size_t)json_object_get_string_len(notes) : 0, out);
		else if (rc == 1)
			rc = 0;
	}
	if (rc < 0) {
		wr_classification_clear(out);
		return -1;
	}
	return 0;
}

static int set_field(json_object *rec, const char *key, json_object *value)
{
	if (json_object_object_add(rec, key, value) < 0) {
		json_object_put(value);
		return -1;
	}
	return 0;
}

int wr_classification_apply(json_object *rec, const wr_classification *c)
{
	json_object *sev = json_object_new_string(wr_severity_name(c->severity));
	json_object *src = json_object_new_string(wr_source_name(c->source));
	json_object *findings = c->findings ? json_object_get(c->findings) : json_object_new_array();
	json_object *conf = c->confidence[0] ? json_object_new_string(c->confidence) : NULL;

	if (!sev || !src || !findings || (c->confidence[0] && !conf)) {
		json_object_put(sev);
		json_object_put(src);
		json_object_put(findings);
		json_object_put(conf);
		return -1;
	}
	if (set_field(rec, "severity", sev) < 0) {
		json_object_put(src);
		json_object_put(findings);
		json_object_put(conf);
		return -1;
	}
	if (set_field(rec, "source", src) < 0) {
		json_object_put(findings);
		json_object_put(conf);
		return -1;
	}
	if (set_field(rec, "findings", findings) < 0) {
		json_object_put(conf);
		return -1;
	}
	if (json_object_object_add(rec, "confidence", conf) < 0) {
		json_object_put(conf);
		return -1;
	}
	/* An earlier stage's error is the first cause: it stays, ours follows it. */
	if (c->error[0] && wr_record_add_error(rec, c->error) < 0)
		return -1;
	return 0;
}
