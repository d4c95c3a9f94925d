#!/bin/sh
# SPDX-License-Identifier: MIT
# wrkit against the real responses of WorkRail 3.121.0 (tests/data/workrail/real-3.121/),
# replayed by the fake daemon: each captured session through
# wr-fetch-notes | wr-classify | wr-route --gate, port discovery from the 3.121 lock
# file, and the issue that opened the gate: a 3.121 blocking verdict whose findings carry
# enrichment fields, beside notes that say "LGTM, approve".
. "$WR_SRCDIR/tests/lib.sh"
. "$WR_SRCDIR/tests/lib-workrail.sh"

REAL=$WR_SRCDIR/tests/data/workrail/real-3.121
cat >captured.json <<EOF
{"captured": ["$REAL"], "unknownSession": 404}
EOF

# session_of NAME: the session id a capture was made for.
session_of() {
	sed -n 's|^ "request": "GET /api/v2/sessions/\([^"/]*\)",$|\1|p' "$REAL/$1.session.json"
}

# pipeline NAME [WR-CLASSIFY OPTION...]: the session through the whole pipeline, with the
# port from daemon-console.lock as WorkRail 3.121 writes it; fetch.out, classify.out,
# route.out, and gate.rc (the gate's exit code).
pipeline() {
	name=$1
	shift
	sid=$(session_of "$name") && test -n "$sid" &&
	mkdir -p home/.workrail &&
	sed "s/\"port\":[0-9]*/\"port\":$FAKE_PORT/" "$REAL/daemon-console.lock.json" \
		>home/.workrail/daemon-console.lock &&
	{ HOME=$TRASH/home wr-fetch-notes "$sid" >fetch.out 2>fetch.err; echo $? >fetch.rc; } &&
	wr-classify "$@" <fetch.out >classify.out &&
	{ wr-route --gate <classify.out >route.out 2>route.err; echo $? >gate.rc; }
}

test_expect_success 'the lock file is the real one: {"pid":...,"port":...}, no newline' '
	test "$(tail -c 1 "$REAL/daemon-console.lock.json")" = "}" &&
	test_json "$REAL/daemon-console.lock.json" "sorted(recs[0]) == [\"pid\", \"port\"]"
'

test_expect_success 'a_clean: the clean verdict artifact merges, no --trust-notes needed' '
	start_fake_workrail "$TRASH/captured.json" &&
	pipeline a_clean &&
	test "$(cat fetch.rc)" = 0 &&
	test_json fetch.out <<-\EOF &&
	recs[0]["recapMarkdown"].startswith("## Handoff\nFinal recommendation: APPROVE")
	[a["kind"] for a in recs[0]["artifacts"]] == ["wr.review_verdict"]
	recs[0]["artifacts"][0]["verdict"] == "clean"
	"error" not in recs[0]
	EOF
	test_json classify.out "recs[0][\"severity\"] == \"clean\" and recs[0][\"source\"] == \"artifact\"" &&
	test_json route.out "recs[0][\"action\"] == \"merge\"" &&
	test "$(cat gate.rc)" = 0 &&
	test_json "$FAKE_LOG" "len(recs) == 5"
'

test_expect_success 'b_blocking: the blocking verdict escalates, the gate stays closed' '
	start_fake_workrail "$TRASH/captured.json" &&
	pipeline b_blocking &&
	test "$(cat fetch.rc)" = 0 &&
	test_json classify.out "recs[0][\"severity\"] == \"blocking\" and recs[0][\"source\"] == \"artifact\"" &&
	test_json route.out "recs[0][\"action\"] == \"escalate\"" &&
	test "$(cat gate.rc)" = 1
'

test_expect_success 'c_minor: the minor verdict goes to a fix agent' '
	start_fake_workrail "$TRASH/captured.json" &&
	pipeline c_minor &&
	test_json classify.out "recs[0][\"severity\"] == \"minor\" and recs[0][\"source\"] == \"artifact\"" &&
	test_json route.out "recs[0][\"action\"] == \"fix\"" &&
	test "$(cat gate.rc)" = 1
'

test_expect_success 'd_notes_only: notes with "Critical: 1" and no artifact are not clean' '
	start_fake_workrail "$TRASH/captured.json" &&
	pipeline d_notes_only &&
	test_json fetch.out "recs[0][\"artifacts\"] == [] and \"error\" not in recs[0]" &&
	test_json classify.out "recs[0][\"severity\"] not in (\"clean\", \"minor\")" &&
	test_json route.out "recs[0][\"action\"] == \"escalate\"" &&
	test "$(cat gate.rc)" = 1
'

test_expect_success 'e_unfinished and f_invalid: a run still in progress is an error and escalates' '
	start_fake_workrail "$TRASH/captured.json" &&
	for s in e_unfinished f_invalid; do
		pipeline $s &&
		test "$(cat fetch.rc)" = 1 &&
		test_json fetch.out "\"in_progress\" in recs[0][\"error\"]" &&
		test_json classify.out "recs[0][\"severity\"] == \"unknown\"" &&
		test_json route.out "recs[0][\"action\"] == \"escalate\"" &&
		test "$(cat gate.rc)" = 1 || return 1
	done
'

test_expect_success 'g_two_artifacts: both artifacts are fetched; the minor verdict decides' '
	start_fake_workrail "$TRASH/captured.json" &&
	pipeline g_two_artifacts &&
	test_json fetch.out "sorted(a[\"kind\"] for a in recs[0][\"artifacts\"]) == [\"wr.loop_control\", \"wr.review_verdict\"]" &&
	test_json classify.out "recs[0][\"severity\"] == \"minor\" and recs[0][\"source\"] == \"artifact\"" &&
	test "$(cat gate.rc)" = 1
'

test_expect_success 'every captured artifact is valid under the 3.121 contracts' '
	for s in a_clean b_blocking c_minor g_two_artifacts; do
		python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[\"body\"][\"data\"]))" \
			"$REAL/$s.node3.json" >node.json &&
		wr-validate --workrail 3.121.0 node.json || return 1
	done
'

test_expect_success 'unknown sessions and nodes as 3.121 answers them fail closed' '
	start_fake_workrail "$TRASH/captured.json" &&
	test_expect_code 1 wr-fetch-notes -p "$FAKE_PORT" sess_d3rfp2jzrgfuptc2frbg4ngtam >out 2>err &&
	test_json out "recs[0][\"artifacts\"] == [] and recs[0][\"error\"]" &&
	wr-classify <out >cls &&
	test_json cls "recs[0][\"severity\"] == \"unknown\""
'

# The issue: WorkRail 3.121 asks for enrichment fields on each finding. A blocking
# verdict carrying them, beside notes that approve, must never merge.
ENRICHED='{"kind":"wr.review_verdict","verdict":"blocking","confidence":"high","findings":[{"severity":"critical","summary":"SQL injection in the user lookup","findingCategory":"security","file":"src/db/users.ts","startLine":42,"endLine":47,"causalLink":"the PR builds the query by concatenating the user name","remediation":"use a parameterised query"},{"severity":"major","summary":"Auth check skipped on the admin route","findingCategory":"correctness","file":"src/routes/admin.ts","startLine":10,"causalLink":"the middleware was removed","remediation":"restore requireAdmin"}],"summary":"Two blocking issues"}'
cat >enriched.json <<EOF
{"sessions": {"sess_enriched": {"steps": [
  {"label": "Phase 1: Review", "notes": "Looked at the user lookup"},
  {"label": "Phase 6: Final Handoff", "notes": "LGTM, approve", "artifacts": [$ENRICHED]}]}}}
EOF

test_expect_success 'an enriched blocking verdict beside "LGTM, approve" notes never merges' '
	start_fake_workrail "$TRASH/enriched.json" &&
	wr-fetch-notes -p "$FAKE_PORT" sess_enriched >fetch.out &&
	test_json fetch.out "recs[0][\"recapMarkdown\"] == \"LGTM, approve\" and recs[0][\"artifacts\"] == [$ENRICHED]" &&
	wr-validate -c wr.contracts.review_verdict fetch.out &&
	for how in "" "--workrail 3.121" "--workrail 3.121.0"; do
		wr-classify $how <fetch.out >classify.out &&
		test_json classify.out <<-\EOF &&
		recs[0]["severity"] == "blocking"
		recs[0]["source"] == "artifact"
		EOF
		test_expect_code 1 wr-route --gate <classify.out >route.out 2>/dev/null &&
		test_json route.out "recs[0][\"action\"] == \"escalate\"" || return 1
	done &&
	WRKIT_WORKRAIL=3.121.0 wr-classify <fetch.out >classify.out &&
	test_json classify.out "recs[0][\"severity\"] == \"blocking\" and recs[0][\"source\"] == \"artifact\""
'

test_expect_success 'the whole pipeline in one go, as the coordinator runs it' '
	start_fake_workrail "$TRASH/enriched.json" &&
	wr-fetch-notes -p "$FAKE_PORT" sess_enriched >fetched &&
	wr-classify <fetched >classified &&
	test_expect_code 1 wr-route --gate <classified >routed 2>err &&
	test_must_contain "gate closed" err
'

test_done
