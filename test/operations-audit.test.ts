import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { AccessLine } from '../src/operations/access-log';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { demoStore } from './support/demo-store';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { shared } from './support/engines';

const POLICIES = join(__dirname, '..', 'policies');
const END = new Date('2026-11-01T00:00:00Z');
const PRODUCTION = '602519374862';
const KEYS = { app: 'tg_ops_app_key_0000000000001', portal: 'tg_ops_portal_key_00000000002', admin: 'tg_ops_admin_key_0000000000003' };
const API_KEYS = JSON.stringify([
  { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
  { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
  { name: 'ops-admin', sha256: hashApiKey(KEYS.admin), groups: ['trailgraph-admins'] },
]);
const WINDOW = { from: new Date(END.getTime() - 7 * 86_400_000).toISOString(), to: END.toISOString() };
const EVENTS = `query Events($t: TimeRange!, $name: [String!]) { events(first: 5, filter: { time: $t, eventNames: $name }) { nodes { eventName awsRegion } } }`;
const PAYLOAD = `query Payload($t: TimeRange!) { events(first: 2, filter: { time: $t }) { nodes { eventName requestParameters } } }`;

let engine: DuckDbEngine;
let dyn: CountingDynalite;
let dir: string;

beforeAll(async () => {
  ({ engine } = await demoStore({ events: 2_000, end: END }));
  dyn = await startCountingDynalite();
  dir = mkdtempSync(join(tmpdir(), 'tg-ops-'));
});
afterAll(async () => {
  await dyn.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

let tables = 0;
async function app(extra: Record<string, unknown> = {}): Promise<{ app: FastifyInstance; log: string }> {
  const log = join(dir, `access-${++tables}.log`);
  const { config } = loadConfig([], {}, {
    apiKeys: API_KEYS,
    policyFile: join(POLICIES, 'example.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: `ops-decisions-${tables}`,
    accessLog: log,
    ...extra,
  });
  return { app: await buildApp(config, { engine: shared(engine), logger: false }), log };
}

function lines(path: string): AccessLine[] {
  return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccessLine);
}

describe('the access audit', () => {
  let a: FastifyInstance;
  let log: string;
  const secretName = 'NameOnlyTheCallerTyped';

  beforeAll(async () => {
    ({ app: a, log } = await app());
    // In turn: allowed, denied (a payload field), failed (bad argument), too complex, unauthenticated.
    await gql(a, EVENTS, { t: WINDOW, name: [secretName] }, { 'x-api-key': KEYS.app });
    await gql(a, PAYLOAD, { t: WINDOW }, { 'x-api-key': KEYS.portal });
    await gql(a, `{ events(first: 5, filter: { time: { from: "2026-10-02T00:00:00Z", to: "2026-01-01T00:00:00Z" } }) { nodes { eventName } } }`, {}, { 'x-api-key': KEYS.app });
    await gql(a, `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, { 'x-api-key': KEYS.app });
    await gql(a, EVENTS, { t: WINDOW }, { 'x-api-key': 'tg_not_a_key_at_all_000000000' });
  });
  afterAll(() => a.close());

  test('every request has exactly one line, in the order answered, with its outcome and caller', () => {
    const got = lines(log);
    expect(got.map((l) => [l.caller, l.outcome])).toEqual([
      ['apiKey:payments-app', 'OK'],
      ['apiKey:compliance-portal', 'FORBIDDEN'],
      ['apiKey:payments-app', 'BAD_USER_INPUT'],
      ['apiKey:payments-app', 'QUERY_TOO_COMPLEX'],
      ['unauthenticated', 'UNAUTHENTICATED'],
    ]);
  });

  test('lines name the operation, the document hash, accounts read, permissions denied and statements', () => {
    const [allowed, denied, , complex] = lines(log);
    expect(allowed).toMatchObject({ operation: 'Events', accounts: [PRODUCTION], denied: [] });
    expect(allowed.document).toMatch(/^[0-9a-f]{64}$/);
    expect(allowed.statements).toBeGreaterThan(0);
    expect(denied.denied).toEqual(['ReadPayloads']);
    expect(complex.statements).toBe(0);
  });

  test('no credential and no variable value is written', () => {
    const text = readFileSync(log, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    for (const key of [...Object.values(KEYS), 'tg_not_a_key_at_all_000000000', secretName]) expect(text).not.toContain(key);
  });

  test('accessLog returns the lines to an admin and is FORBIDDEN to others', async () => {
    const q = `{ accessLog(first: 50) { nodes { caller outcome operation } pageInfo { hasNextPage } } }`;
    const admin = await gql<{ accessLog: { nodes: Array<{ caller: string; outcome: string }> } }>(a, q, {}, { 'x-api-key': KEYS.admin });
    expect(codes(admin)).toEqual([]);
    const written = lines(log).slice(0, 5);
    // Newest first; the admin's own request is written after it is answered.
    expect(admin.data?.accessLog.nodes.map((n) => [n.caller, n.outcome])).toEqual(written.reverse().map((l) => [l.caller, l.outcome]));
    const portal = await gql(a, q, {}, { 'x-api-key': KEYS.portal });
    expect(codes(portal)).toEqual(['FORBIDDEN']);
  });

  test('accessLog filters by caller and outcome and pages with cursors', async () => {
    const q = `query($after: String) { accessLog(first: 1, after: $after, filter: { callers: ["apiKey:payments-app"] }) { nodes { outcome } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r: Awaited<ReturnType<typeof gql<{ accessLog: { nodes: Array<{ outcome: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>> = await gql(a, q, { after }, { 'x-api-key': KEYS.admin });
      seen.push(...(r.data?.accessLog.nodes.map((n) => n.outcome) ?? []));
      if (!r.data?.accessLog.pageInfo.hasNextPage) break;
      after = r.data.accessLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(['QUERY_TOO_COMPLEX', 'BAD_USER_INPUT', 'OK']);
    expect(new Set(seen).size).toBe(3);
    const failed = await gql<{ accessLog: { nodes: unknown[] } }>(a, `{ accessLog(filter: { outcomes: ["UNAUTHENTICATED"] }) { nodes { caller } } }`, {}, { 'x-api-key': KEYS.admin });
    expect(failed.data?.accessLog.nodes).toEqual([{ caller: 'unauthenticated' }]);
  });
});

describe('an access log that cannot be written', () => {
  test.each([
    ['fail-closed', 503, ['SERVICE_UNAVAILABLE']],
    ['warn', 200, []],
  ])('--access-log-on-failure %s answers %d', async (mode, status, expected) => {
    // Its folder is a file: nothing can be written there.
    const blocked = join(dir, `blocked-${mode}`);
    writeFileSync(blocked, 'a file');
    const { app: a } = await app({ accessLog: join(blocked, 'access.log'), accessLogOnFailure: mode });
    try {
      const r = await gql(a, EVENTS, { t: WINDOW }, { 'x-api-key': KEYS.app });
      expect(r.status).toBe(status);
      expect(codes(r)).toEqual(expected);
      if (mode === 'fail-closed') expect(r.data ?? null).toBeNull();
      const failures = (await a.trailgraph.operations.metrics.registry.getSingleMetric('trailgraph_access_log_write_failures_total')?.get())?.values[0]?.value;
      expect(failures).toBe(1);
    } finally {
      await a.close();
    }
  });
});

describe('metrics', () => {
  test('counters move by the requests made', async () => {
    const { app: a } = await app();
    try {
      for (let i = 0; i < 3; i++) await gql(a, EVENTS, { t: WINDOW }, { 'x-api-key': KEYS.app });
      await gql(a, PAYLOAD, { t: WINDOW }, { 'x-api-key': KEYS.portal });
      await gql(a, EVENTS, { t: WINDOW }, { 'x-api-key': 'tg_not_a_key_at_all_000000000' });
      const json = await a.trailgraph.operations.metrics.registry.getMetricsAsJSON();
      const value = (name: string, labels: Record<string, string>) =>
        json.find((m) => m.name === name)?.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
      expect(value('trailgraph_graphql_operations_total', { operation: 'Events', outcome: 'OK' })).toBe(3);
      expect(value('trailgraph_graphql_operations_total', { operation: 'Payload', outcome: 'FORBIDDEN' })).toBe(1);
      expect(value('trailgraph_http_requests_total', { route: '/graphql', status: '200' })).toBe(4);
      expect(value('trailgraph_http_requests_total', { route: '/graphql', status: '401' })).toBe(1);
      expect(value('trailgraph_history_statements_total', { engine: 'duckdb' })).toBeGreaterThanOrEqual(4);
      expect(value('trailgraph_decision_lookups_total', {})).toBeGreaterThan(0);
      const text = await a.trailgraph.operations.metrics.registry.metrics();
      expect(text).toMatch(/^# TYPE trailgraph_graphql_operation_duration_seconds histogram$/m);
      expect(text).toMatch(/^trailgraph_graphql_operation_duration_seconds_count\{operation="Events",outcome="OK"\} 3$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      await a.close();
    }
  });
});

describe('budgets', () => {
  test('a spent budget answers RATE_LIMITED, and extensions.cost shows what is left', async () => {
    const { app: a } = await app({ budgets: JSON.stringify({ default: { statementsPerHour: 100 }, groups: { apps: { statementsPerHour: 2 } } }) });
    try {
      const first = await gql(a, `query($t: TimeRange!) { events(first: 1, filter: { time: $t }) { nodes { eventName } } }`, { t: WINDOW }, { 'x-api-key': KEYS.app });
      expect(codes(first)).toEqual([]);
      const used = first.extensions?.cost?.historyQueries ?? 0;
      expect(used).toBeGreaterThan(0);
      const left = (first.extensions?.cost as unknown as { budget: { statementsRemaining: number; resetAt: string } }).budget;
      expect(left.statementsRemaining).toBe(Math.max(0, 2 - used));
      expect(Date.parse(left.resetAt)).toBeGreaterThan(Date.now());
      let r = first;
      for (let i = 0; i < 3 && !codes(r).includes('RATE_LIMITED'); i++) r = await gql(a, `query($t: TimeRange!) { events(first: 1, filter: { time: $t }) { nodes { eventName } } }`, { t: WINDOW }, { 'x-api-key': KEYS.app });
      expect(codes(r)).toContain('RATE_LIMITED');
      // Another caller's budget is its own.
      const portal = await gql(a, `query($t: TimeRange!) { events(first: 1, filter: { time: $t }) { nodes { eventName } } }`, { t: WINDOW }, { 'x-api-key': KEYS.portal });
      expect(codes(portal)).toEqual([]);
    } finally {
      await a.close();
    }
  });
});
