import 'reflect-metadata';
import { loadConfig } from './src/config';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { buildApp } from './src/server';
import { RecordingEngine, table } from './bench/harness';
import { statsBench } from './bench/stats';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/sb/bench.duckdb');
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { db: '/tmp/sb/bench.duckdb', logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const t = performance.now();
  const rows = await statsBench({ url, app, recorder }, engine, new Date('2026-11-22T16:24:58Z'));
  console.log(table(rows));
  console.log('took', Math.round(performance.now() - t));
  await app.close();
})();
