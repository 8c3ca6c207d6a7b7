import { trusted } from '../src/history/sql/sql';
import { spawn } from 'node:child_process';
import { SqlEngine } from '../src/history/engine';
import { post } from './harness';
import { MiB, hostileApp } from './hostile-app';
import { BenchRow } from './types';

/** The two workloads of issue 13: the events page, and a principals -> sessions -> events mix. */
export const WORKLOADS: ReadonlyArray<{ name: string; query: string }> = [
  {
    name: 'events page',
    query: `{ events(first: 50) { nodes { id eventTime eventName eventSource awsRegion errorCode principal { arn } sourceIpAddress } pageInfo { hasNextPage endCursor } } }`,
  },
  {
    name: 'principals -> sessions -> events',
    query: `{ principals(first: 10) { nodes { arn sessions(first: 5) { nodes { id kind events(first: 10) { nodes { eventTime eventName } } } } } } }`,
  },
];

interface Cannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** autocannon in a child process (its own event loop, not the server's), its --json result. */
function autocannon(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Cannon> {
  const args = [require.resolve('autocannon'), '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-b', body, '-H', 'content-type=application/json', '--json'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(`${url}/graphql`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Cannon);
      } catch {
        reject(new Error(`autocannon exited ${code} without a result`));
      }
    });
  });
}

/** `--load-seconds N` (default 60): the length of each workload's warm-up and of its measured run. */
export function loadSeconds(argv: readonly string[] = process.argv): number {
  const i = argv.indexOf('--load-seconds');
  const n = i >= 0 ? Number(argv[i + 1]) : 60;
  return Number.isFinite(n) && n > 0 ? n : 60;
}

/**
 * Sustained load with authorization on (an internal app's key, the example
 * policies, the embedded decision cache): for each workload, 50 connections
 * for a warm-up run, then 50 for the measured run (autocannon); requests/s,
 * p50/p99 latency, errors and non-2xx answers, and the server's RSS at the
 * start and the end of the measured run (target: the end within 1.25x).
 */
export async function loadBench(_target: unknown, engine: SqlEngine, _now: Date, seconds = loadSeconds(), connections = 50): Promise<BenchRow[]> {
  const app = await hostileApp(engine);
  const rows: BenchRow[] = [];
  try {
    for (const w of WORKLOADS) {
      // Fails loudly if the workload itself is refused (a limit, a permission) before load is put on it.
      await post(app.url, w.query, {}, app.headers);
      const body = JSON.stringify({ query: w.query });
      await autocannon(app.url, body, app.headers, connections, seconds);
      const start = process.memoryUsage.rss();
      const cacheStart = await duckdbMemory(engine);
      const r = await autocannon(app.url, body, app.headers, connections, seconds);
      const end = process.memoryUsage.rss();
      const cacheEnd = await duckdbMemory(engine);
      rows.push({
        name: `load: ${w.name} (${connections} connections, ${seconds} s)`,
        p50: r.latency.p50,
        p95: r.latency.p99,
        target: '0 errors, 0 non-2xx, RSS end ≤ 1.25x start',
        note: `${r.requests.average.toFixed(0)} req/s; p99 (in the p95 column) ${r.latency.p99} ms; ${r.requests.total} requests, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx; RSS ${MiB(start).toFixed(0)} -> ${MiB(end).toFixed(0)} MiB (${(end / start).toFixed(2)}x); DuckDB's own memory ${MiB(cacheStart).toFixed(0)} -> ${MiB(cacheEnd).toFixed(0)} MiB`,
      });
    }
  } finally {
    // autocannon stops mid-request: let the statements of the requests it dropped finish (or abort)
    // before the app and then the bench close the store under them (a DuckDB close under running
    // statements crashed the process at exit).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await app.app.close();
  }
  return rows;
}

/** DuckDB's own memory (its buffer pool and the rest, duckdb_memory()): the part of the RSS that is the store's cache. */
async function duckdbMemory(engine: SqlEngine): Promise<number> {
  const { rows } = await engine.query(trusted('SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()'));
  return Number(rows[0]?.bytes ?? 0);
}
