import { PRINCIPAL_KEY, PRINCIPAL_TYPE, isAnyOf } from '../derive';
import { isSessionArn } from './candidates';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';
import { GroupPage, OrderColumn, groupPageSql } from './keyset';

/** Principal questions: summaries of N principals, a page of principals, top event names of N principals. */

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

/** The rows principal questions read: one per event, with the derived principal (`pk`, PRINCIPAL_KEY unless given). */
export function principalRows(where: Sql, pk: Sql = PRINCIPAL_KEY): Sql {
  return sql`SELECT ${pk} AS pk, ${PRINCIPAL_TYPE} AS ptype, useridentity.username AS uname, useridentity.accountid AS uacct,
    NULLIF(useridentity.accesskeyid, '') AS akid, NULLIF(sourceipaddress, '') AS ip, useridentity.arn AS rawarn, eventtime, errorcode, eventname, account
    FROM ${trusted(TABLE)} WHERE ${where}`;
}

/** The summary columns toPrincipalSummary reads, over principalRows grouped by pk. */
export const PRINCIPAL_AGGREGATES: Sql = trusted(`pk AS arn,
  CASE WHEN pk = 'unknown' THEN 'Unknown' ELSE max_by(ptype, eventtime || ptype) END AS ptype,
  max(uname) AS uname, max(uacct) AS uacct, count(*) AS n, count_if(errorcode IS NOT NULL) AS errors,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen, ${distinctList('akid')} AS keys, ${distinctList('ip')} AS ips`);

/** Rows whose principal is one of `arns` (canonical, or sts assumed-role ARNs matched on userIdentity.arn). */
export function principalMatch(arns: readonly string[]): Sql {
  const sessionArns = arns.filter(isSessionArn);
  const parts = [isAnyOf(trusted('pk'), arns)];
  if (sessionArns.length) parts.push(isAnyOf(trusted('rawarn'), sessionArns));
  return or(parts);
}

/**
 * Summaries of N principals in one window, with the count of each event
 * name. An sts ARN asked for is reported in `aliases` of the principal it
 * belongs to.
 */
export function principalSummariesSql(arns: readonly string[], window: TimeWindow, scope: Scope): Sql {
  const sessionArns = arns.filter(isSessionArn);
  const aliases = sessionArns.length
    ? sql`json_format(CAST(array_agg(DISTINCT rawarn) FILTER (WHERE rawarn IN ${sessionArns}) AS JSON))`
    : trusted('NULL');
  const rows = principalRows(boundPredicate(window, scope), PRINCIPAL_KEY);
  // The event names' counts come along (a look-up by ARN usually wants its topEventNames too).
  return sql`SELECT ${PRINCIPAL_AGGREGATES}, ${aliases} AS aliases, json_format(CAST(histogram(eventname) AS JSON)) AS names
    FROM (${rows}) e WHERE ${principalMatch(arns)} GROUP BY pk`;
}

/** The grouped rows of every principal matching the criteria (for a page). */
export function principalGroupsSql(c: PrincipalCriteria, window: TimeWindow, scope: Scope): Sql {
  const rowWhere = [boundPredicate(window, scope)];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const groupWhere = c.arnPrefix ? sql`WHERE substr(pk, 1, ${c.arnPrefix.length}) = ${c.arnPrefix}` : trusted('');
  const having = c.identityTypes?.length
    ? sql`HAVING (CASE WHEN pk = 'unknown' THEN 'Unknown' ELSE max_by(ptype, eventtime || ptype) END) IN ${c.identityTypes}`
    : trusted('');
  return sql`SELECT ${PRINCIPAL_AGGREGATES} FROM (${principalRows(and(rowWhere))}) e ${groupWhere} GROUP BY pk ${having}`;
}

export function principalPageSql(c: PrincipalCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  return groupPageSql(principalGroupsSql(c, window, scope), PRINCIPAL_ORDER, page);
}

/** The `limit` most frequent event names of each of N principals (ties by name). */
export function topEventNamesSql(arns: readonly string[], limit: number, window: TimeWindow, scope: Scope): Sql {
  return sql`SELECT * FROM (
    SELECT pk, eventname, count(*) AS n, row_number() OVER (PARTITION BY pk ORDER BY count(*) DESC, eventname ASC) AS rn
    FROM (${principalRows(boundPredicate(window, scope), PRINCIPAL_KEY)}) e WHERE ${isAnyOf(trusted('pk'), arns)} AND eventname IS NOT NULL GROUP BY pk, eventname
  ) t WHERE rn <= ${limit}`;
}
