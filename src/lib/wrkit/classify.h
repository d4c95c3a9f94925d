/* SPDX-License-Identifier: MIT */
/* wrkit/classify.h: how severe a review is (SPEC section 5).
 *
 * Clean must be proven. Everything is read and the most severe reading wins, in the
 * order clean < minor < unknown < blocking: every verdict artifact (wr.review_verdict
 * and its near-miss kinds; one invalid under the contracts is unknown, never
 * skipped), every verdict block fenced in the notes, and the notes themselves (the
 * keyword scan outside code, and the proof of clean: an unqualified approval, nothing
 * incomplete or stale, readable text). Notes with no signal are unknown alone and add
 * nothing beside a verdict. A record with an "error" key is unknown. Pure: nothing
 * here prints; invalid artifacts are also reported through a callback. The rules are
 * in docs/classification.md and wr-classify(1); the cases that pin them in
 * tests/data/classify.
 */
#ifndef WRKIT_CLASSIFY_H
#define WRKIT_CLASSIFY_H

#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/contracts.h"
#include "wrkit/json_input.h"
#include "wrkit/schema.h"

/* The values are not in the order of severity: compare with wr_severity_rank. */
typedef enum wr_severity {
	WR_SEVERITY_UNKNOWN = 0,
	WR_SEVERITY_CLEAN,
	WR_SEVERITY_MINOR,
	WR_SEVERITY_BLOCKING
} wr_severity;

typedef enum wr_source {
	WR_SOURCE_NONE = 0,
	WR_SOURCE_ARTIFACT,
	WR_SOURCE_NOTES_JSON,
	WR_SOURCE_KEYWORD_SCAN
} wr_source;

/* "unknown", "clean", "minor", "blocking"; "none", "artifact", "notes_json",
 * "keyword_scan". */
const char *wr_severity_name(wr_severity severity);
/* 0 clean, 1 minor, 2 unknown, 3 blocking: the most severe reading wins. */
int wr_severity_rank(wr_severity severity);
const char *wr_source_name(wr_source source);

/* Called for each wr.review_verdict artifact skipped because it is invalid: index is
 * its position in the record's artifacts, issues says why. */
typedef void wr_classify_warn_fn(void *ctx, size_t index, const wr_issues *issues);

typedef struct wr_classify_options {
	const wr_contracts *contracts; /* NULL: no artifact tier, no verdicts in notes */
	wr_json_limits limits;         /* bound the JSON blocks read from notes */
	wr_classify_warn_fn *warn;     /* may be NULL */
	void *warn_ctx;
} wr_classify_options;

/* No contracts, default limits, no warnings. */
void wr_classify_options_init(wr_classify_options *opt);

/* A classifier: the options and the tables of the keyword scan, built once and then
 * only read, so that one serves any number of calls. */
typedef struct wr_classifier wr_classifier;

/* opt is copied (NULL for the defaults); the contracts it names must outlive the
 * classifier. Returns NULL when out of memory. */
wr_classifier *wr_classifier_new(const wr_classify_options *opt);
void wr_classifier_free(wr_classifier *cl);

#define WR_EVIDENCE_MAX 5       /* at most this many evidence entries */
#define WR_EVIDENCE_TEXT 484    /* 120 code points and a NUL */

/* What decided (SPEC 5.5): the tier ("artifact", "notes_json", "keyword_scan", or
 * "none"), the line of the notes (1-based; for the artifact tier the artifact's index
 * in the record's artifacts; 0 when there is none) and the text, cut to 120 code
 * points. */
typedef struct wr_evidence {
	char tier[16];
	size_t line;
	char text[WR_EVIDENCE_TEXT];
} wr_evidence;

#define WR_FINDINGS_FROM_NOTES 5  /* at most this many finding lines from notes */
#define WR_FINDING_MAX_CHARS 120  /* each cut to this many code points */

typedef struct wr_classification {
	wr_severity severity;
	wr_source source;
	json_object *findings; /* array of strings (owned; may be empty, never NULL after
	                          a successful call) */
	char confidence[8];    /* "high", "medium", "low", or "" for none */
	char error[256];       /* "" or why the input could not be classified (then the
	                          severity is unknown and the source none) */
	wr_evidence evidence[WR_EVIDENCE_MAX];
	size_t n_evidence;
} wr_classification;

/* Classifies notes (NULL is null notes) by the notes tier alone. Returns 0, or -1 when
 * out of memory (*out then holds nothing to free). */
int wr_classify_notes(const wr_classifier *cl, const char *notes, size_t len,
                      wr_classification *out);

/* Classifies a pipeline record by both tiers: its "artifacts" and "recapMarkdown".
 * A recapMarkdown that is not a string or null, or artifacts that are not an array
 * or null, make it unknown with an error. Returns 0, or -1 when out of memory. */
int wr_classify_record(const wr_classifier *cl, json_object *rec, wr_classification *out);

/* Sets severity, source, findings, confidence and evidence on rec (replacing them where they
 * are, else appending), and error when c has one and rec has none. Returns 0 or -1. */
int wr_classification_apply(json_object *rec, const wr_classification *c);

/* The evidence as a new JSON array of {"tier","line","text"}, or NULL when out of
 * memory. */
json_object *wr_classification_evidence(const wr_classification *c);

/* Releases what c holds; c may then be reused. */
void wr_classification_clear(wr_classification *c);

#endif
