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

test_done
