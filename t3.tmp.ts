import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from './src/history/table';
import { COMPAT_MACROS, toDuckDbSql } from './src/history/duckdb/compat';
import { PRINCIPAL_ARN, SESSION_REF, RESOURCE_ENTRIES } from './src/history/derive';
async function main() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const m of COMPAT_MACROS) await c.run(m);
  await c.run(createTableSql());
  const t = async (name: string, q: string) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) { const t0 = performance.now(); await c.runAndReadAll(toDuckDbSql(q)); times.push(performance.now() - t0); }
    console.log(name.padEnd(30), times.map((x) => x.toFixed(1)).join(' '));
  };
  await t('pk', `SELECT ${PRINCIPAL_ARN.text} FROM cloudtrail`);
  await t('sref', `SELECT ${SESSION_REF.text} FROM cloudtrail`);
  await t('entries', `SELECT ${RESOURCE_ENTRIES.text} FROM cloudtrail`);
  await t('explain sref', `EXPLAIN SELECT ${SESSION_REF.text} FROM cloudtrail`);
  await t('struct access x20', `SELECT ${Array.from({length: 20}, (_, i) => `useridentity.sessioncontext.sessionissuer.arn AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('nullif x20', `SELECT ${Array.from({length: 20}, (_, i) => `NULLIF(eventname, 'x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('case 8', `SELECT CASE ${Array.from({length: 8}, (_, i) => `WHEN eventname = 'x${i}' THEN eventsource || 'a' || eventname`).join(' ')} END FROM cloudtrail`);
  await c.run(`SET disabled_optimizers = 'common_subexpressions'`).catch(e => console.log(String(e)));
  await t('sref no cse', `SELECT ${SESSION_REF.text} FROM cloudtrail`);
  await c.run(`SET disabled_optimizers = ''`);
  const prof = await c.runAndReadAll(`EXPLAIN ANALYZE SELECT ${toDuckDbSql(SESSION_REF.text)} FROM cloudtrail`);
  console.log(String(prof.getRowObjectsJS()[0]['explain_value']).slice(0, 3000));
}
main();
