/** What a test can ask of the emulator. All times in milliseconds. */
export interface EmulatorKnobs {
  /** Time a query spends QUEUED before it runs. */
  queueMs: number;
  /** Send each query back from RUNNING to QUEUED once (Athena does on capacity loss). */
  requeue: boolean;
  /** Extra time a query spends RUNNING (a slow query). */
  runMs: number;
  /** Most rows per GetQueryResults page, header included (Athena: MaxResults, at most 1000). */
  pageSize: number;
  /** The account's active-query quota: a start beyond it is TooManyRequestsException. */
  activeQueryLimit: number;
  /** The database statements must name (null: any). */
  database: string | null;
  /** Report DataScannedInBytes from partition pruning (parses each new statement text: off for speed where unused). */
  accountBytes: boolean;
}

export const DEFAULT_KNOBS: EmulatorKnobs = Object.freeze({
  queueMs: 2,
  requeue: false,
  runMs: 0,
  pageSize: 1000,
  activeQueryLimit: 1000,
  database: null,
  accountBytes: true,
});

/** What the emulator saw, for assertions and the benchmark. */
export interface EmulatorStats {
  /** Calls received per operation (throttled ones included). */
  calls: Record<string, number>;
  /** StartQueryExecution calls that created a query (reused results included). */
  started: number;
  /** Queries executed on DuckDB. */
  executed: number;
  /** Queries answered from a previous result. */
  reused: number;
  /** Calls answered with a throttling error. */
  throttled: number;
  /** Queries stopped while QUEUED or RUNNING. */
  stopped: string[];
  /** The most queries QUEUED or RUNNING at once. */
  maxActive: number;
  /** DataScannedInBytes summed over every query. */
  bytesScanned: number;
  statements: Array<{ id: string; query: string; parameters: string[] }>;
}

export function emptyStats(): EmulatorStats {
  return { calls: {}, started: 0, executed: 0, reused: 0, throttled: 0, stopped: [], maxActive: 0, bytesScanned: 0, statements: [] };
}
