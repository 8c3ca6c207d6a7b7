import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
import { RecordingEngine, table, httpVsDirect } from './bench/harness';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const t = { url, app, recorder };
  const day = { from: '2025-05-31T00:00:00Z', to: '2025-06-01T00:00:00Z' };
  const rows = [
    await httpVsDirect(t, 'events page one day', `query($f: EventFilter) { events(first: 50, filter: $f) { nodes { eventId eventName } } }`, { f: { time: day } }, { runs: 20 }),
    await httpVsDirect(t, 'events by principal one day', `query($f: EventFilter) { events(first: 50, filter: $f) { nodes { eventId eventName } } }`, { f: { time: day, principalArns: ['arn:aws:iam::418273645091:user/alice'] } }, { runs: 20 }),
  ];
  console.log(table(rows));
  await app.close();
})();
