/* SPDX-License-Identifier: MIT */
/* workrail_cli.h: what wr-fetch-notes, wr-dispatch and wr-await share: the options that
 * reach the daemon (--port, --host, timeouts, limits), the client they build, and how
 * transport failures read. Not part of libwrkit: this prints. */
#ifndef WRKIT_WORKRAIL_CLI_H
#define WRKIT_WORKRAIL_CLI_H

#include "cli.h"
#include "wrkit/json_input.h"
#include "wrkit/workrail.h"

enum {
	WRC_OPT_HOST = 0x1000,
	WRC_OPT_TIMEOUT,         /* --timeout: per request (wr-await gives it its own meaning) */
	WRC_OPT_REQUEST_TIMEOUT, /* --request-timeout: per request, on every program */
	WRC_OPT_CONNECT_TIMEOUT
};

/* The rows of the options every one of the three takes, after its own in its table
 * (cli.h). --request-timeout is in each program's own rows: its help differs. */
#define WRC_OPTIONS                                                                        \
	{"port", 'p', "N", "the daemon's port (default: the port of "                        \
	 "~/.workrail/daemon-console.lock, else of ~/.workrail/dashboard.lock, else 3456)",  \
	 'p'},                                                                               \
	{"host", 0, "HOST", "the daemon's host, optionally https://HOST (default 127.0.0.1)", \
	 WRC_OPT_HOST},                                                                      \
	{"connect-timeout", 0, "DUR", "give up connecting after DUR (default 10s)",           \
	 WRC_OPT_CONNECT_TIMEOUT},                                                           \
	CLI_OPTION_MAX_BYTES("refuse responses larger than SIZE"),                            \
	CLI_OPTION_MAX_DEPTH("refuse JSON nested deeper than N")

typedef struct wrc_options {
	const char *host;
	int port; /* 0: discover */
	long long request_timeout_ms;
	long long connect_timeout_ms;
	wr_json_limits limits;
} wrc_options;

void wrc_options_init(wrc_options *o);

/* Handles one of the common options (by its id in WRC_OPTIONS; the limits are cli.c's).
 * Returns 1 when handled, 0 when opt is not one of them, -1 after printing a usage
 * error. */
int wrc_handle_option(wrc_options *o, int opt, const char *arg);

/* Parses a per-request timeout ("30", "90s", "500ms", "2m"): > 0. Prints the usage error
 * itself. Returns 0 or -1. */
int wrc_parse_timeout(const char *name, const char *arg, long long *ms);

/* The client the options describe (port discovered when not given). Prints the error
 * and returns NULL when it cannot be built. */
wr_client *wrc_client_new(const wrc_options *o);

/* One line for a response that did not arrive whole, with the option that raises the
 * limit it hit. */
const char *wrc_transport_error(const wr_http_response *resp, const char *timeout_option,
                                char *buf, size_t size);

/* Whether s[0..len) (not necessarily NUL-terminated) can be a session id: non-empty,
 * at most 4096 bytes, UTF-8, no NUL or other control characters. Sets *why when not. */
int wrc_valid_id(const char *s, size_t len, const char **why);

/* One line of a session list on standard input: a record with "session" (its other
 * fields to be passed through), a JSON string, or a bare handle, trimmed. Returns 1
 * with *session (a new string) and *rec (a new reference, NULL for a handle), 0 for a
 * blank line, -1 with why[] filled when the line names no valid session (*rec is then
 * the record when the line was one, so that it can still pass through). */
int wrc_read_session_line(const char *line, size_t len, const wr_json_limits *limits,
                          char **session, json_object **rec, char *why, size_t size);

/* Sets rec[key] to val, a value just made: a NULL val means its allocation failed
 * (json-c would store it as JSON null, which could silently drop an "error"). Returns
 * 0, or -1 (val is released). For a deliberate null, use wrc_set_null. */
int wrc_set(json_object *rec, const char *key, json_object *val);
int wrc_set_null(json_object *rec, const char *key);
/* wrc_set with a new string, or null when s is NULL. */
int wrc_set_string(json_object *rec, const char *key, const char *s);

/* Milliseconds of a monotonic clock. */
long long wrc_now_ms(void);

#endif
