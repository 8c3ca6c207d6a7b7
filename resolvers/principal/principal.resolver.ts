import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, Info, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { TimeRange } from '../common/page-info.type';
import { PrincipalFilter } from './principal-filter.input';
import { principalNodePartsOf, principalPartsOf } from './principal-selection';
import { principalByArn, principalConnection } from './principal.service';
import { Principal, PrincipalConnection } from './principal.type';

@ArgsType()
export class PrincipalsArgs {
  @Field(() => PrincipalFilter, { nullable: true }) filter?: PrincipalFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Principal)
export class PrincipalResolver {
  @Query(() => Principal, { nullable: true, description: 'Accepts a canonical ARN or an sts assumed-role ARN.' })
  principal(
    @Arg('arn', () => String) arn: string,
    @Arg('time', () => TimeRange, { nullable: true }) time: TimeRange | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Principal | null> {
    return principalByArn(ctx, arn, time, principalPartsOf(info));
  }

  @Query(() => PrincipalConnection, { description: 'Principals active in the window, by ARN.' })
  principals(@Args() args: PrincipalsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<PrincipalConnection> {
    return principalConnection(ctx, args.filter, args, principalNodePartsOf(info));
  }
}
