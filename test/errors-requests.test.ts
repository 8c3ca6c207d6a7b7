import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { Row, RunOptions, SqlEngine, StatementStats } from '../src/history/engine';
import { Sql } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { corpusRecords, storeWith } from './support/fixture-store';

/** Counts the statements that reach the store: "nothing runs" is zero of them. */
class CountingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements = true;
  readonly partitionDays = 'event' as const;
  statements = 0;
  constructor(private readonly inner: SqlEngine) {}
  query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    this.statements++;
    return this.inner.query(statement, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface Answer {
  status: number;
  codes: string[];
  statements: number;
}

const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600 });
let app: FastifyInstance;
let engine: CountingEngine;

beforeAll(async () => {
  engine = new CountingEngine(await storeWith(corpusRecords().slice(0, 50)));
  app = await buildApp(config, { engine, logger: false });
});
afterAll(() => app.close());

async function post(payload: Record<string, unknown>): Promise<Answer> {
  const before = engine.statements;
  const res = await app.inject({ method: 'POST', url: '/graphql', payload });
  const body = JSON.parse(res.body) as { errors?: Array<{ extensions?: { code?: string } }> };
  return { status: res.statusCode, codes: (body.errors ?? []).map((e) => String(e.extensions?.code)), statements: engine.statements - before };
}

const REQUEST_CODES = ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'];

describe('a request that cannot run is refused with a 400-class status and a request code, before anything runs', () => {
  test('the store answers a valid request (the counter counts)', async () => {
    const ok = await post({ query: 'query Page { events(first: 1) { nodes { eventId } } }', operationName: 'Page' });
    expect(ok.status).toBe(200);
    expect(ok.statements).toBeGreaterThan(0);
  });

  test.each([
    ['an operationName the document does not define', { query: 'query Page { events(first: 1) { nodes { eventId } } }', operationName: 'Other' }],
    ['no operationName for a document of two operations', { query: 'query A { events(first: 1) { nodes { eventId } } } query B { events(first: 1) { nodes { eventId } } }' }],
    ['a mutation (the API has none)', { query: 'mutation { x }' }],
    ['a subscription over plain HTTP (the API has none)', { query: 'subscription { x }' }],
    ['first: -1', { query: '{ events(first: -1) { nodes { eventId } } }' }],
    ['last: -1', { query: '{ events(last: -1) { nodes { eventId } } }' }],
    ['first: -1 in a variable', { query: 'query P($n: Int) { events(first: $n) { nodes { eventId } } }', variables: { n: -1 } }],
  ])('%s', async (_what, payload) => {
    const r = await post(payload);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.codes.length).toBeGreaterThan(0);
    for (const c of r.codes) expect(REQUEST_CODES).toContain(c);
    expect(r.statements).toBe(0);
  });
});

/** A real store whose rows come back damaged: an unexpected failure inside a resolver. */
class DamagingEngine extends CountingEngine {
  override async query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    const out = await super.query(statement, options);
    return { ...out, rows: out.rows.map((r) => ('raw' in r ? { ...r, raw: '{broken' } : r)) };
  }
}

test('every INTERNAL_SERVER_ERROR is logged at error level with its cause', async () => {
  const lines: Array<{ level: number; err?: { type?: string; stack?: string } }> = [];
  const stream = { write: (l: string) => void lines.push(JSON.parse(l) as { level: number }) };
  const damaged = await buildApp(config, { engine: new DamagingEngine(await storeWith(corpusRecords().slice(0, 5))), logger: { level: 'info', stream } });
  try {
    const res = await damaged.inject({ method: 'POST', url: '/graphql', payload: { query: '{ events(first: 2) { nodes { eventId raw } } }' } });
    const body = JSON.parse(res.body) as { errors?: Array<{ extensions?: { code?: string } }> };
    const masked = (body.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR').length;
    expect(masked).toBeGreaterThan(0);
    // pino's levels: 50 is error. The cause is the JSON parser's SyntaxError, with its stack.
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors.length).toBeGreaterThanOrEqual(masked);
    for (const l of errors) expect(l.err?.stack ?? '').toMatch(/SyntaxError/);
  } finally {
    await damaged.close();
  }
});
