/* SPDX-License-Identifier: MIT */
/* classify_proof.h: the proof of clean (SPEC 5.3, 5.4), internal to libwrkit.
 *
 * Two steps before the keyword scan:
 * - proof_clean copies the notes with what holds no signal blanked (fenced blocks,
 *   inline code spans, HTML comments, struck text, quoted lines, the old side of a
 *   count "1 -> 0"), compatibility forms folded (full-width and mathematical letters,
 *   curly apostrophes), and invisible characters dropped; line breaks are kept, so a
 *   line of the copy is the line of the notes. It notes what makes the text
 *   unreadable: an invisible character, a word mixing Latin with Cyrillic or Greek,
 *   mostly letters of other scripts.
 * - proof_scan reads the copy by sentences against the phrase table
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
	int out_of_memory; /* the scan could not be done: no answer at all */
} proof_result;

/* The phrase index, built once per classifier: the distinct first words of the rows
 * (and the words the rules look for) in an open-addressing hash table, each with the
 * rows it starts; each row split into its words. */
#define PH_MAX_ROWS 1024
#define PH_MAX_WORDS 6
#define PH_ENTRY_ROWS 64
#define PH_SLOTS 4096

enum { WF_SEV = 1, WF_BLOCK = 2, WF_NONE = 4, WF_NOUN = 8 };

typedef struct phrase_entry {
	char word[32];
	unsigned char len;
	unsigned char flags; /* WF_*: what the rules ask of the word */
	unsigned cls_mask;   /* 1 << the class of each row it starts */
	unsigned short nrows;
	unsigned short rows[PH_ENTRY_ROWS];
} phrase_entry;

typedef struct phrase_index {
	size_t n, nentries;
	phrase_entry entries[PH_MAX_ROWS];
	short slot[PH_SLOTS]; /* entry index + 1; 0 is empty */
	unsigned char nwords[PH_MAX_ROWS];
	unsigned char wlen[PH_MAX_ROWS][PH_MAX_WORDS];
	unsigned short woff[PH_MAX_ROWS][PH_MAX_WORDS];
} phrase_index;

/* The entry of a lowercase word whose word_hash is h, or -1. */
int phrase_lookup(const phrase_index *ix, const char *w, size_t len, uint32_t h);

void phrase_index_build(phrase_index *ix);

/* The blanked copy of text[0..len) into *out (malloc'd, NUL-terminated, *out_len its
 * length). Returns 0, or -1 when out of memory. */
int proof_clean(const char *text, size_t len, char **out, size_t *out_len, proof_result *r);

/* Reads the copy (and blanks in it what no rule is to read). */
void proof_scan(const phrase_index *ix, char *text, size_t len, proof_result *r);

#endif
