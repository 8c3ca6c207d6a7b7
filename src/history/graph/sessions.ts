import { IS_ACCESS_DENIED, IS_WRITE, MFA_RANK, PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { SESSION_ROWS, inSessions, isSessionArn, principalCandidates } from './candidates';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, join, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow, isoSeconds } from '../window';
import { GroupPage, OrderColumn, groupPageSql, perParentPageSql } from './keyset';
import { distinctList } from './principals';
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

/**
 * One row per event, with its session (`sref`) and principal (`pk`). `where`
 * carries the cheap necessary conditions (candidates.ts) beside the bound:
 * the engine tests them in the scan, and the derivations run on the rows
 * they keep. A filter on `pk` alone is pushed into the scan too, in any
 * order with the others.
 */
function sessionRows(where: Sql, pk: Sql): Sql {
  return sql`SELECT ${SESSION_REF} AS sref, ${pk} AS pk, eventtime, errorcode, eventsource, awsregion,
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
 * Grouped sessions of the window matching the criteria; `rowWhere` narrows
 * the table's rows (cheap conditions on its columns), `groupWhere` the
 * derived rows (by sref, pk); `parent` becomes parent_key for per-parent pages.
 */
function sessionGroupsSql(
  c: SessionCriteria, window: TimeWindow, scope: Scope, narrow: { rowWhere?: Sql[]; groupWhere?: Sql[]; parent?: string; pk?: Sql } = {},
): Sql {
  const rowWhere = [boundPredicate(window, scope), ...(narrow.rowWhere ?? [])];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const where = [trusted('sref IS NOT NULL'), ...(narrow.groupWhere ?? [])];
  if (c.kinds?.length) where.push(kindsPredicate(c.kinds));
  let pk = narrow.pk ?? PRINCIPAL_KEY;
  if (c.principalArns?.length) {
    const sessionArns = c.principalArns.filter(isSessionArn);
    rowWhere.push(principalCandidates(c.principalArns));
    pk = PRINCIPAL_KEY;
    where.push(or([isAnyOf(trusted('pk'), c.principalArns), ...(sessionArns.length ? [isAnyOf(trusted('rawarn'), sessionArns)] : [])]));
  }
  const parentColumn = narrow.parent ? trusted(`, ${narrow.parent} AS parent_key`) : trusted('');
  return sql`SELECT ${SESSION_AGGREGATES}${parentColumn} FROM (${sessionRows(and(rowWhere), pk)}) e WHERE ${and(where)} GROUP BY sref ${having(c)}`;
}

export function sessionPageSql(c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  return groupPageSql(sessionGroupsSql(c, window, scope), SESSION_ORDER, page);
}

/** The sessions of each of N principals (one page each). */
export function sessionsOfPrincipalsSql(arns: readonly string[], c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  // A principal's calls outside sessions (services, long-term keys) are dropped before the derivations run.
  const narrow = { rowWhere: [principalCandidates(arns), SESSION_ROWS], groupWhere: [isAnyOf(trusted('pk'), arns)], parent: 'max(pk)', pk: PRINCIPAL_KEY };
  return perParentPageSql(sessionGroupsSql(c, window, scope, narrow), SESSION_ORDER, page);
}

/** Summaries of N sessions within one window. */
export function sessionSummariesSql(refs: readonly SessionRef[], window: TimeWindow, scope: Scope): Sql {
  const narrow = { rowWhere: [inSessions(refs.map(refText))], groupWhere: [isAnyOf(trusted('sref'), refs.map(refText))] };
  return sessionGroupsSql({}, window, scope, narrow);
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
  // The range lets the engine test day inside the scan (an IN list alone is tested above it); IN skips the days between windows.
  const rowWhere = [
    sql`day >= ${days[0]} AND day <= ${days[days.length - 1]} AND day IN ${days}`,
    sql`eventtime >= ${from} AND eventtime < ${to}`,
    inSessions([...new Set(lookups.map((l) => refText(l.ref)))]),
  ];
  if (scope.accounts !== null) rowWhere.push(scope.accounts.length ? sql`account IN ${scope.accounts}` : trusted('FALSE'));
  const values = lookups.map((l, i) => sql`(${i}, ${refText(l.ref)}, ${isoSeconds(l.window.from)}, ${isoSeconds(l.window.to)})`);
  const refs = [...new Set(lookups.map((l) => refText(l.ref)))];
  const aggregates = trusted(SESSION_AGGREGATES.text.replace(/^sref,/, 'max(e.sref) AS sref,'));
  return sql`SELECT lk.i AS lookup, ${aggregates}
    FROM (${sessionRows(and(rowWhere), PRINCIPAL_KEY)}) e
    JOIN (VALUES ${join(values, ', ')}) AS lk(i, ref, t0, t1) ON e.sref = lk.ref AND e.eventtime >= lk.t0 AND e.eventtime < lk.t1
    WHERE ${isAnyOf(trusted('e.sref'), refs)}
    GROUP BY lk.i`;
}
