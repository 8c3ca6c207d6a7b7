import { Field, ID, InputType } from 'type-graphql';
import { EventCriteria } from '../../src/history/event-filter';
import { EventCategory, IdentityType } from '../common/enums';
import { TimeRange } from '../common/page-info.type';
import { ClientTool } from './client-tool.enum';

@InputType({
  description:
    'Every filter field is optional; all given fields must match (AND);\nlist fields match any of their values (OR). Where time is omitted the\nserver applies its configured default window.',
})
export class EventFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange;
  @Field(() => [String], { nullable: true }) eventIds?: string[];
  @Field(() => [String], { nullable: true }) accountIds?: string[];
  @Field(() => [String], { nullable: true }) regions?: string[];
  @Field(() => [String], { nullable: true }) eventNames?: string[];
  @Field(() => [String], { nullable: true }) eventSources?: string[];
  @Field(() => [EventCategory], { nullable: true }) eventCategories?: EventCategory[];
  @Field(() => [IdentityType], { nullable: true }) identityTypes?: IdentityType[];
  @Field(() => [String], {
    nullable: true,
    description: "Matches the principal's canonical ARN, and also the raw userIdentity.arn\n(so an sts assumed-role ARN works too).",
  })
  principalArns?: string[];
  @Field(() => [String], { nullable: true }) accessKeyIds?: string[];
  @Field(() => [ID], { nullable: true }) sessionIds?: string[];
  @Field(() => [String], { nullable: true }) sourceIpAddresses?: string[];
  @Field(() => [String], { nullable: true, description: 'Events touching any of these resources: those of Event.resources (resources[] and the ARNs the payload names).' })
  resourceArns?: string[];
  @Field(() => [String], { nullable: true, description: 'Events touching a resource of any of these types (as Event.resources gives them).' })
  resourceTypes?: string[];
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: calls whose readOnly is true (a JSON boolean, or the text "True"/"true"). false: every other call, so also records without a readOnly field (older records, some services\' events) count as writes.',
  })
  readOnly?: boolean;
  @Field(() => [String], { nullable: true }) errorCodes?: string[];
  @Field(() => Boolean, { nullable: true, description: 'true: only failed calls (errorCode set and not empty); false: only successful ones (AWS writes some successful calls with errorCode "").' })
  hasError?: boolean;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of userAgent.' })
  userAgentContains?: string;
  @Field(() => [ClientTool], { nullable: true, description: 'The client the call came from, parsed from userAgent (any of these).' })
  clientTools?: ClientTool[];
  @Field(() => [ID], {
    nullable: true,
    description: 'Events that match any of these detection rules (detectionRules ids). A rule\nruns only over the accounts where the caller may read the fields it reads.',
  })
  detectionRuleIds?: string[];
}

/** The store's criteria from the API's filter (time is resolved separately). */
export function toCriteria(f: EventFilter | null | undefined): EventCriteria {
  if (!f) return {};
  // GraphQL gives null for an explicit null: treat it as "not given".
  const nn = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  return {
    eventIds: nn(f.eventIds),
    accountIds: nn(f.accountIds),
    regions: nn(f.regions),
    eventNames: nn(f.eventNames),
    eventSources: nn(f.eventSources),
    eventCategories: nn(f.eventCategories),
    identityTypes: nn(f.identityTypes),
    principalArns: nn(f.principalArns),
    accessKeyIds: nn(f.accessKeyIds),
    sessionIds: nn(f.sessionIds),
    sourceIpAddresses: nn(f.sourceIpAddresses),
    resourceArns: nn(f.resourceArns),
    resourceTypes: nn(f.resourceTypes),
    readOnly: nn(f.readOnly),
    errorCodes: nn(f.errorCodes),
    hasError: nn(f.hasError),
    userAgentContains: nn(f.userAgentContains),
    clientTools: nn(f.clientTools),
    detectionRuleIds: nn(f.detectionRuleIds),
  };
}
