/* SPDX-License-Identifier: MIT */
/* wrkit/workrail.h: the WorkRail console HTTP API, as wr-fetch-notes, wr-dispatch and
 * wr-await meet it.
 *
 * Two halves that never mix:
 * - Response parsers: pure functions from a body (bytes, length, HTTP status) to a
 *   parsed struct. They do no I/O, take hostile bytes, and fail closed with a one-line
 *   message. The URL and lock-file helpers are pure too.
 * - The client: libcurl, at most JOBS transfers at once, per-request timeouts, no
 *   redirects, http/https only, a response size limit. It reports what happened on
 *   the wire; what a body means is the parsers' job.
 */
#ifndef WRKIT_WORKRAIL_H
#define WRKIT_WORKRAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/error.h"
#include "wrkit/json_input.h"

#define WR_WORKRAIL_DEFAULT_PORT 3456
#define WR_WORKRAIL_DEFAULT_HOST "127.0.0.1"
#define WR_WORKRAIL_DISPATCH_PATH "/api/v2/auto/dispatch"

/* ---- Response parsers (pure) ---- */

typedef enum wr_api_status {
	WR_API_OK = 0,
	WR_API_NOT_FOUND,  /* HTTP 404 */
	WR_API_HTTP_ERROR, /* another status outside 2xx, or a body saying success: false */
	WR_API_MALFORMED   /* a body that is not JSON, or not the documented shape */
} wr_api_status;

/* One node of a run, as the session detail lists it. */
typedef struct wr_node_ref {
	char *id;
	char *parent_id;  /* NULL when null or absent */
	char *step_label; /* NULL when null or absent: the terminal node has none */
	bool has_recap;
} wr_node_ref;

/* GET /api/v2/sessions/:id, reduced to what the tools use. */
typedef struct wr_session_detail {
	char *session_status; /* data.status when the session as a whole has one ("dormant") */
	size_t run_count;     /* 0: the session does not exist (WorkRail answers 200, runs []) */
	/* The rest describes runs[0], the most recent run, when run_count > 0. */
	char *run_status;    /* in_progress, complete, complete_with_gaps, blocked, ... */
	char *preferred_tip; /* NULL when null or absent */
	wr_node_ref *nodes;  /* in the server's order */
	size_t node_count;
} wr_session_detail;

/* Parses a session detail response. HTTP 404 is WR_API_NOT_FOUND; another status
 * outside 2xx or success:false is WR_API_HTTP_ERROR; a body that is not JSON within
 * limits (NULL: defaults), or lacks data.runs, or whose runs[0] lacks a string status
 * or a nodes array of objects with string nodeIds, is WR_API_MALFORMED. On anything but
 * WR_API_OK, err says why in one line (the body's "error" when it has one) and *out is
 * empty. *out must be freed with wr_session_detail_free either way. */
wr_api_status wr_session_detail_parse(const char *body, size_t len, long http_status,
                                      const wr_json_limits *limits, wr_session_detail *out,
                                      wr_error *err);
void wr_session_detail_free(wr_session_detail *d);

/* The node index in d->nodes of the run's notes: the preferred tip, or its parent when
 * the tip is the terminal node a completed run ends on (no step label, no recap, run
 * status complete or complete_with_gaps). Never an earlier step. Returns the index, or
 * -1 with err when the run has no preferred tip, the tip is not among the nodes, or the
 * terminal node's parent is missing. */
long wr_session_notes_node(const wr_session_detail *d, wr_error *err);

typedef enum wr_run_outcome {
	WR_RUN_PENDING = 0, /* not terminal yet (in_progress, or a status we do not know) */
	WR_RUN_SUCCESS,     /* complete, complete_with_gaps */
	WR_RUN_FAILED,      /* blocked */
	WR_RUN_DORMANT      /* the session went dormant: taken as timed out */
} wr_run_outcome;

/* What a session's state means for a waiter: a dormant session (data.status or the
 * run's status) is WR_RUN_DORMANT, else the run status decides. d must have a run. */
wr_run_outcome wr_session_outcome(const wr_session_detail *d);

/* The status to report for d: the run's, or "dormant" when the session is. */
const char *wr_session_status(const wr_session_detail *d);

/* GET /api/v2/sessions/:id/nodes/:nodeId. */
typedef struct wr_node_detail {
	char *recap;           /* recapMarkdown; NULL when null */
	json_object *artifacts; /* a new array: each stored-artifact wrapper replaced by its
	                         * content, bare artifacts as they are, in order */
} wr_node_detail;

/* Parses a node detail response; statuses as wr_session_detail_parse. Malformed: not
 * JSON, no data object, recapMarkdown absent or neither string nor null, artifacts
 * neither array nor absent/null. Free with wr_node_detail_free either way. */
wr_api_status wr_node_detail_parse(const char *body, size_t len, long http_status,
                                   const wr_json_limits *limits, wr_node_detail *out,
                                   wr_error *err);
void wr_node_detail_free(wr_node_detail *d);

typedef enum wr_dispatch_status {
	WR_DISPATCH_OK = 0,
	WR_DISPATCH_NOT_READY, /* HTTP 503: the daemon is up but cannot start sessions */
	WR_DISPATCH_FAILED,    /* another HTTP error, or success: false */
	WR_DISPATCH_NO_HANDLE  /* 2xx without a session handle: a zombie */
} wr_dispatch_status;

/* POST /api/v2/auto/dispatch. handle is set (caller frees) only when
 * WR_DISPATCH_OK; otherwise err holds the message users see, as SPEC section 4 words
 * it: "WorkTrain daemon is not ready: E" (with " Start it with: worktrain daemon" when E
 * says dispatch requires the daemon, as WorkRail 3.121 does), "Dispatch failed: E" (E the body's error, or
 * "HTTP N" when it has none), "Dispatch succeeded but no session handle returned". */
wr_dispatch_status wr_dispatch_reply_parse(const char *body, size_t len, long http_status,
                                           const wr_json_limits *limits, char **handle,
                                           wr_error *err);

/* The dispatch request body {"workflowId","goal","workspacePath"}, a new string, or
 * NULL when out of memory. */
char *wr_dispatch_request_body(const char *workflow, const char *goal, const char *workspace);

/* The port a lock file names: its "port", an integer 1..65535. Returns -1 when buf is
 * not such a JSON object. */
int wr_lockfile_port(const char *buf, size_t len);

/* ---- URLs (pure) ---- */

/* s percent-encoded as one path segment: everything but A-Z a-z 0-9 - . _ ~ becomes
 * %XX, and dots too when s is "." or "..", which would otherwise move up the path.
 * Returns a new string, or NULL when out of memory. */
char *wr_url_encode_segment(const char *s);

/* "/api/v2/sessions/<id>" and "/api/v2/sessions/<id>/nodes/<node>", segments encoded.
 * New strings, NULL when out of memory. */
char *wr_session_path(const char *session_id);
char *wr_node_path(const char *session_id, const char *node_id);

/* The base URL for host and port: "http://HOST:PORT". host is a name, an IPv4 or IPv6
 * address (brackets optional), optionally prefixed with "http://" or "https://". A
 * port, path, user or any other scheme in host is refused. Returns a new string, or
 * NULL with err. */
char *wr_base_url(const char *host, int port, wr_error *err);

/* ---- Port discovery (reads files) ---- */

/* The daemon's port: the "port" of HOME/.workrail/daemon-console.lock, else of
 * HOME/.workrail/dashboard.lock, else 3456. A missing, unreadable or corrupt lock file
 * is skipped. home NULL: $HOME, else the password database. */
int wr_workrail_port(const char *home);

/* ---- The client (libcurl) ---- */

typedef struct wr_client wr_client;

typedef struct wr_client_options {
	const char *host;        /* see wr_base_url; NULL: 127.0.0.1 */
	int port;                /* 1..65535 */
	long timeout_ms;         /* a whole request, from its start; 0: 30 s */
	long connect_timeout_ms; /* 0: 10 s (never above timeout_ms) */
	size_t max_bytes;        /* response body limit; 0: 64 MiB */
} wr_client_options;

typedef enum wr_http_result {
	WR_HTTP_OK = 0,    /* a response arrived whole; any HTTP status */
	WR_HTTP_REFUSED,   /* could not connect */
	WR_HTTP_TIMEOUT,   /* no whole answer within the timeout */
	WR_HTTP_TOO_LARGE, /* body above max_bytes: the transfer was cut */
	WR_HTTP_FAILED     /* anything else: truncated transfer, bad host, out of memory */
} wr_http_result;

typedef struct wr_http_response {
	wr_http_result result;
	long status; /* the HTTP status when result is WR_HTTP_OK */
	char *body;  /* NUL-terminated for convenience; owned by the client, valid during
	              * the completion callback only */
	size_t len;
	/* When result is not WR_HTTP_OK: one line. WR_HTTP_REFUSED says exactly
	 * "Could not connect to WorkTrain daemon on port N. Start with: worktrain daemon". */
	char error[256];
	const char *method, *path; /* of the request */
} wr_http_response;

/* Called once per request when it ends, from inside wr_client_run; may queue more. */
typedef void (*wr_http_done_fn)(wr_client *c, void *ctx, const wr_http_response *resp);

/* A client for one daemon. Returns NULL with err (bad host, out of memory). */
wr_client *wr_client_new(const wr_client_options *opts, wr_error *err);
void wr_client_free(wr_client *c);

/* The port the client talks to. */
int wr_client_port(const wr_client *c);

/* The timeout of requests started from now on (ms > 0). */
void wr_client_set_timeout(wr_client *c, long timeout_ms);

/* No request ends later than deadline_ms (CLOCK_MONOTONIC milliseconds): each one
 * started from now on times out by then (one started after it times out at once).
 * 0 removes the deadline. */
void wr_client_set_deadline(wr_client *c, long long deadline_ms);

/* Queue a GET of path (already encoded), or a POST of a JSON body (copied). Nothing is
 * sent before wr_client_run. Return 0, or -1 when out of memory. */
int wr_client_get(wr_client *c, const char *path, wr_http_done_fn done, void *ctx);
int wr_client_post_json(wr_client *c, const char *path, const char *json, wr_http_done_fn done,
                        void *ctx);

/* Performs the queued requests, at most jobs at once, in queue order, until none is
 * queued or running (callbacks may queue more). Every request's callback runs exactly
 * once. Returns 0, or -1 when libcurl itself fails (err says why). */
int wr_client_run(wr_client *c, size_t jobs, wr_error *err);

#endif
