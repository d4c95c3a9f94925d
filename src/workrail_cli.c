/* SPDX-License-Identifier: MIT */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "workrail_cli.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"

#define MAX_ID_BYTES 4096

void wrc_options_init(wrc_options *o)
{
	memset(o, 0, sizeof *o);
	o->host = WR_WORKRAIL_DEFAULT_HOST;
	o->request_timeout_ms = 30000;
	o->connect_timeout_ms = 10000;
	o->limits = wr_json_default_limits();
}

int wrc_parse_timeout(const char *name, const char *arg, long long *ms)
{
	long long v;
	if (wr_parse_duration_ms(arg, &v) < 0 || v <= 0 || v > LONG_MAX) {
		cli_usage_error("invalid %s '%s': expected seconds, or a duration such as 90s, "
		                "500ms, 2m",
		                name, arg);
		return -1;
	}
	*ms = v;
	return 0;
}

static int parse_port(const char *arg, int *port)
{
	long long v;
	if (wr_parse_count(arg, &v) < 0 || v < 1 || v > 65535) {
		cli_usage_error("invalid --port '%s': expected 1 to 65535", arg);
		return -1;
	}
	*port = (int)v;
	return 0;
}

int wrc_handle_option(wrc_options *o, int opt, const char *arg)
{
	int rc = 0;
	switch (opt) {
	case 'p':
		rc = parse_port(arg, &o->port);
		break;
	case WRC_OPT_HOST:
		o->host = arg;
		break;
	case WRC_OPT_TIMEOUT:
	case WRC_OPT_REQUEST_TIMEOUT:
		rc = wrc_parse_timeout(opt == WRC_OPT_TIMEOUT ? "--timeout" : "--request-timeout", arg,
		                       &o->request_timeout_ms);
		break;
	case WRC_OPT_CONNECT_TIMEOUT:
		rc = wrc_parse_timeout("--connect-timeout", arg, &o->connect_timeout_ms);
		break;
	default:
		return 0;
	}
	return rc < 0 ? -1 : 1;
}

wr_client *wrc_client_new(const wrc_options *o)
{
	wr_client_options co;
	wr_error err;

	memset(&co, 0, sizeof co);
	co.host = o->host;
	co.port = o->port ? o->port : wr_workrail_port(NULL);
	co.timeout_ms = (long)o->request_timeout_ms;
	co.connect_timeout_ms = (long)o->connect_timeout_ms;
	co.max_bytes = o->limits.max_bytes;
	wr_client *c = wr_client_new(&co, &err);
	if (!c)
		cli_error("%s", err.message);
	return c;
}

const char *wrc_transport_error(const wr_http_response *resp, const char *timeout_option,
                                char *buf, size_t size)
{
	switch (resp->result) {
	case WR_HTTP_TOO_LARGE:
		snprintf(buf, size, "%s (raise it with --max-bytes)", resp->error);
		break;
	case WR_HTTP_TIMEOUT:
		snprintf(buf, size, "%s (raise it with %s)", resp->error, timeout_option);
		break;
	default:
		snprintf(buf, size, "%s", resp->error);
		break;
	}
	return buf;
}

int wrc_valid_id(const char *s, size_t len, const char **why)
{
	if (len == 0) {
		*why = "empty session id";
		return 0;
	}
	if (len > MAX_ID_BYTES) {
		*why = "session id longer than 4096 bytes";
		return 0;
	}
	if (memchr(s, '\0', len)) {
		*why = "session id holds a NUL byte";
		return 0;
	}
	if (wr_utf8_check(s, len) != len) {
		*why = "session id is not UTF-8";
		return 0;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			*why = "session id holds a control character";
			return 0;
		}
	return 1;
}

int wrc_set(json_object *rec, const char *key, json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(rec, key, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int wrc_set_null(json_object *rec, const char *key)
{
	return json_object_object_add(rec, key, NULL) < 0 ? -1 : 0;
}

int wrc_set_string(json_object *rec, const char *key, const char *s)
{
	return s ? wrc_set(rec, key, json_object_new_string(s)) : wrc_set_null(rec, key);
}

long long wrc_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *trim(const char *s, size_t *len)
{
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t' || s[*len - 1] == '\r'))
		(*len)--;
	while (*len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	return s;
}

int wrc_read_session_line(const char *line, size_t len, const wr_json_limits *limits,
                          char **session, json_object **rec, char *why, size_t size)
{
	const char *problem;

	*session = NULL;
	*rec = NULL;
	line = trim(line, &len);
	if (len == 0)
		return 0;
	/* What starts like JSON is read as JSON: a handle never starts with these. */
	if (line[0] != '{' && line[0] != '"' && line[0] != '[') {
		if (!wrc_valid_id(line, len, &problem)) {
			snprintf(why, size, "%s", problem);
			return -1;
		}
		if (!(*session = strndup(line, len))) {
			snprintf(why, size, "out of memory");
			return -1;
		}
		return 1;
	}
	json_object *doc, *s;
	wr_json_error jerr;
	if (wr_json_parse(line, len, limits, &doc, &jerr) < 0) {
		wr_json_error_in_line(&jerr); /* the caller names the line */
		wr_json_error_describe(&jerr, why, size);
		return -1;
	}
	bool is_record = json_object_is_type(doc, json_type_object);
	s = doc;
	if (is_record && !json_object_object_get_ex(doc, "session", &s))
		s = NULL;
	if (is_record)
		*rec = doc;
	if (!json_object_is_type(s, json_type_string)) {
		snprintf(why, size, is_record ? "record has no \"session\" string"
		                              : "neither a record nor a session handle");
		if (!is_record)
			json_object_put(doc);
		return -1;
	}
	const char *id = json_object_get_string(s);
	size_t idlen = (size_t)json_object_get_string_len(s);
	int rc = 1;
	if (!wrc_valid_id(id, idlen, &problem)) {
		snprintf(why, size, "%s", problem);
		rc = -1;
	} else if (!(*session = strdup(id))) {
		snprintf(why, size, "out of memory");
		rc = -1;
	}
	if (!is_record)
		json_object_put(doc);
	return rc;
}
