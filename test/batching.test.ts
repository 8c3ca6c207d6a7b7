import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { GqlResponse, gql } from './support/api';
import { demoStore } from './support/demo-store';
import { TEST_NOW, fixedClock } from './support/clock';

/**
 * Batching is the contract: a depth-4 query runs at most 5 history
 * statements however long its lists are, and answers exactly what the same
 * objects asked one by one (one request each) answer.
 */
const NOW = TEST_NOW;
const DAY = 86_400_000;
const TIME = { from: new Date(NOW.getTime() - 3 * DAY).toISOString(), to: new Date(NOW.getTime() + 60_000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 90, defaultWindowDays: 30, maxPageSize: 500 });

let app: FastifyInstance;
beforeAll(async () => {
  const { engine } = await demoStore({ events: 8_000, end: NOW, days: 3, seed: 11 });
  app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

async function run<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: T; statements: number }> {
  const r: GqlResponse<T> = await gql<T>(app, query, variables);
  expect(r.errors).toBeUndefined();
  return { data: r.data!, statements: r.extensions!.cost!.historyQueries };
}

/** Up to nine objects to ask one by one, spread over the list, mostly ones whose nested lists are not empty. */
function sample<T>(list: T[], interesting: (x: T) => boolean): T[] {
  const rich = list.filter(interesting);
  const step = Math.max(1, Math.floor(rich.length / 9));
  const picked = [...rich.filter((_, i) => i % step === 0).slice(0, 7), ...list.filter((x) => !interesting(x)).slice(0, 2)];
  // Not vacuous: the loops over the sample compare something.
  expect(rich.length).toBeGreaterThan(0);
  expect(picked.length).toBeGreaterThan(1);
  return picked;
}

const SESSION_TREE = `id kind eventCount events(first: 10) { nodes { eventId eventName eventTime } pageInfo { hasNextPage } } resources { nodes { arn type eventCount } pageInfo { hasNextPage } }`;

describe('depth-4 queries run at most 5 statements, whatever the list sizes, and equal the unbatched answers', () => {
  test('principals → sessions → events and resources', async () => {
    type Q = { principals: { nodes: Array<{ arn: string; sessions: { nodes: unknown[] } }> } };
    const query = `query($t: TimeRange, $n: Int) { principals(first: $n, filter: {time: $t}) { nodes { arn sessions(first: 5) { nodes { ${SESSION_TREE} } } } } }`;
    const small = await run<Q>(query, { t: TIME, n: 3 });
    const wide = await run<Q>(query, { t: TIME, n: 50 });
    expect(small.statements).toBeLessThanOrEqual(5);
    expect(wide.statements).toBeLessThanOrEqual(5);
    const nodes = wide.data.principals.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(20);
    expect(nodes.filter((p) => p.sessions.nodes.length > 0).length).toBeGreaterThan(5);
    for (const p of sample(nodes, (x) => x.sessions.nodes.length > 0)) {
      const one = await run<{ principal: { sessions: { nodes: unknown[] } } }>(`query($t: TimeRange, $arn: String!) { principal(arn: $arn, time: $t) { sessions(first: 5) { nodes { ${SESSION_TREE} } } } }`, { t: TIME, arn: p.arn });
      expect([p.arn, one.data.principal.sessions]).toEqual([p.arn, p.sessions]);
    }
  });

  test('resources → principals → sessions → events', async () => {
    const tree = `arn principals(first: 5) { nodes { arn eventCount sessions(first: 3) { nodes { id lastEventTime events(first: 4, order: DESC) { nodes { eventId } } } } } }`;
    type Q = { resources: { nodes: Array<{ arn: string }> } };
    const query = `query($t: TimeRange, $n: Int) { resources(first: $n, filter: {time: $t, types: ["AWS::S3::Bucket", "AWS::IAM::Role", "AWS::KMS::Key"]}) { nodes { ${tree} } } }`;
    const small = await run<Q>(query, { t: TIME, n: 2 });
    const wide = await run<Q>(query, { t: TIME, n: 40 });
    expect(small.statements).toBeLessThanOrEqual(5);
    expect(wide.statements).toBe(small.statements);
    expect(wide.data.resources.nodes.length).toBeGreaterThan(10);
    for (const r of sample(wide.data.resources.nodes, () => true)) {
      const one = await run<{ resource: unknown }>(`query($t: TimeRange, $arn: String!) { resource(arn: $arn, time: $t) { ${tree} } }`, { t: TIME, arn: r.arn });
      expect(one.data.resource).toEqual(r);
    }
  });

  test('sessions → principal → resources → who touched them', async () => {
    const tree = `arn eventCount topEventNames(limit: 3) { name count } resources(first: 4) { nodes { arn principals(first: 3) { nodes { arn } } } }`;
    type Q = { sessions: { nodes: Array<{ id: string; principal: { arn: string } }> } };
    const query = `query($t: TimeRange, $n: Int) { sessions(first: $n, filter: {time: $t}) { nodes { id principal { ${tree} } } } }`;
    const small = await run<Q>(query, { t: TIME, n: 2 });
    const wide = await run<Q>(query, { t: TIME, n: 60 });
    expect(small.statements).toBeLessThanOrEqual(5);
    expect(wide.statements).toBe(small.statements);
    expect(wide.data.sessions.nodes.length).toBeGreaterThan(10);
    for (const s of sample(wide.data.sessions.nodes, () => true)) {
      const one = await run<{ principal: unknown }>(`query($t: TimeRange, $arn: String!) { principal(arn: $arn, time: $t) { ${tree} } }`, { t: TIME, arn: s.principal.arn });
      expect(one.data.principal).toEqual(s.principal);
    }
  });

  test('events → principal, session, resources (with their summaries)', async () => {
    const tree = `eventId principal { arn type eventCount } session { id kind eventCount principal { arn } } resources { arn eventCount }`;
    type E = { eventId: string; session: { id: string } | null };
    const query = `query($n: Int) { events(first: $n) { nodes { id ${tree} } } }`;
    const small = await run<{ events: { nodes: Array<E & { id: string }> } }>(query, { n: 3 });
    const wide = await run<{ events: { nodes: Array<E & { id: string }> } }>(query, { n: 200 });
    expect(small.statements).toBeLessThanOrEqual(5);
    expect(wide.statements).toBeLessThanOrEqual(5);
    expect(wide.data.events.nodes.filter((e) => e.session !== null).length).toBeGreaterThan(20);
    for (const e of sample(wide.data.events.nodes, (x) => x.session !== null)) {
      const one = await run<{ event: unknown }>(`query($id: ID!) { event(id: $id) { id ${tree} } }`, { id: e.id });
      expect(one.data.event).toEqual(e);
    }
  });
});
