import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../src/cli/ingest';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { LayoutFilter } from '../src/sources/layout';
import { S3ObjectStore } from '../src/sources/s3-store';
import { ingestSources } from '../src/sources/ingest-sources';
import { openSource, openSources, storeSource } from '../src/sources/source';
import { FaultProxy, startFaultProxy } from './support/fault-proxy';
import { TestS3, startS3 } from './support/s3-server';
import { CORPUS_ACCOUNT, Layout, ORG_ID, testClient, upload, writeTrail } from './support/trail-tree';

/**
 * `ingest s3://...` against a real S3 wire-protocol server (s3rver), through a
 * recording, fault-injecting proxy: the same events and `raw` as ingest of
 * the same files from disk, nothing new on a second run, only the day
 * prefixes of the window listed, faults retried or reported.
 */
const WINDOW: LayoutFilter = { since: new Date('2024-06-07T00:00:00Z'), until: new Date('2024-06-10T23:00:00Z') };
const FAST_RETRY = { attempts: 4, baseMs: 5, capMs: 20 };

async function events(engine: DuckDbEngine): Promise<Array<[string, string]>> {
  const conn = await engine.connect();
  try {
    const rows = (await conn.runAndReadAll('SELECT eventid, CAST(raw AS VARCHAR) FROM cloudtrail ORDER BY eventid')).getRows();
    return rows.map(([id, raw]) => [String(id), String(raw)]);
  } finally {
    conn.closeSync();
  }
}

/** Keys of the ListObjectsV2 requests (without a delimiter: the listings of objects) the proxy saw. */
function listedPrefixes(proxy: FaultProxy): string[] {
  return proxy.seen.filter((r) => r.method === 'GET' && r.query.get('list-type') === '2' && !r.query.get('delimiter')).map((r) => r.query.get('prefix') ?? '');
}

describe.each<Layout>(['account', 'organization'])('ingest from S3, %s layout', (layout) => {
  let root: string;
  let trail: string;
  let keys: string[];
  let s3: TestS3;
  let proxy: FaultProxy;
  let fromDisk: Array<[string, string]>;
  const bucket = 'trail';

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trailgraph-s3-ingest-'));
    trail = join(root, 'trail');
    keys = await writeTrail(trail, join(root, 'demo'), layout);
    s3 = await startS3();
    await s3.createBucket(bucket);
    await upload(s3, bucket, trail, keys);
    proxy = await startFaultProxy(s3.endpoint);
    const disk = await DuckDbEngine.open(':memory:');
    try {
      await ingestPaths(disk, [trail]);
      fromDisk = await events(disk);
    } finally {
      await disk.close();
    }
  });
  afterAll(async () => {
    await proxy.close();
    await s3.close();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.fault = () => undefined;
  });

  const bucketSource = (sdkAttempts = 3) => storeSource(new S3ObjectStore(bucket, { client: testClient(proxy.endpoint, sdkAttempts) }));

  test('the same events and raw as from disk; a second run reads nothing new', async () => {
    expect(fromDisk.length).toBeGreaterThan(400); // the demo's 400 and the corpus
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const first = await ingestSources(engine, [bucketSource()], { filter: WINDOW, retry: FAST_RETRY });
      expect(first.summary.objects).toEqual({ listed: keys.length, skipped: 0, read: keys.length, failed: 0 });
      expect(await events(engine)).toEqual(fromDisk);
      expect(first.summary.store?.events).toBe(fromDisk.length);
      expect(first.summary.store?.accounts).toContain(CORPUS_ACCOUNT);
      const second = await ingestSources(engine, [bucketSource()], { filter: WINDOW, retry: FAST_RETRY });
      expect(second.summary.objects?.read).toBe(0);
      expect(second.summary.stored).toBe(0);
      // Every day prefix is listed from after its last key read: nothing comes back.
      expect(second.summary.objects?.listed).toBe(0);
      expect(proxy.seen.filter((r) => r.method === 'GET' && !r.query.has('list-type') && r.path.startsWith(`/${bucket}/AWSLogs/`)).length).toBe(keys.length);
    } finally {
      await engine.close();
    }
  });

  test('a window lists only its day prefixes, never the bucket', async () => {
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const day: LayoutFilter = { since: new Date('2024-06-09T00:00:00Z'), until: new Date('2024-06-09T23:59:59Z') };
      await ingestSources(engine, [bucketSource()], { filter: day, retry: FAST_RETRY });
      // Expected: each account and region folder of the trail (from its keys), at 2024/06/09.
      const folders = new Set(keys.map((k) => /^(.*\/CloudTrail\/[^/]+\/)\d{4}\//.exec(k)?.[1]).filter((x): x is string => !!x));
      const expected = [...folders].map((f) => `${f}2024/06/09/`).sort();
      expect(expected.length).toBeGreaterThan(1);
      expect(listedPrefixes(proxy).sort()).toEqual(expected);
      // Every listing, delimited or not, names a prefix under AWSLogs/.
      const lists = proxy.seen.filter((r) => r.query.get('list-type') === '2');
      expect(lists.every((r) => (r.query.get('prefix') ?? '').startsWith('AWSLogs/'))).toBe(true);
      if (layout === 'organization') expect(expected.every((p) => p.startsWith(`AWSLogs/${ORG_ID}/`))).toBe(true);
      // Only that day's objects were read.
      const dayKeys = keys.filter((k) => k.includes('/2024/06/09/'));
      expect(proxy.seen.filter((r) => r.method === 'GET' && !r.query.has('list-type')).map((r) => r.path.slice(bucket.length + 2)).sort()).toEqual(dayKeys);
    } finally {
      await engine.close();
    }
  });

  test('SlowDown, a dropped connection and a cut body are retried: nothing is lost', async () => {
    const targets = [keys[0], keys[1], keys[2]];
    const faults = new Map<string, 'slowdown' | 'drop' | 'truncate'>([[targets[0], 'slowdown'], [targets[1], 'drop'], [targets[2], 'truncate']]);
    proxy.fault = (r) => {
      if (r.method !== 'GET' || r.query.has('list-type')) return undefined;
      const key = r.path.slice(bucket.length + 2);
      const f = faults.get(key);
      faults.delete(key); // once each
      return f;
    };
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const got = await ingestSources(engine, [bucketSource()], { filter: WINDOW, retry: FAST_RETRY });
      expect(faults.size).toBe(0);
      expect(got.summary.objects).toEqual({ listed: keys.length, skipped: 0, read: keys.length, failed: 0 });
      expect(await events(engine)).toEqual(fromDisk);
    } finally {
      await engine.close();
    }
  });

  test('an object that keeps failing is reported with its key, not marked read, and read on the next run', async () => {
    const stuck = keys[keys.length - 1];
    proxy.fault = (r) => (r.method === 'GET' && !r.query.has('list-type') && r.path === `/${bucket}/${stuck}` ? 'slowdown' : undefined);
    const engine = await DuckDbEngine.open(':memory:');
    try {
      // The SDK's own retries off: ours (jittered, short in this test) are the ones that give up.
      const first = await ingestSources(engine, [bucketSource(1)], { filter: WINDOW, retry: FAST_RETRY });
      expect(first.summary.objects).toEqual({ listed: keys.length, skipped: 0, read: keys.length - 1, failed: 1 });
      expect(first.sources[0].failures.map((f) => f.key)).toEqual([stuck]);
      expect(first.sources[0].failures[0].reason).toMatch(/SlowDown|503/);
      expect(first.summary.problems.some((p) => p.path.endsWith(stuck))).toBe(true);
      expect((await events(engine)).length).toBeLessThan(fromDisk.length);
      proxy.fault = () => undefined;
      const second = await ingestSources(engine, [bucketSource()], { filter: WINDOW, retry: FAST_RETRY });
      expect(second.summary.objects?.read).toBe(1);
      expect(second.summary.objects?.failed).toBe(0);
      expect(await events(engine)).toEqual(fromDisk);
    } finally {
      await engine.close();
    }
  });
});

describe('trailgraph ingest s3://... (CLI)', () => {
  test('reads the bucket through --s3-endpoint; says what it listed, skipped, read and failed; a bad flag is one line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailgraph-cli-s3-'));
    const s3 = await startS3();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    const out: string[] = [];
    const err: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      // Demo logs only: the corpus's documentation examples reuse eventIDs (conflicts: exit status 1).
      const keys = await writeTrail(join(root, 'trail'), join(root, 'demo'), 'account', 150, false);
      await s3.createBucket('cli-trail');
      await upload(s3, 'cli-trail', join(root, 'trail'), keys);
      const args = ['--db', join(root, 'store.duckdb'), '--s3-endpoint', s3.endpoint, '--since', '2024-06-07', '--until', '2024-06-10', 's3://cli-trail'];
      const status = await ingest(args, {});
      expect(err).toEqual([]);
      expect(status).toBe(0);
      expect(out.join('\n')).toContain(`objects: ${keys.length} listed, 0 skipped as already read, ${keys.length} read, 0 failed`);
      expect(out.join('\n')).toMatch(/the store holds 150 events from \S+ to \S+ in accounts \d{12}/);
      out.length = 0;
      expect(await ingest(args, {})).toBe(0);
      expect(out.join('\n')).toContain('0 read, 0 failed');
      expect(await ingest(['--db', join(root, 'store.duckdb'), '--since', 'yesterday', 's3://cli-trail'], {})).toBe(2);
      expect(err.join('\n')).toContain('--since');
      expect(await ingest(['--db', join(root, 'store.duckdb'), 's3://'], {})).toBe(2);
    } finally {
      log.mockRestore();
      error.mockRestore();
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      await s3.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ingest of a local folder', () => {
  test('files named one by one are one source per folder: the folder then reads only the others', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailgraph-local-files-'));
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const rec = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-06-10T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', recipientAccountId: '123456789012', userIdentity: { type: 'Root', accountId: '123456789012' } });
      for (const n of ['a', 'b', 'c']) writeFileSync(join(root, `${n}.json`), JSON.stringify({ Records: [rec(n)] }));
      const named = await ingestSources(engine, openSources([join(root, 'a.json'), join(root, 'b.json')]), { filter: WINDOW });
      expect(named.summary.objects).toEqual({ listed: 2, skipped: 0, read: 2, failed: 0 });
      const folder = await ingestSources(engine, openSources([root]), { filter: WINDOW });
      expect(folder.summary.objects).toEqual({ listed: 3, skipped: 2, read: 1, failed: 0 });
      expect(folder.summary.stored).toBe(1);
    } finally {
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a second run skips every file read; a new file is read alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailgraph-local-ingest-'));
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const keys = await writeTrail(join(root, 'trail'), join(root, 'demo'), 'account', 200);
      const source = openSource(join(root, 'trail'));
      const first = await ingestSources(engine, [source], { filter: WINDOW });
      expect(first.summary.objects).toEqual({ listed: keys.length, skipped: 0, read: keys.length, failed: 0 });
      const second = await ingestSources(engine, [source], { filter: WINDOW });
      expect(second.summary.objects).toEqual({ listed: keys.length, skipped: keys.length, read: 0, failed: 0 });
      expect(second.summary.records).toBe(0);
      writeFileSync(join(root, 'trail', 'extra.json'), JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: 'new-one', eventTime: '2024-06-10T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', recipientAccountId: '123456789012', userIdentity: { type: 'Root', accountId: '123456789012' } }] }));
      const third = await ingestSources(engine, [source], { filter: WINDOW });
      expect(third.summary.objects).toEqual({ listed: keys.length + 1, skipped: keys.length, read: 1, failed: 0 });
      expect(third.summary.stored).toBe(1);
    } finally {
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
