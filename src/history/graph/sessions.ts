import { IS_ACCESS_DENIED, IS_WRITE, MFA_RANK, PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { principalKeyAmong, sessionRefAmong } from './candidates';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, join, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow, isoSeconds } from '../window';
import { GroupPage, OrderColumn, groupPageSql, perParentPageSql } from './keyset';
import { distinctList, isSessionArn } from './principals';
import { SessionKind, SessionRef, refText } from './session-ref';

/** Session questions: a page of sessions, N principals' sessions, summaries of N sessions. */

export interface SessionCriteria {
  accountIds?: readonly string[];
  principalArns?: readonly string[];
  kinds?: readonly SessionKind[];
  hasError?: boolean;
  mfaAuthenticated?: boolean;
}

/** Newest first. */
export const SESSION_ORDER: readonly OrderColumn[] = [
  { name: 'first_seen', desc: true, kind: 'string' },
  { name: 'sref', desc: true, kind: 'string' },
];

/** One row per event, with its session (`sref`) and principal (`pk`); the expressions may be narrowed (derive.ts *Among). */
interface RowExprs {
  sref: Sql;
  pk: Sql;
}
const ALL_ROWS: RowExprs = { sref: SESSION_REF, pk: PRINCIPAL_KEY };

function sessionRows(where: Sql, e: RowExprs): Sql {
  return sql`SELECT ${e.sref} AS sref, ${e.pk} AS pk, eventtime, errorcode, eventsource, awsregion,
    NULLIF(sourceipaddress, '') AS ip, NULLIF(useragent, '') AS agent, NULLIF(useridentity.sessioncontext.sourceidentity, '') AS srcid,
    NULLIF(useridentity.accesskeyid, '') AS akid, ${IS_WRITE} AS wr, ${IS_ACCESS_DENIED} AS denied, ${MFA_RANK} AS mfa,
    useridentity.arn AS rawarn
    FROM ${trusted(TABLE)} WHERE ${where}`;
}

/** The summary columns toSessionSummary reads, over sessionRows grouped by sref. */
const SESSION_AGGREGATES: Sql = trusted(`sref, max(pk) AS pk, count(*) AS n, count_if(wr) AS writes,
  count_if(errorcode IS NOT NULL) AS errors, count_if(denied) AS denied, min(eventtime) AS first_seen, max(eventtime) AS last_seen,
  max(srcid) AS source_identity, min_by(akid, eventtime || akid) FILTER (WHERE akid IS NOT NULL) AS access_key, max(mfa) AS mfa,
  ${distinctList('eventsource')} AS sources, ${distinctList('awsregion')} AS regions, ${distinctList('ip')} AS ips, ${distinctList('agent')} AS agents`);

function kindsPredicate(kinds: readonly SessionKind[]): Sql {
  return or(kinds.map((k) => sql`substr(sref, 1, ${k.length + 1}) = ${`${k}|`}`));
}

function having(c: SessionCriteria): Sql {
  const parts: Sql[] = [];
  if (c.hasError !== undefined) parts.push(c.hasError ? trusted('count_if(errorcode IS NOT NULL) > 0') : trusted('count_if(errorcode IS NOT NULL) = 0'));
  if (c.mfaAuthenticated !== undefined) parts.push(c.mfaAuthenticated ? trusted('max(mfa) = 2') : trusted('max(mfa) < 2'));
  return parts.length ? sql`HAVING ${and(parts)}` : trusted('');
}

/**
 * Grouped sessions of the window matching the criteria; `extraWhere` narrows
 * the rows (by sref, pk); `parent` becomes parent_key for per-parent pages.
 */
function sessionGroupsSql(c: SessionCriteria, window: TimeWindow, scope: Scope, extraWhere: Sql[] = [], parent?: string, exprs: RowExprs = ALL_ROWS): Sql {
  const rowWhere = [boundPredicate(window, scope)];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const where = [trusted('sref IS NOT NULL'), ...extraWhere];
  if (c.kinds?.length) where.push(kindsPredicate(c.kinds));
  if (c.principalArns?.length) {
    const sessionArns = c.principalArns.filter(isSessionArn);
    where.push(or([isAnyOf(trusted('pk'), c.principalArns), ...(sessionArns.length ? [isAnyOf(trusted('rawarn'), sessionArns)] : [])]));
  }
  const parentColumn = parent ? trusted(`, ${parent} AS parent_key`) : trusted('');
  return sql`SELECT ${SESSION_AGGREGATES}${parentColumn} FROM (${sessionRows(and(rowWhere), exprs)}) e WHERE ${and(where)} GROUP BY sref ${having(c)}`;
}

export function sessionPageSql(c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  return groupPageSql(sessionGroupsSql(c, window, scope), SESSION_ORDER, page);
}

/** The sessions of each of N principals (one page each). */
export function sessionsOfPrincipalsSql(arns: readonly string[], c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const exprs = { sref: SESSION_REF, pk: principalKeyAmong(arns) };
  return perParentPageSql(sessionGroupsSql(c, window, scope, [isAnyOf(trusted('pk'), arns)], 'max(pk)', exprs), SESSION_ORDER, page);
}

/** Summaries of N sessions within one window. */
export function sessionSummariesSql(refs: readonly SessionRef[], window: TimeWindow, scope: Scope): Sql {
  const exprs = { sref: sessionRefAmong([...new Set(refs.map((r) => r.key))]), pk: PRINCIPAL_KEY };
  return sessionGroupsSql({}, window, scope, [isAnyOf(trusted('sref'), refs.map(refText))], undefined, exprs);
}

export interface SessionLookup {
  ref: SessionRef;
  window: TimeWindow;
}

function daysOf(w: TimeWindow): string[] {
  const days: string[] = [];
  const DAY = 86_400_000;
  for (let t = Math.floor(w.from.getTime() / DAY) * DAY; t < w.to.getTime(); t += DAY) days.push(new Date(t).toISOString().slice(0, 10).replace(/-/g, '/'));
  return days;
}

/**
 * Summaries of N sessions, each within its own window (look-ups by id, and
 * the session of an event): the days of every window, and a join on
 * (session, window) so each look-up counts only its own window.
 */
export function sessionLookupsSql(lookups: readonly SessionLookup[], scope: Scope): Sql {
  const days = [...new Set(lookups.flatMap((l) => daysOf(l.window)))].sort();
  const from = isoSeconds(new Date(Math.min(...lookups.map((l) => l.window.from.getTime()))));
  const to = isoSeconds(new Date(Math.max(...lookups.map((l) => l.window.to.getTime()))));
  const rowWhere = [sql`day IN ${days}`, sql`eventtime >= ${from} AND eventtime < ${to}`];
  if (scope.accounts !== null) rowWhere.push(scope.accounts.length ? sql`account IN ${scope.accounts}` : trusted('FALSE'));
  const values = lookups.map((l, i) => sql`(${i}, ${refText(l.ref)}, ${isoSeconds(l.window.from)}, ${isoSeconds(l.window.to)})`);
  const refs = [...new Set(lookups.map((l) => refText(l.ref)))];
  const aggregates = trusted(SESSION_AGGREGATES.text.replace(/^sref,/, 'max(e.sref) AS sref,'));
  return sql`SELECT lk.i AS lookup, ${aggregates}
    FROM (${sessionRows(and(rowWhere), { sref: sessionRefAmong([...new Set(lookups.map((l) => l.ref.key))]), pk: PRINCIPAL_KEY })}) e
    JOIN (VALUES ${join(values, ', ')}) AS lk(i, ref, t0, t1) ON e.sref = lk.ref AND e.eventtime >= lk.t0 AND e.eventtime < lk.t1
    WHERE ${isAnyOf(trusted('e.sref'), refs)}
    GROUP BY lk.i`;
}
