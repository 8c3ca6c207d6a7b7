import { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { logKeyTail } from './digest-file';
import { LOG_FILE_CHECKS } from './store-tables';
import { VerifyReport } from './verify';

const ROWS_PER_INSERT = 200;

/**
 * Records what a verification found for each log file (replacing what an
 * earlier one found): the verdict, the digest that lists it and the hash
 * that digest records. The API compares that hash with the one ingest read
 * (integrity-sql.ts), so an event is VALID only when the bytes it was read
 * from are the bytes CloudTrail signed for.
 */
export async function recordChecks(conn: DuckDBConnection, report: VerifyReport, checkedAt: Date): Promise<number> {
  const rows = report.logFiles.map((l) => [logKeyTail(l.key), l.account, l.region, l.verdict, l.digestKey, l.expectedSha256, checkedAt.toISOString()] as DuckDBValue[]);
  await conn.run('BEGIN TRANSACTION');
  try {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const marks = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
      await conn.run(`DELETE FROM ${LOG_FILE_CHECKS} WHERE file_key IN (${chunk.map(() => '?').join(', ')})`, chunk.map((r) => r[0]));
      await conn.run(`INSERT INTO ${LOG_FILE_CHECKS} VALUES ${marks}`, chunk.flat());
    }
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
  return rows.length;
}
