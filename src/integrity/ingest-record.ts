import { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { localLogFileSha256 } from './log-file-hash';
import { logKeyTail, parseLogKey } from './digest-file';
import { EVENT_LOG_FILES, LOG_FILES } from './store-tables';

/** A log file as ingest read it: its number in the ingest, its key, and the SHA-256 of its uncompressed bytes. */
export interface IngestedLogFile {
  index: number;
  /** The path or S3 key it was read from; stored from AWSLogs/ on. */
  key: string;
  sha256: string;
  bytes: number;
}

const BATCH_FILES = 'ingest_batch_log_files';
const ROWS_PER_INSERT = 200;

/**
 * Records a loaded batch's log files and the file of each event it stored.
 * Runs inside the bulk load, while its key table (eventid, file number,
 * position) and its clashes (rows kept out) still exist: every row that is
 * not kept out is a new event (a stored eventID always clashes), and an
 * event kept out as a duplicate keeps the file it was first stored from.
 */
export async function recordBatchLogFiles(conn: DuckDBConnection, files: readonly IngestedLogFile[], keysTable: string, clashesTable: string | null, fileColumn: string, positionColumn: string): Promise<void> {
  if (files.length === 0) return;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${BATCH_FILES} (f INTEGER, file_key VARCHAR, sha256 VARCHAR, account VARCHAR, region VARCHAR, delivered VARCHAR, bytes BIGINT)`);
  for (let i = 0; i < files.length; i += ROWS_PER_INSERT) {
    const chunk = files.slice(i, i + ROWS_PER_INSERT);
    const params: DuckDBValue[] = [];
    for (const f of chunk) {
      const tail = logKeyTail(f.key.split('\\').join('/'));
      const parsed = parseLogKey(tail);
      params.push(f.index, tail, f.sha256, parsed?.account ?? null, parsed?.region ?? null, parsed?.delivered.toISOString() ?? null, f.bytes);
    }
    await conn.run(`INSERT INTO ${BATCH_FILES} VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
  }
  try {
    await conn.run(`INSERT INTO ${LOG_FILES} SELECT DISTINCT ON (file_key) file_key, sha256, account, region, delivered, bytes FROM ${BATCH_FILES} b
      WHERE NOT EXISTS (SELECT 1 FROM ${LOG_FILES} l WHERE l.file_key = b.file_key) AND b.f IN (SELECT ${fileColumn} FROM ${keysTable})`);
    const keptOut = clashesTable ? `AND NOT EXISTS (SELECT 1 FROM ${clashesTable} x WHERE x.f = k.${fileColumn} AND x.p = k.${positionColumn})` : '';
    await conn.run(`INSERT INTO ${EVENT_LOG_FILES} SELECT k.eventid, b.file_key FROM ${keysTable} k JOIN ${BATCH_FILES} b ON b.f = k.${fileColumn}
      WHERE true ${keptOut}`);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${BATCH_FILES}`);
  }
}

/**
 * Hashes log files as ingest meets them, a few at a time beside the readers
 * (gunzip runs on libuv's pool). Every log file is hashed by Node, whichever
 * path reads its records: DuckDB's own reader does not give its bytes back.
 */
export class LogFileHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency = 2) {}

  async hash(index: number, path: string, bytes: number): Promise<IngestedLogFile | null> {
    if (this.running >= this.concurrency) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return { index, key: path, sha256: await localLogFileSha256(path), bytes };
    } catch {
      return null; // an unreadable file is reported by the reader; it stores no events
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
