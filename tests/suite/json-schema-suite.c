/* SPDX-License-Identifier: MIT */
/* Runs the official JSON Schema Test Suite (draft 2020-12, required tests) against the
 * engine and prints TAP: one line per file, one per failing case, and a total.
 *
 *   json-schema-suite SUITE_DIR KNOWN_FAILURES_FILE
 *
 * A case listed in KNOWN_FAILURES_FILE ("file.json: group / test" per line) may fail;
 * any other failure fails the run, and so does a listed case that now passes (the list
 * must shrink as the engine improves). Each group gets a fresh registry with
 * http://localhost:1234/ mapped to the suite's remotes directory. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/schema.h"

typedef struct known {
	char **lines;
	size_t count;
	bool *seen;
} known;

static int load_known(const char *path, known *k)
{
	FILE *fp = fopen(path, "r");
	char line[2048];
	memset(k, 0, sizeof *k);
	if (!fp)
		return 0; /* no list: nothing may fail */
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char **l = realloc(k->lines, (k->count + 1) * sizeof *l);
		if (!l || !(l[k->count] = strdup(line))) {
			fclose(fp);
			return -1;
		}
		k->lines = l;
		k->count++;
	}
	fclose(fp);
	k->seen = calloc(k->count ? k->count : 1, sizeof *k->seen);
	return k->seen ? 0 : -1;
}

static long find_known(const known *k, const char *id)
{
	for (size_t i = 0; i < k->count; i++)
		if (strcmp(k->lines[i], id) == 0)
			return (long)i;
	return -1;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int tap_number = 0;

typedef struct totals {
	int cases, passed, regressions, fixed;
} totals;

static void run_case(const char *file, const char *group, json_object *test,
                     const wr_schema *schema, const char *compile_error, known *k, totals *t)
{
	json_object *data = NULL, *valid = NULL, *desc = NULL;
	char id[2048];

	json_object_object_get_ex(test, "data", &data);
	json_object_object_get_ex(test, "valid", &valid);
	json_object_object_get_ex(test, "description", &desc);
	snprintf(id, sizeof id, "%s: %s / %s", file, group, json_object_get_string(desc));

	bool expected = json_object_get_boolean(valid);
	bool got = false, ok;
	if (schema) {
		wr_issues issues;
		wr_issues_init(&issues);
		got = wr_schema_validate(schema, data, &issues);
		bool fast = wr_schema_validate(schema, data, NULL);
		/* The fast path and the reporting path must agree, and an invalid verdict
		 * must come with at least one issue. */
		ok = got == expected && fast == got && (got || issues.count > 0);
		wr_issues_clear(&issues);
	} else {
		ok = false;
	}
	t->cases++;
	long listed = find_known(k, id);
	if (listed >= 0)
		k->seen[listed] = true;
	if (ok) {
		t->passed++;
		if (listed >= 0) {
			t->fixed++;
			printf("not ok %d - %s # now passes: remove it from the known failures\n",
			       ++tap_number, id);
		}
	} else if (listed < 0) {
		t->regressions++;
		printf("not ok %d - %s # expected %s, %s\n", ++tap_number, id,
		       expected ? "valid" : "invalid",
		       schema ? (got ? "got valid" : "got invalid or no issue")
		              : compile_error);
	}
}

/* name is a file under tests-draft2020-12 (optional/format/x.json for the formats,
 * run with format-assert on). */
static int run_file(const char *suite, const char *name, bool format_assert, known *k, totals *t)
{
	char path[4096], remotes[4096];
	json_object *groups;
	wr_json_error jerr;
	totals before = *t;

	snprintf(path, sizeof path, "%s/tests-draft2020-12/%s", suite, name);
	snprintf(remotes, sizeof remotes, "%s/remotes", suite);
	if (wr_json_read_path(path, NULL, &groups, &jerr) < 0) {
		printf("not ok %d - %s: %s\n", ++tap_number, name, jerr.message);
		t->regressions++;
		return -1;
	}
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *group = json_object_array_get_idx(groups, g), *schema_doc, *tests, *desc;
		json_object_object_get_ex(group, "schema", &schema_doc);
		json_object_object_get_ex(group, "tests", &tests);
		json_object_object_get_ex(group, "description", &desc);

		wr_registry *reg = wr_registry_new(NULL);
		wr_error err = {{0}};
		const wr_schema *schema = NULL;
		if (reg)
			wr_registry_set_format_assert(reg, format_assert);
		if (reg && wr_registry_map_dir(reg, "http://localhost:1234/", remotes, &err) == 0)
			schema = wr_registry_compile(reg, schema_doc, NULL, &err);
		for (size_t i = 0; i < json_object_array_length(tests); i++)
			run_case(name, json_object_get_string(desc), json_object_array_get_idx(tests, i),
			         schema, err.message, k, t);
		wr_registry_free(reg);
	}
	json_object_put(groups);
	printf("%s %d - %s: %d of %d\n", t->cases - before.cases == t->passed - before.passed ? "ok" : "ok",
	       ++tap_number, name, t->passed - before.passed, t->cases - before.cases);
	return 0;
}

int main(int argc, char **argv)
{
	known k;
	totals t = {0};
	char dir[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: json-schema-suite SUITE_DIR KNOWN_FAILURES\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/tests-draft2020-12", argv[1]);
	DIR *d = opendir(dir);
	if (!d) {
		printf("1..0 # SKIP JSON Schema Test Suite not found at %s\n", argv[1]);
		return 0;
	}
	if (load_known(argv[2], &k) < 0) {
		fprintf(stderr, "json-schema-suite: cannot read %s\n", argv[2]);
		return 2;
	}
	char **names = NULL;
	size_t count = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		size_t n = strlen(ent->d_name);
		if (n < 6 || strcmp(ent->d_name + n - 5, ".json") != 0)
			continue;
		char **nn = realloc(names, (count + 1) * sizeof *nn);
		if (!nn || !(nn[count] = strdup(ent->d_name)))
			return 2;
		names = nn;
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof *names, compare_names);
	for (size_t i = 0; i < count; i++) {
		run_file(argv[1], names[i], false, &k, &t);
		free(names[i]);
	}
	free(names);
	/* The optional format cases, format-assert on: each supported format at 100%. */
	static const char *const format_files[] = {
		"date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uri",
		"uri-reference", "iri", "uuid", "regex", "ecmascript-regex", "json-pointer",
		"relative-json-pointer",
	};
	totals f = {0};
	for (size_t i = 0; i < sizeof format_files / sizeof *format_files; i++) {
		char name[256];
		snprintf(name, sizeof name, "optional/format/%s.json", format_files[i]);
		run_file(argv[1], name, true, &k, &f);
	}
	printf("%s %d - draft 2020-12 optional formats (format-assert): %d of %d cases pass\n",
	       f.regressions || f.fixed || f.passed != f.cases ? "not ok" : "ok", ++tap_number,
	       f.passed, f.cases);
	t.regressions += f.regressions;
	t.fixed += f.fixed;
	for (size_t i = 0; i < k.count; i++) {
		if (!k.seen[i]) {
			printf("not ok %d - %s # listed as a known failure but no such case\n",
			       ++tap_number, k.lines[i]);
			t.regressions++;
		}
		free(k.lines[i]);
	}
	free(k.lines);
	free(k.seen);
	printf("%s %d - draft 2020-12: %d of %d cases pass (%zu known failures)\n",
	       t.regressions || t.fixed ? "not ok" : "ok", ++tap_number, t.passed, t.cases,
	       k.count);
	printf("1..%d\n", tap_number);
	return 0;
}
