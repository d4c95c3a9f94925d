/* SPDX-License-Identifier: MIT */
/* WorkRail responses: pure functions from a body to what it says. No I/O here: these
 * take hostile bytes (a later fuzzer feeds them directly). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/contracts.h"
#include "wrkit/workrail.h"

/* Quoted server text is cut to this many bytes so that a message stays one short line. */
#define QUOTE_MAX 200

/* Fills err (may be NULL) like snprintf; a message cut by the buffer is cut at a
 * character boundary, so that it stays UTF-8 (it may end up in a JSON record). */
static void set_error(wr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trim_partial_utf8(char *s)
{
	size_t len = strlen(s), i = len;
	/* Back up over continuation bytes to the start of the last sequence. */
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

static void set_error(wr_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof err->message)
		trim_partial_utf8(err->message);
}

/* Copies at most QUOTE_MAX bytes of s into buf, ending on a character boundary, with
 * control characters turned into spaces (a quote must not break the line). */
static const char *quote(const char *s, char *buf, size_t size)
{
	size_t max = size - 1 < QUOTE_MAX ? size - 1 : QUOTE_MAX;
	size_t n = strlen(s);
	if (n > max)
		n = max;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strlen(s) > n)
		trim_partial_utf8(buf);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return buf;
}

static json_object *get(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

/* The string at key, or NULL when absent, null or not a string. */
static const char *get_string(json_object *obj, const char *key)
{
	json_object *v = get(obj, key);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A string value without an embedded NUL (json-c keeps \u0000; C strings would cut
 * there, and an id cut short names another object). */
static bool is_clean_string(json_object *v)
{
	return json_object_is_type(v, json_type_string) &&
	       strlen(json_object_get_string(v)) == (size_t)json_object_get_string_len(v);
}

/* The body's "error" string, quoted, or NULL. */
static const char *body_error(json_object *doc, char *buf, size_t size)
{
	const char *e = get_string(doc, "error");
	return e && *e ? quote(e, buf, size) : NULL;
}

/* Classifies a response by HTTP status and envelope. On WR_API_OK, *data is the
 * envelope's data (borrowed from *doc, which the caller puts). */
static wr_api_status open_envelope(const char *body, size_t len, long http_status,
                                   const wr_json_limits *limits, json_object **doc,
                                   json_object **data, wr_error *err)
{
	wr_json_error jerr;
	char q[QUOTE_MAX + 1];

	*doc = NULL;
	*data = NULL;
	int parsed = wr_json_parse(body, len, limits, doc, &jerr) == 0;
	const char *msg = parsed ? body_error(*doc, q, sizeof q) : NULL;

	if (http_status == 404) {
		set_error(err, "not found (HTTP 404%s%s)", msg ? ": " : "", msg ? msg : "");
		return WR_API_NOT_FOUND;
	}
	if (http_status < 200 || http_status > 299) {
		set_error(err, "HTTP %ld%s%s", http_status, msg ? ": " : "", msg ? msg : "");
		return WR_API_HTTP_ERROR;
	}
	if (!parsed) {
		char desc[300];
		set_error(err, "malformed response: %s",
		          wr_json_error_describe(&jerr, desc, sizeof desc));
		return WR_API_MALFORMED;
	}
	if (!json_object_is_type(*doc, json_type_object)) {
		set_error(err, "malformed response: not a JSON object");
		return WR_API_MALFORMED;
	}
	json_object *success = get(*doc, "success");
	if (json_object_is_type(success, json_type_boolean) && !json_object_get_boolean(success)) {
		set_error(err, "request failed: %s", msg ? msg : "no error given");
		return WR_API_HTTP_ERROR;
	}
	if (!json_object_is_type(success, json_type_boolean)) {
		set_error(err, "malformed response: no \"success\" flag");
		return WR_API_MALFORMED;
	}
	*data = get(*doc, "data");
	if (!json_object_is_type(*data, json_type_object)) {
		set_error(err, "malformed response: no \"data\" object");
		return WR_API_MALFORMED;
	}
	return WR_API_OK;
}

/* A copy of the string at key: 0 with *out NULL when absent or null, 0 with a copy,
 * -1 when it is something else (or out of memory: *oom set). */
static int dup_optional_string(json_object *obj, const char *key, char **out, bool *oom)
{
	json_object *v = get(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!is_clean_string(v))
		return -1;
	*out = strdup(json_object_get_string(v));
	if (!*out) {
		*oom = true;
		return -1;
	}
	return 0;
}

void wr_session_detail_free(wr_session_detail *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->node_count; i++) {
		free(d->nodes[i].id);
		free(d->nodes[i].parent_id);
		free(d->nodes[i].step_label);
	}
	free(d->nodes);
	free(d->session_status);
	free(d->run_status);
	free(d->preferred_tip);
	memset(d, 0, sizeof *d);
}

/* Fills n from one element of runs[0].nodes. Returns 0, or -1 with err. */
static int parse_node_ref(json_object *node, size_t i, wr_node_ref *n, wr_error *err)
{
	bool oom = false;
	json_object *id = get(node, "nodeId");

	if (!json_object_is_type(node, json_type_object)) {
		set_error(err, "malformed response: runs[0].nodes[%zu] is not an object", i);
		return -1;
	}
	if (!is_clean_string(id) || json_object_get_string_len(id) == 0) {
		set_error(err, "malformed response: runs[0].nodes[%zu] has no nodeId", i);
		return -1;
	}
	n->id = strdup(json_object_get_string(id));
	if (!n->id)
		oom = true;
	if (oom || dup_optional_string(node, "parentNodeId", &n->parent_id, &oom) < 0 ||
	    dup_optional_string(node, "stepLabel", &n->step_label, &oom) < 0) {
		if (oom)
			set_error(err, "out of memory");
		else
			set_error(err, "malformed response: runs[0].nodes[%zu] has a bad "
			               "parentNodeId or stepLabel", i);
		return -1;
	}
	json_object *recap = get(node, "hasRecap");
	n->has_recap = json_object_is_type(recap, json_type_boolean) && json_object_get_boolean(recap);
	return 0;
}

static wr_api_status parse_run(json_object *run, wr_session_detail *out, wr_error *err)
{
	bool oom = false;
	json_object *status = get(run, "status");

	if (!json_object_is_type(run, json_type_object)) {
		set_error(err, "malformed response: runs[0] is not an object");
		return WR_API_MALFORMED;
	}
	if (!is_clean_string(status)) {
		set_error(err, "malformed response: runs[0] has no status");
		return WR_API_MALFORMED;
	}
	out->run_status = strdup(json_object_get_string(status));
	if (!out->run_status) {
		set_error(err, "out of memory");
		return WR_API_MALFORMED;
	}
	if (dup_optional_string(run, "preferredTipNodeId", &out->preferred_tip, &oom) < 0) {
		if (oom)
			set_error(err, "out of memory");
		else
			set_error(err, "malformed response: runs[0].preferredTipNodeId is not a string");
		return WR_API_MALFORMED;
	}
	json_object *nodes = get(run, "nodes");
	if (!json_object_is_type(nodes, json_type_array)) {
		set_error(err, "malformed response: runs[0] has no nodes array");
		return WR_API_MALFORMED;
	}
	size_t count = json_object_array_length(nodes);
	if (count > 0) {
		out->nodes = calloc(count, sizeof *out->nodes);
		if (!out->nodes) {
			set_error(err, "out of memory");
			return WR_API_MALFORMED;
		}
	}
	for (size_t i = 0; i < count; i++) {
		out->node_count = i + 1; /* so that free releases what parse_node_ref filled */
		if (parse_node_ref(json_object_array_get_idx(nodes, i), i, &out->nodes[i], err) < 0)
			return WR_API_MALFORMED;
	}
	return WR_API_OK;
}

wr_api_status wr_session_detail_parse(const char *body, size_t len, long http_status,
                                      const wr_json_limits *limits, wr_session_detail *out,
                                      wr_error *err)
{
	json_object *doc, *data;
	bool oom = false;

	memset(out, 0, sizeof *out);
	wr_api_status st = open_envelope(body, len, http_status, limits, &doc, &data, err);
	if (st != WR_API_OK)
		goto done;
	st = WR_API_MALFORMED;
	json_object *runs = get(data, "runs");
	if (!json_object_is_type(runs, json_type_array)) {
		set_error(err, "malformed response: no data.runs array");
		goto done;
	}
	/* The session's own status ("dormant") is optional; a non-string one is ignored. */
	json_object *sstatus = get(data, "status");
	if (is_clean_string(sstatus) &&
	    dup_optional_string(data, "status", &out->session_status, &oom) < 0) {
		set_error(err, "out of memory");
		goto done;
	}
	out->run_count = json_object_array_length(runs);
	st = out->run_count ? parse_run(json_object_array_get_idx(runs, 0), out, err) : WR_API_OK;
done:
	json_object_put(doc);
	if (st != WR_API_OK)
		wr_session_detail_free(out);
	return st;
}

static bool run_completed(const char *status)
{
	return status && (strcmp(status, "complete") == 0 || strcmp(status, "complete_with_gaps") == 0);
}

static long find_node(const wr_session_detail *d, const char *id)
{
	for (size_t i = 0; i < d->node_count; i++)
		if (strcmp(d->nodes[i].id, id) == 0)
			return (long)i;
	return -1;
}

long wr_session_notes_node(const wr_session_detail *d, wr_error *err)
{
	if (d->run_count == 0) {
		set_error(err, "session has no runs");
		return -1;
	}
	if (!d->preferred_tip) {
		set_error(err, "run has no preferred tip node");
		return -1;
	}
	long tip = find_node(d, d->preferred_tip);
	if (tip < 0) {
		set_error(err, "run's preferred tip node is not among its nodes");
		return -1;
	}
	const wr_node_ref *t = &d->nodes[tip];
	/* WorkRail ends a completed run on a terminal node without notes; the review's
	 * notes are on the step before it. Only that one step back: an earlier step's
	 * notes are not the verdict. */
	if (t->step_label || t->has_recap || !run_completed(d->run_status))
		return tip;
	if (!t->parent_id) {
		set_error(err, "run's terminal node has no parent step");
		return -1;
	}
	long parent = find_node(d, t->parent_id);
	if (parent < 0) {
		set_error(err, "run's terminal node's parent is not among its nodes");
		return -1;
	}
	return parent;
}

wr_run_outcome wr_session_outcome(const wr_session_detail *d)
{
	const char *s = wr_session_status(d);
	if (!s)
		return WR_RUN_PENDING;
	if (strcmp(s, "dormant") == 0)
		return WR_RUN_DORMANT;
	if (run_completed(s))
		return WR_RUN_SUCCESS;
	if (strcmp(s, "blocked") == 0)
		return WR_RUN_FAILED;
	return WR_RUN_PENDING;
}

const char *wr_session_status(const wr_session_detail *d)
{
	if (d->session_status && strcmp(d->session_status, "dormant") == 0)
		return d->session_status;
	return d->run_status;
}

void wr_node_detail_free(wr_node_detail *d)
{
	if (!d)
		return;
	free(d->recap);
	json_object_put(d->artifacts);
	memset(d, 0, sizeof *d);
}

wr_api_status wr_node_detail_parse(const char *body, size_t len, long http_status,
                                   const wr_json_limits *limits, wr_node_detail *out,
                                   wr_error *err)
{
	json_object *doc, *data;

	memset(out, 0, sizeof *out);
	wr_api_status st = open_envelope(body, len, http_status, limits, &doc, &data, err);
	if (st != WR_API_OK)
		goto done;
	st = WR_API_MALFORMED;
	json_object *recap;
	if (!json_object_object_get_ex(data, "recapMarkdown", &recap)) {
		set_error(err, "malformed response: no recapMarkdown");
		goto done;
	}
	if (recap && !is_clean_string(recap)) {
		set_error(err, "malformed response: recapMarkdown is neither a string nor null");
		goto done;
	}
	json_object *arts = get(data, "artifacts");
	if (arts && !json_object_is_type(arts, json_type_array)) {
		set_error(err, "malformed response: artifacts is not an array");
		goto done;
	}
	out->artifacts = json_object_new_array();
	if (!out->artifacts || (recap && !(out->recap = strdup(json_object_get_string(recap))))) {
		set_error(err, "out of memory");
		goto done;
	}
	size_t n = arts ? json_object_array_length(arts) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *a = wr_artifact_unwrap(json_object_array_get_idx(arts, i));
		if (json_object_array_add(out->artifacts, json_object_get(a)) < 0) {
			json_object_put(a);
			set_error(err, "out of memory");
			goto done;
		}
	}
	st = WR_API_OK;
done:
	json_object_put(doc);
	if (st != WR_API_OK)
		wr_node_detail_free(out);
	return st;
}

wr_dispatch_status wr_dispatch_reply_parse(const char *body, size_t len, long http_status,
                                           const wr_json_limits *limits, char **handle,
                                           wr_error *err)
{
	wr_json_error jerr;
	json_object *doc = NULL;
	char q[QUOTE_MAX + 1];
	wr_dispatch_status st;

	*handle = NULL;
	int parsed = wr_json_parse(body, len, limits, &doc, &jerr) == 0;
	const char *msg = parsed ? body_error(doc, q, sizeof q) : NULL;
	char status_text[32];
	snprintf(status_text, sizeof status_text, "HTTP %ld", http_status);

	if (http_status == 503) {
		/* WorkRail 3.121's console answers this when no WorkTrain daemon runs beside
		 * it; its text speaks of browser dispatch, so say what a CLI user must do. */
		bool no_daemon = msg && strstr(msg, "requires the WorkTrain daemon");
		set_error(err, "WorkTrain daemon is not ready: %s%s", msg ? msg : status_text,
		          no_daemon ? " Start it with: worktrain daemon" : "");
		st = WR_DISPATCH_NOT_READY;
	} else if (http_status < 200 || http_status > 299) {
		set_error(err, "Dispatch failed: %s", msg ? msg : status_text);
		st = WR_DISPATCH_FAILED;
	} else if (json_object_is_type(get(doc, "success"), json_type_boolean) &&
	           !json_object_get_boolean(get(doc, "success"))) {
		set_error(err, "Dispatch failed: %s", msg ? msg : "success: false");
		st = WR_DISPATCH_FAILED;
	} else {
		/* The daemon said yes: a session may exist even if we cannot name it. */
		json_object *h = get(get(doc, "data"), "sessionHandle");
		if (!is_clean_string(h) || json_object_get_string_len(h) == 0) {
			set_error(err, "Dispatch succeeded but no session handle returned");
			st = WR_DISPATCH_NO_HANDLE;
		} else if (!(*handle = strdup(json_object_get_string(h)))) {
			set_error(err, "Dispatch failed: out of memory");
			st = WR_DISPATCH_FAILED;
		} else {
			st = WR_DISPATCH_OK;
		}
	}
	json_object_put(doc);
	return st;
}

/* Adds the string value under key. Returns 0, or -1 when out of memory (a value
 * json-c could not make would otherwise be added as null). */
static int add_string(json_object *o, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	if (!v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

char *wr_dispatch_request_body(const char *workflow, const char *goal, const char *workspace)
{
	json_object *o = json_object_new_object();
	char *s = NULL;
	if (!o)
		return NULL;
	if (add_string(o, "workflowId", workflow) == 0 && add_string(o, "goal", goal) == 0 &&
	    add_string(o, "workspacePath", workspace) == 0) {
		const char *text = json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (text)
			s = strdup(text);
	}
	json_object_put(o);
	return s;
}

int wr_lockfile_port(const char *buf, size_t len)
{
	wr_json_limits limits = {64 * 1024, 16};
	wr_json_error jerr;
	json_object *doc;
	int port = -1;

	if (wr_json_parse(buf, len, &limits, &doc, &jerr) < 0)
		return -1;
	json_object *p = get(doc, "port");
	if (json_object_is_type(p, json_type_int)) {
		int64_t v = json_object_get_int64(p);
		if (v >= 1 && v <= 65535)
			port = (int)v;
	}
	json_object_put(doc);
	return port;
}

/* ---- URLs ---- */

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

char *wr_url_encode_segment(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	bool dots_only = strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1), *p = out;

	if (!out)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (unreserved(*c) && !(dots_only && *c == '.')) {
			*p++ = (char)*c;
		} else {
			*p++ = '%';
			*p++ = hex[*c >> 4];
			*p++ = hex[*c & 15];
		}
	}
	*p = '\0';
	return out;
}

/* "/a/b/..." from segments, each encoded. */
static char *join_path(const char *const *segs, size_t n)
{
	char *enc[4] = {NULL};
	size_t total = 1;
	char *out = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!(enc[i] = wr_url_encode_segment(segs[i])))
			goto done;
		total += strlen(enc[i]) + 1;
	}
	out = malloc(total);
	if (!out)
		goto done;
	char *p = out;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(enc[i]);
		*p++ = '/';
		memcpy(p, enc[i], l);
		p += l;
	}
	*p = '\0';
done:
	for (size_t i = 0; i < n; i++)
		free(enc[i]);
	return out;
}

char *wr_session_path(const char *session_id)
{
	const char *segs[] = {"api", "v2", "sessions", session_id};
	return join_path(segs, 4);
}

char *wr_node_path(const char *session_id, const char *node_id)
{
	char *head = wr_session_path(session_id);
	char *tail = wr_url_encode_segment(node_id);
	char *out = NULL;
	if (head && tail) {
		size_t size = strlen(head) + strlen("/nodes/") + strlen(tail) + 1;
		out = malloc(size);
		if (out)
			snprintf(out, size, "%s/nodes/%s", head, tail);
	}
	free(head);
	free(tail);
	return out;
}

static bool host_char(unsigned char c)
{
	return unreserved(c) && c != '~';
}

char *wr_base_url(const char *host, int port, wr_error *err)
{
	const char *scheme = "http";
	const char *name = host ? host : WR_WORKRAIL_DEFAULT_HOST;
	const char *sep = strstr(name, "://");

	if (port < 1 || port > 65535) {
		set_error(err, "invalid port %d: expected 1 to 65535", port);
		return NULL;
	}
	if (sep) {
		size_t sl = (size_t)(sep - name);
		if (sl == 4 && strncmp(name, "http", 4) == 0)
			scheme = "http";
		else if (sl == 5 && strncmp(name, "https", 5) == 0)
			scheme = "https";
		else {
			set_error(err, "unsupported scheme in host '%.*s': only http and https",
			          (int)(sl > 32 ? 32 : sl), name);
			return NULL;
		}
		name = sep + 3;
	}
	size_t n = strlen(name);
	bool bracketed = n >= 2 && name[0] == '[' && name[n - 1] == ']';
	const char *start = bracketed ? name + 1 : name;
	size_t len = bracketed ? n - 2 : n;
	bool ipv6 = memchr(start, ':', len) != NULL;
	if (len == 0) {
		set_error(err, "empty host name");
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)start[i];
		bool ok = ipv6 ? (c == ':' || c == '.' || (c >= '0' && c <= '9') ||
		                  (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
		               : host_char(c);
		if (!ok) {
			set_error(err, "invalid host '%s': expected a host name or an address, "
			               "without port or path (the port is --port)",
			          host);
			return NULL;
		}
	}
	if (bracketed && !ipv6) {
		set_error(err, "invalid host '%s': brackets hold an IPv6 address", host);
		return NULL;
	}
	size_t size = strlen(scheme) + len + 16;
	char *url = malloc(size);
	if (!url) {
		set_error(err, "out of memory");
		return NULL;
	}
	snprintf(url, size, ipv6 ? "%s://[%.*s]:%d" : "%s://%.*s:%d", scheme, (int)len, start, port);
	return url;
}
