/* SPDX-License-Identifier: MIT */
/* schema_keywords.h: the one table of JSON Schema keywords. The registry's walk, the
 * compiler and the validator all read it: adding a keyword is adding a row to
 * wr_keywords (schema_keywords.c), with what compiles it and which validation step
 * reads it. The table is data only: the modules that use it dispatch on its enums.
 * Not installed. */
#ifndef WRKIT_SCHEMA_KEYWORDS_H
#define WRKIT_SCHEMA_KEYWORDS_H

#include <stddef.h>

/* What a keyword's value is: the registry walks into the schemas it holds. */
typedef enum {
	SHAPE_OTHER,        /* not a schema: a number, a string, an array of names... */
	SHAPE_SCHEMA,       /* one schema */
	SHAPE_SCHEMA_ARRAY, /* an array of schemas */
	SHAPE_SCHEMA_MAP    /* an object whose member values are schemas */
} wr_keyword_shape;

/* The steps of validating an instance against a schema, in the order the validator
 * runs them (the order of the messages). The compiler lists in each schema the steps
 * its keywords need; the validator runs only those, dispatching on this enum (a step
 * added here without its case in validate_keywords is a -Wswitch warning). */
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

/* How the compiler turns a keyword's value into its fast form (schema_compile.c
 * dispatches on it). The shared ones read the row's field and flag. */
typedef enum {
	COMPILE_NONE,               /* nothing to compile: an annotation, or read by the registry */
	COMPILE_REF,                /* $ref: a reference resolved after compiling */
	COMPILE_DYNAMIC_REF,        /* $dynamicRef */
	COMPILE_SINGLE,             /* shared: one schema, into field */
	COMPILE_BRANCH,             /* shared: one schema into field, only when "if" is there */
	COMPILE_SCHEMA_ARRAY,       /* shared: a non-empty array of schemas, into field (schema_list) */
	COMPILE_PROPERTIES,
	COMPILE_PATTERN_PROPERTIES,
	COMPILE_DEPENDENT_SCHEMAS,
	COMPILE_TYPE,
	COMPILE_CONST,              /* shared: sets flag */
	COMPILE_ENUM,               /* shared: sets flag */
	COMPILE_NUMBER,             /* shared: a number into field (number), sets flag */
	COMPILE_MULTIPLE_OF,        /* as COMPILE_NUMBER, and above 0 */
	COMPILE_NONNEGATIVE,        /* shared: a non-negative integer into field (int64_t) */
	COMPILE_PATTERN,
	COMPILE_FORMAT,
	COMPILE_UNIQUE_ITEMS,       /* shared: sets flag when true */
	COMPILE_REQUIRED,
	COMPILE_DEPENDENT_REQUIRED,
	COMPILE_KINDS
} wr_compile;

typedef struct wr_keyword {
	const char *name;
	unsigned vocab;         /* VOCAB_* bits of the vocabularies that define it; 0 for the
	                         * pre-2020-12 keywords the meta-schema still lists */
	wr_keyword_shape shape; /* what the registry walks into */
	wr_compile compile;     /* what the compiler does with it */
	wr_check check;         /* the validation step that reads what it compiled */
	size_t field;           /* offset in struct wr_schema, for the shared compile kinds */
	unsigned flag;          /* HAS_* bit, for the shared compile kinds */
} wr_keyword;

/* Every keyword of the draft 2020-12 vocabularies (and the deprecated ones its
 * meta-schema lists), each once, in the order they are compiled. */
extern const wr_keyword wr_keywords[];
extern const size_t wr_keyword_count;

#endif
