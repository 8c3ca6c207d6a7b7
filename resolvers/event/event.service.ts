import { Context } from '../../src/context';
import { EventCriteria } from '../../src/history/event-filter';
import { EventProjection } from '../../src/history/event-projection';
import { eventCursor } from '../../src/history/events';
import { decodeEventId } from '../../src/history/ids';
import { PageArgs, SortOrder, pageRequest } from '../../src/history/page';
import { resolveWindow } from '../../src/history/window';
import { NotFoundError } from '../../src/loaders/not-found';
import { ConnectionParts, toConnection } from '../common/connection';
import { noteEmptyWindow } from '../../src/graphql/data-range-plugin';
import { rememberEventWindow } from './event-context';
import { withDetectionRules } from '../detection/detection.service';
import { toEvent } from './event.mapper';
import { Event } from './event.type';

/** Event pages and look-ups for resolvers: the window and page rules in one place. */
export async function eventConnection(
  ctx: Context,
  criteria: EventCriteria,
  time: { from: Date; to: Date } | null | undefined,
  page: PageArgs,
  order: SortOrder,
  /** The columns the request's selection reads (event-selection.ts); every column when absent. */
  projection?: EventProjection,
): Promise<ConnectionParts<Event>> {
  const window = resolveWindow(time, ctx.config, ctx.now);
  const request = pageRequest(page, ctx.config);
  // filter.detectionRuleIds: the caller's predicates of those rules.
  criteria = await withDetectionRules(ctx, criteria);
  // authz: the request's scope; filtering on source IP / user agent covers only accounts whose network
  // details the caller may read (event-filter.ts networkGuard, in the statement itself).
  const result = await ctx.loaders.eventPage.load({ criteria, window, scope: ctx.query.scope, order, page: request, projection });
  const events = result.items.map(toEvent);
  // An empty page: the response may say where the caller's events are (extensions.dataRange).
  if (events.length === 0) noteEmptyWindow(ctx, window);
  // Nested principal/session/resources count within the window that reached the event.
  rememberEventWindow(events, window);
  return toConnection({ ...result, items: events }, (e) => eventCursor(e.stored));
}

/** An event by its global id; null when it does not exist or the caller may not see it. */
export async function eventById(ctx: Context, id: string): Promise<Event | null> {
  const key = decodeEventId(id);
  try {
    return toEvent(await ctx.loaders.eventByKey.load(key));
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

