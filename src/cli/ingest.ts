import { Config, ConfigError, loadConfig } from '../config';
import { DuckDbEngine } from '../history/duckdb/engine';
import { IngestProgress, IngestSummary, ingestPaths } from '../ingest';
import { IngestVerifyFlagError, IngestVerifyFlags, takeVerifyFlags, verifyIngested } from '../integrity/ingest-verify';
import { reportLines } from '../integrity/report-text';

/**
 * `trailgraph ingest PATH...`: loads CloudTrail log files (files or
 * directories) into the embedded store. Exit status: 0 all loaded, 1 some
 * input was rejected (the good input is loaded all the same), 2 usage.
 */
const USAGE = 'usage: trailgraph ingest [--db FILE] [--verify [--public-keys FILE] [--newest-signature HEX|@FILE]...] PATH...   (files or directories of CloudTrail log files)';

function progressBar(p: IngestProgress): string {
  const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${p.filesDone}/${p.filesTotal} files, ${p.records.toLocaleString('en-US')} records`;
}

/** A progress line redrawn in place, at most ten times a second, only on a terminal. */
function progressReporter(stream: NodeJS.WriteStream): { update: (p: IngestProgress) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100 && p.filesDone < p.filesTotal) return;
      last = now;
      drawn = true;
      stream.write(`\r${progressBar(p)}\x1b[K`);
    },
    clear: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

export function summaryLine(s: IngestSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.records / seconds) : s.records;
  const digest = s.digestFiles > 0 ? ` (${s.digestFiles} digest files skipped)` : '';
  const failed = s.failedFiles > 0 ? `, ${s.failedFiles} files unreadable in part or whole` : '';
  return `ingested ${s.files} files${digest}: ${s.records} records, ${s.stored} new, ${s.duplicates} duplicates, ${s.rejected} rejected${failed} in ${seconds.toFixed(1)}s (${rate} records/s)`;
}

export async function ingest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: Config;
  let rest: string[];
  try {
    ({ config, rest } = loadConfig(args, env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`trailgraph ingest: ${err.message}\n${USAGE}`);
    return 2;
  }
  let verifyFlags: IngestVerifyFlags;
  try {
    ({ flags: verifyFlags, rest } = takeVerifyFlags(rest));
  } catch (err) {
    if (!(err instanceof IngestVerifyFlagError)) throw err;
    console.error(`trailgraph ingest: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = rest.filter((a) => a.startsWith('-'));
  if (unknown.length > 0) {
    console.error(`trailgraph ingest: unknown flag ${unknown[0]}\n${USAGE}`);
    return 2;
  }
  if (rest.length === 0) {
    console.error(`trailgraph ingest: no paths given\n${USAGE}`);
    return 2;
  }
  if (config.engine !== 'duckdb') {
    console.error('trailgraph ingest: loads the embedded store only (--engine duckdb); Athena reads the S3 bucket itself');
    return 2;
  }
  const engine = await DuckDbEngine.open(config.db);
  const progress = progressReporter(process.stderr);
  let summary: IngestSummary;
  let invalid = false;
  try {
    summary = await ingestPaths(engine, rest, { onProgress: progress.update });
    progress.clear();
    console.log(summaryLine(summary));
    // --verify: the log file integrity of what was ingested (docs/integrity.md), recorded in the store.
    if (verifyFlags.verify) {
      for (const r of await verifyIngested(engine, rest, verifyFlags)) {
        console.log(reportLines(r, false).join('\n'));
        invalid ||= r.failed;
      }
    }
  } finally {
    progress.clear();
    await engine.close();
  }
  for (const p of summary.problems) console.error(`${p.path}${p.position ? ` ${p.position}` : ''}: ${p.reason}`);
  return summary.rejected > 0 || summary.failedFiles > 0 || invalid ? 1 : 0;
}
