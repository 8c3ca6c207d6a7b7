import { GraphQLResolveInfo } from 'graphql';
import { ALL_SESSION_PARTS, SessionPart, SessionParts, sessionParts } from '../../src/history/graph/summary-parts';
import { FieldParts, nodeParts, objectParts } from '../common/summary-selection';

/**
 * The summary parts each Session field reads (session-fields.resolver.ts).
 * A field missing here makes a selection "every part"; a field listed with
 * fewer parts than it reads fails (computed() in summary-parts.ts).
 */
const NONE: readonly SessionPart[] = [];
export const SESSION_FIELD_PARTS: FieldParts<SessionPart> = {
  // id: a portal session's start day is its first event's, which every summary has.
  __typename: NONE, id: NONE, kind: NONE, createdAt: NONE, firstEventTime: NONE, lastEventTime: NONE, eventCount: NONE,
  // A console session's name is its principal's.
  principal: ['principal'], sessionName: ['principal'],
  sourceIdentity: ['sourceIdentity'], accessKeyId: ['accessKey'], mfaAuthenticated: ['mfa'],
  writeCount: ['writes'], errorCount: ['errors'], accessDeniedCount: ['denied'],
  eventSources: ['sources'], regions: ['regions'], sourceIpAddresses: ['sourceIps'], userAgents: ['userAgents'],
  // Lists with statements of their own.
  events: NONE, resources: NONE, detections: NONE,
  // Counted by the integrity loader (resolvers/integrity), from the ref or ARN and the window.
  integrity: NONE,
};

/** The parts of the Session the resolving field returns. */
export function sessionPartsOf(info: GraphQLResolveInfo): SessionParts {
  return sessionParts(objectParts(info, 'Session', SESSION_FIELD_PARTS, ALL_SESSION_PARTS));
}

/** The parts of the Sessions of the connection the resolving field returns. */
export function sessionNodePartsOf(info: GraphQLResolveInfo): SessionParts {
  return sessionParts(nodeParts(info, 'Session', SESSION_FIELD_PARTS, ALL_SESSION_PARTS));
}
