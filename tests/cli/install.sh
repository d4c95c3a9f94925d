#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install` puts what the README points at where it says: the programs, the
# pre-merge hook and the CI script under $(pkgdatadir), the bash completions, the
# contracts; and `make uninstall` takes them away again.
. "$WR_SRCDIR/tests/lib.sh"

root=$TRASH/root
# The make that runs the tests is not this one's parent in the jobserver's sense.
unset MAKEFLAGS MFLAGS MAKELEVEL

test_expect_success 'make install DESTDIR=... installs the hook, the CI script and the completions' '
	make -s -C "$WR_BUILDDIR" install DESTDIR="$root" >log 2>&1 &&
	prefix=$(sed -n "s/^prefix = //p" "$WR_BUILDDIR/Makefile") &&
	share=$root$prefix/share/wrkit &&
	test -x "$share/hooks/pre-merge" &&
	test -x "$share/ci/validate-artifacts" &&
	test -f "$share/ci/github-workflow.yml" &&
	cmp "$WR_SRCDIR/tools/hooks/pre-merge" "$share/hooks/pre-merge" &&
	ls -R "$share" >share.lst && test_must_contain "^review_verdict\.json$" share.lst &&
	test -x "$root$prefix/bin/wr-validate" && test -x "$root$prefix/bin/wr-pr-review" &&
	comp=$(sed -n "s/^BASH_COMPLETION_DIR = //p" "$WR_BUILDDIR/Makefile" |
		sed "s|\\\$[({]prefix[)}]|$prefix|; s|\\\$[({]datadir[)}]|$prefix/share|") &&
	for p in wr-validate wr-classify wr-route wr-fetch-notes wr-dispatch wr-await wr-pr-review; do
		test -f "$root$comp/$p" || { echo "no completion $root$comp/$p"; exit 1; }
	done &&
	cmp "$WR_SRCDIR/completions/wrkit.bash" "$root$comp/wr-await"
'

test_expect_success 'the installed CI script checks artifacts with the installed wr-validate' '
	prefix=$(sed -n "s/^prefix = //p" "$WR_BUILDDIR/Makefile") &&
	lib=$(find "$root" -name libwrkit.so.0) && lib=${lib%/*} && test -d "$lib" &&
	mkdir -p artifacts &&
	cp "$WR_SRCDIR/examples/review-verdict.json" artifacts/ &&
	PATH="$root$prefix/bin:$PATH" LD_LIBRARY_PATH="$lib" \
		"$root$prefix/share/wrkit/ci/validate-artifacts" artifacts &&
	cp "$WR_SRCDIR/examples/invalid-verdict.json" artifacts/ &&
	test_expect_code 1 env PATH="$root$prefix/bin:$PATH" LD_LIBRARY_PATH="$lib" \
		"$root$prefix/share/wrkit/ci/validate-artifacts" artifacts
'

test_expect_success 'make uninstall removes them' '
	make -s -C "$WR_BUILDDIR" uninstall DESTDIR="$root" >log 2>&1 &&
	find "$root" ! -type d >left &&
	test_line_count = 0 left
'

test_done
