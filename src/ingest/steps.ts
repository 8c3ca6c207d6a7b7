/**
 * The steps of an ingest, timed only when the caller asks (IngestOptions.onStep):
 * without a listener, `timed` is a plain call, so timing costs nothing when unused.
 */
/**
 * discover: finding the files and checking which DuckDB may read itself;
 * node path: waiting for the Node readers of the batch (they run beside the
 * load); hashing: waiting for the batch's log-file SHA-256s (they are hashed
 * beside the load: this is only the wait); staging: DuckDB reading the
 * batch's regular log files into its staging table; dedup: the batch's keys,
 * and its duplicates and conflicts; insert: the rows into the table (the
 * derived columns with them); side tables, log-file evidence, checkpoint.
 */
export const INGEST_STEPS = [
  'discover',
  'node path',
  'hashing',
  'staging',
  'dedup',
  'insert',
  'side tables',
  'log-file evidence',
  'checkpoint',
] as const;

export type IngestStep = (typeof INGEST_STEPS)[number];

/** Told the milliseconds of each step as it ends (a step can run many times: once per batch). */
export type StepListener = (step: IngestStep, ms: number) => void;

/** Runs `work`, telling `listener` (if any) how long it took. */
export async function timed<T>(listener: StepListener | undefined, step: IngestStep, work: () => Promise<T>): Promise<T> {
  if (!listener) return work();
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    listener(step, performance.now() - t0);
  }
}
