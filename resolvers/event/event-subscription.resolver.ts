import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import { Context } from '../../src/context';
import { Delivery } from '../../src/subscriptions/event-subscriptions';
import { receiveDelivery, subscribeToEvents } from '../../src/subscriptions/live';
import { rememberEventWindow } from './event-context';
import { EventFilter, toCriteria } from './event-filter.input';
import { toEvent } from './event.mapper';
import { withDetectionRules } from '../detection/detection.service';
import { Event } from './event.type';

@Resolver(() => Event)
export class EventSubscriptionResolver {
  @Subscription(() => Event, {
    description:
      'Each event stored from now on that matches the filter, once, in the order\nit was stored (GraphQL over WebSocket at /graphql). Without a filter time,\nthe window is the default one ending as each event arrives.',
    subscribe: async ({ args, context }) => {
      const filter = (args as { filter?: EventFilter | null }).filter;
      // filter.detectionRuleIds: the caller's predicates of those rules, as for a page.
      return subscribeToEvents(context as Context, await withDetectionRules(context as Context, toCriteria(filter)), filter?.time);
    },
  })
  events(@Root() delivery: Delivery | undefined, @Ctx() ctx: Context, @Arg('filter', () => EventFilter, { nullable: true }) _filter?: EventFilter): Event {
    const { event: stored, window } = receiveDelivery(ctx, delivery);
    const event = toEvent(stored);
    // Nested principal/session/resources count within the subscriber's window, as for a page.
    rememberEventWindow([event], window);
    return event;
  }
}
