import { Arg, Args, ArgsType, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { TimeRange } from '../common/page-info.type';
import { ResourceFilter } from './resource-filter.input';
import { resourceByArn, resourceConnection } from './resource.service';
import { Resource, ResourceConnection } from './resource.type';

@ArgsType()
export class ResourcesArgs {
  @Field(() => ResourceFilter, { nullable: true }) filter?: ResourceFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => Resource, { nullable: true })
  resource(
    @Arg('arn', () => String) arn: string,
    @Arg('time', () => TimeRange, { nullable: true }) time: TimeRange | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<Resource | null> {
    return resourceByArn(ctx, arn, time);
  }

  @Query(() => ResourceConnection, { description: 'Resources touched in the window, by ARN.' })
  resources(@Args() args: ResourcesArgs, @Ctx() ctx: Context): Promise<ResourceConnection> {
    return resourceConnection(ctx, args.filter, args);
  }
}
