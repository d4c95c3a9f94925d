#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-fetch-notes against a fake WorkRail 3.40 daemon: the notes rule, artifacts, every
# failure mode, concurrency, percent-encoding, port discovery and stdin records.
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

VERDICT_MINOR='{"kind":"wr.review_verdict","verdict":"minor","confidence":"medium","findings":[{"severity":"minor","summary":"Missing test for empty cache"}],"summary":"One minor issue"}'

# The real capture's session: two steps with notes, the verdict on the last one.
cat >real.json <<EOF
{"sessions": {
  "sess_real": {"steps": [
    {"label": "Phase 1: Review", "notes": "Phase 1 notes: looked at cache.ts"},
    {"label": "Phase 6: Final Handoff",
     "notes": "## Handoff\nFinal recommendation: APPROVE with minor changes",
     "artifacts": [$VERDICT_MINOR]}]}
}}
EOF

test_expect_success 'notes come from the last step, not the terminal tip nor an earlier step' '
	start_fake_workrail "$TRASH/real.json" &&
	wr-fetch-notes -p "$FAKE_PORT" sess_real >out 2>err &&
	test_line_count = 1 out &&
	test_json out <<-EOF &&
	recs[0]["session"] == "sess_real"
	recs[0]["recapMarkdown"] == "## Handoff\nFinal recommendation: APPROVE with minor changes"
	recs[0]["artifacts"] == [$VERDICT_MINOR]
	"error" not in recs[0] and "warnings" not in recs[0]
	EOF
	test_json "$FAKE_LOG" <<-EOF &&
	recs[0]["segments"][-1] == "sess_real"
	sorted(r["segments"][-1] for r in recs[1:]) == ["node_01", "node_02", "node_03_end"]
	EOF
	test_line_count = 0 err
'

test_expect_success 'a completed run whose last step has no notes gives null, never older notes' '
	cat >s.json <<-EOF &&
	{"sessions": {"s": {"steps": [
	  {"label": "Phase 1", "notes": "LGTM, approved, clean"},
	  {"label": "Phase 6", "notes": null}]}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	wr-fetch-notes -p "$FAKE_PORT" s >out &&
	test_json out "recs[0][\"recapMarkdown\"] is None and \"error\" not in recs[0]"
'

test_expect_success 'a run still in progress gives its tip notes, but fails closed' '
	cat >s.json <<-EOF &&
	{"sessions": {"s": {"status": "in_progress", "steps": [
	  {"label": "Phase 1", "notes": "one"}, {"label": "Phase 2", "notes": "LGTM so far"}]}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" s >out 2>err &&
	test_json out <<-\EOF &&
	recs[0]["recapMarkdown"] == "LGTM so far"
	recs[0]["error"] == "the run is in_progress, not complete: its notes are not a final review"
	EOF
	test_must_contain "^wr-fetch-notes: session s: the run is in_progress, not complete" err &&
	{ wr-fetch-notes -p "$FAKE_PORT" s 2>/dev/null | wr-classify | wr-route --tsv action,reason >routed; } &&
	test_must_contain "^escalate	the run is in_progress" routed
'

test_expect_success 'a blocked or dormant run fails closed the same way' '
	cat >s.json <<-EOF &&
	{"sessions": {"b": {"status": "blocked", "notes": "LGTM"},
	              "d": {"status": "in_progress", "sessionStatus": "dormant", "notes": "LGTM"}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" b d >out 2>err &&
	test_json out <<-\EOF
	recs[0]["error"].startswith("the run is blocked, not complete")
	recs[1]["error"].startswith("the run is dormant, not complete")
	EOF
'

test_expect_success 'artifacts come from every node in node order, wrapped or bare' '
	cat >s.json <<-EOF &&
	{"sessions": {"s": {"steps": [
	  {"label": "P1", "notes": "a", "artifacts": [{"kind": "wr.assessment", "n": 1}]},
	  {"label": "P2", "notes": "b", "wrap": false, "artifacts": [{"kind": "wr.loop_control", "n": 2}]},
	  {"label": "P3", "notes": "c", "artifacts": [{"kind": "wr.review_verdict", "n": 3}, {"kind": "x", "n": 4}]}]}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	wr-fetch-notes -p "$FAKE_PORT" s >out &&
	test_json out <<-EOF
	[a["n"] for a in recs[0]["artifacts"]] == [1, 2, 3, 4]
	all("sha256" not in a and "content" not in a for a in recs[0]["artifacts"])
	recs[0]["recapMarkdown"] == "c"
	EOF
'

test_expect_success 'records come out in input order, whatever answers first' '
	cat >s.json <<-EOF &&
	{"sessions": {
	  "slow": {"fault": {"delayMs": 600}, "notes": "slow notes"},
	  "fast": {"notes": "fast notes"}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	wr-fetch-notes -p "$FAKE_PORT" slow fast slow >out &&
	test_json out "[r[\"recapMarkdown\"] for r in recs] == [\"slow notes\", \"fast notes\", \"slow notes\"]"
'

# One scenario for the failures of whole sessions; each fails closed alone.
cat >faults.json <<EOF
{"unknownSession": 404,
 "sessions": {
  "ok": {"notes": "fine"},
  "e500": {"fault": {"status": 500, "body": {"success": false, "error": "session store is corrupt"}}},
  "e502": {"fault": {"status": 502, "bodyText": "<html>Bad Gateway</html>"}},
  "malformed": {"fault": {"malformed": true}},
  "truncated": {"fault": {"truncate": true}},
  "halfjson": {"fault": {"truncateJson": true}},
  "noruns": {"noRuns": true},
  "notip": {"tip": null, "notes": "x"},
  "lost_tip": {"tip": "node_99", "notes": "x"},
  "redirect": {"fault": {"status": 302, "headers": {"Location": "/api/v2/sessions/ok"}}},
  "hang": {"fault": {"hang": true}},
  "endless": {"fault": {"endless": true}},
  "trickle": {"fault": {"trickle": true}}
 }}
EOF

# check_failed SESSION PATTERN: the one record of out fails closed with PATTERN in its
# error, and stderr names the session.
check_failed() {
	test_line_count = 1 out &&
	test_json out "recs[0][\"session\"] == \"$1\" and recs[0][\"recapMarkdown\"] is None and recs[0][\"artifacts\"] == []" &&
	test_json out "__import__(\"re\").search(r\"$2\", recs[0][\"error\"]) is not None" &&
	test_must_contain "^wr-fetch-notes: session $1: .*$2" err
}

for case in \
	'404:missing:not found \(HTTP 404: Session not found: missing\)' \
	'HTTP 500:e500:HTTP 500: session store is corrupt' \
	'HTTP 502 without a JSON body:e502:HTTP 502$' \
	'a malformed body:malformed:malformed response: line 1' \
	'a truncated transfer:truncated:cannot read session: .*(closed|remaining|partial)' \
	'truncated JSON:halfjson:malformed response' \
	'no runs:noruns:session has no runs' \
	'no tip node:notip:no preferred tip' \
	'a tip that is not among the nodes:lost_tip:not among its nodes' \
	'a redirect, not followed:redirect:HTTP 302'
do
	what=${case%%:*}
	rest=${case#*:}
	sid=${rest%%:*}
	pattern=${rest#*:}
	test_expect_success "a session that cannot be read fails closed: $what" '
		start_fake_workrail "$TRASH/faults.json" &&
		test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" "$sid" >out 2>err &&
		check_failed "$sid" "$pattern"
	'
done

test_expect_success 'a redirect is not followed' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" redirect >out 2>err &&
	test_json "$FAKE_LOG" "[r[\"path\"] for r in recs] == [\"/api/v2/sessions/redirect\"]"
'

test_expect_success 'a failed session does not stop the others' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" e500 ok missing ok >out 2>err &&
	test_json out <<-EOF
	[r["session"] for r in recs] == ["e500", "ok", "missing", "ok"]
	[("error" in r) for r in recs] == [True, False, True, False]
	recs[1]["recapMarkdown"] == "fine" and recs[3]["recapMarkdown"] == "fine"
	EOF
'

test_expect_success 'a daemon that never answers times out' '
	start_fake_workrail "$TRASH/faults.json" &&
	t0=$(now_ms) &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --timeout 1 hang ok >out 2>err &&
	t1=$(now_ms) &&
	test_elapsed_below 5000 "$t0" "$t1" &&
	test_json out "recs[0][\"error\"] == \"cannot read session: no complete answer from the WorkTrain daemon within 1 s (raise it with --timeout)\"" &&
	test_json out "recs[1][\"recapMarkdown\"] == \"fine\""
'

test_expect_success 'the timeout also takes a duration' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --timeout 500ms hang >out 2>err &&
	test_json out "\"within 500 ms\" in recs[0][\"error\"]"
'

test_expect_success 'an endless body is cut at the size limit' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --max-bytes 100K endless >out 2>err &&
	check_failed endless "response is larger than the size limit of 102400 bytes \(raise it with --max-bytes\)"
'

test_expect_success_uninstrumented 'an endless body within the default limit is still cut' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" endless >out 2>err &&
	check_failed endless "larger than the size limit of 67108864 bytes"
'

test_expect_success 'a body that trickles without end times out' '
	start_fake_workrail "$TRASH/faults.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --timeout 1 trickle >out 2>err &&
	check_failed trickle "within 1 s"
'

test_expect_success 'a response larger than the limit is refused from its length' '
	start_fake_workrail "$TRASH/real.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --max-bytes 1K sess_real >out 2>err &&
	check_failed sess_real "larger than the size limit of 1024 bytes"
'

test_expect_success 'a refused connection says how to start the daemon' '
	port=$(free_port) &&
	test_expect_code 1 wr-fetch-notes -p "$port" s1 >out 2>err &&
	test_must_have_line "wr-fetch-notes: session s1: cannot read session: Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon" err &&
	test_json out "recs[0][\"error\"] == \"cannot read session: Could not connect to WorkTrain daemon on port $port. Start with: worktrain daemon\""
'

cat >nodes.json <<EOF
{"sessions": {
  "side500": {"steps": [
    {"label": "P1", "notes": "a", "artifacts": [{"kind": "k1"}], "fault": {"status": 500, "body": {"success": false, "error": "node store hiccup"}}},
    {"label": "P2", "notes": "b", "artifacts": [{"kind": "k2"}], "fault": {"malformed": true}},
    {"label": "P6", "notes": "final", "artifacts": [{"kind": "k3"}]}]},
  "notes500": {"steps": [
    {"label": "P1", "notes": "old notes: LGTM", "artifacts": [{"kind": "k1"}]},
    {"label": "P6", "notes": "final", "fault": {"status": 500}}]},
  "notesmalformed": {"steps": [{"label": "P6", "notes": "final", "fault": {"truncateJson": true}}]},
  "noteshang": {"steps": [{"label": "P6", "notes": "final", "fault": {"hang": true}}]},
  "terminal500": {"steps": [{"label": "P6", "notes": "final", "artifacts": [{"kind": "k1"}]}],
                  "terminalFault": {"status": 500}}
}}
EOF

test_expect_success 'any node that cannot be read fails the record closed: its artifacts are unknown' '
	start_fake_workrail "$TRASH/nodes.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" side500 >out 2>err &&
	test_json out <<-EOF &&
	recs[0]["recapMarkdown"] == "final"
	recs[0]["artifacts"] == [{"kind": "k3"}]
	"warnings" not in recs[0]
	recs[0]["error"].startswith("cannot read node node_01: HTTP 500: node store hiccup (its artifacts are unknown); cannot read node node_02: malformed response")
	EOF
	test_line_count = 2 err &&
	test_must_contain "^wr-fetch-notes: session side500: cannot read node node_01: HTTP 500: node store hiccup \(its artifacts are unknown\)$" err &&
	test_must_contain "^wr-fetch-notes: session side500: cannot read node node_02: malformed response" err
'

test_expect_success 'a node answering 500 keeps "LGTM" notes from opening the gate' '
	start_fake_workrail "$TRASH/nodes.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" side500 2>/dev/null >rec &&
	test_expect_code 1 wr-classify rec 2>/dev/null >classified || true &&
	test_expect_code 1 wr-route --gate --trust-notes classified >out 2>err &&
	test_must_contain "gate closed" err &&
	test_must_contain "\"action\":\"escalate\",\"reason\":\"cannot read node node_01" out
'

for sid in notes500 notesmalformed noteshang; do
	test_expect_success "the notes node failing fails the record closed: $sid" '
		start_fake_workrail "$TRASH/nodes.json" &&
		test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --timeout 1 "$sid" >out 2>err &&
		check_failed "$sid" "cannot read the notes node node_0[12]: "
	'
done

test_expect_success 'the notes node failing loses no older notes into the record' '
	start_fake_workrail "$TRASH/nodes.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" notes500 >out 2>err &&
	test_json out "recs[0][\"recapMarkdown\"] is None and recs[0][\"artifacts\"] == []"
'

test_expect_success 'the terminal node failing fails closed too: the notes are still its parent' '
	start_fake_workrail "$TRASH/nodes.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" terminal500 >out 2>err &&
	test_json out "recs[0][\"recapMarkdown\"] == \"final\" and recs[0][\"artifacts\"] == [{\"kind\": \"k1\"}]" &&
	test_json out "recs[0][\"error\"] == \"cannot read node node_02_end: HTTP 500: injected fault (its artifacts are unknown)\"" &&
	test_must_contain "session terminal500: cannot read node node_02_end" err
'

test_expect_success 'ids are percent-encoded and arrive intact as one segment' '
	cat >s.json <<-EOF &&
	{"sessions": {"a/b ?#%\u00e9.": {"steps": [
	  {"id": "n/1?x#y", "label": "P1", "notes": "first", "artifacts": [{"kind": "k"}]},
	  {"id": "..", "label": "P6", "notes": "encoded fine"}]}}}
	EOF
	start_fake_workrail "$TRASH/s.json" &&
	wr-fetch-notes -p "$FAKE_PORT" "a/b ?#%é." >out 2>err &&
	test_json out "recs[0][\"session\"] == \"a/b ?#%\u00e9.\" and recs[0][\"recapMarkdown\"] == \"encoded fine\"" &&
	test_json "$FAKE_LOG" <<-EOF
	[r["segments"][3:] for r in recs][0] == ["a/b ?#%\u00e9."]
	recs[0]["path"] == "/api/v2/sessions/a%2Fb%20%3F%23%25%C3%A9."
	sorted(r["segments"][5] for r in recs[1:]) == ["..", "n/1?x#y", "node_03_end"]
	any(r["path"].endswith("/nodes/%2E%2E") for r in recs)
	EOF
'

test_expect_success 'the port comes from daemon-console.lock' '
	start_fake_workrail "$TRASH/real.json" &&
	mkdir -p home/.workrail &&
	echo "{\"port\": $FAKE_PORT, \"pid\": 1}" >home/.workrail/daemon-console.lock &&
	echo "{\"port\": 1}" >home/.workrail/dashboard.lock &&
	HOME=$TRASH/home wr-fetch-notes sess_real >out &&
	test_json out "recs[0][\"recapMarkdown\"].startswith(\"## Handoff\")"
'

test_expect_success 'then from dashboard.lock, past a missing or corrupt daemon-console.lock' '
	start_fake_workrail "$TRASH/real.json" &&
	rm -rf home && mkdir -p home/.workrail &&
	echo "{\"port\": $FAKE_PORT}" >home/.workrail/dashboard.lock &&
	HOME=$TRASH/home wr-fetch-notes sess_real >out &&
	echo "{\"port\": 12" >home/.workrail/daemon-console.lock &&
	HOME=$TRASH/home wr-fetch-notes sess_real >>out &&
	echo "{\"port\": \"3456\"}" >home/.workrail/daemon-console.lock &&
	HOME=$TRASH/home wr-fetch-notes sess_real >>out &&
	test_json out "len(recs) == 3 and all(r[\"recapMarkdown\"] for r in recs)"
'

test_expect_success '--port wins over the lock files' '
	start_fake_workrail "$TRASH/real.json" &&
	rm -rf home && mkdir -p home/.workrail &&
	echo "{\"port\": 1}" >home/.workrail/daemon-console.lock &&
	HOME=$TRASH/home wr-fetch-notes --port "$FAKE_PORT" sess_real >out &&
	test_json out "\"error\" not in recs[0]"
'

test_expect_success '--host names the daemon host' '
	start_fake_workrail "$TRASH/real.json" &&
	wr-fetch-notes --host localhost -p "$FAKE_PORT" sess_real >out &&
	wr-fetch-notes --host http://127.0.0.1 -p "$FAKE_PORT" sess_real >>out &&
	test_json out "len(recs) == 2 and \"error\" not in recs[0] and \"error\" not in recs[1]" &&
	test_expect_code 2 wr-fetch-notes --host "evil.example/#" -p "$FAKE_PORT" sess_real 2>err &&
	test_must_contain "invalid host" err &&
	test_expect_code 2 wr-fetch-notes --host file:///etc -p "$FAKE_PORT" sess_real 2>err &&
	test_must_contain "only http and https" err
'

test_expect_success 'sessions from stdin: handles, JSON strings and records passed through' '
	start_fake_workrail "$TRASH/real.json" &&
	cat >in <<-EOF &&
	sess_real

	  "sess_real"  
	{"session": "sess_real", "pr": 7, "title": "feat: x", "nested": {"a": [1, 2]}}
	EOF
	wr-fetch-notes -p "$FAKE_PORT" <in >out &&
	test_line_count = 3 out &&
	test_json out <<-EOF
	all(r["session"] == "sess_real" and r["recapMarkdown"].startswith("## Handoff") for r in recs)
	list(recs[2].keys())[:4] == ["session", "pr", "title", "nested"]
	recs[2]["pr"] == 7 and recs[2]["title"] == "feat: x" and recs[2]["nested"] == {"a": [1, 2]}
	list(recs[0].keys()) == ["session", "recapMarkdown", "artifacts"]
	EOF
'

test_expect_success 'a bad stdin line gives a failed record naming the line; the rest go on' '
	start_fake_workrail "$TRASH/real.json" &&
	printf "%s\n" sess_real "{\"session\": " "{\"pr\": 3}" "[1]" "{\"session\": \"\"}" sess_real >in &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" <in >out 2>err &&
	test_line_count = 6 out &&
	test_json out <<-EOF
	[("error" in r) for r in recs] == [False, True, True, True, True, False]
	recs[1]["error"].startswith("standard input, line 2: ")
	recs[2]["error"] == "standard input, line 3: record has no \"session\" string" and recs[2]["pr"] == 3
	recs[3]["error"].startswith("standard input, line 4: ")
	recs[4]["error"] == "standard input, line 5: empty session id"
	all(r["recapMarkdown"] is None and r["artifacts"] == [] for r in recs[1:5])
	EOF
'

test_expect_success 'no session at all on stdin is not a success' '
	test_expect_code 1 wr-fetch-notes -p 1 </dev/null >out 2>err &&
	test_line_count = 0 out &&
	test_must_have_line "wr-fetch-notes: no session on standard input" err
'

test_expect_success 'an earlier stage error stays, and comes first' '
	start_fake_workrail "$TRASH/faults.json" &&
	printf "%s\n" "{\"session\": \"ok\", \"error\": \"dispatch went wrong\"}" "{\"session\": \"e500\", \"error\": \"earlier\"}" >in &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" <in >out 2>err &&
	test_json out <<-EOF
	recs[0]["error"] == "dispatch went wrong" and recs[0]["recapMarkdown"] == "fine"
	recs[1]["error"] == "earlier; cannot read session: HTTP 500: session store is corrupt"
	EOF
'

# 40 nodes of 200 ms each: one at a time would take 8 s.
python3 - >slow.json <<'EOF'
import json
steps = [{"label": "Phase %d" % i, "notes": "notes %d" % i, "delayMs": 200,
          "artifacts": [{"kind": "k", "n": i}]} for i in range(40)]
print(json.dumps({"sessions": {"slow40": {"steps": steps}}}))
EOF

test_expect_success_uninstrumented '40 slow nodes are fetched concurrently, at most JOBS at once' '
	start_fake_workrail "$TRASH/slow.json" &&
	t0=$(now_ms) &&
	wr-fetch-notes -p "$FAKE_PORT" slow40 >out &&
	t1=$(now_ms) &&
	test_elapsed_below 4000 "$t0" "$t1" &&
	test_json out "[a[\"n\"] for a in recs[0][\"artifacts\"]] == list(range(40)) and recs[0][\"recapMarkdown\"] == \"notes 39\"" &&
	test_json "$FAKE_LOG" "2 <= max(r[\"inflight\"] for r in recs) <= 8"
'

test_expect_success '-j bounds the transfers at once' '
	start_fake_workrail "$TRASH/slow.json" &&
	wr-fetch-notes -j 3 -p "$FAKE_PORT" slow40 >out &&
	test_json "$FAKE_LOG" "max(r[\"inflight\"] for r in recs) == 3" &&
	test_json out "len(recs[0][\"artifacts\"]) == 40"
'

test_expect_success 'bad usage exits 2 and sends nothing' '
	test_expect_code 2 wr-fetch-notes -j 0 s 2>err &&
	test_must_contain "invalid --jobs" err &&
	test_expect_code 2 wr-fetch-notes -p 0 s 2>err &&
	test_must_contain "invalid --port" err &&
	test_expect_code 2 wr-fetch-notes -p 70000 s 2>err &&
	test_expect_code 2 wr-fetch-notes --timeout 0 s 2>err &&
	test_must_contain "invalid --timeout" err &&
	test_expect_code 2 wr-fetch-notes --max-bytes x s 2>err &&
	test_expect_code 2 wr-fetch-notes "" 2>err &&
	test_must_contain "empty session id" err &&
	test_expect_code 2 wr-fetch-notes "$(printf "a\tb")" 2>err &&
	test_must_contain "control character" err &&
	test_expect_code 2 wr-fetch-notes "$(printf "\377")" 2>err &&
	test_must_contain "not UTF-8" err &&
	test_expect_code 2 wr-fetch-notes --bogus 2>err
'

test_expect_success '--help and --version' '
	wr-fetch-notes --help >out &&
	test_must_contain "^Usage: wr-fetch-notes" out &&
	test_must_contain "--jobs" out &&
	wr-fetch-notes --version >out &&
	test_must_contain "^wr-fetch-notes \(wrkit\) " out
'

if command -v man >/dev/null 2>&1; then
	test_expect_success 'the man page renders' '
		MANWIDTH=80 man -l "$WR_SRCDIR/docs/wr-fetch-notes.1" >man.txt 2>man.err &&
		test_must_contain "EXIT STATUS" man.txt &&
		test_must_contain "--jobs" man.txt
	'
else
	test_skip 'the man page renders' 'man is not installed'
fi

test_expect_success '--max-nodes: a run listing more nodes fails closed and fetches none' '
	python3 -c "
import json
steps = [{\"label\": \"P%d\" % i, \"notes\": \"n\"} for i in range(1, 2001)]
json.dump({\"sessions\": {\"many\": {\"steps\": steps},
                          \"few\": {\"steps\": steps[:5]}}}, open(\"many.json\", \"w\"))
" &&
	start_fake_workrail "$TRASH/many.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" many >out 2>err &&
	test_json out <<-EOF &&
	recs[0]["error"] == "the session lists 2001 nodes, more than 2000 (raise it with --max-nodes)"
	recs[0]["recapMarkdown"] is None and recs[0]["artifacts"] == []
	EOF
	test_must_contain "^wr-fetch-notes: session many: the session lists 2001 nodes, more than 2000 \(raise it with --max-nodes\)$" err &&
	test_must_fail grep -q "/nodes/" "$FAKE_LOG" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --max-nodes 5 few >out 2>err &&
	test_json out "recs[0][\"error\"] == \"the session lists 6 nodes, more than 5 (raise it with --max-nodes)\"" &&
	wr-fetch-notes -p "$FAKE_PORT" --max-nodes 6 few >out 2>err &&
	test_json out "\"error\" not in recs[0]" &&
	test_expect_code 2 wr-fetch-notes --max-nodes 0 few 2>err &&
	test_must_contain "invalid --max-nodes" err
'

test_expect_success '--max-record-bytes: a record whose nodes pass the bound fails closed' '
	python3 -c "
import json
json.dump({\"sessions\": {\"big\": {\"steps\": [
    {\"label\": \"P1\", \"notes\": \"x\" * 3000},
    {\"label\": \"P2\", \"notes\": \"LGTM\", \"artifacts\": [{\"kind\": \"k\"}]}]}}}, open(\"big.json\", \"w\"))
" &&
	start_fake_workrail "$TRASH/big.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" --max-record-bytes 2K big >out 2>err &&
	test_json out <<-EOF &&
	recs[0]["error"] == "the record is larger than --max-record-bytes 2K (raise it with --max-record-bytes)"
	recs[0]["recapMarkdown"] is None and recs[0]["artifacts"] == []
	EOF
	test_must_contain "session big: the record is larger than --max-record-bytes 2K" err &&
	wr-fetch-notes -p "$FAKE_PORT" --max-record-bytes 64K big >out 2>err &&
	test_json out "recs[0][\"recapMarkdown\"] == \"LGTM\" and \"error\" not in recs[0]" &&
	test_expect_code 2 wr-fetch-notes --max-record-bytes lots big 2>err &&
	test_must_contain "invalid --max-record-bytes" err
'

test_expect_success_uninstrumented '--session-timeout: a slow session fails closed in time, the next is read' '
	cat >slow.json <<-\EOF &&
	{"sessions": {
	  "slow": {"steps": [{"label": "P1", "notes": "a", "delayMs": 1500},
	                     {"label": "P2", "notes": "LGTM", "delayMs": 1500}]},
	  "hang": {"fault": {"hang": true}},
	  "quick": {"notes": "LGTM"}}}
	EOF
	start_fake_workrail "$TRASH/slow.json" &&
	start=$(date +%s) &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" -j 1 --session-timeout 2 slow hang quick >out 2>err &&
	end=$(date +%s) &&
	test $((end - start)) -le 6 &&
	test_json out <<-EOF &&
	len(recs) == 3
	"the session took longer than --session-timeout 2 (raise it with --session-timeout)" in recs[0]["error"]
	recs[1]["error"] == "cannot read session: the session took longer than --session-timeout 2 (raise it with --session-timeout)"
	recs[2]["recapMarkdown"] == "LGTM" and "error" not in recs[2]
	EOF
	test_expect_code 2 wr-fetch-notes --session-timeout 0 slow 2>err &&
	test_must_contain "invalid --session-timeout" err
'

test_done
