import { NonEmptyArray } from 'type-graphql';
import { AccessLogResolver } from './access-log/access-log.resolver';
import { DetectionSubscriptionResolver } from './detection/detection-subscription.resolver';
import { EventClientToolResolver } from './event/event-client-tool.resolver';
import { EventFieldsResolver } from './event/event-fields.resolver';
import { EventResolver } from './event/event.resolver';
import { EventSubscriptionResolver } from './event/event-subscription.resolver';
import { LatestEventResolver } from './latest-event/latest-event.resolver';
import { DecisionResolver } from './decision/decision.resolver';
import { EventGraphResolver } from './event/event-graph.resolver';
import { NodeResolver } from './node/node.resolver';
import { PrincipalFieldsResolver } from './principal/principal-fields.resolver';
import { PrincipalResolver } from './principal/principal.resolver';
import { ResourceFieldsResolver } from './resource/resource-fields.resolver';
import { ResourceResolver } from './resource/resource.resolver';
import { SessionFieldsResolver } from './session/session-fields.resolver';
import { SessionResolver } from './session/session.resolver';
import { StatsResolver } from './stats/stats.resolver';
import { StoreResolver } from './store/store.resolver';
import { EventLogFileResolver, IntegrityResolver, PrincipalIntegrityResolver, SessionIntegrityResolver } from './integrity/integrity.resolver';
import { DetectionResolver } from './detection/detection.resolver';
import { EventDetectionsResolver, PrincipalDetectionsResolver, SessionDetectionsResolver } from './detection/detection-links.resolver';

/** Every resolver class of the API; buildSchema takes this list. */
// eslint-disable-next-line @typescript-eslint/ban-types
export const RESOLVERS: NonEmptyArray<Function> = [
  EventResolver, EventFieldsResolver, NodeResolver, StatsResolver, EventClientToolResolver,
  PrincipalResolver, PrincipalFieldsResolver, SessionResolver, SessionFieldsResolver, ResourceResolver, ResourceFieldsResolver,
  EventGraphResolver, DecisionResolver, AccessLogResolver,
  StoreResolver,
  EventSubscriptionResolver,
  LatestEventResolver,
  IntegrityResolver, EventLogFileResolver,
  SessionIntegrityResolver, PrincipalIntegrityResolver,

  DetectionResolver, EventDetectionsResolver, PrincipalDetectionsResolver, SessionDetectionsResolver, DetectionSubscriptionResolver,
];
