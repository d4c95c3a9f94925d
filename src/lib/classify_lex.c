/* SPDX-License-Identifier: MIT */
/* The words and tokens of review notes: the lexicon (classify_lexicon.c) in a hash
 * table, and a tokenizer that returns spans. */
#include <config.h>

#include <string.h>

#include "classify_lex.h"

/* A word, lowercase and zero-padded to 24 bytes, as three 64-bit words: hashed and
 * compared eight bytes at a time. */
typedef union packed_word {
	uint64_t w[3];
	char c[LEX_MAX_WORD];
} packed_word;

/* A word of up to 8 bytes (most) is hashed with one multiply: the others are 0. */
static uint32_t hash_words(uint64_t w0, uint64_t w1, uint64_t w2)
{
	uint64_t x = w0 + w1 * 0xC2B2AE3D27D4EB4Fu + w2 * 0x165667B19E3779F9u;
	return (uint32_t)((x * 0x9E3779B97F4A7C15u) >> 40);
}

static uint32_t hash_packed(const packed_word *p)
{
	return hash_words(p->w[0], p->w[1], p->w[2]);
}

/* The kinds of words the scan judges where they stand. */
static int is_trigger_kind(int kind)
{
	switch (kind) {
	case K_BLOCKING: case K_CRITICAL: case K_MAJOR: case K_MINOR: case K_NIT:
	case K_SUGGESTION: case K_APPROVE: case K_APPROVAL: case K_MERGE: case K_LGTM:
	case K_CLEAN: case K_REQUEST: case K_CHANGES: case K_REQ_CHANGES: case K_DISAPPROVE:
	case K_ISSUES: case K_FINDINGS: case K_SEVERITY: case K_FIX:
		return 1;
	default:
		return 0;
	}
}

/* Bytes of words: ASCII letters, digits and the underscore (as grep -w has them). */
static const unsigned char word_byte[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
	['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
	['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static int is_alnum(unsigned char c)
{
	return word_byte[c] && c != '_';
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

static int punct_class(unsigned char c)
{
	switch (c) {
	case ':': return P_COLON;
	case ',': return P_COMMA;
	case '.': case '!': return P_STOP;
	case ';': return P_SEMI;
	case '?': return P_QUESTION;
	case '(': case '[': case '{': return P_OPEN;
	case ')': case ']': case '}': return P_CLOSE;
	case '|': return P_PIPE;
	case '/': return P_SLASH;
	case '=': return P_EQ;
	case '*': case '_': case '~': return P_EMPH;
	case '`': return P_CODE;
	case '"': case '\'': return P_QUOTE;
	case '#': return P_HASH;
	default: return P_OTHER;
	}
}

/* What a byte starts, for the tokenizer: below B_SPACE, the punctuation class of an
 * ASCII byte that is a token by itself; the others need a closer look. */
enum byte_class {
	B_SPACE = 32, /* above every enum punct */
	B_ALNUM,      /* a word or a number */
	B_MINUS,      /* a hyphen, a dash or an arrow */
	B_EQUALS,     /* = or => */
	B_MULTI       /* the first byte of a character of several bytes */
};

static unsigned char byte_class_of(unsigned char c)
{
	if (is_space(c))
		return B_SPACE;
	if (is_alnum(c))
		return B_ALNUM;
	if (c == '-')
		return B_MINUS;
	if (c == '=')
		return B_EQUALS;
	if (c >= 0x80)
		return B_MULTI;
	return (unsigned char)punct_class(c);
}

void lex_table_build(lex_table *table)
{
	memset(table, 0, sizeof *table);
	for (int c = 0; c < 256; c++) {
		table->byte_class[c] = byte_class_of((unsigned char)c);
		table->letter_index[c] = 26;
		int lower = c | 0x20;
		if (lower >= 'a' && lower <= 'z') {
			table->letter_index[c] = (unsigned char)(lower - 'a');
			table->end_bit[c] = 1u << (lower - 'a');
		} else if (c >= '0' && c <= '9') {
			table->end_bit[c] = 1u << 26;
		}
	}
	size_t count;
	const lexeme *lexicon = lex_lexicon(&count);
	for (size_t i = 0; i < count; i++) {
		const char *w = lexicon[i].word;
		size_t n = strlen(w); /* 1 to 24 bytes, from a to z, ending with a letter or
		                         a digit: lex_lexicon_check */
		packed_word pw = {{0, 0, 0}};
		memcpy(pw.c, w, n < LEX_MAX_WORD ? n : LEX_MAX_WORD);
		uint32_t slot = hash_packed(&pw) & (LEX_TABLE_SIZE - 1);
		while (table->slots[slot].used)
			slot = (slot + 1) & (LEX_TABLE_SIZE - 1);
		lex_slot *e = &table->slots[slot];
		memcpy(e->word, pw.w, sizeof pw.w);
		e->roles = lexicon[i].roles;
		e->kind = lexicon[i].kind;
		e->value = lexicon[i].value;
		e->used = 1;
		unsigned char first = (unsigned char)w[0], last = (unsigned char)w[n - 1];
		if (n <= LEX_MAX_WORD)
			table->known[n][table->letter_index[first]] |= table->end_bit[last];
		if (is_trigger_kind(lexicon[i].kind) && n <= LEX_TRIGGER_LEN)
			table->trigger[n][table->letter_index[first]] |= table->end_bit[last];
	}
}

void lex_init(lexer *lx, const lex_table *table, const char *text, size_t len)
{
	lx->text = text;
	lx->len = len;
	lx->table = table;
}

/* The lexicon's entry for a word (lowercase, zero-padded to 24 bytes), or NULL. */
static inline const lex_slot *lookup(const lex_table *tb, uint64_t w0, uint64_t w1, uint64_t w2)
{
	uint32_t slot = hash_words(w0, w1, w2) & (LEX_TABLE_SIZE - 1);
	const lex_slot *e;
	while ((e = &tb->slots[slot])->used) {
		if (e->word[0] == w0 && e->word[1] == w1 && e->word[2] == w2)
			return e;
		slot = (slot + 1) & (LEX_TABLE_SIZE - 1);
	}
	return NULL;
}

/* Length of the apostrophe at p (' or U+2019), 0 if none. */
static inline size_t apostrophe_at(const unsigned char *s, size_t p, size_t end)
{
	if (p >= end || (s[p] != '\'' && s[p] != 0xE2))
		return 0;
	if (s[p] == '\'')
		return 1;
	if (p + 2 < end && s[p + 1] == 0x80 && s[p + 2] == 0x99)
		return 3;
	return 0;
}

/* Whether an apostrophe may start at p: the word before it may go on (can't, it's). */
static int may_be_apostrophe(const unsigned char *s, size_t p, size_t end)
{
	return p < end && (s[p] == '\'' || s[p] == 0xE2);
}

/* The length of the UTF-8 sequence a lead byte starts (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	return 1;
}

/* Whether the word of n bytes from first to last (as in the text) may be one the
 * scan judges: three table reads, no branch on the bytes. */
static inline int maybe_trigger(const lex_table *tb, size_t n, unsigned char first,
                                unsigned char last)
{
	return n <= LEX_TRIGGER_LEN &&
	       (tb->trigger[n][tb->letter_index[first]] & tb->end_bit[last]) != 0;
}

/* Whether the lexicon may hold a word of n bytes from first to last: most words that
 * are not in it are known so without being packed and hashed. */
static inline int maybe_known(const lex_table *tb, size_t n, unsigned char first,
                              unsigned char last)
{
	return n <= LEX_MAX_WORD && (tb->known[n][tb->letter_index[first]] & tb->end_bit[last]) != 0;
}

/* A word token of text[start..end), not yet looked up. */
static void set_word(tok *t, int type, size_t start, size_t end)
{
	*t = (tok){.type = (unsigned char)type, .start = start, .end = end, .resolved = 1};
}

static void resolve_word(const lexer *lx, tok *t);
static inline void resolve_short(const lex_table *tb, tok *t, const unsigned char *w, size_t n);

/* What a run of tokens reads, passed by value: the lexer's fields stay in registers,
 * not read again after every token stored (a store may alias them, for all the
 * compiler knows). */
typedef struct lexview {
	const lexer *lx; /* for the slow paths */
	const unsigned char *s;
	size_t len;
	const lex_table *tb;
} lexview;

/* lex_word for any word: numbers, contractions, apostrophes, closing underscores. */
static size_t lex_word_general(const lexer *lx, size_t pos, size_t end, tok *t, int lazy)
{
	const unsigned char *s = (const unsigned char *)lx->text;
	size_t p = pos, n = 0; /* n: word bytes, without apostrophes */
	int contraction = 0, digits = s[pos] >= '0' && s[pos] <= '9';
	uint32_t num = 0;

	for (;;) {
		size_t from = p;
		if (digits) { /* only a word that starts with a digit may be a number */
			while (p < end && s[p] >= '0' && s[p] <= '9') {
				if (num < 1000000)
					num = num * 10 + (uint32_t)(s[p] - '0');
				p++;
			}
			if (p < end && word_byte[s[p]])
				digits = 0;
		}
		while (p < end && word_byte[s[p]])
			p++;
		n += p - from;
		size_t a = apostrophe_at(s, p, end);
		if (a && p + a < end && is_alnum(s[p + a])) {
			if ((s[p - 1] | 0x20) == 'n' && (s[p + a] | 0x20) == 't' &&
			    (p + a + 1 >= end || !word_byte[s[p + a + 1]]))
				contraction = 1;
			digits = 0;
			p += a;
			continue;
		}
		break;
	}
	if (s[p - 1] == '_' && n > 1) {
		while (n > 1 && s[p - 1] == '_') {
			p--;
			n--;
		}
		digits = 1;
		for (size_t i = pos; i < p && digits; i++)
			digits = s[i] >= '0' && s[i] <= '9';
	}
	set_word(t, digits ? TK_NUM : TK_WORD, pos, p);
	t->num = digits ? num : 0;
	t->apostrophe = (unsigned char)(p - pos != n);
	if (digits)
		return p;
	if (contraction) {
		t->roles = R_NEG_NOT;
		return p;
	}
	t->maybe = (unsigned char)maybe_trigger(lx->table, n, s[pos], s[p - 1]);
	t->resolved = 0;
	if (!lazy || t->maybe)
		resolve_word(lx, t);
	return p;
}

/* The span of the word at pos: letters, digits, underscores, and apostrophes between
 * letters (can't, it's); not the underscores that close an emphasis (_None_).
 * walled: the byte at end is in the text and is no word byte, so that a run of word
 * bytes stops there by itself (a line ends at a newline, a table cell at a |). */
static size_t lex_word(lexview v, size_t pos, size_t end, tok *t, int lazy, int walled)
{
	const unsigned char *s = v.s;
	size_t p = pos;

	/* Most words are a run of letters, or of digits, and nothing else: no underscore
	 * last (emphasis), no apostrophe after them (can't). The rest, rarer, take the
	 * general path, which reads the word again. */
	if (s[pos] <= '9') { /* a digit: alnum bytes below '9' are digits */
		uint32_t num = 0;
		while (p < end && s[p] >= '0' && s[p] <= '9') {
			if (num < 1000000)
				num = num * 10 + (uint32_t)(s[p] - '0');
			p++;
		}
		if ((p < end && word_byte[s[p]]) || may_be_apostrophe(s, p, end))
			return lex_word_general(v.lx, pos, end, t, lazy);
		set_word(t, TK_NUM, pos, p);
		t->num = num;
		return p;
	}
	if (walled) {
		while (word_byte[s[p]])
			p++;
	} else {
		while (p < end && word_byte[s[p]])
			p++;
	}
	if (s[p - 1] == '_' || may_be_apostrophe(s, p, end))
		return lex_word_general(v.lx, pos, end, t, lazy);
	set_word(t, TK_WORD, pos, p);
	t->maybe = (unsigned char)maybe_trigger(v.tb, p - pos, s[pos], s[p - 1]);
	t->resolved = 0;
	if (lazy && !t->maybe)
		return p;
	if (p - pos <= 8 && pos + 8 <= v.len)
		resolve_short(v.tb, t, s + pos, p - pos);
	else
		resolve_word(v.lx, t);
	return p;
}

/* Loading 8 bytes from mask_bytes + 8 - k (k <= 8) gives a mask of the first k bytes of
 * an 8-byte word in memory order, whatever the byte order of the machine. */
static const unsigned char mask_bytes[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

static uint64_t load8(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* x with its ASCII capitals lowercased, 8 bytes at once; every byte of x must be below
 * 0x80, so that adding to one byte never carries into the next. */
static uint64_t lower8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u;
	uint64_t from_a = x + ones * (0x80 - 'A');    /* high bit set where a byte is >= 'A' */
	uint64_t past_z = x + ones * (0x80 - 'Z' - 1); /* high bit set where a byte is > 'Z' */
	uint64_t capitals = from_a & ~past_z & ones * 0x80;
	return x | capitals >> 2; /* 0x80 >> 2 is the 0x20 between 'A' and 'a' */
}

/* The first k bytes (k <= 8) of the 8 at p, the others zero, lowercase. */
static uint64_t pack8(const unsigned char *p, size_t k)
{
	/* the mask zeroes what follows the word (any byte) before lowercasing */
	return lower8(load8(p) & load8(mask_bytes + 8 - k));
}

/* The word of n bytes (n <= 24) at p, lowercase and zero-padded, eight bytes at a
 * time. Reads 24 bytes from p: the caller makes sure they are in the text. */
static void pack_fast(packed_word *pw, const unsigned char *p, size_t n)
{
	pw->w[0] = pack8(p, n < 8 ? n : 8);
	pw->w[1] = n > 8 ? pack8(p + 8, n < 16 ? n - 8 : 8) : 0;
	pw->w[2] = n > 16 ? pack8(p + 16, n - 16) : 0;
}

/* The word of text[start..end), apostrophes left out, lowercase and zero-padded, a
 * byte at a time. Returns 0 when it has more word bytes than any lexicon word. */
static int pack_slow(packed_word *pw, const unsigned char *s, size_t start, size_t end)
{
	size_t n = 0;

	memset(pw, 0, sizeof *pw);
	for (size_t i = start; i < end; i++) {
		unsigned char c = s[i];
		if (!word_byte[c])
			continue; /* an apostrophe: it's is its */
		if (n == LEX_MAX_WORD)
			return 0;
		pw->c[n++] = (char)(c + 32 * ((unsigned)(c - 'A') < 26u));
	}
	return 1;
}

/* Looks an unresolved word up in the lexicon. */
static void resolve_word(const lexer *lx, tok *t)
{
	const unsigned char *s = (const unsigned char *)lx->text;
	size_t span = t->end - t->start;
	packed_word lower;

	const lex_slot *e;
	t->resolved = 1;
	if (!t->apostrophe) {
		/* the common case: word bytes only */
		if (!maybe_known(lx->table, span, s[t->start], s[t->end - 1]))
			return;
		if (span <= 8 && t->start + 8 <= lx->len) /* most words: one 8-byte load */
			e = lookup(lx->table, pack8(s + t->start, span), 0, 0);
		else {
			if (t->start + LEX_MAX_WORD <= lx->len)
				pack_fast(&lower, s + t->start, span); /* far enough from the end */
			else
				pack_slow(&lower, s, t->start, t->end);
			e = lookup(lx->table, lower.w[0], lower.w[1], lower.w[2]);
		}
	} else if (!pack_slow(&lower, s, t->start, t->end)) {
		return;
	} else {
		e = lookup(lx->table, lower.w[0], lower.w[1], lower.w[2]);
	}
	if (e) {
		t->kind = e->kind;
		t->value = e->value;
		t->roles = e->roles;
	}
}

/* resolve_word for a word of n <= 8 word bytes at w, with 8 bytes to read from w (the
 * most common word, looked up as the tokenizer finds it). */
static inline void resolve_short(const lex_table *tb, tok *t, const unsigned char *w, size_t n)
{
	const lex_slot *e = lookup(tb, pack8(w, n), 0, 0);
	t->resolved = 1;
	if (e) {
		t->kind = e->kind;
		t->value = e->value;
		t->roles = e->roles;
	}
}

void lex_resolve(const lexer *lx, tok *t)
{
	size_t span = t->end - t->start;
	if (t->resolved)
		return;
	if (!t->apostrophe && span <= 8 && t->start + 8 <= lx->len)
		resolve_short(lx->table, t, (const unsigned char *)lx->text + t->start, span);
	else
		resolve_word(lx, t);
}

static size_t set_punct(tok *t, size_t start, size_t end, int punct)
{
	*t = (tok){.type = TK_PUNCT, .punct = (unsigned char)punct, .start = start, .end = end,
	           .resolved = 1};
	return end;
}

/* A non-ASCII character: the punctuation it is, or P_NONE for one to skip. */
static int unicode_class(const unsigned char *s, size_t p, size_t n, int between_words)
{
	if (n == 2 && s[p] == 0xC2 && s[p + 1] == 0xB7)
		return P_DOT; /* · */
	if (n != 3)
		return P_NONE;
	if (s[p] == 0xE2 && s[p + 1] == 0x80) {
		switch (s[p + 2]) {
		case 0x93: return between_words ? P_JOIN : P_DASH; /* – */
		case 0x94: case 0x95: return P_DASH;             /* — ― */
		case 0x98: case 0x99: case 0x9C: case 0x9D: return P_QUOTE;
		case 0xA2: return P_DOT;                         /* • */
		case 0xA6: return P_STOP;                        /* … */
		default: return P_NONE;
		}
	}
	if (s[p] == 0xE2 && (s[p + 1] == 0x86 || s[p + 1] == 0x87))
		return P_DASH; /* arrows */
	if (s[p] == 0xE2 && s[p + 1] == 0x88 && s[p + 2] == 0x99)
		return P_DOT; /* ∙ */
	if (s[p] == 0xE2 && s[p + 1] == 0x8B && s[p + 2] == 0x85)
		return P_DOT; /* ⋅ */
	return P_NONE;
}

/* A word or a number at pos; a URL is one token: "/pull/12/approve" is no approval. */
static size_t word_token(lexview v, size_t pos, size_t end, tok *t, int lazy, int walled)
{
	const unsigned char *s = v.s;
	size_t p = lex_word(v, pos, end, t, lazy, walled);

	if (p - pos >= 3 && p - pos <= 5 && p + 3 <= end && s[p] == ':' && s[p + 1] == '/' &&
	    s[p + 2] == '/' && (s[pos] | 0x20) >= 'f' && (s[pos] | 0x20) <= 'h') {
		while (p < end && !is_space(s[p]) && s[p] != ')' && s[p] != '>' && s[p] != ']')
			p++;
		set_punct(t, pos, p, P_URL);
	}
	return p;
}

/* A hyphen between letters joins them (non-blocking); otherwise - -- --> are dashes. */
static size_t minus_token(const unsigned char *s, size_t pos, size_t end, tok *t)
{
	int before = pos > 0 && is_alnum(s[pos - 1]);
	int after = pos + 1 < end && is_alnum(s[pos + 1]);
	if (before && after)
		return set_punct(t, pos, pos + 1, P_JOIN);
	size_t p = pos;
	while (p < end && s[p] == '-')
		p++;
	if (p < end && s[p] == '>')
		p++;
	return set_punct(t, pos, p, P_DASH);
}

static size_t next_token(lexview v, size_t pos, size_t end, tok *t, int lazy, int walled)
{
	const unsigned char *s = v.s;
	const unsigned char *cls = v.tb->byte_class;

	for (;;) {
		unsigned char c = B_SPACE;
		while (pos < end && (c = cls[s[pos]]) == B_SPACE)
			pos++;
		if (pos >= end) {
			set_punct(t, end, end, P_NONE);
			t->type = TK_END;
			return end;
		}
		/* words first, then one byte of punctuation: most tokens are one or the other */
		if (c == B_ALNUM)
			return word_token(v, pos, end, t, lazy, walled);
		if (c < B_SPACE)
			return set_punct(t, pos, pos + 1, c);
		if (c == B_MINUS)
			return minus_token(s, pos, end, t);
		if (c == B_EQUALS) {
			if (pos + 1 < end && s[pos + 1] == '>')
				return set_punct(t, pos, pos + 2, P_DASH);
			return set_punct(t, pos, pos + 1, P_EQ);
		}
		/* B_MULTI: a character of several bytes */
		size_t n = utf8_len(s[pos]);
		if (pos + n > end)
			n = end - pos;
		int between = pos > 0 && is_alnum(s[pos - 1]) && pos + n < end &&
		              is_alnum(s[pos + n]);
		int cl = unicode_class(s, pos, n, between);
		if (cl != P_NONE)
			return set_punct(t, pos, pos + n, cl);
		pos += n; /* other characters (letters of other scripts, emoji) separate words */
	}
}

/* The one loop that lexes: next_token is inlined into it (its only caller) and keeps
 * the lexer's state in registers from one token to the next. A token ends where the
 * next is lexed from: next_token returns t->end. */
size_t lex_run(const lexer *lx, size_t pos, size_t end, tok *out, size_t max, int lazy)
{
	lexview v = {lx, (const unsigned char *)lx->text, lx->len, lx->table};
	int walled = end < v.len && !word_byte[v.s[end]];
	size_t n = 0;
	while (n < max) {
		pos = next_token(v, pos, end, &out[n], lazy, walled);
		if (out[n++].type == TK_END)
			break;
	}
	return n;
}

size_t lex_next(const lexer *lx, size_t pos, size_t end, tok *t)
{
	lex_run(lx, pos, end, t, 1, 0);
	return t->end;
}

int lex_has_trigger(const lexer *lx, size_t start, size_t end)
{
	const unsigned char *s = (const unsigned char *)lx->text;
	/* Inside the notes a line ends at a newline, which no word crosses: the loop over
	 * a word's bytes needs no bound. The last line has no newline after it. */
	const unsigned char *p = s + start, *stop = s + end;
	int bounded = end == lx->len;

	while (p < stop) {
		while (p < stop && !word_byte[*p])
			p++;
		if (p == stop)
			break;
		if (*p == '_') { /* opens an emphasis: the word starts after it */
			p++;
			continue;
		}
		const unsigned char *w = p;
		if (bounded) {
			while (p < stop && word_byte[*p])
				p++;
		} else {
			while (word_byte[*p])
				p++;
		}
		if (p < stop && (*p == '\'' || *p == 0xE2) && apostrophe_at(s, (size_t)(p - s), end)) {
			/* can't, it's: the word as lex_word has it, the slow way */
			tok t;
			size_t q = lex_word_general(lx, (size_t)(w - s), end, &t, 1);
			if (t.maybe)
				return 1;
			p = s + q;
			continue;
		}
		const unsigned char *e = p;
		while (e > w + 1 && e[-1] == '_')
			e--;
		if (maybe_trigger(lx->table, (size_t)(e - w), *w, e[-1]))
			return 1;
	}
	return 0;
}

size_t lex_next_plain(const lexer *lx, size_t pos, size_t end, tok *t)
{
	for (;;) {
		pos = lex_next(lx, pos, end, t);
		if (t->type != TK_PUNCT ||
		    (t->punct != P_EMPH && t->punct != P_QUOTE && t->punct != P_CODE))
			return pos;
	}
}

int tok_is(const lexer *lx, const tok *t, const char *w)
{
	size_t n = t->end - t->start, i = 0;
	if (t->type != TK_WORD)
		return 0;
	/* a byte at a time, to the first that differs: no strlen of w */
	for (; w[i]; i++) {
		if (i == n)
			return 0;
		char c = lx->text[t->start + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[i])
			return 0;
	}
	return i == n;
}

int kind_is_severity(int kind)
{
	switch (kind) {
	case K_BLOCKING: case K_CRITICAL: case K_MAJOR: case K_MINOR: case K_NIT:
	case K_SUGGESTION: case K_HIGH: case K_MEDIUM: case K_LOW:
		return 1;
	default:
		return 0;
	}
}
