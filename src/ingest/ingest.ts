import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../history/duckdb/engine';
import { discover } from './discover';
import { BulkLoader } from './load';
import { InlineRunner, TaskRunner, WorkerPool } from './pool';
import { FileOutcome } from './process-file';
import { Tally } from './tally';
import { batchFiles } from './worker';
import { IngestOptions, IngestSummary } from './types';

/** Below this many input bytes, starting threads costs more than it saves. */
const THREADS_FROM_BYTES = 16 << 20;
/**
 * Row text per bulk load: DuckDB holds a load's rows uncompressed until it
 * commits, about three times this in memory at its peak.
 */
const BATCH_CHARS = 128 << 20;

interface Batch {
  id: number;
  rows: number;
  chars: number;
  outcomes: FileOutcome[];
  outFiles: Set<string>;
  running: Set<Promise<void>>;
}

function runnerFor(opts: IngestOptions, bytes: number): TaskRunner {
  const workers = opts.workers ?? (bytes >= THREADS_FROM_BYTES ? Math.max(1, Math.min(availableParallelism(), 4)) : 0);
  return workers > 0 ? new WorkerPool(workers) : new InlineRunner();
}

/**
 * Ingests CloudTrail log files (files or directories) into the embedded
 * store. Files are read in day order by a few threads; their rows are bulk
 * loaded in batches; duplicates of stored events are counted, conflicting
 * records reusing a stored eventID are kept out and reported. Bad input is
 * reported and never stops the good input around it from loading.
 */
export async function ingestPaths(engine: DuckDbEngine, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const found = await discover(paths);
  const tally = new Tally(found.files.reduce((a, f) => a + f.bytes, 0), found.files.length, opts);
  for (const p of found.problems) tally.failedInput(p);
  const tmp = mkdtempSync(join(tmpdir(), 'trailgraph-ingest-'));
  const runner = runnerFor(opts, tally.bytesTotal);
  const loader = await BulkLoader.open(engine);
  const batchRows = opts.batchRows ?? Number.POSITIVE_INFINITY;
  const newBatch = (id: number): Batch => ({ id, rows: 0, chars: 0, outcomes: [], outFiles: new Set(), running: new Set() });
  let loading: Promise<void> = Promise.resolve();
  const loadBatch = async (b: Batch): Promise<void> => {
    await Promise.all(b.running);
    console.error(`TRACE load ${b.id} start rows ${b.rows} chars ${b.chars} rss ${Math.round(process.memoryUsage().rss / 1048576)} heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} t ${Math.round(performance.now() - started)}`);
    const files = [...b.outFiles].map(batchFiles);
    const { clashes } = await loader.load({ rows: files.map((f) => f.rows), keys: files.map((f) => f.keys) });
    tally.loaded(b.outcomes, clashes);
    console.error(`TRACE load ${b.id} end rss ${Math.round(process.memoryUsage().rss / 1048576)} t ${Math.round(performance.now() - started)}`);
    for (const f of files) {
      rmSync(f.rows, { force: true });
      rmSync(f.keys, { force: true });
    }
  };
  try {
    let batch = newBatch(0);
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < found.files.length; i++) {
      while (inFlight.size >= runner.slots) await Promise.race(inFlight);
      if (batch.rows >= batchRows || batch.chars >= BATCH_CHARS) {
        // One batch loads while the next is read; a third waits for the load.
        await loading;
        loading = loadBatch(batch);
        loading.catch(() => undefined);
        batch = newBatch(batch.id + 1);
      }
      const b = batch;
      const job: Promise<void> = runner.run({ index: i, path: found.files[i].path }, join(tmp, `batch-${b.id}`)).then(({ outcome, out }) => {
        b.rows += outcome.rows;
        b.chars += outcome.rowChars;
        b.outcomes.push(outcome);
        if (outcome.rows > 0) b.outFiles.add(out);
        tally.read(outcome);
      });
      const tracked = job.finally(() => {
        inFlight.delete(tracked);
        b.running.delete(tracked);
      });
      inFlight.add(tracked);
      b.running.add(tracked);
    }
    await loading;
    await loadBatch(batch);
    await loader.checkpoint();
  } finally {
    await loader.close();
    await runner.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return tally.summary(performance.now() - started);
}

/** Events in the store (`trailgraph start` generates demo data when there are none). */
export async function countEvents(engine: DuckDbEngine): Promise<number> {
  const conn = await engine.connect();
  try {
    const reader = await conn.runAndReadAll('SELECT count(*) FROM cloudtrail');
    return Number(reader.getRows()[0][0]);
  } finally {
    conn.closeSync();
  }
}
