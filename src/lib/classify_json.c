/* SPDX-License-Identifier: MIT */
/* The structured tiers: verdict objects, from fenced ```json blocks of notes. */
#include <config.h>

#include <string.h>
#include <strings.h>

#include "classify_internal.h"
#include "classify_lex.h"

wr_severity classify_verdict_severity(const char *verdict)
{
	if (!verdict)
		return WR_SEVERITY_UNKNOWN;
	if (strcmp(verdict, "clean") == 0)
		return WR_SEVERITY_CLEAN;
	if (strcmp(verdict, "minor") == 0)
		return WR_SEVERITY_MINOR;
	if (strcmp(verdict, "blocking") == 0)
		return WR_SEVERITY_BLOCKING;
	return WR_SEVERITY_UNKNOWN;
}

wr_severity classify_finding_severity(const char *severity)
{
	static const char *const blocking[] = {"critical", "major", "blocking", "blocker",
	                                       "high", "medium"};
	static const char *const minor[] = {"minor", "nit", "nits", "low", "suggestion",
	                                    "trivial", "info"};
	if (!severity)
		return WR_SEVERITY_UNKNOWN;
	for (size_t i = 0; i < sizeof blocking / sizeof *blocking; i++)
		if (strcasecmp(severity, blocking[i]) == 0)
			return WR_SEVERITY_BLOCKING;
	for (size_t i = 0; i < sizeof minor / sizeof *minor; i++)
		if (strcasecmp(severity, minor[i]) == 0)
			return WR_SEVERITY_MINOR;
	return WR_SEVERITY_UNKNOWN;
}

static const char *string_member(json_object *obj, const char *key, size_t *len)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	if (len)
		*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

int classify_from_verdict(json_object *obj, const char *verdict_key, wr_source source,
                          wr_classification *out)
{
	wr_severity sev = classify_verdict_severity(string_member(obj, verdict_key, NULL));
	json_object *findings;

	if (json_object_object_get_ex(obj, "findings", &findings) &&
	    json_object_is_type(findings, json_type_array)) {
		size_t n = json_object_array_length(findings);
		for (size_t i = 0; i < n; i++) {
			json_object *f = json_object_array_get_idx(findings, i);
			const char *summary = NULL;
			size_t len = 0;
			/* The verdict decides (SPEC section 5), except that one contradicted by
			 * its own critical or major finding cannot stand: a blocking finding
			 * makes the review blocking. Milder findings beside a clean verdict
			 * ("approve, with nits") leave it clean. */
			wr_severity fs = WR_SEVERITY_MINOR;
			if (json_object_is_type(f, json_type_object)) {
				summary = string_member(f, "summary", &len);
				wr_severity named = classify_finding_severity(string_member(f, "severity", NULL));
				if (named != WR_SEVERITY_UNKNOWN)
					fs = named;
			} else if (json_object_is_type(f, json_type_string)) {
				summary = json_object_get_string(f);
				len = (size_t)json_object_get_string_len(f);
			}
			if (fs == WR_SEVERITY_BLOCKING)
				sev = fs;
			if (summary && len > 0 && classify_finding_add(out->findings, summary, len, SIZE_MAX) < 0)
				return -1;
		}
	}
	const char *conf = string_member(obj, "confidence", NULL);
	static const char *const bands[] = {"high", "medium", "low"};
	for (size_t i = 0; conf && i < 3; i++)
		if (strcasecmp(conf, bands[i]) == 0)
			strcpy(out->confidence, bands[i]);
	out->severity = sev;
	out->source = source;
	return 0;
}

/* {"recommendation": clean|minor|blocking, "findings": [...]} */
static int is_recommendation(json_object *obj)
{
	json_object *findings;
	return classify_verdict_severity(string_member(obj, "recommendation", NULL)) !=
	               WR_SEVERITY_UNKNOWN &&
	       json_object_object_get_ex(obj, "findings", &findings) &&
	       json_object_is_type(findings, json_type_array);
}

/* Whether a fence's info string names JSON: ```json, ``` JSON {...}. */
static int info_is_json(const char *text, size_t start, size_t end)
{
	while (start < end && (text[start] == ' ' || text[start] == '\t'))
		start++;
	if (end - start < 4 || strncasecmp(text + start, "json", 4) != 0)
		return 0;
	start += 4;
	return start == end || text[start] == ' ' || text[start] == '\t' || text[start] == '\r' ||
	       text[start] == '{';
}

/* Judges one block's text. Returns 1 when it decided out, 0 when it is to be ignored,
 * -1 when out of memory. */
static int judge_block(const char *text, size_t start, size_t end,
                       const wr_classify_options *opt, wr_classification *out)
{
	json_object *doc = NULL;
	wr_json_error err;
	int rc = 0;

	if (wr_json_parse(text + start, end - start, &opt->limits, &doc, &err) < 0)
		return err.status == WR_JSON_NOMEM ? -1 : 0;
	if (!json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		return 0;
	}
	json_object *obj = wr_artifact_unwrap(doc);
	if (json_object_is_type(obj, json_type_object)) {
		if (is_recommendation(obj)) {
			rc = classify_from_verdict(obj, "recommendation", WR_SOURCE_NOTES_JSON, out) < 0 ? -1 : 1;
		} else if (opt->contracts) {
			const char *kind = string_member(obj, "kind", NULL);
			const wr_contract *c = wr_contracts_by_kind(opt->contracts, "wr.review_verdict");
			if (c && kind && strcmp(kind, "wr.review_verdict") == 0 &&
			    wr_schema_validate(c->schema, obj, NULL))
				rc = classify_from_verdict(obj, "verdict", WR_SOURCE_NOTES_JSON, out) < 0 ? -1 : 1;
		}
	}
	json_object_put(doc);
	return rc;
}

/* The index of the next run of three c at or after pos, or len. */
static size_t find_run(const char *text, size_t len, size_t pos, char c)
{
	while (pos + 3 <= len) {
		const char *p = memchr(text + pos, c, len - pos - 2);
		if (!p)
			return len;
		size_t i = (size_t)(p - text);
		if (text[i + 1] == c && text[i + 2] == c)
			return i;
		pos = i + 1;
	}
	return len;
}

int classify_json_blocks(const char *text, size_t len, const wr_classify_options *opt,
                         wr_classification *out)
{
	size_t pos = 0, ticks = 0, tildes = 0;
	while (pos < len) {
		/* fences are rare: find the next ``` or ~~~, then see whether it opens a line */
		if (ticks < pos)
			ticks = find_run(text, len, pos, '`');
		if (tildes < pos)
			tildes = find_run(text, len, pos, '~');
		size_t at = ticks < tildes ? ticks : tildes;
		if (at >= len)
			break;
		size_t start = at;
		while (start > 0 && text[start - 1] != '\n')
			start--;
		line_info open;
		line_describe(text, len, start, &open);
		pos = line_next(text, len, &open);
		if (!open.fence || open.content - open.fence_len != at)
			continue;
		int json = info_is_json(text, open.content, open.end);
		size_t body = pos, body_end = len;
		while (pos < len) { /* an unclosed fence runs to the end of the notes */
			line_info li;
			line_describe(text, len, pos, &li);
			if (li.fence == open.fence && li.fence_len >= open.fence_len) {
				size_t i = li.content;
				while (i < li.end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
					i++;
				if (i == li.end) {
					body_end = li.start;
					pos = line_next(text, len, &li);
					break;
				}
			}
			pos = line_next(text, len, &li);
		}
		if (!json || body_end <= body)
			continue;
		int rc = judge_block(text, body, body_end, opt, out);
		if (rc != 0)
			return rc;
	}
	return 0;
}
