import { DuckDBConnection, DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { toDuckDbSql } from '../history/duckdb/compat';
import { TABLE, insertSelectList } from '../history/table';
import { FILE_COLUMN, KEY_COLUMNS, MAX_LINE_BYTES, POSITION_COLUMN, STAGING_COLUMNS } from './rows';
import { FastFile, StageResult, StatementRunner, stageFiles } from './fast-path';
import { FAST_STAGE } from './fast-sql';
import { fillSideTables } from '../history/duckdb/side-tables';
import { IngestedLogFile, recordBatchLogFiles } from '../integrity/ingest-record';
import { StepListener, timed } from './steps';
import { CANDIDATE_KEYS, CANDIDATE_KEYS_SQL, CANDIDATES, Clash, CLASH_SQL, CLASHES, KEYS, sameRecord } from './clash';

export type { Clash } from './clash';

/**
 * Bulk load of one batch with DuckDB's JSON reader. The Node readers wrote, per
 * thread, a rows file and a keys file (eventID, file, position); the fast
 * path staged its rows, with file and position, in a table. From the
 * keys alone DuckDB finds the rows whose eventID is already stored or
 * repeats an earlier row of the batch; only those few are read with their
 * record to tell a duplicate (same record) from a conflict (another record).
 * The other rows go straight from the files (or the staging table) into
 * the table, in about file order: files come in day order, so row groups
 * stay clustered by day for pruning.
 */
export interface BatchFiles {
  rows: string[];
  keys: string[];
}

/** The table's columns, and what a load selects for them: the record's columns, then the derived ones by their rules. */
const INSERT = insertSelectList();
const TARGET_COLUMNS = INSERT.target;
const SOURCE_COLUMNS = toDuckDbSql(INSERT.select);

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const ROW_TYPES = `{${STAGING_COLUMNS.map(([n, t]) => `${n}: ${quote(t.replace(/\s+/g, ' '))}`).join(', ')}}`;
const CANDIDATE_TYPES = `{eventid: 'VARCHAR', raw: 'JSON', ${FILE_COLUMN}: 'INTEGER', ${POSITION_COLUMN}: 'BIGINT'}`;

function readJson(files: readonly string[], columnTypes: string): string {
  return `read_json([${files.map(quote).join(', ')}], format = 'newline_delimited', columns = ${columnTypes}, maximum_object_size = ${MAX_LINE_BYTES})`;
}

/**
 * While loading a file-backed store: DuckDB's buffer memory (beyond it, it
 * writes to the store file and spills to disk), and one thread: the readers
 * have the other cores, and more threads mostly spin waiting for work.
 */
const LOAD_MEMORY_MB = 160;
const LOAD_SETTINGS: Record<string, string> = { memory_limit: `${LOAD_MEMORY_MB}MB`, threads: '1', preserve_insertion_order: 'true' };
/**
 * While DuckDB reads log files itself (the fast path), it has every core and
 * more memory: a staged batch is held in memory until it is inserted. Order
 * need not be kept: staged rows carry their file and position, and a batch
 * spans a day or two of files, so row groups stay clustered by day anyway.
 * A staged batch (about 110,000 demo records) takes 250-300 MB in DuckDB's
 * buffers. At 448 MB, staging and the insert after it spilled 300-400 MB per
 * batch to the temporary folder and read it back: the insert took about
 * twice the CPU of one with the batch in memory. Measured on 300,000 demo
 * records (whole ingest, CPU seconds / peak RSS): 448 MB 29-31 s / 700 MiB,
 * 512 MB 27 s / 900 MiB, 560 MB 23-24 s / 920 MiB, 640 MB 24 s / 1,080 MiB
 * (over the 1 GiB bound). The bench's ingest area prints both.
 */
const FAST_MEMORY_MB = 560;
/** When a load needs more (very large records), the limit doubles up to this. */
const MAX_LOAD_MEMORY_MB = 8192;

export class BulkLoader implements StatementRunner {
  private memoryMb = LOAD_MEMORY_MB;
  private fastSettings = false;

  private constructor(
    private readonly engine: DuckDbEngine,
    private readonly conn: DuckDBConnection,
    private readonly restore: Record<string, string>,
    private readonly onStep?: StepListener,
  ) {}

  /**
   * Runs one statement of the load. If DuckDB runs out of the load's memory
   * (rows far larger than CloudTrail's usual), the limit doubles and the
   * statement runs again: each statement is atomic, so a failed one left nothing.
   */
  async run(statement: string, params?: DuckDBValue[]): Promise<DuckDBMaterializedResult> {
    return this.retrying(() => this.conn.run(statement, params));
  }

  /** `work` (statements that are each atomic, safe to run again) with the memory retries of run. */
  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
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
  static async open(engine: DuckDbEngine, shareStore = false, onStep?: StepListener): Promise<BulkLoader> {
    const conn = await engine.connect();
    // Settings are the database's: a store that serves queries meanwhile keeps its own.
    if (shareStore) return new BulkLoader(engine, conn, {}, onStep);
    const names = Object.keys(LOAD_SETTINGS);
    const [[path, ...current]] = (await conn.runAndReadAll(
      `SELECT path, ${names.map((n) => `current_setting(${quote(n)})`).join(', ')} FROM duckdb_databases() WHERE database_name = current_database()`,
    )).getRows();
    if (typeof path !== 'string' || path === '') return new BulkLoader(engine, conn, {}, onStep);
    const restore: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      restore[name] = String(current[i]);
      await conn.run(`SET ${name} = ${quote(LOAD_SETTINGS[name])}`);
    }
    return new BulkLoader(engine, conn, restore, onStep);
  }

  async rows(statement: string): Promise<DuckDBValue[][]> {
    return (await this.conn.runAndReadAll(statement)).getRows();
  }

  /**
   * Stages log files for the fast path (see fast-path.ts) into FAST_STAGE,
   * which the next load inserts from. While DuckDB reads, it has every core
   * and more memory (when the store is file-backed), then the load settings
   * again.
   */
  async stage(files: readonly FastFile[], threads: number): Promise<StageResult> {
    if ('memory_limit' in this.restore) {
      this.memoryMb = Math.max(this.memoryMb, FAST_MEMORY_MB);
      await this.conn.run(`SET threads = ${threads}; SET memory_limit = '${this.memoryMb}MB'; SET preserve_insertion_order = false`);
      this.fastSettings = true;
    }
    return stageFiles(this, files);
  }

  /** Back to the load settings after a batch that had staged files (the insert of the staged rows runs on every core too). */
  private async endFastSettings(): Promise<void> {
    if (!this.fastSettings) return;
    this.fastSettings = false;
    this.memoryMb = LOAD_MEMORY_MB;
    await this.conn.run(`SET threads = ${quote(LOAD_SETTINGS.threads)}; SET memory_limit = '${this.memoryMb}MB'; SET preserve_insertion_order = ${LOAD_SETTINGS.preserve_insertion_order}`);
  }

  /** Reads the candidate rows with their records and settles each: kept out as duplicate or conflict, or (the first of a batch) kept. */
  private async clashes(rows: readonly string[], fast: boolean): Promise<Clash[]> {
    const sources = [
      ...(rows.length > 0
        ? [`SELECT r.${FILE_COLUMN} AS f, r.${POSITION_COLUMN} AS p, r.eventid, CAST(r.raw AS VARCHAR) AS raw
            FROM ${readJson(rows, CANDIDATE_TYPES)} r SEMI JOIN ${CANDIDATE_KEYS} c ON c.f = r.${FILE_COLUMN} AND c.p = r.${POSITION_COLUMN}`]
        : []),
      ...(fast ? [`SELECT r.f, r.p, r.eventid, r.raw FROM ${FAST_STAGE} r SEMI JOIN ${CANDIDATE_KEYS} c ON c.f = r.f AND c.p = r.p`] : []),
    ];
    await this.run(`CREATE OR REPLACE TEMP TABLE ${CANDIDATES} AS ${sources.join(' UNION ALL ')}`);
    await this.run(CLASH_SQL);
    const reader = await this.conn.runAndReadAll(`SELECT f, p, eventid, same, stored, raw, other FROM ${CLASHES} ORDER BY f, p, stored DESC`);
    const out: Clash[] = [];
    let last = '';
    for (const [f, p, eventId, same, stored, raw, other] of reader.getRows()) {
      const key = `${String(f)}:${String(p)}`;
      if (key === last) continue; // a row repeating both a stored row and an earlier one: the stored one counts
      last = key;
      out.push({ file: Number(f), position: Number(p), eventId: String(eventId), same: same === true || sameRecord(raw, other), stored: stored === true });
    }
    return out;
  }

  /**
   * Loads a batch: the rows in our own temporary files (the Node path) and,
   * when `fast`, the rows staged in FAST_STAGE; returns rows stored and the
   * rows kept out. Duplicates are settled across both, first by (file, position).
   */
  async load(files: BatchFiles, fast = false, logFiles: readonly IngestedLogFile[] = []): Promise<{ stored: number; clashes: Clash[] }> {
    if (files.rows.length === 0 && !fast) return { stored: 0, clashes: [] };
    const c = this.conn;
    try {
      const keys = [
        ...(files.keys.length > 0 ? [`SELECT eventid, ${FILE_COLUMN}, ${POSITION_COLUMN} FROM ${readJson(files.keys, KEY_COLUMNS)}`] : []),
        ...(fast ? [`SELECT eventid, f AS ${FILE_COLUMN}, p AS ${POSITION_COLUMN} FROM ${FAST_STAGE}`] : []),
      ];
      const clashes = await timed(this.onStep, 'dedup', async () => {
        await this.run(`CREATE OR REPLACE TEMP TABLE ${KEYS} AS ${keys.join(' UNION ALL ')}`);
        await this.run(`CREATE OR REPLACE TEMP TABLE ${CANDIDATE_KEYS} AS ${CANDIDATE_KEYS_SQL}`);
        const [[candidates]] = (await c.runAndReadAll(`SELECT count(*) FROM ${CANDIDATE_KEYS}`)).getRows();
        return Number(candidates) > 0 ? await this.clashes(files.rows, fast) : [];
      });
      const keepOut = (f: string, p: string): string => (clashes.length > 0
        ? `WHERE NOT EXISTS (SELECT 1 FROM ${CLASHES} x WHERE x.f = b.${f} AND x.p = b.${p})`
        : '');
      const stored = await timed(this.onStep, 'insert', async () => {
        let rows = 0;
        if (files.rows.length > 0) {
          const result = await this.run(`INSERT INTO ${TABLE} (${TARGET_COLUMNS}) SELECT ${SOURCE_COLUMNS} FROM ${readJson(files.rows, ROW_TYPES)} b ${keepOut(FILE_COLUMN, POSITION_COLUMN)}`);
          rows += result.rowsChanged;
        }
        if (fast) {
          const result = await this.run(`INSERT INTO ${TABLE} (${TARGET_COLUMNS}) SELECT ${SOURCE_COLUMNS} FROM ${FAST_STAGE} b ${keepOut('f', 'p')}`);
          rows += result.rowsChanged;
        }
        return rows;
      });
      // The batch's side tables (resource touches, principals' days), while its rows are still in DuckDB's buffers.
      if (stored > 0) await timed(this.onStep, 'side tables', () => this.retrying(() => fillSideTables(this.conn)));
      // Each event's log file (integrity evidence), while the batch's keys and clashes are still here.
      await timed(this.onStep, 'log-file evidence', () => recordBatchLogFiles(this.conn, logFiles, KEYS, clashes.length > 0 ? CLASHES : null, FILE_COLUMN, POSITION_COLUMN));
      return { stored, clashes };
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${KEYS}; DROP TABLE IF EXISTS ${CANDIDATE_KEYS}; DROP TABLE IF EXISTS ${CANDIDATES}; DROP TABLE IF EXISTS ${CLASHES}; DROP TABLE IF EXISTS ${FAST_STAGE}`);
      await this.endFastSettings();
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
      if (checkpoint) await timed(this.onStep, 'checkpoint', () => conn.run('CHECKPOINT'));
    } finally {
      try {
        for (const [name, value] of Object.entries(this.restore)) await conn.run(`SET ${name} = ${quote(value)}`);
      } finally {
        conn.closeSync();
      }
    }
  }
}
