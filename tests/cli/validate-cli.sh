#!/bin/sh
# SPDX-License-Identifier: MIT
# wr-validate as a CI validator: formats, YAML, relative refs, namespaced kinds, additive
# schema directories, summaries, -r walks, escaping, -s codes, limits (issue #14).
. "$WR_SRCDIR/tests/lib.sh"

cat >when.json <<'JSON'
{"type":"object","properties":{"when":{"type":"string","format":"date-time"}}}
JSON
echo '{"when":"yesterday"}' >yesterday.json
echo '{"when":"2026-11-29T04:03:14Z"}' >today.json
mkdir acme
cat >acme/deploy_plan.json <<'JSON'
{"type":"object","properties":{"kind":{"const":"acme.deploy_plan"},"env":{"enum":["prod","staging"]}},"required":["kind","env"]}
JSON

test_expect_success '--format-assert: format is an annotation unless asked, and --help says so' '
	wr-validate -s when.json yesterday.json today.json >out 2>err &&
	test_line_count = 0 out &&
	test_expect_code 1 wr-validate --format-assert -s when.json yesterday.json today.json >out &&
	test_line_count = 1 out &&
	test_must_contain "^yesterday.json: INVALID_DOCUMENT: /when: expected a string in format date-time, received \"yesterday\"$" out &&
	wr-validate --help >out &&
	test_must_contain "format-assert" out &&
	test_must_contain "is only an annotation" out
'

test_expect_success '--format-assert: each listed format asserts' '
	for f in date-time date time duration email hostname ipv4 ipv6 uri uri-reference iri uuid regex json-pointer relative-json-pointer; do
		echo "{\"format\":\"$f\"}" >"f-$f.json" &&
		echo "\"not a [valid value\\\\\"" >bad-value.json &&
		test_expect_code 1 wr-validate -q --format-assert -s "f-$f.json" bad-value.json >out &&
		test_must_contain "in format $f" out || exit 1
	done &&
	echo "\"2020-02-29\"" >date.json &&
	wr-validate -q --format-assert -s f-date.json date.json &&
	echo "\"2021-02-29\"" >date.json &&
	test_expect_code 1 wr-validate -q --format-assert -s f-date.json date.json >out &&
	echo "{\"format\":\"idn-email\"}" >f-idn.json &&
	wr-validate -q --format-assert -s f-idn.json bad-value.json
'

test_expect_success 'YAML documents and YAML schemas, by name or --yaml' '
	cat >schema.yaml <<-\EOT &&
	type: object
	properties:
	  n: {type: integer, minimum: 0}
	  s: {type: string}
	required: [n]
	EOT
	printf "n: 3\ns: \"2020-01-01\"\n" >good.yaml &&
	printf "n: -1\ns: 12\n" >bad.YML &&
	test_expect_code 1 wr-validate -s schema.yaml good.yaml bad.YML >out 2>err &&
	test_line_count = 2 out &&
	test_must_contain "^bad.YML: INVALID_DOCUMENT: /n: expected a number >= 0, received -1$" out &&
	test_must_contain "^bad.YML: INVALID_DOCUMENT: /s: expected string, received integer 12$" out &&
	test_must_contain "2 documents: 1 valid, 1 invalid" err &&
	printf "n: 1\n" | wr-validate -q --yaml -s schema.yaml &&
	printf "n: 1\n" >notjson.txt &&
	test_expect_code 1 wr-validate -q -s schema.yaml notjson.txt >out &&
	test_must_contain "MALFORMED_DOCUMENT" out
'

test_expect_success 'YAML artifacts are checked against their contracts' '
	cat >verdict.yaml <<-\EOT &&
	kind: wr.review_verdict
	verdict: clean
	confidence: high
	findings: []
	summary: "No findings"
	EOT
	wr-validate -q verdict.yaml &&
	sed "s/clean/approve/" verdict.yaml >bad-verdict.yaml &&
	test_expect_code 1 wr-validate -q bad-verdict.yaml >out &&
	test_must_contain "^bad-verdict.yaml: INVALID_ARTIFACT_SCHEMA wr.contracts.review_verdict: /verdict: " out
'

test_expect_success 'YAML: scalars read as the core schema, no YAML 1.1 surprises' '
	printf "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"null\"},\"b\":{\"type\":\"boolean\"},\"c\":{\"type\":\"integer\"},\"d\":{\"type\":\"number\"},\"e\":{\"type\":\"string\"},\"f\":{\"type\":\"string\"},\"g\":{\"type\":\"string\"},\"h\":{\"type\":\"string\"}},\"additionalProperties\":false}" >types.json &&
	printf "a: ~\nb: true\nc: 0x1F\nd: 1.5e3\ne: yes\nf: \"12\"\ng: 2020-01-01\nh: !!str 7\n" >types.yaml &&
	wr-validate -q -s types.json types.yaml
'

test_expect_success 'YAML: alias bombs, depth, several documents, .inf, bad syntax are refused' '
	cat >laughs.yaml <<-\EOT &&
	a: &a ["x","x","x","x","x","x","x","x","x","x"]
	b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
	c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
	d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
	e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
	f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
	g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
	EOT
	echo "{}" >any.json &&
	test_expect_code 1 wr-validate -q -s any.json laughs.yaml >out &&
	test_must_contain "alias expansion limit" out &&
	awk "BEGIN { for (i = 0; i < 300; i++) printf \"[\"; for (i = 0; i < 300; i++) printf \"]\"; print \"\" }" >deep.yaml &&
	test_expect_code 1 wr-validate -q -s any.json deep.yaml >out &&
	test_must_contain "deeper than the depth limit of 128.*--max-depth" out &&
	printf "a: 1\n---\nb: 2\n" >two.yaml &&
	test_expect_code 1 wr-validate -q -s any.json two.yaml >out &&
	test_must_contain "line 2, column 1: more than one YAML document" out &&
	printf "a: .inf\n" >inf.yaml &&
	test_expect_code 1 wr-validate -q -s any.json inf.yaml >out &&
	test_must_contain "not a number JSON can hold" out &&
	awk "BEGIN { printf \"a0: &a0 \"; for (k = 0; k < 100; k++) printf \"[\"; printf \"1\"; for (k = 0; k < 100; k++) printf \"]\"; print \"\"; for (i = 1; i < 40; i++) { printf \"a%d: &a%d \", i, i; for (k = 0; k < 100; k++) printf \"[\"; printf \"*a%d\", i - 1; for (k = 0; k < 100; k++) printf \"]\"; print \"\" } }" >deep-aliases.yaml &&
	test_expect_code 1 wr-validate -q -s any.json deep-aliases.yaml >out &&
	test_must_contain "deeper than the depth limit of 128 \(through alias \*a0\)" out &&
	printf "a: &x [1, *x]\n" >cycle.yaml &&
	test_expect_code 1 wr-validate -q -s any.json cycle.yaml >out &&
	test_must_contain "names no complete anchor" out &&
	printf "x: [1\n" >broken.yaml &&
	test_expect_code 1 wr-validate -q -s any.json broken.yaml >out &&
	test_must_contain "^broken.yaml: MALFORMED_DOCUMENT: line 2, column 1: YAML: " out &&
	: >empty.yaml &&
	test_expect_code 1 wr-validate -q -s any.json empty.yaml >out &&
	test_must_contain "empty input" out &&
	printf "a: 1\n" >big.yaml &&
	test_expect_code 1 wr-validate -q --max-bytes 3 -s any.json big.yaml >out &&
	test_must_contain "size limit of 3 bytes" out
'

test_expect_success 'relative $refs resolve in the schema file tree, from any directory' '
	mkdir -p tree/defs sub &&
	echo "{\"type\":\"object\",\"properties\":{\"n\":{\"\$ref\":\"defs/count.json\"}}}" >tree/main.json &&
	echo "{\"type\":\"integer\",\"minimum\":0}" >tree/defs/count.json &&
	echo "{\"n\":-2}" >neg.json &&
	(cd sub && test_expect_code 1 wr-validate -q -s ../tree/main.json ../neg.json >out &&
	 test_must_contain "/n: expected a number >= 0, received -2" out) &&
	printf "type: integer\nmaximum: 5\n" >tree/defs/small.yaml &&
	echo "{\"\$ref\":\"defs/small.yaml\"}" >tree/yref.json &&
	echo 9 >nine.json &&
	test_expect_code 1 wr-validate -q -s tree/yref.json nine.json >out &&
	test_must_contain "expected a number <= 5" out
'

test_expect_success 'a relative $ref out of the schema tree is SCHEMA_ERROR, exit 2' '
	mkdir -p esc/in &&
	echo "{\"type\":\"integer\"}" >esc/outside.json &&
	echo "{\"\$ref\":\"../outside.json\"}" >esc/in/s.json &&
	echo 1 >one.json &&
	test_expect_code 2 wr-validate -s esc/in/s.json one.json >out 2>err &&
	test_must_contain "^wr-validate: SCHEMA_ERROR: esc/in/s.json: .*outside.json.*directory tree" err &&
	test_line_count = 0 out
'

test_expect_success '-s: INVALID_DOCUMENT exits 1, a schema that cannot be used SCHEMA_ERROR exits 2' '
	echo "{\"type\":\"integer\"}" >int.json &&
	echo "\"x\"" >str.json &&
	test_expect_code 1 wr-validate -s int.json str.json >out &&
	test_must_contain "^str.json: INVALID_DOCUMENT: \(root\): expected integer" out &&
	test_must_not_contain INVALID_SCHEMA out &&
	echo "{\"type\":" >broken-schema.json &&
	test_expect_code 2 wr-validate -s broken-schema.json str.json 2>err &&
	test_must_contain "^wr-validate: SCHEMA_ERROR: broken-schema.json: " err &&
	echo "{\"\$schema\":\"https://example.com/unknown\"}" >dialect.json &&
	test_expect_code 2 wr-validate -s dialect.json str.json 2>err &&
	test_must_contain "SCHEMA_ERROR: dialect.json" err &&
	echo "{\"\$ref\":\"#/nowhere\"}" >dangling.json &&
	test_expect_code 2 wr-validate -s dangling.json str.json 2>err &&
	test_must_contain "SCHEMA_ERROR: dangling.json" err &&
	test_expect_code 2 wr-validate -s missing-schema.json str.json 2>err &&
	test_must_contain "SCHEMA_ERROR: missing-schema.json: cannot open" err
'

test_expect_success 'namespaced kinds: acme.deploy_plan is acme.contracts.deploy_plan' '
	wr-validate --schema-dir acme --list-contracts >out &&
	test_must_contain "^acme.contracts.deploy_plan	acme.deploy_plan	acme/deploy_plan.json$" out &&
	test_must_contain "^wr.contracts.review_verdict	" out &&
	echo "{\"kind\":\"acme.deploy_plan\",\"env\":\"dev\"}" >plan.json &&
	test_expect_code 1 wr-validate --schema-dir acme -c acme.contracts.deploy_plan plan.json >out &&
	test_must_contain "^plan.json: INVALID_ARTIFACT_SCHEMA acme.contracts.deploy_plan: /env: " out &&
	test_expect_code 1 wr-validate --schema-dir acme plan.json >out &&
	test_must_contain "acme.contracts.deploy_plan: /env" out &&
	mkdir nons &&
	echo "{\"properties\":{\"kind\":{\"const\":\"plan\"}}}" >nons/plan.json &&
	test_expect_code 2 wr-validate --schema-dir nons plan.json 2>err &&
	test_must_contain "nons/plan.json: kind \"plan\" is not NAMESPACE.NAME" err
'

test_expect_success '--schema-dir is additive; a kind defined twice names both files' '
	mkdir -p other twice &&
	echo "{\"properties\":{\"kind\":{\"const\":\"other.note\"},\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}" >other/note.json &&
	wr-validate --schema-dir acme --schema-dir other --list-contracts >out &&
	test_must_contain "^acme.contracts.deploy_plan" out &&
	test_must_contain "^other.contracts.note" out &&
	test_must_contain "^wr.contracts.loop_control" out &&
	mkdir yamlc &&
	printf "type: object\nproperties:\n  kind: {const: team.ticket}\n  id: {type: integer}\nrequired: [id]\n" >yamlc/ticket.yaml &&
	wr-validate --schema-dir yamlc --list-contracts >out &&
	test_must_contain "^team.contracts.ticket	team.ticket	yamlc/ticket.yaml$" out &&
	printf "kind: team.ticket\nid: seven\n" >ticket.yml &&
	test_expect_code 1 wr-validate --schema-dir yamlc ticket.yml >out &&
	test_must_contain "^ticket.yml: INVALID_ARTIFACT_SCHEMA team.contracts.ticket: /id: expected integer" out &&
	cp acme/deploy_plan.json twice/plan-again.json &&
	test_expect_code 2 wr-validate --schema-dir acme --schema-dir twice --list-contracts 2>err &&
	test_must_contain "twice/plan-again.json: kind acme.deploy_plan is already the contract of acme/deploy_plan.json" err &&
	sed "s/acme.deploy_plan/wr.loop_control/" acme/deploy_plan.json >twice/plan-again.json &&
	test_expect_code 2 wr-validate --schema-dir twice --list-contracts 2>err &&
	test_must_contain "kind wr.loop_control is already the contract of 3.121/loop_control.json" err
'

test_expect_success 'summary on stderr, -q drops it, -v adds FILE: valid lines' '
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}" >stop.json &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"maybe\"}" >maybe.json &&
	test_expect_code 1 wr-validate stop.json maybe.json >out 2>err &&
	test_line_count = 1 out && test_line_count = 1 err &&
	test_must_contain "^wr-validate: 2 documents: 1 valid, 1 invalid$" err &&
	test_expect_code 1 wr-validate -v stop.json maybe.json >out 2>err &&
	test_must_contain "^stop.json: valid$" out &&
	test_must_not_contain "^maybe.json: valid" out &&
	test_expect_code 1 wr-validate -q stop.json maybe.json >out 2>err &&
	test_line_count = 0 err &&
	printf "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}\n{\"kind\":\"wr.loop_control\",\"decision\":\"no\"}\n" >two.ndjson &&
	test_expect_code 1 wr-validate -v --ndjson two.ndjson >out 2>err &&
	test_must_contain "^two.ndjson:1: valid$" out &&
	test_must_contain "^two.ndjson:2: INVALID_ARTIFACT_SCHEMA" out &&
	test_must_contain "2 documents: 1 valid, 1 invalid" err
'

test_expect_success '-f github: the summary is a ::notice::, standard input has no file=' '
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"maybe\"}" >maybe.json &&
	test_expect_code 1 wr-validate -f github <maybe.json >out 2>err &&
	test_must_contain "^::error::\(stdin\): INVALID_ARTIFACT_SCHEMA wr.contracts.loop_control: /decision: " out &&
	test_must_not_contain "file=" out &&
	test_must_contain "^::notice::wr-validate: 1 document: 0 valid, 1 invalid$" out &&
	test_line_count = 0 err &&
	test_expect_code 1 wr-validate -q -f github <maybe.json >out &&
	test_must_not_contain notice out
'

test_expect_success '-f json: one object per document, paths through the list and wrappers' '
	cat >list.json <<-\EOT &&
	{"artifacts":[{"kind":"wr.loop_control","decision":"stop"},{"sha256":"x","contentType":"application/json","byteLength":1,"content":{"kind":"wr.loop_control","decision":"again"}}]}
	EOT
	test_expect_code 1 wr-validate -f json list.json >out 2>err &&
	test_line_count = 1 out &&
	test_must_contain "^{\"file\":\"list.json\",\"valid\":false,\"contractRef\":null,\"error\":{\"code\":\"INVALID_ARTIFACT_SCHEMA\",\"message\":\"1 issue\",\"issues\":\[{\"path\":\"/artifacts/1/content/decision\"" out &&
	test_must_contain "\"artifacts\":\[{\"index\":0,\"valid\":true,\"contractRef\":\"wr.contracts.loop_control\"},{\"index\":1,\"valid\":false," out &&
	printf "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}\n[{\"kind\":\"wr.loop_control\",\"decision\":\"no\"}]\n" >lines.ndjson &&
	test_expect_code 1 wr-validate -f json -c wr.contracts.loop_control --ndjson lines.ndjson >out &&
	test_line_count = 2 out &&
	test_must_contain "^{\"file\":\"lines.ndjson\",\"line\":1,\"valid\":true,\"contractRef\":\"wr.contracts.loop_control\"}$" out &&
	test_must_contain "^{\"file\":\"lines.ndjson\",\"line\":2,\"valid\":false,.*\"path\":\"/0/decision\"" out &&
	test_must_not_contain "\"artifacts\"" out
'

test_expect_success 'a missing property is reported at the object that lacks it' '
	echo "{\"artifacts\":[{\"kind\":\"wr.review_verdict\",\"verdict\":\"clean\",\"confidence\":\"high\",\"findings\":[{\"severity\":\"nit\"}]}]}" >missing.json &&
	test_expect_code 1 wr-validate -f json missing.json >out &&
	test_must_contain "{\"path\":\"/artifacts/0/findings/0\",\"message\":\"missing required property \\\\\"summary\\\\\"\"}" out &&
	test_must_contain "{\"path\":\"/artifacts/0\",\"message\":\"missing required property \\\\\"summary\\\\\"\"}" out
'

# libtool --mode=execute, which runs the programs under valgrind, splits an argument
# holding a newline: this test runs only without it.
test_expect_success_plain_args() {
	if [ -n "${WR_VALGRIND:-}" ]; then
		test_skip "$1" "libtool splits arguments holding a newline under valgrind"
	else
		test_expect_success "$1" "$2"
	fi
}

test_expect_success_plain_args 'control characters in file names, paths and messages are escaped in every format' '
	echo "{\"type\":\"object\",\"additionalProperties\":false}" >closed.json &&
	nl=$(printf "a\nb") &&
	printf "{\"x\\\\ny\\\\u001f\":1}" >"$nl.json" &&
	test_expect_code 1 wr-validate -s closed.json "$nl.json" >out &&
	test_line_count = 1 out &&
	test_must_contain "^a\\\\nb.json: INVALID_DOCUMENT: /x\\\\ny\\\\u001f: property \"x\\\\ny\\\\u001f\" is not allowed" out &&
	test_expect_code 1 wr-validate -f github -s closed.json "$nl.json" >out &&
	test_line_count = 2 out &&
	test_must_contain "^::error file=a\\\\nb.json::INVALID_DOCUMENT: /x\\\\ny\\\\u001f: " out &&
	test_expect_code 1 wr-validate -f json -s closed.json "$nl.json" >out &&
	test_line_count = 1 out &&
	test_must_contain "\"file\":\"a\\\\nb.json\"" out &&
	test_must_contain "\"path\":\"/x\\\\ny\\\\u001f\"" out &&
	tab=$(printf "t\tab") &&
	echo "1" >"$tab.json" &&
	echo "{\"type\":\"string\"}" >str-schema.json &&
	test_expect_code 1 wr-validate -s str-schema.json "$tab.json" >out &&
	test_must_contain "^t\\\\tab.json: INVALID_DOCUMENT" out
'

test_expect_success 'a long property name is reported whole, in every format' '
	echo "{\"type\":\"object\",\"additionalProperties\":false}" >closed.json &&
	long=$(awk "BEGIN { for (i = 0; i < 6000; i++) printf \"k\" }") &&
	echo "{\"$long\":1}" >long.json &&
	test_expect_code 1 wr-validate -s closed.json long.json >out &&
	test_must_contain "^long.json: INVALID_DOCUMENT: /$long: property" out &&
	test_expect_code 1 wr-validate -f github -s closed.json long.json >out &&
	test_must_contain "^::error file=long.json::INVALID_DOCUMENT: /$long: " out &&
	test_expect_code 1 wr-validate -f json -s closed.json long.json >out &&
	test_must_contain "\"path\":\"/$long\"" out &&
	echo "[{\"kind\":\"wr.loop_control\",\"decision\":\"stop\",\"$long\":1}]" >long-artifact.json &&
	test_expect_code 1 wr-validate -f json long-artifact.json >out &&
	test_must_contain "\"path\":\"/0/$long\"" out
'

test_expect_success '-r: walks *.json, *.yaml, *.yml in any case; symlinked dirs reported, not walked' '
	mkdir -p walk/sub walk/real other-dir &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"stop\"}" >walk/a.json &&
	printf "kind: wr.loop_control\ndecision: stop\n" >walk/B.YAML &&
	printf "kind: wr.loop_control\ndecision: halt\n" >walk/sub/c.yml &&
	echo "not json" >walk/notes.txt &&
	echo "{\"kind\":\"wr.loop_control\",\"decision\":\"x\"}" >other-dir/hidden.json &&
	ln -s ../other-dir walk/dirlink &&
	ln -s ../stop.json walk/filelink.json &&
	test_expect_code 1 wr-validate -v -r walk >out 2>err &&
	test_must_contain "^walk/a.json: valid$" out &&
	test_must_contain "^walk/B.YAML: valid$" out &&
	test_must_contain "^walk/filelink.json: valid$" out &&
	test_must_contain "^walk/sub/c.yml: INVALID_ARTIFACT_SCHEMA" out &&
	test_must_not_contain "notes.txt|hidden.json" out &&
	test_must_contain "walk/dirlink: symbolic link to a directory, not walked" err &&
	test_must_contain "4 documents: 3 valid, 1 invalid" err &&
	test_expect_code 1 wr-validate -r walk/notes.txt >out 2>err &&
	test_must_contain "^walk/notes.txt: MALFORMED_DOCUMENT" out &&
	test_expect_code 2 wr-validate walk 2>err &&
	test_must_contain "walk: is a directory \(-r walks it\)" err
'

test_expect_success 'a kind holding a NUL is another kind; malformed documents keep the json shape' '
	printf "{\"kind\":\"wr.loop_control\\\\u0000x\",\"decision\":\"bogus\"}" >nulkind.json &&
	test_expect_code 1 wr-validate -c wr.contracts.loop_control nulkind.json >out &&
	test_must_contain "^nulkind.json: MISSING_REQUIRED_ARTIFACT wr.contracts.loop_control: no artifact of kind wr.loop_control$" out &&
	test_expect_code 1 wr-validate nulkind.json >out &&
	test_must_contain "^nulkind.json: MISSING_REQUIRED_ARTIFACT: no artifact of a known kind" out &&
	echo "{" >broken.json &&
	test_expect_code 1 wr-validate -f json broken.json >out &&
	test_line_count = 1 out &&
	test_must_contain "^{\"file\":\"broken.json\",\"valid\":false,\"contractRef\":null,\"error\":{\"code\":\"MALFORMED_DOCUMENT\".*\"artifacts\":\[\]}$" out
'

test_expect_success_uninstrumented 'a resource limit while validating is exit 2, never a verdict' '
	awk "BEGIN { printf \"{\\\"\$ref\\\":\\\"#/\$defs/a0\\\",\\\"\$defs\\\":{\"; for (i = 0; i < 40; i++) printf \"\\\"a%d\\\":{\\\"anyOf\\\":[{\\\"\$ref\\\":\\\"#/\$defs/a%d\\\"},{\\\"\$ref\\\":\\\"#/\$defs/a%d\\\"}]},\", i, i + 1, i + 1; print \"\\\"a40\\\":false}}\" }" >costly.json &&
	echo 1 >one.json &&
	test_expect_code 2 wr-validate -s costly.json one.json >out 2>err &&
	test_line_count = 0 out &&
	test_must_contain "one.json: not checked: validation gave up after [0-9]+ evaluation steps" err &&
	test_must_contain "0 documents: 0 valid, 0 invalid, 1 not checked" err
'

test_expect_success 'a pattern past its match limit inside not is exit 2, never valid' '
	echo "{\"not\":{\"pattern\":\"^(a+)+\$\"}}" >notpat.json &&
	echo "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"" >aaa.json &&
	test_expect_code 2 wr-validate -s notpat.json aaa.json >out 2>err &&
	test_line_count = 0 out &&
	test_must_contain "aaa.json: not checked: .*match limit" err &&
	test_must_contain "0 documents: 0 valid, 0 invalid, 1 not checked" err &&
	echo "\"aaaa!\"" >short.json &&
	wr-validate -s notpat.json short.json &&
	mkdir redos &&
	echo "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"acme.redos\"},\"name\":{\"not\":{\"pattern\":\"^(a+)+\$\"}}},\"required\":[\"kind\"]}" >redos/redos.json &&
	echo "{\"kind\":\"acme.redos\",\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}" >redos.ndjson &&
	echo "{\"kind\":\"acme.redos\",\"name\":\"b\"}" >>redos.ndjson &&
	for fmt in text json github; do
		test_expect_code 2 wr-validate -f $fmt --ndjson --schema-dir redos -c acme.contracts.redos redos.ndjson >out 2>err &&
		test_must_contain "redos.ndjson:1: not checked: .*match limit" err &&
		test_expect_code 2 wr-validate -f $fmt --ndjson --schema-dir redos redos.ndjson >out 2>err &&
		test_must_contain "redos.ndjson:1: not checked: .*match limit" err || return 1
	done
'

test_done
