import { DuckDBConnection, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { COLUMNS, TABLE } from '../history/table';
import { FILE_COLUMN, MAX_LINE_BYTES, POSITION_COLUMN, STAGING_COLUMNS } from './rows';

/**
 * Bulk load of one batch of rows files with DuckDB's JSON reader. Rows whose
 * eventID is already stored, or repeats an earlier row of the batch, are
 * kept out: a duplicate when the record is the same, a conflict when it is
 * not. Only those few candidate rows are staged to compare their records;
 * the rest go straight from the files into the table, in file order (files
 * come in day order, so row groups stay clustered by day for pruning).
 */
export interface Clash {
  file: number;
  position: number;
  eventId: string;
  /** Same record (a duplicate) or a different record reusing the eventID (a conflict). */
  same: boolean;
  /** Clashes with a stored row rather than an earlier row of the same batch. */
  stored: boolean;
}

/** The eventIDs of a batch, and those that occur more than once in it. */
export interface BatchIds {
  ids: string[];
  repeated: Set<string>;
}

const CANDIDATES = 'ingest_candidate';
const CLASHES = 'ingest_clash';
const TARGET_COLUMNS = COLUMNS.map(([n]) => n).join(', ');

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const COLUMN_TYPES = `{${STAGING_COLUMNS.map(([n, t]) => `${n}: ${quote(t.replace(/\s+/g, ' '))}`).join(', ')}}`;
const KEY_TYPES = `{eventid: 'VARCHAR', raw: 'JSON', ${FILE_COLUMN}: 'INTEGER', ${POSITION_COLUMN}: 'BIGINT'}`;

function readRows(files: readonly string[], columnTypes: string): string {
  return `read_json([${files.map(quote).join(', ')}], format = 'newline_delimited', columns = ${columnTypes}, maximum_object_size = ${MAX_LINE_BYTES})`;
}

const CLASH_SQL = `CREATE OR REPLACE TEMP TABLE ${CLASHES} AS
  SELECT b.f, b.p, b.eventid, bool_or(b.raw = s.raw) AS same, true AS stored
    FROM ${CANDIDATES} b JOIN ${TABLE} s ON s.eventid = b.eventid GROUP BY ALL
  UNION ALL
  SELECT f, p, eventid, same, false FROM (
    SELECT f, p, eventid, raw = first_value(raw) OVER w AS same, row_number() OVER w AS n
      FROM ${CANDIDATES} WINDOW w AS (PARTITION BY eventid ORDER BY f, p)
  ) WHERE n > 1`;

/** DuckDB's buffer memory during a bulk load into a file-backed store (it spills and writes to the file beyond it). */
const LOAD_MEMORY_LIMIT = '512MB';

export class BulkLoader {
  private constructor(private readonly conn: DuckDBConnection, private readonly restoreMemoryLimit: string | undefined) {}

  /**
   * A loader on its own connection. A file-backed store gets a memory limit
   * for the load (restored by close), so ingest stays within bounded memory
   * however much it loads; an in-memory store cannot spill, so it keeps its own.
   */
  static async open(engine: DuckDbEngine): Promise<BulkLoader> {
    const conn = await engine.connect();
    const [[path, limit]] = (await conn.runAndReadAll(
      `SELECT path, current_setting('memory_limit') FROM duckdb_databases() WHERE database_name = current_database()`,
    )).getRows();
    if (typeof path !== 'string' || path === '') return new BulkLoader(conn, undefined);
    await conn.run(`SET memory_limit = '${LOAD_MEMORY_LIMIT}'`);
    if (process.env.TG_THREADS) await conn.run(`SET threads = ${process.env.TG_THREADS}`);
    return new BulkLoader(conn, String(limit));
  }

  /** The batch's eventIDs that are stored already. */
  private async storedAmong(ids: readonly string[]): Promise<Set<string>> {
    const reader = await this.conn.runAndReadAll(
      `SELECT DISTINCT eventid FROM ${TABLE} WHERE eventid IN (SELECT unnest($1))`,
      [listValue(ids)],
      [LIST(VARCHAR)],
    );
    return new Set(reader.getRows().map((r) => String(r[0])));
  }

  /** Stages the candidate rows and settles each: kept out as duplicate or conflict, or (the first of a batch) kept. */
  private async clashes(files: readonly string[], candidateIds: readonly string[]): Promise<Clash[]> {
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${CANDIDATES} AS
        SELECT ${FILE_COLUMN} AS f, ${POSITION_COLUMN} AS p, eventid, CAST(raw AS VARCHAR) AS raw
        FROM ${readRows(files, KEY_TYPES)} WHERE eventid IN (SELECT unnest($1))`,
      [listValue(candidateIds)],
      [LIST(VARCHAR)],
    );
    await this.conn.run(CLASH_SQL);
    const reader = await this.conn.runAndReadAll(`SELECT f, p, eventid, same, stored FROM ${CLASHES} ORDER BY f, p, stored DESC`);
    const out: Clash[] = [];
    let last = '';
    for (const [f, p, eventId, same, stored] of reader.getRows()) {
      const key = `${String(f)}:${String(p)}`;
      if (key === last) continue; // a row repeating both a stored row and an earlier one: the stored one counts
      last = key;
      out.push({ file: Number(f), position: Number(p), eventId: String(eventId), same: same === true, stored: stored === true });
    }
    return out;
  }

  /** Loads the rows files (our own temporary files); returns rows stored and the rows kept out. */
  async load(files: readonly string[], batch: BatchIds): Promise<{ stored: number; clashes: Clash[] }> {
    if (files.length === 0) return { stored: 0, clashes: [] };
    const ta = performance.now();
    const stored = await this.storedAmong(batch.ids);
    console.error(`TRACE storedAmong ${Math.round(performance.now() - ta)}ms`);
    const candidates = [...new Set([...stored, ...batch.repeated])];
    const clashes = candidates.length > 0 ? await this.clashes(files, candidates) : [];
    const keepOut = clashes.length > 0
      ? `WHERE NOT EXISTS (SELECT 1 FROM ${CLASHES} x WHERE x.f = b.${FILE_COLUMN} AND x.p = b.${POSITION_COLUMN})`
      : '';
    try {
      const result = await this.conn.run(`INSERT INTO ${TABLE} (${TARGET_COLUMNS}) SELECT ${TARGET_COLUMNS} FROM ${readRows(files, COLUMN_TYPES)} b ${keepOut}`);
      return { stored: result.rowsChanged, clashes };
    } finally {
      if (candidates.length > 0) await this.conn.run(`DROP TABLE IF EXISTS ${CANDIDATES}; DROP TABLE IF EXISTS ${CLASHES}`);
    }
  }

  async checkpoint(): Promise<void> {
    await this.conn.run('CHECKPOINT');
  }

  async close(): Promise<void> {
    try {
      if (this.restoreMemoryLimit !== undefined) await this.conn.run(`SET memory_limit = ${quote(this.restoreMemoryLimit)}`);
    } finally {
      this.conn.closeSync();
    }
  }
}
