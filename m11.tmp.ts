import { readFileSync } from 'node:fs';
import { profile } from './prof.tmp';
import { Sql } from './src/history/sql/sql';
(async () => {
  const stmts = JSON.parse(readFileSync('/tmp/graph-work/depth4.json', 'utf8')) as Array<{ text: string; params: (string | number)[] }>;
  const i = Number(process.argv[2]);
  await profile('/tmp/graph-work/sorted-1m.duckdb', new Sql(stmts[i].text, stmts[i].params));
})();
