#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-validate: every option, output format and exit code.
. "$WR_SRCDIR/tests/lib.sh"

cat >verdict.json <<'JSON'
{"kind":"wr.review_verdict","verdict":"minor","confidence":"medium","findings":[{"severity":"minor","summary":"Missing test for empty cache"}],"summary":"One minor issue"}
JSON
cat >node-data.json <<'JSON'
{"nodeId":"n2","recapMarkdown":"notes","artifacts":[{"sha256":"sha256:eeaf","contentType":"application/json","byteLength":171,"content":{"kind":"wr.review_verdict","verdict":"maybe","confidence":"medium","findings":[],"summary":"x"}}]}
JSON
cat >two-kinds.json <<'JSON'
[{"kind":"wr.loop_control","decision":"stop"},{"kind":"wr.coordinator_signal","signalKind":"blocked","payload":[]},{"kind":"something.else"}]
JSON

test_expect_success '--help and --version exit 0' '
	wr-validate --help >out &&
	test_must_contain "^Usage: wr-validate" out &&
	test_must_contain "--ref-dir URI=DIR" out &&
	wr-validate --version >out &&
	test_must_contain "^wr-validate \(wrkit\) [0-9]" out
'

test_expect_success 'bad options exit 2 with a hint' '
	test_expect_code 2 wr-validate --bogus verdict.json 2>err &&
	test_must_contain "Try .wr-validate --help." err &&
	test_expect_code 2 wr-validate -f yaml verdict.json 2>err &&
	test_must_contain "invalid --format" err &&
	test_expect_code 2 wr-validate -c wr.contracts.review_verdict -s x.json verdict.json 2>err &&
	test_must_contain "exclude each other" err &&
	test_expect_code 2 wr-validate --max-bytes lots verdict.json 2>err &&
	test_expect_code 2 wr-validate --max-depth 0 verdict.json 2>err &&
	test_expect_code 2 wr-validate --ref-dir nodir verdict.json 2>err &&
	test_must_contain "expected URI=DIR" err
'

test_expect_success 'a valid artifact: exit 0, nothing on stdout, a summary on stderr' '
	wr-validate -c wr.contracts.review_verdict verdict.json >out 2>err &&
	test_line_count = 0 out && test_line_count = 1 err &&
	test_must_contain "^wr-validate: 1 document: 1 valid, 0 invalid$" err &&
	wr-validate -q -c wr.contracts.review_verdict verdict.json >out 2>err &&
	test_line_count = 0 out && test_line_count = 0 err
'

test_expect_success 'an invalid wrapped artifact: exit 1, one text line per issue' '
	test_expect_code 1 wr-validate -c wr.contracts.review_verdict node-data.json >out &&
	cat >expect <<-\EOT &&
	node-data.json: INVALID_ARTIFACT_SCHEMA wr.contracts.review_verdict: /artifacts/0/content/verdict: expected one of "clean", "minor", "blocking", received "maybe"
	EOT
	test_cmp expect out
'

test_expect_success 'json format: one object per document' '
	test_expect_code 1 wr-validate -f json -c wr.contracts.review_verdict verdict.json node-data.json >out &&
	cat >expect <<-\EOT &&
	{"file":"verdict.json","valid":true,"contractRef":"wr.contracts.review_verdict"}
	{"file":"node-data.json","valid":false,"contractRef":"wr.contracts.review_verdict","error":{"code":"INVALID_ARTIFACT_SCHEMA","message":"1 issue","issues":[{"path":"/artifacts/0/content/verdict","message":"expected one of \"clean\", \"minor\", \"blocking\", received \"maybe\""}]}}
	EOT
	test_cmp expect out
'

test_expect_success 'github format: workflow commands, escaped' '
	printf "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"reason\":1}}" >"odd,name:1.json" &&
	test_expect_code 1 wr-validate -f github -c wr.contracts.loop_control "odd,name:1.json" >out &&
	cat >expect <<-\EOT &&
	::error file=odd%2Cname%3A1.json::INVALID_ARTIFACT_SCHEMA wr.contracts.loop_control: /metadata/reason: expected string, received integer 1
	::notice::wr-validate: 1 document: 0 valid, 1 invalid
	EOT
	test_cmp expect out
'

test_expect_success 'a document without the artifact: MISSING_REQUIRED_ARTIFACT, or valid with --optional' '
	echo "[{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}]" >loop.json &&
	test_expect_code 1 wr-validate -c wr.contracts.review_verdict loop.json >out &&
	test_must_contain "^loop.json: MISSING_REQUIRED_ARTIFACT wr.contracts.review_verdict: no artifact of kind wr.review_verdict$" out &&
	wr-validate --optional -c wr.contracts.review_verdict loop.json >out &&
	test_line_count = 0 out
'

test_expect_success 'an unknown contract reference: UNKNOWN_CONTRACT_REF, exit 2' '
	test_expect_code 2 wr-validate -c wr.contracts.nope verdict.json >out 2>err &&
	test_must_contain "^wr-validate: UNKNOWN_CONTRACT_REF: no contract is wr.contracts.nope" err &&
	test_line_count = 0 out
'

test_expect_success 'without -c: every artifact of a known kind is checked' '
	test_expect_code 1 wr-validate -f json two-kinds.json >out &&
	test_line_count = 1 out &&
	test_must_contain "\"artifacts\":\[{\"index\":0,\"valid\":true,\"contractRef\":\"wr.contracts.loop_control\"}" out &&
	test_must_contain "{\"index\":1,\"valid\":false,\"contractRef\":\"wr.contracts.coordinator_signal\".*\"path\":\"/1/payload\"" out &&
	test_must_contain "^{\"file\":\"two-kinds.json\",\"valid\":false,\"contractRef\":null,\"error\":{\"code\":\"INVALID_ARTIFACT_SCHEMA\"" out &&
	test_expect_code 1 wr-validate two-kinds.json >out &&
	test_must_contain "^two-kinds.json: INVALID_ARTIFACT_SCHEMA wr.contracts.coordinator_signal: /1/payload: expected object" out
'

test_expect_success 'without -c: a document with no known kind is not silently valid' '
	echo "{\"kind\":\"wr.review_verdikt\"}" >typo.json &&
	test_expect_code 1 wr-validate typo.json >out &&
	test_must_contain "MISSING_REQUIRED_ARTIFACT: no artifact of a known kind" out &&
	wr-validate --optional typo.json
'

test_expect_success '--list-contracts in text and json: the 3.121 set by default' '
	wr-validate --list-contracts >out &&
	test_line_count = 9 out &&
	test_must_contain "^wr.contracts.review_verdict	wr.review_verdict	3.121/review_verdict.json$" out &&
	test_must_contain "^wr.contracts.gate_verdict	wr.gate_verdict	3.121/gate_verdict.json$" out &&
	wr-validate --list-contracts -f json >out &&
	test_must_contain "^\{\"contractRef\":\"wr.contracts.assessment\",\"kind\":\"wr.assessment\"" out
'

test_expect_success '--workrail and WRKIT_WORKRAIL pick the contract set; the option wins' '
	for v in 3.40 3.40.0; do
		wr-validate --workrail $v --list-contracts >out &&
		test_line_count = 4 out &&
		test_must_contain "^wr.contracts.review_verdict	wr.review_verdict	3.40/review_verdict.json$" out ||
		return 1
	done &&
	WRKIT_WORKRAIL=3.40.0 wr-validate --list-contracts >out &&
	test_line_count = 4 out &&
	WRKIT_WORKRAIL=3.40 wr-validate --workrail 3.121.0 --list-contracts >out &&
	test_line_count = 9 out &&
	WRKIT_WORKRAIL= wr-validate --list-contracts >out &&
	test_line_count = 9 out &&
	echo "{\"kind\":\"wr.gate_verdict\",\"version\":1,\"verdict\":\"approved\",\"confidence\":\"high\",\"rationale\":\"meets every stated criterion\"}" >g.json &&
	wr-validate -c wr.contracts.gate_verdict g.json &&
	WRKIT_WORKRAIL=3.121 wr-validate -c wr.contracts.gate_verdict g.json &&
	test_expect_code 2 wr-validate --workrail 3.40 -c wr.contracts.gate_verdict g.json 2>err &&
	test_must_contain "UNKNOWN_CONTRACT_REF" err
'

test_expect_success 'an unknown WorkRail version: exit 2, one line listing the known ones' '
	for v in 3.99 3.121.1 4 "" v3.121; do
		test_expect_code 2 wr-validate --workrail "$v" --list-contracts >out 2>err &&
		test_line_count = 0 out &&
		test_line_count = 1 err &&
		test_must_contain "^wr-validate: unknown WorkRail version .*known: 3.40, 3.121 .default 3.121.$" err ||
		return 1
	done &&
	test_expect_code 2 env WRKIT_WORKRAIL=2.0 wr-validate g.json 2>err &&
	test_must_contain "unknown WorkRail version .2.0. .from WRKIT_WORKRAIL." err &&
	test_expect_code 2 wr-classify --workrail 3.99 </dev/null 2>err &&
	test_must_contain "^wr-classify: unknown WorkRail version .3.99. .from --workrail." err
'

test_expect_success 'adding a release is adding a folder: the build lists the folders by version' '
	mkdir -p rel/3.121 rel/3.40 rel/3.9 rel/10.0 rel/notes &&
	for d in 3.121 3.40 3.9 10.0 notes; do echo "{}" >rel/$d/a.json || return 1; done &&
	echo "{}" >rel/3.121/b.json &&
	sh "$WR_SRCDIR/mk/embed-releases.sh" R rel rel/3.121/a.json rel/3.121/b.json rel/3.40/a.json \
		rel/3.9/a.json rel/10.0/a.json rel/notes/a.json >out.c &&
	tr -d "\t\n" <out.c >flat &&
	test_must_contain "R\[\] = \{\"3.9\",\"3.40\",\"3.121\",\"10.0\",NULL\};const size_t R_count = 4;" flat
'

test_expect_success 'a 3.121 verdict with enrichment fields: valid under 3.121, invalid under 3.40' '
	cat >enriched.json <<-\EOT &&
	{"kind":"wr.review_verdict","verdict":"blocking","confidence":"high","findings":[{"severity":"critical","summary":"SQL injection","findingCategory":"security","file":"src/db.c","startLine":42,"endLine":44,"causalLink":"the PR builds the query from input","remediation":"bind parameters"}],"summary":"blocking"}
	EOT
	wr-validate -c wr.contracts.review_verdict enriched.json &&
	test_expect_code 1 wr-validate --workrail 3.40 -c wr.contracts.review_verdict enriched.json >out &&
	test_must_contain "/findings/0/findingCategory: property \"findingCategory\" is not allowed" out
'

test_expect_success '--schema-dir: a contract is one file, no code' '
	mkdir schemas &&
	cat >schemas/ticket.json <<-\EOT &&
	{"type":"object","properties":{"kind":{"const":"wr.ticket"},"id":{"type":"integer"}},"required":["id"],"additionalProperties":false}
	EOT
	wr-validate --schema-dir schemas --list-contracts >out &&
	test_must_contain "^wr.contracts.ticket	wr.ticket	schemas/ticket.json$" out &&
	echo "{\"kind\":\"wr.ticket\",\"id\":\"7\"}" >t.json &&
	test_expect_code 1 wr-validate --schema-dir schemas -c wr.contracts.ticket t.json >out &&
	test_must_contain "/id: expected integer, received string \"7\"" out &&
	wr-validate --schema-dir schemas -c wr.contracts.review_verdict verdict.json &&
	test_expect_code 2 wr-validate --schema-dir schemas -c wr.contracts.nothing verdict.json 2>err &&
	test_must_contain UNKNOWN_CONTRACT_REF err
'

test_expect_success '--schema-dir: a broken contract exits 2 naming the file' '
	mkdir broken &&
	echo "{\"properties\":{\"kind\":{\"const\":\"wr.x\"}},\"type\":\"strng\"}" >broken/x.json &&
	test_expect_code 2 wr-validate --schema-dir broken verdict.json 2>err &&
	test_must_contain "broken/x.json.*unknown type" err &&
	test_expect_code 2 wr-validate --schema-dir nowhere verdict.json 2>err &&
	test_must_contain "nowhere: cannot open schema directory" err
'

test_expect_success '-s: plain JSON Schema validation of whole documents' '
	echo "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}" >ints.json &&
	echo "[1,2,3]" >good.json && echo "[1,\"two\"]" >bad.json &&
	wr-validate -s ints.json good.json &&
	test_expect_code 1 wr-validate -s ints.json bad.json >out &&
	test_must_contain "^bad.json: INVALID_DOCUMENT: /1: expected integer, received string \"two\"$" out
'

test_expect_success '-s with --ref-dir resolves refs from files, never the network' '
	mkdir lib &&
	echo "{\"type\":\"string\",\"minLength\":2}" >lib/name.json &&
	echo "{\"properties\":{\"name\":{\"\$ref\":\"https://schemas.example.com/name.json\"}}}" >person.json &&
	echo "{\"name\":\"x\"}" >p.json &&
	test_expect_code 2 wr-validate -s person.json p.json 2>err &&
	test_must_contain "no schema is known as https://schemas.example.com/name.json.*--ref-dir" err &&
	test_expect_code 1 wr-validate -s person.json --ref-dir https://schemas.example.com/=lib p.json >out &&
	test_must_contain "/name: expected a string of at least 2 characters" out
'

test_expect_success '-s: a broken schema or an unreadable one exits 2' '
	echo "{\"minimum\":\"zero\"}" >broken.json &&
	test_expect_code 2 wr-validate -s broken.json good.json 2>err &&
	test_must_contain "broken.json: invalid schema at .*\"minimum\" must be a number" err &&
	test_expect_code 2 wr-validate -s missing.json good.json 2>err &&
	test_must_contain "missing.json: cannot open" err
'

test_expect_success 'an unreadable input file exits 2; the others are still checked' '
	test_expect_code 2 wr-validate -f json -c wr.contracts.review_verdict nope.json verdict.json >out 2>err &&
	test_must_contain "^wr-validate: nope.json: cannot open: No such file" err &&
	test_must_contain "\"file\":\"verdict.json\",\"valid\":true" out
'

test_expect_success 'standard input, as - or no FILE' '
	wr-validate -c wr.contracts.review_verdict <verdict.json &&
	wr-validate -c wr.contracts.review_verdict - <verdict.json &&
	test_expect_code 1 wr-validate -c wr.contracts.review_verdict <node-data.json >out &&
	test_must_contain "^-: INVALID_ARTIFACT_SCHEMA" out
'

test_expect_success 'bad input: malformed JSON names line and column' '
	printf "{\n  \"kind\": \"wr.loop_control\",\n  \"decision\" \"stop\"\n}\n" >malformed.json &&
	test_expect_code 1 wr-validate -c wr.contracts.loop_control malformed.json >out &&
	test_must_contain "^malformed.json: MALFORMED_DOCUMENT wr.contracts.loop_control: line 3, column 14: malformed JSON: expected .:. after an object key, found .\"." out
'

test_expect_success 'bad input: truncated, empty, invalid UTF-8, NUL byte' '
	printf "{\"kind\": \"wr.loop_co" >truncated.json &&
	: >empty.json &&
	printf "{\"kind\": \"wr.loop_control\", \"decision\": \"st\377p\"}" >latin1.json &&
	printf "{\"kind\": \"wr.loop_control\",\000 \"decision\": \"stop\"}" >nul.json &&
	test_expect_code 1 wr-validate -c wr.contracts.loop_control truncated.json empty.json latin1.json nul.json >out 2>err &&
	test_line_count = 4 out &&
	test_must_contain "^truncated.json: MALFORMED_DOCUMENT .*truncated JSON: input ends inside a string$" out &&
	test_must_contain "^empty.json: MALFORMED_DOCUMENT .*empty input" out &&
	test_must_contain "^latin1.json: MALFORMED_DOCUMENT .*line 1, column 44: invalid UTF-8 \(byte 0xFF\)$" out &&
	test_must_contain "^nul.json: MALFORMED_DOCUMENT .*line 1, column 28: NUL byte" out &&
	test_line_count = 1 err &&
	test_must_contain "4 documents: 0 valid, 4 invalid" err
'

test_expect_success 'bad input: over the size limit says which limit and how to raise it' '
	test_expect_code 1 wr-validate --max-bytes 100 -c wr.contracts.review_verdict verdict.json >out &&
	test_must_contain "larger than the size limit of 100 bytes \(raise it with --max-bytes\)" out &&
	wr-validate --max-bytes 1K -c wr.contracts.review_verdict verdict.json
'

test_expect_success 'bad input: nesting deeper than the limit' '
	printf "{\"kind\":\"wr.coordinator_signal\",\"signalKind\":\"progress\",\"payload\":{\"a\":[[[[1]]]]}}" >deep.json &&
	wr-validate -c wr.contracts.coordinator_signal deep.json &&
	test_expect_code 1 wr-validate --max-depth 4 -c wr.contracts.coordinator_signal deep.json >out &&
	test_must_contain "deeper than the depth limit of 4 \(raise it with --max-depth\)" out
'

test_expect_success '--ndjson: each line a document, line numbers, the stream goes on' '
	{
		echo "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}" &&
		echo "" &&
		echo "{\"kind\":\"wr.loop_control\",\"decision\":" &&
		printf "{\"kind\":\"wr.loop_control\",\"decision\":\"st\377p\"}\n" &&
		echo "[]" &&
		echo "{\"kind\":\"wr.loop_control\",\"decision\":\"go\"}" &&
		echo "{\"kind\":\"wr.loop_control\",\"decision\":\"continue\"}"
	} >stream.ndjson &&
	test_expect_code 1 wr-validate --ndjson -c wr.contracts.loop_control stream.ndjson >out &&
	cat >expect <<-\EOT &&
	stream.ndjson:3: MALFORMED_DOCUMENT wr.contracts.loop_control: column 38: truncated JSON: input ends where a value was expected
	stream.ndjson:4: MALFORMED_DOCUMENT wr.contracts.loop_control: column 41: invalid UTF-8 (byte 0xFF)
	stream.ndjson:5: MISSING_REQUIRED_ARTIFACT wr.contracts.loop_control: no artifact of kind wr.loop_control
	stream.ndjson:6: INVALID_ARTIFACT_SCHEMA wr.contracts.loop_control: /decision: expected one of "continue", "stop", received "go"
	EOT
	test_cmp expect out &&
	test_expect_code 1 wr-validate --ndjson -f json -c wr.contracts.loop_control stream.ndjson >out &&
	test_line_count = 6 out &&
	test_must_contain "^\{\"file\":\"stream.ndjson\",\"line\":7,\"valid\":true" out
'

test_expect_success '--ndjson: a line over the limit is refused and the next is checked' '
	{
		printf "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"metadata\":{\"reason\":\"%0300d\"}}\n" 0 &&
		echo "{\"kind\":\"wr.loop_control\",\"decision\":\"bad\"}"
	} >long.ndjson &&
	test_expect_code 1 wr-validate --ndjson --max-bytes 200 -c wr.contracts.loop_control long.ndjson >out &&
	test_must_contain "^long.ndjson:1: MALFORMED_DOCUMENT.*line is larger than the size limit of 200 bytes \(raise it with --max-bytes\)" out &&
	test_must_contain "^long.ndjson:2: INVALID_ARTIFACT_SCHEMA" out
'

test_expect_success_uninstrumented '--ndjson streams at constant memory' '
	line="{\"kind\":\"wr.review_verdict\",\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\",\"summary\":\"padding padding padding padding padding padding padding\"}],\"summary\":\"ok\"}" &&
	(
		# 300 MB of input under a 200 MB address-space limit: only streaming fits.
		ulimit -v 204800 &&
		yes "$line" | head -n 1800000 | wr-validate --ndjson -c wr.contracts.review_verdict
	)
'

test_expect_success 'exit status is the worst of all documents' '
	test_expect_code 1 wr-validate -c wr.contracts.review_verdict verdict.json node-data.json >/dev/null &&
	test_expect_code 2 wr-validate -c wr.contracts.review_verdict node-data.json nope.json >/dev/null 2>&1
'

test_done
