import { DuckDBInstance } from '@duckdb/node-api';
(async () => {
  const db = await DuckDBInstance.create('/tmp/tg-1m-sorted.duckdb');
  const c = await db.connect();
  const t = performance.now();
  await c.run(`ATTACH '/tmp/tg-1m.duckdb' AS src (READ_ONLY)`);
  await c.run(`CREATE TABLE cloudtrail AS SELECT * FROM src.cloudtrail ORDER BY day, eventtime`);
  console.log('sorted in', ((performance.now() - t) / 1000).toFixed(1));
  await c.run('DETACH src'); await c.run('CHECKPOINT');
  const r = await c.runAndReadAll(`SELECT count(*) AS n, min(day) AS a, max(day) AS b FROM cloudtrail`);
  console.log(r.getRowObjectsJS());
  c.closeSync(); db.closeSync();
})();
