import { DuckDbEngine } from '../history/duckdb/engine';
import { recordChecks } from './record-checks';
import { VerifyOptions, VerifyReport, VerifySource, verifySource } from './verify';

/**
 * Verifies a source and records each log file's verdict in the embedded
 * store. `trailgraph verify` calls it for the whole range asked; the follow
 * loop calls it as each digest arrives, with `since`/`until` around that
 * digest's hour (see verifyDigestHour).
 */
export async function verifyAndRecord(engine: DuckDbEngine, source: VerifySource, opts: VerifyOptions, now: Date = new Date()): Promise<VerifyReport> {
  const report = await verifySource(source, opts);
  const conn = await engine.connect();
  try {
    await recordChecks(conn, report, now);
  } finally {
    conn.closeSync();
  }
  return report;
}

/**
 * For the follow loop: a digest for the hour ending at `digestEnd` has
 * arrived; verify that hour's log files (and the chain back to the
 * previous hour, which checks its previous hash and signature) and record
 * them.
 */
export function verifyDigestHour(engine: DuckDbEngine, source: VerifySource, digestEnd: Date, opts: Omit<VerifyOptions, 'since' | 'until'>): Promise<VerifyReport> {
  const since = new Date(digestEnd.getTime() - 2 * 3_600_000);
  return verifyAndRecord(engine, source, { ...opts, since, until: digestEnd });
}
