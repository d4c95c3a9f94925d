/* SPDX-License-Identifier: MIT */
/* The keywords of JSON Schema draft 2020-12, each once: its vocabulary, the shape of
 * its value (what the registry walks into), how it is compiled and which validation
 * step reads it. The registry, the compiler and the validator are driven by this
 * table; to add a keyword, add its row (and, when no shared one fits, a compile kind
 * and a validation step: docs/design.md, "Where new work goes").
 * tests/unit/test_schema.c checks the table against the meta-schemas. */
#include <config.h>

#include <stddef.h>

#include "schema_internal.h"
#include "schema_keywords.h"

#define AT(member) offsetof(struct wr_schema, member)

/* Rows are compiled in this order: "if" comes before "then" and "else", which mean
 * nothing without it. */
const wr_keyword wr_keywords[] = {
	/* name, vocabulary, shape, compile, validation step, field, flag */

	/* Core. $id, $schema, $anchor and $dynamicAnchor are read by the registry. */
	{"$id", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$schema", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$ref", VOCAB_CORE, SHAPE_OTHER, COMPILE_REF, CHECK_REF, 0, 0},
	{"$anchor", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$dynamicRef", VOCAB_CORE, SHAPE_OTHER, COMPILE_DYNAMIC_REF, CHECK_DYNAMIC_REF, 0, 0},
	{"$dynamicAnchor", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$vocabulary", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$comment", VOCAB_CORE, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$defs", VOCAB_CORE, SHAPE_SCHEMA_MAP, COMPILE_NONE, CHECK_NONE, 0, 0},

	/* Applicator. */
	{"allOf", VOCAB_APPLICATOR, SHAPE_SCHEMA_ARRAY, COMPILE_SCHEMA_ARRAY, CHECK_ALL_OF, AT(all_of), 0},
	{"anyOf", VOCAB_APPLICATOR, SHAPE_SCHEMA_ARRAY, COMPILE_SCHEMA_ARRAY, CHECK_ANY_OF, AT(any_of), 0},
	{"oneOf", VOCAB_APPLICATOR, SHAPE_SCHEMA_ARRAY, COMPILE_SCHEMA_ARRAY, CHECK_ONE_OF, AT(one_of), 0},
	{"not", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_NOT, AT(not_schema), 0},
	{"if", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_IF, AT(if_schema), 0},
	{"then", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_BRANCH, CHECK_IF, AT(then_schema), 0},
	{"else", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_BRANCH, CHECK_IF, AT(else_schema), 0},
	{"prefixItems", VOCAB_APPLICATOR, SHAPE_SCHEMA_ARRAY, COMPILE_SCHEMA_ARRAY, CHECK_ARRAY, AT(prefix_items), 0},
	{"items", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_ARRAY, AT(items), 0},
	{"contains", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_ARRAY, AT(contains), 0},
	{"properties", VOCAB_APPLICATOR, SHAPE_SCHEMA_MAP, COMPILE_PROPERTIES, CHECK_OBJECT, 0, 0},
	{"patternProperties", VOCAB_APPLICATOR, SHAPE_SCHEMA_MAP, COMPILE_PATTERN_PROPERTIES, CHECK_OBJECT, 0, 0},
	{"additionalProperties", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_OBJECT, AT(additional_properties), 0},
	{"propertyNames", VOCAB_APPLICATOR, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_OBJECT, AT(property_names), 0},
	{"dependentSchemas", VOCAB_APPLICATOR, SHAPE_SCHEMA_MAP, COMPILE_DEPENDENT_SCHEMAS, CHECK_OBJECT, 0, 0},

	/* Unevaluated. */
	{"unevaluatedItems", VOCAB_UNEVALUATED, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_UNEVALUATED, AT(unevaluated_items), 0},
	{"unevaluatedProperties", VOCAB_UNEVALUATED, SHAPE_SCHEMA, COMPILE_SINGLE, CHECK_UNEVALUATED, AT(unevaluated_properties), 0},

	/* Validation. */
	{"type", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_TYPE, CHECK_TYPE, 0, 0},
	{"const", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_CONST, CHECK_CONST_ENUM, 0, HAS_CONST},
	{"enum", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_ENUM, CHECK_CONST_ENUM, 0, HAS_ENUM},
	{"multipleOf", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_MULTIPLE_OF, CHECK_NUMBER, AT(multiple_of), HAS_MULTIPLE_OF},
	{"maximum", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NUMBER, CHECK_NUMBER, AT(maximum), HAS_MAXIMUM},
	{"exclusiveMaximum", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NUMBER, CHECK_NUMBER, AT(exclusive_maximum), HAS_EXCLUSIVE_MAXIMUM},
	{"minimum", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NUMBER, CHECK_NUMBER, AT(minimum), HAS_MINIMUM},
	{"exclusiveMinimum", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NUMBER, CHECK_NUMBER, AT(exclusive_minimum), HAS_EXCLUSIVE_MINIMUM},
	{"maxLength", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_STRING, AT(max_length), 0},
	{"minLength", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_STRING, AT(min_length), 0},
	{"pattern", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_PATTERN, CHECK_STRING, 0, 0},
	{"maxItems", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_ARRAY, AT(max_items), 0},
	{"minItems", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_ARRAY, AT(min_items), 0},
	{"uniqueItems", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_UNIQUE_ITEMS, CHECK_ARRAY, 0, HAS_UNIQUE_ITEMS},
	{"maxContains", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_ARRAY, AT(max_contains), 0},
	{"minContains", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_ARRAY, AT(min_contains), 0},
	{"maxProperties", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_OBJECT, AT(max_properties), 0},
	{"minProperties", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_NONNEGATIVE, CHECK_OBJECT, AT(min_properties), 0},
	{"required", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_REQUIRED, CHECK_OBJECT, 0, 0},
	{"dependentRequired", VOCAB_VALIDATION, SHAPE_OTHER, COMPILE_DEPENDENT_REQUIRED, CHECK_OBJECT, 0, 0},

	/* Format: an annotation, unless the registry asserts formats. */
	{"format", VOCAB_FORMAT_ANNOTATION | VOCAB_FORMAT_ASSERTION, SHAPE_OTHER, COMPILE_FORMAT, CHECK_STRING, 0, 0},

	/* Meta-data: annotations only. */
	{"title", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"description", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"default", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"deprecated", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"readOnly", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"writeOnly", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"examples", VOCAB_META_DATA, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},

	/* Content: annotations only; the registry still walks contentSchema for $ids. */
	{"contentEncoding", VOCAB_CONTENT, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"contentMediaType", VOCAB_CONTENT, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"contentSchema", VOCAB_CONTENT, SHAPE_SCHEMA, COMPILE_NONE, CHECK_NONE, 0, 0},

	/* In no 2020-12 vocabulary, but in its meta-schema: walked, never applied. */
	{"definitions", 0, SHAPE_SCHEMA_MAP, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"dependencies", 0, SHAPE_SCHEMA_MAP, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$recursiveAnchor", 0, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
	{"$recursiveRef", 0, SHAPE_OTHER, COMPILE_NONE, CHECK_NONE, 0, 0},
};

const size_t wr_keyword_count = sizeof wr_keywords / sizeof *wr_keywords;
