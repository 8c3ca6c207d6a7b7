import { DuckDBConnection } from '@duckdb/node-api';

/**
 * Where the embedded store keeps integrity evidence, beside the events:
 * - log_files: each log file ingested, by its key from AWSLogs/ on, with the
 *   SHA-256 of its uncompressed bytes as read at ingest (kept: a file read
 *   again keeps its first row, the one its events came from);
 * - event_log_files: the file each stored event came from (the first file,
 *   as duplicates read later are kept out);
 * - log_file_checks: the last verdict of `verify` (or ingest --verify, or
 *   the follow loop) for each log file, with the hash its digest records.
 * - digest_checks: the last verdict of each digest, and the gaps in chains.
 * Times are ISO-8601 UTC text (delivered: the minute in the log file's name).
 * The first two hold ingest data and are never dropped; the checks are made
 * again by the next verify, so a checks table of another shape is replaced.
 */
export const LOG_FILES = 'log_files';
export const EVENT_LOG_FILES = 'event_log_files';
export const LOG_FILE_CHECKS = 'log_file_checks';
export const DIGEST_CHECKS = 'digest_checks';

const TABLES: ReadonlyArray<{ name: string; columns: ReadonlyArray<readonly [string, string]>; derived: boolean }> = [
  { name: LOG_FILES, columns: [['file_key', 'VARCHAR'], ['sha256', 'VARCHAR'], ['account', 'VARCHAR'], ['region', 'VARCHAR'], ['delivered', 'VARCHAR'], ['bytes', 'BIGINT']], derived: false },
  { name: EVENT_LOG_FILES, columns: [['eventid', 'VARCHAR'], ['file_key', 'VARCHAR']], derived: false },
  {
    name: LOG_FILE_CHECKS,
    columns: [['file_key', 'VARCHAR'], ['account', 'VARCHAR'], ['region', 'VARCHAR'], ['delivered', 'VARCHAR'], ['verdict', 'VARCHAR'], ['digest_key', 'VARCHAR'], ['expected_sha256', 'VARCHAR'], ['sha256', 'VARCHAR'], ['checked_at', 'VARCHAR']],
    derived: true,
  },
  {
    // A digest's verdict; a gap in a chain is a row with verdict 'gap' and no key.
    name: DIGEST_CHECKS,
    columns: [['digest_key', 'VARCHAR'], ['account', 'VARCHAR'], ['region', 'VARCHAR'], ['trail', 'VARCHAR'], ['start_time', 'VARCHAR'], ['end_time', 'VARCHAR'], ['verdict', 'VARCHAR'], ['checked_at', 'VARCHAR']],
    derived: true,
  },
];

export async function createIntegrityTables(conn: DuckDBConnection): Promise<void> {
  for (const t of TABLES) {
    const reader = await conn.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${t.name}' ORDER BY ordinal_position`,
    );
    const present = reader.getRows().map(([name]) => String(name)).join(',');
    if (t.derived && present !== '' && present !== t.columns.map(([n]) => n).join(',')) await conn.run(`DROP TABLE ${t.name}`);
    await conn.run(`CREATE TABLE IF NOT EXISTS ${t.name} (${t.columns.map(([n, type]) => `${n} ${type}`).join(', ')})`);
  }
}
