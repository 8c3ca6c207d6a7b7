import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { post } from './harness';

const EVENTS = `query($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id eventId eventTime eventName eventSource userIdentity { type arn } sourceIpAddress errorCode } }
    pageInfo { hasNextPage endCursor }
  }
}`;
(async () => {
  const db = '/tmp/tg-bench/bench.duckdb';
  const engine = await DuckDbEngine.open(db);
  const { config } = loadConfig([], {}, { db, logLevel: 'warn', maxSpanDays: 90,
    apiKeys: JSON.stringify([{ name: 'p', sha256: require('crypto').createHash('sha256').update('k').digest('hex'), groups: ['compliance'] }]),
    policyFile: 'policies/example.cedar', policySchemaFile: 'policies/trailgraph.cedarschema' });
  const app = await buildApp(config, { engine, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const DAY = 86_400_000;
  const now = new Date();
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  for (let i = 0; i < Number(process.argv[2] ?? 300); i++) {
    await post(url, EVENTS, { first: 50, filter: { eventNames: ['AssumeRole'], time: week } }, { 'x-api-key': 'k' });
    if (i % 50 === 0) console.log('run', i);
  }
  await app.close();
  console.log('ok');
})().catch((e) => { console.error(e); process.exit(1); });
