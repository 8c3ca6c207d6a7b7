import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from './src/history/table';
import { COMPAT_MACROS, toDuckDbSql } from './src/history/duckdb/compat';
import { PRINCIPAL_ARN } from './src/history/derive';
async function main() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const m of COMPAT_MACROS) await c.run(m);
  await c.run(createTableSql());
  const t = async (name: string, q: string) => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) { const t0 = performance.now(); await c.runAndReadAll(toDuckDbSql(q)); times.push(performance.now() - t0); }
    times.sort((a,b)=>a-b);
    console.log(name.padEnd(50).slice(0,50), times[3].toFixed(2));
  };
  const parts = PRINCIPAL_ARN.text.replace(/^\(CASE\s*/, '').replace(/\s*END\)$/, '').split(/\n\s*WHEN /).map(s => s.replace(/^WHEN /, ''));
  for (const p of parts) {
    const [cond, val] = p.split(' THEN ');
    if (!val) { await t('else ' + p, `SELECT ${p.replace(/^ELSE /, '')} FROM cloudtrail`); continue; }
    await t('cond ' + cond, `SELECT ${cond} FROM cloudtrail`);
    await t('val ' + val, `SELECT ${p.slice(p.indexOf(' THEN ') + 6)} FROM cloudtrail`);
  }
  await t('ui.type = x', `SELECT useridentity.type = 'x' FROM cloudtrail`);
  await t('ui.type IN', `SELECT useridentity.type IN ('a','b') FROM cloudtrail`);
  await t('nullif ui.arn', `SELECT NULLIF(useridentity.arn, '') FROM cloudtrail`);
  await t('ui.sc.si.arn', `SELECT useridentity.sessioncontext.sessionissuer.arn FROM cloudtrail`);
}
main();
