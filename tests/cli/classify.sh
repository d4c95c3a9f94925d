#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-classify: records in and out, -m, bad input, exit codes, the artifact tier.
. "$WR_SRCDIR/tests/lib.sh"
# evidence is checked by its own tests below and in the unit tests; these compare the
# rest of each record byte for byte
drop_evidence() { sed 's/,"evidence":\[{"tier":"[a-z_]*","line":[0-9]*,"text":"[^"]*"}\(,{"tier":"[a-z_]*","line":[0-9]*,"text":"[^"]*"}\)*\]//; s/,"evidence":\[\]//' "$1" >"$1.noev" && mv "$1.noev" "$1"; }

VERDICT='{"kind":"wr.review_verdict","verdict":"minor","confidence":"medium","findings":[{"severity":"minor","summary":"Missing test for empty cache"}],"summary":"One minor issue"}'

test_expect_success '--help and --version exit 0' '
	wr-classify --help >out &&
	test_must_contain "^Usage: wr-classify" out &&
	test_must_contain "--markdown" out &&
	test_must_contain "--max-bytes" out &&
	wr-classify --version >out &&
	test_must_contain "^wr-classify \(wrkit\) [0-9]" out
'

test_expect_success 'bad options exit 2 with a hint, and classify nothing' '
	echo "{\"recapMarkdown\":\"LGTM\"}" >in.ndjson &&
	test_expect_code 2 wr-classify --bogus in.ndjson >out 2>err &&
	test_must_contain "Try .wr-classify --help." err &&
	test_line_count = 0 out &&
	test_expect_code 2 wr-classify --max-bytes lots in.ndjson 2>err &&
	test_must_contain "invalid --max-bytes" err &&
	test_expect_code 2 wr-classify --max-depth 0 in.ndjson 2>err &&
	test_must_contain "invalid --max-depth" err
'

test_expect_success 'records: fields pass through in order, ours are added' '
	cat >in.ndjson <<-\EOF &&
	{"session":"s1","pr":12,"title":"Add cache","recapMarkdown":"Final recommendation: APPROVE\nCritical: 0 / Major: 0 / Minor: 0 / Nit: 0","artifacts":[],"x":{"nested":[1,2.5,null,"\u00e9"]}}
	{"session":"s2","recapMarkdown":"REQUEST CHANGES\n1. [Major] cache never invalidated","extra":true}
	{"session":"s3","recapMarkdown":null}
	EOF
	wr-classify in.ndjson >out 2>err &&
	cat >expect <<-\EOF &&
	{"session":"s1","pr":12,"title":"Add cache","recapMarkdown":"Final recommendation: APPROVE\nCritical: 0 / Major: 0 / Minor: 0 / Nit: 0","artifacts":[],"x":{"nested":[1,2.5,null,"\u00e9"]},"severity":"clean","source":"keyword_scan","findings":[],"confidence":null}
	{"session":"s2","recapMarkdown":"REQUEST CHANGES\n1. [Major] cache never invalidated","extra":true,"severity":"blocking","source":"keyword_scan","findings":["[Major] cache never invalidated"],"confidence":null}
	{"session":"s3","recapMarkdown":null,"severity":"unknown","source":"none","findings":[],"confidence":null}
	EOF
	drop_evidence out && test_cmp expect out &&
	test_line_count = 0 err
'

test_expect_success 'records: what a record has passes through byte for byte' '
	printf "%s\n" "{ \"n\" : 1.50e0 , \"s\":\"\\u00e9\\/\" ,\"recapMarkdown\":\"LGTM\" }  " "{}" >in.ndjson &&
	wr-classify in.ndjson >out &&
	cat >expect <<-\EOF &&
	{ "n" : 1.50e0 , "s":"\u00e9\/" ,"recapMarkdown":"LGTM" ,"severity":"clean","source":"keyword_scan","findings":[],"confidence":null}
	{"severity":"unknown","source":"none","findings":[],"confidence":null}
	EOF
	drop_evidence out && test_cmp expect out
'

test_expect_success 'records: our fields are replaced where they stand' '
	echo "{\"severity\":\"clean\",\"session\":\"s\",\"findings\":[\"stale\"],\"confidence\":\"high\",\"source\":\"artifact\",\"recapMarkdown\":\"NIT: name\"}" >in.ndjson &&
	wr-classify <in.ndjson >out &&
	echo "{\"severity\":\"minor\",\"session\":\"s\",\"findings\":[],\"confidence\":null,\"source\":\"keyword_scan\",\"recapMarkdown\":\"NIT: name\"}" >expect &&
	drop_evidence out && test_cmp expect out
'

test_expect_success 'records from standard input, named -; blank lines are skipped' '
	printf "{\"recapMarkdown\":\"LGTM\"}\n\n   \n{\"recapMarkdown\":\"BLOCKING: x\"}\n" >in.ndjson &&
	wr-classify - <in.ndjson >out &&
	test_line_count = 2 out &&
	test_must_contain "\"severity\":\"clean\"" out &&
	test_must_contain "\"severity\":\"blocking\"" out
'

test_expect_success 'bad lines fail closed, name the line, and the stream goes on' '
	printf "%s\n" "{\"session\":\"a\",\"recapMarkdown\":\"LGTM\"}" "{not json" "[1,2]" \
		"{\"recapMarkdown\":\"LGTM\"" "{\"session\":\"b\",\"recapMarkdown\":\"NIT: x\"}" >in.ndjson &&
	printf "{\"recapMarkdown\":\"\377\"}\n" >>in.ndjson &&
	printf "{\"recapMarkdown\":\"a\000b\"}\n" >>in.ndjson &&
	echo "{\"session\":\"c\",\"recapMarkdown\":\"LGTM\"}" >>in.ndjson &&
	test_expect_code 1 wr-classify in.ndjson >out 2>err &&
	test_line_count = 8 out &&
	sed -n 1p out | grep -q "\"session\":\"a\".*\"severity\":\"clean\"" &&
	sed -n 2p out | grep -q "^{\"severity\":\"unknown\",\"source\":\"none\",\"findings\":\[\],\"confidence\":null,\"evidence\":\[{\"tier\":\"none\",\"line\":0,\"text\":\"[^\"]*\"}\],\"error\":\"in.ndjson:2: column 2: " &&
	sed -n 3p out | grep -q "\"error\":\"in.ndjson:3: a record must be a JSON object\"" &&
	sed -n 4p out | grep -q "\"error\":\"in.ndjson:4: " &&
	sed -n 5p out | grep -q "\"session\":\"b\".*\"severity\":\"minor\"" &&
	sed -n 6p out | grep -q "\"error\":\"in.ndjson:6: .*UTF-8" &&
	sed -n 7p out | grep -q "\"error\":\"in.ndjson:7: .*NUL" &&
	sed -n 8p out | grep -q "\"session\":\"c\".*\"severity\":\"clean\"" &&
	test_line_count = 5 err &&
	test_must_contain "^wr-classify: in.ndjson:2: column 2: " err &&
	test_must_contain "^wr-classify: in.ndjson:3: a record must be a JSON object" err
'

test_expect_success 'a line over --max-bytes fails closed and says how to raise the limit' '
	echo "{\"recapMarkdown\":\"LGTM, and a long tail of words\"}" >in.ndjson &&
	echo "{\"recapMarkdown\":\"NIT\"}" >>in.ndjson &&
	test_expect_code 1 wr-classify --max-bytes 30 in.ndjson >out 2>err &&
	test_line_count = 2 out &&
	sed -n 1p out | grep -q "\"severity\":\"unknown\".*\"error\":\"in.ndjson:1: .*size limit of 30 bytes (raise it with --max-bytes)\"" &&
	sed -n 2p out | grep -q "\"severity\":\"minor\"" &&
	test_must_contain "raise it with --max-bytes" err
'

test_expect_success 'a record nested deeper than --max-depth fails closed' '
	echo "{\"recapMarkdown\":\"LGTM\",\"x\":[[[[1]]]]}" >in.ndjson &&
	test_expect_code 1 wr-classify --max-depth 3 in.ndjson >out 2>err &&
	test_must_contain "\"severity\":\"unknown\"" out &&
	test_must_contain "raise it with --max-depth" err
'

test_expect_success 'recapMarkdown or artifacts of the wrong type fail closed' '
	printf "%s\n" "{\"session\":\"s9\",\"recapMarkdown\":42}" "{\"recapMarkdown\":\"LGTM\",\"artifacts\":{}}" >in.ndjson &&
	test_expect_code 1 wr-classify in.ndjson >out 2>err &&
	cat >expect <<-\EOF &&
	{"session":"s9","recapMarkdown":42,"severity":"unknown","source":"none","findings":[],"confidence":null,"error":"in.ndjson:1: session s9: recapMarkdown is not a string or null"}
	{"recapMarkdown":"LGTM","artifacts":{},"severity":"unknown","source":"none","findings":[],"confidence":null,"error":"in.ndjson:2: artifacts is not an array or null"}
	EOF
	drop_evidence out && test_cmp expect out &&
	test_must_contain "^wr-classify: in.ndjson:1: session s9: recapMarkdown is not a string or null$" err
'

test_expect_success 'an earlier stage'\''s error passes through unchanged' '
	echo "{\"session\":\"s\",\"recapMarkdown\":null,\"artifacts\":[],\"error\":\"fetch failed: HTTP 500\"}" >in.ndjson &&
	wr-classify in.ndjson >out &&
	echo "{\"session\":\"s\",\"recapMarkdown\":null,\"artifacts\":[],\"error\":\"fetch failed: HTTP 500\",\"severity\":\"unknown\",\"source\":\"none\",\"findings\":[],\"confidence\":null}" >expect &&
	drop_evidence out && test_cmp expect out
'

test_expect_success 'artifact tier: a wrapped verdict decides over the notes' '
	echo "{\"session\":\"s1\",\"recapMarkdown\":\"Handoff written.\",\"artifacts\":[{\"sha256\":\"sha256:eeaf\",\"contentType\":\"application/json\",\"byteLength\":171,\"content\":$VERDICT}]}" >in.ndjson &&
	wr-classify in.ndjson >out 2>err &&
	test_must_contain "\"severity\":\"minor\",\"source\":\"artifact\",\"findings\":\[\"Missing test for empty cache\"\],\"confidence\":\"medium\",\"evidence\":\[{\"tier\":\"artifact\"" out &&
	test_line_count = 0 err
'

test_expect_success 'artifact tier: an invalid verdict is unknown, never skipped, with a warning naming the session' '
	echo "{\"session\":\"sess-7\",\"recapMarkdown\":\"NIT: naming\",\"artifacts\":[{\"kind\":\"wr.review_verdict\",\"verdict\":\"maybe\",\"confidence\":\"medium\",\"findings\":[{\"severity\":\"minor\"}],\"summary\":\"x\"}]}" >in.ndjson &&
	wr-classify in.ndjson >out 2>err &&
	test_must_contain "\"severity\":\"unknown\",\"source\":\"artifact\"" out &&
	test_must_contain "\"evidence\":\[{\"tier\":\"artifact\",\"line\":0,\"text\":\"artifact 0 invalid: /verdict: " out &&
	test_line_count = 1 err &&
	test_must_contain "^wr-classify: in.ndjson:1: session sess-7: invalid wr.review_verdict artifact 0 .unknown.: /verdict: expected one of" err &&
	test_must_contain "/findings/0: missing required property \"summary\"" err
'

test_expect_success 'artifact tier: the real WorkRail 3.40 node' '
	node="$DATA/workrail/real-3.40/node-2-phase-6.json" &&
	sed -e "1s/^/{\"session\":\"real\",\"x\":/" -e "\$s/\$/}/" "$node" | tr -d "\n" >in.json &&
	python3 -c "import json,sys; d=json.load(open(\"in.json\"))[\"x\"][\"data\"]; print(json.dumps({\"session\":\"real\",\"recapMarkdown\":d[\"recapMarkdown\"],\"artifacts\":d[\"artifacts\"]}))" >in.ndjson &&
	wr-classify in.ndjson >out &&
	test_must_contain "\"severity\":\"minor\",\"source\":\"artifact\",\"findings\":\[\"Missing test for empty cache\"\],\"confidence\":\"medium\"" out
'

test_expect_success '-m: one record per notes file, named by file' '
	printf "Final recommendation: APPROVE with minor changes\nCritical: 0 / Major: 0 / Minor: 1 / Nit: 0\n\n1. Minor: missing test for the empty-cache path.\n" >a.md &&
	printf "I cannot approve this.\n" >b.md &&
	: >empty.md &&
	wr-classify -m a.md b.md empty.md >out 2>err &&
	cat >expect <<-\EOF &&
	{"file":"a.md","severity":"minor","source":"keyword_scan","findings":["Minor: missing test for the empty-cache path."],"confidence":null}
	{"file":"b.md","severity":"blocking","source":"keyword_scan","findings":[],"confidence":null}
	{"file":"empty.md","severity":"unknown","source":"none","findings":[],"confidence":null}
	EOF
	drop_evidence out && test_cmp expect out &&
	test_line_count = 0 err
'

test_expect_success '-m: standard input, and a JSON block in the notes' '
	printf "LGTM\n\n\`\`\`json\n{\"recommendation\":\"blocking\",\"findings\":[{\"severity\":\"critical\",\"summary\":\"Token logged\"}],\"confidence\":\"high\"}\n\`\`\`\n" |
		wr-classify --markdown >out &&
	echo "{\"file\":\"-\",\"severity\":\"blocking\",\"source\":\"notes_json\",\"findings\":[\"Token logged\"],\"confidence\":\"high\"}" >expect &&
	drop_evidence out && test_cmp expect out
'

test_expect_success '-m: notes that are not UTF-8 or hold NUL fail closed, valid JSON out' '
	printf "LGTM \377\376\n" >bad.md &&
	printf "LGTM\000BLOCKING\n" >nul.md &&
	printf "LGTM\n" >good.md &&
	test_expect_code 1 wr-classify -m bad.md nul.md good.md >out 2>err &&
	test_line_count = 3 out &&
	python3 -c "import json,sys; [json.loads(l) for l in open(\"out\")]" &&
	sed -n 1p out | grep -q "^{\"file\":\"bad.md\",\"severity\":\"unknown\",\"source\":\"none\",\"findings\":\[\],\"confidence\":null,\"evidence\":\[{\"tier\":\"none\",\"line\":0,\"text\":\"[^\"]*\"}\],\"error\":\"bad.md: notes are not valid UTF-8 (byte offset 5)\"}$" &&
	sed -n 2p out | grep -q "\"error\":\"nul.md: notes hold a NUL byte at offset 4\"" &&
	sed -n 3p out | grep -q "\"severity\":\"clean\"" &&
	test_must_contain "^wr-classify: bad.md: notes are not valid UTF-8" err
'

test_expect_success '-m: a file over --max-bytes fails closed' '
	printf "LGTM and more words here\n" >long.md &&
	test_expect_code 1 wr-classify -m --max-bytes 8 long.md >out 2>err &&
	test_must_contain "\"file\":\"long.md\",\"severity\":\"unknown\".*size limit of 8 bytes \(raise it with --max-bytes\)" out &&
	test_must_contain "raise it with --max-bytes" err
'

test_expect_success 'an unreadable file: exit 2, the other files are still classified' '
	echo "{\"recapMarkdown\":\"LGTM\"}" >in.ndjson &&
	test_expect_code 2 wr-classify missing.ndjson in.ndjson >out 2>err &&
	test_must_contain "^wr-classify: missing.ndjson: cannot open: " err &&
	test_line_count = 1 out &&
	printf "LGTM\n" >a.md &&
	test_expect_code 2 wr-classify -m missing.md a.md >out 2>err &&
	test_line_count = 2 out &&
	sed -n 1p out | grep -q "^{\"file\":\"missing.md\",\"severity\":\"unknown\",.*\"error\":\"missing.md: cannot open: " &&
	sed -n 2p out | grep -q "\"severity\":\"clean\"" &&
	mkdir dir.md &&
	test_expect_code 2 wr-classify -m dir.md >out 2>err &&
	test_must_contain "\"severity\":\"unknown\"" out
'

test_expect_success 'a write error exits 2' '
	if ! test -w /dev/full; then echo "no /dev/full: skipped"; exit 0; fi
	echo "{\"recapMarkdown\":\"LGTM\"}" >in.ndjson &&
	test_expect_code 2 wr-classify in.ndjson >/dev/full 2>err &&
	test_must_contain "write error" err
'

test_expect_success 'records stream: each is written before the next is read' '
	rm -f stream.fifo stream.out &&
	mkfifo stream.fifo &&
	{ wr-classify <stream.fifo >stream.out 2>stream.err & } &&
	pid=$! &&
	exec 3>stream.fifo &&
	echo "{\"recapMarkdown\":\"LGTM\"}" >&3 &&
	n=0 &&
	while ! test -s stream.out && test $n -lt 100; do sleep 0.1; n=$((n + 1)); done &&
	first=$(cat stream.out) &&
	echo "{\"recapMarkdown\":\"NIT\"}" >&3 &&
	exec 3>&- &&
	wait $pid &&
	case $first in *"\"severity\":\"clean\""*) ;; *) echo "nothing out before the input ended"; false ;; esac &&
	test_line_count = 2 stream.out
'

test_expect_success 'every public example, through the program' '
	f="$WR_SRCDIR/tests/data/classify/examples.json" &&
	python3 - "$f" >in.ndjson <<-\EOF &&
	import json, sys
	for c in json.load(open(sys.argv[1])):
	    print(json.dumps({"recapMarkdown": c["notes"], "expect": c["expect"]}))
	EOF
	wr-classify in.ndjson >out &&
	python3 - <<-\EOF
	import json
	for line in open("out"):
	    r = json.loads(line)
	    assert r["severity"] in r["expect"], r
	EOF
'

test_expect_success '--explain says what decided on standard error, stdout unchanged' '
	printf "%s\n" "{\"session\":\"e1\",\"recapMarkdown\":\"Approved.\\nBLOCKING: the token is logged.\"}" >in &&
	wr-classify in >plain &&
	wr-classify --explain in >out 2>err &&
	test_cmp plain out &&
	test_must_contain "^wr-classify: in:1: session e1: blocking .source keyword_scan., because:$" err &&
	test_must_contain "^wr-classify: in:1: session e1:   \[keyword_scan, line 2\] BLOCKING: the token is logged.$" err
'

test_expect_success 'every record carries its evidence' '
	printf "%s\n" "{\"recapMarkdown\":\"LGTM once the flag is off.\"}" >in &&
	wr-classify in >out &&
	test_must_contain "\"evidence\":\[{\"tier\":\"keyword_scan\",\"line\":1," out &&
	test_must_contain "\"severity\":\"minor\"" out
'
test_done
