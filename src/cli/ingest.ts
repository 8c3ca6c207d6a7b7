import { IngestSummary } from '../ingest';
import { IngestVerifyFlagError, takeVerifyFlags, verifyIngested } from '../integrity/ingest-verify';
import { reportLines } from '../integrity/report-text';
import { SourceProgress } from '../sources/ingest-source';
import { ingestSources } from '../sources/ingest-sources';
import { Source, SourceError, openSources } from '../sources/source';
import { windowArgs } from '../sources/window-args';
import { CommandLineError, runCommand, parseCommandLine } from './command-line';
import { problemLines, summaryLine } from './ingest-summary';
import { openStore } from './store-access';

/**
 * `trailgraph ingest PATH...`: loads CloudTrail log files (files or
 * directories) into the embedded store. Exit status: 0 all loaded, 1 some
 * input was rejected (the good input is loaded all the same), 2 usage.
 */
function progressBar(p: SourceProgress): string {
  const total = p.listed - p.skipped;
  const fraction = total > 0 ? (p.read + p.failed) / total : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${p.listed} listed, ${p.skipped} already read, ${p.read} read, ${p.failed} failed, ${p.records.toLocaleString('en-US')} records`;
}

/** A progress line redrawn in place, at most ten times a second, only on a terminal. */
function progressReporter(stream: NodeJS.WriteStream): { update: (p: SourceProgress) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100 && p.read + p.failed < p.listed - p.skipped) return;
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
  const { config, own, operands } = parseCommandLine('ingest', args, env);
  const window = windowArgs(own, config, new Date());
  if ('flag' in window) throw new CommandLineError(window.flag, `${window.flag}: ${window.message}`);
  let verifyFlags;
  try {
    ({ flags: verifyFlags } = takeVerifyFlags(window.rest));
  } catch (err) {
    if (!(err instanceof IngestVerifyFlagError)) throw err;
    throw new CommandLineError('--verify', err.message);
  }
  if (operands.length === 0) {
    console.error('trailgraph ingest: no sources given (trailgraph ingest --help)');
    return 2;
  }
  if (config.engine !== 'duckdb') {
    console.error('trailgraph ingest: loads the embedded store only (--engine duckdb); Athena reads the S3 bucket itself');
    return 2;
  }
  let sources: Source[];
  try {
    sources = openSources(operands, { region: config.s3Region, endpoint: config.s3Endpoint });
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    throw new CommandLineError(operands[0], err.message);
  }
  const engine = await openStore(config.db, 'ingest');
  const progress = progressReporter(process.stderr);
  let summary: IngestSummary;
  let invalid = false;
  try {
    ({ summary } = await ingestSources(engine, sources, { filter: window.filter, onProgress: progress.update }));
    progress.clear();
    console.log(summaryLine(summary));
    // --verify: the log file integrity of what was ingested (docs/integrity.md), recorded in the store.
    if (verifyFlags.verify) {
      for (const r of await verifyIngested(engine, operands, verifyFlags)) {
        console.log(reportLines(r, false).join('\n'));
        invalid ||= r.failed;
      }
    }
  } finally {
    progress.clear();
    await engine.close();
  }
  for (const line of problemLines(summary)) console.error(line);
  return summary.rejected > 0 || summary.failedFiles > 0 || invalid ? 1 : 0;
}
