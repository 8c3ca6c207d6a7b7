import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { compact } from '../src/cli/compact';
import { COMPACT_TABLES, LocalDestination, MANIFEST_KEY, compactStore, openDestination, partitionFolder } from '../src/compact';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest/ingest';
import { runCli } from './support/cli-run';
import { accountOf, firstOfEachId, timeOf } from './support/expected';
import { corpusRecords, storeWith } from './support/fixture-store';
import { demoLogRecords, filesUnder } from './support/log-files';
import { upload, writeTrail } from './support/trail-tree';
import { TestS3, startS3 } from './support/s3-server';
import { logFile } from './support/temp-tree';

/**
 * `trailgraph compact`: the store as Parquet in the Hive layout, partitioned
 * by account, region and day, written again only where events changed. The
 * expected partitions and rows come from the corpus records themselves.
 */
const records = firstOfEachId(corpusRecords());
const dayOf = (r: CloudTrailRecord) => timeOf(r).slice(0, 10).replace(/-/g, '/');
const partitionOf = (r: CloudTrailRecord) => `account=${accountOf(r)}/region=${r.awsRegion ?? 'unknown'}/day=${dayOf(r)}`;
const PLAIN = /^[A-Za-z0-9._-]+$/;

let root: string;
let duck: DuckDbEngine;
let reader: DuckDBInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trailgraph-compact-test-'));
  duck = await storeWith(records, join(root, 'store.duckdb'));
  reader = await DuckDBInstance.create(':memory:');
}, 120_000);
afterAll(async () => {
  reader.closeSync();
  await duck.close();
  rmSync(root, { recursive: true, force: true });
});

/** Rows of a query on an independent in-memory DuckDB (the files read back, not the module's code). */
async function query(text: string): Promise<Record<string, unknown>[]> {
  const c = await reader.connect();
  try {
    return (await c.runAndReadAll(text)).getRowObjectsJS();
  } finally {
    c.closeSync();
  }
}

/** Each file's identity: size, modification time and inode (a rewrite changes them). */
function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => {
    const s = statSync(f);
    return [relative(dir, f), `${s.size}:${s.mtimeMs}:${s.ino}`];
  }));
}

describe('to a folder', () => {
  let out: string;
  beforeAll(async () => {
    out = join(root, 'parquet');
    await compactStore(duck, new LocalDestination(out));
  }, 120_000);

  test('every event is in the Parquet file of its account, region and day, with raw as delivered', async () => {
    // Partition values the corpus holds that are plain path segments (the escaped ones are checked by their rows below).
    const plain = records.filter((r) => PLAIN.test(accountOf(r)) && PLAIN.test(String(r.awsRegion)));
    expect(plain.length).toBeGreaterThan(10);
    const rows = await query(`SELECT eventid, raw, filename FROM read_parquet('${out}/events/**/*.parquet', filename = true)`);
    expect(rows).toHaveLength(records.length);
    const byId = new Map(rows.map((r) => [String(r.eventid), r]));
    for (const r of plain) {
      const row = byId.get(r.eventID);
      expect(row).toBeDefined();
      expect(relative(join(out, 'events'), String(row?.filename))).toMatch(new RegExp(`^${partitionOf(r).replace(/[/.]/g, '\\$&')}/part-\\d+\\.parquet$`));
      expect(JSON.parse(String(row?.raw))).toEqual(r);
    }
  });

  test('the files are ZSTD Parquet, and keep the table columns, the derived columns and the partition columns', async () => {
    const codecs = await query(`SELECT DISTINCT compression FROM parquet_metadata('${out}/*/**/*.parquet')`);
    expect(codecs.map((r) => String(r.compression))).toEqual(['ZSTD']);
    const columns = (await query(`DESCRIBE SELECT * FROM read_parquet('${out}/events/**/*.parquet')`)).map((r) => String(r.column_name));
    for (const c of ['eventid', 'eventtime', 'useridentity', 'raw', 'principal_arn', 'session_ref', 'day_number', 'account', 'region', 'day', 'log_file']) expect(columns).toContain(c);
  });

  test('the side tables are written beside the events: touches per account, region and day, principal days per account and day', async () => {
    const withResources = records.filter((r) => Array.isArray(r.resources) && r.resources.some((x) => typeof x === 'object' && x !== null && 'ARN' in x));
    expect(withResources.length).toBeGreaterThan(0);
    const touches = await query(`SELECT eventid, resource_arn FROM read_parquet('${out}/touches/**/*.parquet')`);
    for (const r of withResources) {
      for (const x of r.resources as Array<{ ARN?: string }>) if (x.ARN) expect(touches).toContainEqual({ eventid: r.eventID, resource_arn: x.ARN });
    }
    const days = await query(`SELECT account, day, sum(n)::BIGINT AS n FROM read_parquet('${out}/principal_days/**/*.parquet') GROUP BY ALL`);
    expect(days.reduce((s, r) => s + Number(r.n), 0)).toBe(records.length);
    const folders = new Set(filesUnder(join(out, 'principal_days')).map((f) => relative(join(out, 'principal_days'), f).replace(/\/part-\d+\.parquet$/, '')));
    for (const r of records.filter((x) => PLAIN.test(accountOf(x)))) expect(folders.has(`account=${accountOf(r)}/day=${dayOf(r)}`)).toBe(true);
  });

  test('a second compact writes nothing: no file written, rewritten or removed, the manifest untouched', async () => {
    const before = snapshot(out);
    expect(before.size).toBeGreaterThan(3);
    const report = await compactStore(duck, new LocalDestination(out));
    expect(report).toMatchObject({ changed: 0, filesWritten: 0, filesRemoved: 0, bytesWritten: 0 });
    expect(snapshot(out)).toEqual(before);
  });

  test('a day whose events changed is written again, and only it', async () => {
    const before = snapshot(out);
    const template = records.find((r) => PLAIN.test(accountOf(r)) && PLAIN.test(String(r.awsRegion)) && r.recipientAccountId !== undefined) as CloudTrailRecord;
    const added = { ...template, eventID: '00000000-1111-2222-3333-444444444444', eventTime: `${timeOf(template).slice(0, 10)}T23:59:58Z` };
    const logs = mkdtempSync(join(root, 'logs-'));
    writeFileSync(join(logs, 'added.json'), logFile([added]));
    await ingestPaths(duck, [logs]);
    const report = await compactStore(duck, new LocalDestination(out));
    expect(report.changed).toBe(1);
    const after = snapshot(out);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
    const day = dayOf(template);
    const account = accountOf(template);
    const events = `events/account=${account}/region=${template.awsRegion}/day=${day}/`;
    // The events and touches of that partition, the principal days of its account and day, and the manifest: nothing else.
    for (const k of changed) {
      expect([events, `touches/account=${account}/region=${template.awsRegion}/day=${day}/`, `principal_days/account=${account}/day=${day}/`, MANIFEST_KEY].some((p) => k.startsWith(p))).toBe(true);
    }
    expect(changed.some((k) => k.startsWith(events))).toBe(true);
    expect(changed).toContain(MANIFEST_KEY);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    const rows = await query(`SELECT eventid FROM read_parquet('${out}/${events}*.parquet') WHERE eventid = '${added.eventID}'`);
    expect(rows).toHaveLength(1);
  });
});

test('a partition of more than one row group is written on its own: ordered by eventtime, row groups of the size asked, files split past the cap', async () => {
  // 5,000 calls of one principal in one account, region and day (copies of a corpus record, new ids and times).
  const template = records.find((r) => PLAIN.test(accountOf(r)) && PLAIN.test(String(r.awsRegion)) && r.recipientAccountId !== undefined) as CloudTrailRecord;
  const n = 5000;
  const start = Date.parse('2025-03-04T00:00:00Z');
  const copies = Array.from({ length: n }, (_, i) => ({
    ...template,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    // Not in time order in the file: the order of the Parquet rows is compact's doing.
    eventTime: new Date(start + ((i * 7919) % n) * 17_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
  const logs = mkdtempSync(join(root, 'big-'));
  writeFileSync(join(logs, 'big.json'), logFile(copies));
  const store = await DuckDbEngine.open(join(logs, 'store.duckdb'));
  try {
    await ingestPaths(store, [join(logs, 'big.json')]);
    const out = join(logs, 'parquet');
    // DuckDB's smallest row group is 2,048 rows.
    await compactStore(store, new LocalDestination(out), { rowGroupRows: 2048, maxFileBytes: '1KB' });
    const folder = `account=${accountOf(template)}/region=${template.awsRegion}/day=2025/03/04`;
    const groups = await query(`SELECT file_name, row_group_id, row_group_num_rows AS rows, stats_min_value AS lo, stats_max_value AS hi
      FROM parquet_metadata('${out}/events/${folder}/*.parquet') WHERE path_in_schema = 'eventtime'`);
    const part = (f: unknown) => Number(/part-(\d+)\.parquet$/.exec(String(f))?.[1]);
    groups.sort((a, b) => part(a.file_name) - part(b.file_name) || Number(a.row_group_id) - Number(b.row_group_id));
    expect(groups.length).toBe(3);
    expect(new Set(groups.map((g) => g.file_name)).size).toBe(3);
    expect(groups.map((g) => Number(g.rows))).toEqual([2048, 2048, n - 4096]);
    for (let i = 1; i < groups.length; i++) expect(String(groups[i].lo) >= String(groups[i - 1].hi)).toBe(true);
  } finally {
    await store.close();
  }
}, 120_000);

test('the command: --since and --until write only the days between them, and say so in one line', async () => {
  const days = [...new Set(records.map(dayOf))].sort();
  expect(days.length).toBeGreaterThan(2);
  const day = days[Math.floor(days.length / 2)];
  const iso = day.replace(/\//g, '-');
  // A store of its own, closed: the command opens it as a user would.
  const db = join(root, 'cli.duckdb');
  await (await storeWith(records, db)).close();
  const out = join(root, 'one-day');
  const r = await runCli(compact, ['--db', db, '--to', out, '--since', iso, '--until', iso]);
  expect(r.code).toBe(0);
  expect(r.err).toEqual([]);
  expect(r.out).toHaveLength(1);
  const folders = new Set(filesUnder(join(out, 'events')).map((f) => /day=(\d{4}\/\d{2}\/\d{2})/.exec(f)?.[1]));
  expect([...folders]).toEqual([day]);
  const again = await runCli(compact, ['--db', db, '--to', out, '--since', iso, '--until', iso]);
  expect(again.code).toBe(0);
  expect(again.out[0]).toContain('nothing written');
}, 120_000);

describe('to S3 (s3rver)', () => {
  let s3: TestS3;
  let puts = 0;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startS3();
    await s3.createBucket('parquet-out');
    client = s3.client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' || context.commandName === 'DeleteObjectsCommand') puts++;
        return next(args);
      },
      { step: 'initialize', name: 'countWrites' },
    );
  });
  afterAll(async () => s3.close());

  async function keys(): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'parquet-out', Prefix: 'audit/' }));
    return (listed.Contents ?? []).map((o) => String(o.Key)).sort();
  }

  test('writes the same layout under the prefix; a second compact sends no write', async () => {
    // Two days of the corpus: every table, a few objects.
    const days = [...new Set(records.map(dayOf))].sort().slice(-2);
    const small = await storeWith(records.filter((r) => days.includes(dayOf(r))));
    const local = join(root, 'for-s3');
    await compactStore(small, new LocalDestination(local));
    const dest = openDestination('s3://parquet-out/audit', { client });
    const first = await compactStore(small, dest);
    expect(first.filesWritten).toBeGreaterThan(0);
    expect(await keys()).toEqual(filesUnder(local).map((f) => `audit/${relative(local, f)}`).sort());
    puts = 0;
    const again = await compactStore(small, dest);
    await small.close();
    expect(again).toMatchObject({ changed: 0, filesWritten: 0 });
    expect(puts).toBe(0);
    // The manifest at the prefix records what the local one does.
    const stored = JSON.parse((await dest.read(MANIFEST_KEY)) ?? '{}') as { partitions?: unknown };
    expect(stored.partitions).toEqual((JSON.parse(readFileSync(join(local, MANIFEST_KEY), 'utf8')) as { partitions: unknown }).partitions);
  });

  test('--from s3://: the logs are read (through a temporary store) and written as Parquet', async () => {
    const trail = join(root, 'trail');
    const keys = await writeTrail(trail, join(root, 'trail-scratch'), 'account', 200, false);
    await s3.createBucket('from-trail');
    await upload(s3, 'from-trail', trail, keys);
    const expected = new Set(demoLogRecords(trail).map((r) => r.eventID));
    expect(expected.size).toBeGreaterThan(50);
    const out = join(root, 'from-s3');
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      const r = await runCli(compact, ['--from', 's3://from-trail', '--s3-endpoint', s3.endpoint, '--since', '2024-06-07', '--until', '2024-06-10', '--to', out]);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const rows = await query(`SELECT eventid FROM read_parquet('${out}/events/**/*.parquet')`);
    expect(new Set(rows.map((x) => String(x.eventid)))).toEqual(expected);
  }, 120_000);
});

test('partition values that are not plain path segments are escaped as Hive escapes them: none climbs out of its folder', () => {
  const [events, , days] = COMPACT_TABLES;
  expect(partitionFolder(events, { account: '../x', region: 'us-east-1', day: '2026/11/21' })).toBe('events/account=%2E%2E%2Fx/region=us-east-1/day=2026/11/21/');
  expect(partitionFolder(events, { account: '111111111111', region: 'a/b c', day: '../../z' })).toBe('events/account=111111111111/region=a%2Fb%20c/day=%2E%2E%2F%2E%2E%2Fz/');
  expect(partitionFolder(days, { account: '', region: 'ignored', day: '2026/11/21' })).toBe('principal_days/account=__HIVE_DEFAULT_PARTITION__/day=2026/11/21/');
});

describe('bad input: one line naming the flag, exit status 2', () => {
  test.each([
    ['no --to', [], '--to'],
    ['a date that is not one', ['--to', '/tmp/x', '--since', '2024-13-45'], '--since'],
    ['--since after --until', ['--to', '/tmp/x', '--since', '2024-06-10', '--until', '2024-06-01'], '--since'],
    ['an s3 URI without a bucket', ['--to', 's3://'], '--to'],
    ['a --from that is not a source', ['--to', '/tmp/x', '--from', 's3://Not_A_Bucket'], '--from'],
  ])('%s', async (_name, args, flag) => {
    const r = await runCli(compact, ['--db', join(root, 'missing.duckdb'), ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(flag);
    expect(r.out).toEqual([]);
  });
});
