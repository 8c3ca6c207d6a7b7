import '../src/production-mode';
import 'reflect-metadata';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { DuckDBConnection } from '@duckdb/node-api';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { toDuckDbSql } from '../src/history/duckdb/compat';
import { Sql, trusted } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { authedApp, authzCaseVariables } from './authz';
import { EVENTS_QUERY, eventsCases } from './events';
import { graphCases } from './graph';
import { BenchCase, HttpTarget, RecordingEngine, percentile, post, sharedEngine, timePair, warmUp } from './harness';
import { statsCases } from './stats';

/** One case of the scale table, measured on one store. */
export interface ScaleCase {
  name: string;
  p50: number;
  p95: number;
  /** Statements one request ran. */
  statements: number;
  /** Rows DuckDB's profiler counted as scanned by those statements (cumulative_rows_scanned, summed). */
  rowsRead: number;
}

/** What the child prints (one JSON line): the cases, the store's size, the process's peak RSS. */
export interface ScaleResult {
  cases: ScaleCase[];
  storeBytes: number;
  maxRssMiB: number;
  /** Peak RSS while the cases were served, after the bench's own set-up look-ups (null where Linux's peak reset is unavailable). */
  servingPeakRssMiB: number | null;
  /** RSS when the cases are done, and DuckDB's own part of it (duckdb_memory(): its buffer pool and the rest). */
  endRssMiB: number;
  duckdbMiB: number;
  ms: number;
}

/**
 * Rows scanned by a statement, from DuckDB's own profile: EXPLAIN ANALYZE
 * runs it and returns the profile as JSON; in the detailed mode its root
 * carries cumulative_rows_scanned (every scan below it, after zone-map
 * pruning), which is what a statement costs as the store grows.
 */
export async function rowsScanned(conn: DuckDBConnection, statement: Sql): Promise<number> {
  const reader = await conn.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT json) ${toDuckDbSql(statement.text)}`, [...statement.params]);
  const profile = JSON.parse(String(reader.getRows()[0]?.[1] ?? '{}')) as { cumulative_rows_scanned?: number };
  return Number(profile.cumulative_rows_scanned ?? 0);
}

/**
 * Linux keeps a process's peak RSS (VmHWM) and resets it when "5" is
 * written to /proc/self/clear_refs: the bench's set-up look-ups (whole-table
 * GROUP BYs to pick values from the data, which no request runs) would
 * otherwise set the peak of the server that the table reports.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssMiB(): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

/** Times a case over HTTP after a few untimed requests; the statements of one (warm) request, and their rows scanned. */
async function measure(target: HttpTarget, profiler: DuckDBConnection, c: BenchCase, runs: number): Promise<ScaleCase> {
  // The statements of a warm request: a first one may also run one-time look-ups (e.g. the known accounts).
  await post(target.url, c.query, c.variables);
  target.recorder.recorded = [];
  await post(target.url, c.query, c.variables);
  const statements = [...target.recorder.recorded];
  for (let i = 0; i < 4; i++) await post(target.url, c.query, c.variables);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await post(target.url, c.query, c.variables);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  let rowsRead = 0;
  for (const s of statements) rowsRead += await rowsScanned(profiler, s);
  return { name: c.name, p50: percentile(ms, 50), p95: percentile(ms, 95), statements: statements.length, rowsRead };
}

/** The events query with authorization off and on, interleaved (harness timePair); statements and rows of a warm auth-on request. */
async function authOnOff(target: HttpTarget, engine: DuckDbEngine, profiler: DuckDBConnection, now: Date, runs: number): Promise<ScaleCase[]> {
  const variables = authzCaseVariables(now);
  const recorder = new RecordingEngine(sharedEngine(engine));
  const authed = await authedApp(recorder);
  try {
    const off = await measure(target, profiler, { name: 'events by event name, 7 days: auth off', query: EVENTS_QUERY, variables }, 1);
    await post(authed.url, EVENTS_QUERY, variables, authed.headers);
    recorder.recorded = [];
    await post(authed.url, EVENTS_QUERY, variables, authed.headers);
    const statements = [...recorder.recorded];
    const [offMs, onMs] = await timePair(() => post(target.url, EVENTS_QUERY, variables), () => post(authed.url, EVENTS_QUERY, variables, authed.headers), runs);
    let rowsRead = 0;
    for (const s of statements) rowsRead += await rowsScanned(profiler, s);
    return [
      { ...off, p50: offMs.p50, p95: offMs.p95 },
      { name: 'events by event name, 7 days: auth on', p50: onMs.p50, p95: onMs.p95, statements: statements.length, rowsRead },
    ];
  } finally {
    await authed.app.close();
  }
}

/**
 * `node scale-child.js STORE RUNS`: serves one store over loopback HTTP in
 * this process alone (so its peak RSS is the server's, with the bench's
 * client beside it) and measures the scale cases; prints one JSON line.
 * "Now" is the store's last event: the demo data ends when it was generated.
 */
async function main(): Promise<void> {
  const [db, runsText] = process.argv.slice(2);
  const runs = Number(runsText) || 30;
  const t0 = performance.now();
  // The server's own settings, as `serve` reads them (TRAILGRAPH_DB_MEMORY_MB among them): its RSS is what is measured.
  const { config } = loadConfig([], process.env, { db, logLevel: 'warn', maxSpanDays: 90 });
  const engine = await DuckDbEngine.open(db, undefined, config.dbMemoryMb);
  const last = (await engine.query(trusted('SELECT max(eventtime) AS t FROM cloudtrail'))).rows[0]?.t;
  if (typeof last !== 'string') throw new Error(`bench: no events in ${db}`);
  const now = new Date(Date.parse(last) + 1000);
  const recorder = new RecordingEngine(engine);
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const target: HttpTarget = { url, app, recorder };
  const profiler = await engine.connect();
  await profiler.run(`SET profiling_mode = 'detailed'`);
  const cases: ScaleCase[] = [];
  let duckdbMiB = 0;
  let servingPeakRssMiB: number | null = null;
  let setUpPeakMiB = 0;
  try {
    const graph = await graphCases(target, engine, now);
    const pick = (prefix: string): BenchCase => {
      const c = graph.find((g) => g.name.startsWith(prefix));
      if (!c) throw new Error(`bench: no graph case ${prefix}`);
      return c;
    };
    const asked: BenchCase[] = [
      ...(await eventsCases(target, engine, now)),
      pick('graph: one session'),
      pick('graph: principal with topEventNames, 30 days'),
      statsCases(now)[0],
      pick('graph: depth-4'),
    ];
    // Round-robin untimed first (harness warmUp): the first case timed otherwise meets a colder server than the last.
    // Resetting the peak resets getrusage's too: the set-up's peak is read first.
    setUpPeakMiB = peakRssMiB() ?? process.resourceUsage().maxRSS / 1024;
    const peakReset = resetPeakRss();
    await warmUp(url, asked, 3);
    for (const c of asked) cases.push(await measure(target, profiler, c, runs));
    cases.push(...(await authOnOff(target, engine, profiler, now, runs)));
    const memory = await engine.query(trusted('SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()'));
    duckdbMiB = Number(memory.rows[0]?.bytes ?? 0) / 1024 ** 2;
    servingPeakRssMiB = peakReset ? peakRssMiB() : null;
  } finally {
    profiler.closeSync();
    await app.close();
  }
  const storeBytes = statSync(db).size;
  const endRssMiB = process.memoryUsage.rss() / 1024 ** 2;
  const result: ScaleResult = { cases, storeBytes, maxRssMiB: Math.max(setUpPeakMiB, process.resourceUsage().maxRSS / 1024), servingPeakRssMiB, endRssMiB, duckdbMiB, ms: performance.now() - t0 };
  console.log(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
