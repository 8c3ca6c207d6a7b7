import DataLoader from 'dataloader';
import { Context } from '../../src/context';
import { EventProjection } from '../../src/history/event-projection';
import { Page, SortOrder, pageRequest } from '../../src/history/page';
import { GraphEvent } from '../../src/history/graph/graph-events';
import { eventCursor } from '../../src/history/events';
import { TimeWindow } from '../../src/history/window';
import { ParentEventsKey } from '../../src/loaders/principal.loaders';
import { ConnectionParts, toConnection } from '../common/connection';
import { windowOf } from '../common/graph';
import { EventFilter, toCriteria } from './event-filter.input';
import { toGraphEvents } from './event-context';
import { Event } from './event.type';

/**
 * A page of events of one principal, session or resource, through that
 * kind's loader: the pages of every parent asked in one tick come from one
 * statement. The window is the filter's, else the parent's.
 */
export async function nestedEventConnection(
  ctx: Context,
  loader: DataLoader<ParentEventsKey, Page<GraphEvent>, string>,
  parent: string,
  parentWindow: TimeWindow,
  args: { filter?: EventFilter | null; first?: number | null; after?: string | null; order?: SortOrder | null },
  defaultOrder: SortOrder,
  /** The columns the selection reads (event-selection.ts); every column when absent. */
  projection?: EventProjection,
): Promise<ConnectionParts<Event>> {
  const window = windowOf(ctx, args.filter?.time, parentWindow);
  const request = pageRequest({ first: args.first, after: args.after }, ctx.config);
  const order = args.order ?? defaultOrder;
  const page = await loader.load({ parent, criteria: toCriteria(args.filter), window, order, size: request.size, after: request.after, projection });
  return toConnection({ ...page, items: toGraphEvents(page.items, window) }, (e) => eventCursor(e.stored));
}
