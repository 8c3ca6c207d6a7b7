import { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { EventGraph } from '../../src/history/graph/graph-events';
import { parseRef, windowAroundEvent } from '../../src/history/graph/session-ref';
import { TimeWindow } from '../../src/history/window';
import { windowOf } from '../common/graph';
import { principalPartsOf } from '../principal/principal-selection';
import { Principal } from '../principal/principal.type';
import { Resource } from '../resource/resource.type';
import { sessionPartsOf } from '../session/session-selection';
import { Session } from '../session/session.type';
import { eventContextOf } from './event-context';
import { Event } from './event.type';

/**
 * The graph around an event: its principal, session and resources, as the
 * derivation (derive.ts) names them. Events found by the graph's own
 * statements carry these already; others (the root `events`, `event(id:)`)
 * get them for all events of the request in one statement.
 */
async function graphOf(ctx: Context, e: Event): Promise<EventGraph> {
  return eventContextOf(e).graph ?? ctx.loaders.eventGraph.load(e.stored.key);
}

/** The window of the query that reached the event; the default window where none is known. */
function windowOfEvent(ctx: Context, e: Event): TimeWindow {
  return eventContextOf(e).window ?? windowOf(ctx, undefined);
}

@Resolver(() => Event)
export class EventGraphResolver {
  @FieldResolver(() => Principal, { nullable: true, description: 'The identity that owns the credentials; null where CloudTrail does not say.' })
  async principal(@Root() e: Event, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Principal | null> {
    const g = await graphOf(ctx, e);
    // Its summary computes the parts the selection asks (summary-parts.ts).
    return g.principalArn === null ? null : Principal.of(g.principalArn, windowOfEvent(ctx, e), null, g.principalType, principalPartsOf(info));
  }

  @FieldResolver(() => Session, { nullable: true, description: 'Null for calls made with long-term credentials.' })
  async session(@Root() e: Event, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Session | null> {
    const g = await graphOf(ctx, e);
    if (g.sessionRef === null) return null;
    const ref = parseRef(g.sessionRef);
    return Session.of(ref, windowAroundEvent(ref, e.stored.eventTime), true, null, sessionPartsOf(info));
  }

  @FieldResolver(() => [Resource])
  async resources(@Root() e: Event, @Ctx() ctx: Context): Promise<Resource[]> {
    const g = await graphOf(ctx, e);
    const window = windowOfEvent(ctx, e);
    return g.resources.map((r) => Resource.of(r.arn, window, null, r));
  }
}
