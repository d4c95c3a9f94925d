/* SPDX-License-Identifier: MIT */
/* The schema registry: documents, the resources and anchors inside them, and the
 * lookup of a URI to the schema it names. Files under mapped directories and the
 * draft 2020-12 meta-schemas are loaded when first named; nothing is fetched. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "schema_internal.h"
#include "uri.h"
#include "wrkit/yaml_input.h"

#define METASCHEMA_PREFIX "https://json-schema.org/draft/2020-12/"
#define METASCHEMA_2020_12 METASCHEMA_PREFIX "schema"

static void free_key(struct lh_entry *e)
{
	free(lh_entry_k(e));
}

static void free_nothing(struct lh_entry *e)
{
	(void)e;
}

/* String keys are copied in and freed with the table; pointer keys are borrowed. */
static struct lh_table *string_table(void)
{
	return lh_kchar_table_new(16, free_key);
}

static struct lh_table *pointer_table(void)
{
	return lh_kptr_table_new(64, free_nothing);
}

static int table_put_string(struct lh_table *t, const char *key, const void *value)
{
	char *k = strdup(key);
	if (!k)
		return -1;
	if (lh_table_insert(t, k, value) != 0) {
		free(k);
		return -1;
	}
	return 0;
}

void *wr_table_get(struct lh_table *t, const void *key)
{
	void *v;
	return lh_table_lookup_ex(t, key, &v) ? v : NULL;
}

wr_registry *wr_registry_new(const wr_json_limits *limits)
{
	wr_registry *reg = calloc(1, sizeof *reg);
	if (!reg)
		return NULL;
	reg->limits = limits ? *limits : wr_json_default_limits();
	reg->resource_by_uri = lh_kchar_table_new(64, free_key);
	reg->resource_of = pointer_table();
	reg->compiled = pointer_table();
	reg->match_context = pcre2_match_context_create(NULL);
	if (!reg->resource_by_uri || !reg->resource_of || !reg->compiled || !reg->match_context) {
		wr_registry_free(reg);
		return NULL;
	}
	reg->step_limit = WR_SCHEMA_DEFAULT_STEP_LIMIT;
	pcre2_set_match_limit(reg->match_context, 1000000);
	pcre2_set_depth_limit(reg->match_context, 10000);
	return reg;
}

void wr_registry_free(wr_registry *reg)
{
	if (!reg)
		return;
	/* Compiled schemas are the compiler's: it left its destructor with them. */
	for (wr_schema *s = reg->allocated, *next; s; s = next) {
		next = s->next_allocated;
		reg->free_schema(s);
	}
	for (resource *r = reg->resources, *next; r; r = next) {
		next = r->next;
		if (r->anchors)
			lh_table_free(r->anchors);
		if (r->dynamic_anchors)
			lh_table_free(r->dynamic_anchors);
		if (r->dynamic_compiled)
			lh_table_free(r->dynamic_compiled);
		free(r->uri);
		free(r->metaschema);
		free(r);
	}
	for (pending_ref *p = reg->pending, *next; p; p = next) {
		next = p->next;
		free(p->uri);
		free(p);
	}
	for (dir_map *d = reg->dirs, *next; d; d = next) {
		next = d->next;
		free(d->prefix);
		free(d->dir);
		free(d);
	}
	for (size_t i = 0; i < reg->document_count; i++)
		json_object_put(reg->documents[i]);
	free(reg->documents);
	if (reg->resource_by_uri)
		lh_table_free(reg->resource_by_uri);
	if (reg->resource_of)
		lh_table_free(reg->resource_of);
	if (reg->compiled)
		lh_table_free(reg->compiled);
	if (reg->match_context)
		pcre2_match_context_free(reg->match_context);
	free(reg);
}

void wr_registry_set_format_assert(wr_registry *reg, bool on)
{
	reg->format_assert = on;
}

void wr_registry_set_step_limit(wr_registry *reg, unsigned long long steps)
{
	reg->step_limit = steps;
}

int wr_registry_map_dir(wr_registry *reg, const char *uri_prefix, const char *dir,
                        wr_error *err)
{
	dir_map *d = calloc(1, sizeof *d);
	if (!d || !(d->prefix = strdup(uri_prefix)) || !(d->dir = strdup(dir))) {
		if (d)
			free(d->prefix);
		free(d);
		return wr_error_set(err, "out of memory");
	}
	/* Appended, so that the first mapping given wins. */
	dir_map **tail = &reg->dirs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = d;
	return 0;
}

static resource *new_resource(wr_registry *reg, const char *uri, json_object *root,
                              resource *parent, wr_error *err)
{
	resource *existing = wr_table_get(reg->resource_by_uri, uri);
	if (existing) {
		if (existing->root == root)
			return existing;
		wr_error_set(err, "two schemas have the same URI %s", uri);
		return NULL;
	}
	resource *r = calloc(1, sizeof *r);
	if (!r) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	r->uri = strdup(uri);
	r->root = root;
	r->parent = parent;
	r->anchors = string_table();
	r->dynamic_anchors = string_table();
	r->dynamic_compiled = string_table();
	r->next = reg->resources;
	reg->resources = r;
	if (!r->uri || !r->anchors || !r->dynamic_anchors || !r->dynamic_compiled ||
	    table_put_string(reg->resource_by_uri, uri, r) < 0) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	return r;
}

/* A second URI for a resource (a document's retrieval URI beside its $id). */
static int alias_resource(wr_registry *reg, const char *uri, resource *r, wr_error *err)
{
	resource *existing = wr_table_get(reg->resource_by_uri, uri);
	if (existing)
		return existing == r ? 0 : wr_error_set(err, "two schemas have the same URI %s", uri);
	return table_put_string(reg->resource_by_uri, uri, r) == 0 ? 0
	                                                          : wr_error_set(err, "out of memory");
}

static int walk(wr_registry *reg, json_object *schema, resource *cur, int depth, wr_error *err);

static int walk_child(wr_registry *reg, json_object *child, resource *cur, int depth,
                      wr_error *err)
{
	if (json_object_is_type(child, json_type_object) ||
	    json_object_is_type(child, json_type_boolean))
		return walk(reg, child, cur, depth + 1, err);
	return 0;
}

static int walk(wr_registry *reg, json_object *schema, resource *cur, int depth, wr_error *err)
{
	json_object *v;

	if (depth > reg->limits.max_depth + 8)
		return wr_error_set(err, "schema nested too deeply");
	if (!json_object_is_type(schema, json_type_object)) {
		/* Boolean schemas belong to the resource they stand in. */
		return lh_table_insert(reg->resource_of, schema, cur) == 0 ? 0
		                                                           : wr_error_set(err, "out of memory");
	}
	/* A fragment-only $id ("#foo", older drafts) identifies nothing in 2020-12. */
	if (json_object_object_get_ex(schema, "$id", &v) && json_object_is_type(v, json_type_string) &&
	    json_object_get_string(v)[0] != '#' && schema != cur->root) {
		char *uri = wr_uri_resolve(cur->uri, json_object_get_string(v));
		if (!uri)
			return wr_error_set(err, "out of memory");
		uri[wr_uri_base_length(uri)] = '\0';
		resource *r = new_resource(reg, uri, schema, cur, err);
		free(uri);
		if (!r)
			return -1;
		cur = r;
	}
	if (json_object_object_get_ex(schema, "$schema", &v) && json_object_is_type(v, json_type_string) &&
	    schema == cur->root && !cur->metaschema) {
		if (!(cur->metaschema = strdup(json_object_get_string(v))))
			return wr_error_set(err, "out of memory");
	}
	if (lh_table_insert(reg->resource_of, schema, cur) != 0)
		return wr_error_set(err, "out of memory");
	if (json_object_object_get_ex(schema, "$anchor", &v) && json_object_is_type(v, json_type_string)) {
		if (table_put_string(cur->anchors, json_object_get_string(v), schema) < 0)
			return wr_error_set(err, "out of memory");
	}
	if (json_object_object_get_ex(schema, "$dynamicAnchor", &v) &&
	    json_object_is_type(v, json_type_string)) {
		const char *name = json_object_get_string(v);
		/* A $dynamicAnchor is also a plain anchor for $ref. */
		if (!wr_table_get(cur->anchors, name) && table_put_string(cur->anchors, name, schema) < 0)
			return wr_error_set(err, "out of memory");
		if (table_put_string(cur->dynamic_anchors, name, schema) < 0)
			return wr_error_set(err, "out of memory");
	}
	/* Into the schemas under every keyword that holds schemas, and nothing else: the
	 * walk must see every $id and anchor in them. */
	for (size_t i = 0; i < wr_keyword_count; i++) {
		const wr_keyword *kw = &wr_keywords[i];
		if (kw->shape == SHAPE_OTHER || !json_object_object_get_ex(schema, kw->name, &v))
			continue;
		if (kw->shape == SHAPE_SCHEMA) {
			if (walk_child(reg, v, cur, depth, err) < 0)
				return -1;
		} else if (kw->shape == SHAPE_SCHEMA_ARRAY && json_object_is_type(v, json_type_array)) {
			for (size_t k = 0; k < json_object_array_length(v); k++)
				if (walk_child(reg, json_object_array_get_idx(v, k), cur, depth, err) < 0)
					return -1;
		} else if (kw->shape == SHAPE_SCHEMA_MAP && json_object_is_type(v, json_type_object)) {
			json_object_object_foreach(v, key, child) {
				(void)key;
				if (walk_child(reg, child, cur, depth, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

static int hold_document(wr_registry *reg, json_object *doc)
{
	if (reg->document_count == reg->document_cap) {
		size_t cap = reg->document_cap ? reg->document_cap * 2 : 8;
		json_object **d = realloc(reg->documents, cap * sizeof *d);
		if (!d)
			return -1;
		reg->documents = d;
		reg->document_cap = cap;
	}
	reg->documents[reg->document_count++] = json_object_get(doc);
	return 0;
}

int wr_registry_add_document(wr_registry *reg, json_object *doc, const char *uri,
                             wr_error *err)
{
	char anonymous[64];
	char *base = NULL, *id_uri = NULL;
	json_object *id;
	int rc = -1;

	if (wr_table_get(reg->resource_of, doc))
		return 0; /* already known */
	if (!json_object_is_type(doc, json_type_object) && !json_object_is_type(doc, json_type_boolean))
		return wr_error_set(err, "a schema must be an object or a boolean");
	if (!uri || !*uri) {
		snprintf(anonymous, sizeof anonymous, "urn:wrkit:schema:%u", ++reg->anonymous_count);
		uri = anonymous;
	}
	if (!(base = strdup(uri)))
		return wr_error_set(err, "out of memory");
	base[wr_uri_base_length(base)] = '\0';
	if (hold_document(reg, doc) < 0) {
		wr_error_set(err, "out of memory");
		goto out;
	}

	resource *r;
	if (json_object_object_get_ex(doc, "$id", &id) && json_object_is_type(id, json_type_string)) {
		if (!(id_uri = wr_uri_resolve(base, json_object_get_string(id)))) {
			wr_error_set(err, "out of memory");
			goto out;
		}
		id_uri[wr_uri_base_length(id_uri)] = '\0';
		if (!(r = new_resource(reg, id_uri, doc, NULL, err)))
			goto out;
		if (strcmp(id_uri, base) != 0 && alias_resource(reg, base, r, err) < 0)
			goto out;
	} else if (!(r = new_resource(reg, base, doc, NULL, err))) {
		goto out;
	}
	rc = walk(reg, doc, r, 0, err);
out:
	free(base);
	free(id_uri);
	return rc;
}

int wr_registry_add(wr_registry *reg, const char *uri, json_object *doc, wr_error *err)
{
	return wr_registry_add_document(reg, doc, uri, err);
}

resource *wr_registry_resource_of(wr_registry *reg, json_object *schema)
{
	return wr_table_get(reg->resource_of, schema);
}

/* Loads the document named base (no fragment) from the built-in meta-schemas or a
 * mapped directory. Returns 1 when loaded, 0 when nothing has that name, -1 on error. */
static int load_document(wr_registry *reg, const char *base, wr_error *err)
{
	if (strncmp(base, METASCHEMA_PREFIX, strlen(METASCHEMA_PREFIX)) == 0 &&
	    !reg->metaschemas_loaded) {
		/* All of them at once: they refer to each other. Each is known by its $id. */
		reg->metaschemas_loaded = true;
		for (size_t i = 0; i < wr_builtin_metaschemas_count; i++) {
			const wr_embedded_file *f = &wr_builtin_metaschemas[i];
			json_object *doc;
			wr_json_error jerr;
			if (wr_json_parse(f->text, f->length, NULL, &doc, &jerr) < 0)
				return wr_error_set(err, "built-in meta-schema %s: %s", f->name, jerr.message);
			int rc = wr_registry_add_document(reg, doc, NULL, err);
			json_object_put(doc);
			if (rc < 0)
				return -1;
		}
		return 1;
	}
	for (dir_map *d = reg->dirs; d; d = d->next) {
		size_t n = strlen(d->prefix);
		if (strncmp(base, d->prefix, n) != 0)
			continue;
		const char *rest = base + n;
		while (*rest == '/')
			rest++;
		/* Resolution removed dot segments; a ".." left means an escape from the
		 * directory, which a mapping never grants. */
		if (!*rest || strstr(rest, "..") || strchr(rest, '?'))
			continue;
		size_t len = strlen(d->dir) + strlen(rest) + 2;
		char *path = malloc(len);
		if (!path)
			return wr_error_set(err, "out of memory");
		snprintf(path, len, "%s/%s", d->dir, rest);
		json_object *doc;
		wr_json_error jerr;
		if (wr_document_read_path(path, &reg->limits, &doc, &jerr) < 0) {
			int missing = jerr.status == WR_JSON_IO;
			if (!missing) {
				char desc[400];
				wr_json_error_describe(&jerr, desc, sizeof desc);
				wr_error_set(err, "%s (for %s): %s", path, base, desc);
			}
			free(path);
			if (missing)
				continue;
			return -1;
		}
		free(path);
		int rc = wr_registry_add_document(reg, doc, base, err);
		json_object_put(doc);
		return rc < 0 ? -1 : 1;
	}
	return 0;
}

static resource *find_resource(wr_registry *reg, const char *base, wr_error *err)
{
	resource *r = wr_table_get(reg->resource_by_uri, base);
	if (r)
		return r;
	int rc = load_document(reg, base, err);
	if (rc < 0)
		return NULL;
	if (rc == 0 || !(r = wr_table_get(reg->resource_by_uri, base))) {
		wr_error_set(err, "no schema is known as %s%s", base,
		             strncmp(base, "file:", 5) == 0
		                 ? " (a relative $ref reaches only files in the schema's directory tree)"
		                 : " (map a directory to it with --ref-dir)");
		return NULL;
	}
	return r;
}

static json_object *evaluate_pointer(json_object *root, const char *pointer)
{
	json_object *cur = root;
	const char *p = pointer;
	char token[1024];

	while (*p) {
		if (*p != '/')
			return NULL;
		p++;
		size_t n = 0;
		while (*p && *p != '/') {
			char c = *p++;
			if (c == '~') {
				if (*p == '0')
					c = '~';
				else if (*p == '1')
					c = '/';
				else
					return NULL;
				p++;
			}
			if (n + 1 >= sizeof token)
				return NULL;
			token[n++] = c;
		}
		token[n] = '\0';
		if (json_object_is_type(cur, json_type_object)) {
			if (!json_object_object_get_ex(cur, token, &cur))
				return NULL;
		} else if (json_object_is_type(cur, json_type_array)) {
			char *end;
			if (n == 0 || (n > 1 && token[0] == '0') || token[0] < '0' || token[0] > '9')
				return NULL;
			errno = 0;
			unsigned long idx = strtoul(token, &end, 10);
			if (*end || errno || idx >= json_object_array_length(cur))
				return NULL;
			cur = json_object_array_get_idx(cur, idx);
		} else {
			return NULL;
		}
	}
	return cur;
}

int wr_registry_locate(wr_registry *reg, const char *uri, json_object **target,
                       resource **res, wr_error *err)
{
	size_t base_len = wr_uri_base_length(uri);
	char *base = strndup(uri, base_len);
	const char *fragment = uri[base_len] == '#' ? uri + base_len + 1 : "";
	char *decoded = NULL;
	int rc = -1;

	if (!base)
		return wr_error_set(err, "out of memory");
	resource *r = find_resource(reg, base, err);
	if (!r)
		goto out;
	if (!(decoded = wr_uri_percent_decode(fragment, strlen(fragment)))) {
		if (wr_uri_escapes_valid(fragment, strlen(fragment)))
			wr_error_set(err, "out of memory");
		else
			wr_error_set(err, "malformed fragment in %s", uri);
		goto out;
	}
	json_object *t;
	if (!*decoded) {
		t = r->root;
	} else if (decoded[0] == '/') {
		t = evaluate_pointer(r->root, decoded);
		if (!json_object_is_type(t, json_type_object) && !json_object_is_type(t, json_type_boolean)) {
			wr_error_set(err, "%s points to a value that is not a schema", uri);
			goto out;
		}
	} else {
		void *v;
		if (!lh_table_lookup_ex(r->anchors, decoded, &v) || !v) {
			wr_error_set(err, "no anchor \"%s\" in %s", decoded, base);
			goto out;
		}
		t = v;
	}
	*target = t;
	resource *tr = wr_table_get(reg->resource_of, t);
	*res = tr ? tr : r;
	rc = 0;
out:
	free(base);
	free(decoded);
	return rc;
}

static const struct {
	const char *uri;
	unsigned bit;
} vocabularies[] = {
	{"https://json-schema.org/draft/2020-12/vocab/core", VOCAB_CORE},
	{"https://json-schema.org/draft/2020-12/vocab/applicator", VOCAB_APPLICATOR},
	{"https://json-schema.org/draft/2020-12/vocab/unevaluated", VOCAB_UNEVALUATED},
	{"https://json-schema.org/draft/2020-12/vocab/validation", VOCAB_VALIDATION},
	{"https://json-schema.org/draft/2020-12/vocab/meta-data", VOCAB_META_DATA},
	{"https://json-schema.org/draft/2020-12/vocab/format-annotation", VOCAB_FORMAT_ANNOTATION},
	{"https://json-schema.org/draft/2020-12/vocab/format-assertion", VOCAB_FORMAT_ASSERTION},
	{"https://json-schema.org/draft/2020-12/vocab/content", VOCAB_CONTENT},
};

unsigned wr_vocab_for_metaschema(wr_registry *reg, const char *uri, wr_error *err)
{
	size_t n = wr_uri_base_length(uri);
	if (strncmp(uri, METASCHEMA_2020_12, n) == 0 && n == strlen(METASCHEMA_2020_12))
		return VOCAB_ALL_2020_12;

	json_object *meta = NULL, *vocab;
	resource *mres;
	if (wr_registry_locate(reg, uri, &meta, &mres, err) < 0) {
		wr_error_set(err, "unsupported $schema %s: wrkit implements draft 2020-12", uri);
		return 0;
	}
	if (!json_object_object_get_ex(meta, "$vocabulary", &vocab))
		return VOCAB_ALL_2020_12;
	if (!json_object_is_type(vocab, json_type_object)) {
		wr_error_set(err, "meta-schema %s: $vocabulary is not an object", uri);
		return 0;
	}
	unsigned bits = VOCAB_CORE;
	json_object_object_foreach(vocab, key, required) {
		size_t i;
		for (i = 0; i < sizeof vocabularies / sizeof *vocabularies; i++)
			if (strcmp(key, vocabularies[i].uri) == 0)
				break;
		if (i < sizeof vocabularies / sizeof *vocabularies)
			bits |= vocabularies[i].bit;
		else if (json_object_get_boolean(required)) {
			wr_error_set(err, "meta-schema %s requires the unknown vocabulary %s", uri, key);
			return 0;
		}
	}
	return bits;
}
