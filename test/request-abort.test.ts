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
 * request's signal aborts: time for a client to go away mid-request. Each
 * hold ends in an event, 'aborted' or 'released' (the hold's bound passed
 * with no abort), so a test waits for an outcome, never for a hang.
 */
type HoldEnd = 'aborted' | 'released';
class HoldingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements: boolean;
  readonly partitionDays: SqlEngine['partitionDays'];
  hold = false;
  signals: AbortSignal[] = [];
  /** Called with each held statement's signal as the hold starts, and with how it ended. */
  onHold: (signal: AbortSignal) => void = () => undefined;
  onHoldEnd: (end: HoldEnd) => void = () => undefined;
  constructor(readonly inner: DuckDbEngine) {
    this.prefersNarrowStatements = inner.prefersNarrowStatements;
    this.partitionDays = inner.partitionDays;
  }
  async query(statement: Sql, options: RunOptions = {}): Promise<{ rows: Row[]; stats: StatementStats }> {
    const signal = options.signal;
    if (signal) this.signals.push(signal);
    if (this.hold && signal) {
      this.onHold(signal);
      const end = await new Promise<HoldEnd>((resolve) => {
        if (signal.aborted) return resolve('aborted');
        const timer = setTimeout(() => resolve('released'), 5000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve('aborted');
        });
      });
      this.onHoldEnd(end);
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
    const held = new Promise<AbortSignal>((resolve) => (engine.onHold = resolve));
    const ended = new Promise<HoldEnd>((resolve) => (engine.onHoldEnd = resolve));
    const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    const body = JSON.stringify({ query: QUERY });
    const req = request({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    req.on('error', () => undefined); // the socket is destroyed on purpose
    // An answer before any statement is held would mean nothing was run: that fails here instead of waiting.
    const answered = new Promise<'answered'>((resolve) => req.on('response', () => resolve('answered')));
    req.end(body);
    // Once the statement is held, hang up; the hold then ends by the abort, or by its bound if none comes.
    const first = await Promise.race([held, answered]);
    expect(first).not.toBe('answered');
    req.destroy();
    expect(await ended).toBe('aborted');
    expect((first as AbortSignal).aborted).toBe(true);
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
