import { DuckDBConnection } from '@duckdb/node-api';
import { PRINCIPAL_DAYS, PRINCIPAL_DAY_COLUMNS, principalDaysSelect } from '../graph/principal-days';
import { TOUCHES, TOUCH_COLUMNS, touchesSelect } from '../graph/touches';
import { DERIVATIONS_VERSION } from '../derive';
import { toDuckDbSql } from './compat';

/**
 * The tables the embedded store derives from its events as it stores them:
 * the resource touches (graph/touches.ts) and the principals' daily activity
 * (graph/principal-days.ts). Each of their rows carries `src_row`, the
 * largest rowid of the events it comes from. The events table only ever
 * grows (ingest appends, nothing deletes), and every fill covers all the
 * events past the previous one, so the events past max(src_row) are exactly
 * those not yet derived.
 */
const SOURCE_ROW = 'src_row';

/** What a table's comment says of the rules its derived values were computed with (derive.ts DERIVATIONS_VERSION). */
export const DERIVATIONS_MARK = `trailgraph derivations ${DERIVATIONS_VERSION}`;

/** A table's comment, '' when it has none (or does not exist). */
export async function tableComment(conn: DuckDBConnection, table: string): Promise<string> {
  const reader = await conn.runAndReadAll(`SELECT comment FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = '${table}'`);
  const rows = reader.getRows();
  return rows.length && rows[0][0] !== null ? String(rows[0][0]) : '';
}

interface SideTable {
  name: string;
  columns: ReadonlyArray<readonly [string, string]>;
  /** The select of the rows derived from the events past `last`, with src_row. */
  select: (last: number) => string;
}

const SIDE_TABLES: readonly SideTable[] = [
  {
    name: TOUCHES,
    // src_row follows the event's own columns (touchesSelect's `extra`), before the resource's.
    columns: [...TOUCH_COLUMNS.filter(([n]) => !n.startsWith('resource_')), [SOURCE_ROW, 'BIGINT'], ...TOUCH_COLUMNS.filter(([n]) => n.startsWith('resource_'))],
    select: (last) => touchesSelect(`rowid > ${last}`, [['rowid', SOURCE_ROW]]),
  },
  {
    name: PRINCIPAL_DAYS,
    columns: [...PRINCIPAL_DAY_COLUMNS, [SOURCE_ROW, 'BIGINT']],
    select: (last) => principalDaysSelect(`rowid > ${last}`, [['max(rowid)', SOURCE_ROW]]),
  },
];

/**
 * Creates the side tables a store lacks. A side table written by another
 * version (other columns, or derived by other rules: its comment names
 * another derive.ts DERIVATIONS_VERSION) is dropped and made again: it
 * holds nothing but what fillSideTables derives from the events.
 */
export async function createSideTables(conn: DuckDBConnection): Promise<void> {
  for (const t of SIDE_TABLES) {
    const reader = await conn.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${t.name}' ORDER BY ordinal_position`,
    );
    const present = reader.getRows().map(([name]) => String(name)).join(',');
    const wanted = t.columns.map(([n]) => n).join(',');
    if (present !== '' && (present !== wanted || (await tableComment(conn, t.name)) !== DERIVATIONS_MARK)) await conn.run(`DROP TABLE ${t.name}`);
    await conn.run(`CREATE TABLE IF NOT EXISTS ${t.name} (${t.columns.map(([n, type]) => `${n} ${type}`).join(', ')})`);
    await conn.run(`COMMENT ON TABLE ${t.name} IS '${DERIVATIONS_MARK}'`);
  }
}

/**
 * Derives the rows of every event not yet derived: the events stored since
 * the last fill (an ingest batch, or a whole store written before a table
 * existed). One statement per table, so an interrupted fill leaves nothing
 * half done and the next one starts from the same place. The scans read
 * only the row groups past the last fill (DuckDB prunes on rowid). Returns
 * the rows written per table.
 */
export async function fillSideTables(conn: DuckDBConnection): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const t of SIDE_TABLES) {
    const reader = await conn.runAndReadAll(`SELECT coalesce(max(${SOURCE_ROW}), -1) FROM ${t.name}`);
    const last = Number(reader.getRows()[0][0]);
    const result = await conn.run(toDuckDbSql(`INSERT INTO ${t.name} (${t.columns.map(([n]) => n).join(', ')}) ${t.select(last)}`));
    written[t.name] = result.rowsChanged;
  }
  return written;
}
