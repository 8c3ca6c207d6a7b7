import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../history/duckdb/engine';
import { discover, InputFile } from './discover';
import { FastFile, fastCandidates } from './fast-path';
import { BulkLoader } from './load';
import { InlineRunner, TaskRunner, WorkerPool } from './pool';
import { FileOutcome } from './file-reader';
import { Tally } from './tally';
import { batchFiles } from './worker';
import { IngestOptions, IngestSummary } from './types';
import { IngestedLogFile, LogFileHasher } from '../integrity/ingest-record';
import { isDigestPath } from './process-file';
import { timed } from './steps';

/** Below this many input bytes, starting threads costs more than it saves. */
const THREADS_FROM_BYTES = 16 << 20;
/**
 * Rows per bulk load: one of DuckDB's row groups. A load that large skips
 * the write-ahead log and fills whole row groups, so none is rewritten by
 * the next load. Row text is capped too, for very large records.
 */
const BATCH_ROWS = 122_880;
const BATCH_CHARS = 512 << 20;
/**
 * Fast-path files per batch, by the JSON text they are estimated to hold
 * (gzip about 1:10): a staged batch is held in DuckDB's memory until it is
 * inserted; this is about 110,000 demo records, just under one row group
 * (smaller batches leave more part-filled row groups: a larger, slower store).
 */
const FAST_BATCH_CHARS = 192 << 20;
const GZIP_RATIO = 10;

interface Batch {
  id: number;
  rows: number;
  chars: number;
  outcomes: FileOutcome[];
  outFiles: Set<string>;
  running: Set<Promise<void>>;
  /** Files DuckDB reads itself (the fast path), and the JSON text they are estimated to hold. */
  fast: FastFile[];
  fastChars: number;
  /** The batch's log files with their SHA-256 (integrity evidence), hashed beside the readers. */
  logFiles: Array<Promise<IngestedLogFile | null>>;
}

function fastChars(f: InputFile): number {
  return /\.gz$/i.test(f.path) ? f.bytes * GZIP_RATIO : f.bytes;
}

/** An outcome of a staged file, as the Node path would report it: every record a row, nothing rejected. */
function stagedOutcome(file: FastFile, records: number): FileOutcome {
  return { index: file.index, path: file.path, bytes: file.bytes, digest: false, records, rows: records, rowChars: 0, rejected: 0, failed: false, label: 'Records', problems: [] };
}

/**
 * Reader threads: one core is left to DuckDB's load (it runs on one thread),
 * the rest read; on two cores, one reader keeps pace with the load, and
 * each more reader costs memory without adding speed.
 */
function runnerFor(opts: IngestOptions, bytes: number): TaskRunner {
  const workers = opts.workers ?? (bytes >= THREADS_FROM_BYTES ? Math.max(1, Math.min(availableParallelism() - 1, 4)) : 0);
  return workers > 0 ? new WorkerPool(workers) : new InlineRunner();
}

/**
 * Ingests CloudTrail log files (files or directories) into the embedded
 * store. Files are taken in day order, in batches: regular log files are
 * read by DuckDB itself (the fast path, fast-path.ts); the others, and those
 * it refuses, by a few Node threads; each batch is then bulk loaded. Duplicates of stored events are counted, conflicting
 * records reusing a stored eventID are kept out and reported. Bad input is
 * reported and never stops the good input around it from loading.
 */
export async function ingestPaths(engine: DuckDbEngine, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const step = opts.onStep;
  const { found, fast } = await timed(step, 'discover', async () => {
    const found = await discover(paths);
    return { found, fast: opts.fastPath ?? true ? await fastCandidates(found.files) : found.files.map(() => false) };
  });
  const tally = new Tally(found.files.reduce((a, f) => a + f.bytes, 0), found.files.length, opts);
  for (const p of found.problems) tally.failedInput(p);
  const tmp = mkdtempSync(join(tmpdir(), 'trailgraph-ingest-'));
  const runner = runnerFor(opts, found.files.reduce((a, f, i) => a + (fast[i] ? 0 : f.bytes), 0));
  const loader = await BulkLoader.open(engine, opts.shareStore ?? false, step);
  const batchRows = opts.batchRows ?? BATCH_ROWS;
  const newBatch = (id: number): Batch => ({ id, rows: 0, chars: 0, outcomes: [], outFiles: new Set(), running: new Set(), fast: [], fastChars: 0, logFiles: [] });
  const hasher = new LogFileHasher();
  let loading: Promise<void> = Promise.resolve();
  let done = false;
  const readOnNode = (b: Batch, index: number): Promise<void> => {
    opts.onRoute?.(found.files[index].path, 'node');
    return runner.run({ index, path: found.files[index].path }, join(tmp, `batch-${b.id}`)).then(({ outcome, out }) => {
      b.rows += outcome.rows;
      b.chars += outcome.rowChars;
      b.outcomes.push(outcome);
      if (outcome.rows > 0) b.outFiles.add(out);
      tally.read(outcome);
    });
  };
  /** DuckDB reads the batch's fast-path files; the files it refuses are read on the Node path after all. */
  const stageBatch = async (b: Batch): Promise<boolean> => {
    if (b.fast.length === 0) return false;
    const { staged, refused } = await loader.stage(b.fast, availableParallelism());
    for (const s of staged) {
      opts.onRoute?.(s.file.path, 'fast');
      const outcome = stagedOutcome(s.file, s.records);
      b.outcomes.push(outcome);
      tally.read(outcome);
    }
    await Promise.all(refused.map((f) => readOnNode(b, f.index)));
    return staged.length > 0;
  };
  const loadBatch = async (b: Batch): Promise<void> => {
    await timed(step, 'node path', () => Promise.all(b.running));
    const staged = await timed(step, 'staging', () => stageBatch(b));
    const files = [...b.outFiles].map(batchFiles);
    const logFiles = (await timed(step, 'hashing', () => Promise.all(b.logFiles))).filter((f): f is IngestedLogFile => f !== null);
    const { clashes } = await loader.load({ rows: files.map((f) => f.rows), keys: files.map((f) => f.keys) }, staged, logFiles);
    tally.loaded(b.outcomes, clashes);
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
      if (batch.rows >= batchRows || batch.chars >= BATCH_CHARS || batch.fastChars >= FAST_BATCH_CHARS) {
        // One batch loads while the next is read; a third waits for the load.
        await loading;
        loading = loadBatch(batch);
        loading.catch(() => undefined);
        batch = newBatch(batch.id + 1);
      }
      const b = batch;
      if (isDigestPath(found.files[i].path)) {
        // A digest file holds no events (trailgraph verify reads them): counted, not sent to a reader.
        const outcome: FileOutcome = { ...stagedOutcome({ index: i, ...found.files[i] }, 0), digest: true };
        b.outcomes.push(outcome);
        tally.read(outcome);
        continue;
      }
      b.logFiles.push(hasher.hash(i, found.files[i].path, found.files[i].bytes));
      if (fast[i]) {
        b.fast.push({ index: i, ...found.files[i] });
        b.fastChars += fastChars(found.files[i]);
        continue;
      }
      const job = readOnNode(b, i);
      const tracked = job.finally(() => {
        inFlight.delete(tracked);
        b.running.delete(tracked);
      });
      // A failure is raised where the batch is awaited; this only keeps it from counting as unhandled meanwhile.
      tracked.catch(() => undefined);
      inFlight.add(tracked);
      b.running.add(tracked);
    }
    await loading;
    await loadBatch(batch);
    done = true;
  } finally {
    await loading.catch(() => undefined);
    await loader.finish(done && !opts.shareStore);
    await runner.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return { ...tally.summary(performance.now() - started), skipped: found.skipped };
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
