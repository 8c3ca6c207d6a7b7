import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { verify } from '../src/cli/verify';
import { ingest } from '../src/cli/ingest';

const END = new Date('2024-03-10T23:59:59Z');
let dir: string;
let db: string;

function files(root: string): string[] {
  return readdirSync(root).flatMap((n) => (statSync(join(root, n)).isDirectory() ? files(join(root, n)) : [join(root, n)]));
}

async function rows(sql: string): Promise<unknown[][]> {
  const engine = await DuckDbEngine.open(db);
  const conn = await engine.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    await engine.close();
  }
}

async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await work();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-integrity-'));
  db = join(dir, 'store.duckdb');
  await generateDemo({ events: 600, out: join(dir, 'trail'), days: 2, end: END });
  const engine = await DuckDbEngine.open(db);
  try {
    await ingestPaths(engine, [join(dir, 'trail')]);
  } finally {
    await engine.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logFilesOnDisk = (): string[] => files(join(dir, 'trail')).filter((p) => p.includes('/CloudTrail/'));

test('ingest remembers each event\'s log file and the SHA-256 of its uncompressed bytes', async () => {
  const onDisk = logFilesOnDisk();
  expect(onDisk.length).toBeGreaterThan(0);
  const expected = new Map(onDisk.map((p) => [relative(join(dir, 'trail'), p), createHash('sha256').update(gunzipSync(readFileSync(p))).digest('hex')]));
  const stored = new Map((await rows('SELECT file_key, sha256 FROM log_files')).map(([k, s]) => [String(k), String(s)]));
  expect(stored).toEqual(expected);
  // Every event's file is the file holding its eventID.
  const owner = new Map<string, string>();
  for (const p of onDisk) {
    const doc = JSON.parse(gunzipSync(readFileSync(p)).toString()) as { Records: Array<{ eventID: string }> };
    for (const r of doc.Records) owner.set(r.eventID, relative(join(dir, 'trail'), p));
  }
  const links = await rows('SELECT eventid, file_key FROM event_log_files');
  expect(links.length).toBe(owner.size);
  expect(new Map(links.map(([e, k]) => [String(e), String(k)]))).toEqual(owner);
});

test('verify of the demo tree: all valid, exit 0, every file recorded VALID-able; a changed file after ingest: exit 1', async () => {
  const trail = join(dir, 'trail');
  const args = [trail, '--db', db, '--public-keys', join(trail, 'list-public-keys.output'), '--newest-signature', `@${join(trail, 'newest-signatures.txt')}`];
  expect(await quietly(() => verify(args, {}))).toBe(0);
  const [[checked, matching]] = await rows(`SELECT count(*), count(*) FILTER (WHERE c.expected_sha256 = l.sha256 AND c.verdict = 'valid') FROM log_file_checks c JOIN log_files l USING (file_key)`);
  expect(Number(checked)).toBe(logFilesOnDisk().length);
  expect(Number(matching)).toBe(Number(checked));

  const target = logFilesOnDisk()[0];
  const original = readFileSync(target);
  const plain = gunzipSync(original);
  plain[plain.indexOf('"eventName"') + 13] ^= 1;
  writeFileSync(target, gzipSync(plain));
  try {
    expect(await quietly(() => verify(args, {}))).toBe(1);
    const key = relative(trail, target);
    const [[verdict]] = await rows(`SELECT verdict FROM log_file_checks WHERE file_key = '${key}'`);
    expect(verdict).toBe("hash value doesn't match");
  } finally {
    writeFileSync(target, original);
  }
});

test('re-ingest keeps each event\'s log file; a store opens again with its evidence', async () => {
  const before = await rows('SELECT count(*) FROM event_log_files');
  const engine = await DuckDbEngine.open(db);
  try {
    await ingestPaths(engine, [join(dir, 'trail')]);
  } finally {
    await engine.close();
  }
  expect(await rows('SELECT count(*) FROM event_log_files')).toEqual(before);
  expect(Number((await rows('SELECT count(DISTINCT eventid) FROM event_log_files'))[0][0])).toBe(Number(before[0][0]));
});

test('CLI mistakes: one line naming the flag, exit 2', async () => {
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await verify([join(dir, 'trail'), '--since', 'yesterday'], {})).toBe(2);
    expect(String(err.mock.calls[0][0])).toMatch(/^trailgraph verify: --since/);
    expect(await verify(['--json'], {})).toBe(2);
    expect(await verify([join(dir, 'trail'), '--newest-signature', 'xyz'], {})).toBe(2);
  } finally {
    err.mockRestore();
  }
});

test('ingest --verify records the verdicts of what it ingested; --public-keys without --verify is a usage mistake', async () => {
  const trail = join(dir, 'trail');
  const other = join(dir, 'other.duckdb');
  const args = [trail, '--db', other, '--verify', '--public-keys', join(trail, 'list-public-keys.output'), '--newest-signature', `@${join(trail, 'newest-signatures.txt')}`];
  expect(await quietly(() => ingest(args, {}))).toBe(0);
  const engine = await DuckDbEngine.open(other);
  const conn = await engine.connect();
  try {
    const [[checked, valid]] = (await conn.runAndReadAll(`SELECT count(*), count(*) FILTER (WHERE verdict = 'valid') FROM log_file_checks`)).getRows();
    expect(Number(checked)).toBe(logFilesOnDisk().length);
    expect(Number(valid)).toBe(Number(checked));
  } finally {
    conn.closeSync();
    await engine.close();
  }
  expect(await quietly(() => ingest([trail, '--db', other, '--public-keys', 'keys.json'], {}))).toBe(2);
});
