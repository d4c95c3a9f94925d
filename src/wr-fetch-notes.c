/* wr-fetch-notes: the notes and artifacts of WorkRail sessions, one record each.
 *
 * Two steps per session: its detail (runs[0] and its nodes), then every node, all on
 * one libcurl multi queue, at most JOBS transfers at once. Records come out in input
 * order, a batch at a time so that memory stays bounded on long inputs. */
#include <config.h>

#include <getopt.h>
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

#define BATCH 256
#define MAX_JOBS 1024

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
};

struct batch {
	struct fetch items[BATCH];
	size_t count;
	wr_client *client;
	const wr_json_limits *limits;
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

	(void)c;
	if (resp->result != WR_HTTP_OK) {
		slot->error = dup_message(wrc_transport_error(resp, "--timeout", buf, sizeof buf));
		return;
	}
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

static void on_session(wr_client *c, void *ctx, const wr_http_response *resp)
{
	struct fetch *f = ctx;
	char buf[512];
	wr_error err;

	if (resp->result != WR_HTTP_OK) {
		fail(f, "cannot read session: ", wrc_transport_error(resp, "--timeout", buf, sizeof buf));
		return;
	}
	if (wr_session_detail_parse(resp->body, resp->len, resp->status, f->b->limits, &f->detail,
	                            &err) != WR_API_OK) {
		fail(f, "cannot read session: ", err.message);
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

/* Adds a copy of every artifact of the nodes read, in node order, to arts, and a
 * warning for every other node to *warnings. Returns 0, or -1 when out of memory. */
static int collect_artifacts(struct fetch *f, json_object *arts, json_object **warnings)
{
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
		char *w = format("node %s: %s", f->detail.nodes[i].id, s->error);
		if (!w)
			return -1;
		cli_error("session %s: warning: %s (its artifacts are missing)", f->session, w);
		if (!*warnings && !(*warnings = json_object_new_array())) {
			free(w);
			return -1;
		}
		json_object *ws = json_object_new_string(w);
		free(w);
		if (!ws || json_object_array_add(*warnings, ws) < 0) {
			json_object_put(ws);
			return -1;
		}
	}
	return 0;
}

/* Fills rec from the nodes read. Returns 0, or -1 with f->error set when the record
 * must fail closed: the notes node could not be read, or memory ran out. */
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
	json_object *warnings = NULL;
	if (!arts || collect_artifacts(f, arts, &warnings) < 0 ||
	    wrc_set_string(rec, "recapMarkdown", notes->detail.recap) < 0 ||
	    wrc_set(rec, "artifacts", json_object_get(arts)) < 0 ||
	    (warnings && wrc_set(rec, "warnings", json_object_get(warnings)) < 0)) {
		json_object_put(arts);
		json_object_put(warnings);
		fail(f, "", "out of memory");
		return -1;
	}
	json_object_put(arts);
	json_object_put(warnings);
	return 0;
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
	if (f->error || set_fetched_fields(f, rec) < 0) {
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
		failed = incomplete;
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

static void usage(void)
{
	printf("Usage: %s [OPTION]... [SESSION]...\n", cli_program());
	fputs("Fetch the notes and artifacts of WorkRail sessions: one record per session,\n"
	      "{\"session\",\"recapMarkdown\",\"artifacts\"}, in input order. Sessions come from\n"
	      "the arguments, else from standard input (a handle per line, or a record with\n"
	      "\"session\", whose other fields are passed through).\n\n"
	      "  -j, --jobs N             at most N requests at once (default 8)\n"
	      "      --timeout DUR        give up a request after DUR (default 30s)\n",
	      stdout);
	wrc_print_common_help();
	fputs("\nExit status: 0 every session read, 1 a session could not be read (its record\n"
	      "has \"error\"), 2 bad usage.\n",
	      stdout);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"jobs", required_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, WRC_OPT_TIMEOUT},
		WRC_LONG_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	wrc_options opts;
	long long jobs = 8;
	int c;

	cli_set_program(argv[0]);
	wrc_options_init(&opts);
	while ((c = getopt_long(argc, argv, "j:p:", longopts, NULL)) != -1) {
		int h = wrc_handle_option(&opts, c, optarg);
		if (h < 0)
			return EXIT_USAGE;
		if (h > 0)
			continue;
		switch (c) {
		case 'j':
			if (wr_parse_count(optarg, &jobs) < 0 || jobs < 1 || jobs > MAX_JOBS)
				return cli_usage_error("invalid --jobs '%s': expected 1 to %d", optarg,
				                       MAX_JOBS);
			break;
		case 'h':
			usage();
			return EXIT_OK;
		case 'V':
			cli_print_version();
			return EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", cli_program());
			return EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *why;
		if (!wrc_valid_id(argv[i], strlen(argv[i]), &why))
			return cli_usage_error("invalid session '%s': %s", argv[i], why);
	}

	struct batch *b = calloc(1, sizeof *b);
	if (!b) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	b->limits = &opts.limits;
	b->client = wrc_client_new(&opts);
	if (!b->client) {
		free(b);
		return EXIT_USAGE;
	}
	int status = optind < argc ? from_args(b, (size_t)jobs, argv + optind, argc - optind)
	                           : from_stdin(b, (size_t)jobs);
	wr_client_free(b->client);
	free(b);
	return status;
}
