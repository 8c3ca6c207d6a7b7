import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { COMPAT_MACROS, toDuckDbSql } from './src/history/duckdb/compat';
import { Sql } from './src/history/sql/sql';
export async function profile(path: string, s: Sql): Promise<void> {
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  for (const m of COMPAT_MACROS) await c.run(m);
  let i = 0; const lit = s.text.replace(/\?/g, () => { const v = s.params[i++]; return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v); });
  await c.runAndReadAll(toDuckDbSql(lit));
  await c.run(`SET enable_profiling = 'json'`); await c.run(`SET profiling_mode = 'detailed'`); await c.run(`SET profiling_output = '/tmp/p.json'`);
  await c.runAndReadAll(toDuckDbSql(lit));
  await c.run(`SET enable_profiling = 'no_output'`);
  const d = JSON.parse(readFileSync('/tmp/p.json', 'utf8'));
  console.log('latency', d.latency, 'planner', d.planner, 'optimizers', d.all_optimizers);
  const walk = (n: any, depth: number) => { console.log(' '.repeat(depth) + n.operator_type, (n.operator_timing ?? 0).toFixed(4), n.operator_cardinality, JSON.stringify(n.extra_info ?? {}).slice(0, 160)); for (const ch of n.children ?? []) walk(ch, depth + 1); };
  for (const ch of d.children) walk(ch, 0);
  c.closeSync(); db.closeSync();
}
