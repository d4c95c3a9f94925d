/* SPDX-License-Identifier: MIT */
/* classify_proof.h: the proof of clean (SPEC 5.3, 5.4), internal to libwrkit.
 *
 * Two steps before the keyword scan:
 * - proof_clean (classify_copy.c) copies the notes with what holds no signal blanked (fenced blocks,
 *   inline code spans, HTML comments, struck text, quoted lines, the old side of a
 *   count "1 -> 0"), compatibility forms folded (full-width and mathematical letters,
 *   curly apostrophes), and invisible characters dropped; line breaks are kept, so a
 *   line of the copy is the line of the notes. It notes what makes the text
 *   unreadable: an invisible character, a word mixing Latin with Cyrillic or Greek,
 *   mostly letters of other scripts.
 * - proof_scan (classify_proof.c) reads the copy by sentences against the phrase table
 *   (classify_phrases.c): problems, findings, incomplete or stale reviews, qualified
 *   approvals, exceptions, negations after a severity word; it blanks the descriptive
 *   uses and the negated-after severity words so that the keyword scan does not read
 *   them.
 */
#ifndef WRKIT_CLASSIFY_PROOF_H
#define WRKIT_CLASSIFY_PROOF_H

#include <stddef.h>
#include <stdint.h>

enum phrase_class {
	PH_BLOCKING = 1,
	PH_MINOR,
	PH_DOUBT,
	PH_NEUTRAL,
	PH_FOREIGN,
	PH_APPROVAL,
	PH_QUAL_AFTER,
	PH_QUAL_BEFORE,
	PH_NEGATION,
	PH_FIXWORD,
	PH_EXCEPT,
	PH_LABEL,    /* a finding label: 'Warning: X', 'Bug - X' (minor) */
	PH_CONTRAST, /* a sentence opening that qualifies an earlier approval */
	PH_ADDENDUM, /* the same as a label only ("Update: X", not "Update to the docs") */
	PH_CLASSES
};

typedef struct phrase_row {
	const char *phrase;
	int cls;
	const char *why;
} phrase_row;

extern const phrase_row classify_phrases[]; /* ends with a NULL phrase */

/* What the proof found: for each of blocking, minor, doubt, whether (and the first
 * offset in the copy where) it was seen, and a short reason. */
enum proof_kind { PK_BLOCKING, PK_MINOR, PK_DOUBT, PK_CLEAN, PK_KINDS };

typedef struct proof_hit {
	int seen;
	size_t at;         /* offset in the copy */
	const char *why;   /* static text */
} proof_hit;

typedef struct proof_result {
	proof_hit hit[PK_KINDS];
	size_t latin_letters, other_letters; /* for "mostly another language" */
	size_t words, foreign_words; /* foreign: listed words, and words with accented
	                               Latin letters (é, ñ, ö) */
	int fenced;        /* a fenced block (a verdict block, perhaps) was blanked */
	char *hidden;      /* the text of the HTML comments (malloc'd, or NULL) */
	size_t hidden_len;
	char *quoted;      /* the text of the quoted lines (malloc'd, or NULL) */
	size_t quoted_len;
	int fix_reported;  /* a word says something was fixed ("fixed", "resolved") */
	int out_of_memory; /* the scan could not be done: no answer at all */
} proof_result;

/* Records that the proof saw k at offset at (the first time only: the first sighting
 * is the evidence). */
static inline void proof_saw(proof_result *r, int k, size_t at, const char *why)
{
	if (!r->hit[k].seen) {
		r->hit[k].seen = 1;
		r->hit[k].at = at;
		r->hit[k].why = why;
	}
}

/* The phrase index, built once per classifier: every word of every row (and the words
 * the rules look for) in an open-addressing hash table; each row as the entries of its
 * words, so that matching a row compares numbers; each entry with the rows it starts,
 * in the order of the table, next to each other in starts[]. */
#define PH_MAX_ROWS 2048
#define PH_MAX_WORDS 6
#define PH_MAX_ENTRIES 4096
#define PH_SLOTS 8192
#define PH_PAIR_BITS 65536

enum { WF_SEV = 1, WF_BLOCK = 2, WF_NONE = 4, WF_NOUN = 8, WF_STOP = 16, WF_MODAL = 32,
       WF_INTERJ = 64, WF_FIXED = 128, WF_NEGAUX = 256, WF_AUX = 512, WF_BENIGN = 1024,
       WF_NEGCOP = 2048, WF_COPULA = 4096 };

typedef struct phrase_entry {
	char word[32];
	uint32_t hash;
	unsigned char len;
	unsigned short flags;  /* WF_*: what the rules ask of the word */
	unsigned short nrows;  /* the rows it starts: starts[first .. first + nrows) */
	unsigned short first;
	unsigned cls_mask;     /* 1 << the class of each row it starts */
	unsigned single_mask;  /* 1 << the class of each row that is this word alone */
} phrase_entry;

/* A row, as the entry of its first word lists it. */
typedef struct phrase_start {
	unsigned short row;
	unsigned char cls;
	unsigned char nwords;
	short second; /* the entry of its second word; -1 for a row of one word */
} phrase_start;

typedef struct phrase_index {
	size_t n, nentries;
	int overflow; /* a row or a word did not fit: the build is refused */
	phrase_entry entries[PH_MAX_ENTRIES];
	short slot[PH_SLOTS]; /* entry index + 1; 0 is empty */
	phrase_start starts[PH_MAX_ROWS];
	unsigned char nwords[PH_MAX_ROWS];
	short wid[PH_MAX_ROWS][PH_MAX_WORDS]; /* the entry of each word of each row */
	/* a filter of the first two words of the rows: a bit set by every row's pair,
	 * so that most words are passed over without reading their rows */
	uint64_t pairs[PH_PAIR_BITS / 64];
} phrase_index;

/* The entry of a lowercase word whose word_hash is h, or -1. */
int phrase_lookup(const phrase_index *ix, const char *w, size_t len, uint32_t h);

/* Builds the index. Returns 0, or -1 when the phrase table outgrows its limits (a
 * unit test keeps it within them). */
int phrase_index_build(phrase_index *ix);

/* The blanked copy of text[0..len) into *out (malloc'd, NUL-terminated, *out_len its
 * length). Returns 0, or -1 when out of memory. */
int proof_clean(const char *text, size_t len, char **out, size_t *out_len, proof_result *r);

/* Reads the copy (and blanks in it what no rule is to read). */
void proof_scan(const phrase_index *ix, char *text, size_t len, proof_result *r);

#endif
