#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-dispatch against a fake WorkRail daemon: the record, the exact messages of every
# failure, nothing on stdout unless a session exists, nothing sent on bad usage.
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

mkdir -p "$TRASH/repo"
WS=$TRASH/repo

cat >ok.json <<'EOF'
{"dispatch": {"rules": [
  {"goal": "PR #7", "session": {"notes": "## Review\nLGTM, clean."}},
  {"regex": "PR #(8|9)\\b", "sequence": [{"notes": "Minor: rename x"}, {"notes": "clean now"}]}
]}}
EOF

# scenario FILE FAULT-JSON: a daemon whose dispatch answers with FAULT.
scenario() {
	echo "{\"dispatch\": {\"fault\": $2}}" >"$1"
}

test_expect_success 'a dispatch prints the session record and sends the request' '
	start_fake_workrail "$TRASH/ok.json" &&
	wr-dispatch -p "$FAKE_PORT" -w mr-review-workflow-agentic -g "Review PR #7 \"feat: x\" before merge" -W "$WS" >out 2>err &&
	test_line_count = 0 err &&
	test_json out "recs == [{\"session\": \"sess_dispatched_1\", \"workflowId\": \"mr-review-workflow-agentic\"}]" &&
	test_json "$FAKE_LOG" <<-EOF
	len(recs) == 1 and recs[0]["method"] == "POST" and recs[0]["path"] == "/api/v2/auto/dispatch"
	recs[0]["body"] == {"workflowId": "mr-review-workflow-agentic", "goal": "Review PR #7 \"feat: x\" before merge", "workspacePath": "$WS"}
	EOF
'

test_expect_success '--pr adds an integer pr, after session and workflowId' '
	start_fake_workrail "$TRASH/ok.json" &&
	wr-dispatch -p "$FAKE_PORT" -w wf --goal "Review PR #7" --workspace "$WS" --pr 7 >out &&
	test_json out "list(recs[0].items()) == [(\"session\", \"sess_dispatched_1\"), (\"workflowId\", \"wf\"), (\"pr\", 7)]"
'

test_expect_success '--title and --pass-count add the coordinator fields' '
	start_fake_workrail "$TRASH/ok.json" &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g "Re-review PR #7 after fixes (pass 2)" -W "$WS" --pr 7 \
		--title "feat: \"quoted\" \$(touch pwned)" --pass-count 2 >out &&
	test_json out "list(recs[0].items()) == [(\"session\", \"sess_dispatched_1\"), (\"workflowId\", \"wf\"), (\"pr\", 7), (\"title\", \"feat: \\\"quoted\\\" \$(touch pwned)\"), (\"passCount\", 2)]" &&
	test_must_fail test -e pwned &&
	test_expect_code 2 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" --pass-count x 2>err &&
	test_must_contain "invalid --pass-count" err &&
	test_expect_code 2 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" --title "$(printf "\377")" 2>err &&
	test_must_contain "invalid --title" err
'

test_expect_success 'the goal arrives byte for byte' '
	start_fake_workrail "$TRASH/ok.json" &&
	goal=$(printf "Fix: a\\\\b \"q\" \303\251\ttab") &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g "$goal" -W "$WS" >out &&
	test_json "$FAKE_LOG" "recs[0][\"body\"][\"goal\"] == \"Fix: a\\\\b \\\"q\\\" \u00e9\ttab\""
'

test_expect_success 'the dispatched session can then be read: the rule gives its notes' '
	start_fake_workrail "$TRASH/ok.json" &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g "Review PR #7" -W "$WS" --pr 7 >rec &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g "Review PR #9 now" -W "$WS" --pr 9 >>rec &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g "Re-review PR #9" -W "$WS" --pr 9 >>rec &&
	wr-fetch-notes -p "$FAKE_PORT" <rec >out &&
	test_json out <<-EOF
	[r["pr"] for r in recs] == [7, 9, 9]
	[r["recapMarkdown"] for r in recs] == ["## Review\nLGTM, clean.", "Minor: rename x", "clean now"]
	EOF
'

test_expect_success 'HTTP 503: the daemon is not ready, with its reason' '
	scenario s.json "{\"status\": 503, \"body\": {\"success\": false, \"error\": \"No LLM credentials available. Set ANTHROPIC_API_KEY or AWS_PROFILE.\"}}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_line_count = 1 err &&
	test_must_have_line "wr-dispatch: WorkTrain daemon is not ready: No LLM credentials available. Set ANTHROPIC_API_KEY or AWS_PROFILE." err
'

test_expect_success 'HTTP 503 of WorkRail 3.121 without the daemon says to run worktrain daemon' '
	# the body WorkRail 3.121 answers (workrail-api/real-3.121/dispatch-no-creds.json)
	scenario s.json "{\"status\": 503, \"body\": {\"success\": false, \"error\": \"Autonomous dispatch requires the WorkTrain daemon. Run worktrain console alongside worktrain daemon to enable browser dispatch.\"}}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_line_count = 1 err &&
	test_must_have_line "wr-dispatch: WorkTrain daemon is not ready: Autonomous dispatch requires the WorkTrain daemon. Run worktrain console alongside worktrain daemon to enable browser dispatch. Start it with: worktrain daemon" err
'

test_expect_success '--head adds the commit the review is asked to review' '
	start_fake_workrail "$TRASH/ok.json" &&
	wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" --pr 3 --head 0123456789abcdef0123456789abcdef01234567 >out &&
	test_json out "recs[0][\"head\"] == \"0123456789abcdef0123456789abcdef01234567\" and recs[0][\"pr\"] == 3" &&
	for bad in "" 123 "abcdefg" "$(printf "a%.0s" $(seq 65))" "0123456 --x"; do
		test_expect_code 2 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" --head "$bad" >out 2>err &&
		test_must_contain "invalid --head" err &&
		test_line_count = 0 out || exit 1
	done
'

test_expect_success 'HTTP 503 without a reason names the status' '
	scenario s.json "{\"status\": 503, \"bodyText\": \"\"}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: WorkTrain daemon is not ready: HTTP 503" err
'

test_expect_success 'another HTTP error: Dispatch failed, with the body error' '
	scenario s.json "{\"status\": 400, \"body\": {\"success\": false, \"error\": \"workflowId, goal, and workspacePath are required.\"}}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch failed: workflowId, goal, and workspacePath are required." err
'

test_expect_success 'another HTTP error without a body names the status' '
	scenario s.json "{\"status\": 500, \"bodyText\": \"<html>oops</html>\"}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch failed: HTTP 500" err
'

test_expect_success 'a success without a handle is a zombie' '
	echo "{\"dispatch\": {\"noHandle\": true}}" >s.json &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch succeeded but no session handle returned" err
'

test_expect_success 'a success with a body that is not JSON is a zombie too' '
	scenario s.json "{\"malformed\": true}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch succeeded but no session handle returned" err
'

test_expect_success 'a refused connection says how to start the daemon' '
	port=$(free_port) &&
	test_expect_code 1 wr-dispatch -p "$port" -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon" err
'

test_expect_success 'a daemon that never answers: the request times out, nothing printed' '
	scenario s.json "{\"hang\": true}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" --timeout 1 -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch failed: no complete answer from the WorkTrain daemon within 1 s (raise it with --timeout)" err
'

test_expect_success 'a reply larger than the limit, nothing printed' '
	scenario s.json "{\"endless\": true}" &&
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-dispatch -p "$FAKE_PORT" --max-bytes 64K -w wf -g g -W "$WS" >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-dispatch: Dispatch failed: response is larger than the size limit of 65536 bytes (raise it with --max-bytes)" err
'

test_expect_success 'the port comes from the lock files' '
	start_fake_workrail "$TRASH/ok.json" &&
	mkdir -p home/.workrail &&
	echo "not json" >home/.workrail/daemon-console.lock &&
	echo "{\"port\": $FAKE_PORT}" >home/.workrail/dashboard.lock &&
	HOME=$TRASH/home wr-dispatch -w wf -g g -W "$WS" >out &&
	test_json out "recs[0][\"session\"] == \"sess_dispatched_1\""
'

# Each bad usage: exit 2, and the daemon hears nothing.
for case in \
	'a relative workspace:-w wf -g g -W repo:not an absolute path' \
	'a missing workspace:-w wf -g g -W /nonexistent/wrkit/dir:No such file' \
	'a workspace that is a file:-w wf -g g -W /dev/null:not a directory' \
	'no workflow:-g g -W /tmp:missing --workflow' \
	'no goal:-w wf -W /tmp:missing --goal' \
	'no workspace:-w wf -g g:missing --workspace' \
	'a bad --pr:-w wf -g g -W /tmp --pr x:invalid --pr' \
	'a zero --pr:-w wf -g g -W /tmp --pr 0:invalid --pr' \
	'an extra argument:-w wf -g g -W /tmp extra:unexpected argument' \
	'a bad port:-w wf -g g -W /tmp -p 0:invalid --port'
do
	what=${case%%:*}
	rest=${case#*:}
	args=${rest%%:*}
	pattern=${rest#*:}
	test_expect_success "bad usage sends nothing: $what" '
		start_fake_workrail "$TRASH/ok.json" &&
		test_expect_code 2 wr-dispatch -p "$FAKE_PORT" $args >out 2>err &&
		test_line_count = 0 out &&
		test_must_contain "$pattern" err &&
		test_line_count = 0 "$FAKE_LOG"
	'
done

test_expect_success 'an empty goal string is refused' '
	test_expect_code 2 wr-dispatch -w wf -g "" -W "$WS" 2>err &&
	test_must_contain "empty --goal" err
'

test_expect_success '--help and --version' '
	wr-dispatch --help >out &&
	test_must_contain "^Usage: wr-dispatch" out &&
	test_must_contain "--workspace" out &&
	wr-dispatch --version >out &&
	test_must_contain "^wr-dispatch \(wrkit\) " out
'

if command -v man >/dev/null 2>&1; then
	test_expect_success 'the man page renders' '
		MANWIDTH=80 man -l "$WR_SRCDIR/docs/wr-dispatch.1" >man.txt 2>man.err &&
		test_must_contain "EXIT STATUS" man.txt &&
		test_must_contain "no session handle" man.txt
	'
else
	test_skip 'the man page renders' 'man is not installed'
fi

test_done
