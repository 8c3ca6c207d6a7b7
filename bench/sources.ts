import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { Follower } from '../src/sources/follow';
import { ingestSources } from '../src/sources/ingest-sources';
import { S3ObjectStore } from '../src/sources/s3-store';
import { openSource, storeSource } from '../src/sources/source';
import { startS3 } from '../test/support/s3-server';
import { EVENTS_QUERY } from './events';
import { BenchCase, HttpTarget, percentile, post, warmUp } from './harness';
import { BenchRow } from './types';

/**
 * Sources: ingest from S3 (a local s3rver) beside ingest of the same files
 * from disk (target: S3 at least 0.8x disk's events/s); and the bench's
 * events queries while the server follows a folder receiving 50 new log
 * files a minute, beside the same queries idle (target: p95 within 2x).
 * Options: --sources-events N (files for the throughput, default 100,000
 * events), --sources-follow-seconds S (default 60).
 */
const DAY = 86_400_000;

function option(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

async function throughput(now: Date): Promise<BenchRow[]> {
  const events = option('--sources-events', 100_000);
  const root = mkdtempSync(join(tmpdir(), 'tg-bench-sources-'));
  const s3 = await startS3();
  try {
    const logs = join(root, 'logs');
    const demo = await generateDemo({ events, out: logs, days: 3, end: now, seed: 77 });
    await s3.createBucket('bench-trail');
    for (const f of files(logs)) await s3.put('bench-trail', relative(logs, f).split(sep).join('/'), readFileSync(f));
    // Disk is timed twice (before and after S3) and its faster run kept: the first ingest of a process also warms it up.
    const diskRun = async (name: string): Promise<{ records: number; ms: number }> => {
      const disk = await DuckDbEngine.open(join(root, name));
      const t0 = performance.now();
      const summary = await ingestPaths(disk, [logs]);
      const ms = performance.now() - t0;
      await disk.close();
      return { records: summary.records, ms };
    };
    const firstDisk = await diskRun('disk-1.duckdb');
    const bucket = await DuckDbEngine.open(join(root, 's3.duckdb'));
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const t1 = performance.now();
    const fromS3 = await ingestSources(bucket, [storeSource(new S3ObjectStore('bench-trail', { client }))], {
      filter: { since: new Date(now.getTime() - 4 * DAY), until: now },
    });
    const s3Ms = performance.now() - t1;
    client.destroy();
    await bucket.close();
    const secondDisk = await diskRun('disk-2.duckdb');
    const fromDisk = firstDisk.ms <= secondDisk.ms ? firstDisk : secondDisk;
    const diskMs = fromDisk.ms;
    const rate = (records: number, ms: number) => records / (ms / 1000);
    const d = rate(fromDisk.records, diskMs);
    const s = rate(fromS3.summary.records, s3Ms);
    return [
      { name: `ingest from disk, ${demo.files} files`, p50: diskMs, p95: diskMs, note: `${Math.round(d)} events/s (faster of 2 runs: ${Math.round(firstDisk.ms)}, ${Math.round(secondDisk.ms)} ms)` },
      {
        name: `ingest from S3 (local s3rver), ${demo.files} objects`, p50: s3Ms, p95: s3Ms, target: '≥ 0.8x disk events/s',
        note: `${Math.round(s)} events/s, ${(s / d).toFixed(2)}x disk; ${fromS3.summary.records === fromDisk.records ? 'same records' : 'RECORDS DIFFER'}`,
      },
    ];
  } finally {
    await s3.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function timeCases(url: string, cases: readonly BenchCase[], until: () => boolean, minRuns: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < minRuns || !until(); i++) {
    const c = cases[i % cases.length];
    const t0 = performance.now();
    await post(url, c.query, c.variables);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

async function followLatency(target: HttpTarget, engine: DuckDbEngine, now: Date): Promise<BenchRow[]> {
  const seconds = option('--sources-follow-seconds', 60);
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  const cases: BenchCase[] = [
    { name: 'page, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { time: week } } },
    { name: 'by event name, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { eventNames: ['AssumeRole'], time: week } } },
  ];
  await warmUp(target.url, cases);
  const idle = await timeCases(target.url, cases, () => true, 200);
  // 50 new files a minute (about 100 events each), into a folder the server follows every 10 s.
  const root = mkdtempSync(join(tmpdir(), 'tg-bench-follow-'));
  const incoming = join(root, 'incoming');
  const followed = join(root, 'followed');
  mkdirSync(followed, { recursive: true });
  const wanted = Math.ceil((50 * seconds) / 60);
  await generateDemo({ events: wanted * 100, out: incoming, days: 1, end: now, seed: 99 });
  const pending = files(incoming);
  let batches = 0;
  const follower = new Follower(engine, [openSource(followed)], { intervalMs: 10_000, firstWindowDays: 7, onCommitted: () => void batches++ });
  follower.start();
  const started = performance.now();
  let put = 0;
  const feeder = setInterval(() => {
    const f = pending[put++ % pending.length];
    const to = join(followed, `${put}-${relative(incoming, f).split(sep).join('_')}`);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }, 1200);
  let busy: number[];
  try {
    busy = await timeCases(target.url, cases, () => performance.now() - started >= seconds * 1000, 200);
  } finally {
    clearInterval(feeder);
    await follower.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const [i50, i95, b50, b95] = [percentile(idle, 50), percentile(idle, 95), percentile(busy, 50), percentile(busy, 95)];
  return [
    { name: 'events queries, idle', p50: i50, p95: i95, note: `${idle.length} queries` },
    {
      name: 'events queries, following 50 files/min', p50: b50, p95: b95, directP50: i50, directP95: i95, target: 'p95 ≤ 2x idle',
      note: `p95 ${(b95 / i95).toFixed(2)}x idle; ${busy.length} queries, ${put} files put, ${batches} batches committed`,
    },
  ];
}

export async function sourcesBench(target: HttpTarget, engine: DuckDbEngine, now: Date): Promise<BenchRow[]> {
  return [...(await throughput(now)), ...(await followLatency(target, engine, now))];
}
