import { Context } from '../context';
import { badInput } from '../errors';
import { EventCriteria } from '../history/event-filter';
import { StoredEvent } from '../history/event-row';
import { TimeWindow } from '../history/window';
import { Delivery, EventSubscriptions } from './event-subscriptions';

/** What a subscription's context has beyond a request's: the server's subscriptions and a way to renew the caller's context. */
interface Live {
  subscriptions: EventSubscriptions;
  renew: () => Promise<Context>;
}

const LIVE = new WeakMap<Context, Live>();

/** Marks a context as a WebSocket operation's (websocket.ts). */
export function makeLive(ctx: Context, live: Live): Context {
  LIVE.set(ctx, live);
  return ctx;
}

/** The events stored from now on that match: the source stream of `subscription { events }`. */
const overWebSocket = () => badInput('subscriptions are served over WebSocket (graphql-transport-ws) at /graphql', { argument: 'operation' });

export function subscribeToEvents(ctx: Context, criteria: EventCriteria, time: { from: Date; to: Date } | null | undefined): Promise<AsyncIterableIterator<Delivery>> {
  const live = LIVE.get(ctx);
  if (!live) throw overWebSocket();
  return live.subscriptions.subscribe({ criteria, time, contextFor: live.renew });
}

/**
 * One delivered event, resolved in its batch's context: the subscription's
 * context takes the batch's authorizer, loaders and scope (graphql-js runs a
 * subscription's events one after another, so no other event is resolving
 * with it), so Event's fields and guards work as they do for a page. A
 * delivered error (the batch could not be read) is thrown, to be formatted
 * like any resolver's.
 */
export function receiveDelivery(ctx: Context, delivery: Delivery | undefined): { event: StoredEvent; window: TimeWindow } {
  // No delivery: the operation was executed as a query (POST /graphql), not subscribed to.
  if (!delivery || !LIVE.has(ctx)) throw overWebSocket();
  Object.assign(ctx, delivery.context);
  switch (delivery.kind) {
    case 'event':
      return { event: delivery.event, window: delivery.window };
    case 'error':
      throw delivery.error;
    default: {
      const never: never = delivery;
      throw new Error(`unknown delivery ${String(never)}`);
    }
  }
}
