/* SPDX-License-Identifier: MIT */
/* Classification of reviews (SPEC 5): every tier read, the most severe wins, and the
 * record fields. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"
#include "wrkit/record.h"

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
	if (phrase_index_build(&cl->phrases) < 0) {
		/* a phrase table over its limits would be read in part: refuse it (a unit
		 * test keeps the table within them) */
		free(cl);
		return NULL;
	}
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
	classify_evidence_set(&out->evidence[0], "none", 0, out->error, strlen(out->error));
	out->n_evidence = 1;
	return 0;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

static const wr_severity rank_severity[4] = {WR_SEVERITY_CLEAN, WR_SEVERITY_MINOR,
                                             WR_SEVERITY_UNKNOWN, WR_SEVERITY_BLOCKING};

/* The line of the notes holding offset at of the copy (lines are kept by the copy). */
static void add_line(verdict_acc *acc, int rank, wr_source src, const char *notes, size_t len,
                     const char *copy, size_t at, const char *why)
{
	size_t line = 1, start = 0;
	char buf[WR_EVIDENCE_TEXT];
	for (const char *p = copy, *stop = copy + at; (p = memchr(p, '\n', (size_t)(stop - p))) != NULL; p++)
		line++;
	for (size_t l = 1; l < line; l++) {
		const char *nl = memchr(notes + start, '\n', len - start);
		if (!nl)
			break;
		start = (size_t)(nl - notes) + 1;
	}
	size_t end = start;
	while (end < len && notes[end] != '\n')
		end++;
	while (start < end && (notes[start] == ' ' || notes[start] == '\t'))
		start++;
	if (why)
		snprintf(buf, sizeof buf, "%s: %.*s", why, (int)(end - start > 300 ? 300 : end - start),
		         notes + start);
	else
		snprintf(buf, sizeof buf, "%.*s", (int)(end - start > 400 ? 400 : end - start),
		         notes + start);
	acc_add(acc, rank, src, line, buf, strlen(buf));
}

/* Whether the text of the HTML comments names a finding: a severity word or a problem
 * the keyword scan reads, or a finding, doubt or refusal the proof reads. 1, 0, or -1. */
static int hidden_signal(const wr_classifier *cl, char *text, size_t len)
{
	proof_result pr;
	memset(&pr, 0, sizeof pr);
	text[len] = '\0';
	proof_scan(&cl->phrases, text, len, &pr);
	if (pr.out_of_memory)
		return -1;
	if (pr.hit[PK_BLOCKING].seen || pr.hit[PK_MINOR].seen || pr.hit[PK_DOUBT].seen)
		return 1;
	wr_severity sev = WR_SEVERITY_UNKNOWN;
	size_t at = 0;
	json_object *scratch = json_object_new_array();
	if (!scratch || classify_scan(&cl->words, text, len, 0, scratch, &sev, 1, &at) < 0) {
		json_object_put(scratch);
		return -1;
	}
	json_object_put(scratch);
	return sev == WR_SEVERITY_MINOR || sev == WR_SEVERITY_BLOCKING;
}

/* Sets the proof's doubt, with why, when text (set aside from the notes; NULL for
 * none) names a finding. Returns 0, or -1 when out of memory. */
static int set_aside_doubt(const wr_classifier *cl, char *text, size_t len, proof_result *pr,
                           const char *why)
{
	if (!text)
		return 0;
	int doubt = hidden_signal(cl, text, len);
	if (doubt < 0)
		return -1;
	if (doubt && !pr->hit[PK_DOUBT].seen)
		pr->hit[PK_DOUBT] = (proof_hit){1, 0, why};
	return 0;
}

/* Reads notes into acc (SPEC 5.2-5.4). src is the tier their signals are credited to
 * (keyword_scan, or artifact for a verdict's summary); line_base replaces line
 * numbers when not 0. Returns 0, 1 with out->error set (notes unreadable), or -1. */
static int read_notes(const wr_classifier *cl, const char *notes, size_t len, verdict_acc *acc,
                      wr_source src, size_t line_base, json_object *findings,
                      wr_classification *out)
{
	if (!notes || is_blank(notes, len))
		return 0;
	const char *nul = memchr(notes, '\0', len);
	if (nul) {
		snprintf(out->error, sizeof out->error, "notes hold a NUL byte at offset %zu",
		         (size_t)(nul - notes));
		return 1;
	}
	size_t bad = wr_utf8_check(notes, len);
	if (bad < len) {
		snprintf(out->error, sizeof out->error, "notes are not valid UTF-8 (byte offset %zu)", bad);
		return 1;
	}
	if (src != WR_SOURCE_ARTIFACT &&
	    classify_json_blocks(notes, len, &cl->opt, acc, findings, out->confidence) < 0)
		return -1;

	proof_result pr;
	char *copy;
	size_t clen;
	memset(&pr, 0, sizeof pr);
	if (proof_clean(notes, len, &copy, &clen, &pr) < 0) {
		free(pr.hidden);
		free(pr.quoted);
		return -1;
	}
	proof_scan(&cl->phrases, copy, clen, &pr);
	/* HTML comments hold no signal (SPEC 5.3), but a severity word or a problem
	 * hidden in one leaves doubt: such notes cannot be proven clean. Quoted lines
	 * are history, when the notes say what was fixed; a finding quoted with nothing
	 * saying so may be the reviewer's own, formatted as a quote: doubt too. */
	int rc = pr.out_of_memory ? -1 : 0;
	if (rc == 0)
		rc = set_aside_doubt(cl, pr.hidden, pr.hidden_len, &pr, "an HTML comment holds a finding");
	if (rc == 0 && !pr.fix_reported)
		rc = set_aside_doubt(cl, pr.quoted, pr.quoted_len, &pr,
		                     "a quoted line holds a finding, and nothing says it was fixed");
	free(pr.hidden);
	free(pr.quoted);
	if (rc < 0) {
		free(copy);
		return -1;
	}
	if (!pr.hit[PK_BLOCKING].seen) {
		if (pr.other_letters > pr.latin_letters)
			pr.hit[PK_DOUBT] = (proof_hit){1, 0, "notes mostly in a script the scan does not read"};
		else if (pr.foreign_words >= 2 && pr.foreign_words * 4 > pr.words)
			pr.hit[PK_DOUBT] = (proof_hit){1, 0, "notes mostly in a language the scan does not read"};
	}
	wr_severity sev = WR_SEVERITY_UNKNOWN;
	size_t at = 0;
	json_object *scratch = json_object_new_array();
	if (!scratch || classify_scan(&cl->words, copy, clen, 0, scratch, &sev, 1, &at) < 0) {
		json_object_put(scratch);
		free(copy);
		return -1;
	}
	json_object_put(scratch);
	/* finding lines from the notes as written (their code kept) */
	wr_severity ignored;
	size_t before = findings ? json_object_array_length(findings) : 0;
	if (findings && classify_scan(&cl->words, notes, len, WR_FINDINGS_FROM_NOTES, findings,
	                              &ignored, 0, NULL) < 0) {
		free(copy);
		return -1;
	}
	int listed = findings && json_object_array_length(findings) > before;

	static const int kind_rank[PK_KINDS] = {3, 1, 2, 0};
	for (int k = 0; k < PK_KINDS; k++)
		if (pr.hit[k].seen) {
			if (line_base)
				acc_add(acc, kind_rank[k], src, line_base, pr.hit[k].why, strlen(pr.hit[k].why));
			else
				add_line(acc, kind_rank[k], src, notes, len, copy, pr.hit[k].at, pr.hit[k].why);
		}
	if (sev != WR_SEVERITY_UNKNOWN) {
		int rank = wr_severity_rank(sev);
		if (line_base) {
			const char *t = rank == 0 ? "an approval in the summary" : "a finding in the summary";
			acc_add(acc, rank, src, line_base, t, strlen(t));
		} else {
			add_line(acc, rank, src, notes, len, copy, at, NULL);
		}
		/* clean notes that list findings contradict themselves: something is left */
		if (rank == 0 && listed)
			acc_add(acc, 1, src, line_base, "the notes list findings", 23);
	}
	free(copy);
	return 0;
}

/* Sets out from acc: the most severe rank decides. */
static void acc_finish(const verdict_acc *acc, wr_classification *out)
{
	int rank = -1;
	for (int r = 3; r >= 0 && rank < 0; r--)
		if (acc->seen[r])
			rank = r;
	if (rank < 0) {
		out->severity = WR_SEVERITY_UNKNOWN;
		out->source = WR_SOURCE_NONE;
		classify_evidence_set(&out->evidence[0], "none", 0,
		             "nothing says clean: no verdict, no approval, no finding", 55);
		out->n_evidence = 1;
		return;
	}
	out->severity = rank_severity[rank];
	out->source = acc->by_artifact[rank] ? WR_SOURCE_ARTIFACT
	              : acc->by_block[rank]  ? WR_SOURCE_NOTES_JSON
	                                     : WR_SOURCE_KEYWORD_SCAN;
	memcpy(out->evidence, acc->ev[rank], acc->nev[rank] * sizeof *out->evidence);
	out->n_evidence = acc->nev[rank];
}

static int notes_tier(const wr_classifier *cl, const char *notes, size_t len,
                      wr_classification *out)
{
	verdict_acc *acc = calloc(1, sizeof *acc);
	if (!acc)
		return -1;
	int rc = read_notes(cl, notes, len, acc, WR_SOURCE_KEYWORD_SCAN, 0, out->findings, out);
	if (rc == 0)
		acc_finish(acc, out);
	free(acc);
	if (rc == 1) {
		char why[256];
		memcpy(why, out->error, sizeof why);
		return fail_closed(out, "%s", why);
	}
	return rc;
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

/* Whether kind is wr.review_verdict but for case, '-', '_', '.' or the "wr." prefix. */
static int near_verdict_kind(const char *kind)
{
	char folded[64];
	size_t n = 0;
	for (const char *p = kind; *p && n < sizeof folded - 1; p++) {
		if (*p == '-' || *p == '_' || *p == '.')
			continue;
		folded[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	folded[n] = '\0';
	return strcmp(folded, "wrreviewverdict") == 0 || strcmp(folded, "reviewverdict") == 0;
}

/* Every verdict artifact into acc (SPEC 5.1). Returns 0 or -1. */
static int artifact_tier(const wr_classifier *cl, json_object *artifacts, verdict_acc *acc,
                         int *valid_any, wr_classification *out)
{
	const wr_classify_options *opt = &cl->opt;
	const wr_contract *c = opt->contracts ? wr_contracts_by_kind(opt->contracts, "wr.review_verdict") : NULL;
	size_t n = json_object_array_length(artifacts);
	char msg[WR_EVIDENCE_TEXT];

	for (size_t i = 0; i < n; i++) {
		json_object *a = wr_artifact_unwrap(json_object_array_get_idx(artifacts, i));
		json_object *kind, *tmp;
		if (!json_object_is_type(a, json_type_object))
			continue;
		int has_kind = json_object_object_get_ex(a, "kind", &kind);
		int exact = has_kind && json_object_is_type(kind, json_type_string) &&
		            strcmp(json_object_get_string(kind), "wr.review_verdict") == 0 &&
		            (size_t)json_object_get_string_len(kind) == strlen("wr.review_verdict");
		int near = has_kind && json_object_is_type(kind, json_type_string) &&
		           near_verdict_kind(json_object_get_string(kind));
		int kindless = !has_kind && json_object_object_get_ex(a, "verdict", &tmp) &&
		               json_object_object_get_ex(a, "findings", &tmp);
		if (!exact && !near && !kindless)
			continue;
		if (!exact || !c) {
			snprintf(msg, sizeof msg, "artifact %zu: %s", i,
			         !c ? "no wr.review_verdict contract in force to check the verdict"
			         : kindless ? "a verdict without a kind: not a valid wr.review_verdict"
			                    : "a verdict whose kind is not exactly wr.review_verdict");
			acc_add(acc, 2, WR_SOURCE_ARTIFACT, i, msg, strlen(msg));
			continue;
		}
		wr_issues issues;
		wr_issues_init(&issues);
		if (!wr_schema_validate(c->schema, a, &issues)) {
			if (opt->warn)
				opt->warn(opt->warn_ctx, i, &issues);
			for (size_t k = 0; k < issues.count && k < WR_EVIDENCE_MAX; k++) {
				snprintf(msg, sizeof msg, "artifact %zu invalid: %s: %s", i,
				         issues.items[k].path, issues.items[k].message);
				acc_add(acc, 2, WR_SOURCE_ARTIFACT, i, msg, strlen(msg));
			}
			if (issues.count == 0) {
				snprintf(msg, sizeof msg, "artifact %zu invalid", i);
				acc_add(acc, 2, WR_SOURCE_ARTIFACT, i, msg, strlen(msg));
			}
			wr_issues_clear(&issues);
			continue;
		}
		wr_issues_clear(&issues);
		*valid_any = 1;
		int rank = classify_verdict_rank(a, "verdict", out->findings, out->confidence);
		if (rank < 0)
			return -1;
		json_object *v;
		json_object_object_get_ex(a, "verdict", &v);
		snprintf(msg, sizeof msg, "artifact %zu: verdict %s", i, json_object_get_string(v));
		acc_add(acc, rank, WR_SOURCE_ARTIFACT, i, msg, strlen(msg));
		/* the summary is read like notes: a qualified or refused approval counts */
		json_object *sum;
		if (json_object_object_get_ex(a, "summary", &sum) && json_object_is_type(sum, json_type_string)) {
			int rc = read_notes(cl, json_object_get_string(sum), (size_t)json_object_get_string_len(sum),
			                    acc, WR_SOURCE_ARTIFACT, i, NULL, out);
			if (rc < 0)
				return -1;
			if (rc == 1) {
				out->error[0] = '\0';
				acc_add(acc, 2, WR_SOURCE_ARTIFACT, i, "unreadable summary", 18);
			}
		}
	}
	return 0;
}

int wr_classify_record(const wr_classifier *cl, json_object *rec, wr_classification *out)
{
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
		/* degraded upstream: unknown, whatever it holds; its error, kept by apply,
		 * says why */
		out->severity = WR_SEVERITY_UNKNOWN;
		out->source = WR_SOURCE_NONE;
		classify_evidence_set(&out->evidence[0], "none", 0,
		                      "the record carries an error from an earlier stage", 50);
		out->n_evidence = 1;
		rc = 0;
	} else {
		verdict_acc *acc = calloc(1, sizeof *acc);
		int valid_any = 0;
		json_object *notes_findings = json_object_new_array();
		rc = acc && notes_findings ? 0 : -1;
		if (rc == 0 && artifacts)
			rc = artifact_tier(cl, artifacts, acc, &valid_any, out);
		if (rc == 0) {
			rc = read_notes(cl, notes ? json_object_get_string(notes) : NULL,
			                notes ? (size_t)json_object_get_string_len(notes) : 0, acc,
			                WR_SOURCE_KEYWORD_SCAN, 0, notes_findings, out);
			if (rc == 0) {
				acc_finish(acc, out);
				/* findings: the verdicts' summaries, else the notes' finding lines */
				if (json_object_array_length(out->findings) == 0) {
					json_object_put(out->findings);
					out->findings = json_object_get(notes_findings);
				}
			} else if (rc == 1) {
				char why[256];
				memcpy(why, out->error, sizeof why);
				rc = fail_closed(out, "%s", why);
			}
		}
		(void)valid_any;
		json_object_put(notes_findings);
		free(acc);
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

json_object *wr_classification_evidence(const wr_classification *c)
{
	json_object *ev = json_object_new_array();
	if (!ev)
		return NULL;
	for (size_t i = 0; i < c->n_evidence; i++) {
		json_object *e = json_object_new_object();
		if (!e || json_object_array_add(ev, e) < 0) {
			json_object_put(e);
			json_object_put(ev);
			return NULL;
		}
		json_object *t = json_object_new_string(c->evidence[i].tier);
		json_object *l = json_object_new_int64((int64_t)c->evidence[i].line);
		json_object *x = json_object_new_string(c->evidence[i].text);
		if (!t || !l || !x || json_object_object_add(e, "tier", t) < 0) {
			json_object_put(t);
			json_object_put(l);
			json_object_put(x);
			json_object_put(ev);
			return NULL;
		}
		if (json_object_object_add(e, "line", l) < 0) {
			json_object_put(l);
			json_object_put(x);
			json_object_put(ev);
			return NULL;
		}
		if (json_object_object_add(e, "text", x) < 0) {
			json_object_put(x);
			json_object_put(ev);
			return NULL;
		}
	}
	return ev;
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
	json_object *ev = wr_classification_evidence(c);
	if (!ev)
		return -1;
	if (set_field(rec, "evidence", ev) < 0)
		return -1;
	/* An earlier stage's error is the first cause: it stays, ours follows it. */
	if (c->error[0] && wr_record_add_error(rec, c->error) < 0)
		return -1;
	return 0;
}
