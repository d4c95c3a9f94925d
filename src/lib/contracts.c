/* SPDX-License-Identifier: MIT */
/* Contracts: schemas found by the kind they constrain, and WorkRail's artifact-list
 * semantics for checking a document against one. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "wrkit/contracts.h"
#include "wrkit/yaml_input.h"


struct wr_contracts {
	wr_registry *owned_registry; /* set only by wr_contracts_builtin */
	const char *release;         /* the built-in release, NULL for a directory */
	wr_contract *items;
	size_t count;
};

typedef struct source_file {
	char *name; /* for messages and --list-contracts */
	char *uri;  /* retrieval URI: relative $refs between files resolve against it */
	json_object *doc;
} source_file;

void wr_contracts_free(wr_contracts *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++) {
		free((char *)c->items[i].ref);
		free((char *)c->items[i].kind);
		free((char *)c->items[i].file);
	}
	free(c->items);
	wr_registry_free(c->owned_registry);
	free(c);
}

static void free_sources(source_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].uri);
		json_object_put(files[i].doc);
	}
	free(files);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The built-in releases are the folders of schemas/ at build time, oldest first: the
 * build lists them (mk/embed-releases.sh), no code names one. */
size_t wr_workrail_release_count(void)
{
	return wr_builtin_releases_count;
}

const char *wr_workrail_release_at(size_t i)
{
	return i < wr_builtin_releases_count ? wr_builtin_releases[i] : NULL;
}

const char *wr_workrail_default_release(void)
{
	return wr_workrail_release_at(wr_builtin_releases_count - 1); /* NULL when none */
}

const char *wr_workrail_release_normalize(const char *version)
{
	if (!version)
		return NULL;
	size_t vlen = strlen(version);
	for (size_t i = 0; i < wr_builtin_releases_count; i++) {
		const char *r = wr_builtin_releases[i];
		size_t len = strlen(r);
		if (strncmp(version, r, len) != 0)
			continue;
		if (vlen == len || (vlen == len + 2 && strcmp(version + len, ".0") == 0))
			return r;
	}
	return NULL;
}

/* "3.40, 3.121": the known releases, for messages. */
static void list_releases(char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < wr_workrail_release_count() && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                 wr_workrail_release_at(i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int read_builtin(const char *release, source_file **out, size_t *count, wr_error *err)
{
	size_t rlen = strlen(release);
	source_file *files = calloc(wr_builtin_contracts_count + 1, sizeof *files);
	if (!files)
		return wr_error_set(err, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < wr_builtin_contracts_count; i++) {
		const wr_embedded_file *f = &wr_builtin_contracts[i];
		if (strncmp(f->name, release, rlen) != 0 || f->name[rlen] != '/')
			continue;
		wr_json_error jerr;
		files[n].name = strdup(f->name);
		files[n].uri = malloc(strlen(f->name) + 32);
		n++;
		*count = n;
		if (!files[n - 1].name || !files[n - 1].uri) {
			free_sources(files, n);
			return wr_error_set(err, "out of memory");
		}
		sprintf(files[n - 1].uri, "wrkit:/schemas/%s", f->name);
		if (wr_json_parse(f->text, f->length, NULL, &files[n - 1].doc, &jerr) < 0) {
			wr_error_set(err, "built-in schema %s: %s", f->name, jerr.message);
			free_sources(files, n);
			return -1;
		}
	}
	*count = n;
	*out = files;
	return 0;
}

/* The files of a schema directory: *.json, and YAML's *.yaml and *.yml; not hidden. */
static bool schema_file_name(const char *name, size_t len)
{
	return name[0] != '.' &&
	       ((len >= 6 && strcmp(name + len - 5, ".json") == 0) || wr_yaml_file_name(name));
}

static int read_dir(const char *dir, const wr_json_limits *limits, source_file **out,
                    size_t *count, wr_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return wr_error_set(err, "%s: cannot open schema directory: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	struct dirent *ent;
	int rc = 0;
	while ((ent = readdir(d))) {
		size_t len = strlen(ent->d_name);
		if (!schema_file_name(ent->d_name, len))
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn || !(nn[n] = strdup(ent->d_name))) {
			names = nn ? nn : names;
			rc = wr_error_set(err, "out of memory");
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (rc == 0 && n > 0)
		qsort(names, n, sizeof *names, compare_names);

	source_file *files = calloc(n + 1, sizeof *files);
	if (!files && rc == 0)
		rc = wr_error_set(err, "out of memory");
	char *abs = rc == 0 ? realpath(dir, NULL) : NULL;
	if (rc == 0 && !abs)
		rc = wr_error_set(err, "%s: %s", dir, strerror(errno));
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		files[i].name = malloc(plen);
		files[i].uri = malloc(strlen(abs) + strlen(names[i]) + 16);
		*count = i + 1;
		if (!files[i].name || !files[i].uri) {
			rc = wr_error_set(err, "out of memory");
			break;
		}
		snprintf(files[i].name, plen, "%s/%s", dir, names[i]);
		sprintf(files[i].uri, "file://%s/%s", abs, names[i]);
		wr_json_error jerr;
		if (wr_document_read_path(files[i].name, limits, &files[i].doc, &jerr) < 0) {
			char desc[400];
			rc = wr_error_set(err, "%s: %s", files[i].name,
			                  wr_json_error_describe(&jerr, desc, sizeof desc));
		}
	}
	free(abs);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0) {
		free_sources(files, *count);
		return -1;
	}
	*out = files;
	return 0;
}

/* The contract kind a schema constrains: properties.kind.const, a "wr.*" string. */
static const char *schema_kind(json_object *doc)
{
	json_object *props, *kind, *c;
	if (json_object_object_get_ex(doc, "properties", &props) &&
	    json_object_object_get_ex(props, "kind", &kind) &&
	    json_object_object_get_ex(kind, "const", &c) && json_object_is_type(c, json_type_string))
		return json_object_get_string(c);
	return NULL;
}

static int compare_contracts(const void *a, const void *b)
{
	return strcmp(((const wr_contract *)a)->ref, ((const wr_contract *)b)->ref);
}

char *wr_contract_ref_of_kind(const char *kind)
{
	const char *dot = strchr(kind, '.');
	if (!dot || dot == kind || !dot[1])
		return NULL;
	size_t ns = (size_t)(dot - kind);
	char *ref = malloc(strlen(kind) + sizeof ".contracts");
	if (ref)
		sprintf(ref, "%.*s.contracts.%s", (int)ns, kind, dot + 1);
	return ref;
}

static int add_contract(wr_contracts *c, const char *kind, const char *file,
                        const wr_schema *schema, wr_error *err)
{
	const char *dot = strchr(kind, '.');
	if (!dot || dot == kind || !dot[1])
		return wr_error_set(err, "%s: kind \"%s\" is not NAMESPACE.NAME (as wr.review_verdict)",
		                    file, kind);
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].kind, kind) == 0)
			return wr_error_set(err, "%s: kind %s is already the contract of %s", file, kind,
			                    c->items[i].file);
	wr_contract *it = &c->items[c->count];
	it->ref = wr_contract_ref_of_kind(kind);
	it->kind = strdup(kind);
	it->file = strdup(file);
	it->schema = schema;
	c->count++;
	if (!it->ref || !it->kind || !it->file)
		return wr_error_set(err, "out of memory");
	return 0;
}

static int add_sources(wr_contracts *c, wr_registry *reg, source_file *files, size_t n,
                       wr_error *err);

/* Loads the contracts of a directory (dir set) or of a built-in release. */
static wr_contracts *load(wr_registry *reg, const char *dir, const char *release, wr_error *err)
{
	source_file *files = NULL;
	size_t n = 0;
	wr_json_limits limits = wr_json_default_limits();
	wr_error ignored;

	if (!err)
		err = &ignored; /* the messages below read err back */

	if (!dir) {
		const char *name = release ? wr_workrail_release_normalize(release)
		                           : wr_workrail_default_release();
		if (!name) {
			char known[256];
			list_releases(known, sizeof known);
			if (release)
				wr_error_set(err, "unknown WorkRail version '%s' (known: %s)", release, known);
			else
				wr_error_set(err, "no built-in contract set");
			return NULL;
		}
		release = name;
	}
	if ((dir ? read_dir(dir, &limits, &files, &n, err) : read_builtin(release, &files, &n, err)) < 0)
		return NULL;
	wr_contracts *c = calloc(1, sizeof *c);
	if (!c) {
		free_sources(files, n);
		wr_error_set(err, "out of memory");
		return NULL;
	}
	if (add_sources(c, reg, files, n, err) < 0) {
		wr_contracts_free(c);
		return NULL;
	}
	c->release = dir ? NULL : release;
	return c;
}

/* Compiles the contracts among files into c (which they are added to, sorted), and
 * frees files. */
static int add_sources(wr_contracts *c, wr_registry *reg, source_file *files, size_t n,
                       wr_error *err)
{
	wr_contract *items = realloc(c->items, (c->count + n + 1) * sizeof *items);
	if (!items) {
		free_sources(files, n);
		return wr_error_set(err, "out of memory");
	}
	c->items = items;
	int rc = 0;
	/* Every file is known before any compiles, so that they may $ref each other. */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (wr_registry_add(reg, files[i].uri, files[i].doc, err) < 0) {
			char why[sizeof err->message];
			snprintf(why, sizeof why, "%s", err->message);
			rc = wr_error_set(err, "%s: %s", files[i].name, why);
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *kind = schema_kind(files[i].doc);
		if (!kind)
			continue;
		const wr_schema *schema = wr_registry_compile(reg, files[i].doc, files[i].uri, err);
		if (!schema) {
			char why[sizeof err->message];
			snprintf(why, sizeof why, "%s", err->message);
			rc = wr_error_set(err, "%s: %s", files[i].name, why);
			break;
		}
		rc = add_contract(c, kind, files[i].name, schema, err);
	}
	free_sources(files, n); /* the registry holds the documents it needs */
	if (rc < 0)
		return -1;
	qsort(c->items, c->count, sizeof *c->items, compare_contracts);
	return 0;
}

int wr_contracts_add_dir(wr_contracts *c, wr_registry *reg, const char *dir, wr_error *err)
{
	source_file *files = NULL;
	size_t n = 0;
	wr_json_limits limits = wr_json_default_limits();
	wr_error ignored;

	if (!err)
		err = &ignored;
	if (read_dir(dir, &limits, &files, &n, err) < 0)
		return -1;
	return add_sources(c, reg, files, n, err);
}

wr_contracts *wr_contracts_load(wr_registry *reg, const char *dir, wr_error *err)
{
	return load(reg, dir, NULL, err);
}

wr_contracts *wr_contracts_load_release(wr_registry *reg, const char *release, wr_error *err)
{
	return load(reg, NULL, release, err);
}

const char *wr_contracts_release(const wr_contracts *c)
{
	return c->release;
}

wr_contracts *wr_contracts_builtin(wr_error *err)
{
	return wr_contracts_builtin_release(NULL, err);
}

wr_contracts *wr_contracts_builtin_release(const char *release, wr_error *err)
{
	wr_registry *reg = wr_registry_new(NULL);
	if (!reg) {
		wr_error_set(err, "out of memory");
		return NULL;
	}
	wr_contracts *c = load(reg, NULL, release, err);
	if (!c) {
		wr_registry_free(reg);
		return NULL;
	}
	c->owned_registry = reg;
	return c;
}

size_t wr_contracts_count(const wr_contracts *c)
{
	return c->count;
}

const wr_contract *wr_contracts_at(const wr_contracts *c, size_t i)
{
	return i < c->count ? &c->items[i] : NULL;
}

const wr_contract *wr_contracts_by_ref(const wr_contracts *c, const char *ref)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].ref, ref) == 0)
			return &c->items[i];
	return NULL;
}

const wr_contract *wr_contracts_by_kind(const wr_contracts *c, const char *kind)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].kind, kind) == 0)
			return &c->items[i];
	return NULL;
}

json_object *wr_artifact_unwrap(json_object *a)
{
	json_object *content;
	if (json_object_is_type(a, json_type_object) && json_object_object_get_ex(a, "sha256", NULL) &&
	    json_object_object_get_ex(a, "content", &content))
		return content;
	return a;
}

/* The array that is the artifact list of doc, or NULL when doc itself is the one
 * artifact. */
static json_object *artifact_array(json_object *doc)
{
	json_object *artifacts;
	if (json_object_is_type(doc, json_type_array))
		return doc;
	if (json_object_is_type(doc, json_type_object) &&
	    json_object_object_get_ex(doc, "artifacts", &artifacts) &&
	    json_object_is_type(artifacts, json_type_array))
		return artifacts;
	return NULL;
}

json_object *wr_artifact_list(json_object *doc)
{
	json_object *list = json_object_new_array(), *source = artifact_array(doc);
	if (!list)
		return NULL;
	if (source) {
		for (size_t i = 0; i < json_object_array_length(source); i++) {
			json_object *a = wr_artifact_unwrap(json_object_array_get_idx(source, i));
			if (json_object_array_add(list, json_object_get(a)) != 0) {
				json_object_put(a);
				json_object_put(list);
				return NULL;
			}
		}
	} else if (json_object_array_add(list, json_object_get(wr_artifact_unwrap(doc))) != 0) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

const char *wr_contract_status_code(wr_contract_status status)
{
	switch (status) {
	case WR_CONTRACT_VALID: return "VALID";
	case WR_CONTRACT_MISSING: return "MISSING_REQUIRED_ARTIFACT";
	case WR_CONTRACT_INVALID: return "INVALID_ARTIFACT_SCHEMA";
	case WR_CONTRACT_UNFINISHED: return "UNFINISHED";
	}
	return "UNKNOWN";
}

/* The first artifact of the list whose kind is kind; borrowed. */
static json_object *find_artifact(json_object *doc, const char *kind)
{
	json_object *source = artifact_array(doc), *k;
	size_t n = source ? json_object_array_length(source) : 1;
	for (size_t i = 0; i < n; i++) {
		json_object *a = wr_artifact_unwrap(source ? json_object_array_get_idx(source, i) : doc);
		if (json_object_object_get_ex(a, "kind", &k) && json_object_is_type(k, json_type_string) &&
		    strcmp(json_object_get_string(k), kind) == 0 &&
		    (size_t)json_object_get_string_len(k) == strlen(kind)) /* a NUL inside is another kind */
			return a;
	}
	return NULL;
}

wr_contract_status wr_contract_check(const wr_contract *contract, json_object *doc,
                                     bool optional, wr_issues *issues, json_object **artifact,
                                     wr_error *err)
{
	json_object *a = find_artifact(doc, contract->kind);
	if (artifact)
		*artifact = a;
	if (!a)
		return optional ? WR_CONTRACT_VALID : WR_CONTRACT_MISSING;
	switch (wr_schema_check(contract->schema, a, issues, err)) {
	case WR_VALID: return WR_CONTRACT_VALID;
	case WR_INVALID: return WR_CONTRACT_INVALID;
	case WR_UNFINISHED: break;
	}
	return WR_CONTRACT_UNFINISHED;
}
