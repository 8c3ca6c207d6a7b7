import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
import { RecordingEngine } from './bench/harness';
import { writeFileSync } from 'node:fs';
async function main() {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const rec = new RecordingEngine(eng);
  const { config } = loadConfig([], {}, { maxSpanDays: 90 });
  const app = await buildApp(config, { engine: rec, logger: false });
  const day = { from: '2025-05-30T00:00:00Z', to: '2025-05-31T00:00:00Z' };
  const query = `query($t: TimeRange) { principals(first: 50, filter: {time: $t}) { nodes { arn sessions(first: 5) { nodes { id events(first: 10) { nodes { eventName eventTime } } resources { nodes { arn type eventCount } } } } } } }`;
  await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables: { t: day } } });
  writeFileSync('/tmp/graph-work/depth4.json', JSON.stringify(rec.recorded.map((s) => ({ text: s.text, params: s.params }))));
  await app.close();
}
main();
