import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Client } from 'graphql-ws';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { Batch, DEMO_TIME, demoBatches } from './support/live-batches';
import { connect, subscribe, until, wsUrl } from './support/ws-client';

/**
 * subscription { detections }: each new event a detection rule matches
 * reaches the subscriber once, with the rules that matched; the same events
 * the detections filter finds over HTTP once they are stored.
 */
let dir: string;
let engine: DuckDbEngine;
let app: FastifyInstance;
let batches: Batch[];
let client: Client;

type Delivered = { detections: { eventId: string; detections: Array<{ id: string }> } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-detections-live-'));
  batches = await demoBatches(dir, [10], { events: 1500, seed: 17 });
  engine = await DuckDbEngine.open(':memory:');
  app = await buildApp(loadConfig([], {}, { accessLog: join(dir, 'access.log') }).config, { engine, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  client = connect(wsUrl(app)).client;
});
afterAll(async () => {
  await client?.dispose();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('new events that a rule matches reach the subscriber once, naming the rules; the same as the detections filter finds', async () => {
  const rules = await gql<{ detectionRules: Array<{ id: string; supported: boolean }> }>(app, '{ detectionRules { id supported } }');
  const ruleIds = (rules.data?.detectionRules ?? []).filter((r) => r.supported).map((r) => r.id);
  expect(ruleIds.length).toBeGreaterThan(5);

  const live = subscribe<Delivered>(client, `subscription($filter: EventFilter) { detections(filter: $filter) { eventId detections { id } } }`, { filter: { time: DEMO_TIME } });
  await until(() => app.trailgraph.subscriptions.count === 1);
  const [batch] = batches;
  expect((await ingestPaths(engine, [batch.dir], { workers: 0 })).rejected).toBe(0);
  app.trailgraph.changes.notify();

  // What the query path finds for the same rules, now that the events are stored.
  const page = await gql<{ events: { nodes: Array<{ eventId: string }> } }>(
    app,
    `query($filter: EventFilter) { events(first: 500, filter: $filter) { nodes { eventId } } }`,
    { filter: { time: DEMO_TIME, detectionRuleIds: ruleIds } },
  );
  expect(page.errors).toBeUndefined();
  const expected = (page.data?.events.nodes ?? []).map((n) => n.eventId).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(batch.records.length);

  await live.until(expected.length);
  const got = live.results.map((r) => r.data?.detections);
  expect(live.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  expect(got.map((d) => d?.eventId).sort()).toEqual(expected);
  for (const d of got) expect(d?.detections.length).toBeGreaterThan(0);
  live.unsubscribe();
});

test('a subscription to an unknown rule id is refused with BAD_USER_INPUT', async () => {
  const bad = subscribe<Delivered>(client, `subscription { detections(ruleIds: ["no-such-rule"]) { eventId } }`);
  const ended = await bad.ended;
  expect(JSON.stringify(ended.error ?? bad.results)).toContain('BAD_USER_INPUT');
});
