import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { exportEvents } from '../src/cli/export';
import { ingest } from '../src/cli/ingest';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { sql } from '../src/history/sql/sql';
import { runCli } from './support/cli-run';
import { demoLogRecords } from './support/log-files';
import { readCsv } from './support/rfc4180';
import { CORPUS_DIR, corpusRecords } from './support/corpus-files';

/**
 * `trailgraph export` on a real store (demo log files ingested by the CLI),
 * run as the CLI runs it. Expected events come from the log files, read here
 * in plain TypeScript; what the store holds is read with plain SQL.
 */
const TIME = { from: '2026-11-18T00:00:00Z', to: '2026-11-21T00:00:00Z' };
const ALL = JSON.stringify({ time: TIME });

let dir: string;
let store: string;
let records: CloudTrailRecord[];
let storedRaw: Map<string, string>;

/** Each eventID once (the store keeps one event per eventID), sorted by event time then eventID: the export's order. */
function inExportOrder(rs: CloudTrailRecord[]): CloudTrailRecord[] {
  const byId = new Map(rs.map((r) => [String(r.eventID), r]));
  return [...byId.values()].sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)) || String(a.eventID).localeCompare(String(b.eventID)));
}

const accountOf = (r: CloudTrailRecord): string => String(r.recipientAccountId ?? r.userIdentity?.accountId);

async function rawById(db: string): Promise<Map<string, string>> {
  const engine = await DuckDbEngine.open(db);
  try {
    const { rows } = await engine.query(sql`SELECT eventid, raw FROM cloudtrail`);
    return new Map(rows.map((r) => [String(r.eventid), String(r.raw)]));
  } finally {
    await engine.close();
  }
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const idOf = (line: string): string => String((JSON.parse(line) as { eventID: string }).eventID);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-export-'));
  const logs = join(dir, 'logs');
  await generateDemo({ events: 1200, out: logs, days: 3, end: new Date('2026-11-20T00:00:00Z'), seed: 19 });
  records = inExportOrder(demoLogRecords(logs));
  store = join(dir, 'a.duckdb');
  const r = await runCli(ingest, ['--db', store, logs]);
  expect(r.code).toBe(0);
  storedRaw = await rawById(store);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('jsonl: every selected record as stored, one a line, in event time order; ingested into a fresh store it gives the same events and raw', async () => {
  const out = join(dir, 'all.jsonl');
  const r = await runCli(exportEvents, ['--db', store, '--filter', ALL, '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain(`${records.length} events`);
  const got = lines(out);
  expect(got.length).toBeGreaterThan(1000);
  expect(got.map(idOf)).toEqual(records.map((x) => String(x.eventID)));
  // Byte for byte what the store holds as raw.
  for (const line of got) expect(line).toBe(storedRaw.get(idOf(line)));

  const fresh = join(dir, 'b.duckdb');
  expect((await runCli(ingest, ['--db', fresh, out])).code).toBe(0);
  const again = await rawById(fresh);
  expect(again.size).toBe(records.length);
  expect(again).toEqual(storedRaw);
});

test('jsonl: the filter selects as the API does (event names and accounts), reading its JSON from a file', async () => {
  const names = ['ConsoleLogin', 'AssumeRole', 'GetObject', 'PutObject'];
  const account = '602519374862';
  const filterFile = join(dir, 'filter.json');
  writeFileSync(filterFile, JSON.stringify({ time: TIME, eventNames: names, accountIds: [account] }));
  const out = join(dir, 'some.jsonl');
  const r = await runCli(exportEvents, ['--db', store, '--filter', filterFile, '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  const expected = records.filter((x) => names.includes(String(x.eventName)) && accountOf(x) === account).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(lines(out).map(idOf)).toEqual(expected);
});

test('jsonl: enum and boolean criteria as the API reads them (identity type, readOnly, hasError)', async () => {
  const out = join(dir, 'writes.jsonl');
  const filter = JSON.stringify({ time: TIME, identityTypes: ['ASSUMED_ROLE'], readOnly: false });
  expect((await runCli(exportEvents, ['--db', store, '--filter', filter, '--format', 'jsonl', '--out', out])).code).toBe(0);
  // readOnly false: every call whose readOnly is not true (a JSON boolean, or the text "true" in any case).
  const readOnly = (x: CloudTrailRecord): boolean => String((x as { readOnly?: unknown }).readOnly).toLowerCase() === 'true';
  const expected = records.filter((x) => x.userIdentity?.type === 'AssumedRole' && !readOnly(x)).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(lines(out).map(idOf)).toEqual(expected);

  const failed = join(dir, 'failed.jsonl');
  expect((await runCli(exportEvents, ['--db', store, '--filter', JSON.stringify({ time: TIME, hasError: true }), '--format', 'jsonl', '--out', failed])).code).toBe(0);
  const errors = records.filter((x) => typeof x.errorCode === 'string' && x.errorCode !== '').map((x) => String(x.eventID));
  expect(errors.length).toBeGreaterThan(0);
  expect(lines(failed).map(idOf)).toEqual(errors);
});

test('csv: RFC 4180 with a header; read back it gives the same events, raw as stored, nested columns as JSON', async () => {
  const out = join(dir, 'all.csv');
  const r = await runCli(exportEvents, ['--db', store, '--filter', ALL, '--format', 'csv', '--out', out]);
  expect(r.code).toBe(0);
  const [header, ...rows] = readCsv(readFileSync(out, 'utf8'));
  expect(header).toEqual(expect.arrayContaining(['eventid', 'eventtime', 'eventname', 'useridentity', 'resources', 'errorcode', 'raw', 'account']));
  const col = (row: (string | null)[], name: string) => row[header.indexOf(name)];
  expect(rows.length).toBe(records.length);
  expect(rows.length).toBeGreaterThan(1000);
  rows.forEach((row, i) => {
    const rec = records[i];
    expect(col(row, 'eventid')).toBe(rec.eventID);
    expect(col(row, 'eventtime')).toBe(rec.eventTime);
    expect(col(row, 'eventname')).toBe(rec.eventName);
    expect(col(row, 'account')).toBe(accountOf(rec));
    expect(col(row, 'raw')).toBe(storedRaw.get(String(rec.eventID)));
    // Absent is NULL (an empty field), not an empty text.
    expect(col(row, 'errorcode')).toBe(rec.errorCode ?? null);
    expect((JSON.parse(String(col(row, 'useridentity'))) as { type: string }).type).toBe(rec.userIdentity?.type);
  });
  // Some fields need quoting (raw always does: it holds quotes and commas), and they read back whole.
  expect(rows.some((row) => String(col(row, 'raw')).includes('","'))).toBe(true);
});

test('parquet: DuckDB reads back the same events with the table\'s columns (structs as structs), ZSTD-compressed', async () => {
  const out = join(dir, 'all.parquet');
  const r = await runCli(exportEvents, ['--db', store, '--filter', ALL, '--format', 'parquet', '--out', out]);
  expect(r.code).toBe(0);
  expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false);
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const { rows } = await engine.query(sql`SELECT eventid, raw, useridentity.type AS identity_type, account FROM read_parquet(${out})`);
    expect(rows.length).toBe(records.length);
    // Parquet keeps the store's order (README "Export"): the same events, each once.
    const byId = new Map(records.map((x) => [x.eventID, x]));
    expect(new Set(rows.map((x) => x.eventid))).toEqual(new Set(byId.keys()));
    for (const row of rows) {
      expect(row.raw).toBe(storedRaw.get(String(row.eventid)));
      expect(row.identity_type).toBe(byId.get(String(row.eventid))?.userIdentity?.type ?? null);
    }
    const codecs = await engine.query(sql`SELECT DISTINCT compression FROM parquet_metadata(${out})`);
    expect(codecs.rows.map((x) => x.compression)).toEqual(['ZSTD']);
  } finally {
    await engine.close();
  }
});

test('standard output is the default (jsonl, csv): the same records in the same order', async () => {
  const chunks: Buffer[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(Buffer.from(chunk));
    return true;
  });
  let code: number;
  try {
    ({ code } = await runCli(exportEvents, ['--db', store, '--filter', ALL, '--format', 'jsonl']));
  } finally {
    write.mockRestore();
  }
  expect(code).toBe(0);
  const text = Buffer.concat(chunks).toString('utf8');
  expect(text.length).toBeGreaterThan(0);
  expect(text.split('\n').filter((l) => l !== '').map(idOf)).toEqual(records.map((x) => String(x.eventID)));
});

test('the shared corpus of real records round-trips: export --format jsonl then ingest gives the same events and raw', async () => {
  const source = join(dir, 'corpus.duckdb');
  expect((await runCli(ingest, ['--db', source, CORPUS_DIR])).code).toBeLessThanOrEqual(1); // 1: the corpus holds records ingest rejects (no eventID)
  const expected = new Set(corpusRecords().map((x) => String(x.eventID)));
  const before = await rawById(source);
  expect(before.size).toBeGreaterThan(500);
  expect(new Set(before.keys())).toEqual(expected);
  // Its records span years: one window over all of them, with the longest span the setting allows.
  const out = join(dir, 'corpus.jsonl');
  const filter = JSON.stringify({ time: { from: '1990-01-01T00:00:00Z', to: '2090-01-01T00:00:00Z' } });
  const r = await runCli(exportEvents, ['--db', source, '--max-span-days', '36600', '--filter', filter, '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  const fresh = join(dir, 'corpus-again.duckdb');
  expect((await runCli(ingest, ['--db', fresh, out])).code).toBe(0);
  expect(await rawById(fresh)).toEqual(before);
}, 60_000);
