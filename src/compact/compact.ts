import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { Destination } from './destination';
import { DayRange, PartitionFingerprint, partitionFingerprints } from './fingerprints';
import { COMPACT_TABLES, CompactTable, MANIFEST_KEY, PartitionKey, partitionFolder, partitionId } from './layout';
import { Manifest, manifestText, parseManifest } from './manifest';

/**
 * Writes the store's events and side tables as Parquet under a destination
 * (layout.ts), incrementally: only the partitions whose events changed since
 * the manifest was written, and their side-table partitions. A compact with
 * nothing new writes nothing, not even the manifest.
 *
 * Files: ZSTD, row groups of DuckDB's default size (122,880 rows). A
 * partition of at most one row group is written with the others in one
 * partitioned COPY (one scan for all of them); a larger one is written on
 * its own, its rows ordered by eventtime (so each row group's min/max
 * statistics on eventtime are narrow) and a new file started past
 * maxFileBytes (DuckDB cannot cap file sizes of a partitioned COPY).
 */
export interface CompactOptions extends DayRange {
  /** Largest file before DuckDB starts the next one (its FILE_SIZE_BYTES); default 128MB. */
  maxFileBytes?: string;
  /** Rows per row group (DuckDB's ROW_GROUP_SIZE); default DuckDB's, 122,880. */
  rowGroupRows?: number;
  /** Folder for DuckDB's scratch files (default: the system's temporary folder). */
  scratch?: string;
}

export interface CompactReport {
  /** Events partitions in the range. */
  partitions: number;
  /** Those written (new or changed). */
  changed: number;
  events: number;
  filesWritten: number;
  filesRemoved: number;
  bytesWritten: number;
}

/** DuckDB's default row group size: a partition with more rows has more than one row group. */
const ROW_GROUP_ROWS = 122_880;
const TARGETS = 'compact_targets';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface Target {
  id: string;
  key: PartitionKey;
  dayNumber: number;
  rows: number;
}

/** The table's partitions the changed events partitions fall in (principal days: one per account and day). */
function targetsOf(table: CompactTable, changed: readonly PartitionFingerprint[]): Target[] {
  const out = new Map<string, Target>();
  for (const p of changed) {
    const id = partitionId(table, p);
    const t = out.get(id) ?? { id, key: p, dayNumber: p.dayNumber, rows: 0 };
    t.rows += p.events;
    out.set(id, t);
  }
  return [...out.values()];
}

/** The key columns of a table's partitions: the day as its number (the store's rows are bounded by it). */
const keyColumns = (table: CompactTable) => table.partitionBy.map((c) => (c === 'day' ? 'day_number' : c));

/** Records the partitions a batched COPY writes in a temporary table it joins (values bound, never spliced). */
async function recordTargets(conn: DuckDBConnection, table: CompactTable, targets: readonly Target[]): Promise<void> {
  const keys = keyColumns(table);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${TARGETS} (${keys.map((k) => `${k} ${k === 'day_number' ? 'INTEGER' : 'VARCHAR'}`).join(', ')})`);
  const per = Math.floor(900 / keys.length);
  for (let i = 0; i < targets.length; i += per) {
    const chunk = targets.slice(i, i + per);
    const values = chunk.flatMap((t) => table.partitionBy.map((c) => (c === 'day' ? t.dayNumber : t.key[c])));
    await conn.run(`INSERT INTO ${TARGETS} VALUES ${chunk.map(() => `(${keys.map(() => '?').join(', ')})`).join(', ')}`, values);
  }
}

/** One partition on its own: ordered by eventtime, files capped. Its key values (from the logs) are bound, as recordTargets binds them. */
async function writeOne(conn: DuckDBConnection, table: CompactTable, t: Target, dir: string, maxFileBytes: string, rowGroupRows: number): Promise<void> {
  const keys = keyColumns(table);
  const values = table.partitionBy.map((c) => (c === 'day' ? t.dayNumber : t.key[c]));
  // DuckDB binds a COPY's target before its query (src/export/run.ts): the folder is the first parameter.
  await conn.run(
    `COPY (${table.select} WHERE ${keys.map((k) => `e.${k} = ?`).join(' AND ')} ORDER BY ${table.orderBy}) TO ?
     (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows}, FILE_SIZE_BYTES ${quote(maxFileBytes)}, FILENAME_PATTERN 'part-{i}')`,
    [dir, ...values],
  );
}

/** Many partitions in one COPY; DuckDB writes a Hive folder per partition (values %-escaped). */
async function writeBatch(conn: DuckDBConnection, table: CompactTable, targets: readonly Target[], dir: string, rowGroupRows: number): Promise<Map<string, string>> {
  await recordTargets(conn, table, targets);
  const keys = keyColumns(table);
  await conn.run(
    `COPY (${table.select} WHERE (${keys.map((k) => `e.${k}`).join(', ')}) IN (SELECT ${keys.join(', ')} FROM ${TARGETS}) ORDER BY ${table.orderBy}) TO ${quote(dir)}
     (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows}, PARTITION_BY (${table.partitionBy.join(', ')}), WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'part-{i}')`,
  );
  // Each leaf folder (account=A/region=R/day=2026%2F11%2F21) → its partition id.
  const folders = new Map<string, string>();
  const walk = (d: string, values: Record<string, string>) => {
    for (const name of readdirSync(d)) {
      const eq = name.indexOf('=');
      if (eq < 0 || !statSync(join(d, name)).isDirectory()) continue;
      const next = { ...values, [name.slice(0, eq)]: decodeURIComponent(name.slice(eq + 1)) };
      if (Object.keys(next).length === table.partitionBy.length) folders.set(table.partitionBy.map((c) => next[c]).join('|'), join(d, name));
      else walk(join(d, name), next);
    }
  };
  walk(dir, {});
  return folders;
}

function parquetFiles(dir: string | undefined): string[] {
  if (!dir) return [];
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();
  } catch {
    return []; // a partition without rows (no touches that day) has no folder
  }
}

export async function compactStore(engine: DuckDbEngine, dest: Destination, opts: CompactOptions = {}): Promise<CompactReport> {
  const conn = await engine.connect();
  const scratch = mkdtempSync(join(opts.scratch ?? tmpdir(), 'trailgraph-compact-'));
  try {
    const stored = await dest.read(MANIFEST_KEY);
    const manifest: Manifest = parseManifest(stored);
    const all = await partitionFingerprints(conn, opts);
    const changed = all.filter((p) => manifest.partitions[p.id] !== p.fingerprint);
    const rowGroupRows = Math.max(1, Math.floor(opts.rowGroupRows ?? ROW_GROUP_ROWS));
    const report: CompactReport = { partitions: all.length, changed: changed.length, events: 0, filesWritten: 0, filesRemoved: 0, bytesWritten: 0 };
    if (changed.length === 0 && stored !== null) return report;
    let n = 0;
    for (const table of COMPACT_TABLES) {
      const files = (manifest.files[table.folder] ??= {});
      const targets = targetsOf(table, changed);
      const batch = join(scratch, `${table.folder}-batch`);
      const small = targets.filter((t) => t.rows <= rowGroupRows);
      const batched = small.length ? await writeBatch(conn, table, small, batch, rowGroupRows) : new Map<string, string>();
      for (const t of targets) {
        let dir = batched.get(t.id);
        if (t.rows > rowGroupRows) {
          dir = join(scratch, String(n++));
          await writeOne(conn, table, t, dir, opts.maxFileBytes ?? '128MB', rowGroupRows);
        }
        const names = parquetFiles(dir);
        const keys = names.map((f) => `${partitionFolder(table, t.key)}${f}`);
        for (const [i, f] of names.entries()) {
          await dest.put(keys[i], join(dir as string, f));
          report.bytesWritten += statSync(join(dir as string, f)).size;
        }
        report.filesWritten += keys.length;
        const stale = (files[t.id] ?? []).filter((k) => !keys.includes(k));
        await dest.remove(stale);
        report.filesRemoved += stale.length;
        files[t.id] = keys;
      }
      rmSync(batch, { recursive: true, force: true });
    }
    for (const p of changed) {
      manifest.partitions[p.id] = p.fingerprint;
      report.events += p.events;
    }
    // Last: a compact cut short leaves the manifest as it was, and the next one writes those partitions again.
    await dest.putText(MANIFEST_KEY, manifestText(manifest));
    return report;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${TARGETS}`).catch(() => undefined);
    conn.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
}
