import { SqlEngine } from '../src/history/engine';
import { postJson } from './http-client';
import { percentile } from './harness';
import { MiB, RssSampler, hostileApp } from './hostile-app';
import { BenchRow } from './types';

/** The documents and variables of issue 13's findings 1-4, as the attacker sent them. */
export const ATTACKS: ReadonlyArray<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  {
    name: 'abuse 1: three nested pages of 500',
    query: `{ events(first: 500) { nodes { resources { events(first: 500) { nodes { resources { events(first: 500) { nodes { eventName } } } } } } } } }`,
  },
  {
    name: 'abuse 2: 22 levels of doubled fragments',
    query: `query { ...F22 } fragment F0 on Query { __typename } ${Array.from({ length: 22 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ')}`,
  },
  {
    name: 'abuse 3: 1,000 aliases of __schema',
    query: `{ ${Array.from({ length: 1000 }, (_, i) => `s${i}: __schema { types { name kind fields { name args { name } type { name kind ofType { name } } } } }`).join(' ')} }`,
  },
  {
    name: 'abuse 4a: one 900,000-character ARN',
    query: `query Q($f: EventFilter) { events(filter: $f, first: 10) { nodes { eventId } } }`,
    variables: { f: { resourceArns: ['arn:aws:s3:::' + 'a'.repeat(900_000)] } },
  },
  {
    name: 'abuse 4b: 20,000 ARNs',
    query: `query Q($f: EventFilter) { events(filter: $f, first: 10) { nodes { eventId } } }`,
    variables: { f: { resourceArns: Array.from({ length: 20_000 }, (_, i) => `arn:aws:s3:::bucket-${i}`) } },
  },
  {
    name: 'abuse 4c: 50,000 event names',
    query: `query Q($f: EventFilter) { events(filter: $f, first: 10) { nodes { eventId } } }`,
    variables: { f: { eventNames: Array.from({ length: 50_000 }, (_, i) => `Event${i}`) } },
  },
];

/**
 * Issue 13's findings 1-4 against the store, with authorization on: each
 * attack sent `runs` times over real HTTP; its status and code, the time to
 * reject (p50/p95), and the peak RSS of the server throughout.
 */
export async function abuseBench(_target: unknown, engine: SqlEngine, _now: Date, runs = 10): Promise<BenchRow[]> {
  const app = await hostileApp(engine);
  const rows: BenchRow[] = [];
  try {
    for (const attack of ATTACKS) {
      const body = { query: attack.query, variables: attack.variables ?? {} };
      const ms: number[] = [];
      const answers = new Set<string>();
      const rss = new RssSampler().start();
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const res = await postJson(`${app.url}/graphql`, body, app.headers);
        ms.push(performance.now() - t0);
        const codes = ((JSON.parse(res.body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors ?? []).map((e) => e.extensions?.code ?? '?');
        answers.add(`${res.status} ${codes.join(',') || 'no error'}`);
      }
      const peak = rss.stop();
      ms.sort((a, b) => a - b);
      rows.push({
        name: attack.name,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        target: 'rejected < 50 ms, RSS < 1 GiB',
        note: `${[...answers].join('; ')}; ${(JSON.stringify(body).length / 1024).toFixed(0)} kB sent; server peak RSS ${MiB(peak).toFixed(0)} MiB`,
      });
    }
  } finally {
    await app.app.close();
  }
  return rows;
}
