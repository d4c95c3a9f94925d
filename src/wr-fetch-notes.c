/* SPDX-License-Identifier: MIT */
/* wr-fetch-notes: the notes and artifacts of WorkRail sessions, one record each.
 *
 * Two steps per session: its detail (runs[0] and its nodes), then every node, on one
 * libcurl multi queue, at most JOBS transfers at once. One session at a time, so that
 * memory stays within JOBS responses plus one record, and each session is bounded:
 * --max-nodes nodes, --max-record-bytes of node bodies, --session-timeout of time.
 * Any bound passed, any node unreadable, fails the record closed with an error. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "workrail_cli.h"
#include "wrkit/record.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"
#include "wrkit/workrail.h"

#define BATCH 1 /* sessions fetched at once: memory is one record's */
#define MAX_JOBS 1024
#define DEFAULT_MAX_NODES 2000
#define MAX_MAX_NODES 1000000
enum { OPT_MAX_NODES = 0x2000, OPT_MAX_RECORD_BYTES, OPT_SESSION_TIMEOUT };
#define DEFAULT_MAX_RECORD_BYTES ((size_t)64 << 20)
#define DEFAULT_SESSION_TIMEOUT_MS (5LL * 60 * 1000)

struct batch;
struct fetch;

struct node_slot {
	struct fetch *f;
	bool ok;
	wr_node_detail detail;
	char *error; /* why it could not be read, when !ok */
};

struct fetch {
	struct batch *b;
	json_object *rec; /* the input record, passed through; NULL for a bare handle */
	char *session;    /* NULL when the input line could not be read */
	char *error;      /* why the record fails closed */
	wr_session_detail detail;
	long notes; /* index of the notes node in detail.nodes */
	struct node_slot *nodes;
	size_t node_count;
	size_t bytes;      /* node bodies kept so far, against --max-record-bytes */
	bool over_bytes;   /* --max-record-bytes passed: node bodies are no longer kept */
	long long deadline; /* CLOCK_MONOTONIC ms: --session-timeout */
};

/* The bounds of one session, with the option text the user gave, for the messages. */
struct bounds {
	long long max_nodes;
	size_t max_record_bytes;
	long long session_timeout_ms;
	const char *max_record_bytes_text, *session_timeout_text;
};

struct batch {
	struct fetch items[BATCH];
	size_t count;
	wr_client *client;
	const wr_json_limits *limits;
	const struct bounds *bounds;
};

/* printf into a new string; NULL when out of memory. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* The message of a failure when even a copy of it cannot be had: a failure must never
 * be lost to an allocation. */
static char oom_message[] = "out of memory";

static char *dup_message(const char *msg)
{
	char *s = strdup(msg);
	return s ? s : oom_message;
}

static void free_message(char *s)
{
	if (s != oom_message)
		free(s);
}

/* Records why f fails closed (the first reason wins). */
static void fail(struct fetch *f, const char *prefix, const char *msg)
{
	if (f->error)
		return;
	char *s = format("%s%s", prefix, msg);
	f->error = s ? s : dup_message("out of memory");
}

static void fetch_free(struct fetch *f)
{
	json_object_put(f->rec);
	free(f->session);
	free_message(f->error);
	wr_session_detail_free(&f->detail);
	for (size_t i = 0; i < f->node_count; i++) {
		wr_node_detail_free(&f->nodes[i].detail);
		free_message(f->nodes[i].error);
	}
	free(f->nodes);
	memset(f, 0, sizeof *f);
}

static void on_node(wr_client *c, void *ctx, const wr_http_response *resp)
{
	struct node_slot *slot = ctx;
	char buf[512];
	wr_error err;

	struct fetch *f = slot->f;
	const struct bounds *bd = f->b->bounds;
	(void)c;
	if (resp->result == WR_HTTP_TIMEOUT && wrc_now_ms() >= f->deadline) {
		slot->error = format("the session took longer than %s (raise it with "
		                     "--session-timeout)", bd->session_timeout_text);
		if (!slot->error)
			slot->error = dup_message("out of memory");
		return;
	}
	if (resp->result != WR_HTTP_OK) {
		slot->error = dup_message(wrc_transport_error(resp, "--timeout", buf, sizeof buf));
		return;
	}
	if (f->over_bytes || resp->len > bd->max_record_bytes - f->bytes) {
		/* the record would pass its bound: what it holds stays unknown, nothing more
		 * is kept */
		if (!f->over_bytes) {
			f->over_bytes = true;
			char *why = format("the record is larger than %s (raise it with "
			                   "--max-record-bytes)", bd->max_record_bytes_text);
			fail(f, "", why ? why : "the record is larger than --max-record-bytes");
			free(why);
			for (size_t i = 0; i < f->node_count; i++)
				wr_node_detail_free(&f->nodes[i].detail);
		}
		slot->error = dup_message("not kept: --max-record-bytes");
		return;
	}
	f->bytes += resp->len;
	if (wr_node_detail_parse(resp->body, resp->len, resp->status, slot->f->b->limits,
	                         &slot->detail, &err) != WR_API_OK)
		slot->error = dup_message(err.message);
	else
		slot->ok = true;
}

/* Queues a GET of every node of the run, in node order. */
static void queue_nodes(wr_client *c, struct fetch *f)
{
	size_t n = f->detail.node_count;

	f->nodes = calloc(n, sizeof *f->nodes);
	if (!f->nodes) {
		fail(f, "", "out of memory");
		return;
	}
	f->node_count = n;
	for (size_t i = 0; i < n; i++) {
		f->nodes[i].f = f;
		char *path = wr_node_path(f->session, f->detail.nodes[i].id);
		if (!path || wr_client_get(c, path, on_node, &f->nodes[i]) < 0)
			f->nodes[i].error = dup_message("out of memory");
		free(path);
	}
}

/* How many "nodeId" keys body holds: at least the nodes it lists (unless the daemon
 * spells the key with escapes, which the count after parsing still catches). Counted
 * before parsing, because a response within the size limit that lists a million tiny
 * nodes parses into a gigabyte of JSON objects. */
static size_t count_node_keys(const char *body, size_t len)
{
	static const char key[] = "\"nodeId\"";
	size_t n = 0;
	const char *p = body, *end = body + len;
	while ((size_t)(end - p) >= sizeof key - 1 &&
	       (p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
		n++;
		p += sizeof key - 1;
	}
	return n;
}

static void on_session(wr_client *c, void *ctx, const wr_http_response *resp)
{
	struct fetch *f = ctx;
	char buf[512];
	wr_error err;

	if (resp->result == WR_HTTP_TIMEOUT && wrc_now_ms() >= f->deadline) {
		char why[200];
		snprintf(why, sizeof why, "the session took longer than %s (raise it with "
		         "--session-timeout)", f->b->bounds->session_timeout_text);
		fail(f, "cannot read session: ", why);
		return;
	}
	if (resp->result != WR_HTTP_OK) {
		fail(f, "cannot read session: ", wrc_transport_error(resp, "--timeout", buf, sizeof buf));
		return;
	}
	size_t keys = resp->status >= 200 && resp->status < 300 ? count_node_keys(resp->body, resp->len)
	                                                          : 0;
	if (keys > (size_t)f->b->bounds->max_nodes) {
		char why[200];
		snprintf(why, sizeof why, "the session lists %zu nodes, more than %lld (raise it "
		         "with --max-nodes)", keys, f->b->bounds->max_nodes);
		fail(f, "", why);
		return;
	}
	if (wr_session_detail_parse(resp->body, resp->len, resp->status, f->b->limits, &f->detail,
	                            &err) != WR_API_OK) {
		fail(f, "cannot read session: ", err.message);
		return;
	}
	if (f->detail.node_count > (size_t)f->b->bounds->max_nodes) {
		char why[200];
		snprintf(why, sizeof why, "the run lists %zu nodes, more than %lld (raise it with "
		         "--max-nodes)", f->detail.node_count, f->b->bounds->max_nodes);
		wr_session_detail_free(&f->detail); /* no node is fetched */
		fail(f, "", why);
		return;
	}
	f->notes = wr_session_notes_node(&f->detail, &err);
	if (f->notes < 0) {
		fail(f, "cannot read session: ", err.message);
		return;
	}
	queue_nodes(c, f);
}

/* The record of a session that could not be read: no notes, no artifacts, and why.
 * Returns 0, or -1 when out of memory. */
static int set_failed_fields(json_object *rec, const char *why)
{
	if (wrc_set_null(rec, "recapMarkdown") < 0 ||
	    wrc_set(rec, "artifacts", json_object_new_array()) < 0 || wr_record_add_error(rec, why) < 0)
		return -1;
	return 0;
}

/* Adds a copy of every artifact of the nodes read, in node order, to arts, and an
 * error to rec for every node that could not be read: the artifacts it holds are
 * unknown, and they outrank the notes. Returns the number of such nodes, or -1 when
 * out of memory. */
static int collect_artifacts(struct fetch *f, json_object *arts, json_object *rec)
{
	int unread = 0;
	for (size_t i = 0; i < f->node_count; i++) {
		struct node_slot *s = &f->nodes[i];
		if (s->ok) {
			size_t n = json_object_array_length(s->detail.artifacts);
			for (size_t k = 0; k < n; k++) {
				json_object *a = json_object_array_get_idx(s->detail.artifacts, k);
				if (json_object_array_add(arts, json_object_get(a)) < 0) {
					json_object_put(a);
					return -1;
				}
			}
			continue;
		}
		char *w = format("cannot read node %s: %s (its artifacts are unknown)",
		                 f->detail.nodes[i].id, s->error);
		if (!w || wr_record_add_error(rec, w) < 0) {
			free(w);
			return -1;
		}
		cli_error("session %s: %s", f->session, w);
		free(w);
		unread++;
	}
	return unread;
}

/* Fills rec from the nodes read. Returns 0, 1 when a node other than the notes node
 * could not be read (rec has the error), or -1 with f->error set when the record must
 * fail closed without notes: the notes node could not be read, or memory ran out. */
static int set_fetched_fields(struct fetch *f, json_object *rec)
{
	struct node_slot *notes = &f->nodes[f->notes];
	if (!notes->ok) {
		/* Classifying without the final notes could read clean: fail closed. */
		char *why = format("cannot read the notes node %s: %s", f->detail.nodes[f->notes].id,
		                   notes->error);
		fail(f, "", why ? why : "cannot read the notes node");
		free(why);
		return -1;
	}
	json_object *arts = json_object_new_array();
	int unread = arts ? collect_artifacts(f, arts, rec) : -1;
	if (unread < 0 || wrc_set_string(rec, "recapMarkdown", notes->detail.recap) < 0 ||
	    wrc_set(rec, "artifacts", json_object_get(arts)) < 0) {
		json_object_put(arts);
		fail(f, "", "out of memory");
		return -1;
	}
	json_object_put(arts);
	return unread > 0;
}

/* Notes of a run that has not completed are not the review's verdict (a running review
 * may read "LGTM so far"): the record keeps them but fails closed with an error.
 * Returns 1 when it did, 0 when the run completed, -1 when out of memory. */
static int mark_incomplete_run(struct fetch *f, json_object *rec)
{
	if (wr_session_outcome(&f->detail) == WR_RUN_SUCCESS)
		return 0;
	const char *status = wr_session_status(&f->detail);
	char *why = format("the run is %s, not complete: its notes are not a final review",
	                   status ? status : "of no known status");
	if (!why || wr_record_add_error(rec, why) < 0) {
		free(why);
		return -1;
	}
	cli_error("session %s: %s", f->session, why);
	free(why);
	return 1;
}

/* Writes f's record. Returns 1 when it failed closed, 0 when not, -1 when it could
 * not be written (said on stderr). */
static int emit(struct fetch *f, FILE *out)
{
	json_object *rec = f->rec ? json_object_get(f->rec) : json_object_new_object();
	int failed = 0;

	if (!rec || (!f->rec && f->session && wrc_set_string(rec, "session", f->session) < 0)) {
		json_object_put(rec);
		cli_error("out of memory");
		return -1;
	}
	int fetched = f->error ? -1 : set_fetched_fields(f, rec);
	if (fetched < 0) {
		if (f->session)
			cli_error("session %s: %s", f->session, f->error);
		else
			cli_error("%s", f->error);
		if (set_failed_fields(rec, f->error) < 0) {
			json_object_put(rec);
			cli_error("out of memory");
			return -1;
		}
		failed = 1;
	} else {
		int incomplete = mark_incomplete_run(f, rec);
		if (incomplete < 0) {
			json_object_put(rec);
			cli_error("out of memory");
			return -1;
		}
		failed = incomplete || fetched > 0;
	}
	int rc = wr_record_write(out, rec);
	json_object_put(rec);
	if (rc < 0) {
		cli_error("write error on standard output");
		return -1;
	}
	return failed;
}

/* Fetches the batch and writes its records. Returns 0, 1 when a record failed
 * closed, -1 on a write error. */
static int run_batch(struct batch *b, size_t jobs)
{
	wr_error err;
	int result = 0;

	for (size_t i = 0; i < b->count; i++) {
		struct fetch *f = &b->items[i];
		if (f->error)
			continue;
		f->deadline = wrc_now_ms() + b->bounds->session_timeout_ms;
		wr_client_set_deadline(b->client, f->deadline);
		char *path = wr_session_path(f->session);
		if (!path || wr_client_get(b->client, path, on_session, f) < 0)
			fail(f, "", "out of memory");
		free(path);
	}
	if (wr_client_run(b->client, jobs, &err) < 0)
		cli_error("%s", err.message);
	for (size_t i = 0; i < b->count; i++) {
		int rc = result < 0 ? -1 : emit(&b->items[i], stdout);
		if (rc < 0)
			result = -1;
		else if (rc > 0)
			result = 1;
		fetch_free(&b->items[i]);
	}
	b->count = 0;
	if (result >= 0 && fflush(stdout) == EOF) {
		cli_error("write error on standard output");
		result = -1;
	}
	return result;
}

/* Adds a session to the batch; rec (may be NULL) is the record it came in, taken. */
static struct fetch *add(struct batch *b, const char *session, json_object *rec)
{
	struct fetch *f = &b->items[b->count++];
	memset(f, 0, sizeof *f);
	f->b = b;
	f->rec = rec;
	if (session && !(f->session = strdup(session)))
		fail(f, "", "out of memory");
	return f;
}

/* Reads sessions from stdin a batch at a time. Returns the exit status. */
static int from_stdin(struct batch *b, size_t jobs)
{
	wr_line_reader *r = wr_line_reader_new(stdin, b->limits->max_bytes);
	int status = EXIT_OK, rc;
	const char *line;
	size_t len;
	int too_long;
	unsigned long sessions = 0;

	if (!r) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	while ((rc = wr_line_reader_next(r, &line, &len, &too_long)) == 1) {
		unsigned long lineno = wr_line_reader_lineno(r);
		char where[64];
		snprintf(where, sizeof where, "standard input, line %lu: ", lineno);
		if (too_long) {
			wr_json_error err;
			char msg[600];
			wr_line_too_long(&err, b->limits->max_bytes);
			fail(add(b, NULL, NULL), where, cli_json_error(&err, msg, sizeof msg));
		} else {
			char *session, why[300];
			json_object *rec;
			int got = wrc_read_session_line(line, len, b->limits, &session, &rec, why,
			                                sizeof why);
			if (got == 0)
				continue;
			struct fetch *f = add(b, session, rec);
			if (got < 0)
				fail(f, where, why);
			free(session);
		}
		sessions++;
		if (b->count == BATCH) {
			int br = run_batch(b, jobs);
			if (br < 0) {
				status = EXIT_USAGE;
				break;
			}
			if (br > 0)
				status = EXIT_NEGATIVE;
		}
	}
	wr_line_reader_free(r);
	if (rc < 0)
		cli_error("standard input: read error");
	/* The sessions read before a read error still get their records. */
	int br = status == EXIT_USAGE ? -1 : run_batch(b, jobs);
	if (br < 0 || rc < 0)
		return EXIT_USAGE;
	if (sessions == 0) {
		/* Nothing fetched is not a success: after a failed dispatch the pipe is empty. */
		cli_error("no session on standard input");
		return EXIT_NEGATIVE;
	}
	return br > 0 ? EXIT_NEGATIVE : status;
}

static int from_args(struct batch *b, size_t jobs, char **ids, int n)
{
	int status = EXIT_OK;
	for (int i = 0; i < n; i++) {
		add(b, ids[i], NULL);
		if (b->count == BATCH || i == n - 1) {
			int rc = run_batch(b, jobs);
			if (rc < 0)
				return EXIT_USAGE;
			if (rc > 0)
				status = EXIT_NEGATIVE;
		}
	}
	return status;
}

static const cli_option option_table[] = {
	{"jobs", 'j', "N", "at most N requests at once (default 8)", 'j'},
	{"timeout", 0, "DUR", "give up a request after DUR (default 30s)", WRC_OPT_TIMEOUT},
	{"request-timeout", 0, "DUR", "the same as --timeout", WRC_OPT_REQUEST_TIMEOUT},
	{"max-nodes", 0, "N", "fail a record closed when its run lists more than N nodes, none "
	 "of which is fetched (default 2000)", OPT_MAX_NODES},
	{"max-record-bytes", 0, "SIZE", "fail a record closed when its nodes' bodies pass SIZE "
	 "bytes (K, M, G suffixes; default 64M)", OPT_MAX_RECORD_BYTES},
	{"session-timeout", 0, "DUR", "fail a record closed when its session takes longer than "
	 "DUR to read (90s, 5m, 1h; default 5m)", OPT_SESSION_TIMEOUT},
	WRC_OPTIONS,
};

/* What the options set; the two texts name a bound as the user gave it. */
typedef struct parse_ctx {
	wrc_options opts;
	long long jobs;
	struct bounds bounds;
	char bytes_text[96], timeout_text[96];
} parse_ctx;

static int handle_option(void *ctx, int id, const char *arg)
{
	parse_ctx *pc = ctx;
	struct bounds *bounds = &pc->bounds;
	int h = wrc_handle_option(&pc->opts, id, arg);
	if (h != 0)
		return h < 0 ? -1 : 0;
	switch (id) {
	case 'j':
		if (wr_parse_count(arg, &pc->jobs) < 0 || pc->jobs < 1 || pc->jobs > MAX_JOBS)
			return cli_usage_error("invalid --jobs '%s': expected 1 to %d", arg, MAX_JOBS);
		break;
	case OPT_MAX_NODES:
		if (wr_parse_count(arg, &bounds->max_nodes) < 0 || bounds->max_nodes < 1 ||
		    bounds->max_nodes > MAX_MAX_NODES)
			return cli_usage_error("invalid --max-nodes '%s': expected 1 to %d", arg,
			                       MAX_MAX_NODES);
		break;
	case OPT_MAX_RECORD_BYTES:
		if (wr_parse_size(arg, &bounds->max_record_bytes) < 0 || bounds->max_record_bytes == 0)
			return cli_usage_error("invalid --max-record-bytes '%s': expected a size such as "
			                       "64M", arg);
		snprintf(pc->bytes_text, sizeof pc->bytes_text, "--max-record-bytes %.60s", arg);
		bounds->max_record_bytes_text = pc->bytes_text;
		break;
	case OPT_SESSION_TIMEOUT:
		if (wrc_parse_timeout("--session-timeout", arg, &bounds->session_timeout_ms) < 0)
			return -1;
		snprintf(pc->timeout_text, sizeof pc->timeout_text, "--session-timeout %.60s", arg);
		bounds->session_timeout_text = pc->timeout_text;
		break;
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "[OPTION]... [SESSION]...",
	.description =
		"Fetch the notes and artifacts of WorkRail sessions: one record per session,\n"
		"{\"session\",\"recapMarkdown\",\"artifacts\"}, in input order. Sessions come from\n"
		"the arguments, else from standard input (a handle per line, or a record with\n"
		"\"session\", whose other fields are passed through).\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"Exit status: 0 every session read, 1 a session or one of its nodes could not be\n"
		"read, or a bound was passed (its record has \"error\"), 2 bad usage.\n",
	.handle = handle_option,
};

int main(int argc, char **argv)
{
	parse_ctx pc = {.jobs = 8,
	                .bounds = {.max_nodes = DEFAULT_MAX_NODES,
	                           .max_record_bytes = DEFAULT_MAX_RECORD_BYTES,
	                           .session_timeout_ms = DEFAULT_SESSION_TIMEOUT_MS,
	                           .max_record_bytes_text = "--max-record-bytes 64M",
	                           .session_timeout_text = "--session-timeout 5m"}};
	int first;

	cli_set_program(argv[0]);
	wrc_options_init(&pc.opts);
	int status = cli_parse(&program, &pc, &pc.opts.limits, argc, argv, &first);
	if (status != CLI_RUN)
		return status;
	for (int i = first; i < argc; i++) {
		const char *why;
		if (!wrc_valid_id(argv[i], strlen(argv[i]), &why))
			return cli_usage_error("invalid session '%s': %s", argv[i], why);
	}

	struct batch *b = calloc(1, sizeof *b);
	if (!b) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	b->limits = &pc.opts.limits;
	b->bounds = &pc.bounds;
	b->client = wrc_client_new(&pc.opts);
	if (!b->client) {
		free(b);
		return EXIT_USAGE;
	}
	status = first < argc ? from_args(b, (size_t)pc.jobs, argv + first, argc - first)
	                      : from_stdin(b, (size_t)pc.jobs);
	wr_client_free(b->client);
	free(b);
	return status;
}
