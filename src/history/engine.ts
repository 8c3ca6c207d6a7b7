import { PartitionDays } from './event-filter';
import { Sql } from './sql/sql';

/**
 * What an engine returns: scalar values only. Statements return lists and
 * structs as JSON text (json_format(CAST(x AS JSON))), because Athena's result
 * set renders them in no parseable form.
 */
export type Scalar = string | number | boolean | null;
export type Row = Record<string, Scalar>;

export interface StatementStats {
  /** Engine-side milliseconds (Athena's EngineExecutionTimeInMillis; wall time on DuckDB). */
  engineMs: number;
  bytesScanned: number;
}

export interface RunOptions {
  signal?: AbortSignal;
}

/** One engine runs the builder's SQL text (Trino dialect) unchanged in meaning. */
export interface SqlEngine {
  readonly name: 'duckdb' | 'athena';
  /**
   * Whether several narrow statements cost less than one wide one. True on
   * the embedded store, where a statement costs about a millisecond to start
   * and a top-N costs in proportion to the rows of its window; false on
   * Athena, where each statement takes seconds to start and bills a minimum scan.
   */
  readonly prefersNarrowStatements: boolean;
  /** What the table's partition day is (boundPredicate): the log file's delivery day, or the event's own day. */
  readonly partitionDays: PartitionDays;
  query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }>;
  /** Throws unless the engine answers now, at no cost (readiness: /readyz). */
  ping?(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
