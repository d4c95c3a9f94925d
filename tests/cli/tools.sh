#!/bin/sh
# SPDX-License-Identifier: MIT
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

GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL

# A repository: main at A, a feature branch at B (one commit on top of A).
git init -q -b main repo-hook
(cd repo-hook && echo a >f && git add f && git commit -q -m A && git checkout -q -b feature &&
	echo b >f && git commit -q -am B && git checkout -q main)
A=$(git -C repo-hook rev-parse main)
B=$(git -C repo-hook rev-parse feature)

# note COMMIT RECORD...: the routed records wr-pr-review leaves on a reviewed commit
note() {
	c=$1
	shift
	printf "%s\n" "$@" >note.ndjson
	git -C "$TRASH/repo-hook" notes --ref=wrkit add -f -F "$TRASH/note.ndjson" "$c"
}
clean_record() { # SESSION HEAD
	echo "{\"session\":\"$1\",\"pr\":1,\"head\":\"$2\",\"outcome\":\"success\",\"severity\":\"clean\",\"source\":\"artifact\",\"action\":\"merge\"}"
}

test_expect_success 'pre-merge opens for the commit a note says was reviewed clean' '
	note "$B" "$(clean_record s1 "$B")" &&
	(cd repo-hook && "$hook" --commit feature) 2>err &&
	test_must_contain "^pre-merge: s1 $B merge clean$" err &&
	test_must_contain "gate open: $B was reviewed clean" err
'

test_expect_success 'pre-merge closes: no note, a review of another commit, blocking, doubled sessions' '
	(cd repo-hook && test_expect_code 1 "$hook" --commit main) 2>err &&
	test_must_contain "gate closed: commit $A has no review" err &&
	note "$B" "$(clean_record s1 "$A")" &&
	(cd repo-hook && test_expect_code 1 "$hook" --commit "$B") 2>err &&
	test_must_contain "gate closed: review s1 is of $A, not of $B" err &&
	note "$B" "{\"session\":\"s1\",\"head\":\"$B\",\"severity\":\"blocking\",\"source\":\"artifact\"}" &&
	(cd repo-hook && test_expect_code 1 "$hook" --commit "$B") 2>err &&
	test_must_contain "gate closed" err &&
	note "$B" "$(clean_record s1 "$B")" "$(clean_record s1 "$B")" &&
	(cd repo-hook && test_expect_code 1 "$hook" --commit "$B") 2>err &&
	test_must_contain "read 2 records of 1 sessions" err &&
	note "$B" "{\"session\":\"s1\",\"head\":\"$B\",\"severity\":\"clean\",\"source\":\"keyword_scan\"}" &&
	(cd repo-hook && test_expect_code 1 "$hook" --commit "$B") 2>err &&
	(cd repo-hook && WRKIT_TRUST_NOTES=1 "$hook" --commit "$B") 2>err &&
	(cd repo-hook && test_expect_code 1 "$hook" --commit nosuch) 2>err &&
	test_must_contain "no commit .nosuch." err
'

test_expect_success 'as pre-merge-commit: a merge of an unreviewed commit is refused, a reviewed one made' '
	cp "$hook" repo-hook/.git/hooks/pre-merge-commit &&
	git -C repo-hook notes --ref=wrkit remove "$B" &&
	(cd repo-hook && test_expect_code 1 git merge -q --no-ff -m M feature) 2>err &&
	test_must_contain "gate closed: commit $B has no review" err &&
	(cd repo-hook && git merge --abort) &&
	note "$B" "$(clean_record s1 "$B")" &&
	(cd repo-hook && git merge -q --no-ff -m M feature) 2>err &&
	test_must_contain "gate open" err &&
	git -C repo-hook reset -q --hard "$A" &&
	rm repo-hook/.git/hooks/pre-merge-commit
'

test_expect_success 'as pre-push: a fast-forward of main to an unreviewed commit is refused' '
	git init -q --bare remote.git &&
	git -C repo-hook push -q "$TRASH/remote.git" main 2>/dev/null &&
	cp "$hook" repo-hook/.git/hooks/pre-push &&
	git -C repo-hook notes --ref=wrkit remove "$B" 2>/dev/null || : &&
	git -C repo-hook merge -q --ff-only feature &&
	(cd repo-hook && test_expect_code 1 git push -q "$TRASH/remote.git" main) 2>err &&
	test_must_contain "gate closed: commit $B has no review" err &&
	test "$(git -C remote.git rev-parse main)" = "$A" &&
	note "$B" "$(clean_record s1 "$B")" &&
	(cd repo-hook && git push -q "$TRASH/remote.git" main) 2>err &&
	test "$(git -C remote.git rev-parse main)" = "$B" &&
	(cd repo-hook && git push -q "$TRASH/remote.git" feature:other) 2>err &&
	rm repo-hook/.git/hooks/pre-push
'

test_expect_success 'pre-merge --records: the sessions fetched again, each bound to the commit' '
	start_fake_workrail "$TRASH/scenario.json" &&
	printf "{\"session\":\"clean-1\",\"head\":\"%s\"}\n" "$B" >recs &&
	(cd repo-hook && WRKIT_PORT=$FAKE_PORT "$hook" --commit "$B" --records "$TRASH/recs") 2>err &&
	test_must_contain "gate open" err &&
	printf "{\"session\":\"clean-2\",\"head\":\"%s\"}\n" "$A" >>recs &&
	(cd repo-hook && test_expect_code 1 env WRKIT_PORT=$FAKE_PORT "$hook" --commit "$B" --records "$TRASH/recs") 2>err &&
	test_must_contain "review clean-2 is of $A, not of $B" err &&
	printf "{\"session\":\"minor\",\"head\":\"%s\"}\n" "$B" >recs2 &&
	(cd repo-hook && test_expect_code 1 env WRKIT_PORT=$FAKE_PORT "$hook" --commit "$B" --records "$TRASH/recs2") 2>err &&
	(cd repo-hook && test_expect_code 1 env WRKIT_PORT=$(free_port) "$hook" --commit "$B" --records "$TRASH/recs") 2>err &&
	test_must_contain "Could not connect to WorkTrain daemon" err &&
	test_must_contain "gate closed" err
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

# libtool --mode=execute, which runs the programs under valgrind, splits an argument
# holding a newline: this test runs only without it.
if [ -n "${WR_VALGRIND:-}" ]; then
	test_skip 'validate-artifacts: names with spaces and newlines, symlinks, any case' \
		'libtool splits arguments holding a newline under valgrind'
else
test_expect_success 'validate-artifacts: names with spaces and newlines, symlinks, any case' '
	mkdir -p odd/sub &&
	verdict clean >"odd/with space.json" &&
	echo "{\"kind\":\"wr.review_verdict\",\"verdict\":\"approve\"}" >"odd/new
line.json" &&
	test_expect_code 1 "$check" odd >out 2>err &&
	# the name as wr-validate prints it (escaped where it escapes control characters)
	test_must_contain "line.json: INVALID_ARTIFACT_SCHEMA wr.contracts.review_verdict: /verdict" out &&
	mkdir -p upper &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"maybe\"}" >upper/LOOP.JSON &&
	test_expect_code 1 "$check" upper >out &&
	test_must_contain "upper/LOOP.JSON: INVALID_ARTIFACT_SCHEMA" out &&
	mkdir -p linked elsewhere &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"maybe\"}" >elsewhere/target.txt &&
	ln -s ../elsewhere/target.txt linked/loop.json &&
	ln -s ../elsewhere linked/dir.json &&
	test_expect_code 1 "$check" linked >out &&
	test_must_contain "linked/loop.json: INVALID_ARTIFACT_SCHEMA" out &&
	verdict clean >elsewhere/ok.json &&
	rm linked/loop.json && ln -s ../elsewhere/ok.json linked/ok.json &&
	"$check" linked >out
'
fi

test_expect_success 'the shipped workflow runs only on artifact changes, with a pinned wrkit' '
	wf=$WR_SRCDIR/tools/ci/github-workflow.yml &&
	test_must_contain "^    paths:$" "$wf" &&
	test_must_contain "^      - .artifacts/\*\*.$" "$wf" &&
	test_must_contain "^          ref: v[0-9]+\.[0-9]+\.[0-9]+$" "$wf" &&
	test_must_fail grep -q "^on: \[pull_request\]" "$wf"
'

test_done
