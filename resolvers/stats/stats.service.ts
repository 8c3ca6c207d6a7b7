import { Action } from '../../src/authz/actions';
import { Context } from '../../src/context';
import { Scope } from '../../src/history/event-filter';
import { EventDimension, TimeBucket, checkStatsLimit, eventStats } from '../../src/history/stats';
import { resolveWindow } from '../../src/history/window';
import { EventFilter, toCriteria } from '../event/event-filter.input';
import { EventGroup } from './event-group.type';
import { withDetectionRules } from '../detection/detection.service';

export const DEFAULT_STATS_LIMIT = 100;

/** Dimensions whose keys are network details (as Event.sourceIpAddress and Event.userAgent are). */
const NETWORK_DIMENSIONS: readonly EventDimension[] = [EventDimension.SOURCE_IP_ADDRESS, EventDimension.USER_AGENT];

export interface EventStatsInput {
  filter?: EventFilter | null;
  groupBy: EventDimension[];
  bucket?: TimeBucket | null;
  limit?: number | null;
}

function intersect(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((x) => b.includes(x));
}

/**
 * The accounts counted: the caller's; when a key is a network detail, only
 * those of them whose network details the caller may read (authz:
 * ReadNetworkDetails), so that counts never show an address or agent the
 * Event fields would not.
 */
async function statsScope(ctx: Context, groupBy: readonly EventDimension[]): Promise<Scope> {
  if (!groupBy.some((d) => NETWORK_DIMENSIONS.includes(d))) return ctx.query.scope;
  return { accounts: intersect(ctx.query.scope.accounts, await ctx.authz.accountsFor(Action.ReadNetworkDetails)) };
}

/** eventStats for resolvers: the window, scope and limit rules in one place; one statement. */
export async function eventGroups(ctx: Context, input: EventStatsInput): Promise<EventGroup[]> {
  const window = resolveWindow(input.filter?.time, ctx.config, ctx.now);
  const limit = checkStatsLimit(input.limit ?? DEFAULT_STATS_LIMIT);
  const scope = await statsScope(ctx, input.groupBy);
  const groups = await eventStats(
    ctx.store,
    { criteria: await withDetectionRules(ctx, toCriteria(input.filter)), window, scope, groupBy: input.groupBy, bucket: input.bucket ?? null, limit },
    ctx.query,
  );
  return groups.map((g) => Object.assign(new EventGroup(), g));
}
