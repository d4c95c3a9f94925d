/* SPDX-License-Identifier: MIT */
/* The WorkRail client: libcurl's multi interface, a queue of requests, at most JOBS on
 * the wire at once. It says what happened on the wire; the parsers say what it means. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "wrkit/workrail.h"

#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define LOCKFILE_MAX 65536

struct request {
	struct request *next; /* in the queue */
	const char *method;
	char *path;
	char *body; /* POST only */
	wr_http_done_fn done;
	void *ctx;
	long timeout_ms;
	size_t max_bytes;
	CURL *easy;
	struct curl_slist *headers;
	char *buf; /* the response body so far, NUL-terminated */
	size_t len, cap;
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
};

struct wr_client {
	char *base_url;
	int port;
	long timeout_ms, connect_timeout_ms;
	long long deadline_ms; /* CLOCK_MONOTONIC ms no request outlives; 0: none */
	size_t max_bytes;
	CURLM *multi;
	struct request *head, *tail; /* queued, not started */
	struct request *active;      /* on the wire */
	size_t running;
};

static void set_error(wr_error *err, const char *msg, const char *detail)
{
	if (err)
		snprintf(err->message, sizeof err->message, "%s%s%s", msg, detail ? ": " : "",
		         detail ? detail : "");
}

wr_client *wr_client_new(const wr_client_options *opts, wr_error *err)
{
	wr_client *c = calloc(1, sizeof *c);
	if (!c) {
		set_error(err, "out of memory", NULL);
		return NULL;
	}
	c->base_url = wr_base_url(opts->host, opts->port, err);
	if (!c->base_url) {
		free(c);
		return NULL;
	}
	c->port = opts->port;
	c->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
	c->connect_timeout_ms =
		opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
	c->max_bytes = opts->max_bytes > 0 ? opts->max_bytes : WR_JSON_DEFAULT_MAX_BYTES;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		set_error(err, "could not initialize libcurl", NULL);
		free(c->base_url);
		free(c);
		return NULL;
	}
	c->multi = curl_multi_init();
	if (!c->multi) {
		set_error(err, "could not initialize libcurl", NULL);
		curl_global_cleanup();
		free(c->base_url);
		free(c);
		return NULL;
	}
	return c;
}

static void request_free(struct request *r)
{
	if (!r)
		return;
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->path);
	free(r->body);
	free(r->buf);
	free(r);
}

void wr_client_free(wr_client *c)
{
	if (!c)
		return;
	/* Requests still queued never ran: their callbacks are not owed after free. */
	while (c->head) {
		struct request *r = c->head;
		c->head = r->next;
		request_free(r);
	}
	while (c->active) {
		struct request *r = c->active;
		c->active = r->next;
		curl_multi_remove_handle(c->multi, r->easy);
		request_free(r);
	}
	curl_multi_cleanup(c->multi);
	curl_global_cleanup();
	free(c->base_url);
	free(c);
}

int wr_client_port(const wr_client *c)
{
	return c->port;
}

void wr_client_set_timeout(wr_client *c, long timeout_ms)
{
	if (timeout_ms > 0)
		c->timeout_ms = timeout_ms;
}

void wr_client_set_deadline(wr_client *c, long long deadline_ms)
{
	c->deadline_ms = deadline_ms > 0 ? deadline_ms : 0;
}

static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int enqueue(wr_client *c, const char *method, const char *path, const char *body,
                   wr_http_done_fn done, void *ctx)
{
	struct request *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->method = method;
	r->done = done;
	r->ctx = ctx;
	r->path = strdup(path);
	r->body = body ? strdup(body) : NULL;
	if (!r->path || (body && !r->body)) {
		request_free(r);
		return -1;
	}
	if (c->tail)
		c->tail->next = r;
	else
		c->head = r;
	c->tail = r;
	return 0;
}

int wr_client_get(wr_client *c, const char *path, wr_http_done_fn done, void *ctx)
{
	return enqueue(c, "GET", path, NULL, done, ctx);
}

int wr_client_post_json(wr_client *c, const char *path, const char *json, wr_http_done_fn done,
                        void *ctx)
{
	return enqueue(c, "POST", path, json, done, ctx);
}

/* Keeps the body, refusing it past the limit: returning short makes libcurl abort the
 * transfer, so an endless response costs at most max_bytes of memory. */
static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct request *r = userdata;
	size_t n = size * nmemb;

	if (n > r->max_bytes - r->len) {
		r->too_large = true;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > r->max_bytes + 1)
			cap = r->max_bytes + 1;
		char *nbuf = realloc(r->buf, cap);
		if (!nbuf)
			return 0;
		r->buf = nbuf;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

#define SETOPT(easy, opt, val) (curl_easy_setopt((easy), (opt), (val)) == CURLE_OK)

static int configure(wr_client *c, struct request *r)
{
	size_t ulen = strlen(c->base_url) + strlen(r->path) + 1;
	char *url = malloc(ulen);
	int ok;

	if (!url)
		return -1;
	snprintf(url, ulen, "%s%s", c->base_url, r->path);
	long connect_ms = c->connect_timeout_ms < r->timeout_ms ? c->connect_timeout_ms : r->timeout_ms;
	r->headers = curl_slist_append(NULL, "Accept: application/json");
	if (r->headers && r->body) {
		struct curl_slist *h = curl_slist_append(r->headers, "Content-Type: application/json");
		/* Without this libcurl waits up to a second for "100 Continue" on big bodies. */
		h = h ? curl_slist_append(h, "Expect:") : NULL;
		if (!h) {
			free(url);
			return -1;
		}
		r->headers = h;
	}
	ok = r->headers && SETOPT(r->easy, CURLOPT_URL, url) &&
	     SETOPT(r->easy, CURLOPT_PRIVATE, r) &&
	     SETOPT(r->easy, CURLOPT_ERRORBUFFER, r->errbuf) &&
	     SETOPT(r->easy, CURLOPT_NOSIGNAL, 1L) &&
	     SETOPT(r->easy, CURLOPT_FOLLOWLOCATION, 0L) &&
#if LIBCURL_VERSION_NUM >= 0x075500
	     SETOPT(r->easy, CURLOPT_PROTOCOLS_STR, "http,https") &&
	     SETOPT(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") &&
#else
	     SETOPT(r->easy, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) &&
	     SETOPT(r->easy, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) &&
#endif
	     /* The path is encoded already; dot segments in it are data, not navigation. */
	     SETOPT(r->easy, CURLOPT_PATH_AS_IS, 1L) &&
	     /* The daemon is local: a proxy from the environment must not sit in between. */
	     SETOPT(r->easy, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1") &&
	     SETOPT(r->easy, CURLOPT_CONNECTTIMEOUT_MS, connect_ms) &&
	     SETOPT(r->easy, CURLOPT_TIMEOUT_MS, r->timeout_ms) &&
	     SETOPT(r->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes) &&
	     SETOPT(r->easy, CURLOPT_WRITEFUNCTION, on_data) &&
	     SETOPT(r->easy, CURLOPT_WRITEDATA, r) &&
	     SETOPT(r->easy, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION) &&
	     SETOPT(r->easy, CURLOPT_HTTPHEADER, r->headers);
	if (ok && r->body)
		ok = SETOPT(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->body)) &&
		     SETOPT(r->easy, CURLOPT_POSTFIELDS, r->body);
	free(url); /* libcurl keeps its own copy of string options */
	return ok ? 0 : -1;
}

static void format_duration(long ms, char *buf, size_t size)
{
	if (ms % 1000 == 0)
		snprintf(buf, size, "%ld s", ms / 1000);
	else
		snprintf(buf, size, "%ld ms", ms);
}

/* Hands the outcome of r to its callback and frees r. */
static void finish(wr_client *c, struct request *r, CURLcode rc)
{
	wr_http_response resp;
	char dur[32];

	memset(&resp, 0, sizeof resp);
	resp.method = r->method;
	resp.path = r->path;
	resp.body = r->buf ? r->buf : (char *)"";
	resp.len = r->len;
	if (rc == CURLE_OK) {
		resp.result = WR_HTTP_OK;
		if (curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status) != CURLE_OK)
			resp.status = 0;
	} else if (r->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		resp.result = WR_HTTP_TOO_LARGE;
		snprintf(resp.error, sizeof resp.error,
		         "response is larger than the size limit of %zu bytes", r->max_bytes);
	} else if (rc == CURLE_COULDNT_CONNECT) {
		resp.result = WR_HTTP_REFUSED;
		snprintf(resp.error, sizeof resp.error,
		         "Could not connect to WorkTrain daemon on port %d. Start with: worktrain daemon",
		         c->port);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		resp.result = WR_HTTP_TIMEOUT;
		format_duration(r->timeout_ms, dur, sizeof dur);
		snprintf(resp.error, sizeof resp.error,
		         "no complete answer from the WorkTrain daemon within %s", dur);
	} else {
		resp.result = WR_HTTP_FAILED;
		snprintf(resp.error, sizeof resp.error, "%s",
		         r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	}
	if (r->easy) {
		curl_multi_remove_handle(c->multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	if (resp.result != WR_HTTP_OK) {
		resp.body = (char *)"";
		resp.len = 0;
	}
	r->done(c, r->ctx, &resp);
	request_free(r);
}

/* Takes the next queued request onto the wire. A request that cannot start ends at
 * once, through its callback. */
static void start_next(wr_client *c)
{
	struct request *r = c->head;
	c->head = r->next;
	if (!c->head)
		c->tail = NULL;
	r->next = NULL;
	r->timeout_ms = c->timeout_ms;
	if (c->deadline_ms) {
		/* past the deadline a request still starts, and times out at once */
		long long left = c->deadline_ms - monotonic_ms();
		if (left < r->timeout_ms)
			r->timeout_ms = left > 0 ? (long)left : 1;
	}
	r->max_bytes = c->max_bytes;
	r->easy = curl_easy_init();
	if (!r->easy || configure(c, r) < 0) {
		snprintf(r->errbuf, sizeof r->errbuf, "could not set up the request");
		finish(c, r, CURLE_FAILED_INIT);
		return;
	}
	if (curl_multi_add_handle(c->multi, r->easy) != CURLM_OK) {
		snprintf(r->errbuf, sizeof r->errbuf, "could not start the request");
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		finish(c, r, CURLE_FAILED_INIT);
		return;
	}
	r->next = c->active;
	c->active = r;
	c->running++;
}

static void unlink_active(wr_client *c, struct request *r)
{
	for (struct request **p = &c->active; *p; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			r->next = NULL;
			c->running--;
			return;
		}
}

/* Ends every finished transfer. Returns how many. */
static size_t collect(wr_client *c)
{
	CURLMsg *msg;
	int left;
	size_t n = 0;

	while ((msg = curl_multi_info_read(c->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct request *r = NULL;
		CURLcode rc = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		unlink_active(c, r);
		n++;
		finish(c, r, rc);
	}
	return n;
}

/* libcurl itself failed: every request still owed a callback gets one. */
static void abort_all(wr_client *c, const char *why)
{
	while (c->active) {
		struct request *r = c->active;
		snprintf(r->errbuf, sizeof r->errbuf, "%s", why);
		unlink_active(c, r);
		finish(c, r, CURLE_FAILED_INIT);
	}
	while (c->head) {
		struct request *r = c->head;
		c->head = r->next;
		if (!c->head)
			c->tail = NULL;
		snprintf(r->errbuf, sizeof r->errbuf, "%s", why);
		finish(c, r, CURLE_FAILED_INIT);
	}
}

int wr_client_run(wr_client *c, size_t jobs, wr_error *err)
{
	if (jobs == 0)
		jobs = 1;
	for (;;) {
		while (c->running < jobs && c->head)
			start_next(c);
		if (c->running == 0 && !c->head)
			return 0;
		int still;
		CURLMcode mc = curl_multi_perform(c->multi, &still);
		if (mc != CURLM_OK) {
			set_error(err, "libcurl failed", curl_multi_strerror(mc));
			abort_all(c, err ? err->message : "libcurl failed");
			return -1;
		}
		if (collect(c) > 0)
			continue;
		mc = curl_multi_poll(c->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK) {
			set_error(err, "libcurl failed", curl_multi_strerror(mc));
			abort_all(c, err ? err->message : "libcurl failed");
			return -1;
		}
	}
}

/* The port of one lock file, or -1. Only a regular file is read (a FIFO planted there
 * must not block us), and at most LOCKFILE_MAX bytes of it. */
static int lockfile_port_at(const char *home, const char *name)
{
	char path[4096];
	char buf[LOCKFILE_MAX + 1];
	struct stat st;
	size_t len = 0;

	if (snprintf(path, sizeof path, "%s/.workrail/%s", home, name) >= (int)sizeof path)
		return -1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof buf)
			break;
	}
	close(fd);
	if (len == 0 || len > LOCKFILE_MAX)
		return -1;
	return wr_lockfile_port(buf, len);
}

int wr_workrail_port(const char *home)
{
	static const char *const names[] = {"daemon-console.lock", "dashboard.lock"};

	if (!home || !*home)
		home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (home && *home)
		for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
			int port = lockfile_port_at(home, names[i]);
			if (port > 0)
				return port;
		}
	return WR_WORKRAIL_DEFAULT_PORT;
}
