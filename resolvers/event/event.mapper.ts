import { eventCategoryFromCloudTrail } from '../../src/cloudtrail/event-category';
import { isDecisionEvent, recordedDecisions } from '../../src/cloudtrail/decisions';
import { identityTypeFromCloudTrail } from '../../src/cloudtrail/identity-type';
import { Scalar } from '../../src/history/engine';
import { StoredEvent, UserIdentityRow } from '../../src/history/event-row';
import { AuthorizationDecision, Decision } from './authorization-decision.type';
import { Event } from './event.type';
import { UserIdentity } from './user-identity.type';

const text = (v: Scalar | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** CloudTrail writes booleans as JSON booleans; the table holds them as text. */
export function bool(v: Scalar | undefined): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : null;
}

function instant(v: string | null | undefined): Date | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function parseJsonColumn(v: Scalar | undefined): unknown {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function toUserIdentity(u: UserIdentityRow | null): UserIdentity {
  const sc = u?.sessioncontext ?? null;
  const issuer = sc?.sessionissuer ?? null;
  return {
    type: identityTypeFromCloudTrail(u?.type),
    principalId: u?.principalid ?? null,
    arn: u?.arn ?? null,
    accountId: u?.accountid ?? null,
    accessKeyId: u?.accesskeyid ?? null,
    userName: u?.username ?? null,
    invokedBy: u?.invokedby ?? null,
    sessionIssuer: issuer
      ? { type: issuer.type, principalId: issuer.principalid, arn: issuer.arn, accountId: issuer.accountid, userName: issuer.username }
      : null,
    mfaAuthenticated: bool(sc?.attributes?.mfaauthenticated ?? null),
    sessionCreatedAt: instant(sc?.attributes?.creationdate),
    sourceIdentity: sc?.sourceidentity ?? null,
    onBehalfOf: u?.onbehalfof ? { userId: u.onbehalfof.userid, identityStoreArn: u.onbehalfof.identitystorearn } : null,
    credentialId: u?.credentialid ?? null,
  };
}

/** Decisions recorded in the event; the payloads are parsed only for decision events (most events are not). */
function decisionsOf(s: StoredEvent): AuthorizationDecision[] {
  const c = s.columns;
  if (!isDecisionEvent(c.eventsource, c.eventname)) return [];
  return recordedDecisions(c.eventsource, c.eventname, s.eventTime, parseJsonColumn(c.requestparameters), parseJsonColumn(c.additionaleventdata)).map(
    (d) => ({ ...d, decision: d.decision === 'ALLOW' ? Decision.ALLOW : Decision.DENY, decidedAt: instant(d.decidedAt) }),
  );
}

export function toEvent(s: StoredEvent): Event {
  const c = s.columns;
  const e = new Event();
  Object.assign(e, {
    stored: s,
    id: s.id,
    eventId: s.key.eventId,
    eventTime: new Date(s.eventTime),
    eventName: text(c.eventname) ?? '',
    eventSource: text(c.eventsource) ?? '',
    eventType: text(c.eventtype),
    eventCategory: eventCategoryFromCloudTrail(text(c.eventcategory)),
    eventVersion: text(c.eventversion),
    awsRegion: text(c.awsregion) ?? s.key.region,
    recipientAccountId: text(c.recipientaccountid),
    readOnly: bool(c.readonly),
    managementEvent: bool(c.managementevent),
    errorCode: text(c.errorcode),
    errorMessage: text(c.errormessage),
    requestId: text(c.requestid),
    sharedEventId: text(c.sharedeventid),
    vpcEndpointId: text(c.vpcendpointid),
    userIdentity: toUserIdentity(s.userIdentity),
    authorizationDecisions: decisionsOf(s),
  });
  return e;
}
