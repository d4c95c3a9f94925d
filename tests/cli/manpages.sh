#!/bin/sh
# SPDX-License-Identifier: MIT
# Every long option of every program is documented in its man page: the options its
# --help names and those of its option table (src/wr-*.c), or the case labels of a
# shell program, each found in docs/PROGRAM.1 (troff escapes removed).
. "$WR_SRCDIR/tests/lib.sh"

# options_of PROGRAM: the long options it knows, one per line.
options_of() {
	{
		"$1" --help 2>/dev/null | grep -o -e '--[a-z][a-z0-9-]*'
		src="$WR_SRCDIR/src/$1.c"
		if [ -f "$src" ]; then
			sed -n 's/^[[:space:]]*{"\([a-z][a-z0-9-]*\)",.*/--\1/p' "$src"
		else
			sed -n 's/^[[:space:]]*\(--[a-z][a-z0-9-]*\)\([|=)].*\)$/\1/p' \
				"$WR_SRCDIR/tools/$1" | sed 's/[|=)].*//'
		fi
	} | sort -u
}

# man_text PROGRAM: its man page with the troff escapes of dashes and fonts removed.
man_text() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(em/-/g' "$WR_SRCDIR/docs/$1.1"
}

for prog in wr-validate wr-classify wr-route wr-fetch-notes wr-dispatch wr-await \
	wr-pr-review; do
	test_expect_success "$prog: every long option is in docs/$prog.1" '
		options_of '"$prog"' >options &&
		test -s options &&
		man_text '"$prog"' >man &&
		missing= &&
		while read -r opt; do
			grep -q -e "$opt\([^a-z0-9-]\|\$\)" man || missing="$missing $opt"
		done <options &&
		if [ -n "$missing" ]; then echo "undocumented:$missing"; false; fi
	'
done

test_done
