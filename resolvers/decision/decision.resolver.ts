import { Args, ArgsType, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { SortOrder } from '../common/enums';
import { AuthorizationDecisionFilter } from './decision-filter.input';
import { decisionConnection } from './decision.service';
import { AuthorizationDecisionConnection } from './decision.type';

@ArgsType()
export class AuthorizationDecisionsArgs {
  @Field(() => AuthorizationDecisionFilter, { nullable: true }) filter?: AuthorizationDecisionFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order?: SortOrder | null;
}

@Resolver()
export class DecisionResolver {
  @Query(() => AuthorizationDecisionConnection, {
    description: 'Verified Permissions decisions recorded in history (IsAuthorized,\nBatchIsAuthorized, IsAuthorizedWithToken events), in event order.',
  })
  authorizationDecisions(@Args() args: AuthorizationDecisionsArgs, @Ctx() ctx: Context): Promise<AuthorizationDecisionConnection> {
    return decisionConnection(ctx, args.filter, args);
  }
}
