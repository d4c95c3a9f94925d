/* SPDX-License-Identifier: MIT */
/* Finding lines from notes: the bullet or numbered lines that name a finding.
 *
 * A line counts when it starts with a severity label ("- **Major** — ...",
 * "1. [Minor] ...") and is not a count ("- Critical: 0"), or when it is a first-level
 * item of a section about findings ("### Top findings", "**Issues:**") and is not a
 * recommendation, confidence, coverage, summary or count line, nor "None".
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"
#include "classify_lex.h"
#include "classify_lines.h"


/* What a heading or label line announces. */
static int section_kind(const lexer *lx, size_t start, size_t end)
{
	int is_findings = 0;
	tok t;
	size_t p = start;

	for (;;) {
		p = lex_next_plain(lx, p, end, &t);
		if (t.type == TK_END)
			break;
		if (t.roles & R_SEC_OTHER)
			return SEC_OTHER;
		if (t.roles & R_SEC_FINDINGS)
			is_findings = 1;
	}
	return is_findings ? SEC_FINDINGS : SEC_OTHER;
}

/* A plain line that introduces what follows: it ends with a colon ("**Top findings:**")
 * or is bold throughout ("**Issues**"). */
static int label_line(const char *text, size_t start, size_t end)
{
	while (end > start && strchr(" \t\r", text[end - 1]))
		end--;
	size_t e = end;
	while (e > start && strchr("*_", text[e - 1]))
		e--;
	if (e > start && text[e - 1] == ':')
		return 1;
	return end - start > 4 && strncmp(text + start, "**", 2) == 0 &&
	       strncmp(text + end - 2, "**", 2) == 0 && !memchr(text + start + 2, ':', end - start - 4);
}

/* Whether the tokens from p on are a count that ends the line or the item: "0",
 * "none.", "2 / Major: 0". */
static int count_rest(const lexer *lx, const tok *t, size_t p, size_t end)
{
	if (t->type != TK_NUM && !(t->type == TK_WORD && (t->roles & R_COUNT)))
		return 0;
	tok u;
	lex_next_plain(lx, p, end, &u);
	if (u.type == TK_END)
		return 1;
	if (u.type == TK_PUNCT)
		return u.punct == P_STOP || u.punct == P_SLASH || u.punct == P_PIPE ||
		       u.punct == P_COMMA || u.punct == P_SEMI || u.punct == P_DOT ||
		       u.punct == P_OPEN;
	return u.type == TK_WORD && ((u.roles & R_NOUN) || kind_is_severity(u.kind));
}

/* Whether an item starts with a severity label; *count_line tells whether what
 * follows the label is only its count, or nothing. */
static int severity_item(const lexer *lx, size_t start, size_t end, int *count_line)
{
	tok t;
	size_t p = lex_next_plain(lx, start, end, &t), before;

	*count_line = 0;
	if (t.type == TK_PUNCT && t.punct == P_OPEN)
		p = lex_next_plain(lx, p, end, &t);
	if (t.type != TK_WORD || !kind_is_severity(t.kind))
		return 0;
	if ((t.kind == K_HIGH || t.kind == K_MEDIUM || t.kind == K_LOW)) {
		/* "High confidence in ..." is no label: only "High:" and "[High]" are */
		tok u;
		lex_next_plain(lx, p, end, &u);
		if (u.type != TK_PUNCT || (u.punct != P_COLON && u.punct != P_CLOSE && u.punct != P_DASH))
			return 0;
	}
	before = p;
	p = lex_next_plain(lx, p, end, &t);
	while (t.type == TK_WORD && (t.roles & R_NOUN)) {
		before = p;
		p = lex_next_plain(lx, p, end, &t);
	}
	if (t.type == TK_PUNCT && (t.punct == P_COLON || t.punct == P_CLOSE || t.punct == P_EQ ||
	                           t.punct == P_DASH || t.punct == P_OPEN)) {
		before = p;
		p = lex_next_plain(lx, p, end, &t);
	}
	if (t.type == TK_END) { /* a bare label is no finding; text in other scripts is */
		while (before < end && strchr(" \t\r*_`", lx->text[before]))
			before++;
		*count_line = before == end;
	} else {
		*count_line = count_rest(lx, &t, p, end);
	}
	return 1;
}

/* Whether a first-level item of a findings section is a finding: not a label line
 * (recommendation, confidence, summary...) and not "None". */
static int section_item(const lexer *lx, size_t start, size_t end)
{
	tok t, u;
	size_t p = lex_next_plain(lx, start, end, &t);
	if (t.type == TK_END)
		return 0;
	if (count_rest(lx, &t, p, end) && (t.type == TK_NUM || t.value == 0))
		return 0;
	if (t.type == TK_WORD && t.kind == K_N) /* N/A */
		return 0;
	if (t.type == TK_WORD && (t.roles & R_LABEL_WORD)) {
		size_t q = lex_next_plain(lx, p, end, &u);
		while (u.type == TK_WORD && (u.roles & R_LABEL_WORD))
			q = lex_next_plain(lx, q, end, &u);
		(void)q;
		if (u.type == TK_PUNCT && (u.punct == P_COLON || u.punct == P_DASH))
			return 0;
	}
	return 1;
}

static int is_word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (unsigned char)c >= 0x80;
}

/* The item's text with markdown emphasis removed (code spans kept as they are), a
 * leading checkbox dropped, white space trimmed. Returns a new string. */
static char *trim_markdown(const char *s, size_t len, size_t *out_len)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	int code = 0;

	if (!out)
		return NULL;
	if (len >= 3 && s[0] == '[' && (s[1] == ' ' || s[1] == 'x' || s[1] == 'X') && s[2] == ']') {
		s += 3;
		len -= 3;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '`')
			code = !code;
		if (!code && (c == '*' || c == '_')) {
			size_t j = i;
			while (j < len && s[j] == c)
				j++;
			int before = i > 0 && is_word_byte(s[i - 1]);
			int after = j < len && is_word_byte(s[j]);
			if (j - i >= 2 || !before || !after) {
				i = j - 1; /* emphasis markers, not a snake_case underscore */
				continue;
			}
		}
		if (c == '\t' || c == '\r')
			c = ' ';
		out[n++] = c;
	}
	size_t b = 0;
	while (b < n && out[b] == ' ')
		b++;
	while (n > b && out[n - 1] == ' ')
		n--;
	memmove(out, out + b, n - b);
	n -= b;
	out[n] = '\0';
	*out_len = n;
	return out;
}

int classify_finding_add(json_object *findings, const char *s, size_t len, size_t max_chars)
{
	size_t chars = 0, i = 0;
	while (i < len) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max_chars)
				break;
			chars++;
		}
		i++;
	}
	while (i > 0 && s[i - 1] == ' ')
		i--;
	json_object *str = json_object_new_string_len(s, (int)i);
	if (!str)
		return -1;
	if (json_object_array_add(findings, str) < 0) {
		json_object_put(str);
		return -1;
	}
	return 0;
}

static int add_item(json_object *findings, const char *text, size_t start, size_t end)
{
	size_t n;
	char *clean = trim_markdown(text + start, end - start, &n);
	if (!clean)
		return -1;
	int rc = n > 0 ? classify_finding_add(findings, clean, n, WR_FINDING_MAX_CHARS) : 0;
	free(clean);
	return rc;
}

void findings_init(findings_state *f, const lexer *lx, json_object *out, size_t max)
{
	f->lx = lx;
	f->out = out;
	f->max = max;
	f->taken = 0;
	f->section = SEC_NONE;
	f->section_indent = SIZE_MAX;
}

int findings_done(const findings_state *f)
{
	return f->taken >= f->max;
}

int findings_line(findings_state *f, const line_info *li)
{
	const lexer *lx = f->lx;

	if (li->heading) {
		f->section = section_kind(lx, li->content, li->end);
		f->section_indent = SIZE_MAX;
		return 0;
	}
	if (li->blank || li->rule || li->table || li->fence)
		return 0;
	if (!li->bullet) {
		if (label_line(lx->text, li->content, li->end)) {
			f->section = section_kind(lx, li->content, li->end);
			f->section_indent = SIZE_MAX;
		} else if (li->indent == 0) {
			f->section = SEC_NONE;
		}
		return 0;
	}
	int count_line, take = 0;
	if (severity_item(lx, li->content, li->end, &count_line)) {
		take = !count_line;
	} else if (f->section == SEC_FINDINGS) {
		if (f->section_indent == SIZE_MAX)
			f->section_indent = li->indent;
		take = li->indent <= f->section_indent && section_item(lx, li->content, li->end);
	}
	if (!take)
		return 0;
	if (add_item(f->out, lx->text, li->content, li->end) < 0)
		return -1;
	f->taken++;
	return 0;
}
