import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalDestination, compactStore } from '../src/compact';
import { ingestPaths } from '../src/ingest/ingest';
import { logFile } from './support/temp-tree';
import { loadConfig } from '../src/config';
import { createEngine } from '../src/history/engine-factory';
import { MemoryLog } from './support/engines';
import { CORPUS_ACCOUNT } from './support/trail-tree';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { Sql, sql, trusted } from '../src/history/sql/sql';
import { AthenaOver, athenaOver, athenaParquetOver } from './support/engines';
import { accountOf, firstOfEachId, timeOf } from './support/expected';
import { corpusRecords, storeWith } from './support/fixture-store';
import { filesUnder } from './support/log-files';

/**
 * The emulator's Parquet mode bills as Athena bills Parquet: the files of
 * the partitions a statement reads, only the columns it names, and not the
 * row groups its eventtime bounds exclude. The sizes to compare with are
 * the files' own sizes on disk, and the answers are compared with the
 * emulator over the same store's JSON.
 */
const records = firstOfEachId(corpusRecords());
const dayOf = (r: CloudTrailRecord) => timeOf(r).slice(0, 10).replace(/-/g, '/');

let duck: DuckDbEngine;
let parquet: AthenaOver & { dir: string };
let json: AthenaOver;
// The day of the corpus with the most events, and its account with the most events.
let day: string;
let account: string;

beforeAll(async () => {
  duck = await storeWith(records);
  parquet = await athenaParquetOver(duck);
  json = await athenaOver(duck);
  const commonest = (rs: readonly CloudTrailRecord[], f: (r: CloudTrailRecord) => string) =>
    [...rs.reduce((m, r) => m.set(f(r), (m.get(f(r)) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0][0];
  day = commonest(records, dayOf);
  account = commonest(records.filter((r) => dayOf(r) === day), accountOf);
}, 120_000);
afterAll(async () => {
  await parquet.close();
  await json.close();
  await duck.close();
});

async function run(over: AthenaOver, statement: Sql): Promise<{ rows: unknown[]; bytes: number }> {
  const { rows, stats } = await over.engine.query(statement);
  return { rows, bytes: stats.bytesScanned ?? 0 };
}

/** The bytes on disk of the events files of that day and account. */
function filesOf(d: string, a: string): number {
  return filesUnder(join(parquet.dir, 'events'))
    .filter((f) => f.includes(`/account=${a}/`) && f.includes(`/day=${d}/`))
    .reduce((n, f) => n + statSync(f).size, 0);
}

const oneDay = (columns: string) =>
  sql`SELECT ${trusted(columns)} FROM cloudtrail WHERE day >= ${day} AND day <= ${day} AND account = ${account} ORDER BY eventid`;

test('a statement is billed part of the files of its partitions, and gives the answer it gives over JSON', async () => {
  const p = await run(parquet, oneDay('eventid, eventname'));
  const j = await run(json, oneDay('eventid, eventname'));
  const expected = records.filter((r) => dayOf(r) === day && accountOf(r) === account).length;
  expect(expected).toBeGreaterThan(3);
  expect(p.rows.length).toBe(expected);
  expect(p.rows).toEqual(j.rows);
  expect(p.bytes).toBeGreaterThan(0);
  expect(p.bytes).toBeLessThan(filesOf(day, account));
  expect(p.bytes).toBeLessThan(j.bytes);
});

test('only the columns a statement names are billed: raw costs more than eventname', async () => {
  const narrow = await run(parquet, oneDay('eventid, eventname'));
  const wide = await run(parquet, oneDay('eventid, eventname, raw'));
  expect(wide.bytes).toBeGreaterThan(narrow.bytes);
  expect(wide.bytes).toBeLessThan(filesOf(day, account));
});

test('SELECT * straight from the table is billed every column; SELECT * over a subquery only what the subquery reads', async () => {
  const narrow = await run(parquet, oneDay('eventid'));
  const wrapped = await run(parquet, sql`SELECT * FROM (${oneDay('eventid')}) s`);
  expect(wrapped.bytes).toBe(narrow.bytes);
  const all = await run(parquet, sql`SELECT * FROM cloudtrail WHERE day >= ${day} AND day <= ${day} AND account = ${account}`);
  const wide = await run(parquet, oneDay('eventid, eventname, raw'));
  expect(all.bytes).toBeGreaterThan(wide.bytes);
  expect(all.bytes).toBeLessThanOrEqual(filesOf(day, account));
});

test('a partition the WHERE rules out is not billed; a row group whose eventtime range the bounds exclude is skipped', async () => {
  const none = await run(parquet, sql`SELECT eventid FROM cloudtrail WHERE day >= ${'1999/01/01'} AND day <= ${'1999/01/02'}`);
  expect(none).toEqual({ rows: [], bytes: 0 });
  // The day's partitions, with an eventtime window after the day: the partition is read, its row groups skipped.
  const after = `${day.replace(/\//g, '-')}T23:59:59.999Z`;
  const skipped = await run(parquet, sql`SELECT eventid FROM cloudtrail WHERE day >= ${day} AND day <= ${day} AND account = ${account} AND eventtime >= ${after}`);
  expect(skipped).toEqual({ rows: [], bytes: 0 });
  const overJson = await run(json, sql`SELECT eventid FROM cloudtrail WHERE day >= ${day} AND day <= ${day} AND account = ${account} AND eventtime >= ${after}`);
  expect(overJson.bytes).toBeGreaterThan(0);
});

test('over Parquet the engine reads "$path" as log_file: the log file each event was read from, as ingest recorded it', async () => {
  const some = records.filter((r) => dayOf(r) === day).slice(0, 5);
  const root = mkdtempSync(join(tmpdir(), 'trailgraph-path-'));
  const key = `AWSLogs/${CORPUS_ACCOUNT}/CloudTrail/us-east-1/${day}/${CORPUS_ACCOUNT}_CloudTrail_us-east-1_${day.replace(/\//g, '')}T0000Z_path.json`;
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), logFile(some));
  const store = await DuckDbEngine.open(join(root, 'store.duckdb'));
  const over = await athenaParquetOver(store);
  try {
    await ingestPaths(store, [join(root, 'AWSLogs')]);
    // Compacted again after the ingest, and the emulator told so.
    await compactStore(store, new LocalDestination(over.dir));
    await over.emulator.dataChanged();
    // The engine as the server builds it from its settings: --athena-format parquet (TRAILGRAPH_ATHENA_FORMAT).
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAFROMENV', AWS_SECRET_ACCESS_KEY: 'from-env' });
    const { config } = loadConfig(['--engine', 'athena', '--athena-endpoint', over.emulator.endpoint, '--athena-region', 'us-east-1'], { TRAILGRAPH_ATHENA_FORMAT: 'parquet' });
    expect(config.athenaFormat).toBe('parquet');
    const configured = await createEngine(config, new MemoryLog());
    try {
      const { rows } = await configured.query(sql`SELECT eventid, "$path" AS path FROM cloudtrail WHERE day >= ${day} AND day <= ${day}`);
      expect(new Set((rows as Array<{ eventid: string }>).map((r) => r.eventid))).toEqual(new Set(some.map((r) => r.eventID)));
      for (const r of rows as Array<{ path: unknown }>) expect(String(r.path)).toMatch(new RegExp(`${key.replace(/[/.]/g, '\\$&')}$`));
    } finally {
      await configured.close();
      process.env = saved;
    }
  } finally {
    await over.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}, 120_000);
