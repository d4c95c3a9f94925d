/* SPDX-License-Identifier: MIT */
/* schema_internal.h: the compiled form of schemas, shared by the registry, the
 * compiler and the validator. Not installed. */
#ifndef WRKIT_SCHEMA_INTERNAL_H
#define WRKIT_SCHEMA_INTERNAL_H

#include "ecma_regex.h"
#include "schema_format.h"
#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>
#include <json-c/linkhash.h>

#include "json_value.h"
#include "schema_keywords.h"
#include "wrkit/schema.h"

/* Vocabularies, as enabled by a resource's meta-schema. */
enum {
	VOCAB_CORE = 1u << 0,
	VOCAB_APPLICATOR = 1u << 1,
	VOCAB_UNEVALUATED = 1u << 2,
	VOCAB_VALIDATION = 1u << 3,
	VOCAB_META_DATA = 1u << 4,
	VOCAB_FORMAT_ANNOTATION = 1u << 5,
	VOCAB_FORMAT_ASSERTION = 1u << 6,
	VOCAB_CONTENT = 1u << 7,
	VOCAB_ALL_2020_12 = VOCAB_CORE | VOCAB_APPLICATOR | VOCAB_UNEVALUATED | VOCAB_VALIDATION |
	                    VOCAB_META_DATA | VOCAB_FORMAT_ANNOTATION | VOCAB_CONTENT
};

/* JSON types as bits of the "type" keyword. */
enum {
	TYPE_NULL = 1u << 0,
	TYPE_BOOLEAN = 1u << 1,
	TYPE_OBJECT = 1u << 2,
	TYPE_ARRAY = 1u << 3,
	TYPE_NUMBER = 1u << 4,
	TYPE_STRING = 1u << 5,
	TYPE_INTEGER = 1u << 6
};

/* A schema resource: a document root or a subschema with $id. */
typedef struct resource {
	char *uri;                /* absolute, without fragment */
	json_object *root;
	struct resource *parent;  /* the enclosing resource of an embedded one */
	char *metaschema;         /* $schema at its root, or NULL: then the parent's */
	unsigned vocab;           /* VOCAB_* bits; 0 until first needed */
	struct lh_table *anchors;          /* name -> json_object* ($anchor, $dynamicAnchor) */
	struct lh_table *dynamic_anchors;  /* name -> json_object* */
	struct lh_table *dynamic_compiled; /* name -> wr_schema*, filled after compiling */
	bool used;                /* a schema in it was compiled */
	struct resource *next;
} resource;

typedef struct named_schema {
	char *name;
	const wr_schema *schema;
} named_schema;

typedef struct pattern_schema {
	pcre2_code *re;
	char *source;
	const wr_schema *schema;
} pattern_schema;

/* The schemas of an array-of-schemas keyword (allOf, prefixItems...). */
typedef struct schema_list {
	const wr_schema **items;
	size_t count;
} schema_list;

typedef struct name_list {
	char **names;
	size_t count;
} name_list;

typedef struct dependent_required {
	char *name;
	name_list required;
} dependent_required;

/* Which keywords a node has (numbers and counts have no natural "absent" value). */
enum {
	HAS_MULTIPLE_OF = 1u << 0,
	HAS_MAXIMUM = 1u << 1,
	HAS_EXCLUSIVE_MAXIMUM = 1u << 2,
	HAS_MINIMUM = 1u << 3,
	HAS_EXCLUSIVE_MINIMUM = 1u << 4,
	HAS_CONST = 1u << 5,
	HAS_ENUM = 1u << 6,
	HAS_UNIQUE_ITEMS = 1u << 7
};

struct wr_schema {
	const wr_registry *registry;
	json_object *source;  /* the schema's JSON, owned by the registry */
	char *location;       /* absolute URI with a JSON Pointer fragment, for messages */
	resource *resource;   /* the resource the schema is in (dynamic scope) */
	bool is_boolean, boolean_value;
	unsigned flags;       /* HAS_* */
	/* The validation steps its keywords need (wr_check, schema_keywords.h), in order. */
	unsigned char steps[CHECK_COUNT];
	unsigned char step_count;
	unsigned types;       /* TYPE_* bits of "type"; 0 when absent */

	const wr_schema *ref;
	const wr_schema *dynamic_ref;     /* its initial (static) target */
	char *dynamic_anchor;             /* set when $dynamicRef resolves dynamically */

	json_object *const_value;
	json_object *enum_values;         /* array */
	number multiple_of, maximum, exclusive_maximum, minimum, exclusive_minimum;
	int64_t max_length, min_length;   /* -1 when absent */
	pcre2_code *pattern;
	char *pattern_source;
	wr_format format;                 /* asserted format, WR_FORMAT_NONE when none */

	schema_list prefix_items;
	const wr_schema *items, *contains, *unevaluated_items;
	int64_t max_items, min_items, max_contains, min_contains;

	named_schema *properties;
	size_t property_count;
	struct lh_table *property_index;  /* name -> index + 1 into properties */
	pattern_schema *pattern_properties;
	size_t pattern_property_count;
	const wr_schema *additional_properties, *property_names, *unevaluated_properties;
	named_schema *dependent_schemas;
	size_t dependent_schema_count;
	dependent_required *dependent_required;
	size_t dependent_required_count;
	name_list required;
	int64_t max_properties, min_properties;

	schema_list all_of, any_of, one_of;
	const wr_schema *not_schema, *if_schema, *then_schema, *else_schema;

	/* Whether validating this schema may need what its subschemas evaluated: set when
	 * it has unevaluatedItems or unevaluatedProperties. */
	bool collects_annotations;
	wr_schema *next_allocated;
};

/* A $ref waiting for its target, resolved after the schemas that hold it compile. */
typedef struct pending_ref {
	const wr_schema **slot;
	char *uri;         /* absolute, with fragment */
	wr_schema *owner;  /* for $dynamicRef: where to record the dynamic anchor */
	bool dynamic;
	struct pending_ref *next;
} pending_ref;

typedef struct dir_map {
	char *prefix;
	char *dir;
	struct dir_map *next;
} dir_map;

struct wr_registry {
	wr_json_limits limits;
	resource *resources;              /* list, for freeing */
	struct lh_table *resource_by_uri; /* uri -> resource* */
	struct lh_table *resource_of;     /* json_object* -> resource* (schemas walked) */
	struct lh_table *compiled;        /* json_object* -> wr_schema* */
	wr_schema *allocated;             /* every schema, for freeing */
	void (*free_schema)(wr_schema *); /* the compiler's, set when it allocates one */
	json_object **documents;          /* references held */
	size_t document_count, document_cap;
	dir_map *dirs;
	pending_ref *pending;
	unsigned anonymous_count;
	bool metaschemas_loaded;
	pcre2_match_context *match_context; /* limits that stop runaway backtracking */
	unsigned long long step_limit;
	bool format_assert;               /* "format" is an assertion, not an annotation */
};

/* Registry (schema_registry.c). */
/* The value of key in a json-c table, or NULL. */
void *wr_table_get(struct lh_table *t, const void *key);
int wr_registry_add_document(wr_registry *reg, json_object *doc, const char *uri,
                             wr_error *err);
/* Finds the schema uri (absolute, with fragment) points to. */
int wr_registry_locate(wr_registry *reg, const char *uri, json_object **target,
                       resource **res, wr_error *err);
resource *wr_registry_resource_of(wr_registry *reg, json_object *schema);
unsigned wr_vocab_for_metaschema(wr_registry *reg, const char *uri, wr_error *err);


/* Compiler (schema_compile.c). */
wr_schema *wr_compile_node(wr_registry *reg, json_object *src, resource *res,
                           const char *location, wr_error *err);
void wr_schema_destroy(wr_schema *s);


#endif
