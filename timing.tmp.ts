import 'reflect-metadata';
import { corpusRecords, storeWith } from './test/support/fixture-store';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
import { RecordingEngine } from './bench/harness';
async function main() {
  const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600 });
  const eng = await storeWith(corpusRecords());
  const rec = new RecordingEngine(eng);
  const app = await buildApp(config, { engine: rec, logger: false });
  const query = `{ principals(first: 50) { nodes { arn sessions(first: 5) { nodes { id events(first: 10) { nodes { eventName } } resources { nodes { arn type eventCount } } } } } } }`;
  await app.inject({ method: 'POST', url: '/graphql', payload: { query } });
  for (const s of rec.recorded) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) { const t = performance.now(); await eng.query(s); times.push(performance.now() - t); }
    console.log(times.map(t => t.toFixed(1)).join(' '), s.text.length, s.params.length, s.text.slice(0, 80).replace(/\s+/g, ' '));
  }
  await app.close();
}
main();
