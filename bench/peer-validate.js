// SPDX-License-Identifier: MIT
// The peers of `wr-validate --ndjson`: a compiled validator (Ajv, or @exodus/schemasafe)
// over the same lines against the same schema, reporting every problem in the shape
// wr-validate prints, so that both do the same work:
//   node peer-validate.js ajv|schemasafe text|json SCHEMA <lines.ndjson
// text: one line per problem, "-:LINE: INVALID_ARTIFACT_SCHEMA REF: PATH: message";
// json: one object per line, {"file","line","valid","contractRef","error":{...}}.
'use strict';
const fs = require('fs');
const readline = require('readline');

const [peer, shape, schemaPath] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
delete schema.$id;
const ref = 'wr.contracts.review_verdict';

let check; // doc -> [] when valid, else [{path, message}]
if (peer === 'ajv') {
	const Ajv2020 = require('ajv/dist/2020');
	const validate = new Ajv2020({allErrors: true, strict: false}).compile(schema);
	check = (doc) => validate(doc) ? [] :
		validate.errors.map((e) => ({path: e.instancePath, message: e.message}));
} else if (peer === 'schemasafe') {
	const {validator} = require('@exodus/schemasafe');
	const validate = validator(schema, {includeErrors: true, allErrors: true,
		mode: 'default', requireValidation: false});
	check = (doc) => validate(doc) ? [] :
		validate.errors.map((e) => ({path: e.instanceLocation.replace(/^#/, ''),
			message: e.keywordLocation}));
} else {
	throw new Error(`unknown peer ${peer}`);
}

const out = [];
let n = 0;
const flush = () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); out.length = 0; };
const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', (line) => {
	n++;
	if (!line) return;
	let doc, issues;
	try { doc = JSON.parse(line); } catch (e) {
		issues = null;
		if (shape === 'json')
			out.push(JSON.stringify({file: '-', line: n, valid: false, contractRef: ref,
				error: {code: 'MALFORMED_DOCUMENT', message: e.message}}));
		else
			out.push(`-:${n}: MALFORMED_DOCUMENT: ${e.message}`);
	}
	if (doc !== undefined) {
		issues = check(doc);
		if (shape === 'json') {
			const r = {file: '-', line: n, valid: issues.length === 0, contractRef: ref};
			if (issues.length)
				r.error = {code: 'INVALID_ARTIFACT_SCHEMA', message: 'invalid', issues};
			out.push(JSON.stringify(r));
		} else {
			for (const i of issues)
				out.push(`-:${n}: INVALID_ARTIFACT_SCHEMA ${ref}: ${i.path}: ${i.message}`);
		}
	}
	if (out.length > 4096) flush();
});
rl.on('close', flush);
