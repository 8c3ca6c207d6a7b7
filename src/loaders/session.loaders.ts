import DataLoader from 'dataloader';
import { GraphEvent } from '../history/graph/graph-events';
import { Cursored, ResourceSeed, parentEvents, resourcesOfSessions, sessionLookups, sessionPage, sessionSummaries } from '../history/graph/graph-store';
import { GroupPage } from '../history/graph/keyset';
import { SessionRef, refText } from '../history/graph/session-ref';
import { SessionCriteria } from '../history/graph/sessions';
import { SessionSummary } from '../history/graph/summaries';
import { Page } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow } from '../history/window';
import { groupedLoader, keyText, without } from './graph-batch';
import { NotFoundError } from './not-found';
import { ParentEventsKey } from './principal.loaders';

export interface SessionKey {
  ref: SessionRef;
  window: TimeWindow;
  /**
   * true: the window is the session's own (a look-up by id, or the session of
   * an event); such keys of any windows share one statement.
   */
  own: boolean;
}

export interface SessionLoaders {
  /** NotFoundError where the session has no event in the window. */
  sessionSummary: DataLoader<SessionKey, SessionSummary, string>;
  sessionEvents: DataLoader<ParentEventsKey, Page<GraphEvent>, string>;
  sessionResources: DataLoader<{ ref: SessionRef; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSeed>>, string>;
  sessionPage: DataLoader<{ criteria: SessionCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<SessionSummary>>, string>;
}

export function sessionLoaders(store: HistoryStore, ctx: QueryContext): SessionLoaders {
  return {
    sessionSummary: groupedLoader<SessionKey, SessionSummary>({
      group: (k) => (k.own ? 'own' : without(k, 'ref')),
      cacheKey: keyText,
      run: async (keys) => {
        if (keys[0].own) {
          const found = await sessionLookups(store, keys, ctx);
          return found.map((s, i) => s ?? new NotFoundError(refText(keys[i].ref)));
        }
        const refs = [...new Map(keys.map((k) => [refText(k.ref), k.ref])).values()];
        const found = await sessionSummaries(store, refs, keys[0].window, ctx);
        return keys.map((k) => found.get(refText(k.ref)) ?? new NotFoundError(refText(k.ref)));
      },
    }),
    sessionEvents: groupedLoader<ParentEventsKey, Page<GraphEvent>>({
      group: (k) => without(k, 'parent'),
      cacheKey: keyText,
      run: (keys) => parentEvents(store, { ...keys[0], kind: 'session', parents: keys.map((k) => k.parent), scope: ctx.scope }, ctx),
    }),
    sessionResources: groupedLoader<{ ref: SessionRef; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSeed>>>({
      group: (k) => without(k, 'ref'),
      cacheKey: keyText,
      run: (keys) => resourcesOfSessions(store, keys.map((k) => k.ref), keys[0].window, keys[0].page, ctx),
    }),
    sessionPage: new DataLoader<{ criteria: SessionCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<SessionSummary>>, string>(
      (keys) => Promise.all(keys.map((k) => sessionPage(store, k.criteria, k.window, k.page, ctx).catch((e: Error) => e))),
      { cacheKeyFn: keyText },
    ),
  };
}
