import { errorText } from './decode';

/**
 * The shapes a JSON document can have: a CloudTrail log file
 * ({"Records":[...]}), the output of `aws cloudtrail lookup-events`
 * ({"Events":[{"CloudTrailEvent":"<record as JSON text>"}]}), a digest file,
 * a bare array of records, one record, or JSON Lines saved under a .json name.
 */
export type Document =
  | { kind: 'digest' }
  | { kind: 'items'; label: 'Records' | 'Events' | ''; items: unknown[] }
  | { kind: 'lines' }
  | { kind: 'invalid'; reason: string; salvaged?: unknown[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isDigest(v: Record<string, unknown>): boolean {
  return 'digestStartTime' in v || 'digestS3Object' in v;
}

function shapeOf(value: unknown): Document {
  if (Array.isArray(value)) return { kind: 'items', label: '', items: value };
  if (!isObject(value)) return { kind: 'invalid', reason: 'not a CloudTrail log file: the JSON is not an object' };
  if (isDigest(value)) return { kind: 'digest' };
  if ('Records' in value) {
    return Array.isArray(value.Records)
      ? { kind: 'items', label: 'Records', items: value.Records }
      : { kind: 'invalid', reason: `not a CloudTrail log file: Records is ${value.Records === null ? 'null' : typeof value.Records}, not an array` };
  }
  if ('Events' in value) {
    return Array.isArray(value.Events)
      ? { kind: 'items', label: 'Events', items: value.Events }
      : { kind: 'invalid', reason: 'not lookup-events output: Events is not an array' };
  }
  if ('eventID' in value || 'eventTime' in value || 'eventName' in value) return { kind: 'items', label: '', items: [value] };
  return { kind: 'invalid', reason: 'not a CloudTrail log file: no Records (or Events) array' };
}

/** Several lines, the first of them a JSON object on its own: JSON Lines whatever the file is called. */
function looksLikeLines(text: string): boolean {
  const first = text.indexOf('\n', text.search(/\S/));
  if (first === -1 || text.slice(first).trim() === '') return false;
  try {
    return isObject(JSON.parse(text.slice(0, first)));
  } catch {
    return false;
  }
}

export function parseDocument(text: string): Document {
  if (text.trim() === '') return { kind: 'invalid', reason: 'empty file' };
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    if (looksLikeLines(text)) return { kind: 'lines' };
    const salvaged = salvageRecords(text);
    return salvaged
      ? { kind: 'invalid', reason: `cut off or malformed JSON (${errorText(err)}): ${salvaged.length} complete records before the break were read`, salvaged }
      : { kind: 'invalid', reason: `not JSON: ${errorText(err)}` };
  }
  return shapeOf(value);
}

/** Skips a JSON string starting at the quote at `i`; returns the index after its closing quote, or -1. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++; // backslash: the next character is escaped
    else if (c === 34) return j + 1;
  }
  return -1;
}

/**
 * The complete records of a `{"Records":[...]}` text that breaks off or goes
 * bad part-way: each top-level object of the array is cut out by brace
 * matching and parsed on its own, up to the first one that is incomplete.
 * Null when the text has no Records array.
 */
export function salvageRecords(text: string): unknown[] | null {
  const key = /"Records"\s*:\s*\[/.exec(text);
  if (!key) return null;
  const out: unknown[] = [];
  let i = key.index + key[0].length;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (i >= text.length || text[i] !== '{') return out;
    let depth = 0;
    let end = -1;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 34) {
        j = skipString(text, j);
        if (j === -1) return out;
        j--;
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          end = j + 1;
          break;
        }
      }
    }
    if (end === -1) return out;
    try {
      out.push(JSON.parse(text.slice(i, end)));
    } catch {
      return out;
    }
    i = end;
  }
}
