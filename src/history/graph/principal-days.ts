import { PRINCIPAL_KEY } from '../derive';
import { PartitionDays, Scope, boundPredicate } from '../event-filter';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';

/**
 * The principals' daily activity: per day, account, principal, type and
 * event name, the calls, errors, first and last call, and the names
 * CloudTrail gave the caller. A principal's summary over a month reads a few
 * hundred of these rows instead of every call (300,000 for a busy user of
 * the demo). Only the embedded store has them (duckdb/side-tables.ts writes
 * them as it stores events): its partition day is the event's own day, so a
 * window's whole days are whole partitions. Elsewhere, and for the partial
 * days at a window's ends, the same rows are made from the calls themselves.
 */
export const PRINCIPAL_DAYS = `${TABLE}_principal_days`;

export const PRINCIPAL_DAY_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['day', 'VARCHAR'],
  ['day_number', 'INTEGER'],
  ['account', 'VARCHAR'],
  ['principal_arn', 'VARCHAR'],
  ['principal_type', 'VARCHAR'],
  ['eventname', 'VARCHAR'],
  ['n', 'BIGINT'],
  ['errors', 'BIGINT'],
  ['first_seen', 'VARCHAR'],
  ['last_seen', 'VARCHAR'],
  ['user_name', 'VARCHAR'],
  ['user_account', 'VARCHAR'],
];

const KEYS = 'day, day_number, account, principal_arn, principal_type, eventname';

/** The daily rows of the table's rows that `where` keeps; `extra` adds aggregates (the store's last row number). */
export function principalDaysSelect(where: string, extra: ReadonlyArray<readonly [string, string]> = []): string {
  const more = extra.map(([expr, name]) => `, ${expr} AS ${name}`).join('');
  return `SELECT ${KEYS}, count(*) AS n, count_if(errorcode IS NOT NULL) AS errors, min(eventtime) AS first_seen, max(eventtime) AS last_seen,
  max(useridentity.username) AS user_name, max(useridentity.accountid) AS user_account${more}
FROM ${TABLE} WHERE ${where} GROUP BY ${KEYS}`;
}

/**
 * The columns of an activity row: pk, ptype, uname, uacct, account,
 * eventname, n, errors, first_seen, last_seen. Summaries aggregate them with
 * sum(n), sum(errors), min(first_seen), max(last_seen).
 */
const FROM_CALLS = trusted(`${PRINCIPAL_KEY.text} AS pk, principal_type AS ptype, useridentity.username AS uname, useridentity.accountid AS uacct,
    account, eventname, 1 AS n, CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END AS errors, eventtime AS first_seen, eventtime AS last_seen`);
const FROM_DAYS = trusted(`${PRINCIPAL_KEY.text} AS pk, principal_type AS ptype, user_name AS uname, user_account AS uacct,
    account, eventname, n, errors, first_seen, last_seen`);

const DAY_MS = 86_400_000;

/** The window's whole UTC days, and the parts before and after them; whole is null when no day fits. */
export function splitWindow(w: TimeWindow): { whole: TimeWindow | null; parts: TimeWindow[] } {
  const first = Math.ceil(w.from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.floor(w.to.getTime() / DAY_MS) * DAY_MS;
  if (end <= first) return { whole: null, parts: [w] };
  const parts: TimeWindow[] = [];
  if (w.from.getTime() < first) parts.push({ from: w.from, to: new Date(first) });
  if (end < w.to.getTime()) parts.push({ from: new Date(end), to: w.to });
  return { whole: { from: new Date(first), to: new Date(end) }, parts };
}

/**
 * The activity rows of a window (columns above), whose principal and
 * account `where` keeps (conditions on principal_arn, account; the same
 * columns in both sources). `days` says whether the daily rows can serve the
 * whole days.
 */
export function principalActivity(window: TimeWindow, scope: Scope, where: readonly Sql[], days: PartitionDays = scope.days ?? 'delivery'): Sql {
  const fromCalls = (w: TimeWindow) => sql`SELECT ${FROM_CALLS} FROM ${trusted(TABLE)} WHERE ${and([boundPredicate(w, scope, days), ...where])}`;
  if (days !== 'event') return fromCalls(window);
  const { whole, parts } = splitWindow(window);
  const selects = [
    ...(whole ? [sql`SELECT ${FROM_DAYS} FROM ${trusted(PRINCIPAL_DAYS)} WHERE ${and([boundPredicate(whole, scope, 'event'), ...where])}`] : []),
    ...parts.map(fromCalls),
  ];
  return selects.length === 1 ? selects[0] : selects.map((s) => sql`(${s})`).reduce((a, b) => sql`${a} UNION ALL ${b}`);
}
