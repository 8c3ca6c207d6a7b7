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
  for (const depth of [2, 4, 8, 12]) {
    await t('|| depth ' + depth, `SELECT ${Array.from({length: depth}, (_, i) => `eventname`).join(" || ':' || ")} FROM cloudtrail`);
    await t('concat depth ' + depth, `SELECT concat(${Array.from({length: depth}, (_, i) => `eventname`).join(", ':', ")}) FROM cloudtrail`);
    await t('nested case ' + depth, `SELECT ${'CASE WHEN eventname = \'a\' THEN '.repeat(depth)}'x'${' END'.repeat(depth)} FROM cloudtrail`);
  }
}
main();
