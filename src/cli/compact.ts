import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactReport, DestinationError, compactStore, openDestination } from '../compact';
import { DayRange } from '../compact/fingerprints';
import { DuckDbEngine } from '../history/duckdb/engine';
import { ingestSources } from '../sources/ingest-sources';
import { Source, SourceError, openSources } from '../sources/source';
import { windowArgs } from '../sources/window-args';
import { CliFailure, CommandLineError, parseCommandLine, runCommand } from './command-line';
import { problemLines, summaryLine } from './ingest-summary';
import { openStore } from './store-access';

/**
 * `trailgraph compact --to DIR|s3://BUCKET/PREFIX [--since D] [--until D] [--from s3://...]`:
 * the store's events (or, with --from, the logs read into a temporary
 * store) as Parquet for Athena (src/compact). Exit status: 0 written (or
 * nothing to write), 1 some input of --from was rejected (the rest is
 * written), 2 usage.
 */
export function compact(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('compact', args, () => compactInto(args, env));
}

function takeFlag(args: string[], flag: string): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === flag || a.startsWith(`${flag}=`)) {
      if (value !== undefined) throw new CommandLineError(flag, `${flag} given twice`);
      value = a === flag ? args[++i] : a.slice(flag.length + 1);
      if (!value) throw new CommandLineError(flag, `${flag} needs a value (trailgraph compact --help)`);
    } else rest.push(a);
  }
  return { value, rest };
}

function reportLine(r: CompactReport, root: string): string {
  if (r.changed === 0 && r.filesWritten === 0) return `compact: ${r.partitions} partitions, all already written to ${root}: nothing written`;
  const mib = (r.bytesWritten / 1048576).toFixed(1);
  return `compact: ${r.changed} of ${r.partitions} partitions written to ${root} (${r.events.toLocaleString('en-US')} events, ${r.filesWritten} files, ${mib} MiB; ${r.filesRemoved} stale files removed)`;
}

async function compactInto(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, own } = parseCommandLine('compact', args, env);
  const to = takeFlag(own, '--to');
  const from = takeFlag(to.rest, '--from');
  if (!to.value) throw new CommandLineError('--to', '--to is required: a folder or s3://BUCKET/PREFIX (trailgraph compact --help)');
  const bounded = from.rest.some((a) => a.startsWith('--since') || a.startsWith('--until'));
  const window = windowArgs(from.rest, config, new Date());
  if ('flag' in window) throw new CommandLineError(window.flag, `${window.flag}: ${window.message}`);
  const range: DayRange = bounded ? { since: window.filter.since, until: window.filter.until } : {};
  let dest;
  try {
    dest = openDestination(to.value, { region: config.s3Region, endpoint: config.s3Endpoint });
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    throw new CommandLineError('--to', `--to: ${err.message}`);
  }
  if (!from.value) {
    const engine = await openStore(config.db, 'serve', config.dbMemoryMb);
    try {
      console.log(reportLine(await compactStore(engine, dest, range), dest.root));
    } finally {
      await engine.close();
    }
    return 0;
  }
  let sources: Source[];
  try {
    sources = openSources([from.value], { region: config.s3Region, endpoint: config.s3Endpoint });
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    throw new CommandLineError('--from', `--from: ${err.message}`);
  }
  // The logs go through the same ingest (deduplication, derivations, side tables) into a store of their own, dropped after.
  const dir = mkdtempSync(join(tmpdir(), 'trailgraph-compact-from-'));
  let engine: DuckDbEngine;
  try {
    engine = await DuckDbEngine.open(join(dir, 'store.duckdb'));
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new CliFailure(`cannot create a temporary store in ${dir}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  try {
    const { summary } = await ingestSources(engine, sources, { filter: window.filter });
    console.log(summaryLine(summary));
    console.log(reportLine(await compactStore(engine, dest, range), dest.root));
    for (const line of problemLines(summary)) console.error(line);
    return summary.rejected > 0 || summary.failedFiles > 0 ? 1 : 0;
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
