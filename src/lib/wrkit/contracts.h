/* SPDX-License-Identifier: MIT */
/* wrkit/contracts.h: the artifact contracts and WorkRail's semantics for them.
 *
 * A contract is a JSON Schema whose properties.kind.const is the artifact kind
 * ("wr.review_verdict", "acme.deploy_plan"); kind NS.NAME has the reference
 * NS.contracts.NAME.
 * Adding one is adding a schema file.
 */
#ifndef WRKIT_CONTRACTS_H
#define WRKIT_CONTRACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/error.h"
#include "wrkit/schema.h"

typedef struct wr_contracts wr_contracts;

typedef struct wr_contract {
	const char *ref;  /* wr.contracts.review_verdict */
	const char *kind; /* wr.review_verdict */
	const char *file; /* the schema file's name, or path when loaded from a directory */
	const wr_schema *schema;
} wr_contract;

/* Contract sets follow WorkRail releases: each release enforces its own contracts.
 * The built-in releases are the folders of schemas/ at build time (schemas/3.40,
 * schemas/3.121, ...): adding a release is adding a folder, no code. */

/* The number of built-in releases, and the i-th, oldest first ("3.40", "3.121"); NULL
 * when i is out of range. */
size_t wr_workrail_release_count(void);
const char *wr_workrail_release_at(size_t i);

/* The newest built-in release: the default contract set. */
const char *wr_workrail_default_release(void);

/* The built-in release a WorkRail version names: the release itself ("3.121") or its
 * .0 version ("3.121.0"). NULL when no built-in release is that version. */
const char *wr_workrail_release_normalize(const char *version);

/* Loads contracts into reg: the built-in ones of the default release when dir is NULL,
 * else every *.json, *.yaml and *.yml file in dir. A file whose schema has no
 * properties.kind.const is not a contract, but other schemas may $ref it. reg must outlive the contracts (its
 * ref-dir mappings apply to them). */
wr_contracts *wr_contracts_load(wr_registry *reg, const char *dir, wr_error *err);

/* Adds the contracts in dir (every *.json, *.yaml and *.yml file) to c: a kind c already has is an error
 * naming both files. Returns 0, or -1 with *err (then free c: it may hold part of dir). */
int wr_contracts_add_dir(wr_contracts *c, wr_registry *reg, const char *dir, wr_error *err);

/* The contract reference of a kind: NS.NAME gives NS.contracts.NAME (split at the
 * first dot). Returns a new string, or NULL when kind has no namespace or when out of
 * memory. */
char *wr_contract_ref_of_kind(const char *kind);

/* Loads the built-in contracts of a release (a version wr_workrail_release_normalize
 * accepts; NULL: the default release) into reg. An unknown release is an error that
 * lists the known ones. */
wr_contracts *wr_contracts_load_release(wr_registry *reg, const char *release, wr_error *err);

/* The built-in contracts of a release (NULL: the default), in a registry of their own
 * that they free. */
wr_contracts *wr_contracts_builtin_release(const char *release, wr_error *err);

/* The built-in contracts of the default release: wr_contracts_builtin_release(NULL). */
wr_contracts *wr_contracts_builtin(wr_error *err);

/* The release a set of built-in contracts belongs to; NULL for a set loaded from a
 * directory. */
const char *wr_contracts_release(const wr_contracts *c);

void wr_contracts_free(wr_contracts *c);

size_t wr_contracts_count(const wr_contracts *c);
const wr_contract *wr_contracts_at(const wr_contracts *c, size_t i); /* sorted by ref */
const wr_contract *wr_contracts_by_ref(const wr_contracts *c, const char *ref);
const wr_contract *wr_contracts_by_kind(const wr_contracts *c, const char *kind);

/* The artifact a stored-artifact wrapper {sha256, contentType, byteLength, content}
 * holds, or a itself when it is not one. Borrowed. */
json_object *wr_artifact_unwrap(json_object *a);

/* The artifact list of a document: a JSON array is the list; an object with an
 * "artifacts" array gives that array; any other value is a one-element list. Wrappers
 * are replaced by their content. Returns a new array (elements shared with doc), or
 * NULL when out of memory. */
json_object *wr_artifact_list(json_object *doc);

typedef enum wr_contract_status {
	WR_CONTRACT_VALID = 0,
	WR_CONTRACT_MISSING, /* MISSING_REQUIRED_ARTIFACT */
	WR_CONTRACT_INVALID, /* INVALID_ARTIFACT_SCHEMA */
	WR_CONTRACT_UNFINISHED /* a limit or out of memory stopped the check: no answer */
} wr_contract_status;

/* The codes WorkRail gives each status. */
const char *wr_contract_status_code(wr_contract_status status);

/* Validates the first artifact of doc whose kind is the contract's (wr_schema_check).
 * None is WR_CONTRACT_MISSING unless optional (then valid). Issues (may be NULL)
 * receive every schema failure. *artifact (may be NULL) is the artifact checked,
 * borrowed, or NULL. WR_CONTRACT_UNFINISHED (the step limit, a pattern's match limit,
 * out of memory) sets err (may be NULL) to the limit: never read it as valid or
 * invalid. */
wr_contract_status wr_contract_check(const wr_contract *contract, json_object *doc,
                                     bool optional, wr_issues *issues, json_object **artifact,
                                     wr_error *err);

#endif
