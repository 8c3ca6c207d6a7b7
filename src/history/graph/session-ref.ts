import { badInput } from '../../errors';
import { SESSION_REF, isAnyOf } from '../derive';
import { decodeId, encodeId } from '../ids';
import { Sql, sql } from '../sql/sql';
import { TimeWindow } from '../window';

/**
 * A session as the derivation names it (SESSION_REF in derive.ts): kind,
 * start (the credentials' creation instant; '' for Identity Center portal
 * sessions, which record none) and key.
 */
export type SessionKind = 'ASSUMED_ROLE' | 'FEDERATED' | 'CONSOLE' | 'IDENTITY_CENTER';
export const SESSION_KINDS: readonly SessionKind[] = ['ASSUMED_ROLE', 'FEDERATED', 'CONSOLE', 'IDENTITY_CENTER'];

export interface SessionRef {
  kind: SessionKind;
  start: string;
  key: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The longest a session of each kind lasts: role sessions 12 h, federation
 * tokens 36 h, console sessions 12 h, access-portal sessions 7 days. A
 * look-up by id reads from the start to the start plus this (and a little
 * slack for clock skew), so it touches one or two day partitions.
 */
export const MAX_SESSION_MS: Record<SessionKind, number> = {
  ASSUMED_ROLE: 12 * HOUR,
  FEDERATED: 36 * HOUR,
  CONSOLE: 12 * HOUR,
  IDENTITY_CENTER: 7 * DAY,
};
const SLACK_MS = 10 * 60_000;

export function refText(r: SessionRef): string {
  return `${r.kind}|${r.start}|${r.key}`;
}

export function parseRef(text: string): SessionRef {
  const a = text.indexOf('|');
  const b = text.indexOf('|', a + 1);
  const kind = text.slice(0, a) as SessionKind;
  if (a < 0 || b < 0 || !SESSION_KINDS.includes(kind)) throw new Error(`not a session ref: ${text}`);
  return { kind, start: text.slice(a + 1, b), key: text.slice(b + 1) };
}

function dayOfInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

function parseStart(start: string): number | null {
  const ms = Date.parse(start);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The id: the start day (of the creation instant; for portal sessions, of
 * the first event seen), kind, start and key.
 */
export function sessionIdOf(ref: SessionRef, firstEventTime: string): string {
  const startMs = parseStart(ref.start) ?? Date.parse(firstEventTime);
  return encodeId('Session', [dayOfInstant(startMs), ref.kind, ref.start, ref.key]);
}

/** The id's parts and the window a look-up by id reads. */
export function decodeSessionId(id: string): { ref: SessionRef; window: TimeWindow } {
  const { type, parts } = decodeId(id);
  if (type !== 'Session' || parts.length !== 4 || !/^\d{4}\/\d{2}\/\d{2}$/.test(parts[0]) || !SESSION_KINDS.includes(parts[1] as SessionKind)) {
    throw badInput('id: not a Session id', { argument: 'id' });
  }
  const ref: SessionRef = { kind: parts[1] as SessionKind, start: parts[2], key: parts[3] };
  if (ref.kind !== 'IDENTITY_CENTER' && parseStart(ref.start) === null) throw badInput('id: not a Session id', { argument: 'id' });
  const dayMs = Date.parse(`${parts[0].replace(/\//g, '-')}T00:00:00Z`);
  if (Number.isNaN(dayMs)) throw badInput('id: not a Session id', { argument: 'id' });
  return { ref, window: ownWindow(ref, dayMs) };
}

/** The window that holds the whole session; `anchorMs` is an instant inside it (portal sessions need one). */
export function ownWindow(ref: SessionRef, anchorMs: number): TimeWindow {
  const startMs = parseStart(ref.start);
  if (startMs !== null) return { from: new Date(startMs - SLACK_MS), to: new Date(startMs + MAX_SESSION_MS[ref.kind] + SLACK_MS) };
  // No recorded start: from the anchor's day to a full session past its end.
  const day = Math.floor(anchorMs / DAY) * DAY;
  return { from: new Date(day), to: new Date(day + DAY + MAX_SESSION_MS[ref.kind]) };
}

/** The window around an event of the session (portal sessions: a full session either side). */
export function windowAroundEvent(ref: SessionRef, eventTime: string): TimeWindow {
  const startMs = parseStart(ref.start);
  if (startMs !== null) return ownWindow(ref, startMs);
  const t = Date.parse(eventTime);
  return { from: new Date(t - MAX_SESSION_MS[ref.kind]), to: new Date(t + MAX_SESSION_MS[ref.kind] + 1000) };
}

/** EventFilter.sessionIds: rows of any of these sessions. */
export function sessionIdsPredicate(ids: readonly string[]): Sql {
  const refs = ids.map((id) => decodeSessionId(id).ref);
  return isAnyOf(SESSION_REF, [...new Set(refs.map(refText))]);
}
