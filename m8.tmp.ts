import { DuckDbEngine } from './src/history/duckdb/engine';
import { trusted, sql } from './src/history/sql/sql';
import { principalKeyAmong, principalCandidates, PRINCIPAL_KEY } from './src/history/derive';
import { cpuTime } from './cpu.tmp';
(async () => {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const w = `day >= '2025/05/02' AND day <= '2025/05/31' AND eventtime >= '2025-05-02T00:00:00Z' AND eventtime < '2025-06-01T00:00:00Z'`;
  const X = 'arn:aws:iam::418273645091:user/alice';
  const cand = principalCandidates([X]);
  const qs: [string, ReturnType<typeof sql>][] = [
    ['window count', trusted(`SELECT count(*) FROM cloudtrail WHERE ${w}`)],
    ['cand count', sql`SELECT count(*) FROM cloudtrail WHERE ${trusted(w)} AND (${cand})`],
    ['among count', sql`SELECT count(*) FROM cloudtrail WHERE ${trusted(w)} AND ${principalKeyAmong([X])} IN (${X})`],
    ['among group', sql`SELECT pk, count(*) FROM (SELECT ${principalKeyAmong([X])} AS pk FROM cloudtrail WHERE ${trusted(w)}) e WHERE pk IN (${X}) GROUP BY pk`],
    ['among group + ips keys', sql`SELECT pk, count(*), array_agg(DISTINCT ip), array_agg(DISTINCT ak), histogram(en) FROM (SELECT ${principalKeyAmong([X])} AS pk, sourceipaddress ip, useridentity.accesskeyid ak, eventname en FROM cloudtrail WHERE ${trusted(w)}) e WHERE pk IN (${X}) GROUP BY pk`],
    ['cand only group', sql`SELECT count(*), array_agg(DISTINCT sourceipaddress), histogram(eventname) FROM cloudtrail WHERE ${trusted(w)} AND (${cand})`],
  ];
  for (const [n, q] of qs) console.log(n.padEnd(30), await cpuTime(eng, q, 3));
})();
