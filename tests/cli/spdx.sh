#!/bin/sh
# SPDX-License-Identifier: MIT
# Every source file carries the licence's SPDX line in its first two lines, so that
# new files keep it: the files git tracks (in a checkout), else the files of the
# unpacked release tarball (as in `make distcheck`).
. "$WR_SRCDIR/tests/lib.sh"

spdx=$WR_SRCDIR/mk/spdx.sh
sources() { $SHELL "$spdx" sources "$1"; }
missing() { $SHELL "$spdx" missing "$1"; }

# The tree's files: git's list in a checkout whose top is the source tree, else the
# files `make dist` carries.
if [ -z "$(git -C "$WR_SRCDIR" rev-parse --show-prefix 2>/dev/null || echo no)" ]; then
	git -C "$WR_SRCDIR" ls-files >"$TRASH/files" || exit 99
	from="git ls-files"
else
	# `make dist`'s list, but what Autotools generated.
	(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$WR_BUILDDIR" wrkit-dist-files) |
		grep -vE '^(configure|aclocal\.m4|config\.h\.in|build-aux/.*|m4/.*|(.*/)?Makefile\.in)$' \
		>"$TRASH/files" || exit 99
	[ -s "$TRASH/files" ] || exit 99
	from="the files of make dist"
fi
sources "$WR_SRCDIR" <"$TRASH/files" >"$TRASH/sources"

test_expect_success "the source files ($from) are found" '
	test_must_contain "^src/wr-validate\.c$" sources &&
	test_must_contain "^configure\.ac$" sources &&
	test_must_contain "^tools/wr-pr-review$" sources &&
	test_must_contain "^tests/fake-workrail\.py$" sources &&
	test_must_contain "^mk/validate\.am$" sources &&
	test $(wc -l <sources) -gt 80
'

test_expect_success 'every source file says SPDX-License-Identifier: MIT in line 1 or 2' '
	missing "$WR_SRCDIR" <sources >missing &&
	if [ -s missing ]; then
		echo "no SPDX-License-Identifier: MIT line in:"; cat missing; exit 1
	fi
'

test_expect_success 'the check finds the files without the line, and only those' '
	mkdir -p tree/src tree/tools tree/docs &&
	printf "/* SPDX-License-Identifier: MIT */\nint x;\n" >tree/src/ok.c &&
	printf "int y;\n" >tree/src/bad.c &&
	printf "#!/bin/sh\n# SPDX-License-Identifier: MIT\n" >tree/tools/ok &&
	printf "#!/bin/sh\necho hi\n# SPDX-License-Identifier: MIT\n" >tree/tools/late &&
	printf "no licence needed\n" >tree/docs/page.1 &&
	(cd tree && find . -type f | sed "s|^\./||") | sources tree >list &&
	test_line_count = 4 list &&
	missing tree <list | sort >out &&
	printf "src/bad.c\ntools/late\n" >expect &&
	test_cmp expect out
'

if [ "$from" = "git ls-files" ]; then
	test_expect_success 'make dist carries every file git tracks (but .gitignore)' '
		(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$WR_BUILDDIR" wrkit-dist-files) >dist &&
		test_must_contain "^bootstrap$" dist &&
		while IFS= read -r f; do
			case $f in .gitignore|m4/.gitkeep) continue ;; esac
			grep -qxF "$f" dist && continue
			d=$f; found=
			while [ "$d" != "${d%/*}" ]; do   # or a directory above it
				d=${d%/*}
				grep -qxF "$d" dist && { found=1; break; }
			done
			[ -n "$found" ] || echo "$f"
		done <files >notdist &&
		if [ -s notdist ]; then echo "not in make dist:"; cat notdist; exit 1; fi
	'
else
	test_skip 'make dist carries every file git tracks' 'not a git checkout'
fi

test_expect_success 'mk/spdx.sh add gives each file the line in its syntax, and keeps the rest' '
	mkdir -p fix/tools fix/src fix/tests/data &&
	printf "int y;\n" >fix/src/a.c &&
	printf "#!/bin/sh\necho hi\n" >fix/tools/run && chmod +x fix/tools/run &&
	printf "x = 1\n" >fix/b.py &&
	printf "a: 1\n" >fix/tests/data/case.yaml &&
	(cd fix && find . -type f | sed "s|^\./||" | sort) | sources fix >list &&
	test_line_count = 3 list &&
	$SHELL "$spdx" add fix <list >out &&
	test_line_count = 3 out &&
	missing fix <list >left && test_line_count = 0 left &&
	printf "/* SPDX-License-Identifier: MIT */\nint y;\n" >expect && test_cmp expect fix/src/a.c &&
	printf "#!/bin/sh\n# SPDX-License-Identifier: MIT\necho hi\n" >expect && test_cmp expect fix/tools/run &&
	test -x fix/tools/run &&
	printf "# SPDX-License-Identifier: MIT\nx = 1\n" >expect && test_cmp expect fix/b.py &&
	$SHELL "$spdx" add fix <list >out && test_line_count = 0 out
'

test_expect_success 'LICENSE is the MIT licence of the wrkit developers, and the README names it' '
	test_must_contain "^MIT License$" "$WR_SRCDIR/LICENSE" &&
	test_must_contain "Copyright \\(c\\) 2026 The wrkit developers" "$WR_SRCDIR/LICENSE" &&
	test_must_contain "MIT" "$WR_SRCDIR/README.md"
'

test_done
