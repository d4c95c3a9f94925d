#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/demo: the pipeline on the fake daemon works end to end with what is built.
. "$WR_SRCDIR/tests/lib.sh"

test_expect_success 'the demo shows the four sample sessions' '
	demo >out 2>err &&
	test_must_contain "^\\$ wr-fetch-notes -p [0-9]+ <sessions.ndjson" out &&
	test_must_contain "^PR #101  docs: fix typos in README   \(sess_demo_clean\)$" out &&
	test_must_contain "^PR #102 " out &&
	test_must_contain "^PR #103 " out &&
	test_must_contain "^PR #104 " out &&
	test_must_contain "artifacts: wr.review_verdict blocking" out &&
	test_must_contain "notes: .*Nit: the comment above" out &&
	test_must_not_contain "error:" out &&
	test_must_not_contain "LGTM so far" out
'

test_expect_success 'the demo leaves no daemon behind' '
	demo >out 2>err &&
	port=$(sed -n "s/.*on port \([0-9]*\)\..*/\1/p" out) &&
	test -n "$port" &&
	test_expect_code 1 wr-fetch-notes -p "$port" sess_demo_clean >rec 2>err &&
	test_must_contain "Could not connect" err
'

test_done
