import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
import { RecordingEngine, table } from './bench/harness';
import { graphBench } from './bench/graph';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const rows = await graphBench({ url, app, recorder }, engine, new Date('2025-06-01T00:00:00Z'), 10);
  console.log(table(rows));
  await app.close();
})();
