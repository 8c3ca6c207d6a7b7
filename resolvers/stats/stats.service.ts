import { networkScope, touchesNetworkDetails } from '../../src/authz/query-scope';
import { Context } from '../../src/context';
import { EventDimension, TimeBucket, checkStatsLimit, eventStats } from '../../src/history/stats';
import { resolveWindow } from '../../src/history/window';
import { EventFilter, toCriteria } from '../event/event-filter.input';
import { EventGroup } from './event-group.type';

export const DEFAULT_STATS_LIMIT = 100;

export interface EventStatsInput {
  filter?: EventFilter | null;
  groupBy: EventDimension[];
  bucket?: TimeBucket | null;
  limit?: number | null;
}

/** eventStats for resolvers: the window, scope and limit rules in one place; one statement. */
export async function eventGroups(ctx: Context, input: EventStatsInput): Promise<EventGroup[]> {
  const window = resolveWindow(input.filter?.time, ctx.config, ctx.now);
  const limit = checkStatsLimit(input.limit ?? DEFAULT_STATS_LIMIT);
  const criteria = toCriteria(input.filter);
  // authz: grouping or filtering on source IP / user agent covers only accounts whose network details the caller may read.
  const scope = await networkScope(ctx.authz, ctx.query.scope, touchesNetworkDetails(criteria, input.groupBy));
  const groups = await eventStats(
    ctx.store,
    { criteria, window, scope, groupBy: input.groupBy, bucket: input.bucket ?? null, limit },
    ctx.query,
  );
  return groups.map((g) => Object.assign(new EventGroup(), g));
}
