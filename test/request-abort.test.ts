import { request } from 'node:http';
import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { Row, RunOptions, SqlEngine, StatementStats } from '../src/history/engine';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { Sql } from '../src/history/sql/sql';
import { corpusRecords, storeWith } from './support/fixture-store';
import { gql } from './support/api';
import { fixedClock } from './support/clock';

/**
 * The real embedded engine, holding each statement (when told to) until the
 * request's signal aborts: time for a client to go away mid-request.
 */
class HoldingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements: boolean;
  readonly partitionDays: SqlEngine['partitionDays'];
  hold = false;
  signals: AbortSignal[] = [];
  constructor(readonly inner: DuckDbEngine) {
    this.prefersNarrowStatements = inner.prefersNarrowStatements;
    this.partitionDays = inner.partitionDays;
  }
  async query(statement: Sql, options: RunOptions = {}): Promise<{ rows: Row[]; stats: StatementStats }> {
    const signal = options.signal;
    if (signal) this.signals.push(signal);
    if (this.hold && signal) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.inner.query(statement, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const QUERY = '{ events(first: 5, filter: {time: {from: "2000-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z"}}) { nodes { id } } }';
const { config } = loadConfig([], {}, { maxSpanDays: 36600 });

describe('a request whose client goes away', () => {
  let app: FastifyInstance;
  let engine: HoldingEngine;
  beforeAll(async () => {
    engine = new HoldingEngine(await storeWith(corpusRecords().slice(0, 50)));
    app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
  });
  afterAll(async () => {
    await app.close();
  });

  it('aborts its statements over real HTTP', async () => {
    engine.hold = true;
    engine.signals = [];
    const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    const body = JSON.stringify({ query: QUERY });
    const req = request({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    req.on('error', () => undefined); // the socket is destroyed on purpose
    req.end(body);
    // Wait until the statement is held, then hang up.
    while (engine.signals.length === 0) await new Promise((r) => setTimeout(r, 10));
    req.destroy();
    const signal = engine.signals[0];
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
    expect(signal.aborted).toBe(true);
    engine.hold = false;
  });

  it('leaves an answered request (app.inject) unaborted', async () => {
    engine.signals = [];
    const r = await gql<{ events: { nodes: Array<{ id: string }> } }>(app, QUERY);
    expect(r.errors).toBeUndefined();
    expect(r.data?.events.nodes.length).toBe(5);
    await new Promise((res) => setTimeout(res, 20));
    expect(engine.signals.length).toBeGreaterThan(0);
    for (const s of engine.signals) expect(s.aborted).toBe(false);
  });
});
