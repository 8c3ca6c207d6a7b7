import DataLoader from 'dataloader';
import { StoredEvent } from '../history/event-row';
import { EventsQuery } from '../history/events';
import { EventKey } from '../history/ids';
import { Page } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { NotFoundError } from './not-found';
import { keyText } from './graph-batch';

export interface EventLoaders {
  /** Events by id: one statement for all ids asked in a tick. */
  eventByKey: DataLoader<EventKey, StoredEvent, string>;
  /** Pages of events: equal queries asked twice in a request run once. */
  eventPage: DataLoader<EventsQuery, Page<StoredEvent>, string>;
}

export function eventLoaders(store: HistoryStore, ctx: QueryContext): EventLoaders {
  return {
    eventByKey: new DataLoader<EventKey, StoredEvent, string>(
      async (keys) => {
        const found = await store.eventsByKeys(keys, ctx);
        return found.map((e, i) => e ?? new NotFoundError(keys[i].eventId));
      },
      { cacheKeyFn: (k) => `${k.day}|${k.account}|${k.region}|${k.eventId}` },
    ),
    eventPage: new DataLoader<EventsQuery, Page<StoredEvent>, string>(
      (queries) => Promise.all(queries.map((q) => store.eventsPage(q, ctx).catch((e: Error) => e))),
      { cacheKeyFn: keyText },
    ),
  };
}
