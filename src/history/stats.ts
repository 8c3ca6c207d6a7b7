import { EventCategory, eventCategoryToCloudTrail } from '../cloudtrail/event-category';
import { IdentityType, identityTypeToCloudTrail } from '../cloudtrail/identity-type';
import { badInput } from '../errors';
import { CLIENT_TOOL } from './client-tool-sql';
import { ERROR_CODE, IDENTITY_TYPE, PRINCIPAL_ARN } from './derive';
import { Row } from './engine';
import { EventCriteria, Scope, SessionPredicate, boundPredicate, criteriaPredicate, networkGuard } from './event-filter';
import { Sql, and, join, sql, trusted } from './sql/sql';
import { HistoryStore, QueryContext } from './store';
import { TABLE } from './table';
import { TimeWindow } from './window';

/** What events can be counted by. Values that are API enums come back as the enum's name. */
export enum EventDimension {
  EVENT_NAME = 'EVENT_NAME',
  EVENT_SOURCE = 'EVENT_SOURCE',
  ACCOUNT_ID = 'ACCOUNT_ID',
  REGION = 'REGION',
  PRINCIPAL_ARN = 'PRINCIPAL_ARN',
  IDENTITY_TYPE = 'IDENTITY_TYPE',
  ERROR_CODE = 'ERROR_CODE',
  SOURCE_IP_ADDRESS = 'SOURCE_IP_ADDRESS',
  USER_AGENT = 'USER_AGENT',
  EVENT_CATEGORY = 'EVENT_CATEGORY',
  READ_ONLY = 'READ_ONLY',
  CLIENT_TOOL = 'CLIENT_TOOL',
}

export enum TimeBucket {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
}

/** Dimensions whose keys are network details (as Event.sourceIpAddress and Event.userAgent are): ReadNetworkDetails guards them. */
export const NETWORK_DIMENSIONS: readonly EventDimension[] = [EventDimension.SOURCE_IP_ADDRESS, EventDimension.USER_AGENT];

/** Most groups one call may return. */
export const MAX_STATS_LIMIT = 10_000;

/**
 * CASE over a CloudTrail string giving the API enum's name; the same mapping
 * as the Event fields use. The operand is wrapped in CAST (a no-op) because
 * the Trino grammar our dialect check uses refuses a parenthesised operand.
 */
function enumCase<E extends string>(expr: string, values: readonly E[], toCloudTrail: (v: E) => string, otherwise: E): string {
  const whens = values.filter((v) => v !== otherwise).map((v) => `WHEN '${toCloudTrail(v)}' THEN '${v}'`);
  return `(CASE CAST(${expr} AS VARCHAR) ${whens.join(' ')} ELSE '${otherwise}' END)`;
}

/** The SQL expression of each dimension; ACCOUNT_ID and REGION are the partition columns the filter uses too. */
export function dimensionSql(d: EventDimension): Sql {
  switch (d) {
    case EventDimension.EVENT_NAME: return trusted('eventname');
    case EventDimension.EVENT_SOURCE: return trusted('eventsource');
    case EventDimension.ACCOUNT_ID: return trusted('account');
    case EventDimension.REGION: return trusted('region');
    case EventDimension.PRINCIPAL_ARN: return PRINCIPAL_ARN;
    case EventDimension.IDENTITY_TYPE:
      return trusted(enumCase(IDENTITY_TYPE.text, Object.values(IdentityType), identityTypeToCloudTrail, IdentityType.UNKNOWN));
    case EventDimension.ERROR_CODE: return ERROR_CODE;
    case EventDimension.SOURCE_IP_ADDRESS: return trusted('sourceipaddress');
    case EventDimension.USER_AGENT: return trusted('useragent');
    case EventDimension.EVENT_CATEGORY:
      return trusted(enumCase('eventcategory', Object.values(EventCategory), eventCategoryToCloudTrail, EventCategory.MANAGEMENT));
    case EventDimension.READ_ONLY: return trusted(`(CASE lower(readonly) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END)`);
    case EventDimension.CLIENT_TOOL: return CLIENT_TOOL;
  }
}

/**
 * A bucket without parsing a timestamp per row (which costs DuckDB most of
 * the statement): the table holds eventtime as second-precision UTC
 * (YYYY-MM-DDTHH:MM:SSZ, see normalizeEventTime), so a bucket is a prefix of
 * it; a day is the partition column day (YYYY/MM/DD), the cheapest to group
 * by. `first` turns the grouped value into the bucket's first instant, once
 * per group. The same buckets as date_trunc over from_iso8601_timestamp(eventtime).
 */
function bucketSql(b: TimeBucket): { value: string; first: (v: string) => string } {
  switch (b) {
    case TimeBucket.MINUTE: return { value: 'substr(eventtime, 1, 16)', first: (v) => `${v} || ':00Z'` };
    case TimeBucket.HOUR: return { value: 'substr(eventtime, 1, 13)', first: (v) => `${v} || ':00:00Z'` };
    case TimeBucket.DAY: return { value: 'day', first: (v) => `replace(${v}, '/', '-') || 'T00:00:00Z'` };
  }
}

export interface StatsQuery {
  criteria: EventCriteria;
  window: TimeWindow;
  scope: Scope;
  groupBy: readonly EventDimension[];
  bucket: TimeBucket | null;
  limit: number;
  sessionPredicate?: SessionPredicate;
}

export interface EventGroupRow {
  /** One per groupBy dimension, in order; null where the field is absent. */
  keys: (string | null)[];
  bucketStart: Date | null;
  count: number;
}

export function checkStatsLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STATS_LIMIT) {
    throw badInput(`limit must be between 1 and ${MAX_STATS_LIMIT}`, { argument: 'limit', maxLimit: MAX_STATS_LIMIT });
  }
  return limit;
}

/**
 * One statement: the groups (keys k0..kN, the bucket b) and their counts n,
 * within the window, the caller's accounts and the criteria; largest first,
 * or by bucket (then largest first) when bucketed; ties by key so that the
 * answer is the same on every engine. Bucketed, the groups are counted
 * first and their bucket text made after, once per group.
 */
export function eventStatsSql(q: StatsQuery): Sql {
  const limit = checkStatsLimit(q.limit);
  const keys: Sql[] = q.groupBy.map((d, i) => sql`${dimensionSql(d)} AS ${trusted(`k${i}`)}`);
  const keyNames = q.groupBy.map((_d, i) => `k${i}`);
  const keyOrder = keyNames.map((k) => trusted(`${k} ASC NULLS LAST`));
  const bound = boundPredicate(q.window, q.scope);
  // authz: counting by a network detail counts only the rows whose network details the caller may read.
  const groupsByNetwork = q.groupBy.some((d) => NETWORK_DIMENSIONS.includes(d));
  const where = and([bound, criteriaPredicate(q.criteria, q.scope, q.sessionPredicate, bound), ...(groupsByNetwork ? [networkGuard(q.scope)] : [])].filter((p): p is Sql => p !== null));
  const groupBy = (n: number) => trusted(n ? ` GROUP BY ${Array.from({ length: n }, (_v, i) => i + 1).join(', ')}` : '');
  if (!q.bucket) {
    const selected = join([...keys, trusted('count(*) AS n')], ', ');
    return sql`SELECT ${selected} FROM ${trusted(TABLE)} WHERE ${where}${groupBy(keys.length)} ORDER BY ${join([trusted('n DESC'), ...keyOrder], ', ')} LIMIT ${limit}`;
  }
  const bucket = bucketSql(q.bucket);
  const inner = join([...keys, trusted(`${bucket.value} AS bt`), trusted('count(*) AS n')], ', ');
  const outer = trusted([...keyNames, `${bucket.first('bt')} AS b`, 'n'].join(', '));
  return sql`SELECT ${outer} FROM (SELECT ${inner} FROM ${trusted(TABLE)} WHERE ${where}${groupBy(keys.length + 1)}) g ORDER BY ${join([trusted('bt ASC'), trusted('n DESC'), ...keyOrder], ', ')} LIMIT ${limit}`;
}

const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));

export function eventGroupsFromRows(q: StatsQuery, rows: readonly Row[]): EventGroupRow[] {
  return rows
    .map((r) => ({
      keys: q.groupBy.map((_d, i) => text(r[`k${i}`])),
      bucketStart: q.bucket && r.b !== null && r.b !== undefined ? new Date(String(r.b)) : null,
      count: Number(r.n),
    }))
    // Without groupBy or bucket, SQL answers one row even when nothing matched: no group then.
    .filter((g) => g.count > 0);
}

/** Counts of events by the query's dimensions: one statement. */
export async function eventStats(store: HistoryStore, q: StatsQuery, ctx: QueryContext): Promise<EventGroupRow[]> {
  return eventGroupsFromRows(q, await store.run(eventStatsSql(q), ctx));
}
