/* SPDX-License-Identifier: MIT */
/* wrkit/schema.h: a JSON Schema draft 2020-12 validator over json-c.
 *
 * Schemas are compiled once into a registry (refs resolved, patterns compiled), then
 * validate any number of instances; validation has no global state and never changes
 * the registry, so one registry may serve many threads. Nothing is ever fetched over a
 * network: a $ref reaches only documents compiled into the registry and files under
 * the directories mapped with wr_registry_map_dir.
 */
#ifndef WRKIT_SCHEMA_H
#define WRKIT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/error.h"
#include "wrkit/json_input.h"

typedef struct wr_registry wr_registry;
typedef struct wr_schema wr_schema;

/* One reason an instance is invalid. */
typedef struct wr_issue {
	char *path;    /* JSON Pointer into the instance ("" is the whole instance) */
	char *message; /* names what was expected and what was received */
} wr_issue;

typedef struct wr_issues {
	wr_issue *items;
	size_t count, cap;
} wr_issues;

void wr_issues_init(wr_issues *issues);
/* Frees the issues' strings and empties the list (it can be reused). */
void wr_issues_clear(wr_issues *issues);
/* Adds an issue (copies both strings). Returns 0, or -1 when out of memory. */
int wr_issues_add(wr_issues *issues, const char *path, const char *message);

/* A registry; limits bound the files it loads through mapped directories (NULL for
 * the defaults). Returns NULL when out of memory. */
wr_registry *wr_registry_new(const wr_json_limits *limits);
void wr_registry_free(wr_registry *reg);

/* Validation takes at most this many evaluation steps (a schema applied to a value)
 * per instance; past it the instance is invalid, with an issue saying so. A hostile
 * schema (nested anyOf over $ref) could otherwise take exponential time. */
#define WR_SCHEMA_DEFAULT_STEP_LIMIT 100000000ULL
void wr_registry_set_step_limit(wr_registry *reg, unsigned long long steps);

/* Makes "format" an assertion in the schemas compiled from now on (date-time, date,
 * time, duration, email, hostname, ipv4, ipv6, uri, uri-reference, iri, uuid, regex,
 * json-pointer, relative-json-pointer; other formats stay annotations). By default it
 * is an annotation only, as draft 2020-12 says. */
void wr_registry_set_format_assert(wr_registry *reg, bool on);

/* Resolves $refs to URIs that start with uri_prefix from files under dir: the rest of
 * the URI is the file's path under dir ("http://localhost:1234/" = "remotes" turns
 * http://localhost:1234/tree.json into remotes/tree.json). Files are read when a
 * compile first needs them. Returns 0, or -1 with *err. */
int wr_registry_map_dir(wr_registry *reg, const char *uri_prefix, const char *dir,
                        wr_error *err);

/* Makes doc known as a resource at uri (with the $ids inside it) without compiling it
 * yet, so that other schemas may $ref it. Takes no reference from doc. */
int wr_registry_add(wr_registry *reg, const char *uri, json_object *doc, wr_error *err);

/* Compiles doc, a schema (object or boolean), whose retrieval URI is base_uri (NULL for
 * none). Every $ref it holds is resolved now: an unresolvable one, an invalid keyword
 * value or an unsupported $schema is an error. The schema belongs to the registry. */
const wr_schema *wr_registry_compile(wr_registry *reg, json_object *doc, const char *base_uri,
                                     wr_error *err);

/* Whether instance is valid. With issues non-NULL, every failure found is added to it;
 * with NULL, validation stops at the first failure. A validation that could not finish
 * (see wr_schema_check) is false. */
bool wr_schema_validate(const wr_schema *schema, json_object *instance, wr_issues *issues);

/* The three answers of a validation: never "valid" or "invalid" when it did not finish. */
typedef enum wr_validity {
	WR_VALID = 0,
	WR_INVALID,
	WR_UNFINISHED /* out of memory, the step limit, a pattern's match limit, nesting */
} wr_validity;

/* Validates instance. WR_INVALID adds every failure to issues (when non-NULL; at least
 * one), after a first pass that collects nothing, since most instances are valid.
 * WR_UNFINISHED sets err to which limit stopped it ("out of memory" when memory ran
 * out): an answer no caller may read as valid or invalid. */
wr_validity wr_schema_check(const wr_schema *schema, json_object *instance, wr_issues *issues,
                            wr_error *err);

/* JSON equality as JSON Schema defines it: 1 equals 1.0, object key order does not
 * matter. */
bool wr_json_equal(json_object *a, json_object *b);

#endif
