/* SPDX-License-Identifier: MIT */
/* A strict RFC 8259 parser that builds json-c objects.
 *
 * json-c's own tokener accepts single quotes, Infinity and raw control characters,
 * reports positions loosely, and recurses per nesting level; input written by language
 * models and served by a daemon that may misbehave deserves better. This parser is one
 * pass, iterative (nesting costs heap, bounded by the depth limit, never stack), checks
 * UTF-8 as it goes, and says what it expected and what it found, where.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"

typedef struct frame {
	json_object *container;
	int is_object;
	char *key; /* the pending member's key, NUL-terminated; the buffer is reused */
	size_t key_cap;
} frame;

typedef struct parser {
	const char *buf;
	size_t len, pos;
	int max_depth;
	wr_json_error *err;
	frame *frames;
	int depth, frames_cap;
	char *scratch; /* decoded strings with escapes, number texts */
	size_t scratch_len, scratch_cap;
} parser;

/* Bytes that may stand in a string as they are (ASCII, not a quote, backslash or
 * control character). */
static const unsigned char plain_byte[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(0), R16(0),
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20: '"' is 0x22 */
	R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50: '\\' is 0x5C */
	R16(1), R16(1),
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
#undef R16
};

static void position(const char *buf, size_t offset, unsigned long *line, unsigned long *col)
{
	const char *p = buf, *end = buf + offset, *nl, *line_start = buf;
	unsigned long n = 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
		line_start = p;
	}
	*line = n;
	*col = (unsigned long)(end - line_start) + 1;
}

static int fail_at(parser *p, wr_json_status status, size_t offset, const char *fmt, ...)
{
	va_list ap;
	wr_json_error *err = p->err;

	if (!err)
		return -1;
	err->status = status;
	if (status == WR_JSON_NOMEM || status == WR_JSON_EMPTY || status == WR_JSON_TOO_LARGE) {
		err->line = err->column = 0;
	} else {
		position(p->buf, offset, &err->line, &err->column);
	}
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

static int out_of_memory(parser *p)
{
	return fail_at(p, WR_JSON_NOMEM, 0, "out of memory");
}

/* Length of the UTF-8 sequence at s (1..4), or 0 when it is not valid UTF-8. */
static size_t utf8_sequence(const unsigned char *s, size_t avail)
{
	size_t ok = wr_utf8_check((const char *)s, avail < 4 ? avail : 4);
	unsigned char c = s[0];
	size_t need = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	return ok >= need ? need : 0;
}

/* Fails for the byte at pos, with the most precise status: end of input, NUL, bad
 * UTF-8, or a syntax error whose message is "expected X, found Y". */
static int unexpected(parser *p, const char *expected, const char *inside)
{
	if (p->pos >= p->len)
		return fail_at(p, WR_JSON_SYNTAX, p->len, "truncated JSON: input ends %s", inside);
	unsigned char c = (unsigned char)p->buf[p->pos];
	if (c == 0)
		return fail_at(p, WR_JSON_NUL_BYTE, p->pos,
		               "NUL byte in input (JSON text may not contain one)");
	if (c >= 0x80) {
		if (!utf8_sequence((const unsigned char *)p->buf + p->pos, p->len - p->pos))
			return fail_at(p, WR_JSON_BAD_UTF8, p->pos, "invalid UTF-8 (byte 0x%02X)", c);
		return fail_at(p, WR_JSON_SYNTAX, p->pos,
		               "malformed JSON: expected %s, found a non-ASCII character", expected);
	}
	if (c < 0x20 || c == 0x7F)
		return fail_at(p, WR_JSON_SYNTAX, p->pos,
		               "malformed JSON: expected %s, found control character 0x%02X",
		               expected, c);
	return fail_at(p, WR_JSON_SYNTAX, p->pos, "malformed JSON: expected %s, found '%c'",
	               expected, c);
}

static void skip_space(parser *p)
{
	while (p->pos < p->len) {
		char c = p->buf[p->pos];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		p->pos++;
	}
}

static int scratch_reserve(parser *p, size_t extra)
{
	if (p->scratch_cap - p->scratch_len >= extra)
		return 0;
	size_t cap = p->scratch_cap ? p->scratch_cap : 256;
	while (cap - p->scratch_len < extra) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	char *s = realloc(p->scratch, cap);
	if (!s)
		return -1;
	p->scratch = s;
	p->scratch_cap = cap;
	return 0;
}

static int scratch_append(parser *p, const char *s, size_t n)
{
	if (scratch_reserve(p, n + 1) < 0)
		return -1;
	memcpy(p->scratch + p->scratch_len, s, n);
	p->scratch_len += n;
	return 0;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t utf8_encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes the escape at pos (just after the backslash) onto the scratch buffer. */
static int decode_escape(parser *p)
{
	const char *b = p->buf;
	size_t at = p->pos - 1;
	char out[8];
	size_t n = 1;

	if (p->pos >= p->len)
		return fail_at(p, WR_JSON_SYNTAX, p->len, "truncated JSON: input ends inside a string");
	char c = b[p->pos++];
	switch (c) {
	case '"': out[0] = '"'; break;
	case '\\': out[0] = '\\'; break;
	case '/': out[0] = '/'; break;
	case 'b': out[0] = '\b'; break;
	case 'f': out[0] = '\f'; break;
	case 'n': out[0] = '\n'; break;
	case 'r': out[0] = '\r'; break;
	case 't': out[0] = '\t'; break;
	case 'u': {
		unsigned cp, lo;
		if (p->len - p->pos < 4)
			return fail_at(p, WR_JSON_SYNTAX, p->len,
			               "truncated JSON: input ends inside a \\u escape");
		if (hex4(b + p->pos, &cp) < 0)
			return fail_at(p, WR_JSON_SYNTAX, at,
			               "malformed JSON: \\u must be followed by four hex digits");
		p->pos += 4;
		if (cp >= 0xD800 && cp <= 0xDBFF && p->len - p->pos >= 6 && b[p->pos] == '\\' &&
		    b[p->pos + 1] == 'u' && hex4(b + p->pos + 2, &lo) == 0 && lo >= 0xDC00 &&
		    lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			p->pos += 6;
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
		}
		n = utf8_encode(cp, out);
		break;
	}
	default:
		p->pos--;
		return unexpected(p, "an escape character (one of \"\\/bfnrtu)", "inside a string");
	}
	return scratch_append(p, out, n) < 0 ? out_of_memory(p) : 0;
}

/* Parses the string whose opening quote is at pos. *s and *n give its decoded bytes:
 * in the input when it has no escapes, else in the scratch buffer. */
static int parse_string(parser *p, const char **s, size_t *n)
{
	const unsigned char *b = (const unsigned char *)p->buf;
	size_t start = ++p->pos;
	int escaped = 0;

	p->scratch_len = 0;
	for (;;) {
		size_t run = p->pos;
		while (p->pos < p->len && plain_byte[b[p->pos]])
			p->pos++;
		if (escaped && scratch_append(p, p->buf + run, p->pos - run) < 0)
			return out_of_memory(p);
		if (p->pos >= p->len)
			return fail_at(p, WR_JSON_SYNTAX, p->len,
			               "truncated JSON: input ends inside a string");
		unsigned char c = b[p->pos];
		if (c == '"') {
			if (escaped) {
				*s = p->scratch;
				*n = p->scratch_len;
			} else {
				*s = p->buf + start;
				*n = p->pos - start;
			}
			p->pos++;
			return 0;
		}
		if (c == '\\') {
			if (!escaped) {
				escaped = 1;
				if (scratch_append(p, p->buf + start, p->pos - start) < 0)
					return out_of_memory(p);
			}
			p->pos++;
			if (decode_escape(p) < 0)
				return -1;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_sequence(b + p->pos, p->len - p->pos);
			if (k == 0)
				return fail_at(p, WR_JSON_BAD_UTF8, p->pos, "invalid UTF-8 (byte 0x%02X)", c);
			if (escaped && scratch_append(p, p->buf + p->pos, k) < 0)
				return out_of_memory(p);
			p->pos += k;
			continue;
		}
		if (c == 0)
			return fail_at(p, WR_JSON_NUL_BYTE, p->pos,
			               "NUL byte in input (JSON text may not contain one)");
		return fail_at(p, WR_JSON_SYNTAX, p->pos,
		               "malformed JSON: control character 0x%02X in a string (escape it)", c);
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(parser *p, json_object **out)
{
	const char *b = p->buf;
	size_t start = p->pos;
	int integral = 1;

	if (b[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len)
		return fail_at(p, WR_JSON_SYNTAX, p->len, "truncated JSON: input ends inside a number");
	if (b[p->pos] == '0') {
		p->pos++;
	} else if (is_digit(b[p->pos])) {
		while (p->pos < p->len && is_digit(b[p->pos]))
			p->pos++;
	} else {
		return unexpected(p, "a digit", "inside a number");
	}
	if (p->pos < p->len && b[p->pos] == '.') {
		integral = 0;
		p->pos++;
		if (p->pos >= p->len || !is_digit(b[p->pos]))
			return unexpected(p, "a digit after '.'", "inside a number");
		while (p->pos < p->len && is_digit(b[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (b[p->pos] == 'e' || b[p->pos] == 'E')) {
		integral = 0;
		p->pos++;
		if (p->pos < p->len && (b[p->pos] == '+' || b[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(b[p->pos]))
			return unexpected(p, "a digit in the exponent", "inside a number");
		while (p->pos < p->len && is_digit(b[p->pos]))
			p->pos++;
	}

	size_t n = p->pos - start;
	if (integral) {
		size_t digits = n - (b[start] == '-');
		if (digits <= 18) {
			int64_t v = 0;
			for (size_t i = start + (b[start] == '-'); i < p->pos; i++)
				v = v * 10 + (b[i] - '0');
			*out = json_object_new_int64(b[start] == '-' ? -v : v);
			return *out ? 0 : out_of_memory(p);
		}
	}
	p->scratch_len = 0;
	if (scratch_append(p, b + start, n) < 0)
		return out_of_memory(p);
	p->scratch[n] = '\0';
	if (integral) {
		char *end;
		errno = 0;
		long long v = strtoll(p->scratch, &end, 10);
		if (errno == 0) {
			*out = json_object_new_int64(v);
			return *out ? 0 : out_of_memory(p);
		}
		if (b[start] != '-') {
			errno = 0;
			unsigned long long u = strtoull(p->scratch, &end, 10);
			if (errno == 0) {
				*out = json_object_new_uint64(u);
				return *out ? 0 : out_of_memory(p);
			}
		}
	}
	/* The text is kept so that a record passes through with its number unchanged. */
	*out = json_object_new_double_s(strtod(p->scratch, NULL), p->scratch);
	return *out ? 0 : out_of_memory(p);
}

static int parse_literal(parser *p, const char *word, json_object **out)
{
	size_t n = strlen(word);
	size_t avail = p->len - p->pos;
	if (avail < n && memcmp(p->buf + p->pos, word, avail) == 0)
		return fail_at(p, WR_JSON_SYNTAX, p->len, "truncated JSON: input ends inside '%s'", word);
	if (avail < n || memcmp(p->buf + p->pos, word, n) != 0)
		return unexpected(p, "a value", "where a value was expected");
	p->pos += n;
	if (word[0] == 'n')
		*out = NULL;
	else if ((*out = json_object_new_boolean(word[0] == 't')) == NULL)
		return out_of_memory(p);
	return 0;
}

/* Places a new value in the innermost open container, or makes it the result. Takes
 * the reference in every case. */
static int attach(parser *p, json_object *value, json_object **result)
{
	if (p->depth == 0) {
		*result = value;
		return 0;
	}
	frame *top = &p->frames[p->depth - 1];
	int rc = top->is_object ? json_object_object_add(top->container, top->key, value)
	                        : json_object_array_add(top->container, value);
	if (rc != 0) {
		json_object_put(value);
		return out_of_memory(p);
	}
	return 0;
}

static int open_container(parser *p, int is_object, json_object **result)
{
	if (p->depth >= p->max_depth)
		return fail_at(p, WR_JSON_TOO_DEEP, p->pos,
		               "nesting is deeper than the depth limit of %d", p->max_depth);
	if (p->depth == p->frames_cap) {
		int cap = p->frames_cap ? p->frames_cap * 2 : 16;
		frame *f = realloc(p->frames, (size_t)cap * sizeof *f);
		if (!f)
			return out_of_memory(p);
		memset(f + p->frames_cap, 0, (size_t)(cap - p->frames_cap) * sizeof *f);
		p->frames = f;
		p->frames_cap = cap;
	}
	json_object *c = is_object ? json_object_new_object() : json_object_new_array_ext(4);
	if (!c)
		return out_of_memory(p);
	if (attach(p, c, result) < 0)
		return -1;
	frame *f = &p->frames[p->depth++];
	f->container = c;
	f->is_object = is_object;
	p->pos++;
	return 0;
}

static int parse_key(parser *p)
{
	const char *s = NULL;
	size_t n = 0;
	frame *top = &p->frames[p->depth - 1];

	skip_space(p);
	if (p->pos >= p->len || p->buf[p->pos] != '"')
		return unexpected(p, "a string key", "inside an object");
	size_t at = p->pos;
	if (parse_string(p, &s, &n) < 0)
		return -1;
	if (memchr(s, '\0', n))
		return fail_at(p, WR_JSON_SYNTAX, at,
		               "unsupported JSON: an object key holds \\u0000");
	if (n + 1 > top->key_cap) {
		char *k = realloc(top->key, n + 1);
		if (!k)
			return out_of_memory(p);
		top->key = k;
		top->key_cap = n + 1;
	}
	memcpy(top->key, s, n);
	top->key[n] = '\0';
	skip_space(p);
	if (p->pos >= p->len || p->buf[p->pos] != ':')
		return unexpected(p, "':' after an object key", "inside an object");
	p->pos++;
	return 0;
}

/* Parses one value and what it contains. Returns 0, or -1 with the error set. */
static int parse_document(parser *p, json_object **result)
{
	for (;;) {
		json_object *value = NULL;

		/* A value is expected here. */
		skip_space(p);
		if (p->pos >= p->len)
			return unexpected(p, "a value", p->depth ? "where a value was expected"
			                                         : "before a value");
		switch (p->buf[p->pos]) {
		case '{':
		case '[': {
			int is_object = p->buf[p->pos] == '{';
			if (open_container(p, is_object, result) < 0)
				return -1;
			skip_space(p);
			if (p->pos < p->len && p->buf[p->pos] == (is_object ? '}' : ']')) {
				p->pos++;
				p->depth--;
				break; /* an empty container is a complete value */
			}
			if (is_object && parse_key(p) < 0)
				return -1;
			continue;
		}
		case '"': {
			const char *s = NULL;
			size_t n = 0;
			if (parse_string(p, &s, &n) < 0)
				return -1;
			if ((value = json_object_new_string_len(s, (int)n)) == NULL)
				return out_of_memory(p);
			if (attach(p, value, result) < 0)
				return -1;
			break;
		}
		case 't':
		case 'f':
		case 'n': {
			const char *word = p->buf[p->pos] == 't' ? "true"
			                 : p->buf[p->pos] == 'f' ? "false" : "null";
			if (parse_literal(p, word, &value) < 0 || attach(p, value, result) < 0)
				return -1;
			break;
		}
		default:
			if (p->buf[p->pos] == '-' || is_digit(p->buf[p->pos])) {
				if (parse_number(p, &value) < 0 || attach(p, value, result) < 0)
					return -1;
				break;
			}
			return unexpected(p, "a value", "where a value was expected");
		}

		/* A value is complete: close containers or move to the next member. */
		for (;;) {
			if (p->depth == 0)
				return 0;
			frame *top = &p->frames[p->depth - 1];
			char close = top->is_object ? '}' : ']';
			skip_space(p);
			if (p->pos < p->len && p->buf[p->pos] == close) {
				p->pos++;
				p->depth--;
				continue;
			}
			if (p->pos < p->len && p->buf[p->pos] == ',') {
				p->pos++;
				if (top->is_object && parse_key(p) < 0)
					return -1;
				break;
			}
			return unexpected(p, top->is_object ? "',' or '}' after an object member"
			                                    : "',' or ']' after an array element",
			                  top->is_object ? "inside an object" : "inside an array");
		}
	}
}

wr_json_limits wr_json_default_limits(void)
{
	wr_json_limits limits = {WR_JSON_DEFAULT_MAX_BYTES, WR_JSON_DEFAULT_MAX_DEPTH};
	return limits;
}

int wr_json_parse(const char *buf, size_t len, const wr_json_limits *limits,
                  json_object **out, wr_json_error *err)
{
	wr_json_limits defaults = wr_json_default_limits();
	parser p;
	json_object *result = NULL;
	int rc;

	*out = NULL;
	if (!limits)
		limits = &defaults;
	memset(&p, 0, sizeof p);
	p.buf = buf;
	p.len = len;
	p.err = err;
	p.max_depth = limits->max_depth;
	if (len > limits->max_bytes)
		return fail_at(&p, WR_JSON_TOO_LARGE, 0,
		               "input is larger than the size limit of %zu bytes", limits->max_bytes);
	skip_space(&p);
	if (p.pos == len)
		return fail_at(&p, WR_JSON_EMPTY, 0, "empty input: no JSON value");

	rc = parse_document(&p, &result);
	if (rc == 0) {
		skip_space(&p);
		if (p.pos < len && (unsigned char)buf[p.pos] >= 0x20)
			rc = fail_at(&p, WR_JSON_SYNTAX, p.pos,
			             "malformed JSON: unexpected data after the JSON value");
		else if (p.pos < len)
			rc = unexpected(&p, "nothing after the JSON value", "");
	}
	for (int i = 0; i < p.frames_cap; i++)
		free(p.frames[i].key);
	free(p.frames);
	free(p.scratch);
	if (rc < 0) {
		json_object_put(result);
		return -1;
	}
	if (err)
		err->status = WR_JSON_OK;
	*out = result;
	return 0;
}
