#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-route: the decision table on records, --gate, --tsv, --trace, bad input.
. "$WR_SRCDIR/tests/lib.sh"

now_ms() {
	echo $(($(date +%s) * 1000))
}

cat >classified.ndjson <<'JSON'
{"session":"s1","pr":1,"title":"a","outcome":"success","severity":"clean","source":"artifact","findings":[],"extra":{"kept":true}}
{"session":"s2","pr":2,"outcome":"success","severity":"minor","findings":["Missing test","Typo in log","Rename x","Fourth"]}
{"session":"s3","pr":3,"outcome":"success","severity":"blocking","findings":["SQL injection"]}
{"session":"s4","pr":4,"outcome":"failed","severity":"clean"}
{"session":"s5","pr":5,"error":"fetch failed: HTTP 500","severity":"clean"}
{"session":"s6","pr":6,"outcome":"success","severity":"minor","passCount":3}
{"session":"s7","pr":7,"outcome":"success"}
JSON

test_expect_success '--help and --version' '
	wr-route --help >out && test_must_contain "--max-passes N" out &&
	wr-route --version >out && test_must_contain "^wr-route \(wrkit\)" out
'

test_expect_success 'bad options exit 2' '
	test_expect_code 2 wr-route --max-passes -1 </dev/null 2>err &&
	test_must_contain "invalid --max-passes" err &&
	test_expect_code 2 wr-route --max-runtime 1.5h </dev/null 2>err &&
	test_must_contain "invalid --max-runtime" err &&
	test_expect_code 2 wr-route --started-at yesterday </dev/null 2>err &&
	test_expect_code 2 wr-route --tsv "" </dev/null 2>err &&
	test_expect_code 2 wr-route nope.ndjson 2>err &&
	test_must_contain "nope.ndjson: cannot open" err
'

test_expect_success 'the decision table, record by record, fields passed through' '
	wr-route classified.ndjson >out &&
	cat >expect <<-\EOT &&
	{"session":"s1","pr":1,"title":"a","outcome":"success","severity":"clean","source":"artifact","findings":[],"extra":{"kept":true},"action":"merge","reason":"clean","passCount":0}
	{"session":"s2","pr":2,"outcome":"success","severity":"minor","findings":["Missing test","Typo in log","Rename x","Fourth"],"action":"fix","reason":"minor: fix pass 1 of 3","passCount":1,"goal":"Fix review findings in PR #2: Missing test; Typo in log; Rename x"}
	{"session":"s3","pr":3,"outcome":"success","severity":"blocking","findings":["SQL injection"],"action":"escalate","reason":"severity: blocking","passCount":0}
	{"session":"s4","pr":4,"outcome":"failed","severity":"clean","action":"escalate","reason":"session failed","passCount":0}
	{"session":"s5","pr":5,"error":"fetch failed: HTTP 500","severity":"clean","action":"escalate","reason":"fetch failed: HTTP 500","passCount":0}
	{"session":"s6","pr":6,"outcome":"success","severity":"minor","passCount":3,"action":"escalate","reason":"3 fix passes exhausted"}
	{"session":"s7","pr":7,"outcome":"success","action":"escalate","reason":"severity: unknown","passCount":0}
	EOT
	test_cmp expect out
'

test_expect_success '--max-passes moves the limit' '
	echo "{\"severity\":\"minor\",\"passCount\":3}" | wr-route --max-passes 4 >out &&
	test_must_contain "\"passCount\":4,\"action\":\"fix\"" out &&
	echo "{\"severity\":\"minor\"}" | wr-route --max-passes 0 >out &&
	test_must_contain "\"reason\":\"0 fix passes exhausted\"" out
'

test_expect_success 'the wall-clock rule stops fixes and gives the real elapsed time' '
	start=$(( $(now_ms) - 75 * 60000 )) &&
	echo "{\"severity\":\"minor\",\"pr\":9}" | wr-route --started-at $start >out &&
	test_must_contain "\"action\":\"escalate\",\"reason\":\"coordinator elapsed > 70 minutes \(75 minutes\)\"" out &&
	echo "{\"severity\":\"minor\",\"pr\":9}" | wr-route --started-at $start --max-runtime 2h >out &&
	test_must_contain "\"action\":\"fix\"" out &&
	echo "{\"severity\":\"minor\",\"pr\":9}" | wr-route --started-at $(now_ms) --max-runtime 30m >out &&
	test_must_contain "\"action\":\"fix\"" out
'

test_expect_success '--gate opens only when every record merges' '
	head -n 1 classified.ndjson | wr-route --gate >out &&
	test_line_count = 1 out &&
	test_expect_code 1 wr-route --gate classified.ndjson >out 2>err &&
	test_must_contain "gate closed: 6 of 7 records do not route to merge" err &&
	test_line_count = 7 out
'

test_expect_success '--gate: no record at all closes the gate' '
	test_expect_code 1 wr-route --gate </dev/null >out 2>err &&
	test_must_contain "gate closed: no record to route" err &&
	printf "\n\n" | test_expect_code 1 wr-route --gate 2>err
'

test_expect_success 'a malformed line yields an escalating record and exit 1; the rest is routed' '
	{
		echo "{\"severity\":\"clean\"}" &&
		echo "{\"severity\":" &&
		printf "{\"severity\":\"cl\377ean\"}\n" &&
		echo "[\"not a record\"]" &&
		echo "{\"severity\":\"clean\"}"
	} >mixed.ndjson &&
	test_expect_code 1 wr-route mixed.ndjson >out 2>err &&
	test_line_count = 5 out &&
	test_must_contain "^\{\"error\":\"mixed.ndjson:2: column 13: truncated JSON.*\"action\":\"escalate\"" out &&
	test_must_contain "mixed.ndjson:3: column 16: invalid UTF-8" out &&
	test_must_contain "mixed.ndjson:4: a record must be a JSON object" out &&
	test_must_contain "^wr-route: mixed.ndjson:2: " err &&
	test_expect_code 1 wr-route --gate mixed.ndjson >/dev/null 2>&1
'

test_expect_success 'a record over the size limit closes the gate' '
	printf "{\"severity\":\"clean\",\"pad\":\"%0500d\"}\n" 0 >big.ndjson &&
	test_expect_code 1 wr-route --gate --max-bytes 100 big.ndjson >out 2>err &&
	test_must_contain "larger than the size limit of 100 bytes \(raise it with --max-bytes\)" err
'

test_expect_success '--tsv prints the chosen fields, one line per record, control characters as spaces' '
	cat >t.ndjson <<-\EOT &&
	{"pr":5,"title":"tab\there\nnew line \\ back; $(touch pwned)","severity":"clean"}
	EOT
	wr-route --trust-notes --tsv pr,action,title,missing,passCount t.ndjson >out &&
	cat >expect <<-\EOT &&
	5	merge	tab here new line \ back; $(touch pwned)		0
	EOT
	test_cmp expect out &&
	test_must_fail test -e pwned
'

test_expect_success '--trace writes one [TRACE] line per record to stderr' '
	start=$(( $(now_ms) - 1000 )) &&
	head -n 4 classified.ndjson | wr-route --trace --started-at $start >out 2>err &&
	test_line_count = 4 err &&
	test_must_contain "^\[TRACE\] \{\"childSessionId\":\"s4\",\"outcome\":\"failed\",\"elapsedMs\":[0-9]+,\"severity\":\"clean\",\"action\":\"escalate\"\}$" err
'

test_expect_success_uninstrumented 'records stream: each is written as soon as it is routed' '
	mkfifo in
	( exec 3>in; echo "{\"severity\":\"clean\"}" >&3; sleep 2; echo "{\"severity\":\"clean\"}" >&3 ) &
	wr-route <in >out &
	sleep 1
	test_line_count = 1 out
	wait
'

test_expect_success 'option values out of range exit 2 and route nothing' '
	echo "{\"severity\":\"clean\",\"source\":\"artifact\"}" >one.ndjson &&
	future=$(( $(now_ms) + 3600000 )) &&
	test_expect_code 2 wr-route --started-at $future one.ndjson >out 2>err &&
	test_must_contain "invalid --started-at .*: in the future" err &&
	test_line_count = 0 out &&
	test_expect_code 2 wr-route --max-runtime 0 one.ndjson >out 2>err &&
	test_must_contain "invalid --max-runtime" err &&
	test_expect_code 2 wr-route --max-runtime 9999h one.ndjson >out 2>err &&
	test_expect_code 2 wr-route --max-passes 1001 one.ndjson >out 2>err &&
	test_must_contain "invalid --max-passes" err &&
	test_expect_code 2 wr-route --gate --expect 0 one.ndjson >out 2>err &&
	test_must_contain "invalid --expect" err &&
	test_expect_code 2 wr-route --gate --expect x one.ndjson >out 2>err &&
	test_expect_code 2 wr-route --expect 1 one.ndjson >out 2>err &&
	test_must_contain "--expect needs --gate" err
'

test_expect_success 'an error key with any value escalates: "error": null never merges' '
	cat >err.ndjson <<-\EOT &&
	{"session":"a","severity":"clean","source":"artifact","error":null}
	{"session":"b","severity":"clean","source":"artifact","error":""}
	{"session":"c","severity":"clean","source":"artifact","error":{"code":1}}
	EOT
	test_expect_code 1 wr-route --gate err.ndjson >out 2>err &&
	test_must_contain "gate closed: 3 of 3 records do not route to merge" err &&
	test_must_contain "\"session\":\"a\".*\"action\":\"escalate\",\"reason\":\"error: null\"" out &&
	test_must_contain "\"session\":\"b\".*\"action\":\"escalate\",\"reason\":\"error: \\\\\"\\\\\"\"" out &&
	test_must_contain "\"session\":\"c\".*\"action\":\"escalate\"" out
'

test_expect_success 'clean from the notes alone escalates unless --trust-notes' '
	cat >notes.ndjson <<-\EOT &&
	{"session":"a","outcome":"success","severity":"clean","source":"keyword_scan"}
	EOT
	test_expect_code 1 wr-route --gate notes.ndjson >out 2>err &&
	test_must_contain "\"reason\":\"clean by notes only: no verdict artifact \(--trust-notes merges these\)\"" out &&
	wr-route --gate --trust-notes notes.ndjson >out &&
	test_must_contain "\"action\":\"merge\"" out &&
	echo "{\"session\":\"a\",\"severity\":\"CLEAN\",\"source\":\"artifact\"}" |
		test_expect_code 1 wr-route --gate --trust-notes >out 2>err &&
	test_must_contain "severity: unknown" out
'

test_expect_success '--expect: the gate needs exactly N records of N distinct sessions' '
	for s in a b c; do
		echo "{\"session\":\"$s\",\"severity\":\"clean\",\"source\":\"artifact\"}"
	done >three.ndjson &&
	wr-route --gate --expect 3 three.ndjson >out &&
	test_line_count = 3 out &&
	head -n 2 three.ndjson >two.ndjson &&
	test_expect_code 1 wr-route --gate --expect 3 two.ndjson >out 2>err &&
	test_must_contain "gate closed: expected 3 records of as many sessions, read 2 records of 2 sessions" err &&
	test_expect_code 1 wr-route --gate --expect 2 three.ndjson >out 2>err &&
	{ cat two.ndjson && head -n 1 three.ndjson; } >dup.ndjson &&
	test_expect_code 1 wr-route --gate --expect 3 dup.ndjson >out 2>err &&
	test_must_contain "read 3 records of 2 sessions" err &&
	{ cat two.ndjson && echo "{\"severity\":\"clean\",\"source\":\"artifact\"}"; } >nosession.ndjson &&
	test_expect_code 1 wr-route --gate --expect 3 nosession.ndjson >out 2>err &&
	test_must_contain "1 of 3 records carry no session" err
'

test_expect_success 'a failed write exits 2 and never opens the gate' '
	test -w /dev/full || { echo "# no /dev/full: skipped"; exit 0; }
	test_expect_code 2 wr-route --gate --expect 3 three.ndjson >/dev/full 2>err &&
	test_must_contain "write error" err &&
	test_expect_code 2 wr-route classified.ndjson >/dev/full 2>err
'

test_expect_success 'the one error rule across stages: degraded whatever its value, appended, never dropped' '
	v="{\"kind\":\"wr.review_verdict\",\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[],\"summary\":\"ok\"}" &&
	echo "{\"session\":\"a\",\"error\":null,\"recapMarkdown\":\"LGTM\",\"artifacts\":[$v]}" >in.ndjson &&
	wr-classify in.ndjson >classified 2>err || : &&
	test_must_contain "\"severity\":\"unknown\",\"source\":\"none\"" classified &&
	test_must_contain "\"error\":null" classified &&
	test_expect_code 1 wr-route --gate --expect 1 classified >out 2>err &&
	test_must_contain "\"reason\":\"error: null\"" out &&
	echo "{\"session\":\"b\",\"error\":\"fetch: A\",\"recapMarkdown\":7}" >bad.ndjson &&
	wr-classify bad.ndjson >classified 2>err || : &&
	test_must_contain "\"error\":\"fetch: A; bad.ndjson:1: session b: recapMarkdown is not a string or null\"" classified
'

test_done
