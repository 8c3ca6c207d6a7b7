import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { Follower } from '../src/sources/follow';
import { CommittedBatch } from '../src/sources/ingest-source';
import { S3ObjectStore } from '../src/sources/s3-store';
import { openSource, storeSource } from '../src/sources/source';
import { TestS3, startS3 } from './support/s3-server';
import { testClient } from './support/trail-tree';

/**
 * A serving process follows an S3 source and a local folder: new log files
 * become queryable events over real HTTP; a server killed mid-batch and
 * started again ends with every event stored exactly once.
 */
const ACCOUNT = '123456789012';
const DAY = new Date('2024-06-10T12:00:00Z');

function record(id: string, minute: number): Record<string, unknown> {
  return {
    eventVersion: '1.08', eventID: id, eventTime: `2024-06-10T10:${String(minute).padStart(2, '0')}:00Z`, eventSource: 's3.amazonaws.com',
    eventName: 'GetObject', awsRegion: 'us-east-1', recipientAccountId: ACCOUNT, sourceIPAddress: '203.0.113.7',
    userIdentity: { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, principalId: 'AIDAEXAMPLE', userName: 'alice' },
  };
}

function logKey(n: number): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2024/06/10/${ACCOUNT}_CloudTrail_us-east-1_20240610T10${String(n).padStart(2, '0')}Z_f${n}.json.gz`;
}

function logBody(ids: string[]): Buffer {
  return gzipSync(JSON.stringify({ Records: ids.map((id, i) => record(id, i)) }));
}

/** A promise resolved once `cond` holds, checked after every committed batch (no timing). */
class Commits {
  private waiters: Array<() => void> = [];
  readonly batches: CommittedBatch[] = [];
  onCommitted = (b: CommittedBatch): void => {
    this.batches.push(b);
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  };
  async until(cond: () => Promise<boolean>): Promise<void> {
    while (!(await cond())) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

describe('serve --follow, in process', () => {
  let root: string;
  let s3: TestS3;
  let engine: DuckDbEngine;
  let app: FastifyInstance;
  let url: string;
  let follower: Follower;
  const commits = new Commits();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tg-follow-'));
    mkdirSync(join(root, 'folder'));
    s3 = await startS3();
    await s3.createBucket('live');
    engine = await DuckDbEngine.open(join(root, 'store.duckdb'));
    const { config } = loadConfig([], {}, { db: join(root, 'store.duckdb'), logLevel: 'silent' });
    app = await buildApp(config, { engine, logger: false });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    follower = new Follower(engine, [storeSource(new S3ObjectStore('live', { client: testClient(s3.endpoint) })), openSource(join(root, 'folder'))], {
      intervalMs: 200,
      firstWindowDays: 2,
      // The window's days are the fixed data's; lag is measured on the real clock.
      now: () => DAY,
      onCommitted: commits.onCommitted,
    });
    follower.start();
  });
  afterAll(async () => {
    await follower?.stop();
    await app?.close();
    await s3?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function eventIds(): Promise<string[]> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ events(first: 500, filter: { time: { from: "2024-06-10T00:00:00Z", to: "2024-06-11T00:00:00Z" } }) { edges { node { eventId } } } }` }),
    });
    const body = (await res.json()) as { data: { events: { edges: Array<{ node: { eventId: string } }> } } };
    return body.data.events.edges.map((e) => e.node.eventId).sort();
  }

  test('files put in the bucket and the folder become events, each once', async () => {
    await s3.put('live', logKey(1), logBody(['s3-a', 's3-b']));
    const path = join(root, 'folder', 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2024', '06', '10', 'local-1.json.gz');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, logBody(['dir-a']));
    await commits.until(async () => (await eventIds()).length >= 3);
    expect(await eventIds()).toEqual(['dir-a', 's3-a', 's3-b']);
    // More files, later: only they are read.
    const before = commits.batches.length;
    await s3.put('live', logKey(2), logBody(['s3-c']));
    await commits.until(async () => (await eventIds()).includes('s3-c'));
    expect(await eventIds()).toEqual(['dir-a', 's3-a', 's3-b', 's3-c']);
    expect(commits.batches.slice(before).reduce((a, b) => a + b.objects, 0)).toBe(1);
    expect(commits.batches.every((b) => b.lagMs !== undefined && b.lagMs >= 0)).toBe(true);
  });

  test('store tells each source\'s last poll, objects read and newest object', async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ store { events sources { uri objectsRead newestObject lastError } } }' }),
    });
    const { data } = (await res.json()) as { data: { store: { events: number; sources: Array<{ uri: string; objectsRead: number; newestObject: string; lastError: string | null }> } } };
    expect(data.store.events).toBe(4);
    const bucket = data.store.sources.find((s) => s.uri.startsWith('s3://live'));
    expect(bucket).toMatchObject({ objectsRead: 2, newestObject: logKey(2), lastError: null });
    expect(data.store.sources.find((s) => s.uri === join(root, 'folder'))).toMatchObject({ objectsRead: 1 });
  });
});

describe('serve --follow, killed mid-batch', () => {
  const MAIN = join(__dirname, '..', 'src', 'main.ts');

  function serve(db: string, folder: string): { child: ChildProcessWithoutNullStreams; lines: (match: string, count: number) => Promise<void>; exited: Promise<number | null> } {
    // start: it creates the store the first time (serve refuses a missing one); following, it generates no demo data.
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', MAIN, 'start', '--db', db, '--port', '0', '--metrics-port', '0', '--follow', folder,
      '--follow-interval', '1', '--follow-batch-objects', '4', '--log-level', 'info'], { env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
    let text = '';
    const watchers: Array<() => void> = [];
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      watchers.splice(0).forEach((w) => w());
    });
    child.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A server that exits wakes the waiters, which then say why instead of waiting out the test's timeout.
    child.on('exit', () => watchers.splice(0).forEach((w) => w()));
    const lines = async (match: string, count: number): Promise<void> => {
      while (text.split('\n').filter((l) => l.includes(match)).length < count) {
        if (child.exitCode !== null) throw new Error(`server exited: ${text}`);
        await new Promise<void>((resolve) => watchers.push(resolve));
      }
    };
    return { child, lines, exited };
  }

  test('every event is stored exactly once after a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tg-follow-kill-'));
    try {
      const folder = join(root, 'logs');
      const demo = await generateDemo({ events: 400, out: folder, days: 2, end: DAY, seed: 9 });
      expect(demo.files).toBeGreaterThan(12);
      const db = join(root, 'store.duckdb');
      const first = serve(db, folder);
      // Killed once three batches are in: the fourth is being loaded.
      await first.lines('follow: batch committed', 3);
      first.child.kill('SIGKILL');
      await first.exited;
      const second = serve(db, folder);
      await second.lines('follow: ingested', 1);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      const engine = await DuckDbEngine.open(db);
      try {
        const conn = await engine.connect();
        const [[rows, ids]] = (await conn.runAndReadAll('SELECT count(*), count(DISTINCT eventid) FROM cloudtrail')).getRows();
        conn.closeSync();
        expect(Number(rows)).toBe(demo.events);
        expect(Number(ids)).toBe(demo.events);
      } finally {
        await engine.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 240_000);
});
