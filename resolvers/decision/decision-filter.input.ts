import { Field, InputType } from 'type-graphql';
import { DecisionCriteria } from '../../src/history/graph/decisions';
import { TimeRange } from '../common/page-info.type';
import { Decision } from '../event/authorization-decision.type';

@InputType({ description: 'Every field is optional; all given fields must match; list fields match any of their values.' })
export class AuthorizationDecisionFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange | null;
  @Field(() => Decision, { nullable: true }) decision?: Decision | null;
  @Field(() => [String], { nullable: true, description: 'Cedar action references, e.g. OrdersApp::Action::"ViewOrder".' })
  actions?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Cedar principal references, e.g. OrdersApp::User::"alice".' })
  principals?: string[] | null;
  @Field(() => [String], { nullable: true }) policyStoreIds?: string[] | null;
}

export function toDecisionCriteria(f: AuthorizationDecisionFilter | null | undefined): DecisionCriteria {
  return {
    decision: f?.decision ?? undefined,
    actions: f?.actions ?? undefined,
    principals: f?.principals ?? undefined,
    policyStoreIds: f?.policyStoreIds ?? undefined,
  };
}
