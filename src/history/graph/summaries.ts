import { Row, Scalar } from '../engine';
import { UNKNOWN_PRINCIPAL } from '../derive';
import { SessionRef, parseRef } from './session-ref';
import { PrincipalPart, PrincipalParts, SessionPart, SessionParts } from './summary-parts';

/**
 * What the graph statements return about each object, within the window
 * that reached it. Types are CloudTrail's spellings (the API maps them).
 * Optional fields are parts (summary-parts.ts): absent when the statement
 * did not compute them, which is not the same as empty.
 */
export interface PrincipalSummary {
  arn: string;
  firstSeen: string | null;
  lastSeen: string | null;
  eventCount: number;
  /** Part `type`. */
  type?: string;
  /** Part `account`. */
  accountId?: string | null;
  /** Part `name`. */
  name?: string | null;
  /** Part `errors`. */
  errorCount?: number;
  /** Part `accessKeys`. */
  accessKeyIds?: string[];
  /** Part `sourceIps`. */
  sourceIpAddresses?: string[];
  /** Part `eventNames`: calls per event name, most first (ties by name); counted by look-ups by ARN only. */
  eventNames?: Array<{ name: string; count: number }>;
}

export interface SessionSummary {
  ref: SessionRef;
  firstEventTime: string;
  lastEventTime: string;
  eventCount: number;
  /** Part `principal` (with the session name, which a console session takes from its principal). */
  principalArn?: string;
  sessionName?: string | null;
  /** Part `sourceIdentity`. */
  sourceIdentity?: string | null;
  /** Part `accessKey`. */
  accessKeyId?: string | null;
  /** Part `mfa`. */
  mfaAuthenticated?: boolean | null;
  /** Part `writes`. */
  writeCount?: number;
  /** Part `errors`. */
  errorCount?: number;
  /** Part `denied`. */
  accessDeniedCount?: number;
  /** Part `sources`. */
  eventSources?: string[];
  /** Part `regions`. */
  regions?: string[];
  /** Part `sourceIps`. */
  sourceIpAddresses?: string[];
  /** Part `userAgents`. */
  userAgents?: string[];
}

export interface ResourceSummary {
  arn: string;
  type: string | null;
  accountId: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  eventCount: number;
}

export const text = (v: Scalar | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: Scalar | undefined): number => (v === null || v === undefined ? 0 : Number(v));

export function textList(v: Scalar | undefined): string[] {
  if (typeof v !== 'string' || v === '') return [];
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string' && x !== '').sort() : [];
}

/** The account field of an ARN (arn:partition:service:region:ACCOUNT:...), when it is an account id. */
export function accountOfArn(arn: string): string | null {
  if (!arn.startsWith('arn:')) return null;
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : null;
}

/** The last part of an ARN's resource (a user's or role's name without its path). */
function lastPart(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** A principal's display name: the IAM name, 'root', the service, else the user name CloudTrail gave. */
export function principalName(arn: string, type: string, userName: string | null): string | null {
  if (arn === UNKNOWN_PRINCIPAL) return null;
  switch (type) {
    case 'Root':
    case 'AWSAccount':
      return 'root';
    case 'AWSService':
      return arn;
    case 'IAMUser':
    case 'AssumedRole':
    case 'Role':
      return arn.startsWith('arn:') ? lastPart(arn) : userName;
    default:
      return userName ?? (arn.startsWith('arn:') ? lastPart(arn) : arn);
  }
}

/** A column the statement selected for a part it was asked; missing is a bug in the builder. */
function column(r: Row, name: string): Scalar {
  const v = r[name];
  if (v === undefined) throw new Error(`summary statement lacks column ${name}`);
  return v;
}

/** Columns: arn, n, first_seen, last_seen, and those of `parts` (ptype, uname, uacct, errors, keys, ips, names). */
export function toPrincipalSummary(r: Row, parts: PrincipalParts): PrincipalSummary {
  const arn = String(r.arn);
  const has = (p: PrincipalPart) => parts.includes(p);
  // name and account need the type too (principalParts asks it with them).
  const typeOf = (): string => (arn === UNKNOWN_PRINCIPAL ? 'Unknown' : text(column(r, 'ptype')) ?? 'Unknown');
  return {
    arn,
    firstSeen: text(r.first_seen),
    lastSeen: text(r.last_seen),
    eventCount: num(r.n),
    ...(has('type') ? { type: typeOf() } : {}),
    ...(has('account') ? { accountId: arn === UNKNOWN_PRINCIPAL || typeOf() === 'AWSService' ? null : accountOfArn(arn) ?? text(column(r, 'uacct')) } : {}),
    ...(has('name') ? { name: principalName(arn, typeOf(), text(column(r, 'uname'))) } : {}),
    ...(has('errors') ? { errorCount: num(column(r, 'errors')) } : {}),
    ...(has('accessKeys') ? { accessKeyIds: textList(column(r, 'keys')) } : {}),
    ...(has('sourceIps') ? { sourceIpAddresses: textList(column(r, 'ips')) } : {}),
    ...(has('eventNames') ? { eventNames: nameCounts(column(r, 'names')) } : {}),
  };
}

/** A histogram's JSON ({"name": count}) as a list, most first, ties by name. */
function nameCounts(v: Scalar | undefined): Array<{ name: string; count: number }> {
  const parsed = typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : {};
  return Object.entries(parsed)
    .map(([name, count]) => ({ name, count: Number(count) }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The session name: after the role id (AROA...:NAME) or the account (ACCT:NAME); a console session's user name. */
export function sessionNameOf(ref: SessionRef, principalArn: string): string | null {
  switch (ref.kind) {
    case 'ASSUMED_ROLE':
    case 'FEDERATED': {
      if (ref.key.startsWith('arn:')) return ref.key.slice(ref.key.lastIndexOf('/') + 1) || null;
      const i = ref.key.indexOf(':');
      return i >= 0 ? ref.key.slice(i + 1) || null : null;
    }
    case 'CONSOLE':
      return principalArn.endsWith(':root') ? null : lastPart(principalArn) || null;
    case 'IDENTITY_CENTER':
      return null;
  }
}

/** Columns: sref, n, first_seen, last_seen, and those of `parts` (pk, writes, errors, denied, source_identity, access_key, mfa, sources, regions, ips, agents). */
export function toSessionSummary(r: Row, parts: SessionParts): SessionSummary {
  const ref = parseRef(String(r.sref));
  const has = (p: SessionPart) => parts.includes(p);
  const principalArn = has('principal') ? String(column(r, 'pk')) : undefined;
  const mfa = has('mfa') ? num(column(r, 'mfa')) : undefined;
  return {
    ref,
    firstEventTime: String(r.first_seen),
    lastEventTime: String(r.last_seen),
    eventCount: num(r.n),
    ...(principalArn === undefined ? {} : { principalArn, sessionName: sessionNameOf(ref, principalArn) }),
    ...(has('sourceIdentity') ? { sourceIdentity: text(column(r, 'source_identity')) } : {}),
    ...(has('accessKey') ? { accessKeyId: text(column(r, 'access_key')) } : {}),
    ...(mfa === undefined ? {} : { mfaAuthenticated: mfa === 2 ? true : mfa === 1 ? false : null }),
    ...(has('writes') ? { writeCount: num(column(r, 'writes')) } : {}),
    ...(has('errors') ? { errorCount: num(column(r, 'errors')) } : {}),
    ...(has('denied') ? { accessDeniedCount: num(column(r, 'denied')) } : {}),
    ...(has('sources') ? { eventSources: textList(column(r, 'sources')) } : {}),
    ...(has('regions') ? { regions: textList(column(r, 'regions')) } : {}),
    ...(has('sourceIps') ? { sourceIpAddresses: textList(column(r, 'ips')) } : {}),
    ...(has('userAgents') ? { userAgents: textList(column(r, 'agents')) } : {}),
  };
}

/** Columns: rarn, rtype, racct, n, first_seen, last_seen. */
export function toResourceSummary(r: Row): ResourceSummary {
  const arn = String(r.rarn);
  return {
    arn,
    type: text(r.rtype),
    accountId: text(r.racct) ?? accountOfArn(arn),
    firstSeen: text(r.first_seen),
    lastSeen: text(r.last_seen),
    eventCount: num(r.n),
  };
}
