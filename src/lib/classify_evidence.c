/* SPDX-License-Identifier: MIT */
/* The names of severities and sources, their order, and the evidence a classification
 * gathers: below every tier, so that each tier can add to it without calling back into
 * the classifier. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "classify_internal.h"

const char *wr_severity_name(wr_severity severity)
{
	switch (severity) {
	case WR_SEVERITY_CLEAN: return "clean";
	case WR_SEVERITY_MINOR: return "minor";
	case WR_SEVERITY_BLOCKING: return "blocking";
	default: return "unknown";
	}
}

const char *wr_source_name(wr_source source)
{
	switch (source) {
	case WR_SOURCE_ARTIFACT: return "artifact";
	case WR_SOURCE_NOTES_JSON: return "notes_json";
	case WR_SOURCE_KEYWORD_SCAN: return "keyword_scan";
	default: return "none";
	}
}

int wr_severity_rank(wr_severity severity)
{
	switch (severity) {
	case WR_SEVERITY_CLEAN: return 0;
	case WR_SEVERITY_MINOR: return 1;
	case WR_SEVERITY_BLOCKING: return 3;
	default: return 2;
	}
}

void classify_evidence_set(wr_evidence *e, const char *tier, size_t line, const char *text,
                         size_t len)
{
	size_t n = 0, cps = 0;
	snprintf(e->tier, sizeof e->tier, "%s", tier);
	e->line = line;
	/* cut to WR_FINDING_MAX_CHARS code points, never inside a sequence */
	while (n < len && n + 4 < sizeof e->text) {
		unsigned char c = (unsigned char)text[n];
		if ((c & 0xC0) != 0x80 && cps++ == WR_FINDING_MAX_CHARS)
			break;
		n++;
	}
	while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	memcpy(e->text, text, n);
	e->text[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (e->text[i] == '\r' || e->text[i] == '\t')
			e->text[i] = ' ';
}

void acc_add(verdict_acc *acc, int rank, wr_source src, size_t line, const char *text,
             size_t len)
{
	acc->seen[rank] = 1;
	if (src == WR_SOURCE_ARTIFACT)
		acc->by_artifact[rank] = 1;
	else if (src == WR_SOURCE_NOTES_JSON)
		acc->by_block[rank] = 1;
	for (size_t i = 0; src != WR_SOURCE_ARTIFACT && line && i < acc->nev[rank]; i++) /* a line once */
		if (acc->ev[rank][i].line == line && strcmp(acc->ev[rank][i].tier, wr_source_name(src)) == 0)
			return;
	if (acc->nev[rank] < WR_EVIDENCE_MAX)
		classify_evidence_set(&acc->ev[rank][acc->nev[rank]++], wr_source_name(src), line, text, len);
}
