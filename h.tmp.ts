import { DuckDBInstance } from '@duckdb/node-api';
(async () => { const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
const r = await c.runAndReadAll(`SELECT CAST(CAST(histogram(x) AS JSON) AS VARCHAR) AS h FROM (VALUES ('a'), ('b'), ('a'), (NULL)) t(x)`); console.log(r.getRowObjectsJS());
const r2 = await c.runAndReadAll(`SELECT CAST(CAST(histogram(x) AS JSON) AS VARCHAR) AS h FROM (VALUES (NULL::VARCHAR)) t(x)`); console.log(r2.getRowObjectsJS()); })();
