import { HAS_ERROR, PRINCIPAL_KEY, USER_NAME } from '../derive';
import { PartitionDays, Scope, boundPredicate } from '../event-filter';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';
import { isSessionArn } from './candidates';
import { PrincipalPart, PrincipalParts } from './summary-parts';

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
  return `SELECT ${KEYS}, count(*) AS n, count_if(${HAS_ERROR.text}) AS errors, min(eventtime) AS first_seen, max(eventtime) AS last_seen,
  max(${USER_NAME.text}) AS user_name, max(useridentity.accountid) AS user_account${more}
FROM ${TABLE} WHERE ${where} GROUP BY ${KEYS}`;
}

/**
 * An activity row: pk, first_seen, last_seen and n (calls), and the columns
 * the parts asked need (ptype, uname, uacct, errors, eventname), read from
 * the calls (one row each) or from the daily rows. Summaries aggregate them
 * with sum(n), sum(errors), min(first_seen), max(last_seen).
 */
type ActivityColumn = 'ptype' | 'uname' | 'uacct' | 'errors' | 'eventname';
const PART_COLUMN: Readonly<Partial<Record<PrincipalPart, ActivityColumn>>> = { type: 'ptype', name: 'uname', account: 'uacct', errors: 'errors', eventNames: 'eventname' };
const FROM_CALLS: Readonly<Record<ActivityColumn | 'base', string>> = {
  base: `${PRINCIPAL_KEY.text} AS pk, eventtime AS first_seen, eventtime AS last_seen, 1 AS n`,
  ptype: 'principal_type AS ptype',
  uname: `${USER_NAME.text} AS uname`,
  uacct: 'useridentity.accountid AS uacct',
  errors: `CASE WHEN ${HAS_ERROR.text} THEN 1 ELSE 0 END AS errors`,
  eventname: 'eventname',
};
const FROM_DAYS: Readonly<Record<ActivityColumn | 'base', string>> = {
  base: `${PRINCIPAL_KEY.text} AS pk, first_seen, last_seen, n`,
  ptype: 'principal_type AS ptype',
  uname: 'user_name AS uname',
  uacct: 'user_account AS uacct',
  errors: 'errors',
  eventname: 'eventname',
};
const selectList = (from: Readonly<Record<ActivityColumn | 'base', string>>, columns: readonly ActivityColumn[]) => trusted([from.base, ...columns.map((c) => from[c])].join(', '));

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
 * The activity rows of a window with `columns`, whose principal and account
 * `where` keeps (conditions on principal_arn, account: the same columns in
 * both sources). `days` says whether the daily rows can serve the whole days.
 */
function principalActivity(
  window: TimeWindow, scope: Scope, where: readonly Sql[], columns: readonly ActivityColumn[], days: PartitionDays = scope.days ?? 'delivery',
): Sql {
  const fromCalls = (w: TimeWindow) => sql`SELECT ${selectList(FROM_CALLS, columns)} FROM ${trusted(TABLE)} WHERE ${and([boundPredicate(w, scope, days), ...where])}`;
  if (days !== 'event') return fromCalls(window);
  const { whole, parts } = splitWindow(window);
  const selects = [
    ...(whole ? [sql`SELECT ${selectList(FROM_DAYS, columns)} FROM ${trusted(PRINCIPAL_DAYS)} WHERE ${and([boundPredicate(whole, scope, 'event'), ...where])}`] : []),
    ...parts.map(fromCalls),
  ];
  return selects.length === 1 ? selects[0] : selects.map((x) => sql`(${x})`).reduce((x, y) => sql`${x} UNION ALL ${y}`);
}

/** The latest type, by the tkey of the first sum; the unknown principal's is Unknown. */
const DAILY_TYPE_TEXT = `CASE WHEN pk = 'unknown' THEN 'Unknown' ELSE max_by(ptype, tkey) END`;

/** The parts of a principal summary the daily rows can give (the distinct lists need the calls). */
const DAILY_PART_SQL: Readonly<Partial<Record<PrincipalPart, string>>> = {
  type: `${DAILY_TYPE_TEXT} AS ptype`,
  name: 'max(uname) AS uname',
  account: 'max(uacct) AS uacct',
  errors: 'sum(errors) AS errors',
  // One entry per name (the first sum grouped by it): DISTINCT drops nothing, and is the form the Trino grammar checks take FILTER after.
  eventNames: 'json_format(CAST(map_from_entries(array_agg(DISTINCT ROW(eventname, n)) FILTER (WHERE eventname IS NOT NULL)) AS JSON)) AS names',
};

/**
 * True when the daily rows can answer: the engine's partition day is the
 * event's own, every part asked is one they hold, and no ARN asked is an sts
 * session's (found by userIdentity.arn, which they do not keep).
 */
export function servedByDays(scope: Scope, parts: PrincipalParts, arns: readonly string[] = []): boolean {
  return scope.days === 'event' && parts.every((p) => DAILY_PART_SQL[p] !== undefined) && !arns.some(isSessionArn);
}

/** What the first sum (per principal, and per event name when counted) keeps of each column. */
const PER_NAME: Readonly<Record<ActivityColumn, string>> = {
  ptype: 'max_by(ptype, last_seen || ptype) AS ptype, max(last_seen || ptype) AS tkey',
  uname: 'max(uname) AS uname',
  uacct: 'max(uacct) AS uacct',
  errors: 'sum(errors) AS errors',
  eventname: 'eventname',
};

/**
 * Summaries of the principals among the activity rows `where` keeps, one row
 * each, with the columns toPrincipalSummary reads for `parts`. When event
 * names are counted, rows are first summed per principal and name (the
 * latest type by `tkey`, as the calls' max_by(type, eventtime || type)).
 */
export function dailySummariesSql(window: TimeWindow, scope: Scope, where: readonly Sql[], parts: PrincipalParts, having: Sql = trusted('')): Sql {
  const columns = parts.map((p) => PART_COLUMN[p]).filter((c): c is ActivityColumn => c !== undefined);
  const keys = columns.includes('eventname') ? 'pk, eventname' : 'pk';
  const perName = sql`SELECT pk, sum(n) AS n, min(first_seen) AS first_seen, max(last_seen) AS last_seen${trusted(columns.map((c) => `, ${PER_NAME[c]}`).join(''))}
    FROM (${principalActivity(window, scope, where, columns)}) a GROUP BY ${trusted(keys)}`;
  const aggregates = ['pk AS arn, sum(n) AS n, min(first_seen) AS first_seen, max(last_seen) AS last_seen', ...parts.map((p) => DAILY_PART_SQL[p] ?? '')];
  return sql`SELECT ${trusted(aggregates.join(', '))} FROM (${perName}) g GROUP BY pk ${having}`;
}

/** The type aggregate of dailySummariesSql, for a HAVING on identity types. */
export const DAILY_TYPE = trusted(DAILY_TYPE_TEXT);

/** The `limit` most frequent event names of each principal among the activity rows `where` keeps (ties by name). */
export function dailyTopEventNamesSql(window: TimeWindow, scope: Scope, where: readonly Sql[], limit: number): Sql {
  return sql`SELECT * FROM (
    SELECT pk, eventname, sum(n) AS n, row_number() OVER (PARTITION BY pk ORDER BY sum(n) DESC, eventname ASC) AS rn
    FROM (${principalActivity(window, scope, where, ['eventname'])}) a WHERE eventname IS NOT NULL GROUP BY pk, eventname
  ) t WHERE rn <= ${limit}`;
}
