/* SPDX-License-Identifier: MIT */
/* wr-await: poll WorkRail sessions until they end, one record each.
 *
 * Polls go out in rounds, every session still pending at once (at most JOBS on the
 * wire), one round per interval. A poll that fails (no connection, an HTTP error, a
 * malformed body) is retried on the next round; --max-errors of them in a row end the
 * session as failed, with "error": a dead or broken daemon must never look like a
 * success, nor keep us waiting for the whole timeout. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "workrail_cli.h"
#include "wrkit/record.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"
#include "wrkit/workrail.h"

#define MAX_JOBS 1024

enum {
	OPT_MODE = 0x2000,
	OPT_INTERVAL,
	OPT_MAX_ERRORS,
	OPT_AWAIT_TIMEOUT,
	OPT_TSV
};

struct waiter {
	json_object *rec; /* the input record, passed through; NULL for a bare handle */
	char *session;    /* NULL when the input line named none */
	const char *outcome; /* NULL while pending */
	char *status;        /* the last status seen */
	char *error;
	long long duration_ms;
	int errors; /* failed polls in a row */
	const wr_json_limits *limits;
	const char *timeout_option;
	long long started;
};

struct waiters {
	struct waiter *items;
	size_t count, cap;
};

static struct waiter *add(struct waiters *ws)
{
	if (ws->count == ws->cap) {
		size_t cap = ws->cap ? ws->cap * 2 : 16;
		struct waiter *n = realloc(ws->items, cap * sizeof *n);
		if (!n)
			return NULL;
		ws->items = n;
		ws->cap = cap;
	}
	struct waiter *w = &ws->items[ws->count++];
	memset(w, 0, sizeof *w);
	return w;
}

static void set_string(char **dst, const char *s)
{
	char *copy = s ? strdup(s) : NULL;
	free(*dst);
	*dst = copy;
}

static void finish(struct waiter *w, const char *outcome)
{
	w->outcome = outcome;
	w->duration_ms = wrc_now_ms() - w->started;
}

/* A poll that told us nothing: retried next round, up to max_errors in a row. */
static void poll_failed(struct waiter *w, const char *why, int max_errors)
{
	w->errors++;
	cli_error("session %s: poll %d of %d failed: %s", w->session, w->errors, max_errors, why);
	if (w->errors < max_errors)
		return;
	char msg[700];
	snprintf(msg, sizeof msg, "gave up after %d failed polls in a row: %s", w->errors, why);
	set_string(&w->error, msg);
	finish(w, "failed");
}

struct poll {
	struct waiter *w;
	int max_errors;
};

static void on_poll(wr_client *c, void *ctx, const wr_http_response *resp)
{
	struct poll *p = ctx;
	struct waiter *w = p->w;
	wr_session_detail d;
	wr_error err;
	char buf[512];

	(void)c;
	if (resp->result != WR_HTTP_OK) {
		poll_failed(w, wrc_transport_error(resp, w->timeout_option, buf, sizeof buf),
		            p->max_errors);
		return;
	}
	wr_api_status st = wr_session_detail_parse(resp->body, resp->len, resp->status, w->limits,
	                                           &d, &err);
	if (st == WR_API_NOT_FOUND) {
		finish(w, "not_found");
		return;
	}
	if (st != WR_API_OK) {
		poll_failed(w, err.message, p->max_errors);
		return;
	}
	w->errors = 0;
	if (d.run_count == 0) {
		/* How WorkRail answers an id it does not know: nothing will ever run. */
		finish(w, "not_found");
	} else {
		set_string(&w->status, wr_session_status(&d));
		switch (wr_session_outcome(&d)) {
		case WR_RUN_SUCCESS:
			finish(w, "success");
			break;
		case WR_RUN_FAILED:
			finish(w, "failed");
			break;
		case WR_RUN_DORMANT:
			finish(w, "timeout");
			break;
		case WR_RUN_PENDING:
			break;
		}
	}
	wr_session_detail_free(&d);
}

static void sleep_ms(long long ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct settings {
	bool any;
	long long timeout_ms, interval_ms, request_timeout_ms;
	size_t jobs;
	int max_errors;
};

/* One round: a poll of every pending session. Returns the number still pending. */
static size_t poll_round(wr_client *c, struct waiters *ws, const struct settings *s,
                         long long remaining)
{
	struct poll *polls = calloc(ws->count ? ws->count : 1, sizeof *polls);
	wr_error err;
	size_t pending = 0;

	/* A poll never outlives the overall timeout by more than a second. */
	long long cap = remaining < 1000 ? 1000 : remaining;
	wr_client_set_timeout(c, (long)(s->request_timeout_ms < cap ? s->request_timeout_ms : cap));
	for (size_t i = 0; i < ws->count; i++) {
		struct waiter *w = &ws->items[i];
		if (w->outcome)
			continue;
		char *path = polls ? wr_session_path(w->session) : NULL;
		if (polls) {
			polls[i].w = w;
			polls[i].max_errors = s->max_errors;
		}
		if (!path || wr_client_get(c, path, on_poll, &polls[i]) < 0)
			poll_failed(w, "out of memory", s->max_errors);
		free(path);
	}
	if (wr_client_run(c, s->jobs, &err) < 0)
		cli_error("%s", err.message);
	free(polls);
	for (size_t i = 0; i < ws->count; i++)
		if (!ws->items[i].outcome)
			pending++;
	return pending;
}

static bool any_success(const struct waiters *ws)
{
	for (size_t i = 0; i < ws->count; i++)
		if (ws->items[i].outcome && strcmp(ws->items[i].outcome, "success") == 0)
			return true;
	return false;
}

static void end_pending(struct waiters *ws, const char *outcome)
{
	for (size_t i = 0; i < ws->count; i++)
		if (!ws->items[i].outcome)
			finish(&ws->items[i], outcome);
}

static void await_all(wr_client *c, struct waiters *ws, const struct settings *s)
{
	long long start = wrc_now_ms();

	for (size_t i = 0; i < ws->count; i++)
		ws->items[i].started = start;
	for (;;) {
		long long round_start = wrc_now_ms();
		size_t pending = poll_round(c, ws, s, s->timeout_ms - (round_start - start));
		if (pending == 0)
			return;
		if (s->any && any_success(ws)) {
			end_pending(ws, "not_awaited");
			return;
		}
		long long now = wrc_now_ms();
		if (now - start >= s->timeout_ms) {
			end_pending(ws, "timeout");
			return;
		}
		long long next = round_start + s->interval_ms;
		long long deadline = start + s->timeout_ms;
		sleep_ms((next < deadline ? next : deadline) - now);
	}
}

/* Writes every record, in input order. Returns the exit status. */
static int emit(struct waiters *ws, bool any, const cli_fields *tsv)
{
	size_t successes = 0;

	for (size_t i = 0; i < ws->count; i++) {
		struct waiter *w = &ws->items[i];
		json_object *rec = w->rec ? json_object_get(w->rec) : json_object_new_object();
		if (!rec) {
			cli_error("out of memory");
			return EXIT_USAGE;
		}
		int bad = (!w->rec && w->session && wrc_set_string(rec, "session", w->session) < 0) ||
		          wrc_set_string(rec, "outcome", w->outcome) < 0 ||
		          wrc_set_string(rec, "status", w->status) < 0 ||
		          wrc_set(rec, "durationMs", json_object_new_int64(w->duration_ms)) < 0 ||
		          (w->error && wr_record_add_error(rec, w->error) < 0);
		if (bad) {
			json_object_put(rec);
			cli_error("out of memory");
			return EXIT_USAGE;
		}
		if (strcmp(w->outcome, "success") == 0)
			successes++;
		int rc = tsv->count ? cli_write_tsv(stdout, rec, tsv) : wr_record_write(stdout, rec);
		json_object_put(rec);
		if (rc < 0)
			break;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cli_error("write error on standard output");
		return EXIT_USAGE;
	}
	if (any)
		return successes > 0 ? EXIT_OK : EXIT_NEGATIVE;
	return successes == ws->count ? EXIT_OK : EXIT_NEGATIVE;
}

/* Adds a waiter for a session, or a finished one for an input that names none. */
static int add_session(struct waiters *ws, const char *session, json_object *rec,
                       const char *error, const wrc_options *opts, const char *timeout_option)
{
	struct waiter *w = add(ws);
	if (!w || (session && !(w->session = strdup(session)))) {
		json_object_put(rec);
		cli_error("out of memory");
		return -1;
	}
	w->rec = rec;
	w->limits = &opts->limits;
	w->timeout_option = timeout_option;
	if (error) {
		cli_error("%s", error);
		set_string(&w->error, error);
		w->outcome = "not_found";
	}
	return 0;
}

static int read_stdin(struct waiters *ws, const wrc_options *opts, const char *timeout_option)
{
	wr_line_reader *r = wr_line_reader_new(stdin, opts->limits.max_bytes);
	const char *line;
	size_t len;
	int too_long, rc;

	if (!r) {
		cli_error("out of memory");
		return -1;
	}
	while ((rc = wr_line_reader_next(r, &line, &len, &too_long)) == 1) {
		char why[300], where[400];
		char *session = NULL;
		json_object *rec = NULL;
		int got;
		if (too_long) {
			wr_json_error err;
			wr_line_too_long(&err, opts->limits.max_bytes);
			cli_json_error(&err, why, sizeof why);
			got = -1;
		} else {
			got = wrc_read_session_line(line, len, &opts->limits, &session, &rec, why,
			                            sizeof why);
		}
		if (got == 0)
			continue;
		if (got < 0)
			snprintf(where, sizeof where, "standard input, line %lu: %s",
			         wr_line_reader_lineno(r), why);
		int added = add_session(ws, session, rec, got < 0 ? where : NULL, opts, timeout_option);
		free(session);
		if (added < 0) {
			wr_line_reader_free(r);
			return -1;
		}
	}
	wr_line_reader_free(r);
	if (rc < 0) {
		cli_error("standard input: read error");
		return -1;
	}
	return 0;
}

static const cli_option option_table[] = {
	{"mode", 0, "all|any", "wait for every session (default), or until one succeeds (the "
	 "rest are not_awaited)", OPT_MODE},
	{"timeout", 0, "DUR", "stop waiting after DUR: 90s, 30m, 1h or seconds (default 30m)",
	 OPT_AWAIT_TIMEOUT},
	{"interval", 0, "DUR", "poll every DUR (default 3s)", OPT_INTERVAL},
	{"tsv", 0, "FIELD,...", "print these fields tab-separated instead of records", OPT_TSV},
	{"max-errors", 0, "N", "end a session as failed after N failed polls in a row (default 3)",
	 OPT_MAX_ERRORS},
	{"jobs", 'j', "N", "at most N requests at once (default 8)", 'j'},
	{"request-timeout", 0, "DUR", "give up one poll after DUR (default 30s)",
	 WRC_OPT_REQUEST_TIMEOUT},
	WRC_OPTIONS,
};

/* What the options set. */
typedef struct parse_ctx {
	wrc_options opts;
	struct settings s;
	cli_fields tsv;
} parse_ctx;

static int handle_option(void *ctx, int id, const char *arg)
{
	parse_ctx *pc = ctx;
	struct settings *s = &pc->s;
	long long v;
	int h = wrc_handle_option(&pc->opts, id, arg);
	if (h != 0)
		return h < 0 ? -1 : 0;
	switch (id) {
	case OPT_MODE:
		if (strcmp(arg, "all") != 0 && strcmp(arg, "any") != 0)
			return cli_usage_error("invalid --mode '%s': expected all or any", arg);
		s->any = strcmp(arg, "any") == 0;
		break;
	case OPT_AWAIT_TIMEOUT:
		if (wr_parse_duration_ms(arg, &s->timeout_ms) < 0)
			return cli_usage_error("invalid --timeout '%s': expected a duration such as 90s, "
			                       "30m, 1h or seconds", arg);
		break;
	case OPT_INTERVAL:
		if (wr_parse_duration_ms(arg, &s->interval_ms) < 0 || s->interval_ms <= 0)
			return cli_usage_error("invalid --interval '%s': expected a duration such as 3s, "
			                       "500ms or seconds", arg);
		break;
	case OPT_MAX_ERRORS:
		if (wr_parse_count(arg, &v) < 0 || v < 1 || v > 1000000)
			return cli_usage_error("invalid --max-errors '%s': expected a positive integer",
			                       arg);
		s->max_errors = (int)v;
		break;
	case OPT_TSV:
		cli_fields_free(&pc->tsv);
		return cli_parse_fields(arg, &pc->tsv);
	case 'j':
		if (wr_parse_count(arg, &v) < 0 || v < 1 || v > MAX_JOBS)
			return cli_usage_error("invalid --jobs '%s': expected 1 to %d", arg, MAX_JOBS);
		s->jobs = (size_t)v;
		break;
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "[OPTION]... [SESSION]...",
	.description =
		"Poll WorkRail sessions until they end; one record per session with \"outcome\"\n"
		"(success, failed, timeout, not_found, not_awaited), \"status\" and \"durationMs\".\n"
		"Sessions come from the arguments, else from standard input (a handle per line,\n"
		"or a record with \"session\", passed through).\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"Exit status: 0 every session (with --mode any: one) succeeded, 1 otherwise,\n"
		"2 bad usage.\n",
	.handle = handle_option,
};

/* Parses the options, then awaits; main frees what it holds. */
static int run(parse_ctx *pc, struct waiters *ws, int argc, char **argv)
{
	struct settings *s = &pc->s;
	const wrc_options *opts = &pc->opts;
	int first;
	int status = cli_parse(&program, pc, &pc->opts.limits, argc, argv, &first);
	if (status != CLI_RUN)
		return status;
	s->request_timeout_ms = opts->request_timeout_ms;
	for (int i = first; i < argc; i++) {
		const char *why;
		if (!wrc_valid_id(argv[i], strlen(argv[i]), &why))
			return cli_usage_error("invalid session '%s': %s", argv[i], why);
	}

	wr_client *client = wrc_client_new(opts);
	if (!client)
		return EXIT_USAGE;
	int rc = 0;
	status = EXIT_USAGE;
	for (int i = first; i < argc && rc == 0; i++)
		rc = add_session(ws, argv[i], NULL, NULL, opts, "--request-timeout");
	if (rc == 0 && first == argc)
		rc = read_stdin(ws, opts, "--request-timeout");
	if (rc == 0 && ws->count == 0) {
		/* Nothing awaited is not a success: after a failed dispatch the pipe is empty. */
		cli_error("no session to await on standard input");
		status = EXIT_NEGATIVE;
	} else if (rc == 0) {
		await_all(client, ws, s);
		status = emit(ws, s->any, &pc->tsv);
	}
	wr_client_free(client);
	return status;
}

int main(int argc, char **argv)
{
	parse_ctx pc = {.s = {false, 30LL * 60 * 1000, 3000, 0, 8, 3}};
	struct waiters ws = {NULL, 0, 0};

	cli_set_program(argv[0]);
	wrc_options_init(&pc.opts);
	int status = run(&pc, &ws, argc, argv);
	for (size_t i = 0; i < ws.count; i++) {
		json_object_put(ws.items[i].rec);
		free(ws.items[i].session);
		free(ws.items[i].status);
		free(ws.items[i].error);
	}
	free(ws.items);
	cli_fields_free(&pc.tsv);
	return status;
}
