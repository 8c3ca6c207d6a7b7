import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { SqlEngine } from '../src/history/engine';
import { buildApp } from '../src/server';
import { EVENTS_QUERY } from './events';
import { HttpTarget, post, sharedEngine, timePair } from './harness';
import { BenchRow } from './types';

const DAY = 86_400_000;

/**
 * What production operation costs a request: the events page over HTTP on
 * an app that writes an access line per request (to a file, awaited before
 * the answer) and counts its metrics, beside an app over the same store with
 * both off; timed alternately, the ratio of the p50s.
 */
export async function operationsBench(_target: HttpTarget, engine: SqlEngine, now: Date, runs = 300): Promise<BenchRow[]> {
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  const variables = { first: 50, filter: { eventNames: ['AssumeRole'], time: week } };
  const dir = mkdtempSync(join(tmpdir(), 'tg-bench-ops-'));
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90, accessLog: join(dir, 'access.log') });
  const on = await buildApp(config, { engine: sharedEngine(engine), logger: false });
  const off = await buildApp(config, { engine: sharedEngine(engine), logger: false, audit: false });
  try {
    const [onUrl, offUrl] = [await on.listen({ host: '127.0.0.1', port: 0 }), await off.listen({ host: '127.0.0.1', port: 0 })];
    const [a, b] = await timePair(() => post(onUrl, EVENTS_QUERY, variables), () => post(offUrl, EVENTS_QUERY, variables), runs, 20);
    const ratio = a.p50 / b.p50;
    return [
      { name: 'events page: access audit and metrics off', p50: b.p50, p95: b.p95, note: `${runs} runs, alternating with on` },
      { name: 'events page: access audit (file) and metrics on', p50: a.p50, p95: a.p95, target: 'on ≤ 1.05x off (p50)', note: `on / off p50: ${ratio.toFixed(3)}x` },
    ];
  } finally {
    await on.close();
    await off.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
