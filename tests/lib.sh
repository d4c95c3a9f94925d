# SPDX-License-Identifier: MIT
# tests/lib.sh: the tiny shell library of wrkit's CLI tests (after git's t/test-lib.sh).
#
# A test script sources this, runs test_expect_success for each case and ends with
# test_done; it prints TAP, run by Automake's tap-driver. Each body runs in a subshell
# under `set -e`, in a scratch directory of its own script ($TRASH), with the programs
# under test first on PATH. Beware: `set -e` ignores a failing `! cmd`; write
# `test_must_fail cmd` or `test_must_not_contain PATTERN FILE` instead.

set -u
test_name=$(basename "$0" .sh)
TRASH="$WR_BUILDDIR/tests/trash/$test_name"
DATA="$WR_SRCDIR/tests/data"
rm -rf "$TRASH"
mkdir -p "$TRASH" || exit 99
cd "$TRASH" || exit 99
test_count=0
test_failures=0
# The tests know which contract set they run under: the user's own choice of WorkRail
# release does not leak in (a test that wants one sets it).
unset WRKIT_WORKRAIL

# WR_VALGRIND=1: every wr-* program built here runs under valgrind; an error in one
# (exit 99) fails the test that ran it.
if [ -n "${WR_VALGRIND:-}" ]; then
	vgbin="$TRASH/.valgrind-bin"
	mkdir -p "$vgbin"
	for prog in "$WR_BUILDDIR"/wr-*; do
		[ -f "$prog" ] && [ -x "$prog" ] || continue
		name=$(basename "$prog")
		cat >"$vgbin/$name" <<EOF_WRAPPER
#!/bin/sh
exec "$WR_BUILDDIR/libtool" --mode=execute valgrind -q --error-exitcode=99 \\
	--leak-check=full --errors-for-leak-kinds=definite \\
	--suppressions="$WR_SRCDIR/tests/valgrind.supp" "$prog" "\$@"
EOF_WRAPPER
		chmod +x "$vgbin/$name"
	done
	PATH="$vgbin:$PATH"
	export PATH
fi

# test_expect_success DESCRIPTION BODY
test_expect_success() {
	test_count=$((test_count + 1))
	(
		set -e
		eval "$2"
	) >"$TRASH/.test.log" 2>&1
	if [ $? -eq 0 ]; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.test.log"
		test_failures=$((test_failures + 1))
	fi
}

# test_expect_success_uninstrumented DESCRIPTION BODY: for tests that measure time
# or memory, which valgrind and the sanitizers (WR_SANITIZED=1) distort.
test_expect_success_uninstrumented() {
	if [ -n "${WR_VALGRIND:-}${WR_SANITIZED:-}" ]; then
		test_skip "$1" "under valgrind or sanitizers"
	else
		test_expect_success "$1" "$2"
	fi
}

# test_skip DESCRIPTION REASON
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

test_done() {
	echo "1..$test_count"
	if [ "$test_failures" -eq 0 ]; then
		cd / && rm -rf "$TRASH"
	fi
	exit 0
}

# test_expect_code CODE COMMAND [ARG...]: runs COMMAND, fails unless it exits with CODE.
test_expect_code() {
	want=$1
	shift
	set +e
	"$@"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "test_expect_code: '$*' exited $got, expected $want" >&2
		return 1
	fi
}

# test_must_fail COMMAND [ARG...]: COMMAND must exit non-zero, and not by a signal.
test_must_fail() {
	set +e
	"$@"
	got=$?
	set -e
	if [ "$got" -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	fi
	if [ "$got" -gt 128 ]; then
		echo "test_must_fail: '$*' died of signal $((got - 128))" >&2
		return 1
	fi
}

# test_cmp EXPECTED ACTUAL
test_cmp() {
	diff -u "$1" "$2"
}

# test_must_contain PATTERN FILE (grep -E)
test_must_contain() {
	if ! grep -E -e "$1" "$2" >/dev/null; then
		echo "test_must_contain: no '$1' in $2:" >&2
		sed 's/^/| /' "$2" >&2
		return 1
	fi
}

# test_must_not_contain PATTERN FILE (grep -E)
test_must_not_contain() {
	if grep -E -e "$1" "$2" >/dev/null; then
		echo "test_must_not_contain: '$1' found in $2:" >&2
		sed 's/^/| /' "$2" >&2
		return 1
	fi
}

# test_line_count OP N FILE: e.g. test_line_count = 3 out
test_line_count() {
	n=$(wc -l <"$3" | tr -d ' ')
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, expected $1 $2" >&2
		sed 's/^/| /' "$3" >&2
		return 1
	fi
}
