import 'reflect-metadata';
import { corpusRecords, storeWith } from './test/support/fixture-store';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
async function main() {
  const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600 });
  const app = await buildApp(config, { engine: await storeWith(corpusRecords()), logger: false });
  const q = async (query: string, variables = {}) => { const t = performance.now(); const r = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } }); const b = JSON.parse(r.body); console.log((performance.now()-t).toFixed(0)+'ms', JSON.stringify(b).slice(0, 1500)); return b; };
  const b = await q(`{ principals(first: 50) { nodes { arn type name eventCount sessions(first: 5) { nodes { id kind sessionName eventCount events(first: 10) { nodes { eventName } } resources { nodes { arn type eventCount } } } } } } }`);
  console.log(JSON.stringify(b.extensions));
  await q(`{ sessions(first: 3) { nodes { id kind createdAt principal { arn type topEventNames(limit: 2) { name count } } eventCount writeCount errorCount accessDeniedCount mfaAuthenticated eventSources regions userAgents } pageInfo { hasNextPage endCursor } } }`);
  await q(`{ resources(first: 3) { nodes { id arn type accountId eventCount firstSeen principals(first: 3) { nodes { arn eventCount } } events(first: 2) { nodes { eventName principal { arn } session { id } resources { arn } } } } } }`);
  await q(`{ events(first: 5) { nodes { eventName principal { arn type eventCount } session { id kind eventCount } resources { arn type } } } }`);
  await q(`{ principal(arn: "arn:aws:sts::123456789012:assumed-role/Admin/alias") { arn type eventCount } }`);
  await q(`{ authorizationDecisions(first: 5) { nodes { decision principal action resource policyStoreId decidedAt } pageInfo { hasNextPage endCursor } } }`);
  await app.close();
}
main();
