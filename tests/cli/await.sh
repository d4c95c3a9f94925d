#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-await against a fake WorkRail daemon: terminal statuses, not_found at once,
# timeouts, modes all and any, pass-through records, and what transient faults do.
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

cat >s.json <<'EOF'
{"unknownSession": "empty",
 "sessions": {
  "done": {"status": "complete"},
  "gaps": {"status": "complete_with_gaps"},
  "blocked": {"status": "blocked"},
  "dormant": {"status": "in_progress", "sessionStatus": "dormant"},
  "later": {"pendingPolls": 2},
  "later_blocked": {"pendingPolls": 1, "status": "blocked"},
  "forever": {"status": "in_progress"},
  "noruns": {"noRuns": true},
  "flaky": {"pendingPolls": 1, "fault": {"status": 500, "body": {"success": false, "error": "store hiccup"}, "times": 2}},
  "broken": {"status": "in_progress", "fault": {"status": 500, "body": {"success": false, "error": "session store is corrupt"}}},
  "garbled": {"fault": {"malformed": true}},
  "souring": {"status": "in_progress", "fault": {"status": 500, "after": 2}},
  "hang": {"fault": {"hang": true}},
  "a/b c?": {"status": "complete"}
 }}
EOF
cat >s404.json <<'EOF'
{"unknownSession": 404, "sessions": {"done": {"status": "complete"}}}
EOF

# Polls of SESSION in the fake's log.
polls() {
	test_json "$FAKE_LOG" "len([r for r in recs if r[\"segments\"][3:] == [\"$1\"]]) $2"
}

test_expect_success 'complete is success' '
	start_fake_workrail "$TRASH/s.json" &&
	wr-await -p "$FAKE_PORT" done >out 2>err &&
	test_line_count = 0 err &&
	test_json out <<-EOF
	list(recs[0].keys()) == ["session", "outcome", "status", "durationMs"]
	recs[0]["session"] == "done" and recs[0]["outcome"] == "success" and recs[0]["status"] == "complete"
	isinstance(recs[0]["durationMs"], int) and 0 <= recs[0]["durationMs"] < 5000
	EOF
'

test_expect_success '--tsv prints the chosen fields instead of records' '
	start_fake_workrail "$TRASH/s.json" &&
	printf "{\"session\":\"done\",\"pr\":4,\"title\":\"a\\\\tb\"}\n" | wr-await -p "$FAKE_PORT" --tsv pr,title,outcome,status,missing >out &&
	printf "4\ta b\tsuccess\tcomplete\t\n" >expect &&
	test_cmp expect out &&
	test_expect_code 2 wr-await -p "$FAKE_PORT" --tsv "a,,b" done 2>err &&
	test_must_contain "empty field name" err
'

test_expect_success 'complete_with_gaps is success; blocked is failed; dormant is timeout' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" gaps blocked dormant >out &&
	test_json out <<-EOF
	[(r["session"], r["outcome"], r["status"]) for r in recs] == [("gaps", "success", "complete_with_gaps"), ("blocked", "failed", "blocked"), ("dormant", "timeout", "dormant")]
	EOF
'

test_expect_success 'a session is polled until it ends' '
	start_fake_workrail "$TRASH/s.json" &&
	wr-await -p "$FAKE_PORT" --interval 100ms later >out &&
	test_json out "recs[0][\"outcome\"] == \"success\" and recs[0][\"durationMs\"] >= 200" &&
	polls later "== 3" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 100ms later_blocked >out &&
	test_json out "recs[0][\"outcome\"] == \"failed\" and recs[0][\"status\"] == \"blocked\""
'

test_expect_success 'a session with no runs is not_found at once' '
	start_fake_workrail "$TRASH/s.json" &&
	t0=$(now_ms) &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 10s noruns sess_unknown >out &&
	t1=$(now_ms) &&
	test_elapsed_below 3000 "$t0" "$t1" &&
	test_json out "[(r[\"outcome\"], r[\"status\"]) for r in recs] == [(\"not_found\", None)] * 2" &&
	polls noruns "== 1" && polls sess_unknown "== 1"
'

test_expect_success 'a 404 is not_found at once' '
	start_fake_workrail "$TRASH/s404.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 10s nope done >out &&
	test_json out "[r[\"outcome\"] for r in recs] == [\"not_found\", \"success\"]" &&
	polls nope "== 1"
'

test_expect_success 'a session that never ends times out' '
	start_fake_workrail "$TRASH/s.json" &&
	t0=$(now_ms) &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --timeout 1 --interval 200ms forever done >out &&
	t1=$(now_ms) &&
	test_elapsed_below 4000 "$t0" "$t1" &&
	test_json out <<-EOF
	(recs[0]["outcome"], recs[0]["status"]) == ("timeout", "in_progress")
	1000 <= recs[0]["durationMs"] < 3000
	recs[1]["outcome"] == "success"
	EOF
'

test_expect_success 'the timeout takes durations: 2s, 1m, 1h' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --timeout 2s --interval 1 forever >out &&
	test_json out "2000 <= recs[0][\"durationMs\"] < 4000" &&
	wr-await -p "$FAKE_PORT" --timeout 1m done >out &&
	wr-await -p "$FAKE_PORT" --timeout 1h done >>out &&
	test_json out "[r[\"outcome\"] for r in recs] == [\"success\", \"success\"]"
'

test_expect_success 'mode any: the first success ends the wait, the rest not_awaited' '
	start_fake_workrail "$TRASH/s.json" &&
	t0=$(now_ms) &&
	wr-await -p "$FAKE_PORT" --mode any --interval 100ms forever later blocked >out &&
	t1=$(now_ms) &&
	test_elapsed_below 5000 "$t0" "$t1" &&
	test_json out "[r[\"outcome\"] for r in recs] == [\"not_awaited\", \"success\", \"failed\"]" &&
	test_json out "recs[0][\"status\"] == \"in_progress\""
'

test_expect_success 'mode any without a success exits 1; mode all needs every one' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --mode any blocked noruns >out &&
	test_json out "[r[\"outcome\"] for r in recs] == [\"failed\", \"not_found\"]" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --mode all done blocked >out &&
	wr-await -p "$FAKE_PORT" --mode all done gaps >out
'

test_expect_success 'records on stdin pass through, bare handles too' '
	start_fake_workrail "$TRASH/s.json" &&
	printf "%s\n" "{\"session\": \"done\", \"pr\": 7, \"workflowId\": \"wf\"}" "" gaps "{\"session\": \"blocked\", \"pr\": 8, \"outcome\": \"stale\"}" >in &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" <in >out &&
	test_json out <<-EOF
	len(recs) == 3
	list(recs[0].keys()) == ["session", "pr", "workflowId", "outcome", "status", "durationMs"]
	recs[0]["pr"] == 7 and recs[0]["outcome"] == "success"
	recs[1]["session"] == "gaps" and recs[1]["outcome"] == "success"
	recs[2]["pr"] == 8 and recs[2]["outcome"] == "failed"
	EOF
'

test_expect_success 'a bad stdin line gives a not_found record naming the line' '
	start_fake_workrail "$TRASH/s.json" &&
	printf "%s\n" "{\"pr\": 3}" "{oops" done >in &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" <in >out 2>err &&
	test_json out <<-EOF
	[r["outcome"] for r in recs] == ["not_found", "not_found", "success"]
	recs[0]["error"] == "standard input, line 1: record has no \"session\" string" and recs[0]["pr"] == 3
	recs[1]["error"].startswith("standard input, line 2: ")
	EOF
'

test_expect_success 'no session at all is not a success' '
	test_expect_code 1 wr-await -p 1 </dev/null >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-await: no session to await on standard input" err &&
	printf "\n  \n" | test_expect_code 1 wr-await -p 1 --mode any >out 2>err &&
	test_line_count = 0 out
'

test_expect_success 'transient HTTP errors are retried, and a later success counts' '
	start_fake_workrail "$TRASH/s.json" &&
	wr-await -p "$FAKE_PORT" --interval 100ms flaky >out 2>err &&
	test_json out "recs[0][\"outcome\"] == \"success\" and \"error\" not in recs[0]" &&
	test_line_count = 2 err &&
	test_must_contain "^wr-await: session flaky: poll 1 of 3 failed: HTTP 500: store hiccup$" err &&
	test_must_contain "^wr-await: session flaky: poll 2 of 3 failed: HTTP 500: store hiccup$" err
'

test_expect_success 'a daemon answering 500 to every poll: failed, with the reason, bounded' '
	start_fake_workrail "$TRASH/s.json" &&
	t0=$(now_ms) &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 100ms broken >out 2>err &&
	t1=$(now_ms) &&
	test_elapsed_below 3000 "$t0" "$t1" &&
	test_json out <<-EOF
	recs[0]["outcome"] == "failed" and recs[0]["status"] is None
	recs[0]["error"] == "gave up after 3 failed polls in a row: HTTP 500: session store is corrupt"
	EOF
	polls broken "== 3"
'

test_expect_success 'a daemon that starts failing mid-wait keeps the last status seen' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 50ms souring >out 2>err &&
	test_json out "(recs[0][\"outcome\"], recs[0][\"status\"]) == (\"failed\", \"in_progress\")" &&
	test_json out "recs[0][\"error\"] == \"gave up after 3 failed polls in a row: HTTP 500: injected fault\"" &&
	polls souring "== 5"
'

test_expect_success '--max-errors sets how many failed polls in a row end a session' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --interval 50ms --max-errors 5 broken garbled >out 2>err &&
	test_json out <<-EOF
	[r["outcome"] for r in recs] == ["failed", "failed"]
	recs[1]["error"].startswith("gave up after 5 failed polls in a row: malformed response")
	EOF
	polls broken "== 5" && polls garbled "== 5"
'

test_expect_success 'a poll that never answers is bounded by --request-timeout' '
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --request-timeout 500ms --max-errors 2 --interval 100ms hang >out 2>err &&
	test_json out "recs[0][\"outcome\"] == \"failed\" and \"within 500 ms (raise it with --request-timeout)\" in recs[0][\"error\"]"
'

test_expect_success 'a poll never outlives the overall timeout by much' '
	start_fake_workrail "$TRASH/s.json" &&
	t0=$(now_ms) &&
	test_expect_code 1 wr-await -p "$FAKE_PORT" --timeout 1 hang >out 2>err &&
	t1=$(now_ms) &&
	test_elapsed_below 4000 "$t0" "$t1" &&
	test_json out "recs[0][\"outcome\"] in (\"timeout\", \"failed\")"
'

test_expect_success 'the daemon dying while we wait: failed with the connection error' '
	start_fake_workrail "$TRASH/s.json"
	port=$FAKE_PORT
	wr-await -p "$port" --interval 200ms forever >out 2>err &
	waiter=$!
	wait_for_requests 2
	stop_fake_workrail
	test_expect_code 1 wait "$waiter"
	test_json out <<-EOF
	recs[0]["outcome"] == "failed" and recs[0]["status"] == "in_progress"
	recs[0]["error"] == "gave up after 3 failed polls in a row: Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon"
	EOF
'

test_expect_success 'no daemon at all: every session failed, never success' '
	port=$(free_port) &&
	test_expect_code 1 wr-await -p "$port" --interval 50ms s1 s2 >out 2>err &&
	test_json out "[r[\"outcome\"] for r in recs] == [\"failed\", \"failed\"]" &&
	test_must_contain "Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon" err
'

test_expect_success 'ids are percent-encoded' '
	start_fake_workrail "$TRASH/s.json" &&
	wr-await -p "$FAKE_PORT" "a/b c?" >out &&
	test_json out "recs[0][\"outcome\"] == \"success\"" &&
	test_json "$FAKE_LOG" "recs[0][\"path\"] == \"/api/v2/sessions/a%2Fb%20c%3F\""
'

test_expect_success 'the port comes from the lock files' '
	start_fake_workrail "$TRASH/s.json" &&
	mkdir -p home/.workrail &&
	echo "{\"port\": $FAKE_PORT}" >home/.workrail/daemon-console.lock &&
	HOME=$TRASH/home wr-await done >out &&
	test_json out "recs[0][\"outcome\"] == \"success\""
'

test_expect_success 'bad usage exits 2' '
	test_expect_code 2 wr-await --mode some done 2>err &&
	test_must_contain "invalid --mode" err &&
	test_expect_code 2 wr-await --timeout soon done 2>err &&
	test_must_contain "invalid --timeout" err &&
	test_expect_code 2 wr-await --interval 0 done 2>err &&
	test_must_contain "invalid --interval" err &&
	test_expect_code 2 wr-await --max-errors 0 done 2>err &&
	test_expect_code 2 wr-await --request-timeout x done 2>err &&
	test_expect_code 2 wr-await -j 0 done 2>err &&
	test_expect_code 2 wr-await "" 2>err
'

test_expect_success '--help and --version' '
	wr-await --help >out &&
	test_must_contain "^Usage: wr-await" out &&
	test_must_contain "--mode" out &&
	wr-await --version >out &&
	test_must_contain "^wr-await \(wrkit\) " out
'

if command -v man >/dev/null 2>&1; then
	test_expect_success 'the man page renders' '
		MANWIDTH=80 man -l "$WR_SRCDIR/docs/wr-await.1" >man.txt 2>man.err &&
		test_must_contain "EXIT STATUS" man.txt &&
		test_must_contain "not_awaited" man.txt
	'
else
	test_skip 'the man page renders' 'man is not installed'
fi

test_done
