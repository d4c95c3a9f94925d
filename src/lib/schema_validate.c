/* SPDX-License-Identifier: MIT */
/* Validating instances against compiled schemas.
 *
 * One recursive walk. Annotations (which properties and items were evaluated) are
 * collected only under schemas with unevaluatedProperties or unevaluatedItems; issues,
 * with JSON Pointer paths, only when the caller asks for them. Without issues the walk
 * stops at the first failure.
 */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

/* Deeper than this is refused (fail closed) rather than risk the C stack. */
#define MAX_EVALUATION_DEPTH 1024

/* A growable array that lives on the stack until it outgrows it. */
typedef struct ptr_stack {
	const void *inline_items[16];
	const void **items;
	size_t len, cap;
} ptr_stack;

static void ptr_stack_init(ptr_stack *st)
{
	st->items = st->inline_items;
	st->len = 0;
	st->cap = sizeof st->inline_items / sizeof *st->inline_items;
}

static void ptr_stack_free(ptr_stack *st)
{
	if (st->items != st->inline_items)
		free(st->items);
}

static bool ptr_stack_push(ptr_stack *st, const void *p)
{
	if (st->len == st->cap) {
		size_t cap = st->cap * 2;
		const void **items;
		if (st->items == st->inline_items) {
			items = malloc(cap * sizeof *items);
			if (items)
				memcpy(items, st->inline_items, st->len * sizeof *items);
		} else {
			items = realloc(st->items, cap * sizeof *items);
		}
		if (!items)
			return false;
		st->items = items;
		st->cap = cap;
	}
	st->items[st->len++] = p;
	return true;
}

/* What was evaluated of one instance: the annotations unevaluated* keywords read. */
typedef struct evaluated {
	bool all_properties;
	const char **properties; /* open-addressing set of key pointers (json-c keeps them) */
	size_t property_count, property_cap;
	bool all_items;
	size_t prefix;           /* items [0, prefix) */
	unsigned char *item_bits;
	size_t item_bits_len;
	bool out_of_memory;
} evaluated;

static void evaluated_free(evaluated *e)
{
	free(e->properties);
	free(e->item_bits);
}

static size_t pointer_hash(const void *p)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	return (size_t)(x ^ (x >> 29));
}

static bool has_property(const evaluated *e, const char *key)
{
	if (e->all_properties)
		return true;
	if (!e->property_cap)
		return false;
	for (size_t i = pointer_hash(key) & (e->property_cap - 1);; i = (i + 1) & (e->property_cap - 1)) {
		if (!e->properties[i])
			return false;
		if (e->properties[i] == key)
			return true;
	}
}

static void mark_property(evaluated *e, const char *key)
{
	if (!e || e->all_properties || has_property(e, key))
		return;
	if ((e->property_count + 1) * 2 > e->property_cap) {
		size_t cap = e->property_cap ? e->property_cap * 2 : 16;
		const char **set = calloc(cap, sizeof *set);
		if (!set) {
			e->out_of_memory = true;
			return;
		}
		for (size_t i = 0; i < e->property_cap; i++) {
			if (!e->properties[i])
				continue;
			size_t k = pointer_hash(e->properties[i]) & (cap - 1);
			while (set[k])
				k = (k + 1) & (cap - 1);
			set[k] = e->properties[i];
		}
		free(e->properties);
		e->properties = set;
		e->property_cap = cap;
	}
	size_t k = pointer_hash(key) & (e->property_cap - 1);
	while (e->properties[k])
		k = (k + 1) & (e->property_cap - 1);
	e->properties[k] = key;
	e->property_count++;
}

static void mark_item(evaluated *e, size_t i, size_t length)
{
	if (!e || e->all_items || i < e->prefix)
		return;
	if (!e->item_bits) {
		e->item_bits_len = (length + 7) / 8;
		if (!(e->item_bits = calloc(e->item_bits_len ? e->item_bits_len : 1, 1))) {
			e->out_of_memory = true;
			return;
		}
	}
	if (i / 8 < e->item_bits_len)
		e->item_bits[i / 8] |= (unsigned char)(1u << (i % 8));
}

static bool item_evaluated(const evaluated *e, size_t i)
{
	if (e->all_items || i < e->prefix)
		return true;
	return e->item_bits && i / 8 < e->item_bits_len && (e->item_bits[i / 8] & (1u << (i % 8)));
}

/* Adds what src evaluated to dst (src succeeded, so its annotations count). */
static void merge(evaluated *dst, const evaluated *src)
{
	if (!dst)
		return;
	if (src->out_of_memory)
		dst->out_of_memory = true;
	if (src->all_properties) {
		dst->all_properties = true;
	} else {
		for (size_t i = 0; i < src->property_cap; i++)
			if (src->properties[i])
				mark_property(dst, src->properties[i]);
	}
	dst->all_items |= src->all_items;
	if (src->prefix > dst->prefix)
		dst->prefix = src->prefix;
	for (size_t b = 0; src->item_bits && b < src->item_bits_len * 8; b++)
		if (src->item_bits[b / 8] & (1u << (b % 8)))
			mark_item(dst, b, src->item_bits_len * 8);
}

typedef struct ref_frame {
	const wr_schema *schema;
	json_object *instance;
} ref_frame;

typedef struct vctx {
	wr_issues *issues;   /* NULL: stop at the first failure, report nothing */
	char path_inline[256];
	char *path;          /* JSON Pointer of the instance location, kept only with issues */
	size_t path_len, path_cap;
	ptr_stack scope;     /* dynamic scope: resources entered, outermost first */
	ref_frame *refs;     /* references being followed, to detect loops */
	size_t ref_len, ref_cap;
	int depth;
	unsigned long long steps, step_limit;
	bool out_of_steps;
	pcre2_match_data *match_data;
	pcre2_match_context *match_context;
	bool internal_failure; /* out of memory: the answer is "invalid" */
	const char *limit_hit; /* a limit other than the steps stopped an evaluation */
} vctx;

static bool validate(vctx *c, const wr_schema *s, json_object *inst, evaluated *e);

/* Issues */

void wr_issues_init(wr_issues *issues)
{
	memset(issues, 0, sizeof *issues);
}

void wr_issues_clear(wr_issues *issues)
{
	for (size_t i = 0; i < issues->count; i++) {
		free(issues->items[i].path);
		free(issues->items[i].message);
	}
	free(issues->items);
	wr_issues_init(issues);
}

int wr_issues_add(wr_issues *issues, const char *path, const char *message)
{
	if (issues->count == issues->cap) {
		size_t cap = issues->cap ? issues->cap * 2 : 8;
		wr_issue *items = realloc(issues->items, cap * sizeof *items);
		if (!items)
			return -1;
		issues->items = items;
		issues->cap = cap;
	}
	wr_issue *it = &issues->items[issues->count];
	it->path = strdup(path);
	it->message = strdup(message);
	if (!it->path || !it->message) {
		free(it->path);
		free(it->message);
		return -1;
	}
	issues->count++;
	return 0;
}

/* A short rendering of a value for a message: scalars as JSON (strings cut at 60
 * bytes, on a character boundary), containers by kind. */
static void describe(vctx *c, json_object *v, char *buf, size_t size)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		snprintf(buf, size, "null");
		return;
	case json_type_object:
		snprintf(buf, size, "an object");
		return;
	case json_type_array:
		snprintf(buf, size, "an array of %zu item%s", json_object_array_length(v),
		         json_object_array_length(v) == 1 ? "" : "s");
		return;
	case json_type_string: {
		const char *s = json_object_get_string(v);
		size_t n = (size_t)json_object_get_string_len(v), o = 0;
		buf[o++] = '"';
		for (size_t i = 0; i < n && o + 12 < size; i++) {
			unsigned char ch = (unsigned char)s[i];
			if (i >= 60 && (ch & 0xC0) != 0x80) {
				o += (size_t)snprintf(buf + o, size - o, "...");
				break;
			}
			if (ch == '"' || ch == '\\')
				o += (size_t)snprintf(buf + o, size - o, "\\%c", ch);
			else if (ch < 0x20)
				o += (size_t)snprintf(buf + o, size - o, "\\u%04x", ch);
			else
				buf[o++] = (char)ch;
		}
		snprintf(buf + o, size - o, "\"");
		return;
	}
	default:
	{
		const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		if (!text)
			c->internal_failure = true; /* json-c renders into memory it allocates */
		snprintf(buf, size, "%s", text ? text : "?");
		return;
	}
	}
}

static const char *type_name(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "boolean";
	case json_type_int: return "integer";
	case json_type_double: return "number";
	case json_type_string: return "string";
	case json_type_array: return "array";
	case json_type_object: return "object";
	}
	return "value";
}

static void report(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(vctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!c->issues)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (wr_issues_add(c->issues, c->path, msg) < 0)
		c->internal_failure = true;
}

/* Path maintenance: only while issues are collected. Returns the length to restore. */
static size_t path_push(vctx *c, const char *token, size_t len)
{
	size_t old = c->path_len;
	if (!c->issues)
		return old;
	size_t need = c->path_len + 2 * len + 2;
	if (need > c->path_cap) {
		size_t cap = need * 2;
		char *p = c->path == c->path_inline ? malloc(cap) : realloc(c->path, cap);
		if (!p) {
			c->internal_failure = true;
			return old;
		}
		if (c->path == c->path_inline)
			memcpy(p, c->path_inline, c->path_len + 1);
		c->path = p;
		c->path_cap = cap;
	}
	c->path[c->path_len++] = '/';
	for (size_t i = 0; i < len; i++) {
		if (token[i] == '~') {
			c->path[c->path_len++] = '~';
			c->path[c->path_len++] = '0';
		} else if (token[i] == '/') {
			c->path[c->path_len++] = '~';
			c->path[c->path_len++] = '1';
		} else {
			c->path[c->path_len++] = token[i];
		}
	}
	c->path[c->path_len] = '\0';
	return old;
}

static size_t path_push_index(vctx *c, size_t i)
{
	if (!c->issues)
		return c->path_len; /* no path without issues: skip the formatting */
	char idx[32];
	int n = snprintf(idx, sizeof idx, "%zu", i);
	return path_push(c, idx, (size_t)n);
}

static void path_pop(vctx *c, size_t old)
{
	if (!c->issues || old > c->path_len)
		return;
	c->path_len = old;
	c->path[old] = '\0';
}

/* Runs a subschema whose failures are not the instance's issues (anyOf branches, not,
 * if, contains): no issues, no path. */
static bool validate_silently(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	wr_issues *saved = c->issues;
	c->issues = NULL;
	bool ok = validate(c, s, inst, e);
	c->issues = saved;
	return ok;
}

/* JSON values */


/* A hash consistent with wr_json_equal: equal values hash alike. */
static uint64_t value_hash(json_object *v)
{
	uint64_t h = 1469598103934665603ULL;
	number n;
	if (wr_schema_number(v, &n)) {
		double d = n.d;
		if (d == 0)
			d = 0; /* -0 equals 0 */
		if (n.is_int && (n.i > (1LL << 53) || n.i < -(1LL << 53)))
			return (uint64_t)n.i * 1099511628211ULL;
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		return bits * 1099511628211ULL + 7;
	}
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 11;
	case json_type_boolean:
		return json_object_get_boolean(v) ? 13 : 17;
	case json_type_string: {
		const unsigned char *s = (const unsigned char *)json_object_get_string(v);
		for (int i = 0; i < json_object_get_string_len(v); i++)
			h = (h ^ s[i]) * 1099511628211ULL;
		return h;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			h = (h ^ value_hash(json_object_array_get_idx(v, i))) * 1099511628211ULL;
		return h + 19;
	case json_type_object: {
		uint64_t sum = 23;
		json_object_object_foreach(v, key, val) {
			uint64_t kh = 1469598103934665603ULL;
			for (const unsigned char *p = (const unsigned char *)key; *p; p++)
				kh = (kh ^ *p) * 1099511628211ULL;
			sum += kh * 31 + value_hash(val); /* order of keys does not matter */
		}
		return sum;
	}
	default:
		return h;
	}
}

typedef struct hashed_item {
	uint64_t hash;
	size_t index;
} hashed_item;

static int compare_hashed(const void *a, const void *b)
{
	const hashed_item *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Finds two equal items; returns false (and sets *first, *second) when there are. */
static bool items_unique(vctx *c, json_object *arr, size_t *first, size_t *second)
{
	size_t n = json_object_array_length(arr);
	if (n <= 16) {
		for (size_t i = 0; i < n; i++)
			for (size_t k = i + 1; k < n; k++)
				if (wr_json_equal(json_object_array_get_idx(arr, i),
				                  json_object_array_get_idx(arr, k))) {
					*first = i;
					*second = k;
					return false;
				}
		return true;
	}
	/* Large arrays: sort by hash, compare only equal hashes (no quadratic blow-up). */
	hashed_item *h = malloc(n * sizeof *h);
	if (!h) {
		c->internal_failure = true;
		*first = *second = 0;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		h[i].hash = value_hash(json_object_array_get_idx(arr, i));
		h[i].index = i;
	}
	qsort(h, n, sizeof *h, compare_hashed);
	bool unique = true;
	for (size_t i = 0; i < n && unique; i++)
		for (size_t k = i + 1; k < n && h[k].hash == h[i].hash; k++)
			if (wr_json_equal(json_object_array_get_idx(arr, h[i].index),
			                  json_object_array_get_idx(arr, h[k].index))) {
				*first = h[i].index;
				*second = h[k].index;
				unique = false;
				break;
			}
	free(h);
	return unique;
}

/* Keywords */

static bool type_matches(unsigned types, json_object *inst)
{
	switch (json_object_get_type(inst)) {
	case json_type_null: return types & TYPE_NULL;
	case json_type_boolean: return types & TYPE_BOOLEAN;
	case json_type_object: return types & TYPE_OBJECT;
	case json_type_array: return types & TYPE_ARRAY;
	case json_type_string: return types & TYPE_STRING;
	case json_type_int: return types & (TYPE_INTEGER | TYPE_NUMBER);
	case json_type_double: {
		if (types & TYPE_NUMBER)
			return true;
		double d = json_object_get_double(inst);
		return (types & TYPE_INTEGER) && isfinite(d) && d == floor(d);
	}
	}
	return false;
}

static void type_names(unsigned types, char *buf, size_t size)
{
	static const char *const names[] = {"null", "boolean", "object", "array", "number", "string", "integer"};
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < 7; i++) {
		if (!(types & (1u << i)))
			continue;
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", o ? " or " : "", names[i]);
	}
}

static bool check_type(vctx *c, const wr_schema *s, json_object *inst)
{
	if (type_matches(s->types, inst))
		return true;
	if (c->issues) {
		char want[128], got[128];
		type_names(s->types, want, sizeof want);
		describe(c, inst, got, sizeof got);
		if (json_object_is_type(inst, json_type_object) || json_object_is_type(inst, json_type_array))
			report(c, "expected %s, received %s", want, got);
		else
			report(c, "expected %s, received %s %s", want, type_name(inst), got);
	}
	return false;
}

static bool check_const_enum(vctx *c, const wr_schema *s, json_object *inst)
{
	bool ok = true;
	char got[128], want[512];
	if ((s->flags & HAS_CONST) && !wr_json_equal(s->const_value, inst)) {
		ok = false;
		if (c->issues) {
			describe(c, s->const_value, want, sizeof want);
			describe(c, inst, got, sizeof got);
			report(c, "expected %s, received %s", want, got);
		}
	}
	if (s->flags & HAS_ENUM) {
		size_t n = json_object_array_length(s->enum_values);
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = wr_json_equal(json_object_array_get_idx(s->enum_values, i), inst);
		if (!found) {
			ok = false;
			if (c->issues) {
				size_t o = 0;
				for (size_t i = 0; i < n && o < sizeof want - 80; i++) {
					char one[128];
					describe(c, json_object_array_get_idx(s->enum_values, i), one, sizeof one);
					if (i == 10) {
						snprintf(want + o, sizeof want - o, ", ...");
						break;
					}
					o += (size_t)snprintf(want + o, sizeof want - o, "%s%s", i ? ", " : "", one);
				}
				if (n == 0)
					snprintf(want, sizeof want, "nothing");
				describe(c, inst, got, sizeof got);
				report(c, "expected one of %s, received %s", want, got);
			}
		}
	}
	return ok;
}

static bool is_multiple(number x, number m)
{
	if (x.is_int && m.is_int)
		return x.i % m.i == 0; /* m > 0: checked when compiled */
	double q = x.d / m.d;
	if (!isfinite(q))
		return false;
	return fabs(q - nearbyint(q)) < 1e-9;
}

static bool check_number(vctx *c, const wr_schema *s, json_object *inst)
{
	number x;
	bool ok = true;
	if (!wr_schema_number(inst, &x))
		return true;
	static const char *const ops[] = {">=", ">", "<=", "<"};
	const number *limits[] = {&s->minimum, &s->exclusive_minimum, &s->maximum,
	                          &s->exclusive_maximum};
	const bool failed[] = {
		(s->flags & HAS_MINIMUM) && wr_compare_numbers(x, s->minimum) < 0,
		(s->flags & HAS_EXCLUSIVE_MINIMUM) && wr_compare_numbers(x, s->exclusive_minimum) <= 0,
		(s->flags & HAS_MAXIMUM) && wr_compare_numbers(x, s->maximum) > 0,
		(s->flags & HAS_EXCLUSIVE_MAXIMUM) && wr_compare_numbers(x, s->exclusive_maximum) >= 0,
	};
	char got[64] = "", lim[64] = "";
	if (c->issues)
		describe(c, inst, got, sizeof got);
	for (int i = 0; i < 4; i++) {
		if (!failed[i])
			continue;
		ok = false;
		if (c->issues) {
			describe(c, limits[i]->source, lim, sizeof lim);
			report(c, "expected a number %s %s, received %s", ops[i], lim, got);
		}
	}
	if ((s->flags & HAS_MULTIPLE_OF) && !is_multiple(x, s->multiple_of)) {
		ok = false;
		if (c->issues) {
			describe(c, s->multiple_of.source, lim, sizeof lim);
			report(c, "expected a multiple of %s, received %s", lim, got);
		}
	}
	return ok;
}

static pcre2_match_data *match_data(vctx *c)
{
	if (!c->match_data && !(c->match_data = pcre2_match_data_create(1, NULL)))
		c->internal_failure = true;
	return c->match_data;
}

/* 1 when the pattern matches, 0 when not, -1 when it cannot tell (limits, memory). */
static int pattern_matches(vctx *c, const pcre2_code *re, const char *s, size_t len)
{
	pcre2_match_data *md = match_data(c);
	if (!md)
		return -1;
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, c->match_context);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY)
		c->internal_failure = true;
	else
		c->limit_hit = "a regular expression hit its match limit";
	return -1;
}

static bool check_string(vctx *c, const wr_schema *s, json_object *inst)
{
	const char *str = json_object_get_string(inst);
	size_t len = (size_t)json_object_get_string_len(inst);
	bool ok = true;
	char got[128];

	/* A string of len bytes has between len/4 and len characters: most bounds are
	 * settled without counting. */
	bool min_unsure = s->min_length >= 0 && (uint64_t)s->min_length > len / 4;
	bool max_unsure = s->max_length >= 0 && (uint64_t)s->max_length < len;
	if (min_unsure || max_unsure) {
		size_t chars = wr_utf8_length(str, len);
		if (s->min_length >= 0 && chars < (uint64_t)s->min_length) {
			ok = false;
			if (c->issues) {
				describe(c, inst, got, sizeof got);
				report(c, "expected a string of at least %lld character%s, received %s",
				       (long long)s->min_length, s->min_length == 1 ? "" : "s", got);
			}
		}
		if (s->max_length >= 0 && chars > (uint64_t)s->max_length) {
			ok = false;
			if (c->issues) {
				describe(c, inst, got, sizeof got);
				report(c, "expected a string of at most %lld character%s, received %zu: %s",
				       (long long)s->max_length, s->max_length == 1 ? "" : "s", chars, got);
			}
		}
	}
	if (s->pattern) {
		int m = pattern_matches(c, s->pattern, str, len);
		if (m != 1) {
			ok = false;
			if (c->issues) {
				describe(c, inst, got, sizeof got);
				if (m == 0)
					report(c, "expected a string matching /%s/, received %s", s->pattern_source, got);
				else
					report(c, "could not match /%s/ against %s (the regular expression hit its limits)",
					       s->pattern_source, got);
			}
		}
	}
	if (s->format && !wr_format_check(s->format, str, len)) {
		ok = false;
		if (c->issues) {
			describe(c, inst, got, sizeof got);
			report(c, "expected a string in format %s, received %s", wr_format_name(s->format), got);
		}
	}
	return ok;
}

/* Keeps evaluating after a failure only when issues are collected. */
static bool keep_going(const vctx *c, bool *ok, bool passed)
{
	if (!passed)
		*ok = false;
	return passed || c->issues != NULL;
}

static bool check_array(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	size_t n = json_object_array_length(inst);
	bool ok = true;

	size_t prefix = s->prefix_items.count < n ? s->prefix_items.count : n;
	for (size_t i = 0; i < prefix; i++) {
		size_t p = path_push_index(c, i);
		bool passed = validate(c, s->prefix_items.items[i], json_object_array_get_idx(inst, i), NULL);
		path_pop(c, p);
		if (!keep_going(c, &ok, passed))
			return false;
	}
	if (e && prefix > e->prefix)
		e->prefix = prefix;
	if (s->items) {
		for (size_t i = s->prefix_items.count; i < n; i++) {
			size_t p = path_push_index(c, i);
			bool passed = validate(c, s->items, json_object_array_get_idx(inst, i), NULL);
			path_pop(c, p);
			if (!keep_going(c, &ok, passed))
				return false;
		}
		if (e)
			e->all_items = true;
	}
	if (s->contains) {
		int64_t matches = 0;
		/* Without annotations to collect or a maximum, enough matches settle it. */
		bool need_all = e || s->max_contains >= 0;
		for (size_t i = 0; i < n; i++) {
			if (validate_silently(c, s->contains, json_object_array_get_idx(inst, i), NULL)) {
				matches++;
				mark_item(e, i, n);
				if (!need_all && matches >= s->min_contains)
					break;
			}
		}
		if (matches < s->min_contains) {
			report(c, "expected at least %lld item%s matching \"contains\", received %lld",
			       (long long)s->min_contains, s->min_contains == 1 ? "" : "s", (long long)matches);
			if (!keep_going(c, &ok, false))
				return false;
		}
		if (s->max_contains >= 0 && matches > s->max_contains) {
			report(c, "expected at most %lld item%s matching \"contains\", received %lld",
			       (long long)s->max_contains, s->max_contains == 1 ? "" : "s", (long long)matches);
			if (!keep_going(c, &ok, false))
				return false;
		}
	}
	if (s->min_items >= 0 && n < (uint64_t)s->min_items) {
		report(c, "expected at least %lld item%s, received %zu", (long long)s->min_items,
		       s->min_items == 1 ? "" : "s", n);
		if (!keep_going(c, &ok, false))
			return false;
	}
	if (s->max_items >= 0 && n > (uint64_t)s->max_items) {
		report(c, "expected at most %lld item%s, received %zu", (long long)s->max_items,
		       s->max_items == 1 ? "" : "s", n);
		if (!keep_going(c, &ok, false))
			return false;
	}
	if (s->flags & HAS_UNIQUE_ITEMS) {
		size_t a, b;
		if (!items_unique(c, inst, &a, &b)) {
			report(c, "expected unique items, received equal items at %zu and %zu", a, b);
			if (!keep_going(c, &ok, false))
				return false;
		}
	}
	return ok;
}

static bool validate_property(vctx *c, const wr_schema *s, const char *key,
                              json_object *value)
{
	size_t p = path_push(c, key, strlen(key));
	bool passed = validate(c, s, value, NULL);
	path_pop(c, p);
	return passed;
}

static bool check_property_name(vctx *c, const wr_schema *s, const char *key)
{
	json_object *name = json_object_new_string(key);
	if (!name) {
		c->internal_failure = true;
		return false;
	}
	bool passed = validate_silently(c, s->property_names, name, NULL);
	json_object_put(name);
	if (!passed) {
		size_t p = path_push(c, key, strlen(key));
		report(c, "property name \"%s\" does not match \"propertyNames\"", key);
		path_pop(c, p);
	}
	return passed;
}

static void list_properties(const wr_schema *s, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->property_count && o + 8 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", s->properties[i].name);
	if (s->property_count == 0)
		snprintf(buf, size, "none");
}

static bool check_object_members(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	bool ok = true;
	json_object_object_foreach(inst, key, value) {
		bool known = false;
		void *idx;
		if (s->property_index && lh_table_lookup_ex(s->property_index, key, &idx)) {
			known = true;
			if (!keep_going(c, &ok, validate_property(c, s->properties[(size_t)idx - 1].schema, key, value)))
				return false;
		}
		for (size_t i = 0; i < s->pattern_property_count; i++) {
			int m = pattern_matches(c, s->pattern_properties[i].re, key, strlen(key));
			if (m < 0) {
				size_t p = path_push(c, key, strlen(key));
				report(c, "could not match /%s/ against property name \"%s\" (the regular expression hit its limits)",
				       s->pattern_properties[i].source, key);
				path_pop(c, p);
				if (!keep_going(c, &ok, false))
					return false;
			} else if (m == 1) {
				known = true;
				if (!keep_going(c, &ok, validate_property(c, s->pattern_properties[i].schema, key, value)))
					return false;
			}
		}
		if (!known && s->additional_properties) {
			bool passed;
			if (s->additional_properties->is_boolean && !s->additional_properties->boolean_value) {
				passed = false;
				if (c->issues) {
					char allowed[512];
					list_properties(s, allowed, sizeof allowed);
					size_t p = path_push(c, key, strlen(key));
					report(c, "property \"%s\" is not allowed (the object is closed; expected only: %s)",
					       key, allowed);
					path_pop(c, p);
				}
			} else {
				passed = validate_property(c, s->additional_properties, key, value);
			}
			if (!keep_going(c, &ok, passed))
				return false;
			known = true;
		}
		if (known)
			mark_property(e, key);
		if (s->property_names && !keep_going(c, &ok, check_property_name(c, s, key)))
			return false;
	}
	return ok;
}

static bool check_object(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	bool ok = true;
	json_object *v;

	if ((s->property_count || s->pattern_property_count || s->additional_properties ||
	     s->property_names) &&
	    !keep_going(c, &ok, check_object_members(c, s, inst, e)))
		return false;
	for (size_t i = 0; i < s->required.count; i++) {
		const char *name = s->required.names[i];
		if (json_object_object_get_ex(inst, name, NULL))
			continue;
		/* reported at the object that lacks it, as the contract says */
		report(c, "missing required property \"%s\"", name);
		if (!keep_going(c, &ok, false))
			return false;
	}
	for (size_t i = 0; i < s->dependent_required_count; i++) {
		const dependent_required *d = &s->dependent_required[i];
		if (!json_object_object_get_ex(inst, d->name, NULL))
			continue;
		for (size_t k = 0; k < d->required.count; k++) {
			if (json_object_object_get_ex(inst, d->required.names[k], NULL))
				continue;
			report(c, "missing property \"%s\", required when \"%s\" is present",
			       d->required.names[k], d->name);
			if (!keep_going(c, &ok, false))
				return false;
		}
	}
	for (size_t i = 0; i < s->dependent_schema_count; i++) {
		if (json_object_object_get_ex(inst, s->dependent_schemas[i].name, &v) &&
		    !keep_going(c, &ok, validate(c, s->dependent_schemas[i].schema, inst, e)))
			return false;
	}
	int64_t count = json_object_object_length(inst);
	if (s->min_properties >= 0 && count < s->min_properties) {
		report(c, "expected at least %lld propert%s, received %lld", (long long)s->min_properties,
		       s->min_properties == 1 ? "y" : "ies", (long long)count);
		if (!keep_going(c, &ok, false))
			return false;
	}
	if (s->max_properties >= 0 && count > s->max_properties) {
		report(c, "expected at most %lld propert%s, received %lld", (long long)s->max_properties,
		       s->max_properties == 1 ? "y" : "ies", (long long)count);
		if (!keep_going(c, &ok, false))
			return false;
	}
	return ok;
}

static bool follow_ref(vctx *c, const wr_schema *target, json_object *inst, evaluated *e)
{
	for (size_t i = 0; i < c->ref_len; i++) {
		if (c->refs[i].schema == target && c->refs[i].instance == inst) {
			report(c, "the schema loops: %s refers back to itself without consuming the instance",
			       target->location);
			return false;
		}
	}
	if (c->ref_len == c->ref_cap) {
		size_t cap = c->ref_cap ? c->ref_cap * 2 : 16;
		ref_frame *r = realloc(c->refs, cap * sizeof *r);
		if (!r) {
			c->internal_failure = true;
			return false;
		}
		c->refs = r;
		c->ref_cap = cap;
	}
	c->refs[c->ref_len].schema = target;
	c->refs[c->ref_len].instance = inst;
	c->ref_len++;
	bool ok = validate(c, target, inst, e);
	c->ref_len--;
	return ok;
}

static const wr_schema *dynamic_target(const vctx *c, const wr_schema *s)
{
	if (!s->dynamic_anchor)
		return s->dynamic_ref;
	/* The outermost resource in the dynamic scope with that dynamic anchor wins. */
	for (size_t i = 0; i < c->scope.len; i++) {
		const resource *r = c->scope.items[i];
		void *found;
		if (lh_table_lookup_ex(r->dynamic_compiled, s->dynamic_anchor, &found))
			return found;
	}
	return s->dynamic_ref;
}

static bool check_all_of(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	bool ok = true;
	for (size_t i = 0; i < s->all_of.count; i++)
		if (!keep_going(c, &ok, validate(c, s->all_of.items[i], inst, e)))
			return false;
	return ok;
}

static bool check_any_of(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	size_t passed = 0;
	for (size_t i = 0; i < s->any_of.count; i++) {
		evaluated branch = {0};
		if (validate_silently(c, s->any_of.items[i], inst, e ? &branch : NULL)) {
			passed++;
			merge(e, &branch);
		}
		evaluated_free(&branch);
		if (passed && !e)
			break; /* annotations need every passing branch; the answer needs one */
	}
	if (passed)
		return true;
	if (c->issues) {
		char got[128];
		describe(c, inst, got, sizeof got);
		report(c, "expected a value matching at least one of %zu schemas (anyOf), received %s",
		       s->any_of.count, got);
	}
	return false;
}

static bool check_one_of(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	size_t passed = 0;
	evaluated winner = {0};
	for (size_t i = 0; i < s->one_of.count && passed < 2; i++) {
		evaluated branch = {0};
		if (validate_silently(c, s->one_of.items[i], inst, e ? &branch : NULL)) {
			passed++;
			evaluated_free(&winner);
			winner = branch;
		} else {
			evaluated_free(&branch);
		}
	}
	if (passed == 1)
		merge(e, &winner);
	evaluated_free(&winner);
	if (passed == 1)
		return true;
	if (c->issues) {
		char got[128];
		describe(c, inst, got, sizeof got);
		report(c, "expected a value matching exactly one of %zu schemas (oneOf), received %s, which matches %s",
		       s->one_of.count, got, passed ? "more than one" : "none");
	}
	return false;
}

static bool check_not(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	(void)e;
	if (!validate_silently(c, s->not_schema, inst, NULL))
		return true;
	if (c->issues) {
		char got[128];
		describe(c, inst, got, sizeof got);
		report(c, "expected a value that does not match the \"not\" schema, received %s", got);
	}
	return false;
}

static bool check_if(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	if (!s->if_schema)
		return true; /* then or else alone */
	evaluated cond = {0};
	bool holds = validate_silently(c, s->if_schema, inst, e ? &cond : NULL);
	if (holds)
		merge(e, &cond);
	evaluated_free(&cond);
	const wr_schema *branch = holds ? s->then_schema : s->else_schema;
	return !branch || validate(c, branch, inst, e);
}

static bool check_unevaluated(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	bool ok = true;
	if (s->unevaluated_properties && json_object_is_type(inst, json_type_object)) {
		json_object_object_foreach(inst, key, value) {
			if (has_property(e, key))
				continue;
			bool passed;
			if (s->unevaluated_properties->is_boolean && !s->unevaluated_properties->boolean_value) {
				size_t p = path_push(c, key, strlen(key));
				report(c, "property \"%s\" is not allowed (unevaluatedProperties)", key);
				path_pop(c, p);
				passed = false;
			} else {
				passed = validate_property(c, s->unevaluated_properties, key, value);
			}
			if (!keep_going(c, &ok, passed))
				return false;
		}
		e->all_properties = true;
	}
	if (s->unevaluated_items && json_object_is_type(inst, json_type_array)) {
		size_t n = json_object_array_length(inst);
		for (size_t i = 0; i < n; i++) {
			if (item_evaluated(e, i))
				continue;
			size_t p = path_push_index(c, i);
			bool passed;
			if (s->unevaluated_items->is_boolean && !s->unevaluated_items->boolean_value) {
				report(c, "item %zu is not allowed (unevaluatedItems)", i);
				passed = false;
			} else {
				passed = validate(c, s->unevaluated_items, json_object_array_get_idx(inst, i), NULL);
			}
			path_pop(c, p);
			if (!keep_going(c, &ok, passed))
				return false;
		}
		e->all_items = true;
	}
	return ok;
}

/* Runs the validation steps s needs (schema_keywords.h: a keyword's row in the table
 * names the step that checks it, and the compiler lists the steps of each schema's
 * keywords, in the order of wr_check). */
static bool validate_keywords(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	bool ok = true;
	enum json_type type = json_object_get_type(inst);

	for (size_t k = 0; k < s->step_count; k++) {
		bool passed = true;
		switch ((wr_check)s->steps[k]) {
		case CHECK_REF:
			passed = !s->ref || follow_ref(c, s->ref, inst, e);
			break;
		case CHECK_DYNAMIC_REF:
			passed = !s->dynamic_ref || follow_ref(c, dynamic_target(c, s), inst, e);
			break;
		case CHECK_TYPE:
			passed = check_type(c, s, inst);
			break;
		case CHECK_CONST_ENUM:
			passed = check_const_enum(c, s, inst);
			break;
		case CHECK_NUMBER:
			passed = (type != json_type_int && type != json_type_double) || check_number(c, s, inst);
			break;
		case CHECK_STRING:
			passed = type != json_type_string ||
			         !(s->min_length >= 0 || s->max_length >= 0 || s->pattern || s->format) ||
			         check_string(c, s, inst);
			break;
		case CHECK_ARRAY:
			passed = type != json_type_array || check_array(c, s, inst, e);
			break;
		case CHECK_OBJECT:
			passed = type != json_type_object || check_object(c, s, inst, e);
			break;
		case CHECK_ALL_OF:
			passed = check_all_of(c, s, inst, e);
			break;
		case CHECK_ANY_OF:
			passed = check_any_of(c, s, inst, e);
			break;
		case CHECK_ONE_OF:
			passed = check_one_of(c, s, inst, e);
			break;
		case CHECK_NOT:
			passed = check_not(c, s, inst, e);
			break;
		case CHECK_IF:
			passed = check_if(c, s, inst, e);
			break;
		case CHECK_UNEVALUATED:
			passed = check_unevaluated(c, s, inst, e);
			break;
		case CHECK_NONE:
		case CHECK_COUNT:
			break;
		}
		if (!keep_going(c, &ok, passed))
			return false;
	}
	return ok;
}

static bool validate(vctx *c, const wr_schema *s, json_object *inst, evaluated *e)
{
	if (s->is_boolean) {
		if (s->boolean_value)
			return true;
		if (c->issues) {
			char got[128];
			describe(c, inst, got, sizeof got);
			report(c, "no value is allowed here (false schema), received %s", got);
		}
		return false;
	}
	if (++c->steps > c->step_limit) {
		c->out_of_steps = true; /* reported once, at the root, when it ends */
		return false;
	}
	if (c->depth >= MAX_EVALUATION_DEPTH) {
		c->limit_hit = "the evaluation nested deeper than its limit of 1024 levels";
		report(c, "the schema and instance nest deeper than %d levels of evaluation",
		       MAX_EVALUATION_DEPTH);
		return false;
	}
	c->depth++;
	bool entered = c->scope.len == 0 || c->scope.items[c->scope.len - 1] != s->resource;
	if (entered && !ptr_stack_push(&c->scope, s->resource)) {
		c->internal_failure = true;
		c->depth--;
		return false;
	}

	evaluated own = {0}, *ev = e;
	if (s->collects_annotations)
		ev = &own; /* unevaluated* reads what this schema's own keywords evaluated */
	bool ok = validate_keywords(c, s, inst, ev);
	if (s->collects_annotations) {
		if (ok)
			merge(e, &own);
		if (own.out_of_memory)
			c->internal_failure = true;
		evaluated_free(&own);
	}
	if (e && e->out_of_memory)
		c->internal_failure = true;

	if (entered)
		c->scope.len--;
	c->depth--;
	return ok && !c->internal_failure && !c->out_of_steps;
}

/* One evaluation of instance; *done is false when it could not finish, with why in
 * err. */
static bool run(const wr_schema *schema, json_object *instance, wr_issues *issues,
                bool *done, wr_error *err)
{
	vctx c;
	memset(&c, 0, sizeof c);
	c.issues = issues;
	c.path = c.path_inline;
	c.path_cap = sizeof c.path_inline;
	c.path[0] = '\0';
	c.match_context = schema->registry->match_context;
	c.step_limit = schema->registry->step_limit;
	ptr_stack_init(&c.scope);

	bool ok = validate(&c, schema, instance, NULL);
	*done = true;
	if (c.out_of_steps) {
		ok = false;
		*done = false;
		wr_error_set(err, "validation gave up after %llu evaluation steps (the step limit: "
		             "the schema is too costly for this instance)", c.step_limit);
		if (issues) {
			char msg[160];
			snprintf(msg, sizeof msg,
			         "validation gave up after %llu evaluation steps (the schema is too costly for this instance)",
			         c.step_limit);
			wr_issues_add(issues, "", msg);
		}
	} else if (c.limit_hit) {
		*done = false;
		wr_error_set(err, "validation could not finish: %s", c.limit_hit);
	}
	if (c.internal_failure) {
		ok = false;
		*done = false;
		wr_error_set(err, "out of memory");
		if (issues)
			wr_issues_add(issues, "", "validation could not complete: out of memory");
	}
	if (c.match_data)
		pcre2_match_data_free(c.match_data);
	if (c.path != c.path_inline)
		free(c.path);
	free(c.refs);
	ptr_stack_free(&c.scope);
	return ok;
}

bool wr_schema_validate(const wr_schema *schema, json_object *instance, wr_issues *issues)
{
	bool done;
	return run(schema, instance, issues, &done, NULL) && done;
}

wr_validity wr_schema_check(const wr_schema *schema, json_object *instance, wr_issues *issues,
                            wr_error *err)
{
	bool done;
	/* Most instances are valid, and paths and messages cost more than the check: only
	 * an invalid one is evaluated again, collecting every issue. */
	if (run(schema, instance, NULL, &done, err) && done)
		return WR_VALID;
	if (!done)
		return WR_UNFINISHED;
	if (!issues)
		return WR_INVALID;
	size_t before = issues->count;
	if (run(schema, instance, issues, &done, err) && done) {
		/* Cannot be: the same evaluation said invalid a moment ago. */
		wr_error_set(err, "validation gave two answers for the same instance");
		return WR_UNFINISHED;
	}
	if (!done)
		return WR_UNFINISHED;
	if (issues->count == before && wr_issues_add(issues, "", "invalid") < 0) {
		wr_error_set(err, "out of memory");
		return WR_UNFINISHED;
	}
	return WR_INVALID;
}
