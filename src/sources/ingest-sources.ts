import { DuckDbEngine } from '../history/duckdb/engine';
import { HistoryStore } from '../history/store';
import { storeFacts } from '../history/store-facts';
import { UNRESTRICTED } from '../history/event-filter';
import { CostMeter } from '../history/cost';
import { IngestSummary } from '../ingest/types';
import { SourceIngestOptions, SourceSummary, ingestSource } from './ingest-source';
import { ReadLog } from './read-log';
import { Source } from './source';
import { emptySummary, mergeSummaries } from './summaries';
import { failureText } from './retry';

/**
 * `trailgraph ingest SOURCE...`: each source in turn, what it holds that
 * the store has not read; the poll is recorded (when, the error if any),
 * and the summary adds the objects' counts and what the store holds now.
 */
export async function ingestSources(engine: DuckDbEngine, sources: readonly Source[], opts: SourceIngestOptions): Promise<{ summary: IngestSummary; sources: SourceSummary[] }> {
  const started = performance.now();
  const log = await ReadLog.open(engine);
  const done: SourceSummary[] = [];
  let summary = emptySummary();
  const objects = { listed: 0, skipped: 0, read: 0, failed: 0 };
  try {
    for (const source of sources) {
      const at = (opts.now ?? (() => new Date()))();
      let s: SourceSummary;
      try {
        s = await ingestSource(engine, source, log, opts);
      } catch (err) {
        // A source that cannot be listed at all (no such bucket, access denied): reported, the others still load.
        await log.recordPoll(source.uri, { at, error: failureText(err), ingested: false });
        const problem = { path: source.uri, reason: `cannot list: ${failureText(err)}` };
        opts.onProblem?.(problem);
        summary = mergeSummaries(summary, { ...emptySummary(), failedFiles: 1, problems: [problem] });
        continue;
      }
      await log.recordPoll(source.uri, {
        at,
        error: s.failures.length > 0 ? `${s.failures.length} objects failed; first: ${s.failures[0].key}: ${s.failures[0].reason}` : null,
        lagMs: s.lagMs,
        newest: s.newest,
        ingested: s.read > 0,
      });
      done.push(s);
      summary = mergeSummaries(summary, { ...s.ingest, failedFiles: s.ingest.failedFiles + s.failed });
      objects.listed += s.listed;
      objects.skipped += s.skipped;
      objects.read += s.read;
      objects.failed += s.failed;
    }
  } finally {
    log.close();
  }
  const facts = await storeFacts(new HistoryStore(engine), { scope: UNRESTRICTED, cost: new CostMeter() });
  return {
    summary: {
      ...summary,
      elapsedMs: performance.now() - started,
      objects,
      store: facts ? { events: facts.events, firstEventTime: facts.firstEventTime, lastEventTime: facts.lastEventTime, accounts: facts.accounts } : undefined,
    },
    sources: done,
  };
}
