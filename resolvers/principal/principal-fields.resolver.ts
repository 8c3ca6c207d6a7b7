import { GraphQLResolveInfo } from 'graphql';
import { mayReadNetworkEverywhere } from '../../src/authz/guards';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { identityTypeFromCloudTrail } from '../../src/cloudtrail/identity-type';
import { Context } from '../../src/context';
import { computed } from '../../src/history/graph/summary-parts';
import { IdentityType, SortOrder } from '../common/enums';
import { checkLimit } from '../common/graph';
import { DateTimeScalar } from '../common/scalars';
import { EventFilter } from '../event/event-filter.input';
import { nestedEventConnection } from '../event/event-graph.service';
import { eventsProjection } from '../event/event-selection';
import { EventConnection } from '../event/event.type';
import { ResourceConnection } from '../resource/resource.type';
import { SessionFilter } from '../session/session-filter.input';
import { sessionNodePartsOf } from '../session/session-selection';
import { SessionConnection } from '../session/session.type';
import { principalSummaryOf, resourcesOfPrincipal, sessionsOfPrincipal } from './principal.service';
import { NameCount, Principal } from './principal.type';

@ArgsType()
export class PrincipalEventsArgs {
  @Field(() => EventFilter, { nullable: true }) filter?: EventFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order?: SortOrder | null;
}

@ArgsType()
export class PrincipalSessionsArgs {
  @Field(() => SessionFilter, { nullable: true }) filter?: SessionFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

const MAX_TOP = 1000;

/** A principal's summary fields (loaded once per window for all principals of a request) and its lists. */
@Resolver(() => Principal)
export class PrincipalFieldsResolver {
  @FieldResolver(() => IdentityType)
  async type(@Root() p: Principal, @Ctx() ctx: Context): Promise<IdentityType> {
    const s = await principalSummaryOf(ctx, p);
    return identityTypeFromCloudTrail(s ? computed(s, 'type') : p.typeHint);
  }

  @FieldResolver(() => String, { nullable: true })
  async accountId(@Root() p: Principal, @Ctx() ctx: Context): Promise<string | null> {
    const s = await principalSummaryOf(ctx, p);
    return s ? computed(s, 'accountId') : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async name(@Root() p: Principal, @Ctx() ctx: Context): Promise<string | null> {
    const s = await principalSummaryOf(ctx, p);
    return s ? computed(s, 'name') : null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  async firstSeen(@Root() p: Principal, @Ctx() ctx: Context): Promise<Date | null> {
    const t = (await principalSummaryOf(ctx, p))?.firstSeen;
    return t ? new Date(t) : null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  async lastSeen(@Root() p: Principal, @Ctx() ctx: Context): Promise<Date | null> {
    const t = (await principalSummaryOf(ctx, p))?.lastSeen;
    return t ? new Date(t) : null;
  }

  @FieldResolver(() => Int)
  async eventCount(@Root() p: Principal, @Ctx() ctx: Context): Promise<number> {
    return (await principalSummaryOf(ctx, p))?.eventCount ?? 0;
  }

  @FieldResolver(() => Int)
  async errorCount(@Root() p: Principal, @Ctx() ctx: Context): Promise<number> {
    const s = await principalSummaryOf(ctx, p);
    return s ? computed(s, 'errorCount') : 0;
  }

  @FieldResolver(() => [String])
  async accessKeyIds(@Root() p: Principal, @Ctx() ctx: Context): Promise<string[]> {
    const s = await principalSummaryOf(ctx, p);
    return s ? computed(s, 'accessKeyIds') : [];
  }

  @FieldResolver(() => [String])
  async sourceIpAddresses(@Root() p: Principal, @Ctx() ctx: Context): Promise<string[]> {
    // authz: network details (see mayReadNetworkEverywhere).
    if (!(await mayReadNetworkEverywhere(ctx.authz))) return [];
    const s = await principalSummaryOf(ctx, p);
    return s ? computed(s, 'sourceIpAddresses') : [];
  }

  @FieldResolver(() => [NameCount])
  topEventNames(
    @Root() p: Principal,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 10 }) limit: number | null,
    @Ctx() ctx: Context,
  ): Promise<NameCount[]> {
    const n = checkLimit(limit, 10, MAX_TOP, 'limit');
    // A summary found by ARN counted the names when its selection asked them (part eventNames); a page's summaries never do.
    const counted = p.summary?.eventNames;
    return counted ? Promise.resolve(counted.slice(0, n)) : ctx.loaders.principalTopEventNames.load({ arn: p.arn, window: p.window, limit: n });
  }

  @FieldResolver(() => EventConnection)
  events(@Root() p: Principal, @Args() args: PrincipalEventsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return nestedEventConnection(ctx, ctx.loaders.principalEvents, p.arn, p.window, args, SortOrder.DESC, eventsProjection(info));
  }

  @FieldResolver(() => SessionConnection)
  sessions(@Root() p: Principal, @Args() args: PrincipalSessionsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<SessionConnection> {
    return sessionsOfPrincipal(ctx, p, args.filter, args, sessionNodePartsOf(info));
  }

  @FieldResolver(() => ResourceConnection)
  resources(@Root() p: Principal, @Args() args: ForwardPageArgs, @Ctx() ctx: Context): Promise<ResourceConnection> {
    return resourcesOfPrincipal(ctx, p, args);
  }
}
