/** What an ingest reports: counts in equal counts out plus counts reported. */
import { StepListener } from './steps';

/** A rejected file or record: where it was, and why. */
export interface IngestProblem {
  path: string;
  /** "line 12" (JSON Lines), "Records[17]", "Events[3]", "[4]" (a bare array); absent for the file as a whole. */
  position?: string;
  reason: string;
}

/** One input file's account: records = stored + duplicates + rejected. */
export interface FileReport {
  path: string;
  /** Digest files are recognised and skipped (their records are not events). */
  digest: boolean;
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** The file could not be read whole (not JSON, truncated, ...): what was read is counted above. */
  failed: boolean;
}

export interface IngestSummary {
  /** Input files read (digest files included). */
  files: number;
  digestFiles: number;
  /** Files that could not be read whole (each is also in `problems`). */
  failedFiles: number;
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
  problems: IngestProblem[];
  perFile: FileReport[];
  elapsedMs: number;
  /** Ingest of sources (src/sources): objects listed, skipped as already read, read, and failed (not marked read; tried again next time). */
  objects?: { listed: number; skipped: number; read: number; failed: number };
  /** What the store holds after the ingest. */
  store?: { events: number; firstEventTime: string | null; lastEventTime: string | null; accounts: string[] };
  /** Files in the named folders not named like log files (SOURCES.md, .tsv): not read, counted. */
  skipped?: string[];
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  records: number;
  stored: number;
}

export interface IngestOptions {
  onProgress?: (p: IngestProgress) => void;
  onProblem?: (p: IngestProblem) => void;
  /**
   * Threads that decode and parse files. Default: one per core but one (at
   * least one, at most four) for large inputs; none (in-process) for small
   * ones, where starting threads costs more than it saves.
   */
  workers?: number;
  /** Rows per bulk load (default 122,880: one DuckDB row group). */
  batchRows?: number;
  /**
   * Let DuckDB read regular CloudTrail log files itself (default true); off,
   * every file is read on the Node path. The result is the same either way.
   */
  fastPath?: boolean;
  /**
   * The store serves queries meanwhile (a follow batch in the serving
   * process): keep its settings (threads, memory limit), which are the whole
   * database's, and leave checkpoints to DuckDB's own (by WAL size).
   */
  shareStore?: boolean;
  /** Which path read each file: DuckDB itself ('fast') or Node ('node'). Digest files count as 'node'. */
  onRoute?: (path: string, route: 'fast' | 'node') => void;
  /** Told the time of each step (steps.ts) as it ends, per batch: for the bench; nothing is timed without it. */
  onStep?: StepListener;
}
