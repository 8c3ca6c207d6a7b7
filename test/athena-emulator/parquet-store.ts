import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { COMPACT_TABLES } from '../../src/compact';
import { COMPAT_MACROS } from '../../src/history/duckdb/compat';
import { PRINCIPAL_DAYS } from '../../src/history/graph/principal-days';
import { TOUCHES } from '../../src/history/graph/touches';
import { TABLE } from '../../src/history/table';

/**
 * The emulator's Parquet mode: what `trailgraph compact` wrote to a folder,
 * read as Athena reads the tables of `athena-ddl --format parquet`. An
 * in-memory DuckDB whose `cloudtrail`, `cloudtrail_touches` and
 * `cloudtrail_principal_days` hold what read_parquet reads from each
 * table's folder, loaded when the emulator starts and on dataChanged():
 * every answer comes from the files' contents, and a statement does not
 * open every small file again (what it would be billed is parquet-bytes.ts).
 * The partition columns come from the files (compact keeps them there too):
 * DuckDB's hive reader would take `day=2026/11/21/` for day 2026.
 */
const RELATIONS: Readonly<Record<string, string>> = { events: TABLE, touches: TOUCHES, principal_days: PRINCIPAL_DAYS };

/** The table folder of a relation name the statements use. */
export function folderOf(relation: string): string | undefined {
  return Object.entries(RELATIONS).find(([, r]) => r === relation.toLowerCase())?.[0];
}
export const RELATION_NAMES: readonly string[] = Object.values(RELATIONS);

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((f) => (statSync(join(dir, f)).isDirectory() ? hasParquet(join(dir, f)) : f.endsWith('.parquet')));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class ParquetStore {
  private constructor(readonly dir: string, private readonly instance: DuckDBInstance) {}

  static async open(dir: string): Promise<ParquetStore> {
    const store = new ParquetStore(dir, await DuckDBInstance.create(':memory:'));
    await store.refresh();
    return store;
  }

  /** A connection with the compatibility macros (the views are the instance's). */
  async connect(): Promise<DuckDBConnection> {
    const c = await this.instance.connect();
    for (const stmt of COMPAT_MACROS) await c.run(stmt);
    return c;
  }

  /** (Re)creates the views over what the folder holds now; a table with no file yet is empty. */
  async refresh(): Promise<void> {
    const c = await this.instance.connect();
    try {
      for (const t of COMPACT_TABLES) {
        const folder = join(this.dir, t.folder);
        const relation = RELATIONS[t.folder];
        await c.run(`DROP TABLE IF EXISTS ${relation}`);
        if (hasParquet(folder)) {
          await c.run(`CREATE TABLE ${relation} AS SELECT * FROM read_parquet(${quote(`${folder}/**/*.parquet`)}, hive_partitioning = false, union_by_name = true) ORDER BY day_number`);
        } else {
          await c.run(`CREATE TABLE ${relation} (${t.columns.map(([n, type]) => `${n} ${type}`).join(', ')})`);
        }
      }
    } finally {
      c.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}
