import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingest } from '../src/cli/ingest';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { IngestSummary, countEvents, ingestPaths } from '../src/ingest';
import { logFile, tempTree } from './support/temp-tree';
import { sampleRecord } from './support/sample-record';

/** Bad input never loses good data: each case is a small file set ingested into a fresh store. */
type Rec = Record<string, unknown>;

const record = sampleRecord;

const { files, path } = tempTree('tg-bad-input-');

async function withStore<T>(run: (engine: DuckDbEngine) => Promise<T>): Promise<T> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

async function ingestOnce(paths: string[]): Promise<{ summary: IngestSummary; raws: Map<string, string> }> {
  return withStore(async (engine) => {
    const summary = await ingestPaths(engine, paths);
    const conn = await engine.connect();
    const rows = (await conn.runAndReadAll('SELECT eventid, raw FROM cloudtrail')).getRows();
    conn.closeSync();
    return { summary, raws: new Map(rows.map(([id, raw]) => [String(id), String(raw)])) };
  });
}

function balanced(s: IngestSummary): void {
  for (const f of s.perFile) expect(f.stored + f.duplicates + f.rejected).toBe(f.records);
  expect(s.stored + s.duplicates + s.rejected).toBe(s.records);
}

describe('ingest of bad input', () => {
  test('a truncated gzip log file: the records before the break load, the file is reported, other files load', async () => {
    const records = Array.from({ length: 200 }, (_, i) => record(i, { padding: 'x'.repeat(200 + i) }));
    const gz = gzipSync(logFile(records));
    const dir = files({ 'a/cut.json.gz': gz.subarray(0, Math.floor(gz.length * 0.6)), 'b/good.json.gz': gzipSync(logFile([record(1000)])) });
    const { summary, raws } = await ingestOnce([dir]);
    balanced(summary);
    const cut = summary.perFile.find((f) => f.path.endsWith('cut.json.gz'));
    expect(cut?.failed).toBe(true);
    expect(cut?.stored).toBeGreaterThan(50);
    expect(cut?.stored).toBeLessThan(200);
    expect(summary.failedFiles).toBe(1);
    expect(summary.problems.some((p) => p.path.endsWith('cut.json.gz') && p.position === undefined && /gzip/.test(p.reason))).toBe(true);
    expect(raws.has(String(record(1000).eventID))).toBe(true);
    // What loaded is the start of the file, whole.
    for (let i = 0; i < (cut?.stored ?? 0); i++) expect(JSON.parse(raws.get(String(records[i].eventID)) ?? 'null')).toEqual(records[i]);
  });

  test('a truncated JSON Lines gzip keeps its complete lines', async () => {
    const text = Array.from({ length: 300 }, (_, i) => JSON.stringify(record(i, { padding: 'y'.repeat(300) }))).join('\n');
    const gz = gzipSync(text);
    const dir = files({ 'cut.jsonl.gz': gz.subarray(0, gz.length - 200) });
    const { summary } = await ingestOnce([dir]);
    balanced(summary);
    expect(summary.stored).toBeGreaterThan(100);
    expect(summary.failedFiles).toBe(1);
  });

  test('a file that is not JSON, and Records that is not an array, are reported and skipped', async () => {
    const dir = files({ 'junk.json': 'this is not json at all', 'odd.json': JSON.stringify({ Records: { eventID: 'x' } }), 'ok.json': logFile([record(1)]) });
    const { summary } = await ingestOnce([dir]);
    balanced(summary);
    expect(summary.stored).toBe(1);
    expect(summary.failedFiles).toBe(2);
    const reasons = new Map(summary.problems.map((p) => [p.path.split('/').pop(), p]));
    expect(reasons.get('junk.json')?.reason).toMatch(/^not JSON/);
    expect(reasons.get('odd.json')?.reason).toMatch(/Records is object, not an array/);
  });

  test('a complete-but-cut {"Records":[...]} text keeps the records before the cut', async () => {
    const text = logFile([record(1), record(2), record(3)]);
    const dir = files({ 'cut.json': text.slice(0, text.length - 40) });
    const { summary } = await ingestOnce([dir]);
    balanced(summary);
    expect(summary.stored).toBe(2);
    expect(summary.failedFiles).toBe(1);
  });

  test('records without eventID or eventTime are rejected with file, position and reason; the others load', async () => {
    const noId = record(2);
    delete noId.eventID;
    const noTime = record(3);
    delete noTime.eventTime;
    const dir = files({ 'f.json': logFile([record(1), noId, noTime, record(4, { eventTime: 'yesterday' }), 'not a record', record(5)]) });
    const { summary } = await ingestOnce([dir]);
    balanced(summary);
    expect(summary.stored).toBe(2);
    expect(summary.rejected).toBe(4);
    expect(summary.problems.map((p) => [p.position, p.reason])).toEqual([
      ['Records[1]', 'missing eventID'],
      ['Records[2]', 'missing eventTime'],
      ['Records[3]', 'eventTime is not an ISO 8601 instant'],
      ['Records[4]', 'not an object'],
    ]);
    expect(summary.problems.every((p) => p.path.endsWith('f.json'))).toBe(true);
  });

  test('unknown fields are kept: raw is the whole record', async () => {
    const odd = record(1, { brandNewField: { nested: [1, 2, { deep: true }] }, userIdentity: { type: 'FutureType', somethingElse: 'x' } });
    const { summary, raws } = await ingestOnce([files({ 'f.json': logFile([odd]) })]);
    expect(summary.stored).toBe(1);
    expect(JSON.parse(raws.get(String(odd.eventID)) ?? 'null')).toEqual(odd);
  });

  test('the same record twice is stored once (a duplicate); another record reusing its eventID is a conflict', async () => {
    const original = record(7);
    const impostor = record(7, { eventName: 'DeleteBucket' });
    const dir = files({ '1.json': logFile([original]), '2.json': logFile([original, impostor, record(8)]) });
    const { summary, raws } = await ingestOnce([dir]);
    balanced(summary);
    expect([summary.stored, summary.duplicates, summary.rejected]).toEqual([2, 1, 1]);
    expect(JSON.parse(raws.get(String(original.eventID)) ?? 'null')).toEqual(original);
    const conflict = summary.problems.find((p) => /conflict/.test(p.reason));
    expect(conflict?.path.endsWith('2.json')).toBe(true);
    expect(conflict?.position).toBe('Records[1]');
  });

  test('a conflict with a stored event is kept out on a later ingest', async () => {
    await withStore(async (engine) => {
      await ingestPaths(engine, [files({ 'a.json': logFile([record(9)]) })]);
      const later = await ingestPaths(engine, [files({ 'b.json': logFile([record(9, { eventName: 'Other' }), record(9), record(10)]) })]);
      balanced(later);
      expect([later.stored, later.duplicates, later.rejected]).toEqual([1, 1, 1]);
      expect(later.problems[0].reason).toMatch(/already stored/);
      expect(await countEvents(engine)).toBe(2);
    });
  });

  test('digest files are recognised and skipped, by folder or by shape', async () => {
    const digest = JSON.stringify({ awsAccountId: '111122223333', digestStartTime: '2025-02-03T10:00:00Z', digestEndTime: '2025-02-03T11:00:00Z', digestS3Object: 'x', logFiles: [] });
    const dir = files({
      'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2025/02/03/111122223333_CloudTrail-Digest_eu-west-1_x_20250203T110000Z.json.gz': gzipSync(digest),
      'elsewhere/digest.json': digest,
      'AWSLogs/111122223333/CloudTrail/eu-west-1/2025/02/03/111122223333_CloudTrail_eu-west-1_20250203T1015Z_abc.json.gz': gzipSync(logFile([record(1)])),
    });
    const { summary } = await ingestOnce([dir]);
    expect([summary.files, summary.digestFiles, summary.records, summary.stored, summary.problems.length]).toEqual([3, 2, 1, 1, 0]);
  });

  test('the output of aws cloudtrail lookup-events is read: each CloudTrailEvent string is a record', async () => {
    const events = [record(1), record(2)].map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) }));
    const dir = files({ 'lookup.json': JSON.stringify({ Events: [...events, { EventId: 'x', CloudTrailEvent: '{broken' }], NextToken: 'abc' }) });
    const { summary, raws } = await ingestOnce([dir]);
    balanced(summary);
    expect([summary.stored, summary.rejected]).toEqual([2, 1]);
    expect(summary.problems[0].position).toBe('Events[2]');
    expect(JSON.parse(raws.get(String(record(2).eventID)) ?? 'null')).toEqual(record(2));
  });

  test('JSON Lines, plain and gzip: bad lines are rejected by line number, blank lines ignored', async () => {
    const lines = [JSON.stringify(record(1)), '', '{"eventID": ', JSON.stringify(record(2))].join('\n');
    const dir = files({ 'a.jsonl': lines, 'b.jsonl.gz': gzipSync([record(3), record(4)].map((r) => JSON.stringify(r)).join('\n') + '\n') });
    const { summary } = await ingestOnce([dir]);
    balanced(summary);
    expect([summary.stored, summary.rejected]).toEqual([4, 1]);
    expect(summary.problems[0]).toMatchObject({ position: 'line 3', reason: 'not JSON' });
  });

  test('ingesting the same files again adds nothing', async () => {
    const dir = files({ 'x/a.json.gz': gzipSync(logFile([record(1), record(2)])), 'y/b.jsonl': JSON.stringify(record(3)) });
    await withStore(async (engine) => {
      const first = await ingestPaths(engine, [dir]);
      const second = await ingestPaths(engine, [dir]);
      expect([first.stored, first.duplicates]).toEqual([3, 0]);
      expect([second.records, second.stored, second.duplicates, second.rejected]).toEqual([3, 0, 3, 0]);
      expect(await countEvents(engine)).toBe(3);
    });
  });

  test('a record with lone UTF-16 surrogates is stored with U+FFFD in their place', async () => {
    const text = logFile([record(1, { userAgent: 'agent-\ud800-x' })]);
    const { summary, raws } = await ingestOnce([files({ 'f.json': text })]);
    expect(summary.stored).toBe(1);
    expect((JSON.parse(raws.get(String(record(1).eventID)) ?? '{}') as Rec).userAgent).toBe('agent-\ufffd-x');
  });

  test('a path that does not exist is reported; the others load', async () => {
    const dir = files({ 'a.json': logFile([record(1)]) });
    const { summary } = await ingestOnce([path('no-such-dir'), dir]);
    expect(summary.stored).toBe(1);
    expect(summary.failedFiles).toBe(1);
    expect(summary.problems[0].path).toBe(path('no-such-dir'));
  });

  test('worker threads give the same account as in-process reading', async () => {
    const dir = files({
      'a.json.gz': gzipSync(logFile(Array.from({ length: 300 }, (_, i) => record(i)))),
      'b.jsonl': [record(5), record(300), record(5, { eventName: 'Other' })].map((r) => JSON.stringify(r)).join('\n'),
      'c.json': 'nope',
    });
    const inline = await withStore((engine) => ingestPaths(engine, [dir], { workers: 0 }));
    const threaded = await withStore((engine) => ingestPaths(engine, [dir], { workers: 2, batchRows: 100 }));
    const shape = (s: IngestSummary): unknown => ({ ...s, elapsedMs: 0, problems: [...s.problems].sort((a, b) => a.path.localeCompare(b.path)) });
    expect(shape(threaded)).toEqual(shape(inline));
    expect([inline.stored, inline.duplicates, inline.rejected, inline.failedFiles]).toEqual([301, 1, 1, 1]);
  }, 60_000);
});

describe('trailgraph ingest (CLI)', () => {
  async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      return { status: await ingest(args, {}), out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  test('exit 0 when everything loaded, 1 when something was rejected (the good part still loads), 2 without paths', async () => {
    const db = path('cli', 'store.duckdb');
    const good = files({ 'a.json': logFile([record(1), record(2)]) });
    const bad = files({ 'b.json': logFile([record(3), { eventTime: '2025-01-01T00:00:00Z' }]) });
    const first = await run(['--db', db, good]);
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/2 records, 2 new, 0 duplicates, 0 rejected/);
    // The good folder was read already (same file, same size and mtime): only the bad one is read.
    const second = await run(['--db', db, good, bad]);
    expect(second.status).toBe(1);
    expect(second.out).toMatch(/2 records, 1 new, 0 duplicates, 1 rejected/);
    expect(second.out).toMatch(/2 listed, 1 skipped as already read, 1 read, 0 failed/);
    expect(second.err).toContain(`${join(bad, 'b.json')} Records[1]: missing eventID`);
    expect((await run(['--db', db])).status).toBe(2);
    expect((await run(['--db', db, '--bogus', good])).status).toBe(2);
    expect((await run(['--port', 'x', good])).status).toBe(2);
    const engine = await DuckDbEngine.open(db);
    try {
      expect(await countEvents(engine)).toBe(3);
    } finally {
      await engine.close();
    }
  });
});
