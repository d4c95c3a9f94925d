/* SPDX-License-Identifier: MIT */
/* classify_internal.h: the parts of the classifier, shared by its files (internal to
 * libwrkit). */
#ifndef WRKIT_CLASSIFY_INTERNAL_H
#define WRKIT_CLASSIFY_INTERNAL_H

#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/classify.h"

#include "classify_lex.h"
#include "classify_lines.h"
#include "classify_proof.h"

struct wr_classifier {
	wr_classify_options opt;
	lex_table words;
	phrase_index phrases;
};

/* What each reading says, by rank (0 clean, 1 minor, 2 unknown, 3 blocking), with
 * its evidence: the most severe rank decides (SPEC 5.5). */
typedef struct verdict_acc {
	int seen[4];
	int by_artifact[4], by_block[4];
	wr_evidence ev[4][WR_EVIDENCE_MAX];
	size_t nev[4];
} verdict_acc;

void acc_add(verdict_acc *acc, int rank, wr_source src, size_t line, const char *text,
             size_t len);

/* Sets e to tier, line and text, cut to WR_FINDING_MAX_CHARS code points (never inside
 * a UTF-8 sequence), tabs and carriage returns made spaces. */
void classify_evidence_set(wr_evidence *e, const char *tier, size_t line, const char *text,
                           size_t len);

/* The keyword scan of notes (SPEC 5), in one pass over their lines that also appends
 * to findings (an array) up to max bullet or numbered lines that look like findings,
 * emphasis trimmed, each cut to WR_FINDING_MAX_CHARS code points. Returns 0 with
 * *severity, or -1 when out of memory. */
int classify_scan(const lex_table *words, const char *text, size_t len, size_t max,
                  json_object *findings, wr_severity *severity, int judge, size_t *at);

/* The finding lines, a line at a time (lines outside code fences, in order). */
enum section { SEC_NONE, SEC_FINDINGS, SEC_OTHER };

typedef struct findings_state {
	const lexer *lx;
	json_object *out;
	size_t max, taken, section_indent;
	int section; /* what the last heading or label line announced */
} findings_state;

void findings_init(findings_state *f, const lexer *lx, json_object *out, size_t max);
int findings_done(const findings_state *f);
/* Returns 0, or -1 when out of memory. */
int findings_line(findings_state *f, const line_info *li);

/* Appends s[0..len) to findings, cut to max_chars code points (never inside a UTF-8
 * sequence). Returns 0 or -1. */
int classify_finding_add(json_object *findings, const char *s, size_t len, size_t max_chars);

/* The severity a verdict ("clean", "minor", "blocking") or a finding severity
 * ("critical", "major", "minor", "nit", ...) names; unknown when it names none. */
wr_severity classify_verdict_severity(const char *verdict);
wr_severity classify_finding_severity(const char *severity);

/* Fills out from a verdict object (a wr.review_verdict artifact or a notes JSON
 * recommendation): severity is the most severe of the verdict and its findings;
 * findings their summaries; confidence when it names one. verdict_key is "verdict" or
 * "recommendation". Returns 0 or -1. */
int classify_from_verdict(json_object *obj, const char *verdict_key, wr_source source,
                          wr_classification *out);

/* Reads every fenced block of notes that holds (or, not parsing, names) a verdict:
 * a JSON object with a "recommendation" or "verdict" field (SPEC 5.2), into acc.
 * Finding summaries go to findings. Returns 0, or -1 when out of memory. */
int classify_json_blocks(const char *text, size_t len, const wr_classify_options *opt,
                         verdict_acc *acc, json_object *findings, char *confidence);

/* A verdict object's severity (SPEC 5.1): its verdict raised by its findings (critical
 * or major: blocking; minor: clean to minor); unknown when the verdict names no
 * severity. Summaries appended to findings when not NULL. Returns the rank, or -1
 * when out of memory. */
int classify_verdict_rank(json_object *obj, const char *verdict_key, json_object *findings,
                          char *confidence);

#endif
