/* SPDX-License-Identifier: MIT */
/* The keyword scan of review notes (SPEC 5).
 *
 * One pass over the notes, line by line, token by token; nothing allocated. A signal
 * word is judged where it stands: the few tokens before it (kept in a small ring) say
 * whether a negation or a zero count governs it; the few after it (read again from
 * the text) say whether it labels a count, a finding or a condition. Every line is a
 * clause of its own: agents write one thought per line, and a negation that reached
 * across lines could silence a blocking finding on the next one.
 *
 * Where the scan cannot tell, it leans to the more severe reading: a false clean
 * merges a bad change, a false blocking only asks a human.
 */
#include <config.h>

#include <string.h>

#include "classify_internal.h"
#include "classify_lex.h"
#include "classify_lines.h"

#define RING 16    /* tokens the judges may look back at */
#define MAX_COLS 64 /* table columns whose labels are tracked */
#define GROUP_MAX 8 /* words of a Critical/Major/Minor group */
#define CACHE 64    /* tokens read outside the window, remembered by position */
#define WINDOW 64   /* tokens of a segment lexed at once */

typedef struct seg {
	size_t end;    /* the segment (a line or a table cell) ends here */
	int can_cross; /* a count may stand on the next line ("### Blockers" / "None.") */
	/* Words of approval here are not the reviewer's verdict (code, a quote, a box
	 * left unchecked): only their refusal counts, as it can only make a review
	 * worse. */
	int quiet;
} seg;

/* A token lexed from pos in a segment that ends at end (its own end is where the
 * next one is lexed from). */
typedef struct cached {
	size_t pos, end;
	tok t;
} cached;

/* The tokens of the segment being scanned, lexed in runs: the scan walks them, and
 * the judges read them ahead of a word without lexing them again. t[0] is the token
 * lexed from start, t[i + 1] the one lexed from t[i].end, all in a segment that ends
 * at end; the last is TK_END when the segment ends within the window. */
typedef struct window {
	size_t start, end;
	size_t n;    /* tokens in t */
	size_t cur;  /* the token the scan is at: the judges read from its end */
	size_t last; /* the token a judge read last: they read on from its end */
	size_t run;  /* the first token behind which the judges may look (see back) */
	tok t[WINDOW];
} window;

typedef struct scanner {
	lexer lx;
	window win; /* the segment being scanned */
	cached cache[CACHE];
	/* The last tokens of the run before the window, when a long segment takes more
	 * than one: carry[carried - 1] is the one just before t[0]. */
	tok carry[RING];
	size_t carried;
	int found[WR_SEVERITY_BLOCKING + 1];
	size_t found_at[WR_SEVERITY_BLOCKING + 1]; /* the segment where each was first seen */
	int in_table, table_rows;
	int label_cols; /* col_label and col_counted are zero from here on */
	unsigned char col_label[MAX_COLS];   /* a header's severity awaiting its counts */
	unsigned char col_counted[MAX_COLS]; /* a count was given for that column */
} scanner;

enum gov { GOV_NONE, GOV_ABSENT, GOV_NOT };
enum after { A_PROSE, A_LABEL, A_ZERO, A_POSITIVE, A_DESC };

static const tok break_tok = {.type = TK_BREAK, .resolved = 1};

static void emit(scanner *s, wr_severity sev)
{
	if (!s->found[sev])
		s->found_at[sev] = s->win.start;
	s->found[sev] = 1;
}

/* Looks a token up in the lexicon if it was left unresolved: most are resolved already,
 * and the check costs less than the call. */
static void resolve(scanner *s, tok *t)
{
	if (!t->resolved)
		lex_resolve(&s->lx, t);
}

/* The k-th token behind the one the scan is at (0 is the one just before it), within
 * RING tokens of its run: the tokens of its segment, or since the group of counts the
 * scan went past (slash_group). Further back is a break, where every judge stops: a
 * line is a clause of its own. */
static const tok *back(scanner *s, size_t k)
{
	window *w = &s->win;
	size_t in_window = w->cur - w->run;
	tok *t;
	if (k >= RING)
		return &break_tok;
	if (k < in_window)
		t = &w->t[w->cur - 1 - k];
	else if (k - in_window < s->carried)
		t = &s->carry[s->carried - 1 - (k - in_window)];
	else
		return &break_tok;
	resolve(s, t);
	return t;
}

/* Before the window is filled again in the middle of a run: keeps its last RING
 * tokens for back(). */
static void carry_run(scanner *s)
{
	window *w = &s->win;
	tok keep[RING];
	size_t in_window = w->n - w->run, m = 0;
	size_t old = in_window >= RING ? 0 : s->carried < RING - in_window ? s->carried : RING - in_window;
	for (size_t k = s->carried - old; k < s->carried; k++)
		keep[m++] = s->carry[k];
	for (size_t i = in_window > RING ? w->n - RING : w->run; i < w->n; i++)
		keep[m++] = w->t[i];
	memcpy(s->carry, keep, m * sizeof *keep);
	s->carried = m;
}

static int is_punct(const tok *t, int p)
{
	return t->type == TK_PUNCT && t->punct == p;
}

static int is_plain_skip(const tok *t)
{
	return t->type == TK_PUNCT &&
	       (t->punct == P_EMPH || t->punct == P_QUOTE || t->punct == P_CODE);
}

/* Lexes the tokens of a segment ending at end, from pos, into the window w. */
static void window_fill(scanner *s, window *w, size_t pos, size_t end)
{
	w->start = pos;
	w->end = end;
	w->n = lex_run(&s->lx, pos, end, w->t, WINDOW, 1);
	w->cur = w->last = w->run = 0;
}

/* The index in the window of the token lexed from pos (in the window's segment), or
 * WINDOW when the window does not hold it: pos must be its start or the end of one
 * of its tokens, the token after that one in it. */
static inline size_t window_index(const window *w, size_t pos)
{
	if (w->n == 0)
		return WINDOW;
	if (pos == w->start)
		return 0;
	size_t i = w->cur; /* the judges read from the end of the word they judge */
	if (w->t[i].end != pos) {
		/* or near the token read last: walk from it (token ends never go down) */
		i = w->last;
		if (w->t[i].end < pos) {
			while (i + 1 < w->n && w->t[i].end < pos)
				i++;
		} else {
			while (i > 0 && w->t[i].end > pos)
				i--;
		}
		if (w->t[i].end != pos)
			return WINDOW;
	}
	return i + 1 < w->n ? i + 1 : WINDOW;
}

/* The token at pos, read ahead by a judge outside the window (a table cell, the next
 * line): through a small cache, as judges read the same tokens one after another. */
static const tok *cached_tok(scanner *s, size_t pos, size_t end)
{
	cached *c = &s->cache[pos % CACHE];
	if (c->pos != pos || c->end != end) {
		c->pos = pos;
		c->end = end;
		lex_next(&s->lx, pos, end, &c->t);
	} else {
		resolve(s, &c->t);
	}
	return &c->t;
}

/* lex_next for reading ahead: from the window when it holds the token (resolved there,
 * once), else through the cache. */
static size_t next_tok(scanner *s, size_t pos, size_t end, tok *t)
{
	window *w = &s->win;
	size_t i = end == w->end ? window_index(w, pos) : WINDOW;
	if (i < WINDOW) {
		w->last = i;
		resolve(s, &w->t[i]); /* once: the scan gets it resolved */
		*t = w->t[i];
	} else {
		*t = *cached_tok(s, pos, end);
	}
	return t->end;
}

/* next_tok, skipping emphasis and quotes. */
static size_t next_plain(scanner *s, size_t pos, size_t end, tok *t)
{
	for (;;) {
		pos = next_tok(s, pos, end, t);
		if (!is_plain_skip(t))
			return pos;
	}
}

/* The index of the first token at or behind k that is not emphasis or a quote. */
static size_t back_plain(scanner *s, size_t k)
{
	while (k < RING && is_plain_skip(back(s, k)))
		k++;
	return k;
}

static wr_severity kind_severity(int kind)
{
	switch (kind) {
	case K_MINOR: case K_NIT: case K_SUGGESTION: case K_MEDIUM: case K_LOW:
		return WR_SEVERITY_MINOR; /* SPEC 5.3: "severity: medium/low" is minor */
	default:
		return WR_SEVERITY_BLOCKING;
	}
}

/* A signal word the table and group rules read as a label: the severities, and the
 * ratings review bots count by ("| High | 1 |", "High / Medium / Low: 0 / 1 / 0"). */
static int is_label_kind(int kind)
{
	return kind == K_BLOCKING || kind == K_CRITICAL || kind == K_MAJOR || kind == K_MINOR ||
	       kind == K_NIT || kind == K_SUGGESTION || kind == K_HIGH || kind == K_MEDIUM ||
	       kind == K_LOW;
}

/* Whether the 0 at back(k) counts what follows it ("0 critical") and not a version,
 * a phase, the end of a decimal, or the count of the label before it ("Nit: 0
 * Blocking: 1", "Critical 0 Major 1"). */
static int zero_is_count(scanner *s, size_t k)
{
	const tok *t = back(s, k), *p = back(s, k + 1);
	if (p->type == TK_PUNCT && p->end == t->start && p->punct != P_OPEN &&
	    p->punct != P_EMPH && p->punct != P_CODE && p->punct != P_PIPE)
		return 0;
	if (p->type == TK_WORD && (p->roles & R_NUM_CTX))
		return 0;
	size_t j = back_plain(s, k + 1);
	p = back(s, j);
	if (p->type == TK_PUNCT && (p->punct == P_COLON || p->punct == P_EQ ||
	                            p->punct == P_DASH || p->punct == P_OPEN))
		p = back(s, back_plain(s, j + 1));
	if (p->type == TK_WORD && (kind_is_severity(p->kind) ||
	                           ((p->roles & R_NOUN) && !(p->roles & R_TRANSP))))
		return 0;
	return 1;
}

/* Whether a comma or "or" follows the word ending at pos: it may be one of a list. */
static int list_follows(scanner *s, size_t pos, const seg *g)
{
	tok t;
	next_plain(s, pos, g->end, &t);
	return is_punct(&t, P_COMMA) || is_punct(&t, P_SLASH) ||
	       (t.type == TK_WORD && t.kind == K_OR);
}

/* Whether the word before which `skip` tokens of its own phrase stand is governed by a
 * negation: "not blocking", "no new critical issues", "zero major findings",
 * "non-blocking", "no critical, major or minor issues". A refusal ("cannot approve",
 * "not ready to merge") reaches further, across the words of a sentence's subject and
 * modals, but not across severity words. list (may be NULL): the segment of a word
 * ending at list_pos that may be one of a list of severities, when a comma or "or"
 * follows it (list_follows); a comma before it may then join the list. It is read
 * only when a comma is met. */
static int governed(scanner *s, size_t skip, int refusal, const seg *list, size_t list_pos)
{
	int seen_or = 0, joined = 0; /* joined: an or, comma or slash was just passed */
	int in_list = -1;            /* not read yet */
	for (size_t k = skip, steps = 0; steps < 10; k++, steps++) {
		const tok *t = back(s, k);
		switch (t->type) {
		case TK_NUM:
			if (t->num == 0 && zero_is_count(s, k))
				return GOV_ABSENT;
			return GOV_NONE;
		case TK_PUNCT:
			switch (t->punct) {
			case P_EMPH: case P_QUOTE: case P_CODE: case P_JOIN:
				continue;
			case P_SLASH:
				if (!refusal && kind_is_severity(back(s, back_plain(s, k + 1))->kind)) {
					joined = 1;
					continue;
				}
				return GOV_NONE;
			case P_COMMA:
				if (refusal) /* "cannot, in good conscience, approve" */
					continue;
				if (!seen_or && in_list < 0)
					in_list = list && list_follows(s, list_pos, list);
				if ((seen_or || in_list) &&
				    kind_is_severity(back(s, back_plain(s, k + 1))->kind)) {
					joined = 1;
					continue;
				}
				return GOV_NONE;
			default:
				return GOV_NONE;
			}
		case TK_WORD:
			if (t->roles & R_NEG_NOT)
				return GOV_NOT;
			if (t->roles & R_NEG_ABSENT) {
				/* non- negates only what it is joined to */
				if (tok_is(&s->lx, t, "non") && !(k > skip && is_punct(back(s, k - 1), P_JOIN)))
					return GOV_NONE;
				return GOV_ABSENT;
			}
			if (refusal && (t->roles & R_NEG_REFUSE))
				return GOV_NOT;
			if (!refusal && t->kind == K_OR) {
				seen_or = joined = 1;
				continue;
			}
			/* "no critical or major issues"; but "non-blocking nit" is a nit */
			if (!refusal && kind_is_severity(t->kind) && joined) {
				joined = 0;
				continue;
			}
			if (t->roles & R_TRANSP)
				continue;
			/* "none of these findings are blocking" */
			if (!refusal && (t->roles & R_NOUN))
				continue;
			if (refusal && (t->roles & R_TRANSP_REF))
				continue;
			return GOV_NONE;
		default:
			return GOV_NONE;
		}
	}
	return GOV_NONE;
}

static int is_label_sep(const tok *t)
{
	if (t->type != TK_PUNCT)
		return 0;
	switch (t->punct) {
	case P_COLON: case P_EQ: case P_PIPE: case P_DASH: case P_QUESTION: case P_OPEN:
		return 1;
	default:
		return 0;
	}
}

/* A count at t (read from pos onwards): digits, a number word, none/no/zero, N/A.
 * Returns 1 with *v and *after (the position after the count). */
static int count_at(scanner *s, const tok *t, size_t pos, size_t end, uint32_t *v,
                    size_t *after)
{
	if (t->type == TK_NUM) {
		*v = t->num;
		*after = pos;
		return 1;
	}
	if (t->type != TK_WORD)
		return 0;
	if (t->roles & R_COUNT) {
		*v = t->value;
		*after = pos;
		return 1;
	}
	if (t->kind == K_N) { /* N/A */
		tok a, b;
		size_t p = next_tok(s, pos, end, &a);
		if (is_punct(&a, P_SLASH) && a.start == t->end) {
			p = next_tok(s, p, end, &b);
			if (tok_is(&s->lx, &b, "a") && b.start == a.end) {
				*v = 0;
				*after = p;
				return 1;
			}
		}
	}
	return 0;
}

/* Whether a zero count ends where a count does: at the end, at punctuation between
 * items, or before a noun ("0 issues", "none found"). "Critical: no input validation"
 * and "critical zero-day" are not zero counts. */
static int zero_ends(scanner *s, size_t pos, size_t end)
{
	tok t;
	next_plain(s, pos, end, &t);
	switch (t.type) {
	case TK_END:
	case TK_BREAK:
		return 1;
	case TK_PUNCT:
		switch (t.punct) {
		case P_STOP: case P_SEMI: case P_COMMA: case P_SLASH: case P_PIPE: case P_DOT:
		case P_DASH: case P_OPEN: case P_CLOSE: case P_QUESTION:
			return 1;
		default:
			return 0;
		}
	case TK_WORD:
		return (t.roles & (R_NOUN | R_TERM)) || kind_is_severity(t.kind) ||
		       t.kind == K_ISSUES || t.kind == K_FINDINGS;
	default:
		return 0;
	}
}

/* The start and end of the content of the next line that is not blank (at most two
 * blank lines away), for a label at the end of its line. Returns 0 when there is none
 * or it is not prose (a table, a fence, a heading). */
static int next_line(scanner *s, size_t end, size_t *start, size_t *line_end)
{
	const char *text = s->lx.text;
	size_t len = s->lx.len, pos = end;
	for (int blanks = 0; blanks <= 2; blanks++) {
		if (pos >= len)
			return 0;
		pos++; /* past the newline */
		if (pos >= len)
			return 0;
		line_info li;
		line_describe(text, len, pos, &li);
		if (li.table || li.fence || li.heading || li.rule)
			return 0;
		if (!li.blank) {
			*start = li.content;
			*line_end = li.end;
			return 1;
		}
		pos = li.end;
	}
	return 0;
}

/* What follows a severity word that ends at pos: its count ("Critical: 0",
 * "Major (2)", "Blockers — none", "Critical 0 · Major 1", a heading then "None."), a
 * label ("Major: the cache..."), a noun it describes ("a major refactor"), or prose. */
static int look_after(scanner *s, size_t pos, const seg *g)
{
	const lexer *lx = &s->lx;
	size_t end = g->end, p;
	int sep = 0, nouns = 0, crossed = 0;
	tok t;

	p = next_plain(s, pos, end, &t);
	if (is_punct(&t, P_JOIN)) { /* "blocker-free", "nit-free" */
		tok u;
		next_tok(s, p, end, &u);
		if (tok_is(lx, &u, "free"))
			return A_ZERO;
	}
	while (t.type == TK_WORD && (t.roles & R_NOUN) && !kind_is_severity(t.kind) && nouns < 3) {
		nouns++;
		p = next_plain(s, p, end, &t);
	}
	if (is_label_sep(&t)) {
		sep = 1;
		p = next_plain(s, p, end, &t);
	}
	if (t.type == TK_END && g->can_cross) {
		size_t start;
		if (next_line(s, end, &start, &end)) {
			crossed = 1;
			p = next_plain(s, start, end, &t);
		}
	}
	if (is_punct(&t, P_OPEN) && (sep || crossed)) /* "Critical: (none)" */
		p = next_plain(s, p, end, &t);
	uint32_t v;
	size_t after;
	if (!count_at(s, &t, p, end, &v, &after)) {
		if (sep)
			return A_LABEL;
		if (!crossed && !nouns && t.type == TK_WORD && (t.roles & R_DESC))
			return A_DESC;
		return A_PROSE;
	}
	if (v > 0)
		return A_POSITIVE;
	if (zero_ends(s, after, end))
		return A_ZERO;
	return sep ? A_LABEL : A_PROSE;
}

/* Whether a MAJOR is a label by what stands before it: "[Major]", "2 major",
 * "severity: major", "severity is major". */
static int labelled_before(scanner *s, size_t skip)
{
	size_t k = back_plain(s, skip);
	const tok *t = back(s, k);
	if (is_punct(t, P_OPEN))
		return 1;
	if (t->type == TK_NUM)
		return t->num > 0;
	if (t->type == TK_WORD && (t->roles & R_COUNT))
		return t->value > 0;
	if (t->type == TK_WORD && t->kind == K_SEVERITY)
		return 1;
	if (is_punct(t, P_COLON) || is_punct(t, P_EQ) || is_punct(t, P_JOIN) ||
	    (t->type == TK_WORD && (t->roles & R_COPULA))) {
		const tok *u = back(s, back_plain(s, k + 1));
		return u->type == TK_WORD && u->kind == K_SEVERITY;
	}
	return 0;
}

/* Whether the finding a signal names is said to be resolved: "the previous blocking
 * issue is now fixed", "all blockers from pass 1 resolved". Only a plain statement
 * counts: "is not fixed", "is fixed in the wrong place" leave the signal standing. */
static int resolved_after(scanner *s, size_t pos, const seg *g)
{
	const lexer *lx = &s->lx;
	tok t;
	size_t p = pos;
	for (int i = 0; i < 12; i++) {
		p = next_plain(s, p, g->end, &t);
		if (t.type == TK_NUM)
			continue;
		if (is_punct(&t, P_OPEN)) { /* "the blocker (unbounded queue) is fixed" */
			for (int j = 0; j < 12 && t.type != TK_END && !is_punct(&t, P_CLOSE); j++)
				p = next_plain(s, p, g->end, &t);
			if (!is_punct(&t, P_CLOSE))
				return 0;
			continue;
		}
		if (t.type == TK_PUNCT) {
			if (t.punct == P_COLON || t.punct == P_DASH || t.punct == P_HASH ||
			    t.punct == P_JOIN)
				continue;
			return 0;
		}
		if (t.type != TK_WORD)
			return 0;
		if (t.roles & R_RESOLVED) {
			tok u, w;
			size_t q = next_plain(s, p, g->end, &u);
			if (u.type == TK_END)
				return 1;
			if (u.type == TK_PUNCT) {
				if (u.punct == P_COMMA || u.punct == P_SEMI || u.punct == P_DASH) {
					/* "addressed, but the fix is incomplete" */
					next_plain(s, q, g->end, &w);
					if (w.type == TK_WORD && (w.roles & (R_CONTRAST | R_QUAL_AFTER)))
						return 0;
				}
				return u.punct == P_STOP || u.punct == P_COMMA || u.punct == P_SEMI ||
				       u.punct == P_DASH || u.punct == P_CLOSE || u.punct == P_COLON;
			}
			return tok_is(lx, &u, "now") || tok_is(lx, &u, "already") ||
			       tok_is(lx, &u, "correctly") || tok_is(lx, &u, "properly") ||
			       tok_is(lx, &u, "fully") || tok_is(lx, &u, "cleanly");
		}
		if (t.roles & (R_NOUN | R_RESOLVE_GAP))
			continue;
		return 0;
	}
	return 0;
}

/* Critical/Major/Minor/Nit: 0/0/1/0 -- a group of severities and their counts. When
 * the counts match the words, each count speaks for its word; a lone zero speaks for
 * all; otherwise every word is a label. Returns 1 with *resume after the counts, or 0
 * when t does not start such a group with counts. */
static int slash_group(scanner *s, const tok *first, size_t pos, const seg *g, size_t *resume)
{
	unsigned char kinds[GROUP_MAX];
	uint32_t counts[GROUP_MAX];
	size_t n = 0, m = 0, p = pos, q;
	tok t;

	kinds[n++] = first->kind;
	for (;;) {
		q = next_plain(s, p, g->end, &t);
		if (!is_punct(&t, P_SLASH) || n == GROUP_MAX)
			break;
		q = next_plain(s, q, g->end, &t);
		if (t.type != TK_WORD || !is_label_kind(t.kind))
			break;
		kinds[n++] = t.kind;
		p = q;
	}
	if (n == 1)
		return 0;
	q = next_plain(s, p, g->end, &t);
	for (int nouns = 0; t.type == TK_WORD && (t.roles & R_NOUN) && nouns < 3; nouns++) {
		p = q;
		q = next_plain(s, p, g->end, &t);
	}
	if (is_label_sep(&t)) {
		p = q;
		q = next_plain(s, p, g->end, &t);
	}
	for (;;) {
		size_t after;
		if (m == GROUP_MAX || !count_at(s, &t, q, g->end, &counts[m], &after))
			break;
		m++;
		p = after;
		q = next_plain(s, p, g->end, &t);
		if (!is_punct(&t, P_SLASH))
			break;
		q = next_plain(s, q, g->end, &t);
	}
	if (m == 0)
		return 0;
	*resume = p;
	int zero_ok = zero_ends(s, p, g->end);
	if (m == 1 && counts[0] == 0 && zero_ok)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (m != n || counts[i] > 0 || !zero_ok)
			emit(s, kind_severity(kinds[i]));
	return 1;
}

/* A severity signal (blocking, critical, major, minor, nit, suggestion, request
 * changes, must fix) ending at pos, whose phrase has `skip` tokens behind it in the
 * ring. Returns where the scan goes on, or 0 for after the word. */
static size_t severity_word(scanner *s, const tok *t, size_t skip, size_t pos, const seg *g,
                            int kind)
{
	wr_severity sev = kind_severity(kind);
	int gov = governed(s, skip, 0, g, pos);

	if (gov == GOV_ABSENT)
		return 0;
	if (gov == GOV_NOT) {
		/* "not blocking" is cancelled; "this is not a nit" says it is worse */
		if (sev == WR_SEVERITY_MINOR)
			emit(s, WR_SEVERITY_BLOCKING);
		return 0;
	}
	size_t resume;
	if (skip == 0 && slash_group(s, t, pos, g, &resume))
		return resume;
	/* What is left can only find this word's own severity, or nothing: once one of
	 * that severity is found, reading on changes nothing. */
	if (s->found[sev])
		return 0;
	int a = look_after(s, pos, g);
	if (a == A_ZERO)
		return 0;
	if (a == A_DESC && kind == K_MAJOR && !labelled_before(s, skip))
		return 0;
	if (a != A_POSITIVE && resolved_after(s, pos, g))
		return 0;
	emit(s, sev);
	return 0;
}

/* "Approve: no", "LGTM? Not yet", "approval withheld", "merge: blocked". */
static int refused_after(scanner *s, size_t pos, const seg *g)
{
	const lexer *lx = &s->lx;
	tok t;
	size_t p = next_plain(s, pos, g->end, &t);

	if (is_punct(&t, P_COLON) || is_punct(&t, P_QUESTION) || is_punct(&t, P_EQ) ||
	    (t.type == TK_WORD && ((t.roles & R_COPULA) || tok_is(lx, &t, "status"))))
		p = next_plain(s, p, g->end, &t);
	if (t.type != TK_WORD)
		return 0;
	if (t.roles & R_POST_REFUSE)
		return 1;
	if (!(t.roles & R_NEG_NOT) && !tok_is(lx, &t, "no"))
		return 0;
	tok u;
	next_plain(s, p, g->end, &u);
	if (u.type == TK_END)
		return 1;
	if (u.type == TK_PUNCT)
		return u.punct == P_STOP || u.punct == P_COMMA || u.punct == P_SEMI ||
		       u.punct == P_DASH || u.punct == P_QUESTION || u.punct == P_CLOSE;
	static const char *const follow[] = {"yet", "recommended", "granted", "approved", "now",
	                                     "ready", "quite", "until", "at", "given", "possible",
	                                     "advised", "advisable", "as", "in"};
	for (size_t i = 0; i < sizeof follow / sizeof *follow; i++)
		if (tok_is(lx, &u, follow[i]))
			return 1;
	return 0;
}

/* Whether an approval comes with conditions: "LGTM except ...", "approve after the
 * fixes", "mostly clean", "otherwise LGTM", "other than that, approve". */
static int qualified(scanner *s, size_t pos, const seg *g)
{

	for (size_t k = 0; k < 6; k++) {
		const tok *t = back(s, k);
		if (t->type == TK_BREAK)
			break;
		if (t->type == TK_PUNCT && (t->punct == P_STOP || t->punct == P_QUESTION ||
		                            t->punct == P_COLON))
			break;
		if (t->type != TK_WORD)
			continue;
		if (t->roles & R_QUAL_BEFORE)
			return 1;
		if (t->kind == K_THAN && back(s, k + 1)->kind == K_OTHER)
			return 1;
	}
	tok t, u;
	size_t p = pos;
	for (int i = 0; i < 8; i++) {
		p = next_plain(s, p, g->end, &t);
		if (t.type == TK_END)
			break;
		if (t.type == TK_PUNCT && (t.punct == P_STOP || t.punct == P_QUESTION ||
		                           t.punct == P_COLON))
			break;
		if (t.type != TK_WORD)
			continue;
		if (t.roles & R_QUAL_AFTER)
			return 1;
		if (t.kind == K_WITH || t.kind == K_OTHER) {
			size_t q = p;
			for (int j = 0; j < 2; j++) {
				q = next_plain(s, q, g->end, &u);
				if (u.type != TK_WORD)
					break;
				if (t.kind == K_OTHER && u.kind == K_THAN)
					return 1;
				if (t.kind == K_WITH && ((u.roles & R_FIXNOUN) || kind_is_severity(u.kind)))
					return 1;
			}
		}
	}
	return 0;
}

static void approval_word(scanner *s, const tok *t, size_t pos, const seg *g)
{
	if (governed(s, 0, 1, NULL, 0) != GOV_NONE || refused_after(s, pos, g)) {
		emit(s, WR_SEVERITY_BLOCKING); /* a refused approval is never clean */
		return;
	}
	if ((t->kind != K_APPROVE && t->kind != K_LGTM) || g->quiet)
		return; /* approval, merge: only their refusal is a signal */
	if (s->found[WR_SEVERITY_MINOR])
		return; /* clean or minor: neither is news after a minor finding */
	emit(s, qualified(s, pos, g) ? WR_SEVERITY_MINOR : WR_SEVERITY_CLEAN);
}

/* "clean up", "clean build", "lint: clean", "ASan is clean": not a verdict. */
static int clean_exempt(scanner *s, size_t pos, const seg *g)
{
	tok t;
	size_t p = next_plain(s, pos, g->end, &t);
	if (is_punct(&t, P_JOIN))
		next_plain(s, p, g->end, &t);
	if (t.type == TK_WORD && (t.roles & R_CLEAN_NEXT))
		return 1;
	for (size_t k = 0; k < 5; k++) {
		const tok *b = back(s, k);
		if (is_plain_skip(b) || is_punct(b, P_COLON) || is_punct(b, P_DASH) ||
		    is_punct(b, P_EQ) || is_punct(b, P_JOIN))
			continue;
		if (b->type != TK_WORD)
			return 0;
		if (b->roles & R_CLEAN_PREV)
			return 1;
		if (!(b->roles & R_COPULA))
			return 0;
	}
	return 0;
}

static void clean_word(scanner *s, size_t pos, const seg *g)
{
	/* all it can find is clean or minor: neither is news after a minor finding */
	if (g->quiet || s->found[WR_SEVERITY_MINOR])
		return;
	if (governed(s, 0, 0, NULL, 0) != GOV_NONE || refused_after(s, pos, g) || clean_exempt(s, pos, g))
		return;
	emit(s, qualified(s, pos, g) ? WR_SEVERITY_MINOR : WR_SEVERITY_CLEAN);
}

/* "no issues", "no findings" -- but not "no issues with the parser" (an all-clear for
 * one part says nothing of the rest). */
static void no_issues(scanner *s, size_t pos, const seg *g)
{
	if (g->quiet || s->found[WR_SEVERITY_MINOR])
		return; /* all it can find is clean or minor: no news after a minor finding */
	const tok *prev = back(s, back_plain(s, 0));
	if (prev->type != TK_WORD || prev->kind != K_NO)
		return;
	tok t;
	size_t p = pos;
	for (int i = 0; i < 4; i++) {
		p = next_plain(s, p, g->end, &t);
		if (t.type != TK_WORD)
			break;
		if (t.roles & R_SCOPE)
			return;
		if (!(t.roles & (R_NOUN | R_COPULA | R_TERM)) || t.kind == K_OR)
			break;
	}
	emit(s, qualified(s, pos, g) ? WR_SEVERITY_MINOR : WR_SEVERITY_CLEAN);
}

/* "high severity", "high-severity", "severity: medium", "Severity level: low". */
static void severity_label(scanner *s, size_t pos, const seg *g)
{
	size_t k = back_plain(s, 0);
	if (is_punct(back(s, k), P_JOIN))
		k = back_plain(s, k + 1);
	const tok *b = back(s, k);
	if (b->type == TK_WORD && (b->kind == K_HIGH || b->kind == K_MEDIUM || b->kind == K_LOW)) {
		if (governed(s, k + 1, 0, NULL, 0) != GOV_NONE || look_after(s, pos, g) == A_ZERO)
			return;
		emit(s, kind_severity(b->kind));
		return;
	}
	tok t;
	size_t p = next_plain(s, pos, g->end, &t);
	if (t.type == TK_WORD && (t.roles & R_NOUN) && !(t.roles & R_COPULA))
		p = next_plain(s, p, g->end, &t);
	if (is_punct(&t, P_COLON) || is_punct(&t, P_EQ) || is_punct(&t, P_DASH) ||
	    (t.type == TK_WORD && (t.roles & R_COPULA)))
		p = next_plain(s, p, g->end, &t);
	if (t.type == TK_WORD && (t.kind == K_HIGH || t.kind == K_MEDIUM || t.kind == K_LOW) &&
	    look_after(s, p, g) != A_ZERO)
		emit(s, kind_severity(t.kind));
}

/* "High: 1", "Medium (2)": a rating with a count above zero after it, as review bots
 * list their findings. */
static void rating_count(scanner *s, size_t pos, const seg *g, int kind)
{
	tok t;
	size_t p = next_plain(s, pos, g->end, &t);
	if (!(is_punct(&t, P_COLON) || is_punct(&t, P_OPEN) || is_punct(&t, P_EQ)))
		return;
	next_plain(s, p, g->end, &t);
	if (t.type == TK_NUM && t.num > 0)
		emit(s, kind_severity(kind));
}

/* The word before the current one, past a hyphen ("request-changes", "must-fix"):
 * its kind, and in *skip the tokens it and the hyphen take in the ring. */
static int previous_word(scanner *s, size_t *skip)
{
	size_t k = 0;
	if (is_punct(back(s, 0), P_JOIN))
		k = 1;
	const tok *t = back(s, k);
	*skip = k + 1;
	return t->type == TK_WORD ? t->kind : K_NONE;
}

/* Judges a lexicon word ending at pos. Returns where the scan goes on, or 0 for right
 * after it. */
static size_t handle_word(scanner *s, const tok *t, size_t pos, const seg *g)
{
	size_t skip;
	switch (t->kind) {
	case K_BLOCKING: case K_CRITICAL: case K_MAJOR: case K_MINOR: case K_NIT:
	case K_SUGGESTION:
		return severity_word(s, t, 0, pos, g, t->kind);
	case K_REQ_CHANGES:
		return severity_word(s, t, 0, pos, g, K_BLOCKING);
	case K_CHANGES:
		if (previous_word(s, &skip) == K_REQUEST && !tok_is(&s->lx, back(s, skip - 1), "requests"))
			return severity_word(s, t, skip, pos, g, K_BLOCKING);
		return 0;
	case K_REQUEST:
		if (previous_word(s, &skip) == K_CHANGES)
			return severity_word(s, t, skip, pos, g, K_BLOCKING);
		return 0;
	case K_FIX:
		if (previous_word(s, &skip) == K_MUST)
			return severity_word(s, t, skip, pos, g, K_BLOCKING);
		return 0;
	case K_DISAPPROVE:
		emit(s, WR_SEVERITY_BLOCKING);
		return 0;
	case K_APPROVE: case K_APPROVAL: case K_MERGE: case K_LGTM:
		approval_word(s, t, pos, g);
		return 0;
	case K_CLEAN:
		clean_word(s, pos, g);
		return 0;
	case K_ISSUES: case K_FINDINGS:
		no_issues(s, pos, g);
		return 0;
	case K_SEVERITY:
		severity_label(s, pos, g);
		return 0;
	case K_HIGH: case K_MEDIUM: case K_LOW:
		rating_count(s, pos, g, t->kind);
		return 0;
	default:
		return 0;
	}
}

/* Scans text[start..end). */
static void scan_segment(scanner *s, size_t start, size_t end, int can_cross, int quiet)
{
	window *w = &s->win;
	seg g = {end, can_cross, quiet};
	size_t pos = start;
	int ticks = 0; /* backticks so far: odd inside a code span */

	s->carried = 0; /* a segment is a run of its own */
	while (pos < end) {
		window_fill(s, w, pos, end);
		size_t i = 0;
		int carry = 1; /* the run goes on in the next window */
		while (i < w->n) {
			/* the judges resolve tokens ahead of this one in the window, never move it */
			const tok *t = &w->t[i];
			if (t->type == TK_END)
				return;
			pos = t->end;
			if (t->type == TK_PUNCT) {
				if (t->punct == P_CODE)
					ticks++;
			} else if (t->type == TK_WORD && t->maybe && t->kind != K_NONE) {
				g.quiet = quiet || (ticks & 1);
				w->cur = i;
				size_t resume = handle_word(s, t, t->end, &g);
				if (s->found[WR_SEVERITY_BLOCKING])
					return; /* nothing can change the severity: the scan stops */
				if (resume) {
					/* a group of counts was read: a new run starts after it */
					pos = resume;
					s->carried = 0;
					i = window_index(w, resume);
					if (i == WINDOW) {
						carry = 0; /* beyond the window: lexed again from there */
						break;
					}
					w->run = i;
					continue;
				}
			}
			i++;
		}
		if (carry)
			carry_run(s);
	}
}

/* A table cell that names a severity and nothing else: "Critical", "**Major issues**". */
static int cell_label(scanner *s, size_t start, size_t end, int *kind)
{
	tok t;
	size_t p = next_plain(s, start, end, &t);
	if (t.type != TK_WORD || !is_label_kind(t.kind))
		return 0;
	*kind = t.kind;
	for (;;) {
		p = next_plain(s, p, end, &t);
		if (t.type == TK_END)
			return 1;
		if (t.type == TK_WORD && (t.roles & R_NOUN))
			continue;
		if (is_punct(&t, P_COLON) || is_punct(&t, P_OPEN) || is_punct(&t, P_CLOSE))
			continue;
		return 0;
	}
}

/* A table cell that is a count and nothing else: "0", "**2**", "none", "N/A". */
static int cell_count(scanner *s, size_t start, size_t end, uint32_t *v)
{
	tok t;
	size_t p = next_plain(s, start, end, &t), after;
	if (!count_at(s, &t, p, end, v, &after))
		return 0;
	p = after;
	for (;;) {
		p = next_plain(s, p, end, &t);
		if (t.type == TK_END)
			return 1;
		if ((t.type == TK_WORD && (t.roles & R_NOUN)) || is_punct(&t, P_STOP))
			continue;
		return 0;
	}
}

/* A table cell as the table rules see it, read once from the tokens of its row: its
 * first token that is not emphasis or a quote (resolved), and whether the ones after
 * it fit a label ("Critical issues:") or a count ("2.", "none found"). A cell lexed
 * on its own has the tokens its row has between its | marks: a | stops every token
 * but a URL, and no token looks past it. */
typedef struct cell {
	size_t start, end;
	int known;      /* 0: read it on its own (cell_label, cell_count) */
	int judged;     /* it may hold a word the scan judges (0 only when its tokens show) */
	tok first;
	int label_rest; /* every later token is a noun, a colon or a bracket */
	int count_rest; /* every later token is a noun or a full stop */
} cell;

/* Sums up cell c from its tokens in the row: row[first..k) are its tokens, and whole
 * when the row's tokens go on past its end. */
static void cell_sum(scanner *s, cell *c, tok *row, size_t first, size_t k, int whole)
{
	size_t i = first;
	while (i < k && is_plain_skip(&row[i]))
		i++;
	if (i == k && !whole)
		return; /* the row's tokens stop before the cell does */
	if (i == k) {
		c->first = (tok){.type = TK_END, .punct = P_NONE, .start = c->end, .end = c->end,
		                 .resolved = 1};
	} else {
		resolve(s, &row[i]);
		c->first = row[i++];
	}
	if (c->first.type == TK_WORD && c->first.kind == K_N)
		return; /* N/A: count_at reads on by position */
	c->label_rest = c->count_rest = 1;
	for (; i < k && (c->label_rest || c->count_rest); i++) {
		tok *t = &row[i];
		if (is_plain_skip(t))
			continue;
		resolve(s, t);
		int noun = t->type == TK_WORD && (t->roles & R_NOUN);
		c->label_rest &= noun || is_punct(t, P_COLON) || is_punct(t, P_OPEN) ||
		                 is_punct(t, P_CLOSE);
		c->count_rest &= noun || is_punct(t, P_STOP);
	}
	c->known = whole || (!c->label_rest && !c->count_rest);
}

/* Splits a row into cells at its tokens and sums each up: every | the cells are split
 * at (one not after a \) is a token of its own, unless a URL holds it. Returns how
 * many cells, or 0 when the tokens do not show the split (a URL, or a row longer than
 * its tokens here). row[0] is the row's first |. */
static int cells_from_tokens(scanner *s, const line_info *li, tok *row, size_t rn,
                             cell *cells)
{
	const char *text = s->lx.text;
	size_t start = li->content + 1, first = 1;
	int n = 0;

	if (row[rn - 1].type != TK_END)
		return 0;
	for (size_t k = 1; k < rn; k++) {
		const tok *t = &row[k];
		if (t->type == TK_PUNCT && t->punct == P_URL)
			return 0;
		/* the rest of a very wide row is one more cell of text (as split_cells) */
		int split = n < MAX_COLS && t->type == TK_PUNCT && t->punct == P_PIPE &&
		            text[t->start - 1] != '\\';
		if (!split && t->type != TK_END)
			continue;
		cell *c = &cells[n++];
		c->start = start;
		c->end = split ? t->start : li->end;
		c->known = 0;
		c->judged = 0;
		for (size_t j = first; j < k && !c->judged; j++)
			c->judged = row[j].maybe;
		cell_sum(s, c, row, first, k, 1);
		start = t->end;
		first = k + 1;
	}
	return n;
}

/* Splits a row into cells at its bytes, and sums up each cell from the row's tokens
 * when they hold it: those after the token that ends where the cell starts (the |
 * before it), up to the cell's end. A cell whose start or end a token reaches across
 * (a URL) is left to be read on its own. Returns how many cells. */
static int split_cells(scanner *s, const line_info *li, tok *row, size_t rn, cell *cells)
{
	const char *text = s->lx.text;
	size_t p = li->content + 1, k = 0; /* past the leading | */
	int n = 0;

	while (p <= li->end && n <= MAX_COLS) {
		size_t q = p;
		while (q < li->end && !(text[q] == '|' && text[q - 1] != '\\'))
			q++;
		if (n == MAX_COLS)
			q = li->end; /* the rest of a very wide row is one more cell of text */
		cells[n].start = p;
		cells[n].end = q;
		n++;
		if (q >= li->end)
			break;
		p = q + 1;
	}
	for (int i = 0; i < n; i++) {
		cell *c = &cells[i];
		c->known = 0;
		c->judged = 1;
		while (k < rn && row[k].end < c->start)
			k++;
		if (k == rn || row[k].end != c->start)
			continue; /* no token ends where the cell starts */
		size_t first = ++k;
		while (k < rn && row[k].type != TK_END && row[k].end <= c->end)
			k++;
		if (k < rn && row[k].start < c->end)
			continue; /* a token reaches across the cell's end */
		cell_sum(s, c, row, first, k, k < rn);
	}
	return n;
}

/* cell_label of a cell, from its sum when known. */
static int is_label_cell(scanner *s, const cell *c, int *kind)
{
	if (!c->known)
		return cell_label(s, c->start, c->end, kind);
	if (c->first.type != TK_WORD || !is_label_kind(c->first.kind) || !c->label_rest)
		return 0;
	*kind = c->first.kind;
	return 1;
}

/* cell_count of a cell, from its sum when known. */
static int is_count_cell(scanner *s, const cell *c, uint32_t *v)
{
	size_t after;
	if (!c->known)
		return cell_count(s, c->start, c->end, v);
	return count_at(s, &c->first, c->first.end, c->end, v, &after) && c->count_rest;
}

static int separator_row(const char *text, size_t start, size_t end)
{
	int dashes = 0;
	for (size_t i = start; i < end; i++) {
		char c = text[i];
		if (c == '-')
			dashes++;
		else if (c != '|' && c != ':' && c != ' ' && c != '\t' && c != '\r')
			return 0;
	}
	return dashes > 0;
}

/* The end of the table: header labels that no row gave a count for are labels. */
static void table_end(scanner *s)
{
	for (int i = 0; i < s->label_cols; i++) {
		if (s->col_label[i] && !s->col_counted[i])
			emit(s, kind_severity(s->col_label[i]));
		s->col_label[i] = 0;
		s->col_counted[i] = 0;
	}
	s->label_cols = 0;
	s->in_table = 0;
	s->table_rows = 0;
}

/* A markdown table row. A header row of severities (| Critical | Major |) waits for
 * the rows under it to give counts; a row "| Major | 2 |" gives one; a severity in any
 * other cell labels a finding; other cells are scanned as text. */
static void table_row(scanner *s, const line_info *li)
{
	tok row[WINDOW];
	cell cells[MAX_COLS + 1];

	s->in_table = 1;
	if (separator_row(s->lx.text, li->content, li->end))
		return;
	/* the row is lexed once; its cells are read from its tokens */
	size_t rn = lex_run(&s->lx, li->content, li->end, row, WINDOW, 1);
	int n = cells_from_tokens(s, li, row, rn, cells);
	if (n == 0)
		n = split_cells(s, li, row, rn, cells);
	int first = s->table_rows == 0;
	for (int i = 0; i < n && !s->found[WR_SEVERITY_BLOCKING]; i++) {
		int kind;
		uint32_t v;
		/* a rating ("High") is a label only beside a count or atop a column: alone in a
		 * cell it rates something else ("| Confidence | High |") */
		int rating = 0;
		if (i < MAX_COLS && is_label_cell(s, &cells[i], &kind)) {
			rating = kind == K_HIGH || kind == K_MEDIUM || kind == K_LOW;
			if (i + 1 < n && is_count_cell(s, &cells[i + 1], &v)) {
				if (v > 0)
					emit(s, kind_severity(kind));
				i++;
				continue;
			} else if (first) {
				s->col_label[i] = (unsigned char)kind;
				s->label_cols = i + 1;
				continue;
			} else if (!rating) {
				emit(s, kind_severity(kind));
				continue;
			}
		}
		if (!first && i < MAX_COLS && s->col_label[i] && is_count_cell(s, &cells[i], &v)) {
			s->col_counted[i] = 1;
			if (v > 0)
				emit(s, kind_severity(s->col_label[i]));
			continue;
		}
		/* a cell lexed on its own has its tokens in the row: one without a word to
		 * judge has nothing to scan */
		if (cells[i].judged)
			scan_segment(s, cells[i].start, cells[i].end, 0, 0);
	}
	s->table_rows++;
}

static int fence_closes(const char *text, const line_info *li, int fence, int fence_len)
{
	if (li->fence != fence || li->fence_len < fence_len)
		return 0;
	for (size_t i = li->content; i < li->end; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
			return 0;
	return 1;
}

/* Sets up a scan: what it reads before it writes. The window, the cache and the ring
 * (5 KiB, more than many notes) are not cleared: no window, no cached position, no
 * token pushed. */
static void scanner_init(scanner *s, const lex_table *words, const char *text, size_t len)
{
	lex_init(&s->lx, words, text, len);
	s->win.n = 0;
	s->win.start = 0; /* emit reads it for the line of a signal */
	s->win.end = SIZE_MAX;
	for (size_t i = 0; i < CACHE; i++)
		s->cache[i].pos = SIZE_MAX;
	s->carried = 0;
	memset(s->found, 0, sizeof s->found);
	s->in_table = s->table_rows = s->label_cols = 0;
	memset(s->col_label, 0, sizeof s->col_label);
	memset(s->col_counted, 0, sizeof s->col_counted);
}

int classify_scan(const lex_table *words, const char *text, size_t len, size_t max,
                  json_object *findings, wr_severity *severity, int judge, size_t *at)
{
	scanner s;
	findings_state fs;
	int fence = 0, fence_len = 0;
	size_t pos = 0;

	scanner_init(&s, words, text, len);
	findings_init(&fs, &s.lx, findings, max);
	while (pos < len) {
		/* once blocking, nothing can change the severity: only findings are left */
		int scanning = judge && !s.found[WR_SEVERITY_BLOCKING];
		if (!scanning && findings_done(&fs))
			break;
		line_info li;
		line_describe(text, len, pos, &li);
		pos = line_next(text, len, &li);
		if (fence) {
			/* code is scanned too (a finding may quote it), each line on its own */
			if (fence_closes(text, &li, fence, fence_len))
				fence = 0;
			else if (scanning && lex_has_trigger(&s.lx, li.start, li.end))
				scan_segment(&s, li.start, li.end, 0, 1);
			continue;
		}
		if (li.table) {
			if (scanning)
				table_row(&s, &li);
		} else {
			if (s.in_table)
				table_end(&s);
			if (li.fence) {
				fence = li.fence;
				fence_len = li.fence_len;
			} else if (scanning && !li.blank && !li.rule &&
			           lex_has_trigger(&s.lx, li.content, li.end)) {
				/* a line is a clause of its own: one without a word to judge is skipped */
				scan_segment(&s, li.content, li.end, 1, li.quote || li.unchecked);
			}
		}
		if (!findings_done(&fs) && findings_line(&fs, &li) < 0)
			return -1;
	}
	if (s.in_table)
		table_end(&s);
	*severity = WR_SEVERITY_UNKNOWN;
	for (int sev = WR_SEVERITY_BLOCKING; sev > WR_SEVERITY_UNKNOWN; sev--)
		if (s.found[sev]) {
			*severity = (wr_severity)sev;
			if (at)
				*at = s.found_at[sev] < len ? s.found_at[sev] : 0;
			break;
		}
	return 0;
}
