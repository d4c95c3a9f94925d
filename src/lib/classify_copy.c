/* SPDX-License-Identifier: MIT */
/* The blanked copy of the notes (SPEC 5.3): what holds no signal blanked (fenced
 * blocks, code spans, HTML comments, struck text, quoted lines, layout tags), what
 * looks like a word folded or dropped (full-width letters, shortcodes, invisible
 * characters), and what makes the text unreadable noted. See classify_proof.h. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify_proof.h"

/* Byte classes: B_LETTER an ASCII letter, B_DIGIT, B_SPECIAL a byte that needs the
 * slow path of proof_clean ('<', '`', '~', ':'; non-ASCII bytes are checked apart). */
enum { B_LETTER = 1, B_DIGIT = 2, B_SPECIAL = 4 };

static const unsigned char byte_class[256] = {
	['0'] = B_DIGIT, ['1'] = B_DIGIT, ['2'] = B_DIGIT, ['3'] = B_DIGIT, ['4'] = B_DIGIT,
	['5'] = B_DIGIT, ['6'] = B_DIGIT, ['7'] = B_DIGIT, ['8'] = B_DIGIT, ['9'] = B_DIGIT,
	['a'] = B_LETTER, ['b'] = B_LETTER, ['c'] = B_LETTER, ['d'] = B_LETTER, ['e'] = B_LETTER,
	['f'] = B_LETTER, ['g'] = B_LETTER, ['h'] = B_LETTER, ['i'] = B_LETTER, ['j'] = B_LETTER,
	['k'] = B_LETTER, ['l'] = B_LETTER, ['m'] = B_LETTER, ['n'] = B_LETTER, ['o'] = B_LETTER,
	['p'] = B_LETTER, ['q'] = B_LETTER, ['r'] = B_LETTER, ['s'] = B_LETTER, ['t'] = B_LETTER,
	['u'] = B_LETTER, ['v'] = B_LETTER, ['w'] = B_LETTER, ['x'] = B_LETTER, ['y'] = B_LETTER,
	['z'] = B_LETTER,
	['A'] = B_LETTER, ['B'] = B_LETTER, ['C'] = B_LETTER, ['D'] = B_LETTER, ['E'] = B_LETTER,
	['F'] = B_LETTER, ['G'] = B_LETTER, ['H'] = B_LETTER, ['I'] = B_LETTER, ['J'] = B_LETTER,
	['K'] = B_LETTER, ['L'] = B_LETTER, ['M'] = B_LETTER, ['N'] = B_LETTER, ['O'] = B_LETTER,
	['P'] = B_LETTER, ['Q'] = B_LETTER, ['R'] = B_LETTER, ['S'] = B_LETTER, ['T'] = B_LETTER,
	['U'] = B_LETTER, ['V'] = B_LETTER, ['W'] = B_LETTER, ['X'] = B_LETTER, ['Y'] = B_LETTER,
	['Z'] = B_LETTER,
	['<'] = B_SPECIAL, ['`'] = B_SPECIAL, ['~'] = B_SPECIAL, [':'] = B_SPECIAL,
};

static int is_alnum(unsigned char c)
{
	return (byte_class[c] & (B_LETTER | B_DIGIT)) != 0;
}

/* Decodes the valid UTF-8 sequence at s (n bytes left); returns its length. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	if (s[0] < 0xC0 || n < 2) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0 || n < 4) {
		if (n < 3) {
			*cp = s[0];
			return 1;
		}
		*cp = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	*cp = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
	      ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

static int is_invisible(unsigned long cp)
{
	return cp == 0x00AD || cp == 0x034F || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static int is_other_script_letter(unsigned long cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0x0900 && cp <= 0x0DFF) ||
	       (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1100 && cp <= 0x11FF) ||
	       (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

typedef struct word_state {
	int latin, confusable, accented;
} word_state;

static void word_end(word_state *w, proof_result *r, size_t at)
{
	if (w->latin && w->confusable)
		proof_saw(r, PK_DOUBT, at, "a word mixes Latin with Cyrillic or Greek letters");
	if (w->accented)
		r->foreign_words++; /* English reviews next to never accent a word */
	w->latin = w->confusable = w->accented = 0;
}

/* The index of the closing run of exactly m c's on [p, eol), or eol. */
static size_t closing_run(const char *in, size_t p, size_t eol, char c, size_t m)
{
	while (p < eol) {
		if (in[p] != c) {
			p++;
			continue;
		}
		size_t q = p;
		while (q < eol && in[q] == c)
			q++;
		if (q - p == m)
			return p;
		p = q;
	}
	return eol;
}

/* The HTML tags review notes use for layout ("<details><summary>One more thing
 * </summary>"): the tag is no word, and would hide the start of the sentence after it.
 * What code, kbd and struck text hold is no signal, as in a code span or ~~struck~~. */
static const char *const layout_tags[] = {
	"details", "summary", "br", "p", "b", "i", "u", "strong", "em", "div", "span", "ul",
	"ol", "li", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
	"h6", "blockquote", "a", "img", "hr", "sub", "sup", "small", "mark", "ins", "pre",
	"code", "kbd", "del", "s", "strike", NULL};

static int hides_content(const char *tag)
{
	return strcmp(tag, "code") == 0 || strcmp(tag, "kbd") == 0 || strcmp(tag, "del") == 0 ||
	       strcmp(tag, "s") == 0 || strcmp(tag, "strike") == 0;
}

/* The length of the layout tag at p ('<', '/'?, a listed name, attributes, '>', all
 * before eol), or 0; its lowercase name into name, *closing whether it is "</...>". */
static size_t layout_tag_at(const unsigned char *in, size_t p, size_t eol, char *name,
                            size_t name_size, int *closing)
{
	size_t q = p + 1, n = 0;
	*closing = q < eol && in[q] == '/';
	q += (size_t)*closing;
	while (q < eol && n + 1 < name_size && (byte_class[in[q]] & (B_LETTER | B_DIGIT)))
		name[n++] = (char)(in[q++] | 0x20);
	name[n] = '\0';
	if (n == 0 || (q < eol && in[q] != '>' && in[q] != ' ' && in[q] != '/'))
		return 0;
	int listed = 0;
	for (const char *const *t = layout_tags; *t && !listed; t++)
		listed = strcmp(*t, name) == 0;
	if (!listed)
		return 0;
	while (q < eol && in[q] != '>' && in[q] != '<')
		q++;
	return q < eol && in[q] == '>' ? q + 1 - p : 0;
}

/* The end of the closing tag of name on [p, eol), or 0 when there is none. */
static size_t closing_tag_end(const unsigned char *in, size_t p, size_t eol, const char *name)
{
	for (; p < eol; p++) {
		char other[16];
		int closing;
		size_t l;
		if (in[p] == '<' && (l = layout_tag_at(in, p, eol, other, sizeof other, &closing)) &&
		    closing && strcmp(other, name) == 0)
			return p + l;
	}
	return 0;
}

/* GitHub emoji shortcodes (":+1:", ":warning:") are emoji: the ones that mark a finding
 * become the emoji they stand for (proof_scan reads those), the others nothing. */
static const struct shortcode {
	const char *name;
	const char *utf8; /* the emoji, never longer than ":name:" */
} shortcodes[] = {
	{"x", "\xE2\x9D\x8C"},                   /* ❌ */
	{"red_circle", "\xF0\x9F\x94\xB4"},      /* 🔴 */
	{"rotating_light", "\xF0\x9F\x9A\xA8"},  /* 🚨 */
	{"stop_sign", "\xF0\x9F\x9B\x91"},       /* 🛑 */
	{"warning", "\xE2\x9A\xA0"},             /* ⚠ */
	{"yellow_circle", "\xF0\x9F\x9F\xA1"},   /* 🟡 */
	{"orange_circle", "\xF0\x9F\x9F\xA0"},   /* 🟠 */
	{NULL, NULL},
};

/* The length of the shortcode at p (":name:", name of letters, digits, '_', '+', '-'),
 * or 0; *utf8 what it stands for, or "" for nothing. */
static size_t shortcode_at(const unsigned char *in, size_t p, size_t eol, const char **utf8)
{
	size_t q = p + 1;
	while (q < eol && q - p <= 32 &&
	       ((byte_class[in[q]] & (B_LETTER | B_DIGIT)) || in[q] == '_' || in[q] == '+' || in[q] == '-'))
		q++;
	if (q == p + 1 || q >= eol || in[q] != ':')
		return 0;
	if (p > 0 && (byte_class[in[p - 1]] & (B_LETTER | B_DIGIT)))
		return 0; /* "key:value:" is no shortcode */
	*utf8 = "";
	for (const struct shortcode *c = shortcodes; c->name; c++)
		if (strlen(c->name) == q - p - 1 && memcmp(c->name, in + p + 1, q - p - 1) == 0)
			*utf8 = c->utf8;
	return q + 1 - p;
}

/* Whether the quoted line whose '>' is at j opens a GitHub alert: "> [!WARNING]". */
static int is_alert_marker(const unsigned char *in, size_t j, size_t eol)
{
	static const char *const kinds[] = {"note", "tip", "important", "warning", "caution", NULL};
	size_t p = j + 1;
	while (p < eol && in[p] == ' ')
		p++;
	if (p + 2 >= eol || in[p] != '[' || in[p + 1] != '!')
		return 0;
	for (const char *const *k = kinds; *k; k++) {
		size_t n = strlen(*k);
		if (p + 2 + n < eol && strncasecmp((const char *)in + p + 2, *k, n) == 0 && in[p + 2 + n] == ']')
			return 1;
	}
	return 0;
}

int proof_clean(const char *text, size_t len, char **out, size_t *out_len, proof_result *r)
{
	const unsigned char *in = (const unsigned char *)text;
	char *o = malloc(len + 1);
	size_t i = 0, n = 0;
	int fence = 0, in_comment = 0, alert = 0;
	size_t fence_len = 0;
	word_state w = {0, 0, 0};

	if (!o)
		return -1;
	while (i < len) {
		const unsigned char *nl = memchr(in + i, '\n', len - i);
		size_t eol = nl ? (size_t)(nl - in) : len;
		int blank = 0;
		size_t unquote_at = 0, line_out = n; /* 1 + the offset in the line of an alert's '>' */
		if (!in_comment) {
			size_t j = i, ind = 0;
			while (j < eol && in[j] == ' ' && ind < 4) {
				j++;
				ind++;
			}
			if (ind < 4 && j + 3 <= eol && (in[j] == '`' || in[j] == '~') && in[j + 1] == in[j] &&
			    in[j + 2] == in[j]) {
				size_t k = j;
				while (k < eol && in[k] == in[j])
					k++;
				if (!fence) {
					fence = in[j];
					r->fenced = 1;
					fence_len = k - j;
					blank = 1;
				} else if (in[j] == fence && k - j >= fence_len) {
					size_t q = k;
					while (q < eol && (in[q] == ' ' || in[q] == '\t' || in[q] == '\r'))
						q++;
					if (q == eol)
						fence = 0;
					blank = 1;
				}
			}
			if (fence) {
				blank = 1;
			} else if (ind < 4 && j < eol && in[j] == '>' && (alert || is_alert_marker(in, j, eol))) {
				/* a GitHub alert ("> [!WARNING]" and the quoted lines under it) is the
				 * writer's own text, set off, not a quote: read, its '>' dropped */
				if (!alert)
					blank = 1; /* the marker line */
				alert = 1;
				unquote_at = j - i + 1;
			} else if (ind < 4 && j < eol && in[j] == '>') {
				alert = 0;
				blank = 1; /* quoted: history, neither finding nor approval */
				/* kept aside: a finding quoted with nothing saying it was fixed
				 * leaves doubt (see read_notes) */
				if (!r->quoted && !(r->quoted = malloc(len + 1))) {
					free(o);
					return -1;
				}
				memcpy(r->quoted + r->quoted_len, in + j + 1, eol - j - 1);
				r->quoted_len += eol - j - 1;
				r->quoted[r->quoted_len++] = '\n';
			} else {
				alert = 0;
			}
		}
		if (!blank && !in_comment) {
			/* a line of plain ASCII with nothing to blank or fold is copied whole */
			size_t q = i, letters = 0;
			int plain = 1;
			for (; q < eol; q++) {
				unsigned char k = byte_class[in[q]];
				if ((k & B_SPECIAL) || in[q] >= 0x80) {
					/* a colon is plain but in a URL ("://") or opening a shortcode (":+1:") */
					if (in[q] == ':' && !(q + 2 < eol && in[q + 1] == '/' && in[q + 2] == '/') &&
					    !(q + 1 < eol && (q == i || !(byte_class[in[q - 1]] & (B_LETTER | B_DIGIT))) &&
					      ((byte_class[in[q + 1]] & (B_LETTER | B_DIGIT)) || in[q + 1] == '+' ||
					       in[q + 1] == '-' || in[q + 1] == '_')))
						continue;
					plain = 0;
					break;
				}
				letters += k & B_LETTER;
			}
			if (plain) {
				memcpy(o + n, in + i, eol - i);
				n += eol - i;
				r->latin_letters += letters;
				blank = 2; /* done */
			}
		}
		if (!blank) {
			size_t p = i;
			while (p < eol) {
				unsigned char c = in[p];
				if (in_comment) {
					if (c == '-' && p + 3 <= eol && in[p + 1] == '-' && in[p + 2] == '>') {
						in_comment = 0;
						o[n++] = ' ';
						p += 3;
						if (r->hidden)
							r->hidden[r->hidden_len++] = '\n';
					} else {
						/* kept aside: a comment holds no signal, but may leave doubt */
						if (!r->hidden && !(r->hidden = malloc(len + 1))) {
							free(o);
							return -1;
						}
						r->hidden[r->hidden_len++] = (char)c;
						p++;
					}
					continue;
				}
				if (c < 0x80) {
					if (c == '<' && p + 4 <= eol && memcmp(in + p, "<!--", 4) == 0) {
						word_end(&w, r, n);
						in_comment = 1;
						p += 4;
						continue;
					}
					const char *emoji;
					size_t sl;
					if (c == ':' && (sl = shortcode_at(in, p, eol, &emoji))) {
						word_end(&w, r, n);
						size_t el = strlen(emoji); /* el <= sl: the copy never grows */
						memcpy(o + n, emoji, el);
						n += el;
						if (el < sl)
							o[n++] = ' ';
						p += sl;
						continue;
					}
					char tag[16];
					int closing;
					size_t tl;
					if (c == '<' && (tl = layout_tag_at(in, p, eol, tag, sizeof tag, &closing))) {
						word_end(&w, r, n);
						size_t after = p + tl, end;
						if (!closing && hides_content(tag) &&
						    (end = closing_tag_end(in, after, eol, tag)))
							after = end;
						o[n++] = ' ';
						p = after;
						continue;
					}
					if (c == '`' || (c == '~' && p + 1 < eol && in[p + 1] == '~')) {
						size_t q = p;
						while (q < eol && in[q] == c)
							q++;
						size_t close = closing_run(text, q, eol, (char)c, q - p);
						if (close < eol) { /* a code span or struck text: no signal */
							word_end(&w, r, n);
							o[n++] = ' ';
							p = close + (q - p);
							continue;
						}
					}
					if ((c == 'h' || c == 'H') && (p == i || !is_alnum(in[p - 1])) &&
					    ((p + 7 <= eol && strncasecmp(text + p, "http://", 7) == 0) ||
					     (p + 8 <= eol && strncasecmp(text + p, "https://", 8) == 0))) {
						/* a URL: its words are no words */
						word_end(&w, r, n);
						while (p < eol && in[p] != ' ' && in[p] != '\t' && in[p] != ')' &&
						       in[p] != '>' && in[p] != ']')
							p++;
						o[n++] = ' ';
						continue;
					}
					if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
						w.latin = 1;
						r->latin_letters++;
					} else if (!(c >= '0' && c <= '9') && c != '_' && c != '\'') {
						word_end(&w, r, n);
					}
					o[n++] = (char)c;
					p++;
					continue;
				}
				unsigned long cp;
				size_t l = utf8_decode(in + p, eol - p, &cp);
				if (is_invisible(cp) && !(cp == 0x200D && !(n > 0 && is_alnum((unsigned char)o[n - 1])))) {
					if (!(cp == 0xFEFF && p == 0))
						proof_saw(r, PK_DOUBT, n, "an invisible character in the text");
					p += l;
					continue;
				}
				char fold = 0;
				if (cp >= 0xFF01 && cp <= 0xFF5E)
					fold = (char)(cp - 0xFF01 + 0x21);
				else if (cp == 0x3000)
					fold = ' ';
				else if (cp == 0x3002 || cp == 0xFF61)
					fold = '.';
				else if (cp >= 0x1D400 && cp <= 0x1D6A3) {
					unsigned long off = (cp - 0x1D400) % 52;
					fold = (char)(off < 26 ? 'A' + off : 'a' + off - 26);
				} else if (cp == 0x2018 || cp == 0x2019)
					fold = '\'';
				else if (cp == 0x201C || cp == 0x201D)
					fold = '"';
				if (fold) {
					if ((fold >= 'a' && fold <= 'z') || (fold >= 'A' && fold <= 'Z')) {
						w.latin = 1;
						r->latin_letters++;
					} else if (fold != '\'') {
						word_end(&w, r, n);
					}
					o[n++] = fold;
					p += l;
					continue;
				}
				if (cp == 0x2192 || cp == 0x21D2) { /* an arrow */
					word_end(&w, r, n);
					o[n++] = '-';
					o[n++] = '>';
					p += l;
					continue;
				}
				if ((cp >= 0x0370 && cp <= 0x03FF) || (cp >= 0x0400 && cp <= 0x04FF)) {
					w.confusable = 1;
					r->other_letters++;
				} else if (cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) {
					w.latin = 1;
					w.accented = 1;
					r->latin_letters++;
				} else {
					if (is_other_script_letter(cp))
						r->other_letters++;
					word_end(&w, r, n);
				}
				memcpy(o + n, in + p, l);
				n += l;
				p += l;
			}
		}
		if (blank != 2)
			word_end(&w, r, n);
		if (unquote_at && !blank && line_out + unquote_at - 1 < n && o[line_out + unquote_at - 1] == '>')
			o[line_out + unquote_at - 1] = ' ';
		if (eol < len)
			o[n++] = '\n';
		if (in_comment && r->hidden)
			r->hidden[r->hidden_len++] = '\n';
		i = eol + 1;
	}
	/* "Critical 1 -> 0": the count now is the one after the arrow */
	for (const char *gt = n > 1 ? memchr(o + 1, '>', n - 1) : NULL; gt;
	     gt = (size_t)(gt - o) + 1 < n ? memchr(gt + 1, '>', n - (size_t)(gt - o) - 1) : NULL) {
		size_t k = (size_t)(gt - o) - 1; /* memchr finds the rare '>' faster than a byte loop */
		if (!(o[k] == '-' || o[k] == '='))
			continue;
		size_t b = k, a = k + 2;
		while (b > 0 && o[b - 1] == ' ')
			b--;
		size_t d = b;
		while (d > 0 && o[d - 1] >= '0' && o[d - 1] <= '9')
			d--;
		while (a < n && o[a] == ' ')
			a++;
		if (d < b && a < n && o[a] >= '0' && o[a] <= '9' && (d == 0 || !is_alnum((unsigned char)o[d - 1])))
			memset(o + d, ' ', k + 2 - d);
	}
	o[n] = '\0';
	*out = o;
	*out_len = n;
	return 0;
}
