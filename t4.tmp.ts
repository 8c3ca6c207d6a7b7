import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from './src/history/table';
import { COMPAT_MACROS } from './src/history/duckdb/compat';
async function main() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const m of COMPAT_MACROS) await c.run(m);
  await c.run(createTableSql());
  const t = async (name: string, q: string) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) { const t0 = performance.now(); await c.runAndReadAll(q); times.push(performance.now() - t0); }
    console.log(name.padEnd(30), times.map((x) => x.toFixed(1)).join(' '));
  };
  const n = 20;
  await t('concat ||', `SELECT ${Array.from({length: n}, (_, i) => `eventname || 'x${i}' AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('concat()', `SELECT ${Array.from({length: n}, (_, i) => `concat(eventname, 'x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('like', `SELECT ${Array.from({length: n}, (_, i) => `eventname LIKE 'arn:%:%x${i}' AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('split_part', `SELECT ${Array.from({length: n}, (_, i) => `split_part(eventname, ':', ${i}) AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('coalesce', `SELECT ${Array.from({length: n}, (_, i) => `coalesce(eventname, 'x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('in', `SELECT ${Array.from({length: n}, (_, i) => `eventname IN ('a', 'x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('json', `SELECT ${Array.from({length: n}, (_, i) => `json_extract_scalar(requestparameters, '$.x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
  await t('json_extract_string', `SELECT ${Array.from({length: n}, (_, i) => `json_extract_string(requestparameters, '$.x${i}') AS a${i}`).join(', ')} FROM cloudtrail`);
}
main();
