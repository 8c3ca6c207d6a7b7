import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailRecord, checkRecord } from '../../src/cloudtrail/record';
import { fillSideTables } from '../../src/history/duckdb/side-tables';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { toDuckDbSql } from '../../src/history/duckdb/compat';
import { COLUMNS, TABLE, insertSelectList, recordToRow } from '../../src/history/table';

export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Every record of the corpus, read here independently of src/ingest. */
export function corpusRecords(): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (const name of readdirSync(CORPUS_DIR).sort()) {
    const path = join(CORPUS_DIR, name);
    let values: unknown[] = [];
    if (name.endsWith('.jsonl')) {
      values = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    } else if (name.endsWith('.json') || name.endsWith('.json.gz')) {
      const buf = readFileSync(path);
      const text = name.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
      values = (JSON.parse(text) as { Records: unknown[] }).Records;
    }
    for (const v of values) {
      const c = checkRecord(v);
      if ('record' in c) out.push(c.record);
    }
  }
  return out;
}

/**
 * A store holding exactly these records (first of each eventID), loaded
 * through DuckDB's JSON reader: a fixture loader for API tests that does not
 * depend on the ingest pipeline.
 */
export async function storeWith(records: readonly CloudTrailRecord[], path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of records) {
    if (seen.has(r.eventID)) continue;
    seen.add(r.eventID);
    lines.push(JSON.stringify(recordToRow(r)));
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
