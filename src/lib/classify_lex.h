/* SPDX-License-Identifier: MIT */
/* classify_lex.h: the words and tokens of review notes, for the keyword scan and the
 * finding lines (internal to libwrkit). The line structure is in classify_lines.h.
 *
 * Tokens are spans of the notes: nothing is copied or allocated per word. A word is
 * looked up, case-insensitively, in a small lexicon that says what it can mean to a
 * review (a severity, a negation, a count, a word a negation reaches across...).
 */
#ifndef WRKIT_CLASSIFY_LEX_H
#define WRKIT_CLASSIFY_LEX_H

#include <stddef.h>
#include <stdint.h>

/* What a lexicon word names. */
enum lex_kind {
	K_NONE = 0,
	K_BLOCKING,   /* blocking, blocker(s) */
	K_CRITICAL,
	K_MAJOR,
	K_MINOR,
	K_NIT,        /* nit, nits, nitpick(s)... */
	K_SUGGESTION, /* suggestion(s) */
	K_APPROVE,    /* approve, approved: a clean signal */
	K_APPROVAL,   /* approval, approving...: only ever refused */
	K_MERGE,      /* merge, merged...: only ever refused */
	K_LGTM,
	K_CLEAN,
	K_REQUEST,    /* request, requested, requesting */
	K_CHANGES,
	K_REQ_CHANGES, /* request_changes, changes_requested */
	K_DISAPPROVE, /* disapprove(d), disapproval, unapproved */
	K_ISSUES,
	K_FINDINGS,
	K_SEVERITY,   /* severity, sev */
	K_HIGH,
	K_MEDIUM,
	K_LOW,
	K_MUST,
	K_FIX,
	K_OR,         /* or, nor, and/or */
	K_WITH,
	K_OTHER,
	K_THAN,
	K_NO,
	K_N           /* the n of n/a */
};

/* What a lexicon word can do (bits). */
enum lex_role {
	R_NEG_NOT = 1u << 0,      /* not, never, cannot, -n't: denies what it governs */
	R_NEG_ABSENT = 1u << 1,   /* no, none, zero, without, non-: says there is none */
	R_NEG_REFUSE = 1u << 2,   /* unable, hold, reject...: refuses an approval */
	R_TRANSP = 1u << 3,       /* a negation reaches across it ("not really blocking") */
	R_TRANSP_REF = 1u << 4,   /* a refusal reaches across it ("not ready to merge") */
	R_NOUN = 1u << 5,         /* issues, findings, found...: may stand between a
	                             severity and its count */
	R_COUNT = 1u << 6,        /* a count in words; the value is in lexeme.value */
	R_QUAL_AFTER = 1u << 7,   /* "LGTM except ...": an approval with conditions */
	R_QUAL_BEFORE = 1u << 8,  /* "mostly LGTM", "otherwise approve" */
	R_DESC = 1u << 9,         /* "a major refactor": MAJOR describing, not labelling */
	R_CLEAN_NEXT = 1u << 10,  /* "clean up", "clean build": not a verdict */
	R_CLEAN_PREV = 1u << 11,  /* "build clean", "lint: clean": not a verdict */
	R_SCOPE = 1u << 12,       /* "no issues in the parser": a scoped all-clear */
	R_RESOLVED = 1u << 13,    /* resolved, fixed, addressed */
	R_RESOLVE_GAP = 1u << 14, /* may stand between a finding and "resolved" */
	R_POST_REFUSE = 1u << 15, /* "approval withheld", "merge: blocked" */
	R_NUM_CTX = 1u << 16,     /* "phase 0", "pass 2": the number is not a count */
	R_TERM = 1u << 17,        /* may follow a zero count ("none so far") */
	R_FIXNOUN = 1u << 18,     /* "approve with changes" */
	R_COPULA = 1u << 19,      /* is, are, was... */
	R_CONTRAST = 1u << 20,    /* but, however, although: ends a negation's reach */
	R_LABEL_WORD = 1u << 21,  /* recommendation, confidence, coverage...: lines that
	                             are not findings */
	R_SEC_FINDINGS = 1u << 22, /* a heading with it announces findings */
	R_SEC_OTHER = 1u << 23    /* a heading with it announces something else (wins) */
};

typedef struct lexeme {
	const char *word;
	unsigned char kind;  /* enum lex_kind */
	unsigned char value; /* for R_COUNT */
	uint32_t roles;      /* enum lex_role */
} lexeme;

/* Token types and punctuation classes. */
enum tok_type { TK_END = 0, TK_WORD, TK_NUM, TK_PUNCT, TK_BREAK };

enum punct {
	P_NONE = 0,
	P_COLON,
	P_COMMA,
	P_STOP,     /* . ! */
	P_SEMI,     /* ; */
	P_QUESTION,
	P_OPEN,     /* ( [ { */
	P_CLOSE,    /* ) ] } */
	P_PIPE,
	P_SLASH,
	P_EQ,
	P_JOIN,     /* a hyphen inside a word: non-blocking */
	P_DASH,     /* a dash between words: -- — -> */
	P_EMPH,     /* * _ ~ */
	P_CODE,     /* ` (skipped as emphasis is; the scan counts them for code spans) */
	P_QUOTE,    /* " ' and curly quotes */
	P_DOT,      /* · • : separates items of a list on one line */
	P_HASH,
	P_URL,      /* a whole URL: http://..., its words are no words */
	P_OTHER
};

typedef struct tok {
	unsigned char type;  /* enum tok_type */
	unsigned char punct; /* enum punct, for TK_PUNCT */
	unsigned char kind;  /* enum lex_kind, for a lexicon word */
	unsigned char value; /* R_COUNT value */
	unsigned char resolved; /* kind, value and roles are known (see lex_run) */
	unsigned char maybe;    /* a word that may be one the scan judges */
	unsigned char apostrophe; /* a word with an apostrophe in it (it's): looked up slowly */
	uint32_t roles;      /* enum lex_role, for a lexicon word (and -n't words) */
	uint32_t num;        /* TK_NUM value, saturated */
	size_t start, end;   /* the span in the text */
} tok;

#define LEX_TABLE_SIZE 1024

#define LEX_MAX_WORD 24 /* no lexicon word is longer */

#define LEX_TRIGGER_LEN 24

/* A slot of the lexicon's hash table: the word and what it means, in 32 bytes. */
typedef struct lex_slot {
	uint64_t word[3];    /* the word, zero-padded to 24 bytes */
	uint32_t roles;
	unsigned char kind;
	unsigned char value;
	unsigned char used;  /* 0: an empty slot */
} lex_slot;

/* The lexicon by hash: built once, read by every scan. */
typedef struct lex_table {
	lex_slot slots[LEX_TABLE_SIZE];
	/* Filters by a word's length, first and last byte: the bits of
	 * filter[length][letter_index[first byte]] are the end_bit of the last bytes a
	 * word may have. letter_index numbers the letters in either case, 26 for any
	 * other byte (a column of zeros); end_bit has a bit for each letter (either
	 * case), one for the digits, none for other bytes. trigger holds the words the
	 * scan judges (signals, verdicts, issues...), known every lexicon word. */
	uint32_t trigger[LEX_TRIGGER_LEN + 1][27];
	uint32_t known[LEX_MAX_WORD + 1][27];
	unsigned char letter_index[256];
	uint32_t end_bit[256];
	/* What each byte starts, for the tokenizer (see classify_lex.c). */
	unsigned char byte_class[256];
} lex_table;

void lex_table_build(lex_table *table);

/* The lexicon (classify_lexicon.c): every word the scan reads, *count of them. */
const lexeme *lex_lexicon(size_t *count);

/* Checks that every lexicon word is lowercase ASCII letters, digits or underscores, 1
 * to 24 bytes, starting with a letter and ending with a letter or digit, and listed
 * once: what the lookup and its filters assume. Returns 0, or -1 with *bad the first
 * word that is not. */
int lex_lexicon_check(const char **bad);

typedef struct lexer {
	const char *text;
	size_t len;
	const lex_table *table;
} lexer;

void lex_init(lexer *lx, const lex_table *table, const char *text, size_t len);

/* The token at pos, not reading at or past end (end <= lx->len). Returns the position
 * after it; t->type is TK_END when nothing but white space is left. */
size_t lex_next(const lexer *lx, size_t pos, size_t end, tok *t);

/* Whether text[start..end) holds a word that may be one the scan judges: a line
 * without one is not scanned. It sees every word lex_next can mark maybe (and the
 * words of URLs too); it stops at the first. */
int lex_has_trigger(const lexer *lx, size_t start, size_t end);

/* The tokens lex_next gives one after the other from pos, up to max of them (max >=
 * 1), into out: the one at pos, then the one at its end, and so on. Stops after the
 * TK_END, which it stores. Returns how many it stored. A token's end is always where
 * the next one is lexed from: lex_next returns t->end. lazy: a word that cannot be
 * one the scan judges (t->maybe 0) is left unresolved (t->resolved 0). */
size_t lex_run(const lexer *lx, size_t pos, size_t end, tok *out, size_t max, int lazy);

/* Looks up a word lex_run left unresolved; nothing for a resolved token. */
void lex_resolve(const lexer *lx, tok *t);

/* lex_next, skipping emphasis and quotes. */
size_t lex_next_plain(const lexer *lx, size_t pos, size_t end, tok *t);

/* Whether t is the word w (lowercase ASCII). */
int tok_is(const lexer *lx, const tok *t, const char *w);

/* A severity word: blocking, critical, major, minor, nit, suggestion, high... */
int kind_is_severity(int kind);

#endif
