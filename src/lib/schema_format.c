/* SPDX-License-Identifier: MIT */
/* The "format" keyword as an assertion (wr_registry_set_format_assert): one checker
 * per format the draft names, each written from its RFC. Pure functions over a UTF-8
 * string of known length (it may hold NUL bytes). */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema_format.h"

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_hex(unsigned char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* n ASCII digits at s as a number, or -1. */
static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Dates and times: RFC 3339 section 5.6. */

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

static bool full_date(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* partial-time time-offset; a leap second only where UTC is 23:59:60. */
static bool full_time(const char *s, size_t len)
{
	if (len < 9 || s[2] != ':' || s[5] != ':')
		return false;
	int h = digits(s, 2), m = digits(s + 3, 2), sec = digits(s + 6, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
		return false;
	size_t i = 8;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
		if (i == start)
			return false;
	}
	if (i >= len)
		return false;
	int off = 0; /* minutes east of UTC */
	if ((s[i] | 0x20) == 'z') {
		if (i + 1 != len)
			return false;
	} else if (s[i] == '+' || s[i] == '-') {
		if (len - i != 6 || s[i + 3] != ':')
			return false;
		int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
		off = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
	} else {
		return false;
	}
	if (sec == 60) {
		int utc = ((h * 60 + m - off) % 1440 + 1440) % 1440;
		if (utc != 23 * 60 + 59)
			return false;
	}
	return true;
}

static bool date_time(const char *s, size_t len)
{
	return len > 11 && (s[10] | 0x20) == 't' && full_date(s, 10) && full_time(s + 11, len - 11);
}

/* RFC 3339 appendix A: P[nY][nM][nD][T[nH][nM][nS]] with at least one element, or PnW. */
static bool duration(const char *s, size_t len)
{
	static const char date_units[] = "YMD", time_units[] = "HMS";
	size_t i = 1;
	if (len < 2 || s[0] != 'P')
		return false;
	/* weeks stand alone */
	if (s[len - 1] == 'W') {
		for (size_t k = 1; k < len - 1; k++)
			if (!is_digit((unsigned char)s[k]))
				return false;
		return len > 2;
	}
	bool any = false;
	const char *units = date_units;
	size_t next = 0;
	while (i < len) {
		if (s[i] == 'T') {
			if (units == time_units)
				return false;
			units = time_units;
			next = 0;
			i++;
			if (i == len)
				return false; /* T needs a time element */
			continue;
		}
		size_t start = i;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
		if (i == start || i == len)
			return false;
		/* each element may be followed only by the next smaller one */
		const char *u = strchr(units + next, s[i]);
		if (!u || !s[i] || (next > 0 && u != units + next))
			return false;
		next = (size_t)(u - units) + 1;
		any = true;
		i++;
	}
	return any;
}

/* Internet addresses. */

static bool ipv4(const char *s, size_t len)
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
		size_t start = i;
		int v = 0;
		while (i < len && is_digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return false;
	}
	return i == len;
}

/* RFC 4291 section 2.2, with an IPv4 tail; no zone, no prefix length. */
static bool ipv6(const char *s, size_t len)
{
	int groups = 0;
	bool compressed = false;
	size_t i = 0;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		compressed = true;
		i = 2;
		if (i == len)
			return true;
	} else if (len && s[0] == ':') {
		return false;
	}
	while (i < len) {
		size_t start = i;
		while (i < len && is_hex((unsigned char)s[i]) && i - start < 5)
			i++;
		if (i < len && s[i] == '.') {
			/* the last 32 bits as IPv4 */
			if (!ipv4(s + start, len - start))
				return false;
			groups += 2;
			i = len;
			break;
		}
		if (i == start || i - start > 4)
			return false;
		groups++;
		if (i == len)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < len && s[i] == ':') {
			if (compressed)
				return false;
			compressed = true;
			i++;
			if (i == len)
				break;
		} else if (i == len) {
			return false; /* a trailing single colon */
		}
	}
	return compressed ? groups <= 7 : groups == 8;
}

/* Host names: RFC 1123 labels; A-labels (xn--) are decoded and checked against the
 * IDNA2008 context rules that matter (RFC 5891, 5892). */

static int punycode_decode(const char *in, size_t len, uint32_t *out, size_t cap)
{
	enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700 };
	size_t n_out = 0, b = 0;
	for (size_t j = 0; j < len; j++)
		if (in[j] == '-')
			b = j;
	if (b > 0 || (len && in[0] == '-')) {
		for (size_t j = 0; j < b; j++) {
			if ((unsigned char)in[j] >= 0x80 || n_out >= cap)
				return -1;
			out[n_out++] = (unsigned char)in[j];
		}
		b++;
	}
	uint32_t n = 128, bias = 72;
	uint64_t i = 0;
	for (size_t in_pos = b; in_pos < len;) {
		uint64_t oldi = i, w = 1;
		for (uint32_t k = BASE;; k += BASE) {
			if (in_pos >= len)
				return -1;
			unsigned char c = (unsigned char)in[in_pos++];
			uint32_t digit;
			if (is_digit(c))
				digit = c - '0' + 26;
			else if (is_alpha(c))
				digit = (uint32_t)((c | 0x20) - 'a');
			else
				return -1;
			i += digit * w;
			if (i > 0x10FFFF * 64ULL)
				return -1;
			uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
			if (digit < t)
				break;
			w *= BASE - t;
			if (w > 0x10FFFF * 64ULL)
				return -1;
		}
		/* adapt */
		uint64_t delta = oldi == 0 ? (i - oldi) / DAMP : (i - oldi) / 2;
		delta += delta / (n_out + 1);
		uint32_t k = 0;
		while (delta > ((BASE - TMIN) * TMAX) / 2) {
			delta /= BASE - TMIN;
			k += BASE;
		}
		bias = (uint32_t)(k + (BASE - TMIN + 1) * delta / (delta + SKEW));
		n += (uint32_t)(i / (n_out + 1));
		i %= (n_out + 1);
		if (n > 0x10FFFF || n_out >= cap)
			return -1;
		memmove(out + i + 1, out + i, (n_out - i) * sizeof *out);
		out[i++] = n;
		n_out++;
	}
	return (int)n_out;
}

typedef struct range {
	uint32_t lo, hi;
} range;

static bool in_ranges(uint32_t c, const range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return true;
	return false;
}

/* Combining marks (general category M) of the scripts most used in host names. */
static const range marks[] = {
	{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
	{0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
	{0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0903},
	{0x093A, 0x093C}, {0x093E, 0x094F}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0983},
	{0x09BC, 0x09BC}, {0x09BE, 0x09CD}, {0x0A01, 0x0A03}, {0x0A3C, 0x0A51}, {0x0A81, 0x0A83},
	{0x0ABC, 0x0ACD}, {0x0B01, 0x0B03}, {0x0B3C, 0x0B57}, {0x0BBE, 0x0BCD}, {0x0C00, 0x0C04},
	{0x0C3E, 0x0C56}, {0x0CBC, 0x0CD6}, {0x0D00, 0x0D03}, {0x0D3B, 0x0D57}, {0x0E31, 0x0E31},
	{0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF},
	{0x302A, 0x302F}, {0x3099, 0x309A}, {0xFE20, 0xFE2F},
};

/* Canonical combining class 9 (virama). */
static const range viramas[] = {
	{0x094D, 0x094D}, {0x09CD, 0x09CD}, {0x0A4D, 0x0A4D}, {0x0ACD, 0x0ACD}, {0x0B4D, 0x0B4D},
	{0x0BCD, 0x0BCD}, {0x0C4D, 0x0C4D}, {0x0CCD, 0x0CCD}, {0x0D3B, 0x0D3C}, {0x0D4D, 0x0D4D},
	{0x0DCA, 0x0DCA}, {0x0E3A, 0x0E3A}, {0x0EBA, 0x0EBA}, {0x0F84, 0x0F84}, {0x1039, 0x103A},
	{0x1714, 0x1715}, {0x1734, 0x1734}, {0x17D2, 0x17D2}, {0x1A60, 0x1A60}, {0x1B44, 0x1B44},
	{0x1BAA, 0x1BAB}, {0x1BF2, 0x1BF3}, {0x2D7F, 0x2D7F}, {0xA806, 0xA806}, {0xA8C4, 0xA8C4},
	{0xA953, 0xA953}, {0xA9C0, 0xA9C0}, {0xAAF6, 0xAAF6}, {0xABED, 0xABED},
};

/* RFC 5892 section 2.6: exceptions that are DISALLOWED. */
static const range disallowed[] = {
	{0x0640, 0x0640}, {0x07FA, 0x07FA}, {0x302E, 0x302F}, {0x3031, 0x3035}, {0x303B, 0x303B},
};

static bool is_greek(uint32_t c) { return (c >= 0x0370 && c <= 0x03FF && c != 0x037E && c != 0x0387) || (c >= 0x1F00 && c <= 0x1FFF); }
static bool is_hebrew(uint32_t c) { return c >= 0x0591 && c <= 0x05F4; }
static bool is_kana_han(uint32_t c)
{
	return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF && c != 0x30FB) ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x20000 && c <= 0x3134F);
}

/* Arabic joining types, for the ZWNJ rule: R (right-joining) letters, else D. */
static char joining_type(uint32_t c)
{
	static const range right[] = {{0x0622, 0x0625}, {0x0627, 0x0627}, {0x0629, 0x0629},
	                              {0x062F, 0x0632}, {0x0648, 0x0648}, {0x0671, 0x0673},
	                              {0x0675, 0x0677}, {0x0688, 0x0699}, {0x06C0, 0x06CB}};
	if (in_ranges(c, marks, sizeof marks / sizeof *marks))
		return 'T';
	if (c >= 0x0620 && c <= 0x06FF && !(c >= 0x0660 && c <= 0x0669) && !(c >= 0x06F0 && c <= 0x06F9))
		return in_ranges(c, right, sizeof right / sizeof *right) ? 'R' : 'D';
	return 'U';
}

static bool zwnj_joins(const uint32_t *u, size_t n, size_t at)
{
	size_t i = at;
	char t = 'T';
	while (i > 0 && (t = joining_type(u[--i])) == 'T')
		;
	if (at == 0 || (t != 'L' && t != 'D'))
		return false;
	t = 'T';
	i = at + 1;
	while (i < n && (t = joining_type(u[i])) == 'T')
		i++;
	return i < n && (t == 'R' || t == 'D');
}

static bool u_label(const uint32_t *u, size_t n)
{
	bool arabic_indic = false, extended = false;
	if (n == 0 || in_ranges(u[0], marks, sizeof marks / sizeof *marks))
		return false;
	if (n >= 4 && u[2] == '-' && u[3] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = u[i];
		if (c < 0x80) {
			if (!(is_digit((unsigned char)c) || (c >= 'a' && c <= 'z') || c == '-'))
				return false;
			continue;
		}
		if (c < 0xA0 || in_ranges(c, disallowed, sizeof disallowed / sizeof *disallowed))
			return false;
		switch (c) {
		case 0x00B7: /* MIDDLE DOT between two l */
			if (i == 0 || i + 1 >= n || u[i - 1] != 'l' || u[i + 1] != 'l')
				return false;
			break;
		case 0x0375: /* KERAIA before Greek */
			if (i + 1 >= n || !is_greek(u[i + 1]))
				return false;
			break;
		case 0x05F3:
		case 0x05F4: /* GERESH, GERSHAYIM after Hebrew */
			if (i == 0 || !is_hebrew(u[i - 1]))
				return false;
			break;
		case 0x200D: /* ZWJ after a virama */
			if (i == 0 || !in_ranges(u[i - 1], viramas, sizeof viramas / sizeof *viramas))
				return false;
			break;
		case 0x200C: /* ZWNJ after a virama, or joining */
			if (!(i > 0 && in_ranges(u[i - 1], viramas, sizeof viramas / sizeof *viramas)) &&
			    !zwnj_joins(u, n, i))
				return false;
			break;
		case 0x30FB: { /* KATAKANA MIDDLE DOT with Hiragana, Katakana or Han */
			bool found = false;
			for (size_t k = 0; k < n; k++)
				found |= is_kana_han(u[k]);
			if (!found)
				return false;
			break;
		}
		default:
			break;
		}
		if (c >= 0x0660 && c <= 0x0669)
			arabic_indic = true;
		if (c >= 0x06F0 && c <= 0x06F9)
			extended = true;
	}
	return !(arabic_indic && extended);
}

static bool hostname(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	size_t start = 0;
	while (start <= len) {
		size_t end = start;
		while (end < len && s[end] != '.')
			end++;
		size_t n = end - start;
		const char *l = s + start;
		if (n == 0 || n > 63 || l[0] == '-' || l[n - 1] == '-')
			return false;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)l[i];
			if (!is_alpha(c) && !is_digit(c) && c != '-')
				return false;
		}
		if (n >= 4 && l[2] == '-' && l[3] == '-') {
			if ((l[0] | 0x20) != 'x' || (l[1] | 0x20) != 'n')
				return false;
			uint32_t u[64];
			int un = punycode_decode(l + 4, n - 4, u, 64);
			if (un <= 0 || !u_label(u, (size_t)un))
				return false;
		}
		start = end + 1;
	}
	return true;
}

/* RFC 5321 mailbox: dot-atom or quoted local part, host name or address literal. */
static bool email(const char *s, size_t len)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	const char *at;
	size_t i;
	if (len && s[0] == '"') {
		for (i = 1; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\')
				i++;
			else if ((unsigned char)s[i] < 0x20)
				return false;
		}
		if (i >= len)
			return false;
		at = s + i + 1;
		if (at >= s + len || *at != '@')
			return false;
	} else {
		at = memchr(s, '@', len);
		if (!at || at == s || s[0] == '.' || at[-1] == '.')
			return false;
		for (const char *p = s; p < at; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '.') {
				if (p[1] == '.')
					return false;
			} else if (!is_alpha(c) && !is_digit(c) && !(c && strchr(atext, c))) {
				return false;
			}
		}
	}
	const char *d = at + 1;
	size_t dlen = len - (size_t)(d - s);
	if (dlen >= 2 && d[0] == '[' && d[dlen - 1] == ']') {
		if (dlen > 7 && strncmp(d + 1, "IPv6:", 5) == 0)
			return ipv6(d + 6, dlen - 7);
		return ipv4(d + 1, dlen - 2);
	}
	return hostname(d, dlen);
}

/* URIs and IRIs: RFC 3986 and 3987. */

typedef struct uri_parse {
	const char *s;
	size_t len, i;
	bool iri;
} uri_parse;

static bool unreserved_or_sub(const uri_parse *p, unsigned char c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr("-._~!$&'()*+,;=", c)) ||
	       (p->iri && c >= 0x80);
}

/* Consumes a run of chars: unreserved, sub-delims, pct-encoded, and extra. */
static bool run(uri_parse *p, const char *extra, size_t stop)
{
	while (p->i < stop) {
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '%') {
			if (p->i + 2 >= stop ||
			    !is_hex((unsigned char)p->s[p->i + 1]) || !is_hex((unsigned char)p->s[p->i + 2]))
				return false;
			p->i += 3;
		} else if (unreserved_or_sub(p, c) || (c && strchr(extra, c))) {
			p->i++;
		} else {
			return false;
		}
	}
	return true;
}

static bool authority(uri_parse *p)
{
	size_t end = p->i;
	while (end < p->len && p->s[end] != '/' && p->s[end] != '?' && p->s[end] != '#')
		end++;
	const char *at = memchr(p->s + p->i, '@', end - p->i);
	if (at) {
		size_t stop = (size_t)(at - p->s);
		if (!run(p, ":", stop))
			return false;
		p->i = stop + 1;
	}
	if (p->i < end && p->s[p->i] == '[') {
		const char *close = memchr(p->s + p->i, ']', end - p->i);
		if (!close)
			return false;
		const char *h = p->s + p->i + 1;
		size_t hn = (size_t)(close - h);
		if (hn && (h[0] | 0x20) == 'v') {
			size_t k = 1;
			while (k < hn && is_hex((unsigned char)h[k]))
				k++;
			if (k == 1 || k >= hn - 1 || h[k] != '.')
				return false;
			uri_parse q = {h, hn, k + 1, false};
			if (!run(&q, ":", hn))
				return false;
		} else if (!ipv6(h, hn)) {
			return false;
		}
		p->i = (size_t)(close - p->s) + 1;
	} else {
		size_t stop = p->i;
		while (stop < end && p->s[stop] != ':')
			stop++;
		if (!run(p, "", stop))
			return false;
	}
	if (p->i < end) {
		if (p->s[p->i] != ':')
			return false;
		for (p->i++; p->i < end; p->i++)
			if (!is_digit((unsigned char)p->s[p->i]))
				return false;
	}
	return true;
}

/* path, query and fragment from p->i on. no_colon: the first segment may hold no ':'. */
static bool path_query_fragment(uri_parse *p, bool no_colon)
{
	size_t end = p->i;
	while (end < p->len && p->s[end] != '?' && p->s[end] != '#')
		end++;
	if (no_colon) {
		size_t seg = p->i;
		while (seg < end && p->s[seg] != '/')
			seg++;
		if (memchr(p->s + p->i, ':', seg - p->i))
			return false;
	}
	if (!run(p, ":@/", end))
		return false;
	if (p->i < p->len && p->s[p->i] == '?') {
		p->i++;
		end = p->i;
		while (end < p->len && p->s[end] != '#')
			end++;
		if (!run(p, ":@/?", end))
			return false;
	}
	if (p->i < p->len && p->s[p->i] == '#') {
		p->i++;
		if (!run(p, ":@/?", p->len))
			return false;
	}
	return p->i == p->len;
}

static bool hier_part(uri_parse *p, bool relative)
{
	if (p->len - p->i >= 2 && p->s[p->i] == '/' && p->s[p->i + 1] == '/') {
		p->i += 2;
		if (!authority(p))
			return false;
		return path_query_fragment(p, false);
	}
	return path_query_fragment(p, relative);
}

static bool scheme(uri_parse *p)
{
	size_t i = 0;
	if (!p->len || !is_alpha((unsigned char)p->s[0]))
		return false;
	while (i < p->len && (is_alpha((unsigned char)p->s[i]) || is_digit((unsigned char)p->s[i]) ||
	                      p->s[i] == '+' || p->s[i] == '-' || p->s[i] == '.'))
		i++;
	if (i >= p->len || p->s[i] != ':')
		return false;
	p->i = i + 1;
	return true;
}

static bool uri(const char *s, size_t len, bool iri)
{
	uri_parse p = {s, len, 0, iri};
	return scheme(&p) && hier_part(&p, false);
}

static bool uri_reference(const char *s, size_t len, bool iri)
{
	uri_parse p = {s, len, 0, iri};
	if (scheme(&p))
		return hier_part(&p, false);
	p.i = 0;
	return hier_part(&p, true);
}

/* The rest. */

static bool uuid(const char *s, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!is_hex((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static bool json_pointer(const char *s, size_t len)
{
	if (len && s[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '~' && (i + 1 >= len || (s[i + 1] != '0' && s[i + 1] != '1')))
			return false;
	return true;
}

static bool relative_json_pointer(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && is_digit((unsigned char)s[i]))
		i++;
	if (i == 0 || (i > 1 && s[0] == '0'))
		return false;
	if (i == len)
		return true;
	if (s[i] == '#')
		return i + 1 == len;
	return json_pointer(s + i, len - i);
}

/* What ECMA-262 refuses but PCRE2 would take: escapes of letters ECMA does not
 * define (\a), and the group syntaxes (?P..., (?#...), (?flags). */
static bool ecma_syntax(const char *s, size_t len)
{
	bool in_class = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			if (++i >= len)
				return false;
			unsigned char e = (unsigned char)s[i];
			if (is_alpha(e) && !strchr("dDwWsSbBnrtfvcxukpP", e))
				return false;
		} else if (in_class) {
			if (c == ']')
				in_class = false;
		} else if (c == '[') {
			in_class = true;
		} else if (c == '(' && i + 1 < len && s[i + 1] == '?') {
			unsigned char n = i + 2 < len ? (unsigned char)s[i + 2] : 0;
			if (n == '<') {
				unsigned char m = i + 3 < len ? (unsigned char)s[i + 3] : 0;
				if (m != '=' && m != '!' && !is_alpha(m) && m != '_' && m != '$' && m < 0x80)
					return false;
			} else if (n != ':' && n != '=' && n != '!') {
				return false;
			}
		}
	}
	return true;
}

static bool regex(const char *s, size_t len)
{
	char why[200];
	if (memchr(s, '\0', len) || !ecma_syntax(s, len))
		return false;
	pcre2_code *re = wr_ecma_regex_compile(s, why, sizeof why);
	if (!re) /* PCRE2 wants a bounded lookbehind; ECMA-262 (2018) does not */
		return strstr(why, "lookbehind") != NULL;
	pcre2_code_free(re);
	return true;
}

static const struct {
	const char *name;
	wr_format format;
} formats[] = {
	{"date-time", WR_FORMAT_DATE_TIME}, {"date", WR_FORMAT_DATE},
	{"time", WR_FORMAT_TIME}, {"duration", WR_FORMAT_DURATION},
	{"email", WR_FORMAT_EMAIL}, {"hostname", WR_FORMAT_HOSTNAME},
	{"ipv4", WR_FORMAT_IPV4}, {"ipv6", WR_FORMAT_IPV6},
	{"uri", WR_FORMAT_URI}, {"uri-reference", WR_FORMAT_URI_REFERENCE},
	{"iri", WR_FORMAT_IRI}, {"uuid", WR_FORMAT_UUID},
	{"regex", WR_FORMAT_REGEX}, {"json-pointer", WR_FORMAT_JSON_POINTER},
	{"relative-json-pointer", WR_FORMAT_RELATIVE_JSON_POINTER},
};

wr_format wr_format_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (strcmp(formats[i].name, name) == 0)
			return formats[i].format;
	return WR_FORMAT_NONE;
}

const char *wr_format_name(wr_format f)
{
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (formats[i].format == f)
			return formats[i].name;
	return "unknown";
}

bool wr_format_check(wr_format f, const char *s, size_t len)
{
	switch (f) {
	case WR_FORMAT_NONE: return true;
	case WR_FORMAT_DATE_TIME: return date_time(s, len);
	case WR_FORMAT_DATE: return full_date(s, len);
	case WR_FORMAT_TIME: return full_time(s, len);
	case WR_FORMAT_DURATION: return duration(s, len);
	case WR_FORMAT_EMAIL: return email(s, len);
	case WR_FORMAT_HOSTNAME: return hostname(s, len);
	case WR_FORMAT_IPV4: return ipv4(s, len);
	case WR_FORMAT_IPV6: return ipv6(s, len);
	case WR_FORMAT_URI: return uri(s, len, false);
	case WR_FORMAT_URI_REFERENCE: return uri_reference(s, len, false);
	case WR_FORMAT_IRI: return uri(s, len, true);
	case WR_FORMAT_UUID: return uuid(s, len);
	case WR_FORMAT_REGEX: return regex(s, len);
	case WR_FORMAT_JSON_POINTER: return json_pointer(s, len);
	case WR_FORMAT_RELATIVE_JSON_POINTER: return relative_json_pointer(s, len);
	}
	return false;
}
