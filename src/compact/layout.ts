import { DERIVATIONS_VERSION } from '../history/derive';
import { COLUMNS, DERIVED_COLUMN_NAMES, TABLE } from '../history/table';
import { PRINCIPAL_DAYS, PRINCIPAL_DAY_COLUMNS } from '../history/graph/principal-days';
import { TOUCHES, TOUCH_COLUMNS } from '../history/graph/touches';
import { EVENT_LOG_FILES } from '../integrity/store-tables';
import { LOG_FILE_COLUMN } from '../history/athena/parquet-format';

export { LOG_FILE_COLUMN };

/**
 * What `compact` writes under its destination, and where: one folder per
 * table, Hive-style `key=value` folders per partition, the day as the
 * history table holds it (yyyy/MM/dd, so `day=2026/11/21/`: the path Athena's
 * partition projection renders from the same `storage.location.template`,
 * athena/parquet-ddl.ts), Parquet files `part-N.parquet` in each.
 *
 * The partition columns are also kept inside the files: Athena takes a
 * partition column from the path and ignores a file column of that name,
 * and a reader that does not parse the layout (DuckDB's hive reader would
 * stop at the day's first slash) still has them.
 */
export const LAYOUT_VERSION = `trailgraph-parquet 1, derivations ${DERIVATIONS_VERSION}`;
export const MANIFEST_KEY = '_trailgraph_manifest.json';

export type PartitionColumn = 'account' | 'region' | 'day';

export interface CompactTable {
  /** Folder under the destination (also the Athena table's suffix). */
  folder: string;
  /** Which partition columns, in path order. */
  partitionBy: readonly PartitionColumn[];
  /** The select of the rows of one partition (the WHERE is appended), Trino-compatible DuckDB text. */
  select: string;
  /** Column names and DuckDB types, in file order (partition columns included). */
  columns: ReadonlyArray<readonly [string, string]>;
  /** Order of rows inside a file: eventtime for the events, so row groups' min/max on it are narrow. */
  orderBy: string;
}

/**
 * The events: the table's columns, raw as delivered, the derived columns,
 * and `log_file`, the key of the log file the event was read from (Athena's
 * "$path" names the Parquet file over this table, so the engine reads this
 * column instead: athena/engine.ts).
 */
const EVENT_COLUMNS = [...COLUMNS, ...DERIVED_COLUMN_NAMES.map((n) => [n, n === 'day_number' ? 'INTEGER' : 'VARCHAR'] as const), [LOG_FILE_COLUMN, 'VARCHAR'] as const];

export const COMPACT_TABLES: readonly CompactTable[] = [
  {
    folder: 'events',
    partitionBy: ['account', 'region', 'day'],
    select: `SELECT ${[...COLUMNS.map(([n]) => `e.${n}`), ...DERIVED_COLUMN_NAMES.map((n) => `e.${n}`)].join(', ')},
  (SELECT min(f.file_key) FROM ${EVENT_LOG_FILES} f WHERE f.eventid = e.eventid) AS ${LOG_FILE_COLUMN}
FROM ${TABLE} e`,
    columns: EVENT_COLUMNS,
    orderBy: 'eventtime, eventid',
  },
  {
    folder: 'touches',
    partitionBy: ['account', 'region', 'day'],
    select: `SELECT ${TOUCH_COLUMNS.map(([n]) => n).join(', ')} FROM ${TOUCHES} e`,
    columns: TOUCH_COLUMNS,
    orderBy: 'eventtime, eventid, resource_arn',
  },
  {
    folder: 'principal_days',
    partitionBy: ['account', 'day'],
    select: `SELECT ${PRINCIPAL_DAY_COLUMNS.map(([n]) => n).join(', ')} FROM ${PRINCIPAL_DAYS} e`,
    columns: PRINCIPAL_DAY_COLUMNS,
    orderBy: 'principal_arn, eventname',
  },
];

/** One partition of the events: its coordinates. */
export interface PartitionKey {
  account: string;
  region: string;
  day: string;
}

/** The Hive folder of a table's partition, relative to the destination (ends with '/'). */
export function partitionFolder(table: CompactTable, p: PartitionKey): string {
  return `${table.folder}/${table.partitionBy.map((c) => `${c}=${pathValue(c, p[c])}`).join('/')}/`;
}

/**
 * A partition value as a path segment: a day as yyyy/MM/dd (its slashes are
 * the layout's), accounts and regions as they are when plain (letters,
 * digits, '-', '_'); anything else a record may carry is %XX-escaped as Hive
 * escapes it (dots and slashes too), so no value can climb out of its folder.
 */
function pathValue(column: PartitionColumn, value: string): string {
  if (column === 'day' && /^\d{4}\/\d{2}\/\d{2}$/.test(value)) return value;
  if (value === '') return '__HIVE_DEFAULT_PARTITION__';
  return [...value].map((ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : [...Buffer.from(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))).join('');
}

/** The partition of a table a events partition belongs to, as a manifest key. */
export function partitionId(table: CompactTable, p: PartitionKey): string {
  return table.partitionBy.map((c) => p[c]).join('|');
}
