import { decodeCursor, encodeCursor } from './cursor';
import { EVENT_COLUMNS, StoredEvent, toStoredEvent } from './event-row';
import { EventProjection, innerColumns, nullOutputColumns, outputColumns } from './event-projection';
import { EventCriteria, PartitionDays, Scope, SessionPredicate, boundPredicate, accountsPredicate, criteriaPredicate, dayIn } from './event-filter';
import { EventKey } from './ids';
import { Page, PageRequest, SortOrder } from './page';
import { Sql, and, sql, trusted } from './sql/sql';
import { TABLE } from './table';
import { narrowWindow } from './page-slices';
import { TimeWindow } from './window';

export function eventCursor(e: StoredEvent): string {
  return encodeCursor([e.eventTime, e.key.eventId]);
}

function cursorKey(cursor: string, argument: string): [string, string] {
  const [t, id] = decodeCursor(cursor, ['string', 'string'], argument);
  return [t as string, id as string];
}

/** Rows strictly beyond the cursor when travelling in `order`. */
function beyond(key: [string, string], order: SortOrder): Sql {
  const [t, id] = key;
  return order === 'DESC'
    ? sql`eventtime < ${t} OR (eventtime = ${t} AND eventid < ${id})`
    : sql`eventtime > ${t} OR (eventtime = ${t} AND eventid > ${id})`;
}

/** Rows at or before the cursor when travelling in `order` (what a page has "behind" it). */
function behind(key: [string, string], order: SortOrder): Sql {
  return beyond(key, order === 'DESC' ? 'ASC' : 'DESC');
}

function orderBy(order: SortOrder): Sql {
  return trusted(order === 'DESC' ? 'eventtime DESC, eventid DESC' : 'eventtime ASC, eventid ASC');
}

export interface EventsQuery {
  criteria: EventCriteria;
  window: TimeWindow;
  scope: Scope;
  order: SortOrder;
  page: PageRequest;
  sessionPredicate?: SessionPredicate;
  /** The columns the request reads (see EventProjection); every column when absent. */
  projection?: EventProjection;
}

/** The page's direction of travel and its two cursors (start: where it begins; stop: where it must end). */
export function pageTravel(q: EventsQuery): { travel: SortOrder; start: [string, string] | null; stop: [string, string] | null } {
  const after = q.page.after ? cursorKey(q.page.after, 'after') : null;
  const before = q.page.before ? cursorKey(q.page.before, 'before') : null;
  // Forward travels in the asked order from `after`; backward travels the other way from `before`.
  const travel: SortOrder = q.page.direction === 'forward' ? q.order : q.order === 'DESC' ? 'ASC' : 'DESC';
  return q.page.direction === 'forward' ? { travel, start: after, stop: before } : { travel, start: before, stop: after };
}

function instantOf(key: [string, string] | null): Date | null {
  if (!key) return null;
  const t = new Date(key[0]);
  return Number.isNaN(t.getTime()) ? null : t;
}

/** The window the page's rows can come from, once its cursors are applied (see narrowWindow). */
export function pageWindow(q: EventsQuery): TimeWindow {
  const { travel, start, stop } = pageTravel(q);
  return narrowWindow(q.window, travel, instantOf(start), instantOf(stop));
}

/**
 * One statement for one page: the page rows (one extra to know whether more
 * follow) UNION ALL at most one row on the other side of the cursor, so both
 * hasNextPage and hasPreviousPage are exact without a second round trip.
 * `slice` narrows the page rows to part of the page window (see
 * HistoryStore.eventsPage); the other side is asked only when `other` is set;
 * `days` says what the engine's partition day is (see boundPredicate).
 */
export function eventsPageSql(
  q: EventsQuery,
  slice: { window: TimeWindow; other: boolean; days?: PartitionDays } = { window: pageWindow(q), other: true },
): Sql {
  const { travel, start, stop } = pageTravel(q);
  const pageBound = boundPredicate(slice.window, q.scope, slice.days);
  const pageWhere = [pageBound, criteriaPredicate(q.criteria, q.scope, q.sessionPredicate, pageBound)];
  if (start) pageWhere.push(beyond(start, travel));
  if (stop) pageWhere.push(behind(stop, travel));
  // The JSON casts run after the LIMIT, on the rows kept, not on every row of the window.
  const inner = innerColumns(q.projection);
  const output = outputColumns(q.projection);
  const page = sql`SELECT 'page' AS side, ${inner} FROM ${trusted(TABLE)} WHERE ${and(pageWhere)} ORDER BY ${orderBy(travel)} LIMIT ${q.page.size + 1}`;
  if (!start || !slice.other) return sql`SELECT side, ${output} FROM (${page}) p`;
  // Behind the start: the rows the cursor has passed (travelling back from it).
  const back: SortOrder = travel === 'DESC' ? 'ASC' : 'DESC';
  const otherWindow = narrowWindow(q.window, back, instantOf(start), null);
  const otherBound = boundPredicate(otherWindow, q.scope, slice.days);
  const otherWhere = [otherBound, criteriaPredicate(q.criteria, q.scope, q.sessionPredicate, otherBound), behind(start, travel)];
  const other = sql`SELECT 1 AS one FROM ${trusted(TABLE)} WHERE ${and(otherWhere)} LIMIT 1`;
  return sql`SELECT side, ${output} FROM (${page}) p UNION ALL SELECT 'other' AS side, ${nullOutputColumns(q.projection)} FROM (${other}) o`;
}

export function eventsPageFromRows(q: EventsQuery, rows: Record<string, unknown>[]): Page<StoredEvent> {
  const pageRows = rows.filter((r) => r.side === 'page');
  const sorted = pageRows.map((r) => toStoredEvent(r as never));
  // UNION ALL does not promise order: sort again in the travel order.
  const travelDesc = (q.page.direction === 'forward') === (q.order === 'DESC');
  sorted.sort((a, b) => cmp(a, b) * (travelDesc ? -1 : 1));
  const more = sorted.length > q.page.size;
  const items = sorted.slice(0, q.page.size);
  const otherSide = rows.some((r) => r.side === 'other');
  if (q.page.direction === 'backward') items.reverse();
  return q.page.direction === 'forward'
    ? { items, hasNextPage: more, hasPreviousPage: otherSide }
    : { items, hasNextPage: otherSide, hasPreviousPage: more };
}

function cmp(a: StoredEvent, b: StoredEvent): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return a.key.eventId < b.key.eventId ? -1 : a.key.eventId > b.key.eventId ? 1 : 0;
}

/** Point look-ups by id: every key's partition coordinates are in the WHERE. */
export function eventsByKeysSql(keys: readonly EventKey[], scope: Scope): Sql {
  const days = [...new Set(keys.map((k) => k.day))];
  const accounts = [...new Set(keys.map((k) => k.account))];
  const regions = [...new Set(keys.map((k) => k.region))];
  const ids = [...new Set(keys.map((k) => k.eventId))];
  const parts = [dayIn(days, scope), sql`account IN ${accounts}`, sql`region IN ${regions}`, sql`eventid IN ${ids}`];
  const allowed = accountsPredicate(scope);
  if (allowed) parts.push(allowed);
  return sql`SELECT ${EVENT_COLUMNS} FROM ${trusted(TABLE)} WHERE ${and(parts)}`;
}

