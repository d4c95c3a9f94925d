#!/bin/sh
# SPDX-License-Identifier: MIT
# The GitHub Action (action.yml): its inputs reach its validation step
# (tools/action/run) as the action passes them, and the step checks the artifacts.
. "$WR_SRCDIR/tests/lib.sh"

action=$WR_SRCDIR/action.yml
run=$WR_SRCDIR/tools/action/run

verdict() {
	echo "{\"kind\": \"wr.review_verdict\", \"verdict\": \"$1\", \"confidence\": \"high\", \"findings\": [], \"summary\": \"s\"}"
}
mkdir -p good/sub bad
verdict clean >good/verdict.json
printf "%s\n%s\n" "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}" "$(verdict minor)" >good/sub/stream.ndjson
echo "{\"kind\":\"wr.review_verdict\",\"verdict\":\"approve\"}" >bad/verdict.json

# A stand-in wr-validate that records its arguments.
mkdir stub
cat >stub/wr-validate <<'EOF_STUB'
#!/bin/sh
printf '%s\n' "$*" >>"$STUB_LOG"
EOF_STUB
chmod +x stub/wr-validate

test_expect_success 'action.yml is a composite action whose steps are the scripts, with its inputs' '
	test_must_contain "^  using: composite$" "$action" &&
	test_must_contain "run: .*\\\$GITHUB_ACTION_PATH/tools/action/install" "$action" &&
	test_must_contain "run: .*\\\$GITHUB_ACTION_PATH/tools/action/run" "$action" &&
	for input in paths contract workrail format-assert; do
		test_must_contain "^  $input:$" "$action" &&
		env=$(echo "$input" | tr a-z- A-Z_) &&
		test_must_contain "^        INPUT_$env: \\\$\\{\\{ inputs\\.$input \\}\\}$" "$action" || exit 1
	done
'

# step N: runs the run: line of action.yml's Nth step as the runner would (sh, from
# the action's checkout in GITHUB_ACTION_PATH).
step() {
	line=$(sed -n "s/^      run: //p" "$action" | sed -n "$1p") &&
	[ -n "$line" ] &&
	line=${line#\'} && line=${line%\'} &&
	GITHUB_ACTION_PATH=$WR_SRCDIR sh -c "$line"
}

test_expect_success 'the two steps of action.yml, as written, install and validate' '
	step 1 >out 2>&1 &&
	test_must_contain "^wrkit-action: using " out &&
	INPUT_PATHS=good step 2 &&
	{ INPUT_PATHS=bad step 2 >out; test $? -eq 1; } &&
	test_must_contain "^::error file=bad/verdict.json" out
'

test_expect_success 'the steps are executable and parse' '
	test -x "$run" && test -x "$WR_SRCDIR/tools/action/install" &&
	sh -n "$run" && sh -n "$WR_SRCDIR/tools/action/install"
'

test_expect_success 'the install step keeps a wr-validate already on PATH, and builds nothing' '
	GITHUB_PATH=$TRASH/github-path RUNNER_TEMP=$TRASH/runner "$WR_SRCDIR/tools/action/install" >out 2>&1 &&
	test_must_contain "^wrkit-action: using .*/wr-validate \\(wr-validate \\(wrkit\\) " out &&
	test ! -e runner && test ! -e github-path
'

test_expect_success 'valid artifacts pass, each file checked with -f github' '
	INPUT_PATHS="good" "$run" >out 2>err &&
	test_must_contain "on 2 file" err
'

test_expect_success 'an invalid artifact fails with an annotation on its file' '
	test_expect_code 1 env INPUT_PATHS="good bad/verdict.json" "$run" >out 2>err &&
	test_must_contain "^::error file=bad/verdict.json" out
'

test_expect_success 'a path naming nothing, or no artifact at all, fails' '
	test_expect_code 2 env INPUT_PATHS="good nosuch" "$run" 2>err &&
	test_must_contain "nosuch: no such file or directory" err &&
	mkdir empty &&
	test_expect_code 1 env INPUT_PATHS=empty "$run" 2>err &&
	test_must_contain "no artifact file" err
'

test_expect_success 'globs and the default path (artifacts)' '
	mkdir -p w/artifacts && cp good/verdict.json w/artifacts/ &&
	(cd w && "$run") &&
	(cd w && INPUT_PATHS="artifacts/*.json" "$run" 2>err && test_must_contain "on 1 file" err)
'

test_expect_success 'contract, workrail and format-assert become wr-validate options' '
	STUB_LOG=$TRASH/log PATH="$TRASH/stub:$PATH" INPUT_PATHS=good INPUT_CONTRACT=wr.contracts.review_verdict \
		INPUT_WORKRAIL=3.121 INPUT_FORMAT_ASSERT=true "$run" &&
	cat >expect <<-EOF_EXPECT &&
	-f github --format-assert --workrail 3.121 -c wr.contracts.review_verdict --ndjson -- good/sub/stream.ndjson
	-f github --format-assert --workrail 3.121 -c wr.contracts.review_verdict -- good/verdict.json
	EOF_EXPECT
	test_cmp expect log &&
	rm log &&
	STUB_LOG=$TRASH/log PATH="$TRASH/stub:$PATH" INPUT_PATHS=good/verdict.json INPUT_CONTRACT= \
		INPUT_WORKRAIL= INPUT_FORMAT_ASSERT=false "$run" &&
	echo "-f github -- good/verdict.json" >expect && test_cmp expect log
'

test_expect_success 'a format-assert that is neither true nor false is refused' '
	test_expect_code 2 env INPUT_PATHS=good INPUT_FORMAT_ASSERT=maybe "$run" 2>err &&
	test_must_contain "format-assert: expected true or false" err
'

test_done
