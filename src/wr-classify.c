/* SPDX-License-Identifier: MIT */
/* wr-classify: how severe each review is, from its verdict artifact or its notes. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wrkit/classify.h"
#include "wrkit/contracts.h"
#include "wrkit/json_input.h"
#include "wrkit/record.h"
#include "wrkit/ndjson.h"

typedef struct prog {
	wr_classifier *classifier;
	wr_json_limits limits;
	int markdown;
	int explain; /* --explain: the evidence for people, on standard error */
	int status; /* the exit code so far */
	/* what the record being classified is, for warnings */
	const char *file;
	unsigned long line;
	const char *session;
} prog;

static void set_status(prog *p, int status)
{
	if (status > p->status)
		p->status = status;
}

/* Where a record comes from, for diagnostics: "FILE:LINE: session S" or "FILE". */
static void describe_origin(const prog *p, char *buf, size_t size)
{
	int n = p->line ? snprintf(buf, size, "%s:%lu", p->file, p->line)
	                : snprintf(buf, size, "%s", p->file);
	if (p->session && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ": session %s", p->session);
}

/* An invalid verdict artifact (the record is unknown): one line naming the session and
 * every issue. */
static void warn_invalid(void *ctx, size_t index, const wr_issues *issues)
{
	const prog *p = ctx;
	char origin[512], msg[3072];
	size_t n;

	describe_origin(p, origin, sizeof origin);
	n = (size_t)snprintf(msg, sizeof msg, "invalid wr.review_verdict artifact %zu (unknown):",
	                     index);
	for (size_t i = 0; i < issues->count && n < sizeof msg; i++) {
		const wr_issue *it = &issues->items[i];
		n += (size_t)snprintf(msg + n, sizeof msg - n, "%s %s: %s", i ? ";" : "",
		                      it->path[0] ? it->path : "(root)", it->message);
	}
	cli_error("%s: %s", origin, msg);
}

/* Records from a stream are flushed one at a time, so that the next stage may act on
 * each at once; records of notes files (-m) need not be. */
static int flush_record(const prog *p)
{
	return p->markdown ? 0 : fflush(stdout);
}

static int write_record(prog *p, json_object *rec)
{
	if (wr_record_write(stdout, rec) < 0 || flush_record(p) == EOF) {
		cli_error("write error: %s", strerror(errno));
		p->status = EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* A record for an input that could not be classified at all; extra (may be NULL) is
 * a field to put first ("file" for -m). */
static int write_failed(prog *p, const char *key, const char *value, const char *error)
{
	json_object *rec = json_object_new_object();
	wr_classification none = {0};
	int rc = -1;

	snprintf(none.error, sizeof none.error, "%s", error);
	snprintf(none.evidence[0].tier, sizeof none.evidence[0].tier, "none");
	snprintf(none.evidence[0].text, sizeof none.evidence[0].text, "%.120s", error);
	none.n_evidence = 1;
	if (rec && (!key || cli_add_string(rec, key, value) == 0) &&
	    wr_classification_apply(rec, &none) == 0)
		rc = write_record(p, rec);
	else {
		cli_error("out of memory");
		p->status = EXIT_USAGE;
	}
	json_object_put(rec);
	return rc;
}

static int has_field(json_object *rec, const char *key)
{
	return json_object_object_get_ex(rec, key, NULL);
}

/* Writes the record as it came (text[0..len), an object) with our fields appended:
 * what it had passes through byte for byte, and is not serialized again. */
static int write_appended(prog *p, json_object *rec, const char *text, size_t len,
                          const wr_classification *c)
{
	size_t close = len;
	while (close > 0 && text[close - 1] != '}')
		close--;
	json_object *ev = wr_classification_evidence(c);
	if (close == 0 || !ev) {
		json_object_put(ev);
		cli_error("out of memory");
		p->status = EXIT_USAGE;
		return -1;
	}
	/* Written straight out: json-c's printer would cut a value short, unsaid, when an
	 * allocation fails. */
	int rc = 0;
	if (fwrite(text, 1, close - 1, stdout) != close - 1 ||
	    printf("%s\"severity\":\"%s\",\"source\":\"%s\",\"findings\":",
	           json_object_object_length(rec) ? "," : "", wr_severity_name(c->severity),
	           wr_source_name(c->source)) < 0)
		rc = -1;
	if (rc == 0 && wr_json_write(stdout, c->findings) < 0)
		rc = -2;
	if (rc == 0 && (fputs(",\"confidence\":", stdout) == EOF ||
	                (c->confidence[0] ? printf("\"%s\"", c->confidence) : fputs("null", stdout)) < 0 ||
	                fputs(",\"evidence\":", stdout) == EOF))
		rc = -1;
	if (rc == 0 && wr_json_write(stdout, ev) < 0)
		rc = -2;
	if (rc == 0 && (fputs("}\n", stdout) == EOF || flush_record(p) == EOF))
		rc = -1;
	if (rc < 0) {
		json_object_put(ev);
		if (rc == -2)
			cli_error("out of memory");
		else
			cli_error("write error: %s", strerror(errno));
		p->status = EXIT_USAGE;
		return -1;
	}
	json_object_put(ev);
	return 0;
}

/* --explain: the decision and its evidence, one line each, on standard error (standard
 * output stays a clean NDJSON stream for the next stage). Control characters are
 * escaped so that one item is one line. */
static void explain(const char *origin, const wr_classification *c)
{
	cli_error("%s: %s (source %s)%s", origin, wr_severity_name(c->severity),
	          wr_source_name(c->source), c->n_evidence ? ", because:" : "");
	for (size_t i = 0; i < c->n_evidence; i++) {
		char text[WR_EVIDENCE_TEXT * 6 + 1];
		size_t n = 0;
		for (const char *t = c->evidence[i].text; *t && n + 7 < sizeof text; t++) {
			unsigned char ch = (unsigned char)*t;
			if (ch < 0x20 || ch == 0x7f)
				n += (size_t)snprintf(text + n, sizeof text - n, "\\u%04x", ch);
			else
				text[n++] = (char)ch;
		}
		text[n] = '\0';
		if (strcmp(c->evidence[i].tier, "artifact") == 0)
			cli_error("%s:   [artifact %zu] %s", origin, c->evidence[i].line, text);
		else if (c->evidence[i].line)
			cli_error("%s:   [%s, line %zu] %s", origin, c->evidence[i].tier, c->evidence[i].line, text);
		else
			cli_error("%s:   [%s] %s", origin, c->evidence[i].tier, text);
	}
}

/* Classifies rec and writes it; text (may be NULL) is the record as it came. Returns
 * -1 when the output failed. */
static int classify_and_write(prog *p, json_object *rec, const char *text, size_t text_len,
                              const char *notes, size_t len)
{
	wr_classification c;
	char origin[512], located[1024];
	int rc = p->markdown ? wr_classify_notes(p->classifier, notes, len, &c)
	                     : wr_classify_record(p->classifier, rec, &c);

	describe_origin(p, origin, sizeof origin);
	if (rc == 0 && p->explain)
		explain(origin, &c);
	if (rc < 0) {
		cli_error("%s: out of memory", origin);
		p->status = EXIT_USAGE;
		memset(&c, 0, sizeof c);
		snprintf(c.error, sizeof c.error, "out of memory");
	}
	if (text && !c.error[0] && c.findings && !has_field(rec, "severity") &&
	    !has_field(rec, "source") && !has_field(rec, "findings") &&
	    !has_field(rec, "confidence") && !has_field(rec, "evidence")) {
		rc = write_appended(p, rec, text, text_len, &c);
		wr_classification_clear(&c);
		return rc;
	}
	/* our error is added below with its origin, after any earlier one */
	char error[sizeof c.error];
	memcpy(error, c.error, sizeof error);
	c.error[0] = '\0';
	if (wr_classification_apply(rec, &c) < 0) {
		wr_classification_clear(&c);
		cli_error("%s: out of memory", origin);
		p->status = EXIT_USAGE;
		return write_failed(p, p->markdown ? "file" : NULL, p->file, "out of memory");
	}
	if (error[0]) {
		cli_error("%s: %s", origin, error);
		set_status(p, EXIT_NEGATIVE);
		/* the record's error says where it came from, as a bad line's does */
		snprintf(located, sizeof located, "%s: %s", origin, error);
		if (wr_record_add_error(rec, located) < 0) {
			wr_classification_clear(&c);
			p->status = EXIT_USAGE;
			return write_failed(p, p->markdown ? "file" : NULL, p->file, "out of memory");
		}
	}
	wr_classification_clear(&c);
	return write_record(p, rec);
}

static int bad_line(prog *p, const char *file, unsigned long line, const wr_json_error *err)
{
	char desc[600], error[800];
	wr_json_error within = *err;
	if (within.line == 1) {
		/* the line is named already: keep the column */
		snprintf(within.message, sizeof within.message, "column %lu: %.200s", within.column,
		         err->message);
		within.line = 0;
	}
	snprintf(error, sizeof error, "%s:%lu: %s", file, line,
	         cli_json_error(&within, desc, sizeof desc));
	cli_error("%s", error);
	set_status(p, EXIT_NEGATIVE);
	return write_failed(p, NULL, NULL, error);
}

static int classify_records(prog *p, FILE *fp, const char *file)
{
	wr_records *rs = wr_records_new(fp, &p->limits);
	int rc = 0;

	if (!rs) {
		cli_error("out of memory");
		p->status = EXIT_USAGE;
		return -1;
	}
	for (;;) {
		json_object *rec;
		wr_json_error err;
		int got = wr_records_next(rs, &rec, &err);
		if (got == 0)
			break;
		if (got < 0) {
			cli_error("%s: %s", file, err.message);
			p->status = EXIT_USAGE;
			break;
		}
		unsigned long line = wr_records_lineno(rs);
		if (!rec && err.status == WR_JSON_NOMEM) {
			/* not a bad line: nothing can be said of it, nor of what follows */
			cli_error("%s:%lu: out of memory", file, line);
			p->status = EXIT_USAGE;
			rc = -1;
			break;
		}
		if (!rec) {
			rc = bad_line(p, file, line, &err);
		} else {
			p->file = file;
			p->line = line;
			p->session = wr_record_get_string(rec, "session");
			size_t text_len;
			const char *text = wr_records_text(rs, &text_len);
			rc = classify_and_write(p, rec, text, text_len, NULL, 0);
			json_object_put(rec);
		}
		if (rc < 0)
			break;
	}
	wr_records_free(rs);
	return rc;
}

static int classify_notes_file(prog *p, FILE *fp, const char *file)
{
	char *buf;
	size_t len;
	wr_json_error err;
	char desc[600];

	if (wr_json_slurp(fp, p->limits.max_bytes, &buf, &len, &err) < 0) {
		if (err.status == WR_JSON_TOO_LARGE)
			snprintf(err.message, sizeof err.message,
			         "notes are larger than the size limit of %zu bytes", p->limits.max_bytes);
		cli_json_error(&err, desc, sizeof desc);
		cli_error("%s: %s", file, desc);
		set_status(p, err.status == WR_JSON_TOO_LARGE ? EXIT_NEGATIVE : EXIT_USAGE);
		char error[800];
		snprintf(error, sizeof error, "%s: %s", file, desc);
		return write_failed(p, "file", file, error);
	}
	json_object *rec = json_object_new_object();
	int rc;
	if (!rec || cli_add_string(rec, "file", file) < 0) {
		cli_error("out of memory");
		p->status = EXIT_USAGE;
		rc = -1;
	} else {
		p->file = file;
		p->line = 0;
		p->session = NULL;
		rc = classify_and_write(p, rec, NULL, 0, buf, len);
	}
	json_object_put(rec);
	free(buf);
	return rc;
}

/* Returns -1 when the output failed (nothing more can be written). */
static int classify_file(prog *p, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	int rc;

	if (!fp) {
		char error[600];
		snprintf(error, sizeof error, "%s: cannot open: %s", path, strerror(errno));
		cli_error("%s", error);
		p->status = EXIT_USAGE;
		/* -m promises one record per file: an unreadable one is unknown */
		return p->markdown ? write_failed(p, "file", path, error) : 0;
	}
	/* Notes are read whole, into a buffer of their size: stdio's own buffer would only
	 * split that read in 4 KiB ones, after one more fstat. Records are read by line:
	 * they keep it. */
	if (p->markdown && !is_stdin)
		setvbuf(fp, NULL, _IONBF, 0);
	rc = p->markdown ? classify_notes_file(p, fp, path) : classify_records(p, fp, path);
	if (!is_stdin)
		fclose(fp);
	return rc;
}

enum { OPT_WORKRAIL = 256, OPT_EXPLAIN };

static const cli_option option_table[] = {
	{"markdown", 'm', NULL, "each FILE is the notes of one review", 'm'},
	{"explain", 0, NULL, "also say on standard error, one line each, what decided each "
	 "record (its evidence)", OPT_EXPLAIN},
	CLI_OPTION_MAX_BYTES("refuse records (lines) or notes files larger than SIZE"),
	CLI_OPTION_MAX_DEPTH("refuse JSON nested deeper than N"),
	{"workrail", 0, "VERSION", "read verdicts under that WorkRail release's contracts (3.40, "
	 "3.121, ...; default: $WRKIT_WORKRAIL, else the newest)", OPT_WORKRAIL},
};

/* What the options set: the program's state, and --workrail's value. */
typedef struct parse_ctx {
	prog *p;
	const char *workrail;
} parse_ctx;

static int handle_option(void *ctx, int id, const char *arg)
{
	parse_ctx *pc = ctx;
	switch (id) {
	case 'm': pc->p->markdown = 1; break;
	case OPT_EXPLAIN: pc->p->explain = 1; break;
	case OPT_WORKRAIL: pc->workrail = arg; break;
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "[OPTION]... [FILE]...",
	.description =
		"Classify reviews as clean, minor, blocking or unknown. Reads pipeline records\n"
		"(NDJSON) and adds severity, source, findings, confidence and evidence; with -m,\n"
		"reads review notes (markdown), one record out per file. With no FILE, or when\n"
		"FILE is -, read standard input.\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"Clean must be proven: every verdict artifact, every verdict block of the notes\n"
		"and the notes are read, and the most severe reading wins (clean < minor <\n"
		"unknown < blocking). Each record gets evidence: what decided, up to 5 lines.\n"
		"\n"
		"Exit status: 0 if every input was classified, 1 if a line or a notes file was\n"
		"malformed (its record is unknown, with error), 2 if the job could not be done\n"
		"(bad option, unreadable file, write error).\n",
	.handle = handle_option,
};

/* cli_each_file's callback: a failed output ends the loop (-1), nothing more can be
 * written. */
static int classify_operand(void *p, const char *path)
{
	return classify_file(p, path);
}

int main(int argc, char **argv)
{
	prog p = {.limits = wr_json_default_limits()};
	parse_ctx pc = {&p, NULL};
	int first;

	cli_set_program(argv[0]);
	int status = cli_parse(&program, &pc, &p.limits, argc, argv, &first);
	if (status != CLI_RUN)
		return status;

	wr_error err;
	/* The verdict is read under the contracts of the WorkRail release that ran the
	 * review: cli_workrail_release exits on an unknown version. */
	wr_contracts *contracts = wr_contracts_builtin_release(cli_workrail_release(pc.workrail), &err);
	if (!contracts) {
		cli_error("cannot load the built-in contracts: %s", err.message);
		return EXIT_USAGE;
	}
	wr_classify_options copt;
	wr_classify_options_init(&copt);
	copt.contracts = contracts;
	copt.limits = p.limits;
	copt.warn = warn_invalid;
	copt.warn_ctx = &p;
	p.classifier = wr_classifier_new(&copt);
	if (!p.classifier) {
		wr_contracts_free(contracts);
		cli_error("out of memory");
		return EXIT_USAGE;
	}

	cli_each_file(argc, argv, first, classify_operand, &p);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cli_error("write error: %s", strerror(errno));
		p.status = EXIT_USAGE;
	}
	wr_classifier_free(p.classifier);
	wr_contracts_free(contracts);
	return p.status;
}
