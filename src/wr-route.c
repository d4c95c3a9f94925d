/* SPDX-License-Identifier: MIT */
/* wr-route: decide, for each classified record, merge, fix or escalate. */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"
#include "wrkit/record.h"
#include "wrkit/route.h"

typedef struct options {
	wr_route_policy policy;
	bool gate, trace;
	long long expect; /* --expect N: the gate also needs exactly N records of N sessions; 0: off */
	cli_fields tsv; /* count 0: NDJSON records */
	FILE *records;  /* --records FILE: the routed records as NDJSON too; NULL: none */
	wr_json_limits limits;
} options;

typedef struct tally {
	unsigned long records, merges;
	unsigned long sessionless; /* records without a "session" string */
	json_object *sessions;     /* with --expect: the distinct sessions seen (a set) */
	int status;
} tally;

#define MAX_EXPECT 1000000LL
#define MAX_PASSES 1000LL
#define MAX_RUNTIME_MS (30LL * 24 * 60 * 60 * 1000)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* [TRACE] {"childSessionId":...,"outcome":...,"elapsedMs":...,"severity":...}: what
 * the coordinator is about to act on, as one line. */
static void trace(const options *opt, json_object *rec)
{
	json_object *t = json_object_new_object(), *v;
	if (!t)
		return;
	const char *keys[][2] = {{"childSessionId", "session"}, {"outcome", "outcome"}};
	for (size_t i = 0; i < 2; i++)
		json_object_object_add(t, keys[i][0],
		                       json_object_object_get_ex(rec, keys[i][1], &v) ? json_object_get(v) : NULL);
	json_object_object_add(t, "elapsedMs",
	                       opt->policy.has_started_at
	                           ? json_object_new_int64(opt->policy.now_ms - opt->policy.started_at_ms)
	                           : NULL);
	json_object_object_add(t, "severity",
	                       json_object_object_get_ex(rec, "severity", &v) ? json_object_get(v) : NULL);
	json_object_object_add(t, "action", json_object_object_get_ex(rec, "action", &v) ? json_object_get(v) : NULL);
	fprintf(stderr, "[TRACE] %s\n",
	        json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(t);
}

static int emit(const options *opt, json_object *rec)
{
	if (opt->trace)
		trace(opt, rec);
	int rc = opt->tsv.count ? cli_write_tsv(stdout, rec, &opt->tsv) : wr_record_write(stdout, rec);
	if (opt->records && (wr_record_write(opt->records, rec) < 0 || fflush(opt->records) == EOF))
		rc = -1;
	/* one record at a time: the next stage may act on it now */
	if (fflush(stdout) == EOF || ferror(stdout))
		rc = -1;
	return rc;
}

static void route_record(const options *opt, json_object *rec, tally *t)
{
	wr_route_decision d;
	options now = *opt;
	now.policy.now_ms = now_ms();
	wr_route_decide(rec, &now.policy, &d);
	if (wr_route_apply(rec, &d) < 0) {
		cli_error("out of memory");
		t->status = EXIT_USAGE;
		return;
	}
	t->records++;
	if (d.action == WR_ACTION_MERGE)
		t->merges++;
	if (t->sessions) {
		const char *s = wr_record_get_string(rec, "session");
		if (!s)
			t->sessionless++;
		else if ((long long)json_object_object_length(t->sessions) <= opt->expect &&
		         !json_object_object_get_ex(t->sessions, s, NULL) &&
		         json_object_object_add(t->sessions, s, NULL) != 0) {
			cli_error("out of memory");
			t->status = EXIT_USAGE;
		}
	}
	if (emit(&now, rec) < 0) {
		cli_error("write error: %s", strerror(errno));
		t->status = EXIT_USAGE;
	}
}

/* A line that is not a record still yields one, which escalates. */
static void route_bad_line(const options *opt, const char *file, unsigned long line,
                           const wr_json_error *err, tally *t)
{
	char desc[600], why[900];
	snprintf(why, sizeof why, "%s:%lu: %s", file, line, cli_json_error(err, desc, sizeof desc));
	cli_error("%s", why);
	json_object *rec = json_object_new_object();
	if (!rec || wr_record_add_error(rec, why) != 0) {
		json_object_put(rec);
		cli_error("out of memory");
		t->status = EXIT_USAGE;
		return;
	}
	route_record(opt, rec, t);
	json_object_put(rec);
	if (t->status < EXIT_NEGATIVE)
		t->status = EXIT_NEGATIVE;
}

static void route_file(const options *opt, const char *path, tally *t)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		t->status = EXIT_USAGE;
		return;
	}
	wr_records *rs = wr_records_new(fp, &opt->limits);
	if (!rs) {
		cli_error("out of memory");
		t->status = EXIT_USAGE;
	} else {
		json_object *rec;
		wr_json_error err;
		int rc;
		while ((rc = wr_records_next(rs, &rec, &err)) == 1) {
			if (!rec && err.status == WR_JSON_NOMEM) {
				/* not a bad line: no answer can be given for it, nor after it */
				cli_error("%s:%lu: out of memory", path, wr_records_lineno(rs));
				t->status = EXIT_USAGE;
				break;
			}
			if (!rec) {
				route_bad_line(opt, path, wr_records_lineno(rs), &err, t);
				continue;
			}
			route_record(opt, rec, t);
			json_object_put(rec);
		}
		if (rc < 0) {
			cli_error("%s: %s", path, err.message);
			t->status = EXIT_USAGE;
		}
		wr_records_free(rs);
	}
	if (!is_stdin)
		fclose(fp);
}

enum { OPT_MAX_PASSES = 256, OPT_STARTED_AT, OPT_MAX_RUNTIME, OPT_GATE, OPT_TSV, OPT_TRACE,
       OPT_EXPECT, OPT_TRUST_NOTES, OPT_RECORDS };

static const cli_option option_table[] = {
	/* the default is WR_ROUTE_DEFAULT_MAX_PASSES */
	{"max-passes", 0, "N", "fix passes allowed per pull request (default 3)", OPT_MAX_PASSES},
	{"started-at", 0, "EPOCH_MS", "when the coordinator started (enables the wall-clock rule)",
	 OPT_STARTED_AT},
	{"max-runtime", 0, "DUR", "the coordinator's time budget (default 90m); no fix starts in "
	 "its last 20 minutes", OPT_MAX_RUNTIME},
	{"trust-notes", 0, NULL, "let a review proven clean by its notes alone (no verdict "
	 "artifact) merge; without it, it escalates", OPT_TRUST_NOTES},
	{"gate", 0, NULL, "exit 0 only if every record routes to merge", OPT_GATE},
	{"expect", 0, "N", "with --gate: also exit 0 only if exactly N records of N distinct "
	 "sessions were read", OPT_EXPECT},
	{"tsv", 0, "FIELD,...", "print these fields tab-separated instead of records", OPT_TSV},
	{"records", 0, "FILE", "also write the routed records (NDJSON) to FILE", OPT_RECORDS},
	{"trace", 0, NULL, "write a [TRACE] line to stderr for each record", OPT_TRACE},
	CLI_OPTION_MAX_BYTES("refuse records larger than SIZE"),
	CLI_OPTION_MAX_DEPTH("refuse records nested deeper than N"),
};

static int handle_option(void *ctx, int id, const char *arg)
{
	options *opt = ctx;
	long long n;
	switch (id) {
	case OPT_MAX_PASSES:
		if (wr_parse_count(arg, &n) < 0 || n > MAX_PASSES)
			return cli_usage_error("invalid --max-passes '%s': expected a count from 0 to %lld",
			                       arg, MAX_PASSES);
		opt->policy.max_passes = n;
		break;
	case OPT_STARTED_AT:
		if (wr_parse_count(arg, &n) < 0)
			return cli_usage_error("invalid --started-at '%s': expected epoch milliseconds", arg);
		if (n > now_ms())
			return cli_usage_error("invalid --started-at '%s': in the future", arg);
		opt->policy.has_started_at = true;
		opt->policy.started_at_ms = n;
		break;
	case OPT_MAX_RUNTIME:
		if (wr_parse_duration_ms(arg, &n) < 0 || n <= 0 || n > MAX_RUNTIME_MS)
			return cli_usage_error("invalid --max-runtime '%s': expected a duration such as 90m, "
			                       "above 0 and at most 30 days", arg);
		opt->policy.max_runtime_ms = n;
		break;
	case OPT_GATE: opt->gate = true; break;
	case OPT_TRUST_NOTES: opt->policy.trust_notes = true; break;
	case OPT_RECORDS:
		if (opt->records)
			fclose(opt->records);
		if (!(opt->records = fopen(arg, "w")))
			return cli_usage_error("--records '%s': cannot open: %s", arg, strerror(errno));
		break;
	case OPT_EXPECT:
		if (wr_parse_count(arg, &n) < 0 || n < 1 || n > MAX_EXPECT)
			return cli_usage_error("invalid --expect '%s': expected a count from 1 to %lld", arg,
			                       MAX_EXPECT);
		opt->expect = n;
		break;
	case OPT_TRACE: opt->trace = true; break;
	case OPT_TSV:
		cli_fields_free(&opt->tsv);
		return cli_parse_fields(arg, &opt->tsv);
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "[OPTION]... [FILE]...",
	.description =
		"Route each classified record (NDJSON) to merge, fix or escalate, adding action,\n"
		"reason, passCount and, for a fix, the fix agent's goal. With no FILE, or when\n"
		"FILE is -, read standard input.\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"Exit status: 0 when routed (with --gate: when every record merges); 1 when an\n"
		"input line is malformed (or, with --gate, the gate is closed); 2 on bad\n"
		"options, an unreadable file or a write error (with --gate, the gate is closed).\n",
	.handle = handle_option,
};

/* The state cli_each_file's callback routes with. */
typedef struct run {
	const options *opt;
	tally *t;
} run;

/* Never stops: each file's problems are its own. */
static int route_operand(void *ctx, const char *path)
{
	run *r = ctx;
	route_file(r->opt, path, r->t);
	return 0;
}

int main(int argc, char **argv)
{
	options opt = {.policy = wr_route_default_policy(), .limits = wr_json_default_limits()};
	tally t = {0};
	int first;

	cli_set_program(argv[0]);
	int status = cli_parse(&program, &opt, &opt.limits, argc, argv, &first);
	if (status != CLI_RUN)
		goto out;
	status = EXIT_USAGE;
	if (opt.expect && !opt.gate) {
		cli_usage_error("--expect needs --gate");
		goto out;
	}
	if (opt.expect && !(t.sessions = json_object_new_object())) {
		cli_error("out of memory");
		goto out;
	}
	run r = {&opt, &t};
	cli_each_file(argc, argv, first, route_operand, &r);
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF) {
		if (t.status != EXIT_USAGE)
			cli_error("write error: %s", strerror(errno));
		t.status = EXIT_USAGE;
	}
	status = t.status;
	if (opt.gate && status == EXIT_OK && (t.records == 0 || t.merges != t.records)) {
		if (t.records == 0)
			cli_error("gate closed: no record to route");
		else
			cli_error("gate closed: %lu of %lu records do not route to merge",
			          t.records - t.merges, t.records);
		status = EXIT_NEGATIVE;
	}
	if (opt.gate && status == EXIT_OK && opt.expect) {
		unsigned long distinct = (unsigned long)json_object_object_length(t.sessions);
		if (t.sessionless) {
			cli_error("gate closed: %lu of %lu records carry no session (--expect %lld)",
			          t.sessionless, t.records, opt.expect);
			status = EXIT_NEGATIVE;
		} else if ((long long)t.records != opt.expect || (long long)distinct != opt.expect) {
			cli_error("gate closed: expected %lld records of as many sessions, read %lu "
			          "records of %lu%s sessions (--expect %lld)", opt.expect, t.records,
			          distinct, (long long)distinct > opt.expect ? " or more" : "", opt.expect);
			status = EXIT_NEGATIVE;
		}
	}
	if (opt.records && fclose(opt.records) == EOF) {
		cli_error("write error on --records: %s", strerror(errno));
		status = EXIT_USAGE;
	}
	opt.records = NULL;
out:
	if (opt.records)
		fclose(opt.records);
	json_object_put(t.sessions);
	cli_fields_free(&opt.tsv);
	return status;
}
