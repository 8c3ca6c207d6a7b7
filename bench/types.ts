/** One row of the benchmark table. Times in milliseconds. */
export interface BenchRow {
  name: string;
  p50: number;
  p95: number;
  /** The same SQL run directly on the engine: the baseline of the same run. */
  directP50?: number;
  directP95?: number;
  /** What the issue asks, e.g. "p50 < 20 ms". */
  target?: string;
  /** Free text: counts, ratios. */
  note?: string;
}
