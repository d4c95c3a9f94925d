// SPDX-License-Identifier: MIT
// The peer of `wr-validate --ndjson`: Ajv (compiled validators, all errors) over the
// same lines against the same schema, printing one line per problem as wr-validate does.
'use strict';
const Ajv2020 = require('ajv/dist/2020');
const fs = require('fs');
const readline = require('readline');

const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
delete schema.$id;
const validate = new Ajv2020({allErrors: true, strict: false}).compile(schema);
const out = [];
let n = 0;
const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', (line) => {
	n++;
	if (!line) return;
	let doc;
	try { doc = JSON.parse(line); } catch (e) { out.push(`-:${n}: MALFORMED_DOCUMENT: ${e.message}`); return; }
	if (!validate(doc))
		for (const e of validate.errors)
			out.push(`-:${n}: INVALID_ARTIFACT_SCHEMA: ${e.instancePath}: ${e.message}`);
	if (out.length > 4096) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
});
rl.on('close', () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); });
