import { Sql, and, or, sql, trusted } from '../history/sql/sql';
import { Condition, parseCondition } from './condition';
import { FieldRef } from './fields';
import { fieldMatch } from './field-match';
import { DetectionRule, FieldGuard, RuleMeta, RuleOrigin, UnsupportedError, unsupported } from './rule';

type Doc = Record<string, unknown>;

function isMap(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function ruleMeta(doc: Doc, fallbackId: string): RuleMeta {
  return {
    id: text(doc.id) ?? fallbackId,
    title: text(doc.title) ?? fallbackId,
    description: text(doc.description),
    level: text(doc.level),
    status: text(doc.status),
    author: text(doc.author),
    tags: texts(doc.tags),
    references: texts(doc.references),
    falsePositives: texts(doc.falsepositives),
  };
}

/** A selection: a map (every field matches) or a list of maps (any of them). */
function selection(name: string, body: unknown, used: FieldRef[]): Sql {
  const oneMap = (m: Doc): Sql => {
    const entries = Object.entries(m);
    if (entries.length === 0) unsupported(`selection ${name} is empty`);
    return and(entries.map(([key, value]) => {
      const f = fieldMatch(key, value);
      used.push(...f.fields);
      return f.predicate;
    }));
  };
  if (isMap(body)) return oneMap(body);
  if (Array.isArray(body) && body.length > 0) {
    if (!body.every(isMap)) unsupported(`selection ${name}: keyword lists (values without a field) are not supported`);
    return or(body.map(oneMap));
  }
  return unsupported(`selection ${name} is neither a map nor a list of maps`);
}

function render(c: Condition, selections: ReadonlyMap<string, Sql>): Sql {
  switch (c.kind) {
    case 'ref':
      return selections.get(c.name) as Sql;
    case 'not':
      return sql`NOT (${render(c.of, selections)})`;
    case 'and':
      return and(c.parts.map((p) => render(p, selections)));
    case 'or':
      return or(c.parts.map((p) => render(p, selections)));
    case 'of': {
      const parts = c.names.map((n) => selections.get(n) as Sql);
      if (c.count === 'all') return and(parts);
      if (c.count === 1) return or(parts);
      if (c.count > parts.length) return trusted('FALSE');
      const ones = parts.map((p) => sql`(CASE WHEN ${p} THEN 1 ELSE 0 END)`);
      return sql`(${ones.reduce((a, b) => sql`${a} + ${b}`)}) >= ${trusted(String(c.count))}`;
    }
  }
}

/** The event names a selection pins (a plain eventName value list, in a map or in each map of a list), else null. */
function selectionNames(body: unknown): string[] | null {
  const ofMap = (m: Doc): string[] | null => {
    const v = m.eventName;
    const list = Array.isArray(v) ? v : [v];
    if (v === undefined || !list.every((x) => typeof x === 'string' && !/[*?\\]/.test(x))) return null;
    return (list as string[]).map((x) => x.toLowerCase());
  };
  if (isMap(body)) return ofMap(body);
  if (Array.isArray(body) && body.every(isMap)) {
    const each = body.map(ofMap);
    return each.every((x) => x !== null) ? (each as string[][]).flat() : null;
  }
  return null;
}

/** The event names every match of the condition has: and takes any pinned part, or needs all parts pinned; not pins nothing. */
function conditionNames(c: Condition, names: ReadonlyMap<string, string[] | null>): string[] | null {
  const union = (parts: (string[] | null)[]) => (parts.every((p) => p !== null) ? [...new Set((parts as string[][]).flat())] : null);
  const any = (parts: (string[] | null)[]) => parts.find((p) => p !== null) ?? null;
  switch (c.kind) {
    case 'ref':
      return names.get(c.name) ?? null;
    case 'not':
      return null;
    case 'and':
      return any(c.parts.map((p) => conditionNames(p, names)));
    case 'or':
      return union(c.parts.map((p) => conditionNames(p, names)));
    case 'of': {
      const parts = c.names.map((n) => names.get(n) ?? null);
      return c.count === 'all' ? any(parts) : union(parts);
    }
  }
}

const CLOUDTRAIL = { product: 'aws', service: 'cloudtrail' };

/** A parsed rule file → the rule compiled whole, or unsupported with its reason. */
export function compileRule(doc: unknown, origin: RuleOrigin, fallbackId: string): DetectionRule {
  const meta = ruleMeta(isMap(doc) ? doc : {}, fallbackId);
  try {
    if (!isMap(doc)) unsupported('not a Sigma rule (a YAML map)');
    if (!text(doc.id)) unsupported('the rule has no id');
    const logsource = isMap(doc.logsource) ? doc.logsource : {};
    if (logsource.product !== CLOUDTRAIL.product || logsource.service !== CLOUDTRAIL.service) unsupported('logsource is not product aws, service cloudtrail');
    const detection = doc.detection;
    if (!isMap(detection)) unsupported('no detection');
    if ('timeframe' in detection) unsupported('timeframe (aggregation over time) is not supported');
    const used: FieldRef[] = [];
    const selections = new Map<string, Sql>();
    for (const [name, body] of Object.entries(detection)) if (name !== 'condition') selections.set(name, selection(name, body, used));
    const conditions = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
    if (conditions.length === 0 || !conditions.every((c): c is string => typeof c === 'string' && c.trim() !== '')) unsupported('no condition');
    const names = [...selections.keys()];
    const parsed = conditions.map((c) => parseCondition(c, names));
    const predicate = or(parsed.map((c) => render(c, selections)));
    const pinned = new Map(Object.entries(detection).filter(([n]) => n !== 'condition').map(([n, body]) => [n, selectionNames(body)] as const));
    const eventNames = parsed.reduce<string[] | null>((acc, c, i) => {
      const n = conditionNames(c, pinned);
      return i === 0 ? n : acc === null || n === null ? null : [...new Set([...acc, ...n])];
    }, null);
    const guards = [...new Set(used.map((f) => f.guard).filter((g): g is FieldGuard => g !== null))].sort();
    return { supported: true, meta, origin, predicate, fields: [...new Set(used.map((f) => f.name))].sort(), guards, eventNames: eventNames ? [...new Set(eventNames)].sort() : null };
  } catch (err) {
    if (err instanceof UnsupportedError) return { supported: false, meta, origin, reason: err.message };
    throw err;
  }
}
