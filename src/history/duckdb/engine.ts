import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Row, RunOptions, SqlEngine, StatementStats } from '../engine';
import { Sql } from '../sql/sql';
import { DERIVED_COLUMNS } from '../derive';
import { TABLE, createTableSql } from '../table';
import { COMPAT_MACROS, toDuckDbSql } from './compat';
import { rowsOf } from './result-rows';
import { DERIVATIONS_MARK, createSideTables, fillSideTables, tableComment } from './side-tables';
import { createIntegrityTables } from '../../integrity/store-tables';

/** The oldest DuckDB storage format with per-column compression (USING COMPRESSION); readable by DuckDB 1.2 and later. */
const STORAGE_VERSION = 'v1.2.0';

/**
 * A store written by an earlier version lacks the derived columns
 * (derive.ts DERIVED_COLUMNS), or holds values computed with other rules
 * (its comment names another DERIVATIONS_VERSION): they are added and
 * computed once, here.
 */
async function addDerivedColumns(conn: DuckDBConnection): Promise<void> {
  const reader = await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${TABLE}'`);
  const present = new Set(reader.getRows().map(([name]) => String(name)));
  const missing = DERIVED_COLUMNS.filter(([name]) => !present.has(name));
  const current = (await tableComment(conn, TABLE)) === DERIVATIONS_MARK;
  if (missing.length === 0 && current) return;
  for (const [name, , type] of missing) await conn.run(`ALTER TABLE ${TABLE} ADD COLUMN ${name} ${type}`);
  const stale = current ? missing : DERIVED_COLUMNS;
  if (stale.length) await conn.run(toDuckDbSql(`UPDATE ${TABLE} SET ${stale.map(([name, rule]) => `${name} = ${rule.text}`).join(', ')}`));
  await conn.run(`COMMENT ON TABLE ${TABLE} IS '${DERIVATIONS_MARK}'`);
}

/**
 * The embedded engine. A small pool of connections lets concurrent requests
 * run in parallel (DuckDB runs one statement per connection at a time).
 */
export class DuckDbEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements = true;
  // The store computes a row's day from its eventTime (table.ts recordToRow, ingest/fast-sql.ts).
  readonly partitionDays = 'event' as const;
  private next = 0;

  private constructor(readonly instance: DuckDBInstance, private readonly pool: DuckDBConnection[]) {}

  /**
   * `memoryLimitMb` caps DuckDB's memory (its buffer cache of the store file
   * and its working memory). Without it DuckDB takes up to 80% of the
   * machine's memory and, serving a large store, keeps what it read cached:
   * at 10M events a server grew past 4 GiB. A server opens its store with
   * --db-memory-mb; tools that run briefly keep DuckDB's default.
   */
  static async open(path: string, poolSize = 2, memoryLimitMb?: number): Promise<DuckDbEngine> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // New store files get storage version 1.2, which honours the per-column compression of the table
    // (raw is ZSTD: a fraction of the size and write time). Existing files keep their version and stay readable.
    const instance = await DuckDBInstance.create(path, {
      storage_compatibility_version: STORAGE_VERSION,
      ...(memoryLimitMb === undefined ? {} : { memory_limit: `${memoryLimitMb}MB` }),
    });
    // The store holds every caller's history: readable by its owner only, whatever the umask made it.
    if (path !== ':memory:') for (const f of [path, `${path}.wal`]) if (existsSync(f)) chmodSync(f, 0o600);
    const pool: DuckDBConnection[] = [];
    for (let i = 0; i < poolSize; i++) {
      const c = await instance.connect();
      for (const stmt of COMPAT_MACROS) await c.run(stmt);
      pool.push(c);
    }
    await pool[0].run(createTableSql());
    await addDerivedColumns(pool[0]);
    // A store written before a side table existed (or an ingest cut short) gets the rows it lacks.
    await createSideTables(pool[0]);
    await createIntegrityTables(pool[0]);
    await fillSideTables(pool[0]);
    return new DuckDbEngine(instance, pool);
  }

  /** A dedicated connection (with the compatibility macros) for bulk work such as ingest. */
  async connect(): Promise<DuckDBConnection> {
    const c = await this.instance.connect();
    for (const stmt of COMPAT_MACROS) await c.run(stmt);
    return c;
  }

  async query(statement: Sql, options: RunOptions = {}): Promise<{ rows: Row[]; stats: StatementStats }> {
    options.signal?.throwIfAborted();
    const conn = this.pool[this.next++ % this.pool.length];
    const started = performance.now();
    const rows = rowsOf(await conn.run(toDuckDbSql(statement.text), [...statement.params]));
    return { rows, stats: { engineMs: performance.now() - started, bytesScanned: 0 } };
  }

  async ping(): Promise<void> {
    await this.pool[0].run('SELECT 1');
  }

  async close(): Promise<void> {
    for (const c of this.pool) c.closeSync();
    this.instance.closeSync();
  }
}
