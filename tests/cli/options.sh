#!/bin/sh
# SPDX-License-Identifier: MIT
# What every program does with its options, the same way (src/cli.c): -h/--help and
# -V/--version exit 0; a refused option is one diagnostic line under the program's
# name (never getopt's own line under a path, never a second line saying it again),
# the --help hint, and exit 2.
. "$WR_SRCDIR/tests/lib.sh"

for prog in wr-validate wr-classify wr-route wr-fetch-notes wr-dispatch wr-await; do
	test_expect_success "$prog: -h, --help, -V and --version exit 0" '
		'"$prog"' -h >out </dev/null && test_must_contain "^Usage: '"$prog"' " out &&
		'"$prog"' --help >out </dev/null && test_must_contain "^Usage: '"$prog"' " out &&
		'"$prog"' -V >out </dev/null && test_must_contain "^'"$prog"' .*[0-9]" out &&
		'"$prog"' --version >out </dev/null && test_must_contain "^'"$prog"' .*[0-9]" out
	'
	test_expect_success "$prog: an unknown option is one line under the program's name" '
		test_expect_code 2 '"$prog"' --no-such-option </dev/null >out 2>err &&
		test_line_count = 0 out &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': unrecognized option .--no-such-option.$" err &&
		test_must_contain "^Try .'"$prog"' --help. for more information.$" err &&
		test_expect_code 2 '"$prog"' -Z </dev/null 2>err &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': invalid option .-Z.$" err
	'
	test_expect_success "$prog: a missing argument names the option" '
		test_expect_code 2 '"$prog"' --max-bytes </dev/null 2>err &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': option .--max-bytes. requires an argument$" err
	'
done

test_done
