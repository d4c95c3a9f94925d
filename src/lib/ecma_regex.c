/* SPDX-License-Identifier: MIT */
/* ECMA-262 patterns on PCRE2. The two dialects agree on what schemas use; where they
 * differ, options and a small rewrite close the gap: code points (UTF mode), "$" only
 * at the end, "[^]" as any character, \uXXXX escapes, and Unicode property escapes by
 * their long General_Category names, which PCRE2 spells short. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecma_regex.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

static const struct {
	const char *name, *short_name;
} general_categories[] = {
	{"Letter", "L"}, {"Cased_Letter", "L&"}, {"Uppercase_Letter", "Lu"},
	{"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"},
	{"Other_Letter", "Lo"}, {"Mark", "M"}, {"Combining_Mark", "M"},
	{"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"},
	{"Number", "N"}, {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Letter_Number", "Nl"},
	{"Other_Number", "No"}, {"Punctuation", "P"}, {"punct", "P"},
	{"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
	{"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"},
	{"Initial_Punctuation", "Pi"}, {"Final_Punctuation", "Pf"},
	{"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
	{"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"},
	{"Separator", "Z"}, {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"},
	{"Paragraph_Separator", "Zp"}, {"Other", "C"}, {"Control", "Cc"}, {"cntrl", "Cc"},
	{"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"}, {"Unassigned", "Cn"},
};

/* The PCRE2 name for the inside of \p{...}, or NULL to keep it as written. */
static const char *property_name(const char *name, size_t len)
{
	static const char *const prefixes[] = {"General_Category=", "gc="};
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t n = strlen(prefixes[i]);
		if (len > n && strncmp(name, prefixes[i], n) == 0) {
			name += n;
			len -= n;
			break;
		}
	}
	for (size_t i = 0; i < sizeof general_categories / sizeof *general_categories; i++)
		if (strlen(general_categories[i].name) == len &&
		    strncmp(general_categories[i].name, name, len) == 0)
			return general_categories[i].short_name;
	return NULL;
}

char *wr_ecma_regex_translate(const char *pattern)
{
	size_t len = strlen(pattern);
	char *out = malloc(len + 1), *o = out; /* short names are never longer */
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (pattern[i] != '\\' || i + 1 >= len) {
			*o++ = pattern[i];
			continue;
		}
		char kind = pattern[i + 1];
		const char *close;
		if ((kind == 'p' || kind == 'P') && pattern[i + 2] == '{' &&
		    (close = strchr(pattern + i + 3, '}')) != NULL) {
			const char *name = pattern + i + 3;
			const char *short_name = property_name(name, (size_t)(close - name));
			if (short_name) {
				o += sprintf(o, "\\%c{%s}", kind, short_name);
				i = (size_t)(close - pattern);
				continue;
			}
		}
		/* Any other escape is copied whole, so "\\p" stays a backslash and a p. */
		*o++ = pattern[i++];
		*o++ = pattern[i];
	}
	*o = '\0';
	return out;
}

pcre2_code *wr_ecma_regex_compile(const char *pattern, char *why, size_t why_size)
{
	int code;
	PCRE2_SIZE offset;
	char *translated = wr_ecma_regex_translate(pattern);
	pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);

	if (!translated || !cctx) {
		free(translated);
		if (cctx)
			pcre2_compile_context_free(cctx);
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	pcre2_set_newline(cctx, PCRE2_NEWLINE_ANY); /* "." stops at every line terminator */
#ifdef PCRE2_EXTRA_ALT_BSUX
	pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX); /* \u{...} */
#endif
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated, PCRE2_ZERO_TERMINATED,
	                               PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALLOW_EMPTY_CLASS |
	                                   PCRE2_ALT_BSUX,
	                               &code, &offset, cctx);
	pcre2_compile_context_free(cctx);
	free(translated);
	if (!re && code == PCRE2_ERROR_HEAP_FAILED) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(why, why_size, "%s at offset %zu", (const char *)msg, (size_t)offset);
		return NULL;
	}
	/* Where JIT is missing (or valgrind watches, which JIT code confuses), the
	 * interpreter runs. */
	if (!RUNNING_ON_VALGRIND)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}
