#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-pr-review end to end: the fake WorkRail daemon, a stand-in gh (tests/bin/gh), and
# the real wr-* programs. What was dispatched is read from the daemon's request log,
# what was merged from gh's call log.
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

verdict() { # VERDICT [FINDING]: a stored review verdict artifact
	if [ -n "${2:-}" ]; then
		findings="[{\"severity\": \"minor\", \"summary\": \"$2\"}]"
	else
		findings="[]"
	fi
	echo "{\"kind\": \"wr.review_verdict\", \"verdict\": \"$1\", \"confidence\": \"high\", \"findings\": $findings, \"summary\": \"$1 review\"}"
}
CLEAN="{\"notes\": \"## Handoff\\nFinal recommendation: APPROVE\", \"artifacts\": [$(verdict clean)]}"
MINOR="{\"notes\": \"## Handoff\\nMinor: missing test\", \"artifacts\": [$(verdict minor 'Missing test for the empty cache')]}"
BLOCKING="{\"notes\": \"## Handoff\\nBLOCKING: SQL injection\", \"artifacts\": [$(verdict blocking)]}"
UNKNOWN="{\"notes\": \"The code changes look reasonable. Some areas need attention.\", \"artifacts\": []}"
FAILED="{\"status\": \"blocked\"}"
DORMANT="{\"status\": \"in_progress\", \"sessionStatus\": \"dormant\"}"
NO_RUNS="{\"noRuns\": true}"

cat >scenario.json <<JSON
{"dispatch": {"rules": [
  {"regex": "^Review PR #1 ", "session": $CLEAN},
  {"regex": "^Review PR #2 ", "session": $BLOCKING},
  {"regex": "^Review PR #3 ", "session": $UNKNOWN},
  {"regex": "^Review PR #4 ", "session": $FAILED},
  {"regex": "^Review PR #5 ", "session": $DORMANT},
  {"regex": "^Review PR #6 ", "session": $MINOR},
  {"regex": "^Re-review PR #6 ", "session": $CLEAN},
  {"regex": "^Review PR #7 ", "session": $MINOR},
  {"regex": "^Re-review PR #7 ", "session": $MINOR},
  {"regex": "^Review PR #8 ", "session": $CLEAN},
  {"regex": "^Review PR #9 ", "session": $NO_RUNS},
  {"regex": "^Review PR #10 ", "session": {"notes": "LGTM", "fault": {"die": true}}},
  {"regex": "^Review PR #11 ", "session": {"notes": "LGTM", "fault": {"status": 500}}},
  {"regex": "^Review PR #12 ", "session": {"status": "in_progress", "notes": "LGTM so far"}},
  {"regex": "^Review PR #13 ", "session": {"notes": "## Handoff\\nLGTM, ship it. No issues found.", "artifacts": []}},
  {"regex": "^Fix review findings in PR #", "session": {"notes": "Fixed.", "artifacts": []}}
]}}
JSON

PATH="$WR_SRCDIR/tests/bin:$PATH"
export PATH

# run_setup NAME [PR<TAB>TITLE...]: a workspace and a gh state of its own.
run_setup() {
	WS=$TRASH/ws-$1
	GH_STATE=$TRASH/gh-$1
	export GH_STATE
	mkdir -p "$WS" "$GH_STATE"
	shift
	: >"$GH_STATE/prs.tsv"
	for line in "$@"; do printf '%s\n' "$line" >>"$GH_STATE/prs.tsv"; done
}

# report: the run's report (the only one in the workspace unless said otherwise)
report() {
	for r in "$WS"/coordinator-pr-review-*.md; do echo "$r"; done | tail -n 1
}

# sha N: the head the stand-in gh gives PR N
sha() {
	printf 'c0ffee%034d' "$1"
}

# merged_at N [--auto]: what merges() shows for a merge of PR N at its listed head
merged_at() {
	printf '%s\t--squash\t%s--match-head-commit\t%s' "$1" "${2:+--auto	}" "$(sha "$1")"
}

# merges: the pull requests gh was asked to merge, in order, with the flags.
merges() {
	grep "	pr	merge	" "$GH_STATE/calls" | cut -f 4- || :
}

# dispatches: "workflowId<TAB>goal" of every dispatch, in order.
dispatches() {
	test_json "$FAKE_LOG" "True" >/dev/null
	python3 - "$FAKE_LOG" <<'PY'
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["method"] == "POST":
        print("%s\t%s" % (r["body"]["workflowId"], r["body"]["goal"]))
PY
}

test_expect_success '--help, --version and bad usage' '
	wr-pr-review --help >out &&
	test_must_contain "^Usage: wr-pr-review -W WORKSPACE" out &&
	wr-pr-review --version >out &&
	test_must_contain "^wr-pr-review \(wrkit\) " out &&
	test_expect_code 2 wr-pr-review 2>err &&
	test_must_contain "WORKSPACE is required" err &&
	test_expect_code 2 wr-pr-review -W /nonexistent 2>err &&
	test_must_contain "is not a directory" err &&
	test_expect_code 2 wr-pr-review -W . --pr 12x 2>err &&
	test_must_contain "invalid --pr" err &&
	test_expect_code 2 wr-pr-review -W . --max-runtime soon 2>err &&
	test_must_contain "invalid --max-runtime" err
'

test_expect_success 'no open pull requests: nothing dispatched, a report, exit 0' '
	run_setup none &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_line_count = 0 "$FAKE_LOG" &&
	test_must_contain "^# PR Review Coordinator Report$" "$(report)" &&
	test_must_contain "^- Pull requests: 0$" "$(report)" &&
	test_must_contain "	pr	list	--json	number,title,headRefName,headRefOid,isDraft	--jq	" "$GH_STATE/calls" &&
	test "$(merges)" = ""
'

test_expect_success 'a clean pull request is merged, with --squash --auto, in the workspace' '
	run_setup clean "1	feat: clean change" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(dispatches)" = "wr.mr-review	Review PR #1 \"feat: clean change\" before merge" &&
	test "$(merges)" = "$(merged_at 1 --auto)" &&
	grep "	pr	merge	" "$GH_STATE/calls" | cut -f 1 >cwd &&
	test "$(cat cwd)" = "$WS" &&
	test_must_contain "^- PR #1 \"feat: clean change\": auto-merge enabled$" "$(report)" &&
	r=$(report) && test_must_contain "^- Merged: 1$" "$r" &&
	test_must_contain "^\| #1 \| feat: clean change \| \`c0ffee000000\` \| sess_dispatched_1 \| clean \(artifact\) \| merge \| auto-merge enabled \| \[\] \|$" "$(report)" &&
	test_json "${r%.md}.ndjson" "len(recs) == 1 and recs[0][\"merge\"] == \"auto-merge enabled\" and recs[0][\"head\"] == \"$(sha 1)\"" &&
	test_must_contain "^1 merged, 0 escalated" out
'

test_expect_success '[TRACE] comes before acting on each routed record' '
	run_setup trace "1	t" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^\[TRACE\] \{\"childSessionId\":\"sess_dispatched_1\",\"outcome\":\"success\",\"elapsedMs\":[0-9]+,\"severity\":\"clean\"" err &&
	trace_line=$(grep -n "^\[TRACE\]" err | cut -d: -f1) &&
	merge_line=$(grep -n "PR #1: auto-merge enabled" err | cut -d: -f1) &&
	test "$trace_line" -lt "$merge_line" &&
	test_must_contain "^\[TRACE\] " "$(report)"
'

test_expect_success 'blocking, unknown, failed and dormant reviews never merge' '
	run_setup never "2	blocking" "3	unknown" "4	failed" "5	dormant" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	test_must_contain "^- PR #2 \"blocking\": escalated: severity: blocking$" "$(report)" &&
	test_must_contain "^- PR #3 \"unknown\": escalated: severity: unknown$" "$(report)" &&
	test_must_contain "^- PR #4 \"failed\": escalated: session failed: the run is blocked, not complete" "$(report)" &&
	test_must_contain "^- PR #5 \"dormant\": escalated: session timeout: the run is dormant, not complete" "$(report)" &&
	test_must_contain "^- Escalated: 4$" "$(report)"
'

test_expect_success 'minor, then a fix, then a clean re-review: merged, in that order' '
	run_setup fixed "6	minor change" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	dispatches >got &&
	cat >expect <<-\EOT &&
	wr.mr-review	Review PR #6 "minor change" before merge
	wr.coding-task	Fix review findings in PR #6: Missing test for the empty cache
	wr.mr-review	Re-review PR #6 after fixes (pass 1)
	EOT
	test_cmp expect got &&
	test "$(merges)" = "$(merged_at 6 --auto)" &&
	test_must_contain "^- Fix passes: 1$" "$(report)"
'

test_expect_success 'persistent minor escalates after exactly 3 fix passes (7 dispatches)' '
	run_setup persistent "7	stubborn" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	dispatches >got &&
	test_line_count = 7 got &&
	cut -f 1 got | uniq -c | awk "{print \$1}" | tr "\n" " " >counts &&
	test "$(cat counts)" = "1 1 1 1 1 1 1 " &&
	sed -n "7p" got | grep -q "Re-review PR #7 after fixes (pass 3)" &&
	test "$(grep -c coding-task got)" = 3 &&
	test "$(merges)" = "" &&
	test_must_contain "^- PR #7 \"stubborn\": escalated: 3 fix passes exhausted$" "$(report)"
'

test_expect_success 'a dry run dispatches nothing, merges nothing, and says what it would do' '
	run_setup dry "1	clean" "7	stubborn" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" --dry-run >out 2>err &&
	test_line_count = 0 "$FAKE_LOG" &&
	test "$(merges)" = "" &&
	test_must_contain "^Would dispatch wr.mr-review for PR #1 at $(sha 1): Review PR #1 \"clean\" before merge$" out &&
	test_must_contain "^Would dispatch wr.mr-review for PR #7" out &&
	test_must_fail test -e "$(report)" &&
	test "$(ls "$WS")" = ""
'

test_expect_success 'a refused dispatch is reported and exits 1' '
	run_setup refused "1	clean" &&
	port=$(free_port) &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$port" >out 2>err &&
	test_must_contain "PR #1: escalated to a human: review dispatch failed: Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon" err &&
	test "$(merges)" = "" &&
	test_must_contain "^- Dispatches: 1 \(1 failed\)$" "$(report)"
'

test_expect_success '--pr skips discovery' '
	run_setup explicit "8	never listed" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" --pr 1 >out 2>err &&
	test_must_fail grep -q "	pr	list" "$GH_STATE/calls" &&
	test "$(dispatches)" = "wr.mr-review	Review PR #1 before merge" &&
	test "$(merges)" = "$(merged_at 1 --auto)"
'

test_expect_success 'a failed merge is escalated and not retried' '
	run_setup mergefail "1	conflicted" &&
	echo 1 >"$GH_STATE/merge-fails" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "$(merged_at 1 --auto)" &&
	test_must_contain "^- PR #1 \"conflicted\": escalated: merge failed: GraphQL: Pull request #1 is not mergeable" "$(report)" &&
	test_must_contain "^- Merged: 0$" "$(report)"
'

test_expect_success 'with two pull requests only the clean one merges' '
	run_setup two "2	bad one" "8	good one" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "$(merged_at 8 --auto)" &&
	test_must_contain "^- PR #2 \"bad one\": escalated: severity: blocking$" "$(report)" &&
	test_must_contain "^- PR #8 \"good one\": auto-merge enabled$" "$(report)"
'

test_expect_success 'a hostile title is data: passed through literally, never run' '
	title="\$(touch pwned) \`touch pwned2\` \"; rm -rf x; echo \\\\ -rf %s" &&
	run_setup hostile "1	$title" &&
	start_fake_workrail scenario.json &&
	(cd "$WS" && wr-pr-review -W "$WS" -p "$FAKE_PORT" >"$TRASH/out" 2>"$TRASH/err") &&
	test "$(dispatches)" = "wr.mr-review	Review PR #1 \"$title\" before merge" &&
	test_must_fail test -e "$WS/pwned" &&
	test_must_fail test -e "$WS/pwned2" &&
	test_must_fail test -e pwned &&
	test "$(merges)" = "$(merged_at 1 --auto)"
'

test_expect_success 'the wall-clock rule stops fixes' '
	run_setup clock "6	minor change" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" --max-runtime 20m >out 2>err &&
	test "$(dispatches | wc -l)" = 1 &&
	test_must_contain "^- PR #6 \"minor change\": escalated: coordinator elapsed > 0 minutes \([0-9]+ (minutes?|seconds?)\)$" "$(report)" &&
	test "$(merges)" = ""
'

test_expect_success 'a session with no runs is not found: escalated, exit 1' '
	run_setup noruns "9	ghost" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^- PR #9 \"ghost\": escalated: session not_found: cannot read session: " "$(report)"
'

test_expect_success 'gh pr list failing stops the run before any dispatch' '
	run_setup listfails &&
	: >"$GH_STATE/list-fails" &&
	start_fake_workrail scenario.json &&
	test_expect_code 2 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "gh pr list failed: HTTP 401: Bad credentials" err &&
	test_line_count = 0 "$FAKE_LOG"
'

# Faults on the coordinator's path: each ends fail-closed, with a clear message and
# the right exit status.

test_expect_success 'the daemon dying between dispatch and await: escalated, exit 1' '
	run_setup dies "10	doomed" "1	fine" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	test_must_contain "^- PR #10 \"doomed\": escalated: session failed: gave up after 3 failed polls in a row: Could not connect to WorkTrain daemon on port $FAKE_PORT" "$(report)" &&
	# PR #1 may be polled before or after the daemon dies: escalated either way.
	test_must_contain "^- PR #1 \"fine\": escalated: " "$(report)"
'

test_expect_success 'a daemon answering 500 to every poll: escalated, exit 1' '
	run_setup poll500 "11	unlucky" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	test_must_contain "^- PR #11 \"unlucky\": escalated: session failed: gave up after 3 failed polls in a row: HTTP 500" "$(report)"
'

test_expect_success 'gh missing from PATH: exit 2 before anything is dispatched' '
	run_setup nogh "1	clean" &&
	mkdir sysbin &&
	for tool in sh date mktemp cat grep sed tr sort head rm mkdir cut uniq wc timeout ln; do
		ln -sf "$(command -v $tool)" sysbin/$tool || exit 1
	done &&
	start_fake_workrail scenario.json &&
	test_expect_code 2 env PATH="$WR_BUILDDIR:$WR_SRCDIR/tools:$TRASH/sysbin" \
		wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^wr-pr-review: gh not found on PATH" err &&
	test_line_count = 0 "$FAKE_LOG"
'

test_expect_success 'a workspace where the report cannot be written: exit 2, nothing dispatched' '
	run_setup readonly "1	clean" &&
	start_fake_workrail scenario.json &&
	# /proc takes no new file, not even from root
	test_expect_code 2 wr-pr-review -W /proc -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^wr-pr-review: cannot write the report /proc/coordinator-pr-review-" err &&
	test_line_count = 0 "$FAKE_LOG" &&
	test "$(merges)" = ""
'

# ---- issue #12: the merge path fails closed end to end ----

test_expect_success '--pr 7 --pr 07 --pr 7 is one pull request: one review, one decision' '
	run_setup dedup "2	blocking" &&
	start_fake_workrail scenario.json &&
	test_expect_code 0 wr-pr-review -W "$WS" -p "$FAKE_PORT" --pr 1 --pr 01 --pr 1 >out 2>err &&
	test "$(dispatches | wc -l)" = 1 &&
	test "$(merges)" = "$(merged_at 1 --auto)" &&
	test_must_contain "^- Pull requests: 1$" "$(report)" &&
	run_setup dedup2 "2	blocking" &&
	test_expect_code 0 wr-pr-review -W "$WS" -p "$FAKE_PORT" --pr 2 --pr 002 --dry-run >out 2>err &&
	test "$(grep -c "^Would dispatch" out)" = 1
'

test_expect_success 'a push after the review: the head is read again and nothing is merged' '
	run_setup moved "1	clean" &&
	echo "deadbeef00000000000000000000000000000001" >"$GH_STATE/headview.1" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	r=$(report) &&
	test_must_contain "^- PR #1 \"clean\": escalated: head moved since review \(reviewed $(sha 1), now deadbeef0" "$r" &&
	test_json "${r%.md}.ndjson" "recs[0][\"merge\"] == \"head moved\" and recs[0][\"action\"] == \"merge\""
'

test_expect_success 'a push between the re-read and the merge: --match-head-commit makes GitHub refuse' '
	run_setup raced "1	clean" &&
	echo "deadbeef00000000000000000000000000000002" >"$GH_STATE/merge-head.1" &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "$(merged_at 1 --auto)" &&
	test_must_fail test -s "$GH_STATE/merged" &&
	r=$(report) &&
	test_must_contain "^- PR #1 \"clean\": escalated: merge failed: GraphQL: Head branch was modified" "$r" &&
	test_json "${r%.md}.ndjson" "recs[0][\"merge\"] == \"failed\""
'

test_expect_success 'a repository without auto-merge: one direct merge at the same head' '
	run_setup noauto "1	clean" &&
	: >"$GH_STATE/no-auto" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	printf "%s\n%s\n" "$(merged_at 1 --auto)" "$(merged_at 1)" >expect &&
	merges >got &&
	test_cmp expect got &&
	test_must_contain "auto-merge is not allowed in this repository: merging directly" err &&
	r=$(report) &&
	test_must_contain "^- PR #1 \"clean\": merged$" "$r" &&
	test_json "${r%.md}.ndjson" "recs[0][\"merge\"] == \"merged\""
'

test_expect_success '--auto on a mergeable pull request merges at once: the report says merged' '
	run_setup autonow "1	clean" &&
	: >"$GH_STATE/auto-now" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^- PR #1 \"clean\": merged$" "$(report)"
'

test_expect_success_uninstrumented 'a hanging gh is bounded by --gh-timeout: escalated, exit 1' '
	run_setup ghhang "1	clean" &&
	echo merge >"$GH_STATE/hang" &&
	start_fake_workrail scenario.json &&
	start=$(date +%s) &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" --gh-timeout 2 >out 2>err &&
	test $(($(date +%s) - start)) -lt 15 &&
	test_must_contain "^- PR #1 \"clean\": escalated: merge failed: gh pr merge timed out after 2 \(--gh-timeout\)$" "$(report)" &&
	test_must_contain "^- gh failures: 1$" "$(report)" &&
	test_expect_code 2 wr-pr-review -W "$WS" --gh-timeout forever 2>err &&
	test_must_contain "invalid --gh-timeout" err
'

test_expect_success '--status posts wrkit/review on each reviewed head' '
	run_setup status "1	clean" "2	blocking" &&
	start_fake_workrail scenario.json &&
	test_expect_code 0 wr-pr-review -W "$WS" -p "$FAKE_PORT" --status >out 2>err &&
	grep "	api	" "$GH_STATE/calls" | cut -f 2- >api &&
	test_must_contain "^api	-X	POST	repos/\{owner\}/\{repo\}/statuses/$(sha 1)	-f	state=success	-f	context=wrkit/review	-f	description=auto-merge enabled$" api &&
	test_must_contain "^api	-X	POST	repos/\{owner\}/\{repo\}/statuses/$(sha 2)	-f	state=failure	-f	context=wrkit/review	-f	description=escalated: severity: blocking$" api &&
	run_setup status2 "1	clean" &&
	: >"$GH_STATE/api-fails" &&
	test_expect_code 1 wr-pr-review -W "$WS" -p "$FAKE_PORT" --status >out 2>err &&
	test_must_contain "cannot post the status wrkit/review: gh: Validation Failed" err
'

for sig in TERM INT; do
test_expect_success_uninstrumented "SIG$sig ends the run within 5 s: child stopped, nothing merged, report kept" '
	run_setup sig$sig "12	slow" "1	clean" &&
	start_fake_workrail scenario.json &&
	# a job started with & ignores SIGINT, and a shell cannot trap what it was
	# started ignoring: start it as a terminal would, with SIGINT at its default
	{ python3 -c "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])" \
		wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err & pid=$!; } &&
	n=0 && while ! grep -q "awaiting 2 review" err 2>/dev/null; do
		sleep 0.1; n=$((n + 1)); test $n -lt 100 || exit 1
	done &&
	start=$(date +%s) &&
	kill -$sig $pid &&
	{ wait $pid; rc=$?; } &&
	test $(($(date +%s) - start)) -le 5 &&
	case $sig in TERM) test $rc = 143 ;; INT) test $rc = 130 ;; esac &&
	test "$(merges)" = "" &&
	r=$(report) &&
	test_must_contain "^- Interrupted: by SIG$sig$" "$r" &&
	test_must_contain "^PR #12 wr.mr-review: \{\"session\":\"sess_dispatched_1\"" "$r" &&
	test_must_contain "^PR #1 wr.mr-review: \{\"session\":\"sess_dispatched_2\"" "$r" &&
	test_must_contain "^- PR #12 \"slow\": escalated: interrupted before a decision$" "$r" &&
	test_must_fail pgrep -f "wr-await -p $FAKE_PORT" >/dev/null
'
done

test_expect_success 'the report: a planted symlink is never followed, a second run never overwrites' '
	run_setup symlink "1	clean" &&
	start_fake_workrail scenario.json &&
	now=$(date +%s) &&
	for i in 0 1 2 3 4 5 6 7 8 9; do
		name=coordinator-pr-review-$(date -u -d "@$((now + i))" +%Y-%m-%dT%H%M%SZ) &&
		ln -s "$TRASH/victim" "$WS/$name.md" &&
		ln -s "$TRASH/victim-nd" "$WS/$name.ndjson" || exit 1
	done &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out2 2>err2 &&
	test_must_fail test -e "$TRASH/victim" &&
	test_must_fail test -e "$TRASH/victim-nd" &&
	find "$WS" -name "coordinator-pr-review-*.md" -type f >reports &&
	test_line_count = 2 reports &&
	for r in $(cat reports); do
		test_must_contain "^# PR Review Coordinator Report$" "$r" || exit 1
	done &&
	test "$(find "$WS" -name ".coordinator-pr-review.*" | wc -l)" = 0
'

test_expect_success 'GITHUB_STEP_SUMMARY gets the table' '
	run_setup summary "1	clean" "2	blocking" &&
	start_fake_workrail scenario.json &&
	GITHUB_STEP_SUMMARY=$TRASH/summary.md wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^\| #1 \| clean \|" summary.md &&
	test_must_contain "^\| #2 \| blocking \| .* \| escalate \| escalated: severity: blocking \|" summary.md
'

test_expect_success 'a stage that dies: its PRs are escalated, none vanishes, exit 1' '
	run_setup stagedies "1	clean" "8	also clean" &&
	mkdir -p shim &&
	printf "#!/bin/sh\nkill -KILL \$\$\n" >shim/wr-classify &&
	chmod +x shim/wr-classify &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 env PATH="$TRASH/shim:$PATH" wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	r=$(report) &&
	test_must_contain "^- PR #1 \"clean\": escalated: wr-classify failed \(exit 137\): decision lost$" "$r" &&
	test_must_contain "^- PR #8 \"also clean\": escalated: wr-classify failed \(exit 137\): decision lost$" "$r" &&
	test_must_contain "^- Escalated: 2$" "$r"
'

test_expect_success 'a re-review stage that dies keeps the PR: escalated, exit 1' '
	run_setup rereviewdies "6	minor change" &&
	mkdir -p shim2 &&
	cat >shim2/wr-classify <<-EOF &&
	#!/bin/sh
	n=\$(cat "$TRASH/classify-calls" 2>/dev/null || echo 0)
	echo \$((n + 1)) >"$TRASH/classify-calls"
	[ "\$n" = 0 ] || exit 2
	exec "$WR_BUILDDIR/wr-classify" "\$@"
	EOF
	chmod +x shim2/wr-classify &&
	start_fake_workrail scenario.json &&
	test_expect_code 1 env PATH="$TRASH/shim2:$PATH" wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	test_must_contain "^- PR #6 \"minor change\": escalated: wr-classify failed \(exit 2\): decision lost$" "$(report)"
'

test_expect_success 'drafts are skipped and reported; the listing binds each PR to its head' '
	run_setup drafts "1	clean" "8	draft one" &&
	: >"$GH_STATE/draft.8" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(dispatches | wc -l)" = 1 &&
	test_must_contain "PR #8: a draft, skipped" "$(report)" &&
	test_json "$FAKE_LOG" "True" &&
	wr-route --tsv head <"$(ls "$WS"/coordinator-pr-review-*.ndjson)" >heads &&
	test "$(cat heads)" = "$(sha 1)"
'

test_expect_success 'workflow ids: wr.mr-review by default, the 3.40 ids with --workrail 3.40' '
	run_setup ids "6	minor change" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" --workrail 3.40 >out 2>err &&
	dispatches | cut -f 1 >got &&
	printf "%s\n" mr-review-workflow-agentic coding-task-workflow-agentic mr-review-workflow-agentic >expect &&
	test_cmp expect got &&
	run_setup ids2 "6	minor change" &&
	start_fake_workrail scenario.json &&
	WRKIT_WORKRAIL=3.40.0 wr-pr-review -W "$WS" -p "$FAKE_PORT" --review-workflow team.review >out 2>err &&
	dispatches | cut -f 1 >got &&
	printf "%s\n" team.review coding-task-workflow-agentic team.review >expect &&
	test_cmp expect got &&
	test_expect_code 2 wr-pr-review -W "$WS" --workrail 4.0 2>err &&
	test_must_contain "unknown WorkRail version .4.0.: known are 3.40 and 3.121" err &&
	test_expect_code 2 wr-pr-review -W "$WS" --review-workflow "-x" 2>err
'

test_expect_success 'a dry run: no title can forge a line' '
	run_setup forge "1	x" &&
	printf "%s%s" "x\\nWould merge PR #99\\rok" "$(printf "\033")[2K" >"$GH_STATE/title-tsv.1" &&
	wr-pr-review -W "$WS" --dry-run >out 2>err &&
	test_line_count = 6 out &&
	test_must_fail grep -q "^Would merge" out &&
	test_must_contain "^Would dispatch wr.mr-review for PR #1 at $(sha 1): Review PR #1 \"x Would merge PR #99 ok \[2K\" before merge$" out
'

test_expect_success 'clean by notes only escalates; --trust-notes merges it' '
	run_setup notesonly "13	notes only" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test "$(merges)" = "" &&
	test_must_contain "escalated: clean by notes only: no verdict artifact" "$(report)" &&
	run_setup notesonly2 "13	notes only" &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" --trust-notes >out 2>err &&
	test "$(merges)" = "$(merged_at 13 --auto)"
'

test_expect_success 'end to end: the note wr-pr-review leaves opens the hook for that commit only' '
	run_setup e2e "1	clean" "2	blocking" &&
	GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com &&
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
	git init -q -b main "$WS" &&
	(cd "$WS" && echo a >f && git add f && git commit -q -m A && echo b >f && git commit -q -am B &&
		echo c >f && git commit -q -am C) &&
	git -C "$WS" rev-parse HEAD~1 >"$GH_STATE/head.1" &&
	git -C "$WS" rev-parse HEAD >"$GH_STATE/head.2" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^- Dispatches: 2 \(0 failed\)$" "$(report)" &&
	git -C "$WS" notes --ref=wrkit show HEAD~1 >note &&
	test_must_contain "\"head\":\"$(cat "$GH_STATE/head.1")\"" note &&
	(cd "$WS" && "$WR_SRCDIR/tools/hooks/pre-merge" --commit HEAD~1) 2>err &&
	test_must_contain "gate open" err &&
	(cd "$WS" && test_expect_code 1 "$WR_SRCDIR/tools/hooks/pre-merge" --commit HEAD) 2>err &&
	test_must_contain "gate closed" err &&
	(cd "$WS" && test_expect_code 1 "$WR_SRCDIR/tools/hooks/pre-merge" --commit HEAD~2) 2>err &&
	test_must_contain "has no review" err
'

test_expect_success 'fix passes are counted in the report: no count is lost in a subshell' '
	run_setup counts "7	stubborn" &&
	start_fake_workrail scenario.json &&
	wr-pr-review -W "$WS" -p "$FAKE_PORT" >out 2>err &&
	test_must_contain "^- Dispatches: 7 \(0 failed\)$" "$(report)" &&
	test_must_contain "^- Fix passes: 3$" "$(report)"
'

test_expect_success '--workrail reaches wr-classify (its option when it has one, else WRKIT_WORKRAIL)' '
	run_setup passon "1	clean" &&
	mkdir -p shim3 &&
	cat >shim3/wr-classify <<-EOF &&
	#!/bin/sh
	case "\$*" in --help) exec "$WR_BUILDDIR/wr-classify" --help ;; esac
	printf "%s|%s\n" "\${WRKIT_WORKRAIL:-}" "\$*" >>"$TRASH/classify-args"
	exec "$WR_BUILDDIR/wr-classify" "\$@"
	EOF
	chmod +x shim3/wr-classify &&
	start_fake_workrail scenario.json &&
	env PATH="$TRASH/shim3:$PATH" wr-pr-review -W "$WS" -p "$FAKE_PORT" --workrail 3.40 >out 2>err &&
	test_must_contain "^3\.40\|" classify-args &&
	if wr-classify --help | grep -q -- --workrail; then
		test_must_contain "^3\.40\|--workrail 3\.40" classify-args
	fi
'

test_done
