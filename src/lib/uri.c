/* SPDX-License-Identifier: MIT */
/* RFC 3986 section 5.2: resolving a reference against a base. */
#include <config.h>

#include <errno.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "uri.h"

typedef struct span {
	const char *p;
	size_t n;
	bool present;
} span;

typedef struct uri_parts {
	span scheme, authority, path, query, fragment;
} uri_parts;

static span make_span(const char *p, size_t n)
{
	span s = {p, n, true};
	return s;
}

static void parse(const char *s, uri_parts *u)
{
	memset(u, 0, sizeof *u);
	const char *end = s + strlen(s);
	const char *hash = strchr(s, '#');
	if (hash) {
		u->fragment = make_span(hash + 1, (size_t)(end - hash - 1));
		end = hash;
	}
	const char *q = memchr(s, '?', (size_t)(end - s));
	const char *path_end = q ? q : end;
	if (q)
		u->query = make_span(q + 1, (size_t)(end - q - 1));

	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	const char *p = s;
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		const char *c = p;
		while (c < path_end && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		                        (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.'))
			c++;
		if (c < path_end && *c == ':') {
			u->scheme = make_span(p, (size_t)(c - p));
			p = c + 1;
		}
	}
	if (path_end - p >= 2 && p[0] == '/' && p[1] == '/') {
		const char *a = p + 2, *slash = memchr(a, '/', (size_t)(path_end - a));
		const char *a_end = slash ? slash : path_end;
		u->authority = make_span(a, (size_t)(a_end - a));
		p = a_end;
	}
	u->path = make_span(p, (size_t)(path_end - p));
}

/* Section 5.2.4, in place: the output never outruns the input. */
static void remove_dot_segments(char *path)
{
	char *in = path, *out = path;
	while (*in) {
		if (strncmp(in, "../", 3) == 0) {
			in += 3;
		} else if (strncmp(in, "./", 2) == 0) {
			in += 2;
		} else if (strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (strcmp(in, "/.") == 0) {
			in[1] = '\0';
		} else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
			if (in[3] == '/') {
				in += 3;
			} else {
				in += 2;
				*in = '/';
			}
			while (out > path && *--out != '/')
				;
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			*in = '\0';
		} else {
			do {
				*out++ = *in++;
			} while (*in && *in != '/');
		}
	}
	*out = '\0';
}

typedef struct builder {
	char *buf;
	size_t len, cap;
	bool failed;
} builder;

static void add(builder *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *nb = realloc(b->buf, cap);
		if (!nb) {
			b->failed = true;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void add_span(builder *b, span s)
{
	add(b, s.p, s.n);
}

static char *dup_span_path(span base_path, bool base_has_authority, span ref_path, bool merge)
{
	builder b = {0};
	add(&b, "", 0);
	if (merge) {
		if (base_has_authority && base_path.n == 0) {
			add(&b, "/", 1);
		} else {
			const char *last = NULL;
			for (size_t i = 0; i < base_path.n; i++)
				if (base_path.p[i] == '/')
					last = base_path.p + i;
			if (last)
				add(&b, base_path.p, (size_t)(last - base_path.p) + 1);
		}
	}
	add_span(&b, ref_path);
	if (b.failed) {
		free(b.buf);
		return NULL;
	}
	remove_dot_segments(b.buf);
	return b.buf;
}

char *wr_uri_resolve(const char *base, const char *ref)
{
	uri_parts B, R;
	span scheme, authority, query;
	char *path;

	parse(base ? base : "", &B);
	parse(ref, &R);
	if (R.scheme.present) {
		scheme = R.scheme;
		authority = R.authority;
		path = dup_span_path(B.path, false, R.path, false);
		query = R.query;
	} else {
		scheme = B.scheme;
		if (R.authority.present) {
			authority = R.authority;
			path = dup_span_path(B.path, false, R.path, false);
			query = R.query;
		} else {
			authority = B.authority;
			if (R.path.n == 0) {
				path = dup_span_path(B.path, false, B.path, false);
				query = R.query.present ? R.query : B.query;
			} else {
				path = dup_span_path(B.path, B.authority.present, R.path,
				                     R.path.p[0] != '/');
				query = R.query;
			}
		}
	}
	if (!path)
		return NULL;

	builder b = {0};
	add(&b, "", 0);
	if (scheme.present) {
		add_span(&b, scheme);
		add(&b, ":", 1);
	}
	if (authority.present) {
		add(&b, "//", 2);
		add_span(&b, authority);
	}
	add(&b, path, strlen(path));
	free(path);
	if (query.present) {
		add(&b, "?", 1);
		add_span(&b, query);
	}
	if (R.fragment.present) {
		add(&b, "#", 1);
		add_span(&b, R.fragment);
	}
	if (b.failed) {
		free(b.buf);
		return NULL;
	}
	return b.buf;
}

size_t wr_uri_base_length(const char *uri)
{
	const char *hash = strchr(uri, '#');
	return hash ? (size_t)(hash - uri) : strlen(uri);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool wr_uri_escapes_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '%' && (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0))
			return false;
	return true;
}

char *wr_uri_percent_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= len || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0) {
				free(out);
				errno = EINVAL;
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}
