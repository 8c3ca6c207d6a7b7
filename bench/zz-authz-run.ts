import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { authzBench } from './authz';
import { demoDataset } from './dataset';
import { RecordingEngine, table } from './harness';

(async () => {
  const now = new Date();
  const events = Number(process.argv[2] ?? 200000);
  const data = await demoDataset('/tmp/tg-bench', events, 42, now);
  const db = '/tmp/tg-bench/bench.duckdb';
  if (process.argv[3] === 'ingest') {
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
    const e = await DuckDbEngine.open(db);
    await ingestPaths(e, [data.dir]);
    await e.close();
    console.log('ingested');
    return;
  }
  const engine = await DuckDbEngine.open(db);
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { db, logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const rows = await authzBench({ url, app, recorder }, engine, now);
  await app.close();
  console.log(table(rows));
})().catch((e) => { console.error(e); process.exit(1); });
