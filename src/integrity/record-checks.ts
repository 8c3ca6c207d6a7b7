import { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { logKeyTail, parseLogKey } from './digest-file';
import { DIGEST_CHECKS, LOG_FILE_CHECKS } from './store-tables';
import { VerifyReport } from './verify';

const ROWS_PER_INSERT = 200;

async function replaceRows(conn: DuckDBConnection, table: string, keyColumn: string, rows: DuckDBValue[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const keyed = chunk.filter((r) => r[0] !== null);
    if (keyed.length > 0) await conn.run(`DELETE FROM ${table} WHERE ${keyColumn} IN (${keyed.map(() => '?').join(', ')})`, keyed.map((r) => r[0]));
    await conn.run(`INSERT INTO ${table} VALUES ${chunk.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`, chunk.flat());
  }
}

/**
 * Records what a verification found (replacing what an earlier one found
 * for the same files and digests): each log file's verdict, the digest
 * that lists it and the hash that digest records; each digest's verdict;
 * the gaps. The API compares the recorded hash with the one ingest read
 * (integrity-sql.ts), so an event is VALID only when the bytes it was read
 * from are the bytes CloudTrail signed for.
 */
export async function recordChecks(conn: DuckDBConnection, report: VerifyReport, checkedAt: Date): Promise<number> {
  const at = checkedAt.toISOString();
  const files = report.logFiles.map((l) => {
    const tail = logKeyTail(l.key);
    return [tail, l.account, l.region, parseLogKey(tail)?.delivered.toISOString() ?? null, l.verdict, l.digestKey, l.expectedSha256, l.sha256, at] as DuckDBValue[];
  });
  const digests = report.digests.map((d) => [logKeyTail(d.key), d.account, d.region, d.trail, d.start, d.end, d.verdict, at] as DuckDBValue[]);
  await conn.run('BEGIN TRANSACTION');
  try {
    await replaceRows(conn, LOG_FILE_CHECKS, 'file_key', files);
    await replaceRows(conn, DIGEST_CHECKS, 'digest_key', digests);
    for (const g of report.gaps) {
      const params = [g.account, g.region, g.trail, g.from, g.to];
      await conn.run(`DELETE FROM ${DIGEST_CHECKS} WHERE digest_key IS NULL AND account = ? AND region = ? AND trail = ? AND start_time = ? AND end_time = ?`, params);
      await conn.run(`INSERT INTO ${DIGEST_CHECKS} VALUES (NULL, ?, ?, ?, ?, ?, 'gap', ?)`, [...params, at]);
    }
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
  return files.length;
}
