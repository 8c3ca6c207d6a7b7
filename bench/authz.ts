import { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthz } from '../src/authz';
import { ALL_ACTIONS } from '../src/authz/actions';
import { hashApiKey } from '../src/authz/api-keys';
import { DecisionMemo } from '../src/authz/decision-memo';
import { Caller } from '../src/authz/caller';
import { SILENT } from '../src/authz/log';
import { loadConfig } from '../src/config';
import { CostMeter } from '../src/history/cost';
import { SqlEngine } from '../src/history/engine';
import { Sql } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { EVENTS_QUERY as EVENTS } from './events';
import { HttpTarget, percentile, post, sharedEngine } from './harness';
import { BenchRow } from './types';

const DAY = 86_400_000;
const BENCH_KEY = 'tg_bench_compliance_portal_key';
// bench/ under ts-node, dist/bench/ when compiled: the policies are at the repo root either way.
const POLICIES = [join(__dirname, '..', 'policies'), join(__dirname, '..', '..', 'policies')].find((p) => existsSync(p)) ?? join(__dirname, '..', 'policies');

function authConfig(dynamodbEndpoint = '') {
  return loadConfig([], {}, {
    logLevel: 'warn',
    maxSpanDays: 90,
    apiKeys: JSON.stringify([{ name: 'compliance-portal', sha256: hashApiKey(BENCH_KEY), groups: ['compliance'] }]),
    policyFile: join(POLICIES, 'example.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint,
    decisionTable: 'bench-decisions',
  }).config;
}

/** The variables of the case timed with auth on and off: AssumeRole over the 7 days ending with the last full day. */
export function authzCaseVariables(now: Date): Record<string, unknown> {
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  return { first: 50, filter: { eventNames: ['AssumeRole'], time: week } };
}

/** A second app over the given engine with authorization on (an API key, the example policies, the embedded decision cache), listening on loopback. */
export async function authedApp(engine: SqlEngine): Promise<{ app: FastifyInstance; url: string; headers: Record<string, string> }> {
  const app = await buildApp(authConfig(), { engine, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, headers: { 'x-api-key': BENCH_KEY } };
}

/**
 * Authorization's cost. (1) The events query of the first issue over real
 * HTTP with auth off (the bench's app) and on (a second app over the same
 * store: an API key, the example Cedar policies, the embedded DynamoDB
 * cache, warm), interleaved so both see the same machine; the ratio of the
 * p50s. (2) Decisions per second for a cold batch of 1,000 (DynamoDB misses,
 * Cedar, write-back), and the same batch warm.
 */
export async function authzBench(target: HttpTarget, engine: SqlEngine, now: Date, runs = 200): Promise<BenchRow[]> {
  const variables = authzCaseVariables(now);
  const { app: authed, url: authedUrl, headers } = await authedApp(sharedEngine(engine));
  const off: number[] = [];
  const on: number[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      await post(target.url, EVENTS, variables);
      await post(authedUrl, EVENTS, variables, headers);
    }
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always follows the other.
      const pair: [string, number[], Record<string, string>][] = [
        [target.url, off, {}],
        [authedUrl, on, headers],
      ];
      if (i % 2) pair.reverse();
      for (const [url, into, h] of pair) {
        const t0 = performance.now();
        await post(url, EVENTS, variables, h);
        into.push(performance.now() - t0);
      }
    }
  } finally {
    await authed.close();
  }
  off.sort((a, b) => a - b);
  on.sort((a, b) => a - b);
  const ratio = percentile(on, 50) / percentile(off, 50);
  const rows: BenchRow[] = [
    { name: 'events by event name, 7 days: auth off', p50: percentile(off, 50), p95: percentile(off, 95), note: `${runs} runs, interleaved with auth on` },
    {
      name: 'events by event name, 7 days: auth on (API key, Cedar, warm decision cache)',
      p50: percentile(on, 50),
      p95: percentile(on, 95),
      target: 'auth on ≤ 1.1x auth off (p50)',
      note: `auth on / off p50: ${ratio.toFixed(2)}x`,
    },
  ];
  rows.push(...(await decisionsBench()));
  return rows;
}

/** A cold batch of 1,000 decisions (250 accounts x 4 actions) through the cache and Cedar, then the same batch warm. */
export async function decisionsBench(rounds = 5): Promise<BenchRow[]> {
  const accounts = Array.from({ length: 250 }, (_, i) => String(100000000000 + i));
  const questions = ALL_ACTIONS.flatMap((action) => accounts.map((account) => ({ action, account })));
  const authz = await createAuthz(authConfig(), { log: SILENT, knownAccounts: async () => accounts });
  const authorizer = authz.authorizer;
  if (!authorizer) throw new Error('bench: authorization is off');
  const cold: number[] = [];
  const warm: number[] = [];
  const table: number[] = [];
  const memo = authorizer.cache instanceof DecisionMemo ? authorizer.cache : null;
  try {
    for (let round = 0; round < rounds + 1; round++) {
      // A caller never seen before: every key misses.
      const caller: Caller = { id: `apiKey:bench-${round}`, name: `bench-${round}`, groups: ['compliance'], kind: 'apiKey', attributes: {} };
      const m1 = new CostMeter();
      let t0 = performance.now();
      await authorizer.decide(caller, questions, m1);
      const coldMs = performance.now() - t0;
      const m2 = new CostMeter();
      t0 = performance.now();
      await authorizer.decide(caller, questions, m2);
      const warmMs = performance.now() - t0;
      // The same batch from the table alone (as another process, or this one after a restart, reads it).
      memo?.clear();
      const m3 = new CostMeter();
      t0 = performance.now();
      await authorizer.decide(caller, questions, m3);
      const tableMs = performance.now() - t0;
      if (m1.cacheMisses !== 1000 || m2.cacheHits !== 1000 || m3.cacheHits !== 1000) {
        throw new Error(`bench: expected 1000 misses then 1000 hits twice, got ${m1.cacheMisses} / ${m2.cacheHits} / ${m3.cacheHits}`);
      }
      if (round > 0) {
        cold.push(coldMs);
        warm.push(warmMs);
        table.push(tableMs);
      }
    }
  } finally {
    await authz.close();
  }
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  table.sort((a, b) => a - b);
  const perSecond = (ms: number) => Math.round(1000 / (ms / 1000));
  return [
    { name: 'decisions: cold batch of 1,000 (10 BatchGetItem, Cedar, 40 BatchWriteItem)', p50: percentile(cold, 50), p95: percentile(cold, 95), note: `${perSecond(percentile(cold, 50))} decisions/s (p50)` },
    { name: 'decisions: warm batch of 1,000 (in memory, no DynamoDB call)', p50: percentile(warm, 50), p95: percentile(warm, 95), note: `${perSecond(percentile(warm, 50))} decisions/s (p50)` },
    { name: 'decisions: warm batch of 1,000 from DynamoDB (10 BatchGetItem)', p50: percentile(table, 50), p95: percentile(table, 95), note: `${perSecond(percentile(table, 50))} decisions/s (p50)` },
  ];
}

