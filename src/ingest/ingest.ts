import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../history/duckdb/engine';
import { discover } from './discover';
import { BulkLoader } from './load';
import { InlineRunner, TaskRunner, WorkerPool } from './pool';
import { FileOutcome } from './process-file';
import { Tally } from './tally';
import { IngestOptions, IngestSummary } from './types';

/** Below this many input bytes, starting threads costs more than it saves. */
const THREADS_FROM_BYTES = 16 << 20;
/** Two of DuckDB's row groups: a load that large is written straight to the store file, not through the write-ahead log. */
const DEFAULT_BATCH_ROWS = 245_760;

interface Batch {
  id: number;
  rows: number;
  outcomes: FileOutcome[];
  outFiles: Set<string>;
  running: Set<Promise<void>>;
  ids: Set<string>;
  repeated: Set<string>;
}

function addIds(b: Batch, ids: readonly string[]): void {
  for (const id of ids) {
    if (b.ids.has(id)) b.repeated.add(id);
    else b.ids.add(id);
  }
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
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const newBatch = (id: number): Batch => ({ id, rows: 0, outcomes: [], outFiles: new Set(), running: new Set(), ids: new Set(), repeated: new Set() });
  let loading: Promise<void> = Promise.resolve();
  const loadBatch = async (b: Batch): Promise<void> => {
    const t0 = performance.now();
    await Promise.all(b.running);
    const t1 = performance.now();
    const { clashes } = await loader.load([...b.outFiles], { ids: [...b.ids], repeated: b.repeated });
    const conn = await engine.connect();
    const mem = (await conn.runAndReadAll(`SELECT tag, round(memory_usage_bytes/1048576) FROM duckdb_memory() WHERE memory_usage_bytes > 10485760`)).getRows();
    conn.closeSync();
    console.error(`TRACE duck ${JSON.stringify(mem)}`);
    console.error(`TRACE batch ${b.id} rows ${b.rows} waitReaders ${Math.round(t1 - t0)} load ${Math.round(performance.now() - t1)} mem ${JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)])))} at ${Math.round(performance.now() - started)}`);
    tally.loaded(b.outcomes, clashes);
    for (const f of b.outFiles) rmSync(f, { force: true });
  };
  try {
    let batch = newBatch(0);
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < found.files.length; i++) {
      while (inFlight.size >= runner.slots) await Promise.race(inFlight);
      if (batch.rows >= batchRows) {
        // One batch loads while the next is read; a third waits for the load.
        await loading;
        loading = loadBatch(batch);
        loading.catch(() => undefined);
        batch = newBatch(batch.id + 1);
      }
      const b = batch;
      const job: Promise<void> = runner.run({ index: i, path: found.files[i].path }, join(tmp, `batch-${b.id}`)).then(({ outcome, out }) => {
        b.rows += outcome.rows;
        addIds(b, outcome.ids);
        // The ids have served; the outcome is kept until the batch is settled.
        outcome.ids = [];
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
