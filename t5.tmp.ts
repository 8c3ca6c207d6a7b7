import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from './src/history/table';
import { COMPAT_MACROS, toDuckDbSql } from './src/history/duckdb/compat';
import { PRINCIPAL_ARN, SESSION_REF } from './src/history/derive';
async function main() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const m of COMPAT_MACROS) await c.run(m);
  await c.run(createTableSql());
  await c.run(`SET enable_profiling = 'json'`);
  await c.run(`SET profiling_mode = 'detailed'`);
  await c.run(`SET profiling_output = '/tmp/prof.json'`);
  await c.runAndReadAll(toDuckDbSql(`SELECT ${SESSION_REF.text} FROM cloudtrail`));
  await c.run(`SET enable_profiling = 'no_output'`).catch(() => {});
}
main();
