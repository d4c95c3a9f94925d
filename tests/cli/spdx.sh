#!/bin/sh
# SPDX-License-Identifier: MIT
# Every source file carries the licence's SPDX line in its first two lines, so that
# new files keep it: the files git tracks (in a checkout), else the files of the
# unpacked release tarball (as in `make distcheck`).
. "$WR_SRCDIR/tests/lib.sh"

# sources ROOT: reads paths relative to ROOT, prints the source files among them:
# C, headers, shell, Python, awk, JavaScript, Automake, Autoconf, YAML, .in templates,
# and any file starting with #!.
sources() {
	while IFS= read -r f; do
		case $f in
		*/corpus/*) continue ;;
		*.c|*.h|*.am|*.ac|*.sh|*.py|*.awk|*.js|*.yml|*.yaml|*.in|*.bash)
			echo "$f"; continue ;;
		esac
		[ -f "$1/$f" ] && head -c2 "$1/$f" | grep -q '^#!' && echo "$f"
	done
	return 0
}

# missing ROOT: reads source files relative to ROOT, prints those without the line.
missing() {
	while IFS= read -r f; do
		head -n 2 "$1/$f" | grep -q "SPDX-License-Identifier: MIT" || echo "$f"
	done
	return 0
}

# The tree's files: git's list in a checkout whose top is the source tree, else every
# file but what Autotools, a build in the tree, its tests and debhelper generated.
if [ -z "$(git -C "$WR_SRCDIR" rev-parse --show-prefix 2>/dev/null || echo no)" ]; then
	git -C "$WR_SRCDIR" ls-files >"$TRASH/files" || exit 99
	from="git ls-files"
else
	(cd "$WR_SRCDIR" && find . -type f | sed 's|^\./||' | grep -vE '^(configure|aclocal\.m4|config\.(h|h\.in|status|log)|libtool|stamp-h1|wrkit\.pc|build-aux/.*|m4/.*|autom4te\.cache/.*|(.*/)?Makefile(\.in)?|_build/.*|_inst/.*|tests/trash/.*|debian/(tmp|wrkit|libwrkit0|libwrkit-dev|\.debhelper)/.*|src/lib/builtin_contracts\.c|.*/\.(deps|libs)/.*|.*\.(o|lo|la|log|trs|tar\.gz))$') \
		>"$TRASH/files" || exit 99
	from="the source tree"
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

test_expect_success 'LICENSE is the MIT licence of the wrkit developers, and the README names it' '
	test_must_contain "^MIT License$" "$WR_SRCDIR/LICENSE" &&
	test_must_contain "Copyright \\(c\\) 2026 The wrkit developers" "$WR_SRCDIR/LICENSE" &&
	test_must_contain "MIT" "$WR_SRCDIR/README.md"
'

test_done
