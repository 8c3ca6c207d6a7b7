import { HAS_ERROR, PRINCIPAL_KEY, PRINCIPAL_TYPE, USER_NAME, isAnyOf } from '../derive';
import { isSessionArn } from './candidates';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';
import { GroupPage, OrderColumn, groupPageSql } from './keyset';
import { DAILY_TYPE, dailySummariesSql, dailyTopEventNamesSql, servedByDays } from './principal-days';
import { ALL_PRINCIPAL_PARTS, PrincipalPart, PrincipalParts, principalParts } from './summary-parts';

/**
 * Principal questions: summaries of N principals, a page of principals, top
 * event names of N principals. Summaries compute the parts asked
 * (summary-parts.ts), and their rows read only the columns those need. On
 * the embedded store, summaries whose parts the principals' days hold read
 * those for the window's whole days (principal-days.ts).
 */

export interface PrincipalCriteria {
  accountIds?: readonly string[];
  /** CloudTrail spellings (IAMUser, AssumedRole, ...). */
  identityTypes?: readonly string[];
  arnPrefix?: string;
}

export const PRINCIPAL_ORDER: readonly OrderColumn[] = [{ name: 'arn', desc: false, kind: 'string' }];

/** A list of distinct non-null values as JSON text (statements return scalars only). */
export function distinctList(column: string): string {
  return `json_format(CAST(array_sort(array_agg(DISTINCT ${column}) FILTER (WHERE ${column} IS NOT NULL)) AS JSON))`;
}

/** The columns principal rows can carry beside `pk` and `eventtime`, by alias. */
const ROW_COLUMNS = {
  ptype: `${PRINCIPAL_TYPE.text} AS ptype`,
  uname: `${USER_NAME.text} AS uname`,
  uacct: 'useridentity.accountid AS uacct',
  err: `${HAS_ERROR.text} AS err`,
  akid: "NULLIF(useridentity.accesskeyid, '') AS akid",
  ip: "NULLIF(sourceipaddress, '') AS ip",
  eventname: 'eventname',
  rawarn: 'useridentity.arn AS rawarn',
} as const;
type RowColumn = keyof typeof ROW_COLUMNS;

/** The latest type (ties by name); the unknown principal's is Unknown. Also what the identityTypes filter compares. */
const TYPE_AGGREGATE = `CASE WHEN pk = 'unknown' THEN 'Unknown' ELSE max_by(ptype, eventtime || ptype) END`;

/** What each part reads and computes; the columns are the ones toPrincipalSummary reads. */
const PART_SQL: Readonly<Record<PrincipalPart, { rows: readonly RowColumn[]; aggregate: string }>> = {
  type: { rows: ['ptype'], aggregate: `${TYPE_AGGREGATE} AS ptype` },
  name: { rows: ['uname'], aggregate: 'max(uname) AS uname' },
  account: { rows: ['uacct'], aggregate: 'max(uacct) AS uacct' },
  errors: { rows: ['err'], aggregate: 'count_if(err) AS errors' },
  accessKeys: { rows: ['akid'], aggregate: `${distinctList('akid')} AS keys` },
  sourceIps: { rows: ['ip'], aggregate: `${distinctList('ip')} AS ips` },
  eventNames: { rows: ['eventname'], aggregate: 'json_format(CAST(histogram(eventname) AS JSON)) AS names' },
};

/** What every summary computes: the key, the count, first and last seen. */
const BASE_AGGREGATES = 'pk AS arn, count(*) AS n, min(eventtime) AS first_seen, max(eventtime) AS last_seen';

/** The rows principal questions read: one per event, with the derived principal (`pk`) and the `columns` asked. */
function principalRows(where: Sql, columns: Iterable<RowColumn>): Sql {
  const extra = [...new Set(columns)].map((c) => `, ${ROW_COLUMNS[c]}`).join('');
  return sql`SELECT ${PRINCIPAL_KEY} AS pk, eventtime${trusted(extra)} FROM ${trusted(TABLE)} WHERE ${where}`;
}

const rowsOf = (parts: PrincipalParts): RowColumn[] => parts.flatMap((p) => PART_SQL[p].rows);
const aggregatesOf = (parts: PrincipalParts): Sql => trusted([BASE_AGGREGATES, ...parts.map((p) => PART_SQL[p].aggregate)].join(', '));

/** The parts a page computes: event names are counted by look-ups by ARN only (a page's principals get theirs from topEventNamesSql). */
export function pageParts(parts: PrincipalParts): PrincipalParts {
  return parts.filter((p) => p !== 'eventNames');
}

/** Rows whose principal is one of `arns` (canonical, or sts assumed-role ARNs matched on userIdentity.arn). */
export function principalMatch(arns: readonly string[]): Sql {
  const sessionArns = arns.filter(isSessionArn);
  const parts = [isAnyOf(trusted('pk'), arns)];
  if (sessionArns.length) parts.push(isAnyOf(trusted('rawarn'), sessionArns));
  return or(parts);
}

/**
 * Summaries of N principals in one window, with the `parts` asked (event
 * names' counts among them: a look-up by ARN often wants its topEventNames
 * too). An sts ARN asked for is reported in `aliases` of the principal it
 * belongs to.
 */
export function principalSummariesSql(arns: readonly string[], window: TimeWindow, scope: Scope, parts: PrincipalParts = ALL_PRINCIPAL_PARTS): Sql {
  const computed = principalParts(parts);
  if (servedByDays(scope, computed, arns)) return dailySummariesSql(window, scope, [isAnyOf(PRINCIPAL_KEY, arns)], computed);
  const sessionArns = arns.filter(isSessionArn);
  const aliases = sessionArns.length
    ? sql`json_format(CAST(array_agg(DISTINCT rawarn) FILTER (WHERE rawarn IN ${sessionArns}) AS JSON))`
    : trusted('NULL');
  const rows = principalRows(boundPredicate(window, scope), [...rowsOf(computed), ...(sessionArns.length ? (['rawarn'] as const) : [])]);
  return sql`SELECT ${aggregatesOf(computed)}, ${aliases} AS aliases FROM (${rows}) e WHERE ${principalMatch(arns)} GROUP BY pk`;
}

/** The grouped rows of every principal matching the criteria (for a page), with the `parts` asked. */
export function principalGroupsSql(c: PrincipalCriteria, window: TimeWindow, scope: Scope, parts: PrincipalParts = ALL_PRINCIPAL_PARTS): Sql {
  // The identityTypes filter compares the type.
  const computed = principalParts(pageParts(parts), c.identityTypes?.length ? ['type'] : []);
  if (servedByDays(scope, computed)) {
    const where = [...(c.accountIds?.length ? [sql`account IN ${c.accountIds}`] : []), ...(c.arnPrefix ? [sql`substr(${PRINCIPAL_KEY}, 1, ${c.arnPrefix.length}) = ${c.arnPrefix}`] : [])];
    return dailySummariesSql(window, scope, where, computed, c.identityTypes?.length ? sql`HAVING (${DAILY_TYPE}) IN ${c.identityTypes}` : trusted(''));
  }
  const rowWhere = [boundPredicate(window, scope)];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const groupWhere = c.arnPrefix ? sql`WHERE substr(pk, 1, ${c.arnPrefix.length}) = ${c.arnPrefix}` : trusted('');
  const having = c.identityTypes?.length ? sql`HAVING (${trusted(TYPE_AGGREGATE)}) IN ${c.identityTypes}` : trusted('');
  return sql`SELECT ${aggregatesOf(computed)} FROM (${principalRows(and(rowWhere), rowsOf(computed))}) e ${groupWhere} GROUP BY pk ${having}`;
}

export function principalPageSql(c: PrincipalCriteria, window: TimeWindow, scope: Scope, page: GroupPage, parts: PrincipalParts = ALL_PRINCIPAL_PARTS): Sql {
  return groupPageSql(principalGroupsSql(c, window, scope, parts), PRINCIPAL_ORDER, page);
}

/** The `limit` most frequent event names of each of N principals (ties by name). */
export function topEventNamesSql(arns: readonly string[], limit: number, window: TimeWindow, scope: Scope): Sql {
  if (servedByDays(scope, [])) return dailyTopEventNamesSql(window, scope, [isAnyOf(PRINCIPAL_KEY, arns)], limit);
  return sql`SELECT * FROM (
    SELECT pk, eventname, count(*) AS n, row_number() OVER (PARTITION BY pk ORDER BY count(*) DESC, eventname ASC) AS rn
    FROM (${principalRows(boundPredicate(window, scope), ['eventname'])}) e WHERE ${isAnyOf(trusted('pk'), arns)} AND eventname IS NOT NULL GROUP BY pk, eventname
  ) t WHERE rn <= ${limit}`;
}
