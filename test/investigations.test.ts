import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Kind, OperationTypeNode, parse, validate } from 'graphql';
import { apiSchema } from '../resolvers/schema';
import { loadConfig } from '../src/config';
import { INVESTIGATIONS_DIR, Investigation, loadInvestigations, resolveVariables } from '../src/graphiql/investigations';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { demoStore } from './support/demo-store';
import { firstOfEachId } from './support/expected';
import { demoRecords } from './support/live-batches';
import { connect, subscribe, until, wsUrl } from './support/ws-client';
import { TEST_NOW, fixedClock } from './support/clock';

/**
 * The saved investigations of investigations/: each is valid against the
 * schema, and each runs without errors against the demo data (as `npm start`
 * makes it) with the variables the explorer opens it with, and every part
 * of its answer has results.
 */
const NOW = TEST_NOW;
const saved = loadInvestigations();
const isLive = (inv: Investigation) => parse(inv.query).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.SUBSCRIPTION);
const queries = saved.filter((i) => !isLive(i));

let app: FastifyInstance;
let engine: DuckDbEngine;
let served: Investigation[];
beforeAll(async () => {
  ({ engine } = await demoStore({ events: 20_000, end: NOW }));
  app = await buildApp(loadConfig([], {}).config, { engine, logger: false, clock: fixedClock() });
  const res = await app.inject({ method: 'GET', url: '/graphiql/explorer.json' });
  expect(res.statusCode).toBe(200);
  served = (JSON.parse(res.body) as { investigations: Investigation[] }).investigations;
});
afterAll(() => app.close());

describe('the saved investigations', () => {
  test('the index names every .graphql file once, with the scope\'s nine questions at least', () => {
    const files = readdirSync(INVESTIGATIONS_DIR).filter((f) => f.endsWith('.graphql')).sort();
    expect(saved.length).toBe(files.length);
    expect(saved.length).toBeGreaterThanOrEqual(9);
    expect(new Set(saved.map((i) => i.id)).size).toBe(saved.length);
    for (const inv of saved) expect(inv.title.length * inv.description.length).toBeGreaterThan(0);
  });

  test.each(saved.map((i) => [i.id, i] as const))('%s is valid against the schema', async (_id, inv) => {
    expect(validate(await apiSchema(), parse(inv.query)).map((e) => e.message)).toEqual([]);
  });

  test('the explorer gets them with relative times resolved to instants ending now', () => {
    expect(served.map((i) => i.id)).toEqual(saved.map((i) => i.id));
    const text = JSON.stringify(served.map((i) => i.variables));
    expect(text).not.toContain('@now');
    const ends = served.map((i) => (i.variables.time as { to?: string } | undefined)?.to).filter((t): t is string => t !== undefined);
    expect(ends.length).toBeGreaterThan(0);
    // "@now" is the server's clock (pinned to NOW here), rounded up to the whole second.
    for (const t of ends) expect([Date.parse(t) >= NOW.getTime(), Date.parse(t) < NOW.getTime() + 1000]).toEqual([true, true]);
  });

  test('relative instants: @now, minutes, hours and days before it', () => {
    const now = new Date('2024-03-20T11:07:02.400Z');
    expect(resolveVariables({ a: ['@now', '@now-15m'], b: { c: '@now-24h', d: '@now-7d' }, e: 'now', f: 3 }, now)).toEqual({
      a: ['2024-03-20T11:07:03Z', '2024-03-20T10:52:03Z'], b: { c: '2024-03-19T11:07:03Z', d: '2024-03-13T11:07:03Z' }, e: 'now', f: 3,
    });
  });

  test.each(queries.map((i) => [i.id] as const))('%s runs on the demo data and every part of it has results', async (id) => {
    const inv = served.find((i) => i.id === id)!;
    const r = await gql<Record<string, unknown>>(app, inv.query, inv.variables);
    expect(r.errors).toBeUndefined();
    const data = r.data!;
    expect(Object.keys(data).length).toBeGreaterThan(0);
    for (const [field, value] of Object.entries(data)) {
      const items = Array.isArray(value) ? value : (value as { nodes?: unknown[] } | null)?.nodes;
      expect([field, Array.isArray(items) ? items.length > 0 : value !== null]).toEqual([field, true]);
    }
  });

  test('their answers are what their titles promise', async () => {
    const run = async <T>(id: string): Promise<T> => {
      const inv = served.find((i) => i.id === id)!;
      const r = await gql<T>(app, inv.query, inv.variables);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    type Keys = Array<{ keys: (string | null)[]; count: number }>;
    type Nodes<T> = { nodes: T[] };
    const ic = await run<{ byAccount: Keys }>('identity-center-user-activity');
    expect(new Set(ic.byAccount.map((g) => g.keys[0])).size).toBeGreaterThan(1);
    const mfa = await run<{ sessions: Nodes<{ mfaAuthenticated: boolean | null; principal: { type: string } }> }>('console-sign-ins-without-mfa');
    expect(mfa.sessions.nodes.length).toBeGreaterThan(0);
    for (const s of mfa.sessions.nodes) expect([s.mfaAuthenticated, ['ROOT', 'IAM_USER'].includes(s.principal.type)]).toEqual([false, true]);
    const q = await run<{ events: Nodes<{ clientTool: string }> }>('amazon-q-calls');
    expect(q.events.nodes.length).toBeGreaterThan(0);
    for (const e of q.events.nodes) expect(['AMAZON_Q_CLI', 'AMAZON_Q_IDE']).toContain(e.clientTool);
    const denied = await run<{ events: Nodes<{ eventTime: string; errorCode: string }> }>('access-denied-by-principal');
    expect(denied.events.nodes.length).toBeGreaterThan(0);
    for (const e of denied.events.nodes) expect(NOW.getTime() - Date.parse(e.eventTime)).toBeLessThanOrEqual(86_400_000);
    const key = await run<{ events: Nodes<{ userIdentity: { userName: string } }> }>('access-key-activity');
    expect(new Set(key.events.nodes.map((e) => e.userIdentity.userName))).toEqual(new Set(['alice']));
  });

  test('the live one watches IAM policy and role changes as they land', async () => {
    const inv = served.find((i) => i.id === 'iam-policy-and-role-changes-live')!;
    expect(isLive(inv)).toBe(true);
    const names = inv.variables.eventNames as string[];
    const dir = mkdtempSync(join(tmpdir(), 'tg-live-investigation-'));
    try {
      // New log files of the last two days (another seed: events the store does not hold yet).
      await generateDemo({ events: 3000, out: dir, days: 2, end: NOW, seed: 4242 });
      const expected = firstOfEachId(demoRecords(dir)).filter((r) => r.eventSource === 'iam.amazonaws.com' && names.includes(String(r.eventName)));
      expect(expected.length).toBeGreaterThan(0);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { client } = connect(wsUrl(app));
      const live = subscribe<{ events: { eventName: string; recipientAccountId: string } }>(client, inv.query, inv.variables);
      await until(() => app.trailgraph.subscriptions.count === 1);
      await ingestPaths(engine, [dir], { workers: 0 });
      app.trailgraph.changes.notify();
      await live.until(expected.length);
      expect(live.results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(live.results.map((r) => r.data?.events.eventName).sort()).toEqual(expected.map((r) => r.eventName).sort());
      await client.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
