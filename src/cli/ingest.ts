import { IngestProgress, IngestSummary, ingestPaths } from '../ingest';
import { runCommand, parseCommandLine } from './command-line';
import { problemLines, summaryLine } from './ingest-summary';
import { openStore } from './store-access';

/**
 * `trailgraph ingest PATH...`: loads CloudTrail log files (files or
 * directories) into the embedded store. Exit status: 0 all loaded, 1 some
 * input was rejected (the good input is loaded all the same), 2 usage.
 */
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

export { summaryLine } from './ingest-summary';

export function ingest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // Mistakes on the command line and a store that cannot be opened: one line, exit status 2.
  return runCommand('ingest', args, () => ingestInto(args, env));
}

async function ingestInto(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, operands } = parseCommandLine('ingest', args, env);
  if (operands.length === 0) {
    console.error('trailgraph ingest: no paths given (trailgraph ingest --help)');
    return 2;
  }
  if (config.engine !== 'duckdb') {
    console.error('trailgraph ingest: loads the embedded store only (--engine duckdb); Athena reads the S3 bucket itself');
    return 2;
  }
  const engine = await openStore(config.db, 'ingest');
  const progress = progressReporter(process.stderr);
  let summary: IngestSummary;
  try {
    summary = await ingestPaths(engine, operands, { onProgress: progress.update });
  } finally {
    progress.clear();
    await engine.close();
  }
  console.log(summaryLine(summary));
  for (const line of problemLines(summary)) console.error(line);
  return summary.rejected > 0 || summary.failedFiles > 0 ? 1 : 0;
}
