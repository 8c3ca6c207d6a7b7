import { DuckDBInstance } from '@duckdb/node-api';
(async () => { const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
for (const q of [
 `SELECT t.id, u.x, u.y FROM (SELECT 1 AS id, ['a','b'] AS l, ['A','B'] AS m) t CROSS JOIN UNNEST(t.l, t.m) AS u(x, y)`,
 `SELECT t.id, u.x, u.i FROM (SELECT 1 AS id, ['a','b'] AS l) t CROSS JOIN UNNEST(t.l) WITH ORDINALITY AS u(x, i)`,
 `SELECT ['a','b'][2] AS v, array_position(['a','b'], 'b') AS p, list_position(['a','b'], 'c') AS q`,
]) { try { console.log((await c.runAndReadAll(q)).getRowObjectsJS()); } catch (e) { console.log('ERR', String(e).slice(0, 200)); } } })();
