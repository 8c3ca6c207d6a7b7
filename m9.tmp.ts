import { DuckDbEngine } from './src/history/duckdb/engine';
import { trusted } from './src/history/sql/sql';
import { cpuTime } from './cpu.tmp';
(async () => {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const w = `day >= '2025/05/02' AND day <= '2025/05/31' AND eventtime >= '2025-05-02T00:00:00Z' AND eventtime < '2025-06-01T00:00:00Z'`;
  const wd = `day >= '2025/05/02' AND day <= '2025/05/31'`;
  const qs: [string, string][] = [
    ['window count', `SELECT count(*) FROM cloudtrail WHERE ${w}`],
    ['day only count', `SELECT count(*) FROM cloudtrail WHERE ${wd}`],
    ['arn = X', `SELECT count(*) FROM cloudtrail WHERE ${w} AND useridentity.arn = 'arn:aws:iam::418273645091:user/alice'`],
    ['username = alice', `SELECT count(*) FROM cloudtrail WHERE ${w} AND useridentity.username = 'alice'`],
    ['type = IAMUser', `SELECT count(*) FROM cloudtrail WHERE ${w} AND useridentity.type = 'IAMUser'`],
    ['issuer arn = X', `SELECT count(*) FROM cloudtrail WHERE ${w} AND useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::602519374862:role/Admin'`],
    ['eventsource = s3', `SELECT count(*) FROM cloudtrail WHERE ${w} AND eventsource = 's3.amazonaws.com'`],
    ['storage info', `SELECT column_name, segment_type, compression, count(*) n FROM pragma_storage_info('cloudtrail') WHERE column_name IN ('arn','username','type','eventtime','day','eventsource','requestparameters') GROUP BY ALL ORDER BY 1, 4 DESC`],
  ];
  for (const [n, q] of qs.slice(0, -1)) console.log(n.padEnd(30), await cpuTime(eng, trusted(q), 3));
  const r = await eng.query(trusted(qs[qs.length - 1][1]));
  console.log(r.rows);
})();
