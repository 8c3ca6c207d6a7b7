import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Client } from 'graphql-ws';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { firstOfEachId } from './support/expected';
import { Batch, DEMO_TIME, demoBatches } from './support/live-batches';
import { connect, subscribe, until, wsUrl } from './support/ws-client';

/**
 * Subscriptions on a really listening server in open mode (no credentials):
 * demo log files ingested into the serving store, then notify(), reach a
 * real graphql-ws client once each, in the order they were stored, matching
 * each subscriber's filter.
 */
let dir: string;
let engine: DuckDbEngine;
let app: FastifyInstance;
let batches: Batch[];
let client: Client;

const EVENTS = `subscription($filter: EventFilter) { events(filter: $filter) { eventId eventSource recipientAccountId } }`;
type Delivered = { events: { eventId: string; eventSource: string; recipientAccountId: string } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-subscriptions-'));
  batches = await demoBatches(dir, [7, 7, 2, 2], { events: 240, seed: 11 });
  engine = await DuckDbEngine.open(':memory:');
  app = await buildApp(loadConfig([], {}, {}).config, { engine, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  client = connect(wsUrl(app)).client;
});

afterAll(async () => {
  await client?.dispose();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Ingests a batch into the serving store, as the follow loop does, and tells the subscribers. */
async function land(batch: Batch): Promise<void> {
  const summary = await ingestPaths(engine, [batch.dir], { workers: 0 });
  expect(summary.rejected).toBe(0);
  app.trailgraph.changes.notify();
}

/** The event ids in the order the store holds them (its row order), read straight from DuckDB. */
async function storedOrder(): Promise<string[]> {
  const conn = await engine.connect();
  try {
    const reader = await conn.runAndReadAll('SELECT eventid FROM cloudtrail ORDER BY rowid');
    return reader.getRows().map(([id]) => String(id));
  } finally {
    conn.closeSync();
  }
}

const ids = (records: readonly CloudTrailRecord[]) => firstOfEachId(records).map((r) => r.eventID);

test('each event stored from now on reaches each subscriber once, in order, and only those matching its filter', async () => {
  const [a, b, c] = batches;
  const expectedAll = ids([...a.records, ...b.records, ...c.records]);
  const iamRecords = firstOfEachId([...a.records, ...b.records, ...c.records]).filter((r) => r.eventSource === 'iam.amazonaws.com');
  expect(iamRecords.length).toBeGreaterThan(0);
  expect(expectedAll.length).toBeGreaterThan(iamRecords.length);

  const all = subscribe<Delivered>(client, EVENTS, { filter: { time: DEMO_TIME } });
  const iam = subscribe<Delivered>(client, EVENTS, { filter: { time: DEMO_TIME, eventSources: ['iam.amazonaws.com'] } });
  await until(() => app.trailgraph.subscriptions.count === 2);

  await land(a);
  await all.until(ids(a.records).length);
  await land(b);
  // Two notifications with nothing new: they deliver nothing (else it would arrive before c's events).
  app.trailgraph.changes.notify();
  app.trailgraph.changes.notify();
  await land(c);
  await all.until(expectedAll.length);
  await iam.until(iamRecords.length);

  const got = all.results.map((r) => r.data?.events.eventId);
  expect(all.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  expect(got).toHaveLength(expectedAll.length);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...expectedAll].sort());
  // In the order stored: every event of a batch before the next batch's, and within a batch as the store holds them.
  expect(got).toEqual((await storedOrder()).filter((id) => expectedAll.includes(id)));
  const batchOf = (id: string | undefined) => batches.findIndex((x) => x.records.some((r) => r.eventID === id));
  expect(got.map(batchOf)).toEqual([...got.map(batchOf)].sort());

  const iamGot = iam.results.map((r) => r.data?.events);
  expect(iamGot.every((e) => e?.eventSource === 'iam.amazonaws.com')).toBe(true);
  expect(iamGot.map((e) => e?.eventId).sort()).toEqual(iamRecords.map((r) => r.eventID).sort());

  all.unsubscribe();
  iam.unsubscribe();
  await until(() => app.trailgraph.subscriptions.count === 0);
});

test('a subscriber that unsubscribes is sent nothing more; the others still are', async () => {
  const d = batches[3];
  const leaving = subscribe<Delivered>(client, EVENTS, { filter: { time: DEMO_TIME } });
  const staying = subscribe<Delivered>(client, EVENTS, { filter: { time: DEMO_TIME } });
  await until(() => app.trailgraph.subscriptions.count === 2);
  leaving.unsubscribe();
  await until(() => app.trailgraph.subscriptions.count === 1);

  await land(d);
  const expected = ids(d.records);
  expect(expected.length).toBeGreaterThan(0);
  await staying.until(expected.length);
  expect(staying.results.map((r) => r.data?.events.eventId).sort()).toEqual([...expected].sort());
  expect(leaving.results).toEqual([]);
  staying.unsubscribe();
  await until(() => app.trailgraph.subscriptions.count === 0);
});

test('subscription documents pass the query limits and arguments are checked before anything is delivered', async () => {
  const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: eventId`).join(' ');
  const complex = subscribe(client, `subscription { events { ${aliases} } }`);
  const tooLong = subscribe(client, EVENTS, { filter: { time: { from: '2024-01-01T00:00:00Z', to: '2024-12-31T00:00:00Z' } } });
  const query = subscribe(client, `{ events(first: 1) { nodes { eventId } } }`);
  const codesOf = async (r: ReturnType<typeof subscribe>) => {
    const { error } = await r.ended;
    const sent = Array.isArray(error) ? (error as { extensions?: { code?: string } }[]) : [];
    return [...sent, ...r.results.flatMap((x) => x.errors ?? [])].map((e) => e.extensions?.code);
  };
  expect(await codesOf(complex)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(await codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
  expect(await codesOf(query)).toEqual(['BAD_USER_INPUT']);
  expect(app.trailgraph.subscriptions.count).toBe(0);
});

test('a subscription sent over HTTP is refused with BAD_USER_INPUT', async () => {
  const r = await gql(app, `subscription { events { eventId } }`);
  expect(codes(r)).toEqual(['BAD_USER_INPUT']);
});
