import { FastifyInstance } from 'fastify';
import { SqlEngine } from '../src/history/engine';
import { RecordingEngine } from '../test/support/recording-engine';
import { BenchRow } from './types';
import { postJson } from './http-client';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Two functions timed alternately (warm-ups first), so machine drift falls on both; p50/p95 of each. */
export async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number, warmup = 5): Promise<[{ p50: number; p95: number }, { p50: number; p95: number }]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ms: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    const order: Array<[() => Promise<unknown>, number[]]> = [[a, ms[0]], [b, ms[1]]];
    if (i % 2) order.reverse();
    for (const [fn, into] of order) {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  }
  const stats = (xs: number[]) => {
    xs.sort((x, y) => x - y);
    return { p50: percentile(xs, 50), p95: percentile(xs, 95) };
  };
  return [stats(ms[0]), stats(ms[1])];
}

// The statement recorder lives with the tests' support, which both the tests and the bench import.
export { RecordingEngine };

export interface HttpTarget {
  /** Base URL of a listening app, e.g. http://127.0.0.1:4123 */
  url: string;
  app: FastifyInstance;
  recorder: RecordingEngine;
}

/** POSTs one GraphQL request over real HTTP; fails loudly on GraphQL errors. */
export async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await postJson(`${url}/graphql`, { query, variables }, headers);
  const body = JSON.parse(res.body) as { errors?: unknown[]; data?: unknown };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

/** One GraphQL request of a bench case. */
export interface BenchCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/**
 * Serves every case of an area `rounds` times, round-robin and untimed,
 * before any is timed: V8 optimises the server's code (Fastify, Apollo,
 * the compiled operations, ours) only after it has run a while, so
 * without this the area's first case was timed on a colder server than
 * the others (the same query measured first: 1.56-1.66x its SQL; measured
 * last: 1.41-1.50x). A server in use has long been warm.
 */
export async function warmUp(url: string, cases: readonly BenchCase[], rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) for (const c of cases) await post(url, c.query, c.variables);
}

/**
 * Times a GraphQL query over HTTP, and beside it the statements that query
 * ran, replayed directly on the engine (the baseline of the same run).
 */
export async function httpVsDirect(
  target: HttpTarget,
  name: string,
  query: string,
  variables: Record<string, unknown>,
  opts: { runs?: number; target?: string; headers?: Record<string, string> } = {},
): Promise<BenchRow> {
  const runs = opts.runs ?? 50;
  target.recorder.recorded = [];
  await post(target.url, query, variables, opts.headers);
  // A copy: the recorder keeps recording during the timed HTTP runs.
  const statements = [...target.recorder.recorded];
  // Interleaved, alternating which goes first, so both see the same machine (and neither always follows the other).
  const replay = async (): Promise<void> => {
    // Statements of one depth run in parallel in the API too; replay them the same way.
    await Promise.all(statements.map((s) => target.recorder.inner.query(s)));
  };
  const [http, direct] = await timePair(() => post(target.url, query, variables, opts.headers), replay, runs);
  return { name, p50: http.p50, p95: http.p95, directP50: direct.p50, directP95: direct.p95, target: opts.target, note: `${statements.length} statement(s)` };
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '' : n < 10 ? n.toFixed(2) : n.toFixed(1));

/** The table, as Markdown (also what BENCHMARKS.md holds). */
export function table(rows: readonly BenchRow[]): string {
  const lines = [
    '| case | p50 ms | p95 ms | direct SQL p50 ms | direct SQL p95 ms | API/direct (p50) | target | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const ratio = r.directP50 ? (r.p50 / r.directP50).toFixed(2) + 'x' : '';
    lines.push(`| ${r.name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.directP50)} | ${fmt(r.directP95)} | ${ratio} | ${r.target ?? ''} | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}

/** The bench's engine shared with a second app over the same store, which must not close it. */
export function sharedEngine(inner: SqlEngine): SqlEngine {
  return {
    name: inner.name,
    prefersNarrowStatements: inner.prefersNarrowStatements,
    partitionDays: inner.partitionDays,
    query: (statement, options) => inner.query(statement, options),
    close: async () => undefined,
  };
}
