import { DuckDBConnection } from '@duckdb/node-api';
import { TOUCHES, TOUCH_COLUMNS, touchesSelect } from '../graph/touches';
import { toDuckDbSql } from './compat';

/**
 * The embedded store keeps the resource touches (graph/touches.ts) as a
 * table. Each touch carries `src_row`, the rowid of its event: the events
 * table only ever grows (ingest appends, nothing deletes), so the rows past
 * the last touched one are exactly those whose touches may be missing.
 */
const SOURCE_ROW = 'src_row';

export function createTouchesTableSql(): string {
  const columns = [...TOUCH_COLUMNS, [SOURCE_ROW, 'BIGINT'] as const].map(([name, type]) => `${name} ${type}`);
  return `CREATE TABLE IF NOT EXISTS ${TOUCHES} (${columns.join(', ')})`;
}

const names = (cols: ReadonlyArray<readonly [string, string]>) => cols.map(([n]) => n);
const EVENT_NAMES = names(TOUCH_COLUMNS).filter((n) => !n.startsWith('resource_'));
const TARGET = [...EVENT_NAMES, SOURCE_ROW, 'resource_arn', 'resource_type', 'resource_account'].join(', ');

/**
 * Writes the touches of every event that has none yet: the events stored
 * since the last fill (an ingest batch, or a whole store written before
 * touches existed). One statement, so an interrupted fill leaves nothing
 * half done and the next one starts from the same place. Returns the
 * touches written.
 */
export async function fillTouches(conn: DuckDBConnection): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT coalesce(max(${SOURCE_ROW}), -1) FROM ${TOUCHES}`);
  const last = Number(reader.getRows()[0][0]);
  // The scan reads only the row groups past `last` (DuckDB prunes on rowid); with no new rows it reads none.
  const select = touchesSelect(`rowid > ${last}`, [['rowid', SOURCE_ROW]]);
  // The select names the columns in TOUCH_COLUMNS order with src_row after the event's own.
  const result = await conn.run(toDuckDbSql(`INSERT INTO ${TOUCHES} (${TARGET}) ${select}`));
  return result.rowsChanged;
}
