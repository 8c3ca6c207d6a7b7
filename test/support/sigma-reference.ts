import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CloudTrailRecord } from '../../src/cloudtrail/record';

/**
 * An independent Sigma evaluation over one raw CloudTrail record, plain
 * TypeScript, no SQL: what the engine's matches must equal. The semantics it
 * states: values compare case-insensitively with `*` and `?` wildcards;
 * a dotted path reads nested members (no arrays traversed), a scalar as its
 * text, an object or array as its JSON text; a missing field matches nothing
 * but `null` and `exists: false`.
 */
type Doc = Record<string, unknown>;
type Pred = (r: CloudTrailRecord) => boolean;

const isMap = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The member's value as the engine reads it: undefined when absent. */
function lookup(r: CloudTrailRecord, field: string): unknown {
  let v: unknown = r;
  for (const part of field.split('.')) {
    if (!isMap(v) || !(part in v)) return undefined;
    v = v[part];
  }
  return v;
}

function textOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function globRegex(value: string, flags: string): RegExp {
  let re = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && ['*', '?', '\\'].includes(value[i + 1])) re += `\\${value[++i]}`;
    else if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/?*]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, flags);
}

function ipv4(text: string): number | null {
  // Canonical dotted quads only: an octet with a leading zero (192.0.2.01) is no IPv4 address.
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(text);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.some((x) => x > 255) ? null : ((o[0] << 24) >>> 0) + (o[1] << 16) + (o[2] << 8) + o[3];
}

function inCidr(text: string | null, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const a = text === null ? null : ipv4(text);
  const n = ipv4(net);
  if (a === null || n === null) return false;
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return ((a & mask) >>> 0) === ((n & mask) >>> 0);
}

function fieldPred(key: string, value: unknown): Pred {
  const [field, ...mods] = key.split('|');
  const values = Array.isArray(value) ? value : [value];
  const every = mods.includes('all');
  const combine = (tests: Pred[]): Pred => (r) => (every ? tests.every((t) => t(r)) : tests.some((t) => t(r)));
  if (mods.includes('exists')) return (r) => (lookup(r, field) !== undefined && (field.includes('.') && !field.startsWith('userIdentity.') ? true : lookup(r, field) !== null)) === values[0];
  if (mods.includes('fieldref')) return combine(values.map((other) => (r) => {
    const a = textOf(lookup(r, field));
    const b = textOf(lookup(r, String(other)));
    return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
  }));
  if (mods.includes('re')) {
    const flags = ['i', 'm', 's'].filter((f) => mods.includes(f)).join('');
    return combine(values.map((v) => (r) => {
      const t = textOf(lookup(r, field));
      return t !== null && new RegExp(String(v), flags).test(t);
    }));
  }
  if (mods.includes('cidr')) return combine(values.map((v) => (r) => inCidr(textOf(lookup(r, field)), String(v))));
  return combine(values.map((v) => (r) => {
    const t = textOf(lookup(r, field));
    if (v === null) return t === null;
    const s = String(v);
    const pattern = mods.includes('contains') ? `*${s}*` : mods.includes('startswith') ? `${s}*` : mods.includes('endswith') ? `*${s}` : s;
    return t !== null && globRegex(pattern, mods.includes('cased') ? 's' : 'is').test(t);
  }));
}

function selectionPred(body: unknown): Pred {
  const mapPred = (m: Doc): Pred => {
    const tests = Object.entries(m).map(([k, v]) => fieldPred(k, v));
    return (r) => tests.every((t) => t(r));
  };
  if (Array.isArray(body)) {
    const tests = body.map((m) => mapPred(m as Doc));
    return (r) => tests.some((t) => t(r));
  }
  return mapPred(body as Doc);
}

/** The condition, read by a small recursive descent of its own. */
function conditionPred(text: string, sel: Map<string, Pred>): Pred {
  const ts = text.replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').trim().split(/\s+/);
  let i = 0;
  const names = (pattern: string) => {
    const re = new RegExp(`^${pattern.replace(/\*/g, '.*')}$`);
    return [...sel.keys()].filter((n) => (pattern === 'them' ? !n.startsWith('_') : re.test(n)));
  };
  const expr = (): Pred => {
    let left = term();
    while (ts[i] === 'or') {
      i++;
      const a = left;
      const b = term();
      left = (r) => a(r) || b(r);
    }
    return left;
  };
  const term = (): Pred => {
    let left = factor();
    while (ts[i] === 'and') {
      i++;
      const a = left;
      const b = factor();
      left = (r) => a(r) && b(r);
    }
    return left;
  };
  const factor = (): Pred => {
    const t = ts[i++];
    if (t === 'not') {
      const inner = factor();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = expr();
      i++;
      return inner;
    }
    if (ts[i] === 'of') {
      const group = names(ts[i + 1]).map((n) => sel.get(n) as Pred);
      i += 2;
      const need = t === 'all' ? group.length : Number(t);
      return (r) => group.filter((p) => p(r)).length >= need;
    }
    return sel.get(t) as Pred;
  };
  return expr();
}

/** The rule file as a predicate over raw records. */
export function referenceRule(path: string): { id: string; matches: Pred } {
  const doc = parse(readFileSync(path, 'utf8')) as Doc;
  const detection = doc.detection as Doc;
  const sel = new Map<string, Pred>();
  for (const [name, body] of Object.entries(detection)) if (name !== 'condition') sel.set(name, selectionPred(body));
  const conds = (Array.isArray(detection.condition) ? detection.condition : [detection.condition]).map((c) => conditionPred(String(c), sel));
  return { id: String(doc.id), matches: (r) => conds.some((c) => c(r)) };
}
