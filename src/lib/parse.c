/* SPDX-License-Identifier: MIT */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "wrkit/parse.h"

/* Digits only, no sign, no spaces: strtoull would accept " -1". Returns the number of
 * digits consumed (0 when none), or -1 on overflow. */
static int parse_digits(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	int n = 0;
	while (s[n] >= '0' && s[n] <= '9') {
		unsigned d = (unsigned)(s[n] - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		n++;
	}
	*out = v;
	return n;
}

int wr_parse_count(const char *s, long long *out)
{
	unsigned long long v;
	int n = parse_digits(s, &v);
	if (n <= 0 || s[n] != '\0' || v > LLONG_MAX)
		return -1;
	*out = (long long)v;
	return 0;
}

int wr_parse_size(const char *s, size_t *out)
{
	unsigned long long v, mult = 1;
	int n = parse_digits(s, &v);
	if (n <= 0)
		return -1;
	const char *suf = s + n;
	if (*suf == 'K' || *suf == 'k')
		mult = 1024ULL;
	else if (*suf == 'M' || *suf == 'm')
		mult = 1024ULL * 1024;
	else if (*suf == 'G' || *suf == 'g')
		mult = 1024ULL * 1024 * 1024;
	else if (*suf != '\0' && strcmp(suf, "B") != 0)
		return -1;
	if (mult > 1) {
		const char *rest = suf + 1;
		if (*rest != '\0' && strcmp(rest, "B") != 0 && strcmp(rest, "iB") != 0)
			return -1;
	}
	if (v > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

int wr_parse_duration_ms(const char *s, long long *out_ms)
{
	unsigned long long v, mult;
	int n = parse_digits(s, &v);
	if (n <= 0)
		return -1;
	const char *unit = s + n;
	if (*unit == '\0' || strcmp(unit, "s") == 0)
		mult = 1000;
	else if (strcmp(unit, "ms") == 0)
		mult = 1;
	else if (strcmp(unit, "m") == 0)
		mult = 60ULL * 1000;
	else if (strcmp(unit, "h") == 0)
		mult = 3600ULL * 1000;
	else
		return -1;
	if (v > (unsigned long long)LLONG_MAX / mult)
		return -1;
	*out_ms = (long long)(v * mult);
	return 0;
}
