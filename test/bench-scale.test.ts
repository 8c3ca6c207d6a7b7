import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sql } from '../src/history/sql/sql';
import { SizeRun, scaleTable } from '../bench/scale';
import { ScaleCase, rowsScanned } from '../bench/scale-child';

/**
 * The scale bench's two parts that decide its verdicts: the rows a statement
 * scanned (DuckDB's profile, over a real table whose row groups a person can
 * count) and the verdict per target (over literal results).
 */
describe('rows scanned, from DuckDB profile', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    // 300,000 ascending values: three row groups of DuckDB's 122,880 rows (the last one 54,240).
    await conn.run('CREATE TABLE t AS SELECT range AS x FROM range(300000)');
    await conn.run(`SET profiling_mode = 'detailed'`);
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it('counts every row of a full scan', async () => {
    expect(await rowsScanned(conn, sql`SELECT sum(x) AS s FROM t WHERE x >= ${0}`)).toBe(300_000);
  });

  it('counts only the row groups a bound filter keeps (zone maps skip the others)', async () => {
    const n = await rowsScanned(conn, sql`SELECT sum(x) AS s FROM t WHERE x >= ${250_000}`);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(54_240);
  });
});

describe('scale table verdicts', () => {
  const c = (name: string, p50: number, rowsRead: number, statements = 1): ScaleCase => ({ name, p50, p95: p50 * 2, statements, rowsRead });
  const run = (size: number, cases: ScaleCase[], maxRssMiB: number): SizeRun => ({ size, result: { cases, storeBytes: size * 100, maxRssMiB, servingPeakRssMiB: maxRssMiB, endRssMiB: maxRssMiB, duckdbMiB: 100, ms: 1 }, generateS: null, ingestS: null, casesS: 1 });
  const small = run(1_000_000, [
    c('events by principal, one day', 10, 1000),
    c('graph: one session, summary and first 50 events', 10, 1000),
    c('eventStats by EVENT_NAME, DAY buckets, 30 days', 100, 1_000_000),
    c('graph: principal with topEventNames, 30 days', 20, 5000),
    c('graph: depth-4 principals → sessions → events, resources, one day', 50, 9000, 5),
  ], 400);
  const large = run(10_000_000, [
    c('events by principal, one day', 15, 1900), // 1.5x, 1.9x: within 2x
    c('graph: one session, summary and first 50 events', 30, 1500), // p50 3x: misses 2x
    c('eventStats by EVENT_NAME, DAY buckets, 30 days', 900, 11_000_000), // rows 11x over a 10x size ratio
    c('graph: principal with topEventNames, 30 days', 150, 50_000), // 7.5x, 10x: linear
    c('graph: depth-4 principals → sessions → events, resources, one day', 60, 9500, 6),
  ], 1600);
  const lines = scaleTable([small, large]).split('\n');
  const row = (prefix: string): string => {
    const found = lines.find((l) => l.startsWith(`| ${prefix}`));
    if (!found) throw new Error(`no row ${prefix}`);
    return found;
  };

  it('passes a page of events within 2x, misses a session summary past it', () => {
    expect(row('events by principal')).toMatch(/≤ 2x: pass \|$/);
    expect(row('graph: one session')).toMatch(/≤ 2x: MISS \(p50\) \|$/);
  });

  it('holds the 30-day cases to the sizes ratio', () => {
    expect(row('eventStats')).toMatch(/≤ linear \(10\.0x\): MISS \(rows read\) \|$/);
    expect(row('graph: principal')).toMatch(/≤ linear \(10\.0x\): pass \|$/);
  });

  it('counts the depth-4 statements and the server RSS at the largest size', () => {
    expect(row('graph: depth-4')).toMatch(/≤ 5 statements: MISS \|$/);
    expect(row('server peak RSS')).toMatch(/< 1\.5 GiB at the largest: MISS \|$/);
  });

  it('judges the RSS by the peak while serving, not by the set-up look-ups before it', () => {
    const setUpPeak = { ...large, result: { ...large.result, maxRssMiB: 2800, servingPeakRssMiB: 1000 } };
    const table = scaleTable([small, setUpPeak]).split('\n');
    expect(table.find((l) => l.startsWith('| server peak RSS'))).toMatch(/< 1\.5 GiB at the largest: pass \|$/);
  });
});
