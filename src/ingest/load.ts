import { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { COLUMNS, TABLE } from '../history/table';
import { FILE_COLUMN, KEY_COLUMNS, MAX_LINE_BYTES, POSITION_COLUMN, STAGING_COLUMNS } from './rows';

/**
 * Bulk load of one batch with DuckDB's JSON reader. The readers wrote, per
 * thread, a rows file and a keys file (eventID, file, position). From the
 * keys alone DuckDB finds the rows whose eventID is already stored or
 * repeats an earlier row of the batch; only those few are read with their
 * record to tell a duplicate (same record) from a conflict (another record).
 * The other rows go straight from the files into the table, in file order:
 * files come in day order, so row groups stay clustered by day for pruning.
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

export interface BatchFiles {
  rows: string[];
  keys: string[];
}

const KEYS = 'ingest_key';
const CANDIDATES = 'ingest_candidate';
const CLASHES = 'ingest_clash';
const CANDIDATE_KEYS = 'ingest_candidate_key';
const TARGET_COLUMNS = COLUMNS.map(([n]) => n).join(', ');

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const ROW_TYPES = `{${STAGING_COLUMNS.map(([n, t]) => `${n}: ${quote(t.replace(/\s+/g, ' '))}`).join(', ')}}`;
const CANDIDATE_TYPES = `{eventid: 'VARCHAR', raw: 'JSON', ${FILE_COLUMN}: 'INTEGER', ${POSITION_COLUMN}: 'BIGINT'}`;

function readJson(files: readonly string[], columnTypes: string): string {
  return `read_json([${files.map(quote).join(', ')}], format = 'newline_delimited', columns = ${columnTypes}, maximum_object_size = ${MAX_LINE_BYTES})`;
}

/** Keys of the batch whose eventID is stored, or occurs more than once in the batch. The join builds on the (smaller) batch side. */
const CANDIDATE_KEYS_SQL = `
  SELECT k.${FILE_COLUMN} AS f, k.${POSITION_COLUMN} AS p FROM ${KEYS} k
    WHERE k.eventid IN (SELECT DISTINCT s.eventid FROM ${TABLE} s JOIN ${KEYS} b ON b.eventid = s.eventid)
       OR k.eventid IN (SELECT eventid FROM ${KEYS} GROUP BY eventid HAVING count(*) > 1)`;

const CLASH_SQL = `CREATE OR REPLACE TEMP TABLE ${CLASHES} AS
  SELECT b.f, b.p, b.eventid, bool_or(b.raw = s.raw) AS same, true AS stored
    FROM ${CANDIDATES} b JOIN ${TABLE} s ON s.eventid = b.eventid GROUP BY ALL
  UNION ALL
  SELECT f, p, eventid, same, false FROM (
    SELECT f, p, eventid, raw = first_value(raw) OVER w AS same, row_number() OVER w AS n
      FROM ${CANDIDATES} WINDOW w AS (PARTITION BY eventid ORDER BY f, p)
  ) WHERE n > 1`;

/**
 * While loading a file-backed store: DuckDB's buffer memory (beyond it, it
 * writes to the store file and spills to disk), and one thread: the readers
 * have the other cores, and more threads mostly spin waiting for work.
 */
const LOAD_MEMORY_MB = 160;
const LOAD_SETTINGS: Record<string, string> = { memory_limit: `${LOAD_MEMORY_MB}MB`, threads: '1' };
/** When a load needs more (very large records), the limit doubles up to this. */
const MAX_LOAD_MEMORY_MB = 8192;

export class BulkLoader {
  private memoryMb = LOAD_MEMORY_MB;

  private constructor(
    private readonly engine: DuckDbEngine,
    private readonly conn: DuckDBConnection,
    private readonly restore: Record<string, string>,
  ) {}

  /**
   * Runs one statement of the load. If DuckDB runs out of the load's memory
   * (rows far larger than CloudTrail's usual), the limit doubles and the
   * statement runs again: each statement is atomic, so a failed one left nothing.
   */
  private async run(statement: string): Promise<DuckDBMaterializedResult> {
    for (;;) {
      try {
        return await this.conn.run(statement);
      } catch (err) {
        const outOfMemory = err instanceof Error && /out of memory|failed to (pin|allocate)|could not allocate/i.test(err.message);
        if (!outOfMemory || !('memory_limit' in this.restore) || this.memoryMb >= MAX_LOAD_MEMORY_MB) throw err;
        this.memoryMb *= 2;
        await this.conn.run(`SET memory_limit = '${this.memoryMb}MB'`);
      }
    }
  }

  /**
   * A loader on its own connection. A file-backed store gets the load
   * settings (restored by finish), so ingest stays within bounded memory
   * however much it loads; an in-memory store cannot spill, so it keeps its own.
   */
  static async open(engine: DuckDbEngine): Promise<BulkLoader> {
    const conn = await engine.connect();
    const names = Object.keys(LOAD_SETTINGS);
    const [[path, ...current]] = (await conn.runAndReadAll(
      `SELECT path, ${names.map((n) => `current_setting(${quote(n)})`).join(', ')} FROM duckdb_databases() WHERE database_name = current_database()`,
    )).getRows();
    if (typeof path !== 'string' || path === '') return new BulkLoader(engine, conn, {});
    const restore: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      restore[name] = String(current[i]);
      await conn.run(`SET ${name} = ${quote(LOAD_SETTINGS[name])}`);
    }
    return new BulkLoader(engine, conn, restore);
  }

  /** Reads the candidate rows with their records and settles each: kept out as duplicate or conflict, or (the first of a batch) kept. */
  private async clashes(rows: readonly string[]): Promise<Clash[]> {
    await this.run(`CREATE OR REPLACE TEMP TABLE ${CANDIDATES} AS
      SELECT r.${FILE_COLUMN} AS f, r.${POSITION_COLUMN} AS p, r.eventid, CAST(r.raw AS VARCHAR) AS raw
      FROM ${readJson(rows, CANDIDATE_TYPES)} r SEMI JOIN ${CANDIDATE_KEYS} c ON c.f = r.${FILE_COLUMN} AND c.p = r.${POSITION_COLUMN}`);
    await this.run(CLASH_SQL);
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

  /** Loads a batch (our own temporary files); returns rows stored and the rows kept out. */
  async load(files: BatchFiles): Promise<{ stored: number; clashes: Clash[] }> {
    if (files.rows.length === 0) return { stored: 0, clashes: [] };
    const c = this.conn;
    try {
      await this.run(`CREATE OR REPLACE TEMP TABLE ${KEYS} AS SELECT * FROM ${readJson(files.keys, KEY_COLUMNS)}`);
      await this.run(`CREATE OR REPLACE TEMP TABLE ${CANDIDATE_KEYS} AS ${CANDIDATE_KEYS_SQL}`);
      const [[candidates]] = (await c.runAndReadAll(`SELECT count(*) FROM ${CANDIDATE_KEYS}`)).getRows();
      const clashes = Number(candidates) > 0 ? await this.clashes(files.rows) : [];
      const keepOut = clashes.length > 0
        ? `WHERE NOT EXISTS (SELECT 1 FROM ${CLASHES} x WHERE x.f = b.${FILE_COLUMN} AND x.p = b.${POSITION_COLUMN})`
        : '';
      const result = await this.run(`INSERT INTO ${TABLE} (${TARGET_COLUMNS}) SELECT ${TARGET_COLUMNS} FROM ${readJson(files.rows, ROW_TYPES)} b ${keepOut}`);
      return { stored: result.rowsChanged, clashes };
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${KEYS}; DROP TABLE IF EXISTS ${CANDIDATE_KEYS}; DROP TABLE IF EXISTS ${CANDIDATES}; DROP TABLE IF EXISTS ${CLASHES}`);
    }
  }

  /**
   * Closes the loader's connection, checkpoints, and restores the settings.
   * The checkpoint runs on a fresh connection after the loader's is closed:
   * only then does it find all the work of the load (a checkpoint on the
   * loader's own connection finds none), and it still runs under the load's
   * memory limit.
   */
  async finish(checkpoint: boolean): Promise<void> {
    this.conn.closeSync();
    const conn = await this.engine.connect();
    try {
      if (checkpoint) await conn.run('CHECKPOINT');
    } finally {
      try {
        for (const [name, value] of Object.entries(this.restore)) await conn.run(`SET ${name} = ${quote(value)}`);
      } finally {
        conn.closeSync();
      }
    }
  }
}
