import { Sql, and, or, sql } from '../history/sql/sql';
import { FieldRef, fieldRef } from './fields';
import { anchoredRegex, checkRegex, cidrRegex, pieces, plainText } from './patterns';
import { unsupported } from './rule';

/** One `field|modifier|...: value(s)` of a selection, as a predicate that is never NULL. */
export interface FieldMatch {
  predicate: Sql;
  fields: FieldRef[];
}

const STRING_MODIFIERS = new Set(['contains', 'startswith', 'endswith']);
const KNOWN = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'exists', 'fieldref', 'cased']);

/** Sigma's missing or false comparisons are false, never NULL (so that `not` reads as Sigma means it). */
export function nullSafe(p: Sql): Sql {
  return sql`coalesce(${p}, false)`;
}

type Scalar = string | number | boolean | null;

function scalars(value: unknown, key: string): Scalar[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) unsupported(`${key}: an empty list of values`);
  return list.map((v) => {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return unsupported(`${key}: a value that is a ${Array.isArray(v) ? 'list' : 'map'}`);
  });
}

export function fieldMatch(key: string, value: unknown): FieldMatch {
  const [name, ...mods] = key.split('|');
  if (!name) unsupported(`${key}: a value without a field (keyword search) is not supported`);
  for (const m of mods) if (!KNOWN.has(m)) unsupported(`${key}: unknown modifier ${m}`);
  const field = fieldRef(name);
  const values = scalars(value, key);
  const has = (m: string) => mods.includes(m);
  const combine = (parts: Sql[]) => (has('all') ? and(parts) : or(parts));

  if (has('exists')) {
    if (mods.length !== 1 || values.length !== 1 || typeof values[0] !== 'boolean') unsupported(`${key}: exists takes one true or false`);
    return { predicate: values[0] ? field.present : sql`NOT (${field.present})`, fields: [field] };
  }
  if (has('fieldref')) {
    if (mods.length !== 1) unsupported(`${key}: fieldref with other modifiers`);
    const others = values.map((v) => (typeof v === 'string' ? fieldRef(v) : unsupported(`${key}: fieldref names a field`)));
    return { predicate: combine(others.map((o) => nullSafe(sql`lower(${field.value}) = lower(${o.value})`))), fields: [field, ...others] };
  }
  if (has('re')) {
    if (mods.some((m) => !['re', 'i', 'm', 's', 'all'].includes(m))) unsupported(`${key}: re with ${mods.join('|')}`);
    const flags = ['i', 'm', 's'].filter(has).join('');
    return {
      predicate: combine(values.map((v) => {
        if (typeof v !== 'string') return unsupported(`${key}: re takes text`);
        checkRegex(v);
        return nullSafe(sql`regexp_like(${field.value}, ${flags ? `(?${flags})${v}` : v})`);
      })),
      fields: [field],
    };
  }
  if (has('cidr')) {
    if (mods.some((m) => m !== 'cidr' && m !== 'all')) unsupported(`${key}: cidr with ${mods.join('|')}`);
    return { predicate: combine(values.map((v) => nullSafe(sql`regexp_like(${field.value}, ${cidrRegex(String(v))})`))), fields: [field] };
  }
  if (['i', 'm', 's'].some(has)) unsupported(`${key}: i, m and s go with re`);
  const kinds = mods.filter((m) => STRING_MODIFIERS.has(m));
  if (kinds.length > 1) unsupported(`${key}: ${kinds.join(' and ')} together`);
  const cased = has('cased');
  return { predicate: combine(values.map((v) => valueMatch(field, kinds[0] ?? null, v, cased))), fields: [field] };
}

/** One value against the field: equality, contains, startswith or endswith, wildcards as Sigma reads them. */
function valueMatch(field: FieldRef, kind: string | null, v: Scalar, cased: boolean): Sql {
  if (v === null) {
    if (kind) unsupported(`${field.name}: ${kind} with null`);
    return sql`${field.value} IS NULL`;
  }
  const text = typeof v === 'string' ? v : String(v);
  const wrapped = kind === 'contains' ? `*${text}*` : kind === 'startswith' ? `${text}*` : kind === 'endswith' ? `*${text}` : text;
  const p = pieces(wrapped);
  const subject = cased ? field.value : sql`lower(${field.value})`;
  const fold = (s: string) => (cased ? s : s.toLowerCase());
  const whole = plainText(p);
  if (whole !== null) return nullSafe(sql`${subject} = ${fold(whole)}`);
  // Common shapes as plain string functions; everything else as an anchored regular expression.
  const inner = p.length === 3 && 'any' in p[0] && p[0].any === 'many' && 'any' in p[2] && p[2].any === 'many' ? plainText([p[1]]) : null;
  if (inner !== null) return nullSafe(sql`strpos(${subject}, ${fold(inner)}) > 0`);
  const head = p.length === 2 && 'any' in p[1] && p[1].any === 'many' ? plainText([p[0]]) : null;
  if (head !== null) return nullSafe(sql`starts_with(${subject}, ${fold(head)})`);
  if (p.every((x) => 'any' in x && x.any === 'many')) return nullSafe(sql`${field.value} IS NOT NULL`);
  return nullSafe(sql`regexp_like(${subject}, ${anchoredRegex(p, fold)})`);
}
