import { Sql, and, join, or, sql, trusted } from '../history/sql/sql';
import { isAnyOf, PRINCIPAL_ARN, SESSION_REF } from '../history/derive';
import { accountsPredicate, boundPredicate, dayIn, eventKeysPredicate, Scope } from '../history/event-filter';
import { EventKey } from '../history/ids';
import { TABLE } from '../history/table';
import { TimeWindow } from '../history/window';
import { DIGEST_CHECKS, EVENT_LOG_FILES, LOG_FILE_CHECKS, LOG_FILES } from './store-tables';

/**
 * Statements over the integrity tables (store-tables.ts). A log file's state:
 * VALID when a valid digest lists it with the hash ingest read from it
 * (the events come from the bytes CloudTrail signed), MODIFIED when the
 * digest records another hash, NOT_COVERED when verification found no digest
 * listing it, UNVERIFIED when it was never checked (or its digest could not
 * be trusted). Aliases: l = log_files, c = log_file_checks.
 */
export const STATE_SQL = trusted(`CASE
  WHEN c.file_key IS NULL THEN 'UNVERIFIED'
  WHEN c.expected_sha256 IS NOT NULL THEN CASE WHEN c.expected_sha256 = l.sha256 THEN 'VALID' ELSE 'MODIFIED' END
  WHEN c.verdict IN ('not listed in the digest of its hour', 'not yet covered', 'not covered by any digest') THEN 'NOT_COVERED'
  ELSE 'UNVERIFIED' END`);

/**
 * On Athena the events are read from the objects as they are now, so a
 * file's state is verify's verdict on the object itself. Alias c only.
 */
export const VERDICT_STATE_SQL = trusted(`CASE
  WHEN c.verdict = 'valid' THEN 'VALID'
  WHEN c.verdict = 'hash value doesn''t match' THEN 'MODIFIED'
  WHEN c.verdict IN ('not listed in the digest of its hour', 'not yet covered', 'not covered by any digest') THEN 'NOT_COVERED'
  ELSE 'UNVERIFIED' END`);

/** Verdicts that fail (verdicts.ts logFileFails). */
const FAILING = ["hash value doesn't match", 'not found', 'not listed in the digest of its hour'];

export interface IntegrityWindow {
  from: string;
  to: string;
  /** null: every account; else these (already narrowed to the caller's). */
  accounts: readonly string[] | null;
  regions: readonly string[] | null;
}

function bounds(alias: string, w: IntegrityWindow, time = 'delivered'): Sql {
  const parts = [sql`${trusted(`${alias}.${time}`)} >= ${w.from}`, sql`${trusted(`${alias}.${time}`)} < ${w.to}`];
  if (w.accounts !== null) parts.push(w.accounts.length ? sql`${trusted(`${alias}.account`)} IN ${w.accounts}` : trusted('FALSE'));
  if (w.regions?.length) parts.push(sql`${trusted(`${alias}.region`)} IN ${w.regions}`);
  return and(parts);
}

/** The log file of each event (by eventID), with its state. */
export function logFilesOfEventsSql(eventIds: readonly string[]): Sql {
  return sql`SELECT e.eventid, l.file_key, l.sha256, ${STATE_SQL} AS integrity
    FROM ${trusted(EVENT_LOG_FILES)} e JOIN ${trusted(LOG_FILES)} l ON l.file_key = e.file_key
    LEFT JOIN ${trusted(LOG_FILE_CHECKS)} c ON c.file_key = l.file_key
    WHERE e.eventid IN ${eventIds}`;
}

/**
 * Log files delivered in the window, counted by state: the stored ones on
 * the embedded store; on Athena (`verified`), the files verify checked.
 */
export function stateCountsSql(w: IntegrityWindow, verified = false): Sql {
  if (verified) return sql`SELECT ${VERDICT_STATE_SQL} AS integrity, count(*) AS files FROM ${trusted(LOG_FILE_CHECKS)} c WHERE ${bounds('c', w)} GROUP BY 1`;
  return sql`SELECT ${STATE_SQL} AS integrity, count(*) AS files
    FROM ${trusted(LOG_FILES)} l LEFT JOIN ${trusted(LOG_FILE_CHECKS)} c ON c.file_key = l.file_key
    WHERE ${bounds('l', w)} GROUP BY 1`;
}

/** Digests whose hour ends in the window, valid and not; and the gaps. */
export function digestCountsSql(w: IntegrityWindow): Sql {
  return sql`SELECT count(*) FILTER (WHERE d.verdict <> 'gap') AS checked, count(*) FILTER (WHERE d.verdict NOT IN ('valid', 'gap')) AS invalid
    FROM ${trusted(DIGEST_CHECKS)} d WHERE ${bounds('d', w, 'end_time')}`;
}

export function gapsSql(w: IntegrityWindow): Sql {
  return sql`SELECT d.account, d.region, d.trail, d.start_time, d.end_time FROM ${trusted(DIGEST_CHECKS)} d
    WHERE d.verdict = 'gap' AND ${bounds('d', w, 'end_time')} ORDER BY d.end_time, d.account, d.region, d.trail LIMIT 1000`;
}

/**
 * Log files that fail, in key order after `after`: a failing verdict, or a
 * stored file whose digest records another hash than ingest read. `limit`
 * is one more than the page, to tell whether another follows.
 */
export function failuresSql(w: IntegrityWindow, after: string | null, limit: number, verified = false): Sql {
  return sql`SELECT c.file_key, c.account, c.region, c.verdict, c.digest_key, ${verified ? VERDICT_STATE_SQL : STATE_SQL} AS integrity
    FROM ${trusted(LOG_FILE_CHECKS)} c LEFT JOIN ${trusted(LOG_FILES)} l ON l.file_key = c.file_key
    WHERE ${bounds('c', w)} ${after !== null ? sql`AND c.file_key > ${after}` : trusted('')}
      AND (c.verdict IN ${FAILING} OR (l.sha256 IS NOT NULL AND c.expected_sha256 IS NOT NULL AND l.sha256 <> c.expected_sha256))
    ORDER BY c.file_key LIMIT ${limit}`;
}

/** Events of a session or a principal in a window, whose states are counted. */
export interface EventGroupKey {
  kind: 'session' | 'principal';
  /** The session's ref text (session-ref.ts) or the principal's ARN. */
  ident: string;
  window: TimeWindow;
}

function groupPredicate(g: EventGroupKey): Sql {
  return g.kind === 'session' ? isAnyOf(SESSION_REF, [g.ident]) : or([sql`${PRINCIPAL_ARN} = ${g.ident}`, sql`useridentity.arn = ${g.ident}`]);
}

/**
 * Events of each group by the state of their log file, in one statement:
 * each group's events (bounded by its window and the caller's accounts),
 * tagged with the group's number, then their files' states. An event whose
 * file the store does not know counts as UNVERIFIED.
 */
export function eventStateCountsSql(groups: readonly EventGroupKey[], scope: Scope): Sql {
  const selects = groups.map((g, i) => {
    return sql`SELECT ${i} AS g, eventid FROM ${trusted(TABLE)} WHERE ${and([boundPredicate(g.window, scope), groupPredicate(g)])}`;
  });
  return sql`SELECT ev.g, ${STATE_SQL} AS integrity, count(*) AS events
    FROM (${join(selects, ' UNION ALL ')}) ev
    LEFT JOIN ${trusted(EVENT_LOG_FILES)} e ON e.eventid = ev.eventid
    LEFT JOIN ${trusted(LOG_FILES)} l ON l.file_key = e.file_key
    LEFT JOIN ${trusted(LOG_FILE_CHECKS)} c ON c.file_key = l.file_key
    GROUP BY 1, 2`;
}

/** Athena: the verdicts of these files (keys from AWSLogs/ on), on the store that keeps them. */
export function verdictsOfFilesSql(keys: readonly string[]): Sql {
  return sql`SELECT c.file_key, c.sha256, ${VERDICT_STATE_SQL} AS integrity FROM ${trusted(LOG_FILE_CHECKS)} c WHERE c.file_key IN ${keys}`;
}

/** Athena: the log file ("$path") of events by key, bounded by their days, accounts and regions and the caller's accounts. */
export function eventPathsSql(keys: readonly EventKey[], scope: Scope): Sql {
  return sql`SELECT eventid, "$path" AS path FROM ${trusted(TABLE)} WHERE ${eventKeysPredicate(keys, scope)}`;
}

/** Athena: each group's events counted by log file ("$path"). */
export function eventPathCountsSql(groups: readonly EventGroupKey[], scope: Scope): Sql {
  const selects = groups.map((g, i) => sql`SELECT ${i} AS g, "$path" AS path FROM ${trusted(TABLE)} WHERE ${and([boundPredicate(g.window, scope), groupPredicate(g)])}`);
  return sql`SELECT ev.g, ev.path, count(*) AS events FROM (${join(selects, ' UNION ALL ')}) ev GROUP BY 1, 2`;
}
