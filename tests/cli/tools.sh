#!/bin/sh
# The examples users copy: the pre-merge hook and the CI artifact check.
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

hook=$WR_SRCDIR/tools/hooks/pre-merge
check=$WR_SRCDIR/tools/ci/validate-artifacts

verdict() {
	echo "{\"kind\": \"wr.review_verdict\", \"verdict\": \"$1\", \"confidence\": \"high\", \"findings\": [], \"summary\": \"s\"}"
}
cat >scenario.json <<JSON
{"sessions": {
  "clean-1": {"notes": "LGTM", "artifacts": [$(verdict clean)]},
  "clean-2": {"notes": "Approved.", "artifacts": [$(verdict clean)]},
  "minor": {"notes": "NIT: rename x", "artifacts": []},
  "blocking": {"notes": "x", "artifacts": [$(verdict blocking)]},
  "running": {"status": "in_progress", "notes": "LGTM so far"}
}}
JSON

test_expect_success 'pre-merge opens when every review routes to merge' '
	start_fake_workrail "$TRASH/scenario.json" &&
	WRKIT_PORT=$FAKE_PORT "$hook" clean-1 clean-2 2>err &&
	test_must_contain "^pre-merge: clean-1 merge clean$" err &&
	test_must_contain "gate open" err
'

test_expect_success 'pre-merge stays closed for minor, blocking, unfinished or unknown sessions' '
	start_fake_workrail "$TRASH/scenario.json" &&
	for s in minor blocking running nosuch; do
		test_expect_code 1 env WRKIT_PORT=$FAKE_PORT "$hook" clean-1 "$s" 2>err &&
		test_must_contain "gate closed" err || exit 1
	done &&
	test_must_contain "^pre-merge: nosuch escalate " err
'

test_expect_success 'pre-merge takes sessions from WRKIT_REVIEW_SESSIONS; none closes the gate' '
	start_fake_workrail "$TRASH/scenario.json" &&
	WRKIT_PORT=$FAKE_PORT WRKIT_REVIEW_SESSIONS="clean-1 clean-2" "$hook" 2>err &&
	test_expect_code 1 env -u WRKIT_REVIEW_SESSIONS WRKIT_PORT=$FAKE_PORT "$hook" 2>err &&
	test_must_contain "no review session to check" err
'

test_expect_success 'pre-merge with the daemon down stays closed' '
	test_expect_code 1 env WRKIT_PORT=$(free_port) "$hook" clean-1 2>err &&
	test_must_contain "Could not connect to WorkTrain daemon" err &&
	test_must_contain "gate closed" err
'

test_expect_success 'pre-merge treats a session named like an option as a session' '
	start_fake_workrail "$TRASH/scenario.json" &&
	test_expect_code 1 env WRKIT_PORT=$FAKE_PORT "$hook" --help 2>err &&
	test_must_contain "^pre-merge: --help escalate" err
'

mkdir -p good/sub bad empty
verdict clean >good/verdict.json
printf "%s\n%s\n" "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}" "$(verdict minor)" >good/sub/stream.ndjson
echo "{\"kind\":\"wr.review_verdict\",\"verdict\":\"approve\"}" >bad/verdict.json

test_expect_success 'validate-artifacts: every file under a directory, valid' '
	"$check" good >out 2>err &&
	test_line_count = 0 out
'

test_expect_success 'validate-artifacts: problems as text, or as GitHub annotations in Actions' '
	test_expect_code 1 "$check" bad good >out &&
	test_must_contain "^bad/verdict.json: INVALID_ARTIFACT_SCHEMA wr.contracts.review_verdict: /verdict: " out &&
	test_expect_code 1 env GITHUB_ACTIONS=true "$check" bad >out &&
	test_must_contain "^::error file=bad/verdict.json::INVALID_ARTIFACT_SCHEMA wr.contracts.review_verdict: /verdict: expected one of" out
'

test_expect_success 'validate-artifacts: nothing to check fails; a missing path exits 2' '
	test_expect_code 1 "$check" empty 2>err &&
	test_must_contain "no artifact file" err &&
	test_expect_code 2 "$check" nowhere 2>err &&
	test_must_contain "nowhere: no such file or directory" err
'

test_expect_success 'the GitHub workflow runs the check as shipped' '
	mkdir -p repo/artifacts &&
	ln -s "$WR_SRCDIR" repo/.wrkit &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"maybe\"}" >repo/artifacts/loop.json &&
	run=$(sed -n "/name: Validate artifacts/,\$ s/^ *run: //p" "$WR_SRCDIR/tools/ci/github-workflow.yml") &&
	test -n "$run" &&
	(cd repo && test_expect_code 1 env GITHUB_ACTIONS=true sh -c "$run" >../out) &&
	test_must_contain "^::error file=artifacts/loop.json::INVALID_ARTIFACT_SCHEMA wr.contracts.loop_control: /decision:" out
'

test_done
