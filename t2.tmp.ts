import { DuckDbEngine } from './src/history/duckdb/engine';
import { corpusRecords, storeWith } from './test/support/fixture-store';
import { sql, trusted } from './src/history/sql/sql';
import { PRINCIPAL_KEY, SESSION_REF, RESOURCE_ENTRIES } from './src/history/derive';
async function main() {
  const empty = await DuckDbEngine.open(':memory:');
  const full = await storeWith(corpusRecords());
  const cases: [string, ReturnType<typeof sql>][] = [
    ['pk', sql`SELECT ${PRINCIPAL_KEY} AS pk, count(*) FROM cloudtrail GROUP BY 1`],
    ['sref', sql`SELECT ${SESSION_REF} AS s, count(*) FROM cloudtrail GROUP BY 1`],
    ['entries', sql`SELECT ${RESOURCE_ENTRIES} AS e FROM cloudtrail`],
    ['trivial', sql`SELECT count(*) FROM cloudtrail WHERE day >= ${'2000'}`],
  ];
  for (const [name, s] of cases) {
    for (const [label, eng] of [['empty', empty], ['full', full]] as const) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) { const t = performance.now(); await eng.query(s); times.push(performance.now() - t); }
      console.log(name, label, times.map((t) => t.toFixed(1)).join(' '));
    }
  }
}
main();
