import { DuckDbEngine } from './src/history/duckdb/engine';
import { ingestPaths } from './src/ingest';
(async () => {
  const engine = await DuckDbEngine.open(process.argv[3]);
  const t0 = performance.now();
  const s = await ingestPaths(engine, [process.argv[2]]);
  console.log(JSON.stringify({ records: s.records, stored: s.stored }), ((performance.now() - t0) / 1000).toFixed(1));
  await engine.close();
})().catch((e) => { console.error(e); process.exit(1); });
