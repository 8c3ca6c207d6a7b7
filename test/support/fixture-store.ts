import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailRecord } from '../../src/cloudtrail/record';
import { fillSideTables } from '../../src/history/duckdb/side-tables';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { toDuckDbSql } from '../../src/history/duckdb/compat';
import { COLUMNS, TABLE, insertSelectList } from '../../src/history/table';
import { expectedTableRow } from './table-row';

// One corpus reader (corpus-files.ts); re-exported here for the tests that import it from this file.
export { CORPUS_DIR, corpusRecords } from './corpus-files';

/**
 * A store holding exactly these records (first of each eventID), loaded
 * through DuckDB's JSON reader: a fixture loader for API tests that does not
 * depend on the ingest pipeline: each row is the independent expectedTableRow
 * of its record (table-row.ts), not the ingest's own mapping.
 */
export async function storeWith(records: readonly CloudTrailRecord[], path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of records) {
    if (seen.has(r.eventID)) continue;
    seen.add(r.eventID);
    lines.push(JSON.stringify(expectedTableRow(r)));
  }
  const dir = mkdtempSync(join(tmpdir(), 'tg-fixture-'));
  try {
    const file = join(dir, 'rows.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const columns = COLUMNS.map(([n, t]) => `'${n}': '${t.replace(/\s+/g, ' ')}'`).join(', ');
    const conn = await engine.connect();
    const insert = insertSelectList();
    await conn.run(`INSERT INTO ${TABLE} (${insert.target}) SELECT ${toDuckDbSql(insert.select)}
      FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}}) ORDER BY day, eventtime`);
    // As an ingest does after each batch: the side tables of the rows just stored.
    await fillSideTables(conn);
    conn.closeSync();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return engine;
}
