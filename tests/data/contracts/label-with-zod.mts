// Generates a case corpus per contract and labels each case by running WorkRail's
// own zod schemas (fetched sources, never copied into wrkit). See README.md here.
import { writeFileSync, mkdirSync } from 'node:fs';

const releases: Record<string, string> = { '3.121': './wr/3.121', '3.40': './wr/3.40' };
const files: Record<string, [string, string][]> = {
  '3.40': [
    ['review_verdict', 'review-verdict.ts:ReviewVerdictArtifactV1Schema'],
    ['coordinator_signal', 'coordinator-signal.ts:CoordinatorSignalArtifactV1Schema'],
    ['loop_control', 'loop-control.ts:LoopControlArtifactV1Schema'],
    ['assessment', 'assessment.ts:AssessmentArtifactV1Schema'],
  ],
  '3.121': [
    ['review_verdict', 'review-verdict.ts:ReviewVerdictArtifactV1Schema'],
    ['coordinator_signal', 'coordinator-signal.ts:CoordinatorSignalArtifactV1Schema'],
    ['loop_control', 'loop-control.ts:LoopControlArtifactV1Schema'],
    ['assessment', 'assessment.ts:AssessmentArtifactV1Schema'],
    ['discovery_handoff', 'discovery-handoff.ts:DiscoveryHandoffArtifactV1Schema'],
    ['gate_verdict', 'gate-verdict.ts:GateVerdictArtifactV1Schema'],
    ['shaping_handoff', 'phase-handoff.ts:ShapingHandoffArtifactV1Schema'],
    ['coding_handoff', 'phase-handoff.ts:CodingHandoffArtifactV1Schema'],
    ['differentiation_handoff', 'differentiation-handoff.ts:DifferentiationHandoffArtifactV1Schema'],
  ],
};

type Json = any;
const tn = (s: any) => s._def.typeName as string;
const clone = (v: Json) => JSON.parse(JSON.stringify(v));
const ASTRAL = '\u{1F600}'; // one code point, two UTF-16 units

function unwrap(s: any): { s: any; optional: boolean } {
  let optional = false;
  for (;;) {
    const t = tn(s);
    if (t === 'ZodOptional') { optional = true; s = s._def.innerType; }
    else if (t === 'ZodDefault') { optional = true; s = s._def.innerType; }
    else if (t === 'ZodEffects') { s = s._def.schema; }
    else return { s, optional };
  }
}

function strBounds(s: any) {
  let min: number | undefined, max: number | undefined, fmt: string | undefined, regex: RegExp | undefined;
  for (const c of s._def.checks) {
    if (c.kind === 'min') min = c.value;
    else if (c.kind === 'max') max = c.value;
    else if (c.kind === 'datetime' || c.kind === 'uuid') fmt = c.kind;
    else if (c.kind === 'regex') regex = c.regex;
  }
  return { min, max, fmt, regex };
}

const UUID = '123e4567-e89b-12d3-a456-426614174000';
const DT = '2026-01-31T12:34:56Z';

// A valid sample; full: with every optional field.
function sample(s0: any, full: boolean, key = ''): Json {
  const { s } = unwrap(s0);
  switch (tn(s)) {
    case 'ZodString': {
      const b = strBounds(s);
      if (b.fmt === 'uuid') return UUID;
      if (b.fmt === 'datetime') return DT;
      if (b.regex) return 'loop_1';
      const n = Math.max(b.min ?? 1, Math.min(b.max ?? 24, 24));
      return ('text for ' + key + ' ' + 'x'.repeat(64)).slice(0, n);
    }
    case 'ZodNumber': return 1;
    case 'ZodLiteral': return s._def.value;
    case 'ZodEnum': return s._def.values[0];
    case 'ZodArray': {
      const min = s._def.minLength?.value ?? 0;
      return Array.from({ length: Math.max(min, full ? 1 : min) }, () => sample(s._def.type, full, key));
    }
    case 'ZodObject': {
      const o: any = {};
      const shape = s._def.shape();
      for (const k of Object.keys(shape)) {
        const u = unwrap(shape[k]);
        if (!u.optional || full) o[k] = sample(shape[k], full, k);
      }
      return o;
    }
    case 'ZodRecord': return { quality: sample(s._def.valueType, full, 'quality') };
    case 'ZodUnion': return sample(s._def.options[0], full, key);
    case 'ZodUnknown': return { any: 'thing' };
    default: throw new Error('no sample for ' + tn(s));
  }
}

type Case = { artifact: Json; why: string };

function setAt(root: Json, path: (string | number)[], v: Json | undefined): Json {
  const r = clone(root);
  if (path.length === 0) return v;
  let o = r;
  for (const p of path.slice(0, -1)) o = o[p];
  const last = path[path.length - 1];
  if (v === undefined) { if (Array.isArray(o)) o.splice(last as number, 1); else delete o[last]; }
  else o[last] = v;
  return r;
}
const ptr = (path: (string | number)[]) => '/' + path.join('/');

function mutations(s0: any, path: (string | number)[], root: Json, out: Case[], key: string) {
  const { s, optional } = unwrap(s0);
  const at = ptr(path);
  const t = tn(s);
  if (path.length > 0) {
    if (optional && path.length) out.push({ artifact: setAt(root, path, undefined), why: `${at} absent (optional)` });
    else out.push({ artifact: setAt(root, path, undefined), why: `${at} missing (required)` });
    out.push({ artifact: setAt(root, path, null), why: `${at} null` });
  }
  const wrong: [Json, string][] = [[7, 'an integer'], [1.5, 'a fraction'], ['s', 'a string'], [true, 'a boolean'], [[], 'an array'], [{}, 'an empty object']];
  for (const [v, d] of wrong) out.push({ artifact: setAt(root, path, v), why: `${at} ${d}` });
  switch (t) {
    case 'ZodString': {
      const b = strBounds(s);
      if (b.fmt === 'uuid') {
        const cases: [string, string][] = [[UUID, 'uuid'], [UUID.toUpperCase(), 'uuid upper case'], ['00000000-0000-0000-0000-000000000000', 'nil uuid'],
          ['ffffffff-ffff-ffff-ffff-ffffffffffff', 'max uuid'], [UUID.replace(/-/g, ''), 'uuid without dashes'], [UUID + '\n', 'uuid and a newline'],
          ['{' + UUID + '}', 'uuid in braces'], [UUID.slice(0, -1), 'uuid one short'], [UUID + '0', 'uuid one long'], [UUID.replace('1', 'g'), 'uuid with g'],
          [' ' + UUID, 'uuid after a space'], ['', 'empty'], ['123e4567-e89b-72d3-a456-426614174000', 'uuid version 7'], ['123e4567-e89b-12d3-c456-426614174000', 'uuid variant c']];
        for (const [v, d] of cases) out.push({ artifact: setAt(root, path, v), why: `${at} ${d}` });
      } else if (b.fmt === 'datetime') {
        const cases = ['2026-01-31T12:34:56Z', '2026-01-31T12:34:56.789Z', '2026-01-31T12:34:56.1Z', '2026-01-31T12:34:56.123456789Z', '2026-01-31T12:34Z',
          '2026-01-31T12Z', '2026-01-31T12:34:56', '2026-01-31T12:34:56+00:00', '2026-01-31T12:34:56+02:00', '2026-01-31t12:34:56z', '2026-01-31 12:34:56Z',
          '2026-01-31T24:00:00Z', '2026-01-31T23:60:00Z', '2026-01-31T23:59:60Z', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z',
          '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-04-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-01T00:00:00Z', '2026-01-00T00:00:00Z',
          '2026-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '99999-01-01T00:00:00Z', '2026-1-31T12:34:56Z', '2026-01-31T12:34:56.Z', '2026-01-31T12:34:56Z\n',
          '2026-01-31', '', '2026-01-31T12:34:56,5Z', '２０２６-01-31T12:34:56Z', '2026-01-31T12:34:5Z'];
        for (const v of cases) out.push({ artifact: setAt(root, path, v), why: `${at} datetime ${JSON.stringify(v)}` });
      } else if (b.regex) {
        for (const v of ['a', 'z', '0', '9', '_', '-', 'fix_loop-2', 'A', 'a b', 'a\n', 'a.b', 'é', 'a/b', ''])
          out.push({ artifact: setAt(root, path, v), why: `${at} ${JSON.stringify(v)} against the pattern` });
        for (const n of [63, 64, 65]) out.push({ artifact: setAt(root, path, 'a'.repeat(n)), why: `${at} ${n} chars` });
      } else {
        const lens = new Set<number>([0, 1, 2]);
        for (const n of [b.min, b.max]) if (n !== undefined) { lens.add(n - 1); lens.add(n); lens.add(n + 1); }
        for (const n of lens) if (n >= 0) out.push({ artifact: setAt(root, path, 'a'.repeat(n)), why: `${at} ${n} characters` });
        // UTF-16: astral characters count two units in zod, one code point in JSON Schema
        for (const n of [b.min, b.max]) if (n !== undefined && n > 1) {
          const half = Math.floor(n / 2);
          out.push({ artifact: setAt(root, path, ASTRAL.repeat(half)), why: `${at} ${half} astral characters (${2 * half} UTF-16 units), bound ${n}` });
          out.push({ artifact: setAt(root, path, ASTRAL.repeat(n)), why: `${at} ${n} astral characters (${2 * n} UTF-16 units), bound ${n}` });
        }
        out.push({ artifact: setAt(root, path, 'é'), why: `${at} one non-ASCII BMP character` });
        out.push({ artifact: setAt(root, path, ' '), why: `${at} one space` });
      }
      break;
    }
    case 'ZodNumber': {
      const vals: Json[] = [-1, 0, 1, 2, 99, 100, 101, 1e15, -0.5, 3.0000001];
      for (const v of vals) out.push({ artifact: setAt(root, path, v), why: `${at} number ${v}` });
      out.push({ artifact: setAt(root, path, '1'), why: `${at} the string "1"` });
      break;
    }
    case 'ZodLiteral': {
      const v = s._def.value;
      out.push({ artifact: setAt(root, path, v), why: `${at} the literal` });
      if (typeof v === 'number') for (const w of [0, 2, '1', -1]) out.push({ artifact: setAt(root, path, w), why: `${at} ${JSON.stringify(w)} for literal ${v}` });
      else for (const w of [v + ' ', v.toUpperCase() === v ? v.toLowerCase() : v.toUpperCase(), '', v.slice(0, -1), v + 'x'])
        out.push({ artifact: setAt(root, path, w), why: `${at} ${JSON.stringify(w)} for literal ${JSON.stringify(v)}` });
      break;
    }
    case 'ZodEnum': {
      for (const v of s._def.values) {
        out.push({ artifact: setAt(root, path, v), why: `${at} enum value ${v}` });
        out.push({ artifact: setAt(root, path, v.toUpperCase()), why: `${at} ${v} upper case` });
        out.push({ artifact: setAt(root, path, v + ' '), why: `${at} ${v} with a trailing space` });
      }
      out.push({ artifact: setAt(root, path, ''), why: `${at} empty string for an enum` });
      out.push({ artifact: setAt(root, path, 'other'), why: `${at} "other" for an enum` });
      break;
    }
    case 'ZodArray': {
      const min = s._def.minLength?.value, max = s._def.maxLength?.value;
      const item = sample(s._def.type, false, key);
      const lens = new Set<number>([0, 1, 2]);
      for (const n of [min, max]) if (n !== undefined) { lens.add(n - 1); lens.add(n); lens.add(n + 1); }
      for (const n of lens) if (n >= 0) out.push({ artifact: setAt(root, path, Array.from({ length: n }, () => clone(item))), why: `${at} ${n} items` });
      out.push({ artifact: setAt(root, path, [item, null]), why: `${at} a null item` });
      out.push({ artifact: setAt(root, path, [item, 5]), why: `${at} an integer item` });
      const cur = getAt(root, path);
      if (Array.isArray(cur) && cur.length > 0) mutations(s._def.type, [...path, 0], root, out, key);
      else { const r2 = setAt(root, path, [sample(s._def.type, true, key)]); mutations(s._def.type, [...path, 0], r2, out, key); }
      break;
    }
    case 'ZodObject': {
      const shape = s._def.shape();
      out.push({ artifact: setAt(root, path, { ...getAt(root, path), extraField: 'x' }), why: `${at} an extra property (${s._def.unknownKeys})` });
      out.push({ artifact: setAt(root, path, { ...getAt(root, path), file: 'src/a.c', startLine: 3, nested: { a: [1] } }), why: `${at} extra properties of several types (${s._def.unknownKeys})` });
      out.push({ artifact: setAt(root, path, { ...getAt(root, path), __proto__x: 1 }), why: `${at} an extra property __proto__x` });
      for (const k of Object.keys(shape)) {
        if (path.length === 0 && k === 'kind') {
          for (const w of ['wr.review_verdict_v2', 'WR.' + s._def.shape().kind._def.value.slice(3), '']) out.push({ artifact: setAt(root, ['kind'], w), why: `/kind ${JSON.stringify(w)}` });
          continue;
        }
        let r = root;
        if (getAt(root, [...path, k]) === undefined) r = setAt(root, [...path, k], sample(shape[k], true, k));
        mutations(shape[k], [...path, k], r, out, k);
      }
      break;
    }
    case 'ZodRecord': {
      const v = sample(s._def.valueType, false, 'quality');
      out.push({ artifact: setAt(root, path, {}), why: `${at} an empty record` });
      out.push({ artifact: setAt(root, path, { a: v, b: v, 'with space': v, '': v }), why: `${at} several keys, one empty` });
      out.push({ artifact: setAt(root, path, { a: v, b: null }), why: `${at} a null value` });
      out.push({ artifact: setAt(root, path, { a: v, b: 3 }), why: `${at} an integer value` });
      out.push({ artifact: setAt(root, path, { a: [1, 2] , b: 'x'}), why: `${at} an array value` });
      const k = 'quality';
      const r = setAt(root, path, { [k]: sample(s._def.valueType, true, k) });
      mutations(s._def.valueType, [...path, k], r, out, k);
      break;
    }
    case 'ZodUnion': {
      s._def.options.forEach((o: any, i: number) => {
        const r = setAt(root, path, sample(o, true, key));
        out.push({ artifact: r, why: `${at} union option ${i} (full)` });
        mutations(o, path, r, out, key);
      });
      break;
    }
  }
}
function getAt(root: Json, path: (string | number)[]) { let o = root; for (const p of path) { if (o == null) return undefined; o = o[p]; } return o; }

for (const rel of Object.keys(files)) {
  mkdirSync(`out/${rel}`, { recursive: true });
  for (const [name, spec] of files[rel]) {
    const [file, sym] = spec.split(':');
    const mod = await import(`${releases[rel]}/src/v2/durable-core/schemas/artifacts/${file}`);
    const schema = mod[sym];
    const raw: Case[] = [];
    const full = sample(schema, true), min = sample(schema, false);
    raw.push({ artifact: full, why: 'every field' }, { artifact: min, why: 'the required fields only' });
    mutations(schema, [], full, raw, '');
    mutations(schema, [], min, raw, '');
    raw.push({ artifact: null, why: 'null' }, { artifact: 'x', why: 'a string' }, { artifact: 7, why: 'a number' });
    const seen = new Set<string>();
    const cases: any[] = [];
    for (const c of raw) {
      const key = JSON.stringify(c.artifact);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      const valid = schema.safeParse(JSON.parse(key)).success;
      const c2: any = { artifact: JSON.parse(key), valid, why: c.why };
      // zod counts UTF-16 units; JSON Schema code points. The same artifact with each
      // astral character replaced by one BMP character is what code points would say.
      if (/[\u{10000}-\u{10FFFF}]/u.test(key)) {
        const bmp = schema.safeParse(JSON.parse(key.replace(/[\u{10000}-\u{10FFFF}]/gu, 'a'))).success;
        if (bmp !== valid) c2.utf16 = true;
      }
      cases.push(c2);
    }
    writeFileSync(`out/${rel}/${name}.json`, '[\n' + cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]\n');
    console.log(rel, name, cases.length, 'cases', cases.filter((c) => c.valid).length, 'valid');
  }
}
