import { Args, ArgsType, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { EventFilter } from '../event/event-filter.input';
import { EventGroup } from './event-group.type';
import { EventDimension, TimeBucket } from './stats.enums';
import { DEFAULT_STATS_LIMIT, eventGroups } from './stats.service';

@ArgsType()
export class EventStatsArgs {
  @Field(() => EventFilter, { nullable: true }) filter?: EventFilter | null;
  @Field(() => [EventDimension]) groupBy!: EventDimension[];
  @Field(() => TimeBucket, { nullable: true }) bucket?: TimeBucket | null;
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_STATS_LIMIT, description: 'Most groups returned (1 to 10000).' })
  limit?: number | null;
}

@Resolver()
export class StatsResolver {
  @Query(() => [EventGroup], {
    description: 'Counts grouped by dimensions (and by time bucket when given), largest\nfirst; with a bucket, ordered by bucketStart.',
  })
  eventStats(@Args() args: EventStatsArgs, @Ctx() ctx: Context): Promise<EventGroup[]> {
    return eventGroups(ctx, args);
  }
}
