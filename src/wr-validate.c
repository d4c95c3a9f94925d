/* SPDX-License-Identifier: MIT */
/* wr-validate: check artifacts against their contracts, or documents against a schema. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>

#include "cli.h"
#include "wrkit/contracts.h"
#include "wrkit/json_input.h"
#include "wrkit/ndjson.h"
#include "wrkit/schema.h"
#include "wrkit/yaml_input.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB };

#define CODE_MALFORMED "MALFORMED_DOCUMENT"
#define CODE_INVALID_DOCUMENT "INVALID_DOCUMENT"
#define MAX_WALK_DEPTH 64

typedef struct options {
	const char *contract_ref;
	const char *schema_path;
	const char **schema_dirs;
	size_t schema_dir_count;
	bool optional, ndjson, list_contracts, yaml, format_assert, recursive;
	int verbosity; /* -1 quiet, 0, 1 verbose */
	const char *workrail; /* --workrail VERSION */
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
	unsigned long documents, valid, invalid, unchecked;
	struct jbuf *out, *artifacts; /* -f json: the line being built, reused */
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
	const char *prefix;  /* JSON Pointer of the artifact in the document ("" or NULL: root) */
	long index;          /* the artifact's list index, -1 when none */
	unsigned long error_line, error_column; /* position of a malformed document */
} result;

/* Escaping: one problem is one line, whatever file names and data hold. */

static void put_escaped(const char *s)
{
	for (;;) {
		/* the plain span, written at once */
		const char *p = s;
		while ((unsigned char)*p >= 0x20 && *p != 0x7f)
			p++;
		if (p > s)
			fwrite(s, 1, (size_t)(p - s), stdout);
		s = p;
		if (!*s)
			return;
		unsigned char c = (unsigned char)*s++;
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else
			printf("\\u%04x", c);
	}
}

/* prefix + path, a new string (NULL when out of memory). */
static char *join_path(const char *prefix, const char *path)
{
	size_t a = prefix ? strlen(prefix) : 0, b = strlen(path);
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, prefix ? prefix : "", a);
		memcpy(s + a, path, b + 1);
	}
	return s;
}

/* Writes the issue's path into the document, "(root)" for the document itself. */
static void put_issue_path(const result *r, const char *path, void (*put)(const char *))
{
	const char *prefix = r->prefix ? r->prefix : "";
	if (!prefix[0] && !path[0]) {
		put("(root)");
		return;
	}
	put(prefix);
	put(path);
}

/* Text */

static void text_head(const result *r)
{
	put_escaped(r->file);
	if (r->line)
		printf(":%lu", r->line);
	printf(": %s", r->code);
	if (r->ref) {
		putchar(' ');
		put_escaped(r->ref);
	}
	fputs(": ", stdout);
}

static void print_text(const result *r)
{
	if (r->valid)
		return;
	if (r->issues && r->issues->count) {
		for (size_t i = 0; i < r->issues->count; i++) {
			const wr_issue *it = &r->issues->items[i];
			text_head(r);
			put_issue_path(r, it->path, put_escaped);
			fputs(": ", stdout);
			put_escaped(it->message);
			putchar('\n');
		}
	} else {
		text_head(r);
		put_escaped(r->message);
		putchar('\n');
	}
}

/* GitHub workflow commands: %, and in properties : and , are percent-encoded; control
 * characters are escaped as in the text format. */
static void github_escape(const char *s, bool property);

static void github_data(const char *s)
{
	github_escape(s, false);
}

static void github_escape(const char *s, bool property)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '%': fputs("%25", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case ':': fputs(property ? "%3A" : ":", stdout); break;
		case ',': fputs(property ? "%2C" : ",", stdout); break;
		default:
			if (c < 0x20 || c == 0x7f)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
}

static void github_line(const result *r, const char *path, const char *message)
{
	bool is_stdin = strcmp(r->file, "-") == 0;
	fputs("::error", stdout);
	if (!is_stdin) {
		fputs(" file=", stdout);
		github_escape(r->file, true);
	}
	unsigned long line = r->line ? r->line : r->error_line;
	if (line)
		printf("%sline=%lu", is_stdin ? " " : ",", line);
	if (!r->line && r->error_column && line)
		printf(",col=%lu", r->error_column);
	fputs("::", stdout);
	if (is_stdin) {
		fputs("(stdin): ", stdout);
	}
	github_escape(r->code, false);
	if (r->ref) {
		putchar(' ');
		github_escape(r->ref, false);
	}
	fputs(": ", stdout);
	if (path) {
		put_issue_path(r, path, github_data);
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

/* JSON: each result is written straight into a reusable buffer, in the bytes json-c
 * would print (JSON_C_TO_STRING_PLAIN | NOSLASHESCAPE), without building objects. */
typedef struct jbuf {
	char *p;
	size_t len, cap;
	bool failed; /* out of memory: the line is lost */
} jbuf;

static bool jb_reserve(jbuf *b, size_t n)
{
	if (b->failed)
		return false;
	if (b->cap - b->len >= n)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void jb_raw(jbuf *b, const char *s, size_t n)
{
	if (jb_reserve(b, n)) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

#define JB_LIT(b, lit) jb_raw((b), (lit), sizeof(lit) - 1)

static void jb_ulong(jbuf *b, unsigned long v)
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	do
		*--q = (char)('0' + v % 10);
	while (v /= 10);
	jb_raw(b, q, (size_t)(e - q));
}

/* s (or prefix + s) as a JSON string. */
static void jb_str2(jbuf *b, const char *prefix, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	JB_LIT(b, "\"");
	for (int part = 0; part < 2; part++) {
		const char *t = part == 0 ? prefix : s;
		if (!t)
			continue;
		for (;;) {
			const char *q = t;
			/* json-c escapes controls, '"' and '\\' only */
			while ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\')
				q++;
			if (q > t)
				jb_raw(b, t, (size_t)(q - t));
			t = q;
			if (!*t)
				break;
			unsigned char c = (unsigned char)*t++;
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			switch (c) {
			case '"': JB_LIT(b, "\\\""); break;
			case '\\': JB_LIT(b, "\\\\"); break;
			case '\b': JB_LIT(b, "\\b"); break;
			case '\f': JB_LIT(b, "\\f"); break;
			case '\n': JB_LIT(b, "\\n"); break;
			case '\r': JB_LIT(b, "\\r"); break;
			case '\t': JB_LIT(b, "\\t"); break;
			default: jb_raw(b, esc, sizeof esc);
			}
		}
	}
	JB_LIT(b, "\"");
}

static void jb_str(jbuf *b, const char *s)
{
	jb_str2(b, NULL, s);
}

/* One result object, without its closing brace (a document may add "artifacts"). */
static void result_json_open(jbuf *b, const result *r, bool with_file)
{
	JB_LIT(b, "{");
	if (with_file) {
		JB_LIT(b, "\"file\":");
		jb_str(b, r->file);
		if (r->line) {
			JB_LIT(b, ",\"line\":");
			jb_ulong(b, r->line);
		}
		JB_LIT(b, ",");
	}
	if (r->index >= 0) {
		JB_LIT(b, "\"index\":");
		jb_ulong(b, (unsigned long)r->index);
		JB_LIT(b, ",");
	}
	if (r->valid)
		JB_LIT(b, "\"valid\":true,\"contractRef\":");
	else
		JB_LIT(b, "\"valid\":false,\"contractRef\":");
	if (r->ref)
		jb_str(b, r->ref);
	else
		JB_LIT(b, "null");
	if (r->valid)
		return;
	JB_LIT(b, ",\"error\":{\"code\":");
	jb_str(b, r->code);
	JB_LIT(b, ",\"message\":");
	if (r->issues && r->issues->count) {
		JB_LIT(b, "\"");
		jb_ulong(b, (unsigned long)r->issues->count);
		if (r->issues->count == 1)
			JB_LIT(b, " issue\"");
		else
			JB_LIT(b, " issues\"");
	} else {
		jb_str(b, r->message);
	}
	JB_LIT(b, ",\"issues\":[");
	for (size_t i = 0; r->issues && i < r->issues->count; i++) {
		if (i)
			JB_LIT(b, ",");
		JB_LIT(b, "{\"path\":");
		jb_str2(b, r->prefix, r->issues->items[i].path);
		JB_LIT(b, ",\"message\":");
		jb_str(b, r->issues->items[i].message);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "]}");
}

static void out_of_memory(checker *ck)
{
	cli_error("out of memory");
	ck->status = EXIT_USAGE;
}

/* Writes the line in ck->out (its last '}' still to come) and empties the buffer. */
static void write_json(checker *ck)
{
	jbuf *b = ck->out;
	JB_LIT(b, "}\n");
	if (b->failed)
		out_of_memory(ck);
	else
		fwrite(b->p, 1, b->len, stdout);
	b->len = 0;
	b->failed = false;
}

static void print_valid(const result *r)
{
	put_escaped(r->file);
	if (r->line)
		printf(":%lu", r->line);
	fputs(": valid\n", stdout);
}

/* Counts a document's verdict. */
static void count(checker *ck, bool valid)
{
	ck->documents++;
	if (valid) {
		ck->valid++;
	} else {
		ck->invalid++;
		if (ck->status < EXIT_NEGATIVE)
			ck->status = EXIT_NEGATIVE;
	}
}

/* Prints one result (text, github) or one document object (json). */
static void emit(checker *ck, const result *r)
{
	switch (ck->opt->format) {
	case FORMAT_TEXT:
		print_text(r);
		break;
	case FORMAT_GITHUB:
		print_github(r);
		break;
	case FORMAT_JSON:
		result_json_open(ck->out, r, true);
		write_json(ck);
		break;
	}
}

/* A whole document's result: counted, printed. */
static void emit_document(checker *ck, const result *r)
{
	count(ck, r->valid);
	emit(ck, r);
	if (r->valid && ck->opt->verbosity > 0 && ck->opt->format == FORMAT_TEXT)
		print_valid(r);
}

static void emit_malformed(checker *ck, const char *file, unsigned long line,
                           const wr_json_error *err)
{
	char desc[600];
	if (err->status == WR_JSON_NOMEM) {
		out_of_memory(ck); /* not the document's fault: no verdict */
		return;
	}
	wr_json_error within_line = *err;
	if (line)
		wr_json_error_in_line(&within_line); /* the NDJSON line is already named */
	result r = {.file = file, .line = line, .code = CODE_MALFORMED,
	            .message = cli_json_error(&within_line, desc, sizeof desc),
	            .ref = ck->contract ? ck->contract->ref : NULL, .index = -1,
	            .error_line = err->line, .error_column = err->column};
	if (ck->opt->format == FORMAT_JSON && !ck->contract && !ck->schema) {
		/* the same shape as a checked document: an artifacts array, empty */
		count(ck, false);
		result_json_open(ck->out, &r, true);
		JB_LIT(ck->out, ",\"artifacts\":[]");
		write_json(ck);
		return;
	}
	emit_document(ck, &r);
}

/* A limit hit while validating (err names it): no verdict, exit 2. */
static void limit_hit(checker *ck, const char *file, unsigned long line, const wr_error *err)
{
	char where[64] = "";
	if (line)
		snprintf(where, sizeof where, ":%lu", line);
	cli_error("%s%s: not checked: %s", file, where,
	          err->message[0] ? err->message : "validation could not finish");
	ck->unchecked++;
	ck->status = EXIT_USAGE;
}

/* The array that is doc's artifact list, or NULL when doc is the one artifact. */
static json_object *artifact_source(json_object *doc, const char **base)
{
	json_object *a;
	*base = "";
	if (json_object_is_type(doc, json_type_array))
		return doc;
	if (json_object_is_type(doc, json_type_object) && json_object_object_get_ex(doc, "artifacts", &a) &&
	    json_object_is_type(a, json_type_array)) {
		*base = "/artifacts";
		return a;
	}
	return NULL;
}

/* The JSON Pointer of the artifact at list index i (its content when it is wrapped). */
static void artifact_pointer(json_object *doc, size_t i, json_object *artifact, char *buf, size_t size)
{
	const char *base;
	json_object *src = artifact_source(doc, &base);
	json_object *given = src ? json_object_array_get_idx(src, i) : doc;
	const char *content = given != artifact ? "/content" : "";
	if (src)
		snprintf(buf, size, "%s/%zu%s", base, i, content);
	else
		snprintf(buf, size, "%s", content);
}

/* The list index of artifact in doc. */
static size_t artifact_index(json_object *doc, json_object *artifact)
{
	const char *base;
	json_object *src = artifact_source(doc, &base);
	for (size_t i = 0; src && i < json_object_array_length(src); i++) {
		json_object *e = json_object_array_get_idx(src, i);
		if (e == artifact || wr_artifact_unwrap(e) == artifact)
			return i;
	}
	return 0;
}

/* Checking */

static void check_contract(checker *ck, const wr_contract *contract, json_object *doc,
                           const char *file, unsigned long line)
{
	wr_issues issues;
	char missing[256] = "", prefix[64] = "";
	json_object *artifact;
	wr_error err = {0};
	wr_issues_init(&issues);
	wr_contract_status st = wr_contract_check(contract, doc, ck->opt->optional, &issues, &artifact, &err);
	if (st == WR_CONTRACT_INVALID)
		artifact_pointer(doc, artifact_index(doc, artifact), artifact, prefix, sizeof prefix);
	if (st == WR_CONTRACT_UNFINISHED) {
		limit_hit(ck, file, line, &err);
		wr_issues_clear(&issues);
		return;
	}
	if (st == WR_CONTRACT_MISSING)
		snprintf(missing, sizeof missing, "no artifact of kind %s", contract->kind);
	result r = {.file = file, .line = line, .valid = st == WR_CONTRACT_VALID,
	            .ref = contract->ref,
	            .code = st == WR_CONTRACT_VALID ? NULL : wr_contract_status_code(st),
	            .message = missing, .issues = &issues, .prefix = prefix, .index = -1};
	emit_document(ck, &r);
	wr_issues_clear(&issues);
}

static void check_every_kind(checker *ck, json_object *doc, const char *file, unsigned long line)
{
	/* the artifact list (wr_artifact_list), walked in place */
	const char *base;
	json_object *source = artifact_source(doc, &base);
	size_t n = source ? json_object_array_length(source) : 1;
	jbuf *artifacts = ck->opt->format == FORMAT_JSON ? ck->artifacts : NULL;
	size_t checked = 0;
	bool all_valid = true, limited = false;
	wr_issues all; /* json: every artifact's issues, with their paths into the document */
	wr_issues_init(&all);
	for (size_t i = 0; i < n && !limited; i++) {
		json_object *a = wr_artifact_unwrap(source ? json_object_array_get_idx(source, i) : doc), *kind;
		const wr_contract *contract;
		if (!json_object_object_get_ex(a, "kind", &kind) || !json_object_is_type(kind, json_type_string) ||
		    !(contract = wr_contracts_by_kind(ck->contracts, json_object_get_string(kind))) ||
		    (size_t)json_object_get_string_len(kind) != strlen(contract->kind))
			continue; /* a kind holding a NUL is another kind */
		wr_issues issues;
		wr_error err = {0};
		char prefix[64] = "";
		wr_issues_init(&issues);
		wr_validity v = wr_schema_check(contract->schema, a, &issues, &err);
		bool valid = v == WR_VALID;
		if (v == WR_UNFINISHED) {
			limit_hit(ck, file, line, &err);
			limited = true;
		} else {
			if (!valid)
				artifact_pointer(doc, i, a, prefix, sizeof prefix);
			result r = {.file = file, .line = line, .valid = valid, .ref = contract->ref,
			            .code = valid ? NULL : wr_contract_status_code(WR_CONTRACT_INVALID),
			            .issues = &issues, .prefix = prefix, .index = (long)i};
			all_valid &= valid;
			if (artifacts) {
				for (size_t k = 0; k < issues.count; k++) {
					char *path = join_path(prefix, issues.items[k].path);
					if (!path || wr_issues_add(&all, path, issues.items[k].message) < 0)
						out_of_memory(ck);
					free(path);
				}
				if (artifacts->len)
					JB_LIT(artifacts, ",");
				result_json_open(artifacts, &r, false);
				JB_LIT(artifacts, "}");
			} else {
				emit(ck, &r);
			}
		}
		wr_issues_clear(&issues);
		checked++;
	}
	if (limited) {
		if (artifacts) {
			artifacts->len = 0;
			artifacts->failed = false;
		}
		wr_issues_clear(&all);
		return;
	}
	result r = {.file = file, .line = line, .valid = all_valid, .index = -1, .issues = &all,
	            .code = all_valid ? NULL : wr_contract_status_code(WR_CONTRACT_INVALID)};
	if (checked == 0) {
		/* Nothing known was checked: a typo in a kind must not pass for valid. */
		r.valid = ck->opt->optional;
		r.code = wr_contract_status_code(WR_CONTRACT_MISSING);
		r.message = "no artifact of a known kind (see --list-contracts)";
	}
	count(ck, r.valid);
	if (artifacts) {
		result_json_open(ck->out, &r, true);
		JB_LIT(ck->out, ",\"artifacts\":[");
		if (artifacts->failed)
			ck->out->failed = true;
		else
			jb_raw(ck->out, artifacts->p, artifacts->len);
		JB_LIT(ck->out, "]");
		artifacts->len = 0;
		artifacts->failed = false;
		write_json(ck);
	} else {
		if (checked == 0)
			emit(ck, &r);
		if (r.valid && ck->opt->verbosity > 0 && ck->opt->format == FORMAT_TEXT)
			print_valid(&r);
	}
	wr_issues_clear(&all);
}

static void check_document(checker *ck, json_object *doc, const char *file, unsigned long line)
{
	if (ck->contract) {
		check_contract(ck, ck->contract, doc, file, line);
	} else if (ck->schema) {
		wr_issues issues;
		wr_error err = {0};
		wr_issues_init(&issues);
		wr_validity v = wr_schema_check(ck->schema, doc, &issues, &err);
		bool valid = v == WR_VALID;
		if (v == WR_UNFINISHED) {
			limit_hit(ck, file, line, &err);
		} else {
			result r = {.file = file, .line = line, .valid = valid, .index = -1,
			            .code = valid ? NULL : CODE_INVALID_DOCUMENT, .issues = &issues};
			emit_document(ck, &r);
		}
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

/* Reads one whole document, JSON or YAML. */
static int read_document(FILE *fp, bool yaml, const wr_json_limits *limits, json_object **doc,
                         wr_json_error *err)
{
	return yaml ? wr_yaml_read(fp, limits, doc, err) : wr_json_read(fp, limits, doc, err);
}

static void check_file(checker *ck, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	struct stat st;
	if (!fp) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		ck->status = EXIT_USAGE;
		return;
	}
	if (!is_stdin && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		cli_error("%s: is a directory (-r walks it)", path);
		ck->status = EXIT_USAGE;
		fclose(fp);
		return;
	}
	if (ck->opt->ndjson) {
		check_ndjson(ck, fp, path);
	} else {
		json_object *doc;
		wr_json_error err;
		bool yaml = ck->opt->yaml || (!is_stdin && wr_yaml_file_name(path));
		if (read_document(fp, yaml, &ck->opt->limits, &doc, &err) < 0) {
			if (err.status == WR_JSON_IO) {
				cli_error("%s: %s", path, err.message);
				ck->status = EXIT_USAGE;
			} else if (err.status == WR_JSON_NOMEM) {
				out_of_memory(ck);
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

static bool walked_name(const char *name)
{
	size_t n = strlen(name);
	return wr_yaml_file_name(name) || (n > 5 && strcasecmp(name + n - 5, ".json") == 0);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* -r: the files of dir named *.json, *.yaml, *.yml (any case), in name order, and its
 * subdirectories; symbolic links to files are followed, to directories reported. */
static void walk(checker *ck, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL;
	size_t n = 0;
	if (!d) {
		cli_error("%s: cannot open directory: %s", dir, strerror(errno));
		ck->status = EXIT_USAGE;
		return;
	}
	while ((ent = readdir(d))) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn || !(nn[n] = strdup(ent->d_name))) {
			names = nn ? nn : names;
			out_of_memory(ck);
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);
		struct stat st, target;
		if (!path) {
			out_of_memory(ck);
			break;
		}
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (lstat(path, &st) < 0) {
			cli_error("%s: %s", path, strerror(errno));
			ck->status = EXIT_USAGE;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= MAX_WALK_DEPTH) {
				cli_error("%s: not walked: deeper than %d directories", path, MAX_WALK_DEPTH);
				ck->status = EXIT_USAGE;
			} else {
				walk(ck, path, depth + 1);
			}
		} else if (S_ISLNK(st.st_mode) && stat(path, &target) == 0 && S_ISDIR(target.st_mode)) {
			cli_error("%s: symbolic link to a directory, not walked", path);
		} else if (walked_name(names[i]) && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
			check_file(ck, path);
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void check_argument(checker *ck, const char *path)
{
	struct stat st;
	if (ck->opt->recursive && strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		walk(ck, path, 0);
	else
		check_file(ck, path);
}

static void print_summary(const checker *ck)
{
	char line[256];
	int n = snprintf(line, sizeof line, "%s: %lu document%s: %lu valid, %lu invalid", cli_program(),
	                 ck->documents, ck->documents == 1 ? "" : "s", ck->valid, ck->invalid);
	if (ck->unchecked && n > 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ", %lu not checked", ck->unchecked);
	if (ck->opt->format == FORMAT_GITHUB)
		printf("::notice::%s\n", line);
	else
		fprintf(stderr, "%s\n", line);
}

static int list_contracts(const wr_contracts *contracts, enum format format)
{
	for (size_t i = 0; i < wr_contracts_count(contracts); i++) {
		const wr_contract *c = wr_contracts_at(contracts, i);
		if (format == FORMAT_JSON) {
			json_object *o = json_object_new_object();
			if (!o || cli_add_string(o, "contractRef", c->ref) ||
			    cli_add_string(o, "kind", c->kind) || cli_add_string(o, "file", c->file) ||
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

/* Maps file://DIR/ to DIR, DIR the real path of dir: relative $refs in the schemas
 * there reach the files of that tree, and nothing outside it. */
static int map_own_dir(wr_registry *reg, const char *dir, wr_error *err)
{
	char *abs = realpath(dir, NULL);
	if (!abs)
		return wr_error_set(err, "%s: cannot open schema directory: %s", dir, strerror(errno));
	size_t n = strlen(abs) + 16;
	char *uri = malloc(n);
	int rc = -1;
	if (uri) {
		snprintf(uri, n, "file://%s%s", abs, abs[strlen(abs) - 1] == '/' ? "" : "/");
		rc = wr_registry_map_dir(reg, uri, abs, err);
	} else {
		wr_error_set(err, "out of memory");
	}
	free(uri);
	free(abs);
	return rc;
}

static const wr_schema *load_schema(wr_registry *reg, const char *path, const options *opt)
{
	json_object *doc = NULL;
	wr_json_error jerr;
	wr_error err;
	char desc[600];
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (!fp) {
		cli_error("SCHEMA_ERROR: %s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	int rc = read_document(fp, wr_yaml_file_name(path), &opt->limits, &doc, &jerr);
	if (fp != stdin)
		fclose(fp);
	if (rc < 0) {
		cli_error("SCHEMA_ERROR: %s: %s", path, cli_json_error(&jerr, desc, sizeof desc));
		return NULL;
	}
	char *abs = realpath(path, NULL);
	char *uri = abs ? malloc(strlen(abs) + 8) : NULL;
	const wr_schema *schema = NULL;
	if (uri)
		sprintf(uri, "file://%s", abs);
	if (abs) {
		char *slash = strrchr(abs, '/');
		if (slash)
			slash[1] = '\0';
	}
	if (abs && map_own_dir(reg, abs, &err) < 0)
		cli_error("SCHEMA_ERROR: %s: %s", path, err.message);
	else if (!(schema = wr_registry_compile(reg, doc, uri, &err)))
		cli_error("SCHEMA_ERROR: %s: %s", path, err.message);
	free(abs);
	free(uri);
	json_object_put(doc);
	return schema;
}

enum { OPT_OPTIONAL = 256, OPT_NDJSON, OPT_REF_DIR, OPT_SCHEMA_DIR, OPT_LIST, OPT_YAML,
       OPT_FORMAT_ASSERT, OPT_WORKRAIL };

static const cli_option option_table[] = {
	{"contract", 'c', "REF", "validate the first artifact of REF's kind in each document "
	 "(without -c or -s: every artifact of a known kind)", 'c'},
	{"schema", 's', "FILE", "validate each whole document against a JSON Schema file; its "
	 "relative $refs resolve to files in its directory tree", 's'},
	{"optional", 0, NULL, "a document without the contract's artifact is valid", OPT_OPTIONAL},
	{"ndjson", 0, NULL, "each input line is one document", OPT_NDJSON},
	{"yaml", 0, NULL, "read documents as YAML (automatic for .yaml and .yml)", OPT_YAML},
	{"format-assert", 0, NULL, "check \"format\" (date-time, date, time, duration, email, "
	 "hostname, ipv4, ipv6, uri, uri-reference, iri, uuid, regex, json-pointer, "
	 "relative-json-pointer); without it \"format\" is only an annotation, as draft "
	 "2020-12 says", OPT_FORMAT_ASSERT},
	{"recursive", 'r', NULL, "walk DIR arguments for *.json, *.yaml and *.yml files", 'r'},
	{"format", 'f', "FORMAT", "text (default), json, or github (workflow commands)", 'f'},
	{"quiet", 'q', NULL, "no summary line", 'q'},
	{"verbose", 'v', NULL, "also a 'FILE: valid' line per valid document", 'v'},
	{"ref-dir", 0, "URI=DIR", "resolve $refs to URIs starting with URI from files in DIR",
	 OPT_REF_DIR},
	{"schema-dir", 0, "DIR", "add the contracts in DIR to the set in force (repeatable)",
	 OPT_SCHEMA_DIR},
	{"workrail", 0, "VERSION", "the contract set of that WorkRail release (3.40, 3.121, ...; "
	 "default: $WRKIT_WORKRAIL, else the newest)", OPT_WORKRAIL},
	{"list-contracts", 0, NULL, "list the contracts in force (reference, kind, file)", OPT_LIST},
	CLI_OPTION_MAX_BYTES("refuse documents (or lines) larger than SIZE"),
	CLI_OPTION_MAX_DEPTH("refuse documents nested deeper than N"),
};

/* What the options change: the options, and the registry --ref-dir maps into. */
typedef struct parse_ctx {
	options *opt;
	wr_registry *reg;
} parse_ctx;

static int handle_option(void *ctx, int id, const char *arg)
{
	options *opt = ((parse_ctx *)ctx)->opt;
	switch (id) {
	case 'c': opt->contract_ref = arg; break;
	case 's': opt->schema_path = arg; break;
	case OPT_OPTIONAL: opt->optional = true; break;
	case OPT_NDJSON: opt->ndjson = true; break;
	case OPT_YAML: opt->yaml = true; break;
	case OPT_FORMAT_ASSERT: opt->format_assert = true; break;
	case 'r': opt->recursive = true; break;
	case 'q': opt->verbosity = -1; break;
	case 'v': opt->verbosity = 1; break;
	case 'f':
		if (strcmp(arg, "text") == 0)
			opt->format = FORMAT_TEXT;
		else if (strcmp(arg, "json") == 0)
			opt->format = FORMAT_JSON;
		else if (strcmp(arg, "github") == 0)
			opt->format = FORMAT_GITHUB;
		else
			return cli_usage_error("invalid --format '%s': expected text, json or github", arg);
		break;
	case OPT_REF_DIR: return map_ref_dir(((parse_ctx *)ctx)->reg, arg);
	case OPT_SCHEMA_DIR: opt->schema_dirs[opt->schema_dir_count++] = arg; break;
	case OPT_LIST: opt->list_contracts = true; break;
	case OPT_WORKRAIL: opt->workrail = arg; break;
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "[OPTION]... [FILE|DIR]...",
	.description =
		"Validate WorkRail artifacts against their contracts, or documents against a\n"
		"JSON Schema (draft 2020-12). Documents and schemas may be JSON or YAML. With no\n"
		"FILE, or when FILE is -, read standard input.\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"A summary goes to standard error (with -f github, a ::notice:: on standard\n"
		"output): 'wr-validate: N documents: V valid, I invalid'.\n"
		"Exit status: 0 if every document is valid, 1 if any is invalid or malformed,\n"
		"2 if the job could not be done (bad option, unreadable file, unknown contract,\n"
		"broken schema: SCHEMA_ERROR, a resource limit hit while validating).\n",
	.handle = handle_option,
};

/* cli_each_file's callback: never stops, each file's problems are its own. */
static int check_operand(void *ck, const char *path)
{
	check_argument(ck, path);
	return 0;
}

int main(int argc, char **argv)
{
	options opt = {.format = FORMAT_TEXT, .limits = wr_json_default_limits()};
	int status = EXIT_USAGE;
	wr_contracts *contracts = NULL;
	wr_error err;
	jbuf out = {0}, artifacts = {0}; /* -f json lines */

	cli_set_program(argv[0]);
	wr_registry *reg = wr_registry_new(&opt.limits);
	opt.schema_dirs = calloc((size_t)argc + 1, sizeof *opt.schema_dirs);
	if (!reg || !opt.schema_dirs) {
		cli_error("out of memory");
		wr_registry_free(reg);
		free(opt.schema_dirs);
		return EXIT_USAGE;
	}
	parse_ctx pc = {&opt, reg};
	int first;
	if ((status = cli_parse(&program, &pc, &opt.limits, argc, argv, &first)) != CLI_RUN)
		goto out;
	status = EXIT_USAGE;
	if (opt.contract_ref && opt.schema_path) {
		cli_usage_error("-c and -s exclude each other");
		goto out;
	}
	wr_registry_set_format_assert(reg, opt.format_assert);

	const char *release = cli_workrail_release(opt.workrail); /* exits if unknown */
	checker ck = {.opt = &opt, .out = &out, .artifacts = &artifacts};
	if (!opt.schema_path || opt.list_contracts) {
		if (!(contracts = wr_contracts_load_release(reg, release, &err))) {
			cli_error("cannot load the contracts: %s", err.message);
			goto out;
		}
		for (size_t i = 0; i < opt.schema_dir_count; i++) {
			if (map_own_dir(reg, opt.schema_dirs[i], &err) < 0 ||
			    wr_contracts_add_dir(contracts, reg, opt.schema_dirs[i], &err) < 0) {
				cli_error("cannot load the contracts: %s", err.message);
				goto out;
			}
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

	cli_each_file(argc, argv, first, check_operand, &ck);
	status = ck.status;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("write error: %s", strerror(errno));
		status = EXIT_USAGE;
	}
	if (opt.verbosity >= 0) {
		print_summary(&ck);
		if (fflush(stdout) != 0 || ferror(stdout))
			status = EXIT_USAGE;
	}
out:
	free(out.p);
	free(artifacts.p);
	wr_contracts_free(contracts);
	wr_registry_free(reg);
	free(opt.schema_dirs);
	return status;
}
