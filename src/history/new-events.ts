import { EventCriteria, PartitionDays, Scope, boundPredicate, criteriaPredicate } from './event-filter';
import { innerColumns, outputColumns } from './event-projection';
import { Sql, and, join, sql, trusted } from './sql/sql';
import { TABLE } from './table';
import { TimeWindow } from './window';

/**
 * Events stored since a high-water mark, for subscriptions. The embedded
 * store's events table only ever grows (ingest appends in one writer, nothing
 * deletes), so its row number (`rowid`, as the side tables use it:
 * duckdb/side-tables.ts) orders rows as they landed: the rows past a mark are
 * exactly those stored since it was taken, and reading (mark, upto] once per
 * mark delivers each row once, in the order it landed.
 */
export const ROW_NUMBER = 'rowid';

/** The newest row number (-1 for an empty store): reads no event column. */
export function lastRowSql(): Sql {
  return trusted(`SELECT coalesce(max(${ROW_NUMBER}), -1) AS last_row FROM ${TABLE}`);
}

/** One subscriber's part of a statement: its rows past `after` up to `upto`, within its window, accounts and filter. */
export interface NewEventsPart {
  /** Which subscriber the rows are for (the statement's `sub` column). */
  tag: number;
  after: number;
  upto: number;
  window: TimeWindow;
  scope: Scope;
  criteria: EventCriteria;
}

/**
 * One statement for every subscriber of a notification: for each, at most
 * `limit` of its new rows in row order, bounded like every history
 * statement by its time window and its caller's accounts. Rows carry `sub`
 * (the part's tag) and `seq` (their row number). Every column is read: what
 * a subscriber may see of them is decided by the field guards, as for pages.
 */
export function newEventsSql(parts: readonly NewEventsPart[], limit: number, days: PartitionDays): Sql {
  if (parts.length === 0) throw new Error('newEventsSql: no parts');
  const selects = parts.map((p) => {
    const bound = boundPredicate(p.window, p.scope, days);
    const where = and([
      bound,
      criteriaPredicate(p.criteria, p.scope, undefined, bound),
      sql`${trusted(ROW_NUMBER)} > ${p.after} AND ${trusted(ROW_NUMBER)} <= ${p.upto}`,
    ]);
    const inner = sql`SELECT ${trusted(ROW_NUMBER)} AS seq, ${innerColumns(undefined)} FROM ${trusted(TABLE)} WHERE ${where} ORDER BY seq LIMIT ${limit}`;
    return sql`SELECT ${p.tag} AS sub, seq, ${outputColumns(undefined)} FROM (${inner}) p${trusted(String(p.tag))}`;
  });
  return join(selects, ' UNION ALL ');
}
