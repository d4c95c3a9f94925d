/* SPDX-License-Identifier: MIT */
/* YAML documents into the JSON data model, from libyaml's events.
 *
 * The tree is built from the event stream with an explicit stack (nesting costs heap,
 * bounded by the depth limit, never C stack). An alias shares the json-c value of its
 * anchor (json-c counts references), so memory stays linear in the input; the number
 * of values the aliases stand for is counted as if expanded, and bounded, since the
 * validator walks every one. An alias may only name a complete node: no cycles. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "wrkit/yaml_input.h"

typedef struct frame {
	json_object *container;
	bool is_mapping;
	char *key;            /* a mapping's pending key, or NULL */
	char *anchor;         /* the container's anchor, registered when it ends */
	unsigned long nodes;  /* values inside it, aliases expanded */
	int height;           /* levels of containers it is (1 when it holds only scalars),
	                       * aliases expanded */
} frame;

typedef struct builder {
	frame *frames;
	int depth, cap, max_depth;
	json_object *anchors;      /* name -> value */
	json_object *anchor_sizes; /* name -> [expanded value count, nesting height] */
	unsigned long nodes;       /* values of the document so far, aliases expanded */
	json_object *root;
	wr_json_error *err;
} builder;

static int fail(wr_json_error *err, wr_json_status status, const yaml_mark_t *mark,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(wr_json_error *err, wr_json_status status, const yaml_mark_t *mark,
                const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return -1;
	err->status = status;
	err->line = mark ? (unsigned long)mark->line + 1 : 0;
	err->column = mark ? (unsigned long)mark->column + 1 : 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

bool wr_yaml_file_name(const char *path)
{
	size_t n = strlen(path);
	return (n > 5 && strcasecmp(path + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcasecmp(path + n - 4, ".yml") == 0);
}

/* Scalars: the YAML 1.2 core schema. */

static bool all_in(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static bool is_float_text(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == n;
}

static bool is_special_float(const char *s, size_t n)
{
	static const char *const names[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
	                                    "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return true;
	return false;
}

/* Whether s is a number as JSON writes it: then a double keeps its text. */
static bool is_json_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.') {
		size_t start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == n;
}

/* A number's value; its text is kept when JSON would write it so (as the JSON parser
 * keeps it), else the value must be finite. Sets *out_of_range instead. */
static json_object *new_double(const char *s, size_t n, bool *out_of_range)
{
	double d = strtod(s, NULL);
	*out_of_range = false;
	if (is_json_number(s, n))
		return json_object_new_double_s(d, s);
	if (!isfinite(d)) {
		*out_of_range = true;
		return NULL;
	}
	return json_object_new_double(d);
}

enum scalar_kind { S_AUTO, S_STR, S_NULL, S_BOOL, S_INT, S_FLOAT, S_OTHER };

static enum scalar_kind tag_kind(const char *tag)
{
	static const char prefix[] = "tag:yaml.org,2002:";
	if (!tag || strcmp(tag, "!") == 0)
		return tag ? S_STR : S_AUTO; /* "!" is a non-specific tag: a string */
	if (strncmp(tag, prefix, sizeof prefix - 1) != 0)
		return S_OTHER;
	tag += sizeof prefix - 1;
	if (strcmp(tag, "str") == 0)
		return S_STR;
	if (strcmp(tag, "null") == 0)
		return S_NULL;
	if (strcmp(tag, "bool") == 0)
		return S_BOOL;
	if (strcmp(tag, "int") == 0)
		return S_INT;
	if (strcmp(tag, "float") == 0)
		return S_FLOAT;
	return S_OTHER;
}

/* The value of a scalar, or -1 with *err. *out is NULL for null. */
static int scalar_value(const yaml_event_t *ev, json_object **out, wr_json_error *err)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	enum scalar_kind k = tag_kind((const char *)ev->data.scalar.tag);
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	const yaml_mark_t *at = &ev->start_mark;

	*out = NULL;
	if (k == S_AUTO && !plain)
		k = S_STR;
	if (k == S_AUTO || k == S_OTHER) {
		if (n == 0 || (n == 1 && s[0] == '~') ||
		    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))))
			k = S_NULL;
		else if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) ||
		         (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))))
			k = S_BOOL;
		else if ((all_in(s + (n && (s[0] == '-' || s[0] == '+')), n - (n && (s[0] == '-' || s[0] == '+')),
		                 "0123456789")) ||
		         (n > 2 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, n - 2, "0123456789abcdefABCDEF")) ||
		         (n > 2 && s[0] == '0' && s[1] == 'o' && all_in(s + 2, n - 2, "01234567")))
			k = S_INT;
		else if (is_float_text(s, n) || is_special_float(s, n))
			k = S_FLOAT;
		else
			k = S_STR;
	}
	switch (k) {
	case S_NULL:
		return 0;
	case S_BOOL:
		if (n >= 4 && (s[0] | 0x20) == 't')
			*out = json_object_new_boolean(1);
		else if (n >= 5 && (s[0] | 0x20) == 'f')
			*out = json_object_new_boolean(0);
		else
			return fail(err, WR_JSON_SYNTAX, at, "!!bool value is not true or false");
		break;
	case S_INT: {
		char *end;
		errno = 0;
		long long v;
		if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o'))
			v = strtoll(s + 2, &end, s[1] == 'x' ? 16 : 8);
		else
			v = strtoll(s, &end, 10);
		if (end != s + n && !(errno == ERANGE))
			return fail(err, WR_JSON_SYNTAX, at, "!!int value is not an integer");
		if (errno == ERANGE) {
			if (s[1] == 'x' || s[1] == 'o')
				return fail(err, WR_JSON_SYNTAX, at, "integer out of range");
			bool range;
			if (!(*out = new_double(s, n, &range)) && range)
				return fail(err, WR_JSON_SYNTAX, at, "number out of range");
		} else {
			*out = json_object_new_int64(v);
		}
		break;
	}
	case S_FLOAT:
		if (is_special_float(s, n))
			return fail(err, WR_JSON_SYNTAX, at,
			            "%.*s is not a number JSON can hold", (int)(n > 16 ? 16 : n), s);
		if (!is_float_text(s, n))
			return fail(err, WR_JSON_SYNTAX, at, "!!float value is not a number");
		bool range;
		if (!(*out = new_double(s, n, &range)) && range)
			return fail(err, WR_JSON_SYNTAX, at, "number out of range");
		break;
	default:
		*out = json_object_new_string_len(s, (int)n);
		break;
	}
	if (!*out)
		return fail(err, WR_JSON_NOMEM, NULL, "out of memory");
	return 0;
}

/* Tree building. */

static int count_nodes(builder *b, unsigned long n, const yaml_mark_t *at)
{
	if (n > WR_YAML_MAX_NODES || b->nodes > WR_YAML_MAX_NODES - n)
		return fail(b->err, WR_JSON_SYNTAX, at,
		            "YAML aliases expand to more than %lu values (the alias expansion limit, fixed)",
		            WR_YAML_MAX_NODES);
	b->nodes += n;
	if (b->depth > 0)
		b->frames[b->depth - 1].nodes += n;
	return 0;
}

/* A child of the given height (0 for a scalar) ends inside the current container. */
static void child_height(builder *b, int height)
{
	if (b->depth > 0 && b->frames[b->depth - 1].height < height + 1)
		b->frames[b->depth - 1].height = height + 1;
}

/* Appends v (NULL when json-c could not make it) to the array a. Returns 0, or -1
 * when out of memory: a value not made would otherwise be appended as null. */
static int add_value(json_object *a, json_object *v)
{
	if (!v || json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int remember(builder *b, const char *anchor, json_object *v, unsigned long size, int height)
{
	if (!anchor)
		return 0;
	json_object *sz = json_object_new_array_ext(2);
	if (!sz || add_value(sz, json_object_new_int64((int64_t)size)) != 0 ||
	    add_value(sz, json_object_new_int(height)) != 0 ||
	    json_object_object_add(b->anchors, anchor, json_object_get(v)) != 0 ||
	    json_object_object_add(b->anchor_sizes, anchor, sz) != 0) {
		if (sz && !json_object_object_get_ex(b->anchor_sizes, anchor, NULL))
			json_object_put(sz);
		return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
	}
	return 0;
}

/* Puts v (a reference the builder takes) in the current container, or makes it the
 * root. */
static int place(builder *b, json_object *v, const yaml_mark_t *at)
{
	if (b->depth == 0) {
		b->root = v;
		return 0;
	}
	frame *f = &b->frames[b->depth - 1];
	if (!f->is_mapping) {
		if (json_object_array_add(f->container, v) != 0) {
			json_object_put(v);
			return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
		}
		return 0;
	}
	if (!f->key) {
		/* v is a key: it must be a scalar, and a JSON key is a string without NUL */
		json_type t = json_object_get_type(v);
		if (t == json_type_object || t == json_type_array) {
			json_object_put(v);
			return fail(b->err, WR_JSON_SYNTAX, at, "a mapping key must be a scalar");
		}
		const char *text = v ? json_object_get_string(v) : "null";
		size_t len = v && t == json_type_string ? (size_t)json_object_get_string_len(v) : strlen(text);
		if (memchr(text, '\0', len)) {
			json_object_put(v);
			return fail(b->err, WR_JSON_SYNTAX, at, "a mapping key holds U+0000");
		}
		f->key = strdup(text);
		json_object_put(v);
		if (!f->key)
			return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
		return 0;
	}
	int rc = json_object_object_add(f->container, f->key, v);
	free(f->key);
	f->key = NULL;
	if (rc != 0)
		return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
	return 0;
}

static int open_container(builder *b, bool mapping, const char *anchor, const yaml_mark_t *at)
{
	if (b->depth >= b->max_depth)
		return fail(b->err, WR_JSON_TOO_DEEP, at,
		            "nesting is deeper than the depth limit of %d", b->max_depth);
	if (count_nodes(b, 1, at) < 0)
		return -1;
	if (b->depth == b->cap) {
		int cap = b->cap ? b->cap * 2 : 16;
		frame *nf = realloc(b->frames, (size_t)cap * sizeof *nf);
		if (!nf)
			return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
		b->frames = nf;
		b->cap = cap;
	}
	frame *f = &b->frames[b->depth];
	memset(f, 0, sizeof *f);
	f->is_mapping = mapping;
	f->container = mapping ? json_object_new_object() : json_object_new_array();
	f->anchor = anchor ? strdup(anchor) : NULL;
	f->nodes = 1;
	f->height = 1;
	b->depth++;
	if (!f->container || (anchor && !f->anchor))
		return fail(b->err, WR_JSON_NOMEM, NULL, "out of memory");
	return 0;
}

static int close_container(builder *b, const yaml_mark_t *at)
{
	frame f = b->frames[--b->depth];
	int rc = 0;
	free(f.key);
	if (f.anchor)
		rc = remember(b, f.anchor, f.container, f.nodes, f.height);
	free(f.anchor);
	if (b->depth > 0)
		b->frames[b->depth - 1].nodes += f.nodes - 1; /* the 1 was counted on opening */
	child_height(b, f.height);
	if (rc < 0) {
		json_object_put(f.container);
		return -1;
	}
	return place(b, f.container, at);
}

static void builder_free(builder *b)
{
	while (b->depth > 0) {
		frame *f = &b->frames[--b->depth];
		free(f->key);
		free(f->anchor);
		json_object_put(f->container);
	}
	free(b->frames);
	json_object_put(b->anchors);
	json_object_put(b->anchor_sizes);
	json_object_put(b->root);
}

static int on_event(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *at = &ev->start_mark;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		json_object *v;
		if (scalar_value(ev, &v, b->err) < 0)
			return -1;
		if (count_nodes(b, 1, at) < 0 || remember(b, (const char *)ev->data.scalar.anchor, v, 1, 0) < 0) {
			json_object_put(v);
			return -1;
		}
		return place(b, v, at);
	}
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		json_object *v, *info;
		if (!json_object_object_get_ex(b->anchor_sizes, name, &info))
			return fail(b->err, WR_JSON_SYNTAX, at, "alias *%.64s names no complete anchor", name);
		json_object_object_get_ex(b->anchors, name, &v);
		unsigned long size = (unsigned long)json_object_get_int64(json_object_array_get_idx(info, 0));
		int height = json_object_get_int(json_object_array_get_idx(info, 1));
		/* nested where it is used, the anchor's value must still fit the depth limit */
		if (b->depth + height > b->max_depth)
			return fail(b->err, WR_JSON_TOO_DEEP, at,
			            "nesting is deeper than the depth limit of %d (through alias *%.64s)",
			            b->max_depth, name);
		if (count_nodes(b, size, at) < 0)
			return -1;
		child_height(b, height);
		return place(b, json_object_get(v), at);
	}
	case YAML_SEQUENCE_START_EVENT:
		return open_container(b, false, (const char *)ev->data.sequence_start.anchor, at);
	case YAML_MAPPING_START_EVENT:
		return open_container(b, true, (const char *)ev->data.mapping_start.anchor, at);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return close_container(b, at);
	default:
		return 0;
	}
}

int wr_yaml_parse(const char *buf, size_t len, const wr_json_limits *limits,
                  json_object **out, wr_json_error *err)
{
	wr_json_limits defaults = wr_json_default_limits();
	yaml_parser_t parser;
	yaml_event_t ev;
	builder b;
	int rc = 0, documents = 0;
	bool done = false;

	*out = NULL;
	if (!limits)
		limits = &defaults;
	if (len > limits->max_bytes)
		return fail(err, WR_JSON_TOO_LARGE, NULL,
		            "input is larger than the size limit of %zu bytes", limits->max_bytes);
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		return fail(err, WR_JSON_NUL_BYTE, NULL, "a NUL byte at offset %zu", (size_t)(nul - buf));
	size_t bad = wr_utf8_check(buf, len);
	if (bad < len)
		return fail(err, WR_JSON_BAD_UTF8, NULL, "invalid UTF-8 at offset %zu", bad);

	memset(&b, 0, sizeof b);
	b.max_depth = limits->max_depth;
	b.err = err;
	b.anchors = json_object_new_object();
	b.anchor_sizes = json_object_new_object();
	if (!b.anchors || !b.anchor_sizes || !yaml_parser_initialize(&parser)) {
		builder_free(&b);
		return fail(err, WR_JSON_NOMEM, NULL, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = fail(err, parser.error == YAML_MEMORY_ERROR ? WR_JSON_NOMEM : WR_JSON_SYNTAX,
			          &parser.problem_mark, "YAML: %s%s%s",
			          parser.problem ? parser.problem : "malformed",
			          parser.context ? " " : "", parser.context ? parser.context : "");
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++documents > 1)
			rc = fail(err, WR_JSON_SYNTAX, &ev.start_mark,
			          "more than one YAML document in the input (one is expected)");
		else if (ev.type == YAML_STREAM_END_EVENT)
			done = true;
		else
			rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc == 0 && documents == 0)
		rc = fail(err, WR_JSON_EMPTY, NULL, "empty input");
	if (rc == 0) {
		*out = b.root;
		b.root = NULL;
	}
	builder_free(&b);
	return rc;
}

int wr_yaml_read(FILE *fp, const wr_json_limits *limits, json_object **out,
                 wr_json_error *err)
{
	char *buf;
	size_t len;
	*out = NULL;
	if (wr_json_slurp(fp, limits->max_bytes, &buf, &len, err) < 0)
		return -1;
	int rc = wr_yaml_parse(buf, len, limits, out, err);
	free(buf);
	return rc;
}

int wr_document_read_path(const char *path, const wr_json_limits *limits, json_object **out,
                          wr_json_error *err)
{
	if (!wr_yaml_file_name(path))
		return wr_json_read_path(path, limits, out, err);
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		err->status = WR_JSON_IO;
		err->line = err->column = 0;
		snprintf(err->message, sizeof err->message, "cannot open: %s", strerror(errno));
		return -1;
	}
	int rc = wr_yaml_read(fp, limits, out, err);
	fclose(fp);
	return rc;
}
