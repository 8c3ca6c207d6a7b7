import { DuckDBInstance } from '@duckdb/node-api';
(async () => { const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
for (const q of [`SELECT element_at(['a','b'], 2) AS v`, `CREATE MACRO element_at(l, i) AS list_extract(l, i)`, `SELECT element_at(['a','b'], 2) AS v`, `SELECT element_at(MAP {'k': 1}, 'k') AS m`]) { try { console.log((await c.runAndReadAll(q)).getRowObjectsJS()); } catch (e) { console.log('ERR', String(e).slice(0, 200)); } } })();
