/* SPDX-License-Identifier: MIT */
/* wr-validate: check artifacts against their contracts, or documents against a schema. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wrkit/contracts.h"
#include "wrkit/json_input.h"
#include "wrkit/ndjson.h"
#include "wrkit/schema.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB };

#define CODE_MALFORMED "MALFORMED_DOCUMENT"

typedef struct options {
	const char *contract_ref;
	const char *schema_path;
	const char *schema_dir;
	const char *workrail; /* --workrail VERSION */
	bool optional, ndjson, list_contracts;
	enum format format;
	wr_json_limits limits;
} options;

/* What checks each document: one contract, a plain schema, or every known kind. */
typedef struct checker {
	const options *opt;
	const wr_contracts *contracts;
	const wr_contract *contract;
	const wr_schema *schema;
	int status; /* the exit code so far */
} checker;

/* One result: a document (or artifact) checked, or a document that could not be. */
typedef struct result {
	const char *file;
	unsigned long line;  /* NDJSON line, 0 for a whole file */
	bool valid;
	const char *ref;     /* contract reference, NULL when none applies */
	const char *code;    /* NULL when valid */
	const char *message; /* for errors without issues */
	const wr_issues *issues;
	unsigned long error_line, error_column; /* position of a malformed document */
} result;

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Validate WorkRail artifacts against their contracts, or documents against a\n"
	       "JSON Schema (draft 2020-12). With no FILE, or when FILE is -, read standard input.\n"
	       "\n"
	       "  -c, --contract REF      validate the first artifact of REF's kind in each document\n"
	       "                          (without -c or -s: every artifact of a known kind)\n"
	       "  -s, --schema FILE       validate each whole document against a JSON Schema file\n"
	       "      --optional          a document without the contract's artifact is valid\n"
	       "      --ndjson            each input line is one document\n"
	       "  -f, --format FORMAT     text (default), json, or github (workflow commands)\n"
	       "      --ref-dir URI=DIR   resolve $refs to URIs starting with URI from files in DIR\n"
	       "      --schema-dir DIR    load the contracts from DIR instead of the built-in ones\n"
	       "      --workrail VERSION  the contract set of that WorkRail release (3.40, 3.121, ...;\n"
	       "                          default: $WRKIT_WORKRAIL, else the newest)\n"
	       "      --list-contracts    list the contracts in force (reference, kind, file)\n"
	       "      --max-bytes SIZE    refuse documents (or lines) larger than SIZE (default 64M)\n"
	       "      --max-depth N       refuse documents nested deeper than N (default %d)\n"
	       "  -h, --help              display this help and exit\n"
	       "  -V, --version           output version information and exit\n"
	       "\n"
	       "Exit status: 0 if every document is valid, 1 if any is invalid or malformed,\n"
	       "2 if the job could not be done (bad option, unreadable file, unknown contract,\n"
	       "broken schema).\n",
	       cli_program(), WR_JSON_DEFAULT_MAX_DEPTH);
}

/* Text */

static void print_text(const result *r)
{
	char where[4200];
	if (r->valid)
		return;
	if (r->line)
		snprintf(where, sizeof where, "%s:%lu", r->file, r->line);
	else
		snprintf(where, sizeof where, "%s", r->file);
	if (r->issues && r->issues->count) {
		for (size_t i = 0; i < r->issues->count; i++) {
			const wr_issue *it = &r->issues->items[i];
			printf("%s: %s%s%s: %s: %s\n", where, r->code, r->ref ? " " : "", r->ref ? r->ref : "",
			       it->path[0] ? it->path : "(root)", it->message);
		}
	} else {
		printf("%s: %s%s%s: %s\n", where, r->code, r->ref ? " " : "", r->ref ? r->ref : "",
		       r->message);
	}
}

/* GitHub workflow commands: data escapes %, CR, LF; properties also : and ,. */
static void github_escape(const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", stdout); break;
		case '\r': fputs("%0D", stdout); break;
		case '\n': fputs("%0A", stdout); break;
		case ':': fputs(property ? "%3A" : ":", stdout); break;
		case ',': fputs(property ? "%2C" : ",", stdout); break;
		default: putchar(*s);
		}
	}
}

static void github_line(const result *r, const char *path, const char *message)
{
	fputs("::error file=", stdout);
	github_escape(r->file, true);
	unsigned long line = r->line ? r->line : r->error_line;
	if (line)
		printf(",line=%lu", line);
	if (!r->line && r->error_column)
		printf(",col=%lu", r->error_column);
	fputs("::", stdout);
	github_escape(r->code, false);
	if (r->ref) {
		putchar(' ');
		github_escape(r->ref, false);
	}
	fputs(": ", stdout);
	if (path) {
		github_escape(path[0] ? path : "(root)", false);
		fputs(": ", stdout);
	}
	github_escape(message, false);
	putchar('\n');
}

static void print_github(const result *r)
{
	if (r->valid)
		return;
	if (r->issues && r->issues->count) {
		for (size_t i = 0; i < r->issues->count; i++)
			github_line(r, r->issues->items[i].path, r->issues->items[i].message);
	} else {
		github_line(r, NULL, r->message);
	}
}

/* JSON: one object per result. Returns -1 when out of memory. */
static int print_json(const result *r)
{
	json_object *o = json_object_new_object();
	if (!o)
		return -1;
	int rc = 0;
	rc |= json_object_object_add(o, "file", json_object_new_string(r->file));
	if (r->line)
		rc |= json_object_object_add(o, "line", json_object_new_int64((int64_t)r->line));
	rc |= json_object_object_add(o, "valid", json_object_new_boolean(r->valid));
	rc |= json_object_object_add(o, "contractRef", r->ref ? json_object_new_string(r->ref) : NULL);
	if (!r->valid) {
		json_object *e = json_object_new_object(), *list = json_object_new_array();
		rc |= json_object_object_add(o, "error", e);
		if (!e || !list) {
			json_object_put(list);
			json_object_put(o);
			return -1;
		}
		rc |= json_object_object_add(e, "code", json_object_new_string(r->code));
		char summary[256];
		if (r->issues && r->issues->count)
			snprintf(summary, sizeof summary, "%zu issue%s", r->issues->count,
			         r->issues->count == 1 ? "" : "s");
		rc |= json_object_object_add(e, "message",
		                             json_object_new_string(r->issues && r->issues->count ? summary
		                                                                                   : r->message));
		for (size_t i = 0; r->issues && i < r->issues->count; i++) {
			json_object *it = json_object_new_object();
			rc |= json_object_array_add(list, it);
			if (!it)
				break;
			rc |= json_object_object_add(it, "path", json_object_new_string(r->issues->items[i].path));
			rc |= json_object_object_add(it, "message",
			                             json_object_new_string(r->issues->items[i].message));
		}
		rc |= json_object_object_add(e, "issues", list);
	}
	if (rc == 0)
		rc = wr_record_write(stdout, o);
	json_object_put(o);
	return rc;
}

static void emit(checker *ck, const result *r)
{
	int status = r->valid ? EXIT_OK : EXIT_NEGATIVE;
	if (status > ck->status)
		ck->status = status;
	switch (ck->opt->format) {
	case FORMAT_TEXT:
		print_text(r);
		break;
	case FORMAT_GITHUB:
		print_github(r);
		break;
	case FORMAT_JSON:
		if (print_json(r) < 0) {
			cli_error("out of memory");
			ck->status = EXIT_USAGE;
		}
		break;
	}
}

static void emit_malformed(checker *ck, const char *file, unsigned long line,
                           const wr_json_error *err)
{
	char desc[600];
	wr_json_error within_line = *err;
	if (line)
		wr_json_error_in_line(&within_line); /* the NDJSON line is already named */
	result r = {.file = file, .line = line, .code = CODE_MALFORMED,
	            .message = cli_json_error(&within_line, desc, sizeof desc),
	            .ref = ck->contract ? ck->contract->ref : NULL,
	            .error_line = err->line, .error_column = err->column};
	emit(ck, &r);
}

/* Checking */

/* Validates without collecting issues first: most documents are valid, and paths and
 * messages cost more than the check. Only an invalid one is checked again, in full. */
static bool validate_twice(const wr_schema *schema, json_object *instance, wr_issues *issues)
{
	if (wr_schema_validate(schema, instance, NULL))
		return true;
	return wr_schema_validate(schema, instance, issues);
}

static void check_contract(checker *ck, const wr_contract *contract, json_object *doc,
                           const char *file, unsigned long line)
{
	wr_issues issues;
	char missing[256] = "";
	json_object *artifact;
	wr_issues_init(&issues);
	wr_contract_status st = wr_contract_check(contract, doc, ck->opt->optional, NULL, &artifact);
	if (st == WR_CONTRACT_INVALID)
		wr_schema_validate(contract->schema, artifact, &issues);
	if (st == WR_CONTRACT_MISSING)
		snprintf(missing, sizeof missing, "no artifact of kind %s", contract->kind);
	result r = {.file = file, .line = line, .valid = st == WR_CONTRACT_VALID,
	            .ref = contract->ref,
	            .code = st == WR_CONTRACT_VALID ? NULL : wr_contract_status_code(st),
	            .message = missing, .issues = &issues};
	emit(ck, &r);
	wr_issues_clear(&issues);
}

static void check_every_kind(checker *ck, json_object *doc, const char *file, unsigned long line)
{
	json_object *list = wr_artifact_list(doc);
	size_t checked = 0;
	if (!list) {
		cli_error("out of memory");
		ck->status = EXIT_USAGE;
		return;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *a = json_object_array_get_idx(list, i), *kind;
		const wr_contract *contract;
		if (!json_object_object_get_ex(a, "kind", &kind) || !json_object_is_type(kind, json_type_string) ||
		    !(contract = wr_contracts_by_kind(ck->contracts, json_object_get_string(kind))))
			continue;
		wr_issues issues;
		wr_issues_init(&issues);
		bool valid = validate_twice(contract->schema, a, &issues);
		result r = {.file = file, .line = line, .valid = valid, .ref = contract->ref,
		            .code = valid ? NULL : wr_contract_status_code(WR_CONTRACT_INVALID),
		            .issues = &issues};
		emit(ck, &r);
		wr_issues_clear(&issues);
		checked++;
	}
	json_object_put(list);
	if (checked == 0) {
		/* Nothing known was checked: a typo in a kind must not pass for valid. */
		result r = {.file = file, .line = line, .valid = ck->opt->optional,
		            .code = wr_contract_status_code(WR_CONTRACT_MISSING),
		            .message = "no artifact of a known kind (see --list-contracts)"};
		emit(ck, &r);
	}
}

static void check_document(checker *ck, json_object *doc, const char *file, unsigned long line)
{
	if (ck->contract) {
		check_contract(ck, ck->contract, doc, file, line);
	} else if (ck->schema) {
		wr_issues issues;
		wr_issues_init(&issues);
		bool valid = validate_twice(ck->schema, doc, &issues);
		result r = {.file = file, .line = line, .valid = valid,
		            .code = valid ? NULL : "INVALID_SCHEMA", .issues = &issues};
		emit(ck, &r);
		wr_issues_clear(&issues);
	} else {
		check_every_kind(ck, doc, file, line);
	}
}

static void check_ndjson(checker *ck, FILE *fp, const char *file)
{
	wr_line_reader *lines = wr_line_reader_new(fp, ck->opt->limits.max_bytes);
	const char *line;
	size_t len;
	int too_long, rc;

	if (!lines) {
		cli_error("out of memory");
		ck->status = EXIT_USAGE;
		return;
	}
	while ((rc = wr_line_reader_next(lines, &line, &len, &too_long)) == 1) {
		unsigned long n = wr_line_reader_lineno(lines);
		wr_json_error err;
		json_object *doc;
		if (too_long) {
			wr_line_too_long(&err, ck->opt->limits.max_bytes);
			emit_malformed(ck, file, n, &err);
			continue;
		}
		size_t start = 0;
		while (start < len && (line[start] == ' ' || line[start] == '\t'))
			start++;
		if (start == len)
			continue; /* blank lines separate nothing */
		if (wr_json_parse(line, len, &ck->opt->limits, &doc, &err) < 0) {
			emit_malformed(ck, file, n, &err);
			continue;
		}
		check_document(ck, doc, file, n);
		json_object_put(doc);
	}
	if (rc < 0) {
		cli_error("%s: read error: %s", file, strerror(errno));
		ck->status = EXIT_USAGE;
	}
	wr_line_reader_free(lines);
}

static void check_file(checker *ck, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		ck->status = EXIT_USAGE;
		return;
	}
	if (ck->opt->ndjson) {
		check_ndjson(ck, fp, path);
	} else {
		json_object *doc;
		wr_json_error err;
		if (wr_json_read(fp, &ck->opt->limits, &doc, &err) < 0) {
			if (err.status == WR_JSON_IO) {
				cli_error("%s: %s", path, err.message);
				ck->status = EXIT_USAGE;
			} else {
				emit_malformed(ck, path, 0, &err);
			}
		} else {
			check_document(ck, doc, path, 0);
			json_object_put(doc);
		}
	}
	if (!is_stdin)
		fclose(fp);
}

static int list_contracts(const wr_contracts *contracts, enum format format)
{
	for (size_t i = 0; i < wr_contracts_count(contracts); i++) {
		const wr_contract *c = wr_contracts_at(contracts, i);
		if (format == FORMAT_JSON) {
			json_object *o = json_object_new_object();
			if (!o || json_object_object_add(o, "contractRef", json_object_new_string(c->ref)) ||
			    json_object_object_add(o, "kind", json_object_new_string(c->kind)) ||
			    json_object_object_add(o, "file", json_object_new_string(c->file)) ||
			    wr_record_write(stdout, o) < 0) {
				json_object_put(o);
				cli_error("cannot write the list");
				return EXIT_USAGE;
			}
			json_object_put(o);
		} else {
			printf("%s\t%s\t%s\n", c->ref, c->kind, c->file);
		}
	}
	return EXIT_OK;
}

static int map_ref_dir(wr_registry *reg, const char *arg)
{
	const char *eq = strchr(arg, '=');
	wr_error err;
	if (!eq || eq == arg || !eq[1])
		return cli_usage_error("invalid --ref-dir '%s': expected URI=DIR", arg);
	char *uri = strndup(arg, (size_t)(eq - arg));
	if (!uri || wr_registry_map_dir(reg, uri, eq + 1, &err) < 0) {
		free(uri);
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	free(uri);
	return 0;
}

static const wr_schema *load_schema(wr_registry *reg, const char *path, const options *opt)
{
	json_object *doc;
	wr_json_error jerr;
	wr_error err;
	char desc[600];

	if (wr_json_read_path(path, &opt->limits, &doc, &jerr) < 0) {
		cli_error("%s: %s", path, cli_json_error(&jerr, desc, sizeof desc));
		return NULL;
	}
	char *abs = realpath(path, NULL);
	char *uri = abs ? malloc(strlen(abs) + 8) : NULL;
	if (uri)
		sprintf(uri, "file://%s", abs);
	const wr_schema *schema = wr_registry_compile(reg, doc, uri, &err);
	if (!schema)
		cli_error("%s: %s", path, err.message);
	free(abs);
	free(uri);
	json_object_put(doc);
	return schema;
}

enum { OPT_OPTIONAL = 256, OPT_NDJSON, OPT_REF_DIR, OPT_SCHEMA_DIR, OPT_LIST, OPT_MAX_BYTES,
       OPT_MAX_DEPTH, OPT_WORKRAIL };

static const struct option long_options[] = {
	{"contract", required_argument, NULL, 'c'},
	{"schema", required_argument, NULL, 's'},
	{"optional", no_argument, NULL, OPT_OPTIONAL},
	{"ndjson", no_argument, NULL, OPT_NDJSON},
	{"format", required_argument, NULL, 'f'},
	{"ref-dir", required_argument, NULL, OPT_REF_DIR},
	{"schema-dir", required_argument, NULL, OPT_SCHEMA_DIR},
	{"list-contracts", no_argument, NULL, OPT_LIST},
	{"workrail", required_argument, NULL, OPT_WORKRAIL},
	{"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	options opt = {.format = FORMAT_TEXT, .limits = wr_json_default_limits()};
	int c, status = EXIT_USAGE;
	wr_contracts *contracts = NULL;
	wr_error err;

	cli_set_program(argv[0]);
	wr_registry *reg = wr_registry_new(&opt.limits);
	if (!reg) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	while ((c = getopt_long(argc, argv, "c:s:f:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'c': opt.contract_ref = optarg; break;
		case 's': opt.schema_path = optarg; break;
		case OPT_OPTIONAL: opt.optional = true; break;
		case OPT_NDJSON: opt.ndjson = true; break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				opt.format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				opt.format = FORMAT_JSON;
			else if (strcmp(optarg, "github") == 0)
				opt.format = FORMAT_GITHUB;
			else {
				cli_usage_error("invalid --format '%s': expected text, json or github", optarg);
				goto out;
			}
			break;
		case OPT_REF_DIR:
			if (map_ref_dir(reg, optarg) != 0)
				goto out;
			break;
		case OPT_SCHEMA_DIR: opt.schema_dir = optarg; break;
		case OPT_LIST: opt.list_contracts = true; break;
		case OPT_WORKRAIL: opt.workrail = optarg; break;
		case OPT_MAX_BYTES:
			if (cli_set_max_bytes(&opt.limits, optarg) < 0)
				goto out;
			break;
		case OPT_MAX_DEPTH:
			if (cli_set_max_depth(&opt.limits, optarg) < 0)
				goto out;
			break;
		case 'h':
			usage();
			status = EXIT_OK;
			goto out;
		case 'V':
			cli_print_version();
			status = EXIT_OK;
			goto out;
		default:
			cli_usage_error("unknown option");
			goto out;
		}
	}
	if (opt.contract_ref && opt.schema_path) {
		cli_usage_error("-c and -s exclude each other");
		goto out;
	}

	const char *release = cli_workrail_release(opt.workrail); /* exits if unknown */
	checker ck = {.opt = &opt};
	if (!opt.schema_path || opt.list_contracts) {
		if (!(contracts = opt.schema_dir ? wr_contracts_load(reg, opt.schema_dir, &err)
		                                 : wr_contracts_load_release(reg, release, &err))) {
			cli_error("cannot load the contracts: %s", err.message);
			goto out;
		}
		ck.contracts = contracts;
	}
	if (opt.list_contracts) {
		status = list_contracts(contracts, opt.format);
		goto out;
	}
	if (opt.contract_ref && !(ck.contract = wr_contracts_by_ref(contracts, opt.contract_ref))) {
		cli_error("UNKNOWN_CONTRACT_REF: no contract is %s (see --list-contracts)",
		          opt.contract_ref);
		goto out;
	}
	if (opt.schema_path && !(ck.schema = load_schema(reg, opt.schema_path, &opt)))
		goto out;

	if (optind == argc) {
		check_file(&ck, "-");
	} else {
		for (int i = optind; i < argc; i++)
			check_file(&ck, argv[i]);
	}
	status = ck.status;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("write error: %s", strerror(errno));
		status = EXIT_USAGE;
	}
out:
	wr_contracts_free(contracts);
	wr_registry_free(reg);
	return status;
}
