import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { generateDemo } from './src/demo';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { ingestPaths } from './src/ingest';
(async () => {
  const now = new Date();
  rmSync('/tmp/sb', { recursive: true, force: true });
  let t = performance.now();
  await generateDemo({ events: 1_000_000, out: '/tmp/sb/logs', seed: 42, days: 30, end: now });
  console.log('gen', Math.round(performance.now() - t));
  t = performance.now();
  const engine = await DuckDbEngine.open('/tmp/sb/bench.duckdb');
  const s = await ingestPaths(engine, ['/tmp/sb/logs']);
  console.log('ingest', s.stored, Math.round(performance.now() - t), now.toISOString());
  await engine.close();
})();
