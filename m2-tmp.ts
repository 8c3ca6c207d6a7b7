import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { trusted } from './src/history/sql/sql';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/sb/bench.duckdb');
  const where = `day >= '2026/10/23' AND day <= '2026/11/22' AND eventtime >= '2026-10-23T16:24:58Z' AND eventtime < '2026-11-22T16:24:59Z'`;
  const cases: Record<string, string> = {
    substr: `SELECT eventname AS k0, substr(eventtime, 1, 10) || 'T00:00:00Z' AS b, count(*) AS n FROM cloudtrail WHERE ${where} GROUP BY 1, 2 ORDER BY b, n DESC LIMIT 100`,
    substrH: `SELECT eventname AS k0, substr(eventtime, 1, 13) || ':00:00Z' AS b, count(*) AS n FROM cloudtrail WHERE ${where} GROUP BY 1, 2 ORDER BY b, n DESC LIMIT 100`,
    substrSub: `SELECT k0, b || 'T00:00:00Z' AS b, n FROM (SELECT eventname AS k0, substr(eventtime, 1, 10) AS b, count(*) AS n FROM cloudtrail WHERE ${where} GROUP BY 1, 2) g ORDER BY b, n DESC LIMIT 100`,
    dayCol: `SELECT eventname AS k0, day AS b, count(*) AS n FROM cloudtrail WHERE ${where} GROUP BY 1, 2 ORDER BY b, n DESC LIMIT 100`,
    nameonly: `SELECT eventname AS k0, count(*) AS n FROM cloudtrail WHERE ${where} GROUP BY 1 ORDER BY n DESC LIMIT 100`,
  };
  for (const [n, text] of Object.entries(cases)) {
    const ms: number[] = [];
    for (let i = 0; i < 8; i++) { const t = performance.now(); await engine.query(trusted(text)); ms.push(performance.now() - t); }
    ms.sort((a, b) => a - b);
    console.log(n.padEnd(9), ms.map((x) => x.toFixed(0)).join(' '));
  }
  await engine.close();
})();
