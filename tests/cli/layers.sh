#!/bin/sh
# SPDX-License-Identifier: MIT
# The library is layered: no module calls a module that calls it back, and no header
# includes itself through others (tests/layers.py; docs/design.md draws the layers).
. "$WR_SRCDIR/tests/lib.sh"

objects=$(ls "$WR_BUILDDIR"/src/lib/.libs/libwrkit_internal_la-*.o 2>/dev/null)
if [ -z "$objects" ] || ! command -v nm >/dev/null 2>&1; then
	test_skip 'no cycle between the modules of libwrkit' 'no objects or no nm'
	test_done
fi

test_expect_success 'no call or include cycle between the modules of libwrkit' '
	python3 "$WR_SRCDIR/tests/layers.py" --src "$WR_SRCDIR/src/lib" $objects >layers &&
	test_must_contain "^json_parse: utf8$" layers &&
	test_must_contain "^error: -$" layers
'

test_done
