import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { ErrorCode } from '../src/errors';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { GqlResponse, gql } from './support/api';
import { ENGINE_NAMES, EngineHandle, athenaOver, openEngine } from './support/engines';
import { corpusRecords, storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';

/**
 * The GraphQL API on the Athena engine (real SDK, emulated Athena): the same
 * answers as on the embedded engine, the concurrency limit under 100
 * parallel requests, a failed statement failing only the fields that needed
 * it, and a client that hangs up stopping its running query.
 */
const records = corpusRecords();
const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
const TIME = { from: new Date(times[0]).toISOString(), to: new Date(times[times.length - 1] + 1000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 7 });

let duck: DuckDbEngine;
beforeAll(async () => {
  duck = await storeWith(records);
});
afterAll(() => duck.close());

const DEEP = `query($time: TimeRange!) {
  events(filter: { time: $time }, first: 8, order: ASC) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id eventId eventName eventTime readOnly errorCode raw
      userIdentity { type arn accountId }
      principal { arn type eventCount errorCount accessKeyIds }
      session { id kind eventCount }
      resources { arn type }
    }
  }
}`;

async function answers(handle: EngineHandle): Promise<unknown[]> {
  const app = await buildApp(config, { engine: handle.engine, logger: false, clock: fixedClock() });
  try {
    const out: unknown[] = [];
    for (const q of [DEEP, `query($time: TimeRange!) { events(filter: { time: $time, hasError: true }, last: 5) { nodes { eventId errorCode } } }`]) {
      const r = await gql(app, q, { time: TIME });
      expect(r.errors).toBeUndefined();
      out.push(r.data);
    }
    return out;
  } finally {
    await app.close();
  }
}

test('the same GraphQL answers on both engines (events and their principal, session and resources)', async () => {
  const [duckAnswers, athenaAnswers] = await Promise.all(
    ENGINE_NAMES.map(async (name) => {
      const handle = await openEngine(name, duck);
      try {
        return await answers(handle);
      } finally {
        await handle.close();
      }
    }),
  );
  expect(athenaAnswers).toEqual(duckAnswers);
  expect(JSON.stringify(duckAnswers)).toContain('eventId');
});

describe('on Athena', () => {
  let app: FastifyInstance | null = null;
  let closeEmulator: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await app?.close();
    await closeEmulator?.();
    app = null;
    closeEmulator = null;
  });

  async function start(options: Parameters<typeof athenaOver>[1]) {
    const a = await athenaOver(duck, options);
    app = await buildApp(config, { engine: a.engine, logger: false, clock: fixedClock() });
    closeEmulator = () => a.emulator.close();
    return { app, emulator: a.emulator };
  }

  test('100 parallel GraphQL requests never run more than the limit of queries at once; each reports its cost', async () => {
    const { app, emulator } = await start({ knobs: { runMs: 5 }, engine: { maxConcurrency: 4 } });
    const query = `query($time: TimeRange!, $first: Int) { events(filter: { time: $time }, first: $first) { nodes { eventId } } }`;
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => gql<{ events: { nodes: unknown[] } }>(app, query, { time: TIME, first: 1 + (i % 7) })));
    expect(responses.filter((r) => r.errors)).toEqual([]);
    expect(responses.map((r) => r.data?.events.nodes.length)).toEqual(Array.from({ length: 100 }, (_, i) => 1 + (i % 7)));
    expect(emulator.stats.maxActive).toBeLessThanOrEqual(4);
    expect(emulator.stats.started).toBeGreaterThanOrEqual(100);
    for (const r of responses) {
      expect(r.extensions?.cost?.historyQueries).toBeGreaterThanOrEqual(1);
      expect(r.extensions?.cost?.bytesScanned).toBeGreaterThan(0);
    }
  });

  test('a FAILED statement is a HISTORY_QUERY_FAILED error on the field that needed it; sibling fields answer', async () => {
    const { app, emulator } = await start({});
    const page = await gql<{ events: { nodes: Array<{ id: string; eventId: string }> } }>(app, `query($time: TimeRange!) { events(filter: { time: $time }, first: 1) { nodes { id eventId } } }`, { time: TIME });
    const target = page.data?.events.nodes[0];
    if (!target) throw new Error('no event');
    emulator.failWhen = (_q, params) => (params.includes(`'${target.eventId}'`) ? 'HIVE_CURSOR_ERROR: the emulator was told to fail' : null);
    const r: GqlResponse<{ ok: { nodes: unknown[] }; bad: unknown }> = await gql(
      app,
      `query($time: TimeRange!, $id: ID!) { ok: events(filter: { time: $time }, first: 2) { nodes { eventId } } bad: event(id: $id) { eventId } }`,
      { time: TIME, id: target.id },
    );
    expect(r.data?.ok.nodes).toHaveLength(2);
    expect(r.data?.bad).toBeNull();
    expect(r.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['bad'], ErrorCode.HISTORY_QUERY_FAILED]]);
    expect(JSON.stringify(r.errors)).not.toContain('HIVE_CURSOR_ERROR');
  });

  test('a client that hangs up stops its running query (StopQueryExecution)', async () => {
    const { app, emulator } = await start({ knobs: { runMs: 20_000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const body = JSON.stringify({ query: `query($time: TimeRange!) { events(filter: { time: $time }, first: 3) { nodes { eventId } } }`, variables: { time: TIME } });
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    req.on('error', () => undefined);
    req.end(body);
    const deadline = Date.now() + 10_000;
    while (emulator.active === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(emulator.active).toBe(1);
    req.destroy();
    while (emulator.stats.stopped.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(emulator.stats.stopped).toHaveLength(1);
    expect(emulator.active).toBe(0);
  });
});
