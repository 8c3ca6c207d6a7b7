import { DuckDbEngine } from './src/history/duckdb/engine';
import { Sql, trusted } from './src/history/sql/sql';
export async function cpuTime(eng: DuckDbEngine, s: Sql, n = 5): Promise<string> {
  await eng.query(s);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await eng.query(s);
  const c = process.cpuUsage(c0); const wall = (performance.now() - t0) / n;
  return `cpu ${((c.user + c.system) / 1000 / n).toFixed(1)}ms wall ${wall.toFixed(1)}ms`;
}
if (require.main === module) (async () => {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const w = `day >= '2025/05/02' AND day <= '2025/06/01' AND eventtime >= '2025-05-02T00:00:00Z' AND eventtime < '2025-06-01T00:00:00Z'`;
  const qs: [string, string][] = [
    ['count window', `SELECT count(*) FROM cloudtrail WHERE ${w}`],
    ['arn = X', `SELECT count(*) FROM cloudtrail WHERE ${w} AND useridentity.arn = 'arn:aws:iam::418273645091:user/alice'`],
    ['arn IN + issuer + invokedby + username', `SELECT count(*) FROM cloudtrail WHERE ${w} AND (useridentity.arn IN ('arn:aws:iam::418273645091:user/alice') OR useridentity.sessioncontext.sessionissuer.arn IN ('arn:aws:iam::418273645091:user/alice') OR useridentity.invokedby IN ('arn:aws:iam::418273645091:user/alice') OR useridentity.username IN ('alice'))`],
    ['eventname group all', `SELECT eventname, count(*) FROM cloudtrail WHERE ${w} GROUP BY 1`],
    ['strpos rp', `SELECT count(*) FROM cloudtrail WHERE ${w} AND strpos(requestparameters, 'orders-data-prod') > 0`],
    ['lambda overlap', `SELECT count(*) FROM cloudtrail WHERE ${w} AND list_has_any(list_transform(resources, r -> r.arn), ['arn:aws:s3:::orders-data-prod'])`],
    ['day only 1d', `SELECT count(*) FROM cloudtrail WHERE day = '2025/05/30'`],
  ];
  for (const [n, q] of qs) console.log(n.padEnd(45), await cpuTime(eng, trusted(q)));
})();
