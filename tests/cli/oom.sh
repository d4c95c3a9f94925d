#!/bin/sh
# SPDX-License-Identifier: MIT
# Out of memory, everywhere: each allocation of a small run of wr-validate, wr-classify
# and wr-route fails in turn (tests/oom/failmalloc.c, driven by tests/oom/oom-run.py).
# Every run that lost an allocation must end with exit 2 and "out of memory": never a
# crash, never "valid", "clean" or "merge", never a milder exit.
. "$WR_SRCDIR/tests/lib.sh"

preload="$WR_BUILDDIR/tests/oom/.libs/failmalloc.so"
oom_run() {
	python3 "$WR_SRCDIR/tests/oom/oom-run.py" --preload "$preload" "$@"
}

if [ -n "${WR_VALGRIND:-}${WR_SANITIZED:-}" ] || ! test -f "$preload"; then
	test_skip 'allocation failures' 'under valgrind or sanitizers, or no preload library'
	test_done
fi

verdict='{"kind":"wr.review_verdict","verdict":"minor","confidence":"high","findings":[{"severity":"minor","summary":"rename x"}],"summary":"ok"}'
record='{"session":"s1","pr":7,"title":"feat: x","recapMarkdown":"LGTM.\n\nCritical: 0, Minor: 1\n- Minor: rename x","artifacts":['"$verdict"']}'

test_expect_success 'wr-validate: a valid artifact, text output' '
	echo "$verdict" >v.json &&
	oom_run -- wr-validate v.json
'

test_expect_success 'wr-validate: an invalid artifact, json output' '
	echo "{\"kind\":\"wr.review_verdict\",\"verdict\":\"approve\"}" >bad.json &&
	oom_run -- wr-validate -f json bad.json
'

test_expect_success 'wr-validate -s: a schema with numbers, const, enum and a pattern' '
	echo "{\"type\":\"object\",\"properties\":{\"n\":{\"maximum\":1.5,\"multipleOf\":0.5,\"minimum\":-3},\"e\":{\"const\":[1,false]},\"s\":{\"enum\":[1.5,true,null,\"x\"],\"pattern\":\"^a\"}},\"required\":[\"n\"]}" >s.json &&
	echo "{\"n\":2.5,\"s\":\"b\",\"e\":[1,true]}" >d.json &&
	oom_run -- wr-validate -s s.json d.json
'

test_expect_success 'wr-validate --ndjson -f json: valid, invalid and malformed lines, every kind' '
	{ echo "$verdict" && echo "{\"kind\":\"wr.review_verdict\",\"verdict\":\"approve\"}" && echo "{"; } >v.ndjson &&
	oom_run -- wr-validate --ndjson -f json v.ndjson
'

test_expect_success 'wr-validate --ndjson -c: text output' '
	oom_run -- wr-validate --ndjson -c wr.contracts.review_verdict v.ndjson
'

test_expect_success 'wr-validate: a YAML document, -f github' '
	printf "kind: wr.review_verdict\nverdict: approve\n" >bad.yaml &&
	oom_run -- wr-validate -f github bad.yaml
'

test_expect_success 'wr-classify: a record with a verdict and notes' '
	echo "$record" >r.ndjson &&
	oom_run -- wr-classify r.ndjson
'

test_expect_success 'wr-classify -m: notes with quotes, a comment, layout tags, shortcodes, an alert' '
	printf "LGTM\n\n> Critical: the token is logged\n<!-- major: x -->\n<details><summary>One more thing</summary>:x: broken</details>\n> [!WARNING]\n> leaks memory\n" >notes.md &&
	oom_run -- wr-classify -m notes.md
'

test_expect_success 'wr-validate --list-contracts -f json' '
	oom_run -- wr-validate --list-contracts -f json
'

test_expect_success 'wr-validate: YAML with an anchor and an alias' '
	printf "kind: wr.review_verdict\nverdict: &v clean\nconfidence: high\nsummary: *v\nfindings: []\n" >anchors.yaml &&
	oom_run -- wr-validate anchors.yaml
'

test_expect_success 'wr-route --gate: a classified record' '
	echo "$record" | wr-classify >c.ndjson &&
	oom_run -- wr-route --gate c.ndjson
'

test_done
