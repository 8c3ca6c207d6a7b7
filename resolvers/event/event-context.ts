import { EventGraph, GraphEvent } from '../../src/history/graph/graph-events';
import { StoredEvent } from '../../src/history/event-row';
import { TimeWindow } from '../../src/history/window';
import { toEvent } from './event.mapper';
import { Event } from './event.type';

/**
 * What the graph knows of an event beyond its row: the window of the query
 * that reached it (for the counts of its principal and resources) and, when
 * the statement that found it derived them, its principal, session and
 * resources. Kept beside the row rather than on it, so the Event type stays
 * the event's own.
 */
interface EventContext {
  window?: TimeWindow;
  graph?: EventGraph;
}

const CONTEXT = new WeakMap<StoredEvent, EventContext>();

export function rememberEventWindow(events: readonly Event[], window: TimeWindow): void {
  for (const e of events) CONTEXT.set(e.stored, { ...CONTEXT.get(e.stored), window });
}

export function eventContextOf(e: Event): EventContext {
  return CONTEXT.get(e.stored) ?? {};
}

/** Events found by the graph's statements, with their derived parts and window. */
export function toGraphEvents(items: readonly GraphEvent[], window: TimeWindow): Event[] {
  return items.map((g) => {
    CONTEXT.set(g.stored, g.graph ? { window, graph: g.graph } : { window });
    return toEvent(g.stored);
  });
}

/** Arguments of a nested events connection (Principal.events, Session.events, Resource.events). */
export interface NestedEventsArgs {
  filter?: { time?: { from: Date; to: Date } | null } | null;
  first?: number | null;
  after?: string | null;
}
