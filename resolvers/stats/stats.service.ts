import { Context } from '../../src/context';
import { EventDimension, TimeBucket, checkStatsLimit, eventStats } from '../../src/history/stats';
import { resolveWindow } from '../../src/history/window';
import { EventFilter, toCriteria } from '../event/event-filter.input';
import { EventGroup } from './event-group.type';
import { withDetectionRules } from '../detection/detection.service';

export const DEFAULT_STATS_LIMIT = 100;

export interface EventStatsInput {
  filter?: EventFilter | null;
  groupBy: EventDimension[];
  bucket?: TimeBucket | null;
  limit?: number | null;
}

/**
 * eventStats for resolvers: the window and limit rules in one place; one
 * statement. authz: the request's scope decides what may be counted by
 * (stats.ts: network dimensions and filters only where ReadNetworkDetails).
 */
export async function eventGroups(ctx: Context, input: EventStatsInput): Promise<EventGroup[]> {
  const window = resolveWindow(input.filter?.time, ctx.config, ctx.now);
  const limit = checkStatsLimit(input.limit ?? DEFAULT_STATS_LIMIT);
  const groups = await eventStats(
    ctx.store,
    { criteria: await withDetectionRules(ctx, toCriteria(input.filter)), window, scope: ctx.query.scope, groupBy: input.groupBy, bucket: input.bucket ?? null, limit },
    ctx.query,
  );
  return groups.map((g) => Object.assign(new EventGroup(), g));
}
