#!/bin/sh
# SPDX-License-Identifier: MIT
# What every program does with its options, the same way (src/cli.c): -h/--help and
# -V/--version exit 0; a refused option is one diagnostic line under the program's
# name (never getopt's own line under a path, never a second line saying it again),
# the --help hint, and exit 2. --help, made from the option table the program parses
# with, lists exactly the options it takes.
. "$WR_SRCDIR/tests/lib.sh"

# help_options PROGRAM: the options of its --help, "-x" or "--name", one per line.
help_options() {
	"$1" --help >help.txt &&
	sed -n 's/^  \(-[a-zA-Z]\), --.*/\1/p' help.txt &&
	sed -n 's/^  -[a-zA-Z], \(--[a-z][a-z0-9-]*\).*/\1/p' help.txt &&
	sed -n 's/^      \(--[a-z][a-z0-9-]*\).*/\1/p' help.txt
}

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
		test_expect_code 2 '"$prog"' --max-bytes </dev/null >out 2>err &&
		test_line_count = 0 out &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': option .--max-bytes. requires an argument$" err &&
		test_must_contain "^Try .'"$prog"' --help. for more information.$" err
	'
	test_expect_success "$prog: an argument to an option that takes none is refused" '
		test_expect_code 2 '"$prog"' --help=x </dev/null >out 2>err &&
		test_line_count = 0 out &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': option .--help. takes no argument$" err
	'
	test_expect_success "$prog: a refused value is one line and exit 2, before any work" '
		test_expect_code 2 '"$prog"' --max-depth 0 </dev/null >out 2>err &&
		test_line_count = 0 out &&
		test_line_count = 2 err &&
		test_must_contain "^'"$prog"': invalid --max-depth .0." err
	'
	test_expect_success "$prog: --help lists every option it takes, within 80 columns" '
		help_options '"$prog"' >options &&
		test_must_contain "^--help$" options &&
		test_must_contain "^-V$" options &&
		test_must_contain "^--max-depth$" options &&
		'"$prog"' --help >help &&
		awk "length(\$0) > 79" help >long &&
		test_line_count = 0 long &&
		while read -r opt; do
			# "--name=x" or "-x x", then --version: taken, whatever it makes of the
			# value, and never unknown
			case $opt in
			--*) value= && opt="$opt=x" ;;
			*) value=x ;;
			esac &&
			{ '"$prog"' $opt $value --version </dev/null >/dev/null 2>err || :; } &&
			if grep -q -e "unrecognized option" -e "invalid option" err; then
				echo "--help lists $opt, which is refused" && cat err && false
			fi
		done <options
	'
done

# A short option that needs a value, for each program that has one.
for case in "wr-validate -c" "wr-fetch-notes -j" "wr-dispatch -w" "wr-await -j"; do
	set -- $case
	test_expect_success "$1: a missing argument of $2 names it" '
		test_expect_code 2 '"$1 $2"' </dev/null 2>err &&
		test_line_count = 2 err &&
		test_must_contain "^'"$1"': option .'"$2"'. requires an argument$" err
	'
done

test_done
