import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { LocalDestination, compactStore } from '../../src/compact';
import { loadConfig } from '../../src/config';
import { AthenaEngine } from '../../src/history/athena/engine';
import { PRINCIPAL_ARN } from '../../src/history/derive';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { Row } from '../../src/history/engine';
import { trusted } from '../../src/history/sql/sql';
import { TABLE } from '../../src/history/table';
import { buildApp } from '../../src/server';
import { EVENTS_QUERY } from '../../bench/events';
import { DEPTH_FOUR } from '../../bench/graph';
import { HttpTarget, percentile } from '../../bench/harness';
import { BenchRow } from '../../bench/types';
import { testAthenaOptions } from '../support/engines';
import { AthenaEmulator } from './server';

/**
 * The `parquet` bench area: the bench's events, graph and stats cases on
 * the Athena engine (emulated) twice, over the tables of the JSON log files
 * and over the Parquet `trailgraph compact` wrote from the same store, with
 * the bytes each is billed (DataScannedInBytes: parquet-bytes.ts for
 * Parquet, the records' JSON for the logs) and their ratio (target: at least
 * 10x fewer over Parquet). Each case's answers must be equal on both. The
 * compaction itself is timed too, and a second one that finds nothing new.
 */
const DAY = 86_400_000;
const MiB = (b: number) => `${(b / 1048576).toFixed(2)} MiB`;
const RUNS = 5;

const SESSIONS = `query($filter: SessionFilter) { sessions(first: 50, filter: $filter) {
  nodes { id kind sessionName firstEventTime lastEventTime eventCount errorCount principal { arn } } } }`;
const SESSION = `query($id: ID!) { session(id: $id) { id eventCount errorCount eventSources regions
  events(first: 50) { nodes { id eventTime eventName eventSource errorCode } } } }`;
const PRINCIPAL = `query($arn: String!, $time: TimeRange) { principal(arn: $arn, time: $time) {
  arn type name accountId firstSeen lastSeen eventCount errorCount topEventNames { name count } } }`;
const RESOURCE = `query($arn: String!, $time: TimeRange) { resource(arn: $arn, time: $time) {
  arn type firstSeen lastSeen eventCount principals(first: 20) { nodes { arn } } } }`;
const STATS = `query($filter: EventFilter, $groupBy: [EventDimension!]!, $bucket: TimeBucket, $limit: Int) {
  eventStats(filter: $filter, groupBy: $groupBy, bucket: $bucket, limit: $limit) { keys bucketStart count } }`;

interface Case {
  group: 'events' | 'graph' | 'stats';
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

interface Side {
  emulator: AthenaEmulator;
  engine: AthenaEngine;
  app: FastifyInstance;
}

async function ask(app: FastifyInstance, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
  const body = JSON.parse(res.body) as { data?: unknown; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`bench: GraphQL errors ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

async function one(engine: DuckDbEngine, text: string): Promise<Row> {
  const { rows } = await engine.query(trusted(text));
  if (!rows[0]) throw new Error(`bench: no data for ${text}`);
  return rows[0];
}

/** The cases, with values picked from the data (as bench/events.ts and bench/graph.ts pick them). */
async function casesOf(engine: DuckDbEngine, now: Date, json: Side): Promise<Case[]> {
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const day = { from: lastDay.toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: day.to };
  const month = { from: new Date(lastDay.getTime() - 29 * DAY).toISOString(), to: day.to };
  const dayText = lastDay.toISOString().slice(0, 10).replace(/-/g, '/');
  const principal = await one(engine, `SELECT ${PRINCIPAL_ARN.text} AS arn, count(*) AS n FROM ${TABLE} WHERE useridentity.type = 'IAMUser' AND day = '${dayText}' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const errorCode = await one(engine, `SELECT errorcode AS code, count(*) AS n FROM ${TABLE} WHERE errorcode IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const resource = await one(engine, `SELECT r AS arn, count(*) AS n FROM ${TABLE} CROSS JOIN UNNEST(list_transform(resources, x -> x.arn)) AS u(r) WHERE day = '${dayText}' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const account = await one(engine, `SELECT account, count(*) AS n FROM ${TABLE} WHERE day = '${dayText}' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const sessions = (await ask(json.app, SESSIONS, { filter: { time: day, accountIds: [account.account] } })) as { sessions: { nodes: Array<{ id: string; eventCount: number }> } };
  const session = [...sessions.sessions.nodes].sort((a, b) => b.eventCount - a.eventCount)[0];
  if (!session) throw new Error('bench: no session on the last day');
  return [
    { group: 'events', name: 'events by principal, one day', query: EVENTS_QUERY, variables: { first: 50, filter: { principalArns: [principal.arn], time: day } } },
    { group: 'events', name: 'events by event name, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { eventNames: ['AssumeRole'], time: week } } },
    { group: 'events', name: 'events by error code, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { errorCodes: [errorCode.code], time: week } } },
    { group: 'events', name: 'events by resource ARN, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { resourceArns: [resource.arn], time: week } } },
    { group: 'graph', name: 'graph: sessions of one account, one day', query: SESSIONS, variables: { filter: { time: day, accountIds: [account.account] } } },
    { group: 'graph', name: 'graph: one session, summary and first 50 events', query: SESSION, variables: { id: session.id } },
    { group: 'graph', name: 'graph: principal with topEventNames, 30 days', query: PRINCIPAL, variables: { arn: principal.arn, time: month } },
    { group: 'graph', name: 'graph: resource with its principals, one day', query: RESOURCE, variables: { arn: resource.arn, time: day } },
    { group: 'graph', name: 'graph: depth-4 principals → sessions → events, resources, one day', query: DEPTH_FOUR, variables: { time: day } },
    { group: 'stats', name: 'eventStats by EVENT_NAME, DAY buckets, 30 days', query: STATS, variables: { filter: { time: month }, groupBy: ['EVENT_NAME'], bucket: 'DAY', limit: 10_000 } },
    { group: 'stats', name: 'eventStats by PRINCIPAL_ARN, 7 days', query: STATS, variables: { filter: { time: week }, groupBy: ['PRINCIPAL_ARN'], limit: 100 } },
  ];
}

async function side(emulator: AthenaEmulator, format: 'json' | 'parquet'): Promise<Side> {
  const engine = new AthenaEngine(
    testAthenaOptions(emulator.endpoint, { format, statementTimeoutMs: 300_000, poll: { initialMs: 2, factor: 2, maxMs: 20 }, retry: { maxAttempts: 6, baseMs: 5, capMs: 100 }, stopTimeoutMs: 5000 }),
  );
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90 });
  return { emulator, engine, app: await buildApp(config, { engine, logger: false }) };
}

/** One run: the answer, and the bytes its statements were billed. */
async function measure(s: Side, c: Case): Promise<{ data: unknown; bytes: number; statements: number }> {
  s.emulator.resetStats();
  const data = await ask(s.app, c.query, c.variables);
  return { data, bytes: s.emulator.stats.bytesScanned, statements: s.emulator.stats.started };
}

async function times(s: Side, c: Case): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await ask(s.app, c.query, c.variables);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

export async function parquetBench(_target: HttpTarget, engine: DuckDbEngine, now: Date): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'trailgraph-bench-parquet-'));
  const rows: BenchRow[] = [];
  let json: Side | undefined;
  let parquet: Side | undefined;
  try {
    const t0 = performance.now();
    const first = await compactStore(engine, new LocalDestination(dir));
    const compactMs = performance.now() - t0;
    const t1 = performance.now();
    const again = await compactStore(engine, new LocalDestination(dir));
    const againMs = performance.now() - t1;
    rows.push({
      name: 'parquet: compact the store (events, touches, principal days)',
      p50: compactMs,
      p95: compactMs,
      target: 'a second compact writes nothing',
      note: `${first.events.toLocaleString('en-US')} events, ${first.partitions} partitions, ${first.filesWritten} files, ${MiB(first.bytesWritten)}; ` +
        `again: ${again.filesWritten} files written in ${againMs.toFixed(0)} ms`,
    });
    json = await side(await AthenaEmulator.start(engine, { queueMs: 1 }), 'json');
    parquet = await side(await AthenaEmulator.startParquet(dir, { queueMs: 1 }), 'parquet');
    const cases = await casesOf(engine, now, json);
    const totals = new Map<string, { json: number; parquet: number }>();
    for (const c of cases) {
      const a = await measure(json, c);
      const b = await measure(parquet, c);
      const same = JSON.stringify(a.data) === JSON.stringify(b.data);
      const ms = await times(parquet, c);
      const jsonMs = await times(json, c);
      const t = totals.get(c.group) ?? { json: 0, parquet: 0 };
      totals.set(c.group, { json: t.json + a.bytes, parquet: t.parquet + b.bytes });
      rows.push({
        name: `parquet: ${c.name}`,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        target: '≥ 10x fewer bytes than JSON',
        note: `${a.statements} statements; JSON ${MiB(a.bytes)} (p50 ${percentile(jsonMs, 50).toFixed(0)} ms), Parquet ${MiB(b.bytes)}: ` +
          `${b.bytes > 0 ? (a.bytes / b.bytes).toFixed(1) : '∞'}x fewer${same ? '' : '; ANSWERS DIFFER'}`,
      });
    }
    for (const [group, t] of totals) {
      rows.push({
        name: `parquet: all ${group} cases`,
        p50: NaN,
        p95: NaN,
        target: '≥ 10x fewer bytes than JSON',
        note: `JSON ${MiB(t.json)}, Parquet ${MiB(t.parquet)}: ${t.parquet > 0 ? (t.json / t.parquet).toFixed(1) : '∞'}x fewer`,
      });
    }
    return rows;
  } finally {
    for (const s of [json, parquet]) {
      if (!s) continue;
      await s.app.close();
      await s.emulator.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
