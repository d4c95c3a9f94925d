/* SPDX-License-Identifier: MIT */
/* The structured tiers: verdict objects, and verdict blocks fenced in notes (SPEC 5.1, 5.2). */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classify_internal.h"
#include "classify_lex.h"
#include "classify_lines.h"

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

static void set_confidence(json_object *obj, char *confidence)
{
	const char *conf = string_member(obj, "confidence", NULL);
	static const char *const bands[] = {"high", "medium", "low"};
	for (size_t i = 0; confidence && conf && i < 3; i++)
		if (strcasecmp(conf, bands[i]) == 0 && !confidence[0])
			strcpy(confidence, bands[i]);
}

int classify_verdict_rank(json_object *obj, const char *verdict_key, json_object *findings,
                          char *confidence)
{
	wr_severity sev = classify_verdict_severity(string_member(obj, verdict_key, NULL));
	int rank = wr_severity_rank(sev);
	json_object *list;

	if (json_object_object_get_ex(obj, "findings", &list) &&
	    json_object_is_type(list, json_type_array)) {
		size_t n = json_object_array_length(list);
		for (size_t i = 0; i < n; i++) {
			json_object *f = json_object_array_get_idx(list, i);
			const char *summary = NULL;
			size_t len = 0;
			/* a finding raises its verdict: critical or major to blocking, minor
			 * (or a severity not named) from clean to minor; a nit leaves it */
			int fr = 1;
			if (json_object_is_type(f, json_type_object)) {
				summary = string_member(f, "summary", &len);
				const char *named = string_member(f, "severity", NULL);
				wr_severity fs = classify_finding_severity(named);
				if (named && (strcasecmp(named, "nit") == 0 || strcasecmp(named, "nits") == 0 ||
				              strcasecmp(named, "info") == 0 || strcasecmp(named, "trivial") == 0))
					fr = 0;
				else if (fs == WR_SEVERITY_BLOCKING)
					fr = 3;
			} else if (json_object_is_type(f, json_type_string)) {
				summary = json_object_get_string(f);
				len = (size_t)json_object_get_string_len(f);
			}
			if (fr == 3)
				rank = 3;
			else if (fr == 1 && rank == 0)
				rank = 1;
			if (findings && summary && len > 0 &&
			    classify_finding_add(findings, summary, len, SIZE_MAX) < 0)
				return -1;
		}
	}
	set_confidence(obj, confidence);
	return rank;
}

/* Whether the block's text names a verdict field: a block that does not parse but
 * does is a broken verdict, unknown. */
static int names_verdict(const char *text, size_t start, size_t end)
{
	static const char *const keys[] = {"\"recommendation\"", "\"verdict\"", "recommendation:",
	                                   "verdict:"};
	for (size_t k = 0; k < 4; k++) {
		size_t kl = strlen(keys[k]);
		for (size_t i = start; i + kl <= end; i++)
			if (strncasecmp(text + i, keys[k], kl) == 0)
				return 1;
	}
	return 0;
}

static size_t line_of(const char *text, size_t at)
{
	size_t line = 1;
	for (size_t i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

/* Judges one block's text into acc. Returns 0, or -1 when out of memory. */
static int judge_block(const char *text, size_t start, size_t end, size_t open_at,
                       const wr_classify_options *opt, verdict_acc *acc, json_object *findings,
                       char *confidence)
{
	json_object *doc = NULL;
	wr_json_error err;
	char msg[200];
	size_t line = line_of(text, open_at);

	if (wr_json_parse(text + start, end - start, &opt->limits, &doc, &err) < 0) {
		if (err.status == WR_JSON_NOMEM)
			return -1;
		if (names_verdict(text, start, end)) {
			snprintf(msg, sizeof msg, "a verdict block that does not parse: %.150s", err.message);
			acc_add(acc, 2, WR_SOURCE_NOTES_JSON, line, msg, strlen(msg));
		}
		return 0;
	}
	json_object *obj = wr_artifact_unwrap(doc);
	const char *key = NULL;
	json_object *v;
	if (json_object_is_type(obj, json_type_object)) {
		if (json_object_object_get_ex(obj, "recommendation", &v))
			key = "recommendation";
		else if (json_object_object_get_ex(obj, "verdict", &v))
			key = "verdict";
	}
	if (key) {
		int rank = classify_verdict_rank(obj, key, findings, confidence);
		if (rank < 0) {
			json_object_put(doc);
			return -1;
		}
		const char *val = string_member(obj, key, NULL);
		snprintf(msg, sizeof msg, "%s: %.60s%s", key, val ? val : "(not a string)",
		         rank == 2 ? " (not clean, minor or blocking)" : "");
		acc_add(acc, rank, WR_SOURCE_NOTES_JSON, line, msg, strlen(msg));
	}
	json_object_put(doc);
	return 0;
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
                         verdict_acc *acc, json_object *findings, char *confidence)
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
		if (body_end <= body)
			continue;
		/* only a block whose first non-blank byte opens an object can be a verdict */
		size_t b = body;
		while (b < body_end && strchr(" \t\r\n", text[b]))
			b++;
		if (b == body_end || text[b] != '{')
			continue;
		if (judge_block(text, body, body_end, open.start, opt, acc, findings, confidence) < 0)
			return -1;
	}
	return 0;
}
