import { HAS_ERROR, IS_ACCESS_DENIED, IS_WRITE, PRINCIPAL_KEY, SESSION_REF, isAnyOf, mfaRank } from '../derive';
import { SESSION_ROWS, inSessions, isSessionArn, principalCandidates } from './candidates';
import { Scope, accountsPredicate, boundPredicate, dayIn, dayRange, payloadGuard } from '../event-filter';
import { Sql, and, join, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow, isoSeconds } from '../window';
import { GroupPage, OrderColumn, groupPageSql, perParentPageSql } from './keyset';
import { distinctList } from './principals';
import { SessionKind, SessionRef, refText } from './session-ref';
import { ALL_SESSION_PARTS, SessionPart, SessionParts, sessionParts } from './summary-parts';

/**
 * Session questions: a page of sessions, N principals' sessions, summaries
 * of N sessions. Summaries compute the parts asked (summary-parts.ts), and
 * their rows read only the columns those need.
 */

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

/** The columns session rows can carry beside `sref` and `eventtime`, by alias; and `pk`, the principal (the statement's own expression). */
const ROW_COLUMNS = {
  err: `${HAS_ERROR.text} AS err`,
  wr: `${IS_WRITE.text} AS wr`,
  denied: `${IS_ACCESS_DENIED.text} AS denied`,
  srcid: "NULLIF(useridentity.sessioncontext.sourceidentity, '') AS srcid",
  akid: "NULLIF(useridentity.accesskeyid, '') AS akid",
  // Read in sessionRows: it depends on the scope (MFAUsed is a payload's).
  mfa: '',
  eventsource: 'eventsource',
  awsregion: 'awsregion',
  ip: "NULLIF(sourceipaddress, '') AS ip",
  agent: "NULLIF(useragent, '') AS agent",
  rawarn: 'useridentity.arn AS rawarn',
} as const;
type RowColumn = keyof typeof ROW_COLUMNS | 'pk';

/** What each part reads and computes; the columns are the ones toSessionSummary reads. */
const PART_SQL: Readonly<Record<SessionPart, { rows: readonly RowColumn[]; aggregate: string }>> = {
  principal: { rows: ['pk'], aggregate: 'max(pk) AS pk' },
  writes: { rows: ['wr'], aggregate: 'count_if(wr) AS writes' },
  errors: { rows: ['err'], aggregate: 'count_if(err) AS errors' },
  denied: { rows: ['denied'], aggregate: 'count_if(denied) AS denied' },
  sourceIdentity: { rows: ['srcid'], aggregate: 'max(srcid) AS source_identity' },
  accessKey: { rows: ['akid'], aggregate: 'min_by(akid, eventtime || akid) FILTER (WHERE akid IS NOT NULL) AS access_key' },
  mfa: { rows: ['mfa'], aggregate: 'max(mfa) AS mfa' },
  sources: { rows: ['eventsource'], aggregate: `${distinctList('eventsource')} AS sources` },
  regions: { rows: ['awsregion'], aggregate: `${distinctList('awsregion')} AS regions` },
  sourceIps: { rows: ['ip'], aggregate: `${distinctList('ip')} AS ips` },
  userAgents: { rows: ['agent'], aggregate: `${distinctList('agent')} AS agents` },
};

/**
 * One row per event, with its session (`sref`) and the `columns` asked
 * (`pk`: the principal, computed as `pk`). `where` carries the cheap
 * necessary conditions (candidates.ts) beside the bound: the engine tests
 * them in the scan, and the derivations run on the rows they keep. A filter
 * on `pk` alone is pushed into the scan too, in any order with the others.
 */
function sessionRows(where: Sql, columns: Iterable<RowColumn>, pk: Sql, scope: Scope): Sql {
  const column = (c: RowColumn): Sql => {
    if (c === 'pk') return sql`, ${pk} AS pk`;
    // authz: MFA from a sign-in's additionalEventData only where the caller may read payloads.
    if (c === 'mfa') return sql`, ${mfaRank(payloadGuard(scope))} AS mfa`;
    return trusted(`, ${ROW_COLUMNS[c]}`);
  };
  const extra = [...new Set(columns)].map(column);
  return sql`SELECT ${SESSION_REF} AS sref, eventtime${join(extra, '')} FROM ${trusted(TABLE)} WHERE ${where}`;
}

/** The summary columns toSessionSummary reads, over sessionRows grouped by sref (`sref` is how the statement names the session). */
function aggregatesOf(parts: SessionParts, sref = 'sref'): Sql {
  const base = `${sref}, count(*) AS n, min(eventtime) AS first_seen, max(eventtime) AS last_seen`;
  return trusted([base, ...parts.map((p) => PART_SQL[p].aggregate)].join(', '));
}

/** The parts a statement computes: those asked, and those its HAVING compares. */
function computedParts(c: SessionCriteria, parts: SessionParts): SessionParts {
  return sessionParts(parts, c.hasError !== undefined ? ['errors'] : [], c.mfaAuthenticated !== undefined ? ['mfa'] : []);
}

function kindsPredicate(kinds: readonly SessionKind[]): Sql {
  return or(kinds.map((k) => sql`substr(sref, 1, ${k.length + 1}) = ${`${k}|`}`));
}

function having(c: SessionCriteria): Sql {
  const parts: Sql[] = [];
  if (c.hasError !== undefined) parts.push(c.hasError ? trusted('count_if(err) > 0') : trusted('count_if(err) = 0'));
  if (c.mfaAuthenticated !== undefined) parts.push(c.mfaAuthenticated ? trusted('max(mfa) = 2') : trusted('max(mfa) < 2'));
  return parts.length ? sql`HAVING ${and(parts)}` : trusted('');
}

/**
 * Grouped sessions of the window matching the criteria, with the `parts`
 * asked; `rowWhere` narrows the table's rows (cheap conditions on its
 * columns), `groupWhere` the derived rows (by sref, and the derived
 * `columns` it names); `parent` becomes parent_key for per-parent pages.
 */
function sessionGroupsSql(
  c: SessionCriteria, window: TimeWindow, scope: Scope, parts: SessionParts,
  narrow: { rowWhere?: Sql[]; groupWhere?: Sql[]; columns?: RowColumn[]; parent?: string; pk?: Sql } = {},
): Sql {
  const computed = computedParts(c, parts);
  const columns: RowColumn[] = [...computed.flatMap((p) => PART_SQL[p].rows), ...(narrow.columns ?? [])];
  const rowWhere = [boundPredicate(window, scope), ...(narrow.rowWhere ?? [])];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const where = [trusted('sref IS NOT NULL'), ...(narrow.groupWhere ?? [])];
  if (c.kinds?.length) where.push(kindsPredicate(c.kinds));
  let pk = narrow.pk ?? PRINCIPAL_KEY;
  if (c.principalArns?.length) {
    const sessionArns = c.principalArns.filter(isSessionArn);
    rowWhere.push(principalCandidates(c.principalArns));
    pk = PRINCIPAL_KEY;
    columns.push('pk', ...(sessionArns.length ? (['rawarn'] as const) : []));
    where.push(or([isAnyOf(trusted('pk'), c.principalArns), ...(sessionArns.length ? [isAnyOf(trusted('rawarn'), sessionArns)] : [])]));
  }
  const parentColumn = narrow.parent ? trusted(`, ${narrow.parent} AS parent_key`) : trusted('');
  return sql`SELECT ${aggregatesOf(computed)}${parentColumn} FROM (${sessionRows(and(rowWhere), columns, pk, scope)}) e WHERE ${and(where)} GROUP BY sref ${having(c)}`;
}

export function sessionPageSql(c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage, parts: SessionParts = ALL_SESSION_PARTS): Sql {
  return groupPageSql(sessionGroupsSql(c, window, scope, parts), SESSION_ORDER, page);
}

/** The sessions of each of N principals (one page each). */
export function sessionsOfPrincipalsSql(
  arns: readonly string[], c: SessionCriteria, window: TimeWindow, scope: Scope, page: GroupPage, parts: SessionParts = ALL_SESSION_PARTS,
): Sql {
  // A principal's calls outside sessions (services, long-term keys) are dropped before the derivations run.
  const narrow = {
    rowWhere: [principalCandidates(arns), SESSION_ROWS], groupWhere: [isAnyOf(trusted('pk'), arns)], columns: ['pk' as const], parent: 'max(pk)', pk: PRINCIPAL_KEY,
  };
  return perParentPageSql(sessionGroupsSql(c, window, scope, parts, narrow), SESSION_ORDER, page);
}

/** Summaries of N sessions within one window. */
export function sessionSummariesSql(refs: readonly SessionRef[], window: TimeWindow, scope: Scope, parts: SessionParts = ALL_SESSION_PARTS): Sql {
  const narrow = { rowWhere: [inSessions(refs.map(refText))], groupWhere: [isAnyOf(trusted('sref'), refs.map(refText))] };
  return sessionGroupsSql({}, window, scope, parts, narrow);
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
export function sessionLookupsSql(lookups: readonly SessionLookup[], scope: Scope, parts: SessionParts = ALL_SESSION_PARTS): Sql {
  // A log file sits under its delivery day, which can be the day after its events' (the partition days of Athena).
  const lag = scope.days === 'event' ? 0 : 86_400_000;
  const days = [...new Set(lookups.flatMap((l) => daysOf({ from: l.window.from, to: new Date(l.window.to.getTime() + lag) })))].sort();
  const from = isoSeconds(new Date(Math.min(...lookups.map((l) => l.window.from.getTime()))));
  const to = isoSeconds(new Date(Math.max(...lookups.map((l) => l.window.to.getTime()))));
  // The range lets the engine test day inside the scan (an IN list alone is tested above it); IN skips the days between windows.
  const rowWhere = [
    sql`${dayRange(days[0], days[days.length - 1], scope)} AND ${dayIn(days, scope)}`,
    sql`eventtime >= ${from} AND eventtime < ${to}`,
    inSessions([...new Set(lookups.map((l) => refText(l.ref)))]),
  ];
  const accounts = accountsPredicate(scope);
  if (accounts) rowWhere.push(accounts);
  const values = lookups.map((l, i) => sql`(${i}, ${refText(l.ref)}, ${isoSeconds(l.window.from)}, ${isoSeconds(l.window.to)})`);
  const refs = [...new Set(lookups.map((l) => refText(l.ref)))];
  const computed = sessionParts(parts);
  const columns = computed.flatMap((p) => PART_SQL[p].rows);
  return sql`SELECT lk.i AS lookup, ${aggregatesOf(computed, 'max(e.sref) AS sref')}
    FROM (${sessionRows(and(rowWhere), columns, PRINCIPAL_KEY, scope)}) e
    JOIN (VALUES ${join(values, ', ')}) AS lk(i, ref, t0, t1) ON e.sref = lk.ref AND e.eventtime >= lk.t0 AND e.eventtime < lk.t1
    WHERE ${isAnyOf(trusted('e.sref'), refs)}
    GROUP BY lk.i`;
}
