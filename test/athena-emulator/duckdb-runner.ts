import { DuckDBConnection } from '@duckdb/node-api';
import { toDuckDbSql } from '../../src/history/duckdb/compat';
import { TOUCHES } from '../../src/history/graph/touches';
import { TABLE } from '../../src/history/table';
import { LiteralValue } from './literals';
import { Partition, Scan, bridgeGrammarGaps, historyScansOf, markPlaceholders, mayRead, parseTrino } from './partitions';
import { ResultSet, toResultSet } from './result-set';
import { ParquetBytes } from './parquet-bytes';

/** Where the runner's connections come from: the tests' DuckDB store, or the Parquet views (parquet-store.ts). */
export interface Connector {
  connect(): Promise<DuckDBConnection>;
}

/**
 * Athena's "$path" pseudo-column (the S3 object a row was read from): here,
 * the log file ingest recorded for the row's event (src/integrity), under
 * the bucket EMULATED_BUCKET. A statement names the table unqualified.
 */
export const EMULATED_BUCKET = 'emulated-trail-bucket';

function withPath(text: string): string {
  if (!text.includes('"$path"')) return text;
  return text.replace(/"\$path"/g, `(SELECT 's3://${EMULATED_BUCKET}/' || elf.file_key FROM event_log_files elf WHERE elf.eventid = ${TABLE}.eventid)`);
}

/**
 * Runs statements for the emulator on the DuckDB store the tests populated,
 * through the same compatibility layer as the embedded engine, each on a
 * connection of its own so that queries run side by side as on Athena.
 */
export class DuckDbRunner {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private partitions: Promise<Array<{ p: Partition; bytes: number }>> | null = null;
  private readonly scans = new Map<string, Scan[] | null>();

  /** `parquet`: bill as Athena bills the Parquet tables (parquet-bytes.ts) instead of the JSON log files. */
  constructor(private readonly engine: Connector, private readonly parquet: ParquetBytes | null = null) {}
  private parquetLoaded: Promise<void> | null = null;

  private opening: Promise<unknown> = Promise.resolve();

  private async connection(): Promise<DuckDBConnection> {
    const c = this.idle.pop();
    if (c) return c;
    // One at a time: each new connection (re)creates the compatibility macros,
    // and two catalog writes at once conflict in DuckDB.
    const fresh = this.opening.then(() => this.engine.connect());
    this.opening = fresh.catch(() => undefined);
    const conn = await fresh;
    this.all.push(conn);
    return conn;
  }

  /** Statements still running: close waits for them (a stopped execution's statement runs on in DuckDB). */
  private readonly running = new Set<Promise<unknown>>();

  async execute(text: string, values: readonly LiteralValue[]): Promise<ResultSet> {
    const c = await this.connection();
    const run = c.runAndReadAll(toDuckDbSql(this.parquet ? text : withPath(text)), [...values]);
    this.running.add(run);
    try {
      return toResultSet(await run);
    } finally {
      this.running.delete(run);
      this.idle.push(c);
    }
  }

  /** Forget the partition sizes (after the tests change the data). */
  refreshPartitions(): void {
    this.partitions = null;
    this.parquetLoaded = null;
  }

  private partitionSizes(): Promise<Array<{ p: Partition; bytes: number }>> {
    this.partitions ??= (async () => {
      const c = await this.connection();
      try {
        const reader = await c.runAndReadAll(
          `SELECT account, region, day, sum(coalesce(strlen(raw), 0)) AS bytes FROM ${TABLE} GROUP BY account, region, day`,
        );
        return reader.getRowObjectsJS().map((r) => ({
          p: { account: String(r.account), region: String(r.region), day: String(r.day) },
          bytes: Number(r.bytes),
        }));
      } finally {
        this.idle.push(c);
      }
    })();
    return this.partitions;
  }

  /**
   * What Athena would bill: the bytes of every partition each scan of the
   * table may read after pruning on its partition predicates (the records'
   * JSON text stands for the log files). A statement the parser cannot read
   * is charged a full scan per mention of the table.
   */
  async bytesScanned(text: string, values: readonly LiteralValue[]): Promise<number> {
    if (this.parquet) return this.parquetBytes(this.parquet, text, values);
    const sizes = await this.partitionSizes();
    const total = sizes.reduce((n, s) => n + s.bytes, 0);
    const scans = this.scansOf(text);
    if (!scans) return total * (text.match(new RegExp(`\\b(${TABLE}|${TOUCHES})\\b`, 'gi'))?.length ?? 1);
    return scans.reduce((n, scan) => n + sizes.filter((s) => mayRead({ ...scan, params: values }, s.p)).reduce((m, s) => m + s.bytes, 0), 0);
  }

  private async parquetBytes(model: ParquetBytes, text: string, values: readonly LiteralValue[]): Promise<number> {
    this.parquetLoaded ??= (async () => {
      const c = await this.connection();
      try {
        await model.load(c);
      } finally {
        this.idle.push(c);
      }
    })();
    await this.parquetLoaded;
    return model.bytesScanned(text, values);
  }

  /** The table's scans in the statement (parsed once per text); null when the parser cannot read it. */
  private scansOf(text: string): Scan[] | null {
    if (!this.scans.has(text)) {
      let scans: Scan[] | null;
      try {
        scans = historyScansOf(parseTrino(bridgeGrammarGaps(markPlaceholders(text))));
      } catch {
        scans = null;
      }
      this.scans.set(text, scans);
    }
    return this.scans.get(text) ?? null;
  }

  /** Closes the connections once no statement runs on them: closing one under a running statement can crash the process. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
    for (const c of this.all) c.closeSync();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
