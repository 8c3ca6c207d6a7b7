import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import { Context } from '../../src/context';
import { Delivery } from '../../src/subscriptions/event-subscriptions';
import { receiveDelivery, subscribeToEvents } from '../../src/subscriptions/live';
import { rememberEventWindow } from '../event/event-context';
import { EventFilter, toCriteria } from '../event/event-filter.input';
import { toEvent } from '../event/event.mapper';
import { Event } from '../event/event.type';
import { trusted } from '../../src/history/sql/sql';
import { rulesByIds } from './detection.service';

@Resolver(() => Event)
export class DetectionSubscriptionResolver {
  @Subscription(() => Event, {
    name: 'detections',
    description:
      'Each event stored from now on that a detection rule matches (`ruleIds`, or every\nrule the caller may run), once, in the order it was stored; its `detections`\nfield names the rules. A rule runs only where the caller may read every\nfield it reads, as for the detections query.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const { filter, ruleIds } = args as { filter?: EventFilter | null; ruleIds?: string[] | null };
      // The caller's rules, compiled to predicates of the one SQL builder, narrowed to the accounts it may run each in.
      const rules = await rulesByIds(ctx, ruleIds ?? null, 'ruleIds');
      // No rule the caller may run: nothing matches (FALSE), rather than no rule filter at all.
      const criteria = {
        ...toCriteria(filter),
        detectionRuleIds: rules.length ? rules.map((r) => r.rule.meta.id) : ['(none)'],
        detectionRules: rules.length ? rules.map((r) => r.test.predicate) : [trusted('FALSE')],
      };
      return subscribeToEvents(ctx, criteria, filter?.time);
    },
  })
  detections(
    @Root() delivery: Delivery | undefined,
    @Ctx() ctx: Context,
    @Arg('filter', () => EventFilter, { nullable: true }) _filter?: EventFilter,
    @Arg('ruleIds', () => [String], { nullable: true }) _ruleIds?: string[],
  ): Event {
    const { event: stored, window } = receiveDelivery(ctx, delivery);
    const event = toEvent(stored);
    rememberEventWindow([event], window);
    return event;
  }
}
