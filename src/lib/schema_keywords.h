/* SPDX-License-Identifier: MIT */
/* schema_keywords.h: the one table of JSON Schema keywords. The registry's walk, the
 * compiler and the validator all read it: adding a keyword is adding a row to
 * wr_keywords (schema_keywords.c), with its compile function and validation step.
 * Not installed. */
#ifndef WRKIT_SCHEMA_KEYWORDS_H
#define WRKIT_SCHEMA_KEYWORDS_H

#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/schema.h"

struct wr_schema;

/* What a keyword's value is: the registry walks into the schemas it holds. */
typedef enum {
	SHAPE_OTHER,        /* not a schema: a number, a string, an array of names... */
	SHAPE_SCHEMA,       /* one schema */
	SHAPE_SCHEMA_ARRAY, /* an array of schemas */
	SHAPE_SCHEMA_MAP    /* an object whose member values are schemas */
} wr_keyword_shape;

/* The steps of validating an instance against a schema, in the order the validator
 * runs them (the order of the messages). A compiled schema has a bit (1u << step) set
 * for each step one of its keywords needs; the validator runs only those. */
typedef enum {
	CHECK_NONE,        /* an annotation, or read by the registry: nothing to check */
	CHECK_REF,         /* $ref */
	CHECK_DYNAMIC_REF, /* $dynamicRef */
	CHECK_TYPE,        /* type */
	CHECK_CONST_ENUM,  /* const, enum */
	CHECK_NUMBER,      /* the numeric bounds and multipleOf, on numbers */
	CHECK_STRING,      /* lengths, pattern, asserted format, on strings */
	CHECK_ARRAY,       /* the array keywords, on arrays */
	CHECK_OBJECT,      /* the object keywords, on objects */
	CHECK_ALL_OF,
	CHECK_ANY_OF,
	CHECK_ONE_OF,
	CHECK_NOT,
	CHECK_IF,          /* if, then, else */
	CHECK_UNEVALUATED, /* unevaluatedItems, unevaluatedProperties: last, they read
	                    * what the others evaluated */
	CHECK_COUNT
} wr_check;

typedef struct wr_keyword wr_keyword;

/* Compiles the keyword's value v into s (kw->field, kw->flag say where, for the
 * functions several keywords share). 0, or -1 with err set. */
typedef int (*wr_keyword_compile)(wr_registry *reg, struct wr_schema *s, json_object *v,
                                  const wr_keyword *kw, wr_error *err);

struct wr_keyword {
	const char *name;
	unsigned vocab;             /* VOCAB_* bits of the vocabularies that define it; 0 for
	                             * the pre-2020-12 keywords the meta-schema still walks */
	wr_keyword_shape shape;
	wr_keyword_compile compile; /* NULL: nothing to compile */
	wr_check check;             /* the validation step that reads it */
	size_t field;               /* offset in struct wr_schema, for shared compile functions */
	unsigned flag;              /* HAS_* bit, for shared compile functions */
};

/* Every keyword of the draft 2020-12 vocabularies (and the deprecated ones its
 * meta-schema lists), each once, in the order they are compiled. */
extern const wr_keyword wr_keywords[];
extern const size_t wr_keyword_count;

/* The compile functions the table names (schema_compile.c). */
int wr_compile_ref(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_dynamic_ref(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_single(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_branch(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_schema_array(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_properties(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_pattern_properties(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_dependent_schemas(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_type(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_const(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_enum(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_number(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_multiple_of(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_count(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_pattern(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_format(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_unique_items(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_required(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);
int wr_compile_dependent_required(wr_registry *, struct wr_schema *, json_object *, const wr_keyword *, wr_error *);

#endif
