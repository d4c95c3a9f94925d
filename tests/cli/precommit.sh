#!/bin/sh
# SPDX-License-Identifier: MIT
# The pre-commit hooks (.pre-commit-hooks.yaml), tried with `pre-commit try-repo` on a
# scratch repository with the wr-validate built here: a valid artifact passes, an
# invalid one fails. Skipped without pre-commit (Debian: apt-get install pre-commit)
# or outside a git checkout (try-repo needs one); .ci/packaging runs it always.
. "$WR_SRCDIR/tests/lib.sh"

hooks=$WR_SRCDIR/.pre-commit-hooks.yaml

test_expect_success 'the hooks are system and script hooks (they work offline)' '
	test_must_contain "^- id: wr-validate$" "$hooks" &&
	test_must_contain "^- id: wr-validate-artifacts$" "$hooks" &&
	test_must_contain "^- id: wr-validate-ndjson$" "$hooks" &&
	sed -n "s/^  language: //p" "$hooks" | sort -u >langs &&
	printf "script\nsystem\n" >expect && test_cmp expect langs &&
	test -x "$WR_SRCDIR/$(sed -n "/^- id: wr-validate-artifacts$/,/^-/s/^  entry: //p" "$hooks")"
'

if ! command -v pre-commit >/dev/null 2>&1; then
	test_skip 'pre-commit try-repo' 'no pre-commit'
	test_done
fi
if [ -n "$(git -C "$WR_SRCDIR" rev-parse --show-prefix 2>/dev/null || echo no)" ]; then
	test_skip 'pre-commit try-repo' 'not a git checkout'
	test_done
fi

PRE_COMMIT_HOME=$TRASH/pre-commit-home
export PRE_COMMIT_HOME
git init -q repo || exit 99
mkdir -p repo/artifacts repo/other
cp "$WR_SRCDIR/examples/review-verdict.json" repo/artifacts/verdict.json
cp "$WR_SRCDIR/examples/invalid-verdict.json" repo/artifacts/bad.json
cp "$WR_SRCDIR/examples/artifacts.ndjson" repo/artifacts/stream.ndjson
cp "$WR_SRCDIR/examples/invalid-verdict.json" repo/other/bad.json
(cd repo && git add .) || exit 99

try() {
	(cd repo && pre-commit try-repo "$WR_SRCDIR" "$@") >out 2>&1
}

for hook in wr-validate wr-validate-artifacts; do
	test_expect_success "$hook: a valid artifact passes" '
		try '"$hook"' --files artifacts/verdict.json &&
		test_must_contain "Passed" out
	'
	test_expect_success "$hook: an invalid artifact fails, saying why" '
		test_expect_code 1 try '"$hook"' --files artifacts/bad.json &&
		test_must_contain "Failed" out &&
		test_must_contain "artifacts/bad.json: INVALID_ARTIFACT_SCHEMA" out
	'
done

test_expect_success 'wr-validate-artifacts checks *.ndjson line by line, and leaves files outside artifacts/' '
	test_expect_code 1 try wr-validate-artifacts --files artifacts/stream.ndjson &&
	test_must_contain "artifacts/stream.ndjson:3: INVALID_ARTIFACT_SCHEMA" out &&
	try wr-validate-artifacts --files other/bad.json &&
	test_must_contain "no files to check" out
'

test_done
