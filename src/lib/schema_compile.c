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

static int compile_count(wr_schema *s, json_object *src, const char *keyword, int64_t *out,
                         wr_error *err)
{
	json_object *v;
	if (!json_object_object_get_ex(src, keyword, &v))
		return 0;
	if (!get_count(v, out))
		return fail(err, s, keyword, "must be a non-negative integer");
	return 0;
}

static int compile_number(wr_schema *s, json_object *src, const char *keyword, number *out,
                          unsigned flag, wr_error *err)
{
	json_object *v;
	if (!json_object_object_get_ex(src, keyword, &v))
		return 0;
	if (!wr_schema_number(v, out))
		return fail(err, s, keyword, "must be a number");
	out->source = v;
	s->flags |= flag;
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

static int compile_type(wr_schema *s, json_object *v, wr_error *err)
{
	unsigned bit;
	if (json_object_is_type(v, json_type_string)) {
		if (type_bit(json_object_get_string(v), &bit) < 0)
			return fail(err, s, "type", "names an unknown type");
		s->types = bit;
		return 0;
	}
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(err, s, "type", "must be a type name or a non-empty array of them");
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *t = json_object_array_get_idx(v, i);
		if (!json_object_is_type(t, json_type_string) ||
		    type_bit(json_object_get_string(t), &bit) < 0)
			return fail(err, s, "type", "names an unknown type");
		s->types |= bit;
	}
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

static pcre2_code *compile_pattern(wr_schema *s, const char *keyword, const char *source,
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

static int compile_schema_array(wr_registry *reg, wr_schema *s, json_object *src,
                                const char *keyword, const wr_schema ***out, size_t *count,
                                wr_error *err)
{
	json_object *v;
	if (!json_object_object_get_ex(src, keyword, &v))
		return 0;
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(err, s, keyword, "must be a non-empty array of schemas");
	size_t n = json_object_array_length(v);
	if (!(*out = calloc(n, sizeof **out)))
		return wr_error_set(err, "out of memory");
	*count = n;
	for (size_t i = 0; i < n; i++) {
		char idx[32];
		snprintf(idx, sizeof idx, "%zu", i);
		if (!((*out)[i] = compile_child(reg, s, json_object_array_get_idx(v, i), keyword, idx, err)))
			return -1;
	}
	return 0;
}

static int compile_single(wr_registry *reg, wr_schema *s, json_object *src,
                          const char *keyword, const wr_schema **out, wr_error *err)
{
	json_object *v;
	if (!json_object_object_get_ex(src, keyword, &v))
		return 0;
	return (*out = compile_child(reg, s, v, keyword, NULL, err)) ? 0 : -1;
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

static int compile_applicators(wr_registry *reg, wr_schema *s, json_object *src, wr_error *err)
{
	json_object *v;

	if (compile_schema_array(reg, s, src, "allOf", &s->all_of, &s->all_of_count, err) < 0 ||
	    compile_schema_array(reg, s, src, "anyOf", &s->any_of, &s->any_of_count, err) < 0 ||
	    compile_schema_array(reg, s, src, "oneOf", &s->one_of, &s->one_of_count, err) < 0 ||
	    compile_schema_array(reg, s, src, "prefixItems", &s->prefix_items, &s->prefix_count, err) < 0)
		return -1;
	if (compile_single(reg, s, src, "not", &s->not_schema, err) < 0 ||
	    compile_single(reg, s, src, "if", &s->if_schema, err) < 0 ||
	    compile_single(reg, s, src, "items", &s->items, err) < 0 ||
	    compile_single(reg, s, src, "contains", &s->contains, err) < 0 ||
	    compile_single(reg, s, src, "additionalProperties", &s->additional_properties, err) < 0 ||
	    compile_single(reg, s, src, "propertyNames", &s->property_names, err) < 0)
		return -1;
	/* then and else mean nothing without if. */
	if (s->if_schema && (compile_single(reg, s, src, "then", &s->then_schema, err) < 0 ||
	                     compile_single(reg, s, src, "else", &s->else_schema, err) < 0))
		return -1;

	if (json_object_object_get_ex(src, "properties", &v)) {
		if (compile_schema_map(reg, s, v, "properties", &s->properties, &s->property_count, err) < 0)
			return -1;
		if (!(s->property_index = lh_kchar_table_new(s->property_count * 2 + 4, NULL)))
			return wr_error_set(err, "out of memory");
		for (size_t i = 0; i < s->property_count; i++)
			if (lh_table_insert(s->property_index, s->properties[i].name, (void *)(i + 1)) != 0)
				return wr_error_set(err, "out of memory");
	}
	if (json_object_object_get_ex(src, "dependentSchemas", &v) &&
	    compile_schema_map(reg, s, v, "dependentSchemas", &s->dependent_schemas,
	                       &s->dependent_schema_count, err) < 0)
		return -1;
	if (json_object_object_get_ex(src, "patternProperties", &v)) {
		named_schema *map = NULL;
		size_t n = 0;
		int rc = compile_schema_map(reg, s, v, "patternProperties", &map, &n, err);
		if (n && !(s->pattern_properties = calloc(n, sizeof *s->pattern_properties)))
			rc = wr_error_set(err, "out of memory");
		for (size_t i = 0; i < n; i++) {
			if (rc == 0 && s->pattern_properties) {
				pattern_schema *p = &s->pattern_properties[i];
				p->source = map[i].name;
				p->schema = map[i].schema;
				s->pattern_property_count = i + 1;
				if (!(p->re = compile_pattern(s, "patternProperties", p->source, err)))
					rc = -1;
			} else {
				free(map[i].name);
			}
		}
		free(map);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int compile_validation(wr_schema *s, json_object *src, wr_error *err)
{
	json_object *v;

	if (json_object_object_get_ex(src, "type", &v) && compile_type(s, v, err) < 0)
		return -1;
	if (json_object_object_get_ex(src, "const", &v)) {
		s->const_value = v;
		s->flags |= HAS_CONST;
	}
	if (json_object_object_get_ex(src, "enum", &v)) {
		if (!json_object_is_type(v, json_type_array))
			return fail(err, s, "enum", "must be an array");
		s->enum_values = v;
		s->flags |= HAS_ENUM;
	}
	if (compile_number(s, src, "multipleOf", &s->multiple_of, HAS_MULTIPLE_OF, err) < 0 ||
	    compile_number(s, src, "maximum", &s->maximum, HAS_MAXIMUM, err) < 0 ||
	    compile_number(s, src, "exclusiveMaximum", &s->exclusive_maximum, HAS_EXCLUSIVE_MAXIMUM, err) < 0 ||
	    compile_number(s, src, "minimum", &s->minimum, HAS_MINIMUM, err) < 0 ||
	    compile_number(s, src, "exclusiveMinimum", &s->exclusive_minimum, HAS_EXCLUSIVE_MINIMUM, err) < 0)
		return -1;
	if ((s->flags & HAS_MULTIPLE_OF) && !(s->multiple_of.d > 0))
		return fail(err, s, "multipleOf", "must be a number above 0");
	if (compile_count(s, src, "maxLength", &s->max_length, err) < 0 ||
	    compile_count(s, src, "minLength", &s->min_length, err) < 0 ||
	    compile_count(s, src, "maxItems", &s->max_items, err) < 0 ||
	    compile_count(s, src, "minItems", &s->min_items, err) < 0 ||
	    compile_count(s, src, "maxContains", &s->max_contains, err) < 0 ||
	    compile_count(s, src, "minContains", &s->min_contains, err) < 0 ||
	    compile_count(s, src, "maxProperties", &s->max_properties, err) < 0 ||
	    compile_count(s, src, "minProperties", &s->min_properties, err) < 0)
		return -1;
	if (json_object_object_get_ex(src, "pattern", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return fail(err, s, "pattern", "must be a string");
		if (!(s->pattern_source = strdup(json_object_get_string(v))))
			return wr_error_set(err, "out of memory");
		if (!(s->pattern = compile_pattern(s, "pattern", s->pattern_source, err)))
			return -1;
	}
	if (s->registry->format_assert && json_object_object_get_ex(src, "format", &v) &&
	    json_object_is_type(v, json_type_string))
		s->format = wr_format_lookup(json_object_get_string(v));
	if (json_object_object_get_ex(src, "uniqueItems", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return fail(err, s, "uniqueItems", "must be a boolean");
		if (json_object_get_boolean(v))
			s->flags |= HAS_UNIQUE_ITEMS;
	}
	if (json_object_object_get_ex(src, "required", &v) &&
	    compile_names(s, v, "required", &s->required, err) < 0)
		return -1;
	if (json_object_object_get_ex(src, "dependentRequired", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return fail(err, s, "dependentRequired", "must be an object of string arrays");
		size_t n = (size_t)json_object_object_length(v);
		if (!(s->dependent_required = calloc(n ? n : 1, sizeof *s->dependent_required)))
			return wr_error_set(err, "out of memory");
		json_object_object_foreach(v, key, names) {
			dependent_required *d = &s->dependent_required[s->dependent_required_count++];
			if (!(d->name = strdup(key)))
				return wr_error_set(err, "out of memory");
			if (compile_names(s, names, "dependentRequired", &d->required, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int compile_keywords(wr_registry *reg, wr_schema *s, wr_error *err)
{
	json_object *src = s->source, *v;
	unsigned vocab = resource_vocab(reg, s->resource, err);

	if (!vocab)
		return -1;
	if (json_object_object_get_ex(src, "$ref", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return fail(err, s, "$ref", "must be a string");
		if (add_pending(reg, s, &s->ref, json_object_get_string(v), false, err) < 0)
			return -1;
	}
	if (json_object_object_get_ex(src, "$dynamicRef", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return fail(err, s, "$dynamicRef", "must be a string");
		if (add_pending(reg, s, &s->dynamic_ref, json_object_get_string(v), true, err) < 0)
			return -1;
	}
	if ((vocab & VOCAB_APPLICATOR) && compile_applicators(reg, s, src, err) < 0)
		return -1;
	if ((vocab & VOCAB_VALIDATION) && compile_validation(s, src, err) < 0)
		return -1;
	if (vocab & VOCAB_UNEVALUATED) {
		if (compile_single(reg, s, src, "unevaluatedItems", &s->unevaluated_items, err) < 0 ||
		    compile_single(reg, s, src, "unevaluatedProperties", &s->unevaluated_properties, err) < 0)
			return -1;
		s->collects_annotations = s->unevaluated_items || s->unevaluated_properties;
	}
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
	free(s->prefix_items);
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
	free(s->all_of);
	free(s->any_of);
	free(s->one_of);
	free(s);
}
