#!/bin/sh
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

test_done
