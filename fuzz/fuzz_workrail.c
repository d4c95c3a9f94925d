/* SPDX-License-Identifier: MIT */
/* Fuzz target: the WorkRail response parsers, the notes-node rule and URL encoding.
 * The first byte picks the parser, the second the HTTP status; the rest is the body.
 * Whatever the bytes: a parse either succeeds with a consistent result or fails with
 * a one-line reason, a dispatch error is worded as SPEC section 4 words it, a lock
 * file gives a port in range or nothing, and an encoded path segment holds only
 * unreserved characters and %XX escapes that decode back to the input. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/workrail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {200, 201, 404, 500, 503, 302, 400, 0};

static void check_session(const char *body, size_t len, long status)
{
	wr_session_detail d;
	wr_error err = {{0}};
	wr_json_limits limits = {1 << 20, 32};
	wr_api_status st = wr_session_detail_parse(body, len, status, &limits, &d, &err);
	if (st != WR_API_OK) {
		if (!err.message[0] || d.node_count != 0)
			abort();
	} else if (d.run_count > 0) {
		for (size_t i = 0; i < d.node_count; i++)
			if (!d.nodes[i].id)
				abort();
		wr_error nerr = {{0}};
		long notes = wr_session_notes_node(&d, &nerr);
		if (notes < -1 || (notes >= 0 && (size_t)notes >= d.node_count) || (notes < 0 && !nerr.message[0]))
			abort();
		/* Never an earlier step: the notes node is the tip or the tip's parent. */
		if (notes >= 0 && !(d.preferred_tip && strcmp(d.nodes[notes].id, d.preferred_tip) == 0)) {
			size_t tip;
			for (tip = 0; tip < d.node_count; tip++)
				if (d.preferred_tip && strcmp(d.nodes[tip].id, d.preferred_tip) == 0)
					break;
			if (tip == d.node_count || !d.nodes[tip].parent_id ||
			    strcmp(d.nodes[tip].parent_id, d.nodes[notes].id) != 0)
				abort();
		}
		(void)wr_session_outcome(&d);
	}
	wr_session_detail_free(&d);
}

static void check_node(const char *body, size_t len, long status)
{
	wr_node_detail d;
	wr_error err = {{0}};
	wr_api_status st = wr_node_detail_parse(body, len, status, NULL, &d, &err);
	if (st == WR_API_OK) {
		if (!json_object_is_type(d.artifacts, json_type_array))
			abort();
		if (d.recap && wr_utf8_check(d.recap, strlen(d.recap)) != strlen(d.recap))
			abort();
	} else if (!err.message[0]) {
		abort();
	}
	wr_node_detail_free(&d);
}

static void check_dispatch(const char *body, size_t len, long status)
{
	char *handle = NULL;
	wr_error err = {{0}};
	wr_dispatch_status st = wr_dispatch_reply_parse(body, len, status, NULL, &handle, &err);
	static const char *const prefixes[] = {"", "WorkTrain daemon is not ready: ", "Dispatch failed: ",
	                                       "Dispatch succeeded but no session handle returned"};
	if (st == WR_DISPATCH_OK) {
		if (!handle || !handle[0])
			abort();
	} else if (handle || strncmp(err.message, prefixes[st], strlen(prefixes[st])) != 0) {
		abort();
	}
	if (st == WR_DISPATCH_NOT_READY && status != 503)
		abort();
	free(handle);
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void check_segment(const char *body, size_t len)
{
	char *s = strndup(body, len); /* up to the first NUL */
	if (!s)
		return;
	char *enc = wr_url_encode_segment(s);
	if (!enc)
		abort();
	size_t o = 0;
	char *dec = malloc(strlen(enc) + 1);
	for (const char *p = enc; *p; p++) {
		char c = *p;
		if (c == '%') {
			if (hex(p[1]) < 0 || hex(p[2]) < 0)
				abort();
			dec[o++] = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           c == '-' || c == '.' || c == '_' || c == '~') {
			dec[o++] = c;
		} else {
			abort();
		}
	}
	dec[o] = '\0';
	if (strcmp(dec, s) != 0 || strcmp(enc, ".") == 0 || strcmp(enc, "..") == 0)
		abort();
	free(dec);
	free(enc);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const char *body = (const char *)data + 2;
	size_t len = size - 2;
	long status = statuses[data[1] % (sizeof statuses / sizeof *statuses)];
	switch (data[0] % 5) {
	case 0: check_session(body, len, status); break;
	case 1: check_node(body, len, status); break;
	case 2: check_dispatch(body, len, status); break;
	case 3: {
		int port = wr_lockfile_port(body, len);
		if (port != -1 && (port < 1 || port > 65535))
			abort();
		break;
	}
	default: check_segment(body, len); break;
	}
	return 0;
}
