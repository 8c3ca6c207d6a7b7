import { Ctx, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { edgeEventTime } from '../../src/history/latest-event';
import { DateTimeScalar } from '../common/scalars';

/** Where the caller's history ends and starts: the explorer anchors the saved investigations' windows on it. */
@Resolver()
export class LatestEventResolver {
  @Query(() => DateTimeScalar, {
    nullable: true,
    description: 'When the newest event the caller may read happened (null when there is none).\nThe explorer ends the saved investigations\' windows there, so they answer\non older logs too.',
  })
  latestEventTime(@Ctx() ctx: Context): Promise<Date | null> {
    return edgeEventTime(ctx.store, ctx.query, 'newest');
  }

  @Query(() => DateTimeScalar, { nullable: true, description: 'When the oldest event the caller may read happened (null when there is none).' })
  earliestEventTime(@Ctx() ctx: Context): Promise<Date | null> {
    return edgeEventTime(ctx.store, ctx.query, 'oldest');
  }
}
