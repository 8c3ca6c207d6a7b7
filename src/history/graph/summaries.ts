import { Row, Scalar } from '../engine';
import { UNKNOWN_PRINCIPAL } from '../derive';
import { SessionRef, parseRef } from './session-ref';

/**
 * What the graph statements return about each object, within the window
 * that reached it. Types are CloudTrail's spellings (the API maps them).
 */
export interface PrincipalSummary {
  arn: string;
  type: string;
  accountId: string | null;
  name: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  eventCount: number;
  errorCount: number;
  accessKeyIds: string[];
  sourceIpAddresses: string[];
  /** Calls per event name, most first (ties by name); when the statement counted them. */
  eventNames?: Array<{ name: string; count: number }>;
}

export interface SessionSummary {
  ref: SessionRef;
  principalArn: string;
  sessionName: string | null;
  sourceIdentity: string | null;
  accessKeyId: string | null;
  mfaAuthenticated: boolean | null;
  firstEventTime: string;
  lastEventTime: string;
  eventCount: number;
  writeCount: number;
  errorCount: number;
  accessDeniedCount: number;
  eventSources: string[];
  regions: string[];
  sourceIpAddresses: string[];
  userAgents: string[];
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

/** Columns: arn, ptype, uname, uacct, n, errors, first_seen, last_seen, keys, ips. */
export function toPrincipalSummary(r: Row): PrincipalSummary {
  const arn = String(r.arn);
  const type = arn === UNKNOWN_PRINCIPAL ? 'Unknown' : text(r.ptype) ?? 'Unknown';
  return {
    arn,
    type,
    accountId: arn === UNKNOWN_PRINCIPAL || type === 'AWSService' ? null : accountOfArn(arn) ?? text(r.uacct),
    name: principalName(arn, type, text(r.uname)),
    firstSeen: text(r.first_seen),
    lastSeen: text(r.last_seen),
    eventCount: num(r.n),
    errorCount: num(r.errors),
    accessKeyIds: textList(r.keys),
    sourceIpAddresses: textList(r.ips),
    ...(r.names === undefined ? {} : { eventNames: nameCounts(r.names) }),
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

/** Columns: sref, pk, n, writes, errors, denied, first_seen, last_seen, source_identity, access_key, mfa, sources, regions, ips, agents. */
export function toSessionSummary(r: Row): SessionSummary {
  const ref = parseRef(String(r.sref));
  const principalArn = String(r.pk);
  const mfa = num(r.mfa);
  return {
    ref,
    principalArn,
    sessionName: sessionNameOf(ref, principalArn),
    sourceIdentity: text(r.source_identity),
    accessKeyId: text(r.access_key),
    mfaAuthenticated: mfa === 2 ? true : mfa === 1 ? false : null,
    firstEventTime: String(r.first_seen),
    lastEventTime: String(r.last_seen),
    eventCount: num(r.n),
    writeCount: num(r.writes),
    errorCount: num(r.errors),
    accessDeniedCount: num(r.denied),
    eventSources: textList(r.sources),
    regions: textList(r.regions),
    sourceIpAddresses: textList(r.ips),
    userAgents: textList(r.agents),
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
