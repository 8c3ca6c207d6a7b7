import { DuckDbEngine } from './src/history/duckdb/engine';
import { sql, trusted } from './src/history/sql/sql';
import { UNRESTRICTED } from './src/history/event-filter';
import { sessionPageSql } from './src/history/graph/sessions';
import { toDuckDbSql } from './src/history/duckdb/compat';
async function main() {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const t = async (name: string, s: ReturnType<typeof sql>) => {
    const ts: number[] = [];
    for (let i = 0; i < 5; i++) { const t0 = performance.now(); await eng.query(s); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    console.log(name.padEnd(40), ts[2].toFixed(1));
  };
  await t('count day (params)', sql`SELECT count(*) FROM cloudtrail WHERE day >= ${'2025/05/30'} AND day <= ${'2025/05/30'}`);
  await t('count day (literal)', trusted(`SELECT count(*) FROM cloudtrail WHERE day >= '2025/05/30' AND day <= '2025/05/30'`));
  await t('count all', trusted(`SELECT count(*) FROM cloudtrail`));
  await t('group arn day (params)', sql`SELECT useridentity.arn, count(*) FROM cloudtrail WHERE day >= ${'2025/05/30'} AND day <= ${'2025/05/30'} GROUP BY 1`);
  await t('group arn day (literal)', trusted(`SELECT useridentity.arn, count(*) FROM cloudtrail WHERE day >= '2025/05/30' AND day <= '2025/05/30' GROUP BY 1`));
  await t('group arn all', trusted(`SELECT useridentity.arn, count(*) FROM cloudtrail GROUP BY 1`));
  const W = { from: new Date('2025-05-30T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') };
  const s = sessionPageSql({ accountIds: ['602519374862'] }, W, UNRESTRICTED, { size: 50, after: null });
  await t('session page (params)', s);
  // inline params
  let i = 0; const lit = s.text.replace(/\?/g, () => { const v = s.params[i++]; return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v); });
  await t('session page (literal)', trusted(lit));
  const c = await eng.connect();
  const prof = await c.runAndReadAll('EXPLAIN ANALYZE ' + toDuckDbSql(lit));
  console.log(String(prof.getRowObjectsJS()[0]['explain_value']).split('\n').filter(l => /│/.test(l)).join('\n').slice(0, 9000));
  await c.run('SELECT 1'); c.closeSync();
}
main();
