import { GraphQLResolveInfo } from 'graphql';
import { mayReadNetworkEverywhere } from '../../src/authz/guards';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { refText } from '../../src/history/graph/session-ref';
import { SessionSummary } from '../../src/history/graph/summaries';
import { computed } from '../../src/history/graph/summary-parts';
import { SortOrder } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';
import { EventFilter } from '../event/event-filter.input';
import { nestedEventConnection } from '../event/event-graph.service';
import { eventsProjection } from '../event/event-selection';
import { EventConnection } from '../event/event.type';
import { ForwardPageArgs } from '../principal/principal-fields.resolver';
import { principalPartsOf } from '../principal/principal-selection';
import { Principal } from '../principal/principal.type';
import { ResourceConnection } from '../resource/resource.type';
import { resourcesOfSession, sessionIdFor, sessionSummaryOf } from './session.service';
import { Session } from './session.type';

@ArgsType()
export class SessionEventsArgs {
  @Field(() => EventFilter, { nullable: true }) filter?: EventFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.ASC }) order?: SortOrder | null;
}

/**
 * A session that was reached exists (it has at least one event); its summary
 * is never missing. It holds the parts of the session's selection (s.parts);
 * computed() fails a field whose part it lacks.
 */
async function summary(ctx: Context, s: Session): Promise<SessionSummary> {
  const found = await sessionSummaryOf(ctx, s);
  if (!found) throw new Error(`session without events: ${refText(s.ref)}`);
  return found;
}

/** The compliance summary of a session, and its lists. */
@Resolver(() => Session)
export class SessionFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() s: Session, @Ctx() ctx: Context): Promise<string> {
    return sessionIdFor(ctx, s);
  }

  @FieldResolver(() => Principal)
  async principal(@Root() s: Session, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Principal> {
    return Principal.of(computed(await summary(ctx, s), 'principalArn'), s.window, null, null, principalPartsOf(info));
  }

  @FieldResolver(() => String, { nullable: true })
  async sessionName(@Root() s: Session, @Ctx() ctx: Context): Promise<string | null> {
    return computed(await summary(ctx, s), 'sessionName');
  }

  @FieldResolver(() => String, { nullable: true })
  async sourceIdentity(@Root() s: Session, @Ctx() ctx: Context): Promise<string | null> {
    return computed(await summary(ctx, s), 'sourceIdentity');
  }

  @FieldResolver(() => String, { nullable: true })
  async accessKeyId(@Root() s: Session, @Ctx() ctx: Context): Promise<string | null> {
    return computed(await summary(ctx, s), 'accessKeyId');
  }

  @FieldResolver(() => Boolean, { nullable: true })
  async mfaAuthenticated(@Root() s: Session, @Ctx() ctx: Context): Promise<boolean | null> {
    return computed(await summary(ctx, s), 'mfaAuthenticated');
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the credentials were issued (sessionContext.attributes.creationDate).' })
  createdAt(@Root() s: Session): Date | null {
    const d = s.ref.start ? new Date(s.ref.start) : null;
    return d && !Number.isNaN(d.getTime()) ? d : null;
  }

  @FieldResolver(() => DateTimeScalar)
  async firstEventTime(@Root() s: Session, @Ctx() ctx: Context): Promise<Date> {
    return new Date((await summary(ctx, s)).firstEventTime);
  }

  @FieldResolver(() => DateTimeScalar)
  async lastEventTime(@Root() s: Session, @Ctx() ctx: Context): Promise<Date> {
    return new Date((await summary(ctx, s)).lastEventTime);
  }

  @FieldResolver(() => Int)
  async eventCount(@Root() s: Session, @Ctx() ctx: Context): Promise<number> {
    return (await summary(ctx, s)).eventCount;
  }

  @FieldResolver(() => Int, { description: 'Calls with readOnly false.' })
  async writeCount(@Root() s: Session, @Ctx() ctx: Context): Promise<number> {
    return computed(await summary(ctx, s), 'writeCount');
  }

  @FieldResolver(() => Int)
  async errorCount(@Root() s: Session, @Ctx() ctx: Context): Promise<number> {
    return computed(await summary(ctx, s), 'errorCount');
  }

  @FieldResolver(() => Int)
  async accessDeniedCount(@Root() s: Session, @Ctx() ctx: Context): Promise<number> {
    return computed(await summary(ctx, s), 'accessDeniedCount');
  }

  @FieldResolver(() => [String])
  async eventSources(@Root() s: Session, @Ctx() ctx: Context): Promise<string[]> {
    return computed(await summary(ctx, s), 'eventSources');
  }

  @FieldResolver(() => [String])
  async regions(@Root() s: Session, @Ctx() ctx: Context): Promise<string[]> {
    return computed(await summary(ctx, s), 'regions');
  }

  @FieldResolver(() => [String])
  async sourceIpAddresses(@Root() s: Session, @Ctx() ctx: Context): Promise<string[]> {
    // authz: network details (see mayReadNetworkEverywhere).
    if (!(await mayReadNetworkEverywhere(ctx.authz))) return [];
    return computed(await summary(ctx, s), 'sourceIpAddresses');
  }

  @FieldResolver(() => [String])
  async userAgents(@Root() s: Session, @Ctx() ctx: Context): Promise<string[]> {
    // authz: network details (see mayReadNetworkEverywhere).
    if (!(await mayReadNetworkEverywhere(ctx.authz))) return [];
    return computed(await summary(ctx, s), 'userAgents');
  }

  @FieldResolver(() => EventConnection)
  events(@Root() s: Session, @Args() args: SessionEventsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return nestedEventConnection(ctx, ctx.loaders.sessionEvents, refText(s.ref), s.window, args, SortOrder.ASC, eventsProjection(info));
  }

  @FieldResolver(() => ResourceConnection)
  resources(@Root() s: Session, @Args() args: ForwardPageArgs, @Ctx() ctx: Context): Promise<ResourceConnection> {
    return resourcesOfSession(ctx, s, args);
  }
}
