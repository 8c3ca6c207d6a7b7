import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Row } from '../src/history/engine';
import { rowsOf } from '../src/history/duckdb/result-rows';

/**
 * The documented row contract, written here: DuckDB's own JS row objects
 * (the library's reader), with big integers as numbers and lists and structs
 * as their JSON text; strings, numbers, booleans and NULL as they are.
 */
function scalarOf(v: unknown): Row[string] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

async function oldRows(conn: DuckDBConnection, text: string, params: Array<string | number>): Promise<Row[]> {
  const reader = await conn.runAndReadAll(text, params);
  return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, scalarOf(v)])));
}

describe('DuckDB result rows', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it('reads every kind of column as the row objects did, over several chunks', async () => {
    // 5000 rows: three chunks; every fourth value NULL; long and short, ASCII and not, strings.
    const text = `SELECT
        CASE WHEN i % 4 = 0 THEN NULL ELSE 'event-' || i || repeat('x', i % 20) || '-ü€' END AS s,
        CASE WHEN i % 4 = 1 THEN NULL ELSE i % 3 = 0 END AS b,
        CASE WHEN i % 4 = 2 THEN NULL ELSE i::INTEGER END AS n32,
        (i * 1000003)::BIGINT AS n64, (i - 2500)::HUGEINT AS n128, (i % 100)::TINYINT AS n8, i::UINTEGER AS u32,
        i / 7.0 AS dbl, (i / 3)::FLOAT AS flt, (i / 8)::DECIMAL(10, 3) AS dec,
        DATE '2026-11-21' + (i % 30)::INTEGER AS d, TIMESTAMP '2026-11-21 00:00:00' + to_seconds(i) AS ts,
        [i::INTEGER, (i + 1)::INTEGER] AS list, {'a': i::INTEGER, 'b': 'x' || i} AS st, uuid() IS NOT NULL AS has_uuid,
        NULL AS nothing, ? AS param_text, ?::BIGINT AS param_big,
        i AS dup, i + 1 AS dup
      FROM range(5000) t(i) ORDER BY i`;
    const params = ['arn:aws:iam::123456789012:role/some-role-with-a-long-name', 42];
    const expected = await oldRows(conn, text, params);
    const got = rowsOf(await conn.run(text, params));
    expect(got).toHaveLength(5000);
    expect(got).toEqual(expected);
    // Same columns in the same order (the order of a row's keys is the statement's).
    expect(Object.keys(got[1])).toEqual(Object.keys(expected[1]));
    // Spot checks that would catch a reader handing out the wrong kind of value.
    expect(got[0].s).toBeNull();
    expect(got[1].s).toBe('event-1x-ü€');
    expect(typeof got[7].n64).toBe('number');
    expect(got[7].n128).toBe(7 - 2500);
    expect(typeof got[7].d).toBe('string');
    expect(got[7].list).toBe('[7,8]');
    expect(got[7].st).toBe('{"a":7,"b":"x7"}');
    expect(got[7].param_big).toBe(42);
  });

  it('gives no rows for an empty result', async () => {
    const text = 'SELECT 1 AS a, ? AS b WHERE false';
    expect(rowsOf(await conn.run(text, ['x']))).toEqual([]);
    expect(rowsOf(await conn.run(text, ['x']))).toEqual(await oldRows(conn, text, ['x']));
  });
});
