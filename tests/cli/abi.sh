#!/bin/sh
# SPDX-License-Identifier: MIT
# libwrkit exports exactly the functions its public headers declare: nothing internal
# (the compiler, the registry's tables, the lexer) becomes ABI by accident.
. "$WR_SRCDIR/tests/lib.sh"

so=$(ls "$WR_BUILDDIR"/.libs/libwrkit.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ] || ! command -v nm >/dev/null 2>&1; then
	test_skip 'the exported functions are the public ones' 'no shared libwrkit or no nm'
	test_done
fi

test_expect_success 'the exported functions are those of the public headers' '
	nm -D --defined-only "$so" | awk "\$2 == \"T\" { print \$3 }" | sort >exported &&
	(cd "$WR_SRCDIR" && sh mk/export-symbols.sh src/lib/wrkit/*.h) >declared &&
	test -s declared &&
	test_cmp declared exported
'

test_expect_success 'no internal function is exported' '
	nm -D --defined-only "$so" | awk "\$2 == \"T\" { print \$3 }" >exported &&
	test_must_not_contain "^wr_compile_node$" exported &&
	test_must_not_contain "^wr_uri_resolve$" exported &&
	test_must_not_contain "^lex_" exported &&
	test_must_contain "^wr_schema_validate$" exported
'

# The gate programs link the library's objects and name only the shared libraries they
# call: none of them loads libcurl (and its TLS, LDAP and Kerberos stack); the WorkRail
# programs do.
if command -v readelf >/dev/null 2>&1 && readelf -d "$WR_BUILDDIR/wr-validate" >/dev/null 2>&1; then
	test_expect_success 'the gate programs need no libcurl, the WorkRail ones do' '
		for prog in wr-validate wr-classify wr-route; do
			readelf -d "$WR_BUILDDIR/$prog" >needed &&
			test_must_contain "NEEDED.*libjson-c" needed &&
			test_must_not_contain "NEEDED.*libcurl" needed &&
			test_must_not_contain "NEEDED.*libwrkit" needed || return 1
		done &&
		readelf -d "$WR_BUILDDIR/wr-fetch-notes" >needed &&
		test_must_contain "NEEDED.*libcurl" needed
	'
else
	test_skip 'the gate programs need no libcurl' 'no readelf, or the programs are not ELF files'
fi

test_done
