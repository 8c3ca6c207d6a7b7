/**
 * The text of a loader key: exactly what JSON.stringify(key) gives, made
 * without JSON.stringify's slow path for Dates. A wide query makes a couple of
 * thousand keys, nearly all holding the same window object: a window's text
 * is made once and reused (checked against its Dates' times, so a window whose
 * Dates were changed is never stale). The key's other fields go through
 * JSON.stringify, field by field.
 */
interface WindowText {
  from: number;
  to: number;
  text: string;
}

const WINDOWS = new WeakMap<object, WindowText>();

/** Field names are few (our own key fields): each one's JSON text is made once. */
const NAMES = new Map<string, string>();

function nameText(name: string): string {
  let text = NAMES.get(name);
  if (text === undefined) {
    text = JSON.stringify(name);
    if (NAMES.size < 1000) NAMES.set(name, text);
  }
  return text;
}

/** JSON.stringify of a field's value that is not a plain object, without a call into it for numbers, booleans and null. */
function valueText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : JSON.stringify(value);
    default:
      return JSON.stringify(value); // strings (escaped); undefined for undefined, functions and symbols
  }
}

/** A window: an object whose own keys are exactly `from` then `to`, both Dates. */
function isWindow(v: object): v is { from: Date; to: Date } {
  const r = v as Record<string, unknown>;
  if (!(r.from instanceof Date) || !(r.to instanceof Date)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && keys[0] === 'from' && keys[1] === 'to';
}

/** JSON.stringify(w) for a window, made once per window object while its Dates keep their times. */
export function windowJson(w: { from: Date; to: Date }): string {
  const from = w.from.getTime();
  const to = w.to.getTime();
  const known = WINDOWS.get(w);
  if (known !== undefined && known.from === from && known.to === to) return known.text;
  const text = JSON.stringify(w);
  WINDOWS.set(w, { from, to, text });
  return text;
}

/** Whether JSON.stringify would call a toJSON of this value (Date's is the only one it may call with any key). */
function hasOwnJson(v: object): boolean {
  return !(v instanceof Date) && typeof (v as Record<string, unknown>).toJSON === 'function';
}

/**
 * JSON.stringify of a plain object, less `skip`; undefined when a field's
 * value has a toJSON of its own (it would be called with the field's name:
 * the caller then lets JSON.stringify do the whole object).
 */
function objectText(record: Record<string, unknown>, skip: string | undefined): string | undefined {
  let out = '{';
  for (const name of Object.keys(record)) {
    if (name === skip) continue;
    const value = record[name];
    let text: string | undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (hasOwnJson(value)) return undefined;
      text = isWindow(value) ? windowJson(value) : JSON.stringify(value);
    } else {
      text = valueText(value);
    }
    if (text === undefined) continue; // undefined, functions and symbols are left out, as JSON.stringify does
    out += (out.length === 1 ? '' : ',') + nameText(name) + ':' + text;
  }
  return out + '}';
}

/** Objects this module writes field by field: plain ones (not arrays, Dates, boxed primitives or anything with a toJSON). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !hasOwnJson(value)
    && !(value instanceof String || value instanceof Number || value instanceof Boolean);
}

/** JSON.stringify(value), or undefined where JSON.stringify gives undefined. */
export function jsonText(value: unknown): string | undefined {
  if (!isPlainRecord(value)) return JSON.stringify(value);
  if (isWindow(value)) return windowJson(value);
  return objectText(value, undefined) ?? JSON.stringify(value);
}

/** JSON.stringify of an object's copy without one of its own fields. */
export function jsonTextWithout(value: object, field: string): string {
  const text = isPlainRecord(value) ? objectText(value, field) : undefined;
  if (text !== undefined) return text;
  const { [field]: _omit, ...rest } = value as Record<string, unknown>;
  return JSON.stringify(rest);
}
