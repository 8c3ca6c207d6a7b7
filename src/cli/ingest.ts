import { Config, ConfigError, loadConfig } from '../config';
import { DuckDbEngine } from '../history/duckdb/engine';
import { IngestSummary } from '../ingest';
import { SourceProgress } from '../sources/ingest-source';
import { ingestSources } from '../sources/ingest-sources';
import { Source, SourceError, openSources } from '../sources/source';
import { windowArgs } from '../sources/window-args';

/**
 * `trailgraph ingest PATH...`: loads CloudTrail log files (files or
 * directories) into the embedded store. Exit status: 0 all loaded, 1 some
 * input was rejected (the good input is loaded all the same), 2 usage.
 */
const USAGE = 'usage: trailgraph ingest [--db FILE] [--since DAY] [--until DAY] [--accounts A,..] [--regions R,..] SOURCE...   (s3://BUCKET[/PREFIX], files or directories of CloudTrail log files)';

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

export function summaryLine(s: IngestSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.records / seconds) : s.records;
  const digest = s.digestFiles > 0 ? ` (${s.digestFiles} digest files skipped)` : '';
  const failed = s.failedFiles > 0 ? `, ${s.failedFiles} files unreadable in part or whole` : '';
  const o = s.objects;
  const objects = o ? `; objects: ${o.listed} listed, ${o.skipped} skipped as already read, ${o.read} read, ${o.failed} failed` : '';
  const st = s.store;
  const store = st ? `; the store holds ${st.events} events${st.firstEventTime ? ` from ${st.firstEventTime} to ${st.lastEventTime}` : ''}${st.accounts.length ? ` in accounts ${st.accounts.join(',')}` : ''}` : '';
  return `ingested ${s.files} files${digest}: ${s.records} records, ${s.stored} new, ${s.duplicates} duplicates, ${s.rejected} rejected${failed} in ${seconds.toFixed(1)}s (${rate} records/s)${objects}${store}`;
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
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const window = windowArgs(rest, config, new Date());
  if ('flag' in window) {
    console.error(`trailgraph ingest: ${window.flag}: ${window.message}\n${USAGE}`);
    return 2;
  }
  rest = window.rest;
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
  let sources: Source[];
  try {
    sources = openSources(rest, { region: config.s3Region, endpoint: config.s3Endpoint });
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    console.error(`trailgraph ingest: ${err.message}\n${USAGE}`);
    return 2;
  }
  const engine = await DuckDbEngine.open(config.db);
  const progress = progressReporter(process.stderr);
  let summary: IngestSummary;
  try {
    ({ summary } = await ingestSources(engine, sources, { filter: window.filter, onProgress: progress.update }));
  } finally {
    progress.clear();
    await engine.close();
  }
  console.log(summaryLine(summary));
  for (const p of summary.problems) console.error(`${p.path}${p.position ? ` ${p.position}` : ''}: ${p.reason}`);
  return summary.rejected > 0 || summary.failedFiles > 0 ? 1 : 0;
}
