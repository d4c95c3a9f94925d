/* SPDX-License-Identifier: MIT */
/* Compiling schemas: every keyword is checked and turned into its fast form once
 * (numbers, name tables, compiled patterns, resolved references), so that validation
 * only reads. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecma_regex.h"
#include "schema_internal.h"
#include "uri.h"

static int fail(wr_error *err, const wr_schema *s, const char *keyword, const char *what)
{
	return wr_error_set(err, "invalid schema at %s: \"%s\" %s", s->location, keyword, what);
}

static unsigned resource_vocab(wr_registry *reg, resource *r, wr_error *err)
{
	if (r->vocab)
		return r->vocab;
	unsigned v;
	if (r->metaschema)
		v = wr_vocab_for_metaschema(reg, r->metaschema, err);
	else if (r->parent)
		v = resource_vocab(reg, r->parent, err);
	else
		v = VOCAB_ALL_2020_12;
	r->vocab = v;
	return v;
}

/* location + "/" + token, with the token escaped as JSON Pointer wants. */
static char *child_location(const char *location, const char *token, const char *token2)
{
	size_t n = strlen(location) + 2 * strlen(token) + (token2 ? 2 * strlen(token2) : 0) + 4;
	char *out = malloc(n), *o = out;
	if (!out)
		return NULL;
	o += sprintf(o, "%s", location);
	const char *tokens[2] = {token, token2};
	for (int t = 0; t < 2 && tokens[t]; t++) {
		*o++ = '/';
		for (const char *p = tokens[t]; *p; p++) {
			if (*p == '~') {
				*o++ = '~';
				*o++ = '0';
			} else if (*p == '/') {
				*o++ = '~';
				*o++ = '1';
			} else {
				*o++ = *p;
			}
		}
	}
	*o = '\0';
	return out;
}

static const wr_schema *compile_child(wr_registry *reg, wr_schema *parent, json_object *src,
                                      const char *keyword, const char *sub, wr_error *err)
{
	char *loc = child_location(parent->location, keyword, sub);
	if (!loc) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	const wr_schema *s = wr_compile_node(reg, src, parent->resource, loc, err);
	free(loc);
	return s;
}

static int add_pending(wr_registry *reg, wr_schema *owner, const wr_schema **slot,
                       const char *ref, bool dynamic, wr_error *err)
{
	pending_ref *p = calloc(1, sizeof *p);
	if (!p || !(p->uri = wr_uri_resolve(owner->resource->uri, ref))) {
		free(p);
		return wr_error_set(err, "out of memory");
	}
	p->slot = slot;
	p->owner = owner;
	p->dynamic = dynamic;
	p->next = reg->pending;
	reg->pending = p;
	return 0;
}

/* A non-negative integer (2020-12 accepts 2.0 for 2). */
static bool get_count(json_object *v, int64_t *out)
{
	number n;
	if (!wr_schema_number(v, &n))
		return false;
	if (n.is_int) {
		if (n.i < 0)
			return false;
		*out = n.i;
		return true;
	}
	if (!isfinite(n.d) || n.d < 0 || n.d != floor(n.d))
		return false;
	*out = n.d >= 9.2e18 ? INT64_MAX : (int64_t)n.d;
	return true;
}

/* The member of s at kw->field, for the compile functions several keywords share. */
static void *field(wr_schema *s, const wr_keyword *kw)
{
	return (char *)s + kw->field;
}

static int compile_ref(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                       wr_error *err)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(err, s, kw->name, "must be a string");
	return add_pending(reg, s, &s->ref, json_object_get_string(v), false, err);
}

static int compile_dynamic_ref(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                               wr_error *err)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(err, s, kw->name, "must be a string");
	return add_pending(reg, s, &s->dynamic_ref, json_object_get_string(v), true, err);
}

static int compile_count(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                         wr_error *err)
{
	(void)reg;
	if (!get_count(v, field(s, kw)))
		return fail(err, s, kw->name, "must be a non-negative integer");
	return 0;
}

static int compile_number(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                          wr_error *err)
{
	(void)reg;
	number *out = field(s, kw);
	if (!wr_schema_number(v, out))
		return fail(err, s, kw->name, "must be a number");
	out->source = v;
	s->flags |= kw->flag;
	return 0;
}

static int compile_multiple_of(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                               wr_error *err)
{
	if (compile_number(reg, s, v, kw, err) < 0)
		return -1;
	if (!(s->multiple_of.d > 0))
		return fail(err, s, kw->name, "must be a number above 0");
	return 0;
}

static int type_bit(const char *name, unsigned *bit)
{
	static const struct {
		const char *name;
		unsigned bit;
	} types[] = {{"null", TYPE_NULL},     {"boolean", TYPE_BOOLEAN}, {"object", TYPE_OBJECT},
	             {"array", TYPE_ARRAY},   {"number", TYPE_NUMBER},   {"string", TYPE_STRING},
	             {"integer", TYPE_INTEGER}};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		if (strcmp(name, types[i].name) == 0) {
			*bit = types[i].bit;
			return 0;
		}
	}
	return -1;
}

static int compile_type(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                        wr_error *err)
{
	unsigned bit;
	(void)reg;
	if (json_object_is_type(v, json_type_string)) {
		if (type_bit(json_object_get_string(v), &bit) < 0)
			return fail(err, s, kw->name, "names an unknown type");
		s->types = bit;
		return 0;
	}
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(err, s, kw->name, "must be a type name or a non-empty array of them");
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *t = json_object_array_get_idx(v, i);
		if (!json_object_is_type(t, json_type_string) ||
		    type_bit(json_object_get_string(t), &bit) < 0)
			return fail(err, s, kw->name, "names an unknown type");
		s->types |= bit;
	}
	return 0;
}

static int compile_const(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                         wr_error *err)
{
	(void)reg;
	(void)err;
	s->const_value = v;
	s->flags |= kw->flag;
	return 0;
}

static int compile_enum(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                        wr_error *err)
{
	(void)reg;
	if (!json_object_is_type(v, json_type_array))
		return fail(err, s, kw->name, "must be an array");
	s->enum_values = v;
	s->flags |= kw->flag;
	return 0;
}

static int compile_names(wr_schema *s, json_object *v, const char *keyword, name_list *out,
                         wr_error *err)
{
	if (!json_object_is_type(v, json_type_array))
		return fail(err, s, keyword, "must be an array of strings");
	size_t n = json_object_array_length(v);
	out->names = calloc(n ? n : 1, sizeof *out->names);
	if (!out->names)
		return wr_error_set(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *name = json_object_array_get_idx(v, i);
		if (!json_object_is_type(name, json_type_string))
			return fail(err, s, keyword, "must be an array of strings");
		if (!(out->names[i] = strdup(json_object_get_string(name))))
			return wr_error_set(err, "out of memory");
		out->count = i + 1;
	}
	return 0;
}

static int compile_required(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                            wr_error *err)
{
	(void)reg;
	return compile_names(s, v, kw->name, &s->required, err);
}

static int compile_dependent_required(wr_registry *reg, wr_schema *s, json_object *v,
                                      const wr_keyword *kw, wr_error *err)
{
	(void)reg;
	if (!json_object_is_type(v, json_type_object))
		return fail(err, s, kw->name, "must be an object of string arrays");
	size_t n = (size_t)json_object_object_length(v);
	if (!(s->dependent_required = calloc(n ? n : 1, sizeof *s->dependent_required)))
		return wr_error_set(err, "out of memory");
	json_object_object_foreach(v, key, names) {
		dependent_required *d = &s->dependent_required[s->dependent_required_count++];
		if (!(d->name = strdup(key)))
			return wr_error_set(err, "out of memory");
		if (compile_names(s, names, kw->name, &d->required, err) < 0)
			return -1;
	}
	return 0;
}

static pcre2_code *compile_regex(wr_schema *s, const char *keyword, const char *source,
                                 wr_error *err)
{
	char why[300], what[400];
	pcre2_code *re = wr_ecma_regex_compile(source, why, sizeof why);
	if (!re && strcmp(why, "out of memory") == 0) {
		wr_error_set(err, "out of memory"); /* the schema is not to blame */
	} else if (!re) {
		snprintf(what, sizeof what, "is not a valid regular expression: %s", why);
		fail(err, s, keyword, what);
	}
	return re;
}

static int compile_pattern(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                           wr_error *err)
{
	(void)reg;
	if (!json_object_is_type(v, json_type_string))
		return fail(err, s, kw->name, "must be a string");
	if (!(s->pattern_source = strdup(json_object_get_string(v))))
		return wr_error_set(err, "out of memory");
	return (s->pattern = compile_regex(s, kw->name, s->pattern_source, err)) ? 0 : -1;
}

static int compile_format(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                          wr_error *err)
{
	(void)kw;
	(void)err;
	if (reg->format_assert && json_object_is_type(v, json_type_string))
		s->format = wr_format_lookup(json_object_get_string(v));
	return 0;
}

static int compile_unique_items(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                                wr_error *err)
{
	(void)reg;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(err, s, kw->name, "must be a boolean");
	if (json_object_get_boolean(v))
		s->flags |= kw->flag;
	return 0;
}

static int compile_single(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                          wr_error *err)
{
	const wr_schema **out = field(s, kw);
	return (*out = compile_child(reg, s, v, kw->name, NULL, err)) ? 0 : -1;
}

/* then and else mean nothing without if (compiled before them). */
static int compile_branch(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                          wr_error *err)
{
	return s->if_schema ? compile_single(reg, s, v, kw, err) : 0;
}

static int compile_schema_array(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                                wr_error *err)
{
	schema_list *out = field(s, kw);
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(err, s, kw->name, "must be a non-empty array of schemas");
	size_t n = json_object_array_length(v);
	if (!(out->items = calloc(n, sizeof *out->items)))
		return wr_error_set(err, "out of memory");
	out->count = n;
	for (size_t i = 0; i < n; i++) {
		char idx[32];
		snprintf(idx, sizeof idx, "%zu", i);
		if (!(out->items[i] = compile_child(reg, s, json_object_array_get_idx(v, i), kw->name, idx, err)))
			return -1;
	}
	return 0;
}

static int compile_schema_map(wr_registry *reg, wr_schema *s, json_object *v,
                              const char *keyword, named_schema **out, size_t *count,
                              wr_error *err)
{
	if (!json_object_is_type(v, json_type_object))
		return fail(err, s, keyword, "must be an object of schemas");
	size_t n = (size_t)json_object_object_length(v);
	if (!(*out = calloc(n ? n : 1, sizeof **out)))
		return wr_error_set(err, "out of memory");
	size_t i = 0;
	json_object_object_foreach(v, key, child) {
		(*out)[i].name = strdup(key);
		*count = i + 1;
		if (!(*out)[i].name)
			return wr_error_set(err, "out of memory");
		if (!((*out)[i].schema = compile_child(reg, s, child, keyword, key, err)))
			return -1;
		i++;
	}
	return 0;
}

static int compile_properties(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                              wr_error *err)
{
	if (compile_schema_map(reg, s, v, kw->name, &s->properties, &s->property_count, err) < 0)
		return -1;
	if (!(s->property_index = lh_kchar_table_new(s->property_count * 2 + 4, NULL)))
		return wr_error_set(err, "out of memory");
	for (size_t i = 0; i < s->property_count; i++)
		if (lh_table_insert(s->property_index, s->properties[i].name, (void *)(i + 1)) != 0)
			return wr_error_set(err, "out of memory");
	return 0;
}

static int compile_dependent_schemas(wr_registry *reg, wr_schema *s, json_object *v,
                                     const wr_keyword *kw, wr_error *err)
{
	return compile_schema_map(reg, s, v, kw->name, &s->dependent_schemas,
	                          &s->dependent_schema_count, err);
}

static int compile_pattern_properties(wr_registry *reg, wr_schema *s, json_object *v,
                                      const wr_keyword *kw, wr_error *err)
{
	named_schema *map = NULL;
	size_t n = 0;
	int rc = compile_schema_map(reg, s, v, kw->name, &map, &n, err);
	if (n && !(s->pattern_properties = calloc(n, sizeof *s->pattern_properties)))
		rc = wr_error_set(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && s->pattern_properties) {
			pattern_schema *p = &s->pattern_properties[i];
			p->source = map[i].name;
			p->schema = map[i].schema;
			s->pattern_property_count = i + 1;
			if (!(p->re = compile_regex(s, kw->name, p->source, err)))
				rc = -1;
		} else {
			free(map[i].name);
		}
	}
	free(map);
	return rc < 0 ? -1 : 0;
}

/* The compile functions, indexed by the wr_compile of a keyword's row. */
typedef int (*compile_fn)(wr_registry *reg, wr_schema *s, json_object *v, const wr_keyword *kw,
                          wr_error *err);
static const compile_fn compilers[COMPILE_KINDS] = {
	[COMPILE_NONE] = NULL,
	[COMPILE_REF] = compile_ref,
	[COMPILE_DYNAMIC_REF] = compile_dynamic_ref,
	[COMPILE_SINGLE] = compile_single,
	[COMPILE_BRANCH] = compile_branch,
	[COMPILE_SCHEMA_ARRAY] = compile_schema_array,
	[COMPILE_PROPERTIES] = compile_properties,
	[COMPILE_PATTERN_PROPERTIES] = compile_pattern_properties,
	[COMPILE_DEPENDENT_SCHEMAS] = compile_dependent_schemas,
	[COMPILE_TYPE] = compile_type,
	[COMPILE_CONST] = compile_const,
	[COMPILE_ENUM] = compile_enum,
	[COMPILE_NUMBER] = compile_number,
	[COMPILE_MULTIPLE_OF] = compile_multiple_of,
	[COMPILE_NONNEGATIVE] = compile_count,
	[COMPILE_PATTERN] = compile_pattern,
	[COMPILE_FORMAT] = compile_format,
	[COMPILE_UNIQUE_ITEMS] = compile_unique_items,
	[COMPILE_REQUIRED] = compile_required,
	[COMPILE_DEPENDENT_REQUIRED] = compile_dependent_required,
};

/* Compiles each keyword of the table that s has and its vocabularies enable. */
static int compile_keywords(wr_registry *reg, wr_schema *s, wr_error *err)
{
	unsigned vocab = resource_vocab(reg, s->resource, err), steps = 0;

	if (!vocab)
		return -1;
	for (size_t i = 0; i < wr_keyword_count; i++) {
		const wr_keyword *kw = &wr_keywords[i];
		json_object *v;
		if (kw->compile == COMPILE_NONE || !(kw->vocab & vocab) ||
		    !json_object_object_get_ex(s->source, kw->name, &v))
			continue;
		if (compilers[kw->compile](reg, s, v, kw, err) < 0)
			return -1;
		steps |= 1u << kw->check;
	}
	/* The steps the validator runs for s, in the order of wr_check. */
	for (unsigned step = CHECK_NONE + 1; step < CHECK_COUNT; step++)
		if (steps & (1u << step))
			s->steps[s->step_count++] = (unsigned char)step;
	s->collects_annotations = s->unevaluated_items || s->unevaluated_properties;
	return 0;
}

wr_schema *wr_compile_node(wr_registry *reg, json_object *src, resource *res,
                           const char *location, wr_error *err)
{
	wr_schema *s = wr_table_get(reg->compiled, src);
	if (s)
		return s;
	resource *own = wr_registry_resource_of(reg, src);
	if (own)
		res = own;
	if (!(s = calloc(1, sizeof *s))) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	s->registry = reg;
	s->source = src;
	s->resource = res;
	s->max_length = s->min_length = s->max_items = s->min_items = -1;
	s->max_contains = s->max_properties = s->min_properties = -1;
	s->min_contains = 1;
	s->next_allocated = reg->allocated;
	reg->allocated = s;
	reg->free_schema = wr_schema_destroy;
	res->used = true;
	if (!(s->location = strdup(location)) || lh_table_insert(reg->compiled, src, s) != 0) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	if (json_object_is_type(src, json_type_boolean)) {
		s->is_boolean = true;
		s->boolean_value = json_object_get_boolean(src);
		return s;
	}
	if (!json_object_is_type(src, json_type_object)) {
		wr_error_set(err, "invalid schema at %s: a schema must be an object or a boolean",
		             location);
		return NULL;
	}
	return compile_keywords(reg, s, err) < 0 ? NULL : s;
}

/* The fragment of a $dynamicRef when it is a plain name (not a JSON Pointer). */
static const char *anchor_name(const char *uri)
{
	const char *hash = strchr(uri, '#');
	if (!hash || !hash[1] || hash[1] == '/')
		return NULL;
	return hash + 1;
}

static int resolve_one(wr_registry *reg, pending_ref *p, wr_error *err)
{
	json_object *target;
	resource *tres;
	if (wr_registry_locate(reg, p->uri, &target, &tres, err) < 0) {
		char why[sizeof err->message];
		snprintf(why, sizeof why, "%s", err ? err->message : "");
		return wr_error_set(err, "cannot resolve %s \"%s\" at %s: %s",
		                    p->dynamic ? "$dynamicRef" : "$ref", p->uri, p->owner->location, why);
	}
	const wr_schema *t = wr_compile_node(reg, target, tres, p->uri, err);
	if (!t)
		return -1;
	*p->slot = t;
	/* A $dynamicRef is dynamic only when its first target is a $dynamicAnchor of the
	 * same name; otherwise it is a plain $ref. */
	const char *name = anchor_name(p->uri);
	if (p->dynamic && name) {
		void *anchored;
		if (lh_table_lookup_ex(tres->dynamic_anchors, name, &anchored) && anchored == target &&
		    !(p->owner->dynamic_anchor = strdup(name)))
			return wr_error_set(err, "out of memory");
	}
	return 0;
}

/* Compiles every $dynamicAnchor of every resource in use, so that validation can find
 * them in the dynamic scope. Returns how many were compiled now, or -1. */
static int compile_dynamic_anchors(wr_registry *reg, wr_error *err)
{
	int compiled = 0;
	for (resource *r = reg->resources; r; r = r->next) {
		if (!r->used)
			continue;
		struct lh_entry *e;
		lh_foreach(r->dynamic_anchors, e) {
			const char *name = lh_entry_k(e);
			if (wr_table_get(r->dynamic_compiled, name))
				continue;
			char *loc = malloc(strlen(r->uri) + strlen(name) + 2);
			if (!loc)
				return wr_error_set(err, "out of memory");
			sprintf(loc, "%s#%s", r->uri, name);
			wr_schema *s = wr_compile_node(reg, (json_object *)lh_entry_v(e), r, loc, err);
			free(loc);
			char *key = s ? strdup(name) : NULL;
			if (!s || !key || lh_table_insert(r->dynamic_compiled, key, s) != 0) {
				free(key);
				return s ? wr_error_set(err, "out of memory") : -1;
			}
			compiled++;
		}
	}
	return compiled;
}

static void drop_pending(wr_registry *reg)
{
	while (reg->pending) {
		pending_ref *p = reg->pending;
		reg->pending = p->next;
		free(p->uri);
		free(p);
	}
}

static int resolve_pending(wr_registry *reg, wr_error *err)
{
	for (;;) {
		while (reg->pending) {
			pending_ref *p = reg->pending;
			reg->pending = p->next;
			int rc = resolve_one(reg, p, err);
			free(p->uri);
			free(p);
			if (rc < 0)
				return -1;
		}
		int n = compile_dynamic_anchors(reg, err);
		if (n < 0)
			return -1;
		if (n == 0 && !reg->pending)
			return 0;
	}
}

const wr_schema *wr_registry_compile(wr_registry *reg, json_object *doc, const char *base_uri,
                                     wr_error *err)
{
	if (wr_registry_add_document(reg, doc, base_uri, err) < 0)
		return NULL;
	resource *res = wr_registry_resource_of(reg, doc);
	char *loc = malloc(strlen(res->uri) + 2);
	if (!loc) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	sprintf(loc, "%s#", res->uri);
	wr_schema *s = wr_compile_node(reg, doc, res, loc, err);
	free(loc);
	if (!s || resolve_pending(reg, err) < 0) {
		drop_pending(reg);
		return NULL;
	}
	return s;
}

void wr_schema_destroy(wr_schema *s)
{
	free(s->location);
	free(s->dynamic_anchor);
	if (s->pattern)
		pcre2_code_free(s->pattern);
	free(s->pattern_source);
	free(s->prefix_items.items);
	for (size_t i = 0; i < s->property_count; i++)
		free(s->properties[i].name);
	free(s->properties);
	if (s->property_index)
		lh_table_free(s->property_index);
	for (size_t i = 0; i < s->pattern_property_count; i++) {
		pcre2_code_free(s->pattern_properties[i].re);
		free(s->pattern_properties[i].source);
	}
	free(s->pattern_properties);
	for (size_t i = 0; i < s->dependent_schema_count; i++)
		free(s->dependent_schemas[i].name);
	free(s->dependent_schemas);
	for (size_t i = 0; i < s->dependent_required_count; i++) {
		free(s->dependent_required[i].name);
		for (size_t k = 0; k < s->dependent_required[i].required.count; k++)
			free(s->dependent_required[i].required.names[k]);
		free(s->dependent_required[i].required.names);
	}
	free(s->dependent_required);
	for (size_t k = 0; k < s->required.count; k++)
		free(s->required.names[k]);
	free(s->required.names);
	free(s->all_of.items);
	free(s->any_of.items);
	free(s->one_of.items);
	free(s);
}
