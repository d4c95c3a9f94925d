/* SPDX-License-Identifier: MIT */
/* The proof of clean (SPEC 5.3, 5.4): the phrase rules read by sentences of the
 * blanked copy (classify_copy.c). See classify_proof.h; the phrases are in
 * classify_phrases.c. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify_proof.h"

/* The phrase index */

static const phrase_row *rows = classify_phrases;

static uint32_t word_hash(const char *w, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

int phrase_lookup(const phrase_index *ix, const char *w, size_t len, uint32_t h)
{
	for (uint32_t i = h & (PH_SLOTS - 1);; i = (i + 1) & (PH_SLOTS - 1)) {
		int e = ix->slot[i] - 1;
		if (e < 0)
			return -1;
		const phrase_entry *en = &ix->entries[e];
		if (en->hash == h && en->len == len && memcmp(en->word, w, len) == 0)
			return e;
	}
}

static int entry_add(phrase_index *ix, const char *w, size_t len)
{
	uint32_t h = word_hash(w, len);
	int e = phrase_lookup(ix, w, len, h);
	if (e >= 0)
		return e;
	if (len == 0 || len >= sizeof ix->entries[0].word || ix->nentries >= PH_MAX_ENTRIES) {
		ix->overflow = 1;
		return -1;
	}
	e = (int)ix->nentries++;
	phrase_entry *en = &ix->entries[e];
	memset(en, 0, sizeof *en);
	memcpy(en->word, w, len);
	en->len = (unsigned char)len;
	en->hash = h;
	uint32_t i = h & (PH_SLOTS - 1);
	while (ix->slot[i])
		i = (i + 1) & (PH_SLOTS - 1);
	ix->slot[i] = (short)(e + 1);
	return e;
}

static void flag_words(phrase_index *ix);

static uint32_t pair_bit(int first, int second)
{
	return ((uint32_t)first * 2654435761u ^ (uint32_t)second * 40503u) & (PH_PAIR_BITS - 1);
}

static void pair_set(phrase_index *ix, int first, int second)
{
	uint32_t b = pair_bit(first, second);
	ix->pairs[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Whether some row may start with these two words (no: none does). */
static inline int pair_maybe(const phrase_index *ix, int first, int second)
{
	uint32_t b = pair_bit(first, second);
	return second >= 0 && (ix->pairs[b / 64] >> (b % 64) & 1);
}

/* Splits row r into words, each an entry. Returns its first word's entry, or -1. */
static int row_words(phrase_index *ix, size_t r)
{
	const char *ph = classify_phrases[r].phrase;
	size_t k = 0, off = 0;
	while (ph[off]) {
		size_t l = strcspn(ph + off, " ");
		if (k == PH_MAX_WORDS) {
			ix->overflow = 1;
			return -1;
		}
		ix->wid[r][k++] = (short)entry_add(ix, ph + off, l);
		off += l;
		while (ph[off] == ' ')
			off++;
	}
	ix->nwords[r] = (unsigned char)k;
	return k > 0 ? ix->wid[r][0] : -1;
}

int phrase_index_build(phrase_index *ix)
{
	memset(ix->slot, 0, sizeof ix->slot);
	memset(ix->pairs, 0, sizeof ix->pairs);
	ix->n = ix->nentries = 0;
	ix->overflow = 0;
	size_t r;
	for (r = 0; classify_phrases[r].phrase; r++) {
		if (r == PH_MAX_ROWS) {
			ix->overflow = 1;
			break;
		}
		int e = row_words(ix, r);
		if (e < 0)
			continue;
		ix->entries[e].nrows++;
		ix->entries[e].cls_mask |= 1u << classify_phrases[r].cls;
		if (ix->nwords[r] == 1)
			ix->entries[e].single_mask |= 1u << classify_phrases[r].cls;
		else if (ix->wid[r][1] >= 0)
			pair_set(ix, e, ix->wid[r][1]);
	}
	ix->n = r;
	/* each entry's rows next to each other, in the order of the table */
	size_t first = 0;
	for (size_t e = 0; e < ix->nentries; e++) {
		ix->entries[e].first = (unsigned short)first;
		first += ix->entries[e].nrows;
		ix->entries[e].nrows = 0;
	}
	for (r = 0; r < ix->n; r++) {
		if (ix->nwords[r] == 0 || ix->wid[r][0] < 0)
			continue;
		phrase_entry *en = &ix->entries[ix->wid[r][0]];
		phrase_start *ps = &ix->starts[en->first + en->nrows++];
		ps->row = (unsigned short)r;
		ps->cls = (unsigned char)classify_phrases[r].cls;
		ps->nwords = ix->nwords[r];
		ps->second = ix->nwords[r] > 1 ? ix->wid[r][1] : -1;
	}
	flag_words(ix);
	return ix->overflow ? -1 : 0;
}

/* Tokens of a sentence */

enum { T_WORD, T_COLON, T_EMOJI_B, T_EMOJI_M, T_CLAUSE /* , ( or a dash between words */ };

#define WMAX 31
#define SENT_MAX 96

typedef struct ptok {
	size_t start, end;
	int type;
	int e; /* its phrase_index entry, or -1 */
	unsigned cls_mask; /* the entry's cls_mask, or 0 */
	unsigned short flags; /* the entry's WF_* */
	unsigned char len;
	char w[WMAX + 1];
} ptok;

typedef struct sentence {
	ptok t[SENT_MAX];
	size_t n;
	size_t words[SENT_MAX]; /* indices of the words in t */
	size_t nw;
	int emoji; /* an emoji marker among the tokens */
} sentence;

/* Whether the words of s from word index i on are those of the row ps (its first
 * word is known to match); returns how many words. */
static inline size_t row_at(const phrase_index *ix, const sentence *s, size_t i,
                            const phrase_start *ps)
{
	size_t nw = ps->nwords;
	if (nw == 1)
		return 1;
	if (i + nw > s->nw || s->t[s->words[i + 1]].e != ps->second)
		return 0;
	for (size_t k = 2; k < nw; k++)
		if (s->t[s->words[i + k]].e != ix->wid[ps->row][k])
			return 0;
	return nw;
}

/* The longest phrase of one of the classes in mask at word i; *row the row. */
static inline size_t match(const phrase_index *ix, const sentence *s, size_t i, unsigned mask,
                           const phrase_row **row)
{
	const ptok *t = &s->t[s->words[i]];
	size_t best = 0;
	if (!(t->cls_mask & mask))
		return 0;
	const phrase_entry *en = &ix->entries[t->e];
	int pair = i + 1 < s->nw && pair_maybe(ix, t->e, s->t[s->words[i + 1]].e);
	if (!pair && !(en->single_mask & mask))
		return 0;
	const phrase_start *ps = &ix->starts[en->first];
	for (size_t k = 0; k < en->nrows; k++, ps++) {
		if (!(mask & (1u << ps->cls)) || (!pair && ps->nwords > 1))
			continue;
		size_t m = row_at(ix, s, i, ps);
		if (m > best) {
			best = m;
			*row = &rows[ps->row];
		}
	}
	return best;
}

/* Whether word i is w (lowercase): by its text, so that a rule may ask about any word
 * without its being listed in the index. */
static int word_is(const sentence *s, size_t i, const char *w)
{
	return i < s->nw && strcmp(s->t[s->words[i]].w, w) == 0;
}

/* Whether word i has one of the flags (WF_*). */
static int word_has(const sentence *s, size_t i, unsigned flag)
{
	return i < s->nw && (s->t[s->words[i]].flags & flag) != 0;
}

static const char *const sev_words[] = {"blocking", "blocker", "blockers", "critical", "major",
                                        "minor", "nit", "nits", "nitpick", "nitpicks", "p0", "p1",
                                        "p2", "p3", "high", "medium", "low", NULL};
static const char *const block_sev[] = {"blocking", "blocker", "blockers", "critical", "major",
                                        "p0", "p1", "high", NULL};
static const char *const none_words[] = {"none", "nothing", "no", "0", "zero", NULL};
static const char *const nouns[] = {"issue", "issues", "finding", "findings", "problem",
                                    "problems", "bug", "bugs", "concern", "concerns", NULL};

/* Words that start another clause or a new problem: a fix word does not govern past
 * them. */
static const char *const clause_stops[] = {
	"but", "however", "though", "although", "yet", "while", "whereas", "introduces",
	"introduced", "introduce", "adds", "added", "causes", "caused", "creates", "there",
	"leaves", "still", "remains", "which", "new", "and", NULL};

/* Negated auxiliaries: what follows is a verb denied ("doesn't stop", "can't be
 * closed", "does not handle"); "not" counts after an auxiliary (WF_AUX). */
static const char *const negated_aux[] = {
	"doesn't", "don't", "can't", "cannot", "won't", "never", "not", NULL};
static const char *const auxiliaries[] = {
	"does", "do", "can", "will", "would", "could", "should", NULL};

/* Verbs whose denial is good news in a review: "doesn't change behavior", "I don't see
 * any issue", "won't break clients", "doesn't need a migration". */
static const char *const benign_denied[] = {
	"change", "changes", "affect", "affects", "touch", "touches", "need", "needs", "see",
	"find", "break", "breaks", "introduce", "introduces", "add", "adds", "require",
	"requires", "have", "has", "seem", "think", "expect", "believe", "look", "appear",
	"matter", "block", "regress", "leak", "crash", "fail", "hurt", "impact", "alter",
	"modify", "conflict", "mind", "know", "worry", "apply", "cause", "create", "slow",
	"degrade", "lose", "corrupt", "panic", "hang", "bother", "care", "object", "hesitate",
	"remove", "expose", "mean", "feel", "notice", "spot", "get", "want", "any", "anything",
	"only", "just", "really", "necessarily", "always", "so", "too", "much", "even", "yet",
	"merge", "ship", "approve", "hit", "happen", "happens", "occur", "occurs",
	/* participles whose denial is good news: "isn't needed", "aren't affected" */
	"needed", "required", "affected", "impacted", "changed", "touched", "modified", "used",
	"called", "blocked", "deprecated", "removed", "expected", "supported", "exposed",
	"leaked", "logged", "stored", "broken", "committed", "persisted", "shared", NULL};

/* Negations a passive follows ("aren't resized", "won't be used", "is not validated";
 * "not" counts after a copula, WF_COPULA). */
static const char *const negated_copulas[] = {
	"isn't", "aren't", "wasn't", "weren't", "won't", "not", NULL};
static const char *const copulas[] = {"is", "are", "was", "were", "be", "been", NULL};

/* Words that report a fix: a finding quoted beside one is history (see read_notes). */
static const char *const fixed_words[] = {
	"fixed", "resolved", "addressed", "fixes", "resolves", "addresses", "done", NULL};

/* Words that may come before a sentence's opening contrast ("Sorry, one thing: X"). */
static const char *const interjections[] = {
	"sorry", "oh", "ah", "hmm", "also", "ok", "okay", "well", "btw", "and", "oops", NULL};

/* Words that ask for a fix rather than report one (see requested). */
static const char *const modal_words[] = {
	"need", "needs", "needed", "must", "should", "shall", "please", "todo", "required",
	"require", "requires", "let's", "lets", "gotta", "ought", NULL};

static void flag_list(phrase_index *ix, const char *const *list, unsigned short flag)
{
	for (; *list; list++) {
		int e = entry_add(ix, *list, strlen(*list));
		if (e >= 0)
			ix->entries[e].flags |= flag;
	}
}

static void flag_words(phrase_index *ix)
{
	flag_list(ix, sev_words, WF_SEV);
	flag_list(ix, block_sev, WF_BLOCK);
	flag_list(ix, none_words, WF_NONE);
	flag_list(ix, nouns, WF_NOUN);
	flag_list(ix, clause_stops, WF_STOP);
	flag_list(ix, modal_words, WF_MODAL);
	flag_list(ix, interjections, WF_INTERJ);
	flag_list(ix, fixed_words, WF_FIXED);
	flag_list(ix, negated_aux, WF_NEGAUX);
	flag_list(ix, auxiliaries, WF_AUX);
	flag_list(ix, benign_denied, WF_BENIGN);
	flag_list(ix, negated_copulas, WF_NEGCOP);
	flag_list(ix, copulas, WF_COPULA);
}

static void blank(char *text, size_t a, size_t b)
{
	memset(text + a, ' ', b - a);
}

/* Whether the fix word at w is asked for, not done: "we'll need to come back and fix
 * X", "please fix X", "X must be fixed" reads as "X is there". A modal or a request
 * among the 5 words before it, within its clause ("and" does not end it). */
static int requested(const sentence *s, size_t w)
{
	for (size_t k = w; k > 0 && k + 5 > w; k--) {
		size_t v = k - 1;
		for (size_t ti = s->words[v] + 1; ti < s->words[k]; ti++)
			if (s->t[ti].type == T_COLON)
				return 0;
		const ptok *t = &s->t[s->words[v]];
		if (t->flags & WF_MODAL)
			return 1;
		/* "have to fix", not "have fixed" */
		if ((word_is(s, v, "have") || word_is(s, v, "has")) && word_is(s, v + 1, "to"))
			return 1;
		if ((t->flags & WF_STOP) && !word_is(s, v, "and"))
			return 0;
	}
	return 0;
}

/* Whether a negation (or, when fix, a fix word) stands among the 3 words before i,
 * not across a colon ("without a backup: data loss" is a finding). */
static int negated_before(const phrase_index *ix, const sentence *s, size_t i, int fix)
{
	unsigned mask = (1u << PH_NEGATION) | (fix ? 1u << PH_FIXWORD : 0);
	size_t first = i >= 3 ? i - 3 : 0;
	for (size_t k = i; k > first; k--) {
		size_t w = k - 1;
		for (size_t ti = s->words[w] + 1; ti < s->words[k]; ti++)
			if (s->t[ti].type == T_COLON)
				return 0;
		const phrase_row *r;
		if (match(ix, s, w, mask, &r) && !(r->cls == PH_FIXWORD && requested(s, w)))
			return 1;
		const ptok *t = &s->t[s->words[w]];
		if (t->len > 3 && strcmp(t->w + t->len - 3, "n't") == 0)
			return 1;
	}
	/* a fix word governs the whole clause: "fixes the crash on empty input and the memory
	 * leak in the decoder"; a word that starts another clause or a new problem stops it */
	for (size_t k = i; fix && k > 0 && k + 8 > i; k--) {
		size_t w = k - 1;
		for (size_t ti = s->words[w] + 1; ti < s->words[k]; ti++)
			if (s->t[ti].type == T_COLON)
				return 0;
		if (s->t[s->words[w]].flags & WF_STOP) {
			/* "and the X": another object of the same verb; "and leaks X": a new clause */
			if (!word_is(s, w, "and") || w + 1 >= i ||
			    !(word_is(s, w + 1, "the") || word_is(s, w + 1, "a") || word_is(s, w + 1, "an")))
				return 0;
		}
		const phrase_row *r;
		if (w < first && match(ix, s, w, 1u << PH_FIXWORD, &r) && !requested(s, w))
			return 1;
	}
	return 0;
}

/* Whether a colon and then "none" (or "0", "no") follow the words i..i+l. */
static int negated_after(const sentence *s, size_t i, size_t l)
{
	while (i + l < s->nw && word_has(s, i + l, WF_NOUN))
		l++;
	size_t last = s->words[i + l - 1];
	if (last + 2 < s->n + 1 && last + 1 < s->n && s->t[last + 1].type == T_COLON &&
	    last + 2 < s->n && s->t[last + 2].type == T_WORD) {
		for (const char *const *w = none_words; *w; w++)
			if (strcmp(s->t[last + 2].w, *w) == 0)
				return 1;
	}
	return 0;
}

typedef struct scan_state {
	const phrase_index *ix;
	char *text;
	size_t len;
	proof_result *r;
	/* a question naming a severity, waiting for its answer ("a blocker? No.") */
	size_t q_from[4], q_to[4];
	size_t nq;
	int unchecked; /* the line is a box left unchecked ("- [ ] LGTM"): no approval */
	int approved;  /* an approval was read: a contrast opening a later sentence qualifies it */
} scan_state;

/* Whether the line at p is a list item with an empty check box. */
static int unchecked_at(const char *text, size_t len, size_t p)
{
	while (p < len && (text[p] == ' ' || text[p] == '\t'))
		p++;
	if (p + 5 > len || !strchr("-*+", text[p]) || text[p + 1] != ' ')
		return 0;
	return text[p + 2] == '[' && text[p + 3] == ' ' && text[p + 4] == ']';
}

/* Whether the word w (the last of a label phrase) labels what follows: a colon or a
 * dash right after it ("Bug: X", "Concern - X"). */
static int labels(const scan_state *st, const sentence *s, size_t w)
{
	size_t ti = s->words[w];
	if (ti + 1 < s->n && s->t[ti + 1].type == T_COLON && s->t[ti + 1].start == s->t[ti].end)
		return 1;
	size_t p = s->t[ti].end;
	while (p < st->len && st->text[p] == ' ')
		p++;
	return p + 1 < st->len && ((st->text[p] == '-' && st->text[p + 1] == ' ') ||
	                           ((unsigned char)st->text[p] == 0xE2 && p + 2 < st->len &&
	                            (unsigned char)st->text[p + 1] == 0x80 &&
	                            ((unsigned char)st->text[p + 2] == 0x94 || (unsigned char)st->text[p + 2] == 0x93)));
}

/* Whether word i destroys stored data: drops, deletes or truncates a table, column or
 * database within the 3 words after it. */
static int destroys(const sentence *s, size_t i)
{
	static const char *const verbs[] = {"drops", "drop", "deletes", "delete", "truncates",
	                                    "truncate", "dropping", "deleting", "truncating", NULL};
	static const char *const objs[] = {"table", "tables", "column", "columns", "database",
	                                   "databases", "collection", "schema", "bucket", NULL};
	const char *w = s->t[s->words[i]].w;
	int verb = 0;
	for (const char *const *v = verbs; *v && !verb; v++)
		verb = strcmp(w, *v) == 0;
	if (!verb)
		return 0;
	for (size_t k = i + 1; k < s->nw && k <= i + 4; k++)
		for (const char *const *o = objs; *o; o++)
			if (strcmp(s->t[s->words[k]].w, *o) == 0)
				return 1;
	return 0;
}

/* Whether the sentence says, after the problem at word i, that it is gone: "the deadlock
 * from #123 is gone", "the crash is fixed now", "the leak no longer happens". */
static int fixed_after(const sentence *s, size_t i)
{
	for (size_t k = 0; k < s->nw; k++) {
		const char *w = s->t[s->words[k]].w;
		const char *prev = k > 0 ? s->t[s->words[k - 1]].w : "";
		if (strcmp(w, "after") == 0 || strcmp(w, "once") == 0 || strcmp(w, "until") == 0 ||
		    strcmp(w, "when") == 0 || strcmp(w, "before") == 0 || strcmp(w, "if") == 0 ||
		    strcmp(w, "unless") == 0)
			return 0; /* "ship after X is fixed": a condition, not a fact */
		if (k < i || strcmp(prev, "not") == 0 || strcmp(prev, "never") == 0)
			continue;
		if (strcmp(w, "gone") == 0)
			return 1;
		if ((strcmp(w, "fixed") == 0 || strcmp(w, "resolved") == 0 || strcmp(w, "eliminated") == 0) &&
		    (strcmp(prev, "is") == 0 || strcmp(prev, "are") == 0 || strcmp(prev, "was") == 0 ||
		     strcmp(prev, "been") == 0 || strcmp(prev, "now") == 0))
			return 1;
		if (strcmp(w, "longer") == 0 && strcmp(prev, "no") == 0)
			return 1;
		/* "the old code was not thread-safe; the new mutex fixes it" */
		if ((strcmp(prev, "fixes") == 0 || strcmp(prev, "fixed") == 0 || strcmp(prev, "resolves") == 0 ||
		     strcmp(prev, "addresses") == 0) &&
		    (strcmp(w, "it") == 0 || strcmp(w, "this") == 0 || strcmp(w, "that") == 0))
			return 1;
	}
	return 0;
}

/* Whether a label phrase names a review category ("Performance:"), which reviewers also
 * use to say that all is well ("Performance: fine"). */
static int category_label(const char *phrase)
{
	static const char *const cats[] = {"security", "correctness", "performance", "perf", "reliability",
	                                   "maintainability", "testing", "docs",
	                                   "documentation", "accessibility", "a11y", NULL};
	for (const char *const *c = cats; *c; c++)
		if (strcmp(phrase, *c) == 0)
			return 1;
	return 0;
}

/* Whether a label phrase rates the risk ("Risk: low"), which a low rating answers. */
static int rating_label(const char *phrase)
{
	return strcmp(phrase, "risk") == 0 || strcmp(phrase, "risks") == 0;
}

/* Whether the word after the label word w rates a risk as small: "low", "minimal". */
static int low_rating_after(const sentence *s, size_t w)
{
	return word_is(s, w + 1, "low") || word_is(s, w + 1, "minimal") ||
	       word_is(s, w + 1, "negligible");
}

/* Whether the word after the label word w says all is well: "fine", "good", "n/a", "all
 * tests pass", "looks good", "none" (a statement of a problem is anything else). */
static int positive_after(const sentence *s, size_t w)
{
	static const char *const ok[] = {"none", "nothing", "no", "0", "zero", "fine", "good",
	                                 "ok", "okay", "n", "na", "all", "looks", "lgtm", "pass",
	                                 "passes", "passing", "green", "great", "solid", "unchanged",
	                                 "improved", "better", "faster", "everything", "works",
	                                 "verified", "checked", "tested", "confirmed", "covered",
	                                 NULL};
	if (w + 1 >= s->nw)
		return 1; /* a bare label says nothing */
	const char *next = s->t[s->words[w + 1]].w;
	for (const char *const *o = ok; *o; o++)
		if (strcmp(next, *o) == 0)
			return 1;
	return 0;
}

/* Whether word i opens a clause: a comma, a parenthesis or a dash stands between it
 * and the word before (not a colon: "Comment: please squash" labels, it does not
 * turn). */
static int clause_start(const sentence *s, size_t i)
{
	for (size_t ti = s->words[i - 1] + 1; ti < s->words[i]; ti++)
		if (s->t[ti].type == T_CLAUSE)
			return 1;
	return 0;
}

/* Whether the word t is a count above zero: "1", "12" (not "0", "00"). */
static int count_above_zero(const ptok *t)
{
	int num = t->len > 0 && t->len < 6;
	for (size_t k = 0; k < t->len && num; k++)
		num = t->w[k] >= '0' && t->w[k] <= '9';
	return num && strspn(t->w, "0") != t->len;
}

/* Whether text[a..b) joins a label to its count: spaces and one ':', '(' or '='. */
static int counted_by(const char *text, size_t a, size_t b)
{
	int marks = 0;
	for (size_t p = a; p < b; p++) {
		if (text[p] == ':' || text[p] == '(' || text[p] == '=')
			marks++;
		else if (text[p] != ' ' && text[p] != '*')
			return 0;
	}
	return marks == 1;
}

static void sentence_done(scan_state *st, sentence *s, int question)
{
	const phrase_index *ix = st->ix;
	proof_result *r = st->r;
	if (s->nw == 0 && !s->emoji) { /* nothing to read; a question still waits */
		s->n = 0;
		return;
	}
	/* "LGTM. Pero hay un problema: X": a sentence mostly of words of a language the scan
	 * does not read may hold a finding it cannot see; the notes as a whole may still be
	 * mostly English */
	size_t foreign = 0;
	for (size_t k = 0; k < s->nw; k++)
		foreign += (s->t[s->words[k]].cls_mask >> PH_FOREIGN) & 1u;
	if (foreign >= 2 && foreign * 3 >= s->nw)
		proof_saw(r, PK_DOUBT, s->t[s->words[0]].start, "a sentence in a language the scan does not read");
	/* "The docs are outdated now, though.": a contrast ending a sentence concedes a problem */
	if (s->nw >= 3 && (word_is(s, s->nw - 1, "though") || word_is(s, s->nw - 1, "however")))
		proof_saw(r, PK_MINOR, s->t[s->words[s->nw - 1]].start, "a contrast ending a sentence");
	size_t pending = st->nq;
	st->nq = 0;

	/* the answer to a question about a severity: "Is this a blocker? No." */
	if (pending && s->nw >= 1 && s->nw <= 3 &&
	    (word_is(s, 0, "no") || word_is(s, 0, "nope") || word_is(s, 0, "none")))
		for (size_t k = 0; k < pending; k++)
			blank(st->text, st->q_from[k], st->q_to[k]);

	for (size_t ti = 0; s->emoji && ti < s->n; ti++) { /* emoji markers on a finding */
		int ty = s->t[ti].type;
		if (ty != T_EMOJI_B && ty != T_EMOJI_M)
			continue;
		size_t nx = ti + 1;
		while (nx < s->n && s->t[nx].type != T_WORD)
			nx++;
		if (nx < s->n && (s->t[nx].flags & (WF_SEV | WF_NONE)))
			continue; /* the word it marks is judged on its own */
		proof_saw(r, ty == T_EMOJI_B ? PK_BLOCKING : PK_MINOR, s->t[ti].start,
		    ty == T_EMOJI_B ? "an emoji marks a blocking finding" : "an emoji marks a finding");
	}

	/* "LGTM. However, X" / "Approve. One nit though: X" / a verdict block, then "But X":
	 * a sentence opening with a contrast or a condition qualifies the approval before it */
	if ((st->approved || r->fenced) && s->nw > 0) {
		/* an interjection may come first: "(Sorry, one thing: X)", "Oh, wait: X" */
		size_t w0 = word_has(s, 0, WF_INTERJ) && s->nw > 1 ? 1 : 0;
		const phrase_row *c;
		size_t l;
		/* a longer neutral row wins: "For the record, X" is no "for the" partial */
		if (match(ix, s, w0, (1u << PH_CONTRAST) | (1u << PH_QUAL_AFTER) | (1u << PH_NEUTRAL), &c) > 0 &&
		    c->cls != PH_NEUTRAL)
			proof_saw(r, PK_MINOR, s->t[s->words[w0]].start, "a contrast or condition after an approval");
		else if ((l = match(ix, s, w0, 1u << PH_ADDENDUM, &c)) > 0 && labels(st, s, w0 + l - 1))
			proof_saw(r, PK_MINOR, s->t[s->words[w0]].start, "an addendum after an approval");
	}
	/* "LGTM. Should we handle the empty case?": a question of two words or more asks the
	 * author something; an approval that still asks is not unqualified (issue #11). An
	 * approval asked as a question ("LGTM?") is judged below, as doubt. */
	if (question && s->nw >= 2 && st->approved)
		proof_saw(r, PK_MINOR, s->t[s->words[0]].start, "a question or request after an approval");

	for (size_t i = 0; i < s->nw;) {
		const phrase_row *row = NULL;
		const ptok *t = &s->t[s->words[i]];
		/* a CVE id names a known vulnerability, unless a fix word governs it */
		if (t->len > 4 && memcmp(t->w, "cve-", 4) == 0 && t->w[4] >= '0' && t->w[4] <= '9' &&
		    !negated_before(ix, s, i, 1))
			proof_saw(r, PK_BLOCKING, t->start, "a CVE id");
		/* "No issues found", "Verdict: clean": a clean signal of the keyword scan, which a
		 * later contrast qualifies as it does an approval */
		if ((t->len == 2 && t->w[0] == 'n' && t->w[1] == 'o' && word_has(s, i + 1, WF_NOUN)) ||
		    (t->len == 5 && memcmp(t->w, "clean", 5) == 0))
			st->approved = 1;
		/* "drops the users table", "deletes the orders column": data loss (SPEC 5.3) */
		if (((t->w[0] == 'd' && (t->w[1] == 'r' || t->w[1] == 'e')) || (t->w[0] == 't' && t->w[1] == 'r')) &&
		    destroys(s, i) && !negated_before(ix, s, i, 1))
			proof_saw(r, PK_BLOCKING, t->start, "drops or deletes a table");
		/* "LGTM 🚢 — one last thing, X", "it works for me, though X": a contrast that
		 * opens a clause after an approval qualifies it as one opening a sentence does */
		if (st->approved && i > 0 && (t->cls_mask & (1u << PH_CONTRAST)) && clause_start(s, i)) {
			const phrase_row *c;
			if (match(ix, s, i, (1u << PH_CONTRAST) | (1u << PH_NEUTRAL), &c) > 0 && c->cls != PH_NEUTRAL)
				proof_saw(r, PK_MINOR, t->start, "a contrast after an approval");
		}
		/* "Approved. The old entry doesn't get evicted": after an approval, what the
		 * change does not do is a finding, unless the verb is one whose denial is good
		 * news ("doesn't change behavior", "doesn't break anything") */
		if (st->approved && (t->flags & WF_NEGAUX)) {
			size_t v = i + 1;
			/* "not" denies a verb after an auxiliary, an adverb between allowed ("should
			 * probably not log X"); a bare "not" ("not a problem") denies no verb */
			if (word_is(s, i, "not") && !(i >= 1 && word_has(s, i - 1, WF_AUX)) &&
			    !(i >= 2 && word_has(s, i - 2, WF_AUX)))
				v = s->nw;
			if (v < s->nw && !word_has(s, v, WF_BENIGN) && !word_is(s, v, "be") &&
			    s->t[s->words[v]].len > 1 && !word_has(s, v, WF_SEV | WF_NOUN | WF_NONE))
				proof_saw(r, PK_MINOR, t->start, "a verb denied after an approval");
		}
		/* "Image uploads aren't resized", "the index won't be used", "the input is not
		 * validated": a passive denied after an approval, unless its denial is good
		 * news ("isn't needed", "aren't affected") */
		if (st->approved && (t->flags & WF_NEGCOP)) {
			size_t v = i + 1;
			if (word_is(s, i, "not") && !(i >= 1 && word_has(s, i - 1, WF_COPULA)))
				v = s->nw;
			if (v < s->nw && word_is(s, v, "be"))
				v++;
			if (v < s->nw) {
				const ptok *pt = &s->t[s->words[v]];
				if (pt->len > 3 && pt->w[pt->len - 2] == 'e' && pt->w[pt->len - 1] == 'd' &&
				    !word_has(s, v, WF_BENIGN))
					proof_saw(r, PK_MINOR, t->start, "a passive denied after an approval");
			}
		}
		if (!t->cls_mask && !t->flags) { /* most words: nothing a rule reads */
			i++;
			continue;
		}
		unsigned mask = (1u << PH_BLOCKING) | (1u << PH_MINOR) | (1u << PH_DOUBT) |
		                (1u << PH_NEUTRAL) | (1u << PH_APPROVAL) | (1u << PH_FOREIGN) |
		                (1u << PH_LABEL);
		size_t l = match(ix, s, i, mask, &row);
		if (l == 0) {
			/* severity words: an exception re-asserts, a negation after cancels */
			if (word_has(s, i, WF_SEV)) {
				int blocking = word_has(s, i, WF_BLOCK);
				if (i >= 1 && negated_before(ix, s, i, 0)) {
					for (size_t k = i + 1; k < s->nw && k <= i + 4; k++) {
						const phrase_row *e;
						if (match(ix, s, k, 1u << PH_EXCEPT, &e)) {
							proof_saw(r, blocking ? PK_BLOCKING : PK_MINOR, t->start,
							    "an exception to a negated severity re-asserts it");
							break;
						}
					}
				}
				/* a count above zero before it: "1 high", "2 critical" */
				if (i >= 1) {
					const ptok *c = &s->t[s->words[i - 1]];
					if (count_above_zero(c) && s->words[i - 1] + 1 == s->words[i])
						proof_saw(r, blocking ? PK_BLOCKING : PK_MINOR, c->start,
						    "a count above zero of a severity");
				}
				/* or after it, as a label: "High: 1", "Medium (2)", "Minor = 3" */
				if (i + 1 < s->nw && count_above_zero(&s->t[s->words[i + 1]]) &&
				    counted_by(st->text, t->end, s->t[s->words[i + 1]].start))
					proof_saw(r, blocking ? PK_BLOCKING : PK_MINOR, t->start,
					    "a count above zero of a severity");
				/* a zero count right after it: "Critical: 0 after the fix", "Major (0)" */
				int grouped = (t->start > 0 && st->text[t->start - 1] == '/') ||
				              (t->end < st->len && st->text[t->end] == '/');
				if (!grouped && i + 1 < s->nw && (word_is(s, i + 1, "0") || word_is(s, i + 1, "zero")) &&
				    s->words[i + 1] <= s->words[i] + 2 &&
				    !(s->t[s->words[i + 1]].end < st->len && st->text[s->t[s->words[i + 1]].end] == '/')) {
					blank(st->text, t->start, s->t[s->words[i + 1]].end);
					i += 2;
					continue;
				}
				size_t j = i + 1, end_tok;
				while (j < s->nw && word_has(s, j, WF_NOUN))
					j++;
				end_tok = j > i + 1 ? s->words[j - 1] : s->words[i];
				if (!grouped && end_tok + 1 < s->n && s->t[end_tok + 1].type == T_COLON) {
					size_t after = s->nw - j;
					if (after >= 1 && after <= 4 &&
					    (word_is(s, s->nw - 1, "none") || word_is(s, s->nw - 1, "nothing") ||
					     (after == 1 && word_has(s, j, WF_NONE))))
						blank(st->text, t->start, s->t[end_tok].end);
				}
				if (question && st->nq < 4) {
					st->q_from[st->nq] = t->start;
					st->q_to[st->nq] = t->end;
					st->nq++;
				}
			}
			i++;
			continue;
		}
		const ptok *last = &s->t[s->words[i + l - 1]];
		switch (row->cls) {
		case PH_NEUTRAL:
			blank(st->text, t->start, last->end);
			break;
		case PH_LABEL:
			/* "Critical issues: none" is a count, read by the severity rules */
			if (i > 0 && word_has(s, i - 1, WF_SEV))
				break;
			if (labels(st, s, i + l - 1) && !negated_before(ix, s, i, 0) && !negated_after(s, i, l) &&
			    !(category_label(row->phrase) && positive_after(s, i + l - 1)) &&
			    !(rating_label(row->phrase) && low_rating_after(s, i + l - 1)))
				proof_saw(r, strcmp(row->phrase, "security") == 0 || strcmp(row->phrase, "correctness") == 0
				           ? PK_BLOCKING : PK_MINOR,
				    t->start, "a finding label");
			else if (strcmp(row->phrase, "fixme") == 0 && !negated_before(ix, s, i, 1))
				proof_saw(r, PK_MINOR, t->start, "a FIXME"); /* FIXME needs no colon */
			break;
		case PH_BLOCKING:
		case PH_MINOR:
		case PH_DOUBT:
			if (!negated_before(ix, s, i, row->cls != PH_DOUBT) && !negated_after(s, i, l) &&
			    (row->cls == PH_DOUBT || !fixed_after(s, i + l)))
				proof_saw(r, row->cls == PH_BLOCKING ? PK_BLOCKING : row->cls == PH_MINOR ? PK_MINOR : PK_DOUBT,
				    t->start, row->phrase);
			break;
		case PH_APPROVAL: {
			const phrase_row *q;
			int qualified = i + l < s->nw && match(ix, s, i + l, 1u << PH_QUAL_AFTER, &q) > 0;
			for (size_t k = i >= 2 ? i - 2 : 0; k < i && !qualified; k++) {
				int colon = 0; /* "Overall: LGTM" labels, it does not qualify */
				for (size_t ti = s->words[k] + 1; ti < s->words[i]; ti++)
					colon |= s->t[ti].type == T_COLON;
				qualified = !colon && match(ix, s, k, 1u << PH_QUAL_BEFORE, &q) > 0;
			}
			if (qualified)
				proof_saw(r, PK_MINOR, t->start, "a qualified approval");
			else if (question)
				proof_saw(r, PK_DOUBT, t->start, "an approval asked as a question");
			else if (!st->unchecked && !negated_before(ix, s, i, 0))
				proof_saw(r, PK_CLEAN, t->start, "an approval");
			st->approved = 1;
			break;
		}
		case PH_FOREIGN:
			if (strcmp(row->phrase, "todo") == 0 && labels(st, s, i)) /* "TODO: X" */
				proof_saw(r, PK_MINOR, t->start, "a finding label");
			r->foreign_words++;
			break;
		default:
			break;
		}
		i += l;
	}
	s->n = s->nw = 0;
	s->emoji = 0;
}

/* What a byte starts, for proof_scan. */
enum { S_SKIP, S_WORD, S_END, S_DOT, S_COLON, S_HIGH, S_CLAUSE, S_MINUS };

static const unsigned char scan_kind[256] = {
	['0'] = S_WORD, ['1'] = S_WORD, ['2'] = S_WORD, ['3'] = S_WORD, ['4'] = S_WORD,
	['5'] = S_WORD, ['6'] = S_WORD, ['7'] = S_WORD, ['8'] = S_WORD, ['9'] = S_WORD,
	['a'] = S_WORD, ['b'] = S_WORD, ['c'] = S_WORD, ['d'] = S_WORD, ['e'] = S_WORD,
	['f'] = S_WORD, ['g'] = S_WORD, ['h'] = S_WORD, ['i'] = S_WORD, ['j'] = S_WORD,
	['k'] = S_WORD, ['l'] = S_WORD, ['m'] = S_WORD, ['n'] = S_WORD, ['o'] = S_WORD,
	['p'] = S_WORD, ['q'] = S_WORD, ['r'] = S_WORD, ['s'] = S_WORD, ['t'] = S_WORD,
	['u'] = S_WORD, ['v'] = S_WORD, ['w'] = S_WORD, ['x'] = S_WORD, ['y'] = S_WORD,
	['z'] = S_WORD,
	['A'] = S_WORD, ['B'] = S_WORD, ['C'] = S_WORD, ['D'] = S_WORD, ['E'] = S_WORD,
	['F'] = S_WORD, ['G'] = S_WORD, ['H'] = S_WORD, ['I'] = S_WORD, ['J'] = S_WORD,
	['K'] = S_WORD, ['L'] = S_WORD, ['M'] = S_WORD, ['N'] = S_WORD, ['O'] = S_WORD,
	['P'] = S_WORD, ['Q'] = S_WORD, ['R'] = S_WORD, ['S'] = S_WORD, ['T'] = S_WORD,
	['U'] = S_WORD, ['V'] = S_WORD, ['W'] = S_WORD, ['X'] = S_WORD, ['Y'] = S_WORD,
	['Z'] = S_WORD, ['_'] = S_WORD,
	['\n'] = S_END, ['!'] = S_END, ['?'] = S_END, [';'] = S_END, ['|'] = S_END,
	['.'] = S_DOT, [':'] = S_COLON, [','] = S_CLAUSE, ['('] = S_CLAUSE, ['-'] = S_MINUS,
	/* bytes from 0x80 on are S_HIGH: proof_scan tests them apart */
};

/* An ASCII letter or digit (not the underscore, which scan_kind counts in words). */
static int is_alnum(unsigned char c)
{
	return scan_kind[c] == S_WORD && c != '_';
}

/* A token that is not a word (a colon, an emoji marker) at [p, p + l). */
static void mark_token(sentence *sp, int type, size_t p, size_t l)
{
	ptok *t = &sp->t[sp->n++];
	t->type = type;
	t->e = -1;
	t->flags = 0;
	t->cls_mask = 0;
	t->start = p;
	t->end = p + l;
	t->len = 0;
	t->w[0] = '\0';
}

/* Reads the word at p into the sentence, lowercased and looked up in the index;
 * returns the position after it. An apostrophe or a hyphen between letters is part of
 * the word ("don't", "non-blocking"). */
static size_t scan_word(scan_state *st, sentence *sp, size_t p)
{
	const unsigned char *u = (const unsigned char *)st->text;
	size_t len = st->len, a = p, l = 0;
	ptok *t = &sp->t[sp->n];
	uint32_t h = 2166136261u;
	while (p < len) {
		unsigned char d = u[p];
		if (scan_kind[d] != S_WORD &&
		    !((d == '\'' || d == '-') && p + 1 < len && is_alnum(u[p + 1])))
			break;
		if (l < WMAX) {
			char lc = (char)(d >= 'A' && d <= 'Z' ? d + 32 : d);
			t->w[l++] = lc;
			h = (h ^ (unsigned char)lc) * 16777619u;
		} else {
			l = WMAX + 1;
		}
		p++;
	}
	if (l > WMAX)
		l = 0; /* too long to be any phrase word */
	if (l == 0)
		return p;
	t->w[l] = '\0';
	t->len = (unsigned char)l;
	t->start = a;
	t->end = p;
	t->type = T_WORD;
	t->e = phrase_lookup(st->ix, t->w, l, h);
	t->flags = t->e >= 0 ? st->ix->entries[t->e].flags : 0;
	t->cls_mask = t->e >= 0 ? st->ix->entries[t->e].cls_mask : 0;
	st->r->fix_reported |= (t->flags & WF_FIXED) != 0;
	st->r->words++;
	sp->words[sp->nw++] = sp->n;
	sp->n++;
	return p;
}

/* The non-ASCII character at p: an emoji that marks a finding is a token (red circle,
 * warning, stop sign, cross: blocking; orange or yellow circle, warning sign: minor).
 * Returns the position after what it read. */
static size_t scan_emoji(sentence *sp, const unsigned char *u, size_t len, size_t p)
{
	unsigned char c = u[p];
	int ty = -1;
	size_t l = 1;
	if (c == 0xF0 && p + 4 <= len && u[p + 1] == 0x9F) {
		l = 4;
		if ((u[p + 2] == 0x94 && u[p + 3] == 0xB4) || (u[p + 2] == 0x9A && u[p + 3] == 0xA8) ||
		    (u[p + 2] == 0x9B && u[p + 3] == 0x91))
			ty = T_EMOJI_B;
		else if (u[p + 2] == 0x9F && (u[p + 3] == 0xA1 || u[p + 3] == 0xA0))
			ty = T_EMOJI_M;
		else
			ty = T_CLAUSE; /* another emoji parts clauses: "Approved 👏 Just flagging: X" */
	} else if (c == 0xE2 && p + 3 <= len) {
		l = 3;
		if (u[p + 1] == 0x9D && u[p + 2] == 0x8C)
			ty = T_EMOJI_B;
		else if (u[p + 1] == 0x9A && u[p + 2] == 0xA0)
			ty = T_EMOJI_M;
		else if (u[p + 1] == 0x80 && (u[p + 2] == 0x94 || u[p + 2] == 0x93))
			ty = T_CLAUSE; /* an em or en dash */
	}
	if (ty == T_CLAUSE) {
		mark_token(sp, ty, p, l);
	} else if (ty >= 0) {
		mark_token(sp, ty, p, l);
		sp->emoji = 1;
	}
	return p + l;
}

void proof_scan(const phrase_index *ix, char *text, size_t len, proof_result *r)
{
	sentence *sp = malloc(sizeof *sp);
	scan_state st = {ix, text, len, r, {0}, {0}, 0, unchecked_at(text, len, 0), 0};
	const unsigned char *u = (const unsigned char *)text;
	size_t p = 0;

	if (!sp) {
		r->out_of_memory = 1;
		return;
	}
	sp->n = sp->nw = 0;
	sp->emoji = 0;
	/* an open task box ("- [ ] add tests") anywhere in the notes is open work */
	for (const char *b = memchr(text, '[', len); b && (size_t)(b - text) + 3 <= len;
	     b = memchr(b + 1, '[', len - (size_t)(b + 1 - text)))
		if (b[1] == ' ' && b[2] == ']') {
			proof_saw(r, st.unchecked ? PK_DOUBT : PK_MINOR, (size_t)(b - text), "an unchecked task box");
			break;
		}
	while (p < len) {
		unsigned char c = u[p];
		int kind = scan_kind[c];
		if (kind == S_SKIP) {
			if (c < 0x80) { /* spaces and most punctuation: nothing to read */
				p++;
				continue;
			}
			kind = S_HIGH;
		}
		if (kind == S_WORD) {
			p = scan_word(&st, sp, p);
		} else if (kind == S_END || (kind == S_DOT && (p + 1 >= len || !is_alnum(u[p + 1])))) {
			sentence_done(&st, sp, c == '?');
			if (r->hit[PK_BLOCKING].seen)
				break; /* nothing can be more severe */
			p++;
			if (c == '\n')
				st.unchecked = unchecked_at(text, len, p);
		} else if (kind == S_COLON) {
			mark_token(sp, T_COLON, p, 1);
			p++;
		} else if (kind == S_CLAUSE) {
			mark_token(sp, T_CLAUSE, p, 1);
			p++;
		} else if (kind == S_MINUS) {
			/* " - " and "--" part clauses; a hyphen inside a word is read with it */
			if ((p > 0 && u[p - 1] == ' ' && (p + 1 >= len || u[p + 1] == ' ')) ||
			    (p + 1 < len && u[p + 1] == '-'))
				mark_token(sp, T_CLAUSE, p, 1);
			p++;
		} else if (kind == S_HIGH) {
			p = scan_emoji(sp, u, len, p);
		} else {
			p++;
		}
		if (sp->n >= SENT_MAX - 1) {
			sentence_done(&st, sp, 0);
			if (r->hit[PK_BLOCKING].seen)
				break;
		}
	}
	if (!r->hit[PK_BLOCKING].seen)
		sentence_done(&st, sp, 0);
	free(sp);
}
