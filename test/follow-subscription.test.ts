import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Client } from 'graphql-ws';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { followMetricsOf } from '../src/operations';
import { Follower } from '../src/sources/follow';
import { openSource } from '../src/sources/source';
import { Batch, DEMO_TIME, demoBatches } from './support/live-batches';
import { connect, subscribe, until, wsUrl } from './support/ws-client';

/**
 * The live trail end to end: a serving process follows a folder, and each
 * batch it commits notifies the subscriptions (as `serve --follow` wires
 * it), so new log files reach a real graphql-ws subscriber once each.
 */
let root: string;
let engine: DuckDbEngine;
let app: FastifyInstance;
let follower: Follower;
let client: Client;
let batches: Batch[];
let committed = 0;

const EVENTS = `subscription($filter: EventFilter) { events(filter: $filter) { eventId } }`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tg-follow-sub-'));
  batches = await demoBatches(join(root, 'made'), [5, 5], { events: 120, seed: 5 });
  engine = await DuckDbEngine.open(join(root, 'store.duckdb'));
  app = await buildApp(loadConfig([], {}, { db: join(root, 'store.duckdb'), accessLog: join(root, 'access.log') }).config, { engine, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Wired as serve --follow wires it: metrics, then the subscriptions told.
  const metrics = followMetricsOf(app.trailgraph.operations.metrics);
  follower = new Follower(engine, [openSource(join(root, 'trail'))], {
    intervalMs: 100,
    firstWindowDays: 30,
    now: () => new Date(DEMO_TIME.to),
    onCommitted: (b) => {
      committed++;
      metrics.committed(b);
      app.trailgraph.changes.notify();
    },
    onPolled: metrics.polled,
  });
  client = connect(wsUrl(app)).client;
});
afterAll(async () => {
  await client?.dispose();
  await follower?.stop();
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

test('files that arrive in a followed folder reach a subscriber exactly once', async () => {
  const got = subscribe<{ events: { eventId: string } }>(client, EVENTS, { filter: { time: DEMO_TIME } });
  await until(() => app.trailgraph.subscriptions.count === 1);
  follower.start();
  const expected: string[] = [];
  for (const b of batches) {
    cpSync(b.dir, join(root, 'trail'), { recursive: true });
    expected.push(...b.records.map((r) => r.eventID));
    await got.until(new Set(expected).size);
  }
  const ids = got.results.map((r) => r.data?.events.eventId ?? '');
  expect(ids.length).toBeGreaterThan(0);
  expect([...ids].sort()).toEqual([...new Set(expected)].sort());
  expect(committed).toBeGreaterThanOrEqual(batches.length);
  got.unsubscribe();
  // The follow loop's metrics count what it committed.
  const json = await app.trailgraph.operations.metrics.registry.getMetricsAsJSON();
  const sum = (name: string) => json.find((m) => m.name === name)?.values.reduce((a, v) => a + v.value, 0);
  const files = batches.reduce((a, b) => a + readdirSync(b.dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json.gz')).length, 0);
  expect(sum('trailgraph_follow_objects_total')).toBe(files);
  expect(sum('trailgraph_follow_events_stored_total')).toBe(new Set(expected).size);
  expect(sum('trailgraph_follow_failed_objects_total')).toBe(0);
  expect(sum('trailgraph_follow_polls_total')).toBeGreaterThan(0);
});
