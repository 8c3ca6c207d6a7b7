import { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { SortOrder } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';
import { EventFilter } from '../event/event-filter.input';
import { nestedEventConnection } from '../event/event-graph.service';
import { eventsProjection } from '../event/event-selection';
import { EventConnection } from '../event/event.type';
import { ForwardPageArgs } from '../principal/principal-fields.resolver';
import { principalNodePartsOf } from '../principal/principal-selection';
import { PrincipalConnection } from '../principal/principal.type';
import { principalsOfResource, resourceSummaryOf } from './resource.service';
import { Resource } from './resource.type';

@ArgsType()
export class ResourceEventsArgs {
  @Field(() => EventFilter, { nullable: true }) filter?: EventFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order?: SortOrder | null;
}

/** A resource's summary in the window that reached it, and its lists. */
@Resolver(() => Resource)
export class ResourceFieldsResolver {
  @FieldResolver(() => String, { nullable: true })
  async type(@Root() r: Resource, @Ctx() ctx: Context): Promise<string | null> {
    return r.seedType ?? (await resourceSummaryOf(ctx, r))?.type ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async accountId(@Root() r: Resource, @Ctx() ctx: Context): Promise<string | null> {
    return r.seedAccountId ?? (await resourceSummaryOf(ctx, r))?.accountId ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  async firstSeen(@Root() r: Resource, @Ctx() ctx: Context): Promise<Date | null> {
    const t = (await resourceSummaryOf(ctx, r))?.firstSeen;
    return t ? new Date(t) : null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  async lastSeen(@Root() r: Resource, @Ctx() ctx: Context): Promise<Date | null> {
    const t = (await resourceSummaryOf(ctx, r))?.lastSeen;
    return t ? new Date(t) : null;
  }

  @FieldResolver(() => Int)
  async eventCount(@Root() r: Resource, @Ctx() ctx: Context): Promise<number> {
    return (await resourceSummaryOf(ctx, r))?.eventCount ?? 0;
  }

  @FieldResolver(() => EventConnection)
  events(@Root() r: Resource, @Args() args: ResourceEventsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return nestedEventConnection(ctx, ctx.loaders.resourceEvents, r.arn, r.window, args, SortOrder.DESC, eventsProjection(info));
  }

  @FieldResolver(() => PrincipalConnection, { description: 'Who touched it.' })
  principals(@Root() r: Resource, @Args() args: ForwardPageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<PrincipalConnection> {
    return principalsOfResource(ctx, r, args, principalNodePartsOf(info));
  }
}
