import { CloudTrailRecord } from '../cloudtrail/record';
import { COLUMNS, recordToRow } from '../history/table';

/**
 * Rows travel to DuckDB as JSON Lines, read back with read_json and explicit
 * column types. The columns that hold JSON text (raw, requestparameters, ...)
 * are written into the line as JSON, not as escaped strings, and read as
 * DuckDB's JSON type, which stores their (minified) text: escaping and
 * unescaping kilobytes per record would cost more than everything else.
 *
 * Each row also carries the file's number in this ingest and the record's
 * position in it: they order duplicates (the first one wins) and say where
 * a refused row came from.
 */
export const FILE_COLUMN = 'ingest_file';

export const POSITION_COLUMN = 'ingest_position';

/**
 * DuckDB's JSON reader holds a buffer of twice its largest accepted line per
 * thread, so the limit is kept modest: 16 MiB is still far above any
 * CloudTrail record (at most a few hundred KiB); a larger row is refused when
 * it is made (tooLarge).
 */
export const MAX_LINE_BYTES = 16 << 20;

export function tooLarge(line: string): boolean {
  return line.length > MAX_LINE_BYTES / 4 && Buffer.byteLength(line) > MAX_LINE_BYTES;
}

/** Columns whose value is JSON text (recordToRow's jsonText, and raw). */
const JSON_TEXT_COLUMNS = ['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'edgedevicedetails', 'raw'] as const;
const IS_JSON_TEXT = new Set<string>(JSON_TEXT_COLUMNS);

/** The types read_json is told: the table's, JSON for the JSON-text columns, and the two ingest columns. */
export const STAGING_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ...COLUMNS.map(([n, t]) => [n, IS_JSON_TEXT.has(n) ? 'JSON' : t] as const),
  [FILE_COLUMN, 'INTEGER'],
  [POSITION_COLUMN, 'BIGINT'],
];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * DuckDB text is UTF-8: a lone UTF-16 surrogate (possible in JSON text, as
 * an escape) cannot be stored, so it becomes U+FFFD.
 */
export function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(v)) return v.map(wellFormed);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[wellFormed(k) as string] = wellFormed(x);
    return out;
  }
  return v;
}

/** JSON.stringify escapes a surrogate as \uD8xx-\uDFxx only when it is alone. */
export function hasLoneSurrogate(json: string): boolean {
  return json.includes('\\ud') && /\\ud[89a-f]/.test(json);
}

/** The JSON text of a record as stored (`raw`), and the record it describes. */
export function storable(record: CloudTrailRecord): { record: CloudTrailRecord; raw: string } {
  const raw = JSON.stringify(record);
  if (!hasLoneSurrogate(raw)) return { record, raw };
  const clean = wellFormed(record) as CloudTrailRecord;
  return { record: clean, raw: JSON.stringify(clean) };
}

/** The types of the key lines (keyLine). */
export const KEY_COLUMNS = `{eventid: 'VARCHAR', ${FILE_COLUMN}: 'INTEGER', ${POSITION_COLUMN}: 'BIGINT'}`;

export function keyLine(eventId: string, file: number, position: number): string {
  return `{"eventid":${JSON.stringify(eventId)},"${FILE_COLUMN}":${file},"${POSITION_COLUMN}":${position}}`;
}

/** The JSON line of one record; `raw` is storable(record).raw. */
export function rowLine(record: CloudTrailRecord, raw: string, file: number, position: number): string {
  const row = recordToRow(record, raw);
  let json = '';
  for (const c of JSON_TEXT_COLUMNS) {
    const text = row[c];
    if (typeof text === 'string') json += `,"${c}":${text}`;
    row[c] = undefined; // JSON.stringify leaves it out (cheaper than delete, which reshapes the object)
  }
  row[FILE_COLUMN] = file;
  row[POSITION_COLUMN] = position;
  const plain = JSON.stringify(row);
  return `${plain.slice(0, -1)}${json}}`;
}
