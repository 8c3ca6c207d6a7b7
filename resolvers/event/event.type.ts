import { Field, ID, ObjectType } from 'type-graphql';
import { StoredEvent } from '../../src/history/event-row';
import { EventCategory } from '../common/enums';
import { Node } from '../common/node.interface';
import { PageInfo } from '../common/page-info.type';
import { DateTimeScalar } from '../common/scalars';
import { AuthorizationDecision } from './authorization-decision.type';
import { UserIdentity } from './user-identity.type';

/**
 * An event. Plain fields are set from the stored row; payload and network
 * fields (requestParameters, sourceIpAddress, raw, ...) are resolved in
 * event-fields.resolver.ts, where what the caller may read is checked.
 *
 * simpleResolvers: plain fields are read off the object by GraphQL itself,
 * without type-graphql's per-field wrapper (no middleware or auth rule uses
 * it, and a page of events resolves hundreds of fields). The same holds for
 * the other object types of the event (user-identity.type.ts, PageInfo).
 */
@ObjectType({ implements: Node, simpleResolvers: true })
export class Event implements Node {
  /** The row behind this event, for field resolvers. */
  stored!: StoredEvent;

  @Field(() => ID) id!: string;
  @Field() eventId!: string;
  @Field(() => DateTimeScalar) eventTime!: Date;
  @Field() eventName!: string;
  @Field() eventSource!: string;
  @Field(() => String, { nullable: true }) eventType!: string | null;
  @Field(() => EventCategory) eventCategory!: EventCategory;
  @Field(() => String, { nullable: true }) eventVersion!: string | null;
  @Field() awsRegion!: string;
  @Field(() => String, { nullable: true }) recipientAccountId!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'readOnly as the record gives it (a JSON boolean or the text "True"/"False"); null when the record has none.' })
  readOnly!: boolean | null;
  @Field(() => Boolean, { nullable: true }) managementEvent!: boolean | null;
  @Field(() => String, { nullable: true }) errorCode!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true }) sharedEventId!: string | null;
  @Field(() => String, { nullable: true }) vpcEndpointId!: string | null;
  @Field(() => UserIdentity) userIdentity!: UserIdentity;
  @Field(() => [AuthorizationDecision], {
    description: 'Verified Permissions decisions recorded in this event (IsAuthorized,\nBatchIsAuthorized, IsAuthorizedWithToken); empty for other events.',
  })
  authorizationDecisions!: AuthorizationDecision[];
}

@ObjectType({ simpleResolvers: true })
export class EventEdge {
  @Field() cursor!: string;
  @Field(() => Event) node!: Event;
}

@ObjectType({ simpleResolvers: true })
export class EventConnection {
  @Field(() => [EventEdge]) edges!: EventEdge[];
  @Field(() => [Event]) nodes!: Event[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
