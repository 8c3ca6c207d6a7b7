/**
 * Makes DuckDB speak the Trino functions the builder uses. Where DuckDB can
 * express a Trino function as a macro, it is a macro; functions that take a
 * lambda cannot be macros in DuckDB, so their names are mapped in the text
 * (the builder writes them as `name(` with no space, and no column is named so).
 * The macros are TEMP: each connection makes its own, so connections opened
 * while others run statements never write the shared catalog (a concurrent
 * CREATE OR REPLACE there is a write-write conflict), and the store file
 * carries none of them.
 */
export const COMPAT_MACROS: readonly string[] = [
  `SET TimeZone = 'UTC'`,
  // late_materialization_max_rows stays at DuckDB's default (50): at or below that LIMIT a top-N keeps row ids
  // and fetches its rows' columns afterwards. Raised to cover every page (it was 10001), pages of 50 got 2-3x
  // slower on the 1M-event demo (by event name, 7 days: 10.6-14.5 ms against 4.3; with raw and payloads:
  // 95-114 against 45-59), now that a page reads only its selection's columns and only its days' row groups.
  `CREATE OR REPLACE TEMP MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
  `CREATE OR REPLACE TEMP MACRO json_format(j) AS CAST(j AS VARCHAR)`,
  `CREATE OR REPLACE TEMP MACRO json_parse(s) AS CAST(s AS JSON)`,
  `CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO to_iso8601(t) AS strftime(t, '%Y-%m-%dT%H:%M:%SZ')`,
  `CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE OR REPLACE TEMP MACRO arrays_overlap(a, b) AS list_has_any(a, b)`,
  `CREATE OR REPLACE TEMP MACRO array_join(a, sep) AS array_to_string(a, sep)`,
  // Trino's is_json_scalar (detection rules read a JSON member as text only when it is a scalar).
  `CREATE OR REPLACE TEMP MACRO is_json_scalar(j) AS json_type(j) NOT IN ('OBJECT', 'ARRAY')`,
];

const RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\btransform\(/g, 'list_transform('],
  [/\bfilter\(/g, 'list_filter('],
  [/\bcardinality\(/g, 'len('],
];

/** Trino text → DuckDB text. Parameters keep their positions. */
export function toDuckDbSql(trino: string): string {
  let text = trino;
  for (const [from, to] of RENAMES) text = text.replace(from, to);
  return text;
}
