import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { FollowVerifier } from '../src/integrity/follow-verify';
import { keysFromFile } from '../src/integrity/public-keys';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { fixedClock } from './support/clock';
import { walkPages } from './support/paging';

/**
 * --follow-verify: each run verifies the digests of the two hours before it
 * and records the verdicts, which the API then shows on the events of those
 * hours; older events stay UNVERIFIED until a run covers them.
 */
const END = new Date('2026-03-14T12:00:00Z');
let dir: string;
let engine: DuckDbEngine;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-follow-verify-'));
  await generateDemo({ events: 3000, out: dir, days: 2, end: END, seed: 3 });
  engine = await DuckDbEngine.open(':memory:');
  await ingestPaths(engine, [dir]);
  app = await buildApp(loadConfig([], {}, { accessLog: join(dir, 'access.log') }).config, { engine, logger: false, clock: fixedClock() });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Node = { eventTime: string; logFile: { integrity: string } | null };

function states(): Promise<Node[]> {
  return walkPages<Node>(async (after) => {
    const r: Awaited<ReturnType<typeof gql<{ events: { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>> = await gql(
      app,
      `query($t: TimeRange!, $after: String) { events(first: 500, after: $after, filter: { time: $t }) { nodes { eventTime logFile { integrity } } pageInfo { hasNextPage endCursor } } }`,
      { t: { from: new Date(END.getTime() - 2 * 86_400_000).toISOString(), to: new Date(END.getTime() + 86_400_000).toISOString() }, after },
    );
    expect(r.errors).toBeUndefined();
    return { items: r.data?.events.nodes ?? [], hasNextPage: r.data?.events.pageInfo.hasNextPage ?? false, endCursor: r.data?.events.pageInfo.endCursor ?? null };
  });
}

test('a run verifies the last two hours of digests and the API shows it; older events stay UNVERIFIED', async () => {
  const before = await states();
  expect(before.length).toBeGreaterThan(100);
  expect(before.filter((n) => n.logFile?.integrity !== 'UNVERIFIED')).toEqual([]);

  // The newest event's delivery: one run an hour after it, as the follow loop's timer would.
  const newest = before.map((n) => n.eventTime).sort().at(-1) as string;
  const runAt = new Date(Date.parse(newest) + 3_600_000);
  // A local copy has no S3 metadata: the newest digests' signatures come as the demo wrote them.
  const newestSignatures = readFileSync(join(dir, 'newest-signatures.txt'), 'utf8').split(/\s+/).filter(Boolean);
  const verifier = new FollowVerifier(engine, [dir], await keysFromFile(join(dir, 'list-public-keys.output')), { now: () => runAt, newestSignatures });
  await verifier.runOnce();
  await verifier.stop();

  const after = await states();
  const valid = after.filter((n) => n.logFile?.integrity === 'VALID');
  expect(valid.length).toBeGreaterThan(0);
  // Only what the window's digests cover: the events of log files only older digests list stay UNVERIFIED.
  const unverified = after.filter((n) => n.logFile?.integrity === 'UNVERIFIED');
  expect(unverified.length).toBeGreaterThan(0);
  expect(valid.length + unverified.length).toBe(after.length);
  expect(Math.min(...unverified.map((n) => Date.parse(n.eventTime)))).toBeLessThan(Math.min(...valid.map((n) => Date.parse(n.eventTime))));
  expect(after.filter((n) => n.logFile?.integrity === 'MODIFIED')).toEqual([]);
});
