import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { Row, RunOptions, SqlEngine, StatementStats } from '../src/history/engine';
import { Sql } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { corpusRecords, storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';

/** A real store whose rows come back damaged: an unexpected failure inside a resolver. */
class DamagingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements = true;
  readonly partitionDays = 'event' as const;
  constructor(private readonly inner: SqlEngine) {}
  async query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    const out = await this.inner.query(statement, options);
    return { ...out, rows: out.rows.map((r) => ('raw' in r ? { ...r, raw: '{broken' } : r)) };
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600 });
let app: FastifyInstance;
let damaged: FastifyInstance;
beforeAll(async () => {
  const records = corpusRecords().slice(0, 50);
  app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
  damaged = await buildApp(config, { engine: new DamagingEngine(await storeWith(records)), logger: false, clock: fixedClock() });
});
afterAll(async () => {
  await app.close();
  await damaged.close();
});

test('an unexpected error is masked as INTERNAL_SERVER_ERROR, with no internal detail; the same query on an undamaged store answers', async () => {
  const r = await gql<{ events: { nodes: Array<{ eventId: string; raw: unknown }> } }>(damaged, `{ events(first: 2) { nodes { eventId raw } } }`);
  expect(codes(r)).toContain('INTERNAL_SERVER_ERROR');
  expect(JSON.stringify(r.errors)).not.toMatch(/SyntaxError|JSON|\.ts/);
  // The failure is the damage's: the same query over the same records, undamaged, answers both events.
  const whole = await gql<{ events: { nodes: Array<{ eventId: string; raw: unknown }> } }>(app, `{ events(first: 2) { nodes { eventId raw } } }`);
  expect(whole.errors).toBeUndefined();
  expect(whole.data!.events.nodes.length).toBe(2);
});

test('every response carries extensions.cost', async () => {
  const r = await gql(app, `{ events(first: 3) { nodes { eventId } } }`);
  expect(r.extensions?.cost).toMatchObject({ historyQueries: expect.any(Number), decisionLookups: expect.any(Number) });
  // A page is one statement, or on the embedded store up to four day slices (page-slices.ts).
  expect(r.extensions?.cost?.historyQueries).toBeGreaterThanOrEqual(1);
  expect(r.extensions?.cost?.historyQueries).toBeLessThanOrEqual(4);
});

test('too deep or too many aliases: QUERY_TOO_COMPLEX before anything runs', async () => {
  const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: events(first: 1) { nodes { eventId } }`).join(' ');
  const r = await gql(app, `{ ${aliases} }`);
  expect(codes(r)).toContain('QUERY_TOO_COMPLEX');
  expect(r.extensions?.cost?.historyQueries ?? 0).toBe(0);
});

test('a query that is not GraphQL is a parse failure with a code, not a stack trace', async () => {
  const r = await gql(app, `{ events(first: `);
  expect(codes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
});

test('healthz answers', async () => {
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ ok: true, engine: 'duckdb' });
});
