import { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config';
import { testAthenaOptions } from '../support/engines';
import { AthenaEngine } from '../../src/history/athena/engine';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { UNRESTRICTED, boundPredicate } from '../../src/history/event-filter';
import { sql, trusted } from '../../src/history/sql/sql';
import { TABLE } from '../../src/history/table';
import { buildApp } from '../../src/server';
import { HttpTarget, percentile } from '../../bench/harness';
import { BenchRow } from '../../bench/types';
import { AthenaEmulator } from './server';

/**
 * The batching figure on Athena (emulated): the depth-4 query principals →
 * sessions → events → resources, the statements it starts and the bytes
 * they scan, beside the naive count of one statement per object returned.
 * For `npm run bench` (bench/run.ts lists it among its extra benches).
 */
export const DEPTH4 = `query($time: TimeRange!) {
  principals(filter: { time: $time }, first: 10) {
    nodes {
      arn eventCount
      sessions(first: 5) {
        nodes {
          id eventCount
          events(first: 5) { nodes { eventId eventName resources { arn type } } }
        }
      }
    }
  }
}`;

interface Depth4 {
  principals: { nodes: Array<{ sessions: { nodes: Array<{ events: { nodes: Array<{ resources: unknown[] }> } }> } }> };
}

/** Objects in the answer: what a resolver-per-object design would run one statement for. */
export function objectsIn(d: Depth4): number {
  let n = 0;
  for (const p of d.principals.nodes) {
    n++;
    for (const s of p.sessions.nodes) {
      n++;
      for (const e of s.events.nodes) n += 1 + e.resources.length;
    }
  }
  return n;
}

const MiB = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

async function run(app: FastifyInstance, time: { from: string; to: string }): Promise<Depth4> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: DEPTH4, variables: { time } } });
  const body = JSON.parse(res.body) as { data?: Depth4; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`bench: GraphQL errors ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

export async function athenaBench(_target: HttpTarget, engine: DuckDbEngine, now: Date, runs = 5): Promise<BenchRow[]> {
  const emulator = await AthenaEmulator.start(engine, { queueMs: 1 });
  // The tests' engine options, with the bench's slower polls and a longer statement timeout.
  const athena = new AthenaEngine(
    testAthenaOptions(emulator.endpoint, {
      table: TABLE,
      statementTimeoutMs: 120_000,
      poll: { initialMs: 5, factor: 2, maxMs: 50 },
      retry: { maxAttempts: 6, baseMs: 5, capMs: 100 },
      stopTimeoutMs: 5000,
    }),
  );
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: athena, logger: false });
  try {
    const week = { from: new Date(now.getTime() - 7 * 86_400_000).toISOString(), to: new Date(now.getTime() + 1000).toISOString() };
    await run(app, week); // warm-up: authorization's caches, the emulator's partition sizes
    const ms: number[] = [];
    let started = 0;
    let bytes = 0;
    let objects = 0;
    for (let i = 0; i < runs; i++) {
      emulator.resetStats();
      const t0 = performance.now();
      objects = objectsIn(await run(app, week));
      ms.push(performance.now() - t0);
      started = emulator.stats.started;
      bytes = emulator.stats.bytesScanned;
    }
    ms.sort((a, b) => a - b);
    // What any statement over the window reads at least: one scan of its partitions.
    const window = { from: new Date(week.from), to: new Date(week.to) };
    const scan = await athena.query(sql`SELECT count(*) AS n FROM ${trusted(TABLE)} WHERE ${boundPredicate(window, UNRESTRICTED)}`);
    const oneScan = scan.stats.bytesScanned;
    const ratio = started ? (objects / started).toFixed(1) : 'n/a';
    return [
      {
        name: 'Athena (emulated): depth-4 principals → sessions → events → resources, 7 days',
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        target: 'about one statement per depth',
        note:
          `${started} statements started, ${MiB(bytes)} scanned; naive (one statement per object): ${objects} statements, ` +
          `≥ ${MiB(objects * oneScan)} (${MiB(oneScan)} per window scan); ${ratio}x fewer statements`,
      },
    ];
  } finally {
    await app.close();
    await emulator.close();
  }
}
