import { GraphQLResolveInfo } from 'graphql';
import { ALL_PRINCIPAL_PARTS, PrincipalPart, PrincipalParts, principalParts } from '../../src/history/graph/summary-parts';
import { FieldParts, nodeParts, objectParts } from '../common/summary-selection';

/**
 * The summary parts each Principal field reads (principal-fields.resolver.ts).
 * A field missing here makes a selection "every part"; a field listed with
 * fewer parts than it reads fails (computed() in summary-parts.ts).
 */
const NONE: readonly PrincipalPart[] = [];
export const PRINCIPAL_FIELD_PARTS: FieldParts<PrincipalPart> = {
  __typename: NONE, id: NONE, arn: NONE, firstSeen: NONE, lastSeen: NONE, eventCount: NONE,
  type: ['type'], name: ['name'], accountId: ['account'], errorCount: ['errors'],
  accessKeyIds: ['accessKeys'], sourceIpAddresses: ['sourceIps'],
  // Counted by a look-up by ARN; a page's principals ask topEventNamesSql instead.
  topEventNames: ['eventNames'],
  // Lists with statements of their own.
  events: NONE, sessions: NONE, resources: NONE, detections: NONE,
  // Counted by the integrity loader (resolvers/integrity), from the ref or ARN and the window.
  integrity: NONE,
};

/** The parts of the Principal the resolving field returns. */
export function principalPartsOf(info: GraphQLResolveInfo): PrincipalParts {
  return principalParts(objectParts(info, 'Principal', PRINCIPAL_FIELD_PARTS, ALL_PRINCIPAL_PARTS));
}

/** The parts of the Principals of the connection the resolving field returns. */
export function principalNodePartsOf(info: GraphQLResolveInfo): PrincipalParts {
  return principalParts(nodeParts(info, 'Principal', PRINCIPAL_FIELD_PARTS, ALL_PRINCIPAL_PARTS));
}
